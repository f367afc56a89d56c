"""One record per paper: stable ids, duplicates merged, first-seen issue date kept."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from generator.errors import BuildError
from generator.model import Issue, Paper, title_key

FILLABLE = ("abstract", "authors", "arxiv_id", "url", "pdf", "code", "published")


def merge_papers(papers: Iterable[Paper]) -> list[Paper]:
    """Merge records of the same paper, whatever order the files were read in.

    Records are taken oldest issue first (then by source), so the first listing fixes the
    id and the ``added`` date; later records only fill fields the first one lacks.
    A record is the same paper as an earlier one when they share an arXiv id, or when
    one of them has no arXiv id and their titles are equal once normalised.
    """
    merged: dict[str, Paper] = {}
    by_arxiv: dict[str, str] = {}
    by_title: dict[str, list[str]] = {}
    for record in sorted(papers, key=lambda p: (p.added, p.source, p.id)):
        existing = _find_same(record, merged, by_arxiv, by_title)
        if existing is None:
            paper = dataclasses.replace(record)
            merged[paper.id] = paper
            by_title.setdefault(title_key(paper.title), []).append(paper.id)
        else:
            paper = existing
            _fill(paper, record)
        if paper.arxiv_id:
            by_arxiv.setdefault(paper.arxiv_id, paper.id)
    return sorted(merged.values(), key=lambda p: p.id)


def _find_same(
    record: Paper, merged: dict[str, Paper], by_arxiv: dict[str, str], by_title: dict[str, list[str]]
) -> Paper | None:
    if record.arxiv_id and record.arxiv_id in by_arxiv:
        return merged[by_arxiv[record.arxiv_id]]
    for candidate_id in by_title.get(title_key(record.title), []):
        candidate = merged[candidate_id]
        if not (candidate.arxiv_id and record.arxiv_id):
            return candidate
    if record.id in merged:
        # Same id, different paper: a title-hash collision. Merging would lose one of them.
        raise BuildError(
            f"two different papers have the id {record.id!r}: {merged[record.id].source} and {record.source};"
            " change one title slightly or give it its arXiv id"
        )
    return None


def _fill(paper: Paper, record: Paper) -> None:
    for name in FILLABLE:
        if not getattr(paper, name) and getattr(record, name):
            setattr(paper, name, getattr(record, name))
    if record.arxiv_id and record.id != paper.id and record.id not in paper.aliases:
        paper.aliases = (*paper.aliases, record.id)


def group_issues(papers: Iterable[Paper]) -> list[Issue]:
    """Digest issues, newest first, each with the papers it first listed."""
    by_date: dict = {}
    for paper in papers:
        by_date.setdefault(paper.added, []).append(paper.id)
    return [Issue(date=date, paper_ids=tuple(sorted(ids))) for date, ids in sorted(by_date.items(), reverse=True)]
