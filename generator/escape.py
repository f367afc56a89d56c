"""The one place untrusted text (titles, abstracts, authors, URLs) is made safe for our pages.

Text is written into Markdown that Python-Markdown and its extensions turn into HTML, and
into front-matter values that Material prints into ``<title>`` and ``<meta>`` unescaped.
So every character that HTML or a Markdown extension could act on becomes a numeric
character reference: the browser shows the character, no parser acts on it.
"""

from __future__ import annotations

import html as html_module
import re

from markupsafe import Markup
from markupsafe import escape as _escape_html

from generator import latex_text, mathml

# HTML specials, Markdown inline syntax, and extension triggers (attr_list braces, emoji
# colons, caret/tilde/mark, keys, arithmatex dollars, snippets via '<').
SPECIAL = set("\\`*_{}[]()#+!|<>&\"'~=:$^")
ESCAPES = {ord(ch): f"&#{ord(ch)};" for ch in SPECIAL}
_REFERENCES = {ch: f"&#{ord(ch)};" for ch in SPECIAL}
_SPECIALS = re.compile("[" + re.escape("".join(sorted(SPECIAL))) + "]")


def _references(value: str) -> str:
    """Every special character as its numeric reference.

    The same result as ``value.translate(ESCAPES)``, but str.translate takes its slow path for
    replacements longer than one character: 50 times slower on an abstract, most of a build's render stage.
    """
    return _SPECIALS.sub(lambda match: _REFERENCES[match.group()], value)

WHITESPACE = re.compile(r"\s+")


def is_flat(value: str) -> bool:
    """True for text with no control or format character, no white space but single spaces between words:
    every other white space character, control character and bidi control is unprintable. The usual case,
    which text cleaning returns as it is."""
    return value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " "


def _flat(value: str) -> str:
    """Runs of white space as one space, none at the ends: ``WHITESPACE.sub(" ", value).strip()``, four times faster."""
    return value if is_flat(value) else " ".join(value.split())

LIST_MARKER = re.compile(r"^(\d+)\.")
# A URL ends before a space, a quote, an angle bracket, a square bracket (a Markdown link written in an
# abstract, "[https://a.org](https://a.org)", is two URLs) or a TeX brace/backslash.
URL = re.compile(r"https?://[^\s<>\"'`{}\\\[\]]+", re.IGNORECASE)
# What a URL may not hold as it is after its host (the URL Standard; the Nu HTML checker rejects such an href):
# control characters, space, these ASCII signs, and a '%' that starts no escape. Each is percent-encoded.
_NOT_IN_URL = re.compile(r'[\x00-\x20"<>\\^`{|}\[\]\x7f]|%(?![0-9A-Fa-f]{2})')
_AFTER_HOST = re.compile(r"https?://[^/?#]*", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_HTTP_URL = re.compile(r"https?://[^/?#\s]\S*\Z", re.IGNORECASE)  # absolute http(s), no white space anywhere


def text(value: object) -> Markup:
    """Untrusted text as inline Markdown/HTML that renders as exactly that text, on one line."""
    return Markup(_guard_line_start(_references(_flat(str(value)))))


# Letters written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko and their neighbours, Hebrew and Arabic
# presentation forms, and the right-to-left blocks of the supplementary planes.
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


def isolated(markup: str, plain: str) -> Markup:
    """``markup`` (the HTML of ``plain``) in a ``<bdi>`` when ``plain`` has right-to-left letters, else as it is.

    In a left-to-right line a right-to-left title or name draws the commas, dashes and numbers beside it into its
    own run: two Arabic names trade places across their comma, and the date after a Hebrew title is shown before
    it, backwards ("02-12-2026"). Isolated, it keeps its place. Left-to-right text (most) gets no element.
    """
    if plain.isascii() or RIGHT_TO_LEFT.search(plain) is None:  # most: no right-to-left letter (ASCII: no scan)
        return markup if isinstance(markup, Markup) else Markup(markup)
    return Markup(f"<bdi>{markup}</bdi>")


def isolated_text(plain: str) -> str:
    """``plain`` between Unicode's isolates (FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE) when it has
    right-to-left letters, else as it is: ``isolated`` for text that no element can carry (a plain-text email),
    or HTML whose elements a reader may drop (a mail client's)."""
    if plain.isascii() or RIGHT_TO_LEFT.search(plain) is None:
        return plain
    return f"\u2068{plain}\u2069"


def direction(plain: str) -> Markup:
    """`` dir="auto"`` for the element holding ``plain`` when it has right-to-left letters (a Hebrew abstract reads
    and aligns right to left, its full stop at its end), else nothing."""
    return Markup(' dir="auto"' if not plain.isascii() and RIGHT_TO_LEFT.search(plain) else "")


def _guard_line_start(escaped: str) -> str:
    # A leading '-', '.' or '1.' would start a list when the text begins a line.
    if escaped.startswith(("-", ".")):
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"
    return LIST_MARKER.sub(r"\1&#46;", escaped) if escaped[:1].isdigit() else escaped  # (isdigit: \d and more)


def text_with_math(value: object, links: bool = False, inline: bool = False) -> Markup:
    """Like ``text`` (or ``text_with_links``), but TeX formulas become MathML (see mathml.py); with ``inline``
    display formulas too are set in the line (a title: a formula on a line of its own would cut its link in two)."""
    return Markup(_guard_line_start(_with_math(value, links, for_html=False, inline=inline)))


def _with_math(value: object, links: bool, for_html: bool, inline: bool = False) -> str:
    """The text flattened, formulas as MathML, the rest escaped for Markdown (or HTML only), URLs linked if asked."""
    escape_text = _escape_html if for_html else _references
    parts = []
    for segment in _joined_text(mathml.split(_flat(str(value)), inline)):
        if segment.formula is not None:
            parts.append(math_markup(segment.formula))
            continue
        for piece in latex_text.decode(segment.text):  # its LaTeX text markup decoded: emphasis our own elements
            if isinstance(piece, latex_text.Emphasis):
                parts.append(piece.tag)
            elif links:
                parts.append(_linked(piece, for_html))
            else:
                parts.append(escape_text(piece))
    return "".join(parts)


def _joined_text(segments: list[mathml.Segment]) -> list[mathml.Segment]:
    """``segments`` with neighbouring texts (split at a ``\\$``) as one: ``\\emph{costs \\$5}`` is one argument."""
    if len(segments) < 2:
        return segments
    joined: list[mathml.Segment] = []
    for segment in segments:
        if joined and segment.formula is None and joined[-1].formula is None:
            joined[-1] = mathml.Segment(joined[-1].text + segment.text)
        else:
            joined.append(segment)
    return joined


def math_markup(node: mathml.Node) -> str:
    """A whitelisted MathML tree as one line of HTML; its text escaped like any other text."""
    attributes = "".join(f' {name}="{_references(value)}"' for name, value in node.attributes)
    inner = _references(node.text) + "".join(math_markup(child) for child in node.children)
    return f"<{node.tag}{attributes}>{inner}</{node.tag}>{_references(node.tail)}"


def href(url: str) -> str:
    """``url`` with the characters no URL may hold after its host percent-encoded; browsers go to the same place."""
    host = _AFTER_HOST.match(url)
    start = host.end() if host else 0
    if not _NOT_IN_URL.search(url, start):
        return url
    return url[:start] + _NOT_IN_URL.sub(lambda found: f"%{ord(found.group()[0]):02X}", url[start:])


def link(url: str, label: object) -> Markup:
    """An external link; only http(s) URLs (the readers drop every other scheme)."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return text(label)
    return Markup(f'<a href="{text(href(url))}">{text(label)}</a>')


def text_with_links(value: str) -> Markup:
    """Like ``text``, but http(s) URLs inside the text become links."""
    return Markup(_guard_line_start(_linked(_flat(value))))


def _linked(flat: str, for_html: bool = False) -> str:
    """``flat`` escaped (for Markdown, or with ``for_html`` for HTML only) with its http(s) URLs as links."""
    escape_text, make_link = (_escape_html, html_link) if for_html else (_references, link)
    if "://" not in flat:  # no URL can be there (most abstracts): no need for the search
        return str(escape_text(flat))
    parts: list[str] = []
    position = 0
    for match in URL.finditer(flat):
        url = match.group(0).rstrip(TRAILING_PUNCTUATION)
        if not re.match(r"^https?://[^/?#]", url):
            continue
        parts.append(escape_text(flat[position : match.start()]))
        parts.append(make_link(url, url))
        position = match.start() + len(url)
    parts.append(escape_text(flat[position:]))
    return "".join(parts)


def html_with_math(value: object, links: bool = False, inline: bool = False) -> Markup:
    """Untrusted text as HTML that no Markdown parser reads (paper articles, topic cards).

    Only HTML's own specials need escaping there (markupsafe does it in C); TeX formulas become
    MathML as in ``text_with_math`` (``inline``: display formulas too in the line), and with ``links`` http(s)
    URLs become links.
    """
    return Markup(_with_math(value, links, for_html=True, inline=inline))


def html(value: object, keep_spaces: bool = False) -> str:
    """Untrusted text as HTML text, for HTML no Markdown parser reads (search results, preformatted blocks)."""
    flat = str(value) if keep_spaces else _flat(str(value))
    return html_module.escape(flat, quote=True)


# Feeds carry HTML (not Markdown) inside their XML: only the HTML specials matter there,
# and the XML serializer escapes the whole HTML string once more.


def html_text(value: object) -> str:
    """Untrusted text as HTML that shows exactly that text (for feed content)."""
    return html_module.escape(str(value), quote=True)


def html_isolated(markup: str, plain: str) -> str:
    """Feed content's :func:`isolated`: ``markup`` in a ``<span dir="auto">`` when ``plain`` has right-to-left letters.

    Not ``<bdi>``: feed readers clean the HTML they show, and feedparser's cleaner (like others) drops ``<bdi>``
    but keeps ``dir``, which isolates the text as well (HTML's rendering rules give ``[dir=auto]`` ``unicode-bidi:
    isolate``). Without it two Arabic names trade places across their comma, and counts jump before a Hebrew title.
    """
    if plain.isascii() or RIGHT_TO_LEFT.search(plain) is None:
        return markup
    return f'<span dir="auto">{markup}</span>'


def html_link(url: str, label: object) -> str:
    """An HTML link for feed content; only absolute http(s) URLs become links, anything else is text."""
    if not _HTTP_URL.match(url):
        return html_text(label)
    return f'<a href="{html_text(href(url))}">{html_text(label)}</a>'
