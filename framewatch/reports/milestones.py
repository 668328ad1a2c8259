"""A deal's milestones (signing, entry into force, first returns, court rulings ...) and how
coverage and stance moved around each.

The bundled file, `data/milestones.csv`, holds only dates that an article of the shared corpus
states, each with its source url and the words that state it. A user's own file (CSV or JSON
with the columns `deal, date, kind, description, source_url`) replaces it: `--milestones FILE`.

>>> ms = read_milestones()                                   # doctest: +SKIP
>>> milestone_windows(data, ms, days=7)                      # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from framewatch.errors import FramewatchError
from framewatch.reports.aggregate import STANCES, wilson
from framewatch.reports.data import ReportData

KINDS = {"signing": "signing", "ratification": "ratification", "entry_into_force": "entry into force",
         "first_detentions": "first detentions", "first_returns": "first returns", "court_ruling": "court ruling",
         "extension": "extension", "new_partner": "new partner", "talks": "talks", "ended": "ended", "other": "other"}
REQUIRED = ("deal", "date", "kind", "description", "source_url")
WINDOW_DAYS = 7
COLUMNS = ["n", "deal", "date", "kind", "description", "source_url"]


@dataclass(frozen=True, slots=True)
class Milestone:
    """One dated event of a deal, with the source that states it."""

    deal: str
    date: dt.date
    kind: str
    description: str
    source_url: str
    source_id: str | None = None
    evidence: str | None = None

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, self.kind.replace("_", " "))


@dataclass(frozen=True, slots=True)
class Milestones:
    """Milestones in date order."""

    items: tuple[Milestone, ...]
    source: str = "bundled"

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def select(self, *, deals: Iterable[str] | None = None, since: dt.date | None = None,
               until: dt.date | None = None) -> Milestones:
        """The milestones of these deals within [since, until]."""
        keep = set(deals) if deals is not None else None
        return Milestones(tuple(m for m in self.items if (keep is None or m.deal in keep)
                                and (since is None or m.date >= since) and (until is None or m.date <= until)),
                          self.source)

    def to_frame(self) -> pd.DataFrame:
        """One row per milestone, numbered (`n`) as the charts mark them."""
        rows = [{"n": i, **{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(m).items()}}
                for i, m in enumerate(self.items, start=1)]
        return pd.DataFrame(rows, columns=[*COLUMNS, "source_id", "evidence"])


def _parse(rows: list[dict[str, Any]], where: str) -> Milestones:
    items = []
    for i, row in enumerate(rows, start=2 if where.endswith(".csv") else 1):
        missing = [c for c in REQUIRED if not str(row.get(c) or "").strip()]
        if missing:
            raise FramewatchError(f"{where}: milestone {i} has no {', '.join(missing)} "
                                  f"(each needs {', '.join(REQUIRED)})")
        try:
            date = dt.date.fromisoformat(str(row["date"]).strip())
        except ValueError:
            raise FramewatchError(f"{where}: milestone {i} has date {row['date']!r}; write dates as YYYY-MM-DD") from None
        items.append(Milestone(str(row["deal"]).strip(), date, str(row["kind"]).strip(), str(row["description"]).strip(),
                               str(row["source_url"]).strip(), (str(row.get("source_id") or "").strip() or None),
                               (str(row.get("evidence") or "").strip() or None)))
    items.sort(key=lambda m: (m.date, m.deal, m.kind, m.description))
    return Milestones(tuple(items), where)


def read_milestones(path: str | Path | None = None) -> Milestones:
    """Milestones from a CSV or JSON file (a list of objects, or {"milestones": [...]}); the
    bundled file when `path` is None."""
    if path is None:
        text = resources.files("framewatch.reports").joinpath("data/milestones.csv").read_text("utf-8")
        return _parse(list(csv.DictReader(io.StringIO(text))), "bundled milestones.csv")
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except OSError as exc:
        raise FramewatchError(f"cannot read milestones file {p}: {exc.strerror or exc}") from None
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FramewatchError(f"{p} is not valid JSON: {exc}") from None
        rows = data.get("milestones") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise FramewatchError(f"{p}: expected a list of milestone objects (or {{\"milestones\": [...]}})")
        return _parse(rows, str(p))
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise FramewatchError(f"{p}: milestones CSV lacks the column(s) {', '.join(missing)}; "
                              f"the header must name {', '.join(REQUIRED)}")
    return _parse(list(reader), str(p) if str(p).endswith(".csv") else str(p) + ".csv")


def report_milestones(data: ReportData, milestones: Milestones, days: int = WINDOW_DAYS) -> Milestones:
    """The milestones a report shows: of the deals its articles are about (the report's `deal`
    filter, else any deal its articles are classified as), dated within its dated articles'
    range widened by the window."""
    dates = pd.to_datetime(data.articles["published"].dropna())
    if dates.empty:
        return Milestones((), milestones.source)
    deal = data.filters.get("deal")
    deals = {deal} if deal else set(data["article_stance"]["deal"].dropna()) if "deal" in data["article_stance"] else set()
    pad = dt.timedelta(days=days)
    return milestones.select(deals=deals, since=dates.min().date() - pad, until=dates.max().date() + pad)


def _stance_counts(q: pd.DataFrame) -> dict[str, int]:
    vc = q["stance"].value_counts() if len(q) else pd.Series(dtype=int)
    return {s: int(vc.get(s, 0)) for s in STANCES}


def milestone_windows(data: ReportData, milestones: Milestones, days: int = WINDOW_DAYS) -> pd.DataFrame:
    """Coverage and quote stance of the milestone's deal in the `days` before each milestone
    (d-days .. d-1) and from it on (d .. d+days-1): articles, quotes, stance counts and shares
    with Wilson 95% intervals, and the change in each share."""
    if days < 1:
        raise ValueError(f"the milestone window must be at least 1 day, not {days}")
    arts = data.articles[data.articles["published"].notna()]
    deal_of = (data["article_stance"].set_index("article_id")["deal"] if not data["article_stance"].empty
               else pd.Series(dtype=object))
    arts = arts.assign(deal=arts["article_id"].map(deal_of), day=pd.to_datetime(arts["published"]))
    q = data["quotes"]
    q = q[q["published"].notna()].assign(day=pd.to_datetime(q["published"][q["published"].notna()])) if len(q) else q
    q_deal = q["article_id"].map(deal_of) if len(q) else pd.Series(dtype=object)
    rows = []
    for i, m in enumerate(milestones, start=1):
        d = pd.Timestamp(m.date)
        row: dict[str, Any] = {"n": i, "deal": m.deal, "date": m.date.isoformat(), "kind": m.kind,
                               "description": m.description, "source_url": m.source_url, "window_days": days}
        for side, lo, hi in (("before", d - pd.Timedelta(days=days), d - pd.Timedelta(days=1)),
                             ("after", d, d + pd.Timedelta(days=days - 1))):
            a = arts[(arts["deal"] == m.deal) & (arts["day"] >= lo) & (arts["day"] <= hi)]
            qq = q[(q_deal == m.deal) & (q["day"] >= lo) & (q["day"] <= hi)] if len(q) else q
            counts = _stance_counts(qq) if len(qq) else dict.fromkeys(STANCES, 0)
            n = sum(counts.values())
            row[f"articles_{side}"] = int(len(a))
            row[f"quotes_{side}"] = n
            for s in ("support", "oppose"):
                lo_ci, hi_ci = wilson(counts[s], n)
                row[f"{s}_{side}"] = counts[s]
                row[f"{s}_share_{side}"] = round(counts[s] / n, 4) if n else None
                row[f"{s}_ci_{side}"] = f"{lo_ci:.2f}-{hi_ci:.2f}" if n else None
        for s in ("support", "oppose"):
            b, a_ = row[f"{s}_share_before"], row[f"{s}_share_after"]
            row[f"{s}_change"] = round(a_ - b, 4) if a_ is not None and b is not None else None
        rows.append(row)
    cols = ["n", "deal", "date", "kind", "description", "source_url", "window_days", "articles_before", "articles_after",
            "quotes_before", "quotes_after", "support_before", "support_after", "oppose_before", "oppose_after",
            "support_share_before", "support_share_after", "support_ci_before", "support_ci_after", "support_change",
            "oppose_share_before", "oppose_share_after", "oppose_ci_before", "oppose_ci_after", "oppose_change"]
    return pd.DataFrame(rows, columns=cols)


def describe_window(row: Any, min_count: int = 5) -> str:
    """One sentence on a milestone window, for the report text; shares only where each side has
    `min_count` quotes with a stance."""
    label = KINDS.get(row.kind, str(row.kind).replace("_", " "))
    def arts(n: int) -> str:
        return f"{n} article{'' if n == 1 else 's'}"

    text = (f"{row.description} ({label}, {row.date}): {arts(int(row.articles_before))} in the {row.window_days} days "
            f"before, {arts(int(row.articles_after))} in the {row.window_days} days from it")
    nb, na = int(row.quotes_before), int(row.quotes_after)
    if nb >= min_count and na >= min_count:
        text += (f"; quotes opposing the deal {100 * row.oppose_share_before:.0f}% (n={nb}) → "
                 f"{100 * row.oppose_share_after:.0f}% (n={na}), supporting {100 * row.support_share_before:.0f}% → "
                 f"{100 * row.support_share_after:.0f}%")
    else:
        text += f"; too few quotes with a stance to compare ({nb} before, {na} after; at least {min_count} each needed)"
    return text + "."
