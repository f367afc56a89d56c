"""Related papers: for each paper, the most similar others in the archive by title and abstract (TF-IDF cosine).

Exact all-pairs similarity grows with the square of the archive, so candidates are found through each
paper's most distinctive terms only (its top ``CANDIDATE_TERMS`` TF-IDF weights among terms that at
most ``RARE_SHARE`` of the archive uses), and only those candidates are scored exactly. A paper with a
similar subject shares some distinctive term; common words would only add work, not neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from generator.model import Paper
from generator.textvec import count_matrix, document_frequency, idf, weighted

RELATED = 5
CANDIDATES = 20
CANDIDATE_TERMS = 24
RARE_SHARE = 0.02
RARE_MINIMUM = 50  # in a small archive every term may be "common"; keep terms used by this many papers
MIN_SIMILARITY = 0.05
CHUNK_CELLS = 10_000_000  # candidate weights held at once (papers in a chunk × archive size): 80 MB


def related_papers(papers: Sequence[Paper], count: int = RELATED) -> dict[str, tuple[str, ...]]:
    """Paper id → ids of up to ``count`` most similar papers, most similar first (ties by id)."""
    order = sorted(papers, key=lambda p: p.id)
    if len(order) < 2:
        return {p.id: () for p in order}
    counts = count_matrix([(p.title, p.abstract) for p in order])
    df = document_frequency(counts)
    vectors = weighted(counts, idf(df, len(order)))
    sketch = _sketch(vectors, df, len(order))
    ids = [p.id for p in order]
    related: dict[str, tuple[str, ...]] = {}
    transposed = sp.csr_matrix(sketch.T)
    chunk = max(1, min(len(order), CHUNK_CELLS // len(order)))
    for start in range(0, len(order), chunk):
        end = min(start + chunk, len(order))
        rows, neighbours = _neighbours(vectors, sketch, transposed, start, end, count)
        for row in range(start, end):
            related[ids[row]] = tuple(ids[i] for i in neighbours[rows == row])
    return related


def _sketch(vectors: sp.csr_matrix, df: np.ndarray, papers: int) -> sp.csr_matrix:
    """Each paper's ``CANDIDATE_TERMS`` heaviest terms among the rarer ones: what candidate search uses."""
    cap = max(RARE_MINIMUM, RARE_SHARE * papers)
    kept = vectors.copy()
    kept.data = np.where(df[kept.indices] <= cap, kept.data, 0.0)
    kept.eliminate_zeros()
    rows = np.repeat(np.arange(kept.shape[0]), np.diff(kept.indptr))
    keep = _top_per_row(rows, kept.indices, kept.data, CANDIDATE_TERMS)
    return sp.csr_matrix((kept.data[keep], (rows[keep], kept.indices[keep])), shape=kept.shape)


def _top_per_row(rows: np.ndarray, columns: np.ndarray, values: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the ``limit`` largest values of each row (ties: smaller column first), row by row, best first."""
    order = np.lexsort((columns, -values, rows))
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
    shared = (sketch[start:end] @ transposed).toarray()
    shared[np.arange(end - start), np.arange(start, end)] = 0.0
    take = min(CANDIDATES, shared.shape[1] - 1)
    candidates = np.argpartition(-shared, take - 1, axis=1)[:, :take]
    found = np.take_along_axis(shared, candidates, axis=1) > 0
    rows = np.repeat(np.arange(start, end), take)[found.ravel()]
    columns = candidates.ravel()[found.ravel()]
    exact = np.asarray(vectors[rows].multiply(vectors[columns]).sum(axis=1)).ravel()
    good = exact >= MIN_SIMILARITY
    rows, columns, exact = rows[good], columns[good], np.round(exact[good], 9)
    best = _top_per_row(rows, columns, exact, count)
    return rows[best], columns[best]
