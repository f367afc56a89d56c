"""The build cache: a rebuild whose inputs, templates, settings and code are unchanged does no work.

The key is a hash of everything a build reads (paper lists, taxonomy, curation file, settings,
MkDocs config, templates, the generator's own code, the hand-written pages the nav lists). The cache
(one JSON file per output folder in ``$DIGEST_CACHE_DIR``, else
``$XDG_CACHE_HOME/paper-digest``, else ``~/.cache/paper-digest``: never in the project, whose
``content/`` must stay reproducible) also records the size and modification time of every file the build
wrote: if any was edited or deleted since, the cache does not apply and the build runs in full. The caches of the
``KEPT_CACHES`` output folders used most recently are kept (``prune``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.errors import Problem

FORMAT = 1
CACHE_VARIABLE = "DIGEST_CACHE_DIR"
TEMP_PREFIX = ".tmp-"
CODE_DIR = Path(__file__).resolve().parent


def build_key(inputs: Iterable[Path], trees: Iterable[Path], settings: object) -> str:
    """A hash of the input files' names and bytes, every file under ``trees`` and ``settings``' repr."""
    digest = hashlib.sha256(f"paper-digest cache {FORMAT}\n{settings!r}\n".encode())
    files = [*inputs, *(p for tree in trees for p in sorted(tree.rglob("*")) if p.is_file() and _is_source(p))]
    for path in files:
        digest.update(f"\n{path}\n".encode("utf-8", "surrogateescape"))
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def code_trees() -> list[Path]:
    """The generator's code: a change of code invalidates the cache."""
    return [CODE_DIR]


def _is_source(path: Path) -> bool:
    return "__pycache__" not in path.parts and not path.name.endswith(".pyc")


def cache_file(out: Path) -> Path:
    """The user's cache folder, not the project: the cache records times, the output must be reproducible."""
    # The XDG spec ignores a relative XDG_CACHE_HOME: taken as given, it put the cache in the project.
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    root = os.environ.get(CACHE_VARIABLE) or os.path.join(
        xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache"), "paper-digest"
    )
    name = hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return Path(root) / f"{name}.json"


def load(out: Path, key: str) -> dict[str, Any] | None:
    """The cached summary when ``key`` matches and every file written last time is still as written."""
    try:
        cache = json.loads(cache_file(out).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # none yet, or damaged: a full build
        return None
    if not isinstance(cache, dict) or cache.get("key") != key or not isinstance(cache.get("files"), dict):
        return None
    for relative, recorded in cache["files"].items():
        try:
            stat = os.stat(out / relative)
        except (OSError, ValueError):  # ValueError: a name with a NUL, in a damaged cache
            return None
        if [stat.st_size, stat.st_mtime_ns] != recorded:
            return None
    summary = cache.get("summary")
    if not isinstance(summary, dict):
        return None
    with contextlib.suppress(OSError):
        os.utime(cache_file(out))  # used: among the caches ``prune`` keeps, however long ago it was saved
    return summary


def save(out: Path, key: str, written: Iterable[str], summary: dict[str, Any]) -> Problem | None:
    """Record ``key``, the state of every written file and the build's summary (atomically).

    A cache folder that cannot be written (a container run as another user, without a home of its own) only
    costs speed: a note saying so, never a failed build.
    """
    files = {}
    for relative in sorted(written):
        stat = os.stat(out / relative)
        files[relative] = [stat.st_size, stat.st_mtime_ns]
    # ASCII, with \u escapes: a problem naming a file whose name is not UTF-8 holds surrogates, no UTF-8 can hold.
    data = json.dumps({"key": key, "summary": summary, "files": files}, sort_keys=True)
    target = cache_file(out)
    # A name of its own: two builds of one site saving at once must not write one temporary file.
    temporary = target.with_name(f"{TEMP_PREFIX}{target.stem}-{os.getpid()}-{secrets.token_hex(4)}.json")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "x", encoding="utf-8") as handle:
            handle.write(data)
        os.replace(temporary, target)
        prune(target.parent, target.name)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)  # a full disk must not keep the half-written file
        return Problem(str(target.parent), message=(
            f"note: the build cache cannot be written here ({error.strerror}): every build is a full one; set"
            f" {CACHE_VARIABLE} to a folder you can write"))
    return None


# The caches of this many output folders are kept, the most recently used: there is one for every folder ever built
# (each site, each `--out`, every test run's temporary folder), and they piled up by thousands.
KEPT_CACHES = 50
CACHE_NAME = re.compile(r"[0-9a-f]{24}\.json")
TEMP_NAME = re.compile(rf"{re.escape(TEMP_PREFIX)}[0-9a-f]{{24}}(-[0-9]+-[0-9a-f]+)?\.json")
# A temporary file this old is a killed build's: a save takes well under a second. A file dated further ahead than
# this is of a clock set wrong (or one restored from elsewhere): its age is unknown, so it counts as the oldest.
STALE_SECONDS = 3600


def prune(folder: Path, keep: str) -> None:
    """Remove all but the ``KEPT_CACHES`` most recently used caches in ``folder`` (``keep``, the one just saved,
    among them), and killed saves' temporary files.

    Only files named as this module names them go: ``DIGEST_CACHE_DIR`` may name a folder that holds other things.
    """
    caches: list[tuple[int, str]] = []
    stale: list[str] = []
    # "Now" is the time the file system gave the cache just saved: no clock is read (nothing the build writes may
    # depend on one), and a file system whose clock differs from this machine's (a network share) agrees with itself.
    try:
        now = (folder / keep).stat().st_mtime_ns
    except OSError:
        return
    slack = STALE_SECONDS * 1_000_000_000
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if not entry.is_file(follow_symlinks=False) or entry.name == keep:
                    continue
                modified = entry.stat(follow_symlinks=False).st_mtime_ns
                if CACHE_NAME.fullmatch(entry.name):
                    caches.append((modified if modified <= now + slack else 0, entry.name))
                elif TEMP_NAME.fullmatch(entry.name) and abs(now - modified) > slack:
                    stale.append(entry.name)
    stale += [name for _, name in sorted(caches, reverse=True)[KEPT_CACHES - 1:]]
    for name in stale:
        with contextlib.suppress(OSError):
            (folder / name).unlink()


def forget(out: Path) -> None:
    """Drop the cache (before writing: a build killed midway must not leave a cache that claims success).

    A cache that cannot be removed cannot be written either: it records the files as the build before this one
    left them, so it stops applying once this build rewrites any of them.
    """
    with contextlib.suppress(OSError):
        cache_file(out).unlink(missing_ok=True)


def problems_to_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(problem) for problem in problems]


def problems_from_json(items: Iterable[dict[str, Any]]) -> list[Problem]:
    return [Problem(**item) for item in items]
