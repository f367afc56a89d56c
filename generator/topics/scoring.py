"""Scoring papers against the taxonomy: keyword evidence and similarity to topic profiles, issue by issue."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from generator.model import Paper, TopicMatch
from generator.topics.features import BUCKETS, Vectorizer, idf, normalize_rows, sublinear, weighted
from generator.topics.keywords import KeywordTable, read_texts, specificity
from generator.topics.taxonomy import OTHER, OTHER_MATCH, Topic, topic_text

# A paper's score for a topic is keyword evidence (saturating: 1 - exp(-evidence / KEYWORD_SCALE),
# so one title keyword gives about 0.6) plus SIMILARITY_WEIGHT times the cosine similarity of its
# TF-IDF vector to the topic's profile (its name, description, keywords and confidently matched papers).
KEYWORD_SCALE = 3.0


SIMILARITY_WEIGHT = 1.5


# A paper needs this score for its best topic; below it, it goes to "Other".
MIN_SCORE = 0.3


# Further topics need at least this share of the best topic's score.
SECONDARY_SHARE = 0.6


# A paper is a confident example of a topic (and joins its profile) with this much keyword evidence
# and at least SEED_MARGIN times the evidence for any other topic.
SEED_EVIDENCE = 3.0


SEED_MARGIN = 1.5


# Topic profiles and word weights are recomputed when the archive has grown by this factor.
REFRESH_GROWTH = 1.1


# The topic's own text counts as this many example papers in its profile.
DESCRIPTION_WEIGHT = 2.0


@dataclass
class Scores:
    """The outcome of scoring: per paper (in ``order``) its score and keyword evidence per topic."""

    order: list[Paper]
    score: np.ndarray  # papers × topics
    keyword: np.ndarray  # papers × topics, evidence after specificity
    similarity: np.ndarray  # papers × topics, cosine to the topic profile
    seeds: np.ndarray  # papers, index of the topic a paper is a confident example of, or -1
    table: KeywordTable


def score_papers(papers: Iterable[Paper], topics: Sequence[Topic], causal: bool = True) -> Scores:
    """Score every paper against every topic, issue by issue in date order.

    With ``causal`` (the build), a paper is scored with what was known when its issue came out:
    document frequencies, keyword commonness and topic profiles come from its own and earlier
    issues only, so later issues never change the topics of papers already published.
    Without it (``digest topics reassign``), every paper is scored with the whole archive.
    """
    order = sorted(papers, key=lambda p: (p.added, p.id))
    table, counts = read_texts(order, topics)
    steps = _steps(order) if causal else [(0, len(order))]
    keyword_scores = _keyword_scores(table, steps, len(topics))
    seeds = _confident(keyword_scores)
    similarity = _similarity(counts, seeds, steps, topics)
    similarity[table.vetoed] = 0.0
    score = (1 - np.exp(-keyword_scores / KEYWORD_SCALE)) + SIMILARITY_WEIGHT * np.clip(similarity, 0, None)
    score[table.vetoed] = 0.0
    return Scores(order, score, keyword_scores, similarity, seeds, table)


def _keyword_scores(table: KeywordTable, steps: list[tuple[int, int]], topics: int) -> np.ndarray:
    """Keyword evidence per paper and topic, each keyword weighted by its commonness up to the paper's issue."""
    evidence = table.evidence
    papers, keywords = evidence.shape
    step_of_row = np.repeat(np.arange(len(steps)), [end - start for start, end in steps])
    step_end = np.asarray([end for _, end in steps], dtype=np.int64)
    rows = np.repeat(np.arange(papers), np.diff(evidence.indptr))
    step = step_of_row[rows]
    per_step = np.bincount(step * keywords + evidence.indices, minlength=len(steps) * keywords)
    matched = np.cumsum(per_step.reshape(len(steps), keywords), axis=0).astype(np.float64)  # papers so far with it
    weight = specificity(matched[step, evidence.indices], step_end[step]) if len(rows) else np.zeros(0)
    flat = rows * topics + table.topic_of[evidence.indices]
    scores = np.bincount(flat, weights=evidence.data * weight, minlength=papers * topics).reshape(papers, topics)
    scores[table.vetoed] = 0.0
    return scores


def _similarity(
    counts: sp.csr_matrix, seeds: np.ndarray, steps: list[tuple[int, int]], topics: Sequence[Topic]
) -> np.ndarray:
    """Cosine of each paper's TF-IDF vector to each topic's profile, as known when the paper's issue came out.

    Profiles and word weights are refreshed as the archive grows (by REFRESH_GROWTH), not every
    issue: the same for every build, still from a paper's own and earlier issues only, and one
    matrix product per refresh however many issues there are.
    """
    # The topics' own texts count as documents: a word shared by one paper and a description links them.
    descriptions = normalize_rows(sublinear(Vectorizer().matrix([topic_text(t) for t in topics]))) * DESCRIPTION_WEIGHT
    df = np.bincount(descriptions.indices, minlength=BUCKETS).astype(np.float64)
    sums = sp.csr_matrix(descriptions.shape)
    similarity = np.zeros((counts.shape[0], len(topics)))
    known = 0
    for start, end, refreshed in _refreshes(steps):
        df += np.bincount(counts.indices[counts.indptr[known]:counts.indptr[refreshed]], minlength=BUCKETS)
        new = np.flatnonzero(seeds[known:refreshed] >= 0) + known
        if len(new):
            shape = (len(topics), len(new))
            membership = sp.csr_matrix((np.ones(len(new)), (seeds[new], np.arange(len(new)))), shape=shape)
            sums = sums + membership @ normalize_rows(sublinear(counts[new]))
        known = refreshed
        weights = idf(df, refreshed + len(topics))
        profiles = weighted(sp.csr_matrix(sums + descriptions), weights)
        similarity[start:end] = (weighted(sublinear(counts[start:end]), weights) @ profiles.T).toarray()
    return similarity


def _steps(order: Sequence[Paper]) -> list[tuple[int, int]]:
    """Index ranges of the papers of each issue date, oldest first."""
    steps, start = [], 0
    for index in range(1, len(order) + 1):
        if index == len(order) or order[index].added != order[start].added:
            steps.append((start, index))
            start = index
    return steps


def _refreshes(steps: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(first paper, end) of the papers scored with one set of profiles, and the end of the papers those know.

    Profiles are refreshed at an issue when the archive has grown by REFRESH_GROWTH since the
    last refresh; they know the papers up to that issue and serve until the next refresh.
    """
    refreshes: list[tuple[int, int, int]] = []
    for start, end in steps:
        if not refreshes or end >= refreshes[-1][2] * REFRESH_GROWTH:
            refreshes.append((start, end, end))
        else:
            refreshes[-1] = (refreshes[-1][0], end, refreshes[-1][2])
    return refreshes


def _confident(evidence: np.ndarray) -> np.ndarray:
    """For each paper, the topic its keywords point to clearly (enough evidence, clear margin), or -1."""
    if evidence.shape[1] == 0:
        return np.full(evidence.shape[0], -1)
    ranked = np.sort(evidence, axis=1)
    best = ranked[:, -1]
    second = ranked[:, -2] if evidence.shape[1] > 1 else np.zeros_like(best)
    clear = (best >= SEED_EVIDENCE) & (best >= SEED_MARGIN * second)
    return np.where(clear, np.argmax(evidence, axis=1), -1)


def choose_topics(scores: Scores, topics: Sequence[Topic], max_topics: int) -> list[tuple[TopicMatch, ...]]:
    """The topics of every scored paper (in ``scores.order``), best first, each with its evidence.

    "Other" when no topic is good enough. Topics are ranked by score rounded to 6 places, ties by
    slug; the other topics need SECONDARY_SHARE of the best score.
    """
    score = scores.score
    if not len(topics):
        return [(OTHER_MATCH,)] * score.shape[0]
    ranked = _ranked(score, topics)
    ordered = np.take_along_axis(score, ranked, axis=1)
    floor = np.maximum(MIN_SCORE, SECONDARY_SHARE * ordered[:, 0])
    chosen = ordered >= floor[:, None]
    chosen &= np.cumsum(chosen, axis=1) <= max_topics
    chosen[ordered[:, 0] < MIN_SCORE] = False  # "Other"
    rows, ranks = np.nonzero(chosen)  # row by row, best first
    picked = ranked[rows, ranks]
    keywords = _keyword_evidence(scores.table, rows, picked, len(topics))
    similarity = scores.similarity[rows, picked].tolist()
    slugs = [topic.slug for topic in topics]
    values = ordered[rows, ranks].tolist()
    ends = np.cumsum(np.bincount(rows, minlength=score.shape[0])).tolist()
    results: list[tuple[TopicMatch, ...]] = []
    at = 0
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects that live on: the collector would only walk them again
    try:
        for end in ends:
            if end == at:
                results.append((OTHER_MATCH,))
                continue
            results.append(tuple(
                TopicMatch(slugs[topic], round(value, 3), found + _similar(cosine) if cosine > 0 else found)
                for topic, value, found, cosine in zip(
                    picked[at:end].tolist(), values[at:end], keywords[at:end], similarity[at:end], strict=True
                )
            ))
            at = end
    finally:
        if enabled:
            gc.enable()
    return results


def _similar(cosine: float) -> tuple[str]:
    return (f"similar to papers in this topic (cosine {cosine:.2f})",)


def _ranked(score: np.ndarray, topics: Sequence[Topic]) -> np.ndarray:
    """Topic indices per paper, best first: by score rounded to 6 places, ties by slug."""
    by_slug = np.asarray(sorted(range(len(topics)), key=lambda i: topics[i].slug), dtype=np.int64)
    in_slug_order = score[:, by_slug]
    ranked = by_slug[np.argsort(-np.round(in_slug_order, 6), axis=1, kind="stable")]
    # numpy's rounding may differ from Python's in the last place: near ties are ranked the Python way.
    gaps = np.diff(np.sort(in_slug_order, axis=1), axis=1)
    for row in np.flatnonzero(((gaps > 0) & (gaps < 1e-5)).any(axis=1)).tolist():
        values = score[row]
        ranked[row] = sorted(range(len(topics)), key=lambda i: (-round(float(values[i]), 6), topics[i].slug))
    return ranked


def _keyword_evidence(table: KeywordTable, rows: np.ndarray, picked: np.ndarray, topics: int) -> list[tuple[str, ...]]:
    """For each (paper row, topic) asked, the keywords that matched it: title ones first, then by text."""
    evidence = table.evidence
    texts = [f"{where}: {keyword.text}" for _, keyword in table.keywords for where in ("title", "abstract")]
    rank = np.empty(len(texts), dtype=np.int64)
    rank[sorted(range(len(texts)), key=lambda i: (not texts[i].startswith("title"), texts[i]))] = np.arange(len(texts))
    which = evidence.indices * 2 + np.where(table.titled, 0, 1)  # an index into ``texts``
    entry_rows = np.repeat(np.arange(evidence.shape[0]), np.diff(evidence.indptr))
    groups = entry_rows * topics + table.topic_of[evidence.indices]
    order = np.lexsort((rank[which], groups))
    groups = groups[order]
    strings = [texts[i] for i in which[order].tolist()]
    wanted = rows * topics + picked
    starts = np.searchsorted(groups, wanted, side="left").tolist()
    ends = np.searchsorted(groups, wanted, side="right").tolist()
    return [tuple(strings[a:b]) for a, b in zip(starts, ends, strict=True)]


def assign_topics(
    papers: Iterable[Paper],
    topics: list[Topic],
    max_topics: int = 3,
    pinned: dict[str, tuple[TopicMatch, ...]] | None = None,
    causal: bool = True,
) -> dict[str, int]:
    """Give every paper one to ``max_topics`` topics, best first ("Other" when nothing fits).

    Scoring is causal (see ``score_papers``), so a new issue cannot move papers that earlier
    issues published; ``pinned`` topics (from ``data/assignments.yml``) win over scoring.
    Returns how many papers have each topic first.
    """
    scores = score_papers(papers, topics, causal)
    counts: dict[str, int] = {topic.slug: 0 for topic in (*topics, OTHER)}
    pinned = pinned or {}
    for paper, matches in zip(scores.order, choose_topics(scores, topics, max_topics), strict=True):
        paper.topics = pinned.get(paper.id) or matches
        counts[paper.primary_topic] += 1
    return counts

