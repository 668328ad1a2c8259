"""Features of a (quote, candidate speaker) pair for the attribution ranker.

Every feature is general: where the candidate's mentions sit relative to the quote (before or
after it, sentence and paragraph distance), whether a mention is the subject of a cue verb in the
quote's sentence ("said", "told", "according to", "added"), pronoun and description links and
their agreement, the previous quote's speaker, what the rules would say, the kind of mention and
the quotation layout (a paragraph that only continues a quote, an introduction ending in a
colon). None names an article or a sentence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .candidates import Candidate, DocMentions, reads_as_speaker

__all__ = ["QuoteSite", "site_of", "featurize"]


@dataclass(frozen=True, slots=True)
class QuoteSite:
    """Where a quote sits: its text offsets, its marks, its sentence and paragraph."""

    start: int
    end: int
    kind: str
    mark_start: int
    mark_end: int
    sent_start: int
    sent_end: int
    para: int
    para_start: int
    para_end: int
    opens_para: bool
    continued: bool
    closed: bool
    colon_intro: bool
    cue_near: bool


def site_of(dm: DocMentions, start: int, end: int, kind: str) -> QuoteSite:
    """The `QuoteSite` of the quote at [start, end)."""
    ctx, text = dm.ctx, dm.text
    seg = ctx.in_segment(start) if kind != "indirect" else None
    ms, me = (seg.mark_start, seg.mark_end) if seg is not None else (start, end)
    s0 = ctx.sentence_of(ms)[0]
    s1 = ctx.sentence_of(max(ms, me - 1))[1]
    para = dm.para_of(ms)
    p0 = dm.para_starts[para]
    p1 = text.find("\n", me)
    p1 = len(text) if p1 < 0 else p1
    before = text[p0:ms]
    opens = not before.strip() or re.search(r"[.!?:][\s\"“”’']*$", before) is not None
    prev_line_end = text[:p0].rstrip()
    colon = before.rstrip().endswith(":") or (not before.strip() and prev_line_end.endswith(":"))
    cue_near = any(t.i in dm.cue_of.values() for t in ctx.tokens(max(s0, p0), min(s1, p1))
                   if ctx.in_segment(t.idx) is None)
    return QuoteSite(start, end, kind, ms, me, s0, s1, para, p0, p1, bool(opens),
                     bool(seg is not None and seg.continued), bool(seg is None or seg.closed),
                     colon, cue_near)


def _speakerish(dm: DocMentions, cand: Candidate) -> tuple[float, float]:
    """(how much the name reads as a speaker, see `reads_as_speaker`; the name holds a digit, as
    dates and times do)."""
    return reads_as_speaker(dm, cand.name, cand.type, cand.source), float(any(ch.isdigit() for ch in cand.name))


def _role(dm: DocMentions, m: Any) -> str:
    """"subject", "object", "modifier" or "other": the dependency of a mention's head token."""
    if m.head < 0:
        return "other"
    dep = dm.doc[m.head].dep_
    if dep in dm.data["subject_deps"]:
        return "subject"
    if dep in dm.data["object_deps"]:
        return "object"
    if dep in dm.data["modifier_deps"]:
        return "modifier"
    return "other"


def _log(x: float) -> float:
    return math.log1p(max(0.0, x))


def featurize(dm: DocMentions, site: QuoteSite, cands: list[Candidate], *,
              rule_confidence: float = 0.0) -> list[dict[str, Any]]:
    """One feature dict per candidate of the quote at `site`."""
    doc = dm.doc
    rows: list[dict[str, Any]] = []
    n_cue_sent = 0
    per: list[dict[str, Any]] = []
    for cand in cands:
        f: dict[str, Any] = {"type=" + cand.type: 1.0, "source=" + cand.source: 1.0}
        best_before = best_after = None
        cue_sent = cue_para = cue_adj = according = False
        same_sent = same_para = False
        para_dist = 9
        for m in cand.mentions:
            if m.end <= site.mark_start:
                gap = site.mark_start - m.end
                best_before = gap if best_before is None else min(best_before, gap)
            elif m.start >= site.mark_end:
                gap = m.start - site.mark_end
                best_after = gap if best_after is None else min(best_after, gap)
            in_sent = site.sent_start <= m.start < site.sent_end
            in_para = site.para_start <= m.start < site.para_end
            same_sent |= in_sent
            same_para |= in_para
            para_dist = min(para_dist, abs(site.para - dm.para_of(m.start)))
            if m.cue >= 0:
                verb = doc[m.cue]
                v_in_sent = site.sent_start <= verb.idx < site.sent_end
                v_in_para = site.para_start <= verb.idx < site.para_end
                cue_sent |= v_in_sent
                cue_para |= v_in_para
                cue_adj |= min(abs(verb.idx - site.mark_end), abs(site.mark_start - verb.idx)) < 40
                according |= v_in_sent and verb.lower_ == "according"
        pron_sent = pron_para = 0.0
        pron_rank, pron_agree = 9, 0.0
        for m, rank, agrees in cand.via.get("pronouns", ()):
            in_sent = site.sent_start <= m.start < site.sent_end
            in_para = site.para_start <= m.start < site.para_end
            subj = m.cue >= 0 and site.sent_start <= doc[m.cue].idx < site.sent_end
            if subj or in_sent:
                pron_sent = max(pron_sent, 1.0 if subj else 0.5)
                if rank < pron_rank:
                    pron_rank, pron_agree = rank, float(agrees)
            elif in_para:
                pron_para = 1.0
        f.update({
            "before": float(best_before is not None), "after": float(best_after is not None),
            "gap_before": _log(best_before) if best_before is not None else 9.0,
            "gap_after": _log(best_after) if best_after is not None else 9.0,
            "same_sent": float(same_sent), "same_para": float(same_para),
            "para_dist": float(para_dist), "cue_sent": float(cue_sent), "cue_para": float(cue_para),
            "cue_adjacent": float(cue_adj), "according": float(according),
            "pron_sent": pron_sent, "pron_para": pron_para, "pron_rank": float(pron_rank),
            "pron_agree": pron_agree, "n_mentions": float(len(cand.mentions)),
            "n_doc_mentions": _log(sum(1 for m in dm.mentions if m.name == cand.name)),
            "previous": float(bool(cand.via.get("previous"))),
            "rule": float(bool(cand.via.get("rule"))),
            "rule_conf": rule_confidence if cand.via.get("rule") else 0.0,
            "has_role": float(dm.roles.get(cand.name, False)),
            "described": float(cand.source == "description"),
            "name_words": float(min(6, len(cand.name.split()))),
        })
        f["speakerish"], f["name_digit"] = _speakerish(dm, cand)
        # the grammatical role of its nearest mention: speakers are subjects, rarely objects or
        # modifiers ("the Trump administration", "using people smugglers")
        near = cand.mentions[0] if cand.mentions else None
        role = _role(dm, near) if near is not None else "none"
        f["near_role=" + role] = 1.0
        f["subject_in_para"] = float(any(
            _role(dm, m) == "subject" and site.para_start <= m.start < site.para_end for m in cand.mentions))
        n_cue_sent += int(cue_sent or pron_sent == 1.0)
        per.append(f)
    # the quote's layout and how contested it is, on every row (the ranker compares rows of one quote)
    nearest = sorted(range(len(cands)), key=lambda i: min(per[i]["gap_before"], per[i]["gap_after"]))
    for rank, i in enumerate(nearest):
        per[i]["distance_rank"] = float(min(rank, 6))
    for f in per:
        f.update({"kind=" + site.kind: 1.0, "opens_para": float(site.opens_para),
                  "continued": float(site.continued), "closed": float(site.closed),
                  "colon_intro": float(site.colon_intro), "cue_near": float(site.cue_near),
                  "n_cue_subjects": float(min(n_cue_sent, 3)), "n_candidates": float(min(len(cands), 12))})
        rows.append(f)
    return rows
