"""One record per paper: stable ids, duplicates merged, first-seen issue date kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from generator.errors import BuildError, Problem
from generator.model import INVISIBLE, Issue, Paper, arxiv_key, title_key

# Fields taken from the richest record that has them (the id, added date and source never move).
FIELDS = (
    "title", "abstract", "authors", "arxiv_id", "url", "pdf", "code", "published", "updated",
    "project_page", "categories", "comment", "journal_ref", "doi", "affiliations", "year", "month", "keywords",
    "organization", "tldr",
)  # fmt: skip
# Counts a source gives (votes, comments, repository stars): the highest seen wins, whichever record has it.
COUNTS = ("upvotes", "comments", "stars")
# A text and the name of who wrote it travel together: a summary is never labelled with another source's name.
LABELLED = (("tldr", "summary_source"), ("keywords", "keywords_source"))
# Records merged by title alone whose abstracts (both this long, in characters) share less than this share of the
# words of four letters or more of their openings (the first COMPARED_CHARS, what tells papers apart, in a few
# microseconds) are probably two papers of one title: distinct papers' openings share a twentieth of those words
# (at most 0.39 among the bundled and test lists' 153 abstracts), the same paper's versions most of them. A short
# abstract (a note in a hand-made list) is not compared.
LONG_ABSTRACT = 200
SAME_ABSTRACT = 1 / 3
COMPARED_CHARS = 400
LONG_WORD = re.compile(r"\w{4,}")
# Titles at least this similar (difflib ratio of the normalised titles) are worth a look.
NEAR_DUPLICATE = 0.9
# More papers than this sharing one near-title are reported once, not pair by pair.
MAX_GROUP = 20


def merge_papers(papers: Iterable[Paper], notes: list[Problem] | None = None) -> list[Paper]:
    """Merge records of the same paper, whatever order the files were read in.

    Records are grouped oldest issue first (on one day, those with an arXiv id first; then by source), so the
    first listing fixes the id and the ``added`` date for good. A record is the same paper as an earlier one
    when they share an arXiv id, or when one of them has no arXiv id and their titles are equal once normalised;
    two different arXiv ids are always two papers. Every other field comes from the richest record of the group
    that has it (the abstract from the record with the longest, the authors from the record with the most),
    counts (upvotes, comments, stars) are the highest seen, a summary or keywords come with their own source's
    name, and the other records' ids become aliases. Author lists that disagree are added to ``notes``: sources
    routinely do (hidden authors, "Last, First"), so a note is information, not a problem.
    """
    groups: list[list[Paper]] = []
    by_arxiv: dict[str, int] = {}
    by_title: dict[str, list[int]] = {}
    by_id: dict[str, int] = {}
    for record in sorted(papers, key=_listing_order):
        key = title_key(record.title)  # once per record: it is most of the time here
        index = _find_group(record, key, groups, by_arxiv, by_title, by_id)
        if index is None:
            index = len(groups)
            groups.append([])
            by_id.setdefault(record.id, index)
        known = by_title.setdefault(key, [])
        if index not in known:  # every title a paper is listed under finds it (not only its first listing's)
            known.append(index)
        groups[index].append(record)
        if record.arxiv_id:  # math.GT/0309136 and math/0309136 alike: one paper, whose first listing keeps its id
            by_arxiv.setdefault(arxiv_key(record.arxiv_id), index)
    found = notes if notes is not None else []
    return sorted(_owned_aliases([_combine(group, found) for group in groups]), key=lambda p: p.id)


def _owned_aliases(papers: list[Paper]) -> list[Paper]:
    """Each alias for one paper only, the first listed (``papers`` in listing order): two papers of one title, each
    linked in a form earlier versions did not read, both kept that title's page, and the build stopped ("two
    outputs would be written to one file")."""
    claimed: set[str] = set()
    for index, paper in enumerate(papers):
        if not claimed.isdisjoint(paper.aliases):
            papers[index] = dataclasses.replace(paper, aliases=tuple(a for a in paper.aliases if a not in claimed))
        claimed.update(paper.aliases)
    return papers


def merge_records(records: list[Paper], notes: list[Problem]) -> Paper:
    """Records (or papers) of one paper as one, by the rules of ``merge_papers``: the one listed first keeps its id,
    the other ids become aliases. A paper's text as its first issue listed it stays what its topics read."""
    ordered = sorted(records, key=_listing_order)
    merged = _combine(ordered, notes)
    first_listed = ordered[0].first_listed
    return merged if first_listed is None else dataclasses.replace(merged, first_listed=first_listed)


def _listing_order(record: Paper) -> tuple[dt.date, bool, tuple[str, str], str]:
    """Oldest issue first; on one day, records with an arXiv id first: a paper's id does not depend on the names
    of one day's files (a partial day added as ``2026-04-10-extra.txt`` sorts before ``2026-04-10.yaml``, and
    listing a published arXiv paper by title alone there gave it a title-hash id)."""
    return record.added, record.arxiv_id is None, _source_order(record.source), record.id


# Where in its file a record is (``:12``, ``: item 3``, ``: line 7``), after the file's display path.
_POSITION = re.compile(r"(?s)(.*?)((?::(?: item| line)? ?\d+)?)")


def _source_order(source: str) -> tuple[str, str]:
    """A record's source as its file's absolute path, then its place in the file: display paths are relative to the
    working folder only when below it, so two folders of lists (one not below it) sorted in another order when
    ``digest build --config`` ran from elsewhere, and ties took another record's title."""
    match = _POSITION.fullmatch(source)
    file, position = match.groups() if match else (source, "")
    return _absolute(file), position


@functools.cache
def _absolute(file: str) -> str:
    return Path(file).resolve().as_posix()


def _find_group(
    record: Paper,
    key: str,
    groups: list[list[Paper]],
    by_arxiv: dict[str, int],
    by_title: dict[str, list[int]],
    by_id: dict[str, int],
) -> int | None:
    if record.arxiv_id and arxiv_key(record.arxiv_id) in by_arxiv:
        return by_arxiv[arxiv_key(record.arxiv_id)]
    for index in by_title.get(key, []):  # key: title_key(record.title)
        known = next((r.arxiv_id for r in groups[index] if r.arxiv_id), None)
        if not (known and record.arxiv_id):
            return index
    if record.id in by_id:
        # Same id, different paper: a title-hash collision. Merging would lose one of them.
        earlier = groups[by_id[record.id]][0]
        raise BuildError(
            f"two different papers have the id {record.id!r}: {earlier.source} and {record.source};"
            " change one title slightly or give it its arXiv id"
        )
    return None


def richness(record: Paper) -> tuple[int, int]:
    """How much a record says: filled fields first, then the length of its abstract."""
    filled = sum(1 for name in FIELDS if getattr(record, name))
    return filled, len(record.abstract)


def _richest_first(record: Paper) -> tuple[int, int, dt.date, tuple[str, str]]:
    filled, length = richness(record)
    return -filled, -length, record.added, _source_order(record.source)


def _combine(group: list[Paper], notes: list[Problem]) -> Paper:
    first = group[0]
    if len(group) == 1:  # most papers: one record, whose values are all kept (only its aliases gain its arXiv id)
        aliases = [*first.aliases, first.arxiv_id.replace("/", "-")] if first.arxiv_id else first.aliases
        unique = tuple(dict.fromkeys(alias for alias in aliases if alias != first.id))
        return first if unique == first.aliases else dataclasses.replace(first, aliases=unique)
    richest_first = sorted(group, key=_richest_first) if len(group) > 1 else group
    values = {}
    for name in FIELDS:
        values[name] = next((getattr(r, name) for r in richest_first if getattr(r, name)), getattr(first, name))
    # The fullest author list: a source that lists fewer authors has dropped some (hidden or truncated).
    credited = max(richest_first, key=lambda r: len(r.authors))
    values["authors"], values["more_authors"] = credited.authors, credited.more_authors
    notes.extend(_author_notes(first, credited, richest_first))
    notes.extend(_abstract_notes(first, group))
    # A year and its month come from one record, never a year of one source with another's month.
    dated = next((r for r in richest_first if r.year), first)
    values["year"], values["month"] = dated.year, dated.month
    # A pasted listing has the full abstract, a hand-made list often a note: the longest wins.
    values["abstract"] = max((r.abstract for r in richest_first), key=len)
    values.update(_newest_version(group))
    for text, label in LABELLED:
        labelled = next((r for r in richest_first if getattr(r, text)), first)
        values[text], values[label] = getattr(labelled, text), getattr(labelled, label)
    for name in COUNTS:
        values[name] = max((getattr(r, name) for r in group if getattr(r, name) is not None), default=None)
    aliases = [*first.aliases, *(r.id for r in group[1:]), *(a for r in group[1:] for a in r.aliases)]
    if values["arxiv_id"]:
        aliases.append(values["arxiv_id"].replace("/", "-"))
    unique = tuple(dict.fromkeys(alias for alias in aliases if alias != first.id))
    listed = _first_listed([r for r in richest_first if r.added == first.added])
    same = listed == (values["title"], values["abstract"], values["keywords"], values["categories"])
    return dataclasses.replace(first, **values, aliases=unique, first_listed=None if same else listed)


# What a new arXiv version may change: a record of the paper's newest version gives them together.
VERSIONED = ("title", "abstract", "comment", "pdf")


def _newest_version(group: list[Paper]) -> dict[str, object]:
    """The title, abstract, comment and PDF link of the record of the paper's newest arXiv version, and its date, when
    records of it give different versions' dates (``updated``, as arXiv's API and bulk metadata do): a new version's
    title ("Renamed ..."), or its withdrawal notice, was shown over the other version's abstract and comment (the
    richer or longer), and the page's "Updated" date was that of whichever record was richest."""
    dated = [record for record in group if record.updated]
    if len({record.updated for record in dated}) < 2:
        return {}
    newest = max(dated, key=lambda record: record.updated or dt.date.min)  # the first of them listed, on a tie
    return {"updated": newest.updated, **{name: getattr(newest, name) for name in VERSIONED if getattr(newest, name)}}


def _first_listed(records: list[Paper]) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """The text topics read, as the records of the paper's first issue (richest first) give it, by the rules above:
    a later issue's record (a new version, a fuller abstract) must not score a published paper again."""
    title = next((r.title for r in records if r.title), records[0].title)
    keywords = next((r.keywords for r in records if r.keywords), records[0].keywords)
    categories = next((r.categories for r in records if r.categories), records[0].categories)
    return title, max((r.abstract for r in records), key=len), keywords, categories


def _author_notes(first: Paper, credited: Paper, records: list[Paper]) -> list[Problem]:
    """A note for each record whose authors differ from the list kept (beyond how names are written)."""
    kept = _names_key(credited.authors)
    notes = []
    for record in records:
        if record.authors and _names_key(record.authors) != kept:
            shown = ", ".join(credited.authors[:6]) + (", ..." if len(credited.authors) > 6 else "")
            notes.append(Problem(record.source, message=(
                f"note: the sources of paper {first.id} ({first.title!r}) disagree on its authors: kept the"
                f" {len(credited.authors)} of {credited.source} ({shown}), not the {len(record.authors)} here"
            )))
    return notes


def _abstract_notes(first: Paper, group: list[Paper]) -> list[Problem]:
    """A note for each record that joined the paper by its title alone and whose abstract has little in common with
    the paper's: two papers of one title ("Introduction"), one of them without an arXiv id, read as one."""
    long = [record for record in group if len(record.abstract) >= LONG_ABSTRACT]
    if len(long) < 2:
        return []
    reference, words = long[0], None
    notes = []
    for record in long[1:]:
        if record.arxiv_id and reference.arxiv_id and arxiv_key(record.arxiv_id) == arxiv_key(reference.arxiv_id):
            continue
        if record.abstract.startswith(reference.abstract) or reference.abstract.startswith(record.abstract):
            continue  # the same text, or one cut short (most merges: a pasted listing and arXiv's record)
        words = words if words is not None else _abstract_words(reference.abstract)
        other = _abstract_words(record.abstract)
        shared = len(words & other) / max(1, min(len(words), len(other)))
        if shared < SAME_ABSTRACT:
            notes.append(Problem(record.source, message=(
                f"note: this record and {reference.source} have the title of paper {first.id} ({first.title!r}) and"
                " different abstracts; one has no arXiv id, so they were read as one paper by their title alone"
                " (its page shows the longer abstract). If they are two papers, give each its arXiv id in its list"
                " (a paper without one needs a title of its own)")))
    return notes


def _abstract_words(abstract: str) -> set[str]:
    """The words of an abstract that say something (four letters or more: not "the", "of", "we")."""
    return set(LONG_WORD.findall(abstract[:COMPARED_CHARS].casefold()))


def _names_key(authors: tuple[str, ...]) -> frozenset[str]:
    """Authors compared as people, not as spelling: "Luo, Hongyin" is "Hongyin Luo", accents and case aside."""
    names = set()
    for name in authors:
        last, comma, given = name.partition(",")
        written = f"{given} {last}" if comma else name
        plain = unicodedata.normalize("NFKD", written).encode("ascii", "ignore").decode().casefold()
        names.add(" ".join(sorted(re.findall(r"\w+", plain))))
    return frozenset(names)


def possible_duplicates(papers: Iterable[Paper], distinct: Iterable[frozenset[str]] = ()) -> list[Problem]:
    """Pairs of different papers whose titles are equal or nearly so: worth a maintainer's look.

    Candidates are titles that are equal once one word is left out of either (one word
    changed, added or dropped: "Scaling Laws for ..." and "Scaling Law for ..."), which keeps
    this linear; each candidate pair is then confirmed with difflib. ``distinct`` lists pairs of
    ids a maintainer said are different papers.
    """
    papers = sorted(papers, key=lambda p: p.id)
    silenced = set(distinct)
    buckets: dict[str, list[Paper]] = {}
    for paper in papers:
        for key in _one_word_out(_compared(paper.title)):
            buckets.setdefault(key, []).append(paper)
    pairs: set[frozenset[str]] = set()
    crowds: set[frozenset[str]] = set()
    problems = []
    for key, members in buckets.items():  # insertion order: papers are sorted by id
        if len(members) > MAX_GROUP:
            crowd = frozenset(paper.id for paper in members)
            if crowd not in crowds:
                crowds.add(crowd)
                problems.append(_crowd_problem(key, members))
            continue
        for index, paper in enumerate(members):
            for other in members[index + 1 :]:
                pair = frozenset((paper.id, other.id))
                if (len(pair) < 2 or pair in pairs or pair in silenced or _numbered_apart(paper, other)
                        or not _similar(paper, other)):
                    continue
                pairs.add(pair)
                problems.append(_duplicate_problem(paper, other))
    problems.extend(_same_doi(papers, pairs | silenced))
    return sorted(set(problems))


def _same_doi(papers: list[Paper], known: set[frozenset[str]]) -> list[Problem]:
    """Different papers with one DOI (DOIs are case-insensitive): worth a look, not a merge, since a source may
    give every paper of a proceedings volume the volume's DOI."""
    by_doi: dict[str, list[Paper]] = {}
    for paper in papers:  # sorted by id
        if paper.doi:
            by_doi.setdefault(paper.doi.casefold(), []).append(paper)
    problems = []
    for members in by_doi.values():
        if len(members) > MAX_GROUP:
            shown = ", ".join(paper.id for paper in members[:5])
            problems.append(Problem(members[0].source, message=(
                f"{len(members)} papers have the DOI {members[0].doi} ({shown}, ...): a volume's DOI given to each"
                " of its papers?")))
            continue
        for index, paper in enumerate(members):
            for other in members[index + 1 :]:
                if frozenset((paper.id, other.id)) not in known:
                    problems.append(_duplicate_problem(paper, other, f"the same DOI {paper.doi}"))
    return problems


def _one_word_out(title: str) -> list[str]:
    """The whole title (its words joined by single spaces) first, then the title with each word left out (a list: the
    order is fixed). Cut out of the joined string: as text, not as tuples of words, each key costs two slices."""
    words = title.split()
    joined = " ".join(words)
    keys = [joined]
    if len(words) >= 3:  # below that, leaving a word out leaves too little to compare
        start = 0
        for word in words[:-1]:
            end = start + len(word) + 1  # the word and the space after it
            keys.append(joined[:start] + joined[end:])
            start = end
        keys.append(joined[:start - 1])  # the last word, and the space before it
    return list(dict.fromkeys(keys))


def _crowd_problem(key: str, members: list[Paper]) -> Problem:
    shown = ", ".join(paper.id for paper in members[:5])
    return Problem(
        members[0].source,
        message=f"possible duplicates: {len(members)} papers have nearly the title {key!r} ({shown}, ...)",
    )


def _compared(title: str) -> str:
    """The title as the duplicate search compares it: ``title_key`` without invisible characters (a zero-width
    space or a soft hyphen from a PDF splits a word in two for ``title_key``, which ids keep as it is)."""
    return title_key(INVISIBLE.sub("", title))


def _numbered_apart(paper: Paper, other: Paper) -> bool:
    """Two arXiv ids and titles that differ: arXiv numbered them as two papers, and their titles name two (on a real
    archive of 9,877 Hugging Face daily papers every one of its 33 pairs "nearly the same title" was such a pair:
    "Qwen2.5-VL Technical Report" and "Qwen2.5-Omni Technical Report", "Nemotron 3 Nano: ..." and "Nemotron 3 Super:
    ..."). Equal titles under two arXiv ids are still worth a look: a paper submitted twice."""
    return (bool(paper.arxiv_id and other.arxiv_id) and paper.arxiv_id != other.arxiv_id
            and _compared(paper.title) != _compared(other.title))


def _similar(paper: Paper, other: Paper) -> bool:
    first, second = _compared(paper.title), _compared(other.title)
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    return matcher.quick_ratio() >= NEAR_DUPLICATE and matcher.ratio() >= NEAR_DUPLICATE


def _duplicate_problem(paper: Paper, other: Paper, shared: str = "nearly the same title") -> Problem:
    return Problem(
        paper.source,
        message=(
            f"possible duplicate: paper {paper.id} ({paper.title!r}) and paper {other.id} ({other.title!r}, "
            f"{other.source}) have {shared}; if they are one paper give one `same_as:` the other in the curation"
            " file (its page then sends readers on), else list them as distinct_from there"
        ),
    )


def group_issues(papers: Iterable[Paper]) -> list[Issue]:
    """Digest issues, newest first, each with the papers it first listed."""
    by_date: dict[dt.date, list[str]] = {}
    for paper in papers:
        by_date.setdefault(paper.added, []).append(paper.id)
    return [Issue(date=date, paper_ids=tuple(sorted(ids))) for date, ids in sorted(by_date.items(), reverse=True)]
