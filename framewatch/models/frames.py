"""Framing: multi-label classification of sentences into the Media Frames Corpus dimensions
(as used in SemEval-2023 Task 3), aggregated to articles with the sentences as evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils.validation import check_is_fitted

from framewatch.models.stance import _drop_stop_words

FRAMES = (
    "economic", "capacity_and_resources", "morality", "fairness_and_equality",
    "legality_constitutionality_and_jurisprudence", "policy_prescription_and_evaluation",
    "crime_and_punishment", "security_and_defense", "health_and_safety", "quality_of_life",
    "cultural_identity", "public_opinion", "political", "external_regulation_and_reputation",
)


def split_labels(value: Any) -> list[str]:
    """`"economic;political"` or a list -> a list of known frame names (unknown names refused)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(";")
    out = [str(v).strip() for v in items if str(v).strip()]
    unknown = [v for v in out if v not in FRAMES]
    if unknown:
        raise ValueError(f"unknown frame(s) {unknown}; known frames: {', '.join(FRAMES)}")
    return out


@dataclass(frozen=True, slots=True)
class FrameScore:
    """One frame of one article: its score and the sentences that carry it (text, start, end, score)."""

    frame: str
    score: float
    evidence: tuple[tuple[str, int, int, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"frame": self.frame, "score": round(self.score, 3),
                "evidence": [{"text": t, "start": s, "end": e, "score": round(p, 3)} for t, s, e, p in self.evidence]}


class FrameClassifier(ClassifierMixin, BaseEstimator):
    """One-vs-rest logistic regression over word and character TF-IDF of sentences.

    `fit(sentences, labels)` takes label lists (or `;`-separated strings); `predict_proba`
    returns an (n, 14) array in `FRAMES` order; `predict` the frames above `threshold`.
    """

    def __init__(self, *, C: float = 4.0, threshold: float = 0.5, class_weight: str | None = "balanced") -> None:
        self.C = C
        self.threshold = threshold
        self.class_weight = class_weight

    def _features(self, texts: Sequence[str], fit: bool) -> sp.csr_matrix:
        texts = [t if isinstance(t, str) else "" for t in texts]
        if fit:
            self.word_ = _drop_stop_words(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                                                          max_features=20000).fit(texts))
            try:
                self.char_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                                             max_features=20000).fit(texts)
            except ValueError:  # tiny training sets: no n-gram occurs twice
                self.char_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(texts)
            _drop_stop_words(self.char_)
        return sp.hstack([self.word_.transform(texts), self.char_.transform(texts)]).tocsr()

    def fit(self, X: Sequence[str], y: Iterable[Any]) -> FrameClassifier:
        X = list(X)
        labels = [split_labels(v) for v in y]
        self.binarizer_ = MultiLabelBinarizer(classes=list(FRAMES)).fit(labels)
        Y = self.binarizer_.transform(labels)
        feats = self._features(X, fit=True)
        # a frame never seen positive (or never negative) gets a constant model
        self.models_: list[Any] = []
        for j in range(Y.shape[1]):
            col = Y[:, j]
            if col.min() == col.max():
                self.models_.append(float(col[0]) if len(col) else 0.0)
            else:
                self.models_.append(LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000)
                                    .fit(feats, col))
        self.classes_ = np.array(FRAMES)
        self.n_features_in_ = 1
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "models_")
        feats = self._features(list(X), fit=False)
        cols = [np.full(feats.shape[0], m) if isinstance(m, float) else m.predict_proba(feats)[:, 1]
                for m in self.models_]
        return np.column_stack(cols) if cols else np.zeros((feats.shape[0], 0))

    def predict(self, X: Sequence[str]) -> list[list[str]]:
        proba = self.predict_proba(X)
        return [[FRAMES[j] for j in np.flatnonzero(row >= self.threshold)] for row in proba]

    def article_frames(self, sentences: Sequence[tuple[str, int, int]], *, top: int = 3) -> list[FrameScore]:
        """Frames of an article from its sentences `(text, start, end)`: score = the strongest
        sentence's probability; evidence = up to `top` sentences above `threshold`."""
        return self.article_frames_batch([sentences], top=top)[0]

    def article_frames_batch(self, articles: Sequence[Sequence[tuple[str, int, int]]], *,
                             top: int = 3) -> list[list[FrameScore]]:
        """`article_frames` for many articles, with one `predict_proba` over all their sentences."""
        flat = [s[0] for sentences in articles for s in sentences]
        proba = self.predict_proba(flat) if flat else np.zeros((0, len(FRAMES)))
        out, start = [], 0
        for sentences in articles:
            out.append(self._frames_of(sentences, proba[start:start + len(sentences)], top))
            start += len(sentences)
        return out

    def _frames_of(self, sentences: Sequence[tuple[str, int, int]], proba: np.ndarray, top: int) -> list[FrameScore]:
        if not sentences:
            return []
        out = []
        for j, frame in enumerate(FRAMES):
            col = proba[:, j]
            best = float(col.max())
            if best < self.threshold:
                continue
            order = [i for i in np.argsort(-col)[:top] if col[i] >= self.threshold]
            out.append(FrameScore(frame, best, tuple((sentences[i][0], sentences[i][1], sentences[i][2], float(col[i]))
                                                    for i in order)))
        return sorted(out, key=lambda f: -f.score)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.target_tags.multi_output = True
        return tags


def frames_frame(scores: Sequence[FrameScore], article_id: str) -> pd.DataFrame:
    """Tidy rows: one per (article, frame, evidence sentence)."""
    rows = [{"article_id": article_id, "frame": f.frame, "score": f.score, "sentence": t, "start": s, "end": e,
             "sentence_score": p} for f in scores for t, s, e, p in (f.evidence or (("", -1, -1, f.score),))]
    return pd.DataFrame(rows, columns=["article_id", "frame", "score", "sentence", "start", "end", "sentence_score"])
