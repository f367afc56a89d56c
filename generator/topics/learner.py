"""The learner: topics taught first by the taxonomy's text, then by the archive itself (self-training).

A topic's text (its name as a title; its description and keywords as an abstract) is a TF-IDF vector,
and a paper's *prior* for the topic is the cosine between the two, plus ``CATEGORY_WEIGHT`` when the
paper's source category is one the topic lists. The papers each topic places most clearly (the
``SEED_SHARE`` with the widest margin over the runner-up) are its first examples. Then, for a few
rounds, every topic is the centroid of its papers and every paper goes where

    score = trust × cosine(paper, topic centroid) + PRIOR_WEIGHT × prior

is highest: the archive teaches the words a topic's papers share beyond its keywords, and the prior
keeps each topic what its maintainer described. A paper is scored against its own topic's centroid
without itself (leave-one-out), so it never votes for itself; a centroid of few papers is trusted
less (``SHRINK``), so a small archive leans on the taxonomy's text.

Once the topics settle, the same papers teach a second, different model: multinomial naive Bayes
(each topic's word distribution, topics equally likely a priori, also leave-one-out). A cosine to a
centroid counts the words a topic's papers share; naive Bayes also counts the words a topic's papers
never use, which tells apart neighbouring topics that share most of their vocabulary. Its tempered
probability, ``BAYES_WEIGHT`` × softmax(``BAYES_TEMPERATURE`` × log-likelihood), joins the score for
the final choice and for the issues scored until the next teaching. Measured against seeded EM with
multinomial naive Bayes alone, label spreading over a nearest-neighbour graph, logistic-regression
self-training and plain TF-IDF cosine (README, "How topics are chosen").

The learner is taught with the whole archive as it stood at a refresh (``teach``, started from what
it knew before, so it settles in a round or two) and scores the issues between refreshes with those
centroids (``score``). Stability comes from the caller: each paper keeps the topics of the model of
its own issue, and that model saw only its own and earlier issues.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from generator.topics.features import BUCKETS, WORD_BUCKETS, idf, sublinear, weighted

# How much the taxonomy's own text (cosine to the topic's name, description and keywords) counts
# beside the cosine to the topic's papers. Chosen on development data only (bench/eval: the astro,
# physics and cs sets, where 1.0-1.5 did equally well, and the early part of the daily-papers archive,
# where 1.5 kept topics from drifting over hundreds of issues); the same value serves every field.
PRIOR_WEIGHT = 1.5
# Words of the taxonomy's text that more than this share of the papers (and topics) use count for nothing.
COMMON_SHARE = 0.5
# A listed source category ("q-bio.NC") weighs this much in the prior (a cosine is at most 1):
# primary category in full, a cross-listed one half.
CATEGORY_WEIGHT = 1.0
# The share of each topic's papers (by the prior's margin) that serve as its first examples.
SEED_SHARE = 0.1
# A centroid of n papers counts n / (n + SHRINK): in a small archive the taxonomy's text leads.
SHRINK = 5
# Rounds of self-training at most; it stops sooner once fewer than SETTLED of the papers change topic.
ROUNDS = 8
SETTLED = 0.01
# A paper sharing no word with any topic's text goes to "Other" unless its similarity to some topic's
# papers reaches this: next to nothing in common (in the development sets the median paper's best
# similarity is about 0.11, its 1st percentile about 0.05); and any paper whose best score is below
# MIN_SCORE. With a full taxonomy one paper in a thousand shares no word with it; a taxonomy of bare
# names shares none with a third of the papers, and the 0.15 of earlier versions ("clearly like a
# topic's papers") put 15-45% of them in "Other" (README, "How topics are chosen").
OTHER_SIMILARITY = 0.05
MIN_SCORE = 0.02
# The naive Bayes model that joins the score once the topics settle: its weight, the temperature of its
# log-likelihoods (naive Bayes is far too sure of itself: words are not independent) and its smoothing
# (per bucket, in units of a paper's weighted term). Chosen on the development sets (astro, physics, cs:
# +0.8, -0.1 and +1.6 points of agreement; the daily papers' development labels level); weights from
# 0.03 to 0.2 (temperature 0.1 to 0.5) all helped cs and astro, and the mean of the three peaked here.
BAYES_WEIGHT = 0.07
BAYES_TEMPERATURE = 0.3
BAYES_SMOOTHING = 0.01
# Scores are rounded to this many places before any comparison, so machines that differ in the last
# bits of a floating-point sum choose the same topics.
PLACES = 9


@dataclass
class Issue:
    """What the learner needs of some papers (rows of the archive's matrices)."""

    counts: sp.csr_matrix  # term counts (features.count_rows)
    categories: np.ndarray  # papers × topics: category evidence, 0 when none
    fixed: np.ndarray  # papers: the pinned topic's index, or -1
    vetoed: np.ndarray  # papers × topics: an ``exclude`` keyword matched


@dataclass
class Outcome:
    """Scores of some papers: the total, and its two parts (for the evidence)."""

    score: np.ndarray  # papers × topics: similarity + PRIOR_WEIGHT × prior (+ BAYES_WEIGHT × naive Bayes)
    prior: np.ndarray  # cosine to the topic's text (+ category evidence)
    similarity: np.ndarray  # trust × cosine to the topic's centroid
    labels: np.ndarray  # the first topic's index (-1: no evidence for any topic)


class Learner:
    """Word weights, topic vectors and topic centroids, as of the last refresh."""

    def __init__(self, topic_counts: sp.csr_matrix) -> None:
        self.topics = topic_counts.shape[0]
        self.topic_counts = topic_counts
        self.centroids = np.zeros((0, self.topics))  # unit columns, weighted
        self.model = np.zeros((0, 2 * self.topics))  # the centroids, then naive Bayes' log-probabilities
        self.centroid_column = np.full(BUCKETS, -1, dtype=np.int64)  # bucket → row of ``centroids``
        self.sizes = np.zeros(self.topics, dtype=np.int64)
        self.known = np.zeros(0, dtype=np.int64)  # labels of the papers taught so far
        # The topics' texts count as documents: a word shared by one paper and a description links them.
        self.df = np.bincount(topic_counts.indices, minlength=BUCKETS).astype(np.int64)
        self.documents = self.topics
        self.refresh()

    def count(self, counts: sp.csr_matrix) -> None:
        """Papers that join the document frequencies (at the next ``refresh``)."""
        self.df += np.bincount(counts.indices, minlength=BUCKETS)
        self.documents += counts.shape[0]

    def refresh(self) -> None:
        """Word weights from the document frequencies so far; topic vectors with them."""
        self.weights = idf(self.df.astype(np.float64), self.documents)
        # Vectors live on the buckets that carry weight (terms of two papers or more), numbered anew.
        self.used = np.flatnonzero(self.weights > 0)
        self.column = np.full(BUCKETS, -1, dtype=np.int64)
        self.column[self.used] = np.arange(len(self.used))
        # In the taxonomy's text, a word that most papers use ("model" in a machine-learning archive)
        # tells topics apart no better than chance: it counts for nothing there.
        common = self.df > COMMON_SHARE * self.documents
        topics = weighted(sublinear(self.topic_counts), np.where(common, 0.0, self.weights))
        self.compact_topics = sp.csr_matrix(
            (topics.data.astype(np.float32), self.column[topics.indices], topics.indptr),
            shape=(self.topics, len(self.used)),
        ).T.tocsr()

    def teach(self, papers: Issue, first: int, issue: int = 0) -> Outcome:
        """Self-training over the papers so far from number ``first`` on, started from what it found before.

        Returns the outcome of the rows of ``papers`` from ``issue`` on (the issue being published).
        """
        vectors, scale = self._vectors(papers.counts)
        prior = np.asarray((vectors @ self.compact_topics).todense(), dtype=np.float64) + papers.categories
        known = len(self.known) - first
        if known > 0:  # warm: earlier papers as last time, the new ones as the last centroids place them
            similarity, likelihood = self._inductive(vectors[known:], self.centroid_column[self.used])
            later = self._outcome(prior[known:], similarity, papers, known, _tempered(likelihood)).labels
            labels = np.concatenate([self.known[first:], later])
        else:
            labels = _seeds(_masked(prior, papers.vetoed), SEED_SHARE)
        labels = np.where(papers.fixed >= 0, papers.fixed, labels)
        for step in range(ROUNDS):
            members = self._members(labels, vectors, scale)
            similarity = self._leave_one_out(vectors, scale, labels, members)
            moved = self._outcome(prior, similarity, papers, 0).labels
            if step == ROUNDS - 1 or np.sum(moved != labels) <= SETTLED * len(labels):
                break
            labels = moved
        # Settled: naive Bayes, taught by the same papers (``labels``), has its say in the issue's final choice
        # (earlier papers keep their published topics: only the issue's are worth the work).
        likelihood = _log_probabilities(members)
        bayes = _bayes_leave_one_out(vectors[issue:], scale[issue:], labels[issue:], members, likelihood)
        outcome = self._outcome(prior[issue:], similarity[issue:], papers, issue, bayes)
        self.known = np.concatenate([self.known[:first], moved[:issue], outcome.labels])
        self.sizes = np.bincount(labels[labels >= 0], minlength=self.topics)
        self.model = np.ascontiguousarray(np.hstack([_unit_columns(members), likelihood]))
        self.centroids = self.model[:, :self.topics]
        self.centroid_column = self.column
        return outcome

    def score(self, papers: Issue) -> Outcome:
        """Score papers with the centroids of the last refresh (no learning: between refreshes)."""
        vectors, _ = self._vectors(papers.counts)
        prior = np.asarray((vectors @ self.compact_topics).todense(), dtype=np.float64) + papers.categories
        similarity, likelihood = self._inductive(vectors, self.centroid_column[self.used])
        return self._outcome(prior, similarity, papers, 0, _tempered(likelihood))

    def _vectors(self, counts: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
        """Unit TF-IDF rows on the weighted buckets (numbered by ``self.column``), and each row's ``scale``.

        A centroid sums its papers' unit TF rows times the word weights: a paper's TF-IDF row times
        its scale (the length of its TF-IDF row over the length of its TF row).
        """
        data = 1.0 + np.log(counts.data.astype(np.float64))
        lengths = np.diff(counts.indptr)
        plain = np.sqrt(_row_sums(np.square(data), counts.indptr))
        data *= self.weights[counts.indices]
        strength = np.sqrt(_row_sums(np.square(data), counts.indptr))
        column = self.column[counts.indices]
        kept = column >= 0
        data *= np.repeat(1.0 / np.where(strength > 0, strength, 1.0), lengths)
        ends = np.concatenate([[0], np.cumsum(kept)])[counts.indptr]
        # float32: half the memory and traffic of the products; ample for cosines rounded to PLACES.
        vectors = sp.csr_matrix((data[kept].astype(np.float32), column[kept], ends),
                                shape=(counts.shape[0], len(self.used)))
        return vectors, strength / np.where(plain > 0, plain, 1.0)

    def add(self, labels: np.ndarray) -> None:
        """Papers scored since the last refresh: where the next teaching starts them."""
        self.known = np.concatenate([self.known, labels])

    def top_terms(
        self, counts: sp.csr_matrix, words: sp.csr_matrix, rows: np.ndarray, topics: np.ndarray, limit: int,
        hidden: np.ndarray | None = None,
    ) -> np.ndarray:
        """For each (paper row, topic) asked, the ids (in ``words``) of the ``limit`` words that weigh most
        in the paper's cosine to the topic's centroid, best first (-1 where there are fewer).

        ``counts`` and ``words`` are the papers' rows of the term counts and of ``WordNames``: the word
        buckets of a row of ``counts`` are, in order, the buckets of the same row of ``words``. ``hidden``
        (by word id): words never named (TeX commands).
        """
        data = 1.0 + np.log(counts.data.astype(np.float64))
        data *= self.weights[counts.indices]
        norms = np.sqrt(_row_sums(np.square(data), counts.indptr))
        entry_rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        word = counts.indices < WORD_BUCKETS
        columns, data = counts.indices[word], data[word] / np.where(norms > 0, norms, 1.0)[entry_rows[word]]
        if len(columns) != words.nnz or not np.array_equal(columns, words.indices):
            raise ValueError("top terms: the word rows do not match the term counts")
        starts = words.indptr[rows]
        lengths = words.indptr[rows + 1] - starts
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        entry = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])  # each pair's word entries
        column = self.centroid_column[columns[entry]]
        topic = np.repeat(topics, lengths)
        weight = np.round(data[entry] * np.where(column >= 0, self.centroids[np.maximum(column, 0), topic], 0.0),
                          PLACES)
        identifiers = words.data[entry]
        if hidden is not None:
            weight[hidden[identifiers]] = 0.0
        # The heaviest entry of each pair, `limit` times over (ties: the first bucket); no sort of every entry.
        found = np.full((len(rows), limit), -1, dtype=np.int64)
        position = np.arange(len(weight))
        segment = np.minimum(indptr[:-1], len(weight))
        empty = lengths == 0
        for rank in range(limit):
            if not len(weight):
                break
            best = np.maximum.reduceat(np.append(weight, -1.0), segment)
            best[empty] = -1.0
            where = np.where((weight == np.repeat(best, lengths)) & (weight > 0), position, len(weight))
            first = np.minimum.reduceat(np.append(where, len(weight)), segment)
            taken = np.flatnonzero((first < len(weight)) & ~empty)
            found[taken, rank] = identifiers[first[taken]]
            weight[first[taken]] = -1.0
        return found

    def _outcome(
        self, prior: np.ndarray, similarity: np.ndarray, papers: Issue, offset: int, bayes: np.ndarray | None = None
    ) -> Outcome:
        """Scores and first topics from the parts (rows from ``offset`` of ``papers``): naive Bayes' probabilities
        join them once the topics have settled."""
        rows = slice(offset, offset + prior.shape[0])
        total = similarity + PRIOR_WEIGHT * prior
        if bayes is not None:
            total += BAYES_WEIGHT * bayes
        score = _masked(total, papers.vetoed[rows])
        rounded = np.round(score, PLACES)
        labels = np.where(without_evidence(rounded, prior, similarity), -1, np.argmax(rounded, axis=1))
        labels = np.where(papers.fixed[rows] >= 0, papers.fixed[rows], labels)
        return Outcome(score, prior, similarity, labels)

    def _inductive(self, vectors: sp.csr_matrix, column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Trust × cosine of papers (rows as ``_vectors`` gives them) to the centroids of the last teaching,
        and their naive Bayes log-likelihoods (both from one product with ``model``).

        ``column`` maps this refresh's bucket numbers to the rows of the model (-1: none).
        """
        renumbered = column[vectors.indices]
        kept = renumbered >= 0
        ends = np.concatenate([[0], np.cumsum(kept)])[vectors.indptr]
        compact = sp.csr_matrix((vectors.data[kept], renumbered[kept], ends),
                                shape=(vectors.shape[0], self.model.shape[0]))
        product = np.asarray(compact @ self.model, dtype=np.float64)
        similarity: np.ndarray = product[:, :self.topics] * _trust(self.sizes)[np.newaxis, :]
        likelihood = product[:, self.topics:]
        # A topic without papers has no word distribution: naive Bayes gives it nothing.
        likelihood[:, self.sizes == 0] = -np.inf
        return similarity, likelihood

    def _members(self, labels: np.ndarray, vectors: sp.csr_matrix, scale: np.ndarray) -> np.ndarray:
        """Buckets × topics (dense): the sum of the weighted unit TF rows of each topic's papers."""
        kept = np.flatnonzero(labels >= 0)
        membership = sp.csr_matrix((scale[kept].astype(np.float32), (labels[kept], kept)),
                                   shape=(self.topics, vectors.shape[0]))
        return np.ascontiguousarray(sp.csr_matrix(membership @ vectors).T.toarray())

    def _leave_one_out(
        self, vectors: sp.csr_matrix, scale: np.ndarray, labels: np.ndarray, members: np.ndarray | None = None
    ) -> np.ndarray:
        """Trust × cosine of each paper to each topic's centroid, its own topic's without the paper itself.

        The paper's own share follows from its scale: its row is scale × its unit TF-IDF row.
        ``members`` is ``_members(labels, ...)`` when the caller has it.
        """
        dense = self._members(labels, vectors, scale) if members is None else members
        numerator = np.asarray(vectors @ dense, dtype=np.float64)
        norm2 = np.tile(np.einsum("bk,bk->k", dense, dense, dtype=np.float64), (vectors.shape[0], 1))
        sizes = np.tile(np.bincount(labels[labels >= 0], minlength=self.topics), (vectors.shape[0], 1))
        own = np.flatnonzero(labels >= 0)
        if len(own):
            label, share = labels[own], scale[own]
            norm2[own, label] += -2 * share * numerator[own, label] + np.square(share)
            numerator[own, label] -= share
            sizes[own, label] -= 1
        found: np.ndarray = _divide(numerator, norm2) * _trust(sizes)
        return found


def _log_probabilities(members: np.ndarray) -> np.ndarray:
    """Buckets × topics (float32): naive Bayes' smoothed log-probability of each term in each topic's papers."""
    denominator = np.log(_bayes_totals(members)).astype(np.float32)
    found: np.ndarray = np.log(members + np.float32(BAYES_SMOOTHING)) - denominator[np.newaxis, :]
    return found


def _bayes_totals(members: np.ndarray) -> np.ndarray:
    """Per topic: the weight of all its papers' terms, plus the smoothing of every bucket."""
    totals: np.ndarray = np.sum(members, axis=0, dtype=np.float64) + BAYES_SMOOTHING * max(members.shape[0], 1)
    return totals


def _bayes_leave_one_out(
    vectors: sp.csr_matrix, scale: np.ndarray, labels: np.ndarray, members: np.ndarray, likelihood: np.ndarray
) -> np.ndarray:
    """Naive Bayes' tempered probabilities of the papers that taught it, each paper's own topic without it.

    A paper's row of ``members`` is scale × its unit row, as in ``_leave_one_out``.
    """
    found = np.asarray(vectors @ likelihood, dtype=np.float64)
    topics = members.shape[1]
    row_topic = np.repeat(labels, np.diff(vectors.indptr))
    own = row_topic >= 0
    value = vectors.data[own]
    share = np.repeat(scale.astype(np.float32), np.diff(vectors.indptr))[own] * value
    before = members.ravel()[vectors.indices[own].astype(np.int64) * topics + row_topic[own]]
    change = np.log1p(-np.minimum(share / (before + np.float32(BAYES_SMOOTHING)), np.float32(0.999999)))
    papers = np.flatnonzero(labels >= 0)
    topic = labels[papers]
    own_rows = np.concatenate([[0], np.cumsum(own)])[vectors.indptr]
    lost = _row_sums((value * change).astype(np.float64), own_rows)[papers]
    removed = _row_sums(share.astype(np.float64), own_rows)[papers]
    words = _row_sums(value.astype(np.float64), own_rows)[papers]
    totals = _bayes_totals(members)[topic]
    found[papers, topic] += lost - words * (np.log(np.maximum(totals - removed, 1e-12)) - np.log(totals))
    sizes = np.bincount(labels[papers], minlength=members.shape[1])
    found[:, sizes == 0] = -np.inf
    alone = papers[sizes[topic] == 1]  # a topic of one paper is empty without it
    found[alone, labels[alone]] = -np.inf
    return _tempered(found)


def _tempered(likelihood: np.ndarray) -> np.ndarray:
    """Softmax of ``BAYES_TEMPERATURE`` × log-likelihoods over the topics (zeros where no topic has papers)."""
    best = np.max(likelihood, axis=1, keepdims=True) if likelihood.shape[1] else np.zeros((len(likelihood), 1))
    finite = np.isfinite(best)
    power = np.exp(BAYES_TEMPERATURE * (likelihood - np.where(finite, best, 0.0)))
    total = np.sum(power, axis=1, keepdims=True)
    found: np.ndarray = np.where(finite, power / np.where(total > 0, total, 1.0), 0.0)
    return found


def without_evidence(score: np.ndarray, prior: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """Papers for "Other": no word in common with any topic's text, and next to nothing with any topic's papers.

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
    with np.errstate(invalid="ignore"):  # a paper every topic's exclude vetoes: -inf - -inf, never evident
        margin = ordered[:, -1] - (ordered[:, -2] if topics > 1 else 0.0)
    evident = ordered[:, -1] > 0
    for topic in range(topics):
        mine = np.flatnonzero((best == topic) & evident)
        if len(mine):
            take = max(1, int(np.ceil(share * len(mine))))
            ranked = mine[np.lexsort((mine, -margin[mine]))]  # widest margin first, ties by position
            labels[ranked[:take]] = topic
    return labels


def _row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sums of ``values`` over the rows a CSR ``indptr`` delimits (empty rows: 0)."""
    if not len(values):
        return np.zeros(len(indptr) - 1)
    sums: np.ndarray = np.add.reduceat(np.append(values, 0.0), np.minimum(indptr[:-1], len(values)))
    sums[np.diff(indptr) == 0] = 0.0
    return sums


def _trust(sizes: np.ndarray) -> np.ndarray:
    """How far a centroid of this many papers is trusted: a few papers say little, hundreds a lot."""
    trust: np.ndarray = sizes / (sizes + SHRINK)
    return trust


def _unit_columns(matrix: np.ndarray) -> np.ndarray:
    norms = np.sqrt(np.einsum("bk,bk->k", matrix, matrix, dtype=np.float64))
    norms[norms == 0] = 1.0
    unit: np.ndarray = (matrix / norms[np.newaxis, :]).astype(matrix.dtype)
    return unit


def _divide(numerator: np.ndarray, norm2: np.ndarray) -> np.ndarray:
    """Cosines from products and squared lengths (a centroid of length 0 gives 0)."""
    norms = np.sqrt(np.maximum(norm2, 0.0))
    return np.where(norms > 1e-12, numerator / np.where(norms > 1e-12, norms, 1.0), 0.0)
