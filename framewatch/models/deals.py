"""Which migration deal a text is about: the target that stance is measured against.

Deals and the phrases that name them live in `data/deals.json`; each match adds its weight,
mentions in the headline/first paragraph count double, and the deal with the highest total wins.

>>> detect_deal("Starmer defends the 'one in, one out' returns deal with France").label
'uk-france'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

OTHER = "other"


@dataclass(frozen=True, slots=True)
class Deal:
    label: str
    name: str
    patterns: tuple[tuple[re.Pattern[str], float], ...]


@dataclass(frozen=True, slots=True)
class DealGuess:
    """The detected deal, its score (sum of matched weights) and the phrases that matched."""

    label: str
    score: float
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"label": self.label, "score": round(self.score, 3), "evidence": list(self.evidence)}


@cache
def known_deals() -> tuple[Deal, ...]:
    """The deals in `data/deals.json`, in file order."""
    data = json.loads(resources.files("framewatch.models").joinpath("data/deals.json").read_text("utf-8"))
    return tuple(Deal(d["label"], d["name"], tuple((re.compile(p["re"], re.I | re.S), float(p["weight"]))
                                                   for p in d["patterns"])) for d in data["deals"])


def deal_labels() -> list[str]:
    return [d.label for d in known_deals()] + [OTHER]


def detect_deal(text: str, *, lead_chars: int = 600, min_score: float = 2.0) -> DealGuess:
    """The deal `text` is most about; `other` when nothing scores `min_score`."""
    best = DealGuess(OTHER, 0.0)
    lead = text[:lead_chars]
    for deal in known_deals():
        score, evidence = 0.0, []
        for pattern, weight in deal.patterns:
            matches = list(pattern.finditer(text))
            if not matches:
                continue
            score += weight * min(len(matches), 3) + weight * any(m.start() < len(lead) for m in matches)
            evidence.append(matches[0].group(0)[:80])
        if score > best.score:
            best = DealGuess(deal.label, score, tuple(evidence))
    return best if best.score >= min_score else DealGuess(OTHER, best.score, best.evidence)
