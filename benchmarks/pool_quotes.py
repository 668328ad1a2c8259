"""Direct-quote detection and speakers on the pool's exhaustive labels, with the shared scorer's
matching.

    python benchmarks/pool_quotes.py SHARED_DIR [--explain]

`training/quote_labels.csv` labels every quote of 148 pool articles, so it measures what dev
cannot: precision and recall of direct quotes on articles no rule was written against. The pool
goes through `eval/to_jsonl.py` and `framewatch extract`'s own reader and pipeline; gold and predicted
direct quotes (4 words or more, the scorer's rule) are paired by `eval/score.py`'s own `greedy`
and `overlap`, and speakers compared with its `same_person`. Detection is not trained on these
labels. The speakers come from the shipped ranker, which was: its honest figure is the grouped
cross-validation of `benchmarks/train_attribution.py`, so this script prints speaker accuracy
only as an in-sample reference. `--explain` lists every miss and extra.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framewatch.pipeline import extract_to_jsonl  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path, help="the shared folder (holding corpus/pool and eval/)")
    ap.add_argument("--explain", action="store_true")
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("fw_score", args.shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"no scorer at {args.shared / 'eval' / 'score.py'}")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(ROOT / "training" / "quote_labels.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):  # every labelled article counts, with or without direct quotes
            gold.setdefault(row["pool_id"], [])
            if row["kind"] == "direct":
                gold[row["pool_id"]].append(row)
    # the path the team's scorer sees: eval/to_jsonl.py, then `framewatch extract`'s reader and pipeline
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pool.jsonl"
        subprocess.run([sys.executable, str(args.shared / "eval" / "to_jsonl.py"),
                        str(args.shared / "corpus" / "pool"), str(src)], check=True, capture_output=True)
        out = io.StringIO()
        extract_to_jsonl([src], out)
    preds = {o["id"]: o for o in map(json.loads, out.getvalue().splitlines())}
    tp = n_gold = n_pred = right = 0
    for pid in sorted(gold):
        pred = [q for q in preds[pid].get("quotes") or []
                if q.get("kind", "direct") == "direct" and len(scorer.words(q["text"])) >= 4]
        pairs = scorer.greedy(gold[pid], pred, lambda g, p: scorer.overlap(g["text"], p["text"]))
        tp, n_gold, n_pred = tp + len(pairs), n_gold + len(gold[pid]), n_pred + len(pred)
        right += sum(bool(g["speaker"]) and scorer.same_person(g["speaker"], p.get("speaker"))
                     or (not g["speaker"] and not p.get("speaker")) for g, p in pairs)
        if args.explain:
            hit_g, hit_p = {id(g) for g, _ in pairs}, {id(p) for _, p in pairs}
            for g in gold[pid]:
                if id(g) not in hit_g:
                    print(f"{pid} missed: {g['text'][:80]!r} ({g['speaker']})")
            for p in pred:
                if id(p) not in hit_p:
                    print(f"{pid} extra: {p['text'][:80]!r} ({p.get('speaker')})")
    precision, recall = tp / max(1, n_pred), tp / max(1, n_gold)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    cmd = "python benchmarks/pool_quotes.py " + " ".join(sys.argv[1:])
    print(f"direct quotes: gold {n_gold}, found {n_pred}, matched {tp}: P {precision:.3f} R {recall:.3f} "
          f"F1 {f1:.3f}   [{cmd}]")
    print(f"speaker of matched direct quotes (in-sample: the shipped ranker trained on these labels): "
          f"{right / max(1, tp):.3f}   [{cmd}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
