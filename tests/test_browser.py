"""The built site in real headless Chromium: no console errors, no failed or third-party requests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import CHROMIUM_FLAGS, chromium_path, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site_url(seed_site: Path) -> Iterator[str]:
    with serve(seed_site / "site") as url:
        yield url


def visit(browser: object, url: str, screenshot: str | None = None) -> dict[str, list[str]]:
    """Open ``url``, wait for the network to settle, and report what went wrong."""
    origin = url.split("/", 3)[:3]
    local = "/".join(origin)
    seen: dict[str, list[str]] = {"console": [], "failed": [], "third_party": [], "titles": []}
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and seen["console"].append(message.text))
    page.on("pageerror", lambda error: seen["console"].append(str(error)))
    page.on("requestfailed", lambda request: seen["failed"].append(request.url))
    page.on(
        "response", lambda response: response.status >= 400 and seen["failed"].append(f"{response.status} {response.url}")
    )
    page.on(
        "request",
        lambda request: not request.url.startswith((local, "data:", "blob:")) and seen["third_party"].append(request.url),
    )
    page.goto(url, wait_until="networkidle")
    seen["titles"].append(page.title())
    if screenshot:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / screenshot), full_page=False)
    context.close()
    return seen


@pytest.mark.parametrize(
    ("path", "screenshot"),
    [
        ("", "home.png"),
        ("topics/reasoning/", None),
        ("issues/2026-11-27/", None),
        ("papers/t6e7e62fa0f0/", "paper.png"),
        ("subscribe/", None),
    ],
)
def test_page_loads_cleanly(browser: object, site_url: str, seed_site: Path, path: str, screenshot: str | None) -> None:
    if path.startswith("papers/"):
        # Any seed paper page: take the first one in the build.
        first = sorted((seed_site / "site" / "papers").iterdir())[0].name
        path = f"papers/{first}/"
    seen = visit(browser, site_url + path, screenshot)
    assert seen["console"] == []
    assert seen["failed"] == []
    assert seen["third_party"] == []
    assert seen["titles"][0]


def test_search_finds_a_paper_by_a_title_word(browser: object, site_url: str) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.click("input.md-search__input")
    page.locator("input.md-search__input").press_sequentially("Pavlovian", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    results = page.inner_text(".md-search-result")
    context.close()
    assert "Pavlovian Conditioning" in results
