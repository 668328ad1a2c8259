"""The attribution ranker: a scikit-learn estimator that scores (quote, candidate) pairs.

`SpeakerRanker` follows scikit-learn's conventions: `fit(X, y, groups)` on feature dicts (one
per candidate; `y` 1 for the right speaker; `groups` the quote each row belongs to),
`predict_proba(X)`, and `rank(rows)` for the candidates of one quote. It wraps a
`DictVectorizer` and a gradient-boosted classifier (`HistGradientBoostingClassifier`), or a
logistic regression with `estimator="logistic"`; `benchmarks/train_attribution.py` measures both.

The shipped model (`data/attribution.skops`, card `data/attribution.json`, MODEL_CARD in
`framewatch/nlp/ATTRIBUTION_MODEL.md`) is trained on the pool labels `training/quote_labels.csv`
only, never on the dev set. `load_ranker(path)` loads it or a user's own, trusting no types
outside scikit-learn, numpy, scipy and this module.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import DictVectorizer

from framewatch.errors import FramewatchError

__all__ = ["SpeakerRanker", "load_ranker", "save_ranker", "default_ranker_path"]

DEFAULT_MODEL = "attribution.skops"


class SpeakerRanker(ClassifierMixin, BaseEstimator):
    """Scores candidate speakers; the best-scored candidate of a quote is its speaker.

    estimator: "gbm" (HistGradientBoostingClassifier) or "logistic" (LogisticRegression);
    exclude: feature names the model does not read (for ablations, e.g. ("rule", "rule_conf")).
    """

    def __init__(self, estimator: str = "gbm", max_iter: int = 200, learning_rate: float = 0.08,
                 max_leaf_nodes: int = 15, l2_regularization: float = 1.0, C: float = 1.0,
                 exclude: tuple[str, ...] = (), random_state: int = 0) -> None:
        self.estimator = estimator
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.C = C
        self.exclude = exclude
        self.random_state = random_state

    def _make(self) -> Any:
        if self.estimator == "gbm":
            from sklearn.ensemble import HistGradientBoostingClassifier

            return HistGradientBoostingClassifier(
                max_iter=self.max_iter, learning_rate=self.learning_rate,
                max_leaf_nodes=self.max_leaf_nodes, l2_regularization=self.l2_regularization,
                random_state=self.random_state)
        if self.estimator == "logistic":
            from sklearn.linear_model import LogisticRegression
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler

            return make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=2000))
        raise ValueError(f"estimator must be 'gbm' or 'logistic', not {self.estimator!r}")

    def fit(self, X: Sequence[dict[str, Any]], y: Sequence[int], groups: Sequence[Any] | None = None
            ) -> SpeakerRanker:
        """Fit on candidate rows `X` with labels `y` (1: the right speaker). `groups` is accepted
        for grouped cross-validation and is not used by the fit itself."""
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
        if len(set(int(v) for v in y)) < 2:
            raise ValueError("y needs both right (1) and wrong (0) candidates")
        self.vectorizer_ = DictVectorizer(sparse=False)
        matrix = self.vectorizer_.fit_transform(self._rows(X))
        self.model_ = self._make().fit(matrix, np.asarray(y, dtype=int))
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = matrix.shape[1]
        return self

    def predict_proba(self, X: Sequence[dict[str, Any]]) -> np.ndarray:
        """[P(wrong), P(right)] for each candidate row."""
        if not len(X):
            return np.zeros((0, 2))
        return self.model_.predict_proba(self.vectorizer_.transform(self._rows(X)))

    def _rows(self, X: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        if not self.exclude:
            return list(X)
        drop = set(self.exclude)
        return [{k: v for k, v in row.items() if k not in drop} for row in X]

    def _dense(self, rows: list[dict[str, Any]]) -> np.ndarray:
        """`vectorizer_.transform(rows)` as a dense array, for a quote's few rows: one dict lookup a
        feature instead of scikit-learn's sparse assembly (a third of a millisecond a quote).
        Values that are not strings or numbers go through the vectorizer itself."""
        vec = self.vectorizer_
        vocab, sep = vec.vocabulary_, vec.separator
        X = np.zeros((len(rows), len(vocab)))
        for i, row in enumerate(rows):
            for k, v in row.items():
                if isinstance(v, str):
                    j = vocab.get(f"{k}{sep}{v}")
                    if j is not None:
                        X[i, j] = 1.0
                elif isinstance(v, (int, float, np.number)):
                    j = vocab.get(k)
                    if j is not None:
                        X[i, j] = v
                else:
                    out = vec.transform(rows)
                    return out.toarray() if hasattr(out, "toarray") else np.asarray(out)
        return X

    def predict(self, X: Sequence[dict[str, Any]]) -> np.ndarray:
        """1 where a candidate is more likely right than wrong."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def rank(self, rows: Sequence[dict[str, Any]]) -> tuple[int, float]:
        """(index of the best candidate, its probability) among one quote's candidate rows.
        Gradient boosting is scored through a flattened copy of its trees (`_FlatTrees`): the
        same probabilities, without scikit-learn's per-tree overhead on a handful of rows."""
        if not rows:
            return -1, 0.0
        flat = _flat_trees(self.model_)
        if flat is not None:
            p = flat.proba(self._dense(self._rows(rows)))
        else:
            p = self.predict_proba(rows)[:, 1]
        best = int(np.argmax(p))
        return best, float(p[best])


class _FlatTrees:
    """A fitted binary `HistGradientBoostingClassifier` (numeric features) as flat node arrays,
    traversed for all trees and rows at once. scikit-learn scores one tree at a time, which
    costs about 3 ms a call for 200 trees whatever the rows; ranking a quote's few candidates
    needs a fraction of that."""

    def __init__(self, model: Any) -> None:
        trees = [p[0].nodes for p in model._predictors]
        sizes = np.array([len(t) for t in trees])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        nodes = np.concatenate(trees)
        shift = np.repeat(offsets, sizes)
        self.roots = offsets.astype(np.int64)
        self.feature = nodes["feature_idx"].astype(np.int64)
        self.threshold = nodes["num_threshold"].astype(np.float64)
        self.missing_left = nodes["missing_go_to_left"].astype(bool)
        self.left = (nodes["left"].astype(np.int64) + shift)
        self.right = (nodes["right"].astype(np.int64) + shift)
        self.leaf = nodes["is_leaf"].astype(bool)
        self.value = nodes["value"].astype(np.float64)
        self.depth = int(nodes["depth"].max())
        self.baseline = float(np.ravel(model._baseline_prediction)[0])

    def proba(self, X: np.ndarray) -> np.ndarray:
        """P(class 1) for each row of `X`."""
        X = np.asarray(X, dtype=np.float64)
        node = np.broadcast_to(self.roots[:, None], (len(self.roots), len(X))).copy()
        cols = np.broadcast_to(np.arange(len(X))[None, :], node.shape)
        for _ in range(self.depth):
            inner = ~self.leaf[node]
            if not inner.any():
                break
            x = X[cols, self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        raw = self.baseline + self.value[node].sum(axis=0)
        return 1.0 / (1.0 + np.exp(-raw))


_FLAT: dict[int, tuple[Any, _FlatTrees | None]] = {}


def _flat_trees(model: Any) -> _FlatTrees | None:
    """The flattened trees of `model` (cached by identity), or None for other estimators."""
    hit = _FLAT.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1]
    flat = None
    if (type(model).__name__ == "HistGradientBoostingClassifier" and getattr(model, "n_trees_per_iteration_", 0) == 1
            and getattr(model, "is_categorical_", None) is None):
        flat = _FlatTrees(model)
    _FLAT[id(model)] = (model, flat)
    return flat


def default_ranker_path() -> Path:
    """The shipped model's path inside the package."""
    return Path(str(resources.files("framewatch.nlp") / "data" / DEFAULT_MODEL))


def save_ranker(model: SpeakerRanker, path: str | Path, *, card: dict[str, Any] | None = None) -> Path:
    """Write `model` to `path` (skops, never pickle) and its card to `path.with_suffix('.json')`."""
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    if card is not None:
        path.with_suffix(".json").write_text(json.dumps(card, indent=1, default=str) + "\n",
                                             encoding="utf-8")
    return path


_TRUSTED = ("framewatch.nlp.attribution.", "sklearn.", "numpy.", "scipy.", "builtins.")


@cache
def load_ranker(path: str | None = None) -> SpeakerRanker | None:
    """The ranker at `path` (default: the shipped one); None when the default is missing, so the
    rules decide alone. A user's path that does not load is an error."""
    import skops.io as sio

    target = Path(path) if path else default_ranker_path()
    if not target.exists():
        if path:
            raise FramewatchError(f"no attribution model at {target}: train one with "
                                  f"`framewatch train LABELS.csv --task attribution --articles DIR -o {target}`")
        return None
    try:
        untrusted = sio.get_untrusted_types(file=target)
    except Exception as exc:
        raise FramewatchError(f"{target} is not a skops model file: {exc}") from None
    foreign = [t for t in untrusted if not t.startswith(_TRUSTED)]
    if foreign:
        raise FramewatchError(f"refusing to load {target}: it holds types Framewatch does not trust: {foreign}")
    model = sio.load(target, trusted=untrusted)
    if not isinstance(model, SpeakerRanker):
        raise FramewatchError(f"{target} holds a {type(model).__name__}, not an attribution model")
    return model
