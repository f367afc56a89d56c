"""The README's examples run as written, against a copy of the bundled example (never data/ itself).

A fenced block marked ``example: PATH`` on its first line is saved under PATH in the copy; a
``sh`` block marked ``example`` is run there line by line with bash, as a user would after
``make setup`` (``.venv/bin/digest`` exists; ``digest`` alone is not on the PATH). Then the
copy must build with ``--strict``: every example file read without a problem, every
curation entry matching a paper. Examples that need a network or secrets stay unmarked.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.sources import format_of
from generator.sources.common import date_from_name
from tests.conftest import ROOT, SEED_TOPICS, make_project

pytestmark = pytest.mark.slow
FENCE = re.compile(r"^( *)```(\w+)([^\n]*)\n(.*?)^\1```", re.M | re.S)


@dataclass(frozen=True)
class Example:
    language: str
    path: str | None
    text: str


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def examples() -> list[Example]:
    found = []
    for match in FENCE.finditer(readme()):
        indent, language, info, body = match.groups()
        marked = re.fullmatch(r"\s+example(?::\s*(\S+))?\s*", info)
        if marked:
            text = "".join(line.removeprefix(indent) for line in body.splitlines(keepends=True))
            found.append(Example(language, marked.group(1), text))
    return found


def test_the_readme_marks_its_runnable_examples() -> None:
    marked = examples()
    files = sorted(example.path for example in marked if example.path)
    assert files == [
        "data/curation.yml", "data/issues/2026-11-28-arxiv-bulk.jsonl", "data/issues/2026-11-28-hf.json",
        "data/issues/2026-11-28-reading.bib",
        "data/issues/2026-11-28-reading.jsonl", "data/issues/2026-11-28.yaml", "data/issues/2026-11-29-arxiv.xml",
    ]
    assert [example.language for example in marked if example.path is None] == ["sh"]


def test_the_readme_examples_run_against_the_bundled_example(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    for example in examples():
        if example.path:
            (project / example.path).write_text(example.text, encoding="utf-8")
    digest = project / ".venv" / "bin" / "digest"  # what make setup installs, here running this test's Python
    digest.parent.mkdir(parents=True)
    digest.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n', encoding="utf-8")
    digest.chmod(digest.stat().st_mode | stat.S_IXUSR)
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(part for part in os.environ["PATH"].split(os.pathsep) if part != venv_bin)
    environment = {**os.environ, "PATH": path}
    environment.pop("SITE_URL", None)
    for example in examples():
        if example.path is None:
            for line in example.text.splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    result = subprocess.run(["bash", "-c", line], cwd=project, env=environment,
                                            capture_output=True, text=True, check=False)
                    assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
                    assert result.stdout.strip(), line
    result = subprocess.run([str(digest), "build", "--strict"], cwd=project, env=environment,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Hidden by curation: t565b128e90c (Withdrawn by the authors" in result.stdout
    # The YAML and arXiv examples list one paper with different authors: the fuller list is kept, with a note.
    assert "disagree on its authors: kept the 2 of data/issues/2026-11-28.yaml" in result.stderr


def test_the_bundled_sites_pages_files_and_bytes_are_the_readmes(seed_site: Path) -> None:
    """README, "When Material is gone", said the bundled site was 3.27 MB in 531 files; make site printed 3.28 MB in
    534. The seed is the bundled listing with the example's settings (its about.md a few hundred bytes shorter)."""
    from generator.pages_limits import measure

    row = next(line for line in readme().splitlines() if line.startswith("| bundled site: pages"))
    mkdocs_cell = row.split(" | ")[1]
    numbers = re.search(r"(\d+) pages \+ 404, [^,]+, ([\d.]+) MB in (\d+) files", mkdocs_cell)
    assert numbers is not None, mkdocs_cell
    pages, megabytes, files = int(numbers.group(1)), float(numbers.group(2)), int(numbers.group(3))
    site = seed_site / "site"
    size = measure(site)
    assert (len(list(site.rglob("index.html"))), size.files) == (pages, files)
    assert (site / "404.html").is_file()
    assert abs(size.total / 10**6 - megabytes) < 0.02 * megabytes, size.total


def test_the_readme_gives_the_bundled_listings_size_right() -> None:
    """README, "GitHub Pages' limits", called a 20-paper daily digest "the bundled Hugging Face listing's size"; the
    listing holds 119 papers."""
    from generator.merge import merge_papers
    from generator.sources import read_all
    from tests.conftest import SEED

    held = re.search(r"the bundled listing holds (\d+)", readme())
    assert held is not None
    results, _ = read_all([SEED])
    assert int(held.group(1)) == len(merge_papers(paper for result in results for paper in result.papers))


def test_the_readmes_commands_run_this_repositorys_python_with_the_venvs_python() -> None:
    """README's Development block said `python bench/search_payload.py`: on a fresh machine `python` is missing
    (Debian has python3 only) or lacks the dependencies, which make setup installs into .venv alone."""
    commands = [line.strip() for match in FENCE.finditer(readme()) if match.group(2) == "sh"
                for line in match.group(4).splitlines()]
    ours = re.compile(r"(?:^|[\s;&|(])(\S*python3?) (?:-m (?:generator|pytest)\b|(?:bench|tools|tests|generator)/)")
    runs = [(found.group(1), line) for line in commands for found in ours.finditer(line)]
    assert runs, "the README's blocks run no script of this repository any more: update this test"
    assert [line for python, line in runs if python != ".venv/bin/python"] == []


def test_the_format_forcing_examples_are_read_not_skipped() -> None:
    sentence = re.search(r"forces\s+another reader:(.*?)Format names", readme(), re.S)
    assert sentence is not None
    names = re.findall(r"`([^`]+)`", sentence.group(1))
    assert len(names) >= 2
    for name in names:
        forced = format_of(Path(name))
        assert forced is not None and forced != format_of(Path("x" + Path(name).suffix)), name
        assert date_from_name(Path(name)) is not None, f"{name} has no date: it would be skipped"


def test_the_commands_section_says_where_the_digest_command_is() -> None:
    section = readme().split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/digest" in section and ". .venv/bin/activate" in section


def test_the_install_steps_say_how_to_type_digest_as_the_rest_of_the_readme_does() -> None:
    """After "From nothing to a deployed site" (~/.venvs/digest/bin/digest), "Your own templates" says `digest
    override cards.html.j2`: the shell found no `digest`, and nothing said how to make it find one."""
    section = readme().split("\n### From nothing to a deployed site\n", 1)[1].split("\n### ", 1)[0]
    venv = re.search(r"python3 -m venv (\S+)", section)
    assert venv is not None
    assert f"`. {venv.group(1)}/bin/activate`" in section
    assert "digest override cards.html.j2" in readme()  # the bare command the later sections use


def readme_prose() -> list[str]:
    """The README's lines outside fenced blocks."""
    lines, fenced = [], False
    for line in readme().splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def heading_anchors() -> set[str]:
    """The anchors GitHub gives the README's headings: lower case, punctuation dropped, spaces as hyphens, and a
    heading met again numbered (``-1``, ``-2``)."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in readme_prose():
        heading = re.fullmatch(r"#{1,6} (.+)", line)
        if heading:
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
            anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


def test_every_link_inside_the_readme_leads_to_one_of_its_headings() -> None:
    links = re.findall(r"\]\(#([^)\s]+)\)", "\n".join(readme_prose()))
    assert len(links) > 10
    assert sorted({link for link in links if link not in heading_anchors()}) == []


def test_the_configuration_table_lists_every_setting_with_its_default() -> None:
    """A setting the code takes that the table leaves out, or one it lists that the code does not take (a rename),
    or a default that is not the code's, would send a newcomer's digest.yml wrong."""
    import dataclasses

    from generator.config import AuthorSettings, Config, FeedSettings, PicksSettings, WatchSettings

    section = readme().split("\n## Configuration\n", 1)[1].split("\n### ", 1)[0]
    rows = dict(re.findall(r"^\| `([\w.]+)` \| ([^|]+) \|", section, re.M))
    sections = {"feeds": FeedSettings, "authors": AuthorSettings, "watch": WatchSettings, "picks": PicksSettings}
    defaults: dict[str, object] = {}
    for field in dataclasses.fields(Config):
        if field.name in sections:
            for inner in dataclasses.fields(sections[field.name]):
                defaults[f"{field.name}.{inner.name}"] = inner.default
        elif field.name not in ("base_dir", "file"):
            defaults[field.name] = field.default
    assert sorted(rows) == sorted(defaults)
    for key, default in defaults.items():
        if isinstance(default, tuple) and default:
            expected = f"`[{', '.join(default)}]`"
        elif isinstance(default, int | float | str) and not isinstance(default, bool):
            expected = f"`{default}`"
        else:
            expected = "none"  # no default: the section is off, or the setting is required
        assert rows[key].strip() == expected, key


def test_the_commands_synopsis_names_every_command_and_its_options() -> None:
    import click

    from generator.cli import main

    block = readme().split("\n## Commands\n", 1)[1].split("```", 2)[1]
    synopsis = {}
    for line in block.splitlines():
        words = re.match(r"digest((?: [a-z][a-z-]*)+)", line)
        if words:
            synopsis[words.group(1).strip()] = line

    def leaves(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
        found: dict[str, click.Command] = {}
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                found |= leaves(command, f"{prefix}{name} ")
            else:
                found[f"{prefix}{name}"] = command
        return found

    commands = leaves(main)
    assert sorted(synopsis) == sorted(commands)
    # [FETCH OPTIONS] stands for the options the "Fetch options:" paragraph names.
    fetch_options = set(re.findall(r"`(--[a-z][a-z-]*)", readme().split("\nFetch options: ", 1)[1].split("\n\n", 1)[0]))
    assert fetch_options
    for name, line in synopsis.items():
        options = {option for param in commands[name].params for option in getattr(param, "opts", [])
                   if option.startswith("--")}
        named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line.split("#", 1)[0]))
        if "[FETCH OPTIONS]" in line:
            named |= fetch_options
        assert named <= options, f"digest {name}: {sorted(named - options)} in the README, not in --help"
        # `digest epoch` took --config/--papers/--topics, which its line left out: a newcomer read it as taking none.
        assert options <= named, f"digest {name}: {sorted(options - named)} in --help, not in the README's line"


def test_the_shape_of_topics_evaluate_json_is_in_the_readme() -> None:
    """`digest topics evaluate --json` printed keys the README named nowhere (`top1`, `macro_f1`, `given`): a script
    reading them had to guess their meaning from one run."""
    import json

    from generator.topics.evaluate import Evaluation, TopicFigures, evaluation_json

    figures = json.loads(evaluation_json(Evaluation(papers=1, agree=1, topics=[TopicFigures("a", 1, 1, 1)],
                                                    confused=[("a", "b", 1)])))
    keys = set(figures) | set(figures["topics"][0]) | set(figures["confused"][0])
    described = readme().split("`digest topics evaluate --labels FILE [--json]`", 1)[1].split("\n- ", 1)[0]
    assert sorted(key for key in keys if f'"{key}"' not in described) == []


def test_the_topics_commands_take_the_options_the_readme_says_they_share() -> None:
    """README said every `digest topics` command takes `--config/--papers/--topics`: `suggest --topics` was "No such
    option", exit status 2."""
    from generator.cli import topics_group

    shared = {"--config", "--papers", "--topics"}
    lacking = sorted(name for name, command in topics_group.commands.items()
                     if not shared <= {option for param in command.params for option in getattr(param, "opts", [])})
    sentence = re.search(r"All of them take the same `--config/--papers/--topics` options as `digest build`([^.]*)\.",
                         readme())
    assert sentence is not None
    assert [name for name in lacking if f"`{name}`" not in sentence.group(1)] == []


def test_a_new_sites_readme_names_every_format_of_the_readmes_table(tmp_path: Path) -> None:
    """The README of a site made by `digest new` named `.yaml`, `.txt`, `.xml` and `.bib` as the files to add, and
    not `.jsonl`, Hugging Face's daily papers `.json`, nor arXiv's `.rss` feeds, which the build reads alike."""
    table = readme().split("| format | extension | what it is |", 1)[1].split("\n\n", 1)[0]
    extensions = {extension for cell in re.findall(r"^\| [^|]+ \| ([^|]+) \|", table, re.M)
                  for extension in re.findall(r"`(\.[a-z.]+)`", cell) if not extension.startswith(".hf")}
    assert {".txt", ".jsonl", ".rss", ".bib"} <= extensions
    result = subprocess.run([sys.executable, "-m", "generator", "new", "site", "--url", "https://a.example.org/d/"],
                            cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.returncode == 0
    adding = (tmp_path / "site" / "README.md").read_text(encoding="utf-8").split("## Adding papers", 1)[1]
    adding = adding.split("\n#", 1)[0]
    assert sorted(extension for extension in extensions if f"`{extension}`" not in adding) == []


def test_the_contents_link_every_section_and_come_before_the_two_commands() -> None:
    """The README of ~2,900 lines had no contents: a newcomer looking for the email edition or the deploy steps could
    only scroll. Every section and subsection is linked from the list, which comes before "Two commands"."""
    prose = readme_prose()
    start = prose.index("## Contents")
    end = next(number for number, line in enumerate(prose) if number > start and line.startswith("## "))
    assert prose[end] == "## Two commands"
    linked = set(re.findall(r"\]\(#([^)\s]+)\)", "\n".join(prose[start:end])))
    sections = {re.sub(r"[^\w\- ]", "", line.split(" ", 1)[1].strip().lower()).replace(" ", "-")
                for line in prose[end:] if re.match(r"#{2,3} ", line)}
    assert sorted(sections - linked) == []
    assert sorted(linked - sections) == []


def test_every_make_target_and_make_setting_is_in_the_readme() -> None:
    """`make content`, `make browser-deps` and `make clean` were in `make help` and nowhere in the README; a target or
    a setting (`make site SSG=zensical`) added to the Makefile later must be named there too."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^## ([a-z-]+):", makefile, re.M)
    settings = re.findall(r"^([A-Z_]+) \?=", makefile, re.M)
    assert "site" in targets and "SSG" in settings
    text = readme()
    missing = [target for target in targets if not re.search(rf"(?:`|^)make(?: [A-Z_]+=\S+)* {target}\b", text, re.M)]
    assert missing == []
    assert [name for name in settings if not re.search(rf"(?:`|^)make [^`\n]*\b{name}=", text, re.M)] == []


def test_the_readme_counts_the_default_taxonomys_topics_right() -> None:
    """"Speed and memory" said its table was for "a taxonomy of 21 topics" and, a few lines on, "the 25 of the
    default": the default taxonomy had 24 topics when the table was measured, and has 25."""
    from generator.topics import load_taxonomy

    topics, _ = load_taxonomy(ROOT / "generator" / "skeleton" / "data" / "topics.yml")
    bundled, _ = load_taxonomy(SEED_TOPICS)  # the bundled example's, as the tests keep it
    assert len(topics) == len(bundled)
    text = " ".join(readme().split())
    assert re.findall(r"with the (\d+) of the default", text) == [str(len(topics))]
    now = re.findall(r"taxonomy as it was when they were measured, \d+ topics \((\d+) now\)", text)
    assert now == [str(len(topics))]


def output_table_patterns() -> list[re.Pattern[str]]:
    """The paths of the README's table of what the generator writes into content/, as patterns: `<slug>`, `<date>`
    and `*` stand for a name, `page-N` for a page number."""
    table = readme().split("\n| path | what |\n", 1)[1].split("\n\n", 1)[0]
    patterns = []
    for cell in re.findall(r"^\| ([^|]+) \|", table, re.M):
        for path in re.findall(r"`([^`]+)`", cell):
            pattern = re.escape(path).replace(r"page\-N", r"page-\d+").replace(r"\*", "[^/]+")
            patterns.append(re.compile(re.sub(r"<[^>]+>", "[^/]+", pattern)))
    return patterns


def test_the_output_table_names_every_file_the_build_writes(sample_site: Path) -> None:
    """The README's table of content/ left out `.nav.yml` and `.digest/epoch`, which every build writes."""
    import json

    written = json.loads((sample_site.parent / "content" / ".digest-manifest.json").read_text(encoding="utf-8"))
    assert {"index.md", "subscribe.md", "authors/index.md"} <= set(written)
    patterns = output_table_patterns()
    unnamed = sorted(path for path in [*written, ".digest-manifest.json"]
                     if not any(pattern.fullmatch(path) for pattern in patterns))
    assert unnamed == []


def test_the_feeds_section_gives_the_opmls_order(sample_site: Path) -> None:
    """The watch list feed was said to come "right after the site feed" in the OPML, and so was the picks feed; the
    issues feed after the site, top and watch feeds. With all of them, the OPML lists the site, picks, watch, top and
    issues feeds, in that order."""
    from xml.etree import ElementTree

    opml = ElementTree.parse(sample_site / "feeds.opml").getroot()
    names = [outline.get("xmlUrl", "").rsplit("/", 1)[1] for outline in opml.iter("outline")]
    order = ["atom.xml", "picks.atom.xml", "watch.atom.xml", "top.atom.xml", "issues.atom.xml"]
    assert names[:5] == order
    text = " ".join(readme().split())
    assert "It is in the OPML after the site feed (and the picks, watch and top feeds)." in text
    assert "It is in the OPML right after the site feed (and the picks feed) and on the subscribe page." in text
    assert "It is in the OPML right after the site feed and on the subscribe page." in text  # the picks feed


def test_the_sites_name_url_and_language_are_under_configuration_not_a_subsection() -> None:
    """Where to set the site's name, URL and language (mkdocs.yml) was at the end of "Picks from a reading list",
    after `digest picks --json`: a newcomer looking under Configuration found the digest.yml table alone."""
    section = readme().split("\n## Configuration\n", 1)[1].split("\n### ", 1)[0]
    assert "The site's name and URL are set in `mkdocs.yml` only" in section
    assert "**Language.** `theme: {language: fr}`" in section
    assert "`mkdocs.yml` holds only these site settings" in section


def test_the_output_section_names_every_entry_of_the_navigation(sample_site: Path) -> None:
    """"The navigation lists …" named the top papers, watch list, picks, topics, issues and archive, and not the home
    page, the authors' index or Subscribe, which the sample site's navigation has too."""
    import yaml

    nav = yaml.safe_load((sample_site.parent / "content" / ".nav.yml").read_text(encoding="utf-8"))
    labels = [next(iter(entry)) for entry in nav if isinstance(entry, dict)]
    assert labels[:2] == ["Home", "Top papers"] and "Authors" in labels and "Subscribe" in labels
    sentence = " ".join(readme().split("\nThe navigation lists ", 1)[1].split(";", 1)[0].split())
    words = {"Home": "home page", "Top papers": "top papers", "Watch list": "watch list", "Picks": "picks",
             "Topics": "topics", "Issues": "newest issues", "Authors": "authors' index", "Subscribe": "Subscribe"}
    assert [label for label in labels if words.get(label, label) not in sentence] == []
