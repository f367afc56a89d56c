"""The build's allocator settings (generator/heap.py): freed memory kept for reuse, on glibc only."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT


def glibc_mallinfo2() -> bool:
    try:
        libc = ctypes.CDLL(None)
        return sys.platform.startswith("linux") and hasattr(libc, "mallinfo2") and hasattr(libc, "mallopt")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not glibc_mallinfo2(), reason="needs glibc 2.33 or later (mallinfo2)")

# In a fresh process: the settings, then 8 MB allocated: is it a mapping of its own (freed back to the kernel
# when freed, fresh pages the next time) or part of the heap (reused)? mallinfo2's hblkhd counts mapped bytes.
PROBE = textwrap.dedent("""
    import ctypes, sys
    from generator import heap
    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in
                    ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                     "keepcost")]
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    set_ = heap.keep_freed_memory()
    before = libc.mallinfo2().hblkhd
    block = libc.malloc(8 * 2**20)
    mapped = libc.mallinfo2().hblkhd - before
    libc.free(block)
    print(set_, mapped >= 8 * 2**20)
""")


def probe(**environment: str) -> str:
    env = {key: value for key, value in os.environ.items()
           if key not in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES")}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**env, **environment},
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_large_blocks_come_from_the_heap_once_set() -> None:
    assert probe() == "True False"


def test_the_users_own_allocator_settings_are_kept() -> None:
    # Without the settings, glibc maps a block of 8 MB on its own (its threshold starts at 128 KB).
    assert probe(GLIBC_TUNABLES="") == "False True"
    assert probe(MALLOC_TOP_PAD_="131072") == "False True"


def test_the_command_line_sets_it() -> None:
    # Every digest command (the group's callback runs before a subcommand's own --help).
    start = "from generator import cli\ntry:\n    cli.main(['build', '--help'])\nexcept SystemExit:\n    pass"
    code = f"{start}\nfrom generator import heap\nprint(heap.done)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={key: value for key, value in os.environ.items() if key != "GLIBC_TUNABLES"})
    assert result.stdout.strip().splitlines()[-1] == "[True]"
