"""Language identification (py3langid: a pure-Python langid.py model shipped in the package)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

MIN_LETTERS = 20  # below this, no call is made: the text is too short to tell
MIN_CONFIDENCE = 0.8
SAMPLE_CHARS = 4000  # a few paragraphs identify the language; the rest only costs time  # a non-English call is only trusted above this probability


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str | None  # ISO 639-1, or None when the text is too short or too mixed to tell
    score: float


@cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> LanguageGuess:
    """Best-guess language of `text`.

    English is returned whenever it is the top guess; another language only when the model is
    confident (>= 0.8), so short or mixed English text is never flagged as foreign by accident.

    >>> detect_language("Le ministre de l'Intérieur a annoncé un accord avec le Royaume-Uni").code
    'fr'
    """
    sample = text[:SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return LanguageGuess(None, 0.0)
    code, prob = _identifier().classify(sample)
    if code != "en" and prob < MIN_CONFIDENCE:
        return LanguageGuess(None, float(prob))
    return LanguageGuess(code, float(prob))
