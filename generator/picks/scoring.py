"""Each issue's papers scored against the reading list with the topic engine's TF-IDF vectors.

A paper's score is its cosine similarity to the centroid of the reading list's vectors ("centroid"):
measured with ``make eval-picks`` (bench/eval/eval_picks.py, README "Picks from a reading list") it
picks far better than the similarity to the closest reading-list paper ("max": one near-duplicate
phrase is enough), their mean ("mix") or the mean of the five closest ("knn"). Taking a background
centroid off (Rocchio's relevance feedback) picks better on the bench's sets: the issue's own
("rocchio") fails on small issues (a paper of a one-paper issue takes itself off); the latest
``BACKGROUND`` papers' ("recent") holds in issues of 20 papers too, but on a small archive whose
papers are mostly the reading list's subjects it leaves good papers below 0; not the default until
that is solved (README, "Picks from a reading list"). The reason still names the closest reading-list papers.
Scoring is causal: an issue is scored with
word weights (IDF) from its own and earlier issues only, and a reading-list entry that is only an
arXiv id is read from the archive only once the archive has it, so adding an issue changes nothing
before it. Scores are rounded to ``DECIMALS`` before any tie is broken (by paper id), so the ranking
is the same on every machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from generator.model import Paper, title_key
from generator.picks.reading_list import ReadingList
from generator.topics.features import BUCKETS, Vectorizer, idf, paper_text, weighted

DECIMALS = 4
LIKE = 3
"""How many of the closest reading-list titles a pick names (the first is its reason)."""
METHODS = ("max", "centroid", "mix", "knn", "rocchio", "recent")
BACKGROUND = 2000  # "recent": the papers up to the issue (at least the whole issue) whose centroid is taken off
NEAREST = 5  # "knn": the mean cosine with this many closest entries
ROCCHIO = 1.0  # "rocchio": the share of the issue's own centroid taken off the reading list's


@dataclass(frozen=True)
class Pick:
    """A picked paper: its score and the titles of the closest reading-list papers, closest first."""

    paper_id: str
    score: float
    like: tuple[str, ...]

    @property
    def reason(self) -> str:
        return f"like: {self.like[0]}" if self.like else "like: your reading list"


def _column_sums(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """The sum of the rows, as one sparse row (a dense one would have every bucket)."""
    return sp.csr_matrix(sp.csr_matrix(np.ones((1, matrix.shape[0]))) @ matrix)


def in_reading_list(paper: Paper, ids: frozenset[str], titles: frozenset[str]) -> bool:
    """True for a paper that is itself on the list: same arXiv id (or id, or alias), or same normalised title."""
    if paper.arxiv_id in ids or paper.id in ids or any(alias in ids for alias in paper.aliases):
        return True
    return title_key(paper.title) in titles


def archive_papers(reading: ReadingList, papers: Sequence[Paper]) -> list[Paper | None]:
    """For each entry, the archive's paper with its arXiv id, if any."""
    by_id: dict[str, Paper] = {}
    for paper in papers:
        for key in (paper.arxiv_id, paper.id, *paper.aliases):
            if key:
                by_id.setdefault(key, paper)
    return [by_id.get(entry.arxiv_id) if entry.arxiv_id else None for entry in reading.entries]


class Scorer:
    """Scores issues of one archive (papers sorted by issue date, then id) against one reading list."""

    def __init__(self, order: Sequence[Paper], counts: sp.csr_matrix, reading: ReadingList, method: str = "centroid"):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        self.order, self.counts, self.reading, self.method = order, counts, reading, method
        self.found = archive_papers(reading, order)
        own = [(entry.title, entry.abstract) for entry in reading.entries]
        archived = [paper_text(paper) if paper else ("", "") for paper in self.found]
        vectorizer = Vectorizer()  # buckets are stable hashes: the same columns as the archive's counts
        self.own_counts = vectorizer.matrix(own) if own else sp.csr_matrix((0, BUCKETS), dtype=np.float32)
        self.archive_counts = vectorizer.matrix(archived) if own else self.own_counts
        self._both: sp.csr_matrix | None = None
        self._entries: dict[tuple[int, ...], tuple[sp.csr_matrix, list[int], np.ndarray]] = {}
        ids, titles = reading.arxiv_ids, reading.title_keys
        self.excluded = np.fromiter((in_reading_list(paper, ids, titles) for paper in order), dtype=bool,
                                    count=len(order))

    def issues(self, dates: Collection[dt.date], per_issue: int, min_score: float) -> dict[dt.date, list[Pick]]:
        """The picks of each issue dated in ``dates``: its best ``per_issue`` papers scoring ``min_score`` or more."""
        found: dict[dt.date, list[Pick]] = {}
        df = np.zeros(BUCKETS, dtype=np.float64)
        start = 0
        while start < len(self.order):
            date = self.order[start].added
            end = start
            while end < len(self.order) and self.order[end].added == date:
                end += 1
            df += np.bincount(self.counts[start:end].indices, minlength=BUCKETS)
            if date in dates:
                found[date] = self.issue(start, end, df, per_issue, min_score)
            start = end
        return found

    def entry_rows(self, date: dt.date) -> tuple[sp.csr_matrix, list[int], np.ndarray]:
        """The counts of the entries readable as of ``date`` (their own text, else the archive's), their indexes,
        and in how many of them each term occurs. Made once per set of readable entries (it changes only when
        an issue lists an entry's paper)."""
        rows, kept = [], []
        own = self.own_counts.shape[0]
        for index, entry in enumerate(self.reading.entries):
            paper = self.found[index]
            if entry.abstract or (entry.title and (paper is None or paper.added > date)):
                rows.append(index)
            elif paper is not None and paper.added <= date:
                rows.append(own + index)  # the archive's text, in the second half of ``both``
            else:
                continue  # only an id, and the archive does not have it (yet)
            kept.append(index)
        key = tuple(rows)
        found = self._entries.get(key)
        if found is None:
            if self._both is None:
                self._both = sp.csr_matrix(sp.vstack([self.own_counts, self.archive_counts], format="csr"))
            matrix = self._both[rows] if rows else sp.csr_matrix((0, BUCKETS), dtype=np.float32)
            found = self._entries[key] = (matrix, kept, np.bincount(matrix.indices, minlength=BUCKETS))
        return found

    def similarities(self, start: int, end: int, df: np.ndarray) -> tuple[np.ndarray, list[int], np.ndarray]:
        """For the papers of rows ``start:end``: their cosine with each readable entry (papers × entries), the
        entries, and each paper's score by ``method``.

        Word weights count the archive up to this issue (``df``, its ``end`` papers) and the readable entries:
        a word a paper shares with the reading list only is then no longer one "seen once", which weighs nothing.
        """
        entries, kept, entry_df = self.entry_rows(self.order[start].added)
        if not kept:
            return np.zeros((end - start, 0)), kept, np.zeros(end - start)
        counts = self.counts[start:end]
        background = self.counts[min(start, max(0, end - BACKGROUND)):end] if self.method == "recent" else counts
        # Only the terms of these papers and entries need a weight (a dense pass over every bucket per issue
        # was most of the time on an archive of hundreds of issues).
        columns = np.concatenate([counts.indices, entries.indices, background.indices])  # repeats are harmless
        weights = np.zeros(BUCKETS, dtype=np.float64)
        weights[columns] = idf(df[columns] + entry_df[columns], end + len(kept))
        papers = weighted(counts, weights)
        vectors = weighted(entries, weights)
        similarity = np.asarray((papers @ vectors.T).todense(), dtype=np.float64)
        recent = weighted(background, weights) if self.method == "recent" else papers
        return similarity, kept, self.scores(papers, vectors, similarity, recent)

    def scores(
        self, papers: sp.csr_matrix, entries: sp.csr_matrix, similarity: np.ndarray, recent: sp.csr_matrix
    ) -> np.ndarray:
        """Each paper's score by ``method``: a cosine with the closest entry, the entries' centroid, or between;
        "rocchio" takes the issue's centroid off the entries', "recent" that of the ``recent`` papers."""
        closest = similarity.max(axis=1)
        if self.method == "max":
            return np.asarray(closest)
        if self.method == "knn":
            nearest = np.sort(similarity, axis=1)[:, ::-1][:, :NEAREST]
            return np.asarray(nearest.mean(axis=1))
        centre = _column_sums(entries)
        if self.method in ("rocchio", "recent"):
            background = papers if self.method == "rocchio" else recent
            centre = centre / entries.shape[0] - ROCCHIO * _column_sums(background) / background.shape[0]
        norm = float(np.sqrt(centre.multiply(centre).sum()))
        centroid = np.asarray((papers @ centre.T).todense()).ravel() / (norm or 1.0)
        return np.asarray(centroid if self.method in ("centroid", "rocchio", "recent") else (closest + centroid) / 2)

    def issue(self, start: int, end: int, df: np.ndarray, per_issue: int, min_score: float) -> list[Pick]:
        similarity, kept, scores = self.similarities(start, end, df)
        rounded = np.round(scores, DECIMALS)
        ranked = sorted(
            (-float(score), self.order[start + row].id, row)
            for row, score in enumerate(rounded.tolist())
            if score > 0 and score >= min_score and not self.excluded[start + row]
        )
        return [
            Pick(paper_id, -negative, self.like(similarity[row], kept))
            for negative, paper_id, row in ranked[:per_issue]
        ]

    def like(self, similarity: np.ndarray, kept: list[int]) -> tuple[str, ...]:
        """The titles of the closest entries (rounded similarity, then title, then line), without repeats."""
        rounded = np.round(similarity, DECIMALS).tolist()
        order = sorted((-value, self.title(kept[column]), kept[column])
                       for column, value in enumerate(rounded) if value > 0)
        titles = [title for _, title, _ in order]
        return tuple(dict.fromkeys(titles))[:LIKE]

    def title(self, index: int) -> str:
        """An entry's title as the reason names it: its own, else its archive paper's, else its arXiv id."""
        entry, paper = self.reading.entries[index], self.found[index]
        return entry.title or (paper.title if paper else f"arXiv:{entry.arxiv_id}")
