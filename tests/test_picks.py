"""Picks from a reading list (issue 18): the reading list, scoring, settings, the record, the page, feeds and CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import numpy as np
import pytest
import scipy.sparse as sp
import yaml

from generator.config import PicksSettings, load_config
from generator.errors import ConfigError
from generator.model import Paper
from generator.picks import Picks, write_record
from generator.picks.reading_list import Entry, ReadingList, read_reading_list
from generator.picks.record import read_record, record_text
from generator.picks.scoring import CONTRAST, PRIOR_PAPERS, Background, Pick, Scorer, in_reading_list
from generator.topics.features import BUCKETS, Vectorizer, document_frequency, paper_text, weighted
from tests.checkers import nu_check
from tests.conftest import (
    SMALL,
    built_in_two_orders,
    make_project,
    mkdocs_build,
    paper_page_html,
    read_only,
    run_digest,
    tree,
)
from tests.feed_checks import atom_problems, opml_problems, rss_problems

FIXTURES = Path(__file__).parent / "fixtures" / "picks"
PREFIX = "tag:example.org,2026:"
SITE = "https://paper-digest.github.io/paper-digest/"
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} Graph Colouring and the Chromatic Number"
DDPM = "Denoising Diffusion Probabilistic Models"
SELF_CONSISTENCY = "Self-Consistency Improves Chain of Thought Reasoning in Language Models"
POLICY = "Diffusion Policy: Visuomotor Policy Learning via Action Diffusion"
# The fixture's picks (per_issue 3), best first: each paper's closest reading-list paper is its subject's.
FIRST = [("2201.11903", SELF_CONSISTENCY), ("2301.00101", HOSTILE), ("2303.01469", DDPM)]
SECOND = [("2010.02502", DDPM), ("2311.00303", HOSTILE), ("2305.10601", SELF_CONSISTENCY)]


# The reading list ---------------------------------------------------------------------------------


def test_a_bibtex_reading_list_keeps_the_good_entries_and_reports_the_broken_one() -> None:
    reading = read_reading_list(FIXTURES / "reading.bib", "reading.bib")
    assert [(e.title, bool(e.abstract), e.arxiv_id) for e in reading.entries] == [
        (DDPM, True, "2006.11239"),  # eprint, with an abstract
        (POLICY, False, "2303.04137"),  # an arXiv DOI, no abstract
        (SELF_CONSISTENCY, False, "2203.11171"),  # an arXiv URL, no abstract
        (HOSTILE, True, None),  # no id: matched by title only
    ]
    assert [str(p) for p in reading.problems] == [
        "reading.bib:27: cannot read this entry; skipped: Unexpectedly reached end of file."]


def test_a_list_of_arxiv_ids_takes_ids_urls_and_dois_and_reports_the_rest(tmp_path: Path) -> None:
    reading = read_reading_list(FIXTURES / "reading.txt", "reading.txt")
    assert reading.entries == [Entry(2, arxiv_id="2303.04137"), Entry(3, arxiv_id="2305.10601"),
                               Entry(4, arxiv_id="2401.99999")]
    assert [str(p) for p in reading.problems] == [
        "reading.txt:5: 'not an arxiv id' is not an arXiv id, an arXiv or Hugging Face URL or an arXiv DOI; skipped"]
    # A file that starts with an entry is BibTeX whatever its name
    path = tmp_path / "library.txt"
    path.write_text("% exported\n@misc{a, title = {A Title}, eprint = {hep-th/9711200}}\n", encoding="utf-8")
    assert read_reading_list(path).entries == [Entry(2, title="A Title", arxiv_id="hep-th/9711200")]


def test_links_as_people_share_them_and_google_scholars_bibtex_give_arxiv_ids(tmp_path: Path) -> None:
    """arXiv's own "?context=cs" links, www.arxiv.org, html pages, Hugging Face's page of a paper, and Google
    Scholar's `journal = {arXiv preprint arXiv:ID}` were "not an arXiv id" (or no id at all)."""
    ids = tmp_path / "reading.txt"
    ids.write_text("https://arxiv.org/abs/2006.11239?context=cs\nhttps://www.arxiv.org/pdf/2303.04137v2.pdf # a note\n"
                   "https://arxiv.org/html/2305.10601v1/#S3\nhttps://huggingface.co/papers/2401.00001\n"
                   "https://example.org/abs/2401.00002\n", encoding="utf-8")
    reading = read_reading_list(ids, "reading.txt")
    assert [entry.arxiv_id for entry in reading.entries] == ["2006.11239", "2303.04137", "2305.10601", "2401.00001"]
    assert [p.line for p in reading.problems] == [5]
    scholar = tmp_path / "scholar.bib"
    scholar.write_text("@article{vaswani2017attention,\n  title={Attention is all you need},\n"
                       "  journal={arXiv preprint arXiv:1706.03762},\n  year={2017}\n}\n", encoding="utf-8")
    assert [entry.arxiv_id for entry in read_reading_list(scholar).entries] == ["1706.03762"]


def test_ids_written_quoted_bracketed_with_commas_or_as_cited_dois_are_read(tmp_path: Path) -> None:
    """A column pasted from a spreadsheet ("2006.11239,"), a Python list, a link in angle brackets, a DOI cited with
    its "doi:" and a line of several ids were each "not an arXiv id"."""
    ids = tmp_path / "reading.txt"
    ids.write_text('2006.11239,\n"2303.04137",\n[2305.10601]\n<https://arxiv.org/abs/2401.00001v2>\n'
                   "doi:10.48550/arXiv.2401.00002\n2401.00003, 2401.00004;hep-th/9711200\n2401.00005 is good\n",
                   encoding="utf-8")
    reading = read_reading_list(ids, "reading.txt")
    assert [(entry.line, entry.arxiv_id) for entry in reading.entries] == [
        (1, "2006.11239"), (2, "2303.04137"), (3, "2305.10601"), (4, "2401.00001"), (5, "2401.00002"),
        (6, "2401.00003"), (6, "2401.00004"), (6, "hep-th/9711200")]
    assert [str(p) for p in reading.problems] == [  # a line with words beside its id is still reported whole
        "reading.txt:7: '2401.00005 is good' is not an arXiv id, an arXiv or Hugging Face URL or an arXiv DOI; skipped"]


def test_a_mistyped_arxiv_id_is_reported_not_noted_as_missing_at_every_build(tmp_path: Path) -> None:
    # "2507.1663" (a digit lost) or a month 13 was an id "not in the archive (yet)", noted at every build for ever.
    ids = tmp_path / "reading.txt"
    ids.write_text("2507.1663\n2513.12345\n1501.0001\n1412.12345\n0612.1234\nhep-th/9913001\n"
                   "0704.0001\n1412.9999\n1501.00001\nhep-th/9108001\nhttps://arxiv.org/abs/2507.1663v2\n",
                   encoding="utf-8")
    reading = read_reading_list(ids, "reading.txt")
    assert [entry.arxiv_id for entry in reading.entries] == ["0704.0001", "1412.9999", "1501.00001", "hep-th/9108001"]
    assert [str(problem) for problem in reading.problems] == [
        "reading.txt:1: '2507.1663' cannot be an arXiv id (ids of 2025 have 5 digits after the dot, not 4); skipped",
        "reading.txt:2: '2513.12345' cannot be an arXiv id (its YYMM is no month); skipped",
        "reading.txt:3: '1501.0001' cannot be an arXiv id (ids of 2015 have 5 digits after the dot, not 4); skipped",
        "reading.txt:4: '1412.12345' cannot be an arXiv id (ids of 2014 have 4 digits after the dot, not 5); skipped",
        "reading.txt:5: '0612.1234' cannot be an arXiv id (ids like it began in April 2007, with 0704); skipped",
        "reading.txt:6: 'hep-th/9913001' cannot be an arXiv id (its YYMM is no month); skipped",
        "reading.txt:11: 'https://arxiv.org/abs/2507.1663v2': 2507.1663 cannot be an arXiv id (ids of 2025 have 5"
        " digits after the dot, not 4); skipped"]


def test_ids_kept_as_a_markdown_or_numbered_list_or_as_markdown_links_are_read(tmp_path: Path) -> None:
    """A reading list kept as a Markdown list ("- 2006.11239", "1. ...", a task list's "- [x] ...") or of Markdown
    links ("[DDPM](https://arxiv.org/abs/2006.11239)") had each of its lines "not an arXiv id": nothing picked."""
    ids = tmp_path / "reading.md"
    ids.write_text("# Diffusion\n\n- 2006.11239\n* arXiv:2010.02502v2\n+ https://arxiv.org/abs/2303.04137\n"
                   "1. 2305.10601\n12) 2401.00001\n- [x] https://huggingface.co/papers/2401.00002\n- [ ] 2401.00003\n"
                   "[DDPM](https://arxiv.org/abs/2006.11240)\n- [Tree of Thoughts](<https://arxiv.org/pdf/2305.10602v2>)\n"
                   "- 2401.00004, 2401.00005\n- a paper I liked\n- [Blog](https://example.org/post)\n",
                   encoding="utf-8")
    reading = read_reading_list(ids, "reading.md")
    assert [(entry.line, entry.arxiv_id) for entry in reading.entries] == [
        (3, "2006.11239"), (4, "2010.02502"), (5, "2303.04137"), (6, "2305.10601"), (7, "2401.00001"),
        (8, "2401.00002"), (9, "2401.00003"), (10, "2006.11240"), (11, "2305.10602"), (12, "2401.00004"),
        (12, "2401.00005")]
    assert [str(problem) for problem in reading.problems] == [
        f"reading.md:{line}: {text!r} is not an arXiv id, an arXiv or Hugging Face URL or an arXiv DOI; skipped"
        for line, text in [(13, "- a paper I liked"), (14, "- [Blog](https://example.org/post)")]]


def test_a_bibtex_entry_saved_by_its_arxiv_id_alone_is_read_as_an_id(tmp_path: Path) -> None:
    """An entry with an arXiv id but no title (added by its id, its details never fetched) is what a list of ids
    holds: it was "missing or empty 'title'; skipped". One with neither is still reported."""
    path = tmp_path / "reading.bib"
    path.write_text("@misc{a, eprint = {2303.04137}}\n@misc{b, title = {}, url = {https://arxiv.org/abs/2305.10601}}\n"
                    "@misc{c, note = {to read}}\n", encoding="utf-8")
    reading = read_reading_list(path, "reading.bib")
    assert reading.entries == [Entry(1, arxiv_id="2303.04137"), Entry(2, arxiv_id="2305.10601")]
    assert [str(p) for p in reading.problems] == ["reading.bib:3: entry 'c': missing or empty 'title'; skipped"]


def test_entries_sharing_a_key_or_repeating_a_field_are_read_not_skipped(tmp_path: Path) -> None:
    """Mendeley writes one key for two papers of an author and year, and entries pasted from Google Scholar repeat
    theirs: the second entry was "cannot read this entry; skipped: Duplicate entry key", a paper of the list lost.
    An entry giving a field twice was skipped whole; now the first value is read, as BibTeX does, and reported."""
    path = tmp_path / "reading.bib"
    path.write_text(
        "@string{jmlr = {Journal of Machine Learning Research}}\n"
        "@article{Smith2020,\n  title = {Diffusion Policies for Robots},\n  eprint = {2303.04137},\n}\n"
        "@article{Smith2020,\n  title = {Self-{Consistency} by M{\\\"u}ller},\n  journal = jmlr,\n"
        "  url = {https://arxiv.org/abs/2203.11171},\n}\n"
        "@article{Jones2021,\n  title = {A Repeated Field},\n  eprint = {2006.11239},\n  eprint = {1234.5678},\n}\n",
        encoding="utf-8")
    reading = read_reading_list(path, "reading.bib")
    assert [(e.line, e.title, e.arxiv_id) for e in reading.entries] == [
        (2, "Diffusion Policies for Robots", "2303.04137"),
        (6, "Self-Consistency by Müller", "2203.11171"),
        (11, "A Repeated Field", "2006.11239"),
    ]
    assert [str(p) for p in reading.problems] == ["reading.bib:11: entry 'Jones2021': 'eprint' given twice; the first"
                                                  " is read"]


# Settings ---------------------------------------------------------------------------------------


def write_config(folder: Path, picks: object) -> Path:
    (folder / "reading.bib").write_text("@misc{a, title = {A}}\n", encoding="utf-8")
    path = folder / "digest.yml"
    path.write_text(yaml.safe_dump({"picks": picks}), encoding="utf-8")
    return path


def test_picks_settings_are_read_with_defaults(tmp_path: Path) -> None:
    config, warnings = load_config(write_config(tmp_path, {"reading_list": "reading.bib", "extra": 1}))
    assert config.picks == PicksSettings(reading_list="reading.bib", per_issue=5, min_score=0.02)
    assert [str(w) for w in warnings] == [f"{tmp_path / 'digest.yml'}:2: picks: unknown setting 'extra' ignored"]
    config, _ = load_config(write_config(tmp_path, {"reading_list": "reading.bib", "per_issue": 2, "min_score": 0}))
    assert config.picks == PicksSettings(reading_list="reading.bib", per_issue=2, min_score=0.0)
    (tmp_path / "digest.yml").write_text("out: content\n", encoding="utf-8")
    assert load_config(tmp_path / "digest.yml")[0].picks is None


@pytest.mark.parametrize(
    ("picks", "message"),
    [
        ("reading.bib", "'picks' must be a mapping"),
        (None, "'picks' must be a mapping"),
        ({}, "picks.reading_list is required"),
        ({"reading_list": 3}, "picks.reading_list must be the path of a file (text, not int)"),
        ({"reading_list": " "}, "picks.reading_list is empty"),
        ({"reading_list": "missing.bib"}, "picks.reading_list: no such file"),
        ({"reading_list": "."}, "is a folder; name the file in it"),
        ({"reading_list": "reading.bib", "per_issue": 0}, "picks.per_issue must be a whole number of at least 1"),
        ({"reading_list": "reading.bib", "per_issue": True}, "picks.per_issue must be a whole number"),
        ({"reading_list": "reading.bib", "per_issue": -1}, "a whole number of at least 1, not -1"),
        # A quoted number, an empty value, a word said "not '5'", "not None", "not 'five'": what is wrong with them?
        ({"reading_list": "reading.bib", "per_issue": "5"},
         "picks.per_issue must be a whole number of at least 1, not '5' (text: write the number without quotes)"),
        ({"reading_list": "reading.bib", "per_issue": None}, "at least 1, not an empty value"),
        ({"reading_list": "reading.bib", "per_issue": "five"}, "at least 1, not 'five' (text)"),
        ({"reading_list": "reading.bib", "per_issue": 2.5}, "at least 1, not 2.5 (a number with decimals)"),
        ({"reading_list": "reading.bib", "min_score": 1.5}, "picks.min_score must be a number from 0 to 1"),
        ({"reading_list": "reading.bib", "min_score": "high"}, "from 0 to 1, not 'high' (text)"),
        ({"reading_list": "reading.bib", "min_score": "0.05"}, "not '0.05' (text"),
        ({"reading_list": "reading.bib", "min_score": None}, "from 0 to 1, not an empty value"),
    ],
)
def test_bad_picks_settings_are_errors_naming_the_file_and_field(tmp_path: Path, picks: object, message: str) -> None:
    path = write_config(tmp_path, picks)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert re.match(rf"{re.escape(str(path))}:[0-9]+: ", str(error.value)), str(error.value)  # the setting's line
    assert message in str(error.value)


def test_a_bad_setting_is_an_error_message_without_a_traceback(tmp_path: Path) -> None:
    project = picks_project(tmp_path, {"reading_list": "data/missing.bib"})
    result = run_digest("build", "--quiet", cwd=project, check=False)
    assert result.returncode == 1
    assert "Error: digest.yml:4: picks.reading_list: no such file data/missing.bib" in result.stderr
    assert "Traceback" not in result.stderr


# A project with a reading list --------------------------------------------------------------------


def picks_project(folder: Path, picks: dict | None, reading: str = "reading.bib") -> Path:
    issues = folder / "issues"
    issues.mkdir(parents=True)
    for path in sorted(FIXTURES.glob("2026-*.yaml")):
        shutil.copy(path, issues / path.name)
    project = make_project(folder / "project", papers=issues)
    shutil.copy(FIXTURES / reading, project / "data" / reading)
    settings: dict = {"topic_page_size": 2, "feeds": {"id_prefix": PREFIX}}
    if picks is not None:
        settings["picks"] = picks
    (project / "digest.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    return project


SETTINGS = {"reading_list": "data/reading.bib", "per_issue": 3}


def picks_json(project: Path, *args: str) -> list[dict]:
    return json.loads(run_digest("picks", "--json", *args, cwd=project).stdout)


def ranking(found: list[dict]) -> list[tuple[str, str]]:
    return [(item["id"], item["like"][0]) for item in found]


@pytest.fixture(scope="module")
def picks_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = picks_project(tmp_path_factory.mktemp("picks"), SETTINGS)
    result = run_digest("build", cwd=project)
    assert "reading.bib:27: cannot read this entry; skipped" in result.stderr  # reported, the rest is built
    mkdocs_build(project)
    return project


def test_digest_picks_ranks_each_issue_with_scores_and_reasons(picks_site: Path) -> None:
    newest = picks_json(picks_site)
    assert ranking(newest) == SECOND
    assert ranking(picks_json(picks_site, "--date", "2026-11-20")) == FIRST
    assert [item["title"] for item in newest] == [
        "Denoising Diffusion Implicit Models", "List Colourings of Planar Graphs",
        "Tree of Thoughts for Deliberate Problem Solving with Large Language Models"]
    scores = [item["score"] for item in newest]
    assert scores == sorted(scores, reverse=True) and all(s >= 0.02 and round(s, 4) == s for s in scores)
    assert newest[0]["like"][:2] == [DDPM, POLICY]  # the closest reading-list papers, closest first
    text = run_digest("picks", cwd=picks_site).stdout
    assert text.startswith("Picks of 2026-11-27: 3 of 5 papers (at most 3, score at least 0.02)\n")
    assert f"  1. {scores[0]:.4f}  2010.02502  Denoising Diffusion Implicit Models\n       like: {DDPM}\n" in text


def test_a_paper_on_the_reading_list_is_never_picked(picks_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(picks_site, project, ignore=shutil.ignore_patterns("site"))
    config = project / "digest.yml"
    config.write_text(config.read_text().replace("per_issue: 3", "per_issue: 9\n  min_score: 0"), encoding="utf-8")
    found = [item["id"] for date in ("2026-11-20", "2026-11-27")
             for item in picks_json(project, "--repick", "--date", date)]
    assert "2303.04137" not in found  # Diffusion Policy: its arXiv DOI is on the list
    self_consistency = next(line for line in run_digest("topics", "report", "--json", cwd=project).stdout.split("{")
                            if SELF_CONSISTENCY in line)
    assert re.search(r'"id": "(t[0-9a-f]+)"', "{" + self_consistency)  # listed without an arXiv id ...
    assert not [pid for pid in found if pid.startswith("t")]  # ... and never picked: its title is on the list
    assert len(found) == 8  # every other paper scores above 0


def test_an_arxiv_id_only_in_note_or_howpublished_puts_its_paper_on_the_list(picks_site: Path, tmp_path: Path) -> None:
    # Zotero writes an item's "arXiv:ID [cs]" into `note` (beside a published version's DOI and URL, its title often
    # not arXiv's), a hand-made @misc names it in `howpublished`: the entry had no arXiv id, so the paper itself,
    # its title another, was picked as "like" its own entry.
    project = tmp_path / "project"
    shutil.copytree(picks_site, project, ignore=shutil.ignore_patterns("site"))
    config = project / "digest.yml"
    config.write_text(config.read_text().replace("per_issue: 3", "per_issue: 9\n  min_score: 0"), encoding="utf-8")
    reading = project / "data" / "reading.bib"
    reading.write_text(reading.read_text(encoding="utf-8") + (
        "\n@inproceedings{song2021ddim,\n  title = {Implicit Models for Fast Sampling},\n  booktitle = {ICLR},\n"
        "  url = {https://openreview.net/forum?id=St1giarCHLP},\n  note = {arXiv:2010.02502 [cs]},\n}\n"
        "@misc{yao2023tot,\n  title = {Tree of Thoughts},\n"
        "  howpublished = {\\url{https://arxiv.org/abs/2305.10601v2}},\n}\n"), encoding="utf-8")
    entries = read_reading_list(reading).entries
    assert [entry.arxiv_id for entry in entries[-2:]] == ["2010.02502", "2305.10601"]
    found = [item["id"] for date in ("2026-11-20", "2026-11-27")
             for item in picks_json(project, "--repick", "--date", date)]
    assert found and "2010.02502" not in found and "2305.10601" not in found


def test_a_paper_twice_on_the_reading_list_is_named_once_among_a_picks_closest(tmp_path: Path) -> None:
    # A library with a duplicate item (Zotero's entry and Google Scholar's of one paper) named it twice among the
    # three closest reading-list papers of `digest picks --json` and picks.yml: "Denoising ... Models", "... models".
    project = picks_project(tmp_path, SETTINGS)
    reading = project / "data" / "reading.bib"
    reading.write_text(reading.read_text(encoding="utf-8") + "\n@article{ho2020denoising,\n  title={Denoising diffusion"
                       " probabilistic models},\n  journal={arXiv preprint arXiv:2006.11239},\n  year={2020}\n}\n",
                       encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    likes = [item["like"] for date in ("2026-11-20", "2026-11-27") for item in picks_json(project, "--date", date)]
    assert [DDPM, POLICY] in [like[:2] for like in likes]  # as without the duplicate
    for like in likes:
        assert len({title.casefold() for title in like}) == len(like), like
    record = yaml.safe_load((project / "data" / "picks.yml").read_text(encoding="utf-8"))
    assert all(len({t.casefold() for t in pick["like"]}) == len(pick["like"])
               for picks in record["issues"].values() for pick in picks)


def test_ids_only_entries_take_their_text_from_the_archive_and_missing_ones_are_noted(tmp_path: Path) -> None:
    project = picks_project(tmp_path, {"reading_list": "data/reading.txt", "min_score": 0}, reading="reading.txt")
    result = run_digest("build", cwd=project)
    assert "data/reading.txt:5: 'not an arxiv id' is not an arXiv id" in result.stderr  # a problem
    assert ("data/reading.txt:4: note: arXiv 2401.99999 is not in the archive (yet): an entry with only an id takes"
            " its text from the archive, so it is skipped until an issue lists the paper") in result.stderr  # a note
    assert "1 problem, 1 note." in result.stdout
    first = picks_json(project, "--date", "2026-11-20")
    # Only Diffusion Policy is readable in the first issue (Tree of Thoughts comes a week later), and it is
    # not picked itself.
    assert {item["like"][0] for item in first} <= {POLICY} and "2303.04137" not in [i["id"] for i in first]
    second = picks_json(project)
    assert "2305.10601" not in [item["id"] for item in second]
    # The reasons name the archive's titles (the list has ids only): DDIM is like Diffusion Policy, the
    # self-consistency paper like Tree of Thoughts.
    tree = "Tree of Thoughts for Deliberate Problem Solving with Large Language Models"
    assert {item["like"][0] for item in second} == {POLICY, tree}
    # Still noted once every issue's picks are recorded: the entry is skipped for the issues to come too
    stderr = run_digest("picks", cwd=project).stderr
    assert "data/reading.txt:4: note: arXiv 2401.99999 is not in the archive (yet)" in stderr


def test_an_empty_reading_list_records_no_picks_and_says_so(tmp_path: Path) -> None:
    # A failed export (an empty .bib) recorded "no picks" for every issue, which stayed after the list was fixed.
    project = picks_project(tmp_path, SETTINGS)
    good = (project / "data" / "reading.bib").read_bytes()
    (project / "data" / "reading.bib").write_bytes(b"")
    result = run_digest("build", cwd=project)
    assert ("data/reading.bib: no entry to pick by (an empty or unreadable reading list): no picks are made or"
            " recorded until it has one") in result.stderr
    assert "1 problem" in result.stdout
    assert not (project / "data" / "picks.yml").exists()
    result = run_digest("picks", "--record", cwd=project)
    assert result.stdout == "Nothing recorded: 2 issues wait for a reading list to pick by.\n"
    (project / "data" / "reading.bib").write_bytes(good)
    run_digest("build", cwd=project)
    assert ranking(picks_json(project, "--date", "2026-11-20")) == FIRST  # no --repick needed


def test_a_list_of_ids_saved_as_utf16_is_read(tmp_path: Path) -> None:
    # Windows PowerShell's > writes UTF-16: every line was "not an arXiv id".
    project = picks_project(tmp_path, {"reading_list": "data/reading.txt", "min_score": 0}, reading="reading.txt")
    reading = project / "data" / "reading.txt"
    plain = read_reading_list(reading)
    reading.write_bytes(reading.read_text(encoding="utf-8").encode("utf-16"))
    wide = read_reading_list(reading)
    assert wide.entries == plain.entries and [str(p) for p in wide.problems] == [str(p) for p in plain.problems]


def test_a_bibtex_export_in_latin_1_is_read_as_windows_1252_not_replaced(tmp_path: Path) -> None:
    # Older JabRef and Windows tools save BibTeX in Windows-1252: every accent was a replacement character, shown in
    # the reasons ("like: Schr\ufffddinger ...") and recorded, and the entry's paper in the archive was picked.
    title = "Schrödinger Bridges for “Diffusion” Policies"
    path = tmp_path / "reading.bib"
    path.write_bytes(f"% Encoding: windows-1252\n@article{{a, title = {{{title}}}, author = {{Müller, Jörg}}}}\n"
                     .encode("cp1252"))
    reading = read_reading_list(path, "reading.bib")
    assert [entry.title for entry in reading.entries] == [title] and reading.problems == []
    archived = Paper(id="2611.00001", title=title, abstract="", added=dt.date(2026, 11, 27), source="s")
    assert in_reading_list(archived, reading.arxiv_ids, reading.title_keys)  # on the list: never picked
    # A UTF-8 file with a byte gone wrong keeps its UTF-8 text, and says so, as a paper list does
    path.write_bytes(f"@article{{a, title = {{{title}}}}}\n".encode() + b"@article{b, title = {Caf\xe9}}\n")
    reading = read_reading_list(path, "reading.bib")
    assert [entry.title for entry in reading.entries] == [title, "Caf\ufffd"]
    assert [str(problem) for problem in reading.problems] == ["reading.bib: invalid UTF-8 replaced"]
    ids = tmp_path / "reading.txt"
    ids.write_bytes("2006.11239  # Müller’s favourite\n".encode("cp1252"))
    assert read_reading_list(ids).entries == [Entry(1, arxiv_id="2006.11239")]


def test_a_reading_list_title_matches_the_archives_written_in_latex_or_without_its_accents(tmp_path: Path) -> None:
    # An arXiv title writes Schr\"odinger, the reference manager's export decodes it ("Schrödinger") or drops the
    # accent: the titles were unequal, so the paper on the reading list (no arXiv id in the export) could be picked.
    path = tmp_path / "reading.bib"
    path.write_text("@article{a, title = {Schr{\\\"o}dinger Bridges for Sampling}}\n"
                    "@article{b, title = {Erdos Problems, Revisited}}\n", encoding="utf-8")
    reading = read_reading_list(path)
    assert [e.title for e in reading.entries] == ["Schrödinger Bridges for Sampling", "Erdos Problems, Revisited"]

    def on_the_list(title: str) -> bool:
        paper = Paper(id="t1", title=title, abstract="", added=dt.date(2026, 11, 27), source="s")
        return in_reading_list(paper, reading.arxiv_ids, reading.title_keys)

    assert on_the_list('Schr\\"odinger bridges for sampling') and on_the_list("Schrödinger Bridges for Sampling.")
    assert on_the_list("Erd\\H{o}s problems, revisited") and on_the_list("Erdős Problems, Revisited")
    assert not on_the_list("Schrödinger Bridges for Sampling Faster") and not on_the_list("Erdos Problems")


def test_a_reading_list_title_matches_the_archives_whose_formula_is_written_as_the_characters_it_shows(
    tmp_path: Path,
) -> None:
    # arXiv (and so its BibTeX export) writes "$\\gamma$-MoD", "$\\pi_0$", "R$^2$"; Hugging Face's daily papers write
    # the characters those formulas show: "γ-MoD", "π0", "R²". The titles were unequal, so the paper on the list
    # (an entry without an arXiv id) could be picked, as like itself.
    path = tmp_path / "reading.bib"
    path.write_text("@article{a, title = {{$\\gamma$-MoD}: Exploring Mixture-of-Depth Adaptation}}\n"
                    "@article{b, title = {{$\\pi_0$}: A Vision-Language-Action Flow Model}}\n"
                    "@article{c, title = {R$^2$-Reasoner: Routed Reasoning}}\n"
                    "@article{d, title = {Serving LLaMA-70B on $60 GPUs}}\n", encoding="utf-8")
    reading = read_reading_list(path)

    def on_the_list(title: str) -> bool:
        paper = Paper(id="t1", title=title, abstract="", added=dt.date(2026, 11, 27), source="s")
        return in_reading_list(paper, reading.arxiv_ids, reading.title_keys)

    assert on_the_list("γ-MoD: Exploring Mixture-of-Depth Adaptation")
    assert on_the_list("π0: A Vision-Language-Action Flow Model") and on_the_list("$π_0$: A Vision-Language-Action"
                                                                                    " Flow Model")
    assert on_the_list("R²-Reasoner: Routed Reasoning") and on_the_list("$\\text{R}^2$-Reasoner: Routed Reasoning")
    assert on_the_list("Serving LLaMA-70B on $60 GPUs")  # a price is no formula
    assert not on_the_list("β-MoD: Exploring Mixture-of-Depth Adaptation") and not on_the_list("R-Reasoner: Routed"
                                                                                              " Reasoning")


@pytest.mark.parametrize(("name", "text", "kind"), [
    ("reading.ris", "TY  - JOUR\nTI  - Denoising Diffusion Probabilistic Models\nUR  - https://arxiv.org/abs/2006.11239\n"
     "ER  - \n", "a RIS export (TY  - ...)"),
    ("reading.json", '[{"id": "ho2020", "type": "article", "title": "Denoising Diffusion Probabilistic Models",\n'
     ' "DOI": "10.48550/arXiv.2006.11239"}]\n', "JSON (a CSL JSON export?)"),
    ("reading.rdf", '<?xml version="1.0"?>\n<rdf:RDF>\n</rdf:RDF>\n', "XML (Zotero RDF, EndNote XML or MODS?)"),
])
def test_a_reference_managers_other_export_is_one_problem_not_one_per_line(
    tmp_path: Path, name: str, text: str, kind: str
) -> None:
    # Zotero's RIS, CSL JSON or RDF export was read as a list of ids: a problem for each of its (thousands of) lines.
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    reading = read_reading_list(path, name)
    assert reading.entries == []
    assert [str(problem) for problem in reading.problems] == [
        f"{name}: this is {kind}, not BibTeX or a list of arXiv ids: nothing read; export the library as BibTeX"
        ' (README, "Picks from a reading list")']


@pytest.mark.parametrize("first", ["[2006.11239]", '["2006.11239", "2010.02502"]', "[ 2006.11239 ]"])
def test_a_list_of_ids_whose_first_line_is_bracketed_is_not_taken_for_json(tmp_path: Path, first: str) -> None:
    # A first line "[2006.11239]" (a form the README lists) or a Python list of ids made the whole file "JSON (a CSL
    # JSON export?)": nothing read. A pretty-printed CSL JSON export, its first line "[" alone, still is one.
    path = tmp_path / "reading.txt"
    path.write_text(f"{first}\n2303.04137\n", encoding="utf-8")
    reading = read_reading_list(path, "reading.txt")
    assert reading.problems == []
    assert "2006.11239" in reading.arxiv_ids and "2303.04137" in reading.arxiv_ids
    csl = '[\n  {\n    "id": "ho2020",\n    "URL": "https://arxiv.org/abs/2006.11239"\n  }\n]\n'
    path.write_text(csl, encoding="utf-8")
    assert [problem.message for problem in read_reading_list(path, "reading.txt").problems] == [
        "this is JSON (a CSL JSON export?), not BibTeX or a list of arXiv ids: nothing read; export the library as"
        ' BibTeX (README, "Picks from a reading list")']


def test_a_min_score_written_for_the_old_score_is_noted_when_nothing_is_picked(tmp_path: Path) -> None:
    project = picks_project(tmp_path, {"reading_list": "data/reading.bib", "min_score": 0.5})
    result = run_digest("build", cwd=project)
    assert ("digest.yml: note: picks.min_score 0.5 left every new issue without a pick: scores are smaller since"
            " December 2026") in result.stderr
    assert picks_json(project) == []
    again = run_digest("build", "--quiet", cwd=project)  # recorded now: no new issue, no note
    assert "picks.min_score" not in again.stderr
    default = picks_project(tmp_path / "default", {"reading_list": "data/reading.bib"})
    assert "picks.min_score" not in run_digest("build", cwd=default).stderr


def test_cli_errors_say_what_is_wrong_with_an_exit_status(picks_site: Path, tmp_path: Path) -> None:
    result = run_digest("picks", "--date", "2026-01-01", cwd=picks_site, check=False)
    assert result.returncode == 1
    assert result.stderr.endswith("Error: no issue dated 2026-01-01 (the newest is 2026-11-27; the issues page"
                                  " lists them all)\n")
    result = run_digest("picks", "--date", "yesterday", cwd=picks_site, check=False)
    assert result.returncode == 2 and "'yesterday' is not YYYY-MM-DD" in result.stderr
    result = run_digest("picks", "--date", "2026-11-31", cwd=picks_site, check=False)
    assert result.returncode == 2 and "'2026-11-31' is no date (November 2026 has 30 days)" in result.stderr
    plain = picks_project(tmp_path, None)
    result = run_digest("picks", cwd=plain, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Error: digest.yml has no 'picks:' setting: add 'picks: {reading_list: PATH}'" in result.stderr


def test_record_writes_the_picks_of_new_issues_only_and_needs_no_setting(tmp_path: Path) -> None:
    project = picks_project(tmp_path, SETTINGS)
    result = run_digest("picks", "--record", cwd=project)
    assert result.stdout == "Recorded the picks of 2 issues in data/picks.yml.\n"
    record = (project / "data" / "picks.yml").read_bytes()
    assert run_digest("picks", "--record", cwd=project).stdout.startswith("Every issue's picks are recorded already")
    run_digest("build", "--quiet", cwd=project)
    assert (project / "data" / "picks.yml").read_bytes() == record  # the build records the same
    # A new issue: the count is of the issues recorded now ("3 issues" counted the record's earlier ones as new).
    (project / "data" / "issues" / "2026-11-28.yaml").write_text(
        "- {title: A new paper on diffusion models, abstract: Diffusion models for images., arxiv: 2611.09999}\n",
        encoding="utf-8")
    result = run_digest("picks", "--record", cwd=project)
    assert result.stdout == "Recorded the picks of 1 more issue in data/picks.yml (3 issues in all).\n"
    (project / "data" / "issues" / "2026-11-28.yaml").unlink()
    (project / "data" / "picks.yml").write_bytes(record)
    (project / "digest.yml").write_text("out: content\n", encoding="utf-8")
    result = run_digest("picks", "--record", cwd=project)
    assert result.returncode == 0 and result.stdout == "No picks: setting in digest.yml; nothing to record.\n"


def test_the_record_lists_issues_by_date_whatever_their_order_and_is_replaced_whole(tmp_path: Path) -> None:
    # The record is committed: the same picks give the same bytes (issues by date, not as computed), and the file is
    # replaced by a rename, so git or an editor never reads it half written (a full disk left the old one whole).
    later, earlier = dt.date(2026, 11, 27), dt.date(2026, 11, 20)
    record = {later: (Pick("2611.00002", 0.25, ("A listed paper",)),), earlier: (Pick("2611.00001", 0.125, ()),)}
    text = record_text(record)
    assert text == record_text(dict(sorted(record.items())))
    assert text.index("2026-11-20") < text.index("2026-11-27")
    path = tmp_path / "picks.yml"
    path.write_text("# the old record\n", encoding="utf-8")
    os.link(path, tmp_path / "opened-by-a-reader")
    assert write_record(Picks({}, record, path, text, changed=True))
    assert read_record(path) == {earlier: record[earlier], later: record[later]}
    assert (tmp_path / "opened-by-a-reader").read_text(encoding="utf-8") == "# the old record\n"  # not rewritten
    assert sorted(item.name for item in tmp_path.iterdir()) == ["opened-by-a-reader", "picks.yml"]  # no scratch


def test_record_with_repick_json_or_date_is_a_usage_error_not_ignored(tmp_path: Path) -> None:
    # `digest picks --repick --record` said "Every issue's picks are recorded already" (exit 0) and repicked nothing;
    # --json and --date were ignored too.
    project = picks_project(tmp_path, SETTINGS)
    run_digest("picks", "--record", cwd=project)
    record = (project / "data" / "picks.yml").read_bytes()
    for option in (("--repick",), ("--json",), ("--date", "2026-11-20")):
        result = run_digest("picks", "--record", *option, cwd=project, check=False)
        assert result.returncode == 2, (option, result.stdout)
        assert "--record goes alone" in result.stderr and option[0] in result.stderr
    assert (project / "data" / "picks.yml").read_bytes() == record


def test_a_build_of_other_paper_lists_records_no_picks(tmp_path: Path) -> None:
    # `digest build --papers data/issues/2026-11-27.yaml` (a look at one issue) recorded that issue's picks as scored
    # without the issues before it, and the site kept them: published picks are never computed again.
    project = picks_project(tmp_path, SETTINGS)
    newest = project / "data" / "issues" / "2026-11-27.yaml"
    result = run_digest("build", "--papers", str(newest), "--out", str(tmp_path / "preview"), cwd=project)
    assert ("data/picks.yml: note: picks not recorded: --papers replaces the paper lists, and the picks of these"
            " lists would stay the site's issues' picks; build without --papers (or name these lists in papers: of"
            " digest.yml) to record them") in result.stderr
    assert not (project / "data" / "picks.yml").exists()
    result = run_digest("picks", "--record", "--papers", str(newest), cwd=project, check=False)
    assert result.returncode == 1 and "Error: --record records the picks of the site's issues: give no --papers" \
        in result.stderr
    assert not (project / "data" / "picks.yml").exists()
    # The site's own lists, named with --papers, are recorded as without it
    run_digest("picks", "--record", "--papers", "data/issues/", cwd=project)
    assert ranking(picks_json(project)) == SECOND and ranking(picks_json(project, "--date", "2026-11-20")) == FIRST


def test_a_picks_record_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    """A data folder mounted read-only (`docker run -v $PWD/data:/site/data:ro`), or owned by another user: the build
    wrote content/ and then ended in a PermissionError traceback, exit status 1."""
    project = picks_project(tmp_path, SETTINGS)
    with read_only(project / "data"):
        for command in (("build", "--quiet"), ("picks", "--record")):
            result = run_digest(*command, cwd=project, check=False)
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            assert re.search(  # EACCES for a user, EPERM for root and an immutable folder
                r"Error: data/picks\.yml: cannot record the picks \((Permission denied|Operation not"
                r" permitted)\): a later edit of the reading list could change them; make the folder writable, then"
                r" build again or run digest picks --record\n\Z", result.stderr), result.stderr
    assert (project / "content" / "picks" / "index.md").is_file()
    assert not (project / "data" / "picks.yml").exists()


def test_a_picks_record_with_a_merge_conflict_or_bad_yaml_is_one_line_saying_what_to_do(tmp_path: Path) -> None:
    # The deploy's fetch job commits picks.yml and so does a build of your own: a pull left git's conflict markers in
    # it, and every command stopped with PyYAML's several lines about "<unicode string>", saying nothing of the fix.
    project = picks_project(tmp_path, SETTINGS)
    run_digest("picks", "--record", cwd=project)
    record = project / "data" / "picks.yml"
    lines = record.read_text(encoding="utf-8").splitlines()
    newest = lines.index("  '2026-11-27':")
    conflicted = [*lines[:newest], "<<<<<<< HEAD", *lines[newest:], "=======", "  '2026-11-27': []",
                  ">>>>>>> origin/main"]
    record.write_text("\n".join(conflicted) + "\n", encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project, check=False)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr == (
        f"Error: data/picks.yml:{newest + 1}: cannot read the recorded picks: a merge conflict (git's markers <<<<<<<,"
        " =======, >>>>>>>): keep one side's lines and delete the markers, or run digest picks --repick to write the"
        " file again\n")
    record.write_text("issues: [\n", encoding="utf-8")
    result = run_digest("picks", cwd=project, check=False)
    assert result.returncode == 1 and "<unicode string>" not in result.stderr
    assert result.stderr.endswith("Error: data/picks.yml:2: invalid YAML: expected the node content, but found"
                                  " '<stream end>' (run digest picks --repick to write the file again)\n")
    assert run_digest("picks", "--repick", cwd=project).stdout.startswith("Repicked 2 issues")  # as it says


def test_the_deploy_workflows_fetch_job_records_picks_before_committing() -> None:
    root = Path(__file__).parent.parent
    for path, command in ((root / ".github" / "workflows" / "deploy.yml", ".venv/bin/digest picks --record"),
                          (root / "generator" / "skeleton" / "github" / "workflows" / "deploy.yml",
                           "digest picks --record")):
        steps = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["fetch"]["steps"]
        names = [step.get("name") for step in steps]
        record = names.index("Record the new issue's picks")
        assert names[record - 1] == "Fetch yesterday's papers"
        assert names[record + 1] == "Commit and push the new issue file"
        assert steps[record]["run"] == command


# Stability -------------------------------------------------------------------------------------


THIRD = {"date": "2026-12-04", "papers": [
    {"title": "Flow Matching for Generative Modeling", "arxiv": "2210.02747",
     "abstract": "We introduce flow matching, a simulation-free approach for training continuous normalizing flows "
                 "and diffusion models for image generation, generalising denoising diffusion paths."},
    {"title": "Kernel Density Estimation on Manifolds", "arxiv": "2412.00505",
     "abstract": "We study kernel density estimators for data on Riemannian manifolds and their convergence rates."},
]}


def test_published_picks_hold_when_issues_arrive_and_the_reading_list_changes(picks_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(picks_site, project, ignore=shutil.ignore_patterns("site"))
    record = (project / "data" / "picks.yml").read_text(encoding="utf-8")
    assert record.startswith("# The picks of each issue, recorded when the issue was first built")
    assert list(yaml.safe_load(record)["issues"]) == ["2026-11-20", "2026-11-27"]
    # A new issue and a reading list of manifolds only: the old issues keep their picks, the new one follows the list
    (project / "data" / "issues" / "2026-12-04.yaml").write_text(yaml.safe_dump(THIRD), encoding="utf-8")
    (project / "data" / "reading.bib").write_text(
        "@article{m, title = {Riemannian Manifolds and Density Estimation}, abstract = {Kernel density estimators"
        " on Riemannian manifolds, convergence rates of density estimation.}}\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    assert ranking(picks_json(project, "--date", "2026-11-20")) == FIRST
    assert ranking(picks_json(project, "--date", "2026-11-27")) == SECOND
    assert ranking(picks_json(project)) == [("2412.00505", "Riemannian Manifolds and Density Estimation")]
    updated = (project / "data" / "picks.yml").read_text(encoding="utf-8")
    assert updated.startswith(record.rstrip("\n")) and "'2026-12-04':" in updated
    page = (project / "content" / "picks" / "index.md").read_text(encoding="utf-8")
    assert "Riemannian Manifolds and Density Estimation" in page
    # --repick computes every issue again with the reading list as it is now
    result = run_digest("picks", "--repick", cwd=project)
    assert result.stdout.startswith("Repicked 3 issues, 1 pick; rewrote ")
    assert picks_json(project, "--date", "2026-11-20") == [] and picks_json(project, "--date", "2026-11-27") == []
    run_digest("build", "--quiet", cwd=project)
    assert "Denoising Diffusion Implicit Models" not in (project / "content" / "picks" / "index.md").read_text()


def test_a_recorded_pick_whose_paper_changed_its_id_stays_its_issues_pick(picks_site: Path, tmp_path: Path) -> None:
    """An issue added later for an earlier date, listing a picked paper by its title alone, gives the paper its
    title's id (its arXiv id an alias): the pick recorded under the arXiv id was dropped from its issue unsaid."""
    project = tmp_path / "project"
    shutil.copytree(picks_site, project, ignore=shutil.ignore_patterns("site"))
    (project / "data" / "issues" / "2026-11-13.txt").write_text(
        "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models\n"
        "We explore how generating a chain of thought improves reasoning in large language models.\n",
        encoding="utf-8")
    record = (project / "data" / "picks.yml").read_text(encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    picked = picks_json(project, "--date", "2026-11-20")
    assert picked[0]["title"] == "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models"
    assert picked[0]["id"] != "2201.11903" and [item["id"] for item in picked][1:] == [i for i, _ in FIRST][1:]
    issues = yaml.safe_load((project / "data" / "picks.yml").read_text(encoding="utf-8"))["issues"]
    assert {date: issues[date] for date in ("2026-11-20", "2026-11-27")} == yaml.safe_load(record)["issues"]


def test_the_heading_of_picks_recorded_with_earlier_settings_says_so(picks_site: Path, tmp_path: Path) -> None:
    """After per_issue or min_score was tightened, `digest picks` printed a published issue's three recorded picks
    under "3 of 5 papers (at most 1, score at least 0.5)", which they contradicted."""
    project = tmp_path / "project"
    shutil.copytree(picks_site, project, ignore=shutil.ignore_patterns("site"))
    settings = yaml.safe_load((project / "digest.yml").read_text(encoding="utf-8"))
    settings["picks"] = {**SETTINGS, "per_issue": 1, "min_score": 0.5}
    (project / "digest.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    heading = run_digest("picks", "--date", "2026-11-20", cwd=project).stdout.splitlines()[0]
    assert heading == ("Picks of 2026-11-20: 3 of 5 papers (as recorded in data/picks.yml with earlier settings;"
                       " now at most 1, score at least 0.5, which --repick applies)")
    plain = run_digest("picks", "--date", "2026-11-20", cwd=picks_site).stdout.splitlines()[0]
    assert plain.endswith("(at most 3, score at least 0.02)")


def test_an_issue_is_picked_from_its_own_and_earlier_issues_only(picks_site: Path, tmp_path: Path) -> None:
    """Without a record, the first issue's picks are those of an archive that ends with it."""
    alone = picks_project(tmp_path / "alone", SETTINGS)
    (alone / "data" / "issues" / "2026-11-27.yaml").unlink()
    assert picks_json(alone) == picks_json(picks_site, "--date", "2026-11-20")
    both = tmp_path / "both"
    shutil.copytree(picks_site, both, ignore=shutil.ignore_patterns("site"))
    (both / "data" / "picks.yml").unlink()
    (both / "data" / "issues" / "2026-12-04.yaml").write_text(yaml.safe_dump(THIRD), encoding="utf-8")
    assert picks_json(both, "--date", "2026-11-20") == picks_json(picks_site, "--date", "2026-11-20")
    assert picks_json(both, "--date", "2026-11-27") == picks_json(picks_site, "--date", "2026-11-27")


def test_picks_are_byte_identical_whatever_the_hash_seed_and_file_order(tmp_path: Path) -> None:
    outputs = [{**tree(project / "content"), "picks.yml": (project / "data" / "picks.yml").read_bytes()}
               for project in built_in_two_orders(tmp_path, lambda folder: picks_project(folder, SETTINGS))]
    assert "picks/page-3.md" in outputs[0] and "picks.atom.xml" in outputs[0]
    assert outputs[0] == outputs[1]


def test_an_unchanged_rebuild_after_the_record_is_written_does_nothing(tmp_path: Path) -> None:
    project = picks_project(tmp_path, SETTINGS)
    environment = {"DIGEST_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True,
                           env={**os.environ, **environment}, check=True)
    assert "Wrote" in first.stdout
    again = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True,
                           env={**os.environ, **environment}, check=True)
    assert "nothing changed" in again.stdout


# The site: page, marks, feeds, OPML, subscribe page -------------------------------------------------


def card_ids(page: str) -> list[str]:
    return re.findall(r'<h3 class="digest-card__title"><a href="[./]*papers/([^/"]+)/"', page)


def mark(title: str, tag: str = "span") -> str:
    from markupsafe import escape

    return f'<{tag} class="digest-picked"><strong>Picked</strong>: like: {escape(title)}</{tag}>'


def test_the_picks_page_lists_each_issue_newest_first_in_pages(picks_site: Path) -> None:
    site = picks_site / "site"
    pages = [(site / "picks" / "index.html").read_text(encoding="utf-8")]
    pages += [(site / "picks" / f"page-{n}" / "index.html").read_text(encoding="utf-8") for n in (2, 3)]
    assert not (site / "picks" / "page-4").exists()
    expected = [pid for pid, _ in SECOND] + [pid for pid, _ in FIRST]
    assert [card_ids(page) for page in pages] == [expected[:2], expected[2:4], expected[4:]]
    assert "<strong>6</strong> picks, newest issue first" in pages[0]
    assert '<h2 id="issue-2026-11-27">Issue <a href="../issues/2026-11-27/">2026-11-27</a></h2>' in pages[0]
    assert "issue-2026-11-27" in pages[1] and "issue-2026-11-20" in pages[1]  # an issue split across pages
    for page in pages:
        for paper_id, title in [*FIRST, *SECOND]:
            if paper_id in card_ids(page):
                assert mark(title) in page
    assert 'href="../picks.atom.xml"' in pages[0]
    nav = (picks_site / "content" / ".nav.yml").read_text(encoding="utf-8")
    assert "- Picks: picks/index.md\n" in nav


def test_cards_and_paper_pages_carry_the_picked_mark(picks_site: Path) -> None:
    site = picks_site / "site"
    for paper_id, title in [*FIRST, *SECOND]:
        assert mark(title, "div") in paper_page_html(site, paper_id), paper_id
    for paper_id in ("2303.04137", "2301.00202", "2311.00404"):
        assert "digest-picked" not in paper_page_html(site, paper_id)
    topic_pages = "".join(p.read_text(encoding="utf-8") for p in (site / "topics").rglob("index.html"))
    assert mark(DDPM) in topic_pages and mark(HOSTILE) in topic_pages


def test_the_picked_mark_shows_the_formulas_of_the_title_it_names(tmp_path: Path) -> None:
    """The title a pick is like showed its TeX as written beside paper titles whose formulas were MathML."""
    project = picks_project(tmp_path, SETTINGS)
    reading = project / "data" / "reading.bib"
    reading.write_text(reading.read_text(encoding="utf-8").replace(
        "title = {Denoising {Diffusion} Probabilistic Models}",
        "title = {Denoising {Diffusion} Probabilistic Models in $\\mathbb{R}^n$}"), encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    shard = (content / ".digest" / "papers" / "2026-11-27.shard").read_text(encoding="utf-8")
    cards = "".join(path.read_text(encoding="utf-8") for path in (content / "topics").rglob("*.md"))
    for page, tag in ((shard, "div"), (cards, "span")):
        mark = re.search(rf'<{tag} class="digest-picked"><strong>Picked</strong>: like: {DDPM} in (.*?)</{tag}>', page)
        assert mark and mark.group(1).startswith('<math display="inline">') and "mathbb" not in mark.group(1)


def test_hostile_reading_list_titles_stay_text_everywhere(picks_site: Path) -> None:
    site, content = picks_site / "site", picks_site / "content"
    for path in [*site.rglob("*.html"), *site.glob("*.xml"), site / "feeds.opml", *content.rglob("*.md"),
                 *content.rglob("*.shard")]:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, path
        assert "49 Graph" not in text, path  # {{ 7*7 }} was never evaluated by a template
    escaped = "like: &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} Graph Colouring"
    assert escaped in paper_page_html(site, "2301.00101")
    feed = feedparser.parse((content / "picks.atom.xml").read_bytes())
    body = next(entry.content[0].value for entry in feed.entries if entry.id.endswith("/2311.00303"))
    assert "Picked: like: &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in body
    assert json.loads(run_digest("picks", "--json", cwd=picks_site).stdout)[1]["like"][0] == HOSTILE


def test_picks_feeds_are_valid_with_the_paper_entries_ids(picks_site: Path) -> None:
    content = picks_site / "content"
    atom, rss = (content / "picks.atom.xml").read_bytes(), (content / "picks.rss.xml").read_bytes()
    assert atom_problems(atom) == [] and rss_problems(rss) == []
    expected = [pid for pid, _ in SECOND] + [pid for pid, _ in FIRST]
    for data in (atom, rss):
        feed = feedparser.parse(data)
        assert not feed.bozo, feed.get("bozo_exception")
        assert [entry.id for entry in feed.entries] == [f"{PREFIX}paper/{pid}" for pid in expected]
        assert [entry.link for entry in feed.entries] == [f"{SITE}papers/{pid}/" for pid in expected]
        body = feed.entries[0].content[0].value if "content" in feed.entries[0] else feed.entries[0].summary
        assert f"Picked: like: {DDPM}" in body
    parsed = feedparser.parse(atom)
    assert parsed.feed.id == f"{PREFIX}feed/picks" and parsed.feed.title.endswith(": picks")



EARLIER_ISSUE = """date: 2026-11-13
papers:
  - title: Denoising Diffusion Implicit Models
    abstract: >-
      Denoising diffusion probabilistic models achieve high quality image generation without adversarial training,
      yet they require simulating a Markov chain for many steps to produce a sample. We present denoising diffusion
      implicit models, a more efficient class of iterative implicit probabilistic models with the same training.
"""


def test_a_paper_picked_in_two_issues_is_one_entry_of_the_picks_feeds(tmp_path: Path) -> None:
    """2026-11-27 picked DDIM (2010.02502). An issue dated earlier, added later, lists it by title alone: the paper
    moves to that issue (its id now the title's, 2010.02502 an alias) and is picked there too, while the recorded
    pick of 2026-11-27 stays. The feeds had two entries with one id (RFC 4287: one entry; a reader showed it twice)."""
    project = picks_project(tmp_path, SETTINGS)
    run_digest("build", "--quiet", cwd=project)
    (project / "data" / "issues" / "2026-11-13.yaml").write_text(EARLIER_ISSUE, encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    atom, rss = (content / "picks.atom.xml").read_bytes(), (content / "picks.rss.xml").read_bytes()
    assert atom_problems(atom) == [] and rss_problems(rss) == []
    for data in (atom, rss):
        entries = feedparser.parse(data).entries
        ids = [entry.id for entry in entries]
        assert len(ids) == len(set(ids)), ids
        ddim = [entry.id for entry in entries if entry.title == "Denoising Diffusion Implicit Models"]
        assert len(ddim) == 1 and ids.index(ddim[0]) == 0  # the newest issue's pick, first


def test_opml_and_subscribe_page_list_the_picks_feeds(picks_site: Path) -> None:
    opml = (picks_site / "content" / "feeds.opml").read_bytes()
    assert opml_problems(opml) == []
    assert f'xmlUrl="{SITE}picks.atom.xml"'.encode() in opml and f'htmlUrl="{SITE}picks/"'.encode() in opml
    subscribe = (picks_site / "site" / "subscribe" / "index.html").read_text(encoding="utf-8")
    assert 'href="../picks.atom.xml">https&#58;//paper-digest.github.io/paper-digest/picks.atom.xml</a>' in subscribe
    assert 'href="../picks.rss.xml">' in subscribe and 'href="../picks/">Picks</a>' in subscribe


@pytest.mark.checker
def test_the_nu_checker_finds_no_error_in_the_picks_pages(picks_site: Path) -> None:
    site = picks_site / "site"
    pages = [site / "picks" / "index.html", site / "picks" / "page-2" / "index.html",
             site / "papers" / "2301.00101" / "index.html", site / "subscribe" / "index.html"]
    errors = nu_check(pages, site)
    assert not errors, "the Nu HTML checker found errors:\n" + "\n".join(errors)


def test_the_small_fixture_with_picks_only_adds(tmp_path: Path) -> None:
    """The same archive with a reading list that picks nothing: its page and feeds, every other file as it was."""
    plain, picked = tmp_path / "plain", tmp_path / "picked"
    shutil.copytree(SMALL, plain)
    shutil.copytree(SMALL, picked)
    (picked / "reading.txt").write_text("# nothing of this archive\n2401.99999\n", encoding="utf-8")
    with (picked / "digest.yml").open("a", encoding="utf-8") as handle:
        handle.write("picks: {reading_list: reading.txt}\n")
    for project in (plain, picked):
        run_digest("build", "--quiet", cwd=project)
    before = {p.relative_to(plain / "content").as_posix() for p in (plain / "content").rglob("*") if p.is_file()}
    after = {p.relative_to(picked / "content").as_posix() for p in (picked / "content").rglob("*") if p.is_file()}
    assert after - before == {"picks/index.md", "picks.atom.xml", "picks.rss.xml"}
    page = (picked / "content" / "picks" / "index.md").read_text(encoding="utf-8")
    assert "No paper is like the reading list enough to be picked yet." in page and "<strong>0</strong> picks" in page
    for name in before - {"feeds.opml", "subscribe.md", ".nav.yml", ".digest-manifest.json"}:
        assert (plain / "content" / name).read_bytes() == (picked / "content" / name).read_bytes(), name


def test_removing_the_picks_setting_removes_its_pages_and_feeds(tmp_path: Path) -> None:
    project = picks_project(tmp_path, SETTINGS)
    run_digest("build", "--quiet", cwd=project)
    assert (project / "content" / "picks" / "page-2.md").exists()
    (project / "digest.yml").write_text(yaml.safe_dump({"feeds": {"id_prefix": PREFIX}}), encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    content = project / "content"
    assert not (content / "picks").exists() and not list(content.glob("picks.*"))
    assert not [path for path in content.rglob("*") if path.is_file() and b"digest-picked" in path.read_bytes()]


def email_parts(project: Path) -> tuple[str, str]:
    """``digest email --date 2026-11-27`` of ``project``: the message's text part (line ends as "\\n") and HTML part."""
    from email import policy
    from email.parser import BytesParser

    result = subprocess.run([sys.executable, "-m", "generator", "email", "--date", "2026-11-27"], cwd=project,
                            capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    message = BytesParser(policy=policy.default).parsebytes(result.stdout)
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    return text, message.get_body(preferencelist=("html",)).get_content()


def test_the_email_edition_lists_the_issues_picks_first(picks_site: Path) -> None:
    """``digest email``: the picks section opens the message, best first with its reasons; each paper once."""
    text, html = email_parts(picks_site)
    sections = re.findall(r"^(\S.*) \((\d+)\)\n-+$", text, re.M)
    assert sections[0] == ("Picks", "3")
    picked = text.split("\n\n\n")[1]
    titles = [item["title"] for item in picks_json(picks_site)]
    assert [picked.index(title) for title in titles] == sorted(picked.index(title) for title in titles)
    assert f"Picked: like: {DDPM}" in picked
    assert "<b>Picked</b>: like: " in html
    # A reading-list title is untrusted text: it is escaped in the HTML part, as written in the text part.
    assert "like: <script>alert(1)</script> {{ 7*7 }} Graph Colouring" in picked
    assert "<script" not in html and "like: &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in html
    for title in titles:
        assert text.count(title) == 1, title  # not again under its topic


# The contrast score ---------------------------------------------------------------------------------------


def scoring_archive() -> tuple[list[Paper], sp.csr_matrix, ReadingList]:
    day = dt.date(2026, 1, 1)
    texts = [
        ("Diffusion models for image generation", "Denoising diffusion models generate images from noise."),
        ("Graph colouring bounds", "We bound the chromatic number of random graphs and planar graphs."),
        ("Image generation with consistency models", "Consistency models generate images in one step from noise."),
        ("Diffusion Policy: Visuomotor Policy Learning via Action Diffusion", "A robot policy as a diffusion."),
        ("Soil microbiome sampling", "Protocols for sampling soil microbes in the field."),
    ]
    order = [Paper(id=f"p{n}", title=title, abstract=abstract, added=day, source="test")
             for n, (title, abstract) in enumerate(texts)]
    reading = ReadingList(entries=[
        Entry(1, title="Denoising Diffusion Probabilistic Models",
              abstract="Diffusion models denoise images step by step."),
        Entry(2, title="Diffusion Policy: Visuomotor Policy Learning via Action Diffusion"),  # on the list: p3
    ])
    return order, Vectorizer().matrix([paper_text(p) for p in order]), reading


def test_the_contrast_score_is_the_lists_cosine_less_three_quarters_of_the_backgrounds() -> None:
    """Recomputed by hand with dense vectors: the background is the issue's papers but the paper itself and
    the papers on the list, plus PRIOR_PAPERS papers shaped like the list's mean."""
    order, counts, reading = scoring_archive()
    scorer = Scorer(order, counts, reading)
    assert scorer.method == "contrast" and list(scorer.excluded) == [False, False, False, True, False]
    df = document_frequency(counts).astype(np.float64)
    _, kept, scores = scorer.similarities(0, len(order), df)
    assert kept == [0, 1]
    weights = scorer.weights(0, len(order), df)
    papers = weighted(counts, weights).toarray()
    entries = weighted(scorer.entry_rows(order[0].added)[0], weights).toarray()
    assert papers.shape == (5, BUCKETS) and entries.shape == (2, BUCKETS)
    total = entries.sum(axis=0)
    prior = total * PRIOR_PAPERS / len(entries)
    background = papers[[0, 1, 2, 4]].sum(axis=0) + prior
    for row in (0, 1, 2, 4):
        others = background - papers[row]
        cosine = papers[row] @ total / np.linalg.norm(total)
        expected = cosine - CONTRAST * (papers[row] @ others) / np.linalg.norm(others)
        assert scores[row] == pytest.approx(expected, abs=1e-9)
    assert scores[0] > scores[2] > scores[1] and scores[4] < scores[2]  # diffusion models first, then consistency


def test_scoring_issues_does_not_go_over_the_whole_reading_list_for_each_issue_and_pick(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each issue went over every entry of the reading list to choose the texts to score by, and each pick ordered
    every entry like it by title to name the closest three: 1,000 issues and a list of 20,000 took 46 s."""
    from generator.picks import scoring

    class Entries(list[Entry]):
        walks = 0

        def __iter__(self):  # type: ignore[no-untyped-def]
            Entries.walks += 1
            return super().__iter__()

    first = dt.date(2026, 1, 1)
    topics = ["diffusion models generate images", "graph colouring of random graphs", "robot policy learning"]
    order = [Paper(id=f"p{day}-{n}", title=f"{text.capitalize()} {day} {n}", abstract=f"We study {text} again.",
                   added=first + dt.timedelta(days=day), source="test")
             for day in range(30) for n, text in enumerate(topics)]
    entries = Entries(Entry(n, title=f"{topics[n % 3].capitalize()}, part {n}", abstract=f"On {topics[n % 3]}.")
                      for n in range(400))
    scorer = Scorer(order, Vectorizer().matrix([paper_text(p) for p in order]), ReadingList(entries=entries))
    keys = 0
    real = scoring.same_title_key

    def counted(title: str) -> str:
        nonlocal keys
        keys += 1
        return real(title)

    monkeypatch.setattr(scoring, "same_title_key", counted)
    Entries.walks = 0
    picks = scorer.issues({paper.added for paper in order}, per_issue=2, min_score=0.0)
    assert sum(len(found) for found in picks.values()) == 60 and all(pick.like for found in picks.values()
                                                                      for pick in found)
    assert Entries.walks < 5 and keys < len(entries)


def test_the_background_keeps_the_latest_whole_issues_holding_at_least_its_size() -> None:
    rng = np.random.default_rng(0)
    issues = [sp.random(n, BUCKETS, density=2e-4, format="csr", random_state=rng) for n in (3, 2, 4, 1, 6)]
    background = Background(5)
    kept_after = [[0], [0, 1], [1, 2], [2, 3], [4]]  # whole issues, newest last, at least 5 papers once there
    for number, vectors in enumerate(issues):
        background.add(vectors)
        kept = kept_after[number]
        assert background.count == sum(issues[i].shape[0] for i in kept)
        expected = np.asarray(sum(issues[i].sum(axis=0) for i in kept)).ravel()
        assert np.allclose(background.total, expected, atol=1e-12)


def test_a_picked_paper_that_is_also_watched_shows_both_marks_in_the_email(picks_site: Path, tmp_path: Path) -> None:
    """Its watch reasons came under the "Picked" label ("Picked: like: …; phrase: implicit"): now marked as the
    site marks them."""
    project = tmp_path / "project"
    shutil.copytree(picks_site, project, ignore=shutil.ignore_patterns("site"))
    settings = yaml.safe_load((project / "digest.yml").read_text(encoding="utf-8"))
    settings["watch"] = {"phrases": ["implicit models"]}
    (project / "digest.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    text, html = email_parts(project)
    assert f"Picked: like: {DDPM}; Watched: phrase: implicit models" in " ".join(text.split())  # lines wrap at 78
    assert f"<b>Picked</b>: like: {DDPM}; Watched: phrase: implicit models" in html


def test_a_reading_list_of_ids_the_archive_lacks_says_so_not_that_it_is_empty(tmp_path: Path) -> None:
    project = picks_project(tmp_path, {**SETTINGS, "reading_list": "data/reading.txt"}, "reading.txt")
    (project / "data" / "reading.txt").write_text("2401.99997\narXiv:2401.99998\n2401.99999v2\n", encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project)
    assert ("data/reading.txt: no entry to pick by (its 3 entries: arXiv ids the archive does not have (yet), with"
            " no title of their own): no picks are made or recorded until it has one") in result.stderr
    assert "empty or unreadable" not in result.stderr


def test_an_input_edited_while_a_build_records_picks_is_still_a_change_for_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build took the cache key again after writing the picks record, from every input as it was then: an
    edit made while it ran (a takedown in the curation file) was paired with pages built without it, and every
    later build said "nothing changed" with the paper still published."""
    from generator import build as build_module
    from generator.config import load_config

    project = picks_project(tmp_path, SETTINGS)
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "cache"))
    real = build_module.write_record

    def edited_meanwhile(picks: object) -> bool:
        (project / "data" / "curation.yml").write_text('papers:\n  "2010.02502": {hide: Withdrawn}\n',
                                                       encoding="utf-8")
        return real(picks)

    monkeypatch.setattr(build_module, "write_record", edited_meanwhile)
    config, _ = load_config(project / "digest.yml")
    first = build_module.build(config, build_module.BuildOptions())
    assert not first.cached and (project / "data" / "picks.yml").exists()
    monkeypatch.setattr(build_module, "write_record", real)
    second = build_module.build(config, build_module.BuildOptions())
    assert not second.cached and [hidden.paper.id for hidden in second.hidden] == ["2010.02502"]
    third = build_module.build(config, build_module.BuildOptions())
    assert third.cached  # and then unchanged: the record written by the second build is its own input
