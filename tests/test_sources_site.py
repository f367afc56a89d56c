"""Every source format through the whole pipeline: a real ``mkdocs build --strict``, pages and feeds."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import feedparser
import pytest

from tests.conftest import make_project, mkdocs_build, run_digest

pytestmark = pytest.mark.slow
SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"
FORMATS = ("2026-11-28-arxiv.xml", "2025-02-19-hf.json", "2026-11-29-reading-list.bib",
           "2026-11-30-reading-list.jsonl")


@pytest.fixture(scope="module")
def sources_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("sources"))
    for name in FORMATS:
        shutil.copy(SOURCES / name, project / "data" / "issues" / name)
    result = run_digest("build", cwd=project)
    assert "possible duplicate" not in result.stderr
    mkdocs_build(project)
    return project


def page_text(project: Path, paper_id: str) -> str:
    return html.unescape((project / "site" / "papers" / paper_id / "index.html").read_text(encoding="utf-8"))


def test_rich_fields_reach_the_paper_pages(sources_site: Path) -> None:
    old = page_text(sources_site, "hep-th-9711200")
    assert "Adv.Theor.Math.Phys.2:231-252,1998" in old
    # arXiv's API gives each author's affiliations: read, and shown (they were read and never shown).
    assert '<span class="digest-label">Affiliations</span> Harvard University</div>' in old
    assert 'href="https://doi.org/10.1023/A:1026654312961"' in old
    assert "hep-th" in old and 'Updated</span> <time>1998-01-22</time>' in old
    # Hugging Face names its paper pages by new-style ids only: huggingface.co/papers/hep-th/9711200 is no page.
    assert "huggingface.co/papers/hep-th" not in old and 'href="https://arxiv.org/abs/hep-th/9711200"' in old
    assert 'href="https://huggingface.co/papers/1706.03762"' in page_text(sources_site, "1706.03762")
    daily = page_text(sources_site, "2502.00511")
    assert '<span class="digest-sig">7 upvotes' in daily
    assert 'href="https://wnjxyk.github.io/RPC"' in daily
    assert "Anonymous Reviewer" not in daily


def test_a_paper_without_an_abstract_says_so_under_its_abstract_heading(sources_site: Path) -> None:
    # DBLP's and Google Scholar's BibTeX give no abstract: the page had an "Abstract" heading over an empty
    # paragraph, and a topic card's "Abstract" toggle opened on nothing.
    from generator.model import paper_id

    page = page_text(sources_site, paper_id("Deep Learning in Neural Networks: An Overview", None))
    assert '<h2 id="abstract">Abstract</h2>\n<p><em>None: the paper lists give no abstract' in page
    assert "<p></p>" not in page
    assert '<h2 id="abstract">Abstract</h2>\n<p>' in page_text(sources_site, "hep-th-9711200")  # one with its own


def test_one_page_per_paper_across_formats(sources_site: Path) -> None:
    pages = {path.name for path in (sources_site / "site" / "papers").iterdir()}
    # Attention appears in the arXiv response, the BibTeX list and the JSON Lines list: one page.
    assert "1706.03762" in pages
    assert len([p for p in pages if p.startswith("1706.")]) == 1
    feed = feedparser.parse((sources_site / "site" / "atom.xml").read_bytes())
    assert not feed.bozo
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids))
    assert sum(1 for entry in feed.entries if entry.id.endswith("paper/1706.03762")) == 1
