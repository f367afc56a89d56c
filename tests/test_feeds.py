"""Feeds read with a real parser: valid, stable ids, dates from the data, absolute links."""

import datetime as dt
import html
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from generator.model import paper_id
from tests.conftest import SMALL, run_digest
from tests.feed_checks import atom_problems, opml_problems, rss_problems

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def small_content(tmp_path: Path) -> Path:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    run_digest("build", "--quiet", cwd=project)
    return project / "content"


def test_site_feeds_parse_without_errors(small_content: Path) -> None:
    for name, version in (("atom.xml", "atom10"), ("rss.xml", "rss20")):
        feed = feedparser.parse((small_content / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        assert feed.feed.title == "Small Digest"
        # limit: 3 in the fixture's digest.yml, the third in 2026-11-20's issue, whose other papers come too (an issue
        # is never cut in two); newest first.
        assert [entry.id for entry in feed.entries] == [
            "tag:example.org,2026:paper/2410.00907",
            "tag:example.org,2026:paper/2502.13129",
            "tag:example.org,2026:paper/t4aa1e344a40",
            "tag:example.org,2026:paper/t9a929785898",
            "tag:example.org,2026:paper/t48c95dce841",
        ]
        assert feed.entries[0].link == "https://example.org/digest/papers/2410.00907/"
        # Atom categories carry the slug as term (and the name as label); RSS shows the name.
        expected = {"efficiency", "language-models"} if version == "atom10" else {"Efficiency", "Language Models"}
        assert {tag.term for tag in feed.entries[0].tags} == expected


def test_atom_follows_the_spec(small_content: Path) -> None:
    root = ElementTree.parse(small_content / "atom.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated").text == "2026-11-27T00:00:00+00:00"
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == "https://example.org/digest/atom.xml"
    for entry in root.findall(f"{ATOM}entry"):
        for child in ("id", "title", "updated", "link", "content"):
            assert entry.find(f"{ATOM}{child}") is not None, child
    dates = [entry.find(f"{ATOM}updated").text for entry in root.findall(f"{ATOM}entry")]
    assert dates == sorted(dates, reverse=True)


def test_rss_has_guid_dates_and_self_link(small_content: Path) -> None:
    root = ElementTree.parse(small_content / "rss.xml").getroot()
    channel = root.find("channel")
    assert channel.find("lastBuildDate").text == "Fri, 27 Nov 2026 00:00:00 +0000"
    atom_self = channel.find(f"{ATOM}link")
    assert atom_self.get("href") == "https://example.org/digest/rss.xml"
    for item in channel.findall("item"):
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.find("guid").text.startswith("tag:example.org,2026:paper/")
        assert item.find("pubDate") is not None


def test_topic_feeds_and_opml(small_content: Path) -> None:
    feed = feedparser.parse((small_content / "generative.atom.xml").read_bytes())
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Is Noise Conditioning Necessary for Denoising Generative Models?"]
    outlines = ElementTree.parse(small_content / "feeds.opml").getroot().iter("outline")
    urls = [outline.get("xmlUrl") for outline in outlines]
    assert "https://example.org/digest/atom.xml" in urls
    assert "https://example.org/digest/generative.atom.xml" in urls


def test_feeds_do_not_depend_on_the_clock_or_rebuilds(small_content: Path) -> None:
    """A rebuild from scratch under another clock (another day, years later) gives the same feeds."""
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.skip("faketime is not installed (apt-get install faketime; make test does it as root)")
    first = {p.name: p.read_bytes() for p in small_content.glob("*.xml")}
    project = small_content.parent
    shutil.rmtree(small_content)
    command = [faketime, "-f", "@2041-03-03 23:59:59", sys.executable, "-m", "generator", "build", "--quiet"]
    subprocess.run(command, cwd=project, check=True)
    assert {p.name: p.read_bytes() for p in small_content.glob("*.xml")} == first


# --- Validity: feedparser and an independent check, in both modes -------------------------------


OFF_TOPIC = """date: 2026-11-27
papers:
  - title: A history of sourdough baking in medieval monasteries
    abstract: Monastic records from the twelfth century describe leavened bread and starter dough kept through winter.
"""


def build_small(
    tmp_path: Path, mode: str = "papers", site_url: str | None = None, name: str = "small", off_topic: bool = False
) -> Path:
    """The small fixture built with ``feeds.mode`` (and ``site_url``) set, and with a paper for "Other" when
    ``off_topic``; returns its content/ folder."""
    project = tmp_path / name
    shutil.copytree(SMALL, project)
    if off_topic:
        (project / "issues" / "off-topic.yaml").write_text(OFF_TOPIC, encoding="utf-8")
    config = (project / "digest.yml").read_text(encoding="utf-8")
    config = config.replace("  limit: 3\n", f"  limit: 3\n  mode: {mode}\n")
    (project / "digest.yml").write_text(config, encoding="utf-8")
    if site_url:
        (project / "mkdocs.yml").write_text(f"site_name: Small Digest\nsite_url: {site_url}\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    return project / "content"


def feed_names(content: Path) -> list[str]:
    return sorted(path.name for path in content.glob("*.xml"))


@pytest.mark.parametrize("mode", ["papers", "issues"])
def test_every_feed_is_valid_atom_or_rss_in_both_modes(tmp_path: Path, mode: str) -> None:
    content = build_small(tmp_path, mode, off_topic=True)
    names = feed_names(content)
    slugs = ["efficiency", "generative", "issues", "language-models", "other", "science"]  # issues: the issues feed
    assert names == sorted(["atom.xml", "rss.xml", *(f"{s}.atom.xml" for s in slugs), *(f"{s}.rss.xml" for s in slugs)])
    for name in names:
        data = (content / name).read_bytes()
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert parsed.entries, name
        if name.endswith("atom.xml"):
            assert parsed.version == "atom10"
            assert atom_problems(data) == [], name
        else:
            assert parsed.version == "rss20"
            assert rss_problems(data) == [], name
    assert opml_problems((content / "feeds.opml").read_bytes()) == []


ATOM_SAMPLE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:example.org,2026:feed/all</id><title>T</title><updated>2026-11-27T00:00:00Z</updated>
  <author><name>Site</name></author>
  <link href="https://example.org/atom.xml" rel="self"/>
  <entry><id>tag:example.org,2026:paper/1</id><title>P</title><updated>2026-11-27T00:00:00Z</updated>
    <link href="https://example.org/papers/1/"/><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry>
</feed>"""

RSS_SAMPLE = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
  <title>T</title><link>https://example.org/</link><description>D</description>
  <lastBuildDate>Fri, 27 Nov 2026 00:00:00 +0000</lastBuildDate>
  <item><title>P</title><link>https://example.org/papers/1/</link>
    <guid isPermaLink="false">tag:example.org,2026:paper/1</guid>
    <pubDate>Fri, 27 Nov 2026 00:00:00 +0000</pubDate><dc:creator>Ada</dc:creator></item>
</channel></rss>"""


def test_the_independent_checks_accept_a_minimal_valid_feed() -> None:
    assert atom_problems(ATOM_SAMPLE) == []
    assert rss_problems(RSS_SAMPLE) == []


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b"<id>tag:example.org,2026:feed/all</id>", b"", "RELAX NG"),
        (b"<title>P</title>", b"", "RELAX NG"),
        (b"<title>T</title>", b"<title>T</title><title>U</title>", "RELAX NG"),
        (b"<author><name>Site</name></author>", b"<author><email>a@b</email></author>", "RELAX NG"),
        (b"<author><name>Site</name></author>", b"", "no atom:author"),
        (b"<updated>2026-11-27T00:00:00Z</updated>\n", b"<updated>Fri, 27 Nov 2026</updated>\n", "RFC 3339"),
        (b"<title>T</title>", b"<title>T</title><colour>red</colour>", "RELAX NG"),
        (b'href="https://example.org/papers/1/"', b'href="papers/1/"', "not absolute"),
    ],
)
def test_the_atom_check_finds_invalid_feeds(old: bytes, new: bytes, problem: str) -> None:
    broken = ATOM_SAMPLE.replace(old, new, 1)
    assert broken != ATOM_SAMPLE
    assert any(problem in line for line in atom_problems(broken)), atom_problems(broken)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b"<description>D</description>", b"", "exactly one <description>"),
        (b"<link>https://example.org/</link>", b"<link>/</link>", "not an absolute URL"),
        (b"<dc:creator>Ada</dc:creator>", b"<author>Ada Lovelace</author>", "e-mail"),
        (b"<pubDate>Fri, 27 Nov 2026 00:00:00 +0000</pubDate>", b"<pubDate>2026-11-27</pubDate>", "RFC 822"),
        (b"<dc:creator>Ada</dc:creator>", b"<creator>Ada</creator>", "not an RSS 2.0 element"),
        (b'isPermaLink="false"', b'isPermaLink="no"', "isPermaLink"),
        (b'version="2.0"', b'version="0.91"', "rss version"),
    ],
)
def test_the_rss_check_finds_invalid_feeds(old: bytes, new: bytes, problem: str) -> None:
    broken = RSS_SAMPLE.replace(old, new, 1)
    assert broken != RSS_SAMPLE
    assert any(problem in line for line in rss_problems(broken)), rss_problems(broken)


def test_the_opml_check_finds_an_outline_without_feed_url() -> None:
    opml = b'<opml version="2.0"><head/><body><outline type="rss" text="A" xmlUrl="https://e.org/a.xml"/></body></opml>'
    assert opml_problems(opml) == []
    assert "xmlUrl" in " ".join(opml_problems(opml.replace(b' xmlUrl="https://e.org/a.xml"', b"")))


# --- Links: absolute, and right under a sub-path site_url ---------------------------------------


def test_self_links_and_content_urls_are_absolute_under_a_sub_path(tmp_path: Path) -> None:
    base = "https://user.github.io/repo/"
    content = build_small(tmp_path, site_url=base)
    for name in feed_names(content):
        root = etree.parse(str(content / name)).getroot()
        if name.endswith("atom.xml"):
            selfs = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
            pages = [link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") != "self"]
            bodies = [element.text for element in root.iter(f"{ATOM}content")]
        else:
            channel = root.find("channel")
            # The channel's <link> is the HTML page the feed follows, never the feed itself.
            slug = name.removesuffix("rss.xml").rstrip(".")
            page = base + ("issues/" if slug == "issues" else f"topics/{slug}/" if slug else "")
            assert channel.findtext("link") == page, name
            selfs = [link.get("href") for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
            pages = [element.text for element in root.iter("link")]
            bodies = [element.text for element in root.iter("description")][1:]
        assert selfs == [base + name], name
        assert all(page.startswith(base) for page in pages), (name, pages)
        hrefs = [href for body in bodies for href in re.findall(r'href="([^"]*)"', body)]
        assert hrefs, name
        assert all(re.match(r"https?://", href) for href in hrefs), (name, hrefs)
        assert any(href.startswith(base + "papers/") for href in hrefs), name
    outlines = list(etree.parse(str(content / "feeds.opml")).getroot().iter("outline"))
    assert {o.get("xmlUrl") for o in outlines} == {base + n for n in feed_names(content) if n.endswith("atom.xml")}
    subscribe = (content / "subscribe.md").read_text(encoding="utf-8")
    for name in [*feed_names(content), "feeds.opml"]:
        assert f"[https&#58;//user.github.io/repo/{name}]({name})" in subscribe, name


def test_untrusted_links_never_become_relative_or_script_links(tmp_path: Path) -> None:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "issues" / "2026-11-28.yaml").write_text(
        "papers:\n  - title: A paper with odd links\n    abstract: Its code link is relative.\n"
        "    url: javascript:alert(1)\n    pdf: files/paper.pdf\n    code: https://example.com/code\n",
        encoding="utf-8",
    )
    run_digest("build", "--quiet", cwd=project)
    content = (project / "content" / "atom.xml").read_text(encoding="utf-8")
    entry = content[content.index("A paper with odd links") :]
    entry = entry[: entry.index("</entry>")]
    hrefs = re.findall(r'href="([^"]*)"', html.unescape(entry))
    assert "https://example.com/code" in hrefs
    assert all(href.startswith("https://") for href in hrefs), hrefs



def test_arxiv_pdf_links_are_https_and_of_the_newest_version_on_pages_and_in_feeds(tmp_path: Path) -> None:
    """The arXiv API (and its Python library's pdf_url) give "http://arxiv.org/pdf/<id>v1": the page shows the newest
    version's title and abstract, so its PDF link is arXiv's unversioned one, over https; other PDFs stay as given."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "issues" / "2026-11-28.yaml").write_text(
        "papers:\n"
        "  - title: A paper with a versioned arXiv PDF\n    abstract: Read over plain http.\n"
        "    arxiv: 2611.00123\n    pdf: http://export.arxiv.org/pdf/2611.00123v1\n"
        "  - title: A paper with a PDF of its own\n    abstract: Hosted elsewhere.\n"
        "    arxiv: 2611.00124\n    pdf: https://example.org/paper-v3.pdf\n",
        encoding="utf-8",
    )
    run_digest("build", "--quiet", cwd=project)
    page = (project / "content" / ".digest" / "papers" / "2026-11-28.shard").read_text(encoding="utf-8")
    feed = (project / "content" / "atom.xml").read_text(encoding="utf-8")
    for text in (page, feed):
        assert "https://arxiv.org/pdf/2611.00123" in text and "arxiv.org/pdf/2611.00123v1" not in text
        assert "https://example.org/paper-v3.pdf" in text and "https://arxiv.org/pdf/2611.00124" not in text


def test_a_paper_feed_never_cuts_an_issue_in_two(tmp_path: Path) -> None:
    """limit 3 and an issue of 5 papers: each paper feed holds the whole issue. Its papers are equally new, and a cut
    would leave the ones last by title out of the feed for good (the next issue pushes them down)."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    papers = "".join(f"  - title: Paper {letter} on language models\n    abstract: Language models, part {letter}.\n"
                     for letter in "ABCDE")
    (project / "issues" / "2026-11-28.yaml").write_text(f"papers:\n{papers}", encoding="utf-8")
    with (project / "digest.yml").open("a", encoding="utf-8") as handle:
        handle.write("watch: {phrases: [language model]}\n")
    run_digest("build", "--quiet", cwd=project)
    for name in ("atom.xml", "rss.xml", "watch.atom.xml", "watch.rss.xml"):
        feed = feedparser.parse((project / "content" / name).read_bytes())
        titles = [entry.title for entry in feed.entries]
        assert titles == [f"Paper {letter} on language models" for letter in "ABCDE"], name


def test_a_giant_issue_is_whole_in_a_feed_only_up_to_four_times_the_limit_and_the_build_says_so(tmp_path: Path) -> None:
    """A first import of thousands of papers in one issue made feeds of tens of MB: a feed holds whole issues up to
    4 × feeds.limit entries, and the build names the issue whose papers are not all in the site feed."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    papers = "".join(f"  - title: Paper {letter} on language models\n    abstract: Language models, part {letter}.\n"
                     for letter in "ABCDEF")
    (project / "issues" / "2026-11-28.yaml").write_text(f"papers:\n{papers}", encoding="utf-8")
    settings = (project / "digest.yml").read_text(encoding="utf-8")
    (project / "digest.yml").write_text(re.sub(r"limit: \d+", "limit: 1", settings), encoding="utf-8")
    result = run_digest("build", cwd=project)
    feed = feedparser.parse((project / "content" / "atom.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == [f"Paper {letter} on language models" for letter in "ABCD"]
    assert ("digest.yml: note: the issue of 2026-11-28 has 6 papers, more than a feed holds (4 × feeds.limit, 4): 2"
            " of them are in no version of the site feed; raise feeds.limit, or set feeds.mode: issues (one entry an"
            " issue); an import of older papers is better split into files dated by when they appeared (README:"
            " Importing a field's history)") in result.stderr
    assert "1 note." in result.stdout



def test_an_issue_entry_of_a_giant_issue_lists_four_times_the_limit_and_links_the_rest(tmp_path: Path) -> None:
    """An issue entry listed every paper of its issue: a first import of 20,000 papers made an issues feed of 4.9 MB
    (and, in feeds.mode: issues, as big a site feed and topic feeds). An entry lists 4 × feeds.limit papers and says
    how many more the issue page has."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    papers = "".join(f"  - title: Paper {letter} on language models\n    abstract: Language models, part {letter}.\n"
                     for letter in "ABCDEF")
    papers += "".join(f"  - title: Paper {letter} on diffusion\n    abstract: Denoising diffusion, part {letter}.\n"
                      for letter in "GH")
    (project / "issues" / "2026-11-28.yaml").write_text(f"papers:\n{papers}", encoding="utf-8")
    settings = (project / "digest.yml").read_text(encoding="utf-8")
    settings = re.sub(r"limit: \d+", "limit: 1\n  mode: issues", settings)
    (project / "digest.yml").write_text(settings, encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    counts = {}
    for path in sorted((project / "content").glob("*atom.xml")):
        entry = feedparser.parse(path.read_bytes()).entries[0]
        found = re.match(r"2026-11-28: (\d+) new papers?", entry.title)
        if found is None:  # a topic none of whose papers is in the new issue
            continue
        counts[path.name] = total = int(found.group(1))
        content = entry.content[0].value
        assert len(re.findall(r"Paper [A-H] on", content)) == min(total, 4), path.name  # 4 × feeds.limit
        assert (f"{total - 4} more papers in" in content) == (total > 4), path.name
        assert 'href="https://example.org/digest/issues/2026-11-28/">the whole issue</a>' in content
    assert counts["issues.atom.xml"] == counts["atom.xml"] == 8
    assert any(total > 4 for name, total in counts.items() if name not in ("issues.atom.xml", "atom.xml")), counts


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("mkdocs.yml", "site_name: Small Digest", 'site_name: "Small\\x01 Digest"',
         "mkdocs.yml: 'site_name' holds '\\x01', a control character no feed can carry: remove it"),
        ("topics.yml", "- name: Efficiency", '- name: "Effi\\x0bciency"',
         "topics.yml:9: topic 3: 'name' holds '\\x0b', a control character no feed can carry"),
        ("topics.yml", "description: Large language models.", 'description: "Large\\x1b[31m models."',
         "topics.yml:2: topic 1: 'description' holds '\\x1b'"),
        ("digest.yml", "topic_page_size: 1", 'topic_page_size: 1\nwatch: {phrases: ["diffusion\\x00"]}',
         "digest.yml:5: watch.phrases: item 1 holds '\\x00', a control character no feed can carry"),
        ("digest.yml", 'id_prefix: "tag:example.org,2026:"', 'id_prefix: "tag:example.org,2026:\\x01"',
         "digest.yml:7: feeds.id_prefix must be the start of a URI"),
    ],
)
def test_a_control_character_in_a_setting_the_feeds_show_is_an_error_not_a_traceback(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    """Paper lists lose control characters when read; the site's name, a topic's name or description and a watch
    phrase come from settings, where YAML writes one as an escape: lxml refused it in the feeds stage."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert message in result.stderr


# --- Authors, categories, dates ---------------------------------------------------------------


def test_authors_are_atom_authors_and_dc_creators_never_rss_author(small_content: Path) -> None:
    atom = etree.parse(str(small_content / "atom.xml")).getroot()
    first = atom.find(f"{ATOM}entry")
    assert [a.findtext(f"{ATOM}name") for a in first.findall(f"{ATOM}author")] == ["Hongyin Luo", "Wei Sun"]
    # The feed's own author covers entries without authors (pasted listings have none).
    assert atom.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Small Digest"
    rss = etree.parse(str(small_content / "rss.xml")).getroot()
    item = rss.find("channel/item")
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Hongyin Luo", "Wei Sun"]
    assert not list(rss.iter("author")) and not list(rss.iter("managingEditor"))


def test_topics_are_categories(small_content: Path) -> None:
    entry = etree.parse(str(small_content / "atom.xml")).getroot().find(f"{ATOM}entry")
    categories = [(c.get("term"), c.get("label"), c.get("scheme")) for c in entry.findall(f"{ATOM}category")]
    assert categories == [
        ("efficiency", "Efficiency", "https://example.org/digest/topics/"),
        ("language-models", "Language Models", "https://example.org/digest/topics/"),
    ]


@pytest.mark.parametrize("mode", ["papers", "issues"])
def test_feed_updated_is_the_newest_entry_and_dates_come_from_the_data(tmp_path: Path, mode: str) -> None:
    content = build_small(tmp_path, mode)
    for name in feed_names(content):
        if not name.endswith("atom.xml"):
            continue
        root = etree.parse(str(content / name)).getroot()
        entries = root.findall(f"{ATOM}entry")
        updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
        assert root.findtext(f"{ATOM}updated") == max(updated), name
        published = {entry.findtext(f"{ATOM}published")[:10] for entry in entries}
        assert published <= {"2026-11-27", "2026-11-20"}, name


def test_feed_and_entry_ids_are_unique_and_never_shared_between_modes(tmp_path: Path) -> None:
    ids: dict[str, set[str]] = {}
    for mode in ("papers", "issues"):
        content = build_small(tmp_path, mode, name=mode)
        atoms = [n for n in feed_names(content) if n.endswith("atom.xml")]
        feed_ids = [etree.parse(str(content / n)).getroot().findtext(f"{ATOM}id") for n in atoms]
        assert len(feed_ids) == len(set(feed_ids))
        ids[mode] = {  # the issues feed is the same in both modes (see the next test)
            entry.findtext(f"{ATOM}id")
            for n in feed_names(content)
            if n.endswith("atom.xml") and n != "issues.atom.xml"
            for entry in etree.parse(str(content / n)).getroot().iter(f"{ATOM}entry")
        }
    assert ids["papers"] and ids["issues"] and not ids["papers"] & ids["issues"]
    assert all(i.startswith("tag:example.org,2026:paper/") for i in ids["papers"])
    assert all(re.fullmatch(r"tag:example\.org,2026:issue/2026-11-(20|27)(/[a-z-]+)?", i) for i in ids["issues"])


def test_the_issues_feed_has_one_entry_per_issue_in_either_mode(tmp_path: Path) -> None:
    """issues.atom.xml / issues.rss.xml: what a feed-to-email service needs, whatever feeds.mode says."""
    found = {}
    for mode in ("papers", "issues"):
        content = build_small(tmp_path, mode, name=mode)
        atom = feedparser.parse((content / "issues.atom.xml").read_bytes())
        rss = feedparser.parse((content / "issues.rss.xml").read_bytes())
        assert not atom.bozo and not rss.bozo
        assert atom.feed.id == "tag:example.org,2026:feed/issues"
        assert [e.id for e in atom.entries] == [e.id for e in rss.entries] == [
            "tag:example.org,2026:issue/2026-11-27",
            "tag:example.org,2026:issue/2026-11-20",
        ]
        assert "papers/2410.00907/" in atom.entries[0].content[0].value
        opml = (content / "feeds.opml").read_text(encoding="utf-8")
        assert 'xmlUrl="https://example.org/digest/issues.rss.xml"' in opml or "issues.atom.xml" in opml
        assert "issues.atom.xml" in (content / "subscribe.md").read_text(encoding="utf-8")
        found[mode] = (content / "issues.atom.xml").read_bytes()
        if mode == "issues":  # the same entries as the site feed of this mode
            site_feed = feedparser.parse((content / "atom.xml").read_bytes())
            assert [e.id for e in atom.entries] == [e.id for e in site_feed.entries]
    assert found["papers"] == found["issues"]


# --- Digest mode ----------------------------------------------------------------------------------


def test_digest_mode_has_one_entry_per_issue_listing_its_papers(tmp_path: Path) -> None:
    content = build_small(tmp_path, "issues")
    feed = feedparser.parse((content / "atom.xml").read_bytes())
    assert [e.id for e in feed.entries] == [
        "tag:example.org,2026:issue/2026-11-27",
        "tag:example.org,2026:issue/2026-11-20",
    ]
    newest = feed.entries[0]
    assert newest.title == "2026-11-27: 2 new papers"
    assert newest.link == "https://example.org/digest/issues/2026-11-27/"
    assert newest.published == "2026-11-27T00:00:00+00:00"
    body = newest.content[0].value
    assert '<a href="https://example.org/digest/papers/2410.00907/">Addition is All You Need' in body
    assert '<a href="https://example.org/digest/papers/2502.13129/">Is Noise Conditioning' in body
    topic = feedparser.parse((content / "language-models.rss.xml").read_bytes())
    assert [e.id for e in topic.entries] == [
        "tag:example.org,2026:issue/2026-11-27/language-models",
        "tag:example.org,2026:issue/2026-11-20/language-models",
    ]
    assert topic.entries[0].title == "2026-11-27: 1 new paper in Language Models"
    assert "papers/2410.00907/" in topic.entries[0].description
    assert "2502.13129" not in topic.entries[0].description  # not a language-model paper


def test_digest_mode_limit_counts_issues(tmp_path: Path) -> None:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "digest.yml").write_text(
        "papers: [issues]\ntopics: topics.yml\nfeeds: {limit: 1, mode: issues, id_prefix: 'tag:example.org,2026:'}\n",
        encoding="utf-8",
    )
    run_digest("build", "--quiet", cwd=project)
    feed = feedparser.parse((project / "content" / "atom.xml").read_bytes())
    assert [e.id for e in feed.entries] == ["tag:example.org,2026:issue/2026-11-27"]


def test_a_partial_day_merged_later_updates_the_issue_entry_but_keeps_its_id(tmp_path: Path) -> None:
    content = build_small(tmp_path, "issues")
    before = etree.parse(str(content / "atom.xml")).getroot().find(f"{ATOM}entry")
    (content.parent / "issues" / "2026-11-27-late.yaml").write_text(
        "papers:\n  - title: A Late Paper on Language Models\n    abstract: Listed later the same day.\n",
        encoding="utf-8",
    )
    run_digest("build", "--quiet", cwd=content.parent)
    after = etree.parse(str(content / "atom.xml")).getroot().find(f"{ATOM}entry")
    assert after.findtext(f"{ATOM}id") == before.findtext(f"{ATOM}id") == "tag:example.org,2026:issue/2026-11-27"
    assert after.findtext(f"{ATOM}published") == before.findtext(f"{ATOM}published")
    assert after.findtext(f"{ATOM}updated") > before.findtext(f"{ATOM}updated")
    assert after.findtext(f"{ATOM}title") == "2026-11-27: 3 new papers"
    assert "A Late Paper on Language Models" in after.findtext(f"{ATOM}content")
    root = etree.parse(str(content / "atom.xml")).getroot()
    assert root.findtext(f"{ATOM}updated") == after.findtext(f"{ATOM}updated")


# --- Determinism ----------------------------------------------------------------------------------


def test_feeds_are_byte_identical_whatever_the_clock_zone_locale_or_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for number, env in enumerate(
        [
            {"TZ": "UTC", "LC_ALL": "C", "PYTHONHASHSEED": "0"},
            {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "12345"},
            {"TZ": "America/Los_Angeles", "LANG": "de_DE.UTF-8", "PYTHONHASHSEED": "random"},
        ]
    ):
        project = tmp_path / f"run{number}"
        shutil.copytree(SMALL, project)
        config = (project / "digest.yml").read_text(encoding="utf-8")
        config = config.replace("  limit: 3\n", "  limit: 3\n  mode: issues\n")
        (project / "digest.yml").write_text(config, encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "generator", "build", "--quiet"], cwd=project, env={**os.environ, **env}, check=True
        )
        content = project / "content"
        outputs.append({name: (content / name).read_bytes() for name in [*feed_names(content), "feeds.opml"]})
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_paper_of_thousands_of_authors_adds_them_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    # feedgen's author() goes over every author the entry has at each call: added one by one, a physics
    # collaboration's 3,000 authors took 0.09 s per entry and per feed (4.5 million steps).
    import datetime as dt

    from feedgen.entry import FeedEntry

    from generator.config import Config, load_site
    from generator.feeds import Entry, all_feeds, render_feed
    from generator.merge import group_issues
    from generator.model import Paper
    from generator.render import Archive
    from tests.conftest import ROOT

    names = tuple(f"Member {number} of the Collaboration" for number in range(3000))
    paper = Paper(id="2611.00001", title="A Measurement", abstract="We measure.", added=dt.date(2026, 11, 27),
                  source="synthetic", authors=names)
    config = Config(base_dir=ROOT)
    archive = Archive({paper.id: paper}, group_issues([paper]), [], load_site(config), config)
    when = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    entry = Entry(id="tag:x,2026:paper/1", title="A Measurement", link="https://example.org/papers/1/", published=when,
                  updated=when, content="<p>We measure.</p>", authors=names, topics=())
    calls: list[object] = []
    author = FeedEntry.author

    def counted(self: FeedEntry, *args: object, **options: object) -> object:
        calls.append(args)
        return author(self, *args, **options)

    monkeypatch.setattr(FeedEntry, "author", counted)
    feed = all_feeds(archive, archive.topic_members)[0]  # the site feed
    atom = render_feed(archive, feed, [entry], rss=False).decode("utf-8")
    rss = render_feed(archive, feed, [entry], rss=True).decode("utf-8")
    assert len(calls) == 2  # one per entry and feed, whatever the number of authors
    assert atom.count("<author>") == 3001  # each author, and the feed's own
    assert [m for m in re.findall(r"<name>([^<]*)</name>", atom)][1:] == list(names)
    assert re.findall(r"<dc:creator>([^<]*)</dc:creator>", rss) == list(names)


def test_a_collaboration_of_thousands_of_authors_is_named_by_its_first_twenty_and_the_number_of_the_rest() -> None:
    # All 3,000 names made each entry of such a paper 250 KB (content, Atom <author>s and RSS <dc:creator>s),
    # and a feed of 50 of them 17 MB: more than feed readers fetch.
    import datetime as dt

    from generator.config import Config, load_site
    from generator.feeds import FEED_AUTHORS, all_feeds, paper_entry, render_feed
    from generator.merge import group_issues
    from generator.model import Paper
    from generator.render import Archive
    from tests.conftest import ROOT

    def paper(number: int, authors: int) -> Paper:
        names = tuple(f"Member {index} of Team {number}" for index in range(authors))
        return Paper(id=f"2611.0000{number}", title=f"A Measurement {number}", abstract="We measure.",
                     added=dt.date(2026, 11, 27), source="synthetic", authors=names)

    big, small = paper(1, 3000), paper(2, FEED_AUTHORS + 1)
    config = Config(base_dir=ROOT)
    archive = Archive({p.id: p for p in (big, small)}, group_issues([big, small]), [], load_site(config), config)
    entry = paper_entry(archive, big)
    assert entry.authors == big.authors[:FEED_AUTHORS]
    assert f"{html.escape(big.authors[FEED_AUTHORS - 1])} and 2,980 more</p>" in entry.content
    assert big.authors[FEED_AUTHORS] not in entry.content
    feed = all_feeds(archive, archive.topic_members)[0]
    rss = render_feed(archive, feed, [entry], rss=True).decode("utf-8")
    assert len(re.findall(r"<dc:creator>", rss)) == FEED_AUTHORS
    assert len(rss) < 10_000
    # One name more than the limit is shown rather than "and 1 more".
    entry = paper_entry(archive, small)
    assert entry.authors == small.authors and "more</p>" not in entry.content


def test_a_paper_hidden_later_moves_its_issue_entries_updated_forward_never_back(tmp_path: Path) -> None:
    # A takedown shortens the issue's entry: a reader that keeps the newest version by <updated> must be told,
    # or it keeps showing the hidden paper; and a time going back is no update at all (RFC 4287 4.2.15).
    content = build_small(tmp_path, "issues")
    (content.parent / "issues" / "2026-11-27-late.yaml").write_text(
        "papers:\n  - title: A Late Paper on Language Models\n    abstract: Listed later the same day.\n",
        encoding="utf-8",
    )
    run_digest("build", "--quiet", cwd=content.parent)

    def updated(name: str) -> dict[str, str]:
        root = etree.parse(str(content / name)).getroot()
        return {entry.findtext(f"{ATOM}id"): entry.findtext(f"{ATOM}updated") for entry in root.findall(f"{ATOM}entry")}

    names = ("atom.xml", "issues.atom.xml", "language-models.atom.xml")  # by its second topic too
    before = {name: updated(name) for name in names}
    (content.parent / "data").mkdir()
    (content.parent / "data" / "curation.yml").write_text(
        "papers:\n  '2410.00907':\n    hide: Takedown request.\n", encoding="utf-8"
    )
    run_digest("build", "--quiet", cwd=content.parent)
    for name in names:
        after = updated(name)
        entry = "tag:example.org,2026:issue/2026-11-27" + ("/language-models" if name.startswith("language") else "")
        assert "2410.00907" not in (content / name).read_text(encoding="utf-8")
        assert after[entry] > before[name][entry], name
        assert {key: value for key, value in after.items() if key != entry} == {
            key: value for key, value in before[name].items() if key != entry
        }



def test_a_takedown_of_a_topics_only_paper_of_an_issue_keeps_the_entry_listing_none(tmp_path: Path) -> None:
    """In `issues` mode a topic's entry for a day listing one paper vanished when the curation file hid that paper:
    readers kept the entry as they had it, the hidden paper listed. The entry stays, listing none, its `updated`
    moved on, so readers that keep the newest version drop the paper."""
    content = build_small(tmp_path, "issues")
    entry = "tag:example.org,2026:issue/2026-11-27/language-models"

    def entries() -> dict[str, tuple[str, str]]:
        root = etree.parse(str(content / "language-models.atom.xml")).getroot()
        return {each.findtext(f"{ATOM}id"): (each.findtext(f"{ATOM}title"), each.findtext(f"{ATOM}updated"))
                for each in root.findall(f"{ATOM}entry")}

    before = entries()
    assert before[entry][0] == "2026-11-27: 1 new paper in Language Models" and len(before) > 1
    (content.parent / "data").mkdir()
    (content.parent / "data" / "curation.yml").write_text(
        "papers:\n  '2410.00907':\n    hide: Takedown request.\n", encoding="utf-8"
    )
    run_digest("build", "--quiet", cwd=content.parent)
    after = entries()
    assert after[entry][0] == "2026-11-27: 0 new papers in Language Models" and after[entry][1] > before[entry][1]
    assert {key: value for key, value in after.items() if key != entry} == {
        key: value for key, value in before.items() if key != entry
    }
    data = (content / "language-models.atom.xml").read_bytes()
    assert b"2410.00907" not in data and atom_problems(data) == []
    assert rss_problems((content / "language-models.rss.xml").read_bytes()) == []
    # The site's entry for the day lists the day's other papers as before; a topic with no paper left has no feed.
    assert "2026-11-27: 0 new papers" not in (content / "issues.atom.xml").read_text(encoding="utf-8")

def test_a_takedown_of_a_whole_days_papers_keeps_the_days_issue_entry_listing_none(tmp_path: Path) -> None:
    """When the curation file hid every paper of a day, the day's entry left the issues feed (and the site's and the
    topics' feeds in `issues` mode), the issue having no page left: readers kept the entry as they had it, the hidden
    papers listed. It stays, listing none and linking to the archive, its `updated` moved on."""
    content = build_small(tmp_path, "issues")
    project = content.parent
    (project / "issues" / "2026-11-28.yaml").write_text(
        "papers:\n  - title: An Invented Study of Efficient Language Model Reasoning\n"
        "    abstract: Large language models reason step by step; we prune their reasoning paths.\n"
        "    arxiv: '2611.00001'\n",
        encoding="utf-8",
    )
    run_digest("build", "--quiet", cwd=project)

    def entries(name: str) -> dict[str, tuple[str, str, str]]:
        root = etree.parse(str(content / name)).getroot()
        return {each.findtext(f"{ATOM}id"): (each.findtext(f"{ATOM}title"), each.findtext(f"{ATOM}updated"),
                                             each.find(f"{ATOM}link").get("href"))
                for each in root.findall(f"{ATOM}entry")}

    day = "tag:example.org,2026:issue/2026-11-28"
    feeds = {"issues.atom.xml": "issues.rss.xml", "atom.xml": "rss.xml"}
    # The topic feeds that list the day: each has its own entry for it.
    feeds.update({path.name: path.name.replace(".atom.xml", ".rss.xml") for path in content.glob("*.atom.xml")
                  if any(key.startswith(f"{day}/") for key in entries(path.name))})
    assert len(feeds) > 2
    before = {name: entries(name) for name in feeds}
    assert before["issues.atom.xml"][day][0] == "2026-11-28: 1 new paper"
    (project / "data").mkdir()
    (project / "data" / "curation.yml").write_text("papers:\n  '2611.00001':\n    hide: Takedown request.\n",
                                                   encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    assert not (content / "issues" / "2026-11-28.md").exists()  # the issue has no page left
    for name, rss in feeds.items():
        after = entries(name)
        (key,) = [key for key in after if key.split("/")[-1] == "2026-11-28" or key.startswith(f"{day}/")]
        title, updated, link = after[key]
        assert title.startswith("2026-11-28: 0 new papers") and updated > before[name][key][1]
        assert link.endswith("/issues/") and "2611.00001" not in (content / name).read_text(encoding="utf-8")
        assert {other: value for other, value in after.items() if other != key} == {
            other: value for other, value in before[name].items() if other != key}
        assert atom_problems((content / name).read_bytes()) == []
        assert rss_problems((content / rss).read_bytes()) == []


def test_a_title_that_shows_as_no_text_is_reported_and_skipped_not_a_traceback(tmp_path: Path) -> None:
    # Titles are shown with their LaTeX decoded: "\textbf{}" is no text, and feedgen refused the Atom entry
    # without a title, stopping every build with a traceback until the paper list was edited.
    project = build_small(tmp_path).parent
    (project / "issues" / "2026-11-28.yaml").write_text(
        "papers:\n"
        "  - title: \\textbf{}\n    abstract: An abstract under a title of empty LaTeX markup.\n"
        '  - title: "\\u2066\\u2069"\n    abstract: An abstract under a title of bidi controls alone.\n'
        "  - title: A Kept Paper on Language Models\n    abstract: Listed the same day, with a title.\n",
        encoding="utf-8",
    )
    result = run_digest("build", cwd=project)
    assert "issues/2026-11-28.yaml: item 1: title '\\\\textbf{}' shows as no text; skipped" in result.stderr
    assert "issues/2026-11-28.yaml: item 2: title of bidi controls only shows as no text; skipped" in result.stderr
    for name in feed_names(project / "content"):
        data = (project / "content" / name).read_bytes()
        assert (rss_problems if name.endswith("rss.xml") else atom_problems)(data) == [], name
    entries = feedparser.parse((project / "content" / "atom.xml").read_bytes()).entries
    assert [entry.title for entry in entries if "2026-11-28" in entry.published] == ["A Kept Paper on Language Models"]


def test_an_issue_dated_before_the_year_1000_is_a_typo_skipped_never_an_invalid_rss_date(tmp_path: Path) -> None:
    # RFC 822 years have four digits (two in the old form): year 202 made "Mon, 01 Dec 202 00:00:00 +0000".
    project = build_small(tmp_path).parent
    (project / "issues" / "0202-12-01.yaml").write_text(
        "papers:\n  - title: A Paper on Language Models Dated by a Typo\n    abstract: Its issue is 0202, not 2025.\n",
        encoding="utf-8",
    )
    config = (project / "digest.yml").read_text(encoding="utf-8")
    (project / "digest.yml").write_text(config.replace("limit: 3", "limit: 50"), encoding="utf-8")
    result = run_digest("build", cwd=project)
    for name in feed_names(project / "content"):
        data = (project / "content" / name).read_bytes()
        assert (rss_problems if name.endswith("rss.xml") else atom_problems)(data) == [], name
        assert b"Dated by a Typo" not in data
    typo = "issues/0202-12-01.yaml: issue date 0202-12-01 is before the year 1000: a typo? The file is skipped"
    assert typo in result.stderr


def test_a_changed_id_prefix_is_named_by_the_build_with_the_one_readers_know(tmp_path: Path) -> None:
    """Editing feeds.id_prefix (to the new domain, when the site moves) gave every entry a new id, so every reader
    showed every paper again, and the build said nothing; it now names the prefix the published feeds have."""
    content = build_small(tmp_path)
    project = content.parent
    config = (project / "digest.yml").read_text(encoding="utf-8")
    (project / "digest.yml").write_text(config.replace("tag:example.org,2026:", "tag:new.example.org,2027:"),
                                        encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert ("digest.yml: note: feeds.id_prefix is 'tag:new.example.org,2027:', and the feeds this build replaces were"
            " published with 'tag:example.org,2026:'") in result.stderr
    assert "set feeds.id_prefix back to 'tag:example.org,2026:'" in result.stderr
    # Said once: the next full build replaces feeds that have the new ids (a comment makes digest.yml another input).
    (project / "digest.yml").write_text(config.replace("tag:example.org,2026:", "tag:new.example.org,2027:")
                                        + "# moved\n", encoding="utf-8")
    assert "feeds.id_prefix" not in run_digest("build", cwd=project).stderr


FUTURE_ISSUE = """papers:
  - title: Sparse mixture-of-experts routing for long-context retrieval
    abstract: We route tokens of long documents to a few experts and retrieve passages with them.
    arxiv: "2611.09999"
"""


def test_an_issue_dated_after_today_is_named_by_the_build(tmp_path: Path) -> None:
    """A paper list dated in the future by a typo (2062 for 2026) dated every feed's newest entries then, above every
    issue published before that day, and the build said nothing; it now names the file, even with --quiet."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "issues" / "2062-11-21.yaml").write_text(FUTURE_ISSUE, encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project)
    assert "issues/2062-11-21.yaml: issue date 2062-11-21 is more than 2 days after today (" in result.stderr
    assert "<updated>2062-11-21T00:00:00+00:00</updated>" in (project / "content" / "atom.xml").read_text("utf-8")
    assert "days after today" in run_digest("build", cwd=project).stderr  # an unchanged rebuild says so again
    (project / "issues" / "2062-11-21.yaml").rename(project / "issues" / "2026-11-21.yaml")
    assert "days after today" not in run_digest("build", cwd=project).stderr


def test_only_an_issue_dated_further_ahead_than_a_fetch_saves_is_in_the_future() -> None:
    from generator.build import BuildReport
    from generator.cli import future_issue

    today = dt.date(2026, 11, 27)
    report = BuildReport(newest=("2026-11-29", "data/issues/2026-11-29-arxiv-new.rss"))
    assert future_issue(report, today) == []  # an announcement feed's own day, as digest fetch arxiv-new takes it
    report.newest = ("2026-11-30", "data/issues/2026-11-30.json")
    assert [str(problem) for problem in future_issue(report, today)] == [
        "data/issues/2026-11-30.json: issue date 2026-11-30 is more than 2 days after today (2026-11-27, UTC): a typo?"
        " Every feed dates this issue's entries then, so readers list them above every issue published before that"
        " day; correct the file's name (or its `date`)"]
    assert future_issue(BuildReport(), today) == []


def test_a_paper_whose_id_changed_on_upgrade_keeps_its_feed_entry_id(tmp_path: Path) -> None:
    """Versions up to 0.1.3 gave a paper linked at hf.co, cited as `arXiv:ID [cs.LG]`, with `&amp;` in a scraped
    title, with arXiv's DOI written `doi:`, or exported by Google Scholar or Mendeley an id from its title. Its page
    stays as an alias; its feed entries keep that id too, or every subscriber's reader shows the paper again."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "issues" / "2026-11-28.yaml").write_text(
        "papers:\n"
        "  - {title: Short Link Paper, abstract: A., url: 'https://hf.co/papers/2402.00001'}\n"
        "  - {title: Cited Paper, abstract: A., arxiv: 'arXiv:2402.00002 [cs.LG]'}\n"
        "  - {title: Tom &amp; Jerry&#39;s Paper, abstract: A.}\n"
        "  - {title: DOI Paper, abstract: A., doi: 'doi:10.48550/arXiv.2402.00003'}\n"
        "  - {title: Read Before, abstract: A., url: 'https://www.arxiv.org/abs/2402.00004'}\n", encoding="utf-8")
    (project / "issues" / "2026-11-28.bib").write_text(
        "@article{a, title = {Scholar Paper}, journal = {arXiv preprint arXiv:2402.00005}}\n"
        "@article{b, title = {{Mendeley Paper}}, url = {http://example.org/x http://arxiv.org/abs/2402.00006}}\n",
        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    root = etree.parse(str(project / "content" / "atom.xml")).getroot()
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}
    as_before = {"Short Link Paper": "2402.00001", "Cited Paper": "2402.00002", "Tom & Jerry's Paper": None,
                 "DOI Paper": "2402.00003", "Scholar Paper": "2402.00005", "Mendeley Paper": "2402.00006"}
    for title, arxiv_id in as_before.items():
        written = {"Tom & Jerry's Paper": "Tom &amp; Jerry&#39;s Paper"}.get(title, title)
        entry = entries[title]
        assert entry.findtext(f"{ATOM}id") == f"tag:example.org,2026:paper/{paper_id(written, None)}", title
        if arxiv_id:  # the link is the arXiv id's page, the address the paper has now
            assert entry.find(f"{ATOM}link").get("href").endswith(f"/papers/{arxiv_id}/"), title
    assert entries["Read Before"].findtext(f"{ATOM}id") == "tag:example.org,2026:paper/2402.00004"
