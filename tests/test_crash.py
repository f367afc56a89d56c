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

from generator.writer import MANIFEST, TEMP_PREFIX
from tests.conftest import ROOT, make_project, run_digest

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
        assert data in (old.get(path), new.get(path)), f"{path} is neither its old nor its new version"
        if old.get(path) == new.get(path):
            counts["same"] += 1
        else:
            counts["old" if data == old.get(path) else "new"] += 1
    assert content["about.md"] == ABOUT.encode()
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
    while not (copy / ".site.tmp").exists() and time.monotonic() < deadline:
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
    assert not (copy / ".site.tmp").exists() and not (copy / ".site.old").exists()
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
