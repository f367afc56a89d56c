"""Reading what the generator wrote: paper articles live in shards under content/.digest/papers/."""

from __future__ import annotations

from pathlib import Path

from generator.paper_pages import read_records


def paper_articles(content: Path) -> dict[str, str]:
    """The article HTML of every paper the generator wrote under ``content``, by paper id."""
    return {str(record["id"]): str(record["body"]) for record in read_records(content)}


def paper_article(content: Path, paper_id: str) -> str:
    articles = paper_articles(content)
    assert paper_id in articles, f"no paper page for {paper_id} in {content}"
    return articles[paper_id]


def all_generated_text(content: Path) -> str:
    """Every generated text file under ``content`` (pages, paper shards, feeds, index), one string."""
    return "".join(
        path.read_text(encoding="utf-8") for path in sorted(content.rglob("*")) if path.is_file()
    )


def built_paper_pages(site: Path) -> list[Path]:
    """The paper pages of a built site: ``papers/<id>/index.html``, not the pages at other ids of a paper that
    send readers on to its page (paper_pages.alias_page)."""
    return [path for path in sorted((site / "papers").glob("*/index.html")) if not sends_on(path)]


def sends_on(page: Path) -> bool:
    """Whether ``page`` is one at another id of a paper, sending readers on to its page."""
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")
