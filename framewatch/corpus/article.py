"""The `Article` record that every stage reads, and its stable identifiers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

_WS = re.compile(r"\s+")
_URL_TRACKING = re.compile(r"[?&](utm_[a-z]+|fbclid|gclid|ocid|ito|cmpid)=[^&#]*", re.I)


def normalise_for_hash(text: str) -> str:
    """Case-fold, NFKC-normalise and collapse whitespace: equal for trivially different copies."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return _WS.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """SHA-1 of the normalised text (hex): the key for exact-duplicate detection."""
    return hashlib.sha1(normalise_for_hash(text).encode("utf-8")).hexdigest()


def canonical_url(url: str) -> str:
    """Drop tracking parameters, fragments and a trailing slash so one story has one url."""
    url = url.strip()
    url = url.split("#", 1)[0]
    url = _URL_TRACKING.sub("", url)
    if "?" not in url and "&" in url:
        url = url.replace("&", "?", 1)
    return url.rstrip("/?")


def make_id(*, url: str | None = None, text: str | None = None, given: str | None = None) -> str:
    """A stable article id: the source's own id if given, else `u-` + a hash of the canonical
    url, else `c-` + a hash of the normalised content. The same story read twice gets the same id.
    """
    if given is not None and str(given).strip():
        return str(given).strip()
    if url:
        return "u-" + hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]
    if text is None:
        raise ValueError("an article needs an id, a url or a text to derive its id from")
    return "c-" + content_hash(text)[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as stored in the corpus.

    `text` is the cleaned text that later stages analyse; `raw_text` is the text as read,
    before cleaning, so nothing is lost. Offsets in every later result refer to `text`.
    """

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str | None = None
    language_score: float | None = None
    raw_text: str | None = None
    source_path: str | None = None
    content_hash: str = ""
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.text))

    @property
    def is_english(self) -> bool:
        return self.language in (None, "en")

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["notes"] = list(self.notes)
        return d

    @staticmethod
    def to_frame(articles: list[Article]) -> pd.DataFrame:
        """A tidy DataFrame, one row per article."""
        cols = [f.name for f in dataclasses.fields(Article)]
        return pd.DataFrame([a.to_dict() for a in articles], columns=cols)
