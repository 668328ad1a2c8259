"""Aggregations over `ReportData`, each a tidy pandas DataFrame sorted deterministically.

Shares come with Wilson 95% confidence intervals, so small counts look as uncertain as they are.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources

import pandas as pd

from framewatch.reports.data import UNDATED, ReportData
from framewatch.nlp.voices import voice_labels

STANCES = ("support", "oppose", "neutral")
GROUPS = {"outlet": "outlet", "period": "period", "speaker": "speaker", "speaker_type": "speaker_type",
          "voice": "voice", "deal": "deal"}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials."""
    if n == 0:
        return 0.0, 0.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _shares(counts: pd.DataFrame, group: str, item: str) -> pd.DataFrame:
    """counts [group, item, n] -> add total, share and its interval."""
    totals = counts.groupby(group, dropna=False)["n"].transform("sum")
    out = counts.assign(total=totals, share=(counts["n"] / totals).round(4))
    ci = [wilson(int(k), int(n)) for k, n in zip(out["n"], out["total"])]
    out["ci_low"] = [round(lo, 4) for lo, _ in ci]
    out["ci_high"] = [round(hi, 4) for _, hi in ci]
    return out.sort_values([group, item]).reset_index(drop=True)


def coverage(data: ReportData, *, by_outlet: bool = True, count_copies: bool = True) -> pd.DataFrame:
    """Articles per period (and outlet). With `count_copies=False` a syndicated story counts once
    (for its first stored copy); with `True`, every outlet's copy counts."""
    arts = data.articles
    if not count_copies:
        arts = arts[arts["duplicate_of"].isna()]
    keys = ["period", "outlet"] if by_outlet else ["period"]
    if arts.empty:
        return pd.DataFrame(columns=[*keys, "articles", "stories"])
    g = arts.fillna({"outlet": "(unknown)"}).groupby(keys, dropna=False)
    out = g.agg(articles=("article_id", "count"), stories=("cluster_id", "nunique")).reset_index()
    return out.sort_values(keys, key=lambda s: s.astype(str)).reset_index(drop=True)


def _stance_shares(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts and shares (with intervals) of each stance label per value of `by`; every label
    appears in every group, with n = 0 where none was seen."""
    rows = rows[rows["stance"].isin(STANCES)] if "stance" in rows else rows.iloc[0:0]
    if rows.empty:
        return pd.DataFrame(columns=[by, "stance", "n", "total", "share", "ci_low", "ci_high"])
    rows = rows.fillna({by: "(unknown)"})
    counts = rows.groupby([by, "stance"]).size().rename("n").reset_index()
    full = pd.MultiIndex.from_product([sorted(rows[by].astype(str).unique()), STANCES], names=[by, "stance"])
    counts = counts.astype({by: str}).set_index([by, "stance"]).reindex(full, fill_value=0).reset_index()
    return _shares(counts, by, "stance")


def quote_stance(data: ReportData, by: str = "outlet") -> pd.DataFrame:
    """Quote stance counts and shares per group (`outlet`, `period`, `speaker`, `speaker_type`, `voice`, `deal`)."""
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}: use one of {', '.join(GROUPS)}")
    return _stance_shares(data["quotes"], by)


def article_stance(data: ReportData, by: str = "outlet") -> pd.DataFrame:
    """Article (reporter framing) stance counts and shares per `outlet`, `period` or `deal`."""
    return _stance_shares(data["article_stance"], by)


def voice_share(data: ReportData, by: str = "outlet") -> pd.DataFrame:
    """Who gets quoted: quotes per voice category in each group, including voices never quoted
    (n = 0), so missing voices show."""
    q = data["quotes"]
    voices = list(voice_labels())
    if q.empty:
        return pd.DataFrame(columns=[by, "voice", "voice_label", "n", "total", "share", "ci_low", "ci_high"])
    q = q.fillna({by: "(unknown)"})
    counts = q.groupby([by, "voice"]).size().rename("n").reset_index()
    full = pd.MultiIndex.from_product([sorted(q[by].astype(str).unique()), voices], names=[by, "voice"])
    counts = counts.astype({by: str}).set_index([by, "voice"]).reindex(full, fill_value=0).reset_index()
    out = _shares(counts, by, "voice")
    out.insert(2, "voice_label", out["voice"].map(voice_labels()))
    order = {v: i for i, v in enumerate(voices)}
    return out.sort_values([by, "voice"], key=lambda s: s.map(order) if s.name == "voice" else s).reset_index(drop=True)


def frames_by(data: ReportData, by: str = "outlet") -> pd.DataFrame:
    """Articles using each frame per group, as a share of the group's analysed articles."""
    f = data["frames"]
    if f.empty:
        return pd.DataFrame(columns=[by, "frame", "articles", "total_articles", "share", "mean_score"])
    per_article = f.groupby(["article_id", "frame"], as_index=False)["score"].max()
    info = data.articles.set_index("article_id")[[by]] if by in data.articles else None
    if info is None:
        raise ValueError(f"frames can be grouped by outlet or period, not {by!r}")
    per_article = per_article.join(info, on="article_id").fillna({by: "(unknown)"})
    totals = data.articles.fillna({by: "(unknown)"}).groupby(by)["article_id"].nunique()
    out = per_article.groupby([by, "frame"]).agg(articles=("article_id", "nunique"), mean_score=("score", "mean")).reset_index()
    out["total_articles"] = out[by].map(totals).fillna(0).astype(int)
    out["share"] = (out["articles"] / out["total_articles"].where(out["total_articles"] > 0)).round(4)
    out["mean_score"] = out["mean_score"].round(3)
    return out[[by, "frame", "articles", "total_articles", "share", "mean_score"]].sort_values([by, "frame"]).reset_index(drop=True)


def frame_evidence(data: ReportData) -> pd.DataFrame:
    """The sentences that carry each frame, strongest first, with their article and offsets."""
    f = data["frames"]
    cols = ["frame", "sentence", "sentence_score", "article_id", "outlet", "published", "url", "start", "end"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    return f[cols].sort_values(["frame", "sentence_score", "article_id", "start"],
                               ascending=[True, False, True, True]).reset_index(drop=True)


@cache
def _measures() -> list[tuple[str, re.Pattern[str]]]:
    data = json.loads(resources.files("framewatch.reports").joinpath("data/measures.json").read_text("utf-8"))
    return [(m["name"], re.compile(r"\b(" + "|".join(map(re.escape, sorted(m["cues"], key=len, reverse=True))) + r")\b"))
            for m in data["measures"]]


def measure_of(sentence: str | None) -> str:
    """What a figure's sentence says it measures (first matching cue in `data/measures.json`)."""
    text = (sentence or "").lower()
    for name, pattern in _measures():
        if pattern.search(text):
            return name
    return "other"


def figures_table(data: ReportData) -> pd.DataFrame:
    """Every cited figure with its evidence, grouped by what it measures; `inconsistent` marks a
    group whose articles cite different values, `first_seen` the group's earliest article date."""
    f = data["figures"]
    cols = ["measure_group", "measure", "deal", "unit", "kind", "value", "approx", "text", "figure_period", "claimant",
            "outlet", "published", "url", "article_id", "start", "end", "sentence", "group_values", "inconsistent",
            "first_seen"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    deals = data["article_stance"].set_index("article_id")["deal"] if not data["article_stance"].empty else pd.Series(dtype=str)
    f = f.assign(measure=[measure_of(s) for s in f["sentence"]], deal=f["article_id"].map(deals).fillna("other"))
    f["measure_group"] = f["deal"] + " / " + f["measure"] + " / " + f["unit"].fillna("?") + " / " + f["kind"].fillna("?")
    groups = f.groupby("measure_group")
    f["group_values"] = groups["value"].transform(lambda v: "; ".join(_fmt(x) for x in sorted(set(v))))
    f["inconsistent"] = groups["value"].transform(lambda v: v.nunique() > 1 and (v.max() - v.min()) > 0.01 * abs(v.max()))
    f["first_seen"] = groups["published"].transform("min")
    f = f.sort_values(["measure_group", "published", "article_id", "start"], na_position="last")
    return f[cols].reset_index(drop=True)


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}"


def most_cited_figures(data: ReportData, n: int = 10) -> pd.DataFrame:
    """Values cited in the most articles, with their unit and kind."""
    f = data["figures"]
    if f.empty:
        return pd.DataFrame(columns=["value", "unit", "kind", "articles", "citations", "example"])
    g = f.groupby(["value", "unit", "kind"], dropna=False).agg(
        articles=("article_id", "nunique"), citations=("article_id", "size"), example=("sentence", "first")).reset_index()
    return g.sort_values(["articles", "citations", "value"], ascending=[False, False, True]).head(n).reset_index(drop=True)


def top_quotes(data: ReportData, n: int = 5) -> pd.DataFrame:
    """The most confidently classified quotes on each side (support, oppose)."""
    q = data["quotes"]
    cols = ["stance", "stance_score", "speaker", "voice", "text", "outlet", "published", "url", "article_id", "start", "end"]
    if q.empty or "stance" not in q:
        return pd.DataFrame(columns=cols)
    q = q[q["stance"].isin(("support", "oppose")) & q["kind"].isin(("direct", "indirect"))]
    q = q.sort_values(["stance", "stance_score", "article_id", "start"], ascending=[False, False, True, True])
    return q.groupby("stance", sort=False).head(n)[cols].reset_index(drop=True)


def top_quotes_by_speaker(data: ReportData, n: int = 2, speakers_n: int = 15) -> pd.DataFrame:
    """For the most quoted speakers, their `n` most confidently classified direct or indirect quotes."""
    q = data["quotes"]
    cols = ["speaker", "voice", "stance", "stance_score", "text", "outlet", "published", "url", "article_id", "start", "end"]
    if q.empty or "stance" not in q:
        return pd.DataFrame(columns=cols)
    q = q[q["speaker"].notna() & q["kind"].isin(("direct", "indirect"))]
    top = q["speaker"].value_counts().sort_index().sort_values(ascending=False, kind="stable").head(speakers_n).index
    q = q[q["speaker"].isin(top)].sort_values(["speaker", "stance_score", "article_id", "start"],
                                               ascending=[True, False, True, True])
    return q.groupby("speaker", sort=False).head(n)[cols].reset_index(drop=True)


def speakers(data: ReportData) -> pd.DataFrame:
    """Each speaker: voice, quotes, articles, and their stance counts."""
    q = data["quotes"]
    if q.empty:
        return pd.DataFrame(columns=["speaker", "voice", "quotes", "articles", *STANCES])
    q = q.fillna({"speaker": "(no source)"})
    out = q.groupby("speaker").agg(voice=("voice", "first"), quotes=("text", "size"), articles=("article_id", "nunique"))
    for s in STANCES:
        out[s] = q[q["stance"] == s].groupby("speaker").size().reindex(out.index, fill_value=0)
    return out.reset_index().sort_values(["quotes", "speaker"], ascending=[False, True]).reset_index(drop=True)


def changes(data: ReportData) -> dict[str, pd.DataFrame]:
    """What is new in the latest dated period against the one before: speakers, figures, and the
    change in each voice's share and in quote stance shares."""
    periods = sorted(p for p in data.articles["period"].unique() if p != UNDATED)
    if len(periods) < 1:
        return {}
    last = periods[-1]
    prev = periods[-2] if len(periods) > 1 else None
    q = data["quotes"]
    before = set(q.loc[q["period"] < last, "speaker"].dropna())
    new_speakers = (q[(q["period"] == last) & ~q["speaker"].isin(before) & q["speaker"].notna()]
                    .groupby("speaker").agg(voice=("voice", "first"), quotes=("text", "size")).reset_index()
                    .sort_values(["quotes", "speaker"], ascending=[False, True]).reset_index(drop=True))
    figs = figures_table(data)
    new_figures = figs[(figs["first_seen"].astype(str) >= last)].drop_duplicates("measure_group")[
        ["measure_group", "value", "text", "claimant", "outlet", "published", "url"]].reset_index(drop=True)
    shift = quote_stance(data, by="period")
    if prev is not None and not shift.empty:
        piv = shift.pivot_table(index="stance", columns="period", values="share", fill_value=0.0)
        zeros = pd.Series(0.0, index=piv.index)
        stance_shift = pd.DataFrame({"stance": piv.index, "previous": piv.get(prev, zeros).to_numpy(),
                                     "latest": piv.get(last, zeros).to_numpy()})
        stance_shift["change"] = (stance_shift["latest"] - stance_shift["previous"]).round(4)
    else:
        stance_shift = pd.DataFrame(columns=["stance", "previous", "latest", "change"])
    return {"latest_period": pd.DataFrame({"latest": [last], "previous": [prev]}), "new_speakers": new_speakers,
            "new_figures": new_figures, "stance_shift": stance_shift}
