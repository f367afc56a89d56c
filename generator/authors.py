"""Authors: who is the same author, their permanent slugs, the spelling shown and the index's groups.

Names are matched as written: two spellings are one author when they are equal after Unicode
NFKC normalisation, case-folding and whitespace collapsing ("Kaiming He", "KAIMING  HE",
"Kaiming\u00a0He"), or when they are one person's ways of being written (``spelling_keys``: "José
García" and "Jose Garcia", "Jürgen" and "Juergen", 'Linxi "Jim" Fan' and "Linxi Fan", "Shuhan Song§"
and "Shuhan Song", "Smith, John" and "John Smith"). Nothing else is guessed: "J. Smith" and "John
Smith" are two authors, and so are "Yi-Fan Zhang" and "Yifan Zhang" (hyphens are kept).

A slug is the name transliterated to ASCII (anyascii: "张伟" → "zhangwei") plus a hyphen and
six hex digits of a hash of the normalised name, always. So a slug depends on that one name only:
not on which other names exist, nor on the order papers arrive, and a name that transliterates
like another ("张伟", "Zhangwei") still gets its own. An author's page has the slug of the spelling
most of their papers use; the slugs of their other spellings are pages that send readers on
(``Author.formerly``), so a page published under a spelling that a later paper outnumbers keeps
working. Two different names would share a
slug only if 24 bits of their hashes and their transliterations were equal; should that ever
happen, the name whose first paper is older keeps the slug and the other gets a longer suffix
(a rule about the archive, not the arrival order), and every build prints a note naming both pages:
an older name that reaches ``min_papers`` later takes the slug over, so the note is where a
maintainer learns that a page changed hands (found by brute force over thousands of invented names;
guarding against it on every build would hash every name of the archive for a clash no real
archive is likely to meet).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii

from generator.model import NOT_SHOWN, Paper, credited_authors

SUFFIX = 6  # hex digits of the hash in every slug
BASE_CHARS = 48  # at most this many characters of transliteration before the suffix
LATIN = re.compile(r"[A-Za-z]")
# Words after a surname that are not the surname ("Martin Luther King Jr.").
SUFFIX_WORDS = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "phd", "ph.d."}
# Scripts the index names (Unicode character names start with them), in the index's order.
SCRIPTS = (
    ("CYRILLIC", "cyrillic", "Cyrillic"), ("GREEK", "greek", "Greek"), ("ARMENIAN", "armenian", "Armenian"),
    ("GEORGIAN", "georgian", "Georgian"), ("HEBREW", "hebrew", "Hebrew"), ("ARABIC", "arabic", "Arabic"),
    ("DEVANAGARI", "devanagari", "Devanagari"), ("BENGALI", "bengali", "Bengali"), ("TAMIL", "tamil", "Tamil"),
    ("THAI", "thai", "Thai"), ("HANGUL", "hangul", "Hangul (Korean)"), ("HIRAGANA", "kana", "Kana (Japanese)"),
    ("KATAKANA", "kana", "Kana (Japanese)"), ("CJK", "han", "Han (Chinese, Japanese)"),
)
OTHER_GROUP = ("other", "Other")
# What ends a list cut short ("A, B, et al.", "A and others"): alone, or glued to the last name ("A et al.").
ET_AL = re.compile(r"^(?:and\s+)?others\W*$|(?:^|[\s,;]+)(?:and\s+others|et(?:\.\s*|\s+)al\.?)\W*$", re.IGNORECASE)


def author_key(name: str) -> str:
    """The name as matched: NFKC, case-folded (then NFKC again, as Unicode's NFKC_Casefold), spaces collapsed."""
    if name.isascii():  # NFKC changes no ASCII text, and case-folding it is lower-casing: most names, faster
        return " ".join(name.lower().split())
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


# Ways of writing the same name that are one person on author pages and in the watch list: typographic apostrophes and
# hyphens, and "LeCun, Yann" for "Yann LeCun" (``spelling_keys``).
APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u02bc\u00b4`"}
                            | {c: "-" for c in "\u2010\u2011\u2012\u2013"})
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# What ``written_key`` changes in an ASCII name: a nickname's quotes, a comma or semicolon, a backtick, a star.
PLAIN_SPELLING = re.compile(r'["`,;*]')
STRAY = " ,;"


# A nickname in quotes between the names ('Linxi "Jim" Fan', as Hugging Face lists some authors, who are
# "Linxi Fan" on their other papers) and a footnote mark after a name ("Shuhan Song§", "Yann LeCun*").
NICKNAME = re.compile(r'\s["\u201c\u201d][^"\u201c\u201d]*["\u201c\u201d](?=\s)')
FOOTNOTE_MARKS = re.compile(r"[*\u2020\u2021\u00a7\u00b6]+$")


def written_key(name: str) -> str:
    """``watch_key`` with its accents: the name as author pages match it, in the watch list's ways of writing."""
    # a stray comma or semicolon before or after the name ("Ada Lovelace," as a list split at "and" leaves it) too
    cleaned = FOOTNOTE_MARKS.sub("", NICKNAME.sub("", name.strip()).strip(STRAY)).rstrip(STRAY)
    key = author_key(cleaned or name).translate(APOSTROPHES)
    last, comma, first = key.partition(",")
    if comma and "," not in first and first.strip() and first.strip() not in SUFFIXES:
        key = f"{first.strip()} {last.strip()}"
    return key


def ascii_latin(key: str) -> str:
    return key if key.isascii() else "".join(map(latin_letter, key))


@functools.cache
def latin_letter(character: str) -> str:
    """A Latin letter as ASCII ("é" "e", "ł" "l", "ß" "ss"): sources write the same person's name with accents and
    without (46 people in a real archive of 580 days of Hugging Face papers: "Baptiste Rozière" and "Baptiste
    Roziere", "Christopher Ré" and "Christopher Re"). Other scripts are kept as they are: their marks are letters."""
    return anyascii(character).lower() if unicodedata.name(character, "").startswith("LATIN") else character


# German umlauts as German writes them without: "Jürgen" is "Juergen" on some papers, "Jurgen" on others (so are
# Philipp Krähenbühl and Michael Zollhöfer in that archive).
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def spelling_keys(name: str) -> tuple[str, ...]:
    """The keys under which ``name`` is one person however a source spells it: without accents, a quoted nickname,
    footnote marks or typographic apostrophes, "Last, First" read as "First Last", and a German umlaut also as
    "ae", "oe" or "ue". Not a hyphen written as a space or nothing: "Yi-Fan Zhang" and "Yifan Zhang", "Ming-Yu Liu"
    and "Mingyu Liu" are different people in that archive (Hugging Face links them to different accounts), as
    5 of the 6 such pairs that accounts tell apart are; the watch list matches those spellings too
    (``generator.watch.watch_keys``)."""
    written = written_key(name)
    keys = [ascii_latin(written)]
    if not written.isascii() and (german := written.translate(UMLAUTS)) != written:
        keys.append(ascii_latin(german))
    return tuple(keys)


def distinct_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """A paper's authors as shown: characters that show as nothing removed (a zero-width space made
    "Kaiming He" a second author page that looked the same, as a right-to-left embedding around an
    Arabic or Hebrew name did), a name listed twice (as matched:
    ``author_key``) kept once, as first written, and an "et al." or "others" that ends a cut list (as a
    name of its own or after the last name) left out: it is no author, and had a page of its own."""
    while names and (cut := ET_AL.search(names[-1])):
        names = (*names[:-1], names[-1][: cut.start()]) if cut.start() else names[:-1]
    if all(name.isascii() for name in names) and len({name.lower() for name in names}) == len(names):
        return names  # almost every paper: nothing invisible (it is not ASCII) and no name twice
    kept: dict[str, str] = {}
    for name in names:
        # names copied from right-to-left text carry bidi controls: the same name without them is the same author
        shown = " ".join(NOT_SHOWN.sub("", name).split()) if not name.isascii() else name
        if shown:
            kept.setdefault(author_key(shown), shown)
    return tuple(kept.values())


def author_slug(key: str, digits: int = SUFFIX) -> str:
    """``<ascii transliteration>-<hash>``: a function of the normalised name alone."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:digits]
    base = re.sub(r"[^a-z0-9]+", "-", (key if key.isascii() else anyascii(key)).lower()).strip("-")
    if len(base) > BASE_CHARS:
        base = base[:BASE_CHARS].rsplit("-", 1)[0] if "-" in base[:BASE_CHARS] else base[:BASE_CHARS]
    return f"{base}-{digest}" if base else digest


def surname(name: str) -> str:
    """The word an index sorts a name by: the part before a comma ("Smith, John"), else the last word
    that is not a suffix such as "Jr."."""
    if "," in name:
        head = name.split(",", 1)[0].strip()
        if head:
            return head
    words = name.split()
    while len(words) > 1 and words[-1].casefold() in SUFFIX_WORDS:
        words.pop()
    return words[-1] if words else name


def index_group(name: str) -> tuple[str, str]:
    """(URL segment, label) of the index group of ``name``.

    Latin names go under their surname's first letter without accents ("Ólafsson" → O, "Łukasz
    Kaiser" → K); names in another script go under that script (Cyrillic, Greek, Han, Hangul, ...),
    since a surname's initial in one script is no letter of another and Han names are usually
    written surname first; anything else (digits, symbols) under Other.
    """
    for word in (surname(name), name):
        for char in unicodedata.normalize("NFKC", word):  # full-width "Ｌ" is "L", as the name is matched
            if not char.isalpha():
                continue
            if unicodedata.name(char, "").startswith("LATIN"):
                letter = anyascii(char)[:1].lower()
                if LATIN.fullmatch(letter):
                    return letter, letter.upper()
            character_name = unicodedata.name(char, "")
            for prefix, segment, label in SCRIPTS:
                if character_name.startswith(prefix):
                    return segment, label
            return OTHER_GROUP
    return OTHER_GROUP


def group_order(segment: str) -> tuple[int, str]:
    """Letters A-Z first, then the scripts in SCRIPTS' order, Other last."""
    if len(segment) == 1:
        return (0, segment)
    segments = [item[1] for item in SCRIPTS]
    return (1 + segments.index(segment), segment) if segment in segments else (len(segments) + 1, segment)


def sort_key(name: str) -> tuple[str, str]:
    """Within a group: by surname, then the whole name, compared without case or accents."""
    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        return "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain(surname(name)), plain(name)


@dataclass(frozen=True)
class Author:
    key: str
    slug: str
    name: str
    """The spelling shown: the most frequent among the author's papers, ties by the first in sorted order."""
    papers: tuple[str, ...]
    """Ids of the author's papers."""
    formerly: tuple[str, ...] = ()
    """The slugs of the author's other spellings ("Baptiste Roziere" beside "Baptiste Rozière"): pages that send
    readers on, so an address published before the spellings were one page keeps working."""


@dataclass
class Authors:
    """Every author with at least ``min_papers`` papers, by normalised name, and the slug clashes met."""

    by_key: dict[str, Author]
    notes: list[str]
    spelt: dict[str, str] = field(default_factory=dict)
    """A key of another spelling of an author with a page -> that author's key in ``by_key``."""
    _slugs: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def slug_of(self, name: str) -> str | None:
        """The slug of the page of the author written ``name``, or None when they have none."""
        try:
            return self._slugs[name]
        except KeyError:
            key = author_key(name)
            author = self.by_key.get(self.spelt.get(key, key))
            found = self._slugs[name] = author.slug if author else None
            return found


def _oldest_first(paper: Paper) -> tuple[dt.date, str]:
    return paper.added, paper.id


def _read_name(read: dict[str, tuple[str, str]], name: str) -> tuple[str, str]:
    """Its key and its spelling; spellings are told apart as shown: canonically equal forms (NFC) and
    spacing count as one."""
    shown = " ".join((name if name.isascii() else unicodedata.normalize("NFC", name)).split())
    found = read[name] = (author_key(name), shown)
    return found


def find_authors(papers: Iterable[Paper], min_papers: int) -> Authors:
    """The authors with pages: the same answer whatever order ``papers`` come in.

    Papers are read oldest first (issue date, then id), so an author's first paper is the first met
    and the authors are numbered in that order; a million names a run at 100,000 papers, so the loop
    does no more than it must: each name as written is read once, a paper's names are told apart
    only when two of them are the same author, and spellings are counted per author.
    """
    spellings: dict[str, dict[str, int]] = {}
    members: dict[str, list[str]] = {}
    first: dict[str, int] = {}  # each author's first paper, as its place in the oldest-first order
    read: dict[str, tuple[str, str]] = {}  # a name as written: its key and its spelling (most names recur)
    for number, paper in enumerate(sorted(papers, key=_oldest_first)):
        # a collaboration's paper counts for its first authors only (model.credited_authors)
        found = [read.get(name) or _read_name(read, name) for name in credited_authors(paper.authors)]
        if len({key for key, _ in found}) < len(found):  # a name listed twice on one paper counts once,
            found = list({key: (key, spelling) for key, spelling in reversed(found)}.values())  # as first spelt
        paper_id = paper.id
        for key, spelling in found:
            ids = members.get(key)
            if ids is None:
                if key:
                    spellings[key] = {spelling: 1}
                    members[key] = [paper_id]
                    first[key] = number
                continue
            counts = spellings[key]
            counts[spelling] = counts.get(spelling, 0) + 1
            ids.append(paper_id)
    people = _people(members)
    keys_of = {key: [key] for key in members}
    for group, others in people.items():  # one person's spellings: their papers together, from the oldest first one
        keys_of[group].extend(others)
        for other in others:
            del keys_of[other]
            first[group] = min(first[group], first[other])

    own = {key: len(members[key]) for group in people for key in (group, *people[group])}  # each spelling's papers
    for group in people:  # a paper listing two of the spellings counts once
        members[group] = sorted(set(members[group]).union(*(members[other] for other in people[group])))
    chosen = sorted((group for group in keys_of if len(members[group]) >= min_papers), key=lambda k: (first[k], k))
    by_key: dict[str, Author] = {}
    spelt: dict[str, str] = {}
    taken: dict[str, str] = {}
    notes: list[str] = []
    for group in chosen:  # oldest first paper first: on a clash, the older name keeps the slug
        # The page is the spelling most papers use ("Baptiste Rozière" 5, "Baptiste Roziere" 1), named and addressed by
        # it; ties: a name without nickname or marks ('Linxi Fan' 6, 'Linxi "Jim" Fan' 6), with its accents, sorted.
        key = min(keys_of[group], key=lambda k: (-own.get(k, 0), written_key(k) != k, k.isascii(), k))
        counts = spellings[key]
        name = min(counts, key=lambda spelling: (-counts[spelling], spelling))
        slug = author_slug(key)
        digits = SUFFIX
        while slug in taken:
            digits += 2
            longer = author_slug(key, digits)
            notes.append(f"authors {taken[slug]!r} and {key!r} share the slug {slug!r}: the first, whose first paper"
                         f" is older, has authors/{slug}/, the second authors/{longer}/")
            slug = longer
        taken[slug] = key
        others = sorted(set(keys_of[group]) - {key})
        spelt.update((other, key) for other in others)
        formerly = tuple(sorted({author_slug(other) for other in others}))
        by_key[key] = Author(key, slug, name, tuple(sorted(members[group])), formerly)
    return Authors(dict(sorted(by_key.items())), notes, spelt)


def _people(members: dict[str, list[str]]) -> dict[str, list[str]]:
    """The keys that are one person's spellings (``spelling_keys``): the first in sorted order -> the others."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while (up := parent.setdefault(key, key)) != key:
            key = parent[key] = parent.get(up, up)
        return key

    for key in members:
        if key.isascii() and not PLAIN_SPELLING.search(key):
            continue  # most names: written one way only, their key is their one spelling
        for spelled in spelling_keys(key):
            one, other = sorted((root(key), root(spelled)))
            parent[other] = one
    people: dict[str, list[str]] = {}
    for key in sorted(parent):
        if key in members and (found := root(key)) != key:
            people.setdefault(found, []).append(key)
    return {found: others for found, others in people.items() if found in members} | {
        others[0]: others[1:] for found, others in people.items() if found not in members and others[1:]}
