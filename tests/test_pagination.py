"""Topic pagers: a bounded window of page numbers, each link leading to the page it names."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.build import TEMPLATE_DIR, BuildOptions, BuildReport, Stopwatch, load_archive
from generator.config import Config
from generator.render import Renderer, page_url, page_window, topic_page
from tests.conftest import EXAMPLE, SMALL, make_project, run_digest


@given(st.integers(1, 5_000).flatmap(lambda count: st.tuples(st.integers(1, count), st.just(count))))
def test_the_window_shows_first_last_and_nearby_pages_in_order(pair: tuple[int, int]) -> None:
    number, count = pair
    shown = page_window(number, count)
    pages = [n for n in shown if n is not None]
    assert pages == sorted(set(pages)) and {1, count, number} <= set(pages)
    assert set(range(max(1, number - 2), min(count, number + 2) + 1)) <= set(pages)
    assert len(shown) <= 9  # bounded, however many pages the topic has
    for before, item, after in zip(shown, shown[1:], shown[2:], strict=False):
        if item is None:  # a gap stands for two or more pages, never for one
            assert before is not None and after is not None and after - before > 2
    assert shown[0] == 1 and shown[-1] == count


def test_every_pager_link_leads_to_the_page_it_names() -> None:
    config = Config(base_dir=EXAMPLE, topic_page_size=2)
    archive = load_archive(config, BuildOptions(), BuildReport(), Stopwatch(BuildReport(), lambda _: None))
    pages = {path: data.decode("utf-8") for path, data in Renderer(archive, TEMPLATE_DIR).render_all().items()}
    slug, count = max(
        ((slug, sum(1 for path in pages if path.startswith(f"topics/{slug}/"))) for slug in archive.topics_by_slug),
        key=lambda item: item[1],
    )
    assert count >= 8, "the seed needs a topic of 15 papers: then some pager leaves pages out"
    urls = {page_url(path): path for path in pages}
    for number in range(1, count + 1):
        path = topic_page(slug, number)
        nav = re.search(r'<nav class="digest-pages".*?</nav>', pages[path], re.DOTALL)
        assert nav is not None, path
        here = page_url(path)
        found = re.findall(r'<a (?:rel="\w+" )?href="([^"]+)">([^<]+)</a>', nav.group())
        links = {label: href for href, label in found}
        for label, href in links.items():
            target = posixpath.normpath(posixpath.join(here, href)) + "/"
            expected = {"← Newer": number - 1, "Older →": number + 1}.get(label) or int(label)
            assert urls.get(target) == topic_page(slug, expected), (path, label, href)
        assert f'<span aria-current="page">{number}</span>' in nav.group()
        assert ("← Newer" in links) == (number > 1) and ("Older →" in links) == (number < count)
        gaps = nav.group().count("…")
        assert gaps == page_window(number, count).count(None)
    assert "…" in pages[topic_page(slug, 1)]  # the first page leaves the middle pages out


def test_a_build_that_drops_later_topic_pages_says_so(tmp_path: Path) -> None:
    """A larger `topic_page_size` took later topic pages (`topics/<slug>/page-3/`, published and in the sitemap) away
    without a word, as dropped author pages were before: the build names them in a note, and only those."""
    project = make_project(tmp_path / "p", papers=SMALL / "issues", topics=SMALL / "topics.yml")
    (project / "digest.yml").write_text("topic_page_size: 1\n", encoding="utf-8")
    run_digest("build", cwd=project)
    later = sorted((project / "content" / "topics" / "language-models").glob("page-*.md"))
    assert len(later) >= 2, "the fixture's topic fills three pages or more"
    (project / "digest.yml").write_text("topic_page_size: 2\n", encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert result.returncode == 0, result.stderr
    kept = (len(later) + 2) // 2  # the topic's pages of two papers
    gone = [f"topics/language-models/page-{number}/" for number in range(kept + 1, len(later) + 2)]
    notes = [line for line in result.stderr.splitlines() if "later topic page" in line]
    assert notes == [f"topics/: note: this build drops {len(gone)} later topic page{'s' * (len(gone) > 1)} the"
                     f" previous one published: {', '.join(gone)}. Their topics fill fewer pages of topic_page_size"
                     " (2) papers now (a larger topic_page_size, or papers hidden or given other topics), so the"
                     " addresses past each topic's last page stop working"]
    assert not (project / "content" / "topics" / "language-models" / f"page-{kept + 1}.md").exists()
    (project / "digest.yml").write_text("topic_page_size: 1\n", encoding="utf-8")  # more pages again: nothing dropped
    assert "later topic page" not in run_digest("build", cwd=project).stderr


def test_a_build_that_drops_later_watch_list_pages_says_so(tmp_path: Path) -> None:
    """The watch list's pages are paged by `topic_page_size` too: a larger size took `watch/page-2/` away unsaid."""
    project = make_project(tmp_path / "p", papers=SMALL / "issues", topics=SMALL / "topics.yml")
    watch = "watch:\n  phrases: [language, model, learning]\n"
    (project / "digest.yml").write_text("topic_page_size: 1\n" + watch, encoding="utf-8")
    run_digest("build", cwd=project)
    later = sorted((project / "content" / "watch").glob("page-*.md"))
    assert len(later) >= 1, "the fixture has two watched papers or more"
    (project / "digest.yml").write_text("topic_page_size: 500\n" + watch, encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "later page" in line]
    assert len(notes) == 1 and notes[0].startswith("content/: note: this build drops "), result.stderr
    assert "watch/page-2/" in notes[0] and "topics/" in notes[0]  # the topics' later pages went too
    assert not (project / "content" / "watch" / "page-2.md").exists()
