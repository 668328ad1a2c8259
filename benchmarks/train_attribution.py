"""Train the speaker-attribution ranker shipped in `framewatch/nlp/data/attribution.skops`, with
cross-validation grouped by article and leave-one-deal-out.

    python benchmarks/train_attribution.py ../shared/corpus/pool [--labels CSV ...]
        [--estimator all|gbm|logistic|gbm-norules|logistic-norules] [--ship logistic] [--no-save] [--output PATH]
        [--seeds N]

Labels default to `training/quote_labels.csv` (every quote of an article, with speaker, type and
mention) then the quote rows of `training/stance_quotes.csv` (chosen quotes of other articles,
speaker as written); an article's labels come from the first file that has it.

Reads the quote labels (spans and offsets only; the articles come from POOL_DIR, which is not part
of the project) and the deals of `training/article_labels.csv`. It never reads the dev set.
Prints one line per figure, JSON at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framewatch.nlp import load  # noqa: E402
from framewatch.nlp.attribution import save_ranker  # noqa: E402
from framewatch.nlp.attribution.model import default_ranker_path  # noqa: E402
from framewatch.nlp.attribution.train import (build_examples, cross_validate, fit,  # noqa: E402
                                              read_quote_labels, merge_labels, rows_of)
from framewatch.nlp.pipeline import clean_text  # noqa: E402

PARAMS = {"gbm": {"estimator": "gbm"}, "logistic": {"estimator": "logistic"},
          "gbm-norules": {"estimator": "gbm", "exclude": ("rule", "rule_conf")},
          "logistic-norules": {"estimator": "logistic", "exclude": ("rule", "rule_conf")}}


DEFAULT_LABELS = [ROOT / "training" / "quote_labels.csv", ROOT / "training" / "quote_labels_open.csv",
                  ROOT / "training" / "stance_quotes.csv"]


def labelled_articles(pool: Path) -> dict[str, str]:
    """The cleaned texts the labels point into: the pool's articles by id, and the bundled openly
    licensed texts as open-NNN."""
    articles = {}
    for p in sorted(pool.glob("*.json")):
        obj = json.loads(p.read_text(encoding="utf-8"))
        articles[obj["id"]] = clean_text(obj["text"])
    for p in sorted((ROOT / "samples" / "open-migration-deals" / "articles").glob("*.json")):
        articles[f"open-{p.stem}"] = clean_text(json.loads(p.read_text(encoding="utf-8"))["text"])
    return articles


def _mean_sd(xs: list[float]) -> tuple[float, float]:
    mean = sum(xs) / len(xs)
    return mean, (sum((x - mean) ** 2 for x in xs) / max(1, len(xs) - 1)) ** 0.5


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool", type=Path)
    ap.add_argument("--labels", type=Path, nargs="+",
                    default=DEFAULT_LABELS,
                    help="quote-label CSVs; an article's labels come from the first file that has it")
    ap.add_argument("--estimator", default="all", choices=[*PARAMS, "all"])
    ap.add_argument("--ship", default="logistic", choices=list(PARAMS), help="which variant to save")
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--seeds", type=int, default=0,
                    help="also repeat the grouped 5-fold split over this many shuffled fold assignments "
                         "and print the mean and standard deviation")
    ap.add_argument("--output", type=Path, default=default_ranker_path())
    args = ap.parse_args()

    labels = merge_labels(*(read_quote_labels(p) for p in args.labels if p.exists()))
    articles = labelled_articles(args.pool)
    deals = {r["pool_id"]: r["deal"] for r in csv.DictReader(open(ROOT / "training" / "article_labels.csv", encoding="utf-8"))}
    t0 = time.time()
    nlp = load(exclude=["framewatch_stance", "framewatch_claims"])
    examples = build_examples(nlp, articles, labels)
    matched = sum(g is not None for ex in examples for g in ex.gold)
    print(f"labels: {len(labels)} quotes in {len(examples)} articles; matched to system quotes: {matched} "
          f"({time.time() - t0:.0f} s to parse)")
    n_rows = n_groups = 0
    for ex in examples:
        X, y, groups = rows_of(ex)
        n_rows += len(X)
        n_groups += len(set(groups))
    print(f"training groups (matched quotes whose speaker is among the candidates): {n_groups} of {matched} "
          f"(candidate recall {n_groups / max(1, matched):.3f}); {n_rows} candidate rows")
    report: dict = {"labels": len(labels), "articles": len(examples), "matched": matched,
                    "candidate_recall": round(n_groups / max(1, matched), 3),
                    "label_deals": dict(Counter(deals.get(ex.article_id, "?") for ex in examples))}
    names = list(PARAMS) if args.estimator == "all" else [args.estimator]
    for name in names:
        t = time.time()
        cv = cross_validate(examples, by="article", **PARAMS[name])
        lodo = cross_validate(examples, by=deals, **PARAMS[name])
        report[name] = {"cv_by_article": cv, "leave_one_deal_out": lodo}
        print(f"{name}: speaker accuracy, 5-fold grouped by article: model {cv['model']} vs rules {cv['rules']} "
              f"({cv['quotes']} quotes); leave-one-deal-out: model {lodo['model']} vs rules {lodo['rules']} "
              f"({time.time() - t:.0f} s)")
        print("    by kind, 5-fold grouped: " + ", ".join(f"{k} {v['model']} of {v['quotes']}" for k, v in cv["by_kind"].items()))
        for deal, f in lodo["folds"].items():
            print(f"    {deal:18} {f['quotes']:4} quotes  model {f['model']}  rules {f['rules']}")
        if args.seeds:
            cvs = [cross_validate(examples, by="article", seed=k, **PARAMS[name]) for k in range(args.seeds)]
            runs = [r["model"] for r in cvs]
            mean, sd = _mean_sd(runs)
            report[name]["cv_by_article_seeds"] = {"runs": runs, "mean": round(mean, 3), "sd": round(sd, 3)}
            print(f"    grouped 5-fold over {len(runs)} shuffled fold assignments: mean {mean:.3f}, sd {sd:.3f} {runs}")
            for kind in ("direct", "partial", "indirect"):
                ks = [r["by_kind"][kind]["model"] for r in cvs if kind in r["by_kind"]]
                if ks:
                    m, s = _mean_sd(ks)
                    n = cvs[0]["by_kind"][kind]["quotes"]
                    report[name]["cv_by_article_seeds"][kind] = {"runs": ks, "mean": round(m, 3), "sd": round(s, 3)}
                    print(f"        {kind:8} {n:4} quotes: mean {m:.3f}, sd {s:.3f} {ks}")
    if not args.no_save:
        ranker = fit(examples, **PARAMS[args.ship])
        card = {"estimator": args.ship, "params": {k: list(v) if isinstance(v, tuple) else v for k, v in PARAMS[args.ship].items()}, "trained_on": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in args.labels],
                "labelled_quotes": len(labels), "matched_quotes": matched, "articles": len(examples),
                "evaluation": {k: v for k, v in report.items() if k in names},
                "candidate_recall": report["candidate_recall"], "never_trained_on": "shared/corpus/dev"}
        save_ranker(ranker, args.output, card=card)
        print(f"saved {args.output}")
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
