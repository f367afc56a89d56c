"""Shared fixtures: small real projects built into temporary folders."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.ci_guard"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small"
# The tests use a copy of the bundled example site (mkdocs.yml, data/; no digest.yml, so every
# setting is the default), never the repository's own: in a fork those are the maintainer's (their
# papers, taxonomy, curation, settings, site name and URL), and the tests must pass whatever they
# hold. Only mkdocs.base.yml, the code's part of the MkDocs setup, comes from the repository.
EXAMPLE = FIXTURES / "seed"
SEED = EXAMPLE / "data" / "issues" / "2026-11-27.txt"
SEED_TOPICS = EXAMPLE / "data" / "topics.yml"

# Property tests in `make test` (and CI) are quick and repeatable: the same examples every run
# (derandomize), so a failure is the code's, not the draw's. `make fuzz` loads "explore": fresh
# random examples each run, many more of them, and failures it finds are kept in .hypothesis/ and
# replayed first next time.
settings.register_profile(
    "default", max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "explore", max_examples=2000, deadline=None, derandomize=False, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every property test ``property``, so ``make fuzz`` can run them alone (``-m property``)."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output.")


def run_digest(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real ``digest`` command in a subprocess, as a user would (by default in the example project)."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd or EXAMPLE, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"digest {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only for this user: its mode, and for root (whom modes do not stop) the immutable flag."""
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    try:
        if immutable and subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode:
            pytest.skip("running as root, and chattr cannot make a folder immutable here")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
        folder.chmod(0o755)



def make_project(target: Path, papers: Path | None = None, topics: Path | None = None, site_url: str = "") -> Path:
    """A copy of this repository's site setup (mkdocs.yml inheriting mkdocs.base.yml) around given data."""
    target.mkdir(parents=True, exist_ok=True)
    copy_site_config(target, site_url)
    data = target / "data" / "issues"
    data.mkdir(parents=True)
    if papers is None:
        shutil.copy(SEED, data / SEED.name)
    elif papers.is_dir():
        shutil.copytree(papers, data, dirs_exist_ok=True)
    else:
        shutil.copy(papers, data / papers.name)
    shutil.copy(topics or SEED_TOPICS, target / "data" / "topics.yml")
    (target / "content").mkdir()
    (target / "content" / "about.md").write_text("# About\n\nHand-written.\n", encoding="utf-8")
    return target


def seed_in_daily_issues(folder: Path, curation: str = "papers: {}\n") -> Path:
    """The seed's 119 papers as 40 daily issues of 3 (so the topic learner is taught again along the way)."""
    from generator.merge import merge_papers
    from generator.sources import read_all

    project = folder / "daily"
    (project / "issues").mkdir(parents=True)
    results, _ = read_all([SEED])
    papers = merge_papers(paper for result in results for paper in result.papers)
    for number in range(0, len(papers), 3):
        date = dt.date(2026, 10, 1) + dt.timedelta(days=number // 3)
        records = [{"title": p.title, "abstract": p.abstract, "authors": list(p.authors), "arxiv": p.arxiv_id}
                   for p in papers[number:number + 3]]
        (project / "issues" / f"{date}.json").write_text(json.dumps({"date": str(date), "papers": records}),
                                                         encoding="utf-8")
    shutil.copy(SEED_TOPICS, project / "topics.yml")
    (project / "digest.yml").write_text("papers: [issues]\ntopics: topics.yml\ncuration: curation.yml\n",
                                        encoding="utf-8")
    shutil.copy(SMALL / "mkdocs.yml", project / "mkdocs.yml")
    (project / "curation.yml").write_text(curation, encoding="utf-8")
    return project


def copy_site_config(target: Path, site_url: str = "") -> None:
    """The example's mkdocs.yml and this repository's mkdocs.base.yml (its plugin brings the overrides and hook)."""
    config = (EXAMPLE / "mkdocs.yml").read_text(encoding="utf-8")
    inherit = "INHERIT: ../../../mkdocs.base.yml\n"
    assert inherit in config, "the example's mkdocs.yml no longer inherits mkdocs.base.yml"
    config = config.replace(inherit, "INHERIT: mkdocs.base.yml\n")
    if site_url:
        line = 'site_url: !ENV [SITE_URL, "https://paper-digest.github.io/paper-digest/"]'
        assert line in config, "the example's site_url line changed; update copy_site_config"
        config = config.replace(line, f"site_url: {site_url}")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    # The base names no path: the paper-digest plugin finds the theme overrides and hook in the package.
    shutil.copy(ROOT / "mkdocs.base.yml", target / "mkdocs.base.yml")


def latin_1_locale(folder: Path) -> dict[str, str]:
    """Environment variables of a Latin-1 locale (de_DE.ISO-8859-1) made in ``folder``, where Python reads file names
    as Latin-1; skips the test where glibc's ``localedef`` or its locale sources are missing."""
    localedef, definitions = shutil.which("localedef"), Path("/usr/share/i18n/locales/de_DE")
    if localedef is None or not definitions.is_file():
        pytest.skip("needs localedef and glibc's locale sources (Debian's locales package) to make a Latin-1 locale")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([localedef, "-i", "de_DE", "-f", "ISO-8859-1", str(folder / "de_DE.ISO-8859-1")],
                   check=False, capture_output=True)
    variables = {"LOCPATH": str(folder), "LC_ALL": "de_DE.ISO-8859-1", "PYTHONUTF8": "0"}
    check = subprocess.run([sys.executable, "-c", "import sys; print(sys.getfilesystemencoding())"],
                           env={**os.environ, **variables}, capture_output=True, text=True, check=True)
    if check.stdout.strip() != "iso8859-1":
        pytest.skip(f"the Latin-1 locale could not be made here (file names read as {check.stdout.strip()})")
    return variables


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def built_in_two_orders(folder: Path, make: Callable[[Path], Path]) -> list[Path]:
    """Two projects made by ``make`` and built under other hash seeds, the second with its paper lists written
    in the reverse order (what a file system lists first differs): determinism tests compare their outputs."""
    projects = []
    for seed, reverse in (("1", False), ("4242", True)):
        project = make(folder / seed)
        if reverse:  # the same lists, created in the other order
            issues = project / "data" / "issues"
            saved = {path.name: path.read_bytes() for path in sorted(issues.iterdir())}
            for path in issues.iterdir():
                path.unlink()
            for name in sorted(saved, reverse=True):
                (issues / name).write_bytes(saved[name])
        environment = {**os.environ, "PYTHONHASHSEED": seed, "DIGEST_CACHE_DIR": str(folder / seed / "cache")}
        subprocess.run([sys.executable, "-m", "generator", "build", "--quiet"], cwd=project, env=environment,
                       check=True, capture_output=True)
        projects.append(project)
    return projects


def paper_page_html(site: Path, paper_id: str) -> str:
    """A built paper page as a browser has it once the frame script ran: its shared parts put back."""
    import re

    from generator.paper_frame import FrameScript, restore_script_only_parts

    text = (site / "papers" / paper_id / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script src="\.\./\.\./(assets/digest/paper-frame\.[0-9a-f]+\.js)" data-part=', text)
    if found:
        script = FrameScript(found.group(1), (site / found.group(1)).read_text(encoding="utf-8"))
        text = restore_script_only_parts(text, script)
    return text


def run_mkdocs(project: Path, site_dir: str = "site", env: dict[str, str] | None = None,
               config: str | None = None) -> subprocess.CompletedProcess[str]:
    """A real ``mkdocs build --strict`` of ``project`` (with its ``config`` file, if given), as it ended."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    environment.pop("SITE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *(["-f", config] if config else []),
         "--site-dir", site_dir],
        cwd=project, capture_output=True, text=True, env=environment, check=False,
    )


def mkdocs_build(project: Path, site_dir: str = "site", env: dict[str, str] | None = None) -> Path:
    """A real ``mkdocs build --strict``; fails the test with MkDocs' output on any warning."""
    result = run_mkdocs(project, site_dir, env)
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return project / site_dir


@pytest.fixture(scope="session", autouse=True)
def outside_github_actions() -> Iterator[None]:
    """The tests workflow runs in GitHub Actions, whose GITHUB_ACTIONS=true makes digest add annotations for the run's
    page to its output: every test sees a command's output as it is elsewhere, unless it sets the variable itself."""
    value = os.environ.pop("GITHUB_ACTIONS", None)
    try:
        yield
    finally:
        if value is not None:
            os.environ["GITHUB_ACTIONS"] = value


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The builds of a test session cache in a folder of their own (``DIGEST_CACHE_DIR``), not in the user's
    ``~/.cache/paper-digest``: that folder keeps only the most recently used caches, so two test runs at once (or a
    test run beside one's own builds) evicted each other's, and tests that count on a rebuild finding its cache
    failed. One set by the developer is kept."""
    if os.environ.get("DIGEST_CACHE_DIR"):
        yield
        return
    os.environ["DIGEST_CACHE_DIR"] = str(tmp_path_factory.mktemp("digest-cache"))
    try:
        yield
    finally:
        os.environ.pop("DIGEST_CACHE_DIR", None)


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled paper list built into a real site, once per test session."""
    project = make_project(tmp_path_factory.mktemp("seed"))
    run_digest("build", "--quiet", cwd=project)
    mkdocs_build(project)
    return project


ALIASED_TITLE = "EnvHarness: Awakening Static Worlds for Agent Learning"  # 2608.19880 of tests/fixtures/signals/


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site with a page of every kind, for the Nu HTML checker and axe-core (tests/checkers.py).

    The bundled listing, the arXiv-style papers with TeX math and the daily papers with every signal
    and shared authors, ten cards to a topic page so that topics and authors have later pages, and
    weeks and months of top papers. Built at the example's site_url (under /paper-digest/).
    """
    data = tmp_path_factory.mktemp("sample-lists")
    shutil.copy(SEED, data / SEED.name)
    shutil.copy(FIXTURES / "math" / "2026-11-28.yaml", data / "2026-11-28.yaml")
    for source in ("signals", "authors"):  # upvotes, comments, summaries (so top pages); authors on many papers
        for path in sorted((FIXTURES / source).iterdir()):
            shutil.copy(path, data / path.name)
    # A partial day that lists a paper of that day by title alone: one record, and a page at the title's id
    # sending readers on to the paper's (paper_pages.alias_page).
    (data / "2026-11-29-partial.txt").write_text(f"{ALIASED_TITLE}\nLLM agents learn by interacting with"
                                                 " environments.\n", encoding="utf-8")
    project = make_project(tmp_path_factory.mktemp("sample"), papers=data)
    (project / "data" / "reading.bib").write_text(
        "@article{a, title = {Reasoning with Large Language Models}, abstract = {Large language models reason"
        " step by step with chain of thought; we study reasoning, agents and benchmarks.}}\n"
        "@article{b, title = {Diffusion Models for Image Generation}, abstract = {Denoising diffusion models"
        " generate images and video from text.}}\n", encoding="utf-8")
    (project / "digest.yml").write_text(
        "topic_page_size: 10\nauthors: {min_papers: 3}\n"
        "watch: {authors: [Ada Lovelace], phrases: [reinforcement learning]}\n"
        "picks: {reading_list: data/reading.bib, per_issue: 12, min_score: 0}\n", encoding="utf-8"
    )
    run_digest("build", "--quiet", cwd=project)
    return mkdocs_build(project)


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()



@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium (Debian's, or CHROMIUM_PATH) for every browser test; skips when none."""
    from tests.browser import CHROMIUM_FLAGS, chromium_path

    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
