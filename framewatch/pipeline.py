"""Wiring between the stages: the main job and its steps, for the CLI and for scripts.

Each step is a plain function over a `Store`; the CLI only parses options and prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from framewatch.corpus import IngestReport, Store, ingest


def ingest_paths(store: Store, paths: Iterable[str | Path], *, field_map: Mapping[str, str] | None = None,
                 clean: bool = True, near_duplicates: bool = True, threshold: float = 0.8,
                 batch_size: int = 200, on_item: Callable[[str], None] | None = None) -> IngestReport:
    """Step 1 of the main job: read, clean, deduplicate and store."""
    return ingest(paths, store, field_map=field_map, clean=clean, near_duplicates=near_duplicates,
                  threshold=threshold, batch_size=batch_size, on_item=on_item)
