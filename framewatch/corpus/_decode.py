"""Bytes to text: UTF-8 first, then a detected legacy encoding (cp1252, Latin-1), never binary."""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes

from framewatch.errors import InputError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Bytes that never occur in text files: NUL and most C0 controls (tab, newlines, form feed excepted).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters in its first 8 KB."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    return controls / len(head) > 0.02


def decode(data: bytes, source: str) -> Decoded:
    """Decode `data` read from `source`; raise `InputError` for binary or undecodable bytes.

    UTF-8 (with or without BOM) and UTF-16 with BOM are taken as they are. Anything else is
    detected with charset-normalizer, and the result says which encoding was used in `note`.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
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
