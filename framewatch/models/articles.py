"""Article stance: the reporter's framing toward the deal, from the lead and from whose quotes carry
which stance.

The gold guideline judges an article by "the headline, emphasis, whose voices". The lead alone is
a weak signal on a few hundred labelled articles, so `ArticleStanceClassifier` stacks three views:

1. a TF-IDF stance model over the headline and lead (`TfidfStanceClassifier`), whose
   out-of-fold probabilities are the first features;
2. `quote_features`: what the article's quotes and claims say, as predicted by the quote model
   (mean and strongest support and oppose, the share of each label, the share of government
   voices and what the other voices say);
3. `lead_features`: the quote model's stance of the headline and first sentences
   (`lead_sentences`), read as the reporter's own claims. The quote model learnt from over 1,500
   labelled spans, so it reads a headline's slant ("Tories dub it 'pathetic'") better than a
   model trained on a few hundred articles.

A logistic regression combines them. `X` is a DataFrame with `text` (headline and lead),
`target` (the deal) and the `FEATURES` columns; `article_frame` builds one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils.validation import check_is_fitted

from framewatch.models.stance import TfidfStanceClassifier, as_frame

QUOTE_FEATURES = ("q_support", "q_oppose", "share_support", "share_oppose", "max_support", "max_oppose",
                  "government_share", "government_support", "others_oppose", "log_items")
LEAD_FEATURES = ("lead_support", "lead_oppose", "lead_max_support", "lead_max_oppose")
FEATURES = QUOTE_FEATURES + LEAD_FEATURES
LEAD_SENTENCES = 2  # the headline and the first sentence: where a reporter's emphasis shows (MODEL_CARD.md)
_ORDER = ("support", "oppose", "neutral")
_WORD = re.compile(r"[^\W\d_]{2,}")


def lead_sentences(sents: Iterable[Any], n: int = LEAD_SENTENCES, *, min_words: int = 5) -> list[tuple[str, int]]:
    """The first `n` sentences of an article (`doc.sents`, or any spans with `text` and
    `start_char`) as `(text, start_char)`, each line of a sentence on its own. Lines of fewer
    than `min_words` words (logos, bylines, datelines) and repeats (a headline printed twice) are
    skipped.
    """
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    for sent in sents:
        offset = 0
        for line in sent.text.split("\n"):
            text = line.strip()
            start = sent.start_char + offset + (len(line) - len(line.lstrip()))
            offset += len(line) + 1
            if len(_WORD.findall(text)) < min_words or text.lower() in seen:
                continue
            seen.add(text.lower())
            out.append((text, start))
            if len(out) >= n:
                return out
    return out


def lead_features(scores: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Features of one article from the quote model's stance probabilities of its lead sentences.

    >>> lead_features([{"support": 0.1, "oppose": 0.7}, {"support": 0.3, "oppose": 0.1}])["lead_max_oppose"]
    0.7
    """
    if not scores:
        return dict.fromkeys(LEAD_FEATURES, 0.0)
    P = np.array([[float(s.get(k, 0.0)) for k in ("support", "oppose")] for s in scores])
    return {"lead_support": float(P[:, 0].mean()), "lead_oppose": float(P[:, 1].mean()),
            "lead_max_support": float(P[:, 0].max()), "lead_max_oppose": float(P[:, 1].max())}


def quote_features(scores: Sequence[Mapping[str, float]], voices: Sequence[str]) -> dict[str, float]:
    """Features of one article from its quotes' and claims' stance probabilities and voices.

    >>> quote_features([{"support": 0.8, "oppose": 0.1, "neutral": 0.1}], ["government"])["q_support"]
    0.8
    """
    if not scores:
        return dict.fromkeys(QUOTE_FEATURES, 0.0)
    P = np.array([[float(s.get(k, 0.0)) for k in _ORDER] for s in scores])
    top = P.argmax(axis=1)
    gov = np.array([v == "government" for v in voices], dtype=bool)
    return {"q_support": float(P[:, 0].mean()), "q_oppose": float(P[:, 1].mean()),
            "share_support": float((top == 0).mean()), "share_oppose": float((top == 1).mean()),
            "max_support": float(P[:, 0].max()), "max_oppose": float(P[:, 1].max()),
            "government_share": float(gov.mean()),
            "government_support": float(P[gov, 0].mean()) if gov.any() else 0.0,
            "others_oppose": float(P[~gov, 1].mean()) if (~gov).any() else 0.0,
            "log_items": float(np.log1p(len(P)))}


def article_frame(lead: str, target: str, scores: Sequence[Mapping[str, float]], voices: Sequence[str],
                  lead_scores: Sequence[Mapping[str, float]] = ()) -> pd.DataFrame:
    """One row of `ArticleStanceClassifier` input: the lead's text, the deal, the quotes' and
    claims' stance probabilities with their voices, and the lead sentences' stance probabilities."""
    return pd.DataFrame([{"text": lead, "target": target, "context": "", **quote_features(scores, voices),
                          **lead_features(lead_scores)}])


class ArticleStanceClassifier(ClassifierMixin, BaseEstimator):
    """Stacked article stance classifier (see the module docstring).

    `folds` sets the inner cross-validation that gives the lead model's out-of-fold
    probabilities at fit time, so the combiner learns how far to trust it on unseen articles.
    `balance` softens balanced class weights (weight = balanced weight ** balance): neutral
    articles are the majority, and fully balanced weights make the model take sides too often.
    The defaults (C=1, balance=0.75) had the best cross-validated score of a grid over both
    (MODEL_CARD.md). `features` are the numeric columns of `X` it reads besides the lead's text.
    """

    def __init__(self, *, C: float = 1.0, class_weight: str | dict[str, float] | None = "balanced", balance: float = 0.75,
                 lead_C: float = 4.0, max_features: int = 10000, folds: int = 5, max_iter: int = 3000,
                 features: Sequence[str] = FEATURES) -> None:
        self.C = C
        self.class_weight = class_weight
        self.balance = balance
        self.lead_C = lead_C
        self.max_features = max_features
        self.folds = folds
        self.max_iter = max_iter
        self.features = features

    def _frame(self, X: Any) -> tuple[pd.DataFrame, np.ndarray]:
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame({"text": list(X)})
        # models saved before `features` existed read the quote features only
        cols = tuple(getattr(self, "features", QUOTE_FEATURES))
        numeric = np.column_stack([pd.to_numeric(X[c], errors="coerce").fillna(0.0).to_numpy(dtype=float)
                                   if c in X.columns else np.zeros(len(X)) for c in cols]) \
            if len(X) else np.zeros((0, len(cols)))
        return as_frame(X), numeric

    def fit(self, X: Any, y: Sequence[str]) -> ArticleStanceClassifier:
        df, numeric = self._frame(X)
        y = np.asarray(y)
        if len(df) != len(y):
            raise ValueError(f"X has {len(df)} rows but y has {len(y)} labels")
        lead = TfidfStanceClassifier(C=self.lead_C, max_features=self.max_features)
        n_splits = min(self.folds, int(np.bincount(np.unique(y, return_inverse=True)[1]).min()))
        if n_splits >= 2:
            cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=0)
            lead_proba = cross_val_predict(clone(lead), df, y, cv=cv, method="predict_proba")
        else:  # a class with a single example: no honest out-of-fold estimate, use the lead model as is
            lead_proba = clone(lead).fit(df, y).predict_proba(df)
        self.lead_ = lead.fit(df, y)
        weights = self.class_weight
        if weights == "balanced":  # scikit-learn's balanced weights, raised to `balance` (1 = fully balanced)
            labels, counts = np.unique(y, return_counts=True)
            weights = {lab: float((len(y) / (len(labels) * n)) ** self.balance) for lab, n in zip(labels, counts)}
        self.model_ = LogisticRegression(C=self.C, class_weight=weights, max_iter=self.max_iter)
        self.model_.fit(np.hstack([lead_proba, numeric]), y)
        self.classes_ = self.model_.classes_
        self.n_features_in_ = 1
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "model_")
        df, numeric = self._frame(X)
        return self.model_.predict_proba(np.hstack([self.lead_.predict_proba(df), numeric]))

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


__all__ = ["FEATURES", "LEAD_FEATURES", "QUOTE_FEATURES", "ArticleStanceClassifier", "article_frame", "lead_features",
           "lead_sentences", "quote_features"]
