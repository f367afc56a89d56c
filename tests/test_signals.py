"""A source's signals (upvotes, comments, code and stars, project page, organisation) and its own summary:
read from every format that has them, merged, and shown (labelled, escaped) on cards, pages and feeds."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from generator.build import TEMPLATE_DIR
from generator.config import Config, load_site
from generator.errors import ConfigError
from generator.merge import group_issues, merge_papers
from generator.model import Paper, TopicMatch
from generator.render import Archive, Renderer
from generator.slugs import RESERVED_SLUGS, is_reserved_slug
from generator.sources import read_paper_list
from generator.topics.taxonomy import load_taxonomy
from tests.conftest import FIXTURES, ROOT, SEED, SEED_TOPICS, latin_1_locale, make_project, mkdocs_build, run_digest
from tests.pages import paper_article

SIGNALS = FIXTURES / "signals"
HF = SIGNALS / "2026-11-29-hf.json"
LIST = SIGNALS / "2026-11-28-list.yaml"
RICH, QUIET, LISTED = "2608.19880", "2608.19881", "2611.05555"
HOSTILE_TLDR = (
    "EnvHarness reshapes static worlds <script>alert('tldr')</script> [click](javascript:alert(1)) *loud* {{ 7*7 }}."
)
HOSTILE_ORG = "Google <img src=x onerror=alert(1)> & Co"


# ------------------------------------------------------------------------------------ readers


def test_a_daily_papers_record_gives_every_signal() -> None:
    result = read_paper_list(HF)
    assert result.problems == []
    rich, quiet = sorted(result.papers, key=lambda p: p.id)
    assert (rich.upvotes, rich.comments, rich.stars) == (1163, 1, 2048)
    assert rich.code == "https://github.com/google-research/envharness"
    assert rich.project_page == "https://envharness.example.org/?a=1&b=2"
    assert rich.organization == HOSTILE_ORG  # the display name ("fullname"), kept as written
    assert rich.tldr == HOSTILE_TLDR and rich.summary_source == "Hugging Face"
    assert rich.keywords == ("LLM agents", "<b>Environment Harness</b>", "reinforcement learning")
    assert rich.keywords_source == "Hugging Face"
    assert (quiet.upvotes, quiet.comments, quiet.stars, quiet.code, quiet.project_page) == (None, 0, None, None, None)
    assert (quiet.organization, quiet.tldr, quiet.summary_source, quiet.keywords_source) == ("", "", "", "")


def daily_item(paper: dict[str, object], **item: object) -> dict[str, object]:
    base = {"id": "2502.13129", "title": "Noise", "summary": "Abstract text."}
    return {"paper": {**base, **paper}, **item}


def read_json(tmp_path: Path, name: str, document: object) -> object:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return read_paper_list(path)


def test_daily_papers_organisation_forms(tmp_path: Path) -> None:
    items = [
        daily_item({"id": "2502.00001"}, organization={"name": "only-name"}),
        daily_item({"id": "2502.00002", "organization": "Plain Text Lab"}),
        daily_item({"id": "2502.00003"}, organization=["not", "an", "object"]),
        daily_item({"id": "2502.00004"}, organization={"fullname": "  Meta\n AI  ", "name": "meta"}),
    ]
    result = read_json(tmp_path, "2026-11-28-hf.json", items)
    orgs = [paper.organization for paper in sorted(result.papers, key=lambda p: p.id)]
    assert orgs == ["only-name", "Plain Text Lab", "", "Meta AI"]
    assert [(p.item, p.message) for p in result.problems] == [
        (3, "'organization' should be an object with a 'fullname' or 'name', found ['not', 'an', 'object']; ignored")
    ]


def test_bad_daily_papers_counts_are_problems_for_the_field_not_lost_records(tmp_path: Path) -> None:
    items = [
        daily_item({"id": "2502.00001", "githubStars": -3, "upvotes": 1.5}, numComments="7"),
        daily_item({"id": "2502.00002", "githubStars": True, "ai_summary": ["not", "text"]}, numComments=-1),
    ]
    result = read_json(tmp_path, "2026-11-28-hf.json", items)
    assert len(result.papers) == 2
    assert all(p.upvotes is None and p.comments is None and p.stars is None for p in result.papers)
    assert all(p.tldr == "" and p.summary_source == "" for p in result.papers)
    messages = [(p.path.rsplit("/", 1)[-1], p.item, p.message) for p in result.problems]
    assert messages == [
        ("2026-11-28-hf.json", 1, "'paper.upvotes' should be a whole number, found 1.5; ignored"),
        ("2026-11-28-hf.json", 1, "'numComments' should be a whole number, found '7'; ignored"),
        ("2026-11-28-hf.json", 1, "'paper.githubStars' should be a whole number, found -3; ignored"),
        ("2026-11-28-hf.json", 2, "'paper.ai_summary' should be text, found list"),
        ("2026-11-28-hf.json", 2, "'numComments' should be a whole number, found -1; ignored"),
        ("2026-11-28-hf.json", 2, "'paper.githubStars' should be a whole number, found True; ignored"),
    ]


def test_a_yaml_list_gives_plain_fields_labelled_with_its_source() -> None:
    result = read_paper_list(LIST)
    assert result.problems == []
    (paper,) = result.papers
    assert (paper.upvotes, paper.comments, paper.stars) == (12, 2, 1)
    assert paper.organization == "Example Lab"
    assert paper.tldr == "Bigger reward models align policies better."
    assert paper.summary_source == paper.keywords_source == "Semantic Scholar"
    assert paper.abstract.startswith("We train reward models")  # `tldr` never takes the abstract's place


def test_a_json_list_or_json_lines_without_a_source_is_labelled_with_the_file_name(tmp_path: Path) -> None:
    record = {"title": "Plain", "abstract": "Text.", "tldr": "In one line.", "comments": 0, "keywords": ["k"]}
    listed = read_json(tmp_path, "2026-11-28-picks.json", [record])
    lines = tmp_path / "2026-11-28-lines.jsonl"
    lines.write_text(json.dumps(record) + "\n", encoding="utf-8")
    by_line = read_paper_list(lines)
    for result, name in ((listed, "2026-11-28-picks.json"), (by_line, "2026-11-28-lines.jsonl")):
        (paper,) = result.papers
        assert (paper.tldr, paper.summary_source, paper.keywords_source) == ("In one line.", name, name)
        assert paper.comments == 0 and paper.upvotes is None


def test_a_file_name_label_is_the_same_under_a_latin_1_locale(tmp_path: Path) -> None:
    """Python decodes file names by the locale: under de_DE.ISO-8859-1 the label "café.yaml" said "cafÃ©.yaml", so
    the same lists built there gave other pages and feeds."""
    environment = {**os.environ, **latin_1_locale(tmp_path / "locales")}
    path = tmp_path / "2026-11-28-café.yaml"
    path.write_text("- title: Plain\n  abstract: Text.\n  tldr: In one line.\n", encoding="utf-8")
    code = ("import sys; from pathlib import Path; from generator.sources import read_paper_list;"
            "(paper,) = read_paper_list(Path(sys.argv[1])).papers; print(ascii(paper.summary_source))")
    result = subprocess.run([sys.executable, "-c", code, os.fsencode(path)], env=environment, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ascii(path.name)


def test_bad_plain_field_values_are_reported_by_file_and_item(tmp_path: Path) -> None:
    path = tmp_path / "2026-11-28.yaml"
    path.write_text(
        "source: [not, text]\n"
        "papers:\n"
        "  - title: One\n    abstract: A.\n    upvotes: -1\n    comments: many\n    stars: 2.5\n"
        "  - title: Two\n    abstract: B.\n    tldr: {a: 1}\n    organization: [x]\n    upvotes: true\n",
        encoding="utf-8",
    )
    result = read_paper_list(path)
    assert [p.title for p in result.papers] == ["One", "Two"]
    assert all(p.upvotes is None and p.comments is None and p.stars is None for p in result.papers)
    assert all(p.tldr == "" and p.organization == "" for p in result.papers)
    assert [(p.item, p.message) for p in result.problems] == [
        (0, "top-level source ['not', 'text'] should be text; ignored"),
        (1, "'upvotes' should be a whole number (0 or more), found -1; ignored"),
        (1, "'comments' should be a whole number (0 or more), found 'many'; ignored"),
        (1, "'stars' should be a whole number (0 or more), found 2.5; ignored"),
        (2, "'tldr' should be text, found dict"),
        (2, "'upvotes' should be a whole number (0 or more), found True; ignored"),
        (2, "'organization' should be text, found list"),
    ]
    assert all(p.path == str(path) or p.path.endswith("2026-11-28.yaml") for p in result.problems)


def test_a_runaway_summary_is_cut_and_reported(tmp_path: Path) -> None:
    result = read_json(tmp_path, "2026-11-28.json", [{"title": "T", "abstract": "A.", "tldr": "word " * 400}])
    (paper,) = result.papers
    assert len(paper.tldr) <= 501 and paper.tldr.endswith("…")
    assert [p.message for p in result.problems] == ["tldr of 1,999 characters cut to 500"]


# ------------------------------------------------------------------------------------ merge


def record(source: str, added: int, **fields: object) -> Paper:
    return Paper(id="2502.13129", title="Noise", abstract="A.", added=dt.date(2026, 11, added), source=source,
                 arxiv_id="2502.13129", **fields)  # type: ignore[arg-type]


def test_merge_keeps_the_highest_counts_and_a_summary_with_its_own_label() -> None:
    records = [
        record("a.yaml: item 1", 20, upvotes=3, comments=9, tldr="List's line.", summary_source="a.yaml"),
        record("b.json: item 1", 21, upvotes=40, stars=5, organization="Lab", code="https://x.org",
               tldr="HF's line.", summary_source="Hugging Face", keywords=("k",), keywords_source="Hugging Face"),
        record("c.txt:1", 22, comments=2, organization="Other Lab"),
    ]
    merged = [merge_papers(order) for order in (records, records[::-1], records[1:] + records[:1])]
    assert merged[0] == merged[1] == merged[2]  # whatever order the files were read in
    (paper,) = merged[0]
    assert (paper.upvotes, paper.comments, paper.stars) == (40, 9, 5)
    assert (paper.tldr, paper.summary_source) == ("HF's line.", "Hugging Face")  # the richest record's, with its label
    assert (paper.keywords, paper.keywords_source) == (("k",), "Hugging Face")
    assert paper.organization == "Lab"
    assert paper.added == dt.date(2026, 11, 20) and paper.source == "a.yaml: item 1"


def test_merge_of_records_without_signals_has_none() -> None:
    (paper,) = merge_papers([record("a.txt:1", 20), record("b.txt:1", 21)])
    assert (paper.upvotes, paper.comments, paper.stars, paper.tldr, paper.organization) == (None, None, None, "", "")


# ------------------------------------------------------------------------------------ reserved names


@pytest.mark.parametrize("slug", RESERVED_SLUGS)
def test_a_topic_may_not_take_a_reserved_slug(tmp_path: Path, slug: str) -> None:
    path = tmp_path / "topics.yml"
    path.write_text(f"topics:\n  - name: Fine\n  - name: Mine\n    slug: {slug}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_taxonomy(path)
    message = str(error.value)
    assert str(path) in message and "topic 2" in message and "'Mine'" in message
    assert f"slug {slug!r} is reserved" in message


def test_a_topic_named_like_a_reserved_page_is_refused_and_a_longer_slug_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "topics.yml"
    path.write_text("topics:\n  - name: Top\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="slug 'top' is reserved"):
        load_taxonomy(path)
    path.write_text("topics:\n  - name: Top\n    slug: top-papers\n  - name: Authorship\n", encoding="utf-8")
    topics, _ = load_taxonomy(path)
    assert [t.slug for t in topics] == ["top-papers", "authorship"]
    assert not any(is_reserved_slug(s) for s in ("top-papers", "authorship", "topical", "watches"))
    assert all(is_reserved_slug(s) for s in RESERVED_SLUGS)


def test_digest_build_refuses_a_reserved_slug_without_a_traceback(tmp_path: Path) -> None:
    topics = tmp_path / "topics.yml"
    topics.write_text("topics:\n  - name: Watch list\n    slug: watch\n", encoding="utf-8")
    project = make_project(tmp_path / "site", topics=topics)
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode != 0
    assert "slug 'watch' is reserved" in result.stderr and "topics.yml" in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------------------------ the built site


@pytest.fixture(scope="module")
def signals_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pasted listing (no signals), a daily-papers file (every signal, and none) and a YAML list, built."""
    data = tmp_path_factory.mktemp("lists")
    for path in (SEED, HF, LIST):
        shutil.copy(path, data / path.name)
    project = make_project(tmp_path_factory.mktemp("signals"), papers=data, site_url="https://example.org/d/")
    run_digest("build", "--quiet", cwd=project)
    mkdocs_build(project)
    return project


def page(project: Path, path: str) -> str:
    return (project / "site" / path / "index.html").read_text(encoding="utf-8")


def cards(text: str) -> dict[str, str]:
    """The topic cards of a built page, by paper id."""
    found = re.findall(r'<article class="digest-card">.*?</article>', text, flags=re.S)
    return {re.search(r'papers/([^/"]+)/"', card).group(1): card for card in found}  # type: ignore[union-attr]


def all_cards(project: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((project / "site" / "topics").rglob("index.html")):
        found.update(cards(path.read_text(encoding="utf-8")))
    return found


def visible(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.mark.slow
def test_a_card_with_signals_shows_them_labelled_and_escaped(signals_site: Path) -> None:
    card = all_cards(signals_site)[RICH]
    line = re.search(r'<span class="digest-sig">(.*?)</span>', card).group(1)  # type: ignore[union-attr]
    assert visible(line) == "1,163 upvotes · 1 comment · Code (2,048 stars) · Project page · " + HOSTILE_ORG
    assert '<a href="https://github.com/google-research/envharness">Code</a>' in line
    assert '<a href="https://envharness.example.org/?a=1&amp;b=2">Project page</a>' in line
    tldr = re.search(r'<span class="digest-tldr">(.*?)</span>', card).group(1)  # type: ignore[union-attr]
    assert tldr.startswith("<i>Summary by Hugging Face:</i> ")
    assert visible(tldr) == "Summary by Hugging Face: " + HOSTILE_TLDR
    for markup in ("<script", "<img", "<b>", "javascript:alert(1)\"", "<em>loud"):
        assert markup not in card
    assert "{{ 7*7 }}" in html.unescape(card) and "49" not in visible(tldr)


@pytest.mark.slow
def test_a_card_without_signals_is_as_clean_as_before(signals_site: Path) -> None:
    found = all_cards(signals_site)
    plain = [card for paper_id, card in found.items() if paper_id not in (RICH, LISTED)]
    assert QUIET in found and len(plain) > 5
    for card in plain:  # title and byline (the abstract toggle is the script's): nothing else, not even an empty line
        lines = card.split("\n")
        assert [line.split(" ", 1)[0] for line in lines] == [
            '<article', '<h2', '<p', '</article>'
        ], card
        assert "digest-sig" not in card and "digest-tldr" not in card and "Summary by" not in card


@pytest.mark.slow
def test_issue_and_home_lines_show_signals_not_the_summary(signals_site: Path) -> None:
    """A line per paper per topic of an issue: the signals, escaped; the summary is on cards and the paper page."""
    issue = page(signals_site, "issues/2026-11-29")
    home = (signals_site / "site" / "index.html").read_text(encoding="utf-8")
    for text in (issue, home):
        line = re.search(rf'<li><a href="[^"]*papers/{RICH}/">.*?</li>', text, flags=re.S).group(0)  # type: ignore[union-attr]
        assert "1,163 upvotes · 1 comment · Code (2,048 stars) · Project page" in visible(line)
        assert "Summary by" not in line and "digest-tldr" not in line
        assert "<script" not in line and "<img" not in line and "<em>" not in line
        quiet = re.search(rf'<li><a href="[^"]*papers/{QUIET}/">.*?</li>', text, flags=re.S).group(0)  # type: ignore[union-attr]
        assert "digest-sig" not in quiet and "digest-tldr" not in quiet
    listing = page(signals_site, "issues/2026-11-27")
    assert "digest-sig" not in listing and "digest-tldr" not in listing


@pytest.mark.slow
def test_the_paper_page_shows_signals_the_labelled_summary_above_the_abstract_and_keywords(signals_site: Path) -> None:
    text = page(signals_site, f"papers/{RICH}")
    article = text[text.index("<article") : text.index("</article>")]
    summary_at, abstract_at = article.index('<p class="digest-tldr">'), article.index('<h2 id="abstract"')
    assert summary_at < abstract_at
    assert visible(article[summary_at:abstract_at]).startswith("Summary by Hugging Face: " + HOSTILE_TLDR)
    assert "LLM agents learn by interacting" in visible(article[abstract_at:])  # the abstract stays
    keywords = "Keywords by Hugging Face: LLM agents, <b>Environment Harness</b>, reinforcement learning"
    assert keywords in visible(article)
    assert "1,163 upvotes · 1 comment · Code (2,048 stars) · Project page · " + HOSTILE_ORG in visible(article)
    for markup in ("<script", "<img", "<b>Environment"):
        assert markup not in article
    listed = visible(page(signals_site, f"papers/{LISTED}"))
    assert "Summary by Semantic Scholar: Bigger reward models align policies better." in listed
    assert "12 upvotes · 2 comments · Code (1 star) · Example Lab" in listed
    assert "Keywords by Semantic Scholar: reward models, RLHF" in listed
    quiet = paper_article(signals_site / "content", QUIET)
    assert "digest-sig" not in quiet and "digest-tldr" not in quiet and "Keywords" not in quiet


@pytest.mark.slow
def test_feeds_carry_the_labelled_summary_and_counts_escaped_with_stable_ids(signals_site: Path) -> None:
    raw = (signals_site / "site" / "atom.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.id.endswith(f"paper/{RICH}"))
    assert entry.id == f"tag:paper-digest.github.io,2026:paper/{RICH}"  # made from the paper id only, as before
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    root = ElementTree.fromstring(raw)
    content = next(
        e.find("a:content", namespace).text or ""  # type: ignore[union-attr]
        for e in root.findall("a:entry", namespace) if (e.find("a:id", namespace).text or "").endswith(RICH)  # type: ignore[union-attr]
    )
    assert "<p><em>Summary by Hugging Face:</em> " in content
    assert visible(content).count(HOSTILE_TLDR) == 1
    assert "<script" not in content and "<img" not in content
    assert "1,163 upvotes · 1 comment · " + HOSTILE_ORG in visible(content)
    assert ">Code (2,048 stars)</a>" in content
    quiet = next(
        e.find("a:content", namespace).text or ""  # type: ignore[union-attr]
        for e in root.findall("a:entry", namespace) if (e.find("a:id", namespace).text or "").endswith(QUIET)  # type: ignore[union-attr]
    )
    assert "Summary by" not in quiet and "upvote" not in quiet



@pytest.fixture(scope="module")
def signals_url(signals_site: Path) -> Iterator[str]:
    from tests.browser import serve

    with serve(signals_site / "site") as url:
        yield url


def topic_page_of(project: Path, paper_id: str) -> str:
    for path in sorted((project / "site" / "topics").rglob("index.html")):
        if paper_id in cards(path.read_text(encoding="utf-8")):
            return path.parent.relative_to(project / "site").as_posix() + "/"
    raise AssertionError(f"no topic page lists {paper_id}")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_signals_read_in_chromium_as_text_in_both_palettes(
    browser: object, signals_url: str, signals_site: Path, scheme: str
) -> None:
    from tests.test_browser import Visit, low_contrast_text, screenshot

    path = topic_page_of(signals_site, RICH)
    with Visit(browser, signals_url, color_scheme=scheme, viewport={"width": 1280, "height": 900}) as visit:
        page = visit.page
        page.goto(signals_url + path, wait_until="networkidle")
        card = page.locator("article.digest-card", has=page.locator(f'a[href$="papers/{RICH}/"]'))
        signals, summary = card.locator(".digest-sig"), card.locator(".digest-tldr")
        assert signals.is_visible() and summary.is_visible()
        assert signals.inner_text() == "1,163 upvotes · 1 comment · Code (2,048 stars) · Project page · " + HOSTILE_ORG
        assert summary.inner_text() == "Summary by Hugging Face: " + HOSTILE_TLDR
        code = card.get_by_role("link", name="Code", exact=True)
        assert code.get_attribute("href") == "https://github.com/google-research/envharness"
        # Each on its own line, under the byline.
        meta_box, signals_box = card.locator(".digest-card__meta").bounding_box(), signals.bounding_box()
        assert meta_box and signals_box and signals_box["y"] >= meta_box["y"] + meta_box["height"] - 1
        card.scroll_into_view_if_needed()
        screenshot(page, f"card-signals-{scheme}.png")
        assert [line for line in low_contrast_text(page) if "upvote" in line or "Summary" in line] == []
        assert visit.problems == []


def test_a_summarys_formulas_are_math_as_in_the_abstract() -> None:
    """Hugging Face's summaries write formulas as abstracts do (16 of 9,877 real ones: "introducing $\\alpha$
    moment"); cards and the paper page showed their TeX, a line away from the abstract's MathML."""
    topics, _ = load_taxonomy(SEED_TOPICS)
    paper = Paper(id="2611.00001", title="Invented Moments", abstract="We invent $\\beta$ moments.",
                  added=dt.date(2026, 11, 23), source="synthetic", topics=(TopicMatch(topics[0].slug, 1.0),),
                  upvotes=3, tldr="Introduces $\\alpha$ moments for <b>$5 and $10</b>.", summary_source="Hugging Face")
    config = Config(base_dir=ROOT)
    archive = Archive({paper.id: paper}, group_issues([paper]), topics, load_site(config), config)
    renderer = Renderer(archive, TEMPLATE_DIR)
    pages = dict(renderer.iter_listing_pages())
    card = pages[f"topics/{topics[0].slug}/index.md"]
    article = "".join(text.decode("utf-8") for text in renderer.paper_pages().values())
    for page in (card, article):
        tldr = re.search(r'class="digest-tldr"><i>Summary by Hugging Face:</i> (.*?)</(?:span|p)>', page, re.S)
        assert tldr is not None
        assert "<math" in tldr.group(1) and "\\alpha" not in visible(tldr.group(1))
        assert "&lt;b&gt;$5 and $10&lt;/b&gt;." in tldr.group(1) and "<b>" not in tldr.group(1)  # prices, text
