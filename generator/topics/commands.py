"""What ``digest topics ...`` prints: explain a paper, report on the archive, suggest a taxonomy, re-pin topics."""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter
from collections.abc import Sequence, Set
from itertools import combinations
from pathlib import Path

from generator import latex_text
from generator.build import BuildOptions, BuildReport, Stopwatch, load_archive
from generator.config import Config
from generator.counts import columns, count, ljust
from generator.curation import PINNED, Hidden
from generator.errors import DigestError, Problem
from generator.model import Paper, TopicMatch, normalize_arxiv_id
from generator.model import paper_id as make_id
from generator.render import Archive
from generator.settings_yaml import slug_hint
from generator.sources import display_path
from generator.sources.common import describe, from_utf16, from_windows_1252
from generator.topics import OTHER_SLUG, Topic, assign_topics, load_taxonomy
from generator.topics.learner import MIN_SCORE
from generator.topics.stability import assignments_path, pins_text, read_pins
from generator.topics.taxonomy import slug_map
from generator.writer import write_atomically

# A first topic scoring below this, or barely ahead of the second, is "low confidence" in the report.
LOW_SCORE = 4 * MIN_SCORE
CLOSE_SECOND = 0.9
# Pinned topics by paper id (``data/assignments.yml``).
PINS = dict[str, tuple[TopicMatch, ...]]
# Two topics overlap heavily when this share of the smaller one's papers also have the other.
OVERLAP_SHARE = 0.5


def archive(config: Config, options: BuildOptions) -> tuple[Archive, BuildReport]:
    """The papers with their topics, as ``digest build`` gives them (no pages, no related papers)."""
    report = BuildReport()
    return load_archive(config, options, report, Stopwatch(report, lambda _: None), with_related=False), report


def explain(
    archive: Archive, paper_id: str, hidden: Sequence[Hidden] = (), pins: tuple[Path, PINS] | None = None
) -> str:
    """Why a paper has its topics: score and evidence per topic, best first.

    ``hidden``: the papers the curation file hides, which have no topics on the site (and say so, with the reason).
    ``pins``: the pins file and its pins (``pinned``); a paper whose topics it gave says so, as its scores and
    evidence are those of when it was pinned, perhaps by another taxonomy.
    """
    paper = archive.papers.get(paper_id)
    if paper is None:
        arxiv = normalize_arxiv_id(paper_id)  # 1706.03762v7, arXiv:1706.03762, an abs URL: the paper's id
        keys = {paper_id, make_id("", arxiv) if arxiv else paper_id}
        matches = [p for p in archive.papers.values() if keys & {p.id, *p.aliases}]
        if not matches:
            gone = [h for h in hidden if keys & {h.paper.id, *h.paper.aliases}]
            if gone:
                raise DigestError(f"paper {gone[0].paper.id!r} ({latex_text.plain(gone[0].paper.title)}) is hidden by"
                                  f" {archive.config.curation} ({gone[0].reason}): it is on no page and has no topics")
            hint = "ids are shown on paper pages and by 'digest topics report'"
            raise DigestError(f"no paper with id {paper_id!r} ({hint})")
        paper = matches[0]
    names = archive.topics_by_slug
    lines = [f"{paper.id}  {latex_text.plain(paper.title)}", f"issue {paper.added.isoformat()}", ""]
    if pins is not None and any(pins[1].get(name) == paper.topics for name in (paper.id, *paper.aliases)):
        lines[-1:-1] = [f"topics pinned in {pins[0]} (by digest topics pin or reassign): scores and evidence are"
                        " as when they were pinned"]
    for rank, match in enumerate(paper.topics, start=1):
        label = "first topic" if rank == 1 else f"topic {rank}"
        if match.evidence == (PINNED,):  # no score: "score 0.000" read as a topic the paper shares nothing with
            lines.append(f"{label}: {names[match.slug].name} ({match.slug}), pinned by hand in"
                         f" {archive.config.curation} (no score)")
            continue
        lines.append(f"{label}: {names[match.slug].name} ({match.slug}), score {match.score:.3f}")
        lines.extend(f"  - {item}" for item in match.evidence)
    return "\n".join(lines) + "\n"


def pinned(config: Config, options: BuildOptions, topics: Sequence[Topic]) -> tuple[Path, PINS]:
    """The pins file beside the taxonomy and its pins, as the build applies them (for ``explain``)."""
    path = assignments_path(options.topics or config.path(config.topics))
    return path, read_pins(path, topics)[0]


def report_json(papers: Sequence[Paper]) -> str:
    """One JSON array sorted by id: id, title and topics (first topic first) with score and evidence."""
    items = [
        {
            "id": paper.id,
            "title": paper.title,
            "topics": [{"slug": m.slug, "score": m.score, "evidence": list(m.evidence)} for m in paper.topics],
        }
        for paper in sorted(papers, key=lambda p: p.id)
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def report_text(archive: Archive, pinned: int = 0) -> str:
    """Counts per topic (first and any), the "Other" papers, low-confidence papers and overlapping topics."""
    papers = sorted(archive.papers.values(), key=lambda p: p.id)
    topics = archive.topics_by_slug
    first = Counter(p.primary_topic for p in papers)
    anywhere = Counter(m.slug for p in papers for m in p.topics)
    total = max(len(papers), 1)
    width = max(columns(t.name) for t in topics.values())
    heading = f"{count(len(papers), 'paper')}, {count(len(archive.topics), 'topic')}"
    lines = [heading, "", f"{'topic'.ljust(width)}  first   share    any"]
    for slug, topic in topics.items():
        lines.append(f"{ljust(topic.name, width)}  {first[slug]:5d}  {first[slug] / total:6.1%}  {anywhere[slug]:5d}")
    empty = [topic for slug, topic in topics.items() if slug != OTHER_SLUG and not first[slug]]
    if empty:  # a topic no paper takes first: its text shares few words with its papers, or a neighbour's covers them
        why = (f"{pinned:,} of the papers keep the topics `digest topics pin` pinned, so a topic added since takes only"
               " papers of later issues; `digest topics reassign --dry-run` lists what scoring them again would move"
               if pinned * 2 >= len(papers) and pinned else
               "sharper descriptions and keywords, or `digest topics explain ID` of a paper you expected there")
        lines += ["", f"No paper has these as its first topic ({len(empty)}; {why}):"]
        lines += [f"  {topic.slug}  {topic.name}" for topic in empty]
    other = [p for p in papers if p.primary_topic == OTHER_SLUG]
    lines += ["", f"Other ({len(other)}):"] + [f"  {p.id}  {latex_text.plain(p.title)}" for p in other]
    low = [p for p in papers if p.primary_topic != OTHER_SLUG and not _pinned_by_hand(p) and _low_confidence(p)]
    lines += ["", f"Low confidence ({len(low)}; first score < {LOW_SCORE:.2f} or second close behind):"]
    lines += [f"  {p.id}  {' > '.join(f'{m.slug} {m.score:.2f}' for m in p.topics)}  {latex_text.plain(p.title)}"
              for p in low]
    overlaps = _overlaps(papers)
    lines += ["", f"Heavily overlapping topics ({len(overlaps)}; shared by ≥ {OVERLAP_SHARE:.0%} of the smaller):"]
    lines += [f"  {a} & {b}: {shared} shared papers" for a, b, shared in overlaps]
    return "\n".join(lines) + "\n"


def _low_confidence(paper: Paper) -> bool:
    best = paper.topics[0].score
    second = paper.topics[1].score if len(paper.topics) > 1 else 0.0
    return best < LOW_SCORE or second >= CLOSE_SECOND * best


def _overlaps(papers: Sequence[Paper]) -> list[tuple[str, str, int]]:
    members: dict[str, set[str]] = {}
    for paper in papers:
        for match in paper.topics:
            members.setdefault(match.slug, set()).add(paper.id)
    found = []
    for a, b in combinations(sorted(members), 2):
        shared = len(members[a] & members[b])
        if shared and shared >= OVERLAP_SHARE * min(len(members[a]), len(members[b])):
            found.append((a, b, shared))
    return found


@dataclasses.dataclass
class Reassigned:
    """What ``reassign`` pinned (or, in a dry run, would pin)."""

    path: Path  # the pins file
    counts: Counter[str]  # papers by first topic
    by_hand: int  # papers the curation file pins, left to it
    moves: list[tuple[Paper, str]]  # papers whose first topic changes, with the first topic they had, by id


def reassign(config: Config, options: BuildOptions, dry_run: bool = False) -> Reassigned:
    """Re-score every paper with the whole archive and pin the result in ``assignments.yml`` (atomic write).

    The curation file's hand pins are examples the learner keeps, as in a build, and stay the curation file's (their
    number is returned): pinned here too, a paper would keep that topic after its hand pin was removed. The papers
    whose first topic changes from what a build gives now are returned; ``dry_run`` writes nothing.
    """
    taxonomy = options.topics or config.path(config.topics)
    target = assignments_path(taxonomy)
    current, _ = archive(config, options)
    topics, _ = load_taxonomy(taxonomy)
    papers = list(current.papers.values())
    before = {paper.id: paper.primary_topic for paper in papers}
    # The build pinned these papers' topics from the curation file: their first topic is the label it taught with.
    labels = {paper.id: paper.topics[0].slug for paper in papers if _pinned_by_hand(paper)}
    # without the pins of assignments.yml: old pins must not win
    assign_topics(papers, topics, config.max_topics, causal=False, labels=labels)
    papers = [paper for paper in papers if paper.id not in labels]
    if not dry_run:
        _write_atomic(target, pins_text(papers, topics))
    moves = sorted(((paper, before[paper.id]) for paper in papers if paper.primary_topic != before[paper.id]),
                   key=lambda move: move[0].id)
    return Reassigned(target, Counter(p.primary_topic for p in papers), len(labels), moves)


def pin(
    config: Config, options: BuildOptions, report: Path | None = None
) -> tuple[Path, Counter[str], list[Problem], int, int]:
    """Pin every paper's topics as they are (or as a ``topics report --json`` listed them), across taxonomy changes.

    With ``report``, papers it does not list, or that the archive no longer has, are left unpinned (their number is
    returned last). Papers whose topics the curation file pins are left to it (their number is returned): pinned here
    too, they kept those topics, and said they were "pinned in the curation file", after the curation file no longer
    pinned them.
    """
    taxonomy = options.topics or config.path(config.topics)
    target = assignments_path(taxonomy)
    current, build_report = archive(config, options)
    topics, _ = load_taxonomy(taxonomy)
    papers = [p for p in current.papers.values() if not _pinned_by_hand(p)]
    by_hand = len(current.papers) - len(papers)
    problems = list(build_report.problems)
    if report is not None:
        hand_pinned = {key for p in current.papers.values() if _pinned_by_hand(p) for key in (p.id, *p.aliases)}
        listed, skipped = _report_topics(report, papers, {**slug_map(topics), OTHER_SLUG: OTHER_SLUG},
                                         config.max_topics, hand_pinned)
        problems += skipped
        if papers and not listed:  # a report of another archive, or of no paper: keep the pins there are
            raise DigestError(f"{report}: no item names a paper of this archive with a topic of this taxonomy:"
                              f" nothing pinned, {display_path(target)} left as it was", problems)
        papers = [dataclasses.replace(p, topics=listed[p.id]) for p in papers if p.id in listed]
    _write_atomic(target, pins_text(papers, topics, kept=True))
    unpinned = len(current.papers) - by_hand - len(papers)
    return target, Counter(p.primary_topic for p in papers), problems, by_hand, unpinned


def _pinned_by_hand(paper: Paper) -> bool:
    return bool(paper.topics) and all(match.evidence == (PINNED,) for match in paper.topics)


def _report_topics(
    path: Path, papers: Sequence[Paper], known: dict[str, str], max_topics: int, hand_pinned: Set[str] = frozenset()
) -> tuple[dict[str, tuple[TopicMatch, ...]], list[Problem]]:
    """Paper id → topics from a ``digest topics report --json`` file, and what of it is not pinned, and why.

    ``known``: each slug the taxonomy knows (a topic's former ones too) → the topic's slug now. ``hand_pinned``: the
    ids and aliases of the papers whose topics the curation file pins, which are left to it without a word (they are
    in the archive, though not among ``papers``).

    A report is a file people edit: an unknown paper or topic, a topic listed twice (it showed twice in the topic's
    feed), a score that is no number, more topics than ``max_topics`` or a paper listed twice are each reported.
    """
    problems: list[Problem] = []
    try:  # as Windows saves what a command prints: UTF-16 (PowerShell 5's `>`), a byte-order mark, cp1252 (cmd's `>`)
        data = from_windows_1252(from_utf16(path.read_bytes(), str(path), problems))
        # A number of more digits than Python converts stays text (a score that is no number, that item's problem).
        items = json.loads(data.decode("utf-8-sig"), parse_int=_whole_or_text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DigestError(f"{path}: cannot read the report: {getattr(error, 'strerror', None) or error}") from None
    except RecursionError:  # [[[[… thousands deep
        raise DigestError(f"{path}: cannot read the report: the JSON is nested too deeply") from None
    if not isinstance(items, list):
        raise DigestError(f"{path}: expected the JSON array that `digest topics report --json` prints")
    by_key = {key: paper.id for paper in papers for key in (paper.id, *paper.aliases)}
    found: dict[str, tuple[TopicMatch, ...]] = {}

    def skip(number: int, message: str) -> None:
        problems.append(Problem(str(path), item=number, message=message))

    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("topics"), list):
            raise DigestError(f"{path}: item {number}: expected an object with 'id' and 'topics'")
        key = str(item.get("id", ""))
        if key in hand_pinned:
            continue
        if key not in by_key:
            skip(number, f"paper {key!r} is not in the archive; not pinned")
            continue
        if by_key[key] in found:
            skip(number, f"paper {key!r} is listed again; the first listing is pinned")
            continue
        matches: dict[str, TopicMatch] = {}
        for entry in item["topics"]:
            slug = entry.get("slug") if isinstance(entry, dict) else None
            score = entry.get("score", 0.0) if isinstance(entry, dict) else None
            if not isinstance(slug, str) or not slug:
                skip(number, f"paper {key!r}: a topic without a 'slug' (as report --json writes them); skipped")
            elif slug not in known:
                skip(number, f"paper {key!r}: no topic {slug!r} in the taxonomy{slug_hint(slug, known)}; not pinned to"
                             " it")
            elif isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
                skip(number, f"paper {key!r}: topic {slug!r}: the score {describe(score)} is no number; not pinned to"
                             " it")
            elif known[slug] in matches:
                skip(number, f"paper {key!r}: topic {slug!r} is listed twice; pinned once")
            else:
                matches[known[slug]] = TopicMatch(known[slug], float(score), _report_evidence(entry))
        if len(matches) > max_topics:
            skip(number, f"paper {key!r}: {len(matches)} topics, more than max_topics ({max_topics}); the first"
                         f" {max_topics} are pinned")
        if matches:
            found[by_key[key]] = tuple(matches.values())[:max_topics]
        else:
            skip(number, f"paper {key!r}: no topic to pin; not pinned")
    return found, problems


def _whole_or_text(digits: str) -> int | str:
    try:
        return int(digits)
    except ValueError:  # more than 4,300 digits
        return digits


def _report_evidence(entry: dict[str, object]) -> tuple[str, ...]:
    """The evidence a report gives a topic (the paper page's "why these topics" as it was published), else a note that
    the topic was pinned: a report edited by hand may have none."""
    evidence = entry.get("evidence")
    listed = evidence if isinstance(evidence, list) else []
    found = tuple(item for item in listed if isinstance(item, str) and item.strip())
    return found or ("pinned before a taxonomy change",)


def _write_atomic(path: Path, text: str) -> None:
    try:
        write_atomically(path, text.encode("utf-8"), prefix=".assignments-", suffix=".tmp")
    except OSError as error:  # a data folder mounted read-only, or another user's
        raise DigestError(f"{display_path(path)}: cannot write the pins ({error.strerror}); nothing was pinned: make"
                          " the folder writable and run the command again") from None
