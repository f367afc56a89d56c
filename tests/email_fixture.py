"""Projects for the email edition's tests: issues of papers from the bundled listing, with signals and a watch list.

Titles and abstracts are the bundled listing's (real ones); authors, upvotes, comments, code links,
organisations and summaries are added in a fixed pattern, so that signals, rankings and watch marks
show in the message.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from generator.model import Paper
from generator.sources import read_all
from tests.conftest import SEED, make_project

NAMES = ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Kurt Gödel", "Emmy Noether", "John von Neumann",
         "Claude Shannon", "Barbara Liskov", "Donald Knuth", "Frances Allen", "Edsger Dijkstra")
SITE_URL = "https://digest.example.org/papers-weekly/"


@functools.cache
def seed_papers() -> tuple[Paper, ...]:
    results, _ = read_all([SEED])
    return tuple(paper for result in results for paper in result.papers)


def paper_record(number: int, paper: Paper, suffix: str = "") -> dict[str, object]:
    """One paper of the bundled listing as our YAML fields, with signals for most (a third have none)."""
    record: dict[str, object] = {
        "title": paper.title + suffix,
        "abstract": paper.abstract,
        "authors": [NAMES[(number + k) % len(NAMES)] for k in range(1 + number % 5)],
    }
    if number % 3:
        record["upvotes"] = (number * 37) % 90 + 1
        record["comments"] = number % 4
        record["organization"] = "Example Lab"
        record["tldr"] = f"The paper's main result, in one sentence ({number})."
    if number % 4 == 1:
        record["code"] = f"https://github.com/example/paper-{number}"
        record["stars"] = number * 11
    return record


def write_issue(folder: Path, date: str, count: int, start: int = 0, repeat: bool = False) -> Path:
    """An issue file of ``count`` papers taken in turn from the bundled listing (titles made unique when repeated)."""
    papers = seed_papers()
    records = []
    for number in range(start, start + count):
        suffix = f" (part {number // len(papers) + 1})" if repeat else ""
        records.append(paper_record(number, papers[number % len(papers)], suffix))
    path = folder / f"{date}.yaml"
    data = {"date": date, "source": "Example Source", "papers": records}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def email_project(target: Path, issues: dict[str, int], repeat: bool = False, watch: str = "") -> Path:
    """A site with the given issues (date: paper count), distinct papers, at ``SITE_URL``."""
    lists = target.parent / (target.name + "-lists")
    lists.mkdir(parents=True)
    start = 0
    for date, count in issues.items():
        write_issue(lists, date, count, start, repeat)
        start += count
    project = make_project(target, papers=lists, site_url=SITE_URL)
    if watch:
        (project / "digest.yml").write_text(watch, encoding="utf-8")
    return project
