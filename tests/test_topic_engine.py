"""The fast topic machinery against plain reference implementations: keyword matching, term counts, causal scoring."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import unicodedata
from collections import Counter
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.merge import merge_papers
from generator.model import Paper
from generator.sources import read_all
from generator.topics import KeywordIndex, assign_topics, load_taxonomy, make_keyword, related
from generator.topics.features import (
    BUCKETS,
    PAIR_BUCKETS,
    STOPWORDS,
    TITLE_REPEAT,
    WORD,
    WORD_BUCKETS,
    Vectorizer,
    Vocabulary,
    bucket,
    document_frequency,
    idf,
    singular,
    sublinear,
    weighted,
)
from tests.conftest import SEED, SEED_TOPICS

WORDS = ["model", "Models", "RL", "rl", "chain", "of", "thought", "thoughts", "LLM", "LLMs", "matrix", "matrices",
         "naïve", "ﬁeld", "İzmir", "x", "42", "the"]
KEYWORDS = ["chain-of-thought", "model", "RL", "LLM", "matrix", "of of", "naïve field", "field", "izmir", "the model"]


def reference_count(keyword: str, text: str) -> int:
    """Occurrences of a keyword's variants as word sequences, the slow obvious way."""
    key = make_keyword(keyword)
    words = WORD.findall(unicodedata.normalize("NFKC", text))
    if not key.acronym:
        words = [w.casefold() for w in words]
    return sum(tuple(words[i:i + len(v)]) == v for v in key.variants for i in range(len(words)))


@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "-", ", ", ". ", "_", "\n"])), max_size=40))
def test_the_keyword_index_counts_like_a_word_by_word_search(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in pieces)
    index = KeywordIndex([make_keyword(k) for k in KEYWORDS], Vocabulary())
    assert index.count(text) == [reference_count(k, text) for k in KEYWORDS]


def reference_row(title: str, abstract: str) -> dict[int, float]:
    """Term counts of one paper the obvious way: casefolded content words and adjacent pairs, title counted more."""
    counts: Counter[int] = Counter()
    for text, weight in ((title, TITLE_REPEAT), (abstract, 1)):
        words = [w.casefold() for w in WORD.findall(unicodedata.normalize("NFKC", text))]
        kept = [bucket(singular(w)) for w in words if len(w) > 1 and not w.isdigit() and w not in STOPWORDS]
        pairs = [WORD_BUCKETS + (a * 1_000_003 + b * 7919 + 12345) % PAIR_BUCKETS for a, b in pairwise(kept)]
        for term in kept + pairs:
            counts[term] += weight
    return dict(counts)


@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=8), st.lists(st.sampled_from(WORDS), max_size=30)),
                max_size=5))
def test_term_counts_match_a_word_by_word_count(papers: list[tuple[list[str], list[str]]]) -> None:
    documents = [(" ".join(title), ", ".join(abstract)) for title, abstract in papers]
    matrix = Vectorizer().matrix(documents)
    assert matrix.shape == (len(documents), BUCKETS)
    for row, (title, abstract) in enumerate(documents):
        got = dict(zip(matrix[row].indices.tolist(), matrix[row].data.tolist(), strict=True))
        assert got == reference_row(title, abstract)


def seed_papers() -> list[Paper]:
    results, problems = read_all([SEED.parent])
    assert problems == []
    return merge_papers([paper for result in results for paper in result.papers])


def test_many_small_issues_keep_their_topics_as_issues_are_added() -> None:
    """40 issues of 3 papers: profiles refresh at some issues only; each prefix of the archive agrees with the whole."""
    topics, _ = load_taxonomy(SEED_TOPICS)
    start = dt.date(2026, 1, 1)
    papers = [dataclasses.replace(p, added=start + dt.timedelta(days=n // 3)) for n, p in enumerate(seed_papers())]
    assign_topics(papers, topics)
    final = {p.id: p.topics for p in papers}
    for issues in (1, 7, 12, 25, 39):
        earlier = [dataclasses.replace(p, topics=()) for p in papers if p.added < start + dt.timedelta(days=issues)]
        assign_topics(earlier, topics)
        assert {p.id: p.topics for p in earlier} == {p.id: final[p.id] for p in earlier}, issues


def test_an_issue_larger_than_the_teaching_limit_is_taught_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """An issue of more papers than TEACH_LIMIT (a backfill, an evaluation set, ``reassign`` of a big archive)
    is taught and scored whole: the same topics as with no limit, and later issues keep their papers' topics."""
    from generator.topics import scoring

    topics, _ = load_taxonomy(SEED_TOPICS)
    start = dt.date(2026, 1, 1)
    # 10 papers, then one issue of 60 (larger than the limit below), then issues of 7.
    days = [0] * 10 + [1] * 60 + [2 + n // 7 for n in range(49)]
    papers = [dataclasses.replace(p, added=start + dt.timedelta(days=day))
              for day, p in zip(days, seed_papers(), strict=True)]
    one_issue = [dataclasses.replace(p, added=start, topics=()) for p in papers]
    assign_topics(one_issue, topics)
    unlimited = {p.id: p.topics for p in one_issue}
    assign_topics(papers, topics, causal=False)  # ``digest topics reassign``: the whole archive as one issue
    assert {p.id: p.topics for p in papers} == unlimited
    monkeypatch.setattr(scoring, "TEACH_LIMIT", 40)
    assign_topics(one_issue, topics)
    assert {p.id: p.topics for p in one_issue} == unlimited
    assign_topics(papers, topics, causal=False)
    assert {p.id: p.topics for p in papers} == unlimited
    assign_topics(papers, topics)  # issue by issue: the big issue at a refresh
    final = {p.id: p.topics for p in papers}
    assert all(final.values())
    for issues in (1, 2, 5):
        earlier = [dataclasses.replace(p, topics=()) for p in papers if p.added < start + dt.timedelta(days=issues)]
        assign_topics(earlier, topics)
        assert {p.id: p.topics for p in earlier} == {p.id: final[p.id] for p in earlier}, issues


def test_scores_carry_their_evidence_and_are_rounded() -> None:
    topics, _ = load_taxonomy(SEED_TOPICS)
    papers = seed_papers()
    assign_topics(papers, topics)
    for paper in papers:
        for match in paper.topics:
            assert match.score == round(match.score, 3) and not math.isnan(match.score)
            keywords = [e for e in match.evidence if not e.startswith("similar")]
            assert keywords == sorted(keywords, key=lambda e: (not e.startswith("title"), e))


def test_related_papers_do_not_depend_on_blocks_or_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    papers = seed_papers()
    whole = related.related_papers(papers)
    monkeypatch.setattr(related, "CHUNK", 16)
    monkeypatch.setattr(related, "WORKERS", 2)
    assert related.related_papers(papers) == whole
    monkeypatch.setattr(related, "WORKERS", 1)
    assert related.related_papers(papers) == whole


@given(
    lengths=st.lists(st.integers(0, 120), min_size=1, max_size=12),
    limit=st.integers(1, 30),
    table=st.sampled_from([8, 64, 1 << 22]),
    values=st.lists(st.sampled_from([0.125, 0.25, 0.5, 0.75, 1.0, 3e-5, 2.5]), min_size=1, max_size=7),
    seed=st.integers(0, 2**16),
)
def test_top_per_row_with_and_without_the_partial_sort_agree(
    lengths: list[int], limit: int, table: int, values: list[float], seed: int
) -> None:
    """Cutting long rows to their ``limit``-th largest first (``_at_least_kth``) keeps the same best entries,
    ties decided by column, whatever the table size (many ties: few distinct weights)."""
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(len(lengths)) * 2, lengths)
    columns = rng.permutation(10_000)[:len(rows)] if len(rows) <= 10_000 else rng.integers(0, 10_000, len(rows))
    weights = rng.choice(np.asarray(values, dtype=np.float32), len(rows))
    everything = (rows, columns, weights, limit)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(related, "FILTER_FROM", 10**9)  # never cut: one sort of every entry
        plain = related._top_per_row(*everything)
        patch.setattr(related, "FILTER_FROM", 0)
        patch.setattr(related, "FILTER_TABLE", table)
        cut = related._top_per_row(*everything)
    for expected, found in zip(plain, cut, strict=True):
        assert np.array_equal(expected, found)
    per_row = np.bincount(plain[0], minlength=2 * len(lengths))[::2]
    assert per_row.tolist() == [min(n, limit) for n in lengths]


def related_and_exact() -> tuple[list[Paper], dict[str, tuple[str, ...]], np.ndarray]:
    """The seed's papers in archive order, their related papers, and the exact all-pairs cosine (self: -1)."""
    papers = sorted(seed_papers(), key=lambda p: (p.added, p.id))
    counts = sublinear(Vectorizer().matrix([(p.title, p.abstract) for p in papers]))
    vectors = weighted(counts, idf(document_frequency(counts), len(papers)))
    cosine = (vectors @ vectors.T).toarray()
    np.fill_diagonal(cosine, -1.0)
    return papers, related.related_papers(papers), cosine


def test_related_papers_find_the_most_similar_paper() -> None:
    """Against exact all-pairs cosine on the seed: the nearest paper is almost always first."""
    papers, found, cosine = related_and_exact()
    best = [papers[int(np.argmax(row))].id for row in cosine]
    agree = sum(found[p.id][:1] == (nearest,) for p, nearest in zip(papers, best, strict=True))
    assert agree >= 0.9 * len(papers)
    assert all(len(found[p.id]) == len(set(found[p.id])) <= related.RELATED and p.id not in found[p.id] for p in papers)


def test_related_papers_are_five_and_nearly_as_similar_as_an_exact_search() -> None:
    """Every page of the seed shows five related papers, their mean cosine ≥ 0.95 of the exact five nearest's."""
    papers, found, cosine = related_and_exact()
    index = {p.id: n for n, p in enumerate(papers)}
    shown, best = [], []
    for row, paper in enumerate(papers):
        assert len(found[paper.id]) == related.RELATED
        shown.append(np.mean([cosine[row, index[other]] for other in found[paper.id]]))
        best.append(np.mean(np.sort(cosine[row])[-related.RELATED:]))
    assert np.mean(shown) >= 0.95 * np.mean(best)
