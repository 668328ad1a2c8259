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

__all__ = ["name_words", "same_speaker", "gender_of_name"]

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
