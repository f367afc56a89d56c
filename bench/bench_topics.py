"""Benchmark topic assignment and related papers on synthetic papers made from the seed's real text.

    .venv/bin/python bench/bench_topics.py 20000 100000

Each synthetic paper mixes sentences of two or three real seed abstracts (the bundled example in
tests/fixtures/seed/) and a title from a seed title, with a few invented rarer words
(Zipf-distributed) so the vocabulary grows like a real archive's. Prints papers, issues, seconds per stage (wall clock, and the process's CPU time: above
the wall time when both cores work), the memory of the papers alone and the peak memory of the
process (papers included). Run one size per process for a clean peak.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.merge import merge_papers  # noqa: E402
from generator.model import Paper  # noqa: E402
from generator.sources import read_all  # noqa: E402
from generator.topics import assign_topics, load_taxonomy  # noqa: E402
from generator.topics.related import related_papers  # noqa: E402

PER_ISSUE = 200
EXAMPLE = ROOT / "tests" / "fixtures" / "seed" / "data"  # the bundled example, also in a fork whose data/ differs


def synthetic(count: int, seed: list[Paper]) -> list[Paper]:
    """``count`` papers built from the seed's sentences and titles, deterministic (fixed random seed)."""
    rng = random.Random(0)
    sentences = [s for p in seed for s in re.split(r"(?<=\.)\s+", p.abstract) if len(s) > 30]
    titles = [p.title.split() for p in seed]
    vocabulary = [f"zq{n:x}" for n in range(60000)]
    cumulative = list(itertools.accumulate(1 / (n + 1) for n in range(len(vocabulary))))
    start = dt.date(2020, 1, 1)
    papers = []
    for n in range(count):
        base = seed[rng.randrange(len(seed))]
        invented = rng.choices(vocabulary, cum_weights=cumulative, k=6)
        title = " ".join(rng.choice(titles)[:6] + invented[:2])
        own = [s for s in re.split(r"(?<=\.)\s+", base.abstract) if s][:3]
        abstract = " ".join(own + rng.sample(sentences, 3) + [" ".join(invented)])
        added = start + dt.timedelta(days=n // PER_ISSUE)
        papers.append(Paper(id=f"s{n:07d}", title=title, abstract=abstract, added=added, source="bench"))
    return papers


def measure(count: int, seed: list[Paper], topics: list) -> None:
    papers = synthetic(count, seed)
    before = _peak_mb()
    began, cpu = time.perf_counter(), time.process_time()
    assign_topics(papers, topics)
    middle = time.perf_counter()
    related = related_papers(papers)
    end, cpu = time.perf_counter(), time.process_time() - cpu
    with_related = sum(1 for ids in related.values() if ids)
    print(
        f"{count} papers, {count // PER_ISSUE + 1} issues: topics {middle - began:.2f} s, "
        f"related {end - middle:.2f} s, total {end - began:.2f} s ({cpu:.2f} s CPU, "
        f"{(end - began) / count * 1e6:.0f} µs per paper); {with_related} papers with related papers; "
        f"peak RSS {before:.0f} MB with the papers alone, {_peak_mb():.0f} MB in all"
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    results, _ = read_all([EXAMPLE / "issues"])
    seed = merge_papers([p for r in results for p in r.papers])
    topics, _ = load_taxonomy(EXAMPLE / "topics.yml")
    for count in [int(a) for a in sys.argv[1:]] or [20000]:
        measure(count, seed, topics)


if __name__ == "__main__":
    main()
