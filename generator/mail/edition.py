"""What one message of the email edition lists: an issue's (or a week's) papers, featured first, then by topic.

Featured sections come first (the issue's picks from a reading list, then the watch list's papers,
with why: ``featured_sections``), then one section per first topic in taxonomy order, each topic's papers
best first, as the issue page orders them (``generator.render.best_first``): the most upvoted, then the rest.
A paper is listed once: a featured paper is not listed again under its topic.

When the message would be too big (``fit``), featured papers are kept, then each topic's best papers
in turn (every topic's best, then every topic's second, ...), and every section says how many more it
has and links to the page that lists them all ("N more").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from generator import latex_text, top
from generator.config import Site
from generator.errors import MailError
from generator.model import Issue, Paper
from generator.render import Archive, best_first

# An ISO week as written: 2026-W48, as the top pages name weeks; also in lower case and ISO's basic form (2026w48,
# 2026W48), and with one digit (2026-W5), as people type it.
WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
AUTHORS_SHOWN = 3
HTTP_URL = re.compile(r"https?://[^/?#\s]\S*\Z", re.IGNORECASE)  # absolute http(s), no white space anywhere


@dataclass(frozen=True)
class Section:
    """A heading and its papers, best first; ``shown`` of them are in the message, the rest behind ``more_url``."""

    key: str
    """``watch`` (picks: ``picks``) for a featured section, else the topic's slug."""
    title: str
    papers: tuple[Paper, ...]
    more_url: str
    """Absolute URL of the page that lists every paper of the section."""
    reasons: Mapping[str, tuple[str, ...]]
    """Why each featured paper is featured (watch reasons, picks' "like: ..."), by paper id; empty for topics."""
    shown: int

    @property
    def listed(self) -> tuple[Paper, ...]:
        return self.papers[: self.shown]

    @property
    def more(self) -> int:
        """How many papers the message leaves out ("N more")."""
        return len(self.papers) - self.shown


@dataclass(frozen=True)
class Edition:
    """One message: the issues it covers and its sections."""

    site: Site
    key: str
    """What the message covers: the issue date (2026-11-27) or the ISO week (2026-W48); the record's entry."""
    heading: str
    """How the subject and the message name it: "2026-11-27", "2026-W48 (2026-11-23 – 2026-11-29)"."""
    date: dt.date
    """The newest issue's date: the message's Date header."""
    issues: tuple[Issue, ...]
    page_url: str
    """Absolute URL of the page the message stands for: the issue page, or the issues index for a week."""
    featured: tuple[Section, ...]
    topics: tuple[Section, ...]

    @property
    def sections(self) -> tuple[Section, ...]:
        return (*self.featured, *self.topics)

    @property
    def paper_count(self) -> int:
        return sum(len(issue.paper_ids) for issue in self.issues)

    @property
    def shown_count(self) -> int:
        return sum(section.shown for section in self.sections)


def require_site_url(site: Site) -> None:
    """Every link of a message is absolute: refuse a site without an absolute http(s) URL (load_site checks it too)."""
    if not HTTP_URL.match(site.url):
        raise MailError(f"the email's links need the site's address: set site_url in mkdocs.yml (or SITE_URL), "
                        f"not {site.url!r}")


def parse_week(text: str) -> tuple[str, dt.date, dt.date]:
    """``2026-W48`` -> its name, Monday and Sunday (ISO weeks, as the top pages name them)."""
    found = WEEK.fullmatch(text.strip())
    try:
        if found is None:
            raise ValueError
        monday = dt.date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
        return top.week_of(monday)
    except (ValueError, OverflowError):  # OverflowError: the calendar's last week (9999-W52) has no Sunday after it
        raise MailError(f"--week {text!r} is not an ISO week such as 2026-W48{_weeks_of_year(found)}") from None


def _weeks_of_year(found: re.Match[str] | None) -> str:
    """`` (2027 has 52 ISO weeks: W01 to W52)`` for a week number its year lacks (2027-W53 after 2026-W53); ""."""
    year, week = (int(found.group(1)), int(found.group(2))) if found else (0, 1)
    if year < 1:
        return ""
    weeks = dt.date(year, 12, 28).isocalendar().week  # the 28th of December is in the year's last week
    return f" ({year} has {weeks} ISO weeks: W01 to W{weeks})" if not 1 <= week <= weeks else ""


def select_issues(archive: Archive, date: dt.date | None = None, week: str | None = None) -> tuple[str, list[Issue]]:
    """The issues a message covers, newest first, and its key: the newest issue, one date's, or a week's."""
    if not archive.issues:
        raise MailError("the digest has no issue yet: there is nothing to mail")
    newest = ", ".join(issue.date.isoformat() for issue in archive.issues[:3])
    if week is not None:
        key, monday, sunday = parse_week(week)
        found = [issue for issue in archive.issues if monday <= issue.date <= sunday]
        if not found:
            raise MailError(f"no issue in the week {key} ({monday.isoformat()} – {sunday.isoformat()}); "
                            f"the newest issues are {newest}")
        return key, found
    if date is None:
        return archive.issues[0].date.isoformat(), [archive.issues[0]]
    found = [issue for issue in archive.issues if issue.date == date]
    if not found:
        raise MailError(f"no issue dated {date.isoformat()}; the newest issues are {newest}")
    return date.isoformat(), found


def featured_sections(archive: Archive, issues: Sequence[Issue]) -> list[Section]:
    """The sections that come before the topics, each whole before any topic is trimmed.

    First the issues' picks from a reading list, when configured (best first, with their "like: <title>"
    reasons, then "Watched: " and their watch reasons when they are watched too), then the watched papers not
    picked.
    """
    sections: list[Section] = []
    listed = [paper_id for issue in issues for paper_id in issue.paper_ids]
    picked: dict[str, tuple[str, ...]] = {}
    if archive.picks is not None:
        found = [pick for issue in issues for pick in archive.picks.by_issue.get(issue.date, ())]
        for pick in sorted(found, key=lambda pick: (-pick.score, pick.paper_id)):
            if pick.paper_id in archive.papers:
                watch = archive.watched.get(pick.paper_id, ())  # under the "Picked" label, marked as the site does
                reason = latex_text.plain(pick.reason)  # a reading-list title, shown as the paper titles are
                picked[pick.paper_id] = (reason, *(("Watched: " + "; ".join(watch),) if watch else ()))
    if picked:
        papers = [archive.papers[paper_id] for paper_id in picked]
        sections.append(Section("picks", "Picks", tuple(papers), f"{archive.site.url}picks/", picked, len(papers)))
    watched = {paper_id: archive.watched[paper_id] for paper_id in listed
               if paper_id in archive.watched and paper_id not in picked}
    if watched:
        papers = best_first([archive.papers[paper_id] for paper_id in watched])
        sections.append(Section("watch", "Watch list", tuple(papers), f"{archive.site.url}watch/", watched,
                                len(papers)))
    return sections


def topic_sections(archive: Archive, issues: Sequence[Issue], featured: Sequence[Section]) -> list[Section]:
    """One section per first topic, in taxonomy order, of the papers no featured section lists."""
    taken = {paper.id for section in featured for paper in section.papers}
    groups: dict[str, list[Paper]] = {}
    for issue in issues:
        for paper_id in issue.paper_ids:
            if paper_id not in taken:
                paper = archive.papers[paper_id]
                groups.setdefault(paper.primary_topic, []).append(paper)
    sections = []
    for slug, topic in archive.topics_by_slug.items():
        if slug in groups:
            papers = best_first(groups[slug])
            more = more_url(archive, issues, slug)
            sections.append(Section(slug, topic.name, tuple(papers), more, {}, len(papers)))
    return sections


def more_url(archive: Archive, issues: Sequence[Issue], slug: str) -> str:
    """Where a topic's papers left out are listed: the issue page (one issue), else the topic's page."""
    if len(issues) == 1:
        return f"{archive.site.url}issues/{issues[0].date.isoformat()}/"
    return f"{archive.site.url}topics/{slug}/"


def make_edition(archive: Archive, date: dt.date | None = None, week: str | None = None) -> Edition:
    """The whole edition, every paper shown; ``fit`` trims it to a size."""
    require_site_url(archive.site)
    key, issues = select_issues(archive, date, week)
    featured = featured_sections(archive, issues)
    topics = topic_sections(archive, issues, featured)
    newest = max(issue.date for issue in issues)
    if week is None:
        heading, page = key, f"{archive.site.url}issues/{key}/"
    else:
        _, monday, sunday = parse_week(week)
        heading, page = f"{key} ({monday.isoformat()} – {sunday.isoformat()})", f"{archive.site.url}issues/"
    return Edition(archive.site, key, heading, newest, tuple(issues), page, tuple(featured), tuple(topics))


def with_counts(edition: Edition, featured: int, topical: int) -> Edition:
    """The edition showing the first ``featured`` featured papers (in section order) and ``topical`` topic papers.

    Topic papers are handed out in turn: every topic's best, then every topic's second best, ...
    """
    sections = []
    left = featured
    for section in edition.featured:
        sections.append(replace(section, shown=min(left, len(section.papers))))
        left -= sections[-1].shown
    shown = {section.key: 0 for section in edition.topics}
    order = [section.key for rank in range(max((len(s.papers) for s in edition.topics), default=0))
             for section in edition.topics if rank < len(section.papers)]
    for key in order[:topical]:
        shown[key] += 1
    topics = tuple(replace(section, shown=shown[section.key]) for section in edition.topics)
    return replace(edition, featured=tuple(sections), topics=topics)


def fit(edition: Edition, size: Callable[[Edition], int], limit: int) -> Edition:
    """The edition with as many papers as keep ``size(edition)`` under ``limit``: featured first, then topics.

    The largest count that fits is found by bisection (size grows with the papers shown). An edition
    that does not fit even with no paper shown is returned with none: its links still lead to them all.
    """
    featured = sum(len(section.papers) for section in edition.featured)
    topical = sum(len(section.papers) for section in edition.topics)
    whole = with_counts(edition, featured, topical)
    if size(whole) < limit:
        return whole
    if size(with_counts(edition, featured, 0)) < limit:
        count = _largest(lambda n: size(with_counts(edition, featured, n)) < limit, topical)
        return with_counts(edition, featured, count)
    count = _largest(lambda n: size(with_counts(edition, n, 0)) < limit, featured)
    return with_counts(edition, count, 0)


def _largest(fits: Callable[[int], bool], upper: int) -> int:
    """The largest n in 0..upper with ``fits(n)``, given that ``fits`` holds up to some n and fails after."""
    low, high = 0, upper
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
