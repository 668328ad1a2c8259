"""Cited figures: every number in an article that counts or measures something.

`find_figures(doc)` finds numbers written in digits or words ("42 migrants", "£500m", "half a
billion pounds", "34 per cent", "one in 17", "nearly 20,000 arriving", "within 14 days") and
leaves out what is not a figure: dates and years, clock times, ages, ordinals, numbers inside
names ("G7", "Article 8", "one in, one out"), page furniture ("5 min read", "1/5") and vague
quantities ("thousands of", "dozens"). Each `Figure` carries its value, unit (the singular head
word of what is counted), kind, hedge, period and claimant, with offsets into `doc.text`.

Works on a parsed Doc (sentences, POS, dependencies and lemmas sharpen units and claimants) and
on `spacy.blank("en")` output alike (rules only).

    >>> import spacy
    >>> [f.text for f in find_figures(spacy.blank("en")("Nearly 20,000 people crossed in 2024."))]
    ['Nearly 20,000 people']

The `framewatch_figures` component stores the result as `doc._.fw_figures` and as spans in
`doc.spans["fw_figures"]` (label = kind).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Iterable, Literal

import pandas as pd
from spacy.language import Language
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from framewatch.nlp._extensions import doc_text
from framewatch.nlp._extensions import offset_spans
from framewatch.nlp._numbers import Core, cues, digit_numbers, patterns, to_number, word_runs, \
    words_value, digits_value

__all__ = ["Figure", "FigureKind", "find_figures", "FiguresComponent"]

FigureKind = Literal["count", "money", "percent", "rate", "duration"]

if not Doc.has_extension("fw_figures"):
    Doc.set_extension("fw_figures", default=())


@dataclass(frozen=True, slots=True)
class Figure:
    """One cited figure. `start`/`end` are character offsets of `text` in `doc.text`."""

    text: str
    value: int | float
    unit: str | None
    kind: FigureKind
    approx: bool
    period: str | None
    claimant: str | None
    sentence: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the `figures` list in the extract output."""
        return asdict(self)

    @staticmethod
    def to_frame(figures: Iterable[Figure]) -> pd.DataFrame:
        """One row per figure, one column per field (an empty frame keeps the columns)."""
        rows = [f.to_dict() for f in figures]
        return pd.DataFrame(rows, columns=list(Figure.__dataclass_fields__))


# ---------------------------------------------------------------------------------------------
# sentences and tokens

def _sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence character ranges: the parser's or sentencizer's when set, else a rule split."""
    if len(doc) and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return [(s.start_char, s.end_char) for s in doc.sents]
    text = doc_text(doc)
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


class _Tokens:
    """Token lookup by character offset, and what annotation the doc has."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self.pos = doc.has_annotation("POS") or doc.has_annotation("TAG")
        self.dep = doc.has_annotation("DEP")
        self.lemma = doc.has_annotation("LEMMA")

    def at_or_after(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char)

    def covering(self, char: int) -> int | None:
        i = bisect.bisect_right(self.starts, char) - 1
        if 0 <= i < len(self.doc) and self.doc[i].idx <= char < self.doc[i].idx + len(self.doc[i]):
            return i
        return None


# ---------------------------------------------------------------------------------------------
# units

def _singular(word: str) -> str:
    w = word.lower()
    irregular = cues()["plural_irregular"]
    if w in irregular:
        return irregular[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def _unit_of(tok: Token, toks: _Tokens) -> str:
    low = tok.lower_
    irregular = cues()["plural_irregular"]
    if low in irregular:
        return irregular[low]
    if toks.lemma and tok.pos_ == "NOUN" and tok.lemma_ and tok.lemma_.isalpha():
        return tok.lemma_.lower()
    return _singular(low)


_NOMINAL_POS = {"NOUN", "PROPN", "ADJ"}
_MOD_WORDS = {"more", "other", "additional", "extra", "new", "further", "fewer", "less", "mostly",
              "mainly", "largely", "predominantly", "primarily", "overwhelmingly", "so-called"}


def _looks_plural(t: Token) -> bool:
    w = t.lower_
    return t.is_alpha and (w in cues()["plural_irregular"] or (
        w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3))


def _blank_nominal(doc: Doc, i: int) -> bool:
    """Without a tagger: could token i be part of a noun phrase after a number?"""
    t = doc[i]
    if t.lower_ in _MOD_WORDS:
        return True
    if not t.is_alpha or t.lower_ in STOP_WORDS:
        return False
    if len(t) > 5 and t.lower_.endswith(("ing", "ed")) and not t.is_title:
        # a participle is a modifier only before another content word ("300 rented prison cells")
        return i + 1 < len(doc) and doc[i + 1].is_alpha and doc[i + 1].lower_ not in STOP_WORDS \
            and not doc[i + 1].lower_.endswith(("ing", "ed"))
    return True


def _np_after(toks: _Tokens, char: int, limit: int) -> tuple[Token | None, int]:
    """The head noun of the noun phrase that starts at `char` ("five Mediterranean countries")
    and the end offset of that phrase; (None, char) when the number stands alone."""
    doc = toks.doc
    i = toks.at_or_after(char)
    if i >= len(doc) or doc[i].idx >= limit or doc_text(doc)[char:doc[i].idx].strip():
        return None, char
    run: list[Token] = []
    while i < len(doc) and len(run) < 6 and doc[i].idx < limit:
        t = doc[i]
        if "\n" in doc_text(doc)[(run[-1].idx + len(run[-1])) if run else char:t.idx]:
            break
        if (t.text in {"-", "–"} or t.lower_ in {"and", "or", "&"}) and run and i + 1 < len(doc) \
                and (doc[i + 1].pos_ in _NOMINAL_POS if toks.pos else (
                    t.text in {"-", "–"} or run[-1].is_title and doc[i + 1].text[:1].isupper())):
            run.append(t)
            i += 1
            continue
        if toks.pos:
            ok = t.pos_ in _NOMINAL_POS or t.lower_ in _MOD_WORDS or (
                t.pos_ == "VERB" and t.tag_ == "VBN" and i + 1 < len(doc)
                and doc[i + 1].pos_ in {"NOUN"} and run == [])  # "300 rented prison cells"
        else:
            ok = _blank_nominal(doc, i)
        if not ok:
            break
        run.append(t)
        i += 1
        if not toks.pos and _looks_plural(t) and i < len(doc) and not (
                _looks_plural(doc[i]) or doc[i].text[:1].isupper() or doc[i].text in {"-", "–"}):
            break  # "five nations argue": a plural noun ends the phrase
    while run and run[-1].text in {"-", "–", "and", "or", "&"}:
        run.pop()
    if not run:
        return None, char
    if toks.pos:
        nouns = [t for t in run if t.pos_ == "NOUN"] or [t for t in run if t.pos_ == "PROPN"]
        if not nouns:
            return None, char
        head = nouns[-1]
        # "Fifteen French and UK human rights organisations": the parser knows the real head
        if toks.dep and head.dep_ == "compound" and head.head.i > head.i and head.head.i - run[0].i < 8:
            head = head.head
    else:
        head = run[-1]
    end = head.idx + len(head)
    return head, end


def _dep_head(toks: _Tokens, core_start: int, core_end: int, limit: int) -> Token | None:
    """The noun the number modifies in the dependency parse (nummod/quantmod), if after it."""
    if not toks.dep:
        return None
    i = toks.covering(max(core_start, core_end - 1))
    if i is None:
        return None
    t = toks.doc[i]
    if t.dep_ in {"nummod", "quantmod", "compound"} and t.head.i > t.i and t.head.pos_ in {"NOUN", "PROPN"} \
            and t.head.idx < limit and t.head.i - t.i <= 6:
        gap = doc_text(toks.doc)[core_end:t.head.idx]
        if "\n" not in gap and not re.search(r"[,;:\"“”]", gap) and gap.count("(") == gap.count(")"):
            return t.head
    return None


_NEXT_NUMBER = re.compile(r"^\s*(?:to|and|or|-|–)\s+(?:[£€$])?(?:\d[\d,.]*|[A-Za-z]+)"
                          r"(?:\s*(?:m|bn|k|million|billion|thousand)\b)?")


def _range_unit(text: str, toks: _Tokens, end: int, limit: int) -> str | None:
    """The unit of a range's second number: "about 700 to 800 cells" -> cell."""
    m = _NEXT_NUMBER.match(text[end:limit])
    if not m:
        return None
    word = re.search(r"(\d[\d,.]*|[A-Za-z]+)(?:\s*(?:m|bn|k|million|billion|thousand))?$", m.group(0))
    raw = word.group(1) if word else ""
    if not raw[:1].isdigit() and words_value(raw) is None:
        return None
    head, _ = _np_after(toks, end + m.end(), limit)
    return _unit_of(head, toks) if head is not None else None


def _subject_unit(text: str, toks: _Tokens, core: Core, sent_start: int) -> str | None:
    """What a bare number counts when the clause's subject names it: "boat crossings have surged
    from fewer than 2,000", "the number of inmates has risen from 3,400"."""
    subjects = set(cues()["count_subject_nouns"])
    if not toks.dep:
        m = None
        for m in re.finditer(rf"\b(?:{'|'.join(subjects)})\s+of\s+(?:[a-z]+\s+){{0,3}}?([a-z]+s)\b",
                             text[sent_start:core.start], re.I):
            pass
        return _singular(m.group(1)) if m else None
    doc = toks.doc
    i = toks.covering(max(core.start, core.end - 1))
    if i is None:
        return None
    num = doc[i]
    t = num
    for _ in range(5):
        if t.pos_ in {"VERB", "AUX"} or t.head.i == t.i:
            break
        t = t.head
    if t.pos_ not in {"VERB", "AUX"}:
        return None
    subj = next((ch for ch in t.children if ch.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None or subj.i >= num.i or subj.pos_ != "NOUN":
        return None
    if subj.lower_ in subjects or subj.lower_ in set(cues()["vague_words"]):
        pobj = next((g for ch in subj.children if ch.dep_ == "prep" and ch.lower_ == "of"
                     for g in ch.children if g.dep_ == "pobj" and g.pos_ == "NOUN"), None)
        return _unit_of(pobj, toks) if pobj is not None else None
    if subj.tag_ == "NNS" and subj.lower_ not in set(cues()["vague_words"]):
        return _unit_of(subj, toks)
    return None


def _plural_before(doc: Doc, toks: _Tokens, sent_start: int, char: int) -> str | None:
    """Last resort for a bare number: the nearest plural noun before it in its sentence
    ("Albanian migrants crossing the Channel, from 12,000 in 2022")."""
    c = cues()
    skip = set(c["vague_words"]) | set(c["generic_heads"]) | set(c["time_units"]) | set(c["source_nouns"])
    skip |= {w + s for w in c["count_subject_nouns"] for s in ("", "s")}
    for i in range(toks.at_or_after(char) - 1, -1, -1):
        t = doc[i]
        if t.idx < sent_start:
            break
        plural = t.tag_ == "NNS" if toks.pos else (t.is_lower and _looks_plural(t))
        if plural and t.lower_ not in skip:
            return _unit_of(t, toks)
    return None


# ---------------------------------------------------------------------------------------------
# candidates

@dataclass(slots=True)
class _Cand:
    start: int  # surface start (hedge, currency)
    end: int  # surface end (through the unit noun)
    num_start: int
    num_end: int
    value: Decimal
    kind: str
    unit: str | None
    approx: bool
    rate_per: tuple[int, int] | None = None
    infer: bool = False


def _blocked(text: str) -> list[tuple[int, int]]:
    p = patterns()
    spans = [m.span() for m in p["furniture"].finditer(text)]
    spans += [m.span() for m in p["names"].finditer(text)]
    spans += [m.span() for m in p["names_ci"].finditer(text)]
    return sorted(spans)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(spans, (end, end))
    for s, e in spans[max(0, i - 50):i]:
        if s < end and start < e:
            return True
    return False


_TIME_WORD = r"(?:hour|day|week|fortnight|month|year|decade|century)"
_HALF_SCALE = re.compile(r"\bhalf\s+an?\s+(million|billion|trillion)\b", re.IGNORECASE)
_HALF_TIME = re.compile(rf"\bhalf\s+an?\s+({_TIME_WORD})\b", re.IGNORECASE)
_HALF_OF_TIME = re.compile(
    rf"\bhalf\s+(?:of\s+)?(?:the|this|last|next|that)\s+({_TIME_WORD})\b|\bhalf\s+of\s+((?:19|20)\d\d)\b",
    re.IGNORECASE)
_HALF_PART = re.compile(r"\bhalf\b(?=\s+(?:of\b|the\b|all\b|its\b|their\b)|\s*[,.;])", re.IGNORECASE)
_ONE_IN = re.compile(r"\b(?:one|1)\s+in\s+(?:every\s+)?(\d[\d,]*|[A-Za-z]+(?:-[A-Za-z]+)?)\b(?!\s*,?\s*(?:one|1)\s+out)",
                     re.IGNORECASE)
_SCALE_VALUES = {"million": 10**6, "billion": 10**9, "trillion": 10**12}


def _special_cores(text: str) -> list[tuple[Core, str | None, str | None]]:
    """Shapes apart from plain numbers: (core, forced kind, forced unit)."""
    out: list[tuple[Core, str | None, str | None]] = []
    hedge = patterns()["hedge_before"]
    for m in _HALF_SCALE.finditer(text):
        out.append((Core(m.start(), m.end(), Decimal(_SCALE_VALUES[m.group(1).lower()]) / 2, True,
                         "scaled"), None, None))
    for m in _HALF_TIME.finditer(text):
        out.append((Core(m.start(), m.end(), Decimal("0.5"), True, "half"), "duration",
                    m.group(1).lower()))
    for m in _HALF_OF_TIME.finditer(text):
        out.append((Core(m.start(), m.end(), Decimal("0.5"), True, "half"), "duration",
                    (m.group(1) or "year").lower()))
    for m in _HALF_PART.finditer(text):
        after_of = re.match(r"\s+of\b|\s+the\b|\s+all\b|\s+its\b|\s+their\b", text[m.end():], re.I)
        hedged = hedge.search(text[max(0, m.start() - 40):m.start()])
        if after_of or hedged:
            out.append((Core(m.start(), m.end(), Decimal(50), True, "half"), "percent", "percent"))
    for m in _ONE_IN.finditer(text):
        raw = m.group(1)
        value = digits_value(raw) if raw[0].isdigit() else words_value(raw)
        if value is None or value <= 1:
            continue
        out.append((Core(m.start(), m.end(), value, not raw[0].isdigit(), "one_in"), "rate", None))
    return out


def _word_before(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z’'.]+)\W*$", text[max(0, start - 30):start])
    return m.group(1).lower() if m else ""


def _is_year(text: str, core: Core, toks: _Tokens) -> bool:
    raw = text[core.start:core.end]
    if not re.fullmatch(r"\d{4}", raw) or not 1000 <= int(raw) <= 2100:
        return False
    if _word_before(text, core.start) in set(cues()["year_prepositions"]):
        return True
    if int(raw) < 1800:
        return False
    i = toks.at_or_after(core.end)
    if i < len(toks.doc):
        nxt = toks.doc[i]
        plural = nxt.tag_ == "NNS" if toks.pos else (nxt.is_lower and nxt.is_alpha and nxt.text.endswith("s")
                                                      and nxt.lower_ not in STOP_WORDS)
        if plural and not text[core.end:nxt.idx].strip():
            return False
    return True


def _skip_one(text: str, core: Core, toks: _Tokens, sent_end: int) -> bool:
    """A lone "one" is a pronoun, a discourse word or an example ("one asylum seeker ... in
    exchange for another", "for example, one man") unless it counts a following noun."""
    c = cues()
    if _word_before(text, core.start) in set(c["one_pronoun_before"]):
        return True
    if re.search(c["one_example_before"], text[max(0, core.start - 30):core.start], re.I):
        return True
    if re.search(r"\banother\b|\bthe\s+other\b", text[core.end:sent_end], re.I):
        return True
    if re.match(r"^\s+(?:[A-Za-z’'-]+\s+){1,2}?of\b", text[core.end:core.end + 60]):
        return True  # "just one component of a wider strategy"
    after = text[core.end:core.end + 40]
    if re.match(r"^-", after):
        return False  # "one-year": decided by the hyphen rules
    m = re.match(r"^\s+([A-Za-z’']+)", after)
    if not m:
        return True
    nxt = m.group(1).lower()
    if nxt in set(c["one_discourse_nouns"]) or nxt in STOP_WORDS:
        return True
    if toks.pos:
        i = toks.at_or_after(core.end)
        if i < len(toks.doc) and toks.doc[i].pos_ not in {"NOUN", "PROPN", "ADJ"}:
            return True
    if re.search(r"\b(?:only|just|exactly|a\s+total\s+of|at\s+least|at\s+most|more\s+than|fewer\s+than|"
                 r"less\s+than|than)\s+$", text[max(0, core.start - 20):core.start], re.I):
        return False
    counted = set(c["one_count_nouns"])
    words = re.findall(r"[A-Za-z]+", after)[:3]
    return not any(w.lower() in counted or _singular(w) in counted for w in words)


def _after_name(text: str, cand: _Cand, sent_start: int) -> bool:
    m = re.search(r"(?:^|\s)([A-Z][\w’'-]*)[ \u00a0]$", text[max(sent_start, cand.start - 40):cand.start])
    if not m or cand.start != cand.num_start:
        return False
    word = m.group(1)
    head = text[sent_start:cand.start - len(word) - 1].strip()
    return bool(head) and word.lower() not in STOP_WORDS


def _excluded(text: str, core: Core, toks: _Tokens, blocked: list[tuple[int, int]],
              sent_end: int) -> bool:
    p = patterns()
    left = text[max(0, core.start - 40):core.start]
    right = text[core.end:core.end + 40]
    if _overlaps(blocked, core.start, core.end):
        return True
    if p["name_prefix"].search(left):
        return True
    if not core.words:
        if re.match(r"^[A-Za-z]", right) and not re.match(r"^(?:m|mn|bn|b|k|tn|pc)\b", right, re.I):
            return True  # glued letters: "10am", "1st", "5ft", "1990s"
        raw = text[core.start:core.end]
        if raw.startswith("0") and len(raw) > 1 and not raw.startswith("0."):
            return True
        small = core.value <= 31
        if small and (p["date_before"].search(left) or p["date_after"].match(right)
                      or p["weekday_before"].search(left)):
            return True
        if core.value < 130 and re.search(r"[A-Z][a-z]+,\s*$", left) and re.match(r"^\s*,", right):
            return True  # "Ahmed, 25, from Kabul"
        if _is_year(text, core, toks):
            return True
    if p["age_before"].search(left) or p["age_after"].match(right):
        return True
    if core.words and core.start and text[core.start - 1] in "-‐" and core.special is None:
        return True
    if core.words and text[core.start:core.end].lower() == "one" and _skip_one(text, core, toks, sent_end):
        return True
    return False


def _cores(text: str) -> list[tuple[Core, str | None, str | None]]:
    taken: list[tuple[int, int]] = []
    out: list[tuple[Core, str | None, str | None]] = []

    def free(c: Core) -> bool:
        return not any(s < c.end and c.start < e for s, e in taken)

    for item in _special_cores(text):
        if free(item[0]):
            out.append(item)
            taken.append((item[0].start, item[0].end))
    for c in digit_numbers(text) + word_runs(text):
        if free(c):
            out.append((c, None, None))
            taken.append((c.start, c.end))
    return sorted(out, key=lambda x: x[0].start)


def _candidate(text: str, core: Core, kind: str | None, unit: str | None, toks: _Tokens,
               limit: int, sent_start: int) -> _Cand | None:
    """Grow a bare number into a figure: currency, scale, percent, hedge, unit noun, rate."""
    p = patterns()
    c = cues()
    value = core.value
    start, end = core.start, core.end
    approx = False
    infer = False
    # scale: "£500m", "1.2 million", "€1.5bn", "three trillion"
    if core.special not in {"scaled", "half", "one_in"}:
        m = p["scale_after"].match(text[end:limit])
        if m and not (core.words and re.search(r"\s", m.group(0)) is None):
            word = m.group(0).strip().lower()
            mult = c["multipliers"].get(word)
            if mult and not (word == "hundred" and not core.words and value >= 100):
                value = value * mult
                end += m.end()
                # a doubled scale ("£1.8m million") is a typo, not another factor
                m2 = re.match(r"^\s+(?:million|billion)\b", text[end:limit], re.I)
                if m2 and word in {"m", "mn", "bn", "b"}:
                    end += m2.end()
    # "four and a half years", "1.5 and a half" is not a thing: only after whole numbers
    m = re.match(r"^\s+and\s+a\s+half\b", text[end:limit], re.I)
    if m and core.special is None and value == value.to_integral_value():
        value += Decimal("0.5")
        end += m.end()
    # "a third of a billion pounds"
    fm = re.search(r"\b(?:a|one)\s+(third|quarter|fifth|tenth)\s+of\s+$", text[max(0, start - 30):start], re.I)
    if fm and (core.special == "scaled" or text[start:end].lower().startswith(("a ", "an "))):
        frac = cues()["fractions"][fm.group(1).lower()]
        value = value / 3 if frac == "1/3" else value * Decimal(str(frac))
        value = value.quantize(Decimal(1)) if value > 1000 else value
        start = start - (len(text[max(0, start - 30):start]) - fm.start())
    # money
    cur = p["currency_before"].search(text[max(0, start - 6):start])
    cur_unit = None
    if cur:
        sym = cur.group(0).strip().lower()
        cur_unit = c["currency_symbols"].get(sym) or c["currency_codes"].get(sym)
        start = start - (len(text[max(0, start - 6):start]) - cur.start())
    m = p["currency_after"].match(text[end:limit])
    if m and not (m.group(0).strip().lower() in {"p"} and cur_unit is None and core.words):
        word = re.sub(r"\s+", " ", m.group(0).strip().lower())
        cur_unit = cur_unit or c["currency_words"].get(word) or c["currency_codes"].get(word)
        end += m.end()
    if cur_unit:
        kind, unit = "money", cur_unit
    # percent
    m = p["percent_after"].match(text[end:limit])
    if m and kind is None:
        kind, unit = "percent", "percent"
        end += m.end()
    # hyphen compounds: "three-day", "12-mile line", "25-year-old", "one-off"
    hm = re.match(r"^[-‐](\w+)(?:[-‐](\w+))?", text[end:limit])
    if hm and kind is None:
        w1 = hm.group(1).lower()
        w2 = (hm.group(2) or "").lower()
        if w2 == "old" or w1 in {"old", "olds"}:
            return None
        if w1 in {"odd", "plus"}:
            approx = True
            end += len(w1) + 1
        elif w1 in c["time_units"]:
            kind, unit = "duration", c["time_units"][w1]
            end += len(w1) + 1
        elif w1 in c["measure_units"]:
            kind, unit = "count", c["measure_units"][w1]
            end += len(w1) + 1
        elif w1 in set(c["hyphen_units"]):
            end += len(w1) + 1
            if w1 != "strong":
                kind, unit = "count", _singular(w1)
        else:
            return None
    # hedges
    hb = p["hedge_before"].search(text[max(0, start - 40):start])
    if hb:
        approx = True
        start = start - (len(text[max(0, start - 40):start]) - hb.start())
        start += len(text[start:]) - len(text[start:].lstrip())
    else:
        # "only four migrants", "just 1%": part of the surface, but not a hedge
        om = re.search(r"(?:^|(?<=\W))(?:only|just|a\s+mere|mere)\s+$", text[max(0, start - 12):start], re.I)
        if om:
            start = start - (len(text[max(0, start - 12):start]) - om.start())
    ha = p["hedge_after"].match(text[end:limit])
    if ha:
        approx = True
    # "a family of three"
    fam = p["family_before"].search(text[max(0, start - 30):start])
    if fam and kind is None:
        hd, _ = _np_after(toks, end, limit)
        if hd is None:
            kind, unit = "count", "person"
            start = start - (len(text[max(0, start - 30):start]) - fam.start())
    # the unit noun
    if unit is None or kind == "rate":
        head = _dep_head(toks, core.start, core.end, limit) if core.special != "one_in" else None
        np_end = end
        if head is not None and head.pos_ == "PROPN":
            scan, scan_end = _np_after(toks, end, limit)
            if scan is not None and scan.pos_ == "NOUN":
                head = scan
        if head is None:
            after = text[end:limit]
            ofm = re.match(r"^\s+of\s+(?:the\s+|these\s+|those\s+|their\s+|its\s+)?", after)
            if ofm and not re.match(r"^\s+of\s+(?:them|us|whom|which|those|these|you|it)\b", after):
                head, np_end = _np_after(toks, end + ofm.end(), limit)
            else:
                head, np_end = _np_after(toks, end, limit)
        else:
            np_end = head.idx + len(head)
        if head is not None:
            word = _unit_of(head, toks)
            if word in c["time_units"] or head.lower_ in c["time_units"]:
                word = c["time_units"].get(head.lower_, c["time_units"].get(word, word))
                if kind is None:
                    kind = "duration"
            elif word in c["currency_words"]:
                kind, word = "money", c["currency_words"][word]
            elif word in c["measure_units"]:
                word = c["measure_units"][word]
            if word in set(c["generic_heads"]):
                infer = True
            else:
                unit = word
                if not re.search(r"\d", text[end:np_end]):  # "700 and 800 cells": stop at 700
                    end = max(end, np_end)
        else:
            infer = unit is None
        if infer and kind in {None, "count", "rate"}:
            word = _range_unit(text, toks, end, limit) or _subject_unit(text, toks, core, sent_start)
            if word is not None and word not in set(c["generic_heads"]):
                unit, infer = word, False
    # rates: "50 people a week", "50 per week", "2,600 a year"
    rate_per = None
    if kind in {None, "count", "rate"}:
        per = "|".join(re.escape(x) for x in c["rate_per"])
        units = "|".join(c["rate_units"])
        rm = re.match(rf"^(?:\s+(?!(?:{per})\b)[A-Za-z]+){{0,4}}?\s+(?:{per})\s+({units})s?\b", text[end:limit])
        if rm and (rm.group(1) != unit):
            kind = "rate"
            rate_per = (end + rm.group(0).rfind(" ", 0, rm.start(1) - 1) + 1, end + rm.end())
    if core.special == "one_in" and kind is None:
        kind = "rate"
    if kind is None:
        kind = "count"
    if kind in {"money", "percent", "duration"}:
        infer = False
    if kind == "duration" and hb and re.match(r"(?i)over\b", hb.group(0).strip()):
        approx = False  # "over three years" spreads over the period; it is not a hedge
    return _Cand(start, end, core.start, core.end, value, kind, unit, approx, rate_per, infer)


# ---------------------------------------------------------------------------------------------
# period and claimant

def _period(text: str, sent: tuple[int, int], cand: _Cand) -> str | None:
    if cand.rate_per:
        return text[cand.rate_per[0]:cand.rate_per[1]]
    s0, s1 = sent
    best, best_d = None, None
    for m in patterns()["period"].finditer(text, s0, s1):
        a, b = m.span()
        if a < cand.end and cand.start < b:
            continue
        if re.match(r"(?:a|per|each|every)\s", m.group(0), re.I):
            continue  # a rate's period belongs to the rate
        d = a - cand.end if a >= cand.end else (cand.start - b) * 1.5
        if best_d is None or d < best_d:
            best, best_d = m.group(0), d
    return re.sub(r"\s+", " ", best) if best else None




def _span_label(groups: list[Span], start: int, end: int) -> str | None:
    for sp in groups:
        if sp.start_char < end and start < sp.end_char:
            return sp.label_ or sp.text
    return None


def _claimant(doc: Doc, toks: _Tokens, sent: tuple[int, int], cand: _Cand) -> str | None:
    """The body whose data the sentence cites ("Home Office figures show ...", "UNHCR data").

    Speech ("X said", "according to X", a quote) is attributed once, by the quotes stage
    (`framewatch.nlp.attribution`), which sets the claimant of every figure it can."""
    text = doc_text(doc)
    s0, s1 = sent
    st = text[s0:s1]
    people = list(doc.spans["fw_people"]) if "fw_people" in doc.spans else []
    orgs = list(doc.spans["fw_orgs"]) if "fw_orgs" in doc.spans else []
    src = "|".join(cues()["source_nouns"])
    m = re.search(rf"((?:[A-Z][\w’'&.-]*\s+)(?:(?:[A-Z][\w’'&.-]*|of|for|and)\s+)*?)(?:{src})\b", st)
    if m and m.group(1).strip() not in {"The", "A", "New", "Official", "Latest"}:
        name = re.sub(r"^(?:The|A|An|New|Official|Latest)\s+", "", m.group(1).strip())
        name = re.sub(r"['’]s$", "", name)
        a, b = s0 + m.start(1), s0 + m.end(1)
        return _span_label(people, a, b) or _span_label(orgs, a, b) or name
    return None


# ---------------------------------------------------------------------------------------------
# the public function and the component

def find_figures(doc: Doc) -> list[Figure]:
    """All cited figures in `doc`, in text order (see the module docstring for what counts)."""
    text = doc_text(doc)
    if not text.strip() or not any(ch.isdigit() or ch.isalpha() for ch in text):
        return []
    toks = _Tokens(doc)
    sents = _sentences(doc)
    sent_starts = [s for s, _ in sents]
    blocked = _blocked(text)
    out: list[Figure] = []
    units_seen: list[tuple[int, str]] = []  # (sentence index, unit) of counted figures so far
    for core, kind, unit in _cores(text):
        si = max(0, bisect.bisect_right(sent_starts, core.start) - 1)
        sent = sents[si] if sents else (0, len(text))
        if core.special is None or core.special == "scaled":
            if _excluded(text, core, toks, blocked, sent[1]):
                continue
        elif _overlaps(blocked, core.start, core.end):
            continue
        limit = min(len(text), max(sent[1], core.end) + 0)
        cand = _candidate(text, core, kind, unit, toks, max(limit, core.end), sent[0])
        if cand is None:
            continue
        if cand.infer and cand.kind == "count" and not core.words and (
                cand.value == 0 or _after_name(text, cand, sent[0])):
            continue  # "Utopia 56", "Reform 30": part of a name or a score, not a count
        if cand.infer:
            cand.unit = next((u for s, u in reversed(units_seen) if si - s <= 3), None)
        if cand.infer and cand.unit is None:
            cand.unit = _plural_before(doc, toks, sent[0], core.start)
        if cand.kind in {"count", "rate"} and cand.unit:
            units_seen.append((si, cand.unit))
        surface = text[cand.start:cand.end]
        lead = len(surface) - len(surface.lstrip())
        trail = len(surface) - len(surface.rstrip())
        start, end = cand.start + lead, cand.end - trail
        out.append(Figure(
            text=text[start:end], value=to_number(cand.value), unit=cand.unit,
            kind=cand.kind,  # type: ignore[arg-type]
            approx=cand.approx, period=_period(text, sent, cand),
            claimant=_claimant(doc, toks, sent, cand), sentence=text[sent[0]:sent[1]].strip(),
            start=start, end=end))
    return out


class FiguresComponent:
    """spaCy component: sets `doc._.fw_figures` and `doc.spans[spans_key]` (label = kind)."""

    def __init__(self, name: str = "framewatch_figures", *, spans_key: str = "fw_figures") -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        figures = find_figures(doc)
        doc._.fw_figures = tuple(figures)
        doc.spans[self.spans_key] = offset_spans(doc, figures, lambda f: f.kind)
        return doc


@Language.factory("framewatch_figures", assigns=["doc._.fw_figures", "doc.spans"],
                  default_config={"spans_key": "fw_figures"})
def make_figures(nlp: Language, name: str, spans_key: str) -> FiguresComponent:
    """Build the `framewatch_figures` component."""
    return FiguresComponent(name, spans_key=spans_key)
