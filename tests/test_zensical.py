"""The same site built with Zensical (generator/zensical.py): every page and feed MkDocs makes, at the same URL.

The sample site (a page of every kind: papers with math, topics and their later pages, issues, top
papers, authors, the watch list) is built with MkDocs by its fixture, then with Zensical from the same
content/. ``make test`` installs Zensical (requirements-zensical.lock); without it these tests skip.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.browser import serve
from tests.checkers import PAGE_SAMPLE, REDIRECT_SAMPLE, nu_check
from tests.conftest import latin_1_locale, mkdocs_build, paper_page_html, run_digest, tree
from tests.pages import built_paper_pages
from tests.test_browser import Visit

pytestmark = pytest.mark.slow
# The builders' own search indexes and assets (Material's and Zensical's scripts and styles differ).
OWN_FILES = re.compile(
    r"^(assets/(?!digest/(digest\.(css|js)|search-worker\.js)$)|search\.json$|search/search_index\.json$)"
)


def zensical_installed() -> bool:
    return Path(sys.executable).with_name("zensical").is_file() or shutil.which("zensical") is not None


@pytest.fixture(scope="module")
def zensical_site(sample_site: Path) -> Path:
    """The sample site's content/ built with Zensical, beside the MkDocs build."""
    if not zensical_installed():
        pytest.skip("zensical is not installed: make test installs it (pip install -r requirements-zensical.lock)")
    project = sample_site.parent
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build", "--site-dir", "site-zensical"],
                            cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return project / "site-zensical"


def site_files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def sitemap_urls(site: Path) -> set[str]:
    return set(re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))


def sitemap_entries(site: Path) -> set[tuple[str, str]]:
    """Each URL of the sitemap with its date (``<lastmod>``, "" without)."""
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    return set(re.findall(r"<url>\s*<loc>([^<]*)</loc>\s*(?:<lastmod>([^<]*)</lastmod>)?", text))


def test_every_page_and_feed_is_at_the_same_url(sample_site: Path, zensical_site: Path) -> None:
    mkdocs = {name for name in site_files(sample_site) if not OWN_FILES.match(name)}
    zensical = {name for name in site_files(zensical_site) if not OWN_FILES.match(name)}
    assert sorted(mkdocs - zensical) == [] and sorted(zensical - mkdocs) == []
    pages = {name for name in mkdocs if name.endswith(".html")}
    kinds = {name.split("/", 1)[0] for name in pages if "/" in name}
    assert {"papers", "topics", "issues", "authors", "top", "watch", "subscribe", "about"} <= kinds
    assert any(re.match(r"topics/[^/]+/page-2/index\.html$", name) for name in pages)
    assert sitemap_urls(sample_site) == sitemap_urls(zensical_site)
    assert (zensical_site / "sitemap.xml.gz").is_file()


def test_the_sitemap_dates_every_page_as_mkdocs_does(sample_site: Path, zensical_site: Path) -> None:
    """Zensical writes no <lastmod>: each entry has the build's date now, the newest issue's without
    SOURCE_DATE_EPOCH (as the plugin dates a plain mkdocs build), and the .gz holds the same sitemap."""
    entries = sitemap_entries(zensical_site)
    assert entries == sitemap_entries(sample_site)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for _, day in entries)
    sitemap = (zensical_site / "sitemap.xml").read_bytes()
    assert gzip.decompress((zensical_site / "sitemap.xml.gz").read_bytes()) == sitemap


def test_a_source_date_epoch_of_0_dates_the_sitemap_as_mkdocs_does(sample_site: Path) -> None:
    """0 is 1970-01-01 (`make site` gives it for a digest without papers, or of papers before 1970, and a value of
    the caller's own wins): Zensical's build skipped it and dated the sitemap by the newest issue instead."""
    if not zensical_installed():
        pytest.skip("zensical is not installed: make test installs it (pip install -r requirements-zensical.lock)")
    project = sample_site.parent
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build", "--site-dir", "site-zensical-0"],
                            cwd=project, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    zensical = project / "site-zensical-0"
    mkdocs = mkdocs_build(project, "site-mkdocs-0", {"SOURCE_DATE_EPOCH": "0"})
    assert sitemap_entries(zensical) == sitemap_entries(mkdocs)
    assert {day for _, day in sitemap_entries(zensical)} == {"1970-01-01"}
    compressed = (zensical / "sitemap.xml.gz").read_bytes()
    assert compressed[4:8] == bytes(4)  # the .gz's own date, 0 as MkDocs writes it
    assert gzip.decompress(compressed) == (zensical / "sitemap.xml").read_bytes()


def test_feeds_and_opml_are_the_generators_bytes(sample_site: Path, zensical_site: Path) -> None:
    feeds = sorted(path.name for path in sample_site.glob("*.xml") if path.name != "sitemap.xml")
    assert "atom.xml" in feeds and "rss.xml" in feeds and "issues.atom.xml" in feeds
    for name in [*feeds, "feeds.opml"]:
        assert (zensical_site / name).read_bytes() == (sample_site / name).read_bytes(), name


def article(page: str) -> str:
    found = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page, re.DOTALL)
    assert found, "no article"
    # Zensical's article opens with the target of its "Skip to content" link (Material's is the heading).
    return found.group(1).replace('<a id="__skip" tabindex="-1"></a>', "").strip()


def test_every_listing_page_has_the_same_article_and_links(sample_site: Path, zensical_site: Path) -> None:
    """Topic, issue, top, watch, author index and hand-written pages: Zensical's article is MkDocs', links included
    (the generator's HTML links are relative to a page's URL, which Zensical reads from the page's file)."""
    pages = [path.relative_to(sample_site) for path in sample_site.rglob("index.html")
             if path.relative_to(sample_site).parts[0] not in ("papers", "assets")
             and not re.match(r"authors/[^/]+/", path.relative_to(sample_site).as_posix())]
    assert len(pages) > 30
    for page in pages:
        mkdocs = article((sample_site / page).read_text(encoding="utf-8"))
        assert article((zensical_site / page).read_text(encoding="utf-8")) == mkdocs, page


def test_a_paper_page_has_the_same_article_math_palette_and_navigation(sample_site: Path, zensical_site: Path) -> None:
    paper = "2611.01234"  # the math fixture's paper
    mkdocs, zensical = paper_page_html(sample_site, paper), paper_page_html(zensical_site, paper)
    assert article(zensical) == article(mkdocs)
    assert "<math" in article(zensical)
    assert re.search(r"<title>[^<]+ - Paper Digest</title>", zensical)
    for part in ('data-md-component="palette"', 'data-md-color-scheme="slate"', 'class="md-nav md-nav--primary"',
                 'href="../../topics/"', 'class="md-search"'):
        assert part in zensical, part
    # The shared frame script carries the parts, as with MkDocs (a paper page stays small).
    served = (zensical_site / "papers" / paper / "index.html").read_text(encoding="utf-8")
    assert re.search(r'src="\.\./\.\./assets/digest/paper-frame\.[0-9a-f]+\.js" data-part="header"', served)
    # So is the logo's icon, drawn by digest.css from one file (generator/paper_frame.move_logo).
    assert 'class="md-header__button md-logo digest-logo"' in served and "<svg" not in served.split("</header>")[0]
    assert (zensical_site / "assets" / "digest" / "logo.svg").read_text(encoding="utf-8").startswith("<svg")


def test_a_pages_link_preview_url_is_its_address_as_written(sample_site: Path, zensical_site: Path) -> None:
    """Zensical's ``e`` filter writes ``/`` as ``&#x2f;``: og:url was ``https:&#x2f;&#x2f;…`` on every page, which a
    link preview reading the attribute as it stands took for no address (MkDocs' is the canonical URL)."""
    for page in ("index.html", "topics/index.html", "issues/index.html", "papers/2611.01234/index.html"):
        text = (zensical_site / page).read_text(encoding="utf-8")
        og_url = re.search(r'<meta property="og:url" content="([^"]*)">', text)
        canonical = re.search(r'<link rel="canonical" href="([^"]*)">', text)
        assert og_url and canonical and og_url.group(1) == canonical.group(1), page
        assert f'content="{og_url.group(1)}"' in (sample_site / page).read_text(encoding="utf-8"), page


def test_listing_pages_keep_the_freshness_notice_and_the_sites_scripts(zensical_site: Path) -> None:
    home = (zensical_site / "index.html").read_text(encoding="utf-8")
    for script in ("assets/digest/digest.js", "assets/javascripts/freshness.js"):
        assert re.search(f'src="(\\./)?{re.escape(script)}"', home), script
    assert (zensical_site / "assets" / "javascripts" / "freshness.js").is_file()
    assert 'rel="alternate" type="application/atom+xml"' in home
    assert "digest-shell" not in home and not list(zensical_site.rglob("digest-*shell*"))


def test_zensicals_search_index_has_every_papers_title(sample_site: Path, zensical_site: Path) -> None:
    items = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))["items"]
    locations = {item["location"] for item in items}
    papers = {f"papers/{path.parent.name}/" for path in built_paper_pages(sample_site)}
    assert papers <= locations
    assert not any("shell" in location for location in locations)


@pytest.fixture(scope="module")
def own_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A site made by `digest new` with a theme folder of its own (Material's ``custom_dir``), in French, under a
    path of its host: built with MkDocs and with Zensical."""
    if not zensical_installed():
        pytest.skip("zensical is not installed: make test installs it (pip install -r requirements-zensical.lock)")
    project = tmp_path_factory.mktemp("own") / "my-digest"
    run_digest("new", str(project), "--url", "https://example.org/digest/", cwd=project.parent)
    settings = project / "mkdocs.yml"
    written = settings.read_text(encoding="utf-8")
    assert "theme:\n  name: material\n" in written
    settings.write_text(written.replace("theme:\n  name: material\n",
                                        "theme:\n  name: material\n  language: fr\n  custom_dir: my-theme\n"),
                        encoding="utf-8")
    (project / "my-theme" / "partials").mkdir(parents=True)
    (project / "my-theme" / "partials" / "copyright.html").write_text('<p class="my-copyright">© Me</p>\n',
                                                                         encoding="utf-8")
    # A title with what reads as a tag, as LLM papers' titles have: shown as text on every page.
    (project / "data" / "issues" / "2026-11-28.yaml").write_text(
        f"- title: {json.dumps(TAG_TITLE)}\n  abstract: Wombats reason step by step without a scratchpad.\n"
        "  arxiv: '2611.09999'\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build", "--site-dir", "site-zensical"],
                            cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return mkdocs_build(project), project / "site-zensical"


TAG_TITLE = "Wombats Reason without <think> & </think> Tokens"


def test_a_theme_folder_of_the_sites_own_comes_first_as_with_mkdocs(own_site: tuple[Path, Path]) -> None:
    """theme.custom_dir in mkdocs.yml (README, "Your own templates"): Zensical's build left the site's files out."""
    for site in own_site:
        home = (site / "index.html").read_text(encoding="utf-8")
        assert '<p class="my-copyright">© Me</p>' in home, site.name
        assert '<html lang="fr"' in home, site.name


def test_a_title_with_a_tag_is_text_in_zensicals_search_index(own_site: tuple[Path, Path]) -> None:
    """Zensical reads a search item's title as HTML (its own items' are: "Agents &amp; Tool Use") and decodes only
    &amp;, &lt; and &gt;: a paper's "<think>" was dropped from the result as a tag (an "<img onerror=…>" lost the
    paper from the search altogether)."""
    items = json.loads((own_site[1] / "search.json").read_text(encoding="utf-8"))["items"]
    title = next(item["title"] for item in items if item["location"] == "papers/2611.09999/")
    assert "<" not in title and ">" not in title and "&#" not in title
    assert html.unescape(title) == TAG_TITLE


@pytest.mark.browser
def test_zensicals_search_shows_a_title_with_a_tag_as_written(browser: object, own_site: tuple[Path, Path]) -> None:
    with serve(own_site[1]) as url, Visit(browser, url, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(url, wait_until="networkidle")
        page.click(".md-search__button")
        page.keyboard.type("wombats", delay=15)
        result = page.locator('[role="listbox"] a[href*="papers/2611.09999/"]')
        result.wait_for(timeout=10_000)
        assert TAG_TITLE in result.inner_text()
        assert visit.problems == []


def test_a_page_zensical_refuses_is_named_without_colours_or_a_traceback(
    own_site: tuple[Path, Path], tmp_path: Path
) -> None:
    """A hand-written page's broken link fails the strict build: Zensical's report came with its terminal colours
    (in logs too) and the Python traceback of its abort, which read as a crash."""
    project = tmp_path / "my-digest"
    shutil.copytree(own_site[0].parent, project, ignore=shutil.ignore_patterns("site", "site-zensical", ".zensical"))
    (project / "content" / "about.md").write_text("# About\n\n[Gone](nowhere.md)\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build"], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: zensical build failed") and "content/" in result.stderr.splitlines()[0]
    assert "about.md:3" in result.stderr
    assert "\x1b[" not in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_project_in_a_folder_with_an_accent_builds_under_a_latin_1_locale(
    own_site: tuple[Path, Path], tmp_path: Path
) -> None:
    """Zensical's core reads paths as UTF-8 and its Python half by the locale: under de_DE.ISO-8859-1 a project in
    "Thèses/" failed with "No such file or directory" for its own settings file."""
    environment = {**os.environ, **latin_1_locale(tmp_path / "locales")}
    project = tmp_path / "Thèses" / "my-digest"
    shutil.copytree(own_site[0].parent, project, ignore=shutil.ignore_patterns("site", "site-zensical", ".zensical"))
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build", "--site-dir", "site-zensical"],
                            cwd=project, env=environment, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    built, before = tree(project / "site-zensical"), tree(own_site[1])
    assert sorted(built) == sorted(before)
    assert [name for name in built if built[name] != before[name]] == []


@pytest.mark.parametrize("settings", [None, "site_name: Mine\ntheme: {name: material, language: [}\n",
                                      "site_name: Mine\ndocs_dir: content\n"])
def test_a_site_that_cannot_be_built_is_an_error_line_not_a_traceback(tmp_path: Path, settings: str | None) -> None:
    """No mkdocs.yml, one that is not YAML, no content/ (digest build not run yet): each said so in a traceback."""
    if settings is not None:
        (tmp_path / "mkdocs.yml").write_text(settings, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {tmp_path}") and "Traceback" not in result.stderr, result.stderr


def test_generated_pages_have_no_edit_button_leading_to_a_file_git_ignores(
    own_site: tuple[Path, Path], tmp_path: Path
) -> None:
    """With Material's "Edit this page" and "View source" buttons on, a Zensical build gave them to the home, topic,
    issue, paper and author pages, each leading to a file .gitignore keeps out of the repository (a 404). As with
    MkDocs, only the site's own pages keep them."""
    project = tmp_path / "my-digest"
    shutil.copytree(own_site[0].parent, project, ignore=shutil.ignore_patterns("site", "site-zensical", ".zensical"))
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  features: [content.action.edit, content.action.view]\n")
        + "repo_url: https://github.com/someone/my-digest\nedit_uri: edit/main/content/\n", encoding="utf-8")
    (project / "content" / "about.md").write_text("# About\n\nOurs.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build"], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert 'href="https://github.com/someone/my-digest/edit/main/content/about.md"' in (
        site / "about" / "index.html").read_text(encoding="utf-8")
    generated = [site / "index.html", site / "issues" / "index.html", *(site / "topics").glob("*/index.html"),
                 *built_paper_pages(site), *(site / "authors").glob("*/index.html")]
    assert len(generated) > 5
    buttons = re.compile(r"github\.com/someone/my-digest/(edit|raw)/")
    assert [path for path in generated if buttons.search(path.read_text(encoding="utf-8"))] == []


def test_a_link_of_the_sites_own_page_leads_where_it_does_with_mkdocs(
    own_site: tuple[Path, Path], tmp_path: Path
) -> None:
    """README "Output" says to link to a paper from about.md as ``../papers/ID/`` (relative to the page's URL, as
    MkDocs reads it); Zensical read it relative to the file and wrote ``../../papers/ID/``: out of a site under a
    path, a 404."""
    project = tmp_path / "my-digest"
    shutil.copytree(own_site[0].parent, project, ignore=shutil.ignore_patterns("site", "site-zensical", ".zensical"))
    (project / "content" / "guides").mkdir()
    (project / "content" / "guides" / "reading.md").write_text(
        "# Reading\n\n[A paper](../../papers/2611.09999/), <a href=\"../../papers/2611.09999/\">again</a>,"
        " [Subscribe](../subscribe.md), [the feed](../atom.xml), [notes](my%20notes.txt).\n", encoding="utf-8")
    (project / "content" / "guides" / "my notes.txt").write_text("Ours.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build"], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    page = "https://example.org/digest/guides/reading/"
    written = (project / "site" / "guides" / "reading" / "index.html").read_text(encoding="utf-8")
    links = {text: urljoin(page, html.unescape(href))
             for href, text in re.findall(r'<a href="([^"]*)">([A-Za-z ]+)</a>', written)}
    assert links == {"A paper": "https://example.org/digest/papers/2611.09999/",
                     "again": "https://example.org/digest/papers/2611.09999/",
                     "Subscribe": "https://example.org/digest/subscribe/",
                     "the feed": "https://example.org/digest/atom.xml",
                     "notes": "https://example.org/digest/guides/my%20notes.txt"}


@pytest.mark.parametrize(("settings", "said"), [
    ("site_name: Mine\ndocs_dir: content\n", "mkdocs.yml sets no site_url"),
    ("site_name: Mine\ndocs_dir: content\nsite_url: https://example.org/d/\nuse_directory_urls: false\n",
     "use_directory_urls: false in mkdocs.yml would break the site's links"),
], ids=["no-site-url", "file-urls"])
def test_settings_mkdocs_refuses_are_refused_before_zensical_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], settings: str, said: str
) -> None:
    """The plugin's refusals held for MkDocs only: with no site_url the Zensical build failed on "the placeholder
    page lacks its article, title or URL", and with ``use_directory_urls: false`` it passed with no paper page."""
    from generator import paper_pages, zensical

    (tmp_path / "content" / paper_pages.SHARD_DIR).mkdir(parents=True)
    (tmp_path / "content" / ".digest-manifest.json").write_text("[]\n", encoding="utf-8")  # built
    (tmp_path / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(settings, encoding="utf-8")
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setattr(zensical, "zensical_command", lambda: "zensical")
    monkeypatch.setattr(zensical.subprocess, "run", lambda *_args, **_options: pytest.fail("zensical was run"))
    assert zensical.main(["build", "--config-file", str(tmp_path / "mkdocs.yml")]) == 1
    assert capsys.readouterr().err.startswith(f"Error: {said}")


HOSTILE_SITE_NAME = '</title><script>window.__pwned=61</script> "Tom & Jerry" {{ 7*7 }}'


def test_a_site_name_with_markup_is_text_in_zensicals_pages(tmp_path: Path) -> None:
    """Zensical's templates, as Material's, print ``site_name`` unescaped into ``<title>`` and the header: a name
    holding ``</title><script>`` ran as a script on every page of a Zensical build."""
    if not zensical_installed():
        pytest.skip("zensical is not installed: make test installs it (pip install -r requirements-zensical.lock)")
    project = tmp_path / "site"
    run_digest("new", str(project), "--url", "https://example.org/digest/", cwd=tmp_path)
    settings = project / "mkdocs.yml"
    written = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^site_name: .*$", f"site_name: {json.dumps(HOSTILE_SITE_NAME)}", written),
                        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build", "--site-dir", "site-zensical"],
                            cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    site = project / "site-zensical"
    for path in [site / "index.html", site / "404.html", *built_paper_pages(site)[:1]]:
        text = path.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in text, path
        title = re.search("<title>(.*?)</title>", text, re.DOTALL)
        assert title is not None and html.unescape(title.group(1)).endswith(HOSTILE_SITE_NAME), path
        og_name = re.search(r'<meta property="og:site_name" content="([^"]*)">', text)
        assert og_name is None or html.unescape(og_name.group(1)) == HOSTILE_SITE_NAME, path


@pytest.fixture(scope="module")
def zensical_url(zensical_site: Path) -> Iterator[str]:
    with serve(zensical_site) as url:
        yield url


@pytest.mark.browser
def test_the_zensical_site_in_chromium(browser: object, zensical_url: str) -> None:
    """Home loads with Zensical's script started; a paper opens by a click (instant navigation) with its title
    and the navigation back; search answers a paper's title."""
    with Visit(browser, zensical_url, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(zensical_url, wait_until="networkidle")
        assert page.evaluate("document.documentElement.classList.contains('js')")
        assert page.locator("nav.md-nav--primary a", has_text="Topics").count() >= 1
        link = page.locator('article a[href*="papers/"]').first
        title = link.inner_text().strip()
        link.click()
        page.wait_for_url("**/papers/**", timeout=10_000)
        # Instant navigation changes the address before it swaps the page's content in.
        page.wait_for_function("start => (document.querySelector('h1') || {innerText: ''}).innerText.startsWith(start)",
                               arg=title[:30], timeout=10_000)
        page.wait_for_load_state("networkidle")
        # The navigation and the palette toggle come back from the shared frame script.
        page.locator("nav.md-nav--primary a", has_text="Subscribe").first.wait_for(timeout=10_000)
        assert page.locator("nav.md-nav--primary a", has_text="Subscribe").count() == 1
        assert page.locator('form[data-md-component="palette"]').count() == 1
        page.goto(f"{zensical_url}papers/2611.01234/", wait_until="networkidle")
        assert page.locator("article math").count() >= 1
        logo = page.evaluate("""() => { const drawn = getComputedStyle(document.querySelector('a.md-logo'), '::before');
            return [drawn.maskImage || drawn.webkitMaskImage, parseFloat(drawn.width)]; }""")
        assert "logo.svg" in logo[0] and logo[1] > 10, logo
        # Zensical's search dialog (in a shadow root, which Playwright's CSS selectors pierce) finds the paper.
        page.click(".md-search__button")
        page.keyboard.type("regret contextual", delay=15)
        result = page.locator('[role="listbox"] a[href*="papers/2611.01234/"]')
        result.wait_for(timeout=10_000)
        assert "Regret for Contextual Bandits" in result.inner_text() and "&#" not in result.inner_text()
        assert visit.problems == []


@pytest.mark.checker
def test_the_nu_checker_finds_no_error_in_a_zensical_page_of_each_kind(zensical_site: Path) -> None:
    pages = [zensical_site / path for path in (*PAGE_SAMPLE, *REDIRECT_SAMPLE) if (zensical_site / path).is_file()]
    assert len(pages) > len(PAGE_SAMPLE) // 2
    assert nu_check(pages, zensical_site) == []


def test_the_sites_own_hooks_which_zensical_does_not_run_are_named() -> None:
    """A site's own `hooks:` were dropped from a Zensical build without a word (their work missing from the site)."""
    from generator.zensical import not_run

    assert not_run({"hooks": ["hooks/footer.py"]}) == [
        "mkdocs.yml: hooks: hooks/footer.py: Zensical runs no MkDocs hook, so what they do in an MkDocs build is not"
        " in this site"]
    assert not_run({}) == [] and not_run({"hooks": []}) == []


def test_a_zensical_build_replaces_the_site_by_renames_never_deleting_the_live_one_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m generator.zensical build`` removed site/ before moving the new one in: removing a big site takes
    seconds, and a kill meanwhile left it half deleted. The old site now goes only once the new one is in place."""
    from generator import zensical

    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "content" / ".digest-manifest.json").write_text("[]\n", encoding="utf-8")  # built
    (project / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: Mine\ndocs_dir: content\n", encoding="utf-8")
    site = project / "site"
    (site / "papers").mkdir(parents=True)
    (site / "index.html").write_text("old", encoding="utf-8")
    (site / "papers" / "index.html").write_text("old", encoding="utf-8")

    def fake_zensical(*_args: object, **_options: object) -> subprocess.CompletedProcess[str]:
        built = project / zensical.STAGE / "site"
        built.mkdir(parents=True)
        (built / "index.html").write_text("new", encoding="utf-8")
        return subprocess.CompletedProcess([], 0, "", "")

    removed_while_live: list[str] = []
    real_rmtree = shutil.rmtree

    def rmtree(path: str | Path, *args: object, **options: object) -> None:
        if Path(path).resolve() == site.resolve():
            removed_while_live.append(str(path))
        real_rmtree(path, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(zensical, "zensical_command", lambda: "zensical")
    monkeypatch.setattr(zensical.subprocess, "run", fake_zensical)
    monkeypatch.setattr(zensical, "finish", lambda *_args, **_options: [])
    monkeypatch.setattr(zensical.shutil, "rmtree", rmtree)
    zensical.build(project, site)
    assert removed_while_live == []
    assert tree(site) == {"index.html": b"new"}
    assert sorted(path.name for path in project.iterdir()) == [".zensical", "content", "mkdocs.yml", "site"]


def test_a_zensical_build_into_a_site_folder_that_is_a_link_replaces_what_it_leads_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """site/ linked to a web server's folder stays a link, and the folder it leads to gets the new site."""
    from generator import zensical

    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "content" / ".digest-manifest.json").write_text("[]\n", encoding="utf-8")  # built
    (project / "mkdocs.yml").write_text("site_name: Mine\ndocs_dir: content\n", encoding="utf-8")
    served = tmp_path / "www" / "digest"
    served.mkdir(parents=True)
    (served / "index.html").write_text("old", encoding="utf-8")
    (project / "site").symlink_to(served)

    fake_zensical_build(monkeypatch, project)
    zensical.build(project, project / "site")
    assert (project / "site").is_symlink()
    assert tree(served) == {"index.html": b"new"}
    assert sorted(path.name for path in served.parent.iterdir()) == ["digest"]


def fake_zensical_build(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    """Zensical's build stood in for: it writes an index.html saying "new" where Zensical writes the site."""
    from generator import zensical

    def fake_zensical(*_args: object, **_options: object) -> subprocess.CompletedProcess[str]:
        (project / zensical.STAGE / "site").mkdir(parents=True)
        (project / zensical.STAGE / "site" / "index.html").write_text("new", encoding="utf-8")
        return subprocess.CompletedProcess([], 0, "", "")

    monkeypatch.setattr(zensical, "zensical_command", lambda: "zensical")
    monkeypatch.setattr(zensical.subprocess, "run", fake_zensical)
    monkeypatch.setattr(zensical, "finish", lambda *_args, **_options: [])


@pytest.mark.parametrize("site_dir", [".", "content", "content/site", ".zensical/site", "{project}", ".."])
def test_a_site_folder_holding_the_project_or_its_docs_is_refused_before_anything_is_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], site_dir: str
) -> None:
    """The new site replaces the --site-dir folder whole: ``--site-dir content`` deleted the docs (about.md with
    them) and ``--site-dir "$PWD"`` the whole project (data/, mkdocs.yml, .git) where ``mkdocs build`` refuses both.
    Such a folder is now an error naming it, before Zensical runs."""
    from generator import zensical

    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "content" / ".digest-manifest.json").write_text("[]\n", encoding="utf-8")  # built
    (project / "content" / "about.md").write_text("# About\n", encoding="utf-8")
    (project / "data").mkdir()
    (project / "data" / "2026-11-27.txt").write_text("A paper\nIts abstract.\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: Mine\ndocs_dir: content\n", encoding="utf-8")
    before = tree(tmp_path)
    ran: list[object] = []
    monkeypatch.setattr(zensical, "zensical_command", lambda: "zensical")
    monkeypatch.setattr(zensical.subprocess, "run", lambda *args, **_options: ran.append(args))
    monkeypatch.chdir(project)
    assert zensical.main(["build", "--site-dir", site_dir.format(project=project)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"Error: --site-dir {site_dir.format(project=project)}"), error
    assert "Traceback" not in error and ran == []
    assert tree(tmp_path) == before


def test_without_site_dir_the_site_goes_where_mkdocs_yml_says_as_with_mkdocs_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``mkdocs build`` writes to mkdocs.yml's ``site_dir``, beside mkdocs.yml; ``python -m generator.zensical build``
    wrote to site/ in the working folder whatever it said, so a site publishing public/ kept its old pages there."""
    from generator import zensical

    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "content" / ".digest-manifest.json").write_text("[]\n", encoding="utf-8")  # built
    (project / "mkdocs.yml").write_text("site_name: Mine\ndocs_dir: content\nsite_dir: public\n", encoding="utf-8")

    fake_zensical_build(monkeypatch, project)
    monkeypatch.chdir(tmp_path)  # elsewhere: site_dir is read beside mkdocs.yml, as MkDocs reads it
    assert zensical.main(["build", "--config-file", "project/mkdocs.yml"]) == 0
    assert tree(project / "public") == {"index.html": b"new"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["project"]
    assert not (project / "site").exists()
    assert "site built in project/public," in capsys.readouterr().err


def test_a_zensical_build_before_any_digest_build_stops_and_keeps_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As for `mkdocs build`: a content/ no digest build has written (a fresh clone) gave a site of a 404 page alone,
    exit status 0, in place of the last one."""
    from generator import zensical

    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: Mine\ndocs_dir: content\n", encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("old", encoding="utf-8")
    fake_zensical_build(monkeypatch, project)
    assert zensical.main(["build", "--config-file", str(project / "mkdocs.yml")]) == 1
    assert ("content/ holds no pages of digest build yet (no content/.digest-manifest.json): run digest build first"
            in capsys.readouterr().err)
    assert tree(project / "site") == {"index.html": b"old"}


def test_serve_says_how_to_preview_a_zensical_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m generator.zensical serve``, the step after build as with ``mkdocs serve`` and ``zensical serve``,
    was argparse's "invalid choice: 'serve'": it now says how to preview the site, and runs nothing."""
    from generator import zensical

    ran: list[object] = []
    monkeypatch.setattr(zensical.subprocess, "run", lambda *args, **_options: ran.append(args))
    monkeypatch.chdir(tmp_path)
    assert zensical.main(["serve"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("Error: python -m generator.zensical has no serve")
    assert "python -m generator.zensical build --site-dir site" in error and "python3 -m http.server -d site" in error
    assert "invalid choice" not in error and ran == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("link", "said"), [
    ("../../papers/2611.00000/", "which leads to papers/2611.00000/: no page is there"),
    ("papers/2611.09999/#abstract",
     "which leads to guides/reading/papers/2611.09999/: did you mean '../../papers/2611.09999/'?"),
], ids=["no-such-paper", "wrong-folder"])
def test_a_link_of_the_sites_own_page_to_no_page_fails_the_build_as_with_mkdocs(
    own_site: tuple[Path, Path], tmp_path: Path, link: str, said: str
) -> None:
    """``mkdocs build --strict`` stops on a link of a page of the site's own to no page (a paper taken down, a paper's
    address written from the wrong folder); the Zensical build published the site with the link leading to a 404.
    It stops now with MkDocs' words, the link as written, and the site it was to replace kept."""
    project = tmp_path / "my-digest"
    shutil.copytree(own_site[0].parent, project, ignore=shutil.ignore_patterns("site", "site-zensical", ".zensical"))
    (project / "content" / "guides").mkdir()
    (project / "content" / "guides" / "reading.md").write_text(f"# Reading\n\n[A paper]({link}).\n", encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("live", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build"], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert f"Doc file 'guides/reading.md' contains a link to '{link}', {said}" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project / "site") == {"index.html": b"live"}
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as settings:
        settings.write("validation:\n  links:\n    not_found: info\n")  # as MkDocs then only says it
    result = subprocess.run([sys.executable, "-m", "generator.zensical", "build"], cwd=project,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
