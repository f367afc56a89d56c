"""arXiv API responses (``export.arxiv.org/api/query``): an Atom feed with arXiv extensions."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from generator.errors import Problem
from generator.model import Paper, normalize_arxiv_id, paper_id
from generator.sources.common import UNSET_DATE, ReadResult, describe, flatten, http_link

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NAMESPACES = {"atom": ATOM, "arxiv": ARXIV, "opensearch": OPENSEARCH}
# arXiv reports a bad query as a feed with one entry whose id points here.
ERROR_ID = "arxiv.org/api/errors"


class ArxivFeedError(Exception):
    """The response is not a usable arXiv feed; the message says why."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def parse_feed(data: bytes) -> ElementTree.Element:
    """Parse an Atom feed safely: entity declarations (billion-laughs, external entities) are refused."""
    if not data.strip():
        raise ArxivFeedError("empty response, not an Atom feed")
    try:
        root: ElementTree.Element = SafeElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as error:
        raise ArxivFeedError(f"refused: the XML declares entities ({type(error).__name__}); never expanded") from None
    except ElementTree.ParseError as error:
        text = data[:200].decode("utf-8", errors="replace").strip()
        if not text.startswith("<"):
            # arXiv answers with plain text when it throttles ("Rate exceeded.").
            raise ArxivFeedError(f"not XML: {describe(text[:80])}") from None
        raise ArxivFeedError(f"invalid XML: {error.msg}", line=error.position[0]) from None
    if root.tag != f"{{{ATOM}}}feed":
        raise ArxivFeedError(f"not an Atom feed (root element {root.tag!r})")
    return root


def feed_error(root: ElementTree.Element) -> str | None:
    """arXiv's own error message when the feed is an error feed, else None."""
    for entry in root.findall("atom:entry", NAMESPACES):
        if ERROR_ID in (entry.findtext("atom:id", "", NAMESPACES)):
            return flatten(entry.findtext("atom:summary", "", NAMESPACES)) or "unknown error"
    return None


def total_results(root: ElementTree.Element) -> int | None:
    """``opensearch:totalResults``: how many entries the whole query matched."""
    text = root.findtext("opensearch:totalResults", None, NAMESPACES)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def entry_arxiv_id(entry: ElementTree.Element) -> str | None:
    return normalize_arxiv_id(entry.findtext("atom:id", "", NAMESPACES))


def read_arxiv(data: bytes, display: str) -> ReadResult:
    """Read an arXiv API response; each bad entry is reported by number and the rest kept."""
    result = ReadResult()
    try:
        root = parse_feed(data)
    except ArxivFeedError as error:
        result.problems.append(Problem(display, line=error.line, message=str(error)))
        return result
    message = feed_error(root)
    if message is not None:
        result.problems.append(Problem(display, message=f"the arXiv API answered with an error: {message}"))
        return result
    entries = root.findall("atom:entry", NAMESPACES)
    if not entries:
        total = total_results(root)
        result.problems.append(
            Problem(display, message=f"no entries: the query matched nothing (totalResults {total})")
        )
    for number, entry in enumerate(entries, start=1):
        paper = read_entry(entry, display, number, result.problems)
        if paper is not None:
            result.papers.append(paper)
    return result


def read_entry(entry: ElementTree.Element, display: str, number: int, problems: list[Problem]) -> Paper | None:
    """One ``<entry>``; None (with a problem) when it has no arXiv id or no title."""

    def report(message: str) -> None:
        problems.append(Problem(display, item=number, message=message))

    raw_id = entry.findtext("atom:id", "", NAMESPACES).strip()
    arxiv_id = normalize_arxiv_id(raw_id)
    if arxiv_id is None:
        report(f"'id' {describe(raw_id)} is not an arXiv abstract URL; skipped")
        return None
    title = flatten(entry.findtext("atom:title", "", NAMESPACES))
    if not title:
        report("missing or empty 'title'; skipped")
        return None
    abstract = flatten(entry.findtext("atom:summary", "", NAMESPACES))
    if not abstract:
        report("missing or empty 'summary'")
    authors, affiliations = _authors(entry)
    links = _links(entry)
    primary = entry.find("arxiv:primary_category", NAMESPACES)
    categories = [c.get("term", "").strip() for c in entry.findall("atom:category", NAMESPACES)]
    if primary is not None and primary.get("term"):
        categories.insert(0, primary.get("term", "").strip())
    return Paper(
        id=paper_id(title, arxiv_id),
        title=title,
        abstract=abstract,
        added=UNSET_DATE,
        source=f"{display}: item {number}",
        authors=authors,
        arxiv_id=arxiv_id,
        url=links.get("alternate") or f"https://arxiv.org/abs/{arxiv_id}",
        pdf=links.get("pdf"),
        published=_date(entry, "atom:published", report),
        updated=_date(entry, "atom:updated", report),
        categories=tuple(dict.fromkeys(c for c in categories if c)),
        comment=_optional(entry, "arxiv:comment"),
        journal_ref=_optional(entry, "arxiv:journal_ref"),
        doi=_optional(entry, "arxiv:doi"),
        affiliations=affiliations,
    )


def _authors(entry: ElementTree.Element) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names: list[str] = []
    affiliations: list[str] = []
    for author in entry.findall("atom:author", NAMESPACES):
        name = flatten(author.findtext("atom:name", "", NAMESPACES))
        if name:
            names.append(name)
        for affiliation in author.findall("arxiv:affiliation", NAMESPACES):
            text = flatten(affiliation.text or "")
            if text and text not in affiliations:
                affiliations.append(text)
    return tuple(names), tuple(affiliations)


def _links(entry: ElementTree.Element) -> dict[str, str]:
    links: dict[str, str] = {}
    for link in entry.findall("atom:link", NAMESPACES):
        href = http_link(link.get("href", ""))
        if href is None:
            continue
        if link.get("title") == "pdf":
            links.setdefault("pdf", href)
        elif link.get("rel") == "alternate":
            links.setdefault("alternate", href)
    return links


def _date(entry: ElementTree.Element, name: str, report: Callable[[str], None]) -> dt.date | None:
    text = entry.findtext(name, "", NAMESPACES).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        report(f"'{name.split(':')[1]}' {describe(text)} is not an ISO date; ignored")
        return None


def _optional(entry: ElementTree.Element, name: str) -> str | None:
    return flatten(entry.findtext(name, "", NAMESPACES)) or None
