"""Readers: files, directories and archives in, raw article records (or clean errors) out.

Every reader yields `Record` for each article it finds and `InputError` for each one it cannot
read, so a batch always goes on past bad input. Supported inputs:

| input                         | what is read                                                  |
| ----------------------------- | ------------------------------------------------------------- |
| `.txt`, `.text`, `.md`        | one article; metadata from `---` front matter or `NAME.meta.json` |
| `.html`, `.htm`, `.xhtml`     | main text and metadata via trafilatura                        |
| `.jsonl`, `.ndjson`           | one article per line                                          |
| `.json`                       | one article object, a list of them, or `{"articles": [...]}`  |
| `.csv`, `.tsv`                | one article per row                                           |
| `.rss`, `.atom`, `.xml`       | one article per feed entry (feedparser)                       |
| `.gz`                         | the file inside, by its inner extension (`x.jsonl.gz`)        |
| `.zip`                        | every member, by extension                                    |
| a directory                   | every file below it, recursively, in sorted order             |

Field names in JSON, JSON Lines and CSV are mapped with `FieldMap` (defaults: `id`, `url`,
`title`, `text|body|content`, `date|published`, `outlet|source|publisher`, `author`).

Bad input is always an `InputError` naming the file (`archive.zip!member` inside an archive) and,
for JSON Lines, CSV, JSON lists and feeds, the line, row, item or entry (`line`): never another
exception. Limits (`framewatch.config.Limits`) are checked before parsing; an input that yields
no article yields an error that says why.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from framewatch import config
from framewatch.config import Limits
from framewatch.corpus._decode import XML_ILLEGAL, as_utf8_xml, bom_encoding, decode, decode_lenient
from framewatch.errors import InputError

TEXT_EXT = {".txt", ".text", ".md"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
JSON_EXT = {".json"}
CSV_EXT = {".csv", ".tsv"}
FEED_EXT = {".rss", ".atom", ".xml"}
SUPPORTED = sorted(TEXT_EXT | HTML_EXT | JSONL_EXT | JSON_EXT | CSV_EXT | FEED_EXT | {".gz", ".zip"})
# Files a directory walk passes over silently: metadata sidecars and project files.
_SKIP_NAMES = re.compile(r"(?i)^(readme|licen[cs]e|copying|notice)(\.\w+)?$|\.meta\.json$")
_HTML_HINT = re.compile(r"<(p|div|br|html|body|article|span|a)\b[^>]*>", re.I)
MIN_HTML_WORDS = 10  # less than this is navigation or a cookie banner, not an article
FAST_HTML_PARAGRAPHS = 2_000  # see `read_html`
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)


@dataclass(frozen=True, slots=True)
class Record:
    """One article as read, before cleaning: mapped fields plus where it came from."""

    fields: dict[str, Any]
    source: str
    line: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which input field names feed each article field; the first non-empty one wins."""

    id: tuple[str, ...] = ("id", "article_id", "doc_id", "guid", "uuid")
    url: tuple[str, ...] = ("url", "link", "href", "source_url", "uri", "canonical_url")
    title: tuple[str, ...] = ("title", "headline")
    text: tuple[str, ...] = ("text", "body", "content", "article", "full_text", "maintext", "article_text")
    date: tuple[str, ...] = ("date", "published", "published_at", "publish_date", "pubdate",
                             "date_publish", "datetime", "timestamp", "created_at")
    outlet: tuple[str, ...] = ("outlet", "source", "publisher", "site", "sitename", "site_name",
                               "source_name", "media", "domain")
    author: tuple[str, ...] = ("author", "authors", "byline", "creator")
    language: tuple[str, ...] = ("language", "lang")
    extra_keep: tuple[str, ...] = field(default=("licence", "license", "licence_url", "deal", "section", "tags"))

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, str] | None) -> FieldMap:
        """`{"text": "story"}` reads the article text from the column `story` first."""
        base = cls()
        if not overrides:
            return base
        changes: dict[str, tuple[str, ...]] = {}
        for key, name in overrides.items():
            if key not in ("id", "url", "title", "text", "date", "outlet", "author", "language"):
                raise ValueError(f"unknown article field {key!r} in field mapping; use one of "
                                 "id, url, title, text, date, outlet, author, language")
            changes[key] = (name, *getattr(base, key))
        return cls(**{**{k: getattr(base, k) for k in base.__slots__}, **changes})  # type: ignore[attr-defined]

    def apply(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        lower = {str(k).lower().strip(): v for k, v in obj.items()}
        out: dict[str, Any] = {}
        for key in ("id", "url", "title", "text", "date", "outlet", "author", "language"):
            for name in getattr(self, key):
                value = lower.get(name.lower())
                if value not in (None, "", [], {}):
                    if key == "text":  # paragraphs as a list stay paragraphs; other types are refused later
                        out[key] = ("\n\n".join(value) if isinstance(value, list)
                                    and all(isinstance(v, str) for v in value) else value)
                    else:
                        out[key] = _flatten(value)
                    break
        extra = {k: lower[k] for k in self.extra_keep if lower.get(k) not in (None, "")}
        if extra:
            out["extra"] = extra
        return out


def _flatten(value: Any) -> Any:
    """Lists of authors become 'A, B'; nested {"name": ...} objects become their name."""
    if isinstance(value, list):
        return ", ".join(str(_flatten(v)) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        for key in ("name", "title", "value", "text", "href", "url"):
            if key in value:
                return _flatten(value[key])
        return json.dumps(value, ensure_ascii=False)
    return value


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text[:5000]))


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one paragraph a line (used for feed entries and fields)."""
    import lxml.html

    html = XML_ILLEGAL.sub(" ", html)  # lxml refuses strings with control characters
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        for el in root.iter("script", "style", "noscript"):
            el.drop_tree()
        for el in root.iter("br", "p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"):
            el.tail = "\n" + (el.tail or "")
        text = root.text_content()
    except Exception:  # lxml raises several types on junk; any of them means 'not HTML we can read'
        text = re.sub(r"<[^>]+>", " ", html)
    lines = (re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


# --------------------------------------------------------------------------------------------
# Limits and parsing failures, turned into reasons a user can act on.


class _OverLimit(Exception):
    """An input went over a limit while it was streamed (a decompressing archive)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _BadJSON(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _mb(n: int) -> str:
    """A size in words: '15,000 bytes', '52.4 MB', '2.1 GB'."""
    if n < 10**6:
        return f"{n:,} bytes"
    return f"{n / 1e6:,.1f} MB" if n < 10**9 else f"{n / 1e9:,.1f} GB"


def _raise_hint(name: str) -> str:
    return f"(raise it with --limit {name}={'SIZE' if name.endswith('_bytes') else 'N'})"


class _Capped(io.RawIOBase):
    """A readable view of a decompressing stream that stops at `limit` bytes unpacked."""

    def __init__(self, stream: Any, limit: int, what: str) -> None:
        self._stream, self._limit, self._what, self.total = stream, limit, what, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        chunk = self._stream.read(len(b))
        self.total += len(chunk)
        if self.total > self._limit:
            raise _OverLimit(f"{self._what} unpacks to more than {_mb(self._limit)}, over the archive_bytes limit: "
                             f"a zip bomb? {_raise_hint('archive_bytes')}")
        b[: len(chunk)] = chunk
        return len(chunk)


class _Gunzip(io.RawIOBase):
    """Decompress a gzip stream (of one or more members) and, unlike `gzip.GzipFile`, hand out
    everything that decompressed before the data ends early or turns corrupt; the error comes
    with the next read. A truncated download keeps its complete lines."""

    def __init__(self, raw: Any) -> None:
        self._raw, self._z = raw, zlib.decompressobj(wbits=31)
        self._buf, self._error, self._started = b"", None, False  # type: bytes, BaseException | None, bool

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            chunk = self._raw.read(1 << 16)
            try:
                if not chunk:
                    if not self._z.eof and (self._started or self._z.unconsumed_tail):
                        self._error = EOFError("compressed file ended before the end-of-stream marker")
                        continue
                    if not self._started:
                        raise gzip.BadGzipFile("empty gzip stream")
                    return 0
                if not self._started and not chunk.startswith(b"\x1f\x8b"):
                    raise gzip.BadGzipFile(f"not gzip data (it starts with {chunk[:2]!r})")
                self._started = True
                self._buf = self._z.decompress(chunk)
                while self._z.eof and self._z.unused_data.strip(b"\x00"):  # another member follows
                    rest = self._z.unused_data
                    self._z = zlib.decompressobj(wbits=31)
                    self._buf += self._z.decompress(rest)
            except (zlib.error, gzip.BadGzipFile) as exc:
                self._error = exc
        n = min(len(b), len(self._buf))
        b[:n], self._buf = self._buf[:n], self._buf[n:]
        return n


def _failure(exc: BaseException) -> str:
    """The reason, in words, for an exception a library raised on bad bytes."""
    if isinstance(exc, zlib.error):
        return f"corrupt compressed data ({exc})"
    if isinstance(exc, EOFError):
        return "truncated compressed data: the archive ends before its end marker"
    if isinstance(exc, gzip.BadGzipFile):
        return f"corrupt gzip archive: {exc}"
    if isinstance(exc, zipfile.BadZipFile):
        return f"corrupt zip archive: {exc}"
    if isinstance(exc, UnicodeDecodeError):
        return f"undecodable bytes: not valid {exc.encoding}; re-save the file as UTF-8"
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


# what reading or unpacking bad bytes raises (not a bug): each ends that input with an error
_READ_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile, UnicodeDecodeError)


def _guard(items: Iterator[Record | InputError], source: str) -> Iterator[Record | InputError]:
    """`items`, ending with one `InputError` for `source` if reading it fails part way."""
    try:
        yield from items
    except _OverLimit as exc:
        yield InputError(source, exc.reason)
    except InputError as exc:
        yield exc
    except _READ_ERRORS as exc:
        yield InputError(source, _failure(exc))


def _at_least_one(items: Iterator[Record | InputError], source: str, why: str) -> Iterator[Record | InputError]:
    """`items`, or an `InputError` saying `why` when there are none: no input vanishes silently."""
    empty = True
    for item in items:
        empty = False
        yield item
    if empty:
        yield InputError(source, why)


def _give_up_after(items: Iterator[Record | InputError], source: str, limit: int,
                   what: str) -> Iterator[Record | InputError]:
    """`items` of a line-by-line file, stopped with an error after `limit` errors in a row: a
    binary or foreign file renamed `.jsonl` would otherwise give an error for each of its lines."""
    bad = 0
    for item in items:
        yield item
        bad = bad + 1 if isinstance(item, InputError) else 0
        if bad >= limit:
            yield InputError(source, f"{limit:,} bad {what} in a row and none good: the rest of the file is not "
                             f"read (is it really {'JSON Lines' if what == 'lines' else 'CSV'}?) "
                             + _raise_hint("bad_lines"))
            return


_JSON_TOKENS = re.compile(r'\\.|["\[\]{}]')
_INT_DIGITS = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300


def _nested_over(text: str, limit: int) -> bool:
    """True when arrays and objects nest more than `limit` deep in the JSON `text` (brackets inside
    strings do not count). Linear, and skipped when there are not enough brackets to nest that deep."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string = 0, False
    for m in _JSON_TOKENS.finditer(text):
        token = m.group()
        if token == '"':
            in_string = not in_string
        elif in_string or len(token) == 2:
            continue
        elif token in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _parse_int(digits: str) -> int:
    if _INT_DIGITS and len(digits.lstrip("-")) > _INT_DIGITS:
        raise _BadJSON(f"a JSON number of {len(digits.lstrip('-')):,} digits, more than the "
                       f"{_INT_DIGITS:,} Python reads (is the record corrupt?)")
    return int(digits)


def _loads(text: str, limits: Limits, *, lines: bool) -> Any:
    """`json.loads` with the nesting limit checked first; every failure is a `_BadJSON` reason."""
    if _nested_over(text, limits.json_depth):
        raise _BadJSON(f"JSON nested more than {limits.json_depth} levels deep, over the json_depth limit "
                       + _raise_hint("json_depth"))
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if lines else f"line {exc.lineno} column {exc.colno}"
        raise _BadJSON(f"malformed JSON: {exc.msg} at {where}") from None
    except RecursionError:
        raise _BadJSON("JSON nested too deeply to parse") from None


_TAG = re.compile(r"<[A-Za-z/!?]")


def _too_many_tags(text: str, limits: Limits) -> str | None:
    """Why an HTML page or feed is not parsed (more tags than `markup_tags`), or None. A news page
    has a few thousand tags; the HTML and feed parsers take seconds a hundred thousand."""
    if text.count("<") <= limits.markup_tags:
        return None
    n = sum(1 for _ in _TAG.finditer(text))
    if n <= limits.markup_tags:
        return None
    return (f"{n:,} tags, over the markup_tags limit of {limits.markup_tags:,}: not a news page? "
            + _raise_hint("markup_tags"))


# --------------------------------------------------------------------------------------------
# Single-file readers. Each takes the bytes (or a binary stream) and a display name.


def read_text(data: bytes, source: str, meta: Mapping[str, Any] | None = None) -> Iterator[Record | InputError]:
    """A plain-text article; `---` front matter (`key: value` lines) supplies metadata."""
    decoded = decode(data, source)
    text = decoded.text.lstrip("\ufeff")
    if not text.strip():
        yield InputError(source, "empty file: nothing but whitespace")
        return
    fields: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m.group(1).splitlines():
            if ":" in line:
                key, _, value = line.partition(":")
                fields[key.strip().lower()] = value.strip().strip("'\"")
        text = text[m.end():]
    mapped = FieldMap().apply({**(meta or {}), **fields})
    mapped["text"] = text
    if "title" not in mapped:
        first = text.strip().split("\n", 1)[0].strip()
        if 0 < len(first) <= 200 and not first.endswith((".", ":")):
            mapped["title"] = first
    yield Record(mapped, source, notes=_note(decoded.note))


def read_html(data: bytes, source: str, meta: Mapping[str, Any] | None = None,
              limits: Limits | None = None) -> Iterator[Record | InputError]:
    """Main text and metadata (title, author, date, site name, url) via trafilatura."""
    import trafilatura

    decoded = decode(data, source)
    html, controls = XML_ILLEGAL.subn(" ", decoded.text)  # lxml refuses control characters
    if not html.strip():
        yield InputError(source, "empty file: nothing but whitespace")
        return
    if why := _too_many_tags(html, limits or config.limits()):
        yield InputError(source, f"HTML page with {why}")
        return
    try:
        # trafilatura's fallback extractors (justext) take time quadratic in the paragraphs:
        # minutes for 20,000; a page that long is read by trafilatura's own extractor only
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, fast=html.count("<p") > FAST_HTML_PARAGRAPHS)
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        yield InputError(source, f"malformed HTML: {type(exc).__name__}: {exc}")
        return
    info = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (info.get("text") or "").strip()
    if len(text.split()) < MIN_HTML_WORDS:
        yield InputError(source, "malformed or empty HTML: no article text found (is it a navigation or index page?)")
        return
    fields = {"text": text, "title": info.get("title"), "author": info.get("author"),
              "date": info.get("date"), "outlet": info.get("sitename") or info.get("hostname"),
              "url": info.get("url")}
    mapped = FieldMap().apply({k: v for k, v in {**fields, **(meta or {})}.items() if v})
    notes = _note(decoded.note)
    if controls:
        notes += (f"decoded leniently: {controls:,} control character{'s' if controls != 1 else ''} turned into spaces",)
    yield Record(mapped, source, notes=notes)


def _sniff(stream: Any, n: int = 4) -> tuple[bytes, Any]:
    """The first `n` bytes of `stream` and a stream that still starts with them."""
    head = stream.read(n)
    return head, io.BufferedReader(_Chain(head, stream), buffer_size=1 << 16)


class _Utf8(io.RawIOBase):
    """A binary stream of UTF-8 bytes read from a text stream (a UTF-16 or UTF-32 file)."""

    def __init__(self, text: io.TextIOBase) -> None:
        self._text, self._buf = text, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            chunk = self._text.read(1 << 14)
            if not chunk:
                return 0
            self._buf = chunk.encode("utf-8", errors="replace")
        n = min(len(b), len(self._buf))
        b[:n], self._buf = self._buf[:n], self._buf[n:]
        return n


def _lines(stream: Any, source: str, limit: int) -> Iterator[tuple[int, bytes | InputError]]:
    """(line number, bytes) for each line of a binary stream, or an `InputError` in place of a
    line longer than `limit` bytes (skipped without holding it). UTF-16 and UTF-32 files with a
    byte-order mark come out as UTF-8 lines."""
    head, stream = _sniff(stream)
    enc = bom_encoding(head)
    if enc in ("utf-16", "utf-32"):
        text = io.TextIOWrapper(stream, encoding=enc, errors="strict", newline="")
        stream = io.BufferedReader(_Utf8(text), buffer_size=1 << 16)
    n = 0
    while raw := stream.readline(limit + 1):
        n += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(1 << 20)
                size += len(raw)
            yield n, InputError(source, f"line of {size:,} bytes is over the {limit:,}-byte line_bytes limit "
                                + _raise_hint("line_bytes"), line=n)
            continue
        yield n, raw


def read_jsonl(stream: io.BufferedIOBase | io.BytesIO, source: str, fmap: FieldMap | None = None,
               limits: Limits | None = None) -> Iterator[Record | InputError]:
    """One JSON object per line; a bad line is reported with its number and skipped."""
    fmap, limits = fmap or FieldMap(), limits or config.limits()
    blank = True
    for n, raw in _lines(stream, source, limits.line_bytes):
        if isinstance(raw, InputError):
            blank = False
            yield raw
            continue
        if not raw.strip():
            continue
        blank = False
        try:
            decoded = decode(raw, f"{source}:{n}")
            obj = _loads(decoded.text.lstrip("\ufeff"), limits, lines=True)
        except InputError as exc:
            yield InputError(source, exc.reason, line=n)
            continue
        except _BadJSON as exc:
            yield InputError(source, exc.reason, line=n)
            continue
        yield from _records_from_objects([obj], source, fmap, line=n, note=decoded.note)
    if blank:
        yield InputError(source, "empty file: only blank lines, no JSON records")


def read_json(data: bytes, source: str, fmap: FieldMap | None = None,
              limits: Limits | None = None) -> Iterator[Record | InputError]:
    """A JSON document: one article object, a list of them, or an object holding such a list."""
    fmap, limits = fmap or FieldMap(), limits or config.limits()
    decoded = decode(data, source)
    try:
        obj = _loads(decoded.text.lstrip("\ufeff"), limits, lines=False)
    except _BadJSON as exc:
        yield InputError(source, exc.reason)
        return
    if isinstance(obj, dict):
        for key in ("articles", "items", "data", "results", "documents", "docs"):
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
    objs = obj if isinstance(obj, list) else [obj]
    if not objs:
        yield InputError(source, "empty JSON list: no articles")
        return
    for i, item in enumerate(objs):
        yield from _records_from_objects([item], source, fmap, line=i + 1 if isinstance(obj, list) else None,
                                         note=decoded.note, what="item")


def read_csv(stream: io.BufferedIOBase | io.BytesIO, source: str, fmap: FieldMap | None = None, *,
             delimiter: str = ",", limits: Limits | None = None) -> Iterator[Record | InputError]:
    """A CSV/TSV export with a header row; a malformed row is reported with its line number."""
    fmap, limits = fmap or FieldMap(), limits or config.limits()
    head = stream.read(1 << 20)
    note = None
    encoding = bom_encoding(head)
    if encoding is None:
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # cut inside a multi-byte character at the boundary
                encoding = "utf-8"
            else:
                decode(head[:8192], source)  # raises InputError for binary data
                encoding, note = "cp1252", "decoded as cp1252 (not valid UTF-8)"
    text = io.TextIOWrapper(_Chain(head, stream), encoding=encoding, newline="", errors="strict")
    csv.field_size_limit(limits.line_bytes)
    # strict: a quotation mark left open is an error, not the rest of the file read as one field
    reader = csv.DictReader(text, delimiter=delimiter, strict=True)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        yield InputError(source, f"malformed CSV header: {_csv_reason(exc, limits)}")
        return
    except UnicodeDecodeError:
        yield InputError(source, f"undecodable bytes in the header: not {encoding}; re-save the file as UTF-8")
        return
    if not header or not any(h.strip() for h in header):
        yield InputError(source, "empty CSV: no header row")
        return
    names = {h.strip().lower().lstrip("\ufeff") for h in header}
    if not names & {t.lower() for t in fmap.text}:
        yield InputError(source, f"no text column: the header has {', '.join(repr(h) for h in header[:12])}"
                         f"{' ...' if len(header) > 12 else ''}; expected one of {', '.join(fmap.text)} "
                         "(or map yours with --field text=NAME)")
        return
    width = len(header)
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError:
            yield InputError(source, f"undecodable bytes after line {reader.line_num}: not {encoding}; "
                             "re-save the file as UTF-8", line=reader.line_num)
            return
        except csv.Error as exc:
            rows += 1
            yield InputError(source, f"malformed CSV row: {_csv_reason(exc, limits)}", line=start)
            if "unexpected end of data" in str(exc):
                return
            continue
        rows += 1
        line = start
        if None in row or any(v is None for v in row.values()):
            got = width + len(row.get(None) or []) if None in row else sum(v is not None for v in row.values())
            yield InputError(source, f"malformed CSV row: {got} fields, the header has {width}", line=line)
            continue
        yield from _records_from_objects([row], source, fmap, line=line, note=note, what="row")
    if rows == 0:
        yield InputError(source, "CSV has a header row but no rows: no articles")


def _csv_reason(exc: csv.Error, limits: Limits) -> str:
    msg = str(exc)
    if "unexpected end of data" in msg:
        return "a quotation mark is never closed (the quoted field runs to the end of the file)"
    if "field larger than field limit" in msg:
        return (f"a field over the {limits.line_bytes:,}-byte line_bytes limit (an unclosed quotation mark?) "
                + _raise_hint("line_bytes"))
    return msg


_FEED_ENTRY = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")


def read_feed(data: bytes, source: str, limits: Limits | None = None) -> Iterator[Record | InputError]:
    """RSS or Atom: one article per entry, with the entry's full content when the feed has it.

    Invalid bytes and control characters do not cost the feed: they are replaced (see
    `decode_lenient`) and each entry's notes say so.
    """
    import feedparser

    limits = limits or config.limits()
    if not data.strip():
        yield InputError(source, "empty file")
        return
    decoded = decode_lenient(data, source)
    if why := _too_many_tags(decoded.text, limits):
        yield InputError(source, f"feed with {why}")
        return
    count = sum(1 for _ in _FEED_ENTRY.finditer(decoded.text))
    if count > limits.feed_entries:
        yield InputError(source, f"feed has {count:,} entries, over the feed_entries limit of {limits.feed_entries:,} "
                         + _raise_hint("feed_entries"))
        return
    try:
        # no sanitising or link rewriting: entry HTML becomes plain text here (and the sanitiser
        # is slow on long entries)
        parsed = feedparser.parse(as_utf8_xml(decoded.text), sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is meant never to raise; if it does, the feed is the cause
        yield InputError(source, f"malformed feed: {type(exc).__name__}: {exc}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        yield InputError(source, f"malformed or empty feed: {reason or 'no entries'}")
        return
    if len(entries) > limits.feed_entries:
        yield InputError(source, f"feed has {len(entries):,} entries, over the feed_entries limit of "
                         f"{limits.feed_entries:,} " + _raise_hint("feed_entries"))
        return
    outlet = (parsed.get("feed") or {}).get("title")
    for i, e in enumerate(entries, 1):
        body = ""
        if e.get("content"):
            body = max((c.get("value") or "" for c in e["content"]), key=len)
        body = body or e.get("summary") or e.get("description") or ""
        text = html_to_text(body) if looks_like_html(body) else body
        fields = {"id": e.get("id") or None, "url": e.get("link"), "title": e.get("title"), "text": text,
                  "date": e.get("published") or e.get("updated"), "author": e.get("author"),
                  "outlet": outlet}
        mapped = FieldMap().apply({k: v for k, v in fields.items() if v})
        if not mapped.get("text"):
            yield InputError(source, f"feed entry {i} has no text (no content, summary or description)", line=i)
            continue
        yield Record(mapped, source, line=i, notes=_note(decoded.note))


def _records_from_objects(objs: Iterable[Any], source: str, fmap: FieldMap, *, line: int | None,
                          note: str | None, what: str = "record") -> Iterator[Record | InputError]:
    for obj in objs:
        if not isinstance(obj, Mapping):
            yield InputError(source, f"{what} is a JSON {type(obj).__name__}, not an object with a text field", line=line)
            continue
        mapped = fmap.apply(obj)
        text = mapped.get("text")
        if text is not None and not isinstance(text, str):
            yield InputError(source, f"{what}'s text is a JSON {type(text).__name__}, expected a string", line=line)
            continue
        if not text or not text.strip():
            yield InputError(source, f"{what} has no text: expected one of the fields "
                             f"{', '.join(fmap.text)} (or map yours with --field text=NAME)", line=line)
            continue
        if looks_like_html(text):
            mapped["text"] = html_to_text(text)
        yield Record(mapped, source, line=line, notes=_note(note))


def _note(note: str | None) -> tuple[str, ...]:
    return (note,) if note else ()


class _Chain(io.RawIOBase):
    """A readable stream of `head` followed by the rest of `stream` (for sniffing then reading)."""

    def __init__(self, head: bytes, stream: Any) -> None:
        self._head = io.BytesIO(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._head.readinto(b)
        if n:
            return n
        # read1: what one read gives, so the bytes before a failure further on are not held back
        read = getattr(self._stream, "read1", self._stream.read)
        chunk = read(len(b))
        b[: len(chunk)] = chunk
        return len(chunk)


# --------------------------------------------------------------------------------------------
# Dispatch: paths, directories and archives.


def _ext(name: str) -> str:
    return Path(name).suffix.lower()


def _limits(limits: Limits | Mapping[str, Any] | Iterable[str] | None, max_bytes: int | None) -> Limits:
    lim = config.limits(limits)
    return replace(lim, file_bytes=max_bytes) if max_bytes is not None else lim


def read_path(path: str | Path, *, field_map: Mapping[str, str] | FieldMap | None = None,
              limits: Limits | Mapping[str, Any] | Iterable[str] | None = None,
              max_bytes: int | None = None) -> Iterator[Record | InputError]:
    """Read every article under `path` (a file, an archive or a directory).

    Yields a `Record` per article and an `InputError` per input that could not be read.
    `limits` (default `config.limits()`) bounds what one input may hold; `max_bytes` is a
    shortcut for its `file_bytes`.
    """
    fmap = field_map if isinstance(field_map, FieldMap) else FieldMap.with_overrides(field_map)
    lim = _limits(limits, max_bytes)
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts))
        if not files:
            yield InputError(str(p), "directory holds no files (hidden files are not read)")
        elif all(_SKIP_NAMES.search(f.name) for f in files):
            yield InputError(str(p), "directory holds no article files, only READMEs, licences and .meta.json sidecars")
        for f in files:
            if _SKIP_NAMES.search(f.name):
                continue
            yield from _read_file(f, fmap, lim)
        return
    if not p.exists():
        yield InputError(str(p), "no such file or directory")
        return
    yield from _read_file(p, fmap, lim)


def read_bytes(data: bytes, name: str, *, field_map: Mapping[str, str] | FieldMap | None = None,
               limits: Limits | Mapping[str, Any] | Iterable[str] | None = None) -> Iterator[Record | InputError]:
    """Read the articles in `data`, the content of a file called `name` (its extension picks the
    reader), as `read_path` does: for bytes a crawler holds in memory.

    >>> [r.fields["text"] for r in read_bytes(b'{"text": "The deal."}', "a.json")]
    ['The deal.']
    """
    fmap = field_map if isinstance(field_map, FieldMap) else FieldMap.with_overrides(field_map)
    lim = _limits(limits, None)
    if _ext(name) == ".zip":
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except _ZIP_OPEN_ERRORS as exc:
            yield InputError(name, f"corrupt zip archive: {exc}")
            return
        yield from _at_least_one(_guard(_read_zip(zf, name, fmap, lim), name), name, "no articles found")
        return
    if _ext(name) == ".gz":
        stream = _Gunzip(io.BytesIO(data))
        yield from _at_least_one(_guard(_read_gzip(name, stream, name, fmap, lim), name), name, "no articles found")
        return
    yield from _at_least_one(_guard(_dispatch_bytes(name, data, name, fmap, lim), name), name, "no articles found")


def _read_file(p: Path, fmap: FieldMap, limits: Limits) -> Iterator[Record | InputError]:
    source = str(p)
    yield from _at_least_one(_guard(_read_file_items(p, fmap, limits), source), source, "no articles found")


def _read_file_items(p: Path, fmap: FieldMap, limits: Limits) -> Iterator[Record | InputError]:
    source = str(p)
    size = p.stat().st_size
    if size == 0:
        yield InputError(source, "empty file")
        return
    ext = _ext(p.name)
    if ext in JSONL_EXT | CSV_EXT:  # streamed: any size, one record at a time
        with p.open("rb") as fh:
            yield from _dispatch_stream(p.name, fh, source, fmap, limits)
        return
    if ext == ".zip":
        try:
            zf = zipfile.ZipFile(p)
        except _ZIP_OPEN_ERRORS as exc:
            yield InputError(source, f"corrupt zip archive: {exc}")
            return
        yield from _read_zip(zf, source, fmap, limits)
        return
    if ext == ".gz":
        with p.open("rb") as fh:
            yield from _read_gzip(p.name, _Gunzip(fh), source, fmap, limits)
        return
    if ext not in SUPPORTED:
        yield InputError(source, f"unknown file type {ext or '(no extension)'!r}; supported: {', '.join(SUPPORTED)}")
        return
    if size > limits.file_bytes:
        yield InputError(source, f"file is {_mb(size)}, over the {_mb(limits.file_bytes)} file_bytes limit "
                         "(split it, or raise it with --limit file_bytes=SIZE)")
        return
    yield from _dispatch_bytes(p.name, p.read_bytes(), source, fmap, limits, sidecar=_sidecar(p))


def _sidecar(p: Path) -> dict[str, Any] | None:
    side = p.with_name(p.name.rsplit(".", 1)[0] + ".meta.json")
    if not side.exists():
        return None
    try:
        meta = json.loads(side.read_text(encoding="utf-8"), parse_int=_parse_int)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError, _BadJSON) as exc:
        reason = exc.reason if isinstance(exc, _BadJSON) else str(exc)
        raise InputError(str(side), f"malformed metadata sidecar: {reason}") from None
    if not isinstance(meta, dict):
        raise InputError(str(side), "metadata sidecar must hold a JSON object")
    return meta


def _dispatch_bytes(name: str, data: bytes, source: str, fmap: FieldMap, limits: Limits,
                    sidecar: Mapping[str, Any] | None = None) -> Iterator[Record | InputError]:
    ext = _ext(name)
    if not data.strip():
        yield InputError(source, "empty file")
    elif ext in TEXT_EXT:
        yield from read_text(data, source, sidecar)
    elif ext in HTML_EXT:
        yield from read_html(data, source, sidecar, limits)
    elif ext in JSON_EXT:
        yield from read_json(data, source, fmap, limits)
    elif ext in FEED_EXT:
        yield from read_feed(data, source, limits)
    elif ext in JSONL_EXT | CSV_EXT:
        yield from _dispatch_stream(name, io.BytesIO(data), source, fmap, limits)
    elif ext == ".zip":
        yield InputError(source, "a zip archive inside an archive is not read: unpack it first")
    else:
        yield InputError(source, f"unknown file type {ext or '(no extension)'!r}; supported: {', '.join(SUPPORTED)}")


def _dispatch_stream(name: str, stream: Any, source: str, fmap: FieldMap, limits: Limits) -> Iterator[Record | InputError]:
    ext = _ext(name)
    if ext in JSONL_EXT:
        yield from _give_up_after(read_jsonl(stream, source, fmap, limits), source, limits.bad_lines, "lines")
    else:
        rows = read_csv(stream, source, fmap, delimiter="\t" if ext == ".tsv" else ",", limits=limits)
        yield from _give_up_after(rows, source, limits.bad_lines, "rows")


def _read_gzip(name: str, fh: Any, source: str, fmap: FieldMap, limits: Limits) -> Iterator[Record | InputError]:
    inner = name[: -len(".gz")] if name.lower().endswith(".gz") else name
    capped = io.BufferedReader(_Capped(fh, limits.archive_bytes, "the gzip archive"), buffer_size=1 << 16)
    if _ext(inner) in JSONL_EXT | CSV_EXT:
        yield from _dispatch_stream(inner, capped, source, fmap, limits)
        return
    if _ext(inner) == ".gz":
        yield InputError(source, "a gzip archive inside an archive is not read: unpack it first")
        return
    data = capped.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        yield InputError(source, f"decompressed content is over the {_mb(limits.file_bytes)} file_bytes limit "
                         "(split it, or raise it with --limit file_bytes=SIZE)")
        return
    if not data:
        yield InputError(source, "empty gzip archive")
        return
    yield from _dispatch_bytes(inner, data, source, fmap, limits)


# what opening a broken zip raises: a bad central directory, odd headers, undecodable names
_ZIP_OPEN_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, UnicodeDecodeError,
                    NotImplementedError)
# what reading a broken member raises, besides `_READ_ERRORS`: an unsupported compression method
# (NotImplementedError), a password (RuntimeError), an inconsistent header (ValueError)
_MEMBER_ERRORS = (*_READ_ERRORS, NotImplementedError, RuntimeError, ValueError)
# files an operating system adds to the archives it makes: metadata, not articles
_OS_METADATA = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.I)


def _unsafe_name(name: str) -> str | None:
    """Why a member name is not read, or None: parent-directory or absolute paths, hidden files."""
    norm = name.replace("\\", "/")
    parts = PurePosixPath(norm).parts
    if norm.startswith("/") or re.match(r"^[A-Za-z]:", norm) or ".." in parts or "\x00" in norm:
        return "unsafe member name (an absolute path or '..'): not read"
    if any(part.startswith(".") for part in parts):
        return "hidden member (a name that starts with '.'): not read; rename it to read it"
    return None


def _read_zip(zf: zipfile.ZipFile, archive: str, fmap: FieldMap, limits: Limits) -> Iterator[Record | InputError]:
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and not _OS_METADATA.search(i.filename)]
        if not infos:
            yield InputError(archive, "empty zip archive: no files")
            return
        if len(infos) > limits.archive_members:
            yield InputError(archive, f"zip holds {len(infos):,} files, over the archive_members limit of "
                             f"{limits.archive_members:,} " + _raise_hint("archive_members"))
            return
        total = sum(i.file_size for i in infos)
        if total > limits.archive_bytes:
            yield InputError(archive, f"zip unpacks to {_mb(total)}, over the {_mb(limits.archive_bytes)} "
                             f"archive_bytes limit: a zip bomb? " + _raise_hint("archive_bytes"))
            return
        for info in sorted(infos, key=lambda i: i.filename):
            source = f"{archive}!{info.filename}"
            if _SKIP_NAMES.search(Path(info.filename).name):
                continue
            why = _unsafe_name(info.filename)
            if why:
                yield InputError(source, why)
                continue
            if info.file_size > limits.file_bytes:
                yield InputError(source, f"member is {_mb(info.file_size)}, over the {_mb(limits.file_bytes)} "
                                 "file_bytes limit (split it, or raise it with --limit file_bytes=SIZE)")
                continue
            if info.flag_bits & 0x1:
                yield InputError(source, "encrypted member: not read (unpack it with its password first)")
                continue
            try:
                with zf.open(info) as fh:
                    data = fh.read(limits.file_bytes + 1)
            except _MEMBER_ERRORS as exc:
                yield InputError(source, f"cannot read zip member: {_failure(exc)}")
                continue
            if _ext(info.filename) == ".gz":
                items = _read_gzip(info.filename, _Gunzip(io.BytesIO(data)), source, fmap, limits)
            else:
                items = _dispatch_bytes(info.filename, data, source, fmap, limits)
            yield from _at_least_one(_guard(items, source), source, "no articles found")


def read_paths(paths: Iterable[str | Path], **kwargs: Any) -> Iterator[Record | InputError]:
    """`read_path` over several paths, in the order given."""
    for path in paths:
        yield from read_path(path, **kwargs)
