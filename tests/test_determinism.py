"""Determinism: the same inputs give byte-identical content/, feeds and site/, whatever the environment.

Varied between builds: the order files are created and listed in, ``PYTHONHASHSEED``,
``TZ``, the locale, and the clock (with Debian's ``faketime``, which ``make test``
installs when it runs as root).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, SEED, SMALL, make_project

pytestmark = pytest.mark.slow
FAKETIME = shutil.which("faketime")
# Calls that read the clock; library code must take dates from the data or SOURCE_DATE_EPOCH.
CLOCK_CALLS = re.compile(r"\b(?:datetime\.now|datetime\.utcnow|date\.today|datetime\.today|time\.time|time\.localtime"
                         r"|time\.gmtime|time\.ctime|time\.strftime|utcnow|now\(\))")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def inputs() -> list[Path]:
    """Hostile, broken and ordinary lists together, with the same papers repeated across files and dates."""
    files = sorted((FIXTURES / "hostile" / "issues").iterdir()) + sorted((SMALL / "issues").iterdir())
    return [*files, SEED]


def populate(project: Path, order: list[Path]) -> list[Path]:
    """Copy the inputs into the project in ``order``; some under two names and dates, to force merging."""
    issues = project / "data" / "issues"
    for path in issues.iterdir():
        path.unlink()
    copies = []
    for path in order:
        origin = path.parent.parent.name  # hostile, small or data: keeps equal file names apart
        dated = path.name if path.name[:4].isdigit() else f"2026-11-25-{path.name}"
        target = issues / f"{dated[:10]}-{origin}{dated[10:]}"
        shutil.copy(path, target)
        copies.append(target)
        if path.suffix == ".txt":
            again = issues / f"2026-12-01-again-{path.name}"
            shutil.copy(path, again)
            copies.append(again)
    return copies


def run(project: Path, command: list[str], env: dict[str, str], clock: str | None) -> str:
    """Run a command in ``project`` with extra environment variables, under a fake clock if given."""
    if clock is not None:
        if FAKETIME is None:
            pytest.skip("faketime is not installed (apt-get install faketime; make test does it as root)")
        command = [FAKETIME, "-f", clock, *command]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    environment.pop("SITE_URL", None)
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def digest(project: Path, *args: str, env: dict[str, str], clock: str | None = None) -> str:
    return run(project, [sys.executable, "-m", "generator", *args], env, clock)


def mkdocs(project: Path, site_dir: str, env: dict[str, str], clock: str | None) -> Path:
    run(project, [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", site_dir], env, clock)
    return project / site_dir


VARIANTS = [
    # (name, input order, environment, fake clock)
    ("reverse order, hash seed 1, TZ +14, C locale", "reverse",
     {"PYTHONHASHSEED": "1", "TZ": "Pacific/Kiritimati", "LC_ALL": "C", "LANG": "C"}, None),
    ("shuffled, hash seed 4242, TZ -3:30, UTF-8 locale, clock in 1999", "shuffle",
     {"PYTHONHASHSEED": "4242", "TZ": "America/St_Johns", "LC_ALL": "C.UTF-8", "LANG": "tr_TR.UTF-8"},
     "@1999-12-31 23:59:59"),
    ("--papers in random order, random hash seed, clock in 2061", "arguments",
     {"PYTHONHASHSEED": "random", "TZ": "Asia/Kathmandu", "LANG": "de_DE.UTF-8"}, "@2061-07-28 12:00:00"),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    project = make_project(tmp_path_factory.mktemp("determinism") / "reference")
    populate(project, inputs())
    digest(project, "build", "--quiet", env={"PYTHONHASHSEED": "0", "TZ": "UTC"})
    return tree(project / "content")


@pytest.mark.parametrize(("name", "order", "env", "clock"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_content_and_feeds_are_byte_identical_whatever_the_environment(
    reference: dict[str, bytes], tmp_path: Path, name: str, order: str, env: dict[str, str], clock: str | None
) -> None:
    project = make_project(tmp_path / "variant")
    files = inputs()
    if order == "reverse":
        files.reverse()
    else:
        random.Random(name).shuffle(files)
    copies = populate(project, files)
    args = ["build", "--quiet"]
    if order == "arguments":
        random.Random(7).shuffle(copies)
        for path in copies:
            args += ["--papers", str(path.relative_to(project))]
    digest(project, *args, env=env, clock=clock)
    content = tree(project / "content")
    assert sorted(content) == sorted(reference)
    assert [path for path in content if content[path] != reference[path]] == []
    assert any(path.endswith(".atom.xml") for path in content) and "rss.xml" in content


def test_site_is_byte_identical_with_source_date_epoch_whatever_the_clock(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    populate(project, inputs())
    digest(project, "build", "--quiet", env={})
    epoch = digest(project, "epoch", env={}).strip()
    first = mkdocs(project, "site-a", {"SOURCE_DATE_EPOCH": epoch, "TZ": "UTC"}, "@2031-03-01 08:00:00")
    second = mkdocs(
        project, "site-b", {"SOURCE_DATE_EPOCH": epoch, "TZ": "Pacific/Kiritimati", "LC_ALL": "C",
                            "PYTHONHASHSEED": "99"}, "@2001-01-01 00:00:00",
    )
    a, b = tree(first), tree(second)
    assert sorted(a) == sorted(b)
    assert [path for path in a if a[path] != b[path]] == []
    assert "sitemap.xml" in a and "search/search_index.json" in a


def test_a_plain_mkdocs_build_is_dated_by_the_newest_issue_not_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without SOURCE_DATE_EPOCH (the site's README says `mkdocs build`), every line of the sitemap said the day
    it was built: two builds of the same content differed, whatever else was reproducible."""
    project = make_project(tmp_path / "site")
    populate(project, inputs())
    digest(project, "build", "--quiet", env={})
    epoch = digest(project, "epoch", env={}).strip()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = mkdocs(project, "site-a", {}, "@2031-03-01 08:00:00")
    second = mkdocs(project, "site-b", {"TZ": "Pacific/Kiritimati"}, "@2001-01-01 00:00:00")
    a, b = tree(first), tree(second)
    assert [path for path in a if a[path] != b.get(path)] == []
    newest = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    dates = set(re.findall(r"<lastmod>([^<]*)</lastmod>", a["sitemap.xml"].decode()))
    assert max(dates) == newest and len(dates) > 1  # papers and issues: their issue's date
    # A SOURCE_DATE_EPOCH of the caller's own still wins.
    own = mkdocs(project, "site-c", {"SOURCE_DATE_EPOCH": "1700000000"}, None)
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", (own / "sitemap.xml").read_text())) == {"2023-11-14"}


def test_an_empty_source_date_epoch_is_unset_and_a_malformed_one_is_named(tmp_path: Path) -> None:
    """NumPy (the topic engine's) reads SOURCE_DATE_EPOCH as it is imported: an empty one (a CI variable that is
    not set) stopped `digest build` with a traceback from deep inside it, and MkDocs stopped on a negative one
    writing sitemap.xml.gz. Empty is unset; any other value that is not seconds since 1970 is named."""
    project = make_project(tmp_path / "site")
    with (project / "digest.yml").open("a", encoding="utf-8") as settings:
        settings.write("watch:\n  phrases: [language model]\n")  # MkDocs' process then imports NumPy as well
    digest(project, "build", "--quiet", env={"SOURCE_DATE_EPOCH": ""})
    epoch = digest(project, "epoch", env={"SOURCE_DATE_EPOCH": " "}).strip()
    site = mkdocs(project, "site-a", {"SOURCE_DATE_EPOCH": ""}, None)
    newest = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", (site / "sitemap.xml").read_text())) == {newest}
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for value in ("yesterday", "-5", "1.7e9", "4294967296"):
        for command in ([sys.executable, "-m", "generator", "build"],
                        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site-b"],
                        [sys.executable, "-m", "generator.zensical", "build", "--site-dir", "site-c"]):
            result = subprocess.run(command, cwd=project, env={**environment, "SOURCE_DATE_EPOCH": value},
                                    capture_output=True, text=True, check=False)
            assert result.returncode == 1, (command, value)
            assert "Traceback" not in result.stderr, (command, value)
            assert f"SOURCE_DATE_EPOCH={value!r} is not a date: give seconds since 1970" in result.stderr
    assert not (project / "site-b").exists() and not (project / "site-c").exists()


def test_library_code_never_reads_the_clock() -> None:
    """Dates come from the data (or SOURCE_DATE_EPOCH for MkDocs); only durations may be measured.

    The faketime builds above prove the same for the whole build command, the CLI included.
    """
    offenders = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path.name == "cli.py":
            continue  # the command layer: `digest fetch` defaults to today's date, which is its job
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if CLOCK_CALLS.search(line.split("#", 1)[0]):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
