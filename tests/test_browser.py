"""The built site in real headless Chromium: pages, search, math, copy button, phone and dark mode.

Every visit also checks there were no console errors, no failed requests and no request
to another host. Screenshots of the home page and a paper page go to test-artifacts/.
axe-core checks a page of every kind against WCAG 2.1 AA in both palettes.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from generator.search import DOCS_DIR, INDEX_DIR
from tests.browser import serve
from tests.checkers import PAGE_SAMPLE, axe_script, axe_violations, page_url
from tests.conftest import FIXTURES, SEED, make_project, mkdocs_build, run_digest
from tests.test_search_index import lookup

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
MATH_PAPER = "papers/2611.01234/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def reading_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled listing plus an issue of arXiv-style papers with TeX math, built with MkDocs."""
    data = tmp_path_factory.mktemp("lists")
    shutil.copy(SEED, data / SEED.name)
    shutil.copy(FIXTURES / "math" / "2026-11-28.yaml", data / "2026-11-28.yaml")
    project = make_project(tmp_path_factory.mktemp("reading"), papers=data)
    run_digest("build", "--quiet", cwd=project)
    return mkdocs_build(project)


@pytest.fixture(scope="module")
def site_url(reading_site: Path) -> Iterator[str]:
    with serve(reading_site) as url:
        yield url


class Visit:
    """A browser tab that records console errors, failed requests and requests to other hosts."""

    def __init__(self, browser: object, site_url: str, **options: object) -> None:
        self.context = browser.new_context(**options)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.problems: list[str] = []
        page = self.page
        page.on("console", lambda message: message.type == "error" and self.problems.append(f"console: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        page.on(
            "response",
            lambda response: response.status >= 400 and self.problems.append(f"{response.status} {response.url}"),
        )
        page.on(
            "request",
            lambda request: not request.url.startswith((site_url, "data:", "blob:"))
            and self.problems.append(f"third party: {request.url}"),
        )

    def __enter__(self) -> Visit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()


def screenshot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "shot", "heading"),
    [
        ("", "home.png", "Paper Digest"),
        ("topics/reasoning/", None, "Reasoning"),
        ("issues/", None, "Archive"),
        ("issues/2026-11-27/", None, "Issue of 2026-11-27"),
        (MATH_PAPER, "paper.png", "Regret for Contextual Bandits"),
        ("subscribe/", None, "Subscribe"),
    ],
)
def test_page_loads_cleanly(browser: object, site_url: str, path: str, shot: str | None, heading: str) -> None:
    with Visit(browser, site_url, viewport={"width": 1280, "height": 900}) as visit:
        visit.page.goto(site_url + path, wait_until="networkidle")
        assert heading in visit.page.inner_text("h1")
        assert visit.page.title()
        if shot:
            screenshot(visit.page, shot)
        assert visit.problems == []


def search(page: object, query: str) -> str:
    page.keyboard.press("/")  # type: ignore[attr-defined]
    page.keyboard.type(query, delay=15)  # type: ignore[attr-defined]
    page.wait_for_selector(".md-search-result__item", timeout=10_000)  # type: ignore[attr-defined]
    return page.inner_text(".md-search-result__list")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Pavlovian", "Pavlovian Conditioning"),  # a title word of a seed paper
        ("lindqvist", "Contextual Bandits"),  # an author's name, lower case
        ("sharper bounds regression", "Sharper Bounds"),  # several title words
        ("petrov park", "Sharper Bounds"),  # two authors of one paper
    ],
)
def test_search_finds_papers_by_title_and_author(browser: object, site_url: str, query: str, expected: str) -> None:
    with Visit(browser, site_url) as visit:
        visit.page.goto(site_url, wait_until="networkidle")
        assert expected in search(visit.page, query)
        assert visit.problems == []


def test_the_search_dialog_has_a_name_on_every_kind_of_page(browser: object, site_url: str) -> None:
    """Material's search is a dialog without a name: a screen reader said "dialog" alone as it opened. It is named
    by its box's placeholder, also on a paper page, whose header a script writes (generator/paper_frame.py)."""
    from playwright.sync_api import expect

    with Visit(browser, site_url) as visit:
        for path in ("topics/", MATH_PAPER):
            visit.page.goto(site_url + path, wait_until="networkidle")
            search(visit.page, "reasoning")
            dialog = visit.page.locator('.md-search[role="dialog"]')
            expect(dialog).to_have_accessible_name("Search")
        assert visit.problems == []


def test_search_finds_papers_by_topic_and_opens_one_with_the_keyboard(browser: object, site_url: str) -> None:
    with Visit(browser, site_url) as visit:
        visit.page.goto(site_url + "topics/", wait_until="networkidle")
        results = search(visit.page, "reinforcement")
        assert "Reinforcement Learning" in results  # each result lists its topics
        visit.page.keyboard.press("ArrowDown")
        visit.page.keyboard.press("Enter")
        visit.page.wait_for_url("**/papers/**", timeout=10_000)
        assert visit.page.locator(".digest-chip", has_text="Reinforcement").count() == 1
        assert visit.problems == []


PICKED_RESULT = """() => {
  const link = document.activeElement;
  const style = getComputedStyle(link);
  const backgrounds = [];
  for (let node = link; node; node = node.parentElement) backgrounds.push(getComputedStyle(node).backgroundColor);
  return {picked: link.matches('.md-search-result__link'), outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth), colour: style.outlineColor, backgrounds};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_search_result_picked_with_the_keyboard_is_outlined(browser: object, site_url: str, scheme: str) -> None:
    """Material tells the result the arrow keys picked by a tenth of the accent behind it (1.1:1): the outline
    that shows it reads at 3:1 against the result (WCAG 1.4.11)."""
    with Visit(browser, site_url, color_scheme=scheme) as visit:
        page = visit.page
        page.goto(site_url + "topics/", wait_until="networkidle")
        search(page, "reasoning")
        page.keyboard.press("ArrowDown")
        page.wait_for_function("() => document.getAnimations().every(animation => animation.playState !== 'running')")
        found = page.evaluate(PICKED_RESULT)
        assert found["picked"]
        assert found["outline"] != "none" and found["width"] >= 1.5, found
        background = (255.0, 255.0, 255.0)
        for layer in reversed(found["backgrounds"]):
            background = over(rgba(layer), background)
        assert contrast(over(rgba(found["colour"]), background), background) >= 3.0, found
        assert visit.problems == []


def test_a_paper_page_searches_and_switches_palette_with_its_frame_from_the_shared_script(
    browser: object, site_url: str, reading_site: Path
) -> None:
    """Paper pages carry the search dialog and palette toggle in a cached script (generator/paper_pages.py)."""
    html = (reading_site / MATH_PAPER / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in html and "paper-frame." in html  # not in the page itself
    with Visit(browser, site_url, color_scheme="light") as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        assert page.locator('[data-md-component="search"]').count() == 1
        assert page.locator('[data-md-component="palette"]').count() == 1
        assert page.locator("script[data-part]").count() == 0  # each placeholder replaced by its part
        scheme = page.get_attribute("body", "data-md-color-scheme")
        page.locator('label[for="__palette_1"]').click()
        assert page.get_attribute("body", "data-md-color-scheme") not in (None, scheme)
        page.reload(wait_until="networkidle")  # the saved choice is applied again by the part's own script
        assert page.get_attribute("body", "data-md-color-scheme") not in (None, scheme)
        assert "Pavlovian Conditioning" in search(page, "Pavlovian")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")  # instant navigation from a paper page to another one
        page.wait_for_url("**/papers/**", timeout=10_000)
        page.wait_for_function("(document.querySelector('h1') || {innerText: ''}).innerText.includes('Pavlovian')")
        assert page.locator('[data-md-component="search"]').count() == 1
        assert visit.problems == []


def test_other_pages_search_and_switch_palette_with_their_header_from_the_shared_script(
    browser: object, site_url: str, reading_site: Path
) -> None:
    """The home, topic and issue pages carry the search dialog and palette toggle in a cached script
    (generator/page_frame.py): on load, and still there after instant navigation to another page."""
    for path in ("index.html", "topics/reasoning/index.html", "issues/2026-11-27/index.html"):
        html = (reading_site / path).read_text(encoding="utf-8")
        assert 'data-md-component="search"' not in html and "page-frame." in html, path
    with Visit(browser, site_url, color_scheme="light") as visit:
        page = visit.page
        page.goto(site_url + "topics/reasoning/", wait_until="networkidle")
        assert page.locator('[data-md-component="search"]').count() == 1
        assert page.locator("script[data-part]").count() == 0
        scheme = page.get_attribute("body", "data-md-color-scheme")
        page.locator('label[for="__palette_1"]').click()
        assert page.get_attribute("body", "data-md-color-scheme") not in (None, scheme)
        page.locator(".md-header a.md-logo").click()  # instant navigation to the home page
        # During the swap there may be no h1 for a moment: a predicate that throws would end the wait.
        page.wait_for_function("document.querySelector('h1')?.innerText.includes('Paper Digest')")
        assert page.get_attribute("body", "data-md-color-scheme") not in (None, scheme)
        assert page.locator('[data-md-component="search"]').count() == 1
        assert "Pavlovian Conditioning" in search(page, "Pavlovian")
        assert visit.problems == []


def test_a_paper_pages_logo_is_drawn_from_one_file_like_material_draws_the_inline_icon(
    browser: object, site_url: str, reading_site: Path
) -> None:
    """Paper pages leave the logo's icon to digest.css (generator/paper_frame.move_logo): the same place, size
    and colour as the inline icon of other pages, in both palettes and in forced-colours mode."""
    html = (reading_site / MATH_PAPER / "index.html").read_text(encoding="utf-8")
    assert "<svg" not in html.split("</header>")[0] and "digest-logo" in html
    assert (reading_site / "assets" / "digest" / "logo.svg").read_text(encoding="utf-8").startswith("<svg")
    drawn = """(selector) => {
        const link = document.querySelector(selector), box = link.getBoundingClientRect();
        const icon = link.querySelector("svg"), before = getComputedStyle(link, "::before");
        const shape = icon ? icon.getBoundingClientRect() : null;
        return {left: box.left, top: box.top, width: box.width, height: box.height,
                color: getComputedStyle(link).color,
                iconWidth: icon ? shape.width : parseFloat(before.width),
                iconHeight: icon ? shape.height : parseFloat(before.height),
                fill: icon ? getComputedStyle(icon).fill : before.backgroundColor,
                mask: before.maskImage || before.webkitMaskImage};
    }"""
    for options in ({"color_scheme": "light"}, {"color_scheme": "dark"}, {"forced_colors": "active"}):
        with Visit(browser, site_url, viewport={"width": 1400, "height": 900}, **options) as visit:
            page = visit.page
            page.goto(site_url + "topics/reasoning/", wait_until="networkidle")
            inline = page.evaluate(drawn, ".md-header a.md-logo")
            page.goto(site_url + MATH_PAPER, wait_until="networkidle")
            masked = page.evaluate(drawn, ".md-header a.md-logo")
            assert "logo.svg" in masked.pop("mask") and inline.pop("mask") in ("none", None)
            # Drawn in the link's colour. In forced-colours mode Material's inline icon keeps its unforced fill
            # (white, on a header forced to the system's white); the drawn one takes the link's system colour.
            assert masked["fill"] == masked["color"] and masked["iconWidth"] > 10, (options, masked)
            if "forced_colors" in options:
                masked.pop("fill"), inline.pop("fill")
            assert masked == inline, options
            assert visit.problems == []


def search_results(page: object) -> list[str]:
    """The titles of the results shown, in order (after the worker's last answer has arrived)."""
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    return page.locator(".md-search-result__item h1").all_inner_texts()  # type: ignore[attr-defined]


def test_search_finds_a_word_that_is_only_in_one_papers_abstract(browser: object, site_url: str) -> None:
    """"reconstructed" is in the abstract of one seed paper and in no title, name, keyword or other abstract."""
    with Visit(browser, site_url) as visit:
        visit.page.goto(site_url, wait_until="networkidle")
        search(visit.page, "reconstructed")
        expected = "Concurrent Density Estimation with Wasserstein Autoencoders: Some Statistical Insights"
        assert search_results(visit.page) == [expected]
        # The abstract is not shown in the result (only title, authors, date, topics), so nothing is marked.
        assert visit.page.locator(".md-search-result__item mark").count() == 0
        visit.page.keyboard.press("ArrowDown")
        visit.page.keyboard.press("Enter")
        visit.page.wait_for_url("**/papers/**", timeout=10_000)
        assert "reconstructed" in visit.page.inner_text("article")
        assert visit.problems == []


def test_search_lists_a_title_match_before_an_abstract_match(browser: object, site_url: str) -> None:
    """"replay": in the title of "SMR: State Memory Replay ..." and in the abstract of a Q-learning paper."""
    with Visit(browser, site_url) as visit:
        visit.page.goto(site_url, wait_until="networkidle")
        search(visit.page, "replay")
        titles = search_results(visit.page)
        title_match = next(i for i, title in enumerate(titles) if title.startswith("SMR: State Memory Replay"))
        abstract_match = next(i for i, title in enumerate(titles) if title.startswith("A Theoretical Analysis of Deep"))
        assert title_match < abstract_match
        assert visit.problems == []


def test_search_counts_every_matching_paper_not_only_the_best_it_lists(
    browser: object, site_url: str, reading_site: Path
) -> None:
    """The worker lists the best 30 papers; Material's count said "30 matching documents" however many matched."""
    index = reading_site / INDEX_DIR
    files = {str(path.relative_to(reading_site)): path.read_bytes() for path in index.rglob("*.json")}
    matching = {query: len(lookup(files, query)) for query in ("learning", "learn")}
    assert 30 < matching["learning"] < matching["learn"]

    def counted(page: object) -> tuple[int, int]:
        page.wait_for_function(  # type: ignore[attr-defined]
            "document.querySelector('.md-search-result__meta').textContent.includes('best')"
        )
        meta = page.inner_text(".md-search-result__meta")  # type: ignore[attr-defined]
        count = re.fullmatch(r"([\d,]+) matching documents, the best (\d+) shown", meta)
        assert count, meta
        return int(count[1].replace(",", "")), int(count[2])

    with Visit(browser, site_url) as visit:
        visit.page.goto(site_url, wait_until="networkidle")
        search(visit.page, "learning")
        total, shown = counted(visit.page)
        assert total - shown == matching["learning"] - 30  # the hand-written pages found are in both
        other = visit.context.new_page()  # another tab of the site: its counts reach this tab too
        other.goto(site_url, wait_until="networkidle")
        search(other, "learn")
        other_total, other_shown = counted(other)
        assert other_total - other_shown == matching["learn"] - 30
        assert counted(visit.page) == (total, shown)  # this tab keeps its own query's count
        visit.page.keyboard.type(" pavlovian")  # one paper: Material's own count again
        visit.page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.startsWith('1 ')")
        assert visit.problems == []


def test_search_says_it_is_searching_while_its_index_downloads(browser: object, site_url: str) -> None:
    """On a slow network the box said "No matching documents" (the answer to the first letter typed) until the
    index files of the query had arrived."""
    from playwright.sync_api import expect

    with Visit(browser, site_url) as visit:
        held: list[object] = []

        def hold(route: object) -> None:
            if held == [None]:
                route.continue_()  # type: ignore[attr-defined]
            else:
                held.append(route)

        visit.context.route("**/search/papers/t/**", hold)
        visit.page.goto(site_url, wait_until="networkidle")
        visit.page.keyboard.press("/")
        visit.page.keyboard.type("pavlovian", delay=15)
        meta = visit.page.locator(".md-search-result__meta")
        expect(meta).to_have_text("Searching…")
        waiting, held[:] = held[:], [None]  # the index files arrive at last
        for route in waiting:
            route.continue_()  # type: ignore[attr-defined]
        expect(meta).to_have_text("1 matching document")
        assert search_results(visit.page) == ["Understanding Transformers through the Lens of Pavlovian Conditioning"]
        assert visit.problems == []


def test_a_misspelt_query_that_finds_nothing_shows_the_corrected_querys_papers_and_says_so(
    browser: object, site_url: str,
) -> None:
    """"Pavlovain" said "No matching documents": it is answered for the closest indexed word, and the count says so."""
    from playwright.sync_api import expect

    with Visit(browser, site_url) as visit:
        visit.page.goto(site_url, wait_until="networkidle")
        search(visit.page, "Pavlovain")
        expect(visit.page.locator(".md-search-result__meta")).to_have_text(
            'Nothing matches "Pavlovain": showing "pavlovian", 1 matching document'
        )
        assert search_results(visit.page) == ["Understanding Transformers through the Lens of Pavlovian Conditioning"]
        visit.page.fill(".md-search__input", "")
        # The second query's count reads as the first's: wait for the first's results to go, or the keys below could
        # reach a list that is being replaced (the test timed out so on a busy machine).
        expect(visit.page.locator(".md-search-result__meta")).not_to_have_text(
            'Nothing matches "Pavlovain": showing "pavlovian", 1 matching document')
        visit.page.keyboard.type('"Pavlovain"', delay=15)
        expect(visit.page.locator(".md-search-result__meta")).to_have_text(
            'Nothing matches "Pavlovain": showing "pavlovian", 1 matching document'  # the reader's quotes, not twice
        )
        # The result leads to the paper. A click, which waits for the link and finds it again if the list is drawn
        # anew (typing the closing quote runs the query once more, with the same count); the keys that move through
        # results are tested above, where no second query follows.
        visit.page.locator(".md-search-result__link").first.click()
        visit.page.wait_for_url("**/papers/**")
        assert visit.problems == []


def test_search_says_when_its_index_could_not_be_downloaded_and_tries_again(browser: object, site_url: str) -> None:
    """A failed download showed "No matching documents", as if no paper had the word, and the next query
    failed too until the page was reloaded."""
    from playwright.sync_api import expect

    with Visit(browser, site_url) as visit:
        visit.context.route("**/search/papers/t/**", lambda route: route.fulfill(status=503, body="down"))
        visit.page.goto(site_url, wait_until="networkidle")
        visit.page.keyboard.press("/")
        visit.page.keyboard.type("pavlovian", delay=15)
        meta = visit.page.locator(".md-search-result__meta")
        expect(meta).to_contain_text("could not download")
        visit.context.unroute("**/search/papers/t/**")  # the network is back
        visit.page.keyboard.press("Backspace")
        expect(meta).to_have_text("1 matching document")
        assert search_results(visit.page) == ["Understanding Transformers through the Lens of Pavlovian Conditioning"]


def test_search_downloads_only_a_few_index_files(browser: object, site_url: str, reading_site: Path) -> None:
    with Visit(browser, site_url) as visit:
        fetched: list[str] = []
        visit.page.on("request", lambda request: "/search/" in request.url and fetched.append(request.url))
        visit.page.goto(site_url, wait_until="networkidle")
        search(visit.page, "pavlovian")
        shards = list((reading_site / "search" / "papers" / "t").iterdir())
        index_files = [url for url in fetched if "/search/papers/" in url]
        # The manifest, the one term shard of every prefix typed, and the document shards of the results shown.
        assert [url.rsplit("/", 2)[-2:] for url in index_files if "/t/" in url] == [["t", "pa.json"]]
        assert len(index_files) <= 2 + len(list((reading_site / "search" / "papers" / DOCS_DIR).iterdir()))
        assert len(index_files) < len(shards)


def test_math_renders_as_mathml_and_unsafe_tex_stays_text(browser: object, site_url: str) -> None:
    with Visit(browser, site_url) as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        assert page.locator("h1 math msqrt").count() == 1
        assert page.locator("article math[display=block]").count() >= 1
        box = page.locator("h1 math").first.bounding_box()
        assert box is not None and box["width"] > 10  # drawn by the browser, not hidden
        text = page.inner_text("article")
        assert "costs $5 and $10 per hour" in text
        page.goto(site_url + "papers/2611.04321/", wait_until="networkidle")
        assert page.locator("a", has_text="click").count() == 0  # \\href made no link
        assert page.locator("script:has-text('alert(1)')").count() == 0
        assert "\\href{https://evil.example/}{click}" in page.inner_text("article")
        assert visit.problems == []


BLOCK_FORMULAS = """() => [...document.querySelectorAll('article math[display=block]')].map(math => {
    const style = getComputedStyle(math);
    return {overflowX: style.overflowX, overflowY: style.overflowY, over: math.scrollHeight - math.clientHeight};
  })"""


def test_a_display_formula_scrolls_sideways_only(browser: object, site_url: str) -> None:
    """A formula's parts reach past its box: it must not scroll vertically (a scrollbar beside it, a Tab stop)."""
    with Visit(browser, site_url, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        formulas = page.evaluate(BLOCK_FORMULAS)
        assert formulas
        for formula in formulas:
            assert formula["overflowX"] == "auto", formula  # a formula wider than a phone still scrolls
            assert formula["overflowY"] not in ("auto", "scroll") or formula["over"] <= 0, formula
            assert formula["over"] <= 0, formula  # its parts fit: nothing is cut off
        assert visit.problems == []


def test_a_paper_pages_navigation_comes_from_the_shared_script_on_load_and_after_instant_navigation(
    browser: object, site_url: str, reading_site: Path
) -> None:
    """The site's navigation is not in a paper page's HTML (generator/paper_pages.py) but is on screen."""
    assert "md-nav--primary" not in (reading_site / MATH_PAPER / "index.html").read_text(encoding="utf-8")
    entries = ["Home", "Top papers", "Topics", "Issues", "Subscribe"]

    def navigation(page: object) -> list[str]:
        links = page.locator("nav.md-nav--primary > ul > li > a.md-nav__link")  # type: ignore[attr-defined]
        return [links.nth(n).inner_text().strip() for n in range(links.count())]

    with Visit(browser, site_url, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        assert navigation(page)[: len(entries)] == entries
        assert page.locator("nav.md-nav--primary a", has_text="Topics").first.is_visible()
        page.locator("nav.md-nav--primary a", has_text="Topics").first.click()  # instant navigation away
        page.wait_for_url("**/topics/", timeout=10_000)
        topic = page.evaluate(  # to a topic page, then to one of its papers
            "[...document.querySelectorAll('article a')].map(a => a.href).find(h => /\\/topics\\/[^/#]+\\/$/.test(h))"
        )
        page.locator(f"article a[href='{topic}']").first.click()
        page.wait_for_url("**/topics/*/", timeout=10_000)
        cards = page.locator(".digest-card").count()  # each with the abstract toggle the script adds
        assert cards > 0 and page.locator(".digest-card > details.digest-card__abstract").count() == cards
        page.locator(".digest-card__title a").first.click()
        page.wait_for_url("**/papers/**", timeout=10_000)
        page.wait_for_function("document.querySelectorAll('nav.md-nav--primary').length === 1")
        assert navigation(page)[: len(entries)] == entries  # put back by the script Material ran again
        assert page.locator("script[data-part]").count() == 0
        page.locator("nav.md-nav--primary a", has_text="Issues").first.click()
        page.wait_for_url("**/issues/", timeout=10_000)
        assert visit.problems == []


def test_a_paper_pages_header_title_back_to_top_and_footer_come_from_the_shared_script(
    browser: object, site_url: str, reading_site: Path
) -> None:
    """The header's title, menu button, back-to-top button, footer and dialog are not in a paper page's HTML
    (generator/paper_pages.py), yet are where Material puts them, on load and after instant navigation."""
    served = (reading_site / MATH_PAPER / "index.html").read_text(encoding="utf-8")
    moved_parts = ("md-header__title", 'md-header__button md-icon" for="__drawer"', 'class="md-top', "md-footer",
                   "md-dialog", "__md_scope")
    for moved in moved_parts:
        assert moved not in served, moved
    topic = "[data-md-component='header-topic'] .md-ellipsis"

    def shows_its_title(page: object) -> None:
        # The title as <title> has it (TeX as written; the heading shows it as MathML), as Material shows it.
        title = page.title().removesuffix(" - Paper Digest")  # type: ignore[attr-defined]
        assert title and title.split()[0] in page.inner_text("h1")  # type: ignore[attr-defined]
        assert page.locator(topic).count() == 1  # type: ignore[attr-defined]
        assert page.inner_text(topic).strip() == title  # type: ignore[attr-defined]
        assert page.evaluate("document.querySelector('.md-container > main + footer.md-footer') !== null")  # type: ignore[attr-defined]
        assert page.locator("main > .md-main__inner + button.md-top").count() == 1  # type: ignore[attr-defined]

    with Visit(browser, site_url, viewport={"width": 1280, "height": 600}) as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        shows_its_title(page)
        assert page.locator("label.md-header__button[for='__drawer']").count() == 1
        assert page.locator(".md-dialog[data-md-component='dialog']").count() == 1
        assert page.evaluate("typeof __md_get === 'function' && __md_scope.pathname") == urlparse(site_url).path
        assert page.locator("script[data-part]").count() == 0
        # The title shows in the header once the page's heading is scrolled past, as Material does it.
        page.mouse.wheel(0, 1500)
        page.wait_for_function("document.querySelector('.md-header__title--active') !== null", timeout=5_000)
        assert page.locator(topic).is_visible()
        page.mouse.wheel(0, -300)  # scrolling up shows Material's back-to-top button, which goes to the top
        page.wait_for_selector("button.md-top:not([hidden])", timeout=5_000)
        page.locator("button.md-top").click()
        page.wait_for_function("window.scrollY === 0", timeout=5_000)
        # Instant navigation to the next paper of the issue: its title, not the previous one's.
        before = page.inner_text("h1").strip()
        page.locator(".digest-pager a").first.click()
        page.wait_for_url("**/papers/2611.04321/", timeout=10_000)
        page.wait_for_function(f"(h => h !== null && !h.innerText.includes({before!r}))(document.querySelector('h1'))")
        shows_its_title(page)
        # From a topic page (Material's own header title) to a paper page, instant navigation again.
        page.locator("article .digest-chip").first.click()
        page.wait_for_url("**/topics/*/", timeout=10_000)
        page.locator(".digest-card__title a").first.click()
        page.wait_for_url("**/papers/**", timeout=10_000)
        page.wait_for_function("document.querySelector('article h1 + .digest-paper-meta') !== null")
        shows_its_title(page)
        assert page.locator("script[data-part]").count() == 0
        assert visit.problems == []


def test_paper_page_shows_authors_links_citation_and_issue_neighbours(browser: object, site_url: str) -> None:
    with Visit(browser, site_url) as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        more = page.locator(".digest-authors details")
        assert "Ivo Petrov" not in page.locator(".digest-authors").inner_text()
        more.locator("summary").click()
        assert "Ivo Petrov" in more.inner_text()
        for label in ("arXiv", "PDF", "Code", "Hugging Face"):
            assert page.get_by_role("link", name=label, exact=True).count() == 1
        assert page.locator("meta[property='og:title']").get_attribute("content")
        assert page.locator("meta[property='og:description']").get_attribute("content")
        neighbour = page.locator(".digest-pager a").first
        neighbour.click()
        page.wait_for_url("**/papers/2611.04321/", timeout=10_000)
        assert visit.problems == []


def test_copy_button_copies_the_bibtex(browser: object, site_url: str, reading_site: Path) -> None:
    """The button is added by assets/digest/digest.js (without JavaScript it could not copy): on load and
    after instant navigation, once."""
    assert "Copy BibTeX" not in (reading_site / MATH_PAPER / "index.html").read_text(encoding="utf-8")
    with Visit(browser, site_url, permissions=["clipboard-read", "clipboard-write"]) as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        page.get_by_role("button", name="Copy BibTeX").click()
        page.wait_for_function("document.querySelector('.digest-copy').textContent === 'Copied'")
        # A screen reader is told too: a focused button's new label is not read out, a status line is.
        assert page.locator(".digest-cite").get_by_role("status").inner_text() == "BibTeX copied"
        page.locator(".digest-copy").click()  # again while it says "Copied": it still comes back to its label
        page.wait_for_function("document.querySelector('.digest-copy').textContent === 'Copy BibTeX'", timeout=5_000)
        assert page.locator(".digest-cite").get_by_role("status").inner_text() == ""
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("@misc{quine2026optimal,")
        assert "eprint = {2611.01234}" in copied
        assert "author = {Quine, Ada and Lindqvist, Bo" in copied
        page.locator(".digest-pager a").first.click()  # instant navigation to the next paper
        page.wait_for_url("**/papers/2611.04321/", timeout=10_000)
        page.wait_for_function("document.querySelector('.digest-cite button') !== null")
        assert page.get_by_role("button", name="Copy BibTeX").count() == 1
        page.get_by_role("button", name="Copy BibTeX").click()
        page.wait_for_function("document.querySelector('.digest-copy').textContent === 'Copied'")
        assert "eprint = {2611.04321}" in page.evaluate("navigator.clipboard.readText()")
        assert visit.problems == []


def test_the_copy_button_says_when_it_cannot_copy_and_selects_the_citation(browser: object, site_url: str) -> None:
    """Without the clipboard (a page served over plain HTTP has none) the button says what to do, not nothing. It
    said "Select the text", which a keyboard reader could not (the citation is no control): it is selected for them,
    pressed with the keyboard as with the pointer."""
    with Visit(browser, site_url) as visit:
        page = visit.page
        page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        page.get_by_role("button", name="Copy BibTeX").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('.digest-copy').textContent === 'Selected: now copy it'")
        assert page.locator(".digest-cite").get_by_role("status").inner_text().startswith("Could not copy")
        selected = page.evaluate("getSelection().toString()")
        assert selected.startswith("@misc{") and selected == page.inner_text(".digest-bibtex code")
        assert visit.problems == []


BUTTON_COLOURS = """button => {
    const style = getComputedStyle(button);
    const backgrounds = [];
    for (let node = button; node; node = node.parentElement) backgrounds.push(getComputedStyle(node).backgroundColor);
    return {colour: style.color, backgrounds};
  }"""


def contrast_in_states(page: object, element: object, states: tuple[str, ...]) -> dict[str, float]:
    """The element's text against what is behind it, at rest, focused with the keyboard and under the pointer."""
    ratios = {}
    for state in states:
        if state == "focused":
            element.focus()  # type: ignore[attr-defined]
        elif state == "pointed at":
            page.evaluate("document.activeElement.blur()")  # type: ignore[attr-defined]
            element.hover()  # type: ignore[attr-defined]
        page.wait_for_function(  # type: ignore[attr-defined]  # Material's controls fade between their colours
            "() => document.getAnimations().every(animation => animation.playState !== 'running')"
        )
        found = element.evaluate(BUTTON_COLOURS)  # type: ignore[attr-defined]
        background = (255.0, 255.0, 255.0)
        for layer in reversed(found["backgrounds"]):
            background = over(rgba(layer), background)
        ratios[state] = round(contrast(over(rgba(found["colour"]), background), background), 2)
    return ratios


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_copy_button_reads_at_wcag_aa_when_focused_or_pointed_at(
    browser: object, site_url: str, scheme: str
) -> None:
    """Its label against its fill, at rest, focused with the keyboard and under the pointer: 4.5:1 at least."""
    with Visit(browser, site_url, color_scheme=scheme, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        button = page.get_by_role("button", name="Copy BibTeX")
        ratios = contrast_in_states(page, button, ("at rest", "focused", "pointed at"))
        assert min(ratios.values()) >= 4.5, ratios
        assert visit.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_links_read_at_wcag_aa_when_focused_or_pointed_at(browser: object, site_url: str, scheme: str) -> None:
    """Material gives a link focused or pointed at its accent colour: with the default indigo, 4.3:1 on white and
    3.8:1 on slate (card titles, pager links, dates, the feeds' links)."""
    with Visit(browser, site_url, color_scheme=scheme, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(site_url + "topics/reasoning/", wait_until="networkidle")
        link = page.locator(".digest-card__title a").first
        ratios = contrast_in_states(page, link, ("focused", "pointed at"))
        assert min(ratios.values()) >= 4.5, ratios
        assert visit.problems == []


def test_topic_page_abstracts_collapse(browser: object, site_url: str, reading_site: Path) -> None:
    """A card's abstract opens on click, loaded from the paper's page (topic pages do not repeat abstracts)."""
    from playwright.sync_api import expect

    served = (reading_site / "topics" / "reasoning" / "index.html").read_text(encoding="utf-8")
    assert "digest-card__abstract" not in served  # the toggle is the script's, not the page's
    with Visit(browser, site_url) as visit:
        page = visit.page
        page.goto(site_url + "topics/reasoning/", wait_until="networkidle")
        first = page.locator(".digest-card__abstract").first
        assert not first.locator("p").is_visible()
        # Each toggle is named after its paper (the visible "Abstract" first): one name thirty times said nothing.
        titles = page.locator(".digest-card__title a").all_inner_texts()
        assert len(titles) > 1
        for toggle, title in zip(page.locator(".digest-card__abstract > summary").all(), titles, strict=True):
            expect(toggle).to_have_accessible_name(f"Abstract: {title.strip()}")
        href = first.locator("p a").get_attribute("href")
        assert href is not None and href.endswith("/#abstract")
        first.locator("summary").click()
        assert first.locator("p").is_visible()
        page.wait_for_function(
            "card => !card.querySelector('p a[href$=\"#abstract\"]')", arg=first.element_handle(), timeout=10_000
        )
        # Material's instant navigation makes links absolute: the path names the paper's folder.
        paper = reading_site / urlparse(urljoin(site_url + "topics/reasoning/", href)).path.strip("/") / "index.html"
        abstract = re.search(r'<h2 id="abstract">.*?</h2>\n<p>(.*?)</p>', paper.read_text(encoding="utf-8"), re.DOTALL)
        assert abstract is not None
        shown = first.locator("p").inner_text()
        assert len(shown) > 100 and shown[:60] == html.unescape(re.sub("<[^>]+>", "", abstract.group(1)))[:60]
        assert visit.problems == []


@pytest.mark.parametrize("path", ["", MATH_PAPER, "topics/reasoning/"])
def test_phone_width_has_no_sideways_scrolling(browser: object, site_url: str, path: str) -> None:
    with Visit(browser, site_url, viewport=PHONE, is_mobile=True) as visit:
        visit.page.goto(site_url + path, wait_until="networkidle")
        width = visit.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        assert visit.problems == []


@pytest.mark.parametrize(  # without JavaScript a paper page has no drawer: the navigation's entries top its article
    ("path", "javascript"), [("", True), ("", False), (MATH_PAPER, True), ("issues/2026-11-27/", False)],
)
def test_a_navigation_link_focused_with_the_keyboard_on_a_phone_is_on_screen(
    browser: object, site_url: str, path: str, javascript: bool,
) -> None:
    """Below 1220 px the navigation is a drawer off the screen's left edge, and its links are still Tab stops: a
    keyboard's focus went through about 45 links no one could see (every entry, and the page's headings) before
    reaching the page. The drawer now slides in while focus is in it, and out again when focus leaves it."""
    with Visit(browser, site_url, viewport=PHONE, is_mobile=True, java_script_enabled=javascript) as visit:
        page = visit.page
        page.goto(site_url + path, wait_until="networkidle")
        drawer = "document.querySelector('.md-sidebar--primary')"
        focus = """() => { const box = document.activeElement.getBoundingClientRect();
            return [document.activeElement.textContent.trim(), box.left, box.right]; }"""
        seen = []
        for _ in range(40):
            page.keyboard.press("Tab")
            if not page.evaluate(f"() => {drawer}.contains(document.activeElement)"):
                assert not seen, f"focus left the drawer after {seen}"
                continue
            page.wait_for_timeout(400)  # a reader's pace; the drawer slides in 0.25 s (no polling: no JavaScript)
            name, left, right = page.evaluate(focus)
            assert left >= 0 and right <= PHONE["width"], (name, left, right)
            seen.append(name)
            if len(seen) == 6:
                break
        assert len(seen) == 6  # Home, Top papers, Topics...: the drawer holds the navigation's links
        page.locator(".md-content a").first.focus()
        page.wait_for_timeout(400)
        assert page.evaluate(f"() => {drawer}.getBoundingClientRect().right") <= 0  # away again with the focus
        assert visit.problems == []


def test_the_subscribe_pages_feed_addresses_fit_a_phone(browser: object, site_url: str) -> None:
    """The table of feed addresses: each broken at its hyphens only, it was 560 px wide, its RSS column off to the
    side of a table the reader had to scroll sideways."""
    with Visit(browser, site_url, viewport=PHONE, is_mobile=True) as visit:
        page = visit.page
        page.goto(site_url + "subscribe/", wait_until="networkidle")
        table = page.locator("article table").last
        assert "rss.xml" in table.inner_text()
        assert table.evaluate("table => table.getBoundingClientRect().right") <= PHONE["width"]
        assert visit.problems == []


def test_a_word_wider_than_the_phone_in_a_papers_meta_lines_wraps(browser: object, site_url: str) -> None:
    """A name or organisation without a space (a source's handle, a compound) wraps as the abstract's words do.
    The meta lines are a grid: its column took the width of the longest word, and the page scrolled sideways."""
    with Visit(browser, site_url, viewport=PHONE, is_mobile=True) as visit:
        page = visit.page
        page.goto(site_url + MATH_PAPER, wait_until="networkidle")
        page.evaluate("document.querySelector('.digest-authors').append(', ' + 'Forschungszentrum'.repeat(4))")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.evaluate("document.querySelector('.digest-chips').getBoundingClientRect().right") <= PHONE["width"]
        assert visit.problems == []


# Every element of the article that shows text of its own: its colour (fill for SVG), its opacity
# through its ancestors, its font size and weight, and the background colours behind it, innermost first.
TEXT_COLOURS = """() => [...document.querySelectorAll('article *')].filter((element) =>
    [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim())
    && element.getClientRects().length && !element.closest('.headerlink, details:not([open]) > :not(summary)')
  ).map((element) => {
    const style = getComputedStyle(element);
    let opacity = 1;
    const backgrounds = [];
    for (let node = element; node; node = node.parentElement) {
      opacity *= Number(getComputedStyle(node).opacity);
      backgrounds.push(getComputedStyle(node).backgroundColor);
    }
    return {text: element.textContent.trim().slice(0, 40),
            colour: element instanceof SVGElement ? style.fill : style.color, opacity, backgrounds,
            size: parseFloat(style.fontSize), bold: Number(style.fontWeight) >= 700};
  })"""


def rgba(colour: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0)


def over(top: tuple[float, float, float, float], bottom: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3]
    return (top[0] * alpha + bottom[0] * (1 - alpha), top[1] * alpha + bottom[1] * (1 - alpha),
            top[2] * alpha + bottom[2] * (1 - alpha))


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0-255 channels)."""
    channels = [value / 255 for value in colour]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_ratio_is_wcags() -> None:
    assert round(contrast((0, 0, 0), (255, 255, 255)), 2) == 21.0
    assert round(contrast((118, 118, 118), (255, 255, 255)), 2) == 4.54  # the lightest grey that passes AA on white


def low_contrast_text(page: object) -> list[str]:
    """Text below WCAG AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold)."""
    failures = []
    for item in page.evaluate(TEXT_COLOURS):  # type: ignore[attr-defined]
        background = (255.0, 255.0, 255.0)
        for layer in reversed(item["backgrounds"]):  # the page's root first
            background = over(rgba(layer), background)
        red, green, blue, alpha = rgba(item["colour"])
        text = over((red, green, blue, alpha * item["opacity"]), background)
        needed = 3.0 if item["size"] >= 24 or (item["bold"] and item["size"] >= 18.66) else 4.5
        ratio = contrast(text, background)
        if ratio < needed:
            failures.append(f"{item['text']!r}: {ratio:.2f} < {needed}")
    return failures


@pytest.mark.parametrize("path", ["", "topics/reasoning/", MATH_PAPER])
def test_dark_mode_text_and_chart_meet_wcag_aa_contrast(browser: object, site_url: str, path: str) -> None:
    with Visit(browser, site_url, color_scheme="dark", viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(site_url + path, wait_until="networkidle")
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
        assert page.locator("article.md-content__inner").inner_text().strip()
        if path == "":
            page.locator(".digest-trends").scroll_into_view_if_needed()
            assert page.locator(".digest-trends__cell").count() >= 2
            assert page.locator(".digest-trends__label").count() >= 2
            screenshot(page, "home-dark.png")
        assert low_contrast_text(page) == []
        assert visit.problems == []


def test_search_highlights_each_matching_word_once(browser: object, site_url: str) -> None:
    with Visit(browser, site_url) as visit:
        page = visit.page
        page.goto(site_url, wait_until="networkidle")
        search(page, "regression ma")  # "ma" must not match inside the <mark> added for "regression"
        page.wait_for_timeout(300)
        title = page.locator(".md-search-result__item h1").first
        assert title.inner_text().startswith("Sharper Bounds for")
        marks = title.locator("mark").all_inner_texts()
        assert marks == ["Regression", "mathbb"]  # the title's TeX is shown as written
        assert "&lt;" not in title.inner_html() and "<<" not in title.inner_html()
        assert visit.problems == []


@pytest.fixture(scope="module")
def sample_url(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site (a page of every kind) served at its site_url's path: the 404 page's links are absolute."""
    found = re.search(r'<script src="/([^"]*)assets/javascripts/bundle', (sample_site / "404.html").read_text("utf-8"))
    assert found, "the 404 page names no script under the site's path"
    prefix = found.group(1)  # "paper-digest/"
    root = tmp_path_factory.mktemp("served")
    (root / prefix.strip("/")).symlink_to(sample_site, target_is_directory=True)
    with serve(root) as url:
        yield url + prefix


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_kind_has_a_serious_wcag_aa_violation_by_axe_core(
    browser: object, sample_url: str, scheme: str
) -> None:
    """axe-core's WCAG 2.1 A and AA rules: no serious or critical violation on a page of each kind, nor in search."""
    script = axe_script()
    report = []
    with Visit(browser, sample_url, color_scheme=scheme, viewport={"width": 1280, "height": 900}) as visit:
        for path in PAGE_SAMPLE:
            visit.page.goto(sample_url + page_url(path), wait_until="networkidle")
            palette = visit.page.get_attribute("body", "data-md-color-scheme")
            assert palette == ("slate" if scheme == "dark" else "default"), (path, palette)
            found = axe_violations(visit.page, script)
            if found:
                report += [f"{path} ({scheme} palette):", *found]
        # Search results, opened over the last page (their own colours: matched words, the count), then
        # with a result picked with the keyboard (its own background).
        search(visit.page, "reasoning")
        for state in ("search results", "a search result picked"):
            found = axe_violations(visit.page, script)
            if found:
                report += [f"{state} on {PAGE_SAMPLE[-1]} ({scheme} palette):", *found]
            visit.page.keyboard.press("ArrowDown")
        assert not report, "axe-core found serious or critical WCAG 2.1 AA violations:\n" + "\n".join(report)
        assert visit.problems == []


def test_axe_core_reports_links_told_apart_by_colour_alone(browser: object, sample_url: str) -> None:
    """The check can fail: a link in running text without an underline, and an image without text, are reported."""
    script = axe_script()
    with Visit(browser, sample_url) as visit:
        page = visit.page
        page.goto(sample_url, wait_until="networkidle")
        assert axe_violations(page, script) == []
        page.evaluate("""() => document.querySelector('article').insertAdjacentHTML('beforeend',
            '<p>Words before <a href="#x" style="text-decoration: none">a plain link</a> and words after it.</p>'
            + '<img src="data:," width="10" height="10">')""")
        found = "\n".join(axe_violations(page, script))
        assert "serious link-in-text-block: Links must be distinguishable without relying on color" in found
        assert "a plain link" in found
        assert "critical image-alt" in found


def test_a_pagers_page_numbers_are_targets_a_finger_can_hit(browser: object, sample_url: str) -> None:
    """Each page's number was one digit wide (9 x 26 px): on a phone a finger took the page beside it. Every link of
    a pager (topics, the watch list) is at least 24 px square (WCAG 2.2, 2.5.8)."""
    with Visit(browser, sample_url, viewport=PHONE, is_mobile=True) as visit:
        page = visit.page
        for path in ("topics/reasoning/page-2/", "watch/"):
            page.goto(sample_url + path, wait_until="networkidle")
            sizes = page.eval_on_selector_all(".digest-pages a", "links => links.map(link => "
                                              "[link.textContent, link.offsetWidth, link.offsetHeight])")
            assert len(sizes) >= 2, path
            assert [size for size in sizes if min(size[1:]) < 24] == [], path
        assert visit.problems == []


def test_a_page_the_navigation_does_not_list_shows_it_on_load_after_instant_navigation_and_without_javascript(
    browser: object, sample_url: str, sample_site: Path
) -> None:
    """A topic's second page takes the site's navigation from a shared script (generator/page_frame.py): the same
    sections and links on screen as on a page the navigation lists; a compact list without JavaScript."""
    later = "topics/reasoning/page-2/"
    served = (sample_site / later / "index.html").read_text(encoding="utf-8")
    assert "md-nav--primary" not in served.split("<noscript>", 1)[0]

    def navigation(page: object) -> list[str]:
        page.wait_for_function("document.querySelectorAll('nav.md-nav--primary').length === 1")  # type: ignore
        links = page.locator("nav.md-nav--primary a.md-nav__link")  # type: ignore[attr-defined]
        return [urljoin(page.url, links.nth(n).get_attribute("href")) for n in range(links.count())]  # type: ignore

    with Visit(browser, sample_url, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(sample_url + "topics/reasoning/", wait_until="networkidle")
        listed = [link for link in navigation(page) if "#" not in link and not link.endswith("/reasoning/")]
        page.goto(sample_url + later, wait_until="networkidle")
        assert set(listed) <= set(navigation(page))
        assert page.locator("nav.md-nav--primary a", has_text="Interpretability").first.is_visible()
        assert page.locator("script[data-part]").count() == 0
        page.goto(sample_url + "topics/reasoning/", wait_until="networkidle")
        page.locator("article a[rel=next]").first.click()  # instant navigation to the later page
        page.wait_for_url("**/reasoning/page-2/", timeout=10_000)
        assert set(listed) <= set(navigation(page))
        page.locator("nav.md-nav--primary a", has_text="Subscribe").first.click()
        page.wait_for_url("**/subscribe/", timeout=10_000)
        assert visit.problems == []
    with Visit(browser, sample_url, viewport={"width": 1280, "height": 900}, java_script_enabled=False) as visit:
        page = visit.page
        # Until the network is idle: Chromium asks for the favicon after "load", and a click before it arrives
        # aborts that request (a "failed" request in a busy run, not a fault of the page).
        page.goto(sample_url + later, wait_until="networkidle")
        entries = page.locator("nav.md-nav--primary a.md-nav__link")
        assert [entries.nth(n).inner_text() for n in range(entries.count())][:3] == ["Home", "Top papers", "Watch list"]
        assert entries.filter(has_text="Topics").is_visible()
        entries.filter(has_text="Topics").click()
        page.wait_for_url("**/topics/")
        assert visit.problems == []
