"""Benchmark the whole build on synthetic archives made from the bundled listing's real text.

    make bench                                   # 1,000, 10,000, 20,000 and 100,000 papers
    .venv/bin/python bench/run.py --sizes 20000 --repeat 3   # the CPU ratio to the baseline, three runs
    .venv/bin/python bench/run.py --sizes 1000,10000 --no-baseline

For each size it writes a synthetic archive (one JSON issue file per day, ~100 papers a day,
titles and abstracts recombined from the bundled example (tests/fixtures/seed/), invented arXiv ids, and
invented authors shaped like a real archive's: ten per paper on average, most with one paper and a long tail
of prolific ones, from the counts bench/author_counts.py measured; see AUTHORS_PER_PAPER; and upvotes,
comments, code links, summaries and keywords in the shares of a real daily-papers archive: see invented_signals),
runs ``digest build`` and ``mkdocs build`` in child processes and measures each child's CPU time
and peak memory (``os.wait4``). A baseline builds the same papers as plain Markdown pages (one per
paper, out of the nav, plus paginated topic pages) with stock Material and its search plugin.
Prints a table and writes bench/results/<timestamp>-<commit>.json (compare two commits' JSON files).
``--archive DIR`` builds a real archive (a folder of paper lists) instead, its baseline from the same papers;
``--author-min-papers N`` sets ``authors.min_papers`` (to compare author pages' count and bytes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# The bundled example as tests keep it (a fork's data/ is its own and may lack the seed).
EXAMPLE = ROOT / "tests" / "fixtures" / "seed" / "data"
LISTING = EXAMPLE / "issues" / "2026-11-27.txt"
TAXONOMY = EXAMPLE / "topics.yml"
PER_ISSUE = 100
NEWEST = dt.date(2026, 11, 27)
# The shape of a real archive's authorship (9,877 Hugging Face daily papers, 41,175 distinct names), as
# printed by bench/author_counts.py: (low, high, how many) of authors per paper and of papers per author.
# Most authors have one paper, a long tail has dozens; papers have ten authors on average.
AUTHORS_PER_PAPER = [
    (1, 1, 177), (2, 2, 281), (3, 3, 619), (4, 4, 930), (5, 5, 1046), (6, 6, 1079), (7, 7, 1035), (8, 8, 917),
    (9, 9, 731), (10, 10, 641), (11, 11, 449), (12, 12, 319), (13, 13, 276), (14, 14, 215), (15, 15, 156),
    (16, 16, 112), (17, 17, 79), (18, 18, 83), (19, 19, 73), (20, 20, 68), (21, 25, 191), (26, 30, 113),
    (31, 40, 98), (41, 60, 85), (61, 100, 55), (101, 200, 29), (201, 1000, 20),
]
PAPERS_PER_AUTHOR = [
    (1, 1, 24426), (2, 2, 6959), (3, 3, 3255), (4, 4, 1880), (5, 5, 1231), (6, 6, 813), (7, 7, 557), (8, 8, 390),
    (9, 9, 279), (10, 10, 227), (11, 11, 171), (12, 12, 141), (13, 13, 111), (14, 14, 101), (15, 15, 76),
    (16, 16, 51), (17, 17, 48), (18, 18, 55), (19, 19, 37), (20, 20, 34), (21, 25, 134), (26, 30, 65),
    (31, 40, 61), (41, 60, 57), (61, 100, 14), (101, 200, 2),
]
STAGES = ("check", "read", "merge", "topics", "related", "render", "feeds", "search", "papers", "write")

sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------- synthetic archive


def seed_papers() -> list[tuple[str, str]]:
    """(title, abstract) pairs of the bundled listing, read by our own reader."""
    from generator.sources.listing import read_listing

    result = read_listing(LISTING.read_bytes(), LISTING.name)
    return [(paper.title, paper.abstract) for paper in result.papers]


def invented_word(rng: random.Random) -> str:
    syllables = ("ka", "lo", "mi", "ter", "van", "sol", "rix", "en", "du", "pra", "zo", "li", "qua", "net")
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def draw(rng: random.Random, histogram: list[tuple[int, int, int]]) -> int:
    """A value from a binned histogram: a bin by its weight, then a value in it (log-uniform: heavy tails)."""
    low, high, _ = rng.choices(histogram, weights=[count for _, _, count in histogram])[0]
    if low == high:
        return low
    return min(high, int(low * (high / low) ** rng.random()))


def invented_authors(size: int, rng: random.Random) -> list[list[str]]:
    """Author lists for ``size`` papers shaped like a real archive's: each paper's number of authors and each
    author's number of papers drawn from AUTHORS_PER_PAPER and PAPERS_PER_AUTHOR, names invented and unique."""
    lengths = [draw(rng, AUTHORS_PER_PAPER) for _ in range(size)]
    slots: list[int] = []
    author = 0
    total = sum(lengths)  # once: summed in the loop's test, it made 100,000 papers take minutes
    while len(slots) < total:
        slots.extend([author] * draw(rng, PAPERS_PER_AUTHOR))
        author += 1
    rng.shuffle(slots)
    syllables = ("ka", "lo", "mi", "ter", "van", "sol", "rix", "en", "du", "pra", "zo", "li", "qua", "net",
                 "bé", "ös", "ña", "ji", "ho", "wei", "yu", "chen", "ra", "ta")
    names: dict[int, str] = {}
    used: set[str] = set()

    def name_of(number: int) -> str:
        found = names.get(number)
        while found is None:
            first = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))).capitalize()
            last = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
            if f"{first} {last}" not in used:
                found = names[number] = f"{first} {last}"
                used.add(found)
        return found

    lists = []
    position = 0
    for length in lengths:
        members = list(dict.fromkeys(slots[position : position + length]))  # an author once per paper
        position += length
        lists.append([name_of(number) for number in members])
    return lists


def invented_signals(rng: random.Random, sentences: list[str], title_words: list[list[str]],
                     organizations: list[str]) -> dict[str, object]:
    """What Hugging Face's daily papers say of a paper, in the shares of a real archive of 9,877 of them:
    upvotes on 94% (long-tailed: most a handful, a few hundreds), comments 93%, a code repository 39%
    (with its stars 27%), a project page 20%, an organisation 30%, an AI summary 60% (one or two sentences,
    about 200 characters) and AI keywords 66% (about nine short phrases)."""
    found: dict[str, object] = {}
    if rng.random() < 0.94:
        found["upvotes"] = max(1, int(rng.paretovariate(0.9)) + rng.randint(0, 8))
    if rng.random() < 0.93:
        found["comments"] = 1 + int(rng.expovariate(1.5))
    if rng.random() < 0.39:
        found["code"] = f"https://github.com/{invented_word(rng)}/{invented_word(rng)}"
        if rng.random() < 0.27 / 0.39:
            found["stars"] = int(rng.paretovariate(0.7)) * 3
    if rng.random() < 0.20:
        found["project_page"] = f"https://{invented_word(rng)}.github.io/{invented_word(rng)}"
    if rng.random() < 0.30:
        found["organization"] = rng.choice(organizations)
    if rng.random() < 0.60:
        found["tldr"] = " ".join(rng.sample(sentences, 2))[:240]
    if rng.random() < 0.66:
        found["keywords"] = [" ".join(rng.choice(title_words)[:2]) for _ in range(rng.randint(5, 12))]
    return found


def synthetic_archive(size: int, folder: Path, seed: int = 9) -> None:
    """``size`` papers in one JSON file per issue date, newest issue 2026-11-27, ~100 papers a day."""
    rng = random.Random(seed)
    seeds = seed_papers()
    sentences = [s for _, abstract in seeds for s in re.split(r"(?<=[.!?])\s+", abstract) if len(s) > 30]
    title_words = [title.split() for title, _ in seeds]
    rare = [invented_word(rng) for _ in range(max(200, size // 20))]
    author_lists = invented_authors(size, random.Random(seed + 1))
    signal_rng = random.Random(seed + 2)  # its own draws: the titles, abstracts and authors stay as they were
    organizations = [f"{invented_word(signal_rng)} {signal_rng.choice(['Lab', 'AI', 'University', 'Research'])}"
                     for _ in range(300)]
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    issues = (size + PER_ISSUE - 1) // PER_ISSUE
    number = 0
    for day in range(issues):
        date = NEWEST - dt.timedelta(days=day)
        papers = []
        for _ in range(min(PER_ISSUE, size - number)):
            number += 1
            a, b = rng.sample(title_words, 2)
            # Two invented words make titles of the same halves differ by two words, as real titles do;
            # halves alone made two thirds of the papers "possible duplicates" of another.
            words = a[: max(1, len(a) // 2)] + [rng.choice(rare)] + b[len(b) // 2 :]
            words.insert(rng.randint(0, len(words)), rng.choice(rare).lower())
            title = " ".join(words)
            while title.casefold() in seen:
                title = f"{rng.choice(rare)}: {title}"
            seen.add(title.casefold())
            abstract = " ".join(rng.sample(sentences, rng.randint(4, 9)))
            if rng.random() < 0.5:
                abstract += f" We call it {rng.choice(rare)}."
            authors = author_lists[number - 1]
            yymm = f"{date.year % 100:02d}{date.month:02d}"
            arxiv = f"{yymm}.{number:05d}" if number < 100000 else f"{yymm}.{number:06d}"[:10]
            paper = {"title": title, "abstract": abstract, "authors": authors, "arxiv": arxiv}
            paper.update(invented_signals(signal_rng, sentences, title_words, organizations))
            papers.append(paper)
        document = {"date": date.isoformat(), "source": "Hugging Face", "papers": papers}
        (folder / f"{date.isoformat()}.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def ours_config(work: Path, data: Path | None = None, min_papers: int | None = None) -> None:
    """digest.yml and mkdocs.yml in ``work`` that use the repository's templates, hooks and taxonomy."""
    authors = f"authors: {{min_papers: {min_papers}}}\n" if min_papers else ""
    (work / "digest.yml").write_text(
        f"papers: [{json.dumps(str(data)) if data else 'data'}]\ntopics: {json.dumps(str(TAXONOMY))}\nout: content\n"
        f"curation: {json.dumps(str(work / 'curation.yml'))}\n{authors}",
        encoding="utf-8",
    )
    (work / "curation.yml").write_text("# The benchmark curates nothing.\n", encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")  # inherits mkdocs.base.yml, copied beside it
    # The base names no path: the paper-digest plugin finds the theme overrides and hook in the package.
    shutil.copy(ROOT / "mkdocs.base.yml", work / "mkdocs.base.yml")


# ---------------------------------------------------------------- baseline


def baseline_papers(data: Path, archive: Path | None) -> list[tuple[str, str, list[str], str, str]]:
    """(id, title, authors, issue date, abstract) of every paper, newest issue first: from the synthetic
    archive's JSON files, or from a real ``archive`` as the generator reads it (any source format)."""
    if archive is None:
        return [
            (paper["arxiv"], paper["title"], paper["authors"], document["date"], paper["abstract"])
            for path in sorted(data.glob("*.json"), reverse=True)
            for document in [json.loads(path.read_text(encoding="utf-8"))]
            for paper in document["papers"]
        ]
    from generator.merge import merge_papers
    from generator.sources import read_all

    results, _ = read_all([archive])
    papers = merge_papers([paper for result in results for paper in result.papers])
    papers.sort(key=lambda paper: (paper.added, paper.id), reverse=True)
    return [(paper.id, paper.title, list(paper.authors), paper.added.isoformat(), paper.abstract) for paper in papers]


def baseline_site(papers: list[tuple[str, str, list[str], str, str]], work: Path) -> None:
    """Plain Markdown: one page per paper (out of the nav), 50-paper topic pages, stock Material + search."""
    import yaml

    topics = [t["slug"] for t in yaml.safe_load(TAXONOMY.read_text())["topics"]]
    docs = work / "docs"
    (docs / "papers").mkdir(parents=True)
    members: dict[str, list[tuple[str, str]]] = {slug: [] for slug in topics}
    for pid, title, authors, date, abstract in papers:
        slug = topics[hash(pid) % len(topics)]
        members[slug].append((pid, title))
        (docs / "papers" / f"{pid.replace('/', '_')}.md").write_text(
            f"# {title}\n\n**Authors:** {', '.join(authors)}\n\n"
            f"**Issue:** {date} · **Topics:** [{slug}](../topics/{slug}/index.md)\n\n"
            f"## Abstract\n\n{abstract}\n\n"
            f"**Links:** [arXiv](https://arxiv.org/abs/{pid}) · [PDF](https://arxiv.org/pdf/{pid})\n",
            encoding="utf-8",
        )
    nav: list[Any] = [{"Home": "index.md"}]
    for slug, listed in members.items():
        (docs / "topics" / slug).mkdir(parents=True)
        pages = [listed[i : i + 50] for i in range(0, len(listed), 50)] or [[]]
        for number, chunk in enumerate(pages, start=1):
            name = "index.md" if number == 1 else f"page-{number}.md"
            lines = [f"# {slug} (page {number})\n"]
            lines += [f"- [{title}](../../papers/{pid.replace('/', '_')}.md)" for pid, title in chunk]
            (docs / "topics" / slug / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        nav.append({slug: f"topics/{slug}/index.md"})
    (docs / "index.md").write_text("# Baseline\n\nSame papers, plain pages.\n", encoding="utf-8")
    config = {
        "site_name": "Baseline",
        "site_url": "https://example.org/",
        "theme": {"name": "material", "font": False},
        "plugins": ["search"],
        "nav": nav,
        "not_in_nav": "/papers/\n/topics/\n",
    }
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


# ---------------------------------------------------------------- measuring children


def run_child(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run ``command`` (niced); its wall time, CPU time (user+sys, children included, and each apart) and peak RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed with exit code {process.returncode}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime, "sys": usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024}


# ---------------------------------------------------------------- where the builds run
# The figures should measure the build, not the filesystem under it. On ext4 without a journal (this project's
# development machine: /sys/fs/ext4/<dev>/journal_task is "<none>") the kernel will not reuse an inode deleted
# in the last minutes: every file created in a block group full of such inodes first steps over them one by
# one (fs/ext4/ialloc.c: find_inode_bit -> recently_deleted, seen with perf). A build writing 30,000 files
# there after another 30,000 were deleted spends 7-38 s of system time on what takes 1-2 s at rest, and
# which build pays depends on which runs after the deletion. So by default the work folders live in a RAM
# folder (/dev/shm) when it has room, for ours and the baseline alike (system time ~1 s there, after deletions
# too); ``--work DIR`` puts them elsewhere. The old work of a size is moved aside, and deleted only once
# every build is measured.
WORK_BYTES_PER_PAPER = 80_000  # content, site and the baseline's site of one paper, with room to spare


def work_root(choice: str | None, sizes: list[int]) -> Path:
    """The folder that holds the work folders: ``choice``, else /dev/shm when it has room, else bench/results."""
    if choice:
        return Path(choice).resolve()
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        needed = WORK_BYTES_PER_PAPER * max(sizes or [20000])
        if shutil.disk_usage(shm).free > needed:
            return shm / f"paper-digest-bench-{os.getuid()}"
    return RESULTS


def set_aside(folder: Path) -> None:
    """Move ``folder`` into its root's trash/ (deleted by empty_trash once every build is measured)."""
    if folder.exists():
        trash = folder.parent / "trash"
        trash.mkdir(parents=True, exist_ok=True)
        folder.rename(trash / f"{folder.name}-{time.time_ns()}")


def empty_trash(root: Path) -> None:
    shutil.rmtree(root / "trash", ignore_errors=True)


def tree_stats(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def child_generate(work: str, out: str) -> None:
    """In a child process: one generator build of ``work``; stage seconds and counts to ``out``."""
    from generator.build import BuildOptions, build
    from generator.config import load_config

    config, _ = load_config(Path(work) / "digest.yml")
    report = build(config, BuildOptions())
    stats = report.stats
    result = {
        "timings": report.timings,
        "papers": report.papers,
        "issues": report.issues,
        "problems": len(report.problems),
        "written": stats.written if stats else 0,
        "unchanged": stats.unchanged if stats else 0,
    }
    Path(out).write_text(json.dumps(result), encoding="utf-8")


def measure_size(size: int, baseline: bool, keep: bool, root: Path, archive: Path | None = None,
                 min_papers: int | None = None) -> dict[str, Any]:
    """One build of a synthetic archive of ``size`` papers, or of a real ``archive`` (a folder of paper lists)."""
    work = root / (f"work-{size}" if archive is None else "work-archive")
    set_aside(work)
    work.mkdir(parents=True)
    data = work / "data"
    if archive is None:
        synthetic_archive(size, data)
    ours_config(work, archive, min_papers)
    py = sys.executable
    print(f"[{size}] generator …", file=sys.stderr, flush=True)
    generator_json = work / "generator.json"
    generator = run_child([py, str(Path(__file__).resolve()), "--child-generate", str(work), str(generator_json)], work)
    details = json.loads(generator_json.read_text(encoding="utf-8"))
    size = size if archive is None else details["papers"]
    print(f"[{size}] generator again (unchanged inputs) …", file=sys.stderr, flush=True)
    rerun = run_child([py, str(Path(__file__).resolve()), "--child-generate", str(work), str(generator_json)], work)
    rerun_details = json.loads(generator_json.read_text(encoding="utf-8"))
    epoch = str(int(dt.datetime(NEWEST.year, NEWEST.month, NEWEST.day, tzinfo=dt.UTC).timestamp()))
    env = {"SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    print(f"[{size}] mkdocs …", file=sys.stderr, flush=True)
    mkdocs = run_child([py, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", "mkdocs.yml", "-d", "site"], work, env)
    content_files, content_bytes = tree_stats(work / "content")
    site_files, site_bytes = tree_stats(work / "site")
    # Author pages: the light pages under authors/ (the index at authors/ itself is a Material page, counted too).
    author_files, author_bytes = tree_stats(work / "site" / "authors") if (work / "site" / "authors").is_dir() else (0, 0)
    from generator import pages_limits

    parts = pages_limits.measure(work / "site")  # bytes by page kind (top-level folder), as check-site sees them
    verdict = pages_limits.check(parts)
    material_index = work / "site" / "search" / "search_index.json"
    paper_index = work / "site" / "search" / "papers"
    search = {
        "material_index": material_index.stat().st_size if material_index.is_file() else 0,
        "paper_index_total": tree_stats(paper_index)[1] if paper_index.is_dir() else 0,
        "paper_index_files": tree_stats(paper_index)[0] if paper_index.is_dir() else 0,
    }
    result: dict[str, Any] = {
        "size": size,
        "papers": details["papers"],
        "issues": details["issues"],
        "generator": {**generator, "stages": details["timings"]},
        "generator_rerun": {**rerun, "written": rerun_details["written"], "unchanged": rerun_details["unchanged"]},
        "mkdocs": mkdocs,
        "content": {"files": content_files, "bytes": content_bytes},
        "site": {"files": site_files, "bytes": site_bytes, "bytes_per_paper": site_bytes / max(1, size)},
        "authors": {"pages": author_files, "bytes": author_bytes, "bytes_per_paper": author_bytes / max(1, size)},
        "parts": parts.parts,
        "pages_check": "over 1 GB" if not verdict.ok else ("warns" if verdict.warnings else "ok"),
        "search_payload": search,
    }
    if baseline:
        print(f"[{size}] baseline mkdocs …", file=sys.stderr, flush=True)
        base = work / "baseline"
        baseline_site(baseline_papers(data, archive), base)
        measured = run_child([py, "-m", "mkdocs", "build", "--quiet", "-f", "mkdocs.yml", "-d", "site"], base, env)
        files, size_bytes = tree_stats(base / "site")
        index = base / "site" / "search" / "search_index.json"
        result["baseline"] = {
            **measured,
            "site": {"files": files, "bytes": size_bytes, "bytes_per_paper": size_bytes / max(1, size)},
            "search_payload": {"search/search_index.json": index.stat().st_size if index.is_file() else 0},
        }
        ours_cpu = generator["cpu"] + mkdocs["cpu"]
        result["cpu_ratio_vs_baseline"] = ours_cpu / measured["cpu"]
    if not keep:
        set_aside(work)
    return result


# ---------------------------------------------------------------- report


def user_ratio(result: dict[str, Any]) -> float:
    """The full build's user CPU time over the baseline's (system time left out)."""
    return (result["generator"]["user"] + result["mkdocs"]["user"]) / result["baseline"]["user"]


def table(results: list[dict[str, Any]]) -> str:
    """One column per size."""
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, value: Any) -> None:
        rows.append((label, [value(r) for r in results]))

    def ms_per_paper(cpu: float, size: int) -> str:
        return f"{1000 * cpu / size:.2f}"

    row("papers", lambda r: f"{r['papers']:,}")
    row("issues", lambda r: f"{r['issues']:,}")
    for stage in STAGES:
        row(f"  {stage} (s)", lambda r, s=stage: f"{r['generator']['stages'][s]:.2f}" if s in r["generator"]["stages"] else "-")
    row("generator wall (s)", lambda r: f"{r['generator']['wall']:.2f}")
    row("generator CPU (s)", lambda r: f"{r['generator']['cpu']:.2f}")
    row("generator CPU ms/paper", lambda r: ms_per_paper(r["generator"]["cpu"], r["size"]))
    row("generator peak MB", lambda r: f"{r['generator']['peak_mb']:.0f}")
    row("rerun wall (s)", lambda r: f"{r['generator_rerun']['wall']:.2f}")
    row("rerun files written", lambda r: f"{r['generator_rerun']['written']}")
    row("MkDocs wall (s)", lambda r: f"{r['mkdocs']['wall']:.1f}")
    row("MkDocs CPU (s)", lambda r: f"{r['mkdocs']['cpu']:.1f}")
    row("  of it system (s)", lambda r: f"{r['mkdocs']['sys']:.1f}")
    row("MkDocs peak MB", lambda r: f"{r['mkdocs']['peak_mb']:.0f}")
    row("full CPU ms/paper", lambda r: ms_per_paper(r["generator"]["cpu"] + r["mkdocs"]["cpu"], r["size"]))
    row("content files", lambda r: f"{r['content']['files']:,}")
    row("content MB", lambda r: f"{r['content']['bytes'] / 1e6:.1f}")
    row("site files", lambda r: f"{r['site']['files']:,}")
    row("site MB", lambda r: f"{r['site']['bytes'] / 1e6:.1f}")
    row("site KB/paper", lambda r: f"{r['site']['bytes_per_paper'] / 1000:.1f}")
    kinds = sorted({part for r in results for part in r.get("parts", {})},
                   key=lambda part: (-max(r.get("parts", {}).get(part, 0) / r["size"] for r in results), part))
    for kind in kinds:
        label = kind.split(" (")[0] if kind.startswith("feeds") else (kind if " " in kind else f"{kind}/")
        row(f"  {label} KB/paper", lambda r, k=kind: f"{r.get('parts', {}).get(k, 0) / r['size'] / 1000:.2f}")
    row("GitHub Pages check", lambda r: r.get("pages_check", "-"))
    row("author pages", lambda r: f"{r['authors']['pages']:,}" if "authors" in r else "-")
    row("author pages MB", lambda r: f"{r['authors']['bytes'] / 1e6:.1f}" if "authors" in r else "-")
    row("author KB/paper", lambda r: f"{r['authors']['bytes_per_paper'] / 1000:.2f}" if "authors" in r else "-")
    row("Material search index KB", lambda r: f"{r['search_payload']['material_index'] / 1000:.0f}")
    row("paper search index KB", lambda r: f"{r['search_payload']['paper_index_total'] / 1000:.0f}")
    row("paper search index files", lambda r: f"{r['search_payload']['paper_index_files']:,}")
    if any("baseline" in r for r in results):
        row("baseline MkDocs CPU (s)", lambda r: f"{r['baseline']['cpu']:.1f}" if "baseline" in r else "-")
        row("  of it system (s)", lambda r: f"{r['baseline']['sys']:.1f}" if "baseline" in r else "-")
        row("baseline CPU ms/paper", lambda r: ms_per_paper(r["baseline"]["cpu"], r["size"]) if "baseline" in r else "-")
        row("baseline peak MB", lambda r: f"{r['baseline']['peak_mb']:.0f}" if "baseline" in r else "-")
        row("baseline KB/paper", lambda r: f"{r['baseline']['site']['bytes_per_paper'] / 1000:.1f}" if "baseline" in r else "-")
        row("baseline search KB", lambda r: f"{r['baseline']['search_payload']['search/search_index.json'] / 1000:.0f}" if "baseline" in r else "-")
        row("full CPU / baseline", lambda r: f"{r['cpu_ratio_vs_baseline']:.2f}" if "baseline" in r else "-")
        # System time (creating tens of thousands of files) varies several-fold from run to run on some machines
        # (see "where the builds run" above).
        row("  user CPU only", lambda r: f"{user_ratio(r):.2f}" if "baseline" in r else "-")
    width = max(len(label) for label, _ in rows)
    cells = [max(len(v) for v in values) for values in zip(*(values for _, values in rows), strict=True)]
    lines = []
    for label, values in rows:
        lines.append(label.ljust(width) + "  " + "  ".join(v.rjust(cells[i]) for i, v in enumerate(values)))
    return "\n".join(lines)


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True)
        return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,20000,100000", help="comma-separated archive sizes")
    parser.add_argument("--no-baseline", action="store_true", help="skip the stock-Material baseline builds")
    parser.add_argument("--baseline-max", type=int, default=100000, help="build the baseline only up to this size")
    parser.add_argument("--keep", action="store_true", help="keep the work folders (work-<size>/) for inspection")
    parser.add_argument("--work", help="where the builds run (default: /dev/shm when it has room, else bench/results)")
    parser.add_argument("--archive", type=Path, help="build this folder of paper lists (a real archive) instead")
    parser.add_argument("--author-min-papers", type=int, help="authors.min_papers for the builds (default: digest's)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="build each size (or the archive) this many times, ours and the baseline in turn")
    parser.add_argument("--child-generate", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_generate:
        child_generate(*args.child_generate)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    version = commit()
    root = work_root(args.work, [] if args.archive else sizes)
    in_ram = root.is_relative_to("/dev/shm")  # deleting there costs later builds nothing: free the memory at once
    root.mkdir(parents=True, exist_ok=True)
    print(f"builds run in {root}", file=sys.stderr, flush=True)
    results = []
    for size in [0] if args.archive else sizes:
        for _ in range(args.repeat):
            results.append(measure_size(size, not args.no_baseline and size <= args.baseline_max, args.keep, root,
                                        args.archive.resolve() if args.archive else None, args.author_min_papers))
            if in_ram:
                empty_trash(root)
    print(f"Paper Digest benchmark, commit {version}, {os.cpu_count()} CPU(s)\n")
    print(table(results))
    ratios = [r["cpu_ratio_vs_baseline"] for r in results if "cpu_ratio_vs_baseline" in r]
    if args.repeat > 1 and ratios:
        print(f"\nfull CPU / baseline over {len(ratios)} runs: median {statistics.median(ratios):.2f}, "
              f"range {min(ratios):.2f}-{max(ratios):.2f}")
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    out = RESULTS / f"{stamp}-{version}.json"
    out.write_text(json.dumps({"commit": version, "results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {out.relative_to(ROOT)}")
    empty_trash(root)
    if args.keep:
        print(f"work folders kept in {root}")
    elif root != RESULTS and not any(root.iterdir()):
        root.rmdir()


if __name__ == "__main__":
    main()
