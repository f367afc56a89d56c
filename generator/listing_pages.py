"""Listing pages the navigation does not list, assembled from one rendered frame instead of one by one.

A big archive has hundreds of such pages: every issue but the newest, a topic's later pages, the top
pages of past weeks and months, later watch and picks pages. MkDocs would run each through
Python-Markdown and Material's template (about 3.5 ms of CPU a page, a sixth of a real archive's
whole build), although the generator writes them as finished HTML between a few Markdown headings.
So the MkDocs hook (generator/mkdocs_hooks.py) takes such a page out of the build when its Markdown is
only that (``parse``: front matter, one ``#`` title, ``##`` headings of plain text, and HTML blocks),
renders one placeholder page per folder with Material, cuts it into a ``Frame`` at the places that
differ between pages (title, description, address, feed links, table of contents, article), and fills
it in for each page; the headings get the ids and permalinks Python-Markdown's ``toc`` extension would
give them (its own ``slugify`` and ``unique``). A page whose Markdown is anything more (a site's own
template may write any) is left to MkDocs, and so is the first page of each part: the hook checks
that the frame, filled for it, gives MkDocs' page byte for byte; if not (a theme override or plugin that
writes something of each page's own into the frame), that part's pages go through MkDocs one by one
after all. ``fast_pages: false`` in the plugin's settings turns the whole thing off.

Everything in a page is HTML the generator's templates made safe; this module only puts pieces together.
"""

from __future__ import annotations

import html as html_module
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.slugs import page_url

NAME = "digest-page-shell"
TITLE = "DigestPageShellTitle"
DESCRIPTION = "DigestPageShellDescription"
SECTION = "DigestPageShellSection"
BODY = "DigestPageShellBody"
FEED = "digestpageshellfeed"
FEED_TITLE = "DigestPageShellFeedTitle"
SHELL_MARKDOWN = (
    f"---\ntitle: {TITLE}\ndescription: {DESCRIPTION}\nfeed_slug: {FEED}\nfeed_title: {FEED_TITLE}\n"
    f"search:\n  exclude: true\n---\n\n# {TITLE}\n\n## {SECTION}\n\n{BODY}\n"
)
# Generated pages carry finished HTML (lists of papers) between a "<!-- digest:html -->" line and a
# "<!-- digest:end -->" line (or the end of the page), which the MkDocs hook sets aside before Markdown
# (generator/mkdocs_hooks.set_html_aside) and this module puts in as it is.
HTML_START = "<!-- digest:html -->\n"
HTML_END = "<!-- digest:end -->\n"
_HEADING = re.compile(r"(#{1,2}) +(\S(?:.*\S)?)\n")
# Heading text Python-Markdown leaves as it is: no inline markup, raw HTML or attribute lists, character
# references only as themselves, no closing hashes. Anything else is left to MkDocs.
_PLAIN = re.compile(r"(?:[^\\`*_\[\]<>{}#~^=|+&\n]|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});)+")
_FEED_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
_TAGS = re.compile(r"<[^>]*>")
# The toc extension's settings this module reproduces (the rest change which headings get ids, or how).
TOC_SETTINGS = {"permalink", "permalink_title", "permalink_class", "permalink_leading", "slugify", "separator",
                "title", "title_class", "toc_class", "anchorlink", "anchorlink_class"}


class FrameError(Exception):
    """Material's placeholder page no longer has the shape listing pages are assembled from."""


@dataclass
class Listing:
    """A listing page taken out of MkDocs' build: what its frame needs, and its article's parts."""

    src_uri: str
    url: str
    title: str
    description: str
    feed: tuple[str, str] | None
    parts: list[tuple[int, str]] = field(default_factory=list)
    """(heading level, heading text) or (0, HTML block), in page order."""


def parse(src_uri: str, source: str, get_data: Callable[[str], tuple[str, dict[str, Any]]]) -> Listing | None:
    """The page if its Markdown is only what this module assembles, else None (MkDocs renders it).

    ``get_data`` is MkDocs' front matter reader (mkdocs.utils.meta.get_data), so the values are MkDocs' own.
    """
    if not src_uri.endswith(".md") or src_uri.endswith("index.md"):
        return None
    markdown, meta = get_data(source)
    title, description = meta.get("title"), meta.get("description")
    search = meta.get("search")
    if not (isinstance(title, str) and title and isinstance(description, str) and description):
        return None
    if not (isinstance(search, dict) and search.get("exclude") is True):
        return None
    if set(meta) - {"title", "description", "search", "feed_slug", "feed_title"} or set(search) != {"exclude"}:
        return None
    feed = None
    if "feed_slug" in meta:
        slug, feed_title = meta.get("feed_slug"), meta.get("feed_title", meta.get("feed_slug"))
        if not (isinstance(slug, str) and _FEED_SLUG.fullmatch(slug) and isinstance(feed_title, str) and feed_title):
            return None
        feed = (slug, feed_title)
    elif "feed_title" in meta:
        return None
    parts = _parts(markdown)
    if parts is None or not parts or parts[0][0] != 1 or sum(1 for level, _ in parts if level == 1) != 1:
        return None
    return Listing(src_uri, page_url(src_uri), title, description, feed, parts)


def _parts(markdown: str) -> list[tuple[int, str]] | None:
    """Headings and HTML blocks (as the hook sets them aside), or None if the Markdown has anything else."""
    parts: list[tuple[int, str]] = []
    position, size = 0, len(markdown)
    lines = markdown if markdown.endswith("\n") else markdown + "\n"  # so that a last heading has its newline
    while position < size:
        if markdown.startswith("\n", position):
            position += 1
        elif markdown.startswith(HTML_START, position):
            body = position + len(HTML_START)
            end = markdown.find("\n" + HTML_END, body - 1)
            stop = size if end == -1 else end + 1
            parts.append((0, markdown[body:stop]))
            position = size if end == -1 else stop + len(HTML_END)
        else:
            heading = _HEADING.match(lines, position)
            if heading is None or not _PLAIN.fullmatch(heading.group(2)):
                return None
            parts.append((len(heading.group(1)), heading.group(2)))
            position = heading.end()
    return parts


@dataclass(frozen=True)
class Headings:
    """How Python-Markdown (with the site's toc settings) writes a heading, as the placeholder showed."""

    h1: tuple[str, ...]
    h2: tuple[str, ...]
    """The heading's HTML split at its id and text: pieces, id, text alternately from the placeholder."""
    slugify: Callable[[str, str], str]
    separator: str

    def render(self, parts: list[tuple[int, str]],
               unique: Callable[..., str]) -> tuple[str, str, list[tuple[str, str]]]:
        """The article's HTML (as Markdown and the hook's HTML blocks make it), its h1's id and its h2s (id, text)."""
        used: set[str] = set()
        pieces, toc = [], []
        first = ""
        for level, text in parts:
            if not level:
                pieces.append(text)
                continue
            # Two arguments, as every Python-Markdown release takes them (3.11.3 added an optional cache, third).
            anchor = unique(self.slugify(html_module.unescape(_TAGS.sub("", text)), self.separator), used)
            pieces.append(fill(self.h1 if level == 1 else self.h2, anchor, text))
            if level == 2:
                toc.append((anchor, text))
            else:
                first = anchor
        return "\n".join(pieces), first, toc


def split_heading(html: str, anchor: str, text: str) -> tuple[str, ...]:
    """``html`` (one heading) with its id and text as the markers ``\\0id`` and ``\\0text``."""
    pieces = re.split(f"({re.escape(anchor)}|{re.escape(text)})", html)
    return tuple("\0id" if piece == anchor else "\0text" if piece == text else piece for piece in pieces)


def fill(template: tuple[str, ...], anchor: str, text: str) -> str:
    """A ``split_heading`` template with its id and text put in."""
    return "".join(anchor if piece == "\0id" else text if piece == "\0text" else piece for piece in template)


@dataclass(frozen=True)
class Frame:
    """Material's placeholder page cut into literal pieces and the slots a listing page fills."""

    pieces: tuple[str, ...]
    """Literal text and slot names (``\\0title``, ...) alternately."""
    feed_links: str
    toc_open: str
    toc_item: tuple[str, ...]
    toc_close: str
    headings: Headings

    def page(self, listing: Listing, unique: Callable[..., str], clean: Callable[[str], str]) -> str:
        body, anchor, toc = self.headings.render(listing.parts, unique)
        feeds = ""
        if listing.feed is not None:
            slug, feed_title = listing.feed
            title_text = str(Markup.escape(Markup(feed_title).striptags()))
            feeds = self.feed_links.replace(FEED_TITLE, title_text).replace(FEED, slug)
        toc_html = ""
        if toc:
            items = "".join(fill(self.toc_item, anchor, text) for anchor, text in toc)
            toc_html = self.toc_open + items + self.toc_close
        values = {"\0title": listing.title, "\0description": listing.description, "\0url": listing.url,
                  "\0anchor": anchor, "\0feeds": feeds, "\0toc": toc_html, "\0body": self.fit(clean(body))}
        return "".join(values.get(piece, piece) for piece in self.pieces)

    def fit(self, body: str) -> str:
        """The cleaned article as cleaning the whole page leaves it: a run of whitespace with a newline across
        its edge is one newline (generator/mkdocs_hooks.strip_indentation), which the frame's side has."""
        at = self.pieces.index("\0body")
        before = self.pieces[at - 1] if at else ""
        after = self.pieces[at + 1] if at + 1 < len(self.pieces) else ""
        if before.endswith("\n"):
            body = body.lstrip(" \t\r\n")
        if after.startswith("\n"):
            body = body.rstrip(" \t\r\n")
        return body


def cut(output: str, content: str, url: str, toc_settings: dict[str, Any],
        default_slugify: Callable[[str, str], str]) -> Frame:
    """Cut Material's ``output`` for the placeholder page at ``url`` (article HTML ``content``) into a Frame."""
    if set(toc_settings) - TOC_SETTINGS:
        raise FrameError(f"the toc extension's settings {sorted(set(toc_settings) - TOC_SETTINGS)} are not reproduced")
    if output.count(content) != 1:
        raise FrameError("the placeholder's article is not found once in Material's page")
    h1 = re.match(r"<h1 id=\"([^\"]+)\"[^>]*>.*?</h1>", content, re.DOTALL)
    h2 = re.search(r"<h2 id=\"([^\"]+)\"[^>]*>.*?</h2>", content, re.DOTALL)
    if h1 is None or h2 is None or TITLE not in h1.group(0) or SECTION not in h2.group(0):
        raise FrameError("the placeholder's headings are not found in its article")
    headings = Headings(split_heading(h1.group(0), h1.group(1), TITLE),
                        split_heading(h2.group(0), h2.group(1), SECTION),
                        toc_settings.get("slugify", default_slugify), toc_settings.get("separator", "-"))
    output = output.replace(content, "\0body")
    toc = re.search(r"(<label class=\"md-nav__title\"[^>]*>(?:(?!</nav>).)*?<ul class=\"md-nav__list\""
                    r" data-md-component=\"toc\"[^>]*>\n?)(<li class=\"md-nav__item\">(?:(?!</li>).)*?href=\"#"
                    + re.escape(h2.group(1)) + r"\".*?</li>\n?)(</ul>\n?)", output, re.DOTALL)
    if toc is None:
        raise FrameError("the placeholder's table of contents is not found")
    toc_item = split_heading(toc.group(2), h2.group(1), SECTION)
    output = output[: toc.start()] + "\0toc" + output[toc.end():]
    first = output.find(FEED)
    line_start = output.rfind("\n", 0, first) + 1
    last = output.rfind(FEED)
    line_end = output.find("\n", last) + 1
    if first < 0 or line_end <= 0:
        raise FrameError("the placeholder's feed links are not found")
    feed_links = output[line_start:line_end]
    output = output[:line_start] + "\0feeds" + output[line_end:]
    anchor = f'"#{h1.group(1)}"'
    output = output.replace(anchor, '"#\0anchor"')
    pieces = re.split(f"(\0[a-z]+|{re.escape(url)}|{TITLE}|{DESCRIPTION})", output)
    slots = {url: "\0url", TITLE: "\0title", DESCRIPTION: "\0description"}
    pieces = [slots.get(piece, piece) for piece in pieces]
    literal = "".join(piece for piece in pieces if not piece.startswith("\0"))
    for token in (NAME, "DigestPageShell", "digestpageshell", h1.group(1)):
        if token in literal or token in feed_links.replace(FEED, "").replace(FEED_TITLE, ""):
            raise FrameError(f"the placeholder's {token!r} is where no listing page's own value goes")
    if sorted(set(piece for piece in pieces if piece.startswith("\0"))) != sorted(
            ["\0anchor", "\0body", "\0description", "\0feeds", "\0title", "\0toc", "\0url"]):
        raise FrameError("the placeholder page lacks its title, description, address, feed links, contents or article")
    return Frame(tuple(pieces), feed_links, toc.group(1), toc_item, toc.group(3), headings)


def placeholder_source(folder: str) -> str:
    """The placeholder page's source path for pages in ``folder`` (same depth, same part of the site)."""
    return posixpath.join(folder, f"{NAME}.md")
