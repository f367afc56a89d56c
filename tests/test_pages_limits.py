"""GitHub Pages' limits checked on a built site (``digest check-site``, run by ``make site``).

The sites here are sparse files: their apparent sizes reach the real limits (1 GB, 100 MB a
file) without taking the disk space. ``tests/test_crash.py`` runs ``make site`` over a limit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator import pages_limits


def sparse(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.truncate(size)


def check_site(
    site: Path, *options: str, timeout: float | None = None, **environment: str
) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "GITHUB_ACTIONS": "", **environment}
    return subprocess.run([sys.executable, "-m", "generator", "check-site", str(site), *options],
                          capture_output=True, text=True, env=env, timeout=timeout)


def test_sizes_are_summed_by_folder_with_the_feeds_apart(tmp_path: Path) -> None:
    for name, size in {"papers/a/index.html": 700, "papers/b/index.html": 300, "topics/x/index.html": 250,
                       "atom.xml": 40, "rl.rss.xml": 60, "feeds.opml": 5, "index.html": 11, "404.html": 7}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * size)
    size = pages_limits.measure(tmp_path)
    assert (size.total, size.files) == (1373, 8)
    assert size.parts == {"papers": 1000, "topics": 250, pages_limits.FEEDS: 105, pages_limits.TOP_LEVEL: 18}
    assert size.largest[:2] == [(700, "papers/a/index.html"), (300, "papers/b/index.html")]
    assert size.oversized == []


def test_a_small_site_passes_quietly(tmp_path: Path) -> None:
    sparse(tmp_path / "site" / "papers" / "a" / "index.html", 20_000_000)
    result = check_site(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Site size: 20.00 MB in 1 file (2% of the 1.00 GB limit).\n"
    assert result.stderr == ""


def test_within_ten_percent_of_a_gigabyte_warns_and_names_what_shrinks_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for number in range(9):
        sparse(site / "papers" / f"part-{number}.html", 90_000_000)
    sparse(site / "authors" / "many.html", 95_000_000)
    result = check_site(site)
    assert result.returncode == 0  # a warning does not stop a deploy
    assert "Warning: the site is 905.00 MB, 90% of GitHub Pages' 1.00 GB limit" in result.stderr
    assert "  papers/: 810.00 MB (90%)" in result.stderr
    assert "authors/: 95.00 MB (10%) - authors.min_papers" in result.stderr
    assert "Error" not in result.stderr


def test_over_a_gigabyte_fails_naming_the_biggest_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for number in range(11):
        sparse(site / "papers" / f"part-{number}.html", 90_000_000)
    sparse(site / "topics" / "t" / "index.html", 60_000_000)
    sparse(site / "atom.xml", 1_000_000)
    result = check_site(site)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: the site is 1.05 GB, over GitHub Pages' 1.00 GB limit: the host would refuse it."
    assert any(line.startswith("  papers/: 990.00 MB (94%)") for line in lines)
    assert any(line.startswith("  topics/: 60.00 MB") and "topic_page_size" in line for line in lines)
    assert any(line.startswith("  feeds (") and "feeds.limit" in line for line in lines)


def test_one_file_over_a_hundred_megabytes_fails(tmp_path: Path) -> None:
    site = tmp_path / "site"
    sparse(site / "search" / "index.json", 100_000_001)
    sparse(site / "index.html", 1000)
    result = check_site(site)
    assert result.returncode == 1
    # In bytes: "100.00 MB: over the 100.00 MB limit" read as a limit not passed.
    assert "Error: search/index.json is 100,000,001 bytes: over the 100.00 MB limit for one file." in result.stderr
    assert "over GitHub Pages' 1.00 GB" not in result.stderr


def test_in_github_actions_the_message_is_also_an_annotation_on_one_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    sparse(site / "papers" / "a.html", 2000)
    sparse(site / "authors" / "b.html", 1000)
    result = check_site(site, "--max-site-bytes", "2500", GITHUB_ACTIONS="true")
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    expected = "::error title=GitHub Pages limit::the site is 3.00 KB, over the 2.50 KB limit"
    assert annotations[0].startswith(expected)
    assert "%0A  papers/: 2.00 KB (67%25)" in annotations[0]


def test_a_missing_site_is_a_clear_error(tmp_path: Path) -> None:
    result = check_site(tmp_path / "nowhere")
    assert result.returncode == 1
    # A site of its own (digest new) has no Makefile: "make site" was no command there.
    assert result.stderr == (f"Error: {tmp_path / 'nowhere'}: no such folder (build it first: digest build, then"
                             " mkdocs build; in a fork of Paper Digest, make site)\n")
    (tmp_path / "index.html").write_text("x", encoding="utf-8")
    result = check_site(tmp_path / "index.html")
    assert result.returncode == 1
    assert result.stderr == f"Error: {tmp_path / 'index.html'}: a file, not the site's folder\n"


def test_run_from_a_folder_inside_the_site_it_says_so_rather_than_to_build_again(tmp_path: Path) -> None:
    """`digest check-site` in data/ of a built site said "site: no such folder (build it first …)": the maintainer
    built a site that was there all along, one folder up."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Digest\n", encoding="utf-8")
    sparse(tmp_path / "site" / "index.html", 2000)
    (tmp_path / "data").mkdir()
    result = subprocess.run([sys.executable, "-m", "generator", "check-site"], capture_output=True, text=True,
                            cwd=tmp_path / "data", check=False)
    assert result.returncode == 1
    assert result.stderr == ("Error: site: no such folder, and no mkdocs.yml here: this is not a site's folder; run"
                             " digest check-site in one, or give the built site's folder (digest check-site PATH)\n")
    assert subprocess.run([sys.executable, "-m", "generator", "check-site"], capture_output=True, cwd=tmp_path,
                          check=False).returncode == 0


def test_a_link_to_a_folder_it_is_in_is_a_loop_reported_not_walked_for_ever(tmp_path: Path) -> None:
    """Two such links made the walk grow exponentially (a hang); one counted a file dozens of times."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "d").mkdir()
    (site / "index.html").write_text("hi\n", encoding="utf-8")
    (site / "a" / "up").symlink_to("..")
    (site / "d" / "up").symlink_to("..")
    (site / "loop").symlink_to(".")
    (site / "shared").symlink_to("a")  # a second way to a folder, not a loop: counted again, as uploaded
    result = check_site(site, timeout=20)
    assert result.returncode == 1
    assert result.stdout.startswith("Site size: 3 bytes in 1 file (")
    assert result.stderr.splitlines() == [
        f"Error: {path} is a link to a folder it is in: the upload, which follows links, would never end; remove"
        " the link." for path in ("a/up", "d/up", "loop", "shared/up")]


@pytest.mark.parametrize("option", ["--max-site-bytes", "--max-file-bytes"])
def test_limits_must_be_positive(tmp_path: Path, option: str) -> None:
    (tmp_path / "index.html").write_text("x")
    result = check_site(tmp_path, option, "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_hidden_files_and_folders_are_not_counted_as_the_upload_leaves_them_out(tmp_path: Path) -> None:
    """upload-pages-artifact tars the site with --exclude=.[^/]*: a hidden file over the limit was never uploaded."""
    site = tmp_path / "site"
    sparse(site / "index.html", 1000)
    sparse(site / ".cache" / "big.bin", 1_200_000_000)
    sparse(site / "papers" / ".notes.txt", 150_000_000)
    (site / ".nojekyll").touch()
    result = check_site(site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Site size: 1.00 KB in 1 file (")
    assert result.stderr.splitlines() == [
        'Warning: .cache/, .nojekyll, papers/.notes.txt: hidden (a name starting with "."), so not counted: GitHub'
        " Pages' upload (actions/upload-pages-artifact) leaves hidden files and folders out of the site."]


def test_a_link_to_nothing_fails_as_the_upload_would(tmp_path: Path) -> None:
    """The upload's tar --dereference stops at a dangling link ("File removed before we read it"): the deploy failed
    after a check that had passed."""
    site = tmp_path / "site"
    sparse(site / "index.html", 1000)
    (site / "papers").mkdir()
    (site / "papers" / "old").symlink_to("../archive/old")
    result = check_site(site)
    assert result.returncode == 1
    assert result.stderr == ("Error: papers/old is a link to ../archive/old, which does not exist: the upload would"
                             " fail there; remove the link or restore its target.\n")


@pytest.mark.parametrize(("total", "verdict"), [
    (899_999_999, "Site size: 900.00 MB in 11 files (89% of the 1.00 GB limit).\n"),  # no warning: not 90%
    (900_000_000, "Warning: the site is 900.00 MB, 90% of GitHub Pages' 1.00 GB limit"),
    (999_999_999, "Warning: the site is 999,999,999 bytes, 99% of GitHub Pages' 1.00 GB limit"),
    (1_000_000_000, "Warning: the site is 1.00 GB, 100% of GitHub Pages' 1.00 GB limit"),
    (1_000_000_001, "Error: the site is 1,000,000,001 bytes, over GitHub Pages' 1.00 GB limit: the host would refuse"),
    (1_004_900_000, "Error: the site is 1,004,900,000 bytes, over GitHub Pages' 1.00 GB limit"),
    (1_005_000_000, "Error: the site is 1,005,000,000 bytes, over"),  # 1.005 rounds to 1.00 in floating point
    (1_006_000_000, "Error: the site is 1.01 GB, over GitHub Pages' 1.00 GB limit"),
])
def test_at_and_around_the_thresholds(tmp_path: Path, total: int, verdict: str) -> None:
    """1 GB is 10**9 bytes: a site of exactly 1 GB is within the limit, one byte more is over it, said in bytes
    where the rounded size would read as the limit itself."""
    site = tmp_path / "site"
    for number in range(11):  # no file over the 100 MB limit for one file
        sparse(site / "papers" / f"{number:02}.html", total // 11 + (total % 11 if number == 10 else 0))
    result = check_site(site)
    assert result.returncode == (1 if total > 1_000_000_000 else 0)
    assert verdict in (result.stdout if total < 900_000_000 else result.stderr)
    if total < 900_000_000:
        assert result.stderr == ""


def test_without_a_folder_it_checks_the_one_mkdocs_builds(tmp_path: Path) -> None:
    """With site_dir: public in mkdocs.yml, `digest check-site` checked a site/ left from earlier builds (or said
    "site: no such folder") instead of the site `mkdocs build` had just written."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Digest\nsite_dir: public\n", encoding="utf-8")
    sparse(tmp_path / "public" / "index.html", 2000)
    sparse(tmp_path / "site" / "papers" / "old.html", 150_000_000)  # an earlier build's
    result = subprocess.run([sys.executable, "-m", "generator", "check-site"], capture_output=True, text=True,
                            cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "GITHUB_ACTIONS": ""})
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Site size: 2.00 KB in 1 file (")


def test_a_folder_that_cannot_be_listed_fails_as_the_upload_would(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """os.walk passes over a folder it cannot list without a word: its files went unmeasured and the check passed,
    while the upload's tar fails there. (Simulated: permissions do not stop root, who runs the tests in CI.)"""
    sparse(tmp_path / "site" / "index.html", 100)
    sparse(tmp_path / "site" / "papers" / "a" / "index.html", 100)
    listing = pages_limits.os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("papers"):
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(pages_limits.os, "scandir", scandir)
    size = pages_limits.measure(tmp_path / "site")
    verdict = pages_limits.check(size)
    assert (size.files, size.unreadable) == (1, [("papers/", "Permission denied")])
    assert not verdict.ok and verdict.errors == (
        "papers/ cannot be read (Permission denied), so it was not measured, and the upload would fail there; make"
        " it readable (chmod -R a+rX) or remove it.",)
