"""Top papers: the most upvoted papers of each ISO week and each month of issue dates.

A paper belongs to the period of the issue that first listed it (its ``added`` date), so it is
counted once however often it is listed. Weeks are ISO weeks (Monday to Sunday, named by their
ISO week-year: 2025-12-29 is in 2026-W01); months are calendar months. Papers are ranked by
upvotes, most first; ties go to the newer issue, then to the smaller id. Only papers with at
least one upvote are ranked: a period none of whose papers has votes has no top page.

Whether a period is finished is judged from the data alone, never the clock: a period is
finished once the digest has an issue dated after its last day. The period of the newest issue
is therefore never finished; its page shows the list "so far" and stays out of the weekly feed.

Pages: ``top/index.md`` (every period, newest first), ``top/<YYYY-Www>.md`` and
``top/<YYYY-MM>.md`` (URLs ``top/2026-W01/``, ``top/2025-12/``). The weekly feed is made in
generator/feeds.py from the same periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.counts import count as counted
from generator.counts import number
from generator.model import Issue, Paper

if TYPE_CHECKING:
    from generator.render import Renderer

PAGE_SIZE = 20
"""Papers on a period's page."""
FEED_SIZE = 10
"""Papers in a week's feed entry."""
HOME_SIZE = 5
"""Papers of the newest week on the home page."""
INDEX_PAGE = "top/index.md"
FEED_SLUG = "top"
"""The weekly feed's files are top.atom.xml and top.rss.xml (the name is reserved for topics)."""
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not strftime: its names follow the locale, and builds must not


def votes(paper: Paper) -> int:
    """The paper's upvotes, 0 when its source gives none."""
    return paper.upvotes or 0


def ranked(papers: Iterable[Paper]) -> list[Paper]:
    """The papers with votes, most upvoted first; ties: the newer issue, then the smaller id."""
    voted = [paper for paper in papers if (paper.upvotes or 0) > 0]
    return sorted(voted, key=lambda paper: (-(paper.upvotes or 0), -paper.added.toordinal(), paper.id))


def week_of(date: dt.date) -> tuple[str, dt.date, dt.date]:
    """The ISO week of ``date``: its name (2026-W01, by the ISO week-year), Monday and Sunday."""
    year, week, weekday = date.isocalendar()
    monday = date - dt.timedelta(days=weekday - 1)
    return f"{year:04d}-W{week:02d}", monday, monday + dt.timedelta(days=6)


def month_of(date: dt.date) -> tuple[str, dt.date, dt.date]:
    """The month of ``date``: its name (2025-12), first and last day."""
    first = date.replace(day=1)
    following = (first + dt.timedelta(days=31)).replace(day=1)
    return f"{date.year:04d}-{date.month:02d}", first, following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """One week or month of issue dates and its top papers (empty: no paper of it has votes)."""

    kind: str
    """"week" or "month"."""
    key: str
    """2026-W01 or 2025-12: the page's name, and the week's feed entry id."""
    first: dt.date
    last: dt.date
    finished: bool
    top: tuple[Paper, ...]
    """The most upvoted papers, at most ``PAGE_SIZE``, best first."""
    papers: int
    """Papers first listed in the period's issues."""
    voted: int
    """Of them, those with at least one upvote."""
    issues: int

    @property
    def page(self) -> str:
        return f"top/{self.key}.md"

    @property
    def has_page(self) -> bool:
        return bool(self.top)

    @property
    def name(self) -> str:
        """How a heading names it: '2026-W01', 'December 2025'."""
        if self.kind == "week":
            return self.key
        return f"{MONTHS[self.first.month - 1]} {self.first.year}"

    @property
    def dates(self) -> str:
        """Its days, as ISO dates like the rest of the site: '2025-12-29 – 2026-01-04'."""
        return f"{self.first.isoformat()} – {self.last.isoformat()}"

    @property
    def title(self) -> str:
        return f"Top papers of {self.name}" + ("" if self.finished else " (so far)")


@dataclass(frozen=True)
class TopPeriods:
    """Every week and month that has issues, newest first, judged from the newest issue's date."""

    weeks: tuple[Period, ...]
    months: tuple[Period, ...]
    newest: dt.date | None

    @property
    def any_votes(self) -> bool:
        return any(period.has_page for period in self.weeks)

    def with_pages(self) -> Iterator[Period]:
        for period in (*self.weeks, *self.months):
            if period.has_page:
                yield period

    def newest_week(self) -> Period | None:
        """The newest week that has a top page (the home page shows its first ``HOME_SIZE``)."""
        return next((week for week in self.weeks if week.has_page), None)

    def newest_month(self) -> Period | None:
        return next((month for month in self.months if month.has_page), None)

    def finished_weeks(self) -> list[Period]:
        """The weeks of the weekly feed: finished and with votes, newest first."""
        return [week for week in self.weeks if week.finished and week.has_page]

    def neighbours(self, period: Period) -> tuple[Period | None, Period | None]:
        """The older and the newer period of the same kind that have pages."""
        same = [each for each in (self.weeks if period.kind == "week" else self.months) if each.has_page]
        index = next(number for number, each in enumerate(same) if each is period)
        newer = same[index - 1] if index > 0 else None
        older = same[index + 1] if index + 1 < len(same) else None
        return older, newer


def top_periods(papers: Iterable[Paper], issues: Sequence[Issue]) -> TopPeriods:
    """The weeks and months of ``issues`` with their top papers; nothing here reads the clock."""
    newest = max((issue.date for issue in issues), default=None)
    by_date: dict[dt.date, list[Paper]] = {}
    for paper in papers:
        by_date.setdefault(paper.added, []).append(paper)
    found: dict[str, tuple[Period, ...]] = {}
    for kind, of in (("week", week_of), ("month", month_of)):
        members: dict[str, list[Paper]] = {}
        spans: dict[str, tuple[dt.date, dt.date]] = {}
        issue_counts: dict[str, int] = {}
        for issue in issues:
            key, first, last = of(issue.date)
            spans[key] = (first, last)
            members.setdefault(key, [])
            issue_counts[key] = issue_counts.get(key, 0) + 1
        for date, listed in by_date.items():  # a paper's date is its first issue's
            members.setdefault(of(date)[0], []).extend(listed)
        periods = []
        for key in sorted(spans, reverse=True):
            first, last = spans[key]
            best = ranked(members[key])
            periods.append(
                Period(kind, key, first, last, finished=newest is not None and newest > last,
                       top=tuple(best[:PAGE_SIZE]), papers=len(members[key]), voted=len(best),
                       issues=issue_counts[key])
            )
        found[kind] = tuple(periods)
    return TopPeriods(found["week"], found["month"], newest)


# Pages ------------------------------------------------------------------------------------------


def most_upvoted(shown: int) -> str:
    """How a page or feed entry names its list: "20 most upvoted", but "most upvoted" of one paper (not "1 most")."""
    return "most upvoted" if shown == 1 else f"{number(shown)} most upvoted"


def signals(paper: Paper) -> str:
    """What the top feed says of a paper after its authors: its upvotes."""
    return counted(votes(paper), "upvote")


def iter_pages(renderer: Renderer, periods: TopPeriods) -> Iterator[tuple[str, str]]:
    """``top/index.md`` and a page per period with votes (templates/top.md.j2, top_index.md.j2)."""
    for period in periods.with_pages():
        older, newer = periods.neighbours(period)
        yield period.page, renderer.render(
            "top.md.j2", period.page, period=period, older=older, newer=newer, newest=periods.newest,
            counted=counted, number=number, feed_size=FEED_SIZE, most_upvoted=most_upvoted,
        )
    yield INDEX_PAGE, renderer.render(
        "top_index.md.j2", INDEX_PAGE, periods=periods, counted=counted, number=number, page_size=PAGE_SIZE,
        feed_size=FEED_SIZE,
    )


def home_context(periods: TopPeriods) -> dict[str, Any]:
    """What the home page shows of the top papers: the newest week's first ``HOME_SIZE`` (or nothing)."""
    week = periods.newest_week()
    return {
        "top_week": week,
        "top_papers": list(week.top[:HOME_SIZE]) if week else [],
    }


def nav(periods: TopPeriods) -> str | list[object]:
    """The navigation's "Top papers": the index, then the newest week's and month's pages (bounded)."""
    entries: list[object] = [INDEX_PAGE]
    for period in (periods.newest_week(), periods.newest_month()):
        if period is not None:
            entries.append({period.name if period.finished else f"{period.name} (so far)": period.page})
    return entries if len(entries) > 1 else INDEX_PAGE
