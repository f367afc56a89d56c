"""Hand curation (``data/curation.yml``): hide a paper with a reason, pin its topics, correct its fields, join two
pages of one paper (``same_as``).

Entries are keyed by a paper id, one of its aliases or its arXiv id. A hidden paper leaves every
page and feed; hiding is the only way the archive shrinks, so a broken curation file stops the
build rather than let a takedown silently come undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import latex_text
from generator.authors import distinct_names
from generator.errors import ConfigError, Problem
from generator.merge import merge_records
from generator.model import Paper, TopicMatch, arxiv_key, is_safe_id
from generator.settings_yaml import did_you_mean, load_settings_with_node, slug_hint, yaml_error
from generator.sources.bibtex import arxiv_id_in
from generator.sources.common import flatten, http_link, split_names

TEXT_FIELDS = ("title", "abstract")
LINK_FIELDS = ("url", "pdf", "code", "project_page")
ENTRY_FIELDS = ("hide", "topics", "authors", "distinct_from", "same_as", "formerly", *TEXT_FIELDS, *LINK_FIELDS)
PINNED = "pinned in the curation file"


@dataclass(frozen=True)
class Entry:
    """One curation entry: what to do with the paper named by ``key``."""

    key: str
    line: int
    hide: str | None = None
    topics: tuple[str, ...] = ()
    corrections: dict[str, Any] = field(default_factory=dict)
    distinct_from: tuple[str, ...] = ()
    same_as: str | None = None
    """The paper this one is (an id, alias or arXiv id): the two are one record, the first listed keeps its page."""
    formerly: tuple[str, ...] = ()
    """Ids the paper's pages had that no paper list gives it any more: their pages send readers on."""


@dataclass(frozen=True)
class Hidden:
    """A paper the curation file hides, and why (the build reports them)."""

    paper: Paper
    reason: str


@dataclass
class Curation:
    path: str = ""
    entries: list[Entry] = field(default_factory=list)


def load_curation(path: Path, display: str, named: str = "") -> tuple[Curation, list[Problem]]:
    """Read the curation file; a broken one is an error.

    A missing file is an empty curation, unless the config file ``named`` (its name) named it or the folder
    holds it under another case (``Curation.yml``, which macOS finds and the Linux of a deploy does not): then its
    takedowns would silently come undone, so that is an error.
    """
    if not path.exists():
        hint = _other_case(path)
        if named or hint:
            origin = f" (named by `curation:` in {named})" if named else ""
            raise ConfigError(f"{display}: no such file{origin}{hint}; building on would hide and correct nothing")
        return Curation(display), []
    try:
        # Paper ids and slugs as written: distinct_from: [2401.10000] names that arXiv id, not the number 2401.1.
        text = path.read_text(encoding="utf-8")
        node, document = load_settings_with_node(text, ("distinct_from", "same_as", "formerly", "topics"))
    except OSError as error:  # a folder of that name, a file it may not read
        raise ConfigError(f"{display}: cannot read the curation file: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(yaml_error(display, error)) from None
    if document is None or document == {"papers": None}:  # `papers:` left with no entry once the last one went
        return Curation(display), []
    if not isinstance(document, dict) or set(document) - {"papers"} or not isinstance(document.get("papers"), dict):
        raise ConfigError(f"{display}: expected a mapping with 'papers': {{paper id: entry}}")
    lines = _key_lines(node)
    warnings: list[Problem] = []
    errors: list[str] = []
    curation = Curation(display)
    for key, value in document["papers"].items():
        entry = _read_entry(str(key), value, lines.get(str(key), 0), display, warnings, errors)
        if entry is not None:
            curation.entries.append(entry)
    if errors:
        raise ConfigError("\n".join(errors), warnings)
    return curation, warnings


def _other_case(path: Path) -> str:
    """A hint when the folder holds the file under another case (``Curation.yml``: fine on macOS, not on Linux)."""
    try:
        others = sorted(p.name for p in path.parent.iterdir() if p.name.casefold() == path.name.casefold())
    except OSError:
        return ""
    return f" ({', '.join(others)} is there: names are case-sensitive)" if others else ""


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Line of every entry key below ``papers``, so messages can point at it."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if key.value == "papers" and isinstance(value, yaml.MappingNode):
            return {entry_key.value: entry_key.start_mark.line + 1 for entry_key, _ in value.value}
    return {}


def _read_entry(
    key: str, value: Any, line: int, display: str, warnings: list[Problem], errors: list[str]
) -> Entry | None:
    where = f"{display}:{line}: entry {key!r}"
    if not isinstance(value, dict):
        errors.append(f"{where}: expected a mapping of fields (hide, topics, title, ...)")
        return None
    for name in sorted(str(name) for name in value if name not in ENTRY_FIELDS):
        hint = did_you_mean(name, ENTRY_FIELDS)
        if "'hide'" in hint and "hide" not in value:  # a takedown not read would leave the paper published
            errors.append(f"{where}: unknown field {name!r}{hint}: a takedown written so is not read, and the paper"
                          " would stay published; write hide: REASON")
            continue
        warnings.append(Problem(display, line=line, message=f"entry {key!r}: unknown field {name!r} ignored{hint}"))
    hide = value.get("hide")
    if "hide" in value and (not isinstance(hide, str) or not hide.strip()):
        errors.append(f"{where}: 'hide' must be the reason, as text (it is recorded)")
        hide = None
    corrections: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in value:
            text = value[name]
            if isinstance(text, str) and flatten(text) and (name != "title" or not latex_text.shows_nothing(text)):
                corrections[name] = flatten(text)
            elif isinstance(text, str) and flatten(text):  # every page and feed entry names the paper by it
                errors.append(f"{where}: 'title' {text!r} shows as no text (its LaTeX decoded): write the title")
            else:
                errors.append(f"{where}: {name!r} must be non-empty text")
    for name in LINK_FIELDS:
        if name in value:
            link = http_link(value[name]) if isinstance(value[name], str) else None
            if link is None:
                errors.append(f"{where}: {name!r} must be an http(s) URL")
            else:
                corrections[name] = link
    if "authors" in value:
        written = value["authors"]
        if isinstance(written, str) and split_names(written):  # "A, B and C": several names, as the sources read it
            written = split_names(written)
        authors = _names(written)
        if authors is None:
            errors.append(f"{where}: 'authors' must be a list of names")
        else:
            corrections["authors"] = authors
    topics = _names(value.get("topics", []))
    if topics is None:
        errors.append(f"{where}: 'topics' must be a list of topic slugs")
    distinct = _names(value.get("distinct_from", []))
    if distinct is None:
        errors.append(f"{where}: 'distinct_from' must be a list of paper ids")
    same_as = value.get("same_as")
    if "same_as" in value and (not isinstance(same_as, str) or not same_as.strip()):
        errors.append(f"{where}: 'same_as' must be the id of the paper this one is (one id, as text)")
        same_as = None
    formerly = _names(value.get("formerly", []))
    if formerly is None or not all(is_safe_id(former) for former in formerly):
        errors.append(f"{where}: 'formerly' must be a list of the paper ids its page had (papers/<id>/)")
    return Entry(key, line, hide.strip() if hide else None, topics or (), corrections, distinct or (),
                 same_as.strip() if same_as else None, formerly or ())


def _names(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        return None
    # read as the sources' author lists are: a name pasted with a zero-width space, twice, or an "et al." at the end
    # made an author page of its own
    return distinct_names(tuple(flatten(item) for item in value))


def paper_index(papers: Iterable[Paper]) -> dict[str, Paper]:
    """Every name a paper answers to: its id, its aliases and its arXiv id."""
    index: dict[str, Paper] = {}
    for paper in sorted(papers, key=lambda p: p.id):
        arxiv = paper.arxiv_id or ""
        for name in (*paper.aliases, arxiv, arxiv_key(arxiv)):
            if name:
                index.setdefault(name, paper)
    for paper in papers:
        index[paper.id] = paper  # an id always wins over another paper's alias
    return index


def resolve(index: dict[str, Paper], key: str) -> Paper | None:
    arxiv = arxiv_id_in(key) or ""  # 2401.01234v2, arXiv:…, its abs or Hugging Face page, arXiv's DOI 10.48550/arXiv.…
    return index.get(key) or index.get(arxiv) or index.get(arxiv_key(arxiv))


def apply_curation(
    papers: list[Paper], curation: Curation
) -> tuple[list[Paper], list[Hidden], list[Problem]]:
    """Join papers named ``same_as``, correct fields and drop hidden papers; returns the visible papers, the hidden
    ones, and problems."""
    papers, problems = join_same_papers(papers, curation)
    index = paper_index(papers)
    hidden: dict[str, str] = {}
    for entry in curation.entries:
        paper = resolve(index, entry.key)
        if paper is None:
            problems.append(
                Problem(curation.path, line=entry.line, message=f"entry {entry.key!r} matches no paper; unused")
            )
            continue
        for name, value in entry.corrections.items():
            setattr(paper, name, value)
        if {"title", "abstract"} & set(entry.corrections):
            paper.first_listed = None  # the maintainer's text is what topics read: an edit may score it again
        if entry.hide:
            hidden[paper.id] = entry.hide
        for former in entry.formerly:
            owner = index.get(former)
            if owner is not None and owner is not paper:
                message = f"entry {entry.key!r}: formerly {former!r} is paper {owner.id}'s; unused"
                problems.append(Problem(curation.path, line=entry.line, message=message))
            elif former != paper.id and former not in paper.aliases:
                paper.aliases = (*paper.aliases, former)
                if paper.feed_id not in paper.aliases:
                    # Its feed entries were published under that id: they keep it (the first one listed), so feed
                    # readers do not show the paper again as a new entry.
                    paper.feed_id = former
    visible = [paper for paper in papers if paper.id not in hidden]
    gone = [Hidden(paper, hidden[paper.id]) for paper in papers if paper.id in hidden]
    return visible, gone, problems


def join_same_papers(papers: list[Paper], curation: Curation) -> tuple[list[Paper], list[Problem]]:
    """Papers an entry says are one (``same_as``: records the sources gave titles too different to merge) as one
    record, merged as records of one paper are: the paper listed first keeps its id, issue and page, and the other's
    ids become its aliases, whose pages send readers on (hiding one of them would take its published page down)."""
    entries = [entry for entry in curation.entries if entry.same_as]
    if not entries:
        return papers, []
    index = paper_index(papers)
    problems: list[Problem] = []
    joined: dict[str, str] = {}  # a paper's id -> the id of a paper it is the same as

    def root(paper_id: str) -> str:
        while paper_id in joined:
            paper_id = joined[paper_id]
        return paper_id

    for entry in entries:
        paper, other = resolve(index, entry.key), resolve(index, entry.same_as or "")
        if other is None:
            message = f"entry {entry.key!r}: same_as {entry.same_as!r} matches no paper; unused"
            problems.append(Problem(curation.path, line=entry.line, message=message))
        elif paper is not None and root(paper.id) != root(other.id):
            first, second = sorted((root(paper.id), root(other.id)))
            joined[second] = first
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(root(paper.id), []).append(paper)
    # The maintainer said they are one paper: the notes merging gives sources that disagree are no news here.
    merged = [group[0] if len(group) == 1 else merge_records(group, []) for group in groups.values()]
    return sorted(merged, key=lambda paper: paper.id), problems


def pin_topics(
    papers: Iterable[Paper], curation: Curation, known: Iterable[str] | Mapping[str, str],
    formerly: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Replace the computed topics of papers whose entry pins them (run after topic assignment).

    ``known``: the taxonomy's slugs, or its names by slug (a pin that names a topic by its name is told the slug);
    ``formerly``: a topic's former slug → its slug now (a pin may name either)."""
    slugs = _slugs(known, formerly)
    names = known if isinstance(known, Mapping) else None
    index = paper_index(papers)
    problems: list[Problem] = []
    for entry in curation.entries:
        paper = resolve(index, entry.key)
        if paper is None or not entry.topics:
            continue
        unknown = [slug for slug in entry.topics if slug not in slugs]
        for slug in unknown:
            message = f"entry {entry.key!r}: no topic {slug!r}{slug_hint(slug, slugs, names)}; ignored"
            problems.append(Problem(curation.path, line=entry.line, message=message))
        pinned = list(dict.fromkeys(slugs[slug] for slug in entry.topics if slug in slugs))
        if pinned:
            paper.topics = tuple(TopicMatch(slug, 0.0, (PINNED,)) for slug in pinned)
    return problems


def curation_labels(
    papers: Iterable[Paper], curation: Curation, known: Iterable[str], formerly: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Paper id → the first topic its entry pins (one the taxonomy has): examples the topic learner keeps."""
    slugs = _slugs(known, formerly)
    index = paper_index(papers)
    labels: dict[str, str] = {}
    for entry in curation.entries:
        paper = resolve(index, entry.key)
        pinned = [slugs[slug] for slug in entry.topics if slug in slugs]
        if paper is not None and pinned:
            labels[paper.id] = pinned[0]
    return labels


def _slugs(known: Iterable[str], formerly: Mapping[str, str] | None) -> dict[str, str]:
    """Every slug a pin may name → the topic's slug now."""
    slugs = {slug: slug for slug in known}
    slugs.update((former, slug) for former, slug in (formerly or {}).items() if slug in slugs and former not in slugs)
    return slugs


def distinct_pairs(
    papers: Iterable[Paper], curation: Curation, hidden: Iterable[Paper] = ()
) -> tuple[list[frozenset[str]], list[Problem]]:
    """Pairs of paper ids the maintainer declared different papers (silences 'possible duplicate'), and the ids of
    ``distinct_from`` that name no paper (a typo left the duplicate reported, with nothing saying why); ``hidden``
    papers are no duplicates any more, so naming one is fine."""
    index = paper_index(papers)
    gone = paper_index(hidden)
    pairs = []
    problems: list[Problem] = []
    for entry in curation.entries:
        paper = resolve(index, entry.key)
        for other_key in entry.distinct_from:
            other = resolve(index, other_key)
            if paper is not None and other is not None:
                pairs.append(frozenset((paper.id, other.id)))
            elif other is None and resolve(gone, other_key) is None:
                message = f"entry {entry.key!r}: distinct_from {other_key!r} matches no paper; unused"
                problems.append(Problem(curation.path, line=entry.line, message=message))
    return pairs, problems
