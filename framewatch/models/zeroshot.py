"""Zero-shot stance from a local natural-language-inference (NLI) checkpoint.

No PyPI package ships an NLI model, so this is for users who have one on disk (any
`AutoModelForSequenceClassification` folder whose `id2label` names an "entailment" class, e.g. an
MNLI-trained DeBERTa or BART). Each quote is the premise; the hypotheses say that the speaker
supports, opposes or is neutral about the deal; the entailment scores of the three hypotheses are
normalised into stance probabilities. Point the pipeline at the folder:

    framewatch extract articles.jsonl --stance-model /models/my-nli-checkpoint -o out.jsonl

Nothing is trained and nothing is downloaded (`local_files_only=True`). On our dev set a trained
head does better (see MODEL_CARD.md); zero-shot is a baseline for new deals without labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from framewatch.errors import FramewatchError
from framewatch.models.deals import known_deals
from framewatch.models.stance import LABELS, as_frame

HYPOTHESES = {
    "support": "The speaker supports the {deal}.",
    "oppose": "The speaker opposes the {deal}.",
    "neutral": "The speaker takes no side on the {deal}.",
}


def is_transformer_folder(path: str | Path) -> bool:
    """True for a local Hugging Face model folder (what `--stance-model` accepts besides `.skops`)."""
    return Path(path).is_dir() and (Path(path) / "config.json").exists()


class NLIStanceClassifier(ClassifierMixin, BaseEstimator):
    """Zero-shot stance toward the row's `target` deal with a local NLI checkpoint.

    `fit` trains nothing: it loads the checkpoint and checks that it has an entailment class.
    """

    def __init__(self, *, model_path: str, hypotheses: Mapping[str, str] | None = None, batch_size: int = 16,
                 max_length: int = 256) -> None:
        self.model_path = model_path
        self.hypotheses = hypotheses
        self.batch_size = batch_size
        self.max_length = max_length

    def _model(self) -> tuple[Any, Any, int]:
        cached = getattr(self, "model_", None)
        if cached is not None:
            return cached
        if not is_transformer_folder(self.model_path):
            raise FramewatchError(f"{self.model_path} is not a transformer model folder (no config.json)")
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        tok = AutoTokenizer.from_pretrained(self.model_path, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(self.model_path, local_files_only=True).eval()
        labels = {int(k): str(v).lower() for k, v in model.config.id2label.items()}
        entail = [i for i, name in labels.items() if name.startswith("entail")]
        if not entail:
            raise FramewatchError(f"{self.model_path} is not an NLI model: its labels {sorted(labels.values())} "
                                  "have no 'entailment' class")
        self.model_ = (tok, model, entail[0])
        return self.model_

    def fit(self, X: Any = None, y: Sequence[str] | None = None) -> NLIStanceClassifier:
        self._model()
        self.classes_ = np.array(sorted(LABELS))
        self.n_features_in_ = 1
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        import torch

        if not hasattr(self, "classes_"):
            self.fit()
        tok, model, entail = self._model()
        df = as_frame(X)
        templates = {**HYPOTHESES, **(self.hypotheses or {})}
        names = {d.label: d.name for d in known_deals()}
        pairs = []
        for text, target in zip(df["text"], df["target"]):
            deal = names.get(target, "deal" if not target else f"{target} deal")
            pairs += [(text or ".", templates[label].format(deal=deal)) for label in self.classes_]
        logits = []
        with torch.no_grad():
            for i in range(0, len(pairs), self.batch_size):
                batch = pairs[i:i + self.batch_size]
                enc = tok([p for p, _ in batch], [h for _, h in batch], padding=True, truncation="only_first",
                          max_length=self.max_length, return_tensors="pt")
                logits.append(model(**enc).logits[:, entail].numpy())
        if not logits:
            return np.zeros((0, len(self.classes_)))
        scores = np.concatenate(logits).reshape(len(df), len(self.classes_))
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("model_", None)
        return state


__all__ = ["HYPOTHESES", "NLIStanceClassifier", "is_transformer_folder"]
