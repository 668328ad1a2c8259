"""Countries mentioned in an article, as ISO 3166-1 alpha-2 codes (UK is GB).

Names come from pycountry (name, official and common names, and the short form before a
comma: "Iran, Islamic Republic of" -> "Iran"); short forms, demonyms and adjectives pycountry
lacks ("UK", "the States", "French", "Iranians", "Kosovo") from `data/countries.json`. Deal
names need no rule: spaCy splits "UK-France" into "UK", "-", "France".

Not counted: the EU, cities, a country word inside a person's name ("Jordan Bardella"), a name
that is part of a larger place ("New Jersey", "Latin America"), a demonym naming a sea or ocean
("Indian Ocean"), and all-capital short forms inside all-capital headlines ("TELL US").

Component `framewatch_countries` sets `doc._.fw_countries` (tuple of `Country`) and
`doc.spans["fw_countries"]` (one span per mention, label = ISO code).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pycountry
from spacy.language import Language
from spacy.tokens import Doc, Span

from ._data import load_json
from ._extensions import record_error, register_extensions
from ._gazetteer import Gazetteer
from ._types import Mention

SPAN_KEY = "fw_countries"
_NOT_AFTER_DEMONYM = {"ocean", "sea"}


@dataclass(frozen=True, slots=True)
class Country:
    """A country and every mention of it, in text order."""

    code: str
    name: str
    mentions: tuple[Mention, ...]

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name,
                "mentions": [m.to_dict() for m in self.mentions]}


@cache
def country_name(code: str) -> str:
    """Short English name for an alpha-2 code ("GB" -> "United Kingdom")."""
    extra = load_json("countries.json")["names"].get(code)
    rec = pycountry.countries.get(alpha_2=code)
    if rec is None:
        return extra[0] if extra else code
    return getattr(rec, "common_name", None) or rec.name.split(",")[0]


@cache
def _gazetteers() -> tuple[Gazetteer, Gazetteer]:
    data = load_json("countries.json")
    drop = set(data["drop_names"])
    names: list[tuple[str, object]] = []
    for code, extra in data["names"].items():
        names += [(n, code) for n in extra]
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if not value:
                continue
            for form in {value, value.split(",")[0].strip(), value.split(" (")[0].strip()}:
                if form not in drop:
                    names.append((form, c.alpha_2))
    demonyms = [(d, code) for code, forms in data["demonyms"].items() for d in forms]
    return Gazetteer(names), Gazetteer(demonyms)


def is_country_word(text: str) -> bool:
    """True when `text` is a country name, short form or demonym ("Britain", "Iranians")."""
    names, demonyms = _gazetteers()
    return text in names or text in demonyms


def country_code(text: str) -> str | None:
    """The alpha-2 code for a country name, short form or demonym, else None."""
    names, demonyms = _gazetteers()
    value = names.get(text) or demonyms.get(text)
    return str(value) if value else None


def find_countries(doc: Doc) -> tuple[Country, ...]:
    """Every country `doc` mentions, in order of first mention."""
    return _group(doc, _country_spans(doc))


def _country_spans(doc: Doc) -> list[Span]:
    names, demonyms = _gazetteers()
    before = set(load_json("countries.json")["not_country_before"]) | {"Latin", "North", "South", "Central"}
    persons = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
    spans: list[Span] = []
    taken: set[int] = set()
    for gaz, is_demonym in ((names, False), (demonyms, True)):
        for start, end, code in gaz.matches(doc):
            if any(i in taken for i in range(start, end)):
                continue
            span = doc[start:end]
            if start > 0 and doc[start - 1].text in before:
                continue
            if is_demonym and end < len(doc) and doc[end].lower_ in _NOT_AFTER_DEMONYM:
                continue
            if any(p.start <= start and end <= p.end and len(p) > len(span) for p in persons):
                continue
            if _in_caps_headline(span):
                continue
            taken.update(range(start, end))
            spans.append(Span(doc, start, end, label=str(code)))
    return sorted(spans, key=lambda s: s.start)


def _in_caps_headline(span: Span) -> bool:
    """An all-capital short name ("US") between all-capital words ("TELL US NOW")."""
    if not (span.text.isupper() and len(span.text) <= 4):
        return False
    doc = span.doc
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc) and doc[i].is_alpha]
    return bool(neighbours) and all(t.is_upper and len(t) > 1 for t in neighbours)


def _group(doc: Doc, spans: Iterable[Span]) -> tuple[Country, ...]:
    grouped: dict[str, list[Mention]] = {}
    for span in spans:
        grouped.setdefault(span.label_, []).append(
            Mention(span.text, span.start_char, span.end_char))
    return tuple(Country(code, country_name(code), tuple(ms)) for code, ms in grouped.items())


def to_frame(countries: Iterable[Country]) -> pd.DataFrame:
    """One row per mention: code, name, text, start, end."""
    rows = [{"code": c.code, "name": c.name, "text": m.text, "start": m.start, "end": m.end}
            for c in countries for m in c.mentions]
    return pd.DataFrame(rows, columns=["code", "name", "text", "start", "end"])


@Language.factory("framewatch_countries", assigns=["doc._.fw_countries", "doc.spans"],
                  default_config={"span_key": SPAN_KEY})
def make_countries(nlp: Language, name: str, span_key: str) -> CountryFinder:
    return CountryFinder(name, span_key)


class CountryFinder:
    """Pipeline component wrapping `find_countries`."""

    def __init__(self, name: str, span_key: str) -> None:
        register_extensions()
        self.name, self.span_key = name, span_key

    def __call__(self, doc: Doc) -> Doc:
        try:
            spans = _country_spans(doc)
            doc.spans[self.span_key] = spans
            doc._.fw_countries = _group(doc, spans)
        except Exception as exc:  # one bad article must not stop the batch
            record_error(doc, self.name, exc)
        return doc
