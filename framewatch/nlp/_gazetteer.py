"""Token-sequence gazetteer shared by the country and organisation matchers.

Names are tokenised with spaCy's English tokenizer, so "UK-France" or "Britain's" split the
same way in names and texts. Matching is case-insensitive, but every capitalised letter-initial
word of a name must be capitalised in the text too ("US" never matches "us"; "the States" needs
"States"), and short all-capital names (<= 4 letters, "UK", "UNHCR") must match exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.tokens import Doc


@cache
def _tokenizer():  # type: ignore[no-untyped-def]
    return spacy.blank("en").tokenizer


# the blank tokenizer keeps every word it has split, in its own vocabulary; lookups see every
# candidate word of every article, so it is replaced once it holds this many strings
_TOKENIZER_STRINGS = 50_000


def name_tokens(name: str) -> tuple[str, ...]:
    """The tokens of `name` as spaCy's English tokenizer splits them."""
    tokenizer = _tokenizer()
    out = tuple(t.text for t in tokenizer(name) if not t.is_space)
    if len(tokenizer.vocab.strings) > _TOKENIZER_STRINGS:
        _tokenizer.cache_clear()
    return out


class Gazetteer:
    """Longest-match lookup of token sequences, each mapped to a value."""

    def __init__(self, entries: Iterable[tuple[str, object]]) -> None:
        self._table: dict[tuple[str, ...], tuple[tuple[str, ...], object]] = {}
        self.max_len = 1
        for name, value in entries:
            toks = name_tokens(name)
            if not toks:
                continue
            key = tuple(t.lower() for t in toks)
            self._table.setdefault(key, (toks, value))
            self.max_len = max(self.max_len, len(toks))
        self._first = {key[0] for key in self._table}

    def __contains__(self, name: str) -> bool:
        return tuple(t.lower() for t in name_tokens(name)) in self._table

    def get(self, name: str) -> object | None:
        hit = self._table.get(tuple(t.lower() for t in name_tokens(name)))
        return hit[1] if hit else None

    def matches(self, doc: Doc) -> Iterator[tuple[int, int, object]]:
        """Non-overlapping (start_token, end_token, value) matches, longest first, left to right."""
        # token strings once, and only positions whose word starts some name are tried: this is
        # on the hot path of every article
        lowers = [t.lower_ for t in doc]
        texts = [t.text for t in doc]
        i, n = 0, len(lowers)
        while i < n:
            found = None
            if lowers[i] in self._first:
                for size in range(min(self.max_len, n - i), 0, -1):
                    hit = self._table.get(tuple(lowers[i : i + size]))
                    if hit and _case_ok(hit[0], texts[i : i + size]):
                        found = (i, i + size, hit[1])
                        break
            if found:
                yield found
                i = found[1]
            else:
                i += 1


def _case_ok(name: tuple[str, ...], texts: list[str]) -> bool:
    for want, text in zip(name, texts):
        if want.isupper() and len(want.strip(".")) <= 4 and any(c.isalpha() for c in want):
            if text != want:
                return False
        elif want[:1].isupper() and not text[:1].isupper():
            return False
    return True
