from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from framewatch.corpus import Store, ingest

SAMPLE_TEXT = ("The agreement means that anyone entering the UK on a small boat can be detained immediately "
               "on arrival and returned to France by the UK government, with detentions expected to begin "
               "within days, the Home Office said of story number {i} in this test corpus.")


def test_ingest_fixtures_and_report(corpus_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.duckdb") as store:
        report = ingest([corpus_dir], store)
        assert report.as_dict() == {"run_id": 1, "read": 18, "stored": 18, "already_stored": 0,
                                    "exact_duplicates": 0, "near_duplicates": 2, "non_english": 1, "failed": 6,
                                    "warnings": 1}
        assert report.warnings == [(str(corpus_dir / "legacy_cp1252.txt"), "decoded as cp1252 (not valid UTF-8)")]
        df = store.articles()
        assert len(df) == 18 and df["id"].is_unique
        # the feed entry and the JSON Lines record carry the same Home Office statement
        assert df.set_index("id").loc["ho-2025-11-07", "duplicate_of"] == "j-1"
        wire = df.set_index("id").loc[["wire-a", "wire-b"]]
        assert list(wire["cluster_id"]) == ["wire-a", "wire-a"]
        assert list(wire["duplicate_kind"].fillna("")) == ["", "near"]
        assert wire.loc["wire-b", "similarity"] >= 0.8
        fr = df.set_index("id").loc["fr-1"]
        assert fr["language"] == "fr"
        # errors are stored with the run
        errors = store.input_errors(report.run_id)
        assert len(errors) == 6 and set(errors.columns) == {"run_id", "source", "line", "reason"}
        # raw text kept beside the cleaned text
        html = df[df["source_path"].str.endswith("gov_press_release.html")].iloc[0]
        assert "Sign up to our newsletter" in html["raw_text"] and "Sign up to" not in html["text"]


def test_reingest_is_idempotent(corpus_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.duckdb") as store:
        first = ingest([corpus_dir], store)
        second = ingest([corpus_dir], store)
        assert second.stored == 0 and second.already_stored == first.read
        assert store.count() == first.stored
        assert list(store.runs()["run_id"]) == [1, 2]


def test_exact_copies_are_kept_and_clustered(tmp_path: Path) -> None:
    text = SAMPLE_TEXT.format(i=1)
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "one", "url": "https://a.test/1", "text": text, "outlet": "a.test"},
        {"id": "two", "url": "https://b.test/1", "text": text.upper(), "outlet": "b.test"},
        {"id": "one", "url": "https://a.test/1", "text": text},  # the same id twice in one run
    ]) + "\n")
    with Store(tmp_path / "c.duckdb") as store:
        report = ingest([tmp_path / "a.jsonl"], store)
        assert (report.stored, report.exact_duplicates, report.already_stored) == (2, 1, 1)
        df = store.articles().set_index("id")
        assert df.loc["two", "duplicate_of"] == "one" and df.loc["two", "cluster_id"] == "one"
        assert store.summary().clusters == 1
        canonical = store.articles(canonical_only=True)
        assert list(canonical["id"]) == ["one"]


def test_near_duplicate_across_runs(corpus_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.duckdb") as store:
        ingest([corpus_dir / "wire_copy_a.json"], store)
        report = ingest([corpus_dir / "wire_copy_b.json"], store)
        assert report.near_duplicates == 1
        assert store.articles().set_index("id").loc["wire-b", "cluster_id"] == "wire-a"


def _write_corpus(path: Path, n: int) -> None:
    with path.open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i:05d}", "text": SAMPLE_TEXT.format(i=i) + f" Unique token z{i}x{i * 7}."}) + "\n")


KILLABLE = """
import sys
from framewatch.corpus import Store, ingest
with Store(sys.argv[1]) as store:
    def on_batch(report):
        print("batch", report.stored, flush=True)
    ingest([sys.argv[2]], store, batch_size=20, near_duplicates=False, on_batch=on_batch)
print("done", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_killed_ingest_leaves_whole_batches_and_resumes(tmp_path: Path) -> None:
    corpus, db = tmp_path / "big.jsonl", tmp_path / "k.duckdb"
    _write_corpus(corpus, 3000)
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, str(db), str(corpus)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    for _ in range(3):
        line = proc.stdout.readline()
        assert line.startswith("batch"), line
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    with Store(db) as store:
        partial = store.count()
        assert 60 <= partial < 3000
        assert partial % 20 == 0  # only whole batches were committed
        ids = store.articles(columns=["id"])["id"]
        assert ids.is_unique
        report = ingest([corpus], store, batch_size=500, near_duplicates=False)
        assert report.already_stored == partial and report.stored == 3000 - partial
        assert store.count() == 3000 and store.articles(columns=["id"])["id"].is_unique


def test_incremental_stage_bookkeeping(corpus_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.duckdb") as store:
        ingest([corpus_dir / "articles.jsonl", corpus_dir / "french.json"], store)
        pending = [a.id for a in store.pending("nlp", "1")]
        assert pending == ["j-1", "j-2"]  # the French article is not analysed as English
        rows = pd.DataFrame({"article_id": ["j-1", "j-1"], "name": ["Yvette Cooper", "Bruno Retailleau"]})
        store.save_results("nlp", "1", {"j-1": ("ok", None)}, {"people": rows})
        assert [a.id for a in store.pending("nlp", "1")] == ["j-2"]
        assert store.count_pending("nlp", "2") == 2  # a new version redoes everything
        # re-saving replaces, never duplicates; new columns are added
        rows2 = rows.assign(role=["Home Secretary", None])
        store.save_results("nlp", "2", {"j-1": ("ok", None), "j-2": ("ok", None)}, {"people": rows2})
        people = store.table("people")
        assert list(people.columns) == ["article_id", "name", "role"] and len(people) == 2
        with pytest.raises(ValueError, match="reserved table 'articles'"):
            store.save_results("nlp", "2", {"j-1": ("ok", None)}, {"articles": rows})


def test_export_csv_and_parquet(corpus_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.duckdb") as store:
        ingest([corpus_dir / "articles.jsonl"], store)
        store.export("articles", tmp_path / "a.csv")
        store.export("articles", tmp_path / "a.parquet")
        csv = pd.read_csv(tmp_path / "a.csv")
        pq = pd.read_parquet(tmp_path / "a.parquet")
        assert list(csv["id"]) == list(pq["id"]) == ["j-1", "j-2"]
        assert str(pq["published"].iloc[0]) == "2025-11-07"


def test_iter_articles_roundtrip(corpus_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.duckdb") as store:
        ingest([corpus_dir / "action_plan.txt"], store)
        [art] = list(store.iter_articles())
        assert art.title == "UK-Germany Joint Action Plan on Irregular Migration"
        assert art.extra["cluster_id"] == art.id
        assert [a.id for a in store.iter_articles(ids=[art.id])] == [art.id]


def test_read_only_store_needs_a_database(tmp_path: Path) -> None:
    from framewatch.errors import FramewatchError

    with pytest.raises(FramewatchError, match="no database at .*: run `framewatch ingest PATH` first"):
        Store(tmp_path / "none.duckdb", read_only=True)


def test_not_a_database(tmp_path: Path) -> None:
    from framewatch.errors import FramewatchError

    bad = tmp_path / "bad.duckdb"
    bad.write_text("this is not a database")
    with pytest.raises(FramewatchError):
        Store(bad)


def test_duckdb_memory_limit_from_argument_or_environment(corpus_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from framewatch.errors import FramewatchError

    def limit(store: Store) -> str:
        return store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]  # type: ignore[index]

    with Store(tmp_path / "a.duckdb", memory_limit="300MB") as store:
        assert limit(store) == "286.1 MiB"  # DuckDB reports 300 MB in MiB
        assert ingest([corpus_dir], store).stored == 18  # a capped store still ingests
    monkeypatch.setenv("FRAMEWATCH_DUCKDB_MEMORY", "200MiB")
    with Store(tmp_path / "a.duckdb") as store:
        assert limit(store) == "200.0 MiB"
    with pytest.raises(FramewatchError, match="bad DuckDB memory limit 'lots' .*give a size such as 512MB"):
        Store(tmp_path / "a.duckdb", memory_limit="lots")


def test_reopen_keeps_the_data_and_a_pending_stream_going(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Article {i} on the returns deal with France, "
                                       f"number {i}, which the minister defended."}) + "\n" for i in range(12)),
                   encoding="utf-8")
    with Store(tmp_path / "c.duckdb", memory_limit="256MB") as store:
        ingest([src], store, near_duplicates=False)
        seen = []
        for art in store.pending("nlp", "1", chunk_size=5):
            seen.append(art.id)
            if art.id in ("a2", "a7"):  # as analyse does between commits
                store.save_results("nlp", "1", {art.id: ("ok", None)}, {})
                old = store.con
                store.reopen()
                assert store.con is not old
        assert seen == [f"a{i}" for i in range(12)]
        assert store.count_pending("nlp", "1") == 10
        assert store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "244.1 MiB"
    with Store(tmp_path / "c.duckdb", read_only=True) as ro:
        ro.reopen()
        assert len(ro.articles()) == 12
        with pytest.raises(duckdb.Error):
            ro.con.execute("DELETE FROM articles")


def test_pending_streams_in_chunks_around_processed_articles(tmp_path: Path) -> None:
    # the work list is read a chunk at a time while results are written between chunks;
    # articles processed in the middle of a chunk's rowid range must not come back
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Article {i} on the returns deal with France, "
                                       f"number {i}, which the minister defended."}) + "\n" for i in range(23)),
                   encoding="utf-8")
    with Store(tmp_path / "c.duckdb") as store:
        ingest([src], store, near_duplicates=False)
        done = {f"a{i}": ("ok", None) for i in (0, 3, 4, 10, 22)}
        store.save_results("nlp", "1", done, {})
        seen = []
        for art in store.pending("nlp", "1", chunk_size=4):
            seen.append(art.id)
            if art.id == "a5":  # a write between chunks, as analyse does
                store.save_results("nlp", "1", {"a6": ("ok", None)}, {})
        assert seen == [f"a{i}" for i in range(23) if f"a{i}" not in done]
        assert [a.id for a in store.iter_articles(chunk_size=5)] == [f"a{i}" for i in range(23)]


def test_first_batch_with_only_empty_lists_does_not_fix_a_column_type(tmp_path: Path) -> None:
    # analysing one article whose claims cite no figures gave the column DuckDB type NULL[], and
    # the next batch's figure indices could not be inserted
    with Store(tmp_path / "c.duckdb") as store:
        empty = pd.DataFrame({"article_id": ["a"], "text": ["x"], "figures": [[]]})
        store.save_results("nlp", "1", {"a": ("ok", None)}, {"claims": empty})
        later = pd.DataFrame({"article_id": ["b"], "text": ["y"], "figures": [[0, 2]]})
        store.save_results("nlp", "1", {"b": ("ok", None)}, {"claims": later})
        claims = store.table("claims").set_index("article_id")
        assert [int(v) for v in claims.loc["b", "figures"]] == [0, 2] and pd.isna(claims.loc["a", "figures"])


def test_a_column_made_from_whole_numbers_takes_fractions_later(tmp_path: Path) -> None:
    # a first batch whose figures were all whole made `value` BIGINT, and DuckDB then stored a
    # later 2.5 per cent as 2 without a word
    with Store(tmp_path / "c.duckdb") as store:
        whole = pd.DataFrame({"article_id": ["a", "a"], "value": [500, 20]})
        store.save_results("nlp", "1", {"a": ("ok", None)}, {"figures": whole})
        later = pd.DataFrame({"article_id": ["b", "b"], "value": [2.5, 0.4]})
        store.save_results("nlp", "1", {"b": ("ok", None)}, {"figures": later})
        assert store.table("figures")["value"].tolist() == [500.0, 20.0, 2.5, 0.4]
        offsets = pd.DataFrame({"article_id": ["c"], "value": [7.0]})
        store.save_results("nlp", "1", {"c": ("ok", None)}, {"figures": offsets})
        assert store.table("figures")["value"].tolist() == [500.0, 20.0, 2.5, 0.4, 7.0]
