"""GitHub Pages' limits, checked on a finished site before it is published.

GitHub Pages refuses a published site over 1 GB, and a repository refuses a file over 100 MB.
A digest grows every day, so the day it crosses the limit it would stop deploying with nothing in
our build saying why. ``digest check-site`` (run by ``make site`` and the deploy workflows after
MkDocs) measures the site, warns when it is within 10% of the limit, and fails when it is over, or
when one file is: naming the biggest folders and the settings that make them smaller.

Sizes are the files' apparent sizes in bytes (1 GB = 10**9 bytes, 1 MB = 10**6), summed over every
file the upload would carry; symbolic links are followed as the Pages upload action's ``tar
--dereference`` does, and hidden files and folders (``.well-known``, ``.nojekyll``) are left out as
it leaves them out (``--exclude=.[^/]*``: ``include-hidden-files`` is off by default).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator import counts

SITE_LIMIT = 1_000_000_000
"""GitHub Pages: "Published GitHub Pages sites may be no larger than 1 GB"."""
FILE_LIMIT = 100_000_000
"""GitHub: files over 100 MB are refused."""
WARN_SHARE = 0.9
"""Warn from 90% of the site limit on: about a month's notice for a 150-paper daily digest."""

FEEDS = "feeds (*.atom.xml, *.rss.xml, feeds.opml)"
TOP_LEVEL = "other top-level files"

# What makes each part of the site smaller, as settings of digest.yml (README, "Scale").
ADVICE: dict[str, str] = {
    "papers": "paper pages keep their published permalinks: none may go; max_abstract_chars caps the longest abstracts",
    "authors": "authors.min_papers: a higher minimum gives fewer author pages",
    "topics": (
        "topic_page_size: more papers per page repeats the page frame less often; max_topics: fewer topics per paper"
    ),
    FEEDS: "feeds.limit: fewer entries in each feed",
}


@dataclass
class SiteSize:
    """A measured site: its total, its parts, and its biggest files."""

    total: int = 0
    files: int = 0
    parts: dict[str, int] = field(default_factory=dict)
    """Bytes by top-level folder (``papers``, ``topics``...), feeds, and the other top-level files."""
    largest: list[tuple[int, str]] = field(default_factory=list)
    """The biggest files, biggest first: (bytes, path relative to the site)."""
    oversized: list[tuple[int, str]] = field(default_factory=list)
    """Every file over the one-file limit, biggest first."""
    loops: list[str] = field(default_factory=list)
    """Links to a folder that holds them (paths relative to the site): the upload, which follows links, fails there."""
    dangling: list[tuple[str, str]] = field(default_factory=list)
    """Links to nothing (path relative to the site, the link's text): the upload's tar fails there ("File removed
    before we read it"), and the deploy with it."""
    hidden: list[str] = field(default_factory=list)
    """Hidden files and folders (a name starting with "."), not counted: the upload leaves them out."""
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    """Folders that cannot be listed (path relative to the site, the reason): the upload's tar fails there."""

    def biggest_parts(self, count: int = 5) -> list[tuple[str, int]]:
        return sorted(self.parts.items(), key=lambda item: (-item[1], item[0]))[:count]


def _part(relative: str) -> str:
    head, _, rest = relative.partition("/")
    if rest:
        return head
    if relative.endswith(("atom.xml", "rss.xml", ".opml")):  # the site's feeds, each topic's, the OPML
        return FEEDS
    return TOP_LEVEL


def measure(site: Path, file_limit: int = FILE_LIMIT, keep_largest: int = 5) -> SiteSize:
    """Every file's size under ``site``, summed by part; the biggest files and those over ``file_limit`` kept."""
    size = SiteSize()
    largest: list[tuple[int, str]] = []
    # The folders a folder is inside (as device and inode: links followed), so that a link back to one of them is
    # a loop, reported, and not walked for ever (two such links made the walk grow exponentially).
    top = os.fspath(site)
    inside: dict[str, frozenset[tuple[int, int] | None]] = {top: frozenset({_identity(top)})}
    def unreadable(error: OSError) -> None:  # os.walk passes over a folder it cannot list, without a word
        where = os.path.relpath(error.filename or top, site).replace(os.sep, "/")
        size.unreadable.append((where + "/" if where != "." else "./", error.strerror or type(error).__name__))

    for folder, folders, names in os.walk(top, onerror=unreadable, followlinks=True):
        chain = inside.pop(folder, frozenset())  # each folder is stat'ed once, as a child of its parent
        for name in [name for name in folders if name.startswith(".")]:
            size.hidden.append(os.path.relpath(os.path.join(folder, name), site).replace(os.sep, "/") + "/")
            folders.remove(name)
        for name in list(folders):
            child = os.path.join(folder, name)
            identity = _identity(child)
            if identity is not None and identity in chain:
                size.loops.append(os.path.relpath(child, site).replace(os.sep, "/"))
                folders.remove(name)
            else:
                inside[child] = chain | {identity}
        folders.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.startswith("."):
                size.hidden.append(os.path.relpath(path, site).replace(os.sep, "/"))
                continue
            relative = os.path.relpath(path, site).replace(os.sep, "/")
            try:
                length = os.stat(path).st_size
            except OSError:  # a link to nothing
                size.dangling.append((relative, os.readlink(path) if os.path.islink(path) else "?"))
                continue
            size.total += length
            size.files += 1
            part = _part(relative)
            size.parts[part] = size.parts.get(part, 0) + length
            largest.append((length, relative))
            if length > file_limit:
                size.oversized.append((length, relative))
            if len(largest) > 4 * keep_largest:
                largest = sorted(largest, key=lambda item: (-item[0], item[1]))[:keep_largest]
    size.largest = sorted(largest, key=lambda item: (-item[0], item[1]))[:keep_largest]
    size.oversized.sort(key=lambda item: (-item[0], item[1]))
    size.loops.sort()
    size.hidden.sort()
    size.dangling.sort()
    size.unreadable.sort()
    return size


def _identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def human(count: int) -> str:
    """Bytes in decimal units, as GitHub states its limits: 1 GB = 10**9 bytes."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if round(count / scale, 2) >= 1:  # 999,999,999 bytes: 1.00 GB, not 1000.00 MB
            return f"{count / scale:.2f} {unit}"
    return f"{count} bytes"


def beside(count: int, limit: int) -> str:
    """``count`` in decimal units, or in bytes where those would read as ``limit`` itself ("100.00 MB: over the
    100.00 MB limit")."""
    shown = human(count)
    return f"{count:,} bytes" if shown == human(limit) and count != limit else shown


@dataclass(frozen=True)
class Verdict:
    ok: bool
    """False: the site must not be published (over a limit)."""
    warnings: tuple[str, ...]
    errors: tuple[str, ...]
    summary: str


def check(size: SiteSize, site_limit: int = SITE_LIMIT, file_limit: int = FILE_LIMIT) -> Verdict:
    """Compare a site (measured with ``file_limit``) with the limits: errors over them, a warning near the site's."""
    share = size.total / site_limit if site_limit else 0.0
    summary = (f"Site size: {human(size.total)} in {counts.count(size.files, 'file')} ({_percent(share)} of the"
               f" {human(site_limit)} limit).")
    errors: list[str] = []
    warnings: list[str] = []
    limit = f"GitHub Pages' {human(site_limit)} limit" if site_limit == SITE_LIMIT else f"the {human(site_limit)} limit"
    for length, path in size.oversized:
        errors.append(f"{path} is {beside(length, file_limit)}: over the {human(file_limit)} limit for one file.")
    for path in size.loops:
        errors.append(f"{path} is a link to a folder it is in: the upload, which follows links, would never end;"
                      " remove the link.")
    for path, reason in size.unreadable:
        errors.append(f"{path} cannot be read ({reason}), so it was not measured, and the upload would fail there;"
                      " make it readable (chmod -R a+rX) or remove it.")
    for path, target in size.dangling:
        errors.append(f"{path} is a link to {target}, which does not exist: the upload would fail there; remove"
                      " the link or restore its target.")
    if size.hidden:
        shown = ", ".join(size.hidden[:5]) + (f" and {len(size.hidden) - 5} more" if len(size.hidden) > 5 else "")
        warnings.append(f"{shown}: hidden (a name starting with \".\"), so not counted: GitHub Pages' upload"
                        " (actions/upload-pages-artifact) leaves hidden files and folders out of the site.")
    if size.total > site_limit:
        errors.append(
            f"the site is {beside(size.total, site_limit)}, over {limit}: the host would refuse it."
            + _where(size)
        )
    elif size.total >= WARN_SHARE * site_limit:
        warnings.append(
            f"the site is {beside(size.total, site_limit)}, {_percent(share)} of {limit}:"
            " it will soon stop deploying." + _where(size)
        )
    return Verdict(ok=not errors, warnings=tuple(warnings), errors=tuple(errors), summary=summary)


def _percent(share: float) -> str:
    """A share as a whole percentage, rounded down: 899.99 MB is 89% of 1 GB, as the warning from 90% on agrees."""
    return f"{math.floor(share * 100 + 1e-9)}%"


def _where(size: SiteSize) -> str:
    lines = ["", "The biggest parts, and what makes them smaller (digest.yml; README, \"Scale\"):"]
    for part, length in size.biggest_parts():
        share = length / size.total if size.total else 0.0
        name = part if part in (FEEDS, TOP_LEVEL) else f"{part}/"
        advice = ADVICE.get(part)
        lines.append(f"  {name}: {human(length)} ({share:.0%})" + (f" - {advice}" if advice else ""))
    return "\n".join(lines)
