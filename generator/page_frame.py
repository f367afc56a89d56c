"""The palette toggle and search dialog of every other page (home, topics, issues, top...), from one cached script.

Material writes its palette toggle and search dialog into every page's header: about 4.6 KB, the
same on every page, that does nothing without JavaScript. As on paper pages (generator/paper_pages.py),
the MkDocs hook serves it once, from ``assets/digest/page-frame.<hash>.js``, which puts it back where
it stood while the page is parsed, before Material's own script starts. Instant navigation keeps the
header of the page it started from, so a page reached that way never needs it.
A page whose part differs from the first page's (a theme that made it page-specific) is left whole.
"""

from __future__ import annotations

import hashlib
import re

from generator.paper_pages import FRAME_SCRIPT_DIR, PALETTE_AND_SEARCH, FrameScript, element_end, frame_script

_HEADER = re.compile(PALETTE_AND_SEARCH, re.DOTALL)


def root_of(url: str) -> str | None:
    """The way up from a page's URL (MkDocs' ``page.url``) to the site's root; None for a page served anywhere
    (404.html: its links are absolute)."""
    if url in ("", "."):
        return ""
    return "../" * url.count("/") if url.endswith("/") else None


class PageFrame:
    """The script shared by the pages of one build, made from the first page that has the part."""

    def __init__(self) -> None:
        self.part: str | None = None
        self.script: FrameScript | None = None

    def move(self, html: str, root: str) -> str:
        """``html`` with its palette toggle and search dialog replaced by the shared script (when it has them)."""
        found = _HEADER.search(html)
        end = element_end(html, found.end()) if found is not None else -1
        if found is None or end < 0:
            return html
        part = html[found.start() : end]
        if self.script is None:
            text = frame_script({"header": part}, None)
            path = f"{FRAME_SCRIPT_DIR}/page-frame.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.js"
            self.part, self.script = part, FrameScript(path, text)
        elif part != self.part:
            return html
        return f'{html[: found.start()]}<script src="{root}{self.script.path}" data-part="header"></script>{html[end:]}'
