from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from framewatch.errors import FramewatchError
from framewatch.reports import charts
from framewatch.reports.data import ReportData
from framewatch.reports.milestones import KINDS, describe_window, milestone_windows, read_milestones


def test_bundled_milestones_are_dated_sourced_and_known_kinds() -> None:
    ms = read_milestones()
    assert len(ms) >= 15
    df = ms.to_frame()
    assert df["source_url"].str.match(r"https?://").all() and df["source_id"].notna().all()
    assert set(df["kind"]) <= set(KINDS) and df["description"].str.len().between(10, 120).all()
    assert df["date"].tolist() == sorted(df["date"])
    ents = ms.select(deals=["uk-france"], since=dt.date(2025, 8, 1))
    assert [m.kind for m in ents] == ["entry_into_force", "first_detentions", "first_returns"]


def test_users_file_csv_and_json(tmp_path: Path) -> None:
    csv = tmp_path / "m.csv"
    csv.write_text("deal,date,kind,description,source_url\nuk-france,2025-07-10,signing,Deal agreed,https://a.test/x\n")
    assert [m.date for m in read_milestones(csv)] == [dt.date(2025, 7, 10)]
    js = tmp_path / "m.json"
    js.write_text(json.dumps({"milestones": [{"deal": "uk-rwanda", "date": "2023-11-15", "kind": "court_ruling",
                                              "description": "Supreme Court ruling", "source_url": "https://b.test"}]}))
    assert read_milestones(js).items[0].label == "court ruling"


@pytest.mark.parametrize(("content", "message"), [
    ("deal,date,kind\nuk-france,2025-07-10,signing\n", "lacks the column(s) description, source_url"),
    ("deal,date,kind,description,source_url\nuk-france,10/07/2025,signing,x,https://a.test\n",
     "milestone 2 has date '10/07/2025'; write dates as YYYY-MM-DD"),
    ("deal,date,kind,description,source_url\nuk-france,2025-07-10,signing,,https://a.test\n",
     "milestone 2 has no description"),
])
def test_bad_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(content)
    with pytest.raises(FramewatchError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_milestones(p)


def _data(articles: list[tuple[str, str | None, str]], quotes: list[tuple[str, str]]) -> ReportData:
    arts = pd.DataFrame([{"article_id": a, "url": None, "outlet": "o", "title": None, "published": p,
                          "cluster_id": a, "duplicate_of": None, "period": p or "undated"} for a, p, _ in articles])
    stance = pd.DataFrame([{"article_id": a, "deal": d, "stance": "neutral", "stance_score": 1.0} for a, _, d in articles])
    pub = {a: p for a, p, _ in articles}
    q = pd.DataFrame([{"article_id": a, "stance": s, "published": pub[a], "kind": "direct"} for a, s in quotes])
    return ReportData(arts, {"article_stance": stance, "quotes": q})


def test_windows_count_the_deal_before_and_from_the_milestone(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("deal,date,kind,description,source_url\nuk-france,2025-08-06,entry_into_force,In force,https://a.test\n")
    data = _data([("b1", "2025-07-30", "uk-france"), ("b2", "2025-08-05", "uk-france"), ("x", "2025-08-05", "uk-rwanda"),
                  ("a1", "2025-08-06", "uk-france"), ("a2", "2025-08-12", "uk-france"), ("late", "2025-08-13", "uk-france"),
                  ("u", None, "uk-france")],
                 [("b2", "support")] * 5 + [("b1", "oppose")] * 1 + [("a1", "oppose")] * 3 + [("a2", "support")] * 3
                 + [("x", "oppose")] * 4)
    w = milestone_windows(data, read_milestones(p), days=7).iloc[0]
    assert (w.articles_before, w.articles_after) == (2, 2)  # 07-30..08-05 and 08-06..08-12, this deal only
    assert (w.quotes_before, w.quotes_after, w.oppose_before, w.oppose_after) == (6, 6, 1, 3)
    assert (w.oppose_share_before, w.oppose_share_after, w.oppose_change) == (0.1667, 0.5, 0.3333)
    assert w.oppose_ci_after == "0.19-0.81"
    assert describe_window(w, 5) == ("In force (entry into force, 2025-08-06): 2 articles in the 7 days before, 2 articles "
                                     "in the 7 days from it; quotes opposing the deal 17% (n=6) → 50% (n=6), supporting "
                                     "83% → 50%.")
    assert "too few quotes with a stance to compare (6 before, 6 after; at least 10 each needed)" in describe_window(w, 10)
    with pytest.raises(ValueError, match="at least 1 day"):
        milestone_windows(data, read_milestones(p), days=0)


def test_stance_chart_marks_milestones_and_keeps_thin_periods_off_the_line() -> None:
    rows = []
    for period, n_support, n in (("2025-07-28", 4, 8), ("2025-08-04", 1, 2), ("2025-08-11", 3, 9)):
        for s, k in (("support", n_support), ("oppose", n - n_support), ("neutral", 0)):
            rows.append({"period": period, "stance": s, "n": k, "total": n, "share": k / n, "ci_low": 0.0, "ci_high": 1.0})
    ms = pd.DataFrame([{"n": 1, "date": "2025-08-06"}, {"n": 2, "date": "2030-01-01"}])
    svg = charts.stance_over_time(pd.DataFrame(rows), "Quote stance", milestones=ms, min_count=5,
                                  colours=charts.STANCE_COLOURS, order=["support", "neutral", "oppose"])
    assert 'id="milestone-1"' in svg and 'id="milestone-2"' not in svg  # outside the dates: not drawn
    for period, n in (("2025-07-28", 8), ("2025-08-04", 2), ("2025-08-11", 9)):  # quotes per period above the points
        assert f'id="count-{period}"' in svg and f">{n}<" in svg.split(f'id="count-{period}"')[1][:600]
    assert 'id="few-support"' in svg  # the period with 2 quotes: a hollow point, not on the line
    cov = charts.coverage_over_time(pd.DataFrame({"period": ["2025-07-28", "2025-08-04"], "articles": [3, 5]}),
                                    "Coverage", milestones=ms)
    assert 'id="milestone-1"' in cov
