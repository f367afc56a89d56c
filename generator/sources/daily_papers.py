"""Hugging Face daily papers (``huggingface.co/api/daily_papers``): a JSON list of featured papers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from generator.errors import Problem
from generator.model import Paper, normalize_arxiv_id, paper_id
from generator.sources.common import TAB_OR_NEWLINE, UNSET_DATE, ReadResult, describe, flatten, http_link

PAPER_PAGE = "https://huggingface.co/papers/"
SOURCE_NAME = "Hugging Face"  # who wrote a record's summary and keywords, for their labels


def looks_like_daily_papers(document: Any) -> bool:
    """True when a parsed JSON document is a daily-papers response (items wrap a ``paper`` object), or a list of
    Hugging Face's paper objects themselves."""
    if not isinstance(document, list):
        return False
    objects = [item for item in document if isinstance(item, dict)]
    return bool(objects) and all(isinstance(item.get("paper"), dict) or is_paper_object(item) for item in objects)


# Keys only Hugging Face's paper objects have (``huggingface.co/api/papers/ID``, the ``paper`` of a daily-papers item).
PAPER_OBJECT_KEYS = ("publishedAt", "submittedOnDailyAt", "discussionId", "githubRepo", "githubStars", "projectPage",
                     "ai_summary", "ai_keywords")


def is_paper_object(item: Any) -> bool:
    """Whether ``item`` is a Hugging Face paper object not wrapped in a daily-papers item: the answer of
    ``/api/papers/ID``, or the ``paper`` objects a script took out of a daily-papers response."""
    return (isinstance(item, dict) and "paper" not in item and "id" in item
            and any(key in item for key in PAPER_OBJECT_KEYS))


def read_daily_papers(document: Any, display: str) -> ReadResult:
    """Turn a parsed daily-papers list into papers; bad items are reported by number and skipped."""
    result = ReadResult()
    if not isinstance(document, list):
        result.problems.append(Problem(display, message="expected a JSON list of daily papers"))
        return result
    featured: Counter[dt.date] = Counter()
    for number, item in enumerate(document, start=1):
        paper = read_daily_item(item, display, number, result.problems, featured)
        if paper is not None:
            result.papers.append(paper)
    if featured:
        result.date_hint = max(featured.items(), key=lambda pair: (pair[1], pair[0]))[0]
    return result


def read_daily_item(
    item: Any,
    display: str,
    number: int,
    problems: list[Problem],
    featured: Counter[dt.date] | None = None,
    *,
    by_line: bool = False,
) -> Paper | None:
    """One daily-papers item: ``{"paper": {...}, "publishedAt": ..., "numComments": ...}``."""

    def report(message: str) -> None:
        where = {"line": number} if by_line else {"item": number}
        problems.append(Problem(display, message=message, **where))

    if not isinstance(item, dict):
        report(f"expected an object, found {type(item).__name__}; skipped")
        return None
    if is_paper_object(item):
        item = {"paper": item}
    paper = item.get("paper")
    if not isinstance(paper, dict):
        report(f"'paper' should be an object, found {type(paper).__name__}; skipped")
        return None
    raw_id = paper.get("id")
    arxiv_id = normalize_arxiv_id(raw_id) if isinstance(raw_id, str) else None
    if arxiv_id is None:
        report(f"'paper.id' {describe(raw_id)} is not an arXiv id; skipped")
        return None
    title = _text(paper, "title", report, "paper.") or _text(item, "title", report)
    if not title:
        report("missing or empty 'paper.title'; skipped")
        return None
    abstract = _text(paper, "summary", report, "paper.") or _text(item, "summary", report)
    if not abstract:
        report("missing or empty 'paper.summary'")
    tldr = _text(paper, "ai_summary", report, "paper.")
    keywords = _keywords(paper.get("ai_keywords"), report)
    submitted = _date(paper, "submittedOnDailyAt", report)
    if submitted is not None and featured is not None:
        featured[submitted] += 1
    return Paper(
        id=paper_id(title, arxiv_id),
        title=title,
        abstract=abstract,
        added=UNSET_DATE,
        source=f"{display}: {'line' if by_line else 'item'} {number}",
        authors=_authors(paper.get("authors"), report),
        arxiv_id=arxiv_id,
        url=PAPER_PAGE + arxiv_id,
        code=_link(paper, "githubRepo", report),
        project_page=_link(paper, "projectPage", report),
        published=_date(paper, "publishedAt", report),
        upvotes=_count(paper, "upvotes", report),
        comments=_count(item, "numComments", report, ""),
        stars=_count(paper, "githubStars", report),
        organization=_organization(paper, item, report),
        tldr=tldr,
        summary_source=SOURCE_NAME if tldr else "",
        keywords=keywords,
        keywords_source=SOURCE_NAME if keywords else "",
    )


def _organization(paper: dict[str, Any], item: dict[str, Any], report: Callable[[str], None]) -> str:
    """The organisation's display name: ``{"name": "google", "fullname": "Google"}`` gives "Google"."""
    for source, prefix in ((paper, "paper."), (item, "")):
        value = source.get("organization")
        if value is None:
            continue
        if isinstance(value, str):
            return flatten(value)
        if isinstance(value, dict):
            names = [value.get(key) for key in ("fullname", "name")]
            name = next((flatten(n) for n in names if isinstance(n, str) and flatten(n)), "")
            if name:
                return name
        wanted = "should be an object with a 'fullname' or 'name'"
        report(f"'{prefix}organization' {wanted}, found {describe(value)}; ignored")
        return ""
    return ""


def _keywords(value: Any, report: Callable[[str], None]) -> tuple[str, ...]:
    """Hugging Face's AI keywords: a list of short texts (others are reported and dropped).

    An empty text is dropped without a word: Hugging Face gives a paper without keywords ``[""]`` (15 of 580 days
    of daily papers had one), and reporting it made ``digest build --strict`` fail on the API's ordinary answers.
    """
    if value is None:
        return ()
    if not isinstance(value, list):
        report(f"'paper.ai_keywords' should be a list, found {type(value).__name__}; ignored")
        return ()
    if not all(isinstance(k, str) for k in value):
        report("'paper.ai_keywords' holds entries that are not text; they are ignored")
    kept = [text for text in (flatten(k) for k in value if isinstance(k, str)) if text]
    return tuple(dict.fromkeys(kept))


def _text(source: dict[str, Any], name: str, report: Callable[[str], None], prefix: str = "") -> str:
    value = source.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        report(f"'{prefix}{name}' should be text, found {type(value).__name__}")
        return ""
    return flatten(value)


def _authors(value: Any, report: Callable[[str], None]) -> tuple[str, ...]:
    """Visible author names; authors marked ``hidden`` are dropped, as the site itself does."""
    if value is None:
        return ()
    if not isinstance(value, list):
        report(f"'paper.authors' should be a list, found {type(value).__name__}")
        return ()
    names = []
    for index, author in enumerate(value, start=1):
        if not isinstance(author, dict) or not isinstance(author.get("name"), str):
            report(f"author {index} should be an object with a 'name'; ignored")
            continue
        if author.get("hidden") is True:
            continue
        name = flatten(author["name"])
        if name:
            names.append(name)
    return tuple(names)


def _link(source: dict[str, Any], name: str, report: Callable[[str], None]) -> str | None:
    value = source.get(name)
    if isinstance(value, str):  # a line break or tab inside a URL is no part of it (http_link)
        value = value.strip().translate(TAB_OR_NEWLINE)
    text = _text({name: value}, name, report, "paper.")
    if not text:
        return None
    link = http_link(text)
    if link is None:
        report(f"'paper.{name}' is not an http(s) URL; ignored")
    return link


def _date(source: dict[str, Any], name: str, report: Callable[[str], None]) -> dt.date | None:
    value = source.get(name)
    if value is None:
        return None
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    report(f"'paper.{name}' {describe(value)} is not an ISO date; ignored")
    return None


def _count(source: dict[str, Any], name: str, report: Callable[[str], None], prefix: str = "paper.") -> int | None:
    value = source.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        report(f"'{prefix}{name}' should be a whole number, found {describe(value)}; ignored")
        return None
    return value
