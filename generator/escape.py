"""The one place untrusted text (titles, abstracts, authors, URLs) is made safe for our pages.

Text is written into Markdown that Python-Markdown and its extensions turn into HTML, and
into front-matter values that Material prints into ``<title>`` and ``<meta>`` unescaped.
So every character that HTML or a Markdown extension could act on becomes a numeric
character reference: the browser shows the character, no parser acts on it.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# HTML specials, Markdown inline syntax, and extension triggers (attr_list braces, emoji
# colons, caret/tilde/mark, keys, arithmatex dollars, snippets via '<').
SPECIAL = set("\\`*_{}[]()#+!|<>&\"'~=:$^")
ESCAPES = {ord(ch): f"&#{ord(ch)};" for ch in SPECIAL}
WHITESPACE = re.compile(r"\s+")
LIST_MARKER = re.compile(r"^(\d+)\.")
URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def text(value: object) -> Markup:
    """Untrusted text as inline Markdown/HTML that renders as exactly that text, on one line."""
    return Markup(_guard_line_start(WHITESPACE.sub(" ", str(value)).strip().translate(ESCAPES)))


def _guard_line_start(escaped: str) -> str:
    # A leading '-', '.' or '1.' would start a list when the text begins a line.
    if escaped.startswith(("-", ".")):
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"
    return LIST_MARKER.sub(r"\1&#46;", escaped)


def link(url: str, label: object) -> Markup:
    """An external link; only http(s) URLs (the readers drop every other scheme)."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return text(label)
    return Markup(f'<a href="{text(url)}">{text(label)}</a>')


def text_with_links(value: str) -> Markup:
    """Like ``text``, but http(s) URLs inside the text become links."""
    flat = WHITESPACE.sub(" ", value).strip()
    parts: list[str] = []
    position = 0
    for match in URL.finditer(flat):
        url = match.group(0).rstrip(TRAILING_PUNCTUATION)
        if not re.match(r"^https?://[^/?#]", url):
            continue
        parts.append(flat[position : match.start()].translate(ESCAPES))
        parts.append(link(url, url))
        position = match.start() + len(url)
    parts.append(flat[position:].translate(ESCAPES))
    return Markup(_guard_line_start("".join(parts)))
