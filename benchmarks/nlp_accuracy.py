#!/usr/bin/env python3
"""Accuracy of the nlp stage on a gold folder, with the shared scorer.

    python benchmarks/nlp_accuracy.py SHARED_DIR_OR_GOLD_DIR [--explain] [--json]

SHARED_DIR is the folder holding corpus/dev and eval/ (the gold dir is then corpus/dev); a gold
dir is a folder of gold *.json articles whose scorer is found at ../../eval/score.py or given with
--scorer. Runs eval/to_jsonl.py, then framewatch.nlp.extract through the Python API, then
eval/score.py, and prints the metrics.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEYS = ("people_f1", "people_prf", "role_accuracy", "countries_f1", "countries_prf", "figures_f1",
        "figures_prf", "figure_unit_accuracy")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path, help="shared folder (with corpus/dev and eval/) or a gold dir")
    ap.add_argument("--scorer", type=Path, help="eval folder holding score.py and to_jsonl.py")
    ap.add_argument("--model", help="spaCy pipeline (default: framewatch.config)")
    ap.add_argument("--explain", action="store_true", help="also print the scorer's misses/extras")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    if (args.path / "corpus" / "dev").is_dir():
        gold, evaldir = args.path / "corpus" / "dev", args.path / "eval"
    else:
        gold = args.path
        evaldir = args.scorer or args.path.resolve().parent.parent / "eval"
    if args.scorer:
        evaldir = args.scorer
    for needed in (evaldir / "score.py", evaldir / "to_jsonl.py"):
        if not needed.is_file():
            sys.exit(f"error: {needed} not found; pass the shared folder or --scorer EVAL_DIR")

    from framewatch.nlp import load, extract

    with tempfile.TemporaryDirectory() as tmp:
        inp, pred = Path(tmp) / "in.jsonl", Path(tmp) / "pred.jsonl"
        subprocess.run([sys.executable, str(evaldir / "to_jsonl.py"), str(gold), str(inp)], check=True)
        items = [json.loads(line) for line in inp.read_text(encoding="utf-8").splitlines() if line.strip()]
        nlp = load(args.model)
        t0 = time.perf_counter()
        with pred.open("w", encoding="utf-8") as f:
            pairs = ((it["text"], {"id": it["id"], "url": it.get("url"), "outlet": it.get("outlet")})
                     for it in items)
            for ex in extract(nlp, pairs):
                f.write(json.dumps(ex.to_dict(), ensure_ascii=False) + "\n")
        seconds = time.perf_counter() - t0
        cmd = [sys.executable, str(evaldir / "score.py"), str(gold), str(pred), "--json"]
        if args.explain:
            cmd.append("--explain")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()
    result = json.loads(out[-1])
    if args.explain:
        print("\n".join(out[:-1]))
    metrics = {k: result[k] for k in KEYS if k in result}
    metrics["articles"] = len(items)
    metrics["seconds"] = round(seconds, 1)
    if args.json:
        print(json.dumps(metrics))
    else:
        for k, v in metrics.items():
            print(f"{k:24} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
