"""Speaker mentions of an article, and the candidate speakers of each quote.

A *mention* is a noun phrase of the article, outside quotation marks, that can name a speaker:

| source        | what                                                               | type            |
| ------------- | ------------------------------------------------------------------ | --------------- |
| `name`        | a mention of a person found by the people stage (`fw_people`)       | person          |
| `org`         | a mention of an organisation (`fw_orgs`); media outlets are `media`  | organisation/media |
| `description` | a noun phrase headed by a person or body noun ("a spokesperson for the Home Office", "the man", "the court") | anonymous/organisation/media |
| `pronoun`     | he, she, they, it as a subject                                      | (its antecedent's) |

A *candidate* is one speaker (a canonical name) for one quote, with every mention of it near the
quote; pronouns become links to the persons or bodies they can refer to (gender and number
agreement, a bounded window), and a definite description ("the committee") links to the body
named before with the same head noun ("the Home Affairs Committee"). The previous quote's speaker,
the rules' reading and "no speaker" are candidates too, so the ranker decides among all of them.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Token

from .cues import cues, language_data, subject
from .._extensions import published_date
from .names import name_words, person_genders, same_speaker

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = ["SpeakerMention", "Candidate", "DocMentions", "candidates", "reads_as_speaker"]

PRONOUN_WINDOW = 1500  # characters back to look for a pronoun's antecedent
PRONOUN_ANTECEDENTS = 3  # distinct antecedents a pronoun may link to
WINDOW_BEFORE = 3  # paragraphs before the quote's own that hold candidate mentions
WINDOW_AFTER = 1


@dataclass(frozen=True, slots=True)
class SpeakerMention:
    """One mention that can name a speaker. `cue` is the token index of the cue verb it is the
    subject of (or the "according" of "according to"), else -1."""

    start: int
    end: int
    text: str
    name: str
    type: str
    source: str
    head: int
    cue: int
    gender: str | None
    number: str
    has_role: bool = False


@dataclass(slots=True)
class Candidate:
    """A candidate speaker of one quote: canonical `name`, `type`, the mentions near the quote
    (`mentions`, outside quotation marks) and the links that point at it (`via`)."""

    name: str
    type: str
    source: str
    mentions: list[SpeakerMention] = field(default_factory=list)
    via: dict[str, Any] = field(default_factory=dict)

    @property
    def best_mention(self) -> SpeakerMention | None:
        """The mention that attributes the quote: a cue subject first, else the nearest."""
        if not self.mentions:
            return None
        cue = [m for m in self.mentions if m.cue >= 0]
        return (cue or self.mentions)[0]


_DESC_PREPS = {"of", "for", "at", "in", "from", "with"}


ANAPHOR_WINDOW = 600  # characters back to the body a generic description stands for
DOCUMENT_WINDOW = 2000  # characters back to the author of "the report" / "the statement"


def describe(doc: Doc, tok: Token) -> tuple[int, int]:
    """Token range [lo, hi) of the noun phrase headed by `tok`: determiners, modifiers and a short
    of/for/at phrase ("a spokesperson for the Home Office"), without relative clauses or
    appositions."""
    left = tok.left_edge.i
    while left < tok.i and (doc[left].is_punct or doc[left].is_space or doc[left].dep_ in {"cc", "prep"}):
        left += 1
    right = tok.i
    for child in tok.rights:
        if child.dep_ in {"compound", "flat", "nummod", "amod"}:
            right = max(right, child.right_edge.i)
        elif child.dep_ == "prep" and child.lower_ in _DESC_PREPS and \
                child.right_edge.i - tok.i <= 7 and not any(
                    t.is_punct or t.dep_ == "relcl" for t in doc[child.i:child.right_edge.i + 1]):
            right = max(right, child.right_edge.i)
        else:
            break
    return left, right + 1


class DocMentions:
    """Every speaker mention of one doc, in text order, with lookups by offset.

    `ctx` is the quotes stage's document context (segments, people, organisations, sentences)."""

    def __init__(self, ctx: Any, lang: str = "en") -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.text: str = ctx.text
        self.data = language_data(lang)
        self.para_starts = [0] + [m.end() for m in re.finditer(r"\n", self.text)]
        self.cue_of: dict[int, int] = {}
        if ctx.parsed:
            for tok in ctx.cue_toks:
                subj = subject(tok)
                if subj is not None:
                    self.cue_of.setdefault(subj.i, tok.i)
        people = getattr(self.doc._, "fw_people", ()) if Doc.has_extension("fw_people") else ()
        self.role_words: dict[str, list[set[str]]] = {}
        for p in people or ():
            self.role_words[p.name] = [set(name_words(r)) for r in p.roles if name_words(r)]
        self.mentions = self._collect()
        self.starts = [m.start for m in self.mentions]
        self.roles: dict[str, bool] = {}
        people = getattr(self.doc._, "fw_people", ()) if Doc.has_extension("fw_people") else ()
        for p in people or ():
            self.roles[p.name] = bool(p.roles)
        self.genders = self._genders(people or ())

    # -------------------------------------------------------- collection

    def para_of(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def _cue_for(self, lo: int, hi: int) -> tuple[int, int]:
        """(head token index, cue verb index or -1) of the tokens in [lo, hi)."""
        toks = self.ctx.tokens(lo, hi)
        if not toks:
            return -1, -1
        for t in toks:
            if t.i in self.cue_of:
                return t.i, self.cue_of[t.i]
        # a compound or apposition whose head is the subject ("Home Secretary Yvette Cooper said"),
        # unless that head is another person's name: in "the EU's migration commissioner Magnus
        # Brunner wrote" the speaker is Brunner, not the EU
        for t in toks:
            h = t
            for _ in range(3):
                if h.dep_ in {"compound", "flat", "appos", "amod", "poss"} and h.head != h:
                    h = h.head
                    if not lo <= h.idx < hi and self.ctx.person_at(h.idx, h.idx + len(h)) is not None:
                        break
                    if h.i in self.cue_of:
                        return h.i, self.cue_of[h.i]
                else:
                    break
        root = max(toks, key=lambda t: (t.head.i < toks[0].i or t.head.i > toks[-1].i, -t.i))
        return root.i, -1

    def _collect(self) -> list[SpeakerMention]:
        ctx, doc, data = self.ctx, self.doc, self.data
        src = cues()
        out: list[SpeakerMention] = []
        taken: list[tuple[int, int]] = []
        self.body_types: dict[str, str | None] = {}  # a named body's type (organisations.json), by name

        def free(a: int, b: int) -> bool:
            return ctx.in_segment(a) is None and not any(x < b and a < y for x, y in taken)

        for start, end, name in ctx.people:
            if ctx.in_segment(start) is not None:
                continue
            head, cue = self._cue_for(start, end) if ctx.parsed else (-1, -1)
            out.append(SpeakerMention(start, end, self.text[start:end], name, "person", "name", head,
                                      cue, None, "singular"))
            taken.append((start, end))
        fullest: dict[str, str] = {}
        for start, end, name in ctx.orgs:  # a body is named as the text names it, in its fullest form
            surface = re.sub(r"(?i)^the\s+", "", self.text[start:end]).strip()
            if len(surface) > len(fullest.get(name, "")):
                fullest[name] = surface
        defined = self._acronyms()
        for start, end, label in ctx.orgs:
            surface = re.sub(r"(?i)^the\s+", "", self.text[start:end]).strip()
            label = defined.get(surface, label)
            name = fullest.get(label) or label
            if not free(start, end):
                continue
            kind = ctx.org_types.get(label)
            self.body_types.setdefault(name, kind)
            typ = "media" if kind == "media" or name.lower() in src["media_names"] else "organisation"
            head, cue = self._cue_for(start, end) if ctx.parsed else (-1, -1)
            out.append(SpeakerMention(start, end, self.text[start:end], name, typ, "org", head, cue,
                                      "neuter", "singular"))
            taken.append((start, end))
        if ctx.parsed:
            nouns, bodies = data["person_nouns"], data["body_nouns"]
            pronouns = data["pronouns"]
            for tok in ctx.toks:
                low = tok.lower_
                if tok.pos_ == "PRON" and low in pronouns and tok.dep_ in data["subject_deps"] | {"pobj"}:
                    if not free(tok.idx, tok.idx + len(tok)):
                        continue
                    gender, number = pronouns[low]
                    cue = self.cue_of.get(tok.i, -1)
                    if tok.dep_ == "pobj" and cue < 0:
                        continue
                    out.append(SpeakerMention(tok.idx, tok.idx + len(tok), tok.text, "", "pronoun",
                                              "pronoun", tok.i, cue, gender, number))
                    continue
                if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ in {"compound", "amod"}:
                    continue
                if low in {"country", "nation"} and tok.tag_ == "NN":
                    country = self._region_country(tok, out)
                    if country is not None:
                        out.append(country)
                        taken.append((country.start, country.end))
                    continue
                document = low in data["document_nouns"]
                if low not in nouns and low not in bodies and not document:
                    continue
                lo, hi = describe(doc, tok)
                a, b = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
                if not free(a, b):
                    # "a Home Office spokesperson": a person noun heads a phrase that holds a body's
                    # name; the speaker is the spokesperson, not the body
                    inner = [m for m in out if m.start < b and a < m.end]
                    head_free = not any(m.start <= tok.idx < m.end for m in inner)
                    # "the Danish Presidency of the Council of the EU", "the Immigration Section of
                    # the Rome Court": a body noun heads a phrase whose "of" part names a body; the
                    # speaker is the part, named by the whole phrase
                    part = low in bodies and all(m.start > tok.idx for m in inner) and \
                        re.match(r"\s+of\s", self.text[tok.idx + len(tok):]) is not None
                    if not ((low in nouns or part) and head_free and inner and all(m.source == "org" for m in inner)
                            and ctx.in_segment(a) is None):
                        continue
                    out = [m for m in out if m not in inner]
                    taken = [(x, y) for x, y in taken if not (x < b and a < y)]
                text = self.text[a:b]
                if not name_words(text):
                    continue
                heads = src["media_heads"]
                if low in heads:
                    typ = "media"
                elif (low in bodies or document) and low not in src["anonymous_heads"]:
                    typ = "organisation"
                else:
                    typ = "anonymous"
                number = "plural" if tok.tag_ in {"NNS", "NNPS"} else "singular"
                cue = self.cue_of.get(tok.i, -1)
                name = self._alias(tok, text, typ, a, out) if typ == "organisation" and not document else text
                if typ == "anonymous" and number == "singular":
                    name = self._described_before(tok, text, a, out) or name
                holder = self._apposed(a, b, out) if number == "singular" else None
                if holder is None and number == "singular":
                    holder = self._title_holder(text, a, out)
                if holder is not None:  # "the European parliament president": a person named before
                    out.append(SpeakerMention(a, b, text, holder, "person", "title", tok.i, cue,
                                              None, "singular"))
                else:
                    out.append(SpeakerMention(a, b, text, name, typ, "description", tok.i, cue,
                                              "neuter" if typ != "anonymous" else None, number))
                taken.append((a, b))
        out.sort(key=lambda m: m.start)
        return self._documents(out)

    def _documents(self, out: list[SpeakerMention]) -> list[SpeakerMention]:
        """A document ("the report", "a statement", "the letter") speaks with its author's voice:
        each document mention is named after its author, found once every mention of the article
        is known (in "The report prepared by the ministry" the ministry comes after the report);
        one with no author is kept only if its head is also a body noun ("the statement")."""
        docs = self.data["document_nouns"]
        bodies = self.data["body_nouns"]
        out = list(out)
        drop = set()
        for i, m in enumerate(out):
            head = self.doc[m.head] if m.source == "description" and m.head >= 0 else None
            if head is None or head.lower_ not in docs or m.type == "anonymous":
                continue
            author = self._author(head, m.start, out)
            if author is None:
                if head.lower_ not in bodies and m.type != "media":
                    drop.add(i)  # "the letter", "a note": a speaker only as its author's voice
                continue
            typ = next((x.type for x in out if x.name == author and x.type in {"person", "organisation", "media"}),
                       "organisation")
            out[i] = dataclasses.replace(m, name=author, type=typ)
        return [m for i, m in enumerate(out) if i not in drop]

    def _region_country(self, tok: Token, before: list[SpeakerMention]) -> SpeakerMention | None:
        """"the Nordic country", "the West African nation": the country named last before it,
        within `ANAPHOR_WINDOW` characters, that the region adjective can stand for
        (countries.json `regions`), as a body named as the text names it ("Denmark")."""
        from .._data import load_json

        lo, hi = describe(self.doc, tok)
        a, b = self.doc[lo].idx, tok.idx + len(tok)
        phrase = self.text[a:b]
        m = re.match(r"(?i)(?:the|this)\s+(.+?)\s+(?:country|nation)$", phrase)
        regions = load_json("countries.json")["regions"]
        if m is None or m.group(1).lower() not in regions or self.ctx.in_segment(a) is not None:
            return None
        codes = set(regions[m.group(1).lower()])
        found = getattr(self.doc._, "fw_countries", ()) if Doc.has_extension("fw_countries") else ()
        from ..countries import _gazetteers

        names = _gazetteers()[0]
        best = None
        for country in found or ():
            if country.code not in codes:
                continue
            for cm in country.mentions:
                if cm.end <= a and a - cm.end <= ANAPHOR_WINDOW and (best is None or cm.start > best[0]):
                    best = (cm.start, country)
        if best is None:
            return None
        country = best[1]
        forms = [cm.text for cm in country.mentions if cm.text in names]
        name = forms[0] if forms else country.name
        cue = self.cue_of.get(tok.i, -1)
        return SpeakerMention(a, b, phrase, name, "organisation", "description", tok.i, cue, "neuter", "singular")

    def _acronyms(self) -> dict[str, str]:
        """Abbreviations the text defines for a body it names: "the European Court of Human Rights
        (ECHR)" makes "ECHR" that court in this article, whatever else the abbreviation can stand
        for (the European Convention on Human Rights). The letters of the abbreviation must be the
        initials of the name's capitalised words, in order. Abbreviation -> the body's org label."""
        out: dict[str, str] = {}
        for m in re.finditer(r"\(([A-Z][A-Za-z]{1,9})\)", self.text):
            abbr = m.group(1)
            org = next((o for o in self.ctx.orgs if 0 <= m.start() - o[1] <= 1), None)
            if org is None or abbr in out:
                continue
            initials = "".join(w[0] for w in re.findall(r"[A-Z][\w’'-]*", self.text[org[0]:org[1]]))
            letters = "".join(ch for ch in abbr if ch.isupper())
            if letters and (letters == initials or (len(letters) >= 2 and initials.startswith(letters))):
                out[abbr] = org[2]
        return out

    def _apposed(self, a: int, b: int, found: list[SpeakerMention]) -> str | None:
        """The person whose name the description stands next to, in one noun phrase: "Immigration
        Minister Kaare Dybvad Bek", "Dybvad Bek, the minister," "the minister, Dybvad Bek,"."""
        for m in found:
            if m.type != "person":
                continue
            gap = self.text[b:m.start] if m.start >= b else self.text[m.end:a] if a >= m.end else None
            if gap is not None and re.fullmatch(r"\s{0,2}|\s*,\s*", gap) and "\n" not in gap:
                return m.name
        return None

    def _title_holder(self, text: str, start: int, before: list[SpeakerMention]) -> str | None:
        """The person named before `start` whose role the description repeats ("the minister"
        after "Interior Minister Matteo Piantedosi"), the most recent first."""
        words = set(name_words(text))
        if not words:
            return None
        earlier = sorted((m for m in before if m.type == "person" and m.start < start), key=lambda m: -m.start)
        for m in earlier:
            for role in self.role_words.get(m.name, ()):
                if role <= words or (words <= role and len(words) >= 1 and text.lower().startswith(("the ", "this "))):
                    return m.name
        return self._table_holder(text, earlier)

    def _table_holder(self, text: str, earlier: list[SpeakerMention]) -> str | None:
        """A definite description that names an office ("the new Prime Minister") and no person
        with that role in the text: the person named last before it whom the office-holder table
        gives that office (on the article's date, where known)."""
        if not re.match(r"(?i)(?:the|this)\s", text):
            return None
        from ..people import _held
        from ..roles import office_of

        office, country = office_of(re.sub(r"(?i)^(?:the|this)\s+", "", text))
        if office is None:
            return None
        day = published_date(self.doc)
        for m in earlier:
            if any(o == office and (country is None or c == country) for o, c in _held(m.name, day)):
                return m.name
        return None

    def _described_before(self, tok: Token, text: str, start: int, before: list[SpeakerMention]) -> str | None:
        """The unnamed person a definite description refers back to: "the man" after "one people
        smuggler in Erbil", "the official" after "a senior official": the most recent indefinite
        singular description of a person within `ANAPHOR_WINDOW` characters, with the same head
        noun or one that the generic head can stand for (`anaphoric_person_nouns`: "man" for any
        description but a woman's), and no named person between the two."""
        if not re.match(r"(?i)(?:the|this|that)\s", text):
            return None
        head = tok.lower_
        generic = self.data["anaphoric_person_nouns"]
        for m in sorted((m for m in before if m.start < start), key=lambda m: -m.start):
            if start - m.end > ANAPHOR_WINDOW or m.type == "person":
                return None
            if m.source != "description" or m.type != "anonymous" or m.number != "singular":
                continue
            if re.match(r"(?i)(?:the|this|that|his|her|their|its)\s", m.text):
                continue
            m_head = self.doc[m.head].lower_ if m.head >= 0 else ""
            if m_head == head:
                return m.name
            if head in generic:
                excluded = set(generic[head] or ())
                if m_head not in excluded:
                    return m.name
        return None

    def _author(self, tok: Token, start: int, before: list[SpeakerMention]) -> str | None:
        """Who issued the document `tok` heads: a body or person that owns it or is named with it
        ("the ECHR's ruling", "a note from the Danish Presidency", "an analysis published by
        Bloomberg"), else the author found for the same kind of document shortly before ("the
        ministry said in a statement ... the statement said"), else the subject of the verb that
        introduced it ("X published a report")."""
        owner = self._owner(tok, before)
        if owner is not None:
            return owner
        return self._author_before(tok, start, before)

    def _owner(self, tok: Token, before: list[SpeakerMention]) -> str | None:
        """The body or person that owns or issued the document `tok` heads, named with it."""
        doc = self.doc
        near = [t for t in tok.subtree if abs(t.i - tok.i) <= 12]
        owners = [t for t in near if t.i < tok.i and t.dep_ == "poss"]
        for t in near:  # "a note from X", "a report by X", "an analysis published by X"
            if t.i > tok.i and t.dep_ == "pobj" and t.head.lower_ in {"by", "from"} and (
                    t.head.head == tok or t.head.head.dep_ == "acl" and t.head.head.head == tok
                    and t.head.head.lemma_.lower() in self.data["authoring_verbs"]):
                owners.append(t)
        for t in owners:
            hit = [m for m in before if m.start <= t.idx < m.end and m.source in {"name", "org", "description"}
                   and m.type != "pronoun" and m.start >= doc[tok.left_edge.i].idx]
            if hit and hit[-1].name.lower() != doc[tok.left_edge.i:tok.i + 1].text.lower():
                return hit[-1].name
        return None

    def _author_before(self, tok: Token, start: int, before: list[SpeakerMention]) -> str | None:
        """The author of the same kind of document mentioned shortly before `tok` (its owner, the
        author found for it, or the subject of the verb that introduced it)."""
        lemma = tok.lemma_.lower()
        for prev in reversed([t for t in self.ctx.toks[max(0, tok.i - 300):tok.i] if t.lemma_.lower() == lemma]):
            if start - prev.idx > DOCUMENT_WINDOW:
                break
            owner = self._owner(prev, before)
            if owner is not None:
                return owner
            named = [m for m in before if m.start <= prev.idx < m.end and m.source == "description"
                     and m.name.lower() != m.text.lower()]
            if named:
                return named[-1].name
            if prev.dep_ in self.data["subject_deps"]:
                continue
            verb = prev.head
            for _ in range(3):  # "said in a statement", "issued a statement": up to the verb
                if verb.pos_ in {"VERB", "AUX"} or verb.head == verb:
                    break
                verb = verb.head
            subj = next((c for c in verb.children if c.dep_ in self.data["subject_deps"]), None)
            if subj is None:
                continue
            hit = [m for m in before if m.start <= subj.idx < m.end and m.source != "pronoun"]
            if hit:
                return hit[-1].name
        return None

    def _alias(self, tok: Token, text: str, typ: str, start: int, before: list[SpeakerMention]) -> str:
        """"the committee" after "the Home Affairs Committee": that body's name; "the statement"
        after "the ministry said in a statement": the ministry."""
        if tok.lower_ in self.data["document_nouns"]:
            author = self._author(tok, start, before)
            if author is not None:
                return author
        if not re.match(r"(?i)(?:the|this|that)\s", text):
            return text
        head = tok.lower_
        bodies = sorted((m for m in before if m.start < start and m.type in {"organisation", "media"}
                         and m.source == "org"), key=lambda m: -m.start)
        for m in bodies:
            if head in name_words(m.name) or head in m.name.lower().split():
                return m.name
        # a generic head ("the association", "the rights group", "the body") stands for the body
        # last named shortly before, whatever its name's words
        generic = self.data["anaphoric_body_nouns"]
        if head in generic:
            kinds = generic[head]
            near = [m for m in bodies if m.type == "organisation" and start - m.end <= ANAPHOR_WINDOW
                    and (kinds is None or self.body_types.get(m.name) in {*kinds, None})]
            if near:
                return near[0].name
        return text

    def _genders(self, people: Any) -> dict[str, str | None]:
        return person_genders(self.text, people, self.data["honorifics"])

    # -------------------------------------------------------- lookups

    def between(self, lo: int, hi: int) -> list[SpeakerMention]:
        i = bisect.bisect_left(self.starts, lo)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < hi:
            out.append(self.mentions[i])
            i += 1
        return out

    def antecedents(self, pron: SpeakerMention) -> list[tuple[str, str, int, bool]]:
        """(name, type, rank, gender agrees) of the entities a pronoun can refer to, most recent
        first, within `PRONOUN_WINDOW` characters before it."""
        out: list[tuple[str, str, int, bool]] = []
        seen: set[str] = set()
        for m in reversed(self.between(max(0, pron.start - PRONOUN_WINDOW), pron.start)):
            if m.source == "pronoun" or m.name in seen:
                continue
            if m.head >= 0 and self.doc[m.head].dep_ in {"compound", "amod"}:
                continue  # "the Trump administration": a name that modifies a noun refers to no one here
            if pron.gender in {"male", "female"}:
                if m.type != "person" and not (m.type == "anonymous" and m.number == "singular"):
                    continue
                g = self.genders.get(m.name) if m.type == "person" else None
                if g is not None and g != pron.gender:
                    continue
                agrees = g == pron.gender
            elif pron.gender == "neuter":
                if m.type not in {"organisation", "media"}:
                    continue
                agrees = True
            else:  # they/we: a body, a group, or (singular they) anyone
                agrees = m.type in {"organisation", "media"} or m.number == "plural"
            seen.add(m.name)
            out.append((m.name, m.type, len(out), agrees))
            if len(out) >= PRONOUN_ANTECEDENTS:
                break
        return out


def reads_as_speaker(dm: DocMentions, name: str, typ: str, source: str) -> float:
    """1 where `name` reads as a speaker (a person, a named body, a phrase headed by a person or
    body noun), 0.5 for a short name-like phrase ("The Guardian"), 0 otherwise ("a wish", "last
    night", "The decision")."""
    if not name:
        return 0.0
    words = re.findall(r"[\w’'-]+", name.lower())
    if typ == "person" or source in {"name", "org"}:
        return 1.0
    src = cues()
    nouns = dm.data["person_nouns"] | dm.data["body_nouns"] | src["media_heads"] | src["anonymous_heads"]
    if (words[-1] if words else "") in nouns or any(w in nouns for w in words[-3:]):
        return 1.0
    bare = re.sub(r"^(?:the|a|an|this|that)\s+", "", name, flags=re.I)
    if bare[:1].isupper() and len(words) <= 6 and not any(ch.isdigit() for ch in name):
        return 0.5
    return 0.0


def _window(dm: DocMentions, start: int, end: int) -> tuple[int, int]:
    p = dm.para_of(start)
    lo = dm.para_starts[max(0, p - WINDOW_BEFORE)]
    q = dm.para_of(max(start, end - 1))
    hi_p = q + 1 + WINDOW_AFTER
    hi = dm.para_starts[hi_p] if hi_p < len(dm.para_starts) else len(dm.text)
    return lo, hi


def candidates(dm: DocMentions, start: int, end: int, *, rule: tuple[str, str] | None = None,
               previous: tuple[str, str] | None = None) -> list[Candidate]:
    """Candidate speakers of the quote at [start, end): every entity mentioned near it, the
    antecedents of pronouns near it, the previous quote's speaker and the rules' reading (each
    as (name, type)), and the empty candidate (no speaker), which is always last."""
    lo, hi = _window(dm, start, end)
    by_name: dict[str, Candidate] = {}

    def add(name: str, typ: str, source: str) -> Candidate:
        for key, cand in by_name.items():
            if key == name or ((typ == cand.type or source in {"previous", "rule", "pronoun"})
                               and same_speaker(key, name)):
                return cand
        cand = by_name[name] = Candidate(name, typ, source)
        return cand

    for m in dm.between(lo, hi):
        if start <= m.start < end:
            continue
        if m.source == "pronoun":
            for name, typ, rank, agrees in dm.antecedents(m):
                cand = add(name, typ, "pronoun")
                links = cand.via.setdefault("pronouns", [])
                links.append((m, rank, agrees))
            continue
        add(m.name, m.type, m.source).mentions.append(m)
    if previous is not None and previous[0]:
        add(previous[0], previous[1], "previous").via["previous"] = True
    if rule is not None and rule[0]:
        # the rules name a speaker by its words ("the minister"); where a mention near the quote
        # has those words, the rules mean that mention's speaker ("Kaare Dybvad Bek")
        said = rule[0].strip().lower()
        near = [m for m in dm.between(lo, hi) if m.text.strip().lower() == said and m.name
                and m.name.strip().lower() != said]
        if near:
            m = min(near, key=lambda m: min(abs(m.start - start), abs(m.start - end)))
            rule = (m.name, m.type)
        add(rule[0], rule[1], "rule").via["rule"] = True
    out = list(by_name.values())
    for cand in out:
        cand.mentions.sort(key=lambda m: min(abs(m.start - start), abs(m.start - end)))
    out.append(Candidate("", "none", "none"))
    return out
