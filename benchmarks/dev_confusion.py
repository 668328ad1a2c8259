"""Confusion matrices of quote and article stance on dev, through the shared scorer's own matching.

    python benchmarks/dev_confusion.py SHARED_DIR PRED.jsonl

SHARED_DIR holds eval/score.py and corpus/dev; PRED.jsonl is `framewatch extract` output for
`eval/to_jsonl.py`'s dev input. The scorer pairs gold and predicted quotes as it does for its
macro-F1; this script records those pairs and counts them (gold rows, predicted columns).
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

LABELS = ["support", "oppose", "neutral"]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    shared, pred = Path(sys.argv[1]), Path(sys.argv[2])
    spec = importlib.util.spec_from_file_location("fw_score", shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"no scorer at {shared / 'eval' / 'score.py'}")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    seen: list[list[tuple[str, str]]] = []
    macro = scorer.macro_f1
    scorer.macro_f1 = lambda pairs: (seen.append(list(pairs)), macro(pairs))[1]
    scorer.score(shared / "corpus" / "dev", pred)
    for name, pairs in zip(("quote stance", "article stance"), seen):
        counts = Counter(pairs)
        cols = LABELS + (["none"] if any(p == "none" for _, p in pairs) else [])
        print(f"\n{name}, n={len(pairs)} (gold rows, predicted columns)\n")
        print("| gold \\ predicted | " + " | ".join(cols) + " |")
        print("| --- " * (len(cols) + 1) + "|")
        for g in LABELS:
            print(f"| {g} ({sum(c for (a, _), c in counts.items() if a == g)}) | "
                  + " | ".join(str(counts[(g, p)]) for p in cols) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
