from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from framewatch import __version__
from framewatch.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_version_and_help() -> None:
    assert invoke("--version").stdout.strip() == f"framewatch {__version__}"
    for cmd in ("ingest", "run", "export", "summary"):
        result = invoke(cmd, "-h")
        assert result.exit_code == 0 and "Example" in result.stdout, cmd


def test_ingest_reports_and_exit_code(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    result = invoke("ingest", corpus_dir, "--db", db, "-q")
    assert result.exit_code == 1  # some inputs failed
    assert "articles read" in result.stdout and "18" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 6
    assert f"error: {corpus_dir / 'export_bad_rows.csv'}:3: malformed CSV row: 7 fields, the header has 5" in errors
    again = invoke("ingest", corpus_dir / "wire_copy_a.json", "--db", db)
    assert again.exit_code == 0 and "already stored (skipped)" in again.stdout


def test_ingest_field_mapping_option(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    assert invoke("ingest", corpus_dir / "export.csv", "--db", db, "--field", "date=pub_date").exit_code == 0
    assert invoke("export", "articles", "-o", tmp_path / "a.csv", "--db", db).exit_code == 0
    df = pd.read_csv(tmp_path / "a.csv")
    assert list(df["published"]) == ["2025-07-11", "2024-04-25"]
    bad = runner.invoke(app, ["ingest", str(corpus_dir / "export.csv"), "--db", str(db), "--field", "nonsense"])
    assert bad.exit_code == 2 and "expected FIELD=COLUMN" in bad.output


def test_run_on_the_sample_corpus(sample_dir: Path, tmp_path: Path) -> None:
    result = invoke("run", sample_dir, "--db", tmp_path / "demo.duckdb", "--out", tmp_path / "out", "-q")
    assert result.exit_code == 0, result.output
    assert "30 articles" in result.stdout
    for name in ("report.html", "report.md", "tables/articles.csv", "tables/figures.csv", "tables/voice_share_by_outlet.csv"):
        assert (tmp_path / "out" / name).exists(), name


def test_export_all_and_summary(corpus_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    invoke("ingest", corpus_dir / "articles.jsonl", "--db", db)
    result = invoke("export", "--all", "-o", tmp_path / "tables", "--format", "parquet", "--db", db)
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "articles.parquet", "input_errors.parquet", "pipelines.parquet", "processed.parquet", "runs.parquet"]
    assert "2 articles in 2 stories" in invoke("summary", "--db", db).stdout


def test_fatal_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["summary", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no database at")
    result = runner.invoke(app, ["export", "nope", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 2 and "Traceback" not in result.output


GOOD_TEXTS = [
    "The UK and France signed the returns deal in London on Thursday, the Home Office said in a statement.",
    "Critics said the one-in, one-out pilot would do little to stop small boat crossings in the Channel this summer.",
    "French officials said the first returns under the agreement could begin within weeks of the treaty's ratification.",
    "Charities warned that the scheme could leave asylum seekers in legal limbo on both sides of the Channel.",
    "The Prime Minister defended the agreement in Parliament, calling it a breakthrough in cooperation with France.",
]


def _crawler_folder(folder: Path) -> Path:
    """Five good articles beside what a crawler also leaves: a corrupt zip, a deeply nested JSON
    line, a 5,000-digit number and a feed with invalid bytes and a control character."""
    import io
    import json
    import zipfile

    folder.mkdir()
    for i, text in enumerate(GOOD_TEXTS, 1):
        (folder / f"article{i}.txt").write_text(text, encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.jsonl", (json.dumps({"id": "z", "text": GOOD_TEXTS[0]}) + "\n") * 40)
    data = bytearray(buf.getvalue())
    data[40] ^= 0xFF  # inside the member's compressed data
    data[45] ^= 0x55
    (folder / "archive.zip").write_bytes(bytes(data))
    (folder / "deep.jsonl").write_text("[" * 5000 + "]" * 5000 + "\n")
    (folder / "number.jsonl").write_text('{"id": "n", "text": "t", "views": ' + "7" * 5000 + "}\n")
    (folder / "feed.rss").write_bytes(
        b'<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Wire</title><item><guid>w1</guid>'
        b"<title>Deal\xff</title><description>Ministers \x01said the deal \xc3\x28 would stop crossings within weeks."
        b"</description></item></channel></rss>")
    return folder


def test_ingest_stores_the_good_articles_and_names_each_bad_file(tmp_path: Path) -> None:
    folder = _crawler_folder(tmp_path / "crawl")
    db = tmp_path / "c.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "-q"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"warning: {folder / 'feed.rss'}: decoded leniently: 2 invalid utf-8 byte sequences replaced with U+FFFD, "
        "1 control character XML forbids turned into spaces",
        f"error: {folder / 'archive.zip'}!a.jsonl: cannot read zip member: corrupt compressed data "
        "(Error -3 while decompressing data: invalid code lengths set)",
        f"error: {folder / 'deep.jsonl'}:1: JSON nested more than 100 levels deep, over the json_depth limit "
        "(raise it with --limit json_depth=N)",
        f"error: {folder / 'number.jsonl'}:1: a JSON number of 5,000 digits, more than the 4,300 Python reads "
        "(is the record corrupt?)",
        "3 inputs could not be read (listed above); every other article was stored. Fix or remove them and run the "
        "same command again: what is stored is skipped.",
    ]
    from framewatch.corpus import Store

    with Store(db, read_only=True) as store:
        df = store.articles()
        assert set(GOOD_TEXTS) <= set(df["text"])
        assert len(df) == 6  # the five, and the feed's entry, read leniently
        feed = df[df["source_path"].str.endswith("feed.rss:1")].iloc[0]
        assert feed["text"] == "Ministers  said the deal \ufffd( would stop crossings within weeks."
        assert "decoded leniently" in feed["notes"]
        assert len(store.input_errors()) == 3
    # a limit raised past what Python's parser nests is still a clean error
    again = runner.invoke(app, ["ingest", str(folder / "deep.jsonl"), "--db", str(db), "--limit", "json_depth=10000"])
    assert again.exit_code == 1
    assert again.stderr.splitlines()[0] == f"error: {folder / 'deep.jsonl'}:1: JSON nested too deeply to parse"


def test_limit_option_is_checked(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "c.duckdb"), "--limit", "depth=3"])
    message = re.sub(r"[│╭╮╰╯─\s]+", " ", bad.output)  # the text inside rich's error box
    assert bad.exit_code == 2 and "unknown limit 'depth'; use one of file_bytes, line_bytes, json_depth" in message
    assert not (tmp_path / "c.duckdb").exists()


def test_a_bug_prints_its_traceback_with_a_request_to_report_it(tmp_path: Path, monkeypatch) -> None:
    from framewatch import pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pipeline, "ingest_paths", broken)
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "c.duckdb")])
    assert isinstance(result.exception, ZeroDivisionError)
    assert result.stderr.startswith("internal error: this is a bug in Framewatch, not a problem with your input. "
                                    "Please report it")
