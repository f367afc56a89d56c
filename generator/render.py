"""Render the Markdown pages of the site from Jinja2 templates, in memory."""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from generator import escape
from generator.config import Config, Site
from generator.model import Issue, Paper
from generator.topics import OTHER, Topic

NAV_FILE = ".nav.yml"


@dataclass(frozen=True)
class Archive:
    """Everything the pages are made from: papers by id, issues newest first, topics."""

    papers: dict[str, Paper]
    issues: list[Issue]
    topics: list[Topic]
    site: Site
    config: Config

    def topic(self, slug: str) -> Topic:
        return self.topics_by_slug[slug]

    @property
    def topics_by_slug(self) -> dict[str, Topic]:
        return {topic.slug: topic for topic in (*self.topics, OTHER)}


def paper_page(paper_id: str) -> str:
    return f"papers/{paper_id}.md"


def topic_page(slug: str, number: int = 1) -> str:
    return f"topics/{slug}/index.md" if number == 1 else f"topics/{slug}/page-{number}.md"


def issue_page(issue: Issue) -> str:
    return f"issues/{issue.date.isoformat()}.md"


def newest_first(papers: Sequence[Paper]) -> list[Paper]:
    """Newest issue first; within an issue, by title (then id) so the order is stable."""
    by_title = sorted(papers, key=lambda p: (p.title.casefold(), p.id))
    return sorted(by_title, key=lambda p: p.added, reverse=True)


def make_environment(template_dir: Path) -> jinja2.Environment:
    """Strict (a missing field is an error) and escaping by default: only ``Markup`` passes raw."""

    def finalize(value: object) -> object:
        return value if isinstance(value, Markup) else escape.text(value)

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=True,  # macro results are Markup; values still go through finalize
    )
    environment.filters["links"] = escape.text_with_links
    environment.filters["link"] = escape.link
    environment.filters["yaml_text"] = lambda value: Markup(json.dumps(str(escape.text(value)), ensure_ascii=False))
    return environment


class Renderer:
    """Turns an ``Archive`` into ``{relative path: Markdown text}``."""

    def __init__(self, archive: Archive, template_dir: Path) -> None:
        self.archive = archive
        self.environment = make_environment(template_dir)
        self.environment.globals.update(
            site=archive.site,
            topics=archive.topics_by_slug,
            papers=archive.papers,
            issue_page=issue_page,
            topic_page=topic_page,
            paper_page=paper_page,
        )

    def render_all(self) -> dict[str, str]:
        pages: dict[str, str] = {}
        pages.update(self.topic_pages())
        pages.update(self.issue_pages())
        pages.update(self.paper_pages())
        pages["index.md"] = self.render("home.md.j2", "index.md", **self.home_context())
        pages["topics/index.md"] = self.render("topics.md.j2", "topics/index.md", counts=self.topic_counts())
        pages["issues/index.md"] = self.render("issues.md.j2", "issues/index.md", issues=self.archive.issues)
        pages["subscribe.md"] = self.render("subscribe.md.j2", "subscribe.md", counts=self.topic_counts())
        return pages

    def render(self, template: str, page: str, **context: object) -> str:
        def url(target: str) -> Markup:
            return Markup(posixpath.relpath(target, posixpath.dirname(page) or "."))

        return self.environment.get_template(template).render(url=url, page=page, **context)

    def topic_members(self) -> dict[str, list[Paper]]:
        members: dict[str, list[Paper]] = {slug: [] for slug in self.archive.topics_by_slug}
        for paper in self.archive.papers.values():
            for match in paper.topics:
                members[match.slug].append(paper)
        return {slug: newest_first(papers) for slug, papers in members.items()}

    def topic_counts(self) -> list[tuple[Topic, int]]:
        members = self.topic_members()
        return [(topic, len(members[topic.slug])) for topic in self.archive.topics_by_slug.values() if members[topic.slug]]

    def topic_pages(self) -> dict[str, str]:
        pages = {}
        size = self.archive.config.topic_page_size
        for slug, papers in self.topic_members().items():
            if not papers:
                continue
            count = (len(papers) + size - 1) // size
            for number in range(1, count + 1):
                path = topic_page(slug, number)
                pages[path] = self.render(
                    "topic.md.j2",
                    path,
                    topic=self.archive.topic(slug),
                    papers=papers[(number - 1) * size : number * size],
                    total=len(papers),
                    number=number,
                    count=count,
                )
        return pages

    def issue_pages(self) -> dict[str, str]:
        pages = {}
        for issue in self.archive.issues:
            path = issue_page(issue)
            pages[path] = self.render("issue.md.j2", path, issue=issue, groups=self.group_by_topic(issue.paper_ids))
        return pages

    def group_by_topic(self, paper_ids: Sequence[str]) -> list[tuple[Topic, list[Paper]]]:
        """Papers grouped under their first topic, in taxonomy order."""
        groups: dict[str, list[Paper]] = {}
        for paper_id in paper_ids:
            paper = self.archive.papers[paper_id]
            groups.setdefault(paper.primary_topic, []).append(paper)
        return [
            (topic, newest_first(groups[slug])) for slug, topic in self.archive.topics_by_slug.items() if slug in groups
        ]

    def paper_pages(self) -> dict[str, str]:
        template = "paper.md.j2"
        return {
            paper_page(paper.id): self.render(template, paper_page(paper.id), paper=paper)
            for paper in self.archive.papers.values()
        }

    def home_context(self) -> dict[str, object]:
        latest = self.archive.issues[0] if self.archive.issues else None
        return {
            "latest": latest,
            "groups": self.group_by_topic(latest.paper_ids) if latest else [],
            "counts": self.topic_counts(),
            "total": len(self.archive.papers),
            "issue_count": len(self.archive.issues),
            "stale_after_days": self.archive.config.stale_after_days,
        }

    def nav(self, extra_pages: Sequence[str] = ()) -> str:
        """The navigation: bounded whatever the archive's size (every page embeds it)."""
        topics: list[object] = ["topics/index.md"]
        for topic, _count in self.topic_counts():
            topics.append({html.escape(topic.name): topic_page(topic.slug)})
        issues: list[object] = ["issues/index.md"]
        for issue in self.archive.issues[: self.archive.config.nav_issues]:
            issues.append({issue.date.isoformat(): issue_page(issue)})
        nav: list[object] = [{"Home": "index.md"}, {"Topics": topics}, {"Issues": issues}, {"Subscribe": "subscribe.md"}]
        nav.extend(extra_pages)
        return yaml.safe_dump(nav, allow_unicode=True, sort_keys=False)
