"""Paper pages without a Markdown pass: Material's frame is rendered once, every paper's article goes into it.

A site has one page per paper, and MkDocs renders each page through Python-Markdown and
Material's template: about 3 ms of CPU per page, most of a big archive's build. So the
generator writes each paper's article as finished HTML into shard files under
``content/.digest/papers/`` (one JSON Lines file per issue; MkDocs skips dot-folders), and
the MkDocs hook (generator/mkdocs_hooks.py) renders one placeholder paper page with
Material, cuts it into a *shell* at the places that differ between papers (title,
description, URL, table of contents, article) and fills it in for every paper.

Everything in a record is HTML already made safe by generator/escape.py; this module
only puts pieces together, it never escapes or interprets text.
"""

from __future__ import annotations

import gzip
import hashlib
import html as html_module
import json
import os
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model import is_safe_id

SHARD_DIR = ".digest/papers"
# The sections a paper page can have, in page order: (anchor, heading).
SECTIONS = (("abstract", "Abstract"), ("why-these-topics", "Why these topics"),
            ("related-papers", "Related papers"), ("cite", "Cite"))

# The placeholder page MkDocs renders with Material. Its tokens are plain words, so no
# escaping or slugifying changes them, and none can occur in Material's own markup.
SHELL_ID = "digest-shell-page"
SHELL_SOURCE = f"papers/{SHELL_ID}.md"
TITLE = "DigestShellTitle"
DESCRIPTION = "DigestShellDescription"
BODY = "DigestShellBody"
SHELL_MARKDOWN = (
    f"---\ntitle: {TITLE}\ndescription: {DESCRIPTION}\nog_type: article\ndigest_paper: true\n"
    "search:\n  exclude: true\n---\n\n"
    f"# {TITLE}\n\n{BODY}\n\n" + "".join(f"## {heading}\n\n" for _, heading in SECTIONS)
)
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)


class ShellError(Exception):
    """Material's page no longer has the shape paper pages are assembled from."""


# ---------------------------------------------------------------- generator side


def shard_path(issue_date: str) -> str:
    return f"{SHARD_DIR}/{issue_date}.jsonl"


def record(paper_id: str, title: str, description: str, anchor: str, sections: Iterable[str], body: str) -> str:
    """One paper as a JSON line: HTML for <title>/meta, the heading anchor, its sections and its article."""
    fields = {"id": paper_id, "title": title, "description": description, "anchor": anchor,
              "sections": list(sections), "body": body}
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- MkDocs side


@dataclass(frozen=True)
class Slot:
    name: str
    section: str = ""


class Shell:
    """Material's rendering of the placeholder page, as literal pieces and slots to fill."""

    def __init__(self, pieces: list[str | Slot]) -> None:
        self.pieces = pieces

    @classmethod
    def from_page(cls, output: str, content: str, clean: Callable[[str], str] = lambda text: text) -> Shell:
        """Cut Material's ``output`` for the placeholder page (whose article HTML is ``content``)."""
        if output.count(content) != 1:
            raise ShellError("the placeholder's article is not found once in Material's page")
        toc_items = "|".join(re.escape(anchor) for anchor, _ in SECTIONS)
        pattern = re.compile(
            "|".join([
                f"(?P<body>{re.escape(content)})",
                rf'(?P<toc><li class="md-nav__item">\s*<a href="#(?P<section>{toc_items})"'
                r' class="md-nav__link">.*?</li>)',
                f"(?P<anchor>#{TITLE.lower()}\")",
                f"(?P<title>{TITLE})",
                f"(?P<description>{DESCRIPTION})",
                f"(?P<id>{SHELL_ID})",
            ]),
            re.DOTALL,
        )
        pieces: list[str | Slot] = []
        position = 0
        for match in pattern.finditer(output):
            pieces.append(clean(output[position : match.start()]))
            kind = match.lastgroup if match.lastgroup != "section" else "toc"
            if match.group("toc"):
                pieces.append(Slot("toc", match.group("section")))
                pieces.append(clean(match.group("toc")))  # kept only when the paper has the section
            elif kind == "anchor":
                pieces.append(Slot("anchor"))
            else:
                pieces.append(Slot(str(kind)))
            position = match.end()
        pieces.append(clean(output[position:]))
        shell = cls(pieces)
        shell.check()
        return shell

    def check(self) -> None:
        found = [piece.name for piece in self.pieces if isinstance(piece, Slot)]
        sections = [piece.section for piece in self.pieces if isinstance(piece, Slot) and piece.name == "toc"]
        if found.count("body") != 1 or "title" not in found or "id" not in found:
            raise ShellError(f"the placeholder page lacks its article, title or URL (found {sorted(set(found))})")
        if sections and sorted(sections) != sorted(anchor for anchor, _ in SECTIONS):
            raise ShellError(f"the table of contents of the placeholder page changed (found {sections})")

    def fill(self, paper: dict[str, object]) -> str:
        """The whole page of one paper record."""
        sections = paper["sections"]
        parts: list[str] = []
        skip = False
        for piece in self.pieces:
            if skip:  # the table-of-contents entry of a section this paper does not have
                skip = False
                continue
            if isinstance(piece, str):
                parts.append(piece)
            elif piece.name == "toc":
                skip = piece.section not in sections  # type: ignore[operator]
            elif piece.name == "anchor":
                parts.append(f'#{paper["anchor"]}"')
            else:
                parts.append(str(paper[piece.name]))
        return "".join(parts)


# ---------------------------------------------------------------- script-only parts of the frame

# Parts of Material's frame that do nothing without JavaScript, or only dress the page: the palette
# toggle (and the script that applies the reader's saved palette), the search dialog, the header's
# menu button and title, Material's settings (with ours that points search at our worker) and its
# dialog, the helpers it defines in the head, the back-to-top button and the (empty) footer. About
# 8 KB of every paper page, the same on all of them; so they are served once, from a cached script
# that puts each back where it stood while the page is parsed, before Material's own script starts.
# Instant navigation keeps the header, head helpers and settings of the page it started from, so it
# never needs them again. The header's title shows the page's title, which the script reads from
# <title> (the page's own text, so no copy of it is kept in the page).
# The site's navigation goes the same way (about 1 KB of every paper page, the same on all of
# them): instant navigation replaces the page's container, navigation, back-to-top button and
# footer included, and runs the scripts in it, this one among them, before Material sets the new
# page up. Without JavaScript a paper page has no sidebar; its header's logo leads home, and its
# issue, topics, related papers and the previous and next paper of its issue are links of the article.
FRAME_SCRIPT_DIR = "assets/digest"
# The palette toggle and the search button, up to the search dialog (a div that ends where its nesting does).
PALETTE_AND_SEARCH = (
    r'<form class="md-header__option" data-md-component="palette">.*?</form>\s*<script>.*?</script>\s*'
    r'<label class="md-header__button md-icon" for="__search">.*?</label>\s*'
    r'(?=<div class="md-search" data-md-component="search" role="dialog"[^>]*>)'
)
# On a paper page, from the header's menu button and title on.
_PALETTE_AND_SEARCH = re.compile(
    r'(?:<label class="md-header__button md-icon" for="__drawer">(?:(?!</nav>).)*?)?' + PALETTE_AND_SEARCH, re.DOTALL
)
# Material's dialog (where "Copied to clipboard" shows), its settings, and the script after them
# that points search at our worker (none in a Zensical build).
SETTINGS = re.compile(r'(?:<div class="md-dialog" data-md-component="dialog">\s*<div class="md-dialog__inner'
                       r' md-typeset"></div>\s*</div>\s*)?'
                       r'<script id="__config" type="application/json">.*?</script>(?:\s*<script>.*?</script>)?',
                       re.DOTALL)
_DIV = re.compile(r"<div\b|</div>")
# The site's navigation (the paper pages' compact one: the same top-level entries on every paper page).
_NAV_START = re.compile(r'<nav class="md-nav md-nav--primary"[^>]*>')
# ... with the sidebar's inner wrappers around it (the sidebar itself stays: it keeps the layout without JavaScript).
_WRAPPED_NAV_START = re.compile(
    r'<div class="md-sidebar__scrollwrap">\s*<div class="md-sidebar__inner">\s*(?=<nav class="md-nav md-nav--primary")'
)
_NAV = re.compile(r"<nav\b|</nav>")
# Material's helpers for reading and saving the reader's settings, defined in the head before anything else.
_SCOPE = re.compile(r"<script>__md_scope=.*?</script>", re.DOTALL)
# The back-to-top button (hidden until the reader scrolls back up), last in <main>, and the footer after <main>.
_TOP_AND_FOOTER = re.compile(
    r'(?P<top><button type="button" class="md-top md-icon" data-md-component="top" hidden>.*?</button>\n?)'
    r'(?P<between></main>\s*)(?P<footer><footer class="md-footer">.*?</footer>)',
    re.DOTALL,
)
# Parts appended to the element just before their script (the back-to-top button goes back into <main>).
INSIDE_PREVIOUS = ("top",)
# What a part shared by pages at different depths (generator/page_frame.py) says where the way up to the site's
# root goes, and where Material's settings name the site's root (its "base"); the frame script puts in the page's.
ROOT_TOKEN = "DigestRoot/"
BASE_TOKEN = "DigestBase"
# Markup that does nothing on a paper page: the generator's name and version, an empty announcement bar, and the
# script that opens a content tab named by the address's #fragment (paper pages have no tabs).
_UNUSED = re.compile(
    r'<meta name="generator" content="[^"]*">\n?'
    r'|<div data-md-component="announce">\s*</div>\n?'
    r"|<script>var target=document\.getElementById\(location\.hash\.slice\(1\)\);[^<]*__tabbed_[^<]*</script>\n?"
)
# The header's title ends with the page's title (the title slot): the frame script writes it there from <title>.
_HEADER_TOPIC = '<div class="md-header__topic" data-md-component="header-topic">\n<span class="md-ellipsis">\n'


@dataclass(frozen=True)
class FrameScript:
    """The script that puts the frame's script-only parts back: its path in the site and its text."""

    path: str
    text: str


def drop_unused(html: str) -> str:
    """``html`` without the markup that does nothing on a paper page (see ``_UNUSED``)."""
    return _UNUSED.sub("", html)


def element_end(html: str, start: int, tags: re.Pattern[str] = _DIV) -> int:
    """The end of the element (a <div> unless ``tags`` says otherwise) that opens at ``start``, or -1.

    Material's search dialog nests divs, its navigation navs."""
    depth = 0
    for match in tags.finditer(html, start):
        depth += 1 if not match.group().startswith("</") else -1
        if depth == 0:
            return match.end()
    return -1


def _script_only_parts(html: str) -> list[tuple[str, int, int, str]]:
    """(name, start, end, tag) of the script-only parts of one literal piece; ``tag`` is the data-part value of
    the script that takes the part's place ("" for a part that another part's script puts back)."""
    found = []
    scope = _SCOPE.search(html)
    if scope is not None:
        found.append(("scope", scope.start(), scope.end(), "scope"))
    header = _PALETTE_AND_SEARCH.search(html)
    if header is not None:
        end = element_end(html, header.end())
        if end > 0:
            found.append(("header", header.start(), end, "header"))
    settings = SETTINGS.search(html)
    if settings is not None and "__config" in settings.group(0).rpartition("<script>")[2]:
        found.append(("settings", settings.start(), settings.end(), "settings"))
    wrapped = _WRAPPED_NAV_START.search(html)
    nav = _NAV_START.search(html)
    if wrapped is not None and element_end(html, wrapped.start()) > 0:
        found.append(("nav", wrapped.start(), element_end(html, wrapped.start()), "nav"))
    elif nav is not None and element_end(html, nav.start(), _NAV) > 0:
        found.append(("nav", nav.start(), element_end(html, nav.start(), _NAV), "nav"))
    ending = _TOP_AND_FOOTER.search(html)
    if ending is not None:
        found.append(("top", ending.start("top"), ending.end("top"), ""))
        found.append(("footer", ending.start("footer"), ending.end("footer"), "top footer"))
    return found


def _merge_header_topic(pieces: list[str | Slot]) -> tuple[list[str | Slot], bool]:
    """The pieces with the header's copy of the title left empty (the frame script fills it); whether there was one."""
    for index in range(len(pieces) - 2):
        before, slot, after = pieces[index : index + 3]
        if (isinstance(before, str) and before.endswith(_HEADER_TOPIC) and slot == Slot("title")
                and isinstance(after, str)):
            return [*pieces[:index], before + after, *pieces[index + 3 :]], True
    return pieces, False


def _title_suffix(pieces: list[str | Slot]) -> str:
    """What follows the title in the page's <title> (" - Site name"), as text."""
    for index, piece in enumerate(pieces[:-1]):
        if isinstance(piece, str) and piece.endswith("<title>") and pieces[index + 1] == Slot("title"):
            after = pieces[index + 2]
            return html_module.unescape(after.split("</title>", 1)[0]) if isinstance(after, str) else ""
    return ""


def move_script_only_parts(shell: Shell, root: str = "../../") -> tuple[Shell, FrameScript | None]:
    """``shell`` with its script-only parts replaced by a script that puts them back, and that script.

    Markup that does nothing on a paper page is dropped (see ``drop_unused``). When a theme update
    changes these parts' shape, the shell is kept whole otherwise (``None``): the pages are then
    bigger, never broken (a test checks that today's theme gives every part).
    """
    suffix = _title_suffix(shell.pieces)
    merged, topic = _merge_header_topic([drop_unused(p) if isinstance(p, str) else p for p in shell.pieces])
    parts: dict[str, str] = {}
    placed: list[tuple[int, int, int, str]] = []
    for index, piece in enumerate(merged):
        if isinstance(piece, str):
            for name, start, end, tag in _script_only_parts(piece):
                parts[name] = piece[start:end]
                placed.append((index, start, end, tag))
    if not {"header", "settings"} <= parts.keys() or (topic and "md-header__title" not in parts["header"]):
        return Shell([drop_unused(p) if isinstance(p, str) else p for p in shell.pieces]), None
    text = frame_script(parts, suffix if topic else None)
    path = f"{FRAME_SCRIPT_DIR}/paper-frame.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.js"
    pieces: list[str | Slot] = []
    for index, piece in enumerate(merged):
        if isinstance(piece, str):
            for place_index, start, end, tag in sorted(placed, key=lambda item: -item[1]):
                if place_index == index:
                    script = f'<script src="{root}{path}" data-part="{tag}"></script>' if tag else ""
                    piece = f"{piece[:start]}{script}{piece[end:]}"
        pieces.append(piece)
    return Shell(pieces), FrameScript(path, text)


def restore_script_only_parts(page: str, script: FrameScript, root: str = "../../") -> str:
    """What the frame script does in the browser, done on the page's text (for tests)."""
    parts = json.loads(script.text.split("var parts = ", 1)[1].split(";\n", 1)[0])
    base = json.dumps(root.rstrip("/") or ".")
    parts = {name: html.replace(ROOT_TOKEN, root).replace(f'"{BASE_TOKEN}"', base) for name, html in parts.items()}
    for tag in re.findall(f'<script src="{re.escape(root + script.path)}" data-part="([^"]*)"></script>', page):
        place = f'<script src="{root}{script.path}" data-part="{tag}"></script>'
        start = page.find(place)
        names = tag.split()
        inside = "".join(parts[name] for name in names if name in INSIDE_PREVIOUS)
        here = "".join(parts[name] for name in names if name not in INSIDE_PREVIOUS)
        closing = page.rfind("</", 0, start) if inside else start  # the end of the element before the script
        page = page[:closing] + inside + page[closing:start] + here + page[start + len(place) :]
    if "var topic = true;" in script.text:
        title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
        suffix = json.loads(script.text.split("var suffix = ", 1)[1].split(";\n", 1)[0])
        escaped = html_module.escape(suffix, quote=False)
        text = title.group(1)[: len(title.group(1)) - len(escaped)] if title else ""
        page = page.replace(_HEADER_TOPIC + "\n</span>", _HEADER_TOPIC + text + "\n</span>", 1)
    return page


def frame_script(parts: dict[str, str], suffix: str | None) -> str:
    """The script that puts ``parts`` back, each where its script element stands (or, for the parts named in
    ``INSIDE_PREVIOUS``, at the end of the element before it); with a title ``suffix``, it also writes the
    page's title (its <title> without the suffix) into the header."""
    # JSON inside a script: "</" written as "<\/" so no part can end the script early.
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    title_suffix = json.dumps(suffix or "", ensure_ascii=False).replace("</", "<\\/")
    return (
        "/* Paper Digest: the parts of a page that work only with JavaScript (palette toggle, search dialog;\n"
        "   on paper pages also the header title, back-to-top button, Material's settings and the site's\n"
        "   navigation), cut from Material's own page by generator/paper_pages.py (generator/page_frame.py) and\n"
        "   served once for every page. Each runs where its part stood, while the page is parsed (or, after\n"
        "   instant navigation, when Material runs the new page's scripts). */\n"
        "(function () {\n"
        f"  var parts = {data};\n"
        f"  var inside = {json.dumps(list(INSIDE_PREVIOUS))};\n"
        f"  var suffix = {title_suffix};\n"
        f"  var topic = {json.dumps(suffix is not None)};\n"
        "  var here = document.currentScript;\n"
        "  /* Parts shared by pages at different depths say DigestRoot/ for the way up to the site's root. */\n"
        "  var root = here.getAttribute(\"src\").replace(/assets\\/digest\\/[^\\/]*$/, \"\");\n"
        "  var base = JSON.stringify(root.replace(/\\/$/, \"\") || \".\");\n"
        "  here.getAttribute(\"data-part\").split(\" \").forEach(function (name) {\n"
        "    var holder = document.createElement(\"template\");\n"
        "    holder.innerHTML = parts[name].split(\"DigestRoot/\").join(root).split('\"DigestBase\"').join(base);\n"
        + insert_part_js("    ", "inside.indexOf(name) < 0 ? here.before(holder.content)"
                         " : here.previousElementSibling.append(holder.content);\n")
        + "  });\n"
        "  here.remove();\n"
        "  /* The header shows the page's title: this page's, also after instant navigation from another page. */\n"
        "  if (topic) {\n"
        "    var title = document.title;\n"
        "    if (suffix && title.slice(-suffix.length) === suffix) title = title.slice(0, -suffix.length);\n"
        "    var shown = document.querySelectorAll('[data-md-component=\"header-topic\"] .md-ellipsis');\n"
        "    for (var n = 0; n < shown.length; n++) shown[n].textContent = title;\n"
        "  }\n"
        "})();\n"
    )


def read_records(docs_dir: Path) -> Iterator[dict[str, object]]:
    """Every paper record of ``docs_dir``'s shards, shard by shard (issue date), in file order."""
    return shard_records(docs_dir / SHARD_DIR, lambda paper: is_safe_id(str(paper.get("id", ""))),
                         lambda where: ShellError(f"{where}: not a paper record of the generator; rebuild content/"))


def shard_records(folder: Path, valid: Callable[[dict[str, Any]], bool],
                  error: Callable[[str], Exception]) -> Iterator[dict[str, Any]]:
    """The records (JSON objects, a line each) of ``folder``'s ``*.jsonl`` shards, shard by shard in name
    order; a line that is not a ``valid`` record raises ``error("<shard>:<line>")``."""
    for shard in sorted(folder.glob("*.jsonl")) if folder.is_dir() else ():
        with shard.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                record = json.loads(line)
                if not isinstance(record, dict) or not valid(record):
                    raise error(f"{shard}:{number}")
                yield record


def insert_part_js(indent: str, insert: str = "here.replaceWith(holder.content);\n") -> str:
    """The frame scripts' last step (here and generator/author_pages.py), indented: the part's HTML, parsed
    into ``holder`` (a template element), goes in by ``insert`` (by default: replaces the script element
    ``here`` that asked for it)."""
    return textwrap.indent(
        "/* Scripts parsed into a template never run: each is replaced by a copy, which runs when inserted. */\n"
        "holder.content.querySelectorAll(\"script\").forEach(function (old) {\n"
        "  var fresh = document.createElement(\"script\");\n"
        "  for (var i = 0; i < old.attributes.length; i++) {\n"
        "    fresh.setAttribute(old.attributes[i].name, old.attributes[i].value);\n"
        "  }\n"
        "  fresh.text = old.text;\n"
        "  old.replaceWith(fresh);\n"
        "});\n" + insert,
        indent,
    )


def write_pages(site_dir: Path, shell: Shell, records: Iterable[dict[str, object]]) -> list[str]:
    """Write ``papers/<id>/index.html`` for every record; the ids written, in order."""
    written = []
    papers = os.path.join(site_dir, "papers")
    os.makedirs(papers, exist_ok=True)
    for paper in records:
        paper_id = str(paper["id"])
        folder = os.path.join(papers, paper_id)
        if not os.path.isdir(folder):
            os.mkdir(folder)
        # Plain os.path and open(), not pathlib: half the cost when a site has 100,000 of these files.
        with open(os.path.join(folder, "index.html"), "wb") as page:
            page.write(shell.fill(paper).encode("utf-8"))
        written.append(paper_id)
    return written


URL_BLOCK = re.compile(r"\s*<url>\s*<loc>[^<]*" + re.escape(SHELL_ID) + r"/?</loc>.*?</url>", re.DOTALL)
LASTMOD = re.compile(r"<lastmod>([^<]*)</lastmod>")


def rewrite_sitemap(site_dir: Path, site_url: str, paper_ids: list[str], timestamp: int) -> None:
    """Add the paper pages to MkDocs' sitemap (and drop the placeholder); an index when over 50,000 URLs.

    Material's instant navigation loads only pages listed in sitemap.xml, so papers must be there.
    """
    path = site_dir / "sitemap.xml"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    shell_block = URL_BLOCK.search(text)
    lastmod = LASTMOD.search(shell_block.group(0)) if shell_block else None
    text = URL_BLOCK.sub("", text)
    stamp = f"<lastmod>{lastmod.group(1)}</lastmod>" if lastmod else ""
    base = site_url if site_url.endswith("/") else site_url + "/"
    # A line per paper, without MkDocs' indentation (a fifth of each paper's entry).
    blocks = [f"\n<url><loc>{base}papers/{paper_id}/</loc>{stamp}</url>" for paper_id in paper_ids]
    head, _, _ = text.rpartition("</urlset>")
    existing = text.count("<url>")
    if existing + len(blocks) <= SITEMAP_LIMIT:
        _write_sitemap(path, head + "".join(blocks) + "\n</urlset>\n", timestamp)
        return
    # Too many for one file: sitemap.xml becomes an index of files of at most 50,000 URLs each.
    first = SITEMAP_LIMIT - existing
    chunks = [blocks[:first]] + [blocks[i : i + SITEMAP_LIMIT] for i in range(first, len(blocks), SITEMAP_LIMIT)]
    opening = re.match(r"(?s).*?<urlset[^>]*>", text)
    header = opening.group(0) if opening else '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    names = []
    for number, chunk in enumerate(chunks, start=1):
        name = f"sitemap-{number}.xml"
        names.append(name)
        text = (head if number == 1 else header) + "".join(chunk) + "\n</urlset>\n"
        (site_dir / name).write_text(text, encoding="utf-8")
    index = "".join(f"\n    <sitemap>\n         <loc>{base}{name}</loc>\n    </sitemap>" for name in names)
    _write_sitemap(
        path,
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}\n</sitemapindex>\n',
        timestamp,
    )


def _write_sitemap(path: Path, text: str, timestamp: int) -> None:
    data = text.encode("utf-8")
    path.write_bytes(data)
    gz_path = path.with_name(path.name + ".gz")
    with gz_path.open("wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(gz_path), mode="wb", mtime=timestamp) as gz:
        gz.write(data)
