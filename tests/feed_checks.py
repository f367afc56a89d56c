"""Independent validity checks for our feeds, without the network and without feedparser.

Atom: a RELAX NG grammar written from RFC 4287's normative schema (tests/schemas/atom.rng),
checked with lxml, plus the RFC's rules that RELAX NG cannot express. RSS 2.0 and OPML 2.0
have no official schema: a structural check of what their specifications require.
Each function returns a list of problems; an empty list means valid.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "atom.rng"
# RFC 3339 date-time (RFC 4287 section 3.3): upper-case T and Z, a time zone always.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
# RFC 822 date as RSS 2.0 uses it (four-digit years allowed, as the RSS Advisory Board recommends).
RFC822 = re.compile(
    r"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{2,4} \d{2}:\d{2}(:\d{2})? ([+-]\d{4}|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[A-IK-Z])"
)
RSS_CHANNEL = {
    "title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate",
    "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput",
    "skipHours", "skipDays", "item",
}
RSS_ITEM = {"title", "link", "description", "author", "category", "comments", "enclosure", "guid", "pubDate", "source"}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+")

_schema: etree.RelaxNG | None = None


def atom_schema() -> etree.RelaxNG:
    global _schema
    if _schema is None:
        _schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    return _schema


def is_absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return bool(parts.scheme) and (parts.scheme not in ("http", "https") or bool(parts.netloc))


def atom_problems(data: bytes) -> list[str]:
    """RFC 4287: the grammar, then the rules the RFC states in prose."""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    problems = _relax_ng(root)
    if root.tag != f"{A}feed":
        return problems or ["the root element is not atom:feed"]
    entries = root.findall(f"{A}entry")
    if not root.findall(f"{A}author") and not all(entry.findall(f"{A}author") for entry in entries):
        problems.append("atom:feed has no atom:author and not every entry has one (RFC 4287 4.1.1)")
    for element in (root, *entries):
        where = "feed" if element is root else f"entry {element.findtext(f'{A}id')!r}"
        problems.extend(_element_rules(element, where))
    ids = [entry.findtext(f"{A}id") for entry in entries]
    if len(ids) != len(set(ids)):
        problems.append("two entries share an atom:id")
    return problems


def _relax_ng(root: etree._Element) -> list[str]:
    # libxml2 does not check everything inside a feed's interleave followed by entries (an
    # entry without a title passed), so the feed's own elements and each entry are validated
    # as separate documents: the grammar's start allows both atom:feed and atom:entry.
    schema = atom_schema()
    parts = [root]
    if root.tag == f"{A}feed":
        head = copy.deepcopy(root)
        for entry in head.findall(f"{A}entry"):
            head.remove(entry)
        parts = [head, *(copy.deepcopy(entry) for entry in root.findall(f"{A}entry"))]
    problems = []
    for part in [root, *parts]:
        if not schema.validate(etree.ElementTree(part)):
            problems.extend(f"RELAX NG: {error.message} (line {error.line})" for error in schema.error_log)
    return problems


def _element_rules(element: etree._Element, where: str) -> list[str]:
    problems = []
    for name in ("updated", "published"):
        for date in element.findall(f"{A}{name}"):
            if not RFC3339.fullmatch(date.text or ""):
                problems.append(f"{where}: atom:{name} {date.text!r} is not an RFC 3339 date-time")
    ident = element.findtext(f"{A}id")
    if not is_absolute(ident):
        problems.append(f"{where}: atom:id {ident!r} is not an absolute IRI")
    links = element.findall(f"{A}link")
    for link in links:
        if not is_absolute(link.get("href")):
            problems.append(f"{where}: link {link.get('href')!r} is not absolute")
    alternates = [
        (link.get("type"), link.get("hreflang")) for link in links if link.get("rel", "alternate") == "alternate"
    ]
    if len(alternates) != len(set(alternates)):
        problems.append(f"{where}: two alternate links with one type and hreflang (RFC 4287 4.1.1)")
    if element.tag == f"{A}entry" and element.find(f"{A}content") is None and not alternates:
        problems.append(f"{where}: no atom:content and no alternate link (RFC 4287 4.1.2)")
    return problems


def rss_problems(data: bytes) -> list[str]:
    """RSS 2.0 (RSS Advisory Board specification): required elements, known elements, formats."""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    if root.tag != "rss" or root.get("version") != "2.0":
        return ["the root element is not <rss version=\"2.0\">"]
    channels = root.findall("channel")
    if len(channels) != 1 or len(root) != 1:
        return ["<rss> must hold exactly one <channel> and nothing else"]
    channel = channels[0]
    problems = _rss_children(channel, "channel", RSS_CHANNEL, ("title", "link", "description"))
    for name in ("pubDate", "lastBuildDate"):
        problems.extend(_rss_date(channel, name, "channel"))
    if not is_absolute(channel.findtext("link")):
        problems.append("channel: <link> is not an absolute URL")
    guids = []
    for number, item in enumerate(channel.findall("item"), 1):
        where = f"item {number}"
        problems.extend(_rss_children(item, where, RSS_ITEM, ()))
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{where}: needs a <title> or a <description>")
        problems.extend(_rss_date(item, "pubDate", where))
        if item.find("link") is not None and not is_absolute(item.findtext("link")):
            problems.append(f"{where}: <link> is not an absolute URL")
        for author in item.findall("author"):
            if not EMAIL.search(author.text or ""):
                problems.append(f"{where}: <author> must be an e-mail address, not {author.text!r}")
        for guid in item.findall("guid"):
            if guid.get("isPermaLink", "true") not in ("true", "false"):
                problems.append(f"{where}: <guid isPermaLink> must be true or false")
            if guid.get("isPermaLink", "true") == "true" and not is_absolute(guid.text):
                problems.append(f"{where}: a permalink <guid> must be a URL")
            guids.append(guid.text)
    if len(guids) != len(set(guids)):
        problems.append("two items share a <guid>")
    return problems


def _rss_children(element: etree._Element, where: str, known: set[str], required: tuple[str, ...]) -> list[str]:
    problems = []
    names = [child.tag for child in element if isinstance(child.tag, str)]
    for name in required:
        if names.count(name) != 1:
            problems.append(f"{where}: needs exactly one <{name}>, has {names.count(name)}")
    for name in names:
        if not name.startswith("{") and name not in known:
            problems.append(f"{where}: <{name}> is not an RSS 2.0 element (extensions need a namespace)")
    for name in ("title", "link", "description", "pubDate", "guid", "language", "lastBuildDate"):
        if name in known and names.count(name) > 1:
            problems.append(f"{where}: more than one <{name}>")
    return problems


def _rss_date(element: etree._Element, name: str, where: str) -> list[str]:
    value = element.findtext(name)
    if value is not None and not RFC822.fullmatch(value):
        return [f"{where}: <{name}> {value!r} is not an RFC 822 date"]
    return []


def opml_problems(data: bytes) -> list[str]:
    """OPML 2.0: <opml version="2.0"> with <head> and a <body> of outlines; feed outlines need xmlUrl."""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    if root.tag != "opml" or root.get("version") != "2.0":
        return ['the root element is not <opml version="2.0">']
    if [child.tag for child in root] != ["head", "body"]:
        return ["<opml> must hold <head> then <body>"]
    problems = []
    outlines = list(root.iter("outline"))
    if not outlines:
        problems.append("<body> has no <outline>")
    for outline in outlines:
        if not outline.get("text"):
            problems.append("an <outline> has no text attribute")
        if outline.get("type") == "rss" and not is_absolute(outline.get("xmlUrl")):
            problems.append(f"outline {outline.get('text')!r}: xmlUrl is missing or not absolute")
    return problems
