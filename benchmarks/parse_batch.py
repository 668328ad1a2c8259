"""spaCy's speed and working memory by `nlp.pipe` batch size: why `extract` parses 16 texts a batch.

    python benchmarks/parse_batch.py ../shared/corpus/pool [--n 150] [--sizes 4 8 16 32 64] [--model NAME]

Parses the first N real excerpts under POOL_DIR with the bare spaCy pipeline at each batch size,
twice: once timed, once under `tracemalloc` for the peak of what was allocated while parsing (the
tagger's, parser's and NER's activations for every token of a batch). Prints one line per batch
size. `framewatch.nlp.extract` parses `PARSE_BATCH_SIZE` texts a batch and hands the Framewatch
components `batch_size` documents at a time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

import spacy

from framewatch import config


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path)
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--sizes", type=int, nargs="+", default=[4, 8, 16, 32, 64])
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: Framewatch's)")
    args = ap.parse_args()
    cmd = "python benchmarks/parse_batch.py " + " ".join(sys.argv[1:])
    paths = sorted(args.pool_dir.glob("*.json"))[: args.n]
    if not paths:
        sys.exit(f"no *.json articles under {args.pool_dir}")
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in paths]
    nlp = spacy.load(config.spacy_model(args.model))
    list(nlp.pipe(texts[:16]))  # warm up
    words = sum(len(t.split()) for t in texts)
    for size in args.sizes:
        t0 = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=size))
        secs = time.perf_counter() - t0
        tracemalloc.start()
        for _ in nlp.pipe(texts, batch_size=size):
            pass
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"batch_size {size:4d}   {words / secs:7.0f} words/s   {tokens / secs:7.0f} tokens/s   "
              f"peak allocated while parsing {peak:6.0f} MB   ({len(texts)} articles)   [{cmd}]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
