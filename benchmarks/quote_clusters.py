#!/usr/bin/env python3
"""Quote clusters against a hand-judged gold set: pairwise recall and false merges.

    python benchmarks/quote_clusters.py SHARED_DIR [--db PATH] [--gold FILE] [--explain] [--sweep]
                                        [--minhash] [--speakers] [--json]

SHARED_DIR holds corpus/dev, corpus/pool and corpus/open (or pass folders with --corpus). They
are ingested and analysed into --db (a temporary file unless given; a given one is reused,
analysis is incremental), their quotes clustered by `framewatch.reports.provenance`, and the
clusters scored against --gold (default benchmarks/data/quote_clusters_gold.json; same format
for any other corpus: clusters of members with article_id, start, end into the article text as
given, kind; and `ignore`).

A predicted quote stands for a gold printing when they overlap by half the shorter. Pairs are
of printings in different articles:
- recall: gold pairs whose two printings are found as quotes in one predicted cluster; "found"
  also counts a gold printing the nlp stage did not find as a quote as a miss, "clustering"
  leaves such pairs out (the nlp stage's misses are its own benchmark's business);
- false merges: predicted pairs (both found) whose printings are not one gold cluster, as a share
  of all predicted pairs; pairs with an `ignore`d printing count neither way.
"direct" rows keep only pairs of printings that are direct quotes in the gold set.

--sweep reruns the clustering over a grid of cover thresholds; --minhash compares the 3-gram
index's candidates with datasketch's MinHash LSH on the gold pairs; --speakers measures on the
dev articles (gold speakers, the shared scorer's name match) whether taking each cluster's
majority speaker for members that disagree or name none mends attribution.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framewatch import pipeline  # noqa: E402
from framewatch.corpus import Store, ingest  # noqa: E402
from framewatch.reports.data import ReportData  # noqa: E402
from framewatch.reports.provenance import QuoteClusterer, eligible, words  # noqa: E402

GOLD = ROOT / "benchmarks" / "data" / "quote_clusters_gold.json"


def build_db(db: Path, corpus: list[Path]) -> None:
    with Store(db) as store:
        r = ingest(corpus, store)
        print(f"ingest: {r.as_dict()}", file=sys.stderr)
        t = time.perf_counter()
        a = pipeline.analyse_store(store)
        print(f"analyse: {a.as_dict()} in {time.perf_counter() - t:.0f} s", file=sys.stderr)


def raw_position(raw: str, text: str, start: int) -> tuple[int, int] | None:
    """Where a quote found in the cleaned text sits in the article text as given (cleaning only
    removes text, so the raw offset is at or after the cleaned one)."""
    hits, i = [], raw.find(text)
    while i >= 0:
        hits.append(i)
        i = raw.find(text, i + 1)
    if not hits:
        return None
    after = [h for h in hits if h >= start]
    s = min(after) if after else max(hits)
    return s, s + len(text)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def map_quotes(quotes: pd.DataFrame, raw: dict[str, str], gold: dict) -> pd.DataFrame:
    """Each eligible predicted quote with the gold printing it stands for (or None) and whether
    it is ignored."""
    members = defaultdict(list)
    for c in gold["clusters"]:
        for i, m in enumerate(c["members"]):
            members[m["article_id"]].append(((m["start"], m["end"]), (c["cluster"], i), m["kind"]))
    ignored = defaultdict(list)
    for m in gold.get("ignore", []):
        ignored[m["article_id"]].append((m["start"], m["end"]))
    rows = []
    for q in quotes.itertuples(index=False):
        pos = raw_position(raw.get(q.article_id, ""), q.text, int(q.start))
        g = ign = None
        kind = None
        if pos is not None:
            best = 0
            for span, key, k in members.get(q.article_id, ()):
                inter = min(pos[1], span[1]) - max(pos[0], span[0])
                if _overlaps(pos, span) and inter > best:
                    best, g, kind = inter, key, k
            ign = g is None and any(_overlaps(pos, s) for s in ignored.get(q.article_id, ()))
        rows.append({"gold": g, "gold_kind": kind, "ignored": bool(ign)})
    return pd.concat([quotes.reset_index(drop=True), pd.DataFrame(rows)], axis=1)


def score(mapped: pd.DataFrame, members: pd.DataFrame, gold: dict) -> dict:
    """Pairwise recall and false merges (see the module docstring)."""
    key = {(a, int(s), int(e)): c for a, s, e, c in zip(members["article_id"], members["start"], members["end"],
                                                       members["cluster"])}
    mapped = mapped.assign(cluster=[key.get((a, int(s), int(e))) for a, s, e in
                                    zip(mapped["article_id"], mapped["start"], mapped["end"])])
    found = defaultdict(set)  # gold printing -> predicted clusters of the quotes standing for it
    for g, c in zip(mapped["gold"], mapped["cluster"]):
        if g is not None:
            found[g].add(c)
    out: dict = {}
    for scope in ("all", "direct"):
        pairs = hit = pairs_found = 0
        missed = []
        for c in gold["clusters"]:
            ms = [(i, m) for i, m in enumerate(c["members"]) if scope == "all" or m["kind"] == "direct"]
            for (i, a), (j, b) in itertools.combinations(ms, 2):
                if a["article_id"] == b["article_id"]:
                    continue
                pairs += 1
                fa, fb = found.get((c["cluster"], i)), found.get((c["cluster"], j))
                if fa and fb:
                    pairs_found += 1
                    if (fa & fb) - {None}:
                        hit += 1
                        continue
                missed.append((c["cluster"], a["article_id"], b["article_id"], a["text"][:60], b["text"][:60],
                               "not found" if not (fa and fb) else "not clustered"))
        # predicted pairs
        m = mapped[mapped["cluster"].notna() & ~mapped["ignored"]]
        if scope == "direct":
            m = m[m["gold_kind"].eq("direct") | (m["gold"].isna() & m["kind"].eq("direct"))]
        tp = fp = 0
        wrong = []
        for _, g in m.groupby("cluster"):
            rows = list(g.itertuples(index=False))
            for a, b in itertools.combinations(rows, 2):
                if a.article_id == b.article_id:
                    continue
                if a.gold is not None and b.gold is not None and a.gold[0] == b.gold[0]:
                    tp += 1
                else:
                    fp += 1
                    wrong.append((int(a.cluster), a.article_id, b.article_id, a.text[:60], b.text[:60]))
        out[scope] = {"gold_pairs": pairs, "recall_found": round(hit / pairs, 4) if pairs else None,
                      "recall_clustering": round(hit / pairs_found, 4) if pairs_found else None,
                      "gold_pairs_found": pairs_found, "predicted_pairs": tp + fp, "false_merges": fp,
                      "false_merge_rate": round(fp / (tp + fp), 4) if tp + fp else 0.0,
                      "precision": round(tp / (tp + fp), 4) if tp + fp else None,
                      "_missed": missed, "_wrong": wrong}
    return out


def minhash_recall(quotes: pd.DataFrame, mapped: pd.DataFrame, gold: dict, thresholds=(0.5, 0.3, 0.1)) -> dict:
    """Share of found gold pairs whose two quotes are candidates: the 3-gram index (any shared
    3-gram that is not all stop words) against datasketch MinHash LSH on the same 3-gram sets."""
    from datasketch import MinHash, MinHashLSH

    def grams(text: str) -> set[str]:
        k = [w for _, w, _ in words(text)]
        return {" ".join(k[i:i + 3]) for i in range(len(k) - 2)}

    qs = mapped[mapped["gold"].notna()].reset_index(drop=True)
    sets = [grams(t) for t in qs["text"]]
    qc = QuoteClusterer()
    stop = qc._stop_words
    inform = [{g for g in s if not all(w in stop for w in g.split())} for s in sets]
    pairs = []
    for (i, a), (j, b) in itertools.combinations(list(enumerate(qs.itertuples(index=False))), 2):
        if a.article_id != b.article_id and a.gold[0] == b.gold[0]:
            pairs.append((i, j))
    res = {"pairs": len(pairs), "index": round(sum(bool(inform[i] & inform[j]) or sets[i] == sets[j]
                                                   for i, j in pairs) / max(1, len(pairs)), 4)}
    sigs = []
    for s in sets:
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([g.encode() for g in s] or [b""])
        sigs.append(m)
    for t in thresholds:
        lsh = MinHashLSH(threshold=t, num_perm=128)
        for i, m in enumerate(sigs):
            lsh.insert(str(i), m)
        res[f"minhash_lsh_{t}"] = round(sum(str(j) in lsh.query(sigs[i]) for i, j in pairs) / max(1, len(pairs)), 4)
    return res


def speakers(shared: Path, quotes: pd.DataFrame, result) -> dict:  # type: ignore[no-untyped-def]
    """Dev speaker accuracy (the shared scorer's quote matching and name match) before and after
    the cluster vote mends members."""
    sys.path.insert(0, str(shared / "eval"))
    import score as scorer  # the shared scorer

    mended = result.mend_speakers(quotes)
    out = {}
    for name, q in (("before", quotes), ("after", mended)):
        ok = n = 0
        for f in sorted((shared / "corpus" / "dev").glob("*.json")):
            gold = json.loads(f.read_text("utf-8"))
            gd = [g for g in gold.get("quotes", []) if g.get("kind") == "direct"]
            pq = q[(q["article_id"] == gold["id"]) & (q["kind"] == "direct")]
            pd_ = [{"text": t, "speaker": s} for t, s in zip(pq["text"], pq["speaker"]) if len(scorer.words(t)) >= 4]
            pairs = scorer.greedy(gd, pd_, lambda g, p: scorer.overlap(g["text"], p["text"]))
            n += len(pairs)
            ok += sum(bool(g.get("speaker")) and scorer.same_person(g["speaker"], p["speaker"]) for g, p in pairs)
        out[name] = {"matched_direct_quotes": n, "speaker_accuracy": round(ok / n, 4) if n else None}
    changed = mended[mended["speaker_mended"]]
    out["mended_quotes"] = int(len(changed))
    out["mended_in_dev"] = int(changed["article_id"].isin({f.stem for f in (shared / "corpus" / "dev").glob("*.json")}).sum())
    return out


def run(quotes: pd.DataFrame, **params) -> tuple:  # type: ignore[no-untyped-def]
    q = quotes.copy()
    q["_pub"] = pd.to_datetime(q["published"], errors="coerce")
    q = q.sort_values("_pub", na_position="last", kind="stable").drop(columns="_pub")
    qc = QuoteClusterer(**params)
    t = time.perf_counter()
    qc.add(q)
    res = qc.result()
    return res, time.perf_counter() - t, qc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path, nargs="?", help="folder holding corpus/dev, corpus/pool, corpus/open")
    ap.add_argument("--corpus", type=Path, action="append", help="corpus folders (instead of SHARED/corpus/*)")
    ap.add_argument("--db", type=Path, help="DuckDB file to build or reuse")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--explain", action="store_true", help="list missed gold pairs and false merges")
    ap.add_argument("--sweep", action="store_true", help="recall and false merges over cover thresholds")
    ap.add_argument("--minhash", action="store_true", help="candidate recall: 3-gram index vs MinHash LSH")
    ap.add_argument("--speakers", action="store_true", help="does the cluster speaker vote mend dev attribution?")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    corpus = args.corpus or ([args.shared / "corpus" / d for d in ("dev", "pool", "open")] if args.shared else None)
    if not corpus:
        ap.error("give SHARED_DIR or --corpus")
    gold = json.loads(args.gold.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "quotes.duckdb"
        build_db(db, [c for c in corpus if c.exists()])
        with Store(db, read_only=True) as store:
            data = ReportData.from_store(store)
            raw = {i: (r if r is not None else t) for i, r, t in
                   store.con.execute("SELECT id, raw_text, text FROM articles").fetchall()}
    quotes = data["quotes"]
    res, secs, qc = run(quotes)
    mapped = map_quotes(eligible(quotes), raw, gold)
    report: dict = {"articles": int(data.articles.shape[0]), "eligible_quotes": int(len(mapped)),
                    "forms": qc.forms, "comparisons": qc.comparisons, "seconds": round(secs, 3),
                    "clusters": int(len(res.clusters)), "clustered_quotes": int(len(res.members)),
                    "gold_clusters": len(gold["clusters"]),
                    "gold_printings": sum(len(c["members"]) for c in gold["clusters"]),
                    "scores": score(mapped, res.members, gold)}
    if args.sweep:
        report["sweep"] = []
        for cover, content in itertools.product((0.5, 0.6, 0.7, 0.8), (0.5, 0.6, 0.7)):
            r, _, _ = run(quotes, min_cover=cover, min_content_cover=content)
            s = score(mapped, r.members, gold)
            report["sweep"].append({"min_cover": cover, "min_content_cover": content,
                                    **{f"{k}_{sc}": s[sc][k] for sc in ("all", "direct")
                                       for k in ("recall_clustering", "false_merge_rate")}})
    if args.minhash:
        report["candidates"] = minhash_recall(quotes, mapped, gold)
    if args.speakers and args.shared:
        report["speaker_vote"] = speakers(args.shared, quotes, res)
    if args.json:
        print(json.dumps(_public(report), indent=1))
        return 0
    for k, v in report.items():
        if k == "scores":
            for scope, s in v.items():
                print(f"{scope:7} gold pairs {s['gold_pairs']} (found as quotes {s['gold_pairs_found']}): "
                      f"recall {s['recall_found']} (of found: {s['recall_clustering']}); predicted pairs "
                      f"{s['predicted_pairs']}, false merges {s['false_merges']} ({s['false_merge_rate']:.1%})")
        elif k == "sweep":
            print(pd.DataFrame(v).to_string(index=False))
        else:
            print(f"{k}: {v}")
    if args.explain:
        for scope in ("all",):
            s = report["scores"][scope]
            print("\nmissed gold pairs:")
            for m in s["_missed"]:
                print("  ", m)
            print("\nfalse merges:")
            for w in s["_wrong"]:
                print("  ", w)
    return 0


def _public(obj):  # type: ignore[no-untyped-def]
    if isinstance(obj, dict):
        return {k: _public(v) for k, v in obj.items() if not str(k).startswith("_")}
    if isinstance(obj, list):
        return [_public(v) for v in obj]
    return obj


if __name__ == "__main__":
    raise SystemExit(main())
