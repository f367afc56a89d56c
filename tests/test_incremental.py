"""Incremental builds: an unchanged rebuild touches nothing; a new issue rewrites only what it changes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from generator import paper_pages
from generator.sources.listing import read_listing
from tests.conftest import SEED, make_project, run_digest

OLD = 1_000_000_000  # a fixed old modification time (2001): any rewrite shows as a newer one


def snapshot(content: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time of every file in ``content/``."""
    return {
        p.relative_to(content).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(content.rglob("*"))
        if p.is_file()
    }


def age_everything(content: Path) -> None:
    for path in content.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))


def rewritten(before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]]) -> set[str]:
    return {name for name, (_, mtime) in after.items() if name not in before or before[name][1] != mtime}


def differing(before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]]) -> set[str]:
    return {name for name, (data, _) in after.items() if name not in before or before[name][0] != data}


def test_unchanged_rebuild_rewrites_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    first = run_digest("build", cwd=project)
    assert "Wrote" in first.stdout
    before = snapshot(project / "content")
    again = run_digest("build", cwd=project)
    after = snapshot(project / "content")
    assert after == before  # same names, bytes and modification times: not one file rewritten
    assert "nothing changed" in again.stdout
    # The summary is the same as a full build's.
    assert first.stdout.splitlines()[0] == again.stdout.splitlines()[0]


def test_an_unchanged_rebuild_deletes_a_killed_builds_temporary_files(tmp_path: Path) -> None:
    """A build killed (kill -9) while it made pages leaves them in temporary files; the next build, its inputs
    unchanged since the last good one, applied its cache and left them there (megabytes, until a build wrote)."""
    project = make_project(tmp_path / "p")
    draft = project / "content" / ".tmp-draft.md"  # a file of the maintainer's that only looks like one
    draft.write_text("# Draft\n", encoding="utf-8")
    run_digest("build", cwd=project)
    leftovers = [project / "content" / ".tmp-k1ll3d00.part", project / "content" / "topics" / ".tmp-0dd5ca1e.part"]
    for leftover in leftovers:
        leftover.write_text("a page half made\n", encoding="utf-8")
    again = run_digest("build", cwd=project)
    assert "nothing changed" in again.stdout
    assert not [leftover for leftover in leftovers if leftover.exists()]
    assert draft.read_text(encoding="utf-8") == "# Draft\n"


def test_full_rebuild_rewrites_only_its_cache(tmp_path: Path) -> None:
    """Touched outputs void the cache; the full build then finds every file unchanged and keeps it."""
    project = make_project(tmp_path / "p")
    run_digest("build", cwd=project)
    age_everything(project / "content")
    before = snapshot(project / "content")
    again = run_digest("build", cwd=project)
    assert "nothing changed" not in again.stdout
    assert rewritten(before, snapshot(project / "content")) == set()


def test_cache_never_hides_a_change(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    run_digest("build", cwd=project)
    page = next((project / "content" / ".digest" / "papers").glob("*.shard"))
    original = page.read_bytes()
    page.write_text("edited by hand\n", encoding="utf-8")
    run_digest("build", cwd=project)
    assert page.read_bytes() == original  # an edited output is noticed and rebuilt
    topics = project / "data" / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("name: Learning Theory", "name: Theory of Learning"))
    result = run_digest("build", cwd=project)
    assert "nothing changed" not in result.stdout
    assert "Theory of Learning" in (project / "content" / "topics" / "index.md").read_text(encoding="utf-8")


def test_a_hand_written_page_at_a_generated_pages_address_stops_even_an_unchanged_rebuild(tmp_path: Path) -> None:
    """Only hand-written pages at the top of content/ counted for the cache: content/subscribe/index.md, added after a
    build, was never noticed, and MkDocs published one of the two pages at subscribe/."""
    project = make_project(tmp_path / "p")
    run_digest("build", cwd=project)
    mine = project / "content" / "subscribe" / "index.md"
    mine.parent.mkdir()
    mine.write_text("# How to subscribe\n", encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert "the hand-written page content/subscribe/index.md has the address of the page subscribe.md" in result.stderr


def new_issue(count: int) -> dict[str, object]:
    """An issue of ``count`` papers the seed does not have (seed abstracts, new titles)."""
    seed = read_listing(SEED.read_bytes(), SEED.name).papers[:count]
    papers = [{"title": f"Revisited: {p.title}", "abstract": p.abstract, "authors": ["A. Author"]} for p in seed]
    return {"date": "2026-11-28", "papers": papers}


def without_related(article: str) -> str:
    """A paper's article without its "Related papers" section."""
    return re.sub(r'<h2 id="related-papers">.*?</ul>', "", article, flags=re.DOTALL)


def articles(files: dict[str, tuple[bytes, int]]) -> dict[str, str]:
    """Every paper's article in a snapshot, by id (paper pages are records in .digest/papers/ shards)."""
    found = {}
    for name, (data, _) in files.items():
        if name.startswith(".digest/papers/"):
            for record in paper_pages.parse_records(data.decode("utf-8"), name, lambda _: True, AssertionError):
                found[record["id"]] = record["body"]
    return found


def test_a_new_issue_rewrites_only_what_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    run_digest("build", cwd=project)
    content = project / "content"
    age_everything(content)
    before = snapshot(content)
    issue = new_issue(50)
    (project / "data" / "issues" / "2026-11-28.json").write_text(json.dumps(issue), encoding="utf-8")
    run_digest("build", cwd=project)
    after = snapshot(content)
    changed = rewritten(before, after)
    # The writer rewrites exactly the files whose bytes change.
    assert changed == differing(before, after)
    old, new = articles(before), articles(after)
    new_pages = set(new) - set(old)
    assert len(new_pages) == 50 and set(old) <= set(new)
    assert {"issues/2026-11-28.md", ".digest/papers/2026-11-28.shard"} <= changed
    # An older paper's page changes only where a new paper can show: its related papers (similarity
    # is weighed over the whole archive). Nothing else on it changes; no older issue page changes.
    for paper_id in old:
        assert without_related(new[paper_id]) == without_related(old[paper_id]), paper_id
    assert not {n for n in changed if n.startswith("issues/2026-11-2") and n != "issues/2026-11-28.md"}
    # Topic pages and feeds change only for topics that gained a paper.
    topic_link = re.compile(r"\.\./topics/([^/]+)/")
    gained = {slug for paper_id in new_pages for slug in topic_link.findall(without_related(new[paper_id]))}
    assert gained
    for name in changed:
        if name.startswith("topics/") and name != "topics/index.md":
            assert name.split("/")[1] in gained, name
        # The site feeds and the issues feed gain the new issue; a topic feed changes only if it gained a paper.
        if name.endswith((".atom.xml", ".rss.xml")) and name.split(".")[0] not in ("atom", "rss", "issues"):
            assert name.split(".")[0] in gained, name
    assert {"issues.atom.xml", "issues.rss.xml"} <= changed
    untouched_topics = {p.split("/")[1] for p in before if p.startswith("topics/") and p.count("/") == 2} - gained
    assert untouched_topics, "the fixture should leave some topic without new papers"
    assert not {n for n in changed if n.startswith("topics/") and n.split("/")[1] in untouched_topics}


def test_an_edit_of_the_inherited_mkdocs_file_is_a_change(tmp_path: Path) -> None:
    """mkdocs.yml inherits mkdocs.base.yml (INHERIT), whose plugins the build checks; only mkdocs.yml was in the
    cache key, so a rebuild replayed "nothing changed" where a clean build failed --strict."""
    project = make_project(tmp_path / "p")
    assert run_digest("build", "--strict", cwd=project).returncode == 0
    base = project / "mkdocs.base.yml"
    text = base.read_text(encoding="utf-8")
    assert "  - paper-digest\n" in text
    base.write_text(text.replace("  - paper-digest\n", ""), encoding="utf-8")
    result = run_digest("build", "--strict", cwd=project, check=False)
    assert result.returncode == 1 and "paper-digest" in result.stderr and "nothing changed" not in result.stdout


def test_a_setting_written_at_its_default_value_is_a_change(tmp_path: Path) -> None:
    """`curation: data/curation.yml` added to digest.yml (the default path, its file not there) stops a clean build
    with an error; only the settings' values were in the cache key, so a rebuild said "nothing changed"."""
    project = make_project(tmp_path / "p")
    run_digest("build", cwd=project)
    (project / "digest.yml").write_text("curation: data/curation.yml\n", encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1 and "nothing changed" not in result.stdout
    assert "data/curation.yml: no such file (named by `curation:` in digest.yml)" in result.stderr

def test_a_theme_file_added_to_the_sites_custom_dir_is_a_change(tmp_path: Path) -> None:
    """A main.html added to the site's theme.custom_dir replaces Paper Digest's, which the build reports; a rebuild
    said "nothing changed" without the problem, and passed --strict where a clean build failed."""
    project = make_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "theme:\n  name: material\n  custom_dir: overrides\n",
                      encoding="utf-8")
    (project / "overrides").mkdir()
    assert run_digest("build", "--strict", cwd=project).returncode == 0
    (project / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    result = run_digest("build", "--strict", cwd=project, check=False)
    assert result.returncode == 1 and "nothing changed" not in result.stdout
    assert "overrides/main.html: replaces Paper Digest's overrides/main.html" in result.stderr

def test_another_version_of_a_library_the_pages_depend_on_is_a_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a `make setup` that upgraded anyascii (author slugs) or latex2mathml, a rebuild said "nothing changed"
    where a clean build wrote other pages."""
    import importlib.metadata

    from generator.build import BuildOptions, build
    from generator.config import load_config

    project = make_project(tmp_path / "p")
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(project)  # the example has no digest.yml: the defaults, read from here
    config, _ = load_config()
    assert not build(config, BuildOptions()).cached
    assert build(config, BuildOptions()).cached
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "99.0" if name == "anyascii" else real(name))
    assert not build(config, BuildOptions()).cached


def test_another_python_is_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After `.venv` was made again with a newer Python, whose Unicode database normalises titles (paper ids), author
    names and slugs, a rebuild said "nothing changed" where a clean build could write other pages."""
    import platform

    from generator.build import BuildOptions, build
    from generator.config import load_config

    project = make_project(tmp_path / "p")
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(project)
    config, _ = load_config()
    assert not build(config, BuildOptions()).cached
    assert build(config, BuildOptions()).cached
    monkeypatch.setattr(platform, "python_version", lambda: "3.99.0")
    assert not build(config, BuildOptions()).cached


def test_a_cache_folder_that_cannot_be_written_makes_full_builds_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A container run as another user (`docker run --user`: HOME=/, or /nonexistent for a system user) cannot make
    ~/.cache: the build wrote content/, then ended in a traceback and exit status 1 while saving its cache."""
    project = make_project(tmp_path / "p")
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "not-a-folder" / "cache"))
    first = run_digest("build", cwd=project)
    assert "Traceback" not in first.stderr
    assert (project / "content" / "index.md").is_file()
    assert (f"{tmp_path / 'not-a-folder' / 'cache'}: note: the build cache cannot be written here (Not a directory):"
            " every build is a full one; set DIGEST_CACHE_DIR to a folder you can write\n") in first.stderr
    assert "Wrote" in first.stdout
    again = run_digest("build", "--quiet", cwd=project)  # a note is no problem: --quiet leaves it out
    assert (again.stdout, again.stderr) == ("", "")


def test_a_published_page_a_build_drops_is_named(tmp_path: Path) -> None:
    """A typo fixed in the paper list's title of a paper without an arXiv id gave it another id: its published page
    (papers/<id>/, the feeds' permalink) went away and the build said nothing. It names the page now, and how to
    correct a title without moving it; a takedown by the curation file and an unchanged rebuild say nothing."""
    project = make_project(tmp_path / "p")
    listing = project / "data" / "issues" / SEED.name
    run_digest("build", cwd=project)
    before = set(articles(snapshot(project / "content")))
    title = "Taming graph kernels with random features"
    listing.write_text(listing.read_text(encoding="utf-8").replace(title, "Taming graph kernels with random feature"),
                       encoding="utf-8")
    result = run_digest("build", cwd=project)
    gone = before - set(articles(snapshot(project / "content")))
    assert len(gone) == 1
    assert (f"papers/{gone.pop()}/: note: the page of '{title}' (issue 2026-11-27) was published and this build drops"
            " it") in result.stderr
    assert "correct titles with `title:` in the curation file (the page stays)" in result.stderr
    assert "1 note" in result.stdout
    second = run_digest("build", cwd=project)
    assert "was published and this build drops it" in second.stderr  # the cached summary of the build that did
    taken_down = sorted(articles(snapshot(project / "content")))[0]
    curation = project / "data" / "curation.yml"
    curation.write_text(f"papers:\n  '{taken_down}':\n    hide: Takedown request.\n", encoding="utf-8")
    hidden = run_digest("build", cwd=project)
    assert f"Hidden by curation: {taken_down}" in hidden.stdout and "this build drops" not in hidden.stderr


@pytest.mark.parametrize(("part", "damage"), [
    ("summary", {}), ("summary", {"topic_counts": 5}), ("summary", {"problems": [{"file": "x"}]}),
    ("summary", {"hidden": [["x"]]}), ("summary", {"newest": ["x", "y"]}), ("files", {"index\u0000.md": [1, 2]}),
])
def test_a_damaged_cache_makes_a_full_build_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: str, damage: dict[str, object]
) -> None:
    """A cache file whose key still matched but whose summary or list of files was damaged (a disk error, an edit by
    hand) ended every build in a traceback, until the user found the cache folder and deleted it."""
    project = make_project(tmp_path / "p")
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "cache"))
    first = run_digest("build", cwd=project)
    [cache_file] = (tmp_path / "cache").glob("*.json")
    cache = json.loads(cache_file.read_text(encoding="utf-8"))
    cache[part] = {**cache[part], **damage} if damage else {}
    cache_file.write_text(json.dumps(cache), encoding="utf-8")
    again = run_digest("build", cwd=project, check=False)
    assert "Traceback" not in again.stderr and again.returncode == 0
    assert "nothing changed" not in again.stdout and again.stdout.splitlines()[0] == first.stdout.splitlines()[0]
    assert "nothing changed" in run_digest("build", cwd=project).stdout  # the full build wrote a sound cache


def test_a_cache_save_that_fails_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full cache folder (a small disk, a quota) kept the half-written temporary file of every failed save, taking
    the space it lacked."""
    import errno

    from generator import cache

    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.md").write_text("# Home\n", encoding="utf-8")

    def disk_full(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cache.os, "replace", disk_full)
    problem = cache.save(tmp_path / "out", "key", ["index.md"], {})
    assert problem is not None and "No space left on device" in problem.message
    assert list((tmp_path / "cache").iterdir()) == []


def test_two_builds_saving_one_cache_at_once_both_save_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds of one site (a scheduled job and a push) that saved the cache at once wrote one temporary file: one
    of them said the cache "cannot be written here (No such file or directory)", or the cache was a mix of both."""
    import threading

    from generator import cache

    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    out.mkdir()
    for number in range(200):
        (out / f"{number}.md").write_text("# Page\n", encoding="utf-8")
    written = [f"{number}.md" for number in range(200)]
    problems: list[object] = []
    start = threading.Barrier(4)

    def saves(name: str) -> None:
        start.wait()
        problems.extend(cache.save(out, name, written, {"by": name}) for _ in range(30))

    threads = [threading.Thread(target=saves, args=(f"key {number}",)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [problem for problem in problems if problem is not None] == []
    saved = json.loads(cache.cache_file(out).read_text(encoding="utf-8"))
    assert saved["summary"] == {"by": saved["key"]}  # one save's cache whole, not a mix
    assert [path.name for path in (tmp_path / "cache").iterdir()] == [cache.cache_file(out).name]


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """XDG_CACHE_HOME=.cache (relative, which the XDG spec says to ignore) put the build cache in the folder the build
    was run from, the project, where it is committed or published, instead of ~/.cache."""
    from generator import cache

    monkeypatch.delenv("DIGEST_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache")
    assert cache.cache_file(tmp_path / "content").parent == tmp_path / "home" / ".cache" / "paper-digest"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_file(tmp_path / "content").parent == tmp_path / "xdg" / "paper-digest"


def test_the_cache_folder_keeps_the_most_recently_used_caches_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every output folder ever built (each site, each --out, every test run's temporary folder) left a cache file,
    never removed: a cache folder grew by thousands of files, hundreds of megabytes. The most recently used are
    kept, a killed save's temporary file goes, and what the cache folder holds besides is left alone."""
    from generator import cache

    folder = tmp_path / "cache"
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(folder))
    folder.mkdir()
    (folder / "eval").mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    outs = [tmp_path / f"out-{number}" for number in range(cache.KEPT_CACHES + 10)]
    for age, out in enumerate(outs):  # out-0 built last
        out.mkdir()
        cache.cache_file(out).write_text("{}", encoding="utf-8")
        os.utime(cache.cache_file(out), (OLD + 1000 - age, OLD + 1000 - age))
    killed = folder / f".tmp-{cache.cache_file(outs[0]).stem}-123-abcd.json"
    killed.write_text("{", encoding="utf-8")
    os.utime(killed, (OLD, OLD))
    # The oldest cache, used by an unchanged rebuild, counts as recently used.
    (outs[-1] / "index.md").write_text("# Home\n", encoding="utf-8")
    assert cache.save(outs[-1], "key", ["index.md"], {}) is None
    os.utime(cache.cache_file(outs[-1]), (OLD, OLD))
    assert cache.load(outs[-1], "key") == {}
    new = tmp_path / "new"
    new.mkdir()
    assert cache.save(new, "key", [], {}) is None
    kept = {path.name for path in folder.iterdir()}
    expected = {cache.cache_file(out).name for out in [new, outs[-1], *outs[:cache.KEPT_CACHES - 2]]}
    assert kept == expected | {"eval", "notes.txt"}


def test_caches_dated_in_the_future_do_not_push_out_the_one_just_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caches saved while the clock was set years ahead (or restored from a machine whose clock was) look the most
    recently used for years: they must not make every new cache the one removed, nor stay for good themselves."""
    from generator import cache

    folder = tmp_path / "cache"
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(folder))
    folder.mkdir()
    future = 4_000_000_000  # 2096
    for number in range(cache.KEPT_CACHES):
        skewed = folder / f"{number:024x}.json"
        skewed.write_text("{}", encoding="utf-8")
        os.utime(skewed, (future, future))
    built = []
    for number in range(3):
        out = tmp_path / f"out-{number}"
        out.mkdir()
        assert cache.save(out, "key", [], {}) is None
        built.append(cache.cache_file(out).name)
    kept = {path.name for path in folder.iterdir()}
    assert len(kept) == cache.KEPT_CACHES and set(built) <= kept


def test_the_folder_stays_locked_until_its_cache_is_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock on content/ was let go before the cache was saved: a build of other inputs could write the folder in
    between, and this build's cache, saved after, would then call those pages unchanged for this build's inputs."""
    from generator import build as build_module
    from generator.build import BuildOptions, build
    from generator.config import load_config
    from generator.errors import BuildError
    from generator.writer import lock_folder

    project = make_project(tmp_path / "p")
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(project)
    config, _ = load_config()
    saving = build_module.cache.save
    locked: list[bool] = []

    def save(out: Path, *rest: object) -> object:
        try:  # another build's attempt to take the folder, at once
            os.close(lock_folder(out, wait=0) or os.open(out, os.O_RDONLY))
            locked.append(False)
        except BuildError:
            locked.append(True)
        return saving(out, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module.cache, "save", save)
    build(config, BuildOptions())
    assert locked == [True]
    os.close(lock_folder(project / "content", wait=0) or os.open(project, os.O_RDONLY))  # and let go after
