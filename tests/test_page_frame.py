"""Every other page's palette toggle and search dialog come from one shared script (generator/page_frame.py)."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator import page_frame, paper_frame
from tests.conftest import make_project, mkdocs_build, run_digest
from tests.test_paper_pages import PALETTE_AND_SEARCH

HEADER = (
    '<header><a href="../.." class="md-logo">L</a>\n<div class="md-header__title">Page</div>\n'
) + PALETTE_AND_SEARCH


SETTINGS = (
    '<div class="md-dialog" data-md-component="dialog">\n<div class="md-dialog__inner md-typeset"></div>\n</div>\n'
    '<script id="__config" type="application/json">{"base": "ROOT", "search": "UP/assets/javascripts/w.js"}</script>\n'
    '<script>\n(function () {\nvar element = document.getElementById("__config");\n'
    'settings.search = "UP/assets/digest/search-worker.js";\n})();\n</script>'
)


def page(title: str, root: str) -> str:
    base = root.rstrip("/") or "."
    return HEADER.replace("Page", title) + "<main></main>\n" + SETTINGS.replace("ROOT", base).replace("UP/", root)


def test_the_parts_move_to_one_script_and_come_back_whole_at_every_depth() -> None:
    frame = page_frame.PageFrame()
    assert frame.move(HEADER, "../../") == HEADER and frame.script is None  # the script needs both parts
    first = frame.move(page("Page", "../../"), "../../")
    assert frame.script is not None and re.fullmatch(r"assets/digest/page-frame\.[0-9a-f]{10}\.js", frame.script.path)
    tag = f'<script src="../../{frame.script.path}" data-part='
    assert first == ('<header><a href="../.." class="md-logo">L</a>\n<div class="md-header__title">Page</div>\n'
                     f'{tag}"header"></script><span>after</span></header><main></main>\n{tag}"settings"></script>')
    assert paper_frame.restore_script_only_parts(first, frame.script) == page("Page", "../../")
    # The settings name the site's root by tokens that the script replaces with the page's own way up.
    settings = json.loads(frame.script.text.split("var parts = ", 1)[1].split(";\n", 1)[0])["settings"]
    assert '"base": "DigestBase"' in settings and '"DigestRoot/assets/digest/search-worker.js"' in settings
    for root in ("", "../", "../../../"):
        other = frame.move(page("Home", root), root)
        assert other.count(f'<script src="{root}{frame.script.path}" data-part=') == 2, root
        assert paper_frame.restore_script_only_parts(other, frame.script, root) == page("Home", root)
    # A page whose part differs (a theme that made it page-specific) keeps that part; one without them is as it was.
    different = page("Page", "../").replace("<div>r</div>", "<div>s</div>")
    moved = frame.move(different, "../")
    assert "<div>s</div>" in moved and "__config" not in moved and frame.move("<p>x</p>", "") == "<p>x</p>"
    assert "var topic = false;" in frame.script.text and "</b>" not in frame.script.text


@pytest.mark.parametrize(("url", "root"), [("", ""), ("issues/", "../"), ("topics/x/page-2/", "../../../"),
                                           ("404.html", None)])
def test_the_way_to_the_root_of_a_page(url: str, root: str | None) -> None:
    assert page_frame.root_of(url) == root


@pytest.mark.slow
def test_every_page_but_the_404_page_shares_the_script(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    run_digest("build", "--quiet", cwd=project)
    site = mkdocs_build(project)
    scripts = list((site / "assets" / "digest").glob("page-frame.*.js"))
    assert len(scripts) == 1
    script = paper_frame.FrameScript(f"assets/digest/{scripts[0].name}", scripts[0].read_text(encoding="utf-8"))
    pages = [path for path in site.rglob("index.html") if path.relative_to(site).parts[0] not in ("papers", "authors")]
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        root = "../" * (len(path.relative_to(site).parts) - 1)
        assert 'data-md-component="search"' not in text and "__config" not in text, path
        assert text.count(f'<script src="{root}{script.path}" data-part="header"></script>') == 1, path
        assert text.count(f'<script src="{root}{script.path}" data-part="settings"></script>') == 1, path
        restored = paper_frame.restore_script_only_parts(text, script, root)
        assert 'data-md-component="search"' in restored and f'"base": "{root.rstrip("/") or "."}"' in restored
        assert f'"{root}assets/digest/search-worker.js"' in restored
    assert 'data-md-component="search"' in (site / "404.html").read_text(encoding="utf-8")
    # Material's search worker, its lunr languages and the source maps are loaded by no page: not in the site
    # (the browser tests search every kind of page, and fail on any request that is not answered).
    assert not (site / "assets" / "javascripts" / "workers").exists()
    assert not (site / "assets" / "javascripts" / "lunr").exists() and not list(site.rglob("*.map"))
    assert (site / "assets" / "javascripts").is_dir() and (site / "assets" / "digest" / "search-worker.js").is_file()


@pytest.mark.slow
def test_a_site_of_one_palette_shares_the_scripts_too(tmp_path: Path) -> None:
    """A palette without a toggle (`palette: {primary: teal}`, Material's first example) has no toggle to move: the
    search dialog and settings then stayed in every page, paper pages' frame too (about 5 KB more on each)."""
    project = make_project(tmp_path / "p")
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "theme:\n  palette: {scheme: default, primary: teal}\n",
                      encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    site = mkdocs_build(project)
    paper = next((site / "papers").glob("*/index.html"))
    for kind, path in (("page", site / "topics" / "index.html"), ("paper", paper)):
        text = path.read_text(encoding="utf-8")
        assert 'data-md-color-primary="teal"' in text and 'data-md-component="palette"' not in text
        scripts = list((site / "assets" / "digest").glob(f"{kind}-frame.*.js"))
        assert len(scripts) == 1, kind
        script = paper_frame.FrameScript(f"assets/digest/{scripts[0].name}", scripts[0].read_text(encoding="utf-8"))
        assert 'data-md-component="search"' not in text and "__config" not in text, kind
        restored = paper_frame.restore_script_only_parts(text, script, "../" * (len(path.relative_to(site).parts) - 1))
        assert 'data-md-component="search"' in restored and "__config" in restored, kind


@pytest.mark.slow
def test_pages_the_navigation_does_not_list_take_it_from_one_more_script(sample_site: Path) -> None:
    """A topic's later pages, past weeks' top papers...: their navigation, put back, leads where the home page's
    does; without JavaScript, its top-level entries."""
    site = sample_site
    navs = list((site / "assets" / "digest").glob("nav-frame.*.js"))
    assert len(navs) == 1
    nav_script = paper_frame.FrameScript(f"assets/digest/{navs[0].name}", navs[0].read_text(encoding="utf-8"))
    expected = {link for link in resolved_links(primary_nav((site / "index.html").read_text(encoding="utf-8")), "")
                if "#" not in link}
    pages = sorted(site.rglob("index.html"))
    unlisted = [path for path in pages if nav_script.path in path.read_text(encoding="utf-8")]
    assert site / "topics" / "reasoning" / "page-2" / "index.html" in unlisted
    assert not [path for path in unlisted if path.relative_to(site).parts[0] in ("papers", "authors")]
    for path in unlisted:
        text = path.read_text(encoding="utf-8")
        url = path.relative_to(site).parent.as_posix() + "/"
        root = "../" * url.count("/")
        assert "md-nav--primary" not in text.split("<noscript>", 1)[0] and text.count("<noscript>") == 1, path
        assert re.findall(r'class="md-nav__link">([^<]*)</a>', text.split("<noscript>", 1)[1].split("</noscript>")[0]) \
            == ["Home", "Top papers", "Watch list", "Picks", "Topics", "Issues", "Authors", "Subscribe", "About"], path
        restored = paper_frame.restore_script_only_parts(text, nav_script, root)
        assert set(resolved_links(primary_nav(restored), url)) == expected, path
    listed = (site / "topics" / "reasoning" / "index.html").read_text(encoding="utf-8")
    assert "md-nav__link--active" in listed and nav_script.path not in listed
    # Pages after the first unlisted one had a stand-in rendered instead (templates/overrides/main.html): none is left.
    assert len(unlisted) >= 3
    assert not [path for path in pages if page_frame.SHARED_NAV in path.read_text(encoding="utf-8")]


def primary_nav(html: str) -> str:
    start = html.index('<nav class="md-nav md-nav--primary"')
    return html[start : paper_frame.element_end(html, start, re.compile(r"<nav\b|</nav>"))]


NAV_LINKS = ("../..", "../../topics/", "../../topics/x/", "../", "../2026-01-02/", "https://example.org/x",
             "#top", "../../feed.xml")


def nav(links: tuple[str, ...] = NAV_LINKS, active: bool = False) -> str:
    mark = " md-nav__item--active" if active else ""
    items = "\n".join(f'<li class="md-nav__item{mark if n == 2 else ""}"><a href="{href}">L{n}</a></li>'
                      for n, href in enumerate(links))
    return ('<div class="md-sidebar md-sidebar--primary">\n<div class="md-sidebar__scrollwrap">\n'
            '<div class="md-sidebar__inner">\n<nav class="md-nav md-nav--primary" aria-label="Navigation">\n'
            f'<ul class="md-nav__list">\n{items}\n</ul>\n</nav>\n</div>\n</div>\n</div>\n')


def resolved_links(html: str, url: str) -> list[str]:
    return [urljoin("https://site.test/" + url, href) for href in re.findall(r'href="([^"]*)"', html)]


ENTRIES = [("Home", ""), ("Topics", "topics/"), ("A <b> & c", "x/"), ("Elsewhere", "https://example.org/")]


def test_the_navigation_of_a_page_not_in_it_comes_from_one_script_with_a_compact_one_without_javascript() -> None:
    frame = page_frame.PageFrame()
    url = "issues/2026-01-01/"
    html = page("Old issue", "../../").replace("<main>", nav() + "<main>")
    compact = page_frame.compact_nav(ENTRIES, "../../")
    moved = frame.move(html, "../../", url, compact)
    assert frame.nav_script is not None and frame.nav_script is not frame.script
    assert re.fullmatch(r"assets/digest/nav-frame\.[0-9a-f]{10}\.js", frame.nav_script.path)
    assert "md-nav__list\">\n" not in moved and "L3" not in moved.replace(compact, "")
    assert f'<script src="../../{frame.nav_script.path}" data-part="nav"></script>{compact}' in moved
    # Put back by the script, its links lead where Material's did, from any depth.
    restored = paper_frame.restore_script_only_parts(moved, frame.nav_script).replace(compact, "")
    assert resolved_links(restored, url) == resolved_links(html, url)
    for other_url in ("top/2026-W01/", "topics/x/page-2/", "authors/"):
        root = page_frame.root_of(other_url)
        assert root is not None
        other = page("Other", root).replace("<main>", nav(tuple(relative(link, url, other_url) for link in NAV_LINKS))
                                            + "<main>")
        moved_other = frame.move(other, root, other_url, "")
        assert f'<script src="{root}{frame.nav_script.path}" data-part="nav"></script>' in moved_other, other_url
        back = paper_frame.restore_script_only_parts(moved_other, frame.nav_script, root)
        assert resolved_links(back, other_url) == resolved_links(other, other_url), other_url
    # A page the navigation lists (it marks the reader's place) keeps its own; so does one with other links.
    listed = page("Topics", "../").replace("<main>", nav(active=True) + "<main>")
    assert nav(active=True) in frame.move(listed, "../", "topics/", compact)
    changed = page("Odd", "../../").replace("<main>", nav(("../../elsewhere/",)) + "<main>")
    assert "../../elsewhere/" in frame.move(changed, "../../", url, compact)
    # A page the template gave a stand-in (not rendered: templates/overrides/main.html) gets the same script.
    stand_in = nav().split("<nav ")[0] + f'<nav class="md-nav md-nav--primary" {page_frame.SHARED_NAV}></nav>\n' \
        + "</div>\n</div>\n</div>\n"
    moved_stand_in = frame.move(page("Later", "../../../").replace("<main>", stand_in + "<main>"), "../../../",
                                "topics/x/page-3/", compact)
    assert f'<script src="../../../{frame.nav_script.path}" data-part="nav"></script>{compact}' in moved_stand_in
    assert page_frame.SHARED_NAV not in moved_stand_in
    assert "md-nav--primary" not in moved_stand_in.split("<noscript>")[0]


def test_the_navigation_of_a_site_with_tabs_comes_from_the_script_too() -> None:
    """With navigation.tabs Material writes the navigation as `md-nav md-nav--primary md-nav--lifted`: it was not
    found, so every page the navigation does not list kept its whole navigation (8 KB of each older issue)."""
    frame = page_frame.PageFrame()
    url = "issues/2026-01-01/"
    lifted = nav().replace("md-nav--primary", "md-nav--primary md-nav--lifted")
    html = page("Old issue", "../../").replace("<main>", lifted + "<main>")
    compact = page_frame.compact_nav(ENTRIES, "../../")
    moved = frame.move(html, "../../", url, compact)
    assert frame.nav_script is not None and "md-nav--lifted" not in moved
    restored = paper_frame.restore_script_only_parts(moved, frame.nav_script).replace(compact, "")
    assert 'class="md-nav md-nav--primary md-nav--lifted"' in restored
    assert resolved_links(restored, url) == resolved_links(html, url)


def test_a_stand_in_before_the_script_exists_is_not_taken_for_the_navigation() -> None:
    frame = page_frame.PageFrame()
    stand_in = nav().split("<nav ")[0] + f'<nav class="md-nav md-nav--primary" {page_frame.SHARED_NAV}></nav>\n' \
        + "</div>\n</div>\n</div>\n"
    html = page("First", "../../").replace("<main>", stand_in + "<main>")
    assert frame.move_nav(html, "../../", "issues/2026-01-01/", "") == html
    assert frame.nav_script is None and frame.nav == ""  # no shared navigation made from a stand-in


def relative(link: str, url: str, other_url: str) -> str:
    """``link`` (written on the page at ``url``) as Material would write it on the page at ``other_url``."""
    if re.match(r"^(?:[a-z]+:|#)", link):
        return link
    target = posixpath.normpath(posixpath.join(url, link))
    written = posixpath.relpath(target, other_url.rstrip("/"))
    return written + ("/" if link.endswith("/") and target != "." else "")


def test_the_compact_navigation_is_text_and_links() -> None:
    compact = page_frame.compact_nav(ENTRIES, "../")
    assert compact.startswith("<noscript>") and compact.endswith("</noscript>")
    assert re.findall(r'<a href="([^"]*)" class="md-nav__link">([^<]*)</a>', compact) == [
        ("../", "Home"), ("../topics/", "Topics"), ("../x/", "A &lt;b&gt; &amp; c"),
        ("https://example.org/", "Elsewhere")]
    assert '<a href="./"' in page_frame.compact_nav(ENTRIES, "")
