"""A compact, sharded search index of every paper: title words, author names, topics.

Material's own index holds every page's full text (tens of megabytes for a large
archive) and a browser downloads all of it before the first result. This one is split so
a query downloads a small manifest, the one term shard named by each query word's first
two characters, and the document shards of the results it shows. The site's search box
talks to it through ``templates/overrides/assets/digest/search-worker.js``.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence

from generator import escape
from generator.model import Paper
from generator.topics import Topic

INDEX_DIR = "search/papers"
DOCS_PER_SHARD = 64
SHOWN_AUTHORS = 6
WORD = re.compile(r"[^\W_]+")
PLAIN_KEY = re.compile(r"[a-z0-9]")


def normalize(text: str) -> str:
    """Lowercase without accents, so 'Schölkopf' is found by 'scholkopf' (the worker does the same)."""
    if text.isascii():
        return text.lower()  # nothing to decompose: most titles and names, at a tenth of the cost
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def words(text: str) -> list[str]:
    """The searchable words of ``text``: runs of letters and digits, at least two characters."""
    return [word for word in WORD.findall(normalize(text)) if len(word) > 1]


@functools.lru_cache(maxsize=65536)
def shard_key(word: str) -> str:
    """The term shard a word lives in: its first two characters, spelled safely for a file name."""
    return "".join(c if PLAIN_KEY.fullmatch(c) else f"_{ord(c):x}" for c in word[:2])


def paper_words(paper: Paper, topics: dict[str, Topic]) -> tuple[set[str], set[str]]:
    """(title words, other words): authors, topic names and the arXiv id are found too."""
    title = set(words(paper.title))
    other = set(words(" ".join(paper.authors)))
    for match in paper.topics:
        other.update(_name_words(topics[match.slug].name))
    if paper.arxiv_id:
        other.update(words(paper.arxiv_id))
    return title, other - title


@functools.lru_cache(maxsize=1024)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(words(name))


def document(paper: Paper, topics: dict[str, Topic]) -> list[str]:
    """[location, title HTML, detail HTML]: what a result shows, escaped here and only here."""
    authors = list(paper.authors[:SHOWN_AUTHORS])
    if len(paper.authors) > SHOWN_AUTHORS:
        authors.append("et al.")
    details = [", ".join(authors), paper.added.isoformat(), ", ".join(topics[m.slug].name for m in paper.topics)]
    return [
        f"papers/{paper.id}/",
        escape.html(paper.title),
        escape.html(" · ".join(part for part in details if part)),
    ]


def build_index(papers: Sequence[Paper], topics: Iterable[Topic]) -> dict[str, bytes]:
    """``{path: JSON bytes}`` for ``papers``, numbered in the order given: give them oldest first.

    The search worker ranks equal scores by number, highest (newest) first. Numbered oldest
    first, a new issue's papers take new numbers at the end: the document shards of older
    papers keep their bytes, so a daily build rewrites (and browsers download again) only
    the last few.
    """
    by_slug = {topic.slug: topic for topic in topics}
    shards: dict[str, dict[str, list[int]]] = {}
    documents: list[list[str]] = []
    for number, paper in enumerate(papers):
        documents.append(document(paper, by_slug))
        title, other = paper_words(paper, by_slug)
        # A posting is the document number shifted left once; the low bit says "in the title".
        for word, in_title in [(w, 1) for w in title] + [(w, 0) for w in other]:
            shards.setdefault(shard_key(word), {}).setdefault(word, []).append(number << 1 | in_title)
    files = {
        f"{INDEX_DIR}/t/{key}.json": _json({word: _deltas(postings) for word, postings in terms.items()})
        for key, terms in shards.items()
    }
    for start in range(0, len(documents), DOCS_PER_SHARD):
        files[f"{INDEX_DIR}/d/{start // DOCS_PER_SHARD}.json"] = _json(documents[start : start + DOCS_PER_SHARD])
    manifest = {"version": 2, "count": len(documents), "docs_per_shard": DOCS_PER_SHARD, "shards": sorted(shards)}
    files[f"{INDEX_DIR}/manifest.json"] = _json(manifest)
    return files


def _deltas(postings: list[int]) -> list[int]:
    """Postings ascending, each stored as the gap from the previous one (smaller JSON)."""
    ordered = sorted(set(postings))
    return [value - previous for previous, value in zip([0, *ordered], ordered, strict=False)]


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
