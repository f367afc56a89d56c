"""Stable ids and merging of duplicates across issues."""

import datetime as dt
import itertools
from pathlib import Path

import pytest

from generator.curation import Curation, Entry, apply_curation
from generator.errors import Problem
from generator.merge import group_issues, merge_papers
from generator.model import Paper, normalize_arxiv_id, paper_id


def record(title: str, day: int, arxiv: str | None = None, source: str = "f", **fields: object) -> Paper:
    return Paper(
        id=paper_id(title, arxiv), title=title, abstract=str(fields.pop("abstract", "")),
        added=dt.date(2026, 11, day), source=source, arxiv_id=arxiv, **fields,  # type: ignore[arg-type]
    )


def test_arxiv_ids_lose_their_version_and_urls_are_understood() -> None:
    assert normalize_arxiv_id("2401.01234v3") == "2401.01234"
    assert normalize_arxiv_id("https://arxiv.org/abs/2401.01234v2") == "2401.01234"
    assert normalize_arxiv_id("http://arxiv.org/pdf/2401.01234v1.pdf") == "2401.01234"
    assert normalize_arxiv_id("arXiv:hep-th/9901001v2") == "hep-th/9901001"
    assert normalize_arxiv_id("not an id") is None
    assert paper_id("x", "hep-th/9901001") == "hep-th-9901001"


def test_title_hash_ids_ignore_case_spacing_and_punctuation() -> None:
    assert paper_id("Attention Is All You Need", None) == paper_id("  attention is all you need. ", None)
    assert paper_id("Attention Is All You Need", None) != paper_id("Attention Is Not All You Need", None)


def test_same_paper_in_two_issues_appears_once_dated_by_the_first() -> None:
    papers = [record("A Paper", 27, abstract="later"), record("A Paper", 20, abstract="first")]
    (merged,) = merge_papers(papers)
    assert merged.added == dt.date(2026, 11, 20)
    assert merged.abstract == "first"


def test_merge_does_not_depend_on_input_order() -> None:
    papers = [
        record("A Paper", 27, "2401.00001", source="b", code="https://c"),
        record("A Paper", 20, source="a"),
        record("Other", 22, "2401.00002"),
        record("Other", 21, "2401.00002", source="z", pdf="https://p"),
    ]
    results = {repr(merge_papers(list(order))) for order in itertools.permutations(papers)}
    assert len(results) == 1
    merged = {paper.title: paper for paper in merge_papers(papers)}
    # First seen without arXiv id: the published id is kept, the arXiv id is added.
    assert merged["A Paper"].id == paper_id("A Paper", None)
    assert merged["A Paper"].arxiv_id == "2401.00001"
    assert merged["A Paper"].aliases == ("2401.00001",)
    assert merged["A Paper"].code == "https://c"
    assert merged["Other"].added == dt.date(2026, 11, 21)
    assert merged["Other"].pdf == "https://p"


def test_different_arxiv_ids_stay_distinct_even_with_equal_titles() -> None:
    papers = [record("Survey", 20, "2401.00001"), record("Survey", 21, "2401.00002")]
    assert len(merge_papers(papers)) == 2


def test_an_old_style_id_with_its_subject_class_is_the_same_paper_as_without() -> None:
    # References cite math.GT/0309136, arXiv's API and bulk metadata write math/0309136: one paper, one page.
    papers = [record("Knots and links", 20, "math.GT/0309136", abstract="first"),
              record("Knots and Links.", 27, "math/0309136", source="g", abstract="the longer abstract")]
    for order in (papers, papers[::-1]):
        (merged,) = merge_papers(list(order))
        assert merged.id == "math.GT-0309136"  # the first listing's id: its page stays where it was published
        assert "math-0309136" in merged.aliases
        assert merged.abstract == "the longer abstract"
    curation = Curation("c.yml", [Entry("math/0309136", 1, "withdrawn")])
    visible, hidden, problems = apply_curation(merge_papers(papers), curation)
    assert (visible, [h.paper.id for h in hidden], problems) == ([], ["math.GT-0309136"], [])


FOLDING = ("We fold proteins with diffusion models and measure their limits on crystal structures released after the"
           " models were trained, with ablations of the sampler, the noise schedule and the size of the network.")
ALIGNMENT = ("A framework for aligning chat assistants across many languages, with a benchmark of forty tasks and a"
             " study of how alignment transfers between languages written in different scripts, from English to Thai.")


def test_two_papers_of_one_title_read_as_one_are_noted() -> None:
    # A pasted listing with two papers called "Introduction": one id, one record; the maintainer must hear of it.
    papers = [record("Introduction", 20, source="list.txt:1", abstract=ALIGNMENT),
              record("Introduction", 20, source="list.txt:4", abstract=FOLDING),
              record("Introduction.", 27, "2401.00001", source="later.yaml: item 1", abstract=FOLDING + " v2")]
    notes: list[Problem] = []
    (merged,) = merge_papers(papers, notes)
    assert [note.path for note in notes] == ["list.txt:4", "later.yaml: item 1"]
    assert all("list.txt:1" in note.message and merged.id in note.message for note in notes)
    # The same paper's revised abstract, or a short note in place of one, is no other paper.
    revised = FOLDING.replace("measure their limits", "study their limits").replace("the size", "the depth")
    notes.clear()
    merge_papers([record("Folding", 20, abstract=FOLDING), record("Folding", 21, "2401.00002", abstract=revised),
                  record("Folding", 22, abstract="Great paper.")], notes)
    assert notes == []


def test_two_papers_of_one_title_linked_by_hugging_face_do_not_share_the_titles_page() -> None:
    # Each kept the page its title gave it in earlier versions (an alias): two pages at one path stopped the build.
    title_page = (paper_id("Attention Is All You Need", None),)
    papers = [record("Attention Is All You Need", 21, "2502.00001", source="b", aliases=title_page),
              record("Attention Is All You Need", 20, "1706.03762", source="a", aliases=title_page)]
    for order in (papers, papers[::-1]):
        merged = {paper.id: paper for paper in merge_papers(list(order))}
        assert merged["1706.03762"].aliases == title_page  # the first listed
        assert merged["2502.00001"].aliases == ()


def test_issues_are_newest_first_with_the_papers_they_first_listed() -> None:
    papers = merge_papers([record("A", 20), record("B", 27), record("A", 27)])
    issues = group_issues(papers)
    assert [issue.date.day for issue in issues] == [27, 20]
    assert issues[0].paper_ids == (paper_id("B", None),)


def test_merge_does_not_depend_on_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two folders of lists, one not below the folder `digest build --config` ran from: display paths are relative
    only when below it, and sorting them chose the other record's title (and abstract) of one paper."""
    from generator.sources import read_all

    site = tmp_path / "site"
    lists = {"data/issues/2026-11-20.yaml": "Sparse Mixtures of Experts",
             "zarchive/2026-11-20.yaml": "Sparse mixtures of experts"}
    for name, title in lists.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"- title: {title}\n  abstract: The same words.\n", encoding="utf-8")
    titles = []
    for folder in (site, site / "data"):
        monkeypatch.chdir(folder)
        results, _ = read_all([site / "data" / "issues", site / "zarchive"])
        (merged,) = merge_papers(paper for result in results for paper in result.papers)
        titles.append(merged.title)
    assert titles[0] == titles[1]


def test_the_newest_arxiv_version_gives_the_title_abstract_and_comment_together() -> None:
    # Version 1 from an arXiv API import, Hugging Face's record the same day, version 2 (renamed, a shorter abstract)
    # in a later issue: the page showed version 2's title over version 1's abstract and comment, and the "Updated" date
    # of whichever record had most fields.
    first = record("Invented Models of Everything", 20, "2503.01234", source="a",
                   abstract="Version one's abstract, long.", comment="12 pages",
                   pdf="http://arxiv.org/pdf/2503.01234v1", updated=dt.date(2025, 3, 3),
                   published=dt.date(2025, 3, 3), categories=("cs.CL",))
    daily = record("Invented Models of Everything", 20, "2503.01234", source="b", abstract="Version one's abstract.",
                   code="https://github.com/example/models", upvotes=30, published=dt.date(2025, 3, 3),
                   keywords=("models",), tldr="Invented.", organization="Example")
    renamed = record("Renamed Invented Models", 27, "2503.01234", source="c", abstract="Version two's.",
                     comment="v2: renamed", pdf="http://arxiv.org/pdf/2503.01234v2", updated=dt.date(2025, 3, 7))
    for order in itertools.permutations([first, daily, renamed]):
        (merged,) = merge_papers(list(order))
        assert (merged.id, merged.added) == ("2503.01234", dt.date(2026, 11, 20))
        assert (merged.title, merged.abstract, merged.comment) == ("Renamed Invented Models", "Version two's.",
                                                                   "v2: renamed")
        assert (merged.pdf, merged.updated) == ("http://arxiv.org/pdf/2503.01234v2", dt.date(2025, 3, 7))
        assert merged.code == "https://github.com/example/models" and merged.upvotes == 30
        assert merged.first_listed is not None and merged.first_listed[0] == "Invented Models of Everything"
    # A withdrawal (arXiv's newest version) is what the page says, not the abstract of the version before it.
    withdrawn = record("Invented Models of Everything", 27, "2503.01234", source="c", updated=dt.date(2025, 3, 9),
                       abstract="This paper has been withdrawn by the author due to an error.",
                       comment="This paper has been withdrawn by the author due to an error")
    (merged,) = merge_papers([first, daily, withdrawn])
    assert merged.comment == withdrawn.comment and merged.abstract == withdrawn.abstract
    # Records of one version (or none dated) merge as before: the longest abstract, the richest record's title.
    (merged,) = merge_papers([first, daily])
    assert (merged.abstract, merged.comment, merged.updated) == (first.abstract, "12 pages", dt.date(2025, 3, 3))


def test_records_of_one_arxiv_version_keep_the_longest_abstract_whichever_is_listed_first() -> None:
    # Two records of the same version (arXiv's API and its bulk metadata, both dated): no newer version to follow, so
    # the longest abstract and the richest record's comment stay, in any order (the first listed gave its own).
    api = record("Invented Models of Everything", 20, "2503.01234", source="a", abstract="Version one's abstract.",
                 updated=dt.date(2025, 3, 3))
    bulk = record("Invented Models of Everything", 20, "2503.01234", source="b", updated=dt.date(2025, 3, 3),
                  abstract="Version one's abstract, with its second sentence.", comment="12 pages")
    for order in ([api, bulk], [bulk, api]):
        (merged,) = merge_papers(order)
        assert (merged.abstract, merged.comment) == (bulk.abstract, "12 pages")
