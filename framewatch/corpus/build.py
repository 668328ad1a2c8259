"""From a raw `Record` to a clean `Article`: cleaning, language, dates, ids."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Any
from urllib.parse import urlsplit

from framewatch.corpus.article import Article, make_id
from framewatch.corpus.clean import Cleaner
from framewatch.corpus.lang import detect_language
from framewatch.corpus.readers import Record
from framewatch.errors import InputError

MAX_CHARS = 2_000_000  # an "article" longer than this is a mis-parsed dump, not a story
MAX_DATE_CHARS = 100  # "Thursday, 10 July 2025 14:32:05 British Summer Time" is 51
# Lone surrogates (from JSON escapes such as "\\ud800") cannot be written as UTF-8, and NUL is no
# text; both would fail the whole batch's write, so they are replaced (with a note).
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def _scrub(value: Any, count: list[int]) -> Any:
    """`value` with lone surrogates as U+FFFD and NUL as a space, in strings nested in lists and dicts."""
    if isinstance(value, str):
        if not _UNWRITABLE.search(value):
            return value
        fixed, n = _UNWRITABLE.subn(lambda m: " " if m.group() == "\x00" else "\ufffd", value)
        count[0] += n
        return fixed
    if isinstance(value, dict):
        return {_scrub(k, count): _scrub(v, count) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v, count) for v in value]
    return value


def parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    """Parse a publication date; returns (date, note). Unparseable or absurd dates give a note."""
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and 0 < value < 1e11:  # a Unix timestamp
        return dt.datetime.fromtimestamp(value, dt.UTC).date(), None
    text = str(value).strip()
    if len(text) > MAX_DATE_CHARS:  # no date is written in more; dateutil is slow and fragile on junk
        return None, f"unparseable date {text[:40]!r}... ({len(text):,} characters; stored without a date)"
    try:
        d = dt.date.fromisoformat(text[:10])
    except ValueError:
        from dateutil import parser

        try:
            with warnings.catch_warnings():  # an unknown zone name ("BST") does not change the date
                warnings.simplefilter("ignore", parser.UnknownTimezoneWarning)
                d = parser.parse(text, dayfirst=bool(re.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text)),
                                 default=dt.datetime(1900, 1, 1)).date()
        except (ValueError, ArithmeticError):  # ArithmeticError: overflow, and decimal errors on long numbers
            return None, f"unparseable date {text[:40]!r} (stored without a date)"
    if not (1900 < d.year <= dt.date.today().year + 1):
        return None, f"implausible date {text[:40]!r} (stored without a date)"
    return d, None


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:  # not a URL ("[bad", "http://[::1")
        return None
    return host.removeprefix("www.") or None


def build_article(record: Record, cleaner: Cleaner | None = None, *, clean: bool = True) -> Article:
    """Clean the record's text, detect its language and derive its id; raise `InputError` if empty."""
    bad = [0]
    f = _scrub(record.fields, bad)
    raw = f.get("text")
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    if not raw.strip():
        raise InputError(record.source, "empty text", line=record.line)
    if len(raw) > MAX_CHARS:
        raise InputError(record.source, f"text of {len(raw):,} characters is over the {MAX_CHARS:,} limit "
                         "(is it a whole site dump? split it into articles)", line=record.line)
    notes = list(record.notes)
    if bad[0]:
        notes.append(f"{bad[0]:,} lone surrogate or NUL character{'s' if bad[0] != 1 else ''} replaced")
    if clean:
        result = (cleaner or Cleaner.default()).clean(raw)
        text = result.text
        if result.summary():
            notes.append(result.summary())  # type: ignore[arg-type]
    else:
        text = raw
    if not text.strip():
        raise InputError(record.source, "no text left after removing page furniture", line=record.line)
    published, note = parse_date(f.get("date"))
    if note:
        notes.append(note)
    guess = detect_language(text)
    declared = str(f.get("language") or "").lower()[:2] or None
    language = guess.code or declared
    if language and language != "en":
        notes.append(f"language detected as {language!r}: stored, not analysed as English")
    elif language is None:
        notes.append("language undetermined (text too short): treated as English")
    url = str(f["url"]).strip() if f.get("url") else None
    title = str(f["title"]).strip() if f.get("title") else None
    return Article(
        id=make_id(given=f.get("id"), url=url, text=text),
        text=text,
        url=url,
        outlet=str(f["outlet"]).strip() if f.get("outlet") else outlet_from_url(url),
        title=title,
        published=published,
        author=str(f["author"]).strip() if f.get("author") else None,
        language=language,
        language_score=round(guess.score, 4),
        raw_text=raw,
        source_path=record.where,
        notes=tuple(notes),
        extra=dict(f.get("extra") or {}),
    )
