"""TeX math in untrusted text: found carefully, rendered to whitelisted MathML, escaped, bounded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator import escape, mathml
from tests.conftest import make_project, run_digest

TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>")


def tags(markup: str) -> set[str]:
    return {match.group(2) for match in TAG.finditer(markup)}


@pytest.mark.parametrize(
    ("text", "formulas"),
    [
        ("We get $\\mathcal{O}(\\sqrt{T})$ regret", 1),
        ("display $$\\sum_i x_i$$ math", 1),
        ("paren \\(k\\)-NN and bracket \\[x^2\\]", 2),
        ("Prices: $5 and $10 per hour", 0),
        ("from $5 to $10, or $20 with tax", 0),
        ("$5 for $2 tokens$", 0),  # starts like a price: text
        ("an escaped \\$ sign and $x$", 1),
        ("from $5-$10 or $5/$10: a price before a digit", 0),
        ("$5 to $10 with $x$", 1),
        # arXiv's abstracts put a formula right before a number: "$\\sim$40 pc", "2.8$\\pm$0.1", "X$-$1".
        ("the TA$\\times$4 array, $\\sim$60\\,pc wide (r=0.67$)", 2),
        ("peaks at 2.8$\\pm$0.1 in M82 X$-$1", 2),
        ("[Ne II]$λ$12.81$μ$m", 2),
        ("redshifts $0.2 < z < 0.7$ and $507 \\pm 25$K", 2),
        ("$ x$ and $x $ have a space inside the dollars", 0),
        ("unbalanced $\\frac{1}{$ stays text", 0),
        # Mathematics' abstracts write display environments without dollars; a mismatched end is no formula.
        ("the system \\begin{equation*} u_t = \\Delta u \\end{equation*} and \\begin{align}a&=b\\end{align}", 2),
        ("\\begin{equation} x \\end{align} and \\begin{itemize} \\item x \\end{itemize}", 0),
    ],
)
def test_formulas_are_found_only_where_they_are_meant(text: str, formulas: int) -> None:
    segments = mathml.split(text)
    assert sum(1 for s in segments if s.formula is not None) == formulas
    # Nothing is lost: the segments put back together are the text (an escaped \$ shows as $).
    assert "".join(s.text for s in segments) == text.replace("\\$", "$")


@pytest.mark.parametrize(
    "tex",
    [
        "\\href{https://evil.example/}{x}",
        "\\url{https://evil.example/}",
        "\\unicode{x41}",
        "\\def\\x{\\x\\x}\\x",
        "\\newcommand{\\x}{y}\\x",
        "\\color{red}{x}",
        "\\style{color:red}{x}",
        "x" * (mathml.MAX_TEX_CHARS + 1),
    ],
)
def test_unsafe_or_unbounded_formulas_stay_text(tex: str) -> None:
    assert mathml.to_mathml(tex, display=False) is None
    rendered = escape.text_with_math(f"see ${tex}$ here")
    assert "<math" not in rendered and "href=" not in rendered


def test_text_inside_math_is_escaped_and_only_mathml_comes_out() -> None:
    rendered = escape.text_with_math("$\\text{<script>alert(1)</script>} < b & c$")
    assert tags(rendered) <= mathml.ELEMENTS
    assert "<script" not in rendered and "&#60;script&#62;" in rendered
    assert "&#38;" in rendered


def test_mathml_has_no_attribute_outside_the_whitelist() -> None:
    formula = "\\left( \\frac{a}{b} \\right) \\mathbb{R}^{d} \\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}"
    rendered = escape.text_with_math(f"$${formula}$$")
    for match in TAG.finditer(rendered):
        names = set(re.findall(r"\s([a-z-]+)=", match.group(3)))
        assert names <= mathml.ATTRIBUTES, match.group(0)
    assert '<math display="block">' in rendered
    assert "mfrac" in rendered and "mtable" in rendered


def test_a_display_environment_is_a_block_formula_and_its_tex_stays_out_of_the_text() -> None:
    """`\\begin{equation*} … \\end{equation*}` in an abstract (one math abstract in 60) was shown as its TeX."""
    text = ("Consider \\begin{equation*} \\begin{cases} u_t+u_x=0, \\\\ \\rho_t=0. \\end{cases} \\end{equation*}"
            " We prove it.")
    rendered = escape.text_with_math(text)
    assert rendered.startswith('Consider <math display="block">') and rendered.endswith("</math> We prove it.")
    assert "begin" not in rendered and "mtable" in rendered


def test_a_titles_display_formulas_are_set_in_its_line(tmp_path: Path) -> None:
    """A title's $$…$$ or \\[…\\] was a block: the heading, its card's link and every list line broke around it."""
    title = "Mixing and \\[\\sum_n a_n < \\infty\\] with $$x^2$$ Bounds"
    for rendered in (escape.text_with_math(title, inline=True), escape.html_with_math(title, inline=True)):
        assert rendered.count('<math display="inline">') == 2 and "block" not in rendered
    assert escape.text_with_math(title).count('<math display="block">') == 2  # an abstract keeps its display math
    papers = tmp_path / "2026-12-01.yaml"
    papers.write_text(yaml.safe_dump({"date": "2026-12-01", "papers": [
        {"title": title, "abstract": f"We prove it: $$y^2$$ is {'long enough ' * 20}.", "authors": ["A B"],
         "arxiv": "2612.00003"}, {"title": "Another Paper", "abstract": "Text.", "authors": ["A B"]}]}),
        encoding="utf-8")
    project = make_project(tmp_path / "site", papers=papers)
    (project / "digest.yml").write_text("papers: [data/issues]\ntopics: data/topics.yml\nauthors: {min_papers: 1}\n",
                                        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    article = (content / ".digest" / "papers" / "2026-12-01.shard").read_text(encoding="utf-8")
    heading = re.search(r"<h1 .*?</h1>", article)
    assert heading and "<math" in heading.group(0) and "block" not in heading.group(0)
    assert article.count('<math display="block">') == 1  # the abstract's
    listings = [content / "issues" / "2026-12-01.md", *(content / ".digest" / "authors").glob("*.shard"),
                *(content / "topics").glob("*/index.md")]
    texts = [text for text in (listing.read_text(encoding="utf-8") for listing in listings) if "2612.00003" in text]
    assert len(texts) >= 3  # the issue, the author's page and the paper's topic
    for text in texts:
        assert "Mixing and <math" in text and 'display="block"' not in text


def test_many_formulas_are_bounded() -> None:
    text = " ".join("$x$" for _ in range(mathml.MAX_FORMULAS + 20))
    rendered = escape.text_with_math(text)
    assert rendered.count("<math") == mathml.MAX_FORMULAS


def test_text_around_math_keeps_its_spaces_links_and_escaping() -> None:
    rendered = escape.text_with_math("We show $O(n)$ time *fast*, see https://example.org/x.", links=True)
    assert rendered.startswith("We show <math")
    assert "</math> time &#42;fast&#42;, see <a href=" in rendered


@given(st.text(alphabet=st.sampled_from(list("$\\()[]{}^_x 5<&a")), max_size=40))
def test_any_mix_of_dollars_and_braces_gives_safe_markup(text: str) -> None:
    rendered = escape.text_with_math(text)
    assert tags(rendered) <= mathml.ELEMENTS
    assert "<script" not in rendered


# Formulas made of harmless TeX and of the commands that must never render (links, character codes,
# macros, styles), in every kind of delimiter, amid text: the strategy can form \href, \text, \unicode.
HARMLESS = ["x", "5", "a^2", "x_i", "+", "\\frac{a}{b}", "\\mathbb{R}", "\\sqrt{n}", "\\alpha", "<", "&"]
REFUSED = [
    "\\href{https://evil.example/}{x}", "\\href{javascript:alert(1)}{y}", "\\url{https://evil.example/}",
    "\\unicode{x41}", "\\unicode{0x3C}", "\\def\\x{y}\\x", "\\newcommand{\\x}{y}\\x", "\\color{red}{x}",
    "\\style{color:red}{x}", "\\class{evil}{x}",
]
TEXT_IN_MATH = ["\\text{<script>alert(1)</script>}", "\\text{a & b}", "\\text{plain}"]
DELIMITERS = [("$", "$"), ("$$", "$$"), ("\\(", "\\)"), ("\\[", "\\]")]
FORMULAS = st.builds(
    lambda delimiters, pieces: delimiters[0] + " ".join(pieces) + delimiters[1],
    st.sampled_from(DELIMITERS),
    st.lists(st.sampled_from(HARMLESS + REFUSED + TEXT_IN_MATH), min_size=1, max_size=4),
)
TEXTS = st.lists(st.one_of(FORMULAS, st.sampled_from(["We show", "that", "a $5 price", "holds.", "<b>x</b>"])),
                 max_size=6).map(" ".join)
REFUSED_COMMAND = re.compile(r"\\(?:href|url|unicode|def|newcommand|color|style|class)(?![A-Za-z])")


@given(TEXTS)
def test_formulas_with_links_codes_macros_or_styles_stay_text_and_text_in_math_is_escaped(text: str) -> None:
    rendered = escape.text_with_math(text)
    assert tags(rendered) <= mathml.ELEMENTS
    assert "<script" not in rendered and "<b>" not in rendered and "href=" not in rendered
    for segment in mathml.split(text):
        if segment.formula is not None:  # rendered as MathML: never a formula with a refused command
            assert REFUSED_COMMAND.search(segment.text) is None, segment.text
