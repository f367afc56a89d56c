"""Topics that stay put once published: causal issue windows, and the pins of ``digest topics reassign``.

Scoring is causal (a paper is scored with its own and earlier issues only; see ``issue_windows``),
so papers keep their topics as the archive grows without any file. ``reassign`` re-scores every
paper with the whole archive and pins the result in ``assignments.yml`` beside the taxonomy; pins
hold while the taxonomy is unchanged (same fingerprint).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from generator.counts import count
from generator.errors import ConfigError, Problem
from generator.model import Paper, TopicMatch
from generator.settings_yaml import load_settings, yaml_error
from generator.topics.taxonomy import OTHER_SLUG, Topic, slug_map, taxonomy_fingerprint

# Word weights and centroids are refreshed (and the learner trains on the new issue) when the archive
# has grown by this factor since the last refresh; issues in between are scored with the last model.
REFRESH_GROWTH = 1.5
FILE_NAME = "assignments.yml"
# The ``taxonomy:`` of pins that hold whatever the taxonomy becomes (written by ``digest topics pin``).
KEPT = "kept"


def issue_windows(order: Sequence[Paper], causal: bool = True) -> list[tuple[int, int, bool]]:
    """(start, end, refresh) for each issue of ``order`` (sorted by date), oldest first.

    ``refresh`` is true for the first issue and whenever the papers so far have grown by
    REFRESH_GROWTH since the last refresh: the model learns from that issue (with everything
    before it) and serves the following issues until the next refresh. The same archive always
    gives the same windows, and adding an issue never changes the windows before it. Without
    ``causal``, the whole archive is one issue.
    """
    if not causal:
        return [(0, len(order), True)] if order else []
    windows: list[tuple[int, int, bool]] = []
    start, known = 0, 0
    for index in range(1, len(order) + 1):
        if index == len(order) or order[index].added != order[start].added:
            refresh = not windows or index >= known * REFRESH_GROWTH
            if refresh:
                known = index
            windows.append((start, index, refresh))
            start = index
    return windows
HEADER = (
    "# Topics pinned by `digest topics reassign` or `digest topics pin` (do not edit by hand; run it again).\n"
    "# They hold while the taxonomy's fingerprint matches (`taxonomy: kept`: always); new papers are scored as usual.\n"
)


def assignments_path(taxonomy: Path) -> Path:
    """The pins live beside the taxonomy file."""
    return taxonomy.with_name(FILE_NAME)


def pinned_across_changes(path: Path) -> bool:
    """Whether the pins of ``path`` are `digest topics pin`'s, which hold across taxonomy changes (not `reassign`'s)."""
    try:
        with path.open(encoding="utf-8") as file:  # its header: the whole file of a large archive is megabytes
            head = file.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(rf"^taxonomy:[ \t]*['\"]?{KEPT}['\"]?[ \t]*$", head, re.MULTILINE) is not None


def read_pins(path: Path, topics: Sequence[Topic]) -> tuple[dict[str, tuple[TopicMatch, ...]], list[Problem]]:
    """Pinned topics by paper id; none (with a warning) when the taxonomy changed since they were written."""
    if not path.exists():
        return {}, []
    try:
        data = load_settings(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the pinned topics: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:  # a merge conflict's <<<<<<< lines, a hand edit
        raise ConfigError(f"{yaml_error(str(path), error)}; the pinned topics are written by `digest topics pin` or"
                          " `reassign`: check out the committed file (after a merge conflict, either side) and run it"
                          " again") from None
    if not isinstance(data, dict) or not isinstance(data.get("papers"), dict):
        raise ConfigError(f"{path}: expected 'taxonomy:' and a 'papers:' mapping (written by digest topics reassign)")
    kept = data.get("taxonomy") == KEPT
    if not kept and data.get("taxonomy") != taxonomy_fingerprint(topics):
        message = ("the taxonomy changed since these topics were pinned (by `digest topics reassign`); they are"
                   " ignored, and every paper is scored with the taxonomy as it is now, so published papers may"
                   " change topics. Run `digest topics reassign` to pin the new topics, or, to keep the published"
                   " ones, put the taxonomy back as it was, run `digest topics pin` (its pins hold across taxonomy"
                   " changes), then edit it again")
        return {}, [Problem(str(path), message=message)]
    current = {**slug_map(topics), OTHER_SLUG: OTHER_SLUG}  # a topic's former slug names it still
    known = set(current.values())
    pins: dict[str, tuple[TopicMatch, ...]] = {}
    problems: list[Problem] = []
    # A removed topic → the papers whose pins named it: (kept other topics, scored afresh), said once per topic.
    dropped: dict[str, tuple[list[str], list[str]]] = {}
    for item, (paper_id, entries) in enumerate(sorted(data["papers"].items(), key=lambda kv: str(kv[0])), start=1):
        matches = _matches(entries, set(current) | (_slugs(entries) if kept else set()))
        if matches is None:
            problems.append(Problem(str(path), item=item, message=f"paper {paper_id!r}: unreadable topics, ignored"))
            continue
        matches = tuple(dataclasses.replace(m, slug=current.get(m.slug, m.slug)) for m in matches)
        unknown = [m.slug for m in matches if m.slug not in known]
        left = tuple(dict.fromkeys(m.slug for m in matches if m.slug in known))  # a hand edit may list one twice
        for slug in unknown:  # kept pins may name a topic the taxonomy no longer has
            dropped.setdefault(slug, ([], []))[0 if left else 1].append(str(paper_id))
        if left:
            pins[str(paper_id)] = tuple(next(m for m in matches if m.slug == slug) for slug in left)
    problems += [Problem(str(path), message=_dropped_topic(slug, *papers)) for slug, papers in sorted(dropped.items())]
    return pins, problems


# Papers named one by one in the message about a removed topic's pins; the rest are counted.
NAMED = 10


def _dropped_topic(slug: str, kept: Sequence[str], afresh: Sequence[str]) -> str:
    """One message for all the pins that name a topic the taxonomy no longer has (one per paper was hundreds of lines
    at every build)."""
    parts = []
    if kept:
        parts.append(f"{count(len(kept), 'paper')} {'keeps its' if len(kept) == 1 else 'keep their'} other pinned"
                     " topics")
    if afresh:
        named = ", ".join(afresh[:NAMED]) + (f" and {len(afresh) - NAMED:,} more" if len(afresh) > NAMED else "")
        parts.append(f"{count(len(afresh), 'paper')} had no other and {'is' if len(afresh) == 1 else 'are'} scored"
                     f" afresh ({named})")
    pinned = count(len(kept) + len(afresh), "paper")
    return (f"no topic {slug!r} in the taxonomy; it is dropped from the pins of {pinned}: {'; '.join(parts)}."
            " `digest topics pin` pins the topics as they are now, which ends this message")


def _slugs(entries: object) -> set[str]:
    if not isinstance(entries, list):
        return set()
    return {str(entry.get("slug")) for entry in entries if isinstance(entry, dict)}


def _matches(entries: object, known: set[str]) -> tuple[TopicMatch, ...] | None:
    if not isinstance(entries, list) or not entries:
        return None
    matches = []
    for entry in entries:
        # A hand edit may leave any value: a slug that is a list (unhashable), a score too large for a float.
        if not isinstance(entry, dict) or not isinstance(entry.get("slug"), str) or entry["slug"] not in known:
            return None
        evidence = entry.get("evidence") or []
        if not isinstance(evidence, list):
            return None
        score = entry.get("score", 0.0)
        try:
            value = float(score) if isinstance(score, int | float) else 0.0
        except OverflowError:  # an integer of hundreds of digits
            value = 0.0
        matches.append(TopicMatch(entry["slug"], value if math.isfinite(value) else 0.0,
                                  tuple(str(e) for e in evidence)))
    return tuple(matches)


def pins_text(papers: Sequence[Paper], topics: Sequence[Topic], kept: bool = False) -> str:
    """The pins file for ``papers`` (sorted by id, so the same archive gives the same bytes).

    ``kept`` pins hold whatever the taxonomy becomes; the others while it is unchanged.
    """
    body = {
        "taxonomy": KEPT if kept else taxonomy_fingerprint(topics),
        "papers": {
            paper.id: [{"slug": m.slug, "score": m.score, "evidence": list(m.evidence)} for m in paper.topics]
            for paper in sorted(papers, key=lambda p: p.id)
        },
    }
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=1000)
