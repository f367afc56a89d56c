"""Listing pages outside the navigation, assembled from one frame (generator/listing_pages.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from markdown.extensions.toc import slugify, unique
from mkdocs.utils.meta import get_data

from generator import listing_pages
from generator.mkdocs_hooks import nav_sources
from generator.slugs import page_url
from tests.conftest import FIXTURES, make_project, run_digest, run_mkdocs, tree

PAGE = """---
title: "Issue of 2026-11-27"
description: "3 papers first listed on 2026-11-27, by topic."
search:
  exclude: true
---

# Issue of 2026-11-27

<!-- digest:html -->
<p>3 papers first listed in this issue, by topic.</p>
<!-- digest:end -->

## Code &#38; Software Engineering

<!-- digest:html -->
<ul>
<li><a href="../../papers/x/">X</a></li>
</ul>
<!-- digest:end -->

## Vision — 3D &#38; 4D

<!-- digest:html -->
<ul>
<li>Y</li>
</ul>
"""


def test_a_generated_issue_page_is_taken_with_its_parts() -> None:
    listing = listing_pages.parse("issues/2026-11-27.md", PAGE, get_data)
    assert listing is not None
    assert (listing.url, listing.title, listing.feed) == ("issues/2026-11-27/", "Issue of 2026-11-27", None)
    assert [level for level, _ in listing.parts] == [1, 0, 2, 0, 2, 0]
    assert listing.parts[2] == (2, "Code &#38; Software Engineering")
    assert listing.parts[5] == (0, "<ul>\n<li>Y</li>\n</ul>\n")  # a block may run to the end of the page


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("<!-- digest:html -->\n<p>3 papers", "3 papers *first*\n\n<!-- digest:html -->\n<p>3 papers"), "a paragraph"),
        (("## Code &#38; Software", "## Code *and* Software"), "emphasis in a heading"),
        (("## Code &#38; Software", "## Code & Software"), "a bare ampersand"),
        (("## Code &#38; Software Engineering", "## Code {#code}"), "an attribute list"),
        (("## Code &#38; Software Engineering", "## Code ##"), "closing hashes"),
        (("## Code &#38; Software Engineering", "# Code"), "a second title"),
        (("## Code &#38; Software Engineering", "### Code"), "a third level"),
        (("search:\n  exclude: true\n", ""), "a page that search indexes"),
        (('description: "3 papers first listed on 2026-11-27, by topic."\n', ""), "no description"),
        (("search:\n", "hide: [toc]\nsearch:\n"), "a setting the frame does not carry"),
        (("<p>3 papers", "<p>3 papers"), None),
    ],
)
def test_anything_but_headings_and_html_blocks_is_left_to_mkdocs(change: tuple[str, str], why: str | None) -> None:
    source = PAGE.replace(*change)
    assert source != PAGE or why is None
    taken = listing_pages.parse("issues/2026-11-27.md", source, get_data)
    assert (taken is None) == (why is not None), why


def test_index_pages_and_pages_outside_folders_stay_with_mkdocs() -> None:
    assert listing_pages.parse("issues/index.md", PAGE, get_data) is None
    feed = PAGE.replace("search:", "feed_slug: Not A Slug\nsearch:")
    assert listing_pages.parse("topics/x/page-2.md", feed, get_data) is None
    good = PAGE.replace("search:", 'feed_slug: agents\nfeed_title: "Digest&#58; Agents"\nsearch:')
    listing = listing_pages.parse("topics/agents/page-2.md", good, get_data)
    assert listing is not None and listing.feed == ("agents", "Digest&#58; Agents")
    assert listing.url == "topics/agents/page-2/"


def unique_of_markdown_before_3_11_3(id: str, ids: set[str]) -> str:
    """Python-Markdown's ``unique`` as every release before 3.11.3 has it: two arguments (pyproject allows 3.3.6 on)."""
    return unique(id, ids)


@pytest.mark.parametrize("unique", [unique, unique_of_markdown_before_3_11_3], ids=["installed", "before-3.11.3"])
def test_heading_ids_are_the_toc_extensions(unique: Callable[..., str]) -> None:
    """The same ids as Python-Markdown gives: slugified text, a repeated one numbered. With a Markdown older than
    3.11.3, ``mkdocs build`` of a site with a second page of a topic stopped on a TypeError here."""
    import markdown

    text = "# Top &#38; Bottom\n\n## Café — 3D &#38; 4D\n\n## Top &#38; Bottom\n\n## Café — 3D &#38; 4D\n"
    converter = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {"permalink": True}})
    expected = converter.convert(text)
    headings = listing_pages.Headings(
        listing_pages.split_heading('<h1 id="tid">TEXT<a class="headerlink" href="#tid" title="Permanent link">'
                                    "&para;</a></h1>", "tid", "TEXT"),
        listing_pages.split_heading('<h2 id="sid">TEXT<a class="headerlink" href="#sid" title="Permanent link">'
                                    "&para;</a></h2>", "sid", "TEXT"),
        slugify, "-")
    parts = [(1, "Top &#38; Bottom"), (2, "Café — 3D &#38; 4D"), (2, "Top &#38; Bottom"), (2, "Café — 3D &#38; 4D")]
    body, first, toc = headings.render(parts, unique)
    assert body == expected
    assert first == "top-bottom"
    assert [anchor for anchor, _ in toc] == ["cafe-3d-4d", "top-bottom_1", "cafe-3d-4d_1"]


def test_a_frame_without_its_slots_is_refused() -> None:
    content = '<h1 id="t">DigestPageShellTitle</h1>\n<p>DigestPageShellBody</p>'
    with pytest.raises(listing_pages.FrameError, match="headings"):
        listing_pages.cut(f"<html>{content}</html>", content, "issues/digest-page-shell/", {}, slugify)
    with pytest.raises(listing_pages.FrameError, match="settings"):
        listing_pages.cut("<html></html>", "x", "issues/digest-page-shell/", {"baselevel": 2}, slugify)


def test_nav_sources_finds_every_listed_file() -> None:
    nav = [{"Home": "index.md"}, {"Topics": ["topics/index.md", {"A": "topics/a/index.md"}]}, "about.md"]
    assert nav_sources(nav) == {"index.md", "topics/index.md", "topics/a/index.md", "about.md"}


def build(project: Path, config: str, site_dir: str) -> subprocess.CompletedProcess[str]:
    return run_mkdocs(project, site_dir, config=config)


def with_setting(project: Path, name: str, setting: str) -> str:
    """A copy of the project's MkDocs config whose paper-digest plugin has ``setting``; its file name."""
    base = (project / "mkdocs.base.yml").read_text(encoding="utf-8")
    assert "  - paper-digest\n" in base
    (project / f"{name}.base.yml").write_text(base.replace("  - paper-digest\n", f"  - paper-digest:\n{setting}"),
                                               encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / f"{name}.yml").write_text(config.replace("INHERIT: mkdocs.base.yml", f"INHERIT: {name}.base.yml"),
                                         encoding="utf-8")
    return f"{name}.yml"


def locations(sitemap: bytes) -> list[str]:
    return sorted(re.findall(r"<loc>([^<]+)</loc>", sitemap.decode("utf-8")))


def taken_pages(content: Path) -> list[str]:
    """The Markdown pages of ``content`` that the hook assembles: not in the navigation, and only headings and
    HTML blocks (every group's first page is rendered by MkDocs all the same, to check the frame against)."""
    listed = nav_sources(yaml.safe_load((content / ".nav.yml").read_text(encoding="utf-8")))
    return sorted(
        path.relative_to(content).as_posix() for path in content.rglob("*.md")
        if path.relative_to(content).as_posix() not in listed
        and listing_pages.parse(path.relative_to(content).as_posix(), path.read_text(encoding="utf-8"), get_data)
    )


@pytest.mark.slow
def test_assembled_listing_pages_are_the_pages_mkdocs_renders(sample_site: Path, tmp_path: Path) -> None:
    """The sample site (every page kind, later pages of issues, topics, top, watch and picks) built with and
    without ``fast_pages``: every file the same, byte for byte, and the sitemap lists the same pages; MkDocs' log
    has no line per page about links to "excluded" pages."""
    project = tmp_path / "project"
    shutil.copytree(sample_site.parent, project, ignore=shutil.ignore_patterns("site"))
    settings = (project / "digest.yml").read_text(encoding="utf-8").replace("topic_page_size: 10", "topic_page_size: 4")
    (project / "digest.yml").write_text(settings + "nav_issues: 1\n", encoding="utf-8")  # more pages out of the nav
    for date in ("2026-09-07", "2026-10-05"):  # earlier weeks and months of top papers: the same upvoted papers
        shutil.copy(FIXTURES / "signals" / "2026-11-29-hf.json", project / "data" / "issues" / f"{date}-hf.json")
    run_digest("build", "--quiet", cwd=project)
    taken = taken_pages(project / "content")
    groups = Counter((name.split("/")[0], page_url(name).count("/")) for name in taken)
    # In every listing kind some pages are assembled (a group's first page is MkDocs' own, to check against).
    kinds = (("issues", 2), ("topics", 3), ("top", 2), ("picks", 2), ("watch", 2))
    assert all(groups[kind] >= 2 for kind in kinds), groups

    result = build(project, "mkdocs.yml", "site-fast")
    assert result.returncode == 0, result.stderr
    assert "excluded from the built site" not in result.stderr + result.stdout
    result = build(project, with_setting(project, "slow", "      fast_pages: false\n"), "site-slow")
    assert result.returncode == 0, result.stderr
    fast, slow = tree(project / "site-fast"), tree(project / "site-slow")
    assert sorted(fast) == sorted(slow)
    different = [name for name in fast if fast[name] != slow[name] and not name.startswith("sitemap.xml")]
    assert different == []
    assert locations(fast["sitemap.xml"]) == locations(slow["sitemap.xml"])
    for name in taken:  # written by the hook, listed for instant navigation
        url = page_url(name)
        assert f"{url}index.html" in fast
        assert any(location.endswith("/" + url) for location in locations(fast["sitemap.xml"]))
    assert not [name for name in fast if listing_pages.NAME in name]
    assert not [name for name, data in fast.items() if b"DigestPageShell" in data or b"digest-page-shell" in data]


@pytest.mark.slow
def test_a_theme_that_writes_each_pages_source_gets_its_pages_rendered_one_by_one(sample_site: Path,
                                                                                   tmp_path: Path) -> None:
    """A frame that differs per page (here a theme override that prints the page's source file in the head)
    cannot be filled in: those pages go through MkDocs after all, the log says so, and the site is the one
    ``fast_pages: false`` builds, file for file."""
    project = tmp_path / "project"
    shutil.copytree(sample_site.parent, project, ignore=shutil.ignore_patterns("site"))
    overrides = project / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}{{ super() }}{% if page and page.file %}'
        '<meta name="x-source" content="{{ page.file.src_uri }}">{% endif %}{% endblock %}\n', encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config + "\ntheme:\n  name: material\n  custom_dir: overrides\n",
                                        encoding="utf-8")
    fast = build(project, "mkdocs.yml", "site-a")
    assert fast.returncode == 0, fast.stderr
    assert "rendered one by one" in fast.stderr and "Traceback" not in fast.stderr
    slow = build(project, with_setting(project, "slow", "      fast_pages: false\n"), "site-b")
    assert slow.returncode == 0, slow.stderr
    fast_tree, slow_tree = tree(project / "site-a"), tree(project / "site-b")
    assert sorted(fast_tree) == sorted(slow_tree)
    assert [name for name in fast_tree if fast_tree[name] != slow_tree[name] and not name.startswith("sitemap")] == []
    assert locations(fast_tree["sitemap.xml"]) == locations(slow_tree["sitemap.xml"])
    page = taken_pages(project / "content")[-1]
    html = fast_tree[f"{page_url(page)}index.html"].decode("utf-8")
    assert f'<meta name="x-source" content="{page}">' in html


@pytest.mark.slow
def test_hostile_topic_names_in_assembled_pages_are_text(tmp_path: Path) -> None:
    """The hostile fixture (a topic named with an <img> tag and template code, emoji, bidi controls in titles),
    with issues and a topic's later pages out of the navigation: assembled pages equal MkDocs' own, and the
    hostile name is a heading's text, never an element."""
    project = make_project(tmp_path / "hostile", papers=FIXTURES / "hostile" / "issues",
                           topics=FIXTURES / "hostile" / "topics.yml")
    (project / "digest.yml").write_text("nav_issues: 1\ntopic_page_size: 2\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    taken = taken_pages(project / "content")
    groups = Counter((name.split("/")[0], page_url(name).count("/")) for name in taken)
    assert groups[("issues", 2)] >= 2 and groups[("topics", 3)] >= 2, groups
    fast = build(project, "mkdocs.yml", "site-fast")
    assert fast.returncode == 0, fast.stderr
    slow = build(project, with_setting(project, "slow", "      fast_pages: false\n"), "site-slow")
    assert slow.returncode == 0, slow.stderr
    fast_tree, slow_tree = tree(project / "site-fast"), tree(project / "site-slow")
    assert sorted(fast_tree) == sorted(slow_tree)
    assert [name for name in fast_tree if fast_tree[name] != slow_tree[name] and not name.startswith("sitemap")] == []
    pages = {name: fast_tree[f"{page_url(name)}index.html"].decode("utf-8") for name in taken}
    assert not [name for name, html in pages.items() if "<img" in html]
    headed = [name for name, html in pages.items() if re.search(r'<h2 id="[^"]*">&#60;img src&#61;x onerror', html)]
    assert [name for name in headed if name.startswith("issues/")], "the hostile name heads no assembled issue page"
