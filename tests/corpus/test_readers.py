from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from framewatch.corpus import Article, FieldMap, Record, build_article, read_articles, read_bytes, read_path
from framewatch.errors import InputError


def records(path: Path, **kw) -> tuple[list[Record], list[InputError]]:
    items = list(read_path(path, **kw))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, InputError)]


def test_html_main_text_and_metadata(corpus_dir: Path) -> None:
    recs, errs = records(corpus_dir / "gov_press_release.html")
    assert errs == []
    [rec] = recs
    f = rec.fields
    assert f["title"] == "UK-France Treaty on Illegal Crossings Enacted"
    assert f["outlet"] == "GOV.UK"
    assert f["author"] == "Home Office"
    assert f["date"] == "2025-08-04"
    assert f["url"] == "https://www.gov.uk/government/news/uk-france-treaty-on-illegal-crossings-enacted"
    assert "ratification of a treaty between the UK and France" in f["text"]
    # navigation and footer are not article text
    assert "Contact" not in f["text"] and "Cookies" not in f["text"]


def test_html_without_article_text_is_an_error(corpus_dir: Path) -> None:
    recs, errs = records(corpus_dir / "navigation_only.html")
    assert recs == []
    assert [str(e) for e in errs] == [
        f"{corpus_dir / 'navigation_only.html'}: malformed or empty HTML: no article text found "
        "(is it a navigation or index page?)"]


def test_rss_entries(corpus_dir: Path) -> None:
    recs, errs = records(corpus_dir / "home_office.rss")
    assert errs == []
    assert [r.fields["id"] for r in recs] == ["ho-2025-11-07", "ho-2024-04-23"]
    first = recs[0].fields
    assert first["title"] == "Latest statement in response to small boat crossings"
    assert first["outlet"] == "Home Office media blog"
    assert "A Home Office spokesperson said:" in first["text"]
    assert "<p>" not in first["text"]
    assert build_article(recs[1]).published == dt.date(2024, 4, 23)


def test_atom_entry(corpus_dir: Path) -> None:
    [rec], errs = records(corpus_dir / "publications.atom")
    assert errs == []
    assert rec.fields["author"] == "Home Office"
    assert rec.fields["title"] == "UK-Germany Joint Action Plan on Irregular Migration"
    assert "Calais Group partners" in rec.fields["text"]


def test_csv_with_field_mapping(corpus_dir: Path) -> None:
    recs, errs = records(corpus_dir / "export.csv", field_map={"date": "pub_date"})
    assert errs == []
    arts = [build_article(r) for r in recs]
    assert [a.id for a in arts] == ["csv-1", "csv-2"]
    assert arts[0].title == "UK and France agree major deal to crack down on illegal Channel crossings"
    assert arts[0].outlet == "Prime Minister's Office"
    assert arts[0].published == dt.date(2025, 7, 11)  # 11/07/2025 read day first
    assert arts[1].published == dt.date(2024, 4, 25)


def test_csv_bad_rows_are_reported_with_line_numbers(corpus_dir: Path) -> None:
    path = corpus_dir / "export_bad_rows.csv"
    recs, errs = records(path)
    assert [r.fields["id"] for r in recs] == ["ok-1", "ok-2"]
    assert [str(e) for e in errs] == [
        f"{path}:3: malformed CSV row: 7 fields, the header has 5",
        f"{path}:4: row has no text: expected one of the fields text, body, content, article, full_text, "
        "maintext, article_text (or map yours with --field text=NAME)",
    ]


def test_jsonl_bad_lines_do_not_stop_the_file(corpus_dir: Path) -> None:
    path = corpus_dir / "articles.jsonl"
    recs, errs = records(path)
    assert [r.fields["id"] for r in recs] == ["j-1", "j-2"]
    assert [(e.line, e.reason.split(":")[0]) for e in errs] == [
        (2, "malformed JSON"), (4, "record is a JSON list, not an object with a text field"), (5, "record has no text")]
    # 'content' and 'published' and 'source' are mapped by default
    j2 = recs[1].fields
    assert j2["date"] == "2025-08-04" and j2["outlet"] == "miragenews.com" and j2["text"].startswith("UK-France Treaty")


def test_json_object_with_article_list(corpus_dir: Path) -> None:
    recs, errs = records(corpus_dir / "bundle.json")
    assert errs == []
    assert [(r.fields["id"], r.fields["outlet"], r.line) for r in recs] == [
        ("list-1", "Home Office", 1), ("list-2", "Home Office", 2)]


def test_text_front_matter(corpus_dir: Path) -> None:
    [rec], errs = records(corpus_dir / "action_plan.txt")
    assert errs == []
    art = build_article(rec)
    assert (art.title, art.outlet, art.author, art.published) == (
        "UK-Germany Joint Action Plan on Irregular Migration", "Home Office", "Home Office", dt.date(2024, 12, 10))
    assert not art.text.startswith("---")
    assert art.id.startswith("u-")  # derived from the url


def test_text_sidecar_metadata(corpus_dir: Path) -> None:
    [rec], errs = records(corpus_dir / "factsheet.txt")
    assert errs == []
    assert rec.fields["title"] == "Safety of Rwanda (Asylum and Immigration) Bill: factsheet"
    assert rec.fields["date"] == "2024-04-25"


def test_cp1252_text_is_decoded_with_a_note(corpus_dir: Path) -> None:
    [rec], _ = records(corpus_dir / "legacy_cp1252.txt")
    art = build_article(rec)
    assert "\u2018one in, one out\u2019 will cost \u00a3500m, the minist\u00e8re said \u2013" in art.text
    assert "decoded as cp1252 (not valid UTF-8)" in art.notes


def test_directory_walk_skips_sidecars_and_readmes(corpus_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("About this folder")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text("The deal will see people returned to France within days, officials said.")
    (tmp_path / "sub" / "story.meta.json").write_text('{"outlet": "Example"}')
    (tmp_path / ".hidden.txt").write_text("not read")
    recs, errs = records(tmp_path)
    assert errs == []
    assert [(Path(r.source).name, r.fields.get("outlet")) for r in recs] == [("story.txt", "Example")]


def test_gzip_and_zip_archives(corpus_dir: Path, tmp_path: Path) -> None:
    jsonl = (corpus_dir / "articles.jsonl").read_bytes()
    (tmp_path / "articles.jsonl.gz").write_bytes(gzip.compress(jsonl))
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as zf:
        zf.write(corpus_dir / "gov_press_release.html", "site/press.html")
        zf.writestr("site/articles.jsonl.gz", gzip.compress(jsonl))
        zf.writestr("site/notes.pdf", b"%PDF-1.4 binary")
    recs, errs = records(tmp_path / "articles.jsonl.gz")
    assert [r.fields["id"] for r in recs] == ["j-1", "j-2"] and len(errs) == 3
    recs, errs = records(tmp_path / "bundle.zip")
    assert [r.source.split("!")[1] for r in recs] == ["site/articles.jsonl.gz", "site/articles.jsonl.gz", "site/press.html"]
    assert f"{tmp_path / 'bundle.zip'}!site/notes.pdf: unknown file type '.pdf'" in "\n".join(map(str, errs))


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", b"", "empty file"),
    ("blank.html", b"  \n ", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data, not text"),
    ("doc.pdf", b"%PDF-1.4", "unknown file type '.pdf'"),
    ("noext", b"hello", "unknown file type '(no extension)'"),
    ("broken.json", b'{"text": "a', "malformed JSON: Unterminated string"),
    ("list.json", b"[]", "empty JSON list: no articles"),
    ("number.json", b"42", "item is a JSON int, not an object with a text field"),
    ("bad.rss", b"<rss><channel><title>x</title>", "malformed or empty feed"),
    ("bad.csv", b"\n\n", "empty CSV: no header row"),
    ("bad.gz", b"not gzip at all", "corrupt gzip archive"),
    ("bad.zip", b"PK\x03\x04 truncated", "corrupt zip archive"),
])
def test_bad_files_give_one_clear_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    items = list(read_path(path))
    assert len(items) == 1 and isinstance(items[0], InputError), items
    assert items[0].source == str(path)
    assert items[0].reason.startswith(reason), items[0].reason


def test_huge_file_is_refused_but_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "a_huge.txt").write_text("word " * 3000)
    (tmp_path / "b_ok.txt").write_text("The pilot will initially run until June 2026, allowing both countries to test it.")
    items = list(read_path(tmp_path, limits=["file_bytes=10KB"]))
    assert isinstance(items[0], InputError)
    assert items[0].reason == ("file is 15,000 bytes, over the 10,000 bytes file_bytes limit "
                               "(split it, or raise it with --limit file_bytes=SIZE)")
    assert isinstance(items[1], Record)
    assert [type(i) for i in read_path(tmp_path, max_bytes=10_000)] == [InputError, Record]  # the shortcut


def test_missing_path(tmp_path: Path) -> None:
    [err] = list(read_path(tmp_path / "nope"))
    assert isinstance(err, InputError) and err.reason == "no such file or directory"


def test_field_map_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError, match="unknown article field 'body'"):
        FieldMap.with_overrides({"body": "story"})


def test_html_inside_json_text_field_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "h", "text": "<p>First paragraph about the deal.</p><p>Second &amp; last.</p>"}) + "\n")
    [art] = list(read_articles([path]))
    assert isinstance(art, Article)
    assert art.text == "First paragraph about the deal.\nSecond & last."


def test_csv_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("id,text\nx,\"\u201cWe will do whatever it takes,\u201d the minister said of the \u00a3500m plan.\"\n".encode("cp1252"))
    [rec] = list(read_path(path))
    assert isinstance(rec, Record)
    assert rec.fields["text"] == "\u201cWe will do whatever it takes,\u201d the minister said of the \u00a3500m plan."
    assert rec.notes == ("decoded as cp1252 (not valid UTF-8)",)


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeffHome Secretary Yvette Cooper signed the treaty.".encode("utf-16-le"))
    [rec] = list(read_path(path))
    assert isinstance(rec, Record) and rec.fields["text"] == "Home Secretary Yvette Cooper signed the treaty."


def test_jsonl_streams_a_file_larger_than_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        for i in range(300):
            fh.write(json.dumps({"id": f"a{i}", "text": f"Article number {i} about the returns deal."}) + "\n")
    items = list(read_path(path, limits={"file_bytes": 2_000, "line_bytes": 200}))
    assert sum(isinstance(i, Record) for i in items) == 300


def test_jsonl_record_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "x " * 2000}) + "\n" + json.dumps({"id": "ok", "text": "fine"}) + "\n")
    items = list(read_path(path, limits={"line_bytes": 1_000}))
    assert isinstance(items[0], InputError) and items[0].line == 1
    assert items[0].reason == ("line of 4,026 bytes is over the 1,000-byte line_bytes limit "
                               "(raise it with --limit line_bytes=SIZE)")
    assert isinstance(items[1], Record)


def test_io_stream_helper_roundtrip() -> None:
    from framewatch.corpus.readers import read_jsonl

    stream = io.BytesIO(b'{"id": "1", "text": "One article."}\n')
    [rec] = list(read_jsonl(stream, "mem", FieldMap()))
    assert isinstance(rec, Record) and rec.where == "mem:1"


# --------------------------------------------------------------------------------------------
# Robust input: what a crawler really produces gives articles or one clean error each.

GOOD = {"id": "g1", "text": "Home Secretary Yvette Cooper signed the treaty in London today."}


def _zip(members: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _read(name: str, data: bytes, **kw) -> list[str | tuple]:
    """What read_bytes gives: error messages, and (source, line) for each record."""
    return [str(i) if isinstance(i, InputError) else (i.source, i.line) for i in read_bytes(data, name, **kw)]


def test_a_corrupt_zip_member_costs_only_that_member() -> None:
    data = bytearray(_zip({"a.jsonl": (json.dumps(GOOD) + "\n") * 30, "b.txt": GOOD["text"]}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("a.jsonl")
    start = info.header_offset + 30 + len(info.filename)  # the member's compressed bytes
    data[start + 5] ^= 0xFF
    data[start + 8] ^= 0x55
    assert _read("c.zip", bytes(data)) == [
        "c.zip!a.jsonl: cannot read zip member: corrupt compressed data "
        "(Error -3 while decompressing data: invalid code lengths set)",
        ("c.zip!b.txt", None)]


def test_unsafe_and_hidden_zip_members_are_named() -> None:
    data = _zip({"../evil.txt": GOOD["text"], "/abs/x.txt": GOOD["text"], ".hidden/x.txt": GOOD["text"],
                 "__MACOSX/._ok.txt": b"\x00\x05\x16\x07", "ok.txt": GOOD["text"]})
    assert _read("a.zip", data) == [
        "a.zip!../evil.txt: unsafe member name (an absolute path or '..'): not read",
        "a.zip!.hidden/x.txt: hidden member (a name that starts with '.'): not read; rename it to read it",
        "a.zip!/abs/x.txt: unsafe member name (an absolute path or '..'): not read",
        ("a.zip!ok.txt", None)]  # macOS resource forks are archive furniture, skipped


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("deep.jsonl", ("[" * 500 + "]" * 500 + "\n" + json.dumps(GOOD) + "\n").encode(),
     ["deep.jsonl:1: JSON nested more than 100 levels deep, over the json_depth limit "
      "(raise it with --limit json_depth=N)", ("deep.jsonl", 2)]),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000,
     ["deep.json: JSON nested more than 100 levels deep, over the json_depth limit (raise it with --limit json_depth=N)"]),
    ("brackets.jsonl", (json.dumps({**GOOD, "text": "[" * 500 + " the deal"}) + "\n").encode(), [("brackets.jsonl", 1)]),
    ("number.jsonl", ('{"id": "n", "text": "t", "n": ' + "9" * 5000 + "}\n" + json.dumps(GOOD) + "\n").encode(),
     ["number.jsonl:1: a JSON number of 5,000 digits, more than the 4,300 Python reads (is the record corrupt?)",
      ("number.jsonl", 2)]),
    ("header.csv", b"id,text\n", ["header.csv: CSV has a header row but no rows: no articles"]),
    ("notext.csv", b"id,story\n1,The deal was signed.\n",
     ["notext.csv: no text column: the header has 'id', 'story'; expected one of text, body, content, article, "
      "full_text, maintext, article_text (or map yours with --field text=NAME)"]),
    ("unclosed.csv", b'id,text\n1,"The deal was signed.\n2,More\n',
     ["unclosed.csv:2: malformed CSV row: a quotation mark is never closed (the quoted field runs to the end of the file)"]),
    ("unclosed_header.csv", b'"id,text\n1,The deal was signed.\n',
     ["unclosed_header.csv: malformed CSV header: a quotation mark is never closed (the quoted field runs to the end "
      "of the file)"]),
    ("blank.jsonl", b"  \n\t\n\n", ["blank.jsonl: empty file"]),
    ("nested.zip", _zip({"inner.zip": _zip({"a.txt": GOOD["text"]})}),
     ["nested.zip!inner.zip: a zip archive inside an archive is not read: unpack it first"]),
    ("empty.zip", _zip({}), ["empty.zip: empty zip archive: no files"]),
    ("bad.jsonl.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 20,
     ["bad.jsonl.gz: corrupt compressed data (Error -3 while decompressing data: invalid stored block lengths)"]),
])
def test_bad_input_gives_a_reason_and_the_rest_is_read(name: str, data: bytes, expected: list) -> None:
    assert _read(name, data) == expected


def test_blank_jsonl_file_on_disk(tmp_path: Path) -> None:
    (tmp_path / "blank.jsonl").write_text("  \n\n\t\n")
    assert [str(e) for e in read_path(tmp_path / "blank.jsonl")] == [
        f"{tmp_path / 'blank.jsonl'}: empty file: only blank lines, no JSON records"]


@pytest.mark.parametrize(("name", "data", "limit", "expected"), [
    ("m.zip", _zip({f"{i}.txt": GOOD["text"] for i in range(5)}), "archive_members=4",
     "m.zip: zip holds 5 files, over the archive_members limit of 4 (raise it with --limit archive_members=N)"),
    ("big.zip", _zip({"a.txt": "x " * 600_000}), "archive_bytes=1MB",
     "big.zip: zip unpacks to 1.2 MB, over the 1.0 MB archive_bytes limit: a zip bomb? "
     "(raise it with --limit archive_bytes=SIZE)"),
    ("f.rss", b"<rss><channel>" + b"<item><description>The deal.</description></item>" * 5 + b"</channel></rss>",
     "feed_entries=4", "f.rss: feed has 5 entries, over the feed_entries limit of 4 (raise it with --limit feed_entries=N)"),
    ("d.json", json.dumps({**GOOD, "tags": [[["a"]]]}).encode(), "json_depth=3",
     "d.json: JSON nested more than 3 levels deep, over the json_depth limit (raise it with --limit json_depth=N)"),
    ("t.html", b"<p>" * 300 + f"{GOOD['text']} {GOOD['text']}".encode(), "markup_tags=200",
     "t.html: HTML page with 300 tags, over the markup_tags limit of 200: not a news page? "
     "(raise it with --limit markup_tags=N)"),
    ("long.jsonl", (json.dumps(GOOD) + "\n").encode(), "line_bytes=50",
     "long.jsonl:1: line of 88 bytes is over the 50-byte line_bytes limit (raise it with --limit line_bytes=SIZE)"),
    ("long.csv", f"id,text\n1,{GOOD['text']}\n".encode(), "line_bytes=50",
     "long.csv:2: malformed CSV row: a field over the 50-byte line_bytes limit (an unclosed quotation mark?) "
     "(raise it with --limit line_bytes=SIZE)"),
])
def test_limits_are_checked_before_parsing(name: str, data: bytes, limit: str, expected: str) -> None:
    assert _read(name, data, limits=[limit]) == [expected]
    assert all(isinstance(i, Record) for i in read_bytes(data, name)), "within the default limits it reads"


def test_a_gzip_stream_stops_at_the_archive_limit() -> None:
    # a gzip archive does not say how much it unpacks to: its lines are read until the limit
    data = gzip.compress((json.dumps(GOOD) + "\n").encode() * 20_000)
    items = _read("bomb.jsonl.gz", data, limits=["archive_bytes=1MB"])
    assert items[-1] == ("bomb.jsonl.gz: the gzip archive unpacks to more than 1.0 MB, over the archive_bytes limit: "
                         "a zip bomb? (raise it with --limit archive_bytes=SIZE)")
    assert len(items) < 20_000 and all(isinstance(i, tuple) for i in items[:-1])
    assert len(_read("bomb.jsonl.gz", data)) == 20_000


def test_feed_with_invalid_bytes_and_control_characters_is_read_leniently() -> None:
    data = (b'<?xml version="1.0" encoding="utf-8"?><rss><channel><title>T</title><item><title>Deal\xff</title>'
            b"<description>The minister\x01 said the deal \xc3\x28 works.</description></item></channel></rss>")
    [rec] = list(read_bytes(data, "feed.rss"))
    assert isinstance(rec, Record)
    assert rec.fields["title"] == "Deal\ufffd" and rec.fields["text"] == "The minister  said the deal \ufffd( works."
    assert rec.notes == ("decoded leniently: 2 invalid utf-8 byte sequences replaced with U+FFFD, "
                         "1 control character XML forbids turned into spaces",)


def test_feed_in_its_declared_legacy_encoding() -> None:
    data = ('<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><item><description>Le ministère a signé.'
            "</description></item></channel></rss>").encode("latin-1")
    [rec] = list(read_bytes(data, "f.rss"))
    assert isinstance(rec, Record) and rec.fields["text"] == "Le ministère a signé." and rec.notes == ()


HTML_PAGE = f"<html><body><article><p>{GOOD['text']} {GOOD['text']}</p></article></body></html>"
TEXT_FORMATS = {
    "a.txt": GOOD["text"], "a.md": GOOD["text"], "a.html": HTML_PAGE, "a.json": json.dumps(GOOD),
    "a.jsonl": json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "g2"}) + "\n",
    "a.csv": f"id,text\ng1,{GOOD['text']}\n", "a.tsv": f"id\ttext\ng1\t{GOOD['text']}\n",
    "a.rss": f'<?xml version="1.0" encoding="utf-8"?><rss><channel><item><description>{GOOD["text"]}</description>'
             "</item></channel></rss>",
    "a.atom": f'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>g1</id><title>T</title><content>{GOOD["text"]}'
              "</content></entry></feed>",
}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
@pytest.mark.parametrize("name", sorted(TEXT_FORMATS))
def test_every_text_format_takes_a_byte_order_mark(name: str, encoding: str) -> None:
    text = TEXT_FORMATS[name]
    data = ("\ufeff" + text).encode(encoding) if encoding.endswith("-be") else text.encode(encoding)
    items = list(read_bytes(data, name))
    assert items and all(isinstance(i, Record) for i in items), items
    assert all(GOOD["text"] in i.fields["text"] for i in items)
    assert all(i.notes == () for i in items)


def test_json_escapes_that_are_not_text_do_not_fail_the_batch(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text('{"id": "s", "title": "t\\udc00", "text": "Lone \\ud800 surrogate and NUL \\u0000 in the deal text."}\n')
    [art] = list(read_articles([path]))
    assert isinstance(art, Article)
    assert art.title == "t\ufffd" and art.text == "Lone \ufffd surrogate and NUL   in the deal text."
    assert "2 lone surrogate or NUL characters replaced" in art.notes[0] or any(
        n.startswith("3 lone surrogate") for n in art.notes)


def test_a_truncated_gzip_keeps_the_lines_before_the_cut() -> None:
    data = gzip.compress("".join(json.dumps({**GOOD, "id": f"g{i}"}) + "\n" for i in range(200)).encode())
    items = _read("cut.jsonl.gz", data[: len(data) * 3 // 4])
    assert items[-1] == "cut.jsonl.gz: truncated compressed data: the archive ends before its end marker"
    lines = items[:-1]
    assert 100 < len(lines) < 200 and lines == [("cut.jsonl.gz", n) for n in range(1, len(lines) + 1)]


def test_a_page_of_thousands_of_paragraphs_reads_in_seconds() -> None:
    # trafilatura's fallback extractor is quadratic in the paragraphs: 10,000 took 13 s, 20,000 52 s
    import time

    page = ("<html><body><article>" + "<p>Ministers said the returns deal with France would stop the boats.</p>" * 10_000
            + "</article></body></html>").encode()
    start = time.perf_counter()
    [rec] = list(read_bytes(page, "long.html"))
    assert isinstance(rec, Record) and rec.fields["text"].startswith("Ministers said the returns deal")
    assert time.perf_counter() - start < 6


@pytest.mark.parametrize(("value", "expected"), [
    ("Thu, 10 Jul 2025 14:32:05 BST", (dt.date(2025, 7, 10), None)),  # a zone dateutil does not know
    ("12:" + "9" * 40, (None, "unparseable date '12:9999999999999999999999999999999999999' (stored without a date)")),
    ("x" * 500, (None, f"unparseable date {'x' * 40!r}... (500 characters; stored without a date)")),
])
def test_odd_dates_are_a_note_not_an_error(value: str, expected: tuple) -> None:
    from framewatch.corpus import parse_date

    assert parse_date(value) == expected


def test_a_file_of_nothing_but_bad_lines_is_given_up() -> None:
    data = b"\x01\x02 not json\n" * 5_000 + (json.dumps(GOOD) + "\n").encode()
    items = _read("junk.jsonl", data, limits=["bad_lines=50"])
    assert len(items) == 51 and items[-1] == (
        "junk.jsonl: 50 bad lines in a row and none good: the rest of the file is not read (is it really JSON Lines?) "
        "(raise it with --limit bad_lines=N)")
    mixed = b"".join((json.dumps(GOOD) + "\n").encode() + b"{bad\n" * 49 for _ in range(3))
    assert [i for i in _read("mixed.jsonl", mixed, limits=["bad_lines=50"]) if isinstance(i, tuple)] == [
        ("mixed.jsonl", 1), ("mixed.jsonl", 51), ("mixed.jsonl", 101)]  # errors between good lines go on
