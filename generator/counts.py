"""Counts as a reader sees them: thousands separated ("9,577 papers"), singular for one ("1 paper").

Pages, feeds and the command's messages all print counts through these two, so a number reads the
same everywhere. The separator is fixed (a comma), not the machine's locale: output must not depend
on where it is built. And counts as a person or a server writes them: ``whole_number``.
"""

from __future__ import annotations


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
