"""Every other page's palette toggle and search dialog come from one shared script (generator/page_frame.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
