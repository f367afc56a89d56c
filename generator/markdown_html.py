"""A Markdown extension that sets the generator's HTML blocks aside, for builders that run no MkDocs hook.

Generated pages carry finished HTML between a ``<!-- digest:html -->`` line and a ``<!-- digest:end -->``
line (generator/mkdocs_hooks.py). Under MkDocs the hook sets each block aside before Python-Markdown
and puts it back after; Zensical runs Python-Markdown too but no hook, so this extension (named in the
settings generator/zensical.py writes) does the same with Python-Markdown's own store of raw HTML:
each block becomes a placeholder line, and Markdown puts the block back as it is.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from generator import author_pages, paper_pages
from generator.mkdocs_hooks import set_html_aside
from generator.writer import read_manifest

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


class OwnPageLinks(Postprocessor):  # type: ignore[misc]  # as above
    """The links of a page of the site's own that is no index (``about.md``), as MkDocs reads them.

    MkDocs reads a relative link to no file of the docs (``../papers/2401.00001/``, as README "Output" says to link
    to a paper) relative to the page's URL (``about/``), and Zensical relative to its file: the link led one folder
    too high, out of a site under a path. Such links are said from the file's folder; links to a file of the docs
    (``.md`` pages, images, feeds), which both builders resolve alike, stay as written. Generated pages are left
    alone: their blocks are set aside and said so by ``HtmlAside``."""

    def __init__(self, md: Markdown, docs_dir: str) -> None:
        super().__init__(md)
        self.docs_dir = docs_dir

    def run(self, text: str) -> str:
        path = page_path(self.md)
        name = folder_name(path)
        if not name or not self.docs_dir or path in generated_pages(self.docs_dir):
            return text
        docs, folder = Path(self.docs_dir), posixpath.dirname(path)

        def said(match: re.Match[str]) -> str:
            written = unquote(html.unescape(re.split(r"[?#]", match.group(2), maxsplit=1)[0]))
            target = posixpath.normpath(posixpath.join(folder, written))
            if target.endswith(".md") or (not target.startswith("../") and (docs / target).is_file()):
                return match.group(0)
            return f'{match.group(1)}="{file_relative(match.group(2), name)}"'

        return RELATIVE_LINK.sub(said, text)


@functools.cache
def generated_pages(docs_dir: str) -> frozenset[str]:
    """The pages of ``docs_dir`` the generator wrote, and the placeholders of paper and author pages."""
    return frozenset([*read_manifest(Path(docs_dir)), paper_pages.SHELL_SOURCE, author_pages.SHELL_SOURCE])


def page_path(md: Markdown) -> str:
    """The page's file, relative to the docs (``issues/2026-11-27.md``), or "" when the builder does not say."""
    try:
        context: object = md.preprocessors["rendering_context"]
    except KeyError:
        return ""
    return str(getattr(getattr(context, "page", None), "path", "") or "")


def page_folder_name(md: Markdown) -> str:
    """For a page ``x.md`` that is not an index, ``x``; else "" (or when the builder does not say).

    The generator's HTML links are relative to the page's URL (``issues/2026-11-27/``), which MkDocs
    leaves as they are; Zensical (0.0.73) reads every link relative to the page's file
    (``issues/2026-11-27.md``), so for such a page each must be said from the file's folder.
    """
    return folder_name(page_path(md))


def folder_name(path: str) -> str:
    """``x`` for a page file ``…/x.md`` that is not an index, else ""."""
    name = path.rsplit("/", 1)[-1]
    return name.removesuffix(".md") if name.endswith(".md") and name not in ("index.md", "README.md") else ""


def file_relative(url: str, name: str) -> str:
    """``url``, relative to the folder ``name/``, said relative to the folder around it."""
    if url.startswith("../"):
        return url[3:] or "./"
    return f"{name}/{url}"


class HtmlAsideExtension(Extension):  # type: ignore[misc]  # as above
    def __init__(self, **options: Any) -> None:
        self.config = {"docs_dir": ["", "the docs folder the builder reads, relative to where it runs (OwnPageLinks)"]}
        super().__init__(**options)

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        # Before Python-Markdown's own raw-HTML preprocessor (priority 20), which would parse the blocks.
        md.preprocessors.register(HtmlAside(md), "digest_html_aside", 25)
        # After every other postprocessor: raw HTML written in the page is back in place by then.
        md.postprocessors.register(OwnPageLinks(md, str(self.getConfig("docs_dir"))), "digest_own_page_links", 1)


def makeExtension(**options: Any) -> HtmlAsideExtension:  # Python-Markdown's entry point
    return HtmlAsideExtension(**options)
