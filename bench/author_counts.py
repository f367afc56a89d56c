"""The shape of a real archive's authorship, as the parameters bench/run.py draws its invented authors from.

    .venv/bin/python bench/author_counts.py ~/.cache/paper-digest/eval/daily-papers/issues

Reads the archive with the generator's own readers and merge (so names are matched as the site
matches them, generator/authors.py) and prints two histograms, binned: authors per paper and papers
per author. Only these counts go into bench/run.py (AUTHORS_PER_PAPER, PAPERS_PER_AUTHOR), never a name.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Exact values up to 20, then ranges (sampled uniformly within).
EDGES = (21, 26, 31, 41, 61, 101, 201, 1001)


def binned(values: Counter[int]) -> list[tuple[int, int, int]]:
    """(low, high, how many) with exact values up to 20 and wider bins above."""
    bins: Counter[tuple[int, int]] = Counter()
    for value, count in values.items():
        if value <= 20:
            bins[(value, value)] += count
            continue
        low = 21
        for edge in EDGES[1:]:
            if value < edge:
                bins[(low, edge - 1)] += count
                break
            low = edge
    return [(low, high, count) for (low, high), count in sorted(bins.items())]


def main() -> None:
    from generator.authors import author_key
    from generator.merge import merge_papers
    from generator.sources import read_all

    results, _problems = read_all([Path(arg) for arg in sys.argv[1:]])
    papers = merge_papers([paper for result in results for paper in result.papers], [])
    per_paper: Counter[int] = Counter()
    per_author: Counter[str] = Counter()
    for paper in papers:
        keys = {author_key(name) for name in paper.authors} - {""}
        per_paper[len(keys)] += 1
        per_author.update(keys)
    print(f"# {len(papers):,} papers, {len(per_author):,} distinct names")
    print(f"AUTHORS_PER_PAPER = {binned(per_paper)}")
    print(f"PAPERS_PER_AUTHOR = {binned(Counter(per_author.values()))}")


if __name__ == "__main__":
    main()
