"""``digest topics suggest``: a draft taxonomy from the papers themselves, named with phrases a maintainer would keep.

Papers are clustered (spherical k-means over TF-IDF vectors of words and word pairs, seeded
deterministically); each cluster is then described by its most *distinctive* terms, scored the way
class-based TF-IDF does it: how much of the cluster's text a term is, times how rare the term is
in the whole archive. Boilerplate of abstracts ("we propose", "extensive experiments") and terms in
more than COMMON_SHARE of all papers never become names or keywords; a pair of words is kept only
when it recurs, and it stands in for its words ("moduli space" rather than "moduli", "space"). Each
term is proposed for one cluster only, the one it is most distinctive of. Chinese and Japanese, written without
spaces, give stretches of characters the archive also writes with other neighbours (``_closed``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
import yaml
from anyascii import anyascii

from generator.errors import DigestError
from generator.model import Paper
from generator.slugs import is_reserved_slug, slugify
from generator.topics.features import (
    ACCENTED,
    CJK,
    CJK_CHARACTER,
    CJK_FUNCTION_WORDS,
    FUNCTION_WORDS,
    STOPWORDS,
    content_words,
    singular,
    tokens,
)
from generator.topics.taxonomy import OTHER_SLUG

# Terms used by more than this share of the papers name no cluster: they are the archive's own subject.
COMMON_SHARE = 0.2
# How many keywords a suggested topic gets, and how many terms its name and description use.
KEYWORDS = 10
DEFAULT_MOST = 20  # topics proposed without --count: about √(papers/2), 2 to this many (a reader browses a few dozen)
# The words of scientific abstracts that say how, not what (mathematics' "we prove", "we give" too): never a name or
# keyword, nor part of a pair.
BOILERPLATE = frozenset(
    """ability able accuracy achieve achieved achieves achieving across additionally addressing advance advances
    advantage aim aims allow allows analysis analyze applied apply applying art available benchmark benchmarks
    better broad capability capable case challenge challenges challenging common comparable compared correct
    comparison comprehensive consistent consistently contribution contributions critical crucial current currently
    demonstrate demonstrated demonstrates demonstrating design designed despite develop developed different
    difficult directly discuss easily effect effective effectively effectiveness efficient efficiently enable
    enables enabling enhance enhanced enhancing ensure especially establish evaluate evaluated evaluation evidence
    example examples explore extensive extensively fact factor far finally find finding findings focus following
    framework fully fundamental future general generally given goal good great greatly help high higher highly
    however human idea identify impact important improve improved improvement improvements improves improving
    include including increase increasingly indicate insight insights instead introduce introduced introduces
    introducing investigate issue issues key knowledge large largely lead leading leverage leverages leveraging
    limited limitation limitations low lower main mainly major make makes making manner method methodology
    metric metrics model modeling models modelling moreover multiple namely need needs notably novel observe
    obtain offer offers open outperform outperforming outperforms overall particular particularly perform
    performance performs potential practical present previous primarily prior problem problems promising
    property proposed provide provides providing publicly question range real reduce reduced reducing regarding
    release released remain remains report require requires research researcher researchers respectively result
    reveal reveals robust scenario scenarios scale second set setting settings show showing significant similar
    simple single small solution solutions source specific specifically standard strong structure study success
    successfully suggest superior support surpass system systems take task tasks technique techniques term
    terms test tested three time together tool tools towards trade trained training type typically understanding
    unified use useful utilize various version way wide widely world yield yields
    answer answering argument assume assumed assuming consider considered deduce derive derived deriving determine
    determined determining extend extended extending give giving prove proved proven proving settle settled
    settling""".split()  # noqa: SIM905
)

# A suggested topic lists the primary categories (arXiv's) of at least this share of its papers, at most two.
CATEGORY_SHARE = 0.25
MAX_CATEGORIES = 2
# Halves of hyphenated words ("non-commutative", "multi-agent"): part of a pair, never a term alone.
PREFIXES = frozenset("anti co cross inter intra multi non over post pre self semi sub super under well".split())  # noqa: SIM905
# TeX commands in titles and abstracts ($\mathfrak{g}$, $\mathbb{R}^n$): markup, not words of the papers.
TEX_COMMAND = re.compile(r"\\[A-Za-z]+")
# Links in abstracts ("Code: https://github.com/...", "project page at example.github.io"): an address, not the
# paper's subject ("github", "com" and "https" were keywords).
URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|io|ai|edu|html?)\b\S*", re.IGNORECASE)
# Hyphens and dashes that join the two words of a compound ("multi-agent", "fine-grained").
HYPHENS = "-\u2010\u2011"
# Words as suggestions read them: a run of Chinese or Japanese characters is one match, no spaces telling its words
# apart (``_cjk_terms`` finds them).
RUN = re.compile(rf"[{CJK}]+|[^\W_{CJK}]+")
# The lengths of the Chinese or Japanese terms proposed (神经网络, 卷积神经网络), and one more to tell whether a term
# is ever written without the character that follows or precedes it.
CJK_TERM = range(2, 7)
# Where a Chinese or Japanese term ends: a function character, or the boilerplate of abstracts and titles ("based on",
# "we propose", "this paper", "results show"), which would otherwise be part of the terms beside it (基于图像分割).
CJK_BOILERPLATE = """基于 研究 本文 提出 方法 通过 我们 进行 一种 以及 对于 然而 此外 结果 表明 实验
    利用 使用 采用 针对 能够 可以 显著 有效 相比 现有 其中 这些 为了 作为 同时 并且 但是 因此
    由于 如何 之间 上的 下的 该 本研究 提案 手法 示す において による について として および 本論文""".split()  # noqa: SIM905
CJK_GAPS = re.compile("|".join(sorted(CJK_BOILERPLATE, key=lambda word: (-len(word), word)))
                      + f"|[{''.join(sorted(CJK_FUNCTION_WORDS))}]")


def suggest(papers: Sequence[Paper], count: int | None = None, keywords: int = KEYWORDS) -> str:
    """A taxonomy YAML proposed from the papers (deterministic: the same papers give the same proposal)."""
    order = sorted(papers, key=lambda p: p.id)
    if len(order) < 2:
        raise DigestError("need at least 2 papers to suggest topics")
    hyphens: Counter[str] = Counter()
    halved: Counter[str] = Counter()
    documents = _closed([_terms(paper, hyphens, halved) for paper in order])
    vectors, df = _vectors(documents)
    clusters = min(count or int(np.clip(round(np.sqrt(len(order) / 2)), 2, DEFAULT_MOST)), len(order))
    labels = _kmeans(vectors, clusters)
    split = {pair for pair, balance in halved.items() if balance > 0}  # mostly half of a hyphenated word and another
    chosen = _describe(documents, labels, df, len(order), keywords, split)
    proposed = []
    for label, terms in chosen.items():
        members = np.flatnonzero(labels == label)
        centre = np.asarray(vectors[members].mean(axis=0)).ravel()
        example = order[members[int(np.argmax(np.asarray(vectors[members] @ centre).ravel()))]].title
        if not terms:  # a cluster of papers that share no recurring term: its example's words
            words = [w for w in content_words(example) if not CJK_CHARACTER.match(w)] + _cjk_words(example)
            terms = [w for w in dict.fromkeys(words) if w not in BOILERPLATE][:keywords]
        proposed.append((len(members), terms, example, _categories([order[m] for m in members])))
    proposed.sort(key=lambda item: (-item[0], item[1]))
    topics, used = [], {OTHER_SLUG}
    spellings, forms = _written(order)
    joined = {pair for pair, balance in hyphens.items() if balance > 0}  # mostly written with a hyphen
    for size, stems, example, categories in proposed:
        terms = [_shown(term, spellings, forms, joined) for term in stems]
        named = [term for term in stems[1:] if not _redundant(term, stems[0])][:1]
        name = " & ".join(_title(term, spellings, forms, joined) for term in stems[:1] + named) or "Unnamed cluster"
        slug = slugify(name) or slugify(anyascii(name)) or "topic"  # 机器人控制: jiqirenkongzhi
        while slug in used or is_reserved_slug(slug):  # never a name the site keeps (top, authors, ...)
            slug += "-2"
        used.add(slug)
        about = ", ".join(terms[:3]) or "no recurring terms"
        description = f"Papers about {about} ({size} paper{'s' if size != 1 else ''}; for example {example!r})."
        topic: dict[str, object] = {"name": name, "slug": slug, "description": description}
        topic["keywords"] = terms[:keywords]
        if categories:
            topic["categories"] = categories
        topics.append(topic)
    header = (
        "# Topics suggested by `digest topics suggest` from the papers' words: rename them, merge or split\n"
        "# them, write a one-sentence description each, prune the keywords, then save as data/topics.yml\n"
        "# (keep each slug once published). Check it with `digest topics report` and `digest topics evaluate`.\n"
    )
    return header + yaml.safe_dump({"topics": topics}, sort_keys=False, allow_unicode=True, width=100)


def _plain(text: str) -> str:
    """Text as its words are read for suggestions: NFKC, without TeX commands, words with LaTeX accents and links."""
    return URL.sub(" ", TEX_COMMAND.sub(" ", ACCENTED.sub(" ", unicodedata.normalize("NFKC", text))))


def _terms(paper: Paper, hyphens: Counter[str] | None = None, halved: Counter[str] | None = None) -> Counter[str]:
    """A paper's candidate terms: its content words (title twice) and pairs of them written side by side
    (nothing but spaces or a hyphen between: no pair across a stop word, a formula or a full stop), boilerplate
    left out. ``hyphens`` gets, for each pair, its uses with a hyphen ("multi-agent") less those without, counted
    the same way; ``halved``, for each pair written with a space, its uses that take half of a hyphenated word
    ("cell RNA" of "single-cell RNA", "spatial multi" of "spatial multi-omics") less the others."""
    counts: Counter[str] = Counter()
    for text, weight in ((paper.title, 2), (paper.abstract, 1)):
        previous, end, compound = "", 0, False
        text = _plain(text)
        for match in RUN.finditer(text):
            if CJK_CHARACTER.match(match.group()):
                counts.update({term: weight * n for term, n in _cjk_terms(match.group()).items()})
                previous, end, compound = "", match.end(), False
                continue
            folded = match.group().casefold()
            kept = len(folded) > 1 and not folded.isdigit() and folded not in STOPWORDS and folded not in FUNCTION_WORDS
            word = singular(folded) if kept else ""
            word = "" if word in STOPWORDS else word
            if word and word not in BOILERPLATE and word not in PREFIXES:
                counts[word] += weight
            gap = text[end:match.start()]
            adjacent = not gap.strip(" \t\n" + HYPHENS)
            joined = bool(gap) and gap in HYPHENS
            if adjacent and previous and word and previous != word and word not in BOILERPLATE:
                counts[f"{previous} {word}"] += weight
                if hyphens is not None:
                    hyphens[f"{previous} {word}"] += weight if gap in HYPHENS else -weight
                if halved is not None and not joined:
                    halves = compound or text[match.end():match.end() + 1] in tuple(HYPHENS)
                    halved[f"{previous} {word}"] += weight if halves else -weight
            compound = joined
            previous = word if word not in BOILERPLATE else ""
            end = match.end()
    return counts


def _cjk_terms(run: str) -> Counter[str]:
    """The candidate terms of a run of Chinese or Japanese characters: every stretch of two to seven of them
    without a function character (的, の: they join words); ``_closed`` keeps those that are words."""
    found: Counter[str] = Counter()
    for part in CJK_GAPS.split(run):
        for length in range(CJK_TERM.start, CJK_TERM.stop + 1):
            found.update(part[i:i + length] for i in range(len(part) - length + 1))
    return found


def _closed(documents: list[Counter[str]]) -> list[Counter[str]]:
    """The documents without the Chinese or Japanese stretches that are no word: those the archive never writes
    without the same neighbour (器人控制 is always 机器人控制; 像分 always 图像分割's), and the longest ones, which
    are only there to tell that."""
    totals: Counter[str] = Counter()
    for document in documents:
        totals.update({term: n for term, n in document.items() if CJK_CHARACTER.match(term)})
    if not totals:
        return documents
    enclosed = {part for term, n in totals.items() if len(term) > CJK_TERM.start
                for part in (term[1:], term[:-1]) if totals[part] == n}
    dropped = enclosed | {term for term in totals if len(term) >= CJK_TERM.stop}
    return [Counter({term: n for term, n in document.items() if term not in dropped}) for document in documents]


def _cjk_words(text: str) -> list[str]:
    """The pairs of neighbouring Chinese or Japanese characters of ``text``, none with a function character."""
    return [term for match in RUN.finditer(_plain(text)) if CJK_CHARACTER.match(match.group())
            for term in _cjk_terms(match.group()) if len(term) == CJK_TERM.start]


def _vectors(documents: Sequence[Counter[str]]) -> tuple[sp.csr_matrix, Counter[str]]:
    """Unit TF-IDF rows over the terms of at least two papers (all terms when the archive is tiny)."""
    df = Counter(term for document in documents for term in document)
    least = 2 if len(documents) >= 4 else 1
    vocabulary = sorted(term for term, n in df.items() if n >= least)
    index = {term: i for i, term in enumerate(vocabulary)}
    rows, cols, data = [], [], []
    for row, document in enumerate(documents):
        for term, n in document.items():
            if term in index:
                rows.append(row)
                cols.append(index[term])
                data.append((1 + np.log(n)) * np.log((1 + len(documents)) / df[term]))
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(len(documents), len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags(1 / norms) @ matrix), df


def _kmeans(vectors: sp.csr_matrix, clusters: int, starts: int = 10) -> np.ndarray:
    """Spherical k-means from ``starts`` k-means++ seedings (fixed seeds), the tightest clustering kept."""
    best, labels = -1.0, np.zeros(vectors.shape[0], dtype=np.int64)
    for seed in range(starts):
        found, fit = _kmeans_once(vectors, clusters, np.random.default_rng(seed))
        if round(fit, 9) > best:
            best, labels = round(fit, 9), found
    return labels


def _kmeans_once(
    vectors: sp.csr_matrix, clusters: int, rng: np.random.Generator, rounds: int = 40
) -> tuple[np.ndarray, float]:
    """One spherical k-means: the labels, and the summed cosine of each paper to its centre."""
    papers = vectors.shape[0]
    chosen = [int(rng.integers(papers))]
    closest = np.asarray(vectors @ vectors[chosen[0]].T.toarray()).ravel()
    while len(chosen) < clusters:
        distance = np.clip(1 - closest, 0, None)
        distance[chosen] = 0
        total = distance.sum()
        candidate = int(rng.choice(papers, p=distance / total)) if total > 0 else len(chosen)
        chosen.append(candidate)
        closest = np.maximum(closest, np.asarray(vectors @ vectors[candidate].T.toarray()).ravel())
    centres = vectors[chosen].toarray()
    labels = np.full(papers, -1)
    for _ in range(rounds):
        new = np.argmax(np.round(np.asarray(vectors @ centres.T), 12), axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for k in range(len(centres)):
            members = np.flatnonzero(labels == k)
            if len(members):
                centre = np.asarray(vectors[members].sum(axis=0)).ravel()
                centres[k] = centre / (np.linalg.norm(centre) or 1.0)
    fit = float(np.sum(np.max(np.asarray(vectors @ centres.T), axis=1)))
    return labels, fit


def _describe(
    documents: Sequence[Counter[str]], labels: np.ndarray, df: Counter[str], papers: int, limit: int,
    excluded: set[str] | frozenset[str] = frozenset(),
) -> dict[int, list[str]]:
    """Each cluster's most distinctive terms (class-based TF-IDF), every term given to one cluster only, none of
    ``excluded`` (pairs that take half of a hyphenated word: they still tell the clusters apart)."""
    per_cluster: dict[int, Counter[str]] = {}
    members: Counter[int] = Counter(labels.tolist())
    for document, label in zip(documents, labels.tolist(), strict=True):
        per_cluster.setdefault(label, Counter()).update(document)
    total = Counter[str]()
    for counts in per_cluster.values():
        total.update(counts)
    average = sum(total.values()) / max(len(per_cluster), 1)
    recurring = 2 if papers >= 4 else 1
    in_papers: dict[int, Counter[str]] = {}
    for document, label in zip(documents, labels.tolist(), strict=True):
        in_papers.setdefault(label, Counter()).update(document.keys())
    scored: list[tuple[float, str, int]] = []
    for label, counts in per_cluster.items():
        size = sum(counts.values())
        for term, n in counts.items():
            common = papers >= 10 and df[term] > COMMON_SHARE * papers
            if common or term in excluded or in_papers[label][term] < min(recurring, members[label]):
                continue
            score = n / size * np.log(1 + average / total[term]) * (1.5 if " " in term else 1.0)
            scored.append((score, term, label))
    scored.sort(key=lambda item: (-round(item[0], 12), item[1], item[2]))
    best: dict[str, int] = {}
    for _, term, label in scored:
        best.setdefault(term, label)  # a term goes to the cluster it is most distinctive of
    chosen: dict[int, list[str]] = {label: [] for label in sorted(per_cluster)}
    for _, term, label in scored:
        if best[term] == label:
            chosen[label] = _add_term(chosen[label], term, limit)
    return chosen


def _add_term(kept: list[str], term: str, limit: int) -> list[str]:
    """Keep ``term`` unless a kept pair contains it; a pair replaces the single words it contains."""
    if len(kept) >= limit or any(term in other.split() for other in kept if " " in other):
        return kept
    if CJK_CHARACTER.match(term) and any(term in other or other in term for other in kept):
        return kept  # 说话人识别 says what 说话人识别下 says, and of more papers
    parts = term.split()
    if len(parts) > 1 and any(p in kept for p in parts):
        position = min(kept.index(p) for p in parts if p in kept)
        kept = [k for k in kept if k not in parts]
        kept.insert(min(position, len(kept)), term)
        return kept
    return [*kept, term]


def _shown(term: str, spellings: dict[str, str], forms: dict[str, str], joined: set[str]) -> str:
    """A term (of singular forms) as the papers write it: their usual form of each word, in the capitals they
    mostly write it in when it has capitals beyond the first letter (CMB, LLM, LoRA, where keywords were "cmb"),
    a hyphen where they mostly write one (a keyword matches either way)."""
    return ("-" if term in joined else " ").join(spellings.get(word, forms.get(word, word)) for word in term.split())


def _redundant(term: str, first: str) -> bool:
    """Whether ``term`` says again what the name's ``first`` term says: a word in common, a word that is
    another's start ("edit", "editing"; "reason", "reasoning") or the same long start ("generation",
    "generative"), or the initials of the other ("RL" for "reinforcement learning")."""
    words, others = term.split(), first.split()
    for word in words:
        for other in others:
            shorter, longer = sorted((word, other), key=len)
            common = next((i for i, (a, b) in enumerate(zip(shorter, longer, strict=False)) if a != b), len(shorter))
            if (common == len(shorter) and common >= 3) or common >= 6:
                return True
    initials = ("".join(w[0] for w in others), "".join(w[0] for w in words))
    return (len(words) == 1 and len(others) > 1 and _acronym_of(words[0], initials[0])) or (
        len(others) == 1 and len(words) > 1 and _acronym_of(others[0], initials[1]))


def _acronym_of(word: str, initials: str) -> bool:
    """"rl" of "reinforcement learning", and an acronym that adds a letter or two for a word the term leaves out:
    "rag" of "retrieval-augmented" (generation), "rlhf"; never a longer word that starts so ("memory", "me")."""
    return word.startswith(initials) and len(word) <= len(initials) + 2


def _title(term: str, spellings: dict[str, str], forms: dict[str, str], joined: set[str]) -> str:
    """A term (of singular forms) as a name: each word as the papers mostly write it, capitalised, or as they
    write it when that has capitals beyond the first letter (LLM, CoT, LoRA); hyphenated where they mostly
    hyphenate the pair (Multi-Agent)."""
    words = [spellings.get(word, forms.get(word, word).capitalize()) for word in term.split()]
    return ("-" if term in joined else " ").join(words)


def _categories(papers: Sequence[Paper]) -> list[str]:
    """The source categories (arXiv's primary ones) that at least CATEGORY_SHARE of a cluster's papers have:
    a topic that lists them takes them as strong evidence. None when the papers carry no categories."""
    primary = Counter(paper.categories[0] for paper in papers if paper.categories)
    ranked = sorted(primary.items(), key=lambda item: (-item[1], item[0]))
    found = [category for category, n in ranked if n >= CATEGORY_SHARE * len(papers)]
    return found[:MAX_CATEGORIES]


def _written(papers: Sequence[Paper]) -> tuple[dict[str, str], dict[str, str]]:
    """How the papers write their words, by casefolded singular form, in one pass over their text: the
    words they mostly write in capitals (acronyms: "LLMs" is the acronym "LLM"), and each word's most
    common casefolded form (terms are matched by singular, "approache" for "approaches", but shown as
    written)."""
    seen: dict[str, Counter[str]] = {}
    folded: dict[str, Counter[str]] = {}
    for paper in papers:
        for word in tokens(_plain(paper.title + " " + paper.abstract)):
            lower = word.casefold()
            stem = singular(lower)
            folded.setdefault(stem, Counter())[lower] += 1
            if len(word) > 1 and not word.isdigit():
                plural_acronym = word.endswith("s") and word[:-1].isupper()
                seen.setdefault(stem, Counter())[word[:-1] if plural_acronym else word] += 1
    spellings = {}
    for stem, counts in seen.items():
        spelling, _ = max(counts.items(), key=lambda item: (item[1], item[0]))
        if spelling.isupper() or any(c.isupper() for c in spelling[1:]):  # LLM; CoT, LoRA
            spellings[stem] = spelling
    forms = {stem: max(counts.items(), key=lambda item: (item[1], item[0]))[0] for stem, counts in folded.items()}
    return spellings, forms
