"""The generator's settings (``digest.yml``) and the site's name and URL (``mkdocs.yml``)."""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.counts import whole_number
from generator.errors import ConfigError, Problem
from generator.settings_yaml import KeyLines, did_you_mean, load_settings, load_settings_with_node, yaml_error

DEFAULT_CONFIG = Path("digest.yml")
# Entry ids are this prefix plus a path: it must already be a URI's start (Atom ids are IRIs).
ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f]*")


@dataclass(frozen=True)
class FeedSettings:
    limit: int = 50
    """How many entries each feed holds, newest first (a feed of papers holds the rest of the last issue it reaches)."""
    id_prefix: str = "tag:paper-digest.github.io,2026:"
    """Start of every entry id (a ``tag:`` URI). Set it once and never change it: readers
    recognise entries they have seen by this id, whatever URL the site moves to."""
    mode: str = "papers"
    """``papers``: one entry per paper; ``issues``: one entry per digest issue listing its papers."""


@dataclass(frozen=True)
class AuthorSettings:
    min_papers: int = 5
    """An author gets a page (``authors/<slug>/``) from this many papers in the archive on
    (README, "Reading the site": 5 keeps all author pages under 1.5 KB per paper of a real archive)."""


@dataclass(frozen=True)
class WatchSettings:
    """The watch list (``watch:``): papers by these authors or mentioning these phrases are marked watched."""

    authors: tuple[str, ...] = ()
    """Author names, matched as written after Unicode NFKC normalisation and case-folding (generator/authors.py)."""
    phrases: tuple[str, ...] = ()
    """Words or phrases matched as whole words in the title or abstract, case-insensitive, with the
    variants of topic keywords (plural and singular, hyphen or space)."""
    exclude: tuple[str, ...] = ()
    """Phrases (matched as ``phrases`` are) that veto a match: a paper mentioning one is not watched."""


@dataclass(frozen=True)
class PicksSettings:
    """Picks from a reading list (``picks:``): each issue's papers most like the papers of the list."""

    reading_list: str
    """A BibTeX file (a reference manager's export) or a list of arXiv ids, one a line; relative to the project."""
    per_issue: int = 5
    """At most this many picks per issue."""
    min_score: float = 0.02
    """A paper is picked only when its score (generator/picks/scoring.py: its cosine with the reading list's
    centroid less 0.75 × that with the latest papers') reaches this. Measured with ``make eval-picks`` (README,
    "Picks from a reading list"): about 2 papers in 100 reach 0.02, 66% of them of the reading list's subject
    (6 times its base rate); 0.06 would leave most issues without a pick."""


@dataclass(frozen=True)
class Config:
    papers: tuple[str, ...] = ("data/issues",)
    """Paper lists: files or folders (searched recursively), one file per issue."""
    topics: str = "data/topics.yml"
    """The topic taxonomy."""
    out: str = "content"
    """Where Markdown pages and feeds are written: MkDocs' ``docs_dir``."""
    mkdocs_config: str = "mkdocs.yml"
    """The MkDocs config, read for ``site_name`` and ``site_url``."""
    topic_page_size: int = 100
    """Papers per topic page; later pages are ``topics/<slug>/page-N``."""
    nav_issues: int = 5
    """How many of the newest issues the navigation lists (the archive lists them all)."""
    max_topics: int = 3
    """At most this many topics per paper."""
    max_title_chars: int = 1000
    """Longer titles are cut to this many characters (and reported)."""
    max_abstract_chars: int = 10000
    """Longer abstracts are cut to this many characters (and reported): one runaway record
    cannot swell every page, feed and the search index."""
    curation: str = "data/curation.yml"
    """Hand curation: hide papers (with the reason), pin topics, correct titles, authors, links."""
    templates: str = "templates"
    """Your own templates, laid out like the packaged ones: a file here (``cards.html.j2``,
    ``overrides/main.html``) replaces the packaged file of the same path. Used when it exists."""
    stale_after_days: int = 3
    """The home page warns visitors when the newest issue is older than this many days."""
    fetch_max_bytes: int = 50_000_000
    """``digest fetch`` reads at most this many bytes in all, every answer (page) of the fetch counting, after
    decompression (``--max-bytes`` overrides it): a server cannot flood the fetch, nor a gzip bomb inflate in it."""
    feeds: FeedSettings = field(default_factory=FeedSettings)
    """Feed settings (see ``FeedSettings``)."""
    authors: AuthorSettings = field(default_factory=AuthorSettings)
    """Author pages (see ``AuthorSettings``)."""
    watch: WatchSettings | None = None
    """The watch list (see ``WatchSettings``); None without a ``watch:`` setting: no mark, page or feed."""
    picks: PicksSettings | None = None
    """Picks from a reading list (see ``PicksSettings``); None without a ``picks:`` setting: no mark, page or feed."""
    base_dir: Path = Path(".")
    """Folder the relative paths above are resolved against (the config file's folder)."""
    file: str = str(DEFAULT_CONFIG)
    """The config file as the user named it (``--config``), for messages about its settings."""

    def path(self, value: str) -> Path:
        return self.base_dir / value

    def settings_file(self) -> Path:
        """The file these settings were read from: not there when they are the defaults of a folder without one."""
        return self.path(Path(self.file).name)


@dataclass(frozen=True)
class Site:
    name: str
    url: str
    """Absolute URL of the site root, always ending in ``/``."""
    description: str = ""
    language: str = "en"
    """``theme.language`` of ``mkdocs.yml`` (Material's pages say it): the feeds, email and alias pages say it too."""


def load_config(path: Path | None = None) -> tuple[Config, list[Problem]]:
    """Load ``digest.yml``; a missing default file gives the defaults. Unknown keys are warnings."""
    config_path = path or DEFAULT_CONFIG
    if not config_path.exists():
        if path is not None:
            raise ConfigError(f"{config_path}: no such config file")
        return Config(), []
    try:
        node, data = load_settings_with_node(config_path.read_text(encoding="utf-8"))
        data = data or {}
    except OSError as error:  # --config naming a folder, a file it may not read
        raise ConfigError(f"{config_path}: cannot read the settings: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(yaml_error(str(config_path), error)) from None
    if not isinstance(data, dict):
        found = f", not the text {data!r}: write each as 'name: value', a space after the colon" if isinstance(
            data, str) else ""  # nav_issues:5, nav_issues = 5
        raise ConfigError(f"{config_path}: expected a mapping of settings{found}")
    at = KeyLines(str(config_path), node)
    if overlong := _overlong_paths(data, at):  # every check of a path below would stop on it with a traceback
        raise ConfigError("\n".join(overlong))
    warnings: list[Problem] = []
    errors: list[str] = []
    for section in ("feeds", "authors"):  # `feeds:` with every line under it commented out: the defaults
        if section in data and data[section] is None:
            data[section] = {}
    values = _check_fields(Config, data, at, warnings, errors)
    if isinstance(data.get("feeds"), dict):
        feeds = _check_fields(FeedSettings, data["feeds"], at, warnings, errors, "feeds.")
        if feeds.get("mode", "papers") not in ("papers", "issues"):
            errors.append(f"{at.at('feeds.mode')}: feeds.mode must be 'papers' or 'issues'")
        if "id_prefix" in feeds and not ID_PREFIX.fullmatch(feeds["id_prefix"]):
            errors.append(
                f"{at.at('feeds.id_prefix')}: "
                f"feeds.id_prefix must be the start of a URI such as 'tag:example.org,2026:'"
                f" (a scheme, a colon, no spaces), not {feeds['id_prefix']!r}"
            )
        values["feeds"] = FeedSettings(**feeds)
    elif "feeds" in data:
        errors.append(f"{at.at('feeds')}: 'feeds' must be a mapping (for example 'feeds: {{mode: issues}}')")
    if isinstance(data.get("authors"), dict):
        authors = _check_fields(AuthorSettings, data["authors"], at, warnings, errors, "authors.")
        values["authors"] = AuthorSettings(**authors)
    elif "authors" in data:
        watch = "; the authors to watch are watch.authors, indented under 'watch:'" if isinstance(
            data["authors"], list) else ""
        errors.append(f"{at.at('authors')}: "
                      f"'authors' must be a mapping (for example 'authors: {{min_papers: 5}}'){watch}")
    if "watch" in data:
        values["watch"] = _check_watch(data["watch"], at, warnings, errors)
    if "picks" in data:
        values["picks"] = _check_picks(data["picks"], config_path, at, warnings, errors)
    if isinstance(values.get("papers"), str):
        values["papers"] = (values["papers"],)
    elif "papers" in values:
        for number, item in enumerate(values["papers"], 1):
            if not isinstance(item, str | int) or isinstance(item, bool):  # papers: [data/issues, ~], [.., yes]
                errors.append(f"{at.at(f'papers.{number}')}: "
                              f"papers: item {number} must be a path (text), not {_found(item)}")
        values["papers"] = tuple(str(item) for item in values["papers"])
    _check_paths(values, config_path, at, errors)
    if errors:
        raise ConfigError("\n".join(errors), warnings)
    return Config(base_dir=config_path.parent, file=str(config_path), **values), warnings


def written_settings(config: Config) -> set[str]:
    """The top-level settings its file writes out, defaults or not (none without a file): ``curation:
    data/curation.yml`` names the file as surely as another path does."""
    path = config.settings_file()
    try:
        data = load_settings(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return set()  # load_config reported it already
    return {str(key) for key in data} if isinstance(data, dict) else set()


# Settings that name a file or folder of the project: none may be empty (a blank value meant "this folder").
PATH_SETTINGS = ("topics", "out", "mkdocs_config", "curation", "templates")
# Of them, those that name a file (a folder there failed with a traceback).
FILE_SETTINGS = ("topics", "mkdocs_config", "curation")


# File systems refuse a name of more than 255 bytes (Linux, macOS; 255 characters on Windows) and a path of more than
# 4,096 (Linux's PATH_MAX): "File name too long" from the first look at the path, a traceback.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 4000


def _overlong_paths(data: dict[str, Any], at: KeyLines) -> list[str]:
    """A message for each path setting no file system takes (a paste of a paragraph into ``topics:``)."""
    picks = data.get("picks")
    papers = data.get("papers")
    named = [(key, data.get(key)) for key in PATH_SETTINGS]
    named += [(f"papers.{number}", item) for number, item in enumerate(papers if isinstance(papers, list) else
                                                                         [papers], 1)]
    named.append(("picks.reading_list", picks.get("reading_list") if isinstance(picks, dict) else None))
    errors = []
    for place, value in named:
        if isinstance(value, str) and (reason := path_too_long(value)):
            errors.append(f"{at.at(place)}: {place.replace('papers.', 'papers: item ')}: {reason}")
    return errors


def path_too_long(value: str) -> str | None:
    """Why no file system takes the path ``value`` (a name or the whole too long), or None."""
    from generator.sources.common import describe

    size = len(value.encode("utf-8", "surrogatepass"))
    longest = max(len(part.encode("utf-8", "surrogatepass")) for part in value.split("/"))
    if longest <= MAX_NAME_BYTES and size <= MAX_PATH_BYTES:
        return None
    what = (f"a name of {longest:,} bytes (file systems take {MAX_NAME_BYTES})" if longest > MAX_NAME_BYTES
            else f"{size:,} bytes (file systems take some {MAX_PATH_BYTES:,})")
    return f"no file system takes {describe(value)}, {what}"


def _check_paths(values: dict[str, Any], config_path: Path, at: KeyLines, errors: list[str]) -> None:
    """Paths that cannot be meant: an empty one, a folder where a file goes, no paper lists at all, and a reading
    list outside the project or among the paper lists."""
    where, base = at.at, config_path.parent
    for key in PATH_SETTINGS:
        value = values.get(key)
        if isinstance(value, str) and not value.strip():
            default = getattr(Config, key)
            errors.append(f"{where(key)}: "
                          f"{key} is empty; leave the line out for the default ({default}) or name a path")
        elif isinstance(value, str) and key in FILE_SETTINGS and (base / value).is_dir():
            errors.append(f"{where(key)}: {key}: {base / value} is a folder; name the file")
        elif isinstance(value, str) and key == "templates" and (base / value).is_file():
            errors.append(f"{where(key)}: templates: {base / value} is a file; name the folder of your own templates"
                          f" (the default is {Config.templates}/)")
    named = [(key, key, values.get(key)) for key in PATH_SETTINGS]
    named += [("papers", f"papers.{number}", item) for number, item in enumerate(values.get("papers") or (), 1)]
    if values.get("picks") is not None:
        named.append(("picks.reading_list", "picks.reading_list", values["picks"].reading_list))
    for key, place, value in named:
        if isinstance(value, str) and value.startswith("~"):  # out: ~/digest made a folder named "~" here
            errors.append(f"{where(place)}: "
                          f"{key}: {value!r} starts with '~', which only a shell reads as a home folder: here"
                          f" it names a folder '~' beside {config_path.name}; write the path relative to"
                          f" {config_path.name}, or in full")
    papers = values.get("papers")
    for number, item in enumerate(papers or (), 1):
        if "," in item and not (base / item).exists():  # papers: data/issues, data/extra
            listed = ", ".join(part.strip() for part in item.split(",") if part.strip())
            errors.append(f"{where(f'papers.{number}')}: "
                          f"papers: {item!r} is no file or folder; several are a list, in brackets:"
                          f" papers: [{listed}]")
    if papers is not None and not [item for item in papers if item.strip()]:
        errors.append(f"{where('papers')}: "
                      f"papers names no folder or file of paper lists (leave the line out for the default,"
                      f" {Config.papers[0]}): a digest without its papers would replace the published one")
    picks = values.get("picks")
    if picks is None:
        return
    project, reading = base.resolve(), (base / picks.reading_list).resolve()
    if not reading.is_relative_to(project):
        errors.append(f"{where('picks.reading_list')}: "
                      f"picks.reading_list: {reading} is outside the project ({project}): copy the export"
                      " into it (data/reading.bib, say), so that the deploy's build reads it and the picks recorded"
                      " beside it (picks.yml) are committed")
    for item in papers if papers is not None else Config.papers:
        folder = (base / item).resolve()
        if item.strip() and folder.is_dir() and reading.is_relative_to(folder):
            errors.append(f"{where('picks.reading_list')}: "
                          f"picks.reading_list: {reading} is among the paper lists ({folder}); keep it"
                          " beside them (data/reading.bib, say): there it would be read as an issue")


TYPES: dict[str, type | tuple[type, ...]] = {
    "papers": (list, str),
    "topics": str,
    "out": str,
    "mkdocs_config": str,
    "topic_page_size": int,
    "nav_issues": int,
    "max_topics": int,
    "max_title_chars": int,
    "max_abstract_chars": int,
    "curation": str,
    "templates": str,
    "stale_after_days": int,
    "fetch_max_bytes": int,
    "limit": int,
    "id_prefix": str,
    "mode": str,
    "min_papers": int,
}


EXPECTED = {
    int: "a whole number of at least 1",
    str: "text",
    (list, str): "a path or a list of paths",
}
"""What a value of each type of ``TYPES`` is, in the words of a message."""
PATH_WORDS = "a path (text)"


def _expected(key: str) -> str:
    if key in PATH_SETTINGS:
        return PATH_WORDS
    if key == "fetch_max_bytes":
        return "a whole number of bytes, at least 1 (50000000 is 50 MB)"
    return EXPECTED[TYPES[key]]


def _found(value: Any) -> str:
    """A value as a message shows it, with its kind: 'many' (text), True (true/false), [1, 2] (a list)."""
    from generator.sources.common import describe

    if value is None:
        return "an empty value"
    kinds = {bool: "true/false", str: "text", int: "a number", float: "a number with decimals", list: "a list",
             dict: "a mapping"}
    kind = next((name for cls, name in kinds.items() if isinstance(value, cls)), type(value).__name__)
    if isinstance(value, str) and whole_number(value.strip()):
        digits = len(value.strip().lstrip("+-"))
        # Python converts no more digits than this (an unquoted number past it is read as text, settings_yaml): such a
        # number is no setting's value, and "write it without quotes" would send one round in circles.
        kind = (f"a number of {digits:,} digits" if digits > (sys.get_int_max_str_digits() or digits)
                else "text: write the number without quotes")
    return f"{describe(value)}" if type(value) is int else f"{describe(value)} ({kind})"


def _unknown(key: Any, names: Iterable[str], section: str = "") -> str:
    """The warning for a setting no schema has (in ``section``, "" at the top), naming the setting meant: one of
    another place, indented too little or too far, or one spelled nearly so."""
    return f"unknown setting {key!r} ignored{_elsewhere(str(key), section) or did_you_mean(key, names)}"


def _mkdocs_settings() -> set[str]:
    """The settings of ``mkdocs.yml`` (``site_url``, ``nav``, ``theme``…): written in digest.yml, they do nothing."""
    from mkdocs.config.defaults import get_schema

    return {name for name, _ in get_schema()}


def _elsewhere(key: str, section: str) -> str:
    """`` (it is feeds.limit: indent it under 'feeds:')`` for a setting written in the wrong place; "" otherwise."""
    top = {f.name for f in dataclasses.fields(Config) if f.name not in ("base_dir", "file")}
    places = [name for name, keys in SECTION_KEYS.items() if key in keys and name != section]
    if section and key in top:
        also = "".join(f"; or {name}.{key}, under '{name}:'" for name in places)
        return f" (not a setting of '{section}:' but a top-level one: write it at the start of its line{also})"
    if not section and key not in SECTION_KEYS and key.replace("-", "_").casefold() in _mkdocs_settings():
        meant = key.replace("-", "_").casefold()
        named = "" if meant == key else f"{meant}: "
        return f" ({named}a setting of the MkDocs config ({Config.mkdocs_config}), not of this file: set it there)"
    if places:
        where = " or ".join(f"{name}.{key}" for name in places)
        return f" (it is {where}: indent it under '{places[0]}:')" if not section else \
            f" (it is {where}: put it under '{places[0]}:', not '{section}:')"
    return ""


SECTIONS = ("feeds", "authors", "watch", "picks")
"""Settings of ``digest.yml`` that are mappings of their own, checked by their own code."""
WATCH_LISTS = ("authors", "phrases", "exclude")
PICKS_KEYS = ("reading_list", "per_issue", "min_score")
SECTION_KEYS = {
    "feeds": tuple(f.name for f in dataclasses.fields(FeedSettings)),
    "authors": tuple(f.name for f in dataclasses.fields(AuthorSettings)),
    "watch": WATCH_LISTS,
    "picks": PICKS_KEYS,
}
"""The settings of each section, to name the section of one written in the wrong place."""


def _check_watch(data: Any, at: KeyLines, warnings: list[Problem], errors: list[str]) -> WatchSettings | None:
    """``watch: {authors: [...], phrases: [...], exclude: [...]}``: lists of non-empty text."""
    from generator.latex_text import plain
    from generator.topics.features import STOPWORDS, tokens
    from generator.topics.keywords import symbols_dropped
    from generator.watch import vetoed_phrases

    if not isinstance(data, dict):
        errors.append(f"{at.at('watch')}: 'watch' must be a mapping (for example 'watch: {{authors: [Yann LeCun], "
                      f"phrases: [diffusion policy]}}')")
        return None
    lists: dict[str, tuple[str, ...]] = {}
    numbers: dict[str, tuple[int, ...]] = {}  # each kept item's number in its list, as the messages name it
    found = len(errors)
    for key, value in data.items():
        if key not in WATCH_LISTS:
            warnings.append(Problem(at.display, at.line(f"watch.{key}"),
                                    message=f"watch: {_unknown(key, WATCH_LISTS, 'watch')}"))
            continue
        if value is None:
            value = []
        if isinstance(value, str):  # `authors: Yann LeCun`: one text where a list is meant
            listed = ", ".join(part.strip() for part in value.split(",") if part.strip())
            errors.append(f"{at.at(f'watch.{key}')}: "
                          f"watch.{key} must be a list of text, in brackets: {key}: [{listed}]")
            continue
        if not isinstance(value, list):
            errors.append(f"{at.at(f'watch.{key}')}: watch.{key} must be a list of text ({type(value).__name__} given)")
            continue
        items = []
        for number, item in enumerate(value, 1):
            where = at.at(f"watch.{key}.{number}")
            text = plain(item) if isinstance(item, str) and key != "authors" else item  # as watch.py matches it
            if item is None:  # a dash with nothing after it, or ~
                errors.append(f"{where}: watch.{key}: item {number} is empty")
            elif not isinstance(item, str):
                hint = ""
                if isinstance(item, bool):  # phrases: [on]
                    hint = " (YAML reads a bare on, off, yes, no, true or false as a yes-or-no value: put it in quotes)"
                elif isinstance(item, int | float):
                    hint = " (YAML reads a bare number as a number: put it in quotes)"
                elif isinstance(item, dict):  # - RAG: retrieval, or - LeCun: Yann
                    written = ", ".join(f"{name}: {value}" for name, value in item.items())
                    hint = (f" (YAML reads {written!r}, with a colon and a space, as a key and its value: put the item"
                            " in quotes)")
                kind = "mapping" if isinstance(item, dict) else type(item).__name__
                errors.append(f"{where}: watch.{key}: item {number} must be text, not {kind}{hint}")
            elif not item.strip():
                errors.append(f"{where}: watch.{key}: item {number} is empty")
            elif key != "authors" and not tokens(text):
                errors.append(f"{where}: watch.{key}: item {number} ({item!r}) has no word to match")
            elif (character := unwritable(item)) is not None:
                errors.append(f"{where}: watch.{key}: item {number} holds {character!r}, a control character no feed"
                              " can carry: remove it")
            else:
                items.append(" ".join(item.split()))
                if key != "authors" and all(word.casefold() in STOPWORDS for word in tokens(text)):
                    effect = "vetoes" if key == "exclude" else "watches"
                    warnings.append(Problem(at.display, at.line(f"watch.{key}.{number}"),
                                            message=f"watch: {key}: item {number} ({item!r}) is only common"
                                            f" words: it {effect} nearly every paper"))
                dropped = symbols_dropped(text) if key != "authors" else None
                if dropped:  # "C++" is the word "C": it would watch every paper with a "C"
                    warnings.append(Problem(at.display, at.line(f"watch.{key}.{number}"),
                                            message=f"watch: {key}: {dropped}"))
        lists[key] = tuple(items)
        numbers[key] = tuple(number for number, item in enumerate(value, 1) if isinstance(item, str))
    if len(errors) == found and not lists.get("authors") and not lists.get("phrases"):
        errors.append(f"{at.at('watch')}: watch needs at least one name in watch.authors or phrase in watch.phrases")
    if len(errors) == found:
        phrases, excluded = lists.get("phrases", ()), lists.get("exclude", ())
        for phrase, veto in vetoed_phrases(phrases, excluded):
            number, other = numbers["phrases"][phrase], numbers["exclude"][veto]
            warnings.append(Problem(at.display, at.line(f"watch.phrases.{number}"),
                                    message=f"watch: phrases: item {number} ({phrases[phrase]!r}) holds"
                                    f" watch.exclude item {other} ({excluded[veto]!r}): every paper it finds is"
                                    " vetoed, so it watches nothing"))
    return WatchSettings(**lists)


def _check_picks(
    data: Any, path: Path, at: KeyLines, warnings: list[Problem], errors: list[str]
) -> PicksSettings | None:
    """``picks: {reading_list: PATH, per_issue: N, min_score: X}``: PATH an existing file of the project."""
    if not isinstance(data, dict):
        errors.append(f"{at.at('picks')}: "
                      f"'picks' must be a mapping (for example 'picks: {{reading_list: data/reading.bib}}')")
        return None
    found = len(errors)
    for key in data:
        if key not in PICKS_KEYS:
            warnings.append(Problem(at.display, at.line(f"picks.{key}"),
                                    message=f"picks: {_unknown(key, PICKS_KEYS, 'picks')}"))
    reading_list = data.get("reading_list")
    if reading_list is None:
        errors.append(f"{at.at('picks.reading_list')}: "
                      f"picks.reading_list is required: the path of a BibTeX file or a list of arXiv ids")
    elif not isinstance(reading_list, str):
        kind = type(reading_list).__name__
        errors.append(f"{at.at('picks.reading_list')}: "
                      f"picks.reading_list must be the path of a file (text, not {kind})")
    elif not reading_list.strip():
        errors.append(f"{at.at('picks.reading_list')}: picks.reading_list is empty")
    elif (path.parent / reading_list).is_dir():
        errors.append(f"{at.at('picks.reading_list')}: "
                      f"picks.reading_list: {path.parent / reading_list} is a folder; name the file in it"
                      " (a BibTeX export or a list of arXiv ids)")
    elif not (path.parent / reading_list).is_file():
        errors.append(f"{at.at('picks.reading_list')}: picks.reading_list: no such file {path.parent / reading_list}"
                      " (the path is relative to the folder of digest.yml)")
    per_issue = data.get("per_issue", PicksSettings.per_issue)
    if not isinstance(per_issue, int) or isinstance(per_issue, bool) or per_issue < 1:
        errors.append(f"{at.at('picks.per_issue')}: "
                      f"picks.per_issue must be a whole number of at least 1, not {_found(per_issue)}")
    min_score = data.get("min_score", PicksSettings.min_score)
    if not isinstance(min_score, int | float) or isinstance(min_score, bool) or not 0 <= min_score <= 1:
        errors.append(f"{at.at('picks.min_score')}: picks.min_score must be a number from 0 to 1,"
                      f" not {_found(min_score)}")
    if len(errors) > found:
        return None
    return PicksSettings(reading_list=str(reading_list), per_issue=per_issue, min_score=float(min_score))


def _check_fields(
    schema: type, data: dict[str, Any], at: KeyLines, warnings: list[Problem], errors: list[str], section: str = ""
) -> dict[str, Any]:
    """The settings of ``schema`` in ``data`` (those of the section ``section``, "feeds." say, located by ``at``)."""
    names = {f.name for f in dataclasses.fields(schema) if f.name not in ("base_dir", "file", *SECTIONS)}
    values = {}
    named = f"{section.rstrip('.')}: " if section else ""
    for key, value in data.items():
        if key in SECTIONS and schema is Config:
            continue
        if key not in names:
            meant = names | set(SECTIONS) if schema is Config else names
            warnings.append(Problem(at.display, at.line(section + str(key)),
                                    message=named + _unknown(key, meant, section.rstrip("."))))
            continue
        expected = TYPES[key]
        if not isinstance(value, expected) or isinstance(value, bool) or (isinstance(value, int) and value < 1):
            errors.append(f"{at.at(section + key)}: {section + key!r} must be {_expected(key)}, not {_found(value)}")
        else:
            values[key] = value
    return values


def read_mkdocs_config(config: Config) -> dict[str, Any]:
    """``mkdocs.yml`` as written (after ``INHERIT``), read with MkDocs' own loader (``!ENV`` and other tags)."""
    from mkdocs.utils.yaml import yaml_load

    path = config.path(config.mkdocs_config)
    try:
        with path.open("rb") as handle:
            data = yaml_load(handle) or {}
    except FileNotFoundError:
        if config.mkdocs_config != Config.mkdocs_config:
            raise ConfigError(f"{config.file}: mkdocs_config: {config.mkdocs_config}: no such file") from None
        folder = "this folder" if config.base_dir == Path(".") else config.base_dir.as_posix()
        raise ConfigError(f"{path}: no such file: {folder} is not a site's folder; run the command in one"
                          " (digest new NAME makes one)") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except Exception as error:  # MkDocs' loader raises several YAML and config error types
        cause = error.__context__  # MkDocs' loader wraps PyYAML's error in a text of several lines
        if isinstance(cause, yaml.YAMLError):
            mark = getattr(cause, "problem_mark", None)
            name = getattr(mark, "name", None)  # the file read: mkdocs.yml, or one it inherits
            shown = os.path.relpath(name, path.parent) if name and os.path.isfile(name) else None
            raise ConfigError(yaml_error(str(path.parent / shown) if shown else str(path), cause)) from None
        raise ConfigError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    return data


def load_site(config: Config) -> Site:
    """Site name and URL from ``mkdocs.yml``, read with MkDocs' own loader (``!ENV``, ``INHERIT``)."""
    path = config.path(config.mkdocs_config)
    data = read_mkdocs_config(config)
    name = data.get("site_name")
    url = data.get("site_url")
    if isinstance(name, int | float | bool):  # site_name: 2026, site_name: yes
        raise ConfigError(f"{path}: 'site_name' must be text, not {name!r}: YAML reads it as a"
                          f" {'yes-or-no value' if isinstance(name, bool) else 'number'}; put it in quotes")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{path}: 'site_name' is required")
    hint = ""
    if "SITE_URL" in os.environ and os.environ["SITE_URL"] == (url or ""):
        hint = f"; it comes from the environment variable SITE_URL, which is {os.environ['SITE_URL']!r}"
    if not isinstance(url, str) or not re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
        if not hint and url is not None:  # the value, and the URL meant when the scheme is missing
            hint = f", not {url!r}"
            if isinstance(url, str) and re.match(r"[^/:\s]+\.[^/:\s]+(/|$)", url):
                hint += f" (did you mean 'https://{url}'?)"
        raise ConfigError(f"{path}: 'site_url' must be an absolute http(s) URL (feeds need it){hint}")
    wrong = site_url_problem(url)
    if wrong:
        source = " (from the environment variable SITE_URL)" if hint else ""
        raise ConfigError(f"{path}: 'site_url' {wrong}: {url!r}{source}; every absolute link of the site (feeds,"
                          " email, sitemap) starts with it")
    description = data.get("site_description") or ""
    for key, value in (("site_name", name), ("site_description", str(description))):
        if (character := unwritable(value)) is not None:
            raise ConfigError(f"{path}: '{key}' holds {character!r}, a control character no feed can carry: remove it")
    theme = data.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    if not isinstance(language, str) or not LANGUAGE_TAG.fullmatch(language):
        language = "en"  # Material's default (a value it does not know is its own error, at mkdocs build)
    return Site(name=name.strip(), url=url.rstrip("/") + "/", description=str(description), language=language)


# A language tag as Material's ``theme.language`` takes it (``en``, ``fr``, ``zh-Hant``, ``pt-BR``).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def unwritable(value: str) -> str | None:
    """The first character of ``value`` that XML, so no feed, can carry (a control character, a lone surrogate,
    U+FFFE or U+FFFF; paper lists lose them when read), or None. A setting that reaches the feeds is checked with it."""
    from generator.sources.common import CONTROL_CHARS

    found = CONTROL_CHARS.search(value)
    return found.group() if found else None


def site_url_problem(url: str) -> str:
    """What makes an absolute http(s) URL unusable as the start of every link of the site ("" when nothing)."""
    from urllib.parse import urlsplit

    if any(character.isspace() for character in url):
        return "holds white space (a space, a tab or a line end)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port out of range raises here)
    except ValueError:
        return "is no valid URL"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return "has a query or a fragment (?… or #…); it must be the site's folder"
    if re.search(r"\.html?$", parts.path, re.IGNORECASE):
        return "names a page; it must be the site's folder"
    return ""


PLUGIN = "paper-digest"


def check_mkdocs_plugin(config: Config) -> list[Problem]:
    """A site's MkDocs config that sets a theme or plugins but lacks ours would build without its pages' parts.

    The plugin brings the theme overrides, the hook that assembles paper pages and the base settings;
    MkDocs replaces a whole ``plugins`` list that ``mkdocs.yml`` sets, so one that adds another plugin
    can lose ours without a warning from MkDocs.
    """
    data = read_mkdocs_config(config)
    if "theme" not in data and "plugins" not in data:
        return []  # a bare site name and URL: the generator's own tests and tools
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):  # MkDocs also takes a mapping of plugin name to options
        plugins = list(plugins)
    names = [next(iter(item), None) if isinstance(item, dict) else item for item in plugins]
    if PLUGIN in names:
        return []
    return [Problem(str(config.path(config.mkdocs_config)),
                    message=f"plugins does not list {PLUGIN}: the site would lack its theme overrides, paper pages"
                            f" and base settings (a plugins: list in mkdocs.yml replaces the inherited one whole;"
                            f" add - {PLUGIN} to it)")]


def check_mkdocs_duplicates(config: Config) -> list[Problem]:
    """A key written twice in one mapping of ``mkdocs.yml``: YAML, so MkDocs, keeps the last without a word, so a second
    ``theme:`` pasted from Material's documentation dropped the first one's settings, a second ``markdown_extensions:``
    the first list, a second ``site_url:`` the ``!ENV`` through which the deploy sets it."""
    path = config.path(config.mkdocs_config)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)  # tags stay unread
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # read_mkdocs_config says what is wrong
    problems, items, seen_nodes = [], [node], set()
    while items:
        item = items.pop()
        if id(item) in seen_nodes:  # an alias: the node of its anchor, read once
            continue
        seen_nodes.add(id(item))
        if isinstance(item, yaml.SequenceNode):
            items.extend(item.value)
        if not isinstance(item, yaml.MappingNode):
            continue
        lines: dict[str, int] = {}
        for key, value in item.value:
            items.append(value)
            if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                continue
            line = key.start_mark.line + 1
            if key.value in lines:
                problems.append(Problem(str(path), line=line, message=(
                    f"{key.value!r} is written twice in one mapping (lines {lines[key.value]} and {line}): YAML, so"
                    " MkDocs, keeps only the last, without a word; remove or merge one")))
            lines.setdefault(key.value, line)
    return sorted(problems)


def check_mkdocs_docs_dir(config: Config) -> list[Problem]:
    """``out`` of digest.yml and ``docs_dir`` of mkdocs.yml name one folder: with ``out: docs`` alone, MkDocs went on
    building the pages an earlier build left in ``content/``, and the new issues never reached the site."""
    docs_dir = read_mkdocs_config(config).get("docs_dir")
    if not isinstance(docs_dir, str) or not docs_dir.strip():
        return []  # MkDocs' default (docs/), and its own error when that folder is not there
    mkdocs_file = config.path(config.mkdocs_config)
    if (mkdocs_file.parent / docs_dir).resolve() == config.path(config.out).resolve():
        return []
    return [Problem(config.file, message=f"out: {config.out} is not the folder MkDocs builds the site from"
                                         f" (docs_dir: {docs_dir} in {mkdocs_file}): the site would be built without"
                                         f" these pages; set out and docs_dir to the same folder")]


def nav_sources(nav: Any) -> set[str]:
    """The Markdown files a ``nav`` setting (as MkDocs reads it from YAML) lists."""
    found: set[str] = set()
    items = [nav]
    while items:
        item = items.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            items.extend(item.values())
        elif isinstance(item, list):
            items.extend(item)
    return found


# The generated navigation's top-level pages (generator/render.py, Renderer.nav).
GENERATED_NAV = ("index.md", "topics/index.md", "issues/index.md", "subscribe.md")


def check_mkdocs_nav(config: Config) -> list[Problem]:
    """A ``nav:`` of the site's own replaces the navigation the build writes (content/.nav.yml) whole: one that lists
    only the maintainer's pages (an About page) left the topics, issues and feeds out of the site's navigation."""
    nav = read_mkdocs_config(config).get("nav")
    if not nav:
        return []
    missing = [page for page in GENERATED_NAV if page not in nav_sources(nav)]
    if not missing:
        return []  # the site lists the generated pages itself, on purpose
    return [Problem(str(config.path(config.mkdocs_config)),
                    message=f"nav: replaces the navigation digest build makes ({config.out}/.nav.yml) and does not list"
                            f" {', '.join(missing)}, which the site's navigation then lacks; remove nav: (pages of"
                            f" your own at the top of {config.out}/ are added to the navigation made) or list them")]
