"""Peak memory while analysing a large corpus streamed from disk (ingest, then analyse).

    python benchmarks/memory.py ../shared/corpus/pool --n 100000 [--db /tmp/mem.duckdb] [--analyse N]

Writes N articles (the real excerpts under POOL_DIR repeated with varied ids and a varied closing
line) to a JSON Lines file, ingests it, then analyses every article with the full pipeline,
sampling this process's resident memory every 2 seconds. Prints the peak RSS of each phase, the
RSS at every tenth of the analysis (flat means the same at 10,000 and 100,000), and what DuckDB
itself holds at each of those points, from its own `duckdb_memory()` accounting.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

from _memory import duckdb_mb, rss_mb

from framewatch.corpus import Store, ingest
from framewatch.pipeline import analyse_store, load_pipeline


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--analyse", type=int, default=None, metavar="N",
                    help="analyse only the first N of the stored articles: what a large corpus costs at the start "
                         "of the analysis, without the hours a full run takes")
    args = ap.parse_args()
    cmd = "python benchmarks/memory.py " + " ".join(sys.argv[1:])
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(args.pool_dir.glob("*.json"))]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i in range(args.n):
                fh.write(json.dumps({"id": f"m{i}", "text": texts[i % len(texts)] + f"\nUpdate {i}: no further comment.",
                                     "outlet": f"outlet{i % 50}"}) + "\n")
        db = args.db or Path(tmp) / "mem.duckdb"
        sampler = Sampler()
        sampler.start()
        t0 = time.perf_counter()
        with Store(db) as store:
            ingest([src], store, near_duplicates=False)
            ingest_peak = sampler.peak
            total = min(args.n, args.analyse or args.n)
            marks = {int(total * f / 10): f / 10 for f in range(1, 10)}
            seen = [0]
            at: dict[float, float] = {}
            held: dict[float, float] = {}
            ingest_duckdb = duckdb_mb(store)

            def tick(_: str) -> None:
                seen[0] += 1
                if seen[0] in marks:
                    at[marks[seen[0]]] = rss_mb()
                    held[marks[seen[0]]] = duckdb_mb(store)
                    # one line per tenth as it happens, so a long run that is stopped early
                    # still shows whether memory was flat up to that point
                    print(f"progress {seen[0]:>8d} articles  RSS {at[marks[seen[0]]]:.0f} MB  "
                          f"peak {sampler.peak:.0f} MB  DuckDB {held[marks[seen[0]]]:.0f} MB  "
                          f"{time.perf_counter() - t0:.0f} s", flush=True)

            report = analyse_store(store, nlp=load_pipeline(), on_item=tick, limit=args.analyse)
            at[1.0] = rss_mb()
            held[1.0] = duckdb_mb(store)
        secs = time.perf_counter() - t0
        sampler.stop.set()
    print(f"articles                {args.n:10d}   analysed {report.analysed}   [{cmd}]")
    print(f"peak RSS ingest MB      {ingest_peak:10.0f}   [{cmd}]")
    print(f"peak RSS overall MB     {sampler.peak:10.0f}   [{cmd}]")
    print(f"DuckDB after ingest MB  {ingest_duckdb:10.0f}   [{cmd}]")
    print("RSS during analysis MB  " + "  ".join(f"{int(k * 100)}%: {v:.0f}" for k, v in sorted(at.items())) + f"   [{cmd}]")
    print("DuckDB during analysis MB  " + "  ".join(f"{int(k * 100)}%: {v:.0f}" for k, v in sorted(held.items()))
          + f"   [{cmd}]")
    print(f"wall time s             {secs:10.0f}   [{cmd}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
