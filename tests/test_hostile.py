"""Hostile input end to end: every value of tests/fixtures/hostile shows as the exact text a reader expects.

The corpus is built into a real site (``digest build`` and ``mkdocs build --strict``). Each
paper's title, abstract and authors are then checked in its page (heading, ``<title>``,
meta description, body), in the search index, and in the feeds; nothing from the data may
become an element, an attribute, a link to ``javascript:``/``data:``, an evaluated template
or an included file. The browser tests (at the end) look for dialogs and script effects.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml

from generator import latex_text, mathml
from generator.escape import WHITESPACE
from generator.merge import merge_papers
from generator.model import Paper
from generator.render import summary
from generator.search import DOCS_DIR
from generator.slugs import slugify
from generator.sources import read_all
from tests.browser import serve
from tests.conftest import FIXTURES, make_project, mkdocs_build, run_digest
from tests.pages import built_paper_pages

HOSTILE = FIXTURES / "hostile"
SITE_NAME = "Paper Digest"
# What a page may contain inside its article when the data is hostile: our own markup only.
ARTICLE_TAGS = {"article", "h1", "h2", "h3", "p", "strong", "a", "ul", "li"}
ARTICLE_TAGS |= {"table", "thead", "tbody", "tr", "th", "td"}
# The reading layout's own elements (templates/*.md.j2, the trends chart) and MathML from TeX.
ARTICLE_TAGS |= {"div", "span", "details", "summary", "time", "nav", "pre", "code", "button"}
ARTICLE_TAGS |= {"figure", "figcaption"}
ARTICLE_TAGS |= {"svg", "title", "rect", "text"} | mathml.ELEMENTS
PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "daemon:x:")

pytestmark = pytest.mark.slow


def fold(value: str) -> str:
    """What a reader sees of a text on a page: runs of whitespace are one space."""
    return WHITESPACE.sub(" ", value).strip()


def as_shown(value: str) -> str:
    """What a reader sees of a title or an abstract: its LaTeX text markup decoded (``\\_`` is "_"), folded."""
    return fold(latex_text.plain(value))


class Page(HTMLParser):
    """The parts of a built page the tests look at, and every element and attribute it has."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.text: dict[str, list[str]] = {}
        self.meta: dict[str, str] = {}
        self.headerlink = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes, tuple(self.stack)))
        if tag == "meta" and attributes.get("name"):
            self.meta[str(attributes["name"])] = str(attributes.get("content"))
        if tag == "a" and attributes.get("class") == "headerlink":
            self.headerlink = True
        if tag not in ("meta", "link", "img", "br", "hr", "input", "source", "wbr"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
        if tag == "a":
            self.headerlink = False

    def handle_data(self, data: str) -> None:
        if not self.headerlink and self.stack:
            self.text.setdefault(self.stack[-1], []).append(data)
            if "article" in self.stack:
                self.text.setdefault("article", []).append(data)

    def article_elements(self) -> list[tuple[str, dict[str, str | None]]]:
        return [(tag, attrs) for tag, attrs, parents in self.elements if "article" in parents or tag == "article"]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def fragment_text(html: str) -> tuple[str, set[str]]:
    """The text an HTML fragment shows, and the tags it contains."""
    page = parse(f"<div>{html}</div>")
    return "".join(page.text.get("div", []) + page.text.get("p", [])), {tag for tag, _, _ in page.elements} - {"div"}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    project = make_project(folder, papers=HOSTILE / "issues", topics=HOSTILE / "topics.yml")
    run_digest("build", "--quiet", cwd=project)
    mkdocs_build(project)
    return project


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    """The corpus as the readers hand it on: the text every output must show."""
    results, _ = read_all([HOSTILE / "issues"])
    return merge_papers(paper for result in results for paper in result.papers)


def test_the_corpus_is_read_whole(papers: list[Paper]) -> None:
    assert len(papers) == 18
    # The right-to-left override the listing gives a title is dropped as it is read (one left open would turn round
    # what follows the title: " - Paper Digest" in the page's <title>); its words are kept.
    assert not any("\u202e" in paper.title for paper in papers)
    assert any(paper.title.startswith("Jackal gnp.exe right-to-left") for paper in papers)
    assert any("{{ 7*7 }}" in paper.title for paper in papers)


def test_every_page_shows_titles_abstracts_and_authors_as_exact_text(hostile_site: Path, papers: list[Paper]) -> None:
    for paper in papers:
        html = (hostile_site / "site" / "papers" / paper.id / "index.html").read_text(encoding="utf-8")
        page = parse(html)
        assert "".join(page.text["h1"]) == as_shown(paper.title)
        assert "".join(page.text["title"]) == f"{as_shown(paper.title)} - {SITE_NAME}"
        assert page.meta["description"] == summary(latex_text.plain(paper.abstract))
        body = "".join(page.text["article"])
        assert as_shown(paper.abstract) in body, paper.title
        if paper.authors:
            shown = "".join(page.text["div"])  # the authors line is a div; more than six fold into <details>
            assert all(fold(name) in shown for name in paper.authors), paper.authors


def test_no_element_attribute_or_link_comes_from_the_data(hostile_site: Path, papers: list[Paper]) -> None:
    pages = [hostile_site / "site" / "papers" / paper.id / "index.html" for paper in papers]
    pages += list((hostile_site / "site" / "topics").rglob("index.html"))
    pages += list((hostile_site / "site" / "issues").rglob("index.html"))
    pages.append(hostile_site / "site" / "index.html")
    for path in pages:
        page = parse(path.read_text(encoding="utf-8"))
        for tag, attrs in page.article_elements():
            assert tag in ARTICLE_TAGS, (path, tag, attrs)
            assert not [name for name in attrs if name.startswith("on")], (path, tag, attrs)
            href = attrs.get("href") or ""
            assert not href.lower().startswith(("javascript:", "data:", "vbscript:")), (path, href)
        for tag, attrs, _ in page.elements:  # the whole page, Material's parts included
            assert not [name for name in attrs if name.startswith("on")], (path, tag, attrs)


def test_no_link_from_the_data_holds_a_quote_or_what_no_url_may_hold(hostile_site: Path, papers: list[Paper]) -> None:
    """Badger's code link holds '"><script>': escaped, it could not end the attribute, but it stayed in the URL
    as a '"' (an href the HTML checker rejects, sent as it is by some clients); the signals line left it so."""
    pages = [hostile_site / "site" / "papers" / paper.id / "index.html" for paper in papers]
    pages += list((hostile_site / "site" / "issues").rglob("index.html"))
    links = 0
    for path in pages:
        for tag, attrs in parse(path.read_text(encoding="utf-8")).article_elements():
            href = attrs.get("href") or ""
            if tag == "a" and href.startswith("https://example.org/"):
                links += 1
                assert not re.search(r'[\s"<>\\^`{|}]', href), (path, href)
    assert links > 0


def test_no_template_was_evaluated_and_no_file_included(hostile_site: Path) -> None:
    for folder in ("content", "site"):
        for path in (hostile_site / folder).rglob("*"):
            if path.is_file() and path.suffix in (".md", ".html", ".xml", ".json"):
                text = path.read_text(encoding="utf-8")
                assert not [marker for marker in PASSWD_MARKERS if marker in text], path
    flamingo = built_paper_pages(hostile_site / "site")[0]
    for path in built_paper_pages(hostile_site / "site"):
        if "Flamingo" in "".join(parse(path.read_text(encoding="utf-8")).text["h1"]):
            flamingo = path
    page = parse(flamingo.read_text(encoding="utf-8"))
    heading = "".join(page.text["h1"])
    assert "{{ 7*7 }}" in heading and "{% for x in range(3) %}loop{% endfor %}" in heading
    assert "49" not in heading and "looploop" not in heading


def test_topic_names_and_descriptions_are_text_in_pages_titles_and_nav(hostile_site: Path) -> None:
    name = "<img src=x onerror=window.__pwned=41> Hostile {{ 7*7 }}"
    topic = next(p for p in (hostile_site / "site" / "topics").glob("img-*/index.html"))
    page = parse(topic.read_text(encoding="utf-8"))
    assert "".join(page.text["h1"]) == name
    assert "".join(page.text["title"]) == f"{name} - {SITE_NAME}"
    assert "Descriptions are text too: <script>window.__pwned=42</script> [x](javascript:alert(42))" in "".join(
        page.text["article"]
    )
    home = parse((hostile_site / "site" / "index.html").read_text(encoding="utf-8"))
    assert [tag for tag, _ in home.article_elements() if tag in ("img", "script")] == []


def test_the_search_index_holds_the_text_as_escaped_html(hostile_site: Path, papers: list[Paper]) -> None:
    folder = hostile_site / "site" / "search" / "papers" / DOCS_DIR
    shards = [json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*.json")]
    entries = {entry[0]: entry for shard in shards for entry in shard}
    for paper in papers:
        _location, title_html, detail_html = entries[f"papers/{paper.id}/"]
        # Material's result list puts title and text into the page as HTML: they must show as the text, with no element.
        title, tags = fragment_text(title_html)
        assert (title, tags) == (as_shown(paper.title), set()), title_html
        details, tags = fragment_text(detail_html)
        assert tags == set() and all(fold(name) in details for name in paper.authors[:6])


def test_feeds_carry_the_exact_text_and_no_markup_from_the_data(hostile_site: Path, papers: list[Paper]) -> None:
    # An entry's id is its paper's, or the id 0.1.3 gave it (a title with HTML references, read since as characters)
    by_id = {paper.feed_id if paper.feed_id in paper.aliases else paper.id: paper for paper in papers}
    atom = {"a": "http://www.w3.org/2005/Atom"}
    root = ElementTree.parse(hostile_site / "site" / "atom.xml").getroot()
    entries = root.findall("a:entry", atom)
    assert len(entries) == len(papers)
    for entry in entries:
        paper = by_id[entry.findtext("a:id", namespaces=atom).rsplit("/", 1)[-1]]
        assert entry.findtext("a:title", namespaces=atom) == latex_text.plain(paper.title)
        assert [a.findtext("a:name", namespaces=atom) for a in entry.findall("a:author", atom)] == list(paper.authors)
        content = entry.find("a:content", atom)
        assert content is not None and content.get("type") == "html"
        shown, tags = fragment_text(content.text or "")
        assert as_shown(paper.abstract) in fold(shown)
        assert tags <= {"p", "a"}
        links = parse(content.text or "")
        assert all(
            str(attrs.get("href", "")).startswith("https://") for tag, attrs, _ in links.elements if tag == "a"
        )
    for name in ("atom.xml", "rss.xml"):
        feed = feedparser.parse((hostile_site / "site" / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        titles = sorted(fold(entry.title) for entry in feed.entries)
        assert titles == sorted(as_shown(paper.title) for paper in papers)


@pytest.fixture(scope="module")
def hostile_issue_feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus built with ``feeds.mode: issues``: titles become link labels inside each entry's HTML."""
    project = make_project(tmp_path_factory.mktemp("hostile-issues"), papers=HOSTILE / "issues",
                           topics=HOSTILE / "topics.yml")
    (project / "digest.yml").write_text("feeds:\n  mode: issues\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    return project / "content"


def test_issue_feeds_carry_the_exact_titles_and_no_markup_from_the_data(
    hostile_issue_feeds: Path, papers: list[Paper]
) -> None:
    atom = {"a": "http://www.w3.org/2005/Atom"}
    feeds = [*sorted(hostile_issue_feeds.glob("*.atom.xml")), hostile_issue_feeds / "atom.xml"]
    labels: set[str] = set()
    for path in feeds:
        root = ElementTree.parse(path).getroot()
        entries = root.findall("a:entry", atom)
        assert entries, path.name
        for entry in entries:
            content = entry.find("a:content", atom)
            assert content is not None and content.get("type") == "html"
            page = parse(f"<div>{content.text or ''}</div>")
            tags = {tag for tag, _, _ in page.elements} - {"div"}
            assert tags <= {"p", "a", "ul", "li", "h3"}, (path.name, tags)
            for tag, attrs, _ in page.elements:
                assert not [name for name in attrs if name.startswith("on")], (path.name, tag, attrs)
                if tag == "a":
                    assert str(attrs.get("href", "")).startswith("https://"), (path.name, attrs)
            labels.update(fold(text) for text in page.text.get("a", []))
    # Every paper is listed by its exact title, as the text of its link.
    assert {as_shown(paper.title) for paper in papers} <= labels
    for name in ("atom.xml", "rss.xml"):
        feed = feedparser.parse((hostile_issue_feeds / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")


HOSTILE_SITE_NAME = '</title><script>window.__pwned=51</script> {{ 7*7 }} "quoted" & more'
HOSTILE_DESCRIPTION = '"><script>window.__pwned=52</script> [x](javascript:alert(52))'


def test_the_site_name_and_description_are_text_in_every_frame(tmp_path: Path) -> None:
    """Material prints ``site_name`` into ``<title>`` and the header, and ``site_description`` into the meta of pages
    without a description, unescaped: a name holding ``</title><script>`` ran on every page."""
    project = make_project(tmp_path, papers=HOSTILE / "issues" / "2026-11-27.txt", topics=HOSTILE / "topics.yml")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(f"site_name: {SITE_NAME}\n", f"site_name: {json.dumps(HOSTILE_SITE_NAME)}\n")
    (project / "mkdocs.yml").write_text(f"{config}site_description: {json.dumps(HOSTILE_DESCRIPTION)}\n",
                                        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    site = mkdocs_build(project)
    pages = [site / "index.html", site / "404.html", site / "subscribe" / "index.html", *built_paper_pages(site)[:1]]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not [script for script in parse(text).text.get("script", []) if "__pwned" in script], path
        title = re.search("<title>(.*?)</title>", text, re.DOTALL)
        assert title is not None and html.unescape(title.group(1)).endswith(HOSTILE_SITE_NAME), path
        og_name = re.search(r'<meta property="og:site_name" content="([^"]*)">', text)
        assert og_name is None or html.unescape(og_name.group(1)) == HOSTILE_SITE_NAME, path
    not_found = parse((site / "404.html").read_text(encoding="utf-8"))
    assert not_found.meta["description"] == HOSTILE_DESCRIPTION


# --- In a real browser -----------------------------------------------------------------------

WATCH_SCRIPT = "() => ({pwned: window.__pwned, scripts: [...document.querySelectorAll('article script')].length,"
WATCH_SCRIPT += " injected: document.querySelectorAll('article img, article iframe, article object,"
WATCH_SCRIPT += " article svg:not(.digest-trends__chart),"
WATCH_SCRIPT += " article [onclick], article [onerror], article [onload], article [onmouseover],"
WATCH_SCRIPT += " a[href^=\"javascript:\"], a[href^=\"data:\"]').length})"

HEADING_TEXT = """() => {
  const heading = document.querySelector('article h1').cloneNode(true);
  heading.querySelector('.headerlink')?.remove();
  return heading.textContent;
}"""


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serve(hostile_site / "site") as url:
        yield url


def open_watched(browser: object, url: str) -> tuple[object, object, list[str]]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: object) -> None:
        dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: dialogs.append(f"page error: {error}"))
    page.goto(url, wait_until="networkidle")
    return context, page, dialogs


@pytest.mark.browser
def test_no_dialog_opens_and_no_script_from_data_runs_on_any_page(
    browser: object, hostile_url: str, hostile_site: Path, papers: list[Paper]
) -> None:
    paths = ["", "issues/2026-11-28/", "issues/2026-11-27/", "issues/2026-11-26/", "topics/"]
    paths += [f"topics/{p.parent.name}/" for p in (hostile_site / "site" / "topics").glob("*/index.html")]
    paths += [f"papers/{paper.id}/" for paper in papers]
    # The heading a reader must see: the data's text exactly, never a template's result.
    taxonomy = yaml.safe_load((HOSTILE / "topics.yml").read_text(encoding="utf-8"))["topics"]
    expected = {f"papers/{paper.id}/": as_shown(paper.title) for paper in papers}
    expected |= {f"topics/{topic.get('slug') or slugify(topic['name'])}/": fold(topic["name"]) for topic in taxonomy}
    for path in paths:
        context, page, dialogs = open_watched(browser, hostile_url + path)
        page.wait_for_timeout(100)  # type: ignore[attr-defined]
        state = page.evaluate(WATCH_SCRIPT)  # type: ignore[attr-defined]
        heading = page.evaluate(HEADING_TEXT)  # type: ignore[attr-defined]
        context.close()  # type: ignore[attr-defined]
        assert dialogs == [], path
        assert state == {"pwned": None, "scripts": 0, "injected": 0}, path
        if path in expected:
            assert heading == expected[path], path
    paper = next(p for p in papers if p.title.startswith("Aardvark"))
    context, page, _ = open_watched(browser, f"{hostile_url}papers/{paper.id}/")
    heading = page.evaluate(HEADING_TEXT)  # type: ignore[attr-defined]
    assert heading == fold(paper.title)
    assert page.title() == f"{as_shown(paper.title)} - {SITE_NAME}"  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "shown"), [
    ("aardvark", "<script>window.__pwned = 1; alert(1)</script>"),
    ("badger", '<img src=x onerror="window.__pwned = 2; alert(2)">'),
    ("flamingo", "{{ 7*7 }}"),
    ("onload", '<img src=x onerror="window.__pwned = 2; alert(2)">'),  # a word of Badger's hostile abstract only
])
def test_search_results_show_hostile_titles_as_text(browser: object, hostile_url: str, query: str, shown: str) -> None:
    context, page, dialogs = open_watched(browser, hostile_url)
    page.click("input.md-search__input")  # type: ignore[attr-defined]
    page.locator("input.md-search__input").press_sequentially(query, delay=20)  # type: ignore[attr-defined]
    page.wait_for_selector(".md-search-result__item", timeout=10_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(200)  # type: ignore[attr-defined]
    results = page.inner_text(".md-search-result")  # type: ignore[attr-defined]
    injected = page.evaluate(  # type: ignore[attr-defined]
        "() => [window.__pwned, document.querySelectorAll('.md-search-result script, .md-search-result img,"
        " .md-search-result iframe, .md-search-result [onerror], .md-search-result [onclick]').length]"
    )
    context.close()  # type: ignore[attr-defined]
    assert dialogs == []
    assert injected == [None, 0]
    assert shown in results
