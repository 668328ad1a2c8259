"""Clean article text: keep the words, drop page furniture.

The rules live in `data/furniture.json` (or a file of your own with the same shape), never in
code paths. The raw text is always kept beside the cleaned text by the corpus stage.

>>> Cleaner.default().clean("Labour is under pressure (Image: Getty)\\nAdvertisement\\nIt said no.").text
'Labour is under pressure\\nIt said no.'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Spaces that are one character wide stay one character wide, so offsets barely move.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000"), " ")
_BLANK_RUN = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+$", re.M)


@dataclass(frozen=True, slots=True)
class Rule:
    """One furniture rule: a regular expression applied to whole lines or inline."""

    name: str
    scope: str  # "line" | "inline"
    pattern: re.Pattern[str]
    max_len: int | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Rule:
        if d.get("scope") not in ("line", "inline"):
            raise ValueError(f"furniture rule {d.get('name')!r}: scope must be 'line' or 'inline'")
        flags = 0 if d.get("case_sensitive") else re.IGNORECASE
        return cls(d["name"], d["scope"], re.compile(d["pattern"], flags), d.get("max_len"))


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned text and what was removed (rule name, removed text), in order."""

    text: str
    removed: tuple[tuple[str, str], ...] = ()

    def summary(self) -> str | None:
        if not self.removed:
            return None
        counts = Counter(rule for rule, _ in self.removed)
        return "removed furniture: " + ", ".join(f"{rule} x{n}" for rule, n in sorted(counts.items()))


def normalise_text(text: str) -> str:
    """Unicode NFC, one kind of newline, no zero-width characters, plain spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).translate(_SPACES)
    return text


class Cleaner:
    """Applies furniture rules to article text.

    Build one with `Cleaner.default()` (the bundled rules) or `Cleaner.from_file(path)`.
    """

    def __init__(self, rules: list[Rule], *, repeated_min_chars: int | None = 20) -> None:
        self.rules = rules
        self.line_rules = [r for r in rules if r.scope == "line"]
        self.inline_rules = [r for r in rules if r.scope == "inline"]
        self.repeated_min_chars = repeated_min_chars

    @classmethod
    def from_file(cls, path: str | Path) -> Cleaner:
        return cls._from_json(Path(path).read_text(encoding="utf-8"))

    @classmethod
    @cache
    def default(cls) -> Cleaner:
        return cls._from_json(resources.files("framewatch.corpus").joinpath("data/furniture.json").read_text("utf-8"))

    @classmethod
    def _from_json(cls, text: str) -> Cleaner:
        data = json.loads(text)
        rules = [Rule.from_dict(d) for d in data["rules"]]
        rep = data.get("repeated_lines", {}).get("min_chars", 20)
        return cls(rules, repeated_min_chars=rep)

    def clean(self, text: str) -> CleanResult:
        """Normalise `text` and remove furniture; returns the text and what went."""
        removed: list[tuple[str, str]] = []
        seen: set[str] = set()
        kept: list[str] = []
        for line in normalise_text(text).split("\n"):
            for rule in self.inline_rules:
                line, n = self._sub_inline(rule, line, removed)
            stripped = line.strip()
            rule_name = self._line_rule(stripped)
            if rule_name:
                removed.append((rule_name, stripped))
                continue
            if self.repeated_min_chars and len(stripped) >= self.repeated_min_chars:
                if stripped in seen:
                    removed.append(("repeated_line", stripped))
                    continue
                seen.add(stripped)
            kept.append(line)
        out = _TRAILING.sub("", "\n".join(kept))
        out = _BLANK_RUN.sub("\n\n", out).strip()
        return CleanResult(out, tuple(removed))

    @staticmethod
    def _sub_inline(rule: Rule, line: str, removed: list[tuple[str, str]]) -> tuple[str, int]:
        def drop(m: re.Match[str]) -> str:
            removed.append((rule.name, m.group(0).strip()))
            return ""

        return rule.pattern.subn(drop, line)

    def _line_rule(self, stripped: str) -> str | None:
        if not stripped:
            return None
        for rule in self.line_rules:
            if rule.max_len is not None and len(stripped) > rule.max_len:
                continue
            if rule.pattern.fullmatch(stripped):
                return rule.name
        return None


def clean_text(text: str) -> CleanResult:
    """Clean `text` with the bundled rules."""
    return Cleaner.default().clean(text)
