"""Scoring papers against the taxonomy, issue by issue, and choosing each paper's topics with their evidence."""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from generator.model import Paper, TopicMatch
from generator.topics.features import CJK_CHARACTER, Vectorizer, WordNames, paper_text
from generator.topics.keywords import KeywordTable, read_texts
from generator.topics.learner import CATEGORY_WEIGHT, MIN_SCORE, Issue, Learner, without_evidence
from generator.topics.stability import issue_windows
from generator.topics.taxonomy import OTHER, OTHER_MATCH, Topic, topic_text

# Further topics need at least this share of the best topic's score.
SECONDARY_SHARE = 0.8
# At a refresh the learner learns from the latest TEACH_LIMIT papers (bounded work per refresh,
# and topics that follow how a field's writing changes), or from the whole issue when that alone is
# larger (every paper of the issue being published is scored by what it teaches); word weights come
# from all of them.
TEACH_LIMIT = 10_000
# Issues between refreshes are scored together, up to this many papers at a time.
SPAN = 4096
# Words named as the learner's evidence for a topic ("top terms: ...").
TOP_TERMS = 3


@dataclass
class Scores:
    """The outcome of scoring: per paper (in ``order``) its score per topic and what it rests on."""

    order: list[Paper]
    score: np.ndarray  # papers × topics: similarity + PRIOR_WEIGHT × prior
    prior: np.ndarray  # papers × topics: cosine to the topic's text, plus category evidence
    similarity: np.ndarray  # papers × topics: cosine to the centroid of the topic's papers
    categories: np.ndarray  # papers × topics: category evidence alone
    table: KeywordTable
    terms: dict[tuple[int, int], list[int]]  # (row, topic) → word ids of the top terms (-1: none)
    names: WordNames


def score_papers(
    papers: Iterable[Paper], topics: Sequence[Topic], causal: bool = True, labels: Mapping[str, str] | None = None,
    read: Callable[[sp.csr_matrix], None] | None = None,
) -> Scores:
    """Score every paper against every topic, issue by issue in date order.

    With ``causal`` (the build), a paper is scored with what was known when its issue came out:
    word weights and topic centroids come from its own and earlier issues only, and earlier papers
    count with the topics they were published with, so later issues never change the topics of
    papers already published. Without it (``digest topics reassign``) the whole archive is one issue.
    ``labels`` (paper id → topic slug, the curation file's pins) are examples the learner keeps.
    ``read`` is given the papers' term counts (in date order, as ``related_papers`` orders them) once read.
    """
    order = sorted(papers, key=lambda p: (p.added, p.id))
    table, counts, names = read_texts(order, topics)
    if read is not None:
        read(counts)
    words = names.matrix()
    hidden = names.markup()
    slugs = {topic.slug: index for index, topic in enumerate(topics)}
    fixed = np.asarray([slugs.get((labels or {}).get(p.id, ""), -1) for p in order], dtype=np.int64)
    categories = category_evidence(order, topics)
    learner = Learner(Vectorizer().matrix([topic_text(topic) for topic in topics]))
    shape = (len(order), len(topics))
    score, prior, similarity = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    terms: dict[tuple[int, int], list[int]] = {}
    counted = 0  # papers in the document frequencies so far

    def rows(start: int, end: int) -> Issue:
        return Issue(counts[start:end], categories[start:end], fixed[start:end], table.vetoed[start:end])

    for start, end, refresh in _spans(issue_windows(order, causal)):
        if refresh:  # learn again from the papers so far (the latest); this issue's papers take their topics from it
            first = max(0, min(start, end - TEACH_LIMIT))
            learner.count(counts[counted:end])
            learner.refresh()
            counted = end
            outcome = learner.teach(rows(first, end), first, start - first)
        else:  # the issues until the next refresh, scored with what the last one learned
            outcome = learner.score(rows(start, end))
            learner.add(outcome.labels)
        score[start:end], prior[start:end], similarity[start:end] = outcome.score, outcome.prior, outcome.similarity
        terms.update(_top_terms(learner, rows(start, end), words[start:end], outcome.score, start, hidden))
    return Scores(order, score, prior, similarity, categories, table, terms, names)


def _spans(windows: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Each refresh issue, then the issues up to the next refresh in spans of at most SPAN papers (one model
    scores them all; bounded spans bound the memory of scoring them)."""
    spans: list[tuple[int, int, bool]] = []
    for start, end, refresh in windows:
        if refresh or not spans or spans[-1][2] or end - spans[-1][0] > SPAN:
            spans.append((start, end, refresh))
        else:
            spans[-1] = (spans[-1][0], end, False)
    return spans


def listed_categories(paper: Paper) -> tuple[str, ...]:
    """The paper's categories as its first issue listed them (``Paper.first_listed``)."""
    return paper.first_listed[3] if paper.first_listed else paper.categories


def category_evidence(papers: Sequence[Paper], topics: Sequence[Topic]) -> np.ndarray:
    """Papers × topics: CATEGORY_WEIGHT when the paper's primary category is one the topic lists, half for another."""
    evidence = np.zeros((len(papers), len(topics)))
    listed: dict[str, list[int]] = {}
    for index, topic in enumerate(topics):
        for category in topic.categories:
            listed.setdefault(category.casefold(), []).append(index)
    if not listed:
        return evidence
    for row, paper in enumerate(papers):
        for rank, category in enumerate(listed_categories(paper)):
            weight = CATEGORY_WEIGHT if rank == 0 else CATEGORY_WEIGHT / 2
            for index in listed.get(category.casefold(), ()):
                evidence[row, index] = max(evidence[row, index], weight)
    return evidence


def _top_terms(
    learner: Learner, issue: Issue, words: sp.csr_matrix, score: np.ndarray, start: int, hidden: np.ndarray
) -> dict[tuple[int, int], list[int]]:
    """The words (ids) that weighed most for the learner, for each paper's first topic (``choose_topics``)."""
    if not score.size:
        return {}
    rounded = np.round(np.where(np.isfinite(score), score, -1.0), 6)
    best = np.max(rounded, axis=1)
    candidates = np.argwhere((rounded >= best[:, np.newaxis]) & (best >= MIN_SCORE)[:, np.newaxis])
    rows, topic = candidates[:, 0], candidates[:, 1]
    found = learner.top_terms(issue.counts, words, rows, topic, TOP_TERMS, hidden).tolist()
    return dict(zip(zip((rows + start).tolist(), topic.tolist(), strict=True), found, strict=True))


def as_written(words: list[str], paper: Paper) -> list[str]:
    """Top terms as a reader knows them: Chinese or Japanese characters (each a word to the learner: "图, 像, 割")
    joined where the paper writes them side by side ("图像"); a character beside no other is no word a reader
    knows ("割" of 分割), and is named only when none is joined."""
    characters = [word for word in words if CJK_CHARACTER.fullmatch(word)]
    if len(characters) < 2:
        return words
    text = unicodedata.normalize("NFKC", "\n".join(paper_text(paper)))
    runs = re.findall(f"[{''.join(characters)}]{{2,}}", text)
    if not runs:
        return words
    shown: list[str] = []
    for word in words:
        run = next((run for run in runs if word in run), "") if word in characters else word
        if run and run not in shown:
            shown.append(run)
    return shown


def choose_topics(scores: Scores, topics: Sequence[Topic], max_topics: int) -> list[tuple[TopicMatch, ...]]:
    """The topics of every scored paper (in ``scores.order``), best first, each with its evidence.

    "Other" for papers without evidence (``learner.without_evidence``). Topics are ranked by score
    rounded to 6 places, ties by slug; further topics need SECONDARY_SHARE of the best score, or one of
    their keywords in the title (a paper on "energy-efficient language models" is in both topics).
    """
    score = scores.score
    if not len(topics):
        return [(OTHER_MATCH,)] * score.shape[0]
    finite = np.where(np.isfinite(score), score, -1.0)
    ranked = _ranked(finite, topics)
    ordered = np.round(np.take_along_axis(finite, ranked, axis=1), 6)
    floor = np.maximum(MIN_SCORE, SECONDARY_SHARE * ordered[:, 0])
    titled = np.take_along_axis(_titled(scores), ranked, axis=1)
    chosen = (ordered >= floor[:, None]) | ((ordered >= MIN_SCORE) & titled)
    chosen &= np.cumsum(chosen, axis=1) <= max_topics
    chosen[without_evidence(finite, scores.prior, scores.similarity)] = False  # "Other"
    rows, ranks = np.nonzero(chosen)  # row by row, best first
    picked = ranked[rows, ranks]
    keywords = _keyword_evidence(scores.table, rows, picked, len(topics))
    slugs = [topic.slug for topic in topics]
    name = scores.names.name
    values = np.round(ordered[rows, ranks], 3).tolist()
    similarity = scores.similarity[rows, picked].tolist()
    category = scores.categories[rows, picked].tolist()
    text = (scores.prior[rows, picked] - scores.categories[rows, picked]).tolist()  # cosine to the topic's text
    ends = np.cumsum(np.bincount(rows, minlength=score.shape[0])).tolist()
    results: list[tuple[TopicMatch, ...]] = []
    at = 0
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects that live on: the collector would only walk them again
    try:
        for row, end in enumerate(ends):
            if end == at:
                results.append((OTHER_MATCH,))
                continue
            matches = []
            for offset in range(at, end):
                topic = int(picked[offset])
                found = keywords[offset]
                if category[offset]:
                    found += tuple(f"category: {c}" for c in listed_categories(scores.order[row])
                                   if c in topics[topic].categories or c.casefold() in
                                   {t.casefold() for t in topics[topic].categories})[:1]
                if offset == at:  # the learner's words, for the first topic
                    words = dict.fromkeys(name(i) for i in scores.terms.get((row, topic), ()) if i >= 0)
                    if words:
                        found += (f"top terms: {', '.join(as_written(list(words), scores.order[row]))}",)
                if similarity[offset] > 0:
                    found += (f"similar to papers in this topic (cosine {similarity[offset]:.2f})",)
                if not found:  # no keyword, category or like papers: the topic's own words, or its papers' words
                    found = ((f"words of the topic's name and description (cosine {text[offset]:.2f})",)
                             if text[offset] > 0 else ("words this topic's papers use",))
                matches.append(TopicMatch(slugs[topic], values[offset], found))
            results.append(tuple(matches))
            at = end
    finally:
        if enabled:
            gc.enable()
    return results


def _titled(scores: Scores) -> np.ndarray:
    """Papers × topics: one of the topic's keywords is in the paper's title (and no ``exclude`` keyword anywhere)."""
    table = scores.table
    evidence = table.evidence
    rows = np.repeat(np.arange(evidence.shape[0]), np.diff(evidence.indptr))
    titled = np.zeros(scores.score.shape, dtype=bool)
    titled[rows[table.titled], table.topic_of[evidence.indices[table.titled]]] = True
    found: np.ndarray = titled & ~table.vetoed
    return found


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
    labels: Mapping[str, str] | None = None,
    read: Callable[[sp.csr_matrix], None] | None = None,
) -> dict[str, int]:
    """Give every paper one to ``max_topics`` topics, best first ("Other" when nothing fits).

    Scoring is causal (see ``score_papers``), so a new issue cannot move papers that earlier
    issues published; ``pinned`` topics (from ``data/assignments.yml``) win over scoring but
    teach nothing; ``labels`` (the curation file's pinned topics) are examples the learner keeps;
    ``read`` is given the papers' term counts once read (see ``score_papers``).
    Returns how many papers have each topic first.
    """
    scores = score_papers(papers, topics, causal, labels, read)
    counts: dict[str, int] = {topic.slug: 0 for topic in (*topics, OTHER)}
    pinned = pinned or {}
    for paper, matches in zip(scores.order, choose_topics(scores, topics, max_topics), strict=True):
        # A pin names the id the paper had when pinned: one it answers to as an alias now (its first listing by title
        # alone deleted, an earlier issue added, a link read as its arXiv id) still pins it.
        paper.topics = pinned.get(paper.id) or next(
            (pinned[alias] for alias in paper.aliases if alias in pinned), ()) or matches
        counts[paper.primary_topic] += 1
    return counts
