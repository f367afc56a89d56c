"""The plain records that flow through the pipeline; no I/O here."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
ARXIV_OLD = re.compile(r"^([a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?$")
ARXIV_NEW_MONTH = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
ARXIV_OLD_MONTH = re.compile(r"[a-z][a-z-]*(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}")
TITLE_WORD = re.compile(r"\w+")
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,63}")


@dataclass(frozen=True)
class TopicMatch:
    """A topic given to a paper, with its score and the evidence behind it."""

    slug: str
    score: float
    evidence: tuple[str, ...] = ()


# A paper of more authors than this is a large collaboration's (ATLAS and CMS: 3,000 names, LIGO 1,600, LHCb and
# Belle II 1,000): it is credited to its first COLLABORATION_FIRST authors, as INSPIRE cites it. Each of 3,000 names
# on 200 such papers had an author page listing all of them (142 MB of the site's 199 MB). Not fewer: the largest of
# 9,877 Hugging Face daily papers has 664 authors, and a limit of 100 (200, 500) took 550 (348, 162) of the 4,655
# author pages of that archive away, most of them authors of several ordinary papers; from 700 on, none.
COLLABORATION = 1000
COLLABORATION_FIRST = 10


def credited_authors(authors: tuple[str, ...]) -> tuple[str, ...]:
    """The authors a paper counts for (author pages, the search index, citations): all of them, or a collaboration's
    first ``COLLABORATION_FIRST``."""
    return authors[:COLLABORATION_FIRST] if len(authors) > COLLABORATION else authors


@dataclass
class Paper:
    """One paper: display text is kept as written, only ids and slugs are normalised."""

    id: str
    title: str
    abstract: str
    added: dt.date
    source: str
    authors: tuple[str, ...] = ()
    more_authors: bool = False
    """The source's author list ended in "and others" (et al.): ``authors`` are the first authors only."""
    arxiv_id: str | None = None
    url: str | None = None
    pdf: str | None = None
    code: str | None = None
    published: dt.date | None = None
    """The paper's own publication date (never the issue date, which is ``added``)."""
    aliases: tuple[str, ...] = ()
    feed_id: str | None = None
    """The id versions up to 0.1.3 gave the paper, when it has another now (one of ``aliases``): its feed entries keep
    it, since feed readers know an entry by its id and show one of a new id again."""
    topics: tuple[TopicMatch, ...] = ()
    # Richer sources (arXiv API, Hugging Face daily papers, BibTeX) fill these; others leave the defaults.
    updated: dt.date | None = None
    """Date of the newest arXiv version (``published`` is version 1)."""
    project_page: str | None = None
    upvotes: int | None = None
    """Hugging Face upvotes when the paper was featured (the highest count seen)."""
    comments: int | None = None
    """Comments on the source's page for the paper (Hugging Face's ``numComments``; the highest seen)."""
    stars: int | None = None
    """Stars of the code repository (``code``) when the source gives them (the highest seen)."""
    organization: str = ""
    """The organisation the source credits the paper to (Hugging Face's ``organization``), as written."""
    tldr: str = ""
    """The source's one-sentence summary (Hugging Face's ``ai_summary``): never ours, never the abstract."""
    summary_source: str = ""
    """Who wrote ``tldr``, for its label ("Summary by Hugging Face"): the source, or the file it came from."""
    categories: tuple[str, ...] = ()
    """arXiv categories, the primary one first."""
    comment: str | None = None
    """The authors' arXiv comment ("12 pages, 5 figures; accepted at ...")."""
    journal_ref: str | None = None
    doi: str | None = None
    affiliations: tuple[str, ...] = ()
    """Distinct author affiliations, in the order first given."""
    keywords: tuple[str, ...] = ()
    """The source's own keywords for the paper (Hugging Face's AI keywords, or a list's ``keywords``)."""
    keywords_source: str = ""
    """Who gave ``keywords``, for their label (like ``summary_source``)."""
    related: tuple[str, ...] = ()  # ids of the most similar papers, most similar first
    year: int | None = None
    """Publication year when no whole date is known (BibTeX gives a year, often a month)."""
    month: int | None = None
    """Publication month (1-12) that goes with ``year``."""
    first_listed: tuple[str, str, tuple[str, ...], tuple[str, ...]] | None = None
    """Title, abstract, keywords and categories as the paper's first issue listed them, when a later issue's
    record changed them (a new arXiv version, a fuller abstract): topics, picks and related papers read these, so
    a later issue never scores a published paper again. None when nothing changed (most papers)."""

    @property
    def primary_topic(self) -> str:
        return self.topics[0].slug if self.topics else ""

    @property
    def publication_year(self) -> int | None:
        """The year the paper was published, when known (None: unknown; never the issue's year)."""
        return self._year_month()[0]

    @property
    def publication_date(self) -> str:
        """The publication date as precisely as known (``2001-03-05``, ``2001-03``, ``2001``), or ""."""
        if self.published:
            return self.published.isoformat()
        year, month = self._year_month()
        if year and month:
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}" if year else ""

    def _year_month(self) -> tuple[int | None, int | None]:
        # A source's date first; else the month of the first arXiv version, which the id encodes.
        if self.published:
            return self.published.year, self.published.month
        if self.year:
            return self.year, self.month
        return arxiv_year_month(self.arxiv_id) if self.arxiv_id else (None, None)


@dataclass(frozen=True)
class Issue:
    """A digest issue: every paper list of one date, and the papers it first listed."""

    date: dt.date
    paper_ids: tuple[str, ...] = field(default_factory=tuple)


# A link whose path ends in a paper's arXiv id: arXiv's own pages (abs, pdf, html, on any of its hosts) and the pages
# that other sites name by it (Hugging Face's papers, also at its short host hf.co, alphaXiv); a version, ".pdf", a
# trailing "/", a query or a fragment may follow.
ARXIV_LINK = re.compile(
    r"(?:https?://)?(?:[\w-]+\.)*(?:arxiv\.org/(?:abs|pdf|html)|(?:huggingface|hf)\.co/papers"
    r"|alphaxiv\.org/(?:abs|overview))"
    r"/([^?#]+?)/?(?:[?#].*)?", re.IGNORECASE)


# arXiv's "Cite as" form, copied from an abstract page: "arXiv:2401.01234 [cs.LG]" (also written "arXiv: 2401.01234").
ARXIV_CITATION = re.compile(r"(?i:arxiv):\s*(\S+?)(?:\s+\[[\w.-]+\])?")


def normalize_arxiv_id(value: str) -> str | None:
    """Return the versionless arXiv id in ``value`` (an id, ``arXiv:ID`` as arXiv cites it, or a link of
    ``ARXIV_LINK``), or None."""
    text = value.strip()
    cited = ARXIV_CITATION.fullmatch(text)
    if cited is not None:
        text = cited.group(1)
    link = ARXIV_LINK.fullmatch(text)
    return _versionless(link.group(1) if link is not None else text)


def arxiv_id_read_before(value: str) -> str | None:
    """What versions up to 0.1.2 read as an arXiv id in ``value``: ids and the abs and pdf links of arxiv.org alone.
    A paper whose id they made from its title (its link was another form) keeps that page as an alias."""
    return _versionless(re.sub(r"^(?:https?://)?(?:export\.)?arxiv\.org/(?:abs|pdf)/", "", value.strip()))


# Hugging Face's short host, whose paper links versions up to 0.1.3 did not read as the arXiv paper.
HF_SHORT_LINK = re.compile(r"(?:https?://)?(?:[\w-]+\.)*hf\.co/", re.IGNORECASE)


def arxiv_id_read_until_0_1_3(value: str) -> str | None:
    """What versions up to 0.1.3 read as an arXiv id in ``value``: as ``normalize_arxiv_id`` but for hf.co links and
    arXiv's "Cite as" form (``arXiv:2401.01234 [cs.LG]``, ``arXiv: 2401.01234``). The feed entries of a paper whose
    id they made from its title (``Paper.feed_id``) keep that id."""
    text = value.strip()
    link = ARXIV_LINK.fullmatch(text)
    if link is not None and HF_SHORT_LINK.match(text):
        return None
    return _versionless(link.group(1) if link is not None else text)


_ARXIV_PREFIX = re.compile(r"^(?:oai:arxiv\.org:|arxiv:)", re.IGNORECASE)


def _versionless(text: str) -> str | None:
    """The versionless arXiv id that ``text`` is (``arXiv:`` or arXiv's OAI prefix, a version and ``.pdf`` aside)."""
    if ":" in text:
        text = _ARXIV_PREFIX.sub("", text)  # arXiv's OAI ids, arXiv:ID
    if text.endswith(".pdf"):
        text = text[:-4]
    for pattern in (ARXIV_NEW, ARXIV_OLD):
        match = pattern.fullmatch(text)
        if match:
            return match.group(1)
    return None


# An old-style id written with its archive's subject class (``math.GT/0309136``, as references often cite it): arXiv's
# id leaves the class out (``math/0309136``), so both name one paper.
OLD_SUBJECT_CLASS = re.compile(r"^([a-z][a-z-]*)\.[A-Z]{2}/")


# arXiv's own PDF of a paper, on any of its hosts and in any version ("http://arxiv.org/pdf/2401.12345v1", as the arXiv
# API and its Python library give it).
ARXIV_PDF = re.compile(r"(?:https?://)?(?:[\w-]+\.)*arxiv\.org/pdf/.+", re.IGNORECASE)


def pdf_link(paper: Paper) -> str | None:
    """The link to a paper's PDF: arXiv's own PDF of it as ``https://arxiv.org/pdf/<id>`` (its newest version, whose
    title and abstract the page shows, over https), whatever host, version or scheme the source gave; another PDF as
    the source gave it; for an arXiv paper without one, arXiv's."""
    if paper.arxiv_id and (paper.pdf is None or (ARXIV_PDF.fullmatch(paper.pdf)
                                                 and normalize_arxiv_id(paper.pdf) == paper.arxiv_id)):
        return f"https://arxiv.org/pdf/{paper.arxiv_id}"
    return paper.pdf


def arxiv_key(arxiv_id: str) -> str:
    """The paper an arXiv id names, as arXiv writes it: ``math.GT/0309136`` and ``math/0309136`` are one paper."""
    if "/" not in arxiv_id:  # a new-style id (almost every paper): nothing to rewrite
        return arxiv_id
    return OLD_SUBJECT_CLASS.sub(r"\1/", arxiv_id, count=1)


def arxiv_year_month(arxiv_id: str) -> tuple[int | None, int | None]:
    """Year and month of a paper's first arXiv version, from its id (``2410.00907``: October 2024)."""
    found = ARXIV_NEW_MONTH.fullmatch(arxiv_id) or ARXIV_OLD_MONTH.fullmatch(arxiv_id)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return None, None
    two_digits = int(found.group(1))
    # Old-style ids began in August 1991 and ended in March 2007; new-style ids began in April 2007.
    year = (1900 if two_digits >= 91 else 2000) + two_digits
    return year, int(found.group(2))


# Characters that show as nothing: soft hyphen, zero-width space and joiners, direction marks, word joiner, BOM.
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
# With the bidi embeddings, overrides and isolates, which show as nothing either: all a text may hold and show nothing.
NOT_SHOWN = re.compile(INVISIBLE.pattern[:-1] + "\u202a-\u202e\u2066-\u2069]")


def title_key(title: str) -> str:
    """The title reduced to lowercase words: equal for the same title written differently."""
    text = unicodedata.normalize("NFKC", title).casefold()
    # A title of symbols only ("..", "🚀") keeps its symbols, so two such titles stay two papers.
    return " ".join(TITLE_WORD.findall(text)) or " ".join(text.split())


def is_safe_id(value: str) -> bool:
    """True for an id that is one plain path segment (what ``paper_id`` makes): letters, digits, '.', '-'."""
    return bool(SAFE_ID.fullmatch(value)) and ".." not in value


def paper_id(title: str, arxiv_id: str | None) -> str:
    """A stable id: the arXiv id (old-style slash made path-safe), else a hash of the title."""
    if arxiv_id:
        return arxiv_id.replace("/", "-")
    digest = hashlib.sha256(title_key(title).encode("utf-8")).hexdigest()
    return "t" + digest[:11]
