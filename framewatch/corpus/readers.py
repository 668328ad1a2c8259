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
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framewatch import config
from framewatch.corpus._decode import decode
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

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types on junk; any of them means 'not HTML we can read'
        return re.sub(r"<[^>]+>", " ", html)
    for el in root.iter("script", "style", "noscript"):
        el.drop_tree()
    for el in root.iter("br"):
        el.tail = "\n" + (el.tail or "")
    for el in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"):
        el.tail = "\n" + (el.tail or "")
    lines = (re.sub(r"[ \t]+", " ", ln).strip() for ln in root.text_content().split("\n"))
    return "\n".join(ln for ln in lines if ln)


# --------------------------------------------------------------------------------------------
# Single-file readers. Each takes the bytes (or a binary stream) and a display name.


def read_text(data: bytes, source: str, meta: Mapping[str, Any] | None = None) -> Iterator[Record | InputError]:
    """A plain-text article; `---` front matter (`key: value` lines) supplies metadata."""
    decoded = decode(data, source)
    text = decoded.text
    fields: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if m:
        for line in m.group(1).splitlines():
            if ":" in line:
                key, _, value = line.partition(":")
                fields[key.strip().lower()] = value.strip().strip("'\"")
        text = text.lstrip("\ufeff")[m.end():]
    mapped = FieldMap().apply({**(meta or {}), **fields})
    mapped["text"] = text
    if "title" not in mapped:
        first = text.strip().split("\n", 1)[0].strip()
        if 0 < len(first) <= 200 and not first.endswith((".", ":")):
            mapped["title"] = first
    yield Record(mapped, source, notes=_note(decoded.note))


def read_html(data: bytes, source: str, meta: Mapping[str, Any] | None = None) -> Iterator[Record | InputError]:
    """Main text and metadata (title, author, date, site name, url) via trafilatura."""
    import trafilatura

    decoded = decode(data, source)
    if not decoded.text.strip():
        yield InputError(source, "empty file")
        return
    try:
        doc = trafilatura.bare_extraction(decoded.text, with_metadata=True, include_comments=False,
                                          include_tables=False)
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
    yield Record(mapped, source, notes=_note(decoded.note))


def read_jsonl(stream: io.BufferedIOBase | io.BytesIO, source: str, fmap: FieldMap,
               max_record: int) -> Iterator[Record | InputError]:
    """One JSON object per line; a bad line is reported with its number and skipped."""
    for n, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        if len(raw) > max_record:
            yield InputError(source, f"record of {len(raw):,} bytes is over the {max_record:,}-byte limit", line=n)
            continue
        try:
            decoded = decode(raw, f"{source}:{n}")
            obj = json.loads(decoded.text)
        except InputError as exc:
            yield InputError(source, exc.reason, line=n)
            continue
        except json.JSONDecodeError as exc:
            yield InputError(source, f"malformed JSON: {exc.msg} at column {exc.colno}", line=n)
            continue
        yield from _records_from_objects([obj], source, fmap, line=n, note=decoded.note)


def read_json(data: bytes, source: str, fmap: FieldMap) -> Iterator[Record | InputError]:
    """A JSON document: one article object, a list of them, or an object holding such a list."""
    decoded = decode(data, source)
    try:
        obj = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        yield InputError(source, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
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


def read_csv(stream: io.BufferedIOBase | io.BytesIO, source: str, fmap: FieldMap, *,
             delimiter: str = ",", max_record: int) -> Iterator[Record | InputError]:
    """A CSV/TSV export with a header row; a malformed row is reported with its line number."""
    head = stream.read(1 << 20)
    try:
        head.decode("utf-8")
        encoding, note = "utf-8-sig", None
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # cut inside a multi-byte character at the boundary
            encoding, note = "utf-8-sig", None
        else:
            decode(head[:8192], source)  # raises InputError for binary data
            encoding, note = "cp1252", "decoded as cp1252 (not valid UTF-8)"
    text = io.TextIOWrapper(_Chain(head, stream), encoding=encoding, newline="", errors="strict")
    csv.field_size_limit(max(max_record, 1 << 20))
    reader = csv.DictReader(text, delimiter=delimiter)
    try:
        header = reader.fieldnames
    except (csv.Error, UnicodeDecodeError) as exc:
        yield InputError(source, f"malformed CSV header: {exc}")
        return
    if not header:
        yield InputError(source, "empty CSV: no header row")
        return
    width = len(header)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            yield InputError(source, f"undecodable bytes after line {reader.line_num}: not {encoding}; "
                             "re-save the file as UTF-8", line=reader.line_num)
            return
        except csv.Error as exc:
            yield InputError(source, f"malformed CSV row: {exc}", line=start)
            continue
        line = start
        if None in row or any(v is None for v in row.values()):
            got = width + len(row.get(None) or []) if None in row else sum(v is not None for v in row.values())
            yield InputError(source, f"malformed CSV row: {got} fields, the header has {width}", line=line)
            continue
        yield from _records_from_objects([row], source, fmap, line=line, note=note, what="row")


def read_feed(data: bytes, source: str) -> Iterator[Record | InputError]:
    """RSS or Atom: one article per entry, with the entry's full content when the feed has it."""
    import feedparser

    if not data.strip():
        yield InputError(source, "empty file")
        return
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        yield InputError(source, f"malformed or empty feed: {reason or 'no entries'}")
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
            yield InputError(source, "feed entry has no text (no content, summary or description)", line=i)
            continue
        yield Record(mapped, source, line=i)


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
        chunk = self._stream.read(len(b))
        b[: len(chunk)] = chunk
        return len(chunk)


# --------------------------------------------------------------------------------------------
# Dispatch: paths, directories and archives.


def _ext(name: str) -> str:
    return Path(name).suffix.lower()


def read_path(path: str | Path, *, field_map: Mapping[str, str] | FieldMap | None = None,
              max_bytes: int | None = None) -> Iterator[Record | InputError]:
    """Read every article under `path` (a file, an archive or a directory).

    Yields a `Record` per article and an `InputError` per input that could not be read.
    """
    fmap = field_map if isinstance(field_map, FieldMap) else FieldMap.with_overrides(field_map)
    limit = config.max_bytes(max_bytes)
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts))
        if not files:
            yield InputError(str(p), "directory holds no files")
        for f in files:
            if _SKIP_NAMES.search(f.name):
                continue
            yield from _read_file(f, fmap, limit)
        return
    if not p.exists():
        yield InputError(str(p), "no such file or directory")
        return
    yield from _read_file(p, fmap, limit)


def _read_file(p: Path, fmap: FieldMap, limit: int) -> Iterator[Record | InputError]:
    source = str(p)
    try:
        size = p.stat().st_size
        if size == 0:
            yield InputError(source, "empty file")
            return
        ext = _ext(p.name)
        if ext in JSONL_EXT | CSV_EXT:  # streamed: any size, one record at a time
            with p.open("rb") as fh:
                yield from _dispatch_stream(p.name, fh, source, fmap, limit)
            return
        if ext == ".zip":
            yield from _read_zip(p, fmap, limit)
            return
        if ext == ".gz":
            with gzip.open(p, "rb") as fh:
                yield from _read_gzip(p.name, fh, source, fmap, limit)
            return
        if ext not in SUPPORTED:
            yield InputError(source, f"unknown file type {ext or '(no extension)'!r}; supported: {', '.join(SUPPORTED)}")
            return
        if size > limit:
            yield InputError(source, f"file is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit "
                             "(split it, or raise FRAMEWATCH_MAX_BYTES)")
            return
        yield from _dispatch_bytes(p.name, p.read_bytes(), source, fmap, sidecar=_sidecar(p))
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(source, f"cannot read: {exc.strerror or exc}")


def _sidecar(p: Path) -> dict[str, Any] | None:
    side = p.with_name(p.name.rsplit(".", 1)[0] + ".meta.json")
    if not side.exists():
        return None
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(side), f"malformed metadata sidecar: {exc}") from None
    if not isinstance(meta, dict):
        raise InputError(str(side), "metadata sidecar must hold a JSON object")
    return meta


def _dispatch_bytes(name: str, data: bytes, source: str, fmap: FieldMap,
                    sidecar: Mapping[str, Any] | None = None) -> Iterator[Record | InputError]:
    ext = _ext(name)
    if not data.strip():
        yield InputError(source, "empty file")
    elif ext in TEXT_EXT:
        yield from read_text(data, source, sidecar)
    elif ext in HTML_EXT:
        yield from read_html(data, source, sidecar)
    elif ext in JSON_EXT:
        yield from read_json(data, source, fmap)
    elif ext in FEED_EXT:
        yield from read_feed(data, source)
    elif ext in JSONL_EXT | CSV_EXT:
        yield from _dispatch_stream(name, io.BytesIO(data), source, fmap, len(data) + 1)
    else:
        yield InputError(source, f"unknown file type {ext or '(no extension)'!r}; supported: {', '.join(SUPPORTED)}")


def _dispatch_stream(name: str, stream: Any, source: str, fmap: FieldMap, limit: int) -> Iterator[Record | InputError]:
    ext = _ext(name)
    if ext in JSONL_EXT:
        yield from read_jsonl(stream, source, fmap, limit)
    else:
        yield from read_csv(stream, source, fmap, delimiter="\t" if ext == ".tsv" else ",", max_record=limit)


def _read_gzip(name: str, fh: Any, source: str, fmap: FieldMap, limit: int) -> Iterator[Record | InputError]:
    inner = name[: -len(".gz")]
    try:
        if _ext(inner) in JSONL_EXT | CSV_EXT:
            yield from _dispatch_stream(inner, fh, source, fmap, limit)
            return
        data = fh.read(limit + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield InputError(source, f"corrupt gzip archive: {exc}")
        return
    if len(data) > limit:
        yield InputError(source, f"decompressed content is over the {limit / 1e6:.0f} MB limit")
        return
    yield from _dispatch_bytes(inner, data, source, fmap)


def _read_zip(p: Path, fmap: FieldMap, limit: int) -> Iterator[Record | InputError]:
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError) as exc:
        yield InputError(str(p), f"corrupt zip archive: {exc}")
        return
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if info.is_dir() or _SKIP_NAMES.search(Path(info.filename).name) or "/." in "/" + info.filename:
                continue
            source = f"{p}!{info.filename}"
            if info.file_size > limit:
                yield InputError(source, f"member is {info.file_size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit")
                continue
            try:
                with zf.open(info) as fh:
                    data = fh.read(limit + 1)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                yield InputError(source, f"cannot read zip member: {exc}")
                continue
            try:
                if _ext(info.filename) == ".gz":
                    yield from _read_gzip(info.filename, gzip.GzipFile(fileobj=io.BytesIO(data)), source, fmap, limit)
                else:
                    yield from _dispatch_bytes(info.filename, data, source, fmap)
            except InputError as exc:
                yield exc


def read_paths(paths: Iterable[str | Path], **kwargs: Any) -> Iterator[Record | InputError]:
    """`read_path` over several paths, in the order given."""
    for path in paths:
        yield from read_path(path, **kwargs)
