"""A topic renamed: ``formerly:`` keeps its old slug's feeds (same ids), page and pins; without it, the build says
what it drops."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import feedparser
import pytest

from generator.curation import load_curation, pin_topics
from generator.errors import ConfigError
from generator.model import Paper, TopicMatch
from generator.topics import load_taxonomy, taxonomy_fingerprint
from generator.topics.stability import pins_text, read_pins
from generator.topics.taxonomy import slug_map
from tests.conftest import SMALL, make_project, mkdocs_build, run_digest
from tests.feed_checks import atom_problems, rss_problems

BASE = "https://user.github.io/repo/"
OLD, NEW = "generative", "generative-models"


def renamed(project: Path, formerly: bool) -> None:
    """The small taxonomy's topic `generative` given the slug `generative-models` (with or without `formerly`)."""
    topics = project / "data" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    line = f"    slug: {OLD}\n"
    assert line in text
    topics.write_text(text.replace(line, f"    slug: {NEW}\n" + (f"    formerly: [{OLD}]\n" if formerly else "")),
                      encoding="utf-8")


def small_project(folder: Path, mode: str = "papers") -> Path:
    project = make_project(folder, papers=SMALL / "issues", topics=SMALL / "topics.yml", site_url=BASE)
    if mode != "papers":
        (project / "digest.yml").write_text(f"feeds:\n  mode: {mode}\n", encoding="utf-8")
    return project


def ids(feed: bytes) -> tuple[str, list[str]]:
    parsed = feedparser.parse(feed)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed.feed.get("id", ""), [entry.id for entry in parsed.entries]


@pytest.mark.parametrize("mode", ["papers", "issues"])
def test_a_renamed_topic_keeps_its_old_feeds_with_their_ids_and_its_old_page(tmp_path: Path, mode: str) -> None:
    """Changing a topic's slug removed its feeds and page: its subscribers got nothing new and were told nothing.
    With `formerly:` the old feeds go on with the feed's and entries' ids they had (in `issues` mode an entry's id
    names the topic), and the old page sends readers to the new one."""
    project = small_project(tmp_path / "p", mode)
    run_digest("build", cwd=project)
    content = project / "content"
    before = {name: (content / name).read_bytes() for name in (f"{OLD}.atom.xml", f"{OLD}.rss.xml")}
    renamed(project, formerly=True)
    result = run_digest("build", cwd=project)
    assert "drops them" not in result.stderr
    for name, old in before.items():
        new = (content / name).read_bytes()
        assert ids(new) == ids(old) and ids(old)[1]  # the same feed, and the same entries, to a reader
        assert (atom_problems(new) if name.endswith("atom.xml") else rss_problems(new)) == []
    feed = feedparser.parse((content / f"{OLD}.atom.xml").read_bytes()).feed
    links = {link.rel: link.href for link in feed.links}
    assert links == {"self": f"{BASE}{OLD}.atom.xml", "alternate": f"{BASE}topics/{NEW}/"}
    # The topic's own feeds are there too, under their new name; the OPML offers new readers only those.
    assert ids((content / f"{NEW}.atom.xml").read_bytes())[0].endswith(f"feed/topic/{NEW}")
    opml = (content / "feeds.opml").read_text(encoding="utf-8")
    assert f"{BASE}{NEW}.atom.xml" in opml and f"{BASE}{OLD}.atom.xml" not in opml
    page = (content / "topics" / OLD / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=../{NEW}/">' in page
    assert f'<link rel="canonical" href="{BASE}topics/{NEW}/">' in page
    assert not (content / "topics" / OLD / "index.md").exists()


def test_a_renamed_topic_without_formerly_is_named_by_the_build(tmp_path: Path) -> None:
    project = small_project(tmp_path / "p")
    run_digest("build", cwd=project)
    renamed(project, formerly=False)
    result = run_digest("build", cwd=project)
    assert (f"topics.yml: note: the feeds of topic '{OLD}' ({OLD}.atom.xml, {OLD}.rss.xml) and its page were published"
            " and this build drops them") in result.stderr
    assert f"`formerly: [{OLD}]`" in result.stderr
    # The note names the topic new in this build, where the old slug most likely went, and its line.
    assert (f"If topic 'Generative Models' ({NEW}, line 6), new in this build, is this one renamed (or merged into it),"
            f" list the old slug in it, `formerly: [{OLD}]`: its feeds and page go on") in result.stderr
    assert not (project / "content" / f"{OLD}.atom.xml").exists()
    # The topics that kept their slugs, and the site's own feeds, are never named.
    assert result.stderr.count("drops them") == 1


def test_two_topics_merged_into_one_are_told_to_list_both_old_slugs(tmp_path: Path) -> None:
    """Each dropped topic's note said `formerly: [its slug]` alone: a maintainer who merged two topics and followed
    either note kept one topic's feeds and lost the other's."""
    project = small_project(tmp_path / "p")
    run_digest("build", cwd=project)
    topics = project / "data" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    merged = ("  - name: Models\n    slug: models\n"
              "    keywords: [language model, LLM, reasoning, diffusion, generative, denoising]\n")
    start, end = text.index("  - name: Language Models"), text.index("  - name: Efficiency")
    topics.write_text(text[:start] + merged + text[end:], encoding="utf-8")
    result = run_digest("build", cwd=project)
    notes = [line for line in result.stderr.splitlines() if "drops them" in line]
    assert len(notes) == 2, result.stderr
    assert all(note.endswith("(topics merged into one: list all their old slugs in the one they went into, `formerly:"
                             " [generative, language-models]`)") for note in notes), notes
    assert all("If topic 'Models' (models, line 2), new in this build, is this one renamed" in note for note in notes)


def test_a_removed_topic_is_named_without_a_topic_to_keep_it_in(tmp_path: Path) -> None:
    """A topic deleted, no topic new: the note says where the old slug would go if its papers went to another."""
    project = small_project(tmp_path / "p")
    run_digest("build", cwd=project)
    topics = project / "data" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    start, end = text.index("  - name: Generative Models"), text.index("  - name: Efficiency")
    topics.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert ("readers subscribed to them get nothing new. If this topic was renamed or merged into another, list the"
            f" old slug in that one, `formerly: [{OLD}]`: its feeds and page go on") in result.stderr


def test_the_old_page_is_a_static_page_in_a_real_site(tmp_path: Path) -> None:
    project = small_project(tmp_path / "p")
    renamed(project, formerly=True)
    run_digest("build", "--quiet", cwd=project)
    site = mkdocs_build(project)
    page = (site / "topics" / OLD / "index.html").read_text(encoding="utf-8")
    assert f"url=../{NEW}/" in page and "This topic is now" in page
    assert (site / "topics" / NEW / "index.html").is_file()
    assert (site / f"{OLD}.atom.xml").is_file()
    assert f"topics/{OLD}/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


TAXONOMY = """topics:
  - name: Vision
    slug: computer-vision
    formerly: {formerly}
  - name: Language
    slug: language
"""


@pytest.mark.parametrize(("formerly", "reason"), [
    ("[language]", "'formerly' names 'language', the slug of topic 2 (line 5)"),
    ("[other]", "'formerly' names 'other', the slug of the built-in 'Other' topic"),
    ("[computer-vision]", "'computer-vision' is the topic's own slug"),
    ("[top]", "'top' is reserved for the site's own pages and feeds"),
    ("['Not a slug']", "'Not a slug' is not a slug"),
    ("{a: b}", "expected a list of the slugs the topic had before"),
])
def test_a_former_slug_that_cannot_be_one_is_an_error_naming_the_topic(
    tmp_path: Path, formerly: str, reason: str
) -> None:
    path = tmp_path / "topics.yml"
    path.write_text(TAXONOMY.format(formerly=formerly), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_taxonomy(path)
    assert f"{path}:2: topic 1" in str(error.value) and reason in str(error.value)


def test_two_topics_cannot_claim_one_former_slug(tmp_path: Path) -> None:
    path = tmp_path / "topics.yml"
    path.write_text("topics:\n  - name: A\n    formerly: old\n  - name: B\n    formerly: [old]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":4: topic 2: 'formerly' names 'old', the slug of topic 1 \(line 2\)"):
        load_taxonomy(path)


def test_pins_naming_a_former_slug_pin_the_topic(tmp_path: Path) -> None:
    """Pins written before a rename name the old slug: `reassign`'s still hold (a rename with `formerly` keeps the
    taxonomy's fingerprint) and, like the curation file's, pin the topic under its new slug."""
    before, after = tmp_path / "before.yml", tmp_path / "after.yml"
    before.write_text(TAXONOMY.replace("    formerly: {formerly}\n", "").replace("computer-vision", "vision"),
                      encoding="utf-8")
    after.write_text(TAXONOMY.format(formerly="[vision]"), encoding="utf-8")
    old, _ = load_taxonomy(before)
    new, _ = load_taxonomy(after)
    assert taxonomy_fingerprint(new) == taxonomy_fingerprint(old)
    assert slug_map(new) == {"vision": "computer-vision", "computer-vision": "computer-vision", "language": "language"}
    papers = [Paper(id=f"p{n}", title="Seeing things", abstract="Images.", added=dt.date(2026, 1, 1), source="test")
              for n in (1, 2)]
    papers[0].topics = (TopicMatch("vision", 0.5, ("title: vision",)),)
    papers[1].topics = (TopicMatch("language", 0.25, ()), TopicMatch("vision", 0.2, ()))
    assignments = tmp_path / "assignments.yml"
    assignments.write_text(pins_text(papers, old), encoding="utf-8")
    pins, problems = read_pins(assignments, new)
    assert problems == []
    assert pins == {"p1": (TopicMatch("computer-vision", 0.5, ("title: vision",)),),
                    "p2": (TopicMatch("language", 0.25, ()), TopicMatch("computer-vision", 0.2, ()))}
    curation_file = tmp_path / "curation.yml"
    curation_file.write_text("papers:\n  p1:\n    topics: [language, vision]\n", encoding="utf-8")
    curation, _ = load_curation(curation_file, "curation.yml")
    assert pin_topics(papers, curation, [t.slug for t in new], slug_map(new)) == []
    assert [m.slug for m in papers[0].topics] == ["language", "computer-vision"]


def test_pin_from_a_report_written_before_a_rename_pins_the_renamed_topic(tmp_path: Path) -> None:
    """The upgrade path (report --json, change the taxonomy, pin --from) across a rename: a report naming the old
    slug pinned nothing of that topic ("no topic in the taxonomy"); it pins the topic under its new slug."""
    project = small_project(tmp_path / "p")
    published = tmp_path / "published.json"
    published.write_text(run_digest("topics", "report", "--json", cwd=project).stdout, encoding="utf-8")
    before = {item["id"]: [t["slug"] for t in item["topics"]] for item in json.loads(published.read_text())}
    assert any(OLD in slugs for slugs in before.values())
    renamed(project, formerly=True)
    result = run_digest("topics", "pin", "--from", str(published), cwd=project)
    assert "not pinned" not in result.stderr, result.stderr
    after = {item["id"]: [t["slug"] for t in item["topics"]]
             for item in json.loads(run_digest("topics", "report", "--json", cwd=project).stdout)}
    assert after == {paper: [NEW if slug == OLD else slug for slug in slugs] for paper, slugs in before.items()}


def test_the_old_page_offers_a_feed_reader_the_topics_feeds(tmp_path: Path) -> None:
    """A feed reader given the topic's old address (a bookmark, a link in a post) found no feed there: the page that
    sends people on is a refresh, which readers do not follow. It advertises the topic's feeds, as its page does."""
    project = small_project(tmp_path / "p")
    renamed(project, formerly=True)
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    page = (content / "topics" / OLD / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">', page)
    assert [kind for kind, _, _ in found] == ["application/atom+xml", "application/rss+xml"]
    name = feedparser.parse((content / f"{NEW}.atom.xml").read_bytes()).feed.title  # the topic's feed's own title
    assert [title for _, title, _ in found] == [f"{name} (Atom)", f"{name} (RSS)"]
    for _, _, href in found:
        assert href in (f"../../{NEW}.atom.xml", f"../../{NEW}.rss.xml")
        assert (content / "topics" / OLD / href).resolve().is_file()


STRANGER = """date: 2026-11-21
papers:
  - title: Sourdough Bread with Rye Flour
    abstract: Bakers proof the dough overnight in a cold cellar before the loaves go into a wood oven.
"""


def test_the_other_feeds_dropped_are_named_without_a_formerly_to_add(tmp_path: Path) -> None:
    """When the last paper in Other left it, the note said to keep the old slug with `formerly: [other]`, which the
    taxonomy refuses ("other" is no topic's slug): it now says that no paper is in Other any more."""
    project = small_project(tmp_path / "p")
    stranger = project / "data" / "issues" / "2026-11-21.yaml"
    stranger.write_text(STRANGER, encoding="utf-8")
    run_digest("build", cwd=project)
    assert (project / "content" / "other.atom.xml").is_file()
    stranger.unlink()
    result = run_digest("build", cwd=project)
    assert "other.atom.xml, other.rss.xml" in result.stderr and "no paper is in Other any more" in result.stderr
    assert "formerly: [other]" not in result.stderr


def test_a_renamed_topic_keeps_the_addresses_of_its_later_pages(tmp_path: Path) -> None:
    """The old slug's page sent readers on, but its later pages (`topics/language-models/page-2/`, in the sitemap and
    bookmarked) were gone after the rename: each now sends readers to the same page under the new slug."""
    old, new = "language-models", "nlp"
    project = small_project(tmp_path / "p")
    (project / "digest.yml").write_text("topic_page_size: 1\n", encoding="utf-8")
    run_digest("build", cwd=project)
    content = project / "content"
    later = sorted(path.name for path in (content / "topics" / old).glob("page-*.md"))
    assert later, "the fixture's topic fills more than one page"
    topics = project / "data" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    assert f"    slug: {old}\n" in text
    topics.write_text(text.replace(f"    slug: {old}\n", f"    slug: {new}\n    formerly: [{old}]\n"), encoding="utf-8")
    run_digest("build", cwd=project)
    site = mkdocs_build(project)
    for name in later:
        number = name.removesuffix(".md")
        page = (site / "topics" / old / number / "index.html").read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url=../../{new}/{number}/">' in page
        assert f'<link rel="canonical" href="{BASE}topics/{new}/{number}/">' in page
        assert (site / "topics" / new / number / "index.html").is_file()  # where it sends readers is there
        # It offers a feed reader the topic's feeds, as the old first page does: at the site's root, one folder up
        # more than from that page (they pointed into topics/, where no feed is).
        hrefs = re.findall(r'<link rel="alternate" type="[^"]+" title="[^"]+" href="([^"]+)">', page)
        assert hrefs == [f"../../../{new}.atom.xml", f"../../../{new}.rss.xml"]
        for href in hrefs:
            assert (site / "topics" / old / number / href).resolve().is_file()
    assert not (site / "topics" / old / f"page-{len(later) + 2}").exists()


def test_a_build_that_moves_published_papers_to_other_topics_says_so(tmp_path: Path) -> None:
    """Upgrading a site from 0.1.1 moved published papers to other topics (the issues after a takedown were scored
    otherwise) without a word, though their topic feeds showed them as new: the build compares the topics with the
    topic pages the previous build published and names the papers moved, and a new issue names none."""
    project = make_project(tmp_path / "p", papers=SMALL / "issues", topics=SMALL / "topics.yml")
    (project / "digest.yml").write_text("topic_page_size: 1\n", encoding="utf-8")  # later pages are read too
    first = run_digest("build", cwd=project)
    assert first.returncode == 0 and "other topics than" not in first.stderr, first.stderr
    report = json.loads(run_digest("topics", "report", "--json", cwd=project).stdout)
    paper = next(entry for entry in report if {t["slug"] for t in entry["topics"]} != {"science"})
    (project / "data" / "curation.yml").write_text(
        f"papers:\n  '{paper['id']}':\n    topics: [science]\n", encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "other topics than" in line]
    assert len(notes) == 1 and notes[0].startswith(
        "topics/: note: this build gives 1 published paper other topics than the previous one published:"
        f" {paper['id']} ({', '.join(sorted(t['slug'] for t in paper['topics']))} → science)."), result.stderr
    assert "digest topics pin --from published.json" in notes[0]
    later = {"title": "A later paper about language models", "abstract": "Language models read text.",
             "arxiv": "2612.00001"}
    (project / "data" / "issues" / "2026-12-01.json").write_text(json.dumps([later]), encoding="utf-8")
    again = run_digest("build", cwd=project)
    assert again.returncode == 0 and "other topics than" not in again.stderr, again.stderr


def test_the_papers_of_a_removed_topic_are_named_as_moved(tmp_path: Path) -> None:
    """A topic deleted from the taxonomy: its papers went to other topics (and their feeds, as new), but the note on
    published papers in other topics read only the pages of the topics still there, and named none of them."""
    project = small_project(tmp_path / "p")
    run_digest("build", cwd=project)
    report = json.loads(run_digest("topics", "report", "--json", cwd=project).stdout)
    gone = sorted(item["id"] for item in report if [t["slug"] for t in item["topics"]] == [OLD])
    assert gone
    topics = project / "data" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    start, end = text.index("  - name: Generative Models"), text.index("  - name: Efficiency")
    topics.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_digest("build", cwd=project)
    note = next(line for line in result.stderr.splitlines() if "other topics than the previous one" in line)
    assert all(paper in note for paper in gone), (gone, note)
