"""The taxonomy file and topic scoring."""

import dataclasses
import json
import re
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError
from generator.model import Paper, TopicMatch
from generator.sources.listing import read_listing
from generator.topics import OTHER_SLUG, assign_topics, load_taxonomy, make_keyword, score_topic
from generator.topics.taxonomy import keywords_notes
from tests.conftest import SEED_TOPICS, make_project, run_digest


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_keywords_match_whole_words_plurals_and_hyphen_variants() -> None:
    keyword = make_keyword("chain-of-thought")
    assert keyword.count("We use chain of thought prompting") == 1
    assert keyword.count("Chain-of-Thought, and chain-of-thoughts") == 2
    assert make_keyword("language model").count("large language models are") == 1
    assert make_keyword("transformers").count("a transformer") == 1
    assert make_keyword("matrix").count("random matrices") == 1
    assert make_keyword("graph").count("paragraphs") == 0
    assert make_keyword("language model").count("language, modelling") == 0


def test_acronyms_match_only_as_written() -> None:
    keyword = make_keyword("RL")
    assert keyword.count("offline RL methods") == 1
    assert keyword.count("the url of rl, Rl") == 0
    assert make_keyword("LLM").count("two LLMs") == 1


def test_keyword_index_finds_overlapping_phrases_in_a_vocabulary_that_read_texts_first() -> None:
    """Keywords whose words the vocabulary met before the index was made (so not its first ids), phrases that
    share words or nest, an acronym beside a casefolded keyword: every occurrence, each at its first word."""
    from generator.topics.features import Vocabulary
    from generator.topics.keywords import KeywordIndex

    vocabulary = Vocabulary()
    vocabulary.encode(["Large language models and small ones", "an RL agent"])  # words the index will reuse
    keywords = [make_keyword(text) for text in ("language model", "large language model", "model", "RL", "agents")]
    index = KeywordIndex(keywords, vocabulary)
    ids = vocabulary.encode(["A large language model", "RL agents, rl and a model of models", "unseen words"])
    positions, columns = index.find(ids)
    found = sorted(zip(ids[positions].tolist(), columns.tolist(), strict=True))
    word = vocabulary.ids.words
    assert sorted((word[i].decode(), keywords[c].text) for i, c in found) == sorted([
        ("large", "large language model"), ("language", "language model"), ("model", "model"),
        ("RL", "RL"), ("agents", "agents"), ("model", "model"), ("models", "model"),
    ])
    assert index.count("a large language model") == [1, 1, 1, 0, 0]

def test_title_weighs_more_and_exclude_vetoes(tmp_path: Path) -> None:
    topics, _ = load_taxonomy(write(tmp_path, """topics:
  - name: Robotics
    keywords: [SLAM, robot]
    exclude: [SLAM dunk]
"""))
    (robotics,) = topics
    in_title, evidence = score_topic(robotics, "Robot navigation", "")
    in_abstract, _ = score_topic(robotics, "Navigation", "a robot")
    assert in_title > in_abstract > 0
    assert evidence == ("title: robot",)
    assert score_topic(robotics, "A SLAM dunk for robots", "")[0] == 0


def test_taxonomy_errors_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path, """topics:
  - name: Vision
  - name: vision
  - slug: nameless
  - name: Other
""")
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(path)
    message = str(caught.value)
    assert "topic 2: slug 'vision' is already used by topic 1" in message
    assert "topic 3: 'name' is required" in message
    assert "topic 4: slug 'other' is already used by the built-in 'Other' topic" in message


def test_a_slug_taken_twice_says_why_and_what_to_do(tmp_path: Path) -> None:
    """"slug 'vision' is already used by topic 1" left a maintainer who wrote one name twice, two names that give
    one slug, or a topic named Other (for the papers no topic matches) to work out why."""
    path = write(tmp_path, """topics:
  - name: Vision
  - name: vision
  - name: Ökologie
  - name: Okologie
  - name: Other
    keywords: [misc]
""")
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(path)
    assert str(caught.value).splitlines() == [
        f"{path}:3: topic 2: slug 'vision' is already used by topic 1 (line 2): the two are both named 'vision'; give"
        " one another name",
        f"{path}:5: topic 4: slug 'okologie' is already used by topic 3 (line 4): the names 'Ökologie' and 'Okologie'"
        " give one slug; give this one a 'slug:' of its own",
        f"{path}:6: topic 5: slug 'other' is already used by the built-in 'Other' topic; the papers that match no"
        " topic are in 'Other' already: to name that topic otherwise, write 'other: {name: …, description: …}' at the"
        " top of the file, beside 'topics:', instead of a topic",
    ]


def test_taxonomy_problems_name_the_line_of_the_topic(tmp_path: Path) -> None:
    # "topic 14: ..." left the maintainer counting the topics of a long file.
    path = write(tmp_path, "topics:\n  - name: Vision\n\n  - name: Robots\n    colour: red\n"
                           "    keywords: [C++]\n  - name: Sight\n    slug: vision\n")
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(path)
    assert str(caught.value) == f"{path}:7: topic 3: slug 'vision' is already used by topic 1 (line 2)"
    path.write_text(path.read_text(encoding="utf-8").replace("slug: vision", "slug: sight"), encoding="utf-8")
    assert [str(w) for w in load_taxonomy(path)[1]] == [
        f"{path}:4: topic 2: unknown key 'colour' ignored",
        f"{path}:4: topic 2: keywords: 'C++' is matched as 'C': symbols (+) are not part of words, so it also finds"
        " 'C' alone",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("topics:\n  name: Galaxies\n  keywords: [galaxy]\n",
         ":2: 'topics:' holds one mapping, not a list: begin each topic with '- '"),
        ("# astro-ph\n- name: Galaxies\n- name: Stars\n",
         ":2: the file is a list: put 'topics:' on a line above it and indent the list under it"),
        ("topic:\n  - name: Galaxies\n", ": no 'topics:' key (the file has 'topic') (did you mean 'topics'?)"),
        ("topics:\n", ":1: 'topics:' is empty: list the topics under it"),
        ("topics: Galaxies, Stars\n", ":1: 'topics:' holds text, not a list"),
        ("# to do\n", ": the taxonomy is empty"),
    ],
)
def test_a_taxonomy_without_a_topics_list_says_what_it_holds_and_where(tmp_path: Path, text: str, found: str) -> None:
    """Each of these said "expected a top-level 'topics:' list", naming no line and not what was wrong."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(path)
    assert str(caught.value) == (f"{path}{found}; a taxonomy lists its topics under 'topics:', each an item"
                                 " '- name: …' with its keys under it")


def test_a_wrong_category_is_named_in_its_error(tmp_path: Path) -> None:
    """`categories: [astro-ph.SR, 12]` and `categories: astro-ph.GA, astro-ph.CO` said only "expected a list of
    category names", naming neither the item nor the missing brackets."""
    path = write(tmp_path, "topics:\n  - name: Stars\n    categories: [astro-ph.SR, 12, astro-ph GA]\n"
                           "  - name: Galaxies\n    categories: astro-ph.GA, astro-ph.CO\n"
                           "  - name: Sun\n    categories: astro-ph.SR\n")
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(path)
    assert str(caught.value).splitlines() == [
        f"{path}:2: topic 1: categories: '12' is no category name (arXiv's are written as q-bio.NC, astro-ph.GA or"
        " hep-th)",
        f"{path}:2: topic 1: categories: 'astro-ph GA' is no category name (arXiv's are written as q-bio.NC,"
        " astro-ph.GA or hep-th)",
        f"{path}:4: topic 2: categories: 'astro-ph.GA, astro-ph.CO' is one text: write a list, in brackets:"
        " [astro-ph.GA, astro-ph.CO]",
    ]  # one category alone needs no brackets


def test_a_keyword_of_symbols_only_is_named_in_its_error(tmp_path: Path) -> None:
    """`keywords: [".*", "["]` said "empty keyword" twice, naming neither."""
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(write(tmp_path, "topics:\n  - name: Regex\n    keywords: ['.*', '[', reasoning, ' ']\n"))
    assert [line.split(": ", 1)[1] for line in str(caught.value).splitlines()] == [
        "topic 1: keywords: the keyword '.*' has no letter or digit to match",
        "topic 1: keywords: the keyword '[' has no letter or digit to match",
        "topic 1: keywords: an empty keyword",
    ]


def test_unknown_keys_are_warned_about_and_ignored(tmp_path: Path) -> None:
    text = "topics:\n  - name: Vision\n    colour: blue\n    keyword: [eye]\n"
    topics, warnings = load_taxonomy(write(tmp_path, text))
    assert [topic.slug for topic in topics] == ["vision"]
    assert [w.message for w in warnings] == [  # a near miss names the key meant
        "topic 1: unknown key 'colour' ignored", "topic 1: unknown key 'keyword' ignored (did you mean 'keywords'?)"]



def test_a_keyword_with_symbols_is_warned_about_as_the_words_it_finds(tmp_path: Path) -> None:
    """"C++" is read as the word "C" (symbols are not part of words): it would find every "C" in the papers."""
    topics, warnings = load_taxonomy(write(tmp_path, "topics:\n  - name: Languages\n    keywords: [C++, GPT-4, R&D]\n"
                                           "    exclude: ['C#']\n"))
    assert [w.message for w in warnings] == [
        "topic 1: keywords: 'C++' is matched as 'C': symbols (+) are not part of words, so it also finds 'C' alone",
        "topic 1: keywords: 'R&D' is matched as 'R D': symbols (&) are not part of words, so it also finds 'R D' alone",
        "topic 1: exclude: 'C#' is matched as 'C': symbols (#) are not part of words, so it also finds 'C' alone",
    ]
    assert topics[0].keywords[0].count("Section C and C++ code") == 2  # what the warning says
    plain = "topics:\n  - name: Plain\n    keywords: [chain-of-thought, GPT-4]\n"
    assert load_taxonomy(write(tmp_path, plain))[1] == []


def test_unmatched_papers_go_to_other(tmp_path: Path) -> None:
    topics, _ = load_taxonomy(write(tmp_path, "topics:\n  - name: Vision\n    keywords: [image]\n"))
    paper = Paper(id="x", title="On cooking", abstract="Recipes.", added=None, source="s")  # type: ignore[arg-type]
    counts = assign_topics([paper], topics)
    assert paper.primary_topic == OTHER_SLUG
    assert counts == {"vision": 0, "other": 1}


def test_a_paper_pinned_under_an_id_it_now_answers_to_as_an_alias_keeps_its_pin(tmp_path: Path) -> None:
    # assignments.yml pins by id; a paper whose id changed (its title-only first listing deleted) lost its topics.
    topics, _ = load_taxonomy(write(tmp_path, "topics:\n  - name: Vision\n    keywords: [image]\n"))
    pin = (TopicMatch("vision", 0.5, ("pinned",)),)
    paper = dataclasses.replace(_paper("2401.00001", "On cooking", "Recipes."), aliases=("t0123456789a",))
    assign_topics([paper], topics, pinned={"t0123456789a": pin})
    assert paper.topics == pin


def test_default_taxonomy_on_the_seed(seed_bytes: bytes) -> None:
    topics, warnings = load_taxonomy(SEED_TOPICS)
    assert warnings == []
    papers = read_listing(seed_bytes, "seed.txt").papers
    counts = assign_topics(papers, topics)
    assert all(1 <= len(paper.topics) <= 3 for paper in papers)
    assert counts[OTHER_SLUG] <= 0.10 * len(papers)
    assert max(counts.values()) <= 0.35 * len(papers)
    assert sum(counts.values()) == len(papers)


def _paper(ident: str, title: str, abstract: str, categories: tuple[str, ...] = ()) -> Paper:
    import datetime as dt

    return Paper(id=ident, title=title, abstract=abstract, added=dt.date(2026, 1, 1), source="test",
                 categories=categories)


def test_a_listed_category_is_strong_evidence_named_in_the_evidence(tmp_path: Path) -> None:
    topics, _ = load_taxonomy(write(tmp_path, """topics:
  - name: Neuroscience
    description: Neurons and brains.
    categories: [q-bio.NC]
  - name: Vision
    description: Images, cameras and pictures.
    keywords: [image]
"""))
    by_text = _paper("a", "Image retrieval for cameras", "Pictures and images from cameras.")
    by_category = _paper("b", "Image statistics in the visual pathway", "Images.", ("q-bio.NC", "cs.CV"))
    assign_topics([by_text, by_category], topics)
    assert by_text.primary_topic == "vision"
    assert by_category.primary_topic == "neuroscience"
    assert "category: q-bio.NC" in by_category.topics[0].evidence


def test_curation_labels_teach_the_learner(tmp_path: Path) -> None:
    """Two papers pinned to a topic whose text matches none of their words teach it the words of its papers."""
    topics, _ = load_taxonomy(write(tmp_path, """topics:
  - name: Alpha
    description: Something about widgets.
  - name: Beta
    description: Something about gadgets and sprockets.
"""))
    papers = [
        _paper("p1", "Lattice gauge sprockets", "Quarks gluons lattice gauge confinement sprockets."),
        _paper("p2", "Confinement on the lattice", "Quarks gluons lattice gauge confinement gadgets."),
        _paper("p3", "Gluons and quarks", "Quarks gluons lattice gauge confinement."),
    ]
    untaught = [dataclasses.replace(p) for p in papers]
    assign_topics(untaught, topics)
    taught = [dataclasses.replace(p) for p in papers]
    assign_topics(taught, topics, labels={"p1": "alpha", "p2": "alpha"})
    assert untaught[2].primary_topic != "alpha"
    assert taught[2].primary_topic == "alpha"  # the unpinned paper follows the pinned papers it resembles


def test_a_key_written_twice_in_the_taxonomy_or_digest_yml_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    # PyYAML keeps the last of two keys without a word: the first keyword list was silently gone.
    taxonomy = write(tmp_path, "topics:\n  - name: Alpha\n    keywords: [widgets]\n    description: A.\n"
                               "    keywords: [gadgets]\n")
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(taxonomy)
    assert "the key 'keywords' is written twice in one mapping (lines 3 and 5)" in str(caught.value)
    config = tmp_path / "digest.yml"
    config.write_text("topic_page_size: 50\nmax_topics: 2\ntopic_page_size: 20\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(caught.value).startswith(f"{config}:3: invalid YAML: the key 'topic_page_size' is written twice")
    # Keys are text as written; the same key in two mappings, and YAML merge keys, are fine.
    config.write_text("base: &base {limit: 5}\nfeeds:\n  <<: *base\n  limit: 3\ntopic_page_size: 20\n",
                      encoding="utf-8")
    loaded, warnings = load_config(config)
    assert loaded.feeds.limit == 3 and loaded.topic_page_size == 20
    assert [w.message for w in warnings] == ["unknown setting 'base' ignored"]


def test_chinese_keywords_find_chinese_text_written_without_spaces(tmp_path: Path) -> None:
    topics, _ = load_taxonomy(write(tmp_path, """topics:
  - name: 机器学习
    slug: ml
    keywords: [模型, 神经网络]
  - name: 天文学
    slug: astro
    keywords: [星系, 暗物质]
"""))
    papers = [_paper("p1", "大型语言模型的神经网络研究", "我们训练神经网络。"),
              _paper("p2", "暗物质晕与星系形成", "我们模拟星系的形成。"),
              _paper("p3", "A history of sourdough baking", "Monastic records of bread.")]
    assign_topics(papers, topics)
    assert [p.primary_topic for p in papers] == ["ml", "astro", OTHER_SLUG]
    assert papers[0].topics[0].evidence[:2] == ("title: 模型", "title: 神经网络")


def test_chinese_top_terms_are_named_as_the_words_the_paper_writes(tmp_path: Path) -> None:
    """The learner's words in Chinese are characters: a paper page gave "top terms: 图, 像, 割" (pieces of 图像分割)."""
    papers = [_paper(f"v{n}", f"图像分割方法（{n}）", "本文研究图像分割与目标检测。") for n in range(4)] + [
        _paper(f"s{n}", f"语音识别方法（{n}）", "本文研究语音识别与语音合成。") for n in range(4)]
    topics, _ = load_taxonomy(write(tmp_path, "topics:\n  - name: 视觉\n    slug: cv\n    keywords: [目标检测]\n"
                                              "  - name: 语音\n    slug: speech\n    keywords: [语音合成]\n"))
    assign_topics(papers, topics)
    named = [item.removeprefix("top terms: ").split(", ") for paper in papers for match in paper.topics
             for item in match.evidence if item.startswith("top terms: ")]
    assert named and all(len(word) > 1 for words in named for word in words)

    from generator.topics.scoring import as_written

    paper = _paper("p1", "基于深度学习的图像分割方法研究", "我们使用卷积神经网络。")
    assert as_written(["图", "像", "割"], paper) == ["图像"]  # 割 stands beside no other: no word a reader knows
    assert as_written(["网", "segmentation", "经", "神", "络"], paper) == ["神经网络", "segmentation"]
    assert as_written(["习", "割"], paper) == ["习", "割"]  # none side by side: named as they are
    assert as_written(["model", "图"], paper) == ["model", "图"]


def test_function_words_of_other_languages_are_never_named_as_top_terms(tmp_path: Path) -> None:
    """A German paper's page gave "top terms: maschinelle, übersetzung, mit" ("with"), a Russian one "на" ("on")."""
    german = "Wir untersuchen die Übersetzung mit neuronalen Netzen und die Übersetzung mit wenigen Daten."
    russian = "Мы исследуем распознавание речи на русском корпусе и распознавание речи на шумных данных."
    papers = [_paper(f"de{n}", f"Übersetzung mit Netzen {n}", german) for n in range(4)] + [
        _paper(f"ru{n}", f"Распознавание речи на корпусе {n}", russian) for n in range(4)]
    topics, _ = load_taxonomy(write(tmp_path, "topics:\n  - name: Translation\n    keywords: [Übersetzung]\n"
                                              "  - name: Speech\n    keywords: [речи]\n"))
    assign_topics(papers, topics)
    named = {word for paper in papers for match in paper.topics for item in match.evidence
             if item.startswith("top terms: ") for word in item.removeprefix("top terms: ").split(", ")}
    assert named and not {"mit", "und", "die", "wir", "на", "мы", "и"} & named


def test_a_name_that_gives_no_slug_says_to_add_one_and_numbers_are_text(tmp_path: Path) -> None:
    # "slug '' is not usable in a URL" did not say where the empty slug came from; then every name was offered
    # 'slug: machine-learning', where `topics suggest` spells the name itself in Latin letters (生态学: shengtaixue).
    for name, slug in (("Машинное обучение", "mashinnoe-obuchenie"), ("机器学习", "jiqixuexi"), ("🚀", "rocket")):
        with pytest.raises(ConfigError) as caught:
            load_taxonomy(write(tmp_path, f"topics:\n  - name: {name}\n"))
        assert str(caught.value).endswith(f"topic 1: the name {name!r} gives no slug for the topic's URL (only Latin"
                                          f" letters and digits make one): add a slug, such as 'slug: {slug}'")
    topics, _ = load_taxonomy(write(tmp_path, "topics:\n  - name: Машинное обучение\n    slug: ml\n"
                                              "  - name: 2024\n  - name: Year\n    slug: 2025\n"))
    assert [(t.slug, t.name) for t in topics] == [("ml", "Машинное обучение"), ("2024", "2024"), ("2025", "Year")]


def test_a_slug_that_leaves_out_letters_of_the_name_is_warned_about_and_kept(tmp_path: Path) -> None:
    """"Straßenverkehr" was published at topics/straenverkehr/ and "Обработка речи (ASR)" at topics/asr/ without a
    word: letters that are no Latin letter and accent, and other scripts', are left out of a slug."""
    topics, warnings = load_taxonomy(write(tmp_path, "topics:\n  - name: Straßenverkehr\n"
                                                     "  - name: Обработка речи (ASR)\n"
                                                     "  - name: Maschinelles Übersetzen\n"
                                                     "  - name: Łódź\n    slug: lodz\n"))
    assert [t.slug for t in topics] == ["straenverkehr", "asr", "maschinelles-ubersetzen", "lodz"]  # URLs kept
    messages = [str(w) for w in warnings]
    assert len(messages) == 2  # accents are no loss, and a slug of one's own is as meant
    assert "topic 1: the slug 'straenverkehr' (the topic's URL and feeds) leaves out 'ß' of the name" in messages[0]
    assert "add 'slug: straenverkehr'" in messages[0] and "'slug: strassenverkehr'" in messages[0]
    assert "leaves out 'О', 'б', 'р', ... of the name 'Обработка речи (ASR)'" in messages[1]
    assert "'slug: obrabotka-rechi-asr', keep this one in 'formerly: [asr]'" in messages[1]


def test_the_other_topic_takes_the_name_the_taxonomy_gives_it(tmp_path: Path) -> None:
    """A site in Chinese had "Other" in its navigation, topic cards, chips and feed titles ("论文周报: Other"), and no
    template or setting could name it: `other:` in the taxonomy does."""
    taxonomy = ("topics:\n  - name: 机器学习\n    slug: ml\n    keywords: [神经网络]\n"
                "other:\n  name: 其他\n  description: 不属于任何主题的论文。\n")
    papers = tmp_path / "2026-12-02.json"
    papers.write_text(json.dumps([{"title": "神经网络的训练", "abstract": "我们训练神经网络。"},
                                  {"title": "酸面包的历史", "abstract": "修道院的面包记录。"}], ensure_ascii=False),
                      encoding="utf-8")
    project = make_project(tmp_path / "site", papers=papers, topics=write(tmp_path, taxonomy))
    built = run_digest("build", cwd=project).stdout
    assert "  其他  " in built and "Other" not in built
    content = project / "content"
    feed = (content / "other.atom.xml").read_text("utf-8")
    assert re.search(r"<title>[^<]+: 其他</title>", feed) and ": Other<" not in feed
    page = (content / "topics" / "other" / "index.md").read_text("utf-8")
    assert "其他" in page and "不属于任何主题的论文。" in page and "Other" not in page
    slugs = [t.slug for t in load_taxonomy(write(tmp_path, taxonomy))[0]]
    assert slugs == ["ml"]  # no topic of its own: its papers are still those that match no other
    with pytest.raises(ConfigError, match="other: expected a mapping with a 'name'"):
        load_taxonomy(write(tmp_path, "topics:\n  - name: A\nother: 其他\n"))


def test_a_topic_chosen_without_keywords_or_similar_papers_still_says_why(tmp_path: Path) -> None:
    """A further topic can rest on the taxonomy's text alone (its description's words, not its keywords) or on naive
    Bayes: `digest topics explain` and the paper page listed it with no evidence at all."""
    from generator.topics.scoring import choose_topics, score_papers

    taxonomy = ("topics:\n  - name: Graphs\n    description: Graph algorithms.\n    keywords: [graph]\n"
                "  - name: Biology\n    description: Protein folding and molecular structure.\n"
                "    keywords: [genome]\n")
    topics, _ = load_taxonomy(write(tmp_path, taxonomy))
    papers = [_paper("a", "Graph folding", "A graph method for protein folding."),
              _paper("b", "Shortest paths", "Graph algorithms for paths.")]
    scores = score_papers(papers, topics)
    row = [paper.id for paper in scores.order].index("a")
    assert scores.prior[row, 1] > 0  # its abstract shares the description's words, no keyword
    scores.similarity[row, 1] = 0.0  # and no paper of the topic is like it
    scores.score[row] = [1.0, 0.9]  # a first topic, and this one close enough to be a further topic
    scores.prior[row, 0] = 0.5
    for text, expected in ((scores.prior[row, 1], "words of the topic's name and description (cosine"),
                           (0.0, "words this topic's papers use")):  # then naive Bayes alone
        scores.prior[row, 1] = text
        biology = choose_topics(scores, topics, 3)[row][1]
        assert biology.slug == "biology" and len(biology.evidence) == 1
        assert biology.evidence[0].startswith(expected)


def test_papers_every_topic_vetoes_go_to_other_without_a_numpy_warning(tmp_path: Path) -> None:
    """Excludes that vetoed every topic for every paper printed numpy's "RuntimeWarning: invalid value encountered in
    subtract" and a line of the learner's code among the command's output."""
    import warnings

    topics, _ = load_taxonomy(write(tmp_path, """topics:
  - name: Number Theory
    keywords: [primes]
    exclude: [the]
  - name: Analysis
    keywords: [equation]
    exclude: [the]
"""))
    papers = [_paper(str(n), f"The primes and the equation {n}", "The zeta function and the wave equation.")
              for n in range(6)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assign_topics(papers, topics)
    assert {paper.primary_topic for paper in papers} == {OTHER_SLUG}


def test_a_keyword_or_exclude_of_function_words_is_warned_about(tmp_path: Path) -> None:
    """`exclude: [the]` vetoed the topic for every paper, and `keywords: [we]` found every paper, without a word;
    an acronym (IT) matches only as written and is no such word."""
    topics, warnings = load_taxonomy(write(tmp_path, "topics:\n  - name: Number Theory\n"
                                           "    keywords: [primes, we, IT, of the]\n"
                                           "    exclude: [the, reinforced concrete]\n"))
    assert [w.message for w in warnings] == [
        "topic 1: keywords: 'we' is one of the words most abstracts use: it finds most papers",
        "topic 1: keywords: 'of the' is made of words most abstracts use: it finds most papers",
        "topic 1: exclude: 'the' is one of the words most abstracts use: it vetoes the topic for most papers",
    ]
    paper = _paper("a", "Gaps between primes", "We bound the gaps between consecutive primes.")
    assign_topics([paper], topics)
    assert paper.primary_topic == OTHER_SLUG  # what the warning says


def test_evidence_never_names_pieces_of_words_written_with_latex_accents(tmp_path: Path) -> None:
    """arXiv writes `Schr\\"odinger` and `H\\"older`: "top terms: nonlinear, equation, schr" named a piece of a word."""
    topics, _ = load_taxonomy(write(tmp_path, """topics:
  - name: Dispersive equations
    keywords: [dispersive]
  - name: Graphs
    keywords: [graph]
"""))
    waves = r"Dispersive Schr\"odinger Schr\"{o}dinger solitons: H\"older bounds for the dispersive Schr\"odinger flow."
    papers = [_paper(f"w{n}", r"Dispersive Schr\"odinger solitons of Schr\"odinger type", waves) for n in range(4)]
    papers += [_paper(f"g{n}", "Colourings of sparse graphs", "Graph colourings and sparse graphs.") for n in range(4)]
    assign_topics(papers, topics)
    named = {word for paper in papers for match in paper.topics for line in match.evidence
             if line.startswith("top terms: ") for word in line.removeprefix("top terms: ").split(", ")}
    assert "soliton" in named
    assert not {"schr", "odinger", "dinger", "older"} & named


def test_a_possessive_written_with_an_escaped_apostrophe_hides_no_word_from_the_evidence(tmp_path: Path) -> None:
    """One abstract writing "the MLLM\\'s answer" made "mllm" a piece of an accented word (ś), never named again in
    any paper's evidence: adding that issue changed the "why these topics" of published papers."""
    topics, _ = load_taxonomy(write(tmp_path, """topics:
  - name: Multimodal
    keywords: [multimodal]
  - name: Graphs
    keywords: [graph]
"""))
    mllm = "MLLM hallucination in MLLM answers: an MLLM benchmark for multimodal MLLM grounding."
    papers = [_paper(f"m{n}", "Grounding MLLM answers", mllm) for n in range(4)]
    papers += [_paper(f"g{n}", "Colourings of sparse graphs", "Graph colourings and sparse graphs.") for n in range(8)]
    papers.append(_paper("x", "Checking an MLLM\\'s answer", "We check the MLLM\\'s answer for multimodal grounding."))
    assign_topics(papers, topics)
    named = {word for paper in papers for match in paper.topics for line in match.evidence
             if line.startswith("top terms: ") for word in line.removeprefix("top terms: ").split(", ")}
    assert "mllm" in {word.casefold() for word in named}, named


def test_a_keyword_listed_twice_is_warned_about(tmp_path: Path) -> None:
    """`keywords: [PDE, PDE]` was taken without a word, and the evidence named the keyword once per copy."""
    topics, warnings = load_taxonomy(write(tmp_path, "topics:\n  - name: Analysis\n"
                                           "    keywords: [PDE, wave equation, pde, Wave  Equation, PDE]\n"))
    assert [w.message for w in warnings] == [
        "topic 1: keywords: 'Wave  Equation' is listed twice",
        "topic 1: keywords: 'PDE' is listed twice",
    ]
    assert [k.text for k in topics[0].keywords] == ["PDE", "wave equation", "pde", "Wave  Equation", "PDE"]


def test_keywords_written_as_one_text_show_the_list_meant(tmp_path: Path) -> None:
    """`keywords: primes, L-functions` said only "expected a list of text keywords"; the message shows the list."""
    path = write(tmp_path, "topics:\n  - name: Number Theory\n    keywords: primes, L-functions,  modular forms\n"
                           "    exclude: [ok]\n  - name: Waves\n    exclude: solitons\n")
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(path)
    assert str(caught.value).splitlines() == [
        f"{path}:2: topic 1: keywords: expected a list of text keywords, in brackets: [primes, L-functions, modular"
        " forms]",
        f"{path}:5: topic 2: exclude: expected a list of text keywords, in brackets: [solitons]",
    ]


def test_keywords_yaml_reads_as_yes_no_or_numbers_are_the_words_written(tmp_path: Path) -> None:
    """`keywords: [NO, NO2, ozone]` (nitric oxide: YAML 1.1's NO is false) or a year in the list stopped the build with
    "expected a list of text keywords", naming no keyword; so did `formerly: [2023]`."""
    topics, _ = load_taxonomy(write(tmp_path, "topics:\n  - name: Atmospheric Chemistry\n"
                                              "    keywords: [NO, NO2, ozone, 2024, 1.50]\n    exclude: [Off, yes]\n"
                                              "    formerly: [2023]\n"))
    assert [k.text for k in topics[0].keywords] == ["NO", "NO2", "ozone", "2024", "1.50"]
    assert [k.text for k in topics[0].exclude] == ["Off", "yes"]
    assert topics[0].formerly == ("2023",)
    paper = _paper("p", "NO emissions", "Nitric oxide in cities.")
    assert score_topic(topics[0], paper.title, paper.abstract)[1] == ("title: NO",)


def test_evidence_never_names_chinese_function_characters(tmp_path: Path) -> None:
    """Chinese is read character by character: "top terms: 数, 个, 的" named "的" ("of") and "个" (a measure word)."""
    topics, _ = load_taxonomy(write(tmp_path, "topics:\n  - name: Number Theory\n    keywords: [素数]\n"
                                              "  - name: Neuroscience\n    keywords: [neurons]\n"))
    papers = [_paper(f"p{n}", "关于素数的一个结果", "我们的素数的一个的估计的结果。") for n in range(3)]
    papers += [_paper(f"n{n}", "Neurons in cortex", "Spiking neurons and cortical memory.") for n in range(3)]
    assign_topics(papers, topics)
    named = [word for paper in papers for match in paper.topics for line in match.evidence
             if line.startswith("top terms: ") for word in line.removeprefix("top terms: ").split(", ")]
    assert named and not {"的", "个", "我", "们", "一", "了", "中"} & set(named)
    assert {paper.primary_topic for paper in papers[:3]} == {"number-theory"}


def test_a_keyword_two_topics_list_and_a_topic_without_keywords_are_noted(tmp_path: Path) -> None:
    """`cancer` in two topics' keywords (evidence for both, and a title with it gave both) and a topic of a name alone
    built without a word; `digest build` and `digest topics report` now note both, by line."""
    (tmp_path / "many").mkdir()
    taxonomy = write(tmp_path, """topics:
  - name: Cancer Genomics
    description: Tumours.
    keywords: [cancer, tumor]
  - name: Genomics
    description: Genomes.
    keywords: [genome, Cancers, tumors]
  - name: Ecology
  - name: Evolution
    description: Phylogenies and selection.
    keywords: []
""")
    topics, warnings = load_taxonomy(taxonomy)
    assert warnings == []
    notes = [str(note) for note in keywords_notes(taxonomy, "data/topics.yml", topics)]
    assert notes == [
        "data/topics.yml:8: note: topic 'Ecology' (ecology) has no keywords: only the words of its name find its"
        " papers; give it about ten (`keywords: [...]`), the words its papers write",
        "data/topics.yml:11: note: topic 'Evolution' (evolution) has no keywords: only the words of its name and"
        " description find its papers; give it about ten (`keywords: [...]`), the words its papers write",
        "data/topics.yml:4: note: topic 'Cancer Genomics' (cancer-genomics): its keyword 'cancer' is a keyword of"
        " topic 'Genomics' (genomics, line 7) too: every paper that writes it is evidence for each, and one with it in"
        " its title may take each; keep it in the topic it describes best",
        "data/topics.yml:4: note: topic 'Cancer Genomics' (cancer-genomics): its keyword 'tumor' is a keyword of"
        " topic 'Genomics' (genomics, line 7) too: every paper that writes it is evidence for each, and one with it in"
        " its title may take each; keep it in the topic it describes best",
    ]
    many = write(tmp_path / "many", "topics:\n" + "".join(f"  - name: Topic {n}\n    keywords: [cell, thing{n}]\n"
                                                  for n in range(7)))
    notes = [note.message for note in keywords_notes(many, "topics.yml", load_taxonomy(many)[0])]
    assert len(notes) == 1 and "'cell' is a keyword of 6 other topics, 'Topic 1' (topic-1, line 5)" in notes[0]
    assert "'Topic 4' (topic-4, line 11) and 2 more, too" in notes[0]
    project = make_project(tmp_path / "site", topics=taxonomy)
    built = run_digest("build", cwd=project)
    assert "data/topics.yml:4: note: topic 'Cancer Genomics' (cancer-genomics): its keyword 'cancer'" in built.stderr
    assert "data/topics.yml:8: note: topic 'Ecology' (ecology) has no keywords" in built.stderr
    assert "its keyword 'cancer'" in run_digest("topics", "report", cwd=project).stderr


def test_two_topics_of_one_name_are_warned_about(tmp_path: Path) -> None:
    """A topic named "Other" with a slug of its own (or one name given two slugs) built a site that listed two
    topics of one name, without a word."""
    topics, warnings = load_taxonomy(write(tmp_path, """topics:
  - name: Genomics
    slug: genomes
  - name: genomics
    slug: genomics-2
  - name: Other
    slug: misc
"""))
    assert [t.slug for t in topics] == ["genomes", "genomics-2", "misc"]
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'topics.yml'}:4: topic 2: the name 'genomics' is also the name of topic 1 (line 2): the site"
        " would list two topics of one name; give one another name",
        f"{tmp_path / 'topics.yml'}:6: topic 3: the name 'Other' is also the name of the built-in 'Other' topic: the"
        " site would list two topics of one name; rename this one, or that one, which holds the papers that match no"
        " topic, with 'other: {name: …}'",
    ]
    renamed = load_taxonomy(write(tmp_path, "topics:\n  - name: Other\n    slug: misc\nother:\n  name: Unsorted\n"))
    assert renamed[1] == []
