"""The forked helper process: results, errors, and a counter shared without handing a number out twice."""

from __future__ import annotations

import multiprocessing

import pytest

from generator import forked

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


@needs_fork
def test_a_forked_child_sees_this_process_memory_and_returns_its_result() -> None:
    big = list(range(100_000))  # not pickled on the way in: the child sees it through fork
    helper = forked.Forked(lambda: sum(big))
    assert helper.result() == sum(big)


@needs_fork
def test_an_error_in_the_child_is_raised_by_result() -> None:
    def fail() -> None:
        raise ValueError("bad record 7")

    helper = forked.Forked(fail)
    with pytest.raises(ValueError, match="bad record 7"):
        helper.result()


@needs_fork
def test_a_shared_counter_hands_each_number_to_one_process_only() -> None:
    take = forked.shared_counter()

    def drain() -> list[int]:
        numbers = []
        while (number := take()) < 2_000:
            numbers.append(number)
        return numbers

    helper = forked.Forked(drain)
    mine = drain()
    theirs = helper.result()
    assert sorted(mine + theirs) == list(range(2_000))  # every number once, none lost or doubled


def test_small_archives_do_the_work_here_when_asked() -> None:
    calls: list[int] = []
    later = forked.meanwhile(lambda: calls.append(1) or 42, papers=10)
    assert isinstance(later, forked.Later) and calls == []  # nothing runs before its result is wanted
    assert later.result() == 42 and calls == [1]
    assert not forked.can_fork(forked.MIN_PAPERS - 1)
