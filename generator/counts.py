"""Counts as a reader sees them: thousands separated ("9,577 papers"), singular for one ("1 paper").

Pages, feeds and the command's messages all print counts through these two, so a number reads the
same everywhere. The separator is fixed (a comma), not the machine's locale: output must not depend
on where it is built. And how many pages a list fills: ``pages``; counts as a person or a server writes
them: ``whole_number``; and the names beside them in the commands' tables, padded to the columns a terminal gives
them: ``ljust``.
"""

from __future__ import annotations

import unicodedata


def pages(items: int, size: int) -> int:
    """How many pages of ``size`` hold ``items`` (0 for none): topic, author, watch and picks pages are paged so."""
    return -(-items // size)


def number(value: int) -> str:
    """``9577`` -> ``9,577``."""
    return f"{value:,}"


def count(value: int, noun: str, plural: str | None = None) -> str:
    """``count(9577, "paper")`` -> ``9,577 papers``; ``count(1, "paper")`` -> ``1 paper``.

    ``plural`` is for nouns that do not just take an "s" (``count(2, "entry", "entries")``).
    """
    return f"{value:,} {noun if value == 1 else plural or noun + 's'}"


def whole_number(text: str) -> bool:
    """Whether ``text`` is a whole number in ASCII digits, which ``int()`` reads: ``str.isdigit`` holds for "²"
    and other scripts' digits too, and ``int("²")`` is a traceback (a header, a BibTeX month, a port, a setting)."""
    return text.isascii() and text.isdigit()


def columns(text: str) -> int:
    """The terminal columns ``text`` takes: two for a Chinese, Japanese or Korean character (and other wide
    ones), none for a combining accent, one for the rest; ``len`` counts characters, which put the counts beside
    "机器学习" four columns to the right of those beside "Robotics"."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (``columns``)."""
    return text + " " * (width - columns(text))
