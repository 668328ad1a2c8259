"""Quote provenance: the same quote wherever it is printed, where it first appeared, who changed it.

A quote is compared through its *keys*: its words case-folded, contractions split, pronouns and
auxiliaries reduced to a class (so "we will" in a direct quote meets "they would" in reported
speech) and other words stripped of one suffix (`data/quote_forms.json`, per language).
Printings with the same keys are one *form*, so a syndicated copy costs a dictionary lookup.
Two forms become candidates when they share a word 3-gram that is not all stop words, found in
a sorted inverted index of 3-gram hashes; a 3-gram held by more than `max_postings` forms is a
stock phrase and proposes nothing. A new form weighs at most `max_candidates` of its candidates,
those sharing the largest share of its 3-grams, so the work per quote stays bounded as the index
grows; a pair whose longest common subsequence (rapidfuzz) is too short to pass is dropped
unaligned. Each remaining pair is aligned word by word (difflib) and kept when runs of two or more aligned words cover `min_cover` of the shorter quote, and of its
content words. Clusters are the connected forms (union-find): a printing that joins two quotes
into one, or a split quote beside its whole, links them.

Why not MinHash LSH, as `framewatch.corpus.dedup` uses for articles: a MinHash signature
estimates the Jaccard similarity of two sets, and a truncated or split quote has a small Jaccard
similarity with its whole (8 of 40 3-grams: 0.2) while being contained in it. Quotes are short,
so the exact 3-gram index costs about as much memory as a banded signature index would
(a few dozen postings per quote) and finds every containment. `benchmarks/quote_clusters.py`
measures both on the gold set.

`quotes` is a DataFrame with article_id, text, kind, start, end, speaker, outlet, published, url;
adding the next day's quotes compares only them against the index:

>>> qc = QuoteClusterer()                 # doctest: +SKIP
>>> qc.add(quotes)                        # doctest: +SKIP
>>> qc.add(todays_quotes)                 # doctest: +SKIP
>>> qc.result().members                   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.distance import LCSseq

KINDS = ("direct", "indirect")
MIN_WORDS = 4  # the guideline's direct quote; shorter partial quotes are stock phrases
SHINGLE = 3
MAX_POSTINGS = 64
MAX_CANDIDATES = 16  # others a new form is weighed against, most 3-grams shared first
MIN_SHARED = 2  # 3-grams two candidates share (all of them, for a quote with fewer)
SHARED_SHARE = 0.2  # ... and this share of the smaller one's
MIN_COVER = 0.6
MIN_CONTENT_COVER = 0.6
MIN_RUN = 2
MIN_CONTENT = 3  # "Rwanda is a safe country" and "France is a safe country" share two
# reported speech is the reporter's words: two reported quotes, or a reported one and a quote,
# need a longer aligned stretch ("the UK-France migrant deal is working" / "The UK-France deal is ...")
LONG_RUN = 10
REPORTED_MIN_MATCH = 5
REPORTED_MIN_COVER = 0.75
ALTERATIONS = ("truncated", "extended", "words dropped", "words added", "words changed", "reported speech",
               "split", "other part")
MEMBER_COLUMNS = ["cluster", "article_id", "outlet", "published", "speaker", "kind", "text", "start", "end",
                  "first", "altered", "alteration", "dropped", "added", "changed", "similarity", "url", "cluster_speaker",
                  "speaker_agrees", "stance"]
CLUSTER_COLUMNS = ["cluster", "canonical", "speaker", "articles", "outlets", "members", "altered", "first_article_id",
                   "first_outlet", "first_published", "first_url", "last_published", "days", "undated", "outlet_list",
                   "alterations", "speaker_disagreements"]
_WORD = re.compile(r"\w+(?:'\w+)*")
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


# ---------------------------------------------------------------- words

@dataclass(frozen=True, slots=True)
class _Forms:
    contractions: tuple[tuple[str, str], ...]
    whole: dict[str, tuple[str, ...]]
    classes: dict[str, str]
    suffixes: tuple[str, ...]
    min_stem: int
    stop: frozenset[str]
    honorifics: frozenset[str]


@cache
def _forms(language: str = "en") -> _Forms:
    data = json.loads(resources.files("framewatch.reports").joinpath("data/quote_forms.json").read_text("utf-8"))
    if language not in data:
        raise ValueError(f"no quote word forms for language {language!r} in data/quote_forms.json; "
                         f"known: {', '.join(k for k in data if not k.startswith('_'))}")
    d = data[language]
    classes = {w: cls for cls, words in d["classes"].items() for w in words}
    return _Forms(tuple(sorted(d["contractions"].items(), key=lambda kv: -len(kv[0]))),
                  {k: tuple(v) for k, v in d["whole"].items()}, classes, tuple(d["suffixes"]), int(d["min_stem"]),
                  frozenset(d["stop"]), frozenset(d["honorifics"]))


def _key(word: str, f: _Forms) -> str:
    if word in f.classes:
        return f.classes[word]
    for suf in f.suffixes:
        if word.endswith(suf) and len(word) - len(suf) >= f.min_stem:
            return word[: -len(suf)]
    return word


@lru_cache(maxsize=500_000)
def _word_keys(word: str, language: str) -> tuple[str, ...]:
    """The keys of one printed word (a contraction gives two)."""
    f = _forms(language)
    w = word.casefold()
    if w in f.whole:
        parts: Sequence[str] = f.whole[w]
    else:
        parts = [w]
        if "'" in w:
            for suf, full in f.contractions:
                if w.endswith(suf) and len(w) > len(suf):
                    parts = [w[: -len(suf)]] + ([full] if full else [])
                    break
    return tuple(_key(p, f) for p in parts)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_APOS)


def words(text: str, language: str = "en") -> list[tuple[str, str, int]]:
    """The comparison keys of `text`: (surface word, key, index of the surface word) per key.

    >>> [k for _, k, _ in words("We won't stop, they'd arrived")]
    ['<i>', '<will>', 'not', 'stop', '<i>', '<will>', 'arriv']
    """
    return [(w, k, i) for i, w in enumerate(_WORD.findall(_normalise(text))) for k in _word_keys(w, language)]


def keys(text: str, language: str = "en") -> list[str]:
    """Just the keys of `text` (what the index compares)."""
    return [k for w in _WORD.findall(_normalise(text)) for k in _word_keys(w, language)]


def _hash64(values: np.ndarray) -> int:
    return int.from_bytes(hashlib.blake2b(values.tobytes(), digest_size=8).digest(), "little")


# ---------------------------------------------------------------- alignment

@dataclass(frozen=True, slots=True)
class Match:
    """How two quotes line up: aligned words, and their share of the shorter quote (all words
    and content words)."""

    matched: int
    cover: float
    content_cover: float
    content_matched: int = 0
    content_words: int = 0
    longest: int = 0

    def accepts(self, min_cover: float = MIN_COVER, min_content_cover: float = MIN_CONTENT_COVER, *,
                short_is_quote: bool = True, reported: bool = False) -> bool:
        """Whether two printings are one quote.

        Runs of two or more aligned words cover `min_cover` of the shorter printing and of its
        content words; the evidence is `MIN_CONTENT` aligned content words ("I just don't
        believe it" shares one with many a quote), or the whole shorter printing when it is a
        quoted phrase ("there is a showdown to be had"); or a verbatim run of `LONG_RUN` words,
        whatever else either printing adds (one statement quoted as sentences 1+2 in one outlet and
        1+3 in another). Reported speech is the reporter's
        wording, so a pair with a printing never quoted directly needs `REPORTED_MIN_MATCH`
        aligned words and `REPORTED_MIN_COVER` of the shorter one, or twice the words when less
        of it lines up ("the UK-France migrant deal is working" is not "The UK-France deal is ...").
        """
        if self.longest >= LONG_RUN and self.content_matched >= MIN_CONTENT:
            return True  # a long verbatim stretch: two printings that each add their own sentences
        if self.matched == 0 or self.cover < min_cover or self.content_cover < min_content_cover:
            return False
        if self.content_matched < MIN_CONTENT and not (short_is_quote and self.cover >= 1.0):
            return False
        if reported:
            return self.matched >= REPORTED_MIN_MATCH and (
                self.cover >= max(REPORTED_MIN_COVER, min_cover) or self.matched >= 2 * REPORTED_MIN_MATCH - 2)
        return True


def align(a: Sequence[Any], b: Sequence[Any], stop: Iterable[Any] = ()) -> Match:
    """Align two key sequences: runs of `MIN_RUN`+ equal keys, as a share of the shorter one.

    A run of one word is chance ("the", "France"); two quotes of the same words in another order
    are another quote.
    """
    if not a or not b:
        return Match(0, 0.0, 0.0)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [bl for bl in sm.get_matching_blocks() if bl.size >= min(MIN_RUN, len(a), len(b))]
    matched = sum(bl.size for bl in blocks)
    short, is_a = (a, True) if len(a) <= len(b) else (b, False)
    need = min(MIN_WORDS, len(short))
    if matched < need:
        return Match(matched, matched / len(short), 0.0)
    stop = set(stop)
    covered = np.zeros(len(short), dtype=bool)
    for bl in blocks:
        s = bl.a if is_a else bl.b
        covered[s:s + bl.size] = True
    content = np.array([k not in stop for k in short], dtype=bool)
    cc = float(covered[content].mean()) if content.any() else 1.0
    return Match(matched, matched / len(short), cc, int(covered[content].sum()), int(content.sum()),
                 max((bl.size for bl in blocks), default=0))


# ---------------------------------------------------------------- the index

class QuoteClusterer:
    """Incremental quote clustering (see the module docstring).

    `add` takes the quotes of new articles (a DataFrame with `article_id, text, kind, start, end`
    and optionally `speaker, outlet, published, url, stance`); quotes of an article already
    added are ignored, so adding an overlapping batch is safe. `result` builds the clusters.
    Results depend only on the quotes and the order they were added in.
    """

    def __init__(self, *, language: str = "en", min_cover: float = MIN_COVER,
                 min_content_cover: float = MIN_CONTENT_COVER, max_postings: int = MAX_POSTINGS,
                 max_candidates: int = MAX_CANDIDATES) -> None:
        self.language = language
        self.max_candidates = max_candidates
        self.min_cover = min_cover
        self.min_content_cover = min_content_cover
        self.max_postings = max_postings
        f = _forms(language)
        self._vocab: dict[str, int] = {}
        self._stop_ids: set[int] = set()
        self._stop_words = f.stop
        self._form_keys: list[np.ndarray] = []
        self._form_of: dict[int, int] = {}
        self._n_shingles: list[int] = []
        self._direct: list[bool] = []  # the form was printed as a direct quote somewhere
        self._parent: list[int] = []
        # the inverted index: sorted runs of (3-gram hash, form), merged like a log-structured tree
        # (a new run is merged into the last while it is at least half its size), so adding
        # articles a batch at a time costs O(n log n) in all, not a re-sort of everything per batch
        self._segments: list[tuple[np.ndarray, np.ndarray]] = []
        self._members: list[pd.DataFrame] = []
        self._articles: set[str] = set()
        self.weighed = 0  # candidate pairs weighed, after the caps (for benchmarks)
        self.comparisons = 0  # ... and of those, pairs aligned word by word
        self.versions: list[str] = []  # the pipeline versions whose quotes the index holds

    # -- keys and forms ----------------------------------------------------------------------
    def _ids(self, keys: Sequence[str]) -> np.ndarray:
        out = np.empty(len(keys), dtype=np.int32)
        for i, k in enumerate(keys):
            v = self._vocab.get(k)
            if v is None:
                v = self._vocab[k] = len(self._vocab)
                if k in self._stop_words:
                    self._stop_ids.add(v)
            out[i] = v
        return out

    def _shingles(self, forms: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct 3-gram hashes of these forms that are not all stop words: (hashes, form
        of each, count per form), for a whole batch at once."""
        if not forms:
            z = np.zeros(0, dtype=np.uint32)
            return z, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        seqs = [self._form_keys[f] for f in forms]
        ids = np.concatenate(seqs).astype(np.uint64)
        owner = np.repeat(np.arange(len(forms)), [len(x) for x in seqs])
        stop = np.isin(ids, np.fromiter(self._stop_ids, dtype=np.uint64, count=len(self._stop_ids)))
        n = len(ids) - SHINGLE + 1
        if n <= 0:
            z = np.zeros(0, dtype=np.uint32)
            return z, np.zeros(0, dtype=np.int32), np.zeros(len(forms), dtype=np.int64)
        same = owner[:n] == owner[SHINGLE - 1:]
        informative = ~(stop[:n] & stop[1:n + 1] & stop[2:n + 2])
        ok = same & informative
        with np.errstate(over="ignore"):  # a multiplicative hash of the three word ids, wrapping
            h = (ids[:n] * np.uint64(0x9E3779B97F4A7C15) ^ ids[1:n + 1] * np.uint64(0xC2B2AE3D27D4EB4F)
                 ^ ids[2:n + 2] * np.uint64(0x165667B19E3779F9))
        h = ((h ^ (h >> np.uint64(32))) & np.uint64(0xFFFFFFFF))[ok]
        who = owner[:n][ok].astype(np.int64)
        code = np.unique((who << 32) | h.astype(np.int64))
        who, h = code >> 32, (code & 0xFFFFFFFF).astype(np.uint32)
        per = np.bincount(who, minlength=len(forms))
        return h, np.asarray(forms, dtype=np.int32)[who], per

    def _find(self, x: int) -> int:
        parent = self._parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:  # the older form stays the root: ids follow the order quotes arrived in
            self._parent[max(ra, rb)] = min(ra, rb)

    # -- adding ------------------------------------------------------------------------------
    def add(self, quotes: pd.DataFrame) -> int:
        """Add the quotes of articles not added before; returns how many quotes were added."""
        q = eligible(quotes)
        q = q[[a not in self._articles for a in q["article_id"].tolist()]]  # per row: the set grows
        if q.empty:
            return 0
        new_forms: list[int] = []
        form_col = np.empty(len(q), dtype=np.int64)
        n_before = len(self._form_keys)
        keep = np.ones(len(q), dtype=bool)
        for i, (text, kind) in enumerate(zip(q["text"].tolist(), q["kind"].tolist())):
            ks = keys(text, self.language)
            if len(ks) < MIN_WORDS:
                keep[i] = False
                continue
            ids = self._ids(ks)
            h = _hash64(ids)
            fid = self._form_of.get(h)
            if fid is None:
                fid = self._form_of[h] = len(self._form_keys)
                self._form_keys.append(ids)
                self._parent.append(fid)
                self._direct.append(False)
                new_forms.append(fid)
            form_col[i] = fid
            if kind == "direct":
                self._direct[fid] = True
        q = q.assign(form=form_col)[keep]
        self._articles.update(q["article_id"].unique().tolist())
        self._members.append(q)
        if new_forms:
            hs, fs, per = self._shingles(new_forms)
            self._n_shingles.extend(per.tolist())
            self._link(hs, fs, n_before)
            self._insert(hs, fs)
        return len(q)

    def _candidates(self, hs: np.ndarray, fs: np.ndarray, n_before: int) -> np.ndarray:
        """Pairs (older form, newer form) sharing a 3-gram, with the number of 3-grams shared, as
        an int64 array of shape (n, 3). New forms meet old forms and each other; through any one
        3-gram a new form meets at most `max_postings` others, the oldest, so a stock phrase costs
        a bounded amount per quote and a much reprinted quote still meets its first printings."""
        cap = self.max_postings
        order = np.argsort(hs, kind="stable")
        hs, fs = hs[order], fs[order]
        uniq, start, count = np.unique(hs, return_index=True, return_counts=True)
        pairs: list[np.ndarray] = []
        taken = np.zeros(len(uniq), dtype=np.int64)
        # new x old, oldest run first (within a run, equal hashes are in form order)
        for seg_h, seg_f in self._segments:
            lo = np.searchsorted(seg_h, uniq, "left")
            seg_n = np.minimum(np.searchsorted(seg_h, uniq, "right") - lo, cap - taken)
            taken += seg_n
            sel = np.nonzero(seg_n > 0)[0]
            if not len(sel):
                continue
            reps = (seg_n[sel] * count[sel]).astype(np.int64)
            g = np.repeat(sel, reps)
            offs = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
            on = seg_n[g]
            pairs.append(np.stack([seg_f[lo[g] + offs % on].astype(np.int64), fs[start[g] + offs // on].astype(np.int64)], 1))
        # new x new: the j-th new posting of a 3-gram meets the first min(j, room left) before it
        room = cap - taken
        sel = np.nonzero((count > 1) & (room > 0))[0]
        if len(sel):
            c, r = count[sel], room[sel]
            owner = np.repeat(np.arange(len(sel)), c)
            j = np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c)
            reps = np.minimum(j, r[owner])
            g = np.repeat(owner, reps)
            jj = np.repeat(j, reps)
            i = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
            base = start[sel][g]
            a_, b_ = fs[base + i].astype(np.int64), fs[base + jj].astype(np.int64)
            pairs.append(np.stack([np.minimum(a_, b_), np.maximum(a_, b_)], 1))
        if not pairs:
            return np.zeros((0, 3), dtype=np.int64)
        p = np.concatenate(pairs)
        p = p[p[:, 0] != p[:, 1]]
        n = np.int64(len(self._form_keys))
        code, shared = np.unique(p[:, 0] * n + p[:, 1], return_counts=True)
        return np.stack([code // n, code % n, shared], 1)

    def _link(self, hs: np.ndarray, fs: np.ndarray, n_before: int) -> None:
        cand = self._candidates(hs, fs, n_before)
        if not len(cand):
            return
        nsh = np.asarray(self._n_shingles, dtype=np.int64)
        smaller = np.minimum(nsh[cand[:, 0]], nsh[cand[:, 1]])
        # a pair worth aligning shares a fair part of the smaller one's 3-grams (a quote of 20
        # words that lines up for 60% shares several); a single shared 3-gram of two long quotes is chance
        keep = cand[:, 2] >= np.maximum(np.minimum(MIN_SHARED, smaller), np.ceil(SHARED_SHARE * smaller))
        cand, share = cand[keep], cand[keep, 2] / np.maximum(smaller[keep], 1)
        # each new form weighs at most `max_candidates` others, those sharing the largest share of
        # 3-grams (a reprint shares most of them, chance neighbours a few), so the work per quote
        # stays bounded however large the index grows
        order = np.lexsort((-share, cand[:, 1]))
        cand = cand[order]
        first = np.r_[0, np.flatnonzero(np.diff(cand[:, 1])) + 1]
        rank = np.arange(len(cand)) - np.repeat(first, np.diff(np.r_[first, len(cand)]))
        cand = cand[rank < self.max_candidates]
        stop = self._stop_ids
        self.weighed += len(cand)
        for a, b, _ in cand.tolist():
            if self._find(a) == self._find(b):
                continue
            ka, kb = self._form_keys[a], self._form_keys[b]
            la, lb = ka.tolist(), kb.tolist()
            # the longest common subsequence bounds what the alignment can match: a pair it rules
            # out is never aligned (the same decisions, at a microsecond a pair)
            if LCSseq.similarity(la, lb) < min(LONG_RUN, self.min_cover * min(len(la), len(lb))):
                continue
            self.comparisons += 1
            m = align(la, lb, stop)
            short = a if len(ka) <= len(kb) else b
            if m.accepts(self.min_cover, self.min_content_cover, short_is_quote=self._direct[short],
                         reported=not (self._direct[a] and self._direct[b])):
                self._union(a, b)

    def _insert(self, hs: np.ndarray, fs: np.ndarray) -> None:
        order = np.argsort(hs, kind="stable")
        self._segments.append((hs[order], fs[order]))
        while len(self._segments) > 1 and len(self._segments[-2][0]) <= 2 * len(self._segments[-1][0]):
            (h1, f1), (h2, f2) = self._segments[-2], self._segments[-1]
            h, f = np.concatenate([h1, h2]), np.concatenate([f1, f2])
            order = np.argsort(h, kind="stable")  # two sorted runs: a linear merge
            self._segments[-2:] = [(h[order], f[order])]

    def _postings(self) -> tuple[np.ndarray, np.ndarray]:
        if not self._segments:
            return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int32)
        h = np.concatenate([x for x, _ in self._segments])
        f = np.concatenate([y for _, y in self._segments])
        order = np.argsort(h, kind="stable")
        return h[order], f[order]

    # -- state -------------------------------------------------------------------------------
    @property
    def forms(self) -> int:
        return len(self._form_keys)

    def nbytes(self) -> int:
        """Approximate memory held by the index's arrays (postings, form keys), in bytes."""
        return int(sum(h.nbytes + f.nbytes for h, f in self._segments) + sum(k.nbytes for k in self._form_keys))

    def save(self, folder: str | Path) -> None:
        """Write the index to `folder` (Parquet and NumPy files, no pickles) for `load`."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self._vocab, key=self._vocab.__getitem__)
        lengths = np.array([len(k) for k in self._form_keys], dtype=np.int64)
        keys = np.concatenate(self._form_keys) if self._form_keys else np.zeros(0, dtype=np.int32)
        post_h, post_f = self._postings()
        np.savez(out / "index.npz", post_h=post_h, post_f=post_f, keys=keys, lengths=lengths,
                 parent=np.asarray(self._parent, dtype=np.int64), n_shingles=np.asarray(self._n_shingles, dtype=np.int64),
                 direct=np.asarray(self._direct, dtype=bool))
        meta = {"language": self.language, "min_cover": self.min_cover, "min_content_cover": self.min_content_cover,
                "max_postings": self.max_postings,
                "max_candidates": self.max_candidates, "versions": self.versions, "vocab": vocab}
        (out / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        members = pd.concat(self._members, ignore_index=True) if self._members else pd.DataFrame()
        _text_columns(members).to_parquet(out / "members.parquet", index=False)

    @classmethod
    def load(cls, folder: str | Path) -> QuoteClusterer:
        """An index written by `save`; `add` then continues from it."""
        src = Path(folder)
        try:
            meta = json.loads((src / "index.json").read_text("utf-8"))
            arrays = np.load(src / "index.npz")
            members = pd.read_parquet(src / "members.parquet")
        except (OSError, ValueError, KeyError) as exc:
            raise ValueError(f"{src} is not a quote index written by QuoteClusterer.save: {exc}") from None
        qc = cls(language=meta["language"], min_cover=meta["min_cover"], min_content_cover=meta["min_content_cover"],
                 max_postings=meta["max_postings"], max_candidates=meta.get("max_candidates", MAX_CANDIDATES))
        qc.versions = list(meta.get("versions", []))
        for w in meta["vocab"]:
            qc._ids([w])
        bounds = np.cumsum(arrays["lengths"])
        qc._form_keys = [k.astype(np.int32) for k in np.split(arrays["keys"], bounds[:-1])] if len(bounds) else []
        qc._form_of = {_hash64(k): i for i, k in enumerate(qc._form_keys)}
        qc._parent = arrays["parent"].tolist()
        qc._n_shingles = arrays["n_shingles"].tolist()
        qc._direct = arrays["direct"].tolist()
        qc._segments = [(arrays["post_h"].astype(np.uint32), arrays["post_f"].astype(np.int32))]
        if len(members):
            members["published"] = members["published"].where(members["published"].notna(), None)
            qc._members = [members]
            qc._articles = set(members["article_id"])
        return qc

    # -- clusters ----------------------------------------------------------------------------
    def result(self) -> QuoteClusters:
        """The clusters that hold quotes from two or more articles."""
        empty = QuoteClusters(pd.DataFrame(columns=MEMBER_COLUMNS), pd.DataFrame(columns=CLUSTER_COLUMNS))
        if not self._members:
            return empty
        m = pd.concat(self._members, ignore_index=True)
        parent = np.asarray(self._parent, dtype=np.int64)
        while True:  # every form's root, all at once
            up = parent[parent]
            if (up == parent).all():
                break
            parent = up
        root = parent[m["form"].to_numpy(dtype=np.int64)]
        spread = pd.Series(m["article_id"].to_numpy()).groupby(root).nunique()
        keep = np.isin(root, spread.index[spread.to_numpy() >= 2])
        if not keep.any():
            return empty
        idx = np.nonzero(keep)[0]
        idx = idx[np.argsort(root[idx], kind="stable")]
        cols = {c: m[c].tolist() for c in ("article_id", "text", "kind", "start", "end", "speaker", "outlet",
                                           "published", "url", "stance", "form")}
        cols["published"] = [p if isinstance(p, str) else None for p in cols["published"]]
        bounds = np.nonzero(np.diff(root[idx]))[0] + 1
        summaries = []
        cache: dict[tuple[str, str, bool], Diff] = {}
        for group in np.split(idx, bounds):
            recs = [{c: cols[c][i] for c in cols} | {"order": int(i)} for i in group]
            computed, summ = _describe(recs, self, cache)
            summaries.append((summ, group, computed))
        # clusters numbered by first appearance: dated ones by date, then the order they came in
        summaries.sort(key=lambda x: (x[0]["first_published"] or "9999-99-99", x[0]["_order"]))
        clusters, rows, numbers = [], [], []
        out: dict[str, list[Any]] = {c: [] for c in _COMPUTED}
        for n, (summ, group, computed) in enumerate(summaries, start=1):
            rows.append(group)
            numbers.append(np.full(len(group), n))
            for c in _COMPUTED:
                out[c].extend(computed[c])
            clusters.append({**{k: v for k, v in summ.items() if not k.startswith("_")}, "cluster": n})
        at = np.concatenate(rows)
        mem = m.iloc[at][["article_id", "outlet", "speaker", "kind", "text", "start", "end", "url", "stance"]]
        mem = mem.reset_index(drop=True).assign(cluster=np.concatenate(numbers),
                                                published=[cols["published"][i] for i in at], **out)
        mem = mem[MEMBER_COLUMNS].astype({"start": "int64", "end": "int64", "first": bool, "altered": bool})
        mem = mem.sort_values(["cluster", "published", "article_id", "start"], na_position="last", kind="stable")
        return QuoteClusters(mem.reset_index(drop=True), pd.DataFrame(clusters, columns=CLUSTER_COLUMNS))


_COMPUTED = ("first", "altered", "alteration", "dropped", "added", "changed", "similarity", "cluster_speaker",
             "speaker_agrees")


def _text_columns(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in ("published",):
        if c in out:
            out[c] = out[c].map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
    return out


def eligible(quotes: pd.DataFrame) -> pd.DataFrame:
    """The quotes that can be clustered: direct and indirect quotes, less an indirect quote that
    holds a direct quote of its article (the reporter's sentence around it), with the columns
    the clusterer reads (missing ones empty)."""
    q = quotes.copy()
    for c in ("speaker", "outlet", "published", "url", "stance"):
        if c not in q:
            q[c] = None
    q = q[q["kind"].isin(KINDS) & q["text"].notna()]
    if q.empty:
        return q[["article_id", "text", "kind", "start", "end", "speaker", "outlet", "published", "url", "stance"]]
    direct = q[q["kind"] == "direct"]
    spans = defaultdict(list)
    for a, s, e in zip(direct["article_id"], direct["start"], direct["end"]):
        spans[a].append((int(s), int(e)))
    drop = []
    for idx, a, s, e, k in zip(q.index, q["article_id"], q["start"], q["end"], q["kind"]):
        if k == "indirect":
            s, e = int(s), int(e)
            if any(min(e, de) - max(s, ds) >= 0.5 * (de - ds) for ds, de in spans.get(a, ())):
                drop.append(idx)
    q = q.drop(index=drop)
    q["published"] = [None if p is None or (not isinstance(p, str) and pd.isna(p)) else str(pd.Timestamp(p).date())
                      for p in q["published"]]
    return q[["article_id", "text", "kind", "start", "end", "speaker", "outlet", "published", "url", "stance"]]


# ---------------------------------------------------------------- describing a cluster

@dataclass(frozen=True, slots=True)
class Diff:
    """A printing against the canonical text, word by word."""

    dropped: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[tuple[str, str], ...] = ()
    labels: tuple[str, ...] = ()
    similarity: float = 1.0
    span: tuple[int, int] = (0, 0)  # the canonical words (key positions) this printing lines up with

    @property
    def altered(self) -> bool:
        return bool(self.dropped or self.added or self.changed or self.labels)


def diff(canonical: str, text: str, *, language: str = "en", reported: bool = False) -> Diff:
    """What `text` drops, adds and changes against `canonical` (word runs, as printed), and what
    kind of alteration that is (`ALTERATIONS`). Case and punctuation are not alterations.

    >>> d = diff("We will not stop until the gangs are gone.", "They would not stop until the gangs are gone")
    >>> d.changed, d.labels
    ((('We will', 'They would'),), ('words changed', 'reported speech'))
    """
    f = _forms(language)
    ca, tb = words(canonical, language), words(text, language)
    a, b = [k for _, k, _ in ca], [k for _, k, _ in tb]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ops = sm.get_opcodes()

    def run(toks: list[tuple[str, str, int]], i: int, j: int) -> str:
        seen, out = set(), []
        for surface, _, w in toks[i:j]:
            if w not in seen:
                seen.add(w)
                out.append(surface)
        return " ".join(out)

    dropped, added, changed, labels = [], [], [], set()
    equal = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    eq = [(i1, i2) for tag, i1, i2, _, _ in ops if tag == "equal"]
    span = (eq[0][0], eq[-1][1]) if eq else (0, 0)
    if b and equal < 0.3 * len(b):
        return Diff(labels=("other part",), similarity=round(sm.ratio(), 4), span=span)
    last = len(ops) - 1
    class_shift = False
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        edge = n == 0 or n == last
        if tag == "delete":
            dropped.append(run(ca, i1, i2))
            labels.add("truncated" if edge else "words dropped")
        elif tag == "insert":
            added.append(run(tb, j1, j2))
            labels.add("extended" if edge else "words added")
        elif tag == "replace" and n == last and j2 - j1 == 1 and ca[i1][0].casefold().startswith(tb[j1][0].casefold()):
            dropped.append(run(ca, i1, i2))  # cut off mid-word: "... regain c"
            labels.add("truncated")
        elif tag == "replace":
            changed.append((run(ca, i1, i2), run(tb, j1, j2)))
            labels.add("words changed")
        else:  # equal keys; the words may still differ (we -> they, arrive -> arrived)
            k = 0
            while k < i2 - i1:
                if ca[i1 + k][0].casefold() != tb[j1 + k][0].casefold():
                    s = k
                    while k < i2 - i1 and ca[i1 + k][0].casefold() != tb[j1 + k][0].casefold():
                        k += 1
                    changed.append((run(ca, i1 + s, i1 + k), run(tb, j1 + s, j1 + k)))
                    labels.add("words changed")
                    class_shift |= any(a[i1 + x] in f.classes.values() for x in range(s, k))
                else:
                    k += 1
    if reported or class_shift:
        labels.add("reported speech")
    order = {lab: i for i, lab in enumerate(ALTERATIONS)}
    return Diff(tuple(dropped), tuple(added), tuple(changed), tuple(sorted(labels, key=order.__getitem__)),
                round(sm.ratio(), 4), span)


def _name_key(name: Any, f: _Forms) -> tuple[str, ...] | None:
    if not isinstance(name, str) or not name.strip():
        return None
    toks = [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", name).translate(_APOS))]
    toks = [t for t in toks if t not in f.honorifics]
    return tuple(toks) or None


def _same_speaker(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """'Starmer' is 'Keir Starmer' (the shorter name's words in the longer, last words equal);
    'Home Office' is 'a Home Office spokesperson' (two or more words, in a row, in the longer)."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short[-1] == long_[-1] and set(short) <= set(long_):
        return True
    n = len(short)
    return n >= 2 and any(long_[i:i + n] == short for i in range(len(long_) - n + 1))


def speaker_vote(speakers: Sequence[Any], articles: Sequence[str], language: str = "en") -> tuple[str | None, list[bool | None]]:
    """The cluster's majority speaker (one vote per article and name; at least two votes and
    more than any other name) and, per member, whether its speaker agrees with it (None: the
    member names no speaker, or there is no majority)."""
    f = _forms(language)
    keys = [_name_key(s, f) for s in speakers]
    groups: list[tuple[str, ...]] = []
    group_of: list[int | None] = []
    votes: Counter[int] = Counter()
    voted: set[tuple[int, str]] = set()
    # longer names first, so "Starmer" joins "Keir Starmer" rather than founding its own group
    for k in sorted({k for k in keys if k}, key=lambda k: (-len(k), k)):
        for gi, g in enumerate(groups):
            if _same_speaker(k, g):
                break
        else:
            groups.append(k)
    for k, art in zip(keys, articles):
        gi = next((i for i, g in enumerate(groups) if k and _same_speaker(k, g)), None)
        group_of.append(gi)
        if gi is not None and (gi, art) not in voted:
            voted.add((gi, art))
            votes[gi] += 1
    ranked = votes.most_common()
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None, [None] * len(speakers)
    top = ranked[0][0]
    names = Counter(s for s, gi in zip(speakers, group_of) if gi == top)
    # the commonest printing; then the fullest name, with the fewest titles
    display = sorted(names, key=lambda s: (-names[s], -len(_name_key(s, f) or ()), len(s), s))[0]
    return display, [None if gi is None else gi == top for gi in group_of]


def _describe(recs: list[dict[str, Any]], qc: QuoteClusterer,
              cache: dict[tuple[str, str, bool], Diff]) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """Canonical text, first appearance, diffs and the speaker vote of one cluster's printings."""
    counts = Counter(r["form"] for r in recs)
    direct_forms = {r["form"] for r in recs if r["kind"] == "direct"}
    ranked = sorted(counts, key=lambda f: (-counts[f], -len(qc._form_keys[f]), f))
    cands = [f for f in ranked if f in direct_forms][:20] or ranked[:20]
    others = ranked[:50]

    def score(f: int) -> float:
        """How much of every printing this form holds: the fullest version that the others
        were cut or changed from scores highest; a repeated form breaks near-ties."""
        a = qc._form_keys[f].tolist()
        total = 0.5 * counts[f]
        for o in others:
            b = qc._form_keys[o].tolist()
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            total += counts[o] * sum(bl.size for bl in sm.get_matching_blocks() if bl.size >= MIN_RUN) / len(b)
        return total

    best = max(cands, key=lambda f: (round(score(f), 6), counts[f], len(qc._form_keys[f]), -f)) if len(cands) > 1 else cands[0]
    by_date = sorted(recs, key=lambda r: (r["published"] is None, r["published"] or "", r["order"]))
    canon = next(r for r in by_date if r["form"] == best)
    canonical, canon_kind = str(canon["text"]), canon["kind"]
    dated = [r for r in by_date if r["published"] is not None]
    first = dated[0] if dated else None
    diffs = []
    for r in recs:
        key = (canonical, r["text"], r["kind"] == "indirect" and canon_kind == "direct")
        d = cache.get(key)
        if d is None:
            d = cache[key] = diff(canonical, r["text"], language=qc.language, reported=key[2])
        diffs.append(d)
    # a split quote: one article prints different parts of the canonical text as two quotes
    per_article = defaultdict(list)
    for i, r in enumerate(recs):
        per_article[r["article_id"]].append((i, *diffs[i].span))
    split = set()
    for items in per_article.values():
        if len(items) > 1:
            for i, s, e in items:
                if e > s and any(j != i and e2 > s2 and (e2 <= s or s2 >= e) for j, s2, e2 in items):
                    split.add(i)
    rank = {x: n for n, x in enumerate(ALTERATIONS)}
    labels = []
    for i, d in enumerate(diffs):
        lab = list(d.labels) + (["split"] if i in split and "split" not in d.labels and d.altered else [])
        labels.append("; ".join(sorted(lab, key=rank.__getitem__)))
    majority, agrees = speaker_vote([r["speaker"] for r in recs], [r["article_id"] for r in recs], qc.language)
    first_article = first["article_id"] if first else None
    computed = {
        "first": [first_article is not None and r["article_id"] == first_article for r in recs],
        "altered": [bool(lab) or d.altered for d, lab in zip(diffs, labels)], "alteration": labels,
        "dropped": [" … ".join(d.dropped) for d in diffs], "added": [" … ".join(d.added) for d in diffs],
        "changed": ["; ".join(f"{x} → {y}" for x, y in d.changed) for d in diffs],
        "similarity": [d.similarity for d in diffs], "cluster_speaker": [majority] * len(recs),
        "speaker_agrees": agrees}
    outlets = sorted({r["outlet"] for r in recs if isinstance(r["outlet"], str)})
    alt = Counter(x for lab in labels for x in lab.split("; ") if x)
    last = max(r["published"] for r in dated) if dated else None
    summary = {
        "canonical": canonical, "speaker": majority, "articles": len({r["article_id"] for r in recs}),
        "outlets": len(outlets), "members": len(recs), "altered": sum(computed["altered"]),
        "first_article_id": first_article, "first_outlet": first["outlet"] if first else None,
        "first_published": first["published"] if first else None, "first_url": first["url"] if first else None,
        "last_published": last,
        "days": (dt.date.fromisoformat(last) - dt.date.fromisoformat(first["published"])).days if first else None,
        "undated": len({r["article_id"] for r in recs if r["published"] is None}), "outlet_list": "; ".join(outlets),
        "alterations": "; ".join(f"{k} {alt[k]}" for k in ALTERATIONS if alt.get(k)),
        "speaker_disagreements": sum(a is False for a in agrees), "_order": min(r["order"] for r in recs),
    }
    return computed, summary


@dataclass
class QuoteClusters:
    """Clustered quotes: `members` (one row per quote in a cluster of two or more articles) and
    `clusters` (one row per cluster: canonical text, majority speaker, first appearance, spread)."""

    members: pd.DataFrame
    clusters: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CLUSTER_COLUMNS))

    def to_frame(self) -> pd.DataFrame:
        return self.members

    def mend_speakers(self, quotes: pd.DataFrame) -> pd.DataFrame:
        """`quotes` with `speaker` replaced by the cluster's majority speaker where the member's
        speaker is missing or disagrees (marked in `speaker_mended`)."""
        m = self.members[self.members["cluster_speaker"].notna() & (self.members["speaker_agrees"] != True)]  # noqa: E712
        fix = {(a, int(s), int(e)): sp for a, s, e, sp in zip(m["article_id"], m["start"], m["end"], m["cluster_speaker"])}
        out = quotes.copy()
        keys = list(zip(out["article_id"], out["start"].astype("int64"), out["end"].astype("int64")))
        new = [fix.get(k) for k in keys]
        out["speaker_mended"] = [n is not None and n != s for n, s in zip(new, out["speaker"])]
        out["speaker"] = [n if n is not None else s for n, s in zip(new, out["speaker"])]
        return out


def cluster_quotes(quotes: pd.DataFrame, **params: Any) -> QuoteClusters:
    """Cluster a quotes table in one go (earliest publication first, undated last)."""
    qc = QuoteClusterer(**params)
    qc.add(_by_date(quotes))
    return qc.result()


def _by_date(quotes: pd.DataFrame) -> pd.DataFrame:
    q = quotes.copy()
    q["_pub"] = pd.to_datetime(q["published"], errors="coerce") if "published" in q else pd.NaT
    return q.sort_values(["_pub"], na_position="last", kind="stable").drop(columns="_pub")


def quote_clusters(store: Any, *, index: str | Path | None = None, **params: Any) -> pd.DataFrame:
    """The `quote_clusters` table of a store's analysed English articles: one row per quote that
    belongs to a cluster of two or more articles (see `MEMBER_COLUMNS`).

    With `index` (a folder), the clusterer is loaded from it, given only the articles it has
    not seen, and saved back: run it after each `framewatch analyse`. An index made from other
    pipeline versions' quotes is rebuilt.
    """
    from framewatch.reports.data import ReportData

    data = ReportData.from_store(store)
    if index is None:
        return cluster_quotes(data["quotes"], **params).members
    path = Path(index)
    qc = QuoteClusterer.load(path) if (path / "index.json").exists() else None
    if qc is None or qc.versions != data.versions:
        qc = QuoteClusterer(**params)
        qc.versions = list(data.versions)
    qc.add(_by_date(data["quotes"]))
    qc.save(path)
    return qc.result().members
