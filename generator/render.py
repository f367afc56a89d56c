"""Render the Markdown pages of the site from Jinja2 templates, in memory."""

from __future__ import annotations

import datetime as dt
import functools
import html
import itertools
import json
import posixpath
import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from anyascii import anyascii
from markupsafe import Markup
from markupsafe import escape as markup_escape

from generator import author_pages, counts, escape, forked, latex_text, mathml, packaged, paper_pages, picks, top, watch
from generator.authors import Authors, find_authors
from generator.config import Config, Site
from generator.errors import BuildError
from generator.model import ARXIV_NEW, COLLABORATION_FIRST, Issue, Paper, credited_authors, is_safe_id, pdf_link
from generator.picks import Pick, Picks
from generator.search import normalize as unaccented
from generator.slugs import feed_files, page_url
from generator.topics import OTHER, Topic
from generator.topics.features import CJK
from generator.trends import trends_list, trends_svg
from generator.writer import StagedWriter, stage_if_changed

NAV_FILE = ".nav.yml"
SIGNALS_TEMPLATE = "_signals.html.j2"
EMPTY = Markup("")
# Templates are UTF-8; "utf-8-sig" also reads one saved with a byte-order mark (Windows Notepad), without the mark.
TEMPLATE_ENCODING = "utf-8-sig"
PAPER_ROOT = "../.."  # the site's root seen from a paper page, papers/<id>/
# The id of a paper page's heading (its skip link's and permalink's target): short, as it is three times on
# every paper page; an old link to the slug of the title still opens the page at its top, where the heading is.
PAPER_ANCHOR = "title"
NAV_TOPICS = 50
"""The navigation lists each topic up to this many topics with papers; beyond, only the topics' index. Every page
the navigation lists carries the whole navigation, and each topic's first page is one of them: a taxonomy of 1,000
topics made 887 first pages of 141 KB each (135 MB of a 5,000-paper site of 258 MB). Unlisted, they share the one
navigation of the pages it does not list (README, "Output"), and the topics' index lists every topic."""
HOME_PAPERS = 200
"""The home page lists at most this many of the newest issue's papers (each topic's first, then each topic's second,
...), each topic ending with how many more the issue page has: a first import of 20,000 papers in one issue made a
home page of 6 MB, and Material's search index, which holds the home page's text, 4.6 MB."""


@dataclass(frozen=True)
class Archive:
    """Everything the pages are made from: papers by id, issues newest first, topics."""

    papers: dict[str, Paper]
    issues: list[Issue]
    topics: list[Topic]
    site: Site
    config: Config
    picks: Picks | None = None
    """Each issue's picks from the reading list (generator/picks/); None without a ``picks:`` setting."""
    authors: Authors | None = None
    """The authors with pages, when the build found them already (meanwhile, in a helper); else the renderer does."""
    dated: dt.date | None = None
    """The newest paper list's date (of one with papers): what the built site is dated by (``digest epoch``)."""
    hidden: tuple[Paper, ...] = ()
    """The papers the curation file hides, with their topics: only feed dates count them (generator/feeds.py)."""
    other: Topic = OTHER
    """The topic of the papers that match no other, as the taxonomy names it (``other:``)."""
    citation_keys: dict[str, str] | None = None
    """Each paper's citation key (:func:`citation_keys`), when the build made them already (while it waited for its
    helper); else the renderer does."""

    def topic(self, slug: str) -> Topic:
        return self.topics_by_slug[slug]

    @functools.cached_property
    def watched(self) -> dict[str, tuple[str, ...]]:
        """Each watched paper's id and its reasons (generator/watch.py); empty without a ``watch:`` setting."""
        return watch.watched_papers(self.papers.values(), self.config.watch)

    def watched_newest_first(self) -> list[Paper]:
        """The watched papers, newest issue first (the watch page's and feeds' order)."""
        return newest_first([self.papers[paper_id] for paper_id in self.watched])

    def picked(self, paper_id: str) -> Pick | None:
        """The paper's pick from the reading list, if it is one (generator/picks/)."""
        return self.picks.by_paper.get(paper_id) if self.picks is not None else None

    @functools.cached_property
    def hidden_by_issue(self) -> dict[tuple[dt.date, str | None], int]:
        """How many hidden papers each issue had: in all (``(date, None)``) and by each of their topics (by slug)."""
        found: dict[tuple[dt.date, str | None], int] = {}
        for paper in self.hidden:
            for slug in (None, *{match.slug for match in paper.topics}):
                found[paper.added, slug] = found.get((paper.added, slug), 0) + 1
        return found

    @functools.cached_property
    def topics_by_slug(self) -> dict[str, Topic]:
        """Every topic, Other last, by slug; made once: cards and feed entries look a topic up per paper, and a
        dict made anew for each of them cost 4.3 s at 5,000 papers and 1,000 topics."""
        return {topic.slug: topic for topic in (*self.topics, self.other)}

    @functools.cached_property
    def by_newest(self) -> list[Paper]:
        """Every paper, newest issue first (:func:`newest_first`), sorted once: pages, feeds and the index use it."""
        return newest_first(list(self.papers.values()))

    @functools.cached_property
    def rank(self) -> dict[str, int]:
        """Each paper's place in :attr:`by_newest`: ``sorted(ids, key=rank.__getitem__)`` is newest first."""
        return {paper.id: number for number, paper in enumerate(self.by_newest)}

    @functools.cached_property
    def topic_members(self) -> dict[str, list[Paper]]:
        """Each topic's papers (by any of their topics, not just the first), newest first."""
        members: dict[str, list[Paper]] = {slug: [] for slug in self.topics_by_slug}
        for paper in self.by_newest:
            for match in paper.topics:
                members[match.slug].append(paper)
        return members


def paper_page(paper_id: str) -> str:
    return f"papers/{paper_id}.md"


def paper_page_url(paper_id: str) -> str:
    return f"papers/{paper_id}/"


def topic_page(slug: str, number: int = 1) -> str:
    return f"topics/{slug}/index.md" if number == 1 else f"topics/{slug}/page-{number}.md"


def issue_page(issue: Issue) -> str:
    return f"issues/{issue.date.isoformat()}.md"


def shown_groups(groups: Sequence[tuple[Topic, list[Paper]]], limit: int,
                 ) -> tuple[list[tuple[Topic, list[Paper]]], dict[str, int]]:
    """At most ``limit`` papers of ``groups`` (each topic's first, then each topic's second, ...), and how many of
    each topic's are left out (slug → count; only topics with some left out)."""
    counts = [0] * len(groups)
    left = min(limit, sum(len(members) for _, members in groups))
    while left:
        for index, (_, members) in enumerate(groups):
            if left and counts[index] < len(members):
                counts[index] += 1
                left -= 1
    shown = [(topic, members[:count]) for (topic, members), count in zip(groups, counts, strict=True) if count]
    more = {topic.slug: len(members) - count
            for (topic, members), count in zip(groups, counts, strict=True) if count < len(members)}
    return shown, more


def newest_first(papers: Sequence[Paper]) -> list[Paper]:
    """Newest issue first; within an issue, by title (then id) so the order is stable."""
    return sorted(papers, key=_newest_first_key)


def _newest_first_key(paper: Paper) -> tuple[int, str, str]:
    return -paper.added.toordinal(), paper.title.casefold(), paper.id


def best_first(papers: Sequence[Paper]) -> list[Paper]:
    """The most upvoted first (generator/top.py's ranking), then the others newest first, by title: what to read
    first of an issue's topic, on the issue and home pages and in the email edition."""
    ranked = top.ranked(papers)
    voted = {paper.id for paper in ranked}
    return ranked + [paper for paper in newest_first(papers) if paper.id not in voted]


@functools.lru_cache(maxsize=4096)
def relative_path(target: str, start: str) -> str:
    """``posixpath.relpath`` for the generator's own clean relative paths, without its costly getcwd.

    Rendering calls it for every link of every page; relpath was a sixth of the render stage.
    """
    parts = [part for part in target.split("/") if part not in ("", ".")]
    base = [part for part in start.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


@functools.lru_cache(maxsize=16384)
def _short_text(value: str) -> Markup:
    return escape.text(value)


class TemplateLoader(jinja2.FileSystemLoader):
    """Templates from folders, first match wins, read as UTF-8 with or without a byte-order mark."""

    def __init__(self, template_dir: Path | Sequence[Path]) -> None:
        super().__init__(template_dir, encoding=TEMPLATE_ENCODING)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:  # saved as Latin-1 or Windows-1252 by an editor: it was a traceback
            pieces = jinja2.loaders.split_template_path(template)
            filename = next(path for folder in self.searchpath if (path := Path(folder, *pieces)).is_file())
            data = filename.read_bytes().removeprefix(b"\xef\xbb\xbf")
            start = 0
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                start = error.start
            line, byte = data[:start].count(b"\n") + 1, data[start]
            raise jinja2.TemplateSyntaxError(f"byte 0x{byte:02x} is not UTF-8: save the file as UTF-8", line, template,
                                             str(filename)) from None


def make_environment(template_dir: Path | Sequence[Path]) -> jinja2.Environment:
    """Strict (a missing field is an error) and escaping by default: only ``Markup`` passes raw."""

    def finalize(value: object) -> object:
        if isinstance(value, Markup):
            return value
        if type(value) is str and len(value) <= 80:
            return _short_text(value)  # dates, names, labels: the same few strings over and over
        return escape.text(value)

    def markdown_escape(value: object) -> Markup:
        return value if isinstance(value, Markup) else escape.text(value)

    environment = _environment(template_dir, finalize=finalize)  # macro results are Markup; values go through finalize
    # Jinja's own escaping filters make Markup, which finalize passes as it is: escaped for HTML only, a title's
    # [x](javascript:...) was a live link in the Markdown page. In a Markdown template they escape for Markdown too.
    environment.filters["e"] = environment.filters["escape"] = markdown_escape
    environment.filters["forceescape"] = lambda value: escape.text(str(value))
    environment.filters["urlize"] = lambda value, *_args, **_options: escape.text_with_links(str(value))
    environment.filters["links"] = escape.text_with_links
    environment.filters["link"] = escape.link
    environment.filters["yaml_text"] = lambda value: Markup(json.dumps(str(escape.text(value)), ensure_ascii=False))
    environment.filters["math"] = escape.text_with_math
    environment.filters["math_links"] = lambda value: escape.text_with_math(value, links=True)
    environment.filters["summary"] = summary
    environment.filters["evidence"] = evidence
    return environment


def _environment(template_dir: Path | Sequence[Path], **options: Any) -> jinja2.Environment:
    """Strict (a missing field is an error), autoescaping, and blocks that leave no blank lines.

    Several folders: a template is taken from the first that has it (a site's own, then the packaged one).
    A template saved with a byte-order mark (Windows Notepad's UTF-8) is read without it: Jinja would print it.
    """
    environment = jinja2.Environment(
        loader=TemplateLoader(template_dir),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=True,
        **options,
    )
    # Counts with thousands separators and a singular for one (generator/counts.py):
    # {{ n | counted("paper") }} is "9,577 papers" or "1 paper", {{ n | number }} is "9,577".
    environment.filters["number"] = counts.number
    environment.filters["counted"] = counts.count
    # A link from the data ({{ paper.code | href }}): what no URL may hold ('"', '<', spaces) percent-encoded.
    environment.filters["href"] = escape.href
    return environment


def make_html_environment(template_dir: Path | Sequence[Path]) -> jinja2.Environment:
    """For templates of finished HTML that no Markdown parser reads (``*.html.j2``): HTML escaping only.

    Paper articles and topic cards go into pages as they are (see mkdocs_hooks.py), so the
    Markdown-proof escaping of ``make_environment`` would only make them bigger and slower.
    """
    environment = _environment(template_dir)  # every value but Markup is escaped (markupsafe, in C)
    environment.filters["link"] = lambda url, label: Markup(escape.html_link(url, label))
    environment.filters["math"] = escape.html_with_math
    environment.filters["math_links"] = lambda value: escape.html_with_math(value, links=True)
    environment.filters["evidence"] = evidence
    return environment


def page_window(number: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and those near ``number``; None for a gap.

    A topic of 20,000 papers has 200 pages: listing every number on every page made the
    pagers (and their rendering) grow with the square of the archive.
    """
    wanted = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    shown: list[int | None] = []
    for page in wanted:
        last = shown[-1] if shown else None
        if last is not None and page - last == 2:
            shown.append(last + 1)  # a gap of one page: the page itself is no longer than "…"
        elif last is not None and page - last > 2:
            shown.append(None)
        shown.append(page)
    return shown


def summary(text: str, limit: int = 155) -> str:
    """The start of ``text`` cut at a word, for description meta tags and link previews (search engines show
    about 155 characters of a description)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def evidence(terms: Sequence[str]) -> str:
    """Why a topic was given, as a phrase: 'in the title: “x”; in the abstract: “y”; top terms: a, b'."""
    by_field: dict[str, list[str]] = {}
    for item in terms:
        field, _, term = item.partition(": ") if ": " in item else ("", "", item)
        if field in ("title", "abstract"):
            if f"“{term}”" not in by_field.setdefault(field, []):
                by_field[field].append(f"“{term}”")
        else:  # the topics stage's phrases: "top terms: a, b", "category: cs.RO", "similar to papers ..."
            by_field.setdefault("", []).append(item)
    return "; ".join(
        (f"in the {field}: " + ", ".join(found)) if field else "; ".join(found) for field, found in by_field.items()
    )


def has_signals(paper: Paper) -> bool:
    """True when the source gave any signal worth showing (a count above 0, a code link, ...)."""
    return bool(paper.upvotes or paper.comments or paper.code or paper.project_page or paper.organization)


def has_extras(paper: Paper) -> bool:
    """True when a card of ``paper`` shows more than its title, authors and date."""
    return bool(paper.tldr) or has_signals(paper)


# An arXiv category ("cs.LG", "hep-th", "math.AP"), as a citation's ``primaryClass`` gives it.
ARXIV_CATEGORY = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?")


def citation_key(paper: Paper) -> str:
    """The key ``paper``'s BibTeX entry is named by alone: its first author's surname, year and first title word."""
    surname = _bibtex_name(paper.authors[0]).split(",")[0] if paper.authors else ""
    names = re.findall(r"[a-z]+", unaccented(surname)) or re.findall(r"[a-z]+", anyascii(surname).lower())
    title = _words_shown(paper.title)
    word = next(iter(re.findall(r"[a-z]{3,}", unaccented(title))), "") or _spelled_word(title) or "paper"
    return f"{names[-1] if names else 'anon'}{paper.publication_year or ''}{word}"


def _words_shown(title: str) -> str:
    """The title's words as its page shows them, formulas left out: "\\textit{Euclid} ..." is keyed "euclid", and
    "$\\mathcal{O}(N)$ Sorting" "sorting", never by a command's name ("textit", "mathcal")."""
    shown = latex_text.plain(title)
    for start, end in reversed(mathml.formula_spans(shown)):
        shown = f"{shown[:start]} {shown[end:]}"
    return shown


# A run of Chinese or Japanese characters, written without spaces: a key takes a word's worth of it.
_CJK_START = re.compile(f"[{CJK}]{{1,2}}")


def _spelled_word(title: str) -> str:
    """The first word of a title with no Latin word, in ASCII (anyascii): "Распознавание речи" gives "raspoznavanie",
    "基于深度学习" its first two characters, "jiyu"; a key of Latin letters alone is one every BibTeX reads."""
    for word in re.findall(r"[^\W\d_]+", title):
        cjk = _CJK_START.match(word)
        spelled = "".join(re.findall(r"[a-z]+", anyascii(cjk.group() if cjk else word).lower()))
        if len(spelled) >= 3 or (cjk and spelled):
            return spelled
    return ""


def citation_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Each paper's citation key by its id, one key per paper of the site: two papers of one key (an author's two
    papers of a year with the same first word) would be one entry in a bibliography that cites both. The paper
    first listed (then the smaller id) keeps the key, the others add "b", "c", ...; so a paper listed later never
    changes the key of one already published."""
    by_key: dict[str, list[Paper]] = {}
    for paper in papers:
        by_key.setdefault(citation_key(paper), []).append(paper)
    keys, taken = {}, set(by_key)
    for key, same in by_key.items():
        same.sort(key=lambda paper: (paper.added, paper.id))
        keys[same[0].id], number = key, 1
        for paper in same[1:]:
            while (candidate := f"{key}{_key_suffix(number)}") in taken:
                number += 1
            keys[paper.id] = candidate
            taken.add(candidate)
    return keys


def _key_suffix(number: int) -> str:
    return chr(ord("a") + number) if number < 26 else str(number + 1)


CITED_IN_FULL = 100
"""A citation names every author of a paper of at most this many, else the first ``CITED_FIRST`` and "others"."""
CITED_FIRST = COLLABORATION_FIRST


def bibtex(paper: Paper, key: str | None = None) -> str:
    """A BibTeX entry for ``paper`` (named ``key``, by default its ``citation_key``); braces in the text are kept
    only when they balance.

    The year is the paper's own, when a source gave one; never the issue's (a digest lists papers
    of any age), so an entry without a known year has no ``year`` field rather than a wrong one.
    """
    year = str(paper.publication_year or "")
    key = key or citation_key(paper)
    # A collaboration's hundreds or thousands of names (75 KB for 3,000) are cited as its first ones "and others",
    # as INSPIRE cites them: the page lists everyone.
    collaboration = len(paper.authors) > CITED_IN_FULL
    authors = " and ".join(map(_cited_name, paper.authors[:CITED_FIRST] if collaboration else paper.authors))
    if authors and (paper.more_authors or collaboration):  # cut short: cited as such ("et al."), not as whole
        authors += " and others"
    fields = [("title", _protect_capitals(_bibtex_value(_latex_text(paper.title)))), ("author", authors),
              ("year", year)]
    if paper.journal_ref:  # the venue (a journal, proceedings, arXiv's journal-ref): how a @misc entry gives it
        fields.append(("howpublished", _latex_text(paper.journal_ref)))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
        if paper.categories and ARXIV_CATEGORY.fullmatch(paper.categories[0]):
            fields.append(("primaryClass", paper.categories[0]))
        fields.append(("url", f"https://arxiv.org/abs/{paper.arxiv_id}"))
    elif paper.url:
        fields.append(("url", paper.url))
    body = ",\n".join(f"  {name} = {{{_bibtex_value(value)}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def bibtex_html(paper: Paper, key: str | None = None) -> Markup:
    """The BibTeX entry as HTML text for a <pre> block: escaped, line breaks as references."""
    entry = bibtex(paper, key)
    return Markup(escape.html(entry, keep_spaces=True).replace("\n", "&#10;"))  # escaping leaves \n as it is


def pick_reason(pick: Pick) -> Markup:
    """A pick's reason as HTML: the reading-list title it names shows its formulas as the paper titles beside it do
    (a card read "ℝⁿ" in the paper's title and "$\\mathbb{R}^n$" in the title it is like)."""
    if not pick.like:
        return markup_escape(pick.reason)
    return Markup("like: ") + escape.isolated(escape.html_with_math(pick.like[0], inline=True), pick.like[0])


def paper_links(paper: Paper) -> list[tuple[str, str]]:
    """(URL, label) of the paper's external pages, most useful first.

    The code and project page are not among them: the page's signals line (templates/_signals.html.j2) links them.
    """
    links = []
    if paper.arxiv_id:
        links.append((f"https://arxiv.org/abs/{paper.arxiv_id}", "arXiv"))
    elif paper.url:
        links.append((paper.url, "Paper"))
    if pdf := pdf_link(paper):
        links.append((pdf, "PDF"))
    if paper.doi:
        links.append((f"https://doi.org/{paper.doi}", f"DOI {paper.doi}"))
    if paper.arxiv_id and ARXIV_NEW.fullmatch(paper.arxiv_id):
        # Hugging Face names its paper pages by arXiv's ids of April 2007 on: an old-style id's address
        # (huggingface.co/papers/hep-th/9711200, with a slash) names no page.
        links.append((f"https://huggingface.co/papers/{paper.arxiv_id}", "Hugging Face"))
    return links


# Characters LaTeX reads as commands that the sources give as text ("Q&A", "50%", "C#"; a BibTeX list's "\&" is
# read as "&"): a citation escapes them in its title and names, or typesetting the bibliography stops at them. Links
# are left as they are written (a url field is read verbatim).
_LATEX_SPECIAL = re.compile(r"(?<!\\)([&%#])")
# Outside a formula "$" starts math and "_" and "^" exist only in math: the "$" of a price ("costs $5") or a lone
# one made LaTeX set the rest of the title as math, and "GPT_4" stopped it ("Missing $ inserted").
_MATH_ONLY = re.compile(r"(?<!\\)[$_^]")
_MATH_ONLY_ESCAPED = {"$": "\\$", "_": "\\_", "^": "\\^{}"}
# A "~" between two words ties them ("Claude~Sonnet", "Fig.~3": the pages show a space, latex_text.TIES); any other
# is the character the pages show ("~5x faster", "about ~10%"), which LaTeX would set as a space.
_LONE_TILDE = re.compile(r"(?<!\\)(?:(?<![\w.])~|~(?!\w))")


def _latex_text(value: str) -> str:
    if "$" in value or "_" in value or "^" in value or "~" in value:
        parts, position = [], 0
        for start, end in mathml.formula_spans(value):  # the formulas the pages show as math are kept as written
            parts += [_text_outside_math(value[position:start]), value[start:end]]
            position = end
        parts.append(_text_outside_math(value[position:]))
        value = "".join(parts)
    if "&" not in value and "%" not in value and "#" not in value:  # most names and titles: no pass of the expression
        return value
    return _LATEX_SPECIAL.sub(r"\\\1", value)


def _text_outside_math(text: str) -> str:
    text = _MATH_ONLY.sub(lambda found: _MATH_ONLY_ESCAPED[found.group()], text)
    return _LONE_TILDE.sub(r"\\textasciitilde{}", text)


# A name's last word that BibTeX would take for its surname but is its suffix ("King Jr." was cited as "Jr., King").
_NAME_SUFFIX = re.compile(r"(?:,\s*|\s+)((?:Jr|Sr)\.?|II|III|IV)$")
_SUFFIX_ENDS = ("Jr", "Jr.", "Sr", "Sr.", "II", "IV")  # how a name that has one ends ("III" ends with "II")
# Words of an organisation's name, which BibTeX would split into a first name and a surname ("Google DeepMind" was
# cited as "DeepMind, G."); "and" inside a name would make two authors of it. Matched as written: "Qi Ai" is a person.
_ORGANISATION_WORDS = frozenset((
    "AI", "and", "Agency", "Association", "Center", "Centre", "Collaboration", "Committee", "Consortium", "Corporation",
    "Council", "DeepMind", "Foundation", "Group", "Inc", "Inc.", "Initiative", "Institute", "Lab", "Laboratory",
    "Labs", "Ltd", "Organisation", "Organization", "Project", "Research", "Society", "Team", "University"))


@functools.lru_cache(maxsize=1 << 16)  # an author's name comes back with each of their papers
def _cited_name(name: str) -> str:
    """An author's name as the entry's ``author`` field lists it: LaTeX characters escaped, "von Last, Jr, First"."""
    return _bibtex_name(_latex_text(name))


@functools.lru_cache(maxsize=1 << 16)
def _bibtex_name(name: str) -> str:
    """``name`` as shown ("First von Last", as every source gives it) written "von Last, Jr, First", the form BibTeX
    reads without guessing; an organisation in braces, so no style abbreviates it as a person."""
    words = name.split()
    if len(words) > 1 and not _ORGANISATION_WORDS.isdisjoint(words):
        return f"{{{name}}}"
    suffix = _NAME_SUFFIX.search(name) if name.endswith(_SUFFIX_ENDS) else None  # the test first: most names have none
    head = name
    if suffix:
        head = name[:suffix.start()]
        words = head.split()
    if len(words) < 2 or "," in head:  # one word, or written "Last, First" already
        return name
    last = len(words) - 1  # the surname's first word: the last word, with the lowercase particles before it
    while last > 1 and words[last - 1][:1].islower():
        last -= 1
    surname = " ".join(words[last:]) + (f", {suffix.group(1)}" if suffix else "")
    return f"{surname}, {' '.join(words[:last])}"


# A word of a title with a capital after its first letter ("BERT", "GANs", "ImageNet-1K", "Q\\&A"): most
# bibliography styles set titles in sentence case and would print "Bert" and "Gans" unless the word is in braces
# ("Vision-Language", capitals only at the start of each part, may be lowercased). Words with braces are left as
# the source protected them, and so are those starting with a command ("\\'Etude"), which BibTeX would read as one
# special character and lowercase all the same.
_INNER_CAPITAL_WORD = re.compile(r"(?<!\S)(?![\\{])(?=[^\s{}]*?\w[^\s{}\-/–—]*?[A-Z])[^\s{}]+(?!\S)")


_MAYBE_PROTECTED = re.compile(r"\S[A-Z]|[$\\]")  # an inner capital or a formula may be there: else nothing to do


def _protect_capitals(title: str) -> str:
    if _MAYBE_PROTECTED.search(title) is None:  # most titles (a pass over every word took half of bibtex's time)
        return title

    def protect(text: str) -> str:
        return _INNER_CAPITAL_WORD.sub(r"{\g<0>}", text)

    parts, position = [], 0
    for start, end in mathml.formula_spans(title):
        parts += [protect(title[position:start]), _protect_formula(title[start:end])]
        position = end
    parts.append(protect(title[position:]))
    return "".join(parts)


def _protect_formula(formula: str) -> str:
    """A formula with capitals in braces: BibTeX lowercases math too ("$N$" was printed "$n$", "$\\Sigma$"
    "$\\sigma$"). A group starting with a command is one special character to BibTeX, which it would still
    lowercase: "\\(N\\)" takes two braces."""
    if not re.search("[A-Z]", formula):
        return formula
    return f"{{{{{formula}}}}}" if formula.startswith("\\") else f"{{{formula}}}"


def _bibtex_value(value: str) -> str:
    flat = " ".join(value.split())
    if "{" not in flat and "}" not in flat:
        return flat
    depth = 0
    for char in flat:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return flat if depth == 0 else flat.replace("{", "").replace("}", "")


# Paper pages are most of the rendering. On a machine with a second core, a forked child
# (generator/forked.py) renders paper shards from the start while this process renders the
# listing pages and the feeds; then both take the shards left, one issue at a time, from a
# shared counter. The build's search index, which needs no page, is the child's first job
# (``first``): it and the listing pages take about as long, so neither core waits for the other.
# Output does not depend on who made what: a shard is one issue's papers in id order, made whole
# by one process, and the index is the same function of the archive wherever it runs.


class PaperShards:
    """The papers' shards, one per issue, shared between this process and (when it helps) a forked helper.

    As a context manager: the helper starts on entering, and is stopped on leaving whatever happened.
    ``finish()`` renders the shards no process has taken yet, then collects the helper's.

    ``first``, if given, makes more files that need no page (the build's search index): the helper
    makes them before its first shard and hands them over with its shards; without a helper,
    ``first_files()`` makes them in this process.
    """

    def __init__(self, renderer: Renderer, add: Callable[[str, bytes], None],
                 add_from_helper: Callable[[str, Any], None], out: Path | None, parallel: bool | None = None,
                 first: Callable[[], dict[str, bytes]] | None = None) -> None:
        self.renderer, self.add, self.add_from_helper, self.out = renderer, add, add_from_helper, out
        papers = len(renderer.archive.papers)
        self.parallel = forked.can_fork(papers) if parallel is None else parallel
        self.first = first
        self.first_seconds = 0.0
        """How long the helper took to make ``first``'s files (0 without a helper)."""
        self.helper: forked.Forked[tuple[list[tuple[str, Any]], list[tuple[str, Any]], float]] | None = None
        self.take: Callable[[], int] = itertools.count().__next__

    def __enter__(self) -> PaperShards:
        if self.parallel:
            self.renderer.prepare_papers()  # made once, before the fork
            self.take = forked.shared_counter()
            self.helper = forked.Forked(self._helper_shards)
        return self

    def _helper_shards(self) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]], float]:
        """In the forked child: ``first``'s files, then shards until none is left, as bytes or (with ``out``)
        staged files; and the seconds ``first`` took."""
        start = time.perf_counter()
        files = [self._handed(path, data) for path, data in (self.first() if self.first is not None else {}).items()]
        seconds = time.perf_counter() - start
        shards = [self._handed(path, data) for path, data in self.renderer.shards_taken(self.take)]
        return files, shards, seconds

    def _handed(self, path: str, data: bytes) -> tuple[str, Any]:
        """A file as the helper hands it over: staged in ``out`` as soon as it is made (memory holds one), or its
        bytes (no ``out``)."""
        return (path, data) if self.out is None else (path, stage_if_changed(self.out, path, data))

    def first_files(self) -> dict[str, bytes]:
        """``first``'s files when this process makes them (no helper); else none: ``finish()`` hands them over."""
        return self.first() if self.first is not None and self.helper is None else {}

    def finish(self) -> int:
        """Render the shards left, then take the helper's files and shards; how many shards the helper made."""
        for path, data in self.renderer.shards_taken(self.take):
            self.add(path, data)
        if self.helper is None:
            return 0
        files, made, self.first_seconds = self.helper.result()
        for path, item in files + made:
            self.add_from_helper(path, item)
        return len(made)

    def __exit__(self, *_exc: object) -> None:
        if self.helper is not None:
            self.helper.close()
        self.first = None  # the helper's process object holds this one: a cycle, which must not hold the archive


class Renderer:
    """Turns an ``Archive`` into ``{relative path: Markdown text}``."""

    def __init__(self, archive: Archive, template_dir: Path | Sequence[Path]) -> None:
        self.archive = archive
        self.environment = make_environment(template_dir)
        self.html_environment = make_html_environment(template_dir)
        self.html_environment.globals = self.environment.globals
        self.environment.globals.update(
            site=archive.site,
            topics=archive.topics_by_slug,
            papers=archive.papers,
            issue_page=issue_page,
            topic_page=topic_page,
        )
        self._titles: dict[str, Markup] = {}
        self._cards: dict[str, tuple[Paper, Markup, Markup]] = {}
        self._card_names: dict[str, dict[str, Markup]] = {}
        self._extras: dict[tuple[str, bool], Markup] = {}
        self._macros: dict[bool, Any] = {}
        self._siblings: dict[str, Markup] = {}
        self._links: dict[str, dict[str, Markup]] = {}
        self._neighbours: dict[str, tuple[Paper | None, Paper | None]] | None = None
        self._paper_template: jinja2.Template | None = None
        self._citation_keys: dict[str, str] | None = None
        self._authors: Authors | None = None
        self._author_links: dict[str, dict[str, Markup]] = {}
        self._top: top.TopPeriods | None = None

    def close(self) -> None:
        """Let go of the archive once every page is made.

        Jinja's templates, macros and render contexts hold one another in reference cycles, and through
        them this renderer's globals and page closures: without this, the whole archive (over a million
        objects at 100,000 papers) would wait for the cyclic collector to walk it (3 s at the end of a
        build). Let go here, it is freed by reference counting, at a third of that.
        """
        for environment in (self.environment, self.html_environment):
            environment.cache.clear()  # type: ignore[union-attr]  # the templates, their modules and contexts
        self.environment.globals.clear()  # shared by both environments, and copied into every context
        self.archive.papers.clear()  # ... like this dict, which the contexts' copies of the globals name
        self.__dict__.clear()

    def top_periods(self) -> top.TopPeriods:
        """The weeks and months with their most upvoted papers (generator/top.py), made once."""
        if self._top is None:
            self._top = top.top_periods(self.archive.papers.values(), self.archive.issues)
        return self._top

    def render_all(self) -> dict[str, bytes]:
        """Every page as UTF-8 bytes, in memory (tests, tools); a build streams them: ``render_into``."""
        pages: dict[str, bytes] = {}
        with PaperShards(self, pages.__setitem__, pages.__setitem__, out=None) as papers:
            for path, text in self.iter_listing_pages():
                pages[path] = text.encode("utf-8")
            papers.finish()
        return pages

    def render_into(self, writer: StagedWriter) -> None:
        """Every page, handed to ``writer`` as it is made: memory holds one page, not the archive."""
        with self.paper_shards_into(writer) as papers:
            self.listing_pages_into(writer)
            papers.finish()

    def paper_shards_into(
        self, writer: StagedWriter, first: Callable[[], dict[str, bytes]] | None = None
    ) -> PaperShards:
        """The paper shards for ``writer``; a forked helper stages its shards (and ``first``'s files) in
        ``writer.out`` itself."""
        return PaperShards(self, writer.add, writer.add_staged, out=writer.out, first=first)

    def listing_pages_into(self, writer: StagedWriter) -> None:
        for path, text in self.iter_listing_pages():
            writer.add(path, text.encode("utf-8"))

    def iter_listing_pages(self) -> Iterator[tuple[str, str]]:
        """Every page but the papers': topics, issues, home, archive, subscribe."""
        yield from self.iter_topic_pages()
        yield from self.issue_pages().items()
        yield from author_pages.iter_author_pages(self)
        pages: dict[str, str] = {}
        pages["index.md"] = self.render("home.md.j2", "index.md", **self.home_context())
        pages["topics/index.md"] = self.render("topics.md.j2", "topics/index.md", counts=self.topic_counts())
        issue_topics = {
            issue.date: [(topic, len(members)) for topic, members in self.group_by_topic(issue.paper_ids)]
            for issue in self.archive.issues
        }
        pages["issues/index.md"] = self.render(
            "issues.md.j2", "issues/index.md", issues=self.archive.issues, issue_topics=issue_topics
        )
        pages["subscribe.md"] = self.render(
            "subscribe.md.j2",
            "subscribe.md",
            counts=self.topic_counts(),
            feeds_mode=self.archive.config.feeds.mode,
            feeds_limit=self.archive.config.feeds.limit,
            top_feed=self.top_periods().any_votes,
            watch_feed=self.archive.config.watch is not None,
            picks_feed=self.archive.picks is not None,
        )
        yield from pages.items()
        yield from top.iter_pages(self, self.top_periods())
        yield from self.iter_watch_pages()
        yield from self.iter_picks_pages()
        yield from self.iter_alias_pages()
        yield from self.iter_former_topic_pages()
        yield from self.iter_former_author_pages()

    def iter_alias_pages(self) -> Iterator[tuple[str, str]]:
        """A page sending readers on, at every other id a paper answers to (paper_pages.alias_page)."""
        papers = self.archive.papers
        site_name = str(escape.text(self.archive.site.name))
        for paper_id in sorted(papers):
            paper = papers[paper_id]
            for alias in paper.aliases:
                if alias not in papers and is_safe_id(alias):
                    title = str(escape.text(latex_text.plain(paper.title)))
                    yield f"papers/{alias}/index.html", paper_pages.alias_page(
                        paper.id, title, site_name, self.archive.site.url, self.archive.site.language)

    def iter_former_topic_pages(self) -> Iterator[tuple[str, str]]:
        """A page sending readers on, at ``topics/<slug>/`` of each slug a topic had before (its ``formerly``)."""
        site, members = self.archive.site, self.archive.topic_members
        site_name = str(escape.text(site.name))
        for topic in self.archive.topics_by_slug.values():
            for former in topic.formerly:
                # A topic with no papers has no page (yet): its readers land on the topics' index meanwhile.
                target, path = (f"../{topic.slug}/", f"topics/{topic.slug}/") if members[topic.slug] else \
                    ("../", "topics/")
                # A reader given the old address offers the topic's feeds, as its page does.
                yield f"topics/{former}/index.html", paper_pages.redirect_page(
                    target, path, "This topic is now", str(escape.text(topic.name)), site_name, site.url,
                    site.language, self.topic_feed_links(topic, "../../"))
                # Its later pages were published under the old slug too: each sends readers to the same page now,
                # and offers the feeds from one folder deeper.
                for number in range(2, self.topic_page_count(topic.slug) + 1):
                    later = page_url(topic_page(topic.slug, number))
                    yield f"topics/{former}/page-{number}/index.html", paper_pages.redirect_page(
                        f"../../{topic.slug}/page-{number}/", later, "This topic is now",
                        str(escape.text(topic.name)), site_name, site.url, site.language,
                        self.topic_feed_links(topic, "../../../"))

    def iter_former_author_pages(self) -> Iterator[tuple[str, str]]:
        """A page sending readers on, at ``authors/<slug>/`` (and its later pages) of each other spelling of an author
        (``Author.formerly``: "Baptiste Roziere" for "Baptiste Rozière"), whose page may have been published."""
        site = self.archive.site
        site_name = str(escape.text(site.name))
        authors = self.authors()
        pages = {author.slug for author in authors.by_key.values()}
        for author in authors.by_key.values():
            name = str(escape.text(author.name))
            count = counts.pages(len(author.papers), self.archive.config.topic_page_size)
            for former in author.formerly:
                if former in pages:  # another author's page (a hash clash): never taken over
                    continue
                yield f"authors/{former}/index.html", paper_pages.redirect_page(
                    f"../{author.slug}/", f"authors/{author.slug}/", "This author's page is", name, site_name,
                    site.url, site.language)
                for number in range(2, count + 1):
                    yield f"authors/{former}/page-{number}/index.html", paper_pages.redirect_page(
                        f"../../{author.slug}/page-{number}/", f"authors/{author.slug}/page-{number}/",
                        "This author's page is", name, site_name, site.url, site.language)

    def topic_feed_links(self, topic: Topic, root: str) -> list[tuple[str, str, str]]:
        """The topic's feeds for autodiscovery from a page ``root`` (``../../``) away from the site's root, where the
        feeds are; none for a topic with no papers (it has no feeds)."""
        if not self.archive.topic_members[topic.slug]:
            return []
        title = html.escape(f"{self.archive.site.name}: {topic.name}")
        atom, rss = feed_files(topic.slug)
        return [("application/atom+xml", f"{title} (Atom)", f"{root}{atom}"),
                ("application/rss+xml", f"{title} (RSS)", f"{root}{rss}")]

    def render(self, template: str, page: str, **context: object) -> str:
        here = page_url(page) or "."
        folder = posixpath.dirname(page) or "."

        def url(target: str) -> Markup:
            return Markup(relative_path(target, folder))

        # A link from a page outside its target's folder is the same from every page beside it
        # (papers/a/ and papers/b/ both reach topics/x/ as ../../topics/x/): made once per folder.
        parent = posixpath.dirname(here.rstrip("/"))
        links = self._links.setdefault(parent, {})

        def href(target: str) -> Markup:
            """A link for raw HTML, which MkDocs does not rewrite: the target's directory URL, relative."""
            there = page_url(target) or "."
            if there.startswith(here) or here == ".":
                relative = relative_path(there, here)
                return Markup("./" if relative == "." else relative + "/")
            found = links.get(there)
            if found is None:
                found = links[there] = Markup(relative_path(there, here) + "/")
            return found

        def paper_link(paper: Paper) -> Markup:
            """A paper's title as a link, its first authors and its issue date, then the source's signals and
            summary when it gives them: one line of a list."""
            shared = not paper_page_url(paper.id).startswith(here)  # the same from every page beside this one
            found = links.get("\0" + paper.id) if shared else None
            if found is None:
                found = self.listed(paper, href(paper_page(paper.id))) + self.extras(paper, markdown=True)
                if shared:
                    links["\0" + paper.id] = found
            return found

        def paper_cards(papers: Sequence[Paper], level: int = 2) -> Markup:
            """Papers as cards (templates/cards.html.j2): one HTML block for a whole topic page.

            ``level`` is the cards' heading level: 2 right under the page's h1, 3 under a section's
            h2 (heading levels never skip: screen readers navigate by them, and the Nu checker errs).
            """
            cards = [self.card(paper) for paper in papers]
            made = self._card_names.setdefault(root, {})  # the names are linked from ``root``: made once per root
            for paper in papers:
                if paper.id not in made:
                    made[paper.id] = Markup(", ".join(self.author_names(paper, root, 3)))  # each Markup already
            names = {paper.id: made[paper.id] for paper in papers}
            template = self.html_environment.get_template("cards.html.j2")
            return Markup(template.render(cards=cards, root=root, level=level, names=names))

        root = Markup(relative_path(".", here))  # a path, not text: no escaping in Markdown templates
        environment = self.html_environment if template.endswith(".html.j2") else self.environment
        try:
            return environment.get_template(template).render(
                url=url, href=href, page=page, paper_link=paper_link, paper_cards=paper_cards, root=root, **context
            )
        except Exception as error:
            if not packaged.raised_in_template(error):
                raise
            raise BuildError(packaged.template_error(error, f"content/{page}")) from None

    def card(self, paper: Paper) -> tuple[Paper, Markup, Markup]:
        """A paper's card as templates/cards.html.j2 takes it: the paper, its title and its extras, made once
        (a paper has a card on the pages of each of its topics)."""
        found = self._cards.get(paper.id)
        if found is None:
            found = self._cards[paper.id] = (paper, self.title_html(paper), self.extras(paper))
        return found

    def title_html(self, paper: Paper) -> Markup:
        """A paper's title as HTML (formulas as MathML, in the line), made once: every list and neighbour shows it."""
        found = self._titles.get(paper.id)
        if found is None:
            title = escape.text_with_math(paper.title, inline=True)
            found = self._titles[paper.id] = escape.isolated(title, paper.title)
        return found

    def extras(self, paper: Paper, markdown: bool = False) -> Markup:
        """The source's signals and summary for a card, its signals for a list line (_signals.html.j2), made once.

        A card of a picked paper (generator/picks/) starts with the "Picked" mark and its reason, and a card or
        list line of a watched paper (generator/watch.py) with the "Watched" mark and its reasons: the issue page
        is where a reader of the site meets a new paper by a watched author.

        ``markdown``: a list line (issue pages, the home page), escaped to be safe in a Markdown page too; it
        has the signals only, as the summary is on the paper's cards and page (a line per paper per topic of an
        issue: on a real archive the summary made issue pages a quarter bigger). Else a card, for HTML only.
        """
        reasons = self.archive.watched.get(paper.id, ())
        pick = None if markdown else self.archive.picked(paper.id)
        if not reasons and pick is None and not (has_signals(paper) if markdown else has_extras(paper)):
            return EMPTY  # most papers of most sources: no template call at all
        key = (paper.id, markdown)
        found = self._extras.get(key)
        if found is None:
            macros = self.signal_macros(markdown)
            found = macros.picked(pick_reason(pick)) if pick else EMPTY  # the reading list's mark, on cards
            if reasons:  # the watch list's mark, on its own line after the date on a list line
                found += (" " if markdown else "") + macros.watched(reasons)
            if has_signals(paper):  # on a list line, a space after the date: text (search, copy) reads "…05 5 upvotes"
                found += (" " if markdown else "") + macros.signals(paper)
            if paper.tldr and not markdown:
                found += macros.tldr(paper)
            self._extras[key] = found = Markup(found)
        return found

    def signal_macros(self, markdown: bool = False) -> Any:
        """The macros of templates/_signals.html.j2, in the environment that escapes for where they go."""
        found = self._macros.get(markdown)
        if found is None:
            environment = self.environment if markdown else self.html_environment
            found = self._macros[markdown] = environment.get_template(SIGNALS_TEMPLATE).module
        return found

    def authors(self) -> Authors:
        """The authors with pages (``authors.min_papers`` papers or more), found once."""
        if self._authors is None:
            self._authors = self.archive.authors if self.archive.authors is not None else find_authors(
                self.archive.papers.values(), self.archive.config.authors.min_papers
            )
        return self._authors

    def author_names(self, paper: Paper, root: str, limit: int | None = None) -> list[Markup]:
        """The paper's author names as HTML, each linking to the author's page (``root``/authors/...) if it has one
        and that page lists the paper (a collaboration's paper is on its first authors' pages only, and its other
        names are text); the first ``limit`` only, if given (a card shows three)."""
        authors = self.authors()
        links = self._author_links.setdefault(root, {})
        names = []
        credited = len(credited_authors(paper.authors))
        for position, name in enumerate(paper.authors[:limit]):
            if position >= credited:
                names.append(escape.isolated(markup_escape(name), name))
                continue
            found = links.get(name)
            if found is None:
                slug = authors.slug_of(name)  # slugs are path-safe; the name is escaped as autoescaping does
                shown = escape.isolated(markup_escape(name), name)
                found = links[name] = Markup(f'<a href="{root}/authors/{slug}/">{shown}</a>') if slug else shown
            names.append(found)
        return names

    def byline(self, paper: Paper) -> Markup:
        """' — A, B, C et al. · 2026-11-27': what follows a paper's title in lists."""
        authors = ""
        if paper.authors:
            names = paper.authors[:3]
            joined = ", ".join(names)
            if joined.isascii() or escape.RIGHT_TO_LEFT.search(joined) is None:  # most: one escape, no element
                shown = str(escape.text(joined))
            else:
                shown = ", ".join(escape.isolated(escape.text(name), name) for name in names)
            authors = f" — {shown}{' et al.' if len(paper.authors) > 3 else ''}"
        return Markup(f"{authors} · {paper.added.isoformat()}")

    def topic_counts(self) -> list[tuple[Topic, int]]:
        members = self.archive.topic_members
        topics = self.archive.topics_by_slug.values()
        return [(topic, len(members[topic.slug])) for topic in topics if members[topic.slug]]

    def topic_pages(self) -> dict[str, str]:
        return dict(self.iter_topic_pages())

    def topic_page_count(self, slug: str) -> int:
        """How many pages the topic's papers fill (``topic_page_size`` a page); 0 for a topic with none."""
        return counts.pages(len(self.archive.topic_members[slug]), self.archive.config.topic_page_size)

    def iter_topic_pages(self) -> Iterator[tuple[str, str]]:
        size = self.archive.config.topic_page_size
        for slug, papers in self.archive.topic_members.items():
            if not papers:
                continue
            count = self.topic_page_count(slug)
            for number in range(1, count + 1):
                path = topic_page(slug, number)
                yield path, self.render(
                    "topic.md.j2",
                    path,
                    topic=self.archive.topic(slug),
                    papers=papers[(number - 1) * size : number * size],
                    total=len(papers),
                    number=number,
                    count=count,
                    pager=page_window(number, count),
                )

    def iter_watch_pages(self) -> Iterator[tuple[str, str]]:
        """The watch list's pages (templates/watch.md.j2), newest first and paged like a topic's; none without one."""
        if self.archive.config.watch is None:
            return
        papers = self.archive.watched_newest_first()
        size = self.archive.config.topic_page_size
        count = max(1, counts.pages(len(papers), size))  # a watch list that matches nothing yet still has its page
        for number in range(1, count + 1):
            path = watch.watch_page(number)
            yield path, self.render(
                "watch.md.j2", path, papers=papers[(number - 1) * size : number * size], total=len(papers),
                number=number, count=count, pager=page_window(number, count), watch_page=watch.watch_page,
            )

    def iter_picks_pages(self) -> Iterator[tuple[str, str]]:
        """The picks' pages (templates/picks.md.j2): by issue, newest first, paged like a topic's; none without."""
        if self.archive.picks is None:
            return
        found = self.archive.picks.newest_first()
        size = self.archive.config.topic_page_size
        count = max(1, counts.pages(len(found), size))  # a reading list that picks nothing yet still has its page
        for number in range(1, count + 1):
            part = found[(number - 1) * size : number * size]
            issues = [(date, [self.archive.papers[pick.paper_id] for _, pick in group])
                      for date, group in itertools.groupby(part, key=lambda item: item[0])]
            path = picks.picks_page(number)
            yield path, self.render(
                "picks.md.j2", path, issues=issues, total=len(found), number=number, count=count,
                pager=page_window(number, count), picks_page=picks.picks_page,
            )

    def issue_pages(self) -> dict[str, str]:
        pages = {}
        for issue in self.archive.issues:
            path = issue_page(issue)
            pages[path] = self.render("issue.md.j2", path, issue=issue, groups=self.group_by_topic(issue.paper_ids))
        return pages

    def group_by_topic(self, paper_ids: Sequence[str]) -> list[tuple[Topic, list[Paper]]]:
        """Papers grouped under their first topic, in taxonomy order, each topic's most upvoted first."""
        groups: dict[str, list[Paper]] = {}
        for paper_id in paper_ids:
            paper = self.archive.papers[paper_id]
            groups.setdefault(paper.primary_topic, []).append(paper)
        return [
            (topic, best_first(groups[slug])) for slug, topic in self.archive.topics_by_slug.items() if slug in groups
        ]

    def paper_pages(self, only: Collection[str] | None = None) -> dict[str, bytes]:
        return dict(self.iter_paper_shards(only))

    def iter_paper_shards(self, only: Collection[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """Every paper's article as HTML (or only those of ``only``), one shard per issue (generator/paper_pages.py)."""
        for issue in self.archive.issues:
            shard = self.paper_shard(issue, only)
            if shard is not None:
                yield shard

    def shards_taken(self, take: Callable[[], int]) -> Iterator[tuple[str, bytes]]:
        """The shards of the issues ``take()`` hands out, until it runs past the last issue."""
        issues = self.archive.issues
        while (index := take()) < len(issues):
            shard = self.paper_shard(issues[index])
            if shard is not None:
                yield shard

    def prepare_papers(self) -> None:
        """What every paper shard needs, made once (before a helper forks, so it is made once in all)."""
        if self._neighbours is None:
            self._neighbours = self.neighbours()
        if self._paper_template is None:
            self._paper_template = self.html_environment.get_template("paper.html.j2")
        if self._citation_keys is None:
            self._citation_keys = self.archive.citation_keys or citation_keys(self.archive.papers.values())
        self.authors()
        _ = self.archive.watched  # the watch list's matches, found once
        _ = self.archive.picks.by_paper if self.archive.picks is not None else None  # and the picks by paper

    def paper_shard(self, issue: Issue, only: Collection[str] | None = None) -> tuple[str, bytes] | None:
        """One issue's papers (or those of them in ``only``) as a shard: its path and its bytes."""
        self.prepare_papers()
        assert self._neighbours is not None and self._paper_template is not None
        lines: list[str] = []
        for paper_id in sorted(issue.paper_ids):
            if only is not None and paper_id not in only:
                continue
            paper = self.archive.papers[paper_id]
            previous, next_ = self._neighbours[paper.id]
            related = self.related(paper)
            anchor = PAPER_ANCHOR
            body = self.paper_article(self._paper_template, paper, anchor, previous, next_, related)
            present = {"why-these-topics": bool(paper.topics), "related-papers": bool(related)}
            sections = [anchor for anchor, _ in paper_pages.SECTIONS if present.get(anchor, True)]
            title = str(escape.text(latex_text.plain(paper.title)))  # <title>, og:title: text, its LaTeX decoded
            description = str(escape.text(summary(latex_text.plain(paper.abstract))))
            lines.append(paper_pages.record(paper.id, title, description, anchor, sections, body))
        if not lines:
            return None
        return paper_pages.shard_path(issue.date.isoformat()), ("\n".join(lines) + "\n").encode("utf-8")

    def paper_article(self, template: jinja2.Template, paper: Paper, anchor: str, previous: Paper | None,
                      next_: Paper | None, related: list[Paper]) -> str:
        """One paper's article (templates/paper.html.j2), its values made here so the template calls nothing."""
        added = paper.added.isoformat()
        published = paper.publication_date
        updated = paper.updated.isoformat() if paper.updated and paper.updated != paper.published else ""
        reasons = self.archive.watched.get(paper.id, ())
        pick = self.archive.picked(paper.id)
        macros = self.signal_macros() if reasons or pick or has_extras(paper) else None
        try:
            article = template.render(
                paper=paper, anchor=anchor, root=PAPER_ROOT, title=self.title_html(paper),
                picked=macros.picked(pick_reason(pick), "div") if macros and pick else "",
                watched=macros.watched(reasons, "div") if macros and reasons else "",
                signals=macros.signals(paper) if macros and has_signals(paper) else "",
                tldr=macros.tldr(paper, "p") if macros and paper.tldr else "",
                names=self.author_names(paper, PAPER_ROOT), abstract_dir=escape.direction(paper.abstract),
                affiliations=[escape.isolated(markup_escape(place), place) for place in paper.affiliations],
                dates={"added": added, "published": published, "updated": updated},
                links=paper_links(paper), bibtex=bibtex_html(paper, (self._citation_keys or {}).get(paper.id)),
                related=[self.sibling_link(other) for other in related],
                previous=previous, previous_title=self.title_html(previous) if previous else "",
                next=next_, next_title=self.title_html(next_) if next_ else "",
            )
        except Exception as error:  # the paper it failed on: a template may fail on one paper of thousands
            if not packaged.raised_in_template(error):
                raise
            raise BuildError(packaged.template_error(error, f"the page of paper {paper.id}")) from None
        return article.rstrip("\n")

    def sibling_link(self, paper: Paper) -> Markup:
        """A paper's line in a list on another paper's page (its link is ../<id>/), made once."""
        found = self._siblings.get(paper.id)
        if found is None:
            found = self._siblings[paper.id] = self.listed(paper, Markup(f"../{paper.id}/"))
        return found

    def listed(self, paper: Paper, target: Markup) -> Markup:
        """A paper's line in a list: its title linking to ``target``, its first authors and its issue date."""
        return Markup(f'<a href="{target}">{self.title_html(paper)}</a>{self.byline(paper)}')

    def neighbours(self) -> dict[str, tuple[Paper | None, Paper | None]]:
        """Each paper's previous and next paper in its issue, in the issue page's order."""
        found: dict[str, tuple[Paper | None, Paper | None]] = {}
        for issue in self.archive.issues:
            order = [paper for _topic, members in self.group_by_topic(issue.paper_ids) for paper in members]
            for index, paper in enumerate(order):
                before = order[index - 1] if index > 0 else None
                after = order[index + 1] if index + 1 < len(order) else None
                found[paper.id] = (before, after)
        return found

    def related(self, paper: Paper) -> list[Paper]:
        """Related papers, when the topics stage found them (ids or papers on ``paper.related``)."""
        found = []
        for item in getattr(paper, "related", ()) or ():
            other = self.archive.papers.get(getattr(item, "id", item)) if not isinstance(item, Paper) else item
            if other is not None and other.id != paper.id:
                found.append(other)
        return found

    def home_context(self) -> dict[str, object]:
        latest = self.archive.issues[0] if self.archive.issues else None
        groups, more = shown_groups(self.group_by_topic(latest.paper_ids) if latest else [], HOME_PAPERS)
        return {
            "latest": latest,
            "groups": groups,
            "more": more,
            "shown": sum(len(members) for _, members in groups),
            "counts": self.topic_counts(),
            "total": len(self.archive.papers),
            "issue_count": len(self.archive.issues),
            "stale_after_days": self.archive.config.stale_after_days,
            "trends": trends_svg(
                self.archive.issues, self.archive.papers, list(self.archive.topics_by_slug.values())
            ),
            "trends_list": trends_list(
                self.archive.issues, self.archive.papers, list(self.archive.topics_by_slug.values())
            ),
            **top.home_context(self.top_periods()),
        }

    def nav(self, extra_pages: Sequence[str] = ()) -> str:
        """The navigation: bounded whatever the archive's size (every page embeds it)."""
        topics: list[object] = ["topics/index.md"]
        listed = self.topic_counts()
        for topic, _count in listed if len(listed) <= NAV_TOPICS else ():
            topics.append({html.escape(topic.name): topic_page(topic.slug)})
        issues: list[object] = ["issues/index.md"]
        for issue in self.archive.issues[: self.archive.config.nav_issues]:
            issues.append({issue.date.isoformat(): issue_page(issue)})
        nav: list[object] = [{"Home": "index.md"}, {"Top papers": top.nav(self.top_periods())}]
        if self.archive.config.watch is not None:
            nav.append({"Watch list": watch.PAGE})
        if self.archive.picks is not None:
            nav.append({"Picks": picks.PAGE})
        nav += [{"Topics": topics}, {"Issues": issues}]
        if self.authors().by_key:
            nav.append({"Authors": "authors/index.md"})
        nav.append({"Subscribe": "subscribe.md"})
        nav.extend(extra_pages)
        return yaml.safe_dump(nav, allow_unicode=True, sort_keys=False)
