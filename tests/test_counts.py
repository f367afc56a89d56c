"""Counts read as a reader expects: thousands separated ("1,235 papers") and singular for one ("1 paper")."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.counts import columns, count, ljust, number, pages
from tests.conftest import make_project, run_digest

BIG = 1_234  # papers in the first issue: past a thousand


def test_numbers_have_thousands_separators_whatever_the_locale() -> None:
    assert [number(n) for n in (0, 7, 999, 1_000, 9_577, 1_234_567)] == ["0", "7", "999", "1,000", "9,577", "1,234,567"]
    assert count(1, "paper") == "1 paper"
    assert count(0, "paper") == "0 papers"
    assert count(9_577, "paper") == "9,577 papers"
    assert count(2, "entry", "entries") == "2 entries"
    assert count(1, "new paper") == "1 new paper"


def test_pages_and_terminal_columns() -> None:
    assert [pages(items, 20) for items in (0, 1, 20, 21, 40, 41)] == [0, 1, 1, 2, 2, 3]
    # Full-width letters (East Asian width F, as a Japanese keyboard types "ＧＰＴ") take two columns, as wide ones do;
    # a combining accent none: the counts beside such names in the commands' tables stay in line.
    assert [columns(text) for text in ("Robotics", "机器学习", "ＧＰＴ", "Jose\u0301")] == [8, 8, 6, 4]
    assert ljust("ＧＰＴ", 8) == "ＧＰＴ  " and ljust("GPT", 8) == "GPT     "


def test_pages_print_counts_with_separators_and_singulars(tmp_path: Path) -> None:
    """A real build of 1,235 papers in two issues, one of them of a single paper."""
    data = tmp_path / "lists"
    data.mkdir()
    # Titles two words apart (one word apart would be reported as possible duplicates).
    names = ["".join(chr(ord("a") + int(digit)) for digit in f"{i:04d}") for i in range(1, BIG + 1)]
    papers = [{"title": f"Notes on the {name} problem of {name[::-1]}", "abstract": f"We report on {name}.",
               "arxiv": f"2611.{i:05d}"} for i, name in enumerate(names, start=1)]
    (data / "2026-11-27.yaml").write_text(yaml.safe_dump({"papers": papers}), encoding="utf-8")
    single = [{"title": "A lone result", "abstract": "One finding, alone.", "arxiv": "2611.99999"}]
    (data / "2026-11-28.yaml").write_text(yaml.safe_dump({"papers": single}), encoding="utf-8")
    topics = tmp_path / "topics.yml"  # no keyword matches: every paper is in "Other"
    topics.write_text("topics:\n  - name: Astronomy\n    slug: astronomy\n    keywords: [galaxy]\n", encoding="utf-8")
    project = make_project(tmp_path / "site", papers=data, topics=topics)
    summary = run_digest("build", cwd=project).stdout
    # One note: no paper has the taxonomy's one topic first (all are in Other), and the count is singular.
    assert "1,235 papers in 2 issues; 0 problems, 1 note." in summary

    content = project / "content"
    home = (content / "index.md").read_text(encoding="utf-8")
    assert "**1,235** papers in **2** issues." in home
    assert "1 new paper, by topic." in home  # the newest issue has one paper
    assert '<span class="digest-topic__count">1,235 papers</span>' in home
    assert "issue of 2026-11-27: 1,234</title>" in home  # the chart's cell for the big issue
    issues = (content / "issues" / "index.md").read_text(encoding="utf-8")
    assert "— 1,234 papers: Other 1,234" in issues
    assert "— 1 paper: Other 1" in issues
    assert "1,234 papers first listed in this issue" in (content / "issues" / "2026-11-27.md").read_text("utf-8")
    assert "<p>1 paper first listed in this issue" in (content / "issues" / "2026-11-28.md").read_text("utf-8")
    assert "| 1,235 |" in (content / "topics" / "index.md").read_text(encoding="utf-8")
    other = (content / "topics" / "other" / "index.md").read_text(encoding="utf-8")
    assert "<strong>1,235</strong> papers, newest first." in other
    assert "(1,235)" in (content / "subscribe.md").read_text(encoding="utf-8")
    assert not re.search(r"\b1 papers\b|\b\d{4,} papers\b", home + issues)


def test_no_message_counts_with_a_parenthesised_plural() -> None:
    """"1 problem(s)", "2 new paper(s) saved": every count in a message goes through ``count`` instead."""
    root = Path(__file__).resolve().parent.parent / "generator"
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}"
             for path in sorted(root.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if re.search(r"[a-z]\(s\)", line.replace("http(s)", ""))]
    assert found == []
