"""Helpers of the reading layout: citation, summaries, links in raw HTML, the trends chart."""

from __future__ import annotations

import datetime as dt
import re

from generator.model import Issue, Paper, TopicMatch
from generator.render import bibtex, evidence, page_url, summary
from generator.topics import Topic
from generator.trends import MAX_COLUMNS, columns, trends_list, trends_svg


def make(title: str = "A Title", authors: tuple[str, ...] = ("Jörg Schölkopf",), **fields: object) -> Paper:
    return Paper(id="x1", title=title, abstract="a", added=dt.date(2026, 11, 28), source="t", authors=authors, **fields)


def test_bibtex_entry_has_a_plain_key_and_balanced_braces() -> None:
    entry = bibtex(make("Unbalanced } braces { here", arxiv_id="2611.01234"))
    assert entry.startswith("@misc{scholkopf2026unbalanced,\n")
    assert "title = {Unbalanced  braces  here}" in entry or "title = {Unbalanced braces here}" in entry
    assert "eprint = {2611.01234}" in entry and entry.endswith("\n}")
    assert entry.count("{") == entry.count("}")
    kept = bibtex(make("The {BERT} model", authors=()))
    assert "title = {The {BERT} model}" in kept and kept.startswith("@misc{anonthe,")


def test_bibtex_key_spells_names_and_titles_of_other_scripts_in_latin_letters() -> None:
    """Papers by Chinese or Russian authors were keyed "anon...paper" (anonymous, and alike: "anonpaperb", ...)."""
    chinese = bibtex(make("基于深度学习的图像分割方法研究", authors=("张伟", "王芳")))
    russian = bibtex(make("Распознавание речи с помощью трансформеров", authors=("Иван Петров",)))
    assert chinese.startswith("@misc{zhangweijiyu,\n") and russian.startswith("@misc{petrovraspoznavanie,\n")
    assert bibtex(make("Deep Nets", authors=("张伟",))).startswith("@misc{zhangweideep,")  # a Latin word stays first
    assert bibtex(make("A Title")).startswith("@misc{scholkopftitle,")  # keys of Latin names and titles unchanged


def test_bibtex_key_takes_the_first_word_the_title_shows_not_a_latex_command() -> None:
    """arXiv's "\\textit{Euclid} preparation. ..." was keyed "textit", a title opening with a formula "mathcal"."""
    assert bibtex(make("\\textit{Euclid} preparation. BAO fits")).startswith("@misc{scholkopfeuclid,")
    formula_first = bibtex(make("$\\mathcal{O}(N)$ Segmentation of $\\Lambda$CDM Maps"))
    assert formula_first.startswith("@misc{scholkopfsegmentation,")
    assert bibtex(make("Schr\\\"odinger Bridges")).startswith("@misc{scholkopfschrodinger,")


def test_bibtex_escapes_the_characters_latex_reads_as_commands() -> None:
    """A reference manager's "Q\\&A" is read as "Q&A"; cited back as it is, LaTeX stops at the "&" (an alignment
    tab), drops the rest of the line after "%" (a comment) and fails on "#" when the bibliography is typeset."""
    entry = bibtex(make("Q&A in 50% Fewer Steps with C# and $\\alpha \\% \\&$", authors=("Ann Lee", "R&D Lab"),
                        arxiv_id="2611.01234", url="https://example.org/?a=1&b=50%25#top"))
    assert "title = {{Q\\&A} in 50\\% Fewer Steps with C\\# and $\\alpha \\% \\&$}" in entry  # escaped once
    assert "author = {Lee, Ann and {R\\&D Lab}}" in entry
    assert "url = {https://arxiv.org/abs/2611.01234}" in entry
    linked = bibtex(make("A Title", url="https://example.org/?a=1&b=50%25#top"))
    assert "url = {https://example.org/?a=1&b=50%25#top}" in linked  # a link is read as it is written


def test_bibtex_escapes_dollars_and_math_only_characters_outside_formulas() -> None:
    """A price's "$" (or a lone one) made LaTeX set the rest of the title as math, and "_" or "^" outside a formula
    stopped it ("Missing $ inserted"); the formulas the pages render stay as written."""
    entry = bibtex(make("Sorting in $O(n \\log n)$ Time Costs $5 with GPT_4, x^2 and \\(a_b\\)",
                        authors=("Ann_Lee",)))
    assert "title = {Sorting in {$O(n \\log n)$} Time Costs \\$5 with {GPT\\_4,} x\\^{}2 and \\(a_b\\)}" in entry
    assert "author = {Ann\\_Lee}" in entry
    # Escaped once: a list's own "\\$" and "\\_" are kept as they are.
    assert "title = {Costs \\$5 and a\\_b}" in bibtex(make("Costs \\$5 and a\\_b"))
    unbalanced = bibtex(make("Prices $5 and $10, a lone $ and $x_i$"))
    assert "title = {Prices \\$5 and \\$10, a lone \\$ and $x_i$}" in unbalanced
    # A formula right before a number (arXiv's "$\\times$4", "$\\sim$40") is one: "\\$\\times\\$" stopped LaTeX.
    before_a_number = bibtex(make("The TA$\\times$4 Array at $\\sim$40 pc"))
    assert "title = {The {TA}$\\times$4 Array at $\\sim$40 pc}" in before_a_number


def test_bibtex_cites_the_papers_own_year_never_the_issues() -> None:
    # No date known: no year at all (the issue of 2026-11-28 is when the digest listed it, not when it appeared).
    undated = bibtex(make("Old Results"))
    assert "year" not in undated and "2026" not in undated
    assert undated.startswith("@misc{scholkopfold,")
    assert "year = {2001}" in bibtex(make("Old Results", year=2001, month=3))
    assert "year = {2019}" in bibtex(make("Old Results", published=dt.date(2019, 6, 1), year=2001))
    # A new-style arXiv id names the month of its first version: 2410.00907 appeared in October 2024.
    assert "year = {2024}" in bibtex(make("Old Results", arxiv_id="2410.00907"))
    assert "year = {1997}" in bibtex(make("Old Results", arxiv_id="hep-th/9711200"))
    assert "doi = {10.1/x}" in bibtex(make("Old Results", doi="10.1/x"))


def test_summary_cuts_at_a_word() -> None:
    text = "word " * 100
    cut = summary(text, 30)
    assert cut.endswith("…") and len(cut) <= 31 and "wor…" not in cut
    assert summary("short  text") == "short text"


def test_page_urls_follow_mkdocs_directory_urls() -> None:
    assert page_url("index.md") == ""
    assert page_url("papers/2611.01234.md") == "papers/2611.01234/"
    assert page_url("topics/rl/index.md") == "topics/rl/"
    assert page_url("topics/rl/page-3.md") == "topics/rl/page-3/"


def test_evidence_reads_as_a_phrase() -> None:
    phrase = evidence(("title: bandit", "abstract: regret", "abstract: regret"))
    assert phrase == "in the title: “bandit”; in the abstract: “regret”"
    learned = evidence(("title: bandit", "top terms: regret, arm", "similar to papers in this topic (cosine 0.31)"))
    assert learned == "in the title: “bandit”; top terms: regret, arm; similar to papers in this topic (cosine 0.31)"
    assert evidence(("pinned in the curation file",)) == "pinned in the curation file"


def test_trends_chart_counts_papers_per_topic_and_escapes_names() -> None:
    topics = [Topic(slug="a", name="<b>A</b> & co"), Topic(slug="b", name="B")]
    papers = {
        f"p{i}": Paper(id=f"p{i}", title="t", abstract="a", added=dt.date(2026, 11, 20 + i % 2), source="t",
                       topics=(TopicMatch("a" if i % 3 else "b", 1.0),))
        for i in range(6)
    }
    issues = [Issue(dt.date(2026, 11, 21), ("p1", "p3", "p5")), Issue(dt.date(2026, 11, 20), ("p0", "p2", "p4"))]
    svg = str(trends_svg(issues, papers, topics))
    assert "<b>" not in svg and "&#60;b&#62;A&#60;/b&#62; &#38; co" in svg
    cells = re.findall(r"<title>([^<]*)</title></rect>", svg)
    assert "B, issue of 2026-11-20: 1" in cells and "B, issue of 2026-11-21: 1" in cells
    assert len(cells) == 4


def test_the_trends_chart_is_also_a_list_for_screen_readers_and_keyboards() -> None:
    """The chart is one picture to a screen reader, and its squares give their counts to a pointer only: the same
    counts are a list under it, a line per topic naming its issues with papers."""
    topics = [Topic(slug="a", name="<b>A</b> & co"), Topic(slug="b", name="B"), Topic(slug="c", name="Empty")]
    days = [dt.date(2026, 11, 20), dt.date(2026, 11, 21), dt.date(2026, 11, 21), dt.date(2026, 11, 22)]
    papers = {
        f"p{i}": Paper(id=f"p{i}", title="t", abstract="a", added=day, source="t",
                       topics=(TopicMatch("b" if i == 3 else "a", 1.0),))
        for i, day in enumerate(days)
    }
    issues = [Issue(day, tuple(pid for pid, paper in papers.items() if paper.added == day))
              for day in sorted(set(days))]
    listed = str(trends_list(issues, papers, topics))
    svg = str(trends_svg(issues, papers, topics))
    assert listed.startswith('<details class="digest-trends__numbers"><summary>')
    lines = re.findall(r"<li>(.*?)</li>", listed)
    assert lines == [
        "&#60;b&#62;A&#60;/b&#62; &#38; co: 1 on <time>2026-11-20</time>, 2 on <time>2026-11-21</time>",
        "B: 1 on <time>2026-11-22</time>",
    ]  # a topic with no paper has no line, as it has no row in the chart
    for label in ("2026-11-20: 1", "2026-11-21: 2", "2026-11-22: 0"):
        assert f"&#60;b&#62;A&#60;/b&#62; &#38; co, issue of {label}</title>" in svg  # the same counts
    many = [Issue(dt.date(2026, 1, 5) + dt.timedelta(days=d), ("p0",) if d == 0 else ()) for d in range(40)]
    assert "<li>&#60;b&#62;A&#60;/b&#62; &#38; co: 1 in the week of <time>2026-01-05</time></li>" in str(
        trends_list(many, papers, topics)
    )
    assert str(trends_list([], papers, topics)) == ""


def test_trends_use_weeks_when_there_are_many_issues() -> None:
    issues = [Issue(dt.date(2026, 1, 1) + dt.timedelta(days=d), ()) for d in range(200)]
    cols = columns(issues)
    assert len(cols) == MAX_COLUMNS
    assert all(dt.date.fromisoformat(label).weekday() == 0 for label, _ in cols)  # Mondays


def test_theme_markup_is_repaired_for_the_html_checker() -> None:
    from generator.mkdocs_hooks import repair_theme_markup

    page = (
        '<input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">'
        '<input type="text" class="md-search__input" autocorrect="off" autocomplete="off">'
        '<label class="md-nav__link" for="__nav_2" tabindex=""></label><label class="md-nav__title" for="__toc">'
    )
    repaired = repair_theme_markup(page)
    assert '<input class="md-toggle" type="checkbox" id="__drawer">' in repaired
    assert '<input type="text" class="md-search__input" autocomplete="off">' in repaired  # text inputs keep it
    assert 'tabindex=""' not in repaired and 'for="__toc"' not in repaired
    with_toc = repair_theme_markup('<input id="__toc" type="checkbox"><label for="__toc">')
    assert 'for="__toc"' in with_toc


def test_zensicals_hidden_overlay_label_is_repaired_for_the_html_checker() -> None:
    from generator.mkdocs_hooks import repair_theme_markup

    repaired = repair_theme_markup('<label class="md-overlay" for="__drawer" aria-hidden="true"></label>')
    assert repaired == '<label class="md-overlay" for="__drawer"></label>'
