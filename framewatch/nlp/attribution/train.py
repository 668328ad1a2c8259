"""Training and honest validation of the attribution ranker on labelled quotes.

Labels are `training/quote_labels.csv`-style rows: `pool_id` (the article id), `kind`, `start`,
`end`, `text`, `speaker` (canonical, empty when none), `speaker_type`, `mention_start`,
`mention_end`. Each article is parsed with the Framewatch pipeline; the quotes the quotes stage
finds are matched to the labelled ones (the scorer's rule: half the words of each in common), and
each matched quote gives one group of candidate rows, labelled 1 where the candidate is the
labelled speaker (same name, or a mention at the labelled mention's offsets).

    examples = build_examples(nlp, articles, labels)     # articles: {id: text}
    ranker = fit(examples)
    report = cross_validate(examples, by="article")       # or by={id: deal} for leave-one-deal-out
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .candidates import DocMentions, candidates
from .features import featurize, site_of
from .model import SpeakerRanker
from .names import same_speaker

__all__ = ["LabelledQuote", "Example", "read_quote_labels", "merge_labels", "build_examples", "fit",
           "cross_validate", "decode"]

REQUIRED = ("pool_id", "kind", "start", "end", "text", "speaker")
QUOTE_KINDS = ("direct", "partial", "indirect")


@dataclass(frozen=True, slots=True)
class LabelledQuote:
    article_id: str
    kind: str
    start: int
    end: int
    text: str
    speaker: str
    speaker_type: str
    mention_start: int | None
    mention_end: int | None


@dataclass(slots=True)
class Example:
    """One article: its mentions, its system quotes and the label matched to each (or None)."""

    article_id: str
    dm: DocMentions
    quotes: list[Any]
    gold: list[LabelledQuote | None]
    gold_all: list[LabelledQuote] = field(default_factory=list)


def read_quote_labels(path: str | Path) -> list[LabelledQuote]:
    """The quote rows (`kind` direct, partial or indirect; claims are skipped) of a quote-labels
    CSV (see the module docstring); `training/stance_quotes.csv` reads too (no mention offsets)."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns {missing}; a quote-labels CSV needs {list(REQUIRED)}")
        out = []
        for n, r in enumerate(reader, 2):
            if r["kind"] not in QUOTE_KINDS:
                continue
            try:
                out.append(LabelledQuote(
                    r["pool_id"], r["kind"], int(r["start"]), int(r["end"]), r["text"],
                    r.get("speaker") or "", r.get("speaker_type") or "",
                    int(r["mention_start"]) if r.get("mention_start") else None,
                    int(r["mention_end"]) if r.get("mention_end") else None))
            except ValueError as exc:
                raise ValueError(f"{path} line {n}: {exc}") from None
    return out


def merge_labels(*sources: Sequence[LabelledQuote]) -> list[LabelledQuote]:
    """Labels from several files, an article's from the first file that labels it: an exhaustive
    file (every quote of an article) first, then files that chose some quotes of other articles."""
    out: list[LabelledQuote] = []
    seen: set[str] = set()
    for labels in sources:
        ids = {lab.article_id for lab in labels}
        out += [lab for lab in labels if lab.article_id not in seen]
        seen |= ids
    return out


def _words(text: str) -> Counter[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return Counter(re.findall(r"[a-z0-9]+", folded))


def _overlap(a: str, b: str) -> bool:
    g, p = _words(a), _words(b)
    common = sum((g & p).values())
    return bool(g) and bool(p) and common >= 0.5 * sum(g.values()) and common >= 0.5 * sum(p.values())


def _match(quotes: Sequence[Any], gold: Sequence[LabelledQuote]) -> list[LabelledQuote | None]:
    used: set[int] = set()
    out: list[LabelledQuote | None] = []
    for q in quotes:
        hit = None
        for i, g in enumerate(gold):
            if i in used or (g.kind == "indirect") != (q.kind == "indirect"):
                continue
            if g.start < q.end and q.start < g.end and _overlap(g.text, q.text):
                hit = i
                break
        if hit is not None:
            used.add(hit)
        out.append(gold[hit] if hit is not None else None)
    return out


def build_examples(nlp: Any, articles: Mapping[str, str], labels: Iterable[LabelledQuote],
                   *, batch_size: int = 16) -> list[Example]:
    """Parse each labelled article with `nlp` and match its quotes to the labels."""
    from ..quotes import rule_quotes

    by: dict[str, list[LabelledQuote]] = {}
    for lab in labels:
        by.setdefault(lab.article_id, []).append(lab)
    ids = [i for i in by if i in articles]
    missing = [i for i in by if i not in articles]
    if missing:
        raise ValueError(f"labels name {len(missing)} articles that are not in the articles given "
                         f"(first: {missing[:3]}); pass the folder the labels were made on")
    out = []
    names = [n for n in nlp.pipe_names if n not in {"framewatch_quotes", "framewatch_claims", "framewatch_stance"}]
    with nlp.select_pipes(enable=names):
        for art_id, doc in zip(ids, nlp.pipe((articles[i] for i in ids), batch_size=batch_size)):
            ctx, quotes = rule_quotes(doc)
            gold = sorted(by[art_id], key=lambda g: (g.start, g.end))
            out.append(Example(art_id, DocMentions(ctx), quotes, _match(quotes, gold), gold))
    return out


def _positive(cand: Any, gold: LabelledQuote) -> bool:
    if cand.type == "none":
        return not gold.speaker
    if not gold.speaker:
        return False
    if same_speaker(gold.speaker, cand.name):
        return True
    if gold.mention_start is not None and gold.mention_end is not None:
        return any(m.start < gold.mention_end and gold.mention_start < m.end for m in cand.mentions)
    return False


def _labels(cands: Sequence[Any], gold: LabelledQuote) -> list[int]:
    """1 for the candidates that are the labelled speaker. Where a candidate has the labelled
    speaker's name, only those: a candidate found only at the labelled mention's offsets ("the
    European parliament president" beside the labelled "Roberta Metsola") would be scored wrong by
    name, so it is no target; the mention offsets decide only where no candidate has the name."""
    if gold.speaker:
        named = [int(c.type != "none" and same_speaker(gold.speaker, c.name)) for c in cands]
        if any(named):
            return named
    return [int(_positive(c, gold)) for c in cands]


def _previous_gold(ex: Example, q: Any) -> tuple[str, str] | None:
    prev = [g for g in ex.gold_all if g.end <= q.start and g.speaker]
    return (prev[-1].speaker, prev[-1].speaker_type or "person") if prev else None


def rows_of(ex: Example) -> tuple[list[dict[str, Any]], list[int], list[str]]:
    """Candidate rows, labels and quote ids of one example (teacher forcing: the previous
    quote's speaker is the labelled one)."""
    X, y, groups = [], [], []
    for k, (q, gold) in enumerate(zip(ex.quotes, ex.gold)):
        if gold is None:
            continue
        site = site_of(ex.dm, q.start, q.end, q.kind)
        rule = (q.speaker, q.speaker_type or "organisation") if q.speaker else None
        cands = candidates(ex.dm, q.start, q.end, rule=rule, previous=_previous_gold(ex, q))
        labels = _labels(cands, gold)
        if not any(labels):
            continue  # the right speaker is not among the candidates: nothing to learn here
        X += featurize(ex.dm, site, cands, rule_confidence=q.confidence if q.speaker else 0.0)
        y += labels
        groups += [f"{ex.article_id}:{k}"] * len(cands)
    return X, y, groups


def fit(examples: Sequence[Example], **params: Any) -> SpeakerRanker:
    """A `SpeakerRanker` fitted on every matched quote of `examples`."""
    X, y = [], []
    for ex in examples:
        a, b, _ = rows_of(ex)
        X += a
        y += b
    return SpeakerRanker(**params).fit(X, y)


def decode(ranker: SpeakerRanker | None, ex: Example) -> list[str | None]:
    """The speaker chosen for each system quote of `ex` (the rules' when `ranker` is None)."""
    from . import attribute

    if ranker is None:
        return [q.speaker for q in ex.quotes]
    quotes = attribute(ex.dm.ctx, ex.quotes, ranker, dm=ex.dm)
    return [q.speaker for q in quotes]


def _accuracy(picks: Sequence[str | None], gold: Sequence[LabelledQuote | None]) -> tuple[int, int]:
    ok = n = 0
    for p, g in zip(picks, gold):
        if g is None:
            continue
        n += 1
        ok += bool(g.speaker) and same_speaker(g.speaker, p) or (not g.speaker and not p)
    return ok, n


def cross_validate(examples: Sequence[Example], *, by: str | Mapping[str, str] = "article",
                   folds: int = 5, seed: int | None = None, **params: Any) -> dict[str, Any]:
    """Speaker accuracy on matched quotes, each article scored by a ranker that never saw it.

    `by="article"`: grouped k-fold over articles (in id order, or shuffled by `seed`); a mapping
    article id -> deal: leave one deal out. Returns the ranker's and the rules' accuracy overall
    and per fold, and the ranker's by quote kind (`by_kind`: direct, partial, indirect)."""
    if by == "article":
        keys = [ex.article_id for ex in examples]
        order = sorted(set(keys))
        if seed is not None:
            random.Random(seed).shuffle(order)
        fold_of = {k: i % folds for i, k in enumerate(order)}
        split = {ex.article_id: str(fold_of[ex.article_id]) for ex in examples}
    else:
        split = {ex.article_id: by.get(ex.article_id, "unknown") for ex in examples}  # type: ignore[union-attr]
    result: dict[str, Any] = {"folds": {}}
    tot = {"model": [0, 0], "rules": [0, 0]}
    kinds: dict[str, list[int]] = {}
    for name in sorted(set(split.values())):
        test = [ex for ex in examples if split[ex.article_id] == name]
        train = [ex for ex in examples if split[ex.article_id] != name]
        ranker = fit(train, **params)
        m_ok = m_n = r_ok = r_n = 0
        for ex in test:
            picks = decode(ranker, ex)
            a, b = _accuracy(picks, ex.gold)
            c, d = _accuracy(decode(None, ex), ex.gold)
            for q, p, g in zip(ex.quotes, picks, ex.gold):
                if g is not None:
                    k = kinds.setdefault(q.kind, [0, 0])
                    k[0] += _accuracy([p], [g])[0]
                    k[1] += 1
            m_ok, m_n, r_ok, r_n = m_ok + a, m_n + b, r_ok + c, r_n + d
        result["folds"][name] = {"quotes": m_n, "model": round(m_ok / max(1, m_n), 3),
                                 "rules": round(r_ok / max(1, r_n), 3)}
        tot["model"][0] += m_ok
        tot["model"][1] += m_n
        tot["rules"][0] += r_ok
        tot["rules"][1] += r_n
    result["model"] = round(tot["model"][0] / max(1, tot["model"][1]), 3)
    result["rules"] = round(tot["rules"][0] / max(1, tot["rules"][1]), 3)
    result["quotes"] = tot["model"][1]
    result["by_kind"] = {k: {"quotes": n, "model": round(ok / max(1, n), 3)} for k, (ok, n) in sorted(kinds.items())}
    return result
