"""Train the stance and framing models shipped in `framewatch/models/data/`, with cross-validation.

    python benchmarks/train_models.py ../shared/corpus/pool [--kind tfidf|embedding] [--no-save]

Reads the labelled spans in `training/` (see training/DATASHEET.md). The quote model trains on
`training/stance_quotes.csv` alone; the article model reads each labelled article's headline and
lead from POOL_DIR (the team's unlabelled pool, not part of the project), since the articles
themselves are not redistributed. Cross-validation is grouped by article, so quotes of one
article never sit on both sides of a split. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

from framewatch.models import EmbeddingStanceClassifier, FrameClassifier, TfidfStanceClassifier, cross_validate, save_model
from framewatch.models.stance import HybridStanceClassifier
from framewatch.nlp import extract, load
from framewatch.nlp.voices import voice_of
from framewatch.models.component import LEAD_CHARS, default_model_path
from framewatch.models.frames import split_labels

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "training"


def quote_data(pool: Path) -> pd.DataFrame:
    """The labelled quotes, with each speaker's voice category computed as at prediction time:
    from the roles the people stage finds for that speaker in the source article."""
    df = pd.read_csv(TRAINING / "stance_quotes.csv", keep_default_na=False)
    df = df.assign(context=df["context"].where(df["context"] != "", df["text"]))
    nlp = load()
    ids = sorted(set(df["pool_id"]))
    texts = {i: json.loads((pool / f"{i}.json").read_text(encoding="utf-8"))["text"] for i in ids}
    people = {ex.id: [(p.name, list(p.roles)) for p in ex.people]
              for ex in extract(nlp, [(texts[i], {"id": i, "language": "en"}) for i in ids])}

    def roles(pid: str, speaker: str) -> list[str]:
        last = speaker.split()[-1].lower() if speaker.split() else ""
        return next((r for name, r in people.get(pid, []) if name.split()[-1].lower() == last), [])

    return df.assign(voice=[voice_of(s, roles=roles(p, s)) for p, s in zip(df["pool_id"], df["speaker"])])


def article_data(pool: Path) -> pd.DataFrame:
    labels = pd.read_csv(TRAINING / "article_labels.csv", keep_default_na=False)
    texts = []
    for pid in labels["pool_id"]:
        texts.append(json.loads((pool / f"{pid}.json").read_text(encoding="utf-8"))["text"][:LEAD_CHARS])
    return pd.DataFrame({"text": texts, "target": labels["deal"], "label": labels["stance"], "context": "",
                         "group": labels["pool_id"]})


def make(kind: str):  # type: ignore[no-untyped-def]
    return {"tfidf": TfidfStanceClassifier, "embedding": EmbeddingStanceClassifier, "hybrid": HybridStanceClassifier}[kind]()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path)
    ap.add_argument("--kind", choices=["tfidf", "embedding", "hybrid"], default="hybrid", help="the quote stance model family")
    ap.add_argument("--article-kind", choices=["tfidf", "embedding", "hybrid"], default="tfidf")
    ap.add_argument("--no-save", action="store_true", help="measure only; do not overwrite the bundled models")
    args = ap.parse_args()
    cmd = "python benchmarks/train_models.py " + " ".join(sys.argv[1:])
    trained_on = time.strftime("%Y-%m-%d")

    quotes = quote_data(args.pool_dir)
    cv = cross_validate(make(args.kind), quotes, groups=quotes["pool_id"].tolist())
    print(f"quote stance CV ({args.kind}, grouped by article)  {cv}   [{cmd}]")
    articles = article_data(args.pool_dir)
    # article leads are long: fewer features keep the shipped model small without changing its score
    make_article = lambda: make(args.article_kind).set_params(max_features=10000)  # noqa: E731
    cv_a = cross_validate(make_article(), articles, groups=articles["group"].tolist())
    print(f"article stance CV ({args.article_kind}, grouped)          {cv_a}   [{cmd}]")
    frames = pd.read_csv(TRAINING / "frame_sentences.csv", keep_default_na=False)
    y = [split_labels(v) for v in frames["frames"]]
    fc = FrameClassifier().fit(frames["text"], y)
    # frames: 5-fold micro-F1 over labels
    from sklearn.model_selection import GroupKFold
    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    from framewatch.models.frames import FRAMES

    mlb = MultiLabelBinarizer(classes=list(FRAMES)).fit(y)
    Y = mlb.transform(y)
    pred = Y.copy() * 0
    for tr, te in GroupKFold(n_splits=5).split(frames, groups=frames["pool_id"]):
        m = FrameClassifier().fit(frames["text"].iloc[tr], [y[i] for i in tr])
        pred[te] = mlb.transform(m.predict(frames["text"].iloc[te]))
    micro = f1_score(Y, pred, average="micro", zero_division=0)
    macro = f1_score(Y, pred, average="macro", zero_division=0)
    print(f"frames CV (grouped): micro-F1 {micro:.3f}, macro-F1 {macro:.3f}, n={len(frames)}   [{cmd}]")
    if args.no_save:
        return 0
    q_model = make(args.kind).fit(quotes, quotes["label"])
    a_model = make_article().fit(articles, articles["label"])
    common = {"trained_on": trained_on, "framewatch_training_data": "training/ (see DATASHEET.md)", "kind": args.kind}
    save_model(q_model, default_model_path("stance_model"),
               card={**common, "task": "quote/claim stance toward the deal", "rows": len(quotes),
                     "label_counts": quotes["label"].value_counts().to_dict(), "cross_validation": cv.to_dict()})
    save_model(a_model, default_model_path("article_model"),
               card={**common, "kind": args.article_kind, "task": "article stance (headline and lead)", "rows": len(articles),
                     "label_counts": articles["label"].value_counts().to_dict(), "cross_validation": cv_a.to_dict()})
    save_model(fc, default_model_path("frames_model"),
               card={**common, "task": "sentence frames (multi-label)", "rows": len(frames),
                     "cross_validation": {"micro_f1": round(micro, 3), "macro_f1": round(macro, 3)}})
    print(f"models written to {default_model_path('stance_model').parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
