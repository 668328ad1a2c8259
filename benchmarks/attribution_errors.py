"""Every out-of-fold speaker error of the attribution ranker, for reading and counting.

    python benchmarks/attribution_errors.py ../shared/corpus/pool --out /tmp/attr_errors.csv
        [--labels CSV ...] [--seed N] [--seeds N] [--estimator gbm|logistic]

Runs the grouped 5-fold cross-validation of `framewatch.nlp.attribution.train.cross_validate`
(the same labels, articles and fold assignment: articles in id order, or shuffled by `--seed`),
and writes one row per matched quote whose speaker the ranker got wrong, scored by a ranker that
never saw its article: article id, kind, quote text (120 characters), gold speaker and type, the
predicted speaker and type, whether the gold speaker was among the candidates, the rules' speaker,
a coarse error class and about 200 characters of text before the quote. `--out` ending in `.md`
writes a markdown table, else CSV. Prints accuracy and error counts by kind and by class.

`--seeds N` also repeats the grouped 5-fold over N shuffled fold assignments (as
`train_attribution.py --seeds N`, without leave-one-deal-out) and prints mean and sd overall and
by kind: the quick way to measure a change.

Reads the pool articles given (not part of the project) and the bundled open texts; never the dev
set.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framewatch.nlp import load  # noqa: E402
from framewatch.nlp.attribution import attribute  # noqa: E402
from framewatch.nlp.attribution.candidates import candidates  # noqa: E402
from framewatch.nlp.attribution.names import same_speaker  # noqa: E402
from framewatch.nlp.attribution.train import (_positive, build_examples, cross_validate, fit,  # noqa: E402
                                              merge_labels, read_quote_labels)
from train_attribution import DEFAULT_LABELS, _mean_sd, labelled_articles  # noqa: E402  (benchmarks/)

CLASSES = ("gold none, we gave one", "gold speaker, we gave none", "gold organisation/body",
           "gold anonymous/described", "gold person, we picked another person",
           "gold person, we picked a body or description")
FIELDS = ("article", "kind", "quote", "gold_speaker", "gold_type", "predicted", "predicted_type",
          "gold_in_candidates", "n_candidates", "rule_speaker", "error_class", "context_before")


def error_class(gold_speaker: str, gold_type: str, pred: str | None, pred_type: str | None) -> str:
    if not gold_speaker:
        return CLASSES[0]
    if not pred:
        return CLASSES[1]
    if gold_type in {"organisation", "media"}:
        return CLASSES[2]
    if gold_type == "anonymous":
        return CLASSES[3]
    if pred_type == "person":
        return CLASSES[4]
    return CLASSES[5]


def folds_of(examples, folds: int = 5, seed: int | None = None) -> dict[str, int]:
    """Article id -> fold, as `cross_validate(by="article")` assigns them."""
    order = sorted({ex.article_id for ex in examples})
    if seed is not None:
        random.Random(seed).shuffle(order)
    return {k: i % folds for i, k in enumerate(order)}


def errors(examples, params: dict, seed: int | None = None) -> tuple[list[dict], Counter, Counter]:
    fold_of = folds_of(examples, seed=seed)
    rows: list[dict] = []
    right: Counter = Counter()
    total: Counter = Counter()
    for fold in sorted(set(fold_of.values())):
        train = [ex for ex in examples if fold_of[ex.article_id] != fold]
        test = [ex for ex in examples if fold_of[ex.article_id] == fold]
        ranker = fit(train, **params)
        for ex in test:
            picked = attribute(ex.dm.ctx, ex.quotes, ranker, dm=ex.dm)
            previous = None
            for q, p, g in zip(ex.quotes, picked, ex.gold):
                rule = (q.speaker, q.speaker_type or "organisation") if q.speaker else None
                cands = candidates(ex.dm, q.start, q.end, rule=rule, previous=previous)
                if p.speaker:
                    previous = (p.speaker, p.speaker_type or "person")
                if g is None:
                    continue
                total[q.kind] += 1
                ok = (bool(g.speaker) and same_speaker(g.speaker, p.speaker)) or (not g.speaker and not p.speaker)
                if ok:
                    right[q.kind] += 1
                    continue
                text = ex.dm.text
                rows.append({
                    "article": ex.article_id, "kind": q.kind, "quote": q.text[:120].replace("\n", " "),
                    "gold_speaker": g.speaker, "gold_type": g.speaker_type,
                    "predicted": p.speaker or "", "predicted_type": p.speaker_type or "",
                    "gold_in_candidates": any(_positive(c, g) for c in cands),
                    "n_candidates": len(cands), "rule_speaker": q.speaker or "",
                    "error_class": error_class(g.speaker, g.speaker_type, p.speaker, p.speaker_type),
                    "context_before": text[max(0, q.start - 200):q.start].replace("\n", " / "),
                })
    return rows, right, total


def write(rows: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".md":
        def cell(v: object) -> str:
            return str(v).replace("|", "\\|")
        lines = ["| " + " | ".join(FIELDS) + " |", "|" + "---|" * len(FIELDS)]
        lines += ["| " + " | ".join(cell(r[f]) for f in FIELDS) + " |" for r in rows]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool", type=Path)
    ap.add_argument("--out", type=Path, required=True, help="CSV, or markdown where it ends in .md")
    ap.add_argument("--labels", type=Path, nargs="+", default=DEFAULT_LABELS)
    ap.add_argument("--estimator", default="gbm", choices=["gbm", "logistic"])
    ap.add_argument("--seed", type=int, default=None, help="shuffle the fold assignment (default: id order)")
    ap.add_argument("--seeds", type=int, default=0, help="also report mean/sd over N shuffled assignments")
    args = ap.parse_args()
    if "dev" in args.pool.resolve().parts:
        ap.error("the dev set is not for training or error analysis")

    labels = merge_labels(*(read_quote_labels(p) for p in args.labels if p.exists()))
    articles = labelled_articles(args.pool)
    t0 = time.time()
    nlp = load(exclude=["framewatch_stance", "framewatch_claims"])
    examples = build_examples(nlp, articles, labels)
    print(f"{len(examples)} articles parsed in {time.time() - t0:.0f} s")
    params = {"estimator": args.estimator}

    rows, right, total = errors(examples, params, seed=args.seed)
    write(rows, args.out)
    n_ok, n = sum(right.values()), sum(total.values())
    print(f"grouped 5-fold (seed {args.seed}): accuracy {n_ok / max(1, n):.3f} of {n}; {len(rows)} errors -> {args.out}")
    for kind in sorted(total):
        print(f"  {kind:8} {right[kind] / total[kind]:.3f} of {total[kind]:4}  errors {total[kind] - right[kind]}")
    print("errors by class (all kinds | direct | partial | indirect; gold not among candidates):")
    for cls in CLASSES:
        sel = [r for r in rows if r["error_class"] == cls]
        by = Counter(r["kind"] for r in sel)
        missing = sum(not r["gold_in_candidates"] for r in sel)
        print(f"  {cls:46} {len(sel):4} | {by['direct']:3} | {by['partial']:3} | {by['indirect']:3}; missing {missing}")

    if args.seeds:
        runs: dict[str, list[float]] = {}
        for k in range(args.seeds):
            cv = cross_validate(examples, by="article", seed=k, **params)
            runs.setdefault("all", []).append(cv["model"])
            for kind, v in cv["by_kind"].items():
                runs.setdefault(kind, []).append(v["model"])
        for kind, xs in runs.items():
            m, s = _mean_sd(xs)
            print(f"seeds {args.seeds} {kind:8}: mean {m:.3f}, sd {s:.3f} {xs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
