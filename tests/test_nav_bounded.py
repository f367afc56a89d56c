"""The navigation every page embeds stays the same size whatever the archive's size.

Builds the pages that the nav can list (home, indexes, first topic pages, newest issues) and one
paper page for archives of 1,000 and 10,000 papers with a real MkDocs build, and compares the
rendered navigation HTML. The other paper, issue and topic pages are left out to keep this fast;
they are not in the nav, and links to them are not checked here (the integration tests do that).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection
from pathlib import Path

from generator import top
from generator.build import TEMPLATE_DIR
from generator.config import Config, load_site
from generator.merge import group_issues
from generator.model import Issue, Paper, TopicMatch
from generator.render import HOME_PAPERS, Archive, Renderer, issue_page, topic_page
from generator.topics import load_taxonomy
from generator.writer import MANIFEST
from tests.conftest import ROOT, SEED_TOPICS, make_project, mkdocs_build, paper_page_html

NEWEST = dt.date(2026, 11, 27)


def archive_of(count: int, per_day: int = 100) -> Archive:
    """``count`` papers, ``per_day`` a day, spread round-robin over the bundled taxonomy's topics."""
    topics, _ = load_taxonomy(SEED_TOPICS)
    papers = [
        Paper(
            id=f"p{number:06d}",
            title=f"Paper number {number}",
            abstract="An abstract.",
            added=NEWEST - dt.timedelta(days=number // per_day),
            source="synthetic",
            topics=(TopicMatch(topics[number % len(topics)].slug, 1.0),),
            upvotes=number % 50,  # so the nav has its "Top papers" section (the newest week and month)
        )
        for number in range(count)
    ]
    config = Config(base_dir=ROOT)
    return Archive({p.id: p for p in papers}, group_issues(papers), topics, load_site(config), config)


class OnePaperRenderer(Renderer):
    """The real renderer, except that only the first paper gets its page (rendering 10,000 is slow)."""

    def paper_shard(self, issue: Issue, only: Collection[str] | None = None) -> tuple[str, bytes] | None:
        return super().paper_shard(issue, only={next(iter(self.archive.papers))})


def nav_pages(archive: Archive) -> dict[str, bytes]:
    """The pages the nav may list, plus one paper page; everything else stays out of this build."""
    renderer = OnePaperRenderer(archive, TEMPLATE_DIR)
    wanted = {"index.md", "topics/index.md", "issues/index.md", "subscribe.md"}
    wanted |= {topic_page(topic.slug) for topic in archive.topics}
    wanted |= {issue_page(issue) for issue in archive.issues[: archive.config.nav_issues]}
    top_pages = top.nav(renderer.top_periods())
    assert isinstance(top_pages, list) and len(top_pages) == 3  # the index, the newest week and month
    wanted |= {page if isinstance(page, str) else next(iter(page.values())) for page in top_pages}
    kept = {path: text for path, text in renderer.render_all().items() if path in wanted or path.startswith(".digest/")}
    kept[".nav.yml"] = renderer.nav().encode("utf-8")
    return kept


def primary_nav(html: str) -> str:
    """The primary (left) navigation of a built page."""
    start = html.index('<div class="md-sidebar md-sidebar--primary"')
    end = html.index('<div class="md-content"')
    return html[start:end]


def build_navs(tmp_path: Path, count: int) -> tuple[str, str]:
    project = make_project(tmp_path / str(count))
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # Links to the pages left out of this build are expected; everything else is checked as usual.
    config += "\nvalidation:\n  links:\n    not_found: ignore\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    pages = nav_pages(archive_of(count))
    for path, text in pages.items():
        (project / "content" / path).parent.mkdir(parents=True, exist_ok=True)
        (project / "content" / path).write_bytes(text)
    # The pages as a build leaves them: MkDocs refuses a content/ no digest build has written.
    (project / "content" / MANIFEST).write_text(json.dumps(sorted(pages)), encoding="utf-8")
    site = mkdocs_build(project)
    home = (site / "index.html").read_text(encoding="utf-8")
    paper = paper_page_html(site, "p000000")  # its navigation comes from the shared frame script
    return primary_nav(home), primary_nav(paper)


def test_nav_is_the_same_for_1000_and_10000_papers(tmp_path: Path) -> None:
    small_home, small_paper = build_navs(tmp_path, 1_000)
    large_home, large_paper = build_navs(tmp_path, 10_000)
    assert len(large_home) == len(small_home)
    assert len(large_paper) == len(small_paper)
    assert large_paper == small_paper
    # The home page's nav is the small archive's, byte for byte (the paper pages' compact nav too, above).
    assert large_home == small_home
    # The nav lists the newest issues only, and no paper; a paper page's compact nav only the top level.
    assert len(re.findall(r"2026-11-\d\d", large_home)) >= 5
    assert "2026-10-" not in large_home and "Paper number" not in large_home
    assert "2026-11-" not in large_paper and 4 <= large_paper.count('class="md-nav__link"') <= 5


def test_the_home_page_lists_a_bounded_part_of_a_giant_issue() -> None:
    """A first import of 20,000 papers in one issue put every one of them on the home page (6 MB, and as much again
    in Material's search index): it lists HOME_PAPERS of them, each topic's first, and says how many more the
    issue page has."""
    for count, per_day in ((HOME_PAPERS, HOME_PAPERS), (5_000, 5_000)):
        archive = archive_of(count, per_day)
        renderer = Renderer(archive, TEMPLATE_DIR)
        home = renderer.render("home.md.j2", "index.md", **renderer.home_context())
        listed = re.findall(r'^- <a href="papers/(p\d+)/">', home, re.MULTILINE)
        more = re.findall(r"^\[([\d,]+) more papers? in (.+) in the issue\]\(issues/2026-11-27\.md\)$", home,
                          re.MULTILINE)
        assert len(listed) == min(count, HOME_PAPERS)
        assert len(listed) + sum(int(number.replace(",", "")) for number, _ in more) == count
        assert bool(more) == (count > HOME_PAPERS)
        if more:  # every topic has papers here, and says how many more it has
            assert len(more) == len({paper.topics[0].slug for paper in archive.papers.values()})
            assert f"{count:,} new papers, by topic; {HOME_PAPERS} of them here" in home
