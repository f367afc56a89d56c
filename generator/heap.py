"""Freed memory kept for reuse: the allocator's settings for a build (glibc on Linux only).

A build allocates and frees large arrays stage after stage (term counts, score matrices, page text).
glibc hands a freed block of 128 KB or more straight back to the kernel (``munmap``) and trims the
heap's free top, so the next stage's arrays come as fresh pages, each a page fault the kernel zeroes;
on a virtual machine whose host backs guest memory lazily, a fault costs several microseconds more.
Kept in the process instead (a heap that is not trimmed, blocks up to 32 MB taken from it rather than
mapped alone), the topics stage of 100,000 benchmark papers took 0.19-0.24 million page faults instead of
1.04 million, and a whole build of 20,000 papers 3% less CPU time (bench/RESULTS.md). What a stage
frees, the next one reuses.

Nothing changes where the allocator is not glibc's (macOS, musl) or where the user set its settings
in the environment (``MALLOC_*_`` or ``GLIBC_TUNABLES``): theirs are kept.
"""

from __future__ import annotations

import ctypes
import os
import sys

# mallopt(3) parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3

TRIM_THRESHOLD = 2**31 - 1  # the heap's free top is never handed back during a build
TOP_PAD = 64 * 2**20  # the heap grows 64 MB at a time (pages are only in memory once touched)
MMAP_THRESHOLD = 32 * 2**20  # glibc's largest: blocks below it come from the heap, and are reused once freed

ENVIRONMENT = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES")
done: list[bool] = []


def keep_freed_memory() -> bool:
    """Set glibc's allocator to keep freed memory for reuse (once a process); whether it was set."""
    if done:
        return done[0]
    done.append(_set())
    return done[0]


def _set() -> bool:
    if not sys.platform.startswith("linux") or any(name in os.environ for name in ENVIRONMENT):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no C library to load, or one without mallopt (musl)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    settings = ((M_MMAP_THRESHOLD, MMAP_THRESHOLD), (M_TRIM_THRESHOLD, TRIM_THRESHOLD), (M_TOP_PAD, TOP_PAD))
    return all([mallopt(parameter, value) == 1 for parameter, value in settings])
