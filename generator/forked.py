"""Work done meanwhile by a forked child process, which sees this process's memory as it was.

A big build has stages that do not depend on each other (the possible-duplicate search and
the topics; paper pages and listing pages). On a machine with a second core a child process
forked at the right moment does one while this process does the other. Fork shares the
archive copy-on-write, so nothing but the child's result is ever pickled; where fork is
missing (Windows, macOS' default) or only one core is free, the work simply runs here, later.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# Below this many papers a second process costs more (fork, start, result) than it saves.
MIN_PAPERS = 2_000
_work: Callable[[], Any] | None = None


def can_fork(papers: int, min_papers: int | None = None) -> bool:
    """True when a child process would shorten the build: a big archive (``MIN_PAPERS``), a free core, and fork."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    enough = papers >= (MIN_PAPERS if min_papers is None else min_papers)
    return enough and cores >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _run() -> Any:
    assert _work is not None
    return _work()


class Forked(Generic[T]):
    """``work()`` running in a forked child from now on; ``result()`` waits for what it returns.

    The result must pickle; an exception in the child is raised again by ``result()``.
    ``close()`` stops the child whatever it is doing (always call it: ``result()`` does).
    """

    def __init__(self, work: Callable[[], T]) -> None:
        global _work
        context = multiprocessing.get_context("fork")
        _work = work
        try:
            self.pool = context.Pool(1)  # forks now: the child sees _work (no pickling)
        finally:
            _work = None
        self.pending = self.pool.apply_async(_run)

    def result(self) -> T:
        try:
            return self.pending.get()  # type: ignore[no-any-return]
        finally:
            self.close()

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


class Later(Generic[T]):
    """The same interface as ``Forked``, for running ``work()`` here when its result is asked for."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work

    def result(self) -> T:
        return self.work()

    def close(self) -> None:
        pass


def meanwhile(work: Callable[[], T], papers: int) -> Forked[T] | Later[T]:
    """``work`` in a forked child when that can help (see ``can_fork``), else here when asked for."""
    return Forked(work) if can_fork(papers) else Later(work)


def shared_counter() -> Callable[[], int]:
    """0, 1, 2, … shared by this process and the children it forks afterwards (each number once)."""
    value = multiprocessing.get_context("fork").Value("q", 0)

    def take() -> int:
        with value.get_lock():
            index = int(value.value)
            value.value = index + 1
        return index

    return take
