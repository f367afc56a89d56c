"""The watch list (issue 18): matching, settings, the mark on cards and paper pages, the page, feeds and OPML."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import feedparser
import pytest
import yaml

from generator.config import WatchSettings, load_config
from generator.errors import ConfigError
from generator.model import Paper
from generator.watch import Watcher, watched_papers
from tests.checkers import nu_check
from tests.conftest import SMALL, built_in_two_orders, make_project, mkdocs_build, paper_page_html, run_digest, tree
from tests.feed_checks import atom_problems, opml_problems, rss_problems

DAY = dt.date(2026, 11, 27)
PREFIX = "tag:example.org,2026:"
HOSTILE_NAME = "<script>alert('watch')</script>"
HOSTILE_PHRASE = "<img src=x onerror=alert(1)>"


def paper(title: str, abstract: str = "An abstract.", authors: tuple[str, ...] = (), pid: str = "p1") -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, added=DAY, source="test", authors=authors)


def reasons(settings: WatchSettings, item: Paper) -> tuple[str, ...]:
    return Watcher(settings).reasons(item)


# Matching ---------------------------------------------------------------------------------------


def test_author_names_match_after_normalisation_and_case_folding() -> None:
    settings = WatchSettings(authors=("José García", "yann lecun"))
    assert reasons(settings, paper("X", authors=("JOSÉ  GARCÍA",))) == ("author: José García",)
    # NFKC: a decomposed accent and a no-break space are the same name
    assert reasons(settings, paper("X", authors=("Jose\u0301\u00a0Garci\u0301a",))) == ("author: José García",)
    assert reasons(settings, paper("X", authors=("Yann LeCun", "Ada"))) == ("author: yann lecun",)
    # a name is never a part of another
    assert reasons(settings, paper("X", authors=("Yann LeCun Jr",))) == ()
    assert reasons(settings, paper("X", authors=("José Garcíaz", "Jose Gar Cia"))) == ()
    # an author's name in the text is no author
    assert reasons(settings, paper("Yann LeCun on energy", authors=("Ada",))) == ()


def test_a_watched_name_copied_with_characters_that_show_as_nothing_matches_as_author_pages_do() -> None:
    # A name pasted into digest.yml from a web page may carry a zero-width space or a bidi embedding; the papers'
    # author lists are read without them, so the watched name never matched.
    settings = WatchSettings(authors=("Kaiming\u200b He", "\u202b\u0645\u062d\u0645\u062f \u0639\u0644\u064a\u202c"))
    assert reasons(settings, paper("X", authors=("Kaiming He",))) == ("author: Kaiming\u200b He",)
    arabic = paper("X", authors=("\u0645\u062d\u0645\u062f \u0639\u0644\u064a",))
    assert reasons(settings, arabic) == (f"author: {settings.authors[1]}",)


def test_names_written_with_other_apostrophes_hyphens_or_last_name_first_are_watched() -> None:
    """Bibliographies write "LeCun, Yann"; sources mix ’ and ', ‐ and -: the same person, for a watch list (author
    pages still keep names as written: their URLs are made of them)."""
    settings = WatchSettings(authors=("LeCun, Yann", "Pat O’Brien", "Jean-Pierre Serre", "King, Jr."))
    assert reasons(settings, paper("X", authors=("Yann LeCun",))) == ("author: LeCun, Yann",)
    assert reasons(settings, paper("X", authors=("Pat O'Brien",))) == ("author: Pat O’Brien",)
    assert reasons(settings, paper("X", authors=("Jean\u2010Pierre Serre",))) == ("author: Jean-Pierre Serre",)
    assert reasons(settings, paper("X", authors=("Jr. King",))) == ()  # a suffix after the comma is no first name


def test_names_written_with_accents_or_without_and_with_a_hyphen_or_without_are_watched() -> None:
    """Sources write one person's name both ways: in 580 days of Hugging Face daily papers, 46 names with accents and
    without ("Baptiste Rozière", "Baptiste Roziere") and 143 with a hyphen and with a space or nothing ("Jean-Baptiste
    Alayrac", "Jean Baptiste Alayrac"; "Jia-Bin Huang", "Jiabin Huang"). The watch list missed the other spelling."""
    settings = WatchSettings(authors=("Jürgen Schmidhuber", "Mikołaj Zieliński", "Jia-Bin Huang", "Xiaoming Wu",
                                      "Jurgen Schmidhuber"))
    assert reasons(settings, paper("X", authors=("Jurgen Schmidhuber",))) == ("author: Jürgen Schmidhuber",)
    assert reasons(settings, paper("X", authors=("JÜRGEN SCHMIDHÜBER",))) == ("author: Jürgen Schmidhuber",)
    assert reasons(settings, paper("X", authors=("Mikolaj Zielinski",))) == ("author: Mikołaj Zieliński",)
    for written in ("Jiabin Huang", "Jia Bin Huang", "Jia\u2010bin Huang"):
        assert reasons(settings, paper("X", authors=(written,))) == ("author: Jia-Bin Huang",), written
    assert reasons(settings, paper("X", authors=("Xiao-Ming Wu",))) == ("author: Xiaoming Wu",)
    # letters of other scripts keep their marks: they are letters of their own (Й is not И)
    cyrillic = WatchSettings(authors=("Иван Йордан",))
    assert reasons(cyrillic, paper("X", authors=("Иван Иордан",))) == ()
    # not a part of another name, nor the same letters in other words
    assert reasons(settings, paper("X", authors=("Jia Huang", "Bin Huang", "Jiab In Huang"))) == ()


def test_german_umlauts_are_watched_written_as_ae_oe_ue() -> None:
    """Hugging Face lists "Jürgen Schmidhuber" as "Juergen Schmidhuber" on some papers (and Philipp Krähenbühl, Michael
    Zollhöfer likewise): read without accents alone, "Jürgen" was "jurgen" and missed them."""
    settings = WatchSettings(authors=("Jürgen Schmidhuber", "Philipp Kraehenbuehl"))
    for written in ("Juergen Schmidhuber", "Jurgen Schmidhuber", "JÜRGEN SCHMIDHUBER"):
        assert reasons(settings, paper("X", authors=(written,))) == ("author: Jürgen Schmidhuber",), written
    assert reasons(settings, paper("X", authors=("Philipp Krähenbühl",))) == ("author: Philipp Kraehenbuehl",)
    assert reasons(settings, paper("X", authors=("Juergen Schmidhub",))) == ()


def test_names_with_a_quoted_nickname_or_a_footnote_mark_are_watched() -> None:
    """Hugging Face lists some authors with their nickname ('Linxi "Jim" Fan', 6 days of a real archive) or a
    footnote mark ("Shuhan Song§"), the same people as "Linxi Fan" and "Shuhan Song" on their other papers."""
    settings = WatchSettings(authors=("Linxi Fan", 'Zhangyang "Atlas" Wang', "Shuhan Song"))
    assert reasons(settings, paper("X", authors=('Linxi "Jim" Fan',))) == ("author: Linxi Fan",)
    assert reasons(settings, paper("X", authors=("Linxi \u201cJim\u201d Fan",))) == ("author: Linxi Fan",)
    assert reasons(settings, paper("X", authors=("Zhangyang Wang",))) == ('author: Zhangyang "Atlas" Wang',)
    assert reasons(settings, paper("X", authors=("Shuhan Song\u00a7", "Ada*"))) == ("author: Shuhan Song",)
    # the nickname is no name of its own, and a quote inside a word is kept
    assert reasons(settings, paper("X", authors=("Jim Fan", '"Jim" Fan', "Linxi", 'Shuhan Son"g'))) == ()


def test_a_name_with_a_stray_comma_or_semicolon_is_watched() -> None:
    settings = WatchSettings(authors=("Ada Lovelace", "Grace Hopper,"))
    assert reasons(settings, paper("X", authors=("Ada Lovelace,",))) == ("author: Ada Lovelace",)
    assert reasons(settings, paper("X", authors=("; Lovelace, Ada",))) == ("author: Ada Lovelace",)
    assert reasons(settings, paper("X", authors=("Grace Hopper",))) == ("author: Grace Hopper,",)
    assert reasons(settings, paper("X", authors=("Ada, Lovelace, Grace",))) == ()  # a list is no stray comma


def test_matching_a_paper_does_not_go_over_the_whole_watch_list() -> None:
    # Every paper went over every watched name: a list of 5,000 names took 3 s for 20,000 papers.
    import sys

    import generator.watch

    papers = [paper("X", authors=(f"Author {number}", "Ada Lovelace"), pid=f"p{number}") for number in range(50)]

    def lines_run(names: int) -> int:
        watcher = Watcher(WatchSettings(authors=("Ada Lovelace", *(f"Watched {n}" for n in range(names)))))
        count = 0

        def trace(frame: object, event: str, _arg: object) -> object:
            nonlocal count
            if frame.f_code.co_filename == generator.watch.__file__:  # type: ignore[attr-defined]
                count += event == "line"
            return trace

        sys.settrace(trace)
        try:
            found = watcher.match(papers)
        finally:
            sys.settrace(None)
        assert found == [("author: Ada Lovelace",)] * len(papers)
        return count

    assert lines_run(2_000) == lines_run(20)


def test_a_paper_by_hundreds_of_watched_authors_names_five_reasons_and_the_number_of_the_rest() -> None:
    # Watching a collaboration's members marked each of its papers with every one of them: a line of a thousand
    # names on every card, paper page, feed entry and email.
    members = tuple(f"Member {number}" for number in range(1000))
    settings = WatchSettings(authors=members[::2], phrases=("energy",))
    found = reasons(settings, paper("Energy", authors=members))
    assert found == (*(f"author: Member {number}" for number in range(0, 10, 2)), "and 496 more")
    # One reason more than five is named rather than counted.
    found = reasons(settings, paper("Energy", authors=members[:10]))
    assert found == (*(f"author: Member {number}" for number in range(0, 10, 2)), "phrase: energy")
    # A phrase listed twice in digest.yml is one reason, named once.
    assert reasons(WatchSettings(phrases=("energy", "energy")), paper("Energy")) == ("phrase: energy",)
    # Two more than five are counted: the limit holds from the seventh reason on, not only for hundreds.
    found = reasons(settings, paper("Energy", authors=members[:12]))
    assert found == (*(f"author: Member {number}" for number in range(0, 10, 2)), "and 2 more")


def test_phrases_match_whole_words_with_the_keyword_variants() -> None:
    settings = WatchSettings(phrases=("diffusion policy", "transformer", "LLM"))
    assert reasons(settings, paper("Diffusion Policies for Robots")) == ("phrase: diffusion policy",)
    assert reasons(settings, paper("A diffusion-policy prior")) == ("phrase: diffusion policy",)
    assert reasons(settings, paper("T", "We train a DIFFUSION POLICY.")) == ("phrase: diffusion policy",)
    assert reasons(settings, paper("Vision Transformers")) == ("phrase: transformer",)
    # whole words only, and the words in order
    assert reasons(settings, paper("Transformerless models")) == ()
    assert reasons(settings, paper("Policy diffusion in networks")) == ()
    assert reasons(settings, paper("Diffusionpolicy")) == ()
    # case-insensitive, even for a phrase written in capitals (topic keywords in capitals are case-sensitive)
    assert reasons(settings, paper("Small llms reason")) == ("phrase: LLM",)
    both = paper("Transformers as diffusion policies", authors=("Ada",))
    assert reasons(settings, both) == ("phrase: diffusion policy", "phrase: transformer")


def test_phrases_written_two_ways_are_one_reason_named_by_the_first() -> None:
    """A list with "diffusion policy" and "diffusion policies" (or "mixture-of-experts" and "mixture of experts")
    marked a paper "phrase: diffusion policy; phrase: diffusion policies", each spelling taking one of the five
    reasons shown."""
    settings = WatchSettings(phrases=("diffusion policy", "Diffusion Policies", "mixture-of-experts",
                                      "mixture of experts", "LLM", "llms", "meta-analyses", "meta-analysis", "policy"))
    text = paper("Diffusion policies as a mixture of experts", "An LLM meta-analysis of policies.")
    assert reasons(settings, text) == ("phrase: diffusion policy", "phrase: mixture-of-experts", "phrase: LLM",
                                       "phrase: meta-analyses", "phrase: policy")
    # a phrase that finds the other's papers and more is a phrase of its own
    assert reasons(settings, paper("A policy")) == ("phrase: policy",)


def test_a_phrase_written_with_a_hyphen_finds_the_words_written_as_one() -> None:
    """"pre-training" missed every abstract that wrote "pretraining" (as many as wrote "pre-training" in 580 days of
    Hugging Face daily papers), "k-NN" every "kNN"."""
    settings = WatchSettings(phrases=("pre-training", "k-NN", "fine\u2010tuned model"))
    for text in ("Pretraining at Scale", "Pre-training at scale", "pre training", "Two pretrainings"):
        assert reasons(settings, paper(text)) == ("phrase: pre-training",), text
    assert reasons(settings, paper("A kNN baseline")) == ("phrase: k-NN",)
    assert reasons(settings, paper("Finetuned models forget")) == ("phrase: fine\u2010tuned model",)
    # still whole words, and a phrase written as one word finds that word only
    assert reasons(settings, paper("Retraining and pretrainingless models", "A kNNet of finetuned heads.")) == ()
    assert reasons(WatchSettings(phrases=("pretraining",)), paper("Pre-training at scale")) == ()
    # an exclude written with a hyphen vetoes the word written as one, as it is matched the same way
    vetoed = WatchSettings(authors=("Ada",), exclude=("pre-training",))
    assert reasons(vetoed, paper("Pretraining", authors=("Ada",))) == ()


def test_phrases_find_the_greek_and_latin_plurals_both_ways() -> None:
    # "analysis" found "analysises" but never "analyses", though the README promises plural and singular.
    settings = WatchSettings(phrases=("meta-analysis", "criterion", "spectra", "stimulus", "loci"))
    assert reasons(settings, paper("Three meta-analyses of trials")) == ("phrase: meta-analysis",)
    assert reasons(settings, paper("Stopping criteria for solvers")) == ("phrase: criterion",)
    assert reasons(settings, paper("A stellar spectrum")) == ("phrase: spectra",)
    assert reasons(settings, paper("Visual stimuli")) == ("phrase: stimulus",)
    assert reasons(settings, paper("One genetic locus")) == ("phrase: loci",)
    # the singular's own other forms are not made up: "analysis" does not find the verb "analyse"
    assert reasons(WatchSettings(phrases=("analysis",)), paper("Analyse this")) == ()


def test_phrases_match_titles_and_abstracts_written_in_latex_as_readers_see_them() -> None:
    # The pages show Schr\"odinger as "Schrödinger" (latex_text.py), but the watch list read it as written: a phrase
    # copied from the page matched nothing.
    settings = WatchSettings(phrases=("Schrödinger bridge", "Poincaré inequality"), exclude=("Erdős",))
    assert reasons(settings, paper('Schr\\"odinger Bridges')) == ("phrase: Schrödinger bridge",)
    assert reasons(settings, paper("T", "A sharp Poincar\\'{e} inequality.")) == ("phrase: Poincaré inequality",)
    assert reasons(settings, paper('Schr\\"odinger Bridges', "After Erd\\H{o}s.")) == ()  # exclude too


def test_phrases_written_in_latex_match_as_the_texts_do(tmp_path: Path) -> None:
    # A phrase copied from a BibTeX title (Schr\"odinger bridge) matched nothing, not even that very title, and the
    # build warned that it was matched as "Schr odinger bridge".
    settings = WatchSettings(phrases=('Schr\\"odinger bridge',), exclude=("Erd{\\H o}s",))
    for title in ("Schrödinger Bridges", 'Schr\\"odinger Bridges', 'Schr{\\"o}dinger bridges'):
        assert reasons(settings, paper(title)) == ('phrase: Schr\\"odinger bridge',), title  # named as written
    assert reasons(settings, paper("Schrödinger Bridges", "After Erdős.")) == ()
    assert reasons(settings, paper("Schr odinger bridges")) == ()
    watch = {"phrases": ['Schr\\"odinger bridge'], "exclude": ["Erd{\\H o}s"]}
    _, warnings = load_config(write_config(tmp_path, watch))
    assert warnings == []


def test_chinese_and_japanese_phrases_match_text_written_without_spaces() -> None:
    # A run of Chinese characters was one "word": 模型 never matched 大型语言模型的神经网络研究.
    settings = WatchSettings(phrases=("模型", "神经网络", "ニューラルネットワーク"))
    assert reasons(settings, paper("大型语言模型的神经网络研究")) == ("phrase: 模型", "phrase: 神经网络")
    japanese = paper("T", "深層ニューラルネットワークの学習について。")
    assert reasons(settings, japanese) == ("phrase: ニューラルネットワーク",)
    assert reasons(settings, paper("大型语言模的型研究")) == ()  # the characters in order, next to each other


def test_exclude_vetoes_any_match_as_a_whole_word() -> None:
    settings = WatchSettings(authors=("Yann LeCun",), phrases=("energy model",), exclude=("survey",))
    assert reasons(settings, paper("Energy models", authors=("Yann LeCun",))) == (
        "author: Yann LeCun", "phrase: energy model")
    assert reasons(settings, paper("A Survey of Energy Models", authors=("Yann LeCun",))) == ()
    assert reasons(settings, paper("Energy models", "Two surveys agree.")) == ()
    assert reasons(settings, paper("Energy models for surveillance")) == ("phrase: energy model",)


def test_watched_papers_is_empty_without_a_watch_list_and_independent_of_order() -> None:
    items = [paper("Transformers", pid="b"), paper("Other", pid="c"), paper("Transformer", pid="a")]
    assert watched_papers(items, None) == {}
    settings = WatchSettings(phrases=("transformer",))
    assert list(watched_papers(items, settings)) == ["a", "b"]
    assert watched_papers(items[::-1], settings) == watched_papers(items, settings)


# Settings ---------------------------------------------------------------------------------------


def write_config(folder: Path, watch: object) -> Path:
    path = folder / "digest.yml"
    path.write_text(yaml.safe_dump({"watch": watch}, allow_unicode=True), encoding="utf-8")
    return path


def test_watch_settings_are_read(tmp_path: Path) -> None:
    config, warnings = load_config(write_config(tmp_path, {
        "authors": ["Yann  LeCun"], "phrases": ["diffusion policy"], "exclude": ["survey"], "extra": 1}))
    assert config.watch == WatchSettings(authors=("Yann LeCun",), phrases=("diffusion policy",), exclude=("survey",))
    assert [w.message for w in warnings] == ["watch: unknown setting 'extra' ignored"]
    config, _ = load_config(write_config(tmp_path, {"phrases": ["x"]}))
    assert config.watch == WatchSettings(phrases=("x",))
    (tmp_path / "digest.yml").write_text("out: content\n", encoding="utf-8")
    assert load_config(tmp_path / "digest.yml")[0].watch is None


def test_a_watched_phrase_with_symbols_is_warned_about(tmp_path: Path) -> None:
    """"C++" is the word "C" (symbols are not part of words): it would watch every paper with a "C" in it."""
    config, warnings = load_config(write_config(tmp_path, {
        "authors": ["A+B Lab"], "phrases": ["C++", "diffusion policy"], "exclude": ["R&D"]}))
    assert config.watch == WatchSettings(authors=("A+B Lab",), phrases=("C++", "diffusion policy"), exclude=("R&D",))
    assert [w.message for w in warnings] == [  # in the file's order; author names are matched as written
        "watch: exclude: 'R&D' is matched as 'R D': symbols (&) are not part of words, so it also finds 'R D' alone",
        "watch: phrases: 'C++' is matched as 'C': symbols (+) are not part of words, so it also finds 'C' alone",
    ]



def test_a_watched_phrase_of_common_words_only_is_warned_about(tmp_path: Path) -> None:
    """`exclude: [the]` vetoed every paper and the watch page said "No paper matches the watch list yet"."""
    _, warnings = load_config(write_config(tmp_path, {"phrases": ["of the", "diffusion policy"], "exclude": ["The"]}))
    assert [w.message for w in warnings] == [  # in the file's order (write_config sorts the keys)
        "watch: exclude: item 1 ('The') is only common words: it vetoes nearly every paper",
        "watch: phrases: item 1 ('of the') is only common words: it watches nearly every paper",
        "watch: phrases: item 1 ('of the') holds watch.exclude item 1 ('The'): every paper it finds is vetoed, so it"
        " watches nothing",
    ]


def test_a_watched_phrase_that_an_exclude_vetoes_is_warned_about(tmp_path: Path) -> None:
    """`phrases: [survey]` with `exclude: [survey]` watched nothing, and the build said nothing of it."""
    config, warnings = load_config(write_config(tmp_path, {
        "phrases": ["RL", "survey", "diffusion policies", "模型"], "exclude": ["benchmark", "Surveys", "policy"]}))
    assert config.watch is not None and config.watch.phrases == ("RL", "survey", "diffusion policies", "模型")
    assert [w.message for w in warnings] == [
        "watch: phrases: item 2 ('survey') holds watch.exclude item 2 ('Surveys'): every paper it finds is vetoed, so"
        " it watches nothing",
        "watch: phrases: item 3 ('diffusion policies') holds watch.exclude item 3 ('policy'): every paper it finds is"
        " vetoed, so it watches nothing",
    ]
    assert all(re.match(r".*digest\.yml:[0-9]+: ", str(warning)) for warning in warnings)  # the phrase's line
    # an exclude that only some of a phrase's papers hold is what exclude is for
    _, warnings = load_config(write_config(tmp_path, {"phrases": ["policy", "RL"], "exclude": ["diffusion policy"]}))
    assert warnings == []


@pytest.mark.parametrize(
    ("watch", "message"),
    [
        (["Yann LeCun"], "'watch' must be a mapping"),
        (None, "'watch' must be a mapping"),
        ({"authors": "Yann LeCun"}, "watch.authors must be a list of text, in brackets: authors: [Yann LeCun]"),
        ({"phrases": 7}, "watch.phrases must be a list of text (int given)"),
        ({"authors": ["Yann LeCun", 3]}, "watch.authors: item 2 must be text, not int (YAML reads a bare number as a"
                                         " number: put it in quotes)"),
        # phrases: [on] -- YAML reads the word as true
        ({"phrases": ["GAN", True]}, "watch.phrases: item 2 must be text, not bool (YAML reads a bare on, off, yes, no"
                                     ", true or false as a yes-or-no value: put it in quotes)"),
        ({"authors": ["  "]}, "watch.authors: item 1 is empty"),
        # a dash with nothing after it said "must be text, not NoneType"
        ({"authors": ["Yann LeCun", None]}, "watch.authors: item 2 is empty"),
        # `- RAG: retrieval` is a mapping to YAML; it said "must be text, not dict"
        ({"phrases": [{"RAG": "retrieval"}]}, "watch.phrases: item 1 must be text, not mapping (YAML reads"
                                              " 'RAG: retrieval', with a colon and a space, as a key and its value:"
                                              " put the item in quotes)"),
        ({"phrases": ["ok", ""]}, "watch.phrases: item 2 is empty"),
        ({"phrases": ["!!!"]}, "watch.phrases: item 1 ('!!!') has no word to match"),
        ({"authors": ["A"], "exclude": [["survey"]]}, "watch.exclude: item 1 must be text, not list"),
        ({"exclude": ["survey"]}, "watch needs at least one name in watch.authors or phrase in watch.phrases"),
        ({}, "watch needs at least one name"),
    ],
)
def test_bad_watch_settings_are_errors_naming_the_file_and_field(tmp_path: Path, watch: object, message: str) -> None:
    path = write_config(tmp_path, watch)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert re.match(rf"{re.escape(str(path))}:[0-9]+: ", str(error.value)), str(error.value)  # the setting's line
    assert message in str(error.value)


# A site with a watch list, built with MkDocs ----------------------------------------------------


def record(number: int, title: str, authors: list[str], abstract: str = "We study a question of interest.") -> dict:
    return {"title": title, "abstract": abstract, "authors": authors, "arxiv": f"2611.{number:05d}"}


OLDER = [  # 2026-11-20
    record(1, "Energy-Based Models Revisited", ["Yann LeCun", "Ada Lovelace"], "Cameras for surveillance."),
    record(2, "Diffusion Policies for Robot Manipulation", ["Ada Lovelace"]),
    record(3, "Grasping with a Diffusion-Policy Prior", ["Alan Turing"]),
    record(4, "Transformerless Sequence Models", ["Alan Turing"], "We avoid attention entirely."),
]
NEWER = [  # 2026-11-27
    record(5, "Sparse Coding Revisited", ["José García Lorca"]),
    record(6, "A Survey of Energy-Based Models", ["Yann LeCun"]),
    record(7, "Attention Please", [HOSTILE_NAME]),
    record(8, f"Rendering {HOSTILE_PHRASE} Safely", ["Grace Hopper"]),
    record(9, "Transformers for Tabular Data", ["Grace Hopper"]),
    record(10, "Kernel Methods at Scale", ["JOSÉ GARCÍA"]),
]
WATCH = {
    "authors": ["Yann LeCun", "josé garcía", HOSTILE_NAME],
    "phrases": ["diffusion policy", "transformer", HOSTILE_PHRASE],
    "exclude": ["survey"],
}
# Newest issue first, by title within an issue; three a page.
EXPECTED_ORDER = ["2611.00007", "2611.00010", "2611.00008", "2611.00009", "2611.00002", "2611.00001", "2611.00003"]
REASONS = {
    "2611.00001": "author: Yann LeCun",
    "2611.00002": "phrase: diffusion policy",
    "2611.00003": "phrase: diffusion policy",
    "2611.00007": f"author: {HOSTILE_NAME}",
    "2611.00008": f"phrase: {HOSTILE_PHRASE}",
    "2611.00009": "phrase: transformer",
    "2611.00010": "author: josé garcía",
}


def write_issues(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for date, papers in (("2026-11-20", OLDER), ("2026-11-27", NEWER)):
        (folder / f"{date}.yaml").write_text(yaml.safe_dump({"date": date, "papers": papers}, allow_unicode=True),
                                             encoding="utf-8")
    return folder


def watch_project(folder: Path, watch: dict | None) -> Path:
    project = make_project(folder / "project", papers=write_issues(folder / "issues"))
    settings: dict = {"topic_page_size": 3, "feeds": {"id_prefix": PREFIX}}
    if watch is not None:
        settings["watch"] = watch
    (project / "digest.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def watch_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = watch_project(tmp_path_factory.mktemp("watch"), WATCH)
    run_digest("build", "--quiet", cwd=project)
    mkdocs_build(project)
    return project


def card_ids(page: str) -> list[str]:
    return re.findall(r'<h2 class="digest-card__title"><a href="[./]*papers/([^/"]+)/"', page)


def mark(reason: str, tag: str = "span") -> str:
    from markupsafe import escape

    return f'<{tag} class="digest-watched"><strong>Watched</strong>: {escape(reason)}</{tag}>'


def test_watch_page_lists_the_watched_papers_newest_first_in_pages(watch_site: Path) -> None:
    site = watch_site / "site"
    pages = [(site / "watch" / "index.html").read_text(encoding="utf-8")]
    pages += [(site / "watch" / f"page-{n}" / "index.html").read_text(encoding="utf-8") for n in (2, 3)]
    assert not (site / "watch" / "page-4").exists()
    assert [card_ids(page) for page in pages] == [EXPECTED_ORDER[:3], EXPECTED_ORDER[3:6], EXPECTED_ORDER[6:]]
    assert "<strong>7</strong> papers, newest first" in pages[0]
    assert '<a rel="next" href="page-2/">Older →</a>' in pages[0]
    assert '<a rel="prev" href="../">← Newer</a>' in pages[1] and '<a rel="next" href="../page-3/">' in pages[1]
    assert 'rel="next"' not in pages[2].split("digest-pages")[-1]
    for page in pages:
        for paper_id in card_ids(page):
            assert mark(REASONS[paper_id]) in page
    assert 'href="../watch.atom.xml"' in pages[0]  # Material's feed autodiscovery link
    nav = (watch_site / "content" / ".nav.yml").read_text(encoding="utf-8")
    assert "- Watch list: watch/index.md\n" in nav


def test_cards_and_paper_pages_carry_the_mark_and_reason(watch_site: Path) -> None:
    site = watch_site / "site"
    for paper_id, reason in REASONS.items():
        page = paper_page_html(site, paper_id)
        assert mark(reason, "div") in page, paper_id
    for paper_id in ("2611.00004", "2611.00005", "2611.00006"):  # no match, a longer name, vetoed
        assert "digest-watched" not in paper_page_html(site, paper_id)
    # topic pages' cards carry it too: each watched paper's card on some topic page
    topic_pages = "".join(p.read_text(encoding="utf-8") for p in (site / "topics").rglob("index.html"))
    for reason in REASONS.values():
        assert mark(reason) in topic_pages
    assert topic_pages.count("digest-watched") >= len(REASONS)


def test_issue_pages_and_the_home_page_mark_the_watched_papers_lines(watch_site: Path) -> None:
    """The issue page, where a reader meets the day's papers, had no mark: a watched paper looked like any other."""
    import html

    site = watch_site / "site"
    pages = {"home": (site / "index.html").read_text(encoding="utf-8")}
    pages |= {day: (site / "issues" / day / "index.html").read_text(encoding="utf-8")
              for day in ("2026-11-20", "2026-11-27")}
    lines = {(name, found): line for name, page in pages.items()
             for found, line in re.findall(r'<li><a href="[./]*papers/([^/"]+)/">(.*?)</li>', page, re.DOTALL)}
    issue_lines = {paper_id for name, paper_id in lines if name != "home"}
    assert issue_lines == {f"2611.{number:05d}" for number in range(1, 11)}
    assert {paper_id for name, paper_id in lines if name == "home"} == {f"2611.{number:05d}" for number in range(5, 11)}
    for (_, paper_id), line in lines.items():
        marks = re.findall(r'<span class="digest-watched">(.*?)</span>', line)
        if paper_id in REASONS:
            assert [html.unescape(re.sub(r"</?strong>", "", found)) for found in marks] == [
                f"Watched: {REASONS[paper_id]}"], paper_id
        else:
            assert marks == [], paper_id


def test_hostile_names_and_phrases_stay_text(watch_site: Path) -> None:
    site = watch_site / "site"
    for path in [*site.rglob("*.html"), *site.glob("*.xml"), site / "feeds.opml"]:
        text = path.read_text(encoding="utf-8")
        assert HOSTILE_NAME not in text, path
        assert HOSTILE_PHRASE not in text, path
    page = paper_page_html(site, "2611.00007")
    assert "author: &lt;script&gt;alert(&#39;watch&#39;)&lt;/script&gt;" in page
    assert "phrase: &lt;img src=x onerror=alert(1)&gt;" in paper_page_html(site, "2611.00008")


def test_watch_feeds_are_valid_with_stable_paper_ids(watch_site: Path) -> None:
    content = watch_site / "content"
    atom, rss = (content / "watch.atom.xml").read_bytes(), (content / "watch.rss.xml").read_bytes()
    assert atom_problems(atom) == [] and rss_problems(rss) == []
    site_feed = feedparser.parse((content / "atom.xml").read_bytes())
    site_ids = {entry.id for entry in site_feed.entries}
    for data in (atom, rss):
        feed = feedparser.parse(data)
        assert not feed.bozo, feed.get("bozo_exception")
        assert [entry.id for entry in feed.entries] == [f"{PREFIX}paper/{pid}" for pid in EXPECTED_ORDER]
        assert {entry.id for entry in feed.entries} <= site_ids  # the same entry in both feeds
        assert [entry.link for entry in feed.entries] == [
            f"https://paper-digest.github.io/paper-digest/papers/{pid}/" for pid in EXPECTED_ORDER]
        assert feed.entries[0].title == "Attention Please"
        body = feed.entries[3].content[0].value if "content" in feed.entries[3] else feed.entries[3].summary
        assert "Watched: phrase: transformer" in body
    parsed = feedparser.parse(atom)
    assert parsed.feed.id == f"{PREFIX}feed/watch"
    assert parsed.feed.title.endswith(": watch list")
    # content keeps a hostile reason as text: feedparser hands back the decoded HTML of the entry
    assert "&lt;img src=x onerror=alert(1)&gt;" in parsed.entries[2].content[0].value


def test_watch_feed_ids_do_not_change_when_an_issue_arrives(watch_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(watch_site, project, ignore=shutil.ignore_patterns("site"))
    newer = {"date": "2026-11-28", "papers": [record(11, "Diffusion Policy Distillation", ["Ada Lovelace"])]}
    (project / "data" / "issues" / "2026-11-28.yaml").write_text(yaml.safe_dump(newer), encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    before = feedparser.parse((watch_site / "content" / "watch.atom.xml").read_bytes())
    after = feedparser.parse((project / "content" / "watch.atom.xml").read_bytes())
    assert [e.id for e in after.entries] == [f"{PREFIX}paper/2611.00011"] + [e.id for e in before.entries]


def test_opml_and_subscribe_page_list_the_watch_feeds(watch_site: Path) -> None:
    opml = (watch_site / "content" / "feeds.opml").read_bytes()
    assert opml_problems(opml) == []
    assert b'xmlUrl="https://paper-digest.github.io/paper-digest/watch.atom.xml"' in opml
    assert b'htmlUrl="https://paper-digest.github.io/paper-digest/watch/"' in opml
    subscribe = (watch_site / "site" / "subscribe" / "index.html").read_text(encoding="utf-8")
    assert 'href="../watch.atom.xml">https&#58;//paper-digest.github.io/paper-digest/watch.atom.xml</a>' in subscribe
    assert 'href="../watch.rss.xml">https&#58;//paper-digest.github.io/paper-digest/watch.rss.xml</a>' in subscribe
    assert 'href="../watch/">Watch list</a>' in subscribe


def test_absent_watched_authors_are_noted_with_the_spelling_the_papers_have() -> None:
    """"Huang Gao" (for "Gao Huang") and "Y. LeCun" watched nothing, and the build said nothing of it."""
    from generator.watch import absent_authors

    papers = [paper("X", authors=("Gao Huang", "Yann LeCun", "Yves LeCun", "Ada Lovelace")),
              paper("Y", authors=("Jürgen Schmidhuber", "Jia-Bin Huang"), pid="p2")]
    settings = WatchSettings(authors=("Huang Gao", "Y. LeCun", "Jurgen Schmidhuber", "Jiabin Huang", "A. Turing",
                                      "Nobody", "LeCun, Y."))
    assert absent_authors(papers, settings) == [
        "watch.authors: 'Huang Gao' is on no paper, but 'Gao Huang' is: a watched name matches as written (in that"
        " order, not as initials); write it as the papers do",
        "watch.authors: 'Y. LeCun' is on no paper, but 'Yann LeCun', 'Yves LeCun' are: a watched name matches as"
        " written (in that order, not as initials); write it as the papers do",
        "watch.authors: no paper is by 'A. Turing', 'Nobody' yet (a watched name matches a paper's author as written)",
    ]
    assert absent_authors(papers, WatchSettings(authors=("Ada Lovelace",), phrases=("x",))) == []
    assert absent_authors(papers, WatchSettings(phrases=("x",))) == absent_authors(papers, None) == []
    many = WatchSettings(authors=tuple(f"Nobody {number}" for number in range(8)))
    assert absent_authors(papers, many) == ["watch.authors: no paper is by 'Nobody 0', 'Nobody 1', 'Nobody 2', 'Nobody"
                                            " 3', 'Nobody 4' and 3 more yet (a watched name matches a paper's author"
                                            " as written)"]


def test_digest_build_notes_a_watched_author_on_no_paper(tmp_path: Path) -> None:
    project = watch_project(tmp_path, {**WATCH, "authors": [*WATCH["authors"], "LeCun Yann", "Grace  Hopper"]})
    result = run_digest("build", cwd=project)
    output = result.stdout + result.stderr
    assert ("digest.yml: note: watch.authors: 'LeCun Yann' is on no paper, but 'Yann LeCun' is: a watched name"
            " matches as written (in that order, not as initials); write it as the papers do") in output
    assert "Grace" not in output and "josé" not in output  # the names on papers are not noted


def test_a_site_without_watch_has_none_of_it(tmp_path: Path) -> None:
    project = watch_project(tmp_path, None)
    run_digest("build", "--quiet", cwd=project)
    site = mkdocs_build(project)
    assert not (project / "content" / "watch").exists() and not (site / "watch").exists()
    assert not list((project / "content").glob("watch.*")) and not list(site.glob("watch.*"))
    for path in [*(project / "content").rglob("*"), *site.rglob("*.html"), site / "feeds.opml"]:
        if path.is_file() and path.suffix in (".md", ".yml", ".html", ".xml", ".opml", ".shard"):
            text = path.read_text(encoding="utf-8")
            assert "digest-watched" not in text and "Watch list" not in text and "watch.atom" not in text, path


def test_the_small_fixture_with_a_watch_list_only_adds(tmp_path: Path) -> None:
    """The same archive with a watch list: the pages it adds, and every other file only gains the mark."""
    plain, watched = tmp_path / "plain", tmp_path / "watched"
    shutil.copytree(SMALL, plain)
    shutil.copytree(SMALL, watched)
    with (watched / "digest.yml").open("a", encoding="utf-8") as handle:
        handle.write("watch:\n  phrases: [nothing matches this phrase]\n")
    for project in (plain, watched):
        run_digest("build", "--quiet", cwd=project)
    before = {p.relative_to(plain / "content").as_posix() for p in (plain / "content").rglob("*") if p.is_file()}
    after = {p.relative_to(watched / "content").as_posix() for p in (watched / "content").rglob("*") if p.is_file()}
    assert after - before == {"watch/index.md", "watch.atom.xml", "watch.rss.xml"}
    assert before <= after
    page = (watched / "content" / "watch" / "index.md").read_text(encoding="utf-8")
    assert "No paper matches the watch list yet." in page and "<strong>0</strong> papers" in page
    for name in before - {"feeds.opml", "subscribe.md", ".nav.yml", ".digest-manifest.json"}:
        assert (plain / "content" / name).read_bytes() == (watched / "content" / name).read_bytes(), name


@pytest.mark.checker
def test_the_nu_checker_finds_no_error_in_the_watch_pages(watch_site: Path) -> None:
    site = watch_site / "site"
    pages = [site / "watch" / "index.html", site / "watch" / "page-3" / "index.html",
             site / "papers" / "2611.00007" / "index.html", site / "subscribe" / "index.html"]
    pages += sorted((site / "topics").glob("*/index.html"))
    errors = nu_check(pages, site)
    assert not errors, "the Nu HTML checker found errors:\n" + "\n".join(errors)


def test_watch_output_is_byte_identical_whatever_the_hash_seed_and_file_order(tmp_path: Path) -> None:
    outputs = [tree(project / "content")
               for project in built_in_two_orders(tmp_path, lambda folder: watch_project(folder, WATCH))]
    assert "watch/page-3.md" in outputs[0] and "watch.atom.xml" in outputs[0]
    assert outputs[0] == outputs[1]


def test_removing_the_watch_setting_removes_its_pages_and_feeds(tmp_path: Path) -> None:
    project = watch_project(tmp_path, WATCH)
    run_digest("build", "--quiet", cwd=project)
    assert (project / "content" / "watch" / "page-2.md").exists()
    (project / "digest.yml").write_text(yaml.safe_dump({"topic_page_size": 3, "feeds": {"id_prefix": PREFIX}}),
                                        encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    assert not (content / "watch").exists() and not list(content.glob("watch.*"))
    assert not [path for path in content.rglob("*") if path.is_file() and b"digest-watched" in path.read_bytes()]
