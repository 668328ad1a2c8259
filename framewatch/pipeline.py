"""Wiring between the stages: the main job and its steps, for the CLI and for scripts.

Each step is a plain function; the CLI only parses options and prints.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

from framewatch.config import Limits
from framewatch.corpus import Article, IngestReport, Store, ingest, read_articles
from framewatch.errors import InputError

NLP_STAGE = "nlp"
COMMIT_EVERY = 200
# `analyse_store` reopens the database after about this many articles (see `Store.reopen`)
REOPEN_EVERY = 10_000


def ingest_paths(store: Store, paths: Iterable[str | Path], *, field_map: Mapping[str, str] | None = None,
                 clean: bool = True, near_duplicates: bool = True, threshold: float = 0.8,
                 batch_size: int = 200, on_item: Callable[[str], None] | None = None,
                 limits: Limits | Mapping[str, Any] | Iterable[str] | None = None) -> IngestReport:
    """Step 1 of the main job: read, clean, deduplicate and store."""
    return ingest(paths, store, field_map=field_map, clean=clean, near_duplicates=near_duplicates,
                  threshold=threshold, batch_size=batch_size, on_item=on_item, limits=limits)


@dataclass(slots=True)
class AnalyseReport:
    """What an analysis run did: articles analysed, skipped (with notes) and failed (with errors)."""

    version: str = ""
    analysed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article id or source, reason)

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "analysed": self.analysed, "skipped": self.skipped,
                "failed": len(self.failed)}


def article_meta(article: Article) -> dict[str, Any]:
    """The metadata the nlp stage reads for one article."""
    return {"id": article.id, "url": article.url, "outlet": article.outlet, "title": article.title,
            "published": article.published, "language": article.language or "en"}

FAST_DEPRECATED = ("--fast (fast=True) is deprecated and ignored: the TF-IDF-only quote stance model it chose ran "
                   "at 0.61 of bare spaCy against the default's 0.60 and scored lower; the default pipeline runs. "
                   "Drop the option; it will be removed in the next release.")


def load_pipeline(spacy_model: str | None = None, *, stance: bool = True, stance_model: str | None = None,
                  article_model: str | None = None, frames_model: str | None = None, fast: bool = False) -> Any:
    """The whole analysis pipeline: the nlp stage on `spacy_model`, then (with `stance`) the
    models stage's deal, stance and frames component. `fast` is deprecated and ignored (the
    TF-IDF-only quote model it chose was no longer clearly faster; README, Measured)."""
    from framewatch.nlp import load

    if fast:
        warnings.warn(FAST_DEPRECATED, FutureWarning, stacklevel=2)

    nlp = load(spacy_model)
    if stance:
        from framewatch.models.component import add_to

        add_to(nlp, stance_model=stance_model, article_model=article_model, frames_model=frames_model)
    return nlp


def pipeline_version(nlp: Any) -> str:
    """What `processed` records: Framewatch's nlp version, the spaCy pipeline's name and version,
    the speaker ranker's fingerprint and the stance models' fingerprint when they are in the
    pipeline. Results with the same version came from the same code and models."""
    from framewatch.nlp import PIPELINE_VERSION

    version = f"{PIPELINE_VERSION}+{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
    if "framewatch_quotes" in nlp.pipe_names:
        version += f"+attribution-{_attribution_fingerprint()}"
    if "framewatch_stance" in nlp.pipe_names:
        version += f"+stance-{nlp.get_pipe('framewatch_stance').version}"
    return version


def model_fingerprints(nlp: Any) -> dict[str, str]:
    """What the results of `nlp` came from: Framewatch's and spaCy's versions, the spaCy pipeline,
    and the SHA-1 (first 10 hex digits) of each model file: speaker ranker, quote stance, article
    stance and frames models. `framewatch summary` prints them beside each pipeline version."""
    import spacy

    from framewatch import __version__
    from framewatch.nlp import PIPELINE_VERSION

    out = {"framewatch": __version__, "nlp": PIPELINE_VERSION, "spacy": spacy.__version__,
           "spacy_pipeline": f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"}
    if "framewatch_quotes" in nlp.pipe_names:
        out["attribution_model"] = _attribution_fingerprint()
    if "framewatch_stance" in nlp.pipe_names:
        out.update(getattr(nlp.get_pipe("framewatch_stance"), "fingerprints", {}))
    return out


def _attribution_fingerprint() -> str:
    """The speaker ranker the quotes component loads (as `QuotesComponent` picks it): "rules"
    when there is none, else its file's SHA-1."""
    from framewatch import config
    from framewatch.nlp.attribution.model import default_ranker_path

    chosen = config.attribution_model()
    if chosen == "rules":
        return "rules"
    path = Path(chosen) if chosen else default_ranker_path()
    return hashlib.sha1(path.read_bytes()).hexdigest()[:10] if path.exists() else "rules"


def extract_to_jsonl(paths: Iterable[str | Path], out: IO[str], *, spacy_model: str | None = None,
                     clean: bool = True, with_text: bool = False, field_map: Mapping[str, str] | None = None,
                     batch_size: int = 32, n_process: int = 1, models: Mapping[str, Any] | None = None,
                     on_item: Callable[[str], None] | None = None,
                     limits: Limits | Mapping[str, Any] | Iterable[str] | None = None) -> AnalyseReport:
    """Read articles from files, analyse them and write one JSON object per article to `out`.

    Input errors are reported (and written nowhere); an article whose analysis fails is written
    with its `error` set, so the output has one line per readable article.
    """
    from framewatch.nlp import extract

    nlp = load_pipeline(spacy_model, **(models or {}))
    report = AnalyseReport(version=pipeline_version(nlp))
    texts: dict[str, str] = {}

    def items() -> Iterator[tuple[str, dict[str, Any]]]:
        for item in read_articles(paths, field_map=field_map, clean=clean, limits=limits):
            if isinstance(item, InputError):
                report.failed.append((item.where, item.reason))
                if on_item:
                    on_item(item.where)
                continue
            if with_text:
                texts[item.id] = item.text
            yield item.text, article_meta(item)

    for ex in extract(nlp, items(), batch_size=batch_size, n_process=n_process):
        obj = ex.to_dict()
        if with_text:
            obj["text"] = texts.pop(ex.id, None)
        out.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
        _tally(report, ex)
        if on_item:
            on_item(ex.id)
    return report


def analyse_store(store: Store, *, spacy_model: str | None = None, batch_size: int = 32, n_process: int = 1,
                  commit_every: int = COMMIT_EVERY, on_item: Callable[[str], None] | None = None,
                  nlp: Any = None, limit: int | None = None,
                  reopen_every: int | None = REOPEN_EVERY,
                  on_batch: Callable[[AnalyseReport], None] | None = None) -> AnalyseReport:
    """Step 2: analyse every stored English article not yet analysed by this pipeline version.

    Results go to one table per result type (`people`, `mentions`, `countries`,
    `organisations`, `figures`, ...), keyed by `article_id`; every `commit_every` articles are
    written in one transaction with their `processed` marks (`on_batch` is called after each),
    so a killed run leaves whole batches, never part of an article's rows, and running again
    analyses each remaining article once. `limit` stops after that many articles (the rest stay
    pending for the next run). The run, its pipeline version and `model_fingerprints` go to the
    `runs` table.
    The database is reopened after every `reopen_every` articles (at a commit; None: never),
    which frees what DuckDB holds while a database is open (see `Store.reopen`).
    """
    from framewatch.nlp import extract

    if reopen_every is not None and reopen_every < 1:
        raise ValueError(f"reopen_every must be a positive number of articles or None, not {reopen_every!r}")
    if commit_every < 1:
        raise ValueError(f"commit_every must be a positive number of articles, not {commit_every!r}")
    nlp = nlp or load_pipeline(spacy_model)
    version = pipeline_version(nlp)
    report = AnalyseReport(version=version)
    store.record_pipeline(version, model_fingerprints(nlp))
    run_id = store.begin_run("analyse", [version])
    statuses: dict[str, tuple[str, str | None]] = {}
    frames: dict[str, list[pd.DataFrame]] = {}

    written = 0  # articles written since the database was last opened

    def flush() -> None:
        nonlocal written
        if statuses:
            tables = {name: concat_frames(parts) for name, parts in frames.items()}
            store.save_results(NLP_STAGE, version, dict(statuses), tables)
            written += len(statuses)
            if on_batch:
                on_batch(report)
        statuses.clear()
        frames.clear()
        if reopen_every is not None and written >= reopen_every:
            store.reopen()
            written = 0

    items = ((a.text, article_meta(a)) for a in itertools.islice(store.pending(NLP_STAGE, version), limit))
    for ex in extract(nlp, items, batch_size=batch_size, n_process=n_process):
        status = _tally(report, ex)
        statuses[ex.id] = (status, ex.error or ("; ".join(ex.notes) or None))
        for name, frame in ex.to_frames().items():
            frames.setdefault(name, []).append(frame)
        if on_item:
            on_item(ex.id)
        if len(statuses) >= commit_every:
            flush()
    flush()
    store.finish_run(run_id, report.as_dict())
    return report


def concat_frames(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Articles' result frames as one. An article with no rows of a kind (no quotes) has a frame
    with only `article_id`; pandas would fill its missing columns with NaN and turn every integer
    column of the batch (character offsets) into floats, so such frames are left out."""
    rows = [p for p in parts if len(p)]
    return pd.concat(rows or parts[:1], ignore_index=True)


def _tally(report: AnalyseReport, ex: Any) -> str:
    if ex.error:
        report.failed.append((ex.id, ex.error))
        return "error"
    if any(n.startswith("skipped") for n in ex.notes):
        report.skipped += 1
        return "skipped"
    report.analysed += 1
    return "ok"
