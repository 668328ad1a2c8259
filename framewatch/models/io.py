"""Saving and loading trained models with skops (never pickle): only Framewatch's own classes and
scikit-learn/numpy/scipy types are trusted when loading."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from framewatch.errors import FramewatchError

TRUSTED_PREFIXES = ("framewatch.models.",)


def _slim(obj: Any, seen: set[int] | None = None) -> None:
    """Make fitted vectorizers cheap to store and load: `vocabulary_` values as plain ints (skops
    writes each numpy scalar as its own array: 200,000 of them took 30 s to load) and no
    `stop_words_` (the terms `max_features` dropped; scikit-learn says it is safe to delete)."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, (list, tuple)):
        for x in obj:
            _slim(x, seen)
        return
    if isinstance(obj, dict):
        for x in obj.values():
            _slim(x, seen)
        return
    state = getattr(obj, "__dict__", None)
    if not isinstance(state, dict) or not type(obj).__module__.startswith(("sklearn", "framewatch")):
        return
    vocab = state.get("vocabulary_")
    if isinstance(vocab, dict):
        obj.vocabulary_ = {k: int(v) for k, v in vocab.items()}
    if "stop_words_" in state:
        del obj.stop_words_
    for x in list(state.values()):
        _slim(x, seen)


def save_model(model: Any, path: str | Path, *, card: dict[str, Any] | None = None) -> Path:
    """Write `model` to `path` (`.skops`) and its metadata to `path.with_suffix('.json')`."""
    import skops.io as sio

    _slim(model)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    if card is not None:
        path.with_suffix(".json").write_text(json.dumps(card, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def load_model(path: str | Path) -> Any:
    """Load a `.skops` model, refusing any type outside Framewatch, scikit-learn, numpy and scipy."""
    import skops.io as sio

    path = Path(path)
    if not path.exists():
        raise FramewatchError(f"no model file at {path}: train one with `framewatch train LABELS.csv -o {path}`")
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # skops raises several types for files that are not skops archives
        raise FramewatchError(f"{path} is not a skops model file: {exc}") from None
    foreign = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
    if foreign:
        raise FramewatchError(f"refusing to load {path}: it contains types Framewatch does not trust: {foreign}")
    return sio.load(path, trusted=untrusted)


def model_card(path: str | Path) -> dict[str, Any]:
    """The metadata written beside a model (empty when there is none)."""
    meta = Path(path).with_suffix(".json")
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
