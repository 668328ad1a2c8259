"""Doc extension attributes set by the Framewatch components, registered once as a bundle.

| attribute              | set by                     | value                                   |
| ---------------------- | -------------------------- | --------------------------------------- |
| `doc._.fw_countries`   | `framewatch_countries`     | tuple of `countries.Country`            |
| `doc._.fw_orgs`        | `framewatch_organisations` | tuple of `organisations.Organisation`   |
| `doc._.fw_people`      | `framewatch_people`        | tuple of `people.Person`                |
| `doc._.fw_meta`        | `extract()`                | the article's metadata mapping (or {})  |
| `doc._.fw_errors`      | any Framewatch component   | list of "component: message" strings    |

Span groups: `doc.spans["fw_countries"]` (label = ISO code), `doc.spans["fw_orgs"]` (label =
canonical name), `doc.spans["fw_people"]` (label = canonical person name; one span per mention).
`doc._.fw_figures` / `doc.spans["fw_figures"]` belong to `framewatch.nlp.figures`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from spacy.tokens import Doc, Span

_DEFAULTS: dict[str, object] = {
    "fw_countries": (),
    "fw_orgs": (),
    "fw_people": (),
    "fw_meta": None,
    "fw_errors": None,
}


def register_extensions() -> None:
    """Register the Doc attributes above (idempotent)."""
    for name, default in _DEFAULTS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def meta_of(doc: Doc) -> dict:
    """The metadata `extract()` attached to `doc` (empty dict when run as plain `nlp(text)`)."""
    return dict(doc._.fw_meta or {})


def published_date(doc: Doc) -> dt.date | None:
    """The article's publication date from its metadata (a date, a datetime or an ISO string),
    or None when there is none or it does not parse."""
    value = meta_of(doc).get("published") if Doc.has_extension("fw_meta") else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def offset_spans(doc: Doc, items: Iterable[Any], label: Callable[[Any], str]) -> list[Span]:
    """Spans for results that carry `start`/`end` character offsets (for `doc.spans[...]`);
    offsets that do not fall on token boundaries expand to the tokens they touch."""
    spans = []
    for item in items:
        span = doc.char_span(item.start, item.end, label=label(item), alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def record_error(doc: Doc, component: str, exc: BaseException) -> None:
    """Note a component failure on the doc instead of stopping the batch."""
    if doc._.fw_errors is None:
        doc._.fw_errors = []
    doc._.fw_errors.append(f"{component}: {type(exc).__name__}: {exc}")


register_extensions()


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc: spaCy joins every token's text on each access, which the
    components would otherwise do dozens of times per article."""
    text = doc.user_data.get("fw_text")
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if text is None or len(text) != length:  # not cached, or cached for another text (Doc.from_docs)
        text = doc.user_data["fw_text"] = doc.text
    return text
