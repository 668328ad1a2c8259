"""Private helpers for `framewatch.nlp.figures`: cue data, number spotting and number values.

Number words are parsed by the `text2num` library ("twenty-six" -> 26, "one hundred and five" ->
105); this module only finds where numbers are in a text and adds what the library does not do
("half a billion", "a hundred", "a dozen", "£1.5bn", "36 816" with a no-break space).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from text_to_num import text2num

_DATA = resources.files("framewatch.nlp") / "data"


@cache
def cues() -> dict[str, Any]:
    """`data/figure_cues.json`, parsed once."""
    return json.loads((_DATA / "figure_cues.json").read_text(encoding="utf-8"))


def _alt(words: list[str] | set[str] | dict[str, Any]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any whitespace."""
    items = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


@cache
def patterns() -> dict[str, re.Pattern[str]]:
    """Regexes compiled from the cue data."""
    c = cues()
    months = _alt(c["months"])
    days = _alt(c["weekdays"])
    scale = _alt([k for k in c["multipliers"] if len(k) > 2])
    short_scale = _alt([k for k in c["multipliers"] if len(k) <= 2])
    hedge = _alt(c["hedges"])
    return {
        "furniture": re.compile("|".join(f"(?:{p})" for p in c["furniture_patterns"]),
                                re.IGNORECASE | re.MULTILINE),
        "names": re.compile("|".join(f"(?:{p})" for p in c["name_phrases"])),
        "names_ci": re.compile("|".join(f"(?:{p})" for p in c["name_phrases"]
                                        if not re.search(r"[A-Z]", p)), re.IGNORECASE),
        "name_prefix": re.compile(rf"(?:^|[^\w])(?:{_alt(c['name_prefixes_case_sensitive'])})\.?\s*$"),
        "name_suffix": re.compile(rf"^\s+(?:{_alt(c['name_suffix_words'])})\b"),
        "date_before": re.compile(rf"\b(?:{months})\.?\s+(?:the\s+)?$"),
        "date_after": re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{months})\b"),
        "weekday_before": re.compile(rf"\b(?:{days}),?\s+(?:the\s+)?$"),
        "age_before": re.compile("|".join(f"(?:{p})" for p in c["age_patterns"]), re.IGNORECASE),
        "age_after": re.compile("|".join(f"(?:{p})" for p in c["age_after_patterns"]), re.IGNORECASE),
        "hedge_before": re.compile(rf"(?:^|(?<=[^\w]))(?:just\s+|only\s+|still\s+|now\s+)?(?:{hedge})\s+(?:of\s+)?$",
                                   re.IGNORECASE),
        "hedge_after": re.compile(rf"^(?:\s+or\s+so\b|\s+or\s+more\b|\s+or\s+thereabouts\b|-odd\b|\+|-plus\b|\s+plus\b)",
                                  re.IGNORECASE),
        "scale_after": re.compile(rf"^\s*(?:{scale})\b|^(?:{short_scale})\b", re.IGNORECASE),
        "scale_word_after": re.compile(rf"^\s+(?:{scale})\b", re.IGNORECASE),
        "currency_before": re.compile(
            rf"(?:{_alt(c['currency_symbols'])})\s?$|\b(?:{_alt(c['currency_codes'])})\s?$", re.IGNORECASE),
        "currency_after": re.compile(
            rf"^\s*(?:{_alt(c['currency_words'])})\b|^\s*(?:{_alt(c['currency_codes'])})\b", re.IGNORECASE),
        "percent_after": re.compile(r"^\s*(?:%|per[\s-]?cent\b|pc\b)", re.IGNORECASE),
        "period": re.compile("|".join(f"(?:{p})" for p in c["period_patterns"]), re.IGNORECASE),
        "family_before": re.compile(rf"\b(?:{_alt(c['family_nouns'])})\s+of\s+$", re.IGNORECASE),
    }


# Digits: "36,816", "36 816" (no-break or thin space only), "1.5", "500".
_DIGITS = re.compile(
    r"(?<![\w.,/\-\u00a0\u202f\u2009])"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\d])(?!,\d{1,2}\b)(?!\.\d)")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Core:
    """A bare number in the text: where it is and its value (multipliers not yet applied)."""

    start: int
    end: int
    value: Decimal
    words: bool  # written in words ("twenty-six")
    special: str | None = None  # "half", "one_in", "half_time" for the shapes handled apart


@lru_cache(maxsize=1 << 16)  # bounded: it sees every word of every article
def is_number_word(word: str) -> bool:
    """True for a number word text2num knows ("six", "hundred"), false for plurals ("thousands")."""
    w = word.lower()
    if w in cues()["vague_words"] or w.endswith("s") or len(w) < 3:
        return False
    try:
        text2num(w, "en")
    except ValueError:
        return False
    return True


def words_value(text: str) -> Decimal | None:
    """The value of a run of number words, or None when text2num cannot read it."""
    norm = re.sub(r"[\s\-]+", " ", text.lower()).strip()
    norm = re.sub(r"^an? (?=hundred|thousand|million|billion)", "one ", norm)
    try:
        return Decimal(text2num(norm, "en"))
    except (ValueError, TypeError):
        return None


def digits_value(text: str) -> Decimal | None:
    """The value of a digit number ("36,816", "36 816", "1.5")."""
    clean = re.sub(r"[,\u00a0\u202f\u2009]", "", text)
    try:
        return Decimal(clean)
    except InvalidOperation:
        return None


_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}


def word_runs(text: str) -> list[Core]:
    """Runs of number words ("twenty-six", "one hundred and five", "a hundred", "a dozen")."""
    out: list[Core] = []
    toks = [m for m in _WORD.finditer(text)]
    i = 0
    while i < len(toks):
        m = toks[i]
        w = m.group(0)
        low = w.lower()
        start = m.start()
        if low in {"a", "an"} and i + 1 < len(toks) and toks[i + 1].group(0).lower() in (
                _SCALES | {"dozen"}) and re.fullmatch(r"\s+", text[m.end():toks[i + 1].start()]):
            # "a hundred", "a million", "a dozen": the article stands for one
            j = i + 1
        elif is_number_word(w) or (low == "dozen" and i and is_number_word(toks[i - 1].group(0))):
            j = i
        else:
            i += 1
            continue
        last = j
        k = j + 1
        while k < len(toks):
            gap = text[toks[k - 1].end():toks[k].start()]
            nxt = toks[k].group(0)
            if re.fullmatch(r"\s+|-", gap) and (is_number_word(nxt) or nxt.lower() == "dozen"):
                last = k
                k += 1
                continue
            if (re.fullmatch(r"\s+", gap) and nxt.lower() == "and" and k + 1 < len(toks)
                    and toks[last].group(0).lower() in _SCALES
                    and re.fullmatch(r"\s+", text[toks[k].end():toks[k + 1].start()])
                    and is_number_word(toks[k + 1].group(0))
                    and toks[k + 1].group(0).lower() not in _SCALES):
                last = k + 1
                k += 2
                continue
            break
        end = toks[last].end()
        span = text[start:end]
        value = _dozen_value(span)
        if value is None:
            value = words_value(span)
        # shrink from the right until the library can read it ("one two" -> "one")
        while value is None and last > j:
            last -= 1
            end = toks[last].end()
            span = text[start:end]
            value = words_value(span)
        if value is not None:
            if not (j == i and low in _SCALES):  # a bare "million" is a multiplier, not a number
                out.append(Core(start, end, value, True))
        i = last + 1
    return out


def _dozen_value(span: str) -> Decimal | None:
    m = re.fullmatch(r"(?:(an?)|(.+?))[\s-]+dozen", span.strip(), re.IGNORECASE)
    if not m:
        return None
    if m.group(1):
        return Decimal(12)
    n = words_value(m.group(2))
    return None if n is None else n * 12


def digit_numbers(text: str) -> list[Core]:
    """Digit numbers not glued to letters or other numbers ("G7", "COVID-19", "1/5" are not)."""
    out = []
    for m in _DIGITS.finditer(text):
        value = digits_value(m.group(1))
        if value is None:
            continue
        plain = re.sub(r"\D", "", m.group(1).split(".")[0])
        if len(plain) > 15:  # identifiers, not quantities
            continue
        out.append(Core(m.start(1), m.end(1), value, False))
    return out


def to_number(value: Decimal) -> int | float:
    """An int when whole, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
