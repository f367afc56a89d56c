"""Property tests: readers never crash on anything and read every well-formed record, escaping always
shows the text, no paper is ever lost.

Example counts are modest and fixed so ``make test`` stays fast and repeatable; ``make fuzz`` explores.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import DigestError
from generator.escape import WHITESPACE, text
from generator.merge import group_issues, merge_papers
from generator.model import is_safe_id, title_key
from generator.sources import FORMATS, READERS, read_all
from generator.sources.common import ReadResult, clean_text
from generator.sources.listing import _page_text
from tests.test_escape import TextOf

EVERY_READER = sorted(set(READERS.values()), key=lambda reader: reader.__name__)
BANNER = b"Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n"


def read_safely(reader: Any, data: bytes) -> ReadResult | None:
    """Run a reader; our own error type is allowed, anything else fails the test."""
    try:
        result = reader(data, "fuzz")
    except DigestError:
        return None
    assert isinstance(result, ReadResult)
    for paper in result.papers:
        for value in (paper.title, paper.abstract, *paper.authors):
            assert clean_text(value)[0] == value  # no control characters left for pages and feeds
            value.encode("utf-8")  # no lone surrogates
        assert paper.title.strip()
        assert is_safe_id(paper.id)
    return result


@given(st.binary(max_size=2000))
def test_every_reader_survives_arbitrary_bytes(data: bytes) -> None:
    for reader in EVERY_READER:
        read_safely(reader, data)


@given(st.text(max_size=1000))
def test_every_reader_survives_arbitrary_text(value: str) -> None:
    for reader in EVERY_READER:
        read_safely(reader, value.encode("utf-8", errors="surrogatepass"))
        read_safely(reader, BANNER + value.encode("utf-8", errors="surrogatepass"))


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
    st.sampled_from(["2026-11-28", "2026-13-45", "2410.00907v2", "https://arxiv.org/abs/2410.00907", "javascript:x"]),
)
FIELDS = st.sampled_from(["title", "abstract", "authors", "url", "arxiv", "pdf", "code", "date", "papers", "x"])
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.one_of(FIELDS, st.text(max_size=5)), children, max_size=6)
    ),
    max_leaves=30,
)


@given(VALUES)
def test_structured_readers_survive_any_document_shape(document: Any) -> None:
    encoded_json = json.dumps(document, allow_nan=True).encode("utf-8", errors="surrogatepass")
    encoded_yaml = yaml.safe_dump(document, allow_unicode=True).encode("utf-8", errors="surrogatepass")
    for reader in EVERY_READER:
        read_safely(reader, encoded_json)
        read_safely(reader, encoded_yaml)


@given(st.text(max_size=300))
def test_escaped_text_renders_as_exactly_that_text(value: str) -> None:
    cleaned, _ = clean_text(value)  # what every reader hands on
    parser = TextOf()
    parser.feed(markdown.markdown(f"- {text(cleaned)}", extensions=["tables", "toc"]))
    assert "".join(parser.parts).strip() == WHITESPACE.sub(" ", cleaned).strip()
    assert set(parser.tags) <= {"ul", "li"}


# --- Well-formed input is read ----------------------------------------------------------------
# A reader that refused everything would pass the tests above (an error is allowed for any input):
# well-formed records, in every format, must come out as they went in, with no problem.

PLAIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,:()?", min_size=1, max_size=12)
SENTENCE = st.lists(PLAIN, min_size=1, max_size=12).map(" ".join)
NAMES = st.lists(st.tuples(PLAIN.filter(str.isalpha), PLAIN.filter(str.isalpha)).map(" ".join), max_size=4)


@st.composite
def well_formed_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(min_value=1, max_value=5))
    return [
        # A listing's first line loses a leading "Subscribe" (the page's button, pasted glued to the first title;
        # README, "Paper lists"), so no title starts with it here, as in tests/test_listing.py. Hypothesis draws
        # string constants from the code under test, so it does try "Subscribe" as a word.
        {"title": f"{draw(SENTENCE.filter(lambda s: not s.startswith('Subscribe')))} study {number}",
         "abstract": draw(SENTENCE) + ".", "authors": draw(NAMES),
         "arxiv": f"2501.{number + 10000:05d}"}
        for number in range(count)
    ]


def as_format(name: str, records: list[dict[str, Any]]) -> bytes:
    plain = [{"title": r["title"], "abstract": r["abstract"], "authors": r["authors"]} for r in records]
    if name == "listing":
        return BANNER + "".join(f"{r['title']}\n{r['abstract']}\n" for r in records).encode()
    if name == "yaml":
        return yaml.safe_dump(plain).encode()
    if name == "json":
        return json.dumps(plain).encode()
    if name == "jsonl":
        return "".join(json.dumps(item) + "\n" for item in plain).encode()
    if name == "hf":
        return json.dumps([{"paper": {"id": r["arxiv"], "title": r["title"], "summary": r["abstract"],
                                      "authors": [{"name": n, "hidden": False} for n in r["authors"]],
                                      "publishedAt": "2025-01-15T12:00:00.000Z"}} for r in records]).encode()
    if name == "arxiv":
        entries = "".join(
            f"<entry><id>http://arxiv.org/abs/{r['arxiv']}v1</id><published>2025-01-15T12:00:00Z</published>"
            f"<title>{r['title']}</title><summary>{r['abstract']}</summary>"
            + "".join(f"<author><name>{n}</name></author>" for n in r["authors"]) + "</entry>"
            for r in records
        )
        return f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode()
    assert name == "bibtex"
    return "".join(
        f"@misc{{key{number},\n  title = {{{r['title']}}},\n  abstract = {{{r['abstract']}}},\n"
        + (f"  author = {{{' and '.join(r['authors'])}}},\n" if r["authors"] else "") + "}\n"
        for number, r in enumerate(records)
    ).encode()


@given(well_formed_records())
def test_every_reader_reads_every_well_formed_record(records: list[dict[str, Any]]) -> None:
    for name, reader in sorted(FORMATS.items()):
        result = reader(as_format(name, records), "fuzz")
        assert [str(problem) for problem in result.problems] == [], name
        assert [(p.title, p.abstract) for p in result.papers] == [(r["title"], r["abstract"]) for r in records], name
        if name != "listing":  # a pasted listing has no authors
            assert [list(p.authors) for p in result.papers] == [r["authors"] for r in records], name


# --- No loss ---------------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -:,.'()éü"
WORDS = st.text(alphabet=LETTERS, min_size=1, max_size=30)


@st.composite
def archives(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[tuple[str, dt.date, list[int]]]]:
    """Distinct papers, and issue files (name, date, indices of the papers they list) covering every paper."""
    count = draw(st.integers(min_value=1, max_value=12))
    papers = []
    for number in range(count):
        words = draw(WORDS).strip() or "x"
        arxiv = f"2401.{number:05d}" if draw(st.booleans()) else None
        abstract = (draw(WORDS).strip() or "x") + "."  # an abstract ends a sentence (read_listing relies on it)
        title = f"{words} paper{number}"
        if _page_text(title):  # a page's own line ("Submitted by paper3"), which a pasted listing leaves out
            title = f"On {title}"
        papers.append({"title": title, "abstract": abstract, "arxiv": arxiv})
    dates = draw(st.lists(st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)), min_size=1, max_size=5))
    files = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        listed = draw(st.lists(st.integers(0, count - 1), max_size=count))
        files.append((draw(st.sampled_from(["txt", "yaml", "json"])), draw(st.sampled_from(dates)), listed))
    # Every paper is listed at least once, in a file of one of the drawn dates.
    for index in range(count):
        if not any(index in listed for _, _, listed in files):
            files.append((draw(st.sampled_from(["txt", "yaml", "json"])), draw(st.sampled_from(dates)), [index]))
    return papers, files


def write_issue_file(folder: Path, number: int, kind: str, date: dt.date, papers: list[dict[str, Any]]) -> None:
    path = folder / f"{date.isoformat()}-{number:02d}.{kind}"
    if kind == "txt":
        body = "".join(f"{paper['title']}\n{paper['abstract']}\n" for paper in papers)
        path.write_text(BANNER.decode() + body, encoding="utf-8")
        return
    items = [{key: value for key, value in paper.items() if value is not None} for paper in papers]
    if kind == "json":
        path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")


@given(archives(), st.randoms(use_true_random=False))
def test_every_paper_appears_exactly_once_with_its_first_seen_date(drawn: Any, shuffle: random.Random) -> None:
    papers, files = drawn
    order = list(enumerate(files))
    shuffle.shuffle(order)  # files are created in a random order
    with tempfile.TemporaryDirectory() as folder:
        for number, (kind, date, listed) in order:
            write_issue_file(Path(folder), number, kind, date, [papers[index] for index in listed])
        results, problems = read_all([Path(folder)])
    assert problems == []
    merged = merge_papers(record for result in results for record in result.papers)
    by_key = {title_key(paper.title): paper for paper in merged}
    assert len(merged) == len(papers) == len(by_key)
    for index, expected in enumerate(papers):
        paper = by_key[title_key(expected["title"])]
        first_seen = min(date for _, date, listed in files if index in listed)
        assert paper.added == first_seen
        assert paper.title == " ".join(expected["title"].split())  # a title is one line, its spaces single
        if expected["arxiv"] and any(kind != "txt" and index in listed for kind, _, listed in files):
            assert paper.arxiv_id == expected["arxiv"]
    issues = group_issues(merged)
    listed_ids = [paper_id for issue in issues for paper_id in issue.paper_ids]
    assert sorted(listed_ids) == sorted(paper.id for paper in merged)
