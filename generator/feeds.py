"""Atom and RSS feeds (feedgen) for the whole digest and for each topic, plus an OPML list.

A feed is a list of ``Entry`` values, made from the data alone: one per paper (``feeds.mode:
papers``) or one per digest issue (``feeds.mode: issues``). Both modes share one renderer, so
ids, dates, links and escaping follow the same rules whatever the mode.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from feedgen.feed import FeedGenerator

from generator import escape, latex_text, picks, top, watch
from generator.counts import count as counted
from generator.errors import BuildError
from generator.model import Issue, Paper, pdf_link
from generator.render import Archive, best_first, shown_groups
from generator.topics import Topic

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
LAST_SECOND = 86399
ATOM = "http://www.w3.org/2005/Atom"
SITE_FEED = "atom.xml"
SITE_FEED_ID = "feed/all"
"""The end of the site feed's id, after ``feeds.id_prefix``."""
# An entry names at most this many authors, then "and N more": a physics collaboration's 3,000 made each of its
# entries 250 KB, and a feed of such papers 17 MB, more than feed readers fetch (Miniflux stops at 15 MB).
FEED_AUTHORS = 20
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One feed entry, whichever mode made it; ``content`` is HTML built from escaped text."""

    id: str
    title: str
    link: str
    published: dt.datetime
    updated: dt.datetime
    content: str
    authors: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()


@dataclass(frozen=True)
class Feed:
    """One feed (the site's or a topic's): what the Atom file, the RSS file and the OPML say of it."""

    slug: str | None
    id: str
    title: str
    page: str
    """Absolute URL of the HTML page the feed follows."""
    subtitle: str

    @property
    def files(self) -> tuple[str, str]:
        return feed_files(self.slug)


def feed_files(slug: str | None) -> tuple[str, str]:
    """Atom and RSS file names, at the site root (Material looks for sitemap.xml beside them)."""
    return (SITE_FEED, "rss.xml") if slug is None else (f"{slug}.atom.xml", f"{slug}.rss.xml")


def issue_datetime(date: dt.date) -> dt.datetime:
    """Entry dates come from the data (the issue date at midnight UTC), never from the clock."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def write_feeds(archive: Archive) -> dict[str, bytes]:
    """Every feed and the OPML file as ``{file name: bytes}``."""
    members = archive.topic_members
    feeds = all_feeds(archive, members)
    files: dict[str, bytes] = {}
    for feed in feeds:
        topic = archive.topics_by_slug[feed.slug] if feed.slug else None
        papers = members[feed.slug] if feed.slug else archive.by_newest
        entries = feed_entries(archive, topic, papers)
        atom_name, rss_name = feed.files
        files[atom_name] = render_feed(archive, feed, entries, rss=False)
        files[rss_name] = render_feed(archive, feed, entries, rss=True)
    for feed, topic in former_feeds(archive, members):  # a renamed topic's old feeds go on, with their old ids
        entries = feed_entries(archive, topic, members[topic.slug], id_slug=feed.slug)
        atom_name, rss_name = feed.files
        files[atom_name] = render_feed(archive, feed, entries, rss=False)
        files[rss_name] = render_feed(archive, feed, entries, rss=True)
    # The issues feed, whatever feeds.mode: one entry a digest issue, for a reader who wants a daily
    # letter (a feed-to-email service pointed at it mails each issue once).
    daily = issues_feed(archive)
    atom_name, rss_name = daily.files
    if atom_name in files:  # a topic slugged "issues" (the taxonomy refuses reserved slugs; never both)
        raise BuildError(f"the topic slug 'issues' is the issues feed's name ({atom_name}): "
                         "give the topic another slug in the taxonomy")
    entries = issue_entries(archive, None, archive.by_newest)[: archive.config.feeds.limit]
    files[atom_name] = render_feed(archive, daily, entries, rss=False)
    files[rss_name] = render_feed(archive, daily, entries, rss=True)
    feeds.insert(1, daily)  # in the OPML after the site feed (and the top and watch feeds, put before it)
    periods = top.top_periods(archive.papers.values(), archive.issues)
    if periods.any_votes:  # a digest whose sources give no upvotes has no top feed (nor a top page)
        weekly = top_feed(archive)
        entries = top_entries(archive, periods)
        atom_name, rss_name = weekly.files
        if atom_name in files:  # a topic slugged "top" (the taxonomy refuses reserved slugs; never both)
            raise BuildError(f"the topic slug '{top.FEED_SLUG}' is the top papers feed's name ({atom_name}): "
                             "give the topic another slug in the taxonomy")
        files[atom_name] = render_feed(archive, weekly, entries, rss=False)
        files[rss_name] = render_feed(archive, weekly, entries, rss=True)
        feeds.insert(1, weekly)  # in the OPML after the site feed
    if archive.config.watch is not None:  # the watch list's feed: only with a watch: setting
        watched = watch_feed(archive)
        entries = watch_entries(archive)
        atom_name, rss_name = watched.files
        if atom_name in files:  # a topic slugged "watch" (the taxonomy refuses reserved slugs; never both)
            raise BuildError(f"the topic slug '{watch.FEED_SLUG}' is the watch list feed's name ({atom_name}): "
                             "give the topic another slug in the taxonomy")
        files[atom_name] = render_feed(archive, watched, entries, rss=False)
        files[rss_name] = render_feed(archive, watched, entries, rss=True)
        feeds.insert(1, watched)  # in the OPML right after the site feed
    if archive.picks is not None:  # the reading list's picks: only with a picks: setting
        picked = picks_feed(archive)
        atom_name, rss_name = picked.files
        if atom_name in files:  # a topic slugged "picks" (the taxonomy refuses reserved slugs; never both)
            raise BuildError(f"the topic slug '{picks.FEED_SLUG}' is the picks feed's name ({atom_name}): "
                             "give the topic another slug in the taxonomy")
        entries = picks_entries(archive)
        files[atom_name] = render_feed(archive, picked, entries, rss=False)
        files[rss_name] = render_feed(archive, picked, entries, rss=True)
        feeds.insert(1, picked)  # in the OPML right after the site feed
    files["feeds.opml"] = opml(archive, feeds)
    return files


def root_feed(archive: Archive, slug: str, name: str, description: str) -> Feed:
    """A feed of its own at the site's root (``<slug>.atom.xml``), its page at ``<slug>/``, its id from the slug."""
    site = archive.site
    return Feed(slug, f"{archive.config.feeds.id_prefix}feed/{slug}", f"{site.name}: {name}", f"{site.url}{slug}/",
                description)


def issues_feed(archive: Archive) -> Feed:
    """The digest's issues, one entry each (``issues.atom.xml``), in every ``feeds.mode``."""
    return root_feed(archive, "issues", "issues",
                     f"One entry per issue of {archive.site.name}, listing its papers by topic")


def all_feeds(archive: Archive, members: dict[str, list[Paper]]) -> list[Feed]:
    """The site feed, then one feed per topic that has papers, in taxonomy order."""
    site, prefix = archive.site, archive.config.feeds.id_prefix
    about = site.description or f"New papers in {site.name}"
    feeds = [Feed(None, f"{prefix}{SITE_FEED_ID}", site.name, site.url, about)]
    for topic in archive.topics_by_slug.values():
        if members[topic.slug]:
            feeds.append(topic_feed(archive, topic, topic.slug))
    return feeds


def former_feeds(archive: Archive, members: dict[str, list[Paper]]) -> list[tuple[Feed, Topic]]:
    """A feed at each slug a topic had before (``formerly`` in the taxonomy), with that slug's feed id: readers
    subscribed under the old name go on getting the topic's papers. Not in the OPML (new readers take the topic's
    own feed)."""
    return [(topic_feed(archive, topic, former), topic) for topic in archive.topics_by_slug.values()
            if members[topic.slug] for former in topic.formerly]


def topic_feed(archive: Archive, topic: Topic, slug: str) -> Feed:
    """A topic's feed at ``<slug>.atom.xml`` (its slug, or one it had before), its id from that slug, its page the
    topic's own. "feed/topic/<slug>", so a topic whose slug is "all" cannot take the site feed's id."""
    site = archive.site
    return Feed(slug, f"{archive.config.feeds.id_prefix}feed/topic/{slug}", f"{site.name}: {topic.name}",
                f"{site.url}topics/{topic.slug}/", topic.description or f"New papers on {topic.name} in {site.name}")


def feed_entries(
    archive: Archive, topic: Topic | None, papers: Sequence[Paper], id_slug: str | None = None
) -> list[Entry]:
    """The newest ``feeds.limit`` entries: papers (whole issues), or digest issues when ``feeds.mode`` is ``issues``
    (their ids name the topic by ``id_slug``, its slug unless told: a former slug's feed keeps its ids)."""
    limit = archive.config.feeds.limit
    if archive.config.feeds.mode == "issues":
        return issue_entries(archive, topic, papers, id_slug)[:limit]
    return [paper_entry(archive, paper) for paper in whole_issues(papers, limit, lambda paper: paper.added)]


def whole_issues(items: Sequence[T], limit: int, date: Callable[[T], dt.date]) -> Sequence[T]:
    """The first ``limit`` of ``items`` (newest issue first), and the others of the last one's issue, up to
    ``WHOLE_ISSUES`` × ``limit`` in all.

    The papers of one issue are equally new: a cut inside an issue would keep those that come first (by
    title) and leave the others out of every version of the feed, as the next issue pushes them down. The
    bound keeps a giant issue (a first import of thousands of papers) from making feeds of tens of MB: the
    build says so (``overfull_issue``).
    """
    end = min(limit, len(items))
    while 0 < end < min(len(items), WHOLE_ISSUES * limit) and date(items[end]) == date(items[end - 1]):
        end += 1
    return items[:end]


# A feed of papers holds whole issues, but never more than this many times ``feeds.limit`` entries.
WHOLE_ISSUES = 4


def overfull_issue(archive: Archive) -> str:
    """A note when the newest issue has more papers than a feed holds (``WHOLE_ISSUES`` × ``feeds.limit``), so that
    some of them are in no version of the site feed; "" otherwise (and in ``issues`` mode)."""
    config = archive.config.feeds
    if config.mode == "issues" or not archive.issues:
        return ""
    newest = archive.issues[0]
    cap = WHOLE_ISSUES * config.limit
    if len(newest.paper_ids) <= cap:
        return ""
    return (f"the issue of {newest.date.isoformat()} has {len(newest.paper_ids):,} papers, more than a feed holds"
            f" ({WHOLE_ISSUES} × feeds.limit, {cap:,}): {len(newest.paper_ids) - cap:,} of them are in no version of"
            " the site feed; raise feeds.limit, or set feeds.mode: issues (one entry an issue); an import of older"
            " papers is better split into files dated by when they appeared (README: Importing a field's history)")


# One entry per paper ------------------------------------------------------------------------


def paper_entry(archive: Archive, paper: Paper) -> Entry:
    """A paper, dated by the issue that first listed it; its id is made from the paper id only: the one versions up to
    0.1.3 gave it (``Paper.feed_id``), while the paper still answers to it, so that readers never see it twice."""
    when = issue_datetime(paper.added)
    entry_id = paper.feed_id if paper.feed_id in paper.aliases else paper.id
    return Entry(
        id=f"{archive.config.feeds.id_prefix}paper/{entry_id}",
        title=latex_text.plain(paper.title),
        link=f"{archive.site.url}papers/{paper.id}/",
        published=when,
        updated=when,
        content=entry_html(archive, paper),
        authors=paper.authors[: shown_authors(paper)],
        topics=tuple(archive.topics_by_slug[match.slug] for match in paper.topics),
    )


def entry_html(archive: Archive, paper: Paper) -> str:
    """The abstract as escaped HTML, with absolute links to the paper page, arXiv and PDF when known.

    The source's own summary, when it gives one, comes first, labelled with who wrote it; its
    counts (upvotes, comments) and organisation follow the abstract.
    """
    shown = shown_authors(paper)
    more = f" and {len(paper.authors) - shown:,} more" if len(paper.authors) > shown else ""
    authors = f"<p>{names_html(paper.authors[:shown])}{more}</p>" if paper.authors else ""
    tldr = ""
    if paper.tldr:
        by = escape.html_text(f"Summary by {paper.summary_source}:")
        tldr = f"<p><em>{by}</em> {escape.html_isolated(escape.html_text(paper.tldr), paper.tldr)}</p>"
    signals = escape.html_text(" · ".join(signal_texts(paper)))
    anchors = " · ".join(escape.html_link(href, label) for href, label in paper_links(archive, paper))
    abstract = latex_text.plain(paper.abstract)
    return (f"{authors}{tldr}<p{escape.direction(abstract)}>{escape.html_text(abstract)}</p>"
            + (f"<p>{signals}</p>" if signals else "") + f"<p>{anchors}</p>")


def shown_authors(paper: Paper) -> int:
    """How many of the paper's authors its entry names: all, up to FEED_AUTHORS and one ("and 1 more" is no shorter)."""
    return FEED_AUTHORS if len(paper.authors) > FEED_AUTHORS + 1 else len(paper.authors)


def names_html(names: Sequence[str]) -> str:
    """Author names, comma-separated, each isolated when written right to left (so each keeps its place)."""
    return ", ".join(escape.html_isolated(escape.html_text(name), name) for name in names)


def title_link(archive: Archive, paper: Paper) -> str:
    """The paper's title linking to its page, isolated when written right to left (what follows stays after it)."""
    title = latex_text.plain(paper.title)
    return escape.html_isolated(escape.html_link(f"{archive.site.url}papers/{paper.id}/", title), title)


def byline(paper: Paper) -> str:
    """The first three authors (then "et al.") as HTML."""
    return names_html(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")


def signal_texts(paper: Paper) -> list[str]:
    """The source's counts and organisation as short texts ("1,234 upvotes", "3 comments", "Google")."""
    texts = [_count(paper.upvotes, "upvote"), _count(paper.comments, "comment"), paper.organization]
    return [text for text in texts if text]


def _count(value: int | None, noun: str) -> str:
    return f"{value:,} {noun}{'' if value == 1 else 's'}" if value else ""


def paper_links(archive: Archive, paper: Paper) -> list[tuple[str, str]]:
    """(URL, label) of the paper's page here and of its copies elsewhere; all absolute."""
    links = [(f"{archive.site.url}papers/{paper.id}/", "Paper page")]
    if paper.arxiv_id:
        links.append((f"https://arxiv.org/abs/{paper.arxiv_id}", "arXiv"))
    elif paper.url:
        links.append((paper.url, "Paper"))
    if pdf := pdf_link(paper):
        links.append((pdf, "PDF"))
    code = f"Code ({_count(paper.stars, 'star')})" if paper.stars else "Code"
    links.extend((href, label) for href, label in ((paper.code, code), (paper.project_page, "Project page")) if href)
    return links


# One entry per digest issue -----------------------------------------------------------------


def issue_entries(
    archive: Archive, topic: Topic | None, papers: Sequence[Paper], id_slug: str | None = None
) -> list[Entry]:
    """One entry per digest issue that listed any of ``papers``, newest issue first.

    An issue whose papers (of the topic) the curation file all hides keeps its entry, listing none: without it a
    reader keeps the entry as it last saw it, the hidden papers listed (a takedown of a topic's one paper of the day,
    or of a whole day's papers, whose issue has no page left).
    """
    wanted = {paper.id for paper in papers}
    entries = []
    for issue in issues_with_hidden(archive):
        listed = best_first([archive.papers[paper_id] for paper_id in issue.paper_ids if paper_id in wanted])
        if listed or archive.hidden_by_issue.get((issue.date, topic.slug if topic else None)):
            entries.append(issue_entry(archive, issue, topic, listed, id_slug))
    return entries


def issues_with_hidden(archive: Archive) -> list[Issue]:
    """The archive's issues and, in date order among them, each day whose every paper the curation file hides (an
    issue of no paper: it has no page)."""
    dates = {issue.date for issue in archive.issues}
    emptied = {date for date, slug in archive.hidden_by_issue if slug is None and date not in dates}
    return sorted([*archive.issues, *(Issue(date) for date in emptied)], key=lambda issue: issue.date, reverse=True)


def issue_entry(
    archive: Archive, issue: Issue, topic: Topic | None, papers: Sequence[Paper], id_slug: str | None = None
) -> Entry:
    """One day's papers (of one topic, or all) as a list; the id names only the date and topic.

    A later build may add papers to an issue (a partial day merged later): the entry keeps its
    id, and its ``updated`` time moves one second further into the day per paper it lists, so
    readers that follow ``updated`` show the longer list. A paper the curation file hides counts
    two seconds (a takedown moves the time on, never back, and so does a takedown and an added
    paper together). That time comes from the data alone.
    """
    date = issue.date.isoformat()
    start = issue_datetime(issue.date)
    count = counted(len(papers), "new paper")
    scope = f" in {topic.name}" if topic else ""
    hidden = archive.hidden_by_issue.get((issue.date, topic.slug if topic else None), 0)
    return Entry(
        id=f"{archive.config.feeds.id_prefix}issue/{date}" + (f"/{id_slug or topic.slug}" if topic else ""),
        title=f"{date}: {count}{scope}",
        link=issue_page(archive, issue),
        published=start,
        updated=start + dt.timedelta(seconds=min(len(papers) + 2 * hidden, LAST_SECOND)),
        content=issue_html(archive, issue, topic, papers, f"{count}{scope} on {date}"),
        topics=(topic,) if topic else topics_of(archive, papers),
    )


def issue_page(archive: Archive, issue: Issue) -> str:
    """The issue's page; the archive's for an issue whose every paper is hidden (it has none)."""
    return f"{archive.site.url}issues/" + (f"{issue.date.isoformat()}/" if issue.paper_ids else "")


def topics_of(archive: Archive, papers: Sequence[Paper]) -> tuple[Topic, ...]:
    """Every topic any of ``papers`` has, in taxonomy order."""
    slugs = {match.slug for paper in papers for match in paper.topics}
    return tuple(topic for slug, topic in archive.topics_by_slug.items() if slug in slugs)


def issue_html(archive: Archive, issue: Issue, topic: Topic | None, papers: Sequence[Paper], summary: str) -> str:
    """The issue's papers as linked titles with authors; the site-wide entry groups them by first topic.

    An entry lists at most ``WHOLE_ISSUES`` × ``feeds.limit`` papers (the site-wide one each topic's first in
    turn), then says how many more the issue page has: a first import of 20,000 papers in one issue made an
    entry, and the issues feed, of 4.9 MB, downloaded at every poll for as long as the issue is in the feed.
    """
    page = issue_page(archive, issue)
    issue_link = escape.html_link(page, "the whole issue" if issue.paper_ids else "every issue")
    intro = f"<p>{escape.html_text(summary)} ({issue_link}).</p>"
    cap = WHOLE_ISSUES * archive.config.feeds.limit
    if topic:
        listed = paper_list(archive, papers[:cap]) if papers else ""  # a day whose papers of the topic are all hidden
        return intro + listed + more_papers(len(papers) - cap, issue_link)
    groups = [(each, [paper for paper in papers if paper.primary_topic == slug])
              for slug, each in archive.topics_by_slug.items()]
    # A paper without a known topic (never expected) is still listed, not silently dropped.
    rest = [paper for paper in papers if paper.primary_topic not in archive.topics_by_slug]
    shown, _ = shown_groups([(each, members) for each, members in groups if members], max(0, cap - len(rest)))
    sections = [f"<h3>{escape.html_text(each.name)}</h3>{paper_list(archive, members)}" for each, members in shown]
    left = len(papers) - len(rest) - sum(len(members) for _, members in shown)
    return intro + "".join(sections) + (paper_list(archive, rest) if rest else "") + more_papers(left, issue_link)


def more_papers(count: int, issue_link: str) -> str:
    """The line that ends an entry listing part of an issue: how many more papers the issue page has."""
    return f"<p>{escape.html_text(counted(count, 'more paper'))} in {issue_link}.</p>" if count > 0 else ""


def paper_list(archive: Archive, papers: Sequence[Paper]) -> str:
    items = []
    for paper in papers:
        items.append(f"<li>{title_link(archive, paper)}" + (f" — {byline(paper)}" if paper.authors else "") + "</li>")
    return f"<ul>{''.join(items)}</ul>"


# The top papers of each finished week (generator/top.py) --------------------------------------


def top_feed(archive: Archive) -> Feed:
    return root_feed(archive, top.FEED_SLUG, "top papers of the week",
                     f"The {top.FEED_SIZE} most upvoted papers of each finished week in {archive.site.name},"
                     " one entry a week")


def top_entries(archive: Archive, periods: top.TopPeriods) -> list[Entry]:
    """One entry per finished week with votes, newest first; the newest issue's week is not in it."""
    return [week_entry(archive, week) for week in periods.finished_weeks()[: archive.config.feeds.limit]]


def week_entry(archive: Archive, week: top.Period) -> Entry:
    """A week's top papers; the id names only the week, so it never changes once published.

    A late issue of a finished week (or higher upvote counts fetched again) may change the list:
    the entry keeps its id and is published on the Monday after the week, and its ``updated``
    time moves one second further per paper of the week and per upvote of the papers it lists,
    so readers that follow ``updated`` show the new list. A paper of the week the curation file
    hides counts two seconds and its upvotes, more than it took off the list, so a takedown moves
    the time on too. That time comes from the data alone.
    """
    shown = week.top[: top.FEED_SIZE]
    start = issue_datetime(week.last + dt.timedelta(days=1))
    hidden = [paper for paper in archive.hidden if week.first <= paper.added <= week.last]
    moves = week.papers + sum(top.votes(paper) for paper in shown) + sum(2 + top.votes(paper) for paper in hidden)
    page = f"{archive.site.url}top/{week.key}/"
    intro = (
        f"The {top.most_upvoted(len(shown))} of {counted(week.papers, 'paper')} first listed in {week.name} "
        f"({week.dates})"
    )
    items = []
    for paper in shown:
        said = " · ".join(part for part in (byline(paper), escape.html_text(top.signals(paper))) if part)
        items.append(f"<li>{title_link(archive, paper)} — {said}</li>")
    return Entry(
        id=f"{archive.config.feeds.id_prefix}top/week/{week.key}",
        title=f"Top papers of {week.name} ({week.dates})",
        link=page,
        published=start,
        updated=start + dt.timedelta(seconds=min(moves, LAST_SECOND)),
        content=f"<p>{escape.html_text(intro)} ({escape.html_link(page, 'the week’s page')}).</p>"
        f"<ol>{''.join(items)}</ol>",
        topics=topics_of(archive, shown),
    )


# The watch list (generator/watch.py) ----------------------------------------------------------


def watch_feed(archive: Archive) -> Feed:
    return root_feed(archive, watch.FEED_SLUG, "watch list",
                     f"Papers of {archive.site.name} by watched authors or on watched phrases")


def watch_entries(archive: Archive) -> list[Entry]:
    """One entry per watched paper, newest first, whatever ``feeds.mode``: the watch list is an alert.

    Ids are the paper entries' own (made from the paper id only), so a reader that follows the site
    feed too sees one paper once; the content starts with why the paper is watched.
    """
    entries = []
    for paper in whole_issues(archive.watched_newest_first(), archive.config.feeds.limit, lambda paper: paper.added):
        entry = paper_entry(archive, paper)
        why = escape.html_text("Watched: " + watch.reason_text(archive.watched[paper.id]))
        entries.append(dataclasses.replace(entry, content=f"<p><strong>{why}</strong></p>{entry.content}"))
    return entries


# Picks from the reading list (generator/picks/) ----------------------------------------------


def picks_feed(archive: Archive) -> Feed:
    return root_feed(archive, picks.FEED_SLUG, "picks",
                     f"Papers of {archive.site.name} picked for being like the papers of its reading list")


def picks_entries(archive: Archive) -> list[Entry]:
    """One entry per pick, newest issue first and best first within it, whatever ``feeds.mode``.

    Ids are the paper entries' own, as in the watch list's feed; the content starts with the reason. A paper
    picked in two issues (a recorded pick whose paper an issue dated earlier, added since, lists by title and
    picks again) is one entry, its newest issue's: an id twice in a feed is one entry to a reader, or two alike.
    """
    if archive.picks is None:
        return []
    found, seen = [], set()
    for date, pick in archive.picks.newest_first():
        if pick.paper_id not in seen:
            seen.add(pick.paper_id)
            found.append((date, pick))
    entries = []
    for _date, pick in whole_issues(found, archive.config.feeds.limit, lambda item: item[0]):
        entry = paper_entry(archive, archive.papers[pick.paper_id])
        why = escape.html_text("Picked: " + latex_text.plain(pick.reason))  # a reading-list title
        entries.append(dataclasses.replace(entry, content=f"<p><strong>{why}</strong></p>{entry.content}"))
    return entries


# Rendering ----------------------------------------------------------------------------------


def render_feed(archive: Archive, feed: Feed, entries: Sequence[Entry], rss: bool) -> bytes:
    """The feed as Atom 1.0 or RSS 2.0 bytes; nothing in it depends on the clock."""
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(feed.id)
    generator.title(feed.title)
    # feedgen takes the RSS channel <link> from the last link added: the page, not the feed.
    self_name = feed.files[1] if rss else feed.files[0]
    generator.link(href=archive.site.url + self_name, rel="self", type=RSS_TYPE if rss else ATOM_TYPE)
    generator.link(href=feed.page, rel="alternate", type="text/html")
    generator.subtitle(feed.subtitle)
    # Atom requires an author for a feed with entries that have none (pasted listings give no
    # authors, digest entries never have one): the digest itself. RSS <author> needs an e-mail.
    generator.author({"name": archive.site.name, "uri": archive.site.url})
    generator.language(archive.site.language)
    generator.generator("Paper Digest")
    # A feed with no entry yet (the top papers feed before its first week ends, a watch list that matched
    # nothing) is as new as the newest issue, not dated 1970.
    latest = issue_datetime(archive.issues[0].date) if archive.issues else EPOCH
    newest = max((entry.updated for entry in entries), default=latest)
    generator.updated(newest)
    generator.lastBuildDate(newest)
    for entry in entries:
        add_entry(generator, archive, entry)
    data: bytes = generator.rss_str(pretty=True) if rss else generator.atom_str(pretty=True)
    return data


def add_entry(generator: FeedGenerator, archive: Archive, entry: Entry) -> None:
    item = generator.add_entry(order="append")  # feedgen prepends by default
    item.id(entry.id)
    item.guid(entry.id, permalink=False)
    item.title(entry.title)
    item.link(href=entry.link, rel="alternate", type="text/html")
    item.published(entry.published)
    item.updated(entry.updated)
    # Atom <author>s, in one call: feedgen's author() goes over all of the entry's authors at each call (0.09 s for
    # an entry of a 3,000-author collaboration, added one by one). It writes no RSS <author> without an e-mail.
    if entry.authors:
        item.author([{"name": name} for name in entry.authors])
    for name in entry.authors:
        item.dc.dc_creator(name)
    for topic in entry.topics:
        item.category(term=topic.slug, label=topic.name, scheme=f"{archive.site.url}topics/")
    item.content(entry.content, type="html")


def opml(archive: Archive, feeds: Sequence[Feed]) -> bytes:
    """OPML 2.0 listing every Atom feed with its title, so a reader imports all topics in one step."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = f"{archive.site.name} feeds"
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        ElementTree.SubElement(
            body,
            "outline",
            type="rss",  # OPML's word for any feed, Atom included
            text=feed.title,
            title=feed.title,
            xmlUrl=archive.site.url + feed.files[0],
            htmlUrl=feed.page,
        )
    ElementTree.indent(root)
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
