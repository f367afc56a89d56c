"""Readers of paper lists: one per format, chosen by extension (or a format name before it); one file per issue.

``2026-11-28.json`` is read by the JSON reader, which recognises a daily-papers response by its
content; ``2026-11-28.hf.json`` forces the daily-papers reader, ``notes.listing.txt`` the listing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from generator import forked, latex_text
from generator.authors import distinct_names
from generator.counts import count
from generator.errors import Problem
from generator.model import Paper, is_safe_id, paper_id
from generator.sources.arxiv import read_arxiv
from generator.sources.bibtex import arxiv_id_in, read_bibtex
from generator.sources.common import (
    DATE_PREFIX,
    Limits,
    ReadResult,
    date_from_name,
    describe,
    enforce_limits,
    impossible_date,
    problem_at,
)
from generator.sources.listing import read_listing
from generator.sources.structured import read_daily_papers_json, read_json, read_jsonl, read_yaml

DEFAULT_LIMITS = Limits()
Reader = Callable[[bytes, str], ReadResult]

# Format names; one may stand before the extension to override it (``2026-11-28.hf.json``).
FORMATS: dict[str, Reader] = {
    "listing": read_listing,
    "yaml": read_yaml,
    "json": read_json,
    "jsonl": read_jsonl,
    "hf": read_daily_papers_json,
    "arxiv": read_arxiv,
    "bibtex": read_bibtex,
}
EXTENSIONS: dict[str, str] = {
    ".txt": "listing",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "arxiv",
    ".atom": "arxiv",
    ".rss": "arxiv",
    ".bib": "bibtex",
}
READERS: dict[str, Reader] = {extension: FORMATS[name] for extension, name in EXTENSIONS.items()}
UNKNOWN_FORMAT = (
    f"unknown paper-list format (known: {', '.join(sorted(EXTENSIONS))};"
    " a README, or a name starting with '.' or '_', is ignored)"
)


LINKED_FOLDER = ("a link to a folder, whose lists are not read (a link may lead back into the folder): name the"
                 " folder it leads to in papers: (or --papers); skipped")


def format_of(path: Path) -> str | None:
    """The format name for a file: a known name just before the extension wins, else the extension's."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if not suffixes or suffixes[-1] not in EXTENSIONS:
        return None
    if len(suffixes) >= 2 and suffixes[-2][1:] in FORMATS:
        return suffixes[-2][1:]
    return EXTENSIONS[suffixes[-1]]


def find_paper_lists(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders into the paper-list files below them, sorted so order never matters."""
    paths = list(paths)
    folders = [path.resolve() for path in paths if path.is_dir()]
    files: set[Path] = set()
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            for child in path.rglob("*"):
                hidden = any(part.startswith((".", "_")) for part in child.relative_to(path).parts)
                if child.is_symlink() and not child.exists() and not hidden:  # its papers would be gone unsaid
                    problems.append(Problem(display_path(child), message="a link to a file that is not there; skipped"))
                elif child.is_symlink() and child.is_dir() and not hidden and not _searched(child, folders):
                    problems.append(Problem(display_path(child), message=LINKED_FOLDER))  # rglob does not follow it
                if not child.is_file() or hidden or child.name.upper().startswith("README"):
                    continue  # a README explains the folder, whatever its extension (README.txt, README.yaml)
                if child.suffix.lower() in READERS:
                    files.add(child)
                else:
                    # Any other file was put there for a reason: say why nothing came of it.
                    problems.append(Problem(display_path(child), message=f"{UNKNOWN_FORMAT}; skipped"))
        elif path.is_file():
            files.add(path)
        else:
            problems.append(Problem(display_path(path), message="no such file or folder"))
    return sorted(files, key=lambda p: display_path(p)), sorted(problems)


def _searched(link: Path, folders: list[Path]) -> bool:
    """True when the folder ``link`` leads to is one of ``folders`` or below one (its lists are read there)."""
    target = link.resolve()
    return any(target == folder or folder in target.parents for folder in folders)


def read_paper_list(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Read one file and stamp its papers with the issue date (from the name or the file)."""
    display = display_path(path)
    name = format_of(path)
    if name is None:
        return ReadResult(problems=[Problem(display, message=UNKNOWN_FORMAT)])
    forced = name != EXTENSIONS[path.suffix.lower()]
    reader = FORMATS[name] if forced else READERS[path.suffix.lower()]
    try:
        data = path.read_bytes()
    except OSError as error:
        return ReadResult(problems=[Problem(display, message=f"cannot read: {error.strerror}")])
    if not data.lstrip(EMPTY_BYTES):  # every format alike (an empty .txt, .bib or .jsonl said nothing)
        return ReadResult(problems=[Problem(display, message=EMPTY_FILE)])
    result = reader(data, display)
    for paper in result.papers:
        if paper.doi:  # a DOI holds no white space: one wrapped over two lines (or with a line separator) is rejoined
            paper.doi = "".join(paper.doi.split()) or None
        if paper.arxiv_id is None and paper.doi and (found := arxiv_id_in(paper.doi)):
            # arXiv's own DOI (10.48550/arXiv.ID), the only arXiv link Semantic Scholar and CSL JSON exports
            # give: the paper is that arXiv paper, as in BibTeX (it was a second page for the same paper)
            paper.arxiv_id, paper.id = found, paper_id(paper.title, found)
        if paper.doi:  # a DOI given as its link (https://doi.org/10.1145/...) or as "doi:10.1145/..." is the DOI
            # (after the arXiv check above, so that no id it gave changes): pages link https://doi.org/<DOI>
            paper.doi = DOI_PREFIX.sub("", paper.doi) or None
        if paper.arxiv_id is None and paper.doi and (found := arxiv_id_in(paper.doi)):
            # arXiv's DOI written so (doi:10.48550/..., www.doi.org) is that arXiv paper too; the id its title gave
            # it before stays, sending readers on
            paper.feed_id = paper.feed_id or paper.id  # (its feed entries keep it too)
            paper.arxiv_id, paper.id, paper.aliases = found, paper_id(paper.title, found), (*paper.aliases, paper.id)
    result.papers = [paper for paper in result.papers if _has_safe_id(paper, display, result.problems)]
    for paper in result.papers:  # a title is one line wherever it goes (a feed's <title> kept line ends), and no
        # bidi override or isolate left open reorders what follows it (" - Paper Digest" in a page's <title>); the
        # id is made of its words, so it stays
        paper.title = " ".join(paper.title.translate(BIDI_CONTROLS).split())
        paper.authors = distinct_names(paper.authors)
    result.papers = [paper for paper in result.papers if _has_title(paper, display, result.problems)]
    enforce_limits(result.papers, display, limits, result.problems)
    named = date_from_name(path)
    if result.issue_date and named and result.issue_date != named:
        result.problems.append(
            Problem(display, message=f"date {result.issue_date} in the file differs from the name; the file wins")
        )
    issue_date = result.issue_date or named or result.date_hint
    if issue_date is None:
        prefix = DATE_PREFIX.match(path.name)
        wrong = impossible_date(prefix.group(1)) if prefix else None
        message = (f"the file name's date is no date ({wrong}); the file is skipped" if wrong else
                   "no issue date: start the file name with YYYY-MM-DD or give a top-level 'date'")
        result.problems.append(Problem(display, message=message))
        result.papers = []
        return result
    if not EARLIEST_ISSUE_DATE <= issue_date <= LATEST_ISSUE_DATE:
        when = (f"after the year {LATEST_ISSUE_DATE.year}" if issue_date > LATEST_ISSUE_DATE
                else f"before the year {EARLIEST_ISSUE_DATE.year}")
        result.problems.append(Problem(display, message=f"issue date {issue_date} is {when}: a typo? The file is "
                                       "skipped"))
        result.papers = []
        return result
    result.issue_date = issue_date
    for paper in result.papers:
        paper.added = issue_date
    return result


# How DOIs are written around the DOI itself: its resolver's address (also dx.doi.org) or the "doi:" scheme.
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.|www\.)?doi\.org/|doi:)", re.IGNORECASE)
# Unicode's bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a title, one left open
# turns the text after it around, wherever the title is followed by other text.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# A file of nothing but these (white space, byte-order marks of UTF-8 and UTF-16) is empty: a failed export or
# download, or a file made to be filled in later.
EMPTY_BYTES = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"
EMPTY_FILE = "the file is empty: it holds no papers"


def _has_safe_id(paper: Paper, display: str, problems: list[Problem]) -> bool:
    # Ids name pages (papers/<id>/): whatever a reader took from its input, check it here.
    if is_safe_id(paper.id):
        return True
    problems.append(problem_at(paper, display, f"paper id {describe(paper.id)} is not usable as a file name; skipped"))
    return False


def _has_title(paper: Paper, display: str, problems: list[Problem]) -> bool:
    # Every page, feed entry and mail names a paper by its title as shown (its LaTeX decoded): one that shows as
    # nothing (an empty \textbf{}, bidi controls alone) is no title, and an Atom entry without one stopped the build.
    if not latex_text.shows_nothing(paper.title):
        return True
    title = f"title {describe(paper.title)}" if paper.title else "title of bidi controls only"
    problems.append(problem_at(paper, display, f"{title} shows as no text; skipped"))
    return False


# Issue dates after this are typos (2206-11-27 for 2026-11-27): the site is dated by the newest issue, and
# sitemap.xml.gz holds its date in 32 bits (up to 2106-02-07), so MkDocs stopped with a traceback on a later one.
# Such a file is skipped with a problem naming it.
LATEST_ISSUE_DATE = dt.date(2105, 12, 31)
# And before this (0202-12-01 for 2025-12-01): RSS dates (RFC 822) have no year of fewer than four digits, so such
# an issue made every RSS feed that listed it invalid ("Mon, 01 Jan 1 00:00:00 +0000").
EARLIEST_ISSUE_DATE = dt.date(1000, 1, 1)
# From this many bytes of paper lists (some 2,000 papers) a forked child reads a part of them (see read_files).
FORK_BYTES = 4_000_000
# The child's share of the bytes: a little under half, as its papers then go through a pipe (pickled).
CHILD_SHARE = 0.45


def read_all(paths: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> tuple[list[ReadResult], list[Problem]]:
    """Read every paper list under ``paths``; problems of all files are gathered, none is fatal."""
    files, problems = find_paper_lists(paths)
    results = read_files(files, limits)
    for result in results:
        problems.extend(result.problems)
    return results, unknown_fields_once(problems)


# "unknown field 'topic' ignored", and "(and in 39 more papers of this file)" after it when more papers have it.
UNKNOWN_IN_FILE = re.compile(r"(unknown field .+ ignored)(?: \(and in [\d,]+ more papers? of this file\))?")


def unknown_fields_once(problems: list[Problem]) -> list[Problem]:
    """Each unknown field once for the whole archive, where its first file has it, with the number of other files
    that have it too: the fields of one digest's own in every record (``topic``, ``contribution``) were a line per
    field and file, 126 for six weeks of an astro-ph digest, which buried every other problem of the build."""
    fields = [found.group(1) if (found := UNKNOWN_IN_FILE.fullmatch(problem.message)) else None
              for problem in problems]
    files: dict[str, list[str]] = {}
    for problem, name in zip(problems, fields, strict=True):
        if name is not None:
            files.setdefault(name, []).append(problem.path)
    kept = []
    for problem, name in zip(problems, fields, strict=True):
        if name is not None:
            where = files.get(name)
            if where is None:
                continue  # told at its first file
            del files[name]
            if len(where) > 1:
                problem = dataclasses.replace(problem, message=(
                    f"{problem.message}; also in {count(len(where) - 1, 'more file')}, the last {where[-1]}"))
        kept.append(problem)
    return kept


def read_files(files: Sequence[Path], limits: Limits = DEFAULT_LIMITS) -> list[ReadResult]:
    """``read_paper_list`` of each file, in order.

    Each file is read on its own, so on a big archive (``FORK_BYTES``) with a second core a forked
    child reads the last files (``CHILD_SHARE`` of the bytes) while this process reads the first
    (generator/forked.py): the same results, in less time (5.7 s → 3.4 s at 100,000 papers).
    """
    sizes = [_size(path) for path in files]
    total = sum(sizes)
    if not forked.can_fork(total, FORK_BYTES):
        return [read_paper_list(path, limits) for path in files]
    split, mine = 0, 0
    while split < len(files) and mine + sizes[split] <= total * (1 - CHILD_SHARE):
        mine += sizes[split]
        split += 1
    rest = files[split:]
    helper = forked.Forked(lambda: [read_paper_list(path, limits) for path in rest])
    try:
        return [read_paper_list(path, limits) for path in files[:split]] + helper.result()
    finally:
        helper.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_paper_list reports it


def display_path(path: Path) -> str:
    """A path as users wrote it: relative to the working folder when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
