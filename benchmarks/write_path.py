"""Memory of the write path alone: what `analyse` does with results, without the nlp.

    python benchmarks/write_path.py ../shared/corpus/pool --n 50000 [--reopen-every 10000] [--db /tmp/w.duckdb]

Analyses the real excerpts under POOL_DIR once (default pipeline), then writes their results
again and again under new article ids, as `framewatch analyse` writes them (`Extraction.to_frames`,
then `Store.save_results` every 200 articles), for N articles. Prints this process's resident
memory and what DuckDB itself holds (`duckdb_memory()`) at every tenth. With `--reopen-every`
the database is closed and opened again every that many articles (`Store.reopen`), as
`analyse_store` does every `REOPEN_EVERY`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from _memory import duckdb_mb, rss_mb

from framewatch.corpus import Store
from framewatch.nlp import extract
from framewatch.pipeline import COMMIT_EVERY, load_pipeline


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path)
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--reopen-every", type=int, default=None, metavar="N")
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    cmd = "python benchmarks/write_path.py " + " ".join(sys.argv[1:])
    paths = sorted(args.pool_dir.glob("*.json"))
    if not paths:
        sys.exit(f"no *.json articles under {args.pool_dir}")
    items = [(json.loads(p.read_text(encoding="utf-8"))["text"], {"id": p.stem, "language": "en"}) for p in paths]
    nlp = load_pipeline()
    results = list(extract(nlp, items))
    del nlp
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.db or Path(tmp) / "write.duckdb")
        t0 = time.perf_counter()
        statuses: dict[str, tuple[str, str | None]] = {}
        parts: dict[str, list[pd.DataFrame]] = {}
        since_open = 0
        for i in range(args.n):
            ex = dataclasses.replace(results[i % len(results)], id=f"w{i}")
            statuses[ex.id] = ("ok", None)
            for name, frame in ex.to_frames().items():
                parts.setdefault(name, []).append(frame)
            if len(statuses) >= COMMIT_EVERY or i == args.n - 1:
                store.save_results("nlp", "bench", dict(statuses),
                                   {k: pd.concat(v, ignore_index=True) for k, v in parts.items()})
                since_open += len(statuses)
                statuses.clear()
                parts.clear()
                if args.reopen_every and since_open >= args.reopen_every:
                    store.reopen()
                    since_open = 0
            if (i + 1) % max(1, args.n // 10) == 0:
                print(f"written {i + 1:8d}   RSS {rss_mb():6.0f} MB   DuckDB {duckdb_mb(store):5.0f} MB   "
                      f"{time.perf_counter() - t0:5.0f} s   [{cmd}]", flush=True)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
