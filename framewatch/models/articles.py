"""Article stance: the reporter's framing toward the deal, from the lead and from whose quotes carry
which stance.

The gold guideline judges an article by "the headline, emphasis, whose voices". The lead alone is
a weak signal on a few hundred labelled articles, so `ArticleStanceClassifier` stacks two views:

1. a TF-IDF stance model over the headline and lead (`TfidfStanceClassifier`), whose
   out-of-fold probabilities are the first features;
2. `quote_features`: what the article's quotes and claims say, as predicted by the quote model
   (mean and strongest support and oppose, the share of each label, the share of government
   voices and what the other voices say).

A logistic regression combines them. `X` is a DataFrame with `text` (headline and lead),
`target` (the deal) and the `QUOTE_FEATURES` columns; `article_frame` builds one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
_ORDER = ("support", "oppose", "neutral")


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


def article_frame(lead: str, target: str, scores: Sequence[Mapping[str, float]], voices: Sequence[str]) -> pd.DataFrame:
    """One row of `ArticleStanceClassifier` input."""
    return pd.DataFrame([{"text": lead, "target": target, "context": "", **quote_features(scores, voices)}])


class ArticleStanceClassifier(ClassifierMixin, BaseEstimator):
    """Stacked article stance classifier (see the module docstring).

    `folds` sets the inner cross-validation that gives the lead model's out-of-fold
    probabilities at fit time, so the combiner learns how far to trust it on unseen articles.
    `balance` softens balanced class weights (weight = balanced weight ** balance): neutral
    articles are the majority, and fully balanced weights make the model take sides too often.
    The defaults (C=3, balance=0.75) are within the cross-validation interval of the best setting
    of a grid over both (MODEL_CARD.md).
    """

    def __init__(self, *, C: float = 3.0, class_weight: str | dict[str, float] | None = "balanced", balance: float = 0.75,
                 lead_C: float = 4.0, max_features: int = 10000, folds: int = 5, max_iter: int = 3000) -> None:
        self.C = C
        self.class_weight = class_weight
        self.balance = balance
        self.lead_C = lead_C
        self.max_features = max_features
        self.folds = folds
        self.max_iter = max_iter

    def _frame(self, X: Any) -> tuple[pd.DataFrame, np.ndarray]:
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame({"text": list(X)})
        numeric = np.column_stack([pd.to_numeric(X[c], errors="coerce").fillna(0.0).to_numpy(dtype=float)
                                   if c in X.columns else np.zeros(len(X)) for c in QUOTE_FEATURES]) \
            if len(X) else np.zeros((0, len(QUOTE_FEATURES)))
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


__all__ = ["QUOTE_FEATURES", "ArticleStanceClassifier", "article_frame", "quote_features"]
