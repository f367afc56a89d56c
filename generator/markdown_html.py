"""A Markdown extension that sets the generator's HTML blocks aside, for builders that run no MkDocs hook.

Generated pages carry finished HTML between a ``<!-- digest:html -->`` line and a ``<!-- digest:end -->``
line (generator/mkdocs_hooks.py). Under MkDocs the hook sets each block aside before Python-Markdown
and puts it back after; Zensical runs Python-Markdown too but no hook, so this extension (named in the
settings generator/zensical.py writes) does the same with Python-Markdown's own store of raw HTML:
each block becomes a placeholder line, and Markdown puts the block back as it is.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from generator.mkdocs_hooks import set_html_aside

SLOT = "DigestHtmlSlot"


# A relative link of a generated block: not to another site (its colon may be written &#58;), the root or an anchor.
RELATIVE_LINK = re.compile(r'\b(href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*(?::|&#58;)|/|#)([^"]*)"')


class HtmlAside(Preprocessor):  # type: ignore[misc]  # Python-Markdown has no type hints
    def run(self, lines: list[str]) -> list[str]:
        text, blocks = set_html_aside("\n".join(lines) + "\n")
        if not blocks:
            return lines
        name = page_folder_name(self.md)
        for number, block in enumerate(blocks):
            if name:
                block = RELATIVE_LINK.sub(lambda m: f'{m.group(1)}="{file_relative(m.group(2), name)}"', block)
            text = text.replace(f"\n{SLOT}{number}\n", "\n" + self.md.htmlStash.store(block) + "\n", 1)
        return text.split("\n")


def page_folder_name(md: Markdown) -> str:
    """For a page ``x.md`` that is not an index, ``x``; else "" (or when the builder does not say).

    The generator's HTML links are relative to the page's URL (``issues/2026-11-27/``), which MkDocs
    leaves as they are; Zensical (0.0.73) reads every link relative to the page's file
    (``issues/2026-11-27.md``), so for such a page each must be said from the file's folder.
    """
    try:
        context: object = md.preprocessors["rendering_context"]
    except KeyError:
        return ""
    path = str(getattr(getattr(context, "page", None), "path", "") or "")
    name = path.rsplit("/", 1)[-1]
    return name.removesuffix(".md") if name.endswith(".md") and name not in ("index.md", "README.md") else ""


def file_relative(url: str, name: str) -> str:
    """``url``, relative to the folder ``name/``, said relative to the folder around it."""
    if url.startswith("../"):
        return url[3:] or "./"
    return f"{name}/{url}"


class HtmlAsideExtension(Extension):  # type: ignore[misc]  # as above
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        # Before Python-Markdown's own raw-HTML preprocessor (priority 20), which would parse the blocks.
        md.preprocessors.register(HtmlAside(md), "digest_html_aside", 25)


def makeExtension(**options: Any) -> HtmlAsideExtension:  # Python-Markdown's entry point
    return HtmlAsideExtension(**options)
