"""A taxonomy of hundreds of topics (a maintainer mapping every arXiv category): what grows with the topics must
grow no faster than they do. Counts of work and bytes, never timings."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from generator.build import TEMPLATE_DIR
from generator.config import Config, load_site
from generator.merge import group_issues
from generator.model import Paper, TopicMatch
from generator.render import NAV_TOPICS, Archive, Renderer
from generator.topics import Topic
from generator.trends import MAX_ROWS, trends_svg
from tests.conftest import ROOT

NEWEST = dt.date(2026, 11, 27)


def archive_of(papers: int, topics: int) -> Archive:
    """``papers`` papers, 10 a day, spread round-robin over ``topics`` invented topics."""
    taxonomy = [Topic(slug=f"topic-{number}", name=f"Topic {number}") for number in range(topics)]
    listed = [
        Paper(
            id=f"p{number:06d}",
            title=f"Paper number {number}",
            abstract="An abstract.",
            added=NEWEST - dt.timedelta(days=number // 10),
            source="synthetic",
            topics=(TopicMatch(taxonomy[number % topics].slug, 1.0),),
        )
        for number in range(papers)
    ]
    config = Config(base_dir=ROOT)
    return Archive({p.id: p for p in listed}, group_issues(listed), taxonomy, load_site(config), config)


def test_topics_by_slug_is_made_once() -> None:
    # Cards and feed entries look a topic up once per paper and topic: made anew each time, the mapping cost
    # O(topics) per look-up (4.3 s of a build at 5,000 papers and 1,000 topics).
    archive = archive_of(20, 1000)
    assert archive.topics_by_slug is archive.topics_by_slug
    assert len(archive.topics_by_slug) == 1001  # every topic, and Other
    assert archive.topic("topic-999").name == "Topic 999"


def test_navigation_lists_topics_up_to_a_bound() -> None:
    # Every page the navigation lists carries all of it, and each topic's first page is one of them: listing
    # 1,000 topics gave 887 first pages of 135 KB each (bytes growing with topics squared). Beyond NAV_TOPICS
    # the navigation lists the topics' index alone, which lists every topic.
    few = Renderer(archive_of(NAV_TOPICS * 2, NAV_TOPICS), TEMPLATE_DIR).nav()
    assert all(f"topics/topic-{number}/index.md" in few for number in range(NAV_TOPICS))
    many = yaml.safe_load(Renderer(archive_of(2000, 1000), TEMPLATE_DIR).nav())
    topics = next(entry["Topics"] for entry in many if isinstance(entry, dict) and "Topics" in entry)
    assert topics == ["topics/index.md"]
    index = Renderer(archive_of(2000, 1000), TEMPLATE_DIR).render_all()["topics/index.md"].decode("utf-8")
    assert all(f"topic-{number}/" in index for number in range(1000))


def test_trends_chart_draws_the_busiest_topics_only() -> None:
    # One row per topic: 887 rows of a 1,000-topic taxonomy made a chart 20,000 pixels tall, 1.3 MB of the home page.
    archive = archive_of(3000, 1000)  # 3 papers a topic; 5 more make the last topic the busiest
    extra = {f"x{number}": Paper(id=f"x{number}", title="Extra", abstract="An abstract.", added=NEWEST,
                                 source="synthetic", topics=(TopicMatch("topic-999", 1.0),)) for number in range(5)}
    papers = {**archive.papers, **extra}
    svg = str(trends_svg(group_issues(list(papers.values())), papers, archive.topics))
    labels = re.findall(r'<text class="digest-trends__label"[^>]*>([^<]*)</text>', svg)
    assert len(labels) == MAX_ROWS
    assert labels[-1] == "Topic 999"  # the busiest, kept in taxonomy order
    assert "and 960 more topics with fewer papers" in svg
    assert len(svg) < 40 * len(str(trends_svg(archive.issues, archive.papers, archive.topics[:1])))
