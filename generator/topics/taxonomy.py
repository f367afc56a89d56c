"""The taxonomy file (``topics.yml``): topics with names, descriptions, keywords and categories."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from anyascii import anyascii

from generator.config import unwritable
from generator.errors import ConfigError, Problem
from generator.model import TopicMatch
from generator.settings_yaml import did_you_mean, load_settings_with_node, yaml_error
from generator.slugs import RESERVED_SLUGS, is_reserved_slug, is_safe_slug, slugify, windows_trouble
from generator.topics.features import STOPWORDS, tokens
from generator.topics.keywords import Keyword, keyword_evidence, make_keyword, symbols_dropped

OTHER_SLUG = "other"


TOPIC_KEYS = ("name", "slug", "description", "keywords", "exclude", "categories", "formerly")
# Lists whose items are text as written: `keywords: [NO, NO2, ozone]` (YAML's NO is false), `[GPT, 2024]`.
TEXT_LISTS = ("keywords", "exclude", "categories", "formerly")
# arXiv-style category names ("q-bio.NC", "cs.LG", "hep-th", "math-ph"), as the sources give them.
CATEGORY = re.compile(r"[A-Za-z][A-Za-z-]*(\.[A-Za-z][A-Za-z-]*)?")


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str = ""
    keywords: tuple[Keyword, ...] = ()
    exclude: tuple[Keyword, ...] = ()
    categories: tuple[str, ...] = ()
    """Source categories (arXiv's) that are strong evidence for the topic."""
    formerly: tuple[str, ...] = ()
    """Slugs the topic was published under before (oldest first): their feeds and page stay, following this topic."""


OTHER = Topic(slug=OTHER_SLUG, name="Other", description="Papers that match no topic of the taxonomy.")


OTHER_MATCH = TopicMatch(OTHER_SLUG, 0.0, ("nothing in common with any topic's text or papers",))


def _keywords(values: Any, where: str, errors: list[str], warnings: list[Problem] | None = None) -> tuple[Keyword, ...]:
    if values is None:
        return ()
    if isinstance(values, str):  # `keywords: primes, L-functions`: one text, where a list was meant
        listed = ", ".join(part.strip() for part in values.split(",") if part.strip())
        errors.append(f"{where}: expected a list of text keywords, in brackets: [{listed}]")
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        errors.append(f"{where}: expected a list of text keywords")
        return ()
    keywords = []
    seen: set[str] = set()
    for value in values:
        try:
            keywords.append(make_keyword(value))
        except ValueError:
            what = "an empty keyword" if not value.strip() else f"the keyword {value!r} has no letter or digit to match"
            errors.append(f"{where}: {what}")
            continue
        written = " ".join(value.split()) if keywords[-1].acronym else " ".join(value.casefold().split())
        if written in seen and warnings is not None:  # each copy is evidence again: "title: PDE", "title: PDE"
            warnings.append(_warning(where, f"{value!r} is listed twice"))
        seen.add(written)
        dropped = symbols_dropped(value)
        if dropped and warnings is not None:  # "C++" is the word "C": it would find every "C" in the papers
            warnings.append(_warning(where, dropped))
        words = set(tokens(value.casefold()))
        if warnings is not None and not keywords[-1].acronym and words <= STOPWORDS:  # "the" finds every paper
            found = "vetoes the topic for" if where.endswith("exclude") else "finds"
            what = "one of the words" if len(words) == 1 else "made of words"
            warnings.append(_warning(where, f"{value!r} is {what} most abstracts use: it {found} most papers"))
    return tuple(keywords)


def load_taxonomy(path: Path, missing: str = "") -> tuple[list[Topic], list[Problem]]:
    """Read ``topics.yml``: unknown keys are warnings; missing names and duplicate slugs are errors.

    ``missing``: the error for a file that is not there, naming what named it (the setting, the option).
    """
    try:
        node, data = load_settings_with_node(path.read_text(encoding="utf-8"), TEXT_LISTS)
    except FileNotFoundError:
        raise ConfigError(missing or f"{path}: no such file (the topic taxonomy)") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the taxonomy: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(yaml_error(str(path), error)) from None
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ConfigError(_no_topics_list(path, node, data))
    warnings: list[Problem] = []
    errors: list[str] = []
    other = _read_other(data.get("other"), f"{path}: other", warnings, errors)
    topics: list[Topic] = []
    seen: dict[str, int] = {OTHER_SLUG: 0}
    names: dict[str, str] = {}  # the name of the topic of each slug
    lines = _topic_lines(node)
    for number, entry in enumerate(data["topics"], start=1):
        line = f":{lines[number - 1]}" if number <= len(lines) else ""  # "topic 14" is hard to find in a long file
        topic = _read_topic(entry, f"{path}{line}: topic {number}", warnings, errors)
        if topic is None:
            continue
        if topic.slug in seen:
            earlier = seen[topic.slug]
            errors.append(f"{path}{line}: topic {number}: slug {topic.slug!r} is already used by "
                          f"{_which(earlier, lines)}{_why_taken(topic, names.get(topic.slug), entry)}")
            continue
        seen[topic.slug] = number
        names[topic.slug] = topic.name
        topics.append(topic)
    numbers = {topic.slug: seen[topic.slug] for topic in topics}
    named: dict[str, int] = {other.name.casefold(): 0}
    for topic in topics:  # two topics of one name (and other slugs): the site would list both, alike
        number = numbers[topic.slug]
        earlier = named.setdefault(topic.name.casefold(), number)
        if earlier != number:
            line = f":{lines[number - 1]}" if number <= len(lines) else ""
            why = ("rename this one, or that one, which holds the papers that match no topic, with"
                   " 'other: {name: …}'" if not earlier else "give one another name")
            warnings.append(_warning(f"{path}{line}: topic {number}", (
                f"the name {topic.name!r} is also the name of {_which(earlier, lines)}: the site would list two"
                f" topics of one name; {why}")))
    for topic in topics:  # a former slug names no other topic, now or before
        number = numbers[topic.slug]
        line = f":{lines[number - 1]}" if number <= len(lines) else ""
        for former in topic.formerly:
            if former in seen:
                errors.append(f"{path}{line}: topic {number}: 'formerly' names {former!r}, the slug of "
                              f"{_which(seen[former], lines)}; a topic's former slug must be no other topic's")
            else:
                seen[former] = number
    if errors:
        raise ConfigError("\n".join(errors))
    if not topics:
        raise ConfigError(f"{path}: the taxonomy has no topics")
    return topics, warnings


def _no_topics_list(path: Path, node: yaml.Node | None, data: Any) -> str:
    """The error for a taxonomy without a ``topics:`` list, saying what the file holds instead and where."""
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    topics_node = next((value for key, value in pairs if key.value == "topics"), None)
    shown = {str: "text", int: "a number", float: "a number", bool: "true or false"}
    start = f"{path}:{node.start_mark.line + 1}" if node is not None else str(path)  # after the comments above it
    if data is None:
        found = f"{path}: the taxonomy is empty"
    elif isinstance(data, list):
        found = f"{start}: the file is a list: put 'topics:' on a line above it and indent the list under it"
    elif not isinstance(data, dict):
        found = f"{start}: the file holds {shown.get(type(data), 'a value')}, not 'topics:'"
    elif topics_node is None:
        keys = ", ".join(repr(str(key)) for key in data)
        near = next((hint for key in data if (hint := did_you_mean(key, ["topics"]))), "")
        found = f"{path}: no 'topics:' key (the file has {keys}){near}"
    else:
        value, at = data["topics"], f"{path}:{topics_node.start_mark.line + 1}"
        if value is None:
            found = f"{at}: 'topics:' is empty: list the topics under it"
        elif isinstance(value, dict):
            found = f"{at}: 'topics:' holds one mapping, not a list: begin each topic with '- '"
        else:
            found = f"{at}: 'topics:' holds {shown.get(type(value), 'a value')}, not a list"
    return f"{found}; a taxonomy lists its topics under 'topics:', each an item '- name: …' with its keys under it"


OTHER_KEYS = ("name", "description")
OTHER_LINE = re.compile(r"^other\s*:", re.MULTILINE)


def other_topic(path: Path) -> Topic:
    """The topic of the papers that match no other, as the taxonomy names it: ``other: {name: 其他, description: …}``
    for a site in another language; else "Other". Read after ``load_taxonomy``, which reports its mistakes."""
    try:
        text = path.read_text(encoding="utf-8")
        if not OTHER_LINE.search(text):  # most taxonomies: not parsed twice
            return OTHER
        data = load_settings_with_node(text, TEXT_LISTS)[1]
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return OTHER
    errors: list[str] = []
    other = _read_other(data.get("other") if isinstance(data, dict) else None, "", [], errors)
    return OTHER if errors else other


def _read_other(entry: Any, where: str, warnings: list[Problem], errors: list[str]) -> Topic:
    """The ``other:`` mapping of the taxonomy as the Other topic (its slug stays ``other``), its mistakes reported."""
    if entry is None:
        return OTHER
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        errors.append(f"{where}: expected a mapping with a 'name' (and a 'description') for the topic of the papers"
                      " that match no other, such as 'other: {name: 其他, description: 不属于任何主题的论文。}'")
        return OTHER
    for key in sorted(str(k) for k in entry if k not in OTHER_KEYS):
        warnings.append(_warning(where, f"unknown key {key!r} ignored{did_you_mean(key, OTHER_KEYS)}"))
    description = entry.get("description", OTHER.description)
    if not isinstance(description, str):
        errors.append(f"{where}: 'description' must be text")
        return OTHER
    for key, value in (("name", entry["name"]), ("description", description)):
        if (character := unwritable(value)) is not None:
            errors.append(f"{where}: '{key}' holds {character!r}, a control character no feed can carry: remove it")
            return OTHER
    return Topic(slug=OTHER_SLUG, name=entry["name"].strip(), description=description.strip())


def _why_taken(topic: Topic, earlier: str | None, entry: dict[str, Any]) -> str:
    """What to do about a topic whose slug an ``earlier`` topic (of that name; None: the built-in Other) took."""
    if earlier is None:
        return ("; the papers that match no topic are in 'Other' already: to name that topic otherwise, write"
                " 'other: {name: …, description: …}' at the top of the file, beside 'topics:', instead of a topic")
    if earlier.casefold() == topic.name.casefold():
        return f": the two are both named {topic.name!r}; give one another name"
    if "slug" not in entry:
        return f": the names {earlier!r} and {topic.name!r} give one slug; give this one a 'slug:' of its own"
    return ""


def _which(number: int, lines: list[int]) -> str:
    """The topic ``number`` as an error names it: "topic 3 (line 12)", or the built-in 'Other' for 0."""
    if not number:
        return "the built-in 'Other' topic"
    return f"topic {number}" + (f" (line {lines[number - 1]})" if number <= len(lines) else "")


def _warning(where: str, message: str) -> Problem:
    """A warning about the topic ``where`` names (``path:line: topic N[: keywords]``), on its line."""
    file, _, place = where.partition(": ")
    path, _, line = file.rpartition(":")
    if not (path and line.isdigit()):
        path, line = file, "0"
    return Problem(path, line=int(line), message=f"{place}: {message}")


def _topic_lines(node: yaml.Node | None) -> list[int]:
    """The line of each item of ``topics:``, in order (its ``- `` is where a maintainer looks)."""
    return [item.start_mark.line + 1 for item in _topic_nodes(node)]


def _left_out(name: str) -> str:
    """The letters and digits of ``name`` that its slug leaves out, quoted ("'ß'", "'О', 'б', 'р', ..."); "" if none.

    Accents are no loss ("Übersetzen" gives "ubersetzen"), but letters that are no Latin letter and accent
    (ß, ø, ł) and other scripts' are: "Straßenverkehr" gives "straenverkehr", "Обработка речи (ASR)" gives "asr"."""
    lost = [c for c in dict.fromkeys(unicodedata.normalize("NFKD", name)) if c.isalnum() and not c.isascii()]
    shown = ", ".join(repr(c) for c in lost[:3]) + (", ..." if len(lost) > 3 else "")
    return shown


def _read_topic(entry: Any, where: str, warnings: list[Problem], errors: list[str]) -> Topic | None:
    if not isinstance(entry, dict):
        errors.append(f"{where}: expected a mapping with at least 'name'")
        return None
    for key in sorted(str(k) for k in entry if k not in TOPIC_KEYS):
        warnings.append(_warning(where, f"unknown key {key!r} ignored{did_you_mean(key, TOPIC_KEYS)}"))
    name = entry.get("name")
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        name = str(name)  # name: 2024
    if not isinstance(name, str) or not name.strip():
        errors.append(f"{where}: 'name' is required (as text)")
        return None
    slug = entry.get("slug", slugify(name))
    if isinstance(slug, int) and not isinstance(slug, bool):
        slug = str(slug)  # slug: 2024
    if "slug" not in entry and not slug:
        spelled = slugify(anyascii(name)) or "machine-learning"  # 生态学: shengtaixue, as `topics suggest` spells it
        errors.append(f"{where}: the name {name!r} gives no slug for the topic's URL (only Latin letters and digits"
                      f" make one): add a slug, such as 'slug: {spelled}'")
        return None
    if not isinstance(slug, str) or not is_safe_slug(slug):
        trouble = windows_trouble(slug) if isinstance(slug, str) else None
        why = f": {trouble}, so a copy of the site there would lose the topic's page" if trouble else ""
        errors.append(f"{where}: slug {slug!r} is not usable in a URL{why} (use a-z, 0-9 and hyphens)")
        return None
    if "slug" not in entry and (lost := _left_out(name)):
        spelled = slugify(anyascii(name))
        warnings.append(_warning(where, f"the slug {slug!r} (the topic's URL and feeds) leaves out {lost} of the name"
                                 f" {name.strip()!r}: to keep it, add 'slug: {slug}'; for another, such as"
                                 f" 'slug: {spelled}', keep this one in 'formerly: [{slug}]' once it is published"))
    if is_reserved_slug(slug):
        kept = ", ".join(f"{name}/" for name in RESERVED_SLUGS)
        errors.append(
            f"{where} ({name.strip()!r}): slug {slug!r} is reserved for the site's own pages and feeds ({kept} and"
            f" their .atom.xml/.rss.xml feeds); give the topic another 'slug', such as {slug + '-papers'!r}"
        )
        return None
    description = entry.get("description") or ""
    if not isinstance(description, str):
        errors.append(f"{where}: 'description' must be text")
        description = ""
    for key, value in (("name", name), ("description", description)):
        if (character := unwritable(value)) is not None:
            errors.append(f"{where}: '{key}' holds {character!r}, a control character no feed can carry: remove it")
            return None
    return Topic(
        slug=slug,
        name=name.strip(),
        description=description.strip(),
        keywords=_keywords(entry.get("keywords"), f"{where}: keywords", errors, warnings),
        exclude=_keywords(entry.get("exclude"), f"{where}: exclude", errors, warnings),
        categories=_categories(entry.get("categories"), f"{where}: categories", errors),
        formerly=_formerly(entry.get("formerly"), f"{where}: formerly", slug, errors),
    )


def categories_no_paper_has(path: Path, shown: str, topics: Sequence[Topic], carried: Iterable[str],
                            papers: int) -> list[Problem]:
    """Notes naming each category a topic lists that no paper of the archive is in, by the line that lists it (the
    file ``path``, named ``shown``): a typo ("astro-ph.GAL", "GA") or a source without categories gives no evidence."""
    if not any(topic.categories for topic in topics):
        return []
    known = {category.casefold(): category for category in sorted(set(carried))}
    lines = _categories_lines(path)
    if not known:
        line = next((lines[n] for n, topic in enumerate(topics) if topic.categories and n < len(lines)), 0)
        return [Problem(shown, line=line, message=(
            f"note: the topics list categories, but no paper of {papers:,} carries any (arXiv's API and feeds do, and"
            " JSON Lines or YAML lists with 'categories'), so they give the topics no evidence"))]
    notes = []
    for number, topic in enumerate(topics):
        for category in topic.categories:
            if category.casefold() in known:
                continue
            near = [c for c in known.values() if c.casefold().endswith("." + category.casefold())]
            hint = f" (did you mean {near[0]!r}?)" if len(near) == 1 else did_you_mean(category, known.values())
            notes.append(Problem(shown, line=lines[number] if number < len(lines) else 0, message=(
                f"note: topic '{topic.name}' ({topic.slug}): no paper of {papers:,} is in the category {category!r}"
                f"{hint}, so it gives the topic no evidence")))
    return notes


# A keyword several topics list is named with at most this many of them.
SHARED_NAMED = 4


def keywords_notes(path: Path, shown: str, topics: Sequence[Topic]) -> list[Problem]:
    """Notes on keywords a maintainer most likely did not mean (the file ``path``, named ``shown``): a topic without
    any, which only the words of its name and description find, and a keyword that two or more topics list (the same
    words, in any case, singular or plural), which is evidence for each of them in every paper that writes it, and
    gives a paper with it in its title each of them."""
    lines = _key_lines(path, "keywords")
    notes = []
    for number, topic in enumerate(topics):
        if topic.keywords or topic.categories:
            continue
        found = "its name and description" if topic.description else "its name"
        notes.append(Problem(shown, line=lines[number] if number < len(lines) else 0, message=(
            f"note: topic '{topic.name}' ({topic.slug}) has no keywords: only the words of {found} find its papers;"
            " give it about ten (`keywords: [...]`), the words its papers write")))
    owners: dict[tuple[bool, tuple[str, ...]], set[int]] = {}  # a keyword's spellings → the topics listing them
    for number, topic in enumerate(topics):
        for keyword in topic.keywords:
            for variant in keyword.variants:
                owners.setdefault((keyword.acronym, variant), set()).add(number)
    for number, topic in enumerate(topics):
        named: set[tuple[bool, tuple[str, ...]]] = set()  # the spellings of the topic's keywords named so far
        for keyword in topic.keywords:
            spellings = {(keyword.acronym, variant) for variant in keyword.variants}
            others = sorted(set().union(*(owners[spelling] for spelling in spellings)) - {number})
            if not others or others[0] < number or spellings & named:
                continue  # named once, at the first topic that lists it ("cancer" and "cancers" are one keyword)
            named |= spellings
            listed = ", ".join(f"'{topics[n].name}' ({topics[n].slug}" + (f", line {lines[n]})" if n < len(lines)
                                                                          else ")") for n in others[:SHARED_NAMED])
            more = f" and {len(others) - SHARED_NAMED:,} more" if len(others) > SHARED_NAMED else ""
            of = f"topic {listed}" if len(others) == 1 else f"{len(others):,} other topics, {listed}{more},"
            notes.append(Problem(shown, line=lines[number] if number < len(lines) else 0, message=(
                f"note: topic '{topic.name}' ({topic.slug}): its keyword {keyword.text!r} is a keyword of {of} too:"
                " every paper that writes it is evidence for each, and one with it in its title may take each; keep it"
                " in the topic it describes best")))
    return notes


def topic_lines(path: Path) -> list[int]:
    """The line of each topic's ``- `` in the taxonomy ``path``, in order; [] when the file cannot be read."""
    try:
        return _topic_lines(load_settings_with_node(path.read_text(encoding="utf-8"), TEXT_LISTS)[0])
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return []


def _categories_lines(path: Path) -> list[int]:
    """The line of each topic's ``categories:`` (else of its ``- ``), in order; [] when the file cannot be read."""
    return _key_lines(path, "categories")


def _key_lines(path: Path, name: str) -> list[int]:
    """The line of each topic's key ``name`` (else of its ``- ``), in order; [] when the file cannot be read."""
    try:
        node = load_settings_with_node(path.read_text(encoding="utf-8"), TEXT_LISTS)[0]
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return []
    found = []
    for line, item in zip(_topic_lines(node), _topic_nodes(node), strict=True):
        keys = item.value if isinstance(item, yaml.MappingNode) else []
        found.append(next((key.start_mark.line + 1 for key, _ in keys if key.value == name), line))
    return found


def _topic_nodes(node: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "topics" and isinstance(value, yaml.SequenceNode):
                return list(value.value)
    return []


def _formerly(values: Any, where: str, slug: str, errors: list[str]) -> tuple[str, ...]:
    """The slugs a topic had before: each usable in a URL, none reserved, none its own."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        errors.append(f"{where}: expected a list of the slugs the topic had before, such as [computer-vision]")
        return ()
    found = []
    for value in dict.fromkeys(v.strip() for v in values):
        if not is_safe_slug(value, on_windows=False):  # a slug published before Windows' names were refused
            errors.append(f"{where}: {value!r} is not a slug (a-z, 0-9 and hyphens)")
        elif is_reserved_slug(value):
            errors.append(f"{where}: {value!r} is reserved for the site's own pages and feeds; no topic had it")
        elif value == slug:
            errors.append(f"{where}: {value!r} is the topic's own slug; list only the slugs it had before")
        else:
            found.append(value)
    return tuple(found)


def _categories(values: Any, where: str, errors: list[str]) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str) and len(parts := re.split(r"[\s,]+", values.strip())) > 1:  # astro-ph.GA, astro-ph.CO
        errors.append(f"{where}: {values!r} is one text: write a list, in brackets: [{', '.join(parts)}]")
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        errors.append(f"{where}: expected a list of category names such as [q-bio.NC, cs.NE]")
        return ()
    wrong = [v for v in values if not (isinstance(v, str) and CATEGORY.fullmatch(v.strip()))]
    for value in wrong:  # each named: "[astro-ph.SR, 12]" said only that the list was wrong
        what = "an empty item" if value is None or not str(value).strip() else f"{str(value)!r} is no category name"
        errors.append(f"{where}: {what} (arXiv's are written as q-bio.NC, astro-ph.GA or hep-th)")
    return () if wrong else tuple(dict.fromkeys(v.strip() for v in values))


def score_topic(topic: Topic, title: str, abstract: str) -> tuple[float, tuple[str, ...]]:
    """A topic's keyword evidence in one paper (before corpus weighting); an ``exclude`` match vetoes it."""
    for keyword in topic.exclude:
        if keyword.count(title) or keyword.count(abstract):
            return 0.0, ()
    score = 0.0
    evidence = []
    for keyword in topic.keywords:
        in_title, in_abstract = keyword.count(title), keyword.count(abstract)
        score += keyword_evidence(keyword, in_title, in_abstract)
        if in_title:
            evidence.append(f"title: {keyword.text}")
        if in_abstract:
            evidence.append(f"abstract: {keyword.text}")
    return score, tuple(evidence)


def slug_map(topics: Sequence[Topic]) -> dict[str, str]:
    """Every slug a topic answers to (its own and its former ones) → its slug now."""
    found = {former: topic.slug for topic in topics for former in topic.formerly}
    found.update((topic.slug, topic.slug) for topic in topics)
    return found


def topic_text(topic: Topic) -> tuple[str, str]:
    """A topic as a (title, abstract) pair: its name, then its description and keywords."""
    return topic.name, " ".join([topic.description, *(f"{k.text}." for k in topic.keywords)])


def taxonomy_fingerprint(topics: Sequence[Topic]) -> str:
    """A short hash of everything in the taxonomy that affects scoring (changes when the taxonomy does)."""
    # A topic is known by its first slug: renamed with ``formerly``, it keeps the pins ``reassign`` wrote.
    data = [
        [(t.formerly or (t.slug,))[0], t.name, t.description, [k.text for k in t.keywords], [k.text for k in t.exclude]]
        + ([list(t.categories)] if t.categories else [])  # taxonomies without categories keep their fingerprint
        for t in topics
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]

