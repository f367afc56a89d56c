"""Where a built site's bytes are: per page kind, and per part of its paper pages (bench/RESULTS.md keeps them).

    .venv/bin/python bench/run.py --sizes 20000 --no-baseline --keep --work bench/results
    .venv/bin/python bench/page_parts.py bench/results/work-20000/site

Prints KB per paper for each page kind (top-level folder, as ``digest check-site`` counts them), then
the average bytes of a paper page's parts: the head, Material's frame outside the article, and the
article's own parts (cut at its headings and at the metadata block).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The article's parts, in page order: each begins where its pattern first matches (or is empty).
ARTICLE_PARTS = [
    ("h1", re.compile(r"<h1\b")),
    ("meta (authors, dates, signals, chips)", re.compile(r'<div class="digest-paper-meta">')),
    ("keywords, summary", re.compile(r"</div>\n(?=<p>|<p class=)")),
    ("abstract and links", re.compile(r'<h2 id="abstract">')),
    ("why these topics", re.compile(r'<h2 id="why-these-topics">')),
    ("related papers", re.compile(r'<h2 id="related-papers">')),
    ("cite (BibTeX)", re.compile(r'<h2 id="cite">')),
    ("pager", re.compile(r'<nav class="digest-pager"')),
]


def paper_parts(page: str) -> dict[str, int]:
    """Bytes of each part of one paper page (UTF-8)."""
    head_end = page.index("</head>") + len("</head>")
    start = page.index("<article")
    start = page.index(">", start) + 1
    end = page.index("</article>")
    article = page[start:end]
    parts = {"head": len(page[:head_end].encode()),
             "frame outside the article": len((page[head_end:start] + page[end:]).encode())}
    cuts = []
    position = 0
    for name, pattern in ARTICLE_PARTS:
        found = pattern.search(article, position)
        if found is None:
            continue
        cuts.append((name, found.start() if name != "keywords, summary" else found.end()))
        position = cuts[-1][1]
    for index, (name, cut) in enumerate(cuts):
        stop = cuts[index + 1][1] if index + 1 < len(cuts) else len(article)
        parts[f"article: {name}"] = len(article[cut:stop].encode())
    parts["article: other"] = len(article.encode()) - sum(v for k, v in parts.items() if k.startswith("article:"))
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site folder")
    args = parser.parse_args()
    from generator import pages_limits

    papers = sorted((args.site / "papers").glob("*/index.html"))
    count = len(papers)
    measured = pages_limits.measure(args.site)
    total = sum(measured.parts.values())
    print(f"{count:,} papers, site {total / 1e6:.1f} MB, {total / count / 1000:.2f} KB/paper")
    for kind, size in sorted(measured.parts.items(), key=lambda item: -item[1]):
        print(f"  {kind:<34} {size / count / 1000:6.2f} KB/paper")
    sums: dict[str, int] = {}
    for path in papers:
        for name, size in paper_parts(path.read_text(encoding="utf-8")).items():
            sums[name] = sums.get(name, 0) + size
    page_total = sum(os.path.getsize(path) for path in papers)
    print(f"paper page: {page_total / count / 1000:.2f} KB on average")
    for name, size in sums.items():
        print(f"  {name:<44} {size / count:7.0f} B")


if __name__ == "__main__":
    main()
