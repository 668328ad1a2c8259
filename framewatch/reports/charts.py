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
