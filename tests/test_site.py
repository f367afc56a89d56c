"""End to end: the bundled paper list through the generator and a real ``mkdocs build --strict``."""

import re
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from generator.sources.listing import read_listing
from tests.conftest import SEED, SMALL, make_project, mkdocs_build, run_digest

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
        assert len(feed.entries) == 119  # the seed's one issue, whole: a feed (limit 50) never cuts an issue in two
        papers = "https://paper-digest.github.io/paper-digest/papers/"
        assert all(entry.link.startswith(papers) for entry in feed.entries)
        assert len({entry.id for entry in feed.entries}) == 119


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


def test_a_digest_of_papers_before_1970_builds_dated_1970(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An archive whose newest issue is older than 1970 (a history of a field, dated by its papers) made `digest
    epoch` negative: `make site` stopped with a struct.error writing sitemap.xml.gz, and a plain `mkdocs build`
    was dated by the clock."""
    project = make_project(tmp_path / "history", SMALL / "issues", SMALL / "topics.yml")
    issues = project / "data" / "issues"
    for path in issues.iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("date: 2026-11-27", "date: 1969-07-20"),
                        encoding="utf-8")
    (issues / "2026-11-20.txt").rename(issues / "1969-07-16.txt")
    run_digest("build", "--quiet", cwd=project)
    epoch = run_digest("epoch", cwd=project).stdout.strip()
    assert epoch == "0" == (project / "content" / ".digest" / "epoch").read_text(encoding="utf-8").strip()
    made = tree(mkdocs_build(project, "site-a", env={"SOURCE_DATE_EPOCH": epoch}))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = tree(mkdocs_build(project, "site-b"))
    dates = set(re.findall(rb"<lastmod>([^<]*)</lastmod>", made["sitemap.xml"]))
    assert max(dates) == b"1970-01-01" and b"1969-07-20" in dates  # papers and issues: their issue's date
    assert [path for path in made if made[path] != plain.get(path)] == []
    issue = (project / "content" / "issues" / "1969-07-20.md").read_text(encoding="utf-8")
    assert "# Issue of 1969-07-20" in issue  # the pages keep the issues' own dates


# What makes a browser fetch a URL as it loads a page (links the reader may follow are not loaded).
LOADED = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed|track|input)\b[^>]*?\s(?:src|srcset|poster)=\"([^\"]*)\""
    r"|<link\b(?=[^>]*\brel=\"(?:stylesheet|preload|prefetch|preconnect|dns-prefetch|modulepreload|icon|"
    r"shortcut icon|apple-touch-icon|manifest)\")[^>]*\shref=\"([^\"]*)\""
    r"|<object\b[^>]*\sdata=\"([^\"]*)\"|url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)",
    re.IGNORECASE,
)


def third_party(url: str) -> bool:
    return bool(re.match(r"(?:[a-z][a-z0-9+.-]*:)?//", url.strip(), re.IGNORECASE)) and not url.startswith("data:")


def test_no_page_or_stylesheet_loads_anything_from_another_host(seed_site: Path) -> None:
    files = [path for path in (seed_site / "site").rglob("*") if path.suffix in (".html", ".css")]
    assert len(files) > 100
    loaded: dict[str, list[str]] = {}
    for path in files:
        for match in LOADED.finditer(path.read_text(encoding="utf-8")):
            url = next(group for group in match.groups() if group is not None)
            if third_party(url):
                loaded.setdefault(path.relative_to(seed_site / "site").as_posix(), []).append(url)
    assert loaded == {}


def test_the_third_party_check_finds_fonts_scripts_and_stylesheets() -> None:
    page = ('<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>'
            '<script src="//cdn.example/x.js"></script><style>@import "https://example.org/a.css";</style>'
            '<a href="https://arxiv.org/abs/1">a link is not loaded</a><img src="assets/local.png">')
    found = [next(g for g in m.groups() if g is not None) for m in LOADED.finditer(page)]
    assert [url for url in found if third_party(url)] == [
        "https://fonts.gstatic.com", "//cdn.example/x.js", "https://example.org/a.css"
    ]


def test_make_site_builds_strictly_with_the_newest_issues_date() -> None:
    """The Makefile's site recipe (``make -n``): MkDocs in strict mode, dated by SOURCE_DATE_EPOCH.

    tests/test_crash.py runs ``make site`` for real, on a copy of the repository.
    """
    root = Path(__file__).resolve().parent.parent
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", "site"], cwd=root, capture_output=True, text=True, check=True)
    assert "mkdocs build --strict" in result.stdout
    assert "SOURCE_DATE_EPOCH" in result.stdout


def test_make_site_with_zensical_does_not_offer_make_serve_as_its_server() -> None:
    """make serve serves an MkDocs build: after a Zensical build its closing line offered it as the way to browse."""
    root = Path(__file__).resolve().parent.parent
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    closing = {}
    for ssg in ("mkdocs", "zensical"):  # under `make test` a nested make prints "Leaving directory" lines too
        lines = subprocess.run(["make", "--no-print-directory", "-n", "site", f"SSG={ssg}"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.splitlines()
        closing[ssg] = next(line for line in lines if "Site built in site/" in line)
    assert "(or make serve: http://127.0.0.1:8000/)" in closing["mkdocs"]
    assert "(make serve would serve an MkDocs build instead)" in closing["zensical"]


FAKE_MKDOCS = """#!/bin/sh
# MkDocs as make site calls it: writes a tiny site into --site-dir, then exits with $FAKE_MKDOCS_EXIT.
while [ $# -gt 0 ]; do if [ "$1" = --site-dir ]; then dir=$2; fi; shift; done
mkdir -p "$dir/assets" && echo new > "$dir/index.html" && echo "p {}" > "$dir/assets/style.css"
exit "${FAKE_MKDOCS_EXIT:-0}"
"""


def make_site(project: Path, tmp_path: Path, mkdocs_exit: int) -> subprocess.CompletedProcess[str]:
    """``make site`` in ``project`` with this Python and a stand-in for MkDocs (quick, and able to fail)."""
    import os
    import sys

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    (venv / "bin" / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    (venv / "bin" / "mkdocs").write_text(FAKE_MKDOCS, encoding="utf-8")
    for name in ("python", "mkdocs"):
        (venv / "bin" / name).chmod(0o755)
    (venv / ".installed-stamp").touch()
    makefile = Path(__file__).resolve().parent.parent / "Makefile"
    return subprocess.run(["make", "-s", "-f", str(makefile), f"VENV={venv}", "-o", str(venv / ".installed-stamp"),
                           "site"], cwd=project, capture_output=True, text=True, check=False,
                          env={**os.environ, "FAKE_MKDOCS_EXIT": str(mkdocs_exit)})


def test_make_site_removes_the_part_written_site_of_a_failed_build(tmp_path: Path) -> None:
    """A build that fails (a full disk, an error on a page) left .site.tmp/, holding the space until the next run."""
    project = make_project(tmp_path / "project")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("old\n", encoding="utf-8")
    result = make_site(project, tmp_path, mkdocs_exit=1)
    assert result.returncode != 0, result.stderr
    assert not (project / ".site.tmp").exists()
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "old\n"


def test_make_site_keeps_a_site_folder_that_is_a_link_and_replaces_what_it_leads_to(tmp_path: Path) -> None:
    """site/ linked to a web server's folder: the link was replaced by a folder, and the server's copy kept the old
    site for ever."""
    project = make_project(tmp_path / "project")
    served = tmp_path / "www" / "digest"
    served.mkdir(parents=True)
    (served / "index.html").write_text("old\n", encoding="utf-8")
    (served / "gone.html").write_text("old\n", encoding="utf-8")
    (project / "site").symlink_to(served)
    result = make_site(project, tmp_path, mkdocs_exit=0)
    assert result.returncode == 0, result.stderr
    assert (project / "site").is_symlink() and (project / "site").resolve() == served.resolve()
    assert sorted(p.relative_to(served).as_posix() for p in served.rglob("*") if p.is_file()) == [
        "assets/style.css", "index.html"]
    assert (served / "index.html").read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in served.parent.iterdir()) == ["digest"]
    assert not (project / ".site.tmp").exists() and not (project / ".site.old").exists()
