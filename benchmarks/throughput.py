"""Throughput of the full pipeline beside bare spaCy on the same articles, in one run.

    python benchmarks/throughput.py ../shared/corpus/pool --n 600 [--n-process 1] [--profile]

Articles are the real excerpts under POOL_DIR, repeated with varied ids up to N. Prints
articles/s and words/s for `spacy.load(model).pipe(texts)` and for the full Framewatch pipeline
(entities, figures, quotes, claims, deal, stance, frames; `--no-stance` for the nlp stage
alone), and their ratio; `--profile` adds the
top functions by cumulative time (cProfile) for the full pipeline.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

import spacy

from framewatch import config
from framewatch.nlp import extract
from framewatch.pipeline import load_pipeline


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--no-stance", action="store_true", help="the nlp stage only (no deal/stance/frames models)")
    args = ap.parse_args()
    cmd = "python benchmarks/throughput.py " + " ".join(sys.argv[1:])
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(args.pool_dir.glob("*.json"))]
    texts = [texts[i % len(texts)] for i in range(args.n)]
    words = sum(len(t.split()) for t in texts)

    bare = spacy.load(config.spacy_model())
    list(bare.pipe(texts[:20]))  # warm up
    start = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=args.batch_size, n_process=args.n_process):
        pass
    t_bare = time.perf_counter() - start

    nlp = load_pipeline(stance=not args.no_stance)
    list(extract(nlp, [(t, {"id": f"w{i}", "language": "en"}) for i, t in enumerate(texts[:20])]))  # warm up
    items = [(t, {"id": f"a{i}", "language": "en"}) for i, t in enumerate(texts)]
    prof = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if prof:
        prof.enable()
    n = sum(1 for _ in extract(nlp, items, batch_size=args.batch_size, n_process=args.n_process))
    if prof:
        prof.disable()
    t_full = time.perf_counter() - start
    assert n == len(texts)
    print(f"bare spaCy        {len(texts) / t_bare:8.1f} articles/s {words / t_bare:9.0f} words/s   [{cmd}]")
    print(f"full pipeline     {len(texts) / t_full:8.1f} articles/s {words / t_full:9.0f} words/s   [{cmd}]")
    print(f"ratio full/bare   {t_bare / t_full:8.2f}   [{cmd}]")
    if prof:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
        print(buf.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
