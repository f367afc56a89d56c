"""Download new papers (Hugging Face daily papers, the arXiv API) and save them as dated issue files.

Files are saved in the source's own format, so the build stays a pure function of the files in
the repository. Fetching a date that already has a file merges: saved items are kept, new ones
added, so a partial or repeated fetch never shrinks an issue. Every failure is a ``FetchError``
with the reason, so a scheduled job fails loudly instead of going stale.

No server can hang, flood or fool a fetch: every answer is read as a stream, with a cap on the
decoded size of all the answers of a fetch together, the whole fetch has a deadline, no issue file
grows past what a git host accepts, redirects go to https (or the configured server)
only, an answer is an empty day only when it says so exactly, and a file is saved only once
the build's own reader has read it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import http.client
import json
import math
import os
import re
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import requests
import requests.adapters
import urllib3
import urllib3.connection
import urllib3.util.connection

from generator import __version__, lookup
from generator.counts import count, whole_number
from generator.errors import DigestError, Problem
from generator.model import Paper
from generator.sources import READERS, display_path, find_paper_lists, read_paper_list
from generator.sources.arxiv import (
    ARXIV,
    ATOM,
    DUBLIN_CORE,
    NAMESPACES,
    OPENSEARCH,
    ArxivFeedError,
    announcement_day,
    entry_arxiv_id,
    feed_error,
    parse_feed,
    read_entry,
    read_rss_item,
    replaced,
    rss_item_arxiv_id,
    total_results,
)
from generator.sources.daily_papers import looks_like_daily_papers, read_daily_item

Item = TypeVar("Item")
HF_URL = "https://huggingface.co/api/daily_papers"
ARXIV_URL = "https://export.arxiv.org/api/query"
HF_URL_VARIABLE = "DIGEST_HF_URL"
ARXIV_URL_VARIABLE = "DIGEST_ARXIV_URL"
# arXiv's announcement feeds: the day's new papers of categories, rss.arxiv.org/rss/cs.LG+stat.ML.
ARXIV_NEW_URL = "https://rss.arxiv.org/rss"
ARXIV_NEW_URL_VARIABLE = "DIGEST_ARXIV_NEW_URL"
NEW_STYLE_ID = re.compile(r"(?P<year>\d\d)(?P<month>\d\d)\.\d{4,5}")  # 2607.30001: July 2026
ARXIV_CATEGORY = re.compile(r"^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$")  # cs.LG, hep-th, astro-ph.CO, q-bio.NC
RSS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
USER_AGENT = f"paper-digest/{__version__} (static research-paper digest; +https://github.com/paper-digest/paper-digest)"
# arXiv's terms: no more than one request every three seconds, on a single connection.
ARXIV_INTERVAL = 3.0
ARXIV_PAGE_SIZE = 100
HF_PAGE_SIZE = 100
HF_MAX_PAGES = 20
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0
DEFAULT_MAX_BYTES = 50_000_000
# An issue file is committed by the deploy workflow: GitHub refuses files over 100 MB (and warns over 50 MB).
MAX_ISSUE_BYTES = 50_000_000
# A saved hf issue is indented for its top levels only (the list, each item's fields, the paper's fields, the
# members of those: an author a line), deeper values written on one line each: indented at every level, an answer
# nested 500 deep grew a thousandfold. At most a few times larger than the answers now, whatever their nesting.
JSON_INDENTED_LEVELS = 4
# A JSON string may escape half of a surrogate pair alone ("\\ud800"): no character, and no UTF-8 for it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# An announcement feed dated further ahead than this (a clock or a server gone wrong) is refused: its issue would
# stay the site's newest until that day. Two days: time zones, and a clock a day behind.
MAX_DAYS_AHEAD = 2
DEFAULT_DEADLINE = 600.0
MAX_REDIRECTS = 5
# Whitespace a server may put around an answer (a final newline, CRLF); more is padding, not an answer.
MAX_PADDING = 8
# A parsed answer takes far more memory than its bytes when it is made of tiny values: 45 MB of `{},` are 15 million
# Python dicts, 1.1 GB; 45 MB of `<a/>` 11 million XML elements, 1 GB and half a minute. A real daily-papers answer
# has an object or array per 290 bytes (175,000 in 50 MB, the most a fetch reads), an arXiv answer a tag per 65
# bytes (780,000 in 50 MB); past these counts (counted in the bytes before parsing) an answer is refused unparsed.
MAX_JSON_CONTAINERS = 1_000_000
MAX_XML_TAGS = 2_000_000
# So do other tiny values: 48 MB of `"ab",` are 9.9 million strings (960 MB), 39 MB of attributes `a1="1"` on one
# element 3.9 million (1.3 GB, half a minute). Values are counted by their commas: 580 days of real daily papers have
# one per 50 bytes, one per 20.5 on the densest day (2.4 million in 50 MB, parsed into 360 MB); attributes by their
# `=`: arXiv's answers have one per 72 bytes or more (700,000 in 50 MB). At these counts tiny values take no more
# memory parsed than a real answer of 50 MB: 5 million strings of two letters 415 MB.
MAX_JSON_VALUES = 5_000_000
MAX_XML_ATTRIBUTES = 1_000_000
# Atom and RSS feeds are a few elements deep; saving one writes it back, one call deeper per level.
MAX_XML_DEPTH = 100
# An API page has at most 100 entries (ARXIV_PAGE_SIZE), an announcement feed a few thousand items; a feed with more
# is refused before anything is done with them (each would be read, reported, written back).
MAX_FEED_ENTRIES = 50_000
PREVIEW_BYTES = 120
# The characters of a server's address, reason phrase or content type a message quotes.
SHOWN_CHARACTERS = 200
# Items of an answer the build cannot read: the first this many are named, the rest counted in one line. An answer
# with more of them than that, making more than half its items, fails: it is not the source's answer.
MAX_REPORTED_ITEMS = 20
ERROR_BODY_BYTES = 2000
CHUNK_BYTES = 64 * 1024
# The hidden scratch folders of a save (and of the check of --out): tempfile's names, the prefix and 8 characters.
SCRATCH_PREFIX = ".fetching-"
SCRATCH_NAME = re.compile(r"\.fetching-[a-z0-9_]{8}")
# A scratch folder lives for the seconds one save takes; one untouched for this long was left by a fetch that was
# killed (SIGKILL, a cancelled job), and the deploy workflow's `git add --all` would commit it.
STALE_SCRATCH_SECONDS = 600.0
RAISE_CAP = "raise the cap with --max-bytes N or fetch_max_bytes in digest.yml"
# Errors of an address that cannot be asked at all (no scheme, ftp://, no host, a bad port): never worth a retry.
# The user and password of an address (http://user:password@proxy:3128), left out of messages.
USER_AND_PASSWORD = re.compile(r"(?<=//)[^/@\s]*@")
# What ssl adds around its reason: "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)".
SSL_DETAIL = re.compile(r"^\[SSL: \w+\] |\(_ssl\.c:\d+\)$")
INVALID_ADDRESS = (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                   requests.exceptions.MissingSchema)


class FetchError(DigestError):
    """A download failed or returned something unusable; nothing was written."""


class DeadlinePassed(FetchError):
    """The whole fetch took longer than its deadline."""


class _Transient(Exception):
    """A failure worth another attempt (timeout, connection, 429/5xx, an answer cut short); ``hint`` is the
    start of an error answer's body, shown when it was the last attempt."""

    def __init__(self, reason: str, delay: float | None = None, hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay = delay
        self.hint = hint


# ---- showing what a server sent -------------------------------------------------------------


def escaped(text: str) -> str:
    """Text from a server, safe to print: control, format and terminal escape characters as ``\\x1b``-style escapes."""
    return "".join(character if character.isprintable() else ascii(character)[1:-1] for character in text)


def shown(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """Text from a server in a message (an address it redirects to, a reason phrase, a content type, an error):
    escaped, and cut at ``limit`` characters with its length, so that one header cannot fill the job's log."""
    cut = f"… ({len(text):,} characters in all)" if len(text) > limit else ""
    return escaped(text[:limit]) + cut


def first_bytes(data: bytes, limit: int = PREVIEW_BYTES) -> str:
    """The start of an answer for a message, escaped, with its whole size when cut."""
    text = escaped(data[:limit].decode("utf-8", errors="backslashreplace"))
    more = f"… ({len(data):,} bytes in all)" if len(data) > limit else ""
    return f"first bytes: '{text}'{more}"


# ---- the deadline of a whole fetch ----------------------------------------------------------


@dataclass
class Deadline:
    """The time a whole fetch may take, and the stage it is in (named when the deadline passes)."""

    seconds: float = DEFAULT_DEADLINE
    clock: Callable[[], float] = time.monotonic
    stage: str = "starting"
    end: float = field(init=False)
    _armed: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.end = self.clock() + self.seconds

    def remaining(self) -> float:
        return self.end - self.clock()

    def enter(self, stage: str) -> None:
        """Start a stage; past the deadline, stop here."""
        self.stage = stage
        if self.remaining() <= 0:
            raise self.passed()

    def passed(self, ahead: bool = False) -> DeadlinePassed:
        """The error naming the stage; ``ahead`` when the stage is known to end past the deadline."""
        verb = "would pass" if ahead else "passed"
        return DeadlinePassed(
            f"the fetch {verb} its deadline of {self.seconds:g} s while {self.stage}; nothing was written"
            " (a longer one: --deadline SECONDS)"
        )

    @contextmanager
    def enforced(self) -> Iterator[None]:
        """Interrupt whatever blocks when the deadline passes: a connection, a dripping answer, a pause.

        Per-read timeouts cannot stop a server that sends a byte every few seconds; an alarm
        signal can (in the main thread, where signals are delivered; elsewhere stages still check).
        """
        if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
            yield
            return

        def expire(signum: int, frame: FrameType | None) -> None:
            raise self.passed()

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, max(self.remaining(), 0.001))
        self._armed = True
        try:
            yield
        finally:
            self._armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def last_step(self, stage: str) -> None:
        """Start the last stage, too short to interrupt (a rename): past the deadline, stop here; otherwise no
        alarm may interrupt it any more, so an error never says "nothing was written" once something was."""
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
        self.enter(stage)


# ---- the HTTP client -----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A successful answer: the request it answers (for messages), its decoded body, its content type, and the
    content encodings it declared that were not decoded (``br`` when brotli is not installed)."""

    request: str
    body: bytes
    content_type: str
    undecoded: str = ""

    def describe(self) -> str:
        """The content type (and an encoding left as it came) and the first bytes, for a message saying the answer
        is not what was asked."""
        encoding = (f"; Content-Encoding {shown(self.undecoded)}, not decoded (only"
                    f" {', '.join(urllib3.response.BaseHTTPResponse.CONTENT_DECODERS)} are)") if self.undecoded else ""
        return f"Content-Type {shown(self.content_type) or 'none'}{encoding}; {first_bytes(self.body)}"


class Session(requests.Session):
    """A ``requests.Session`` that leaves redirects to ``HttpClient._open``.

    Told not to follow a redirect, requests still prepares the request that would follow it (for
    ``Response.next``), and to do so reads the redirect's whole body first: a 302 with an endless
    body was read whole, past any cap.
    """

    def __init__(self) -> None:
        super().__init__()
        for prefix in ("https://", "http://"):
            self.mount(prefix, _Adapter())

    def resolve_redirects(self, *args: Any, **kwargs: Any) -> Generator[requests.Response, None, None]:
        yield from ()


class _BoundedLookup(urllib3.connection.HTTPConnection):
    """A connection whose host-name lookup ends within its connect timeout (``generator.lookup``): urllib3's own
    lookup waited for the name servers past the timeout and the deadline alike."""

    def _new_conn(self) -> socket.socket:
        name = self._dns_host
        seconds = self.timeout if isinstance(self.timeout, (int, float)) else None
        try:
            found = lookup.addresses(name.strip("[]"), self.port, seconds, urllib3.util.connection.allowed_gai_family())
        except socket.gaierror as error:
            raise urllib3.exceptions.NameResolutionError(self.host, self, error) from error
        except lookup.LookupTimeout as error:
            raise urllib3.exceptions.ConnectTimeoutError(self, str(error)) from error
        failure: Exception | None = None
        for address in dict.fromkeys(str(info[4][0]) for info in found):
            self._dns_host = address  # an address: urllib3 connects to it without a lookup of its own
            try:
                return super()._new_conn()
            except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as error:
                failure = error
            finally:
                self._dns_host = name
        raise failure or urllib3.exceptions.NewConnectionError(self, f"no address found for {name}")


class _BoundedLookupHttps(_BoundedLookup, urllib3.connection.HTTPSConnection):
    pass


class _Pool(urllib3.HTTPConnectionPool):
    ConnectionCls = _BoundedLookup


class _HttpsPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _BoundedLookupHttps


BOUNDED_POOLS = {"http": _Pool, "https": _HttpsPool}


class _Adapter(requests.adapters.HTTPAdapter):
    """requests' adapter, its connections (and a proxy's, but a SOCKS proxy's) with a bounded host-name lookup."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = BOUNDED_POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = BOUNDED_POOLS
        return manager


@dataclass
class HttpClient:
    """One polite connection: a User-Agent, a timeout, a minimum interval, retries with backoff,
    a cap on the decoded size of all its answers together (every page of a paged source counts),
    a deadline for the whole fetch, careful redirects.

    ``sleep`` and ``clock`` are injectable so tests can check the pacing without waiting.
    """

    user_agent: str = USER_AGENT
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    min_interval: float = 0.0
    max_bytes: int = DEFAULT_MAX_BYTES
    deadline: Deadline = field(default_factory=Deadline)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    session: requests.Session = field(default_factory=Session)
    requests_made: int = 0
    bytes_read: int = 0
    """Decoded bytes of the answers read so far; they count against ``max_bytes``."""
    _last: float | None = None

    def get(self, url: str, params: dict[str, str | int]) -> Answer:
        """A successful answer to a GET; transient failures are retried, then raised as ``FetchError``."""
        request = _describe(url, params)
        reason = hint = ""
        for attempt in range(self.retries + 1):
            self._wait()
            try:
                return self._attempt(url, params, request)
            except _Transient as failure:
                reason, hint = failure.reason, failure.hint
                delay = failure.delay if failure.delay is not None else self.backoff * 2**attempt
            if attempt < self.retries:
                self._pause(delay, f"waiting {delay:g} s to ask again for {request} ({reason})")
        tries = self.retries + 1
        raise FetchError(f"{request}: {reason}{hint} (gave up after {tries} attempt{'s' * (tries > 1)})")

    def _attempt(self, url: str, params: dict[str, str | int], request: str) -> Answer:
        try:
            response = self._open(url, params, request)
        except INVALID_ADDRESS as error:
            proxy = _environment_proxy(url)
            if proxy is not None:  # the address was checked: the proxy's is the one that cannot be asked
                socks = "; a SOCKS proxy needs PySocks (pip install PySocks)" if "SOCKS" in str(error) else ""
                raise FetchError(f"{request}: the proxy {proxy} cannot be used ({_short(error)}){socks}") from None
            raise FetchError(f"{request}: not an address that can be asked ({_short(error)})") from None
        except requests.Timeout as error:
            self.deadline.enter(self.deadline.stage)  # the timeout was the deadline's: say so
            slow = next((cause for cause in _causes(error) if isinstance(cause, lookup.LookupTimeout)), None)
            if slow is not None:  # the name servers, not the server, kept the fetch waiting
                raise _Transient(f"cannot connect: {slow}") from None
            raise _Transient(f"no answer within {self.timeout:g} s") from None
        except requests.RequestException as error:
            garbled = _not_http(error)
            if garbled is not None:  # connected, but what came back was no HTTP status line and headers
                raise _Transient(f"the server's answer is not HTTP ({garbled})") from None
            if any(isinstance(cause, http.client.RemoteDisconnected) for cause in _causes(error)):
                raise _Transient("the server closed the connection without answering") from None  # it did connect
            if any(isinstance(cause, ssl.SSLCertVerificationError) for cause in _causes(error)):
                # A certificate asked for again is the same certificate: no retry (three waits of a failure sure to
                # come again), the reason at once.
                raise FetchError(f"{request}: {_cannot_connect(error)}") from None
            raise _Transient(_cannot_connect(error)) from None
        with response:
            if response.status_code == 200:
                body = self._read(response, request)
                return Answer(request, body, response.headers.get("Content-Type", ""), _undecoded(response))
            reason = shown(f"HTTP {response.status_code} {response.reason or ''}".strip())
            if response.status_code not in RETRY_STATUSES:
                raise FetchError(f"{request}: {reason}{self._error_hint(response, request)}")
            raise _Transient(reason, _retry_after(response), self._error_hint(response, request))

    def _open(self, url: str, params: dict[str, str | int], request: str) -> requests.Response:
        """The answer after at most ``MAX_REDIRECTS`` redirects, each to https or to the configured server."""
        target: str = url
        query: dict[str, str | int] | None = params
        for hop in range(MAX_REDIRECTS + 1):
            self.deadline.enter(f"waiting for the answer of {request}" if hop == 0 else
                                f"waiting for the answer of {shown(target)} (redirected from {request})")
            timeout = max(min(self.timeout, self.deadline.remaining()), 0.001)
            try:
                response = self.session.get(
                    target, params=query, timeout=timeout, headers={"User-Agent": self.user_agent},
                    stream=True, allow_redirects=False,
                )  # fmt: skip
            except INVALID_ADDRESS as error:
                if hop == 0:
                    raise
                raise FetchError(f"{request}: a redirect to an invalid address, '{shown(target)}'"
                                 f" ({_short(error)}); refused") from None
            if not response.is_redirect:
                return response
            response.close()  # a redirect's body is never read
            try:
                following = _redirect_target(response)
            except ValueError as error:  # not UTF-8; a malformed address (``http://[::1``)
                why = "not UTF-8" if isinstance(error, UnicodeError) else _lower_first(str(error))
                raise FetchError(f"{request}: a redirect to an invalid address,"
                                 f" '{shown(response.headers.get('Location', ''))}' ({why}); refused") from None
            if not _may_follow(following, url):
                base = urllib.parse.urlsplit(url)
                raise FetchError(
                    f"{request}: refused a redirect to {shown(following)}: only https,"
                    f" or {base.scheme}://{base.netloc} (the configured server), is followed"
                )
            problem = address_problem(following)
            if problem is not None:
                raise FetchError(f"{request}: a redirect to an invalid address, '{shown(following)}' ({problem});"
                                 " refused")
            target, query = following, None
        raise FetchError(f"{request}: more than {MAX_REDIRECTS} redirects (the last to {shown(target)}); refused")

    def _read(self, response: requests.Response, request: str) -> bytes:
        """The decoded body, read as a stream and stopped where the answers read so far and this one pass
        ``max_bytes`` (a gzip bomb stops there too)."""
        self.deadline.enter(f"reading the answer of {request}")
        left = self.max_bytes - self.bytes_read
        announced = response.headers.get("Content-Length", "")
        announced = announced if whole_number(announced) else ""
        if not response.headers.get("Content-Encoding") and announced and int(announced) > left:
            more_than = (f"the cap of {self.max_bytes:,}" if not self.bytes_read else
                         f"the {left:,} left of the cap of {self.max_bytes:,} bytes in all"
                         f" ({self.bytes_read:,} in the answers before this one)")
            raise FetchError(f"{request}: the answer announces {int(announced):,} bytes, more than {more_than};"
                             f" nothing was written ({RAISE_CAP})")
        body = bytearray()
        try:
            for chunk in _arrivals(response):
                body += chunk
                # Counted decoded, and as it came: bytes after a gzip body's end decode to nothing, but they come.
                if len(body) > left or response.raw.tell() > left:
                    counted = ("counted after decompression" if len(body) > left else
                               f"counted as sent: {len(body):,} bytes decoded from it")
                    larger = (f"the answer is larger than the cap of {self.max_bytes:,} bytes ({counted})"
                              if not self.bytes_read else
                              f"the answers of this fetch are larger than the cap of {self.max_bytes:,} bytes in all"
                              f" ({counted}; {self.bytes_read:,} in the answers before this one)")
                    raise FetchError(f"{request}: {larger}; stopped reading, nothing was written ({RAISE_CAP})")
                self.deadline.enter(f"reading the answer of {request}")
        except urllib3.exceptions.DecodeError as error:
            raise FetchError(f"{request}: the answer's {shown(response.headers.get('Content-Encoding', ''))}"
                             f" encoding is broken ({_short(error)}); {first_bytes(bytes(body))}") from None
        except urllib3.exceptions.ReadTimeoutError:
            self.deadline.enter(self.deadline.stage)  # the timeout was the deadline's: say so
            raise _Transient(f"the answer stalled for {self.timeout:g} s after {len(body):,} bytes") from None
        except urllib3.exceptions.ProtocolError:
            expected = f" of the {int(announced):,} it announced" if announced else ""
            raise _Transient(f"the answer ended early, after {len(body):,} bytes{expected};"
                             f" {first_bytes(bytes(body))}") from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise _Transient(f"the connection broke after {len(body):,} bytes: {_short(error)}") from None
        self.bytes_read += len(body)
        return bytes(body)

    def _error_hint(self, response: requests.Response, request: str) -> str:
        """The start of an error answer's body (bounded, escaped): servers explain there."""
        self.deadline.enter(f"reading the error answer of {request}")
        body = bytearray()
        try:
            for chunk in _arrivals(response):
                body += chunk
                if len(body) >= ERROR_BODY_BYTES:
                    break
        except (urllib3.exceptions.HTTPError, OSError):
            pass  # the status is the error; its explanation is a courtesy
        text = escaped(" ".join(bytes(body[:ERROR_BODY_BYTES]).decode("utf-8", errors="replace").split()))
        return f" ({text[:200]})" if text else ""

    def _wait(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.min_interval:
            self._pause(self.min_interval - (now - self._last), "waiting between requests (the server's pacing)")
        self._last = self.clock()
        self.requests_made += 1

    def _pause(self, seconds: float, stage: str) -> None:
        # A pause that would end past the deadline stops the fetch now rather than then.
        self.deadline.enter(stage)
        if seconds >= self.deadline.remaining():
            raise self.deadline.passed(ahead=True)
        self.sleep(seconds)


def _undecoded(response: requests.Response) -> str:
    """The content encodings an answer declares that urllib3 leaves as they came (it skips those it cannot
    decode without a word: a body in ``br`` or ``zstd`` reads as binary garbage)."""
    declared = [part.strip() for part in response.headers.get("Content-Encoding", "").split(",")]
    decoders = urllib3.response.BaseHTTPResponse.CONTENT_DECODERS
    return ", ".join(part for part in declared if part and part.lower() not in (*decoders, "identity"))


def _arrivals(response: requests.Response) -> Iterator[bytes]:
    """The decoded body as it arrives, at most ``CHUNK_BYTES`` at a time (decompression included), and an empty
    chunk for what came but decoded to nothing yet.

    urllib3's ``read1`` rather than ``iter_content``: a full chunk is not waited for, so the
    deadline is checked as bytes trickle in, and an answer cut short still shows what came. Gzip and deflate are
    decoded here (``_decoded``), not by urllib3, whose ``read1`` reads on until something decodes: a server sending
    empty gzip members, or endless bytes after a gzip body's end (which decoders ignore), kept it reading without end,
    past the cap and until the deadline, the caller never called back.
    """
    codings = [part.strip().lower() for part in response.headers.get("Content-Encoding", "").split(",")]
    codings = [coding for coding in codings if coding and coding != "identity"]
    if any(coding not in ZLIB_CODINGS for coding in codings) and not _undecoded(response):
        # A coding urllib3 decodes with a library of its own (brotli, zstandard, when installed): left to it.
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
            yield chunk
        return
    arrived: Iterator[bytes] = iter(lambda: response.raw.read1(CHUNK_BYTES, decode_content=False), b"")
    if not _undecoded(response):
        for coding in reversed(codings):  # the last applied is undone first
            arrived = _decoded(arrived, coding)
    yield from arrived


# Content codings decoded with zlib (gzip, or deflate: zlib's format, or a raw deflate stream as some servers send).
ZLIB_CODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def _decoded(arrived: Iterator[bytes], coding: str) -> Iterator[bytes]:
    """``arrived`` decoded from one content coding, at most ``CHUNK_BYTES`` at a time (a bomb never inflates in one
    piece), an empty chunk after each piece that decodes to nothing. As other clients: gzip members one after
    another; after the first, bytes that are no member are ignored (and still counted as they come); a deflate
    answer without zlib's header is read as a raw deflate stream. Broken data raises urllib3's ``DecodeError``."""
    wbits = ZLIB_CODINGS[coding]
    gzip = wbits > zlib.MAX_WBITS
    decoder = zlib.decompressobj(wbits)
    started = whole = ignoring = False
    for data in arrived:
        while data and not ignoring:
            try:
                piece = decoder.decompress(data, CHUNK_BYTES)
            except zlib.error as error:
                if not gzip and not started and wbits > 0:  # deflate without zlib's header: a raw deflate stream
                    wbits = -zlib.MAX_WBITS
                    decoder = zlib.decompressobj(wbits)
                    continue
                if gzip and whole:
                    ignoring = True  # after a whole gzip member: what follows is no member, and is ignored
                    break
                raise urllib3.exceptions.DecodeError(f"{coding}: {error}") from None
            started = True
            yield piece
            if decoder.eof:
                whole, data = True, decoder.unused_data
                if gzip:
                    decoder = zlib.decompressobj(wbits)  # another gzip member may follow
                else:
                    ignoring = True  # a deflate stream is one: what follows its end is ignored
            else:
                data = decoder.unconsumed_tail
        yield b""
    if not ignoring:
        yield decoder.flush()


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception it wraps (arguments, urllib3's ``reason``, causes, contexts), each once."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [cause for cause in (*current.args, getattr(current, "reason", None), current.__cause__,
                                        current.__context__) if isinstance(cause, BaseException)]


def _not_http(error: BaseException) -> str | None:
    """What was wrong with an answer that is not HTTP (a first line that is no status line, too many or
    too long headers), when that is what the connection error wraps; None for any other error."""
    for current in _causes(error):
        # RemoteDisconnected is a closed connection (a keep-alive one the server dropped), not a garbled answer.
        if isinstance(current, http.client.HTTPException) and not isinstance(current, http.client.RemoteDisconnected):
            if isinstance(current, http.client.BadStatusLine):
                line = " ".join(str(current).split())  # its args: the line as received
                return f"its first line: '{escaped(line[:PREVIEW_BYTES])}'{'…' * (len(line) > PREVIEW_BYTES)}"
            return _short(current)  # "got more than 100 headers", "got more than 65536 bytes when reading header line"
        if isinstance(current, urllib3.exceptions.InvalidHeader):  # two Content-Lengths that disagree
            return _short(current)
    return None


def _cannot_connect(error: BaseException) -> str:
    """Why no connection was made: refused, a host name not resolved, an untrusted certificate, and through which
    proxy (and the variable that set it) when one was in the way.

    The reason lies at the bottom of requests' and urllib3's wrappers, whose text (``HTTPSConnectionPool(host=…):
    Max retries exceeded with url: …``) repeats the request and hid the reason past the end of the message.
    """
    causes = list(_causes(error))
    root = next((cause for cause in reversed(causes) if isinstance(cause, OSError)), None)
    if isinstance(root, ssl.SSLCertVerificationError):
        why = f"the server's TLS certificate is not trusted ({root.verify_message})"
    elif isinstance(root, ssl.SSLError):
        why = f"the TLS handshake failed ({SSL_DETAIL.sub('', str(root.strerror or root)).strip()})"
    elif isinstance(root, socket.gaierror):
        why = f"the host name cannot be resolved ({root.strerror})"
    elif root is not None:
        why = _lower_first(root.strerror or str(root))
    else:
        why = str(error)
    why = _short(why)
    pool = next((cause.pool for cause in causes if isinstance(cause, urllib3.exceptions.MaxRetryError)), None)
    proxy = getattr(pool, "proxy", None)
    if proxy is None or not any(isinstance(cause, urllib3.exceptions.ProxyError) for cause in causes):
        return f"cannot connect: {why}"
    # The proxy's address without its user and password: the message lands in a public job log.
    address = f"{proxy.scheme}://{proxy.host}" + (f":{proxy.port}" if proxy.port else "")
    return f"cannot connect through the proxy {escaped(address)}{_proxy_variables(getattr(pool, 'scheme', ''))}: {why}"


def _environment_proxy(url: str) -> str | None:
    """The proxy the environment sets for ``url`` (``HTTPS_PROXY``, ``ALL_PROXY``…, unless ``NO_PROXY`` exempts it),
    shown without a user and password and with the variables that set it; None when there is none."""
    proxy = requests.utils.select_proxy(url, requests.utils.get_environ_proxies(url))
    if not proxy:
        return None
    return f"{shown(USER_AND_PASSWORD.sub('', proxy))}{_proxy_variables(urllib.parse.urlsplit(url).scheme)}"


def _proxy_variables(scheme: str) -> str:
    """`` (set in HTTPS_PROXY)``: the variables that may set the proxy of an address with ``scheme``."""
    names = sorted(name for name in os.environ if name.lower() in (f"{scheme}_proxy", "all_proxy"))
    return f" (set in {' and '.join(names)})" if names else ""


def _redirect_target(response: requests.Response) -> str:
    """Where a redirect points, made absolute; ``ValueError`` when its Location is not UTF-8 or not a URL.

    As requests reads it: headers arrive as Latin-1, a Location is most often UTF-8.
    """
    location = response.headers.get("Location", "").encode("latin-1").decode("utf-8")
    return urllib.parse.urljoin(response.url, location)


def address_problem(url: str) -> str | None:
    """Why ``url`` is not an http or https address that can be asked, or None when it is one."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as error:  # an unclosed [ of an IPv6 address
        return _lower_first(str(error))
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return "the port is not a number from 1 to 65535"
    if parts.scheme not in ("http", "https"):
        if parts.scheme and "://" in url:
            return f"the scheme is {escaped(parts.scheme)}, not http or https"
        return "no http:// or https:// in front"
    if not parts.hostname:
        return "no host"
    if any(character.isspace() or not character.isprintable() for character in parts.netloc):
        return "a space or a control character in the host"
    return None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _may_follow(target: str, configured: str) -> bool:
    """A redirect is followed to https anywhere, or to the configured server's own scheme and host."""
    parts, base = urllib.parse.urlsplit(target), urllib.parse.urlsplit(configured)
    if parts.scheme == "https":
        return True
    return (parts.scheme, parts.netloc.lower()) == (base.scheme, base.netloc.lower())


def _short(error: Exception | str) -> str:
    """An error's text for a message: escaped, cut at 200 characters, and without the user and password of an address
    in it (urllib3 quotes a proxy address it cannot parse whole; the message lands in a public job log)."""
    text = escaped(USER_AND_PASSWORD.sub("", str(error)))
    return text if len(text) <= 200 else text[:197] + "..."


def _describe(url: str, params: dict[str, str | int]) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"GET {url}?{query}" if query else f"GET {url}"


def _retry_after(response: requests.Response) -> float | None:
    """The server's ``Retry-After`` in seconds (capped, so a scheduled job never hangs for hours): given as
    seconds, or as an HTTP date, counted from the answer's own ``Date`` (the server's clock, not ours, which
    may be off; a date already past is no wait)."""
    value = response.headers.get("Retry-After", "").strip()
    if whole_number(value):
        return min(float(value), MAX_RETRY_AFTER)
    when, sent = _http_date(value), _http_date(response.headers.get("Date", ""))
    if when is None or sent is None:
        return None
    return min(max((when - sent).total_seconds(), 0.0), MAX_RETRY_AFTER)


def _http_date(text: str) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)  # "-0000": UTC, as HTTP dates are


@dataclass
class FetchReport:
    """What a fetch did, for the CLI to print."""

    path: Path | None
    fetched: int
    added: int
    kept: int
    requests: int = 0
    note: str = ""
    elsewhere: int = 0
    """Papers left out because another issue of the folder has them already."""
    raised: int = 0
    """Papers already saved whose counts (upvotes, comments, stars) the answer raised."""
    problems: list[Problem] = field(default_factory=list)
    """Items kept out of the file, and what the build's reader will say about the saved file."""


def base_url(option: str | None, variable: str, default: str) -> str:
    """The source's URL: the command-line option, else the environment variable, else the real API.

    A server without a path (``http://127.0.0.1:8080``) gets the API's own path, as on the real
    server (``/api/daily_papers``, ``/api/query``); a URL with a path is used as it is. An address
    that cannot be asked (``ftp://…``, no scheme, a port past 65535) is a ``FetchError`` naming where it came from.
    """
    url = option or os.environ.get(variable) or default
    problem = address_problem(url)
    if problem is not None:
        given = f"--base-url {url!r} is" if option else f"{variable} holds {url!r}, which is"
        raise FetchError(f"{given} not an address to fetch from ({problem}); give an http:// or https:// URL such as"
                         " http://127.0.0.1:8080")
    parts = urllib.parse.urlsplit(url)
    if parts.path in ("", "/") and not parts.query:
        url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, urllib.parse.urlsplit(default).path, "", ""))
    return url


def _check_padding(answer: Answer) -> None:
    padding = len(answer.body) - len(answer.body.strip())
    if padding > MAX_PADDING:
        raise FetchError(f"{answer.request}: the answer is padded with {padding:,} bytes of whitespace, not an"
                         f" answer; {answer.describe()}")


def _check_flood(answer: Answer, found: int, limit: int, what: str, source: str) -> None:
    """Refuse, before parsing, an answer of more than ``limit`` ``what`` (tiny values that would fill the memory)."""
    if found > limit:
        raise FetchError(f"{answer.request}: the answer holds {found:,} {what}, more than {source} of the largest size"
                         f" a fetch reads ({limit:,} at most): not read, so that it cannot fill the memory;"
                         f" {answer.describe()}")


# ---- Hugging Face daily papers -------------------------------------------------------------


def fetch_daily_papers(
    client: HttpClient, url: str, date: dt.date, page_size: int = HF_PAGE_SIZE, problems: list[Problem] | None = None,
) -> list[Any]:
    """Every daily-papers item featured on ``date``, page by page; ``FetchError`` when an answer is unusable.

    Pages are asked for with ``limit`` and ``p``; paging stops at a short page, or at a page
    that brings nothing new (a server that ignores ``p`` answers the first page again). Still full pages of new
    papers after ``HF_MAX_PAGES`` is a ``FetchError``: no day has that many.
    ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON) are read as null, and counted in one problem added to
    ``problems``.
    """
    items: list[Any] = []
    seen: set[str] = set()
    constants = NotJsonConstants()
    for page in range(HF_MAX_PAGES):
        answer = client.get(url, {"date": date.isoformat(), "limit": page_size, "p": page})
        found = daily_page(answer, constants)
        new = [item for item in found if daily_item_key(item) not in seen]
        seen.update(daily_item_key(item) for item in new)
        items.extend(new)
        if len(found) < page_size or not new:
            break
    else:  # every page full of new papers: a list that does not end is not one day's (a server ignoring date?)
        raise FetchError(f"{answer.request}: still a full page of new papers after {HF_MAX_PAGES} pages"
                         f" ({count(len(items), 'paper')}), more than any day has: not taken for the papers of"
                         f" {date.isoformat()} (does the server ignore 'date'?); nothing was written")
    if constants.found and problems is not None:
        problems.append(Problem(f"the answer of {url}", message=constants.message()))
    return items


@dataclass
class NotJsonConstants:
    """A ``parse_constant`` for ``json.loads``: ``NaN``, ``Infinity`` and ``-Infinity``, which Python reads and
    writes but JSON has not (other tools refuse a file holding them), are read as null and counted; and a
    ``parse_float`` (``number``) doing the same with a number too large for a float (``1e999``), which Python reads
    as infinity and wrote back as ``Infinity``."""

    count: int = 0
    too_large: int = 0

    def __call__(self, name: str) -> None:
        self.count += 1

    def number(self, text: str) -> float | None:
        value = float(text)
        if math.isfinite(value):
            return value
        self.too_large += 1
        return None

    @property
    def found(self) -> int:
        return self.count + self.too_large

    def message(self, done: str = "read as null") -> str:
        parts = [f"{self.count:,} NaN, Infinity or -Infinity (not JSON)"] if self.count else []
        if self.too_large:
            parts.append(f"{count(self.too_large, 'number')} too large for a float (past 1.8e308)")
        return f"{' and '.join(parts)} {done}"


def daily_page(answer: Answer, constants: NotJsonConstants | None = None) -> list[Any]:
    """One page of daily papers: a JSON list of items; an empty list only when the body is exactly ``[]``.
    ``NaN``, ``Infinity``, ``-Infinity`` and numbers too large for a float are read as null (counted in
    ``constants``)."""
    _check_padding(answer)
    _check_flood(answer, answer.body.count(b"{") + answer.body.count(b"["), MAX_JSON_CONTAINERS,
                 "JSON objects and arrays", "a daily papers answer")
    _check_flood(answer, answer.body.count(b",") + 1, MAX_JSON_VALUES, "JSON values (counted by their commas)",
                 "a daily papers answer")
    constants = constants or NotJsonConstants()
    try:
        document = json.loads(answer.body, parse_constant=constants, parse_float=constants.number)
    except UnicodeDecodeError:
        raise FetchError(f"{answer.request}: the answer is not UTF-8 text, so not JSON; {answer.describe()}") from None
    except json.JSONDecodeError as error:
        raise FetchError(f"{answer.request}: {_not_json(answer, error)}; {answer.describe()}") from None
    except RecursionError:
        raise FetchError(f"{answer.request}: the JSON is nested too deeply; {answer.describe()}") from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise FetchError(f"{answer.request}: the JSON holds an integer of more than {sys.get_int_max_str_digits():,}"
                         f" digits, which no daily papers answer has; {answer.describe()}") from None
    if not isinstance(document, list):
        raise FetchError(f"{answer.request}: expected a JSON list of daily papers, got {_json_kind(document)};"
                         f" {answer.describe()}")
    if not document and answer.body.strip() != b"[]":
        raise FetchError(f"{answer.request}: an empty list padded with {len(answer.body) - 2:,} bytes of whitespace"
                         f" is not an empty day; {answer.describe()}")
    if document and not looks_like_daily_papers(document):
        raise FetchError(f"{answer.request}: the answer does not look like daily papers (no 'paper' objects);"
                         f" {answer.describe()}")
    return document


def _not_json(answer: Answer, error: json.JSONDecodeError) -> str:
    start = answer.body.lstrip()[:1]
    if "html" in answer.content_type.lower() or start == b"<":
        return "expected a JSON list of daily papers, got an HTML or XML page"
    if not answer.body.strip():  # not cut short: an empty body is all a proxy or a throttled server sent
        return "the answer is empty (no byte of JSON), not a list of daily papers"
    if error.pos >= len(answer.body.rstrip()) or error.msg.startswith("Unterminated string"):
        return f"the JSON ends early, after {count(len(answer.body), 'byte')} (a truncated answer)"
    # json's own "Invalid control character at" ends with the word the position follows
    return f"the answer is not JSON ({error.msg.removesuffix(' at')} at byte {error.pos:,})"


def _json_kind(document: Any) -> str:
    kinds = {dict: "a JSON object", str: "a JSON string", bool: "true or false", type(None): "null"}
    return kinds.get(type(document), "a JSON number")


def daily_item_key(item: Any) -> str:
    """An item's identity for merging: its arXiv id, else its whole text."""
    if isinstance(item, dict) and isinstance(item.get("paper"), dict) and isinstance(item["paper"].get("id"), str):
        return "id:" + str(item["paper"]["id"])
    return "raw:" + json.dumps(item, sort_keys=True, ensure_ascii=False)


# A daily-papers issue as ``fetch hf`` saves it: <date>-hf.json.
DAILY_ISSUE = re.compile(r"(\d{4}-\d{2}-\d{2})-hf\.json")


@dataclass(frozen=True)
class MissedDays:
    """The days before a fetch's day that a daily job missed (``fetch hf --catch-up``), oldest first, and the older
    ones left for another fetch when more were missed than it may catch up."""

    days: list[dt.date]
    left: list[dt.date]


def missed_days(folder: Path, date: dt.date, limit: int) -> MissedDays:
    """The days after ``folder``'s newest <date>-hf.json and before ``date``: the latest ``limit`` of them to fetch,
    the others (older) left. None when the folder has no such issue yet (a new digest does not fill its past) or has
    one of ``date`` or later."""
    saved = []
    for path in folder.iterdir() if limit > 0 and folder.is_dir() else ():
        found = DAILY_ISSUE.fullmatch(path.name)
        if found is not None and path.is_file():
            try:
                saved.append(dt.date.fromisoformat(found.group(1)))
            except ValueError:  # 2026-02-30-hf.json: no day, so no issue the build reads
                continue
    if not saved:
        return MissedDays([], [])
    newest = max(saved)
    missed = [newest + dt.timedelta(days=n) for n in range(1, (date - newest).days)]
    return MissedDays(missed[-limit:], missed[:-limit])


def save_daily_papers(
    folder: Path, date: dt.date, items: list[Any], source: str = "the answer", deadline: Deadline | None = None,
) -> FetchReport:
    """Merge ``items`` into ``<folder>/<date>-hf.json``: saved items kept as they are but for their counts, which
    the answer raises (a day fetched again once it is over has the votes cast since), new ones appended.

    An item the build could not read is reported (as an item of ``source``) and kept out; an
    answer with items of which none is readable is an error, never an empty day.
    """
    path = folder / f"{date.isoformat()}-hf.json"
    constants = NotJsonConstants()
    saved = _load_saved_json(path, constants)
    readable, kept_out = _readable(items, read_daily_item, source, ("item", "items"))
    known = {daily_item_key(item) for item in saved}
    new = [item for item in readable if daily_item_key(item) not in known]
    new = list({daily_item_key(item): item for item in new}.values())
    if not saved and not new:
        return FetchReport(None, len(items), 0, 0, note=f"no papers on {date.isoformat()} (a weekend or holiday?)")
    raised = raise_daily_counts(saved, readable)
    problems = list(kept_out)
    if new or raised:
        data, dropped = daily_papers_bytes(path, saved + new)
        problems += dropped + write_checked(path, data, deadline)
        if constants.found:
            problems.append(Problem(display_path(path), message=constants.message("written as null")))
    return FetchReport(path, len(items), len(new), len(saved), raised=raised, problems=problems)


# Where a daily-papers item keeps its counts: in its paper object, or (the comments) in the item itself.
DAILY_COUNTS = (("paper", "upvotes"), ("paper", "githubStars"), (None, "numComments"))


def raise_daily_counts(saved: list[Any], answer: list[Any]) -> int:
    """Raise the counts of the ``saved`` items to those of the same papers in ``answer`` where higher (never
    lower: votes taken back, or an answer of a server that lags, shrink nothing); how many items changed."""
    by_key: dict[str, list[dict[str, Any]]] = {}
    for item in saved:
        if isinstance(item, dict) and isinstance(item.get("paper"), dict):
            by_key.setdefault(daily_item_key(item), []).append(item)
    changed: set[int] = set()
    for item in answer:
        for old in by_key.get(daily_item_key(item), []):
            for part, name in DAILY_COUNTS:
                source, target = (item.get(part), old[part]) if part else (item, old)
                value = source.get(name) if isinstance(source, dict) else None
                if _is_count(value) and (not _is_count(target.get(name)) or value > target[name]):
                    target[name] = value
                    changed.add(id(old))
    return len(changed)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def daily_papers_bytes(path: Path, items: list[Any]) -> tuple[bytes, list[Problem]]:
    """The text of a saved hf issue: its top ``JSON_INDENTED_LEVELS`` levels indented, deeper values on one line,
    so the file is at most a few times the size of the answers it holds, whatever their nesting; and a problem
    when lone surrogates were dropped (as the build's readers drop them: they have no UTF-8), counting the items.

    Made item by item, and stopped as soon as it passes ``MAX_ISSUE_BYTES`` (``FetchError``), before more is built.
    """
    if not items:
        return b"[]\n", []
    chunks = [b"["]
    size = 1
    touched, first = 0, 0
    for number, item in enumerate(items):
        text, dropped = LONE_SURROGATE.subn("", _indented(item, 1))
        if dropped:
            touched, first = touched + 1, first or number + 1
        chunk = (",\n  " if number else "\n  ").encode() + text.encode("utf-8")
        size += len(chunk)
        if size > MAX_ISSUE_BYTES:
            raise _too_large(path, None)
        chunks.append(chunk)
    chunks.append(b"\n]\n")
    problems = [Problem(display_path(path), message=f"lone surrogates (\\ud800-\\udfff, halves of a character)"
                        f" dropped from {count(touched, 'item')} (the first: item {first})")] if touched else []
    return b"".join(chunks), problems


def _indented(value: Any, depth: int) -> str:
    """``value``, lying ``depth`` containers down, as JSON: indented while ``depth`` is under
    ``JSON_INDENTED_LEVELS``, on one line below that."""
    if depth < JSON_INDENTED_LEVELS and isinstance(value, (dict, list)) and value:
        pad = "  " * depth
        if isinstance(value, dict):
            parts = [f"{json.dumps(key, ensure_ascii=False)}: {_indented(member, depth + 1)}"
                     for key, member in value.items()]
        else:
            parts = [_indented(member, depth + 1) for member in value]
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        return f"{opening}\n{pad}  " + f",\n{pad}  ".join(parts) + f"\n{pad}{closing}"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _readable(
    items: list[Item], read_item: Callable[[Item, str, int, list[Problem]], Paper | None], source: str,
    what: tuple[str, str], skip: Callable[[Item], bool] = lambda item: False,
) -> tuple[list[Item], list[Problem]]:
    """The items the build's reader turns into papers, and why the others are kept out (the first
    ``MAX_REPORTED_ITEMS`` named, the rest counted); items for which ``skip`` holds are left out without a word
    (numbers stay those of the answer).

    ``FetchError`` (naming the items as ``what``: singular, plural) when none is readable, or when more than
    ``MAX_REPORTED_ITEMS`` are not and they are more than half: such an answer is not the source's.
    """
    readable: list[Item] = []
    kept_out: list[Problem] = []
    considered = unreadable = 0
    for number, item in enumerate(items, start=1):
        if skip(item):
            continue
        considered += 1
        found: list[Problem] = []
        if read_item(item, source, number, found) is not None:
            readable.append(item)
            continue
        unreadable += 1
        if unreadable <= MAX_REPORTED_ITEMS:
            kept_out.extend(found)
    if unreadable > MAX_REPORTED_ITEMS:
        kept_out.append(Problem(source, message=f"{count(unreadable, *what)} the build cannot read in all, the first"
                                                f" {MAX_REPORTED_ITEMS} named; skipped"))
    if considered and not readable:
        raise FetchError(f"{source}: none of its {count(considered, *what)} is a paper the build can read;"
                         " nothing was written", kept_out)
    if unreadable > MAX_REPORTED_ITEMS and 2 * unreadable > considered:
        raise FetchError(f"{source}: {unreadable:,} of its {count(considered, *what)} are not papers the build can"
                         " read, more than half: not taken for the source's answer; nothing was written", kept_out)
    return readable, kept_out


def _load_saved_json(path: Path, constants: NotJsonConstants) -> list[Any]:
    if not path.exists():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_constant=constants,
                              parse_float=constants.number)
    except ValueError as error:  # not JSON, not UTF-8, an integer of more than 4,300 digits
        raise FetchError(f"{path}: the saved issue is not valid JSON ({_short(error)}); fix or move it first") from None
    if not isinstance(document, list):
        raise FetchError(f"{path}: the saved issue is not a JSON list; fix or move it first")
    return document


# ---- arXiv API -----------------------------------------------------------------------------


def fetch_arxiv(
    client: HttpClient, url: str, query: str, limit: int, page_size: int = ARXIV_PAGE_SIZE
) -> tuple[ElementTree.Element, list[ElementTree.Element], str]:
    """Up to ``limit`` newest entries for ``query``, page by page; returns the first page's feed,
    the entries, and a note when arXiv delivered fewer than it announced.

    No entries at all is an answer only when the feed says ``opensearch:totalResults`` 0. An entry
    sent again (by arXiv id) is kept once and does not count toward ``limit``; paging stops at a page
    that brings nothing new (a server that ignores ``start`` answers the first page again).
    """
    first_answer = client.get(url, _arxiv_params(query, 0, min(page_size, limit)))
    first = arxiv_page(first_answer)
    total = total_results(first)
    found = first.findall("atom:entry", NAMESPACES)
    if not found and total != 0:
        announced = f"announced {count(total, 'result')}" if total is not None else "gave no opensearch:totalResults"
        raise FetchError(f"{first_answer.request}: a feed without entries that {announced}, not an empty answer;"
                         f" {first_answer.describe()}")
    entries: list[ElementTree.Element] = []
    seen: set[str | bytes] = set()
    sent = 0  # entries sent so far, repeats included: where the next page starts
    note = ""
    while True:
        new = _new_entries(found, seen)
        entries.extend(new)
        sent += len(found)
        if found and not new:
            note = (f"arXiv's page from result {sent - len(found)} held only papers it had sent before (a server"
                    f" that ignores 'start'?); stopped paging with {count(len(entries), 'paper')}")
            break
        if not found or len(entries) >= limit or (total is not None and sent >= total):
            break
        page = arxiv_page(client.get(url, _arxiv_params(query, sent, min(page_size, limit - len(entries)))))
        found = page.findall("atom:entry", NAMESPACES)
        if not found:
            note = f"arXiv announced {total} results but sent only {sent}"
            break
    return first, entries[:limit], note


def _new_entries(found: list[ElementTree.Element], seen: set[str | bytes]) -> list[ElementTree.Element]:
    """The entries of ``found`` not in ``seen`` (by arXiv id, else their whole text), each once; ``seen`` grows."""
    new = []
    for entry in found:
        key: str | bytes = entry_arxiv_id(entry) or ElementTree.tostring(entry)
        if key not in seen:
            seen.add(key)
            new.append(entry)
    return new


def _arxiv_params(query: str, start: int, size: int) -> dict[str, str | int]:
    return {
        "search_query": query, "start": start, "max_results": size,
        "sortBy": "submittedDate", "sortOrder": "descending",
    }  # fmt: skip


def arxiv_page(answer: Answer) -> ElementTree.Element:
    """One page of the arXiv API: an Atom feed that is not an error feed."""
    _check_padding(answer)
    _check_flood(answer, answer.body.count(b"<"), MAX_XML_TAGS, "XML tags", "an arXiv answer")
    _check_flood(answer, answer.body.count(b"="), MAX_XML_ATTRIBUTES, "XML attributes (counted by their = signs)",
                 "an arXiv answer")
    try:
        root = parse_feed(answer.body)
    except ArxivFeedError as error:
        raise FetchError(f"{answer.request}: {error}; {answer.describe()}") from None
    _check_entries(len(root.findall("atom:entry", NAMESPACES)), "entries", answer)
    _check_depth(root, f"{answer.request}: the XML", answer.describe())
    message = feed_error(root)
    if message is not None:
        raise FetchError(f"{answer.request}: the arXiv API answered with an error: {shown(message)}")
    return root


def save_arxiv(
    folder: Path, date: dt.date, feed: ElementTree.Element, entries: list[ElementTree.Element],
    source: str = "the answer", deadline: Deadline | None = None, more: bool = False,
) -> FetchReport:
    """Merge ``entries`` into ``<folder>/<date>-arxiv.xml``: saved entries kept, new ones appended, those
    another issue of the folder has left out (counted).

    An entry the build could not read is reported (as an item of ``source``) and kept out. When the query matched
    ``more`` papers than were sent and none of those sent is in an issue yet, the report notes that papers between
    them and the issues saved may be missing.
    """
    path = folder / f"{date.isoformat()}-arxiv.xml"
    readable, kept_out = _readable(entries, read_entry, source, ("entry", "entries"))
    saved_feed = _load_saved_feed(path)
    base = saved_feed if saved_feed is not None else feed
    saved = base.findall("atom:entry", NAMESPACES) if saved_feed is not None else []
    known = {entry_arxiv_id(entry) or ElementTree.tostring(entry) for entry in saved}
    issued = issued_elsewhere(path)
    new: list[ElementTree.Element] = []
    elsewhere = 0
    for entry in readable:
        key = entry_arxiv_id(entry) or ElementTree.tostring(entry)
        if key in issued and key not in known:
            elsewhere += 1
        elif key not in known:
            known.add(key)
            new.append(entry)
    if not saved and not new:
        note = _all_issued(elsewhere, folder) if elsewhere else "the query matched no papers"
        return FetchReport(None, len(entries), 0, 0, note=note, elsewhere=elsewhere)
    problems = list(kept_out)
    if new:
        entry_tag = f"{{{ATOM}}}entry"  # the entries move to the end, in one pass (one remove each was quadratic)
        base[:] = [child for child in base if child.tag != entry_tag] + saved + new
        problems += write_checked(path, _feed_bytes(base), deadline)
    note = ""
    if more and issued and new and not saved and not elsewhere:
        note = (f"none of the {count(len(new), 'paper')} sent is in an issue yet, and the query matched more: papers"
                " older than these, newer than the last issue, may be missing (a larger --max fetches them)")
    return FetchReport(path, len(entries), len(new), len(saved), note=note, problems=problems, elsewhere=elsewhere)


def issued_elsewhere(path: Path) -> set[str | bytes]:
    """The arXiv ids of the papers in the other issue files of ``path``'s folder.

    arXiv's API and announcement feed give the newest papers, whatever the day: saved again under another date,
    a paper published in an issue would be listed twice, and the build, which dates a paper by its earliest
    listing, would move it out of its issue when that date is earlier (a missed day fetched late).
    """
    files, _ = find_paper_lists([path.parent])
    return {paper.arxiv_id for other in files if other != path
            for paper in read_paper_list(other).papers if paper.arxiv_id}


def _all_issued(elsewhere: int, folder: Path) -> str:
    every = ("the paper sent is in another issue" if elsewhere == 1
             else f"all {elsewhere:,} papers sent are in other issues")
    return f"nothing new: {every} of {display_path(folder)} already"


def _load_saved_feed(path: Path) -> ElementTree.Element | None:
    if not path.exists():
        return None
    try:
        root = parse_feed(path.read_bytes())
    except ArxivFeedError as error:
        raise FetchError(f"{path}: the saved issue is not a usable Atom feed ({error}); fix or move it first") from None
    _check_depth(root, f"{path}: the saved issue", "fix or move it first")
    return root


def _check_depth(root: ElementTree.Element, what: str, then: str) -> None:
    """A feed (``what``) nested deeper than any Atom or RSS feed is refused (saving it would exhaust the stack);
    the error ends with ``then``."""
    if _too_deep(root):
        raise FetchError(f"{what} is nested too deeply (more than {MAX_XML_DEPTH} levels); {then}")


def _check_entries(count: int, what: str, answer: Answer) -> None:
    if count > MAX_FEED_ENTRIES:
        raise FetchError(f"{answer.request}: the feed has {count:,} {what}, more than the {MAX_FEED_ENTRIES:,} any"
                         f" arXiv feed has; refused, nothing was written; {answer.describe()}")


def _too_deep(root: ElementTree.Element) -> bool:
    """True when an element lies more than ``MAX_XML_DEPTH`` levels down (counted without recursion, keeping
    only the path to the element at hand: one iterator a level, not one pending element per child)."""
    path = [iter(root)]  # the element an iterator gives lies len(path) + 1 levels down
    while path:
        child = next(path[-1], None)
        if child is None:
            path.pop()
        elif len(path) + 1 > MAX_XML_DEPTH:
            return True
        else:
            path.append(iter(child))
    return False


def _feed_bytes(root: ElementTree.Element) -> bytes:
    ElementTree.register_namespace("", ATOM)
    ElementTree.register_namespace("arxiv", ARXIV)
    ElementTree.register_namespace("opensearch", OPENSEARCH)
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


# ---- arXiv announcement feeds ---------------------------------------------------------------


def fetch_announcements(
    client: HttpClient, url: str, categories: list[str]
) -> tuple[ElementTree.Element, list[ElementTree.Element]]:
    """The RSS announcement feed of ``categories`` (one request) and its items; ``FetchError`` when unusable."""
    for category in categories:
        if not ARXIV_CATEGORY.match(category):
            raise FetchError(f"{category!r} is not an arXiv category (such as cs.LG, math.AP, hep-th)")
    answer = client.get(f"{url.rstrip('/')}/{'+'.join(categories)}", {})
    _check_padding(answer)
    _check_flood(answer, answer.body.count(b"<"), MAX_XML_TAGS, "XML tags", "an announcement feed")
    _check_flood(answer, answer.body.count(b"="), MAX_XML_ATTRIBUTES, "XML attributes (counted by their = signs)",
                 "an announcement feed")
    try:
        root = parse_feed(answer.body, rss=True)
    except ArxivFeedError as error:
        raise FetchError(f"{answer.request}: {error}; {answer.describe()}") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FetchError(f"{answer.request}: not an RSS feed with a channel; {answer.describe()}")
    items = channel.findall("item")
    _check_entries(len(items), "items", answer)
    _check_depth(root, f"{answer.request}: the XML", answer.describe())
    return root, items


def announced_day(feed: ElementTree.Element, today: dt.date, source: str = "the answer") -> dt.date:
    """The day an announcement feed names (its ``pubDate``, else ``lastBuildDate``), else ``today``; a day more than
    ``MAX_DAYS_AHEAD`` after ``today`` (the caller's clock, UTC) is a ``FetchError``: saved, it would stay the newest
    issue until then."""
    day = announcement_day(feed)
    if day is None:
        return today
    field = "pubDate" if (feed.findtext("channel/pubDate") or "").strip() else "lastBuildDate"
    refused = "not taken for the issue's date; nothing was written (give the date with --date)"
    if day > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise FetchError(f"{source}: the feed is dated {day.isoformat()} (its {field}), more than {MAX_DAYS_AHEAD}"
                         f" days after today ({today.isoformat()}, UTC): {refused}")
    submitted = max(((month, key) for item in feed.iterfind("channel/item")
                     if (key := rss_item_arxiv_id(item)) and (month := _id_month(key))), default=None)
    # A paper is announced after it is submitted: a day before the month of its id is a date gone wrong (the epoch,
    # 1970-01-01, of a server that lost it); saved, the papers would be the site's oldest issue. A day of slack: the
    # feed's day is arXiv's (US Eastern), an id's month too, but a clock may be a day off.
    if submitted is not None and day < submitted[0] - dt.timedelta(days=1):
        raise FetchError(f"{source}: the feed is dated {day.isoformat()} (its {field}), before its papers were"
                         f" submitted ({submitted[1]} is of {submitted[0]:%B %Y}): {refused}")
    return day


def _id_month(arxiv_id: str) -> dt.date | None:
    """The first day of the month a new-style arXiv id was given in (``2607.30001``: 2026-07-01), or None."""
    found = NEW_STYLE_ID.match(arxiv_id)
    if found is None or not 1 <= int(found["month"]) <= 12:
        return None
    return dt.date(2000 + int(found["year"]), int(found["month"]), 1)


def save_announcements(
    folder: Path, date: dt.date, feed: ElementTree.Element, items: list[ElementTree.Element],
    source: str = "the answer", deadline: Deadline | None = None,
) -> FetchReport:
    """Merge the announced papers of ``items`` into ``<folder>/<date>-arxiv-new.rss``: saved items kept, new
    ones appended; replacements (new versions of papers announced before) are left out, as the build does, and so
    are papers another issue of the folder has (counted)."""
    path = folder / f"{date.isoformat()}-arxiv-new.rss"
    readable, kept_out = _readable(items, read_rss_item, source, ("announced item", "announced items"), skip=replaced)
    saved_feed = _load_saved_rss(path)
    base = saved_feed if saved_feed is not None else feed
    channel = base.find("channel")
    assert channel is not None  # checked by fetch_announcements and _load_saved_rss
    saved = channel.findall("item") if saved_feed is not None else []
    known = {rss_item_arxiv_id(item) for item in saved}
    issued = issued_elsewhere(path)
    new: list[ElementTree.Element] = []
    elsewhere = 0
    for item in readable:
        key = rss_item_arxiv_id(item)
        if key in issued and key not in known:
            elsewhere += 1
        elif key not in known:
            known.add(key)
            new.append(item)
    if not saved and not new:
        note = _all_issued(elsewhere, folder) if elsewhere else "arXiv announced no new papers (a weekend or holiday?)"
        return FetchReport(None, len(items), 0, 0, note=note, elsewhere=elsewhere)
    problems = list(kept_out)
    if new:
        channel[:] = [child for child in channel if child.tag != "item"] + saved + new  # one pass, not one per item
        problems += write_checked(path, _rss_bytes(base), deadline)
    return FetchReport(path, len(items), len(new), len(saved), problems=problems, elsewhere=elsewhere)


def _load_saved_rss(path: Path) -> ElementTree.Element | None:
    if not path.exists():
        return None
    try:
        root = parse_feed(path.read_bytes(), rss=True)
    except ArxivFeedError as error:
        raise FetchError(f"{path}: the saved issue is not a usable RSS feed ({error}); fix or move it first") from None
    if root.tag != "rss" or root.find("channel") is None:
        raise FetchError(f"{path}: the saved issue is not an RSS feed with a channel; fix or move it first")
    _check_depth(root, f"{path}: the saved issue", "fix or move it first")
    return root


def _rss_bytes(root: ElementTree.Element) -> bytes:
    for prefix, uri in (("arxiv", ARXIV), ("dc", DUBLIN_CORE), ("atom", ATOM), ("content", RSS_CONTENT)):
        ElementTree.register_namespace(prefix, uri)  # never the default namespace: RSS's own elements have none
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


# ---- writing -------------------------------------------------------------------------------


def write_checked(path: Path, data: bytes, deadline: Deadline | None = None) -> list[Problem]:
    """Replace ``path`` with ``data`` only once the build's own reader has read it; its problems are returned.

    The candidate is written under its own name in a hidden scratch folder beside ``path`` (the
    build skips hidden folders), read there with ``read_paper_list``, then renamed over ``path``:
    a file the build cannot read is never saved, and an interrupted fetch never leaves half a file.
    A file larger than ``MAX_ISSUE_BYTES`` is never saved either: the deploy workflow commits it. With a
    ``deadline``, the rename is its last step: past it, nothing is saved; before it, the rename is not interrupted.
    """
    shown = display_path(path)
    kept = "left as it was" if path.exists() else "not written"
    if len(data) > MAX_ISSUE_BYTES:
        raise _too_large(path, len(data))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=path.parent) as scratch:
            candidate = Path(scratch) / path.name
            candidate.write_bytes(data)
            result = read_paper_list(candidate)
            where = display_path(candidate)
            problems = [dataclasses.replace(p, path=shown) if p.path == where else p for p in result.problems]
            if not result.papers:
                raise FetchError(f"{shown}: the build could not read a paper of the fetched issue; {shown} {kept}",
                                 problems)
            if deadline is not None:
                deadline.last_step(f"saving {shown}")
            os.replace(candidate, path)
    except OSError as error:  # a full disk, a folder made read-only meanwhile
        raise FetchError(f"{shown}: cannot save the issue ({error.strerror or error}); {shown} {kept}") from None
    return problems


def _too_large(path: Path, size: int | None) -> FetchError:
    """The error of an issue larger than ``MAX_ISSUE_BYTES``: ``size`` bytes, or None when it was not made whole."""
    shown = display_path(path)
    kept = "left as it was" if path.exists() else "not written"
    larger = f"{size:,} bytes, more than the {MAX_ISSUE_BYTES:,}" if size is not None else \
        f"more than the {MAX_ISSUE_BYTES:,} bytes"
    return FetchError(f"{shown}: the issue would be {larger} an issue file may have (it is committed, and GitHub"
                      f" refuses files over 100 MB); {shown} {kept}")


def papers_folder(papers: list[Path]) -> Path:
    """The first folder of the ``papers`` setting (one not made yet counts; a paper list, such as a reading list
    named before the issues' folder, does not); the first entry when none is."""
    for entry in papers:
        if entry.is_dir() or (not entry.exists() and entry.suffix.lower() not in READERS):
            return entry
    return papers[0]


def folder_problem(folder: Path) -> str | None:
    """Why an issue cannot be saved into ``folder`` (made when missing), or None: checked before anything is
    downloaded, so a fetch never fails for its folder after the download.

    A hidden scratch folder is made and removed where the issue's would be (or in the nearest folder
    above that exists): permissions alone do not tell (a read-only file system, /sys, root).
    """
    wanted = folder.absolute()
    nearest = wanted
    while not (nearest.exists() or nearest.is_symlink()) and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        what = "a file" if nearest.is_file() else "not a folder"
        return f"is {what}, not a folder" if nearest == wanted else f"cannot be made: {nearest} is {what}"
    try:
        os.rmdir(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=nearest))
    except OSError as error:
        return f"cannot be {'written' if nearest == wanted else 'made'} ({error.strerror or error})"
    return None


def remove_leftovers(folder: Path, now: float) -> str:
    """Remove the scratch folders a fetch that was killed while saving left in ``folder``; a note naming them, or "".

    Only folders named as a save names them (``.fetching-`` and 8 characters), holding nothing but files, and
    untouched (themselves and their files) for ``STALE_SCRATCH_SECONDS`` before ``now`` (seconds since the epoch,
    the clock of the file system's times): one another fetch may be saving in right now is never touched.
    """
    removed: list[str] = []
    try:
        candidates = [entry for entry in os.scandir(folder)
                      if SCRATCH_NAME.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)]
    except OSError:  # no folder yet: nothing left over
        return ""
    for candidate in sorted(candidates, key=lambda entry: entry.name):
        try:
            inside = list(os.scandir(candidate.path))
            if any(not entry.is_file(follow_symlinks=False) for entry in inside):
                continue  # not what a save leaves
            touched = max([candidate.stat(follow_symlinks=False).st_mtime,
                           *(entry.stat(follow_symlinks=False).st_mtime for entry in inside)])
            if now - touched < STALE_SCRATCH_SECONDS:
                continue
            for entry in inside:
                os.unlink(entry.path)
            os.rmdir(candidate.path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove: left as it is
        removed.append(candidate.name)
    if not removed:
        return ""
    names = ", ".join(removed[:5]) + (f" and {len(removed) - 5:,} more" if len(removed) > 5 else "")
    return (f"removed {count(len(removed), 'scratch folder')} left in {display_path(folder)} by a fetch interrupted"
            f" while saving ({names})")
