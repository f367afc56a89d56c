"""The real paper sources: arXiv API Atom, Hugging Face daily papers, JSON Lines, BibTeX; format choice."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.model import paper_id
from generator.sources import bibtex as bibtex_source
from generator.sources import find_paper_lists, format_of, read_all, read_paper_list
from generator.sources.arxiv import read_arxiv
from generator.sources.daily_papers import read_daily_papers
from generator.sources.listing import read_listing
from generator.sources.structured import read_json, read_yaml
from tests.conftest import SMALL, make_project, run_digest

SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"


def read(name: str) -> tuple[list, list[str]]:
    result = read_paper_list(SOURCES / name)
    return result.papers, [str(problem).replace("tests/fixtures/sources/", "") for problem in result.problems]


def test_arxiv_response_gives_versionless_ids_and_every_field() -> None:
    papers, problems = read("2026-11-28-arxiv.xml")
    assert problems == []
    by_id = {paper.id: paper for paper in papers}
    assert list(by_id) == ["2410.00907", "1706.03762", "hep-th-9711200"]
    lmul = by_id["2410.00907"]
    assert lmul.arxiv_id == "2410.00907"
    # Hard line wraps in title, summary and comment become single spaces.
    assert lmul.title == "Addition is All You Need for Energy-efficient Language Models"
    assert lmul.abstract.startswith(
        "Large neural networks spend most computation on floating point tensor multiplications."
    )
    assert "\n" not in lmul.abstract and "  " not in lmul.abstract
    assert lmul.comment == "16 pages, 5 figures"
    assert lmul.authors == ("Hongyin Luo", "Wei Sun")
    assert lmul.affiliations == ("BitEnergy AI, Inc.",)
    assert lmul.published == dt.date(2024, 10, 1)
    assert lmul.updated == dt.date(2024, 10, 2)
    assert lmul.categories == ("cs.CL", "cs.AI", "cs.LG")
    assert lmul.url == "http://arxiv.org/abs/2410.00907v2"
    assert lmul.pdf == "http://arxiv.org/pdf/2410.00907v2"
    assert lmul.added == dt.date(2026, 11, 28)
    old = by_id["hep-th-9711200"]
    assert old.arxiv_id == "hep-th/9711200"
    assert old.doi == "10.1023/A:1026654312961"
    assert old.journal_ref == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert old.categories == ("hep-th",)


def test_arxiv_error_feed_and_empty_result_are_reported_clearly() -> None:
    papers, problems = read("2026-11-28-arxiv-error.xml")
    assert papers == []
    assert problems == [
        "2026-11-28-arxiv-error.xml: the arXiv API answered with an error: incorrect id format for 1234.12345"
    ]
    papers, problems = read("2026-11-28-arxiv-empty.xml")
    assert papers == []
    assert problems == ["2026-11-28-arxiv-empty.xml: no entries: the query matched nothing (totalResults 0)"]


def test_arxiv_entity_expansion_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00001v1</id>
<title>&b;</title></entry></feed>"""
    result = read_arxiv(bomb, "bomb.xml")
    assert result.papers == []
    assert [str(p) for p in result.problems] == [
        "bomb.xml: refused: the XML declares entities (EntitiesForbidden); never expanded"
    ]


def test_arxiv_bad_entries_are_reported_by_number_and_the_rest_kept() -> None:
    data = (SOURCES / "2026-11-28-arxiv.xml").read_bytes()
    data = data.replace(b"<id>http://arxiv.org/abs/1706.03762v7</id>", b"<id>http://example.org/x</id>", 1)
    data = data.replace(b"<published>1997-11-27T22:38:15Z</published>", b"<published>last week</published>")
    result = read_arxiv(data, "feed.xml")
    assert [paper.id for paper in result.papers] == ["2410.00907", "hep-th-9711200"]
    assert [str(p) for p in result.problems] == [
        "feed.xml: item 2: 'id' 'http://example.org/x' is not an arXiv abstract URL; skipped",
        "feed.xml: item 3: 'published' 'last week' is not an ISO date; ignored",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Rate exceeded.", "not XML: 'Rate exceeded.'"),
        (b"<feed><entry>", "invalid XML: no element found"),
        (b"<html/>", "not an Atom or RSS feed or OAI-PMH answer (root element 'html')"),
        (b"<rss/>", "no items: the feed is empty"),
        (b"", "empty response, not an Atom feed"),
    ],
)
def test_arxiv_responses_that_are_not_feeds_are_reported(data: bytes, message: str) -> None:
    result = read_arxiv(data, "x.xml")
    assert result.papers == []
    assert message in str(result.problems[0])


@pytest.mark.parametrize(("data", "message"), [(b"Rate exceeded.", "not XML: 'Rate exceeded.'"),
                                              (b"<feed><entry>", "invalid XML: no element found")])
def test_arxiv_responses_that_are_not_feeds_are_reported_with_defusedxml_0_7_0(
        data: bytes, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """defusedxml 0.7.0 (pyproject allows it) raises the ParseError of a second copy of ElementTree: a throttled
    answer ("Rate exceeded.") stopped digest build and digest fetch with a traceback."""
    import xml.etree.ElementTree as ElementTree

    import defusedxml.ElementTree as SafeElementTree

    class ParseError(SyntaxError):  # the copy's class: not the standard one, nor a subclass of it
        code: int
        position: tuple[int, int]

    parse = SafeElementTree.fromstring

    def fromstring(text: bytes) -> ElementTree.Element:
        try:
            return parse(text)
        except ElementTree.ParseError as error:
            copied = ParseError(error.msg)
            copied.code, copied.position = error.code, error.position
            raise copied from None

    monkeypatch.setattr(SafeElementTree, "ParseError", ParseError)
    monkeypatch.setattr(SafeElementTree, "fromstring", fromstring)
    result = read_arxiv(data, "x.xml")
    assert result.papers == []
    assert message in str(result.problems[0])


def test_daily_papers_keep_upvotes_and_links_and_drop_hidden_authors() -> None:
    papers, problems = read("2025-02-19-hf.json")
    assert problems == []
    noise, rpc = papers
    assert noise.id == "2502.13129"
    assert noise.upvotes == 42
    assert noise.published == dt.date(2025, 2, 18)
    assert noise.added == dt.date(2025, 2, 19)
    assert noise.url == "https://huggingface.co/papers/2502.13129"
    assert noise.abstract.startswith(
        "It is widely believed that noise conditioning is indispensable for denoising diffusion"
    )
    assert rpc.authors == ("Zhi Zhou", "Tan Yuhao", "Yu-Feng Li")  # "Anonymous Reviewer" is hidden
    assert rpc.code == "https://github.com/WNJXYK/RPC"
    assert rpc.project_page == "https://wnjxyk.github.io/RPC"
    assert noise.keywords == ("noise conditioning", "denoising diffusion", "generative models")  # ai_keywords


def test_messy_daily_papers_report_each_item_and_keep_the_good_ones() -> None:
    papers, problems = read("2025-02-21-hf-messy.json")
    assert [paper.id for paper in papers] == ["2502.14502", "2502.11089"]
    assert papers[0].authors == ("Ada Lovelace",)
    assert papers[0].upvotes is None and papers[0].code is None
    # The paper's own title has the wrong type: the item's title is used instead.
    assert papers[1].title.startswith("Native Sparse Attention")
    assert problems == [
        "2025-02-21-hf-messy.json: item 1: expected an object, found str; skipped",
        "2025-02-21-hf-messy.json: item 2: author 2 should be an object with a 'name'; ignored",
        "2025-02-21-hf-messy.json: item 2: 'paper.githubRepo' is not an http(s) URL; ignored",
        "2025-02-21-hf-messy.json: item 2: 'paper.upvotes' should be a whole number, found 'many'; ignored",
        "2025-02-21-hf-messy.json: item 3: 'paper.id' 'not-an-id' is not an arXiv id; skipped",
        "2025-02-21-hf-messy.json: item 4: 'paper.title' should be text, found list",
    ]


def test_daily_papers_without_a_dated_name_take_the_featured_day(tmp_path: Path) -> None:
    target = tmp_path / "daily.json"
    shutil.copy(SOURCES / "2025-02-19-hf.json", target)
    result = read_paper_list(target)
    assert result.problems == []
    assert result.issue_date == dt.date(2025, 2, 19)


def test_a_daily_papers_document_that_is_not_a_list_is_reported() -> None:
    result = read_daily_papers({"error": "Invalid date"}, "d.json")
    assert [str(p) for p in result.problems] == ["d.json: expected a JSON list of daily papers"]


def test_json_lines_read_our_fields_and_daily_items_by_line() -> None:
    papers, problems = read("2026-11-30-reading-list.jsonl")
    assert [paper.id for paper in papers] == ["1706.03762", "1512.03385", "2502.13129"]
    assert papers[1].code == "https://github.com/KaimingHe/deep-residual-networks"
    assert papers[2].upvotes == 42 and papers[2].authors == ("Kaiming He",)
    assert problems == [
        "2026-11-30-reading-list.jsonl:4: invalid JSON: Expecting value; skipped",
        "2026-11-30-reading-list.jsonl:5: expected a mapping of paper fields, found list; skipped",
    ]


def test_bibtex_reading_list(capsys: pytest.CaptureFixture[str]) -> None:
    papers, problems = read("2026-11-29-reading-list.bib")
    assert [paper.id for paper in papers] == ["1706.03762", "t" + papers[1].id[1:], papers[2].id]
    attention, maldacena, overview = papers
    assert attention.title == "Attention Is All You Need"  # protective braces removed
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit")
    assert attention.abstract == (
        "The dominant sequence transduction models are based on complex recurrent or convolutional neural networks."
    )
    assert maldacena.doi == "10.1023/A:1026654312961"
    assert (attention.year, maldacena.year, overview.year) == (2017, 1999, 2015)  # read, never the issue's 2026
    assert maldacena.journal_ref == "International Journal of Theoretical Physics"
    assert overview.authors == ("Jürgen Schmidhuber",)  # LaTeX accents decoded
    assert overview.url is None
    assert problems[0] == (
        "2026-11-29-reading-list.bib:24: cannot read this entry; skipped: "
        "Unexpected block start: `@book`. Was still looking for field-value closing `}`"
    )
    assert problems[1:] == [
        "2026-11-29-reading-list.bib:28: entry 'knuth1984texbook': missing or empty 'title'; skipped",
        "2026-11-29-reading-list.bib:34: entry 'schmidhuber2015': 'url' is not an http(s) URL; ignored",
    ]
    # The parser's own log lines do not leak onto the terminal: the problems say it all.
    captured = capsys.readouterr()
    assert "aborted" not in captured.out + captured.err


def test_bibtex_and_others_is_et_al_not_an_author(tmp_path: Path) -> None:
    # Google Scholar and Zotero end a long author list with "and others": it had an author page of its own.
    path = tmp_path / "2026-11-29.bib"
    path.write_text("@article{smith2024, title = {Adders}, author = {Smith, John and Others},"
                    " abstract = {We study adders.}}\n"
                    "@article{doe2024, title = {Kernels}, author = {Jane Doe and Richard Roe and others}}\n"
                    "@article{others2024, title = {Tribes}, author = {Others, Ann}}\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [p.authors for p in result.papers] == [("John Smith",), ("Jane Doe", "Richard Roe"), ("Ann Others",)]


def test_a_bibtex_month_of_digits_that_are_not_ascii_is_reported_not_a_traceback(tmp_path: Path) -> None:
    # str.isdigit() holds for "²" and "①", which int() refuses: the build ended in a ValueError.
    path = tmp_path / "2026-11-29.bib"
    path.write_text("@article{a2024, title = {Adders}, year = {2024}, month = {²}}\n"
                    "@article{b2024, title = {Kernels}, year = {2024}, month = {①}}\n"
                    "@article{c2024, title = {Tribes}, year = {2024}, month = {07}}\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [paper.title for paper in result.papers] == ["Adders", "Kernels", "Tribes"]
    assert [problem.message for problem in result.problems] == [
        "entry 'a2024': 'month' '²' is not a month; ignored", "entry 'b2024': 'month' '①' is not a month; ignored"]
    assert [paper.month for paper in result.papers] == [None, None, 7]


def test_a_link_to_a_paper_list_that_is_gone_is_reported(tmp_path: Path) -> None:
    # A moved target took an issue's papers off the site without a word.
    (tmp_path / "2026-11-20.yaml").write_text("papers:\n  - title: Kept\n    abstract: A.\n", encoding="utf-8")
    (tmp_path / "2026-11-27.yaml").symlink_to(tmp_path / "elsewhere" / "2026-11-27.yaml")
    files, problems = find_paper_lists([tmp_path])
    assert files == [tmp_path / "2026-11-20.yaml"]
    assert [p.message for p in problems] == ["a link to a file that is not there; skipped"]
    assert problems[0].path.endswith("2026-11-27.yaml")


def test_a_link_to_a_folder_of_paper_lists_is_reported_not_passed_over(tmp_path: Path) -> None:
    # A folder of older issues linked into the papers' folder (2025 -> ../archive/2025) was not searched, and its
    # papers left the site without a word; named in papers: it is read.
    issues, archive = tmp_path / "issues", tmp_path / "archive" / "2025"
    archive.mkdir(parents=True)
    issues.mkdir()
    (archive / "2025-11-20.yaml").write_text("papers:\n  - title: Old\n    abstract: A.\n", encoding="utf-8")
    (issues / "2026-11-20.yaml").write_text("papers:\n  - title: Kept\n    abstract: A.\n", encoding="utf-8")
    (issues / "2025").symlink_to(archive, target_is_directory=True)
    files, problems = find_paper_lists([issues])
    assert files == [issues / "2026-11-20.yaml"]
    assert [p.path for p in problems] == [str(issues / "2025")]
    assert problems[0].message.startswith("a link to a folder") and "papers:" in problems[0].message
    assert find_paper_lists([issues, issues / "2025"]) == ([issues / "2025" / "2025-11-20.yaml",
                                                           issues / "2026-11-20.yaml"], [])


def test_format_is_chosen_by_extension_and_can_be_forced_by_name() -> None:
    assert format_of(Path("2026-11-28.txt")) == "listing"
    assert format_of(Path("2026-11-28.xml")) == "arxiv"
    assert format_of(Path("2026-11-28.bib")) == "bibtex"
    assert format_of(Path("2026-11-28.jsonl")) == "jsonl"
    assert format_of(Path("2026-11-28.json")) == "json"
    assert format_of(Path("2026-11-28.hf.json")) == "hf"
    assert format_of(Path("2026-11-28.listing.txt")) == "listing"
    assert format_of(Path("2026-11-28.csv")) is None


def test_json_content_is_sniffed_and_a_forced_format_wins(tmp_path: Path) -> None:
    daily = (SOURCES / "2025-02-19-hf.json").read_bytes()
    assert read_json(daily, "x.json").papers[0].upvotes == 42
    # Forced: an all-strings archive is read as daily papers, each string reported.
    forced = tmp_path / "2025-02-19.hf.json"
    forced.write_text('["2502.13129", "2502.00511"]', encoding="utf-8")
    result = read_paper_list(forced)
    assert [p.message for p in result.problems] == ["expected an object, found str; skipped"] * 2


def test_every_fixture_format_is_found_in_a_folder(tmp_path: Path) -> None:
    for name in ("2026-11-28-arxiv.xml", "2025-02-19-hf.json", "2026-11-29-reading-list.bib",
                 "2026-11-30-reading-list.jsonl"):
        shutil.copy(SOURCES / name, tmp_path / name)
    results, _ = read_all([tmp_path])
    assert sorted(result.issue_date.isoformat() for result in results if result.issue_date) == [
        "2025-02-19", "2026-11-28", "2026-11-29", "2026-11-30",
    ]


def test_a_file_of_unknown_format_in_a_folder_is_reported_not_silently_skipped(tmp_path: Path) -> None:
    (tmp_path / "2026-11-26.csv").write_text("title,abstract\nA,B\n", encoding="utf-8")
    (tmp_path / "_notes.md").write_text("ignored: starts with _\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("ignored: explains the folder\n", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    files, problems = find_paper_lists([tmp_path])
    assert files == []
    assert [(Path(problem.path).name, problem.message) for problem in problems] == [(
        "2026-11-26.csv",
        "unknown paper-list format (known: .atom, .bib, .json, .jsonl, .ndjson, .rss, .txt, .xml, .yaml, .yml;"
        " a README, or a name starting with '.' or '_', is ignored); skipped",
    )]


def test_a_readme_in_a_folder_is_never_read_as_a_paper_list_whatever_its_extension(tmp_path: Path) -> None:
    """A README.txt (or .yaml) explaining the folder was read as a listing: its lines a problem ("no issue date"),
    fatal with --strict, and with a date its paragraphs published as papers."""
    (tmp_path / "README.txt").write_text("Paper lists\nOne file per issue, <b>dated</b> by its name.\n",
                                         encoding="utf-8")
    (tmp_path / "readme.yaml").write_text("date: 2026-11-28\npapers:\n  - {title: Notes, abstract: Not a paper.}\n",
                                          encoding="utf-8")
    (tmp_path / "2026-11-28.txt").write_text("A real title\nIts abstract.\n", encoding="utf-8")
    files, problems = find_paper_lists([tmp_path])
    assert ([path.name for path in files], problems) == (["2026-11-28.txt"], [])
    results, problems = read_all([tmp_path])
    assert [paper.title for result in results for paper in result.papers] == ["A real title"]
    assert problems == []


def test_a_build_reports_the_unknown_file_even_when_nothing_else_changed(tmp_path: Path) -> None:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    run_digest("build", "--quiet", cwd=project)
    (project / "issues" / "2026-11-26.csv").write_text("title,abstract\n", encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project)
    assert result.stderr.startswith("issues/2026-11-26.csv: unknown paper-list format (known: .atom,")


def test_a_forked_child_reading_part_of_the_files_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a big archive a forked child reads the last files (sources.read_files): same results, same order."""
    from generator import forked, sources

    files, _ = find_paper_lists([SMALL / "issues", SMALL.parent / "seed" / "data" / "issues"])
    assert len(files) >= 3
    alone = sources.read_files(files)
    monkeypatch.setattr(sources, "FORK_BYTES", 0)
    if not forked.can_fork(1, 0):
        pytest.skip("no second core or no fork here: the files are read in this process")
    together = sources.read_files(files)
    def outcome(results: list) -> list:
        return [(result.papers, result.problems, result.issue_date) for result in results]

    assert outcome(together) == outcome(alone)


# arXiv's daily announcement feeds (rss.arxiv.org/rss/<category> and /atom/<category>), with invented papers.
ANNOUNCEMENT_RSS = b"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>cs.LG updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.LG</link>
    <description>cs.LG updates on the arXiv.org e-print archive.</description>
    <pubDate>Mon, 20 Jul 2026 00:00:00 -0400</pubDate>
    <item>
      <title>An Invented Result on Agents</title>
      <link>https://arxiv.org/abs/2607.30001</link>
      <description>arXiv:2607.30001v1 Announce Type: new
Abstract: Invented work on agents, announced today.</description>
      <guid isPermaLink="false">oai:arXiv.org:2607.30001v1</guid>
      <category>cs.LG</category>
      <category>cs.AI</category>
      <pubDate>Mon, 20 Jul 2026 00:00:00 -0400</pubDate>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>Ada Lovelace, Alan Turing and Grace Hopper</dc:creator>
    </item>
    <item>
      <title>An Old Paper, Revised</title>
      <link>https://arxiv.org/abs/2401.00002</link>
      <description>arXiv:2401.00002v3 Announce Type: replace
Abstract: A third version.</description>
      <guid isPermaLink="false">oai:arXiv.org:2401.00002v3</guid>
      <arxiv:announce_type>replace</arxiv:announce_type>
      <dc:creator>Someone Else</dc:creator>
    </item>
    <item>
      <title>Cross-listed Here</title>
      <link>https://arxiv.org/abs/2607.30002</link>
      <description>arXiv:2607.30002v1 Announce Type: cross
Abstract: From statistics.</description>
      <guid isPermaLink="false">oai:arXiv.org:2607.30002v1</guid>
      <category>stat.ML</category>
      <arxiv:announce_type>cross</arxiv:announce_type>
      <dc:creator>Edsger Dijkstra</dc:creator>
    </item>
    <item><title>No id</title><link>https://example.org/x</link><description>Text.</description></item>
  </channel>
</rss>"""
ANNOUNCEMENT_ATOM = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>http://rss.arxiv.org/atom/cs.LG</id>
  <title>cs.LG updates on arXiv.org</title>
  <updated>2026-07-20T04:00:00.000000+00:00</updated>
  <entry>
    <id>oai:arXiv.org:2607.30001v1</id>
    <title>An Invented Result on Agents</title>
    <updated>2026-07-20T04:00:00.000000+00:00</updated>
    <link href="https://arxiv.org/abs/2607.30001" rel="alternate" type="text/html"/>
    <summary>arXiv:2607.30001v1 Announce Type: new
Abstract: Invented work on agents, announced today.</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>2026-07-20T00:00:00-04:00</published>
    <arxiv:announce_type>new</arxiv:announce_type>
    <author><name>Ada Lovelace</name></author>
  </entry>
  <entry>
    <id>oai:arXiv.org:2401.00002v3</id>
    <title>An Old Paper, Revised</title>
    <summary>arXiv:2401.00002v3 Announce Type: replace-cross
Abstract: A third version.</summary>
    <arxiv:announce_type>replace-cross</arxiv:announce_type>
  </entry>
</feed>"""


def test_arxiv_announcement_feeds_give_their_new_papers_without_the_announcement_line(tmp_path: Path) -> None:
    rss = read_arxiv(ANNOUNCEMENT_RSS, "cs.LG.rss")
    assert [p.arxiv_id for p in rss.papers] == ["2607.30001", "2607.30002"]  # the replacement is left out
    new, cross = rss.papers
    assert new.abstract == "Invented work on agents, announced today."
    assert new.authors == ("Ada Lovelace", "Alan Turing", "Grace Hopper")
    assert new.categories == ("cs.LG", "cs.AI") and new.url == "https://arxiv.org/abs/2607.30001"
    assert cross.abstract == "From statistics."
    assert [str(p) for p in rss.problems] == [
        "cs.LG.rss: item 4: no arXiv id in 'guid' '' or 'link' 'https://example.org/x'; skipped",
    ]
    atom = read_arxiv(ANNOUNCEMENT_ATOM, "cs.LG.atom")
    assert atom.problems == []
    (paper,) = atom.papers
    assert (paper.arxiv_id, paper.abstract, paper.authors) == (
        "2607.30001", "Invented work on agents, announced today.", ("Ada Lovelace",))
    # Saved without a date in its name, the feed's own day is the issue's.
    (tmp_path / "cs.LG.rss").write_bytes(ANNOUNCEMENT_RSS)
    results, problems = read_all([tmp_path])
    assert [p.message for p in problems] == [rss.problems[0].message]  # no "no issue date"
    assert {p.added for r in results for p in r.papers} == {dt.date(2026, 7, 20)}


def test_a_doi_given_as_its_link_or_with_doi_colon_is_the_doi(tmp_path: Path) -> None:
    # Hand-made lists and reference managers write the DOI as its link: the page linked to
    # https://doi.org/https://doi.org/10.1145/... and the same DOI written two ways was no possible duplicate.
    path = tmp_path / "2026-11-29.yaml"
    path.write_text("- {title: One, abstract: A., doi: 'https://doi.org/10.1145/3442188.3445922'}\n"
                    "- {title: Two, abstract: A., doi: 'http://dx.doi.org/10.1103/PhysRevD.1.2'}\n"
                    "- {title: Three, abstract: A., doi: 'doi: 10.1000/xyz'}\n"
                    "- {title: Four, abstract: A., doi: 10.1000/plain}\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [paper.doi for paper in result.papers] == [
        "10.1145/3442188.3445922", "10.1103/PhysRevD.1.2", "10.1000/xyz", "10.1000/plain"]
    assert result.problems == []


def test_a_bibtex_entry_whose_key_an_earlier_entry_has_is_still_read(tmp_path: Path) -> None:
    # Two exported reading lists pasted into one file share a key: the second paper was skipped as unreadable.
    path = tmp_path / "2026-11-29.bib"
    path.write_text("@string{jmlr = {Journal of Machine Learning Research}}\n"
                    "@article{smith2020, title = {Adders}, author = {Smith, John}, year = 2020}\n"
                    "@article{smith2020,\n  title = {M{\\\"u}ller Kernels},\n  author = {M{\\\"u}ller, J{\\\"u}rgen},\n"
                    "  journal = jmlr, year = 2021}\n"
                    "@article{doe2022, title = {Tribes}, year = 2022}\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [paper.title for paper in result.papers] == ["Adders", "Müller Kernels", "Tribes"]
    kernels = result.papers[1]
    assert (kernels.authors, kernels.journal_ref, kernels.year) == (
        ("Jürgen Müller",), "Journal of Machine Learning Research", 2021)
    assert kernels.source.endswith(":3")
    assert result.problems == []


def test_a_bibtex_entry_missing_a_comma_between_fields_is_reported_not_read_into_the_title(tmp_path: Path) -> None:
    # The parser took "author = {Broken Author}" into the title: a paper "... comma author = Broken Author" was
    # published without a word said.
    path = tmp_path / "2026-11-29.bib"
    path.write_text("@article{a2021,\n  title = {A Missing Comma}\n  author = {Broken Author},\n  year = {2021},\n}\n"
                    "@article{b2021,\n  title = {Kernels},\n  year = 2021\n  month = jan,\n}\n"
                    "@article{c2021, title = {Adders: $x = 1$ and {y = 2}}, note = \"a {b} = c\"}\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [paper.title for paper in result.papers] == ["Adders: $x = 1$ and y = 2"]
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (1, "cannot read this entry; skipped: a comma is missing after the field 'title' (before 'author')"),
        (6, "cannot read this entry; skipped: a comma is missing after the field 'year' (before 'month')"),
    ]


def test_fields_left_after_an_entry_closed_early_by_a_brace_too_many_are_reported(tmp_path: Path) -> None:
    # "title = {Kernels}}, eprint = {...}}": the entry ended at the second brace, and BibTeX took the rest for a
    # comment: the paper was read without its arXiv id (or year, authors...), and no word said.
    path = tmp_path / "2026-11-29.bib"
    path.write_text("Automatically generated by Mendeley Desktop 1.19.8\nSee: a = b, or not.\n\n"
                    "@article{a2021,\n  title = {Kernels}},\n  eprint = {2101.00001},\n  year = {2021},\n}\n\n"
                    "@article{b2021, title = {Adders}, eprint = {2101.00002}}\n\n"
                    "JabRef wrote this file.\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [(paper.title, paper.arxiv_id) for paper in result.papers] == [("Kernels", None), ("Adders", "2101.00002")]
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (5, "', eprint = {2101.00001}, year = {2021}, }' after an entry's closing brace is a field left out of it"
            " (a '}' too many before it closed the entry early?); ignored")]


def test_a_biblatex_date_and_journaltitle_are_read_as_bibtex_year_month_and_journal(tmp_path: Path) -> None:
    # Zotero's and JabRef's BibLaTeX exports write `date` and `journaltitle`, never `year` and `journal`: the
    # paper had no date and no journal.
    path = tmp_path / "2026-11-29.bib"
    path.write_text("@article{a, title = {Adders}, date = {2021-06-15}, journaltitle = {Journal of Adders}}\n"
                    "@inproceedings{b, title = {Kernels}, date = {2019-03}, booktitle = {Proc. Kernels}}\n"
                    "@article{c, title = {Tribes}, date = {2020}}\n"
                    "@article{d, title = {Ranges}, date = {2018-07-01/2018-07-05}}\n"
                    "@article{e, title = {Both}, year = {2017}, date = {2016-01-01}}\n"
                    "@article{f, title = {Wrong}, date = {June 2021}}\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [(paper.year, paper.month) for paper in result.papers] == [
        (2021, 6), (2019, 3), (2020, None), (2018, 7), (2017, None), (None, None)]
    assert [paper.journal_ref for paper in result.papers[:2]] == ["Journal of Adders", "Proc. Kernels"]
    assert [problem.message for problem in result.problems] == [
        "entry 'f': 'date' 'June 2021' is not a date (YYYY-MM-DD); ignored"]


def test_a_date_with_its_time_and_a_year_with_its_month_are_read(tmp_path: Path) -> None:
    """Zotero's BibLaTeX export writes some dates with their time (`2021-04-08T00:39:34Z`), and some entries write the
    month into the year (`May 1987`): both were "not a date" / "not a year", and the paper lost its date."""
    path = tmp_path / "2026-11-29.bib"
    path.write_text("@article{a, title = {Timed}, date = {2021-04-08T00:39:34Z}}\n"
                    "@article{b, title = {Offset}, date = {2020-02-29T23:59:59.5+02:00}}\n"
                    "@article{c, title = {Named}, year = {May 1987}}\n"
                    "@article{d, title = {Short}, year = {Sept. 2020}}\n"
                    "@article{e, title = {Season}, year = {Summer 1987}}\n"
                    "@article{f, title = {Both}, year = {June 2001}, month = {jul}}\n"
                    "@article{g, title = {Bad}, date = {2021-04-08T25}}\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [(paper.year, paper.month) for paper in result.papers] == [
        (2021, 4), (2020, 2), (1987, 5), (2020, 9), (1987, None), (None, None), (None, None)]
    assert [problem.message for problem in result.problems] == [
        "entry 'e': 'year' 'Summer 1987': 'Summer' is no month; read as the year 1987",
        "entry 'f': 'year' 'June 2001' is not a year; ignored",
        "entry 'g': 'date' '2021-04-08T25' is not a date (YYYY-MM-DD); ignored"]


def test_bibtex_values_joined_with_hash_are_one_text(tmp_path: Path) -> None:
    # BibTeX's `#` joins texts and @string macros: the page showed `"The dominant " # "models."`, quotes and all.
    path = tmp_path / "2026-11-29.bib"
    path.write_text('@string{nips = "Advances in Neural Information Processing Systems"}\n'
                    '@string{nips30 = nips # " 30"}\n'
                    '@inproceedings{a, title = {Adders}, booktitle = nips30 # {, Long Beach},\n'
                    '  abstract = "The dominant " # {sequence} # " models.", year = 2017, month = jun # "~15"}\n'
                    '@article{b, title = {C# {and} F# "Programs"}, abstract = {Sharp # signs {#} stay.},'
                    ' journal = {Journal of C#}}\n', encoding="utf-8")
    result = read_paper_list(path)
    adders, sharp = result.papers
    assert adders.journal_ref == "Advances in Neural Information Processing Systems 30, Long Beach"
    assert (adders.abstract, adders.year, adders.month) == ("The dominant sequence models.", 2017, 6)
    assert (sharp.title, sharp.abstract, sharp.journal_ref) == (
        'C# and F# "Programs"', "Sharp # signs # stay.", "Journal of C#")
    assert result.problems == []


def test_a_bibtex_crossref_gives_the_papers_year_and_venue_and_is_no_paper_itself(tmp_path: Path) -> None:
    # DBLP's and JabRef's exports "with crossref" put a paper's year and venue only in its proceedings' entry: the
    # papers had no year, and the proceedings volume was published as a paper of its own.
    path = tmp_path / "2026-11-29.bib"
    path.write_text("@inproceedings{DBLP:conf/x/A20, author = {Doe, Jane}, title = {Adders},\n"
                    "  crossref = {DBLP:conf/x/2020}, year = {2021}}\n"
                    "@inproceedings{DBLP:conf/x/B20, author = {Roe, Rick}, title = {Kernels},\n"
                    "  crossref = {dblp:conf/x/2020}}\n"
                    "@article{c, title = {Tribes}, crossref = {missing}}\n"
                    "@proceedings{DBLP:conf/x/2020, editor = {Eve, Ed}, title = {Proceedings of X 2020},\n"
                    "  year = {2020}, month = jul, doi = {10.1000/volume}, abstract = {The volume.}}\n",
                    encoding="utf-8")
    result = read_paper_list(path)
    assert [paper.title for paper in result.papers] == ["Adders", "Kernels", "Tribes"]
    adders, kernels, tribes = result.papers
    # its own year (and no month of the volume's year)
    assert (adders.year, adders.month, adders.journal_ref) == (2021, None, "Proceedings of X 2020")
    assert (kernels.year, kernels.month, kernels.journal_ref, kernels.authors) == (
        2020, 7, "Proceedings of X 2020", ("Rick Roe",))
    assert (kernels.doi, kernels.abstract) == (None, "")  # the volume's DOI and abstract are not the paper's
    assert tribes.year is None
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (5, "entry 'c': crossref 'missing' is not an entry of this file; its year and venue are not read")]


def test_msc_and_acm_classes_in_an_arxiv_entry_are_no_arxiv_categories() -> None:
    """arXiv's API lists a paper's MSC and ACM classes among its categories: the page said "arXiv categories:
    math.AP, 35R11, 26A33, I.2.7"."""
    data = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>Fractional Heat Flows</title>
<summary>We solve a fractional heat equation.</summary><published>2024-01-01T00:00:00Z</published>
<arxiv:primary_category term="math.AP"/><category term="math.AP"/><category term="35R11"/><category term="26A33"/>
<category term="I.2.7"/><category term="cond-mat.stat-mech"/><category term="hep-th"/></entry></feed>"""
    result = read_arxiv(data, "feed.xml")
    assert result.papers[0].categories == ("math.AP", "cond-mat.stat-mech", "hep-th")
    assert result.problems == []


def test_bibtex_values_without_latex_skip_the_latex_decoder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pylatexenc reads a value a character at a time: a whole Zotero library (5,000 entries with abstracts) took
    # 63 s to read. Values with nothing to decode stay as they are; the others are decoded as before.
    from pylatexenc.latex2text import LatexNodes2Text

    decoded: list[str] = []
    decode = LatexNodes2Text.latex_to_text

    def counted(self: LatexNodes2Text, text: str, **options: object) -> str:
        decoded.append(text)
        return decode(self, text, **options)

    monkeypatch.setattr(LatexNodes2Text, "latex_to_text", counted)
    path = tmp_path / "2026-11-29.bib"
    plain = "Plain text: a model's [1] #2 results (x^2 - y_1 = 3) <5> are \"good\" - see https://a.org/x?y=1#z! Ok?"
    path.write_text(f"@article{{a, title = {{Adders}}, author = {{Smith, John and Doe, Jane}},"
                    f" abstract = {{{plain}}}}}\n"
                    "@article{b, title = {{N}-Body Sch\\\"on}, author = {G{\\\"o}del, Kurt},"
                    " abstract = {Costs $O(n)$ --- ``fast'' 10--20~ms \\& more.}}\n", encoding="utf-8")
    result = read_paper_list(path)
    plain_paper, latex_paper = result.papers
    assert (plain_paper.title, plain_paper.abstract) == ("Adders", plain)
    assert plain_paper.authors == ("John Smith", "Jane Doe")
    assert (latex_paper.title, latex_paper.authors) == ("N-Body Schön", ("Kurt Gödel",))
    assert latex_paper.abstract == "Costs $O(n)$ — “fast” 10–20 ms & more."
    assert "Adders" not in decoded and plain not in decoded and "Smith" not in decoded
    # Only the words with LaTeX go through the decoder (with the word after a command: its argument), not the rest.
    assert {"{N}-Body Sch\\\"on", "$O(n)$ --- ``fast'' 10--20~ms \\& more."} <= set(decoded)
    assert not any("Costs" in value for value in decoded)


# Words of text and well-formed LaTeX, and the whitespace between them, as reference managers and arXiv write them.
LATEX_WORDS = st.sampled_from([
    "plain", "words.", "(a,", "b)", "50\\%", "$x$", "$a + b$", "$$ x = y $$", "\\( x \\)", "\\[ y \\]", "{A}",
    "{\\em it}", "\\'e", "G{\\\"o}del", "{\\c c}", "\\c{c}", "--", "---", "10--20~ms", "``fast''", "\\&", "&",
    "\\textbf{bold}", "\\href{https://a.org}{a link}", "\\frac{a}{b}", "[1]", "x^2", "a_{1}", "\\alpha", "\\LaTeX",
    "\\textless", "\\vphantom{\\}}", "\\{", "\\}", "\\$", "\\ss", "\\url{a~b}", "$\\mathcal{O}(n)$", "$\\mathbb{R}^n$",
    "~", "?`", "!`", "\\frac {a} {b}", "\\textbf {bold} text"])


@given(st.lists(st.tuples(LATEX_WORDS, st.sampled_from([" ", "  ", "\n", "\n\n", " \n "])), min_size=1, max_size=14))
def test_bibtex_values_decode_span_by_span_as_they_decode_whole(words: list[tuple[str, str]]) -> None:
    # Only the spans of a value that hold LaTeX are decoded (a reading list of 5,000 entries with a formula in each
    # abstract took 27 s): the text is what decoding the whole value gives, or decoding fails as it would.
    from generator.sources.bibtex import _LatexDecoding

    decoding = _LatexDecoding()
    value = "".join(word + space for word, space in words).strip()
    try:
        whole: str | None = decoding._decode(value)
    except Exception:
        whole = None
    # What cannot be decoded as a whole is kept as written (and its entry reported: see the test below).
    assert decoding._transform_python_value_string(value) == (value if whole is None else whole, "")


def test_bibtex_latex_that_cannot_be_read_is_kept_as_written_and_reported(tmp_path: Path,
                                                                          capfd: pytest.CaptureFixture[str]) -> None:
    # A command without its arguments at the end of an abstract: "\href{url}" failed the read with a traceback, and
    # "\frac{a}" became "%s/%sa" with pylatexenc's warning printed among the build's lines.
    path = tmp_path / "2026-11-30.bib"
    path.write_text("@article{a, title = {Linked}, abstract = {Code at \\href{https://a.org/x}}}\n"
                    "@article{b, title = {Ratios}, abstract = {A ratio \\frac{a}}}\n"
                    "@article{c, title = {Fine {A}}, abstract = {Costs $O(n)$.}}\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [(paper.title, paper.abstract) for paper in result.papers] == [
        ("Linked", "Code at \\href{https://a.org/x}"), ("Ratios", "A ratio \\frac{a}"), ("Fine A", "Costs $O(n)$.")]
    unread = "the abstract holds LaTeX that cannot be read (a command without its arguments?); kept as written"
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (1, f"entry 'a': {unread}"), (2, f"entry 'b': {unread}")]
    assert "WARNING" not in capfd.readouterr().err


def test_a_field_written_twice_in_one_paper_is_reported_not_silently_replaced(tmp_path: Path) -> None:
    """YAML and JSON keep the last of a key written twice without a word: a paper whose "- " was forgotten replaced
    the paper above it (its title and abstract), and a second "abstract" the first, and nothing was reported."""
    (tmp_path / "2026-11-20.yaml").write_text(
        "papers:\n  - title: Paper One\n    abstract: One.\n    title: Paper Two\n    abstract: Two.\n"
        "  - title: Paper Three\n    abstract: Three.\n", encoding="utf-8")
    (tmp_path / "2026-11-21.json").write_text(
        '[{"title": "Paper Four", "abstract": "Four.", "abstract": "Four again."}]', encoding="utf-8")
    (tmp_path / "2026-11-22.jsonl").write_text(
        '{"title": "Paper Five", "abstract": "Five."}\n{"title": "Six", "title": "Paper Six", "abstract": "Six."}\n',
        encoding="utf-8")
    results, problems = read_all([tmp_path])
    assert [paper.title for result in results for paper in result.papers] == [
        "Paper Two", "Paper Three", "Paper Four", "Paper Five", "Paper Six"]
    assert [(Path(problem.path).name, problem.line, problem.message) for problem in problems] == [
        ("2026-11-20.yaml", 4, "'title' is written twice in one mapping (lines 2 and 4); only the last is read"
                               " (a paper without its '- '?)"),
        ("2026-11-20.yaml", 5, "'abstract' is written twice in one mapping (lines 3 and 5); only the last is read"),
        ("2026-11-21.json", 0, "'abstract' is written twice in one object (the object with title 'Paper Four');"
                               " only the last is read"),
        ("2026-11-22.jsonl", 2, "'title' is written twice in one object; only the last is read"),
    ]


def test_counts_written_as_text_or_as_whole_floats_are_read(tmp_path: Path) -> None:
    """A list converted from a spreadsheet writes counts as text ("12"), or as floats in a column with a gap (12.0,
    as pandas writes it): they were reported as no whole number, and the paper lost its upvotes and stars."""
    (tmp_path / "2026-11-20.json").write_text(
        '[{"title": "Paper One", "abstract": "One.", "upvotes": "12", "stars": 340.0, "comments": " 3 "},'
        ' {"title": "Paper Two", "abstract": "Two.", "upvotes": "1.2k", "stars": 2.5, "comments": -1.0}]',
        encoding="utf-8")
    (tmp_path / "2026-11-21.yaml").write_text(
        "- title: Paper Three\n  abstract: Three.\n  upvotes: '42'\n  stars: 7.0\n  comments: \"5\"\n",
        encoding="utf-8")
    results, problems = read_all([tmp_path])
    papers = {paper.title: paper for result in results for paper in result.papers}
    assert (papers["Paper One"].upvotes, papers["Paper One"].stars, papers["Paper One"].comments) == (12, 340, 3)
    assert (papers["Paper Three"].upvotes, papers["Paper Three"].stars, papers["Paper Three"].comments) == (42, 7, 5)
    assert (papers["Paper Two"].upvotes, papers["Paper Two"].stars, papers["Paper Two"].comments) == (None, None, None)
    assert [problem.message for problem in problems if "whole number" in problem.message] == [
        f"{name!r} should be a whole number (0 or more), found {value}; ignored"
        for name, value in (("upvotes", "'1.2k'"), ("comments", "-1.0"), ("stars", "2.5"))]
    # Their stars are read, and said to go unseen without a code link (papers one and three give none).
    assert [problem.message.split(" is shown")[0] for problem in problems if "whole number" not in problem.message] \
        == ["'stars' (340)", "'stars' (7)"]


def test_counts_with_thousands_commas_are_read_and_an_empty_cell_is_no_count(tmp_path: Path) -> None:
    """A hand-made list writes a count as the site shows it ("1,234") and leaves a cell empty ("") where it has none:
    the one was reported as no whole number and lost, the other reported though it says no more than null."""
    (tmp_path / "2026-11-20.json").write_text(
        '[{"title": "Paper One", "abstract": "One.", "upvotes": "1,234", "stars": " 12,345,678 ", "comments": ""},'
        ' {"title": "Paper Two", "abstract": "Two.", "upvotes": "1,23", "stars": "1.234", "comments": " "}]',
        encoding="utf-8")
    results, problems = read_all([tmp_path])
    papers = {paper.title: paper for result in results for paper in result.papers}
    assert (papers["Paper One"].upvotes, papers["Paper One"].stars, papers["Paper One"].comments) == (
        1234, 12345678, None)
    assert (papers["Paper Two"].upvotes, papers["Paper Two"].stars, papers["Paper Two"].comments) == (None, None, None)
    assert [problem.message for problem in problems if "whole number" in problem.message] == [
        f"{name!r} should be a whole number (0 or more), found {value}; ignored"
        for name, value in (("upvotes", "'1,23'"), ("stars", "'1.234'"))]


def test_a_pasted_paper_without_its_abstract_does_not_take_the_next_papers_title() -> None:
    """One line per field, one paper pasted without its abstract: its title took the next paper's title as the rest
    of a wrapped title, with that paper's abstract, and the next paper was gone. A title cut at a lowercase word is
    still rejoined, and a line of the page between a title and its abstract ("Published on Mar 5, 2025") is left
    out."""
    abstract = "We study the problem at length and show that the method works. " * 4
    data = (f"Title One\n{abstract}\nA Paper Without Its Abstract\nAddition is All You Need\n{abstract}\n"
            f"Title Four\nPublished on Mar 5, 2025\n{abstract}\nTitle Five\n{abstract}\n"
            f"Bridging Internal Probability and Self-Consistency\nfor Efficient LLM Reasoning\n{abstract}\n"
            f"Title Seven\n{abstract}\nTitle Eight\n{abstract}\n")
    result = read_listing(data.encode(), "list.txt")
    assert [paper.title for paper in result.papers] == [
        "Title One", "Title Four", "Title Five",
        "Bridging Internal Probability and Self-Consistency for Efficient LLM Reasoning", "Title Seven", "Title Eight"]
    assert [str(problem) for problem in result.problems] == [
        "list.txt:3: this title goes on on line 4, or has no abstract and line 4 is the next paper's title: lines 3-5"
        " are skipped rather than paired wrongly (join lines 3 and 4, or add this paper's abstract)",
        "list.txt:12: read as the rest of the title on line 11 (a title wrapped over two lines); if it begins the"
        " abstract, join it to the abstract's line",
    ]


def test_a_comma_after_the_last_item_of_a_json_list_is_reported_and_the_papers_kept(tmp_path: Path) -> None:
    """A JSON list written by hand often has a comma after its last paper or field: the whole file was refused
    ("invalid JSON: Expecting value") and its issue was gone from the site."""
    (tmp_path / "2026-11-20.json").write_text(
        '[\n  {"title": "Paper One", "abstract": "One.",},\n  {"title": "Paper Two", "abstract": "Two."},\n]\n',
        encoding="utf-8")
    (tmp_path / "2026-11-21.jsonl").write_text(
        '{"title": "Paper Three", "abstract": "Three."},\n{"title": "Paper Four", "abstract": "Four."}\n',
        encoding="utf-8")
    (tmp_path / "2026-11-22.json").write_text('[{"title": "Paper Five", "abstract": "Five."},, {}]', encoding="utf-8")
    results, problems = read_all([tmp_path])
    assert [paper.title for result in results for paper in result.papers] == [
        "Paper One", "Paper Two", "Paper Three", "Paper Four"]
    comma = "a comma after the last item (JSON allows none); read as if it were not there"
    assert [(Path(problem.path).name, problem.line, problem.message) for problem in problems] == [
        ("2026-11-20.json", 2, comma), ("2026-11-20.json", 3, comma), ("2026-11-21.jsonl", 1, comma),
        ("2026-11-22.json", 1, "invalid JSON: Expecting value"),
    ]


def test_the_pages_words_joined_by_middle_dots_are_left_out_of_a_pasted_listing() -> None:
    """Copied from the page, the words around a paper may come on one line, joined by "·" ("Submitted by akhaliq ·
    12 authors · 3 comments", "· Published on Mar 5, 2025", the authors' names before their count) or with the
    buttons "GitHub" and "arXiv Page": such lines were read as titles, each paper came with an invented one ("·
    Published on Mar 5, 2025", abstract "GitHub arXiv Page"), and nothing was reported."""
    abstract_one = "We study the first problem at length and show that the method works well. " * 3
    abstract_two = "We study the second problem at length and show that the method works well. " * 3
    data = (f"Upvote\n45\nTitle One\n{abstract_one}\n· Published on Mar 5, 2025\nGitHub\n1.2k\narXiv Page\n"
            f"Submitted by akhaliq · 12 authors · 3 comments\n\n"
            f"12\nTitle Two\nSubmitted by\nnielsr\non Mar 6\nAda Lovelace · Alan Turing · 2 authors\n{abstract_two}\n")
    result = read_listing(data.encode(), "list.txt")
    assert [(paper.title, paper.abstract) for paper in result.papers] == [
        ("Title One", abstract_one.strip()), ("Title Two", abstract_two.strip())]
    assert result.problems == []


def test_an_arxiv_response_saved_with_a_blank_line_before_its_declaration_is_read() -> None:
    """An editor that saved a pasted response with a blank line (after a byte-order mark, or not) above "<?xml ...?>"
    made the whole feed invalid XML ("XML or text declaration not at start of entity", or "not XML: '\\ufeff...'")."""
    feed = (SOURCES / "2026-11-28-arxiv.xml").read_bytes()
    assert feed.startswith(b"<?xml")
    expected = [(paper.id, paper.title) for paper in read_arxiv(feed, "x.xml").papers]
    for saved in (b"\n" + feed, b"\xef\xbb\xbf\r\n\r\n" + feed.replace(b"\n", b"\r\n")):
        result = read_arxiv(saved, "x.xml")
        assert [(paper.id, paper.title) for paper in result.papers] == expected and result.problems == []
    # lines keep their numbers in messages: the broken tag is on the feed's fourth line, the file's sixth
    broken = b"\n\n" + b"\n".join(line if number != 3 else b"<title>a & b</title>" for number, line in
                                  enumerate(feed.split(b"\n")))
    assert [(problem.line, problem.message.split(":")[0]) for problem in read_arxiv(broken, "x.xml").problems] == [
        (6, "invalid XML")]


def test_a_copy_of_the_browsers_view_of_an_arxiv_feed_is_named_as_such() -> None:
    view = (b"This XML file does not appear to have any style information associated with it. The document tree is"
            b" shown below.\n" + (SOURCES / "2026-11-28-arxiv.xml").read_bytes())
    assert [problem.message for problem in read_arxiv(view, "x.xml").problems] == [
        "a copy of the browser's view of the feed, not the feed: save the page itself (Save Page As) or use"
        " 'digest fetch arxiv'"]


def test_hugging_face_paper_objects_without_their_daily_item_are_read_as_daily_papers(tmp_path: Path) -> None:
    """Hugging Face's paper objects saved as they are (the answer of huggingface.co/api/papers/ID, or the "paper"
    objects a script took out of a daily-papers response) were read as our fields: the code link, stars, summary,
    keywords and date were dropped with a problem each, a hidden author was shown, and one object was no papers."""
    paper = {"id": "2502.13129", "title": "Is Noise Conditioning Necessary?", "summary": "It is not.",
             "authors": [{"_id": "1", "name": "Kaiming He", "hidden": False}, {"_id": "2", "name": "Hidden",
                                                                                "hidden": True}],
             "publishedAt": "2025-02-18T18:59:58.000Z", "submittedOnDailyAt": "2025-02-19T01:32:14.511Z",
             "upvotes": 42, "discussionId": "67b5c9", "githubRepo": "https://github.com/example/noise",
             "githubStars": 12, "ai_summary": "Noise conditioning is not needed.", "ai_keywords": ["diffusion"]}
    (tmp_path / "2026-11-20-list.json").write_text(json.dumps([paper]), encoding="utf-8")
    (tmp_path / "2026-11-21-one.json").write_text(json.dumps(paper), encoding="utf-8")
    (tmp_path / "2026-11-22-lines.jsonl").write_text(json.dumps(paper) + "\n", encoding="utf-8")
    wrapped = read_daily_papers([{"paper": paper}], "x.json").papers[0]
    results, problems = read_all([tmp_path])
    assert problems == []
    assert [len(result.papers) for result in results] == [1, 1, 1]
    for result in results:
        (read,) = result.papers
        assert (read.id, read.authors, read.code, read.stars, read.upvotes, read.tldr, read.keywords,
                read.published) == (wrapped.id, ("Kaiming He",), "https://github.com/example/noise", 12, 42,
                                    "Noise conditioning is not needed.", ("diffusion",), dt.date(2025, 2, 18))


def test_a_yaml_paper_list_of_two_documents_says_so() -> None:
    """Two lists joined into one file, each starting with "---", were refused with PyYAML's half sentence "invalid
    YAML: but found another document"."""
    (problem,) = read_yaml(b"---\n- title: A\n  abstract: B.\n---\n- title: C\n  abstract: D.\n", "x.yaml").problems
    assert str(problem) == ("x.yaml:4: invalid YAML: a second document starts here ('---'): a file holds one;"
                            " make one list, or split the file")


def test_a_pasted_list_of_titles_without_abstracts_is_reported_not_made_one_paper() -> None:
    """A copy of a page that shows titles only (the daily list, with its "Submitted by" and "Upvote"), a list of
    titles, or a paper alone between blank lines without its abstract: the first title took every title after it
    as its abstract (or the next one), and nothing was reported."""
    abstract = "We study the problem at length and show that the method works. " * 4
    page = "".join(f"Submitted by\nakhaliq\nUpvote\n{count}\nTitle {count}\n· 3 authors\n\n" for count in (1, 2, 3))
    result = read_listing(page.encode(), "page.txt")
    assert result.papers == []
    assert [str(problem) for problem in result.problems] == [
        "page.txt:5: title without an abstract, and so are lines 12-19 after it (a list of titles only?); skipped"]
    blocks = f"Title One\n{abstract}\n\nTitle Two\n\nTitle Three\n\nTitle Four\n{abstract}\n"
    result = read_listing(blocks.encode(), "list.txt")
    assert [paper.title for paper in result.papers] == ["Title One", "Title Four"]
    assert [str(problem) for problem in result.problems] == [
        "list.txt:4: title without an abstract, and so is line 6 after it (a list of titles only?); skipped"]


ARXIV_LINKS = [
    "https://www.arxiv.org/abs/2402.00006", "https://arxiv.org/html/2402.00006v1", "https://arxiv.org/abs/2402.00006/",
    "https://huggingface.co/papers/2402.00006", "https://arxiv.org/abs/2402.00006v2?context=cs",
    "https://www.alphaxiv.org/abs/2402.00006", "arXiv:2402.00006", "https://hf.co/papers/2402.00006",
    "arXiv:2402.00006v2 [cs.LG]", "arXiv: 2402.00006",  # as arXiv's abstract page cites it, and as typed
]


@pytest.mark.parametrize("link", ARXIV_LINKS)
def test_an_arxiv_id_in_any_link_form_is_the_papers_and_its_page_by_title_stays(tmp_path: Path, link: str) -> None:
    """A paper linked as www.arxiv.org, its HTML version, a trailing "/", its Hugging Face page or `arXiv:ID` had no
    arXiv id ("not an http(s) URL" for the last): no arXiv or PDF link, an id from its title, and no merge by id.
    The id is read now; the page its title gave it stays, sending readers on."""
    yaml_list = tmp_path / "2026-11-29.yaml"
    yaml_list.write_text(f"- {{title: Found by its link, abstract: A., url: '{link}'}}\n"
                         "- {title: Classic, abstract: B., url: 'https://arxiv.org/abs/2402.00007'}\n",
                         encoding="utf-8")
    bib = tmp_path / "2026-11-30.bib"
    bib.write_text(f"@article{{a, title = {{Found by its link}}, url = {{{link}}}}}\n"
                   "@article{b, title = {Classic}, eprint = {2402.00007}}\n", encoding="utf-8")
    for path in (yaml_list, bib):
        result = read_paper_list(path)
        assert result.problems == []
        found, classic = result.papers
        assert (found.arxiv_id, found.id) == ("2402.00006", "2402.00006")
        before = path == bib and link == "arXiv:2402.00006"  # BibTeX's url = {arXiv:ID} was read before
        assert found.aliases == (() if before else (paper_id("Found by its link", None),))  # the page published
        assert (classic.arxiv_id, classic.aliases) == ("2402.00007", ())  # read before too: no page to keep


def test_a_mendeley_url_of_several_links_gives_its_first_link_and_its_arxiv_id(tmp_path: Path) -> None:
    # Mendeley writes every link of a paper into one `url`, separated by spaces: each such paper was reported
    # ("'url' is not an http(s) URL; ignored"), lost its link, and an arXiv paper without `eprint` its arXiv id.
    path = tmp_path / "2026-11-30.bib"
    path.write_text("@article{a, title = {{Tight Keys}},\n"
                    "  url = {http://arxiv.org/abs/1103.4130 http://www.nature.com/doifinder/10.1038/ncomms1631}}\n"
                    "@article{b, title = {Two Links}, url = {http://example.org/a http://example.org/b}}\n"
                    "@article{c, title = {Not A Link}, url = {see the journal}}\n", encoding="utf-8")
    result = read_paper_list(path)
    keys, two, odd = result.papers
    assert (keys.arxiv_id, keys.id) == ("1103.4130", "1103.4130")
    assert keys.aliases == (paper_id("Tight Keys", None),)  # the page its title gave it stays
    assert (two.arxiv_id, two.url) == (None, "http://example.org/a")
    assert odd.url is None
    assert [problem.message for problem in result.problems] == ["entry 'c': 'url' is not an http(s) URL; ignored"]


def test_a_page_published_under_a_title_id_stays_once_its_link_gives_an_arxiv_id(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", papers=SMALL / "issues")
    (project / "data" / "issues" / "2026-11-29.yaml").write_text(
        "- {title: Found by its link, abstract: A paper., url: 'https://www.arxiv.org/abs/2402.00006'}\n",
        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    page = project / "content" / "papers" / paper_id("Found by its link", None) / "index.html"
    assert 'url=../2402.00006/' in page.read_text(encoding="utf-8")


def test_mendeleys_escaped_latex_is_read_as_the_latex_it_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Mendeley exports a backslash as `$\backslash$` (in formulas `\backslash`) and escapes the formulas' dollars,
    # braces and underscores: pages showed "R\'enyi" and "Szemer\'{e}di", and formulas lost their commands.
    path = tmp_path / "2026-11-30.bib"
    path.write_text(r"@article{a, title = {{Szemer$\backslash$'{\{}e{\}}di Bounds}}," "\n"
                    r"  abstract = {Over R$\backslash$'enyi entropies {\$}H{\_}{\{}\backslashalpha{\}}(A|B){\$}.}}" "\n"
                    r"@article{b, title = {Plain}, abstract = {It costs {\$}5 {\{}today{\}}.}}" "\n"
                    r"@article{c, title = {Sets}, abstract = {The set $A\backslash{}B$ is {\{}new{\}}.}}" "\n",
                    encoding="utf-8")
    escaped, plain, sets = read_paper_list(path).papers
    assert escaped.title == "Szemerédi Bounds"
    assert escaped.abstract == "Over Rényi entropies $H_{\\alpha}(A|B)$."
    monkeypatch.setattr(bibtex_source._MendeleyEscapes, "transform_entry", lambda self, entry, library: entry)
    before, plain_before, sets_before = read_paper_list(path).papers
    assert escaped.aliases == (before.id,) != (escaped.id,)  # the page its title had stays, sending readers on
    assert (plain.abstract, plain.aliases) == (plain_before.abstract, ())  # no backslash: not Mendeley's escapes
    assert sets.abstract == sets_before.abstract  # a formula's own \backslash is no escape


def test_a_bibtex_entry_with_an_href_is_read_not_skipped(tmp_path: Path) -> None:
    # Zotero's exported notes link with \href, as hand-made entries of software do: the LaTeX decoder failed on it,
    # and the entry was skipped ("Middleware could not be fully applied: list index out of range").
    path = tmp_path / "2026-11-30.bib"
    path.write_text(r"@article{a, title = {Adders}, abstract = {Code at \href{https://example.org/a}{our site}.}," "\n"
                    r"  note = {\par (Open item, \href{zotero://select/library/items/X}{Open item})}}" "\n",
                    encoding="utf-8")
    result = read_paper_list(path)
    assert result.problems == []
    assert [paper.abstract for paper in result.papers] == ["Code at our site <https://example.org/a>."]


def test_a_bare_percent_and_links_in_bibtex_are_read_as_written(tmp_path: Path) -> None:
    # JabRef writes an abstract's "50% fewer" as it is, and every reference manager a link as it is: read as LaTeX,
    # "%" dropped the rest of the line (a comment), "~" became a space and "--" a dash, so a link with a query or a
    # home folder was "not an http(s) URL" and a DOI was cut.
    path = tmp_path / "2026-11-30.bib"
    path.write_text("@article{a, title = {Adders}, eprint = {2611.00001},\n"
                    "  abstract = {We use 50% fewer {GPU} hours and 3\\% more.\nThe rest stays.},\n"
                    "  url = {https://example.org/?a=1&b=50%25#top}, doi = {10.1000/a%2Fb--c}}\n"
                    "@article{b, title = {Tilde}, url = {https://example.org/~ann/a{\\_}b.pdf}}\n"
                    "@article{c, title = {99% of {DNA}}}\n", encoding="utf-8")
    result = read_paper_list(path)
    linked, tilde, percent = result.papers
    assert result.problems == []
    assert linked.abstract == "We use 50% fewer GPU hours and 3% more. The rest stays."
    assert (linked.url, linked.doi) == ("https://example.org/?a=1&b=50%25#top", "10.1000/a%2Fb--c")
    assert tilde.url == "https://example.org/~ann/a_b.pdf"  # Mendeley's escaped "_" undone
    assert percent.title == "99% of DNA"
    assert percent.aliases == (paper_id("99", None),)  # the page its title cut at "%" gave it stays, sending readers on


def test_the_characters_zotero_writes_as_text_commands_are_read_back(tmp_path: Path) -> None:
    # Zotero's BibTeX export always writes "<", ">", "|", "^", "~" and "\" as text commands, and "{" and "}" with a
    # \vphantom: the decoder dropped those it did not know ("p < 0.05" was "p 0.05", "|V|" was "V") and gave "^" as
    # a modifier letter.
    path = tmp_path / "2026-11-30.bib"
    path.write_text(r"@article{a, title = {Models {\textless}1B and {\textgreater}7B}, eprint = {2611.00001},"
                    "\n"
                    r"  abstract = {With p {\textless} 0.05 on {\textbar}V{\textbar} nodes, x{\textasciicircum}2,"
                    r" {\textasciitilde}3 and \{\vphantom{\}}a\vphantom{\{}\} in {\textbackslash}n.}}" "\n"
                    r"@article{b, title = {Names a{\textunderscore}b}}" "\n", encoding="utf-8")
    result = read_paper_list(path)
    sized, named = result.papers
    assert result.problems == []
    assert sized.title == "Models <1B and >7B"
    assert sized.abstract == "With p < 0.05 on |V| nodes, x^2, ~3 and {a} in \\n."
    assert named.title == "Names a_b"
    assert named.aliases == (paper_id("Names ab", None),)  # the page its title read without "_" gave it stays


def test_bibtex_field_names_in_capitals_are_read_as_bibtex_reads_them(tmp_path: Path) -> None:
    # JabRef 2 writes `Author = {...}` (and older exports `AUTHOR`): every paper of such a list had no authors, and
    # nothing said so.
    path = tmp_path / "2026-11-30.bib"
    path.write_text("% This file was created with JabRef 2.10.\n"
                    "@Article{a,\n  Title = {Adders},\n  Author = {Lovelace, Ada and Turing, Alan},\n"
                    "  Year = {2017}\n}\n"
                    "@ARTICLE{b, TITLE = {Bdders}, AUTHOR = {Ada Lovelace}, MONTH = JAN, YEAR = 1850}\n",
                    encoding="utf-8")
    result = read_paper_list(path)
    assert [(paper.authors, paper.year, paper.month) for paper in result.papers] == [
        (("Ada Lovelace", "Alan Turing"), 2017, None), (("Ada Lovelace",), 1850, 1)]
    assert result.problems == []


def test_biblatex_extended_names_are_read_and_an_odd_name_no_longer_skips_its_entry(tmp_path: Path) -> None:
    # Zotero's Better BibLaTeX writes a name with a particle as "family=Oord, given=Aaron, prefix=van den", and
    # bibtexparser could not split it, nor "Weilbach," (a trailing comma): each such entry was skipped, a paper lost
    # for one of its names ("cannot read this entry; skipped: Cannot split the following name").
    path = tmp_path / "2026-11-30.bib"
    path.write_text("@article{a, title = {WaveNet}, author = {family=Oord, given=Aaron, prefix=van den, useprefix=true"
                    " and Dieleman, Sander and family={Puy de Clinchamps}, given=Jean}}\n"
                    "@book{b, title = {Ages}, author = {Ada Lovelace and Weilbach,}, editor = {Weilbach,}}\n",
                    encoding="utf-8")
    result = read_paper_list(path)
    assert [paper.authors for paper in result.papers] == [
        ("Aaron van den Oord", "Sander Dieleman", "Jean Puy de Clinchamps"), ("Ada Lovelace", "Weilbach")]
    assert [problem.message for problem in result.problems] == [
        "entry 'b': author 'Weilbach,' cannot be split into first and last names (Trailing comma at end of name);"
        " read as 'Weilbach'"]


def test_a_bibtex_paper_list_in_latin_1_is_read_as_windows_1252_and_keeps_its_pages(tmp_path: Path) -> None:
    # Older JabRef saves `% Encoding: ISO8859_1`: every accent of a paper list was a replacement character, in titles
    # ("Unvollst\ufffdndigkeit"), their ids, and names. A reading list was already read as Windows-1252.
    path = tmp_path / "2026-11-30.bib"
    path.write_bytes("% Encoding: ISO8859_1\n@Article{a, Title = {Unvollständigkeit}, Author = {Kurt Gödel}}\n"
                     "@Article{b, Title = {Arithmetic}, Author = {Ada Lovelace}, eprint = {2402.00007}}\n"
                     .encode("latin-1"))
    result = read_paper_list(path)
    assert result.problems == []
    godel, ada = result.papers
    assert (godel.title, godel.authors) == ("Unvollständigkeit", ("Kurt Gödel",))
    assert godel.id == paper_id("Unvollständigkeit", None)
    assert godel.aliases == (paper_id("Unvollst\ufffdndigkeit", None),)  # the page published before stays
    assert ada.aliases == ()
    # an arXiv id read in a form earlier versions did not read: the page they gave, from the replaced title, stays
    path.write_bytes("@article{s, title={Schrödinger Adders}, journal={arXiv preprint arXiv:2402.00006}}\n"
                     .encode("latin-1"))
    (scholar,) = read_paper_list(path).papers
    assert scholar.id == "2402.00006" and paper_id("Schr\ufffddinger Adders", None) in scholar.aliases


def test_google_scholars_arxiv_journal_gives_a_bibtex_entry_its_arxiv_id(tmp_path: Path) -> None:
    # Google Scholar's BibTeX names an arXiv paper only as `journal = {arXiv preprint arXiv:ID}`: a paper list of its
    # exports had no arXiv links, ids from titles, and no merge by id with the paper's arXiv listing.
    path = tmp_path / "2026-11-30.bib"
    path.write_text("@article{a, title={Adders of Engines}, journal={arXiv preprint arXiv:2402.00006}, year={2024}}\n"
                    "@article{b, title={Bdders}, journal={Journal of arXiv preprints}}\n", encoding="utf-8")
    result = read_paper_list(path)
    adders, other = result.papers
    assert (adders.id, adders.arxiv_id) == ("2402.00006", "2402.00006")
    assert adders.aliases == (paper_id("Adders of Engines", None),)  # the page its title gave it stays
    assert (other.arxiv_id, other.aliases) == (None, ())
    assert result.problems == []


def test_semantic_scholars_arxiv_volume_gives_a_bibtex_entry_its_arxiv_id(tmp_path: Path) -> None:
    # Semantic Scholar's BibTeX (and older DBLP exports) name an arXiv paper only as the volume of the journal "ArXiv"
    # or "CoRR": `volume = {abs/2006.11239}`, with a link to Semantic Scholar's own page.
    path = tmp_path / "2026-11-30.bib"
    path.write_text("@article{a, title={Adders of Engines}, journal={ArXiv}, year={2024}, volume={abs/2402.00006},\n"
                    "  url={https://api.semanticscholar.org/CorpusID:1}}\n"
                    "@article{b, title={Bdders}, journal={CoRR}, volume={abs/cs/0112017}}\n"
                    "@article{c, title={Cdders}, journal={Nature}, volume={abs/2402.00007}}\n", encoding="utf-8")
    result = read_paper_list(path)
    adders, old_style, other = result.papers
    assert (adders.id, adders.arxiv_id) == ("2402.00006", "2402.00006")
    assert adders.aliases == (paper_id("Adders of Engines", None),)  # the page its title gave it stays
    assert old_style.arxiv_id == "cs/0112017"
    assert (other.arxiv_id, other.aliases) == (None, ())
    assert result.problems == []


def test_a_title_of_zero_width_characters_only_is_reported_and_skipped(tmp_path: Path) -> None:
    """A title of a zero-width space (or a word joiner, a soft hyphen) shows as nothing, as an empty one does: the
    paper was published with a page, a feed entry and a search result that named it by nothing."""
    path = tmp_path / "2026-11-28.yaml"
    path.write_text('papers:\n  - title: "\\u200b"\n    abstract: An abstract under an invisible title.\n'
                    '  - title: "\\u2060\\u00ad "\n    abstract: Another one.\n'
                    "  - title: A Kept Paper\n    abstract: Listed the same day, with a title.\n", encoding="utf-8")
    result = read_paper_list(path)
    assert [paper.title for paper in result.papers] == ["A Kept Paper"]
    assert [str(problem).removeprefix(f"{path}: ") for problem in result.problems] == [
        "item 1: title '\\u200b' shows as no text; skipped", "item 2: title '\\u2060\\xad' shows as no text; skipped"]


OAI_PMH = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<responseDate>2026-11-28T12:00:00Z</responseDate>
<request verb="ListRecords" metadataPrefix="{prefix}" set="physics:hep-th">http://export.arxiv.org/oai2</request>
<ListRecords>
<record><header><identifier>oai:arXiv.org:hep-th/9901001</identifier><datestamp>2026-11-27</datestamp>
<setSpec>physics:hep-th</setSpec></header><metadata>{first}</metadata></record>
<record><header status="deleted"><identifier>oai:arXiv.org:2601.00002</identifier><datestamp>2026-11-27</datestamp>
</header></record>
<record><header><identifier>oai:arXiv.org:2611.00003</identifier><datestamp>2026-11-27</datestamp></header>
<metadata>{second}</metadata></record>
<resumptionToken cursor="0" completeListSize="3">6950431|1001</resumptionToken>
</ListRecords>
</OAI-PMH>
"""
OAI_ARXIV = ('<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>{id}</id><created>{created}</created>{updated}'
             "<authors>{authors}</authors><title>{title}</title><categories>{categories}</categories>{extra}"
             "<license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>{abstract}</abstract>"
             "</arXiv>")


def test_an_arxiv_oai_pmh_harvest_is_read_with_its_authors_dates_and_categories() -> None:
    # arXiv's OAI-PMH interface is what it asks bulk harvesters to use: a ListRecords answer saved as a paper list was
    # refused as "not an Atom or RSS feed", every paper of it lost.
    first = OAI_ARXIV.format(
        id="hep-th/9901001", created="1999-01-04", updated="<updated>1999-02-10</updated>",
        authors=("<author><keyname>Müller</keyname><forenames>José</forenames>"
                 "<affiliation>Invented Institute</affiliation></author>"
                 "<author><keyname>Example</keyname><forenames>Ann</forenames><suffix>Jr</suffix></author>"),
        title="Invented Branes on Imaginary\n  Orbifolds", categories="hep-th gr-qc 81T30",
        extra=("<comments>24 pages; v2: references added</comments><journal-ref>JHEP 9901 (1999) 001</journal-ref>"
               "<doi>10.1088/1126-6708/1999/01/001</doi>"),
        abstract="  We study invented branes.\nThe dual description is derived.\n")
    second = OAI_ARXIV.format(id="2611.00003", created="2026-11-26", updated="", authors=(
        "<author><keyname>Sample</keyname><forenames>Bea</forenames></author>"), title="An Invented Paper",
        categories="cs.LG", extra="", abstract="An invented abstract.")
    result = read_arxiv(OAI_PMH.format(prefix="arXiv", first=first,
                                                                         second=second).encode(), "2026-11-28-oai.xml")
    assert result.problems == []
    old, new = result.papers
    assert (old.id, old.arxiv_id) == ("hep-th-9901001", "hep-th/9901001")
    assert old.title == "Invented Branes on Imaginary Orbifolds"
    assert old.authors == ("José Müller", "Ann Example Jr") and old.affiliations == ("Invented Institute",)
    assert (old.published, old.updated) == (dt.date(1999, 1, 4), dt.date(1999, 2, 10))
    assert old.categories == ("hep-th", "gr-qc")
    assert old.abstract == "We study invented branes. The dual description is derived."
    assert (old.comment, old.journal_ref, old.doi) == ("24 pages; v2: references added", "JHEP 9901 (1999) 001",
                                                       "10.1088/1126-6708/1999/01/001")
    assert (new.id, new.published, new.updated, new.url) == ("2611.00003", dt.date(2026, 11, 26), dt.date(2026, 11, 26),
                                                             "https://arxiv.org/abs/2611.00003")
    # arXivRaw: the authors as one text, the dates of every version.
    raw = ('<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>2611.00003</id><submitter>Bea Sample</submitter>'
           '<version version="v1"><date>Thu, 26 Nov 2026 10:00:00 GMT</date><size>10kb</size></version>'
           '<version version="v2"><date>Fri, 27 Nov 2026 10:00:00 GMT</date><size>11kb</size></version>'
           "<title>An Invented Paper</title><authors>Bea Sample (MIT) and Carl Placeholder</authors>"
           "<categories>cs.LG stat.ML</categories><abstract>An invented abstract.</abstract></arXivRaw>")
    result = read_arxiv(OAI_PMH.format(prefix="arXivRaw", first=raw,
                                                                         second=raw).encode(), "2026-11-28-oai.xml")
    assert [(p.authors, p.published, p.updated) for p in result.papers] == [
        (("Bea Sample", "Carl Placeholder"), dt.date(2026, 11, 26), dt.date(2026, 11, 27))] * 2
    # Another metadata format, an error answer and an empty harvest are said, each naming the file.
    dublin_core = '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"><x/></oai_dc:dc>'
    result = read_arxiv(OAI_PMH.format(prefix="oai_dc", first=dublin_core,
                                                                         second=raw).encode(), "2026-11-28-oai.xml")
    assert [str(p) for p in result.problems] == [
        "2026-11-28-oai.xml: item 1: record metadata '{http://www.openarchives.org/OAI/2.0/oai_dc/}dc' is not arXiv's"
        " 'arXiv' or 'arXivRaw' format (harvest with metadataPrefix=arXiv); skipped"]
    assert len(result.papers) == 1
    error = (b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-11-28T12:00:00Z</responseDate>'
             b'<request verb="ListRecords">http://export.arxiv.org/oai2</request>'
             b'<error code="noRecordsMatch">No records match</error></OAI-PMH>')
    assert [str(p) for p in read_arxiv(error, "e.xml").problems] == [
        "e.xml: the OAI-PMH answer is an error: noRecordsMatch: No records match"]


def test_a_code_link_broken_over_lines_is_kept_whole(tmp_path: Path) -> None:
    """A line break or tab inside a link is no part of it, as browsers read URLs (two real daily papers had one)."""
    item = {
        "paper": {"id": "2502.20001", "title": "Invented Widgets", "summary": "Widgets are invented here.",
                  "authors": [{"name": "Ann Example"}], "upvotes": 3,
                  "githubRepo": "https://github.com/example/\nwidgets", "projectPage": "https://example.org/\tw/"},
        "publishedAt": "2025-02-21T02:00:00.000Z", "title": "Invented Widgets",
    }
    (tmp_path / "2025-02-21-hf.json").write_text(json.dumps([item]), encoding="utf-8")
    listed = {"papers": [{"title": "Invented Gadgets", "abstract": "Gadgets are invented here.",
                          "code": "https://github.com/example/\r\ngadgets", "url": "https://example.org/g\nadgets x"}]}
    (tmp_path / "2025-02-22.json").write_text(json.dumps(listed), encoding="utf-8")
    daily = read_paper_list(tmp_path / "2025-02-21-hf.json")
    assert daily.problems == []
    assert daily.papers[0].code == "https://github.com/example/widgets"
    assert daily.papers[0].project_page == "https://example.org/w/"
    structured = read_paper_list(tmp_path / "2025-02-22.json")
    assert structured.papers[0].code == "https://github.com/example/gadgets"
    assert structured.papers[0].url is None  # a space is still no part of a URL
    assert [problem.split(": ", 1)[1] for problem in map(str, structured.problems)] == [
        "item 1: 'url' is not an http(s) URL; ignored"
    ]


def test_an_empty_ai_keywords_entry_is_no_problem(tmp_path: Path) -> None:
    """Hugging Face writes a paper without keywords as ``"ai_keywords": [""]``: nothing to report (--strict failed)."""
    def item(number: int, keywords: list) -> dict:
        return {"paper": {"id": f"2502.2000{number}", "title": f"Invented Paper {number}", "summary": "Invented.",
                          "authors": [{"name": "Ann Example"}], "ai_keywords": keywords},
                "publishedAt": "2025-02-21T02:00:00.000Z", "title": f"Invented Paper {number}"}
    target = tmp_path / "2025-02-21-hf.json"
    target.write_text(json.dumps([item(1, [""]), item(2, ["widgets", " ", "gadgets"]), item(3, ["widgets", 7])]),
                      encoding="utf-8")
    result = read_paper_list(target)
    assert [paper.keywords for paper in result.papers] == [(), ("widgets", "gadgets"), ("widgets",)]
    assert [str(problem).split(": ", 1)[1] for problem in result.problems] == [
        "item 3: 'paper.ai_keywords' holds entries that are not text; they are ignored"
    ]
