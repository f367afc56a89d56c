"""The README's examples run as written, against a copy of the bundled example (never data/ itself).

A fenced block marked ``example: PATH`` on its first line is saved under PATH in the copy; a
``sh`` block marked ``example`` is run there line by line with bash, as a user would after
``make setup`` (``.venv/bin/digest`` exists; ``digest`` alone is not on the PATH). Then the
copy must build with ``--strict``: every example file read without a problem, every
curation entry matching a paper. Examples that need a network or secrets stay unmarked.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.sources import format_of
from generator.sources.common import date_from_name
from tests.conftest import ROOT, make_project

pytestmark = pytest.mark.slow
FENCE = re.compile(r"^( *)```(\w+)([^\n]*)\n(.*?)^\1```", re.M | re.S)


@dataclass(frozen=True)
class Example:
    language: str
    path: str | None
    text: str


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def examples() -> list[Example]:
    found = []
    for match in FENCE.finditer(readme()):
        indent, language, info, body = match.groups()
        marked = re.fullmatch(r"\s+example(?::\s*(\S+))?\s*", info)
        if marked:
            text = "".join(line.removeprefix(indent) for line in body.splitlines(keepends=True))
            found.append(Example(language, marked.group(1), text))
    return found


def test_the_readme_marks_its_runnable_examples() -> None:
    marked = examples()
    files = sorted(example.path for example in marked if example.path)
    assert files == [
        "data/curation.yml", "data/issues/2026-11-28-arxiv-bulk.jsonl", "data/issues/2026-11-28-hf.json",
        "data/issues/2026-11-28-reading.bib",
        "data/issues/2026-11-28-reading.jsonl", "data/issues/2026-11-28.yaml", "data/issues/2026-11-29-arxiv.xml",
    ]
    assert [example.language for example in marked if example.path is None] == ["sh"]


def test_the_readme_examples_run_against_the_bundled_example(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    for example in examples():
        if example.path:
            (project / example.path).write_text(example.text, encoding="utf-8")
    digest = project / ".venv" / "bin" / "digest"  # what make setup installs, here running this test's Python
    digest.parent.mkdir(parents=True)
    digest.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n', encoding="utf-8")
    digest.chmod(digest.stat().st_mode | stat.S_IXUSR)
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(part for part in os.environ["PATH"].split(os.pathsep) if part != venv_bin)
    environment = {**os.environ, "PATH": path}
    environment.pop("SITE_URL", None)
    for example in examples():
        if example.path is None:
            for line in example.text.splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    result = subprocess.run(["bash", "-c", line], cwd=project, env=environment,
                                            capture_output=True, text=True, check=False)
                    assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
                    assert result.stdout.strip(), line
    result = subprocess.run([str(digest), "build", "--strict"], cwd=project, env=environment,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Hidden by curation: t565b128e90c (Withdrawn by the authors" in result.stdout
    # The YAML and arXiv examples list one paper with different authors: the fuller list is kept, with a note.
    assert "disagree on its authors: kept the 2 of data/issues/2026-11-28.yaml" in result.stderr


def test_the_format_forcing_examples_are_read_not_skipped() -> None:
    sentence = re.search(r"forces\s+another reader:(.*?)Format names", readme(), re.S)
    assert sentence is not None
    names = re.findall(r"`([^`]+)`", sentence.group(1))
    assert len(names) >= 2
    for name in names:
        forced = format_of(Path(name))
        assert forced is not None and forced != format_of(Path("x" + Path(name).suffix)), name
        assert date_from_name(Path(name)) is not None, f"{name} has no date: it would be skipped"


def test_the_commands_section_says_where_the_digest_command_is() -> None:
    section = readme().split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/digest" in section and ". .venv/bin/activate" in section
