"""The reading list of ``picks:``: a BibTeX export (Zotero, Mendeley, JabRef) or a plain list of arXiv ids.

Its titles and abstracts are untrusted text, like the paper lists': they are kept as written and
escaped where they are shown. An entry that cannot be read is reported with its file and line and
skipped; the others are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ConfigError, Problem
from generator.model import title_key
from generator.sources.bibtex import arxiv_id_in, read_bibtex
from generator.sources.common import describe, from_utf16


@dataclass(frozen=True)
class Entry:
    """One paper of the reading list: its text when the file gives it, its arXiv id when it has one."""

    line: int
    title: str = ""
    abstract: str = ""
    arxiv_id: str | None = None

    @property
    def title_key(self) -> str:
        return title_key(self.title) if self.title else ""


@dataclass
class ReadingList:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    display: str = ""

    @property
    def arxiv_ids(self) -> frozenset[str]:
        return frozenset(entry.arxiv_id for entry in self.entries if entry.arxiv_id)

    @property
    def title_keys(self) -> frozenset[str]:
        return frozenset(entry.title_key for entry in self.entries if entry.title)


def read_reading_list(path: Path, display: str | None = None) -> ReadingList:
    """Read ``path``: BibTeX when it ends in ``.bib`` or its first text is an ``@`` entry, else arXiv ids."""
    display = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{display}: cannot read the reading list: {error.strerror}") from None
    problems: list[Problem] = []
    text = from_utf16(data, display, problems).decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = (line.strip() for line in text.splitlines())
    first = next((line for line in lines if line and not line.startswith(("#", "%"))), "")
    if path.suffix.lower() == ".bib" or first.startswith("@"):
        return _read_bibtex(data, display)  # UTF-16 is read_bibtex's to decode, as in a paper list
    reading = _read_ids(text, display)
    reading.problems[:0] = problems
    return reading


def _read_bibtex(data: bytes, display: str) -> ReadingList:
    result = read_bibtex(data, display)
    reading = ReadingList(problems=list(result.problems), display=display)
    for paper in result.papers:
        line = int(paper.source.rsplit(":", 1)[1])
        reading.entries.append(Entry(line=line, title=paper.title, abstract=paper.abstract, arxiv_id=paper.arxiv_id))
    return reading


def _read_ids(text: str, display: str) -> ReadingList:
    """One arXiv id (or abs/pdf URL, or arXiv DOI) a line; ``#`` starts a comment; blank lines are skipped."""
    reading = ReadingList(display=display)
    for number, raw in enumerate(text.split("\n"), start=1):
        value = raw.split("#", 1)[0].strip()
        if not value:
            continue
        found = arxiv_id_in(value)
        if found is None:
            message = f"{describe(value)} is not an arXiv id, an arXiv URL or an arXiv DOI; skipped"
            reading.problems.append(Problem(display, line=number, message=message))
        else:
            reading.entries.append(Entry(line=number, arxiv_id=found))
    return reading
