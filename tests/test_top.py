"""Top papers: pages per ISO week and month, the top/ index, the home page's top 5, the weekly feed.

The fixture (tests/top_fixture.py) is Hugging Face daily papers with upvotes over 2025-W52,
2026-W01 (which starts on 2025-12-29) and 2026-W02, in December 2025 and January 2026, plus a
YAML issue without votes in 2025-W51. It is built with the real ``digest build`` and a real
``mkdocs build --strict``; feeds are read with feedparser and checked against their specifications.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from generator import feeds, top
from generator.build import TEMPLATE_DIR
from generator.config import Config, load_site
from generator.merge import group_issues
from generator.model import Paper, TopicMatch
from generator.render import Archive, Renderer
from generator.topics import load_taxonomy
from tests.conftest import ROOT, SEED, SEED_TOPICS, make_project, mkdocs_build, run_digest
from tests.feed_checks import atom_problems, opml_problems, rss_problems
from tests.top_fixture import HOSTILE_TITLE, VOTES, Listed, expected_top, write_top_archive

pytestmark = pytest.mark.slow
PREFIX = "tag:paper-digest.github.io,2026:"
ATOM = "{http://www.w3.org/2005/Atom}"
W01 = (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
W02 = (dt.date(2026, 1, 5), dt.date(2026, 1, 11))
W52 = (dt.date(2025, 12, 22), dt.date(2025, 12, 28))
DECEMBER = (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
JANUARY = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))


def top_project(folder: Path) -> tuple[Path, list[Listed]]:
    project = make_project(folder)
    issues = project / "data" / "issues"
    for path in issues.iterdir():
        path.unlink()
    return project, write_top_archive(issues)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Listed]]:
    """The fixture built into content/ and, with MkDocs (strict), site/."""
    project, listed = top_project(tmp_path_factory.mktemp("top") / "project")
    run_digest("build", "--quiet", cwd=project)
    mkdocs_build(project)
    return project, listed


class Page(HTMLParser):
    """A built page's headings (level, text), its top list's card links and its upvote counts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.cards: list[str] = []
        self.upvotes: list[int] = []
        self._heading: int | None = None
        self._text: list[str] = []
        self._card_title = False
        self._strong = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []
            self._card_title = attributes.get("class") == "digest-card__title"
        if tag == "a" and self._card_title:
            self.cards.append(str(attributes["href"]).rstrip("/").rsplit("/", 1)[-1])
        if tag == "span" and attributes.get("class") == "digest-sig":  # the card's signals, upvotes first
            self._strong, self._text = True, []

    def handle_data(self, data: str) -> None:
        if self._heading is not None or self._strong:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, "".join(self._text).replace("¶", "").strip()))
            self._heading, self._card_title = None, False
        if tag == "span" and self._strong:
            found = re.match(r"([\d,]+) upvotes?\b", "".join(self._text))
            if found:
                self.upvotes.append(int(found.group(1).replace(",", "")))
            self._strong = False


def page(site: Path, path: str) -> Page:
    parser = Page()
    parser.feed((site / path / "index.html").read_text(encoding="utf-8"))
    return parser


def ids(papers: list[Listed]) -> list[str]:
    return [paper.id for paper in papers]


# --- Periods, from the data only -----------------------------------------------------------------


def test_weeks_are_iso_weeks_named_by_their_week_year_and_months_calendar_months() -> None:
    assert top.week_of(dt.date(2025, 12, 29)) == ("2026-W01", dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert top.week_of(dt.date(2026, 1, 4))[0] == "2026-W01"
    assert top.week_of(dt.date(2025, 12, 28))[0] == "2025-W52"
    assert top.week_of(dt.date(2027, 1, 1))[0] == "2026-W53"  # 2026 has 53 ISO weeks
    assert top.month_of(dt.date(2024, 2, 10)) == ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert top.month_of(dt.date(2025, 12, 31)) == ("2025-12", dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert top.counted(9577, "paper") == "9,577 papers" and top.counted(1, "upvote") == "1 upvote"


def test_a_period_is_finished_only_by_an_issue_after_its_last_day() -> None:
    # An issue on the week's Sunday (and the month's last day) leaves both open: that day's list may still grow, so the
    # week is "so far" and stays out of the weekly feed until an issue of the Monday after.
    def periods(*days: dt.date) -> top.TopPeriods:
        papers = [Paper(id=f"p{n}", title=f"Paper {n}", abstract="An abstract.", added=day, source="synthetic",
                        upvotes=n + 1) for n, day in enumerate(days)]
        return top.top_periods(papers, group_issues(papers))

    sunday, monday = dt.date(2026, 5, 31), dt.date(2026, 6, 1)  # 2026-W22's Sunday, the last day of May
    open_week = periods(dt.date(2026, 5, 28), sunday)
    assert [(week.key, week.finished) for week in open_week.weeks] == [("2026-W22", False)]
    assert [(month.key, month.finished) for month in open_week.months] == [("2026-05", False)]
    assert open_week.finished_weeks() == [] and open_week.weeks[0].title == "Top papers of 2026-W22 (so far)"
    closed = periods(dt.date(2026, 5, 28), sunday, monday)
    assert [(week.key, week.finished) for week in closed.weeks] == [("2026-W23", False), ("2026-W22", True)]
    assert [(month.key, month.finished) for month in closed.months] == [("2026-06", False), ("2026-05", True)]
    assert [week.key for week in closed.finished_weeks()] == ["2026-W22"]


# --- Pages ---------------------------------------------------------------------------------------


def test_a_week_lists_its_20_most_upvoted_papers_then_newer_issue_then_id(built: tuple[Path, list[Listed]]) -> None:
    project, listed = built
    found = page(project / "site", "top/2026-W01")
    expected = expected_top(listed, *W01)
    voted = [p for p in listed if W01[0] <= p.date <= W01[1] and p.upvotes]
    assert len(voted) > 20 and len(expected) == 20
    assert found.cards == ids(expected)
    assert found.upvotes == [paper.upvotes for paper in expected]
    # The ties the fixture holds: 50 upvotes on 2025-12-29 and on 2026-01-02 (the newer first), and
    # 40 upvotes twice on 2025-12-31, where the smaller id comes first though it was listed second.
    fifty = [p for p in expected if p.upvotes == 50]
    assert [p.date for p in fifty] == [dt.date(2026, 1, 2), dt.date(2025, 12, 29)]
    forty = [p for p in listed if p.upvotes == 40]
    assert [p.id for p in sorted(forty, key=lambda p: p.id)] == [p.id for p in expected if p.upvotes == 40]
    assert [p.id for p in forty] != [p.id for p in expected if p.upvotes == 40]  # not the order of listing
    # Papers nobody upvoted are never ranked.
    assert all(paper.upvotes > 0 for paper in expected)


def test_months_follow_issue_dates_across_the_year_boundary(built: tuple[Path, list[Listed]]) -> None:
    project, listed = built
    site = project / "site"
    for path, span in (("top/2025-12", DECEMBER), ("top/2026-01", JANUARY), ("top/2025-W52", W52)):
        assert page(site, path).cards == ids(expected_top(listed, *span)), path
    december = page(site, "top/2025-12")
    assert december.headings[0] == (1, "Top papers of December 2025")
    assert (1, "Top papers of January 2026 (so far)") in page(site, "top/2026-01").headings


def test_headings_never_skip_a_level_and_topics_are_shown(built: tuple[Path, list[Listed]]) -> None:
    project, _ = built
    site = project / "site"
    for path in ("top", "top/2026-W01", "top/2026-W02", "top/2025-12", ""):
        levels = [level for level, _ in page(site, path).headings]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), (path, levels)
    text = (site / "top" / "2026-W01" / "index.html").read_text(encoding="utf-8")
    chips = re.findall(r'class="digest-chip" href="\.\./\.\./topics/([^/]+)/"', text)
    assert len(chips) >= 20  # every paper's topics, linked
    # Titles are text: the hostile one is shown as written, never run or parsed.
    assert "<script>alert" not in text and "<b>Robust" not in text
    assert (3, HOSTILE_TITLE) in page(site, "top/2026-W01").headings


def test_the_index_lists_every_period_newest_first_and_says_which_have_no_votes(
    built: tuple[Path, list[Listed]],
) -> None:
    project, _ = built
    index = (project / "content" / "top" / "index.md").read_text(encoding="utf-8")
    weeks = re.findall(r"^- \[?(\d{4}-W\d\d)", index, flags=re.MULTILINE)
    assert weeks == ["2026-W02", "2026-W01", "2025-W52", "2025-W51"]
    months = re.findall(r"^- \[(\w+ \d{4})\]", index, flags=re.MULTILINE)
    assert months == ["January 2026", "December 2025"]
    assert "- 2025-W51: 2025-12-15 – 2025-12-21, 3 papers, none with upvotes: no page" in index
    assert not (project / "content" / "top" / "2025-W51.md").exists()
    assert not (project / "site" / "top" / "2025-W51").exists()
    assert "[2026-W02](2026-W02.md) (so far)" in index and "[2026-W01](2026-W01.md):" in index
    # Reachable from the navigation of every page, as are the newest week and month.
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('md-sidebar--primary'):home.index('md-content')]
    assert 'href="top/"' in nav and 'href="top/2026-W02/"' in nav and 'href="top/2026-01/"' in nav


def test_the_unfinished_week_is_so_far_judged_from_the_newest_issue_not_the_clock(
    built: tuple[Path, list[Listed]], tmp_path: Path
) -> None:
    project, _ = built
    site = project / "site"
    assert page(site, "top/2026-W02").headings[0] == (1, "Top papers of 2026-W02 (so far)")
    assert "the newest issue is of 2026-01-05" in (site / "top" / "2026-W02" / "index.html").read_text(encoding="utf-8")
    assert page(site, "top/2026-W01").headings[0] == (1, "Top papers of 2026-W01")
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.skip("faketime is not installed (apt-get install faketime; make test does it as root)")
    outputs = []
    for clock in ("@2026-01-06 08:00:00", "@2041-03-03 23:59:59"):  # the next day, and years later
        again, _ = top_project(tmp_path / clock[1:5])
        command = [faketime, "-f", clock, sys.executable, "-m", "generator", "build", "--quiet"]
        subprocess.run(command, cwd=again, check=True)
        outputs.append({p.relative_to(again).as_posix(): p.read_bytes() for p in (again / "content").rglob("*")
                        if p.is_file() and (p.name.startswith(("top", "index")) or "/top/" in p.as_posix())})
    assert outputs[0] == outputs[1] and "content/top/2026-W02.md" in outputs[0]
    for name, data in outputs[0].items():
        assert data == (project / name).read_bytes(), name


def test_the_home_page_shows_the_newest_weeks_top_5(built: tuple[Path, list[Listed]]) -> None:
    project, listed = built
    home = (project / "content" / "index.md").read_text(encoding="utf-8")
    assert "## [Top papers of the week: 2026-W02 (so far)](top/2026-W02.md)" in home
    section = home.split("## [Top papers of the week", 1)[1].split("\n## ", 1)[0]
    shown = re.findall(r'^1\. <a href="papers/([^/]+)/">', section, flags=re.MULTILINE)
    expected = expected_top(listed, *W02)
    assert len(expected) > 5 and shown == ids(expected)[:5]
    lines = [line for line in section.splitlines() if line.startswith("1. ")]
    assert [re.search(r"([\d,]+) upvotes?", line).group(1) for line in lines] == [  # type: ignore[union-attr]
        f"{p.upvotes:,}" for p in expected[:5]
    ]


def test_counts_have_thousands_separators() -> None:
    """A week of 1,200 papers (rendered without MkDocs: the numbers are the generator's)."""
    topics, _ = load_taxonomy(SEED_TOPICS)
    monday = dt.date(2026, 11, 23)
    papers = [
        Paper(id=f"p{n:05d}", title=f"Paper {n}", abstract="An abstract.", added=monday + dt.timedelta(days=n % 5),
              source="synthetic", topics=(TopicMatch(topics[n % len(topics)].slug, 1.0),), upvotes=n * 2)
        for n in range(1, 1201)
    ]
    config = Config(base_dir=ROOT)
    archive = Archive({p.id: p for p in papers}, group_issues(papers), topics, load_site(config), config)
    pages = dict(Renderer(archive, TEMPLATE_DIR).iter_listing_pages())
    week = pages["top/2026-W48.md"]
    assert "<strong>1,200 papers</strong> first listed in its 5 issues" in week
    assert '<span class="digest-sig">2,400 upvotes</span>' in week and week.count('<article class="digest-card">') == 20
    assert "[2026-W48](2026-W48.md) (so far): 2026-11-23 – 2026-11-29, 1,200 papers, 1,200 with upvotes" in (
        pages["top/index.md"]
    )


def test_one_paper_with_upvotes_has_them() -> None:
    # Not "the 1 most upvoted of the 3 papers first listed in its 1 issue (1 have upvotes)".
    topics, _ = load_taxonomy(SEED_TOPICS)
    day = dt.date(2026, 11, 23)
    papers = [
        Paper(id=f"p{n}", title=f"Paper {n}", abstract="An abstract.", added=day, source="synthetic",
              topics=(TopicMatch(topics[0].slug, 1.0),), upvotes=votes)
        for n, votes in enumerate((None, 4, 0))
    ]
    config = Config(base_dir=ROOT)
    archive = Archive({p.id: p for p in papers}, group_issues(papers), topics, load_site(config), config)
    week = dict(Renderer(archive, TEMPLATE_DIR).iter_listing_pages())["top/2026-W48.md"]
    assert ": the most upvoted of the <strong>3 papers</strong> first listed in its issue (1 has upvotes)." in week
    assert "\n## The most upvoted\n" in week and "1 most" not in week and "1 issue" not in week
    # The week's feed entry says it as the page does.
    entry = feeds.week_entry(archive, top.top_periods(papers, archive.issues).weeks[0])
    assert entry.content.startswith("<p>The most upvoted of 3 papers first listed in 2026-W48 ")


# --- The weekly feed ----------------------------------------------------------------------------


def feed(content: Path, name: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((content / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def entry_papers(entry: feedparser.FeedParserDict) -> list[str]:
    return re.findall(r'<li><a href="https://[^"]+/papers/([^/]+)/">', entry.content[0].value if "content" in entry
                      else entry.description)


def test_the_weekly_feed_has_one_entry_per_finished_week_with_its_top_10(built: tuple[Path, list[Listed]]) -> None:
    project, listed = built
    content = project / "content"
    assert atom_problems((content / "top.atom.xml").read_bytes()) == []
    assert rss_problems((content / "top.rss.xml").read_bytes()) == []
    for name in ("top.atom.xml", "top.rss.xml"):
        parsed = feed(content, name)
        # 2026-W02 is not over (the newest issue is in it); 2025-W51 has no votes.
        assert [entry.id for entry in parsed.entries] == [f"{PREFIX}top/week/2026-W01", f"{PREFIX}top/week/2025-W52"]
        for entry, span in zip(parsed.entries, (W01, W52), strict=True):
            papers = entry_papers(entry)
            assert papers == ids(expected_top(listed, *span))[:10] and len(papers) <= 10
            assert entry.link.endswith(f"/top/{entry.id.rsplit('/', 1)[1]}/")
        first = parsed.entries[0]
        assert first.title == "Top papers of 2026-W01 (2025-12-29 – 2026-01-04)"
    # The hostile title is text in the entry's HTML: escaped once, never markup.
    root = ElementTree.parse(content / "top.atom.xml").getroot()
    first_html = root.find(f"{ATOM}entry/{ATOM}content").text
    assert html.escape(HOSTILE_TITLE, quote=False) in first_html and "<script>" not in first_html
    atom = feed(content, "top.atom.xml")
    assert atom.entries[0].published == "2026-01-05T00:00:00+00:00"  # the Monday after the week, from the data
    assert atom.feed.title == "Paper Digest: top papers of the week"


def test_the_weekly_feed_is_in_the_opml_and_on_the_subscribe_page(built: tuple[Path, list[Listed]]) -> None:
    project, _ = built
    opml = (project / "content" / "feeds.opml").read_bytes()
    assert opml_problems(opml) == []
    urls = [outline.get("xmlUrl") for outline in ElementTree.fromstring(opml).iter("outline")]
    assert urls[:2] == ["https://paper-digest.github.io/paper-digest/atom.xml",
                        "https://paper-digest.github.io/paper-digest/top.atom.xml"]
    subscribe = (project / "site" / "subscribe" / "index.html").read_text(encoding="utf-8")
    assert 'href="../top.atom.xml"' in subscribe and 'href="../top.rss.xml"' in subscribe
    assert "Top papers of the week" in subscribe
    # Top pages advertise the weekly feed for autodiscovery, as topic pages do theirs.
    week = (project / "site" / "top" / "2026-W01" / "index.html").read_text(encoding="utf-8")
    assert 'title="Paper Digest: top papers of the week (Atom)" href="../../top.atom.xml"' in week
    # And so does top/, the page the feed names (rel=alternate, the OPML's htmlUrl): a reader given it finds the feed.
    index = (project / "site" / "top" / "index.html").read_text(encoding="utf-8")
    assert 'title="Paper Digest: top papers of the week (Atom)" href="../top.atom.xml"' in index
    assert 'title="Paper Digest: top papers of the week (RSS)" href="../top.rss.xml"' in index


def test_feed_ids_stay_when_issues_arrive_and_a_late_issue_updates_its_week(
    built: tuple[Path, list[Listed]], tmp_path: Path
) -> None:
    project, listed = built
    before = {entry.id: entry for entry in feed(project / "content", "top.atom.xml").entries}
    again = tmp_path / "again"
    shutil.copytree(project / "data", again / "data")
    for name in ("mkdocs.yml", "mkdocs.base.yml"):
        shutil.copy(project / name, again / name)
    issues = again / "data" / "issues"
    # A new week (2026-W03) finishes 2026-W02; a late issue of 2026-W01 brings its new best paper.
    late = write_top_archive(issues, {"2026-01-12": [4, 8], "2026-01-01": [99, 2]}, start=60)
    run_digest("build", "--quiet", cwd=again)
    after = {entry.id: entry for entry in feed(again / "content", "top.atom.xml").entries}
    week = f"{PREFIX}top/week/"
    assert list(after) == [f"{week}2026-W02", f"{week}2026-W01", f"{week}2025-W52"]
    assert set(before) <= set(after)
    assert entry_papers(after[f"{week}2026-W02"]) == ids(expected_top(listed, *W02))[:10]
    new_w01 = entry_papers(after[f"{week}2026-W01"])
    assert new_w01 == ids(expected_top(listed + late, *W01))[:10] and new_w01[0] == late[-2].id
    assert new_w01 != entry_papers(before[f"{week}2026-W01"])
    # Its id and publication date stay; its update time moves forward, from the data alone.
    assert after[f"{week}2026-W01"].published == before[f"{week}2026-W01"].published
    assert after[f"{week}2026-W01"].updated > before[f"{week}2026-W01"].updated
    assert after[f"{week}2025-W52"] == before[f"{week}2025-W52"]  # an untouched week is byte for byte the same


def test_a_paper_hidden_later_moves_its_weeks_entry_updated_forward_never_back(tmp_path: Path) -> None:
    # A takedown changes a finished week's list: readers that keep the newest version by <updated> must see it.
    project, listed = top_project(tmp_path / "project")
    run_digest("build", "--quiet", cwd=project)
    entry = f"{PREFIX}top/week/2026-W01"
    best = expected_top(listed, *W01)[0]
    unvoted = next(paper for paper in listed if W01[0] <= paper.date <= W01[1] and not paper.upvotes)

    def week() -> feedparser.FeedParserDict:
        return next(each for each in feed(project / "content", "top.atom.xml").entries if each.id == entry)

    times = [week()]
    for hidden in ([best], [best, unvoted]):  # the best of the week (its list changes), then one of no list
        (project / "data" / "curation.yml").write_text(
            "papers:\n" + "".join(f"  '{paper.id}':\n    hide: Takedown request.\n" for paper in hidden),
            encoding="utf-8",
        )
        run_digest("build", "--quiet", cwd=project)
        times.append(week())
    assert best.id in entry_papers(times[0]) and best.id not in entry_papers(times[1])
    assert times[0].published == times[1].published == times[2].published
    assert times[0].updated < times[1].updated < times[2].updated


# --- A digest without votes -----------------------------------------------------------------------


def test_a_digest_without_votes_has_no_top_pages_no_top_feed_and_says_so(tmp_path: Path) -> None:
    project = make_project(tmp_path / "plain", papers=SEED)
    run_digest("build", "--quiet", cwd=project)
    site = mkdocs_build(project)
    content = project / "content"
    assert sorted(p.name for p in (content / "top").iterdir()) == ["index.md"]
    index = (site / "top" / "index.html").read_text(encoding="utf-8")
    assert "No paper of this digest has upvotes" in index and "no pages of top papers" in index
    assert "top.atom.xml" not in index and "top.rss.xml" not in index  # nor advertises a feed that is not there
    assert not (content / "top.atom.xml").exists() and not (content / "top.rss.xml").exists()
    assert b"top.atom.xml" not in (content / "feeds.opml").read_bytes()
    assert "top.atom.xml" not in (content / "subscribe.md").read_text(encoding="utf-8")
    assert "Top papers of the week" not in (content / "index.md").read_text(encoding="utf-8")
    assert 'href="top/"' in (site / "index.html").read_text(encoding="utf-8")  # the index is still in the nav
    assert json.loads((content / ".digest-manifest.json").read_text(encoding="utf-8"))  # a normal build


def test_a_feed_without_entries_yet_is_dated_by_the_newest_issue_not_1970(tmp_path: Path) -> None:
    project = make_project(tmp_path / "young")
    issues = project / "data" / "issues"
    for path in issues.iterdir():
        path.unlink()
    paper = {"title": "Upvoted on the first day", "abstract": "A paper with votes in an unfinished week.",
             "arxiv": "2601.00001", "upvotes": 5}
    (issues / "2026-01-07.json").write_text(json.dumps({"date": "2026-01-07", "papers": [paper]}), encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    atom = feed(project / "content", "top.atom.xml")
    rss = feed(project / "content", "top.rss.xml")
    assert atom.entries == [] and rss.entries == []  # its week (2026-W02) is not over
    assert atom.feed.updated == "2026-01-07T00:00:00+00:00"
    assert rss.feed.updated_parsed[:3] == (2026, 1, 7)



def sections_votes(markdown: str) -> list[list[int]]:
    """The upvotes of the lines of each topic section of ``markdown`` (0 for a line without), in the page's order."""
    found = []
    for section in re.split(r"\n#{2,3} ", markdown)[1:]:
        lines = [line for line in section.splitlines() if line.startswith(("<li><a ", "- <a "))]
        found.append([int(m.group(1).replace(",", "")) if (m := re.search(r"([\d,]+) upvotes?", line)) else 0
                      for line in lines])
    return found


def test_issue_and_home_pages_list_each_topics_most_upvoted_papers_first(built: tuple[Path, list[Listed]]) -> None:
    """An issue's papers were listed by title within each topic: a paper of 2 upvotes came before one of 163 on the
    home page. Each topic's most upvoted paper now comes first, as in the email edition and the top pages."""
    project, _ = built
    content = project / "content"
    for date in ("2025-12-29", "2026-01-02", "2026-01-05"):
        votes = sections_votes((content / "issues" / f"{date}.md").read_text(encoding="utf-8"))
        assert sorted(itertools.chain.from_iterable(votes)) == sorted(VOTES[date]), date
        assert all(section == sorted(section, reverse=True) for section in votes), (date, votes)
    home = (content / "index.md").read_text(encoding="utf-8")
    latest = home.split("## [Latest issue: 2026-01-05]", 1)[1].split("\n## ", 1)[0]
    votes = sections_votes(latest)
    assert sorted(itertools.chain.from_iterable(votes)) == sorted(VOTES["2026-01-05"]), votes
    assert all(section == sorted(section, reverse=True) for section in votes), votes


def test_the_issues_feed_lists_each_topics_most_upvoted_papers_first(built: tuple[Path, list[Listed]]) -> None:
    """The issues feed's entry of a day listed its papers by title within each topic, as the issue page did: it now
    lists them in the issue page's order, most upvoted first."""
    project, listed = built
    votes = {paper.id: paper.upvotes for paper in listed}
    entries = feed(project / "content", "issues.atom.xml").entries
    checked = 0
    for entry in entries:
        for section in re.split(r"<h3>", entry.content[0].value)[1:]:
            found = re.findall(r'<li><a href="https://[^"]+/papers/([^/]+)/">', section)
            shown = [votes.get(paper_id, 0) for paper_id in found]  # 0: the issue without votes
            assert shown == sorted(shown, reverse=True), (entry.title, shown)
            checked += len(shown) > 1 and len(set(shown)) > 1
    assert checked
