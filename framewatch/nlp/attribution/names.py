"""Speaker names: when two strings name the same speaker, and a person's grammatical gender.

`same_speaker` follows the rule of the shared scorer and of the labelling guideline: the same
words; or the same surname with first names that do not contradict; or, for bodies and
described sources, at least half the content words of the shorter description in common
("Home Office spokesperson" / "a Home Office spokesman").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

__all__ = ["name_words", "same_speaker", "gender_of_name", "person_genders"]

_STOP = frozenset({"the", "a", "an", "of", "for", "and", "to", "in", "on", "at", "s", "mr", "mrs",
                   "ms", "sir", "dame", "dr", "lord", "lady"})


def name_words(text: str | None) -> list[str]:
    """Lower-case ASCII content words of a name or description."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return [w for w in re.findall(r"[a-z0-9]+", folded) if w not in _STOP]


def same_speaker(a: str | None, b: str | None) -> bool:
    """`a` and `b` name the same speaker (see the module docstring)."""
    g, p = name_words(a), name_words(b)
    if not g or not p:
        return False
    if g == p:
        return True
    if g[-1] == p[-1] and (len(g) == 1 or len(p) == 1 or g[0] == p[0]):
        return True
    gs, ps = set(g), set(p)
    common = len(gs & ps)
    return common >= 1 and common / max(1, min(len(gs), len(ps))) >= 0.5 and (
        len(g) > 2 or len(p) > 2 or not (a or "")[:1].isupper() or not (b or "")[:1].isupper())


@cache
def _detector():  # type: ignore[no-untyped-def]
    import gender_guesser.detector as gd

    return gd.Detector(case_sensitive=False)


@cache
def gender_of_name(first: str) -> str | None:
    """"male", "female" or None (unknown or ambiguous) for a first name, from gender-guesser's
    name list (Jörg Michael's `nam_dict`, about 40,000 names from many countries)."""
    if not first or not first[:1].isalpha():
        return None
    guess = _detector().get_gender(first)
    return {"male": "male", "mostly_male": "male", "female": "female",
            "mostly_female": "female"}.get(guess)


def person_genders(text: str, people: Any, honorifics: dict[str, str]) -> dict[str, str | None]:
    """The grammatical gender of each person of an article (`people`: objects with `name` and
    `mentions` with `start`): an honorific right before a mention ("Mrs", "Sir") first, else the
    first name of a full name; None where neither tells."""
    out: dict[str, str | None] = {}
    for p in people:
        g = None
        for m in p.mentions:
            before = text[max(0, m.start - 6):m.start].lower().split()
            if before and before[-1].rstrip(".") in honorifics:
                g = honorifics[before[-1].rstrip(".")]
                break
        if g is None:
            words = p.name.split()
            g = gender_of_name(words[0]) if len(words) > 1 else None
        out[p.name] = g
    return out
