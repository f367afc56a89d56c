"""BibTeX (``.bib``): a researcher's reading list, parsed with bibtexparser."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import Block, DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, Field, ParsingFailedBlock

from generator.counts import whole_number
from generator.errors import Problem
from generator.model import Paper, normalize_arxiv_id, paper_id
from generator.sources.common import UNSET_DATE, ReadResult, date_parts, flatten, from_utf16, http_link

DUPLICATES = (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)


def read_bibtex(data: bytes, display: str) -> ReadResult:
    """Read every entry with a title; entries that cannot be parsed are reported by line."""
    result = ReadResult()
    data = from_utf16(data, display, result.problems)
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        result.problems.append(Problem(display, message="invalid UTF-8 replaced"))
    # bibtexparser also logs each failed block; we report them ourselves, with the file name.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library, keys = _kept_duplicates(parse_string(text, parse_stack=[]), display, result.problems)
    for middleware in [
        _RunOnField(),
        *default_parse_stack(),
        _LatexDecoding(),
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
    ]:
        library = middleware.transform(library=library)
    for entry in library.entries:
        entry.key = keys.get(entry.key, entry.key)
    for block in library.failed_blocks:
        error = getattr(block, "error", None)
        reason = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error or "")
        detail = f": {flatten(str(reason))}" if reason.strip() else ""
        result.problems.append(
            Problem(display, line=(block.start_line or 0) + 1, message=f"cannot read this entry; skipped{detail}")
        )
    for entry in library.entries:
        paper = read_entry(entry, display, result.problems)
        if paper is not None:
            result.papers.append(paper)
    return result


# What pylatexenc's default context (bibtexparser's LaTeX decoding) acts on: a macro, a group, math, a comment, and its
# specials (~, &, ``, '', --, ---, !`, ?`). A value without any of them is decoded to itself.
LATEX = re.compile(r"[\\{}$%~&`]|--|''")


class _LatexDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding, except of values with nothing to decode, which stay as they are: pylatexenc
    reads text a character at a time (12 ms for an abstract), and most of a reference manager's values are plain
    text. A reading list of 5,000 entries with abstracts took 63 s to read."""

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        if LATEX.search(python_string) is None:
            return python_string, ""
        return super()._transform_python_value_string(python_string)


# A field's name and "=" outside every brace and quote of a value: the value ran on into the next field.
FIELD_START = re.compile(r"([A-Za-z][\w:.+-]*)\s*=")
GROUP = re.compile(r"\{[^{}]*\}|\"[^\"]*\"")


class _RunOnField(middlewares.BlockMiddleware):
    """An entry with a comma missing between two fields (``title = {A}`` then ``author = {B}``) is unreadable: the
    parser took the next field into the value, and the paper was titled "A author = B" without a word said."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        for field in entry.fields:
            value = field.value if isinstance(field.value, str) else ""
            previous = None
            while previous != value:  # braced and quoted parts, innermost first: what is left is outside them
                previous, value = value, GROUP.sub(" ", value)
            found = FIELD_START.search(value)
            if found:
                reason = f"a comma is missing after the field {field.key!r} (before {found.group(1)!r})"
                return ParsingFailedBlock(error=ValueError(reason), start_line=entry.start_line, raw=entry.raw)
        return entry


def _kept_duplicates(split: Library, display: str, problems: list[Problem]) -> tuple[Library, dict[str, str]]:
    """The blocks as split, with the entries bibtexparser sets apart for a duplicate put back: a second entry of the
    same key (Mendeley writes one key for two papers of an author and year; entries pasted from Google Scholar
    repeat theirs) is a paper too, and of a field given twice BibTeX keeps the first (reported). The keys of the
    entries put back are made unique until the middlewares are applied: their original keys, by the unique ones."""
    blocks: list[Block] = []
    keys: dict[str, str] = {}
    for block in split.blocks:
        entry = block.ignore_error_block if isinstance(block, DUPLICATES) else None
        if not isinstance(entry, Entry):
            blocks.append(block)
            continue
        if isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(repr(name) for name in sorted(block.duplicate_keys))
            problems.append(Problem(display, line=(entry.start_line or 0) + 1,
                                    message=f"entry {entry.key!r}: {names} given twice; the first is read"))
            first: dict[str, Field] = {}
            for field in entry.fields:
                first.setdefault(field.key, field)
            entry.fields = list(first.values())
        unique = f"{entry.key}\0{len(blocks)}"
        keys[unique] = entry.key
        entry.key = unique
        blocks.append(entry)
    return Library(blocks, fail_on_duplicate_key=False), keys


def read_entry(entry: Entry, display: str, problems: list[Problem]) -> Paper | None:
    """One ``@article{...}``; fields are matched case-insensitively, as BibTeX does."""
    line = (entry.start_line or 0) + 1
    fields = {field.key.lower(): field.value for field in entry.fields}

    def report(message: str) -> None:
        problems.append(Problem(display, line=line, message=f"entry {entry.key!r}: {message}"))

    title = _text(fields.get("title"))
    if not title:
        report("missing or empty 'title'; skipped")
        return None
    arxiv_id = _arxiv_id(fields)
    url = http_link(_text(fields.get("url"))) if fields.get("url") else None
    if fields.get("url") and url is None:
        report("'url' is not an http(s) URL; ignored")
    year, month = _year_month(fields, report)
    return Paper(
        id=paper_id(title, arxiv_id),
        title=title,
        abstract=_text(fields.get("abstract")),
        added=UNSET_DATE,
        source=f"{display}:{line}",
        authors=_authors(fields.get("author")),
        arxiv_id=arxiv_id,
        url=url,
        doi=_text(fields.get("doi")) or None,
        journal_ref=_text(fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")) or None,
        year=year,
        month=month,
    )


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _year_month(fields: dict[str, object], report: Callable[[str], None]) -> tuple[int | None, int | None]:
    """``year`` (and ``month``: a number, a name or BibTeX's ``jan``...) when they can be read; else None.

    Without ``year``, BibLaTeX's ``date`` (``2021``, ``2021-06``, ``2021-06-15``, a range ``2021-06-15/2021-06-18``)
    gives them, as Zotero's and JabRef's BibLaTeX exports write only that.
    """
    if fields.get("year") is None and fields.get("date") is not None:
        date = _text(fields.get("date"))
        parts = date_parts(date)
        if parts is None:
            report(f"'date' {date!r} is not a date (YYYY-MM-DD); ignored")
            return None, None
        return parts[0], parts[1] if len(parts) > 1 else None
    text = _text(fields.get("year"))
    found = re.fullmatch(r"\{?(\d{4})[a-z]?\}?", text)
    if text and found is None:
        report(f"'year' {text!r} is not a year; ignored")
    year = int(found.group(1)) if found else None
    month_text = _text(fields.get("month")).strip("{}. ").casefold()
    month = None
    if whole_number(month_text) and 1 <= int(month_text) <= 12:
        month = int(month_text)
    elif month_text[:3] in MONTHS and len(month_text) >= 3:
        month = MONTHS.index(month_text[:3]) + 1
    elif month_text:
        report(f"'month' {month_text!r} is not a month; ignored")
    return year, month if year else None


def _text(value: object) -> str:
    return flatten(value) if isinstance(value, str) else ""


# arXiv's own DOIs (10.48550/arXiv.2410.00907), as Zotero and arXiv's export write them in ``doi`` or a doi.org URL.
ARXIV_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def _arxiv_id(fields: dict[str, object]) -> str | None:
    """The arXiv id from ``eprint`` (arXiv's own export), ``arxiv``, an arXiv ``url`` or an arXiv DOI."""
    for name in ("eprint", "arxiv", "arxivid", "url", "doi"):
        value = fields.get(name)
        if isinstance(value, str):
            found = arxiv_id_in(value)
            if found:
                return found
    return None


def arxiv_id_in(value: str) -> str | None:
    """The versionless arXiv id of an id, an arXiv URL, or an arXiv DOI (bare or as a doi.org URL); else None."""
    doi = ARXIV_DOI.match(value.strip())
    return normalize_arxiv_id(doi.group(1) if doi else value)


def _authors(value: object) -> tuple[str, ...]:
    """The names of a parsed ``author`` field; BibTeX's ``and others`` (et al., as Google Scholar and
    Zotero write a long list) is no author: it had an author page of its own."""
    if not isinstance(value, list):
        return ()
    names = []
    for name in value:
        parts = getattr(name, "first", []) + getattr(name, "von", []) + getattr(name, "last", [])
        if isinstance(name, str):
            parts = [name]
        jr = getattr(name, "jr", [])
        full = flatten(" ".join(parts) + (", " + " ".join(jr) if jr else ""))
        if full and full.casefold() not in ("others", "et al.", "et al"):
            names.append(full)
    return tuple(names)
