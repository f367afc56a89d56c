"""The learner: topics taught first by the taxonomy's text, then by the archive itself (self-training).

A topic's text (its name as a title; its description and keywords as an abstract) is a TF-IDF vector,
and a paper's *prior* for the topic is the cosine between the two, plus ``CATEGORY_WEIGHT`` when the
paper's source category is one the topic lists. The papers each topic places most clearly (the
``SEED_SHARE`` with the widest margin over the runner-up) are its first examples. Then, for a few
rounds, every topic is the centroid of its papers and every paper goes where

    score = cosine(paper, topic centroid) + PRIOR_WEIGHT × prior

is highest: the archive teaches the words a topic's papers share beyond its keywords, and the prior
keeps each topic what its maintainer described. A paper is scored against its own topic's centroid
without itself (leave-one-out), so it never votes for itself. Measured against
seeded EM with multinomial naive Bayes, label spreading over a nearest-neighbour graph, logistic
regression self-training and plain TF-IDF cosine (README, "How topics are chosen").

The learner works issue by issue (``Learner.teach`` at a refresh, ``Learner.score`` between refreshes):
papers of earlier issues count in the centroids with the topic they were published with, and pinned
papers (curation) with their pinned topic, so a new issue never moves an older one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from generator.topics.features import BUCKETS, WORD_BUCKETS, idf, normalize_rows, sublinear, weighted

# How much the taxonomy's own text (cosine to the topic's name, description and keywords) counts
# beside the cosine to the topic's papers. Chosen on the development sets (bench/eval): 0.5-1.5 all
# did about as well; the same value serves every field.
PRIOR_WEIGHT = 1.0
# A listed source category ("q-bio.NC") weighs this much in the prior (a cosine is at most 1):
# primary category in full, a cross-listed one half.
CATEGORY_WEIGHT = 1.0
# The share of each topic's papers (by the prior's margin) that serve as its first examples.
SEED_SHARE = 0.1
# A centroid of n papers counts n / (n + SHRINK): in a small archive the taxonomy's text leads.
SHRINK = 10
# Rounds of self-training at most (it usually settles in three or four).
ROUNDS = 8
# A paper sharing no word with any topic's text goes to "Other" unless its cosine to some topic's
# centroid reaches this (in the development sets the median paper's best cosine is about 0.11 and one
# paper in a thousand shares no word with the taxonomy); and any paper whose best score is below MIN_SCORE.
OTHER_SIMILARITY = 0.15
MIN_SCORE = 0.02
# Issues of this many papers are taught with dense centroids (faster for them; the same figures).
DENSE_FROM = 500
# Scores are rounded to this many places before any comparison, so machines that differ in the last
# bits of a floating-point sum choose the same topics.
PLACES = 9


@dataclass
class Issue:
    """What the learner needs of one issue's papers (rows of the archive's matrices)."""

    counts: sp.csr_matrix  # term counts (features.count_rows)
    categories: np.ndarray  # papers × topics: category evidence, 0 when none
    fixed: np.ndarray  # papers: the pinned topic's index, or -1
    vetoed: np.ndarray  # papers × topics: an ``exclude`` keyword matched


@dataclass
class Outcome:
    """Scores of one issue's papers: the total, and its two parts (for the evidence)."""

    score: np.ndarray  # papers × topics
    prior: np.ndarray  # cosine to the topic's text (+ category evidence)
    similarity: np.ndarray  # cosine to the topic's centroid
    labels: np.ndarray  # the first topic's index (-1: no topic has evidence)


class Learner:
    """Topic centroids that grow with the archive; document frequencies refreshed as it grows.

    The call order per issue: at a refresh ``count`` (the issue's papers join the document
    frequencies), ``refresh``, ``teach``, ``remember``, ``rebase``; between refreshes ``score`` and
    ``remember`` (their papers join the centroids at the next ``rebase``).
    """

    def __init__(self, topic_counts: sp.csr_matrix) -> None:
        self.topics = topic_counts.shape[0]
        self.topic_counts = topic_counts
        # The topics' texts count as documents: a word shared by one paper and a description links them.
        self.df = np.bincount(topic_counts.indices, minlength=BUCKETS).astype(np.float64)
        self.documents = self.topics
        self.sums_t = np.zeros((BUCKETS, self.topics))  # per topic, the sum of its papers' unit TF rows
        self.sizes = np.zeros(self.topics, dtype=np.int64)  # and how many papers that is
        self.refresh()

    def count(self, counts: sp.csr_matrix) -> None:
        """Add papers to the document frequencies (they take effect at the next ``refresh``)."""
        self.df += np.bincount(counts.indices, minlength=BUCKETS)
        self.documents += counts.shape[0]

    def refresh(self) -> None:
        """Word weights from the document frequencies so far; topic vectors and centroids with them."""
        self.weights = idf(self.df, self.documents)
        self.topic_vectors = sp.csr_matrix(weighted(sublinear(self.topic_counts), self.weights).T)
        self.rebase()

    def rebase(self) -> None:
        """Centroids from the papers remembered so far, with the current weights."""
        self.base_t = self.sums_t * self.weights[:, np.newaxis]  # buckets × topics, before unit length
        self.base_norm2 = np.sum(np.square(self.base_t), axis=0)
        self.base_norms = np.sqrt(self.base_norm2)

    def teach(self, issue: Issue) -> Outcome:
        """Self-training over one issue's papers, with the papers already remembered held fixed."""
        vectors = weighted(sublinear(issue.counts), self.weights)
        units = normalize_rows(sublinear(issue.counts))
        prior = np.asarray((vectors @ self.topic_vectors).todense()) + issue.categories
        from_base = np.asarray(vectors @ self.base_t)
        if self.base_norm2.any():
            first = self._similarity(from_base, vectors, units, None)
            labels = self._choose(first + PRIOR_WEIGHT * prior, prior, first, issue)
        else:
            labels = _seeds(_masked(prior, issue.vetoed), SEED_SHARE)
        labels = np.where(issue.fixed >= 0, issue.fixed, labels)
        score = similarity = np.zeros((vectors.shape[0], self.topics))
        for _ in range(ROUNDS):
            similarity = self._similarity(from_base, vectors, units, labels)
            score = similarity + PRIOR_WEIGHT * prior
            new = np.where(issue.fixed >= 0, issue.fixed, self._choose(score, prior, similarity, issue))
            if np.array_equal(new, labels):
                break
            labels = new
        return Outcome(_masked(score, issue.vetoed), prior, similarity, labels)

    def score(self, issue: Issue) -> Outcome:
        """Score papers with the centroids of the last refresh (no learning: between refreshes)."""
        vectors = weighted(sublinear(issue.counts), self.weights)
        prior = np.asarray((vectors @ self.topic_vectors).todense()) + issue.categories
        similarity = self._similarity(np.asarray(vectors @ self.base_t), vectors, vectors, None)
        score = similarity + PRIOR_WEIGHT * prior
        labels = np.where(issue.fixed >= 0, issue.fixed, self._choose(score, prior, similarity, issue))
        return Outcome(_masked(score, issue.vetoed), prior, similarity, labels)

    def remember(self, counts: sp.csr_matrix, labels: np.ndarray) -> None:
        """Add papers to their topics' centroids (``labels`` -1: to none); they take effect at ``rebase``."""
        members = self._members(labels, normalize_rows(sublinear(counts))).tocoo()
        self.sums_t[members.col, members.row] += members.data
        self.sizes += np.bincount(labels[labels >= 0], minlength=self.topics)

    def top_terms(self, counts: sp.csr_matrix, words: sp.csr_matrix, topics: np.ndarray, limit: int) -> list[list[int]]:
        """For each paper and topic asked, the words (ids in ``words``) that weigh most in its cosine to the centroid.

        ``counts`` and ``words`` are the papers' rows of the term counts and of ``WordNames``: the
        word buckets of a row of ``counts`` are, in order, the buckets of the same row of ``words``.
        """
        terms = sublinear(counts)
        data = terms.data * self.weights[terms.indices]
        rows = np.repeat(np.arange(terms.shape[0]), np.diff(terms.indptr))
        norms = np.sqrt(np.bincount(rows, weights=np.square(data), minlength=terms.shape[0]))
        word = terms.indices < WORD_BUCKETS
        rows, columns, data = rows[word], terms.indices[word], data[word]
        if len(columns) != words.nnz or not np.array_equal(columns, words.indices):
            raise ValueError("top terms: the word rows do not match the term counts")
        topic = topics[rows]
        centroid = np.where(self.base_norms > 0, self.base_norms, 1.0)
        weight = np.round(data / np.where(norms > 0, norms, 1.0)[rows] * self.base_t[columns, topic] / centroid[topic],
                          PLACES)
        order = np.lexsort((words.data, -weight, rows))
        rows, identifiers, weight = rows[order], words.data[order], weight[order]
        starts = np.searchsorted(rows, np.arange(terms.shape[0]))
        keep = (np.arange(len(rows)) - starts[rows] < limit) & (weight > 0)
        kept_rows, kept = rows[keep], identifiers[keep].tolist()
        bounds = np.searchsorted(kept_rows, np.arange(terms.shape[0] + 1)).tolist()
        return [kept[bounds[n]:bounds[n + 1]] for n in range(terms.shape[0])]

    def _members(self, labels: np.ndarray, units: sp.csr_matrix) -> sp.csr_matrix:
        """Topics × buckets: the sum of the unit TF rows of each topic's papers."""
        kept = np.flatnonzero(labels >= 0)
        membership = sp.csr_matrix(
            (np.ones(len(kept)), (labels[kept], kept)), shape=(self.topics, units.shape[0])
        )
        return sp.csr_matrix(membership @ units)

    def _similarity(
        self, from_base: np.ndarray, vectors: sp.csr_matrix, units: sp.csr_matrix, labels: np.ndarray | None
    ) -> np.ndarray:
        """Cosine of each paper to each topic's centroid: the remembered papers plus this issue's ``labels``.

        Leave-one-out: a paper's own topic is measured without the paper itself, so it never votes for
        itself. ``from_base`` holds the papers' products with the remembered centroids; this issue's
        part is kept sparse, so no centroid is made dense for it.
        """
        numerator, norm2 = from_base, np.broadcast_to(self.base_norm2, from_base.shape)
        if labels is None or not (labels >= 0).any():
            trusted: np.ndarray = _divide(numerator, norm2) * _trust(np.broadcast_to(self.sizes, from_base.shape))
            return trusted
        members = sp.csr_matrix(self._members(labels, units).multiply(self.weights[np.newaxis, :]))
        coo = members.tocoo()
        cross = np.bincount(coo.row, weights=coo.data * self.base_t[coo.col, coo.row], minlength=self.topics)
        topic_norm2 = self.base_norm2 + 2 * cross + np.bincount(coo.row, weights=np.square(coo.data),
                                                                minlength=self.topics)
        own = np.flatnonzero(labels >= 0)
        label = labels[own]
        mine = sp.csr_matrix(units[own].multiply(self.weights[np.newaxis, :]))
        rows = np.repeat(np.arange(len(own)), np.diff(mine.indptr))
        if vectors.shape[0] >= DENSE_FROM:  # a big issue: one dense product beats many sparse ones
            dense = members.T.toarray()
            numerator = from_base + np.asarray(vectors @ dense)
            with_members = np.bincount(rows, weights=mine.data * dense[mine.indices, label[rows]], minlength=len(own))
        else:
            transposed = sp.csr_matrix(members.T)
            numerator = from_base + np.asarray((vectors @ transposed).todense())
            with_members = np.asarray((mine @ transposed).todense())[np.arange(len(own)), label]
        norm2 = np.tile(topic_norm2, (vectors.shape[0], 1))
        # The paper's own share of its topic: out of the numerator and of the centroid's length.
        with_itself = _row_dot(vectors[own], mine)
        with_base = np.bincount(rows, weights=mine.data * self.base_t[mine.indices, label[rows]], minlength=len(own))
        numerator[own, label] -= with_itself
        norm2[own, label] += -2 * (with_base + with_members) + _row_dot(mine, mine)
        sizes = np.tile(self.sizes + np.bincount(label, minlength=self.topics), (vectors.shape[0], 1))
        sizes[own, label] -= 1
        similarity: np.ndarray = _divide(numerator, norm2) * _trust(sizes)
        return similarity

    def _choose(self, score: np.ndarray, prior: np.ndarray, similarity: np.ndarray, issue: Issue) -> np.ndarray:
        """Each paper's best topic (-1 when it has no evidence for any: see ``without_evidence``)."""
        masked = np.round(_masked(score, issue.vetoed), PLACES)
        best = np.argmax(masked, axis=1)
        return np.where(without_evidence(masked, prior, similarity), -1, best)


def without_evidence(score: np.ndarray, prior: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """Papers for "Other": no word in common with any topic's text and not clearly like any topic's papers.

    (Or a best score below MIN_SCORE: next to nothing in common with anything.)
    """
    if not score.shape[1]:
        return np.ones(score.shape[0], dtype=bool)
    unrelated = (np.max(prior, axis=1) <= 0) & (np.max(similarity, axis=1) < OTHER_SIMILARITY)
    found: np.ndarray = unrelated | (np.max(score, axis=1) < MIN_SCORE)
    return found


def _masked(score: np.ndarray, vetoed: np.ndarray) -> np.ndarray:
    return np.where(vetoed, -np.inf, score) if vetoed.any() else score


def _seeds(prior: np.ndarray, share: float) -> np.ndarray:
    """The first examples: per topic, the ``share`` of the papers it places first with the widest margins."""
    papers, topics = prior.shape
    labels = np.full(papers, -1)
    if topics == 0 or papers == 0:
        return labels
    rounded = np.round(prior, PLACES)
    best = np.argmax(rounded, axis=1)
    ordered = np.sort(rounded, axis=1)
    margin = ordered[:, -1] - (ordered[:, -2] if topics > 1 else 0.0)
    evident = ordered[:, -1] > 0
    for topic in range(topics):
        mine = np.flatnonzero((best == topic) & evident)
        if len(mine):
            take = max(1, int(np.ceil(share * len(mine))))
            ranked = mine[np.lexsort((mine, -margin[mine]))]  # widest margin first, ties by position
            labels[ranked[:take]] = topic
    return labels


def _trust(sizes: np.ndarray) -> np.ndarray:
    """How far a centroid of this many papers is trusted: a few papers say little, hundreds a lot."""
    trust: np.ndarray = sizes / (sizes + SHRINK)
    return trust


def _row_dot(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    """Row-by-row dot products of two matrices of the same shape."""
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()


def _divide(numerator: np.ndarray, norm2: np.ndarray) -> np.ndarray:
    """Cosines from products and squared lengths (a centroid of length 0 gives 0)."""
    norms = np.sqrt(np.maximum(norm2, 0.0))
    return np.where(norms > 1e-12, numerator / np.where(norms > 1e-12, norms, 1.0), 0.0)
