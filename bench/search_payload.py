"""Measure what a browser downloads before the search box shows its first results.

    .venv/bin/python bench/search_payload.py [--papers 1000 20000] [--out bench/results/search_payload.json]

For each archive size it makes that many synthetic papers (realistic title vocabulary and
author names, fixed seed), runs the real ``digest build``, and puts the paper index it
wrote into a small site built by the real ``mkdocs build`` (building 20,000 pages with
MkDocs only to search them would measure MkDocs, not search). Then headless Chromium
opens the home page with an empty cache, types a query into the search box and waits for
the first result; a counting web server sums every byte it sent (no compression), from
the page's HTML, CSS and JavaScript to the index files. Queries: a title word and an
author's surname of papers in the middle of the archive, and a frequent title word.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import typing
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_FLAGS, chromium_path  # noqa: E402

PAPERS_PER_ISSUE = 200
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "to",
    "vi",
    "su",
    "de",
    "pa",
    "ri",
    "co",
    "ban",
    "tel",
    "mor",
    "gen",
    "lux",
    "fer",
    "sta",
    "quin",
    "dro",
    "pla",
    "mat",
    "ver",
]
FIRST = [
    "Ada",
    "Bo",
    "Chen",
    "Dara",
    "Eli",
    "Farah",
    "Gus",
    "Hana",
    "Ivo",
    "Jun",
    "Kai",
    "Lea",
    "Mika",
    "Nia",
    "Omar",
    "Pia",
    "Quan",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Vik",
    "Wen",
    "Yara",
    "Zoe",
]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)}
    return sorted(words)[:size]


def synthetic_issues(count: int, seed: int = 7) -> dict[str, dict[str, object]]:
    """``{file name: YAML document}``: ``count`` papers in issues of 200, titles with Zipf-like word use."""
    rng = random.Random(seed)
    words = vocabulary(rng, 6000)
    surnames = [word.capitalize() for word in vocabulary(rng, 4000)]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    issues: dict[str, dict[str, object]] = {}
    for number in range(count):
        issue = number // PAPERS_PER_ISSUE
        date = f"{2020 + issue // 300}-{1 + issue % 300 // 25:02d}-{1 + issue % 25:02d}"
        title = " ".join(rng.choices(words, weights, k=rng.randint(6, 12))).capitalize() + f" {number}"
        paper = {
            "title": title,
            "abstract": " ".join(rng.choices(words, weights, k=150)),
            "authors": [f"{rng.choice(FIRST)} {rng.choice(surnames)}" for _ in range(rng.randint(1, 9))],
            "arxiv": f"{24 + issue // 300:02d}{1 + issue % 12:02d}.{number:05d}",
        }
        issues.setdefault(f"{date}.yaml", {"date": date, "papers": []})["papers"].append(paper)  # type: ignore[union-attr]
    return issues


def make_project(folder: Path, papers: int) -> Path:
    """A project like this repository's, with ``papers`` synthetic papers."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")  # inherits mkdocs.base.yml, copied beside it
    # The base names no path: the paper-digest plugin finds the theme overrides and hook in the package.
    shutil.copy(ROOT / "mkdocs.base.yml", folder / "mkdocs.base.yml")
    (folder / "data" / "issues").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "seed" / "data" / "topics.yml", folder / "data" / "topics.yml")
    for name, document in synthetic_issues(papers).items():
        (folder / "data" / "issues" / name).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "generator", "build", "--quiet"], cwd=folder, check=True)
    return folder


def small_site(work: Path) -> Path:
    """The real site of a small archive: Material's page, CSS, JavaScript and search worker."""
    project = make_project(work / "small", 50)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"],
        cwd=project,
        check=True,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return project / "site"


class CountingHandler(SimpleHTTPRequestHandler):
    sent: typing.ClassVar[list[tuple[str, int]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        data = source.read()
        outputfile.write(data)
        self.sent.append((self.path, len(data)))


def measure(site: Path, queries: list[str]) -> list[dict[str, object]]:
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
                page.wait_for_selector(".md-search-result__item", timeout=30_000)
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
            middle = synthetic_issues(size)
            papers = [paper for document in middle.values() for paper in document["papers"]]  # type: ignore[union-attr]
            target = papers[len(papers) // 2]
            queries = [
                target["title"].split()[2],
                target["authors"][0].split()[-1],
                papers[0]["title"].split()[0],
            ]
            index_bytes = sum(path.stat().st_size for path in index.rglob("*") if path.is_file())
            for row in measure(site, queries):
                row.update(papers=size, whole_index_bytes=index_bytes)
                report.append(row)
                print(json.dumps(row), flush=True)
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
        worst = max(int(row["bytes"]) for row in report if row["papers"] == size)
        print(f"{size} papers: at most {worst / 1e6:.2f} MB downloaded before the first results (limit 3 MB)")


if __name__ == "__main__":
    main()
