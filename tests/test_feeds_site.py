"""Feeds in a real site: autodiscovery on every page, topic pages advertise their own feeds.

The small fixture is built with a real ``mkdocs build --strict`` under a sub-path site URL,
with a topic whose name holds HTML and quote characters (shown as text in link titles).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from tests.conftest import SMALL, make_project, mkdocs_build, run_digest
from tests.feed_checks import atom_problems, rss_problems
from tests.pages import sends_on

pytestmark = pytest.mark.slow

BASE = "https://user.github.io/repo/"
HOSTILE_NAME = 'Sci & <b>"Comp"</b>'


class FeedLinks(HTMLParser):
    """The page's <link rel="alternate"> feeds and its visible links, as (href, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.alternates: list[dict[str, str | None]] = []
        self.anchors: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "alternate" and "xml" in str(attributes.get("type")):
            self.alternates.append(attributes)
        if tag == "a":
            self._href, self._text = attributes.get("href"), []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.anchors.append((self._href, "".join(self._text).strip()))
            self._href = None


def links(page: Path) -> FeedLinks:
    parser = FeedLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    topics = tmp_path_factory.mktemp("topics") / "topics.yml"
    text = (SMALL / "topics.yml").read_text(encoding="utf-8")
    topics.write_text(text.replace("- name: Scientific Computing", f"- name: '{HOSTILE_NAME}'"), encoding="utf-8")
    project = make_project(tmp_path_factory.mktemp("feeds-site"), papers=SMALL / "issues", topics=topics, site_url=BASE)
    run_digest("build", "--quiet", cwd=project)
    return mkdocs_build(project)


def test_every_page_advertises_the_site_feeds(small_site: Path) -> None:
    pages = [page for page in sorted(small_site.rglob("index.html")) if not sends_on(page)]
    assert len(pages) > 10
    for page in pages:
        alternates = links(page).alternates
        titles = {(a["type"], a["title"]) for a in alternates[:2]}
        expected = {("application/atom+xml", "Paper Digest (Atom)"), ("application/rss+xml", "Paper Digest (RSS)")}
        assert titles == expected, page
        for alternate in alternates[:2]:
            target = (page.parent / str(alternate["href"])).resolve()
            assert target.name in ("atom.xml", "rss.xml") and target.parent == small_site.resolve(), page


def test_topic_pages_advertise_their_own_feeds_with_readable_titles(small_site: Path) -> None:
    for slug, name in (("language-models", "Language Models"), ("science", HOSTILE_NAME)):
        page = small_site / "topics" / slug / "index.html"
        found = links(page)
        own = [(a["type"], a["title"], a["href"]) for a in found.alternates[2:]]
        assert own == [
            ("application/atom+xml", f"Paper Digest: {name} (Atom)", f"../../{slug}.atom.xml"),
            ("application/rss+xml", f"Paper Digest: {name} (RSS)", f"../../{slug}.rss.xml"),
        ]
        visible = dict((text, href) for href, text in found.anchors)
        assert visible["Atom"] == f"../../{slug}.atom.xml" and visible["RSS"] == f"../../{slug}.rss.xml"
    html = (small_site / "topics" / "science" / "index.html").read_text(encoding="utf-8")
    assert "<b>" not in html.split("<body", 1)[0]  # the name stays text in <head>
    # Other pages have the site feeds only.
    assert len(links(small_site / "index.html").alternates) == 2



def test_the_page_each_feed_names_advertises_that_feed(small_site: Path) -> None:
    """The page a feed names as its rel=alternate (the OPML's htmlUrl): a reader given that page's address (the archive
    for the issues feed, a topic's page) finds the feed there, not only the site's."""
    for atom in sorted(small_site.glob("*.atom.xml")):
        feed = feedparser.parse(atom.read_bytes())
        page_url = next(link.href for link in feed.feed.links if link.rel == "alternate")
        page = small_site / page_url.removeprefix(BASE) / "index.html"
        advertised = {(page.parent / str(alternate["href"])).resolve() for alternate in links(page).alternates}
        rss = "rss.xml" if atom.name == "atom.xml" else atom.name.removesuffix("atom.xml") + "rss.xml"
        assert {atom.resolve(), (small_site / rss).resolve()} <= advertised, (atom.name, page)


def test_the_feeds_are_served_at_the_root_and_valid(small_site: Path) -> None:
    atom = (small_site / "science.atom.xml").read_bytes()
    assert atom_problems(atom) == [] and rss_problems((small_site / "science.rss.xml").read_bytes()) == []
    feed = feedparser.parse(atom)
    assert feed.feed.title == f"Paper Digest: {HOSTILE_NAME}"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [BASE + "science.atom.xml"]
    assert (small_site / "feeds.opml").is_file()


def test_the_subscribe_page_lists_every_feed_and_the_opml_with_a_how_to(small_site: Path) -> None:
    found = links(small_site / "subscribe" / "index.html")
    shown = {text: href for href, text in found.anchors if text.startswith(BASE)}
    feeds = sorted(p.name for p in small_site.glob("*.xml") if p.name != "sitemap.xml")
    assert sorted(shown) == sorted(BASE + name for name in [*feeds, "feeds.opml"])
    assert all(href == "../" + text.removeprefix(BASE) for text, href in shown.items())
    text = re.sub(r"<[^>]+>", " ", (small_site / "subscribe" / "index.html").read_text(encoding="utf-8"))
    assert "into your feed reader" in text and "import the OPML file" in text


def test_a_site_in_another_language_says_so_in_its_feeds_email_and_alias_pages(tmp_path: Path) -> None:
    """With `theme.language: fr` Material's pages said lang="fr", but the feeds said xml:lang="en" (readers pick
    hyphenation and voices by it), as did the email's HTML part and the pages at a paper's former address."""
    import email
    from email import policy

    project = make_project(tmp_path / "site", papers=SMALL, site_url=BASE)
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "theme:\n  language: fr\n", encoding="utf-8")
    issues = project / "data" / "issues"
    (issues / "2026-04-10.yaml").write_text(
        "date: 2026-04-10\npapers:\n  - title: Protein Design with Sparse Experts\n"
        "    abstract: We scale sparse mixture of experts models to design proteins.\n    arxiv: '2604.01234'\n",
        encoding="utf-8")
    # An earlier issue listing it by title: the arXiv id's address becomes a page sending readers on.
    (issues / "2020-01-01.txt").write_text(
        "Protein Design with Sparse Experts\nWe scale sparse mixture of experts models to design proteins.\n",
        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    atom = feedparser.parse((content / "atom.xml").read_bytes())
    assert atom.feed.get("language") == "fr" and 'xml:lang="fr"' in (content / "atom.xml").read_text("utf-8")
    assert "<language>fr</language>" in (content / "rss.xml").read_text(encoding="utf-8")
    assert '<html lang="fr">' in (content / "papers" / "2604.01234" / "index.html").read_text(encoding="utf-8")
    site = mkdocs_build(project)
    assert '<html lang="fr"' in (site / "index.html").read_text(encoding="utf-8")  # Material's, as before
    out = tmp_path / "issue.eml"
    run_digest("email", "--out", str(out), cwd=project)
    message = email.message_from_bytes(out.read_bytes(), policy=policy.default)
    html = message.get_body(preferencelist=("html",))
    assert html is not None and '<html lang="fr">' in html.get_content()
