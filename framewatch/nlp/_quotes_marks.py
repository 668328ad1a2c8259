"""Quotation-mark pairing for `framewatch.nlp.quotes`: pure string functions, no spaCy.

`quoted_segments(text)` pairs opening and closing marks paragraph by paragraph and returns one
`Segment` per quoted stretch. Rules, in order of how often they matter in news copy:

* double marks (“ ” " „ « » ″, and TeX-style `` '') open a quote; single marks (‘ ’ ' ‚ ‹ › ′)
  too, except when they are apostrophes: a mark between two letters ("Britain's", "we’re") or
  after a letter with no single quote open ("migrants’ boats") is never a quote mark;
* a straight mark opens when it follows a space or an opening bracket and precedes a non-space,
  and closes otherwise; with no quote open, a double mark glued to the word or sentence before
  it ("regardless.“We ...”") opens when a capital follows and a closing mark comes later;
* marks of the other kind inside an open quote are nested quotes and stay part of the text;
* pairing never crosses a line break: a quote left open at the end of a paragraph ends there
  (news copy repeats the opening mark at the start of each quoted paragraph and omits the
  closing one, so the next paragraph's quote is its own segment, flagged `continued`); an open
  quote in a very long paragraph (text with no line breaks) ends at the next sentence end, so
  an unbalanced mark never swallows the rest of an article;
* a single-mark quote that is never closed is dropped unless it opens its paragraph (an
  unmatched ‘ is more often a stray apostrophe than a quote);
* a closing double mark with nothing open at the very start of the text (an excerpt that begins
  mid-quote) closes a quote that opened at the start of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# mis-decoded UTF-8 (cp1252 / cp874 mojibake) of curly marks, read as the mark they stand for
_MOJIBAKE = {"โ€œ": "“", "โ€˜": "‘", "โ€™": "’", "โ€": "”", "â€œ": "“", "â€˜": "‘", "â€™": "’",
             "â€\x9d": "”", "â€": "”"}
_MARK = re.compile("|".join(map(re.escape, sorted(_MOJIBAKE, key=len, reverse=True)))
                   + r"|``|''|[\"“”„‟«»″‘’‚‛‹›'′`]")
_DOUBLE = {"``", "''", '"', "“", "”", "„", "‟", "«", "»", "″"}
_OPEN_ONLY = {"``", "„", "‟", "«", "‘", "‚", "‛", "‹", "`"}
_CLOSE_ONLY = {"''", "»", "›"}
_OPENERS_BEFORE = set("([{—–-/:;,") | {"“", "‘", "\"", "'", "«", "„"}
_CLOSERS_AFTER = set(".,;:!?)]}—–-/…") | {"”", "’", "\"", "'", "»"}
# an unclosed quote in a paragraph longer than this ends at the next sentence end
LONG_PARAGRAPH = 700
_SENT_END = re.compile(r"[.!?…](?=\s+[\"“‘'A-Z(])")


@dataclass(frozen=True, slots=True)
class Segment:
    """One quoted stretch: marks at `[mark_start, start)` and `[end, mark_end)` (the closing
    mark is empty when the quote was left open); `start:end` is the text without the marks."""

    mark_start: int
    start: int
    end: int
    mark_end: int
    double: bool
    closed: bool
    continued: bool  # the paragraph before ended inside an open quote
    paragraph: int   # index of the line the quote is on
    block: bool = False  # a paragraph introduced by a line ending in a colon, with no marks


def _kind(mark: str) -> str:
    return "d" if mark in _DOUBLE else "s"


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _next(text: str, j: int) -> str:
    return text[j] if j < len(text) else ""


def _is_apostrophe(text: str, i: int, j: int, single_open: bool) -> bool:
    before, after = _prev(text, i), _next(text, j)
    if before.isalnum() and after.isalpha():
        return True  # Britain's, we’re, O'Brien
    if before.isalpha() and not single_open:
        return True  # migrants’ boats
    if after.isdigit() and not before.isalnum() and text[i:j] in {"'", "’"}:
        return True  # the ’90s
    return False


def _can_open(text: str, i: int, j: int) -> bool:
    before, after = _prev(text, i), _next(text, j)
    return (not before or before.isspace() or before in _OPENERS_BEFORE) and bool(after) and \
        not after.isspace()


def _glued_open(text: str, i: int, j: int, p1: int) -> bool:
    """A double mark that opens with no space before it, as badly joined copy has it
    ("regardless.“We were approached ...”", "Migrants"Perhaps ..."): after a letter or a
    sentence end, before a capital, with a closing double mark later in the paragraph."""
    before, after = _prev(text, i), _next(text, j)
    if text[i:j] not in {'"', "“"} or not after.isupper() or not (before.isalpha() or before in ".!?"):
        return False
    return any(_kind(_MOJIBAKE.get(m.group(), m.group())) == "d" and _can_close(text, m.start(), m.end())
               for m in _MARK.finditer(text, j, p1))


def _can_close(text: str, i: int, j: int) -> bool:
    before, after = _prev(text, i), _next(text, j)
    return bool(before) and not before.isspace() and (
        not after or after.isspace() or after in _CLOSERS_AFTER)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def quoted_segments(text: str) -> list[Segment]:
    """Every quoted stretch of `text`, in order (see the module docstring for the rules).

    >>> [text[s.start:s.end] for s in quoted_segments(text := 'He said: “We’re ready.” Done.')]
    ['We’re ready.']
    """
    segments: list[Segment] = []
    open_para = False  # the previous paragraph ended inside an open quote
    colon_before = False  # the previous paragraph ended with a colon ("…, he said:")
    for p_index, (p0, p1) in enumerate(_paragraphs(text)):
        stripped = text[p0:p1].strip()
        if not stripped:
            continue
        lead = p0 + len(text[p0:p1]) - len(text[p0:p1].lstrip())
        if colon_before and not open_para and stripped[:1].isupper() and \
                len(stripped.split()) >= 4 and not _MARK.match(text, lead):
            s, e = _strip(text, lead, p1)
            segments.append(Segment(lead, s, e, e, False, False, False, p_index, block=True))
            colon_before = False
            continue
        colon_before = stripped.endswith(":")
        opened: tuple[int, int, str] | None = None  # (mark start, mark end, kind)
        continued = False
        para_open_next = False
        for m in _MARK.finditer(text, p0, p1):
            i, j = m.start(), m.end()
            mark = _MOJIBAKE.get(m.group(), m.group())
            kind = _kind(mark)
            if kind == "s" and _is_apostrophe(text, i, j, opened is not None and opened[2] == "s"):
                continue
            if opened is None:
                if mark in _CLOSE_ONLY or (mark not in _OPEN_ONLY and not _can_open(text, i, j)
                                           and not _glued_open(text, i, j, p1)):
                    if kind == "d" and _can_close(text, i, j) and (
                            p_index == 0 and not segments or _prev(text, i) in ",.?!") and \
                            not _MARK.search(text, lead, i):
                        s, e = _strip(text, lead, i)
                        if e > s:  # the excerpt starts mid-quote, or the opening mark is lost
                            segments.append(Segment(lead, s, e, j, True, True, True, p_index))
                    continue
                opened = (i, j, kind)
                continued = open_para and i == lead
                continue
            if kind != opened[2]:
                continue  # a nested quote of the other kind
            closes = (mark in _CLOSE_ONLY or mark in {"”", "’"}
                      or (mark == "“" and text[opened[0]:opened[1]] == "„")
                      or (mark not in _OPEN_ONLY and (_can_close(text, i, j)
                                                      or not _can_open(text, i, j))))
            if closes:
                s, e = _strip(text, opened[1], i)
                if e > s:
                    segments.append(Segment(opened[0], s, e, j, kind == "d", True, continued,
                                            p_index))
                opened = None
            elif kind == "d":
                # a second opening mark before any closing one: the first quote was left open
                s, e = _strip(text, opened[1], i)
                if e > s:
                    segments.append(Segment(opened[0], s, e, e, True, False,
                                            continued, p_index))
                opened = (i, j, kind)
                continued = False
        if opened is not None:
            at_lead = opened[0] == lead
            after_colon = text[max(p0, opened[0] - 3):opened[0]].rstrip().endswith(":")
            if opened[2] == "d" or at_lead or after_colon:
                end = p1
                if p1 - opened[1] > LONG_PARAGRAPH:
                    m = _SENT_END.search(text, opened[1] + 1, p1)
                    end = m.end() if m else p1
                else:
                    para_open_next = True
                s, e = _strip(text, opened[1], end)
                if e > s:
                    segments.append(Segment(opened[0], s, e, e, opened[2] == "d", False,
                                            continued, p_index))
        open_para = para_open_next
    return segments
