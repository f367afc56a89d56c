"""Names from input never write outside the output folder, and never overwrite each other silently."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator import sources
from generator.errors import BuildError, ConfigError
from generator.merge import merge_papers
from generator.model import Paper, is_safe_id, normalize_arxiv_id, title_key
from generator.slugs import slugify
from generator.sources.common import ReadResult
from generator.topics import load_taxonomy
from generator.writer import StagedWriter
from tests.conftest import SMALL, run_digest
from tests.pages import paper_articles

HOSTILE_NAMES = ["..", "../../etc/passwd", "/etc/passwd", "C:\\Windows\\x", "CON", "nul", "aux.md", "", " ", ".", "~",
                 "a/../../b", "%2e%2e%2f", "\u202e..", "．．／"]


@pytest.mark.parametrize(
    "value",
    ["2401.01234/../../x", "2401.01234\n/x", "../2401.01234", "2401.01234v2/..", "hep-th/9901001/../../x",
     "arXiv:../../etc/passwd", "https://arxiv.org/abs/../../x"],
)
def test_arxiv_looking_ids_with_path_parts_are_not_arxiv_ids(value: str) -> None:
    assert normalize_arxiv_id(value) is None


def test_ids_from_arxiv_or_hashes_are_single_path_segments() -> None:
    assert is_safe_id("2410.00907") and is_safe_id("hep-th-9901001") and is_safe_id("t48c95dce841")
    for bad in ["..", ".", "a/b", "a\\b", "", "-rf", "x" * 65, "a..b", "CON/x"]:
        assert not is_safe_id(bad), bad


def test_a_reader_that_returns_an_unsafe_id_loses_only_that_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def careless_reader(data: bytes, display: str) -> ReadResult:
        def paper(paper_id: str, number: int) -> Paper:
            return Paper(id=paper_id, title=f"T{number}", abstract="a", added=dt.date.min, source=f"{display}:{number}")

        return ReadResult(papers=[paper("../../escape", 1), paper("2410.00907", 3), paper("/etc/passwd", 5)])

    monkeypatch.setitem(sources.READERS, ".txt", careless_reader)
    path = tmp_path / "2026-11-28.txt"
    path.write_text("anything", encoding="utf-8")
    result = sources.read_paper_list(path)
    assert [paper.id for paper in result.papers] == ["2410.00907"]
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (1, "paper id '../../escape' is not usable as a file name; skipped"),
        (5, "paper id '/etc/passwd' is not usable as a file name; skipped"),
    ]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_slugs_of_hostile_topic_names_are_plain_or_empty(name: str) -> None:
    slug = slugify(name)
    assert slug == "" or (slug.replace("-", "").isalnum() and slug not in ("con", "nul", "aux"))


def write_taxonomy(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- name: '..'", "the name '..' gives no slug for the topic's URL"),
        ("- name: '/'", "the name '/' gives no slug for the topic's URL"),
        ("- name: Fine\n    slug: ../escape", "slug '../escape' is not usable in a URL"),
        ("- name: Fine\n    slug: /etc", "slug '/etc' is not usable in a URL"),
        ("- name: Fine\n    slug: con", "slug 'con' is not usable in a URL"),
        ("- name: Fine\n    slug: " + "a" * 200, "is not usable in a URL"),
        ("- name: Fine\n    slug: aux.notes", "slug 'aux.notes' is not usable in a URL: AUX is a device name"),
        ("- name: Fine\n    slug: nlp.", "slug 'nlp.' is not usable in a URL: Windows drops a trailing dot"),
        ("- name: C++\n  - name: C", "topic 2: slug 'c' is already used by topic 1"),
        ("- name: Other things\n    slug: other", "slug 'other' is already used by the built-in 'Other' topic"),
    ],
)
def test_topic_names_that_make_bad_or_colliding_slugs_are_errors(tmp_path: Path, entry: str, message: str) -> None:
    path = write_taxonomy(tmp_path / "topics.yml", f"topics:\n  {entry}\n")
    with pytest.raises(ConfigError, match=message.replace("+", r"\+").replace("(", r"\(")):
        load_taxonomy(path)


def test_a_slug_published_before_windows_names_were_refused_is_kept_as_a_former_slug(tmp_path: Path) -> None:
    """A site whose topic had 'aux.notes' (which Windows cannot hold) renames it and keeps the old address."""
    path = write_taxonomy(tmp_path / "topics.yml", "topics:\n  - name: Notes\n    formerly: [aux.notes, nlp.]\n")
    topics, problems = load_taxonomy(path)
    assert topics[0].formerly == ("aux.notes", "nlp.") and not problems


def test_a_title_hash_collision_is_an_error_naming_both_sources() -> None:
    def record(title: str, source: str) -> Paper:
        return Paper(id="t000000000aa", title=title, abstract="", added=dt.date(2026, 11, 28), source=source)

    expected = "two different papers have the id 't000000000aa': a.txt:3 and b.yaml: item 2"
    with pytest.raises(BuildError, match=re.escape(expected)):
        merge_papers([record("One paper", "a.txt:3"), record("Another paper", "b.yaml: item 2")])


def test_two_outputs_for_one_path_are_an_error_even_when_only_the_case_differs(tmp_path: Path) -> None:
    for first, second in (("papers/x.md", "papers/x.md"), ("Atom.xml", "atom.xml")):
        writer = StagedWriter(tmp_path / "out")
        writer.add("a.md", b"1")
        writer.add(first, b"1")
        with pytest.raises(BuildError, match=re.escape(f"{first!r} and {second!r}")):
            writer.add(second, b"2")
        writer.abort()
        assert list((tmp_path / "out").rglob("*")) == []  # nothing written, no temporary file left


def snapshot(folder: Path, skip: str) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(skip)
    }


def test_hostile_titles_and_topic_names_build_only_inside_the_output_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SMALL, project)
    titles = [name for name in HOSTILE_NAMES if name.strip()]
    listing = "".join(f"{title}\nAbstract of {title!r} about language models.\n" for title in titles)
    (project / "issues" / "2026-11-28.txt").write_text(listing, encoding="utf-8")
    topics = (project / "topics.yml").read_text(encoding="utf-8")
    topics += "  - name: ../../etc\n    keywords: [passwd]\n  - name: 'CON'\n    keywords: [Windows]\n"
    (project / "topics.yml").write_text(topics, encoding="utf-8")
    (project / "content").mkdir()
    (project / "content" / "about.md").write_text("# About\n", encoding="utf-8")
    before = snapshot(tmp_path, "project/content/")
    run_digest("build", "--quiet", cwd=project)
    assert snapshot(tmp_path, "project/content/") == before
    written = sorted(p.relative_to(project / "content").as_posix() for p in (project / "content").rglob("*"))
    assert "topics/etc/index.md" in written and "topics/con-topic/index.md" in written
    assert "etc.atom.xml" in written and "con-topic.atom.xml" in written
    papers = list(paper_articles(project / "content"))
    # "\u202e.." is ".." once its bidi override is dropped (tests/test_broken_input.py): the same title, one paper.
    assert len(papers) == 5 + len({title_key(title.replace("\u202e", "")) for title in titles})
    assert all(is_safe_id(name) for name in papers)
    assert (project / "content" / "about.md").read_text(encoding="utf-8") == "# About\n"


@pytest.mark.parametrize("out", ["issues", ".", "issues/pages"])
def test_an_output_folder_among_the_paper_lists_is_refused(tmp_path: Path, out: str) -> None:
    # --out data wrote the pages among the paper lists; the next build reported each as an unknown format.
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    before = sorted(path.relative_to(project) for path in project.rglob("*"))
    result = run_digest("build", "--out", out, cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr == (f"Error: {out}: the output folder holds or is inside the paper lists (issues): choose"
                             " another one (the default is content/)\n")
    assert sorted(path.relative_to(project) for path in project.rglob("*")) == before


def line_of(text: str, start: str) -> int:
    """The number of the first line of ``text`` that starts with ``start`` (after its indentation)."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(start))


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('curation: ""', "curation is empty; leave the line out for the default (data/curation.yml) or name"
                         " a path"),
        ("curation: issues", "curation: issues is a folder; name the file"),
        ('topics: ""', "topics is empty; leave the line out for the default (data/topics.yml) or name a"
                       " path"),
        ("papers: []", "papers names no folder or file of paper lists (leave the line out for the default,"
                       " data/issues): a digest without its papers would replace the published one"),
        ("papers: issues, more", "papers: 'issues, more' is no file or folder; several are a list, in"
                                 " brackets: papers: [issues, more]"),
        ("picks: {reading_list: issues/reading.bib}", "picks.reading_list: {project}/issues/reading.bib is"
         " among the paper lists ({project}/issues); keep it beside them (data/reading.bib, say): there it would be"
         " read as an issue"),
        ("picks: {reading_list: ../outside.bib}", "picks.reading_list: {outside} is outside the project"
         " ({project}): copy the export into it (data/reading.bib, say), so that the deploy's build reads it and the"
         " picks recorded beside it (picks.yml) are committed"),
    ],
)
def test_paths_in_digest_yml_that_cannot_be_meant_are_errors_not_tracebacks(
    tmp_path: Path, setting: str, message: str
) -> None:
    """An empty path was "this folder" (a traceback for curation and topics); a reading list outside the project put
    its picks.yml there too (uncommitted: the deploy picked again), one among the paper lists was read as an issue."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "issues" / "reading.bib").write_text("", encoding="utf-8")
    (tmp_path / "outside.bib").write_text("", encoding="utf-8")
    config = yaml.safe_load((project / "digest.yml").read_text(encoding="utf-8"))
    (project / "digest.yml").write_text(yaml.safe_dump({**config, **yaml.safe_load(setting)}), encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    written = (project / "digest.yml").read_text(encoding="utf-8")
    line = line_of(written, re.findall(r"(\w+):", setting)[-1] + ":")  # the line of the setting named
    expected = f"digest.yml:{line}: " + message.format(project=project.resolve(),
                                                       outside=(tmp_path / "outside.bib").resolve())
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == f"Error: {expected}\n"


@pytest.mark.parametrize("setting", ["out: ~/digest", "papers: [issues, ~/issues]", "topics: ~/topics.yml"])
def test_a_path_from_the_home_folder_is_an_error_not_a_folder_named_tilde(tmp_path: Path, setting: str) -> None:
    """``out: ~/digest`` built the site into a folder named "~" beside digest.yml (and the next ``rm -r ~`` meant
    to remove it would remove the home folder); other paths were "no such file" with the "~" unexplained."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    config = yaml.safe_load((project / "digest.yml").read_text(encoding="utf-8"))
    (project / "digest.yml").write_text(yaml.safe_dump({**config, **yaml.safe_load(setting)}), encoding="utf-8")
    key, _, value = setting.partition(": ")
    path = value.strip("[]").split(", ")[-1]
    line = line_of((project / "digest.yml").read_text(encoding="utf-8"), f"- {path}" if "[" in value else f"{key}:")
    result = run_digest("build", cwd=project, check=False)
    assert (result.returncode, result.stderr) == (1, f"Error: digest.yml:{line}: {key}: {path!r} starts with '~',"
                                                     " which only a shell reads as a home folder: here it names a"
                                                     " folder '~' beside digest.yml; write the path relative to"
                                                     " digest.yml, or in full\n")
    assert not (project / "~").exists()


@pytest.mark.parametrize(("out", "message"), [
    ("notes.md", "notes.md: the output folder is a file: choose another one (the default is content/)"),
    ("notes.md/site", "notes.md/site: cannot make the output folder (Not a directory): choose another one (the default"
                      " is content/)"),
], ids=["a-file", "inside-a-file"])
def test_an_output_folder_that_is_a_file_is_an_error_not_a_traceback(tmp_path: Path, out: str, message: str) -> None:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "notes.md").write_text("# Notes\n", encoding="utf-8")
    before = sorted(path.relative_to(project) for path in project.rglob("*"))
    result = run_digest("build", "--out", out, cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr == f"Error: {message}\n"
    assert sorted(path.relative_to(project) for path in project.rglob("*")) == before


def test_an_output_folder_linked_to_a_folder_that_is_gone_is_named_as_such(tmp_path: Path) -> None:
    """A content/ linked to a folder on a drive not mounted (or deleted) was "cannot make the output folder (File
    exists)", though nothing seemed to be there."""
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    (project / "content").symlink_to(tmp_path / "unmounted" / "content")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr == (f"Error: content: the output folder is a link to {tmp_path / 'unmounted' / 'content'},"
                             " which does not exist: make that folder, or remove the link\n")
    assert not (tmp_path / "unmounted").exists()


def test_a_paper_list_whose_file_name_is_not_utf8_builds_and_is_named(tmp_path: Path) -> None:
    """A name in another encoding (Latin-1 ``café``, from an old zip archive or a Windows share) comes to Python with
    surrogates in place of its bytes: the label of its summaries, and the build cache recording its problems, could
    not be written (a traceback, after content/ was written), nor its problems printed."""
    project = tmp_path / "project"
    shutil.copytree(SMALL, project)
    papers = ("date: 2026-11-28\npapers:\n  - title: A Study of Things\n    abstract: We study things in depth.\n"
              "    tldr: Things are interesting.\n")
    (project / "issues" / os.fsdecode(b"2026-11-28-caf\xe9.yaml")).write_text(papers, encoding="utf-8")
    (project / "issues" / os.fsdecode(b"caf\xe9.csv")).write_text("a,b\n", encoding="utf-8")
    (project / "content").mkdir()
    result = run_digest("build", cwd=project)
    assert "Traceback" not in result.stderr
    assert "issues/caf\\udce9.csv: unknown paper-list format" in result.stderr
    shard = (project / "content" / ".digest" / "papers" / "2026-11-28.shard").read_text(encoding="utf-8")
    assert "Summary by 2026-11-28-caf\ufffd.yaml:" in shard
    again = run_digest("build", cwd=project)
    assert "nothing changed" in again.stdout
    assert "issues/caf\\udce9.csv: unknown paper-list format" in again.stderr
