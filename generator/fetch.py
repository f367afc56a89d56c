"""Download new papers (Hugging Face daily papers, the arXiv API) and save them as dated issue files.

Files are saved in the source's own format, so the build stays a pure function of the files in
the repository. Fetching a date that already has a file merges: saved items are kept, new ones
added, so a partial or repeated fetch never shrinks an issue. Every failure is a ``FetchError``
with the reason, so a scheduled job fails loudly instead of going stale.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from generator import __version__
from generator.errors import DigestError
from generator.sources.arxiv import (
    ARXIV,
    ATOM,
    NAMESPACES,
    OPENSEARCH,
    ArxivFeedError,
    entry_arxiv_id,
    feed_error,
    parse_feed,
    total_results,
)
from generator.sources.daily_papers import looks_like_daily_papers

HF_URL = "https://huggingface.co/api/daily_papers"
ARXIV_URL = "https://export.arxiv.org/api/query"
HF_URL_VARIABLE = "DIGEST_HF_URL"
ARXIV_URL_VARIABLE = "DIGEST_ARXIV_URL"
USER_AGENT = f"paper-digest/{__version__} (static research-paper digest; +https://github.com/paper-digest/paper-digest)"
# arXiv's terms: no more than one request every three seconds, on a single connection.
ARXIV_INTERVAL = 3.0
ARXIV_PAGE_SIZE = 100
HF_PAGE_SIZE = 100
HF_MAX_PAGES = 20
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0


class FetchError(DigestError):
    """A download failed or returned something unusable; nothing was written."""


@dataclass
class HttpClient:
    """One polite connection: a User-Agent, a timeout, a minimum interval, retries with backoff.

    ``sleep`` and ``clock`` are injectable so tests can check the pacing without waiting.
    """

    user_agent: str = USER_AGENT
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    min_interval: float = 0.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    session: requests.Session = field(default_factory=requests.Session)
    requests_made: int = 0
    _last: float | None = None

    def get(self, url: str, params: dict[str, str | int]) -> bytes:
        """The body of a successful GET; transient failures are retried, then raised as ``FetchError``."""
        reason = ""
        for attempt in range(self.retries + 1):
            self._wait()
            try:
                response = self.session.get(
                    url, params=params, timeout=self.timeout, headers={"User-Agent": self.user_agent}
                )
            except requests.Timeout:
                reason = f"no answer within {self.timeout:g} s"
                delay = self.backoff * 2**attempt
            except requests.RequestException as error:
                reason = f"cannot connect: {_short(error)}"
                delay = self.backoff * 2**attempt
            else:
                if response.status_code == 200:
                    return response.content
                reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
                if response.status_code not in RETRY_STATUSES:
                    raise FetchError(f"{_describe(url, params)}: {reason}{_body_hint(response)}")
                waited = _retry_after(response)
                delay = waited if waited is not None else self.backoff * 2**attempt
            if attempt < self.retries:
                self.sleep(delay)
        tries = self.retries + 1
        raise FetchError(f"{_describe(url, params)}: {reason} (gave up after {tries} attempt{'s' * (tries > 1)})")

    def _wait(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.min_interval:
            self.sleep(self.min_interval - (now - self._last))
        self._last = self.clock()
        self.requests_made += 1


def _short(error: Exception) -> str:
    text = str(error)
    return text if len(text) <= 200 else text[:197] + "..."


def _describe(url: str, params: dict[str, str | int]) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"GET {url}?{query}" if query else f"GET {url}"


def _body_hint(response: requests.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return f" ({text[:200]})" if text else ""


def _retry_after(response: requests.Response) -> float | None:
    """The server's ``Retry-After`` in seconds (capped, so a scheduled job never hangs for hours)."""
    value = response.headers.get("Retry-After", "").strip()
    return min(float(value), MAX_RETRY_AFTER) if value.isdigit() else None


@dataclass
class FetchReport:
    """What a fetch did, for the CLI to print."""

    path: Path | None
    fetched: int
    added: int
    kept: int
    requests: int = 0
    note: str = ""


def base_url(option: str | None, variable: str, default: str) -> str:
    """The source's URL: the command-line option, else the environment variable, else the real API.

    A server without a path (``http://127.0.0.1:8080``) gets the API's own path, as on the real
    server (``/api/daily_papers``, ``/api/query``); a URL with a path is used as it is.
    """
    url = option or os.environ.get(variable) or default
    parts = urllib.parse.urlsplit(url)
    if parts.path in ("", "/") and not parts.query:
        url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, urllib.parse.urlsplit(default).path, "", ""))
    return url


# ---- Hugging Face daily papers -------------------------------------------------------------


def fetch_daily_papers(client: HttpClient, url: str, date: dt.date, page_size: int = HF_PAGE_SIZE) -> list[Any]:
    """Every daily-papers item featured on ``date``, page by page; ``FetchError`` when an answer is unusable.

    Pages are asked for with ``limit`` and ``p``; paging stops at a short page, or at a page
    that brings nothing new (a server that ignores ``p`` answers the first page again).
    """
    items: list[Any] = []
    seen: set[str] = set()
    for page in range(HF_MAX_PAGES):
        found = _daily_page(client, url, {"date": date.isoformat(), "limit": page_size, "p": page})
        new = [item for item in found if daily_item_key(item) not in seen]
        seen.update(daily_item_key(item) for item in new)
        items.extend(new)
        if len(found) < page_size or not new:
            break
    return items


def _daily_page(client: HttpClient, url: str, params: dict[str, str | int]) -> list[Any]:
    body = client.get(url, params)
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FetchError(f"{url}: the answer is not JSON ({error})") from None
    if not isinstance(document, list):
        raise FetchError(f"{url}: expected a JSON list of daily papers, got {type(document).__name__}")
    if document and not looks_like_daily_papers(document):
        raise FetchError(f"{url}: the answer does not look like daily papers (no 'paper' objects)")
    return document


def daily_item_key(item: Any) -> str:
    """An item's identity for merging: its arXiv id, else its whole text."""
    if isinstance(item, dict) and isinstance(item.get("paper"), dict) and isinstance(item["paper"].get("id"), str):
        return "id:" + str(item["paper"]["id"])
    return "raw:" + json.dumps(item, sort_keys=True, ensure_ascii=False)


def save_daily_papers(folder: Path, date: dt.date, items: list[Any]) -> FetchReport:
    """Merge ``items`` into ``<folder>/<date>-hf.json``: saved items kept as they are, new ones appended."""
    path = folder / f"{date.isoformat()}-hf.json"
    saved = _load_saved_json(path)
    known = {daily_item_key(item) for item in saved}
    new = [item for item in items if daily_item_key(item) not in known]
    new = list({daily_item_key(item): item for item in new}.values())
    if not saved and not new:
        return FetchReport(None, len(items), 0, 0, note=f"no papers on {date.isoformat()} (a weekend or holiday?)")
    if new:
        text = json.dumps(saved + new, indent=2, ensure_ascii=False) + "\n"
        write_atomically(path, text.encode("utf-8"))
    return FetchReport(path, len(items), len(new), len(saved))


def _load_saved_json(path: Path) -> list[Any]:
    if not path.exists():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FetchError(f"{path}: the saved issue is not valid JSON ({error}); fix or move it first") from None
    if not isinstance(document, list):
        raise FetchError(f"{path}: the saved issue is not a JSON list; fix or move it first")
    return document


# ---- arXiv API -----------------------------------------------------------------------------


def fetch_arxiv(
    client: HttpClient, url: str, query: str, limit: int, page_size: int = ARXIV_PAGE_SIZE
) -> tuple[ElementTree.Element, list[ElementTree.Element], str]:
    """Up to ``limit`` newest entries for ``query``, page by page; returns the first page's feed,
    the entries, and a note when arXiv delivered fewer than it announced."""
    first = _arxiv_page(client, url, query, 0, min(page_size, limit))
    total = total_results(first)
    entries = first.findall("atom:entry", NAMESPACES)
    note = ""
    while len(entries) < limit and (total is None or len(entries) < total):
        page = _arxiv_page(client, url, query, len(entries), min(page_size, limit - len(entries)))
        found = page.findall("atom:entry", NAMESPACES)
        if not found:
            note = f"arXiv announced {total} results but sent only {len(entries)}"
            break
        entries.extend(found)
    return first, entries[:limit], note


def _arxiv_page(client: HttpClient, url: str, query: str, start: int, size: int) -> ElementTree.Element:
    params: dict[str, str | int] = {
        "search_query": query, "start": start, "max_results": size,
        "sortBy": "submittedDate", "sortOrder": "descending",
    }  # fmt: skip
    return _parse_page(client.get(url, params), url)


def _parse_page(body: bytes, url: str) -> ElementTree.Element:
    try:
        root = parse_feed(body)
    except ArxivFeedError as error:
        raise FetchError(f"{url}: {error}") from None
    message = feed_error(root)
    if message is not None:
        raise FetchError(f"{url}: the arXiv API answered with an error: {message}")
    return root


def save_arxiv(
    folder: Path, date: dt.date, feed: ElementTree.Element, entries: list[ElementTree.Element]
) -> FetchReport:
    """Merge ``entries`` into ``<folder>/<date>-arxiv.xml``: saved entries kept, new ones appended."""
    path = folder / f"{date.isoformat()}-arxiv.xml"
    saved_feed = _load_saved_feed(path)
    base = saved_feed if saved_feed is not None else feed
    saved = base.findall("atom:entry", NAMESPACES) if saved_feed is not None else []
    known = {entry_arxiv_id(entry) or ElementTree.tostring(entry) for entry in saved}
    new: list[ElementTree.Element] = []
    for entry in entries:
        key = entry_arxiv_id(entry) or ElementTree.tostring(entry)
        if key not in known:
            known.add(key)
            new.append(entry)
    if not saved and not new:
        return FetchReport(None, len(entries), 0, 0, note="the query matched no papers")
    if new:
        for entry in base.findall("atom:entry", NAMESPACES):
            base.remove(entry)
        for entry in saved + new:
            base.append(entry)
        write_atomically(path, _feed_bytes(base))
    return FetchReport(path, len(entries), len(new), len(saved))


def _load_saved_feed(path: Path) -> ElementTree.Element | None:
    if not path.exists():
        return None
    try:
        return parse_feed(path.read_bytes())
    except ArxivFeedError as error:
        raise FetchError(f"{path}: the saved issue is not a usable Atom feed ({error}); fix or move it first") from None


def _feed_bytes(root: ElementTree.Element) -> bytes:
    ElementTree.register_namespace("", ATOM)
    ElementTree.register_namespace("arxiv", ARXIV)
    ElementTree.register_namespace("opensearch", OPENSEARCH)
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


# ---- writing -------------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so an interrupted fetch never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
