"""Readers of paper lists: one per format, chosen by extension; each file is one issue's list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from generator.errors import Problem
from generator.model import Paper, is_safe_id
from generator.sources.common import Limits, ReadResult, date_from_name, describe, enforce_limits, problem_at
from generator.sources.listing import read_listing
from generator.sources.structured import read_json, read_yaml

DEFAULT_LIMITS = Limits()
Reader = Callable[[bytes, str], ReadResult]

READERS: dict[str, Reader] = {
    ".txt": read_listing,
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".json": read_json,
}


def find_paper_lists(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders into the paper-list files below them, sorted so order never matters."""
    files: set[Path] = set()
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            for child in path.rglob("*"):
                hidden = any(part.startswith((".", "_")) for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in READERS:
                    files.add(child)
        elif path.is_file():
            files.add(path)
        else:
            problems.append(Problem(display_path(path), message="no such file or folder"))
    return sorted(files, key=lambda p: display_path(p)), problems


def read_paper_list(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Read one file and stamp its papers with the issue date (from the name or the file)."""
    display = display_path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        return ReadResult(problems=[Problem(display, message=f"unknown paper-list format (known: {known})")])
    try:
        data = path.read_bytes()
    except OSError as error:
        return ReadResult(problems=[Problem(display, message=f"cannot read: {error.strerror}")])
    result = reader(data, display)
    result.papers = [paper for paper in result.papers if _has_safe_id(paper, display, result.problems)]
    enforce_limits(result.papers, display, limits, result.problems)
    named = date_from_name(path)
    if result.issue_date and named and result.issue_date != named:
        result.problems.append(
            Problem(display, message=f"date {result.issue_date} in the file differs from the name; the file wins")
        )
    issue_date = result.issue_date or named
    if issue_date is None:
        result.problems.append(
            Problem(display, message="no issue date: start the file name with YYYY-MM-DD or give a top-level 'date'")
        )
        result.papers = []
        return result
    result.issue_date = issue_date
    for paper in result.papers:
        paper.added = issue_date
    return result


def _has_safe_id(paper: Paper, display: str, problems: list[Problem]) -> bool:
    # Ids name files (papers/<id>.md): whatever a reader took from its input, check it here.
    if is_safe_id(paper.id):
        return True
    problems.append(problem_at(paper, display, f"paper id {describe(paper.id)} is not usable as a file name; skipped"))
    return False


def read_all(paths: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> tuple[list[ReadResult], list[Problem]]:
    """Read every paper list under ``paths``; problems of all files are gathered, none is fatal."""
    files, problems = find_paper_lists(paths)
    results = [read_paper_list(path, limits) for path in files]
    for result in results:
        problems.extend(result.problems)
    return results, problems


def display_path(path: Path) -> str:
    """A path as users wrote it: relative to the working folder when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
