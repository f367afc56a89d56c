"""Pagefind against the site's own search index, on the same built benchmark site.

    .venv/bin/python bench/run.py --sizes 20000 --no-baseline --keep --work bench/results  # work-20000/site there
    python3 -m venv /tmp/pf && /tmp/pf/bin/pip install "pagefind[bin]==1.5.2"   # not a dependency of the project
    .venv/bin/python bench/search_pagefind.py bench/results/work-20000 --pagefind "/tmp/pf/bin/python -m pagefind"

Runs Pagefind over the whole built site (every HTML page, paper pages included: Pagefind indexes
pages, not records), timing it, and sums its index on disk. Then headless Chromium loads
Pagefind's own JavaScript API in a blank page with an empty cache and runs each query of
bench/search_payload.py, loading the data of the first 10 results (what a result list shows); a
counting web server sums every byte of /pagefind/ it sent. Pagefind runs the finished query
once (its UI waits for typing to pause); bench/search_payload.py counts our index files for
every prefix typed, so the comparison favours Pagefind. The page around the search box (Material's
HTML, CSS, JavaScript) is the same for both and left out here.
"""

from __future__ import annotations

import argparse
import functools
import json
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_payload import CountingHandler, queries_of  # noqa: E402

from tests.browser import CHROMIUM_FLAGS, chromium_path  # noqa: E402

PROBE = """<!doctype html><html><head><meta charset="utf-8"><title>probe</title></head><body><script type="module">
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
window.ask = async query => {
  const search = await pagefind.search(query);
  const shown = await Promise.all(search.results.slice(0, 10).map(result => result.data()));
  return [search.results.length, shown.map(item => item.meta.title)];
};
window.ready = true;
</script></body></html>
"""


def tree_bytes(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def measure(folder: Path, queries: list[str]) -> list[dict[str, object]]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/probe.html"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                CountingHandler.sent = []
                page.goto(url, wait_until="load")
                page.wait_for_function("window.ready === true", timeout=60_000)
                found, titles = page.evaluate("query => window.ask(query)", query)
                sent = [(path, size) for path, size in CountingHandler.sent if path.startswith("/pagefind/")]
                context.close()
                index_bytes = sum(size for _, size in sent)
                row = {"query": query, "results": found, "shown": len(titles), "index_bytes": index_bytes}
                rows.append({**row, "files": len(sent)})
                print(json.dumps(rows[-1]), flush=True)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path, help="a benchmark work folder kept by bench/run.py --keep (data/ and site/)")
    parser.add_argument("--pagefind", default="pagefind", help="the command that runs Pagefind")
    parser.add_argument("--built", type=Path, help="use this Pagefind output folder instead of running Pagefind")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "search_pagefind.json")
    arguments = parser.parse_args()
    site = arguments.work / "site"
    papers = sum(len(json.loads(path.read_text())["papers"]) for path in (arguments.work / "data").glob("*.json"))
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        start = time.perf_counter()
        if arguments.built:
            (folder / "pagefind").symlink_to(arguments.built.resolve())
            seconds = None
        else:
            command = [*shlex.split(arguments.pagefind), "--site", str(site), "--output-path", str(folder / "pagefind")]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            seconds = round(time.perf_counter() - start, 1)
        files, size = tree_bytes(folder / "pagefind")
        (folder / "probe.html").write_text(PROBE, encoding="utf-8")
        ours_files, ours = tree_bytes(site / "search" / "papers")
        report = {
            "papers": papers,
            "pagefind": {"seconds": seconds, "files": files, "bytes": size, "bytes_per_paper": round(size / papers)},
            "ours": {"files": ours_files, "bytes": ours, "bytes_per_paper": round(ours / papers)},
            "queries": measure(folder, queries_of(arguments.work / "data")),
        }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({key: value for key, value in report.items() if key != "queries"}))


if __name__ == "__main__":
    main()
