"""`digest fetch` against servers that flood, drip, inflate, pad, redirect elsewhere, lie with 200 or cut short.

Each fetch runs as the scheduled job runs it, a separate process, but with a memory limit
(``RLIMIT_AS``) and a timeout, so a fetch that reads too much fails here instead of swapping
or hanging the test run. Every case starts from a saved issue of the same day: whatever the
server does, that file stays byte for byte as it was and nothing else is written.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.sources import read_paper_list
from tests.conftest import ROOT
from tests.recorded_server import Reply, Request, recorded_server

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAVED = FIXTURES / "fetch" / "hf-2025-02-19-partial.json"
DAY_FILE = "2025-02-19-hf.json"
MEMORY_LIMIT = 512 * 1024 * 1024
"""Address space for a fetch: about 200 MB for Python and the generator, room for a capped answer, not for a flood."""
CAP = 1_000_000
# Sets the memory limit, then runs the command as `digest` does.
LIMITED = (
    "import resource, sys; limit = int(sys.argv[1]); resource.setrlimit(resource.RLIMIT_AS, (limit, limit));"
    " from generator.cli import main; main(sys.argv[2:], prog_name='digest')"
)


@dataclass
class Outcome:
    status: int
    stderr: str
    stdout: str
    seconds: float


def limited_fetch(out: Path, *args: str, timeout: float = 20.0, env: dict[str, str] | None = None) -> Outcome:
    """``digest fetch ARGS --out OUT`` in a process limited to ``MEMORY_LIMIT`` bytes and ``timeout`` seconds,
    with the variables of ``env`` added to the environment."""
    # One BLAS thread: numpy reserves address space per thread, which would count against the limit.
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", **(env or {})}
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", LIMITED, str(MEMORY_LIMIT), "fetch", *args, "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=environment, timeout=timeout, check=False,
    )  # fmt: skip
    return Outcome(result.returncode, result.stderr, result.stdout, time.monotonic() - start)


@pytest.fixture
def saved_day(tmp_path: Path) -> Iterator[Path]:
    """A folder holding an issue of 2025-02-19; after the test it holds exactly that file, unchanged."""
    folder = tmp_path / "issues"
    folder.mkdir()
    shutil.copy(SAVED, folder / DAY_FILE)
    yield folder
    assert [path.name for path in folder.iterdir()] == [DAY_FILE]  # no scratch folder, no other file
    assert (folder / DAY_FILE).read_bytes() == SAVED.read_bytes()


def hf(url: str, *options: str) -> tuple[str, ...]:
    return ("hf", "--date", "2025-02-19", "--base-url", url, "--retries", "0", "--max-bytes", str(CAP), *options)


def asked(url: str) -> str:
    return f"GET {url}/api/daily_papers?date=2025-02-19&limit=100&p=0"


# ---- hostile servers -------------------------------------------------------------------------


def flood() -> Iterator[bytes]:
    """``[``, then spaces without end (600 MB at most, as in the issue), no Content-Length."""
    yield b"["
    for _ in range(600 * 16):
        yield b" " * 65536


def drip() -> Iterator[bytes]:
    """One byte a second: every read succeeds long before any per-read timeout."""
    for _ in range(60):
        yield b" "
        time.sleep(1.0)


def gzip_bomb() -> Iterator[bytes]:
    """A gzip answer of about 1 MB that inflates to 1 GB of spaces (members of 10 MB each, 1,000:1)."""
    member = gzip.compress(b" " * 10_000_000, compresslevel=9)
    yield gzip.compress(b"[")
    for _ in range(100):
        yield member


def cut_short() -> Iterator[bytes]:
    yield SAVED.read_bytes()[:1000]


def test_a_flood_stops_at_the_cap_and_names_it(saved_day: Path) -> None:
    with recorded_server(lambda request: Reply(stream=flood)) as (url, _):
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert outcome.stderr == (
        f"Error: {asked(url)}: the answer is larger than the cap of 1,000,000 bytes (counted after decompression);"
        " stopped reading, nothing was written (raise the cap with --max-bytes N or fetch_max_bytes in digest.yml)\n"
    )
    assert outcome.seconds < 10


def test_an_answer_announcing_more_than_the_cap_is_not_read(saved_day: Path) -> None:
    huge = Reply(stream=flood, headers={"Content-Length": "600000001"})
    with recorded_server(lambda request: huge) as (url, _):
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert "the answer announces 600,000,001 bytes, more than the cap of 1,000,000; nothing was written" in (
        outcome.stderr)


def test_a_gzip_bomb_stops_at_the_cap_counted_after_decompression(saved_day: Path) -> None:
    with recorded_server(lambda request: Reply(stream=gzip_bomb, headers={"Content-Encoding": "gzip"})) as (url, _):
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert "the answer is larger than the cap of 1,000,000 bytes (counted after decompression)" in outcome.stderr
    assert outcome.seconds < 10


@pytest.mark.parametrize(("command", "body", "what"), [
    ("hf", b"[" + b"{}," * 1_400_000 + b"{}]", "1,400,002 JSON objects and arrays, more than a daily papers answer"),
    ("arxiv", b'<feed xmlns="http://www.w3.org/2005/Atom">' + b"<a/>" * 2_100_000 + b"</feed>",
     "2,100,002 XML tags, more than an arXiv answer"),
    ("arxiv-new", b"<rss><channel>" + b"<i/>" * 2_100_000 + b"</channel></rss>",
     "2,100,004 XML tags, more than an announcement feed"),
    ("hf", b"[" + b'"ab",' * 5_100_000 + b'"ab"]',
     "5,100,001 JSON values (counted by their commas), more than a daily papers answer"),
    ("arxiv", b'<feed xmlns="http://www.w3.org/2005/Atom"><a ' + b" ".join(b"a%d='1'" % n for n in range(1_000_001))
     + b"/></feed>", "1,000,002 XML attributes (counted by their = signs), more than an arXiv answer"),
    ("arxiv-new", b"<rss><channel><i " + b" ".join(b"a%d='1'" % n for n in range(1_000_001)) + b"/></channel></rss>",
     "1,000,001 XML attributes (counted by their = signs), more than an announcement feed"),
], ids=["hf-containers", "arxiv-tags", "arxiv-new-tags", "hf-values", "arxiv-attributes", "arxiv-new-attributes"])
def test_an_answer_of_millions_of_tiny_values_is_refused_before_it_is_parsed(
    saved_day: Path, command: str, body: bytes, what: str
) -> None:
    """Within the byte cap, tiny values make a huge parse: 45 MB of `{},` were 15 million dicts (1.1 GB), 45 MB of
    `<a/>` 11 million XML elements (1 GB, half a minute), 48 MB of `"ab",` 9.9 million strings (960 MB), 3.9 million
    attributes of one element 1.3 GB. Counted in the bytes, such an answer is not parsed."""
    with recorded_server(lambda request: Reply(body=body)) as (url, _):
        arguments = {"hf": hf(url), "arxiv": ("arxiv", "--query", "x", "--date", "2025-02-19"),
                     "arxiv-new": ("arxiv-new", "--category", "cs.LG")}[command]
        if command != "hf":
            arguments += ("--base-url", url, "--retries", "0")
        outcome = limited_fetch(saved_day, *arguments, "--max-bytes", str(len(body)))
    assert outcome.status == 1, outcome.stderr
    assert f"the answer holds {what} of the largest size a fetch reads" in outcome.stderr
    assert "not read, so that it cannot fill the memory" in outcome.stderr
    assert (saved_day / DAY_FILE).read_bytes() == SAVED.read_bytes()


def test_a_drip_is_stopped_by_the_deadline_naming_the_stage(saved_day: Path) -> None:
    dripping = Reply(stream=drip, headers={"Content-Length": "100"})
    with recorded_server(lambda request: dripping) as (url, _):
        outcome = limited_fetch(saved_day, *hf(url, "--deadline", "3"))
    assert outcome.status == 1
    assert outcome.stderr == (
        f"Error: the fetch passed its deadline of 3 s while reading the answer of {asked(url)};"
        " nothing was written (a longer one: --deadline SECONDS)\n"
    )
    assert 3 <= outcome.seconds < 8


def test_a_server_that_never_answers_is_stopped_by_the_deadline(saved_day: Path) -> None:
    with recorded_server(lambda request: Reply(body=b"[]", delay=30)) as (url, _):
        outcome = limited_fetch(saved_day, *hf(url, "--deadline", "1"))
    assert outcome.status == 1
    assert f"passed its deadline of 1 s while waiting for the answer of {asked(url)};" in outcome.stderr
    assert outcome.seconds < 6


def test_a_retry_that_would_end_past_the_deadline_stops_at_once(saved_day: Path) -> None:
    busy = Reply(503, b"busy", headers={"Retry-After": "100"})
    with recorded_server(lambda request: busy) as (url, received):
        outcome = limited_fetch(saved_day, "hf", "--date", "2025-02-19", "--base-url", url, "--deadline", "20")
    assert outcome.status == 1
    assert (f"would pass its deadline of 20 s while waiting 100 s to ask again for {asked(url)}"
            " (HTTP 503 Service Unavailable)") in outcome.stderr
    assert len(received) == 1
    assert outcome.seconds < 10


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        pytest.param(Reply(body=b"[" + b" " * 500_000 + b"]"),
                     "an empty list padded with 500,000 bytes of whitespace is not an empty day;"
                     " Content-Type application/json; first bytes: '[    ", id="padded-inside"),
        pytest.param(Reply(body=b"[]" + b"\n" * 1000),
                     "the answer is padded with 1,000 bytes of whitespace, not an answer;"
                     " Content-Type application/json; first bytes: '[]\\n\\n\\n", id="padded-after"),
        pytest.param(Reply(body=b"<!DOCTYPE html><html><title>\x1b[2J\x1b]0;owned\x07Maintenance</title></html>",
                           content_type="text/html; charset=utf-8"),
                     "expected a JSON list of daily papers, got an HTML or XML page; Content-Type text/html;"
                     " charset=utf-8; first bytes: '<!DOCTYPE html><html><title>\\x1b[2J\\x1b]0;owned\\x07Maintenance"
                     "</title></html>'", id="html-200"),
        pytest.param(Reply(body=b"Rate exceeded.", content_type="text/plain"),
                     "the answer is not JSON (Expecting value at byte 0); Content-Type text/plain;"
                     " first bytes: 'Rate exceeded.'", id="wrong-type"),
        pytest.param(Reply(body=b"\n"), "the answer is empty (no byte of JSON), not a list of daily papers;"
                     " Content-Type application/json; first bytes: '\\n'", id="empty"),
        pytest.param(Reply(body=b"["), "the JSON ends early, after 1 byte (a truncated answer)", id="one-byte"),
        pytest.param(Reply(body=b'[{"paper": {"id": "2502.13129", "title": "A\x00B"}}]'),
                     "the answer is not JSON (Invalid control character at byte 43); Content-Type application/json;"
                     " first bytes: '[{\"paper\": {\"id\": \"2502.13129\", \"title\": \"A\\x00B\"}}]'",
                     id="control-character"),
        pytest.param(Reply(body=b"\x1f\x9d\x90[\x00", headers={"Content-Encoding": "compress"}),
                     "the answer is not UTF-8 text, so not JSON; Content-Type application/json; Content-Encoding"
                     " compress, not decoded (only gzip", id="encoding-not-decoded"),
        pytest.param(Reply(body=b'{"error": "Invalid date"}'),
                     "expected a JSON list of daily papers, got a JSON object; Content-Type application/json;"
                     " first bytes: '{\"error\": \"Invalid date\"}'", id="object"),
        pytest.param(Reply(stream=cut_short, headers={"Content-Length": str(SAVED.stat().st_size)}),
                     f"the answer ended early, after 1,000 bytes of the {SAVED.stat().st_size:,} it announced;"
                     " first bytes: '[\\n  {\\n    \"paper\": {", id="truncated"),
        pytest.param(Reply(stream=cut_short),
                     "the JSON ends early, after 1,000 bytes (a truncated answer); Content-Type application/json;"
                     " first bytes: '[\\n  {\\n    \"paper\": {", id="truncated-at-close"),
        pytest.param(Reply(body=b'[{"paper": {"id": "2502.13129", "upvotes": ' + b"9" * 5000 + b"}}]"),
                     "the JSON holds an integer of more than 4,300 digits, which no daily papers answer has;"
                     " Content-Type application/json; first bytes: '[{\"paper\"", id="huge-integer"),
    ],
)
def test_an_answer_that_is_not_what_was_asked_is_an_error_not_an_empty_day(
    saved_day: Path, reply: Reply, message: str
) -> None:
    with recorded_server(lambda request: reply) as (url, _):
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert outcome.stderr.startswith(f"Error: {asked(url)}: {message}")
    assert "\x1b" not in outcome.stderr and "\x07" not in outcome.stderr
    assert "Traceback" not in outcome.stderr



def full_page(page: int) -> bytes:
    """A page of 100 daily papers of about 400 KB (long abstracts), ids of its own: paging goes on."""
    items = [{"paper": {"id": f"2502.{page * 100 + number:05d}", "title": f"Paper {page}.{number}",
                        "summary": "An abstract. " * 300, "authors": [{"name": "Ada Lovelace"}],
                        "publishedAt": "2025-02-19T00:00:00.000Z"}} for number in range(100)]
    return json.dumps(items).encode()


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "streamed"])
def test_the_cap_counts_every_page_of_a_fetch_together(saved_day: Path, announced: bool) -> None:
    # Each page is well under the cap; 20 of them (as many as are asked) would be eight times over it.
    def respond(request: Request) -> Reply:
        page = full_page(int(request.params["p"]))
        return Reply(body=page) if announced else Reply(stream=lambda: [page])

    with recorded_server(respond) as (url, received):
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    third = asked(url).replace("&p=0", "&p=2")
    size, before = len(full_page(2)), len(full_page(0)) + len(full_page(1))
    if announced:
        message = (f"the answer announces {size:,} bytes, more than the {CAP - before:,} left of the cap of"
                   f" 1,000,000 bytes in all ({before:,} in the answers before this one); nothing was written")
    else:
        message = (f"the answers of this fetch are larger than the cap of 1,000,000 bytes in all (counted after"
                   f" decompression; {before:,} in the answers before this one); stopped reading, nothing was"
                   " written")
    assert outcome.stderr == f"Error: {third}: {message} (raise the cap with --max-bytes N or fetch_max_bytes in" \
        " digest.yml)\n"
    assert [request.params["p"] for request in received] == ["0", "1", "2"]



@contextmanager
def raw_server(answer: bytes) -> Iterator[str]:
    """A server on 127.0.0.1 that reads a request, answers ``answer`` as it is (HTTP or not), then hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # closed: the test is over
            with connection:
                try:
                    while b"\r\n\r\n" not in connection.recv(65536):
                        pass
                    connection.sendall(answer)
                except OSError:
                    pass  # the client gave up reading

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        pytest.param(b"SSH-2.0-OpenSSH_9.0\r\n", "its first line: 'SSH-2.0-OpenSSH_9.0'", id="another-protocol"),
        pytest.param(b"HTTP/1.1 200 OK\r\n" + b"X-Header: y\r\n" * 101 + b"\r\n[]", "got more than 100 headers",
                     id="too-many-headers"),
        pytest.param(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n[]",
                     "got more than 65536 bytes when reading header line", id="too-long-a-header"),
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n[]",
                     "Content-Length contained multiple unmatching values (2, 5)", id="content-lengths-disagree"),
    ],
)
def test_an_answer_that_is_not_http_is_said_so_not_a_failure_to_connect(
    saved_day: Path, answer: bytes, shown: str
) -> None:
    with raw_server(answer) as url:
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert outcome.stderr == (f"Error: {asked(url)}: the server's answer is not HTTP ({shown}) (gave up after 1"
                              " attempt)\n")


def test_a_server_that_hangs_up_without_answering_is_not_called_not_http(saved_day: Path) -> None:
    with raw_server(b"") as url:
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert outcome.stderr == (f"Error: {asked(url)}: the server closed the connection without answering (gave up"
                              " after 1 attempt)\n")  # not "cannot connect": it did


# ---- failing to connect ------------------------------------------------------------------------


def dead_port() -> int:
    """A port on 127.0.0.1 where nothing listens (a connection is refused)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return int(listener.getsockname()[1])


def test_a_refused_connection_says_so(saved_day: Path) -> None:
    # The reason came after 200 characters of requests' and urllib3's wrappers, and was cut off.
    url = f"http://127.0.0.1:{dead_port()}"
    outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.stderr == f"Error: {asked(url)}: cannot connect: connection refused (gave up after 1 attempt)\n"


def test_a_proxy_that_cannot_be_reached_is_named_with_its_variable_not_its_password(saved_day: Path) -> None:
    port = dead_port()
    outcome = limited_fetch(saved_day, "hf", "--date", "2025-02-19", "--retries", "0",
                            env={"HTTPS_PROXY": f"http://robot:hunter2@127.0.0.1:{port}", "NO_PROXY": ""})
    assert outcome.status == 1
    assert outcome.stderr == (
        "Error: GET https://huggingface.co/api/daily_papers?date=2025-02-19&limit=100&p=0: cannot connect through the"
        f" proxy http://127.0.0.1:{port} (set in HTTPS_PROXY): connection refused (gave up after 1 attempt)\n"
    )


@pytest.mark.parametrize(
    ("proxy", "shown", "reason"),
    [
        pytest.param("socks5://127.0.0.1:1080", "socks5://127.0.0.1:1080",
                     "(Missing dependencies for SOCKS support.); a SOCKS proxy needs PySocks (pip install PySocks)",
                     id="socks", marks=pytest.mark.skipif(importlib.util.find_spec("socks") is not None,
                                                          reason="PySocks is installed")),
        pytest.param("http://robot:hunter2@127.0.0.1:99999", "http://127.0.0.1:99999",
                     "(Failed to parse: http://127.0.0.1:99999)", id="port"),
    ],
)
def test_a_proxy_that_cannot_be_used_is_blamed_not_the_address(
    saved_day: Path, proxy: str, shown: str, reason: str
) -> None:
    # It said "not an address that can be asked" of https://huggingface.co, and quoted the proxy's password.
    outcome = limited_fetch(saved_day, "hf", "--date", "2025-02-19", "--retries", "0",
                            env={"HTTPS_PROXY": proxy, "NO_PROXY": ""})
    assert outcome.status == 1
    assert outcome.stderr == ("Error: GET https://huggingface.co/api/daily_papers?date=2025-02-19&limit=100&p=0: the"
                              f" proxy {shown} (set in HTTPS_PROXY) cannot be used {reason}\n")


@pytest.mark.parametrize("retries", ["0", "3"])
def test_an_untrusted_certificate_is_named_as_the_reason_and_not_asked_again(saved_day: Path, retries: str) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(FIXTURES / "fetch" / "self-signed.pem", FIXTURES / "fetch" / "self-signed.key")
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        with contextlib.suppress(OSError):  # the handshake the client refuses; the listener closed at the end
            while True:
                connection, _ = listener.accept()
                with contextlib.suppress(OSError), context.wrap_socket(connection, server_side=True):
                    pass

    threading.Thread(target=serve, daemon=True).start()
    url = f"https://127.0.0.1:{listener.getsockname()[1]}"
    try:
        outcome = limited_fetch(saved_day, *hf(url), "--retries", retries)
    finally:
        listener.close()
    assert outcome.stderr == (f"Error: {asked(url)}: cannot connect: the server's TLS certificate is not trusted"
                              " (self-signed certificate)\n")
    assert outcome.seconds < 5  # no waits of a backoff before asking again (1 + 2 + 4 s)

# Runs `digest` with the lookup of the name stuck.invalid held 20 s, as a name server that does not answer holds the C
# library's: an exception a signal handler raises meanwhile waits for the lookup to end.
STUCK_LOOKUP = """
import socket, sys, time
real = socket.getaddrinfo
def stuck(host, *args, **kwargs):
    flags = kwargs.get("flags", args[4] if len(args) > 4 else 0)
    if host != "stuck.invalid" or flags & socket.AI_NUMERICHOST:
        return real(host, *args, **kwargs)
    end = time.monotonic() + 20
    while time.monotonic() < end:
        try:
            time.sleep(0.05)
        except BaseException:
            pass
    raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
socket.getaddrinfo = stuck
from generator.cli import main
main(sys.argv[1:], prog_name="digest")
"""


@pytest.mark.parametrize(("options", "said"), [
    (("--timeout", "1", "--retries", "0"),
     "Error: GET http://stuck.invalid/api/daily_papers?date=2025-02-19&limit=100&p=0: cannot connect: the host name"
     " lookup of stuck.invalid took more than 1 s (gave up after 1 attempt)\n"),
    (("--deadline", "1"),
     "Error: the fetch passed its deadline of 1 s while waiting for the answer of GET"
     " http://stuck.invalid/api/daily_papers?date=2025-02-19&limit=100&p=0; nothing was written (a longer one:"
     " --deadline SECONDS)\n"),
], ids=["timeout", "deadline"])
def test_a_host_name_lookup_that_hangs_ends_within_the_timeout_and_the_deadline(
    saved_day: Path, options: tuple[str, ...], said: str
) -> None:
    # The lookup waited for the name servers past both: 31 s of a fetch with --deadline 3 (glibc's timeout:10
    # attempts:3, a name server that does not answer).
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", STUCK_LOOKUP, "fetch", "hf", "--date", "2025-02-19", "--base-url", "http://stuck.invalid",
         *options, "--out", str(saved_day)],
        cwd=ROOT, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == said
    assert time.monotonic() - start < 5

# ---- redirects ---------------------------------------------------------------------------------


def redirect_to(location: str) -> Reply:
    return Reply(302, headers={"Location": location})


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        pytest.param("http://localhost:{port}/api/daily_papers", "http://localhost:{port}/api/daily_papers",
                     id="http-elsewhere"),
        pytest.param("file:///etc/passwd", "file:///etc/passwd", id="file"),
    ],
)
def test_redirects_elsewhere_than_https_or_the_configured_server_are_refused(
    saved_day: Path, location: str, shown: str
) -> None:
    def respond(request: Request) -> Reply:
        return redirect_to(location.format(port=port))

    with recorded_server(respond) as (url, received):
        port = url.rsplit(":", 1)[1]
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert outcome.stderr == (
        f"Error: {asked(url)}: refused a redirect to {shown.format(port=port)}: only https, or {url}"
        " (the configured server), is followed\n"
    )
    assert len(received) == 1



@pytest.mark.parametrize(
    ("location", "shown", "problem"),
    [
        pytest.param("http://[::1", "http://[::1", "invalid IPv6 URL", id="ipv6-unclosed"),
        pytest.param("https://mirror example/api", "https://mirror example/api",
                     "a space or a control character in the host", id="space"),
        pytest.param("https://mirror.example:99999/api", "https://mirror.example:99999/api",
                     "the port is not a number from 1 to 65535", id="port"),
        pytest.param("/caf\xe9", "/caf\xe9", "not UTF-8", id="latin-1"),
    ],
)
def test_a_redirect_to_an_invalid_address_is_refused(saved_day: Path, location: str, shown: str, problem: str) -> None:
    with recorded_server(lambda request: redirect_to(location)) as (url, received):
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert outcome.stderr == f"Error: {asked(url)}: a redirect to an invalid address, '{shown}' ({problem}); refused\n"
    assert len(received) == 1

LONG = "a" * 60_000


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        pytest.param(redirect_to(f"http://elsewhere.example/{LONG}"),
                     f"refused a redirect to http://elsewhere.example/{'a' * 175}… (60,025 characters in all): only"
                     " https, or {url} (the configured server), is followed", id="location"),
        pytest.param(Reply(body=b"<html>", content_type=f"text/html; {LONG}"),
                     f"expected a JSON list of daily papers, got an HTML or XML page; Content-Type text/html;"
                     f" {'a' * 189}… (60,011 characters in all); first bytes: '<html>'", id="content-type"),
    ],
)
def test_what_a_server_sends_is_quoted_in_a_message_at_most_200_characters(
    saved_day: Path, reply: Reply, message: str
) -> None:
    # A 60 KB header (the most a header line may have) made an error line of 60 KB in the job's log.
    with recorded_server(lambda request: reply) as (url, _):
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert outcome.stderr == f"Error: {asked(url)}: {message.replace('{url}', url)}\n"


def test_a_long_reason_phrase_is_cut_in_the_message(saved_day: Path) -> None:
    with raw_server(f"HTTP/1.1 404 {LONG}\r\nContent-Length: 0\r\n\r\n".encode()) as url:
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.stderr == f"Error: {asked(url)}: HTTP 404 {'a' * 191}… (60,009 characters in all)\n"


def test_more_than_five_redirects_are_refused(saved_day: Path) -> None:
    with recorded_server(lambda request: redirect_to(f"/hop{len(request.path)}")) as (url, received):
        outcome = limited_fetch(saved_day, *hf(url))
    assert outcome.status == 1
    assert f"Error: {asked(url)}: more than 5 redirects (the last to {url}/hop" in outcome.stderr
    assert len(received) == 6


def test_a_redirect_on_the_configured_server_is_followed(tmp_path: Path) -> None:
    day = (FIXTURES / "sources" / "2025-02-19-hf.json").read_bytes()

    def respond(request: Request) -> Reply:
        return redirect_to("/v2/daily_papers?date=2025-02-19") if request.path.startswith("/api") else Reply(body=day)

    with recorded_server(respond) as (url, received):
        outcome = limited_fetch(tmp_path, *hf(url))
    assert outcome.status == 0, outcome.stderr
    assert [request.path for request in received] == ["/api/daily_papers", "/v2/daily_papers"]
    assert len(read_paper_list(tmp_path / DAY_FILE).papers) == 2



def _deflated(data: bytes, raw: bool) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize("encoding, body", [
    pytest.param("gzip", lambda day: gzip.compress(day[:300]) + gzip.compress(day[300:]), id="gzip-two-members"),
    pytest.param("gzip", lambda day: gzip.compress(day) + b"\0" * 64, id="gzip-then-padding"),
    pytest.param("deflate", lambda day: _deflated(day, raw=False), id="deflate"),
    pytest.param("deflate", lambda day: _deflated(day, raw=True), id="deflate-raw"),
    pytest.param("gzip, gzip", lambda day: gzip.compress(gzip.compress(day)), id="gzip-twice"),
    pytest.param("x-gzip", lambda day: gzip.compress(day), id="x-gzip"),
])
def test_compressed_answers_are_read_whole(tmp_path: Path, encoding: str, body: Callable[[bytes], bytes]) -> None:
    day = (FIXTURES / "sources" / "2025-02-19-hf.json").read_bytes()
    with recorded_server(lambda request: Reply(body=body(day), headers={"Content-Encoding": encoding})) as (url, _):
        outcome = limited_fetch(tmp_path, *hf(url))
    assert outcome.status == 0, outcome.stderr
    assert len(read_paper_list(tmp_path / DAY_FILE).papers) == 2


def empty_gzip_members() -> Iterator[bytes]:
    """A gzip answer of empty members without end: nothing decoded, ever (a decoder reading on until something
    decodes never gives control back)."""
    member = gzip.compress(b"") * 1000
    while True:
        yield member


def after_the_gzip_end() -> Iterator[bytes]:
    """A whole gzip body, then bytes without end that are no gzip member (which decoders ignore)."""
    yield gzip.compress(b"[]")
    while True:
        yield b"\xff" * 65536


@pytest.mark.parametrize("stream", [empty_gzip_members, after_the_gzip_end])
def test_what_decodes_to_nothing_still_counts_against_the_cap(saved_day: Path, stream: Callable[[], Iterator[bytes]],
                                                                 ) -> None:
    with recorded_server(lambda request: Reply(stream=stream, headers={"Content-Encoding": "gzip"})) as (url, _):
        outcome = limited_fetch(saved_day, *hf(url), "--deadline", "60")
    assert outcome.status == 1
    assert "the answer is larger than the cap of 1,000,000 bytes (counted as sent: " in outcome.stderr, outcome.stderr
    assert outcome.seconds < 10


def test_a_redirects_body_is_never_read(tmp_path: Path) -> None:
    # A 302 followed by 600 MB: read, it would pass the memory limit long before the next hop.
    day = (FIXTURES / "sources" / "2025-02-19-hf.json").read_bytes()

    def respond(request: Request) -> Reply:
        if request.path.startswith("/api"):
            return Reply(302, headers={"Location": "/v2/daily_papers?date=2025-02-19"}, stream=flood)
        return Reply(body=day)

    with recorded_server(respond) as (url, received):
        outcome = limited_fetch(tmp_path, *hf(url))
    assert outcome.status == 0, outcome.stderr
    assert [request.path for request in received] == ["/api/daily_papers", "/v2/daily_papers"]
    assert len(read_paper_list(tmp_path / DAY_FILE).papers) == 2
    assert outcome.seconds < 10

def test_the_arxiv_announcement_fetch_has_the_same_cap_and_deadline(saved_day: Path) -> None:
    with recorded_server(lambda request: Reply(stream=flood, content_type="application/rss+xml")) as (url, _):
        flooded = limited_fetch(saved_day, "arxiv-new", "--category", "cs.LG", "--base-url", url, "--retries", "0",
                                "--max-bytes", str(CAP))
    assert flooded.status == 1 and flooded.seconds < 10
    assert "the answer is larger than the cap of 1,000,000 bytes" in flooded.stderr
    with recorded_server(lambda request: Reply(stream=drip, content_type="application/rss+xml")) as (url, _):
        dripped = limited_fetch(saved_day, "arxiv-new", "--category", "cs.LG", "--base-url", url, "--retries", "0",
                                "--deadline", "3")
    assert dripped.status == 1 and dripped.seconds < 10
    assert "passed its deadline of 3 s" in dripped.stderr and "Traceback" not in dripped.stderr


# ---- what the save does with an answer ---------------------------------------------------------


@pytest.mark.parametrize("command", ["arxiv", "arxiv-new"])
def test_a_feed_of_more_entries_than_any_arxiv_feed_has_is_refused(saved_day: Path, command: str) -> None:
    # 400,000 empty entries (3 MB) took 26 s to save, one removal at a time, and printed a line each.
    from tests.test_sources import ANNOUNCEMENT_RSS

    if command == "arxiv":
        page = (FIXTURES / "fetch" / "arxiv-page-1.xml").read_bytes()
        body = page.replace(b"</feed>", b"<entry/>" * 50_000 + b"</feed>")
        content_type, options = "atom+xml", ["--query", "x"]
        count = "50,002 entries"
    else:
        body = ANNOUNCEMENT_RSS.replace(b"</channel>", b"<item/>" * 49_997 + b"</channel>")
        content_type, options, count = "rss+xml", ["--category", "cs.LG"], "50,001 items"
    reply = Reply(body=body, content_type=f"application/{content_type}")
    with recorded_server(lambda request: reply) as (url, _):
        outcome = limited_fetch(saved_day, command, *options, "--date", "2025-02-19", "--base-url", url,
                                "--retries", "0")
    assert outcome.status == 1
    assert outcome.stderr.startswith("Error: GET ")
    assert f": the feed has {count}, more than the 50,000 any arXiv feed has; refused, nothing was written;" in (
        outcome.stderr)
    assert len(outcome.stderr.splitlines()) == 1


# Runs `digest` with the writing of an Atom feed slowed down by 10 s: the save takes longer than the deadline.
SLOW_SAVE = (
    "import sys, time; from generator import fetch; written = fetch._feed_bytes;"
    " fetch._feed_bytes = lambda root: (time.sleep(10), written(root))[1];"
    " from generator.cli import main; main(sys.argv[1:], prog_name='digest')"
)


def test_the_deadline_covers_the_save_too(tmp_path: Path) -> None:
    day = (FIXTURES / "fetch" / "arxiv-page-1.xml").read_bytes().replace(b">3</opensearch:totalResults>",
                                                                         b">2</opensearch:totalResults>")
    with recorded_server(lambda request: Reply(body=day, content_type="application/atom+xml")) as (url, _):
        start = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", SLOW_SAVE, "fetch", "arxiv", "--query", "x", "--date", "2026-11-28",
             "--base-url", url, "--retries", "0", "--deadline", "2", "--out", str(tmp_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=20, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == ("Error: the fetch passed its deadline of 2 s while checking and saving the issue;"
                             " nothing was written (a longer one: --deadline SECONDS)\n")
    assert time.monotonic() - start < 8
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("header", ["Content-Length", "Retry-After"])
def test_a_number_header_of_digits_that_are_not_ascii_is_ignored(tmp_path: Path, header: str) -> None:
    # "²" (Latin-1 0xB2) is a digit to str.isdigit(), not to int(): it was a traceback.
    day = (FIXTURES / "sources" / "2025-02-19-hf.json").read_bytes()
    replies = iter([Reply(503, b"busy", headers={"Retry-After": "\xb2"}), Reply(body=day)] if header == "Retry-After"
                   else [Reply(stream=lambda: [day], headers={"Content-Length": "\xb2"})])
    with recorded_server(lambda request: next(replies)) as (url, _):
        outcome = limited_fetch(tmp_path, "hf", "--date", "2025-02-19", "--base-url", url, "--retries", "1")
    assert outcome.status == 0, outcome.stderr
    assert len(read_paper_list(tmp_path / DAY_FILE).papers) == 2
