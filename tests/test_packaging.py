"""The wheel builds sites on its own: built from this checkout, installed in a fresh virtual environment outside
the repository, it makes a site with `digest new` and builds it with `digest build` and `mkdocs build --strict`.

The dependencies come at the versions of requirements.lock (the constraints a release ships), from the
configured package index, as a site's deploy workflow installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import feedparser
import pytest

from generator import __version__, scaffold
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


def test_the_wheel_carries_the_templates_skeleton_and_every_module(wheel: Path) -> None:
    assert wheel.name == f"mkdocs_paper_digest-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    # The repository's top-level templates/ is the source of generator/templates/.
    for name in source_files(ROOT / "templates"):
        assert f"generator/templates/{name}" in names, name
    for name in source_files(ROOT / "generator"):
        assert f"generator/{name}" in names, name
    assert {"generator/mkdocs_defaults.yml", "generator/mkdocs_hooks.py", "generator/mkdocs_plugin.py",
            "generator/skeleton/data/topics.yml"} <= names
    assert not [name for name in names if not name.startswith(("generator/", "mkdocs_paper_digest-"))]
    entry_points = zipfile.ZipFile(wheel).read(f"mkdocs_paper_digest-{__version__}.dist-info/entry_points.txt")
    assert b"digest = generator.cli:main" in entry_points
    assert b"paper-digest = generator.mkdocs_plugin:DigestPlugin" in entry_points


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_the_installed_wheel_makes_and_builds_a_site(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python, bin_dir = venv / "bin" / "python", venv / "bin"
    # This test's pip installs into the new environment (which needs no pip of its own).
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
               "--constraint", str(ROOT / "requirements.lock"), str(wheel)]
    subprocess.run(install, check=True, capture_output=True, text=True)
    # Nothing of the checkout on the way: not its folder, not its environment.
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "SITE_URL", "DIGEST_CACHE_DIR")}
    env |= {"PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", "NO_MKDOCS_2_WARNING": "1",
            "DIGEST_CACHE_DIR": str(tmp_path / "cache")}
    where = run([str(python), "-c", "import generator, generator.packaged as p; print(generator.__file__);"
                 " print(p.template_dir())"], tmp_path, env).stdout.split()
    assert all(Path(path).is_relative_to(venv) for path in where), where

    assert run(["digest", "--version"], tmp_path, env).stdout == f"digest, version {__version__}\n"
    run(["digest", "new", "my-digest", "--url", "https://someone.github.io/my-digest/"], tmp_path, env)
    site = tmp_path / "my-digest"
    assert sorted(scaffold.SKELETON) == sorted(path.relative_to(site).as_posix()
                                               for path in site.rglob("*") if path.is_file())
    run(["digest", "build", "--strict"], site, env)
    built = run(["mkdocs", "build", "--strict"], site, env)
    assert "WARNING" not in built.stderr and "TemplateNotFound" not in built.stderr

    out = site / "site"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>My Digest - My Digest</title>" in home
    assert "assets/digest/digest.css" in home and "assets/javascripts/freshness.js" in home  # theme overrides
    assert (out / "assets" / "digest" / "digest.css").is_file()
    for page in ("papers/2410.00907", "topics/efficiency", "issues/2026-11-27", "subscribe"):
        assert (out / page / "index.html").is_file(), page
    paper = (out / "papers" / "2410.00907" / "index.html").read_text(encoding="utf-8")
    assert "Addition is All You Need for Energy-efficient Language Models" in paper
    for feed in ("atom.xml", "rss.xml", "efficiency.atom.xml"):
        parsed = feedparser.parse((out / feed).read_bytes())
        assert not parsed.bozo and parsed.entries, feed
    assert parsed.entries[0].link.startswith("https://someone.github.io/my-digest/papers/")
    assert (out / "feeds.opml").is_file()
    assert (out / "search" / "search_index.json").is_file()  # Material's search box
    assert list((out / "search" / "papers").iterdir())  # the paper index behind it
    assert (out / "sitemap.xml").is_file()
