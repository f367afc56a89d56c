"""End to end: the bundled paper list through the generator and a real ``mkdocs build --strict``."""

import re
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from generator.sources.listing import read_listing
from tests.conftest import SEED, make_project, mkdocs_build, run_digest

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_seed_paper_has_a_page_and_a_topic(seed_site: Path) -> None:
    papers = read_listing(SEED.read_bytes(), "seed").papers
    site = seed_site / "site"
    topic_pages = "".join(p.read_text(encoding="utf-8") for p in (site / "topics").rglob("index.html"))
    topic_pages += "".join(p.read_text(encoding="utf-8") for p in (site / "topics").rglob("page-*/index.html"))
    for paper in papers:
        assert (site / "papers" / paper.id / "index.html").is_file(), paper.title
        assert f'href="../../papers/{paper.id}/"' in topic_pages, paper.title


def test_site_feeds_parse_with_feedparser(seed_site: Path) -> None:
    for name, version in (("atom.xml", "atom10"), ("rss.xml", "rss20")):
        feed = feedparser.parse((seed_site / "site" / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        assert len(feed.entries) == 50
        papers = "https://paper-digest.github.io/paper-digest/papers/"
        assert all(entry.link.startswith(papers) for entry in feed.entries)
        assert len({entry.id for entry in feed.entries}) == 50


def test_every_page_advertises_the_feeds(seed_site: Path) -> None:
    site = seed_site / "site"
    for page in ("index.html", "topics/reasoning/index.html", "issues/2026-11-27/index.html", "about/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert 'type="application/atom+xml"' in html and "atom.xml" in html, page
        assert 'type="application/rss+xml"' in html, page
    topic = (site / "topics/reasoning/index.html").read_text(encoding="utf-8")
    assert "reasoning.atom.xml" in topic


def test_navigation_lists_topics_and_issues_but_not_papers(seed_site: Path) -> None:
    html = (seed_site / "site" / "index.html").read_text(encoding="utf-8")
    nav = " ".join(re.findall(r'<a href="([^"]*)" class="md-nav__link', html))
    assert "topics/reasoning/" in nav
    assert "issues/2026-11-27/" in nav
    assert "papers/" not in nav


def test_hand_written_page_is_kept_and_in_the_nav(seed_site: Path) -> None:
    assert (seed_site / "content" / "about.md").read_text(encoding="utf-8") == "# About\n\nHand-written.\n"
    assert (seed_site / "site" / "about" / "index.html").is_file()


def test_two_builds_give_identical_content_and_site(tmp_path: Path, seed_site: Path) -> None:
    project = make_project(tmp_path / "again")
    run_digest("build", "--quiet", cwd=project)
    assert tree(project / "content") == tree(seed_site / "content")
    epoch = run_digest("epoch", cwd=project).stdout.strip()
    first = mkdocs_build(project, "site-a", env={"SOURCE_DATE_EPOCH": epoch})
    second = mkdocs_build(project, "site-b", env={"SOURCE_DATE_EPOCH": epoch})
    assert tree(first) == tree(second)


def test_no_third_party_urls_are_loaded_by_pages(seed_site: Path) -> None:
    html = (seed_site / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_make_site_command_works_from_a_clean_checkout(tmp_path: Path) -> None:
    """The README's site command, run on a copy of the repository (venv reused to stay fast)."""
    root = Path(__file__).resolve().parent.parent
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", "site"], cwd=root, capture_output=True, text=True, check=True)
    assert "mkdocs build --strict" in result.stdout
    assert "SOURCE_DATE_EPOCH" in result.stdout
