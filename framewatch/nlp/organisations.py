"""Organisations named in an article, with canonical names and a type.

Known organisations and their aliases ("Tories" -> Conservatives, "the UN refugee agency" ->
UNHCR) come from `data/organisations.json`; spaCy ORG entities that are not known are kept when
they look like names (several words, or an acronym, or a cue word such as "Court" or "Council"),
typed from cue words (Court/Tribunal -> court, Union -> union, Council/Trust/Action/Aid/Rescue ->
ngo, Ministry/Department/Office -> government; else other).

Component `framewatch_organisations` sets `doc._.fw_orgs` (tuple of `Organisation`) and
`doc.spans["fw_orgs"]` (one span per mention, label = canonical name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span

from ._data import load_json
from ._extensions import record_error, register_extensions
from ._gazetteer import Gazetteer
from ._types import Mention
from .countries import is_country_word

SPAN_KEY = "fw_orgs"
ORG_TYPES = ("government", "party", "ngo", "union", "court", "international", "media", "company",
             "other")


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation, its type and every mention of it, in text order."""

    name: str
    type: str
    mentions: tuple[Mention, ...]

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type,
                "mentions": [m.to_dict() for m in self.mentions]}


@cache
def _known() -> tuple[Gazetteer, dict[str, str]]:
    data = load_json("organisations.json")
    entries, types = [], {}
    for org in data["organisations"]:
        types[org["name"]] = org["type"]
        for alias in [org["name"], *org["aliases"]]:
            entries.append((alias, org["name"]))
    return Gazetteer(entries), types


@cache
def _not_orgs() -> frozenset[str]:
    return frozenset(s.lower() for s in load_json("organisations.json")["not_organisations"])


def org_type(name: str) -> str:
    """Type of a known organisation, else a guess from cue words in its name."""
    known, types = _known()
    canonical = known.get(name)
    if canonical is not None:
        return types[str(canonical)]
    words = set(re.findall(r"[A-Za-z]+", name))
    for kind, cues in load_json("organisations.json")["cues"].items():
        if any((" " in cue and cue in name) or cue in words for cue in cues):
            return kind
    return "other"


def canonical_org(name: str) -> str | None:
    """Canonical name of a known organisation or alias ("Tories" -> "Conservatives")."""
    value = _known()[0].get(name)
    return str(value) if value is not None else None


def find_organisations(doc: Doc) -> tuple[Organisation, ...]:
    """Every organisation `doc` names, in order of first mention."""
    return _group(_org_spans(doc))


def _org_spans(doc: Doc) -> list[Span]:
    known, _ = _known()
    spans: list[Span] = []
    taken: set[int] = set()
    for start, end, name in known.matches(doc):
        span = doc[start:end]
        if str(name) == "Reform UK" and span.text == "Reform" and not _reform_party(span):
            continue
        taken.update(range(start, end))
        spans.append(Span(doc, start, end, label=str(name)))
    for ent in doc.ents:
        if ent.label_ != "ORG" or any(i in taken for i in range(ent.start, ent.end)):
            continue
        span = _trim(ent)
        if span is None or not _looks_like_org(span):
            continue
        taken.update(range(span.start, span.end))
        spans.append(Span(doc, span.start, span.end, label=_clean_name(span.text)))
    return sorted(spans, key=lambda s: s.start)


def _reform_party(span: Span) -> bool:
    """'Reform' the party, not the noun: capitalised mid-sentence or next to a party cue."""
    doc = span.doc
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    return not span[0].is_sent_start or nxt in {"leader", "mp", "mps", "party", "said", "has", "uk"}


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or not doc[start].text.strip()):
        start += 1
    while end > start and (doc[end - 1].text in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if end > start else None


def _clean_name(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _looks_like_org(span: Span) -> bool:
    text = _clean_name(span.text)
    if text.lower() in _not_orgs() or is_country_word(text) or len(span) > 8:
        return False
    if not text[:1].isupper() or any(c.isdigit() for c in text[:1]):
        return False
    if any(t.ent_type_ == "PERSON" for t in span):
        return False
    from .roles import is_role_word

    if all(is_role_word(t.text) for t in span):  # "Shadow Home" (from "Shadow Home Secretary")
        return False
    if len(span) == 1:
        return (text.isupper() and 2 <= len(text) <= 6) or org_type(text) != "other"
    return True


def _group(spans: Iterable[Span]) -> tuple[Organisation, ...]:
    grouped: dict[str, list[Mention]] = {}
    for span in spans:
        grouped.setdefault(span.label_, []).append(Mention(span.text, span.start_char, span.end_char))
    return tuple(Organisation(name, org_type(name), tuple(ms)) for name, ms in grouped.items())


def to_frame(orgs: Iterable[Organisation]) -> pd.DataFrame:
    """One row per mention: name, type, text, start, end."""
    rows = [{"name": o.name, "type": o.type, "text": m.text, "start": m.start, "end": m.end}
            for o in orgs for m in o.mentions]
    return pd.DataFrame(rows, columns=["name", "type", "text", "start", "end"])


@Language.factory("framewatch_organisations", assigns=["doc._.fw_orgs", "doc.spans"],
                  default_config={"span_key": SPAN_KEY})
def make_organisations(nlp: Language, name: str, span_key: str) -> OrganisationFinder:
    return OrganisationFinder(name, span_key)


class OrganisationFinder:
    """Pipeline component wrapping `find_organisations`."""

    def __init__(self, name: str, span_key: str) -> None:
        register_extensions()
        self.name, self.span_key = name, span_key

    def __call__(self, doc: Doc) -> Doc:
        try:
            spans = _org_spans(doc)
            doc.spans[self.span_key] = spans
            doc._.fw_orgs = _group(spans)
        except Exception as exc:  # one bad article must not stop the batch
            record_error(doc, self.name, exc)
        return doc
