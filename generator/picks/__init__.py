"""Picks from a reading list (``picks:`` in digest.yml): each issue's papers most like the papers you keep.

The reading list (``reading_list.py``) is a BibTeX export or a list of arXiv ids; every paper of an
issue is scored against it with the topic engine's TF-IDF vectors (``scoring.py``), and the issue's
best ``per_issue`` papers scoring ``min_score`` or more are its picks, each with the reason "like:
<title of the closest reading-list paper>". A paper on the reading list itself is never picked.
Picks are recorded per issue when the issue is first built (``record.py``), so a published issue
keeps them when the reading list is edited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator import counts
from generator.config import Config, PicksSettings
from generator.errors import BuildError, Problem
from generator.model import Paper
from generator.picks.reading_list import ReadingList, read_reading_list
from generator.picks.record import read_record, record_path, record_text
from generator.picks.scoring import Pick, Scorer, archive_papers
from generator.topics.features import count_matrix, paper_text
from generator.writer import write_atomically

PAGE = "picks/index.md"
FEED_SLUG = "picks"
"""The feeds are picks.atom.xml and picks.rss.xml (a reserved slug: no topic may take it)."""

__all__ = ["FEED_SLUG", "PAGE", "Pick", "Picks", "pick_issues", "picks_page", "write_record"]


def picks_page(number: int = 1) -> str:
    """The picks' page ``number``: picks/index.md, then picks/page-2.md, ..."""
    return PAGE if number == 1 else f"picks/page-{number}.md"


@dataclass(frozen=True)
class Picks:
    """Each issue's picks (issues of the archive, best first) and the record to keep."""

    by_issue: dict[dt.date, tuple[Pick, ...]]
    record: dict[dt.date, tuple[Pick, ...]] = field(default_factory=dict)
    path: Path | None = None
    """Where the record is kept (beside the reading list)."""
    text: str = ""
    """The record as it should be written; ``changed`` when it differs from the file."""
    changed: bool = False
    computed: int = 0
    """How many issues' picks were computed now, not read from the record (all of them with ``repick``)."""

    @functools.cached_property
    def by_paper(self) -> dict[str, Pick]:
        return {pick.paper_id: pick for picks in self.by_issue.values() for pick in picks}

    def newest_first(self) -> list[tuple[dt.date, Pick]]:
        """Every pick with its issue date: newest issue first, best first within an issue."""
        return [(date, pick) for date in sorted(self.by_issue, reverse=True) for pick in self.by_issue[date]]


LOW_SCORES = 0.06
"""A ``min_score`` above this is rarely reached by today's scores (0.3 papers in 100 on the bench's lists)."""


def reading_list_path(config: Config, settings: PicksSettings) -> Path:
    return config.path(settings.reading_list)


def pick_issues(
    papers: Sequence[Paper], config: Config, repick: bool = False
) -> tuple[Picks, list[Problem], list[Problem]]:
    """The picks of every issue of ``papers``: recorded ones as recorded (unless ``repick``), new ones computed.

    Returns the picks, the reading list's problems (entries that cannot be read) and notes (entries
    that are only an arXiv id the archive does not have: they are skipped until an issue lists them).
    """
    settings = config.picks
    if settings is None:
        return Picks({}), [], []
    path = reading_list_path(config, settings)
    reading = read_reading_list(path, str(path))
    record_file = record_path(path)
    recorded = {} if repick else read_record(record_file)
    order = sorted(papers, key=lambda paper: (paper.added, paper.id))  # the topics stage's order: its counts
    dates = {paper.added for paper in order}
    missing = sorted(dates - set(recorded))
    computed: dict[dt.date, list[Pick]] = {}
    found = archive_papers(reading, order)
    problems = list(reading.problems)
    usable = any(entry.title or paper is not None for entry, paper in zip(reading.entries, found, strict=True))
    if missing and not usable:
        # An empty export or a list of junk: picks recorded now would stay empty once the list is fixed.
        why = ("an empty or unreadable reading list" if not reading.entries else
               f"its {counts.count(len(reading.entries), 'entry', 'entries')}: arXiv ids the archive does not have"
               " (yet), with no title of their own")
        problems.append(Problem(reading.display, message=f"no entry to pick by ({why}):"
                                " no picks are made or recorded until it has one"))
        missing = []
    if missing:
        scorer = Scorer(order, count_matrix([paper_text(paper) for paper in order]), reading)
        computed = scorer.issues(set(missing), settings.per_issue, settings.min_score)
    notes = missing_entries(reading, found)
    if computed and settings.min_score > LOW_SCORES and not any(computed.values()):
        notes.append(Problem(config.file, message=(
            f"note: picks.min_score {settings.min_score:g} left every new issue without a pick: scores are smaller"
            " since December 2026 (a paper's cosine with the reading list less 0.75 × that with the latest papers;"
            " the default min_score is 0.02; README, \"Picks from a reading list\")")))
    record = {**recorded, **{date: tuple(picks) for date, picks in computed.items()}}
    # A recorded pick names the paper's id of then: a paper an earlier issue listed since under another id (its title's)
    # answers to the old one as an alias, and stays its issue's pick.
    current = {alias: paper.id for paper in order for alias in (*paper.aliases, paper.id)}
    by_issue = {date: tuple(dataclasses.replace(pick, paper_id=current[pick.paper_id]) for pick in record.get(date, ())
                            if pick.paper_id in current)
                for date in sorted(dates)}
    text = record_text(record)
    before = _read(record_file)
    changed = before != text and (before is not None or bool(record))  # no file for a record of nothing
    return Picks(by_issue, record, record_file, text, changed, len(computed)), problems, notes


def missing_entries(reading: ReadingList, found: Sequence[Paper | None]) -> list[Problem]:
    """A note for each entry that is only an arXiv id the archive does not have."""
    return [
        Problem(reading.display, line=entry.line,
                message=f"note: arXiv {entry.arxiv_id} is not in the archive (yet): an entry with only an id takes its"
                        " text from the archive, so it is skipped until an issue lists the paper")
        for entry, paper in zip(reading.entries, found, strict=True)
        if not entry.title and paper is None
    ]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_record(picks: Picks) -> bool:
    """Write the record when it changed (atomically: a failed write leaves the old one whole); True if written.

    A record that cannot be written (a data folder mounted read-only) is an error naming it, not a traceback.
    """
    if not picks.changed or picks.path is None:
        return False
    try:
        write_atomically(picks.path, picks.text.encode("utf-8"), prefix=f".{picks.path.name}.", suffix=".tmp")
    except OSError as error:
        from generator.sources import display_path  # not at the top: generator.sources imports what imports us

        raise BuildError(f"{display_path(picks.path)}: cannot record the picks ({error.strerror}): a later edit of"
                         " the reading list could change them; make the folder writable, then build again or run"
                         " digest picks --record") from None
    return True
