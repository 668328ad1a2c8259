"""Voice categories: whose voice a quote carries (government, opposition, NGOs, courts, ...).

The rules are data (`data/voices.json`): each category lists cue words matched against the
speaker's description and roles, and organisation types that place a body in it.

>>> voice_of("Chris Philp", roles=["shadow home secretary"])
'opposition'
>>> voice_of("Bruno Retailleau", roles=["French interior minister"])
'foreign_government'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

OTHER = "other"


@dataclass(frozen=True, slots=True)
class Voice:
    name: str
    label: str
    cues: re.Pattern[str] | None
    org_types: frozenset[str]
    speaker_types: frozenset[str]
    foreign: bool
    unqualified: re.Pattern[str] | None  # cues that place a speaker here without a foreign word


def _words(cues: Iterable[str]) -> re.Pattern[str] | None:
    cues = sorted({c.lower() for c in cues}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, cues)) + r")\b") if cues else None


@cache
def _rules() -> tuple[tuple[Voice, ...], re.Pattern[str] | None]:
    data = json.loads(resources.files("framewatch.nlp").joinpath("data/voices.json").read_text("utf-8"))
    voices = tuple(Voice(c["name"], c["label"], _words(c.get("cues", [])), frozenset(c.get("org_types", [])),
                         frozenset(c.get("speaker_types", [])), bool(c.get("foreign")),
                         _words(c.get("unqualified_cues", []))) for c in data["categories"])
    return voices, _words([*data.get("foreign_adjectives", []), *_country_words()])


def _country_words() -> list[str]:
    """Names and demonyms of every country but the UK ("Ghanaian", "Costa Rica", "Danish")."""
    import pycountry

    from framewatch.nlp._data import load_json

    data = load_json("countries.json")
    words = [w for code, forms in data["demonyms"].items() if code != "GB" for w in forms]
    words += [w for code, forms in data["names"].items() if code != "GB" for w in forms]
    for c in pycountry.countries:
        if c.alpha_2 != "GB":
            words += [getattr(c, a) for a in ("name", "common_name") if getattr(c, a, None)]
    drop = set(data["drop_names"])
    return [w for w in words if w not in drop and len(w) > 3]


def voice_labels() -> dict[str, str]:
    """Category name -> human label, in the order of the rules, `other` last."""
    return {v.name: v.label for v in _rules()[0]} | {OTHER: "Other and unidentified"}


def voice_of(speaker: str | None, *, roles: Iterable[str] = (), org_type: str | None = None,
             speaker_type: str | None = None) -> str:
    """The voice category of one speaker (see the module docstring)."""
    voices, foreign = _rules()
    roles = [r for r in roles if isinstance(r, str) and r]
    org_type = org_type if isinstance(org_type, str) else None
    speaker_type = speaker_type if isinstance(speaker_type, str) else None
    text = " ".join([speaker if isinstance(speaker, str) else "", *roles]).lower()
    # a role, or a body's own description, naming another country ("Ghanaian President", "the
    # Danish foreign ministry") makes an official foreign; a person's name does not ("Jordan ...")
    where = " ".join(roles) if speaker_type == "person" else text
    is_foreign = bool(foreign and foreign.search(where.lower()))
    for v in voices:  # a known body's type decides first
        if (org_type and org_type in v.org_types and not v.foreign) or (speaker_type and speaker_type in v.speaker_types):
            return v.name
    best, best_len = OTHER, 0
    for v in voices:  # else the longest matching cue ("refugee council" beats "refugee")
        cues = v.unqualified if v.foreign and not is_foreign else v.cues
        if cues is None:
            continue
        for m in cues.finditer(text):
            if len(m.group(0)) > best_len or (v.foreign and len(m.group(0)) == best_len):
                best, best_len = v.name, len(m.group(0))
    return best
