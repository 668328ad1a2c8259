"""Saving and loading trained models with skops (never pickle): only Framewatch's own classes and
scikit-learn/numpy/scipy types are trusted when loading."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from framewatch.errors import FramewatchError

TRUSTED_PREFIXES = ("framewatch.models.",)


class Vocabulary(Mapping):
    """A fitted vectorizer's `vocabulary_` (term -> column) as skops stores it: two arrays, terms
    and columns, instead of one node per term, so a 100,000-term vocabulary loads in milliseconds,
    not seconds. `load_model` turns it back into a dict (the vectorizers look terms up millions
    of times, and a dict's lookup is the fastest there is)."""

    def __init__(self, mapping: Mapping[str, int] | None = None) -> None:
        self._index: dict[str, int] = {k: int(v) for k, v in (mapping or {}).items()}

    def __getitem__(self, term: str) -> int:
        return self._index[term]

    def __contains__(self, term: object) -> bool:
        return term in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._index) == dict(other)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self._index)} terms)"

    def __getstate__(self) -> dict[str, Any]:
        import numpy as np

        return {"terms": np.array(list(self._index), dtype=str),
                "columns": np.fromiter(self._index.values(), dtype=np.int64, count=len(self._index))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._index = dict(zip(state["terms"].tolist(), state["columns"].tolist()))


def _estimators(obj: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every scikit-learn or Framewatch object below `obj` (through lists, tuples, dicts and
    attributes), each once."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, (list, tuple)):
        for x in obj:
            yield from _estimators(x, seen)
        return
    if isinstance(obj, dict):
        for x in obj.values():
            yield from _estimators(x, seen)
        return
    state = getattr(obj, "__dict__", None)
    if not isinstance(state, dict) or not type(obj).__module__.startswith(("sklearn", "framewatch")):
        return
    yield obj
    for x in list(state.values()):
        yield from _estimators(x, seen)


def _slim(obj: Any) -> None:
    """Make fitted vectorizers cheap to store: `vocabulary_` values as plain ints (skops writes
    each numpy scalar as its own array) and no `stop_words_` (the terms `max_features` dropped;
    scikit-learn says it is safe to delete). `save_model` then writes vocabularies as
    `Vocabulary` arrays: one skops node per term had taken 4 s to load for the default model."""
    for est in list(_estimators(obj)):
        vocab = est.__dict__.get("vocabulary_")
        if isinstance(vocab, dict):
            est.vocabulary_ = {k: int(v) for k, v in vocab.items()}
        if "stop_words_" in est.__dict__:
            del est.stop_words_


def _vocabularies(obj: Any, to: type) -> None:
    """Set every sklearn vectorizer's `vocabulary_` below `obj` to `to` (`Vocabulary` or `dict`)."""
    for est in list(_estimators(obj)):
        vocab = est.__dict__.get("vocabulary_")
        if isinstance(vocab, Mapping) and type(vocab) is not to and type(est).__module__.startswith("sklearn"):
            est.vocabulary_ = to(vocab) if to is Vocabulary else dict(vocab.items())


def save_model(model: Any, path: str | Path, *, card: dict[str, Any] | None = None) -> Path:
    """Write `model` to `path` (`.skops`) and its metadata to `path.with_suffix('.json')`."""
    import skops.io as sio

    _slim(model)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _vocabularies(model, Vocabulary)
    try:
        sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    finally:
        _vocabularies(model, dict)
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
    model = sio.load(path, trusted=untrusted)
    _vocabularies(model, dict)
    return model


def model_card(path: str | Path) -> dict[str, Any]:
    """The metadata written beside a model (empty when there is none)."""
    meta = Path(path).with_suffix(".json")
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
