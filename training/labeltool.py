#!/usr/bin/env python3
"""Label quotes and their speakers on pool articles (GUIDELINE.md section 6).

    python3 training/labeltool.py show POOL_DIR ID            # the text, by paragraph, with offsets
    python3 training/labeltool.py check POOL_DIR LABELS.json  # fill offsets, validate, print for review
    python3 training/labeltool.py build POOL_DIR LABEL_DIR OUT.csv [--annotator NAME] [--pass N]
    python3 training/labeltool.py gold POOL_DIR LABELS.csv OUT_DIR  # gold-format files for eval/score.py

A labels file is one article's JSON, written by an annotator:

    {"id": "p001", "deal": "uk-france", "quotes": [
      {"kind": "direct", "text": "We do need to ramp it up.", "speaker": "Keir Starmer",
       "speaker_type": "person", "mention": "he", "stance": "support", "notes": ""}]}

`start` (of the quote text) and `mention_start` (of the words that name the speaker where the
quote is attributed: "he", "the Prime Minister", "Keir Starmer", "a Home Office spokesperson")
may be given; `check` fills them when missing (the quote: first occurrence after the previous
quote, else anywhere; the mention: the occurrence nearest the quote) and fails when a span is not
in the text. `target` defaults to the article's deal. The CSV holds spans and offsets only, never
the article text; `gold` joins them back with the pool for scoring.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEALS = {"uk-france", "uk-rwanda", "italy-albania", "eu-turkey", "eu-tunisia", "eu-other",
         "us-third-country", "uk-other", "other"}
KINDS = {"direct", "partial", "indirect"}
STANCES = {"support", "oppose", "neutral"}
TYPES = {"person", "organisation", "anonymous", "media", "none"}
COLUMNS = ["pool_id", "quote_id", "kind", "start", "end", "text", "speaker", "speaker_type",
           "mention", "mention_start", "mention_end", "stance", "target", "annotator", "notes"]


def _pool(pool_dir: str) -> dict[str, dict]:
    out = {}
    for p in Path(pool_dir).glob("*.json"):
        x = json.loads(p.read_text(encoding="utf-8"))
        out[x["id"]] = x
    return out


def show(pool_dir: str, ident: str) -> None:
    art = _pool(pool_dir)[ident]
    text = art["text"]
    print(f"# {ident}  {art.get('outlet')}  {art.get('url')}  ({len(text)} chars)")
    pos = 0
    for para in text.split("\n"):
        if para.strip():
            print(f"[{pos}-{pos + len(para)}] {para}")
        pos += len(para) + 1


def _all(text: str, span: str, *, words: bool = False) -> list[int]:
    """Offsets of `span` in `text`; with `words`, only where it starts and ends on a word boundary
    (so "he" is never found inside "the")."""
    out, i = [], text.find(span)
    while i >= 0:
        if not words or _bounded(text, i, i + len(span)):
            out.append(i)
        i = text.find(span, i + 1)
    return out


def _bounded(text: str, a: int, b: int) -> bool:
    return (a == 0 or not text[a - 1].isalnum() or not text[a].isalnum()) and \
        (b >= len(text) or not text[b].isalnum() or not text[b - 1].isalnum())


def check(pool_dir: str, path: str, *, quiet: bool = False, pool: dict | None = None) -> tuple[dict, list[str]]:
    """Fill offsets in one labels file; return (labels, errors). Writes the filled file back."""
    pool = pool or _pool(pool_dir)
    lab = json.loads(Path(path).read_text(encoding="utf-8"))
    errs: list[str] = []
    art = pool.get(lab.get("id"))
    if art is None:
        return lab, [f"{path}: unknown article id {lab.get('id')!r}"]
    text = art["text"]
    if lab.get("deal") not in DEALS:
        errs.append(f"{path}: deal {lab.get('deal')!r} not in {sorted(DEALS)}")
    last = 0
    for n, q in enumerate(lab.get("quotes", [])):
        where = f"{lab['id']} quote {n}"
        for key, allowed in (("kind", KINDS), ("stance", STANCES), ("speaker_type", TYPES)):
            if q.get(key) not in allowed:
                errs.append(f"{where}: {key} {q.get(key)!r} not in {sorted(allowed)}")
        if q.get("target", lab.get("deal")) not in DEALS:
            errs.append(f"{where}: target {q.get('target')!r}")
        span = q.get("text") or ""
        if q.get("start") is None or text[q["start"]:q["start"] + len(span)] != span:
            hits = _all(text, span) if span else []
            after = [h for h in hits if h >= last]
            if not hits:
                errs.append(f"{where}: text not found verbatim: {span[:80]!r}")
                continue
            q["start"] = (after or hits)[0]
        q["end"] = q["start"] + len(span)
        last = q["start"]
        if (q.get("speaker_type") == "none") != (not q.get("speaker")):
            errs.append(f"{where}: speaker {q.get('speaker')!r} with type {q.get('speaker_type')!r}")
        mention = q.get("mention") or ""
        if mention:
            ms = q.get("mention_start")
            if ms is None or text[ms:ms + len(mention)] != mention or not _bounded(text, ms, ms + len(mention)):
                hits = _all(text, mention, words=True) or _all(text, mention)
                if not hits:
                    errs.append(f"{where}: mention not found verbatim: {mention!r}")
                    continue
                q["mention_start"] = min(hits, key=lambda h: abs(h - q["start"]))
            q["mention_end"] = q["mention_start"] + len(mention)
        elif q.get("speaker"):
            q["mention_start"] = q["mention_end"] = None  # speaker known but not named near the quote
        if not quiet:
            m0 = q.get("mention_start")
            ctx = "" if m0 is None else " ..." + text[max(0, m0 - 30):m0 + len(mention) + 30].replace("\n", " ") + "..."
            print(f"{where} [{q['kind']}/{q['stance']}] {q['start']}-{q['end']} {span[:70]!r}")
            print(f"    speaker {q.get('speaker')!r} ({q.get('speaker_type')}) mention "
                  f"{mention!r}@{q.get('mention_start')}{ctx}")
    Path(path).write_text(json.dumps(lab, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return lab, errs


def build(pool_dir: str, label_dir: str, out: str, annotator: str = "", pass_no: str = "1") -> int:
    pool = _pool(pool_dir)
    rows, errs = [], []
    for path in sorted(Path(label_dir).glob("*.json")):
        lab, e = check(pool_dir, str(path), quiet=True, pool=pool)
        errs += e
        for n, q in enumerate(lab.get("quotes", [])):
            rows.append({
                "pool_id": lab["id"], "quote_id": f"{lab['id']}-q{n + 1:02d}", "kind": q["kind"],
                "start": q.get("start"), "end": q.get("end"), "text": q["text"],
                "speaker": q.get("speaker") or "", "speaker_type": q.get("speaker_type"),
                "mention": q.get("mention") or "", "mention_start": q.get("mention_start"),
                "mention_end": q.get("mention_end"), "stance": q["stance"],
                "target": q.get("target") or lab["deal"],
                "annotator": q.get("annotator") or lab.get("annotator") or annotator,
                "notes": q.get("notes") or ""})
    for e in errs:
        print(e, file=sys.stderr)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} quotes from {len({r['pool_id'] for r in rows})} articles -> {out}; {len(errs)} errors")
    return 1 if errs else 0


def gold(pool_dir: str, labels_csv: str, out_dir: str) -> None:
    """Write one gold-format JSON per labelled article (quotes, deal, article stance) for score.py."""
    pool = _pool(pool_dir)
    arts = {r["pool_id"]: r for r in csv.DictReader(open(HERE / "article_labels.csv", encoding="utf-8"))}
    by: dict[str, list[dict]] = {}
    for r in csv.DictReader(open(labels_csv, encoding="utf-8")):
        by.setdefault(r["pool_id"], []).append(r)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    for pid, rows in by.items():
        a = pool[pid]
        rows.sort(key=lambda r: int(r["start"]))
        g = {"id": pid, "url": a.get("url"), "outlet": a.get("outlet"), "text": a["text"],
             "deal": arts.get(pid, {}).get("deal"), "article_stance": arts.get(pid, {}).get("stance"),
             "quotes": [{"text": r["text"], "speaker": r["speaker"] or None, "kind": r["kind"],
                         "stance": r["stance"]} for r in rows]}
        (Path(out_dir) / f"{pid}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    cmd = argv[0]
    if cmd == "show":
        show(argv[1], argv[2])
    elif cmd == "check":
        _, errs = check(argv[1], argv[2])
        for e in errs:
            print("ERROR", e)
        return 1 if errs else 0
    elif cmd == "build":
        ann = argv[argv.index("--annotator") + 1] if "--annotator" in argv else ""
        p = argv[argv.index("--pass") + 1] if "--pass" in argv else "1"
        return build(argv[1], argv[2], argv[3], ann, p)
    elif cmd == "gold":
        gold(argv[1], argv[2], argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
