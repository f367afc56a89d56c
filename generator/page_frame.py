"""The palette toggle, search dialog and settings of every other page (home, topics, issues...), from one script.

Material writes its palette toggle and search dialog into every page's header, and its settings (with
ours that point search at our worker) and dialog at the end: about 5.6 KB, the same on every page
but for the way up to the site's root, that does nothing without JavaScript. As on paper pages
(generator/paper_frame.py), the MkDocs hook serves them once, from ``assets/digest/page-frame.<hash>.js``,
which puts each back where it stood while the page is parsed, before Material's own script starts,
with the page's own way up to the root. Instant navigation keeps the header and settings of the page
it started from, so a page reached that way never needs them.
A page whose part differs from the first page's (a theme that made it page-specific) keeps it.
"""

from __future__ import annotations

import hashlib
import re

from generator.paper_frame import (
    BASE_TOKEN,
    FRAME_SCRIPT_DIR,
    PALETTE_AND_SEARCH,
    ROOT_TOKEN,
    SETTINGS,
    FrameScript,
    element_end,
    frame_script,
)

_HEADER = re.compile(PALETTE_AND_SEARCH, re.DOTALL)


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

    def move(self, html: str, root: str) -> str:
        """``html`` with its palette toggle, search dialog and settings replaced by the shared script (those of
        its parts that are the same as the first page's)."""
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


def _parts(html: str, root: str) -> dict[str, tuple[int, int, str]]:
    """The palette-and-search part and the settings part of a page: where each is, and its text made the same
    at every depth (the page's way up to the root and Material's "base" replaced by tokens)."""
    found = {}
    header = _HEADER.search(html)
    end = element_end(html, header.end()) if header is not None else -1
    if header is not None and end > 0:
        found["header"] = (header.start(), end, html[header.start() : end])
    settings = SETTINGS.search(html)
    if settings is not None and "__config" in settings.group(0).rpartition("<script>")[2]:
        base = f'"base": "{root.rstrip("/") or "."}"'
        text = settings.group(0)
        if text.count(base) == 1:
            text = text.replace(base, f'"base": "{BASE_TOKEN}"').replace(f'"{root}assets/', f'"{ROOT_TOKEN}assets/')
            found["settings"] = (settings.start(), settings.end(), text)
    return found
