"""Hand curation: hide with a reason, pin topics, correct fields; errors name the file and entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest
import yaml

from generator.curation import Curation, Entry, apply_curation, load_curation, pin_topics
from generator.errors import ConfigError
from generator.merge import merge_papers
from generator.model import paper_id
from generator.sources import read_all
from tests.conftest import SMALL, run_digest, seed_in_daily_issues
from tests.pages import all_generated_text, paper_article, paper_articles

LMUL = "2410.00907"
NOISE = "2502.13129"


def small_project(tmp_path: Path, curation: str) -> Path:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "curation.yml").write_text(curation, encoding="utf-8")
    with (project / "digest.yml").open("a", encoding="utf-8") as config:
        config.write("curation: curation.yml\n")
    return project


def small_papers() -> list:
    results, _ = read_all([SMALL / "issues"])
    return merge_papers(paper for result in results for paper in result.papers)


@pytest.mark.parametrize(("count", "listed"), [(21, 21), (10_000, 20)])
def test_a_build_lists_twenty_hidden_papers_and_counts_the_rest(
    count: int, listed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    # A curation file hiding 10,000 papers (a purge of spam) printed 10,000 lines on every build.
    import datetime as dt

    from generator.build import BuildReport
    from generator.cli import _summary
    from generator.curation import Hidden
    from generator.model import Paper

    hidden = [Hidden(Paper(id=f"2401.{number:05d}", title="Spam", abstract="Spam.", added=dt.date(2026, 1, 1),
                           source="test"), "Spam.") for number in range(count)]
    _summary(BuildReport(papers=3, issues=1, hidden=hidden[::-1]))
    lines = capsys.readouterr().out.splitlines()
    named = [line for line in lines if line.startswith("Hidden by curation: 2401.")]
    assert named == [f"Hidden by curation: 2401.{number:05d} (Spam.)" for number in range(listed)]
    more = [line for line in lines if "more paper" in line]
    assert more == ([f"Hidden by curation: {count - listed:,} more papers (the curation file lists them all, with"
                     " their reasons)"] if count > listed else [])


def test_hidden_paper_leaves_pages_and_feeds_and_the_reason_is_reported(tmp_path: Path) -> None:
    reason = "Withdrawn by the authors (takedown request 2026-11-29)."
    project = small_project(tmp_path, f"papers:\n  '{LMUL}':\n    hide: {reason}\n")
    result = run_digest("build", cwd=project)
    assert f"Hidden by curation: {LMUL} (Withdrawn by the authors (takedown request 2026-11-29).)" in result.stdout
    assert "4 papers in 2 issues" in result.stdout
    content = project / "content"
    assert LMUL not in paper_articles(content)
    every_page = all_generated_text(content)
    assert "Addition is All You Need" not in every_page
    for feed in content.glob("*.xml"):
        parsed = feedparser.parse(feed.read_bytes())
        assert all(LMUL not in entry.id for entry in parsed.entries), feed.name


def test_explain_says_a_hidden_paper_is_hidden_and_why(tmp_path: Path) -> None:
    # It said "no paper with id '2410.00907'": a maintainer checking a takedown could not tell it from a typo.
    project = small_project(tmp_path, f"papers:\n  '{LMUL}':\n    hide: Takedown request of 2026-11-29.\n")
    for asked in (LMUL, f"arXiv:{LMUL}v2"):
        result = run_digest("topics", "explain", asked, cwd=project, check=False)
        assert result.returncode == 1
        assert (f"Error: paper '{LMUL}' (Addition is All You Need for Energy-efficient Language Models) is hidden by"
                " curation.yml (Takedown request of 2026-11-29.): it is on no page and has no topics") in result.stderr
    assert "no paper with id 'nope'" in run_digest("topics", "explain", "nope", cwd=project, check=False).stderr


def test_pin_leaves_topics_pinned_in_the_curation_file_to_it(tmp_path: Path) -> None:
    # `digest topics pin` copied the hand pin into assignments.yml: once the hand pin was removed, the paper kept
    # its topic, and `explain` still said "pinned in the curation file".
    project = small_project(tmp_path, f"papers:\n  '{NOISE}':\n    topics: [efficiency]\n")
    result = run_digest("topics", "pin", cwd=project)
    assert "Pinned the topics of 4 papers" in result.stdout
    assert "The topics of 1 paper are pinned in the curation file, and left to it." in result.stdout
    assert NOISE not in yaml.safe_load((project / "assignments.yml").read_text(encoding="utf-8"))["papers"]
    (project / "curation.yml").write_text("papers: {}\n", encoding="utf-8")
    after = run_digest("topics", "explain", NOISE, cwd=project).stdout
    assert "pinned in the curation file" not in after
    assert after.splitlines()[3].startswith("first topic: Generative Models (generative)")  # as scored, unpinned


def test_pin_from_a_report_leaves_hand_pinned_papers_without_calling_them_missing(tmp_path: Path) -> None:
    # `pin --from` said of each paper the curation file pins "is not in the archive; not pinned": the maintainer
    # looked for a paper that was there, on its page.
    project = small_project(tmp_path, f"papers:\n  '{NOISE}':\n    topics: [efficiency]\n")
    report = tmp_path / "published.json"
    report.write_text(run_digest("topics", "report", "--json", cwd=project).stdout, encoding="utf-8")
    result = run_digest("topics", "pin", "--from", str(report), cwd=project)
    assert NOISE not in result.stderr, result.stderr
    assert "The topics of 1 paper are pinned in the curation file, and left to it." in result.stdout
    assert NOISE not in yaml.safe_load((project / "assignments.yml").read_text(encoding="utf-8"))["papers"]


def test_reassign_learns_from_hand_pins_and_leaves_them_to_the_curation_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`digest topics reassign` scored without the curation file's hand pins (README: examples the learner keeps) and
    copied them into assignments.yml, where they outlived the hand pin."""
    from generator.config import load_config
    from generator.topics import commands

    project = small_project(tmp_path, f"papers:\n  '{NOISE}':\n    topics: [efficiency]\n")
    result = run_digest("topics", "reassign", cwd=project)
    assert "Pinned the topics of 4 papers" in result.stdout
    assert "The topics of 1 paper are pinned in the curation file, and left to it." in result.stdout
    assert NOISE not in yaml.safe_load((project / "assignments.yml").read_text(encoding="utf-8"))["papers"]
    taught: list[object] = []
    real = commands.assign_topics
    monkeypatch.setattr(commands, "assign_topics", lambda *args, **kwargs: taught.append(kwargs.get("labels")) or
                        real(*args, **kwargs))
    monkeypatch.chdir(project)
    config, _ = load_config(project / "digest.yml")
    commands.reassign(config, commands.BuildOptions())
    assert taught[-1] == {NOISE: "efficiency"}


def test_report_does_not_call_a_paper_pinned_by_hand_low_confidence(tmp_path: Path) -> None:
    # A hand pin has score 0: the report listed the maintainer's own decision among the doubtful papers.
    project = small_project(tmp_path, f"papers:\n  '{NOISE}':\n    topics: [efficiency]\n")
    lines = run_digest("topics", "report", cwd=project).stdout.splitlines()
    low = lines[next(i for i, line in enumerate(lines) if line.startswith("Low confidence")):]
    assert not any(NOISE in line for line in low)


def test_corrections_and_pinned_topics_reach_the_pages(tmp_path: Path) -> None:
    project = small_project(
        tmp_path,
        f"""papers:
  arXiv:{NOISE}v1:            # any form of the id works
    title: Is Noise Conditioning Necessary for Denoising Generative Models? (corrected)
    authors: [Qiao Sun, Kaiming He]
    code: https://github.com/example/noise
    topics: [efficiency]
""",
    )
    run_digest("build", "--quiet", cwd=project)
    page = paper_article(project / "content", NOISE)
    assert "(corrected)" in page.replace("&#40;", "(").replace("&#41;", ")")
    assert "Qiao Sun, Kaiming He" in page
    assert "github.com/example/noise" in page
    def topic_pages(slug: str) -> str:
        folder = project / "content" / "topics" / slug
        return "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.md")) if folder.is_dir() else ""

    assert f"papers/{NOISE}" in topic_pages("efficiency")
    assert f"papers/{NOISE}" not in topic_pages("generative")


def test_corrected_authors_are_read_as_the_sources_author_lists_are(tmp_path: Path) -> None:
    # Pasted from a web page: a zero-width space, a right-to-left embedding, a name twice, "et al." for the rest.
    path = tmp_path / "curation.yml"
    path.write_text(
        "papers:\n  '2502.13129':\n    authors: ['Qiao\u200b Sun', '\u202bKaiming He\u202c', 'QIAO SUN', 'et al.']\n",
        encoding="utf-8",
    )
    curation, problems = load_curation(path, "curation.yml")
    assert problems == []
    assert [entry.corrections["authors"] for entry in curation.entries] == [("Qiao Sun", "Kaiming He")]


def test_corrected_authors_written_as_one_text_are_several_names_as_in_a_paper_list(tmp_path: Path) -> None:
    """`authors: Ada Lovelace, Alan Turing` was one author of that name (its page, its citation, the watch list's
    match), though a paper list's `authors:` written so is two."""
    path = tmp_path / "curation.yml"
    path.write_text("papers:\n  '2502.13129':\n    authors: Ada Lovelace, Alan Turing and Grace Hopper\n"
                    "  '2410.00907':\n    authors: Ada Lovelace\n", encoding="utf-8")
    curation, problems = load_curation(path, "curation.yml")
    assert problems == []
    assert [entry.corrections["authors"] for entry in curation.entries] == [
        ("Ada Lovelace", "Alan Turing", "Grace Hopper"), ("Ada Lovelace",)]


def test_curation_problems_name_the_file_and_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "curation.yml"
    path.write_text(
        "papers:\n"
        "  '2410.00907':\n    topics: [efficiency, no-such-topic]\n    colour: red\n    titel: A Title\n"
        "  '9999.99999':\n    hide: Never listed.\n",
        encoding="utf-8",
    )
    curation, warnings = load_curation(path, "curation.yml")
    papers = small_papers()
    visible, hidden, problems = apply_curation(papers, curation)
    problems += pin_topics(visible, curation, ["efficiency", "other"])
    assert hidden == []
    assert [str(p) for p in warnings + problems] == [
        "curation.yml:2: entry '2410.00907': unknown field 'colour' ignored",
        "curation.yml:2: entry '2410.00907': unknown field 'titel' ignored (did you mean 'title'?)",
        "curation.yml:6: entry '9999.99999' matches no paper; unused",
        "curation.yml:2: entry '2410.00907': no topic 'no-such-topic'; ignored",
    ]


@pytest.mark.parametrize("field", ["hidden", "hid", "Hide"])
def test_a_takedown_under_a_mistyped_field_stops_the_build(tmp_path: Path, field: str) -> None:
    """`hidden: Takedown` was an unknown field, ignored with a warning: the build went on and the paper the
    maintainer meant to take down stayed published. It is an error now (nothing is built)."""
    path = tmp_path / "curation.yml"
    path.write_text(f"papers:\n  '2410.00907':\n    {field}: Takedown request of 2026-12-01\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_curation(path, "curation.yml")
    assert (f"curation.yml:2: entry '2410.00907': unknown field '{field}' (did you mean 'hide'?): a takedown"
            " written so is not read, and the paper would stay published; write hide: REASON") in str(error.value)


def test_a_mistyped_topic_slug_names_the_slug_meant(tmp_path: Path) -> None:
    """A pin naming `efficency`, or the topic's name instead of its slug, said only "no topic ..."."""
    path = tmp_path / "curation.yml"
    path.write_text("papers:\n  '2410.00907':\n    topics: [efficency, Language Models, no-such-topic]\n",
                    encoding="utf-8")
    curation, _ = load_curation(path, "curation.yml")
    visible, _, _ = apply_curation(small_papers(), curation)
    assert [p.message for p in pin_topics(visible, curation, ["efficiency", "language-models", "other"])] == [
        "entry '2410.00907': no topic 'efficency' (did you mean 'efficiency'?); ignored",
        "entry '2410.00907': no topic 'Language Models' (did you mean 'language-models'?); ignored",
        "entry '2410.00907': no topic 'no-such-topic'; ignored",
    ]


def test_a_topic_pinned_by_its_name_in_another_script_names_the_slug_meant(tmp_path: Path) -> None:
    """A topic named in Chinese (or "Reinforcement Learning" with the slug "rl") pinned by its name, as the site shows
    it, said only "no topic '计算机视觉'": the name's letters spell no slug, so no slug was near."""
    path = tmp_path / "curation.yml"
    path.write_text("papers:\n  '2410.00907':\n    topics: [计算机视觉, reinforcement LEARNING, 其他]\n",
                    encoding="utf-8")
    curation, _ = load_curation(path, "curation.yml")
    visible, _, _ = apply_curation(small_papers(), curation)
    names = {"cv": "计算机视觉", "rl": "Reinforcement Learning", "other": "其他"}  # as the build passes them
    assert [p.message for p in pin_topics(visible, curation, names)] == [
        "entry '2410.00907': no topic '计算机视觉' (did you mean 'cv'?); ignored",
        "entry '2410.00907': no topic 'reinforcement LEARNING' (did you mean 'rl'?); ignored",
        "entry '2410.00907': no topic '其他' (did you mean 'other'?); ignored",
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("papers:\n  'x':\n    hide: true\n", "curation.yml:2: entry 'x': 'hide' must be the reason, as text"),
        ("papers:\n  'x':\n    url: javascript:alert(1)\n", "curation.yml:2: entry 'x': 'url' must be an http(s) URL"),
        ("papers:\n  'x':\n    authors: 3\n", "curation.yml:2: entry 'x': 'authors' must be a list of names"),
        # shown with its LaTeX decoded, it is no title: a feed entry without one stopped the build with a traceback
        ("papers:\n  'x':\n    title: \\textbf{}\n",
         "curation.yml:2: entry 'x': 'title' '\\\\textbf{}' shows as no text (its LaTeX decoded): write the title"),
        # a zero-width space alone shows nothing either: the paper's page and feed entry had no title to name it by
        ('papers:\n  \'x\':\n    title: "\\u200b\\u2060"\n',
         "curation.yml:2: entry 'x': 'title' '\\u200b\\u2060' shows as no text (its LaTeX decoded): write the title"),
        ("papers:\n  'x': hidden\n", "curation.yml:2: entry 'x': expected a mapping of fields"),
        ("- just a list\n", "curation.yml: expected a mapping with 'papers'"),
        ("papers: {x: [unclosed\n", "curation.yml:2: invalid YAML: expected ',' or ']', but got '<stream end>'"
                                    " (while parsing a flow sequence that starts on line 1)"),
    ],
)
def test_a_broken_curation_entry_stops_the_build(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "curation.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_curation(path, "curation.yml")
    assert str(caught.value).startswith(error)


def test_a_papers_key_left_without_entries_is_no_curation_not_an_error(tmp_path: Path) -> None:
    """Commenting out the last entry (a paper shown again) left `papers:` with nothing: the build stopped with
    "expected a mapping with 'papers'" until the file was rewritten as `papers: {}`."""
    project = small_project(tmp_path, f"papers:\n#  '{LMUL}':\n#    hide: Withdrawn, shown again since.\n")
    result = run_digest("build", cwd=project)
    assert "curation.yml" not in result.stderr
    assert LMUL in paper_articles(project / "content")


def test_a_broken_curation_file_fails_the_build_and_writes_nothing(tmp_path: Path) -> None:
    project = small_project(tmp_path, f"papers:\n  '{LMUL}':\n    hide:\n")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert "Error: curation.yml:2: entry '2410.00907': 'hide' must be the reason" in result.stderr
    assert not (project / "content").exists()


def test_the_repositorys_curation_file_is_valid() -> None:
    # data/curation.yml is the maintainer's (in a fork, theirs, hiding what they chose): only its validity is tested.
    root = Path(__file__).resolve().parent.parent
    curation, warnings = load_curation(root / "data" / "curation.yml", "data/curation.yml")
    assert warnings == []
    assert all(entry.hide is None or entry.hide.strip() for entry in curation.entries)


def project_with_round_id(tmp_path: Path, curation: str) -> Path:
    """The small project plus a paper whose arXiv id ends in 0 (one id in ten), as an issue file quotes it."""
    project = small_project(tmp_path, curation)
    (project / "issues" / "2026-11-28.yaml").write_text(
        "papers:\n  - title: Adders all the way down\n    abstract: We study adders.\n    arxiv: '2401.10000'\n",
        encoding="utf-8")
    return project


def test_an_unquoted_arxiv_id_ending_in_zero_is_the_id_not_a_number(tmp_path: Path) -> None:
    # YAML reads a plain 2401.10000 as the number 2401.1: the takedown named a paper that does not exist.
    project = project_with_round_id(tmp_path, "papers:\n  2401.10000:\n    hide: Takedown request.\n")
    result = run_digest("build", cwd=project)
    assert "Hidden by curation: 2401.10000 (Takedown request.)" in result.stdout
    assert "matches no paper" not in result.stdout + result.stderr
    assert "Adders all the way down" not in all_generated_text(project / "content")


def test_unquoted_arxiv_ids_in_distinct_from_and_slugs_in_topics_are_read_as_written(tmp_path: Path) -> None:
    # distinct_from: [2401.20000] was the number 2401.2: the build stopped ("must be a list of paper ids").
    project = project_with_round_id(tmp_path, "papers:\n  2401.10000:\n    distinct_from: [2401.20000]\n"
                                              "    topics: [2024]\n")
    (project / "issues" / "2026-11-29.yaml").write_text(
        "papers:\n  - title: Adders all the way down!\n    abstract: We study adders again.\n    arxiv: '2401.20000'\n",
        encoding="utf-8")
    (project / "topics.yml").write_text("topics:\n  - name: Twenty-four\n    slug: 2024\n", encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert "possible duplicate" not in result.stdout + result.stderr
    assert "matches no paper" not in result.stdout + result.stderr and "no topic" not in result.stderr
    assert "papers/2401.10000" in (project / "content" / "topics" / "2024" / "index.md").read_text(encoding="utf-8")


def test_a_distinct_from_that_names_no_paper_is_reported_on_its_line(tmp_path: Path) -> None:
    # A typo in distinct_from left the "possible duplicate" reported, and nothing said the entry was unused.
    project = project_with_round_id(tmp_path, f"papers:\n  '{LMUL}':\n    hide: Takedown.\n"
                                              f"  2401.10000:\n    distinct_from: ['2401.2000', '{LMUL}']\n")
    result = run_digest("build", cwd=project)
    assert "curation.yml:4: entry '2401.10000': distinct_from '2401.2000' matches no paper; unused" in result.stderr
    assert LMUL not in result.stderr  # a hidden paper is no duplicate any more: naming it is fine


def test_an_entry_written_twice_stops_the_build_naming_both_lines(tmp_path: Path) -> None:
    # The second entry for the same paper silently replaced the first, and its hide with it.
    project = project_with_round_id(tmp_path, f"papers:\n  '{LMUL}':\n    hide: Takedown request.\n"
                                              f"  '{NOISE}':\n    topics: [efficiency]\n"
                                              f"  '{LMUL}':\n    topics: [efficiency]\n")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert "the key '2410.00907' is written twice in one mapping (lines 2 and 6)" in result.stderr
    assert "Error: curation.yml:6: invalid YAML" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "content").exists()


def test_a_folder_where_the_curation_file_should_be_is_an_error_naming_it(tmp_path: Path) -> None:
    # An IsADirectoryError traceback before (a folder made by mistake, or left by a bad checkout).
    (tmp_path / "curation.yml").mkdir()
    with pytest.raises(ConfigError) as error:
        load_curation(tmp_path / "curation.yml", "data/curation.yml")
    assert str(error.value) == "data/curation.yml: cannot read the curation file: Is a directory"


def test_a_missing_curation_file_that_digest_yml_names_stops_the_build(tmp_path: Path) -> None:
    project = small_project(tmp_path, f"papers:\n  '{LMUL}':\n    hide: Takedown request.\n")
    run_digest("build", cwd=project)
    before = all_generated_text(project / "content")
    (project / "curation.yml").rename(project / "curations.yml")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert "Error: curation.yml: no such file (named by `curation:` in digest.yml)" in result.stderr
    assert all_generated_text(project / "content") == before  # the paper stays hidden on the published site


def test_a_missing_curation_file_that_digest_yml_names_at_its_default_path_stops_the_build(tmp_path: Path) -> None:
    """The digest.yml of `digest new` (and of this repository) writes `curation: data/curation.yml`, the default
    path: with the file gone, the build published the papers it hid without a word."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "data").mkdir()
    (project / "data" / "curation.yml").write_text(f"papers:\n  '{LMUL}':\n    hide: Takedown.\n", encoding="utf-8")
    settings = project / "digest.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "curation: data/curation.yml\n", encoding="utf-8")
    assert f"Hidden by curation: {LMUL} (Takedown.)" in run_digest("build", cwd=project).stdout
    before = all_generated_text(project / "content")
    (project / "data" / "curation.yml").unlink()
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert "Error: data/curation.yml: no such file (named by `curation:` in digest.yml)" in result.stderr
    assert all_generated_text(project / "content") == before  # the paper stays hidden on the published site


def test_the_default_curation_file_under_another_case_stops_the_build(tmp_path: Path) -> None:
    # Data/Curation.yml is found on macOS and not on the Linux runner that deploys: its takedowns would come undone.
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "data").mkdir()
    (project / "data" / "Curation.yml").write_text(f"papers:\n  '{LMUL}':\n    hide: Takedown.\n", encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert "data/curation.yml: no such file (Curation.yml is there: names are case-sensitive)" in result.stderr
    (project / "data" / "Curation.yml").rename(project / "data" / "notes.yml")
    assert "0 problems" in run_digest("build", cwd=project).stdout  # no curation file at all: nothing to hide


def test_a_takedown_leaves_the_topics_of_the_other_published_papers_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hiding one paper of an early issue re-scored the papers of every later issue: on a 20,000-paper archive a
    # takedown moved the topics of 3,627 published papers (1,059 changed their first topic) and rewrote their topic
    # pages and feeds. Topics are decided issue by issue; the hidden paper is still part of what later issues learnt.
    from generator.build import BuildOptions, BuildReport, Stopwatch, load_archive
    from generator.config import load_config
    from generator.render import Archive

    def built(curation: str, folder: str) -> Archive:
        project = seed_in_daily_issues(tmp_path / folder, curation)
        monkeypatch.chdir(project)
        config, _ = load_config(project / "digest.yml")
        report = BuildReport()
        return load_archive(config, BuildOptions(), report, Stopwatch(report, lambda _: None))

    def topics(archive: Archive) -> dict[str, tuple[str, ...]]:
        return {paper.id: tuple(match.slug for match in paper.topics) for paper in archive.papers.values()}

    before = built("papers: {}\n", "published")
    published = topics(before)
    first = before.by_newest[-1].id  # a paper of the first issue
    after = built(f"papers:\n  '{first}':\n    hide: Takedown request.\n", "taken-down")
    taken_down, related = topics(after), {paper.id: paper.related for paper in after.papers.values()}
    assert first not in taken_down
    assert taken_down == {paper: slugs for paper, slugs in published.items() if paper != first}
    assert all(first not in found for found in related.values())
    assert sum(bool(found) for found in related.values()) == len(taken_down)


def test_two_pages_of_one_paper_become_one_with_same_as_and_both_addresses_stay(tmp_path: Path) -> None:
    # Titles written differently ("α" and "$\alpha$") gave one paper two pages, reported as a possible duplicate
    # whose only cure was hiding one: a takedown of a published page. same_as joins them and keeps both addresses.
    project = small_project(tmp_path, "")
    (project / "issues" / "2026-11-28.yaml").write_text(
        "- {title: 'α-Net: Sparse attention for long documents', abstract: We sparsify attention.}\n",
        encoding="utf-8")
    (project / "issues" / "2026-11-29.yaml").write_text(
        "- {title: '$\\alpha$-Net: Sparse attention for long documents', abstract: 'We sparsify attention, at length.',"
        " arxiv: '2401.20000', code: 'https://github.com/a/b'}\n", encoding="utf-8")
    first = run_digest("build", cwd=project)
    title_id = paper_id("α-Net: Sparse attention for long documents", None)
    assert "possible duplicate" in first.stderr
    assert {title_id, "2401.20000"} <= set(paper_articles(project / "content"))
    (project / "curation.yml").write_text(f"papers:\n  {title_id}:\n    same_as: 2401.20000\n", encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert "possible duplicate" not in result.stderr and "matches no paper" not in result.stderr
    # No page of a paper is dropped (at the fixture's one paper a page, its topic has one page fewer: that is said).
    assert [line for line in result.stderr.splitlines() if "drops" in line and "later topic page" not in line] == []
    articles = paper_articles(project / "content")
    assert "2401.20000" not in articles  # one paper, under the id its first listing published
    assert "https://github.com/a/b" in articles[title_id] and "at length" in articles[title_id]
    alias = project / "content" / "papers" / "2401.20000" / "index.html"
    assert f"url=../{title_id}/" in alias.read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ["10.48550/arXiv.2410.00907", "https://doi.org/10.48550/ARXIV.2410.00907",
                                 "https://hf.co/papers/2410.00907", "arXiv:2410.00907v2"])
def test_an_entry_may_name_a_paper_by_arxivs_doi_or_any_link_a_paper_list_may_give(key: str) -> None:
    # A takedown keyed by arXiv's DOI (as a reference manager shows it) matched no paper: the paper stayed published.
    visible, hidden, problems = apply_curation(small_papers(), Curation("c.yml", [Entry(key, 2, hide="Takedown.")]))
    assert ([h.paper.arxiv_id for h in hidden], problems) == ([LMUL], [])
    assert all(paper.arxiv_id != LMUL for paper in visible)


def test_explain_shows_topics_pinned_by_hand_without_a_score(tmp_path: Path) -> None:
    # It said "first topic: Efficiency (efficiency), score 0.000" and "  - pinned in the curation file": a score of 0
    # read as a topic the paper shares nothing with.
    project = small_project(tmp_path, f"papers:\n  '{NOISE}':\n    topics: [efficiency, science]\n")
    lines = run_digest("topics", "explain", NOISE, cwd=project).stdout.splitlines()
    assert lines[3:] == [
        "first topic: Efficiency (efficiency), pinned by hand in curation.yml (no score)",
        "topic 2: Scientific Computing (science), pinned by hand in curation.yml (no score)",
    ]
