"""Untrusted text shows as text after Python-Markdown, whatever it contains."""

from html.parser import HTMLParser
from urllib.parse import unquote

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import escape
from generator.escape import link, text, text_with_links
from generator.sources.common import clean_text, flatten

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![img](data:text/html;base64,PHNjcmlwdD4=)",
    "Title {: onclick=alert(1) }",
    '--8<-- "/etc/passwd"',
    "{{ 7*7 }} {% if true %}x{% endif %}",
    "Price is $5 and $10, not $x^2$",
    "&amp; &lt;b&gt; &#x41;",
    "1. Not a list",
    "- not a bullet",
    "# not a heading",
    "*emph* __strong__ `code` ~~del~~ ==mark== ^^ins^^ ++ctrl++",
    ":smile: a: b",
    "\\(x\\) back\\slash",
    "ｆｕｌｌ-ｗｉｄｔｈ ‮RTL​zero-width 🚀",
    "<https://example.org> <mailto:a@b.c>",
]


class TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def rendered(markdown_text: str) -> TextOf:
    parser = TextOf()
    parser.feed(markdown.markdown(markdown_text, extensions=["tables", "toc"]))
    return parser


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_renders_as_exactly_that_text(value: str) -> None:
    for template in ("{}", "# {}", "- {}", "| {} |\n| --- |\n| x |"):
        result = rendered(template.format(text(value)))
        shown = [part for part in result.parts if part.strip()]
        assert shown[0] == value
        assert not set(result.tags) - {"p", "h1", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}


def test_whitespace_is_folded_to_one_line() -> None:
    assert str(text(" a\n\nb\u2028c\t d ")) == "a b c d"


def test_urls_in_text_become_links_and_nothing_else_does() -> None:
    value = "Code: https://github.com/a/b_c. Not javascript:alert(1) nor <a href=x>."
    result = rendered(str(text_with_links(value)))
    assert "".join(result.parts) == value
    assert result.tags == ["p", "a"]
    html = markdown.markdown(str(text_with_links(value)))
    assert 'href="https&#58;//github.com/a/b&#95;c"' in html


def test_links_only_for_http_urls() -> None:
    assert "href" not in str(link("javascript:alert(1)", "x"))
    expected = '<a href="https&#58;//a.org/?q&#61;1&#38;r&#61;%3C2%3E">A</a>'  # '<' and '>' percent-encoded
    assert str(link("https://a.org/?q=1&r=<2>", "A")) == expected


@settings(max_examples=300)
@given(st.text())
def test_references_are_the_translation_table(value: str) -> None:
    """The fast escaping gives exactly what ``str.translate`` with the table gives."""
    assert escape._references(value) == value.translate(escape.ESCAPES)


@given(st.text(alphabet=st.sampled_from(list(" ab\t\n\u00a0\u2028\x1c\x85\u3000é")), max_size=30))
def test_flattening_equals_the_regex_it_replaced(value: str) -> None:
    """The fast path (already-flat text returned as it is) must flatten exactly as the regex did."""
    assert escape._flat(value) == escape.WHITESPACE.sub(" ", value).strip()


@given(st.text(alphabet=st.sampled_from(list(" ab\t\n\u00a0\u2028\x1c\x85\x07\u202e\u2066\ud800\ufffe\u3000é")),
               max_size=30))
def test_flatten_returns_flat_text_as_it_is_and_cleans_the_rest(value: str) -> None:
    """Readers' flatten: its fast path (printable, no doubled or outer space) gives what the full path gives."""
    cleaned, _ = clean_text(value)
    assert flatten(value) == " ".join(cleaned.split())


def test_a_markdown_link_in_an_abstract_is_two_links_with_valid_addresses() -> None:
    """Hugging Face abstracts hold "[url](url)": the URL ends at the bracket (the Nu checker rejects ']' in an href)."""
    value = "Project Page: [https://github.com/a/minWM](https://github.com/a/minWM)"
    html = str(escape.html_with_math(value, links=True))
    assert html.count('<a href="https://github.com/a/minWM">https://github.com/a/minWM</a>') == 2
    assert html.startswith("Project Page: [<a ") and html.endswith("</a>)")


def test_characters_no_url_may_hold_are_percent_encoded_in_the_address_only() -> None:
    assert escape.href("https://a.org/a|b^c%zz%41 d[1]") == "https://a.org/a%7Cb%5Ec%25zz%41%20d%5B1%5D"
    assert escape.href("http://[::1]:8000/x") == "http://[::1]:8000/x"  # an IPv6 host keeps its brackets
    assert escape.href("https://arxiv.org/abs/2410.00907") == "https://arxiv.org/abs/2410.00907"
    assert escape.html_link("https://a.org/x|y", "x|y") == '<a href="https://a.org/x%7Cy">x|y</a>'


@given(st.text(max_size=40))
def test_an_encoded_address_leads_where_the_written_one_does(path: str) -> None:
    url = "https://a.org/" + path
    encoded = escape.href(url)
    assert unquote(encoded) == unquote(url)
    assert not escape._NOT_IN_URL.search(encoded, len("https://a.org"))
