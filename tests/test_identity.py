"""One record per paper across sources: published ids never change, nothing is lost, near-duplicates flagged."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.merge import merge_papers, possible_duplicates
from generator.model import Paper, paper_id
from generator.sources import read_all
from tests.conftest import SMALL, make_project, mkdocs_build, run_digest
from tests.pages import paper_articles

SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"


def record(title: str, day: int, arxiv: str | None = None, source: str = "f", **fields: object) -> Paper:
    return Paper(
        id=paper_id(title, arxiv), title=title, abstract=str(fields.pop("abstract", "")),
        added=dt.date(2026, 11, day), source=source, arxiv_id=arxiv, **fields,  # type: ignore[arg-type]
    )


def test_a_listing_paper_keeps_its_id_when_arxiv_and_hf_later_supply_the_arxiv_id() -> None:
    listing = record("Attention Is All You Need", 20, source="listing", abstract="Short.")
    arxiv = record("Attention is all you need", 27, "1706.03762", source="arxiv", abstract="A much longer abstract.",
                   categories=("cs.CL",), comment="15 pages")
    daily = record("Attention Is All You Need", 28, "1706.03762", source="hf", upvotes=12)
    again = record("Attention Is All You Need", 29, "1706.03762", source="hf2", upvotes=30)
    (paper,) = merge_papers([daily, again, arxiv, listing])
    assert paper.id == paper_id("Attention Is All You Need", None)  # the first, published id
    assert paper.added == dt.date(2026, 11, 20)
    assert paper.arxiv_id == "1706.03762"
    assert paper.aliases == ("1706.03762",)
    # Fields come from the richest record; upvotes are the highest seen.
    assert paper.abstract == "A much longer abstract."
    assert paper.categories == ("cs.CL",) and paper.comment == "15 pages"
    assert paper.upvotes == 30


def test_equal_titles_with_different_arxiv_ids_stay_two_papers_and_are_flagged() -> None:
    survey = "A Survey of Agents"
    papers = merge_papers([record(survey, 20, "2401.00001"), record(survey, 21, "2402.00002")])
    assert [paper.id for paper in papers] == ["2401.00001", "2402.00002"]
    (problem,) = possible_duplicates(papers)
    assert "possible duplicate: paper 2401.00001" in problem.message and "paper 2402.00002" in problem.message


def test_near_duplicate_titles_are_reported_but_not_merged() -> None:
    papers = merge_papers([
        record("Scaling Laws for Neural Language Models", 20, "2001.08361"),
        record("Scaling Law for Neural Language Models", 21),
        record("Scaling Laws for Autoregressive Generative Modeling", 22, "2010.14701"),
    ])
    assert len(papers) == 3
    problems = possible_duplicates(papers)
    assert len(problems) == 1
    assert "2001.08361" in problems[0].message and "'Scaling Law for Neural Language Models'" in problems[0].message
    # A maintainer who says they are distinct silences the report.
    pair = frozenset(paper.id for paper in papers if "Neural" in paper.title)
    assert possible_duplicates(papers, [pair]) == []


def test_nearly_equal_titles_under_two_arxiv_ids_are_two_papers_and_not_flagged() -> None:
    """arXiv numbered them as two papers and their titles name two: every pair "nearly the same title" of a real archive
    of 9,877 Hugging Face daily papers (33 of them, on every build, failing --strict) was such a pair."""
    papers = merge_papers([
        record("Qwen2.5 Technical Report", 20, "2412.15115"),
        record("Qwen2.5-VL Technical Report", 21, "2502.13923"),
        record("Nemotron 3 Nano: Open, Efficient Hybrid Models", 22, "2512.20848"),
        record("Nemotron 3 Super: Open, Efficient Hybrid Models", 23, "2604.12374"),
    ])
    assert len(papers) == 4 and possible_duplicates(papers) == []
    # Without an arXiv id on one side, nearly equal titles are still worth a look.
    papers = merge_papers([record("Qwen2.5 Technical Report", 20, "2412.15115"),
                           record("Qwen2.5-VL Technical Report", 21)])
    (problem,) = possible_duplicates(papers)
    assert "'Qwen2.5-VL Technical Report'" in problem.message


def test_titles_that_differ_by_an_invisible_character_are_flagged_and_keep_their_ids() -> None:
    # A zero-width space or a soft hyphen (pasted from a PDF) splits a word for title_key: two papers, unflagged.
    titles = ["Zero\u200bShot Reasoning in Small Models", "ZeroShot Reasoning in Small Models",
              "Hyphen\u00adation of Chemical Names", "Hyphenation of Chemical Names"]
    papers = merge_papers([record(title, 20 + n) for n, title in enumerate(titles)])
    assert [paper.id for paper in papers] == sorted(paper_id(title, None) for title in titles)  # ids as before
    problems = possible_duplicates(papers)
    assert len(problems) == 2 and all("possible duplicate" in problem.message for problem in problems)


def test_the_same_paper_from_every_fixture_format_is_one_record(tmp_path: Path) -> None:
    for name in ("2026-11-28-arxiv.xml", "2026-11-29-reading-list.bib", "2026-11-30-reading-list.jsonl"):
        shutil.copy(SOURCES / name, tmp_path / name)
    results, _ = read_all([tmp_path])
    papers = merge_papers(paper for result in results for paper in result.papers)
    attention = [paper for paper in papers if paper.arxiv_id == "1706.03762"]
    assert len(attention) == 1
    assert attention[0].added == dt.date(2026, 11, 28)
    assert attention[0].categories == ("cs.CL", "cs.LG")  # from arXiv, the richest source
    assert attention[0].authors[:2] == ("Ashish Vaswani", "Noam Shazeer")


titles = st.sampled_from(["Alpha Paper", "Beta Paper", "Gamma Paper", "alpha paper!"])
arxiv_ids = st.sampled_from([None, "2401.00001", "2401.00002", "2401.00003"])
records = st.builds(record, titles, st.integers(1, 28), arxiv_ids, st.sampled_from("abc"))


@settings(max_examples=150, deadline=None)
@given(st.lists(records, max_size=8), st.lists(records, max_size=8))
def test_adding_a_source_never_loses_a_paper_or_changes_a_published_id(
    earlier: list[Paper], later: list[Paper]
) -> None:
    # A later source's records are dated after every earlier issue.
    later = [record(p.title, 29, p.arxiv_id, p.source) for p in later]
    before = merge_papers(earlier)
    after = merge_papers(earlier + later)
    after_names = {name for paper in after for name in (paper.id, *paper.aliases)}
    after_ids = {paper.id for paper in after}
    for paper in before:
        assert paper.id in after_ids, "a published id disappeared"
    assert len(after) >= len(before)
    assert {p.id for p in before} <= after_names


@settings(max_examples=150, deadline=None)
@given(st.lists(records, min_size=1, max_size=8), st.lists(st.tuples(titles, st.sampled_from("0abz")), max_size=6),
       st.data())
def test_a_partial_day_listing_papers_by_title_alone_changes_no_id(
    earlier: list[Paper], later: list[tuple[str, str]], data: st.DataObject
) -> None:
    # A file added later for a day already out, whatever its name sorts like, lists papers without arXiv ids, on
    # or after the day each was first listed (one dated before it moves the paper to that issue: README, "Identity").
    days = sorted({paper.added.day for paper in earlier})
    added = []
    for title, source in later:
        first = min((p.added.day for p in earlier if p.title.casefold().strip("!") == title.casefold().strip("!")),
                    default=1)
        added.append(record(title, data.draw(st.sampled_from([day for day in days if day >= first] or [28])),
                            None, source))
    before = {paper.id for paper in merge_papers(earlier)}
    assert before <= {paper.id for paper in merge_papers(earlier + added)}


def test_a_partial_day_never_shrinks_the_built_archive(tmp_path: Path) -> None:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    first = run_digest("build", "--quiet", cwd=project)
    assert first.returncode == 0
    before = set(paper_articles(project / "content"))
    # A later, partial day lists one known paper again and one new paper.
    (project / "issues" / "2026-11-28.json").write_text(
        '[{"title": "Addition is All You Need for Energy-efficient Language Models", "abstract": "again",'
        ' "arxiv": "2410.00907"}, {"title": "A New Paper", "abstract": "New."}]',
        encoding="utf-8",
    )
    run_digest("build", "--quiet", cwd=project)
    after = set(paper_articles(project / "content"))
    assert before < after
    assert len(after - before) == 1


def test_many_papers_with_one_title_are_reported_once_not_pair_by_pair() -> None:
    papers = merge_papers([record("Untitled Working Draft", 20, f"2401.{n:05d}") for n in range(25)])
    assert len(papers) == 25
    problems = possible_duplicates(papers)
    assert len(problems) == 1
    assert "possible duplicates: 25 papers have nearly the title 'untitled working draft'" in problems[0].message


YAML_RECORD = """date: 2026-11-28
papers:
  - title: Addition is All You Need for Energy-efficient Language Models
    abstract: Large neural networks spend most computation on ...
    authors: [Hongyin Luo, Wei Sun]
    arxiv: 2410.00907
"""
ARXIV_RECORD = """<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/abs/2410.00907v2</id>
    <published>2024-10-01T17:53:28Z</published>
    <title>Addition is All You Need for Energy-efficient Language Models</title>
    <summary>Large neural networks spend most computation on ...</summary>
    <author><name>Hongyin Luo</name></author>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CL"/>
  </entry>
</feed>
"""


def test_merging_keeps_the_fuller_author_list_and_notes_the_disagreement(tmp_path: Path) -> None:
    """The README's YAML and arXiv examples of one paper: the arXiv record is richer but lists one author."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    for old in (project / "issues").iterdir():
        old.unlink()
    (project / "issues" / "2026-11-28.yaml").write_text(YAML_RECORD, encoding="utf-8")
    (project / "issues" / "2026-11-29-arxiv.xml").write_text(ARXIV_RECORD, encoding="utf-8")
    result = run_digest("build", "--strict", cwd=project)  # a note is not a problem: --strict still builds
    (article,) = paper_articles(project / "content").values()
    assert "Hongyin Luo, Wei Sun" in article
    assert result.stderr == (
        "issues/2026-11-29-arxiv.xml: item 1: note: the sources of paper 2410.00907 ('Addition is All You Need for"
        " Energy-efficient Language Models') disagree on its authors: kept the 2 of issues/2026-11-28.yaml: item 1"
        " (Hongyin Luo, Wei Sun), not the 1 here\n"
    )
    assert "0 problems, 1 note." in result.stdout


def test_authors_written_differently_are_no_disagreement() -> None:
    notes: list[object] = []
    merge_papers([
        record("One Paper", 20, "2401.00001", source="a.bib:3", authors=("Luo, Hongyin", "Sun, Wei")),
        record("One Paper", 21, "2401.00001", source="b.json: item 1", authors=("Hongyin Luo", "WEI SUN")),
    ], notes)  # type: ignore[arg-type]
    assert notes == []


@pytest.mark.slow
def test_a_later_file_of_the_same_day_keeps_ids_and_a_changed_id_leaves_a_page_that_sends_readers_on(
    tmp_path: Path,
) -> None:
    """A partial day whose file name sorts first (``-`` before ``.``) listed a published arXiv paper by title
    alone, and the paper took the title's id: its page went away and its feed entry came again as new."""
    project = make_project(tmp_path / "site", site_url="https://example.org/digest/")
    issues = project / "data" / "issues"
    for path in issues.iterdir():
        path.unlink()
    title = "Scaling Sparse Mixture of Experts for Protein Design"
    abstract = "We scale sparse mixture of experts models to design proteins and report large gains."
    (issues / "2026-04-10.yaml").write_text(
        f"date: 2026-04-10\npapers:\n  - title: {title}\n    abstract: {abstract}\n    arxiv: '2604.01234'\n",
        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    feed = (project / "content" / "atom.xml").read_text(encoding="utf-8")
    assert "paper/2604.01234</id>" in feed
    (issues / "2026-04-10-extra.txt").write_text(f"{title}\n{abstract}\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    assert (project / "content" / "atom.xml").read_text(encoding="utf-8") == feed
    # An earlier issue listing it by title gives it that issue's date and the title's id (the first listing
    # names a paper); the address published before stays, sending readers to the page.
    (issues / "2026-04-01.txt").write_text(f"{title}\n{abstract}\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    site = mkdocs_build(project)
    new_id = paper_id(title, None)
    assert (site / "papers" / new_id / "index.html").exists()
    moved = (site / "papers" / "2604.01234" / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=../{new_id}/">' in moved
    assert f'<link rel="canonical" href="https://example.org/digest/papers/{new_id}/">' in moved
    assert f'<a href="../{new_id}/">{title}</a>' in moved and "noindex" in moved
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"papers/{new_id}/" in sitemap and "papers/2604.01234/" not in sitemap


def test_a_page_dropped_with_the_list_that_first_listed_its_paper_is_explained_and_can_stay(tmp_path: Path) -> None:
    """Deleting the issue that pasted a paper by title alone gave it its arXiv id's page: the note said a title had
    been edited (it had not) and nothing could keep the published address."""
    project = make_project(tmp_path / "site")
    issues = project / "data" / "issues"
    title = "Scaling Sparse Mixture of Experts for Protein Design"
    abstract = "We scale sparse mixture of experts models to design proteins and report large gains."
    (issues / "2026-04-01.txt").write_text(f"{title}\n{abstract}\n", encoding="utf-8")
    (issues / "2026-04-10.yaml").write_text(
        f"papers:\n  - title: {title}\n    abstract: {abstract}\n    arxiv: '2604.01234'\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    old_id = paper_id(title, None)
    assert old_id in paper_articles(project / "content")
    (issues / "2026-04-01.txt").unlink()
    result = run_digest("build", cwd=project)
    note = next(line for line in result.stderr.splitlines() if line.startswith(f"papers/{old_id}/: note:"))
    assert "papers/2604.01234/ now" in note and f"`formerly: [{old_id}]`" in note and "title edited" not in note
    (project / "data" / "curation.yml").write_text(f"papers:\n  2604.01234:\n    formerly: [{old_id}]\n",
                                                   encoding="utf-8")
    (project / "digest.yml").write_text("feeds:\n  limit: 200\n", encoding="utf-8")  # the seed's issue is newer
    result = run_digest("build", cwd=project)
    assert "matches no paper" not in result.stderr and "unknown field" not in result.stderr
    page = (project / "content" / "papers" / old_id / "index.html").read_text(encoding="utf-8")
    assert 'url=../2604.01234/' in page
    # Its feed entries keep the id they were published under, so feed readers do not show the paper again.
    ids = feed_ids(project)
    assert f"tag:paper-digest.github.io,2026:paper/{old_id}" in ids
    assert "tag:paper-digest.github.io,2026:paper/2604.01234" not in ids


def feed_ids(project: Path) -> list[str]:
    """The entry ids of the site's Atom feed."""
    parsed = feedparser.parse((project / "content" / "atom.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return [entry.id for entry in parsed.entries]


def test_a_title_edited_in_its_list_keeps_its_feed_entry_with_formerly(tmp_path: Path) -> None:
    """A typo fixed in a paper list gives a paper without an arXiv id another id, and the build's note names the
    dropped page; `formerly:` kept the page, but the paper's feed entry took the new id, so every feed reader showed
    the paper a second time. The entry keeps the id it was published under."""
    project = make_project(tmp_path / "site")
    listing = project / "data" / "issues" / "2026-12-01.yaml"
    paper = "papers:\n  - title: {}\n    abstract: Bakers proof the dough overnight in a cold cellar.\n"
    listing.write_text(paper.format("A Stuyd of Invented Sourdough Fermentation"), encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    published = feed_ids(project)
    old_id = paper_id("A Stuyd of Invented Sourdough Fermentation", None)
    assert f"tag:paper-digest.github.io,2026:paper/{old_id}" in published
    listing.write_text(paper.format("A Study of Invented Sourdough Fermentation"), encoding="utf-8")
    new_id = paper_id("A Study of Invented Sourdough Fermentation", None)
    assert f"papers/{old_id}/: note:" in run_digest("build", cwd=project).stderr
    (project / "data" / "curation.yml").write_text(f"papers:\n  {new_id}:\n    formerly: [{old_id}]\n",
                                                   encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert "note:" not in result.stderr
    assert feed_ids(project) == published
    feed = (project / "content" / "atom.xml").read_text(encoding="utf-8")
    assert f"papers/{new_id}/" in feed and "A Study of Invented" in feed  # the entry is the paper as it is now


def test_a_page_sending_readers_on_that_a_build_drops_is_named_and_can_stay(tmp_path: Path) -> None:
    """A paper linked by its Hugging Face page keeps the page its title gave it in earlier versions; once its list
    gave the arXiv id instead, that address went without a word."""
    project = make_project(tmp_path / "site")
    listing = project / "data" / "issues" / "2026-04-10.yaml"
    title = "Scaling Sparse Mixture of Experts for Protein Design"
    paper = f"papers:\n  - title: {title}\n    abstract: We scale experts.\n"
    listing.write_text(paper + "    url: https://huggingface.co/papers/2604.01234\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    old_id = paper_id(title, None)
    alias = project / "content" / "papers" / old_id / "index.html"
    assert "url=../2604.01234/" in alias.read_text(encoding="utf-8")
    listing.write_text(paper + "    arxiv: '2604.01234'\n", encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert (f"papers/{old_id}/: note: this address sent readers on to papers/2604.01234/ and this build drops it"
            in result.stderr and f"`formerly: [{old_id}]`" in result.stderr)
    (project / "data" / "curation.yml").write_text(f"papers:\n  2604.01234:\n    formerly: [{old_id}]\n",
                                                   encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert "drops" not in result.stderr and "url=../2604.01234/" in alias.read_text(encoding="utf-8")


def test_arxivs_own_doi_names_the_arxiv_paper_in_every_format_and_one_doi_is_a_possible_duplicate(
    tmp_path: Path,
) -> None:
    lines = [{"title": "Adam by its DOI", "abstract": "A.", "doi": "10.48550/ARXIV.1412.6980"},
             {"title": "A paper of a journal", "abstract": "A.", "doi": "10.9999/ABC"},
             {"title": "The same journal paper, renamed", "abstract": "A.", "doi": "10.9999/abc"},
             {"title": "A wrapped DOI", "abstract": "A.", "doi": "10.1000/\u2028x\ny"}]
    (tmp_path / "2026-11-20.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    (tmp_path / "2026-11-21.yaml").write_text(
        "papers:\n  - {title: Adam, abstract: B., doi: 'https://doi.org/10.48550/arXiv.1412.6980'}\n", encoding="utf-8")
    results, _ = read_all([tmp_path])
    papers = merge_papers(paper for result in results for paper in result.papers)
    adam = [paper for paper in papers if paper.arxiv_id == "1412.6980"]
    assert [paper.id for paper in adam] == ["1412.6980"]  # one page, not one per format
    assert {paper.doi for paper in papers if paper.title == "A wrapped DOI"} == {"10.1000/xy"}
    problems = [problem.message for problem in possible_duplicates(papers)]
    journal = sorted(paper.id for paper in papers if paper.doi and paper.doi.startswith("10.9999/"))
    assert len(journal) == 2 and len(problems) == 1
    assert f"paper {journal[0]}" in problems[0] and f"paper {journal[1]}" in problems[0]
    assert "have the same DOI 10.9999/" in problems[0]


@pytest.mark.parametrize("doi", ["doi:10.48550/arXiv.1412.6980", "https://www.doi.org/10.48550/arXiv.1412.6980",
                                 "DOI: 10.48550/ARXIV.1412.6980"])
def test_arxivs_doi_written_as_doi_colon_or_www_names_the_arxiv_paper_and_keeps_its_title_page(
    tmp_path: Path, doi: str,
) -> None:
    # The README's DOI forms: read as the DOI, but not as arXiv's, so the paper had a page of its own beside the
    # page its arXiv id gave it in another list.
    (tmp_path / "2026-11-20.yaml").write_text(f"- {{title: Adam by its DOI, abstract: A., doi: '{doi}'}}\n",
                                              encoding="utf-8")
    (tmp_path / "2026-11-21.bib").write_text("@misc{k, title = {Adam: A Method}, eprint = {1412.6980}}\n",
                                             encoding="utf-8")
    results, _ = read_all([tmp_path])
    (adam,) = merge_papers(paper for result in results for paper in result.papers)
    assert (adam.id, adam.doi) == ("1412.6980", doi.split("doi.org/")[-1].removeprefix("doi:").removeprefix("DOI: "))
    assert paper_id("Adam by its DOI", None) in adam.aliases  # the page it had stays, sending readers on
