"""Broken input: every bad record is named (file and line or item), the good ones in the same file still build."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.sources import read_all, read_paper_list
from generator.sources.common import Limits, clean_text, describe
from generator.sources.listing import read_listing
from generator.sources.structured import read_json, read_yaml
from tests.conftest import SMALL, run_digest
from tests.pages import paper_article, paper_articles

BANNER = "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n"
GOOD_YAML = "- title: Good paper\n  abstract: Fine.\n"


def messages(result: object) -> list[str]:
    return [str(problem) for problem in result.problems]  # type: ignore[attr-defined]


def titles(result: object) -> list[str]:
    return [paper.title for paper in result.papers]  # type: ignore[attr-defined]


# --- Encoding and characters -------------------------------------------------------------


def test_invalid_utf8_in_yaml_is_replaced_and_reported_by_line() -> None:
    data = b"- title: Caf\xe9 au lait\n  abstract: x\n- title: Good paper\n  abstract: Fine.\n"
    result = read_yaml(data, "list.yaml")
    assert titles(result) == ["Caf\ufffd au lait", "Good paper"]
    assert messages(result) == ["list.yaml:1: invalid UTF-8 at byte 12, replaced"]


def test_invalid_utf8_in_json_is_replaced_and_reported_by_line() -> None:
    data = b'[\n{"title": "\xff\xfe bad", "abstract": "x"},\n{"title": "Good paper", "abstract": "Fine."}\n]'
    result = read_json(data, "list.json")
    assert titles(result) == ["\ufffd\ufffd bad", "Good paper"]
    assert messages(result) == ["list.json:2: invalid UTF-8 at byte 11, replaced"]


def test_nul_and_control_characters_in_yaml_are_removed_by_line_and_the_file_still_reads() -> None:
    # PyYAML refuses a NUL anywhere in a stream, which would lose the whole file.
    data = b"- title: Bad\x00 title\n  abstract: Bell\x07 here\n" + GOOD_YAML.encode()
    result = read_yaml(data, "list.yaml")
    assert titles(result) == ["Bad title", "Good paper"]
    assert result.papers[0].abstract == "Bell here"
    assert messages(result) == [
        "list.yaml:1: characters YAML does not allow removed",
        "list.yaml:2: characters YAML does not allow removed",
    ]


def test_raw_and_escaped_control_characters_in_json_are_removed_and_reported() -> None:
    data = b'[{"title": "Raw\x01 tab\x1b[31m", "abstract": "Escaped \\u0000 nul"}, {"title": "Good paper"}]'
    result = read_json(data, "list.json")
    assert titles(result) == ["Raw tab[31m", "Good paper"]
    assert result.papers[0].abstract == "Escaped  nul"
    assert "list.json: item 1: control characters removed from 'title'" in messages(result)
    assert "list.json: item 1: control characters removed from 'abstract'" in messages(result)


@pytest.mark.parametrize("escape", ["\\u0085", "\\u000c", "\\u000b", "\\u001e"])
def test_a_control_character_that_separates_words_is_a_space(escape: str) -> None:
    # NEXT LINE (from text decoded as Latin-1 or Windows-1252), form feeds and the like were removed, gluing two words
    # into one ("A titlewith"), which search and the topics then read as one word.
    result = read_json(f'[{{"title": "A title{escape}with", "abstract": "Two{escape}words."}}]'.encode(), "s.json")
    assert titles(result) == ["A title with"]
    assert result.papers[0].abstract == "Two words."
    assert messages(result) == []


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ufffe", "\\uffff"])
def test_lone_surrogates_and_non_characters_are_removed(escape: str) -> None:
    # They cannot be written as UTF-8 (surrogates) or appear in XML feeds (U+FFFE/U+FFFF).
    result = read_json(f'[{{"title": "A{escape}B", "abstract": "x"}}]'.encode(), "s.json")
    assert titles(result) == ["AB"]
    assert messages(result) == ["s.json: item 1: control characters removed from 'title'"]


def test_unclosed_bidi_override_is_closed_so_it_cannot_reverse_the_page_around_it() -> None:
    assert clean_text("evil \u202egnp.exe") == ("evil \u202egnp.exe\u202c", False)
    assert clean_text("\u2067isolated") == ("\u2067isolated\u2069", False)
    balanced = "a \u202bembedded\u202c and \u2068isolated\u2069 b"
    assert clean_text(balanced) == (balanced, False)


def test_messages_quote_input_values_briefly_and_safely() -> None:
    huge = ["x" * 1000] * 1000
    assert len(describe(huge)) < 120
    assert describe("\x1b[2J") == "'\\x1b[2J'"  # terminal escapes are shown, never sent


# --- Size ----------------------------------------------------------------------------------


def test_a_five_megabyte_abstract_is_cut_to_the_limit_and_reported(tmp_path: Path) -> None:
    huge = "word " * 1_000_000
    path = tmp_path / "2026-11-28.json"
    papers = [{"title": "Huge", "abstract": huge}, {"title": "Good paper", "abstract": "Fine."}]
    path.write_text(json.dumps(papers), encoding="utf-8")
    result = read_paper_list(path, Limits(title=100, abstract=2000))
    assert titles(result) == ["Huge", "Good paper"]
    assert len(result.papers[0].abstract) == 2000
    assert result.papers[0].abstract.endswith("word…")
    assert result.papers[1].abstract == "Fine."
    assert [problem.message for problem in result.problems] == ["abstract of 4,999,999 characters cut to 2,000"]
    assert result.problems[0].item == 1


def test_an_abstract_is_cut_between_two_words_never_in_a_link(tmp_path: Path) -> None:
    # Cut at the limit itself, an abstract listing its repositories ended in a link to "https://github.com/org29…".
    links = [f"https://github.com/org{number}/repo{number}" for number in range(300)]
    chinese = "我们提出一种新的方法" * 300
    path = tmp_path / "2026-11-28.json"
    papers = [{"title": "Links", "abstract": "Resources: " + " ".join(links)},
              {"title": "Chinese", "abstract": chinese}]
    path.write_text(json.dumps(papers), encoding="utf-8")
    result = read_paper_list(path, Limits(title=100, abstract=2000))
    cut = result.papers[0].abstract
    assert len(cut) <= 2001 and cut.endswith("…")  # at most the limit, and the ellipsis
    words = cut.removesuffix("…").split()
    assert len(words) > 40 and words[0] == "Resources:" and words[1:] == links[: len(words) - 1]
    # Text written without spaces is cut at the limit.
    assert result.papers[1].abstract == chinese[:2000] + "…"


def test_a_long_title_in_a_listing_is_cut_and_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "2026-11-28.txt"
    path.write_text(BANNER + "T" * 500 + "\nAbstract.\nGood paper\nFine.\n", encoding="utf-8")
    result = read_paper_list(path, Limits(title=100, abstract=2000))
    assert titles(result) == ["T" * 100 + "…", "Good paper"]
    assert [(problem.line, problem.message) for problem in result.problems] == [
        (3, "title of 500 characters cut to 100")
    ]


def test_the_limits_are_set_in_digest_yml(tmp_path: Path) -> None:
    project = tmp_path / "small"
    import shutil

    shutil.copytree(SMALL, project)
    (project / "digest.yml").write_text(
        (SMALL / "digest.yml").read_text(encoding="utf-8") + "max_abstract_chars: 50\n", encoding="utf-8"
    )
    result = run_digest("build", "--quiet", cwd=project)
    assert re.search(r"^issues/curated\.yaml: item 1: abstract of [\d,]+ characters cut to 50$", result.stderr, re.M)
    assert re.search(r"^issues/2026-11-20\.txt:3: abstract of [\d,]+ characters cut to 50$", result.stderr, re.M)
    page = paper_article(project / "content", "2410.00907")
    assert "Large neural networks spend most computation on floating&#58; …" not in page
    assert "Large neural networks spend most computation on" in page and "tensor multiplications" not in page


def test_a_100000_line_listing_reads_every_pair() -> None:
    lines = [line for n in range(50_000) for line in (f"Paper number {n}", f"Abstract of paper {n}.")]
    result = read_listing((BANNER + "\n".join(lines) + "\n").encode(), "big.txt")
    assert result.problems == []
    assert len(result.papers) == 50_000
    assert len({paper.id for paper in result.papers}) == 50_000
    assert result.papers[-1].source == "big.txt:100001"


@pytest.mark.parametrize("name", ["2026-11-28.txt", "2026-11-28.yaml", "2026-11-28.json"])
def test_an_empty_file_gives_no_papers_and_no_crash(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    result = read_paper_list(path)
    assert result.papers == []
    assert all(name in message for message in messages(result))


def test_a_binary_file_gives_a_bounded_number_of_messages() -> None:
    result = read_listing(b"\xff\n" * 100_000, "binary.txt")
    assert len(result.problems) <= 12
    assert "binary.txt: invalid UTF-8 replaced on 99,990 more lines" in messages(result)


def test_a_banner_only_listing_gives_no_papers_and_no_problem() -> None:
    # A day the page listed nothing. (An old Mac file, CR alone between lines, was one line taken for the banner:
    # its lines are lines now; tests/test_listing.py.)
    result = read_listing((BANNER + "Subscribe\n\n").encode(), "banner.txt")
    assert result.papers == [] and result.problems == []


# --- Wrong types -----------------------------------------------------------------------------


def test_wrong_types_in_yaml_are_reported_per_item_and_good_items_kept() -> None:
    data = textwrap.dedent(
        """\
        date: [2026, 11, 28]
        papers:
          - 42
          - title: {nested: map}
            abstract: x
          - title: 3.14
            abstract: [a, list]
            authors: {a: b}
          - title: Good paper
            abstract: Fine.
            authors: [Ada, 7, null]
            arxiv: [1, 2]
            date: yesterday
            url: 12
        """
    ).encode()
    result = read_yaml(data, "t.yaml")
    assert titles(result) == ["3.14", "Good paper"]
    assert result.papers[1].authors == ("Ada",)
    assert messages(result) == [
        "t.yaml: top-level date [2026, 11, 28] is not YYYY-MM-DD",
        "t.yaml: item 1: expected a mapping of paper fields, found int; skipped",
        "t.yaml: item 2: 'title' should be text, found dict",
        "t.yaml: item 2: missing or empty 'title'; skipped",
        "t.yaml: item 3: 'abstract' should be text, found list",
        "t.yaml: item 3: missing or empty 'abstract'",
        "t.yaml: item 3: 'authors' should be a list of names, found dict",
        "t.yaml: item 4: 'arxiv' value [1, 2] is not an arXiv id; ignored",
        "t.yaml: item 4: 'url' is not an http(s) URL; ignored",
        "t.yaml: item 4: 'date' value 'yesterday' is not YYYY-MM-DD (or YYYY-MM, YYYY); ignored",
        "t.yaml: item 4: author 7 is not text; ignored",
        "t.yaml: item 4: author None is not text; ignored",
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("42", "expected a list of papers or a mapping with 'papers'"),
        ('"text"', "expected a list of papers or a mapping with 'papers'"),
        ('{"papers": {"title": "x"}}', "expected a list of papers or a mapping with 'papers'"),
        ("null", "the file holds no papers"),
        ('{"papers": [], "' + "k" * 500 + '": 1}', f"unknown top-level key {describe('k' * 500)} ignored"),
    ],
)
def test_wrong_document_shapes_are_one_clear_message(document: str, message: str) -> None:
    for reader, name in ((read_json, "d.json"), (read_yaml, "d.yaml")):
        result = reader(document.encode(), name)
        assert result.papers == []
        assert messages(result) == [f"{name}: {message}"]


def test_impossible_dates_and_huge_numbers_in_yaml_stay_text_instead_of_crashing() -> None:
    data = f"- title: Good paper\n  abstract: {'9' * 5000}\n  date: 2026-13-45\n  arxiv: 2501.10000\n".encode()
    result = read_yaml(data, "n.yaml")
    (paper,) = result.papers
    assert paper.abstract == "9" * 5000
    assert paper.arxiv_id == "2501.10000"  # a YAML float keeps its trailing zeros
    assert messages(result) == ["n.yaml: item 1: 'date' value '2026-13-45' is not YYYY-MM-DD (or YYYY-MM, YYYY);"
                                " ignored"]


def test_a_huge_integer_in_json_stays_text() -> None:
    result = read_json(('[{"title": "Good paper", "abstract": ' + "7" * 5000 + "}]").encode(), "n.json")
    assert result.papers[0].abstract == "7" * 5000


# --- YAML tags, aliases, nesting ----------------------------------------------------------


def test_yaml_tags_are_refused_by_line_and_the_other_papers_kept(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    data = textwrap.dedent(
        f"""\
        - title: !!python/object/apply:os.system ["touch {marker}"]
          abstract: x
        - title: Tagged abstract
          abstract: !!python/name:os.system
        - title: !custom local tag
          abstract: y
        """
    ).encode() + GOOD_YAML.encode()
    result = read_yaml(data, "tags.yaml")
    assert not marker.exists()
    assert titles(result) == ["Tagged abstract", "Good paper"]
    assert messages(result) == [
        "tags.yaml:1: YAML tag '!!python/object/apply:os.system' is not allowed in a paper list; value ignored",
        "tags.yaml:4: YAML tag '!!python/name:os.system' is not allowed in a paper list; value ignored",
        "tags.yaml:5: YAML tag '!custom' is not allowed in a paper list; value ignored",
        "tags.yaml: item 1: missing or empty 'title'; skipped",
        "tags.yaml: item 2: missing or empty 'abstract'",
        "tags.yaml: item 3: missing or empty 'title'; skipped",
    ]


def alias_bomb(levels: int = 9) -> bytes:
    """The "billion laughs" in YAML: each level is ten aliases of the one before."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 10) + "]")
    lines.append(f"papers: [{{title: *a{levels}, abstract: *a{levels}, authors: *a{levels}, arxiv: *a{levels}}}]")
    return ("\n".join(lines) + "\n").encode()


def test_a_yaml_alias_bomb_is_refused_with_a_clear_message() -> None:
    result = read_yaml(alias_bomb(), "bomb.yaml")
    assert result.papers == []
    (message,) = messages(result)
    match = re.match(r"bomb\.yaml:1: invalid YAML: aliases would expand the document to ([\d,]+) nodes", message)
    assert match and int(match.group(1).replace(",", "")) > 10**10
    assert "at most 100,000 more" in message


def test_a_yaml_alias_bomb_needs_little_memory() -> None:
    """Run the reader in a child process capped at 512 MB of address space: expanding would need far more."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))\n"
        "from generator.sources.structured import read_yaml\n"
        "from tests.test_broken_input import alias_bomb\n"
        "print(read_yaml(alias_bomb(12), 'bomb.yaml').problems[0].message)\n"
    )
    if not hasattr(resource, "RLIMIT_AS"):
        pytest.skip("no RLIMIT_AS on this platform")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "aliases would expand the document" in result.stdout


def test_a_few_harmless_aliases_are_fine() -> None:
    data = b"- &p\n  title: Good paper\n  abstract: Fine.\n  authors: &who [Ada, Alan]\n"
    data += b"- title: Other\n  abstract: x\n  authors: *who\n"
    result = read_yaml(data, "ok.yaml")
    assert titles(result) == ["Good paper", "Other"]
    assert result.papers[1].authors == ("Ada", "Alan")
    assert result.problems == []


def test_recursive_aliases_are_refused() -> None:
    result = read_yaml(b"papers: &loop [*loop]\n", "loop.yaml")
    assert messages(result) == ["loop.yaml:1: invalid YAML: a recursive alias (a node that contains itself)"]


@pytest.mark.parametrize(("reader", "data"), [(read_yaml, b"[" * 20_000), (read_json, b"[" * 200_000 + b"]" * 200_000)])
def test_absurd_nesting_is_refused_not_a_crash(reader: object, data: bytes) -> None:
    result = reader(data, "deep")  # type: ignore[operator]
    assert result.papers == []
    assert "nested too deeply" in messages(result)[0] or "invalid" in messages(result)[0]


# --- Whole builds ----------------------------------------------------------------------------


def test_a_build_over_broken_files_reports_each_and_builds_the_good_papers(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    issues = project / "issues"
    (issues / "2026-11-28-empty.txt").write_bytes(b"")
    (issues / "2026-11-28-banner.txt").write_text(BANNER, encoding="utf-8")
    (issues / "2026-11-28-bomb.yaml").write_bytes(alias_bomb())
    (issues / "2026-11-28-binary.json").write_bytes(bytes(range(256)) * 4)
    (issues / "2026-11-28-mixed.yaml").write_bytes(
        b"- title: !!python/object/apply:os.system [id]\n  abstract: x\n- title: Good \xff paper\n  abstract: Fine.\n"
    )
    result = run_digest("build", "--quiet", cwd=project)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("issues/2026-11-28-bomb.yaml:1: invalid YAML: aliases would expand") for line in lines)
    assert "issues/2026-11-28-binary.json:2: invalid UTF-8 at byte 117, replaced" in lines
    assert "issues/2026-11-28-binary.json:1: invalid JSON: Expecting value" in lines
    assert "issues/2026-11-28-empty.txt: the file is empty: it holds no papers" in lines
    assert "issues/2026-11-28-mixed.yaml:3: invalid UTF-8 at byte 14, replaced" in lines
    assert any(line.startswith("issues/2026-11-28-mixed.yaml:1: YAML tag '!!python/object/apply") for line in lines)
    pages = paper_articles(project / "content")
    assert len(pages) == 6  # the five of the fixture and "Good \ufffd paper"
    assert any("Good \ufffd paper" in page for page in pages.values())


def test_all_files_are_read_even_when_every_one_is_broken(tmp_path: Path) -> None:
    for name, data in {"2026-01-01.yaml": b"[", "2026-01-02.json": b"{", "2026-01-03.txt": b"\xff"}.items():
        (tmp_path / name).write_bytes(data)
    results, problems = read_all([tmp_path])
    assert len(results) == 3
    assert {problem.path.rsplit("/", 1)[-1] for problem in problems} == {
        "2026-01-01.yaml", "2026-01-02.json", "2026-01-03.txt"
    }


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(("name", "text"), [
    ("2026-11-30.txt", "Café au lait — a paper\nIts abstract, with “quotes”.\n"),
    ("2026-11-30.yaml", "- title: Café au lait — a paper\n  abstract: Its abstract, with “quotes”.\n"),
    ("2026-11-30.json", '[{"title": "Café au lait — a paper", "abstract": "Its abstract, with “quotes”."}]'),
    ("2026-11-30.bib", "@article{a, title = {Café au lait — a paper}, abstract = {Its abstract, with “quotes”.}}\n"),
])
def test_utf16_with_a_byte_order_mark_is_read_as_text(tmp_path: Path, encoding: str, name: str, text: str) -> None:
    """Windows PowerShell's `>` and Notepad's "Unicode" write UTF-16 with a byte-order mark: read as such, not as
    replacement characters and dropped NULs. Without the mark it is not UTF-16 that can be told apart: UTF-8."""
    mark = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]  # "utf-16" writes its own
    path = tmp_path / name
    path.write_bytes(mark + text.encode(encoding))
    result = read_paper_list(path)
    assert (titles(result), messages(result)) == (["Café au lait — a paper"], [])
    assert result.papers[0].abstract == "Its abstract, with “quotes”."


def test_broken_utf16_is_replaced_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "2026-11-30.txt"
    lone_surrogate = b"\x00\xd8"
    path.write_bytes(b"\xff\xfe" + "A paper title\nIts abstract.".encode("utf-16-le") + lone_surrogate
                     + "\n".encode("utf-16-le"))
    result = read_paper_list(path)
    assert (titles(result), result.papers[0].abstract) == (["A paper title"], "Its abstract.\ufffd")
    assert messages(result) == [f"{path}: invalid UTF-16 replaced"]


def test_a_date_that_does_not_exist_is_named_with_the_reason(tmp_path: Path) -> None:
    # "no issue date" and "is not YYYY-MM-DD" did not say that 2026-02-30 has the right shape and no day.
    paper = "papers:\n  - title: A paper\n    abstract: Its abstract.\n"
    (tmp_path / "2026-02-30.yaml").write_text(paper, encoding="utf-8")
    (tmp_path / "list.yaml").write_text("date: 2026-11-31\n" + paper, encoding="utf-8")
    (tmp_path / "other.yaml").write_text("date: 2026-13-01\n" + paper, encoding="utf-8")
    results, problems = read_all([tmp_path])
    assert not [paper for result in results for paper in result.papers]
    messages = [str(problem).removeprefix(f"{tmp_path}/") for problem in problems]
    assert "2026-02-30.yaml: the file name's date is no date (2026-02-30: February 2026 has 28 days); the file is" \
           " skipped" in messages
    assert "list.yaml: top-level date is no date (2026-11-31: November 2026 has 30 days)" in messages
    assert "other.yaml: top-level date is no date (2026-13-01: there is no month 13)" in messages


@pytest.mark.parametrize("extension", ["txt", "bib", "yaml", "json", "jsonl", "xml"])
@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf \r\n\t\n", b"\xff\xfe"])
def test_an_empty_paper_list_is_reported_whatever_its_format(tmp_path: Path, extension: str, data: bytes) -> None:
    """A failed export or download leaves an empty file: one message, in every format alike (an empty .txt, .bib
    or .jsonl said nothing, an empty .json "invalid JSON", an empty .xml "empty response"); the papers of the
    other files are read."""
    (tmp_path / f"2026-01-01.{extension}").write_bytes(data)
    (tmp_path / "2026-01-02.yaml").write_text("- title: A paper\n  abstract: Its abstract.\n", encoding="utf-8")
    results, problems = read_all([tmp_path])
    reported = [str(problem) for problem in problems]
    assert reported == [f"{tmp_path / f'2026-01-01.{extension}'}: the file is empty: it holds no papers"], reported
    assert [paper.title for result in results for paper in result.papers] == ["A paper"]


@pytest.mark.parametrize("data", [b"42\n", b"<html><body>Too Many Requests</body></html>\n", b"% Encoding: UTF-8\n"])
def test_a_bibtex_paper_list_without_any_entry_is_reported(tmp_path: Path, data: bytes) -> None:
    """Text outside entries is a comment to BibTeX: a page a failed download saved, a JSON export named .bib, gave no
    paper and no message, as if the day had none."""
    (tmp_path / "2026-01-01.bib").write_bytes(data)
    (tmp_path / "2026-01-02.yaml").write_text("- title: A paper\n  abstract: Its abstract.\n", encoding="utf-8")
    results, problems = read_all([tmp_path])
    assert [str(problem) for problem in problems] == [
        f"{tmp_path / '2026-01-01.bib'}: no BibTeX entry (@article{{…}}, @misc{{…}}) in the file: it holds no papers"]
    assert [paper.title for result in results for paper in result.papers] == ["A paper"]


def test_a_title_with_line_ends_is_one_line_everywhere_with_the_same_id(tmp_path: Path) -> None:
    """Pages showed "--- title: … ---", but a feed's <title> kept the line ends (front matter shaped, in a reader)."""
    from generator.model import paper_id

    path = tmp_path / "2026-01-01.json"
    path.write_text(json.dumps([{"title": "---\ntitle: front matter\r\n---\t x", "abstract": "An abstract."},
                                {"title": "Override \u202eleft open", "abstract": "An abstract."}]), encoding="utf-8")
    paper, bidi = read_paper_list(path).papers
    assert paper.title == "--- title: front matter --- x"
    assert bidi.title == "Override left open" and bidi.id == paper_id("Override \u202eleft open", None)
    written = "---\ntitle: front matter\r\n---\t x"
    assert paper.id == paper_id("--- title: front matter --- x", None) == paper_id(written, None)


def test_a_tab_where_yaml_takes_none_says_what_to_do() -> None:
    result = read_yaml(b"- title: A paper\t\n  abstract: Fine.\n", "t.yaml")
    assert messages(result) == ["t.yaml:1: invalid YAML: found character '\\t' that cannot start any token (YAML takes"
                                " no tab there: replace it with spaces, or quote the value)"]
