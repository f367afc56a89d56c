"""Work done meanwhile by a forked child process, which sees this process's memory as it was.

A big build has stages that do not depend on each other (the possible-duplicate search and
the topics; paper pages and listing pages). On a machine with a second core a child process
forked at the right moment does one while this process does the other. Fork shares the
archive copy-on-write, so nothing but the child's result is ever pickled (and what this process
makes after the fork that the child needs goes down a pipe as raw arrays: ``Handoff``); where
fork is missing (Windows, macOS' default) or only one core is free, the work simply runs here, later.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from generator import packaged
from generator.errors import BuildError

try:
    import fcntl
except ImportError:  # Windows: no fork there, and no handoff
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

# Below this many papers a second process costs more (fork, start, result) than it saves.
MIN_PAPERS = 2_000
# In a forked child: set once the parent waits for the child's result, i.e. the parent's core is free (None in
# the parent). Two threads of a child beside a busy parent would share one core and fight for the interpreter
# lock: at 20,000 papers the build took about 2 s more CPU that way, and 1 s longer.
_parent_waiting: Any = None


def can_fork(papers: int, min_papers: int | None = None) -> bool:
    """True when a child process would shorten the build: a big archive (``MIN_PAPERS``), a free core, and fork."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    enough = papers >= (MIN_PAPERS if min_papers is None else min_papers)
    return enough and cores >= 2 and fork_is_safe()


def fork_is_safe() -> bool:
    """Whether a child may be forked here. Not on macOS, though Python lists fork there: its system libraries (the
    Accelerate BLAS that numpy's macOS wheels use among them) start threads of their own, and a child forked then can
    crash or hang (Python's documentation; why spawn is macOS' default); nor where there is no fork (Windows)."""
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


class Forked(Generic[T]):
    """``work()`` running in a forked child from now on; ``result()`` waits for what it returns.

    The result must pickle; an exception in the child is raised again by ``result()``, and a
    child that dies without answering (killed, out of memory) raises ``BuildError`` rather than
    leaving the build waiting forever. ``close()`` stops the child whatever it is doing (always
    call it: ``result()`` does).
    """

    def __init__(self, work: Callable[[], T]) -> None:
        context = multiprocessing.get_context("fork")
        self.answers, answer = context.Pipe(duplex=False)
        self.waiting = context.Event()
        # With fork nothing is pickled on the way in: the child runs ``work`` on this process's memory.
        self.process = context.Process(target=_answer, args=(work, answer, self.waiting, self.answers, os.getpid()),
                                       daemon=True)
        self.process.start()
        answer.close()  # this process only reads: EOF then means the child is gone

    def result(self) -> T:
        self.waiting.set()  # this process's core is the child's from now on (see other_core_free)
        try:
            try:
                failed, value = self.answers.recv()
            except EOFError:
                self.process.join()
                raise BuildError(
                    f"a helper process of the build died without finishing (exit code {self.process.exitcode}; "
                    "killed, or out of memory?); nothing was written"
                ) from None
            if failed:
                raise value
            return value  # type: ignore[no-any-return]
        finally:
            self.close()

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.answers.close()


def _answer(work: Callable[[], Any], answer: Any, waiting: Any, reading: Any, parent: int) -> None:
    """In the child: (False, result) or (True, the exception) down the pipe.

    The child closes its copy of the pipe's reading end first: else, once the build is killed, nothing would ever
    read, and a result bigger than the pipe's buffer would keep the child waiting for ever (with its share of the
    archive's memory); this way the write fails and the child ends.
    """
    global _parent_waiting
    _parent_waiting = waiting
    end_with_parent(parent)
    # ``close()`` ends the child with SIGTERM, which ``digest build`` turns into an exception (cli.stop_on_sigterm).
    with contextlib.suppress(ValueError):  # not the main thread: nothing was set
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    reading.close()
    try:
        reply = (False, work())
    except BaseException as error:  # handed to the parent, which raises it
        # An error in a template: its file and line are in the traceback, which does not pickle.
        reply = (True, BuildError(packaged.template_error(error)) if packaged.raised_in_template(error) else error)
    try:
        answer.send(reply)
    except OSError:  # the build is gone (killed): no one to answer
        return
    except Exception as error:  # the result or the exception does not pickle
        try:
            answer.send((True, RuntimeError(f"helper process: {type(error).__name__}: {error}")))
        except OSError:
            return


# prctl(2): the signal a child gets when the thread that forked it ends (Linux).
PR_SET_PDEATHSIG = 1


def end_with_parent(parent: int) -> None:
    """In the child: end when the build is killed (kill -9, the out-of-memory killer), rather than go on for seconds
    rendering and staging pages into content/ for no one, holding its share of the archive's memory and the lock on
    content/. (The thread that forks waits for the child's result, so it never ends first on its own.)"""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # killed before the call
        os._exit(1)


class Later(Generic[T]):
    """The same interface as ``Forked``, for running ``work()`` here when its result is asked for."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work

    def result(self) -> T:
        return self.work()

    def close(self) -> None:
        pass


def other_core_free(timeout: float) -> bool:
    """Whether a second thread here would have a core of its own: at once in the build's own process; in a
    forked child, once the parent waits for its result (waiting up to ``timeout`` seconds for that)."""
    return _parent_waiting is None or bool(_parent_waiting.wait(timeout))


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


PIPE_BYTES = 1 << 20  # what a handoff's pipe may hold (Linux's default most for a user: /proc/sys/fs/pipe-max-size)


class Handoff:
    """Arrays this process makes after forking a child that needs them: sent down a pipe by a thread here (so
    this process never waits for the child to read them), taken once by the child.

    Made before the fork; ``give`` (here, once) and ``take`` (in the child, once). ``give(None)`` tells the
    child to make them itself; so does a handoff never given (``close`` gives None), and so does this
    process ending before it gave (the child reads the end of the pipe).
    """

    def __init__(self) -> None:
        self._receive, self._send = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._sender: threading.Thread | None = None
        # A pipe holds 64 KB: each write of hundreds of MB would then wait for the interpreter lock thousands
        # of times, beside the busy topics stage. Linux lets a pipe hold more (best effort).
        set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
        if set_size is not None:
            with contextlib.suppress(OSError):
                fcntl.fcntl(self._send.fileno(), set_size, PIPE_BYTES)

    def give(self, arrays: Sequence[np.ndarray] | None) -> None:
        """Here, after the fork: hand ``arrays`` over (None: nothing to hand over). Only the first call counts."""
        if self._sender is not None:
            return
        self._receive.close()  # the child's end: were it kept open here, a write to a child gone would wait forever
        parts = [np.ascontiguousarray(array) for array in arrays] if arrays is not None else None

        def send() -> None:
            try:
                self._send.send(None if parts is None else [(part.dtype.str, part.shape) for part in parts])
                for part in parts or []:  # raw, not pickled or framed: the child reads them straight into arrays
                    view = part.data.cast("B")
                    while view:
                        view = view[os.write(self._send.fileno(), view):]
            except OSError:  # the child is gone (it failed, or the build stopped it): nothing to hand over
                pass

        self._sender = threading.Thread(target=send, daemon=True)
        self._sender.start()

    def take(self) -> list[np.ndarray] | None:
        """In the child: the arrays given (waiting for them), or None when it is to make them itself."""
        self._send.close()  # this process's copy of the parent's end: the pipe's end is then the parent's
        try:
            header = self._receive.recv()
            if header is None:
                return None
            arrays = []
            for kind, shape in header:
                array = np.empty(shape, dtype=np.dtype(kind))
                view = array.data.cast("B")
                while view:
                    got = os.readv(self._receive.fileno(), [view])
                    if got == 0:
                        raise EOFError
                    view = view[got:]
                arrays.append(array)
            return arrays
        except EOFError:  # the parent closed its end without handing everything over
            return None
        finally:
            self._receive.close()

    def close(self) -> None:
        """Here, once the child is done or stopped: a handoff never given tells the child to make its own."""
        self.give(None)
        if self._sender is not None:
            self._sender.join(timeout=1.0)
        self._send.close()
