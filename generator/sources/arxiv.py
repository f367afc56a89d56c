"""arXiv's feeds: API responses (``export.arxiv.org/api/query``, Atom with arXiv extensions) and its daily
announcement feeds (``rss.arxiv.org/rss/cs.LG`` in RSS 2.0, ``rss.arxiv.org/atom/cs.LG`` in Atom)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from generator.errors import Problem
from generator.model import Paper, normalize_arxiv_id, paper_id
from generator.sources.common import UNSET_DATE, ReadResult, day_of, describe, flatten, http_link, split_names

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
NAMESPACES = {"atom": ATOM, "arxiv": ARXIV, "opensearch": OPENSEARCH, "dc": DUBLIN_CORE}
# arXiv's OAI-PMH interface (export.arxiv.org/oai2, what arXiv asks bulk harvesters to use): ListRecords and
# GetRecord answers, in its metadata formats ``arXiv`` (authors as name parts, with affiliations) and ``arXivRaw``
# (authors as one text, every version's date).
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_FORMATS = {"http://arxiv.org/OAI/arXiv/": "arXiv", "http://arxiv.org/OAI/arXivRaw/": "arXivRaw"}
# The announcement feeds start each abstract with "arXiv:2607.30001v1 Announce Type: new Abstract: ".
# An arXiv category (cs.LG, hep-th, cond-mat.stat-mech, q-bio.NC). arXiv's API lists a paper's MSC and ACM classes
# among its categories too (35R11, 68T05, I.2.7): no arXiv categories, and no page calls them so.
ARXIV_CATEGORY = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?")
ANNOUNCEMENT = re.compile(r"^arXiv:\S+\s+Announce Type:\s*[\w-]+\s*(?:Abstract:\s*)?", re.IGNORECASE)
# Announced replacements are new versions of papers announced before: no news for a digest, left out.
REPLACED = frozenset({"replace", "replace-cross"})
# What Chrome and Firefox show above a feed they display as a tree: a copy of that view is no feed.
BROWSER_VIEW = "This XML file does not appear to have any style information"
# arXiv reports a bad query as a feed with one entry whose id points here.
ERROR_ID = "arxiv.org/api/errors"


class ArxivFeedError(Exception):
    """The response is not a usable arXiv feed; the message says why."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def parse_feed(data: bytes, rss: bool = False, oai: bool = False) -> ElementTree.Element:
    """Parse an Atom feed (or with ``rss`` an RSS 2.0 one, with ``oai`` an OAI-PMH answer) safely: entity
    declarations (billion-laughs, external entities) are refused."""
    if not data.strip():
        raise ArxivFeedError("empty response, not an Atom feed")
    try:
        root: ElementTree.Element = SafeElementTree.fromstring(_declaration_first(data))
    except defusedxml.DefusedXmlException as error:
        raise ArxivFeedError(f"refused: the XML declares entities ({type(error).__name__}); never expanded") from None
    # defusedxml 0.7.0 raises the ParseError of its own copy of ElementTree, another class than the standard one.
    except (ElementTree.ParseError, SafeElementTree.ParseError) as error:
        text = data[:200].decode("utf-8", errors="replace").lstrip("\ufeff").strip()
        if text.startswith(BROWSER_VIEW):
            raise ArxivFeedError("a copy of the browser's view of the feed, not the feed: save the page itself"
                                 " (Save Page As) or use 'digest fetch arxiv'") from None
        if not text.startswith("<"):
            # arXiv answers with plain text when it throttles ("Rate exceeded.").
            raise ArxivFeedError(f"not XML: {describe(text[:80])}") from None
        raise ArxivFeedError(f"invalid XML: {error.msg}", line=error.position[0]) from None
    oai_pmh = oai and root.tag == f"{{{OAI}}}OAI-PMH"
    if root.tag != f"{{{ATOM}}}feed" and not (rss and root.tag == "rss") and not oai_pmh:
        raise ArxivFeedError(f"not an Atom{' or RSS' if rss else ''} feed{' or OAI-PMH answer' if oai else ''}"
                             f" (root element {root.tag!r})")
    return root


def _declaration_first(data: bytes) -> bytes:
    """The feed with white space before its ``<?xml ...?>`` declaration (a blank line an editor saved above a pasted
    response, after a UTF-8 byte-order mark or not) moved after it: the parser refuses a declaration anywhere but at
    the start, and so refused the whole feed. Every line keeps its number."""
    start = data.removeprefix(b"\xef\xbb\xbf")
    body = start.lstrip(b" \t\r\n")
    end = body.find(b"?>") if len(body) < len(start) and body.startswith(b"<?xml") else -1
    if end == -1:
        return data
    return body[: end + 2] + b"\n" * start[: len(start) - len(body)].count(b"\n") + body[end + 2 :]


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
        root = parse_feed(data, rss=True, oai=True)
    except ArxivFeedError as error:
        result.problems.append(Problem(display, line=error.line, message=str(error)))
        return result
    if root.tag == "rss":
        return read_rss(root, display, result)
    if root.tag == f"{{{OAI}}}OAI-PMH":
        return read_oai(root, display, result)
    message = feed_error(root)
    if message is not None:
        result.problems.append(Problem(display, message=f"the arXiv API answered with an error: {message}"))
        return result
    entries = root.findall("atom:entry", NAMESPACES)
    if not entries:
        total = total_results(root)
        matched = "the query matched nothing" if total is not None else "the feed is empty"
        result.problems.append(Problem(display, message=f"no entries: {matched} (totalResults {total})"))
    for number, entry in enumerate(entries, start=1):
        if replaced(entry):
            continue
        paper = read_entry(entry, display, number, result.problems)
        if paper is not None:
            result.papers.append(paper)
    if any(_announced(entry, "arxiv:announce_type") for entry in entries):  # an announcement feed: its day
        result.date_hint = day_of(root.findtext("atom:updated", "", NAMESPACES))
    return result


def read_rss(root: ElementTree.Element, display: str, result: ReadResult) -> ReadResult:
    """arXiv's RSS 2.0 announcement feed: one ``<item>`` per new (or cross-listed) paper."""
    channel = root.find("channel")
    items = channel.findall("item") if channel is not None else []
    if not items:
        result.problems.append(Problem(display, message="no items: the feed is empty"))
    for number, item in enumerate(items, start=1):
        if replaced(item):
            continue
        paper = read_rss_item(item, display, number, result.problems)
        if paper is not None:
            result.papers.append(paper)
    result.date_hint = announcement_day(root)
    return result


def announcement_day(root: ElementTree.Element) -> dt.date | None:
    """The day of an RSS announcement feed (its channel's ``pubDate``, else ``lastBuildDate``)."""
    channel = root.find("channel")
    if channel is None:
        return None
    return day_of(channel.findtext("pubDate") or channel.findtext("lastBuildDate") or "")


def read_rss_item(item: ElementTree.Element, display: str, number: int, problems: list[Problem]) -> Paper | None:
    """One RSS ``<item>``; None (with a problem) when it has no arXiv id or no title."""

    def report(message: str) -> None:
        problems.append(Problem(display, item=number, message=message))

    link = http_link((item.findtext("link") or "").strip())
    guid = (item.findtext("guid") or "").strip()
    arxiv_id = rss_item_arxiv_id(item)
    if arxiv_id is None:
        report(f"no arXiv id in 'guid' {describe(guid)} or 'link' {describe(link or '')}; skipped")
        return None
    title = flatten(item.findtext("title") or "")
    if not title:
        report("missing or empty 'title'; skipped")
        return None
    abstract = ANNOUNCEMENT.sub("", flatten(item.findtext("description") or ""))
    if not abstract:
        report("missing or empty 'description'")
    creators = " ".join(flatten(c.text or "") for c in item.findall("dc:creator", NAMESPACES))
    authors = tuple(split_names(creators))
    categories = [flatten(c.text or "") for c in item.findall("category")]
    return arxiv_paper(display, number, title, arxiv_id, abstract, categories, link, authors=authors)


def arxiv_paper(
    display: str, number: int, title: str, arxiv_id: str, abstract: str, categories: Iterable[str],
    url: str | None = None, **fields: Any,
) -> Paper:
    """A paper of an arXiv answer (the API's feed, an announcement feed, an OAI-PMH record), item ``number`` of
    ``display``: its categories those of arXiv's (not the MSC or ACM classes listed among them), its link the one the
    answer gives, else arXiv's abstract page."""
    return Paper(
        id=paper_id(title, arxiv_id),
        title=title,
        abstract=abstract,
        added=UNSET_DATE,
        source=f"{display}: item {number}",
        arxiv_id=arxiv_id,
        url=url or f"https://arxiv.org/abs/{arxiv_id}",
        categories=tuple(dict.fromkeys(c for c in categories if ARXIV_CATEGORY.fullmatch(c))),
        **fields,
    )


def rss_item_arxiv_id(item: ElementTree.Element) -> str | None:
    """The arXiv id of an RSS ``<item>``: from its ``guid`` (``oai:arXiv.org:2607.30001v1``), else its link."""
    return normalize_arxiv_id((item.findtext("guid") or "").strip()) or normalize_arxiv_id(
        (item.findtext("link") or "").strip())


def replaced(element: ElementTree.Element) -> bool:
    """Whether an announcement feed's item or entry is a replacement (a new version of an announced paper)."""
    return _announced(element, "arxiv:announce_type") in REPLACED


def _announced(element: ElementTree.Element, name: str) -> str:
    return (element.findtext(name, "", NAMESPACES) or "").strip().casefold()


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
    abstract = ANNOUNCEMENT.sub("", flatten(entry.findtext("atom:summary", "", NAMESPACES)))
    if not abstract:
        report("missing or empty 'summary'")
    authors, affiliations = _authors(entry)
    links = _links(entry)
    primary = entry.find("arxiv:primary_category", NAMESPACES)
    categories = [c.get("term", "").strip() for c in entry.findall("atom:category", NAMESPACES)]
    if primary is not None and primary.get("term"):
        categories.insert(0, primary.get("term", "").strip())
    return arxiv_paper(
        display, number, title, arxiv_id, abstract, categories, links.get("alternate"),
        authors=authors,
        pdf=links.get("pdf"),
        published=_date(entry, "atom:published", report),
        updated=_date(entry, "atom:updated", report),
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


def read_oai(root: ElementTree.Element, display: str, result: ReadResult) -> ReadResult:
    """An OAI-PMH answer of arXiv's (ListRecords, GetRecord): a paper per ``<record>`` in its ``arXiv`` or ``arXivRaw``
    format. Deleted records (a header with ``status="deleted"``) are no papers; an OAI-PMH error is reported."""
    error = root.find(f"{{{OAI}}}error")
    if error is not None:
        code, text = error.get("code", ""), flatten(error.text or "")
        result.problems.append(Problem(display, message=f"the OAI-PMH answer is an error: {code}: {text}".rstrip(": ")))
        return result
    records = root.findall(f"./*/{{{OAI}}}record")
    if not records:
        result.problems.append(Problem(display, message="no records: the OAI-PMH answer is empty"))
    for number, record in enumerate(records, start=1):
        header = record.find(f"{{{OAI}}}header")
        if header is not None and header.get("status") == "deleted":
            continue
        holder = record.find(f"{{{OAI}}}metadata")
        metadata = holder[0] if holder is not None and len(holder) else None
        namespace = metadata.tag[1:].partition("}")[0] if metadata is not None else ""
        if metadata is None or namespace not in OAI_FORMATS:
            shown = describe(metadata.tag) if metadata is not None else "none"
            result.problems.append(Problem(display, item=number, message=(
                f"record metadata {shown} is not arXiv's 'arXiv' or 'arXivRaw' format (harvest with"
                " metadataPrefix=arXiv); skipped")))
            continue
        paper = read_oai_record(metadata, namespace, display, number, result.problems)
        if paper is not None:
            result.papers.append(paper)
    return result


def read_oai_record(metadata: ElementTree.Element, namespace: str, display: str, number: int,
                    problems: list[Problem]) -> Paper | None:
    """One record's ``<arXiv>`` or ``<arXivRaw>`` metadata; None (with a problem) without an arXiv id or a title."""

    def text(name: str) -> str:
        return flatten(metadata.findtext(f"{{{namespace}}}{name}", ""))

    def report(message: str) -> None:
        problems.append(Problem(display, item=number, message=message))

    arxiv_id = normalize_arxiv_id(text("id"))
    if arxiv_id is None:
        report(f"'id' {describe(text('id'))} is not an arXiv id; skipped")
        return None
    title = text("title")
    if not title:
        report("missing or empty 'title'; skipped")
        return None
    abstract = text("abstract")
    if not abstract:
        report("missing or empty 'abstract'")
    affiliations: list[str] = []
    if OAI_FORMATS[namespace] == "arXiv":  # <author><keyname>Luo</keyname><forenames>Hongyin</forenames>...
        names = []
        for author in metadata.findall(f"{{{namespace}}}authors/{{{namespace}}}author"):
            parts = [flatten(author.findtext(f"{{{namespace}}}{part}", "")) for part in ("forenames", "keyname")]
            name = " ".join(part for part in [*parts, flatten(author.findtext(f"{{{namespace}}}suffix", ""))] if part)
            if name:
                names.append(name)
            for affiliation in author.findall(f"{{{namespace}}}affiliation"):
                place = flatten(affiliation.text or "")
                if place and place not in affiliations:
                    affiliations.append(place)
        authors = tuple(names)
        published = day_of(text("created"))
        updated = day_of(text("updated")) or published  # a paper of one version has no <updated>
    else:  # arXivRaw: "A, B and C", and <version version="v1"><date>Mon, 2 Apr 2007 19:18:42 GMT</date>...
        authors = tuple(split_names(text("authors")))
        days = [day_of(flatten(version.findtext(f"{{{namespace}}}date", "")))
                for version in metadata.findall(f"{{{namespace}}}version")]
        published, updated = (days[0], days[-1]) if days else (None, None)
    categories = text("categories").split()
    return arxiv_paper(
        display, number, title, arxiv_id, abstract, categories,
        authors=authors,
        published=published,
        updated=updated,
        comment=text("comments") or None,
        journal_ref=text("journal-ref") or None,
        doi=text("doi") or None,
        affiliations=tuple(affiliations),
    )
