"""``digest topics evaluate``: how well the first topics agree with a maintainer's labels.

Labels are a YAML or CSV file of paper (its id, or its title) → expected topic slug:

- YAML: a mapping ``{id or title: slug}``, or ``papers:`` as such a mapping or a list of
  ``{id: …, slug: …}`` / ``{title: …, slug: …}`` items (``topic`` is accepted for ``slug``);
- CSV: a header with ``id`` or ``title`` and ``slug`` or ``topic``, one paper per row (separated by commas, or by
  semicolons or tabs as Excel saves them in some locales).

A label that names no paper of the archive, or a slug the taxonomy lacks, is reported and left out.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from generator import counts, latex_text
from generator.errors import ConfigError, Problem
from generator.model import Paper, normalize_arxiv_id, paper_id, title_key
from generator.settings_yaml import load_settings_with_node, slug_hint, yaml_error
from generator.sources.common import from_utf16
from generator.topics.taxonomy import OTHER_SLUG

# How many confused pairs the report lists.
CONFUSED_PAIRS = 10


@dataclass(frozen=True)
class Label:
    """One expected first topic: ``key`` is a paper id or a title, ``where`` its place in the file."""

    key: str
    slug: str
    line: int = 0
    item: int = 0


@dataclass
class TopicFigures:
    slug: str
    labelled: int = 0  # papers labelled with this topic
    predicted: int = 0  # labelled papers whose first topic is this one
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Evaluation:
    """Agreement of first topics with labels, over the labelled papers found in the archive."""

    papers: int = 0
    agree: int = 0
    other: int = 0
    topics: list[TopicFigures] = field(default_factory=list)
    confused: list[tuple[str, str, int]] = field(default_factory=list)  # (expected, given, papers), most first

    @property
    def top1(self) -> float:
        return self.agree / self.papers if self.papers else 0.0

    @property
    def other_share(self) -> float:
        return self.other / self.papers if self.papers else 0.0

    @property
    def macro_f1(self) -> float:
        scored = [figures for figures in self.topics if figures.labelled]
        return sum(f.f1 for f in scored) / len(scored) if scored else 0.0


def read_labels(path: Path) -> tuple[list[Label], list[Problem]]:
    """The labels of a YAML or CSV file (by extension; ``.csv`` is CSV, anything else YAML)."""
    try:  # Excel's "CSV UTF-8" starts with a byte-order mark, its "Unicode text" is UTF-16
        text = from_utf16(path.read_bytes(), str(path), []).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the labels: {getattr(error, 'strerror', None) or error}") from None
    if path.suffix.lower() == ".csv":
        return _csv_labels(path, text)
    return _yaml_labels(path, text)


def _csv_labels(path: Path, text: str) -> tuple[list[Label], list[Problem]]:
    # Universal newlines: a file saved with old Mac line ends (CR alone) stopped the csv module with a traceback.
    reader = csv.DictReader(io.StringIO(text, newline=None), delimiter=_delimiter(text))
    try:
        return _csv_rows(path, reader)
    except csv.Error as error:  # what else the csv module refuses, by line
        raise ConfigError(f"{path}:{reader.line_num + 1}: invalid CSV: {error}") from None  # the line it was reading


def _csv_rows(path: Path, reader: csv.DictReader[str]) -> tuple[list[Label], list[Problem]]:
    fields = {name.strip().casefold(): name for name in reader.fieldnames or []}
    key_field = fields.get("id") or fields.get("title")
    slug_field = fields.get("slug") or fields.get("topic")
    if key_field is None or slug_field is None:
        raise ConfigError(f"{path}: expected a CSV header with 'id' (or 'title') and 'slug' (or 'topic')")
    labels, problems = [], []
    for row in reader:
        line = reader.line_num
        key, slug = (row.get(key_field) or "").strip(), (row.get(slug_field) or "").strip()
        if not key or not slug:
            problems.append(Problem(str(path), line=line, message="a row without a paper or a slug, skipped"))
            continue
        labels.append(Label(key, slug, line=line))
    return labels, problems


def _delimiter(text: str) -> str:
    """The CSV's separator: a comma, or the semicolon (Excel's in locales with a decimal comma) or tab its header
    line is split by."""
    header = text.splitlines()[0] if text.strip() else ""
    for delimiter in (",", ";", "\t"):
        fields = {name.strip().casefold() for name in next(csv.reader([header], delimiter=delimiter), [])}
        if fields & {"id", "title"} and fields & {"slug", "topic"}:
            return delimiter
    return ","


def _yaml_labels(path: Path, text: str) -> tuple[list[Label], list[Problem]]:
    try:
        # Ids as written, as keys or as `id: 2401.10000`: that arXiv id, not the number 2401.1.
        node, data = load_settings_with_node(text, ("id", "title"))
    except yaml.YAMLError as error:
        raise ConfigError(yaml_error(str(path), error)) from None
    if isinstance(data, Mapping) and "papers" in data:
        data = data["papers"]
        node = next((value for key, value in node.value if key.value == "papers"), None) if node else None
    lines = _item_lines(node)
    if isinstance(data, Mapping):
        labels, problems = [], []
        for number, (key, slug) in enumerate(data.items(), start=1):
            line = lines.get(number, 0)
            if isinstance(slug, str) and slug.strip():
                labels.append(Label(str(key), slug.strip(), line=line, item=number))
            else:  # a list of slugs, nothing: the repr of a Python value was taken for a slug
                problems.append(Problem(str(path), line, number, f"paper {str(key)!r}: the topic must be one"
                                        f" slug, as text (not {_shown(slug)}), skipped"))
        return labels, problems
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a mapping of paper id → topic slug, or a 'papers:' list")
    labels, problems = [], []
    for number, entry in enumerate(data, start=1):
        label = _item_label(entry, number, lines.get(number, 0))
        if label is None:
            message = "expected 'id' (or 'title') and 'slug' (or 'topic'), skipped"
            problems.append(Problem(str(path), lines.get(number, 0), number, message))
        else:
            labels.append(label)
    return labels, problems


def _item_lines(node: yaml.Node | None) -> dict[int, int]:
    """The line of each label (item number → line) of a mapping or list node, so messages name the line."""
    if isinstance(node, yaml.MappingNode):
        return {number: key.start_mark.line + 1 for number, (key, _) in enumerate(node.value, start=1)}
    if isinstance(node, yaml.SequenceNode):
        return {number: item.start_mark.line + 1 for number, item in enumerate(node.value, start=1)}
    return {}


def _shown(value: Any) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"


def _item_label(entry: Any, number: int, line: int = 0) -> Label | None:
    if not isinstance(entry, Mapping):
        return None
    key = entry.get("id") or entry.get("title")
    slug = entry.get("slug") or entry.get("topic")
    if not key or not isinstance(slug, str) or not slug.strip():
        return None
    return Label(str(key), slug.strip(), line=line, item=number)


def _finder(papers: Sequence[Paper]) -> Callable[[str], Paper | None]:
    """The paper a label names, by id, alias, arXiv id as people write it, or title (as listed or as shown)."""
    by_id = {paper.id: paper for paper in papers}
    for paper in papers:
        for alias in paper.aliases:
            by_id.setdefault(alias, paper)
    by_title: dict[str, Paper] = {}
    for paper in sorted(papers, key=lambda p: p.id):  # as listed, and as the site shows it ("Schrödinger")
        by_title.setdefault(title_key(paper.title), paper)
    for paper in sorted(papers, key=lambda p: p.id):
        by_title.setdefault(title_key(latex_text.plain(paper.title)), paper)

    def find(key: str) -> Paper | None:
        arxiv = normalize_arxiv_id(key)  # 1706.03762v7, arXiv:1706.03762, an abs URL
        return by_id.get(key) or (by_id.get(paper_id("", arxiv)) if arxiv else None) or by_title.get(title_key(key))

    return find


def evaluate(
    papers: Sequence[Paper], labels: Sequence[Label], slugs: Sequence[str], source: str,
    former: Mapping[str, str] | None = None, hidden: Sequence[tuple[Paper, str]] = (),
) -> tuple[Evaluation, list[Problem]]:
    """Compare each labelled paper's first topic with its label; unknown papers and slugs are problems.

    ``former``: a topic's former slug (``formerly:``) → its slug now, so labels written before a rename still count.
    ``hidden``: the papers the curation file hides, with the reason: a label of one says so, not that it is unknown.
    """
    find = _finder(papers)
    find_hidden, reasons = _finder([paper for paper, _ in hidden]), {paper.id: reason for paper, reason in hidden}
    known = set(slugs) | {OTHER_SLUG}
    figures = {slug: TopicFigures(slug) for slug in (*slugs, OTHER_SLUG)}
    result = Evaluation()
    problems: list[Problem] = []
    confused: Counter[tuple[str, str]] = Counter()
    seen: set[str] = set()
    for label in labels:
        if former and label.slug in former:
            label = replace(label, slug=former[label.slug])
        found = find(label.key)
        gone = find_hidden(label.key) if found is None and hidden else None
        skipped = (
            f"paper '{label.key}' is hidden by the curation file ({reasons[gone.id]}): it has no topics" if gone
            else f"no paper '{label.key}' in the archive" if found is None
            else f"no topic {label.slug!r} in the taxonomy{slug_hint(label.slug, slugs)}" if label.slug not in known
            else f"paper {found.id} is labelled twice" if found.id in seen
            else ""
        )
        if found is None or skipped:
            problems.append(Problem(source, label.line, label.item, f"{skipped}, skipped"))
            continue
        paper = found
        seen.add(paper.id)
        given = paper.primary_topic or OTHER_SLUG
        result.papers += 1
        result.agree += given == label.slug
        result.other += given == OTHER_SLUG
        figures[label.slug].labelled += 1
        figures[given].predicted += 1
        figures[given].correct += given == label.slug
        if given != label.slug:
            confused[(label.slug, given)] += 1
    result.topics = [f for f in figures.values() if f.labelled or f.predicted]
    pairs = sorted(confused.items(), key=lambda item: (-item[1], item[0]))[:CONFUSED_PAIRS]
    result.confused = [(expected, given, count) for (expected, given), count in pairs]
    return result, problems


def evaluation_text(result: Evaluation) -> str:
    """The figures as a small report."""
    lines = [
        f"{counts.count(result.papers, 'labelled paper')}: first topic agrees for {result.agree:,} "
        f"({result.top1:.1%}); {result.other:,} in Other ({result.other_share:.1%}); macro-F1 {result.macro_f1:.3f}",
        "",
    ]
    width = max([len(f.slug) for f in result.topics] + [5])
    lines.append(f"{'topic'.ljust(width)}  labelled  given  precision  recall")
    for f in result.topics:
        lines.append(f"{f.slug.ljust(width)}  {f.labelled:8d}  {f.predicted:5d}  {f.precision:9.1%}  {f.recall:6.1%}")
    lines += ["", "Most confused (expected → given):"]
    lines += [f"  {expected} → {given}: {count}" for expected, given, count in result.confused] or ["  none"]
    return "\n".join(lines) + "\n"


def evaluation_json(result: Evaluation) -> str:
    """The figures as JSON (shares as fractions, rounded to 4 places)."""
    body = {
        "papers": result.papers,
        "top1": round(result.top1, 4),
        "other": round(result.other_share, 4),
        "macro_f1": round(result.macro_f1, 4),
        "topics": [
            {"slug": f.slug, "labelled": f.labelled, "given": f.predicted,
             "precision": round(f.precision, 4), "recall": round(f.recall, 4)}
            for f in result.topics
        ],
        "confused": [{"expected": e, "given": g, "papers": n} for e, g, n in result.confused],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
