"""Dask scaling: the same corpus analysed by a LocalCluster of 1 worker and of 2 workers.

    python benchmarks/dask_scaling.py ../shared/corpus/pool --n 600 [--partition-size 50]

Each run starts from the same ingested database (copied), so both analyse every article. Model
loading happens once per worker, inside the timed run, as it would in real use. Prints seconds
for each and the speed-up (target >= 1.7 on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from framewatch.corpus import Store, ingest
from framewatch.distributed import analyse_dask


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--partition-size", type=int, default=50)
    args = ap.parse_args()
    cmd = "python benchmarks/dask_scaling.py " + " ".join(sys.argv[1:])
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(args.pool_dir.glob("*.json"))]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "c.jsonl"
        src.write_text("".join(json.dumps({"id": f"s{i}", "text": texts[i % len(texts)] + f"\nCopy {i}."}) + "\n"
                               for i in range(args.n)), encoding="utf-8")
        base = Path(tmp) / "base.duckdb"
        with Store(base) as store:
            ingest([src], store, near_duplicates=False)
        times = {}
        for workers in (1, 2):
            db = Path(tmp) / f"w{workers}.duckdb"
            shutil.copy(base, db)
            with Store(db) as store:
                start = time.perf_counter()
                report = analyse_dask(store, f"local:{workers}", partition_size=args.partition_size)
                times[workers] = time.perf_counter() - start
            assert report.analysed == args.n, report.as_dict()
    for w, t in times.items():
        print(f"{w} worker(s)   {t:8.1f} s   {args.n / t:6.1f} articles/s   [{cmd}]")
    print(f"speed-up 2 vs 1 {times[1] / times[2]:6.2f}   [{cmd}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
