"""Our own error and problem types: the CLI is the one place they become messages."""

from __future__ import annotations

from dataclasses import dataclass


class DigestError(Exception):
    """An error the user can fix: bad config, unreadable input, refused write.

    ``problems`` are the input problems and warnings found before it, printed first.
    """

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class ConfigError(DigestError):
    """The generator's configuration or the taxonomy is invalid."""


class BuildError(DigestError):
    """The build cannot go on (collisions, refused overwrites, strict mode)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input, located by file and line or item number."""

    path: str
    line: int = 0
    item: int = 0
    message: str = ""

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.item:
            return f"{self.path}: item {self.item}: {self.message}"
        return f"{self.path}: {self.message}"


class MailError(DigestError):
    """The email edition cannot be made or sent (no such issue, no site URL, bad SMTP settings, refused)."""
