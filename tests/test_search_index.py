"""The sharded paper index: every paper is found by each title word, author name and topic."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from generator.model import Paper, TopicMatch
from generator.search import DOCS_PER_SHARD, INDEX_DIR, build_index, shard_key, words
from generator.topics import Topic
from tests.conftest import make_project, run_digest

TOPICS = [Topic(slug="rl", name="Reinforcement Learning"), Topic(slug="vision", name="Vision & Multimodal")]


def paper(number: int, title: str, authors: tuple[str, ...], slug: str = "rl") -> Paper:
    return Paper(
        id=f"2611.{number:05d}", title=title, abstract="Not indexed: abstracts stay out.",
        added=dt.date(2026, 11, 28), source="test", authors=authors, arxiv_id=f"2611.{number:05d}",
        topics=(TopicMatch(slug, 3.0),),
    )


def lookup(files: dict[str, bytes], query: str) -> list[str]:
    """What the worker does: intersect the prefix matches of every query word, return locations."""
    manifest = json.loads(files[f"{INDEX_DIR}/manifest.json"])
    found: set[int] | None = None
    for word in words(query):
        matches: set[int] = set()
        if shard_key(word) in manifest["shards"]:
            shard = json.loads(files[f"{INDEX_DIR}/t/{shard_key(word)}.json"])
            for term, gaps in shard.items():
                if term.startswith(word):
                    total = 0
                    for gap in gaps:
                        total += gap
                        matches.add(total >> 1)
        found = matches if found is None else found & matches
    documents = []
    for number in sorted(found or ()):
        shard = json.loads(files[f"{INDEX_DIR}/d/{number // DOCS_PER_SHARD}.json"])
        documents.append(shard[number % DOCS_PER_SHARD][0])
    return documents


PAPERS = [
    paper(i, f"Paper number {i} about {'bandits' if i % 2 else 'segmentation'}", (f"Author{i} Smith", "Jörg Schölkopf"))
    for i in range(150)
]
PAPERS.append(paper(150, "Sharper Bounds for k-NN Regression", ("Ivo Petrov", "Jun Park"), "vision"))


def test_every_paper_is_found_by_each_title_word_and_author_name() -> None:
    files = build_index(PAPERS, TOPICS)
    for item in PAPERS[::17] + PAPERS[-1:]:
        location = f"papers/{item.id}/"
        for word in words(item.title) + words(" ".join(item.authors)):
            assert location in lookup(files, word), (item.title, word)


def test_prefixes_several_words_accents_and_topics() -> None:
    files = build_index(PAPERS, TOPICS)
    assert lookup(files, "sharp") == ["papers/2611.00150/"]
    assert lookup(files, "petrov park") == ["papers/2611.00150/"]
    assert lookup(files, "Scholkopf number 17") == ["papers/2611.00017/"]  # accents do not matter
    assert lookup(files, "vision") == ["papers/2611.00150/"]
    assert len(lookup(files, "reinforcement")) == 150
    assert lookup(files, "abstracts") == []  # abstracts are not indexed: the index stays small


def test_documents_are_escaped_html_and_shards_are_small() -> None:
    hostile = paper(1, "<script>alert(1)</script> & co", ("<b>Mallory</b>",))
    files = build_index([hostile], TOPICS)
    location, title, details = json.loads(files[f"{INDEX_DIR}/d/0.json"])[0]
    assert title == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in details and "<" not in details
    assert location == "papers/2611.00001/"


def test_the_index_is_deterministic_and_sharded_by_prefix() -> None:
    one = build_index(PAPERS, TOPICS)
    two = build_index(list(PAPERS), list(TOPICS))
    assert one == two
    assert f"{INDEX_DIR}/t/sh.json" in one and f"{INDEX_DIR}/d/2.json" in one
    assert shard_key("ünïcode") == "_fcn"
    largest = max(len(data) for path, data in one.items() if "/t/" in path)
    assert largest < sum(len(data) for path, data in one.items() if "/t/" in path) / 3


def test_a_newer_issue_leaves_the_older_papers_document_shards_as_they_were(tmp_path: Path) -> None:
    """Papers are numbered oldest first, so a daily issue only appends: browsers keep their cached shards."""
    project = make_project(tmp_path / "p")  # the seed: 119 papers, document shards 0 (full) and 1
    run_digest("build", "--quiet", cwd=project)
    shards = project / "content" / INDEX_DIR / "d"
    before = {path.name: path.read_bytes() for path in shards.glob("*.json")}
    assert len(before) == 2
    newer = [{"title": f"A Newer Paper on Topic {n}", "abstract": "Fresh.", "arxiv": f"2611.9{n:04d}"}
             for n in range(5)]
    (project / "data" / "issues" / "2026-11-28.json").write_text(
        json.dumps({"date": "2026-11-28", "papers": newer}), encoding="utf-8"
    )
    run_digest("build", "--quiet", cwd=project)
    after = {path.name: path.read_bytes() for path in shards.glob("*.json")}
    assert after["0.json"] == before["0.json"]  # the 64 oldest papers: not one byte changed
    assert after["1.json"] != before["1.json"]  # the newer papers were appended to the last shard
    content = project / "content"
    files = {str(path.relative_to(content)): path.read_bytes() for path in (content / INDEX_DIR).rglob("*.json")}
    assert len(lookup(files, "newer paper topic")) == 5  # and they are found
