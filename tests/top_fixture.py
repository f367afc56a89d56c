"""A small archive with upvotes for the top-papers tests: Hugging Face daily-papers files over two
ISO weeks across a year boundary (2025-12-29 is in 2026-W01) and two months, plus a week whose only
issue has no votes. Titles and abstracts are the bundled listing's real text; one title is hostile.

    2025-12-17  .yaml   2025-W51  December   no upvotes (a YAML list gives none)
    2025-12-24  .json   2025-W52  December
    2025-12-29  .json   2026-W01  December
    2025-12-31  .json   2026-W01  December
    2026-01-02  .json   2026-W01  January
    2026-01-05  .json   2026-W02  January    the newest issue: its week and month are not over
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from generator.sources.listing import read_listing
from tests.conftest import SEED

HOSTILE_TITLE = "<script>alert(1)</script> {{ 7*7 }} Ranking & <b>Robust</b> Retrieval"
# Upvotes of each issue's papers, in the order they are listed (0: a paper nobody upvoted).
VOTES: dict[str, list[int]] = {
    "2025-12-24": [7, 3, 0, 12],
    "2025-12-29": [50, 33, 21, 18, 9, 5, 2, 1, 0],
    "2025-12-31": [40, 40, 27, 18, 11, 6, 4, 3, 0],
    "2026-01-02": [50, 60, 15, 14, 13, 8, 7, 1],
    "2026-01-05": [5, 25, 2, 0, 9, 31, 1],
}
NO_VOTES = "2025-12-17"
HOSTILE_AT = ("2026-01-02", 1)  # the most upvoted paper of 2026-W01


@dataclass(frozen=True)
class Listed:
    """A paper of the fixture as the tests expect to see it."""

    id: str
    title: str
    date: dt.date
    upvotes: int


def seed_texts() -> list[tuple[str, str]]:
    papers = read_listing(SEED.read_bytes(), SEED.name).papers
    return [(paper.title, paper.abstract) for paper in papers]


def daily_item(arxiv_id: str, title: str, abstract: str, upvotes: int, authors: list[str]) -> dict[str, object]:
    return {
        "paper": {
            "id": arxiv_id,
            "title": title,
            "summary": abstract,
            "authors": [{"name": name, "hidden": False} for name in authors],
            "upvotes": upvotes,
        },
        "numComments": 0,
    }


def write_top_archive(folder: Path, votes: dict[str, list[int]] | None = None, start: int = 0) -> list[Listed]:
    """Write the issues into ``folder``; the papers with upvotes (given or the fixture's), as listed."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = seed_texts()[start:]
    listed: list[Listed] = []
    used = 0
    if votes is None:
        votes = VOTES
        papers = [{"title": title, "abstract": abstract} for title, abstract in texts[:3]]
        (folder / f"{NO_VOTES}.yaml").write_text(json.dumps({"date": NO_VOTES, "papers": papers}), encoding="utf-8")
        used = 3
    for date, counts in votes.items():
        items = []
        for index, count in enumerate(counts):
            title, abstract = texts[used]
            used += 1
            if (date, index) == HOSTILE_AT:
                title = HOSTILE_TITLE
            # Ids fall as the list goes on, so "ties: the smaller id" is not the order of listing.
            arxiv_id = f"{date[2:4]}{date[5:7]}.{start + used - 2 * index + len(counts):05d}"
            items.append(daily_item(arxiv_id, title, abstract, count, [f"Author {used}", "Ada Lovelace"]))
            listed.append(Listed(arxiv_id, title, dt.date.fromisoformat(date), count))
        (folder / f"{date}.json").write_text(json.dumps(items, indent=1), encoding="utf-8")
    return listed


def expected_top(listed: list[Listed], first: dt.date, last: dt.date, size: int = 20) -> list[Listed]:
    """The fixture's papers of a period with votes, in the order the issue asks for."""
    inside = [paper for paper in listed if first <= paper.date <= last and paper.upvotes > 0]
    return sorted(inside, key=lambda p: (-p.upvotes, -p.date.toordinal(), p.id))[:size]
