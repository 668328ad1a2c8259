#!/usr/bin/env python3
"""Agreement between two labelling passes of `quote_labels` (the blind second pass).

    python3 training/agreement.py training/quote_labels.csv training/quote_labels_pass2.csv

Quotes are matched one to one within an article as the shared scorer matches them (half the
words of each in common, the same kind group: quoted or reported). Prints, over the articles the
second pass labelled: how many quotes each pass found and the F1 of the two sets, then on the
matched quotes the agreement on speaker (the scorer's name rule), speaker type and stance, with
Cohen's kappa for the last two.
"""
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter

STOP = {"the", "a", "an", "of", "for", "and", "to", "in", "on", "at", "s", "mr", "mrs", "ms",
        "sir", "dame", "dr", "lord", "lady"}


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", text)


def overlap(a: str, b: str) -> bool:
    g, p = Counter(words(a)), Counter(words(b))
    common = sum((g & p).values())
    return bool(g) and bool(p) and common >= 0.5 * sum(g.values()) and common >= 0.5 * sum(p.values())


def same_speaker(a: str, b: str) -> bool:
    g, p = [w for w in words(a) if w not in STOP], [w for w in words(b) if w not in STOP]
    if not g and not p:
        return True  # both: no speaker
    if not g or not p:
        return False
    if g == p or (g[-1] == p[-1] and (len(g) == 1 or len(p) == 1 or g[0] == p[0])):
        return True
    gs, ps = set(g), set(p)
    return len(gs & ps) / max(1, min(len(gs), len(ps))) >= 0.5


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if not n:
        return 0.0
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def main(first: str, second: str) -> dict:
    rows1 = list(csv.DictReader(open(first, encoding="utf-8")))
    rows2 = list(csv.DictReader(open(second, encoding="utf-8")))
    arts = sorted({r["pool_id"] for r in rows2} | set(json.loads(sys.argv[3]) if len(sys.argv) > 3 else []))
    n1 = n2 = matched = 0
    spk, typ, st = [], [], []
    for art in arts:
        a = [r for r in rows1 if r["pool_id"] == art]
        b = [r for r in rows2 if r["pool_id"] == art]
        n1, n2 = n1 + len(a), n2 + len(b)
        used: set[int] = set()
        for x in a:
            for i, y in enumerate(b):
                if i in used or (x["kind"] == "indirect") != (y["kind"] == "indirect"):
                    continue
                if overlap(x["text"], y["text"]):
                    used.add(i)
                    matched += 1
                    spk.append(same_speaker(x["speaker"], y["speaker"]))
                    typ.append((x["speaker_type"], y["speaker_type"]))
                    st.append((x["stance"], y["stance"]))
                    break
    p = matched / n2 if n2 else 0.0
    r = matched / n1 if n1 else 0.0
    out = {"articles": len(arts), "quotes_pass1": n1, "quotes_pass2": n2, "matched": matched,
           "quote_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
           "speaker_agreement": round(sum(spk) / len(spk), 3) if spk else 0.0,
           "speaker_type_agreement": round(sum(a == b for a, b in typ) / len(typ), 3) if typ else 0.0,
           "speaker_type_kappa": round(kappa(typ), 3),
           "stance_agreement": round(sum(a == b for a, b in st) / len(st), 3) if st else 0.0,
           "stance_kappa": round(kappa(st), 3),
           "stance_disagreements": {f"{a}/{b}": n for (a, b), n in sorted(Counter(x for x in st if x[0] != x[1]).items())},
           "unmatched": {"pass1": n1 - matched, "pass2": n2 - matched}}
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
