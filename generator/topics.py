"""The topic taxonomy and scoring papers against it (multi-label, with evidence)."""

from __future__ import annotations

import gc
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import yaml

from generator.errors import ConfigError, Problem
from generator.model import Paper, TopicMatch
from generator.slugs import is_safe_slug, slugify
from generator.textvec import (
    BUCKETS,
    IRREGULAR,
    RowBlocks,
    Vectorizer,
    Vocabulary,
    count_rows,
    idf,
    normalize_rows,
    read_documents,
    remember_counts,
    singular,
    sublinear,
    term_capacity,
    text_numbers,
    tokens,
    weighted,
)

OTHER_SLUG = "other"
TOPIC_KEYS = ("name", "slug", "description", "keywords", "exclude")
TITLE_WEIGHT = 3.0
ABSTRACT_WEIGHT = 1.0
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
# A keyword found in more than this share of the papers so far is common and counts for less.
COMMON_SHARE = 0.1
# Commonness is measured as if this many more papers had not matched: a handful of papers is too few to judge.
COMMON_PRIOR = 20


@dataclass(frozen=True)
class Keyword:
    """A keyword as word sequences: each accepted spelling of its last word gives one variant."""

    text: str
    variants: tuple[tuple[str, ...], ...]
    acronym: bool
    weight: float

    def count(self, text: str) -> int:
        """How often the keyword occurs in ``text`` (whole words; see ``make_keyword``)."""
        return KeywordIndex([self], Vocabulary()).count(text)[0]


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str = ""
    keywords: tuple[Keyword, ...] = ()
    exclude: tuple[Keyword, ...] = ()


OTHER = Topic(slug=OTHER_SLUG, name="Other", description="Papers that match no topic of the taxonomy.")
OTHER_MATCH = TopicMatch(OTHER_SLUG, 0.0, ("no topic scored high enough",))


def make_keyword(text: str) -> Keyword:
    """Whole words and phrases, plural/singular and hyphen/space variants; ALL-CAPS keywords match only as written."""
    words = tokens(text)
    if not words:
        raise ValueError("empty keyword")
    acronym = any(c.isalpha() for c in text) and text == text.upper()
    if not acronym:
        words = [w.casefold() for w in words]
    *head, last = words
    endings = {last, last + "s"} if acronym else plural_forms(last)
    variants = tuple(sorted((*head, ending) for ending in endings))
    return Keyword(text, variants, acronym, 1.0 + 0.5 * (len(words) - 1))


def plural_forms(word: str) -> set[str]:
    """The word, its singular and the usual plurals ("theory" → "theories", "matrix" → "matrices")."""
    one = singular(word)
    forms = {word, one, one + "s", one + "es"} | {plural for plural, base in IRREGULAR.items() if base == one}
    if one.endswith("y"):
        forms.add(one[:-1] + "ies")
    return forms


class KeywordIndex:
    """Finds many keywords at once in texts read by a ``Vocabulary``: a trie of word ids, walked from every position.

    Keywords match casefolded words, acronyms the words as written (see ``make_keyword``).
    """

    def __init__(self, keywords: Sequence[Keyword], vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.size = len(keywords)
        self.tries = {acronym: _Trie() for acronym in (False, True)}
        for column, keyword in enumerate(keywords):
            for variant in keyword.variants:
                self.tries[keyword.acronym].add([vocabulary.id(word) for word in variant], column)
        for trie in self.tries.values():
            trie.freeze()

    def find(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position of the first word, keyword column) of every occurrence in ``ids`` (from ``Vocabulary.encode``)."""
        positions, columns = [], []
        for acronym, trie in self.tries.items():
            found = trie.find(ids if acronym else self.vocabulary.folded[ids])
            positions.append(found[0])
            columns.append(found[1])
        return np.concatenate(positions), np.concatenate(columns)

    def count(self, text: str) -> list[int]:
        """Occurrences of each keyword in ``text``, as whole words."""
        _, columns = self.find(self.vocabulary.encode([text]))
        return [int(n) for n in np.bincount(columns, minlength=self.size)]


class _Trie:
    """Word-id sequences (keyword variants) → keyword columns, as sorted arrays for vectorised lookups."""

    def __init__(self) -> None:
        self.edges: dict[tuple[int, int], int] = {}  # (node, word id) → child node; node 0 is the root
        self.ends: dict[int, list[int]] = {}  # node → columns of the keywords whose variant ends there

    def add(self, words: list[int], column: int) -> None:
        node = 0
        for word in words:
            node = self.edges.setdefault((node, word), len(self.edges) + 1)
        if column not in self.ends.setdefault(node, []):
            self.ends[node].append(column)

    def freeze(self) -> None:
        """Arrays for ``find``: edge keys (node, word) packed in one sorted int64, and per node its columns."""
        items = sorted((node << 32 | word, child) for (node, word), child in self.edges.items())
        self.keys = np.asarray([key for key, _ in items], dtype=np.int64)
        self.children = np.asarray([child for _, child in items], dtype=np.int64)
        counts = np.zeros(len(self.edges) + 2, dtype=np.int64)
        for node, columns in self.ends.items():
            counts[node + 1] = len(columns)
        self.end_start = np.cumsum(counts)
        self.end_columns = np.asarray(
            [column for node in sorted(self.ends) for column in sorted(self.ends[node])], dtype=np.int64
        )

    def find(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (start position, column) where a word sequence of the trie occurs in ``ids``."""
        if not len(self.keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        starts = np.arange(len(ids), dtype=np.int64)
        nodes = np.zeros(len(ids), dtype=np.int64)
        found_starts, found_columns = [], []
        for depth in range(len(ids)):
            # One step down the trie for every walk still alive; the separator (0) is in no keyword.
            ahead = starts + depth
            alive = ahead < len(ids)
            keys = nodes[alive] << 32 | ids[ahead[alive]]
            where = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            hit = self.keys[where] == keys
            starts, nodes = starts[alive][hit], self.children[where[hit]]
            if not len(starts):
                break
            first, last = self.end_start[nodes], self.end_start[nodes + 1]
            many = last - first
            if many.any():
                found_starts.append(np.repeat(starts, many))
                offsets = np.arange(many.sum()) - np.repeat(np.cumsum(many) - many, many)
                found_columns.append(self.end_columns[np.repeat(first, many) + offsets])
        if not found_starts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_starts), np.concatenate(found_columns)


def _keywords(values: Any, where: str, errors: list[str]) -> tuple[Keyword, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        errors.append(f"{where}: expected a list of text keywords")
        return ()
    keywords = []
    for value in values:
        try:
            keywords.append(make_keyword(value))
        except ValueError:
            errors.append(f"{where}: empty keyword")
    return tuple(keywords)


def load_taxonomy(path: Path) -> tuple[list[Topic], list[Problem]]:
    """Read ``topics.yml``: unknown keys are warnings; missing names and duplicate slugs are errors."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the taxonomy: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ConfigError(f"{path}: expected a top-level 'topics:' list")
    warnings: list[Problem] = []
    errors: list[str] = []
    topics: list[Topic] = []
    seen: dict[str, int] = {OTHER_SLUG: 0}
    for number, entry in enumerate(data["topics"], start=1):
        topic = _read_topic(entry, f"{path}: topic {number}", warnings, errors)
        if topic is None:
            continue
        if topic.slug in seen:
            first = f"topic {seen[topic.slug]}" if seen[topic.slug] else "the built-in 'Other' topic"
            errors.append(f"{path}: topic {number}: slug {topic.slug!r} is already used by {first}")
            continue
        seen[topic.slug] = number
        topics.append(topic)
    if errors:
        raise ConfigError("\n".join(errors))
    if not topics:
        raise ConfigError(f"{path}: the taxonomy has no topics")
    return topics, warnings


def _read_topic(entry: Any, where: str, warnings: list[Problem], errors: list[str]) -> Topic | None:
    if not isinstance(entry, dict):
        errors.append(f"{where}: expected a mapping with at least 'name'")
        return None
    for key in sorted(str(k) for k in entry if k not in TOPIC_KEYS):
        warnings.append(Problem(where.split(": ")[0], message=f"{where.split(': ')[1]}: unknown key {key!r} ignored"))
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(f"{where}: 'name' is required")
        return None
    slug = entry.get("slug", slugify(name))
    if not isinstance(slug, str) or not is_safe_slug(slug):
        errors.append(f"{where}: slug {slug!r} is not usable in a URL (use a-z, 0-9 and hyphens)")
        return None
    description = entry.get("description") or ""
    if not isinstance(description, str):
        errors.append(f"{where}: 'description' must be text")
        description = ""
    return Topic(
        slug=slug,
        name=name.strip(),
        description=description.strip(),
        keywords=_keywords(entry.get("keywords"), f"{where}: keywords", errors),
        exclude=_keywords(entry.get("exclude"), f"{where}: exclude", errors),
    )


def keyword_evidence(keyword: Keyword, in_title: int, in_abstract: int) -> float:
    """How much one keyword says: a title match weighs more; repeats in the abstract add a little."""
    score = TITLE_WEIGHT * keyword.weight if in_title else 0.0
    if in_abstract:
        score += ABSTRACT_WEIGHT * keyword.weight * (1 + 0.5 * (min(in_abstract, 3) - 1))
    return score


def score_topic(topic: Topic, title: str, abstract: str) -> tuple[float, tuple[str, ...]]:
    """A topic's keyword evidence in one paper (before corpus weighting); an ``exclude`` match vetoes it."""
    for keyword in topic.exclude:
        if keyword.count(title) or keyword.count(abstract):
            return 0.0, ()
    score = 0.0
    evidence = []
    for keyword in topic.keywords:
        in_title, in_abstract = keyword.count(title), keyword.count(abstract)
        score += keyword_evidence(keyword, in_title, in_abstract)
        if in_title:
            evidence.append(f"title: {keyword.text}")
        if in_abstract:
            evidence.append(f"abstract: {keyword.text}")
    return score, tuple(evidence)


def specificity(matched: np.ndarray, papers: int) -> np.ndarray:
    """Weight of each keyword by how common it is so far: 1 up to COMMON_SHARE of papers, then less (floor 0.2).

    A keyword that half the corpus mentions ("LLM" in an ML digest) says little about any one paper.
    """
    share = matched / (papers + COMMON_PRIOR)
    weight = np.ones_like(share)
    common = share > COMMON_SHARE
    weight[common] = np.maximum(0.2, np.log(1 / share[common]) / math.log(1 / COMMON_SHARE))
    return weight


@dataclass
class KeywordTable:
    """Every paper's evidence per keyword (sparse) and which topics each paper's text vetoes."""

    evidence: sp.csr_matrix  # papers × keywords
    titled: np.ndarray  # per stored entry of ``evidence``: the keyword is in the title
    vetoed: np.ndarray  # papers × topics, bool
    topic_of: np.ndarray  # per keyword column, the index of its topic
    keywords: list[tuple[int, Keyword]]  # (topic index, keyword) per column


def read_texts(papers: Sequence[Paper], topics: Sequence[Topic]) -> tuple[KeywordTable, sp.csr_matrix]:
    """Read every title and abstract once: the keyword table, and the term counts (left for related papers)."""
    keywords = [(index, keyword) for index, topic in enumerate(topics) for keyword in topic.keywords]
    excludes = [(index, keyword) for index, topic in enumerate(topics) for keyword in topic.exclude]
    vocabulary = Vocabulary()
    index = KeywordIndex([k for _, k in keywords], vocabulary)
    veto_index = KeywordIndex([k for _, k in excludes], vocabulary)
    documents = [(paper.title, paper.abstract) for paper in papers]
    counts = RowBlocks(term_capacity(documents))
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    weights = np.asarray([keyword.weight for _, keyword in keywords], dtype=np.float64)
    vetoed = np.zeros((len(papers), len(topics)), dtype=bool)
    exclude_topic = np.asarray([topic for topic, _ in excludes], dtype=np.int64)
    for start, size, ids in read_documents(documents, vocabulary):
        counts.add(count_rows(vocabulary, ids, size))
        text = text_numbers(ids) + 2 * start  # text 2n is paper n's title, 2n + 1 its abstract
        positions, columns = index.find(ids)
        found.append(_occurrences(text[positions], columns, weights))
        positions, columns = veto_index.find(ids)
        vetoed[text[positions] // 2, exclude_topic[columns]] = True
    matrix = counts.matrix()
    remember_counts(documents, matrix)
    return _keyword_table(found, keywords, len(papers), vetoed), matrix


def _occurrences(
    texts: np.ndarray, columns: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Keyword occurrences (text number, column) of a block → (paper, column, evidence, in the title), sorted.

    Evidence as ``keyword_evidence`` gives it, with ``weights`` the keywords' weights by column.
    """
    in_title = (texts % 2 == 0).astype(np.float64)
    pairs, which = np.unique(texts // 2 * max(len(weights), 1) + columns, return_inverse=True)
    title_times = np.bincount(which, weights=in_title, minlength=len(pairs))
    abstract_times = np.bincount(which, weights=1.0 - in_title, minlength=len(pairs))
    rows, cols = pairs // max(len(weights), 1), pairs % max(len(weights), 1)
    weight = weights[cols]
    values = np.where(title_times > 0, TITLE_WEIGHT * weight, 0.0) + np.where(
        abstract_times > 0, ABSTRACT_WEIGHT * weight * (1 + 0.5 * (np.minimum(abstract_times, 3) - 1)), 0.0
    )
    return rows.astype(np.int32), cols.astype(np.int32), values, title_times > 0


def _keyword_table(
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    keywords: list[tuple[int, Keyword]],
    papers: int,
    vetoed: np.ndarray,
) -> KeywordTable:
    """The keyword table from the occurrences of each block of papers."""
    empty = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0, dtype=bool))
    rows, cols, values, titled = (np.concatenate(field) for field in zip(empty, *found, strict=True))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=papers))])
    evidence = sp.csr_matrix((values, cols, indptr), shape=(papers, len(keywords)))
    topic_of = np.asarray([topic for topic, _ in keywords], dtype=np.int64)
    return KeywordTable(evidence, titled, vetoed, topic_of, keywords)


def topic_text(topic: Topic) -> tuple[str, str]:
    """A topic as a (title, abstract) pair: its name, then its description and keywords."""
    return topic.name, " ".join([topic.description, *(f"{k.text}." for k in topic.keywords)])


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


def taxonomy_fingerprint(topics: Sequence[Topic]) -> str:
    """A short hash of everything in the taxonomy that affects scoring (changes when the taxonomy does)."""
    data = [[t.slug, t.name, t.description, [k.text for k in t.keywords], [k.text for k in t.exclude]] for t in topics]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


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
