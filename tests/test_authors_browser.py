"""An author page in real headless Chromium: Material's frame comes back from the shared script, the list reads
newest first, a paper opens from it and the back button shows the list again (instant navigation)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from generator.authors import author_key, author_slug
from tests.browser import serve
from tests.conftest import FIXTURES, make_project, mkdocs_build, run_digest
from tests.test_browser import Visit, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("authors-browser"), papers=FIXTURES / "authors")
    (project / "digest.yml").write_text("authors: {min_papers: 3}\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    with serve(mkdocs_build(project)) as url:
        yield url


def test_an_author_page_shows_its_list_in_materials_frame(browser: object, site_url: str) -> None:
    slug = author_slug(author_key("Ada Lovelace"))
    with Visit(browser, site_url, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(f"{site_url}authors/{slug}/", wait_until="networkidle")
        assert page.inner_text("h1") == "Ada Lovelace"
        items = page.locator(".digest-author-papers li").all_inner_texts()
        assert len(items) == 5
        dates = [item.split(" ", 1)[0] for item in items]
        assert dates == sorted(dates, reverse=True) and dates[0] == "2026-11-22"
        # The frame's parts are back: header with its search box, the navigation, Material started.
        assert page.locator("header.md-header").is_visible()
        assert page.locator(".md-search").count() == 1 and page.locator(".md-sidebar--primary").count() == 1
        assert page.locator("nav.md-nav--primary a", has_text="Authors").count() == 1
        assert page.evaluate("document.documentElement.classList.contains('js')")
        screenshot(page, "author.png")
        # Search works from the page (its settings came from the frame script too).
        page.keyboard.press("/")
        page.keyboard.type("calibrated", delay=15)
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert "Calibrated Uncertainty" in page.inner_text(".md-search-result__list")
        page.keyboard.press("Escape")
        page.wait_for_load_state("networkidle")
        first = page.locator(".digest-author-papers li a").first
        title = first.inner_text()
        first.click()
        page.wait_for_url("**/papers/**", timeout=10_000)
        page.wait_for_load_state("networkidle")
        assert page.inner_text("h1").startswith(title)
        page.go_back()
        page.wait_for_function("document.querySelectorAll('.digest-author-papers li').length === 5", timeout=10_000)
        assert page.locator(".md-sidebar--primary").count() == 1 and page.inner_text("h1") == "Ada Lovelace"
        page.wait_for_load_state("networkidle")
        # The paper page's author name leads back to the author page.
        page.goto(f"{site_url}authors/", wait_until="networkidle")
        page.locator(".digest-initials").get_by_role("link", name="L", exact=True).click()
        page.wait_for_url("**/authors/l/", timeout=10_000)
        page.wait_for_load_state("networkidle")
        assert "Ada Lovelace" in page.inner_text(".digest-author-list")
        assert visit.problems == []


@pytest.mark.parametrize("path", ["ada-lovelace", "l/"])
def test_an_author_page_skips_to_its_list_from_the_keyboard(browser: object, site_url: str, path: str) -> None:
    """The first Tab on an author or index page is Material's "Skip to content", and Enter goes past the header and
    the navigation (forty-odd links) to the page's heading. Author pages had no such link."""
    folder = f"{author_slug(author_key('Ada Lovelace'))}/" if path == "ada-lovelace" else path
    with Visit(browser, site_url, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(f"{site_url}authors/{folder}", wait_until="networkidle")
        heading = page.inner_text("h1")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
        page.keyboard.press("Enter")
        page.wait_for_function("location.hash === '#title'")
        assert page.inner_text(":target") == heading
        page.keyboard.press("Tab")  # the next stop is in the article, not the header or the navigation
        assert page.evaluate("document.activeElement.closest('article') !== null")
        assert visit.problems == []
