"""Analysis on a Dask cluster, for corpora one machine cannot get through in time.

    framewatch analyse --dask local:2                  # a LocalCluster with 2 worker processes
    framewatch analyse --dask tcp://scheduler:8786     # a running distributed cluster

The client reads the articles still pending for this pipeline version from the store and cuts
them into partitions, a few at a time: it keeps about two partitions per worker thread in flight
and reads the next as one finishes, so neither the client nor the scheduler ever holds the whole
corpus. Each task carries one partition's texts and metadata to a worker, which
loads the pipeline once (per worker process, then reuses it), analyses the partition and writes
one Parquet file per result table into a staging folder. As partitions finish, the client loads
their Parquet files into the store in one transaction per partition, with the `processed` marks,
then deletes them (and reopens the database every `REOPEN_EVERY` articles, as a local run
does). A partition is committed whole or not at all, and committing replaces an
article's rows, so a worker that dies (Dask re-runs its tasks elsewhere) or a client that is
stopped loses nothing and duplicates nothing: running the command again finishes the job.

The staging folder must be reachable by the client and every worker under the same path: the
default, beside the database, works for a LocalCluster; on a real cluster pass a shared path
(`--staging /shared/framewatch-staging`).
"""

from __future__ import annotations

import itertools
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from framewatch.corpus import Store
from framewatch.errors import FramewatchError
from framewatch.pipeline import (NLP_STAGE, REOPEN_EVERY, AnalyseReport, _tally, article_meta, concat_frames,
                                 load_pipeline, model_fingerprints, pipeline_version)

_PIPELINES: dict[tuple[Any, ...], Any] = {}  # one loaded pipeline per worker process and config
# partitions kept in flight per worker thread when `max_in_flight` is not given: one running, one
# queued behind it, so no worker waits for the client
IN_FLIGHT_PER_THREAD = 2


def _worker_pipeline(spacy_model: str | None, models: tuple[tuple[str, Any], ...]) -> Any:
    key = (spacy_model, models)
    if key not in _PIPELINES:
        _PIPELINES[key] = load_pipeline(spacy_model, **dict(models))
    return _PIPELINES[key]


def analyse_partition(items: list[tuple[str, dict[str, Any]]], staging: str, part: str, spacy_model: str | None,
                      models: tuple[tuple[str, Any], ...], batch_size: int = 32) -> dict[str, Any]:
    """Run on a worker: analyse one partition and write its result tables as Parquet files.

    Returns the folder written, the per-article statuses and the pipeline version used.
    """
    from framewatch.nlp import extract

    nlp = _worker_pipeline(spacy_model, models)
    frames: dict[str, list[pd.DataFrame]] = {}
    statuses: dict[str, tuple[str, str | None]] = {}
    report = AnalyseReport()
    for ex in extract(nlp, items, batch_size=batch_size):
        status = _tally(report, ex)
        statuses[ex.id] = (status, ex.error or ("; ".join(ex.notes) or None))
        for name, frame in ex.to_frames().items():
            frames.setdefault(name, []).append(frame)
    folder = Path(staging) / part
    tmp = folder.with_name(folder.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    for name, parts in frames.items():
        concat_frames(parts).to_parquet(tmp / f"{name}.parquet", index=False)
    tmp.replace(folder)  # the partition appears whole or not at all
    return {"folder": str(folder), "statuses": statuses, "version": pipeline_version(nlp)}


def _partitions(store: Store, version: str, size: int) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    batch: list[tuple[str, dict[str, Any]]] = []
    for article in store.pending(NLP_STAGE, version):
        batch.append((article.text, article_meta(article)))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def connect(address: str) -> tuple[Any, Any]:
    """A Dask client for `address`: `local:N` starts a LocalCluster of N single-threaded worker
    processes; anything else is a scheduler address (`tcp://host:8786`)."""
    from dask.distributed import Client, LocalCluster

    if address.startswith("local"):
        _, _, n = address.partition(":")
        try:
            workers = int(n or 2)
        except ValueError:
            raise FramewatchError(f"bad --dask value {address!r}: use local:N or tcp://host:port") from None
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(address, timeout="20s"), None
    except (OSError, TimeoutError) as exc:
        raise FramewatchError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def analyse_dask(store: Store, address: str | Any, *, spacy_model: str | None = None,
                 models: dict[str, Any] | None = None, partition_size: int = 200, batch_size: int = 32,
                 staging: str | Path | None = None, on_item: Callable[[str], None] | None = None,
                 max_in_flight: int | None = None, reopen_every: int | None = REOPEN_EVERY) -> AnalyseReport:
    """`framewatch.pipeline.analyse_store` on a Dask cluster (see the module docstring).

    `address` is `local:N`, a scheduler address, or a `dask.distributed.Client`. At most
    `max_in_flight` partitions are submitted and not yet committed at any time (default:
    `IN_FLIGHT_PER_THREAD` per worker thread the cluster has, counted again as partitions finish,
    so workers that join later get work). The database is reopened after every `reopen_every`
    committed articles (None: never).
    """
    from dask.distributed import as_completed

    for name, value in (("max_in_flight", max_in_flight), ("reopen_every", reopen_every)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be a positive number or None, not {value!r}")
    cfg = tuple(sorted((models or {}).items()))
    nlp = load_pipeline(spacy_model, **dict(cfg))
    version = pipeline_version(nlp)  # what the workers will record
    store.record_pipeline(version, model_fingerprints(nlp))
    del nlp
    client, cluster = (address, None) if not isinstance(address, str) else connect(address)
    stage = Path(staging) if staging else store.path.parent / f".framewatch-staging-{uuid.uuid4().hex[:8]}"
    stage.mkdir(parents=True, exist_ok=True)
    report = AnalyseReport(version=version)
    partitions = enumerate(_partitions(store, version, partition_size))
    running = as_completed()
    in_flight = 0
    written = 0  # articles committed since the database was last opened

    def limit() -> int:
        if max_in_flight is not None:
            return max_in_flight
        return max(IN_FLIGHT_PER_THREAD, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))

    def top_up() -> None:
        nonlocal in_flight
        for i, items in itertools.islice(partitions, max(0, limit() - in_flight)):
            running.add(client.submit(analyse_partition, items, str(stage), f"part-{i:06d}", spacy_model, cfg,
                                      batch_size, key=f"framewatch-{stage.name}-{i}", pure=False, retries=2))
            in_flight += 1

    try:
        top_up()
        for future in running:
            result = future.result()
            if result["version"] != version:
                raise FramewatchError(f"a worker ran pipeline {result['version']}, the client {version}: install the "
                                      "same Framewatch, spaCy model and stance models on every worker")
            _commit(store, version, result)
            future.release()
            in_flight -= 1
            written += len(result["statuses"])
            if reopen_every is not None and written >= reopen_every:
                store.reopen()
                written = 0
            for article_id, (status, message) in result["statuses"].items():
                if status == "error":
                    report.failed.append((article_id, message or "failed"))
                elif status == "skipped":
                    report.skipped += 1
                else:
                    report.analysed += 1
                if on_item:
                    on_item(article_id)
            top_up()
    finally:
        if isinstance(address, str):
            client.close()
            if cluster is not None:
                cluster.close()
        if not staging:
            shutil.rmtree(stage, ignore_errors=True)
    return report


def _commit(store: Store, version: str, result: dict[str, Any]) -> None:
    folder = Path(result["folder"])
    tables = {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    store.save_results(NLP_STAGE, version, result["statuses"], tables)
    shutil.rmtree(folder, ignore_errors=True)
