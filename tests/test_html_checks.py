"""Built pages are valid HTML (the current Nu HTML checker) and their headings never skip a level.

The Nu checker reads one page of each kind of a real built site (tests/checkers.py, PAGE_SAMPLE) in
one Java run; ``make validate`` runs it on every page of site/. axe-core's accessibility checks run in
Chromium (tests/test_browser.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.checkers import PAGE_SAMPLE, REDIRECT_SAMPLE, nu_check, page_kind

pytestmark = pytest.mark.slow

# A page whose headings skip a level, checked beside the sample: the checker must report it.
SKIPPING = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Skips</title></head>
<body><h1>Topic</h1><h3>A card</h3></body></html>
"""


class Headings(HTMLParser):
    """The levels of a page's headings, in document order (h1 is 1)."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def skipped_levels(html: str) -> list[str]:
    parser = Headings()
    parser.feed(html)
    return [f"h{before} -> h{after}" for before, after in zip([0, *parser.levels], parser.levels, strict=False)
            if after > before + 1]


def test_every_page_kind_is_in_the_sample(sample_site: Path) -> None:
    pages = sorted(path.relative_to(sample_site).as_posix() for path in sample_site.rglob("*.html"))
    missing = sorted({page_kind(path) for path in pages} - {page_kind(path) for path in PAGE_SAMPLE})
    assert not missing, f"page kinds with no page in PAGE_SAMPLE (tests/checkers.py): add one of each: {missing}"
    lacking = [path for path in (*PAGE_SAMPLE, *REDIRECT_SAMPLE) if path not in pages]
    assert not lacking, f"the samples name pages the site does not have: {lacking}"


def test_headings_never_skip_a_level_on_any_page(sample_site: Path) -> None:
    """Every page of the site, not only the sample: screen readers move through a page by its headings."""
    skips = {}
    for path in sorted(sample_site.rglob("*.html")):
        found = skipped_levels(path.read_text(encoding="utf-8"))
        if found:
            skips[path.relative_to(sample_site).as_posix()] = found
    assert not skips, skips
    assert skipped_levels(SKIPPING) == ["h1 -> h3"]
    # A topic page's cards are headings one level below its h1.
    topic = (sample_site / "topics" / "reasoning" / "page-2" / "index.html").read_text(encoding="utf-8")
    assert topic.count('<h2 class="digest-card__title">') == 10


@pytest.mark.checker
def test_the_nu_checker_finds_no_error_in_a_page_of_each_kind(sample_site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "skipping.html"
    broken.write_text(SKIPPING, encoding="utf-8")
    errors = nu_check([*(sample_site / path for path in (*PAGE_SAMPLE, *REDIRECT_SAMPLE)), broken], sample_site)
    # The checker ran and reads heading levels: the page made to skip one is reported, with where.
    expected = [error for error in errors if "skipping.html" in error]
    assert expected and "skipping 1 heading level" in expected[0], errors
    found = [error for error in errors if "skipping.html" not in error]
    assert not found, "the Nu HTML checker found errors:\n" + "\n".join(found)
