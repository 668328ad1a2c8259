"""Bytes to text: UTF-8 first, then a detected legacy encoding (cp1252, Latin-1), never binary.

Every text format takes UTF-8, UTF-16 and UTF-32 with a byte-order mark. Feeds are decoded
leniently (`decode_lenient`): invalid bytes are replaced and control characters that XML forbids
become spaces, with a note that says how many, rather than losing the whole feed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from framewatch.errors import InputError

# UTF-32's little-endian mark starts with UTF-16's, so it is tried first
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Notes on a record that say how its bytes were decoded; the run's report lists them per file.
DECODING_NOTE = "decoded "
# Bytes that never occur in text files: NUL and most C0 controls (tab, newlines, form feed excepted).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of `data` (it strips the mark), or None."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters in its first 8 KB."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head and bom_encoding(head) in (None, "utf-8-sig"):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.02


def decode(data: bytes, source: str) -> Decoded:
    """Decode `data` read from `source`; raise `InputError` for binary or undecodable bytes.

    UTF-8 (with or without BOM), UTF-16 and UTF-32 with BOM are taken as they are. Anything else is
    detected with charset-normalizer, and the result says which encoding was used in `note`.
    """
    enc = bom_encoding(data)
    if enc is not None:
        try:
            return Decoded(data.decode(enc), enc)
        except UnicodeDecodeError as exc:
            if enc == "utf-32":  # FF FE 00 00 may be UTF-16 text whose first character is NUL
                try:
                    return Decoded(data.decode("utf-16"), "utf-16")
                except UnicodeDecodeError:
                    pass
            raise InputError(source, f"starts with a {enc} byte-order mark but is not valid {enc}: {exc.reason}") from None
    if looks_binary(data):
        raise InputError(source, "binary data, not text (is it an image, PDF or office file? convert it to text or HTML first)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Legacy English-language news is overwhelmingly Windows-1252 (a superset of Latin-1 for
    # printable text); charset-normalizer guesses among similar code pages, so cp1252 goes first.
    try:
        return Decoded(data.decode("cp1252"), "cp1252", "decoded as cp1252 (not valid UTF-8)")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(source, "undecodable bytes: not UTF-8 and no other encoding fits; re-save the file as UTF-8")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise InputError(source, f"undecodable bytes: decoding as {best.encoding} gives replacement characters; re-save the file as UTF-8")
    return Decoded(text, best.encoding, f"decoded as {best.encoding} (not valid UTF-8)")


# What XML 1.0 forbids: C0 controls but tab and newlines, lone surrogates, U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_ENCODING = re.compile(rb"""\A(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])([A-Za-z0-9._:-]+)\2""")


def decode_lenient(data: bytes, source: str) -> Decoded:
    """Decode an XML document (a feed) by its byte-order mark, else its declared encoding, else
    UTF-8, replacing invalid bytes and turning characters XML forbids into spaces; `note` says
    how many of each. Raises `InputError` only for binary data.

    The returned text keeps its XML declaration; `as_utf8_xml` gives bytes a parser reads as UTF-8.
    """
    enc = bom_encoding(data)
    if enc is None:
        if looks_binary(data):
            raise InputError(source, "binary data, not text (is it an image, PDF or office file? convert it to text or HTML first)")
        m = _XML_ENCODING.match(data[:1024])
        enc = "utf-8"
        if m:
            try:
                enc = codecs.lookup(m.group(3).decode("ascii")).name
            except LookupError:
                pass  # an unknown encoding name: UTF-8, replacing what is not
    try:
        text, replaced = data.decode(enc), 0
    except UnicodeDecodeError:
        text = data.decode(enc, errors="replace")
        replaced = text.count("\ufffd") - data.decode(enc, errors="ignore").count("\ufffd")
    text = text.removeprefix("\ufeff")
    text, controls = XML_ILLEGAL.subn(" ", text)
    parts = []
    if replaced:
        parts.append(f"{replaced:,} invalid {enc} byte sequence{'s' if replaced != 1 else ''} replaced with U+FFFD")
    if controls:
        parts.append(f"{controls:,} control character{'s' if controls != 1 else ''} XML forbids turned into spaces")
    note = f"{DECODING_NOTE}leniently: {', '.join(parts)}" if parts else None
    return Decoded(text, enc, note)


def as_utf8_xml(text: str) -> bytes:
    """`text` (an XML document) as UTF-8 bytes whose declaration, if any, says UTF-8."""
    data = text.encode("utf-8", errors="replace")
    return _XML_ENCODING.sub(lambda m: m.group(1) + m.group(2) + b"utf-8" + m.group(2), data, count=1)
