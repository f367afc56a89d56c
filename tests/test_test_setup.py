"""The test setup itself: a browser named but missing is an error, and CI never passes with browser or checker
tests skipped."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import chromium_path
from tests.conftest import ROOT

SKIPPING_BROWSER_TEST = '''
import pytest

@pytest.mark.browser
def test_in_a_browser():
    pytest.skip("no Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH")

@pytest.mark.checker
def test_with_the_nu_checker():
    pytest.skip("no Java found: the Nu HTML checker needs Java 17+")

def test_elsewhere():
    pass
'''


def test_a_chromium_path_that_does_not_exist_fails_instead_of_using_another_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-such-chrome"))
    with pytest.raises(pytest.fail.Exception, match=r"CHROMIUM_PATH=.*no-such-chrome does not exist"):
        chromium_path()


def test_make_test_stops_on_a_chromium_path_that_does_not_exist(tmp_path: Path) -> None:
    environment = {**os.environ, "CHROMIUM_PATH": str(tmp_path / "no-such-chrome")}
    result = subprocess.run(["make", "-s", "browser-deps"], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=False)
    assert result.returncode != 0
    assert f"CHROMIUM_PATH={tmp_path / 'no-such-chrome'} does not exist" in result.stderr


def run_pytest(folder: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (folder / "test_skipping.py").write_text(SKIPPING_BROWSER_TEST, encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    if ci is not None:
        environment["CI"] = ci
    command = [sys.executable, "-m", "pytest", "-q", "-p", "tests.ci_guard", "-p", "no:cacheprovider",
               "--rootdir", str(folder), "-c", os.devnull, str(folder)]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)


def test_skipped_browser_and_checker_tests_fail_the_run_in_ci_and_say_why(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, ci="true")
    assert result.returncode == 1, result.stdout
    summary = " ".join(result.stdout.split())
    assert "2 browser or checker test(s) skipped while CI=true (no Chromium found: install it" in summary
    assert "no Java found: the Nu HTML checker needs Java 17+" in summary


def test_skipped_browser_tests_only_skip_outside_ci(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, ci=None)
    assert result.returncode == 0, result.stdout
    assert "CI=true" not in result.stdout


def test_make_lint_installs_pinned_linters() -> None:
    command = ["make", "-n", "-o", ".venv/.installed-stamp", "lint"]  # the recipe only, not a stale setup's
    dry = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    installs = [line for line in dry.splitlines() if "pip install" in line]
    assert installs == [".venv/bin/python -m pip install --quiet -r requirements-lint.lock"]
    pinned = [line for line in (ROOT / "requirements-lint.lock").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line) for line in pinned), pinned
    assert {line.split("==")[0].lower() for line in pinned} >= {"ruff", "mypy", "types-pyyaml"}


def test_plain_make_lists_every_target_with_what_it_does() -> None:
    """Plain make set up .venv and said only "'.venv/.installed-stamp' is up to date"."""
    listed = subprocess.run(["make", "-s"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert listed == subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True,
                                    check=True).stdout
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY: (.*)$", makefile, re.MULTILINE)
    assert phony is not None
    names = [line.split()[0] for line in listed.splitlines()[1:] if not line.startswith("   ")]
    assert sorted(names) == sorted(phony.group(1).split())  # every target, once
    assert "  site          set up, build content/ from data/, then build site/ with MkDocs" in listed


def test_make_fuzz_explores_while_make_test_replays_fixed_examples() -> None:
    from hypothesis import settings

    assert settings.get_profile("default").derandomize  # make test and CI: reproducible
    explore = settings.get_profile("explore")
    assert not explore.derandomize and explore.max_examples >= 1000
    command = ["make", "-n", "-o", ".venv/.installed-stamp", "fuzz"]
    recipe = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "HYPOTHESIS_PROFILE=explore" in recipe and "-m property" in recipe
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "property", "tests/test_listing.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout
    assert "tests/test_listing.py::test_blank_lines_anywhere_never_change_the_pairs" in collected
    assert "test_crlf_line_endings" not in collected  # not a property test


def test_make_test_installs_the_pinned_html_checkers() -> None:
    """The Nu HTML checker (vnu-jar 26.x) and axe-core 4.x: exact versions, locked, installed by `npm ci`."""
    tools = ROOT / "tools"
    wanted = json.loads((tools / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert set(wanted) == {"vnu-jar", "axe-core"}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in wanted.values()), wanted  # no ranges
    assert wanted["vnu-jar"].startswith("26.") and wanted["axe-core"].startswith("4.")
    locked = json.loads((tools / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert set(locked) == {"", "node_modules/vnu-jar", "node_modules/axe-core"}  # nothing else comes along
    for name, version in wanted.items():
        assert locked[f"node_modules/{name}"]["version"] == version
        assert locked[f"node_modules/{name}"]["integrity"].startswith("sha512-")
    def dry_run(*arguments: str) -> str:
        return subprocess.run(["make", "-n", *arguments], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    test = dry_run("-o", ".venv/.installed-stamp", "test")
    assert test.index("tools/node_modules/.installed-stamp") < test.index("pytest")
    install = dry_run("-B", "tools/node_modules/.installed-stamp")
    assert "npm ci --prefix tools --ignore-scripts" in install  # the system's Java, never one vnu-jar downloads
    assert "/tools/node_modules/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_make_setup_installs_the_package_without_setuptools_boxed_warning(tmp_path: Path) -> None:
    """make site and make test printed setuptools' boxed "Editable installation … Please be careful with folders in
    your working directory with the same name as your package" (recent pip shows build backends' warnings)
    on a newcomer's first run, about nothing they could change. The Makefile's own install line, into a folder of
    this test (--target: the .venv the tests run in is left alone)."""
    if not (ROOT / ".venv" / "bin" / "python").is_file():
        pytest.skip("no .venv: make setup was not run here")
    dry = subprocess.run(["make", "-n", "-W", "pyproject.toml", ".venv/.installed-stamp"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    [install] = [line for line in dry.splitlines() if line.endswith(" -e .")]
    result = subprocess.run(["bash", "-c", f"{install} --target {tmp_path / 'target'}"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "target").glob("__editable__*mkdocs_paper_digest*.pth"))
    assert "Editable installation" not in result.stdout + result.stderr
    assert "same name as your package" not in result.stdout + result.stderr


def fake_python(folder: Path, version: str | None) -> Path:
    """A python3 that reports ``version`` to the Makefile's check (None: the real one's) and, asked to make a venv,
    only notes it was asked (so make stops there, with nothing installed)."""
    script = folder / f"python-{version or 'real'}"
    pretend = f"sys.version_info = ({', '.join(version.split('.'))}, 'final', 0); sys.version = '{version}'\n" \
        if version else ""
    script.write_text(f'#!/bin/sh\nif [ "$1" = -c ]; then exec "{sys.executable}" -c "import sys; {pretend}$2"; fi\n'
                      f'if [ "$1 $2" = "-m venv" ]; then touch "$3.asked"; exit 3; fi\nexit 4\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def test_make_setup_with_a_python_older_than_3_11_says_so_before_making_anything(tmp_path: Path) -> None:
    """With Python 3.10, make site made .venv and stopped at "No matching distribution found for atpublic==9.0.0";
    make PYTHON=python3.12 site then kept that .venv's python 3.10 (venv does not replace it) and stopped there
    again."""
    old = fake_python(tmp_path, "3.10.13")
    venv = tmp_path / "venv"
    result = subprocess.run(["make", "-s", "site", f"PYTHON={old}", f"VENV={venv}"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode != 0
    assert (f"Paper Digest needs Python 3.11 or later, and {old} is Python 3.10.13: run make again with another,"
            " such as make PYTHON=python3.12 site") in result.stderr
    assert not venv.exists() and not (tmp_path / "venv.asked").exists()

    (venv / "bin").mkdir(parents=True)  # the .venv a Python 3.10 left
    (venv / "bin" / "python").symlink_to(old)
    result = subprocess.run(["make", "-s", "setup", f"PYTHON={fake_python(tmp_path, None)}", f"VENV={venv}"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert f"Making {venv} again with " in result.stdout
    assert (tmp_path / "venv.asked").exists() and not venv.exists()  # removed before venv was asked to make it
