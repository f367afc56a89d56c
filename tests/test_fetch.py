"""Fetching new issues from recorded responses served on 127.0.0.1: pacing, retries, paging, merging."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import fetch
from generator.fetch import FetchError, HttpClient
from generator.sources import read_paper_list
from generator.sources.arxiv import entry_arxiv_id, read_arxiv
from tests.conftest import ROOT
from tests.recorded_server import Reply, Request, recorded_server

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FETCH = FIXTURES / "fetch"
SOURCES = FIXTURES / "sources"
DAY = dt.date(2025, 2, 19)


def recorded(name: str, folder: Path = FETCH) -> bytes:
    return (folder / name).read_bytes()


def atom(name: str, folder: Path = FETCH) -> Reply:
    return Reply(body=recorded(name, folder), content_type="application/atom+xml")


class FakeTime:
    """A clock that only moves when the client sleeps: pacing is checked without waiting."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds

    def clock(self) -> float:
        return self.now


def client(fake: FakeTime, **options: object) -> HttpClient:
    return HttpClient(sleep=fake.sleep, clock=fake.clock, **options)  # type: ignore[arg-type]


def digest_fetch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", "fetch", *args],
        cwd=ROOT, capture_output=True, text=True, env=environment, check=False,
    )


# ---- the HTTP client -------------------------------------------------------------------------


def test_requests_are_paced_on_one_connection_with_a_descriptive_user_agent() -> None:
    fake = FakeTime()
    with recorded_server(lambda request: Reply(body=b"[]")) as (url, received):
        polite = client(fake, min_interval=3.0)
        for _ in range(3):
            polite.get(url + "/api", {"q": "x"})
    assert fake.sleeps == [3.0, 3.0]
    assert len({request.client_port for request in received}) == 1  # one kept-alive connection
    assert received[0].user_agent.startswith("paper-digest/")
    assert "+https://" in received[0].user_agent


def test_429_and_5xx_are_retried_with_backoff_then_succeed() -> None:
    fake = FakeTime()
    replies = [Reply(503), Reply(500), Reply(body=b"ok")]
    with recorded_server(lambda request: replies.pop(0)) as (url, received):
        answer = client(fake, backoff=2.0).get(url, {})
    assert answer.body == b"ok"
    assert len(received) == 3
    assert fake.sleeps == [2.0, 4.0]


def test_retry_after_is_honoured() -> None:
    fake = FakeTime()
    replies = [Reply(429, headers={"Retry-After": "7"}), Reply(body=b"ok")]
    with recorded_server(lambda request: replies.pop(0)) as (url, _):
        assert client(fake).get(url, {}).body == b"ok"
    assert fake.sleeps == [7.0]



def test_retry_after_as_an_http_date_is_honoured_with_the_same_cap() -> None:
    fake = FakeTime()
    later = [email.utils.formatdate(time.time() + seconds, usegmt=True) for seconds in (30, 3600, -60)]
    replies = [*(Reply(503, headers={"Retry-After": when}) for when in later), Reply(body=b"ok")]
    with recorded_server(lambda request: replies.pop(0)) as (url, _):
        assert client(fake).get(url, {}).body == b"ok"
    assert 29 <= fake.sleeps[0] <= 30  # from the answer's Date; both dates have whole seconds
    assert fake.sleeps[1:] == [fetch.MAX_RETRY_AFTER, 0.0]

def test_persistent_failure_gives_up_with_the_reason() -> None:
    fake = FakeTime()
    with recorded_server(lambda request: Reply(502)) as (url, received), pytest.raises(FetchError) as caught:
        client(fake, retries=2).get(url + "/api/query", {"start": 0})
    assert len(received) == 3
    assert str(caught.value) == f"GET {url}/api/query?start=0: HTTP 502 Bad Gateway (gave up after 3 attempts)"



def test_the_last_error_page_of_a_retried_status_is_shown_escaped() -> None:
    fake = FakeTime()
    pages = [Reply(503, b"busy"), Reply(500, b"<html><h1>Internal error \x1b[31mred</h1>\n\n  </html>",
                                        content_type="text/html")]
    with recorded_server(lambda request: pages.pop(0)) as (url, received), pytest.raises(FetchError) as caught:
        client(fake, retries=1).get(url, {})
    assert str(caught.value) == (f"GET {url}: HTTP 500 Internal Server Error"
                                 r" (<html><h1>Internal error \x1b[31mred</h1> </html>) (gave up after 2 attempts)")
    assert len(received) == 2

def test_client_errors_are_not_retried_and_show_the_body() -> None:
    fake = FakeTime()
    expected = r'HTTP 400 Bad Request \(\{"error":"Invalid date"\}\)'
    bad_request = Reply(400, b'{"error":"Invalid date"}')
    with recorded_server(lambda request: bad_request) as (url, received), pytest.raises(FetchError, match=expected):
        client(fake).get(url, {"date": "tomorrow"})
    assert len(received) == 1


def test_a_server_that_does_not_answer_in_time_is_a_timeout() -> None:
    expected = r"no answer within 0.2 s \(gave up after 2 attempts\)"
    late = Reply(body=b"late", delay=1.0)
    with recorded_server(lambda request: late) as (url, received), pytest.raises(FetchError, match=expected):
        HttpClient(timeout=0.2, retries=1, backoff=0.0).get(url, {})
    assert len(received) == 2


def test_an_unreachable_server_is_reported() -> None:
    with recorded_server(lambda request: Reply()) as (url, _):
        pass  # the server is gone once the block ends
    with pytest.raises(FetchError, match="cannot connect"):
        HttpClient(retries=0).get(url, {})


# ---- arXiv -----------------------------------------------------------------------------------


def arxiv_pages(request: Request) -> Reply:
    return atom("arxiv-page-1.xml" if request.params["start"] == "0" else "arxiv-page-2.xml")


def test_arxiv_results_are_fetched_page_by_page() -> None:
    fake = FakeTime()
    with recorded_server(arxiv_pages) as (url, received):
        _feed, entries, note = fetch.fetch_arxiv(client(fake, min_interval=3.0), url, "cat:cs.CL", 10, page_size=2)
    assert [(r.params["start"], r.params["max_results"]) for r in received] == [("0", "2"), ("2", "2")]
    assert received[0].params["search_query"] == "cat:cs.CL"
    assert received[0].params["sortBy"] == "submittedDate"
    assert len(entries) == 3 and note == ""
    assert fake.sleeps == [3.0]


def test_arxiv_max_stops_paging_early() -> None:
    with recorded_server(arxiv_pages) as (url, received):
        _, entries, _ = fetch.fetch_arxiv(HttpClient(), url, "cat:cs.CL", 2, page_size=100)
    assert [r.params["max_results"] for r in received] == ["2"]
    assert len(entries) == 2


def test_arxiv_sending_less_than_it_announced_is_noted() -> None:
    def short(request: Request) -> Reply:
        if request.params["start"] == "0":
            return atom("arxiv-page-1.xml")
        return atom("2026-11-28-arxiv-empty.xml", SOURCES)

    with recorded_server(short) as (url, _):
        _, entries, note = fetch.fetch_arxiv(HttpClient(), url, "q", 10, page_size=2)
    assert len(entries) == 2
    assert note == "arXiv announced 3 results but sent only 2"


def test_arxiv_paging_stops_at_a_page_of_papers_already_sent() -> None:
    # A server that ignores `start`: the same page every time, announcing a trillion results. It was asked once
    # per wanted paper (--max 100: 50 requests here, 150 s), each repeat counted toward --max.
    fake = FakeTime()
    endless = recorded("arxiv-page-1.xml").replace(b">3</opensearch:totalResults>",
                                                  b">1000000000000</opensearch:totalResults>")
    with recorded_server(lambda request: Reply(body=endless, content_type="application/atom+xml")) as (url, received):
        _, entries, note = fetch.fetch_arxiv(client(fake, min_interval=3.0), url, "q", 100)
    assert [request.params["start"] for request in received] == ["0", "2"]
    assert [entry_arxiv_id(entry) for entry in entries] == ["2410.00907", "1706.03762"]
    assert note == ("arXiv's page from result 2 held only papers it had sent before (a server that ignores"
                    " 'start'?); stopped paging with 2 papers")
    assert fake.sleeps == [3.0]


def test_arxiv_papers_sent_twice_are_kept_once_and_not_counted_toward_max() -> None:
    first = recorded("arxiv-page-1.xml")
    again = first[first.index(b"<entry>", first.index(b"<entry>") + 1):first.index(b"</feed>")]
    overlapping = recorded("arxiv-page-2.xml").replace(b"<entry>", again + b"<entry>", 1)

    def respond(request: Request) -> Reply:
        return Reply(body=first if request.params["start"] == "0" else overlapping, content_type="application/atom+xml")

    with recorded_server(respond) as (url, received):
        _, entries, note = fetch.fetch_arxiv(HttpClient(), url, "q", 3, page_size=2)
    assert [entry_arxiv_id(entry) for entry in entries] == ["2410.00907", "1706.03762", "hep-th/9711200"]
    assert [request.params["start"] for request in received] == ["0", "2"]
    assert note == ""


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (atom("2026-11-28-arxiv-error.xml", SOURCES), "the arXiv API answered with an error: incorrect id format"),
        (Reply(body=b"Rate exceeded.", content_type="text/plain"), "not XML: 'Rate exceeded.'"),
    ],
)
def test_arxiv_errors_fail_the_fetch(reply: Reply, message: str) -> None:
    with recorded_server(lambda request: reply) as (url, _), pytest.raises(FetchError, match=message):
        fetch.fetch_arxiv(HttpClient(), url, "id:1234.12345", 10)


def test_arxiv_fetch_merges_into_the_saved_issue_of_that_date(tmp_path: Path) -> None:
    with recorded_server(lambda request: atom("arxiv-page-1.xml")) as (url, _):
        feed, entries, _ = fetch.fetch_arxiv(HttpClient(), url, "q", 2)
    first = fetch.save_arxiv(tmp_path, DAY, feed, entries)
    assert (first.added, first.kept) == (2, 0)
    with recorded_server(lambda request: atom("2026-11-28-arxiv.xml", SOURCES)) as (url, _):
        feed, entries, _ = fetch.fetch_arxiv(HttpClient(), url, "q", 3)
    again = fetch.save_arxiv(tmp_path, DAY, feed, entries)
    assert (again.added, again.kept) == (1, 2)
    result = read_arxiv((tmp_path / "2025-02-19-arxiv.xml").read_bytes(), "saved.xml")
    assert result.problems == []
    assert [paper.id for paper in result.papers] == ["2410.00907", "1706.03762", "hep-th-9711200"]
    assert result.papers[2].journal_ref == "Adv.Theor.Math.Phys.2:231-252,1998"  # arXiv fields survive a save



NESTED = b"<x>" * 5000 + b"</x>" * 5000
"""5,000 nested elements, 35 KB: parsed without a fuss, but written back one call deeper per level."""


@pytest.mark.parametrize("command", ["arxiv", "arxiv-new"])
def test_a_feed_nested_too_deeply_is_refused_and_nothing_written(tmp_path: Path, command: str) -> None:
    from tests.test_sources import ANNOUNCEMENT_RSS

    if command == "arxiv":
        reply = Reply(body=recorded("2026-11-28-arxiv.xml", SOURCES).replace(b"</entry>", NESTED + b"</entry>", 1),
                      content_type="application/atom+xml")
        options = ["--query", "cat:cs.CL"]
    else:
        reply = rss(ANNOUNCEMENT_RSS.replace(b"</item>", NESTED + b"</item>", 1))
        options = ["--category", "cs.LG"]
    with recorded_server(lambda request: reply) as (url, _):
        result = digest_fetch(command, *options, "--date", "2026-11-28", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: GET {url}/")
    assert ": the XML is nested too deeply (more than 100 levels); Content-Type application/" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []



def test_a_saved_issue_nested_too_deeply_is_named_not_rewritten(tmp_path: Path) -> None:
    saved = tmp_path / "2025-02-19-arxiv.xml"
    saved.write_bytes(recorded("arxiv-page-1.xml").replace(b"</entry>", NESTED + b"</entry>", 1))
    with recorded_server(lambda request: atom("2026-11-28-arxiv.xml", SOURCES)) as (url, _):
        feed, entries, _ = fetch.fetch_arxiv(HttpClient(), url, "q", 3)
    with pytest.raises(FetchError) as caught:
        fetch.save_arxiv(tmp_path, DAY, feed, entries)
    assert str(caught.value) == (
        f"{saved}: the saved issue is nested too deeply (more than 100 levels); fix or move it first")
    assert list(tmp_path.iterdir()) == [saved]


# ---- Hugging Face daily papers ---------------------------------------------------------------


def test_daily_papers_partial_day_keeps_what_was_saved(tmp_path: Path) -> None:
    replies = [recorded("2025-02-19-hf.json", SOURCES), recorded("hf-2025-02-19-partial.json")]
    with recorded_server(lambda request: Reply(body=replies.pop(0))) as (url, received):
        full = fetch.save_daily_papers(tmp_path, DAY, fetch.fetch_daily_papers(HttpClient(), url, DAY))
        saved = (tmp_path / "2025-02-19-hf.json").read_bytes()
        partial = fetch.save_daily_papers(tmp_path, DAY, fetch.fetch_daily_papers(HttpClient(), url, DAY))
    assert received[0].params == {"date": "2025-02-19", "limit": "100", "p": "0"}
    assert (full.added, full.kept) == (2, 0)
    assert (partial.added, partial.kept) == (0, 2)
    assert (tmp_path / "2025-02-19-hf.json").read_bytes() == saved


def test_a_paper_listed_twice_in_one_answer_is_saved_once(tmp_path: Path) -> None:
    # A server that pages badly repeats an item: it was saved twice and counted as two new papers.
    day = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    report = fetch.save_daily_papers(tmp_path, DAY, [*day, day[0]])
    assert (report.added, report.kept) == (len(day), 0)
    saved = json.loads((tmp_path / "2025-02-19-hf.json").read_text(encoding="utf-8"))
    assert [item["paper"]["id"] for item in saved] == [item["paper"]["id"] for item in day]


def test_daily_papers_are_fetched_page_by_page() -> None:
    day = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    pages = {"0": day[:1], "1": day[1:]}
    def respond(request: Request) -> Reply:
        return Reply(body=json.dumps(pages.get(request.params["p"], [])).encode())

    with recorded_server(respond) as (url, got):
        items = fetch.fetch_daily_papers(HttpClient(), url, DAY, page_size=1)
    assert [item["paper"]["id"] for item in items] == ["2502.13129", "2502.00511"]
    assert [request.params["p"] for request in got] == ["0", "1", "2"]  # page 2 is empty: the end


def test_daily_papers_paging_stops_when_the_server_ignores_pages() -> None:
    body = recorded("2025-02-19-hf.json", SOURCES)
    with recorded_server(lambda request: Reply(body=body)) as (url, got):
        items = fetch.fetch_daily_papers(HttpClient(), url, DAY, page_size=2)
    assert len(items) == 2
    assert len(got) == 2  # the second page brought nothing new


def test_daily_papers_that_page_on_without_end_are_refused() -> None:
    # Full pages of new papers, page after page: 2,000 papers of any day were saved as one day's, without a word.
    day = json.loads(recorded("2025-02-19-hf.json", SOURCES))

    def respond(request: Request) -> Reply:
        item = {**day[0], "paper": {**day[0]["paper"], "id": f"2502.{int(request.params['p']):05d}"}}
        return Reply(body=json.dumps([item]).encode())

    with recorded_server(respond) as (url, got), pytest.raises(FetchError) as failure:
        fetch.fetch_daily_papers(HttpClient(), url, DAY, page_size=1)
    assert len(got) == fetch.HF_MAX_PAGES
    assert str(failure.value) == (
        f"GET {url}?date=2025-02-19&limit=1&p=19: still a full page of new papers after 20 pages (20 papers), more"
        " than any day has: not taken for the papers of 2025-02-19 (does the server ignore 'date'?); nothing was"
        " written"
    )


def test_daily_papers_new_items_are_appended(tmp_path: Path) -> None:
    shutil.copy(FETCH / "hf-2025-02-19-partial.json", tmp_path / "2025-02-19-hf.json")
    with recorded_server(lambda request: Reply(body=recorded("2025-02-19-hf.json", SOURCES))) as (url, _):
        report = fetch.save_daily_papers(tmp_path, DAY, fetch.fetch_daily_papers(HttpClient(), url, DAY))
    assert (report.added, report.kept) == (1, 1)
    items = json.loads((tmp_path / "2025-02-19-hf.json").read_text(encoding="utf-8"))
    assert [item["paper"]["id"] for item in items] == ["2502.13129", "2502.00511"]
    assert read_paper_list(tmp_path / "2025-02-19-hf.json").problems == []


def test_a_day_fetched_again_raises_the_counts_of_the_papers_saved_and_never_lowers_them(tmp_path: Path) -> None:
    # A day fetched before it was over kept its papers' morning counts for good: fetching it again once it was over
    # saved the votes of the papers new since, not those of the papers saved already, and the week's top papers
    # compared morning counts with evening ones.
    morning = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    evening = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    for item in morning:
        item["paper"]["upvotes"], item["numComments"] = 1, 0
        item["paper"].pop("githubStars", None)
    evening[1]["paper"]["upvotes"] = 3  # fewer than the 7 saved below: votes taken back lower nothing
    fetch.save_daily_papers(tmp_path, DAY, morning[:1])
    fetch.save_daily_papers(tmp_path, DAY, [morning[0], {**morning[1], "paper": {**morning[1]["paper"], "upvotes": 7}}])
    report = fetch.save_daily_papers(tmp_path, DAY, evening)
    saved = read_paper_list(tmp_path / "2025-02-19-hf.json")
    assert saved.problems == []
    counts = {paper.arxiv_id: (paper.upvotes, paper.comments, paper.stars) for paper in saved.papers}
    assert counts == {"2502.13129": (42, 3, None), "2502.00511": (7, 1, 31)}
    assert (report.added, report.kept, report.raised) == (0, 2, 2)
    again = fetch.save_daily_papers(tmp_path, DAY, morning)
    assert again.raised == 0
    assert read_paper_list(tmp_path / "2025-02-19-hf.json").papers == saved.papers


def test_fetch_hf_says_how_many_saved_papers_have_higher_counts_now(tmp_path: Path) -> None:
    morning = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    morning[0]["paper"]["upvotes"] = 1
    answers = [json.dumps(morning).encode(), recorded("2025-02-19-hf.json", SOURCES)]
    with recorded_server(lambda request: Reply(body=answers.pop(0))) as (url, _):
        digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
        again = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    saved = tmp_path / "2025-02-19-hf.json"
    assert again.stdout == (f"Hugging Face daily papers 2025-02-19: nothing new; {saved} already has all 2 papers"
                            " (1 with higher counts now).\n")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"error": "Invalid date"}', "expected a JSON list of daily papers, got a JSON object"),
        (b"<html>maintenance</html>", "expected a JSON list of daily papers, got an HTML or XML page"),
        (b'[{"id": "2502.13129"}]', "does not look like daily papers"),
    ],
)
def test_unusable_daily_papers_answers_fail(body: bytes, message: str) -> None:
    with recorded_server(lambda request: Reply(body=body)) as (url, _), pytest.raises(FetchError, match=message):
        fetch.fetch_daily_papers(HttpClient(), url, DAY)


# ---- the command, as a scheduled job runs it -------------------------------------------------


def test_fetch_hf_command_saves_a_dated_issue_the_build_reads(tmp_path: Path) -> None:
    with recorded_server(lambda request: Reply(body=recorded("2025-02-19-hf.json", SOURCES))) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url + "/api/daily_papers",
                              "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "2025-02-19-hf.json"
    assert result.stdout == f"Hugging Face daily papers 2025-02-19: 2 new papers saved to {saved}.\n"
    assert [p.id for p in read_paper_list(saved).papers] == ["2502.13129", "2502.00511"]


@pytest.mark.parametrize("first", ["reading-list.bib", "later/picks.yaml"])
def test_fetch_saves_into_the_first_folder_of_papers_not_a_paper_list_before_it(tmp_path: Path, first: str) -> None:
    # papers: [reading-list.bib, data/issues] stopped every daily fetch with "data/reading-list.bib is a file, not a
    # folder", and the README says the first folder.
    (tmp_path / "data" / "issues").mkdir(parents=True)
    (tmp_path / "data" / "reading-list.bib").write_text("", encoding="utf-8")
    (tmp_path / "digest.yml").write_text(f"papers: [data/{first}, data/issues]\n", encoding="utf-8")
    with recorded_server(lambda request: Reply(body=recorded("2025-02-19-hf.json", SOURCES))) as (url, _):
        result = digest_fetch("hf", "--config", str(tmp_path / "digest.yml"), "--date", "2025-02-19",
                              "--base-url", url)
    assert result.returncode == 0, result.stderr
    assert [path.name for path in (tmp_path / "data" / "issues").iterdir()] == ["2025-02-19-hf.json"]
    assert not (tmp_path / "data" / "later").exists()


def scratch(folder: Path, name: str, age: float, files: tuple[str, ...] = ("2025-02-19-hf.json",)) -> Path:
    """A folder ``name`` in ``folder`` holding ``files``, all last changed ``age`` seconds ago."""
    made = folder / name
    made.mkdir(parents=True)
    when = time.time() - age
    for file in files:
        (made / file).write_text("[", encoding="utf-8")
        os.utime(made / file, (when, when))
    os.utime(made, (when, when))
    return made


def test_scratch_folders_a_killed_fetch_left_are_removed_by_the_next_one(tmp_path: Path) -> None:
    # A SIGKILL while saving left `.fetching-XXXXXXXX/` beside the issues; the deploy's `git add --all` committed it.
    left = scratch(tmp_path, ".fetching-k1ll3d_0", age=3600)
    empty = scratch(tmp_path, ".fetching-ch3ck0ut", age=3600, files=())  # the check of --out was killed
    busy = scratch(tmp_path, ".fetching-s4v1ng00", age=5)  # another fetch, saving right now
    other = [scratch(tmp_path, ".fetching-mine", age=3600),  # not a name a save gives
             scratch(tmp_path / ".fetching-n3st3d00", "inner", age=3600).parent]  # holds a folder: not a save's
    os.utime(other[1], (time.time() - 3600,) * 2)
    with recorded_server(lambda request: Reply(body=recorded("2025-02-19-hf.json", SOURCES))) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"Note: removed 2 scratch folders left in {tmp_path} by a fetch interrupted while"
                             " saving (.fetching-ch3ck0ut, .fetching-k1ll3d_0).\n")
    assert not left.exists() and not empty.exists()
    assert busy.exists() and all(folder.exists() for folder in other)
    assert len(read_paper_list(tmp_path / "2025-02-19-hf.json").papers) == 2


@pytest.mark.parametrize("ignore", [ROOT / ".gitignore", ROOT / "generator" / "skeleton" / "gitignore"],
                         ids=["repository", "skeleton"])
def test_scratch_folders_are_ignored_by_git_and_added_by_upgrade(tmp_path: Path, ignore: Path) -> None:
    from generator.scaffold import upgraded_gitignore

    wanted = ignore.read_text(encoding="utf-8")
    shutil.copy(ignore, tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    left = scratch(tmp_path / "data" / "issues", ".fetching-k1ll3d_0", age=0)
    checked = subprocess.run(["git", "check-ignore", str(left / "2025-02-19-hf.json")], cwd=tmp_path,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    older = wanted.replace(".fetching-*/\n", "")
    assert ".fetching-*/" in upgraded_gitignore(older, wanted).splitlines()


def test_fetch_hf_base_url_comes_from_the_environment(tmp_path: Path) -> None:
    with recorded_server(lambda request: Reply(body=recorded("hf-2025-02-19-partial.json"))) as (url, received):
        result = digest_fetch("hf", "--date", "2025-02-19", "--out", str(tmp_path),
                              env={"DIGEST_HF_URL": url + "/from-env"})
    assert result.returncode == 0, result.stderr
    assert received[0].path == "/from-env"


def test_an_empty_day_writes_no_issue(tmp_path: Path) -> None:
    with recorded_server(lambda request: Reply(body=recorded("hf-empty-day.json"))) as (url, _):
        result = digest_fetch("hf", "--date", "2026-11-29", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0
    assert result.stdout == (
        "Hugging Face daily papers 2026-11-29: no papers on 2026-11-29 (a weekend or holiday?);"
        " no issue file written.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_fetch_hf_of_a_day_not_over_says_to_fetch_it_again(tmp_path: Path) -> None:
    # `digest fetch hf` asks for today (UTC), whose list grows until midnight: a run at 00:30 UTC said "a weekend or
    # holiday?", and one in the afternoon saved part of the day as if it were all of it.
    today = dt.datetime.now(dt.UTC).date().isoformat()
    answers = [b"[]", recorded("2025-02-19-hf.json", SOURCES)]
    with recorded_server(lambda request: Reply(body=answers.pop(0))) as (url, received):
        early = digest_fetch("hf", "--base-url", url, "--out", str(tmp_path))
        later = digest_fetch("hf", "--base-url", url, "--out", str(tmp_path))
    assert [request.params["date"] for request in received] == [today, today]
    assert early.returncode == later.returncode == 0, later.stderr
    again = f"fetch it again with --date {today} once it is"
    assert early.stdout == (f"Hugging Face daily papers {today}: no papers on {today} yet (the day is not over, UTC):"
                            f" {again}; no issue file written.\n")
    assert later.stderr == f"Warning: the day is not over (UTC) and its list may grow: {again}\n"
    assert [path.name for path in tmp_path.iterdir()] == [f"{today}-hf.json"]


def test_a_failed_fetch_exits_non_zero_with_the_reason(tmp_path: Path) -> None:
    failing = Reply(503, b"upstream down", headers={"Retry-After": "0"})
    with recorded_server(lambda request: failing) as (url, received):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path),
                              "--retries", "2")
    assert result.returncode == 1
    assert len(received) == 3
    assert result.stderr == (
        f"Error: GET {url}/api/daily_papers?date=2025-02-19&limit=100&p=0: HTTP 503 Service Unavailable"
        " (upstream down) (gave up after 3 attempts)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_timeout_exits_non_zero(tmp_path: Path) -> None:
    with recorded_server(lambda request: Reply(body=b"[]", delay=1.5)) as (url, _):
        result = digest_fetch("hf", "--base-url", url, "--out", str(tmp_path), "--timeout", "0.3", "--retries", "0")
    assert result.returncode == 1
    assert "no answer within 0.3 s (gave up after 1 attempt)" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    result = digest_fetch("hf", "--date", "yesterday", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "'yesterday' is not YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(("value", "reason"), [
    ("2026-11-31", "November 2026 has 30 days"), ("2027-02-29", "February 2027 has 28 days"),
    ("2026-13-01", "there is no month 13"),
])
def test_a_date_of_the_right_shape_but_no_day_says_why(tmp_path: Path, value: str, reason: str) -> None:
    # "'2026-11-31' is not YYYY-MM-DD" sent the maintainer to check a shape that was right.
    result = digest_fetch("hf", "--date", value, "--out", str(tmp_path))
    assert result.returncode == 2
    assert f"Invalid value for --date: {value!r} is no date ({reason})" in result.stderr
    assert "YYYY-MM-DD" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("option", "value"), [
    ("--deadline", "nan"), ("--deadline", "inf"), ("--deadline", "1e300"), ("--timeout", "nan"), ("--timeout", "0"),
])
def test_seconds_that_are_no_number_of_seconds_are_a_usage_error(tmp_path: Path, option: str, value: str) -> None:
    # nan, inf and 1e300 passed click's FloatRange and ended in a traceback.
    result = digest_fetch("hf", "--date", "2025-02-19", option, value, "--out", str(tmp_path))
    assert result.returncode == 2
    assert f"{value!r} is not a number of seconds from 0.1 to 86400" in result.stderr
    assert "Traceback" not in result.stderr


def test_fetch_arxiv_command_saves_and_merges_into_the_configured_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "data" / "issues").mkdir(parents=True)
    (project / "digest.yml").write_text("papers: [data/issues]\n", encoding="utf-8")
    served = []

    def respond(request: Request) -> Reply:
        served.append(request.params["start"])
        return atom("2026-11-28-arxiv.xml", SOURCES)

    with recorded_server(respond) as (url, _):
        result = digest_fetch("arxiv", "--config", str(project / "digest.yml"), "--query", "cat:cs.CL",
                              "--max", "3", "--date", "2026-11-28", "--base-url", url)
        again = digest_fetch("arxiv", "--config", str(project / "digest.yml"), "--query", "cat:cs.CL",
                             "--max", "3", "--date", "2026-11-28", "--base-url", url)
    saved = project / "data" / "issues" / "2026-11-28-arxiv.xml"
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"arXiv 'cat:cs.CL': 3 new papers saved to {saved}.\n"
    assert again.stdout == f"arXiv 'cat:cs.CL': nothing new; {saved} already has all 3 papers.\n"
    assert len(read_paper_list(saved).papers) == 3


def test_fetch_arxiv_leaves_out_papers_another_issue_has(tmp_path: Path) -> None:
    # arXiv sends its newest papers whatever the day: each daily issue repeated the day before's papers, and a
    # missed day fetched late with --date took a published issue's papers (the build dates a paper by its
    # earliest listing): the 2026-11-28 issue lost its papers to 2026-11-25.
    newest = [atom("arxiv-page-1.xml"), atom("2026-11-28-arxiv.xml", SOURCES), atom("2026-11-28-arxiv.xml", SOURCES)]
    with recorded_server(lambda request: newest.pop(0)) as (url, _):
        runs = [digest_fetch("arxiv", "--query", "cat:cs.CL", "--max", limit, "--date", day, "--base-url", url,
                             "--out", str(tmp_path))
                for day, limit in (("2026-11-27", "2"), ("2026-11-28", "3"), ("2026-11-25", "3"))]
    assert [run.returncode for run in runs] == [0, 0, 0], [run.stderr for run in runs]
    assert runs[1].stdout == (f"arXiv 'cat:cs.CL': 1 new paper saved to {tmp_path / '2026-11-28-arxiv.xml'},"
                              " 2 left out (in other issues already).\n")
    assert runs[2].stdout == (f"arXiv 'cat:cs.CL': nothing new: all 3 papers sent are in other issues of {tmp_path}"
                              " already; no issue file written.\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2026-11-27-arxiv.xml", "2026-11-28-arxiv.xml"]
    ids = {path.name: [paper.id for paper in read_paper_list(path).papers] for path in tmp_path.iterdir()}
    assert ids == {"2026-11-27-arxiv.xml": ["2410.00907", "1706.03762"], "2026-11-28-arxiv.xml": ["hep-th-9711200"]}


def test_fetch_arxiv_warns_when_max_may_have_cut_papers_off(tmp_path: Path) -> None:
    # A daily query matching more papers than --max lost the rest without a word: none of the newest papers sent
    # was in an issue yet, so the ones between them and the last issue were never fetched.
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    (later / "2026-11-20-hf.json").write_bytes(recorded("2025-02-19-hf.json", SOURCES))
    with recorded_server(lambda request: atom("arxiv-page-1.xml")) as (url, _):  # 2 of 3 results
        runs = [digest_fetch("arxiv", "--query", "cat:cs.CL", "--max", "2", "--date", "2026-11-28", "--base-url", url,
                             "--out", str(folder)) for folder in (first, later)]
    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    assert runs[0].stderr == ""  # a first fetch: no issue to miss papers after
    assert runs[1].stderr == ("Warning: none of the 2 papers sent is in an issue yet, and the query matched more:"
                              " papers older than these, newer than the last issue, may be missing (a larger --max"
                              " fetches them)\n")


def test_fetch_arxiv_new_with_a_past_date_leaves_out_papers_another_issue_has(tmp_path: Path) -> None:
    from tests.test_sources import ANNOUNCEMENT_RSS

    with recorded_server(lambda request: rss(ANNOUNCEMENT_RSS)) as (url, _):
        first = digest_fetch("arxiv-new", "--category", "cs.LG", "--base-url", url, "--out", str(tmp_path))
        late = digest_fetch("arxiv-new", "--category", "cs.LG", "--date", "2026-07-17", "--base-url", url,
                            "--out", str(tmp_path))
    assert first.returncode == late.returncode == 0, late.stderr
    assert late.stdout == (f"arXiv new in cs.LG: nothing new: all 2 papers sent are in other issues of {tmp_path}"
                           " already; no issue file written.\n")
    assert [path.name for path in tmp_path.iterdir()] == ["2026-07-20-arxiv-new.rss"]


def test_fetch_arxiv_error_feed_exits_non_zero(tmp_path: Path) -> None:
    with recorded_server(lambda request: atom("2026-11-28-arxiv-error.xml", SOURCES)) as (url, _):
        result = digest_fetch("arxiv", "--query", "id:1234.12345", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 1
    asked = "search_query=id:1234.12345&start=0&max_results=100&sortBy=submittedDate&sortOrder=descending"
    assert result.stderr == (
        f"Error: GET {url}/api/query?{asked}: the arXiv API answered with an error:"
        " incorrect id format for 1234.12345\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("given", "default", "used"), [
    ("http://127.0.0.1:8080", fetch.HF_URL, "http://127.0.0.1:8080/api/daily_papers"),
    ("http://127.0.0.1:8080/", fetch.HF_URL, "http://127.0.0.1:8080/api/daily_papers"),
    ("https://mirror.example/papers", fetch.HF_URL, "https://mirror.example/papers"),
    ("http://127.0.0.1:8080", fetch.ARXIV_URL, "http://127.0.0.1:8080/api/query"),
    ("https://export.arxiv.org/api/query", fetch.ARXIV_URL, "https://export.arxiv.org/api/query"),
])
def test_base_url_may_be_the_servers_address_or_the_whole_endpoint(given: str, default: str, used: str) -> None:
    assert fetch.base_url(given, "DIGEST_NO_SUCH_VARIABLE", default) == used



@pytest.mark.parametrize(("given", "problem"), [
    ("http://[::1", "invalid IPv6 URL"),
    ("127.0.0.1:9999", "no http:// or https:// in front"),
    ("file:///etc/passwd", "the scheme is file, not http or https"),
    ("ftp://mirror.example/papers", "the scheme is ftp, not http or https"),
    ("http://127.0.0.1:99999", "the port is not a number from 1 to 65535"),
    ("http://mirror example", "a space or a control character in the host"),
    ("https://", "no host"),
])
def test_a_base_url_that_cannot_be_asked_is_refused_before_any_request(given: str, problem: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch.base_url(given, "DIGEST_NO_SUCH_VARIABLE", fetch.HF_URL)
    assert str(caught.value) == (f"--base-url {given!r} is not an address to fetch from ({problem}); give an http://"
                                 " or https:// URL such as http://127.0.0.1:8080")


@pytest.mark.parametrize("where", ["option", "variable"])
def test_fetch_names_the_option_or_variable_whose_address_cannot_be_asked(tmp_path: Path, where: str) -> None:
    if where == "option":
        result = digest_fetch("hf", "--base-url", "http://[::1", "--out", str(tmp_path))
        given = "--base-url 'http://[::1' is"
    else:
        result = digest_fetch("hf", "--out", str(tmp_path), env={"DIGEST_HF_URL": "http://[::1"})
        given = "DIGEST_HF_URL holds 'http://[::1', which is"
    assert result.returncode == 1
    assert result.stderr == (f"Error: {given} not an address to fetch from (invalid IPv6 URL); give an http:// or"
                             " https:// URL such as http://127.0.0.1:8080\n")
    assert list(tmp_path.iterdir()) == []


def test_an_address_that_cannot_be_asked_is_not_retried() -> None:
    fake = FakeTime()
    with pytest.raises(FetchError) as caught:
        client(fake, retries=3).get("http://mirror example/api", {"p": 0})
    assert str(caught.value) == ("GET http://mirror example/api?p=0: not an address that can be asked (Failed to parse:"
                                 " Host 'mirror example' contains invalid character ' ')")
    assert fake.sleeps == []

def test_fetch_hf_asks_the_apis_path_on_a_server_given_by_its_address(tmp_path: Path) -> None:
    with recorded_server(lambda request: Reply(body=recorded("2025-02-19-hf.json", SOURCES))) as (url, received):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert received[0].path == "/api/daily_papers"


def test_base_url_help_says_what_it_takes() -> None:
    result = digest_fetch("hf", "--help")
    assert "its address (the API's path is added) or the whole endpoint URL" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("source", "variable", "date"),
    [
        ("hf", "DIGEST_HF_URL", "today, UTC"),
        ("arxiv", "DIGEST_ARXIV_URL", "today, UTC"),
        ("arxiv-new", "DIGEST_ARXIV_NEW_URL", "the day the feed announced its papers; today, UTC, if it names none"),
    ],
)
def test_each_fetchs_help_names_its_own_url_variable_and_date(source: str, variable: str, date: str) -> None:
    """Every source's --base-url listed all three variables; arxiv-new's --date said today, not the feed's day."""
    help_text = " ".join(digest_fetch(source, "--help").stdout.split())
    assert f"[${variable} if set, else the source's own]" in help_text
    assert help_text.count("$DIGEST_") == 1
    assert f"--date YYYY-MM-DD The issue date [{date}]." in help_text


# ---- limits, redirects, answers that are not what was asked (hostile servers: test_fetch_hostile.py) ----


def test_a_pause_that_would_end_past_the_deadline_stops_the_fetch_at_once() -> None:
    fake = FakeTime()
    with recorded_server(lambda request: Reply(body=b"[]")) as (url, received):
        paced = client(fake, min_interval=3.0, deadline=fetch.Deadline(1.0))
        paced.get(url, {})
        with pytest.raises(fetch.DeadlinePassed) as caught:
            paced.get(url, {})
    assert str(caught.value) == (
        "the fetch would pass its deadline of 1 s while waiting between requests (the server's pacing);"
        " nothing was written (a longer one: --deadline SECONDS)"
    )
    assert len(received) == 1 and fake.sleeps == []


def test_the_deadline_interrupts_a_server_that_keeps_the_fetch_waiting() -> None:
    deadline = fetch.Deadline(0.5)
    with recorded_server(lambda request: Reply(body=b"[]", delay=5)) as (url, _):
        with pytest.raises(fetch.DeadlinePassed, match="while waiting for the answer of GET"), deadline.enforced():
            HttpClient(deadline=deadline).get(url, {})
        assert deadline.remaining() > -1.0  # stopped at the deadline, not after the server's 5 s


@pytest.mark.parametrize(
    ("target", "followed"),
    [
        ("https://elsewhere.example/api", True),
        ("http://127.0.0.1:8080/moved", True),  # the configured server's own scheme and host
        ("http://127.0.0.1:8081/moved", False),
        ("http://localhost:8080/moved", False),
        ("http://elsewhere.example/api", False),
        ("ftp://127.0.0.1:8080/moved", False),
        ("file:///etc/passwd", False),
    ],
)
def test_redirects_are_followed_to_https_or_the_configured_server_only(target: str, followed: bool) -> None:
    assert fetch._may_follow(target, "http://127.0.0.1:8080/api/daily_papers") is followed


def test_an_https_source_is_never_redirected_to_http_even_on_its_own_host() -> None:
    assert not fetch._may_follow("http://huggingface.co/api/daily_papers", fetch.HF_URL)


def test_first_bytes_escape_control_and_terminal_characters() -> None:
    # ESC and CSI sequences, a bidi override, a byte that is not UTF-8: none reaches the terminal as it is.
    data = "<h1>\x1b[31mred\x1b[0m\r\n\u009b2J\u202e".encode() + b"\xff</h1>" + b"x" * 200
    shown = fetch.first_bytes(data, limit=40)
    assert shown == r"first bytes: '<h1>\x1b[31mred\x1b[0m\r\n\x9b2J\u202e\xff</h1>xxxxxxxxx'… (231 bytes in all)"


def test_an_empty_day_may_end_with_a_newline_but_not_with_padding() -> None:
    assert fetch.daily_page(fetch.Answer("GET x", b"[]\r\n", "application/json")) == []
    with pytest.raises(FetchError, match="padded with 9 bytes of whitespace, not an answer"):
        fetch.daily_page(fetch.Answer("GET x", b"[]" + b" " * 9, "application/json"))


def arxiv_feed_with(total: bytes | None) -> Reply:
    empty = recorded("2026-11-28-arxiv-empty.xml", SOURCES)
    element = b'<opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0'
    body = empty.replace(element, element[:-1] + total) if total is not None else empty.replace(element, b"<x>0")
    return Reply(body=body.replace(b"</opensearch:totalResults>", b"</x>") if total is None else body,
                 content_type="application/atom+xml")


def test_an_arxiv_feed_without_entries_is_empty_only_when_it_says_zero_results() -> None:
    with recorded_server(lambda request: arxiv_feed_with(b"0")) as (url, _):
        _, entries, note = fetch.fetch_arxiv(HttpClient(), url, "q", 10)
    assert entries == [] and note == ""
    for total, said in [(b"5", "announced 5 result"), (None, "gave no opensearch:totalResults")]:
        reply = arxiv_feed_with(total)
        with recorded_server(lambda request, reply=reply: reply) as (url, _), pytest.raises(FetchError) as caught:
            fetch.fetch_arxiv(HttpClient(), url, "q", 10)
        assert f"a feed without entries that {said}" in str(caught.value)
        assert "not an empty answer; Content-Type application/atom+xml; first bytes: '<?xml" in str(caught.value)


def test_an_html_page_where_a_feed_was_asked_is_shown() -> None:
    page = Reply(body=b"<html><body>Down for maintenance<br></body></html>", content_type="text/html")
    with recorded_server(lambda request: page) as (url, _), pytest.raises(FetchError) as caught:
        fetch.fetch_arxiv(HttpClient(), url, "q", 10)
    assert "invalid XML: mismatched tag: line 1, column 38; Content-Type text/html; first bytes: '<html><body>Down" in (
        str(caught.value))


def test_items_the_build_cannot_read_are_reported_and_kept_out(tmp_path: Path) -> None:
    day = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    odd = {"paper": {"id": "not-an-id", "title": "Odd"}}
    body = json.dumps([day[0], odd, day[1]]).encode()
    with recorded_server(lambda request: Reply(body=body)) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"the answer of {url}/api/daily_papers: item 2: 'paper.id' 'not-an-id' is not an arXiv id; skipped\n"
    )
    saved = tmp_path / "2025-02-19-hf.json"
    assert [item["paper"]["id"] for item in json.loads(saved.read_text(encoding="utf-8"))] == [
        "2502.13129", "2502.00511"]
    assert result.stdout.startswith("Hugging Face daily papers 2025-02-19: 2 new papers saved")


def test_an_answer_whose_items_are_all_unreadable_is_an_error_not_an_empty_day(tmp_path: Path) -> None:
    body = json.dumps([{"paper": {"id": "2502.13129"}}]).encode()
    with recorded_server(lambda request: Reply(body=body)) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == (
        f"the answer of {url}/api/daily_papers: item 1: missing or empty 'paper.title'; skipped\n"
        f"Error: the answer of {url}/api/daily_papers: none of its 1 item is a paper the build can read;"
        " nothing was written\n"
    )
    assert list(tmp_path.iterdir()) == []


def papers(count: int) -> list[dict[str, object]]:
    return [{"paper": {"id": f"2502.{number:05d}", "title": f"Paper {number}", "summary": "An abstract.",
                       "authors": [{"name": "Ada Lovelace"}]}} for number in range(1, count + 1)]


def test_items_kept_out_are_named_up_to_twenty_then_counted(tmp_path: Path) -> None:
    # A million unreadable items were a million lines (112 MB) on stderr.
    body = json.dumps(papers(60) + [{"paper": {}}] * 50).encode()
    with recorded_server(lambda request: Reply(body=body)) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 21
    assert lines[0] == (f"the answer of {url}/api/daily_papers: 50 items the build cannot read in all, the first"
                        " 20 named; skipped")
    assert lines[1] == f"the answer of {url}/api/daily_papers: item 61: 'paper.id' None is not an arXiv id; skipped"
    assert lines[20] == f"the answer of {url}/api/daily_papers: item 80: 'paper.id' None is not an arXiv id; skipped"
    assert len(json.loads((tmp_path / "2025-02-19-hf.json").read_text(encoding="utf-8"))) == 60


def test_an_answer_mostly_of_items_the_build_cannot_read_fails(tmp_path: Path) -> None:
    body = json.dumps(papers(2) + [{"paper": {}}] * 21).encode()
    with recorded_server(lambda request: Reply(body=body)) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 22
    assert lines[0] == (f"the answer of {url}/api/daily_papers: 21 items the build cannot read in all, the first"
                        " 20 named; skipped")
    assert lines[21] == (f"Error: the answer of {url}/api/daily_papers: 21 of its 23 items are not papers the build"
                         " can read, more than half: not taken for the source's answer; nothing was written")
    assert list(tmp_path.iterdir()) == []


def test_a_file_the_build_cannot_read_is_never_saved(tmp_path: Path) -> None:
    saved = tmp_path / "2025-02-19-hf.json"
    shutil.copy(FETCH / "hf-2025-02-19-partial.json", saved)
    with pytest.raises(FetchError, match=r"could not read a paper of the fetched issue; .* left as it was") as caught:
        fetch.write_checked(saved, b'[{"paper": {"id": "2502.13129"}}]')
    assert [problem.item for problem in caught.value.problems] == [1]
    assert saved.read_bytes() == recorded("hf-2025-02-19-partial.json")
    with pytest.raises(FetchError, match="not written"):
        fetch.write_checked(tmp_path / "2025-02-20-hf.json", b"[]")
    assert list(tmp_path.iterdir()) == [saved]  # no scratch folder left behind


def test_an_issue_file_larger_than_a_git_host_takes_is_never_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "MAX_ISSUE_BYTES", 3000)
    saved = tmp_path / "2025-02-19-hf.json"
    shutil.copy(FETCH / "hf-2025-02-19-partial.json", saved)
    day = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    with pytest.raises(FetchError) as caught:
        fetch.save_daily_papers(tmp_path, DAY, day)
    assert str(caught.value) == (  # stopped as it passed the limit, before the rest was made
        f"{saved}: the issue would be more than the 3,000 bytes an issue file may have"
        f" (it is committed, and GitHub refuses files over 100 MB); {saved} left as it was"
    )
    assert saved.read_bytes() == recorded("hf-2025-02-19-partial.json")
    with pytest.raises(FetchError, match=r"more than the 3,000 an issue file may have .*; \S+ not written$"):
        fetch.write_checked(tmp_path / "2025-02-20-hf.json", b"[" + b" " * 3000 + b"]")
    assert list(tmp_path.iterdir()) == [saved]


def test_a_deeply_nested_answer_is_saved_at_about_its_own_size(tmp_path: Path) -> None:
    # Indented at every level, these 30 KB were saved as 2.5 MB (a 1 MB answer 500 deep: 505 MB).
    nested: object = [0] * 10_000
    for _ in range(120):
        nested = [nested]
    day = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    items = [{**day[0], "extra": nested}, day[1]]
    fetch.save_daily_papers(tmp_path, DAY, items)
    saved = (tmp_path / "2025-02-19-hf.json").read_bytes()
    assert json.loads(saved) == items
    assert len(saved) < 2 * len(json.dumps(items, ensure_ascii=False))
    assert saved.startswith(b'[\n  {\n    "paper": {\n      "id": "2502.13129",\n      "authors": [\n        {"_id": ')


def test_a_fetch_reads_at_most_the_cap_in_all_whatever_the_number_of_pages() -> None:
    # Two pages of one paper each, under a cap that holds one of them but not both.
    day = json.loads(recorded("2025-02-19-hf.json", SOURCES))
    pages = {"0": json.dumps(day[:1]).encode(), "1": json.dumps(day[1:]).encode()}
    with recorded_server(lambda request: Reply(body=pages[request.params["p"]])) as (url, received):
        paged = HttpClient(max_bytes=len(pages["0"]) + len(pages["1"]) - 1)
        with pytest.raises(FetchError, match=r"more than the [\d,]+ left of the cap of [\d,]+ bytes in all"):
            fetch.fetch_daily_papers(paged, url, DAY, page_size=1)
    assert len(received) == 2
    assert paged.bytes_read == len(pages["0"])



@pytest.mark.parametrize(("out", "problem"), [
    ("notes.md", "is a file, not a folder"),
    ("notes.md/issues", "cannot be made: {tmp}/notes.md is a file"),
], ids=["a-file", "inside-a-file"])
def test_an_out_that_cannot_take_the_issue_stops_the_fetch_before_any_request(
    tmp_path: Path, out: str, problem: str
) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    with recorded_server(lambda request: Reply(body=recorded("2025-02-19-hf.json", SOURCES))) as (url, received):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path / out))
    assert result.returncode == 1
    shown = problem.format(tmp=tmp_path)
    assert result.stderr == f"Error: --out {tmp_path / out} {shown}; give a folder to save into\n"
    assert received == []
    assert [path.name for path in tmp_path.iterdir()] == ["notes.md"]


def test_a_folder_that_cannot_be_written_is_found_before_the_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a read-only file system or /sys, where permission bits (and root) say nothing.
    def refuse(**options: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fetch.tempfile, "mkdtemp", refuse)
    assert fetch.folder_problem(tmp_path) == "cannot be written (Permission denied)"
    assert fetch.folder_problem(tmp_path / "new" / "issues") == "cannot be made (Permission denied)"
    monkeypatch.undo()
    assert fetch.folder_problem(tmp_path / "new" / "issues") is None
    assert list(tmp_path.iterdir()) == []  # the check leaves nothing behind


def test_a_failed_write_is_an_error_and_the_saved_issue_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = tmp_path / "2025-02-19-hf.json"
    shutil.copy(FETCH / "hf-2025-02-19-partial.json", saved)

    def full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fetch.os, "replace", full)
    with pytest.raises(FetchError) as caught:
        fetch.write_checked(saved, recorded("2025-02-19-hf.json", SOURCES))
    assert str(caught.value) == f"{saved}: cannot save the issue (No space left on device); {saved} left as it was"
    assert saved.read_bytes() == recorded("hf-2025-02-19-partial.json")
    assert list(tmp_path.iterdir()) == [saved]

def test_the_cap_is_a_setting_of_digest_yml_and_the_option_wins(tmp_path: Path) -> None:
    config = tmp_path / "digest.yml"
    config.write_text("papers: [issues]\nfetch_max_bytes: 1000\n", encoding="utf-8")
    day = recorded("2025-02-19-hf.json", SOURCES)
    with recorded_server(lambda request: Reply(body=day)) as (url, _):
        capped = digest_fetch("hf", "--config", str(config), "--date", "2025-02-19", "--base-url", url)
        raised = digest_fetch("hf", "--config", str(config), "--date", "2025-02-19", "--base-url", url,
                              "--max-bytes", "100000")
    assert capped.returncode == 1
    assert f"the answer announces {len(day):,} bytes, more than the cap of 1,000; nothing was written" in capped.stderr
    assert raised.returncode == 0, raised.stderr
    assert (tmp_path / "issues" / "2025-02-19-hf.json").exists()


def test_a_timeout_cut_short_by_the_deadline_is_reported_as_the_deadline() -> None:
    # Without the alarm (as in a thread), each read's timeout is shortened to what remains.
    with recorded_server(lambda request: Reply(body=b"[]", delay=3)) as (url, _):
        patient = HttpClient(timeout=30.0, deadline=fetch.Deadline(0.5))
        with pytest.raises(fetch.DeadlinePassed, match=r"passed its deadline of 0\.5 s while waiting for the answer"):
            patient.get(url, {})


# ---- arXiv announcement feeds ------------------------------------------------------------------


def rss(body: bytes) -> Reply:
    return Reply(body=body, content_type="application/rss+xml")


def test_fetch_arxiv_new_saves_the_days_announced_papers_and_merges_a_second_run(tmp_path: Path) -> None:
    from tests.test_sources import ANNOUNCEMENT_RSS

    grown = ANNOUNCEMENT_RSS.replace(b"<item><title>No id</title>", b"""<item>
      <title>Announced Later</title><link>https://arxiv.org/abs/2607.30003</link>
      <description>arXiv:2607.30003v1 Announce Type: new
Abstract: A third paper.</description><guid isPermaLink="false">oai:arXiv.org:2607.30003v1</guid>
      <arxiv:announce_type>new</arxiv:announce_type><dc:creator>Barbara Liskov</dc:creator></item>
    <item><title>No id</title>""")
    answers = iter([ANNOUNCEMENT_RSS, grown, grown])
    with recorded_server(lambda request: rss(next(answers))) as (url, requests):
        first = digest_fetch("arxiv-new", "--category", "cs.LG", "--category", "stat.ML", "--date", "2026-07-20",
                             "--base-url", url, "--out", str(tmp_path))
        second = digest_fetch("arxiv-new", "--category", "cs.LG", "--category", "stat.ML", "--date", "2026-07-20",
                              "--base-url", url, "--out", str(tmp_path))
        # Without --date the feed's own day names the issue: the same file, nothing new.
        third = digest_fetch("arxiv-new", "--category", "cs.LG", "--category", "stat.ML", "--base-url", url,
                             "--out", str(tmp_path))
    assert [request.path for request in requests] == ["/rss/cs.LG+stat.ML"] * 3
    saved = tmp_path / "2026-07-20-arxiv-new.rss"
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"arXiv new in cs.LG+stat.ML: 2 new papers saved to {saved}.\n"
    assert "item 4: no arXiv id" in first.stderr  # kept out of the file, and said
    assert second.stdout == f"arXiv new in cs.LG+stat.ML: 1 new paper saved to {saved}, 2 already saved.\n"
    assert third.stdout == f"arXiv new in cs.LG+stat.ML: nothing new; {saved} already has all 3 papers.\n"
    result = read_paper_list(saved)
    assert result.problems == []
    assert [p.arxiv_id for p in result.papers] == ["2607.30001", "2607.30002", "2607.30003"]  # no replacement
    assert result.papers[0].abstract == "Invented work on agents, announced today."
    assert b"Announce Type: replace" not in saved.read_bytes()


def test_an_announcement_feed_dated_far_ahead_is_refused_unless_date_is_given(tmp_path: Path) -> None:
    # Saved as 2099-12-31-arxiv-new.rss, it would have stayed the site's newest issue until then.
    from tests.test_sources import ANNOUNCEMENT_RSS

    future = ANNOUNCEMENT_RSS.replace(b"Mon, 20 Jul 2026", b"Thu, 31 Dec 2099")
    assert future.count(b"31 Dec 2099") >= 1
    with recorded_server(lambda request: rss(future)) as (url, _):
        refused = digest_fetch("arxiv-new", "--category", "cs.LG", "--base-url", url, "--out", str(tmp_path))
        assert list(tmp_path.iterdir()) == []
        given = digest_fetch("arxiv-new", "--category", "cs.LG", "--date", "2099-12-31", "--base-url", url,
                             "--out", str(tmp_path))
    assert refused.returncode == 1
    assert re.fullmatch(
        rf"Error: the answer of {re.escape(url)}/rss: the feed is dated 2099-12-31 \(its pubDate\), more than 2 days"
        r" after today \(\d{4}-\d\d-\d\d, UTC\): not taken for the issue's date; nothing was written \(give the date"
        r" with --date\)\n", refused.stderr)
    assert given.returncode == 0, given.stderr  # the maintainer's own choice
    assert (tmp_path / "2099-12-31-arxiv-new.rss").exists()


def test_an_announcement_day_up_to_two_days_ahead_is_taken() -> None:
    from tests.test_sources import ANNOUNCEMENT_RSS

    feed = fetch.parse_feed(ANNOUNCEMENT_RSS, rss=True)  # dated Mon, 20 Jul 2026
    assert fetch.announced_day(feed, dt.date(2026, 7, 18)) == dt.date(2026, 7, 20)
    with pytest.raises(FetchError, match=r"the feed is dated 2026-07-20 \(its pubDate\), more than 2 days after"
                                         r" today \(2026-07-17, UTC\)"):
        fetch.announced_day(feed, dt.date(2026, 7, 17))
    undated = fetch.parse_feed(ANNOUNCEMENT_RSS.replace(b"pubDate>", b"updated>"), rss=True)
    assert fetch.announced_day(undated, dt.date(2026, 7, 17)) == dt.date(2026, 7, 17)


def test_an_announcement_feed_dated_before_its_papers_is_refused_unless_date_is_given(tmp_path: Path) -> None:
    # A server that lost its clock dates the feed at the epoch: saved as 1970-01-01-arxiv-new.rss, its papers were
    # the site's oldest issue, and left out of the right day's issue fetched later (they were in another already).
    from tests.test_sources import ANNOUNCEMENT_RSS

    epoch = ANNOUNCEMENT_RSS.replace(b"Mon, 20 Jul 2026", b"Thu, 01 Jan 1970")
    with recorded_server(lambda request: rss(epoch)) as (url, _):
        refused = digest_fetch("arxiv-new", "--category", "cs.LG", "--base-url", url, "--out", str(tmp_path))
        assert list(tmp_path.iterdir()) == []
        given = digest_fetch("arxiv-new", "--category", "cs.LG", "--date", "2026-07-20", "--base-url", url,
                             "--out", str(tmp_path))
    assert refused.returncode == 1
    assert refused.stderr == (f"Error: the answer of {url}/rss: the feed is dated 1970-01-01 (its pubDate), before its"
                              " papers were submitted (2607.30002 is of July 2026): not taken for the issue's date;"
                              " nothing was written (give the date with --date)\n")
    assert given.returncode == 0, given.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["2026-07-20-arxiv-new.rss"]


@pytest.mark.parametrize(("dated", "taken"), [(b"Tue, 30 Jun 2026", True), (b"Mon, 29 Jun 2026", False),
                                              (b"Mon, 01 Jan 0001", False)])
def test_an_announcement_day_may_be_a_day_before_the_month_of_its_papers(dated: bytes, taken: bool) -> None:
    from tests.test_sources import ANNOUNCEMENT_RSS

    feed = fetch.parse_feed(ANNOUNCEMENT_RSS.replace(b"Mon, 20 Jul 2026", dated), rss=True)  # papers of 2607
    if taken:
        assert fetch.announced_day(feed, dt.date(2026, 7, 20)) == dt.date(2026, 6, 30)
    else:  # year 1 is read as 2001, as email.utils reads two-digit years
        with pytest.raises(FetchError, match=r"before its papers were submitted \(2607\.30002 is of July 2026\)"):
            fetch.announced_day(feed, dt.date(2026, 7, 20))


def test_fetch_arxiv_new_on_a_day_without_announcements_writes_nothing(tmp_path: Path) -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>cs.LG updates</title></channel></rss>'
    with recorded_server(lambda request: rss(empty)) as (url, _):
        result = digest_fetch("arxiv-new", "--category", "cs.LG", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "arXiv announced no new papers (a weekend or holiday?); no issue file written." in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(body=b"<html><body>Service unavailable</body></html>", content_type="text/html"),
         "not an Atom or RSS feed (root element 'html')"),
        (atom("2026-11-28-arxiv.xml", SOURCES), "not an RSS feed with a channel"),
        (rss(b'<!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel>&a;</channel></rss>'), "refused: the XML declares"),
    ],
)
def test_fetch_arxiv_new_refuses_answers_that_are_not_its_feed(tmp_path: Path, reply: Reply, message: str) -> None:
    with recorded_server(lambda request: reply) as (url, _):
        result = digest_fetch("arxiv-new", "--category", "cs.LG", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_fetch_arxiv_new_takes_only_category_names(tmp_path: Path) -> None:
    result = digest_fetch("arxiv-new", "--category", "../../etc", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "'../../etc' is not an arXiv category" in result.stderr


def test_lone_surrogates_are_dropped_from_a_saved_issue_and_said_so(tmp_path: Path) -> None:
    # "\ud800" is valid JSON but no character: writing the issue as UTF-8 was a traceback (UnicodeEncodeError).
    day = recorded("2025-02-19-hf.json", SOURCES).replace(b'"title": "Is Noise', b'"title": "\\ud800Is Noise', 1)
    with recorded_server(lambda request: Reply(body=day)) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "2025-02-19-hf.json"
    assert result.stderr == (f"{saved}: lone surrogates (\\ud800-\\udfff, halves of a character) dropped from 1 item"
                             " (the first: item 1)\n")
    assert json.loads(saved.read_bytes())[0]["paper"]["title"].startswith("Is Noise")


def test_nan_and_infinities_are_saved_as_null_and_counted_once(tmp_path: Path) -> None:
    # Python's json reads and writes NaN, Infinity and -Infinity; JSON has none of them, and other tools refuse them.
    day = (recorded("2025-02-19-hf.json", SOURCES).replace(b'"upvotes": 42', b'"upvotes": NaN')
           .replace(b'"numComments": 3', b'"numComments": Infinity').replace(b'"upvotes": 7', b'"upvotes": -Infinity'))
    saved = tmp_path / "2025-02-19-hf.json"
    saved.write_bytes(recorded("hf-2025-02-19-partial.json").replace(b'"numComments": 3', b'"numComments": NaN'))
    with recorded_server(lambda request: Reply(body=day)) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"{saved}: 1 NaN, Infinity or -Infinity (not JSON) written as null\n"
                             f"the answer of {url}/api/daily_papers: 3 NaN, Infinity or -Infinity (not JSON) read as"
                             " null\n")

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} saved")

    items = json.loads(saved.read_bytes(), parse_constant=refuse)
    assert [(item["paper"].get("upvotes"), item.get("numComments")) for item in items] == [(42, None), (None, 1)]


def test_numbers_too_large_for_a_float_are_saved_as_null_not_infinity(tmp_path: Path) -> None:
    # 1e999 is JSON, but Python reads it as infinity: it was saved as Infinity, which is not.
    huge = b"1" + b"0" * 400 + b".5"
    day = (recorded("2025-02-19-hf.json", SOURCES).replace(b'"upvotes": 42', b'"upvotes": 1e999')
           .replace(b'"numComments": 3', b'"numComments": ' + huge))
    with recorded_server(lambda request: Reply(body=day)) as (url, _):
        result = digest_fetch("hf", "--date", "2025-02-19", "--base-url", url, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"the answer of {url}/api/daily_papers: 2 numbers too large for a float (past 1.8e308)" \
        " read as null\n"

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} saved")

    items = json.loads((tmp_path / "2025-02-19-hf.json").read_bytes(), parse_constant=refuse)
    assert [(item["paper"].get("upvotes"), item.get("numComments")) for item in items] == [(None, None), (7, 1)]


# ---- catching up the days a daily job missed ------------------------------------------------


def test_missed_days_are_the_days_after_the_newest_daily_issue(tmp_path: Path) -> None:
    for name in ("2025-02-14-hf.json", "2025-02-15-hf.json", "2025-02-30-hf.json", "2025-02-17-arxiv.xml"):
        (tmp_path / name).write_text("[]", encoding="utf-8")
    assert fetch.missed_days(tmp_path, dt.date(2025, 2, 19), 7) == fetch.MissedDays(
        [dt.date(2025, 2, 16), dt.date(2025, 2, 17), dt.date(2025, 2, 18)], [])
    assert fetch.missed_days(tmp_path, dt.date(2025, 2, 19), 2) == fetch.MissedDays(
        [dt.date(2025, 2, 17), dt.date(2025, 2, 18)], [dt.date(2025, 2, 16)])
    assert fetch.missed_days(tmp_path, dt.date(2025, 2, 19), 0) == fetch.MissedDays([], [])
    assert fetch.missed_days(tmp_path, dt.date(2025, 2, 16), 7) == fetch.MissedDays([], [])  # nothing between
    assert fetch.missed_days(tmp_path, dt.date(2025, 2, 15), 7) == fetch.MissedDays([], [])  # the day is saved
    (tmp_path / "2025-02-20-hf.json").write_text("[]", encoding="utf-8")  # a later day fetched by hand
    assert fetch.missed_days(tmp_path, dt.date(2025, 2, 19), 7) == fetch.MissedDays([], [])
    assert fetch.missed_days(tmp_path / "new", dt.date(2025, 2, 19), 7) == fetch.MissedDays([], [])


def daily_server(empty: tuple[str, ...] = (), failing: tuple[str, ...] = ()) -> Callable[[Request], Reply]:
    """Daily papers for any day: none on the ``empty`` days, an error answer on the ``failing`` ones."""
    def answer(request: Request) -> Reply:
        day = request.params.get("date", "")
        if day in failing:
            return Reply(status=404, body=b'{"error": "Not Found"}')
        if day in empty or request.params.get("p", "0") != "0":
            return Reply(body=b"[]")
        return Reply(body=recorded("2025-02-19-hf.json", SOURCES))
    return answer


def test_catch_up_fetches_the_days_a_daily_job_missed_oldest_first(tmp_path: Path) -> None:
    # A failed or skipped daily run (GitHub skips scheduled runs under load) lost its day for good unless the
    # maintainer noticed and fetched it by hand.
    shutil.copy(SOURCES / "2025-02-19-hf.json", tmp_path / "2025-02-15-hf.json")
    with recorded_server(daily_server(empty=("2025-02-16",))) as (url, received):
        result = digest_fetch("hf", "--date", "2025-02-19", "--catch-up", "7", "--base-url", url,
                              "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [request.params["date"] for request in received if request.params.get("p", "0") == "0"] == [
        "2025-02-16", "2025-02-17", "2025-02-18", "2025-02-19"]
    assert result.stdout.splitlines() == [
        "Hugging Face daily papers 2025-02-16: no papers on 2025-02-16 (a weekend or holiday?); no issue file written.",
        *(f"Hugging Face daily papers {day}: 2 new papers saved to {tmp_path / f'{day}-hf.json'}."
          for day in ("2025-02-17", "2025-02-18", "2025-02-19")),
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "2025-02-15-hf.json", "2025-02-17-hf.json", "2025-02-18-hf.json", "2025-02-19-hf.json"]


def test_catch_up_says_which_older_missed_days_it_left_and_a_failed_day_fails_the_run(tmp_path: Path) -> None:
    shutil.copy(SOURCES / "2025-02-19-hf.json", tmp_path / "2025-02-10-hf.json")
    with recorded_server(daily_server(failing=("2025-02-17",))) as (url, received):
        result = digest_fetch("hf", "--date", "2025-02-19", "--catch-up", "3", "--base-url", url,
                              "--out", str(tmp_path), "--retries", "0")
    assert result.returncode == 1
    assert [request.params["date"] for request in received if request.params.get("p", "0") == "0"] == [
        "2025-02-16", "2025-02-17", "2025-02-18", "2025-02-19"]
    assert ("Warning: 5 earlier days missed since the newest issue of"
            f" {tmp_path} (2025-02-11 to 2025-02-15) not fetched: --catch-up 3 fetches 3 days; fetch them with --date"
            in result.stderr)
    assert re.search(r"^Error: Hugging Face daily papers 2025-02-17: .*404", result.stderr, re.MULTILINE), result.stderr
    assert "Traceback" not in result.stderr
    # The days that answered are saved all the same (a daily job's run fails and commits none of them, so its next
    # run catches up on all of them again); by hand, the error says which day to fetch again.
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "2025-02-10-hf.json", "2025-02-16-hf.json", "2025-02-18-hf.json", "2025-02-19-hf.json"]


def test_the_readme_gives_every_sources_default_address_and_variable() -> None:
    """The "Fetch options" paragraph named the defaults and variables of hf and arxiv only: arxiv-new's
    (https://rss.arxiv.org/rss, DIGEST_ARXIV_NEW_URL, /rss added to a server's address) were left out."""
    import urllib.parse

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    options = " ".join(readme.split("\nFetch options: ", 1)[1].split("\n\n", 1)[0].split())
    for url, variable in [(fetch.HF_URL, fetch.HF_URL_VARIABLE), (fetch.ARXIV_URL, fetch.ARXIV_URL_VARIABLE),
                          (fetch.ARXIV_NEW_URL, fetch.ARXIV_NEW_URL_VARIABLE)]:
        assert f"`{url}`" in options and f"`{variable}`" in options, url
        assert f"`{urllib.parse.urlsplit(url).path}`" in options, url
