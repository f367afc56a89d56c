"""Writing content/: never over hand-written files, never outside, nothing rewritten needlessly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.writer import MANIFEST, write_output


def test_writes_then_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    (tmp_path / "about.md").write_text("mine", encoding="utf-8")
    write_output(tmp_path, {"index.md": b"home", "papers/a.md": b"A", "papers/b.md": b"B"})
    stats = write_output(tmp_path, {"index.md": b"home", "papers/a.md": b"A2"})
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 1)
    assert not (tmp_path / "papers" / "b.md").exists()
    assert (tmp_path / "about.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [MANIFEST, "a.md", "about.md", "index.md"]


def test_refuses_to_overwrite_a_hand_written_file(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("hand-written home", encoding="utf-8")
    with pytest.raises(BuildError, match=r"refusing to overwrite a hand-written file.*index\.md"):
        write_output(tmp_path, {"index.md": b"generated", "other.md": b"x"})
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "hand-written home"
    assert not (tmp_path / "other.md").exists()


def test_a_generated_file_the_manifest_no_longer_lists_is_refused_with_where_to_look(tmp_path: Path) -> None:
    """A manifest damaged by a flipped byte (an edit, a merge) said only "refusing to overwrite a hand-written file in
    content: search/papers/t/ki.json", a file nobody wrote by hand."""
    write_output(tmp_path, {"index.md": b"home", "papers/a.md": b"A"})
    manifest = tmp_path / MANIFEST
    damaged = manifest.read_text(encoding="utf-8").replace("papers/a.md", "papers/\u00e1.md")
    manifest.write_text(damaged, encoding="utf-8")
    with pytest.raises(BuildError) as error:
        write_output(tmp_path, {"index.md": b"home", "papers/a.md": b"A2"})
    assert str(error.value) == (f"refusing to overwrite a hand-written file in {tmp_path}: papers/a.md (not among the"
                                f" files {MANIFEST} lists as the builds' own: if you wrote it, move it; if it is an"
                                " earlier build's, delete it and build again)")
    assert (tmp_path / "papers" / "a.md").read_bytes() == b"A"


@pytest.mark.parametrize(("mine", "ours"), [("issues.md", "issues/index.md"), ("subscribe/index.md", "subscribe.md")])
def test_refuses_a_page_at_the_address_of_a_hand_written_page(tmp_path: Path, mine: str, ours: str) -> None:
    """MkDocs gives issues.md and issues/index.md one address and published only the generated page: the hand-written
    one was gone from the site, without a word from either build."""
    (tmp_path / mine).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / mine).write_text("# Mine", encoding="utf-8")
    with pytest.raises(BuildError, match=rf"the hand-written page .*{mine} has the address of the page {ours}"):
        write_output(tmp_path, {ours: b"generated", "other.md": b"x"})
    assert not (tmp_path / ours).exists() and not (tmp_path / "other.md").exists()
    write_output(tmp_path, {"elsewhere.md": b"generated"})  # other addresses are free


@pytest.mark.parametrize(("mine", "ours"), [("Subscribe.md", "subscribe.md"), ("Issues.md", "issues/index.md"),
                                            ("Feeds.OPML", "feeds.opml"), ("Atom.xml", "atom.xml")])
def test_refuses_a_file_whose_name_differs_from_a_hand_written_one_only_in_case(
    tmp_path: Path, mine: str, ours: str
) -> None:
    """On macOS and Windows Subscribe.md is subscribe.md: the build's page replaced the hand-written one there, and
    elsewhere the site had both, which a checkout or an upload made on either mixes up."""
    (tmp_path / mine).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / mine).write_text("# Mine", encoding="utf-8")
    with pytest.raises(BuildError, match=rf"the hand-written .*{mine} and {ours}, which the build writes, differ only"
                                         r" in case: macOS and Windows take them for one file"):
        write_output(tmp_path, {ours: b"generated", "other.md": b"x"})
    assert (tmp_path / mine).read_text(encoding="utf-8") == "# Mine"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [mine]


def test_refuses_to_write_into_a_folder_whose_name_differs_from_a_hand_written_one_only_in_case(
    tmp_path: Path
) -> None:
    """On macOS and Windows content/Issues/ is content/issues/: a site built there put every issue page under
    Issues/, which the links (issues/...) do not lead to on a web server that tells case apart (GitHub Pages)."""
    (tmp_path / "Issues").mkdir()
    (tmp_path / "Issues" / "notes.md").write_text("# Mine", encoding="utf-8")
    with pytest.raises(BuildError, match=r"the hand-written folder .*Issues and issues/, which the build writes into,"
                                         r" differ only in case"):
        write_output(tmp_path, {"index.md": b"home", "issues/2026-11-27.md": b"generated"})
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["Issues", "Issues/notes.md"]
    write_output(tmp_path, {"index.md": b"home", "papers/x.md": b"generated"})  # a folder of another name is fine


@pytest.mark.parametrize("name", ["../escape.md", "/etc/passwd", "a/../../b.md", "", "a//b.md", "a\\..\\b"])
def test_refuses_paths_outside_the_output_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(BuildError):
        write_output(out, {name: b"x"})
    assert list(tmp_path.rglob("*.md")) == []


def test_unchanged_files_keep_their_modification_time(tmp_path: Path) -> None:
    write_output(tmp_path, {"a.md": b"same"})
    os.utime(tmp_path / "a.md", (1_000_000, 1_000_000))
    write_output(tmp_path, {"a.md": b"same"})
    assert (tmp_path / "a.md").stat().st_mtime == 1_000_000


def test_leftover_temporary_files_of_a_killed_build_are_cleaned(tmp_path: Path) -> None:
    write_output(tmp_path, {"a.md": b"x"})
    (tmp_path / ".tmp-123.part").write_bytes(b"half")
    write_output(tmp_path, {"a.md": b"x"})
    assert not (tmp_path / ".tmp-123.part").exists()


def test_a_build_that_fails_after_staging_leaves_content_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages are staged as they are made; an error after the new issue's paper shard (the build's last page)
    is staged, with changed listing pages and feeds staged before it, replaces nothing and leaves no stray file."""
    from generator import writer
    from generator.build import BuildOptions, build
    from generator.config import load_config
    from generator.paper_pages import shard_path
    from tests.conftest import make_project, run_digest

    project = make_project(tmp_path / "p")
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    before = {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
    (project / "data" / "issues" / "2026-11-28.json").write_text(
        '[{"title": "A paper of a new issue", "abstract": "New."}]', encoding="utf-8"
    )
    new_shard = shard_path("2026-11-28")
    staged: list[str] = []

    def add_then_fail(self: writer.StagedWriter, relative: str, data: bytes) -> None:
        original(self, relative, data)
        staged.extend(path for path in self.staged if path not in staged)
        if relative == new_shard:
            assert self.staged[relative].is_file()  # written, under its temporary name
            raise RuntimeError("a failure after the new paper shard was staged")

    original = writer.StagedWriter.add
    monkeypatch.setattr(writer.StagedWriter, "add", add_then_fail)
    monkeypatch.chdir(project)  # the defaults, as `digest build` run there without a digest.yml
    config, _ = load_config()
    with pytest.raises(RuntimeError, match="after the new paper shard was staged"):
        build(config, BuildOptions())
    assert {new_shard, "index.md", "atom.xml", "issues/index.md"} <= set(staged)
    after = {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
    assert after == before
    assert sorted(p for p in content.rglob("*") if p.is_dir() and not any(p.iterdir())) == []


def test_a_file_of_both_builds_is_never_missing_while_a_commit_replaces_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each target is replaced by one rename, never removed first: a kill between two steps loses no page.

    (tests/test_crash.py kills real builds; this checks every rename, where a kill may or may not land.)
    """
    import generator.writer as writer

    write_output(tmp_path, {"index.md": b"old home", "papers/a.md": b"A", "gone.md": b"G"})
    missing: list[str] = []
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        for name in ("index.md", "papers/a.md"):
            if not (tmp_path / name).exists():
                missing.append(name)
        real_replace(source, target)

    monkeypatch.setattr(writer.os, "replace", replace)
    write_output(tmp_path, {"index.md": b"new home", "papers/a.md": b"A2"})
    assert missing == []
    assert (tmp_path / "index.md").read_bytes() == b"new home" and not (tmp_path / "gone.md").exists()


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_written_files_get_the_mode_the_umask_gives_not_a_private_one(tmp_path: Path, umask: int) -> None:
    """Files are written to a private temporary file and renamed; they end up as a plain open() makes them
    (0644 under the usual umask), so a web server or a collaborator can read content/, site/ and a new project."""
    script = "import sys, pathlib, generator.writer as w; w.write_output(pathlib.Path(sys.argv[1]), {'a.md': b'A'})"
    for command in ([sys.executable, "-c", script, str(tmp_path / "content")],
                    [sys.executable, "-m", "generator", "new", str(tmp_path / "project")]):
        result = subprocess.run(
            command, capture_output=True, text=True, check=False,
            preexec_fn=lambda: os.umask(umask),  # the child's umask only
        )
        assert result.returncode == 0, result.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 8  # content/ and a whole new project
    assert {p.relative_to(tmp_path).as_posix(): oct(p.stat().st_mode & 0o777) for p in files} == {
        p.relative_to(tmp_path).as_posix(): oct(0o666 & ~umask) for p in files
    }


@pytest.mark.skipif(sys.platform == "win32", reason="advisory locks are POSIX")
def test_a_second_build_waits_for_the_one_writing_content_and_leaves_its_files_alone(tmp_path: Path) -> None:
    # make site while make serve rebuilds: the second build deleted the first one's staged files as a killed
    # build's, and the first then stopped halfway through its renames with a traceback.
    import fcntl
    import shutil
    import time

    from tests.conftest import SMALL

    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    content = project / "content"
    content.mkdir()
    staged = content / ".tmp-another-build.part"  # a page the other build has staged and not yet renamed
    staged.write_text("staged", encoding="utf-8")
    holder = os.open(content, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    build = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(3)
        assert build.poll() is None  # waiting, not failing
        assert staged.read_text(encoding="utf-8") == "staged"
        assert not (content / "index.md").exists()
    finally:
        os.close(holder)  # the other build is done: its lock goes with it
    _, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert "Waiting for another build to finish writing content ..." in err
    assert (content / "index.md").exists() and not staged.exists()  # left by a build that is gone: cleaned


def test_a_build_that_keeps_the_folder_too_long_is_reported(tmp_path: Path) -> None:
    import fcntl

    from generator.writer import lock_folder

    holder = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(BuildError, match=r"another build has been writing .* for over 0 s"):
            lock_folder(tmp_path, wait=0.3)
    finally:
        os.close(holder)
    mine = lock_folder(tmp_path, wait=0.3)
    assert mine is not None
    os.close(mine)


def test_a_build_keeps_hand_written_files_that_start_like_its_temporary_ones(tmp_path: Path) -> None:
    """Every ``.tmp-*`` under content/ was taken for a killed build's leftover: a hand-written ``.tmp-draft.md``
    was deleted, and a ``.tmp-*`` folder made every build a traceback."""
    out = tmp_path / "content"
    (out / "assets").mkdir(parents=True)
    (out / ".tmp-draft.md").write_text("mine\n", encoding="utf-8")
    (out / "assets" / ".tmp-keep.css").write_text("p {}\n", encoding="utf-8")
    (out / ".tmp-folder").mkdir()
    (out / "assets" / ".tmp-abcd1234.part").write_bytes(b"a killed build's")
    write_output(out, {"index.md": b"# Home\n"})
    assert (out / ".tmp-draft.md").read_text(encoding="utf-8") == "mine\n"
    assert (out / "assets" / ".tmp-keep.css").exists() and (out / ".tmp-folder").is_dir()
    assert not (out / "assets" / ".tmp-abcd1234.part").exists()


def test_a_lost_manifest_says_how_to_recover(tmp_path: Path) -> None:
    out = tmp_path / "content"
    write_output(out, {"index.md": b"# Home\n"})
    (out / MANIFEST).unlink()
    with pytest.raises(BuildError, match=r"index\.md \(\.digest-manifest\.json, where a build lists .* delete them"):
        write_output(out, {"index.md": b"# Home again\n"})


def test_a_folder_that_cannot_be_written_is_an_error_not_a_traceback_and_content_is_kept(tmp_path: Path) -> None:
    """A read-only folder (or a full disk) fails the build with the file and the reason; nothing is replaced."""
    from tests.conftest import make_project, read_only, run_digest

    project = make_project(tmp_path / "p")
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    before = {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
    (project / "data" / "issues" / "2026-11-28.json").write_text(
        '[{"title": "A paper of a new issue", "abstract": "New."}]', encoding="utf-8"
    )
    with read_only(content / "topics"):
        result = run_digest("build", "--quiet", cwd=project, check=False)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "content/topics/" in result.stderr and "cannot write (" in result.stderr, result.stderr
    after = {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
    assert after == before


def test_an_aborted_build_removes_the_files_a_helper_process_staged(tmp_path: Path) -> None:
    """A helper process stages its pages itself; a build that fails before taking them leaves none behind."""
    from generator.writer import StagedWriter, stage_if_changed

    write_output(tmp_path, {"index.md": b"old"})
    writer = StagedWriter(tmp_path)
    writer.add("index.md", b"new")
    staged = stage_if_changed(tmp_path, "papers/2026-11-28.md", b"a shard")
    assert staged is not None and staged.is_file()
    writer.abort()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        ".digest-manifest.json", "index.md"]
    assert (tmp_path / "index.md").read_bytes() == b"old"


def test_ctrl_c_during_the_renames_takes_effect_once_all_are_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or SIGTERM) while a commit renames files must not leave content/ part old, part new."""
    import signal

    import generator.writer as writer

    old = {f"issues/{day:02d}.md": b"old" for day in range(1, 21)}
    write_output(tmp_path, old)
    real_replace = os.replace
    sent: list[str] = []

    def replace(source: str | Path, target: str | Path) -> None:
        real_replace(source, target)
        if not sent:
            sent.append(str(target))
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(writer.os, "replace", replace)
    # Python's own Ctrl-C handler, whatever this process inherited: a shell starts a background job (a CI runner's
    # `make test &`) with SIGINT ignored, and Python then leaves it ignored.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            write_output(tmp_path, {path: b"new" for path in old})
    finally:
        signal.signal(signal.SIGINT, inherited)
    assert sent
    assert {path: (tmp_path / path).read_bytes() for path in old} == {path: b"new" for path in old}
    assert [p.name for p in tmp_path.rglob(".tmp-*")] == []


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_a_build_stopped_by_ctrl_c_or_sigterm_says_so_and_leaves_content_whole(tmp_path: Path, stop: str) -> None:
    """Ctrl-C ended in click's bare ``Aborted!`` (exit 1), SIGTERM (a cancelled CI job, ``timeout``) in a silent
    death leaving the staged pages in content/; each now cleans up, says so and exits 128 + the signal's number."""
    import shutil
    import signal
    import time

    from tests.conftest import make_project, run_digest

    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    base = make_project(tmp_path / "base")
    run_digest("build", "--quiet", cwd=base)
    old = tree(base / "content")
    new_paper = '[{"title": "A paper of a new issue", "abstract": "New."}]'
    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    (reference / "data" / "issues" / "2026-11-28.json").write_text(new_paper, encoding="utf-8")
    run_digest("build", "--quiet", cwd=reference)
    new = tree(reference / "content")
    number = getattr(signal, stop)
    for attempt in range(10):
        project = tmp_path / f"project-{attempt}"
        shutil.copytree(base, project)
        (project / "data" / "issues" / "2026-11-28.json").write_text(new_paper, encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "build", "--quiet"], cwd=project, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True,
            # A job started in the background inherits SIGINT ignored; a terminal's Ctrl-C is not.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        while process.poll() is None and not any((project / "content").rglob(".tmp-*")):
            time.sleep(0.0005)
        process.send_signal(number)
        _, stderr = process.communicate()
        if process.returncode == 0:
            continue  # it finished first: try again
        assert process.returncode == 128 + number, stderr
        assert "Traceback" not in stderr and "Interrupted: content/ is left whole" in stderr, stderr
        assert tree(project / "content") in (old, new)
        break
    else:
        pytest.skip("every build finished before the signal landed")


def test_the_builds_own_files_nested_thousands_deep_read_as_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """content/'s manifest and paper shards and the build cache are the builds' own files, and one damaged (by a disk,
    an edit, a merge) is read as missing, and rebuilt: one nested thousands deep was a RecursionError traceback."""
    from generator import cache
    from generator.paper_pages import SHARD_DIR, ShellError, published_papers, read_records
    from generator.writer import read_manifest

    out = tmp_path / "content"
    (out / SHARD_DIR).mkdir(parents=True)
    deep = "[" * 100_000 + "\n"
    (out / MANIFEST).write_text(deep, encoding="utf-8")
    assert read_manifest(out) == set()
    (out / SHARD_DIR / "2026-11-27.shard").write_text(deep, encoding="utf-8")
    assert published_papers(out) == {}
    with pytest.raises(ShellError):
        list(read_records(out))
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    cache.cache_file(out).parent.mkdir()
    cache.cache_file(out).write_text(deep, encoding="utf-8")
    assert cache.load(out, "key") is None
