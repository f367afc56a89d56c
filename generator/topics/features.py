"""Bag-of-words vectors of titles and abstracts (hashed TF-IDF), the basis of topic similarity and related papers.

Words are hashed into a fixed number of buckets with a stable hash, so a vector never depends on
which other papers exist (no vocabulary to grow) and the same text always gives the same vector.
Texts are read once into arrays of word ids (``Vocabulary``); the vectors and the keyword matching
of the topics stage both work on those arrays, so each distinct word is analysed only once.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from generator.model import Paper

# Words and pairs of adjacent words have buckets of their own (a pair never shares a word's bucket), so a
# word bucket can be named by its word (the learner's evidence, "top terms: ...").
WORD_BUCKETS = 1 << 18
PAIR_BUCKETS = 1 << 18
BUCKETS = WORD_BUCKETS + PAIR_BUCKETS
TITLE_REPEAT = 3  # the title is short and says what the paper is about: count its words more
# Chinese and Japanese write words without spaces between them: each of their characters is a word, so a
# keyword or watched phrase (模型, 神经网络) is a phrase of characters, found wherever the text has it.
CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
WORD = re.compile(rf"[{CJK}]|[^\W_{CJK}]+", re.UNICODE)
CJK_CHARACTER = re.compile(f"[{CJK}]")
# Function words and the boilerplate of every abstract: they say nothing about a paper's subject.
STOPWORDS = frozenset(
    """a about above across after again against all almost also although always among an and another any
    are as at based be been before being between both but by can could did do does done due during each
    either et etc even ever every few for from further had has have having here how however i if in into is
    it its itself just many may might more most much must my neither no nor not of often on once one only or
    other others our out over own per rather same several should show shown shows since so some such than
    that the their them then there these they this those though thus to too under until up upon us use used
    uses using very via was we well were what when where whether which while who whose why will with within
    without would yet you your paper propose proposed present presents approach method methods new novel
    result results work study studies first two three also show however existing demonstrate experiments
    experimental significantly significant state art furthermore moreover address recent recently""".split()  # noqa: SIM905
)
# Papers read into word ids at once: large enough for numpy to pay off, small enough to bound memory.
CHUNK = 500
# Marks the start of each text in an id array (id 0); never a word, since words are letters and digits.
SEPARATOR = b"\x01"
# For ASCII text (almost all of it), WORD's letters and digits kept and everything else a space, in C.
_ASCII_WORDS = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes([32] * 128)


# Words ending in "s" that are singular, and Latin plurals the simple rules would get wrong.
IRREGULAR = {
    **{w: w for w in ("bias", "lens", "gas", "chaos", "atlas", "canvas", "news", "series", "species", "alias")},
    "matrices": "matrix", "vertices": "vertex", "indices": "index", "simplices": "simplex", "data": "data",
}

# TeX commands that math abstracts are full of ($\mathbb{R}$): words of the vectors like any other, but
# markup, never named as the evidence a reader sees. Only names that are no English word.
TEX_WORDS = frozenset(
    """mathbb mathcal mathfrak mathrm mathbf mathsf mathit mathscr mathtt mathop operatorname boldsymbol
    textbf textit textrm textsc texttt emph frac dfrac tfrac sqrt cdot cdots ldots ddots vdots infty leq geq neq
    le ge ll gg lesssim gtrsim simeq approx equiv rightarrow leftarrow longrightarrow mapsto subseteq supseteq
    otimes oplus langle rangle lvert rvert lVert rVert overline underline widetilde widehat varepsilon varphi
    vartheta varrho displaystyle scriptstyle mathrel nolimits bigl bigr bigg biggl biggr qquad""".split()  # noqa: SIM905
)
# Chinese and Japanese function characters ("的", "了", "の", "は"): each is a word of the vectors (their texts have no
# spaces to find words by), but "top terms: 数, 个, 的" tells a reader nothing: never named.
CJK_FUNCTION_WORDS = frozenset("的了是在和与及或个我们这那其之而也都就为对将把被从以所中一"
                               "のはをにがでとてもやへからまでよりなどしたするされるいるあるこの")

# The function words of the other languages papers are often written in (German, French, Spanish, Portuguese, Italian,
# Russian): weigh like any word but are never named (evidence, ``digest topics suggest``: "модели мы"). Only words that
# are no English term of a field.
FUNCTION_WORDS = frozenset(
    """der die das und ist im den dem ein eine einer einem eines mit für von zu zur zum auf bei aus wir sich nicht
    auch als wie oder durch über unter nach sowie diese dieser dieses werden wird wurde sind
    le la les du de un une et est dans pour sur par avec nous au aux ce cette ces qui que sont ou pas
    el los las del es una para por con se al lo como su sus más da do das em um uma na no nas nos ao pelo pela são
    il gli di che nel nella della delle degli dei alla sono
    и в во на с со к ко о об от по для из за при не но а как что это мы их его её или также же бы ли то так у до без
    над под между через этой этого этот эти который которые которая""".split()  # noqa: SIM905
)
# A word written with LaTeX accents (Erd\\H{o}s, Schr\\"odinger, Poincar{\\'e}): read as written, its pieces ("erd",
# "schr", "poincar") are words of the vectors like any other, but no words a reader knows: never named either.
# A possessive whose apostrophe the source escaped ("MLLM\\'s") is no accent: "mllm" stays a word evidence names.
ACCENTED = re.compile(
    r"""(?<![^\W\d_])[^\W\d_]*(?:\{?\\(?:["`^~=.]|'(?!s(?![A-Za-z]))|[Hvuckr](?=\{))\{?[A-Za-z]\}?\}?[^\W\d_]*)+""")
ACCENT = re.compile(r"""\\(?:["`^~=.]|'(?!s(?![A-Za-z]))|[Hvuckr]\{)""")  # where ACCENTED may match, found fast


# Names that end in "s" and that evidence shows as written (Navier-Stokes is not a "stoke").
NAMES_WITH_S = frozenset({"stokes", "jones", "hodges", "lyons"})


def shown(word: str) -> str:
    """A casefolded word as evidence names it: its singular when that is surely a word ("models" → "model",
    "processes" → "process"), else as written ("approaches" and "caches": "approache" is no word, "cache" is)."""
    found = singular(word)
    if word in NAMES_WITH_S:
        return word
    if found != word and word not in IRREGULAR:
        if word.endswith("sses"):
            return word[:-2]
        if word.endswith(("ches", "shes", "xes")):
            return word
    return found


def singular(word: str) -> str:
    """A crude English singular ("models" → "model"), enough to merge plural and singular forms."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Every word of ``text`` as written (NFKC): hyphens, punctuation and spaces all separate words."""
    return WORD.findall(unicodedata.normalize("NFKC", text))


def paper_text(paper: Paper) -> tuple[str, str]:
    """What a paper's vectors are made of: its title, and its abstract followed by the source's keywords (as its
    first issue listed them: ``Paper.first_listed``)."""
    title, abstract, keywords, _ = paper.first_listed or (paper.title, paper.abstract, paper.keywords, ())
    if not keywords:
        return title, abstract
    return title, abstract + " " + ". ".join(keywords) + "."


class WordNames:
    """The words behind each paper's word buckets, read with its text: what names the learner's evidence.

    A paper's bucket is named by the paper's own word in it (its casefolded singular; of two words of the
    paper in one bucket, the first read), so a name never depends on which other papers exist.
    """

    def __init__(self, vocabulary: Vocabulary, capacity: int) -> None:
        self.vocabulary = vocabulary
        self.rows = RowBlocks(capacity, dtype=np.int32)
        self.names: dict[int, str] = {}
        # Words read from words written with LaTeX accents (ACCENTED), over the whole archive: a word that is also
        # one of these pieces elsewhere ("older" of H\\"older) is not named in any paper either.
        self.pieces: set[str] = set()

    def add(self, ids: np.ndarray, documents: int, texts: Sequence[tuple[str, str]] = ()) -> None:
        """The word buckets of ``documents`` (title, abstract) pairs read into ``ids``; ``texts``, those pairs, for
        the pieces of words written with LaTeX accents."""
        for text in (text for pair in texts for text in pair if "\\" in text):
            for accent in ACCENT.finditer(text):  # the words around it (a name is shorter than 40 letters a side)
                near = ACCENTED.finditer(text, max(0, accent.start() - 40), accent.end() + 40)
                found = next((word for word in near if word.start() <= accent.start() < word.end()), None)
                if found is not None:
                    self.pieces.update(word.casefold() for word in tokens(found.group()))
        buckets = self.vocabulary.buckets[ids]
        content = np.flatnonzero(buckets >= 0)
        paper = text_numbers(ids)[content] // 2
        keys = paper.astype(np.int64) * WORD_BUCKETS + buckets[content]
        unique, first = np.unique(keys, return_index=True)  # the first word read of each (paper, bucket)
        words = self.vocabulary.folded[ids[content][first]]
        rows, columns = unique // WORD_BUCKETS, unique % WORD_BUCKETS
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=documents))])
        self.rows.add(sp.csr_matrix((words, columns, indptr), shape=(documents, BUCKETS), dtype=np.int32))

    def matrix(self) -> sp.csr_matrix:
        return self.rows.matrix()

    def name(self, word: int) -> str:
        """The word (casefolded; singular where ``shown`` says so) of a word id."""
        found = self.names.get(word)
        if found is None:
            found = self.names[word] = shown(self.vocabulary.ids.words[word].decode("utf-8"))
        return found

    def markup(self) -> np.ndarray:
        """Word ids (casefolded) → whether the word is a TeX command (``TEX_WORDS``), a function word of another
        language, a Chinese or Japanese function character or a piece of a word written with LaTeX accents: never
        named."""
        found = np.zeros(len(self.vocabulary.ids.words), dtype=bool)
        for word in sorted(TEX_WORDS | FUNCTION_WORDS | CJK_FUNCTION_WORDS | self.pieces):
            index = self.vocabulary.ids.get(word.casefold().encode("utf-8"))
            if index is not None:
                found[index] = True
        return found


def content_words(text: str) -> list[str]:
    """The words that get a bucket, as text: casefolded, singular, no stopwords, numbers or single letters."""
    found = [word.casefold() for word in tokens(text)]
    return [singular(w) for w in found if _is_content(w)]


def bucket(term: str) -> int:
    """A word's stable hash bucket (crc32, unlike ``hash()`` the same in every process)."""
    return zlib.crc32(term.encode("utf-8")) % WORD_BUCKETS


def _word_bucket(folded: str) -> int:
    """The bucket of a casefolded word, or -1 for stopwords, numbers and single letters (a Chinese or Japanese
    character is a word)."""
    return bucket(singular(folded)) if _is_content(folded) else -1


def _is_content(folded: str) -> bool:
    """Not a stopword, a number or a single letter (a Chinese or Japanese character is a word)."""
    return (len(folded) > 1 or CJK_CHARACTER.match(folded) is not None) and not folded.isdigit() \
        and folded not in STOPWORDS


class _Ids(dict[bytes, int]):
    """Word → id; an unseen word gets the next id (looked up in C, so reading a text is fast)."""

    def __init__(self) -> None:
        super().__init__({SEPARATOR: 0})
        self.words: list[bytes] = [SEPARATOR]  # by id

    def __missing__(self, word: bytes) -> int:
        index = self[word] = len(self.words)
        self.words.append(word)
        return index


class Vocabulary:
    """Every distinct word seen (as written), with an integer id, its casefolded form's id and its bucket.

    Ids depend on reading order and never leave the process; buckets and casefolded forms depend
    on the word alone, so everything computed from them is the same whatever was read before.
    """

    def __init__(self) -> None:
        self.ids = _Ids()
        self.folded = np.zeros(1, dtype=np.int32)  # id → id of the casefolded word
        self.buckets = np.full(1, -1, dtype=np.int64)  # id → bucket of the (casefolded, singular) word, or -1

    def id(self, word: str) -> int:
        """The id of one word (as it is written)."""
        index = self.ids[word.encode("utf-8")]
        self._describe_new()
        return index

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The word ids of ``texts`` in order, each text preceded by the separator 0."""
        parts = [
            text.encode("ascii").translate(_ASCII_WORDS) if text.isascii() else " ".join(tokens(text)).encode("utf-8")
            for text in texts
        ]
        words = (b" " + SEPARATOR + b" " + (b" " + SEPARATOR + b" ").join(parts)).split() if parts else []
        ids = np.fromiter(map(self.ids.__getitem__, words), dtype=np.int32, count=len(words))
        self._describe_new()
        return ids

    def _describe_new(self) -> None:
        """Casefolded form and bucket of the words added since the last call (casefolding may add words)."""
        words = self.ids.words
        folded: list[int] = []
        buckets: list[int] = []
        while len(self.folded) + len(folded) < len(words):
            text = words[len(self.folded) + len(folded)].decode("utf-8").casefold()
            folded.append(self.ids[text.encode("utf-8")])
            buckets.append(_word_bucket(text))
        if folded:
            self.folded = np.concatenate([self.folded, np.asarray(folded, dtype=np.int32)])
            self.buckets = np.concatenate([self.buckets, np.asarray(buckets, dtype=np.int64)])
        self.buckets[0] = -1


def text_numbers(ids: np.ndarray) -> np.ndarray:
    """For each position of an id array from ``Vocabulary.encode``, the number of its text."""
    return np.cumsum(ids == 0) - 1


def count_rows(vocabulary: Vocabulary, ids: np.ndarray, documents: int) -> sp.csr_matrix:
    """Rows of term counts for ``documents`` (title, abstract) pairs read into ``ids`` (see ``sublinear``).

    Terms are the buckets of the content words and of each pair of adjacent content words (within
    one text; pairs in buckets of their own, from ``WORD_BUCKETS`` on); a title's terms count
    ``TITLE_REPEAT`` times. Counts are whole numbers kept as float32 (exact, half the memory of float64).
    """
    buckets = vocabulary.buckets[ids]
    content = buckets >= 0
    words, text = buckets[content], text_numbers(ids)[content]
    joined = text[:-1] == text[1:]
    pairs = WORD_BUCKETS + (words[:-1][joined] * 1_000_003 + words[1:][joined] * 7919 + 12345) % PAIR_BUCKETS
    terms = np.concatenate([words, pairs])
    owner = np.concatenate([text, text[:-1][joined]])
    weight = np.where(owner % 2 == 0, np.float32(TITLE_REPEAT), np.float32(1))
    counts = sp.csr_matrix((weight, (owner // 2, terms)), shape=(documents, BUCKETS), dtype=np.float32)
    counts.sum_duplicates()
    return counts


def sublinear(counts: sp.csr_matrix) -> sp.csr_matrix:
    """1 + log(count) per term (float64): a word's tenth use says less than its first."""
    data = 1.0 + np.log(counts.data.astype(np.float64))
    return sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)


def read_documents(
    documents: Sequence[tuple[str, str]], vocabulary: Vocabulary
) -> Iterator[tuple[int, int, np.ndarray]]:
    """(first row, number of rows, word ids of their title and abstract texts), ``CHUNK`` documents at a time."""
    for start in range(0, len(documents), CHUNK):
        part = documents[start:start + CHUNK]
        yield start, len(part), vocabulary.encode([text for pair in part for text in pair])


class RowBlocks:
    """A sparse matrix assembled from row blocks, each copied into one buffer as it comes.

    The buffer is allocated once for the most there can be, and only the part written is ever
    in memory (then it is cut to size in place); a block is dropped as soon as it is copied, so
    blocks never pile up between the temporary arrays of later ones (which would leave the
    process's heap fragmented and large).
    """

    def __init__(self, capacity: int, dtype: Any = np.float32) -> None:
        self.data = np.empty(max(capacity, 1), dtype=dtype)
        self.indices = np.empty(max(capacity, 1), dtype=np.int32)
        self.indptr = [np.zeros(1, dtype=np.int64)]
        self.size = self.rows = 0

    def add(self, block: sp.csr_matrix) -> None:
        """Append the rows of ``block`` (columns in ``BUCKETS``)."""
        end = self.size + block.nnz
        if end > len(self.data):  # more than expected (text that NFKC lengthens): grow (realloc)
            self.data.resize(max(end, 2 * len(self.data)), refcheck=False)
            self.indices.resize(max(end, 2 * len(self.indices)), refcheck=False)
        self.data[self.size:end] = block.data
        self.indices[self.size:end] = block.indices
        self.indptr.append(block.indptr[1:].astype(np.int64) + self.size)
        self.size, self.rows = end, self.rows + block.shape[0]

    def matrix(self) -> sp.csr_matrix:
        """The rows added, as one matrix that owns the buffer (cut to size in place: no copy)."""
        self.data.resize(max(self.size, 1), refcheck=False)
        self.indices.resize(max(self.size, 1), refcheck=False)
        indptr = np.concatenate(self.indptr)
        matrix = sp.csr_matrix((self.data[:self.size], self.indices[:self.size], indptr), shape=(self.rows, BUCKETS))
        self.data, self.indices = np.zeros(0, dtype=self.data.dtype), np.zeros(0, dtype=np.int32)
        return matrix


def term_capacity(documents: Sequence[tuple[str, str]]) -> int:
    """At most how many terms ``documents`` can have (a word takes 2 characters and a gap; each adds a pair)."""
    return sum(len(title) + len(abstract) for title, abstract in documents) * 2 // 3 + 4 * len(documents)


class Vectorizer:
    """Turns (title, abstract) pairs into sparse rows of term counts over hashed words and word pairs."""

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()

    def matrix(self, documents: Sequence[tuple[str, str]]) -> sp.csr_matrix:
        """One row per (title, abstract): see ``count_rows``."""
        rows = RowBlocks(term_capacity(documents))
        for _, size, ids in read_documents(documents, self.vocabulary):
            rows.add(count_rows(self.vocabulary, ids, size))
        return rows.matrix()


def count_matrix(documents: Sequence[tuple[str, str]]) -> sp.csr_matrix:
    """Term counts of (title, abstract) pairs; see ``count_rows``. Shared: do not modify it.

    The topics stage leaves its counts here (``remember_counts``) and the related-papers stage
    takes them (keyed by the texts themselves): counting is the slowest step of both.
    """
    key = tuple(documents)
    if _LAST[0] != key:
        _LAST[0], _LAST[1] = key, Vectorizer().matrix(documents)
    return _LAST[1]


def remember_counts(documents: Sequence[tuple[str, str]], counts: sp.csr_matrix) -> None:
    """Keep ``counts`` of ``documents`` for the next ``count_matrix`` of the same texts."""
    _LAST[0], _LAST[1] = tuple(documents), counts


def forget_counts() -> None:
    """Drop the remembered counts (they are large: the last stage that needs them calls this)."""
    _LAST[0], _LAST[1] = None, None


_LAST: list[Any] = [None, None]


def document_frequency(matrix: sp.csr_matrix) -> np.ndarray:
    """In how many rows each bucket occurs."""
    return np.bincount(matrix.indices, minlength=BUCKETS).astype(np.float64)


def idf(df: np.ndarray, documents: int) -> np.ndarray:
    """Smoothed inverse document frequency; a term seen in one document only carries no weight (it links nothing)."""
    weights = np.log((1.0 + documents) / (1.0 + df))
    weights[df < 2] = 0.0
    return weights


def normalize_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Each row scaled to unit length (empty rows stay empty)."""
    lengths = np.diff(matrix.indptr)
    squares = sp.csr_matrix((np.square(matrix.data, dtype=np.float64), matrix.indices, matrix.indptr), matrix.shape)
    norms = np.sqrt(squares @ np.ones(matrix.shape[1]))  # summed in order, like scipy's row sums
    norms[norms == 0] = 1.0
    data = (matrix.data * np.repeat(1.0 / norms, lengths)).astype(matrix.dtype, copy=False)
    return sp.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)


def weighted(matrix: sp.csr_matrix, weights: np.ndarray, dtype: Any = np.float64) -> sp.csr_matrix:
    """Rows of ``matrix`` times per-bucket ``weights``, zero-weight terms dropped, then unit length: TF-IDF vectors.

    ``matrix`` is left as it is (its arrays may be shared with the remembered counts).
    """
    data = matrix.data * weights[matrix.indices]
    kept = data != 0
    ends = np.concatenate([[0], np.cumsum(kept)])
    scaled = sp.csr_matrix(
        (data[kept].astype(dtype, copy=False), matrix.indices[kept], ends[matrix.indptr]), shape=matrix.shape
    )
    return normalize_rows(scaled)
