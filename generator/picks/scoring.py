"""Each issue's papers scored against the reading list with the topic engine's TF-IDF vectors.

A paper's score ("contrast", the default) is its cosine with the centroid of the reading list's vectors
less ``CONTRAST`` × its cosine with the centroid of the archive's latest ``BACKGROUND`` papers: what sets
a paper apart from what the archive usually publishes, in the direction of the reading list. Measured
with ``make eval-picks`` (bench/eval/eval_picks.py, README "Picks from a reading list") against the plain
centroid cosine ("centroid", the default before), the closest reading-list paper ("max": one
near-duplicate phrase is enough), their mean ("mix"), the mean of the five closest ("knn"), Rocchio's
relevance feedback with the issue's own centroid ("rocchio": a small issue's papers take themselves off)
and with the latest papers' weighted again for every issue ("recent": at a weight of 1 a broad reading
list, or a new archive of a few papers on the list's subjects, leaves good papers below 0, and the
weighting cost 28 s on 9,877 papers). "contrast" keeps its background as running sums (``Background``:
each paper weighted once), leaves a paper and the reading list's own papers out of the background it is
scored against, and adds ``PRIOR_PAPERS`` papers shaped like the list's mean to it (a new archive
scores about a quarter of the plain cosine). The reason still names the closest reading-list papers.
Scoring is causal: an issue is scored with word weights (IDF) from its own and earlier issues only,
its background from the same, and a reading-list entry that is only an arXiv id is read from the
archive only once the archive has it, so adding an issue changes nothing before it. Scores are rounded
to ``DECIMALS`` before any tie is broken (by paper id), so the ranking is the same on every machine.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from generator.model import Paper
from generator.picks.reading_list import ReadingList, same_title_key
from generator.topics.features import BUCKETS, Vectorizer, idf, paper_text, weighted

DECIMALS = 4
LIKE = 3
"""How many of the closest reading-list titles a pick names (the first is its reason)."""
METHODS = ("max", "centroid", "mix", "knn", "rocchio", "recent", "contrast")
BACKGROUND = 2000  # "recent", "contrast": the latest papers up to the issue (at least the whole issue): the background
CONTRAST = 0.75  # "contrast": the share of the cosine with the background's centroid taken off
PRIOR_PAPERS = 50  # "contrast": the background also counts this many papers shaped like the reading list's mean
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


class Background:
    """The sum of the latest papers' TF-IDF vectors, whole issues, at least ``size`` papers (running sums: each
    paper is weighted once, with its own issue's word weights, and leaves when ``size`` newer papers follow)."""

    def __init__(self, size: int):
        self.size, self.count = size, 0
        self.total = np.zeros(BUCKETS, dtype=np.float64)
        self.issues: deque[tuple[int, np.ndarray, np.ndarray]] = deque()

    def add(self, vectors: sp.csr_matrix) -> None:
        papers = vectors.shape[0]
        sums = _column_sums(vectors)
        self.total[sums.indices] += sums.data
        self.issues.append((papers, sums.indices, sums.data))
        self.count += papers
        while self.count - self.issues[0][0] >= self.size:
            papers, indices, data = self.issues.popleft()
            self.total[indices] -= data
            self.count -= papers

    def cosines(self, vectors: sp.csr_matrix, prior: sp.csr_matrix) -> np.ndarray:
        """Each row's cosine with the sum plus ``prior`` (a sparse row), the row's own vector taken out of the
        sum (the rows are the issue's papers, in it: in a small background a paper would else weigh against
        itself). Rows are of unit length. No dense copy of the sum, no BLAS call (whose threads could make
        the sums depend on the machine)."""
        squared = (float(np.square(self.total).sum()) + 2 * float((self.total[prior.indices] * prior.data).sum())
                   + float(np.square(prior.data).sum()))
        dots = np.asarray(vectors @ self.total) + np.asarray((vectors @ sp.csr_matrix(prior.T)).todense()).ravel()
        own = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
        norms = np.sqrt(np.maximum(squared - 2 * dots + own, 0.0))
        return np.where(norms > 0, (dots - own) / np.where(norms > 0, norms, 1.0), 0.0)


def contrast_scores(papers: sp.csr_matrix, entries: sp.csr_matrix, background: Background) -> np.ndarray:
    """Each paper's cosine with the entries' centroid less ``CONTRAST`` × its cosine with the background's.

    The background is the latest papers (``Background``, without the paper itself) plus ``PRIOR_PAPERS``
    papers shaped like the reading list's mean: in a new archive of a few papers, most of them on the
    reading list's subjects, the score is then about (1 - CONTRAST) × the plain cosine, not below 0 for
    the very papers the list asks for; a few months in, the prior weighs a few percent.
    """
    total = _column_sums(entries)
    column = sp.csr_matrix(total.T)
    length = float(np.sqrt(total.multiply(total).sum())) or 1.0
    list_cosines = np.asarray((papers @ column).todense()).ravel() / length
    prior = total * (PRIOR_PAPERS / entries.shape[0])
    return list_cosines - CONTRAST * background.cosines(papers, prior)


def in_reading_list(paper: Paper, ids: frozenset[str], titles: frozenset[str]) -> bool:
    """True for a paper that is itself on the list: same arXiv id (or id, or alias), or same normalised title."""
    if paper.arxiv_id in ids or paper.id in ids or any(alias in ids for alias in paper.aliases):
        return True
    return same_title_key(paper.title) in titles


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

    def __init__(self, order: Sequence[Paper], counts: sp.csr_matrix, reading: ReadingList, method: str = "contrast"):
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
        self._title_keys: dict[int, frozenset[str]] = {}
        self._rows_at: dict[int, tuple[sp.csr_matrix, list[int], np.ndarray]] = {}
        self.listed_dates = sorted({paper.added for entry, paper in zip(reading.entries, self.found, strict=True)
                                    if paper is not None and paper.added is not None and not entry.abstract})
        ids, titles = reading.arxiv_ids, reading.title_keys
        self.excluded = np.fromiter((in_reading_list(paper, ids, titles) for paper in order), dtype=bool,
                                    count=len(order))

    def issues(self, dates: Collection[dt.date], per_issue: int, min_score: float) -> dict[dt.date, list[Pick]]:
        """The picks of each issue dated in ``dates``: its best ``per_issue`` papers scoring ``min_score`` or more."""
        found: dict[dt.date, list[Pick]] = {}
        df = np.zeros(BUCKETS, dtype=np.float64)
        background = Background(BACKGROUND) if self.method == "contrast" else None
        start = 0
        while start < len(self.order):
            date = self.order[start].added
            end = start
            while end < len(self.order) and self.order[end].added == date:
                end += 1
            df += np.bincount(self.counts[start:end].indices, minlength=BUCKETS)
            weighed = None
            if background is not None:  # every issue joins the background, scored or not
                weights = self.weights(start, end, df)
                weighed = weights, weighted(self.counts[start:end], weights)
                background.add(self.others(start, end, weighed[1]))
            if date in dates:
                found[date] = self.issue(start, end, df, per_issue, min_score, background, weighed)
            start = end
        return found

    def entry_rows(self, date: dt.date) -> tuple[sp.csr_matrix, list[int], np.ndarray]:
        """The counts of the entries readable as of ``date`` (their own text, else the archive's), their indexes,
        and in how many of them each term occurs. Made once per set of readable entries (it changes only when
        an issue lists an entry's paper)."""
        # Which entries read which text changes only on the dates an entry's paper is listed: going over every entry
        # for every issue made the picks of 1,000 issues and 20,000 entries take seconds more.
        state = bisect.bisect_right(self.listed_dates, date)
        known = self._rows_at.get(state)
        if known is not None:
            return known
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
        self._rows_at[state] = found
        return found

    def others(self, start: int, end: int, vectors: sp.csr_matrix) -> sp.csr_matrix:
        """The rows of the papers of rows ``start:end`` that are not on the reading list (the background's)."""
        excluded = self.excluded[start:end]
        return vectors[~excluded] if excluded.any() else vectors

    def weights(self, start: int, end: int, df: np.ndarray, also: np.ndarray | None = None) -> np.ndarray:
        """The word weights (IDF) of the issue of rows ``start:end``, for its papers' terms, the readable entries'
        and those of ``also``; zero elsewhere.

        They count the archive up to this issue (``df``, its ``end`` papers) and the readable entries: a word a
        paper shares with the reading list only is then no longer one "seen once", which weighs nothing.
        Only these terms need a weight (a dense pass over every bucket per issue was most of the time on an
        archive of hundreds of issues).
        """
        entries, kept, entry_df = self.entry_rows(self.order[start].added)
        parts = [self.counts.indices[self.counts.indptr[start]:self.counts.indptr[end]], entries.indices]
        columns = np.concatenate(parts if also is None else [*parts, also])  # repeats are harmless
        weights = np.zeros(BUCKETS, dtype=np.float64)
        weights[columns] = idf(df[columns] + entry_df[columns], end + len(kept))
        return weights

    def similarities(
        self, start: int, end: int, df: np.ndarray, background: Background | None = None,
        weighed: tuple[np.ndarray, sp.csr_matrix] | None = None,
    ) -> tuple[np.ndarray, list[int], np.ndarray]:
        """For the papers of rows ``start:end``: their cosine with each readable entry (papers × entries), the
        entries, and each paper's score by ``method`` ("contrast": against ``background``, else the issue's own).
        ``weighed``: the issue's word weights and its papers' vectors, when the caller has made them.
        """
        entries, kept, _ = self.entry_rows(self.order[start].added)
        if not kept:
            return np.zeros((end - start, 0)), kept, np.zeros(end - start)
        counts = self.counts[start:end]
        recent = self.counts[min(start, max(0, end - BACKGROUND)):end] if self.method == "recent" else counts
        if weighed is None:
            weights = self.weights(start, end, df, recent.indices if self.method == "recent" else None)
            papers = weighted(counts, weights)
        else:
            weights, papers = weighed
        vectors = weighted(entries, weights)
        similarity = np.asarray((papers @ vectors.T).todense(), dtype=np.float64)
        if self.method == "contrast":
            if background is None:  # one issue alone: its own papers are the background
                background = Background(end - start)
                background.add(self.others(start, end, papers))
            return similarity, kept, contrast_scores(papers, vectors, background)
        recent = weighted(recent, weights) if self.method == "recent" else papers
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

    def issue(self, start: int, end: int, df: np.ndarray, per_issue: int, min_score: float,
              background: Background | None = None,
              weighed: tuple[np.ndarray, sp.csr_matrix] | None = None) -> list[Pick]:
        similarity, kept, scores = self.similarities(start, end, df, background, weighed)
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
        """The titles of the closest entries (rounded similarity, then title, then line), each paper once: a library
        exported with a duplicate item (Zotero's and Google Scholar's entries of one paper) named it twice."""
        rounded = np.round(similarity, DECIMALS)
        titles: list[str] = []
        seen: set[str] = set()
        # Only the closest values' entries are ordered by title and compared, best value first, until LIKE titles are
        # found: ordering and comparing every entry took seconds per issue with a reading list of thousands.
        for value in np.unique(rounded[rounded > 0])[::-1].tolist():
            columns = np.flatnonzero(rounded == value).tolist()
            for title, index in sorted((self.title(kept[column]), kept[column]) for column in columns):
                keys = self.title_keys(index, title)
                if not keys & seen:
                    titles.append(title)
                    if len(titles) == LIKE:
                        return tuple(titles)
                seen |= keys
        return tuple(titles)

    def title_keys(self, index: int, title: str) -> frozenset[str]:
        """What tells an entry's paper from the others': its title's key and arXiv id (made once per entry)."""
        found = self._title_keys.get(index)
        if found is None:
            arxiv_id = self.reading.entries[index].arxiv_id
            found = self._title_keys[index] = frozenset({same_title_key(title),
                                                         *((f"arXiv:{arxiv_id}",) if arxiv_id else ())})
        return found

    def title(self, index: int) -> str:
        """An entry's title as the reason names it: its own, else its archive paper's, else its arXiv id."""
        entry, paper = self.reading.entries[index], self.found[index]
        return entry.title or (paper.title if paper else f"arXiv:{entry.arxiv_id}")
