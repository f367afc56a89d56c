"""Related papers: for each paper, the most similar others in the archive by title and abstract (TF-IDF cosine).

Exact all-pairs similarity grows with the square of the archive, so candidates are found through each
paper's most distinctive terms only (its top ``CANDIDATE_TERMS`` TF-IDF weights among terms that at
most ``RARE_SHARE`` of the archive, and at most ``RARE_MAXIMUM`` papers, use), and only the best
``CANDIDATES`` of them are scored exactly: the work grows with the archive, not with its square. A paper with a
similar subject shares some distinctive term; common words would only add work, not neighbours. Measured
on a real archive of 9,877 daily papers (bench/eval): every page gets five related papers, and their
mean cosine is 0.98 of an exact search's five nearest (0.93 with 24 terms and 12 candidates).

Papers are handled in blocks of ``CHUNK`` (bounded memory), on both cores when there are two and the other
is free (in the build's forked helper: once the build waits for it); each block's result depends on nothing
but the archive, so the output is the same whatever the number of workers. Two papers are often each
other's candidates (30-36% of the pairs, real archives and the benchmark's alike): each such pair's cosine is
computed once, for both (a cosine is the same whichever paper comes first, to the last bit: the same products,
summed in the same order of terms), which is most of the search's work. Rankings sort one 64-bit key per
entry (row, weight, column), so ties go to the smaller column: the older issue, then the smaller id.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from generator import forked
from generator.model import Paper
from generator.topics.features import (
    BUCKETS,
    RowBlocks,
    count_matrix,
    document_frequency,
    forget_counts,
    idf,
    paper_text,
)

RELATED = 5
CANDIDATES = 40
CANDIDATE_TERMS = 64
RARE_SHARE = 0.02
RARE_MINIMUM = 50  # in a small archive every term may be "common"; keep terms used by this many papers
RARE_MAXIMUM = 400  # and in a large one, a term of more papers than this proposes too many candidates
MIN_SIMILARITY = 1e-4  # shares a term that carries weight: any paper with one is more related than none
CHUNK = 1024  # papers handled at once (at most 2**ROW_BITS): bounds the memory of each worker
ROW_BITS, WEIGHT_BITS, COLUMN_BITS = 11, 31, 22  # the parts of a ranking key (64 bits in all)
WORKERS = min(2, os.cpu_count() or 1)
# Rows with more than this many times ``limit`` entries on average are first cut to their ``limit``-th largest
# (``_at_least_kth``): a partial sort instead of sorting every candidate; cells of its table at a time.
FILTER_FROM, FILTER_TABLE = 4, 1 << 22
T = TypeVar("T")


def related_papers(
    papers: Sequence[Paper], count: int = RELATED, counted: Callable[[], sp.csr_matrix | None] | None = None
) -> dict[str, tuple[str, ...]]:
    """Paper id → ids of up to ``count`` most similar papers, most similar first (ties: older issue, then id).

    ``counted`` gives the papers' term counts in this order when another process has them (the topics stage's,
    handed to the build's forked helper), or None; else they are counted here (or taken from this process's
    topics stage: ``count_matrix``).
    """
    order = sorted(papers, key=lambda p: (p.added, p.id))  # the topics stage's order: one counting for both
    if len(order) < 2:
        return {p.id: () for p in order}
    if len(order) >= 1 << COLUMN_BITS:
        raise ValueError(f"related papers: at most {1 << COLUMN_BITS} papers")
    counts = counted() if counted is not None else None
    if counts is None or counts.shape != (len(order), BUCKETS):  # none given, or not these papers': count here
        counts = count_matrix([paper_text(p) for p in order])
    forget_counts()  # the last stage that needs them: the vectors below replace them
    df = document_frequency(counts)
    vectors = _vectors(counts, idf(df, len(order)))
    del counts
    starts = range(0, len(order), CHUNK)
    sketches = _map_blocks(lambda start: _sketch(vectors, df, start), starts)
    sketch = sp.csr_matrix(sp.vstack(sketches, format="csr"))
    transposed = sp.csr_matrix(sketch.T)
    found = _map_blocks(lambda start: _candidates(sketch, transposed, start), starts)
    rows = np.concatenate([rows for rows, _ in found])
    columns = np.concatenate([columns for _, columns in found])
    del found
    # Each unordered pair once: the smaller row first, as a key smaller << COLUMN_BITS | larger.
    pairs, where = np.unique((np.minimum(rows, columns) << COLUMN_BITS) | np.maximum(rows, columns),
                             return_inverse=True)
    spans = range(0, len(pairs), CHUNK * CANDIDATES)
    cosines = _map_blocks(lambda first: _cosines(vectors, pairs[first:first + CHUNK * CANDIDATES]), spans)
    exact = np.concatenate([np.zeros(0, dtype=np.float32), *cosines])[where.ravel()]
    del where, cosines
    bounds = np.searchsorted(rows, [*starts, len(order)])
    ids = [p.id for p in order]
    related: dict[str, tuple[str, ...]] = {}
    for start, low, high in zip(starts, bounds[:-1], bounds[1:], strict=True):
        neighbours = _best(rows[low:high] - start, columns[low:high], exact[low:high], min(CHUNK, len(order) - start),
                           count)
        for row, found_columns in enumerate(neighbours, start=start):
            related[ids[row]] = tuple(ids[column] for column in found_columns)
    return related


def _map_blocks(work: Callable[[int], T], starts: Sequence[int]) -> list[T]:
    """``work(start)`` for every block, results in the order of ``starts``: on this thread, and on a second one
    from when the other core is free (forked.other_core_free: at once, or in a forked child once the parent
    waits for it). numpy and scipy release the interpreter lock in their loops, so two threads use two cores."""
    results: dict[int, T] = {}
    pending = iter(starts)
    lock = threading.Lock()
    finished = threading.Event()
    errors: list[BaseException] = []

    def take() -> None:
        while not errors and not finished.is_set():  # finished: the first thread is done (or failed)
            with lock:
                start = next(pending, None)
            if start is None:
                return
            results[start] = work(start)

    def second() -> None:
        try:
            while not finished.is_set():
                if forked.other_core_free(0.05):
                    take()
                    return
        except BaseException as error:  # raised again by the first thread
            errors.append(error)

    helper = threading.Thread(target=second, daemon=True) if WORKERS > 1 and len(starts) > 1 else None
    if helper is not None:
        helper.start()
    try:
        take()
    finally:
        finished.set()  # all blocks handed out, or one failed: the second thread stops after its block
        if helper is not None:
            helper.join()
    if errors:
        raise errors[0]
    return [results[start] for start in starts]


def _vectors(counts: sp.csr_matrix, weights: np.ndarray) -> sp.csr_matrix:
    """Unit-length TF-IDF rows in float32 (half the memory; ample precision for a ranking), zero weights dropped.

    Built ``CHUNK`` rows at a time, so the temporary arrays stay small beside the counts.
    """
    weights = weights.astype(np.float32)
    vectors = RowBlocks(counts.nnz)
    for start in range(0, counts.shape[0], CHUNK):
        block = counts[start:start + CHUNK]
        data = (np.log(block.data) + np.float32(1)) * weights[block.indices]
        kept = data != 0
        ends = np.concatenate([[0], np.cumsum(kept)])[block.indptr]
        lengths = np.diff(ends)
        data = data[kept]
        norms = np.sqrt(np.add.reduceat(np.append(np.square(data), np.float32(0)), ends[:-1]))
        norms[(lengths == 0) | (norms == 0)] = 1.0
        data /= np.repeat(norms, lengths)
        vectors.add(sp.csr_matrix((data, block.indices[kept], ends), shape=block.shape))
    return vectors.matrix()


def _sketch(vectors: sp.csr_matrix, df: np.ndarray, start: int) -> sp.csr_matrix:
    """For papers ``start:start + CHUNK``, their ``CANDIDATE_TERMS`` heaviest terms among the rarer ones."""
    papers = vectors.shape[0]
    cap = min(RARE_MAXIMUM, max(RARE_MINIMUM, RARE_SHARE * papers))
    block = vectors[start:start + CHUNK]
    rows = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
    rare = df[block.indices] <= cap
    rows, columns, weights = rows[rare], block.indices[rare], block.data[rare]
    rows, columns, weights = _top_per_row(rows, columns, weights, CANDIDATE_TERMS)
    return sp.csr_matrix((weights, (rows, columns)), shape=block.shape)


def _candidates(sketch: sp.csr_matrix, transposed: sp.csr_matrix, start: int) -> tuple[np.ndarray, np.ndarray]:
    """For papers ``start:start + CHUNK``: the ``CANDIDATES`` papers sharing the most distinctive-term weight with
    each, as (row, column) of the archive (int64), rows ascending."""
    product = sketch[start:start + CHUNK] @ transposed
    size = product.shape[0]
    rows = np.repeat(np.arange(size), np.diff(product.indptr))
    columns, shared = product.indices.astype(np.int64), product.data
    other = columns != rows + start
    rows, columns, _ = _top_per_row(rows[other], columns[other], shared[other], CANDIDATES)
    return rows + start, columns


def _cosines(vectors: sp.csr_matrix, pairs: np.ndarray) -> np.ndarray:
    """The exact cosine of each pair (``smaller << COLUMN_BITS | larger``), float32."""
    if not len(pairs):
        return np.zeros(0, dtype=np.float32)
    smaller, larger = pairs >> COLUMN_BITS, pairs & ((1 << COLUMN_BITS) - 1)
    return np.asarray(vectors[smaller].multiply(vectors[larger]).sum(axis=1), dtype=np.float32).ravel()


def _best(rows: np.ndarray, columns: np.ndarray, exact: np.ndarray, size: int, count: int) -> list[list[int]]:
    """The ``count`` most similar candidates of each of ``size`` rows (rows counted from 0, ascending), best first."""
    good = exact >= MIN_SIMILARITY
    rows, columns, _ = _top_per_row(rows[good], columns[good], exact[good], count)
    split = np.searchsorted(rows, np.arange(1, size))
    return [part.tolist() for part in np.split(columns, split)]


def _top_per_row(
    rows: np.ndarray, columns: np.ndarray, weights: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``limit`` entries of largest positive weight of each row (rows, columns, float32 weights), best first.

    One sort of 64-bit keys: row, then the weight's float32 bits reversed (for positive floats the
    bits grow with the value), then the column, so equal weights go to the smaller column.
    """
    if not len(rows):
        return rows.astype(np.int64), columns.astype(np.int64), np.zeros(0, dtype=np.float32)
    weights = np.asarray(weights, dtype=np.float32)
    many = len(rows) > FILTER_FROM * limit * (int(rows[-1]) - int(rows[0]) + 1)  # entries a row, if grouped
    if many and bool(np.all(rows[1:] >= rows[:-1])):  # sort fewer
        kept = _at_least_kth(rows, weights, limit)
        rows, columns, weights = rows[kept], columns[kept], weights[kept]
    reverse = np.uint64((1 << WEIGHT_BITS) - 1)
    bits = weights.view(np.uint32).astype(np.uint64)
    keys = (rows.astype(np.uint64) << np.uint64(WEIGHT_BITS + COLUMN_BITS)) | (
        (reverse - bits) << np.uint64(COLUMN_BITS)
    ) | columns.astype(np.uint64)
    keys.sort()
    sorted_rows = (keys >> np.uint64(WEIGHT_BITS + COLUMN_BITS)).astype(np.int64)
    per_row = np.bincount(sorted_rows)
    rank = np.arange(len(keys)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    best = keys[rank < limit]
    weight_bits = (reverse - ((best >> np.uint64(COLUMN_BITS)) & reverse)).astype(np.uint32)
    return (
        (best >> np.uint64(WEIGHT_BITS + COLUMN_BITS)).astype(np.int64),
        (best & np.uint64((1 << COLUMN_BITS) - 1)).astype(np.int64),
        weight_bits.view(np.float32),
    )


def _at_least_kth(rows: np.ndarray, weights: np.ndarray, limit: int) -> np.ndarray:
    """Which entries can be among the ``limit`` largest of their row: those at least the row's ``limit``-th
    largest weight (ties at it included, so the sort after this one still decides them by column).

    ``rows`` must come grouped in increasing order. Each row's ``limit``-th largest is found by a partial sort
    (``np.partition``) of a table with a line per row, at most ``FILTER_TABLE`` cells at a time.
    """
    starts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))
    ends = np.append(starts[1:], len(rows))
    lengths = ends - starts
    width = int(lengths.max())
    if width <= limit:
        return np.ones(len(rows), dtype=bool)
    line = np.repeat(np.arange(len(starts)), lengths)  # each entry's row, counted from 0
    cell = np.arange(len(rows)) - np.repeat(starts, lengths)  # and its place in the row
    # A row of ``limit`` entries or fewer has padding (+inf) or its smallest weight there: all its entries kept.
    threshold = np.empty(len(starts), dtype=np.float32)
    step = max(1, FILTER_TABLE // width)
    for first in range(0, len(starts), step):
        last = min(first + step, len(starts))
        low, high = starts[first], ends[last - 1]
        table = np.full((last - first) * width, np.inf, dtype=np.float32)
        table[(line[low:high] - first) * width + cell[low:high]] = -weights[low:high]
        threshold[first:last] = -np.partition(table.reshape(last - first, width), limit - 1, axis=1)[:, limit - 1]
    kept: np.ndarray = weights >= threshold[line]
    return kept
