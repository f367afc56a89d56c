"""A compact, sharded full-text index of every paper: title, AI keywords, authors, topics, abstract.

Material's own index holds every page's full text (tens of megabytes for a large archive) and
a browser downloads all of it before the first result. This one is split so a query downloads a
small manifest, the one term shard named by each query word's first characters, and the
document shards of the results it shows. The site's search box talks to it through
``templates/overrides/assets/digest/search-worker.js``, which analyses a query exactly as
:func:`terms` analyses a text (same stop words, same stemmer) and ranks as :data:`WEIGHTS` say.

Ranking is BM25-like: a document's score for a query word is the word's inverse document
frequency times the weight of the best field it occurs in (title 3, keywords/authors/topics 2,
abstract 1.4 when the word is there twice or more, else 1); scores add up over the query's words.
There is no length normalisation (titles are short, abstracts of a similar length) and term
frequency counts only in the abstract, as "once" or "more".

Postings are compact strings, not JSON numbers: each document number is stored as the gap from
the previous one, shifted left twice with the field class in the low two bits, written as a
little-endian varint of 5-bit digits in the URL-safe base64 alphabet (bit 6 of a digit says
"more digits follow"). A term whose abstract occurrences are in more than
:data:`FREQUENT_SHARE` of the papers keeps only its title, keyword and name occurrences (it has
almost no ranking value in an abstract, and would be the largest posting lists); the shard lists
it with its true document frequency, and the worker treats it as optional in a query of several
words. A two-character shard larger than :data:`SHARD_BYTES` is split by the third character
(and so on), so one query word downloads a small shard at any archive size.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

from generator import escape, latex_text
from generator.counts import count as counted
from generator.model import Paper, credited_authors
from generator.topics import Topic
from generator.topics.features import CJK

INDEX_DIR = "search/papers"
VERSION = 3
# Titles and details of this many papers a file: a query loads one file for each of its (up to 30) results, so a
# file of 32 papers made a query download 379 KB of them on average at 20,000 papers; of 8, 138 KB
# (bench/search_payload.py). Their folder is named by it: a browser's cached files of another size are never mixed
# with these.
DOCS_PER_SHARD = 8
DOCS_DIR = f"d{DOCS_PER_SHARD}"
SHOWN_AUTHORS = 6
WORD = re.compile(r"[^\W_]+")
CJK_RUN = re.compile(f"[{CJK}]+")
CJK_PARTS = re.compile(f"([{CJK}]+)")
PLAIN_KEY = re.compile(r"[a-z0-9]")
PLURAL = re.compile(r"[a-z]{4,}")
DIGITS = re.compile(r"[0-9]+")
MAX_WORD = 30
"""Longer abstract "words" (URLs run together, sequences, hashes) are left out."""
# A name of a model or method joined by hyphens or dots with a digit or a single letter in it ("GPT-4o", "Qwen2.5",
# "Llama-3.1", "Q-learning", "k-NN"): its words alone lose the part that tells it apart ("5" of "GPT-5" is no word),
# so titles, keywords and topic names also give the name joined ("gpt4o", "qwen25", "qlearning"), which the worker
# looks up, optional, beside the words of such a name in a query: a "GPT-5" paper ranks above a "GPT-4" one.
COMPOUND = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)+")
COMPOUND_PARTS = re.compile(r"[-.]")
# A name and its version written apart ("Llama 3.1", "Phi 3"): joined too, as "llama31" ("Llama-3.1", "Llama3.1" give
# the same), so each spelling finds the others. The version is a number of at most three digits (with decimals).
SPACED = re.compile(r"(?<![a-z0-9.-])([a-z][a-z0-9]*) ([0-9]{1,3}(?:\.[0-9]+)*)(?![a-z0-9]|\.[0-9])")

# Field classes in the low two bits of a posting, and the weight of each (the worker reads them
# from the manifest): abstract once, abstract twice or more, keywords/authors/topics/arXiv id, title.
ABSTRACT, ABSTRACT_AGAIN, NAMED, TITLE = 0, 1, 2, 3
WEIGHTS = (1.0, 1.4, 2.0, 3.0)
PREFIX_WEIGHT = 0.6
"""A query word that is only the beginning of an indexed word counts this much (results while typing): below
WEIGHTS[NAMED] / WEIGHTS[TITLE], so a word typed whole in an author's name, keywords or topic ranks above the titles
with a longer word it begins (a surname alone, "Lin", lists that author's papers before titles with "Linear"; at 0.8
such titles came first)."""
FREQUENT_SHARE = 0.2
FREQUENT_MIN = 50
"""Abstract postings of a term are dropped when more than FREQUENT_SHARE of the papers, and at
least FREQUENT_MIN papers, have it in their abstract (and not in a stronger field)."""
SHARD_BYTES = 40_000
CHUNK = 1 << 20
"""Postings encoded at a time (see build_index): a few tens of MB of temporary arrays whatever the archive's size."""

# English function words: no ranking value, the largest posting lists. Fixed (the worker receives
# the list in the manifest), so the same text always gives the same index.
_STOP_TEXT = """a about above after again all almost along also although am among an and any are as at be
    because been before being below between both but by can could did do does doing done down
    during each either else etc even ever every few for from further had has have having he her
    here hers him his how however i if in into is it its itself just may me might more most much
    must my neither no nor not of off often on once one only onto or other our ours out over own
    per rather same she should since so some such than that the their theirs them then there
    thereby therefore these they this those though through thus to too under until up upon us very
    via was we well were what when where whether which while who whom whose why will with within
    without would yet you your"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_DIGITS64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


# Letters that are no letter and accent to Unicode (NFKD leaves them whole), written as readers type them without
# the key: "Bjørn" is found by "bjorn", "Łukasz" by "lukasz", "Straße" by "strasse" (the worker does the same).
LETTERS = str.maketrans({"ø": "o", "ß": "ss", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th",
                         "ı": "i", "ħ": "h", "ŧ": "t"})


def normalize(text: str) -> str:
    """Lowercase without accents, so 'Schölkopf' is found by 'scholkopf' and 'Bjørn' by 'bjorn' (the worker does the
    same).

    The combining marks (Unicode category M) that NFKD splits off are removed by ``str.translate``
    with a table of the marks met so far: each distinct character is classified once per process,
    not once per occurrence (an abstract with one dash or accent is otherwise walked character by
    character in Python).
    """
    if text.isascii():
        return text.lower()  # nothing to decompose: most titles and names, at a tenth of the cost
    decomposed = unicodedata.normalize("NFKD", text)
    new = set(decomposed) - _CLASSIFIED
    if new:
        _CLASSIFIED.update(new)
        _MARKS.update((ord(char), None) for char in new if unicodedata.category(char).startswith("M"))
    return decomposed.translate(_MARKS).lower().translate(LETTERS)


_CLASSIFIED: set[str] = set()
"""Characters :func:`normalize` has classified (a combining mark or not)."""
_MARKS: dict[int, None] = {}
"""The combining marks among them: a ``str.translate`` table that deletes them."""


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters and digits, at least two characters (no stop words removed).

    Chinese and Japanese, written without spaces, give each pair of neighbouring characters, so that 模型
    finds 大型语言模型的研究 (``_tokens``); the worker splits a query the same way.
    """
    return [word for word in _tokens(normalize(text)) if len(word) > 1]


def _tokens(text: str) -> list[str]:
    """``_split``, with each run of Chinese or Japanese characters as the pairs of neighbours in it."""
    found = _split(text)
    if text.isascii() or not CJK_RUN.search(text):
        return found
    expanded: list[str] = []
    for word in found:
        if not CJK_RUN.search(word):
            expanded.append(word)
            continue
        for part in CJK_PARTS.split(word):
            if CJK_RUN.fullmatch(part):
                expanded.extend(part[i:i + 2] for i in range(len(part) - 1))
            elif part:
                expanded.append(part)
    return expanded


_ASCII_GAPS = str.maketrans({char: " " for char in map(chr, range(128)) if not char.isalnum()})


def _split(text: str) -> list[str]:
    """``WORD.findall(text)``: runs of letters and digits. ASCII text (most, once accents are gone) is split by
    ``str.translate`` and ``str.split``, several times faster than the Unicode-aware expression."""
    return text.translate(_ASCII_GAPS).split() if text.isascii() else WORD.findall(text)


@functools.lru_cache(maxsize=262144)
def stem(word: str) -> str:
    """A light plural stemmer (Harman's "S" stemmer, and "-is" kept) for words of four or more letters a-z.

    "studies" -> "study", "images" -> "image", "models" -> "model"; "class", "corpus", "analysis"
    stay. The worker's ``stem`` is the same rules, so a query and the index agree.
    """
    if not PLURAL.fullmatch(word):
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


def joined(text: str) -> list[str]:
    """The joined terms of the compound names of ``text`` (already normalised): "gpt-4o" gives "gpt4o"; one of single
    letters only ("e.g.") or of digits only ("2.5") gives none. A name and its version apart ("llama 3.1": "llama31")
    too, unless the name is a stop word ("in 2")."""
    found = []
    for compound in COMPOUND.findall(text):
        parts = COMPOUND_PARTS.split(compound)
        if all(len(part) == 1 for part in parts) or not any(len(part) == 1 or not part.isalpha() for part in parts):
            continue
        term = "".join(parts)
        if not term.isdigit() and len(term) <= MAX_WORD:
            found.append(stem(term))
    for name, version in SPACED.findall(text):
        term = name + version.replace(".", "")
        if name not in STOP_WORDS and len(term) <= MAX_WORD:
            found.append(term)
    return found


def terms(text: str) -> list[str]:
    """The indexed terms of ``text``: its words without stop words, stemmed (repeats kept)."""
    return list(filter(None, map(_TERM.__getitem__, _tokens(normalize(text)))))


class _Terms(dict[str, str]):
    """word -> its term (stemmed), or "" for a stop word or a one-character word; computed on first use."""

    def __missing__(self, word: str) -> str:
        term = self[word] = "" if len(word) < 2 or word in STOP_WORDS else stem(word)
        return term


_TERM = _Terms()


class _AuthorTerms(dict[str, str]):
    """word -> its term in an author's name, or "" for a one-character word: stop words are kept, since they are
    surnames too ("Kaiming He", "Yang You", "Bo An"; "He" is in a tenth of a real archive's papers' author lists),
    and the worker looks up the last word of a query even when it is a stop word."""

    def __missing__(self, word: str) -> str:
        term = self[word] = "" if len(word) < 2 else stem(word)
        return term


_AUTHOR_TERM = _AuthorTerms()


@functools.lru_cache(maxsize=65536)
def shard_key(word: str) -> str:
    """A shard's file name for a term prefix: its characters, spelled safely for a file name."""
    return "".join(c if PLAIN_KEY.fullmatch(c) else f"_{ord(c):x}" for c in word)


_MARK_NAMED, _MARK_TITLE = -NAMED, -TITLE


def _paper_marks(paper: Paper, topics: dict[str, Topic], numbers: _Numbers) -> dict[int, int]:
    """{term number: mark}: how often the term is in the abstract (1, 2, ...), or -NAMED / -TITLE for a stronger
    field.

    Written for speed (it runs over every word of every abstract): words become term numbers through a
    cache whose loop is C's (``map``), and are counted by ``Counter``; two words of one term
    ("model", "models") are the term twice. ``numbers`` also holds the terms of each author name and
    keyword met so far (they recur from paper to paper).
    """
    abstract = latex_text.plain(paper.abstract)  # the words a reader sees: Poincar\'e is found by "poincare"
    marks = dict(Counter(map(numbers.abstract_words.__getitem__, _tokens(normalize(abstract)))))
    marks.pop(-1, None)
    names = numbers.names
    named = list(chain.from_iterable(map(numbers.authors.__getitem__, credited_authors(paper.authors))))
    named.extend(chain.from_iterable(map(names.__getitem__, paper.keywords)))
    for match in paper.topics:
        named.extend(names[topics[match.slug].name])
    if paper.arxiv_id:
        named.extend(map(numbers.terms.__getitem__, words(paper.arxiv_id)))
    marks.update(dict.fromkeys(named, _MARK_NAMED))
    marks.update(dict.fromkeys(numbers.of_text(latex_text.plain(paper.title)), _MARK_TITLE))
    return marks


class _AbstractTerms(dict[str, str]):
    """word -> its abstract term, or "" for none, computed on first use: abstracts repeat words.

    An abstract's terms are as :func:`terms` says, without numbers alone ("85", "2024") or words longer
    than MAX_WORD."""

    def __missing__(self, word: str) -> str:
        if len(word) < 2 or word in STOP_WORDS or DIGITS.fullmatch(word):
            term = ""
        else:
            term = stem(word)
            if len(term) > MAX_WORD:
                term = ""
        self[word] = term
        return term


_ABSTRACT_TERM = _AbstractTerms()


class _WordNumbers(dict[str, int]):
    """word -> the number of its term in one index, or -1 for none (``rule`` maps a word to its term, or "")."""

    def __init__(self, rule: dict[str, str], terms: defaultdict[str, int]) -> None:
        super().__init__()
        self.rule, self.terms = rule, terms

    def __missing__(self, word: str) -> int:
        term = self.rule[word]
        number = self[word] = self.terms[term] if term else -1
        return number


class _NameNumbers(dict[str, tuple[int, ...]]):
    """name -> the numbers of its terms (an author's name, a keyword, a topic's name), computed on first use."""

    def __init__(self, numbers: _Numbers, words: _WordNumbers | None = None) -> None:
        super().__init__()
        self.numbers, self.words = numbers, words

    def __missing__(self, name: str) -> tuple[int, ...]:
        found = self[name] = tuple(self.numbers.of_text(name, self.words))
        return found


class _Numbers:
    """One index's terms by number (a new term takes the next), and caches from words and names to them.

    Marks are keyed by number, so each word of every abstract costs one lookup (word to number) where a
    word to term then a term to number cost two; numbers stay inside ``build_index``, whose files name
    the terms (in sorted order), so the numbering changes no byte.
    """

    def __init__(self) -> None:
        self.terms: defaultdict[str, int] = defaultdict()
        self.terms.default_factory = self.terms.__len__  # a new term takes the next number
        self.abstract_words = _WordNumbers(_ABSTRACT_TERM, self.terms)
        self.words = _WordNumbers(_TERM, self.terms)
        self.names = _NameNumbers(self)
        self.authors = _NameNumbers(self, _WordNumbers(_AUTHOR_TERM, self.terms))

    def of_text(self, text: str, words: _WordNumbers | None = None) -> list[int]:
        """:func:`terms` of ``text`` (or as ``words`` gives them), and its compound names joined (``joined``), as
        numbers."""
        plain = normalize(text)
        found = [number for number in map((self.words if words is None else words).__getitem__, _tokens(plain))
                 if number >= 0]
        if "-" in plain or "." in plain or SPACED.search(plain):
            found.extend(self.terms[term] for term in joined(plain))
        return found


def document(paper: Paper, topics: dict[str, Topic]) -> list[str]:
    """[location, title HTML, detail HTML]: what a result shows, escaped here and only here.

    The details are the first authors, the issue date, the upvotes when the source gives any ("1,163 upvotes": which
    of several matching papers readers read first) and the topics.

    The abstract and keywords are searched but never shown in a result.
    """
    authors = list(paper.authors[:SHOWN_AUTHORS])
    if len(paper.authors) > SHOWN_AUTHORS:
        authors.append("et al.")
    votes = counted(paper.upvotes, "upvote") if paper.upvotes else ""  # as the cards say it; none without votes
    details = [", ".join(authors), paper.added.isoformat(), votes, ", ".join(topics[m.slug].name for m in paper.topics)]
    return [
        f"papers/{paper.id}/",
        escape.html(latex_text.plain(paper.title)),
        escape.html(" · ".join(part for part in details if part)),
    ]


def build_index(papers: Sequence[Paper], topics: Iterable[Topic]) -> dict[str, bytes]:
    """``{path: JSON bytes}`` for ``papers``, numbered in the order given: give them oldest first.

    The search worker ranks equal scores by number, highest (newest) first. Numbered oldest
    first, a new issue's papers take new numbers at the end: the document shards of older
    papers keep their bytes, so a daily build rewrites (and browsers download again) only
    the last few. Term shards change wherever a new paper has a word (most of them).

    Postings are gathered as three flat arrays (term number, document number, mark), then
    grouped by term and encoded with numpy: the per-posting work (some 130 per paper) runs in C.
    """
    by_slug = {topic.slug: topic for topic in topics}
    numbers = _Numbers()
    term_of, mark_of, counts = array("i"), array("i"), array("i")
    documents: list[list[str]] = []
    for paper in papers:
        documents.append(document(paper, by_slug))
        marks = _paper_marks(paper, by_slug, numbers)
        term_of.extend(marks)
        mark_of.extend(marks.values())
        counts.append(len(marks))
    vocabulary = list(numbers.terms)  # by number
    del numbers
    size = len(vocabulary)
    term = np.frombuffer(term_of, dtype=np.int32)
    mark = np.frombuffer(mark_of, dtype=np.int32)
    field = np.full(len(mark), ABSTRACT, dtype=np.int8)  # (no int64 temporaries: this is the biggest array)
    field[mark > 1] = ABSTRACT_AGAIN
    named = mark < 0
    field[named] = -mark[named]
    del mark, mark_of, named
    limit = max(FREQUENT_SHARE * len(papers), FREQUENT_MIN - 1)
    postings = np.bincount(term, minlength=size)
    is_frequent = np.bincount(term[field <= ABSTRACT_AGAIN], minlength=size) > limit
    frequent = {vocabulary[n]: int(postings[n]) for n in np.flatnonzero(is_frequent)}
    paper_ends = np.cumsum(np.frombuffer(counts, dtype=np.int32), dtype=np.int64)
    term_ends = np.cumsum(postings)
    encoded_list = [""] * size
    first = start = 0
    while first < size:  # a block of terms at a time, about CHUNK postings: bounded memory at any size
        last = min(size, max(first + 1, int(np.searchsorted(term_ends, start + CHUNK, side="right"))))
        stop = int(term_ends[last - 1])
        where = np.flatnonzero((term >= first) & (term < last))  # ascending: documents in order
        where = where[np.argsort(term[where], kind="stable")]  # by term; documents stay in order within one
        block, kinds = term[where] - first, field[where]
        doc = np.searchsorted(paper_ends, where, side="right").astype(np.int32)
        keep = ~((kinds <= ABSTRACT_AGAIN) & is_frequent[block + first])  # frequent terms: no abstract postings
        encoded_list[first:last] = _encode_groups(block[keep], doc[keep], kinds[keep], last - first)
        first, start = last, stop
    del term, term_of, field
    encoded = dict(zip(vocabulary, encoded_list, strict=True))
    shards, split = _shards(encoded)
    files = {}
    for key, members in shards.items():
        shard: dict[str, object] = {"t": {term: encoded[term] for term in members}}
        marked = {term: frequent[term] for term in members if term in frequent}
        if marked:
            shard["f"] = marked
        files[f"{INDEX_DIR}/t/{shard_key(key)}.json"] = _json(shard)
    for start in range(0, len(documents), DOCS_PER_SHARD):
        shown = documents[start : start + DOCS_PER_SHARD]
        files[f"{INDEX_DIR}/{DOCS_DIR}/{start // DOCS_PER_SHARD}.json"] = _json(shown)
    manifest = {
        "version": VERSION,
        "count": len(documents),
        "docs_per_shard": DOCS_PER_SHARD,
        "docs_dir": DOCS_DIR,
        "shards": sorted(shard_key(key) for key in shards),
        "split": sorted(shard_key(prefix) for prefix in split),
        "weights": list(WEIGHTS),
        "prefix_weight": PREFIX_WEIGHT,
        "stop": sorted(STOP_WORDS),
    }
    files[f"{INDEX_DIR}/manifest.json"] = _json(manifest)
    return files


def shard_of(term: str, split: Iterable[str]) -> str:
    """The shard prefix of ``term``: its first two characters, one more for each split prefix."""
    split = set(split)
    length = 2
    while term[:length] in split and length < len(term):
        length += 1
    return term[:length]


def _shards(encoded: dict[str, str]) -> tuple[dict[str, list[str]], set[str]]:
    """({prefix: terms}, split prefixes): prefixes grow a character while a shard is over SHARD_BYTES.

    A split prefix keeps a shard of its own for the one term equal to it, if any ("co" itself).
    """
    shards: dict[str, list[str]] = {}
    split: set[str] = set()
    pending = [(2, sorted(encoded))]
    while pending:
        length, group = pending.pop()
        by_prefix: dict[str, list[str]] = {}
        for term in group:
            by_prefix.setdefault(term[:length], []).append(term)
        for prefix, members in by_prefix.items():
            size = sum(len(term) + len(encoded[term]) + 6 for term in members)
            longer = [term for term in members if len(term) > length]
            if size > SHARD_BYTES and longer:
                split.add(prefix)
                if prefix in encoded:
                    shards[prefix] = [prefix]
                pending.append((length + 1, longer))
            else:
                shards[prefix] = members
    return shards, split


@functools.lru_cache(maxsize=4096)
def _varint(value: int) -> str:
    digits = []
    while value >= 32:
        digits.append(_DIGITS64[32 | value & 31])
        value >>= 5
    digits.append(_DIGITS64[value])
    return "".join(digits)


_SMALL = [_varint(value) for value in range(4096)]


def _encode(values: Iterable[int]) -> str:
    """Postings (document << 2 | class, ascending) as gaps, each a varint of base64 digits.

    The reference for :func:`_encode_groups`, which encodes every term at once.
    """
    small = _SMALL
    parts = []
    previous = 0
    for value in values:
        gap = ((value >> 2) - previous) << 2 | value & 3
        previous = value >> 2
        parts.append(small[gap] if gap < 4096 else _varint(gap))
    return "".join(parts)


_ALPHABET = np.frombuffer(_DIGITS64.encode("ascii"), dtype=np.uint8)


def _encode_groups(term: np.ndarray, doc: np.ndarray, field: np.ndarray, size: int) -> list[str]:
    """:func:`_encode` of every term's postings at once: ``term`` ascending, ``doc`` ascending within it.

    Returns one string per term number below ``size`` ("" for a term with no postings left).
    """
    first = np.ones(len(term), dtype=bool)
    first[1:] = term[1:] != term[:-1]
    gap = doc.astype(np.int64)
    gap[1:] -= doc[:-1]
    gap[first] = doc[first]  # a term's first posting counts from document 0
    del first
    gap <<= 2
    gap |= field
    digits = np.ones(len(gap), dtype=np.int8)
    while True:
        more = gap >= (1 << (5 * int(digits.max(initial=1))))
        if not more.any():
            break
        digits += more
    del more
    ends = np.cumsum(digits, dtype=np.int64)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    starts = ends - digits
    del ends
    for place in range(int(digits.max(initial=0))):
        has = digits > place
        value = (gap[has] >> (5 * place)) & 31
        value[digits[has] > place + 1] |= 32  # more digits follow
        out[starts[has] + place] = value
    del starts, gap
    text = _ALPHABET[out].tobytes().decode("ascii")
    # Each term's characters: its postings' digits, one term after another.
    bounds = np.zeros(size + 1, dtype=np.int64)
    bounds[1:] = np.cumsum(np.bincount(term, weights=digits, minlength=size).astype(np.int64))
    return [text[bounds[n] : bounds[n + 1]] for n in range(size)]


def decode(text: str) -> list[tuple[int, int]]:
    """[(document, class)] of an encoded posting string (what the worker does; for tests)."""
    result = []
    document = value = shift = 0
    for char in text:
        digit = _DIGITS64.index(char)
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        document += value >> 2
        result.append((document, value & 3))
        value = shift = 0
    return result


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
