"""Publication dates: a paper's own date where a source gives one, never its digest issue's date.

A digest lists papers of any age, so the issue date (when the digest listed a paper) is shown
as such and dates the feed entries, but it never stands in for the paper's publication date:
not on the page, not in the BibTeX citation, not in the link-preview tags.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from generator import latex_text
from generator.model import Paper, paper_id
from generator.render import bibtex
from generator.sources import read_paper_list
from tests.conftest import make_project, mkdocs_build, run_digest
from tests.pages import paper_articles

pytestmark = pytest.mark.slow
ISSUE = "2026-11-28"
OLD = "Gradient-Based Learning Applied to Document Recognition"
UNDATED = "A Pasted Paper Without Any Date Given"
BIBTEX = f"""@article{{lecun1998gradient,
  title   = {{{OLD}}},
  author  = {{LeCun, Yann and Bottou, L{{\\'e}}on}},
  journal = {{Proceedings of the IEEE}},
  year    = {{1998}},
  month   = nov,
  doi     = {{10.1109/5.726791}},
}}
"""
LISTING = f"{UNDATED}\nAn abstract long enough to be one: it says what the paper does and how well it works.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lists = tmp_path_factory.mktemp("lists")
    (lists / f"{ISSUE}.bib").write_text(BIBTEX, encoding="utf-8")
    (lists / f"{ISSUE}-pasted.txt").write_text(LISTING, encoding="utf-8")
    project = make_project(tmp_path_factory.mktemp("citation"), papers=lists)
    run_digest("build", "--quiet", cwd=project)
    mkdocs_build(project)
    return project


def page(site: Path, title: str) -> str:
    return (site / "site" / "papers" / paper_id(title, None) / "index.html").read_text(encoding="utf-8")


def citation(html: str) -> str:
    found = re.search(r'<code id="bibtex-[^"]+">(.*?)</code>', html, re.DOTALL)
    assert found is not None
    return found.group(1).replace("&#10;", "\n")


def test_a_bibtex_year_is_cited_and_shown_as_the_publication_date(site: Path) -> None:
    html = page(site, OLD)
    entry = citation(html)
    assert entry.startswith("@misc{lecun1998gradient,")
    assert "year = {1998}" in entry and "doi = {10.1109/5.726791}" in entry
    assert '<span class="digest-label">Published</span> <time>1998-11</time>' in html


def test_a_paper_without_a_date_cites_no_year_and_shows_none(site: Path) -> None:
    html = page(site, UNDATED)
    entry = citation(html)
    assert "year" not in entry and "2026" not in entry
    assert '<span class="digest-label">Published</span>' not in html
    # The issue date is there, labelled as the issue's.
    assert f'<span class="digest-label">Issue</span> <a href="../../issues/{ISSUE}/">' in html


def test_link_previews_never_give_the_issue_date_as_publication_date(site: Path) -> None:
    for title in (OLD, UNDATED):
        head = page(site, title).split("</head>", 1)[0]
        metas = re.findall(r"<meta [^>]*>", head)
        assert [meta for meta in metas if ISSUE in meta or "published" in meta.lower()] == []


def test_feeds_date_entries_by_the_issue_that_published_them(site: Path) -> None:
    atom = {"a": "http://www.w3.org/2005/Atom"}
    root = ElementTree.parse(site / "site" / "atom.xml").getroot()
    dates = {entry.findtext("a:title", namespaces=atom): entry.findtext("a:published", namespaces=atom)
             for entry in root.findall("a:entry", atom)}
    assert dates == {OLD: f"{ISSUE}T00:00:00+00:00", UNDATED: f"{ISSUE}T00:00:00+00:00"}


def test_cited_names_are_written_last_first_so_bibtex_finds_the_surname() -> None:
    """BibTeX takes the last word of "First Last" for the surname: "Martin Luther King Jr." was cited as "Jr., M. L. K."
    and "Google DeepMind" as "DeepMind, G."; names are written "von Last, Jr, First", organisations in braces."""
    names = ("Martin Luther King Jr.", "Martin Luther King, Jr.", "Laurens van der Maaten", "Juan de la Cruz",
             "Google DeepMind", "The ATLAS Collaboration", "OpenAI", "张三", "Léon Bottou", "LeCun, Yann", "Qi Ai",
             "World Health Organization")
    entry = bibtex(Paper(id="x1", title="A Title", abstract="a", added=dt.date(2026, 11, 28), source="t",
                         authors=names))
    cited = re.search(r"^  author = \{(.*)\},?$", entry, re.MULTILINE)
    assert cited is not None
    assert cited.group(1).split(" and ") == [
        "King, Jr., Martin Luther", "King, Jr., Martin Luther", "van der Maaten, Laurens", "de la Cruz, Juan",
        "{Google DeepMind}", "{The ATLAS Collaboration}", "OpenAI", "张三", "Bottou, Léon", "LeCun, Yann", "Ai, Qi",
        "{World Health Organization}"]
    # bibtexparser splits the names as BibTeX does.
    library = bibtexparser.parse_string(entry, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    parts = library.entries[0]["author"]
    assert [(name.last, name.jr) for name in parts[:4]] == [
        (["King"], ["Jr."]), (["King"], ["Jr."]), (["Maaten"], []), (["Cruz"], [])]
    assert [name.von for name in parts[2:4]] == [["van", "der"], ["de", "la"]]
    # The key is named by the surname, not the suffix.
    assert entry.startswith("@misc{kingtitle,")


def test_capitals_inside_words_of_a_title_are_kept_by_braces() -> None:
    """Bibliography styles set titles in sentence case: "BERT" was printed "Bert" and "GANs" "Gans". Words with a
    capital after their first letter are braced; formulas, words the source braced and plain title case are not."""
    def title(text: str) -> str:
        entry = bibtex(Paper(id="x1", title=text, abstract="a", added=dt.date(2026, 11, 28), source="t"))
        found = re.search(r"^  title = \{(.*)\},?$", entry, re.MULTILINE)
        assert found is not None
        return found.group(1)

    assert title("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding") == (
        "{BERT:} Pre-training of Deep Bidirectional Transformers for Language Understanding")
    assert title("GANs on ImageNet-1K with GPT-4 and Vision-Language Q&A") == (
        "{GANs} on {ImageNet-1K} with {GPT-4} and Vision-Language {Q\\&A}")
    assert title("The {BERT} model with $x$ Cost") == "The {BERT} model with $x$ Cost"
    assert title("Unbalanced } braces { in LLMs") == "Unbalanced braces in {LLMs}"


def test_two_papers_of_one_author_year_and_first_word_get_two_keys(tmp_path: Path) -> None:
    """An author's two 1998 papers starting "Gradient" were both cited as lecun1998gradient: a bibliography citing
    both kept one (BibTeX: "Repeated entry"). The paper listed first keeps the key, the later one adds "b"."""
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "2026-11-21.bib").write_text(
        "@article{a, title = {Gradient Methods for Everything}, author = {LeCun, Yann}, year = {1998}}\n",
        encoding="utf-8")
    (lists / f"{ISSUE}.bib").write_text(BIBTEX, encoding="utf-8")
    project = make_project(tmp_path / "site", papers=lists)
    run_digest("build", "--quiet", cwd=project)
    articles = paper_articles(project / "content")
    keys = {paper: re.findall(r'<code id="bibtex-[^"]+">@misc\{([^,]+),', articles[paper_id(title, None)])
            for paper, title in (("earlier", "Gradient Methods for Everything"), ("later", OLD))}
    assert keys == {"earlier": ["lecun1998gradient"], "later": ["lecun1998gradientb"]}


def test_an_author_list_cut_short_with_and_others_is_cited_as_such(tmp_path: Path) -> None:
    """Google Scholar ends a long author list with "and others": the citation named the first authors as if they
    were all of them. It ends in "and others" (et al.) as the source did; a whole list does not."""
    path = tmp_path / f"{ISSUE}.bib"
    path.write_text("@article{a, title = {Kernels}, author = {Doe, Jane and Roe, Richard and others}, year = {2020}}\n"
                    "@article{b, title = {Adders}, author = {Doe, Jane and Roe, Richard}, year = {2020}}\n",
                    encoding="utf-8")
    cut, whole = read_paper_list(path).papers
    assert cut.authors == whole.authors == ("Jane Doe", "Richard Roe")
    assert "  author = {Doe, Jane and Roe, Richard and others},\n" in bibtex(cut)
    assert "  author = {Doe, Jane and Roe, Richard},\n" in bibtex(whole)


def test_a_collaboration_of_thousands_is_cited_by_its_first_ten_and_others() -> None:
    """Every one of a physics collaboration's 3,000 names was cited: a BibTeX entry of 75 KB to copy. It is cited as
    INSPIRE cites such papers, by its first names "and others"; a list of 100 is cited whole."""
    def cited(count: int) -> str:
        names = tuple(f"Ada Member{number}" for number in range(count))
        entry = bibtex(Paper(id="x1", title="A Measurement", abstract="a", added=dt.date(2026, 11, 28), source="t",
                             authors=names))
        found = re.search(r"^  author = \{(.*)\},?$", entry, re.MULTILINE)
        assert found is not None
        return found.group(1)

    assert cited(3000).split(" and ") == [*(f"Member{number}, Ada" for number in range(10)), "others"]
    assert cited(100).split(" and ") == [f"Member{number}, Ada" for number in range(100)]


def test_an_arxiv_paper_is_cited_with_its_primary_category() -> None:
    """arXiv's own BibTeX gives ``primaryClass``, which biblatex prints as "arXiv: 2410.00907 [cs.CL]"; it was
    left out. Categories that are no arXiv category (a list's own words) are not cited."""
    def cited(categories: tuple[str, ...], arxiv_id: str | None = "2410.00907") -> str:
        return bibtex(Paper(id="x1", title="A Title", abstract="a", added=dt.date(2026, 11, 28), source="t",
                            arxiv_id=arxiv_id, categories=categories))

    assert "  primaryClass = {cs.CL},\n" in cited(("cs.CL", "cs.LG"))
    assert "  primaryClass = {hep-th},\n" in cited(("hep-th",))
    assert "primaryClass" not in cited(())
    assert "primaryClass" not in cited(("Machine Learning",))
    assert "primaryClass" not in cited(("cs.CL",), arxiv_id=None)


def test_the_venue_a_source_gives_is_cited(tmp_path: Path) -> None:
    """A BibTeX list's ``journal`` and arXiv's journal-ref were shown nowhere in the citation: a journal paper was
    cited as if it had appeared nowhere. The entry gives it as ``howpublished``, escaped like the title."""
    path = tmp_path / f"{ISSUE}.bib"
    path.write_text(BIBTEX + "@inproceedings{b, title = {Adders}, booktitle = {Proc. of R\\&D 2020}, year = {2020}}\n",
                    encoding="utf-8")
    journal, proceedings = read_paper_list(path).papers
    assert "  howpublished = {Proceedings of the IEEE},\n" in bibtex(journal)
    assert "  howpublished = {Proc. of R\\&D 2020}\n" in bibtex(proceedings)
    assert "howpublished" not in bibtex(Paper(id="x1", title="A Title", abstract="a", added=dt.date(2026, 11, 28),
                                              source="t"))


def test_a_formula_with_capitals_in_a_cited_title_is_kept_by_braces() -> None:
    """BibTeX lowercases a title's math as well: "The Large $N$ Limit" was printed "the large $n$ limit", and
    "$\\Sigma$" became "$\\sigma$", another symbol. Such a formula is braced ("\\(...\\)" twice: a group
    starting with a command is one special character, which BibTeX lowercases all the same)."""
    entry = bibtex(Paper(id="x1", title="The Large $N$ Limit of $\\Sigma$-Models, \\(\\Gamma\\) and $x_i$",
                         abstract="a", added=dt.date(2026, 11, 28), source="t"))
    assert "  title = {The Large {$N$} Limit of {$\\Sigma$}-Models, {{\\(\\Gamma\\)}} and $x_i$}\n" in entry


def test_a_tilde_the_page_shows_is_cited_as_a_tilde() -> None:
    """"~5x Faster" shows its "~" on the page, but LaTeX sets a "~" as a space: the citation read " 5x Faster".
    Such a "~" is cited as the character; a tie between two words ("Claude~Sonnet", "Fig.~3") stays a tie."""
    for title, shown in (("~5x Faster Decoding", "\\textasciitilde{}5x Faster Decoding"),
                         ("About ~ 10% of Claude~Sonnet~4.5 in Fig.~3", "About \\textasciitilde{} 10\\% of"
                                                                        " {Claude~Sonnet~4.5} in Fig.~3"),
                         ("Costs $x~y$ then~", "Costs $x~y$ then\\textasciitilde{}")):
        entry = bibtex(Paper(id="x1", title=title, abstract="a", added=dt.date(2026, 11, 28), source="t"))
        assert f"  title = {{{shown}}}\n" in entry
        if "$" not in title:  # as many as the page shows (a formula's "~" is math on the page too)
            assert entry.count("\\textasciitilde{}") == latex_text.plain(title).count("~")
