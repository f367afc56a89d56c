"""Crash safety: ``kill -9`` at any moment of a build leaves every file old or new, never half-written.

A build over a thousand papers is killed at several moments (before it writes, and at
several points while it writes). After each kill, every file in ``content/`` must be
byte-identical to its version from the previous build or from the new one, every file
the two builds have in common must be there, and the hand-written page untouched; the
next build must then give exactly what an uninterrupted build gives.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from generator.site_swap import SiteSwap
from generator.writer import INCOMPLETE, MANIFEST, TEMP_PREFIX
from tests.conftest import ROOT, make_project, mkdocs_build, run_digest, run_mkdocs

pytestmark = pytest.mark.slow
ABOUT = "# About\n\nHand-written.\n"


def write_papers(project: Path, version: str, files: int = 4, per_file: int = 250) -> None:
    """Paper lists in which every abstract (so every page and feed) depends on ``version``."""
    issues = project / "data" / "issues"
    for old in issues.iterdir():
        old.unlink()
    for day in range(1, files + 1):
        lines = []
        for number in range(per_file):
            lines.append(f"Paper {day}-{number} on language models and reinforcement learning")
            lines.append(f"Abstract {version} of paper {day}-{number}: transformers, diffusion and agents.")
        (issues / f"2026-10-{day:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if version == "new":  # the new data also drops a paper list and adds one
        (issues / "2026-10-01.txt").unlink()
        (issues / "2026-10-20.txt").write_text("A late paper\nIts abstract.\n", encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A project built from the old data, and the trees of an uninterrupted old and new build."""
    base = make_project(tmp_path_factory.mktemp("crash") / "base")
    write_papers(base, "old")
    run_digest("build", "--quiet", cwd=base)
    old = tree(base / "content")
    reference = tmp_path_factory.mktemp("crash") / "reference"
    shutil.copytree(base, reference)
    write_papers(reference, "new")
    run_digest("build", "--quiet", cwd=reference)
    new = tree(reference / "content")
    return base, old, new


def start_build(project: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--quiet"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def wait_for_writing(project: Path, process: subprocess.Popen[bytes]) -> None:
    """Return when the build has widened its manifest: the moment before it writes the first page."""
    manifest = project / "content" / MANIFEST
    before = manifest.stat().st_mtime_ns
    while manifest.stat().st_mtime_ns == before:
        if process.poll() is not None:
            raise AssertionError("the build ended before it started writing")
        time.sleep(0.0005)


def kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


def check_every_file_is_old_or_new(content: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """Assert the crash invariant; say how far the build had got (for the report)."""
    # A file of both builds must exist after any kill: a write that removes a target before its
    # replacement is renamed in would leave a page missing from the site.
    vanished = sorted(path for path in set(old) & set(new) if path != MANIFEST and path not in content)
    assert vanished == [], f"{len(vanished)} file(s) of both builds missing, such as {vanished[:3]}"
    counts = {"old": 0, "new": 0, "same": 0}
    for path, data in content.items():
        name = path.rsplit("/", 1)[-1]
        if name.startswith(TEMP_PREFIX):
            continue  # a temporary file: never read by MkDocs (a dot file), removed by the next build
        if path == MANIFEST:
            assert set(json.loads(data)) <= set(old) | set(new)
            continue
        if path == INCOMPLETE:  # killed among the renames: MkDocs refuses this content/ until the next build
            continue
        assert data in (old.get(path), new.get(path)), f"{path} is neither its old nor its new version"
        if old.get(path) == new.get(path):
            counts["same"] += 1
        else:
            counts["old" if data == old.get(path) else "new"] += 1
    assert content["about.md"] == ABOUT.encode()
    if counts["new"] and counts["old"]:  # part old, part new: said so to MkDocs
        assert INCOMPLETE in content
    return f"{counts['new']} new, {counts['old']} old, {counts['same']} unchanged"


@pytest.mark.parametrize("after", [None, 0.0, 0.01, 0.04, 0.1])
def test_a_build_killed_midway_leaves_whole_files_and_the_next_build_repairs_everything(
    builds: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, after: float | None
) -> None:
    base, old, new = builds
    project = tmp_path / "project"
    shutil.copytree(base, project)
    write_papers(project, "new")
    process = start_build(project)
    if after is None:
        time.sleep(0.3)  # while it reads and renders: nothing may have changed yet
    else:
        wait_for_writing(project, process)
        time.sleep(after)
    kill(process)
    state = check_every_file_is_old_or_new(tree(project / "content"), old, new)
    print(f"killed {'before writing' if after is None else f'{after}s into writing'}: {state}")
    if after is None:  # pages made so far wait in temporary files, which MkDocs never reads
        assert {p: d for p, d in tree(project / "content").items() if TEMP_PREFIX not in p} == old
    run_digest("build", "--quiet", cwd=project)
    assert tree(project / "content") == new


def test_kills_landed_while_files_were_being_replaced(
    builds: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    """The test above is only worth something if a kill can catch a half-done write phase: show one does."""
    base, old, new = builds
    states = []
    # Pages are staged while they are made; the write phase is then only renames, a few
    # milliseconds: kill at once when the manifest is widened, then a little later.
    for attempt in range(12):
        project = tmp_path / f"project-{attempt}"
        shutil.copytree(base, project)
        write_papers(project, "new")
        process = start_build(project)
        wait_for_writing(project, process)
        time.sleep(0.0005 * (attempt % 6))
        kill(process)
        content = tree(project / "content")
        check_every_file_is_old_or_new(content, old, new)
        changed = [path for path in content if path in old and path in new and old[path] != new[path]]
        states.append((sum(content[p] == new[p] for p in changed), sum(content[p] == old[p] for p in changed)))
        if states[-1][0] and states[-1][1]:
            break
    assert any(done and left for done, left in states), states


def test_make_site_replaces_site_only_when_mkdocs_has_finished(tmp_path: Path) -> None:
    """``make site`` builds into .site.tmp: a killed MkDocs leaves the previous site/ in place."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    copy = tmp_path / "repo"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    venv = Path(sys.executable).parent.parent
    stamp = venv / ".installed-stamp"
    make = ["make", "-s", f"VENV={venv}", "-o", str(stamp), "site"]
    environment = {**os.environ}
    environment.pop("SITE_URL", None)
    subprocess.run(make, cwd=copy, capture_output=True, check=True, env=environment)
    before = tree(copy / "site")
    process = subprocess.Popen(make, cwd=copy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(copy.glob(".site.tmp*")) and time.monotonic() < deadline:  # MkDocs builds .site.tmp beside it
        time.sleep(0.01)
    time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # make and the MkDocs it started
    assert process.wait() == -signal.SIGKILL, "make site finished before it could be killed"
    assert tree(copy / "site") == before
    # The next run succeeds and, thanks to SOURCE_DATE_EPOCH, gives the same site whatever the clock and zone.
    again = make
    if shutil.which("faketime"):
        again = ["faketime", "-f", "@2040-02-29 12:00:00", *make]
    environment = {**os.environ, "TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "7"}
    environment.pop("SITE_URL", None)
    subprocess.run(again, cwd=copy, capture_output=True, check=True, env=environment)
    assert tree(copy / "site") == before
    assert not list(copy.glob(".site.tmp*")) and not list(copy.glob(".site.old*"))
    # A site over the host's limit (here a tiny one) is dropped with the reason; the published one stays.
    over = subprocess.run([*make, "CHECK_SITE=--max-site-bytes 1000"], cwd=copy, capture_output=True, text=True,
                          env=environment)
    assert over.returncode != 0
    assert "over the 1.00 KB limit" in over.stderr and "papers/" in over.stderr, over.stderr
    assert tree(copy / "site") == before
    assert not (copy / ".site.tmp").exists()


def test_make_site_in_a_folder_it_cannot_write_says_so_before_building(tmp_path: Path) -> None:
    """A read-only checkout: one line naming the folder, before the generator or MkDocs start (MkDocs ended in a
    traceback writing .site.tmp there)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    as_other: list[str] = []
    if os.geteuid() == 0:  # root writes anywhere: run make as nobody
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv is needed to run make as another user than root")
        as_other = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    folder = Path(tempfile.mkdtemp(dir="/tmp"))  # pytest's tmp_path is root's own: nobody could not enter it
    try:
        shutil.copy2(ROOT / "Makefile", folder / "Makefile")
        folder.chmod(0o555)
        venv = Path(sys.executable).parent.parent
        result = subprocess.run([*as_other, "make", "-s", f"VENV={venv}", "-o", str(venv / ".installed-stamp"), "site"],
                                cwd=folder, capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
    assert result.returncode != 0
    assert f"make site: {folder} is not writable" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# A hook of the site's own (mkdocs.yml's hooks:) that fails as MkDocs writes its second page: FAIL_WITH says how.
FAILING_HOOK = '''
import os
import signal

pages = []


def on_post_page(output, page, config):
    pages.append(page)
    if len(pages) == 2:
        how = os.environ.get("FAIL_WITH", "")
        if how == "error":
            raise RuntimeError("the hook failed")
        if how == "interrupt":
            raise KeyboardInterrupt
        if how == "full-disk":  # as a write into the new site on a full disk fails
            raise OSError(28, "No space left on device", os.path.join(config.site_dir, "papers", "index.html"))
        if how in ("kill", "term"):
            os.kill(os.getpid(), signal.SIGKILL if how == "kill" else signal.SIGTERM)
    return output
'''


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A project with the failing hook (idle unless FAIL_WITH is set), built once: its site/ tree."""
    project = make_project(tmp_path_factory.mktemp("swap") / "project")
    (project / "hook.py").write_text(FAILING_HOOK, encoding="utf-8")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as mkdocs:
        mkdocs.write("hooks:\n  - hook.py\n")
    run_digest("build", "--quiet", cwd=project)
    mkdocs_build(project)
    return project, tree(project / "site")


def leftovers(project: Path) -> list[str]:
    return sorted(path.name for path in project.iterdir() if path.name.startswith((".site.tmp", ".site.old")))


@pytest.mark.parametrize("how", ["error", "interrupt", "full-disk", "kill", "term"])
def test_mkdocs_build_failing_half_way_leaves_the_last_site_whole(
    built_site: tuple[Path, dict[str, bytes]], tmp_path: Path, how: str
) -> None:
    """Plain ``mkdocs build`` emptied site/ first and wrote it page by page: a build that failed on a page (a
    plugin's error, Ctrl-C, a kill) left a site part new, part gone. Now it builds beside site/ and swaps it in."""
    project = tmp_path / "project"
    shutil.copytree(built_site[0], project, symlinks=True)
    result = run_mkdocs(project, env={"FAIL_WITH": how})
    assert result.returncode != 0
    assert tree(project / "site") == built_site[1]
    if how == "full-disk":  # said in a line, not MkDocs' traceback of the write
        assert ("Error: paper-digest: the new site could not be written: papers/index.html: No space left on device;"
                f" {project / 'site'} is as it was") in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    if how == "term":  # as a cancelled CI job stops it
        assert result.returncode == 128 + signal.SIGTERM
    if how != "kill":  # the new site's folder is deleted at once
        assert leftovers(project) == []
    else:  # killed outright: its folder stays until the next build, which deletes it
        assert len(leftovers(project)) == 1 and leftovers(project)[0].startswith(".site.tmp-")
    mkdocs_build(project)
    assert tree(project / "site") == built_site[1]
    assert leftovers(project) == []


def test_mkdocs_build_strict_warnings_leave_the_last_site(
    built_site: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """MkDocs stops a --strict build with warnings after the whole site is written: that site is not put in place."""
    project = tmp_path / "project"
    shutil.copytree(built_site[0], project, symlinks=True)
    (project / "content" / "about.md").write_text("# About\n\n[Gone](missing.md)\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode != 0 and "missing.md" in result.stderr, result.stderr
    assert tree(project / "site") == built_site[1]
    assert leftovers(project) == []


def test_mkdocs_build_replaces_the_folder_a_site_link_leads_to(
    built_site: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """site/ linked to a web server's folder stays a link; the new site is readable by others (not mkdtemp's 0700)."""
    project = tmp_path / "project"
    shutil.copytree(built_site[0], project, symlinks=True)
    served = tmp_path / "www" / "digest"
    served.parent.mkdir()
    (project / "site").rename(served)
    (served / "stale.html").write_text("old\n", encoding="utf-8")
    (project / "site").symlink_to(served)
    mkdocs_build(project)
    assert (project / "site").is_symlink() and (project / "site").resolve() == served.resolve()
    assert tree(served) == built_site[1]
    assert sorted(path.name for path in served.parent.iterdir()) == ["digest"]
    assert served.stat().st_mode & 0o777 == 0o777 & ~current_umask()  # as mkdir makes it


def test_a_site_left_aside_by_a_build_killed_between_its_renames_is_put_back(tmp_path: Path) -> None:
    """Killed after site/ was renamed aside and before the new one took its place: the next build puts the old site
    back first (its own may fail, and site/ must then be the last good one), not deletes it."""
    (tmp_path / ".site.old-0a1b2c3d").mkdir()
    (tmp_path / ".site.old-0a1b2c3d" / "index.html").write_text("last good site\n", encoding="utf-8")
    swap = SiteSwap(str(tmp_path / "site"))
    swap.discard()  # the next build failed
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "last good site\n"
    assert leftovers(tmp_path) == []


def test_of_two_sites_left_aside_the_newest_is_put_back(tmp_path: Path) -> None:
    """Two builds killed between their renames left two old sites: the newer one (by its folder's time, not by the
    random part of its name) becomes site/ again, and the older is deleted."""
    for name, text, when in ((".site.old-ffffffff", "older site\n", 1_000_000), (".site.old-00000000", "newer site\n",
                                                                                2_000_000)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text, encoding="utf-8")
        os.utime(tmp_path / name, (when, when))
    SiteSwap(str(tmp_path / "site")).discard()
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "newer site\n"
    assert leftovers(tmp_path) == []


def test_leftovers_of_a_site_folder_named_with_glob_characters_are_its_own(tmp_path: Path) -> None:
    """site_dir "site[1]": a killed build's .site[1].tmp-… is deleted, and .site1.tmp-… (another site's, which the
    unescaped pattern "[1]" matches) is left alone."""
    mine, other = tmp_path / ".site[1].tmp-0a1b2c3d", tmp_path / ".site1.tmp-0a1b2c3d"
    mine.mkdir()
    other.mkdir()
    SiteSwap(str(tmp_path / "site[1]")).discard()
    assert not mine.exists() and other.is_dir()


@pytest.mark.skipif(sys.platform == "win32", reason="no advisory locks")
def test_a_build_running_beside_another_keeps_its_new_sites_folder(tmp_path: Path) -> None:
    """Two mkdocs builds at once (a hand-run build during the deploy's): the second deletes the folders of killed
    builds only, never the one the first is still writing."""
    first = SiteSwap(str(tmp_path / "site"))
    (first.folder / "index.html").write_text("first\n", encoding="utf-8")
    second = SiteSwap(str(tmp_path / "site"))
    assert (first.folder / "index.html").is_file()
    first.finish()
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "first\n"
    second.discard()
    assert leftovers(tmp_path) == []


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# `digest build`, ended at once (as by kill -9) after it has replaced its third file: os.replace is the commit's rename.
KILLED_WHILE_REPLACING = """
import os
import sys

import generator.writer
from generator.cli import main

replaced = []
real_replace = os.replace


def replace(source, target):
    real_replace(source, target)
    replaced.append(target)
    if len(replaced) == 3:
        os._exit(9)


generator.writer.os.replace = replace
sys.argv = ["digest", "build", "--quiet"]
main()
"""


def test_mkdocs_refuses_the_content_of_a_build_killed_while_it_replaced_files(
    built_site: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """A digest build killed among its renames leaves content/ part old, part new (each file whole): a mkdocs build
    run by hand then built and published a site of both. It stops now, saying what to do; digest build repairs."""
    project = tmp_path / "project"
    shutil.copytree(built_site[0], project, symlinks=True)
    issue = next((project / "data" / "issues").iterdir())
    issue.write_text(issue.read_text(encoding="utf-8").replace("a", "o"), encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_REPLACING], cwd=project, capture_output=True,
                            text=True, check=False)
    assert killed.returncode == 9, killed.stderr
    assert (project / "content" / ".digest-incomplete").is_file()
    result = run_mkdocs(project)
    assert result.returncode != 0
    assert ("ERROR   -  content/ is part old, part new: a digest build was stopped (killed) while it replaced its"
            " files; run digest build, then build the site again") in result.stderr, result.stderr
    assert tree(project / "site") == built_site[1]
    zensical = subprocess.run([sys.executable, "-m", "generator.zensical", "build", "--site-dir", "zensical-site"],
                              cwd=project, capture_output=True, text=True, check=False)
    assert zensical.returncode == 1
    assert "\nError: content/ is part old, part new: a digest build was stopped" in zensical.stderr, zensical.stderr
    run_digest("build", "--quiet", cwd=project)
    assert not (project / "content" / ".digest-incomplete").exists()
    mkdocs_build(project)
    assert tree(project / "site") != built_site[1]
