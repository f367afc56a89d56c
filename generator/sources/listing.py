"""The Hugging Face Papers listing pasted as text: banner lines, then title/abstract pairs."""

from __future__ import annotations

from generator.errors import Problem
from generator.model import Paper, paper_id
from generator.sources.common import UNSET_DATE, ReadResult, clean_text, decode_lines

BANNER_PREFIX = "get trending papers in your email inbox"
SUBSCRIBE = "Subscribe"


def read_listing(data: bytes, display: str) -> ReadResult:
    """Read a pasted listing; every bad pair is reported and the good ones are kept."""
    result = ReadResult()
    lines = decode_lines(data, display, result.problems)
    while lines and not lines[-1].strip():
        lines.pop()
    start = _skip_banner(lines)
    if start < len(lines) and lines[start].startswith(SUBSCRIBE):
        lines[start] = lines[start][len(SUBSCRIBE) :]
    for index in range(start, len(lines), 2):
        if index + 1 == len(lines):
            result.problems.append(Problem(display, line=index + 1, message="title without an abstract"))
            break
        paper = _read_pair(lines[index], lines[index + 1], index + 1, display, result.problems)
        if paper is not None:
            result.papers.append(paper)
    return result


def _skip_banner(lines: list[str]) -> int:
    index = 0
    while index < len(lines):
        text = lines[index].strip()
        if text and not text.casefold().startswith(BANNER_PREFIX) and text != SUBSCRIBE:
            break
        index += 1
    return index


def _read_pair(
    title_line: str, abstract_line: str, number: int, display: str, problems: list[Problem]
) -> Paper | None:
    title, title_changed = clean_text(title_line.strip())
    abstract, abstract_changed = clean_text(abstract_line.strip())
    if not title:
        problems.append(Problem(display, line=number, message="empty title; this pair is skipped"))
        return None
    if title_changed:
        problems.append(Problem(display, line=number, message="control characters removed from the title"))
    if abstract_changed:
        problems.append(Problem(display, line=number + 1, message="control characters removed from the abstract"))
    if not abstract:
        problems.append(Problem(display, line=number + 1, message="empty abstract"))
    return Paper(
        id=paper_id(title, None),
        title=title,
        abstract=abstract,
        added=UNSET_DATE,
        source=f"{display}:{number}",
    )

