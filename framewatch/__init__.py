"""Framewatch: how news coverage frames migration deals.

Stages, in pipeline order (each imports only from the ones before it):
`framewatch.corpus` (ingest, clean, deduplicate, store) -> `framewatch.nlp` (entities, figures,
quotes, claims) -> `framewatch.models` (stance and framing) -> `framewatch.reports`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("framewatch")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
