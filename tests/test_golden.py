"""Golden test: the small fixture's content/ and feeds, byte for byte.

After an intended change of output, regenerate with ``make golden`` and review the diff.
"""

import shutil
from pathlib import Path

import pytest

from tests.conftest import SMALL, run_digest

GOLDEN = Path(__file__).resolve().parent / "golden" / "small"


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_small_fixture_matches_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    run_digest("build", "--quiet", cwd=project)
    actual = files_under(project / "content")
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(project / "content", GOLDEN)
        pytest.skip("golden files rewritten")
    expected = files_under(GOLDEN)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name].decode() == expected[name].decode(), f"{name} differs from tests/golden/small/{name}"
