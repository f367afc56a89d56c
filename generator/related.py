"""Related papers: for each paper, the most similar others in the archive by title and abstract (TF-IDF cosine).

Exact all-pairs similarity grows with the square of the archive, so candidates are found through each
paper's most distinctive terms only (its top ``CANDIDATE_TERMS`` TF-IDF weights among terms that at
most ``RARE_SHARE`` of the archive, and at most ``RARE_MAXIMUM`` papers, use), and only the best
``CANDIDATES`` of them are scored exactly: the work grows with the archive, not with its square. A paper with a
similar subject shares some distinctive term; common words would only add work, not neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from generator.model import Paper
from generator.textvec import count_matrix, document_frequency, idf, sublinear, weighted

RELATED = 5
CANDIDATES = 12
CANDIDATE_TERMS = 24
RARE_SHARE = 0.02
RARE_MINIMUM = 50  # in a small archive every term may be "common"; keep terms used by this many papers
RARE_MAXIMUM = 400  # and in a large one, a term of more papers than this proposes too many candidates
MIN_SIMILARITY = 0.05
CHUNK = 2000  # papers whose candidates are found at once


def related_papers(papers: Sequence[Paper], count: int = RELATED) -> dict[str, tuple[str, ...]]:
    """Paper id → ids of up to ``count`` most similar papers, most similar first (ties: older issue, then id)."""
    order = sorted(papers, key=lambda p: (p.added, p.id))  # the topics stage's order: one counting for both
    if len(order) < 2:
        return {p.id: () for p in order}
    counts = sublinear(count_matrix([(p.title, p.abstract) for p in order]))
    df = document_frequency(counts)
    vectors = weighted(counts, idf(df, len(order)))
    sketch = _sketch(vectors, df, len(order))
    ids = [p.id for p in order]
    related: dict[str, tuple[str, ...]] = {}
    transposed = sp.csr_matrix(sketch.T)
    chunk = CHUNK
    for start in range(0, len(order), chunk):
        end = min(start + chunk, len(order))
        rows, neighbours = _neighbours(vectors, sketch, transposed, start, end, count)
        for row in range(start, end):
            related[ids[row]] = tuple(ids[i] for i in neighbours[rows == row])
    return related


def _sketch(vectors: sp.csr_matrix, df: np.ndarray, papers: int) -> sp.csr_matrix:
    """Each paper's ``CANDIDATE_TERMS`` heaviest terms among the rarer ones: what candidate search uses."""
    cap = min(RARE_MAXIMUM, max(RARE_MINIMUM, RARE_SHARE * papers))
    kept = vectors.copy()
    kept.data = np.where(df[kept.indices] <= cap, kept.data, 0.0)
    kept.eliminate_zeros()
    kept.sort_indices()
    rows = np.repeat(np.arange(kept.shape[0]), np.diff(kept.indptr))
    keep = _top_per_row(rows, kept.data, CANDIDATE_TERMS)
    return sp.csr_matrix((kept.data[keep], (rows[keep], kept.indices[keep])), shape=kept.shape)


def _top_per_row(rows: np.ndarray, values: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the ``limit`` largest positive values of each row, best first.

    Entries must come row by row, by column within a row: a stable sort on one float key
    (row + 1 - scaled value) then breaks ties by the smaller column, fast on millions of entries.
    """
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    scaled = values / (values.max() * (1 + 1e-9))
    order = np.argsort(rows + (1.0 - scaled), kind="stable")
    sorted_rows = rows[order]
    first = np.searchsorted(sorted_rows, sorted_rows, side="left")
    rank = np.arange(len(order)) - first
    return order[rank < limit]


def _neighbours(
    vectors: sp.csr_matrix, sketch: sp.csr_matrix, transposed: sp.csr_matrix, start: int, end: int, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """For papers ``start:end``: candidates sharing distinctive terms, then exact cosine; best ``count`` per paper.

    Returns parallel arrays (paper row, neighbour row), each paper's neighbours best first.
    """
    product = sketch[start:end] @ transposed
    product.sort_indices()
    shared = product.tocoo()
    rows, columns, weights = shared.row.astype(np.int64) + start, shared.col.astype(np.int64), shared.data
    other = columns != rows
    rows, columns, weights = rows[other], columns[other], weights[other]
    keep = np.sort(_top_per_row(rows, weights, CANDIDATES))  # back in row, column order
    rows, columns = rows[keep], columns[keep]
    exact = np.asarray(vectors[rows].multiply(vectors[columns]).sum(axis=1)).ravel()
    good = exact >= MIN_SIMILARITY
    rows, columns, exact = rows[good], columns[good], np.round(exact[good], 9)
    best = _top_per_row(rows, exact, count)
    return rows[best], columns[best]
