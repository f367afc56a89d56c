"""Atom and RSS feeds (feedgen) for the whole digest and for each topic, plus an OPML list."""

from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence

from feedgen.feed import FeedGenerator

from generator.render import Archive, newest_first
from generator.topics import Topic

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def feed_files(slug: str | None) -> tuple[str, str]:
    """Atom and RSS file names, at the site root (Material looks for sitemap.xml beside them)."""
    return ("atom.xml", "rss.xml") if slug is None else (f"{slug}.atom.xml", f"{slug}.rss.xml")


def issue_datetime(date: dt.date) -> dt.datetime:
    """Entry dates come from the data (the issue date at midnight UTC), never from the clock."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)


def write_feeds(archive: Archive) -> dict[str, bytes]:
    """Every feed and the OPML file as ``{file name: bytes}``."""
    files: dict[str, bytes] = {}
    members = _members(archive)
    everything = newest_first(list(archive.papers.values()))
    files.update(_feed_pair(archive, None, everything))
    for topic in archive.topics_by_slug.values():
        if members[topic.slug]:
            files.update(_feed_pair(archive, topic, members[topic.slug]))
    files["feeds.opml"] = opml(archive, [t for t in archive.topics_by_slug.values() if members[t.slug]])
    return files


def _members(archive: Archive) -> dict[str, list]:
    members: dict[str, list] = {slug: [] for slug in archive.topics_by_slug}
    for paper in archive.papers.values():
        for match in paper.topics:
            members[match.slug].append(paper)
    return {slug: newest_first(papers) for slug, papers in members.items()}


def _feed_pair(archive: Archive, topic: Topic | None, papers: Sequence) -> dict[str, bytes]:
    atom_name, rss_name = feed_files(topic.slug if topic else None)
    site = archive.site
    limit = archive.config.feeds.limit
    atom = _generator(archive, topic, papers[:limit], self_url=site.url + atom_name)
    rss = _generator(archive, topic, papers[:limit], self_url=site.url + rss_name)
    return {atom_name: atom.atom_str(pretty=True), rss_name: rss.rss_str(pretty=True)}


def _generator(archive: Archive, topic: Topic | None, papers: Sequence, self_url: str) -> FeedGenerator:
    site = archive.site
    prefix = archive.config.feeds.id_prefix
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(f"{prefix}feed/{topic.slug if topic else 'all'}")
    feed.title(f"{site.name}: {topic.name}" if topic else site.name)
    page = f"topics/{topic.slug}/" if topic else ""
    feed.link(href=site.url + page, rel="alternate")
    feed.link(href=self_url, rel="self")
    description = (topic.description if topic else site.description) or f"New papers in {site.name}"
    feed.subtitle(description)
    feed.language("en")
    feed.generator("Paper Digest")
    newest = issue_datetime(papers[0].added) if papers else EPOCH
    feed.updated(newest)
    feed.lastBuildDate(newest)
    for paper in papers:
        _add_entry(feed, archive, paper)
    return feed


def _add_entry(feed: FeedGenerator, archive: Archive, paper) -> None:
    site = archive.site
    entry = feed.add_entry(order="append")
    entry.id(f"{archive.config.feeds.id_prefix}paper/{paper.id}")
    entry.guid(f"{archive.config.feeds.id_prefix}paper/{paper.id}", permalink=False)
    entry.title(paper.title)
    entry.link(href=f"{site.url}papers/{paper.id}/", rel="alternate")
    when = issue_datetime(paper.added)
    entry.published(when)
    entry.updated(when)
    for name in paper.authors:
        entry.author({"name": name})
        entry.dc.dc_creator(name)
    for match in paper.topics:
        topic = archive.topics_by_slug[match.slug]
        entry.category(term=topic.slug, label=topic.name, scheme=f"{site.url}topics/")
    entry.content(entry_html(archive, paper), type="html")


def entry_html(archive: Archive, paper) -> str:
    """The abstract as escaped HTML, with absolute links to the paper page, arXiv and PDF."""
    site = archive.site
    links = [(f"{site.url}papers/{paper.id}/", "Paper page")]
    if paper.arxiv_id:
        links.append((f"https://arxiv.org/abs/{paper.arxiv_id}", "arXiv"))
        links.append((paper.pdf or f"https://arxiv.org/pdf/{paper.arxiv_id}", "PDF"))
    elif paper.url:
        links.append((paper.url, "Paper"))
    if paper.pdf and not paper.arxiv_id:
        links.append((paper.pdf, "PDF"))
    if paper.code:
        links.append((paper.code, "Code"))
    anchors = " · ".join(f'<a href="{html.escape(href)}">{label}</a>' for href, label in links)
    authors = f"<p>{html.escape(', '.join(paper.authors))}</p>" if paper.authors else ""
    return f"{authors}<p>{html.escape(paper.abstract)}</p><p>{anchors}</p>"


def opml(archive: Archive, topics: Sequence[Topic]) -> bytes:
    """OPML 2.0 listing every Atom feed, so a reader imports all topics in one step."""
    site = archive.site
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = f"{site.name} feeds"
    body = ElementTree.SubElement(root, "body")
    entries = [(site.name, None), *((f"{site.name}: {t.name}", t.slug) for t in topics)]
    for title, slug in entries:
        atom_name, _ = feed_files(slug)
        page = f"topics/{slug}/" if slug else ""
        ElementTree.SubElement(
            body, "outline", type="rss", text=title, title=title, xmlUrl=site.url + atom_name, htmlUrl=site.url + page
        )
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
