"""Shared by the memory benchmarks (run as scripts, so `benchmarks/` is on sys.path)."""

from __future__ import annotations

from typing import Any


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux `/proc`; 0 elsewhere)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def duckdb_mb(store: Any) -> float:
    """What DuckDB itself holds for `store` (page cache, indexes, buffers), from its own
    `duckdb_memory()` accounting, in MB."""
    with store.con.cursor() as cur:
        return (cur.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0] or 0) / 2**20
