"""What ``digest topics ...`` prints: explain a paper, report on the archive, suggest a taxonomy, re-pin topics."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from itertools import combinations, pairwise
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

from generator.build import BuildOptions, BuildReport, Stopwatch, load_archive
from generator.config import Config
from generator.errors import DigestError
from generator.model import Paper
from generator.render import Archive
from generator.slugs import slugify
from generator.topics import OTHER_SLUG, assign_topics, load_taxonomy
from generator.topics.features import content_words
from generator.topics.learner import MIN_SCORE
from generator.topics.stability import assignments_path, pins_text

# A first topic scoring below this, or barely ahead of the second, is "low confidence" in the report.
LOW_SCORE = 4 * MIN_SCORE
CLOSE_SECOND = 0.9
# Two topics overlap heavily when this share of the smaller one's papers also have the other.
OVERLAP_SHARE = 0.5


def archive(config: Config, options: BuildOptions) -> tuple[Archive, BuildReport]:
    """The papers with their topics, as ``digest build`` gives them (no pages, no related papers)."""
    report = BuildReport()
    return load_archive(config, options, report, Stopwatch(report, lambda _: None), with_related=False), report


def explain(archive: Archive, paper_id: str) -> str:
    """Why a paper has its topics: score and evidence per topic, best first."""
    paper = archive.papers.get(paper_id)
    if paper is None:
        matches = [p for p in archive.papers.values() if paper_id in p.aliases]
        if not matches:
            hint = "ids are shown on paper pages and by 'digest topics report'"
            raise DigestError(f"no paper with id {paper_id!r} ({hint})")
        paper = matches[0]
    names = archive.topics_by_slug
    lines = [f"{paper.id}  {paper.title}", f"issue {paper.added.isoformat()}", ""]
    for rank, match in enumerate(paper.topics, start=1):
        label = "first topic" if rank == 1 else f"topic {rank}"
        lines.append(f"{label}: {names[match.slug].name} ({match.slug}), score {match.score:.3f}")
        lines.extend(f"  - {item}" for item in match.evidence)
    return "\n".join(lines) + "\n"


def report_json(papers: Sequence[Paper]) -> str:
    """One JSON array sorted by id: id, title and topics (first topic first) with score and evidence."""
    items = [
        {
            "id": paper.id,
            "title": paper.title,
            "topics": [{"slug": m.slug, "score": m.score, "evidence": list(m.evidence)} for m in paper.topics],
        }
        for paper in sorted(papers, key=lambda p: p.id)
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def report_text(archive: Archive) -> str:
    """Counts per topic (first and any), the "Other" papers, low-confidence papers and overlapping topics."""
    papers = sorted(archive.papers.values(), key=lambda p: p.id)
    topics = archive.topics_by_slug
    first = Counter(p.primary_topic for p in papers)
    anywhere = Counter(m.slug for p in papers for m in p.topics)
    total = max(len(papers), 1)
    width = max(len(t.name) for t in topics.values())
    lines = [f"{len(papers)} papers, {len(archive.topics)} topics", "", f"{'topic'.ljust(width)}  first   share    any"]
    for slug, topic in topics.items():
        lines.append(f"{topic.name.ljust(width)}  {first[slug]:5d}  {first[slug] / total:6.1%}  {anywhere[slug]:5d}")
    other = [p for p in papers if p.primary_topic == OTHER_SLUG]
    lines += ["", f"Other ({len(other)}):"] + [f"  {p.id}  {p.title}" for p in other]
    low = [p for p in papers if p.primary_topic != OTHER_SLUG and _low_confidence(p)]
    lines += ["", f"Low confidence ({len(low)}; first score < {LOW_SCORE:.2f} or second close behind):"]
    lines += [f"  {p.id}  {' > '.join(f'{m.slug} {m.score:.2f}' for m in p.topics)}  {p.title}" for p in low]
    overlaps = _overlaps(papers)
    lines += ["", f"Heavily overlapping topics ({len(overlaps)}; shared by ≥ {OVERLAP_SHARE:.0%} of the smaller):"]
    lines += [f"  {a} & {b}: {shared} shared papers" for a, b, shared in overlaps]
    return "\n".join(lines) + "\n"


def _low_confidence(paper: Paper) -> bool:
    best = paper.topics[0].score
    second = paper.topics[1].score if len(paper.topics) > 1 else 0.0
    return best < LOW_SCORE or second >= CLOSE_SECOND * best


def _overlaps(papers: Sequence[Paper]) -> list[tuple[str, str, int]]:
    members: dict[str, set[str]] = {}
    for paper in papers:
        for match in paper.topics:
            members.setdefault(match.slug, set()).add(paper.id)
    found = []
    for a, b in combinations(sorted(members), 2):
        shared = len(members[a] & members[b])
        if shared and shared >= OVERLAP_SHARE * min(len(members[a]), len(members[b])):
            found.append((a, b, shared))
    return found


def reassign(config: Config, options: BuildOptions) -> tuple[Path, Counter[str]]:
    """Re-score every paper with the whole archive and pin the result in ``assignments.yml`` (atomic write)."""
    taxonomy = options.topics or config.path(config.topics)
    target = assignments_path(taxonomy)
    current, _ = archive(config, options)
    topics, _ = load_taxonomy(taxonomy)
    papers = list(current.papers.values())
    assign_topics(papers, topics, config.max_topics, causal=False)  # without pins: old pins must not win
    _write_atomic(target, pins_text(papers, topics))
    return target, Counter(p.primary_topic for p in papers)


def _write_atomic(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".assignments-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def suggest(papers: Sequence[Paper], count: int | None = None, keywords: int = 8) -> str:
    """A taxonomy YAML proposed from the papers: k-means clusters of TF-IDF vectors, named by distinctive terms.

    Deterministic: papers are taken in id order and the first centres are chosen by a fixed rule
    (the most central paper, then each time the paper least similar to the chosen ones).
    """
    order = sorted(papers, key=lambda p: p.id)
    if len(order) < 2:
        raise DigestError("need at least 2 papers to suggest topics")
    vectors, vocabulary = _term_vectors(order)
    clusters = count or int(np.clip(round(np.sqrt(len(order) / 2)), 2, 20))
    labels = _kmeans(vectors, min(clusters, len(order)))
    mean = np.asarray(vectors.mean(axis=0)).ravel()
    proposed = []
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        centre = np.asarray(vectors[members].mean(axis=0)).ravel()
        distinct = centre - mean
        ranked = sorted(np.flatnonzero(distinct > 0), key=lambda i: (-round(float(distinct[i]), 12), vocabulary[i]))
        terms = _without_repeats([vocabulary[i] for i in ranked])[:keywords]
        name = " / ".join(term.capitalize() for term in terms[:2]) or f"Cluster {label + 1}"
        example = order[members[int(np.argmax(np.asarray(vectors[members] @ centre).ravel()))]].title
        proposed.append((len(members), name, terms, example))
    proposed.sort(key=lambda item: (-item[0], item[1]))
    topics, used = [], set()
    for size, name, terms, example in proposed:
        slug = slugify(name) or "topic"
        while slug in used or slug == OTHER_SLUG:
            slug += "-2"
        used.add(slug)
        description = f"Papers about {', '.join(terms[:4])} ({size} papers; e.g. {example!r})."
        topics.append({"name": name, "slug": slug, "description": description, "keywords": terms})
    header = (
        "# Topics suggested by `digest topics suggest` from the papers' words: rename them, merge or split\n"
        "# them, prune the keywords, then save as data/topics.yml (keep each slug once published).\n"
    )
    return header + yaml.safe_dump({"topics": topics}, sort_keys=False, allow_unicode=True, width=100)


def _term_vectors(papers: Sequence[Paper]) -> tuple[sp.csr_matrix, list[str]]:
    """TF-IDF rows over a real vocabulary (words and word pairs in at least 2 papers), to name clusters by."""
    documents = []
    for paper in papers:
        words = content_words(paper.title) * 2 + content_words(paper.abstract)
        documents.append(Counter(words + [f"{a} {b}" for a, b in pairwise(words)]))
    df = Counter(term for document in documents for term in document)
    vocabulary = sorted(term for term, n in df.items() if 2 <= n <= 0.5 * len(papers) or (n >= 2 and len(papers) < 4))
    index = {term: i for i, term in enumerate(vocabulary)}
    rows, cols, data = [], [], []
    for row, document in enumerate(documents):
        for term, n in document.items():
            if term in index:
                rows.append(row)
                cols.append(index[term])
                data.append((1 + np.log(n)) * np.log(len(papers) / df[term]) + 1e-9)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(len(papers), len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags(1 / norms) @ matrix), vocabulary


def _kmeans(vectors: sp.csr_matrix, clusters: int, rounds: int = 30) -> np.ndarray:
    """Spherical k-means from farthest-first centres: no randomness, so the same papers give the same clusters."""
    similarity_to_all = np.asarray(vectors @ np.asarray(vectors.sum(axis=0)).ravel()).ravel()
    chosen = [int(np.argmax(similarity_to_all))]
    closest = np.asarray(vectors @ vectors[chosen[0]].T.toarray()).ravel()
    while len(chosen) < clusters:
        candidate = int(np.argmin(np.where(np.isin(np.arange(len(closest)), chosen), np.inf, closest)))
        chosen.append(candidate)
        closest = np.maximum(closest, np.asarray(vectors @ vectors[candidate].T.toarray()).ravel())
    centres = vectors[chosen].toarray()
    labels = np.full(vectors.shape[0], -1)
    for _ in range(rounds):
        new = np.argmax(np.asarray(vectors @ centres.T), axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for k in range(len(centres)):
            members = np.flatnonzero(labels == k)
            if len(members):
                centre = np.asarray(vectors[members].sum(axis=0)).ravel()
                centres[k] = centre / (np.linalg.norm(centre) or 1.0)
    return labels


def _without_repeats(terms: list[str]) -> list[str]:
    """A pair replaces its words ("moduli", "space" → "moduli space"); a word inside a kept pair is dropped."""
    kept: list[str] = []
    for term in terms:
        parts = term.split()
        if any(term in other.split() for other in kept):
            continue
        if len(parts) > 1 and any(p in kept for p in parts):
            position = min(kept.index(p) for p in parts if p in kept)
            kept = [k for k in kept if k not in parts]
            kept.insert(min(position, len(kept)), term)
            continue
        kept.append(term)
    return kept
