"""Feeds read with a real parser: valid, stable ids, dates from the data, absolute links."""

import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import feedparser
import pytest

from tests.conftest import SMALL, run_digest

ATOM = "{http://www.w3.org/2005/Atom}"


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
        # limit: 3 in the fixture's digest.yml; newest first.
        assert [entry.id for entry in feed.entries] == [
            "tag:example.org,2026:paper/2410.00907",
            "tag:example.org,2026:paper/2502.13129",
            "tag:example.org,2026:paper/t4aa1e344a40",
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
    assert [entry.title for entry in feed.entries] == ["Is Noise Conditioning Necessary for Denoising Generative Models?"]
    outlines = ElementTree.parse(small_content / "feeds.opml").getroot().iter("outline")
    urls = [outline.get("xmlUrl") for outline in outlines]
    assert "https://example.org/digest/atom.xml" in urls
    assert "https://example.org/digest/generative.atom.xml" in urls


def test_feeds_do_not_depend_on_the_clock_or_rebuilds(small_content: Path, tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in small_content.glob("*.xml")}
    project = small_content.parent
    shutil.rmtree(small_content)
    run_digest("build", "--quiet", cwd=project)
    assert {p.name: p.read_bytes() for p in small_content.glob("*.xml")} == first
