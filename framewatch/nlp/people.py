"""People named in an article: one entry per person, fullest name, roles, every mention.

`find_people(doc)` starts from spaCy's PERSON entities and repairs what the small model gets
wrong: titles and honorifics glued to names ("Shadow Home Secretary Chris Philp" -> "Chris
Philp"), possessives ("Starmer's"), all-capital names, two names in one entity ("Starmer and
Macron"); it drops entities that are organisations, countries or furniture ("Brexit", photo
credits, bylines), and recovers names the model missed after an honorific ("Ms Cooper") or a
role title ("Home Secretary Shabana Mahmood"). Mentions are clustered by surname (rapidfuzz for
spelling variants) so "Sir Keir Starmer", "Starmer" and "Keir Starmer's" are one person.

Roles come from `framewatch.nlp.roles`. A role without a name ("the Home Secretary said") is
resolved to a person of the article who holds it (by the text, or by the office-holder table
`data/office_holders.csv`); failing that, and when the article's date is known
(`doc._.fw_meta["published"]`), to the table's holder on that date (`source="office_holders"`).

Component `framewatch_people` sets `doc._.fw_people` (tuple of `Person`) and
`doc.spans["fw_people"]` (one span per mention; label = canonical name). It runs after
`framewatch_organisations` and drops organisations that were really people.
"""

from __future__ import annotations

from framewatch.nlp._extensions import doc_text
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ._data import load_json, office_terms
from ._extensions import published_date, record_error, register_extensions
from ._types import Mention
from .attribution.cues import cues as speech_cues
from .countries import country_code, is_country_word
from .organisations import canonical_org, org_type
from .roles import (apposition_after, is_role_word, office_of, org_after, plural_title,
                    role_only_spans, role_text, title_before, title_comma_before, vocabulary)

SPAN_KEY = "fw_people"
_POSSESSIVE = {"'s", "’s", "'", "’"}
_POSTNOMINALS = {"KC", "QC", "MP", "MEP", "MSP", "OBE", "MBE", "CBE", "PhD", "Jr", "Jr."}


@dataclass(frozen=True, slots=True)
class Person:
    """A person, their roles as the text gives them, and every mention in text order.

    `role` is the main role (the first that names an office, else the first); `source` is
    "text", or "office_holders" when only a role names them ("the Home Secretary") and the
    office-holder table gave the name for the article's date.
    """

    name: str
    role: str | None
    roles: tuple[str, ...]
    mentions: tuple[Mention, ...]
    source: str = "text"

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[0].end

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "roles": list(self.roles),
                "start": self.start, "end": self.end,
                "mentions": [m.to_dict() for m in self.mentions], "source": self.source}


@cache
def _cues() -> dict:
    data = load_json("people.json")
    return {
        "honorifics": frozenset(data["honorifics"]),
        "byline": tuple(data["byline_cues"]),
        "credit": frozenset(c.lower() for c in data["credit_cues"]),
        "agencies": frozenset(data["credit_agencies"]),
        "journalist": frozenset(data["journalist_titles"]),
        "not_people": frozenset(s.lower() for s in data["not_people"]),
        "line_prefixes": tuple(data["furniture_line_prefixes"]),
        "particles": frozenset(data["name_particles"]),
    }


def _particles() -> frozenset[str]:
    """Lower-case name particles ("von", "de", "al"), from `data/people.json`."""
    return _cues()["particles"]


def fold(text: str) -> str:
    """Lowercase ASCII form used to compare names ("Nuñez" -> "nunez")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


# ---------------------------------------------------------------- candidate names


@dataclass(slots=True)
class _Cand:
    start: int  # token span of the name proper (no honorific, no possessive)
    end: int
    words: tuple[str, ...]
    role: str | None = None  # a role the context gives ("Prime Ministers A, B and C")


def _is_name_word(text: str) -> bool:
    """A capitalised word ("Davutoğlu", "Élisabeth"), a particle ("de") or a particle joined to
    a capitalised word ("al-Sisi", "el-Sisi")."""
    if not text or not any(c.isalpha() for c in text) or any(c.isdigit() for c in text):
        return False
    if text[:1].isupper() or text.lower() in _particles():
        return True
    head, _, rest = text.partition("-")
    return head.lower() in _particles() and rest[:1].isupper()


def _repair(doc: Doc, start: int, end: int) -> list[_Cand]:
    """Clean one PERSON-like token range into zero or more name candidates."""
    honor = _cues()["honorifics"]
    # split "Starmer and Macron" / "Starmer, Macron"
    parts, s = [], start
    head_stripped = _stripped_ok(doc, start, end)
    for i in range(start, end):
        if doc[i].lower_ in {"and", "&", ","} or doc[i].text in {"/", "|", "(", ")"}:
            parts.append((s, i))
            s = i + 1
        elif doc[i].lower_ in {"of", "from"} and i > s and _place_after(doc, i + 1):
            # "Kyriakos Mitsotakis of Greece": the name ends before the country
            parts.append((s, i))
            s = end
            break
        elif doc[i].text in _POSSESSIVE and i + 1 < end:  # "Macron's State Visit": stop at 's
            parts.append((s, i + 1))
            s = end
            break
    if s < end:
        parts.append((s, end))
    out = []
    for s, e in parts:
        while s < e and (doc[s].text in honor or doc[s].text.rstrip(".") in honor
                         or is_role_word(doc[s].text) or doc[s].lower_ in {"the", "-", "now", "then"}
                         or (country_code(doc[s].text) is not None)
                         or doc[s].text in _POSSESSIVE or not doc[s].text.strip()):
            s += 1
        while e < len(doc) and e > s and doc[e - 1].lower_ in _particles() and (
                doc[e].text[:1].isupper() or doc[e].lower_ in _particles()):
            e += 1
        while e > s and (doc[e - 1].text in _POSSESSIVE or doc[e - 1].is_punct
                         or doc[e - 1].text in _POSTNOMINALS
                         or not _is_name_word(doc[e - 1].text) or not doc[e - 1].text.strip()):
            e -= 1
        if e <= s or not doc[s].text[:1].isupper() and doc[s].lower_ not in _particles():
            continue
        if e - s == 1 and not head_stripped:
            continue  # "State Visit" -> "Visit": a capitalised noun after a modifier
        words = _words(doc, s, e)
        if not words or not all(_is_name_word(w) for w in words):
            continue
        out.append(_Cand(s, e, words))
    return out


def _place_after(doc: Doc, i: int) -> bool:
    """Does a country or place name start at token `i` (after an optional "the")?"""
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    return i < len(doc) and (doc[i].ent_type_ == "GPE" or country_code(doc[i].text) is not None)


def _stripped_ok(doc: Doc, start: int, end: int) -> bool:
    """False when an entity starts with role modifiers that are neither an honorific nor a
    role head ("State Visit"); True otherwise."""
    from .roles import vocabulary
    honor = _cues()["honorifics"]
    i, lead = start, []
    while i < end and is_role_word(doc[i].text) and doc[i].text not in honor:
        lead.append(doc[i])
        i += 1
    if not lead or (i < end and doc[i].text in honor):
        return True
    return any(t.lower_.strip(".") in vocabulary().heads for t in lead)


def _words(doc: Doc, s: int, e: int) -> tuple[str, ...]:
    """Name words, joining hyphenated parts ("Abdel-Fattah", "al-Sisi")."""
    words: list[str] = []
    glue = False
    for tok in doc[s:e]:
        if tok.text == "-" and words and not doc[tok.i - 1].whitespace_:
            words[-1] += "-"
            glue = True
            continue
        if glue and words:
            words[-1] += tok.text
        else:
            words.append(tok.text)
        glue = False
    return tuple(re.sub(r"['’]s$", "", w) for w in words if not w.endswith("-"))


def _plausible(doc: Doc, cand: _Cand) -> bool:
    name = " ".join(cand.words)
    cues = _cues()
    if name.lower() in cues["not_people"] or any(w.lower() in cues["not_people"] for w in cand.words
                                                  if len(cand.words) == 1):
        return False
    if is_country_word(name) or canonical_org(name) is not None:
        return False
    if len(cand.words) > 5 or len(name) < 3:
        return False
    if all(is_role_word(w) for w in cand.words):
        return False
    if _acronym_after(doc, cand):
        return False
    if len(cand.words) == 1:
        tok = doc[cand.start]
        if tok.is_stop or (tok.pos_ not in {"PROPN", "NOUN"} and not tok.text.isupper()):
            return False
    return not _furniture(doc, cand)


def _acronym_after(doc: Doc, cand: _Cand) -> bool:
    """ "Hayat Tahrir al-Sham (HTS)": a name followed by its initials in brackets is a body."""
    e = cand.end
    if e + 2 >= len(doc) or doc[e].text != "(" or doc[e + 2].text != ")" or not doc[e + 1].is_upper:
        return False
    initials = "".join(p[0] for w in cand.words for p in w.split("-") if p[:1].isupper())
    return len(initials) >= 2 and doc[e + 1].text == initials


def _furniture(doc: Doc, cand: _Cand) -> bool:
    """A byline, a photo credit or a journalist's sign-off rather than a person in the story."""
    cues = _cues()
    text = doc_text(doc)
    s_char, e_char = doc[cand.start].idx, doc[cand.end - 1].idx + len(doc[cand.end - 1])
    line_start = text.rfind("\n", 0, s_char) + 1
    line_end = text.find("\n", e_char)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:s_char]
    after = text[e_char:line_end]
    if before.lstrip().startswith(cues["line_prefixes"]):
        return True
    if any(re.fullmatch(rf"\W*{re.escape(c)}\s*:?\s*", before) for c in cues["byline"]):
        return True
    # "(Image: Getty)", "Photo: Jane Smith/PA", "© Jane Smith"
    window = before[-60:]
    paren = window.rfind("(")
    if paren >= 0:
        window = window[paren:]
    if re.search(r"(?i)\b(" + "|".join(map(re.escape, cues["credit"] - {"©"})) + r")s?\s*:", window) \
            or "©" in window:
        return True
    if re.match(r"\s*/\s*\w", after) or re.match(r"\s*(?:for|via)\s+(?:" + "|".join(
            map(re.escape, cues["agencies"])) + r")\b", after):
        return True
    # a tag cloud or ticker: a line with no sentence punctuation that repeats the name
    line = text[line_start:line_end]
    if line.count(text[s_char:e_char]) >= 2 and not re.search(r"[.!?;:\"“”]", line):
        return True
    # a short line holding only a name (and maybe a journalist's title): a byline
    rest = (before + " " + after).strip(" |,-–—\t").lower()
    words = re.findall(r"[a-z]+", rest)
    if len(text[line_start:line_end].split()) <= 8 and all(
            w in cues["journalist"] or w in {"and", "by", "political", "home", "affairs", "senior",
                                              "chief", "deputy", "news", "the", "policy", "europe",
                                              "politics", "reporter", "correspondent", "editor"}
            for w in words):
        return True
    return False


def _name_end(doc: Doc, i: int, max_words: int = 5) -> int:
    """End of the run of name words starting at token `i` ("Ahmet Davutoğlu", "Alexander de
    Croix", "Abdel Fattah al-Sisi"); `i` itself when no capitalised name starts there."""
    if i >= len(doc) or not doc[i].text[:1].isupper():
        return i
    j, n = i, 0
    while j < len(doc) and n < max_words:
        tok = doc[j]
        if tok.text == "-" and j > i and not doc[j - 1].whitespace_ and not tok.whitespace_:
            j += 1  # "al-Sisi"
            continue
        particle = tok.lower_ in _particles()
        if not _is_name_word(tok.text) or country_code(tok.text) is not None \
                or tok.ent_type_ in {"GPE", "NORP", "DATE", "TIME", "CARDINAL"}:
            break
        if not particle and (tok.pos_ not in {"PROPN", "X"} or (
                is_role_word(tok.text) if j == i else tok.lower_ in vocabulary().heads)):
            break
        j, n = j + 1, n + 1
    while j > i and (doc[j - 1].lower_ in _particles() or doc[j - 1].text == "-"):
        j -= 1
    return j


def _listed_name(doc: Doc, j: int, title: str) -> tuple[list[_Cand], int] | None:
    """The name at token `j` (honorifics dropped) with an optional "of <country>" (added to the
    role), and the token after it."""
    e = _name_end(doc, j)
    if e == j:
        return None
    role, k = title, e
    if k < len(doc) and doc[k].lower_ in {"of", "from"} and _place_after(doc, k + 1):
        p = k + 1 + (doc[k + 1].lower_ == "the")
        k = p + 1
        while k < len(doc) and doc[k].ent_iob_ == "I" and doc[k].ent_type_ == "GPE":
            k += 1
        role = f"{title} of {doc[p:k].text}"
    cands = _repair(doc, j, e)
    for c in cands:
        c.role = role
    return cands, k


def _role_lists(doc: Doc) -> list[_Cand]:
    """Names listed after a plural title, each with the singular role: "Prime Ministers Kyriakos
    Mitsotakis of Greece, Giorgia Meloni of Italy and Alexander de Croix of Belgium"."""
    out: list[_Cand] = []
    for i, tok in enumerate(doc):
        if not tok.lower_.endswith("s") or (found := plural_title(doc, i)) is None:
            continue
        names: list[_Cand] = []
        j = i + 1
        while (hit := _listed_name(doc, j, found[1])) is not None:
            names += hit[0]
            k = hit[1]
            comma = k < len(doc) and doc[k].text == ","
            k += comma
            if k < len(doc) and doc[k].lower_ in {"and", "&"}:
                last = _listed_name(doc, k + 1, found[1])
                if last is not None:
                    names += last[0]
                break
            if not comma:
                break
            j = k
        if len(names) >= 2:
            out += names
    return out


def _candidates(doc: Doc) -> list[_Cand]:
    cands: list[_Cand] = []
    taken: set[int] = set()

    def add(c: _Cand) -> None:
        if any(i in taken for i in range(c.start, c.end)) or not _plausible(doc, c):
            return
        taken.update(range(c.start, c.end))
        cands.append(c)

    for c in _role_lists(doc):
        add(c)
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            start = ent.start
            # "Odongo" (GPE) + "Jeje Abubakhar" (PERSON): a name split by the model
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title \
                    and doc[start - 1].ent_type_ in {"GPE", "ORG", "NORP"} \
                    and not is_role_word(doc[start - 1].text) and not country_code(doc[start - 1].text) \
                    and canonical_org(doc[start - 1].text) is None \
                    and doc[start - 1].text not in _cues()["honorifics"]:
                start -= 1
            for c in _repair(doc, start, ent.end):
                add(c)
    for ent in doc.ents:
        if ent.label_ in {"ORG", "GPE", "FAC", "NORP", "LOC", "WORK_OF_ART", "PRODUCT", "EVENT"}:
            for c in _repair(doc, ent.start, ent.end):
                if len(c.words) >= 2 and org_type(" ".join(c.words)) == "other" \
                        and _person_evidence(doc, c, strong=True):
                    add(c)
    honor = _cues()["honorifics"]
    # recover names after an honorific or a role title that the model missed
    for i, tok in enumerate(doc):
        if i in taken:
            continue
        starts_name = tok.text in honor or tok.text.rstrip(".") in honor
        if not starts_name and is_role_word(tok.text) and tok.text[:1].isupper():
            starts_name = title_before(doc, i + 1) is not None
        if not starts_name:
            continue
        j = i + 1
        while j < len(doc) and j - i <= 3 and _is_name_word(doc[j].text) and doc[j].pos_ == "PROPN" \
                and not is_role_word(doc[j].text) and doc[j].ent_type_ not in {"GPE", "ORG", "NORP", "DATE"}:
            j += 1
        if j > i + 1:
            for c in _repair(doc, i + 1, j):
                add(c)
    # "Turkish Prime Minister, Ahmet Davutoğlu, said": a title, a comma, a name the model missed
    for i, tok in enumerate(doc):
        if tok.text != "," or i + 1 in taken or title_comma_before(doc, i + 1) is None:
            continue
        j = _name_end(doc, i + 1)
        if j - i - 1 < 2 and not (j > i + 1 and _known_name(doc[i + 1].text)):
            continue
        if j < len(doc) and not (doc[j].is_punct or _speech(doc[j]) or doc[j].lower_ == "and"
                                 or doc[j].text in _POSSESSIVE):
            continue
        for c in _repair(doc, i + 1, j):
            add(c)
    return sorted(cands, key=lambda c: c.start)


def _speech(tok: Token) -> bool:
    """`tok` is a speech verb of the one cue list (`data/cue_verbs.json`)."""
    return tok.lemma_.lower() in speech_cues()["speech"] and tok.pos_ in {"VERB", "AUX"}


def _person_evidence(doc: Doc, cand: _Cand, *, strong: bool = False) -> bool:
    """Context that makes a capitalised name a person: an honorific or role title before it,
    a role apposition after it, a speech verb next to it, or a name in the office-holder table."""
    honor = _cues()["honorifics"]
    start, end = cand.start, cand.end
    if start > 0 and (doc[start - 1].text in honor or doc[start - 1].text.rstrip(".") in honor):
        return True
    if title_before(doc, start) is not None or title_comma_before(doc, start) is not None:
        return True
    if apposition_after(doc, end) is not None:
        return True
    if _known_name(" ".join(cand.words)):
        return True
    if not strong:
        return False  # a lone word before "said" may be a capital city ("Pristina says")
    nxt = end + (1 if end < len(doc) and doc[end].text in _POSSESSIVE else 0)
    if nxt < len(doc) and _speech(doc[nxt]) and doc[nxt].text not in _POSSESSIVE:
        return True
    # "…,” Scholz said" / "said Scholz"
    if start > 0 and _speech(doc[start - 1]) and doc[start - 1].lemma_.lower() in {"say", "tell", "add"}:
        return True
    return False


@cache
def _known_names() -> dict[str, str]:
    """Folded full names and surnames of the office-holder table -> full name."""
    out: dict[str, str] = {}
    for t in office_terms():
        out[fold(t.holder)] = t.holder
    return out


def _known_name(name: str) -> bool:
    f = fold(name)
    return f in _known_names() or (" " not in f and any(k.split()[-1] == f for k in _known_names()))


def _first_name_holder(first: str) -> str | None:
    """The one table holder with this first name ("Keir" -> "Keir Starmer"), else None."""
    hits = {h for f, h in _known_names().items() if f.split()[0] == fold(first) and " " in f}
    return hits.pop() if len(hits) == 1 else None


# ---------------------------------------------------------------- clustering


@dataclass(slots=True)
class _Cluster:
    forms: list[tuple[str, ...]] = field(default_factory=list)
    cands: list[_Cand] = field(default_factory=list)
    extra: list[tuple[int, int]] = field(default_factory=list)  # char spans (role-only, surnames)
    roles: list[str] = field(default_factory=list)
    source: str = "text"
    name_override: str | None = None

    @property
    def full(self) -> tuple[str, ...]:
        return max(self.forms, key=len)

    @property
    def surname(self) -> str:
        return fold(self.full[-1])


def _same_word(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    return a == b or (min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 88)


def _compatible(words: tuple[str, ...], cl: _Cluster) -> bool:
    full = cl.full
    if not _same_word(words[-1], full[-1]):
        # compound surnames: "von der Leyen" mentioned as "Leyen" is rare; "Abrego Garcia" as "Garcia"
        return len(words) == 1 and any(_same_word(words[0], w) for w in full[1:])
    if len(words) == 1 or len(full) == 1 or words[0].lower() in _particles() \
            or full[0].lower() in _particles():
        return True
    a, b = fold(words[0]).rstrip("."), fold(full[0]).rstrip(".")
    if a == b or a[:1] == b[:1] and (len(a) == 1 or len(b) == 1) or fuzz.ratio(a, b) >= 85:
        return True
    # a middle name used as the first: "Fatah al-Sisi" for "Abdel Fattah al-Sisi"
    return len(words) < len(full) and any(_same_word(words[0], w) for w in full[1:-1])


def _cluster(cands: list[_Cand]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for cand in sorted(cands, key=lambda c: (-len(c.words), c.start)):
        matches = [cl for cl in clusters if _compatible(cand.words, cl)]
        if len(matches) > 1:  # ambiguous surname: the person named last before this mention
            before = [cl for cl in matches if min(c.start for c in cl.cands) < cand.start]
            matches = sorted(before or matches, key=lambda cl: -max(
                (c.start for c in cl.cands if c.start < cand.start), default=-1))[:1]
        if matches:
            matches[0].forms.append(cand.words)
            matches[0].cands.append(cand)
        else:
            clusters.append(_Cluster([cand.words], [cand]))
    return clusters


_FIRST_NAME_HONORIFICS = {"Sir", "Dame", "Lord", "Lady"}


def _settle_single(doc: Doc, clusters: list[_Cluster]) -> list[_Cluster]:
    """Clusters known only by one word: "Sir Keir" joins "Keir Starmer" (or becomes him via the
    office-holder table); a lone word with no sign of being a person ("Kyiv") is dropped."""
    multi = [cl for cl in clusters if len(cl.full) > 1]
    out = list(multi)
    for cl in clusters:
        if len(cl.full) > 1:
            continue
        word = cl.full[0]
        after_honorific = any(c.start > 0 and doc[c.start - 1].text in _FIRST_NAME_HONORIFICS
                              for c in cl.cands)
        firsts = [m for m in multi if fold(m.full[0]) == fold(word)]
        if after_honorific and len(firsts) == 1:
            firsts[0].forms += cl.forms
            firsts[0].cands += cl.cands
            continue
        holder = _first_name_holder(word) if after_honorific else None
        if holder is not None:
            cl.forms.append(tuple(holder.split()))
            surname = [m for m in out if len(m.full) == 1 and _same_word(m.full[0], holder.split()[-1])]
            if surname:
                surname[0].forms += cl.forms
                surname[0].cands += cl.cands
                continue
            out.append(cl)
            continue
        if len(cl.cands) >= 2 or _known_name(word) or any(
                c.role or _person_evidence(doc, c, strong=False) for c in cl.cands):
            out.append(cl)
    return out


def _canonical(words: tuple[str, ...]) -> str:
    name = " ".join(words)
    name = re.sub(r"\s*-\s*", "-", name)
    if name.isupper() and len(name) > 3:
        name = " ".join(w.capitalize() if w.lower() not in _particles() else w.lower()
                        for w in name.split())
    return name


# ---------------------------------------------------------------- roles


def _collect_roles(doc: Doc, clusters: list[_Cluster], org_spans: list[Span]) -> None:
    for cl in clusters:
        for cand in sorted(cl.cands, key=lambda c: c.start):
            start = cand.start
            while start > 0 and (doc[start - 1].text in _cues()["honorifics"]
                                 or doc[start - 1].text.rstrip(".") in _cues()["honorifics"]):
                start -= 1
            end = cand.end
            while end < len(doc) and doc[end].text in _POSSESSIVE:
                end += 1
            # a listed name's role is the singular of the plural title before the list
            found = [] if cand.role else [title_before(doc, start), title_comma_before(doc, start)]
            if end == cand.end:
                found += [apposition_after(doc, end), org_after(doc, end, org_spans)]
            for span in [cand.role, *found]:
                if span is not None:
                    text = span if isinstance(span, str) else role_text(span)
                    if text and text.lower() not in {r.lower() for r in cl.roles} and \
                            fold(text) not in {fold(w) for w in cl.full}:
                        cl.roles.append(text)


def _held(name: str, day: dt.date | None = None) -> set[tuple[str, str]]:
    """(office, country) pairs the table says `name` has held (on `day`, where given)."""
    f = fold(name)
    return {(t.office, t.country) for t in office_terms()
            if (fold(t.holder) == f or fold(t.holder).split()[-1] == f.split()[-1]
                and (" " not in f or fold(t.holder).split()[0] == f.split()[0]))
            and (day is None or t.covers(day))}


def _holder_on(office: str, country: str, day: dt.date) -> str | None:
    for t in office_terms():
        if t.office == office and t.country == country and t.covers(day):
            return t.holder
    return None


def _resolve_role_only(doc: Doc, clusters: list[_Cluster], taken: list[tuple[int, int]]) -> None:
    published = published_date(doc)
    countries = [c.code for c in getattr(doc._, "fw_countries", ()) or ()]
    counts = {c.code: len(c.mentions) for c in getattr(doc._, "fw_countries", ()) or ()}
    text = doc_text(doc)
    for ro in role_only_spans(text):
        # next to a name: "Prime Minister Keir Starmer", "the French president, Emmanuel Macron"
        if any(s <= ro.end + 3 and e > ro.start - 1 for s, e in taken):
            continue
        nxt = text[ro.end:ro.end + 3]
        if re.match(r"\s+[A-Z]", nxt) and _name_follows(doc, ro.end):
            continue
        target = _last_holder(doc, ro, clusters, published)
        if target is None:
            target = _match_office(ro, clusters, countries)
        if target is None and published is not None:
            target = _from_table(ro, clusters, published, counts)
        if target is None:
            continue
        target.extra.append((ro.start, ro.end))
        if ro.text.lower() not in {r.lower() for r in target.roles}:
            target.roles.append(ro.text)


def _name_follows(doc: Doc, char: int) -> bool:
    if not len(doc):
        return False
    end_of_text = doc[-1].idx + len(doc[-1].text_with_ws)  # len(doc.text), without rebuilding it
    span = doc.char_span(char, min(end_of_text, char + 40), alignment_mode="expand")
    toks = [t for t in span if not t.is_space][:1] if span is not None else []
    return bool(toks) and toks[0].pos_ == "PROPN" and not is_role_word(toks[0].text)


def _office_matches(ro_office: str, ro_country: str | None, office: str | None,
                    country: str | None) -> bool:
    return office == ro_office and (ro_country is None or country is None or ro_country == country)


_FORMER = re.compile(r"(?i)^(?:former|ex|outgoing|late)\b")


def _last_mention(doc: Doc, cl: _Cluster, before: int) -> int | None:
    """Start of the last mention of `cl` that ends before the character `before`, else None."""
    starts = [doc[c.start].idx for c in cl.cands if doc[c.end - 1].idx + len(doc[c.end - 1]) <= before]
    starts += [s for s, e in cl.extra if e <= before]
    return max(starts) if starts else None


def _last_holder(doc: Doc, ro, clusters: list[_Cluster], day: dt.date | None) -> _Cluster | None:  # type: ignore[no-untyped-def]
    """A bare title ("The President said", "the prime minister") with no country of its own refers
    back to the holder of that office the text named last before it: in "President A declared ...
    The President said ... US President B", A, not B, whom the table knows; in "announced by A ...
    The prime minister flew ... the Albanian prime minister, B", A. A holder is a person with that office among their roles in the text, or one the
    office-holder table gives it to (on the article's date, where known) unless the text calls them
    a former holder. None where fewer than two persons hold the office (the other rules decide) or
    none of them is named before the title."""
    if ro.country is not None:
        return None
    holders = []
    for cl in clusters:
        if any(office_of(r)[0] == ro.office for r in cl.roles):
            holders.append(cl)
        elif cl.source == "text" and any(o == ro.office for o, _ in _held(_canonical(cl.full), day)) \
                and not any(_FORMER.match(r) and ro.office.lower() in r.lower() for r in cl.roles):
            holders.append(cl)
    if len(holders) < 2:
        return None
    last = [(at, cl) for cl in holders if (at := _last_mention(doc, cl, ro.start)) is not None]
    return max(last, key=lambda x: x[0])[1] if last else None


def _match_office(ro, clusters: list[_Cluster], countries: list[str]) -> _Cluster | None:  # type: ignore[no-untyped-def]
    by_text = [cl for cl in clusters if any(_office_matches(ro.office, ro.country, *office_of(r))
                                            for r in cl.roles)]
    if len(by_text) == 1:
        return by_text[0]
    if len(by_text) > 1 and ro.country is not None:
        # "the Albanian prime minister": a holder the text gives that country beats one whose
        # title names none
        exact = [cl for cl in by_text if any(office_of(r) == (ro.office, ro.country) for r in cl.roles)]
        if len(exact) == 1:
            return exact[0]
    pool = by_text or [cl for cl in clusters if cl.source == "text" and any(
        _office_matches(ro.office, ro.country, o, c) for o, c in _held(_canonical(cl.full)))]
    if len(pool) == 1:
        return pool[0]
    if len(pool) > 1 and ro.country is None and countries:
        # several holders of like offices ("Prime Minister" Starmer and Meloni): the one of the
        # article's first-mentioned country
        for code in countries:
            hits = [cl for cl in pool if any(o == ro.office and c == code
                                             for o, c in _held(_canonical(cl.full)))]
            if len(hits) == 1:
                return hits[0]
    return None


def _from_table(ro, clusters: list[_Cluster], day: dt.date, counts: dict[str, int]) -> _Cluster | None:  # type: ignore[no-untyped-def]
    country = ro.country
    if country is None:
        options = {t.country for t in office_terms() if t.office == ro.office}
        ranked = sorted((c for c in options if c in counts), key=lambda c: -counts[c])
        country = ranked[0] if ranked else None
    if country is None:
        return None
    holder = _holder_on(ro.office, country, day)
    if holder is None:
        return None
    for cl in clusters:
        if _compatible(tuple(holder.split()), cl):
            return cl
    cl = _Cluster([tuple(holder.split())], [], source="office_holders")
    clusters.append(cl)
    return cl


# ---------------------------------------------------------------- assembly


def _surname_mentions(doc: Doc, clusters: list[_Cluster], covered: set[int]) -> None:
    """Bare surnames the model tagged as something else ("Cooper" as ORG) or missed."""
    by_surname: dict[str, list[_Cluster]] = {}
    for cl in clusters:
        if len(cl.full) > 1 and cl.source == "text" and len(cl.full[-1]) >= 3:
            by_surname.setdefault(cl.full[-1], []).append(cl)
    for tok in doc:
        if tok.i in covered or tok.text not in by_surname or len(by_surname[tok.text]) != 1:
            continue
        if tok.i + 1 < len(doc) and _is_name_word(doc[tok.i + 1].text) and doc[tok.i + 1].pos_ == "PROPN":
            continue  # part of another name
        by_surname[tok.text][0].extra.append((tok.idx, tok.idx + len(tok)))


def find_people(doc: Doc, org_spans: Iterable[Span] | None = None) -> tuple[Person, ...]:
    """Every person `doc` names, in order of first mention (see the module docstring)."""
    if org_spans is None:
        org_spans = list(doc.spans.get("fw_orgs", []))
    org_spans = list(org_spans)
    cands = _candidates(doc)
    clusters = _settle_single(doc, _cluster(cands))
    cands = [c for cl in clusters for c in cl.cands]
    _collect_roles(doc, clusters, org_spans)
    covered = {i for c in cands for i in range(c.start, c.end)}
    _surname_mentions(doc, clusters, covered)
    taken = [(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])) for c in cands]
    _resolve_role_only(doc, clusters, taken)
    people = []
    text = doc_text(doc)
    for cl in clusters:
        spans = {(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])) for c in cl.cands}
        spans |= set(cl.extra)
        mentions = tuple(Mention(text[s:e], s, e) for s, e in sorted(spans))
        if not mentions:
            continue
        roles = tuple(cl.roles)
        main = next((r for r in roles if office_of(r)[0]), roles[0] if roles else None)
        people.append(Person(_canonical(cl.full), main, roles, mentions, cl.source))
    return tuple(sorted(people, key=lambda p: p.start))


def to_frame(people: Iterable[Person]) -> pd.DataFrame:
    """One row per person: name, role, roles ("; "-joined), start, end, n_mentions, source."""
    rows = [{"name": p.name, "role": p.role, "roles": "; ".join(p.roles), "start": p.start,
             "end": p.end, "n_mentions": len(p.mentions), "source": p.source} for p in people]
    return pd.DataFrame(rows, columns=["name", "role", "roles", "start", "end", "n_mentions", "source"])


def mentions_frame(people: Iterable[Person]) -> pd.DataFrame:
    """One row per mention: name, text, start, end."""
    rows = [{"name": p.name, "text": m.text, "start": m.start, "end": m.end}
            for p in people for m in p.mentions]
    return pd.DataFrame(rows, columns=["name", "text", "start", "end"])


@Language.factory("framewatch_people", assigns=["doc._.fw_people", "doc.spans"],
                  requires=["doc.ents"], default_config={"span_key": SPAN_KEY})
def make_people(nlp: Language, name: str, span_key: str) -> PeopleFinder:
    return PeopleFinder(name, span_key)


class PeopleFinder:
    """Pipeline component wrapping `find_people`; also drops organisations that are people."""

    def __init__(self, name: str, span_key: str) -> None:
        register_extensions()
        self.name, self.span_key = name, span_key

    def __call__(self, doc: Doc) -> Doc:
        try:
            people = find_people(doc)
            spans = []
            for p in people:
                for m in p.mentions:
                    span = doc.char_span(m.start, m.end, label=p.name, alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
            doc.spans[self.span_key] = sorted(spans, key=lambda sp: (sp.start, sp.end))
            doc._.fw_people = people
            _drop_person_orgs(doc, people)
        except Exception as exc:  # one bad article must not stop the batch
            record_error(doc, self.name, exc)
        return doc


def _drop_person_orgs(doc: Doc, people: tuple[Person, ...]) -> None:
    names = {fold(p.name) for p in people} | {fold(p.name.split()[-1]) for p in people}
    orgs = tuple(o for o in doc._.fw_orgs if fold(o.name) not in names)
    if len(orgs) != len(doc._.fw_orgs):
        doc._.fw_orgs = orgs
        if "fw_orgs" in doc.spans:
            doc.spans["fw_orgs"] = [s for s in doc.spans["fw_orgs"] if fold(s.label_) not in names]
