"""The reading list of ``picks:``: a BibTeX export (Zotero, Mendeley, JabRef) or a plain list of arXiv ids.

Its titles and abstracts are untrusted text, like the paper lists': they are kept as written and
escaped where they are shown. An entry that cannot be read is reported with its file and line and
skipped; the others are kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from generator import latex_text, mathml
from generator.errors import ConfigError, Problem
from generator.model import arxiv_year_month, title_key
from generator.sources.bibtex import arxiv_id_in, read_bibtex
from generator.sources.common import describe, from_utf16, from_windows_1252

# Links to a paper as people share them, beyond what a paper list's id reader takes (whose ids name published pages,
# so they stay as they are): arXiv's abs, pdf and html pages with a query or fragment (?context=cs), www.arxiv.org,
# and Hugging Face's page of a paper.
PAPER_PAGE = re.compile(
    r"^(?:https?://)?(?:(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)|(?:www\.)?huggingface\.co/papers)/([^?#]+)",
    re.IGNORECASE)
# "arXiv preprint arXiv:1706.03762", as Google Scholar's BibTeX writes an arXiv paper's ``journal`` (the id is
# then checked as any other: ``arxiv_id_in``).
ARXIV_MENTION = re.compile(r"\barXiv\s*:\s*([\w./-]+?)[.,;)]*(?:\s|$)", re.IGNORECASE)


# What people write around an id in a list of them: quotes, brackets (``[2006.11239]``, ``<https://...>`` as a mail
# or Markdown has a link), a comma or semicolon after it (a column pasted from a spreadsheet, a Python list), and
# the "doi:" that starts a DOI as it is cited (``doi:10.48550/arXiv.2006.11239``).
AROUND_ID = re.compile(r"^[\s\"'`<\[(]*(?:doi:\s*)?(.*?)[\s\"'`>\]),;]*$", re.IGNORECASE | re.DOTALL)
# Several ids a line: separated by commas, semicolons or spaces.
BETWEEN_IDS = re.compile(r"[\s,;]+")
# A reading list kept as a Markdown or plain list: an item's bullet or number ("- ", "* ", "+ ", "1. ", "2) "), and a
# task list's box ("- [ ] ", "- [x] "), before its id or link.
LIST_ITEM = re.compile(r"^(?:[-*+\u2022]|\d{1,6}[.)])\s+(?:\[[ xX]\]\s+)?")
# A Markdown link as the whole item ("[Step-Audio 2](https://arxiv.org/abs/2507.16632)"): the id is in its target.
MARKDOWN_LINK = re.compile(r"^\[[^\n]*\]\(\s*<?([^\s()<>]+)>?\s*\)$")


# What reference managers export besides BibTeX: read as a list of ids, each of its lines was "not an arXiv id".
OTHER_EXPORTS = (
    (re.compile(r"[A-Z][A-Z0-9]  -( |$)"), "a RIS export (TY  - ...)"),
    # An array of objects or an object ("[", "[{", '{"id": ...'), as CSL JSON starts: not a bracketed id
    # ("[2006.11239]") or a list of ids written as Python or JSON ('["2006.11239", ...]').
    (re.compile(r"(?:\[\s*(?:\{|$)|\{\s*(?:\"|$))"), "JSON (a CSL JSON export?)"),
    (re.compile(r"<(\?xml|rdf:|xml>|records>|mods)", re.IGNORECASE), "XML (Zotero RDF, EndNote XML or MODS?)"),
)


def reading_list_id(value: str | None) -> str | None:
    """The arXiv id of a reading list's entry: an id, arXiv URL or DOI as paper lists take them, a shared link (a query
    or fragment, Hugging Face's page), or an "arXiv:ID" mention; else None."""
    if not value:
        return None
    found = arxiv_id_in(value)
    if found is None and (page := PAPER_PAGE.match(value.strip())):
        found = arxiv_id_in(page.group(1).rstrip("/").removesuffix(".pdf"))
    if found is None and (mention := ARXIV_MENTION.search(value)):
        found = arxiv_id_in(mention.group(1))
    return found


def impossible_id(arxiv_id: str) -> str | None:
    """Why ``arxiv_id`` names no paper arXiv can have (a mistyped id: a digit lost or added, a month 13), or None.
    New-style ids began in April 2007 with four digits after the dot, five from January 2015 on."""
    year, month = arxiv_year_month(arxiv_id)
    if year is None or month is None:
        return "its YYMM is no month"
    if "/" in arxiv_id:
        return None
    digits = len(arxiv_id.split(".", 1)[1])
    if (year, month) < (2007, 4):
        return "ids like it began in April 2007, with 0704"
    if digits != (4 if year < 2015 else 5):
        return f"ids of {year} have {4 if year < 2015 else 5} digits after the dot, not {digits}"
    return None


def same_title_key(title: str) -> str:
    """A title as the reading list's and the archive's are compared: as the pages show it (its LaTeX decoded: an
    arXiv title's ``Schr\\"odinger``, the export's "Schrödinger"; its formulas as the characters they show: arXiv's
    ``$\\gamma$-MoD`` is Hugging Face's "γ-MoD", ``$\\pi_0$`` "π0", ``R$^2$`` "R²"), then case, accents and
    punctuation aside."""
    shown = "".join(segment.text if segment.formula is None else _shown(segment.formula)
                    for segment in mathml.split(latex_text.plain(title), inline=True))
    decomposed = unicodedata.normalize("NFKD", shown)
    return title_key("".join(character for character in decomposed if not unicodedata.combining(character)))


def _shown(node: mathml.Node) -> str:
    """The characters a formula shows, in order (its MathML's text)."""
    return node.text + "".join(_shown(child) + child.tail for child in node.children)


@dataclass(frozen=True)
class Entry:
    """One paper of the reading list: its text when the file gives it, its arXiv id when it has one."""

    line: int
    title: str = ""
    abstract: str = ""
    arxiv_id: str | None = None

    @property
    def title_key(self) -> str:
        return same_title_key(self.title) if self.title else ""


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
    data = from_windows_1252(from_utf16(data, display, problems))
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = (line.strip() for line in text.splitlines())
    first = next((line for line in lines if line and not line.startswith(("#", "%"))), "")
    if path.suffix.lower() == ".bib" or first.startswith("@"):
        reading = _read_bibtex(data, display)
    elif kind := next((kind for pattern, kind in OTHER_EXPORTS if pattern.match(first)), None):
        message = (f"this is {kind}, not BibTeX or a list of arXiv ids: nothing read; export the library as BibTeX"
                   " (README, \"Picks from a reading list\")")
        reading = ReadingList(problems=[Problem(display, message=message)], display=display)
    else:
        reading = _read_ids(text, display)
    reading.problems[:0] = problems
    return reading


def _read_bibtex(data: bytes, display: str) -> ReadingList:
    result = read_bibtex(data, display, reading_list=True)  # an entry saved by its arXiv id alone is read as such
    reading = ReadingList(problems=list(result.problems), display=display)
    for paper in result.papers:
        line = int(paper.source.rsplit(":", 1)[1])
        arxiv_id = paper.arxiv_id or reading_list_id(paper.url) or reading_list_id(paper.journal_ref)
        reading.entries.append(Entry(line=line, title=paper.title, abstract=paper.abstract, arxiv_id=arxiv_id))
    return reading


def _read_ids(text: str, display: str) -> ReadingList:
    """One arXiv id (or arXiv or Hugging Face URL, or arXiv DOI) a line; ``#`` after a space starts a comment (a URL's
    own fragment does not); blank lines are skipped. A list item's bullet or number and a Markdown link's text
    around the id are not part of it."""
    reading = ReadingList(display=display)
    for number, raw in enumerate(text.split("\n"), start=1):
        value = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        if not value:
            continue
        written, value = value, LIST_ITEM.sub("", value, count=1)
        if link := MARKDOWN_LINK.match(value):
            value = link.group(1)
        found = [reading_list_id(_unwrapped(value))]
        if found[0] is None and len(parts := [part for part in BETWEEN_IDS.split(value) if part]) > 1:
            found = [reading_list_id(_unwrapped(part)) for part in parts]  # "2006.11239, 2303.04137"
        if None in found:
            message = f"{describe(written)} is not an arXiv id, an arXiv or Hugging Face URL or an arXiv DOI; skipped"
            reading.problems.append(Problem(display, line=number, message=message))
        elif wrong := next(((arxiv_id, why) for arxiv_id in found if arxiv_id and (why := impossible_id(arxiv_id))),
                           None):  # a mistyped id was "not in the archive (yet)" at every build, waiting for ever
            named = describe(written) if written == wrong[0] else f"{describe(written)}: {wrong[0]}"
            message = f"{named} cannot be an arXiv id ({wrong[1]}); skipped"
            reading.problems.append(Problem(display, line=number, message=message))
        else:
            reading.entries.extend(Entry(line=number, arxiv_id=arxiv_id) for arxiv_id in found)
    return reading


def _unwrapped(value: str) -> str:
    """An id or link without the quotes, brackets, trailing comma or "doi:" written around it (``AROUND_ID``)."""
    found = AROUND_ID.match(value)
    return found.group(1) if found else value
