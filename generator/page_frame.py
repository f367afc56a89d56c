"""The palette toggle, search dialog and settings of every other page (home, topics, issues...), from one script.

Material writes its palette toggle and search dialog into every page's header, and its settings (with
ours that point search at our worker) and dialog at the end: about 5.6 KB, the same on every page
but for the way up to the site's root, that does nothing without JavaScript. As on paper pages
(generator/paper_frame.py), the MkDocs hook serves them once, from ``assets/digest/page-frame.<hash>.js``,
which puts each back where it stood while the page is parsed, before Material's own script starts,
with the page's own way up to the root. Instant navigation keeps the header and settings of the page
it started from, so a page reached that way never needs them.
A page whose part differs from the first page's (a theme that made it page-specific) keeps it.

The site's navigation goes the same way on the pages that are not in it: older issues, a topic's
later pages, top pages of past periods, later watch and picks pages (all but the forty-odd pages that
the navigation lists; author pages have their own light frame, generator/author_pages.py). On them it
is the same, about 8 KB, once its links are written from the site's root; so it comes from
``assets/digest/nav-frame.<hash>.js`` (the hash of the script without the navigation, so that a new issue
changes that one file and not the pages), with its sections and links as Material wrote them, and without
JavaScript a compact ``<noscript>`` list of the navigation's top-level entries (each section by its
index page: Topics, Issues...) takes its place. A page in the navigation keeps its own, which marks
where the reader is.
"""

from __future__ import annotations

import hashlib
import html as html_module
import posixpath
import re

from generator.paper_frame import (
    BASE_TOKEN,
    FRAME_SCRIPT_DIR,
    PALETTE_AND_SEARCH,
    ROOT_TOKEN,
    FrameScript,
    element_end,
    find_settings,
    frame_script,
)

_HEADER = re.compile(PALETTE_AND_SEARCH, re.DOTALL)
# The primary sidebar's contents: its scroll wrappers and the site's navigation (the sidebar itself stays,
# for the layout without JavaScript). With navigation.tabs Material adds the class md-nav--lifted.
_WRAPPED_NAV = re.compile(
    r'<div class="md-sidebar__scrollwrap">\s*<div class="md-sidebar__inner">\s*<nav class="md-nav md-nav--primary[" ]'
)
# The mark of the stand-in templates/overrides/main.html writes in place of the navigation where it comes from the
# nav script (mkdocs_hooks.on_page_context hands it over).
SHARED_NAV = "data-digest-shared-nav"
# What Material marks on the page's own entry (and its section) in the navigation.
_ACTIVE = ("md-nav__item--active", "md-nav__link--active")
_HREF = re.compile(r'href="([^"]*)"')
# A link that does not start from the page (another site, an absolute path, the page itself).
_NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#)")


def root_of(url: str) -> str | None:
    """The way up from a page's URL (MkDocs' ``page.url``) to the site's root; None for a page served anywhere
    (404.html: its links are absolute)."""
    if url in ("", "."):
        return ""
    return "../" * url.count("/") if url.endswith("/") else None


class PageFrame:
    """The script shared by the pages of one build, made from the first page that has both parts."""

    def __init__(self) -> None:
        self.parts: dict[str, str] = {}
        self.script: FrameScript | None = None
        self.nav = ""
        self.nav_script: FrameScript | None = None

    def move(self, html: str, root: str, url: str = "", compact: str = "") -> str:
        """``html`` with its palette toggle, search dialog and settings replaced by the shared script (those of
        its parts that are the same as the first page's), and, on a page at ``url`` that the navigation does
        not list, the navigation by its script and the ``compact`` one for readers without JavaScript."""
        html = self.move_nav(html, root, url, compact)
        found = _parts(html, root)
        if self.script is None:
            if set(found) != {"header", "settings"}:
                return html
            self.parts = {name: part for name, (_, _, part) in found.items()}
            text = frame_script(self.parts, None)
            path = f"{FRAME_SCRIPT_DIR}/page-frame.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.js"
            self.script = FrameScript(path, text)
        for name, (start, end, part) in sorted(found.items(), key=lambda item: -item[1][0]):
            if part == self.parts.get(name):
                html = f'{html[:start]}<script src="{root}{self.script.path}" data-part="{name}"></script>{html[end:]}'
        return html

    def move_nav(self, html: str, root: str, url: str, compact: str) -> str:
        """``html`` with its navigation replaced by the nav script and ``compact``, if the navigation does not
        list the page and is the same as on the first such page (which makes the script)."""
        wrapped = _WRAPPED_NAV.search(html)
        end = element_end(html, wrapped.start()) if wrapped is not None else -1
        if wrapped is None or end < 0:
            return html
        nav = html[wrapped.start() : end]
        if SHARED_NAV in nav:  # the template's stand-in for the shared navigation (mkdocs_hooks.shares_nav)
            if self.nav_script is None:
                return html  # never so in a build: the stand-in comes only once a page has made the script
            nav = self.nav
        elif any(mark in nav for mark in _ACTIVE):
            return html
        else:
            nav = from_root(nav, url)
        if self.nav_script is None:
            text = frame_script({"nav": nav}, None)
            # Named by the script without its navigation: a new issue changes the script, not every page naming it.
            named_by = frame_script({"nav": ""}, None)
            path = f"{FRAME_SCRIPT_DIR}/nav-frame.{hashlib.sha256(named_by.encode('utf-8')).hexdigest()[:10]}.js"
            self.nav, self.nav_script = nav, FrameScript(path, text)
        if nav != self.nav:
            return html
        script = f'<script src="{root}{self.nav_script.path}" data-part="nav"></script>'
        return f"{html[: wrapped.start()]}{script}{compact}{html[end:]}"


def without_nav(html: str) -> str:
    """``html`` with the site's navigation (the primary sidebar's contents) left out, or unchanged without one.

    A frame script holding the navigation is named by its hash without it: the navigation changes with every
    issue (its newest issues), and a name that changed with it would change every page that names the script."""
    wrapped = _WRAPPED_NAV.search(html)
    end = element_end(html, wrapped.start()) if wrapped is not None else -1
    return html if wrapped is None or end < 0 else html[: wrapped.start()] + html[end:]


def from_root(html: str, url: str) -> str:
    """``html`` (a part of the page at ``url``) with its links to other pages of the site written from the
    site's root, as ``DigestRoot/topics/x/``, and to the root itself as ``DigestBase`` (the frame script
    writes the page's own way up there: ``../../topics/x/``, ``../..``)."""
    folder = url if url.endswith("/") else posixpath.dirname(url)

    def rooted(match: re.Match[str]) -> str:
        href = match.group(1)
        if _NOT_RELATIVE.match(href):
            return match.group(0)
        path = posixpath.normpath(posixpath.join(folder, href))
        if path == "." and not href.endswith("/"):  # the root as Material writes it ("../..")
            return f'href="{BASE_TOKEN}"'
        path = "" if path == "." else path + ("/" if href.endswith("/") else "")
        return f'href="{ROOT_TOKEN}{path}"'

    return _HREF.sub(rooted, html)


def compact_nav(entries: list[tuple[str, str]], root: str) -> str:
    """The navigation for readers without JavaScript on a page whose full one comes from the nav script: its
    top-level ``entries`` (title, URL from the site's root; a section by its first page), in Material's classes."""
    items = "".join(
        f'<li class="md-nav__item"><a href="{html_module.escape(_href(url, root))}"'
        f' class="md-nav__link">{html_module.escape(title, quote=False)}</a></li>'
        for title, url in entries
    )
    return (
        '<noscript><div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">'
        f'<nav class="md-nav md-nav--primary" aria-label="Navigation"><ul class="md-nav__list">{items}</ul></nav>'
        "</div></div></noscript>"
    )


def _href(url: str, root: str) -> str:
    """The link to ``url`` (from the site's root, or another site's address) from a page ``root`` below the root."""
    return url if _NOT_RELATIVE.match(url) else (root + url or "./")


def _parts(html: str, root: str) -> dict[str, tuple[int, int, str]]:
    """The palette-and-search part and the settings part of a page: where each is, and its text made the same
    at every depth (the page's way up to the root and Material's "base" replaced by tokens)."""
    found = {}
    header = _HEADER.search(html)
    end = element_end(html, header.end()) if header is not None else -1
    if header is not None and end > 0:
        found["header"] = (header.start(), end, html[header.start() : end])
    settings = find_settings(html)
    if settings is not None and "__config" in settings.group(0).rpartition("<script>")[2]:
        base = f'"base": "{root.rstrip("/") or "."}"'
        text = settings.group(0)
        if text.count(base) == 1:
            text = text.replace(base, f'"base": "{BASE_TOKEN}"').replace(f'"{root}assets/', f'"{ROOT_TOKEN}assets/')
            found["settings"] = (settings.start(), settings.end(), text)
    return found
