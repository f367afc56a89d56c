"""Light pages for authors: ``authors/<slug>/`` and the index's groups, at a few hundred bytes of frame each.

A real archive has more authors than papers, so a full Material page per author (8-10 KB of
frame) would about double the site. The generator writes each author page's article as
finished HTML into ``content/.digest/authors/*.shard`` (MkDocs skips dot-folders, as for paper
pages: generator/paper_pages.py). The MkDocs hook renders one placeholder page with Material and
cuts it into a ``Frame``: what a page needs to read well without JavaScript stays in every page
(the stylesheets, the structure Material's CSS and instant navigation expect, the article); the
rest (header, navigation, footer, dialog, settings and scripts) goes into one cached script,
``assets/digest/author-frame.<hash>.js`` (hashed without the site's navigation, so a new issue leaves the
pages as they were), which puts each part back where it stood while the page
is parsed, before Material's own script starts, so with JavaScript the page is Material's.

Author pages stay out of sitemap.xml: Material's instant navigation then loads them as whole
pages, so the frame script always runs (and the sitemap does not grow by a line per author).
Everything in a record is HTML made safe by the generator's templates; this module only puts
pieces together.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup
from markupsafe import escape as markup_escape

from generator import counts, escape
from generator.page_frame import without_nav
from generator.paper_frame import insert_part_js
from generator.paper_pages import SHARD_SUFFIX, shard_record, shard_records

if TYPE_CHECKING:
    from generator.authors import Author
    from generator.model import Paper
    from generator.render import Renderer

SHARD_DIR = ".digest/authors"
SHELL_ID = "digest-author-shell"
SHELL_SOURCE = f"authors/{SHELL_ID}.md"
TITLE = "DigestAuthorShellTitle"
BODY = "DigestAuthorShellBody"
# The heading gives the placeholder Material's "Skip to content" link (it writes one to a page's first heading only),
# which leads to the heading of every author page (``ANCHOR``): without it a keyboard reader went through the
# header and the whole navigation to reach the list.
SHELL_MARKDOWN = f"---\ntitle: {TITLE}\nsearch:\n  exclude: true\n---\n\n# {TITLE}\n\n{BODY}\n"
ANCHOR = "title"
_SKIP_LINK = re.compile(r'(<a href=")#[^"]*(" class="md-skip">)')
ROOT_TOKEN = "DigestRoot/"
FRAME_DIR = "assets/digest"
PATH = re.compile(r"authors/(?:[a-z0-9][a-z0-9-]{0,70}/)(?:page-[0-9]{1,6}/)?")


class FrameError(Exception):
    """Material's page no longer has the shape author pages are assembled from."""


# ---------------------------------------------------------------- generator side


def record(path: str, title: str, body: str) -> str:
    """One page: its folder (``authors/<slug>/``), its <title> text as HTML, its article."""
    return shard_record({"path": path, "title": title}, body)


def shard_path(name: str) -> str:
    return f"{SHARD_DIR}/{name}{SHARD_SUFFIX}"


# ---------------------------------------------------------------- MkDocs side


@dataclass(frozen=True)
class Frame:
    """A light page's fixed text, and the script that carries the rest of Material's frame."""

    lang: str
    head: str
    """The stylesheets and icon, with ``DigestRoot/`` where the site's root goes."""
    title_suffix: str
    parts: dict[str, str]
    """Names of the parts present, in page order, and their HTML (``scripts``: the script tags)."""
    script_path: str
    script_text: str

    def page(self, path: str, title: str, body: str) -> str:
        """The whole page at ``path`` (``authors/x/`` or ``authors/x/page-2/``)."""
        root = "../" * path.count("/")
        calls = {name: f'<script>__df("{name}")</script>\n' if self.parts.get(name) else "" for name in PART_NAMES}
        return (
            f'<!doctype html>\n<html lang="{self.lang}" class="no-js">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f"<title>{title}{self.title_suffix}</title>\n{self.head.replace(ROOT_TOKEN, root)}"
            f'<script src="{root}{self.script_path}"></script>\n</head>\n<body>\n{calls["top"]}'
            '<div class="md-container" data-md-component="container">\n'
            f'{calls["container"]}<main class="md-main" data-md-component="main">\n'
            f'<div class="md-main__inner md-grid">\n{calls["sidebars"]}'
            '<div class="md-content" data-md-component="content">\n<article class="md-content__inner md-typeset">\n'
            f'{body}\n</article>\n</div>\n</div>\n{calls["main"]}</main>\n{calls["footer"]}</div>\n{calls["end"]}'
            "</body>\n</html>\n"
        )


PART_NAMES = ("top", "container", "sidebars", "main", "footer", "end")
_HEAD = re.compile(r"<head>(.*?)</head>", re.DOTALL)
_BODY = re.compile(r"<body([^>]*)>")
_KEEP_IN_HEAD = re.compile(r'<link rel="(?:icon|stylesheet)"[^>]*>|<style\b.*?</style>', re.DOTALL)
_SCRIPTS_IN_HEAD = re.compile(r"<script\b.*?</script>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_TRAILING_SCRIPTS = re.compile(r'(?:<script src="[^"]*"[^>]*></script>\s*)+$')


def _between(text: str, start: str, end: str, where: str) -> tuple[str, str]:
    """The text between ``start`` and the next ``end`` (both must be there), and the text after ``end``."""
    begin = text.find(start)
    stop = text.find(end, begin + len(start)) if begin != -1 else -1
    if begin == -1 or stop == -1:
        raise FrameError(f"{where}: {start!r} … {end!r} not found in Material's page")
    return text[begin + len(start) : stop], text[stop + len(end) :]


def _relative_to_root(html: str, root: str) -> str:
    """Links of the placeholder (``authors/<shell>/``) made relative to ``DigestRoot/`` instead."""
    return html.replace(f'"{root}/', f'"{ROOT_TOKEN}').replace(f'"{root}"', f'"{ROOT_TOKEN}"')


def cut_frame(output: str, content: str) -> Frame:
    """Cut Material's ``output`` for the placeholder page (whose article HTML is ``content``) into a Frame."""
    if output.count(content) != 1:
        raise FrameError("the placeholder's article is not found once in Material's page")
    root = "../.."
    output = output.replace(content, BODY)
    lang = re.search(r'<html lang="([^"]*)"', output)
    head = _HEAD.search(output)
    body = _BODY.search(output)
    if lang is None or head is None or body is None:
        raise FrameError("Material's page has no <html lang>, <head> or <body>")
    kept = "".join(match.group(0) + "\n" for match in _KEEP_IN_HEAD.finditer(head.group(1)))
    head_scripts = "".join(match.group(0) + "\n" for match in _SCRIPTS_IN_HEAD.finditer(head.group(1)))
    title = re.search(re.escape(TITLE) + r"([^<]*)</title>", head.group(1))
    rest = output[body.end() :]
    top, rest = _between(rest, "", '<div class="md-container" data-md-component="container">', "header")
    container, rest = _between(rest, "", '<main class="md-main" data-md-component="main">', "container")
    sidebars, rest = _between(rest, '<div class="md-main__inner md-grid">',
                              '<div class="md-content" data-md-component="content">', "sidebars")
    _article, rest = _between(rest, '<article class="md-content__inner md-typeset">', "</article>", "article")
    after, rest = _between(rest, "", "</main>", "main")
    # After the article: </div> (content), then Material's small inline script, </div> (main__inner), then the
    # back-to-top button; the inline script is put back with the sidebars' part, the button after the grid.
    pieces = after.split("</div>")
    if len(pieces) != 3:
        raise FrameError("the end of Material's main area changed")
    footer_and_end, _tail = _between(rest, "", "</body>", "footer")
    footer, _, end = footer_and_end.rpartition('<div class="md-dialog"')
    if not _ or "</div>" not in footer:
        raise FrameError("Material's dialog or the end of its container is not found")
    footer = footer[: footer.rfind("</div>")]
    end = '<div class="md-dialog"' + end
    scripts = _TRAILING_SCRIPTS.search(end.rstrip() + "\n")
    script_tags = scripts.group(0) if scripts else ""
    end = end.rstrip()[: len(end.rstrip()) - len(script_tags.rstrip())] if script_tags else end
    if BODY not in _article or title is None:
        raise FrameError("the placeholder's article or <title> is missing")
    parts = {
        "top": head_scripts + _SKIP_LINK.sub(rf"\1#{ANCHOR}\2", top, count=1),
        "container": container,
        "sidebars": sidebars + pieces[1],
        "main": pieces[2],
        "footer": footer,
        "end": end,
        "scripts": script_tags,
    }
    parts = {name: _relative_to_root(text.strip(), root) for name, text in parts.items()}
    attributes = dict(_ATTRIBUTE.findall(body.group(1)))
    suffix = title.group(1) if title else ""
    text = _frame_script(parts, attributes, suffix)
    # Named without the navigation, which changes with every issue: the author pages that name it stay the same.
    named_by = _frame_script({**parts, "sidebars": without_nav(parts["sidebars"])}, attributes, suffix)
    path = f"{FRAME_DIR}/author-frame.{hashlib.sha256(named_by.encode('utf-8')).hexdigest()[:10]}.js"
    return Frame(lang.group(1), _relative_to_root(kept, root), suffix, parts, path, text)


def _frame_script(parts: dict[str, str], attributes: dict[str, str], suffix: str) -> str:
    # JSON inside a script: "</" written as "<\/" so no part can end the script early.
    data = json.dumps({"parts": parts, "body": attributes, "suffix": suffix, "title": TITLE},
                      ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return (
        "/* Paper Digest: the frame of the light pages (authors/): Material's header, navigation, footer,\n"
        "   dialog, settings and scripts, cut from Material's own page by generator/author_pages.py and\n"
        "   served once. Each page calls __df(part) where the part stood; the part goes in at once. */\n"
        "(function () {\n"
        f"  var frame = {data};\n"
        "  var root = document.currentScript.src.replace(/assets\\/digest\\/[^\\/]*$/, \"\");\n"
        "  function escape(text) {\n"
        "    return text.replace(/&/g, \"&amp;\").replace(/</g, \"&lt;\").replace(/>/g, \"&gt;\")\n"
        "      .replace(/\"/g, \"&quot;\");\n"
        "  }\n"
        "  window.__df = function (name) {\n"
        "    var here = document.currentScript;\n"
        "    var html = frame.parts[name].split(\"DigestRoot/\").join(root);\n"
        "    if (name === \"top\") {\n"
        "      for (var key in frame.body) document.body.setAttribute(key, frame.body[key]);\n"
        "      var title = document.title;\n"
        "      if (frame.suffix && title.slice(-frame.suffix.length) === frame.suffix) {\n"
        "        title = title.slice(0, -frame.suffix.length);\n"
        "      }\n"
        "      html = html.split(frame.title).join(escape(title));\n"
        "    }\n"
        "    var holder = document.createElement(\"template\");\n"
        "    holder.innerHTML = html;\n"
        + insert_part_js("    ")
        + "    /* Material's scripts must run before the page is parsed (its start waits for DOMContentLoaded):\n"
        "       written into the page while it is parsed, they load as if they had been in it. */\n"
        "    if (name === \"end\" && document.readyState === \"loading\") {\n"
        "      document.write(frame.parts.scripts.split(\"DigestRoot/\").join(root));\n"
        "    }\n"
        "  };\n"
        "})();\n"
    )


def read_records(docs_dir: Path) -> Iterator[dict[str, str]]:
    """Every page record of ``docs_dir``'s author shards, in file order."""
    return shard_records(
        docs_dir / SHARD_DIR, lambda page: bool(PATH.fullmatch(str(page.get("path", "")))),
        lambda where: FrameError(f"{where}: not an author page record of the generator; rebuild content/"),
    )


def write_pages(site_dir: Path, frame: Frame, records: Iterable[dict[str, str]]) -> int:
    """Write ``<path>index.html`` for every record, and the frame's script; how many pages."""
    script = site_dir / frame.script_path
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(frame.script_text, encoding="utf-8")
    written = 0
    for page in records:
        folder = os.path.join(site_dir, page["path"])
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "index.html"), "wb") as out:
            out.write(frame.page(page["path"], page["title"], page["body"]).encode("utf-8"))
        written += 1
    return written


SITEMAP_BLOCK = re.compile(r"\s*<url>\s*<loc>[^<]*" + re.escape(SHELL_ID) + r"/?</loc>.*?</url>", re.DOTALL)


def drop_placeholder(site_dir: Path) -> None:
    """Remove the placeholder's page, and its line of sitemap.xml (the paper pages' step rewrites the .gz)."""
    placeholder = site_dir / "authors" / SHELL_ID
    (placeholder / "index.html").unlink(missing_ok=True)
    if placeholder.is_dir():
        placeholder.rmdir()
    sitemap = site_dir / "sitemap.xml"
    if sitemap.is_file():
        text = sitemap.read_text(encoding="utf-8")
        if SHELL_ID in text:
            sitemap.write_text(SITEMAP_BLOCK.sub("", text), encoding="utf-8")


# ---------------------------------------------------------------- generator side: the pages' articles


def pager(number: int, count: int, root: str, base: str, label: str) -> str:
    """The same pager as topic pages' (templates/topic.md.j2), as HTML; page N is at ``root`` + its folder."""
    from generator.render import page_window

    def link(page: int) -> str:
        return root + page_folder(base, page)

    if count <= 1:
        return ""
    parts = [f'<nav class="digest-pages" aria-label="{label}">']
    line = []
    if number > 1:
        line.append(f'<a rel="prev" href="{link(number - 1)}">← Newer</a>')
    for shown in page_window(number, count):
        if shown is None:
            line.append('<span class="digest-pages__gap">…</span>')
        elif shown == number:
            line.append(f'<span aria-current="page">{shown}</span>')
        else:
            line.append(f'<a href="{link(shown)}">{shown}</a>')
    if number < count:
        line.append(f'<a rel="next" href="{link(number + 1)}">Older →</a>')
    parts.append(" ".join(line))
    parts.append("</nav>")
    return "\n".join(parts)


def paged_title(text: str, number: int) -> str:
    """A page's <title> as HTML, naming its page after the first as topic pages do ("Ada Lovelace (page 2)"): each
    page of an author had the first's title, the same in a tab, the history and a screen reader's announcement."""
    return str(escape.html(text if number == 1 else f"{text} (page {number})"))


def page_folder(base: str, number: int) -> str:
    """``authors/<x>/`` for the first page, ``authors/<x>/page-N/`` for the others."""
    return base if number == 1 else f"{base}page-{number}/"


class _Lines(dict[str, tuple[str, str]]):
    """paper id -> its line on an author page, in two parts that the way up to the site's root goes between;
    made on first use (a paper is on the pages of each of its authors).

    The first part is the paper's issue date, the second its link and title as HTML for a page no Markdown
    parser reads (formulas as MathML), then its upvotes where the source gives them (the signal top pages
    rank by; the rest is on the paper's page: author pages outnumber papers, so their lines stay short).
    Ids are path-safe (model.is_safe_id), dates ISO, titles escaped HTML, counts digits and words.
    """

    def __init__(self, papers: dict[str, Paper]) -> None:
        super().__init__()
        self.papers = papers

    def __missing__(self, paper_id: str) -> tuple[str, str]:
        paper = self.papers[paper_id]
        title = escape.isolated(escape.html_with_math(paper.title, inline=True), paper.title)
        link = f'papers/{paper_id}/">{title}</a>'
        if paper.upvotes:
            link += f" · {markup_escape(counts.count(paper.upvotes, 'upvote'))}"
        found = self[paper_id] = (f'<li>{paper.added.isoformat()} <a href="', link + "\n")
        return found


def iter_author_pages(renderer: Renderer) -> Iterator[tuple[str, str]]:
    """The authors' index (a Markdown page) and the records of every light page, one shard per index group."""
    from generator.authors import group_order, index_group, sort_key

    authors = renderer.authors()
    rank = renderer.archive.rank
    if not authors.by_key:
        return
    size = renderer.archive.config.topic_page_size
    min_papers = renderer.archive.config.authors.min_papers
    papers = renderer.archive.papers
    environment = renderer.html_environment
    author_template = environment.get_template("author.html.j2")
    group_template = environment.get_template("author_group.html.j2")
    lines_of = _Lines(papers)

    groups: dict[str, list[tuple[tuple[str, ...], Author]]] = {}
    labels: dict[str, str] = {}
    for author in authors.by_key.values():
        segment, label = index_group(author.name)
        labels[segment] = label
        groups.setdefault(segment, []).append(((*sort_key(author.name), author.key), author))
    ordered = sorted(groups, key=group_order)
    for segment in ordered:
        members = [author for _, author in sorted(groups[segment], key=lambda item: item[0])]
        lines: list[str] = []
        base = f"authors/{segment}/"
        count = counts.pages(len(members), size)
        for number in range(1, count + 1):
            folder = page_folder(base, number)
            root = "../" * folder.count("/")
            chunk = members[(number - 1) * size : number * size]
            up = root[3:]  # authors/ seen from authors/<x>/ (or its page-N/)
            # Slugs are path-safe; names are escaped; the lines are joined here, not looped over in the template.
            entries = Markup("".join(f'<li><a href="{up}{a.slug}/">{escape.isolated(escape.html(a.name), a.name)}</a> '
                                     f'{len(a.papers):,}\n'
                                     for a in chunk))
            body = group_template.render(
                label=labels[segment], number=number, count=count, total=len(members), min_papers=min_papers,
                up=Markup(up or "./"), entries=entries,
                pager=Markup(pager(number, count, root, base, "Pages of this group")),
            ).strip()
            lines.append(record(folder, paged_title(f"Authors: {labels[segment]}", number), body))
        for author in members:
            listed = sorted(author.papers, key=rank.__getitem__)  # ids, newest first
            base = f"authors/{author.slug}/"
            count = counts.pages(len(listed), size)
            for number in range(1, count + 1):
                folder = page_folder(base, number)
                root = "../" * folder.count("/")
                # Each line is its two parts with the way up to the root between them: joined in C, not looped over.
                parts = map(lines_of.__getitem__, listed[(number - 1) * size : number * size])
                entries = Markup("".join(map(root.join, parts)))
                body = author_template.render(
                    name=author.name, number=number, count=count, total=len(listed), entries=entries,
                    up=Markup(f"{root[3:]}{segment}/"), group=labels[segment],
                    pager=Markup(pager(number, count, root, base, "Pages of this author")),
                ).strip()
                lines.append(record(folder, paged_title(author.name, number), body))
        yield shard_path(segment), "\n".join(lines) + "\n"
    index = [(segment, labels[segment], len(groups[segment])) for segment in ordered]
    yield "authors/index.md", renderer.render(
        "authors.md.j2", "authors/index.md", groups=index, total=len(authors.by_key), min_papers=min_papers
    )
