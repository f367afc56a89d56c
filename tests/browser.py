"""Helpers for browser tests: a local HTTP server for a built site and headless Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """CHROMIUM_PATH's browser (which must exist), else Debian's Chromium; skip (saying how to get one) if none."""
    named = os.environ.get("CHROMIUM_PATH", "")
    if named and not Path(named).is_file():
        # A path set on purpose that is wrong is an error, not a reason to test with another browser.
        pytest.fail(f"CHROMIUM_PATH={named} does not exist: correct it, or unset it to use /usr/bin/chromium",
                    pytrace=False)
    candidates = [named, "/usr/bin/chromium", shutil.which("chromium") or "",
                  shutil.which("chromium-browser") or "", shutil.which("google-chrome") or ""]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip("no Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) for the duration of the block."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
