"""Quotes with speaker attribution: who said what, directly, in part, or in reported speech.

`find_quotes(doc)` returns one `Quote` per quoted segment and per reported clause:

* `direct`: words inside quotation marks, 4 words or more (the guideline's threshold, counted
  as the scorer counts words). Mark pairing is in `_quotes_marks` (straight, curly, single,
  double, „“, «», ``'', primes; apostrophes are not marks; never across a paragraph).
* `partial`: fewer than 4 quoted words inside the reporter's sentence, kept only when a source
  is found; scare quotes and quoted names ("the ‘one in, one out’ deal") are dropped.
* `indirect`: the clausal complement (`ccomp`) of a speech or cognition verb from
  `data/cue_verbs.json` ("Cooper said [the returns would start small]"), the object and
  predicate of "describe/dismiss/brand X as Y", the infinitive of "urge/pledge/vow to ...", and
  the main clause of "according to X, ...". A complement that is itself a quotation is the
  attribution of a direct quote and is not repeated.

Speakers: the cue verb nearest the quote (right after the closing mark, then before the opening
mark, then anywhere in the sentence) gives a subject; a subject inside a person mention of
`doc.spans["fw_people"]` gives that person's canonical name (so surnames, "Ms Cooper" and role
titles the people stage resolved, like "the Prime Minister", all map to one person); inverted
"said Ms Cooper" and appositions ("Chris Philp, the shadow home secretary,") are handled;
"he/she" is the most recent person who was a subject or speaker; "it/they" the most recent
non-person source. A quote with no cue that opens its paragraph or sentence continues the
previous speaker (or the subject of a paragraph ending in "said:"). Bodies and unnamed
sources keep the text's own description ("A Home Office spokesperson", "The Times") with
`speaker_type` organisation, anonymous or media (`data/quote_sources.json`).

The `framewatch_quotes` component sets `doc._.fw_quotes` and `doc.spans[spans_key]` (label =
kind), and gives figures inside a quote that quote's speaker as `claimant`.
"""

from __future__ import annotations

from framewatch.nlp._extensions import doc_text
import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from framewatch import config

from ._data import load_json
from ._extensions import offset_spans, record_error
from ._quotes_marks import Segment, quoted_segments
from .attribution.cues import language_data
from .attribution.names import person_genders
from .attribution import (DocMentions, SpeakerRanker, attribute, cues, is_cue, load_ranker,
                          sentence_speaker, subject)

__all__ = ["Quote", "QuotesComponent", "find_quotes", "rule_quotes", "to_frame"]

QuoteKind = Literal["direct", "partial", "indirect"]
SpeakerType = Literal["person", "organisation", "anonymous", "media"]
MIN_DIRECT_WORDS = 4

if not Doc.has_extension("fw_quotes"):
    Doc.set_extension("fw_quotes", default=())


@dataclass(frozen=True, slots=True)
class Quote:
    """One quote. `start`/`end` are offsets of `text` (without quotation marks) in `doc.text`;
    `speaker_start`/`speaker_end` those of the mention that named the speaker (None when the
    speaker came from an earlier sentence, a pronoun's antecedent aside)."""

    text: str
    kind: QuoteKind
    speaker: str | None
    speaker_type: SpeakerType | None
    cue: str | None
    start: int
    end: int
    speaker_start: int | None
    speaker_end: int | None
    sentence: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the `quotes` list in the extract output."""
        return dataclasses.asdict(self)

    @staticmethod
    def to_frame(quotes: Iterable[Quote]) -> pd.DataFrame:
        """One row per quote, one column per field."""
        return to_frame(quotes)


def to_frame(quotes: Iterable[Quote]) -> pd.DataFrame:
    """One row per quote, one column per field (an empty frame keeps the columns)."""
    return pd.DataFrame([q.to_dict() for q in quotes], columns=list(Quote.__dataclass_fields__))


# ---------------------------------------------------------------- data


_cues = cues


def word_count(text: str) -> int:
    """Words as the shared scorer counts them (ASCII letters/digits runs)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return len(re.findall(r"[A-Za-z0-9]+", folded))


# ---------------------------------------------------------------- document context


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str
    type: str
    start: int | None
    end: int | None
    confidence: float


class _Context:
    """Offsets, mentions and quote segments of one doc, indexed for lookups."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.parsed = doc.has_annotation("DEP")
        self.segments = quoted_segments(doc_text(doc))
        self.seg_starts = [s.mark_start for s in self.segments]
        self.people = self._people(doc)
        self.orgs = [(sp.start_char, sp.end_char, sp.label_ or sp.text)
                     for sp in doc.spans.get("fw_orgs", [])] if "fw_orgs" in doc.spans else []
        self.org_types = {o.name: o.type for o in (getattr(doc._, "fw_orgs", ()) or ())} \
            if Doc.has_extension("fw_orgs") else {}
        self.toks = list(doc)  # Token objects made once: five passes over the doc read them
        self.tok_starts = [t.idx for t in self.toks]
        self._cue_toks: list[Token] | None = None
        self._genders: dict[str, str | None] | None = None
        if doc.has_annotation("SENT_START") or self.parsed:
            self.sents = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            self.sents = [(0, len(doc_text(doc)))]
        self.sent_starts = [s for s, _ in self.sents]
        # salience: (char offset, name, type) of subjects and speakers, filled in text order
        self.events: list[tuple[int, str, str]] = []
        for start, end, name in self.people:
            if self._outside_quotes(start) and self._is_subject_at(start, end):
                self.events.append((start, name, "person"))

    @staticmethod
    def _people(doc: Doc) -> list[tuple[int, int, str]]:
        if "fw_people" in doc.spans:
            return sorted((sp.start_char, sp.end_char, sp.label_ or sp.text)
                          for sp in doc.spans["fw_people"])
        people = getattr(doc._, "fw_people", ()) if Doc.has_extension("fw_people") else ()
        return sorted((m.start, m.end, p.name) for p in people or () for m in p.mentions)

    @property
    def genders(self) -> dict[str, str | None]:
        """Each person's grammatical gender (honorific or first name; None where unknown)."""
        if self._genders is None:
            people = getattr(self.doc._, "fw_people", ()) if Doc.has_extension("fw_people") else ()
            self._genders = person_genders(self.text, people or (), language_data()["honorifics"])
        return self._genders

    def in_segment(self, char: int) -> Segment | None:
        i = bisect.bisect_right(self.seg_starts, char) - 1
        if i >= 0:
            seg = self.segments[i]
            if seg.start <= char < max(seg.end, seg.start + 1):
                return seg
        return None

    def _outside_quotes(self, char: int) -> bool:
        return self.in_segment(char) is None

    def _is_subject_at(self, start: int, end: int) -> bool:
        if not self.parsed:
            return False
        for tok in self.tokens(start, end):
            if tok.dep_ in {"nsubj", "nsubjpass"} or (
                    tok.dep_ in {"compound", "appos"} and tok.head.dep_ in {"nsubj", "nsubjpass"}):
                return True
        return False

    def tokens(self, start: int, end: int) -> list[Token]:
        return self.toks[bisect.bisect_left(self.tok_starts, start):bisect.bisect_left(self.tok_starts, end)]

    @property
    def cue_toks(self) -> list[Token]:
        """The cue verbs (and "according") outside quoted text, in order."""
        if self._cue_toks is None:
            self._cue_toks = [t for t in self.toks if _is_cue(t) and self.in_segment(t.idx) is None]
        return self._cue_toks

    def sentence_of(self, char: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.sent_starts, char) - 1)
        return self.sents[i] if self.sents else (0, len(self.text))

    def person_at(self, start: int, end: int, head: int | None = None) -> tuple[int, int, str] | None:
        hits = [p for p in self.people if p[0] < end and start < p[1]]
        if not hits:
            return None
        if head is not None:
            inner = [p for p in hits if p[0] <= head < p[1]]
            if inner:
                return inner[0]
            return min(hits, key=lambda p: abs(p[0] - head))
        return hits[0]

    def org_at(self, start: int, end: int) -> tuple[int, int, str] | None:
        return next((o for o in self.orgs if o[0] < end and start < o[1]), None)

    def note(self, char: int, name: str, kind: str) -> None:
        bisect.insort(self.events, (char, name, kind))

    def last_event(self, char: int, kinds: set[str], within: int = 1500,
                   accept: Any = None) -> tuple[int, str, str] | None:
        i = bisect.bisect_left(self.events, (char, "", "")) - 1
        while i >= 0:
            ev = self.events[i]
            if char - ev[0] > within:
                return None
            if ev[2] in kinds and (accept is None or accept(ev[1])):
                return ev
            i -= 1
        return None


# ---------------------------------------------------------------- speakers


_SUBJ = {"nsubj", "nsubjpass", "csubj", "agent"}
_CLIMB = {"xcomp", "advcl", "conj", "ccomp", "pcomp", "acl", "relcl", "prep", "pobj"}


def _speaker_type(ctx: _Context, text: str, head: Token | None) -> str:
    cues = _cues()
    low = text.lower()
    bare = re.sub(r"^(?:the|a|an)\s+", "", low)
    org = ctx.org_at(head.idx, head.idx + len(head)) if head is not None else None
    if org is not None and ctx.org_types.get(org[2]) == "media":
        return "media"
    if bare in cues["media_names"] or low in cues["media_names"]:
        return "media"
    head_word = head.lower_ if head is not None else (low.split() or [""])[-1]
    if head_word in cues["anonymous_heads"]:
        return "anonymous"
    if head_word in cues["media_heads"]:
        return "media"
    return "organisation"


def _description(ctx: _Context, tok: Token) -> tuple[str, int, int]:
    """The subject noun phrase of `tok`: determiners, modifiers and a short of/for/at phrase
    ("a spokesperson for the Home Office"), without relative clauses or appositions."""
    doc = ctx.doc
    left = tok.left_edge.i
    while left < tok.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    right = tok.i
    for child in tok.rights:
        if child.dep_ in {"compound", "flat", "nummod", "amod"}:
            right = max(right, child.right_edge.i)
        elif child.dep_ == "prep" and child.lower_ in {"of", "for", "at", "in", "from"} and \
                child.right_edge.i - tok.i <= 7 and not any(
                    t.is_punct or t.dep_ == "relcl" for t in doc[child.i:child.right_edge.i + 1]):
            right = max(right, child.right_edge.i)
        else:
            break
    span = doc[left:right + 1]
    return span.text, span.start_char, span.end_char


def _modifier_at(ctx: _Context, start: int, end: int) -> bool:
    """The name at [start, end) only modifies a noun ("the Trump administration")."""
    toks = ctx.tokens(start, end)
    return bool(toks) and toks[-1].dep_ in {"compound", "amod"} and not (start <= toks[-1].head.idx < end)


def _speaker_of(ctx: _Context, tok: Token, char: int) -> _Speaker | None:
    """The speaker named by subject token `tok`."""
    doc = ctx.doc
    cues = _cues()
    low = tok.lower_
    if low in cues["pronouns_person"]:
        # he/she: the last person of that gender (or of unknown gender) who spoke or was named
        gender = language_data()["pronouns"].get(low, (None, None))[0]

        def agrees(name: str) -> bool:
            g = ctx.genders.get(name)
            return gender not in {"male", "female"} or g is None or g == gender

        ev = ctx.last_event(char, {"person"}, accept=agrees)
        if ev is None:
            prev = [p for p in ctx.people if p[1] <= tok.idx and ctx._outside_quotes(p[0]) and agrees(p[2])
                    and not _modifier_at(ctx, p[0], p[1])]
            if not prev:
                return None
            ev = (prev[-1][0], prev[-1][2], "person")
        return _Speaker(ev[1], "person", None, None, 0.75)
    if low in cues["pronouns_group"]:
        if low == "we":
            return None
        ev = ctx.last_event(char, {"organisation", "anonymous", "media"})
        if ev is None:
            return None
        return _Speaker(ev[1], ev[2], None, None, 0.6)
    if tok.pos_ == "PRON" or tok.is_stop and tok.pos_ not in {"PROPN", "NOUN"}:
        return None
    sub = doc[tok.left_edge.i:tok.right_edge.i + 1]
    if len(sub) > 14:
        sub = doc[max(tok.left_edge.i, tok.i - 7):min(tok.right_edge.i, tok.i + 7) + 1]
    person = ctx.person_at(tok.idx, tok.idx + len(tok), tok.idx)
    if person is None:
        person = ctx.person_at(sub.start_char, sub.end_char, tok.idx)
    if person is not None:
        return _Speaker(person[2], "person", person[0], person[1], 0.9)
    org = ctx.org_at(tok.idx, tok.idx + len(tok))
    if org is None:  # "date 2023-07-18 Amnesty International": a name in apposition
        org = next((ctx.org_at(c.idx, c.idx + len(c)) for c in tok.children
                    if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if org is not None and (tok.pos_ == "PROPN" or org[0] > tok.idx):
        return _Speaker(org[2], _speaker_type(ctx, org[2], tok), org[0], org[1], 0.85)
    text, start, end = _description(ctx, tok)
    if word_count(text) == 0:
        return None
    if tok.lower_ in cues["anaphor_heads"] and re.match(r"(?i)(?:the|this|that)\s", text) and \
            not any(t.pos_ == "PROPN" for t in ctx.doc[tok.left_edge.i:tok.i + 1]):
        # "the association", "the union": the body named with that noun before
        # ("the association SOS Solidarité", "the Immigration Services Union"), else the
        # organisation quoted last
        named = _named_before(ctx, tok)
        if named is not None:
            return named
        ev = ctx.last_event(tok.idx, {"organisation"}, 2000)
        if ev is not None:
            return _Speaker(ev[1], ev[2], None, None, 0.7)
    return _Speaker(text, _speaker_type(ctx, text, tok), start, end, 0.85)


def _named_before(ctx: _Context, tok: Token) -> _Speaker | None:
    doc = ctx.doc
    for prev in reversed(doc[max(0, tok.i - 400):tok.i]):
        if prev.lower_ != tok.lower_ or ctx.in_segment(prev.idx) is not None:
            continue
        j = prev.i + 1
        while j < len(doc) and doc[j].pos_ == "PROPN" and j - prev.i <= 5:
            j += 1
        if j > prev.i + 1:
            span = doc[prev.i + 1:j]
        else:
            k = prev.i
            while k > 0 and doc[k - 1].pos_ == "PROPN" and prev.i - k < 5:
                k -= 1
            if k == prev.i:
                continue
            span = doc[k:prev.i + 1]
        if ctx.person_at(span.start_char, span.end_char) is not None:
            continue
        return _Speaker(span.text, _speaker_type(ctx, span.text, None), span.start_char,
                        span.end_char, 0.7)
    return None


_subject = subject


def _inverted(ctx: _Context, verb: Token, limit: int) -> Token | None:
    """"…,” said Ms Cooper": the first noun after the verb when the parser gave no subject."""
    for t in ctx.doc[verb.i + 1:]:
        if t.idx >= limit or t.is_punct:
            return None
        if t.pos_ in {"PROPN", "NOUN"}:
            while t.dep_ in {"compound", "flat"} and t.head.i > t.i and t.head.idx < limit:
                t = t.head
            return t
    return None


_is_cue = is_cue


def _speaker_from_verb(ctx: _Context, verb: Token, lo: int, hi: int) -> _Speaker | None:
    if verb.lower_ == "according":
        to = next((c for c in verb.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        return _speaker_of(ctx, obj, obj.idx) if obj is not None else None
    subj = _subject(verb)
    if subj is not None and "\n" in ctx.text[min(subj.idx, verb.idx):max(subj.idx, verb.idx)]:
        left = _left_np(ctx, verb)
        if left is not None:
            return left
        subj = None
    if subj is not None and ctx.in_segment(subj.idx) is None:
        return _speaker_of(ctx, subj, subj.idx)
    if subj is None or "\n" in ctx.text[min(subj.idx, verb.idx):max(subj.idx, verb.idx)]:
        left = _left_np(ctx, verb)
        if left is not None:
            return left
    if (subj is None or ctx.in_segment(subj.idx) is not None) and \
            verb.lemma_.lower() in _cues()["inverted_ok"]:
        inv = _inverted(ctx, verb, hi)
        if inv is not None:
            return _speaker_of(ctx, inv, inv.idx)
    if subj is None or "\n" in ctx.text[min(subj.idx, verb.idx):max(subj.idx, verb.idx)]:
        return _left_np(ctx, verb)
    return None


_NP_POS = {"DET", "PROPN", "NOUN", "ADJ", "NUM"}


def _left_np(ctx: _Context, verb: Token) -> _Speaker | None:
    """The noun phrase right before `verb` on its line, when the parse gave no usable subject
    (the small model sometimes runs a sentence across a paragraph break)."""
    doc = ctx.doc
    i = verb.i - 1
    while i >= 0 and doc[i].pos_ in {"ADV", "AUX"} and "\n" not in doc[i].text:
        i -= 1
    if i > 0 and doc[i].text == ",":  # "Maddie Harris, Director of ..., confirmed"
        j = i - 1
        while j > 0 and i - j < 15 and doc[j].text != "," and "\n" not in doc[j].text:
            j -= 1
        if j > 0 and doc[j].text == ",":
            i = j - 1
    end = i
    while i >= 0 and (doc[i].pos_ in _NP_POS or doc[i].text in {"’s", "'s", "-"}) and \
            not doc[i].is_space and "\n" not in doc_text(doc)[doc[i].idx:verb.idx]:
        i -= 1
    if end < 0 or i + 1 > end or doc[end].pos_ not in {"PROPN", "NOUN"}:
        return None
    span = doc[i + 1:end + 1]
    if ctx.in_segment(span.start_char) is not None:
        return None
    person = ctx.person_at(span.start_char, span.end_char, doc[end].idx)
    if person is not None:
        return _Speaker(person[2], "person", person[0], person[1], 0.8)
    return _Speaker(span.text, _speaker_type(ctx, span.text, doc[end]), span.start_char,
                    span.end_char, 0.75)


def _cue_tokens(ctx: _Context, lo: int, hi: int) -> list[Token]:
    return [t for t in ctx.tokens(lo, hi) if _is_cue(t) and ctx.in_segment(t.idx) is None]


_BOUNDARY = re.compile(r"[.!?](?=[\s\"“”’']*(?:\s|$))|\n")


def _window_after(ctx: _Context, seg: Segment, nxt: Segment | None) -> tuple[int, int]:
    lo = seg.mark_end
    gap = re.match(r"[ \t]*\n\s*(?=[a-z])", ctx.text[lo:lo + 20])
    if gap and ctx.text[seg.start:seg.end].endswith(","):
        lo += gap.end()  # "…,”\nthe Iranian national said": a stray line break
    hi = nxt.mark_start if nxt is not None and nxt.paragraph == seg.paragraph else len(ctx.text)
    m = _BOUNDARY.search(ctx.text, lo, hi)
    return lo, m.start() if m else hi


def _window_before(ctx: _Context, seg: Segment, prev: Segment | None) -> tuple[int, int]:
    hi = seg.mark_start
    lo = prev.mark_end if prev is not None and prev.paragraph == seg.paragraph else \
        ctx.text.rfind("\n", 0, hi) + 1
    last = None
    for m in _BOUNDARY.finditer(ctx.text, lo, hi):
        last = m
    return (last.end() if last else lo), hi


def _attribute(ctx: _Context, k: int, prev_speaker: tuple[Segment, _Speaker] | None
               ) -> tuple[_Speaker | None, Token | None]:
    seg = ctx.segments[k]
    if not ctx.parsed:
        return None, None
    prev = ctx.segments[k - 1] if k > 0 else None
    nxt = ctx.segments[k + 1] if k + 1 < len(ctx.segments) else None
    a_lo, a_hi = _window_after(ctx, seg, nxt)
    b_lo, b_hi = _window_before(ctx, seg, prev)
    after = _cue_tokens(ctx, a_lo, a_hi)
    before = _cue_tokens(ctx, b_lo, b_hi)
    order: list[Token] = []
    near_after = [t for t in after if len(ctx.tokens(a_lo, t.idx)) <= 6]
    order += near_after[:1]
    order += list(reversed(before))
    order += [t for t in after if t not in order]
    s0, s1 = ctx.sentence_of(seg.start)
    e0, e1 = ctx.sentence_of(max(seg.start, seg.end - 1))
    p0 = ctx.text.rfind("\n", 0, seg.mark_start) + 1
    p1 = ctx.text.find("\n", seg.end)
    p1 = len(ctx.text) if p1 < 0 else p1
    order += [t for t in _cue_tokens(ctx, max(p0, min(s0, b_lo)), min(p1, max(e1, a_hi)))
              if t not in order]
    for verb in order:
        lo, hi = (a_lo, a_hi) if a_lo <= verb.idx < a_hi else (b_lo, b_hi)
        sp = _speaker_from_verb(ctx, verb, lo, hi)
        if sp is not None:
            return sp, verb
    # no cue: a quote opening its paragraph or sentence continues the previous speaker,
    # or the source introduced by a paragraph ending in a colon
    para_start = ctx.text.rfind("\n", 0, seg.mark_start) + 1
    opens = not ctx.text[para_start:seg.mark_start].strip() or \
        re.search(r"[.!?:][\s\"“”’']*$", ctx.text[para_start:seg.mark_start]) is not None
    if not opens:
        return None, None
    cands: list[tuple[int, _Speaker]] = []
    if prev_speaker is not None:
        pseg, psp = prev_speaker
        lines = [ln for ln in ctx.text[pseg.end:seg.mark_start].split("\n") if ln.strip()]
        if len(lines) <= 4 and seg.start - pseg.end < 1500:
            cands.append((pseg.start, dataclasses.replace(psp, start=None, end=None,
                                                          confidence=min(psp.confidence, 0.7))))
    ev = ctx.last_event(seg.mark_start, {"person", "organisation", "anonymous", "media"}, 700)
    if ev is not None and ctx.text.count("\n", ev[0], seg.mark_start) <= 2:
        cands.append((ev[0], _Speaker(ev[1], ev[2], None, None, 0.6)))
    if cands:
        return max(cands, key=lambda c: c[0])[1], None
    return None, None


# ---------------------------------------------------------------- direct and partial


def _name_like(ctx: _Context, seg: Segment, counts: dict[str, int]) -> bool:
    """A quoted name or slogan ("the ‘one in, one out’ deal"), not reported speech."""
    cues = _cues()
    text = ctx.text
    inner = text[seg.start:seg.end].strip(" ,.;:")
    before = re.findall(r"[\w’'-]+", text[max(0, seg.mark_start - 25):seg.mark_start].lower())
    after = re.match(r"[ \t]*([\w’'-]+)", text[seg.mark_end:seg.mark_end + 30])
    after_word = after.group(1).lower() if after and seg.closed else ""
    if after_word in cues["name_nouns_after"] and word_count(inner) <= 8:
        return True
    if before and before[-1] in {"so-called", "dubbed", "nicknamed", "titled", "entitled"}:
        return True
    words = inner.split()
    if 2 <= len(words) <= 8 and all(w[:1].isupper() or w.lower() in {"the", "a", "of", "and", "in",
                                                                     "on", "for", "to"} for w in words) \
            and not re.search(r"[.!?]$", inner):
        return True  # a title ("Stop the Boats")
    key = _norm(inner)
    if word_count(inner) >= 8:
        return False
    # the same words elsewhere in the article, quoted again or not: a name, not a quote
    return counts.get(key, 0) >= 2 or bool(key) and counts.get("\0" + key, 0) >= 1


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _headline(ctx: _Context, seg: Segment) -> bool:
    """The quote sits in a short line with no final punctuation (a headline or caption)."""
    p0 = ctx.text.rfind("\n", 0, seg.mark_start) + 1
    p1 = ctx.text.find("\n", seg.mark_end)
    p1 = len(ctx.text) if p1 < 0 else p1
    line = ctx.text[p0:p1].strip()
    return len(line) < 160 and not re.search(r"[.!?:”\"’')]$", line) and line.count(" ") < 25


def _sentence_text(ctx: _Context, start: int, end: int) -> str:
    s0, _ = ctx.sentence_of(start)
    _, s1 = ctx.sentence_of(max(start, end - 1))
    return ctx.text[s0:max(s1, end)].strip()


def _direct(ctx: _Context) -> list[Quote]:
    counts: dict[str, int] = {}
    unquoted = list(ctx.text)
    for seg in ctx.segments:
        key = _norm(ctx.text[seg.start:seg.end])
        counts[key] = counts.get(key, 0) + 1
        unquoted[seg.start:seg.end] = " " * (seg.end - seg.start)
    bare = " " + _norm("".join(unquoted)) + " "
    for key in list(counts):
        if key and word_count(key) < 8 and f" {key} " in bare:
            counts["\0" + key] = 1
    out: list[Quote] = []
    prev_speaker: tuple[Segment, _Speaker] | None = None
    for k, seg in enumerate(ctx.segments):
        text = ctx.text[seg.start:seg.end]
        n_words = word_count(text)
        if n_words == 0:
            continue
        if _name_like(ctx, seg, counts) or (_headline(ctx, seg) and n_words < 8):
            continue
        speaker, verb = _attribute(ctx, k, prev_speaker)
        if speaker is None and (n_words < MIN_DIRECT_WORDS or _embedded(ctx, seg) or seg.block):
            continue  # a scare quote, or quoted words with no source
        kind: QuoteKind = "direct" if n_words >= MIN_DIRECT_WORDS else "partial"
        if speaker is not None:
            prev_speaker = (seg, speaker)
            ctx.note(seg.start, speaker.name, speaker.type)
        conf = speaker.confidence if speaker is not None else 0.3
        if not seg.closed:
            conf *= 0.9
        out.append(Quote(
            text=text, kind=kind, speaker=speaker.name if speaker else None,
            speaker_type=speaker.type if speaker else None,  # type: ignore[arg-type]
            cue=verb.text if verb is not None else None, start=seg.start, end=seg.end,
            speaker_start=speaker.start if speaker else None,
            speaker_end=speaker.end if speaker else None,
            sentence=_sentence_text(ctx, seg.start, seg.end), confidence=round(conf, 2)))
    return out


def _embedded(ctx: _Context, seg: Segment) -> bool:
    """Quoted words inside the reporter's sentence: text on both sides in the same line."""
    text = ctx.text
    p0 = text.rfind("\n", 0, seg.mark_start) + 1
    p1 = text.find("\n", seg.mark_end)
    p1 = len(text) if p1 < 0 else p1
    before = text[p0:seg.mark_start]
    before = re.split(r"[.!?:][\s\"“”’']*(?=\s)", before)[-1]
    after = text[seg.mark_end:p1]
    return bool(before.strip()) and bool(re.match(r"\s*[\w(]", after))


# ---------------------------------------------------------------- indirect


def _span_text(doc: Doc, toks: list[Token]) -> tuple[int, int] | None:
    toks = [t for t in toks if not t.is_space]
    while toks and (toks[0].is_punct or toks[0].lower_ == "that" and toks[0].dep_ == "mark"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct and toks[-1].text not in {")", "]", "”", "’", "\""}
                    or toks[-1].dep_ in {"cc"}):
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _quoted_share(ctx: _Context, start: int, end: int) -> float:
    inside = 0
    for seg in ctx.segments:
        a, b = max(start, seg.start), min(end, seg.end)
        if b > a and word_count(ctx.text[seg.start:seg.end]) >= MIN_DIRECT_WORDS:
            inside += b - a
    return inside / max(1, end - start)


def _complements(ctx: _Context, verb: Token) -> list[list[Token]]:
    cues = _cues()
    lemma = verb.lemma_.lower()
    doc = ctx.doc
    out = []
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i != verb.i:
            out.append(list(child.subtree))
    if lemma in cues["as_verbs"] and not out:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        as_ = next((c for c in verb.children if c.lower_ == "as" and c.dep_ in {"prep", "advcl",
                                                                               "mark"}), None)
        if as_ is None:
            as_ = next((c for c in verb.children if c.dep_ == "advcl" and any(
                g.lower_ == "as" for g in c.children)), None)
        if obj is not None and as_ is not None:
            lo = min(obj.left_edge.i, as_.left_edge.i)
            hi = max(obj.right_edge.i, as_.right_edge.i)
            out.append(list(doc[lo:hi + 1]))
    if lemma in cues["to_verbs"] and not out:
        for child in verb.children:
            if child.dep_ == "xcomp" and any(g.lower_ == "to" for g in child.children):
                out.append(list(child.subtree))
    return out


def _according(ctx: _Context, verb: Token) -> list[list[Token]]:
    root = verb.head
    if root is verb:
        return []
    skip = {t.i for t in verb.subtree}
    toks = [t for t in root.subtree if t.i not in skip]
    return [toks] if toks else []


_WH = {"how", "what", "which", "who", "whom", "when", "where", "why"}
# trailing material that is the reporter's, not the source's: ", while ...", " – which ..."
_TAIL = re.compile(r"(?:,\s+|\s+[–—]\s+|\s+-\s+)(?:while|whilst|although|though|even though|whereas|"
                   r"according to|which|who|despite|adding|saying|but|as well as)\b|\s+[–—]\s+")


def _negated(verb: Token) -> bool:
    """"did not say", "refused to say", "declined to confirm": nothing was reported."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() in {"refuse", "decline", "fail", "avoid"}


def _indirect(ctx: _Context, direct: list[Quote]) -> list[Quote]:
    if not ctx.parsed:
        return []
    cues = _cues()
    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for verb in ctx.cue_toks:
        according = verb.lower_ == "according"
        comps = _according(ctx, verb) if according else _complements(ctx, verb)
        if not comps:
            continue
        if _negated(verb):
            continue
        speaker = _speaker_from_verb(ctx, verb, verb.sent.start_char, verb.sent.end_char)
        if speaker is None:
            continue
        lemma = verb.lemma_.lower()
        if lemma in cues["cognition"] and speaker.type != "person":
            continue
        for toks in comps:
            head = next((t for t in toks if t.head not in toks or t.head is t), toks[0])
            if ctx.in_segment(head.idx) is not None:
                continue  # the complement is the quote: "“...,” she said"
            if toks[0].lower_ in _WH and lemma not in {"ask", "question", "wonder"}:
                continue  # "refused to say how many": not reported content
            span = _span_text(ctx.doc, toks)
            if span is None:
                continue
            start, end = span
            cut = _TAIL.search(ctx.text, start, end)
            if cut is not None:
                end = cut.start()
            text = ctx.text[start:end]
            if word_count(text) < 3 or _quoted_share(ctx, start, end) > 0.6 or (start, end) in seen:
                continue
            if "\n" in text:
                continue
            seen.add((start, end))
            ctx.note(verb.idx, speaker.name, speaker.type)
            out.append(Quote(
                text=text, kind="indirect", speaker=speaker.name, speaker_type=speaker.type,  # type: ignore[arg-type]
                cue=verb.text if not according else "according to", start=start, end=end,
                speaker_start=speaker.start, speaker_end=speaker.end,
                sentence=_sentence_text(ctx, start, end),
                confidence=round(speaker.confidence * 0.85, 2)))
    return out


# ---------------------------------------------------------------- public function


def _note_sources(ctx: _Context) -> None:
    """Record named subjects of cue verbs as salient sources, so that a quote paragraph after
    "Maddie Harris ... confirmed ..." continues her."""
    if not ctx.parsed:
        return
    for verb in ctx.cue_toks:
        if verb.lower_ != "according":
            subj = _subject(verb)
            if subj is not None and subj.lower_ in _cues()["pronouns_person"] | \
                    _cues()["pronouns_group"]:
                continue
            sp = _speaker_from_verb(ctx, verb, verb.sent.start_char, verb.sent.end_char)
            if sp is None or sp.start is None or verb.lemma_.lower() not in _cues()["speech"]:
                continue
            named = sp.type == "person" or ctx.org_at(sp.start, sp.end) is not None or \
                any(t.pos_ == "PROPN" for t in ctx.tokens(sp.start, sp.end)) or sp.type == "anonymous"
            if named:
                ctx.note(verb.idx, sp.name, sp.type)


def rule_quotes(doc: Doc) -> tuple[_Context, list[Quote]]:
    """The document context and the quotes with the rules' speakers (before the ranker)."""
    ctx = _Context(doc)
    if not ctx.text.strip():
        return ctx, []
    _note_sources(ctx)
    direct = _direct(ctx)
    indirect = _indirect(ctx, direct)
    # a reported clause inside another one ("told X that she expects ...") is part of it
    indirect = [q for q in indirect if not any(
        o is not q and o.start <= q.start and q.end <= o.end and (o.start, o.end) != (q.start, q.end)
        for o in indirect)]
    return ctx, sorted(direct + indirect, key=lambda q: (q.start, q.end))


def find_quotes(doc: Doc, *, ranker: SpeakerRanker | None | str = "default") -> list[Quote]:
    """Direct, partial and indirect quotes in `doc`, in text order (see the module docstring).

    Speakers come from the attribution ranker (`framewatch.nlp.attribution`): `ranker` is a
    `SpeakerRanker`, a path to one, "default" (the shipped model) or None (the rules alone).
    Works best on a parsed Doc with the `framewatch_people` component run before it; on a
    `spacy.blank("en")` Doc only quotation marks are found (no speakers, no indirect speech).
    """
    model = load_ranker(None if ranker == "default" else ranker) if isinstance(ranker, str) else ranker
    return _find(doc, model)[0]


def _find(doc: Doc, model: SpeakerRanker | None) -> tuple[list[Quote], DocMentions | None]:
    if not doc_text(doc).strip():
        return [], None
    ctx, quotes = rule_quotes(doc)
    dm = DocMentions(ctx) if ctx.parsed else None
    if model is not None and dm is not None and quotes:
        quotes = attribute(ctx, quotes, model, dm=dm)
    return quotes, dm


class QuotesComponent:
    """spaCy component: `doc._.fw_quotes`, `doc.spans[spans_key]` (label = kind), and quote
    speakers as `claimant` of the figures inside their quotes."""

    def __init__(self, name: str = "framewatch_quotes", *, spans_key: str = "fw_quotes",
                 attribution_model: str | None = "default") -> None:
        self.name = name
        self.spans_key = spans_key
        if attribution_model == "default":
            attribution_model = config.attribution_model() or "default"
        self.ranker = load_ranker(None if attribution_model == "default" else attribution_model) \
            if attribution_model and attribution_model != "rules" else None

    def __call__(self, doc: Doc) -> Doc:
        try:
            quotes, dm = _find(doc, self.ranker)
            doc._.fw_quotes = tuple(quotes)
            doc.spans[self.spans_key] = offset_spans(doc, quotes, lambda q: q.kind)
            if Doc.has_extension("fw_figures") and doc._.fw_figures:
                doc._.fw_figures = claim_figures(doc._.fw_figures, quotes, dm)
        except Exception as exc:  # one bad article must not stop the batch
            record_error(doc, self.name, exc)
        return doc


def claim_figures(figures: Iterable[Any], quotes: Iterable[Quote], mentions: DocMentions | None = None
                  ) -> tuple[Any, ...]:
    """`figures` with `claimant` from the one attribution: a figure inside a quote takes that
    quote's speaker (direct and partial quotes first, then reported speech); one outside every
    quote keeps a data source its own stage found ("Home Office figures"), else takes the source
    its sentence attributes it to (`attribution.sentence_speaker`, given `mentions`)."""
    ranked = sorted((q for q in quotes if q.speaker), key=lambda q: q.kind == "indirect")
    out = []
    for fig in figures:
        holder = next((q for q in ranked if q.start <= fig.start and fig.end <= q.end), None)
        if holder is not None:
            fig = dataclasses.replace(fig, claimant=holder.speaker)
        elif getattr(fig, "claimant", None) is None and mentions is not None:
            found = sentence_speaker(mentions, fig.start)
            if found is not None:
                fig = dataclasses.replace(fig, claimant=found[0])
        out.append(fig)
    return tuple(out)


@Language.factory("framewatch_quotes", assigns=["doc._.fw_quotes", "doc.spans"],
                  default_config={"spans_key": "fw_quotes", "attribution_model": "default"})
def make_quotes(nlp: Language, name: str, spans_key: str, attribution_model: str | None) -> QuotesComponent:
    """Build the `framewatch_quotes` component (add it after `framewatch_figures`).

    `attribution_model`: "default" (`$FRAMEWATCH_ATTRIBUTION_MODEL`, else the shipped ranker), a
    path to a `.skops` ranker from `framewatch train --task attribution`, or "rules" (or null) for
    the rules alone."""
    return QuotesComponent(name, spans_key=spans_key, attribution_model=attribution_model)
