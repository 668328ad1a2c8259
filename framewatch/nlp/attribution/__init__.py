"""Speaker attribution: who said each quote, decided by a model trained on labelled quotes.

The quotes stage (`framewatch.nlp.quotes`) finds quotes and reads a speaker for each with its
rules; this package then, for every quote in text order,

1. collects candidate speakers (`candidates`): named people, organisations and bodies, described
   unnamed people ("a spokesperson", "the man"), media, the antecedents of pronouns (with gender
   and number agreement, in a bounded window), the body a description refers back to, the
   previous quote's speaker, the rules' reading, and "no speaker";
2. describes each (`features`): position, sentence and paragraph distance, cue-verb subjects,
   pronoun links, mention type, the quotation layout;
3. ranks them with `SpeakerRanker` (`model`), a scikit-learn estimator trained on
   `training/quote_labels.csv` (pool articles only), and keeps the best.

The speaker is always a candidate's canonical name, and its offsets are those of the mention
that names it near the quote (a pronoun's, when a pronoun links it). Figures and claims take
their claimant from the same attribution (`claimant_for`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from .candidates import Candidate, DocMentions, SpeakerMention, candidates
from .cues import cues, is_cue, language_data, speech_forms, subject
from .features import QuoteSite, featurize, site_of
from .model import SpeakerRanker, default_ranker_path, load_ranker, save_ranker
from .names import gender_of_name, same_speaker

__all__ = ["Candidate", "DocMentions", "SpeakerMention", "QuoteSite", "SpeakerRanker",
           "attribute", "candidates", "cues", "default_ranker_path", "featurize", "gender_of_name",
           "is_cue", "language_data", "load_ranker", "same_speaker", "save_ranker", "site_of",
           "speech_forms", "subject", "mention_span", "sentence_speaker"]


def mention_span(cand: Candidate, site: QuoteSite) -> tuple[int | None, int | None]:
    """Offsets of the words that name `cand` for the quote at `site`: a pronoun that links it
    in the quote's sentence, else its cue-subject mention, else its nearest mention."""
    for m, _rank, _agrees in cand.via.get("pronouns", ()):
        if site.sent_start <= m.start < site.sent_end:
            return m.start, m.end
    m = cand.best_mention
    return (m.start, m.end) if m is not None else (None, None)


def attribute(ctx: Any, quotes: Sequence[Any], ranker: SpeakerRanker,
              dm: DocMentions | None = None) -> list[Any]:
    """`quotes` (dataclasses with text, kind, start, end, speaker, speaker_type, confidence,
    speaker_start, speaker_end) with the ranker's speaker for each, in text order.

    `ctx` is the quotes stage's document context; the previous quote's speaker is the ranker's
    own choice for it."""
    dm = dm or DocMentions(ctx)
    out = []
    previous: tuple[str, str] | None = None
    for q in sorted(quotes, key=lambda q: (q.start, q.end)):
        site = site_of(dm, q.start, q.end, q.kind)
        rule = (q.speaker, q.speaker_type or "organisation") if q.speaker else None
        cands = candidates(dm, q.start, q.end, rule=rule, previous=previous)
        rows = featurize(dm, site, cands, rule_confidence=q.confidence if q.speaker else 0.0)
        best, prob = ranker.rank(rows)
        cand = cands[best]
        if cand.type == "none":
            q = dataclasses.replace(q, speaker=None, speaker_type=None, speaker_start=None,
                                    speaker_end=None, confidence=round(min(prob, 0.5) * 0.6, 2))
        else:
            start, end = mention_span(cand, site)
            if cand.via.get("rule") and q.speaker and same_speaker(q.speaker, cand.name) and start is None:
                start, end = q.speaker_start, q.speaker_end
            q = dataclasses.replace(q, speaker=cand.name, speaker_type=cand.type,
                                    speaker_start=start, speaker_end=end, confidence=round(prob, 2))
            previous = (cand.name, cand.type)
        out.append(q)
    return out


def sentence_speaker(dm: DocMentions, char: int) -> tuple[str, str, int, int] | None:
    """(name, type, start, end) of the source a sentence attributes its content to: the subject
    of a cue verb in the sentence holding `char` ("the Home Office said ...", "according to
    UNHCR ..."), the nearest to `char`; a pronoun gives its most recent agreeing antecedent.
    None when the sentence has no cue subject."""
    s0, s1 = dm.ctx.sentence_of(char)
    best: tuple[int, tuple[str, str, int, int]] | None = None
    for m in dm.between(s0, s1):
        if m.cue < 0 or not (s0 <= dm.doc[m.cue].idx < s1):
            continue
        if m.source == "pronoun":
            ants = [a for a in dm.antecedents(m) if a[3]] or dm.antecedents(m)
            if not ants:
                continue
            found = (ants[0][0], ants[0][1], m.start, m.end)
        else:
            found = (m.name, m.type, m.start, m.end)
        d = abs(m.start - char)
        if best is None or d < best[0]:
            best = (d, found)
    return best[1] if best else None
