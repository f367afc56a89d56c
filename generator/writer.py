"""Write the gathered output into ``content/``: atomically per file, never over hand-written files."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import BuildError
from generator.slugs import page_url
from generator.sources import display_path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one build at a time is then up to the maintainer
    fcntl = None  # type: ignore[assignment]

MANIFEST = ".digest-manifest.json"
# There while a build replaces its files (a few milliseconds): one found with no build running tells of a build killed
# then (kill -9, a power cut), which left content/ part old, part new. MkDocs refuses such a content/ (mkdocs_hooks).
INCOMPLETE = ".digest-incomplete"
TEMP_PREFIX = ".tmp-"
# What ``stage`` names a temporary file (the prefix, random characters, the suffix): only such files are a killed
# build's leftovers. A hand-written ``.tmp-draft.md`` is the maintainer's, and a folder is never one.
LEFTOVER = re.compile(r"\.tmp-.+\.part")
# A second build writing the same folder (``make site`` while ``make serve`` rebuilds on a change) waits
# for the first to finish, at most this many seconds.
LOCK_WAIT = 600.0
# Files are written under a temporary name and renamed into place. ``mkstemp`` makes that file private
# (0600); a renamed output would stay so, and a web server or a collaborator reading ``content/`` or a new
# project as another user could not. Output files get the mode a plain ``open()`` gives: 0666 less the umask.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


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
    except (OSError, ValueError, TypeError, RecursionError):  # missing, or damaged (by an edit, a merge, a disk)
        return set()


def hand_written(out: Path, manifest: set[str]) -> list[str]:
    """Files under ``out`` that the generator did not write (never touched by a build)."""
    if not out.is_dir():
        return []
    found = []
    for path in out.rglob("*"):
        relative = path.relative_to(out).as_posix()
        leftover = is_leftover(path)
        if path.is_file() and not leftover and relative not in (MANIFEST, INCOMPLETE) and relative not in manifest:
            found.append(relative)
    return sorted(found)


def write_output(out: Path, files: dict[str, bytes]) -> WriteStats:
    """Replace the generated files under ``out`` with ``files`` (see ``StagedWriter``)."""
    writer = StagedWriter(out)
    try:
        for relative in sorted(files):
            writer.add(relative, files[relative])
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


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


def holds(target: Path, data: bytes) -> bool:
    """True when ``target`` already holds exactly ``data`` (the size is compared before any read)."""
    return target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data


def _write_if_changed(target: Path, data: bytes) -> None:
    """An unchanged file keeps its modification time (an unchanged rebuild touches nothing)."""
    if not holds(target, data):
        write_atomically(target, data)


def write_atomically(target: Path, data: bytes, prefix: str = TEMP_PREFIX, suffix: str = ".part") -> None:
    """``data`` to ``target`` by a rename from a temporary file beside it: a failure leaves the old file whole."""
    temporary = stage(target, data, prefix, suffix)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class StagedWriter:
    """Write ``content/`` as pages are made, yet replace nothing until the whole build has succeeded.

    ``add`` writes a changed file to a temporary name beside its target (an unchanged file is
    left alone), so memory holds one page at a time, not the archive. ``commit`` renames them
    all into place (each file old or new, never truncated, even after a kill) and removes files
    of the previous build that are gone; ``abort`` (any error before) deletes the temporary files.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a file in the way, a place that cannot be written
            raise BuildError(f"{out}: cannot make the output folder ({error.strerror or error}): choose another one"
                             " (the default is content/)") from None
        self.lock = lock_folder(out)  # one build at a time: the files below are then a killed build's
        unlink_leftovers(out)
        self.previous = read_manifest(out)
        self.hand_written = set(hand_written(out, self.previous))
        # MkDocs gives about.md and about/index.md one address, and builds only one of them, without a word. Both
        # by case-folded path and address: on macOS and Windows Subscribe.md is subscribe.md, and the build's page
        # replaced the hand-written one there (elsewhere the site had two pages that a copy made there mixes up).
        self.hand_written_folded = {path.casefold(): path for path in self.hand_written}
        self.hand_written_folders: dict[str, str] = {}  # and their folders: Issues/ is issues/ there too
        for path in self.hand_written:
            parts = path.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                folder = "/".join(parts[:depth])
                self.hand_written_folders.setdefault(folder.casefold(), folder)
        self.hand_written_pages = {page_url(path).casefold(): path
                                   for path in self.hand_written if path.endswith(".md")}
        self.paths: dict[str, str] = {}  # casefolded path -> path, to refuse two outputs for one file
        self.staged: dict[str, Path] = {}  # path -> its temporary file
        self.unchanged = 0
        self.created: list[Path] = []  # folders made for staged files

    def add(self, relative: str, data: bytes) -> None:
        self._claim(relative)
        target = self.out / relative
        if holds(target, data):
            self.unchanged += 1
            return
        self._make_folder(target.parent)
        self.staged[relative] = stage_page(target, data)

    def _make_folder(self, folder: Path) -> None:
        """Create ``folder`` (and parents), remembering new ones so an abort leaves no empty folder."""
        missing = []
        while not folder.is_dir():
            missing.append(folder)
            folder = folder.parent
        for new in reversed(missing):
            try:
                new.mkdir(exist_ok=True)
            except OSError as error:
                raise cannot_write(new, error) from None
            self.created.append(new)

    def add_staged(self, relative: str, temporary: Path | None) -> None:
        """A file another process staged with ``stage`` (None: it found the file unchanged)."""
        self._claim(relative)
        if temporary is None:
            self.unchanged += 1
        else:
            self.staged[relative] = temporary

    def _claim(self, relative: str) -> None:
        check_path(relative)
        other = self.paths.get(relative.casefold())
        if other is not None:
            raise BuildError(f"two outputs would be written to one file: {other!r} and {relative!r}; nothing written")
        if relative in self.hand_written:
            # A manifest damaged by hand or by a merge lists a generated file no more: say where to look either way.
            lost = (f" (not among the files {MANIFEST} lists as the builds' own: if you wrote it, move it; if it"
                    " is an earlier build's, delete it and build again)") if self.previous else (
                f" ({MANIFEST}, where a build lists the files it wrote, is missing or unreadable: if {relative} and"
                " its like are an earlier build's pages, committed to git or left without that list, delete them"
                " and build again)")
            raise BuildError(f"refusing to overwrite a hand-written file in {self.out}: {relative}{lost}")
        page = self.hand_written_pages.get(page_url(relative).casefold()) if relative.endswith(".md") else None
        if page is not None and page_url(page) == page_url(relative):
            raise BuildError(f"the hand-written page {self.out / page} has the address of the page {relative}, which"
                             f" the build writes ({page_url(relative) or 'the home page'}): MkDocs would publish only"
                             f" one of them; rename {page}")
        if self.hand_written_folders:
            self._check_folders(relative)
        mine = self.hand_written_folded.get(relative.casefold()) or page
        if mine is not None:
            raise BuildError(f"the hand-written {self.out / mine} and {relative}, which the build writes, differ"
                             " only in case: macOS and Windows take them for one file (the build's would replace yours"
                             f" there); rename {mine}")
        self.paths[relative.casefold()] = relative

    def _check_folders(self, relative: str) -> None:
        parts = relative.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            mine = self.hand_written_folders.get(folder.casefold())
            if mine is not None and mine != folder:
                raise BuildError(f"the hand-written folder {self.out / mine} and {folder}/, which the build writes"
                                 " into, differ only in case: macOS and Windows take them for one folder (a site"
                                 f" built there has the build's pages under {mine}/, where no link leads); rename"
                                 f" {mine}")

    def commit(self, release: bool = True) -> WriteStats:
        """Rename every staged file into place and remove the previous build's files that are gone; the folder's
        lock is let go unless ``release`` is false (the caller still writes what belongs with these files, as the
        build its cache: then ``release()`` after)."""
        files = set(self.paths.values())
        marked = bool(self.staged or self.previous - files)  # an unchanged rebuild touches nothing
        with signals_held():  # Ctrl-C here would leave content/ part old, part new: it waits for the end
            try:
                if marked:
                    (self.out / INCOMPLETE).write_bytes(b"")
                _write_if_changed(self.out / MANIFEST, _manifest_bytes(self.previous | files))
            except OSError as error:
                raise cannot_write(self.out / MANIFEST, error) from None
            for done, relative in enumerate(sorted(self.staged)):
                try:
                    os.replace(self.staged[relative], self.out / relative)
                except OSError as error:
                    raise BuildError(f"{display_path(self.out / relative)}: cannot replace ({error.strerror or error});"
                                     f" {done} of {len(self.staged)} changed files were replaced, the others keep"
                                     " their previous version: make it writable and build again") from None
            written = len(self.staged)
            self.staged = {}
            removed = _remove_stale(self.out, self.previous - files)
            _write_if_changed(self.out / MANIFEST, _manifest_bytes(files))
            (self.out / INCOMPLETE).unlink(missing_ok=True)
        if release:
            self.release()
        return WriteStats(written=written, unchanged=self.unchanged, removed=removed)

    def release(self) -> None:
        """Let the next build write the folder (the lock also ends with the process)."""
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None

    def written_paths(self) -> list[str]:
        """Every file of this build (written or found unchanged)."""
        return sorted(self.paths.values())

    def abort(self) -> None:
        for temporary in self.staged.values():
            temporary.unlink(missing_ok=True)
        self.staged = {}
        if self.lock is not None:  # a helper process's staged files, not yet handed over (its process is gone)
            for leftover in self.out.rglob(f"{TEMP_PREFIX}*"):
                if is_leftover(leftover):
                    leftover.unlink(missing_ok=True)
        for folder in reversed(self.created):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        self.release()


# Signals that stop a build with an exception (Ctrl-C; SIGTERM from ``digest build``) rather than at once.
HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends (then they act as they would have): its renames all happen.

    Python-level handlers stand in meanwhile (blocking the signals would hold them in this thread only, and
    another thread may take them); they can be set in the main thread only, elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.getsignal(number) for number in HELD_SIGNALS}
    for number, handler in previous.items():
        if handler is not signal.SIG_IGN:
            signal.signal(number, lambda received, _frame: caught.append(received))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        if caught:
            received = signal.Signals(caught[0])
            held = previous[received]
            if callable(held):
                held(received, None)
            else:  # the default action: end the process, now that the files are in place
                signal.raise_signal(received)


def lock_folder(folder: Path, wait: float | None = None) -> int | None:
    """An exclusive lock on ``folder`` (a descriptor of it, or None where there are no locks).

    Two builds writing one ``content/`` at once would each take the other's staged files for a killed
    build's and delete them, and the second to commit would stop halfway with ``content/`` part old,
    part new. The second build waits for the first (saying so), at most ``LOCK_WAIT`` seconds.
    """
    if fcntl is None:
        return None
    descriptor = os.open(folder, os.O_RDONLY)
    limit = LOCK_WAIT if wait is None else wait
    deadline = time.monotonic() + limit
    said = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return descriptor
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(descriptor)
                raise BuildError(f"another build has been writing {folder} for over {limit:.0f} s (make serve "
                                 "rebuilds it on every change); stop it and build again") from None
            if not said:
                print(f"Waiting for another build to finish writing {folder} ...", file=sys.stderr, flush=True)
                said = True
            time.sleep(0.2)
        except OSError:  # a file system without locks
            os.close(descriptor)
            return None


def unlink_leftovers(out: Path) -> None:
    """Delete the temporary files of builds that were killed (the caller holds the folder's lock)."""
    for leftover in out.rglob(f"{TEMP_PREFIX}*"):
        if is_leftover(leftover):
            leftover.unlink(missing_ok=True)


def remove_leftovers(out: Path) -> None:
    """The temporary files of a killed build, deleted by a build that writes nothing (its cache applied), unless
    another build is writing ``out`` now (they are that build's): else they stayed until a build wrote again."""
    if not out.is_dir() or next((p for p in out.rglob(f"{TEMP_PREFIX}*") if is_leftover(p)), None) is None:
        return
    try:
        lock = lock_folder(out, wait=0)
    except BuildError:  # another build holds it
        return
    try:
        unlink_leftovers(out)
    finally:
        if lock is not None:
            os.close(lock)


def interrupted(out: Path) -> bool:
    """Whether a build was killed while it replaced the files of ``out`` (it is part old, part new)."""
    return (out / INCOMPLETE).is_file()


def interrupted_message(out: Path) -> str:
    return (f"{out.name}/ is part old, part new: a digest build was stopped (killed) while it replaced its files; run"
            " digest build, then build the site again")


def unbuilt_message(out: Path) -> str:
    """What a site build says of a docs_dir no digest build has written (a new site, a fresh clone)."""
    return (f"{out.name}/ holds no pages of digest build yet (no {out.name}/{MANIFEST}): run digest build first, then"
            " build the site (mkdocs serve and make site run it for you)")


def is_leftover(path: Path) -> bool:
    """Whether ``path`` is a temporary file ``stage`` made (left by a build that was killed)."""
    return LEFTOVER.fullmatch(path.name) is not None and path.is_file() and not path.is_symlink()


def stage(target: Path, data: bytes, prefix: str = TEMP_PREFIX, suffix: str = ".part") -> Path:
    """``data`` in a temporary file beside ``target`` (renamed into place by a commit), mode ``FILE_MODE``."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, FILE_MODE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def stage_page(target: Path, data: bytes) -> Path:
    """``stage`` for a build: a folder that cannot be written (read-only, a full disk) is a ``BuildError``."""
    try:
        return stage(target, data)
    except OSError as error:
        raise cannot_write(target, error) from None


def cannot_write(target: Path, error: OSError) -> BuildError:
    """What a user reads when ``target`` cannot be written: the old file, if any, is still there."""
    return BuildError(f"{display_path(target)}: cannot write ({error.strerror or error}); nothing was replaced")


def stage_if_changed(out: Path, relative: str, data: bytes) -> Path | None:
    """For a helper process: stage ``data`` for ``out/relative`` unless the file already holds it."""
    check_path(relative)
    target = out / relative
    if holds(target, data):
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(target.parent, error) from None
    return stage_page(target, data)
