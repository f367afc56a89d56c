"""The sharded full-text index: every paper is found by its title, keywords, authors, topics and abstract.

``ranked`` below does what the search worker does (templates/overrides/assets/digest/search-worker.js);
``test_the_worker_answers_as_the_reference_does`` runs the worker itself in Node against the same
index, so the two are checked against each other (and the browser tests check the worker in Chromium).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import search
from generator.model import Paper, TopicMatch
from generator.search import (
    DOCS_DIR,
    DOCS_PER_SHARD,
    FREQUENT_MIN,
    INDEX_DIR,
    STOP_WORDS,
    build_index,
    decode,
    shard_key,
    shard_of,
    stem,
    terms,
    words,
)
from generator.topics import Topic
from tests.conftest import make_project, run_digest

TOPICS = [Topic(slug="rl", name="Reinforcement Learning"), Topic(slug="vision", name="Vision & Multimodal")]
WORKER = Path(__file__).resolve().parent.parent / "templates" / "overrides" / "assets" / "digest" / "search-worker.js"
HARNESS = Path(__file__).resolve().parent / "search_worker_node.js"


def paper(
    number: int,
    title: str,
    authors: tuple[str, ...] = ("Ada Lovelace",),
    slug: str = "rl",
    abstract: str = "A short abstract.",
    keywords: tuple[str, ...] = (),
) -> Paper:
    return Paper(
        id=f"2611.{number:05d}", title=title, abstract=abstract,
        added=dt.date(2026, 11, 28), source="test", authors=authors, arxiv_id=f"2611.{number:05d}",
        topics=(TopicMatch(slug, 3.0),), keywords=keywords,
    )


def query_words(query: str) -> list[str]:
    """The worker's words of a query: stop words dropped but for the last word."""
    found = words(query)
    return [word for i, word in enumerate(found) if i == len(found) - 1 or word not in STOP_WORDS]


def query_terms(query: str) -> list[str]:
    """The worker's analysis of a query: stop words dropped but for the last word, stemmed, no repeats."""
    return list(dict.fromkeys(stem(word) for word in query_words(query)))


def singulars(query: str) -> dict[str, str]:
    """{term: singular}: the worker also finds "approach" (exactly) for "approaches", stemmed "approache"."""
    plurals = [word for word in query_words(query) if re.fullmatch(r"[a-z]{2,}(?:ch|sh|s|x)es", word)]
    return {stem(word): word[:-2] for word in plurals if stem(word) != word}


def trailing_stop(query: str) -> str | None:
    """The worker's optional last word: a stop word ending a query of several words, stemmed."""
    found = words(query)
    return stem(found[-1]) if len(found) > 1 and found[-1] in STOP_WORDS else None


def ranked(files: dict[str, bytes], query: str) -> list[tuple[str, float]]:
    """(location, score) of every result, best first: the worker's ranking, written again in Python."""
    manifest = json.loads(files[f"{INDEX_DIR}/manifest.json"])
    count, weights, prefix_weight = manifest["count"], manifest["weights"], manifest["prefix_weight"]
    optional, singular = trailing_stop(query), singulars(query)
    matches = []
    for word in query_terms(query):
        scores: dict[int, float] = {}
        frequent = 0
        for prefix, exact in [(word, False), *([(singular[word], True)] if word in singular else [])]:
            key = shard_key(shard_of(prefix, manifest["split"]))
            if key not in manifest["shards"]:
                continue
            shard = json.loads(files[f"{INDEX_DIR}/t/{key}.json"])
            for term, postings in shard["t"].items():
                if term == prefix or (not exact and term.startswith(prefix)):
                    factor = 1 if term == prefix else prefix_weight
                    frequent = max(frequent, shard.get("f", {}).get(term, 0))
                    for number, field in decode(postings):
                        scores[number] = max(scores.get(number, 0), weights[field] * factor)
        df = max(len(scores), frequent)
        idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
        title_only = bool(search.DIGITS.fullmatch(word)) or len(word) > search.MAX_WORD  # never from an abstract
        matches.append((scores, idf, word == optional or frequent > 0 or title_only))
    if not matches:
        return []
    required = [m for m in matches if not m[2]] or matches
    total: dict[int, float] | None = None
    for scores, idf, _ in required:
        if total is None:
            total = {number: weight * idf for number, weight in scores.items()}
        else:
            total = {number: value + scores[number] * idf for number, value in total.items() if number in scores}
    assert total is not None
    for scores, idf, loose in matches:
        if loose and len(required) < len(matches):
            total = {number: value + scores.get(number, 0) * idf for number, value in total.items()}
    order = sorted(total.items(), key=lambda item: (-item[1], -item[0]))
    phrase = [term for term in query_terms(query) if term != optional]
    result = []
    for index, (number, score) in enumerate(order):
        shard = json.loads(files[f"{INDEX_DIR}/{DOCS_DIR}/{number // DOCS_PER_SHARD}.json"])
        location, title, _ = shard[number % DOCS_PER_SHARD]
        # Of the 30 shown, equal scores list first a title with the query's words together and in order: where they
        # start earliest, then the title of fewest words; the rest (and equal places) as ranked, the newer first.
        at, size = place_in_title(title, phrase) if index < 30 else (None, 0)
        result.append((location, score, (0, at, size) if at is not None else (1, 0, 0)))
    result[:30] = sorted(result[:30], key=lambda item: (-item[1], item[2]))
    return [(location, score) for location, score, _ in result]


def place_in_title(title_html: str, phrase: list[str]) -> tuple[int | None, int]:
    """The worker's place of ``phrase`` in the title's terms (entities as spaces), in a row, the last perhaps begun:
    the index of its first term (None if nowhere), and how many terms the title has."""
    found = [stem(word) for word in words(re.sub(r"&(?:[a-z]+|#x?[0-9a-f]+);", " ", title_html, flags=re.IGNORECASE))
             if word not in STOP_WORDS]
    last = len(phrase) - 1
    at = next((i for i in range(len(found) - last) if all(
        found[i + j] == term or (j == last and found[i + j].startswith(term)) for j, term in enumerate(phrase))), None)
    return at, len(found)


def lookup(files: dict[str, bytes], query: str) -> list[str]:
    return [location for location, _ in ranked(files, query)]


PAPERS = [
    paper(i, f"Paper number {i} about {'bandits' if i % 2 else 'segmentation'}", (f"Author{i} Smith", "Jörg Schölkopf"))
    for i in range(150)
]
PAPERS.append(paper(150, "Sharper Bounds for k-NN Regression", ("Ivo Petrov", "Jun Park"), "vision"))


def test_every_paper_is_found_by_each_title_word_and_author_name() -> None:
    files = build_index(PAPERS, TOPICS)
    for item in PAPERS[::17] + PAPERS[-1:]:
        location = f"papers/{item.id}/"
        for word in terms(item.title) + terms(" ".join(item.authors)):
            assert location in lookup(files, word), (item.title, word)


def test_a_collaborations_paper_is_found_by_its_first_ten_authors() -> None:
    """3,000 names a paper made one author shard 101 MB: a paper of more than 1,000 authors is found by its first ten,
    as it is cited (one of 1,000 by all of them)."""
    names = tuple(f"Member Zq{chr(97 + n // 676)}{chr(97 + n // 26 % 26)}{chr(97 + n % 26)}" for n in range(1001))
    files = build_index([paper(1, "Collaboration", names), paper(2, "Small", names[:1000])], TOPICS)
    assert sorted(lookup(files, "zqaaj")) == ["papers/2611.00001/", "papers/2611.00002/"]  # the tenth name
    assert lookup(files, "zqaak") == ["papers/2611.00002/"]  # the eleventh
    assert lookup(files, names[1000].split()[1].lower()) == []  # the 1,001st, on the collaboration's paper alone


def test_prefixes_several_words_accents_and_topics() -> None:
    files = build_index(PAPERS, TOPICS)
    assert lookup(files, "sharp") == ["papers/2611.00150/"]
    assert lookup(files, "petrov park") == ["papers/2611.00150/"]
    assert lookup(files, "Scholkopf number 17")[0] == "papers/2611.00017/"  # accents do not matter
    assert len(lookup(files, "Scholkopf number 17")) == 150  # a number is optional: titles without it follow
    assert lookup(files, "vision") == ["papers/2611.00150/"]
    assert len(lookup(files, "reinforcement")) == 150


ABSTRACTS = [
    paper(0, "Quokka Networks for Vision", abstract="We train quokka networks on images."),
    paper(1, "Wombat Planning", abstract="Planning with a narwhal heuristic that beats quokka networks."),
    paper(2, "Platypus Agents", abstract="Agents. The word narwhal again: narwhal.", keywords=("marsupial search",)),
    paper(3, "Narwhal Transformers", abstract="Transformers for sea creatures."),
    paper(4, "Bilby Models", abstract="Nothing about the others.", keywords=("narwhal",)),
]


def test_a_word_only_in_an_abstract_or_the_keywords_finds_the_paper() -> None:
    files = build_index(ABSTRACTS, TOPICS)
    assert lookup(files, "heuristic") == ["papers/2611.00001/"]  # in one abstract only
    assert lookup(files, "marsupial") == ["papers/2611.00002/"]  # in one paper's AI keywords only
    assert lookup(files, "sea creatures") == ["papers/2611.00003/"]


def test_a_title_match_ranks_before_keywords_before_an_abstract_match() -> None:
    files = build_index(ABSTRACTS, TOPICS)
    # narwhal: title of 3, keyword of 4, twice in the abstract of 2, once in the abstract of 1.
    assert lookup(files, "narwhal") == [f"papers/2611.0000{n}/" for n in (3, 4, 2, 1)]
    # quokka: title of 0 (the older paper), abstract of 1 (newer): the title match still comes first.
    assert lookup(files, "quokka") == ["papers/2611.00000/", "papers/2611.00001/"]
    # A rarer word weighs more: "wombat narwhal" finds the one paper with both.
    assert lookup(files, "wombat narwhal") == ["papers/2611.00001/"]


def test_a_surname_typed_whole_ranks_its_authors_papers_before_titles_with_a_longer_word_it_begins() -> None:
    """A surname alone ("Lin", "Choi") listed the titles with "Linear" or "Choice" first: a prefix in a title outweighed
    the whole word in an author's name."""
    papers = [paper(1, "Linear Probes of Choice Models"), paper(2, "Linearity Everywhere"),
              paper(3, "Bandits at Dawn", ("Wei Lin", "Yejin Choi")), paper(4, "Choice Architecture for Agents")]
    files = build_index(papers, TOPICS)
    assert search.PREFIX_WEIGHT * search.WEIGHTS[search.TITLE] < search.WEIGHTS[search.NAMED]
    assert lookup(files, "lin")[0] == lookup(files, "choi")[0] == "papers/2611.00003/"
    assert lookup(files, "linea") == ["papers/2611.00002/", "papers/2611.00001/"]  # typing: every such title still


def test_plurals_and_stop_words() -> None:
    assert [stem(w) for w in ("models", "studies", "images", "class", "corpus", "analysis", "gas")] == [
        "model", "study", "image", "class", "corpus", "analysis", "gas",
    ]
    files = build_index(ABSTRACTS, TOPICS)
    assert lookup(files, "transformer") == ["papers/2611.00003/"]  # title says "Transformers"
    assert lookup(files, "the narwhal") == lookup(files, "narwhal")  # "the" is a stop word
    index = json.loads(files[f"{INDEX_DIR}/t/th.json"]) if f"{INDEX_DIR}/t/th.json" in files else {"t": {}}
    assert "the" not in index["t"]
    assert "the" in json.loads(files[f"{INDEX_DIR}/manifest.json"])["stop"]  # the worker drops the same words


def test_a_word_in_most_abstracts_keeps_only_its_title_postings_and_is_optional() -> None:
    """Frequent abstract words carry no ranking value and the largest posting lists: only stronger fields stay."""
    many = [
        paper(i, f"Gecko {i}" + (" Framework" if i % 10 == 0 else ""), abstract=f"A framework with idea{i} inside.")
        for i in range(FREQUENT_MIN * 3)
    ]
    files = build_index(many, TOPICS)
    shard = json.loads(files[f"{INDEX_DIR}/t/fr.json"])
    assert shard["f"] == {"framework": len(many)}  # its true document frequency
    assert {number for number, _ in decode(shard["t"]["framework"])} == set(range(0, len(many), 10))
    assert len(lookup(files, "framework")) == len(many) // 10  # title matches only
    assert lookup(files, "framework idea77") == ["papers/2611.00077/"]  # optional: idea77 alone decides
    found = lookup(files, "framework idea7")  # idea7, idea70 ... idea79 (the last word may go on)
    # The exact word first, then the one with "framework" in its title (which adds a little: it is frequent).
    assert found[:2] == ["papers/2611.00007/", "papers/2611.00070/"]
    assert sorted(found) == sorted(f"papers/2611.{n:05d}/" for n in [7, *range(70, 80)])
    rare = [paper(i, f"Gecko {i}", abstract="A framework.") for i in range(FREQUENT_MIN - 1)]
    assert "f" not in json.loads(build_index(rare, TOPICS)[f"{INDEX_DIR}/t/fr.json"])  # a small archive keeps all


def test_documents_are_escaped_html_and_abstracts_and_keywords_are_never_shown() -> None:
    hostile = paper(
        1, "<script>alert(1)</script> & co", ("<b>Mallory</b>",),
        abstract="<img src=x onerror=alert(2)> zebrafish", keywords=("<i>kw</i>",),
    )
    files = build_index([hostile], TOPICS)
    location, title, details = json.loads(files[f"{INDEX_DIR}/{DOCS_DIR}/0.json"])[0]
    assert title == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in details and "<" not in details
    assert "zebrafish" not in details and "onerror" not in details and "kw" not in details
    assert location == "papers/2611.00001/"
    assert lookup(files, "zebrafish") == [location]


def test_a_result_names_six_authors_then_et_al() -> None:
    names = tuple(f"Author{number} Smith" for number in range(8))
    files = build_index([paper(1, "Six", names[:6]), paper(2, "Seven", names[:7])], TOPICS)
    documents = json.loads(files[f"{INDEX_DIR}/{DOCS_DIR}/0.json"])
    six, seven = (details for _, _, details in documents)
    assert "et al." not in six and "Author5 Smith" in six
    assert "Author5 Smith, et al." in seven and "Author6" not in seven


def test_a_result_shows_the_upvotes_as_the_cards_do_and_none_without_votes() -> None:
    voted, quiet = paper(1, "Voted Widgets", ("Ann Example",)), paper(2, "Quiet Widgets", ("Bo Example",))
    voted = dataclasses.replace(voted, upvotes=1163)
    one = dataclasses.replace(paper(3, "Single Widget", ("Cy Example",)), upvotes=1)
    zero = dataclasses.replace(paper(4, "Zero Widget", ("Di Example",)), upvotes=0)
    documents = json.loads(build_index([voted, quiet, one, zero], TOPICS)[f"{INDEX_DIR}/{DOCS_DIR}/0.json"])
    details = [text for _, _, text in documents]
    assert details[0].startswith("Ann Example · 2026-11-") and " · 1,163 upvotes · " in details[0]
    assert "upvote" not in details[1] and "upvote" not in details[3]  # no votes given, or 0: nothing, never "0 upvotes"
    assert " · 1 upvote · " in details[2]


def test_the_index_is_deterministic_and_sharded_by_prefix() -> None:
    one = build_index(PAPERS, TOPICS)
    two = build_index(list(PAPERS), list(reversed(TOPICS)))
    assert one == two
    assert f"{INDEX_DIR}/t/sh.json" in one and f"{INDEX_DIR}/{DOCS_DIR}/2.json" in one
    assert shard_key("ün") == "_fcn"
    largest = max(len(data) for path, data in one.items() if "/t/" in path)
    assert largest < sum(len(data) for path, data in one.items() if "/t/" in path) / 3


def test_a_large_shard_is_split_by_the_next_character_and_every_word_is_still_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 300)
    rng = random.Random(3)
    vocabulary = ["co", "con", "cons", "constant", "context", "cobra", "coral", "cod", "ünicode", "ümlaut", "üx"]
    papers = [
        paper(i, f"Title {i}", abstract=" ".join(rng.sample(vocabulary, 4)) + f" copy{i}") for i in range(60)
    ]
    files = build_index(papers, TOPICS)
    manifest = json.loads(files[f"{INDEX_DIR}/manifest.json"])
    assert "co" in manifest["split"] and "co" in manifest["shards"]  # "co" itself has a shard of its own
    for item in papers:
        for word in set(terms(item.abstract)):
            assert f"papers/{item.id}/" in lookup(files, word), word
    assert lookup(files, "copy17") == ["papers/2611.00017/"]
    sizes = [len(data) for path, data in files.items() if "/t/" in path]
    assert len(sizes) > 5


def test_postings_round_trip() -> None:
    rng = random.Random(5)
    numbers = sorted(rng.sample(range(200_000), 500))
    values = [number << 2 | rng.randrange(4) for number in numbers]
    text = search._encode(values)
    assert set(text) <= set(search._DIGITS64)
    assert decode(text) == [(value >> 2, value & 3) for value in values]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.text(alphabet="ab_1 -.\t\x1cé", max_size=30))
def test_the_fast_split_finds_the_words_the_expression_does(text: str) -> None:
    assert search._split(text) == search.WORD.findall(text)


def test_postings_encoded_block_by_block_give_the_same_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """build_index encodes a block of terms at a time (bounded memory): any block size, the same files."""
    papers = [*ABSTRACTS, *PAPERS]
    whole = build_index(papers, TOPICS)
    for chunk in (1, 7, 100):
        monkeypatch.setattr(search, "CHUNK", chunk)
        assert build_index(papers, TOPICS) == whole


def test_all_terms_encoded_at_once_as_one_by_one() -> None:
    """build_index encodes every term's postings in one numpy pass: the same strings as _encode term by term."""
    import numpy as np

    rng = random.Random(11)
    groups: list[list[int]] = []
    for size in [0, 1, 3, 0, 200, 1, 50]:  # empty terms (all postings dropped) too
        numbers = sorted(rng.sample(range(3_000_000), size))  # gaps of one to five digits
        groups.append([number << 2 | rng.randrange(4) for number in numbers])
    term = np.array([n for n, group in enumerate(groups) for _ in group], dtype=np.int32)
    doc = np.array([value >> 2 for group in groups for value in group], dtype=np.int32)
    field = np.array([value & 3 for group in groups for value in group], dtype=np.int8)
    encoded = search._encode_groups(term, doc, field, len(groups) + 1)
    assert encoded == [search._encode(group) for group in groups] + [""]
    assert search._encode_groups(term[:0], doc[:0], field[:0], 2) == ["", ""]


PLURALS = [
    paper(210, "A Gaussian Process Approach to Bounding Box Regression", abstract="One patch at a time."),
    paper(211, "Three Approaches to Image Patches", abstract="Boxes and processes."),
]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_plural_in_es_finds_its_singular(tmp_path: Path) -> None:
    """"approaches" is stemmed "approache" (as "images" is "image"), so it missed "approach": now it finds both."""
    files = build_index([*ABSTRACTS, *PLURALS], TOPICS)
    queries = ["approaches", "gaussian processes", "bounding boxes", "patches", "approach", "images"]
    answers = worker_answers(tmp_path, files, queries)
    found = {query: sorted(item["location"] for item in items) for query, items in zip(queries, answers, strict=True)}
    both = ["papers/2611.00210/", "papers/2611.00211/"]
    assert found["approaches"] == both
    assert found["gaussian processes"] == ["papers/2611.00210/"]
    assert found["bounding boxes"] == ["papers/2611.00210/"]
    assert found["patches"] == both
    assert found["approach"] == both  # a singular found its plural already (as the start of "approache")
    assert found["images"] == ["papers/2611.00000/", "papers/2611.00211/"]  # "imag" is no word: nothing more
    assert "<mark>Approach</mark>" in answers[0][0]["title"] + answers[0][1]["title"]
    for query, items in zip(queries, answers, strict=True):
        assert [item["location"] for item in items] == lookup(files, query), query


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_worker_answers_as_the_reference_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real search-worker.js in Node, served the index from files: same results in the same order."""
    monkeypatch.setattr(search, "SHARD_BYTES", 400)  # split shards too
    papers = [*ABSTRACTS, *PAPERS[:40], paper(200, "Études Über Café", ("Zoë Ångström",), abstract="Naïve crème."),
              *PLURALS]
    papers = [dataclasses.replace(item, id=f"x{n}", arxiv_id=None) for n, item in enumerate(papers)]
    files = build_index(papers, TOPICS)
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    queries = ["narwhal", "quokka", "wombat narwhal", "the narwhal", "narwhal the", "transformers",
               "studies of bandits", "approaches", "processes", "box", "boxes", "patches",
               "cafe", "etudes uber", "angstrom", "creme", "paper numb", "segmentation 1", "nothingmatches", "th"]
    completed = subprocess.run(
        ["node", str(HARNESS), str(WORKER), str(tmp_path / INDEX_DIR), *queries],
        capture_output=True, text=True, timeout=60, check=True,
    )
    answers = json.loads(completed.stdout)
    for query, items in zip(queries, answers, strict=True):
        expected = ranked(files, query)
        assert [item["location"] for item in items] == [location for location, _ in expected][:30], query
        assert [round(item["score"], 9) for item in items] == [round(s, 9) for _, s in expected][:30], query
    assert all(answers[n] for n in (0, 7, 8, 9, 10, 11, 12, 13, 14, 15))
    assert answers[18] == []


def worker_answers(
    folder: Path, files: dict[str, bytes], queries: list[str], fail_once: str = "",
) -> list[list[dict[str, object]]]:
    """The real search-worker.js in Node, served ``files`` from ``folder``: the paper results of each query.

    ``fail_once`` names an index file (``t/na.json``) whose first download fails.
    """
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    completed = subprocess.run(
        ["node", str(HARNESS), str(WORKER), str(folder / INDEX_DIR), *queries],
        capture_output=True, text=True, timeout=60, check=True, env={**os.environ, "FAIL_ONCE": fail_once},
    )
    answers: list[list[dict[str, object]]] = json.loads(completed.stdout)
    return answers


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_shard_that_failed_to_download_is_downloaded_again_by_the_next_query(tmp_path: Path) -> None:
    """A shard whose download failed once (the network dropped a moment) stayed failed: every later query of a
    word in it found nothing until the page was reloaded."""
    files = build_index(ABSTRACTS, TOPICS)
    shard = f"t/{search.shard_key(search.shard_of('narwhal', []))}.json"
    assert f"{INDEX_DIR}/{shard}" in files
    answers = worker_answers(tmp_path, files, ["narwhal", "narwhal"], fail_once=shard)
    assert answers[0] == []
    assert [item["location"] for item in answers[1]] == lookup(files, "narwhal") != []


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_misspelt_word_that_finds_nothing_is_answered_for_the_closest_indexed_word(tmp_path: Path) -> None:
    """A misspelt word ("difusion") found nothing at all; the worker now answers for the closest word of the term shard
    the query already downloaded, at one edit (two from eight letters)."""
    files = build_index(ABSTRACTS, TOPICS)
    queries = ["narwhl", "narwahl", "platypsu agnets", "narwhal", "nrawhal", "naxxxxal", "qqqqzz"]
    answers = worker_answers(tmp_path, files, queries)
    narwhal = lookup(files, "narwhal")
    assert [item["location"] for item in answers[0]] == narwhal != []  # a letter left out
    assert [item["location"] for item in answers[1]] == narwhal  # two letters swapped
    assert "<mark>Narwhal</mark>" in str(answers[0])  # marked as the word it was corrected to
    assert [item["location"] for item in answers[2]] == lookup(files, "platypus agents") != []  # each word corrected
    assert [item["location"] for item in answers[3]] == narwhal  # a word spelt right: as before
    assert answers[4] == answers[5] == answers[6] == []  # its first two letters name the shard; too far; no shard


CORRECTIONS = [
    paper(300, "Numbat Census"),
    *(paper(number, f"Numbay {word}") for number, word in ((301, "Tides"), (302, "Harbour"), (303, "Lights"))),
    paper(310, "Pangolin Scales"),
    *(paper(number, f"Pangelat {word}") for number, word in ((311, "Dialects"), (312, "Songs"), (313, "Maps"))),
    paper(320, "Kookaburra Calls"),
    paper(330, "Gnu Migration"),
]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_misspelt_word_is_corrected_to_the_nearest_then_most_found_word_and_said_only_when_that_finds_papers(
    tmp_path: Path,
) -> None:
    """The rules of the correction, each against a near miss: the fewest edits first, then the word the most papers
    have (not the first in alphabetical order); two edits from eight letters on; no word under four letters (an
    acronym, a short name) corrected; and no correction said when the corrected query finds nothing either."""
    files = build_index(CORRECTIONS, TOPICS)
    queries = ["numbax", "pangolit", "kokabura", "gnx", "numbax zzzzqq"]
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    completed = subprocess.run(
        ["node", str(HARNESS), str(WORKER), str(tmp_path / INDEX_DIR), *queries],
        capture_output=True, text=True, timeout=60, check=True, env={**os.environ, "WITH_CORRECTED": "1"},
    )
    answers = {query: (sorted(item["location"] for item in answer["items"]), answer["corrected"])
               for query, answer in zip(queries, json.loads(completed.stdout), strict=True)}
    # numbat (one paper) and numbay (three) are both one edit away: numbay, though numbat comes first alphabetically.
    assert answers["numbax"] == (sorted(lookup(files, "numbay")), "numbay") and len(answers["numbax"][0]) == 3
    # pangolin is one edit away, pangelat two (with more papers): the nearer word.
    assert answers["pangolit"] == (lookup(files, "pangolin"), "pangolin")
    assert answers["kokabura"] == (lookup(files, "kookaburra"), "kookaburra")  # two edits: eight letters or more
    assert answers["gnx"] == ([], None)  # "gnu" is one edit away, but three letters are never corrected
    assert answers["numbax zzzzqq"] == ([], None)  # numbay zzzzqq finds nothing: no "showing numbay zzzzqq"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_model_name_with_its_version_ranks_the_papers_that_name_it_first(tmp_path: Path) -> None:
    """"GPT-5" was the word "gpt" (a digit alone is no word): GPT-4 papers, newer, came first with the same score;
    "Q-learning" was "learning", and "gpt5" written as one word found no "GPT-5" paper."""
    papers = [paper(1, "Scaling Laws for GPT-5 Agents"), paper(2, "Deep Q-Learning for Robots"),
              paper(3, "Qwen2.5-VL Technical Report"), paper(4, "Evaluating GPT-4 and GPT-4o on Exams"),
              paper(5, "Learning to Rank with Transformers"), paper(6, "Qwen Models for Chat")]
    files = build_index(papers, TOPICS)
    answers = worker_answers(tmp_path, files, ["GPT-5", "gpt5", "Q-learning", "Qwen2.5", "GPT-4o", "gpt"])
    first = [items[0]["location"] if items else None for items in answers]
    assert first == ["papers/2611.00001/", "papers/2611.00001/", "papers/2611.00002/", "papers/2611.00003/",
                     "papers/2611.00004/", "papers/2611.00004/"]
    assert len(answers[0]) == 2 and len(answers[2]) == 6  # the other papers of their words are still found
    assert search.joined("self-supervised, e.g. 2.5 points") == []  # no digit or single letter: its words suffice


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_model_name_with_its_version_apart_finds_every_spelling_of_it(tmp_path: Path) -> None:
    """"Llama 3.1" was "llama" and a number (which abstracts do not index): Llama 2 and Llama 3 papers ranked alike, and
    "Llama-3.1" or "llama3.1" did not find "Llama 3.1" first. Each spelling now finds the others."""
    papers = [paper(1, "The Llama 3.1 Herd of Models"), paper(2, "Llama 2: Open Foundation and Chat Models"),
              paper(3, "Fine-Tuning Llama-3.1-8B for Law"), paper(4, "Phi 3 Technical Report"),
              paper(5, "Training in 2 Stages with Llama")]
    files = build_index(papers, TOPICS)
    queries = ["llama 3.1", "Llama-3.1", "llama3.1", "phi-3", "llama 2"]
    answers = worker_answers(tmp_path, files, queries)
    found = [{item["location"] for item in items[:2]} for items in answers]
    assert found[:3] == [{"papers/2611.00001/", "papers/2611.00003/"}] * 3  # the two Llama 3.1 papers first
    assert answers[3][0]["location"] == "papers/2611.00004/"
    assert answers[4][0]["location"] == "papers/2611.00002/"
    assert search.joined("llama 3.1 in 2 stages, top 1000") == ["llama31"]  # no stop word, no long number


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_pasted_title_that_ends_with_a_stop_word_finds_its_paper(tmp_path: Path) -> None:
    """The last word may begin a longer word, so it is looked up even when it is a stop word, but it is optional:
    the index holds no stop word, and "... but can correct them" found nothing."""
    papers = [*ABSTRACTS, paper(9, "LLMs cannot find reasoning errors, but can correct them!"),
              paper(10, "Less is More")]
    files = build_index(papers, TOPICS)
    queries = [papers[5].title, "less is more", "narwhal the"]
    answers = worker_answers(tmp_path, files, queries)
    assert [item["location"] for item in answers[0]] == ["papers/2611.00009/"]
    assert [item["location"] for item in answers[1]] == ["papers/2611.00010/"]
    assert [item["location"] for item in answers[2]] == lookup(files, "narwhal")
    for query, items in zip(queries, answers, strict=True):
        assert [item["location"] for item in items] == lookup(files, query), query


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_an_arxiv_id_is_found_as_readers_copy_it(tmp_path: Path) -> None:
    """With a version, after "arXiv:", or as its link, an id found nothing: "v2", "arxiv", "abs" are in no paper."""
    old_style = dataclasses.replace(paper(7, "Old Strings"), id="hep-th-9711200", arxiv_id="hep-th/9711200")
    files = build_index([*PAPERS[:40], old_style], TOPICS)
    forms = {
        "papers/2611.00017/": ["2611.00017v2", "arXiv:2611.00017", "arxiv 2611.00017v3", "ARXIV:2611.00017v1",
                               "https://arxiv.org/abs/2611.00017v2", "arxiv.org/pdf/2611.00017v2.pdf",
                               "https://huggingface.co/papers/2611.00017"],
        "papers/hep-th-9711200/": ["hep-th/9711200v1", "arXiv:hep-th/9711200", "https://arxiv.org/abs/hep-th/9711200v2"],
    }
    queries = [query for written in forms.values() for query in written]
    answers = iter(worker_answers(tmp_path, files, queries))
    for location, written in forms.items():
        for query in written:
            assert [item["location"] for item in next(answers)] == [location], query


def test_a_newer_issue_leaves_the_older_papers_document_shards_as_they_were(tmp_path: Path) -> None:
    """Papers are numbered oldest first, so a daily issue only appends: browsers keep their cached shards."""
    project = make_project(tmp_path / "p")  # the seed: 119 papers, the document shards before the last one full
    run_digest("build", "--quiet", cwd=project)
    shards = project / "content" / INDEX_DIR / DOCS_DIR
    before = {path.name: path.read_bytes() for path in shards.glob("*.json")}
    full = 119 // DOCS_PER_SHARD
    assert len(before) == full + 1
    newer = [{"title": f"A Newer Paper on Topic {n}", "abstract": "Quetzalcoatlus.", "arxiv": f"2611.9{n:04d}"}
             for n in range(5)]
    (project / "data" / "issues" / "2026-11-28.json").write_text(
        json.dumps({"date": "2026-11-28", "papers": newer}), encoding="utf-8"
    )
    run_digest("build", "--quiet", cwd=project)
    after = {path.name: path.read_bytes() for path in shards.glob("*.json")}
    older = [f"{number}.json" for number in range(full)]  # the oldest papers' shards: not one byte changed
    assert [after[name] for name in older] == [before[name] for name in older]
    assert after[f"{full}.json"] != before[f"{full}.json"]  # the newer papers were appended to the last shard
    content = project / "content"
    files = {str(path.relative_to(content)): path.read_bytes() for path in (content / INDEX_DIR).rglob("*.json")}
    assert len(lookup(files, "newer paper topic")) == 5  # and they are found
    assert len(lookup(files, "quetzalcoatlus")) == 5  # by their abstracts too


CJK_PAPERS = [
    paper(300, "大型语言模型的神经网络研究", ("王小明",), abstract="我们训练神经网络。"),
    paper(301, "深層ニューラルネットワークの学習", ("山田太郎",)),
    paper(302, "Sharper bounds for bandits", ("Ada Lovelace",)),
]


def test_chinese_and_japanese_are_found_by_any_word_within_text_without_spaces() -> None:
    # A run of characters was one term: only a query of the title's first characters found it.
    assert words("大型语言模型 LLM研究") == ["大型", "型语", "语言", "言模", "模型", "llm", "研究"]
    files = build_index(CJK_PAPERS, TOPICS)
    assert lookup(files, "模型") == ["papers/2611.00300/"]
    assert lookup(files, "神经网络 研究") == ["papers/2611.00300/"]
    assert lookup(files, "ニューラルネットワーク") == ["papers/2611.00301/"]
    assert lookup(files, "王小明") == ["papers/2611.00300/"]
    assert lookup(files, "模网") == []  # the characters next to each other, in order


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_worker_finds_and_marks_chinese_and_japanese_words(tmp_path: Path) -> None:
    files = build_index(CJK_PAPERS, TOPICS)
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    queries = ["模型", "神经网络 研究", "ニューラル", "bandits", "模网"]
    completed = subprocess.run(
        ["node", str(HARNESS), str(WORKER), str(tmp_path / INDEX_DIR), *queries],
        capture_output=True, text=True, timeout=60, check=True,
    )
    answers = json.loads(completed.stdout)
    for query, items in zip(queries, answers, strict=True):
        assert [item["location"] for item in items] == lookup(files, query), query
    assert answers[0][0]["title"] == "大型语言<mark>模型</mark>的神经网络研究"
    assert answers[1][0]["title"] == "大型语言模型的<mark>神经网络研究</mark>"
    assert answers[2][0]["title"] == "深層<mark>ニューラル</mark>ネットワークの学習"
    assert answers[3][0]["title"] == "Sharper bounds for <mark>bandits</mark>"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_japanese_words_with_voicing_marks_are_marked_whole(tmp_path: Path) -> None:
    """データ is indexed as テータ (its voicing mark is an accent to Unicode): the paper was found, but only "ータ" was
    marked, and a title written with decomposed marks (デ as テ and U+3099) not at all."""
    decomposed = unicodedata.normalize("NFD", "ビデオ生成のデータ")
    papers = [*CJK_PAPERS, paper(303, "データ拡張のための手法", ("山田",)), paper(304, decomposed, ("鈴木",))]
    files = build_index(papers, TOPICS)
    answers = worker_answers(tmp_path, files, ["データ", "ビデオ"])
    assert [item["location"] for item in answers[0]] == lookup(files, "データ") != []
    titles = {str(item["title"]) for item in answers[0]}
    marked = decomposed.replace("テ\u3099ータ", "<mark>テ\u3099ータ</mark>")
    assert titles == {"<mark>データ</mark>拡張のための手法", marked}
    assert answers[1][0]["title"] == decomposed.replace("ヒ\u3099テ\u3099オ", "<mark>ヒ\u3099テ\u3099オ</mark>")


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_word_typed_without_its_accents_is_marked_where_it_is_written_with_them(tmp_path: Path) -> None:
    """"muller" found "Müller" (words are indexed without accents) but marked nothing: the marks were put where the
    query's letters are written, as they are typed."""
    decomposed = unicodedata.normalize("NFD", "Schrödinger Bridges")
    papers = [*ABSTRACTS, paper(20, "Kernels of Müller and Ångström", ("José Núñez",)),
              paper(21, decomposed), paper(22, "Straße Æsthetics & Muller")]
    files = build_index(papers, TOPICS)
    answers = worker_answers(tmp_path, files, ["muller angstrom", "nunez", "schrodinger", "strasse", "mull"])
    assert [item["location"] for item in answers[0]] == ["papers/2611.00020/"]
    assert answers[0][0]["title"] == "Kernels of <mark>Müller</mark> and <mark>Ångström</mark>"
    assert "José <mark>Núñez</mark>" in str(answers[1][0]["text"])
    assert answers[2][0]["title"] == f"<mark>{unicodedata.normalize('NFD', 'Schrödinger')}</mark> Bridges"
    marked = {str(item["title"]) for item in answers[4]}
    assert marked == {"Kernels of <mark>Müller</mark> and Ångström", "Straße Æsthetics &amp; <mark>Muller</mark>"}
    # Letters that are no letter and accent to Unicode, typed without the key: "strasse" finds "Straße".
    assert [str(item["title"]) for item in answers[3]] == ["<mark>Straße</mark> Æsthetics &amp; Muller"]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_letters_that_unicode_does_not_split_are_found_as_readers_type_them(tmp_path: Path) -> None:
    """"Bjørn", "Łukasz", "Straße", "Æsthetics" were found only by those letters: NFKD leaves ø, ł, ß, æ whole, and
    a reader without the key typing "bjorn" or "lukasz" found nothing."""
    papers = [*ABSTRACTS, paper(30, "Læring og Œuvres", ("Bjørn Østergård", "Łukasz Kaiser")),
              paper(31, "Die Straße der Þórr")]
    files = build_index(papers, TOPICS)
    queries = ["bjorn", "ostergard", "lukasz", "laering", "oeuvres", "strasse", "thorr", "Bjørn"]
    for query in queries:
        assert lookup(files, query), query
    answers = worker_answers(tmp_path, files, queries)
    for query, items in zip(queries, answers, strict=True):
        assert [item["location"] for item in items] == lookup(files, query), query
    assert answers[3][0]["title"] == "<mark>Læring</mark> og Œuvres"
    assert "<mark>Bjørn</mark> Østergård" in str(answers[0][0]["text"])


def test_latex_in_titles_and_abstracts_is_found_by_the_words_a_reader_sees() -> None:
    """Titles and abstracts written in LaTeX are indexed and shown decoded: Poincar\\'e was two words, "poincar" and
    "e", and a reader typing "Poincare" found nothing."""
    papers = [
        paper(0, "Poincar\\'e Inequalities for \\emph{Schr\\\"odinger} Operators",
              abstract="After G\\\"{o}del and Erd\\H{o}s, in $\\mathbb{R}^n$."),
        paper(1, "A Paper on Something Else", abstract="Nothing here."),
    ]
    files = build_index(papers, TOPICS)
    for query in ("poincare", "Poincaré", "schrodinger", "Schrödinger", "godel", "erdos"):
        assert lookup(files, query) == ["papers/2611.00000/"], query
    assert lookup(files, "emph") == [] and lookup(files, "odinger") == []
    assert lookup(files, "mathbb") == ["papers/2611.00000/"]  # a formula is indexed as written, as before
    documents = json.loads(files[f"{INDEX_DIR}/{DOCS_DIR}/0.json"])
    assert documents[0][1] == "Poincaré Inequalities for Schrödinger Operators"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_number_of_an_abstract_does_not_stop_a_pasted_sentence_finding_its_paper(tmp_path: Path) -> None:
    """The index keeps no number alone ("576") from an abstract, only from titles, keywords and names, yet a query's
    number was required: a sentence pasted from an abstract with a number in it, or the whole abstract, found
    nothing, not even its own paper."""
    long_word = "x" * 31
    papers = [*ABSTRACTS,
              paper(5, "Wallaby Encoders", abstract=f"Wallaby encoders keep only 576 visual tokens, see {long_word}."),
              paper(6, "Wallaby Tokens at 576 Pixels", abstract="Visual tokens of wallabies."),
              paper(7, "Wallaby Pruning", abstract="We prune visual tokens.")]
    files = build_index(papers, TOPICS)
    queries = [papers[5].abstract, "only 576 visual tokens", "576 wallaby", "576", f"wallaby {long_word}"]
    answers = worker_answers(tmp_path, files, queries)
    found = [[item["location"] for item in items] for items in answers]
    assert found[0] == ["papers/2611.00005/"]  # its own abstract, pasted whole
    assert found[1][0] == "papers/2611.00006/"  # the title's 576 ranks first
    assert sorted(found[1]) == [f"papers/2611.0000{n}/" for n in (5, 6, 7)]  # optional: the other words find
    assert found[2][0] == "papers/2611.00006/" and len(found[2]) == 3
    assert found[3] == ["papers/2611.00006/"]  # a number alone is still looked up, in titles
    assert "papers/2611.00005/" in found[4]
    for query, items in zip(queries, answers, strict=True):
        assert [item["location"] for item in items] == lookup(files, query), query


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_of_equal_scores_a_title_with_the_querys_words_together_comes_first(tmp_path: Path) -> None:
    """"diffusion policy" listed newer titles with "On-Policy ... Diffusion" first, the papers named "Diffusion Policy"
    among them in date order: each word's score is the same wherever in the title it stands."""
    papers = [paper(1, "Diffusion Policy Policy Optimization"), paper(2, "Improved 3D Diffusion Policies & Robots"),
              paper(3, "On-Policy Distillation of Diffusion Models"),
              paper(4, "Policy Learning for Diffusion Decoding"),
              paper(5, "Mixture-of-Experts Routing"), paper(6, "Experts in a Mixture"), paper(7, "A Policy Zoo"),
              paper(8, "Mixture of Domain Experts")]
    files = build_index(papers, TOPICS)
    queries = ["diffusion policy", "diffusion policies", "diffusion pol", "mixture of experts", "policy"]
    found = [[item["location"] for item in items] for items in worker_answers(tmp_path, files, queries)]
    assert found[0] == [f"papers/2611.0000{n}/" for n in (1, 2, 4, 3)]  # together first (earliest first), then newer
    assert found[1] == found[0] and found[2] == found[0]  # a plural, and the last word still being typed
    assert found[3] == [f"papers/2611.0000{n}/" for n in (5, 8, 6)]  # "of" is no word: "Mixture-of-Experts" is
    assert found[4] == [f"papers/2611.0000{n}/" for n in (7, 4, 3, 1, 2)]  # one word: where it starts, fewest words
    for query, items in zip(queries, found, strict=True):
        assert items == lookup(files, query), query


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_of_equal_scores_the_title_that_begins_with_the_query_and_says_least_else_comes_first(tmp_path: Path) -> None:
    """A model's name ("Qwen3" on a real archive) listed its newer follow-ups first, the paper named by the query alone
    ("Qwen3 Technical Report") ninth, below titles that only mention it: every title with the word scored the same."""
    papers = [paper(1, "Wombat7 Technical Report"), paper(2, "Wombat7 Embedding: Advancing Text Retrieval"),
              paper(3, "Fine-Tuning Wombat7 for Robots"), paper(4, "Wombat7-TTS Technical Report"),
              paper(5, "Quokka Latent Planner: Patches Scale Better"), paper(6, "Fast Quokka Latent Planner")]
    files = build_index(papers, TOPICS)
    queries = ["Wombat7", "wombat", "quokka latent planner", "latent quokka"]
    found = [[item["location"] for item in items] for items in worker_answers(tmp_path, files, queries)]
    assert found[0] == [f"papers/2611.0000{n}/" for n in (1, 4, 2, 3)]  # at the start, fewest words; then later
    assert found[1] == found[0]  # the word still being typed
    assert found[2] == ["papers/2611.00005/", "papers/2611.00006/"]  # the title that begins with the query
    assert found[3] == ["papers/2611.00006/", "papers/2611.00005/"]  # not together in either: the newer, as before
    for query, items in zip(queries, found, strict=True):
        assert items == lookup(files, query), query


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_an_authors_surname_that_is_a_stop_word_ranks_their_papers_first(tmp_path: Path) -> None:
    """"He", "You" and "An" are surnames as well as stop words ("He" is in a tenth of a real archive's author lists),
    and names lost them: "Qiaolan He" ranked a newer paper of Qiaolan Jin with hers, as "qiaolan" alone."""
    papers = [paper(1, "Wombat Planning", ("Qiaolan He", "Ada Lovelace")), paper(2, "Bilby Models", ("Qiaolan Jin",)),
              paper(3, "Quokka Networks", ("Zhenmu You",)), paper(4, "Numbat Agents", ("Zhenmu Young",)),
              paper(5, "Platypus Search", ("Zhenmu Yang",), abstract="He said you can go.")]
    files = build_index(papers, TOPICS)
    queries = ["Qiaolan He", "qiaolan he", "Zhenmu You", "qiaolan"]
    found = [[item["location"] for item in items] for items in worker_answers(tmp_path, files, queries)]
    assert found[0] == found[1] == ["papers/2611.00001/", "papers/2611.00002/"]  # hers first, his still found
    assert found[2][0] == "papers/2611.00003/"  # "you" is his surname, "young" only begins with it
    assert found[3] == ["papers/2611.00002/", "papers/2611.00001/"]  # one word: newest first, as before
    assert "he" not in search.terms("He said you can go.")  # an abstract's, title's stop words stay out
    for query, items in zip(queries, found, strict=True):
        assert items == lookup(files, query), query
