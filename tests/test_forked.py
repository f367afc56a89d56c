"""The forked helper process: results, errors, and a counter shared without handing a number out twice."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import forked
from generator.errors import BuildError
from tests.conftest import ROOT, make_project

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
def test_a_child_that_dies_gives_an_error_not_a_hang() -> None:
    helper = forked.Forked(lambda: os.kill(os.getpid(), signal.SIGKILL))  # as the kernel's OOM killer would
    with pytest.raises(BuildError, match=r"helper process .* died .*exit code -9.*nothing was written"):
        helper.result()


@needs_fork
def test_close_stops_a_child_still_working() -> None:
    helper = forked.Forked(lambda: time.sleep(60))
    started = time.monotonic()
    helper.close()
    assert not helper.process.is_alive() and time.monotonic() - started < 10


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


def _threads_of_blocks(blocks: int) -> tuple[list[int], int]:
    """related._map_blocks over ``blocks`` blocks of 20 ms each: the results, and how many threads did them."""
    import threading

    from generator.topics import related

    threads: set[int] = set()

    def work(start: int) -> int:
        threads.add(threading.get_ident())
        time.sleep(0.02)  # sleeping frees the interpreter lock, as numpy's loops do
        return start * start

    return related._map_blocks(work, range(blocks)), len(threads)


@pytest.mark.skipif(os.cpu_count() == 1, reason="one core: one thread")
def test_blocks_take_a_second_thread_here_at_once() -> None:
    results, threads = _threads_of_blocks(20)
    assert results == [start * start for start in range(20)]  # in the order of the blocks, whoever did them
    assert threads == 2


@needs_fork
@pytest.mark.skipif(os.cpu_count() == 1, reason="one core: one thread")
def test_a_forked_child_takes_the_parents_core_only_once_the_parent_waits() -> None:
    # The parent is busy (asleep here) for longer than the child's blocks take: the child works on one thread.
    busy = forked.Forked(lambda: _threads_of_blocks(10))
    time.sleep(1.0)
    results, threads = busy.result()
    assert results == [start * start for start in range(10)] and threads == 1
    # The parent waits at once: the child's second thread joins in.
    waiting = forked.Forked(lambda: _threads_of_blocks(20))
    results, threads = waiting.result()
    assert results == [start * start for start in range(20)] and threads == 2


def test_an_error_in_a_block_is_raised_whichever_thread_met_it() -> None:
    from generator.topics import related

    def work(start: int) -> int:
        time.sleep(0.01)
        if start == 7:
            raise ValueError("block 7")
        return start

    with pytest.raises(ValueError, match="block 7"):
        related._map_blocks(work, range(12))


def test_small_archives_do_the_work_here_when_asked() -> None:
    calls: list[int] = []
    later = forked.meanwhile(lambda: calls.append(1) or 42, papers=10)
    assert isinstance(later, forked.Later) and calls == []  # nothing runs before its result is wanted
    assert later.result() == 42 and calls == [1]
    assert not forked.can_fork(forked.MIN_PAPERS - 1)


def test_macos_never_forks_though_python_lists_fork_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS' system libraries (numpy's Accelerate BLAS) start threads: a child forked then can crash or hang."""
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn", "fork", "forkserver"])
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert forked.can_fork(forked.MIN_PAPERS * 10)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not forked.can_fork(forked.MIN_PAPERS * 10)
    later = forked.meanwhile(lambda: os.getpid(), papers=forked.MIN_PAPERS * 10)
    assert isinstance(later, forked.Later) and later.result() == os.getpid()  # the work runs here


@needs_fork
def test_a_build_with_helper_processes_writes_the_same_files_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Duplicates and related papers found by a forked child, paper pages by another: the same output."""
    from generator.build import BuildOptions, build
    from generator.config import Config

    project = make_project(tmp_path / "project")
    (project / "data" / "issues" / "2026-11-28.json").write_text(
        '{"date": "2026-11-28", "papers": [{"title": "Addition is All You Need for Energy-efficient Language Model",'
        ' "abstract": "A near copy of a seed paper, under another arXiv id.", "arxiv": "2611.99999"}]}',
        encoding="utf-8",
    )

    def build_into(out: Path) -> tuple[dict[str, bytes], list[str]]:
        report = build(Config(base_dir=project), BuildOptions(out=out))
        files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        return files, [str(problem) for problem in report.problems]

    alone = build_into(tmp_path / "alone")
    monkeypatch.setattr(forked, "MIN_PAPERS", 0)  # both helpers: duplicates and related, paper pages
    calls: list[str] = []
    real_forked = forked.Forked

    def counting(work: object) -> object:
        calls.append("fork")
        return real_forked(work)  # type: ignore[arg-type]

    monkeypatch.setattr(forked, "Forked", counting)
    helped = build_into(tmp_path / "helped")
    assert len(calls) == 2  # duplicates and related beside the topics; paper pages beside the listings
    assert helped[1] == alone[1] and any("possible duplicate" in problem for problem in alone[1])
    assert helped[0].keys() == alone[0].keys()
    for name, data in alone[0].items():
        if not name.startswith(".digest-cache"):
            assert helped[0][name] == data, name


@needs_fork
def test_a_handoff_gives_a_child_the_arrays_made_after_it_was_forked() -> None:
    import numpy as np

    handoff = forked.Handoff()
    helper = forked.Forked(lambda: [array.tolist() for array in handoff.take() or []])
    made = [np.arange(300_000, dtype=np.float32), np.array([[1, 2], [3, 4]], dtype=np.int64)]  # over a pipe's buffer
    handoff.give(made)
    assert helper.result() == [array.tolist() for array in made]
    handoff.close()


@needs_fork
def test_a_handoff_never_given_tells_the_child_to_make_its_own() -> None:
    handoff = forked.Handoff()
    helper = forked.Forked(lambda: handoff.take())
    handoff.close()  # as the build does when it stops before its topics stage has read the texts
    assert helper.result() is None
    given_none = forked.Handoff()
    helper = forked.Forked(lambda: given_none.take())
    given_none.give(None)
    assert helper.result() is None
    given_none.close()


@needs_fork
def test_giving_to_a_child_that_is_gone_does_not_hang() -> None:
    import numpy as np

    handoff = forked.Handoff()
    helper = forked.Forked(lambda: time.sleep(60))  # never takes
    handoff.give([np.zeros(10_000_000, dtype=np.float32)])  # 40 MB: the sending thread waits on the full pipe
    started = time.monotonic()
    helper.close()  # the child is stopped; the write fails instead of waiting for ever
    handoff.close()
    assert time.monotonic() - started < 10


@needs_fork
def test_the_related_papers_helper_takes_the_topics_stage_word_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forked helper does not count every word again: the topics stage hands it its counts (same output)."""
    from generator.build import BuildOptions, build
    from generator.config import Config
    from generator.topics import related

    project = make_project(tmp_path / "project")
    marker = tmp_path / "counted"
    real_count = related.count_matrix

    def spy(documents: object) -> object:  # runs in the child (fork keeps the patch): leaves a mark
        marker.write_text("counted again", encoding="utf-8")
        return real_count(documents)  # type: ignore[arg-type]

    monkeypatch.setattr(related, "count_matrix", spy)
    monkeypatch.setattr(forked, "MIN_PAPERS", 0)
    build(Config(base_dir=project), BuildOptions(out=tmp_path / "handed"))
    assert not marker.exists()
    handed = {p.relative_to(tmp_path / "handed"): p.read_bytes() for p in (tmp_path / "handed").rglob("*.shard")}

    real_give = forked.Handoff.give
    monkeypatch.setattr(forked.Handoff, "give", lambda self, arrays: real_give(self, None))  # nothing handed
    build(Config(base_dir=project), BuildOptions(out=tmp_path / "counted-again"))
    assert marker.read_text(encoding="utf-8") == "counted again"  # the child counted: the spy is live there
    again = {p.relative_to(tmp_path / "counted-again"): p.read_bytes()
             for p in (tmp_path / "counted-again").rglob("*.shard")}
    assert handed == again and handed  # paper pages, related papers included: the same


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ") if os.name == "posix" else True,
                    reason="pipe sizes are Linux's")
def test_a_handoff_pipe_holds_a_megabyte_where_linux_allows() -> None:
    """Fewer, larger writes: the sending thread takes the interpreter lock ~200 times for 200 MB, not ~3,200."""
    import fcntl

    handoff = forked.Handoff()
    size = fcntl.fcntl(handoff._send.fileno(), fcntl.F_GETPIPE_SZ)
    handoff.close()
    if int(Path("/proc/sys/fs/pipe-max-size").read_text()) < forked.PIPE_BYTES and os.geteuid() != 0:
        pytest.skip("this machine lets a user's pipe hold less")
    assert size == forked.PIPE_BYTES


def test_a_child_whose_build_was_killed_ends_instead_of_waiting_for_ever(tmp_path: Path) -> None:
    """The child kept its own copy of the pipe's reading end: once the build was killed (kill -9), a result bigger
    than the pipe's buffer kept it blocked in the write for ever, holding its share of the archive's memory."""
    pid_file = tmp_path / "child"
    script = (
        "import os, pathlib, signal, sys, time\n"
        "from generator import forked\n"
        "helper = forked.Forked(lambda: b'x' * 5_000_000)\n"
        "pathlib.Path(sys.argv[1]).write_text(str(helper.process.pid))\n"
        "time.sleep(0.5)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    # No pipes to the script: a child left waiting would hold them open, and this test would wait with it.
    subprocess.run([sys.executable, "-c", script, str(pid_file)], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=False, timeout=60)
    child = int(pid_file.read_text())

    def waiting(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False  # gone
        return state not in ("Z", "X")  # a zombie has ended (its new parent may not reap it)

    deadline = time.monotonic() + 10
    while waiting(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    still = waiting(child)
    if still:
        os.kill(child, signal.SIGKILL)
    assert not still, "the helper process of a killed build is still waiting to hand over its result"


def test_a_child_of_a_build_killed_with_sigkill_ends_with_it(tmp_path: Path) -> None:
    """kill -9 (or the out-of-memory killer) of a build left its helper rendering and staging pages into content/
    for seconds more, for no one, with its share of the archive's memory."""
    pid_file = tmp_path / "child"
    script = (
        "import os, pathlib, signal, sys, time\n"
        "from generator import forked\n"
        "helper = forked.Forked(lambda: time.sleep(60))\n"
        "pathlib.Path(sys.argv[1]).write_text(str(helper.process.pid))\n"
        "time.sleep(0.5)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(pid_file)], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=False, timeout=60)
    child = int(pid_file.read_text())

    def running(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state not in ("Z", "X")

    if not Path("/proc").is_dir():
        pytest.skip("no /proc to look at the child")
    deadline = time.monotonic() + 5
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    still = running(child)
    if still:
        os.kill(child, signal.SIGKILL)
    assert not still, "the helper process of a build killed with SIGKILL goes on working"
