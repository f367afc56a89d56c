"""LaTeX text markup outside formulas (accents, \\emph{...}, \\%, "--", ``quotes''), shown decoded wherever a title or
an abstract is shown, never as it is read: ids and topics are those of the text as written, formulas stay formulas,
and nothing in the input becomes markup."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import json
import re
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator import escape, latex_text, mathml
from generator.build import BuildOptions
from generator.config import load_config
from generator.mail import commands
from generator.mail.message import message_bytes
from generator.model import paper_id
from generator.render import summary
from tests.conftest import make_project, mkdocs_build, run_digest
from tests.pages import paper_article

TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>")
DATE = "2026-12-01"
LATER = "2026-12-08"
# Paper A has no arXiv id: its id is a hash of its title, as written.
TITLE_A = "Poincar\\'e Inequalities for Schr\\\"odinger Operators: \\emph{Sharp} Navier--Stokes Bounds"
SHOWN_A = "Poincaré Inequalities for Schrödinger Operators: Sharp Navier–Stokes Bounds"
ABSTRACT_A = ("We show \\textbf{sharp} bounds in pages 10--20 of ``the survey'': 50\\% of the cases, for $\\hat{u}_{n}$"
              " and \\(10--20\\). Keep --help, C-- and \\mymacro{x} as written; see \\url{https://example.org/a--b}.")
SHOWN_ABSTRACT_A = ("We show sharp bounds in pages 10–20 of “the survey”: 50% of the cases, for $\\hat{u}_{n}$ and"
                    " \\(10--20\\). Keep --help, C-- and \\mymacro{x} as written; see https://example.org/a--b.")
TITLE_B = "Stra\\ss e and {\\o}resund Graphs: \\emph{<script>alert(1)</script>} Reasoning"
SHOWN_B = "Straße and øresund Graphs: <script>alert(1)</script> Reasoning"
ABSTRACT_B = "Hostile \\textbf{<img src=x onerror=alert(1)>} text about reasoning."
SHOWN_ABSTRACT_B = "Hostile <img src=x onerror=alert(1)> text about reasoning."
TITLE_C = "A Plain Control Paper on Reasoning"


def tags(markup: str) -> set[str]:
    return {match.group(2) for match in TAG.finditer(markup)}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Poincar\\'e, Schr\\\"odinger, {\\\"o}, \\c{c}, \\v{s}, \\'{\\i}, \\'\\i, \\ss, \\o, \\aa",
         "Poincaré, Schrödinger, ö, ç, š, í, í, ß, ø, å"),
        ("G\\\"{o}del, Erd\\H{o}s, \\c Carg\\`ese, \\v Cech, Stra\\ss e, Bj\\o rn, {\\AA}ngstr\\\"om, \\L{}\\'od\\'z",
         "Gödel, Erdős, Çargèse, Čech, Straße, Bjørn, Ångström, Łódź"),
        ("\\emph{a} \\textit{b} \\textbf{c} \\textsc{d} \\texttt{e} {\\em f} {\\bf g} {\\it\\\"o}", "a b c d e f g ö"),
        ("50\\% \\& \\_ \\# \\$5 \\{x\\}", "50% & _ # $5 {x}"),
        ("Navier--Stokes, pages 10--20, 1B--70B, a---b", "Navier–Stokes, pages 10–20, 1B–70B, a—b"),
        ("``quoted'' and ``so-called ``nested''", "“quoted” and ``so-called “nested”"),
        ("\\LaTeX\\ and \\TeX{} \\ldots{} done", "LaTeX and TeX … done"),
        ("Claude~Sonnet~4.5, Fig.~3 and ~10% or \\~n, a ~ b, https://a.org/~me",
         "Claude Sonnet 4.5, Fig. 3 and ~10% or ñ, a ~ b, https://a.org/~me"),  # ties: spaces
        ("at \\small\\url{https://a.org/x\\_y} and \\url{https://b.org/c--d}", "at https://a.org/x_y and https://b.org/c--d"),
        # An apostrophe the source escaped is no accented s: "MLLMś" showed on pages and in feeds.
        ("the MLLM\\'s answer, a query\\'s (L\\'s), Ko\\'sciuszko, \\'{s}",
         "the MLLM's answer, a query's (L's), Kościuszko, ś"),
        # Abstracts copied from papers: citations (mathematics' most common command outside formulas), chemistry's
        # sub- and superscripts, degrees and \noindent showed as written.
        ("argument in \\cite{KenM:NLS,KenM:NLW}, and \\citet{schawinski14}; \\citep[e.g.][]{x} \\cite{}",
         "argument in [KenM:NLS, KenM:NLW], and [schawinski14]; \\citep[e.g.][]{x} \\cite{}"),
        ("Cs\\textsubscript{2}AgBiBr\\textsubscript{6} at 2{\\textdegree} and 5\\textmu m. \\noindent Methods",
         "Cs2AgBiBr6 at 2° and 5µm. Methods"),
    ],
)
def test_latex_text_markup_is_decoded(text: str, shown: str) -> None:
    assert latex_text.plain(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "--help and C-- and x -- y and a----b",  # no word character on both sides: not a dash
        "\\mymacro{x}, \\eg, \\href{https://a.org}{b}, \\\\ and \\u003c, \\d+, \\vec{x}, \\'9, \\\"{ab}",
        "{B}ayesian {GPU}s and the set {1, 2}",  # braces that are not around a known command stay
        "a \\emph{unclosed argument, a stray } and \\textbf{again",
        "50% of a `single' quote",
        "https://example.org/a--b and http://example.org/x--y/z",  # URLs are as written
        "$a--b$, $\\'e$, \\(x--y\\) and $$\\emph{z}$$",  # formulas too, rendered or not
    ],
)
def test_unknown_commands_lone_dashes_urls_and_formulas_stay_as_written(text: str) -> None:
    decoded = latex_text.plain(text)
    assert "–" not in decoded and "—" not in decoded and "“" not in decoded
    for span in ["--help", "C--", "a----b", "\\mymacro{x}", "\\eg", "\\href{https://a.org}{b}", "\\\\",
                 "\\u003c", "\\d+", "\\vec{x}", "\\'9", "{B}ayesian", "{1, 2}", "\\textbf{again", "50%",
                 "`single'", "https://example.org/a--b", "http://example.org/x--y/z", "$a--b$", "$\\'e$", "\\(x--y\\)",
                 "$$\\emph{z}$$"]:
        if span in text:
            assert span in decoded, span


def test_formulas_render_as_before_and_the_text_around_them_is_decoded() -> None:
    text = "For $\\hat{u}_{n}$ and \\(10--20\\) in Schr\\\"odinger--Poisson systems"
    rendered = escape.html_with_math(text)
    for segment in mathml.split(text):
        if segment.formula is not None:
            assert escape.math_markup(segment.formula) in rendered
    assert "Schrödinger–Poisson systems" in rendered and "\\" not in rendered.split("</math>")[-1]


def test_emphasis_is_our_own_element_and_the_input_stays_text() -> None:
    text = "\\emph{<script>alert(1)</script>} and \\textbf{<b onclick=x>b</b>} \\textsc{&amp;}"
    for rendered in (escape.html_with_math(text), escape.text_with_math(text), escape.html_with_math(text, links=True)):
        assert tags(rendered) == {"em", "strong"}, rendered
        assert "<script" not in rendered and "<b " not in rendered
    assert escape.html_with_math(text).startswith("<em>&lt;script&gt;alert(1)&lt;/script&gt;</em> and <strong>")
    assert latex_text.plain(text) == "<script>alert(1)</script> and <b onclick=x>b</b> &amp;"


def test_nesting_is_bounded_and_unmatched_braces_cost_no_more_than_a_pass() -> None:
    deep = "\\emph{" * 500 + "x" + "}" * 500
    rendered = escape.html_with_math(deep)
    assert rendered.count("<em>") == rendered.count("</em>") == latex_text.MAX_DEPTH
    assert latex_text.plain("{" * 200_000 + "\\'e") == "{" * 200_000 + "é"  # one pass: quick


@given(st.text(alphabet=st.sampled_from(list("\\{}$'`\"-emphtxbf<>&%_ io")), max_size=60))
def test_any_mix_of_commands_braces_and_dollars_gives_safe_markup(text: str) -> None:
    for rendered in (escape.html_with_math(text, links=True), escape.text_with_math(text)):
        assert tags(rendered) <= mathml.ELEMENTS | {"em", "strong"}
        assert rendered.count("<em>") == rendered.count("</em>")
    assert isinstance(latex_text.plain(text), str)


def test_text_without_markup_is_returned_as_it_is() -> None:
    text = "Plain title: 50% of C-, \"quotes\" and a-b-c"
    assert latex_text.plain(text) is text
    assert latex_text.decode(text) == (text,)


# ---------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def latex_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three papers of one issue, two written in LaTeX (one of them hostile), and a plain one a week later (the
    first week is over: it is in the weekly top feed), built with ``digest build``. The reading list is paper B, so
    the others are picked "like" its title."""
    folder = tmp_path_factory.mktemp("latex")
    lists = folder / "lists"
    lists.mkdir()
    (lists / f"{DATE}.yaml").write_text(yaml.safe_dump({"date": DATE, "papers": [
        {"title": TITLE_A, "abstract": ABSTRACT_A, "authors": ["Ada Lovelace", "Emmy Noether"], "upvotes": 7},
        {"title": TITLE_B, "abstract": ABSTRACT_B, "authors": ["Ada Lovelace"], "arxiv": "2612.00002", "upvotes": 5},
        {"title": TITLE_C, "abstract": "Nothing to decode here, on reasoning.", "authors": ["Ada Lovelace"],
         "arxiv": "2612.00003", "upvotes": 3},
    ]}, allow_unicode=True), encoding="utf-8")
    (lists / f"{LATER}.yaml").write_text(yaml.safe_dump({"date": LATER, "papers": [
        {"title": "A Later Plain Paper on Reasoning", "abstract": "Plain.", "authors": ["Ada Lovelace"],
         "arxiv": "2612.00004", "upvotes": 1}]}), encoding="utf-8")
    project = make_project(folder / "site", papers=lists)
    (project / "data" / "reading.txt").write_text("2612.00002\n", encoding="utf-8")
    (project / "digest.yml").write_text(
        "papers: [data/issues]\ntopics: data/topics.yml\nauthors: {min_papers: 1}\n"
        "picks: {reading_list: data/reading.txt, per_issue: 3, min_score: 0}\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    return project


ID_A = paper_id(TITLE_A, None)


def test_paper_pages_show_the_title_and_abstract_decoded(latex_site: Path) -> None:
    article = html.unescape(paper_article(latex_site / "content", ID_A))  # the title is escaped for Markdown too
    heading = re.search(r"<h1 .*?</h1>", article)
    assert heading and SHOWN_A.replace("Sharp", "<em>Sharp</em>") in heading.group(0)
    assert ("We show <strong>sharp</strong> bounds in pages 10–20 of “the survey”: 50% of the cases, for <math" in
            article)
    assert 'Keep --help, C-- and \\mymacro{x} as written; see <a href="https://example.org/a--b">' in article
    assert "<mo>−</mo><mo>−</mo>" in article  # \(10--20\) is a formula: its -- are two minus signs
    hostile = paper_article(latex_site / "content", "2612.00002")
    assert not tags(hostile) & {"script", "img"}  # the input's tags are text: escaped
    assert "<em><script>alert(1)</script></em>" in html.unescape(hostile)
    assert "<strong><img src=x onerror=alert(1)></strong>" in html.unescape(hostile)
    # The next and previous papers of the issue, and the citation, which keeps its LaTeX (it is LaTeX).
    neighbours = paper_article(latex_site / "content", "2612.00003")
    assert "Poincaré" in neighbours or "Straße" in neighbours
    assert f"title = {{{TITLE_A}}}" in article


def test_lists_cards_author_and_top_pages_show_titles_decoded(latex_site: Path) -> None:
    content = latex_site / "content"
    pages = {
        "issue": content / "issues" / f"{DATE}.md",
        "home": content / "index.md",
        **{f"top {path.name}": path for path in (content / "top").glob("*.md")},
        **{f"topic {path.parent.name}": path for path in (content / "topics").glob("*/index.md")},
        **{f"authors {path.name}": path for path in (content / ".digest" / "authors").glob("*.shard")},
    }
    shown = {name: path.read_text(encoding="utf-8") for name, path in pages.items()}
    with_a = [name for name, text in shown.items() if ID_A in text]
    assert "issue" in with_a and any(name.startswith("topic") for name in with_a)
    assert any(name.startswith("top ") for name in with_a)
    assert any(name.startswith("authors") for name in with_a)
    for name in with_a:
        shown[name] = html.unescape(shown[name])  # Markdown pages write ":" as "&#58;"
        assert SHOWN_A.replace("Sharp", "<em>Sharp</em>") in shown[name], name
        assert "Poincar\\" not in shown[name] and "Navier--Stokes" not in shown[name], name


def test_ids_and_what_topics_are_scored_on_are_the_text_as_written(latex_site: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Decoding when read would change the title hash of published papers and move their topics: reading, merging,
    topics, picks, related papers and authors never decode."""

    def refuse(*_args: object) -> None:
        raise AssertionError("LaTeX text decoded before the pages")

    monkeypatch.setattr(latex_text, "decode", refuse)
    monkeypatch.setattr(latex_text, "plain", refuse)
    config, _ = load_config(latex_site / "digest.yml")
    archive, _report = commands.load(config, BuildOptions())
    assert archive.papers[ID_A].title == TITLE_A and archive.papers[ID_A].abstract == ABSTRACT_A
    assert archive.papers["2612.00002"].title == TITLE_B
    assert all(paper.topics for paper in archive.papers.values())


class Head(HTMLParser):
    """A page's <title> text and its meta values by name or property."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title, self.meta, self._in_title = "", {}, False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self._in_title = tag == "title"
        if tag == "meta" and (attributes.get("name") or attributes.get("property")):
            self.meta[str(attributes.get("name") or attributes.get("property"))] = str(attributes.get("content"))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


@pytest.fixture(scope="module")
def latex_built(latex_site: Path) -> Path:
    """The LaTeX site built by MkDocs (strict)."""
    return mkdocs_build(latex_site)


def test_page_titles_descriptions_and_link_previews_show_the_text_decoded(latex_built: Path) -> None:
    head = Head()
    head.feed((latex_built / "papers" / ID_A / "index.html").read_text(encoding="utf-8"))
    assert head.title == f"{SHOWN_A} - Paper Digest"
    assert head.meta["og:title"] == SHOWN_A
    assert head.meta["description"] == head.meta["og:description"] == summary(SHOWN_ABSTRACT_A)
    hostile = (latex_built / "papers" / "2612.00002" / "index.html").read_text(encoding="utf-8")
    head = Head()
    head.feed(hostile)
    assert head.title == f"{SHOWN_B} - Paper Digest"  # the text, not an element
    assert "<script>alert" not in hostile


def feed_text(value: str) -> str:
    """The text an entry's HTML shows."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())


def test_feeds_show_titles_abstracts_and_reasons_as_plain_decoded_text(latex_site: Path) -> None:
    content = latex_site / "content"
    for name in ("atom.xml", "rss.xml", "picks.atom.xml", "picks.rss.xml"):
        feed = feedparser.parse((content / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        by_title = {entry.title: entry for entry in feed.entries}
        assert SHOWN_A in by_title, (name, list(by_title))
        text = feed_text(by_title[SHOWN_A].summary)
        assert SHOWN_ABSTRACT_A in text, name
        if name.startswith("picks"):
            assert f"Picked: like: {SHOWN_B}" in text
        else:
            assert SHOWN_B in by_title and SHOWN_ABSTRACT_B in feed_text(by_title[SHOWN_B].summary)
            assert "<em>" not in by_title[SHOWN_B].summary  # plain text: the input's tags escaped, no emphasis
    # Titles as the labels of the issue and weekly top entries' links.
    for name in ("issues.atom.xml", "top.atom.xml"):
        feed = feedparser.parse((content / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        text = " ".join(feed_text(entry.summary) for entry in feed.entries)
        assert SHOWN_A in text and SHOWN_B in text, name
        assert "Poincar\\" not in text and "\\emph" not in text, name


def test_the_email_edition_shows_titles_and_reasons_decoded_in_both_parts(latex_site: Path) -> None:
    config, _ = load_config(latex_site / "digest.yml")
    archive, _report = commands.load(config, BuildOptions())
    made = commands.make_message(archive, date=dt.date.fromisoformat(DATE), sender="digest@example.org")
    message = email.message_from_bytes(message_bytes(made.message), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text_part, html_part = message.get_body(("plain",)), message.get_body(("html",))
    assert text_part is not None and html_part is not None
    text, markup = text_part.get_content(), html_part.get_content()
    assert f"* {SHOWN_A}" in text and f"* {SHOWN_B}" in text
    assert f"Picked: like: {SHOWN_B}" in text
    shown = html.unescape(re.sub(r"<[^>]+>", "", markup))
    assert SHOWN_A in shown and SHOWN_B in shown and f"like: {SHOWN_B}" in shown
    assert "<script>" not in markup and "&lt;script&gt;" in markup  # the text, escaped; no emphasis element
    assert "Poincar\\" not in text + markup and "\\emph" not in text + markup


def test_picks_and_topics_explain_print_titles_decoded(latex_site: Path) -> None:
    found = json.loads(run_digest("picks", "--json", "--date", DATE, cwd=latex_site).stdout)
    by_id = {item["id"]: item for item in found}
    assert by_id[ID_A]["title"] == SHOWN_A and by_id[ID_A]["like"] == [SHOWN_B]
    text = run_digest("picks", "--date", DATE, cwd=latex_site).stdout
    assert f"{ID_A}  {SHOWN_A}\n" in text and f"like: {SHOWN_B}\n" in text
    explained = run_digest("topics", "explain", ID_A, cwd=latex_site).stdout
    assert explained.startswith(f"{ID_A}  {SHOWN_A}\n")
    # The recorded picks keep the reading list's title as written (what is stored is never decoded).
    assert TITLE_B in yaml.safe_load((latex_site / "data" / "picks.yml").read_text(encoding="utf-8"))["issues"][
        DATE][0]["like"]
