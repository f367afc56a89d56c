"""Bag-of-words vectors of titles and abstracts (hashed TF-IDF), the basis of topic similarity and related papers.

Words are hashed into a fixed number of buckets with a stable hash, so a vector never depends on
which other papers exist (no vocabulary to grow) and the same text always gives the same vector.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

BUCKETS = 1 << 18
TITLE_REPEAT = 3  # the title is short and says what the paper is about: count its words more
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Function words and the boilerplate of every abstract: they say nothing about a paper's subject.
STOPWORDS = frozenset(
    """a about above across after again against all almost also although always among an and another any
    are as at based be been before being between both but by can could did do does done due during each
    either et etc even ever every few for from further had has have having here how however i if in into is
    it its itself just many may might more most much must my neither no nor not of often on once one only or
    other others our out over own per rather same several should show shown shows since so some such than
    that the their them then there these they this those though thus to too under until up upon us use used
    uses using very via was we well were what when where whether which while who whose why will with within
    without would yet you your paper propose proposed present presents approach method methods new novel
    result results work study studies first two three also show however existing demonstrate experiments
    experimental significantly significant state art furthermore moreover address recent recently""".split()  # noqa: SIM905
)


# Words ending in "s" that are singular, and Latin plurals the simple rules would get wrong.
IRREGULAR = {
    **{w: w for w in ("bias", "lens", "gas", "chaos", "atlas", "canvas", "news", "series", "species", "alias")},
    "matrices": "matrix", "vertices": "vertex", "indices": "index", "simplices": "simplex", "data": "data",
}


def singular(word: str) -> str:
    """A crude English singular ("models" → "model"), enough to merge plural and singular forms."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Every word of ``text`` as written (NFKC): hyphens, punctuation and spaces all separate words."""
    return WORD.findall(unicodedata.normalize("NFKC", text))


def content_words(text: str) -> list[str]:
    """The words ``Vectorizer`` counts, as text: casefolded, singular, no stopwords, numbers or single letters."""
    found = WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return [singular(w) for w in found if len(w) > 1 and not w.isdigit() and w not in STOPWORDS]


def bucket(term: str) -> int:
    """A stable hash bucket (crc32, unlike ``hash()`` the same in every process)."""
    return zlib.crc32(term.encode("utf-8")) % BUCKETS


class Vectorizer:
    """Turns titles and abstracts into sparse rows of sublinear term counts over hashed words and word pairs.

    Word → bucket lookups are cached, and pairs are hashed with integer arithmetic, so the
    per-word work is a dictionary lookup: fast enough for 100,000 papers.
    """

    def __init__(self) -> None:
        self.cache: dict[str, int] = {}

    def word_buckets(self, text: str) -> np.ndarray:
        """Buckets of the content words of ``text`` in order (stopwords, numbers, single letters dropped)."""
        found = WORD.findall(unicodedata.normalize("NFKC", text).casefold())
        cache = self.cache
        keys = [cache.get(word) for word in found]
        for index, key in enumerate(keys):
            if key is None:
                keys[index] = cache[found[index]] = self._bucket(found[index])
        array = np.asarray(keys, dtype=np.int64)
        return array[array >= 0]

    @staticmethod
    def _bucket(word: str) -> int:
        if len(word) < 2 or word.isdigit() or word in STOPWORDS:
            return -1
        return bucket(singular(word))

    def terms(self, text: str) -> np.ndarray:
        """Buckets of the words of ``text`` and of each pair of adjacent content words."""
        single = self.word_buckets(text)
        pairs = (single[:-1] * 1_000_003 + single[1:] * 7919 + 12345) % BUCKETS
        return np.concatenate([single, pairs])

    def matrix(self, documents: Sequence[tuple[str, str]]) -> sp.csr_matrix:
        """One row per (title, abstract): 1 + log(count), title terms counted ``TITLE_REPEAT`` times."""
        rows, cols, data = [], [], []
        for row, (title, abstract) in enumerate(documents):
            for text, weight in ((title, TITLE_REPEAT), (abstract, 1)):
                found = self.terms(text)
                rows.append(np.full(len(found), row, dtype=np.int64))
                cols.append(found)
                data.append(np.full(len(found), float(weight)))
        if not rows:
            return sp.csr_matrix((0, BUCKETS))
        counts = sp.csr_matrix(
            (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=(len(documents), BUCKETS)
        )
        counts.sum_duplicates()
        counts.data = 1.0 + np.log(counts.data)
        return counts


def count_matrix(documents: Sequence[tuple[str, str]]) -> sp.csr_matrix:
    """Sublinear term counts of (title, abstract) pairs; see ``Vectorizer``.

    The last result is remembered (keyed by the texts themselves): the topics stage and the
    related-papers stage count the same papers, and counting is their slowest step.
    """
    key = tuple(documents)
    if _LAST[0] != key:
        _LAST[0], _LAST[1] = key, Vectorizer().matrix(documents)
    return _LAST[1].copy()


_LAST: list[Any] = [None, None]
def document_frequency(matrix: sp.csr_matrix) -> np.ndarray:
    """In how many rows each bucket occurs."""
    return np.bincount(matrix.indices, minlength=BUCKETS).astype(np.float64)


def idf(df: np.ndarray, documents: int) -> np.ndarray:
    """Smoothed inverse document frequency; a term seen in one document only carries no weight (it links nothing)."""
    weights = np.log((1.0 + documents) / (1.0 + df))
    weights[df < 2] = 0.0
    return weights


def normalize_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Each row scaled to unit length (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def weighted(matrix: sp.csr_matrix, weights: np.ndarray) -> sp.csr_matrix:
    """Rows of ``matrix`` times per-bucket ``weights``, then unit length: TF-IDF vectors."""
    scaled = matrix.copy()
    scaled.data = scaled.data * weights[scaled.indices]
    scaled.eliminate_zeros()
    return normalize_rows(scaled)
