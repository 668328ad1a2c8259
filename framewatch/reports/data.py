"""The rows a report is made of: articles and their analysis results, filtered, as DataFrames."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from framewatch.corpus import Store
from framewatch.errors import FramewatchError
from framewatch.nlp.voices import voice_of

PERIODS = {"day": "D", "week": "W-MON", "month": "M"}
UNDATED = "undated"

ARTICLE_COLUMNS = ["article_id", "url", "outlet", "title", "published", "cluster_id", "duplicate_of", "period"]
COLUMNS: dict[str, list[str]] = {
    "quotes": ["article_id", "text", "kind", "speaker", "speaker_type", "cue", "start", "end", "sentence",
               "confidence", "stance", "stance_score", "deal"],
    "figures": ["article_id", "text", "value", "unit", "kind", "approx", "period", "claimant", "sentence", "start", "end"],
    "frames": ["article_id", "frame", "score", "sentence", "start", "end", "sentence_score"],
    "article_stance": ["article_id", "deal", "stance", "stance_score"],
    "people": ["article_id", "name", "role", "roles"],
    "organisations": ["article_id", "name", "type"],
    "claims": ["article_id", "text", "claimant", "type", "checkworthiness", "start", "end", "sentence"],
}


def period_of(published: Any, period: str) -> str:
    """The start date of the period holding `published` (ISO), or `undated`."""
    if published is None or (isinstance(published, float) and pd.isna(published)) or published is pd.NaT:
        return UNDATED
    ts = pd.Timestamp(published)
    if period == "day":
        return ts.date().isoformat()
    if period == "week":
        return (ts - pd.Timedelta(days=ts.weekday())).date().isoformat()
    if period == "month":
        return ts.date().replace(day=1).isoformat()
    raise FramewatchError(f"unknown period {period!r}: use day, week or month")


@dataclass
class ReportData:
    """Articles in the filter, and every result row that belongs to them."""

    articles: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    period: str = "week"
    filters: dict[str, Any] = field(default_factory=dict)
    versions: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def empty(self) -> bool:
        return self.articles.empty

    @classmethod
    def from_store(cls, store: Store, *, since: dt.date | None = None, until: dt.date | None = None,
                   period: str = "week", deal: str | None = None) -> ReportData:
        """Load the articles published in [since, until] (undated ones are kept and reported as
        such unless a date filter is given) and their results; `deal` keeps articles about it."""
        if period not in PERIODS:
            raise FramewatchError(f"unknown period {period!r}: use day, week or month")
        con = store.con
        arts = con.execute("SELECT id AS article_id, url, outlet, title, published, cluster_id, duplicate_of "
                           "FROM articles WHERE (language = 'en' OR language IS NULL) ORDER BY rowid").df()
        if since is not None:
            arts = arts[arts["published"].notna() & (pd.to_datetime(arts["published"]) >= pd.Timestamp(since))]
        if until is not None:
            arts = arts[arts["published"].notna() & (pd.to_datetime(arts["published"]) <= pd.Timestamp(until))]
        have = set(store.tables())
        tables = {}
        for name, cols in COLUMNS.items():
            if name in have:
                df = con.execute(f'SELECT * FROM "{name}"').df()
                for c in cols:
                    if c not in df.columns:
                        df[c] = None
            else:
                df = pd.DataFrame(columns=cols)
            tables[name] = df
        if deal is not None:
            from framewatch.models.deals import deal_labels

            if deal not in deal_labels():
                raise FramewatchError(f"unknown deal {deal!r}; known deals: {', '.join(deal_labels())}")
            about = set(tables["article_stance"].loc[tables["article_stance"]["deal"] == deal, "article_id"])
            arts = arts[arts["article_id"].isin(about)]
        arts = arts.assign(period=[period_of(p, period) for p in arts["published"]]).reset_index(drop=True)
        # dates as ISO text (None when missing): they print, sort and compare the same everywhere
        arts["published"] = [None if pd.isna(p) else pd.Timestamp(p).date().isoformat() for p in arts["published"]]
        keep = set(arts["article_id"])
        info = arts.set_index("article_id")[["outlet", "published", "period", "url", "title"]]
        for name, df in tables.items():
            df = df[df["article_id"].isin(keep)].copy()
            df = df.drop(columns=[c for c in info.columns if c in df.columns and c != "period"])
            if "period" in df.columns:  # a figure's own period ("in 2024") is not the article's
                df = df.rename(columns={"period": "figure_period"})
            tables[name] = df.join(info, on="article_id").reset_index(drop=True)
        tables["quotes"] = _with_voices(tables["quotes"], tables["people"], tables["organisations"])
        versions = sorted({v for (v,) in con.execute(
            "SELECT DISTINCT version FROM processed WHERE status = 'ok'").fetchall()}) if "processed" in have else []
        return cls(arts[ARTICLE_COLUMNS], tables, period,
                   {"since": since, "until": until, "deal": deal, "period": period}, versions)


def _with_voices(quotes: pd.DataFrame, people: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """Add each quote's speaker roles and voice category."""
    roles: dict[tuple[str, str], list[str]] = {}
    for row in people.itertuples(index=False):
        rs = list(row.roles) if isinstance(row.roles, (list, tuple)) or hasattr(row.roles, "tolist") else []
        if isinstance(row.role, str):
            rs.append(row.role)
        roles[(row.article_id, row.name)] = rs
    org_types = {(r.article_id, r.name): r.type for r in orgs.itertuples(index=False)}
    voices = [voice_of(q.speaker, roles=roles.get((q.article_id, q.speaker), []),
                       org_type=org_types.get((q.article_id, q.speaker)), speaker_type=q.speaker_type)
              for q in quotes.itertuples(index=False)]
    return quotes.assign(voice=voices, speaker_roles=["; ".join(roles.get((q.article_id, q.speaker), []))
                                                      for q in quotes.itertuples(index=False)])
