"""Ingest: read -> clean -> deduplicate -> store, in transactional batches.

Idempotent (an id already stored is skipped), transactional (each batch is one transaction) and
resumable (re-running after a kill stores what the killed run had not committed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framewatch.config import Limits
from framewatch.corpus import dedup
from framewatch.corpus._decode import DECODING_NOTE
from framewatch.corpus.article import Article
from framewatch.corpus.build import build_article
from framewatch.corpus.clean import Cleaner
from framewatch.corpus.readers import FieldMap, Record, read_paths
from framewatch.corpus.store import Store, StoredArticle
from framewatch.errors import InputError


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did. `failed` holds one `InputError` per input that could not be read;
    `warnings` one (file, note) per file read with a repair: invalid bytes replaced, a legacy
    encoding guessed (each article's `notes` say so too)."""

    run_id: int = 0
    read: int = 0
    stored: int = 0
    already_stored: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    non_english: int = 0
    failed: list[InputError] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    _warned: set[tuple[str, str]] = field(default_factory=set, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "read": self.read, "stored": self.stored,
                "already_stored": self.already_stored, "exact_duplicates": self.exact_duplicates,
                "near_duplicates": self.near_duplicates, "non_english": self.non_english,
                "failed": len(self.failed), "warnings": len(self.warnings)}

    def note_repairs(self, article: Article) -> None:
        """Remember, once per file, how an article's bytes had to be repaired to be read."""
        source = article.source_path or ""
        base, _, line = source.rpartition(":")
        source = base if line.isdigit() else source
        for note in article.notes:
            if note.startswith(DECODING_NOTE) and (source, note) not in self._warned:
                self._warned.add((source, note))
                self.warnings.append((source, note))

    def failures_frame(self) -> pd.DataFrame:
        return pd.DataFrame([(e.source, e.line, e.reason) for e in self.failed], columns=["source", "line", "reason"])


def read_articles(paths: Iterable[str | Path], *, field_map: Mapping[str, str] | None = None,
                  clean: bool = True, cleaner: Cleaner | None = None,
                  limits: Limits | Mapping[str, Any] | Iterable[str] | None = None) -> Iterator[Article | InputError]:
    """Read and clean articles from files without storing them; yields errors in place of bad ones.

    `limits` bound what one input may hold (see `framewatch.config.Limits`).

    >>> arts = [a for a in read_articles(["news/"]) if isinstance(a, Article)]  # doctest: +SKIP
    """
    fmap = FieldMap.with_overrides(field_map)
    for item in read_paths(paths, field_map=fmap, limits=limits):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield build_article(item, cleaner, clean=clean)
        except InputError as exc:
            yield exc


class _Deduper:
    """Assigns each new article to a duplicate cluster, against the store and the current batch."""

    def __init__(self, store: Store, threshold: float, near: bool) -> None:
        self.store, self.threshold, self.near = store, threshold, near

    def assign(self, batch: list[Article]) -> tuple[list[StoredArticle], dict[str, dedup.Signature]]:
        by_hash = self.store.clusters_by_hash({a.content_hash for a in batch})
        sigs = {a.id: s for a in batch if self.near and (s := dedup.signature(a.text)) is not None}
        candidates = self.store.band_candidates({k for s in sigs.values() for k in s.bands()}) if sigs else {}
        # one query each for every candidate's signature and cluster, not one per article
        cand_ids = {i for ids in candidates.values() for i in ids}
        known_sigs = {i: dedup.Signature.from_bytes(raw) for i, raw in self.store.signatures(cand_ids).items()}
        clusters = self.store.cluster_of(cand_ids)
        batch_bands: dict[tuple[int, int], list[str]] = {}
        cluster: dict[str, str] = {}
        out: list[StoredArticle] = []
        for a in batch:
            if a.content_hash in by_hash:
                first, cid = by_hash[a.content_hash]
                out.append(StoredArticle(a, cid, first, "exact", 1.0))
                cluster[a.id] = cid
                continue
            by_hash[a.content_hash] = (a.id, a.id)
            sig = sigs.get(a.id)
            match = self._best_match(sig, candidates, batch_bands, known_sigs) if sig is not None else None
            if match is not None:
                other, sim = match
                cid = cluster.get(other) or clusters.get(other, other)
                out.append(StoredArticle(a, cid, other, "near", round(sim, 3)))
                cluster[a.id] = cid
            else:
                out.append(StoredArticle(a, a.id))
                cluster[a.id] = a.id
            if sig is not None:
                known_sigs[a.id] = sig
                for key in sig.bands():
                    batch_bands.setdefault(key, []).append(a.id)
        # exact copies are not indexed: their twin already is
        stored_sigs = {s.article.id: sigs[s.article.id] for s in out
                       if s.duplicate_kind != "exact" and s.article.id in sigs}
        return out, stored_sigs

    def _best_match(self, sig: dedup.Signature, candidates: dict[tuple[int, int], list[str]],
                    batch_bands: dict[tuple[int, int], list[str]],
                    known: dict[str, dedup.Signature]) -> tuple[str, float] | None:
        ids: list[str] = []
        for key in sig.bands():
            ids += candidates.get(key, []) + batch_bands.get(key, [])
        ids = list(dict.fromkeys(ids))
        if not ids:
            return None
        scored = [(i, sig.similarity(known[i])) for i in ids if i in known]
        best = max(scored, key=lambda t: (t[1], -ids.index(t[0])), default=None)
        return best if best is not None and best[1] >= self.threshold else None


def ingest(paths: Iterable[str | Path], store: Store, *, field_map: Mapping[str, str] | None = None,
           clean: bool = True, near_duplicates: bool = True, threshold: float = 0.8,
           batch_size: int = 200, on_item: Callable[[str], None] | None = None,
           on_batch: Callable[[IngestReport], None] | None = None,
           limits: Limits | Mapping[str, Any] | Iterable[str] | None = None) -> IngestReport:
    """Read every article under `paths` into `store`; bad inputs are reported, never fatal.

    `on_item` is called with each input's source as it is read (for progress bars); `on_batch`
    after each committed batch.
    """
    paths = [str(p) for p in paths]
    report = IngestReport(run_id=store.begin_run("ingest", paths))
    deduper = _Deduper(store, threshold, near_duplicates)
    batch: list[Article] = []
    errors: list[InputError] = []
    seen: set[str] = set()

    def flush() -> None:
        existing = store.existing_ids(a.id for a in batch)
        fresh = [a for a in batch if a.id not in existing]
        report.already_stored += len(batch) - len(fresh)
        stored, sigs = deduper.assign(fresh)
        store.write_batch(report.run_id, stored, errors, sigs)
        report.stored += len(stored)
        report.exact_duplicates += sum(s.duplicate_kind == "exact" for s in stored)
        report.near_duplicates += sum(s.duplicate_kind == "near" for s in stored)
        report.non_english += sum(not s.article.is_english for s in stored)
        batch.clear()
        errors.clear()
        if on_batch:
            on_batch(report)

    for item in read_articles(paths, field_map=field_map, clean=clean, limits=limits):
        if on_item:
            on_item(item.where if isinstance(item, InputError) else (item.source_path or ""))
        if isinstance(item, InputError):
            report.failed.append(item)
            errors.append(item)
            continue
        report.read += 1
        report.note_repairs(item)
        if item.id in seen:  # the same id twice in this run: the first wins
            report.already_stored += 1
            continue
        seen.add(item.id)
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    store.finish_run(report.run_id, report.as_dict())
    return report


__all__ = ["IngestReport", "Record", "ingest", "read_articles"]
