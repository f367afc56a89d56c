"""``mkdocs build`` into a new folder beside ``site_dir``, put in its place only once the whole build has succeeded.

MkDocs empties ``site_dir`` first and writes the site there page by page: a build that failed half-way (an error
in a theme template on one page, a plugin that raised, a full disk, Ctrl-C) left a site part new, part gone.
The plugin (generator/mkdocs_plugin.py) has MkDocs build into ``.site.tmp-XXXXXXXX`` beside ``site/`` instead,
then swaps it in by renames, as ``make site`` does: ``site/`` is the last good site or the new one, never a
mix. A failed or interrupted build deletes its folder; one killed outright (kill -9) leaves it, and the next
build deletes it. A ``site/`` that is a link stays one: the new site takes the place of the folder it leads to.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.writer import FILE_MODE

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

NEW = ".tmp-"  # .site.tmp-XXXXXXXX: a build's new site
OLD = ".old-"  # .site.old-XXXXXXXX: the site it replaces, for the moment between the two renames
FOLDER_MODE = FILE_MODE | 0o111  # as a plain mkdir gives (mkdtemp's folder is private)


def hidden_name(site: Path, mark: str) -> str:
    """``.site.tmp-`` for ``site`` (``make site``'s ``.site.tmp`` gives ``.site.tmp.tmp-``)."""
    return f".{site.name.lstrip('.')}{mark}"


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[bool]:
    """Lock ``folder`` while the block runs: True when it was locked (or there are no locks), False when another
    process holds it (the lock is never waited for)."""
    if fcntl is None:
        yield True
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        yield False
        return
    try:
        yield True
    finally:
        os.close(descriptor)  # releases the lock


class SiteSwap:
    """The new site's folder beside ``site_dir``: ``folder`` to build into, then ``finish()`` or ``discard()``."""

    def __init__(self, site_dir: str) -> None:
        self.site = Path(os.path.realpath(site_dir))  # a link's target: the link stays, the folder it leads to changes
        self.site.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.site)
        self.folder = Path(tempfile.mkdtemp(prefix=hidden_name(self.site, NEW), dir=self.site.parent))
        self.folder.chmod(FOLDER_MODE)
        self.lock: int | None = None
        if fcntl is not None:  # held while this build runs: another build's remove_leftovers leaves the folder alone
            self.lock = os.open(self.folder, os.O_RDONLY)
            with contextlib.suppress(OSError):
                fcntl.flock(self.lock, fcntl.LOCK_SH)

    def finish(self) -> None:
        """Put the new site in place of the old one, then delete the old one."""
        with swapping(self.site):
            old = None
            if self.site.exists() or self.site.is_symlink():
                old = self.site.parent / f"{hidden_name(self.site, OLD)}{secrets.token_hex(4)}"
                os.rename(self.site, old)
            os.rename(self.folder, self.site)
        self.release()
        if old is not None:
            remove(old)

    def discard(self) -> None:
        """Delete the new site's folder (the build failed): the last good site stays as it was."""
        self.release()
        remove(self.folder)

    def where(self, error: OSError) -> str:
        """The file ``error`` names (a copy's target first), as a path of the new site when it is one."""
        name = error.filename2 or error.filename
        if name is None:
            return str(self.site)
        path = Path(os.fsdecode(name))
        return path.relative_to(self.folder).as_posix() if path.is_relative_to(self.folder) else str(path)

    def release(self) -> None:
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None


@contextlib.contextmanager
def swapping(site: Path) -> Iterator[None]:
    """One swap at a time beside ``site`` (two builds finishing at once): an exclusive lock on its parent folder,
    waited for."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(site.parent, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # a file system without locks
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def remove_leftovers(site: Path) -> None:
    """Delete the folders of builds killed before they finished (none running holds them). A build killed between
    its two renames left no ``site/`` but the old site beside it: that is put back first."""
    with swapping(site):
        # The newest first built (its folder's time) is put back, should two builds have been killed so.
        olds = sorted(site.parent.glob(f"{glob_escape(hidden_name(site, OLD))}*"),
                      key=lambda old: (old.lstat().st_mtime_ns, old.name))
        if olds and not (site.exists() or site.is_symlink()):
            os.rename(olds.pop(), site)
        for old in olds:
            remove(old)
        for new in sorted(site.parent.glob(f"{glob_escape(hidden_name(site, NEW))}*")):
            with locked(new) as free:
                if free:
                    remove(new)


def glob_escape(name: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in name)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
