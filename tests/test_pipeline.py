"""The wiring: `extract` from files to JSON Lines, and incremental `analyse` into the store."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from typer.testing import CliRunner

from framewatch import pipeline
from framewatch.cli import app
from framewatch.corpus import Store, ingest
from framewatch.nlp import SCHEMA_PATH, load


@pytest.fixture(scope="module")
def nlp():
    return load()


def test_extract_to_jsonl_matches_the_schema(corpus_dir: Path, nlp) -> None:
    out = io.StringIO()
    report = pipeline.extract_to_jsonl([corpus_dir / "articles.jsonl", corpus_dir / "gov_press_release.html",
                                        corpus_dir / "french.json"], out, with_text=True)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows][:2] == ["j-1", "j-2"] and rows[3]["id"] == "fr-1"
    schema = json.loads(SCHEMA_PATH.read_text())
    for row in rows:
        jsonschema.validate(row, schema)
    assert report.analysed == 3 and report.skipped == 1
    assert [where.rsplit(":", 1)[1] for where, _ in report.failed] == ["2", "4", "5"]  # the bad JSONL lines
    j2 = rows[2]
    names = {p["name"] for p in j2["people"]}
    assert {"Keir Starmer", "Emmanuel Macron", "Yvette Cooper", "Bruno Retailleau"} <= names
    for p in j2["people"]:  # offsets point at the text they name
        for m in p["mentions"]:
            assert j2["text"][m["start"]:m["end"]] == m["text"]
    assert {c["code"] for c in j2["countries"]} >= {"GB", "FR"}
    assert rows[3]["notes"] and rows[3]["people"] == []


def test_analyse_is_incremental_and_replaces_results(corpus_dir: Path, tmp_path: Path, nlp) -> None:
    with Store(tmp_path / "a.duckdb") as store:
        ingest([corpus_dir / "wire_copy_a.json", corpus_dir / "legacy_cp1252.txt", corpus_dir / "french.json"], store)
        head = pipeline.analyse_store(store, nlp=nlp, limit=1)
        assert head.analysed == 1 and store.count_pending("nlp", pipeline.pipeline_version(nlp)) == 1
        first = pipeline.analyse_store(store, nlp=nlp)
        assert (first.analysed, first.skipped, first.failed) == (1, 0, [])  # the rest; French is not pending
        people = store.table("people")
        ids = list(store.articles()["id"])
        assert set(people["article_id"]) == set(ids[:2])
        again = pipeline.analyse_store(store, nlp=nlp)
        assert again.analysed == 0  # nothing new
        ingest([corpus_dir / "action_plan.txt"], store)
        third = pipeline.analyse_store(store, nlp=nlp)
        assert third.analysed == 1
        assert len(store.table("people")) >= len(people)  # earlier rows kept, not duplicated
        assert store.table("people").duplicated(["article_id", "name"]).sum() == 0
        processed = store.table("processed")
        assert set(processed["article_id"]) == {*ids[:2], store.articles()["id"].iloc[-1]}


def test_analyse_reopens_the_database_with_the_same_results(corpus_dir: Path, tmp_path: Path, nlp,
                                                            monkeypatch) -> None:
    files = [corpus_dir / "wire_copy_a.json", corpus_dir / "legacy_cp1252.txt", corpus_dir / "action_plan.txt"]
    tables = {}
    for name, reopen_every in (("plain", None), ("reopened", 1)):
        with Store(tmp_path / f"{name}.duckdb") as store:
            ingest(files, store)
            opened = []
            monkeypatch.setattr(store, "reopen", lambda s=store: (opened.append(1), Store.reopen(s)))
            report = pipeline.analyse_store(store, nlp=nlp, commit_every=1, reopen_every=reopen_every)
            assert report.analysed == 3 and len(opened) == (3 if reopen_every else 0)
            tables[name] = {t: store.table(t).drop(columns=["processed_at"], errors="ignore")
                            for t in ("people", "quotes", "figures", "processed")}
    for t, df in tables["plain"].items():
        pd.testing.assert_frame_equal(df, tables["reopened"][t], check_like=True)
    with Store(tmp_path / "plain.duckdb") as store, pytest.raises(ValueError, match="reopen_every"):
        pipeline.analyse_store(store, nlp=nlp, reopen_every=0)


def test_cli_extract_and_analyse(corpus_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "x.jsonl"
    result = runner.invoke(app, ["extract", str(corpus_dir / "wire_copy_a.json"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["id"] == "wire-a" and row["people"]
    db = tmp_path / "c.duckdb"
    runner.invoke(app, ["ingest", str(corpus_dir / "wire_copy_a.json"), str(corpus_dir / "action_plan.txt"),
                        str(corpus_dir / "factsheet.txt"), "--db", str(db)])
    commits = []
    real = Store.save_results
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Store, "save_results", lambda self, stage, v, statuses, tables: (commits.append(len(statuses)),
                                                                                   real(self, stage, v, statuses, tables)))
        result = runner.invoke(app, ["analyse", "--db", str(db), "-q", "--commit-every", "2"])
    assert result.exit_code == 0 and "Analysed 3 articles" in result.stdout
    assert commits == [2, 1]  # one transaction a batch of --commit-every articles
    summary = runner.invoke(app, ["summary", "--db", str(db)]).stdout
    version = result.stdout.split("(pipeline ")[1].split(")")[0]
    [line] = [ln for ln in summary.splitlines() if ln.startswith("Pipeline ")]
    assert line.startswith(f"Pipeline {version}: framewatch ") and "+attribution-" in version and "+stance-" in version
    for model in ("spacy_pipeline en_core_web_sm", "attribution_model ", "stance_model ", "article_model ", "frames_model "):
        assert model in line, model
    bad = runner.invoke(app, ["extract", str(corpus_dir / "wire_copy_a.json"), "--spacy-model", "no_such_model"])
    assert bad.exit_code == 2 and "spaCy model 'no_such_model' is not installed" in bad.stderr


def test_the_deprecated_fast_option_warns_and_runs_the_default(corpus_dir: Path, tmp_path: Path) -> None:
    with pytest.warns(FutureWarning, match="deprecated and ignored"):
        fast = pipeline.load_pipeline(fast=True)
    assert pipeline.pipeline_version(fast) == pipeline.pipeline_version(pipeline.load_pipeline())
    out, ref = tmp_path / "fast.jsonl", tmp_path / "default.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["extract", str(corpus_dir / "wire_copy_a.json"), "--fast", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "--fast (fast=True) is deprecated" in result.stderr
    assert "--fast" not in runner.invoke(app, ["extract", "--help"]).output
    runner.invoke(app, ["extract", str(corpus_dir / "wire_copy_a.json"), "-o", str(ref), "-q"])
    assert out.read_text() == ref.read_text()


HANGS = """
import sys
from framewatch.nlp import extract, load
nlp = load()
items = [(f"Home Secretary Yvette Cooper said {i} people were returned to France.", {"id": str(i)}) for i in range(40)]
try:
    for n, ex in enumerate(extract(nlp, items, batch_size=4, n_process=2)):
        if n == 3:
            raise RuntimeError("consumer failed")
except RuntimeError:
    print("raised", flush=True)
"""


def test_a_failing_consumer_does_not_leave_workers_hanging(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", HANGS], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "raised"


def test_stance_runs_batched_and_a_failure_stays_with_its_article(monkeypatch) -> None:
    """The models stage sees a batch of documents at once; the results equal one-at-a-time runs,
    and an article that breaks the batch is found and gets the error alone."""
    from framewatch.models import component
    from framewatch.nlp import extract

    nlp = pipeline.load_pipeline()
    texts = ['The Home Secretary said: "The returns deal with France is working and we will expand it."',
             'Critics said the deal was "a gimmick that will never work", according to the charity.',
             'BOOM "This scheme is a costly failure," the shadow minister said.',
             'The pilot runs until June 2026, the Home Office said.']
    items = [(t, {"id": str(i), "language": "en"}) for i, t in enumerate(texts)]
    one_by_one = [next(iter(extract(nlp, [item]))).to_dict() for item in items]
    batched = [ex.to_dict() for ex in extract(nlp, items, batch_size=4)]
    assert batched == one_by_one
    real = component.StanceComponent._process

    def boom(self, docs):
        if any("BOOM" in d.text for d in docs):
            raise RuntimeError("bad article")
        return real(self, docs)

    monkeypatch.setattr(component.StanceComponent, "_process", boom)
    out = list(extract(nlp, items, batch_size=4))
    assert [ex.id for ex in out] == ["0", "1", "2", "3"]
    assert out[2].error == "framewatch_stance: RuntimeError: bad article"
    assert [ex.error for ex in out[:2] + out[3:]] == [None, None, None]
    assert [ex.to_dict()["stance"] for ex in out[:2]] == [d["stance"] for d in one_by_one[:2]]


def test_an_article_without_quotes_does_not_make_the_batch_offsets_floats(tmp_path: Path, nlp) -> None:
    # its quotes frame has only `article_id`; pandas filled the batch's offsets with NaN, so a
    # store made from such a batch (almost any 200 articles) held quote offsets as 1252.0
    from framewatch.nlp import extract

    texts = ['"We will not be deterred," said Yvette Cooper.', "The scheme began in August."]
    frames = [ex.to_frames()["quotes"] for ex in extract(nlp, [(t, {"id": str(i)}) for i, t in enumerate(texts)])]
    assert len(frames[1]) == 0
    quotes = pipeline.concat_frames(frames)
    assert quotes["start"].dtype == "int64" and quotes["end"].tolist() == [25]
    with Store(tmp_path / "q.duckdb") as store:
        store.save_results("nlp", "1", {"0": ("ok", None), "1": ("ok", None)}, {"quotes": quotes})
        types = dict(store.con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                       "WHERE table_name = 'quotes'").fetchall())
    assert (types["start"], types["end"], types["speaker_start"]) == ("BIGINT", "BIGINT", "BIGINT")
    assert len(pipeline.concat_frames([frames[1]])) == 0  # all empty: one empty frame, not an error


SPEAKERS = [("Home Secretary Yvette Cooper", "We will return people to France within days"),
            ("Keir Starmer", "This deal will break the business model of the smuggling gangs"),
            ("Enver Solomon of the Refugee Council", "The scheme risks leaving people in limbo"),
            ("Emmanuel Macron", "France and the United Kingdom share this responsibility")]


def _deal_corpus(path: Path, n: int) -> None:
    """`n` short, different articles with quotes, people, countries and figures."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            who, said = SPEAKERS[i % len(SPEAKERS)]
            other, _ = SPEAKERS[(i + 1) % len(SPEAKERS)]
            text = (f'"{said}," {who} said on day {i + 1} of the pilot. The agreement with France covers '
                    f"{50 + 7 * i} people a week and cost £{i + 2} million, according to the Home Office. "
                    f"{other} was asked about it in Calais, report number {i}.")
            fh.write(json.dumps({"id": f"a{i:03d}", "text": text, "outlet": f"outlet{i % 3}",
                                 "date": f"2025-08-{i % 28 + 1:02d}"}) + "\n")


ANALYSE = """
import sys
from framewatch import pipeline
from framewatch.corpus import Store
nlp = pipeline.load_pipeline(stance=False)
with Store(sys.argv[1]) as store:
    pipeline.analyse_store(store, nlp=nlp, commit_every=int(sys.argv[2]), on_batch=lambda r: print("batch", r.analysed, flush=True))
print("done", flush=True)
"""
TIMESTAMPS = ["processed_at", "ingested_at", "started_at", "finished_at", "first_used"]


def _result_tables(store: Store) -> dict[str, pd.DataFrame]:
    """Every table the analysis wrote, as CSV text would hold it, without the times of writing."""
    skip = {"articles", "runs", "input_errors", "pipelines", "meta", "dedup_bands", "dedup_signatures"}
    return {t: store.table(t).drop(columns=TIMESTAMPS, errors="ignore") for t in store.tables() if t not in skip}


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_killed_analyse_resumes_with_every_article_analysed_once(tmp_path: Path, nlp) -> None:
    corpus = tmp_path / "deal.jsonl"
    _deal_corpus(corpus, 40)
    killed, reference = tmp_path / "killed.duckdb", tmp_path / "reference.duckdb"
    for db in (killed, reference):
        with Store(db) as store:
            ingest([corpus], store, near_duplicates=False)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", ANALYSE, str(killed), "4"], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for _ in range(2):  # two batches committed, the third under way
        line = proc.stdout.readline()
        assert line.startswith("batch"), line
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    with Store(killed) as store:
        done = set(store.table("processed")["article_id"])
        assert 8 <= len(done) < 40 and len(done) % 4 == 0  # whole batches only
        for name, df in _result_tables(store).items():  # no rows of an article whose batch was lost
            assert set(df["article_id"]) <= done, name
        assert store.runs()["finished_at"].isna().tolist() == [False, True]  # the ingest, the killed analyse
    resumed = subprocess.run([sys.executable, "-c", ANALYSE, str(killed), "4"], capture_output=True, text=True,
                             env=env, timeout=300)
    assert resumed.returncode == 0 and resumed.stdout.splitlines()[-2:] == [f"batch {40 - len(done)}", "done"], resumed.stderr[-2000:]
    with Store(reference) as store:
        report = pipeline.analyse_store(store, nlp=nlp, commit_every=40)
        assert report.analysed == 40
        expected = _result_tables(store)
    with Store(killed) as store:
        processed = store.table("processed")
        assert len(processed) == 40 and processed["article_id"].is_unique
        got = _result_tables(store)
    assert sorted(got) == sorted(expected) and {"people", "quotes", "figures"} <= set(got)
    for name in expected:  # the same rows as one uninterrupted run, in another process
        pd.testing.assert_frame_equal(got[name], expected[name], check_like=True, obj=name)


CLI = [sys.executable, "-c", "from framewatch.cli import main; main()"]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_framewatch_analyse_killed_with_sigkill_then_run_again(sample_dir: Path, tmp_path: Path) -> None:
    # the real command, killed at growing delays until a kill lands after some commits, then run
    # to the end: the same tables as an uninterrupted run, every article analysed once
    corpus = tmp_path / "deal.jsonl"
    _deal_corpus(corpus, 200)
    killed, reference = tmp_path / "killed.duckdb", tmp_path / "reference.duckdb"
    for db in (killed, reference):
        subprocess.run([*CLI, "ingest", str(sample_dir), str(corpus), "--db", str(db), "-q"], check=True,
                       capture_output=True)
    with Store(killed, read_only=True) as store:
        total = store.count_pending(pipeline.NLP_STAGE, "none")
    kills, delay = [], 6.0
    while len(kills) < 8 and not any(0 < n < total for n in kills):
        proc = subprocess.Popen([*CLI, "analyse", "--db", str(killed), "--commit-every", "5", "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        with Store(killed, read_only=True) as store:
            processed = store.table("processed")
            assert processed["article_id"].is_unique
            for name, df in _result_tables(store).items():
                assert set(df["article_id"]) <= set(processed["article_id"]), name
        kills.append(len(processed))
        delay += 3
    assert any(0 < n < total for n in kills), kills
    print(f"articles committed when killed: {kills} of {total}")
    rerun = subprocess.run([*CLI, "analyse", "--db", str(killed), "--commit-every", "5", "-q"],
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"Analysed {total - max(kills)} articles" in rerun.stdout
    subprocess.run([*CLI, "analyse", "--db", str(reference), "-q"], check=True, capture_output=True)
    with Store(killed, read_only=True) as a, Store(reference, read_only=True) as b:
        got, expected = _result_tables(a), _result_tables(b)
        assert len(got["processed"]) == total
    assert sorted(got) == sorted(expected)
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], check_like=True, obj=name)


@pytest.mark.slow
def test_the_same_input_twice_gives_identical_tables(sample_dir: Path, tmp_path: Path) -> None:
    # two `framewatch run`s in two processes (different hash seeds): every report table and every
    # exported database table is the same CSV, apart from the times of writing
    for name, seed in (("one", "1"), ("two", "2")):
        done = subprocess.run([*CLI, "run", str(sample_dir), "--db", str(tmp_path / f"{name}.duckdb"),
                               "--out", str(tmp_path / name), "-q"], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr[-2000:]
        subprocess.run([*CLI, "export", "--all", "--format", "csv", "-o", str(tmp_path / f"{name}-db"),
                        "--db", str(tmp_path / f"{name}.duckdb")], check=True, capture_output=True)
    reports = sorted(p.name for p in (tmp_path / "one" / "tables").glob("*.csv"))
    assert len(reports) > 10 and reports == sorted(p.name for p in (tmp_path / "two" / "tables").glob("*.csv"))
    for name in reports:
        assert (tmp_path / "one" / "tables" / name).read_bytes() == (tmp_path / "two" / "tables" / name).read_bytes(), name
    exported = sorted(p.name for p in (tmp_path / "one-db").glob("*.csv"))
    assert {"articles.csv", "people.csv", "quotes.csv", "processed.csv", "pipelines.csv"} <= set(exported)
    for name in exported:
        one, two = (pd.read_csv(tmp_path / d / name, keep_default_na=False) for d in ("one-db", "two-db"))
        drop = [c for c in TIMESTAMPS if c in one.columns]
        assert one.drop(columns=drop).to_csv(index=False) == two.drop(columns=drop).to_csv(index=False), name
