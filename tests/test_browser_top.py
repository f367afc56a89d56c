"""Top papers in real headless Chromium: a week's page shows its papers in rank order, as built.

The order is read from the page as the browser renders it (the list's items and the cards in
them), and compared with the order the fixture's upvotes call for (tests/top_fixture.py).
A screenshot of the page goes to test-artifacts/top.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import serve
from tests.conftest import make_project, mkdocs_build, run_digest
from tests.test_browser import PHONE, Visit, screenshot
from tests.top_fixture import HOSTILE_TITLE, Listed, expected_top, write_top_archive

pytestmark = [pytest.mark.browser, pytest.mark.slow]
W01 = (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
W02 = (dt.date(2026, 1, 5), dt.date(2026, 1, 11))


@pytest.fixture(scope="module")
def top_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Listed]]:
    project = make_project(tmp_path_factory.mktemp("top-browser"))
    issues = project / "data" / "issues"
    for path in issues.iterdir():
        path.unlink()
    listed = write_top_archive(issues)
    run_digest("build", "--quiet", cwd=project)
    return mkdocs_build(project), listed


@pytest.fixture(scope="module")
def top_url(top_site: tuple[Path, list[Listed]]) -> Iterator[str]:
    with serve(top_site[0]) as url:
        yield url


def test_a_top_page_shows_its_papers_in_rank_order(browser: object, top_url: str,
                                                   top_site: tuple[Path, list[Listed]]) -> None:
    expected = expected_top(top_site[1], *W01)
    with Visit(browser, top_url, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(top_url + "top/2026-W01/", wait_until="networkidle")
        assert page.inner_text("h1").rstrip("¶") == "Top papers of 2026-W01"
        items = page.locator("ol.digest-top > li")
        assert items.count() == 20
        titles = [items.nth(n).locator(".digest-card__title").inner_text() for n in range(20)]
        # The card's signals line, upvotes first (comments, code... may follow).
        votes = [items.nth(n).locator(".digest-sig").inner_text().split(" · ")[0] for n in range(20)]
        assert titles == [paper.title for paper in expected]  # the hostile title shown as text
        assert titles[0] == HOSTILE_TITLE
        assert votes == [f"{paper.upvotes:,} upvote{'' if paper.upvotes == 1 else 's'}" for paper in expected]
        # The rank is the list's own number, drawn by the browser.
        assert page.evaluate("getComputedStyle(document.querySelector('ol.digest-top')).listStyleType") == "decimal"
        screenshot(page, "top.png")
        # A card's title leads to its paper's page.
        items.nth(1).locator(".digest-card__title a").click()
        page.wait_for_url(f"**/papers/{expected[1].id}/", timeout=10_000)
        assert visit.problems == []


def test_the_home_page_shows_the_newest_weeks_top_5(browser: object, top_url: str,
                                                  top_site: tuple[Path, list[Listed]]) -> None:
    expected = expected_top(top_site[1], *W02)[:5]
    with Visit(browser, top_url) as visit:
        visit.page.goto(top_url, wait_until="networkidle")
        heading = visit.page.locator("h2", has_text="Top papers of the week")
        assert heading.inner_text().startswith("Top papers of the week: 2026-W02 (so far)")
        shown = visit.page.locator("h2:has-text('Top papers of the week') ~ ol").first.locator("> li > a")
        assert [shown.nth(n).inner_text() for n in range(shown.count())] == [paper.title for paper in expected]
        assert visit.problems == []


def test_a_top_page_fits_a_phone(browser: object, top_url: str) -> None:
    with Visit(browser, top_url, viewport=PHONE, is_mobile=True) as visit:
        visit.page.goto(top_url + "top/2026-W01/", wait_until="networkidle")
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert visit.problems == []
