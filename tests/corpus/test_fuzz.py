"""Property-based tests: every reader meets random bytes, malformed records and mutated real inputs
with articles or clean `InputError`s, never another exception (`benchmarks/fuzz.py` runs the same
mutations 10,000 times a format)."""

from __future__ import annotations

import gzip
import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framewatch.corpus import Article, Record, build_article, read_bytes, read_path
from framewatch.errors import InputError
from tests.corpus.mutations import FORMATS, SEEDS, file_name, mutate

EXTENSIONS = [".txt", ".html", ".json", ".jsonl", ".csv", ".tsv", ".rss", ".atom", ".xml", ".gz", ".zip", ".md", ".bin"]
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(items: list[Record | InputError], source: str) -> list[Record | InputError]:
    assert items, "every input yields an article or an error"
    for item in items:
        assert isinstance(item, (Record, InputError)), item
        if isinstance(item, InputError):
            assert item.source.startswith(source) and isinstance(item.reason, str) and item.reason.strip()
        else:
            try:  # building an article from whatever was read is clean too
                assert isinstance(build_article(item), Article)
            except InputError as exc:
                assert exc.reason
    return items


def _read_all(path: Path) -> list[Record | InputError]:
    return _check(list(read_path(path)), str(path))


MUTATED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", FORMATS)
def test_mutated_real_inputs_give_articles_or_input_errors(fmt: str) -> None:
    # 200 breakages of a real input a format: flipped bytes, truncation, BOMs, other encodings,
    # control characters, deep nesting, huge numbers and fields, XXE, broken archive members ...
    name = file_name(fmt)
    _check(list(read_bytes(SEEDS[fmt], name)), name)  # the seed itself reads

    @MUTATED
    @given(rng=st.randoms(use_true_random=False))
    def mutated(rng: random.Random) -> None:
        _check(list(read_bytes(mutate(SEEDS[fmt], fmt, rng), name)), name)

    mutated()


@FUZZ
@given(data=st.binary(max_size=2000), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes_never_crash(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{ext}"
        path.write_bytes(data)
        _read_all(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
records = st.dictionaries(
    st.sampled_from(["id", "url", "title", "text", "body", "date", "published", "outlet", "author", "x"]),
    json_values, max_size=7)


@FUZZ
@given(rows=st.lists(records | json_values, max_size=6))
def test_malformed_json_records_never_crash(rows: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "a.jsonl"
        jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
        _read_all(jsonl)
        whole = Path(tmp) / "a.json"
        whole.write_text(json.dumps(rows))
        _read_all(whole)
        gz = Path(tmp) / "a.jsonl.gz"
        gz.write_bytes(gzip.compress(jsonl.read_bytes()))
        _read_all(gz)


@FUZZ
@given(lines=st.lists(st.lists(st.text(max_size=30), max_size=6), min_size=1, max_size=6))
def test_malformed_csv_never_crashes(lines: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.csv"
        path.write_text("\n".join(",".join(cells) for cells in lines), encoding="utf-8")
        _read_all(path)


@FUZZ
@given(fragments=st.lists(st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<article>", "<div", ">", "<!--",
                                           "<script>", "&amp;", "&#xZZ;", "\x00", "The deal", "Cooper said",
                                           "<meta charset='koi8-r'>", "</html>", "\n"]), max_size=30))
def test_malformed_html_never_crashes(fragments: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.html"
        path.write_text("".join(fragments), encoding="utf-8")
        _read_all(path)
        feed = Path(tmp) / "a.rss"
        feed.write_text("<rss><channel><item><description>" + "".join(fragments), encoding="utf-8")
        _read_all(feed)
