"""What every reader shares: the result type, line decoding and text cleaning."""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path

from generator.counts import count, whole_number
from generator.errors import Problem
from generator.escape import is_flat
from generator.model import Paper

# C0/C1 control characters other than tab and newline, lone surrogates and the two
# non-characters U+FFFE/U+FFFF cannot appear in XML feeds (or be written as UTF-8).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Of them, those that separate words as white space does (vertical tab, form feed, the information separators and
# NEXT LINE, which Python's str.split() splits at): a space, not nothing ("A title\x85with" read "A titlewith").
CONTROL_SPACES = re.compile(r"[\x0b\x0c\x1c-\x1f\x85]")
# Bidi embeddings/overrides (closed by U+202C) and isolates (closed by U+2069): an unclosed one
# in a title would reverse the text after it on the page (authors, dates), so it is closed.
BIDI_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
                "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
BIDI_CLOSERS = {"\u202c", "\u2069"}
_BIDI_OPENER = re.compile("[" + "".join(BIDI_OPENERS) + "]")
# Readers leave the issue date unset; the dispatcher fills it in from the name or the file.
UNSET_DATE = dt.date.min
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")
SHORT_REPR = reprlib.Repr()  # Python 3.11's Repr takes no arguments
SHORT_REPR.maxlevel, SHORT_REPR.maxstring, SHORT_REPR.maxother = 2, 60, 60
SHORT_REPR.maxlist = SHORT_REPR.maxdict = SHORT_REPR.maxtuple = SHORT_REPR.maxset = 4
# A binary file would otherwise give one message per line.
MAX_REPORTED_LINES = 10
SOURCE_LINE = re.compile(r"^:(\d+)$")
SOURCE_ITEM = re.compile(r"^: item (\d+)$")


@dataclass
class ReadResult:
    """The papers a reader found, the problems it met, and the issue date it learned."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    issue_date: dt.date | None = None
    date_hint: dt.date | None = None
    """A date the content suggests (the day papers were featured); used only when the name has none."""


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def from_utf16(data: bytes, display: str, problems: list[Problem]) -> bytes:
    """UTF-16 text with its byte-order mark (as Windows PowerShell's ``>`` and Notepad's "Unicode" save it) as
    UTF-8; any other bytes as they are (a UTF-8 file never starts with 0xFF or 0xFE)."""
    if not data.startswith(UTF16_BOMS):
        return data
    text = data.decode("utf-16", errors="replace")
    if "\ufffd" in text:
        problems.append(Problem(display, message="invalid UTF-16 replaced"))
    return text.encode("utf-8")


def decode_lines(data: bytes, display: str, problems: list[Problem]) -> list[str]:
    """Split on ``\\n`` only (other Unicode separators stay inside a line; ``\\r`` alone ends lines in a file
    without any ``\\n``) and decode each line.

    Bytes that are not UTF-8 are replaced and reported with their line number (UTF-16 with a
    byte-order mark is read as such: ``from_utf16``).
    """
    data = from_utf16(data, display, problems)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\n" not in data and b"\r" in data:  # old Mac line endings (CR alone): else the whole file is one line
        data = data.replace(b"\r", b"\n")
    lines = []
    bad_lines = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.removesuffix(b"\r")
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            bad_lines += 1
            if bad_lines <= MAX_REPORTED_LINES:
                problems.append(
                    Problem(display, line=number, message=f"invalid UTF-8 at byte {error.start}, replaced")
                )
            lines.append(raw.decode("utf-8", errors="replace"))
    if bad_lines > MAX_REPORTED_LINES:
        more = bad_lines - MAX_REPORTED_LINES
        problems.append(Problem(display, message=f"invalid UTF-8 replaced on {count(more, 'more line')}"))
    return lines


def clean_text(value: str) -> tuple[str, bool]:
    """Remove control characters (they are invalid in feeds); say whether any were removed.

    Unclosed bidi controls are closed at the end, so they cannot leak into the page around
    the text; that is not reported, since the text reads the same.
    """
    if value.isprintable():  # most texts, in one scan: every character above is unprintable (Cc, Cs, Cn or Cf)
        return value, False
    spaced = CONTROL_SPACES.sub(" ", value)
    cleaned = CONTROL_CHARS.sub("", spaced)
    return close_bidi(cleaned), cleaned != spaced


def close_bidi(value: str) -> str:
    """Append the closers of bidi embeddings, overrides and isolates left open in ``value``."""
    if _BIDI_OPENER.search(value) is None:  # almost always: one scan in C, not a loop per character
        return value
    open_stack: list[str] = []
    for char in value:
        if char in BIDI_OPENERS:
            open_stack.append(BIDI_OPENERS[char])
        elif char in BIDI_CLOSERS and open_stack:
            open_stack.pop()
    return value + "".join(reversed(open_stack))


def decode_text(data: bytes, display: str, problems: list[Problem]) -> str:
    """The whole file as text: invalid UTF-8 replaced and reported by line (for YAML and JSON)."""
    return "\n".join(decode_lines(data, display, problems))


def describe(value: object) -> str:
    """A short repr of an input value for a message (bounded, whatever its size or nesting)."""
    text = SHORT_REPR.repr(value)
    return text if len(text) <= 100 else text[:97] + "..."


def impossible_date(text: str) -> str | None:
    """Why a YYYY-MM-DD that is no date is none ("2026-02-30: February 2026 has 28 days"), or None."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if found is None:
        return None
    year, month, day = map(int, found.groups())
    if not 1 <= month <= 12:
        return f"{text.strip()}: there is no month {month}"
    days = calendar.monthrange(max(year, 1), month)[1]
    if not 1 <= day <= days:
        return f"{text.strip()}: {calendar.month_name[month]} {year} has {days} days"
    return None


def date_from_name(path: Path) -> dt.date | None:
    """The issue date at the start of a file name (``2026-11-27.txt``, ``2026-11-27-hf.json``)."""
    match = DATE_PREFIX.match(path.name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


@dataclass(frozen=True)
class Limits:
    """Longest title, abstract, summary and organisation kept (in characters); longer ones are cut and reported.

    A source's summary is shown on every card of its paper and its organisation too, so theirs are short.
    """

    title: int = 1000
    abstract: int = 10000
    tldr: int = 500
    organization: int = 200


def enforce_limits(papers: list[Paper], display: str, limits: Limits, problems: list[Problem]) -> None:
    """Cut over-long texts, so one runaway record cannot swell every page and feed."""
    for paper in papers:
        for name, limit in (("title", limits.title), ("abstract", limits.abstract), ("tldr", limits.tldr),
                            ("organization", limits.organization)):
            value = getattr(paper, name)
            if len(value) > limit:
                setattr(paper, name, cut_text(value, limit))
                problems.append(
                    problem_at(paper, display, f"{name} of {len(value):,} characters cut to {limit:,}")
                )


def cut_text(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters and "…", between two words when a space is in the last tenth.

    Cut at the limit itself, a word was cut in two, and a link (an abstract's list of repositories) led to an
    address that is not there ("https://github.com/org29…"). Text written without spaces (Chinese, Japanese) is cut
    at the limit.
    """
    head = value[: limit + 1]  # the character after the limit says whether a word goes on across it
    space = max(head.rfind(" "), head.rfind("\n"))
    kept = head[:space] if space >= limit - limit // 10 else head[:limit]
    return kept.rstrip() + "…"


def problem_at(paper: Paper, display: str, message: str) -> Problem:
    """A problem located where the reader found ``paper`` (its ``source``: file:line or file: item N)."""
    rest = paper.source[len(display) :] if paper.source.startswith(display) else ""
    line, item = SOURCE_LINE.match(rest), SOURCE_ITEM.match(rest)
    if line:
        return Problem(display, line=int(line.group(1)), message=message)
    if item:
        return Problem(display, item=int(item.group(1)), message=message)
    return Problem(display, message=f"{paper.source}: {message}" if paper.source != display else message)


def flatten(value: str) -> str:
    """Text with every run of whitespace (hard line wraps included) made one space, control characters
    removed and bidi controls closed (``clean_text``).

    Most values (author names, keywords, titles) need none of it (``escape.is_flat``) and are returned
    as they are (a third of the time of reading a daily-papers file went here).
    """
    if is_flat(value):
        return value
    cleaned, _ = clean_text(value)
    return " ".join(cleaned.split())


def day_of(text: str) -> dt.date | None:
    """The date of an ISO date or time ("2026-07-20T04:00:00Z") or an RFC 822 one ("Mon, 20 Jul 2026
    00:00:00 -0400", as RSS and arXiv's ``versions`` write them); None when it is neither."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


# Authors written in one text, as arXiv's bulk metadata and its RSS feed do: "A, B and C".
# A date as written to the year, the month or the day (2024, 2024-03, 2024-03-05), and a range's end after a slash
# (BibLaTeX, CSL's raw dates: 2021-06-15/2021-06-18), in ASCII digits.
# A time after the day (ISO 8601: "2021-04-08T00:39:34Z", as Zotero's BibLaTeX export writes an item's date) is read
# past: the day is the date.
DATE_PARTS = re.compile(
    r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2})(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?"
    r"(?:/\S*)?"
)


def date_parts(text: str) -> list[int] | None:
    """``[year]``, ``[year, month]`` or ``[year, month, day]`` of a date written so (a range: its start), each part
    checked (month 1-12, a day of that month); None for anything else."""
    found = DATE_PARTS.fullmatch(text.strip())
    if found is None:
        return None
    parts = [int(part) for part in found.groups() if part is not None]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) == 3:
        try:
            dt.date(*parts)
        except ValueError:
            return None
    return parts


AUTHOR_SEPARATOR = re.compile(r",|;|\s+and\s+")
# In an author list written as one text, as arXiv's bulk metadata writes it: an affiliation after a name ("A (MIT)",
# "A (1), B (2) ((1) MIT, (2) ETH)"), innermost parentheses first; and a suffix after a comma ("King, Jr.").
AFFILIATION = re.compile(r"\s*\([^()]*\)")
NAME_SUFFIX = re.compile(r"(?:jr|sr|ii|iii|iv)\.?", re.IGNORECASE)


def without_affiliations(text: str) -> str:
    """An author list written as one text without the affiliations in parentheses that follow its names."""
    while "(" in text and (stripped := AFFILIATION.sub("", text)) != text:
        text = stripped
    return text


def split_names(text: str) -> list[str]:
    """The names of an author list written as one text ("A, B and C"): no affiliation in parentheses is part of
    a name (its commas split no name), and a suffix after a comma ("Neal Evans, II") belongs to the name before."""
    names: list[str] = []
    for part in AUTHOR_SEPARATOR.split(without_affiliations(text)):
        name = flatten(part)
        if names and NAME_SUFFIX.fullmatch(name):
            names[-1] = f"{names[-1]} {name}"
        elif name:
            names.append(name)
    return names


THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
"""A count written with commas between its thousands: "1,234", "12,345,678"."""


def count_of(value: object) -> int | None:
    """A count (upvotes, comments, stars) as a whole number of 0 or more, or None when ``value`` is none.

    Spreadsheets and the lists converted from them write counts as text (``"12"``) or, in a column with a gap,
    as a float (``12.0``, pandas' ``to_json``): the same whole number. So is text with commas between groups
    of three digits (``"1,234"``), as the site itself and a spreadsheet's formatted cells write a count.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and whole_number(value.strip()):
        value = int(value.strip())
    elif isinstance(value, str) and THOUSANDS.fullmatch(value.strip()):
        value = int(value.strip().replace(",", ""))
    return value if isinstance(value, int) and value >= 0 else None


TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
"""What the URL standard removes from a URL before parsing it."""


def http_link(value: str) -> str | None:
    """The URL when it is an http(s) URL without spaces, else None (other schemes are never trusted).

    Line breaks and tabs inside it are dropped first, as browsers' URL parsing drops them (the URL
    standard's "remove all ASCII tab or newline"): a repository link broken over two lines in a
    source, as two of a real archive's 9,877 daily papers had it, is still the paper's link.
    """
    text = value.strip().translate(TAB_OR_NEWLINE)
    if not text.lower().startswith(("https://", "http://")) or any(c.isspace() for c in text):
        return None
    return text


def from_windows_1252(data: bytes) -> bytes:
    """A file with bytes that are not UTF-8 and no UTF-8 text, as UTF-8: read as Windows-1252 (Latin-1 with its
    quotes and dashes), as older JabRef (``% Encoding: windows-1252``) and Windows tools save BibTeX. Each accent
    was a replacement character: in the reasons shown, and in titles then unlike the archive's papers' own."""
    text = data.decode("utf-8", errors="replace")
    if "\ufffd" not in text or b"\xef\xbf\xbd" in data or not text.replace("\ufffd", "").isascii():
        return data  # UTF-8 (a byte gone wrong in it is reported as in a paper list)
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined: Latin-1's control characters
        return data.decode("latin-1").encode("utf-8")
