"""Loaders for the domain data files under `framewatch/nlp/data/` (each file names its sources)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DATA = resources.files("framewatch.nlp") / "data"


@cache
def load_json(name: str) -> dict[str, Any]:
    """A JSON data file by name, parsed once."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class OfficeTerm:
    office: str
    country: str
    holder: str
    start: dt.date
    end: dt.date | None
    source: str

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@cache
def office_terms() -> tuple[OfficeTerm, ...]:
    """Rows of `office_holders.csv` (office, country, holder, start, end, source)."""
    text = (DATA / "office_holders.csv").read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(text.splitlines()):
        rows.append(OfficeTerm(
            office=row["office"], country=row["country"], holder=row["holder"],
            start=dt.date.fromisoformat(row["start"]),
            end=dt.date.fromisoformat(row["end"]) if row["end"] else None,
            source=row["source"]))
    return tuple(rows)
