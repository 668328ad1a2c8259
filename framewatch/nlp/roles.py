"""Role titles around person names, and the offices they name.

Patterns (all over spaCy tokens, vocabulary in `data/roles.json`):

- a title before a name: "Home Secretary Shabana Mahmood", "now-Foreign Secretary Yvette
  Cooper", "Children's minister Josh MacAlister", "France's Interior Minister Bruno Retailleau";
- a portfolio title before a name: "Minister for immigration and integration Kaare Dybvad Bek",
  "President of the European Commission Ursula von der Leyen" (not when the portfolio holds a
  title of its own: "a spokesperson for Migration Minister X");
- a title and a comma before a name: "the French president, Emmanuel Macron";
- an apposition: "Chris Philp, the shadow home secretary", "Maddie Harris, Director of Humans
  for Rights Network", "Roberta Metsola, the European parliament president" (lowercase words up
  to the head); not one that goes on to introduce the next name;
- "X of the Y": "Lucy Moreton of the Immigration Services Union" (the role is the body's name);
- a role alone: "the Prime Minister said", "France's president" (see `role_only_spans`);
- a plural title before a list of names: "Prime Ministers Kyriakos Mitsotakis of Greece, Giorgia
  Meloni of Italy and ..." (see `plural_title`; each name gets the singular "Prime Minister").

`office_of("UK Home Secretary")` maps a role to a table office and country:
("Home Secretary", "GB").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from ._data import load_json
from .countries import country_code

_FUNCTION = {"of", "for", "and", "&", "the", "at", "on", "in"}
_PREFIXES = {"now", "then", "-", "the", "a", "an", "current"}
_POSSESSIVE = {"'s", "’s"}
_DETERMINERS = {"the", "our", "their", "its", "his", "her", "my", "your"}  # "Our Dean of ..., X"
_APPOS_OPENERS = {"the", "a", "an", "now", "then", "who", "is", "was", "currently"}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    heads: frozenset[str]  # last words of role heads ("minister", "secretary", ...)
    words: frozenset[str]  # every word that may occur in a role title
    offices: dict[str, tuple[str, str | None]]  # alias -> (office, default country)


@cache
def vocabulary() -> Vocabulary:
    data = load_json("roles.json")
    heads = {h.split()[-1] for h in data["heads"] if " of " not in h}  # not "state" from "secretary of state"
    words = {w for phrase in data["heads"] + data["modifiers"] for w in phrase.lower().split()}
    offices = {}
    for office, spec in data["offices"].items():
        for alias in spec["aliases"]:
            offices[alias.lower()] = (office, spec["default_country"])
            words.update(alias.lower().split())
    return Vocabulary(frozenset(heads), frozenset(words), offices)


def is_role_word(text: str) -> bool:
    return text.lower() in vocabulary().words


def _word(tok: Token) -> str:
    return tok.lower_.strip(".")


def _title_token(tok: Token) -> bool:
    """May `tok` be part of a title written before a name?"""
    w = _word(tok)
    if w in _FUNCTION:  # only inside a body's name: "Dean of the School of Law and Social Justice"
        return tok.ent_iob_ == "I" and tok.ent_type_ == "ORG"
    if w in vocabulary().words or tok.text in _POSSESSIVE:
        return True
    if tok.text[:1].isupper() and (country_code(tok.text) or tok.ent_type_ in {"ORG", "NORP", "GPE"}
                                   or any(sp.start <= tok.i < sp.end for sp in tok.doc.spans.get("fw_orgs", []))):
        return True
    return tok.text == "-" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in {"now", "then", "ex", "former"}


def _trim(doc: Doc, start: int, end: int) -> Span | None:
    """Drop prefixes ("now-", "the") and function words at the edges; demand a head word."""
    while start < end and (doc[start].lower_ in _PREFIXES or doc[start].text in _POSSESSIVE
                           or doc[start].lower_ in _FUNCTION):
        start += 1
    while end > start and (doc[end - 1].lower_ in _FUNCTION or doc[end - 1].text in _POSSESSIVE
                           or doc[end - 1].is_punct):
        end -= 1
    if end <= start:
        return None
    span = doc[start:end]
    if not any(_word(t) in vocabulary().heads for t in span):
        return None
    return span


def title_before(doc: Doc, start: int, *, allow_of: bool = False) -> Span | None:
    """A role title written right before the name starting at token `start`.

    With `allow_of`, "head of the UK's National Audit Office" counts too (used before a comma).
    """
    heads = vocabulary().heads
    i = start
    while i > 0 and start - i < 12:
        tok = doc[i - 1]
        if _title_token(tok):
            i -= 1
        elif allow_of and tok.lower_ == "the" and i >= 3 and doc[i - 2].lower_ == "of" \
                and _word(doc[i - 3]) in heads:
            i -= 3
        elif allow_of and tok.lower_ == "of" and i >= 2 and _word(doc[i - 2]) in heads:
            i -= 2
        else:
            break
    portfolio = _portfolio_head(doc, start)
    if portfolio is not None and portfolio < i:  # "Minister for immigration and integration Kaare Dybvad Bek"
        i = portfolio
        while i > 0 and start - i < 16 and _title_token(doc[i - 1]):
            i -= 1
    if i == start:
        return None
    span = _trim(doc, i, start)
    if span is None:
        return None
    if _word(span[-1]) not in heads and not (portfolio is not None or allow_of and any(t.lower_ == "of" for t in span)):
        return None
    # "host French President": a lowercase head word before a capitalised title is not part of it
    while len(span) > 1 and span[0].is_lower and _word(span[0]) in vocabulary().heads \
            and span[1].text[:1].isupper():
        span = span[1:]
    return span


_PORTFOLIO_POS = {"NOUN", "PROPN", "ADJ", "CCONJ", "DET"}


def _portfolio_head(doc: Doc, start: int) -> int | None:
    """Token index of the head of a portfolio title that ends right before token `start`: a head
    word, "of" or "for", then the portfolio ("Minister for immigration and integration", "President
    of the European Commission", "Minister of Asylum and Migration"), else None."""
    heads = vocabulary().heads
    for k in range(start - 1, max(0, start - 9), -1):
        tok = doc[k]
        if tok.lower_ in {"of", "for"}:
            if k == start - 1 or k == 0 or _word(doc[k - 1]) not in heads:
                return None
            between = doc[k + 1:start]
            if between[-1].pos_ in {"CCONJ", "DET"} or not any(t.pos_ in {"NOUN", "PROPN"} for t in between):
                return None
            if any(_word(t) in heads for t in between):
                return None  # "a spokesperson for Migration Minister X": X holds the inner title
            return k - 1
        if not tok.is_alpha or tok.pos_ not in _PORTFOLIO_POS or tok.ent_type_ == "PERSON" \
                or tok.is_sent_start and not tok.text[:1].isupper():
            return None
    return None


def title_comma_before(doc: Doc, start: int) -> Span | None:
    """ "the French president, Emmanuel Macron": a determined title, a comma, the name."""
    if start < 2 or doc[start - 1].text != ",":
        return None
    span = title_before(doc, start - 1, allow_of=True)
    if span is None:
        return None
    before = doc[span.start - 1] if span.start > 0 else None
    if before is None or before.lower_ in _DETERMINERS | {"a", "an"} or span[0].is_sent_start \
            or before.text in _POSSESSIVE:
        return span
    if any(t.text in _POSSESSIVE for t in span) or country_code(span[0].text):
        return span  # "Austria's Chancellor, Alexander Schallenberg"
    return None


def apposition_after(doc: Doc, end: int) -> Span | None:
    """ ", the shadow home secretary," after the name ending at token `end`; also
    "X, 30, is leader of ...", "X as interior minister", "X, who is ..."."""
    i = end
    if i + 2 < len(doc) and doc[i].text == "," and doc[i + 1].like_num and doc[i + 2].text == ",":
        i += 2  # an age: "Mr Bardella, 30, is leader of ..."
    if i >= len(doc):
        return None
    if doc[i].text == ",":
        i += 1
    elif doc[i].lower_ in {"as", "is", "was", "became", "becomes"}:
        i += 1
    else:
        return None
    while i < len(doc) and doc[i].lower_ in _APPOS_OPENERS:
        i += 1
    j = i
    strict = None  # where the run of title words ends
    last_head = -1
    while j < len(doc) and j - i < 14:
        tok = doc[j]
        if tok.is_punct and tok.text not in {"-", "&"} or tok.is_space:
            break
        if not (_word(tok) in vocabulary().words or tok.text in _POSSESSIVE
                or (tok.text[:1].isupper() and tok.pos_ in {"PROPN", "NOUN", "ADJ"})):
            if strict is None:
                strict = j
            if tok.pos_ not in {"NOUN", "ADJ"}:  # "the European parliament president"
                break
        if _word(tok) in vocabulary().heads:
            last_head = j
        j += 1
    if strict is not None:
        j = last_head + 1 if last_head >= strict else strict
    span = _trim(doc, i, j)
    if span is None:
        return None
    # "Priti Patel, Denmark's previous immigration minister, now justice minister Mattias Tesfaye":
    # an apposition that introduces the next name is that person's title
    k = span.end
    if k < len(doc) and doc[k].text == ",":
        k += 1
        while k < len(doc) and k - span.end < 8 and doc[k].ent_type_ != "PERSON" and (
                doc[k].lower_ in _PREFIXES or _title_token(doc[k])):
            k += 1
        if k < len(doc) and k > span.end + 1 and doc[k].ent_type_ == "PERSON":
            return None
    # ", Belgian Prime Minister Alexander De Croo": a title before another person's name
    if any(t.ent_type_ == "PERSON" for t in doc[span.start : min(len(doc), span.end + 1)]):
        return None
    return span


def singular_head(text: str) -> str | None:
    """The singular of a plural role head ("Ministers" -> "Minister", "Secretaries" ->
    "Secretary"), case kept; None when `text` is not a plural head."""
    heads = vocabulary().heads
    low = text.lower()
    for suffix, repl in (("ies", "y"), ("s", "")):
        if low.endswith(suffix) and low[: -len(suffix)] + repl in heads:
            base = text[: -len(suffix)]
            return base + (repl.upper() if text.isupper() else repl)
    return None


def plural_title(doc: Doc, i: int) -> tuple[Span, str] | None:
    """The title ending in the plural head at token `i` ("Prime Ministers", "EU interior
    ministers") and its singular text ("Prime Minister"), else None."""
    single = singular_head(doc[i].text)
    if single is None:
        return None
    start = i
    while start > 0 and i - start < 6 and _title_token(doc[start - 1]) \
            and singular_head(doc[start - 1].text) is None:
        start -= 1
    while start < i and (doc[start].lower_ in _PREFIXES or doc[start].lower_ in _FUNCTION
                         or doc[start].text in _POSSESSIVE):
        start += 1
    words = [t.text for t in doc[start:i]] + [single]
    return doc[start : i + 1], " ".join(words)


def org_after(doc: Doc, end: int, org_spans: list[Span]) -> Span | None:
    """ "of the Immigration Services Union" right after a name: the organisation span."""
    if end >= len(doc) or doc[end].lower_ not in {"of", "from", "at"}:
        return None
    i = end + 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    for span in org_spans:
        if span.start in {end + 1, i}:
            s = span.start + (1 if span[0].lower_ == "the" else 0)
            return doc[s : span.end] if span.end > s else None
    return None


def role_text(span: Span) -> str:
    """The role as written, without a leading "now-"/"the" (whitespace normalised)."""
    return re.sub(r"\s+", " ", span.text).strip(" ,-")


def office_of(role: str) -> tuple[str | None, str | None]:
    """(office, country) named by a role: "French President" -> ("President", "FR")."""
    voc = vocabulary()
    text = re.sub(r"^(?:now|then|current)\s*-?\s*", "", role.strip(), flags=re.I)
    country: str | None = None
    kept: list[str] = []
    for word in re.findall(r"[\w.]+(?:['’]s)?", text):
        base = re.sub(r"['’]s$", "", word)
        code = country_code(base) if base[:1].isupper() else None
        if code and country is None:
            country = code
            continue
        kept.append(base.lower())
    while kept and kept[-1] in {"of", "the", "for"}:
        kept.pop()  # "President of France" with France taken as the country
    if kept and kept[0] in {"former", "ex", "outgoing", "late"}:
        return None, country
    for start in range(0, min(2, len(kept))):
        key = " ".join(kept[start:])
        if key in voc.offices:
            office, default = voc.offices[key]
            return office, country or default
    of_match = re.match(r"(.+?) of (\w+)$", " ".join(kept))
    if of_match and of_match.group(1) in voc.offices:
        office, default = voc.offices[of_match.group(1)]
        return office, country_code(of_match.group(2).title()) or country or default
    return None, country


@cache
def _role_only_regex() -> re.Pattern[str]:
    aliases = sorted(vocabulary().offices, key=len, reverse=True)
    alt = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in aliases)
    return re.compile(
        r"\b(?:(?i:the)\s+|(?P<poss>[A-Z][\w.]*)['’]s\s+)"
        r"(?P<role>(?:(?P<adj>[A-Z][\w.]*)\s+)?(?i:(?:shadow\s+)?(?:" + alt + r")))"
        r"(?P<of>\s+of\s+(?:the\s+)?[A-Z]\w+)?\b")


@dataclass(frozen=True, slots=True)
class RoleOnly:
    """A role written without a name: "the Prime Minister said"."""

    text: str  # role as written ("French president")
    start: int  # character offsets of the role words
    end: int
    office: str
    country: str | None


def role_only_spans(text: str) -> list[RoleOnly]:
    """Role-only mentions of a table office in `text` (the caller drops those next to a name)."""
    out = []
    for m in _role_only_regex().finditer(text):
        role = m.group("role")
        if m.group("of"):
            role += m.group("of")
        poss = m.group("poss")
        if poss and not country_code(poss):
            continue
        office, country = office_of(role)
        if office is None and m.group("adj"):
            office, country = office_of(role[len(m.group("adj")):])
        if office is None:
            continue
        start, end = m.start("role"), m.start("role") + len(role)
        if poss:
            country = country_code(poss)
            start = m.start("poss")
        out.append(RoleOnly(text[start:end], start, end, office, country))
    return out
