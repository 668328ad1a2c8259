"""The `framewatch_stance` spaCy component: deal, stance and frames on each Doc.

It runs after the nlp stage's components and sets:

| attribute            | value                                                                 |
| -------------------- | --------------------------------------------------------------------- |
| `doc._.fw_deal`      | `DealGuess` for the article                                           |
| `doc._.fw_stance`    | `Stance` of the article (the reporter's framing; from the lead, the quotes' stances and the quote model's reading of the headline and first sentence) |
| `doc._.fw_frames`    | tuple of `FrameScore`, strongest first, with evidence sentences       |
| `doc._.fw_quotes`    | the quotes, each given `stance`, `stance_score`, `stance_scores`, `deal` |
| `doc._.fw_claims`    | the claims, likewise                                                  |

Models are loaded from the paths in the config, else the defaults shipped in
`framewatch/models/data/` (trained by `benchmarks/train_models.py`; see MODEL_CARD.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from framewatch.nlp._extensions import doc_text
from framewatch.models.articles import article_frame, lead_sentences
from framewatch.models.deals import DealGuess, detect_deal
from framewatch.models.io import load_model
from framewatch.models.stance import decisions
from framewatch.models.zeroshot import NLIStanceClassifier, is_transformer_folder
from framewatch.nlp.voices import voice_of

MIN_WORDS = 2  # a quote of fewer words gets a neutral, low-confidence stance
# Blending each quote's probabilities with the mean over its speaker's quotes in the article
# (v1.2 used 0.7) makes a quote's stance follow its speaker's other quotes, so a wrong speaker
# drags the stance with it and an opponent quoted once among a minister's quotes reads "support".
# Off by default: stance is read from what each quote says (MODEL_CARD.md measures both).
SPEAKER_SMOOTHING = 0.0
LEAD_CHARS = 1500  # what the article model reads: headline and lead
DEFAULTS = {"stance_model": "stance-quotes.skops", "article_model": "stance-articles.skops",
            "frames_model": "frames.skops"}


@dataclass(frozen=True, slots=True)
class Stance:
    """A stance label with its probability and the probability of every label."""

    label: str
    score: float
    scores: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": round(self.score, 3),
                "scores": {k: round(v, 3) for k, v in self.scores.items()}}


def default_model_path(name: str) -> Path:
    return Path(str(resources.files("framewatch.models").joinpath(f"data/{DEFAULTS[name]}")))


@cache
def _cached_model(path: str) -> Any:
    return load_model(path)


def _stances(model: Any, frame: pd.DataFrame) -> list[Stance]:
    if model is None or frame.empty:
        return [Stance("neutral", 0.0, {}) for _ in range(len(frame))]
    proba = model.predict_proba(frame)
    out = []
    for row, j in zip(proba, decisions(model, proba)):
        out.append(Stance(str(model.classes_[j]), float(row[j]), {str(c): float(p) for c, p in zip(model.classes_, row)}))
    return out


def _smooth_by_speaker(stances: list[Stance], speakers: Sequence[str | None],
                       weight: float | None = None) -> list[Stance]:
    """Blend each stance with the mean of its speaker's stances (see SPEAKER_SMOOTHING)."""
    weight = SPEAKER_SMOOTHING if weight is None else weight
    if weight <= 0:
        return list(stances)
    groups: dict[str, list[int]] = {}
    for i, sp in enumerate(speakers):
        if sp and stances[i].scores:
            groups.setdefault(sp, []).append(i)
    out = list(stances)
    for idx in groups.values():
        if len(idx) < 2:
            continue
        labels = list(stances[idx[0]].scores)
        mean = {k: sum(stances[i].scores[k] for i in idx) / len(idx) for k in labels}
        for i in idx:
            blended = {k: weight * mean[k] + (1 - weight) * stances[i].scores[k] for k in labels}
            best = max(labels, key=lambda k: blended[k])
            out[i] = Stance(best, blended[best], blended)
    return out


def _as_record(item: Any) -> dict[str, Any]:
    return dict(item.to_dict()) if hasattr(item, "to_dict") else dict(item)


def load_stance_model(path: str | Path) -> Any:
    """A quote stance model: a `.skops` file, or a local NLI checkpoint folder (zero-shot)."""
    if is_transformer_folder(path):
        return NLIStanceClassifier(model_path=str(path)).fit()
    return _cached_model(str(path))


class StanceComponent:
    """Adds deal, stance and frames to a Doc (see the module docstring)."""

    def __init__(self, stance_model: str | None = None, article_model: str | None = None,
                 frames_model: str | None = None) -> None:
        self._digest = hashlib.sha1()
        self.fingerprints: dict[str, str] = {}  # model -> SHA-1 of its file (10 hex digits), or "none"
        self.stance = self._load(stance_model, "stance_model")
        self.article = self._load(article_model, "article_model")
        self.frames = self._load(frames_model, "frames_model")
        self.version = self._digest.hexdigest()[:10]

    def _load(self, path: str | None, name: str) -> Any:
        p = Path(path) if path else default_model_path(name)
        if not path and not p.exists():
            self._digest.update(f"{name}:none".encode())
            self.fingerprints[name] = "none"
            return None  # no bundled model of this kind: that output stays empty
        if name == "stance_model" and is_transformer_folder(p):  # a local NLI checkpoint: zero-shot
            data = (p / "config.json").read_bytes() + str(p.resolve()).encode()
            self._digest.update(data)
            self.fingerprints[name] = hashlib.sha1(data).hexdigest()[:10]
            return load_stance_model(p)
        data = p.read_bytes() if p.exists() else str(p).encode()
        self._digest.update(data)
        self.fingerprints[name] = hashlib.sha1(data).hexdigest()[:10]
        return _cached_model(str(p))

    def __call__(self, doc: Doc) -> Doc:
        return self._process([doc])[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Annotate docs in batches: each model runs once per batch, not once per article."""
        for batch in minibatch(docs, size=batch_size):
            yield from self._process(list(batch))

    def _process(self, docs: list[Doc]) -> list[Doc]:
        texts = [doc_text(doc) for doc in docs]
        deals = [detect_deal(text) for text in texts]
        if self.frames is not None:
            sents = [[(s.text.strip(), s.start_char, s.end_char) for s in doc.sents if len(s.text.split()) >= 4]
                     for doc in docs]
            for doc, frames in zip(docs, self.frames.article_frames_batch(sents)):
                doc._.fw_frames = tuple(frames)
        # every quote and claim of the batch through the quote model at once, blended per article
        per_doc = []
        for doc, deal in zip(docs, deals):
            doc._.fw_deal = deal
            roles = {p.name: list(p.roles) for p in (getattr(doc._, "fw_people", None) or ())}
            org_types = {o.name: o.type for o in (getattr(doc._, "fw_orgs", None) or ())}
            groups = [(attr, [_as_record(i) for i in getattr(doc._, attr)], kind)
                      for attr, kind in (("fw_quotes", None), ("fw_claims", "claim"))
                      if Doc.has_extension(attr) and getattr(doc._, attr)]
            per_doc.append((groups, [item_frame(records, deal, roles, org_types, kind) for _, records, kind in groups]))
        all_stances = iter(item_stances(self.stance, [f for _, frames in per_doc for f in frames],
                                        blend=[len(frames) for _, frames in per_doc]))
        # the headline and first sentences, read by the quote model as the reporter's own claims
        lead_scores: list[list[dict[str, float]]] = [[] for _ in docs]
        if self.article is not None:
            heads = [lead_sentences(doc.sents) if doc.has_annotation("SENT_START") else [] for doc in docs]
            rows = [(k, t, deal.label) for k, (sents, deal) in enumerate(zip(heads, deals)) for t, _ in sents]
            if rows:
                frame = lead_frame([t for _, t, _ in rows], [d for _, _, d in rows])
                for (k, _, _), st in zip(rows, _stances(self.stance, frame)):
                    lead_scores[k].append(st.scores)
        leads = []
        for doc, text, deal, (groups, frames), head in zip(docs, texts, deals, per_doc, lead_scores):
            annotated: list[dict[str, Any]] = []
            for (attr, records, _), (frame, _) in zip(groups, frames):
                for r, target, voice in zip(records, frame["target"], frame["voice"]):
                    st = next(all_stances)
                    short = len(str(r.get("text") or "").split()) < MIN_WORDS
                    r.update(voice=voice, deal=target, stance="neutral" if short else st.label,
                             stance_score=round(min(st.score, 0.34) if short else st.score, 3),
                             stance_scores={k: round(v, 3) for k, v in st.scores.items()})
                setattr(doc._, attr, tuple(records))
                annotated.extend(records)
            if self.article is not None and text.strip():
                items = [r for r in annotated if r.get("stance_scores")]
                leads.append((doc, article_frame(text[:LEAD_CHARS], deal.label, [r["stance_scores"] for r in items],
                                                 [r.get("voice") or "" for r in items], head)))
        if leads:
            stances = _stances(self.article, pd.concat([f for _, f in leads], ignore_index=True))
            for (doc, _), st in zip(leads, stances):
                doc._.fw_stance = st
        return docs


def item_stances(model: Any, frames: Sequence[tuple[pd.DataFrame, list[str | None]]],
                 blend: Sequence[int] | None = None) -> list[Stance]:
    """Stances of quotes and claims (`item_frame` outputs), predicted in one batch and blended per
    speaker (see SPEAKER_SMOOTHING) across all of `frames`, or, with `blend`, within each run of
    `blend[i]` consecutive frames (one article's)."""
    if not frames:
        return []
    frame = pd.concat([f for f, _ in frames], ignore_index=True)
    stances = _stances(model, frame)
    out: list[Stance] = []
    start = 0
    for n in (blend if blend is not None else [len(frames)]):
        speakers = [s for _, sp in frames[start:start + n] for s in sp]
        out += _smooth_by_speaker(stances[len(out):len(out) + len(speakers)], speakers)
        start += n
    return out


def lead_frame(sentences: Sequence[str], targets: Sequence[str]) -> pd.DataFrame:
    """The quote model's input for lead sentences, read as the reporter's own claims (each with
    its article's deal as target); the same in training and at prediction time."""
    return pd.DataFrame({"text": list(sentences), "target": list(targets), "context": list(sentences),
                         "voice": voice_of(None), "kind": "claim"})


def item_frame(records: Sequence[Mapping[str, Any]], deal: DealGuess, roles: Mapping[str, list[str]],
               org_types: Mapping[str, str], kind: str | None = None) -> tuple[pd.DataFrame, list[str | None]]:
    """The quote model's input for an article's quotes or claims (text, target, context, voice,
    kind), and each item's speaker. A quote's target is the deal its own sentence names, if any,
    else the article's."""
    targets, voices, speakers = [], [], []
    for r in records:
        own = detect_deal(f"{r.get('sentence') or ''} {r.get('text') or ''}")
        targets.append(own.label if own.label != "other" and own.score >= 3 else deal.label)
        speaker = r.get("speaker") or r.get("claimant")
        speakers.append(speaker)
        voices.append(voice_of(speaker, roles=roles.get(speaker, []), org_type=org_types.get(speaker),
                               speaker_type=r.get("speaker_type")))
    frame = pd.DataFrame({"text": [r.get("text") or "" for r in records], "target": targets,
                          "context": [r.get("sentence") or "" for r in records], "voice": voices,
                          "kind": [kind or r.get("kind") or "" for r in records]})
    return frame, speakers


def register_extensions() -> None:
    for name, default in (("fw_deal", None), ("fw_stance", None), ("fw_frames", ()), ("fw_quotes", ()),
                          ("fw_claims", ())):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


@Language.factory("framewatch_stance", assigns=["doc._.fw_deal", "doc._.fw_stance", "doc._.fw_frames"],
                  default_config={"stance_model": None, "article_model": None, "frames_model": None})
def make_stance_component(nlp: Language, name: str, stance_model: str | None, article_model: str | None,
                          frames_model: str | None) -> StanceComponent:
    register_extensions()
    return StanceComponent(stance_model, article_model, frames_model)


def add_to(nlp: Language, **config: str | None) -> Language:
    """Add `framewatch_stance` to an nlp-stage pipeline (`framewatch.nlp.load()`)."""
    register_extensions()
    if "framewatch_stance" not in nlp.pipe_names:
        nlp.add_pipe("framewatch_stance", config={k: v for k, v in config.items() if v})
    return nlp


__all__ = ["Stance", "StanceComponent", "add_to", "item_frame", "item_stances", "load_stance_model"]
