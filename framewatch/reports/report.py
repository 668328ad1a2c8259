"""The periodic report: tables (CSV and Parquet), a self-contained HTML page and Markdown.

Every number in the report comes from a table written beside it, and every table is sorted and
formatted deterministically: the same database and options give byte-identical tables.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote as urlquote
from urllib.parse import urlsplit

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from framewatch import __version__
from framewatch.corpus import Store
from framewatch.reports import aggregate as agg
from framewatch.reports import charts
from framewatch.reports.data import UNDATED, ReportData
from framewatch.reports.milestones import (WINDOW_DAYS, Milestones, describe_window, milestone_windows,
                                           read_milestones, report_milestones)
from framewatch.reports.provenance import cluster_quotes
from framewatch.nlp.voices import voice_labels

FORMATS = ("html", "md")


@dataclass
class Report:
    """A built report: its tables, charts and the facts its summary states."""

    data: ReportData
    tables: dict[str, pd.DataFrame]
    charts: dict[str, str]
    summary: dict[str, Any]
    generated: dt.date = field(default_factory=dt.date.today)

    def write(self, out_dir: str | Path, formats: tuple[str, ...] = FORMATS, *, parquet: bool = True) -> list[Path]:
        """Write `report.html` / `report.md`, the charts (`charts/*.svg`, for the Markdown) and
        `tables/*.csv` (+ `.parquet`) to `out_dir`; returns the files written."""
        out = Path(out_dir)
        (out / "tables").mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in self.tables.items():
            path = out / "tables" / f"{name}.csv"
            _stable(df).to_csv(path, index=False, lineterminator="\n")
            written.append(path)
            if parquet:
                _stable(df).astype(str).to_parquet(out / "tables" / f"{name}.parquet", index=False)
        env = Environment(loader=PackageLoader("framewatch.reports", "templates"),
                          autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        env.filters.update(md=_md, link=safe_url, pct=_pct, num=_num, fragment=text_fragment)
        ctx = {"r": self, "s": self.summary, "t": self.tables, "c": self.charts, "version": __version__,
               "voices": voice_labels(), "generated": self.generated.isoformat()}
        for fmt in formats:
            if fmt not in FORMATS:
                raise ValueError(f"unknown report format {fmt!r}: use html or md")
            if fmt == "md":
                (out / "charts").mkdir(exist_ok=True)
                for name, svg in self.charts.items():
                    if svg:
                        (out / "charts" / f"{name}.svg").write_text(svg, encoding="utf-8")
            path = out / f"report.{fmt}"
            path.write_text(env.get_template(f"report.{fmt}.j2").render(**ctx), encoding="utf-8")
            written.append(path)
        return written


def _stable(df: pd.DataFrame) -> pd.DataFrame:
    """Lists and dates as text, floats rounded: the same rows always serialise the same way."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) or hasattr(v, "tolist") and not isinstance(v, str) else v)
        elif pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(4)
    return out


def safe_url(url: Any) -> str | None:
    """The url if it is http(s), else None: a `javascript:` link from an article never renders."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def text_fragment(url: Any, text: Any, words: int = 8) -> str | None:
    """A link that opens the article at the quoted words (URL text fragment), when the url is safe."""
    base = safe_url(url)
    if base is None:
        return None
    snippet = " ".join(str(text or "").split()[:words])
    return f"{base.split('#')[0]}#:~:text={urlquote(snippet, safe='')}" if snippet else base


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>])")


def _md(value: Any) -> str:
    """Markdown-escape article text (and neutralise HTML, which Markdown renderers pass through)."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


def _pct(value: Any) -> str:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return "n/a"
    return "n/a" if f != f else f"{100 * f:.0f}%"


def _num(value: Any) -> str:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{int(f):,}" if f.is_integer() else f"{f:,.2f}"


def build_report(store: Store, *, since: dt.date | None = None, until: dt.date | None = None,
                 period: str = "week", deal: str | None = None, count_copies: bool = True,
                 milestones: str | Path | Milestones | None = None, window: int = WINDOW_DAYS,
                 min_count: int = charts.MIN_COUNT) -> Report:
    """Aggregate the store's analysed articles into a `Report` (see `Report.write`).

    `milestones`: a milestones file or `Milestones` (default: the bundled file); those of the
    report's deals and dates are marked on the coverage and stance charts, with coverage and
    stance `window` days either side. A period with fewer than `min_count` quotes stays off
    the stance line."""
    if min_count < 1:
        raise ValueError(f"the minimum count of quotes per period must be at least 1, not {min_count}")
    data = ReportData.from_store(store, since=since, until=until, period=period, deal=deal)
    ms = milestones if isinstance(milestones, Milestones) else read_milestones(milestones)
    shown = report_milestones(data, ms, window)
    clusters = cluster_quotes(data["quotes"])
    t: dict[str, pd.DataFrame] = {
        "coverage": agg.coverage(data, count_copies=count_copies),
        "coverage_by_period": agg.coverage(data, by_outlet=False, count_copies=count_copies),
        "quote_stance_by_outlet": agg.quote_stance(data, "outlet"),
        "quote_stance_by_period": agg.quote_stance(data, "period"),
        "quote_stance_by_voice": agg.quote_stance(data, "voice"),
        "quote_stance_by_speaker": agg.quote_stance(data, "speaker"),
        "article_stance_by_outlet": agg.article_stance(data, "outlet"),
        "article_stance_by_period": agg.article_stance(data, "period"),
        "voice_share_by_outlet": agg.voice_share(data, "outlet"),
        "voice_share_by_period": agg.voice_share(data, "period"),
        "frames_by_outlet": agg.frames_by(data, "outlet"),
        "frames_by_period": agg.frames_by(data, "period"),
        "frame_evidence": agg.frame_evidence(data),
        "figures": agg.figures_table(data),
        "most_cited_figures": agg.most_cited_figures(data),
        "top_quotes": agg.top_quotes(data),
        "top_quotes_by_speaker": agg.top_quotes_by_speaker(data),
        "speakers": agg.speakers(data),
        "quote_clusters": clusters.members,
        "quote_cluster_summary": clusters.clusters,
        "milestones": shown.to_frame(),
        "milestone_windows": milestone_windows(data, shown, window),
        "quotes": data["quotes"].drop(columns=[c for c in ("title",) if c in data["quotes"]]),
        "articles": data.articles,
    }
    for name, df in agg.changes(data).items():
        t[f"new_{name}" if not name.startswith(("new_", "latest")) else name] = df
    c = _charts(t, period, min_count)
    summary = _summary(data, t)
    summary.update(_provenance_summary(t), milestones_source=ms.source, window=window, min_count=min_count,
                   milestone_text=[describe_window(r, min_count) for r in t["milestone_windows"].itertuples(index=False)])
    return Report(data, t, c, summary)


def _provenance_summary(t: dict[str, pd.DataFrame], n: int = 10, examples: int = 3) -> dict[str, Any]:
    """The most repeated quotes for the report text: each cluster's spread and a few of its
    altered printings."""
    summ, mem = t["quote_cluster_summary"], t["quote_clusters"]
    top = summ.sort_values(["articles", "outlets", "members", "cluster"], ascending=[False, False, False, True]).head(n)
    repeated = []
    for row in top.itertuples(index=False):
        members = mem[mem["cluster"] == row.cluster]
        altered = members[members["altered"]].drop_duplicates("text").head(examples)
        info = {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in row._asdict().items()}
        repeated.append({**info, "altered_examples": altered.to_dict("records"),
                         "disagreeing": members.loc[members["speaker_agrees"] == False, "speaker"].dropna()  # noqa: E712
                         .drop_duplicates().tolist()})
    return {"quote_clusters": int(len(summ)), "clustered_quotes": int(len(mem)),
            "altered_quotes": int(mem["altered"].sum()) if len(mem) else 0, "repeated": repeated}


def _charts(t: dict[str, pd.DataFrame], period: str = "week", min_count: int = charts.MIN_COUNT) -> dict[str, str]:
    stance_order = ["support", "neutral", "oppose"]
    voice_order = list(voice_labels())
    per_period = t["quote_stance_by_period"]
    per_period = per_period[per_period["period"] != UNDATED] if not per_period.empty else per_period
    frames_all = t["frames_by_outlet"].groupby("frame")["articles"].sum() if not t["frames_by_outlet"].empty else pd.Series(dtype=int)
    cov = t["coverage"].groupby("outlet")["articles"].sum() if not t["coverage"].empty else pd.Series(dtype=int)
    return {
        "stance_over_time": charts.stance_over_time(per_period, "Quote stance over time (share of quotes, 95% band)",
                                                    period=period, milestones=t["milestones"], min_count=min_count,
                                                    colours=charts.STANCE_COLOURS, order=stance_order),
        "coverage_over_time": charts.coverage_over_time(t["coverage_by_period"], "Coverage over time: articles per "
                                                        f"{period}", period=period, milestones=t["milestones"]),
        "stance_by_outlet": charts.stacked_shares(t["quote_stance_by_outlet"], "outlet", "stance",
                                                  "Quote stance by outlet", colours=charts.STANCE_COLOURS, order=stance_order),
        "voice_share": charts.stacked_shares(t["voice_share_by_outlet"].assign(voice=t["voice_share_by_outlet"]["voice_label"])
                                             if not t["voice_share_by_outlet"].empty else t["voice_share_by_outlet"],
                                             "outlet", "voice", "Who gets quoted, by outlet",
                                             order=[voice_labels()[v] for v in voice_order]),
        "frames": charts.bars([str(i) for i in frames_all.index], [float(v) for v in frames_all.values],
                              "Frames: articles using each"),
        "coverage": charts.bars([str(i) for i in cov.index], [float(v) for v in cov.values], "Coverage: articles by outlet"),
    }


def _summary(data: ReportData, t: dict[str, pd.DataFrame]) -> dict[str, Any]:
    arts = data.articles
    q = data["quotes"]
    stances = q["stance"].value_counts() if not q.empty and "stance" in q else pd.Series(dtype=int)
    n_q = int(stances.sum())
    voice_n = q["voice"].value_counts() if not q.empty else pd.Series(dtype=int)
    missing_voices = [voice_labels()[v] for v in voice_labels() if v != "other" and voice_n.get(v, 0) == 0]
    figs = t["figures"]
    dated = arts["published"].dropna()
    return {
        "articles": len(arts), "stories": int(arts["cluster_id"].nunique()) if len(arts) else 0,
        "outlets": int(arts["outlet"].nunique()), "undated": int(arts["published"].isna().sum()),
        "first_date": str(pd.Timestamp(dated.min()).date()) if len(dated) else None,
        "last_date": str(pd.Timestamp(dated.max()).date()) if len(dated) else None,
        "quotes": int(len(q)), "stance_quotes": n_q,
        "support_share": (stances.get("support", 0) / n_q) if n_q else None,
        "oppose_share": (stances.get("oppose", 0) / n_q) if n_q else None,
        "neutral_share": (stances.get("neutral", 0) / n_q) if n_q else None,
        "top_voices": [(voice_labels().get(v, v), int(n)) for v, n in voice_n.head(3).items()],
        "missing_voices": missing_voices,
        "figures": int(len(figs)), "inconsistent_groups": int(figs.loc[figs["inconsistent"] == True, "measure_group"].nunique()) if len(figs) else 0,  # noqa: E712
        "top_frames": [] if t["frames_by_outlet"].empty else
        t["frames_by_outlet"].groupby("frame")["articles"].sum().sort_values(ascending=False).head(3).index.tolist(),
        "filters": {k: (str(v) if v is not None else None) for k, v in data.filters.items()},
        "versions": data.versions,
    }
