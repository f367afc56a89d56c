"""Measure what a browser downloads before the search box shows its first results.

    .venv/bin/python bench/search_payload.py [--papers 1000 20000] [--out bench/results/search_payload.json]

For each archive size it writes the benchmark's synthetic archive (bench/run.py: real abstract
sentences and title halves of the bundled listing recombined, invented words and authors, fixed
seed), runs the real ``digest build``, and puts the paper index it wrote into a small site built
by the real ``mkdocs build`` (building 20,000 pages with MkDocs only to search them would measure
MkDocs, not search). Then headless Chromium opens the home page with an empty cache, types a query
into the search box and waits for the first result; a counting web server sums every byte it sent
(no compression), from the page's HTML, CSS and JavaScript to the index files of every prefix
typed. Queries: title words frequent and rare, two-word queries, an author's surname, the most
frequent abstract word of the archive, and an invented word (bench/run.py puts them in titles and abstracts). Also
reports the whole index on disk, per paper.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import typing
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import ours_config, synthetic_archive  # noqa: E402

from tests.browser import CHROMIUM_FLAGS, chromium_path  # noqa: E402

FIXED_QUERIES = ["diffusion", "language models", "theoretical analysis", "transformer", "regret bounds"]
STOP = {"the", "and", "of", "to", "in", "a", "we", "for", "that", "is", "on", "with", "this", "as", "by", "are", "our"}


def make_project(folder: Path, papers: int) -> Path:
    """A project like the benchmark's (bench/run.py) with ``papers`` synthetic papers, built by ``digest build``."""
    folder.mkdir(parents=True)
    synthetic_archive(papers, folder / "data")
    ours_config(folder)
    subprocess.run([sys.executable, "-m", "generator", "build", "--quiet"], cwd=folder, check=True)
    return folder


def small_site(work: Path) -> Path:
    """The real site of a small archive: Material's page, CSS, JavaScript and search worker."""
    project = make_project(work / "small", 50)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"],
        cwd=project,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return project / "site"


def queries_of(data: Path) -> list[str]:
    """Fixed real-looking queries, plus some taken from the archive: deterministic for a size."""
    papers = [paper for path in sorted(data.glob("*.json")) for paper in json.loads(path.read_text())["papers"]]
    middle = papers[len(papers) // 2]
    counts: collections.Counter[str] = collections.Counter()
    for paper in papers:
        counts.update({w for w in re.findall(r"[a-z]{5,}", paper["abstract"].lower()) if w not in STOP})
    frequent = counts.most_common(1)[0][0]
    invented = next(
        re.search(r"We call it (\w+)\.", paper["abstract"]).group(1)  # type: ignore[union-attr]
        for paper in papers[len(papers) // 2 :]
        if "We call it " in paper["abstract"]
    )
    surname = middle["authors"][0].split()[-1]
    return [*FIXED_QUERIES, surname, frequent, invented.lower()]


class CountingHandler(SimpleHTTPRequestHandler):
    sent: typing.ClassVar[list[tuple[str, int]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        data = source.read()
        outputfile.write(data)
        self.sent.append((self.path, len(data)))


def measure(site: Path, queries: list[str]) -> list[dict[str, object]]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    CountingHandler.sent = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                CountingHandler.sent = []
                page.goto(url, wait_until="load")
                page.keyboard.press("/")
                page.keyboard.type(query, delay=10)
                with contextlib.suppress(PlaywrightTimeout):  # no result (an index without abstracts)
                    page.wait_for_selector(".md-search-result__item", timeout=15_000)
                # Count the index files of every prefix typed so far too (an upper bound).
                page.wait_for_load_state("networkidle")
                shown = page.locator(".md-search-result__item").count()
                sent = list(CountingHandler.sent)
                context.close()
                results.append(
                    {
                        "query": query,
                        "results_shown": shown,
                        "bytes": sum(size for _, size in sent),
                        "files": len(sent),
                        "index_bytes": sum(size for path, size in sent if path.startswith("/search/")),
                    }
                )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def run(sizes: list[int]) -> list[dict[str, object]]:
    report = []
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        site = small_site(work)
        for size in sizes:
            project = make_project(work / f"archive-{size}", size)
            index = project / "content" / "search" / "papers"
            shutil.rmtree(site / "search" / "papers")
            shutil.copytree(index, site / "search" / "papers")
            index_bytes = sum(path.stat().st_size for path in index.rglob("*") if path.is_file())
            for row in measure(site, queries_of(project / "data")):
                row.update(papers=size, whole_index_bytes=index_bytes, index_bytes_per_paper=round(index_bytes / size))
                report.append(row)
                print(json.dumps(row), flush=True)
            shutil.rmtree(project)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "search_payload.json")
    arguments = parser.parse_args()
    report = run(arguments.papers)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for size in arguments.papers:
        rows = [row for row in report if row["papers"] == size and int(row["results_shown"]) > 0]
        worst = max(int(row["bytes"]) for row in rows)
        per_paper = int(rows[0]["index_bytes_per_paper"])
        print(
            f"{size} papers: at most {worst / 1e6:.2f} MB downloaded before the first results (limit 3 MB); "
            f"index {per_paper} B per paper on disk (limit 1,500)"
        )


if __name__ == "__main__":
    main()
