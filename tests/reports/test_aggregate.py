from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framewatch.corpus import Store
from framewatch.errors import FramewatchError
from framewatch.reports import ReportData, aggregate
from framewatch.reports.aggregate import measure_of, wilson


@pytest.fixture(scope="module")
def data(analysed_db: Path) -> ReportData:
    with Store(analysed_db, read_only=True) as store:
        return ReportData.from_store(store, period="month")


def test_wilson_interval() -> None:
    lo, hi = wilson(5, 10)
    assert round(lo, 3) == 0.237 and round(hi, 3) == 0.763
    assert wilson(0, 0) == (0.0, 0.0)


def test_coverage_counts_copies_per_outlet_or_once(data: ReportData) -> None:
    per_outlet = aggregate.coverage(data, by_outlet=False)
    once = aggregate.coverage(data, by_outlet=False, count_copies=False)
    assert per_outlet["articles"].sum() == 32 and once["articles"].sum() == 30  # both wire copies repeat sample 001
    assert "undated" in set(per_outlet["period"])  # missing dates are reported, not dropped
    assert per_outlet.loc[per_outlet["period"] == "undated", "articles"].iloc[0] == 9


def test_quote_stance_shares_sum_to_one(data: ReportData) -> None:
    df = aggregate.quote_stance(data, "outlet")
    assert not df.empty
    sums = df.groupby("outlet")["share"].sum()
    assert all(abs(s - 1) < 1e-3 for s in sums)
    assert (df["ci_low"] <= df["share"]).all() and (df["share"] <= df["ci_high"]).all()
    with pytest.raises(ValueError, match="unknown grouping"):
        aggregate.quote_stance(data, "colour")


def test_voice_share_lists_missing_voices(data: ReportData) -> None:
    df = aggregate.voice_share(data, "outlet")
    per_outlet = df.groupby("outlet")["voice"].nunique()
    assert (per_outlet == len(set(df["voice"]))).all()  # every voice, quoted or not
    assert (df["n"] == 0).any()


def test_figures_are_grouped_and_inconsistencies_flagged(data: ReportData) -> None:
    figs = aggregate.figures_table(data)
    assert len(figs) == len(data["figures"])
    flagged = figs[figs["inconsistent"]]
    for _, group in flagged.groupby("measure_group"):
        assert group["value"].nunique() > 1
    assert {"sentence", "start", "end", "url", "article_id", "first_seen"} <= set(figs.columns)


@pytest.mark.parametrize(("sentence", "measure"), [
    ("42 migrants have been returned to France under the agreement", "returned"),
    ("the total of 36,816 small boat arrivals recorded for 2024", "arrived"),
    ("The scheme will cost £500m", "cost"),
    ("Nothing here", "other"),
])
def test_measure_of(sentence: str, measure: str) -> None:
    assert measure_of(sentence) == measure


def test_top_quotes_by_speaker(data: ReportData) -> None:
    df = aggregate.top_quotes_by_speaker(data, n=2)
    assert not df.empty and (df.groupby("speaker").size() <= 2).all()
    assert df["speaker"].notna().all()


def test_frames_and_speakers_tables(data: ReportData) -> None:
    speakers = aggregate.speakers(data)
    assert "Chris Philp" in set(speakers["speaker"])
    assert set(aggregate.frames_by(data, "outlet").columns) == {"outlet", "frame", "articles", "total_articles", "share", "mean_score"}


def test_unknown_deal_lists_the_known_ones(analysed_db: Path) -> None:
    with Store(analysed_db, read_only=True) as store:
        with pytest.raises(FramewatchError, match="unknown deal 'nope'; known deals: uk-france, uk-rwanda"):
            ReportData.from_store(store, deal="nope")


def test_deal_filter(analysed_db: Path) -> None:
    with Store(analysed_db, read_only=True) as store:
        all_ = ReportData.from_store(store)
        uk_fr = ReportData.from_store(store, deal="uk-france")
    assert 0 < len(uk_fr.articles) < len(all_.articles)
    stance = all_["article_stance"].set_index("article_id")["deal"]
    assert set(stance.loc[list(uk_fr.articles["article_id"])]) == {"uk-france"}


def test_empty_period(analysed_db: Path) -> None:
    import datetime as dt

    with Store(analysed_db, read_only=True) as store:
        data = ReportData.from_store(store, since=dt.date(2030, 1, 1))
    assert data.empty
    assert aggregate.coverage(data).empty and aggregate.voice_share(data).empty
    assert isinstance(aggregate.changes(data), dict)
    assert isinstance(aggregate.figures_table(data), pd.DataFrame)
