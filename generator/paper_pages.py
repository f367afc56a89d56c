"""Paper pages without a Markdown pass: Material's frame is rendered once, every paper's article goes into it.

A site has one page per paper, and MkDocs renders each page through Python-Markdown and
Material's template: about 3 ms of CPU per page, most of a big archive's build. So the
generator writes each paper's article as finished HTML into shard files under
``content/.digest/papers/`` (one file per issue, see ``shard_record``; MkDocs skips dot-folders), and
the MkDocs hook (generator/mkdocs_hooks.py) renders one placeholder paper page with
Material, cuts it into a *shell* at the places that differ between papers (title,
description, URL, table of contents, article) and fills it in for every paper; generator/paper_frame.py
moves the frame's parts that work only with JavaScript into one cached script.

Everything in a record is HTML already made safe by generator/escape.py; this module
only puts pieces together, it never escapes or interprets text.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import listing_pages
from generator.model import is_safe_id

SHARD_DIR = ".digest/papers"
SHARD_SUFFIX = ".shard"
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
    return f"{SHARD_DIR}/{issue_date}{SHARD_SUFFIX}"


def shard_record(fields: dict[str, Any], body: str) -> str:
    """One record of a shard: ``fields`` and the body's length in characters as a line of JSON, then the body
    as it is (HTML, newlines and all). Records are joined by a newline, and a shard ends with one.

    The body is not JSON-escaped: escaping every paper's article on writing and unescaping it on reading
    took more time than anything else about shards (1.4 s of CPU for 9,877 papers).
    """
    return json.dumps({**fields, "body": len(body)}, ensure_ascii=False, separators=(",", ":")) + "\n" + body


def record(paper_id: str, title: str, description: str, anchor: str, sections: Iterable[str], body: str) -> str:
    """One paper: HTML for <title>/meta, the heading anchor, its sections and its article."""
    fields = {"id": paper_id, "title": title, "description": description, "anchor": anchor,
              "sections": list(sections)}
    return shard_record(fields, body)


def alias_page(paper_id: str, title: str, site_name: str, site_url: str, language: str = "en") -> str:
    """The page at ``papers/<alias>/`` of a paper that answers to another id too (a record merged into it, whose
    id may have been published before: a partial day listed by title only, an earlier issue added later): it
    sends readers and search engines on to the paper's page, so a published address never stops working.
    A static file (MkDocs and Zensical copy it as it is): no frame, no search entry, not in the sitemap.
    ``title`` and ``site_name`` are escaped HTML already (generator/escape.py); ``language`` is the site's (a checked
    language tag: generator/config.py)."""
    return redirect_page(f"../{paper_id}/", f"papers/{paper_id}/", "This paper's page is", title, site_name, site_url,
                         language)


def redirect_page(
    target: str, path: str, sentence: str, title: str, site_name: str, site_url: str, language: str = "en",
    feeds: Sequence[tuple[str, str, str]] = (),
) -> str:
    """A static page that sends readers and search engines on to ``target`` (relative; ``path`` is the target's
    from the site root, for the canonical link): an address published once keeps working. ``title`` and
    ``site_name`` are escaped HTML already; ``sentence`` is ours ("This paper's page is"). ``feeds`` are the
    target's feeds for autodiscovery, (type, escaped title, href): a feed reader reads no refresh."""
    canonical = f"{site_url}{path}" if site_url else target
    alternates = "".join(f'<link rel="alternate" type="{kind}" title="{name}" href="{href}">\n'
                         for kind, name, href in feeds)
    return (
        f'<!doctype html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title} - {site_name}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f"{alternates}"
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n<body>\n"
        f'<p>{sentence} <a href="{target}">{title}</a>.</p>\n'
        "</body>\n</html>\n"
    )


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


def read_records(docs_dir: Path) -> Iterator[dict[str, object]]:
    """Every paper record of ``docs_dir``'s shards, shard by shard (issue date), in file order; ``issue`` is the date
    of the paper's issue (its shard's name)."""
    return shard_records(docs_dir / SHARD_DIR, lambda paper: is_safe_id(str(paper.get("id", ""))),
                         lambda where: ShellError(f"{where}: not a paper record of the generator; rebuild content/"),
                         shard_key="issue")


def shard_records(folder: Path, valid: Callable[[dict[str, Any]], bool],
                  error: Callable[[str], Exception], shard_key: str | None = None) -> Iterator[dict[str, Any]]:
    """The records of ``folder``'s shards (``shard_record``), shard by shard in name order, each a dict with
    its body (and, with ``shard_key``, its shard's name there); a record that is not ``valid`` or not whole raises
    ``error("<shard>:<line>")``."""
    for shard in sorted(folder.glob(f"*{SHARD_SUFFIX}")) if folder.is_dir() else ():
        name = shard.name.removesuffix(SHARD_SUFFIX)
        for record in parse_records(shard.read_text(encoding="utf-8"), str(shard), valid, error):
            if shard_key is not None:
                record[shard_key] = name
            yield record


def parse_records(text: str, where: str, valid: Callable[[dict[str, Any]], bool],
                  error: Callable[[str], Exception]) -> Iterator[dict[str, Any]]:
    """The records of one shard's ``text`` (see ``shard_record``)."""
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        try:
            record = json.loads(text[position:end]) if end > position else None
        except (ValueError, RecursionError):  # RecursionError: a damaged shard nested thousands deep
            record = None
        length = record.get("body") if isinstance(record, dict) else None
        stop = end + 1 + length if isinstance(length, int) and length >= 0 else -1
        if record is None or stop < 0 or text[stop:stop + 1] != "\n":
            raise error(f"{where}:{text.count(chr(10), 0, position) + 1}")
        record["body"] = text[end + 1:stop]
        if not valid(record):
            raise error(f"{where}:{text.count(chr(10), 0, position) + 1}")
        yield record
        position = stop + 1


def published_papers(docs_dir: Path) -> dict[str, tuple[str, str]]:
    """Paper id → (title, issue date) of every paper ``docs_dir``'s shards hold (what the previous build published);
    their headers only, and nothing from a shard that is not whole (a build repairs it)."""
    found: dict[str, tuple[str, str]] = {}
    folder = docs_dir / SHARD_DIR
    for shard in sorted(folder.glob(f"*{SHARD_SUFFIX}")) if folder.is_dir() else ():
        try:
            text = shard.read_text(encoding="utf-8")
            position = 0
            while position < len(text):
                end = text.find("\n", position)
                fields = json.loads(text[position:end])
                found[str(fields["id"])] = (html.unescape(str(fields["title"])), shard.name.removesuffix(SHARD_SUFFIX))
                position = end + 1 + int(fields["body"]) + 1
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            continue
    return found


def write_pages(site_dir: Path, shell: Shell, records: Iterable[dict[str, object]],
                dates: dict[str, str] | None = None) -> list[str]:
    """Write ``papers/<id>/index.html`` for every record; the ids written, in order. ``dates`` gets each page's
    URL path → its issue's date (a record's ``issue``), for the sitemap."""
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
        if dates is not None and isinstance(paper.get("issue"), str):
            dates[f"papers/{paper_id}/"] = str(paper["issue"])
    return written


# A placeholder page's entry: the papers' (SHELL_ID) or the listing pages' (generator/listing_pages.py).
URL_BLOCK = re.compile(r"\s*<url>\s*<loc>[^<]*(?:" + re.escape(SHELL_ID) + "|" + re.escape(listing_pages.NAME)
                       + r")/?</loc>.*?</url>", re.DOTALL)
LASTMOD = re.compile(r"<lastmod>([^<]*)</lastmod>")
ISSUE_PAGE = re.compile(r"issues/(\d{4}-\d{2}-\d{2})/")


def rewrite_sitemap(site_dir: Path, site_url: str, paths: list[str], timestamp: int,
                    dates: Mapping[str, str] | None = None) -> None:
    """Add the pages written after MkDocs (``papers/<id>/``, listing pages: URL paths) to MkDocs' sitemap (and drop
    the placeholders); an index when over 50,000 URLs.

    Material's instant navigation loads only pages listed in sitemap.xml, so these pages must be there. MkDocs dates
    every page by the build (the newest issue); a paper's page is dated by its issue instead (``dates``: URL path →
    date), and so is an issue's page, so the sitemap does not say every page of the archive changed with each issue.
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
    # The issue pages MkDocs rendered (the newest, in the navigation), dated by their issue; never after the build.
    text = re.sub(r"(<loc>" + re.escape(base) + r"issues/(\d{4}-\d{2}-\d{2})/</loc>\s*<lastmod>)([^<]*)(</lastmod>)",
                  lambda found: found.group(1) + min(found.group(2), found.group(3)) + found.group(4), text)

    def dated(page: str) -> str:
        issue = ISSUE_PAGE.fullmatch(page)
        day = (dates or {}).get(page) or (issue.group(1) if issue else None)
        return f"<lastmod>{min(day, lastmod.group(1))}</lastmod>" if day and lastmod else stamp

    # A line per paper, without MkDocs' indentation (a fifth of each paper's entry).
    blocks = [f"\n<url><loc>{base}{page}</loc>{dated(page)}</url>" for page in paths]
    head, _, _ = text.rpartition("</urlset>")
    existing = text.count("<url>")
    if existing + len(blocks) <= SITEMAP_LIMIT:
        write_sitemap(path, head + "".join(blocks) + "\n</urlset>\n", timestamp)
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
    write_sitemap(
        path,
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}\n</sitemapindex>\n',
        timestamp,
    )


def write_sitemap(path: Path, text: str, timestamp: int) -> None:
    """``text`` as the sitemap at ``path``, and its ``.gz`` beside it dated ``timestamp`` (reproducible)."""
    data = text.encode("utf-8")
    path.write_bytes(data)
    gz_path = path.with_name(path.name + ".gz")
    with gz_path.open("wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(gz_path), mode="wb", mtime=timestamp) as gz:
        gz.write(data)
