"""LaTeX text markup in titles and abstracts (``Poincar\\'e``, ``\\emph{not}``, ``50\\%``, ``Navier--Stokes``,
````good''``), shown as the characters it stands for.

arXiv's API and the listings made from it give titles and abstracts as their authors typed them, in LaTeX. This
decodes them when they are shown (pages, feeds, email, the search index), never as they are read: a paper's id is
a hash of its title as read, and the topics are scored on that text, so both stay as they were.

Only well-known commands are decoded: accents on a letter, the letters ``\\ss \\o \\aa \\ae \\oe \\l \\i`` and
their capitals, ``\\emph \\textit \\textbf \\textsc \\texttt`` and their kin (and ``{\\em ...}``), the escaped
specials ``\\% \\& \\_ \\# \\$ \\{ \\}``, ``\\url{...}``, citations (their keys in brackets), size switches
(dropped), ``--`` and ``---`` between two word characters, ``````...''`` quotes, and ``~`` between two words (a
tie: a space). Everything else stays as written (an author's own macro, a brace, ``--help``, ``C--``), and
formulas (mathml.py) and URLs are never touched.
The result is text and markers of emphasis (``<em>``/``<strong>``, for HTML), never markup taken from the input:
escaping stays escape.py's.

Not pylatexenc, which the BibTeX reader uses: it reads a character at a time in Python (12 ms an abstract, where
this takes about 85 µs, and every build shows every abstract), and it would decode the formulas that mathml.py
renders as well.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from generator import mathml
from generator.model import NOT_SHOWN

# An accent command and the combining mark it puts on the letter after it.
SYMBOL_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
                  ".": "\u0307"}
LETTER_ACCENTS = {"u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a",
                  "d": "\u0323", "b": "\u0331"}
LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
           "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "textdegree": "°", "textmu": "µ"}
SYMBOLS = {"ldots": "…", "dots": "…", "textendash": "–", "textemdash": "—", "LaTeX": "LaTeX", "TeX": "TeX"}
# Citation commands, as abstracts copied from a paper keep them (``\cite{KenM:NLS,KenM:NLW}``): their keys in
# brackets, "[KenM:NLS, KenM:NLW]", a reference mark rather than a command's name.
CITATIONS = frozenset(["cite", "citet", "citep", "citealp", "citealt", "parencite", "textcite", "autocite"])
ESCAPED = frozenset("%&_#${} ")  # and a control space (\LaTeX\ is)
# Commands of one braced argument, and the element their text is shown in (None: as it is).
STYLES = {"emph": "em", "textit": "em", "textsl": "em", "textbf": "strong", "textsc": None, "texttt": None,
          "textrm": None, "textsf": None, "textup": None, "textnormal": None, "mbox": None,
          "textsubscript": None, "textsuperscript": None}
# Declarations that start a group (``{\em word}``), and their element.
DECLARATIONS = {"em": "em", "it": "em", "sl": "em", "bf": "strong", "sc": None, "tt": None, "rm": None, "sf": None,
                "up": None, "normalfont": None}
SIZES = frozenset(["tiny", "scriptsize", "footnotesize", "small", "normalsize", "large", "Large", "LARGE", "huge",
                   "Huge", "noindent"])
KNOWN = frozenset([*SYMBOL_ACCENTS, *LETTER_ACCENTS, *LETTERS, *SYMBOLS, *ESCAPED, *STYLES, *DECLARATIONS, *SIZES,
                   *CITATIONS])

COMMAND_NAME = re.compile(r"[A-Za-z]+")
# ``\url{...}`` and ``\texttt{...}`` of one word (an address, a name in code): the word as written, its escaped
# specials unescaped, its "--" kept.
VERBATIM = re.compile(r"\\(?:url|texttt)\{((?:[^\s{}\\]|\\[_%#&~])+)\}")
URL_ESCAPE = re.compile(r"\\([_%#&~])")
DASHES = re.compile(r"(?<=\w)-{2,3}(?=\w)")
# LaTeX's tie between two words ("Claude~Sonnet~4.5", "Fig.~3"): a space (one that does not break, to TeX: the
# pages let the line break there, as everywhere); a "~" elsewhere ("~10%", a home folder in a link) is text.
TIES = re.compile(r"(?<=[\w.])~(?=\w)")
# "MLLM\'s answer": a possessive whose apostrophe the source escaped, which an accent on an s (\'s, ś) ending a word
# would read as "MLLMś". An s accented in a name ("Ko\'sciuszko") has letters after it.
POSSESSIVE = re.compile(r"\\'s(?![A-Za-z])")
QUOTES = re.compile(r"(?<!\\)``((?:(?!``|'').)+?)''", re.DOTALL)
MAX_DEPTH = 20
"""Nested arguments and groups decoded; deeper ones stay as written (a hostile text cannot exhaust the stack)."""


class Emphasis(tuple[str, bool]):
    """A marker in decoded text: an element (``em``, ``strong``) opening (True) or closing (False)."""

    @property
    def tag(self) -> str:
        return f"<{'' if self[1] else '/'}{self[0]}>"


Piece = str | Emphasis


def has_markup(text: str) -> bool:
    """False for text with nothing to decode (most): no command, no ``--``, no ````` quote, no ``~``. Cheap (C's
    ``in``)."""
    return "\\" in text or "--" in text or "``" in text or "~" in text


def plain(text: str) -> str:
    """``text`` with its LaTeX text markup decoded, its formulas as written: for feeds, mail, ``<title>``, search."""
    if not has_markup(text):
        return text
    return "".join(piece for piece in decode(text) if type(piece) is str)


def shows_nothing(text: str) -> bool:
    """Whether ``text`` is blank once decoded (``\\textbf{}``), or holds only characters that show as nothing (a
    zero-width space, bidi controls); readers ask it of a title, which stays as written."""
    if not has_markup(text):
        return not NOT_SHOWN.sub("", text).strip()
    return not NOT_SHOWN.sub("", "".join(piece for piece in _decoded(text) if type(piece) is str)).strip()


def decode(text: str) -> tuple[Piece, ...]:
    """``text`` as decoded text and emphasis markers (balanced), formulas and URLs as written."""
    if not has_markup(text):
        return (text,) if text else ()
    return _decoded_short(text) if len(text) <= SHORT else _decoded(text)


SHORT = 400
"""Texts up to this long (titles) are decoded once, however many lists show them; abstracts (shown once) are not."""


@functools.lru_cache(maxsize=4096)
def _decoded_short(text: str) -> tuple[Piece, ...]:
    return _decoded(text)


def _decoded(text: str) -> tuple[Piece, ...]:
    out = _Out()
    position = 0
    for start, end in _kept(text):
        _decode_text(text[position:start], out)
        out.text(text[start:end])
        position = end
    _decode_text(text[position:], out)
    return tuple(out.pieces())


def _kept(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` left as written: its formulas (rendered or not)."""
    return mathml.formula_spans(text) if "$" in text or "\\(" in text or "\\[" in text else []


def _decode_text(text: str, out: _Out) -> None:
    """A text without formulas: its URLs as written, ``\\url{...}`` as its address, the rest decoded."""
    position = 0
    for start, end, shown in _verbatim(text):
        _decode_words(text[position:start], out)
        out.text(shown)
        position = end
    _decode_words(text[position:], out)


def _verbatim(text: str) -> list[tuple[int, int, str]]:
    """The spans of ``text`` shown as words, not decoded, in order: (start, end, what is shown).

    The URLs escape.py links (their "--" and ``~`` are no markup) and the word of ``\\url{word}`` and
    ``\\texttt{word}``. Each is a piece of its own: what is decoded around it never runs into it.
    """
    spans = []
    if "\\url{" in text or "\\texttt{" in text:
        spans += [(found.start(), found.end(), URL_ESCAPE.sub(r"\1", found.group(1)))
                  for found in VERBATIM.finditer(text)]
    if "://" in text:
        from generator.escape import URL  # escape.py imports this module

        spans += [(found.start(), found.end(), found.group()) for found in URL.finditer(text)]
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:  # a URL inside \url{...} is part of it
            kept.append(span)
    return kept


def _decode_words(text: str, out: _Out) -> None:
    if "--" in text:
        text = DASHES.sub(lambda found: "–" if len(found.group()) == 2 else "—", text)
    if "~" in text:
        text = TIES.sub(" ", text)
    if "``" in text:
        text = QUOTES.sub(r"“\1”", text)
    if "\\" not in text:
        out.text(text)
        return
    _Parser(text, out).run(0, len(text), 0)


class _Out:
    """Decoded pieces, adjacent texts joined."""

    def __init__(self) -> None:
        self._pieces: list[Piece] = []
        self._text: list[str] = []

    def text(self, value: str) -> None:
        self._text.append(value)

    def mark(self, element: str, opening: bool) -> None:
        self._flush()
        self._pieces.append(Emphasis((element, opening)))

    def _flush(self) -> None:
        if self._text:
            joined = "".join(self._text)
            if joined:
                self._pieces.append(joined)
            self._text = []

    def pieces(self) -> list[Piece]:
        self._flush()
        return self._pieces


class _Parser:
    """Commands and groups of one text (no formula, no URL), decoded into ``out``."""

    def __init__(self, text: str, out: _Out) -> None:
        self.text, self.out = text, out
        self.closing = _brace_pairs(text)

    def run(self, start: int, end: int, depth: int) -> None:
        text, out = self.text, self.out
        position = literal = start
        while position < end:
            found = _COMMAND_OR_GROUP.search(text, position, end)  # the text between is copied as it is
            if found is None:
                break
            position = found.start()
            if text[position] == "\\":
                out.text(text[literal:position])
                position = literal = self.command(position, end, depth)
            elif depth < MAX_DEPTH and self.group_command(position, end):
                out.text(text[literal:position])
                position = literal = self.group(position, depth)
            else:
                position += 1
        out.text(text[literal:end])

    def command(self, start: int, end: int, depth: int) -> int:
        """Decode the command at ``start``; where it ends. An unknown one is written as it is, with the brace
        after it: its argument's braces stay (its contents are still decoded)."""
        text, out = self.text, self.out
        name_match = COMMAND_NAME.match(text, start + 1, end)
        name = name_match.group() if name_match else text[start + 1 : start + 2]
        after = start + 1 + len(name)
        if not name:
            out.text("\\")
            return after
        if name in ESCAPED:
            out.text(name)
            return after
        if name == "'" and POSSESSIVE.match(text, start, end) and text[start - 1 : start].isalnum():
            out.text("'")  # "MLLM\'s": an apostrophe escaped by its source, not an accented s (ś)
            return after
        if name in SYMBOL_ACCENTS or name in LETTER_ACCENTS:
            found = self.accented(after, end, name in LETTER_ACCENTS)
            if found is not None:
                letter, after = found
                mark = SYMBOL_ACCENTS.get(name) or LETTER_ACCENTS[name]
                out.text(unicodedata.normalize("NFC", letter + mark))
                return after
        elif name in LETTERS:
            out.text(LETTERS[name])
            return self.after_word(after, end)
        elif name in SYMBOLS:
            out.text(SYMBOLS[name])
            return after + 2 if text.startswith("{}", after) and after + 2 <= end else after
        elif name in SIZES:
            return self.after_word(after, end)
        elif name in CITATIONS:
            argument = self.skip_spaces(after, end)
            close = self.closing.get(argument, end) if argument < end and text[argument] == "{" else end
            keys = [key.strip() for key in text[argument + 1 : close].split(",") if key.strip()]
            if close < end and keys and "\\" not in text[argument:close]:  # "\citep[e.g.][]{x}" stays as written
                out.text(f"[{', '.join(keys)}]")
                return close + 1
        elif name in STYLES and depth < MAX_DEPTH:
            argument = self.skip_spaces(after, end)
            close = self.closing.get(argument, end) if argument < end and text[argument] == "{" else end
            if close < end:
                element = STYLES[name]
                if element:
                    out.mark(element, True)
                self.run(argument + 1, close, depth + 1)
                if element:
                    out.mark(element, False)
                return close + 1
        out.text(text[start:after])
        if name_match and after < end and text[after] == "{":
            out.text("{")
            return after + 1
        return after

    def group_command(self, start: int, end: int) -> str:
        """The known command a group at ``start`` starts with (``{\\"o}``, ``{\\em word}``), else "": any other
        group keeps its braces."""
        close = self.closing.get(start)
        if close is None or close >= end or not self.text.startswith("\\", start + 1):
            return ""
        name_match = COMMAND_NAME.match(self.text, start + 2, close)
        name = name_match.group() if name_match else self.text[start + 2 : start + 3]
        return name if name in KNOWN else ""

    def group(self, start: int, depth: int) -> int:
        """Decode a group that starts with a known command, its braces left out; where it ends."""
        close = self.closing[start]
        name = self.group_command(start, close + 1)
        element = DECLARATIONS.get(name)
        inside = start + 1
        if name in DECLARATIONS:
            inside = self.after_word(start + 2 + len(name), close)
        if element:
            self.out.mark(element, True)
        self.run(inside, close, depth + 1)
        if element:
            self.out.mark(element, False)
        return close + 1

    def accented(self, start: int, end: int, spaced: bool) -> tuple[str, int] | None:
        """The letter an accent command at ``start`` puts its accent on, and where it ends: ``e``, ``{e}``, ``\\i``,
        ``{\\i}``, or after a letter accent (``\\c``, ``\\v``) a space and a letter (``\\c c``); None for anything else.
        """
        text = self.text
        if start < end and text[start] == "{":
            inner = text[start + 1 : self.closing.get(start, start)]
            if len(inner) == 1 and inner.isascii() and inner.isalpha():
                return inner, start + 3
            if inner in ("\\i", "\\j"):
                return inner[1], start + 4
            return None
        position = self.skip_spaces(start, end) if spaced else start
        if spaced and position == start:
            return None  # "\v" right before a letter would be another command's name
        if text.startswith(("\\i", "\\j"), position) and not text[position + 2 : position + 3].isalpha():
            return text[position + 1], position + 2
        character = text[position : position + 1]
        if position < end and character.isascii() and character.isalpha():
            return character, position + 1
        return None

    def after_word(self, position: int, end: int) -> int:
        """Past the spaces (TeX ends a command's name with them: ``Bj\\o rn``) or the ``{}`` after a command."""
        if self.text.startswith("{}", position) and position + 2 <= end:
            return position + 2
        return self.skip_spaces(position, end)

    def skip_spaces(self, position: int, end: int) -> int:
        while position < end and self.text[position] == " ":
            position += 1
        return position


def _brace_pairs(text: str) -> dict[int, int]:
    """Each ``{``'s position and its matching ``}``'s (escaped braces, ``\\{``, are no braces); found once, in one
    pass, so that no unmatched brace makes the decoding quadratic."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for found in _BRACE_OR_ESCAPE.finditer(text):  # an escape (a backslash and the character after it) is skipped
        character = found.group()
        if character == "{":
            opened.append(found.start())
        elif character == "}" and opened:
            pairs[opened.pop()] = found.start()
    return pairs


# What a pass over a text stops at: a command or a group (``_Parser.run``); a brace or an escape (``_brace_pairs``).
_COMMAND_OR_GROUP = re.compile(r"[\\{]")
_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.DOTALL)
