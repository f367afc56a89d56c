"""Paper lists in YAML, JSON and JSON Lines (our paper fields; daily-papers JSON is recognised)."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import yaml

from generator.authors import ET_AL
from generator.counts import count, whole_number
from generator.errors import Problem
from generator.model import Paper, arxiv_id_read_before, arxiv_id_read_until_0_1_3, normalize_arxiv_id, paper_id
from generator.settings_yaml import yaml_problem
from generator.sources.common import (
    NAME_SUFFIX,
    TAB_OR_NEWLINE,
    UNSET_DATE,
    ReadResult,
    clean_text,
    count_of,
    date_parts,
    day_of,
    decode_text,
    describe,
    http_link,
    impossible_date,
    split_names,
    without_affiliations,
)
from generator.sources.daily_papers import is_paper_object, looks_like_daily_papers, read_daily_item, read_daily_papers
from generator.sources.yaml_loader import YamlNumber, load_yaml

MAX_SOURCE_CHARS = 100  # a label, not a text

PAPER_FIELDS = (
    "title", "abstract", "authors", "url", "arxiv", "pdf", "code", "project_page", "doi", "date", "categories",
    "keywords", "upvotes", "comments", "stars", "tldr", "organization",
)  # fmt: skip
# arXiv's own names, as its bulk metadata (``arxiv-metadata-oai-snapshot.json``, one JSON object per line)
# and the digests built on its API (the daily-arXiv JSON Lines files) write them: read as our fields
# (``id`` → ``arxiv``, ``summary`` → ``abstract``, ``abs`` → ``url``, a text ``comments`` or ``comment`` →
# the comment, ``journal-ref``, ``versions`` → ``date``, ``update_date``).
# The daily-arXiv digests' code link and its stars (``code_url``, ``code_stars``) are ``code`` and ``stars``, and
# ``pdf_url`` (the name the arXiv API's Python library gives it, which some of them keep) is ``pdf``, and its
# ``primary_category`` the first of ``categories``; ``updated_date`` (a daily-arXiv digest's name) is ``update_date``.
ARXIV_FIELDS = ("id", "summary", "abs", "comment", "journal-ref", "journal_ref", "versions", "update_date",
                "code_url", "code_stars", "pdf_url", "primary_category", "updated_date")
# Fields of those records that say nothing a page shows (or only what other fields say): never reported.
# ``AI`` is the daily-arXiv digests' own machine summary, often not in English.
QUIET_FIELDS = ("submitter", "license", "report-no", "authors_parsed", "AI", "code_last_update")
# CSL JSON, as Zotero, Mendeley and citation.js export it ("Export library → CSL JSON"): read as our fields
# (``author`` → ``authors``, ``DOI``, ``URL``, ``issued`` → the publication date, ``container-title`` → the journal;
# ``id`` is the item's own key there, not an arXiv id), and the variables a page does not show, never reported.
CSL_FIELDS = ("author", "DOI", "URL", "issued", "container-title")
CSL_QUIET_FIELDS = (
    "type", "citation-key", "number", "publisher", "publisher-place", "accessed", "source", "note", "keyword",
    "language", "volume", "issue", "page", "number-of-pages", "ISSN", "ISBN", "PMID", "PMCID", "editor",
    "container-title-short", "journalAbbreviation", "title-short", "shortTitle", "collection-title", "edition",
    "event", "event-title", "event-place", "event-date", "genre", "medium", "archive", "archive_location",
    "call-number", "original-date", "submitted", "status", "version", "section", "dimensions", "references",
    "translator", "citation-label", "system_id",
)  # fmt: skip
# CSL's rich text in titles (and Zotero's abstracts): the few HTML-like tags its processors read, as its
# specification lists them. Shown as written they read "Expression of <i>lacZ</i>"; the text between them is kept.
CSL_MARKUP = re.compile(r"</?(?:i|b|sup|sub)>|<span (?:class=\"nocase\"|style=\"font-variant:\s*small-caps;?\")>"
                        r"|</span>", re.IGNORECASE)
KNOWN_FIELDS = frozenset(PAPER_FIELDS + ARXIV_FIELDS + QUIET_FIELDS + CSL_FIELDS + CSL_QUIET_FIELDS)
# Semantic Scholar's paper objects (its Graph API, api.semanticscholar.org/graph/v1/paper/...), known by their
# ``paperId``: ``externalIds`` gives the arXiv id (``ArXiv``) and the DOI (``DOI``), ``publicationDate`` (else ``year``)
# the publication date, and ``tldr`` is an object whose ``text`` is Semantic Scholar's one-sentence summary. The other
# fields it may be asked for say nothing a page shows (``venue``, counts, fields of study...): never reported.
S2_FIELDS = ("paperId", "externalIds", "publicationDate", "year")
S2_QUIET_FIELDS = (
    "corpusId", "venue", "publicationVenue", "journal", "referenceCount", "citationCount", "influentialCitationCount",
    "isOpenAccess", "openAccessPdf", "fieldsOfStudy", "s2FieldsOfStudy", "publicationTypes", "citationStyles",
    "embedding", "textAvailability",
)  # fmt: skip
S2_KNOWN_FIELDS = KNOWN_FIELDS | frozenset(S2_FIELDS + S2_QUIET_FIELDS)
S2_SOURCE_NAME = "Semantic Scholar"  # who wrote a Semantic Scholar record's ``tldr``, for its label
# Its answers that list papers: a search's ``{"total", "offset", "next", "data": [...]}`` (a bulk search's ``token``).
S2_ANSWER_KEYS = frozenset(("data", "total", "offset", "next", "token"))
# OpenAlex's works (api.openalex.org/works), known by their id (``https://openalex.org/W...``): read as our fields
# (``title`` or ``display_name``, the abstract from ``abstract_inverted_index``, ``authorships`` → the authors and
# their institutions, ``doi``, ``publication_date``, ``primary_location``'s landing page and PDF); its many other
# fields (counts, concepts, topics, its own ``keywords`` objects...) are not reported. Its answer is
# ``{"meta", "results"}``.
OPENALEX_WORK = re.compile(r"https://openalex\.org/W\d+", re.IGNORECASE)
OPENALEX_ANSWER_KEYS = frozenset(("meta", "results", "group_by"))
MAX_ABSTRACT_WORDS = 20_000  # an inverted index of more positions is cut there (abstracts are cut at 10,000 characters)
LINK_FIELDS = ("url", "pdf", "code", "project_page")
TOP_LEVEL_KEYS = ("date", "papers", "source")
UNKNOWN_FIELD = re.compile(r"unknown field .+ ignored")


def read_yaml(data: bytes, display: str) -> ReadResult:
    """A YAML list of papers, or a mapping with ``date`` and ``papers``."""
    problems: list[Problem] = []
    text = decode_text(data, display, problems)
    try:
        document = load_yaml(text, display, problems)
    except yaml.YAMLError as error:
        line, reason = yaml_problem(error)
        return ReadResult(problems=[*problems, Problem(display, line=line, message=f"invalid YAML: {reason}")])
    except RecursionError:
        return ReadResult(problems=[*problems, Problem(display, message="invalid YAML: nested too deeply")])
    return read_document(document, display, problems)


def read_json(data: bytes, display: str) -> ReadResult:
    """A JSON list of papers, an object with ``date`` and ``papers``, or a Hugging Face daily-papers list.

    One object per line is JSON Lines whatever the extension (arXiv's bulk metadata is such a ``.json`` file).
    """
    problems: list[Problem] = []
    document = _load_json(data, display, problems)
    if isinstance(document, ReadResult):
        if _json_lines(data):
            return read_jsonl(data, display)
        return document
    if is_paper_object(document):  # one paper, as huggingface.co/api/papers/ID answers
        document = [document]
    if looks_like_daily_papers(document):
        result = read_daily_papers(document, display)
        result.problems[:0] = problems
        return result
    return read_document(document, display, problems)


def _json_lines(data: bytes) -> bool:
    """Whether ``data`` is JSON Lines: its first two non-blank lines are each a whole JSON object."""
    lines = [line for line in data.split(b"\n", 2)[:2] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return all(isinstance(json.loads(line, strict=False), dict) for line in lines)
    except (ValueError, RecursionError):
        return False


def read_daily_papers_json(data: bytes, display: str) -> ReadResult:
    """A Hugging Face daily-papers response, whatever its items look like (the format was chosen by name)."""
    problems: list[Problem] = []
    document = _load_json(data, display, problems)
    if isinstance(document, ReadResult):
        return document
    result = read_daily_papers(document, display)
    result.problems[:0] = problems
    return result


def _load_json(data: bytes, display: str, problems: list[Problem]) -> Any:
    """The parsed document, or a ``ReadResult`` holding the reason it could not be parsed."""
    text = decode_text(data, display, problems)
    try:
        # strict=False lets raw control characters through; clean_text removes and reports them.
        document = _parse_json(text, display, problems)
    except json.JSONDecodeError as error:
        problem = Problem(display, line=error.lineno, message=f"invalid JSON: {error.msg}")
        return ReadResult(problems=[*problems, problem])
    except RecursionError:
        return ReadResult(problems=[*problems, Problem(display, message="invalid JSON: nested too deeply")])
    return document


def _parse_json(text: str, display: str, problems: list[Problem], line: int = 0) -> Any:
    """``json.loads``, reporting a key written twice in one object (json keeps the last without a word: a second
    ``abstract`` replaced the first, a pasted paper missing its braces replaced the paper before it), and reading a
    comma after an object's or a list's last item (JSON allows none; a list written by hand often has one) as if it
    were not there: each is reported."""

    def mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        repeated: list[str] = []
        for key, value in pairs:
            if key in result:
                repeated.append(key)
            result[key] = value
        for key in dict.fromkeys(repeated):
            title = result.get("title")
            where = f" (the object with title {describe(title)})" if isinstance(title, str) and not line else ""
            found.append(Problem(display, line=line, message=f"{key!r} is written twice in one object{where};"
                                                             " only the last is read"))
        return result

    commas: list[int] = []
    while True:
        found: list[Problem] = []
        try:
            document = json.loads(text, strict=False, parse_int=_int_or_text, parse_float=_number,
                                  object_pairs_hook=mapping)
        except json.JSONDecodeError as error:
            comma = _trailing_comma(text, error.pos)
            if comma is None or len(commas) == MAX_TRAILING_COMMAS:
                raise
            commas.append(line or text.count("\n", 0, comma) + 1)
            text = f"{text[:comma]} {text[comma + 1:]}"  # a space in its place: the lines of what follows stay
            continue
        problems.extend(Problem(display, line=number, message=TRAILING_COMMA) for number in commas)
        problems.extend(found)
        return document


# Each comma after a last item costs the file one more parse: past this many, it is reported as invalid JSON.
MAX_TRAILING_COMMAS = 100
TRAILING_COMMA = "a comma after the last item (JSON allows none); read as if it were not there"


def _trailing_comma(text: str, position: int) -> int | None:
    """Where the comma is when a parse failed at ``position`` because of a comma after the last item (at the ``]`` or
    ``}`` that follows it, or at the comma itself, as newer Pythons say); else None."""
    if text[position : position + 1] in ("]", "}"):
        before = text[:position].rstrip()
        return len(before) - 1 if before.endswith(",") else None
    if text[position : position + 1] == "," and text[position + 1 :].lstrip()[:1] in ("]", "}", ""):
        return position
    return None


def read_jsonl(data: bytes, display: str) -> ReadResult:
    """JSON Lines: one paper object per line (our paper fields, or a daily-papers item); blank lines skipped."""
    result = ReadResult()
    text = decode_text(data, display, result.problems)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = _parse_json(line, display, result.problems, line=number)
        except (json.JSONDecodeError, RecursionError) as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
            result.problems.append(Problem(display, line=number, message=f"invalid JSON: {reason}; skipped"))
            continue
        if isinstance(item, dict) and (isinstance(item.get("paper"), dict) or is_paper_object(item)):
            paper = read_daily_item(item, display, number, result.problems, by_line=True)
        else:
            paper = read_item(item, display, number, result.problems, by_line=True)
        if paper is not None:
            result.papers.append(paper)
    _unknown_fields_once(result.problems)
    return result


def _unknown_fields_once(problems: list[Problem]) -> None:
    """Each unknown field once for the file, where its first paper has it, with the number of papers that have it
    too: a digest's own fields in every record (``topic``, ``contribution``) were one line per field and paper, 300
    lines for a day of 77 papers, which buried every other problem of the build."""
    counts = Counter(problem.message for problem in problems if UNKNOWN_FIELD.fullmatch(problem.message))
    reported: set[str] = set()
    kept = []
    for problem in problems:
        more = counts.get(problem.message, 0) - 1
        if more > 0:
            if problem.message in reported:
                continue
            reported.add(problem.message)
            problem = replace(problem, message=f"{problem.message} (and in {count(more, 'more paper')} of this file)")
        kept.append(problem)
    problems[:] = kept


def _number(text: str) -> YamlNumber:
    """A JSON number with a fraction, printing as written: ``"arxiv": 2401.10000`` stays ``2401.10000`` (a float
    prints 2401.1, not an arXiv id), as in YAML."""
    number = YamlNumber(float(text))
    number.source = text
    return number


def _int_or_text(digits: str) -> int | str:
    # Python refuses to convert integers of more than 4300 digits; keep those as text.
    try:
        return int(digits)
    except ValueError:
        return digits


def read_document(document: Any, display: str, problems: list[Problem] | None = None) -> ReadResult:
    """Turn a parsed YAML/JSON document into papers, reporting each bad item by number.

    A mapping's ``source`` names who wrote the papers' ``tldr`` and ``keywords`` (their label on
    the site); without it, the file's name does.
    """
    result = ReadResult(problems=list(problems or []))
    origin = file_name(display)
    items = document
    if isinstance(document, dict) and "papers" not in document and isinstance(document.get("paperId"), str):
        items = [document]  # one Semantic Scholar paper (graph/v1/paper/ID)
    elif (isinstance(document, dict) and "papers" not in document and isinstance(document.get("data"), list)
          and S2_ANSWER_KEYS.issuperset(document)):
        items = document["data"]  # a Semantic Scholar search's answer
    elif (isinstance(document, dict) and "papers" not in document and isinstance(document.get("results"), list)
          and OPENALEX_ANSWER_KEYS.issuperset(document)):
        items = document["results"]  # an OpenAlex answer
    elif isinstance(document, dict) and _is_openalex(document):
        items = [document]  # one OpenAlex work (api.openalex.org/works/ID)
    elif isinstance(document, dict):
        result.issue_date = _top_level_date(document, display, result.problems)
        extra = sorted(describe(key) for key in document if key not in TOP_LEVEL_KEYS)
        for key in extra:
            result.problems.append(Problem(display, message=f"unknown top-level key {key} ignored"))
        items = document.get("papers", [])
        origin = _top_level_source(document, display, result.problems) or origin
        if "papers" not in document:  # another tool's answer (OpenAlex's results): its papers would go unsaid
            keys = ", ".join(sorted(describe(key) for key in document)) or "no key"
            result.problems.append(Problem(display, message=(
                "no 'papers' in this mapping: it holds no papers (a paper list is a list of papers, or a mapping"
                f" with 'date' and 'papers'; this one has {keys})")))
    if document is None:
        result.problems.append(Problem(display, message="the file holds no papers"))
        return result
    if not isinstance(items, list):
        result.problems.append(Problem(display, message="expected a list of papers or a mapping with 'papers'"))
        return result
    for number, item in enumerate(items, start=1):
        paper = read_item(item, display, number, result.problems, origin=origin)
        if paper is not None:
            result.papers.append(paper)
    _unknown_fields_once(result.problems)
    return result


def file_name(display: str) -> str:
    """The file's own name (``reading.yaml``), the label of summaries a list gives without a ``source``.

    The name's bytes are read as UTF-8 whatever the locale: under a Latin-1 one (``LANG=de_DE.ISO-8859-1``) Python
    decodes file names as Latin-1, and ``café`` showed as ``cafÃ©``. A name that is not UTF-8 (Latin-1 ``café``
    from an old zip archive) shows U+FFFD in place of its bytes, which no page can hold.
    """
    name = display.replace("\\", "/").rsplit("/", 1)[-1]
    return os.fsencode(name).decode("utf-8", "replace") if not name.isascii() else name


def _top_level_source(document: dict[Any, Any], display: str, problems: list[Problem]) -> str:
    value = document.get("source")
    if value is None:
        return ""
    if isinstance(value, str) and " ".join(value.split()):
        cleaned, _ = clean_text(" ".join(value.split()))
        return cleaned[:MAX_SOURCE_CHARS]
    problems.append(Problem(display, message=f"top-level source {describe(value)} should be text; ignored"))
    return ""


def _top_level_date(document: dict[Any, Any], display: str, problems: list[Problem]) -> dt.date | None:
    if "date" not in document:
        return None
    value = parse_date(document["date"])
    if value is None:
        wrong = impossible_date(document["date"]) if isinstance(document["date"], str) else None
        message = (f"top-level date is no date ({wrong})" if wrong
                   else f"top-level date {describe(document['date'])} is not YYYY-MM-DD")
        problems.append(Problem(display, message=message))
    return value


# A date written with its month's English name, as Hugging Face's pages show it ("Published on Mar 5, 2025", which
# scripts that scrape them save as it is), and as people write it: "March 5, 2025", "5 Mar 2025", "5 March, 2025".
# (calendar's names are the locale's.)
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
MONTHS = {name: number for number, full in enumerate(MONTH_NAMES, start=1) for name in (full, full[:3])} | {"sept": 9}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(\d{1,2}),?\s+(\d{4})", re.IGNORECASE)
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+" + _MONTH + r",?\s+(\d{4})", re.IGNORECASE)


def parse_date(value: Any) -> dt.date | None:
    """A date from a YAML date, an ISO string (a time part is allowed and dropped), or one written with its month's
    English name ("Mar 5, 2025", "5 March 2025")."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    if isinstance(value, str):
        text = " ".join(value.split())
        if found := MONTH_DAY_YEAR.fullmatch(text):
            month, day, year = found.groups()
        elif found := DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = found.groups()
        else:
            return None
        try:
            return dt.date(int(year), MONTHS[month.lower()], int(day))
        except ValueError:
            return None
    return None


def read_item(
    item: Any, display: str, number: int, problems: list[Problem], *, by_line: bool = False, origin: str = ""
) -> Paper | None:
    """One paper mapping; returns None (with a problem) when it cannot become a paper."""

    def report(message: str) -> None:
        where = {"line": number} if by_line else {"item": number}
        problems.append(Problem(display, message=message, **where))

    if not isinstance(item, dict):
        report(f"expected a mapping of paper fields, found {type(item).__name__}; skipped")
        return None
    if _is_openalex(item):
        fields, affiliations = _from_openalex(item, report)
        paper = read_item(fields, display, number, problems, by_line=by_line, origin=origin)
        return paper if paper is None else replace(paper, affiliations=affiliations)
    semantic_scholar = isinstance(item.get("paperId"), str)
    known = S2_KNOWN_FIELDS if semantic_scholar else KNOWN_FIELDS
    for key in sorted(describe(key) for key in item if key not in known):
        report(f"unknown field {key} ignored")
    external = item.get("externalIds") if semantic_scholar else None
    if external is not None and not isinstance(external, dict):
        report(f"'externalIds' should be a mapping, found {describe(external)}; ignored")
    external = external if isinstance(external, dict) else {}
    # CSL JSON's ``type`` (article, article-journal, paper-conference...): its ``id`` is the item's own key
    csl = isinstance(item.get("type"), str) and any(key in item for key in CSL_FIELDS)
    title = _text_field(item, "title", report)
    if csl:  # its rich text: <i>E. coli</i>, H<sub>2</sub>O, <span class="nocase">iPhone</span>
        title = CSL_MARKUP.sub("", title)
    title_before, title = title, _unescaped(title)
    if not title:
        report("missing or empty 'title'; skipped")
        return None
    # arXiv calls the abstract ``summary`` (its API, and the records written from it).
    abstract = _text_field(item, "abstract" if item.get("abstract") is not None else "summary", report)
    if csl:
        abstract = CSL_MARKUP.sub("", abstract)
    abstract = _unescaped(abstract)
    if not abstract:
        report("missing or empty 'abstract'")
    arxiv_id = None
    for name in ("arxiv", "id"):  # ``id``: arXiv's bulk metadata and the digests built on its API
        if arxiv_id is None and item.get(name) is not None:
            arxiv_id = normalize_arxiv_id(str(item[name]))
            if arxiv_id is None and not (csl and name == "id"):
                report(f"{name!r} value {describe(item[name])} is not an arXiv id; ignored")
    if arxiv_id is None and external.get("ArXiv") is not None:
        arxiv_id = normalize_arxiv_id(str(external["ArXiv"]))
        if arxiv_id is None:
            report(f"'externalIds.ArXiv' value {describe(external['ArXiv'])} is not an arXiv id; ignored")
    url = item.get("url")
    if arxiv_id is None and isinstance(url, str) and normalize_arxiv_id(url) and not url.strip().lower().startswith(
            ("http://", "https://")):  # url: arXiv:1512.03385 names the paper, as `arxiv:` would
        arxiv_id = normalize_arxiv_id(url)
        item = {key: value for key, value in item.items() if key != "url"}
    links = {name: _link_field(item, name, report) for name in LINK_FIELDS}
    for name in ("abs", "URL"):
        if links["url"] is None:
            links["url"] = _link_field(item, name, report)
    if links["code"] is None:
        links["code"] = _link_field(item, "code_url", report)
    if links["pdf"] is None:  # the name of the arXiv API's Python library (arxiv.Result.pdf_url)
        links["pdf"] = _link_field(item, "pdf_url", report)
    if arxiv_id is None and links["url"]:
        arxiv_id = normalize_arxiv_id(links["url"])
    # A paper whose arXiv id is in a form earlier versions did not read (www.arxiv.org, an html or Hugging Face
    # link, a trailing "/"...) had an id from its title: that page stays, sending readers to the arXiv id's.
    named = [item[name] for name in ("arxiv", "id") if item.get(name) is not None] + [links["url"] or ""]
    read_before = any(arxiv_id_read_before(str(value)) for value in named)
    # ... and one whose title had HTML's character references had an id from the title as written.
    id_before = paper_id(title_before, arxiv_id if read_before else None)
    aliases = (id_before,) if id_before != paper_id(title, arxiv_id) else ()
    # Its feed entries keep the id versions up to 0.1.3 gave it (they read hf.co links and "Cite as" ids as nothing).
    read_until_0_1_3 = any(arxiv_id_read_until_0_1_3(str(value)) for value in named)
    feed_id = paper_id(title_before, arxiv_id if read_until_0_1_3 else None)
    published = None
    year = month = None
    if item.get("date") is not None:
        published = parse_date(item["date"])
        if published is None:
            year, month = _year_month(item["date"])
            stamp = isinstance(item["date"], (int, float)) and not isinstance(item["date"], bool)
            if year is None and stamp and item["date"] > 9999:  # 1741132800000: JavaScript's milliseconds, or seconds
                report(f"'date' value {describe(item['date'])} is a number, not a date (a time stamp? its unit and"
                       " time zone are not said): write it as YYYY-MM-DD; ignored")
            elif year is None:
                report(f"'date' value {describe(item['date'])} is not YYYY-MM-DD (or YYYY-MM, YYYY); ignored")
    elif item.get("versions") is not None:
        published = _first_version(item["versions"], report)
    if published is None and item.get("issued") is not None:
        published, year, month = _csl_date(item["issued"], report)
    if semantic_scholar and published is None and year is None:
        published, year = _s2_date(item, report)
    updated = None
    update_field = "update_date" if item.get("update_date") is not None else "updated_date"
    if item.get(update_field) is not None:
        updated = parse_date(item[update_field])
        if updated is None:
            report(f"'{update_field}' value {describe(item[update_field])} is not YYYY-MM-DD; ignored")
    # arXiv's comment ("12 pages, 3 figures"): ``comment``, or in arXiv's bulk metadata (a record with arXiv's
    # ``id``, ``versions``...) ``comments`` as text; elsewhere ``comments`` is a count.
    bulk = any(key in item for key in ("id", "submitter", "versions", "update_date", "authors_parsed"))
    text_comments = bulk and item.get("comment") is None and isinstance(item.get("comments"), str)
    comment_field = "comments" if text_comments else "comment"
    comment = " ".join(_text_field(item, comment_field, report).split()) or None
    journal_field = next((name for name in ("journal-ref", "container-title") if item.get(name) is not None),
                         "journal_ref")
    journal_ref = " ".join(_text_field(item, journal_field, report).split()) or None
    origin = origin or file_name(display)
    authors = _authors(item.get("authors") if item.get("authors") is not None else item.get("author"), report)
    doi = _text_field(item, "doi" if item.get("doi") is not None else "DOI", report) or None
    if doi is None and external.get("DOI") is not None:
        doi = _text_field(external, "DOI", lambda message: report(message.replace("'DOI'", "'externalIds.DOI'")))
        doi = doi or None
    categories = _texts(item.get("categories"), "categories", report)
    primary = _texts(item.get("primary_category"), "primary_category", report)[:1]
    if primary:  # the arXiv API's Python library's name: the primary category, whatever order categories lists
        categories = (*primary, *(category for category in categories if category != primary[0]))
    keywords = _texts(item.get("keywords"), "keywords", report)
    summary_source = origin
    if semantic_scholar and isinstance(item.get("tldr"), dict):  # {"model": "tldr@v2.0.0", "text": "..."}
        tldr = " ".join(_text_field(item["tldr"], "text", lambda m: report(m.replace("'text'", "'tldr.text'"))).split())
        summary_source = S2_SOURCE_NAME
    else:
        tldr = " ".join(_text_field(item, "tldr", report).split())
    upvotes = _count_field(item, "upvotes", report)
    comments = None if text_comments else _count_field(item, "comments", report)
    stars = _count_field(item, "stars" if item.get("stars") is not None else "code_stars", report)
    if stars and not links["code"]:  # pages show stars beside the code link: without one they went unseen, unsaid
        report(f"'stars' ({stars:,}) is shown beside the code link, and this paper has none: give its repository"
               " as code: (a URL)")
    return Paper(
        id=paper_id(title, arxiv_id),
        aliases=aliases,
        feed_id=feed_id if feed_id in aliases else None,
        title=title,
        abstract=abstract,
        added=UNSET_DATE,
        source=f"{display}:{number}" if by_line else f"{display}: item {number}",
        authors=authors,
        arxiv_id=arxiv_id,
        url=links["url"],
        pdf=links["pdf"],
        code=links["code"],
        project_page=links["project_page"],
        doi=doi,
        published=published,
        updated=updated,
        year=year,
        month=month,
        comment=comment,
        journal_ref=journal_ref,
        categories=categories,
        keywords=keywords,
        keywords_source=origin if keywords else "",
        upvotes=upvotes,
        comments=comments,
        stars=stars,
        organization=" ".join(_text_field(item, "organization", report).split()),
        tldr=tldr,
        summary_source=summary_source if tldr else "",
    )


def _is_openalex(item: dict[Any, Any]) -> bool:
    return isinstance(item.get("id"), str) and OPENALEX_WORK.fullmatch(item["id"].strip()) is not None


def _from_openalex(work: dict[Any, Any], report: Callable[[str], None]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """An OpenAlex work as our fields, and its authors' institutions (its other fields are dropped unsaid)."""
    fields: dict[str, Any] = {"title": work.get("title") if work.get("title") is not None else work.get("display_name")}
    index = work.get("abstract_inverted_index")
    if index is not None:
        fields["abstract"] = _inverted_abstract(index, report)
    authors: list[str] = []
    places: list[str] = []
    authorships = work.get("authorships")
    for authorship in authorships if isinstance(authorships, list) else []:
        author = authorship.get("author") if isinstance(authorship, dict) else None
        name = author.get("display_name") if isinstance(author, dict) else None
        if not isinstance(name, str) and isinstance(authorship, dict):
            name = authorship.get("raw_author_name")
        if isinstance(name, str) and name.strip():
            authors.append(name)
        institutions = authorship.get("institutions") if isinstance(authorship, dict) else None
        for institution in institutions if isinstance(institutions, list) else []:
            place = institution.get("display_name") if isinstance(institution, dict) else None
            if isinstance(place, str) and " ".join(place.split()) and " ".join(place.split()) not in places:
                places.append(" ".join(place.split()))
    if authors:
        fields["authors"] = authors
    for ours, theirs in (("doi", "doi"), ("date", "publication_date")):
        if work.get(theirs) is not None:
            fields[ours] = work[theirs]
    location = work.get("primary_location")
    if isinstance(location, dict):
        for ours, theirs in (("url", "landing_page_url"), ("pdf", "pdf_url")):
            if isinstance(location.get(theirs), str) and http_link(location[theirs]):
                fields[ours] = location[theirs]
    return fields, tuple(clean_text(place)[0] for place in places)


def _inverted_abstract(index: Any, report: Callable[[str], None]) -> str:
    """The text of OpenAlex's ``abstract_inverted_index`` (``{"word": [positions]}``), its words in their order."""
    if not isinstance(index, dict):
        report(f"'abstract_inverted_index' should be a mapping of words to positions, found {describe(index)}; ignored")
        return ""
    words: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and not isinstance(position, bool) and len(words) < MAX_ABSTRACT_WORDS:
                words.setdefault(position, str(word))
    return " ".join(words[position] for position in sorted(words))


def _s2_date(item: dict[Any, Any], report: Callable[[str], None]) -> tuple[dt.date | None, int | None]:
    """A Semantic Scholar record's publication date (``publicationDate``, often null) or else its ``year``."""
    if item.get("publicationDate") is not None:
        published = parse_date(item["publicationDate"])
        if published is not None:
            return published, None
        report(f"'publicationDate' value {describe(item['publicationDate'])} is not YYYY-MM-DD; ignored")
    year = item.get("year")
    if year is None:
        return None, None
    if isinstance(year, int) and not isinstance(year, bool) and 1000 <= year <= 9999:
        return None, year
    report(f"'year' value {describe(year)} is not a year; ignored")
    return None, None


def _first_version(value: Any, report: Callable[[str], None]) -> dt.date | None:
    """The date of version 1 from arXiv's ``versions``.

    ``[{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, ...]``
    """
    first = value[0] if isinstance(value, list) and value else None
    created = first.get("created") if isinstance(first, dict) else None
    found = day_of(created) if isinstance(created, str) else None
    if isinstance(created, str) and found is None:
        report(f"'versions': {describe(created)} is not a date; ignored")
    return found


def _year_month(value: Any) -> tuple[int | None, int | None]:
    """A publication date known to the month or the year only: ``2024-03``, ``2024`` (text or a number)."""
    text = str(value) if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)) else ""
    parts = date_parts(text)
    if parts is None or len(parts) > 2:  # a whole date is parse_date's
        return None, None
    return parts[0], parts[1] if len(parts) > 1 else None


def _csl_date(value: Any, report: Callable[[str], None]) -> tuple[dt.date | None, int | None, int | None]:
    """CSL JSON's ``issued``: ``{"date-parts": [[2021, 6, 15]]}`` (numbers or digits; the year alone, or with its
    month) or ``{"raw": "2021-06-15"}``: the whole date, else the year and month; a range's first date."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else None
    if first is None and isinstance(value, dict) and isinstance(value.get("raw"), str):
        first = date_parts(value["raw"])
    numbers = [int(part) if isinstance(part, str) and whole_number(part) else part for part in first or []][:3]
    if numbers and all(isinstance(part, int) and not isinstance(part, bool) for part in numbers):
        year, month, day = numbers[0], *[*numbers[1:], None, None][:2]
        if 1000 <= year <= 9999 and 1 <= (month or 1) <= 12:
            if day is None:
                return None, year, month
            try:
                return dt.date(year, month or 1, day), None, None
            except ValueError:
                pass
    report(f"'issued' value {describe(value)} is not a CSL date (date-parts: [[year, month, day]]); ignored")
    return None, None, None


def _count_field(item: dict[Any, Any], name: str, report: Callable[[str], None]) -> int | None:
    """A count (``upvotes``, ``comments``, ``stars``): a whole number, 0 or more; anything else is reported."""
    value = item.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):  # an empty cell: no count, as null
        return None
    found = count_of(value)
    if found is None:
        report(f"{name!r} should be a whole number (0 or more), found {describe(value)}; ignored")
    return found


# HTML's character references, as lists scraped from web pages keep them: "Tom &amp; Jerry&#39;s", "&lt;b&gt;".
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescaped(text: str) -> str:
    """``text`` with HTML's character references as the characters they stand for: pages showed them as written."""
    if "&" not in text or CHARACTER_REFERENCE.search(text) is None:
        return text
    return clean_text(html.unescape(text))[0]  # a reference may stand for a control character (&#7;)


def _texts(value: Any, name: str, report: Callable[[str], None]) -> tuple[str, ...]:
    """A list of short texts (``categories``, ``keywords``); one text is a list of one, except that
    categories in one text are split at spaces and commas (arXiv's bulk metadata: ``"math.CO cs.DM"``)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = re.split(r"[\s,]+", value.strip()) if name == "categories" else [value]
    if not isinstance(value, list):
        report(f"{name!r} should be a list of texts, found {type(value).__name__}; ignored")
        return ()
    kept = []
    for entry in value:
        if not isinstance(entry, str):
            report(f"{name!r}: {describe(entry)} is not text; ignored")
            continue
        cleaned, _ = clean_text(" ".join(entry.split()))
        if cleaned:
            kept.append(cleaned)
    return tuple(dict.fromkeys(kept))


def _text_field(item: dict[Any, Any], name: str, report: Callable[[str], None]) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        report(f"{name!r} should be text, found {type(value).__name__}")
        return ""
    text, changed = clean_text(str(value).strip())
    if changed:
        report(f"control characters removed from {name!r}")
    return text


def _link_field(item: dict[Any, Any], name: str, report: Callable[[str], None]) -> str | None:
    value = item.get(name)
    if isinstance(value, str):  # a line break or tab inside a URL is no part of it (http_link)
        value = value.strip().translate(TAB_OR_NEWLINE)
    text = _text_field({name: value}, name, report)
    if not text:
        return None
    link = http_link(text)
    if link is None:
        report(f"{name!r} is not an http(s) URL; ignored")
    return link


def _authors(value: Any, report: Callable[[str], None]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # "A, B and C", as arXiv's bulk metadata writes them (LaTeX accents decoded,
        text = _latex_text(value) if LATEX_MARK.search(value) else value  # affiliations in parentheses left out)
        if ";" in text:  # "Smith, Alice; Jones, Bob" (reference managers' exports): each "Last, First" is one name
            value = [" ".join(reversed(name.split(",", 1))) if name.count(",") == 1 else name
                     for part in without_affiliations(text).split(";") for name in re.split(r"\s+and\s+", part)]
        elif names := _bibtex_names(without_affiliations(text).strip()):
            value = names
        else:
            value = split_names(text)
    if not isinstance(value, list):
        report(f"'authors' should be a list of names, found {type(value).__name__}")
        return ()
    names = []
    for name in value:
        if isinstance(name, dict):  # {"name": ...} (Semantic Scholar, Hugging Face) or {"given", "family"} (CSL)
            name = name.get("name") if isinstance(name.get("name"), str) else _given_family(name)
        if not isinstance(name, str):
            report(f"author {describe(name)} is not text; ignored")
            continue
        cleaned, _ = clean_text(" ".join(name.split()))
        if cleaned:
            names.append(cleaned)
    return tuple(names)


def _bibtex_names(text: str) -> list[str]:
    """The names of ``text`` when written as BibTeX's author field writes them, "Li, Wei and Chen, Bo": each
    "Last, First", joined by "and", perhaps ending with BibTeX's "and others" (no author: left out); else none."""
    names = re.split(r"\s+and\s+", text)
    if len(names) < 2:
        return []
    if cut := ET_AL.search(names[-1]):
        names = names[:-1] + ([names[-1][:cut.start()]] if cut.start() else [])
    if not names or not all(map(_last_first, names)):
        return []
    return [" ".join(reversed(name.split(",", 1))) for name in names]


def _last_first(name: str) -> bool:
    """Whether ``name`` is written "Last, First" ("Li, Wei"), not "Evans, II" or two names."""
    last, comma, first = name.partition(",")
    return bool(comma and last.strip() and first.strip() and "," not in first
                and not NAME_SUFFIX.fullmatch(first.strip()))


def _given_family(author: dict[Any, Any]) -> str | dict[Any, Any]:
    """"Given Family" from a CSL-style author mapping (with its particles and suffix: "Ludwig van Beethoven", "Martin
    Luther King Jr.", or a ``literal`` name: "World Health Organization"); the mapping itself when it has none."""
    if isinstance(author.get("literal"), str) and author["literal"].strip():
        return str(author["literal"])
    keys = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
    parts = [author.get(key) for key in keys]
    text = " ".join(part for part in parts if isinstance(part, str))
    return text if text.strip() else author


LATEX_MARK = re.compile(r"[\\{}]")


def _latex_text(value: str) -> str:
    """Names written in LaTeX (``Sch\\"on``, ``{\\'E}mile``) as plain text."""
    from pylatexenc.latex2text import LatexNodes2Text  # only for the rare names written in LaTeX

    try:
        return str(LatexNodes2Text().latex_to_text(value))
    except (RecursionError, ValueError, IndexError):  # not LaTeX after all: the names as written
        return value
