"""The digest command as a user sees it: messages, exit codes, no tracebacks."""

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SMALL, run_digest
from tests.pages import paper_articles


def small_project(tmp_path: Path) -> Path:
    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    return project


def test_build_prints_counts_and_exits_zero(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    with (project / "topics.yml").open("a", encoding="utf-8") as taxonomy:  # a topic no paper takes
        taxonomy.write("  - name: Zymurgy\n    description: Brewing beer.\n    keywords: [brewing, hops]\n")
    result = run_digest("build", cwd=project)
    assert result.returncode == 0
    assert "5 papers in 2 issues; 0 problems." in result.stdout
    assert "Papers by first topic:" in result.stdout
    assert (project / "content" / "index.md").is_file()
    table = result.stdout.split("Papers by first topic:\n")[1].splitlines()
    rows = [line.rsplit(maxsplit=1) for line in table if line.startswith("  ")]
    counts = [int(number) for _, number in rows[:-1]]
    assert rows[-1][0].strip() == "Other" and counts == sorted(counts, reverse=True) and 0 in counts  # Other last


def test_problems_are_listed_on_stderr_and_the_good_papers_built(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    (project / "issues" / "2026-11-28.txt").write_text("Good title\nGood abstract.\nDangling\n", encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "issues/2026-11-28.txt:3: title without an abstract\n"
    assert len(paper_articles(project / "content")) == 6


def test_strict_makes_problems_fatal_and_writes_nothing(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    (project / "issues" / "undated.yaml").write_text("- title: A\n  abstract: B\n", encoding="utf-8")
    result = run_digest("build", "--strict", cwd=project, check=False)
    assert result.returncode == 1
    assert "issues/undated.yaml: no issue date" in result.stderr
    assert "Error: 1 problem found and --strict is set; nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "content").exists()


def test_bad_usage_exits_two(tmp_path: Path) -> None:
    result = run_digest("build", "--no-such-option", cwd=tmp_path, check=False)
    assert result.returncode == 2
    assert "No such option" in result.stderr


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    (project / "digest.yml").write_text("topic_page_size: many\nfeeds: {mode: weekly}\ncolour: red\n", encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "digest.yml:3: unknown setting 'colour' ignored",
        "Error: digest.yml:1: 'topic_page_size' must be a whole number of at least 1, not 'many' (text)",
        "Error: digest.yml:2: feeds.mode must be 'papers' or 'issues'",
    ]


def test_a_settings_message_names_the_line_of_the_setting_or_of_its_list_item(tmp_path: Path) -> None:
    """Every message about digest.yml named the file alone: in a file of 60 lines, the maintainer looked for the
    setting by hand. A list item is named by its own line, a setting the file leaves out by its section's."""
    from generator.config import load_config
    from generator.errors import ConfigError

    path = tmp_path / "digest.yml"
    path.write_text("# settings\nnav_issues: 3\nwatch:\n  phrases:\n    - diffusion\n    - 7\n"
                    "feeds:\n\n  limit: 0\npicks:\n  per_issue: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).splitlines() == [
        f"{path}:9: 'feeds.limit' must be a whole number of at least 1, not 0",
        f"{path}:6: watch.phrases: item 2 must be text, not int (YAML reads a bare number as a number: put it in"
        " quotes)",
        f"{path}:10: picks.reading_list is required: the path of a BibTeX file or a list of arXiv ids",
    ]


def test_commands_run_outside_a_site_say_there_is_no_digest_yml(tmp_path: Path) -> None:
    # They blamed settings of a digest.yml that is not there: "named by the `papers:` setting of digest.yml",
    # "digest.yml has no 'picks:' setting".
    result = run_digest("epoch", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stderr == ("Error: data/issues: no such file or folder (named by the default of the `papers:`"
                             " setting: there is no digest.yml here, so this folder is not a site's folder; run the"
                             " command in one, digest new NAME makes one); to start a digest without papers, create"
                             " the folder (a README.md in it keeps it in git)\n")
    result = run_digest("picks", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stderr == ("Error: no digest.yml here, so no 'picks:' setting: run the command in a site's folder"
                             " (digest new NAME makes one)\n")


@pytest.mark.parametrize("command", [("build",), ("epoch",), ("topics", "report"), ("email",)])
def test_a_config_that_is_a_folder_is_an_error_not_a_traceback(tmp_path: Path, command: tuple[str, ...]) -> None:
    project = small_project(tmp_path)
    result = run_digest(*command, "--config", "issues", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr == "Error: issues: cannot read the settings: Is a directory\n"


def test_a_setting_with_a_typo_is_named_with_the_setting_meant(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    (project / "digest.yml").write_text(
        "papers: [issues]\ntopics: topics.yml\ntopic_pagesize: 50\nfeeds: {limt: 20}\nauthors: {minpapers: 2}\n"
        "watch: {author: [Ada], phrases: [x]}\nstale_after: 7\n", encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project)
    assert result.stderr.splitlines() == [  # in the order of their lines
        "digest.yml:3: unknown setting 'topic_pagesize' ignored (did you mean 'topic_page_size'?)",
        "digest.yml:4: feeds: unknown setting 'limt' ignored (did you mean 'limit'?)",
        "digest.yml:5: authors: unknown setting 'minpapers' ignored (did you mean 'min_papers'?)",
        "digest.yml:6: watch: unknown setting 'author' ignored (did you mean 'authors'?)",
        "digest.yml:7: unknown setting 'stale_after' ignored (did you mean 'stale_after_days'?)",
    ]


def test_a_setting_indented_too_little_or_too_far_is_named_with_the_place_it_belongs(tmp_path: Path) -> None:
    """``min_papers: 3`` without its ``authors:`` was "did you mean 'papers'?", and ``limit:`` had no hint at all."""
    project = small_project(tmp_path)
    (project / "digest.yml").write_text(
        "papers: [issues]\ntopics: topics.yml\nlimit: 20\nmin_papers: 2\nfeeds:\n  mode: papers\n  nav_issues: 3\n"
        "watch:\n  authors: [Ada]\npicks:\n  phrases: [x]\n", encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project, check=False)
    assert result.stderr.splitlines()[:4] == [
        "digest.yml:3: unknown setting 'limit' ignored (it is feeds.limit: indent it under 'feeds:')",
        "digest.yml:4: unknown setting 'min_papers' ignored (it is authors.min_papers: indent it under 'authors:')",
        "digest.yml:7: feeds: unknown setting 'nav_issues' ignored (not a setting of 'feeds:' but a top-level one:"
        " write it at the start of its line)",
        "digest.yml:11: picks: unknown setting 'phrases' ignored (it is watch.phrases: put it under 'watch:', not"
        " 'picks:')",
    ]


def test_a_setting_of_mkdocs_yml_written_in_digest_yml_is_told_to_go_there(tmp_path: Path) -> None:
    """``site_url:`` in digest.yml changed nothing, with a warning that did not say where the site's URL is set."""
    project = small_project(tmp_path)
    (project / "digest.yml").write_text(
        "papers: [issues]\ntopics: topics.yml\nsite_url: https://example.org/\nsite-name: Mine\n", encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project)
    assert result.stderr.splitlines() == [
        "digest.yml:3: unknown setting 'site_url' ignored (a setting of the MkDocs config (mkdocs.yml), not of this"
        " file: set it there)",
        "digest.yml:4: unknown setting 'site-name' ignored (site_name: a setting of the MkDocs config (mkdocs.yml),"
        " not of this file: set it there)",
    ]


def test_a_section_whose_settings_are_all_commented_out_has_its_defaults(tmp_path: Path) -> None:
    """digest.yml lists every default; commenting out every line under `feeds:` to use them left `feeds:` empty, and
    every command stopped with "'feeds' must be a mapping"."""
    from generator.config import AuthorSettings, FeedSettings, load_config

    path = tmp_path / "digest.yml"
    path.write_text("feeds:\n#  limit: 50\n#  mode: papers\nauthors:\n#  min_papers: 5\nnav_issues: 3\n",
                    encoding="utf-8")
    config, warnings = load_config(path)
    assert (config.feeds, config.authors, config.nav_issues, warnings) == (FeedSettings(), AuthorSettings(), 3, [])


def test_the_watch_lists_authors_written_without_indentation_are_told_to_go_under_watch(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    (project / "digest.yml").write_text("papers: [issues]\ntopics: topics.yml\nwatch:\nauthors: [Ada]\n",
                                        encoding="utf-8")
    result = run_digest("build", "--quiet", cwd=project, check=False)
    assert result.returncode == 1
    assert ("Error: digest.yml:4: 'authors' must be a mapping (for example 'authors: {min_papers: 5}'); the authors to"
            " watch are watch.authors, indented under 'watch:'") in result.stderr.splitlines()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("digest.yml", "papers: [data/issues\n", "digest.yml:2: invalid YAML: expected ',' or ']', but got '<stream"
                                                  " end>' (while parsing a flow sequence that starts on line 1)"),
        ("digest.yml", "topics: topics.yml\n\tout: x\n", "digest.yml:2: invalid YAML: found character '\\t' that"
                                                        " cannot start any token (YAML takes no tab there: replace it"
                                                        " with spaces, or quote the value)"),
        ("topics.yml", "topics:\n  - name: 'A\n", "topics.yml:3: invalid YAML: found unexpected end of stream"
                                                  " (while scanning a quoted scalar that starts on line 2)"),
        ("digest.yml", b"papers: [\xff]\n", "digest.yml: invalid YAML: not UTF-8 text (invalid start byte at byte 9)"),
        ("digest.yml", codecs.BOM_UTF16_LE + "nav_issues: 3\n".encode("utf-16-le"),
         "digest.yml: invalid YAML: UTF-16 text (as Windows PowerShell's > and Notepad's \"Unicode\" write it), not"
         " UTF-8: save it as UTF-8"),
        ("digest.yml", "topics: topics.yml\nnav_issues:5\n", "digest.yml:3: invalid YAML: could not find expected ':'"
                                                          " (a line that is no 'name: value': YAML needs ': ', a colon"
                                                          " and a space, after each name) (while scanning a simple key"
                                                          " that starts on line 2)"),
        ("digest.yml", "nav_issues:5\n", "digest.yml: expected a mapping of settings, not the text 'nav_issues:5':"
                                         " write each as 'name: value', a space after the colon"),
        ("topics.yml", "topics:\n  - name: Theory\n    description: Proofs: bounds and rates\n",
         "topics.yml:3: invalid YAML: mapping values are not allowed here (a ': ' inside a value: put the value in"
         " quotes; or a line indented more than the one above it: line it up)"),
        # A message about colons (or tabs) at some line near them before: git's conflict markers, named as such.
        ("topics.yml", "topics:\n<<<<<<< HEAD\n  - name: Theory\n=======\n  - name: Proofs\n>>>>>>> upstream/main\n",
         "topics.yml:2: invalid YAML: a merge conflict is left in the file (git's markers <<<<<<<, =======, >>>>>>>):"
         " keep one side's lines, or both merged, and delete the markers"),
        # PyYAML's "expected <block end>, but found '<block mapping start>' (while parsing a block collection …)":
        # a key indented one space less than its topic's other keys, a topic's '- ' at another column than the rest.
        ("topics.yml", "topics:\n  - name: Theory\n    keywords: [proof]\n   description: Proofs.\n",
         "topics.yml:4: invalid YAML: this line is not lined up with the lines it belongs with: indent it with spaces"
         " as far as they are (the keys of one item in one column, the '- ' of each item of a list in one column)"),
        ("topics.yml", "topics:\n  - name: Theory\n- name: Proofs\n",
         "topics.yml:3: invalid YAML: this line is not lined up with the lines it belongs with: indent it with spaces"
         " as far as they are (the keys of one item in one column, the '- ' of each item of a list in one column)"),
        # A traceback (RecursionError) before: brackets left open thousands of times, in any hand-written file.
        ("digest.yml", "[" * 5000, "digest.yml:1: invalid YAML: nested too deeply"),
        ("topics.yml", "topics:\n  - name: {a: " + "[" * 5000, "topics.yml:2: invalid YAML: nested too deeply"),
        ("mkdocs.yml", "site_name: Small\nsite_url: [https://example.org/digest/\n",
         "mkdocs.yml:3: invalid YAML: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence that"
         " starts on line 2)"),
    ],
)
def test_invalid_yaml_is_one_line_naming_the_file_and_line(tmp_path: Path, name: str, text: str | bytes,
                                                           message: str) -> None:
    """PyYAML's message ran over several lines, each with "Error:", and named the file "<unicode string>"."""
    project = small_project(tmp_path)
    if isinstance(text, bytes):
        (project / name).write_bytes(text)
    else:
        (project / name).write_text(text, encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert (result.returncode, result.stderr) == (1, f"Error: {message}\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('stale_after_days: "3"', "1: 'stale_after_days' must be a whole number of at least 1,"
                                  " not '3' (text: write the number without quotes)"),
        ("fetch_max_bytes: 50MB", "1: 'fetch_max_bytes' must be a whole number of bytes, at least 1"
                                  " (50000000 is 50 MB), not '50MB' (text)"),
        ("feeds: {limit: 2.5}",
         "1: 'feeds.limit' must be a whole number of at least 1, not 2.5 (a number with decimals)"),
        ("nav_issues: true", "1: 'nav_issues' must be a whole number of at least 1, not True (true/false)"),
        ("max_topics:", "1: 'max_topics' must be a whole number of at least 1, not an empty value"),
        ("papers: 5", "1: 'papers' must be a path or a list of paths, not 5"),
        ("topics: [a, b]", "1: 'topics' must be a path (text), not ['a', 'b'] (a list)"),
        ("papers: [issues, yes]", "1: papers: item 2 must be a path (text), not True (true/false)"),
        ("papers:\n  - issues\n  -", "3: papers: item 2 must be a path (text), not an empty value"),
        # A traceback (ValueError from PyYAML) before: a date that is no date, a number Python will not convert.
        ("nav_issues: 2026-13-45", "1: 'nav_issues' must be a whole number of at least 1, not '2026-13-45' (text)"),
        ("feeds:\n  limit: 2026-02-30",
         "2: 'feeds.limit' must be a whole number of at least 1, not '2026-02-30' (text)"),
        # A number of more digits than Python converts is read as text: not "write the number without quotes".
        ("nav_issues: " + "9" * 5000, "1: 'nav_issues' must be a whole number of at least 1, not"
                                      f" '{'9' * 27}...{'9' * 28}' (a number of 5,000 digits)"),
        # OSError (File name too long) from the first look at the path before: a paragraph pasted into a path setting.
        ("topics: " + "x" * 300, f"1: topics: no file system takes '{'x' * 27}...{'x' * 28}', a name of 300 bytes (file"
                                 " systems take 255)"),
        ("papers: [issues, " + "x" * 300 + "]", f"1: papers: item 2: no file system takes '{'x' * 27}...{'x' * 28}', a"
                                                " name of 300 bytes (file systems take 255)"),
    ],
)
def test_a_setting_of_the_wrong_type_says_what_it_takes_and_what_was_found(
    tmp_path: Path, text: str, message: str
) -> None:
    project = small_project(tmp_path)
    (project / "digest.yml").write_text(text + "\n", encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"Error: digest.yml:{message}"]  # the setting's line, then the message


@pytest.mark.parametrize("digits", ["\u00b2", "\u0663"], ids=["superscript-two", "arabic-indic-3"])
def test_a_quoted_setting_of_digits_that_are_not_ascii_is_not_told_to_drop_its_quotes(
    tmp_path: Path, digits: str
) -> None:
    # Without quotes "²" and "٣" are text still (YAML reads ASCII digits only): the hint sent one round in circles.
    from generator.config import load_config
    from generator.errors import ConfigError

    path = tmp_path / "digest.yml"
    path.write_text(f'stale_after_days: "{digits}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).endswith(f"'stale_after_days' must be a whole number of at least 1, not '{digits}' (text)")


def test_options_override_the_config(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    out = tmp_path / "elsewhere"
    run_digest("build", "--papers", "issues/2026-11-20.txt", "--out", str(out), "--topics", "topics.yml", cwd=project)
    assert len(paper_articles(out)) == 3
    assert not (project / "content").exists()


def test_a_paper_folder_that_is_not_there_is_an_error_and_the_built_site_stays(tmp_path: Path) -> None:
    """A typo in --papers, or a renamed folder, must not build an empty digest over the published one."""
    project = small_project(tmp_path)
    run_digest("build", cwd=project)
    before = {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    assert len(paper_articles(project / "content")) == 5
    result = run_digest("build", "--papers", "isues", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr == (
        "Error: isues: no such file or folder (named by --papers); to start a digest without papers, create the "
        "folder (a README.md in it keeps it in git)\n"
    )
    (project / "issues").rename(project / "renamed")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert "issues: no such file or folder (named by the `papers:` setting of digest.yml)" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()} == before
    (project / "issues").mkdir()  # an empty folder: a digest without papers, built as asked
    assert run_digest("build", cwd=project).returncode == 0
    assert paper_articles(project / "content") == {}


def test_missing_mkdocs_config_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    (project / "mkdocs.yml").unlink()
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr == ("Error: mkdocs.yml: no such file: this folder is not a site's folder; run the command in"
                             " one (digest new NAME makes one)\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("site_name: 2026\nsite_url: https://example.org/digest/\n",
         "'site_name' must be text, not 2026: YAML reads it as a number; put it in quotes"),
        ("site_name: yes\nsite_url: https://example.org/digest/\n",
         "'site_name' must be text, not True: YAML reads it as a yes-or-no value; put it in quotes"),
        ("site_name: Small\nsite_url: example.org/digest/\n", "'site_url' must be an absolute http(s) URL (feeds need"
         " it), not 'example.org/digest/' (did you mean 'https://example.org/digest/'?)"),
        ("site_name: Small\nsite_url: ftp://example.org/\n",
         "'site_url' must be an absolute http(s) URL (feeds need it), not 'ftp://example.org/'"),
    ],
)
def test_a_site_name_or_url_of_the_wrong_kind_says_what_was_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    """``site_name: 2026`` was "'site_name' is required", and a URL without its scheme was not shown."""
    monkeypatch.delenv("SITE_URL", raising=False)
    project = small_project(tmp_path)
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert (result.returncode, result.stderr) == (1, f"Error: mkdocs.yml: {message}\n")


def test_a_missing_file_named_by_a_setting_names_the_setting_and_the_config_file(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    config = (project / "digest.yml").read_text(encoding="utf-8")
    wrong = config.replace("topics: topics.yml", "topics: data/topic.yml")
    (project / "digest.yml").write_text(wrong, encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert (result.returncode, result.stderr) == (1, "Error: digest.yml: topics: data/topic.yml: no such file\n")
    (project / "digest.yml").write_text(config + "mkdocs_config: mkdoc.yml\n", encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert (result.returncode, result.stderr) == (1, "Error: digest.yml: mkdocs_config: mkdoc.yml: no such file\n")
    (project / "digest.yml").write_text(config, encoding="utf-8")
    result = run_digest("build", "--topics", "topic.yml", cwd=project, check=False)
    assert (result.returncode, result.stderr) == (1, "Error: --topics topic.yml: no such file\n")
    (project / "other.yml").write_text("papers: [isues]\ntopics: topics.yml\n", encoding="utf-8")
    result = run_digest("build", "--config", "other.yml", cwd=project, check=False)
    assert result.returncode == 1
    assert "isues: no such file or folder (named by the `papers:` setting of other.yml)" in result.stderr
    (project / "other.yml").write_text("papers: [issues]\ntopics: topics.yml\ncuration: cur.yml\n", encoding="utf-8")
    result = run_digest("build", "--config", "other.yml", cwd=project, check=False)
    assert result.returncode == 1
    assert "Error: cur.yml: no such file (named by `curation:` in other.yml)" in result.stderr


def test_epoch_is_the_newest_issue_date(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    assert run_digest("epoch", cwd=project).stdout.strip() == "1795737600"  # 2026-11-27T00:00:00Z


def test_epoch_fails_as_the_build_does_when_the_papers_are_not_there(tmp_path: Path) -> None:
    """It printed 0 and succeeded, so a script went on to build a site dated 1970."""
    project = small_project(tmp_path)
    (project / "issues").rename(project / "renamed")
    build = run_digest("build", cwd=project, check=False)
    epoch = run_digest("epoch", cwd=project, check=False)
    assert (epoch.returncode, epoch.stdout, epoch.stderr) == (1, "", build.stderr)
    assert "issues: no such file or folder (named by the `papers:` setting of digest.yml)" in epoch.stderr
    assert run_digest("epoch", "--papers", "isues", cwd=project, check=False).returncode == 1
    (project / "issues").mkdir()  # no papers yet: the build succeeds, and so does epoch
    assert run_digest("epoch", cwd=project).stdout == "0\n"


def run_in_terminal(project: Path, *args: str, environment: dict[str, str] | None = None, columns: int = 0) -> str:
    """Run ``digest`` with a pseudo-terminal as stdout and stderr, as a user at a terminal does (``columns`` wide)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=project, stdin=follower, stdout=follower, stderr=follower,
        env={**os.environ, "TERM": "xterm", **(environment or {})},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_each_stage_on_a_terminal(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    output = run_in_terminal(project, "build")
    for stage in ("read", "merge", "topics", "render", "feeds", "write"):
        assert f"] {stage}…" in output, stage
    assert "\r\x1b[K" in output  # one line, redrawn in place
    assert "5 papers in 2 issues" in output


def test_the_readme_names_the_stages_the_progress_line_shows_in_their_order(tmp_path: Path) -> None:
    """README's list of stages left out "picks", which every build shows between topics and related."""
    import re

    from tests.conftest import ROOT

    shown = re.findall(r"\] ([a-z]+)…", run_in_terminal(small_project(tmp_path), "build"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = re.search(r"`digest build` shows which stage it is in \(([^)]*)\)", readme)
    assert sentence is not None
    named = re.findall(r"\b[a-z]+\b", re.sub(r"—[^—]*—", "", sentence.group(1)))
    assert named == shown


def test_progress_stays_quiet_with_quiet_and_in_logs(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    assert "…" not in run_in_terminal(project, "build", "--quiet")
    (project / "content").mkdir(exist_ok=True)
    piped = run_digest("build", "--out", "other", cwd=project)  # stderr is a pipe, as in CI logs
    assert piped.stderr == ""
    assert "papers in" in piped.stdout


@pytest.mark.parametrize("columns", [40, 80])
def test_progress_line_fits_the_terminal(tmp_path: Path, columns: int) -> None:
    """The line grew to 88 characters by the last stage: on an 80-column terminal it wrapped, and each redraw left
    its first part on the screen, above the summary."""
    project = small_project(tmp_path)
    output = run_in_terminal(project, "build", columns=columns)
    drawn = [part.split("\n")[0] for part in output.split("\r\x1b[K") if "…" in part]
    assert drawn and drawn[-1].endswith("] write…")
    assert max(len(line) for line in drawn) < columns


def test_progress_sends_no_escape_sequences_to_a_dumb_terminal(tmp_path: Path) -> None:
    """Emacs' shell (TERM=dumb) is a terminal that moves no cursor: the redrawn progress line showed there as
    `^[[K[1] check…^[[K…`, stage after stage on one long line."""
    project = small_project(tmp_path)
    output = run_in_terminal(project, "build", environment={"TERM": "dumb"})
    assert "\x1b" not in output and "…" not in output
    assert "5 papers in 2 issues" in output


def test_control_characters_from_the_data_are_shown_as_escapes_not_sent_to_the_terminal(tmp_path: Path) -> None:
    """A paper list's name and a hide reason reach the terminal: their escape sequences (colours, a screen clear, an
    OSC 8 link) and bells were printed as they were, and drove the maintainer's terminal."""
    project = small_project(tmp_path)
    hostile = "\x1b[2J\x1b]8;;https:evil.example\x07link\x1b]8;;\x07\x08\r"
    (project / "issues" / f"2026-11-28-{hostile}.txt").write_text("Good title\nGood abstract.\nDangling\n",
                                                                  encoding="utf-8")
    (project / "data").mkdir()
    (project / "data" / "curation.yml").write_text(
        'papers:\n  "2410.00907":\n    hide: "Withdrawn \\e[31mred\\e[0m \\a"\n', encoding="utf-8"
    )
    output = run_in_terminal(project, "build")
    shown = output.replace("\r\x1b[K", "")  # the progress line, redrawn in place
    assert [character for character in shown if ord(character) < 32 and character not in "\r\n"] == []
    assert "2026-11-28-\\x1b[2J\\x1b]8;;https:evil.example\\x07link" in shown
    assert "Hidden by curation: 2410.00907 (Withdrawn \\x1b[31mred\\x1b[0m \\x07)" in shown


def test_a_feed_id_prefix_that_is_not_a_uri_is_refused(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    (project / "digest.yml").write_text("feeds: {id_prefix: 'my digest'}\n", encoding="utf-8")
    result = run_digest("build", cwd=project, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: digest.yml:1: feeds.id_prefix must be the start of a URI such as 'tag:example.org,2026:'"
        " (a scheme, a colon, no spaces), not 'my digest'"
    ]


@pytest.mark.parametrize("encoding", ["cp1252", "iso-8859-2"])
def test_json_output_stays_json_where_stdouts_encoding_cannot_show_a_title(tmp_path: Path, encoding: str) -> None:
    """`digest topics report --json > published.json` in a Windows pipe (cp1252) or a Latin-2 locale escaped what the
    encoding lacks as Python does, `\\U0001d4aa` for "𝒪" and `\\xf1` for "ñ": escapes JSON does not have, so the
    file was no JSON (`pin --from` and jq refused it). They are JSON's `\\ud835\\udcaa` and `\\u00f1` now."""
    project = small_project(tmp_path)
    title = "𝒪(n) Señales Attention for Everything"
    (project / "issues" / "2026-11-28.yaml").write_text(
        f"- title: {title}\n  abstract: We attend to everything, everywhere.\n  arxiv: '2401.00001'\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "topics", "report", "--json"], cwd=project,
                            capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding}, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.decode(encoding))
    assert title in [item["title"] for item in report]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
@pytest.mark.parametrize("command", [("topics", "report", "--json"), ("epoch",), ("email",)])
def test_output_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path: Path, command: tuple[str, ...]) -> None:
    """`digest topics report --json > published.json` on a full disk ended in a traceback (`OSError: [Errno 28] No
    space left on device`, from deep in click)."""
    project = small_project(tmp_path)
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run([sys.executable, "-m", "generator", *command], cwd=project, stdout=full,
                                stderr=subprocess.PIPE, text=True, check=False)
    assert (result.returncode, result.stderr) == (1, "Error: cannot write the output: No space left on device\n")


def test_counts_of_one_are_singular_in_the_summary_and_on_the_home_page(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    for old in (project / "issues").iterdir():
        old.unlink()
    (project / "issues" / "2026-11-28.txt").write_text("A single paper\nIts abstract.\n", encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert "1 paper in 1 issue; 0 problems." in result.stdout
    home = (project / "content" / "index.md").read_text(encoding="utf-8")
    assert "**1** paper in **1** issue." in home


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_text_that_stdouts_encoding_cannot_show_is_escaped_not_a_traceback(tmp_path: Path, encoding: str) -> None:
    """stdout in a Windows pipe or console (cp1252, unless PYTHONUTF8=1: `digest build > log.txt`, `mkdocs serve`'s
    rebuilds) or a legacy Latin-1 locale cannot show "撤回": the build wrote content/, then printing the hidden paper's
    reason ended in a UnicodeEncodeError traceback, exit status 1. Python escapes such characters on stderr; so does
    stdout now."""
    project = small_project(tmp_path)
    (project / "issues" / "2026-11-28.yaml").write_text(
        "- title: 注意力 Attention for Everything\n  abstract: We attend to everything, everywhere.\n"
        "  arxiv: '2401.00001'\n- title: 多模态 Models\n  abstract: Models of many kinds.\n", encoding="utf-8")
    (project / "data").mkdir()
    (project / "data" / "curation.yml").write_text("papers:\n  2401.00001: {hide: 撤回 (withdrawn)}\n",
                                                   encoding="utf-8")
    environment = {**os.environ, "PYTHONIOENCODING": encoding}
    for command in (("build",), ("topics", "report")):
        result = subprocess.run([sys.executable, "-m", "generator", *command], cwd=project, capture_output=True,
                                env=environment, check=False)
        assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode(encoding)
        assert b"\\u" in result.stdout
    assert b"Hidden by curation: 2401.00001 (\\u64a4\\u56de (withdrawn))" in subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, env=environment,
        check=False).stdout


@pytest.mark.parametrize("option", ["--papers", "--topics", "--out", "--config"])
def test_a_path_option_no_file_system_takes_is_a_usage_error(tmp_path: Path, option: str) -> None:
    # OSError (File name too long) from the first look at the path: a traceback before.
    result = run_digest("build", option, "x" * 300, cwd=small_project(tmp_path), check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (f"Error: Invalid value for '{option}': no file system takes"
                                              f" '{'x' * 27}...{'x' * 28}', a name of 300 bytes (file systems take"
                                              " 255)")


def test_digest_serve_says_that_mkdocs_serves_the_site(tmp_path: Path) -> None:
    """After `digest build` a newcomer typed `digest serve`, and read only "No such command 'serve'"."""
    result = run_digest("serve", cwd=tmp_path, check=False)
    assert result.returncode == 2
    error = result.stderr.splitlines()[-1]
    assert error.startswith("Error: No such command 'serve'. MkDocs serves the site: in its folder, run `")
    assert "digest build` once (MkDocs needs the content/ it writes), then `" in error
    assert " serve`, which runs digest build again on every edit; in a checkout of Paper Digest, `make serve`." in error
    assert "Did you mean" in run_digest("biuld", cwd=tmp_path, check=False).stderr  # other mistakes as before


@pytest.mark.parametrize(("typed", "said"), [
    ("why", "No such command 'why'; `digest topics explain` says why a paper has its topics."),
    ("rename", "No such command 'rename': a topic is renamed in the taxonomy: change its name (and slug), and keep"
               " each slug published before in its `formerly:`"),
    ("merge", "No such command 'merge': topics are merged in the taxonomy: keep one,"),
    ("split", "No such command 'split': a topic is split in the taxonomy:"),
    ("delete", "No such command 'delete': a topic is removed by deleting it from the taxonomy;"),
])
def test_topics_commands_a_maintainer_guesses_say_where_the_edit_is_made(typed: str, said: str) -> None:
    """`digest topics rename` (or merge, why) answered only "No such command": renaming and merging are edits of
    the taxonomy with `formerly:`, which the error now says, and `why` is `explain`."""
    result = run_digest("topics", typed, "x", check=False)
    assert result.returncode == 2
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"Error: {said}"), error
    if typed != "why":
        assert error.endswith("`digest topics pin` before the edit keeps the topics of published papers; the next"
                              " `digest build` says which feeds it drops and which papers move."), error
    assert run_digest("topics", "frob", check=False).stderr.splitlines()[-1] == "Error: No such command 'frob'."
