"""``make serve``: the site at the server's root, rebuilt when the paper lists or digest.yml change.

Runs the Makefile's own serve recipe in a copy of the example project (the repository's .venv
reused) on a free port, reads pages over HTTP, edits the inputs and waits for the rebuild.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL, make_project

pytestmark = pytest.mark.slow
NEW_TITLE = "A Paper Added While The Site Was Being Served"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    project = make_project(tmp_path / "project", papers=SMALL / "issues", topics=SMALL / "topics.yml")  # 5 papers
    (project / "digest.yml").write_text("feeds:\n  limit: 50\n", encoding="utf-8")
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    venv = Path(sys.executable).parent.parent
    address = f"127.0.0.1:{free_port()}"
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    # MkDocs serves from a temporary folder of its own: one for this server alone, to see it removed.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    environment["TMPDIR"] = str(scratch)
    command = ["make", "-s", f"VENV={venv}", "-o", str(venv / ".installed-stamp"), f"SERVE_ADDRESS={address}", "serve"]
    with serving(command, project, environment, address):
        yield project, f"http://{address}/"
    assert not list(scratch.glob("mkdocs_*")), "make serve left its temporary build behind"


@contextmanager
def serving(command: list[str], folder: Path, environment: dict[str, str], address: str,
            seconds: float = 60) -> Iterator[None]:
    """``command`` (a server at ``address``) running in ``folder`` until its home page answers, then stopped."""
    # The log goes to a file, not a pipe: a server that logs much would block on a full one.
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            command, cwd=folder, env=environment, stdout=subprocess.DEVNULL, stderr=log, text=True,
            start_new_session=True,
            # A job started in the background (`make test &`, a CI runner's shell) inherits SIGINT ignored, and so
            # would make and MkDocs: Ctrl-C's signal must reach them as it does in a terminal.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            wait_for(lambda: get(f"http://{address}/")[0] == 200 or process.poll() is not None, "the server", seconds)
            if process.poll() is not None:
                log.seek(0)
                raise AssertionError(f"{command[0]} stopped: {log.read()}")
            yield
        finally:
            # Stopped as Ctrl-C in its terminal stops it: SIGINT to make and MkDocs alike, which then removes its
            # temporary build (SIGTERM left a copy of the site in /tmp at every stop).
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                raise


def test_make_serve_serves_the_site_at_the_root_and_rebuilds_on_data_and_settings(served: tuple[Path, str]) -> None:
    project, url = served
    status, home = get(url)
    assert status == 200 and "Paper Digest" in home
    status, atom = get(url + "atom.xml")
    assert status == 200
    assert f'<link href="{url}papers/' in atom  # the feeds' links point at this server
    assert len(re.findall("<entry>", atom)) == 5
    # An edit of data/ is rebuilt into content/ and then into the served site.
    issue = project / "data" / "issues" / "2026-11-28.txt"
    issue.write_text(f"{NEW_TITLE}\nIts abstract says what it adds, and ends a sentence.\n", encoding="utf-8")
    wait_for(lambda: NEW_TITLE in get(url)[1], "the new paper on the home page")
    # So is an edit of digest.yml.
    (project / "digest.yml").write_text("feeds:\n  limit: 1\n", encoding="utf-8")  # the new issue's one paper
    wait_for(lambda: len(re.findall("<entry>", get(url + "atom.xml")[1])) == 1, "the feed of one entry")


def test_make_serve_rebuilds_on_edits_of_a_templates_folder_made_while_serving(served: tuple[Path, str]) -> None:
    """`digest override` makes templates/ while the site is served (README, "Your own templates"): the server watched
    only folders there at its start, so edits of the copied template showed only once it was started again."""
    project, url = served
    assert not (project / "templates").exists()
    subprocess.run([sys.executable, "-m", "generator", "override", "cards.html.j2"], cwd=project, check=True,
                   capture_output=True)
    time.sleep(2)  # the server looks for the new folder every second
    topic = next(folder.name for folder in sorted((project / "content" / "topics").iterdir())
                 if (folder / "index.md").is_file())
    assert 'class="digest-card"' in get(f"{url}topics/{topic}/")[1]
    cards = project / "templates" / "cards.html.j2"
    written = cards.read_text(encoding="utf-8")
    assert '<article class="digest-card">' in written
    cards.write_text(written.replace('<article class="digest-card">', '<article class="digest-card my-card">'),
                     encoding="utf-8")
    wait_for(lambda: 'class="digest-card my-card"' in get(f"{url}topics/{topic}/")[1], "the edited card")


def test_make_serve_at_an_address_in_use_says_so_before_building(tmp_path: Path) -> None:
    """A second `make serve` (the first still running in another terminal) built the whole site, then ended in
    MkDocs' traceback: `OSError: [Errno 98] Address already in use`. It now stops at once, saying what to do."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    project = make_project(tmp_path / "project", papers=SMALL / "issues", topics=SMALL / "topics.yml")
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    venv = Path(sys.executable).parent.parent
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        result = subprocess.run(
            ["make", "-s", f"VENV={venv}", "-o", str(venv / ".installed-stamp"), f"SERVE_ADDRESS={address}", "serve"],
            cwd=project, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert f"cannot serve at {address}: Address already in use" in result.stderr
    assert not (project / "content" / "index.md").exists()  # stopped before building
