"""Ingest throughput and duplicate detection on a synthetic corpus built from real excerpts.

    python benchmarks/ingest_speed.py ../shared/corpus/pool --n 10000

Each of the real excerpts under POOL_DIR (JSON files with `text`) is repeated with a varied id,
and every third copy has its last sentence changed (a near duplicate), so the run exercises the
readers, cleaning, language detection, exact and near-duplicate detection and the DuckDB writes.
Prints one line per figure, with the command that produced it.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from framewatch.corpus import Store, ingest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path, help="folder of real excerpts (JSON with a 'text' field)")
    ap.add_argument("--n", type=int, default=10000, help="articles to ingest")
    args = ap.parse_args()
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(args.pool_dir.glob("*.json"))]
    if not texts:
        print(f"no *.json excerpts in {args.pool_dir}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        words = 0
        with src.open("w", encoding="utf-8") as fh:
            for i in range(args.n):
                text = texts[i % len(texts)]
                if i >= len(texts):
                    text = text + f"\nUpdated at {i} with a new closing line for copy {i}." if i % 3 else text.upper()
                words += len(text.split())
                fh.write(json.dumps({"id": f"bench-{i}", "text": text, "outlet": f"outlet{i % 40}"}) + "\n")
        start = time.perf_counter()
        with Store(Path(tmp) / "bench.duckdb") as store:
            report = ingest([src], store)
        secs = time.perf_counter() - start
    cmd = "python benchmarks/ingest_speed.py " + " ".join(sys.argv[1:])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ingest articles/s      {report.stored / secs:10.0f}   ({report.stored} articles in {secs:.1f} s)   [{cmd}]")
    print(f"ingest words/s         {words / secs:10.0f}   [{cmd}]")
    print(f"exact duplicates       {report.exact_duplicates:10d}   [{cmd}]")
    print(f"near duplicates        {report.near_duplicates:10d}   [{cmd}]")
    print(f"peak RSS MB            {rss:10.0f}   [{cmd}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
