#!/usr/bin/env python3
"""Quote clustering time and memory at 10,000, 30,000 and 100,000 articles.

    python benchmarks/quote_cluster_scaling.py SHARED_DIR [--sizes 10000 30000 100000] [--batch 1000]
                                               [--quotes 5] [--json]

The articles are synthetic variations of real text: quotes drawn from the quoted strings and
sentences of SHARED_DIR/corpus/{dev,pool,open}, new ones made by a word-bigram chain over the
same texts (so they share stock phrases as real quotes do), a share of articles syndicated
copies of earlier ones, and a share of quotes re-quoted later truncated, with words dropped or
changed, or in reported speech. Every size runs in a fresh process (peak resident memory is the
process's own), adding its articles `--batch` at a time as a daily ingest would, then building
the clusters. Seeded: the same command gives the same corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PRONOUNS = {"we": "they", "I": "he", "our": "their", "my": "his", "will": "would", "is": "was", "are": "were",
            "us": "them", "can": "could"}
_WORD = re.compile(r"\S+")


def source_texts(shared: Path) -> list[str]:
    texts = []
    for d in ("dev", "pool", "open"):
        for f in sorted((shared / "corpus" / d).glob("*.json")):
            texts.append(json.loads(f.read_text("utf-8"))["text"])
    return texts


def real_quotes(texts: list[str]) -> list[str]:
    quoted = re.compile(r"[“\"]([^”\"\n]{30,300})[”\"]")
    out = [m.group(1) for t in texts for m in quoted.finditer(t)]
    for t in texts:  # sentences of 8-40 words: quotes of a kind too
        out += [s for s in re.split(r"(?<=[.!?])\s+|\n", t) if 8 <= len(s.split()) <= 40]
    return sorted(set(out))


class Bigram:
    def __init__(self, texts: list[str]) -> None:
        self.next: dict[str, list[str]] = {}
        for t in texts:
            ws = _WORD.findall(t)
            for a, b in zip(ws, ws[1:]):
                self.next.setdefault(a, []).append(b)
        self.starts = [w for w in self.next if w[:1].isupper()]

    def sentence(self, rng: random.Random) -> str:
        w = rng.choice(self.starts)
        out = [w]
        for _ in range(rng.randint(7, 34)):
            w = rng.choice(self.next.get(w) or self.starts)
            out.append(w)
        return " ".join(out)


def alter(q: str, rng: random.Random, vocab: list[str]) -> tuple[str, str]:
    """A re-quoted form: truncated, words dropped or changed, or reported speech."""
    ws = q.split()
    how = rng.choice(("truncate", "drop", "change", "reported"))
    if how == "truncate" and len(ws) > 8:
        ws = ws[: rng.randint(max(5, len(ws) // 2), len(ws) - 1)]
    elif how == "drop" and len(ws) > 6:
        for _ in range(rng.randint(1, 2)):
            del ws[rng.randrange(1, len(ws) - 1)]
    elif how == "change":
        for _ in range(rng.randint(1, 2)):
            ws[rng.randrange(len(ws))] = rng.choice(vocab)
    else:
        ws = [PRONOUNS.get(w, w) for w in ws]
        return " ".join(ws), "indirect"
    return " ".join(ws), "direct"


def make_quotes(n: int, shared: Path, per_article: float, seed: int = 19):  # type: ignore[no-untyped-def]
    import pandas as pd

    rng = random.Random(seed)
    texts = source_texts(shared)
    real = real_quotes(texts)
    chain = Bigram(texts)
    vocab = sorted({w for t in texts for w in _WORD.findall(t) if w.isalpha()})
    rows: list[tuple] = []
    by_article: list[list[tuple[str, str]]] = []
    printed: list[str] = []  # quotes so far, for re-quoting
    start = pd.Timestamp("2024-01-01")
    for i in range(n):
        day = (start + pd.Timedelta(days=int(i * 540 / n) + rng.randint(0, 3))).date().isoformat()
        if by_article and rng.random() < 0.15:  # a syndicated copy of a recent article
            quotes = list(by_article[rng.randrange(max(0, len(by_article) - 200), len(by_article))])
        else:
            quotes = []
            for _ in range(max(1, int(rng.gauss(per_article, 2)))):
                r = rng.random()
                if printed and r < 0.2:
                    quotes.append(alter(rng.choice(printed[-5000:]), rng, vocab))
                elif r < 0.35:
                    quotes.append((rng.choice(real), "direct" if rng.random() < 0.6 else "indirect"))
                else:
                    quotes.append((chain.sentence(rng), "direct" if rng.random() < 0.6 else "indirect"))
            printed.extend(q for q, _ in quotes)
        by_article.append(quotes)
        pos = 0
        for text, kind in quotes:
            rows.append((f"s{i}", text, kind, pos, pos + len(text), None, f"outlet{rng.randrange(300)}", day, None))
            pos += len(text) + 40
    return pd.DataFrame(rows, columns=["article_id", "text", "kind", "start", "end", "speaker", "outlet", "published",
                                       "url"])


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(n: int, shared: Path, batch: int, per_article: float) -> dict:
    from framewatch.reports.provenance import QuoteClusterer

    t = time.perf_counter()
    quotes = make_quotes(n, shared, per_article)
    gen = time.perf_counter() - t
    ids = quotes["article_id"].str[1:].astype(int)
    before = rss_mb()
    qc = QuoteClusterer()
    t = time.perf_counter()
    for b in range(0, n, batch):
        qc.add(quotes[(ids >= b) & (ids < b + batch)])
    t_add = time.perf_counter() - t
    t = time.perf_counter()
    res = qc.result()
    t_result = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": n, "quotes": int(len(quotes)), "forms": qc.forms, "weighed": qc.weighed, "comparisons": qc.comparisons,
            "clusters": int(len(res.clusters)), "clustered_quotes": int(len(res.members)),
            "seconds_add": round(t_add, 2), "seconds_result": round(t_result, 2),
            "seconds_total": round(t_add + t_result, 2), "index_mb": round(qc.nbytes() / 2**20, 1),
            "rss_before_mb": round(before, 1), "peak_rss_mb": round(peak, 1),
            "peak_over_data_mb": round(peak - before, 1), "generate_seconds": round(gen, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path, help="folder holding corpus/dev, corpus/pool, corpus/open")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--batch", type=int, default=1000, help="articles added at a time")
    ap.add_argument("--quotes", type=float, default=5.0, help="mean quotes per article (dev and pool: 4.7)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.shared, args.batch, args.quotes)))
        return 0
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, str(args.shared), "--child", str(n), "--batch", str(args.batch),
                              "--quotes", str(args.quotes)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        if not args.json:
            r = rows[-1]
            print(f"{r['articles']:>7,} articles {r['quotes']:>8,} quotes: {r['seconds_total']:7.1f} s "
                  f"({r['seconds_add']} add + {r['seconds_result']} clusters), {r['weighed']:,} pairs weighed, {r['comparisons']:,} aligned, "
                  f"index {r['index_mb']} MB, peak RSS {r['peak_rss_mb']} MB ({r['peak_over_data_mb']} MB over the "
                  f"quotes table), {r['clusters']:,} clusters", flush=True)
    if len(rows) > 1 and not args.json:
        a, b = rows[0], rows[-1]
        print(f"x{b['articles'] / a['articles']:.0f} articles: x{b['seconds_total'] / a['seconds_total']:.1f} time, "
              f"x{b['peak_over_data_mb'] / max(a['peak_over_data_mb'], 1e-9):.1f} memory over the data")
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
