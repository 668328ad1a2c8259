"""Stance on the dev set, through the team's scorer, beside the majority-class and VADER baselines.

    python benchmarks/stance_accuracy.py ../shared [--stance-model PATH]

SHARED is the team's shared folder (corpus/dev, eval/score.py, eval/to_jsonl.py). The full
pipeline runs once; the baselines replace its stance labels with the majority class of the
training data, or with VADER sentiment of the quote (and of the article's lead). Also prints the
cross-validated scores recorded in the bundled models' cards. One line per figure.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from framewatch import pipeline
from framewatch.models import model_card
from framewatch.models.component import LEAD_CHARS, default_model_path
from framewatch.models.train import vader_baseline

ROOT = Path(__file__).resolve().parent.parent


def run_scorer(shared: Path, preds: list[dict], tmp: Path, name: str) -> dict:
    path = tmp / f"{name}.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    res = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(shared / "corpus" / "dev"), str(path),
                          "--json"], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path)
    ap.add_argument("--stance-model", default=None)
    args = ap.parse_args()
    cmd = "python benchmarks/stance_accuracy.py " + " ".join(sys.argv[1:])
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        dev = tmp / "dev.jsonl"
        subprocess.run([sys.executable, str(args.shared / "eval" / "to_jsonl.py"), str(args.shared / "corpus" / "dev"),
                        str(dev)], check=True)
        out = io.StringIO()
        pipeline.extract_to_jsonl([dev], out, models={"stance_model": args.stance_model})
        preds = [json.loads(line) for line in out.getvalue().splitlines()]
        texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in dev.read_text().splitlines()}
        train = pd.read_csv(ROOT / "training" / "stance_quotes.csv", keep_default_na=False)
        arts = pd.read_csv(ROOT / "training" / "article_labels.csv", keep_default_na=False)
        maj_q, maj_a = train["label"].mode()[0], arts["stance"].mode()[0]
        majority = [{**p, "quotes": [{**q, "stance": maj_q} for q in p["quotes"]], "stance": maj_a} for p in preds]
        vader = []
        for p in preds:
            labels = vader_baseline([q["text"] for q in p["quotes"]]) if p["quotes"] else []
            [art] = vader_baseline([texts[p["id"]][:LEAD_CHARS]])
            vader.append({**p, "quotes": [{**q, "stance": lab} for q, lab in zip(p["quotes"], labels)], "stance": art})
        runs = [("framewatch", preds), ("majority", majority), ("vader", vader)]
        rows = {name: run_scorer(args.shared, ps, tmp, name.replace(" ", "_")) for name, ps in runs}
    for name, r in rows.items():
        print(f"{name:11} quote stance macro-F1 {r['quote_stance_macro_f1']:.3f} (acc {r['quote_stance_accuracy']:.3f}, "
              f"n={r['quote_stance_n']})   article stance macro-F1 {r['article_stance_macro_f1']:.3f} "
              f"(acc {r['article_stance_accuracy']:.3f}, n={r['article_stance_n']})   [{cmd}]")
    for key in ("stance_model", "article_model", "frames_model"):
        card = model_card(default_model_path(key))
        if card:
            print(f"{key:17} cross-validated on training data: {card.get('cross_validation')}   [{cmd}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
