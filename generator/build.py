"""The pipeline: read → merge → topics → render → feeds → write. Gather everything, then write."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import importlib.metadata
import os
import platform
import re
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import defusedxml
import defusedxml.ElementTree as SafeElementTree
import scipy.sparse as sp

from generator import author_pages, cache, counts, forked, packaged, paper_pages
from generator.authors import Authors, find_authors
from generator.config import (
    Config,
    Site,
    check_mkdocs_docs_dir,
    check_mkdocs_duplicates,
    check_mkdocs_nav,
    check_mkdocs_plugin,
    load_site,
    written_settings,
)
from generator.curation import Hidden, apply_curation, curation_labels, distinct_pairs, load_curation, pin_topics
from generator.errors import BuildError, ConfigError, Problem
from generator.feeds import ATOM, SITE_FEED, SITE_FEED_ID, issue_datetime, overfull_issue, write_feeds
from generator.merge import group_issues, merge_papers, possible_duplicates
from generator.model import COLLABORATION, COLLABORATION_FIRST, Paper, title_key
from generator.picks import pick_issues, reading_list_path, write_record
from generator.picks.record import record_path
from generator.render import Archive, Renderer, citation_keys
from generator.search import build_index
from generator.slugs import RESERVED_SLUGS, is_safe_slug
from generator.sources import display_path, find_paper_lists, read_all
from generator.sources.common import Limits, ReadResult
from generator.topics import OTHER_SLUG, assign_topics, load_taxonomy, other_topic
from generator.topics.features import BUCKETS, forget_counts, paper_text, remember_counts
from generator.topics.related import related_papers
from generator.topics.stability import assignments_path, pinned_across_changes, read_pins
from generator.topics.taxonomy import Topic, categories_no_paper_has, keywords_notes, slug_map, topic_lines
from generator.watch import absent_authors
from generator.writer import StagedWriter, WriteStats, hand_written, interrupted, read_manifest, remove_leftovers

T = TypeVar("T")
TEMPLATE_DIR = packaged.template_dir()
"""The packaged page templates; a site's own ``templates/`` comes first (``packaged.template_dirs``)."""


@dataclass
class BuildOptions:
    papers: Sequence[Path] = ()
    topics: Path | None = None
    out: Path | None = None
    strict: bool = False
    pins: bool = True
    """False: score every paper as the taxonomy does, without ``assignments.yml`` (``digest topics evaluate``)."""


@dataclass
class BuildReport:
    papers: int = 0
    issues: int = 0
    topic_counts: list[tuple[str, int]] = field(default_factory=list)
    hidden: list[Hidden] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    """What the maintainer may want to know but need not act on (sources that disagree); never fatal."""
    pinned_papers: int = 0
    """Papers whose topics `digest topics pin` pinned (pins that hold across taxonomy changes): a topic added since
    takes none of them."""
    taxonomy_notes: list[Problem] = field(default_factory=list)
    """The notes about the taxonomy itself (a category no paper is in), which `digest topics` commands print too."""
    stats: WriteStats | None = None
    timings: dict[str, float] = field(default_factory=dict)
    cached: bool = False
    """True when nothing changed since the last build, so nothing was done (see generator/cache.py)."""
    newest: tuple[str, str] | None = None
    """The newest issue's date (ISO) and a paper list of it: every feed is dated by it (the CLI, which may read the
    clock, says when it is after today)."""


class Stopwatch:
    """Seconds per stage, for the progress line and the benchmark."""

    def __init__(self, report: BuildReport, progress: Callable[[str], None]) -> None:
        self.report = report
        self.progress = progress

    def run(self, stage: str, work: Callable[[], T]) -> T:
        self.progress(stage)
        start = time.perf_counter()
        result = work()
        self.report.timings[stage] = time.perf_counter() - start
        return result


def load_archive(
    config: Config, options: BuildOptions, report: BuildReport, watch: Stopwatch, with_related: bool = True,
    repick: bool = False,
) -> Archive:
    """Everything before rendering: the site, the taxonomy, the papers with their topics (and picks).

    ``repick``: compute every issue's picks again, ignoring the recorded ones (``digest picks --repick``).
    """
    site = load_site(config)
    report.problems.extend(check_mkdocs_plugin(config))
    report.problems.extend(check_mkdocs_nav(config))
    report.problems.extend(check_mkdocs_docs_dir(config))
    report.problems.extend(check_mkdocs_duplicates(config))
    report.problems.extend(packaged.missing_site_templates(config))
    report.problems.extend(packaged.unescaped_output(config))
    report.problems.extend(packaged.unused_site_templates(config))
    report.problems.extend(packaged.shadowed_theme_files(config))
    taxonomy = options.topics or config.path(config.topics)
    if options.topics:
        missing = f"--topics {options.topics}: no such file"
    elif config.topics != Config.topics:
        missing = f"{config.file}: topics: {config.topics}: no such file"
    else:
        missing = f"{taxonomy}: no such file (the topic taxonomy; `topics:` in {config.file} can name another)"
    topics, warnings = load_taxonomy(taxonomy, missing)
    other = other_topic(taxonomy)
    report.problems.extend(warnings)
    pins, pin_problems = read_pins(assignments_path(taxonomy), topics) if options.pins else ({}, [])
    report.problems.extend(pin_problems)
    paths = list(options.papers) or [config.path(p) for p in config.papers]
    check_papers_exist(paths, papers_origin(config, options))
    limits = Limits(title=config.max_title_chars, abstract=config.max_abstract_chars)
    results, problems = watch.run("read", lambda: read_all(paths, limits))
    report.problems.extend(problems)
    records = [paper for result in results for paper in result.papers]
    merged: list[Paper] = watch.run("merge", lambda: merge_papers(records, report.notes))
    named = config.curation != Config.curation or "curation" in written_settings(config)
    curation, warnings = load_curation(config.path(config.curation), config.curation,
                                       named=config.file if named else "")
    report.problems.extend(warnings)
    papers, report.hidden, unused = apply_curation(merged, curation)
    report.problems.extend(unused)
    # The possible-duplicate search, the related papers and the authors with pages read only ids, dates,
    # titles, abstracts and authors: on a big archive a forked child does them while this process finds
    # the topics (forked.py). "related" is what they add to the build: the wait for the child, or their
    # time here. Authors are the pages' (the renderer's); a build without related papers leaves them to it.
    # The topics stage hands its word counts to the child (``handoff``), which needs them only after the
    # duplicates and authors: counting every word twice cost 0.9 s of CPU at 10,000 papers.
    distinct, unused = distinct_pairs(papers, curation, [h.paper for h in report.hidden])
    report.problems.extend(unused)
    handoff = forked.Handoff() if with_related and forked.can_fork(len(papers)) else None

    def counted() -> sp.csr_matrix | None:
        arrays = handoff.take() if handoff is not None else None
        if arrays is None:
            return None
        data, indices, indptr = arrays
        return sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, BUCKETS))

    def duplicates_and_related() -> tuple[list[Problem], dict[str, tuple[str, ...]], Authors | None]:
        if not with_related:
            return possible_duplicates(papers, distinct), {}, None
        authors = find_authors(papers, config.authors.min_papers)
        duplicates = possible_duplicates(papers, distinct)
        return duplicates, related_papers(papers, counted=counted), authors

    # Hidden papers are scored too, as when they were published: a takedown of one paper must not move the topics
    # of the papers published after it (a paper's topics come from the model of its own and earlier issues).
    scored = [*papers, *(hidden.paper for hidden in report.hidden)]

    def hand_over(counts: sp.csr_matrix) -> None:
        if report.hidden:  # the later stages read the visible papers' counts only
            counts = visible_counts(counts, scored, {hidden.paper.id for hidden in report.hidden})
        if handoff is not None:
            handoff.give([counts.data, counts.indices, counts.indptr])

    helper = forked.meanwhile(duplicates_and_related, len(papers))
    try:
        labels = curation_labels(scored, curation, [topic.slug for topic in topics], slug_map(topics))
        watch.run("topics", lambda: assign_topics(scored, topics, config.max_topics, pins, labels=labels,
                                                  read=hand_over))
        # Picks read the topics stage's word counts (remembered until forget_counts below).
        found, problems, notes = watch.run("picks", lambda: pick_issues(papers, config, repick))
        report.problems.extend(problems)
        report.notes.extend(notes)
        if found.changed and not same_paper_lists(config, options):
            # Picks made from other lists than the site's (a preview of one issue) would stay its issues' picks.
            found = dataclasses.replace(found, changed=False)
            report.notes.append(Problem(display_path(found.path) if found.path else config.file, message=(
                "note: picks not recorded: --papers replaces the paper lists, and the picks of these lists would"
                f" stay the site's issues' picks; build without --papers (or name these lists in papers: of"
                f" {config.file}) to record them")))
        # What the paper pages need of the whole archive, made here: with a helper this process would only wait.
        keys = citation_keys(papers) if with_related else None
        duplicates, related, authors = watch.run("related", helper.result)
        if authors is not None:  # two names that share a slug (rare as a 24-bit hash clash): which has which page
            report.notes.extend(Problem("authors/", message=f"note: {note}") for note in authors.notes)
    finally:
        helper.close()
        if handoff is not None:
            handoff.close()
        forget_counts()  # the topics stage's word counts, which a related-papers search here would have used
    report.problems.extend(duplicates)
    if with_related:
        for paper in papers:
            paper.related = related.get(paper.id, ())
    names = {topic.slug: topic.name for topic in (*topics, other)}
    report.problems.extend(pin_topics(papers, curation, names, slug_map(topics)))
    counts = Counter(paper.primary_topic for paper in papers)  # one pass, not one per topic
    report.topic_counts = [(names[slug], counts[slug]) for slug in names]
    taxonomy = options.topics or config.path(config.topics)
    kept = bool(pins) and pinned_across_changes(assignments_path(taxonomy))
    pinned = report.pinned_papers = sum(1 for paper in papers if paper.id in pins) if kept else 0
    report.notes.extend(topics_without_papers(topics, counts, len(papers), taxonomy, pinned))
    carried = {category for paper in scored for category in paper.categories}
    report.taxonomy_notes = [*keywords_notes(taxonomy, display_path(taxonomy), topics),
                             *categories_no_paper_has(taxonomy, display_path(taxonomy), topics, carried, len(papers))]
    report.notes.extend(report.taxonomy_notes)
    issues = group_issues(papers)
    report.papers, report.issues = len(papers), len(issues)
    if issues:
        source = min(paper.source for paper in papers if paper.added == issues[0].date)
        report.newest = (issues[0].date.isoformat(), SOURCE_PLACE.sub("", source))
    return Archive({p.id: p for p in papers}, issues, topics, site, config, found if config.picks else None, authors,
                   newest_list_date(results), tuple(hidden.paper for hidden in report.hidden), other, keys)


# Where in its paper list a paper's source names it: ": item 3", ": line 3" or ":3".
SOURCE_PLACE = re.compile(r"(?:: (?:item|line) \d+|:\d+)$")


def visible_counts(counts: sp.csr_matrix, scored: Sequence[Paper], hidden: set[str]) -> sp.csr_matrix:
    """The rows of ``counts`` (the topics stage's, of ``scored`` in date order) of the papers not ``hidden``, left for
    the picks and related papers (``remember_counts``), which read the visible papers only."""
    order = sorted(scored, key=lambda paper: (paper.added, paper.id))
    visible = [row for row, paper in enumerate(order) if paper.id not in hidden]
    kept: sp.csr_matrix = counts[visible]
    remember_counts([paper_text(order[row]) for row in visible], kept)
    return kept


def build(config: Config, options: BuildOptions, progress: Callable[[str], None] = lambda _: None) -> BuildReport:
    """Build ``content/``; raises ``BuildError`` (nothing written) when the build cannot be whole.

    Python's cyclic garbage collector is paused meanwhile: a build makes millions of objects that
    live until it ends (papers, word ids, index postings, pages), which the collector would walk
    again and again for nothing (a quarter of the build's CPU at 20,000 papers); the build makes
    few reference cycles, and a full collection follows it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(config, options, progress)
    finally:
        if enabled:
            gc.enable()
            gc.collect()


def _build(config: Config, options: BuildOptions, progress: Callable[[str], None]) -> BuildReport:
    report = BuildReport()
    watch = Stopwatch(report, progress)
    out = options.out or config.path(config.out)
    check_output_folder(out, list(options.papers) or [config.path(p) for p in config.papers])
    own = hand_written(out, read_manifest(out))
    pages = [p for p in own if p.endswith(".md")]  # any may clash with ours
    extra = [p for p in pages if "/" not in p]  # the navigation lists those at the top
    ignored = ignored_own_files(config, out, own)
    base: str = watch.run("check", lambda: input_key(config, options, pages, ignored))
    key = with_record(base, config)
    summary = cache.load(out, key) if not interrupted(out) else None  # killed while replacing files: all again
    if summary is not None and restore_summary(report, summary):
        remove_leftovers(out)  # a killed build's temporary files: no writer comes to delete them
        check_strict(options, report)
        return report
    archive = load_archive(config, options, report, watch)
    report.problems.extend(ignored)
    check_strict(options, report)
    report.notes.extend(dropped_pages(out, archive, report.hidden))
    report.notes.extend(dropped_topic_feeds(out, archive, options.topics or config.path(config.topics)))
    report.notes.extend(dropped_author_pages(out, archive))
    report.notes.extend(dropped_topic_pages(out, archive))
    report.notes.extend(moved_papers(out, archive))
    report.notes.extend(changed_id_prefix(out, config))
    report.notes.extend(placeholder_id_prefix(config, archive.site))
    report.notes.extend(Problem(config.file, message=f"note: {note}")
                        for note in absent_authors(archive.papers.values(), config.watch))
    if overfull := overfull_issue(archive):
        report.notes.append(Problem(config.file, message=f"note: {overfull}"))
    renderer = Renderer(archive, packaged.template_dirs(config))
    # Pages go to temporary files as they are made; nothing replaces content/ until all are made.
    writer = StagedWriter(out)
    try:
        papers = archive.by_newest[::-1]  # oldest first: see build_index

        def index() -> dict[str, bytes]:
            return build_index(papers, archive.topics_by_slug.values())

        # On a big archive a forked helper builds the search index, then renders paper pages, meanwhile
        # (see render.PaperShards); "search" is then nothing here, and "papers" is this process's share of
        # the pages and the wait for the helper's ("search index (helper)": the helper's time for the index).
        with renderer.paper_shards_into(writer, first=index) as paper_shards:
            watch.run("render", lambda: renderer.listing_pages_into(writer))
            watch.run("feeds", lambda: add_all(writer, write_feeds(archive)))
            watch.run("search", lambda: add_all(writer, paper_shards.first_files()))
            writer.add(".nav.yml", renderer.nav(extra).encode("utf-8"))
            writer.add(EPOCH_FILE, f"{newest_epoch(archive)}\n".encode())
            watch.run("papers", paper_shards.finish)
            if paper_shards.helper is not None:
                report.timings["search index (helper)"] = paper_shards.first_seconds
        cache.forget(out)
        # The folder stays locked until the cache of these files is saved: a build of other inputs that wrote the
        # folder in between would otherwise be followed by this build's cache, which would call its pages unchanged.
        report.stats = watch.run("write", lambda: writer.commit(release=False))
    except BaseException:
        writer.abort()
        raise
    try:
        if archive.picks is not None and write_record(archive.picks):
            # The record is an input: the next build finds it unchanged. Only it is read again: an input edited while
            # this build ran must still count as changed (the key of every other input is the one this build read).
            key = with_record(base, config)
        unsaved = cache.save(out, key, writer.written_paths(), summary_of(report))
    finally:
        writer.release()
    if unsaved is not None:
        report.notes.append(unsaved)
    renderer.close()  # the archive is freed as this returns, not by the collector (see Renderer.close)
    return report


# Papers named one by one in the note of papers whose pages a build drops; the rest are counted.
DROPPED_NAMED = 10


def dropped_pages(out: Path, archive: Archive, hidden: Sequence[Hidden]) -> list[Problem]:
    """A note for each paper page the previous build published that this one drops, though the curation file hides
    no such paper: its permalink stops working. A paper without an arXiv id takes its id from its title, so a typo
    fixed in its paper list gives it another page (the curation file's ``title:`` keeps the page)."""
    kept = {name for paper in (*archive.papers.values(), *(h.paper for h in hidden))
            for name in (paper.id, *paper.aliases)}
    dropped = sorted((date, paper_id, title) for paper_id, (title, date) in paper_pages.published_papers(out).items()
                     if paper_id not in kept)
    if not dropped:
        return dropped_alias_pages(out, kept)
    by_title: dict[str, str] = {}  # a paper whose first listing by title alone is gone lives on under another id
    for paper_id in sorted(archive.papers):
        by_title.setdefault(title_key(archive.papers[paper_id].title), paper_id)
    notes = [Problem(f"papers/{paper_id}/", message=(
        f"note: the page of {title!r} (issue {date}) was published and this build drops it: no paper list names"
        f" that paper under this id any more. {_dropped_why(paper_id, by_title.get(title_key(title)))}"))
        for date, paper_id, title in dropped[:DROPPED_NAMED]]
    if len(dropped) > DROPPED_NAMED:
        notes.append(Problem("papers/", message=(
            f"note: and {counts.count(len(dropped) - DROPPED_NAMED, 'more published paper page')} this build drops")))
    return notes + dropped_alias_pages(out, kept)


# The paper an alias page sends readers to (paper_pages.alias_page's refresh).
ALIAS_TARGET = re.compile(r'<meta http-equiv="refresh" content="0; url=\.\./([^/"]+)/">')


def dropped_alias_pages(out: Path, kept: set[str]) -> list[Problem]:
    """A note for each page that sent readers on to a paper (an id the paper had, published) that this build drops:
    the records that gave the paper that id changed (a list edited or deleted), and the address stops working."""
    notes = []
    for page in sorted((out / "papers").glob("*/index.html")):
        alias = page.parent.name
        try:
            found = ALIAS_TARGET.search(page.read_text(encoding="utf-8")) if alias not in kept else None
        except (OSError, UnicodeDecodeError):
            continue
        if found is not None:
            notes.append(Problem(f"papers/{alias}/", message=(
                f"note: this address sent readers on to papers/{found.group(1)}/ and this build drops it: no paper list"
                f" gives that paper this id any more; `formerly: [{alias}]` in the paper's curation entry keeps it")))
    return notes[:DROPPED_NAMED]


def _dropped_why(paper_id: str, namesake: str | None) -> str:
    """Why a published paper page went, and what keeps it: ``namesake`` is the id of a paper of the same title."""
    if namesake is not None:  # its first listing, by title alone, deleted or moved: its arXiv id names it now
        return (f"A paper of that title is papers/{namesake}/ now (the list that named it by this id, by its title"
                f" alone, is gone or names it otherwise); if it is that paper, `formerly: [{paper_id}]` in its"
                " curation entry keeps this address, sending readers on")
    return ("A paper without an arXiv id takes its id from its title, so a title edited in its paper list gives it"
            " another page; correct titles with `title:` in the curation file (the page stays) and take papers down"
            " with `hide:`")


# An author's page among the author shards' records (a letter of the index is ``authors/c/``): authors.author_slug.
AUTHOR_PAGE = re.compile(r"authors/((?:[a-z0-9-]+-)?[0-9a-f]{6,})/")


def dropped_author_pages(out: Path, archive: Archive) -> list[Problem]:
    """A note when author pages the previous build published are dropped: their addresses stop working. Since 0.1.4 a
    paper of more than 1,000 authors counts for its first 10 only, so an upgrade ends the pages of the other members
    that such papers had brought to ``authors.min_papers``, beside pages of authors who only wrote such papers."""
    try:
        published = {found.group(1) for record in author_pages.read_records(out)
                     if (found := AUTHOR_PAGE.fullmatch(str(record["path"])))}
    except (OSError, UnicodeDecodeError, author_pages.FrameError):
        return []
    if not published:
        return []
    min_papers = archive.config.authors.min_papers
    authors = archive.authors if archive.authors is not None else find_authors(archive.papers.values(), min_papers)
    kept = {slug for author in authors.by_key.values() for slug in (author.slug, *author.formerly)}
    dropped = sorted(published - kept)  # an author's other spellings' pages send readers on to it
    if not dropped:
        return []
    named = ", ".join(f"authors/{slug}/" for slug in dropped[:DROPPED_NAMED])
    more = f" and {len(dropped) - DROPPED_NAMED:,} more" if len(dropped) > DROPPED_NAMED else ""
    return [Problem("authors/", message=(
        f"note: this build drops {counts.count(len(dropped), 'author page')} the previous one published: {named}{more}."
        f" Each author has fewer than authors.min_papers ({min_papers}) papers now: a paper of more than"
        f" {COLLABORATION} authors counts for its first {COLLABORATION_FIRST} only (since 0.1.4), and a paper list"
        " edited or a paper hidden counts too; a lower authors.min_papers keeps their pages"))]


# A topic's later page as the previous build wrote it: ``page-N.md`` in ``topics/<slug>/``, or the folder ``page-N``
# of the page that sends readers on from a former slug's.
LATER_TOPIC_PAGE = re.compile(r"page-([1-9][0-9]*)(?:\.md)?")


def dropped_topic_pages(out: Path, archive: Archive) -> list[Problem]:
    """A note when later pages of a topic that is still there (``topics/<slug>/page-N/``), or of the watch list's or
    the picks' pages (paged by the same size), are dropped: a larger ``topic_page_size``, or papers hidden or moved to
    other topics, leave fewer pages, and the addresses past the last page stop working. (A topic dropped whole is
    named by :func:`dropped_topic_feeds`.)"""
    size = archive.config.topic_page_size
    pages = {f"topics/{slug}": counts.pages(len(members), size) for slug, members in archive.topic_members.items()}
    pages.update((f"topics/{former}", pages[f"topics/{topic.slug}"]) for topic in archive.topics
                 for former in topic.formerly if f"topics/{topic.slug}" in pages)
    if archive.config.watch is not None:
        pages["watch"] = counts.pages(len(archive.watched_newest_first()), size)
    if archive.picks is not None:
        pages["picks"] = counts.pages(len(archive.picks.newest_first()), size)
    dropped: list[tuple[str, int]] = []
    for folder, count in pages.items():
        try:
            names = [path.name for path in (out / folder).iterdir()]
        except OSError:
            continue
        numbers = sorted(int(found.group(1)) for name in names if (found := LATER_TOPIC_PAGE.fullmatch(name)))
        dropped.extend((folder, number) for number in numbers if number > max(count, 1))
    if not dropped:
        return []
    dropped.sort()
    named = ", ".join(f"{folder}/page-{number}/" for folder, number in dropped[:DROPPED_NAMED])
    more = f" and {len(dropped) - DROPPED_NAMED:,} more" if len(dropped) > DROPPED_NAMED else ""
    if all(folder.startswith("topics/") for folder, _ in dropped):
        return [Problem("topics/", message=(
            f"note: this build drops {counts.count(len(dropped), 'later topic page')} the previous one published:"
            f" {named}{more}. Their topics fill fewer pages of topic_page_size ({size}) papers now (a larger"
            " topic_page_size, or papers hidden or given other topics), so the addresses past each topic's last page"
            " stop working"))]
    return [Problem("content/", message=(
        f"note: this build drops {counts.count(len(dropped), 'later page')} of topics, the watch list or the picks"
        f" that the previous one published: {named}{more}. They fill fewer pages of topic_page_size ({size}) papers"
        " now (a larger topic_page_size, or papers hidden, given other topics, or no longer watched or picked), so the"
        " addresses past each one's last page stop working"))]


# A card's link to its paper on a topic page of content/ (topics/<slug>/ or topics/<slug>/page-N/), as every
# version writes it: the title's link, relative to the page.
CARD_LINK = re.compile(r'<a href="(?:\.\./)+papers/([^/"]+)/"')


def moved_papers(out: Path, archive: Archive) -> list[Problem]:
    """A note when papers the previous build published are in other topics now, read from that build's topic pages:
    their topic pages and feeds change, and a topic's feed shows a paper added to it as new. A new version of Paper
    Digest may score them otherwise (upgrading from 0.1.0 or 0.1.1, a takedown's later papers), beside the changes
    the README names (the taxonomy, a hand pin, an issue added before the newest)."""
    names = {former: topic.slug for topic in archive.topics for former in topic.formerly}
    names.update((slug, slug) for slug in archive.topic_members if slug != OTHER_SLUG)
    with contextlib.suppress(OSError):  # a topic the taxonomy no longer has: its papers are in other topics now
        names.update((path.name, path.name) for path in sorted((out / "topics").iterdir())
                     if path.is_dir() and path.name not in names and path.name != OTHER_SLUG)
    published: dict[str, set[str]] = {}
    for folder, slug in names.items():
        pages = [out / "topics" / folder / "index.md"]
        try:
            pages += [path / "index.md" if path.is_dir() else path for path in (out / "topics" / folder).iterdir()
                      if LATER_TOPIC_PAGE.fullmatch(path.name)]
        except OSError:
            continue
        for page in pages:
            try:
                text = page.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for paper_id in CARD_LINK.findall(text):
                published.setdefault(paper_id, set()).add(slug)
    if not published:
        return []
    now: dict[str, set[str]] = {}
    for slug, members in archive.topic_members.items():
        if slug != OTHER_SLUG:
            for paper in members:
                now.setdefault(paper.id, set()).add(slug)
    moved = sorted(paper_id for paper_id, slugs in published.items()
                   if paper_id in archive.papers and now.get(paper_id, set()) != slugs)
    if not moved:
        return []
    def move(paper_id: str) -> str:  # "2506.04875 (metabolism → diabetes, metabolism)": the topics' pages it is on
        given = ", ".join(sorted(now.get(paper_id, set()))) or OTHER_SLUG
        return f"{paper_id} ({', '.join(sorted(published[paper_id]))} → {given})"

    named = ", ".join(move(paper_id) for paper_id in moved[:DROPPED_NAMED])
    more = f" and {len(moved) - DROPPED_NAMED:,} more" if len(moved) > DROPPED_NAMED else ""
    return [Problem("topics/", message=(
        f"note: this build gives {counts.count(len(moved), 'published paper')} other topics than the previous one"
        f" published: {named}{more}. Their topic pages and feeds change, and a topic's feed shows a paper added to it"
        " as new. A change of the taxonomy, a topic pinned or a title corrected in the curation file, an issue added"
        " before the newest, or another version of Paper Digest moves them; to keep the published topics, run"
        " `digest topics report --json > published.json` with what built the previous site, then `digest topics pin"
        " --from published.json` (README, Topics: \"Stable once published\")"))]


def dropped_topic_feeds(out: Path, archive: Archive, taxonomy: Path) -> list[Problem]:
    """A note for each topic feed the previous build published that this one drops: its readers get nothing new.
    A topic whose slug changed keeps its old feeds and page with ``formerly:`` in the taxonomy: the note names the
    topics this build publishes for the first time, where the old slug most likely went."""
    kept = {"atom", *RESERVED_SLUGS, *(slug for slug, members in archive.topic_members.items() if members),
            *(former for topic in archive.topics for former in topic.formerly)}
    try:
        published = sorted(path.name.removesuffix(".atom.xml") for path in out.glob("*.atom.xml"))
    except OSError:
        return []
    dropped = [slug for slug in published if slug not in kept and is_safe_slug(slug, on_windows=False)]
    topics = [slug for slug in dropped if slug != OTHER_SLUG]
    if not topics:
        return [Problem(display_path(taxonomy), message=_dropped_feed_note(slug, "")) for slug in dropped]
    lines = topic_lines(taxonomy)
    new = [f"'{topic.name}' ({topic.slug}" + (f", line {lines[number]})" if number < len(lines) else ")")
           for number, topic in enumerate(archive.topics)
           if archive.topic_members.get(topic.slug) and topic.slug not in published
           and not set(topic.formerly) & set(published)]
    named = ", ".join(new[:DROPPED_NAMED]) + (f" and {len(new) - DROPPED_NAMED:,} more" if len(new) > DROPPED_NAMED
                                             else "")
    where = (f"If topic {named}, new in this build, is this one renamed (or merged into it), list the old slug in it"
             if len(new) == 1 else
             f"If one of the topics new in this build, {named}, is this one renamed (or merged into it), list the old"
             " slug in that one" if new else
             "If this topic was renamed or merged into another, list the old slug in that one")
    return [Problem(display_path(taxonomy), message=_dropped_feed_note(slug, where) + (
        # Topics merged into one: a note a slug told to list that slug alone, where the merged topic needs them all.
        f" (topics merged into one: list all their old slugs in the one they went into, `formerly:"
        f" [{', '.join(topics)}]`)" if slug in topics and len(topics) > 1 else "")) for slug in dropped]


def _dropped_feed_note(slug: str, where: str) -> str:
    files = f"({slug}.atom.xml, {slug}.rss.xml)"
    if slug == OTHER_SLUG:  # no paper is left without a topic: there is no slug to keep with `formerly:`
        return (f"note: no paper is in Other any more (every paper has a topic), so its feeds {files} and page, which"
                " were published, are dropped: readers subscribed to them get nothing new until a paper matches no"
                " topic again")
    return (f"note: the feeds of topic {slug!r} {files} and its page were published and this build drops them: readers"
            f" subscribed to them get nothing new. {where}, `formerly: [{slug}]`: its feeds and page go on")


def changed_id_prefix(out: Path, config: Config) -> list[Problem]:
    """A note when the site feed the previous build published was made with another ``feeds.id_prefix``: every
    entry's id changes with it, and feed readers, which know entries by id, show every paper and issue again."""
    try:
        published = SafeElementTree.parse(out / SITE_FEED).getroot().findtext(f"{{{ATOM}}}id") or ""
    # defusedxml 0.7.0 raises the ParseError of its own copy of ElementTree, another class than the standard one.
    except (OSError, ElementTree.ParseError, SafeElementTree.ParseError, defusedxml.DefusedXmlException):
        return []
    old, new = published.removesuffix(SITE_FEED_ID), config.feeds.id_prefix
    if not published.endswith(SITE_FEED_ID) or old == new:
        return []
    return [Problem(config.file, message=(
        f"note: feeds.id_prefix is {new!r}, and the feeds this build replaces were published with {old!r}: every"
        " entry gets a new id, so feed readers show every paper and issue again as new. Unless no one reads them"
        f" yet, set feeds.id_prefix back to {old!r} (ids need not name the site's address: they stay when it moves)"))]


# The hosts of feed id prefixes no site but one should publish: Paper Digest's own site's (a fork's digest.yml has it)
# and the placeholder `digest new` writes without --url.
PLACEHOLDER_ID_HOSTS = ("paper-digest.github.io", "example.github.io")


def placeholder_id_prefix(config: Config, site: Site) -> list[Problem]:
    """A note when ``feeds.id_prefix`` is Paper Digest's own or ``digest new``'s placeholder and the site is published
    at another host: its feeds would go out with another site's entry ids, which can never change once read."""
    found = re.fullmatch(r"tag:([^,:]+),(\d{4}(?:-\d\d){0,2}):.*", config.feeds.id_prefix)
    parts = urlsplit(site.url)
    if not found or found.group(1) not in PLACEHOLDER_ID_HOSTS or found.group(1) == parts.hostname:
        return []
    path = parts.path.strip("/")
    yours = f"tag:{parts.hostname},{found.group(2)}:{path + '/' if path else ''}"
    return [Problem(config.file, message=(
        f"note: feeds.id_prefix is {config.feeds.id_prefix!r}, made for {found.group(1)}, but the site is at"
        f" {site.url}: its feeds go out with entry ids another site's feeds use, and feed readers know entries by"
        f" id, for good. Before anyone subscribes, set feeds.id_prefix in {config.file} to one of yours, such as"
        f" {yours!r} (feeds already read with the old one must keep it)"))]


def same_paper_lists(config: Config, options: BuildOptions) -> bool:
    """Whether the papers read are the site's: no ``--papers``, or the files and folders of ``papers:``."""
    if not options.papers:
        return True
    return {path.resolve() for path in options.papers} == {config.path(path).resolve() for path in config.papers}


def papers_origin(config: Config, options: BuildOptions) -> str:
    """What named the paper lists, for ``check_papers_exist``."""
    if options.papers:
        return "--papers"
    if not config.settings_file().is_file():  # the defaults of a folder without digest.yml: the wrong one?
        return (f"the default of the `papers:` setting: there is no {config.file} here, so this folder is not a"
                " site's folder; run the command in one, digest new NAME makes one")
    return f"the `papers:` setting of {config.file}"


def check_papers_exist(paths: Sequence[Path], origin: str) -> None:
    """A paper list or folder that is not there is a mistake (a typo, a renamed folder), never an empty digest:
    building on would remove the pages of every paper it held, and deploy the site without them."""
    missing = [path for path in paths if not path.exists()]
    if missing:
        raise ConfigError("\n".join(
            f"{display_path(path)}: no such file or folder (named by {origin}); to start a digest without papers, "
            "create the folder (a README.md in it keeps it in git)"
            for path in missing
        ))


def check_output_folder(out: Path, papers: Sequence[Path]) -> None:
    """The pages must not go among the paper lists (``out: data``, ``--out .``): the next build would read them
    as paper lists of an unknown format, and a clean of the output would delete the lists."""
    if out.is_symlink() and not out.exists():  # else "cannot make the output folder (File exists)"
        shown = (Path(display_path(out.parent)) / out.name).as_posix()
        raise ConfigError(f"{shown}: the output folder is a link to {os.readlink(out)}, which does not exist: make"
                          " that folder, or remove the link")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{display_path(out)}: the output folder is a file: choose another one (the default is"
                          " content/)")
    target = out.resolve()
    for path in papers:
        source = path.resolve()
        if source == target or source.is_relative_to(target) or target.is_relative_to(source):
            raise ConfigError(f"{display_path(out)}: the output folder holds or is inside the paper lists"
                              f" ({display_path(path)}): choose another one (the default is content/)")


def add_all(writer: StagedWriter, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        writer.add(path, data)


def check_strict(options: BuildOptions, report: BuildReport) -> None:
    if options.strict and report.problems:
        raise BuildError(
            f"{counts.count(len(report.problems), 'problem')} found and --strict is set; nothing was written",
            report.problems,
        )


def ignored_own_files(config: Config, out: Path, own: Sequence[str]) -> list[Problem]:
    """Files of the site's own in a folder of ``out`` that the build writes and the site's .gitignore keeps out of
    git (``/content/issues/``, as ``digest new`` writes it): never committed, they were missing from the deployed
    site without a word."""
    try:
        where = out.resolve().relative_to(config.base_dir.resolve()).as_posix()
        lines = (config.base_dir / ".gitignore").read_text(encoding="utf-8").splitlines()
    except (ValueError, OSError, UnicodeDecodeError):
        return []
    start = f"/{where}/"
    folders = {line.strip()[len(start) : -1] for line in lines if line.strip().startswith(start) and
               line.strip().endswith("/")}
    return [Problem(display_path(out / path), message=(
        f"a file of your own in {where}/{path.split('/')[0]}/, a folder the build writes, which .gitignore keeps"
        " out of git: it is never committed, so the deployed site lacks it; move it out of that folder"))
        for path in own if "/" in path and path.split("/")[0] in folders]


def input_key(config: Config, options: BuildOptions, pages: list[str], ignored: Sequence[Problem] = ()) -> str:
    """The cache key of every file the build reads but the picks record (``with_record`` adds it), the settings,
    the templates (the site's too) and the code; ``ignored``: the site's files .gitignore keeps out of git, which
    the build reports (``ignored_own_files``)."""
    paths = list(options.papers) or [config.path(p) for p in config.papers]
    lists, unreadable = find_paper_lists(paths)
    taxonomy = options.topics or config.path(config.topics)
    inputs = [*lists, taxonomy, assignments_path(taxonomy)]
    # digest.yml's bytes, not only its settings: a setting written out at its default value still counts (a
    # curation file named, not there, is an error; unnamed, it is not).
    inputs += [config.settings_file(), config.path(config.curation), *mkdocs_files(config.path(config.mkdocs_config))]
    if config.picks is not None:
        inputs.append(reading_list_path(config, config.picks))
    # The site as resolved (SITE_URL from the environment, INHERIT), not only mkdocs.yml's bytes;
    # files skipped for their format, so a new one is reported rather than hidden by the cache; the files of the
    # site's theme.custom_dir that replace ours (a problem the build reports), a folder the key does not read.
    settings = (config, options.strict, sorted(map(str, paths)), pages, load_site(config), list(map(str, unreadable)),
                library_versions(), packaged.shadowed_theme_files(config), list(map(str, ignored)))
    return cache.build_key(inputs, [*packaged.template_dirs(config), *cache.code_trees()], settings)


# Libraries whose output the pages carry (author slugs, math, feeds, templates, YAML): another version after a
# `make setup` may write other pages, so it is a change for the cache.
OUTPUT_LIBRARIES = ("anyascii", "bibtexparser", "feedgen", "jinja2", "latex2mathml", "markupsafe", "mkdocs",
                    "mkdocs-material", "numpy", "pylatexenc", "pyyaml", "scipy")


def library_versions() -> list[str]:
    # Python's too: its Unicode database normalises titles (paper ids), author names and slugs.
    found = [f"python {platform.python_version()}"]
    for name in OUTPUT_LIBRARIES:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} none")
    return found


def with_record(base: str, config: Config) -> str:
    """``base`` (``input_key``) with the bytes of the picks record, the one input a build writes itself."""
    if config.picks is None:
        return base
    return cache.build_key([record_path(reading_list_path(config, config.picks))], [], base)


def mkdocs_files(path: Path) -> list[Path]:
    """``mkdocs.yml`` and the files it inherits (``INHERIT:``, relative to the file that names it): the plugin
    check reads them merged, so an edit of the inherited file changes the build."""
    found = [path]
    while len(found) <= MAX_INHERIT:
        try:
            named = INHERIT.search(found[-1].read_text(encoding="utf-8", errors="replace"))
        except OSError:
            break
        if named is None:
            break
        parent = found[-1].parent / named.group(1).strip().strip("'\"")
        if parent in found:
            break
        found.append(parent)
    return found


# A topic that no paper takes first is worth a note once the archive holds this many papers per topic (a new site of a
# hundred papers under a taxonomy of 25 topics leaves some empty for a while, as the bundled example does).
EMPTY_TOPIC_PAPERS = 20


def topics_without_papers(topics: Sequence[Topic], counts: Counter[str], papers: int, taxonomy: Path,
                          pinned: int = 0) -> list[Problem]:
    """Notes naming each topic of the taxonomy that no paper has as its first topic, in an archive large enough that
    one should: its text likely shares few words with the papers meant for it, or a neighbour's text covers them; or,
    when most papers keep the topics ``digest topics pin`` pinned (``pinned`` of them), it was added since."""
    if not topics or papers < EMPTY_TOPIC_PAPERS * len(topics):
        return []
    if pinned * 2 >= papers:
        why = (f"{pinned:,} of them keep the topics pinned in {display_path(assignments_path(taxonomy))} (by `digest "
               "topics pin`), so a topic added since takes only papers of later issues (`digest topics reassign "
               "--dry-run` lists the papers scoring them again would move)")
    else:
        why = ("its description and keywords may share few words with the papers meant for it, or another topic's "
               "text may cover them (`digest topics explain ID` of a paper you expected there shows its scores)")
    return [
        Problem(display_path(taxonomy), message=(
            f"note: no paper of {papers:,} has the topic '{topic.name}' ({topic.slug}) as its first topic: {why}"))
        for topic in topics if counts[topic.slug] == 0
    ]


# MkDocs' INHERIT key, a top-level line; a chain of more files than this is not followed further.
INHERIT = re.compile(r"^INHERIT:[ \t]*(\S[^#\n]*?)[ \t]*(?:#.*)?$", re.MULTILINE)
MAX_INHERIT = 10


def summary_of(report: BuildReport) -> dict[str, object]:
    """What the CLI prints about a build, kept so an unchanged rebuild prints the same."""
    return {
        "papers": report.papers,
        "issues": report.issues,
        "topic_counts": report.topic_counts,
        "hidden": [
            [h.paper.id, h.paper.title, h.paper.added.isoformat(), h.paper.source, h.reason] for h in report.hidden
        ],
        "problems": cache.problems_to_json(report.problems),
        "notes": cache.problems_to_json(report.notes),
        "files": (report.stats.written + report.stats.unchanged) if report.stats else 0,
        "newest": report.newest,
    }


def restore_summary(report: BuildReport, summary: dict[str, Any]) -> bool:
    """Fill ``report`` from the cached ``summary``; False, ``report`` untouched, when the summary is not one
    ``summary_of`` writes (a damaged or hand-edited cache file): the build then runs in full, as without a cache."""
    try:
        papers, issues, files = int(summary["papers"]), int(summary["issues"]), int(summary["files"])
        topic_counts = [(str(name), int(count)) for name, count in summary["topic_counts"]]
        hidden = [
            Hidden(Paper(id=pid, title=title, abstract="", added=dt.date.fromisoformat(added), source=source), reason)
            for pid, title, added, source, reason in summary["hidden"]
        ]
        problems = cache.problems_from_json(summary["problems"])
        notes = cache.problems_from_json(summary.get("notes", []))
        newest = summary.get("newest")
        newest = (dt.date.fromisoformat(newest[0]).isoformat(), str(newest[1])) if newest else None
    except (KeyError, TypeError, ValueError, IndexError):
        return False
    report.cached = True
    report.papers, report.issues, report.topic_counts, report.hidden = papers, issues, topic_counts, hidden
    report.problems, report.notes, report.newest = problems, notes, newest
    report.stats = WriteStats(written=0, unchanged=files, removed=0)
    return True


# The newest issue's date as seconds since 1970, for MkDocs (generator/mkdocs_hooks.py: SOURCE_DATE_EPOCH when unset).
EPOCH_FILE = ".digest/epoch"


def newest_epoch(archive: Archive) -> int:
    """The newest paper list's date as seconds since 1970 (0 without papers), as ``digest epoch`` gives it."""
    return epoch_of(archive.dated)


def epoch_of(date: dt.date | None) -> int:
    """``date`` at midnight UTC as seconds since 1970, for ``SOURCE_DATE_EPOCH``; 0 without a date, and for a
    date before 1970 (a digest of older papers): MkDocs stopped on a negative one, writing sitemap.xml.gz."""
    return max(0, int(issue_datetime(date).timestamp())) if date else 0


def newest_list_date(results: list[ReadResult]) -> dt.date | None:
    """The date of the newest paper list with at least one paper: the site's reproducible build date."""
    return max((result.issue_date for result in results if result.papers and result.issue_date), default=None)


def newest_issue_date(config: Config, options: BuildOptions) -> dt.date | None:
    """The date of the newest issue with at least one paper (the site's reproducible build date); None without
    papers. A paper list or folder that is not there is the build's error (the build fails on it too)."""
    paths = list(options.papers) or [config.path(p) for p in config.papers]
    check_papers_exist(paths, papers_origin(config, options))
    results, _ = read_all(paths)
    return newest_list_date(results)
