"""Paper pages assembled from one rendered shell (generator/paper_pages.py) are the pages MkDocs would make."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import paper_frame, paper_pages
from generator.paper_pages import SECTIONS, Shell, ShellError, Slot, read_records, rewrite_sitemap
from tests.conftest import ROOT, make_project, mkdocs_build, paper_page_html, run_digest
from tests.pages import built_paper_pages

TOC = "".join(
    f'<li class="md-nav__item">\n  <a href="#{anchor}" class="md-nav__link">{heading}</a>\n</li>\n'
    for anchor, heading in SECTIONS
)
CONTENT = "<h1>DigestShellTitle</h1><p>DigestShellBody</p>"
PAGE = (
    '<title>DigestShellTitle - Site</title><meta name="description" content="DigestShellDescription">'
    '<link rel="canonical" href="https://example.org/papers/digest-shell-page/">'
    f'<a href="#digestshelltitle" class="md-skip">Skip</a><ul>{TOC}</ul><article>{CONTENT}</article>'
)
RECORD = {"id": "2401.00001", "title": "A &#60;b&#62;", "description": "D", "anchor": "a-b",
          "sections": ["abstract", "cite"], "body": "<h1>A</h1>"}


def test_a_shell_fills_every_slot_and_drops_missing_sections() -> None:
    page = Shell.from_page(PAGE, CONTENT).fill(RECORD)
    assert "<title>A &#60;b&#62; - Site</title>" in page
    assert 'content="D"' in page and "https://example.org/papers/2401.00001/" in page
    assert 'href="#a-b" class="md-skip"' in page and "<article><h1>A</h1></article>" in page
    assert re.findall(r'href="#([\w-]+)" class="md-nav__link"', page) == ["abstract", "cite"]
    assert "DigestShell" not in page and "digest-shell-page" not in page


# A header's palette toggle and search dialog, as Material writes them (the page-frame tests use it too).
PALETTE_AND_SEARCH = (
    '<form class="md-header__option" data-md-component="palette"><input id="p"></form>\n'
    '<script>var x = "</b>";</script>\n<label class="md-header__button md-icon" for="__search">S</label>\n'
    '<div class="md-search" data-md-component="search" role="dialog"><div><div>r</div></div></div>'
    "<span>after</span></header>"
)


HEAD = ('<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">\n'
        '<script>__md_scope=new URL("../..",location)</script>\n<div data-md-component="announce">\n</div>\n')
FRAME = (
    '<header><a href="../.." class="md-logo">L</a>\n<label class="md-header__button md-icon" for="__drawer">M</label>\n'
    '<div class="md-header__title" data-md-component="header-title">\n'
    f'<div class="md-header__topic" data-md-component="header-topic">\n<span class="md-ellipsis">\n{paper_pages.TITLE}'
    "\n</span>\n</div>\n</div>\n"
) + PALETTE_AND_SEARCH
SETTINGS = (
    '<div class="md-dialog" data-md-component="dialog">\n<div class="md-dialog__inner md-typeset"></div>\n</div>\n'
    '<script id="__config" type="application/json">{"a": 1}</script>\n<script>__config.x = 1;</script>'
)
NAV = ('<div class="md-sidebar">\n<div class="md-sidebar__scrollwrap">\n<div class="md-sidebar__inner">\n'
       '<nav class="md-nav md-nav--primary" aria-label="Navigation"><ul><li><nav>inner</nav></li></ul></nav>\n'
       "</div>\n</div>\n</div>\n<p>kept</p>")
ENDING = (
    '<main><div class="md-main__inner">\n<script>var target=document.getElementById(location.hash.slice(1));'
    'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>\n</div>\n'
    '<button type="button" class="md-top md-icon" data-md-component="top" hidden>\nBack to top\n</button>\n'
    '</main>\n<footer class="md-footer">\n<div class="md-copyright"></div>\n</footer>\n</div>\n'
)


def test_the_frame_script_only_parts_move_to_a_shared_script_and_come_back_whole() -> None:
    shell = Shell.from_page(HEAD + FRAME + NAV + PAGE + ENDING + SETTINGS, CONTENT)
    moved, script = paper_frame.move_script_only_parts(shell)
    assert script is not None and re.fullmatch(r"assets/digest/paper-frame\.[0-9a-f]{10}\.js", script.path)
    page = moved.fill(RECORD)
    assert "md-search" not in page and "__config" not in page and "<span>after</span></header>" in page
    # scope, header, nav, "top footer", settings
    assert page.count(f'<script src="../../{script.path}" data-part=') == 5
    assert "md-nav--primary" not in page and "<nav>inner</nav>" not in page and "<p>kept</p>" in page
    assert f'<div class="md-sidebar">\n<script src="../../{script.path}" data-part="nav"></script>\n</div>' in page
    # The header's title, menu button, back-to-top button, footer, dialog and Material's head helpers moved too;
    # the logo (the way home without JavaScript) stayed.
    for moved_away in ("md-header__title", "__drawer", "md-top", "md-footer", "md-dialog", "__md_scope"):
        assert moved_away not in page, moved_away
    assert 'class="md-logo"' in page and page.count("A &#60;b&#62;") == 1  # the title: only in <title>
    assert 'data-part="top footer"></script>\n</div>' in page and "</div>\n</main>\n<script" in page
    assert "</b>" not in script.text and "<\\/b>" in script.text  # no part can close the script early
    assert '"top"' in script.text and 'var suffix = " - Site";' in script.text
    # The generator's name and the tabs' script do nothing on a paper page: dropped, not moved.
    assert "generator" not in page and "__tabbed_" not in page and "__tabbed_" not in script.text
    assert "announce" not in page and "announce" not in script.text
    assert paper_frame.restore_script_only_parts(page, script) == paper_frame.drop_unused(shell.fill(RECORD))
    # A theme whose frame lacks these parts keeps its pages whole.
    plain = Shell.from_page(PAGE, CONTENT)
    kept, none = paper_frame.move_script_only_parts(plain)
    assert none is None and kept.pieces == plain.pieces


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (PAGE.replace(CONTENT, "<p>other</p>"), "article is not found"),
        (PAGE.replace('href="#cite"', 'href="#elsewhere"'), "table of contents"),
        (PAGE.replace("DigestShellTitle - Site", "Site").replace("digest-shell-page", "x"), "title or URL"),
    ],
)
def test_a_changed_theme_page_is_refused_with_a_reason(output: str, reason: str) -> None:
    with pytest.raises(ShellError, match=reason):
        Shell.from_page(output, CONTENT)


def test_a_big_sitemap_becomes_an_index_of_small_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paper_pages, "SITEMAP_LIMIT", 3)
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "    <url>\n         <loc>https://e.org/</loc>\n         <lastmod>2026-11-27</lastmod>\n    </url>\n"
        "    <url>\n         <loc>https://e.org/papers/digest-shell-page/</loc>\n"
        "         <lastmod>2026-11-27</lastmod>\n    </url>\n</urlset>\n",
        encoding="utf-8",
    )
    rewrite_sitemap(tmp_path, "https://e.org/", [f"papers/p{n}/" for n in range(6)], 0)
    index = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index and gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()).decode() == index
    parts = [(tmp_path / f"sitemap-{n}.xml").read_text(encoding="utf-8") for n in (1, 2, 3)]
    locs = [loc for part in parts for loc in re.findall(r"<loc>([^<]+)</loc>", part)]
    assert locs == ["https://e.org/"] + [f"https://e.org/papers/p{n}/" for n in range(6)]
    assert all(part.count("<url>") <= 3 and part.startswith("<?xml") for part in parts)
    assert all("<lastmod>2026-11-27</lastmod>" in part for part in parts)


def test_the_sitemap_dates_paper_and_issue_pages_by_their_issue(tmp_path: Path) -> None:
    """Every entry said the newest issue's date: each day's issue told search engines that every page of the archive
    had changed, and rewrote every line of the sitemap. A paper's and an issue's page carry their issue's date (never
    after the build's); the other pages keep the build's."""
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "    <url>\n         <loc>https://e.org/</loc>\n         <lastmod>2026-11-27</lastmod>\n    </url>\n"
        "    <url>\n         <loc>https://e.org/issues/2026-11-20/</loc>\n"
        "         <lastmod>2026-11-27</lastmod>\n    </url>\n"
        "    <url>\n         <loc>https://e.org/papers/digest-shell-page/</loc>\n"
        "         <lastmod>2026-11-27</lastmod>\n    </url>\n</urlset>\n",
        encoding="utf-8",
    )
    dates = {"papers/a/": "2024-05-27", "papers/b/": "2026-11-27", "papers/c/": "2027-01-01"}
    rewrite_sitemap(tmp_path, "https://e.org/", ["issues/2024-05-27/", "topics/x/page-2/", *dates], 0, dates)
    text = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert dict(re.findall(r"<loc>https://e\.org/([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", text)) == {
        "": "2026-11-27", "issues/2026-11-20/": "2026-11-20", "issues/2024-05-27/": "2024-05-27",
        "topics/x/page-2/": "2026-11-27", "papers/a/": "2024-05-27", "papers/b/": "2026-11-27",
        "papers/c/": "2026-11-27"}


@pytest.mark.slow
def test_assembled_pages_equal_the_pages_mkdocs_renders(tmp_path: Path) -> None:
    """Render two papers as ordinary MkDocs pages (same front matter, headings and article) and compare bytes.

    The assembled pages hold the frame's script-only parts in a shared script (see
    paper_frame.move_script_only_parts); with the parts put back they must be MkDocs' bytes, less the
    markup that does nothing on a paper page (paper_frame.drop_unused).
    """
    project = make_project(tmp_path / "p")
    run_digest("build", "--quiet", cwd=project)
    records = list(read_records(project / "content"))
    chosen = [next(r for r in records if "related-papers" in r["sections"]), records[-1]]
    # Ordinary Markdown pages at the same depth, whose article a hook swaps for the generator's.
    hook = tmp_path / "reference_hook.py"
    bodies = {f"papers/ref-{n}.md": str(record["body"]) for n, record in enumerate(chosen)}
    hook.write_text(
        "import json\nBODIES = json.loads(" + repr(json.dumps(bodies)) + ")\n"
        "def on_page_content(html, page, config, files):\n"
        "    return BODIES.get(page.file.src_uri, html)\n",
        encoding="utf-8",
    )
    config = project / "mkdocs.base.yml"  # mkdocs.yml inherits it; the paper-digest plugin is listed there
    assert "\nhooks:" not in config.read_text(encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8") + f"hooks:\n  - {hook}\n", encoding="utf-8")
    for number, record in enumerate(chosen):
        headings = "".join(f"## {heading}\n\n" for anchor, heading in SECTIONS if anchor in record["sections"])
        # Titles and descriptions go in as the generator escapes them, as every other page's front matter does.
        front_text = (
            f"title: {json.dumps(str(record['title']))}\ndescription: {json.dumps(str(record['description']))}\n"
            "og_type: article\ndigest_paper: true\nsearch:\n  exclude: true\n"
        )
        (project / "content" / "papers" / f"ref-{number}.md").parent.mkdir(parents=True, exist_ok=True)
        (project / "content" / "papers" / f"ref-{number}.md").write_text(
            f"---\n{front_text}---\n\n# {record['title']}\n\n{headings}", encoding="utf-8"
        )
    site = mkdocs_build(project)
    for number, record in enumerate(chosen):
        reference = (site / "papers" / f"ref-{number}" / "index.html").read_text(encoding="utf-8")
        assert '<meta name="generator"' in reference and "__tabbed_" in reference
        reference = paper_frame.drop_unused(reference)
        # An ordinary page's palette and search come from the other pages' shared script (generator/page_frame.py).
        other = next((site / "assets" / "digest").glob("page-frame.*.js"))
        reference = paper_frame.restore_script_only_parts(
            reference, paper_frame.FrameScript(f"assets/digest/{other.name}", other.read_text(encoding="utf-8")))
        # So does its navigation, the page being in no navigation (without JavaScript, a compact one instead).
        nav = next((site / "assets" / "digest").glob("nav-frame.*.js"))
        reference = paper_frame.restore_script_only_parts(
            reference, paper_frame.FrameScript(f"assets/digest/{nav.name}", nav.read_text(encoding="utf-8")))
        reference = re.sub(r"<noscript>.*?</noscript>", "", reference, count=1, flags=re.DOTALL)
        assembled = (site / "papers" / str(record["id"]) / "index.html").read_text(encoding="utf-8")
        reference = reference.replace(f"papers/ref-{number}/", f"papers/{record['id']}/")
        # The skip link targets the first heading: MkDocs slugifies the heading as Markdown shows it.
        reference = re.sub(r'href="#[^"]*" class="md-skip"', f'href="#{record["anchor"]}" class="md-skip"', reference)
        # The frame's script-only parts come from a shared script; put back, they give MkDocs' bytes exactly.
        found = re.search(r"assets/digest/paper-frame\.[0-9a-f]{10}\.js", assembled)
        assert found is not None and len(assembled) < len(reference) - 4_000
        script = paper_frame.FrameScript(found.group(), (site / found.group()).read_text(encoding="utf-8"))
        # The logo's icon is drawn by the stylesheet from one file: put back, it is Material's inline icon.
        assert "<svg" not in assembled.split("</header>")[0]
        logo_text = (site / paper_frame.LOGO_PATH).read_text(encoding="utf-8")
        logo = paper_frame.FrameScript(paper_frame.LOGO_PATH, logo_text)
        assembled = paper_frame.restore_logo(assembled, logo)
        assert paper_frame.restore_script_only_parts(assembled, script) == reference, record["id"]


@pytest.mark.slow
def test_the_site_has_every_paper_page_and_no_trace_of_the_shell(seed_site: Path) -> None:
    site = seed_site / "site"
    records = list(read_records(seed_site / "content"))
    assert len(records) == 119
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for record in records:
        served = (site / "papers" / str(record["id"]) / "index.html").read_text(encoding="utf-8")
        assert "md-nav--primary" not in served  # the navigation is in the shared frame script
        page = paper_page_html(site, str(record["id"]))
        assert f"<title>{record['title']} - Paper Digest</title>" in page
        url = f"https://paper-digest.github.io/paper-digest/papers/{record['id']}/"
        assert f'<link rel="canonical" href="{url}">' in page
        # The compact frame: the navigation's top-level entries, no table of contents.
        nav = re.findall(r'<a href="([^"]+)" class="md-nav__link">', page)
        assert nav == ["../..", "../../top/", "../../topics/", "../../issues/", "../../subscribe/", "../../about/"], nav
        assert "md-sidebar--secondary" not in page
        assert str(record["body"]) in page
        assert sitemap.count(f"/papers/{record['id']}/</loc>") == 1
    assert not (site / "papers" / paper_pages.SHELL_ID).exists()
    leftovers = [p for p in site.rglob("*.html") if "DigestShell" in p.read_text(encoding="utf-8")]
    assert leftovers == [] and paper_pages.SHELL_ID not in sitemap
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode() == sitemap
    # Every relative link and asset of a paper page resolves to a file of the site.
    page_dir = site / "papers" / str(records[0]["id"])
    for target in re.findall(r'(?:href|src)="(\.\.?/[^"#?]*)', (page_dir / "index.html").read_text(encoding="utf-8")):
        resolved = (page_dir / target).resolve()
        assert resolved.is_file() or (resolved / "index.html").is_file(), target


def test_a_corrupt_record_fails_the_build_with_its_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    run_digest("build", "--quiet", cwd=project)
    shard = next((project / "content" / paper_pages.SHARD_DIR).glob("*.shard"))
    good = shard.read_text(encoding="utf-8")
    lines = good.count("\n")
    shard.write_text(good + '{"id":"../../etc","body":2}\nhi\n', encoding="utf-8")  # whole, but a bad id
    with pytest.raises(AssertionError, match=re.escape(f"{shard.name}:{lines + 1}: not a paper record")):
        mkdocs_build(project)
    shard.write_text(good + '{"id":"x1","body":200}\ncut short\n', encoding="utf-8")  # not whole
    with pytest.raises(AssertionError, match=re.escape(f"{shard.name}:{lines + 1}: not a paper record")):
        mkdocs_build(project)


def test_rendering_in_two_processes_gives_the_same_shards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked child renders paper shards on big archives; the output must not change."""
    from generator import forked, render
    from generator.build import TEMPLATE_DIR, BuildOptions, BuildReport, Stopwatch, load_archive
    from generator.config import load_config

    project = make_project(tmp_path / "p", papers=ROOT / "tests" / "fixtures" / "small" / "issues")
    (project / "digest.yml").write_text("papers: [data/issues]\ntopics: data/topics.yml\n", encoding="utf-8")
    config, _ = load_config(project / "digest.yml")
    archive = load_archive(config, BuildOptions(), BuildReport(), Stopwatch(BuildReport(), lambda _: None))
    assert len(archive.issues) >= 2
    serial = render.Renderer(archive, TEMPLATE_DIR).render_all()
    renderer = render.Renderer(archive, TEMPLATE_DIR)
    pages: dict[str, bytes] = {}
    by_helper: dict[str, bytes] = {}
    with render.PaperShards(renderer, pages.__setitem__, by_helper.__setitem__, out=None, parallel=True) as shards:
        assert shards.helper is not None
        assert shards.helper.answers.poll(120)  # the helper took every shard before this process asks for one
        assert shards.finish() == len(by_helper)
    assert not pages
    assert by_helper == {path: data for path, data in serial.items() if path.startswith(".digest/")}
    monkeypatch.setattr(forked, "MIN_PAPERS", 0)
    assert render.Renderer(archive, TEMPLATE_DIR).render_all() == serial



def test_the_helper_makes_the_first_files_before_its_shards(tmp_path: Path) -> None:
    """The build's search index goes to the helper as ``first``: its files come back with the shards, unchanged;
    without a helper ``first_files()`` makes them here."""
    from generator import render
    from generator.build import TEMPLATE_DIR, BuildOptions, BuildReport, Stopwatch, load_archive
    from generator.config import load_config

    project = make_project(tmp_path / "p", papers=ROOT / "tests" / "fixtures" / "small" / "issues")
    (project / "digest.yml").write_text("papers: [data/issues]\ntopics: data/topics.yml\n", encoding="utf-8")
    config, _ = load_config(project / "digest.yml")
    archive = load_archive(config, BuildOptions(), BuildReport(), Stopwatch(BuildReport(), lambda _: None))
    files = {"search/a.json": b"[1]", "search/b.json": b"[2]"}
    for parallel in (True, False):
        pages: dict[str, bytes] = {}
        by_helper: dict[str, bytes] = {}
        renderer = render.Renderer(archive, TEMPLATE_DIR)
        with render.PaperShards(renderer, pages.__setitem__, by_helper.__setitem__, out=None, parallel=parallel,
                                first=lambda: dict(files)) as shards:
            here = shards.first_files()
            shards.finish()
        assert (here, {path: by_helper[path] for path in files if path in by_helper}) == (
            ({}, files) if parallel else (files, {})
        )


REFERENCE_BLOCK = re.compile(r"^<!-- digest:html -->\n(.*?)(?:^<!-- digest:end -->\n|\Z)", re.MULTILINE | re.DOTALL)


MARKDOWN_PIECES = ["a", "\n", "<!-- digest:html -->\n", "<!-- digest:end -->\n", "x y", "<p>"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=14))
def test_html_blocks_are_set_aside_as_the_plain_pattern_says(pieces: list[str]) -> None:
    """The hook's str.find splitter (fast on big pages) finds exactly the blocks the simple lazy pattern finds."""
    from generator.mkdocs_hooks import set_html_aside

    markdown = "".join(pieces)
    blocks: list[str] = []

    def slot(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f"\nDigestHtmlSlot{len(blocks) - 1}\n\n"

    assert set_html_aside(markdown) == (REFERENCE_BLOCK.sub(slot, markdown), blocks)


def test_the_logo_icon_goes_to_one_file_unless_it_is_an_image_or_not_a_square() -> None:
    link = '<a href="../.." title="D" class="md-header__button md-logo" aria-label="D" data-md-component="logo">\n'
    icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 8a3 3 0 0 0 3-3"/></svg>'
    shell = Shell(["<header>" + link + icon + "\n</a>\n", Slot("title"), "</header>"])
    moved, logo = paper_frame.move_logo(shell)
    assert logo is not None and logo.path == "assets/digest/logo.svg" and logo.text == icon + "\n"
    assert moved.pieces[0] == "<header>" + link.replace('md-logo"', 'md-logo digest-logo"').rstrip("\n") + "</a>\n"
    assert moved.pieces[1:] == shell.pieces[1:]
    assert paper_frame.restore_logo(str(moved.pieces[0]), logo) == shell.pieces[0]
    for kept in (
        icon.replace("0 0 24 24", "0 0 48 24"),  # not a square: the stylesheet draws a square
        '<img src="assets/logo.png" alt="logo">',  # theme.logo: an image file already
        icon.replace("</svg>", ""),  # not an element on its own
    ):
        unchanged = Shell(["<header>" + link + kept + "\n</a>\n", Slot("title"), "</header>"])
        assert paper_frame.move_logo(unchanged) == (unchanged, None)


@pytest.mark.slow
def test_a_site_whose_own_stylesheet_does_not_draw_the_logo_keeps_the_inline_icon(tmp_path: Path) -> None:
    """A site's theme overrides may hold its own digest.css, copied from a version before the logo was drawn
    from one file: its paper pages keep Material's inline icon, else the header's link home would be empty."""
    project = make_project(tmp_path / "p", papers=ROOT / "tests" / "fixtures" / "small")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "theme:\n  name: material\n  custom_dir: overrides\n",
                      encoding="utf-8")
    own = project / "overrides" / "assets" / "digest" / "digest.css"
    own.parent.mkdir(parents=True)
    own.write_text(".digest-card { padding: 1rem; }\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    site = mkdocs_build(project)
    assert (site / "assets" / "digest" / "digest.css").read_text(encoding="utf-8") == own.read_text(encoding="utf-8")
    pages = built_paper_pages(site)
    assert pages and not (site / paper_frame.LOGO_PATH).exists()
    for page in pages:
        header = page.read_text(encoding="utf-8").split("</header>")[0]
        assert 'data-md-component="logo">\n<svg' in header and paper_frame.LOGO_CLASS not in header, page


def test_the_logo_is_left_to_the_stylesheet_only_when_one_of_the_sites_draws_it(tmp_path: Path) -> None:
    (tmp_path / "assets" / "digest").mkdir(parents=True)
    (tmp_path / "assets" / "digest" / "digest.css").write_text(".digest-card {}\n", encoding="utf-8")
    (tmp_path / "own.css").write_text(f".{paper_frame.LOGO_CLASS}::before {{}}\n", encoding="utf-8")
    assert not paper_frame.stylesheets_draw_logo(tmp_path, ["assets/digest/digest.css", "missing.css"])
    assert not paper_frame.stylesheets_draw_logo(tmp_path, ["https://example.org/own.css"])  # not the site's
    for listed in ("own.css", "/own.css", "own.css?v=2"):
        assert paper_frame.stylesheets_draw_logo(tmp_path, ["assets/digest/digest.css", listed]), listed
