"""Fuzz the readers: 10,000 mutated inputs a format, each read from a file as `framewatch ingest`
reads it, and counted as articles, clean errors (`InputError`), other exceptions or hangs.

    python benchmarks/fuzz.py                      # 10,000 a format, 2 worker processes
    python benchmarks/fuzz.py -n 500 --formats csv,rss
    python benchmarks/fuzz.py --replay rss 4711    # read one case again, with its traceback

The inputs are the fixture corpus's real files broken by `tests/corpus/mutations.py` (byte flips,
truncation, BOMs, other encodings, invalid UTF-8, control characters, deep nesting, huge numbers
and fields, XXE and billion-laughs entities, corrupt archive members, unsafe member names, lying
sizes); case `i` of a format is the same on every run with the same `--seed`. Each record read is
also built into an `Article`. An input still being read after `--timeout` seconds is a hang: its
worker is killed and a new one starts. Exit status 1 if any input raised something other than
`InputError` or hung.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
import traceback
from collections import Counter
from multiprocessing.connection import Connection, wait
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # tests.corpus.mutations (PYTHONPATH first)

from tests.corpus.mutations import FORMATS, case, file_name  # noqa: E402


def read_case(fmt: str, seed: int, index: int, folder: Path) -> tuple[str, str]:
    """('articles' | 'errors' | 'other', detail) for one mutated input, read from a file."""
    from framewatch.corpus import Record, build_article, read_path
    from framewatch.errors import InputError

    path = folder / file_name(fmt)
    path.write_bytes(case(fmt, seed, index))
    errors = 0
    try:
        for item in read_path(path):
            if isinstance(item, InputError):
                errors += 1
            elif isinstance(item, Record):
                try:
                    build_article(item)
                except InputError:
                    errors += 1
            else:
                return "other", f"yielded a {type(item).__name__}"
    except Exception as exc:  # what the benchmark counts: anything but InputError
        return "other", f"{type(exc).__name__}: {str(exc)[:200]}"
    return ("errors" if errors else "articles"), ""


def _worker(conn: Connection, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="framewatch-fuzz-") as tmp:
        for fmt in FORMATS:  # warm up: imports and models loaded on first use are not an input's time
            read_case(fmt, seed, 0, Path(tmp))
        while True:
            task = conn.recv()
            if task is None:
                return
            fmt, index = task
            start = time.perf_counter()
            outcome, detail = read_case(fmt, seed, index, Path(tmp))
            conn.send((outcome, detail, time.perf_counter() - start))


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, seed: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, seed), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[str, int] | None = None
        self.started = 0.0

    def give(self, task: tuple[str, int]) -> None:
        self.task, self.started = task, time.perf_counter()
        self.conn.send(task)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()


def run(formats: list[str], n: int, seed: int, timeout: float, workers: int) -> dict[str, Counter]:
    ctx = mp.get_context("spawn")
    tasks = [(fmt, i) for fmt in formats for i in range(n)]
    tasks.reverse()
    counts: dict[str, Counter] = {fmt: Counter() for fmt in formats}
    slowest: dict[str, tuple[float, int]] = {fmt: (0.0, -1) for fmt in formats}
    examples: dict[str, list[str]] = {fmt: [] for fmt in formats}
    pool = [_Worker(ctx, seed) for _ in range(workers)]
    for w in pool:
        if tasks:
            w.give(tasks.pop())
    done, total, t0 = 0, len(tasks) + sum(w.task is not None for w in pool), time.perf_counter()
    while any(w.task is not None for w in pool):
        busy = [w for w in pool if w.task is not None]
        deadline = min(w.started for w in busy) + timeout
        ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - time.perf_counter()))
        now = time.perf_counter()
        for i, w in enumerate(pool):
            if w.task is None:
                continue
            fmt, index = w.task
            if w.conn in ready:
                outcome, detail, seconds = w.conn.recv()
                slowest[fmt] = max(slowest[fmt], (seconds, index))
            elif now - w.started >= timeout:
                outcome, detail, seconds = "hang", f"still reading after {timeout:g} s", now - w.started
                w.kill()
                pool[i] = w = _Worker(ctx, seed)
            else:
                continue
            counts[fmt][outcome] += 1
            if outcome in ("other", "hang") and len(examples[fmt]) < 5:
                examples[fmt].append(f"  {fmt} case {index}: {detail}")
            done += 1
            w.task = None
            if tasks:
                w.give(tasks.pop())
        if done and done % 2000 == 0:
            print(f"  ... {done:,}/{total:,} inputs, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    for w in pool:
        w.conn.send(None)
        w.proc.join(5)
    for fmt in formats:
        counts[fmt]["_slowest_ms"] = round(slowest[fmt][0] * 1000)
        counts[fmt]["_slowest_case"] = slowest[fmt][1]
    print_table(counts, timeout)
    for fmt in formats:
        for line in examples[fmt]:
            print(line)
    return counts


def print_table(counts: dict[str, Counter], timeout: float) -> None:
    print(f"| format | inputs | articles only | clean errors (InputError) | other exceptions | hangs (> {timeout:g} s) | slowest (case) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for fmt, c in counts.items():
        inputs = c["articles"] + c["errors"] + c["other"] + c["hang"]
        print(f"| {fmt} | {inputs:,} | {c['articles']:,} | {c['errors']:,} | {c['other']:,} | {c['hang']:,} | "
              f"{c['_slowest_ms'] / 1000:.2f} s ({c['_slowest_case']}) |")


def replay(fmt: str, index: int, seed: int) -> None:
    from framewatch.corpus import Record, build_article, read_path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / file_name(fmt)
        path.write_bytes(case(fmt, seed, index))
        print(f"{fmt} case {index}: {path.stat().st_size:,} bytes")
        try:
            for item in read_path(path):
                print(" ", item if not isinstance(item, Record) else f"record {item.where}: {str(item.fields.get('text'))[:80]!r}")
                if isinstance(item, Record):
                    build_article(item)
        except Exception:
            traceback.print_exc()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="mutated inputs a format (default 10,000)")
    ap.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated, of {', '.join(FORMATS)}")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds after which an input counts as a hang")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--replay", nargs=2, metavar=("FORMAT", "CASE"), help="read one case again and show it")
    args = ap.parse_args()
    if args.replay:
        replay(args.replay[0], int(args.replay[1]), args.seed)
        return 0
    formats = [f for f in args.formats.split(",") if f]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        ap.error(f"unknown format(s) {unknown}; use {', '.join(FORMATS)}")
    start = time.perf_counter()
    counts = run(formats, args.n, args.seed, args.timeout, args.workers)
    print(f"\n{sum(c['articles'] + c['errors'] + c['other'] + c['hang'] for c in counts.values()):,} inputs in "
          f"{time.perf_counter() - start:.0f} s (seed {args.seed}, {args.workers} workers)")
    return 1 if any(c["other"] or c["hang"] for c in counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
