"""What every reader shares: the result type, line decoding and text cleaning."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem
from generator.model import Paper

# C0/C1 control characters other than tab and newline cannot appear in XML feeds.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Readers leave the issue date unset; the dispatcher fills it in from the name or the file.
UNSET_DATE = dt.date.min
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass
class ReadResult:
    """The papers a reader found, the problems it met, and the issue date it learned."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    issue_date: dt.date | None = None


def decode_lines(data: bytes, display: str, problems: list[Problem]) -> list[str]:
    """Split on ``\\n`` only (other Unicode separators stay inside a line) and decode each line.

    Bytes that are not UTF-8 are replaced and reported with their line number.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.removesuffix(b"\r")
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            problems.append(
                Problem(display, line=number, message=f"invalid UTF-8 at byte {error.start}, replaced")
            )
            lines.append(raw.decode("utf-8", errors="replace"))
    return lines


def clean_text(value: str) -> tuple[str, bool]:
    """Remove control characters (they are invalid in feeds); say whether any were removed."""
    cleaned = CONTROL_CHARS.sub("", value)
    return cleaned, cleaned != value


def date_from_name(path: Path) -> dt.date | None:
    """The issue date at the start of a file name (``2026-11-27.txt``, ``2026-11-27-hf.json``)."""
    match = DATE_PREFIX.match(path.name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None
