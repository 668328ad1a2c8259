"""The speaker's voice in the quote stance models: none, half or full weight, and the guard.

    python benchmarks/voice_guard.py ../shared/corpus/pool [--kind hybrid|tfidf]

Trains each variant once per split (5 folds grouped by article, seed 0; then leave one deal out)
on the quote rows `benchmarks/train_models.py` trains on, and scores it with `voice_guard` None,
0.5, 0.6, 0.7 and 0.8: the guard is applied at prediction time, so one fit serves every value.
Prints one line of macro-F1 per variant, split and guard. Hybrid: about 25 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_models as tm  # noqa: E402

from framewatch.models import score  # noqa: E402
from framewatch.models.stance import HybridStanceClassifier, TfidfStanceClassifier  # noqa: E402

GUARDS = [None, 0.5, 0.6, 0.7, 0.8]
VARIANTS = {"no voice": dict(use_voice=False), "voice 0.5": dict(use_voice=True, voice_weight=0.5),
            "voice 1.0": dict(use_voice=True, voice_weight=1.0)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path)
    ap.add_argument("--kind", choices=["hybrid", "tfidf"], default="hybrid")
    args = ap.parse_args()
    cmd = "python benchmarks/voice_guard.py " + " ".join(sys.argv[1:])
    ids = set(tm.labelled_quotes(args.pool_dir)["pool_id"])
    quotes = tm.quote_data(tm.extract_sources(args.pool_dir, sorted(ids)), args.pool_dir)
    cls = {"tfidf": TfidfStanceClassifier, "hybrid": HybridStanceClassifier}[args.kind]
    deals = pd.read_csv(tm.TRAINING / "article_labels.csv", keep_default_na=False).set_index("pool_id")["deal"]
    deal = quotes["pool_id"].map(deals).fillna("other").to_numpy()
    y = quotes["label"].to_numpy()
    splits = {"grouped 5-fold": list(StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
                                     .split(quotes, y, quotes["pool_id"])),
              "leave one deal out": [(np.flatnonzero(deal != g), np.flatnonzero(deal == g)) for g in sorted(set(deal))]}
    for split, folds in splits.items():
        for name, params in VARIANTS.items():
            guards = GUARDS if params["use_voice"] else [None]
            pred = {g: np.empty(len(y), dtype=object) for g in guards}
            for train, test in folds:
                model = cls(**params).fit(quotes.iloc[train], y[train])
                for g in guards:
                    model.voice_guard = g
                    pred[g][test] = model.predict(quotes.iloc[test])
            for g in guards:
                print(f"{split:18s} {args.kind} {name:9s} guard {g}: {score(list(y), list(pred[g].astype(str)))}   [{cmd}]",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
