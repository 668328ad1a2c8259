"""Whole-process throughput: `framewatch extract` beside bare spaCy `nlp.pipe`, same articles.

    python benchmarks/throughput_process.py ../shared/corpus/pool [MORE_DIRS ...] [--repeat 1] [--rounds 1]

Each measurement is a fresh process, timed from start to exit, as a user runs it: the bare
side is `python -c 'spacy.load(MODEL); for doc in nlp.pipe(texts): pass'` reading the texts
from the same JSON Lines file that `framewatch extract FILE -o OUT` reads (model loading, the
stance models, writing the output all count). The two alternate within each round, so both
see the same machine load. Articles are the distinct texts under the folders given (each
`*.json` with a `text`); `--repeat K` repeats the set K times with fresh ids, which lets the
text cache show what syndicated copies cost (off by default: distinct articles only). Prints
the seconds of each run, articles/s, and the ratio bare time / full time (1.0 = as fast as
bare spaCy).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from framewatch import config

BARE = """import json, sys, spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load(sys.argv[2])
for _ in nlp.pipe(texts, batch_size=32):
    pass
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", type=Path, nargs="+")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    cmd_line = "python benchmarks/throughput_process.py " + " ".join(sys.argv[1:])
    texts = sorted({json.loads(p.read_text(encoding="utf-8"))["text"] for d in args.dirs for p in d.glob("*.json")})
    texts = texts * args.repeat
    words = sum(len(t.split()) for t in texts)
    framewatch = str(Path(sys.executable).with_name("framewatch"))
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"a{i}", "text": t, "language": "en"}) + "\n")
        full_cmd = [framewatch, "extract", str(src), "-o", str(Path(tmp) / "out.jsonl"), "-q"]
        bare_cmd = [sys.executable, "-c", BARE, str(src), config.spacy_model()]
        # one untimed run of each first: builds the ONNX/static caches and warms the disk cache
        timed(full_cmd, env)
        timed(bare_cmd, env)
        bare, full = [], []
        for r in range(args.rounds):
            pair = [("bare", bare_cmd), ("full", full_cmd)]
            for name, cmd in (pair if r % 2 == 0 else pair[::-1]):
                (bare if name == "bare" else full).append(timed(cmd, env))
    tb, tf = sum(bare) / len(bare), sum(full) / len(full)
    print(f"articles {len(texts)} ({len(set(texts))} distinct), words {words}")
    print(f"bare spaCy (whole process)       {tb:7.1f} s  {len(texts) / tb:7.1f} articles/s   [{cmd_line}]")
    print(f"framewatch extract (whole process) {tf:7.1f} s  {len(texts) / tf:7.1f} articles/s   [{cmd_line}]")
    print(f"ratio bare/full                  {tb / tf:7.2f}   [{cmd_line}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
