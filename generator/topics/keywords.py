"""Keywords: whole-word matching of many keywords at once, and the evidence they give per paper and topic."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from generator.model import Paper
from generator.topics.features import (
    CJK_CHARACTER,
    IRREGULAR,
    RowBlocks,
    Vocabulary,
    WordNames,
    count_rows,
    paper_text,
    read_documents,
    remember_counts,
    singular,
    term_capacity,
    text_numbers,
    tokens,
)

if TYPE_CHECKING:
    from generator.topics.taxonomy import Topic

TITLE_WEIGHT = 3.0


ABSTRACT_WEIGHT = 1.0


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


def make_keyword(text: str) -> Keyword:
    """Whole words and phrases, plural/singular and hyphen/space variants; ALL-CAPS keywords match only as written."""
    words = tokens(text)
    if not words:
        raise ValueError("empty keyword")
    acronym = any(c.isalpha() for c in text) and text == text.upper()
    if not acronym:
        words = [w.casefold() for w in words]
    *head, last = words
    if CJK_CHARACTER.fullmatch(last):  # Chinese and Japanese words have no plural ending
        endings = {last}
    elif acronym:
        endings = {last, last + "s"}
    else:
        endings = plural_forms(last)
    variants = tuple(sorted((*head, ending) for ending in endings))
    spaced = len(SPACED_WORD.findall(unicodedata.normalize("NFKC", text)))  # 神经网络 is one word, not four
    return Keyword(text, variants, acronym, 1.0 + 0.5 * (max(spaced, 1) - 1))


SPACED_WORD = re.compile(r"[^\W_]+")  # words as spaces and punctuation separate them (a keyword's weight)


# Symbols that mean something in a keyword ("C++", "C#", "R&D") but are not part of any word a paper is read into.
SYMBOLS = re.compile(r"[+#&@*=<>%$^~|\\]")


def symbols_dropped(text: str) -> str | None:
    """What to tell a maintainer whose keyword has symbols that matching drops ("C++" is the word "C"), or None."""
    symbols = "".join(dict.fromkeys(SYMBOLS.findall(text)))
    if not symbols:
        return None
    words = " ".join(tokens(text))
    return (f"{text!r} is matched as {words!r}: symbols ({symbols}) are not part of words, "
            f"so it also finds {words!r} alone")


def plural_forms(word: str) -> set[str]:
    """The word, its singular and the usual plurals ("theory" → "theories", "matrix" → "matrices")."""
    one = singular(word)
    forms = {word, one, one + "s", one + "es"} | {plural for plural, base in IRREGULAR.items() if base == one}
    if one.endswith("y"):
        forms.add(one[:-1] + "ies")
    # Greek and Latin plurals, both ways: each adds at most a form that is no English word where it does not apply
    # ("cases": "casis"), so nothing else matches ("analysis" found "analysis" and "analysises", never "analyses").
    for ending, other in LEARNED_PLURALS:
        if len(word) > len(ending) + 1 and word.endswith(ending):
            forms.add(word[:-len(ending)] + other)
    return forms


# Singular and plural endings of words from Greek and Latin: analysis/analyses, criterion/criteria,
# phenomenon/phenomena, spectrum/spectra, stimulus/stimuli.
LEARNED_PLURALS = (("is", "es"), ("ses", "sis"), ("rion", "ria"), ("ria", "rion"), ("enon", "ena"), ("ena", "enon"),
                   ("um", "a"), ("tra", "trum"), ("ima", "imum"), ("dia", "dium"), ("us", "i"), ("li", "lus"),
                   ("ci", "cus"), ("ii", "ius"), ("ei", "eus"))


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
        # The first step from the root, by word id: a table lookup instead of a search for every word read
        # (keyword words have the vocabulary's first ids, so the table is small; 0: no keyword starts so).
        firsts = {word: child for (node, word), child in self.edges.items() if node == 0}
        self.root = np.zeros(max(firsts, default=0) + 1, dtype=np.int64)
        self.root[list(firsts)] = list(firsts.values())

    def find(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (start position, column) where a word sequence of the trie occurs in ``ids``."""
        if not len(self.keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        starts = np.flatnonzero(ids < len(self.root))  # the separator (0) is in no keyword: its entry is 0
        nodes = self.root[ids[starts]]
        alive = nodes > 0
        starts, nodes = starts[alive], nodes[alive]
        found_starts, found_columns = [], []
        for depth in range(1, len(ids) + 1):
            if not len(starts):
                break
            first, last = self.end_start[nodes], self.end_start[nodes + 1]
            many = last - first
            if many.any():
                found_starts.append(np.repeat(starts, many))
                offsets = np.arange(many.sum()) - np.repeat(np.cumsum(many) - many, many)
                found_columns.append(self.end_columns[np.repeat(first, many) + offsets])
            # One step further down the trie for every walk still alive.
            ahead = starts + depth
            alive = ahead < len(ids)
            keys = nodes[alive] << 32 | ids[ahead[alive]]
            where = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            hit = self.keys[where] == keys
            starts, nodes = starts[alive][hit], self.children[where[hit]]
        if not found_starts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_starts), np.concatenate(found_columns)


def keyword_evidence(keyword: Keyword, in_title: int, in_abstract: int) -> float:
    """How much one keyword says: a title match weighs more; repeats in the abstract add a little."""
    score = TITLE_WEIGHT * keyword.weight if in_title else 0.0
    if in_abstract:
        score += ABSTRACT_WEIGHT * keyword.weight * (1 + 0.5 * (min(in_abstract, 3) - 1))
    return score


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


def read_texts(
    papers: Sequence[Paper], topics: Sequence[Topic]
) -> tuple[KeywordTable, sp.csr_matrix, WordNames]:
    """Read every paper's text once: the keyword table, the term counts (left for related papers) and word names."""
    keywords = [(index, keyword) for index, topic in enumerate(topics) for keyword in topic.keywords]
    excludes = [(index, keyword) for index, topic in enumerate(topics) for keyword in topic.exclude]
    vocabulary = Vocabulary()
    index = KeywordIndex([k for _, k in keywords], vocabulary)
    veto_index = KeywordIndex([k for _, k in excludes], vocabulary)
    documents = [paper_text(paper) for paper in papers]
    names = WordNames(vocabulary, term_capacity(documents) // 2)
    counts = RowBlocks(term_capacity(documents))
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    weights = np.asarray([keyword.weight for _, keyword in keywords], dtype=np.float64)
    vetoed = np.zeros((len(papers), len(topics)), dtype=bool)
    exclude_topic = np.asarray([topic for topic, _ in excludes], dtype=np.int64)
    for start, size, ids in read_documents(documents, vocabulary):
        counts.add(count_rows(vocabulary, ids, size))
        names.add(ids, size, documents[start:start + size])
        text = text_numbers(ids) + 2 * start  # text 2n is paper n's title, 2n + 1 its abstract
        positions, columns = index.find(ids)
        found.append(_occurrences(text[positions], columns, weights))
        positions, columns = veto_index.find(ids)
        vetoed[text[positions] // 2, exclude_topic[columns]] = True
    matrix = counts.matrix()
    remember_counts(documents, matrix)
    return _keyword_table(found, keywords, len(papers), vetoed), matrix, names


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

