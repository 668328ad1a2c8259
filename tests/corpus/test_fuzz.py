"""Property-based tests: every reader meets random bytes and malformed records with clean errors."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framewatch.corpus import Article, Record, build_article, read_path
from framewatch.errors import InputError

EXTENSIONS = [".txt", ".html", ".json", ".jsonl", ".csv", ".tsv", ".rss", ".atom", ".xml", ".gz", ".zip", ".md", ".bin"]
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_all(path: Path) -> list[Record | InputError]:
    items = list(read_path(path))
    for item in items:
        assert isinstance(item, (Record, InputError)), item
        if isinstance(item, InputError):
            assert item.source.startswith(str(path)) and item.reason
        else:
            try:  # building an article from whatever was read is clean too
                assert isinstance(build_article(item), Article)
            except InputError as exc:
                assert exc.reason
    return items


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
