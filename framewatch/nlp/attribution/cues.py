"""Cue words and the language data of attribution, read once from `framewatch/nlp/data/`.

One list of speech and cognition verbs (`cue_verbs.json`) serves quotes, figures' claimants and
claims alike; `speakers.json` holds the speaker nouns, pronouns and parser labels, keyed by
language, so that a second language is a data file and a model rather than a rewrite.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.tokens import Token

from .._data import load_json

__all__ = ["cues", "language_data", "is_cue", "subject", "speech_forms"]


@cache
def cues() -> dict[str, frozenset[str]]:
    """Cue lemmas by class (`speech`, `cognition`, `all`, ...) and the source word lists of
    `quote_sources.json`, lower case."""
    verbs, sources = load_json("cue_verbs.json"), load_json("quote_sources.json")
    out = {k: frozenset(v) for k, v in verbs.items() if isinstance(v, list)}
    out["all"] = out["speech"] | out["cognition"]
    out.update({k: frozenset(x.lower() for x in v) for k, v in sources.items()
                if isinstance(v, list)})
    return out


@cache
def language_data(lang: str = "en") -> dict[str, Any]:
    """`speakers.json` for `lang`, with word lists as frozensets."""
    data = load_json("speakers.json")
    if lang not in data:
        raise ValueError(f"no attribution data for language {lang!r}; add it to speakers.json "
                         f"(languages: {sorted(k for k in data if not k.startswith('_'))})")
    out: dict[str, Any] = {}
    for key, value in data[lang].items():
        out[key] = frozenset(value) if isinstance(value, list) else value
    return out


@cache
def speech_forms() -> frozenset[str]:
    """Inflected surface forms of the speech verbs ("said", "says", "told", ...), for matching
    text without a parse."""
    irregular = {"say": ("said", "says", "saying"), "tell": ("told", "tells", "telling"),
                 "write": ("wrote", "writes", "written", "writing"), "think": ("thought", "thinks"),
                 "feel": ("felt", "feels"), "find": ("found", "finds"), "hold": ("held",),
                 "speak": ("spoke", "speaks"), "give": ("gave",)}
    out: set[str] = set()
    for lemma in cues()["speech"] | {"announce", "confirm", "admit", "reveal", "estimate", "explain"}:
        if lemma in irregular:
            out.update(irregular[lemma])
            continue
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        out.update({lemma + "s", stem + "ed", stem + "ing"})
    return frozenset(out)


def is_cue(tok: Token) -> bool:
    """`tok` is a speech or cognition verb, or the "according" of "according to"."""
    return tok.lemma_.lower() in cues()["all"] and tok.pos_ in {"VERB", "AUX"} or (
        tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children))


_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})


def subject(tok: Token) -> Token | None:
    """The subject of cue verb `tok`, climbing through participles and conjoined verbs
    ("Philp said, describing ...", "told the BBC ... and pledged ..."), and the noun a
    participle modifies ("Chris Philp, ... saying:", "with Chris Philp saying:"); for
    "according to X", X."""
    if tok.lower_ == "according":
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    cur: Token | None = tok
    for _ in range(4):
        if cur is None:
            return None
        subj = next((c for c in cur.children if c.dep_ in _SUBJ), None)
        if subj is not None:
            if subj.dep_ == "agent":
                subj = next((c for c in subj.children if c.dep_ == "pobj"), None)
            return subj
        if cur.tag_ == "VBG" or cur.dep_ == "acl":
            if cur.dep_ == "acl" and cur.head.pos_ in {"PROPN", "NOUN"}:
                return cur.head
            with_ = next((c for c in cur.head.children if c.lower_ == "with" and c.i < cur.i), None)
            obj = next((c for c in with_.children if c.dep_ == "pobj"), None) if with_ else None
            if obj is not None:
                return obj
        if cur.dep_ not in {"xcomp", "advcl", "conj", "pcomp"} or cur.head is cur:
            return None
        cur = cur.head
    return None
