"""YAML and JSON paper lists, and how files become dated issues."""

import datetime as dt
import json
from pathlib import Path

from generator.model import paper_id
from generator.sources import read_all, read_paper_list
from generator.sources.structured import read_json, read_yaml


def test_yaml_mapping_with_date_and_papers(tmp_path: Path) -> None:
    path = tmp_path / "reading-list.yaml"
    path.write_text(
        "date: 2026-11-28\npapers:\n"
        "  - title: A Paper\n    abstract: Text.\n    authors: [Ada Lovelace, Alan Turing]\n"
        "    arxiv: 2401.01234v3\n    date: 2024-01-02\n    code: https://github.com/a/b\n",
        encoding="utf-8",
    )
    result = read_paper_list(path)
    assert result.problems == []
    (paper,) = result.papers
    assert paper.added == dt.date(2026, 11, 28)
    assert paper.published == dt.date(2024, 1, 2)
    assert paper.id == paper.arxiv_id == "2401.01234"
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.code == "https://github.com/a/b"


def test_unknown_fields_and_bad_items_are_reported_and_good_ones_kept() -> None:
    data = b"""- title: Good
  abstract: Fine.
  venue: NeurIPS
- just a string
- abstract: no title
- title: Bad link
  abstract: x
  url: javascript:alert(1)
"""
    result = read_yaml(data, "list.yaml")
    assert [paper.title for paper in result.papers] == ["Good", "Bad link"]
    assert result.papers[1].url is None
    assert [str(problem) for problem in result.problems] == [
        "list.yaml: item 1: unknown field 'venue' ignored",
        "list.yaml: item 2: expected a mapping of paper fields, found str; skipped",
        "list.yaml: item 3: missing or empty 'title'; skipped",
        "list.yaml: item 4: 'url' is not an http(s) URL; ignored",
    ]


def test_display_text_is_kept_as_written() -> None:
    result = read_json(b'[{"title": "  The  \\u00c9cole   Paper ", "abstract": "A  b"}]', "x.json")
    assert result.papers[0].title == "The  \u00c9cole   Paper"


def test_invalid_json_names_the_line() -> None:
    result = read_json(b'[\n{"title": "x"\n"abstract": "y"}\n]', "broken.json")  # a comma missing
    assert result.papers == []
    assert str(result.problems[0]).startswith("broken.json:3: invalid JSON")


def test_invalid_yaml_names_the_line() -> None:
    result = read_yaml(b"papers:\n  - title: [unclosed\n", "broken.yaml")
    assert str(result.problems[0]).startswith("broken.yaml:3: invalid YAML")


def test_wrong_types_are_reported_per_item() -> None:
    result = read_yaml(b"- title: [1, 2]\n  abstract: x\n- title: Fine\n  abstract: y\n  authors: 7\n", "t.yaml")
    assert [paper.title for paper in result.papers] == ["Fine"]
    assert [str(p) for p in result.problems] == [
        "t.yaml: item 1: 'title' should be text, found list",
        "t.yaml: item 1: missing or empty 'title'; skipped",
        "t.yaml: item 2: 'authors' should be a list of names, found int",
    ]


def test_a_file_without_issue_date_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "undated.yaml"
    path.write_text("- title: A\n  abstract: B\n", encoding="utf-8")
    result = read_paper_list(path)
    assert result.papers == []
    assert "no issue date" in str(result.problems[0])
    assert "undated.yaml" in str(result.problems[0])


def test_an_issue_date_past_the_calendar_s_end_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    """9999-12-31 (for 2025-12-31) left no room for its week on the top pages: the build stopped with an
    OverflowError. Such a file is skipped with a problem naming it; the other files' papers are read."""
    (tmp_path / "9999-12-31.txt").write_text("Typo paper\nIts abstract.\n", encoding="utf-8")
    (tmp_path / "later.yaml").write_text("date: 3000-01-01\npapers:\n- title: A\n  abstract: B\n", encoding="utf-8")
    (tmp_path / "2105-12-31.txt").write_text("Last paper\nIts abstract.\n", encoding="utf-8")
    (tmp_path / "2025-12-31.txt").write_text("Good paper\nIts abstract.\n", encoding="utf-8")
    results, problems = read_all([tmp_path])
    assert sorted(p.title for r in results for p in r.papers) == ["Good paper", "Last paper"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / '9999-12-31.txt'}: issue date 9999-12-31 is after the year 2105: a typo? The file is skipped",
        f"{tmp_path / 'later.yaml'}: issue date 3000-01-01 is after the year 2105: a typo? The file is skipped",
    ]


def test_an_issue_date_too_late_for_the_sitemap_s_date_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    """The site is dated by its newest issue, and sitemap.xml.gz holds that date in 32 bits (up to 2106-02-07):
    a typo such as 2206-11-27 for 2026-11-27 made `make site` and `mkdocs build` stop with a struct.error."""
    from generator.feeds import issue_datetime
    from generator.sources import LATEST_ISSUE_DATE

    assert issue_datetime(LATEST_ISSUE_DATE).timestamp() < 2**32  # what make site gives as SOURCE_DATE_EPOCH
    (tmp_path / "2206-11-27.txt").write_text("Typo paper\nIts abstract.\n", encoding="utf-8")
    (tmp_path / "2026-11-27.txt").write_text("Good paper\nIts abstract.\n", encoding="utf-8")
    results, problems = read_all([tmp_path])
    assert [p.title for r in results for p in r.papers] == ["Good paper"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / '2206-11-27.txt'}: issue date 2206-11-27 is after the year 2105: a typo? The file is skipped",
    ]


def test_files_are_found_recursively_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2026-01-02.yaml").write_text("- title: B\n  abstract: b\n", encoding="utf-8")
    (tmp_path / "2026-01-01.txt").write_text("Title A\nAbstract a\n", encoding="utf-8")
    (tmp_path / "2026-01-03.json").write_text('[{"title": "C", "abstract": "c"}]', encoding="utf-8")
    (tmp_path / "README.md").write_text("not a paper list", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text("- nonsense", encoding="utf-8")
    results, problems = read_all([tmp_path])
    assert problems == []
    assert [(r.issue_date.isoformat(), [p.title for p in r.papers]) for r in results if r.issue_date] == [
        ("2026-01-01", ["Title A"]),
        ("2026-01-03", ["C"]),
        ("2026-01-02", ["B"]),
    ]


def test_categories_and_keywords_are_read_and_bad_ones_reported(tmp_path: Path) -> None:
    path = tmp_path / "2026-11-28.yaml"
    path.write_text(
        "papers:\n"
        "  - title: Spikes\n    abstract: Neurons.\n    categories: [q-bio.NC, cs.NE]\n"
        "    keywords: [spiking networks, plasticity, plasticity]\n"
        "  - title: Odd\n    abstract: Text.\n    categories: {a: 1}\n    keywords: [1, ok]\n",
        encoding="utf-8",
    )
    result = read_paper_list(path)
    spikes, odd = result.papers
    assert spikes.categories == ("q-bio.NC", "cs.NE")
    assert spikes.keywords == ("spiking networks", "plasticity")
    assert odd.categories == () and odd.keywords == ("ok",)
    assert [p.message for p in result.problems] == [
        "'categories' should be a list of texts, found dict; ignored",
        "'keywords': 1 is not text; ignored",
    ]


# arXiv's bulk metadata (one JSON object per line, as in arxiv-metadata-oai-snapshot.json) and the JSON Lines
# files of the digests built on arXiv's API (daily-arXiv): their field names are arXiv's, not ours.
# The records below are invented; their shapes are those of the real files.
BULK_RECORD = (
    '{"id": "0704.0001", "submitter": "Ada Lovelace", '
    '"authors": "Ada Lovelace, G\\\\\\"unther Sch\\\\\\"on and Alan Turing", '
    '"title": "A Made-Up Study\\n  of Engines", "comments": "12 pages, 3 figures", '
    '"journal-ref": "J. Invented Res. 1 (2007) 1-12", "doi": "10.1000/xyz", "report-no": null, '
    '"categories": "math.CO cs.DM", "license": null, '
    '"abstract": "  We count the engines of an invented kind.\\n", '
    '"versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, '
    '{"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"}], '
    '"update_date": "2008-11-13", "authors_parsed": [["Lovelace", "Ada", ""]]}'
)
DAILY_ARXIV_RECORD = (
    '{"id": "2503.13531", "pdf": "https://arxiv.org/pdf/2503.13531", "abs": "https://arxiv.org/abs/2503.13531", '
    '"authors": ["Grace Hopper", "Edsger Dijkstra"], "title": "An Invented Paper on Compilers", '
    '"categories": ["cs.PL", "cs.SE"], "comment": "Accepted at an invented venue", '
    '"summary": "We compile invented programs.\\nIt works.", '
    '"AI": {"tldr": "Compilers.", "motivation": "...", "method": "...", "result": "...", "conclusion": "..."}}'
)


def test_arxiv_bulk_metadata_records_are_read_with_arxiv_field_names() -> None:
    from generator.sources.structured import read_jsonl

    result = read_jsonl(BULK_RECORD.encode("utf-8") + b"\n", "2026-11-28.jsonl")
    assert result.problems == []
    (paper,) = result.papers
    assert paper.id == paper.arxiv_id == "0704.0001"
    assert paper.authors == ("Ada Lovelace", "Günther Schön", "Alan Turing")
    assert paper.abstract == "We count the engines of an invented kind."
    assert paper.categories == ("math.CO", "cs.DM")  # one text in arXiv's file: split, primary first
    assert paper.comment == "12 pages, 3 figures" and paper.comments is None  # a text: arXiv's comment, not a count
    assert paper.journal_ref == "J. Invented Res. 1 (2007) 1-12"
    assert paper.published == dt.date(2007, 4, 2)  # version 1
    assert paper.updated == dt.date(2008, 11, 13)


def test_affiliations_and_suffixes_in_an_author_text_make_no_author() -> None:
    # arXiv's bulk metadata writes affiliations into the author text, after each name or numbered at the end; the
    # commas inside them made authors such as "Bo Chen (2) ((1) MIT" and "(2) ETH)", and ", Jr." one named "Jr.".
    from generator.sources.structured import read_jsonl

    texts = ["Ann Lee (1), Bo Chen (2) ((1) MIT, (2) ETH Zurich)", "Ann Lee (MIT), Bo Chen (ETH, Zurich)",
             "Ann Lee (MIT) and Bo Chen", "Ann Lee (1 and 2), Bo Chen", "Lee, Ann (MIT); Chen, Bo"]
    lines = [json.dumps({"id": f"0704.000{n}", "title": f"T{n}", "abstract": "A.", "authors": text})
             for n, text in enumerate(texts, start=1)]
    lines.append(json.dumps({"id": "0704.0009", "title": "J", "abstract": "A.", "authors": "Neal Evans, II, Ann Lee"}))
    result = read_jsonl("\n".join(lines).encode("utf-8"), "2026-11-28.jsonl")
    assert result.problems == []
    assert [paper.authors for paper in result.papers] == [("Ann Lee", "Bo Chen")] * 5 + [("Neal Evans II", "Ann Lee")]


def test_daily_arxiv_records_are_read_with_their_abstract_id_and_links() -> None:
    from generator.sources.structured import read_jsonl

    result = read_jsonl(DAILY_ARXIV_RECORD.encode("utf-8") + b"\n", "2026-11-28.jsonl")
    assert result.problems == []  # "AI" (the digest's own machine summaries) is ignored without a word
    (paper,) = result.papers
    assert paper.id == "2503.13531"
    assert paper.abstract == "We compile invented programs.\nIt works."
    assert paper.url == "https://arxiv.org/abs/2503.13531" and paper.pdf == "https://arxiv.org/pdf/2503.13531"
    assert paper.categories == ("cs.PL", "cs.SE")
    assert paper.comment == "Accepted at an invented venue"
    assert paper.tldr == ""  # never shown as a summary


def test_daily_arxiv_records_with_a_code_link_give_the_papers_code_and_stars() -> None:
    # The digests' newer records name a paper's code and its stars: each was an "unknown field" (three problems a
    # paper, fatal with --strict) and the code link was lost.
    from generator.sources.structured import read_jsonl

    record = json.loads(DAILY_ARXIV_RECORD) | {
        "code_url": "https://github.com/example/compiler", "code_stars": 12, "code_last_update": "2026-06-24"}
    result = read_jsonl(json.dumps(record).encode("utf-8") + b"\n", "2026-11-28.jsonl")
    assert result.problems == []
    (paper,) = result.papers
    assert (paper.code, paper.stars) == ("https://github.com/example/compiler", 12)


def test_arxiv_names_give_way_to_ours_and_bad_values_are_reported() -> None:
    data = (
        b'[{"title": "Both", "abstract": "Ours.", "summary": "Theirs.", "arxiv": "2401.00001", "id": "2401.00002",'
        b' "comments": 4, "comment": "A comment."},'
        b' {"title": "Odd", "summary": "Text.", "id": "not-an-id", "versions": [{"created": "yesterday"}],'
        b' "update_date": "soon"}]'
    )
    result = read_json(data, "list.json")
    both, odd = result.papers
    assert both.abstract == "Ours." and both.arxiv_id == "2401.00001"
    assert both.comments == 4 and both.comment == "A comment."
    assert odd.abstract == "Text." and odd.arxiv_id is None and odd.published is None and odd.updated is None
    assert [str(p) for p in result.problems] == [
        "list.json: item 2: 'id' value 'not-an-id' is not an arXiv id; ignored",
        "list.json: item 2: 'versions': 'yesterday' is not a date; ignored",
        "list.json: item 2: 'update_date' value 'soon' is not YYYY-MM-DD; ignored",
    ]


def test_a_daily_arxiv_folder_builds_with_ids_merged_across_days(tmp_path: Path) -> None:
    folder = tmp_path / "issues"
    folder.mkdir()
    (folder / "2026-11-27.jsonl").write_text(DAILY_ARXIV_RECORD + "\n", encoding="utf-8")
    (folder / "2026-11-28.jsonl").write_text(DAILY_ARXIV_RECORD + "\n" + BULK_RECORD + "\n", encoding="utf-8")
    from generator.merge import merge_papers

    results, problems = read_all([folder])
    assert problems == [] and all(r.problems == [] for r in results)
    papers = merge_papers([p for r in results for p in r.papers])
    assert sorted((p.id, p.added.isoformat()) for p in papers) == [
        ("0704.0001", "2026-11-28"), ("2503.13531", "2026-11-27"),  # listed again the next day: one paper, first issue
    ]


def test_json_lines_in_a_json_file_are_read_line_by_line(tmp_path: Path) -> None:
    # arXiv's bulk metadata file is named .json but holds one object per line.
    path = tmp_path / "2026-11-28.json"
    path.write_text(BULK_RECORD + "\n" + DAILY_ARXIV_RECORD + "\n", encoding="utf-8")
    result = read_paper_list(path)
    assert result.problems == []
    assert [paper.id for paper in result.papers] == ["0704.0001", "2503.13531"]
    broken = read_json(b'{"title": "x"}\n{"title": \n', "b.json")  # not JSON Lines either: reported as JSON
    assert broken.papers == [] and str(broken.problems[0]).startswith("b.json:2: invalid JSON")


def test_authors_given_as_mappings_keep_their_names() -> None:
    data = (
        b'[{"title": "T", "abstract": "A.", "authors": [{"authorId": "1", "name": "Ada Lovelace"},'
        b' {"given": "Alan", "family": "Turing"}, {"affiliation": "nowhere"}, 7]}]'
    )
    result = read_json(data, "s2.json")
    assert result.papers[0].authors == ("Ada Lovelace", "Alan Turing")
    assert [p.message for p in result.problems] == [
        "author {'affiliation': 'nowhere'} is not text; ignored", "author 7 is not text; ignored",
    ]


def test_authors_in_one_text_separated_by_semicolons_are_last_first_names() -> None:
    # Reference managers' exports write "Smith, Alice; Jones, Bob": split at every comma, that was four authors
    # ("Smith", "Alice", ...), each with an author page.
    result = read_yaml(b"- {title: T, abstract: A., authors: 'Smith, Alice; Jones, Bob'}\n"
                       b"- {title: U, abstract: A., authors: 'Lovelace, A.; Turing, A. M. and Hopper, G.'}\n"
                       b"- {title: V, abstract: A., authors: 'Ada Lovelace; Alan Turing'}\n"
                       b"- {title: W, abstract: A., authors: 'Ada Lovelace, Alan Turing and Grace Hopper'}\n", "t.yaml")
    assert [paper.authors for paper in result.papers] == [
        ("Alice Smith", "Bob Jones"), ("A. Lovelace", "A. M. Turing", "G. Hopper"), ("Ada Lovelace", "Alan Turing"),
        ("Ada Lovelace", "Alan Turing", "Grace Hopper")]
    assert result.problems == []


def test_authors_in_one_text_as_bibtex_writes_them_are_last_first_names() -> None:
    # BibTeX's author field copied into a list, "Li, Wei and Chen, Bo", was split at every comma and "and": four
    # authors ("Li", "Wei", "Chen", "Bo"), each with an author page.
    result = read_yaml(b"- {title: T, abstract: A., authors: 'Li, Wei and Chen, Bo'}\n"
                       b"- {title: U, abstract: A., authors: 'Lovelace, A. and Turing, A. M. and Hopper, G.'}\n"
                       b"- {title: V, abstract: A., authors: 'Ada Lovelace, Alan Turing and Grace Hopper'}\n"
                       b"- {title: W, abstract: A., authors: 'Neal Evans, II and Ada Lovelace'}\n"
                       b"- {title: X, abstract: A., authors: 'Li, Wei and Chen, Bo and others'}\n"
                       b"- {title: Y, abstract: A., authors: 'Li, Wei and others'}\n", "t.yaml")
    assert [paper.authors for paper in result.papers] == [
        ("Wei Li", "Bo Chen"), ("A. Lovelace", "A. M. Turing", "G. Hopper"),
        ("Ada Lovelace", "Alan Turing", "Grace Hopper"), ("Neal Evans II", "Ada Lovelace"),
        ("Wei Li", "Bo Chen"), ("Wei Li",)]
    assert result.problems == []


CSL_EXPORT = """[
  {"id": "http://zotero.org/users/local/AbC/items/QW3ER", "type": "article",
   "title": "Attention Sinks in Streaming Language Models",
   "abstract": "We study why language models attend to the first token. It helps streaming.",
   "URL": "http://arxiv.org/abs/2309.17453", "number": "arXiv:2309.17453", "publisher": "arXiv",
   "DOI": "10.48550/arXiv.2309.17453", "source": "arXiv.org", "note": "arXiv:2309.17453 [cs]",
   "author": [{"family": "Xiao", "given": "Guangxuan"}, {"family": "Beethoven", "given": "Ludwig",
               "non-dropping-particle": "van"}, {"literal": "The Streaming Team"}],
   "issued": {"date-parts": [["2023", 9, 29]]}, "accessed": {"date-parts": [[2024, 1, 5]]},
   "keyword": "Computer Science - Computation and Language"},
  {"id": "smith2021kernels", "type": "article-journal", "title": "Kernel Methods for Graphs Revisited",
   "abstract": "A survey of graph kernels on forty datasets.",
   "container-title": "Journal of Machine Learning Research",
   "volume": "22", "page": "1-40", "DOI": "10.5555/3546258", "language": "en",
   "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2021, 6]]}},
  {"id": "doe", "type": "paper-conference", "title": "Adders at Scale", "abstract": "Adders, at scale.",
   "issued": {"date-parts": [["last spring"]]}, "author": [{"family": "Doe"}]}
]
"""


def test_a_csl_json_export_is_read_with_its_authors_dates_links_and_journal() -> None:
    """Zotero's "Export → CSL JSON": its author, DOI, URL, issued and container-title were "unknown field" and lost
    (README said CSL JSON authors were read), and every item's own key was "not an arXiv id"."""
    result = read_json(CSL_EXPORT.encode(), "reading.json")
    sinks, kernels, adders = result.papers
    assert (sinks.arxiv_id, sinks.id, sinks.doi, sinks.url) == (
        "2309.17453", "2309.17453", "10.48550/arXiv.2309.17453", "http://arxiv.org/abs/2309.17453")
    assert sinks.authors == ("Guangxuan Xiao", "Ludwig van Beethoven", "The Streaming Team")
    assert sinks.published == dt.date(2023, 9, 29)
    assert (kernels.authors, kernels.doi, kernels.journal_ref) == (
        ("John Smith",), "10.5555/3546258", "Journal of Machine Learning Research")
    assert (kernels.published, kernels.publication_year, kernels.month) == (None, 2021, 6)
    assert adders.authors == ("Doe",) and adders.publication_year is None
    assert [str(problem) for problem in result.problems] == [
        "reading.json: item 3: 'issued' value {'date-parts': [[...]]} is not a CSL date (date-parts:"
        " [[year, month, day]]); ignored"]


def test_csl_rich_text_in_titles_and_abstracts_is_read_as_its_text() -> None:
    """Zotero writes CSL's rich text into its CSL JSON export: the pages showed "Expression of <i>lacZ</i> in
    <i>E. coli</i>" (as text, escaped), tags and all. Elsewhere such tags are text as any other."""
    text = ('[{"id": "k1", "type": "article-journal", "DOI": "10.1/x",'
            ' "title": "Expression of <i>lacZ</i> in <i>E. coli</i>: H<sub>2</sub>O, x<sup>2</sup> and the'
            ' <span class=\\"nocase\\">iPhone</span> <b>Study</b>'
            ' <span style=\\"font-variant:small-caps;\\">Nasa</span>",'
            ' "abstract": "We grow <i>E. coli</i> in D<sub>2</sub>O."}]')
    result = read_json(text.encode(), "reading.json")
    (paper,) = result.papers
    assert paper.title == "Expression of lacZ in E. coli: H2O, x2 and the iPhone Study Nasa"
    assert paper.abstract == "We grow E. coli in D2O."
    assert paper.id == paper_id(paper.title, None) and result.problems == []
    plain = read_json(b'[{"title": "Why <i>x</i>", "abstract": "a."}]', "list.json")
    assert plain.papers[0].title == "Why <i>x</i>"  # not CSL: its text as written


def test_a_date_known_to_the_month_or_year_only_gives_them() -> None:
    """``date: 2024-03`` or ``date: 2024`` (a paper's publication known so far) was "not YYYY-MM-DD; ignored"."""
    text = ("- {title: A, abstract: a., date: 2024-03}\n- {title: B, abstract: b., date: 2021}\n"
            "- {title: C, abstract: c., date: '2024-13'}\n- {title: D, abstract: d., date: 2024-03-05}\n")
    result = read_yaml(text.encode(), "list.yaml")
    assert [(paper.publication_year, paper.month, paper.published) for paper in result.papers] == [
        (2024, 3, None), (2021, None, None), (None, None, None), (2024, None, dt.date(2024, 3, 5))]
    assert [str(problem) for problem in result.problems] == [
        "list.yaml: item 3: 'date' value '2024-13' is not YYYY-MM-DD (or YYYY-MM, YYYY); ignored"]


def test_a_json_arxiv_id_written_as_a_number_keeps_its_trailing_zeros() -> None:
    """``"arxiv": 2401.10000`` was the float 2401.1: "not an arXiv id", and the paper got its title's id (YAML kept
    the digits already). In JSON and JSON Lines alike; a count with a fraction is still not a count."""
    for text in ('[{"title": "A", "abstract": "a.", "arxiv": 2401.10000, "upvotes": 3.5}]',
                 '{"title": "A", "abstract": "a.", "arxiv": 2401.10000, "upvotes": 3.5}\n'
                 '{"title": "B", "abstract": "b."}\n'):
        result = read_json(text.encode(), "list.json")
        assert (result.papers[0].arxiv_id, result.papers[0].id) == ("2401.10000", "2401.10000")
        assert [problem.message for problem in result.problems] == [
            "'upvotes' should be a whole number (0 or more), found 3.5; ignored"]


def test_stars_without_a_code_link_are_reported_not_lost_unsaid() -> None:
    # Pages, feeds and the email show stars beside the code link ("Code (300 stars)"): a hand-written list giving
    # stars without code lost them without a word.
    result = read_yaml(b"- {title: T, abstract: A., stars: 300}\n"
                       b"- {title: U, abstract: A., stars: 300, code: 'https://github.com/a/b'}\n"
                       b"- {title: V, abstract: A., stars: 0}\n", "t.yaml")
    assert [paper.stars for paper in result.papers] == [300, 300, 0]
    assert [str(problem) for problem in result.problems] == [
        "t.yaml: item 1: 'stars' (300) is shown beside the code link, and this paper has none: give its repository"
        " as code: (a URL)"]


def test_html_character_references_in_a_scraped_list_are_the_characters_they_stand_for() -> None:
    # A list scraped from web pages keeps "&amp;" and "&#39;": pages showed "Tom &amp; Jerry&#39;s" as written.
    data = json.dumps([
        {"title": "Tom &amp; Jerry&#39;s Model", "abstract": "Partners&#39; cues &amp; more&#x2014;&nbsp;all."},
        {"title": "Cats &amp; Dogs", "abstract": "A.", "id": "2402.00007"},
        {"title": "AT&T; R&D", "abstract": "Plain & simple."},
    ]).encode()
    tom, cats, plain = read_json(data, "2026-11-30.json").papers
    assert (tom.title, tom.abstract) == ("Tom & Jerry's Model", "Partners' cues & more\u2014\u00a0all.")
    assert tom.id == paper_id("Tom & Jerry's Model", None)
    assert tom.aliases == (paper_id("Tom &amp; Jerry&#39;s Model", None),)  # the page its title gave it stays
    assert (cats.title, cats.id, cats.aliases) == ("Cats & Dogs", "2402.00007", ())
    assert (plain.title, plain.abstract, plain.aliases) == ("AT&T; R&D", "Plain & simple.", ())


def test_an_unknown_field_of_every_record_is_reported_once_for_the_file() -> None:
    """A digest's own fields in each of its records (a topic, machine summaries) were reported once a field and
    paper: a day of 77 papers gave 308 lines, a year of such files 90,000, and the other problems went unseen."""
    from generator.sources.structured import read_jsonl

    records = [{"title": f"Invented Paper {n}", "abstract": "An invented abstract.", "topic": "Optics",
                "contribution": "A machine summary."} for n in range(1, 4)]
    records[1]["venue"] = "An Invented Venue"
    data = "".join(json.dumps(record) + "\n" for record in records).encode("utf-8")
    result = read_jsonl(data, "2026-11-28.jsonl")
    assert len(result.papers) == 3
    assert [str(problem) for problem in result.problems] == [
        "2026-11-28.jsonl:1: unknown field 'contribution' ignored (and in 2 more papers of this file)",
        "2026-11-28.jsonl:1: unknown field 'topic' ignored (and in 2 more papers of this file)",
        "2026-11-28.jsonl:2: unknown field 'venue' ignored",
    ]
    listed = read_yaml(b"- {title: A, abstract: B., topic: C}\n- {title: D, abstract: E., topic: F}\n", "list.yaml")
    assert [str(problem) for problem in listed.problems] == [
        "list.yaml: item 1: unknown field 'topic' ignored (and in 1 more paper of this file)"]


def test_an_unknown_field_of_every_file_is_reported_once_for_the_archive(tmp_path: Path) -> None:
    """The same digest's own fields in every file of an archive were three lines a file: six weeks of an astro-ph
    digest gave 126, and a year's history (`digest import`) over a thousand. Each is told once, at its first file,
    with how many other files have it."""
    from generator.sources import read_all

    for day in range(1, 5):
        records = [{"title": f"Invented Paper {day}-{n}", "abstract": "An invented abstract.", "topic": "Optics"}
                   for n in range(1, 3)]
        if day == 3:
            records[0]["venue"] = "An Invented Venue"
        (tmp_path / f"2026-11-0{day}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                         encoding="utf-8")
    results, problems = read_all([tmp_path])
    assert sum(len(result.papers) for result in results) == 8
    shown = [str(problem).replace(str(tmp_path) + "/", "") for problem in problems]
    assert shown == [
        "2026-11-01.jsonl:1: unknown field 'topic' ignored (and in 1 more paper of this file); also in 3 more files,"
        " the last 2026-11-04.jsonl",
        "2026-11-03.jsonl:1: unknown field 'venue' ignored",
    ]


def test_a_daily_arxiv_records_pdf_url_is_its_pdf_link() -> None:
    # Digests that keep the arXiv API's Python library's names write the PDF link as pdf_url: it was an unknown field
    # (a problem each paper, fatal with --strict) and the link was lost.
    from generator.sources.structured import read_jsonl

    record = {key: value for key, value in json.loads(DAILY_ARXIV_RECORD).items() if key != "pdf"}
    record |= {"url": "http://arxiv.org/abs/2503.13531v1", "pdf_url": "https://arxiv.org/pdf/2503.13531v1"}
    result = read_jsonl(json.dumps(record).encode("utf-8") + b"\n", "2026-11-28.jsonl")
    assert result.problems == []
    (paper,) = result.papers
    assert (paper.arxiv_id, paper.pdf) == ("2503.13531", "https://arxiv.org/pdf/2503.13531v1")


def test_a_daily_arxiv_records_primary_category_and_updated_date_are_read() -> None:
    """Digests that save the arXiv API's Python library's fields (``primary_category``, and ``updated_date``) had
    both reported as unknown, twice a file (fatal with --strict), and a primary category listed second was read as a
    cross-list, half the evidence for a topic that lists it."""
    from generator.sources.structured import read_jsonl

    record = {"id": "2606.31549v1", "title": "Dwarf galaxies at cosmic noon", "summary": "We observe them.",
              "url": "http://arxiv.org/abs/2606.31549v1", "categories": ["astro-ph.CO", "astro-ph.GA"],
              "primary_category": "astro-ph.GA", "updated_date": "2026-06-30"}
    result = read_jsonl(json.dumps(record).encode("utf-8") + b"\n", "2026-07-01_fetched.jsonl")
    assert result.problems == []
    (paper,) = result.papers
    assert paper.categories == ("astro-ph.GA", "astro-ph.CO")
    assert paper.updated == dt.date(2026, 6, 30)
    record |= {"categories": ["astro-ph.CO"], "updated_date": "June"}
    result = read_jsonl(json.dumps(record).encode("utf-8") + b"\n", "2026-07-01_fetched.jsonl")
    assert result.papers[0].categories == ("astro-ph.GA", "astro-ph.CO")  # the primary one, listed or not
    assert [str(p) for p in result.problems] == [
        "2026-07-01_fetched.jsonl:1: 'updated_date' value 'June' is not YYYY-MM-DD; ignored"]


def test_a_mapping_without_papers_says_it_holds_none() -> None:
    # Another tool's answer saved as a paper list (Crossref's works: {"status", "message-type", "message"}) read as no
    # paper, and the build said only that its keys were ignored.
    document = {"status": "ok", "message-type": "work-list", "message": {"items": [{"title": ["Invented Work"]}]}}
    result = read_json(json.dumps(document).encode(), "2026-11-28-crossref.json")
    assert result.papers == []
    assert [p.message for p in result.problems] == [
        "unknown top-level key 'message' ignored", "unknown top-level key 'message-type' ignored",
        "unknown top-level key 'status' ignored",
        "no 'papers' in this mapping: it holds no papers (a paper list is a list of papers, or a mapping with 'date'"
        " and 'papers'; this one has 'message', 'message-type', 'status')"]
    assert read_yaml(b"date: 2026-11-28\npapers: []\n", "2026-11-28.yaml").problems == []


def test_semantic_scholar_records_give_their_arxiv_id_doi_date_and_summary() -> None:
    # Semantic Scholar's Graph API answer, as a search saves it: its arXiv id and DOI are in externalIds, its date in
    # publicationDate (else year), its summary in tldr.text. All were ignored (the papers took ids from their titles,
    # and the search's answer gave no paper at all).
    records = [
        {"paperId": "0" * 40, "externalIds": {"ArXiv": "2503.01234", "DOI": "10.48550/arXiv.2503.01234",
                                              "CorpusId": 1},
         "url": "https://www.semanticscholar.org/paper/" + "0" * 40, "title": "Invented Models of Everything",
         "abstract": "We present invented models.", "venue": "arXiv.org", "year": 2025,
         "publicationDate": "2025-03-03", "authors": [{"authorId": "1", "name": "Dee Example"}],
         "citationCount": 3, "tldr": {"model": "tldr@v2.0.0", "text": "Invented models are presented."}},
        {"paperId": "f" * 40, "externalIds": {"DOI": "10.1000/xyz123"}, "title": "An Invented Journal Paper",
         "abstract": None, "year": 2024, "publicationDate": None, "authors": [{"authorId": "2", "name": "Fay Sample"}],
         "tldr": None, "journal": {"name": "Invented Journal", "volume": "3"}},
    ]
    answer = {"total": 2, "offset": 0, "next": 2, "data": records}
    for document in (answer, records):
        result = read_json(json.dumps(document).encode(), "2026-11-28-s2.json")
        assert [str(p) for p in result.problems] == ["2026-11-28-s2.json: item 2: missing or empty 'abstract'"]
        first, second = result.papers
        assert (first.id, first.arxiv_id, first.doi) == ("2503.01234", "2503.01234", "10.48550/arXiv.2503.01234")
        assert first.published == dt.date(2025, 3, 3) and first.authors == ("Dee Example",)
        assert (first.tldr, first.summary_source) == ("Invented models are presented.", "Semantic Scholar")
        assert (second.arxiv_id, second.doi, second.published, second.year) == (None, "10.1000/xyz123", None, 2024)
    one = read_json(json.dumps(records[0]).encode(), "2026-11-28-s2.json")  # graph/v1/paper/ID: one paper
    assert [paper.id for paper in one.papers] == ["2503.01234"] and one.problems == []
    # Outside a Semantic Scholar record its names are a list's unknown fields, as before.
    other = read_json(b'[{"title": "T", "abstract": "A.", "year": 2024, "externalIds": {}}]', "l.json")
    assert [p.message for p in other.problems] == ["unknown field 'externalIds' ignored",
                                                   "unknown field 'year' ignored"]
    bad = read_json(json.dumps([{**records[0], "externalIds": {"ArXiv": "nope"}, "publicationDate": "2025"}]).encode(),
                    "b.json")
    assert [p.message for p in bad.problems] == [
        "'externalIds.ArXiv' value 'nope' is not an arXiv id; ignored",
        "'publicationDate' value '2025' is not YYYY-MM-DD; ignored"]
    # A year that is no year (a volume, a count put in its place) is said and left out, not shown as the year.
    for year in (0, 12345):
        odd = read_json(json.dumps([{**records[1], "year": year}]).encode(), "y.json")
        assert [p.message for p in odd.problems] == ["missing or empty 'abstract'",
                                                     f"'year' value {year} is not a year; ignored"]
        assert odd.papers[0].year is None


def test_dates_written_with_the_month_s_name_are_read_and_time_stamps_are_explained() -> None:
    # Lists scraped from Hugging Face's pages keep their "Mar 5, 2025"; it was refused as not YYYY-MM-DD. A time stamp
    # (JavaScript's milliseconds) is no date whose unit can be known: said so, not "not YYYY-MM-DD".
    items = [{"title": f"Invented {number}", "abstract": "An invented abstract.", "date": date}
             for number, date in enumerate(["2025-03-05T00:00:00Z", "Mar 5, 2025", "5 March 2025", "Sept. 30, 2024",
                                            "Feb 30, 2025", 1741132800000], start=1)]
    result = read_json(json.dumps(items).encode(), "list.json")
    assert [paper.published for paper in result.papers] == [
        dt.date(2025, 3, 5), dt.date(2025, 3, 5), dt.date(2025, 3, 5), dt.date(2024, 9, 30), None, None]
    assert [str(problem) for problem in result.problems] == [
        "list.json: item 5: 'date' value 'Feb 30, 2025' is not YYYY-MM-DD (or YYYY-MM, YYYY); ignored",
        "list.json: item 6: 'date' value 1741132800000 is a number, not a date (a time stamp? its unit and time zone"
        " are not said): write it as YYYY-MM-DD; ignored"]


def test_openalex_works_are_read_with_their_abstract_authors_institutions_and_doi() -> None:
    # OpenAlex's answer ({"meta", "results"}) gave no paper; its works give their abstract as an inverted index.
    work = {
        "id": "https://openalex.org/W1234567890", "doi": "https://doi.org/10.48550/arxiv.2503.05555",
        "title": "Another Invented Paper", "display_name": "Another Invented Paper", "publication_year": 2025,
        "publication_date": "2025-03-04", "type": "preprint", "cited_by_count": 0,
        "ids": {"openalex": "https://openalex.org/W1234567890", "doi": "https://doi.org/10.48550/arxiv.2503.05555"},
        "authorships": [
            {"author_position": "first", "author": {"id": "https://openalex.org/A1", "display_name": "Eve Sample"},
             "institutions": [{"id": "https://openalex.org/I1", "display_name": "Invented University"}],
             "raw_author_name": "E. Sample"},
            {"author": {"id": None, "display_name": None}, "institutions": [], "raw_author_name": "Gus Example"}],
        "abstract_inverted_index": {"An": [0], "invented": [1, 3], "abstract,": [2], "again.": [4]},
        "primary_location": {"landing_page_url": "https://arxiv.org/abs/2503.05555", "pdf_url": None},
        "keywords": [{"id": "https://openalex.org/keywords/x", "display_name": "Invented", "score": 0.5}],
    }
    answer = {"meta": {"count": 1, "page": 1, "per_page": 25}, "results": [work], "group_by": []}
    for document in (answer, work, [work]):
        result = read_json(json.dumps(document).encode(), "2026-11-28-openalex.json")
        assert result.problems == []
        (paper,) = result.papers
        assert (paper.id, paper.title, paper.published) == ("2503.05555", "Another Invented Paper", dt.date(2025, 3, 4))
        assert paper.abstract == "An invented abstract, invented again."
        assert paper.authors == ("Eve Sample", "Gus Example") and paper.affiliations == ("Invented University",)
        assert paper.url == "https://arxiv.org/abs/2503.05555" and paper.doi == work["doi"]  # the build keeps the DOI
    hostile = {**work, "abstract_inverted_index": {"word": [10**12, 1, -3, "x", True]}, "title": None,
               "display_name": "Shown Name"}
    (paper,) = read_json(json.dumps([hostile]).encode(), "o.json").papers
    assert (paper.title, paper.abstract) == ("Shown Name", "word word word")
