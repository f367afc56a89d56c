"""The wheel carries what a build needs besides the code: the repository's templates, as package data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator import __version__
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# What a wheel is built from; the test builds from a copy of these, so no stale build/ folder of the checkout
# (setuptools keeps one) can slip files into it.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "generator", "templates")


def source_files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True, text=True)
    [built] = out.glob("*.whl")
    return built


def test_the_wheel_carries_the_templates_and_every_module(wheel: Path) -> None:
    assert wheel.name == f"mkdocs_paper_digest-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    # The repository's top-level templates/ is the source of generator/templates/.
    for name in source_files(ROOT / "templates"):
        assert f"generator/templates/{name}" in names, name
    for name in source_files(ROOT / "generator"):
        assert f"generator/{name}" in names, name
    assert {"generator/mkdocs_defaults.yml", "generator/mkdocs_plugin.py"} <= names
    assert not [name for name in names if not name.startswith(("generator/", "mkdocs_paper_digest-"))]
    entry_points = zipfile.ZipFile(wheel).read(f"mkdocs_paper_digest-{__version__}.dist-info/entry_points.txt")
    assert b"digest = generator.cli:main" in entry_points
    assert b"paper-digest = generator.mkdocs_plugin:DigestPlugin" in entry_points

