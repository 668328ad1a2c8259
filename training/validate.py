#!/usr/bin/env python3
"""Validate Framewatch training data against the article pool.

Usage: python3 training/validate.py [POOL_DIR]   (default: ../shared/corpus/pool relative to the repo root)

Rows with ids `open-NNN` refer to the bundled open-licence texts in samples/open-migration-deals/.

Checks, for every file in training/: exact columns, allowed label values, that every span equals
pool_text[start:end] (stance_quotes, frame_sentences) or is an exact substring (article evidence),
span length limits, no duplicate rows/keys, and prints label counts. Exit status 1 on any error.
"""
import csv, glob, json, os, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DEALS = {"uk-france", "uk-rwanda", "italy-albania", "eu-turkey", "eu-tunisia", "eu-other",
         "us-third-country", "uk-other", "other"}
LABELS = {"support", "oppose", "neutral"}
KINDS = {"direct", "partial", "indirect", "claim"}
FRAMES = {"economic", "capacity_and_resources", "morality", "fairness_and_equality",
          "legality_constitutionality_and_jurisprudence", "policy_prescription_and_evaluation",
          "crime_and_punishment", "security_and_defense", "health_and_safety", "quality_of_life",
          "cultural_identity", "public_opinion", "political", "external_regulation_and_reputation"}
COLS = {
    "stance_quotes.csv": "pool_id,url,start,end,text,kind,speaker,target,label,context,notes".split(","),
    "article_labels.csv": "pool_id,url,outlet,deal,stance,frames,headline,evidence".split(","),
    "frame_sentences.csv": "pool_id,url,start,end,text,frames".split(","),
}
errors = []


def err(f, i, msg):
    errors.append(f"{f} row {i}: {msg}")


def load_pool(d):
    pool = {}
    for p in glob.glob(os.path.join(d, "*.json")):
        with open(p, encoding="utf-8") as fh:
            x = json.load(fh)
        pool[x["id"]] = x
    return pool


def read(name):
    path = os.path.join(HERE, name)
    with open(path, newline="", encoding="utf-8") as fh:
        r = csv.DictReader(fh)
        if r.fieldnames != COLS[name]:
            errors.append(f"{name}: columns {r.fieldnames} != {COLS[name]}")
        return list(r)


def check_frames(name, i, s):
    fs = [x for x in s.split(";") if x] if s else []
    for x in fs:
        if x not in FRAMES:
            err(name, i, f"unknown frame {x!r}")
    if len(fs) != len(set(fs)):
        err(name, i, "repeated frame")
    return fs


def check_span(name, i, row, pool, maxlen):
    pid = row["pool_id"]
    if pid not in pool:
        err(name, i, f"unknown pool_id {pid}")
        return
    if row["url"] != (pool[pid].get("url") or ""):
        err(name, i, "url does not match pool")
    try:
        s, e = int(row["start"]), int(row["end"])
    except ValueError:
        err(name, i, "start/end not integers")
        return
    if not (0 <= s < e <= len(pool[pid]["text"])):
        err(name, i, f"offsets out of range {s}:{e}")
    elif pool[pid]["text"][s:e] != row["text"]:
        err(name, i, "text != pool_text[start:end]")
    if e - s > maxlen:
        err(name, i, f"span longer than {maxlen} chars")
    if row["text"] != row["text"].strip():
        err(name, i, "span has leading/trailing whitespace")


def load_open():
    """The project's bundled open-licence texts, labelled as `open-NNN`."""
    out = {}
    for p in glob.glob(os.path.join(HERE, "..", "samples", "open-migration-deals", "articles", "*.json")):
        with open(p, encoding="utf-8") as fh:
            out["open-" + os.path.basename(p)[:-5]] = json.load(fh)
    return out


def main():
    default = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "corpus", "pool"))
    pool_dir = sys.argv[1] if len(sys.argv) > 1 else default
    pool = load_pool(pool_dir)
    if not pool:
        sys.exit(f"no pool articles found in {pool_dir}")
    pool.update(load_open())

    # stance_quotes
    n = "stance_quotes.csv"; q = read(n); seen = set()
    for i, r in enumerate(q, 2):
        check_span(n, i, r, pool, 420)
        if r["kind"] not in KINDS: err(n, i, f"bad kind {r['kind']!r}")
        if r["target"] not in DEALS: err(n, i, f"bad target {r['target']!r}")
        if r["label"] not in LABELS: err(n, i, f"bad label {r['label']!r}")
        if not r["speaker"].strip(): err(n, i, "empty speaker")
        if len(r["context"]) > 420: err(n, i, "context too long")
        k = (r["pool_id"], r["start"], r["end"])
        if k in seen: err(n, i, "duplicate span")
        seen.add(k)
    per_art = Counter(r["pool_id"] for r in q)
    if per_art and max(per_art.values()) > 10:
        errors.append(f"{n}: more than 10 rows for {[a for a, c in per_art.items() if c > 10]}")

    # article_labels
    n = "article_labels.csv"; a = read(n); seen = set()
    for i, r in enumerate(a, 2):
        pid = r["pool_id"]
        if pid not in pool: err(n, i, f"unknown pool_id {pid}"); continue
        if pid in seen: err(n, i, "duplicate pool_id")
        seen.add(pid)
        t = pool[pid]["text"]
        if r["url"] != (pool[pid].get("url") or ""): err(n, i, "url does not match pool")
        if r["outlet"] != (pool[pid].get("outlet") or pool[pid].get("publisher")): err(n, i, "outlet does not match pool")
        if r["deal"] not in DEALS: err(n, i, f"bad deal {r['deal']!r}")
        if r["stance"] not in LABELS: err(n, i, f"bad stance {r['stance']!r}")
        if not check_frames(n, i, r["frames"]): err(n, i, "no frames")
        if r["headline"] and (r["headline"] not in t or len(r["headline"]) > 200): err(n, i, "bad headline")
        ev = [x for x in r["evidence"].split("|") if x] if r["evidence"] else []
        if len(ev) > 3: err(n, i, "more than 3 evidence sentences")
        for x in ev:
            if x not in t: err(n, i, f"evidence not in text: {x[:40]!r}")
            if len(x) > 300: err(n, i, "evidence longer than 300 chars")

    # frame_sentences
    n = "frame_sentences.csv"; f = read(n); seen = set()
    for i, r in enumerate(f, 2):
        check_span(n, i, r, pool, 420)
        check_frames(n, i, r["frames"])
        k = (r["pool_id"], r["start"], r["end"])
        if k in seen: err(n, i, "duplicate span")
        seen.add(k)

    # quote_labels (every quote of an article, speaker and stance together; labeltool.COLUMNS)
    sys.path.insert(0, HERE)
    from labeltool import COLUMNS as QCOLS, TYPES
    quote_files = {}
    for n in ("quote_labels.csv", "quote_labels_pass2.csv", "quote_labels_open.csv"):
        path = os.path.join(HERE, n)
        if not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8") as fh:
            rd = csv.DictReader(fh)
            if rd.fieldnames != QCOLS:
                errors.append(f"{n}: columns {rd.fieldnames} != {QCOLS}")
            rows = list(rd)
        quote_files[n] = rows
        seen = set()
        for i, r in enumerate(rows, 2):
            pid = r["pool_id"]
            if pid not in pool: err(n, i, f"unknown pool_id {pid}"); continue
            t = pool[pid]["text"]
            s_, e_ = int(r["start"]), int(r["end"])
            if t[s_:e_] != r["text"]: err(n, i, "text != pool_text[start:end]")
            if e_ - s_ > 480: err(n, i, "span longer than 480 chars")
            if r["mention_start"]:
                ms, me = int(r["mention_start"]), int(r["mention_end"])
                if t[ms:me] != r["mention"]: err(n, i, "mention != pool_text[mention_start:mention_end]")
            elif r["mention"]: err(n, i, "mention without offsets")
            if r["kind"] not in {"direct", "partial", "indirect"}: err(n, i, f"bad kind {r['kind']!r}")
            if r["stance"] not in LABELS: err(n, i, f"bad stance {r['stance']!r}")
            if r["speaker_type"] not in TYPES: err(n, i, f"bad speaker_type {r['speaker_type']!r}")
            if r["target"] not in DEALS: err(n, i, f"bad target {r['target']!r}")
            k = (pid, r["start"], r["end"])
            if k in seen: err(n, i, "duplicate span")
            seen.add(k)

    # report
    print(f"pool: {len(pool)} articles from {pool_dir}")
    deal_of = {r["pool_id"]: r["deal"] for r in a}
    for n, rows in quote_files.items():
        print(f"{n}: {len(rows)} quotes, {len(set(r['pool_id'] for r in rows))} articles")
        print("  kind:", dict(Counter(r["kind"] for r in rows)))
        print("  stance:", dict(Counter(r["stance"] for r in rows)))
        print("  speaker_type:", dict(Counter(r["speaker_type"] for r in rows)))
        other = sum(1 for r in rows if deal_of.get(r["pool_id"]) != "uk-france")
        print(f"  article deal other than uk-france: {other} ({other / max(1, len(rows)):.0%})")
    print(f"stance_quotes.csv: {len(q)} rows, {len(per_art)} articles")
    print("  label:", dict(Counter(r["label"] for r in q)))
    print("  kind:", dict(Counter(r["kind"] for r in q)))
    print("  target:", dict(Counter(r["target"] for r in q)))
    for d in sorted(DEALS):
        c = Counter(r["label"] for r in q if r["target"] == d)
        if c: print(f"    {d}: {dict(c)}")
    print(f"article_labels.csv: {len(a)} rows")
    print("  stance:", dict(Counter(r["stance"] for r in a)))
    print("  deal:", dict(Counter(r["deal"] for r in a)))
    print("  frames:", dict(Counter(x for r in a for x in r["frames"].split(";") if x)))
    print(f"frame_sentences.csv: {len(f)} rows, {len(set(r['pool_id'] for r in f))} articles")
    fc = Counter(x for r in f for x in r["frames"].split(";") if x)
    print("  frames:", dict(fc), " none:", sum(1 for r in f if not r["frames"]))
    few = [x for x in FRAMES if fc[x] < 10]
    if few: print("  WARNING frames with < 10 sentences:", few)
    if errors:
        print(f"\n{len(errors)} ERROR(S):")
        for e in errors[:200]: print("  " + e)
        sys.exit(1)
    print("\nOK: all checks passed")


if __name__ == "__main__":
    main()
