"""Right-to-left titles, names and abstracts keep their place in left-to-right pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from generator import escape
from tests.conftest import make_project, run_digest

ARABIC_TITLE = "حول توزيع الأعداد الأولية في المتتاليات الحسابية"
HEBREW_TITLE = "על משפט השארית הסיני 2"
ARABIC_NAME = "محمد الخوارزمي"
HEBREW_NAME = "יוסף כהן"
LATIN_NAME = "José García"
ABSTRACT = "אנו מוכיחים גרסה חדשה של משפט השארית הסיני עבור חוגים קומוטטיביים, ומראים כי $R/I \\cong \\prod_i R/I_i$."
PAPERS = [
    {"title": ARABIC_TITLE, "abstract": "ندرس توزيع الأعداد الأولية في المتتاليات الحسابية.",
     "authors": [ARABIC_NAME, HEBREW_NAME], "arxiv": "2612.00010"},
    {"title": HEBREW_TITLE, "abstract": ABSTRACT, "authors": [HEBREW_NAME, ARABIC_NAME, LATIN_NAME],
     "arxiv": "2612.00011"},
    {"title": "A Latin Title", "abstract": "Left to right, as most are.", "authors": [LATIN_NAME],
     "arxiv": "2612.00012"},
]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    papers = tmp_path_factory.mktemp("papers") / "2026-12-02.json"
    papers.write_text(json.dumps(PAPERS, ensure_ascii=False), encoding="utf-8")
    project = make_project(tmp_path_factory.mktemp("bidi") / "site", papers=papers)
    (project / "digest.yml").write_text("papers: [data/issues]\ntopics: data/topics.yml\nauthors:\n  min_papers: 1\n",
                                        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    return project / "content"


def isolated(text: str) -> str:
    return f"<bdi>{escape.html(text)}</bdi>"


def test_only_text_with_right_to_left_letters_is_isolated() -> None:
    assert escape.isolated("x &amp; y", "x & y") == "x &amp; y"
    assert escape.isolated("Дмитрий 山田 Γεώργιος", "Дмитрий 山田 Γεώργιος") == "Дмитрий 山田 Γεώργιος"
    assert escape.isolated(ARABIC_NAME, ARABIC_NAME) == f"<bdi>{ARABIC_NAME}</bdi>"
    assert escape.direction(ABSTRACT) == ' dir="auto"' and escape.direction("Left to right.") == ""


def test_a_list_line_isolates_each_right_to_left_title_and_name(content: Path) -> None:
    """Two names would trade places across their comma, and the date after a title would move before it."""
    issue = (content / "issues" / "2026-12-02.md").read_text(encoding="utf-8")
    line = next(line for line in issue.splitlines() if "2612.00011" in line)
    names = f"{isolated(HEBREW_NAME)}, {isolated(ARABIC_NAME)}, {LATIN_NAME}"
    assert f"{isolated(HEBREW_TITLE)}</a> — {names} · 2026-12-02" in line


def test_a_paper_page_isolates_its_title_and_names_and_sets_its_abstracts_direction(content: Path) -> None:
    shard = (content / ".digest" / "papers" / "2026-12-02.shard").read_text(encoding="utf-8")
    article = shard.split("\n{")[1]  # the second paper's record and article (shards list papers by id)
    assert f'<h1 id="title">{isolated(HEBREW_TITLE)}<a class="headerlink"' in article
    assert re.search(rf">{isolated(HEBREW_NAME)}</a>, <a [^>]+>{isolated(ARABIC_NAME)}</a>, <a [^>]+>{LATIN_NAME}</a>",
                     article)
    assert '<p dir="auto">אנו מוכיחים' in article
    latin = shard.split("\n{")[2]
    assert '<h1 id="title">A Latin Title<a' in latin and f'/">{LATIN_NAME}</a></div>' in latin
    assert "<p>Left to right" in latin


def test_an_author_page_isolates_titles_and_the_index_isolates_names(content: Path) -> None:
    shards = "".join(path.read_text(encoding="utf-8") for path in (content / ".digest" / "authors").glob("*.shard"))
    assert f'/">{isolated(ARABIC_TITLE)}</a>\n' in shards
    assert re.search(rf'<li><a href="[^"]+/">{isolated(ARABIC_NAME)}</a> 2\n', shards)
    assert f'/">{LATIN_NAME}</a> 2\n' in shards


def test_feed_entries_isolate_titles_and_names_in_markup_feed_readers_keep(content: Path) -> None:
    """The feeds' HTML, as a feed reader cleans it (feedparser drops <bdi>, keeps dir): the same isolation."""

    def spanned(text: str) -> str:
        return f'<span dir="auto">{escape.html(text)}</span>'

    names = f"{spanned(HEBREW_NAME)}, {spanned(ARABIC_NAME)}, {LATIN_NAME}"
    site = feedparser.parse((content / "atom.xml").read_bytes())
    entry = next(each for each in site.entries if each.id.endswith("paper/2612.00011"))
    assert entry.content[0].value.startswith(f'<p>{names}</p><p dir="auto">אנו מוכיחים')
    latin = next(each for each in site.entries if each.id.endswith("paper/2612.00012"))
    assert latin.content[0].value.startswith(f"<p>{LATIN_NAME}</p><p>Left to right")
    issue = feedparser.parse((content / "issues.atom.xml").read_bytes()).entries[0].content[0].value
    link = re.search(r'<span dir="auto"><a href="[^"]+/papers/2612\.00011/">([^<]+)</a></span> — (.+?)</li>', issue)
    assert link is not None and link.groups() == (HEBREW_TITLE, names)


def test_the_sites_own_styles_follow_the_pages_direction() -> None:
    """A site in Arabic, Hebrew or Persian (theme.language: ar) is laid out right to left, but our styles were written
    for left to right: the "Next" link of a pager stood on the side of "Previous", the bar beside a summary or a
    watched mark on the outer edge, and a label's space on the wrong side of it. Only logical directions now."""
    css = (Path(__file__).resolve().parent.parent / "templates/overrides/assets/digest/digest.css").read_text("utf-8")
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b[^;}]*|text-align:\s*(?:left|right)\b|"
                          r"\bfloat:\s*(?:left|right)\b", css)
    assert physical == []
    assert "padding-inline-start" in css and "text-align: end" in css
