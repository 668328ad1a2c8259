"""Evaluation against labelled data: a labels CSV, or a folder of gold articles.

Gold articles follow the team's annotation guideline (one JSON file per article with `text`,
`quotes` (each with `text`, `kind`, `stance`) and `article_stance`). A predicted quote matches a
gold one when at least half the words of each are shared; stance is scored on matched quotes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from framewatch.errors import FramewatchError
from framewatch.models.train import Score, majority_baseline, read_labels, score, vader_baseline


def _words(text: str | None) -> list[str]:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", text)


def same_span(gold: str, pred: str) -> bool:
    """At least half of each text's words are shared (bag of words)."""
    g, p = Counter(_words(gold)), Counter(_words(pred))
    common = sum((g & p).values())
    return bool(g) and bool(p) and common >= 0.5 * sum(g.values()) and common >= 0.5 * sum(p.values())


def evaluate_labels(path: str | Path, model: Any) -> dict[str, Score]:
    """Score `model` on a labels CSV, beside the majority-class and VADER baselines."""
    df = read_labels(path)
    out = {"model": score(df["label"], model.predict(df)),
           "majority": score(df["label"], majority_baseline(df["label"], len(df)))}
    try:
        out["vader"] = score(df["label"], vader_baseline(df["text"].tolist()))
    except FramewatchError:
        pass
    return out


def read_gold(gold_dir: str | Path) -> list[dict[str, Any]]:
    gold_dir = Path(gold_dir)
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise FramewatchError(f"{gold_dir}: no gold *.json files (expected one annotated article per file)")
    out = []
    for p in files:
        try:
            g = json.loads(p.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FramewatchError(f"{p}: malformed gold file: {exc}") from None
        if not isinstance(g, dict) or not isinstance(g.get("text"), str):
            raise FramewatchError(f"{p}: a gold file needs an object with a 'text' field")
        g.setdefault("id", p.stem)
        out.append(g)
    return out


def stance_pairs(golds: Iterable[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> tuple[list, list]:
    """(gold, predicted) stance pairs for matched direct quotes and for articles."""
    quote_pairs, article_pairs = [], []
    for g in golds:
        pred = preds.get(str(g["id"]), {})
        pq = [q for q in pred.get("quotes") or [] if q.get("kind", "direct") == "direct" and len(_words(q.get("text"))) >= 4]
        used: set[int] = set()
        for gq in (q for q in g.get("quotes") or [] if q.get("kind") == "direct" and q.get("stance")):
            for i, q in enumerate(pq):
                if i not in used and same_span(gq["text"], q.get("text") or ""):
                    used.add(i)
                    quote_pairs.append((gq["stance"], str(q.get("stance") or "none")))
                    break
        if g.get("article_stance"):
            st = pred.get("stance")
            label = st.get("label") if isinstance(st, dict) else st
            article_pairs.append((g["article_stance"], str(label or "none")))
    return quote_pairs, article_pairs


def evaluate_gold(gold_dir: str | Path, nlp: Any) -> dict[str, Any]:
    """Run the full pipeline over gold articles and score quote and article stance."""
    from framewatch.nlp import extract

    golds = read_gold(gold_dir)
    items = ((g["text"], {"id": str(g["id"]), "url": g.get("url"), "outlet": g.get("outlet"), "language": "en"})
             for g in golds)
    preds = {ex.id: ex.to_dict() for ex in extract(nlp, items)}
    quote_pairs, article_pairs = stance_pairs(golds, preds)
    return {"quote_stance": score([g for g, _ in quote_pairs], [p for _, p in quote_pairs]),
            "article_stance": score([g for g, _ in article_pairs], [p for _, p in article_pairs]),
            "articles": len(golds)}
