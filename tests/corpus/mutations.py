"""Malformed inputs as a crawler produces them, for the fuzz test and `benchmarks/fuzz.py`.

`SEEDS` holds one good input per format, built from the fixture corpus (real article excerpts);
`mutate(data, fmt, rng)` breaks a copy of it with one to three of the `MUTATIONS` below, chosen
and placed by `rng` (a `random.Random`, or hypothesis's `st.randoms()`): byte flips, truncation,
junk, byte-order marks, wrong encodings, invalid UTF-8, control characters, deep nesting, huge
numbers and fields, unclosed quotes, XXE and billion-laughs entities, and for archives broken
members, unsafe member names and lying sizes.
"""

from __future__ import annotations

import codecs
import gzip
import io
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "corpus"
FORMATS = ("txt", "html", "json", "jsonl", "csv", "rss", "atom", "jsonl.gz", "zip")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _seeds() -> dict[str, bytes]:
    read = lambda name: (FIXTURES / name).read_bytes()  # noqa: E731
    return {
        "txt": read("action_plan.txt"),
        "html": read("gov_press_release.html"),
        "json": read("bundle.json"),
        "jsonl": read("articles.jsonl"),
        "csv": read("export.csv"),
        "rss": read("home_office.rss"),
        "atom": read("publications.atom"),
        "jsonl.gz": gzip.compress(read("articles.jsonl"), mtime=0),
        "zip": _zip({"site/articles.jsonl": read("articles.jsonl"), "site/plan.txt": read("action_plan.txt"),
                     "site/feed.rss": read("home_office.rss"), "site/export.csv": read("export.csv")}),
    }


SEEDS = _seeds()

Rng = random.Random
Mutation = Callable[[bytes, Rng], bytes]


def _pos(data: bytes, rng: Rng) -> int:
    return rng.randint(0, len(data))


def _insert(data: bytes, rng: Rng, chunk: bytes) -> bytes:
    i = _pos(data, rng)
    return data[:i] + chunk + data[i:]


def flip_bits(data: bytes, rng: Rng) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def random_bytes(data: bytes, rng: Rng) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: Rng) -> bytes:
    return data[: _pos(data, rng)]


def delete_span(data: bytes, rng: Rng) -> bytes:
    i = _pos(data, rng)
    return data[:i] + data[i + rng.randint(1, 200):]


def repeat_span(data: bytes, rng: Rng) -> bytes:
    i = _pos(data, rng)
    span = data[i:i + rng.randint(1, 100)]
    return data[:i] + span * rng.randint(2, 200) + data[i:]


def junk(data: bytes, rng: Rng) -> bytes:
    return _insert(data, rng, bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))))


def bom(data: bytes, rng: Rng) -> bytes:
    return rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                       codecs.BOM_UTF32_BE]) + data


def reencode(data: bytes, rng: Rng) -> bytes:
    """The text in another encoding, with or without its byte-order mark."""
    text = data.decode("utf-8", errors="replace")
    enc = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "cp1252", "latin-1",
                      "koi8-r", "shift_jis", "utf-7"])
    return text.encode(enc, errors="replace")


def invalid_utf8(data: bytes, rng: Rng) -> bytes:
    return _insert(data, rng, rng.choice([b"\xff", b"\xfe\xff", b"\xc3\x28", b"\x80\x80", b"\xed\xa0\x80",
                                          b"\xf4\x90\x80\x80", b"\xe2\x82", b"\xc0\xaf"]))


def control_chars(data: bytes, rng: Rng) -> bytes:
    for _ in range(rng.randint(1, 6)):
        data = _insert(data, rng, bytes([rng.choice([0, 1, 2, 7, 8, 11, 12, 14, 27, 31, 127])]))
    return data


def deep_nesting(data: bytes, rng: Rng) -> bytes:
    n = rng.choice([50, 99, 100, 101, 500, 1_000, 5_000, 100_000])
    open_, close = rng.choice([(b"[", b"]"), (b'{"a":', b"}"), (b"<div>", b"</div>"), (b"<a>", b"")])
    return _insert(data, rng, open_ * n + (close * n if rng.random() < 0.7 else b""))


def huge_number(data: bytes, rng: Rng) -> bytes:
    digits = b"9" * rng.choice([300, 4_300, 4_301, 5_000, 20_000])
    return _insert(data, rng, rng.choice([digits, b"-" + digits, b"1e" + digits[:400], b"0." + digits]))


def huge_field(data: bytes, rng: Rng) -> bytes:
    return _insert(data, rng, rng.choice([b"x", b"word ", b"\\n", b'\\"', b"&amp;", b"<p>"]) * rng.choice([10_000, 300_000]))


def quote(data: bytes, rng: Rng) -> bytes:
    return _insert(data, rng, rng.choice([b'"', b"'", b'""', b'\\', b'"\n', b"\r", b"\n", b"\t", b",", b"\x00"]))


def escapes(data: bytes, rng: Rng) -> bytes:
    return _insert(data, rng, rng.choice([b"\\ud800", b"\\udfff", b"\\u0000", b"\\x", b"\\u12", b"&#0;", b"&#xD800;",
                                          b"&#1;", b"&nbsp", b"&bogus;", b"NaN", b"Infinity", b"-Infinity"]))


XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
       b'<!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>\n')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>\n")


def entities(data: bytes, rng: Rng) -> bytes:
    """An XXE or billion-laughs prolog, with its entity used in the document."""
    body = data.split(b"?>", 1)[-1] if data.lstrip().startswith(b"<?xml") else data
    prolog, ref = rng.choice([(XXE, b"&xxe;&remote;"), (LAUGHS, b"&lol9;")])
    return prolog + _insert(body, rng, ref)


def _rezip(data: bytes, rng: Rng, change: Callable[[str, bytes], tuple[str, bytes]]) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = {i.filename: zf.read(i) for i in zf.infolist()}
    except Exception:  # already broken by an earlier mutation: leave it
        return data
    if not members:
        return data
    name = rng.choice(sorted(members))
    new_name, new_data = change(name, members.pop(name))
    members[new_name] = new_data
    return _zip(members)


def zip_member(data: bytes, rng: Rng) -> bytes:
    """One member of the archive broken by another mutation, the archive itself sound."""
    simple = [m for m in MUTATIONS if m not in (zip_member, zip_name, zip_size)]
    return _rezip(data, rng, lambda name, body: (name, rng.choice(simple)(body, rng)))


def zip_name(data: bytes, rng: Rng) -> bytes:
    prefix = rng.choice(["../", "../../etc/", "/abs/", ".hidden/", "a/../../", "C:/x/", "__MACOSX/._", "a/.", "\\..\\"])
    return _rezip(data, rng, lambda name, body: (prefix + name.rsplit("/", 1)[-1], body))


def zip_size(data: bytes, rng: Rng) -> bytes:
    """A central-directory entry that lies about its uncompressed size (as zip bombs do)."""
    i = data.find(b"PK\x01\x02")
    if i < 0 or len(data) < i + 28:
        return data
    size = rng.choice([0, 1, 0x7FFFFFFF, 0xFFFFFFF0])
    return data[:i + 24] + struct.pack("<I", size) + data[i + 28:]


def gzip_wrap(data: bytes, rng: Rng) -> bytes:
    """Break the text inside the gzip archive, not the archive itself."""
    try:
        inner = gzip.decompress(data)
    except Exception:
        return data
    simple = [m for m in MUTATIONS if m not in (zip_member, zip_name, zip_size, gzip_wrap)]
    return gzip.compress(rng.choice(simple)(inner, rng), mtime=0)


MUTATIONS: list[Mutation] = [flip_bits, random_bytes, truncate, delete_span, repeat_span, junk, bom, reencode,
                             invalid_utf8, control_chars, deep_nesting, huge_number, huge_field, quote, escapes,
                             entities, zip_member, zip_name, zip_size, gzip_wrap]
_ARCHIVE_ONLY = {zip_member: "zip", zip_name: "zip", zip_size: "zip", gzip_wrap: "jsonl.gz"}


def mutations_for(fmt: str) -> list[Mutation]:
    """The mutations that make sense for `fmt` (archive surgery only on archives)."""
    return [m for m in MUTATIONS if _ARCHIVE_ONLY.get(m, fmt) == fmt]


def mutate(data: bytes, fmt: str, rng: Rng) -> bytes:
    """`data` (an input of format `fmt`) broken by one to three mutations."""
    choices = mutations_for(fmt)
    if fmt in ("zip", "jsonl.gz"):  # mostly break what is inside: byte noise on compressed data is one case
        choices = choices + [m for m in choices if m in _ARCHIVE_ONLY] * 6
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(choices)(data, rng)
    return data


def case(fmt: str, seed: int, index: int) -> bytes:
    """The `index`-th mutated input of `fmt` for a run seeded with `seed` (reproducible)."""
    return mutate(SEEDS[fmt], fmt, random.Random(f"{seed}:{fmt}:{index}"))


def file_name(fmt: str) -> str:
    return f"input.{fmt}"
