"""Memory growth from new words: the nlp stage over articles that each bring unseen words.

    python benchmarks/vocab_growth.py ../shared/corpus/pool --n 20000 [--new-words 10] [--zone-size 2000]

A large archive keeps bringing words spaCy has not seen (names, places, numbers, misspellings),
and spaCy keeps every word it has seen unless it runs in a memory zone. Each article here is the
opening of a real excerpt under POOL_DIR plus a closing line of NEW_WORDS made-up names, so the
vocabulary grows as it would over a much larger corpus. The nlp stage (`framewatch.nlp.extract`)
runs over them twice in this process, once with memory zones of ZONE_SIZE articles (the default)
and once without (`zone_size=None`), and prints the growth of resident memory at each fifth.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from _memory import rss_mb

from framewatch.nlp import extract, load


def articles(texts: list[str], n: int, new_words: int, seed: int) -> Iterator[tuple[str, dict]]:
    rnd = random.Random(seed)

    def word() -> str:
        return rnd.choice(string.ascii_uppercase) + "".join(rnd.choices(string.ascii_lowercase, k=7))

    for i in range(n):
        names = " ".join(word() for _ in range(new_words))
        yield texts[i % len(texts)] + f"\nReported with {names}.", {"id": f"v{i}", "language": "en"}


def run(nlp, texts: list[str], args: argparse.Namespace, zone_size: int | None, seed: int) -> list[float]:
    gc.collect()
    start, growth = rss_mb(), []
    marks = {args.n * k // 5 for k in range(1, 6)}
    for k, ex in enumerate(extract(nlp, articles(texts, args.n, args.new_words, seed), zone_size=zone_size), 1):
        if ex.error:
            raise SystemExit(f"article {ex.id} failed: {ex.error}")
        if k in marks:
            growth.append(rss_mb() - start)
    return growth


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pool_dir", type=Path)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--new-words", type=int, default=10)
    ap.add_argument("--zone-size", type=int, default=2000)
    ap.add_argument("--chars", type=int, default=600, help="characters of each excerpt to keep (default 600)")
    args = ap.parse_args()
    cmd = "python benchmarks/vocab_growth.py " + " ".join(sys.argv[1:])
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"][: args.chars]
             for p in sorted(args.pool_dir.glob("*.json"))]
    if not texts:
        raise SystemExit(f"no *.json articles in {args.pool_dir}")
    nlp = load()
    list(extract(nlp, [(texts[0], {"id": "warm", "language": "en"})]))  # load everything lazy first
    # zones first: a run without zones leaves its words behind, which would flatter a later run
    for label, zone, seed in ((f"zones of {args.zone_size}", args.zone_size, 1), ("no zones", None, 2)):
        growth = run(nlp, texts, args, zone, seed)
        fifths = "  ".join(f"{args.n * k // 5}: +{g:.0f}" for k, g in enumerate(growth, 1))
        print(f"RSS growth MB, {label:<15} {fifths}   [{cmd}]", flush=True)
    print(f"vocabulary strings now  {len(nlp.vocab.strings)}   [{cmd}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
