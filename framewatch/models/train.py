"""Training and evaluation: labels in, a fitted model and honest numbers out.

A labels file is a CSV with columns `text`, `target` (the deal label) and `label` (`support`,
`oppose`, `neutral`), and optionally `context`, `voice` and `kind` (as in `framewatch extract`
output). Rows that break these rules are refused with an
error naming the row.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from framewatch.errors import FramewatchError
from framewatch.models.stance import LABELS, decisions

OPTIONAL = ("context", "voice", "kind")  # optional label-file columns (voice and kind as in the extract output)


def read_labels(path: str | Path) -> pd.DataFrame:
    """Read and check a labels CSV; `FramewatchError` names the file, row and problem."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in ("text", "target", "label") if c not in header]
            if missing:
                raise FramewatchError(f"{path}: missing column(s) {', '.join(missing)}; a labels file needs "
                                      "text, target, label (and optionally context)")
            rows = []
            for row in reader:
                line = reader.line_num
                if None in row:
                    raise FramewatchError(f"{path}:{line}: malformed row: more fields than the header")
                text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip().lower()
                if not text:
                    raise FramewatchError(f"{path}:{line}: empty text")
                if label not in LABELS:
                    raise FramewatchError(f"{path}:{line}: label {row.get('label')!r} is not one of {', '.join(LABELS)}")
                rows.append({"text": text, "target": (row.get("target") or "").strip(), "label": label,
                             **{c: (row.get(c) or "").strip() for c in OPTIONAL}})
    except UnicodeDecodeError as exc:
        raise FramewatchError(f"{path}: not UTF-8 ({exc.reason}); re-save it as UTF-8") from None
    except csv.Error as exc:
        raise FramewatchError(f"{path}: malformed CSV: {exc}") from None
    except OSError as exc:
        raise FramewatchError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not rows:
        raise FramewatchError(f"{path}: no labelled rows")
    return pd.DataFrame(rows, columns=["text", "target", "label", *OPTIONAL])


@dataclass(frozen=True, slots=True)
class Score:
    """Macro-F1 with a 95% bootstrap confidence interval, accuracy and per-class F1."""

    macro_f1: float
    ci_low: float
    ci_high: float
    accuracy: float
    n: int
    per_class: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"macro_f1": round(self.macro_f1, 3), "ci95": [round(self.ci_low, 3), round(self.ci_high, 3)],
                "accuracy": round(self.accuracy, 3), "n": self.n,
                "per_class_f1": {k: round(v, 3) for k, v in self.per_class.items()}}

    def __str__(self) -> str:
        return f"macro-F1 {self.macro_f1:.3f} [{self.ci_low:.3f}, {self.ci_high:.3f}], accuracy {self.accuracy:.3f}, n={self.n}"


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """Macro-F1 over the labels present in either list (as the shared scorer computes it)."""
    labels = sorted(set(y_true) | set(y_pred))
    return float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0))


def score(y_true: Sequence[str], y_pred: Sequence[str], *, n_boot: int = 1000, seed: int = 0) -> Score:
    """Score predictions, with a bootstrap 95% interval for macro-F1."""
    yt, yp = np.asarray(y_true), np.asarray(y_pred)
    if len(yt) == 0:
        return Score(0.0, 0.0, 0.0, 0.0, 0)
    rng = np.random.default_rng(seed)
    boots = [macro_f1(yt[idx], yp[idx]) for idx in (rng.integers(0, len(yt), len(yt)) for _ in range(n_boot))]
    per = {lab: float(f1_score(yt, yp, labels=[lab], average="macro", zero_division=0)) for lab in LABELS if lab in set(yt)}
    return Score(macro_f1(yt, yp), float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5)),
                 float(np.mean(yt == yp)), len(yt), per)


def cross_validate(estimator: Any, df: pd.DataFrame, *, folds: int = 5, seed: int = 0,
                   groups: Sequence[Any] | None = None) -> Score:
    """Out-of-fold predictions of `estimator` on `df`, scored. With `groups` (e.g. article ids),
    no group is split across train and test, so quotes of one article never leak."""
    y = df["label"].to_numpy()
    pred = np.empty(len(df), dtype=object)
    if groups is not None:
        from sklearn.model_selection import StratifiedGroupKFold

        splits = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(df, y, groups)
    else:
        splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(df, y)
    for train, test in splits:
        model = clone(estimator).fit(df.iloc[train], y[train])
        pred[test] = model.predict(df.iloc[test])
    return score(y, pred.astype(str))


def majority_baseline(y_train: Sequence[str], n: int) -> list[str]:
    values, counts = np.unique(np.asarray(y_train), return_counts=True)
    return [str(values[np.argmax(counts)])] * n


def vader_baseline(texts: Sequence[str], *, threshold: float = 0.05) -> list[str]:
    """Sentiment as a stance proxy (what many studies do): compound > t support, < -t oppose."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        raise FramewatchError("the VADER baseline needs `pip install vaderSentiment` (a benchmark extra)") from None
    sia = SentimentIntensityAnalyzer()
    out = []
    for t in texts:
        c = sia.polarity_scores(t or "")["compound"]
        out.append("support" if c > threshold else "oppose" if c < -threshold else "neutral")
    return out


def expected_calibration_error(y_true: Sequence[str], proba: np.ndarray, classes: Sequence[str],
                               *, bins: int = 10) -> float:
    """Expected calibration error of the top-class probability: the mean gap between confidence
    and accuracy over `bins` equal-width confidence bins, weighted by their size."""
    if len(y_true) == 0:
        return 0.0
    proba = np.asarray(proba, dtype=float)
    conf = proba.max(axis=1)
    pred = np.asarray(classes)[proba.argmax(axis=1)]
    right = pred == np.asarray(y_true)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            ece += inside.mean() * abs(conf[inside].mean() - right[inside].mean())
    return float(ece)


def out_of_group(estimator: Any, df: pd.DataFrame, groups: Sequence[Any], *, folds: int | None = 5,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Out-of-fold (predicted labels, probabilities, classes) of `estimator` on `df`, with no group
    on both sides of a split: `folds` grouped folds, or with `folds=None` one fold per group
    (leave one group out, e.g. one deal)."""
    y = df["label"].to_numpy()
    groups = np.asarray(list(groups))
    if folds is None:
        splits = [(np.flatnonzero(groups != g), np.flatnonzero(groups == g)) for g in sorted(set(groups))]
    else:
        from sklearn.model_selection import StratifiedGroupKFold

        splits = list(StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(df, y, groups))
    classes = sorted(set(y))
    pred = np.empty(len(df), dtype=object)
    proba = np.zeros((len(df), len(classes)))
    for train, test in splits:
        model = clone(estimator).fit(df.iloc[train], y[train])
        p = model.predict_proba(df.iloc[test])
        cols = [classes.index(str(c)) for c in model.classes_]
        proba[np.ix_(test, cols)] = p
        pred[test] = np.asarray([str(c) for c in model.classes_])[decisions(model, p)]
    return pred.astype(str), proba, classes
