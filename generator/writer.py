"""Write the gathered output into ``content/``: atomically per file, never over hand-written files."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import BuildError

MANIFEST = ".digest-manifest.json"
TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def check_path(relative: str) -> PurePosixPath:
    """Refuse anything that is not a plain relative path inside the output folder."""
    path = PurePosixPath(relative)
    if path.is_absolute() or any(part in ("", ".", "..") for part in relative.split("/")):
        raise BuildError(f"refusing to write outside the output folder: {relative!r}")
    if "\\" in relative or "\x00" in relative:
        raise BuildError(f"refusing to write an unsafe file name: {relative!r}")
    return path


def read_manifest(out: Path) -> set[str]:
    try:
        return set(json.loads((out / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


def hand_written(out: Path, manifest: set[str]) -> list[str]:
    """Files under ``out`` that the generator did not write (never touched by a build)."""
    if not out.is_dir():
        return []
    found = []
    for path in out.rglob("*"):
        relative = path.relative_to(out).as_posix()
        leftover = path.name.startswith(TEMP_PREFIX)
        if path.is_file() and not leftover and relative != MANIFEST and relative not in manifest:
            found.append(relative)
    return sorted(found)


def write_output(out: Path, files: dict[str, bytes]) -> WriteStats:
    """Replace the generated files under ``out`` with ``files``.

    Every file is written to a temporary name and renamed into place, so a crash leaves
    each file either old or new, never truncated. The manifest is widened to old plus new
    before any write, so a build killed midway still knows which files are its own.
    """
    for relative in files:
        check_path(relative)
    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.rglob(f"{TEMP_PREFIX}*"):
        leftover.unlink()  # from a build that was killed while writing
    previous = read_manifest(out)
    ours = hand_written(out, previous)
    clashes = sorted(set(ours) & set(files))
    if clashes:
        raise BuildError(f"refusing to overwrite hand-written file(s) in {out}: {', '.join(clashes)}")
    _write_if_changed(out / MANIFEST, _manifest_bytes(previous | set(files)))
    written = unchanged = 0
    for relative in sorted(files):
        target = out / relative
        data = files[relative]
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, data)
        written += 1
    removed = _remove_stale(out, previous - set(files))
    _write_if_changed(out / MANIFEST, _manifest_bytes(set(files)))
    return WriteStats(written=written, unchanged=unchanged, removed=removed)


def _remove_stale(out: Path, stale: set[str]) -> int:
    removed = 0
    for relative in sorted(stale, reverse=True):
        try:
            target = out / check_path(relative)
        except BuildError:
            continue
        if target.is_file():
            target.unlink()
            removed += 1
        parent = target.parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed


def _manifest_bytes(paths: set[str]) -> bytes:
    return (json.dumps(sorted(paths), indent=0) + "\n").encode("utf-8")


def _write_if_changed(target: Path, data: bytes) -> None:
    """An unchanged file keeps its modification time (an unchanged rebuild touches nothing)."""
    if not (target.is_file() and target.read_bytes() == data):
        _atomic_write(target, data)


def _atomic_write(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
