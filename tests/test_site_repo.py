"""A site repository of its own (`digest new`, `digest upgrade`, `digest override`) and local template overrides.

These run the package as this checkout installs it; tests/test_packaging.py runs the same from a built wheel
in a fresh virtual environment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import __version__, scaffold
from generator.config import Config, check_mkdocs_plugin
from tests.conftest import ROOT, SEED_TOPICS, mkdocs_build, run_digest, run_mkdocs
from tests.test_deploy import OFFLINE, commands, shellcheck, steps, workflow

URL = "https://someone.github.io/my-digest/"


def new_site(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_digest("new", str(folder), "--url", URL, *args, cwd=folder.parent)


def site_workflow(site: Path) -> dict[str, object]:
    data = yaml.safe_load((site / scaffold.WORKFLOW).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by `digest new`, as it was made (tests copy it before changing anything)."""
    folder = tmp_path_factory.mktemp("new") / "my-digest"
    new_site(folder)
    return folder


# ---------------------------------------------------------------- digest new


def test_new_writes_the_sites_files_and_says_so(site: Path) -> None:
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()) == sorted(
        scaffold.SKELETON)
    mkdocs = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert mkdocs["site_name"] == "My Digest"
    assert mkdocs["site_url"] == ["SITE_URL", URL]
    assert mkdocs["plugins"] == ["search", "paper-digest"]
    assert "INHERIT" not in mkdocs and "hooks" not in mkdocs and "custom_dir" not in mkdocs["theme"]
    digest = yaml.safe_load((site / "digest.yml").read_text(encoding="utf-8"))
    assert re.fullmatch(r"tag:someone\.github\.io,20\d\d:my-digest/", digest["feeds"]["id_prefix"])
    assert (site / "data" / "topics.yml").read_bytes() == SEED_TOPICS.read_bytes()  # the default taxonomy


def written_settings(path: Path) -> set[str]:
    """The settings a digest.yml writes out, sections' as ``section.key``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {f"{key}.{inner}" for key, value in data.items() if isinstance(value, dict) for inner in value} | {
        key for key, value in data.items() if not isinstance(value, dict)}


def every_default_setting() -> set[str]:
    """Every setting that has a default (watch and picks are off unless set)."""
    from generator.config import AuthorSettings, FeedSettings

    names = {field.name for field in dataclasses.fields(Config)} - {"base_dir", "file", "watch", "picks"}
    sections = {"feeds": FeedSettings, "authors": AuthorSettings}
    return (names - set(sections)) | {f"{section}.{field.name}" for section, schema in sections.items()
                                      for field in dataclasses.fields(schema)}


@pytest.mark.parametrize("which", ["repository", "new site"])
def test_the_bundled_digest_yml_writes_every_default_and_nothing_else(site: Path, which: str) -> None:
    """Both say "the values below are the defaults": templates, fetch_max_bytes and authors were left out."""
    from generator.config import load_config

    path = ROOT / "digest.yml" if which == "repository" else site / "digest.yml"
    assert written_settings(path) == every_default_setting()
    config, warnings = load_config(path)
    assert warnings == []
    feeds = dataclasses.replace(config.feeds, id_prefix=Config().feeds.id_prefix)  # a new site's is its own
    assert dataclasses.replace(config, base_dir=Path("."), file="digest.yml", feeds=feeds) == Config()


def test_new_prints_every_file_it_creates(tmp_path: Path) -> None:
    result = new_site(tmp_path / "fresh", "--name", "Reading Group")
    assert result.stdout.splitlines()[:-1] == [f"Created {tmp_path / 'fresh' / path}" for path in scaffold.SKELETON]
    assert "Reading Group" in (tmp_path / "fresh" / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_new_site_without_its_example_builds_an_empty_digest(tmp_path: Path) -> None:
    """Deleting the example issue, as its header says, leaves the folder's README: git keeps the folder, and the
    build (which stops on a missing paper folder) makes a digest without papers, the README not read as a list."""
    new_site(tmp_path / "fresh")
    (tmp_path / "fresh" / "data" / "issues" / "2026-11-27-example.yaml").unlink()
    assert os.listdir(tmp_path / "fresh" / "data" / "issues") == ["README.md"]
    result = run_digest("build", cwd=tmp_path / "fresh")
    assert "0 papers in 0 issues; 0 problems." in result.stdout
    assert result.stderr == ""


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_digest("new", "mine", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stderr == ("Error: mine is not empty (notes.txt): choose a new folder, or add --force to add the"
                             " site's files to this one (files already there are kept, never overwritten)\n")
    assert os.listdir(tmp_path / "mine") == ["notes.txt"]


def test_new_with_force_keeps_every_file_that_exists_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "clone"
    (folder / ".git").mkdir(parents=True)
    (folder / "README.md").write_text("# My repository\n", encoding="utf-8")
    result = run_digest("new", "clone", "--force", cwd=tmp_path)
    assert "Kept clone/README.md (it exists; not overwritten)" in result.stderr
    assert "Created clone/mkdocs.yml" in result.stdout
    assert (folder / "README.md").read_text(encoding="utf-8") == "# My repository\n"


def test_new_with_force_adds_what_the_builds_write_to_the_gitignore_there(tmp_path: Path) -> None:
    """A repository made on GitHub with its Python .gitignore: the site's lines were left out, and the built
    content/ (hundreds of pages) was committed with the site's own files."""
    folder = tmp_path / "clone"
    (folder / ".git").mkdir(parents=True)
    own = "__pycache__/\n*.py[cod]\n# mkdocs documentation\n/site"
    (folder / ".gitignore").write_text(own, encoding="utf-8")
    result = run_digest("new", "clone", "--force", cwd=tmp_path)
    assert "Added to clone/.gitignore the lines of the files the builds write" in result.stderr
    text = (folder / ".gitignore").read_text(encoding="utf-8")
    assert text.startswith(own + "\n# Added by digest new: ")
    wanted = (scaffold.packaged.SKELETON_DIR / "gitignore").read_text(encoding="utf-8")
    assert {line for line in wanted.splitlines() if line and not line.startswith("#")} <= set(text.splitlines())
    again = run_digest("new", "clone", "--force", cwd=tmp_path)  # nothing left to add: kept as it is
    assert "Kept clone/.gitignore (it exists; not overwritten)" in again.stderr
    assert (folder / ".gitignore").read_text(encoding="utf-8") == text


def test_new_with_force_over_a_digest_with_papers_leaves_the_example_issue_out(tmp_path: Path) -> None:
    # Its three example papers were published beside the maintainer's own.
    issues = tmp_path / "mine" / "data" / "issues"
    issues.mkdir(parents=True)
    (issues / "2026-01-05.yaml").write_text("papers:\n  - title: Mine\n    abstract: My own paper.\n", encoding="utf-8")
    result = run_digest("new", "mine", "--force", cwd=tmp_path)
    assert ("Skipped mine/data/issues/2026-11-27-example.yaml: mine/data/issues holds paper lists already"
            in result.stderr)
    assert sorted(path.name for path in issues.iterdir()) == ["2026-01-05.yaml", "README.md"]
    assert "Created mine/digest.yml" in result.stdout
    # A folder without paper lists gets the example, as a new one does.
    run_digest("new", "other", "--force", cwd=tmp_path)
    assert (tmp_path / "other" / "data" / "issues" / "2026-11-27-example.yaml").is_file()


def test_new_where_no_folder_can_be_made_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file\n", encoding="utf-8")
    result = run_digest("new", "notes.txt/site", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stderr == "Error: notes.txt/site: cannot write digest.yml there: Not a directory\n"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "a file\n"


@pytest.mark.parametrize(("url", "message"), [
    ("you.github.io/repo", "must be an absolute http(s) URL, not 'you.github.io/repo'"),
    ("https://you.github.io/my repo/", "'https://you.github.io/my repo/' gives no usable feed id prefix"
     " ('tag:you.github.io,{year}:my repo/'): a feed id cannot hold a space (write a space in an address as %20)"),
    # The README's line copied with its placeholder (quoted: unquoted, the shell reads <user> as redirections).
    ("https://<user>.github.io/my-digest/", "'https://<user>.github.io/my-digest/' still holds the placeholder <user>:"
     " write your own in its place (https://alice.github.io/my-digest/ for the user alice)"),
])
def test_new_with_a_url_it_cannot_use_is_bad_usage(tmp_path: Path, url: str, message: str) -> None:
    """A --url without its scheme exited 1, as a failure does: a bad --date or --week is bad usage (exit status 2),
    with the usage line; so is a bad --url now. Nothing is written."""
    result = run_digest("new", "site", "--url", url, cwd=tmp_path, check=False)
    assert result.returncode == 2
    message = message.replace("{year}", str(dt.datetime.now(dt.UTC).year))
    assert f"Error: Invalid value for --url: {message}" in result.stderr
    assert result.stderr.startswith("Usage: ") and " new [OPTIONS] FOLDER" in result.stderr
    assert not (tmp_path / "site").exists()


def test_new_takes_a_folder_holding_only_git(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    run_digest("new", "repo", "--url", URL, cwd=tmp_path)
    assert (tmp_path / "repo" / "mkdocs.yml").is_file()


def test_new_inside_another_git_repository_says_its_workflow_would_not_run(tmp_path: Path) -> None:
    """GitHub runs the workflows of a repository's own .github/workflows/ only: a site made in a folder of another
    project's repository was never deployed, and nothing said why."""
    (tmp_path / "project" / ".git").mkdir(parents=True)
    result = run_digest("new", "project/digest", "--url", URL, cwd=tmp_path)
    assert (f"Note: project/digest is inside the git repository {(tmp_path / 'project').resolve()}: GitHub runs only"
            " the workflows of a repository's own .github/workflows/" in result.stderr)
    assert (tmp_path / "project" / "digest" / scaffold.WORKFLOW).is_file()
    # The repository's own folder, and a folder of no repository, are where a site belongs.
    for folder in ("project", "elsewhere") if scaffold.enclosing_repository(tmp_path) is None else ("project",):
        result = run_digest("new", folder, "--force", "--url", URL, cwd=tmp_path)
        assert "inside the git repository" not in result.stderr


def test_new_quotes_the_folder_in_its_next_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    result = run_digest("new", "x 4", cwd=tmp_path)
    assert result.stdout.splitlines()[-1].startswith("Next: cd 'x 4', then `digest build`")
    (tmp_path / "here").mkdir()
    result = run_digest("new", ".", cwd=tmp_path / "here")  # the site is this folder: "cd ." said nothing
    assert result.stdout.splitlines()[-1].startswith("Next: `digest build` and `mkdocs serve`")


def test_new_names_the_commands_of_its_environment_where_the_path_finds_others(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed as README says (an environment not activated) the next step's `digest build` and `mkdocs serve`
    were not found; installed with pipx (only `digest` on the PATH), `mkdocs` was not; with another MkDocs first on
    the PATH, it had no paper-digest plugin. The commands of digest's own environment are named by their paths."""
    bin_dir = Path(sys.executable).parent
    other = tmp_path / "other-bin"
    other.mkdir()
    (other / "mkdocs").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (other / "mkdocs").chmod(0o755)
    (other / "digest").symlink_to(bin_dir / "digest")  # as pipx links it
    monkeypatch.setenv("PATH", f"{other}{os.pathsep}/usr/bin{os.pathsep}/bin")
    result = run_digest("new", "mine", "--url", URL, cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == (f"Next: cd mine, then `digest build` and `{bin_dir / 'mkdocs'} serve`;"
                                              " README.md there says how to publish it.")
    monkeypatch.setenv("PATH", f"/usr/bin{os.pathsep}/bin")
    result = run_digest("new", "theirs", "--url", URL, cwd=tmp_path)
    assert result.stdout.splitlines()[-1].startswith(f"Next: cd theirs, then `{bin_dir / 'digest'} build` and")


def test_upgrade_names_the_folder_it_was_given(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "my site"
    shutil.copytree(site, project)
    assert run_digest("upgrade", cwd=project).stdout.startswith("This site pins mkdocs-paper-digest")
    assert run_digest("upgrade", "my site", cwd=tmp_path).stdout.startswith("my site pins mkdocs-paper-digest")
    older_site(site, tmp_path)
    assert run_digest("upgrade", "older", cwd=tmp_path).stdout.startswith("Brought older to mkdocs-paper-digest")


def test_upgrade_at_the_installed_version_says_so(site: Path) -> None:
    """`digest upgrade` in a site already at the installed version said "Brought this site to … 0.1.5 (it pinned
    0.1.5)", as if it had changed something."""
    result = run_digest("upgrade", cwd=site)
    assert result.stdout.splitlines()[:2] == [
        f"This site pins mkdocs-paper-digest {__version__} already, the version installed; its Paper Digest files:",
        "  requirements.txt: unchanged"]
    assert "What changed" not in result.stdout and "review with `git diff`" not in result.stdout


def test_new_without_url_says_what_to_set(tmp_path: Path) -> None:
    result = run_digest("new", "plain", cwd=tmp_path)
    assert "set site_url in mkdocs.yml and feeds.id_prefix in digest.yml" in result.stderr
    assert "https://example.github.io/plain/" in (tmp_path / "plain" / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_default_site_name_keeps_the_folders_letters_of_any_script(tmp_path: Path) -> None:
    """The default name was made from the ASCII slug: "mon-digest-é" was "Mon Digest", a folder named in Chinese
    "Digest"."""
    names = {folder: scaffold.site_settings(tmp_path / folder, 2026).name
             for folder in ("papers-weekly", "mon-digest-é", "论文周报", "my_papers 2026", "___")}
    assert names == {"papers-weekly": "Papers Weekly", "mon-digest-é": "Mon Digest É", "论文周报": "论文周报",
                     "my_papers 2026": "My Papers 2026", "___": "Digest"}


@pytest.mark.parametrize(("name", "description"), [
    ("C++ & <AI> *Papers*", "[Weekly](javascript:alert(1)) picks ![x](https://example.org/t.png) <b>bold</b> a_b_c"),
    ("# 2026. Digest", "- 1. `code` \\path &amp; more"),
])
def test_the_new_sites_readme_shows_its_name_and_description_as_written(tmp_path: Path, name: str,
                                                                        description: str) -> None:
    """The README's heading and first line are Markdown: "<AI>" was dropped as a tag on GitHub, "*Papers*" set in
    italics, and a description's "[Weekly](...)" became a link."""
    import markdown

    run_digest("new", str(tmp_path / "site"), "--name", name, "--description", description, cwd=tmp_path)
    heading, _, first = (tmp_path / "site" / "README.md").read_text(encoding="utf-8").splitlines()[:3]
    rendered = markdown.markdown(f"{heading}\n\n{first}\n")
    tags = set(re.findall(r"<(\w+)", rendered))
    assert tags == {"h1", "p"}, rendered
    texts = [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in rendered.splitlines()]
    assert texts == [name, description]


def test_mkdocs_serve_in_a_fresh_clone_of_a_new_site_builds_and_serves_it(site: Path, tmp_path: Path) -> None:
    """content/ stays in git (content/.gitkeep): MkDocs stopped on the missing docs_dir before its plugin could run
    digest build ("Config value 'docs_dir': ... isn't an existing directory")."""
    from tests.test_serve import free_port, get, serving

    source = tmp_path / "site"
    shutil.copytree(site, source)
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    subprocess.run(["git", "add", "."], cwd=source, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "site"],
                   cwd=source, check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True)
    assert sorted(path.name for path in (clone / "content").iterdir()) == [".gitkeep"]
    address = f"127.0.0.1:{free_port()}"
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    environment["SITE_URL"] = f"http://{address}/"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    with serving([str(mkdocs), "serve", "--dev-addr", address], clone, environment, address, seconds=120):
        status, page = get(f"http://{address}/papers/2410.00907/")
        assert status == 200 and "<h1" in page


def test_a_new_sites_mkdocs_build_before_any_digest_build_stops_and_says_what_to_run(site: Path,
                                                                                     tmp_path: Path) -> None:
    """README: "`mkdocs build` needs a `digest build` first". Without one, a new site's mkdocs build wrote a site of
    a 404 page alone, exit status 0, over the site built before."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the last good site", encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert ("content/ holds no pages of digest build yet (no content/.digest-manifest.json): run digest build first"
            in result.stderr)
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "the last good site"
    run_digest("build", cwd=project)
    assert (mkdocs_build(project) / "index.html").is_file()


def test_a_new_site_builds_and_ignores_exactly_what_the_builds_write(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(site, project)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / "content").mkdir(exist_ok=True)
    (project / "content" / "about.md").write_text("# About\n", encoding="utf-8")
    run_digest("build", "--strict", cwd=project)
    built = mkdocs_build(project)
    assert (built / "papers" / "2410.00907" / "index.html").is_file()
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project,
                            capture_output=True, text=True, check=True).stdout
    assert sorted(line[3:] for line in status.splitlines()) == sorted([*scaffold.SKELETON, "content/about.md"])


# ---------------------------------------------------------------- the generated workflow


def test_the_sites_workflow_is_valid_and_its_scripts_pass_shellcheck(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(site / scaffold.WORKFLOW)], capture_output=True, text=True, env={**os.environ, **OFFLINE}, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for step in steps(site_workflow(site)):
        if "run" in step:
            assert shellcheck(step["run"]).returncode == 0, step.get("name")
            assert "${{" not in step["run"]


def test_the_sites_workflow_is_ours_with_the_pinned_package_instead_of_make(site: Path) -> None:
    ours, theirs = workflow("deploy.yml"), site_workflow(site)
    for key in ("on", "permissions", "concurrency"):
        assert theirs[key] == ours[key]
    for name, job in ours["jobs"].items():
        mine = theirs["jobs"][name]
        assert {k: v for k, v in mine.items() if k != "steps"} == {k: v for k, v in job.items() if k != "steps"}
        # The same actions at the same commits and settings (persist-credentials, refs): upstream updates both at once.
        def actions(data: dict[str, Any], job: str = name) -> list[tuple[str, dict[str, Any]]]:
            return [(s["uses"], {k: v for k, v in s.get("with", {}).items() if k != "cache-dependency-path"})
                    for s in steps(data, job) if "uses" in s]

        assert actions(theirs) == actions(ours)
        # Each step of ours that the site's workflow has runs when ours does, with the same environment (the token,
        # the secrets); its script is compared above.
        settings = {s["name"]: {k: v for k, v in s.items() if k != "run"} for s in steps(ours, name) if "name" in s}
        for step in steps(theirs, name):
            if step.get("name") in settings:
                assert {k: v for k, v in step.items() if k != "run"} == settings[step["name"]], step["name"]
    install = "python -m pip install --quiet -r requirements.txt"
    expected_fetch = [line.replace(".venv/bin/digest", "digest") for line in commands(ours, "fetch")]
    assert commands(theirs, "fetch") == [install, *[line for line in expected_fetch if line != "make setup"]]
    assert commands(theirs, "build")[:1] == [install]
    expected_email = [line.replace(".venv/bin/digest", "digest") for line in commands(ours, "email")]
    assert commands(theirs, "email") == [install if line == "make setup" else line for line in expected_email]
    built = commands(theirs, "build")
    start = len(built) - 1 - built[::-1].index("set -euo pipefail")  # the build step's own script
    assert built[start:start + 3] == ["set -euo pipefail", "digest build", "epoch=$(digest epoch)"]
    # MkDocs unless the repository variable DIGEST_SSG says zensical (tests/test_deploy.py runs both ways).
    assert "mkdocs) SOURCE_DATE_EPOCH=$epoch mkdocs build --strict --site-dir site ;;" in built
    assert built[-1] == "digest check-site site"
    for step in steps(theirs):
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert step["with"]["cache-dependency-path"] == "requirements.txt"


def test_requirements_pin_this_version_and_the_constraints_released_with_it(site: Path) -> None:
    lines = [line for line in (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert lines == [
        f"--constraint https://raw.githubusercontent.com/paper-digest/paper-digest/v{__version__}/requirements.lock",
        f"mkdocs-paper-digest @ git+https://github.com/paper-digest/paper-digest@v{__version__}",
    ]
    assert (ROOT / "requirements.lock").is_file()  # what the constraints URL names, at the release's tag
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == scaffold.DISTRIBUTION
    assert project["urls"]["Homepage"] == scaffold.REPOSITORY


def test_the_constraints_pin_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {line.split("==")[0].lower().replace("_", "-") for line in
              (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines() if "==" in line}
    for dependency in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", dependency)
        assert name and name.group(0).lower().replace("_", "-") in pinned, dependency


def test_the_constraints_install_on_the_oldest_python_pyproject_allows() -> None:
    """`pip freeze` on a newer 3.11 pinned pymdown-extensions 13.1.2, which requires Python 3.11.5: on Debian 12's
    3.11.2, which pyproject's `>=3.11` admits, `make setup` and every site's `pip install -r requirements.txt`
    failed ("No matching distribution found"). A pin whose Python floor is above pyproject's needs a second pin,
    marked for the Pythons below it."""
    import importlib.metadata

    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    oldest = next(spec.version for spec in SpecifierSet(project["requires-python"]) if spec.operator == ">=")
    oldest = ".".join([*oldest.split("."), "0", "0"][:3])
    environment = {"python_version": ".".join(oldest.split(".")[:2]), "python_full_version": oldest}
    pins = [Requirement(line.split("#")[0]) for line in (ROOT / "requirements.lock").read_text(encoding="utf-8")
            .splitlines() if "==" in line]
    on_oldest = {pin.name.lower() for pin in pins if pin.marker is None or pin.marker.evaluate(environment)}
    too_new = []
    for pin in pins:
        if pin.marker is not None and not pin.marker.evaluate():
            continue  # a pin for other Pythons than this one
        try:
            floor = importlib.metadata.metadata(pin.name)["Requires-Python"]
        except importlib.metadata.PackageNotFoundError:
            continue
        if floor and not SpecifierSet(floor).contains(oldest) and (
                pin.marker is None or pin.marker.evaluate(environment)):
            too_new.append(f"{pin} (Requires-Python {floor})")
    assert too_new == []
    assert {pin.name.lower() for pin in pins} == on_oldest  # and the oldest Python gets a pin of every one


def test_every_library_the_code_imports_is_a_declared_dependency() -> None:
    """`pip install mkdocs-paper-digest` brings what the code imports: a library that comes only through another
    (urllib3 through requests) may come at a version without what the code calls (urllib3 1.26: no read1, so
    `digest fetch` ended in a traceback)."""
    import ast
    import importlib.metadata

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.match(r"[A-Za-z0-9_.-]+", item).group(0).lower().replace("_", "-")  # type: ignore[union-attr]
                for item in project["dependencies"]}
    distributions = importlib.metadata.packages_distributions()
    imported = set()
    for path in (ROOT / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = sorted(imported - set(sys.stdlib_module_names) - {"__future__", "generator"})
    undeclared = [module for module in third_party
                  if not {name.lower().replace("_", "-") for name in distributions.get(module, [module])} & declared]
    assert undeclared == []


# ---------------------------------------------------------------- local overrides


def test_a_sites_own_templates_replace_the_packaged_ones_file_by_file(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(site, project)
    result = run_digest("override", "cards.html.j2", cwd=project)
    assert result.stdout == ("Copied cards.html.j2 to templates/cards.html.j2: edit it there; it replaces the"
                             " packaged one from the next build on.\n")
    card = project / "templates" / "cards.html.j2"
    card.write_text(card.read_text(encoding="utf-8").replace(
        '<article class="digest-card">', '<article class="digest-card my-card">'), encoding="utf-8")
    run_digest("override", "overrides/assets/digest/digest.css", cwd=project)
    css = project / "templates" / "overrides" / "assets" / "digest" / "digest.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.my-card { border: 2px solid teal; }\n", encoding="utf-8")
    run_digest("build", "--strict", cwd=project)
    built = mkdocs_build(project)
    topic = (built / "topics" / "efficiency" / "index.html").read_text(encoding="utf-8")
    assert topic.count('<article class="digest-card my-card">') >= 1  # every card of the topic's papers
    assert '<article class="digest-card">' not in topic
    assert ".my-card { border: 2px solid teal; }" in (built / "assets" / "digest" / "digest.css").read_text(
        encoding="utf-8")
    # Files the site did not copy still come from the package.
    assert (built / "assets" / "javascripts" / "freshness.js").is_file()
    assert 'class="digest-paper-meta"' in (built / "papers" / "2410.00907" / "index.html").read_text(encoding="utf-8")
    # An edit of the site's template counts as a change for the build cache.
    card.write_text(card.read_text(encoding="utf-8").replace("my-card", "their-card"), encoding="utf-8")
    run_digest("build", cwd=project)
    assert "their-card" in (project / "content" / "topics" / "efficiency" / "index.md").read_text(encoding="utf-8")


def test_a_sites_own_templates_saved_with_a_byte_order_mark_build_as_without_it(site: Path, tmp_path: Path) -> None:
    """Windows editors (Notepad) save UTF-8 with a byte-order mark: Jinja kept it as a character, U+FEFF, wherever
    the template went, so an edited `_top_home.md.j2` turned the home page's "## Latest issue" into a paragraph."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("build", cwd=project)
    before = {path: path.read_bytes() for path in (project / "content").rglob("*") if path.is_file()}
    for name in ("_top_home.md.j2", "cards.html.j2", "paper.html.j2", "email.txt.j2", "email.html.j2"):
        run_digest("override", name, cwd=project)
        template = project / "templates" / name
        template.write_bytes(b"\xef\xbb\xbf" + template.read_bytes().replace(b"\n", b"\r\n"))
    run_digest("build", "--strict", cwd=project)
    after = {path: path.read_bytes() for path in (project / "content").rglob("*") if path.is_file()}
    assert after == before
    assert not [path for path, data in after.items() if "\ufeff".encode() in data]
    run_digest("email", "--out", str(tmp_path / "issue.eml"), cwd=project)
    message = email.message_from_bytes((tmp_path / "issue.eml").read_bytes(), policy=email.policy.default)
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    assert len(parts) == 2 and not [part for part in parts if "\ufeff" in part]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("cards.html.j2", "{{ broken\n", "templates/cards.html.j2:1: unexpected end of template"),
        ("topic.md.j2", "# {{ topic.name }}\n{{ papers_here }}\n",
         "templates/topic.md.j2:2: 'papers_here' is undefined"),
        ("paper.html.j2", "{{ paper.title }}\n\n{{ paper.nothing.here }}\n",
         "templates/paper.html.j2:3: 'generator.model.Paper object' has no attribute 'nothing'"),
        # Python's errors in a template's expressions were a traceback naming neither the template nor the paper.
        ("paper.html.j2", "{{ paper.title }}\n{{ paper.project_page | length }}\n",
         "templates/paper.html.j2:2: TypeError: object of type 'NoneType' has no len(), rendering the page of paper"),
        ("issue.md.j2", "# {{ issue.date }}\n\n{{ 1 // (issue.paper_ids | length * 0) }}\n",
         "templates/issue.md.j2:3: ZeroDivisionError: integer division or modulo by zero, rendering"
         " content/issues/2026-11-27.md"),
    ],
)
def test_an_error_in_a_sites_own_template_is_named_by_file_and_line(
    site: Path, tmp_path: Path, name: str, text: str, message: str
) -> None:
    # It was a Jinja traceback of some thirty lines.
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("build", cwd=project)
    before = {path: path.read_bytes() for path in (project / "content").rglob("*") if path.is_file()}
    run_digest("override", name, cwd=project)
    (project / "templates" / name).write_text(text, encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {message}"), result.stderr
    assert "(in a template of your own, from digest override: correct it, or delete it" in result.stderr
    assert "Traceback" not in result.stderr
    assert {path: path.read_bytes() for path in (project / "content").rglob("*") if path.is_file()} == before


def test_a_sites_own_template_saved_in_another_encoding_is_named_by_file_and_line(site: Path, tmp_path: Path) -> None:
    """A template saved as Latin-1 or Windows-1252 (an accented heading: "Résumé") was a UnicodeDecodeError's
    traceback, from digest build and digest email alike."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    for name in ("paper.html.j2", "email.txt.j2"):
        run_digest("override", name, cwd=project)
        template = project / "templates" / name
        lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
        template.write_bytes("".join(lines[:3]).encode("utf-8") + "<p>Résumé</p>\n".encode("latin-1")
                             + "".join(lines[3:]).encode("utf-8"))
    for command, name in ((["build"], "paper.html.j2"), (["email", "--out", str(tmp_path / "issue.eml")],
                                                         "email.txt.j2")):
        result = run_digest(*command, cwd=project, check=False)
        assert result.returncode == 1
        assert result.stderr.startswith(f"Error: templates/{name}:4: byte 0xe9 is not UTF-8: save the file as"
                                        " UTF-8 (in a template of your own"), result.stderr
        assert "Traceback" not in result.stderr


def test_a_template_of_ones_own_that_prints_a_title_unescaped_is_warned_about(site: Path, tmp_path: Path) -> None:
    """`{{ paper.title | safe }}` in an overridden template published a paper list's markup as it came, silently."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("override", "paper.html.j2", cwd=project)
    run_digest("override", "overrides/main.html", cwd=project)
    page = project / "templates" / "paper.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ title }}", "{{ paper.title | safe }}", 1),
                    encoding="utf-8")
    main = project / "templates" / "overrides" / "main.html"
    main.write_text("{% autoescape false %}{{ page.title }}{% endautoescape %}\n" + main.read_text(encoding="utf-8"),
                    encoding="utf-8")
    # Jinja's False as Python writes it was not seen; a comment or an escaping {% filter safe %} block is no such line.
    cards = project / "templates" / "cards.html.j2"
    run_digest("override", "cards.html.j2", cwd=project)
    cards.write_text("{# never write | safe here #}\n{% filter safe %}{{ cards | length }}{% endfilter %}\n"
                     "{% autoescape False %}{{ level }}{% endautoescape %}\n" + cards.read_text(encoding="utf-8"),
                     encoding="utf-8")
    warning = ("prints a value as HTML without escaping it ('safe' or autoescape false): a title or abstract from a"
               " paper list could then run its own script on your site; print such values as they are")
    stderr = run_digest("build", cwd=project).stderr
    line = next(n for n, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if "| safe" in text)
    assert f"templates/paper.html.j2:{line}: {warning}" in stderr
    assert f"templates/overrides/main.html:1: {warning}" in stderr
    assert [line for line in stderr.splitlines() if line.startswith("templates/cards.html.j2")] == [
        f"templates/cards.html.j2:3: {warning}"]


def test_jinjas_escaping_filters_in_a_markdown_template_of_ones_own_escape_for_markdown_too(
    site: Path, tmp_path: Path
) -> None:
    """`{{ paper.title | e }}` in an overridden issue.md.j2 escaped for HTML only: Markdown then made a title's
    `[x](javascript:...)` a live link and its `<https://...>` a link, and nothing was reported."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    title = "Quokka [click](javascript:alert(1)) **bold** `code` <b>tag</b> https://example.org/q"
    (project / "data" / "issues" / "2026-11-28.yaml").write_text(yaml.safe_dump({"papers": [
        {"title": title, "abstract": "An invented abstract that ends a sentence."}]}), encoding="utf-8")
    run_digest("override", "issue.md.j2", cwd=project)
    issue = project / "templates" / "issue.md.j2"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n{% for topic, members in groups %}"
                     "{% for paper in members %}\nEscaped: {{ paper.title | e }}\n\n"
                     "Forced: {{ paper.title | forceescape }}\n\nLinked: {{ paper.title | urlize }}\n"
                     "{% endfor %}{% endfor %}\n", encoding="utf-8")
    stderr = run_digest("build", cwd=project).stderr
    assert "templates/issue.md.j2" not in stderr
    page = (mkdocs_build(project) / "issues" / "2026-11-28" / "index.html").read_text(encoding="utf-8")
    shown = dict(re.findall(r"<p>(Escaped|Forced): (.*?)</p>", page))
    assert {label: html.unescape(text) for label, text in shown.items()} == {"Escaped": title, "Forced": title}
    assert 'href="javascript:' not in page and "<strong>bold" not in page and "<code>code" not in page
    linked = re.search(r"<p>Linked: (.*?)</p>", page)
    assert linked and linked.group(1).endswith('<a href="https&#58;//example.org/q">https&#58;//example.org/q</a>')
    assert html.unescape(re.sub(r"<a href=[^>]*>(.*?)</a>", r"\1", linked.group(1))) == title


def test_a_file_of_ones_own_templates_that_no_page_uses_is_reported(site: Path, tmp_path: Path) -> None:
    """`templates/topic.md` (no .j2), `templates/Paper.html.j2` or a theme file outside overrides/ replaced nothing:
    the site was built with the packaged templates, and the build said nothing."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    own = project / "templates"
    own.mkdir()
    packaged = ROOT / "templates"
    shutil.copy(packaged / "topic.md.j2", own / "topic.md")
    shutil.copy(packaged / "paper.html.j2", own / "Paper.html.j2")
    shutil.copy(packaged / "overrides" / "main.html", own / "main.html")
    # Used: a packaged template's replacement, a partial of one's own that it includes, a theme file, notes.
    shutil.copy(packaged / "home.md.j2", own / "home.md.j2")
    (own / "home.md.j2").write_text((own / "home.md.j2").read_text(encoding="utf-8") + '{% include "_mine.md.j2" %}\n',
                                    encoding="utf-8")
    (own / "_mine.md.j2").write_text("Mine.\n", encoding="utf-8")
    (own / "overrides" / "partials").mkdir(parents=True)
    (own / "overrides" / "partials" / "footer.html").write_text("<footer></footer>\n", encoding="utf-8")
    (own / "README.md").write_text("# Our templates\n", encoding="utf-8")
    unused = "replaces no packaged template and no template includes it, so no page uses it"
    stderr = run_digest("build", cwd=project).stderr
    assert sorted(line for line in stderr.splitlines() if unused in line) == [
        f"templates/Paper.html.j2: {unused} (did you mean paper.html.j2?)",
        f"templates/main.html: {unused} (did you mean overrides/main.html?)",
        f"templates/topic.md: {unused} (did you mean topic.md.j2?)",
    ]
    assert "Mine." in (project / "content" / "index.md").read_text(encoding="utf-8")


def test_a_main_html_in_the_sites_custom_dir_that_replaces_ours_is_reported(site: Path, tmp_path: Path) -> None:
    """Material's way to add a block, `theme.custom_dir` with a main.html extending base.html, replaced Paper Digest's
    main.html without a word: the pages lost their feed links and link previews. The way that keeps them is a copy
    of ours (digest override overrides/main.html)."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    mkdocs = project / "mkdocs.yml"
    written = mkdocs.read_text(encoding="utf-8")
    mkdocs.write_text(written.replace("  name: material\n", "  name: material\n  custom_dir: theme\n"),
                      encoding="utf-8")
    (project / "theme").mkdir()
    announce = '{% block announce %}Welcome!{% endblock %}\n'
    (project / "theme" / "main.html").write_text('{% extends "base.html" %}\n' + announce, encoding="utf-8")
    (project / "theme" / "partials").mkdir()
    (project / "theme" / "partials" / "copyright.html").write_text("Mine\n", encoding="utf-8")  # none of ours
    stderr = run_digest("build", cwd=project).stderr
    assert ("theme/main.html: replaces Paper Digest's overrides/main.html (theme.custom_dir comes first), and with it"
            " what that file does: feed links, link previews, the paper pages' compact frame; make your changes in a"
            " copy of it instead: digest override overrides/main.html, then edit templates/overrides/main.html\n"
            ) in stderr
    assert "copyright.html" not in stderr
    feed_link = 'type="application/atom+xml"'
    assert feed_link not in (mkdocs_build(project) / "index.html").read_text(encoding="utf-8")
    (project / "theme" / "main.html").unlink()
    run_digest("override", "overrides/main.html", cwd=project)
    main = project / "templates" / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + announce, encoding="utf-8")
    assert "replaces Paper Digest's" not in run_digest("build", cwd=project).stderr
    home = (mkdocs_build(project) / "index.html").read_text(encoding="utf-8")
    assert "Welcome!" in home and feed_link in home


@pytest.mark.parametrize("folder", ["templates/overrides", "theme"], ids=["override", "custom_dir"])
def test_a_syntax_error_in_a_theme_template_of_ones_own_is_named_by_file_and_line(
    site: Path, tmp_path: Path, folder: str
) -> None:
    """A typo in an edited overrides/main.html ({% endblok %}) stopped mkdocs build with Jinja's traceback through
    Material's templates that extend it, and after MkDocs had emptied site/: the last good build's site was gone."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("override", "overrides/main.html", cwd=project)
    run_digest("build", cwd=project)
    built = {path: path.read_bytes() for path in mkdocs_build(project).rglob("*") if path.is_file()}
    main = project / "templates" / "overrides" / "main.html"
    if folder == "theme":  # Material's own way: theme.custom_dir
        mkdocs = project / "mkdocs.yml"
        mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(
            "  name: material\n", "  name: material\n  custom_dir: theme\n"), encoding="utf-8")
        (project / "theme").mkdir()
        main = main.rename(project / "theme" / "main.html")
    lines = main.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(number for number, line in enumerate(lines, 1) if line.startswith("{% endblock %}"))
    lines[number - 1] = lines[number - 1].replace("endblock", "endblok")
    main.write_text("".join(lines), encoding="utf-8")
    run_digest("build", cwd=project)
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert f"ERROR   -  {folder}/main.html:{number}: Encountered unknown tag 'endblok'." in result.stderr
    assert "(in a theme template of your own: correct it, or delete it to use the packaged one)" in result.stderr
    assert "Traceback" not in result.stderr
    assert {path: path.read_bytes() for path in (project / "site").rglob("*") if path.is_file()} == built


@pytest.mark.parametrize(("expression", "message"), [
    ("{{ config.extra.team.lead }}", "'mkdocs.config.base.LegacyConfig object' has no attribute 'team'"),
    ("{{ config.repo_url | length }}", "TypeError: object of type 'NoneType' has no len()"),
], ids=["undefined", "python-error"])
@pytest.mark.parametrize("folder", ["templates/overrides", "theme"], ids=["override", "custom_dir"])
def test_an_undefined_name_in_a_theme_template_of_ones_own_is_named_by_file_and_line(
    site: Path, tmp_path: Path, folder: str, expression: str, message: str
) -> None:
    """A block added to one's own main.html that reads a setting not there ({{ config.extra.team.lead }}) stopped
    mkdocs build with forty lines of Jinja's traceback through Material's templates; so did a Python error there (a
    filter on a missing value), until now."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    if folder == "theme":
        mkdocs = project / "mkdocs.yml"
        mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(
            "  name: material\n", "  name: material\n  custom_dir: theme\n"), encoding="utf-8")
        (project / "theme" / "partials").mkdir(parents=True)
        main = project / "theme" / "partials" / "copyright.html"
        main.write_text(f"<div class=\"md-copyright\">\n  {expression}\n</div>\n", encoding="utf-8")
        number = 2
    else:
        run_digest("override", "overrides/main.html", cwd=project)
        main = project / "templates" / "overrides" / "main.html"
        lines = main.read_text(encoding="utf-8").splitlines(keepends=True)
        number = len(lines) + 3  # after an empty line and the block's first
        main.write_text("".join(lines) + f"\n{{% block footer %}}\n<p>{expression}</p>\n{{% endblock %}}\n",
                        encoding="utf-8")
    run_digest("build", cwd=project)
    result = run_mkdocs(project)
    assert result.returncode == 1
    where = main.relative_to(project).as_posix()
    assert (f"ERROR   -  {where}:{number}: {message}"
            " (in a theme template of your own: correct it, or delete it to use the packaged one)") in result.stderr
    assert "Traceback" not in result.stderr


def test_use_directory_urls_false_stops_mkdocs_build_instead_of_breaking_the_links(site: Path, tmp_path: Path) -> None:
    """With `use_directory_urls: false` mkdocs build --strict passed, and the site's links to papers and issues
    (folders, papers/ID/) and the paper pages' stylesheets led nowhere."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    run_digest("build", cwd=project)
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert ("ERROR   -  paper-digest: use_directory_urls: false in mkdocs.yml would break the site's links: its pages"
            " link to folders (papers/ID/, issues/DATE/); remove the setting") in result.stderr
    assert not (project / "site" / "index.html").exists()


def test_a_plugin_that_turns_use_directory_urls_off_stops_mkdocs_build(site: Path, tmp_path: Path) -> None:
    """Material's offline plugin, added to plugins:, turns use_directory_urls off after the plugin had checked it:
    mkdocs build --strict passed, the paper pages' stylesheets led to papers/assets/ and the placeholder page was
    published as papers/digest-shell-page.html."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - offline\n"),
                      encoding="utf-8")
    run_digest("build", cwd=project)
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert ("ERROR   -  paper-digest: use_directory_urls was turned off by a plugin listed in mkdocs.yml (Material's"
            " offline plugin does so), which would break the site's links") in result.stderr
    assert not (project / "site" / "index.html").exists()


def test_edit_buttons_lead_to_the_sites_own_pages_only(site: Path, tmp_path: Path) -> None:
    """With Material's "Edit this page" button on (content.action.edit), the home, topic and issue pages linked to
    their files in the repository, which .gitignore keeps out of it: every one of those links was a 404."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  features: [content.action.edit]\n")
        + "repo_url: https://github.com/someone/my-digest\nedit_uri: edit/main/content/\n", encoding="utf-8")
    (project / "content").mkdir(exist_ok=True)
    (project / "content" / "about.md").write_text("# About\n\nOurs.\n", encoding="utf-8")
    run_digest("build", cwd=project)
    built = mkdocs_build(project)
    edit = "https://github.com/someone/my-digest/edit/main/content/"
    assert f'href="{edit}about.md"' in (built / "about" / "index.html").read_text(encoding="utf-8")
    generated = [built / "index.html", built / "topics" / "index.html", built / "issues" / "index.html",
                 *(built / "issues").glob("*/index.html"), *(built / "topics").glob("*/index.html")]
    assert len(generated) > 4
    assert [path for path in generated if edit in path.read_text(encoding="utf-8")] == []


def test_mkdocs_build_without_site_url_says_so(site: Path, tmp_path: Path) -> None:
    """With site_url taken out of mkdocs.yml (and content/ from an earlier build), mkdocs build failed with "paper pages
    cannot be assembled: the placeholder page lacks its article, title or URL", naming nothing the site had done."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("build", cwd=project)
    mkdocs = project / "mkdocs.yml"
    written = mkdocs.read_text(encoding="utf-8")
    mkdocs.write_text(re.sub(r"(?m)^site_url:.*\n", "", written), encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert ("ERROR   -  paper-digest: mkdocs.yml sets no site_url, which the paper pages, feeds and links need: set it"
            " to the site's address (site_url: https://<user>.github.io/<repo>/)") in result.stderr
    assert "placeholder" not in result.stderr


@pytest.mark.parametrize(("url", "wrong"), [
    (URL + "index.html", "names a page; it must be the site's folder"),
    (URL + "?utm=1", "has a query or a fragment (?… or #…); it must be the site's folder"),
])
def test_mkdocs_build_refuses_a_site_url_digest_build_refuses(site: Path, tmp_path: Path, url: str,
                                                              wrong: str) -> None:
    """With site_url naming a page (…/index.html), digest build stopped, but mkdocs build went on over the content/ of
    an earlier build and wrote a site whose canonical addresses and sitemap were all under …/index.html/."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("build", cwd=project)
    mkdocs_build(project)
    before = {path: path.read_bytes() for path in (project / "site").rglob("*") if path.is_file()}
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(URL, url), encoding="utf-8")
    assert f"'site_url' {wrong}: {url!r}" in run_digest("build", cwd=project, check=False).stderr
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert (f"ERROR   -  paper-digest: site_url {wrong}: {url!r}; every absolute link of the site (feeds, sitemap,"
            " canonical addresses) starts with it") in result.stderr
    assert {path: path.read_bytes() for path in (project / "site").rglob("*") if path.is_file()} == before


def test_a_link_of_ones_own_page_that_leads_to_no_paper_page_is_warned_about(site: Path, tmp_path: Path) -> None:
    """`[a paper](papers/2410.00907/)` in content/about.md (the address from the site's root, where the page is at
    about/) and a link to a paper not in the archive built with no warning, even with strict: true; MkDocs said of
    them, as of every right link to a paper, only that it "contains an unrecognized relative link" (INFO)."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("build", cwd=project)
    good = ("[the paper](../papers/2410.00907/), [its anchor](../papers/2410.00907/#title), [home](../),"
            " [subscribe](../subscribe/), [here](#about), [mail](mailto:a@example.org), [out](https://example.org/x/)")
    about = project / "content" / "about.md"
    about.write_text(f"# About\n\n{good}\n", encoding="utf-8")
    mkdocs_build(project)
    about.write_text(f"# About\n\n{good}\n\n[wrong folder](papers/2410.00907/) and [gone](../papers/2499.99999/)\n\n"
                     "[a file](../notes.css)\n", encoding="utf-8")  # MkDocs' own warning, not a second one
    result = run_mkdocs(project)
    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING -  Doc file 'about.md' contains a link '../notes.css', but the target is not found among documentation"
        " files.",
        "WARNING -  Doc file 'about.md' contains a link to 'papers/2410.00907/', which leads to"
        " about/papers/2410.00907/: did you mean '../papers/2410.00907/'?",
        "WARNING -  Doc file 'about.md' contains a link to '../papers/2499.99999/', which leads to papers/2499.99999/:"
        " no page is there",
    ], result.stderr
    # At the level mkdocs.yml gives links to no page (validation: links: not_found), as MkDocs says its own.
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "validation:\n  links:\n    not_found: info\n",
                      encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert "INFO    -  Doc file 'about.md' contains a link to '../papers/2499.99999/'" in result.stderr
    assert "WARNING" not in result.stderr


def test_a_not_in_nav_of_the_sites_own_keeps_the_generated_pages_out_of_the_navigation_too(
    site: Path, tmp_path: Path
) -> None:
    """A `not_in_nav:` for a folder of drafts replaced the plugin's patterns: every older issue was then reported as
    "not included in the nav" at each build (hundreds of lines on a real archive) and rendered one by one."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "not_in_nav: |\n  /drafts/\n", encoding="utf-8")
    (project / "content" / "drafts").mkdir(parents=True)
    (project / "content" / "drafts" / "idea.md").write_text("# An idea\n", encoding="utf-8")
    for day in range(1, 8):
        paper = {"title": f"Paper number {day} on sparse attention", "abstract": "Sparse attention, measured."}
        (project / "data" / "issues" / f"2026-11-0{day}.yaml").write_text(yaml.safe_dump([paper]), encoding="utf-8")
    run_digest("build", cwd=project)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "issues" / "2026-11-01" / "index.html").is_file()
    assert "not included in the" not in result.stderr


def test_a_page_of_ones_own_in_a_folder_git_ignores_is_reported(site: Path, tmp_path: Path) -> None:
    """A page written into content/issues/ or content/topics/ built and showed locally, but .gitignore keeps those
    folders (the build's) out of git: the page was never committed, and the deployed site lacked it without a word."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    own = ["about.md", "guides/setup.md", "issues/notes.md", "topics/reading/index.md"]
    for name in own:
        (project / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "content" / name).write_text(f"# {name}\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    untracked = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "content"], cwd=project,
                               capture_output=True, text=True, check=True).stdout
    never_committed = sorted(name for name in own if f"content/{name}" not in untracked)
    assert never_committed == ["issues/notes.md", "topics/reading/index.md"]
    for _ in range(2):  # the second build's report comes from the cache
        result = run_digest("build", cwd=project)
        reported = sorted(re.findall(r"(?m)^content/(\S+): a file of your own in content/\w+/, a folder the build"
                                     r" writes, which \.gitignore keeps out of git: it is never committed, so the"
                                     r" deployed site lacks it; move it out of that folder$", result.stderr))
        assert reported == never_committed


def test_a_templates_folder_named_in_digest_yml_that_is_missing_or_a_file_is_reported(
    site: Path, tmp_path: Path
) -> None:
    """`templates: mytemplates` (a typo) or `templates: digest.yml` built with the packaged templates, silently."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    config = (project / "digest.yml").read_text(encoding="utf-8")
    assert "\ntemplates: templates\n" in config
    (project / "digest.yml").write_text(config.replace("\ntemplates: templates\n", "\ntemplates: mytemplates\n"),
                                        encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert ("digest.yml: templates: mytemplates: no such folder; the packaged templates are used"
            " (digest override NAME copies one into it)\n") in result.stderr
    assert run_digest("build", "--strict", cwd=project, check=False).returncode == 1
    (project / "digest.yml").write_text(config.replace("\ntemplates: templates\n", "\ntemplates: digest.yml\n"),
                                        encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    line = config.split("\ntemplates: templates\n")[0].count("\n") + 2  # the setting's line
    assert result.stderr == (f"Error: digest.yml:{line}: templates: digest.yml is a file; name the folder of your own"
                             " templates (the default is templates/)\n")
    (project / "digest.yml").write_text(config, encoding="utf-8")  # the default folder may well be missing
    assert "templates" not in run_digest("build", cwd=project).stderr


def test_override_outside_a_site_refuses_and_creates_nothing(site: Path, tmp_path: Path) -> None:
    """In a folder without digest.yml or mkdocs.yml it made a templates/ that no build reads."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    result = run_digest("override", "cards.html.j2", cwd=folder, check=False)
    assert (result.returncode, result.stderr) == (1, "Error: no digest.yml or mkdocs.yml here: this folder is not a"
                                                     " site's folder; run digest override in one (digest new NAME"
                                                     " makes one)\n")
    assert list(folder.iterdir()) == []
    assert run_digest("override", "--list", cwd=folder).stdout.startswith("Packaged templates, in ")
    (folder / "mkdocs.yml").write_bytes((site / "mkdocs.yml").read_bytes())  # a site of defaults: no digest.yml
    run_digest("override", "cards.html.j2", cwd=folder)
    assert (folder / "templates" / "cards.html.j2").is_file()


def test_override_refuses_an_existing_file_and_an_unknown_name(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("override", "topic.md.j2", cwd=project)
    again = run_digest("override", "topic.md.j2", cwd=project, check=False)
    assert again.returncode == 1
    assert again.stderr == ("Error: templates/topic.md.j2 exists already: edit it, or delete it to start again"
                            " from the packaged one\n")
    unknown = run_digest("override", "card.html.j2", cwd=project, check=False)
    # The closest names first (more templates may follow as the package grows).
    assert unknown.stderr.startswith("Error: 'card.html.j2' is not a packaged template"
                                     " (did you mean cards.html.j2, paper.html.j2")
    listed = run_digest("override", "--list", cwd=project).stdout.splitlines()
    assert listed[1:] == [f"  {name}" for name in scaffold.packaged_templates()]
    assert "  cards.html.j2" in listed and "  overrides/main.html" in listed


def test_override_and_upgrade_that_cannot_write_say_so_not_a_traceback(site: Path, tmp_path: Path) -> None:
    """A read-only checkout (or a file where a folder goes) made both end in a PermissionError's traceback."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    (project / "templates").mkdir()
    (project / "templates" / "overrides").write_text("a file where the folder goes", encoding="utf-8")
    result = run_digest("override", "overrides/main.html", cwd=project, check=False)
    assert (result.returncode, result.stderr) == (1, "Error: cannot write templates/overrides/main.html: File"
                                                     " exists\n")
    older = older_site(site, tmp_path)
    shutil.rmtree(older / ".github")
    (older / ".github").write_text("a file where the folder goes", encoding="utf-8")
    result = run_digest("upgrade", cwd=older, check=False)
    assert result.returncode == 1
    assert result.stderr.endswith(": cannot write .github/workflows/deploy.yml there: Not a directory\n")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("ignore", ["skeleton", "repository"])
def test_every_page_kind_the_build_writes_is_ignored_by_git(site: Path, tmp_path: Path, ignore: str) -> None:
    """A generated page committed by `git add .` is "hand-written" on the next checkout, and the deploy's
    build refuses to overwrite it: content/authors/ was missing from both .gitignore files."""
    project = tmp_path / "kinds"
    shutil.copytree(site, project)
    if ignore == "repository":
        shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    config = project / "digest.yml"
    text = re.sub(r"(?m)^  min_papers: \d+$", "  min_papers: 1", config.read_text(encoding="utf-8"))
    assert "  min_papers: 1\n" in text
    config.write_text(text + "watch: {phrases: [model]}\n", encoding="utf-8")
    paper = {"title": "A voted paper about a model", "abstract": "A model.", "authors": ["Ada Lovelace"],
             "arxiv": "2611.00001", "upvotes": 3}
    (project / "data" / "issues" / "2026-11-02.json").write_text(
        json.dumps({"date": "2026-11-02", "papers": [paper]}), encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    written = {path.relative_to(project / "content").parts[0] for path in (project / "content").rglob("*")}
    assert {"authors", "top", "watch", "topics", "issues", ".digest"} <= written
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "content"], cwd=project,
                            capture_output=True, text=True, check=True).stdout.split("\n")
    hand_written = {path.name for path in (site / "content").rglob("*") if path.is_file()}
    assert {line[3:] for line in status if line} == {f"content/{name}" for name in hand_written}


# ---------------------------------------------------------------- digest upgrade


def older_site(site: Path, tmp_path: Path) -> Path:
    """The site as an older version made it: another pin, a workflow without the fetch job, fewer ignored files."""
    project = tmp_path / "older"
    shutil.copytree(site, project)
    requirements = project / "requirements.txt"
    text = requirements.read_text(encoding="utf-8").replace(f"v{__version__}", "v0.0.9")
    requirements.write_text(text + "mkdocs-glightbox==0.4.0\n", encoding="utf-8")
    data = site_workflow(project)
    del data["jobs"]["fetch"]
    (project / scaffold.WORKFLOW).write_text(yaml.safe_dump(data), encoding="utf-8")
    ignore = project / ".gitignore"
    ignore.write_text(ignore.read_text(encoding="utf-8").replace("/content/search/\n", "") + "notes/\n",
                      encoding="utf-8")
    (project / scaffold.KEEP_CONTENT).unlink()
    return project


def test_upgrade_dry_run_shows_the_changes_and_writes_nothing(site: Path, tmp_path: Path) -> None:
    project = older_site(site, tmp_path)
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    result = run_digest("upgrade", "--dry-run", cwd=project)
    assert result.stdout.splitlines()[0] == (f"Would bring this site to mkdocs-paper-digest {__version__}"
                                             " (it pinned 0.0.9).")
    assert "  requirements.txt: would be updated" in result.stdout
    assert "    +  fetch:" in result.stdout
    # What changed between the versions, before the upgrade is made (it was said only after).
    assert result.stdout.splitlines()[-1] == ("What changed since 0.0.9: the sections above [0.0.9] in"
                                              f" {scaffold.REPOSITORY}/blob/v{__version__}/CHANGELOG.md")
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_upgrade_brings_the_packages_files_to_this_version_and_keeps_the_sites_lines(
    site: Path, tmp_path: Path
) -> None:
    project = older_site(site, tmp_path)
    result = run_digest("upgrade", cwd=project)
    assert result.stdout.splitlines()[:4] == [
        f"Brought this site to mkdocs-paper-digest {__version__} (it pinned 0.0.9).",
        "  requirements.txt: updated", "  .github/workflows/deploy.yml: updated", "  .gitignore: updated"]
    assert "  content/.gitkeep: created" in result.stdout.splitlines()
    assert (project / scaffold.KEEP_CONTENT).read_bytes() == b""
    assert (project / scaffold.WORKFLOW).read_bytes() == (site / scaffold.WORKFLOW).read_bytes()
    requirements = (project / "requirements.txt").read_text(encoding="utf-8")
    assert requirements == (site / "requirements.txt").read_text(encoding="utf-8") + "mkdocs-glightbox==0.4.0\n"
    ignore = (project / ".gitignore").read_text(encoding="utf-8")
    assert "notes/\n" in ignore and ignore.endswith("/content/search/\n")
    again = run_digest("upgrade", cwd=project)
    assert "updated" not in again.stdout and "review with `git diff`" not in again.stdout


def test_upgrade_names_the_sites_own_templates_to_compare_with_the_new_version(site: Path, tmp_path: Path) -> None:
    """A template copied by digest override keeps the old version's markup after an upgrade; digest upgrade said
    nothing of the site's templates ("your settings, papers and templates are yours")."""
    project = older_site(site, tmp_path)
    for name in ("paper.html.j2", "overrides/main.html", "cards.html.j2"):
        run_digest("override", name, cwd=project)
    for name in ("paper.html.j2", "overrides/main.html"):  # edited; cards.html.j2 is as this version has it
        mine = project / "templates" / name
        mine.write_text(mine.read_text(encoding="utf-8") + "<!-- mine -->\n", encoding="utf-8")
    heading = "Your own templates replace these packaged ones and do not follow their changes (this version's are in "
    for args in (["--dry-run"], []):
        lines = run_digest("upgrade", *args, cwd=project).stdout.splitlines()
        start = next(number for number, line in enumerate(lines) if line.startswith(heading))
        assert lines[start + 1:start + 3] == ["  templates/overrides/main.html: compare it with this version's",
                                              "  templates/paper.html.j2: compare it with this version's"]
        assert not [line for line in lines[start + 3:] if line.startswith("  templates/")]
    (project / "templates").rename(project / "mine")
    assert heading not in run_digest("upgrade", cwd=project).stdout


def test_upgrade_tells_an_unedited_copy_and_an_edit_of_a_template_this_version_did_not_change(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Upgrading a 0.1.4 site whose cards.html.j2 was edited (a class added) said to compare it with this version's,
    which was 0.1.4's unchanged; and a 0.1.0 site's unedited copies were listed as if edited, twelve files to compare
    by hand. With the released templates' hashes it says which is which, and compare only where the original changed."""
    shipped = scaffold.released_template_hashes()  # the table in the package: every release's packaged templates
    assert {"0.1.0", "0.1.4"} <= set(shipped) and set(shipped["0.1.4"]) <= set(scaffold.packaged_templates())
    project = older_site(site, tmp_path)
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text(encoding="utf-8").replace("v0.0.9", "v0.1.0"), encoding="utf-8")
    for name in ("paper.html.j2", "cards.html.j2", "topic.md.j2"):
        run_digest("override", name, cwd=project)
    templates = project / "templates"
    packaged_dir = ROOT / "templates"
    old_paper = "{# paper.html.j2 as an older version had it #}\n" + (packaged_dir / "paper.html.j2").read_text(
        encoding="utf-8")
    (templates / "paper.html.j2").write_text(old_paper, encoding="utf-8")  # that version's copy, not edited
    cards = templates / "cards.html.j2"
    cards.write_text(cards.read_text(encoding="utf-8").replace('class="digest-card"', 'class="digest-card my-card"'),
                     encoding="utf-8")  # an edit; the packaged one is as it was then
    topic = templates / "topic.md.j2"
    topic.write_text(topic.read_text(encoding="utf-8") + "<!-- mine -->\n", encoding="utf-8")  # the original changed
    table = {"0.1.0": {"paper.html.j2": scaffold.template_hash(old_paper.encode("utf-8")),
                       "cards.html.j2": scaffold.template_hash((packaged_dir / "cards.html.j2").read_bytes()),
                       "topic.md.j2": scaffold.template_hash(b"{# topic.md.j2 as 0.1.0 had it #}\n")}}
    released = tmp_path / "released_templates.json"
    released.write_text(json.dumps(table), encoding="utf-8")
    monkeypatch.setattr(scaffold, "RELEASED_TEMPLATES", released)
    assert scaffold.replaced_templates(project, "0.1.0") == [
        "templates/cards.html.j2: your edit; this version's is as 0.1.0's was, nothing of it to compare",
        "templates/paper.html.j2: 0.1.0's, not edited: delete it to use this version's",
        "templates/topic.md.j2: your edit; this version's changed since 0.1.0: compare them"]
    assert scaffold.replaced_templates(project, "0.0.9")[0] == "templates/cards.html.j2: compare it with this version's"


def test_the_upgrade_steps_build_before_the_review_so_papers_moved_to_other_topics_are_named(
        site: Path, tmp_path: Path) -> None:
    """The upgrade steps (the new site's README and ours) went from `digest upgrade` to the commit and push: the
    build's note on published papers the new version puts in other topics showed only on the deploy's fresh clone,
    which has no earlier topic pages to compare with, so never; digest upgrade's last line said the same."""
    for readme in (site / "README.md", ROOT / "README.md"):
        text = readme.read_text(encoding="utf-8")
        steps = text[text.index("digest upgrade --dry-run"):]
        steps = steps[:steps.index("```")]
        assert re.search(r"digest upgrade +#.*\n.*digest build +# names published papers .* other topics\n.*git diff",
                         steps), (readme, steps)
    project = older_site(site, tmp_path)
    assert "Run `digest build` (it names published papers this version puts in other topics), review with `git diff`" \
        in run_digest("upgrade", cwd=project).stdout


def test_upgrade_refuses_an_older_version_and_a_folder_that_is_no_site(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "newer"
    shutil.copytree(site, project)
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text(encoding="utf-8").replace(f"v{__version__}", "v99.0.0"),
                            encoding="utf-8")
    result = run_digest("upgrade", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr == (f"Error: requirements.txt pins mkdocs-paper-digest 99.0.0, newer than the installed"
                             f" Paper Digest ({__version__}): install 99.0.0 or later to upgrade, not an older"
                             " version\n")
    empty = run_digest("upgrade", cwd=tmp_path, check=False)
    assert "no mkdocs.yml here; run digest upgrade in a site's folder" in empty.stderr


@pytest.mark.parametrize("args", [(), ("--dry-run",)])
def test_upgrade_refuses_a_fork_of_paper_digest_itself(tmp_path: Path, args: tuple[str, ...]) -> None:
    """In a fork it replaced the deploy workflow (tests, make site) with a site's, which installs the released
    package: the fork's own code would no longer be what its site is built with."""
    fork = tmp_path / "fork"
    for name in ("pyproject.toml", "mkdocs.yml", "mkdocs.base.yml", "digest.yml", scaffold.WORKFLOW):
        (fork / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, fork / name)
    result = run_digest("upgrade", *args, cwd=fork, check=False)
    assert result.returncode == 1
    assert "a fork or checkout of Paper Digest itself, not a site made by digest new" in result.stderr
    assert "git pull upstream main" in result.stderr
    assert (fork / scaffold.WORKFLOW).read_bytes() == (ROOT / scaffold.WORKFLOW).read_bytes()
    assert not (fork / scaffold.REQUIREMENTS).exists()


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=project,
                          capture_output=True, text=True, check=True).stdout


def test_upgrade_keeps_an_edit_of_the_workflow_not_committed_yet(site: Path, tmp_path: Path) -> None:
    # It replaced the workflow: an edit committed comes back with git, an edit not committed was lost for good.
    project = older_site(site, tmp_path)
    git(project, "init", "-q")
    git(project, "add", "--all")
    git(project, "commit", "-q", "-m", "older")
    workflow = project / scaffold.WORKFLOW
    edited = workflow.read_text(encoding="utf-8").replace("timeout-minutes: 30", "timeout-minutes: 45")
    workflow.write_text(edited, encoding="utf-8")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file() and ".git" not in path.parts}
    result = run_digest("upgrade", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr == (f"Error: {scaffold.WORKFLOW} has changes not committed, which digest upgrade would"
                             " replace: commit them first (git diff then shows what the upgrade changes), or undo"
                             f" them (git checkout -- {scaffold.WORKFLOW})\n")
    assert {path: path.read_bytes() for path in project.rglob("*")
            if path.is_file() and ".git" not in path.parts} == before
    dry_run = run_digest("upgrade", "--dry-run", cwd=project)
    assert "    -    timeout-minutes: 45" in dry_run.stdout
    assert (f"{scaffold.WORKFLOW}: has changes not committed: digest upgrade will replace it only once they are"
            " committed or undone") in dry_run.stderr
    git(project, "commit", "-q", "--all", "-m", "a longer build")
    assert "  .github/workflows/deploy.yml: updated" in run_digest("upgrade", cwd=project).stdout
    assert "timeout-minutes: 45" in git(project, "diff", "HEAD", "--", scaffold.WORKFLOW)


def test_upgrade_in_a_repository_git_cannot_read_here_keeps_the_workflow(site: Path, tmp_path: Path) -> None:
    """Without git on the PATH (GitHub Desktop brings its own, the shell has none) the upgrade took the repository
    for no repository, and replaced an edit of the workflow not committed yet, unsaid."""
    project = older_site(site, tmp_path)
    git(project, "init", "-q")
    git(project, "add", "--all")
    git(project, "commit", "-q", "-m", "older")
    workflow = project / scaffold.WORKFLOW
    workflow.write_text(workflow.read_text(encoding="utf-8").replace("timeout-minutes: 30", "timeout-minutes: 45"),
                        encoding="utf-8")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file() and ".git" not in path.parts}
    no_git = {**os.environ, "PATH": str(tmp_path / "no-git")}

    def upgrade(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator", "upgrade", *args], cwd=project, env=no_git,
                              capture_output=True, text=True, check=False)

    result = upgrade()
    assert result.returncode == 1
    assert result.stderr == (f"Error: {scaffold.WORKFLOW}: cannot tell whether it has changes not committed, which"
                             " digest upgrade would replace: git cannot be run: No such file or directory; run"
                             " digest upgrade where git can read this repository\n")
    assert {path: path.read_bytes() for path in project.rglob("*")
            if path.is_file() and ".git" not in path.parts} == before
    dry_run = upgrade("--dry-run")
    assert dry_run.returncode == 0 and "    -    timeout-minutes: 45" in dry_run.stdout
    assert (f"{scaffold.WORKFLOW}: cannot tell whether it has changes not committed (git cannot be run: No such file"
            " or directory): digest upgrade will replace it only where git can tell") in dry_run.stderr
    shutil.rmtree(project / ".git")  # no repository: nothing to lose that git would have kept
    assert "  .github/workflows/deploy.yml: updated" in upgrade().stdout


def test_upgrade_with_invalid_settings_writes_nothing(site: Path, tmp_path: Path) -> None:
    # It wrote the workflow, then stopped on digest.yml with only the error: the files it changed were not named.
    project = older_site(site, tmp_path)
    settings = project / "digest.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("max_topics: 3", "max_topics: three"),
                        encoding="utf-8")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    result = run_digest("upgrade", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    line = settings.read_text(encoding="utf-8").split("max_topics: three")[0].count("\n") + 1
    assert result.stderr == (f"Error: digest.yml:{line}: 'max_topics' must be a whole number of at least 1, not"
                             " 'three' (text)\n")
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_a_plugins_list_without_ours_is_reported(site: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(site, project)
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("  - paper-digest\n", "  - tags\n"), encoding="utf-8")
    problem = "mkdocs.yml: plugins does not list paper-digest: the site would lack"
    assert problem in run_digest("upgrade", cwd=project).stderr
    assert problem in run_digest("build", cwd=project).stderr
    assert check_mkdocs_plugin(Config(base_dir=project))[0].path == str(project / "mkdocs.yml")


def test_a_key_written_twice_in_mkdocs_yml_is_reported_with_both_lines(site: Path, tmp_path: Path) -> None:
    """A `theme:` block pasted from Material's documentation at the end of mkdocs.yml replaced the one above it whole
    (YAML keeps the last key), and neither MkDocs nor the build said a word."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    mkdocs = project / "mkdocs.yml"
    written = mkdocs.read_text(encoding="utf-8")
    mkdocs.write_text(written + "theme:\n  palette:\n    primary: indigo\n", encoding="utf-8")
    first = written.splitlines().index("theme:") + 1
    last = len(written.splitlines()) + 1
    stderr = run_digest("build", cwd=project).stderr
    assert (f"mkdocs.yml:{last}: 'theme' is written twice in one mapping (lines {first} and {last}): YAML, so MkDocs,"
            " keeps only the last, without a word; remove or merge one\n") in stderr
    mkdocs.write_text(written, encoding="utf-8")
    assert "written twice" not in run_digest("build", cwd=project).stderr


def test_a_nav_of_the_sites_own_that_leaves_the_generated_pages_out_is_reported(site: Path, tmp_path: Path) -> None:
    """A `nav:` in mkdocs.yml listing an About page replaced the generated navigation whole: the built site's
    navigation had no topics, issues or Subscribe any more, and neither build said a word."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    (project / "content").mkdir(exist_ok=True)
    (project / "content" / "about.md").write_text("# About\n", encoding="utf-8")
    mkdocs = project / "mkdocs.yml"
    written = mkdocs.read_text(encoding="utf-8")
    mkdocs.write_text(written + "nav:\n  - Home: index.md\n  - About: about.md\n", encoding="utf-8")
    stderr = run_digest("build", cwd=project).stderr
    assert ("mkdocs.yml: nav: replaces the navigation digest build makes (content/.nav.yml) and does not list"
            " topics/index.md, issues/index.md, subscribe.md, which the site's navigation then lacks") in stderr
    assert 'href="../topics/"' not in (mkdocs_build(project) / "about" / "index.html").read_text(encoding="utf-8")
    # A nav that lists them, on purpose, is the site's choice; without one, the page is in the navigation made.
    listed = "  - Topics: topics/index.md\n  - Issues: issues/index.md\n  - Subscribe: subscribe.md\n"
    mkdocs.write_text(written + "nav:\n  - Home: index.md\n  - About: about.md\n" + listed, encoding="utf-8")
    assert "nav:" not in run_digest("build", cwd=project).stderr
    mkdocs.write_text(written, encoding="utf-8")
    assert "nav:" not in run_digest("build", cwd=project).stderr
    assert "- about.md\n" in (project / "content" / ".nav.yml").read_text(encoding="utf-8")


def test_an_out_setting_that_is_not_mkdocs_docs_dir_is_reported(site: Path, tmp_path: Path) -> None:
    """`out: docs` in digest.yml alone wrote the pages to docs/ while MkDocs went on building content/, left by the
    build before: the new issue never reached the site, and neither build said a word."""
    project = tmp_path / "site"
    shutil.copytree(site, project)
    run_digest("build", "--strict", cwd=project)
    settings = project / "digest.yml"
    written = settings.read_text(encoding="utf-8")
    assert "\nout: content\n" in written
    settings.write_text(written.replace("\nout: content\n", "\nout: docs\n"), encoding="utf-8")
    result = run_digest("build", "--strict", cwd=project, check=False)
    assert result.returncode == 1
    assert ("digest.yml: out: docs is not the folder MkDocs builds the site from (docs_dir: content in mkdocs.yml)"
            in result.stderr)
    # The same folder, however written, is no problem; nor is --out, a choice made for one build.
    settings.write_text(written.replace("\nout: content\n", "\nout: ./content/\n"), encoding="utf-8")
    assert "docs_dir" not in run_digest("build", "--strict", cwd=project).stderr
    settings.write_text(written, encoding="utf-8")
    assert "docs_dir" not in run_digest("build", "--out", str(tmp_path / "elsewhere"), cwd=project).stderr


# ---------------------------------------------------------------- versions


def test_digest_version_is_the_packages() -> None:
    assert run_digest("--version").stdout == f"digest, version {__version__}\n"


def test_the_changelog_has_a_section_per_version() -> None:
    headings = re.findall(r"^## (.*)$", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings[0] == "[Unreleased]"
    released = [re.fullmatch(r"\[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}", heading) for heading in headings[1:]]
    assert all(released), headings
    versions = [scaffold.version_key(match.group(1)) for match in released if match]
    assert versions == sorted(versions, reverse=True)  # newest first
    # The version in the code is released (it has a section) or the next one (its changes are Unreleased).
    assert not versions or scaffold.version_key(__version__) >= versions[0]
