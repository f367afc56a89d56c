"""YAML and JSON paper lists, and how files become dated issues."""

import datetime as dt
from pathlib import Path

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
    result = read_json(b'[\n{"title": "x",\n}\n]', "broken.json")
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
