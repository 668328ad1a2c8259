"""Errors that name the input and say what to do; the CLI prints them as one line each."""

from __future__ import annotations


class FramewatchError(Exception):
    """Base class for errors Framewatch reports to users (never a traceback at the CLI)."""


class InputError(FramewatchError):
    """One input (a file, a line of a file, an archive member) could not be read as an article.

    `source` names the file (and `line` the record) so the user can find it; `reason` says why.
    """

    def __init__(self, source: str, reason: str, *, line: int | None = None) -> None:
        self.source = str(source)
        self.reason = reason
        self.line = line
        where = f"{self.source}:{line}" if line is not None else self.source
        super().__init__(f"{where}: {reason}")

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source
