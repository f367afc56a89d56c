"""The topic taxonomy and scoring papers against it (multi-label, with evidence)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ConfigError, Problem
from generator.model import Paper, TopicMatch
from generator.slugs import is_safe_slug, slugify

OTHER_SLUG = "other"
TOPIC_KEYS = ("name", "slug", "description", "keywords", "exclude")
TITLE_WEIGHT = 3.0
ABSTRACT_WEIGHT = 1.0
# A paper needs this much evidence for its best topic; below it, it goes to "Other".
MIN_SCORE = 1.5
# Further topics need at least this share of the best topic's score.
SECONDARY_SHARE = 0.5


@dataclass(frozen=True)
class Keyword:
    text: str
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str = ""
    keywords: tuple[Keyword, ...] = ()
    exclude: tuple[Keyword, ...] = ()


OTHER = Topic(slug=OTHER_SLUG, name="Other", description="Papers that match no topic of the taxonomy.")


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Whole-word match; plural/singular and hyphen/space variants; acronyms match only as written."""
    words = re.findall(r"[^\s\-]+", keyword.strip())
    if not words:
        raise ValueError("empty keyword")
    acronym = any(c.isalpha() for c in keyword) and keyword == keyword.upper()
    parts = [re.escape(_singular(word) if i == len(words) - 1 else word) for i, word in enumerate(words)]
    body = r"[\s\-]+".join(parts) + r"(?:s|es)?"
    flags = 0 if acronym else re.IGNORECASE
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def _singular(word: str) -> str:
    lowered = word.lower()
    if len(word) > 3 and lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _keywords(values: Any, where: str, errors: list[str]) -> tuple[Keyword, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        errors.append(f"{where}: expected a list of text keywords")
        return ()
    keywords = []
    for value in values:
        try:
            pattern = keyword_pattern(value)
        except ValueError:
            errors.append(f"{where}: empty keyword")
            continue
        words = len(re.findall(r"[^\s\-]+", value))
        keywords.append(Keyword(value, pattern, 1.0 + 0.5 * (words - 1)))
    return tuple(keywords)


def load_taxonomy(path: Path) -> tuple[list[Topic], list[Problem]]:
    """Read ``topics.yml``: unknown keys are warnings; missing names and duplicate slugs are errors."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the taxonomy: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ConfigError(f"{path}: expected a top-level 'topics:' list")
    warnings: list[Problem] = []
    errors: list[str] = []
    topics: list[Topic] = []
    seen: dict[str, int] = {OTHER_SLUG: 0}
    for number, entry in enumerate(data["topics"], start=1):
        topic = _read_topic(entry, f"{path}: topic {number}", warnings, errors)
        if topic is None:
            continue
        if topic.slug in seen:
            first = f"topic {seen[topic.slug]}" if seen[topic.slug] else "the built-in 'Other' topic"
            errors.append(f"{path}: topic {number}: slug {topic.slug!r} is already used by {first}")
            continue
        seen[topic.slug] = number
        topics.append(topic)
    if errors:
        raise ConfigError("\n".join(errors))
    if not topics:
        raise ConfigError(f"{path}: the taxonomy has no topics")
    return topics, warnings


def _read_topic(entry: Any, where: str, warnings: list[Problem], errors: list[str]) -> Topic | None:
    if not isinstance(entry, dict):
        errors.append(f"{where}: expected a mapping with at least 'name'")
        return None
    for key in sorted(str(k) for k in entry if k not in TOPIC_KEYS):
        warnings.append(Problem(where.split(": ")[0], message=f"{where.split(': ')[1]}: unknown key {key!r} ignored"))
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(f"{where}: 'name' is required")
        return None
    slug = entry.get("slug", slugify(name))
    if not isinstance(slug, str) or not is_safe_slug(slug):
        errors.append(f"{where}: slug {slug!r} is not usable in a URL (use a-z, 0-9 and hyphens)")
        return None
    description = entry.get("description") or ""
    if not isinstance(description, str):
        errors.append(f"{where}: 'description' must be text")
        description = ""
    return Topic(
        slug=slug,
        name=name.strip(),
        description=description.strip(),
        keywords=_keywords(entry.get("keywords"), f"{where}: keywords", errors),
        exclude=_keywords(entry.get("exclude"), f"{where}: exclude", errors),
    )


def score_topic(topic: Topic, title: str, abstract: str) -> tuple[float, tuple[str, ...]]:
    """Title evidence weighs more than abstract evidence; an ``exclude`` match vetoes the topic."""
    for keyword in topic.exclude:
        if keyword.pattern.search(title) or keyword.pattern.search(abstract):
            return 0.0, ()
    score = 0.0
    evidence = []
    for keyword in topic.keywords:
        in_title = keyword.pattern.search(title) is not None
        in_abstract = len(keyword.pattern.findall(abstract))
        if in_title:
            score += TITLE_WEIGHT * keyword.weight
            evidence.append(f"title: {keyword.text}")
        if in_abstract:
            score += ABSTRACT_WEIGHT * keyword.weight * (1 + 0.5 * (min(in_abstract, 3) - 1))
            evidence.append(f"abstract: {keyword.text}")
    return score, tuple(evidence)


def assign_topics(papers: Iterable[Paper], topics: list[Topic], max_topics: int = 3) -> dict[str, int]:
    """Give every paper one to ``max_topics`` topics, best first ("Other" when nothing fits).

    A paper's topics depend only on its own text and the taxonomy, never on other papers,
    so a new issue cannot move papers that earlier issues published.
    Returns how many papers have each topic first.
    """
    counts: dict[str, int] = {topic.slug: 0 for topic in (*topics, OTHER)}
    for paper in papers:
        scored = []
        for topic in topics:
            score, evidence = score_topic(topic, paper.title, paper.abstract)
            if score > 0:
                scored.append(TopicMatch(topic.slug, round(score, 3), evidence))
        scored.sort(key=lambda match: (-match.score, match.slug))
        if not scored or scored[0].score < MIN_SCORE:
            paper.topics = (TopicMatch(OTHER_SLUG, 0.0, ("no topic scored high enough",)),)
        else:
            floor = max(MIN_SCORE, SECONDARY_SHARE * scored[0].score)
            paper.topics = tuple(match for match in scored if match.score >= floor)[:max_topics]
        counts[paper.primary_topic] += 1
    return counts
