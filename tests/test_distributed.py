"""Dask: the same rows as a local run, on a real LocalCluster; a killed worker loses nothing."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pandas as pd
import pytest

from framewatch import pipeline
from framewatch.corpus import Store, ingest

pytest.importorskip("dask.distributed")

TABLES = ("people", "mentions", "countries", "organisations", "figures", "quotes", "claims", "article_stance", "processed")


def _rows(db: Path, table: str) -> pd.DataFrame:
    with Store(db, read_only=True) as store:
        df = store.table(table)
    if table == "processed":
        df = df.drop(columns=["processed_at"])
    cols = sorted(df.columns)
    return df[cols].astype(str).sort_values(cols).reset_index(drop=True)


@pytest.fixture(scope="module")
def local_db(tmp_path_factory: pytest.TempPathFactory, sample_dir_module: Path) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    with Store(db) as store:
        ingest([sample_dir_module], store)
        pipeline.analyse_store(store)
    return db


@pytest.fixture(scope="module")
def sample_dir_module() -> Path:
    return Path(__file__).parent.parent / "samples" / "open-migration-deals" / "articles"


def _fresh_copy(sample: Path, tmp_path: Path) -> Path:
    db = tmp_path / "dask.duckdb"
    with Store(db) as store:
        ingest([sample], store)
    return db


def test_local_cluster_gives_the_same_rows_as_a_local_run(local_db: Path, sample_dir_module: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Also: the client reads partitions only as they are needed (2 per worker thread in flight),
    never the whole corpus at once, and reopening the database between commits changes no row."""
    from framewatch import distributed
    from framewatch.distributed import analyse_dask

    read: list[int] = []  # articles the client has read from the store and submitted
    ahead: list[int] = []  # read but not yet committed, at each committed article
    partitions = distributed._partitions

    def counting(*args: object, **kwargs: object) -> object:
        for part in partitions(*args, **kwargs):  # type: ignore[arg-type]
            read.append(len(part))
            yield part

    monkeypatch.setattr(distributed, "_partitions", counting)
    reopens: list[int] = []
    monkeypatch.setattr(Store, "reopen", lambda self, _reopen=Store.reopen: (reopens.append(1), _reopen(self))[1])
    committed: list[str] = []

    def on_item(article_id: str) -> None:
        committed.append(article_id)
        ahead.append(sum(read) - len(committed))

    db = _fresh_copy(sample_dir_module, tmp_path)
    with Store(db) as store:
        report = analyse_dask(store, "local:2", partition_size=4, on_item=on_item, reopen_every=8)
        assert (report.analysed, report.failed) == (30, [])
        assert store.count_pending(pipeline.NLP_STAGE, report.version) == 0
    # 2 workers x 1 thread x 2 partitions x 4 articles in flight: fewer than 16 read and not yet
    # committed (all 30 were read before the first commit when every partition was submitted at once)
    assert max(ahead) < distributed.IN_FLIGHT_PER_THREAD * 2 * 4
    assert max(ahead) > 4  # ...but more than the partition being committed: the workers had work queued
    assert len(reopens) == 3  # every 8 to 10 committed articles (partitions of 4, and one of 2)
    for table in TABLES:
        pd.testing.assert_frame_equal(_rows(db, table), _rows(local_db, table), obj=table)
    assert not list(tmp_path.glob(".framewatch-staging-*"))  # staging cleaned up


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(local_db: Path, sample_dir_module: Path,
                                                              tmp_path: Path) -> None:
    from dask.distributed import Client, LocalCluster

    from framewatch.distributed import analyse_dask

    db = _fresh_copy(sample_dir_module, tmp_path)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    killed = []

    def kill_one(_: str) -> None:
        if not killed:
            nanny = next(iter(cluster.workers.values()))
            pid = nanny.process.process.pid
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    try:
        with Store(db) as store:
            report = analyse_dask(store, client, partition_size=2, on_item=kill_one)
            assert killed and report.analysed == 30
    finally:
        client.close()
        cluster.close()
    for table in TABLES:
        pd.testing.assert_frame_equal(_rows(db, table), _rows(local_db, table), obj=table)


@pytest.mark.slow
def test_an_interrupted_client_resumes(local_db: Path, sample_dir_module: Path, tmp_path: Path) -> None:
    """Partitions committed before a stop stay; the rerun does only the rest."""
    from framewatch.distributed import analyse_dask

    db = _fresh_copy(sample_dir_module, tmp_path)

    class Stop(Exception):
        pass

    seen = []

    def stop_after_some(article_id: str) -> None:
        seen.append(article_id)
        if len(seen) == 8:
            raise Stop

    with Store(db) as store:
        with pytest.raises(Stop):
            analyse_dask(store, "local:1", partition_size=4, on_item=stop_after_some)
        version = pipeline.pipeline_version(pipeline.load_pipeline())
        left = store.count_pending(pipeline.NLP_STAGE, version)
        assert 0 < left <= 26
        report = analyse_dask(store, "local:1", partition_size=10)
        assert report.analysed == left
    for table in TABLES:
        pd.testing.assert_frame_equal(_rows(db, table), _rows(local_db, table), obj=table)
    shutil.rmtree(tmp_path, ignore_errors=True)
