"""TeX math in titles and abstracts, found and turned into MathML at build time.

The text is untrusted, so no math library runs in the visitor's browser (Chromium draws
MathML itself): latex2mathml parses the TeX here, and only whitelisted MathML elements
and attributes, with plain text, survive. No links (``\\href``), no ``\\unicode``, no
macro definitions, bounded size. Anything that does not parse stays text; so does text
that merely looks like math ("$5 and $10"). Serialising (and escaping) is in escape.py.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass

from latex2mathml.converter import convert_to_element

MAX_TEX_CHARS = 500
MAX_FORMULAS = 100
MAX_ELEMENTS = 2000

# Pandoc's rule for $…$: the opening $ is followed by a non-space, the closing $ follows a
# non-space (not a backslash). So "$5 and $10" is no math. Pandoc also refuses a closing $ followed by
# a digit, but arXiv's abstracts write "$\sim$40 pc", "2.8$\pm$0.1" and "X$-$1" so: only a "formula" that
# starts with a number and has no TeX in it is a price there ("$5-$10"), and so is one like "$2 tokens$".
# A display environment written without dollars, as mathematics' abstracts do (\begin{equation*} … \end{equation*}),
# is a display formula too; latex2mathml reads the environment itself.
FORMULA = re.compile(
    r"""\\\$
      | \$\$(?P<display>[^$]+?)\$\$
      | \\\((?P<paren>.+?)\\\)
      | \\\[(?P<bracket>.+?)\\\]
      | (?P<environment>\\begin\{(?P<name>equation|align|gather|multline|eqnarray|displaymath)(?P<star>\*?)\}
          .+?\\end\{(?P=name)(?P=star)\})
      | \$(?P<inline>[^\s$](?:[^$]*?[^\s$\\])?)\$""",
    re.VERBOSE | re.DOTALL,
)
# Commands that could link, load, restyle or expand without bound: such a formula stays text.
REFUSED = re.compile(
    r"\\(?:href|url|unicode|def|gdef|edef|xdef|let|newcommand|renewcommand|providecommand|"
    r"DeclareMathOperator|html\w*|style|class|cssId|require|includegraphics|color|textcolor|colorbox|"
    r"mathcolor|fcolorbox|begingroup|csname|expandafter|input|include)(?![A-Za-z])"
)
PRICE_LIKE = re.compile(r"^\d[\d.,]*\s")
NUMBER_FIRST = re.compile(r"^\d")
TEX_MARKUP = re.compile(r"[\\^_{}=<>]")  # a command, a script, a group or a relation: math, not a price

ELEMENTS = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msup",
        "msub",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mfrac",
        "msqrt",
        "mroot",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "mfenced",
        "merror",
        "semantics",
        "annotation",
    ]
)
ATTRIBUTES = frozenset(
    [
        "display",
        "mathvariant",
        "stretchy",
        "fence",
        "form",
        "separator",
        "accent",
        "accentunder",
        "lspace",
        "rspace",
        "columnalign",
        "rowalign",
        "columnlines",
        "rowlines",
        "columnspacing",
        "rowspacing",
        "minsize",
        "maxsize",
        "movablelimits",
        "linethickness",
        "symmetric",
        "largeop",
        "displaystyle",
        "scriptlevel",
        "notation",
        "open",
        "close",
        "separators",
        "width",
        "height",
        "depth",
    ]
)
SAFE_VALUE = re.compile(r"[A-Za-z0-9 .%+-]{0,40}")


@dataclass(frozen=True)
class Node:
    """A whitelisted MathML element: its tag, attributes, text and children (plain data)."""

    tag: str
    attributes: tuple[tuple[str, str], ...]
    text: str
    children: tuple[Node, ...]
    tail: str = ""


@dataclass(frozen=True)
class Segment:
    """A piece of a text: plain text (``formula`` is None) or a formula ready to serialise."""

    text: str
    formula: Node | None = None


def split(text: str, inline: bool = False) -> list[Segment]:
    """``text`` cut into plain text and formulas; a formula that cannot be rendered stays text.

    ``inline``: display formulas (``$$…$$``, ``\\[…\\]``) are set in the line too, as a title needs.
    """
    if "$" not in text and "\\" not in text:  # most texts: no formula can start, no regex scan needed
        return [Segment(text)] if text else []
    segments: list[Segment] = []
    position = 0
    formulas = 0
    for match in _formulas(text):
        if match.group(0) == "\\$":
            segments.append(Segment(text[position : match.start()] + "$"))
            position = match.end()
            continue
        if formulas >= MAX_FORMULAS:
            break
        tex = (match.group("display") or match.group("paren") or match.group("bracket") or match.group("inline")
               or match.group("environment"))
        display = not inline and match.group("inline") is None and match.group("paren") is None
        node = to_mathml(tex, display)
        if node is None:
            continue
        segments.append(Segment(text[position : match.start()]))
        segments.append(Segment(match.group(0), node))
        position = match.end()
        formulas += 1
    segments.append(Segment(text[position:]))
    return [segment for segment in segments if segment.text]


def formula_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes formulas by the rules above, rendered or not: (start, end) of each, in order."""
    return [match.span() for match in _formulas(text) if match.group(0) != "\\$"]


def _formulas(text: str) -> Iterator[re.Match[str]]:
    """The formulas of ``text`` (and its escaped dollars), in order: ``FORMULA``'s matches that are no price."""
    position = 0
    while (match := FORMULA.search(text, position)) is not None:
        tex = match.group("inline")
        if tex is None or TEX_MARKUP.search(tex):
            yield match
        elif NUMBER_FIRST.match(tex) and text[match.end() : match.end() + 1].isdigit():
            position = match.start() + 1  # "$5-$10": the second $ may still open a formula
            continue
        elif not PRICE_LIKE.match(tex):  # "$2 tokens$" is text
            yield match
        position = match.end()


@functools.lru_cache(maxsize=4096)  # a paper's formulas appear on its page and on each of its topics' pages
def to_mathml(tex: str, display: bool) -> Node | None:
    """The formula as whitelisted MathML, or None when it is refused or does not parse."""
    if not tex.strip() or len(tex) > MAX_TEX_CHARS or REFUSED.search(tex):
        return None
    try:
        element = convert_to_element(tex, display="block" if display else "inline")
    except Exception:
        return None
    budget = [MAX_ELEMENTS]
    return _clean(element, budget)


def _clean(element: ElementTree.Element, budget: list[int]) -> Node | None:
    budget[0] -= 1
    tag = element.tag.rsplit("}", 1)[-1]
    if budget[0] < 0 or tag not in ELEMENTS:
        return None
    attributes = tuple(
        sorted(
            (name, value)
            for name, value in element.attrib.items()
            if name in ATTRIBUTES and SAFE_VALUE.fullmatch(value)
        )
    )
    children = []
    for child in element:
        cleaned = _clean(child, budget)
        if cleaned is None:
            return None
        children.append(cleaned)
    # latex2mathml keeps character references as text ("&#x1D4AA;"); make them characters.
    return Node(tag, attributes, _plain(element.text), tuple(children), _plain(element.tail))


def _plain(value: str | None) -> str:
    return html.unescape(value or "")
