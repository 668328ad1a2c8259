"""Charts as inline SVG strings (matplotlib's SVG backend): no scripts, no network, and the same
data always gives the same bytes."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd

STANCE_COLOURS = {"support": "#1b7837", "neutral": "#9e9e9e", "oppose": "#b2182b"}
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#86bcb6", "#d37295"]


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("svg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "framewatch", "svg.fonttype": "none", "font.size": 9,
                         "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False})
    return plt, plt.subplots(figsize=(width, height))


def _svg(plt, fig, title: str) -> str:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    fig.tight_layout()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype for inline use
    svg = re.sub(r"<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', svg, count=1)
    return svg


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def stacked_shares(df: pd.DataFrame, group: str, item: str, title: str, *, colours: dict[str, str] | None = None,
                   order: Sequence[str] | None = None, max_groups: int = 15) -> str:
    """Horizontal 100% stacked bars: one bar per group, one segment per item (by `share`)."""
    if df.empty or df["total"].sum() == 0:
        return ""
    df = df[df["total"] > 0]
    groups = (df.groupby(group)["total"].first().sort_values(ascending=False).head(max_groups).index.tolist())[::-1]
    items = list(order) if order else sorted(df[item].unique())
    plt, (fig, ax) = _figure(7.5, 0.9 + 0.32 * len(groups))
    left = [0.0] * len(groups)
    for i, it in enumerate(items):
        vals = [float(df[(df[group] == g) & (df[item] == it)]["share"].sum()) for g in groups]
        colour = (colours or {}).get(it, PALETTE[i % len(PALETTE)])
        ax.barh([str(g) for g in groups], vals, left=left, color=colour, label=str(it), height=0.7)
        left = [a + b for a, b in zip(left, vals)]
    totals = [int(df[df[group] == g]["total"].iloc[0]) for g in groups]
    for y, n in enumerate(totals):
        ax.text(1.01, y, f"n={n}", va="center", fontsize=8, color="#555")
    ax.set_xlim(0, 1.12)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.legend(ncol=min(len(items), 4), loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize=8)
    ax.set_title(title, loc="left", fontsize=10)
    return _svg(plt, fig, title)


def lines(df: pd.DataFrame, x: str, series: str, y: str, title: str, *, colours: dict[str, str] | None = None,
          order: Sequence[str] | None = None) -> str:
    """One line per series over `x` (sorted as text: ISO dates sort right)."""
    if df.empty:
        return ""
    xs = sorted(df[x].astype(str).unique())
    plt, (fig, ax) = _figure(7.5, 3.0)
    for i, s in enumerate(order or sorted(df[series].unique())):
        rows = df[df[series] == s]
        sub = pd.Series(rows[y].to_numpy(), index=rows[x].astype(str))
        ax.plot(xs, [float(sub.get(v, 0.0)) for v in xs], marker="o", markersize=3, label=str(s),
                color=(colours or {}).get(s, PALETTE[i % len(PALETTE)]))
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(frameon=False, fontsize=8, ncol=3)
    ax.set_title(title, loc="left", fontsize=10)
    return _svg(plt, fig, title)


def bars(labels: Sequence[str], values: Sequence[float], title: str, *, max_bars: int = 15) -> str:
    """Horizontal bars, largest on top."""
    if not labels:
        return ""
    pairs = sorted(zip(labels, values), key=lambda p: (-p[1], p[0]))[:max_bars][::-1]
    plt, (fig, ax) = _figure(7.5, 0.9 + 0.3 * len(pairs))
    ax.barh([str(p[0]) for p in pairs], [p[1] for p in pairs], color=PALETTE[0], height=0.7)
    for yv, (_, v) in enumerate(pairs):
        ax.text(v, yv, f" {v:g}", va="center", fontsize=8)
    ax.set_title(title, loc="left", fontsize=10)
    return _svg(plt, fig, title)


PERIOD_DAYS = {"day": 1, "week": 7, "month": 30}
MIN_COUNT = 5


def _date_axis(ax, xs: Sequence[pd.Timestamp]) -> None:  # type: ignore[no-untyped-def]
    import matplotlib.dates as mdates

    loc = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def _mark(ax, milestones: pd.DataFrame | None, lo: pd.Timestamp, hi: pd.Timestamp) -> int:  # type: ignore[no-untyped-def]
    """Dashed vertical lines at the milestones inside [lo, hi], numbered as in the milestone
    table; each line is an SVG group with id `milestone-N`. Returns how many were drawn."""
    if milestones is None or milestones.empty:
        return 0
    drawn = 0
    y0, y1 = ax.get_ylim()
    span = (hi - lo) or pd.Timedelta(days=1)
    last, level = None, 0
    for row in milestones.itertuples(index=False):
        d = pd.Timestamp(row.date)
        if not lo <= d <= hi:
            continue
        # labels of milestones close together step down instead of printing over each other
        level = level + 1 if last is not None and (d - last) < span * 0.03 else 0
        last = d
        ax.axvline(d, color="#444", linestyle="--", linewidth=0.9, zorder=1, gid=f"milestone-{row.n}")
        ax.text(d, y1 - (level % 4) * 0.08 * (y1 - y0), f" {row.n}", fontsize=7, color="#444", va="top", ha="left",
                gid=f"milestone-label-{row.n}")
        drawn += 1
    return drawn


def coverage_over_time(df: pd.DataFrame, title: str, *, period: str = "week",
                       milestones: pd.DataFrame | None = None) -> str:
    """Articles per period (bars at the period's first day), milestones marked."""
    if df.empty:
        return ""
    df = df[df["period"] != "undated"]
    if df.empty:
        return ""
    xs = pd.to_datetime(df["period"])
    plt, (fig, ax) = _figure(7.5, 2.8)
    width = 0.8 * PERIOD_DAYS.get(period, 7)
    ax.bar(xs, df["articles"].astype(float), width=width, align="edge", color=PALETTE[0], label="articles")
    ax.set_ylim(0, max(1.0, float(df["articles"].max())) * 1.15)
    pad = pd.Timedelta(days=PERIOD_DAYS.get(period, 7))
    _mark(ax, milestones, xs.min() - pad, xs.max() + 2 * pad)
    _date_axis(ax, list(xs))
    ax.set_ylabel("articles")
    ax.set_title(title, loc="left", fontsize=10)
    return _svg(plt, fig, title)


def stance_over_time(df: pd.DataFrame, title: str, *, period: str = "week", milestones: pd.DataFrame | None = None,
                     min_count: int = MIN_COUNT, colours: dict[str, str] | None = None,
                     order: Sequence[str] | None = None) -> str:
    """Share of each stance per period with its Wilson 95% band and the number of quotes above
    each period; a period with fewer than `min_count` quotes is a hollow point off the line, so
    two quotes cannot swing it from 0 to 1. Milestones are marked."""
    if df.empty:
        return ""
    df = df[df["period"] != "undated"]
    if df.empty or df["total"].sum() == 0:
        return ""
    periods = sorted(df["period"].astype(str).unique())
    xs = pd.to_datetime(pd.Series(periods))
    totals = df.groupby("period")["total"].first().reindex(periods).fillna(0).astype(int)
    enough = (totals >= min_count).to_numpy()
    plt, (fig, ax) = _figure(7.5, 3.3)
    half = pd.Timedelta(days=PERIOD_DAYS.get(period, 7) / 2)
    xc = xs + half
    for i, s in enumerate(order or sorted(df["stance"].unique())):
        rows = df[df["stance"] == s].set_index("period").reindex(periods)
        share = rows["share"].astype(float).to_numpy()
        colour = (colours or {}).get(s, PALETTE[i % len(PALETTE)])
        line = [v if ok else float("nan") for v, ok in zip(share, enough)]
        ax.plot(xc, line, marker="o", markersize=3, color=colour, label=str(s), zorder=3)
        ax.fill_between(xc, [lo if ok else float("nan") for lo, ok in zip(rows["ci_low"].astype(float), enough)],
                        [hi if ok else float("nan") for hi, ok in zip(rows["ci_high"].astype(float), enough)],
                        color=colour, alpha=0.15, linewidth=0, zorder=2)
        few = ~enough & (totals.to_numpy() > 0)
        if few.any():
            ax.scatter(xc[few], share[few], s=14, facecolors="none", edgecolors=colour, zorder=3, gid=f"few-{s}")
    ax.set_ylim(0, 1.12)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    step = max(1, len(periods) // 24)
    for k, (x, n) in enumerate(zip(xc, totals)):
        if k % step == 0:
            ax.text(x, 1.04, f"{n}", fontsize=6, color="#555" if n >= min_count else "#aaa", ha="center", va="bottom",
                    gid=f"count-{periods[k]}")
    pad = pd.Timedelta(days=PERIOD_DAYS.get(period, 7))
    _mark(ax, milestones, xs.min() - pad, xs.max() + 2 * pad)
    _date_axis(ax, list(xs))
    ax.legend(frameon=False, fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.set_title(title, loc="left", fontsize=10)
    return _svg(plt, fig, title)
