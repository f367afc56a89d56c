"""A daily rebuild changes the files a new issue changes, not every page of the site.

Whoever mirrors site/ (a gh-pages branch, rsync to a server) and every browser or CDN cache pays for each
file whose bytes change. Two real builds (digest build, then mkdocs build), one issue apart, and the files
that changed between them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_project, mkdocs_build, seed_in_daily_issues


def build(project: Path) -> dict[str, str]:
    """digest build and mkdocs build of ``project``; every file of site/ by its path, with its bytes' hash."""
    environment = {**os.environ, "DIGEST_CACHE_DIR": str(project / ".cache")}
    subprocess.run([sys.executable, "-m", "generator", "build", "--quiet"], cwd=project, env=environment,
                   check=True, capture_output=True)
    site = mkdocs_build(project)
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str], str]:
    """The site of 39 daily issues, the same site once the 40th is added, and that issue's date."""
    folder = tmp_path_factory.mktemp("churn")
    issues = sorted((seed_in_daily_issues(folder) / "issues").iterdir())
    for number, path in enumerate(issues):  # two of 20 invented authors on each paper, so each has pages
        issue = json.loads(path.read_text(encoding="utf-8"))
        for index, paper in enumerate(issue["papers"]):
            paper["authors"] = [f"Ada Example{(3 * number + index) % 20}", f"Ben Example{(number + index) % 20}"]
        path.write_text(json.dumps(issue), encoding="utf-8")
    newest = issues.pop()
    lists = folder / "lists"
    lists.mkdir()
    for path in issues:
        shutil.copy(path, lists / path.name)
    project = make_project(folder / "site", papers=lists)
    (project / "digest.yml").write_text("topic_page_size: 10\nauthors: {min_papers: 2}\n", encoding="utf-8")
    before = build(project)
    shutil.copy(newest, project / "data" / "issues" / newest.name)
    return before, build(project), newest.stem


def changed(before: dict[str, str], after: dict[str, str], prefix: str) -> list[str]:
    return sorted(path for path, digest in after.items() if path.startswith(prefix) and before.get(path) != digest)


def test_pages_that_take_the_navigation_from_its_script_stay_the_same(two_days) -> None:
    """Older issues (and a topic's later pages, past weeks' top papers...) name the navigation's script; a new issue
    changes the script (the navigation lists the newest issues), not its name, so not those pages."""
    before, after, date = two_days
    navs = [path for path in after if path.startswith("assets/digest/nav-frame.")]
    assert len(navs) == 1 and navs[0] in before and before[navs[0]] != after[navs[0]]
    issues = changed(before, after, "issues/")
    assert f"issues/{date}/index.html" in issues and "issues/2026-10-01/index.html" not in issues
    # The archive, the new issue and the five the navigation lists (nav_issues), and the one it no longer lists.
    dated = sorted(path for path in after if path.startswith("issues/20"))
    assert set(issues) <= {"issues/index.html", *dated[-7:]}, issues


def test_author_pages_of_other_authors_stay_the_same(two_days) -> None:
    """Author pages take Material's frame, the navigation with it, from one script: only the pages of the new
    issue's authors change, not every author's."""
    before, after, _ = two_days
    frames = [path for path in after if path.startswith("assets/digest/author-frame.")]
    assert len(frames) == 1 and frames[0] in before and before[frames[0]] != after[frames[0]]
    pages = [path for path in after if path.startswith("authors/") and "-example" in path]  # not the index's groups
    assert len(pages) == 40
    # The new issue's three papers have at most six authors.
    authors = [path for path in changed(before, after, "authors/") if path in pages]
    assert 0 < len(authors) <= 6, authors
