"""A pytest plugin: in CI (``CI=true``), browser and checker tests that skip fail the run, saying why.

Without a browser the browser tests skip, and without Java or the npm checkers (``make checkers``)
the Nu HTML checker's test skips, which is right on a developer's machine; in CI it would let a
broken setup pass silently, so there the run fails instead.
"""

from __future__ import annotations

import os

import pytest

skipped: dict[str, str] = {}
GUARDED = ("browser", "checker")  # markers of tests that must not skip in CI


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and any(marker in report.keywords for marker in GUARDED):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        skipped[report.nodeid] = reason.removeprefix("Skipped: ")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if skipped and in_ci() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if skipped and in_ci():
        reasons = sorted(set(skipped.values()))
        terminalreporter.write_line(
            f"FAILED: {len(skipped)} browser or checker test(s) skipped while CI=true ({'; '.join(reasons)}). In CI"
            " every test must run: set CHROMIUM_PATH to a Chromium or Chrome (the tests workflow uses the runner's"
            " Google Chrome), have Java 17+ and run `make checkers` (make test does), or unset CI to allow the skip.",
            red=True, bold=True,
        )
