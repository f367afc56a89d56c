"""The topic taxonomy and scoring papers against it (multi-label, with evidence)."""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
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
    IRREGULAR,
    WORD,
    Vectorizer,
    count_matrix,
    document_frequency,
    idf,
    normalize_rows,
    singular,
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
        return KeywordIndex([self]).count(text)[0]


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str = ""
    keywords: tuple[Keyword, ...] = ()
    exclude: tuple[Keyword, ...] = ()


OTHER = Topic(slug=OTHER_SLUG, name="Other", description="Papers that match no topic of the taxonomy.")


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
    """Counts many keywords in a text at once: only keywords whose first word occurs are looked for."""

    def __init__(self, keywords: Sequence[Keyword]) -> None:
        self.size = len(keywords)
        self.starts: dict[bool, dict[str, list[tuple[int, str]]]] = {False: {}, True: {}}
        for column, keyword in enumerate(keywords):
            for variant in keyword.variants:
                phrase = " " + " ".join(variant) + " "
                self.starts[keyword.acronym].setdefault(variant[0], []).append((column, phrase))

    def count(self, text: str) -> list[int]:
        """Occurrences of each keyword in ``text``, as whole words."""
        found = [0] * self.size
        for column, times in self.hits(text).items():
            found[column] = times
        return found

    def hits(self, text: str) -> dict[int, int]:
        """Occurrences of the keywords found in ``text`` only, by column (fast when few match)."""
        found: dict[int, int] = {}
        normal = unicodedata.normalize("NFKC", text)
        for acronym, starts in self.starts.items():
            if not starts:
                continue
            words = WORD.findall(normal if acronym else normal.casefold())
            hits = starts.keys() & set(words)
            if not hits:
                continue
            padded = " " + " ".join(words) + " "
            for word in hits:
                for column, phrase in starts[word]:
                    times = padded.count(phrase)
                    if times:
                        found[column] = found.get(column, 0) + times
        return found


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
    members: sp.csr_matrix  # keywords × topics, 1 where the keyword belongs to the topic
    keywords: list[tuple[int, Keyword]]  # (topic index, keyword) per column


def keyword_table(papers: Sequence[Paper], topics: Sequence[Topic]) -> KeywordTable:
    """Match every keyword of every topic against every paper once."""
    keywords = [(index, keyword) for index, topic in enumerate(topics) for keyword in topic.keywords]
    excludes = [(index, keyword) for index, topic in enumerate(topics) for keyword in topic.exclude]
    index = KeywordIndex([k for _, k in keywords])
    veto_index = KeywordIndex([k for _, k in excludes])
    indptr, cols, values = [0], [], []
    in_title_rows = []
    vetoed = np.zeros((len(papers), len(topics)), dtype=bool)
    for row, paper in enumerate(papers):
        in_title, in_abstract = index.hits(paper.title), index.hits(paper.abstract)
        for column in sorted(in_title.keys() | in_abstract.keys()):
            title_times, abstract_times = in_title.get(column, 0), in_abstract.get(column, 0)
            cols.append(column)
            values.append(keyword_evidence(keywords[column][1], title_times, abstract_times))
            in_title_rows.append(title_times > 0)
        indptr.append(len(cols))
        if excludes:
            for column in veto_index.hits(paper.title).keys() | veto_index.hits(paper.abstract).keys():
                vetoed[row, excludes[column][0]] = True
    evidence = sp.csr_matrix((values, cols, indptr), shape=(len(papers), len(keywords)))
    titled = np.asarray(in_title_rows, dtype=bool)
    members = sp.csr_matrix(
        (np.ones(len(keywords)), (list(range(len(keywords))), [t for t, _ in keywords])),
        shape=(len(keywords), len(topics)),
    )
    return KeywordTable(evidence, titled, vetoed, members, keywords)


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
    count = len(order)
    table = keyword_table(order, topics)
    counts = count_matrix([(p.title, p.abstract) for p in order])
    unit = normalize_rows(counts)
    descriptions = normalize_rows(Vectorizer().matrix([topic_text(t) for t in topics])) * DESCRIPTION_WEIGHT
    keyword_scores = np.zeros((count, len(topics)))
    similarity = np.zeros((count, len(topics)))
    seeds = np.full(count, -1)
    # The topics' own texts count as documents: a word shared by one paper and a description links them.
    df = document_frequency(descriptions)
    matched = np.zeros(len(table.keywords))
    profile_sums = sp.csr_matrix(descriptions.shape)
    pending: list[int] = []  # confident papers not yet in the profiles
    refreshed = 0
    weights_now = np.zeros(0)
    profiles: sp.csr_matrix | None = None
    steps = _steps(order) if causal else [(0, count)]
    for start, end in steps:
        df += document_frequency(counts[start:end])
        matched += np.asarray((table.evidence[start:end] > 0).sum(axis=0)).ravel()
        weights = sp.diags(specificity(matched, end))
        evidence = np.asarray((table.evidence[start:end] @ weights @ table.members).todense())
        evidence[table.vetoed[start:end]] = 0.0
        keyword_scores[start:end] = evidence
        seeds[start:end] = _confident(evidence)
        pending.extend((np.flatnonzero(seeds[start:end] >= 0) + start).tolist())
        # Profiles and word weights are refreshed as the archive grows (by REFRESH_GROWTH), not every
        # issue: the same for every build, still from this and earlier issues only, and fast at 100,000.
        if profiles is None or end >= refreshed * REFRESH_GROWTH:
            if pending:
                shape = (len(topics), len(pending))
                where = (seeds[pending], np.arange(len(pending)))
                membership = sp.csr_matrix((np.ones(len(pending)), where), shape=shape)
                profile_sums = profile_sums + membership @ unit[pending]
                pending = []
            weights_now = idf(df, end + len(topics))
            profiles = weighted(sp.csr_matrix(profile_sums + descriptions), weights_now)
            refreshed = end
        assert profiles is not None
        vectors = weighted(counts[start:end], weights_now)
        similarity[start:end] = (vectors @ profiles.T).toarray()
    similarity[table.vetoed] = 0.0
    score = (1 - np.exp(-keyword_scores / KEYWORD_SCALE)) + SIMILARITY_WEIGHT * np.clip(similarity, 0, None)
    score[table.vetoed] = 0.0
    return Scores(order, score, keyword_scores, similarity, seeds, table)


def _steps(order: Sequence[Paper]) -> list[tuple[int, int]]:
    """Index ranges of the papers of each issue date, oldest first."""
    steps, start = [], 0
    for index in range(1, len(order) + 1):
        if index == len(order) or order[index].added != order[start].added:
            steps.append((start, index))
            start = index
    return steps


def _confident(evidence: np.ndarray) -> np.ndarray:
    """For each paper, the topic its keywords point to clearly (enough evidence, clear margin), or -1."""
    if evidence.shape[1] == 0:
        return np.full(evidence.shape[0], -1)
    ranked = np.sort(evidence, axis=1)
    best = ranked[:, -1]
    second = ranked[:, -2] if evidence.shape[1] > 1 else np.zeros_like(best)
    clear = (best >= SEED_EVIDENCE) & (best >= SEED_MARGIN * second)
    return np.where(clear, np.argmax(evidence, axis=1), -1)


def matches_for(scores: Scores, row: int, topics: Sequence[Topic], max_topics: int) -> tuple[TopicMatch, ...]:
    """The topics of one scored paper, best first, each with its evidence; "Other" when none is good enough."""
    values = scores.score[row]
    ranked = sorted(range(len(topics)), key=lambda i: (-round(float(values[i]), 6), topics[i].slug))
    if not ranked or values[ranked[0]] < MIN_SCORE:
        return (TopicMatch(OTHER_SLUG, 0.0, ("no topic scored high enough",)),)
    floor = max(MIN_SCORE, SECONDARY_SHARE * values[ranked[0]])
    chosen = [i for i in ranked if values[i] >= floor][:max_topics]
    return tuple(TopicMatch(topics[i].slug, round(float(values[i]), 3), _evidence(scores, row, i)) for i in chosen)


def _evidence(scores: Scores, row: int, topic: int) -> tuple[str, ...]:
    """Why a paper has a topic: the keywords it matched (title first), then its textual similarity."""
    table = scores.table
    start, end = table.evidence.indptr[row], table.evidence.indptr[row + 1]
    found = []
    for entry in range(start, end):
        index, keyword = table.keywords[table.evidence.indices[entry]]
        if index == topic:
            where = "title" if table.titled[entry] else "abstract"
            found.append(f"{where}: {keyword.text}")
    found.sort(key=lambda item: (not item.startswith("title"), item))
    similarity = float(scores.similarity[row, topic])
    if similarity > 0:
        found.append(f"similar to papers in this topic (cosine {similarity:.2f})")
    return tuple(found)


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
    for row, paper in enumerate(scores.order):
        paper.topics = pinned.get(paper.id) or matches_for(scores, row, topics, max_topics)
        counts[paper.primary_topic] += 1
    return counts
