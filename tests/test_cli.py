from __future__ import annotations

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
        "articles.parquet", "input_errors.parquet", "processed.parquet", "runs.parquet"]
    assert "2 articles in 2 stories" in invoke("summary", "--db", db).stdout


def test_fatal_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["summary", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no database at")
    result = runner.invoke(app, ["export", "nope", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 2 and "Traceback" not in result.output
