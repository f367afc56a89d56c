"""Every other page's palette toggle and search dialog come from one shared script (generator/page_frame.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import page_frame, paper_pages
from tests.conftest import make_project, mkdocs_build, run_digest

HEADER = (
    '<header><a href="../.." class="md-logo">L</a>\n<div class="md-header__title">Page</div>\n'
    '<form class="md-header__option" data-md-component="palette"><input id="p"></form>\n'
    '<script>var x = "</b>";</script>\n<label class="md-header__button md-icon" for="__search">S</label>\n'
    '<div class="md-search" data-md-component="search" role="dialog"><div><div>r</div></div></div>'
    "<span>after</span></header>"
)


def test_the_part_moves_to_one_script_and_comes_back_whole() -> None:
    frame = page_frame.PageFrame()
    first = frame.move(HEADER, "../../")
    assert frame.script is not None and re.fullmatch(r"assets/digest/page-frame\.[0-9a-f]{10}\.js", frame.script.path)
    assert first == ('<header><a href="../.." class="md-logo">L</a>\n<div class="md-header__title">Page</div>\n'
                     f'<script src="../../{frame.script.path}" data-part="header"></script><span>after</span></header>')
    assert paper_pages.restore_script_only_parts(first, frame.script) == HEADER
    home = frame.move(HEADER.replace("Page", "Home"), "")  # another page, at the site's root
    assert f'<script src="{frame.script.path}" data-part="header">' in home
    assert paper_pages.restore_script_only_parts(home, frame.script, "") == HEADER.replace("Page", "Home")
    # A page whose part differs (a theme that made it page-specific) is left whole; so is one without it.
    other = HEADER.replace("<div>r</div>", "<div>s</div>")
    assert frame.move(other, "../") == other and frame.move("<p>x</p>", "") == "<p>x</p>"
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
    script = paper_pages.FrameScript(f"assets/digest/{scripts[0].name}", scripts[0].read_text(encoding="utf-8"))
    pages = [path for path in site.rglob("index.html") if path.relative_to(site).parts[0] not in ("papers", "authors")]
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        root = "../" * (len(path.relative_to(site).parts) - 1)
        assert 'data-md-component="search"' not in text, path
        assert text.count(f'<script src="{root}{script.path}" data-part="header"></script>') == 1, path
        assert 'data-md-component="search"' in paper_pages.restore_script_only_parts(text, script, root)
    assert 'data-md-component="search"' in (site / "404.html").read_text(encoding="utf-8")
