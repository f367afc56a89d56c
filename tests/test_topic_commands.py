"""`digest topics explain|report|suggest|reassign`: real commands on small real inputs, outputs pinned."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml

from generator.topics import load_taxonomy
from tests.conftest import read_only, run_digest, seed_in_daily_issues

PHYSICS = Path(__file__).resolve().parent / "fixtures" / "physics"


def project(tmp_path: Path) -> list[str]:
    """The physics fixture copied (so pins can be written beside its taxonomy); the options that point at it."""
    shutil.copytree(PHYSICS, tmp_path / "physics")
    return ["--papers", str(tmp_path / "physics" / "issues"), "--topics", str(tmp_path / "physics" / "topics.yml")]


def paper_id(options: list[str], prefix: str) -> str:
    import json

    items = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    return next(item["id"] for item in items if item["title"].startswith(prefix))


def test_explain_prints_topics_scores_and_evidence(tmp_path: Path) -> None:
    options = project(tmp_path)
    ident = paper_id(options, "Logical qubits")
    lines = run_digest("topics", "explain", ident, *options).stdout.splitlines()
    assert lines[0] == f"{ident}  Logical qubits with a surface code below the threshold"
    assert lines[1] == "issue 2026-01-05"
    assert lines[3].startswith("first topic: Quantum Information (quantum-information), score ")
    assert lines[4:6] == ["  - title: qubit", "  - abstract: quantum error correction"]
    assert lines[6] == "  - top terms: surface, threshold, qubit"  # the words that weighed most for the learner
    assert lines[7].startswith("  - similar to papers in this topic (cosine ")


def test_report_and_build_line_up_their_counts_beside_chinese_and_accented_topic_names(tmp_path: Path) -> None:
    """A Chinese character takes two columns of a terminal: the counts beside "机器学习" stood four columns right of
    those beside "Robotics", and a name with combining accents one column left per accent."""
    papers = tmp_path / "2026-01-05.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        {"title": "基于深度学习的神经网络训练", "abstract": "我们研究神经网络的训练。"},
        {"title": "Robot arms that grasp", "abstract": "A robot grasps cups."},
        {"title": "Cafe\u0301 menus", "abstract": "Menus of cafe\u0301s."},
    ]}, allow_unicode=True), encoding="utf-8")
    taxonomy = tmp_path / "topics.yml"
    taxonomy.write_text("topics:\n  - name: 机器学习\n    slug: ml\n    keywords: [神经网络]\n"
                        "  - name: Robotics\n    keywords: [robot]\n"
                        "  - name: Cafe\u0301s\n    keywords: [menus]\n", encoding="utf-8")
    options = ["--papers", str(papers), "--topics", str(taxonomy)]
    table = run_digest("topics", "report", *options).stdout.split("\n\n")[1].splitlines()
    build = run_digest("build", *options, "--out", str(tmp_path / "content")).stdout
    summary = build.split("Papers by first topic:\n")[1].splitlines()[:3]
    for lines in (table, summary):
        assert len(lines) >= 3 and all(any(name in line for line in lines) for name in ("机器学习", "Robotics", "Cafe"))
        ends = {shown_width(match.group()) for line in lines if (match := re.match(r".*?  +\d+", line))}
        assert len(ends) == 1, lines  # every first count ends in the same column


def shown_width(text: str) -> int:
    """The columns a terminal shows ``text`` in: two for a wide character, none for a combining accent."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) == "W" else 1 for c in text)


def test_explain_an_unknown_paper_is_a_clear_error(tmp_path: Path) -> None:
    result = run_digest("topics", "explain", "nope", *project(tmp_path), check=False)
    assert result.returncode == 1
    assert "Error: no paper with id 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_shows_titles_as_the_site_does_and_counts_one_topic(tmp_path: Path) -> None:
    """`topics report` listed Other and low-confidence papers with their LaTeX as written (`Schr\\"odinger`), where
    explain and reassign show the title as the site does; a taxonomy of one topic was "1 topics"."""
    papers = tmp_path / "2026-01-05.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        {"title": r"Ground states of the nonlinear Schr\"odinger equation", "abstract": "Solitons on the line."},
        {"title": "Sourdough in medieval monasteries", "abstract": "Monastic records describe leavened bread."},
    ]}), encoding="utf-8")
    taxonomy = tmp_path / "topics.yml"
    taxonomy.write_text("topics:\n  - name: Baking\n    keywords: [sourdough, bread]\n", encoding="utf-8")
    lines = run_digest("topics", "report", "--papers", str(papers), "--topics", str(taxonomy)).stdout.splitlines()
    assert lines[0] == "2 papers, 1 topic"
    assert any(line.endswith("  Ground states of the nonlinear Schrödinger equation") for line in lines)
    assert not any("\\" in line for line in lines)


def test_report_lists_counts_other_and_low_confidence(tmp_path: Path) -> None:
    out = run_digest("topics", "report", *project(tmp_path)).stdout
    lines = out.splitlines()
    assert lines[0] == "20 papers, 6 topics"
    counts = {line[:19].strip(): line[19:].split() for line in lines[3:10]}
    assert counts["Probability"] == ["3", "15.0%", "3"]
    assert counts["Number Theory"][0] == "4" and counts["Other"][0] == "1"
    assert "Other (1):" in lines
    assert any(line.endswith("A history of sourdough baking in medieval monasteries") for line in lines)
    assert any(line.startswith("Low confidence (") for line in lines)
    assert any(line.startswith("Heavily overlapping topics (") for line in lines)


def test_suggest_is_deterministic_and_gives_a_usable_taxonomy(tmp_path: Path) -> None:
    options = ["--papers", str(PHYSICS / "issues")]
    first = run_digest("topics", "suggest", "--count", "6", *options).stdout
    # The same papers in one file, in reverse order: the same proposal.
    papers = [p for path in sorted((PHYSICS / "issues").iterdir())
              for p in yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]]
    shuffled = tmp_path / "2026-02-01.yaml"
    shuffled.write_text(yaml.safe_dump({"papers": papers[::-1]}), encoding="utf-8")
    assert run_digest("topics", "suggest", "--count", "6", "--papers", str(shuffled)).stdout == first
    target = tmp_path / "suggested.yml"
    target.write_text(first, encoding="utf-8")
    topics, warnings = load_taxonomy(target)
    assert warnings == [] and 2 <= len(topics) <= 6
    assert all(t.keywords and t.description for t in topics)
    # The clearest cluster of the fixture (the surface-code papers) is described by its own terms.
    assert any({"qubits", "surface code"} <= {k.text for k in t.keywords} for t in topics)  # as written
    # A new maintainer can build with it straight away.
    run_digest("topics", "report", *options, "--topics", str(target))


def test_reassign_pins_topics_and_a_taxonomy_change_unpins(tmp_path: Path) -> None:
    options = project(tmp_path)
    result = run_digest("topics", "reassign", *options)
    pins_file = tmp_path / "physics" / "assignments.yml"
    assert f"Pinned the topics of 20 papers in {pins_file}" in result.stdout
    pins = yaml.safe_load(pins_file.read_text(encoding="utf-8"))
    assert len(pins["papers"]) == 20
    # A pinned topic wins over scoring (here: edited by hand to prove it is read).
    ident = paper_id(options, "Logical qubits")
    pins["papers"][ident] = [{"slug": "cosmology", "score": 1.0, "evidence": ["pinned"]}]
    pins_file.write_text(yaml.safe_dump(pins), encoding="utf-8")
    assert "first topic: Cosmology (cosmology)" in run_digest("topics", "explain", ident, *options).stdout
    # Changing the taxonomy re-scores: the pins no longer apply, with a warning saying so.
    taxonomy = tmp_path / "physics" / "topics.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("[qubit,", "[qubit, logical qubit,"), "utf-8")
    result = run_digest("topics", "explain", ident, *options)
    assert "first topic: Quantum Information" in result.stdout
    assert "the taxonomy changed since these topics were pinned" in result.stderr
    # What it means for the published papers, and how to keep their topics (not only `reassign`, which moves them).
    assert "published papers may change topics" in result.stderr
    assert "to keep the published ones, put the taxonomy back as it was, run `digest topics pin`" in result.stderr


def test_a_merge_conflict_in_the_pins_is_named_by_line_with_what_to_do(tmp_path: Path) -> None:
    """Two branches that each ran `reassign` leave git's conflict markers in assignments.yml: the build stopped with
    eight lines of PyYAML's text about "<unicode string>", and nothing said the file is written by a command."""
    options = project(tmp_path)
    run_digest("topics", "reassign", *options)
    pins_file = tmp_path / "physics" / "assignments.yml"
    lines = pins_file.read_text(encoding="utf-8").splitlines()
    at = next(number for number, line in enumerate(lines) if line.startswith("  - slug:"))
    lines[at:at] = ["<<<<<<< HEAD", "  - slug: cosmology", "=======", "  - slug: probability", ">>>>>>> other"]
    pins_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_digest("topics", "report", *options, check=False)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert result.returncode == 1 and len(errors) == 1, result.stderr
    assert errors[0].startswith(f"Error: {pins_file}:{at + 1}: invalid YAML: a merge conflict is left in the file")
    assert "<unicode string>" not in result.stderr and "`digest topics pin` or `reassign`" in errors[0]


def test_pins_edited_into_odd_values_are_reported_by_paper_not_a_traceback(tmp_path: Path) -> None:
    """A slug edited into a list (`slug: []`) was a TypeError (unhashable type), a score of 400 digits an
    OverflowError, in every command that reads the pins; `.nan` was pinned as a score."""
    from generator.topics.stability import read_pins
    from tests.conftest import SEED_TOPICS

    pins_file = tmp_path / "assignments.yml"
    pins_file.write_text("taxonomy: kept\npapers:\n  '2401.00001':\n  - slug: []\n  '2401.00002':\n  - slug: agents\n"
                         f"    score: 1{'0' * 400}\n  '2401.00003':\n  - slug: code\n    score: .nan\n",
                         encoding="utf-8")
    pins, problems = read_pins(pins_file, load_taxonomy(SEED_TOPICS)[0])
    assert [str(problem) for problem in problems] == [f"{pins_file}: item 1: paper '2401.00001': unreadable topics,"
                                                      " ignored"]
    assert {paper: [(m.slug, m.score) for m in matches] for paper, matches in pins.items()} == {
        "2401.00002": [("agents", 0.0)], "2401.00003": [("code", 0.0)]}


def test_reassign_dry_run_lists_the_papers_that_would_move_and_writes_nothing(tmp_path: Path) -> None:
    """A maintainer who pinned (`topics pin`) and then edited the taxonomy asks what `reassign` would move: it
    had no dry run, so the only way to know was to let it rewrite the pins."""
    import json

    def first_topics() -> dict[str, str]:
        report = json.loads(run_digest("topics", "report", "--json", *options).stdout)
        return {item["id"]: item["topics"][0]["slug"] for item in report}

    options = project(tmp_path)
    run_digest("topics", "pin", *options)
    pins_file = tmp_path / "physics" / "assignments.yml"
    pinned = pins_file.read_bytes()
    taxonomy = tmp_path / "physics" / "topics.yml"
    data = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    # Probability vetoed for random walks; the pins of `topics pin` hold across the change.
    data["topics"][2]["exclude"] = ["random walk", "Brownian motion"]
    taxonomy.write_text(yaml.safe_dump(data), encoding="utf-8")
    before = first_topics()
    titles = {item["id"]: item["title"] for item in json.loads(run_digest("topics", "report", "--json",
                                                                          *options).stdout)}
    result = run_digest("topics", "reassign", "--dry-run", *options)
    lines = result.stdout.splitlines()
    assert lines[0] == f"Would pin the topics of 20 papers in {pins_file} (dry run: nothing written)."
    assert pins_file.read_bytes() == pinned and first_topics() == before  # nothing written, nothing moved
    heading = next(line for line in lines if line.startswith("First topic would change: "))
    listed = lines[lines.index(heading) + 1:]
    assert listed and heading == f"First topic would change: {len(listed)} paper{'s' if len(listed) > 1 else ''}:"
    moves = {}
    for line in listed:
        ident, was, arrow, now, *title = line.split()
        assert arrow == "→" and was == before[ident] != now and " ".join(title) == titles[ident]
        moves[ident] = now
    # The real run pins what the dry run said: exactly the listed papers move, as listed.
    result = run_digest("topics", "reassign", *options)
    assert result.stdout.splitlines()[0] == f"Pinned the topics of 20 papers in {pins_file}."
    assert result.stdout.splitlines()[-len(listed) - 1:] == [heading.replace("would change", "changed"), *listed]
    after = first_topics()
    assert {ident for ident in after if after[ident] != before[ident]} == set(moves)
    assert {ident: after[ident] for ident in moves} == moves


def test_explain_says_when_the_topics_are_pinned_in_assignments_yml(tmp_path: Path) -> None:
    # After `topics pin` and a taxonomy change, explain showed the evidence of the old taxonomy as if scored now.
    options = project(tmp_path)
    ident = paper_id(options, "Logical qubits")
    note = (f"topics pinned in {tmp_path / 'physics' / 'assignments.yml'} (by digest topics pin or reassign):"
            " scores and evidence are as when they were pinned")
    assert note not in run_digest("topics", "explain", ident, *options).stdout
    run_digest("topics", "pin", *options)
    taxonomy = tmp_path / "physics" / "topics.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("[qubit,", "[logical qubit,"), "utf-8")
    lines = run_digest("topics", "explain", ident, *options).stdout.splitlines()
    assert lines[2:5] == [note, "", lines[4]] and lines[4].startswith("first topic: Quantum Information")


def test_published_topics_survive_a_new_issue_end_to_end(tmp_path: Path) -> None:
    """`digest topics report --json` with issue A, then with A + B: A's papers are reported identically."""
    import json

    topics = ["--topics", str(PHYSICS / "topics.yml")]
    only_a = json.loads(run_digest("topics", "report", "--json", "--papers",
                                   str(PHYSICS / "issues" / "2026-01-05.yaml"), *topics).stdout)
    both = {item["id"]: item for item in json.loads(
        run_digest("topics", "report", "--json", "--papers", str(PHYSICS / "issues"), *topics).stdout)}
    assert len(both) > len(only_a)
    assert all(both[item["id"]] == item for item in only_a)


def test_a_later_issue_listing_a_published_paper_again_with_more_text_moves_no_published_topics(
    tmp_path: Path,
) -> None:
    """A source lists an earlier issue's paper again with a fuller abstract (a new arXiv version, a corrected
    Hugging Face entry): the page shows the fuller text, but no published paper is scored again."""
    import json

    options = project(tmp_path)
    before = {item["id"]: item for item in json.loads(run_digest("topics", "report", "--json", *options).stdout)}
    sourdough = "A history of sourdough baking in medieval monasteries"
    (tmp_path / "physics" / "issues" / "2026-01-19.yaml").write_text(yaml.safe_dump({"papers": [
        {"title": sourdough, "abstract": "Monastic records describe leavened bread. We also prove that every interval"
         " near x contains a prime number, using zeros of the Riemann zeta function, modular forms, elliptic curves"
         " and L-functions over number fields, and a sieve lower bound for gaps between consecutive primes."},
        {"title": "Gaps between primes in arithmetic progressions", "abstract": "We bound the gaps between"
         " consecutive primes in arithmetic progressions on average, with zero-density estimates for L-functions."},
    ]}), encoding="utf-8")
    after = {item["id"]: item for item in json.loads(run_digest("topics", "report", "--json", *options).stdout)}
    assert len(after) == len(before) + 1
    moved = {paper_id: (item["topics"], after[paper_id]["topics"]) for paper_id, item in before.items()
             if after[paper_id]["topics"] != item["topics"]}
    assert moved == {}
    page = run_digest("topics", "explain", paper_id(options, sourdough), *options).stdout
    assert "other" in page.casefold()


def test_evaluate_counts_agreement_per_topic_and_confusions(tmp_path: Path) -> None:
    """Labels by id and by title; one deliberately wrong label shows up as a confusion and in the figures."""
    import json

    options = project(tmp_path)
    items = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    given = {item["id"]: item["topics"][0]["slug"] for item in items}
    qubits = next(item for item in items if item["title"].startswith("Logical qubits"))
    labels = tmp_path / "labels.csv"
    rows = ["id,slug"] + [f"{ident},{slug}" for ident, slug in sorted(given.items()) if ident != qubits["id"]]
    rows.append(f"{qubits['title']!r},cosmology".replace("'", '"'))  # by title, and wrong on purpose
    first = sorted(given)[0]
    rows += ["nope,cosmology", f"{first},no-such-topic", f"{first},{given[first]}"]
    labels.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(labels), "--json", *options)
    figures = json.loads(result.stdout)
    assert figures["papers"] == len(given)  # the paper labelled twice counts once
    assert figures["top1"] == round((len(given) - 1) / len(given), 4)
    assert figures["confused"] == [{"expected": "cosmology", "given": given[qubits["id"]], "papers": 1}]
    cosmology = next(t for t in figures["topics"] if t["slug"] == "cosmology")
    assert cosmology["recall"] < 1.0 and cosmology["precision"] == 1.0
    assert f"{labels}:22: no paper 'nope' in the archive, skipped" in result.stderr
    assert f"{labels}:23: no topic 'no-such-topic' in the taxonomy, skipped" in result.stderr
    assert f"{labels}:24: paper {first} is labelled twice, skipped" in result.stderr
    labels.write_text(f"id,slug\n{first},Number Theory\n{first},cosmolgy\n", encoding="utf-8")  # a name, a typo
    result = run_digest("topics", "evaluate", "--labels", str(labels), *options, check=False)
    assert f"{labels}:2: no topic 'Number Theory' in the taxonomy (did you mean 'number-theory'?)" in result.stderr
    assert f"{labels}:3: no topic 'cosmolgy' in the taxonomy (did you mean 'cosmology'?)" in result.stderr


def test_evaluate_measures_the_taxonomy_not_the_pins(tmp_path: Path) -> None:
    """After `digest topics pin` (as README's switch of taxonomy does), evaluate measured the pinned topics: an edit
    of the taxonomy never changed its figures. It scores the papers as the taxonomy does, without the pins."""
    import json

    options = project(tmp_path)
    items = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    given = {item["id"]: item["topics"][0]["slug"] for item in items}
    wrong = {ident: next(s for s in sorted(set(given.values())) if s != slug) for ident, slug in given.items()}
    pins = {ident: [{"slug": slug, "score": 0.5, "evidence": ["pinned"]}] for ident, slug in wrong.items()}
    (tmp_path / "physics" / "assignments.yml").write_text(yaml.safe_dump({"taxonomy": "kept", "papers": pins}),
                                                          encoding="utf-8")
    pinned = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    assert {item["id"]: item["topics"][0]["slug"] for item in pinned} == wrong  # the site shows the pins
    labels = tmp_path / "labels.yml"
    labels.write_text(yaml.safe_dump(given), encoding="utf-8")
    figures = json.loads(run_digest("topics", "evaluate", "--labels", str(labels), "--json", *options).stdout)
    assert figures["papers"] == len(given) and figures["top1"] == 1.0


def test_evaluate_reads_labels_written_before_a_rename_with_formerly(tmp_path: Path) -> None:
    """Labels of a topic whose slug was changed with `formerly:` were each skipped as "no topic 'probability' in the
    taxonomy", though the taxonomy says it is that topic's former slug (pins naming it pin the topic)."""
    import json

    options = project(tmp_path)
    items = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    given = {item["id"]: item["topics"][0]["slug"] for item in items}
    assert "probability" in given.values()
    labels = tmp_path / "labels.yml"
    labels.write_text(yaml.safe_dump(given), encoding="utf-8")
    taxonomy = tmp_path / "physics" / "topics.yml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("  - name: Probability\n",
                                     "  - name: Probability\n    slug: stochastic\n    formerly: [probability]\n"),
                        encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(labels), "--json", *options)
    assert "no topic 'probability'" not in result.stderr
    figures = json.loads(result.stdout)
    assert figures["papers"] == len(given) and figures["top1"] == 1.0
    assert "stochastic" in {topic["slug"] for topic in figures["topics"]}


def test_evaluate_finds_a_paper_by_its_title_as_the_site_shows_it(tmp_path: Path) -> None:
    """A title with LaTeX accents (`Schr\\"odinger`, as arXiv writes it) copied from the site ("Schrödinger") named
    no paper, and the message showed the label's backslashes doubled."""
    import json

    options = project(tmp_path)
    (tmp_path / "physics" / "issues" / "2026-01-19.yaml").write_text(yaml.safe_dump({"papers": [
        {"title": r"Ground states of the nonlinear Schr\"odinger equation on Poincar\'e discs",
         "abstract": r"We prove existence of ground states for the nonlinear Schr\"odinger equation."},
    ]}), encoding="utf-8")
    items = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    ground = next(item for item in items if item["title"].startswith("Ground states"))
    labels = tmp_path / "labels.csv"
    shown = "Ground states of the nonlinear Schrödinger equation on Poincaré discs"
    lattice = r"Lattice models in $\mathbb{R}^4$"
    labels.write_text(f'title,slug\n"{shown}",{ground["topics"][0]["slug"]}\n"{lattice}",cosmology\n', encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(labels), "--json", *options)
    assert json.loads(result.stdout)["papers"] == 1
    assert f"{labels}:3: no paper '{lattice}' in the archive, skipped" in result.stderr


def test_evaluate_reads_yaml_mappings_and_prints_a_table(tmp_path: Path) -> None:
    import json

    options = project(tmp_path)
    items = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    labels = tmp_path / "labels.yml"
    labels.write_text(yaml.safe_dump({item["id"]: item["topics"][0]["slug"] for item in items}), encoding="utf-8")
    out = run_digest("topics", "evaluate", "--labels", str(labels), *options).stdout
    assert out.splitlines()[0].startswith(f"{len(items)} labelled papers: first topic agrees for {len(items)} (100.0%)")
    assert "Most confused (expected → given):\n  none" in out


def test_evaluate_names_the_line_of_a_yaml_label_it_skips(tmp_path: Path) -> None:
    """A CSV label skipped was named by its line, a YAML one by its item number only ("item 57"): the maintainer
    counted entries by hand in a file of comments and blank lines."""
    import json

    options = project(tmp_path)
    first = json.loads(run_digest("topics", "report", "--json", *options).stdout)[0]
    slug = first["topics"][0]["slug"]
    labels = tmp_path / "labels.yml"
    labels.write_text(f"# my labels\npapers:\n  {first['id']}: {slug}\n\n  nope: {slug}\n  {first['id']}x: cosmolgy\n",
                      encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(labels), *options)
    assert f"{labels}:5: no paper 'nope' in the archive, skipped" in result.stderr
    listed = tmp_path / "listed.yml"
    listed.write_text(f"- id: {first['id']}\n  slug: {slug}\n- id: nope\n  slug: {slug}\n- title: no slug\n",
                      encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(listed), *options)
    assert f"{listed}:3: no paper 'nope' in the archive, skipped" in result.stderr
    assert f"{listed}:5: expected 'id' (or 'title') and 'slug' (or 'topic'), skipped" in result.stderr


def test_evaluate_unreadable_labels_are_a_clear_error(tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("paper,expected\nx,y\n", encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(labels), *project(tmp_path), check=False)
    assert result.returncode == 1
    assert "expected a CSV header with 'id' (or 'title') and 'slug' (or 'topic')" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_reads_labels_with_old_mac_line_ends_and_names_the_line_of_a_csv_it_cannot_read(
    tmp_path: Path,
) -> None:
    # Both stopped `topics evaluate` with a traceback from the csv module (_csv.Error).
    from generator.errors import ConfigError
    from generator.topics.evaluate import read_labels

    labels = tmp_path / "labels.csv"
    labels.write_bytes(b"id,slug\r2401.00001,reasoning\r2401.00002,agents\r")
    assert [(label.key, label.slug, label.line) for label in read_labels(labels)[0]] == [
        ("2401.00001", "reasoning", 2), ("2401.00002", "agents", 3)]
    labels.write_text("id,slug\n2401.00001,reasoning\n2401.00002," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_labels(labels)
    assert str(error.value) == f"{labels}:3: invalid CSV: field larger than field limit (131072)"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_evaluate_reads_labels_saved_by_excel(tmp_path: Path, encoding: str) -> None:
    # Excel's "CSV UTF-8" starts with a byte-order mark: its header did not read as 'id'.
    import json

    options = project(tmp_path)
    items = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    rows = "".join(f"{item['id']},{item['topics'][0]['slug']}\r\n" for item in items)
    labels = tmp_path / "labels.csv"
    labels.write_bytes(("id,slug\r\n" + rows).encode(encoding))
    out = run_digest("topics", "evaluate", "--labels", str(labels), *options).stdout
    assert out.splitlines()[0].startswith(f"{len(items)} labelled papers: first topic agrees for {len(items)} (100.0%)")


def test_suggest_names_clusters_with_distinct_meaningful_terms(tmp_path: Path) -> None:
    """On the bundled listing: no boilerplate or stop word in any keyword, each keyword proposed once."""
    from generator.topics.features import STOPWORDS
    from generator.topics.suggest import BOILERPLATE
    from tests.conftest import SEED

    proposal = yaml.safe_load(run_digest("topics", "suggest", "--papers", str(SEED.parent)).stdout)["topics"]
    keywords = [k for topic in proposal for k in topic["keywords"]]
    assert len(keywords) == len(set(keywords))
    for keyword in keywords:
        assert not set(keyword.split()) & (BOILERPLATE | STOPWORDS), keyword
    for topic in proposal:
        assert topic["keywords"] and topic["name"] and not topic["name"].startswith("Cluster")
        assert topic["description"].startswith("Papers about ") and "Papers about  (" not in topic["description"]


def test_suggest_names_a_paper_list_or_folder_that_is_not_there(tmp_path: Path) -> None:
    # It said "need at least 2 papers to suggest topics", as if the folder named had too few.
    result = run_digest("topics", "suggest", "--papers", "data/isues", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stderr == ("Error: data/isues: no such file or folder (named by --papers); to start a digest"
                             " without papers, create the folder (a README.md in it keeps it in git)\n")


def test_suggest_on_a_tiny_archive_never_leaves_a_topic_empty(tmp_path: Path) -> None:
    papers = tmp_path / "2026-01-01.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        {"title": "Sourdough starters in medieval monasteries", "abstract": "Records of leavened bread."},
        {"title": "Spin liquids on the kagome lattice", "abstract": "A frustrated magnet without order."},
        {"title": "Weak lensing and dark matter halos", "abstract": "Shear of background galaxies."},
    ]}), encoding="utf-8")
    proposal = yaml.safe_load(run_digest("topics", "suggest", "--papers", str(papers)).stdout)["topics"]
    assert len(proposal) == 2
    for topic in proposal:
        assert topic["keywords"] and "Papers about  (" not in topic["description"]


def test_suggest_without_count_proposes_at_most_the_number_its_help_says(tmp_path: Path) -> None:
    """`--help` said the default was "about √(papers/2)": 1,000 papers would be 22 topics, and suggest proposed 20."""
    import random

    from generator.topics.suggest import DEFAULT_MOST

    shuffled = random.Random(7)
    words = [f"{a}{b}" for a in ("kal", "mor", "ven", "tos", "lir", "pax", "dun", "sef") for b in
             ("ar", "en", "ix", "ol", "um", "et", "os", "ia")]
    papers = tmp_path / "2026-01-01.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        {"title": " ".join(shuffled.sample(words, 6)) + f" {number}", "abstract": " ".join(shuffled.sample(words, 30))}
        for number in range(1000)
    ]}), encoding="utf-8")
    proposal = yaml.safe_load(run_digest("topics", "suggest", "--papers", str(papers)).stdout)["topics"]
    assert round((1000 / 2) ** 0.5) > DEFAULT_MOST == len(proposal)
    help_text = " ".join(run_digest("topics", "suggest", "--help").stdout.split())
    assert f"[about √(papers/2), at most {DEFAULT_MOST}]" in help_text


@pytest.mark.parametrize("command", ["reassign", "pin"])
def test_pins_that_cannot_be_written_are_an_error_not_a_traceback(tmp_path: Path, command: str) -> None:
    """A taxonomy in a folder mounted read-only (or another user's): a PermissionError traceback."""
    options = project(tmp_path)
    with read_only(tmp_path / "physics"):
        result = run_digest("topics", command, *options, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(r"Error: .*physics/assignments\.yml: cannot write the pins \((Permission denied|Operation not"
                     r" permitted)\); nothing was pinned: make the folder writable and run the command again\n\Z",
                     result.stderr), result.stderr
    assert not (tmp_path / "physics" / "assignments.yml").exists()


def test_pin_from_a_report_keeps_published_topics_across_a_taxonomy_change(tmp_path: Path) -> None:
    """The upgrade path: report --json with the old taxonomy, change it, pin --from: old papers keep their topics."""
    import json

    options = project(tmp_path)
    published = tmp_path / "published.json"
    published.write_text(run_digest("topics", "report", "--json", *options).stdout, encoding="utf-8")
    before = {item["id"]: [t["slug"] for t in item["topics"]] for item in json.loads(published.read_text())}
    taxonomy = tmp_path / "physics" / "topics.yml"
    data = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    data["topics"] = [t for t in data["topics"] if t["name"] != "Cosmology"]  # a topic goes away
    data["topics"][0]["keywords"] = ["integers"]  # and another changes
    taxonomy.write_text(yaml.safe_dump(data), encoding="utf-8")
    changed = {item["id"]: [t["slug"] for t in item["topics"]]
               for item in json.loads(run_digest("topics", "report", "--json", *options).stdout)}
    assert changed != before  # without pins, the change moves papers
    result = run_digest("topics", "pin", "--from", str(published), *options)
    # A paper whose only topic went away is not pinned (it is scored afresh); the others keep their other topics.
    only = [item for item in before.values() if item == ["cosmology"]]
    assert f"Pinned the topics of {20 - len(only)} papers" in result.stdout and only
    # What that means for them is said with the count, not only in the report's problems above it.
    shown = f"{len(only)} paper is" if len(only) == 1 else f"{len(only)} papers are"
    assert f"{shown} not pinned" in result.stdout and "a published one may change topics" in result.stdout
    assert result.stderr.count("no topic 'cosmology' in the taxonomy; not pinned to it") == sum(
        "cosmology" in slugs for slugs in before.values())
    after = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    # The published evidence stays with the topics (paper pages said only "pinned before a taxonomy change").
    evidence = {item["id"]: {t["slug"]: t["evidence"] for t in item["topics"]}
                for item in json.loads(published.read_text(encoding="utf-8"))}
    pinned = [(item["id"], t) for item in after for t in item["topics"] if t["slug"] != "cosmology"
              and t["slug"] in evidence[item["id"]] and [s for s in before[item["id"]] if s != "cosmology"]]
    assert pinned and all(t["evidence"] == evidence[ident][t["slug"]] for ident, t in pinned)
    for item in after:
        kept = [slug for slug in before[item["id"]] if slug != "cosmology"]
        if kept:  # a paper whose only topic went away is scored afresh
            assert [t["slug"] for t in item["topics"]] == kept
    # Pins outlive the taxonomy: a topic removed after pinning is dropped from the pins that name it, and said so.
    data["topics"] = [t for t in data["topics"] if t["name"] != "Probability"]
    taxonomy.write_text(yaml.safe_dump(data), encoding="utf-8")
    warnings = run_digest("topics", "report", *options).stderr
    # Said once for the topic (one line per paper was hundreds at every build), with what ends it.
    named = [line for line in warnings.splitlines() if "'probability'" in line]
    pinned = [ident for ident, slugs in before.items() if "probability" in slugs and slugs != ["cosmology"]]
    assert len(pinned) > 1 and len(named) == 1, warnings
    assert f"no topic 'probability' in the taxonomy; it is dropped from the pins of {len(pinned)} papers:" in named[0]
    alone = sorted(ident for ident in pinned if [s for s in before[ident] if s != "cosmology"] == ["probability"])
    assert alone and f"had no other and {'is' if len(alone) == 1 else 'are'} scored afresh ({', '.join(alone)})" in (
        named[0])
    assert "`digest topics pin` pins the topics as they are now" in named[0]


def test_suggest_leaves_out_tex_commands_and_word_halves_and_shows_words_as_written(tmp_path: Path) -> None:
    """Math abstracts are full of $\\mathfrak{g}$ and "non-commutative": markup and halves of words, not terms;
    a term is matched by its singular but shown as the papers write it ("approaches", never "approache")."""
    algebra = ("Lie algebras $\\mathfrak{g}$ and non-commutative rings $\\mathbb{Z}$: "
               "approaches via modules over $\\mathcal{O}$.")
    waves = "Well-posedness of non-linear wave equations in $\\mathbb{R}^n$: approaches via energy estimates."
    papers = tmp_path / "2026-01-01.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        *({"title": f"Modules over Lie algebras {n}", "abstract": algebra} for n in range(4)),
        *({"title": f"Energy estimates for wave equations {n}", "abstract": waves} for n in range(4)),
    ]}), encoding="utf-8")
    text = run_digest("topics", "suggest", "--count", "2", "--papers", str(papers)).stdout
    proposal = yaml.safe_load(text)["topics"]
    keywords = {k for topic in proposal for k in topic["keywords"]}
    assert not {"mathfrak", "mathbb", "mathcal", "non", "well"} & keywords
    assert not any(word in text for word in ("mathfrak", "mathbb", "mathcal", "approache "))
    assert {"lie algebras", "modules"} <= keywords and "wave equations" in keywords  # as the papers write them


def suggested_terms(folder: Path, kinds: list[tuple[str, str]]) -> set[str]:
    """The words of the names and keywords `digest topics suggest --count 2` proposes for four papers of each
    (title, abstract) kind (titles numbered)."""
    papers = folder / "2026-01-01.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        {"title": f"{title} {n}", "abstract": abstract} for title, abstract in kinds for n in range(4)]}),
        encoding="utf-8")
    proposal = yaml.safe_load(run_digest("topics", "suggest", "--count", "2", "--papers", str(papers)).stdout)
    return {word.casefold() for topic in proposal["topics"] for term in [topic["name"], *topic["keywords"]]
            for word in re.findall(r"\w+", term)}


def test_suggest_leaves_out_the_boilerplate_of_mathematics_abstracts(tmp_path: Path) -> None:
    """Mathematics abstracts say "we prove", "we give", "we determine": a draft named "Functions & Prove", with
    "give" and "determine" among its keywords."""
    hardy = ("We prove sharp Hardy inequalities for the fractional Laplacian and determine the extremal functions;"
             " we give a new proof assuming symmetry and derive the constants.")
    graphs = ("We prove that the chromatic number of sparse graphs is bounded and determine the extremal graphs;"
              " we give a colouring argument and settle a conjecture, assuming planarity.")
    terms = suggested_terms(tmp_path, [("Hardy inequalities for fractional Laplacians", hardy),
                                       ("Chromatic numbers of sparse graphs", graphs)])
    assert not {"prove", "give", "determine", "derive", "assuming", "argument", "settle"} & terms
    assert {"hardy", "chromatic"} <= terms


def test_suggest_leaves_out_the_function_words_of_other_languages(tmp_path: Path) -> None:
    """English function words were never terms, but a Russian or German archive's were: "модели мы" ("models we"),
    "перевод на", "und die" were proposed as keywords."""
    speech = ("Мы предлагаем акустическую модель для распознавания речи на русском корпусе. Модель на основе"
              " трансформера снижает ошибку распознавания речи, и мы показываем это на корпусе.")
    translation = ("Wir untersuchen die neuronale Übersetzung für Sprachpaare mit wenigen Daten und die Übersetzung"
                   " von Fachtexten mit der neuronalen Übersetzung.")
    terms = suggested_terms(tmp_path, [("Распознавание речи на корпусе", speech),
                                       ("Neuronale Übersetzung für Sprachpaare", translation)])
    assert not {"мы", "на", "и", "это", "die", "und", "für", "mit", "der", "von"} & terms
    assert {"распознавания", "übersetzung"} <= terms


def test_suggest_proposes_no_pieces_of_words_written_with_latex_accents(tmp_path: Path) -> None:
    """arXiv writes `Erd\\H{o}s--R\\'enyi` and `Schr\\"odinger`: the draft proposed "erd", "nyi" and "schr"."""
    graphs = r"Colouring Erd\H{o}s--R\'enyi random graphs and the Erd\H{o}s--Ko--Rado theorem for random graphs."
    waves = r"Nonlinear Schr\"odinger equations and a Poincar\'e inequality for nonlinear Schr\"{o}dinger waves."
    terms = suggested_terms(tmp_path, [("Random graphs of Erd\\H{o}s type", graphs),
                                       ("Nonlinear Schr\\\"odinger waves", waves)])
    assert not {"erd", "nyi", "enyi", "schr", "odinger", "dinger", "poincar"} & terms
    assert {"graphs", "nonlinear"} <= terms


def test_suggest_proposes_chinese_words_not_single_characters(tmp_path: Path) -> None:
    """Chinese is written without spaces: the draft for a Chinese archive was one topic named "基 & 于" (slug
    "topic"), its keywords single characters, 的 ("of") among them, each found in most papers."""
    images = "本文提出了一种图像分割方法。我们利用卷积神经网络提取图像特征，图像分割的精度明显提高。"
    speech = "语音识别在噪声环境下的鲁棒性很差。本文提出新的声学模型，语音识别的词错误率显著降低。"
    papers = tmp_path / "2026-01-01.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        {"title": f"{title}（{n}）", "abstract": abstract} for title, abstract in
        (("基于深度学习的图像分割", images), ("噪声环境下的语音识别", speech)) for n in range(4)]},
        allow_unicode=True), encoding="utf-8")
    proposal = yaml.safe_load(run_digest("topics", "suggest", "--count", "2", "--papers", str(papers)).stdout)
    by_example = {topic["description"].split("example '")[1][:2]: topic for topic in proposal["topics"]}
    assert "图像" in by_example["基于"]["keywords"] and "语音识别" in by_example["噪声"]["keywords"]
    keywords = [keyword for topic in proposal["topics"] for keyword in topic["keywords"]]
    assert all(len(keyword) > 1 and "的" not in keyword and "本文" not in keyword for keyword in keywords)
    assert by_example["噪声"]["slug"].startswith("yuyinshibie")  # the name in Latin letters, not "topic"


def test_suggest_lists_the_arxiv_categories_most_of_a_clusters_papers_have(tmp_path: Path) -> None:
    """Papers that carry arXiv categories: each suggested topic lists its papers' common primary category
    (strong evidence once saved), and none where the papers carry none."""
    import json

    lines = [
        *({"id": f"2601.0{n:04d}", "title": f"Energy estimates for wave equations {n}", "categories": "math.AP",
           "summary": "Well-posedness of nonlinear wave equations via energy estimates and dispersion."}
          for n in range(5)),
        *({"id": f"2601.1{n:04d}", "title": f"Chromatic numbers of sparse graphs {n}", "categories": ["math.CO"],
           "summary": "Colouring sparse graphs: chromatic number bounds for planar graphs and hypergraphs."}
          for n in range(5)),
    ]
    papers = tmp_path / "2026-01-01.jsonl"
    papers.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    text = run_digest("topics", "suggest", "--count", "2", "--papers", str(papers)).stdout
    proposal = yaml.safe_load(text)["topics"]
    assert sorted(tuple(topic.get("categories", ())) for topic in proposal) == [("math.AP",), ("math.CO",)]
    saved = tmp_path / "topics.yml"
    saved.write_text(text, encoding="utf-8")
    topics, warnings = load_taxonomy(saved)
    assert warnings == [] and sorted(t.categories for t in topics) == [("math.AP",), ("math.CO",)]
    plain = yaml.safe_load(run_digest("topics", "suggest", "--papers", str(PHYSICS / "issues")).stdout)["topics"]
    assert not any("categories" in topic for topic in plain)


def test_label_ids_in_yaml_are_read_as_written(tmp_path: Path) -> None:
    # An unquoted arXiv id ending in 0 was the number 2401.1, and its label matched no paper.
    from generator.topics.evaluate import read_labels

    labels = tmp_path / "labels.yml"
    labels.write_text("2401.10000: ml\n2401.12345: physics\n", encoding="utf-8")
    found, problems = read_labels(labels)
    assert [(label.key, label.slug) for label in found] == [("2401.10000", "ml"), ("2401.12345", "physics")]
    assert problems == []
    # The list form too: {id: 2401.10000} was the number 2401.1, and matched no paper (or another one).
    labels.write_text("papers:\n  - {id: 2401.10000, slug: ml}\n  - {title: 2024, slug: ml}\n", encoding="utf-8")
    found, problems = read_labels(labels)
    assert [(label.key, label.slug) for label in found] == [("2401.10000", "ml"), ("2024", "ml")]
    assert problems == []


def test_suggest_names_say_two_things_as_the_papers_write_them(tmp_path: Path) -> None:
    """A name's second term is not the first again (its initials "RL", a word that starts the same: "edit" after
    "editing"); a pair the papers hyphenate is hyphenated ("Multi-Agent"), a word with inner capitals keeps them
    ("CoT"); links are no terms ("github", "com" were keywords)."""
    from generator.topics.suggest import _redundant

    assert _redundant("rl", "reinforcement learning") and _redundant("edit", "image editing")
    assert _redundant("reasoning", "reason") and _redundant("generative", "video generation")
    assert not _redundant("reward", "reinforcement learning") and not _redundant("mesh", "3d")
    # "Retrieval-Augmented & RAG" (a name the daily papers got): an acronym that goes on past the first term's words.
    assert _redundant("rag", "retrieval augmented") and _redundant("retrieval augmented", "rag")
    assert not _redundant("memory", "mixture expert") and not _redundant("llama", "large language")
    rl = ("Reinforcement learning (RL) for multi-agent games: reinforcement learning agents share a reward. "
          "Multi-agent RL scales. Code: https://github.com/someone/marl and www.example.org/page.")
    cot = ("Long CoT prompting: long CoT traces teach reasoning. CoT distillation of reasoning chains. "
           "See https://github.com/someone/cot for code.")
    papers = tmp_path / "2026-01-01.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        *({"title": f"Multi-agent reinforcement learning {n}", "abstract": rl} for n in range(4)),
        *({"title": f"Long CoT reasoning {n}", "abstract": cot} for n in range(4)),
    ]}), encoding="utf-8")
    proposal = yaml.safe_load(run_digest("topics", "suggest", "--count", "2", "--papers", str(papers)).stdout)["topics"]
    keywords = {k for topic in proposal for k in topic["keywords"]}
    assert not {"github", "com", "https", "www", "example", "someone", "marl"} & keywords
    assert "multi-agent" in keywords
    names = [topic["name"] for topic in proposal]
    assert any("Multi-Agent" in name for name in names) and any("CoT" in name for name in names), names
    assert not any(name.endswith("& RL") for name in names), names
    # Keywords keep the capitals of an acronym as names do: "cot" and "rl" were keywords a maintainer retyped.
    words = {word for keyword in keywords for word in re.split(r"[ -]", keyword)}
    assert not {"cot", "rl"} & words and {"CoT", "RL"} <= words, keywords


def test_pin_from_a_hand_edited_report_pins_what_it_can_and_says_what_it_cannot(tmp_path: Path) -> None:
    """A score that was no number was a traceback; a topic listed twice was pinned twice (the paper twice in the topic's
    feed, under one id); an unknown topic, more than max_topics, a paper listed twice passed without a word."""
    import json

    options = project(tmp_path)
    report = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    first, second, third = (item["id"] for item in report[:3])
    slugs = [t["slug"] for t in report[0]["topics"]]
    edited = [
        {"id": first, "topics": [{"slug": slugs[0], "score": "high"}, {"slug": "number-theory", "score": 0.5},
                                 {"slug": "number-theory", "score": 0.4}]},
        {"id": second, "topics": [{"slug": "nope", "score": 0.2}, *(
            {"slug": slug, "score": 0.1}
            for slug in ("probability", "cosmology", "condensed-matter", "number-theory"))]},
        {"id": first, "topics": [{"slug": "probability", "score": 0.3}]},
        {"id": third, "topics": ["probability"]},
    ]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    result = run_digest("topics", "pin", "--from", str(path), *options)
    assert "Traceback" not in result.stderr
    assert [line.split(": ", 1)[1] for line in result.stderr.splitlines() if line.startswith(str(path))] == [
        f"item 1: paper {first!r}: topic {slugs[0]!r}: the score 'high' is no number; not pinned to it",
        f"item 1: paper {first!r}: topic 'number-theory' is listed twice; pinned once",
        f"item 2: paper {second!r}: 4 topics, more than max_topics (3); the first 3 are pinned",
        f"item 2: paper {second!r}: no topic 'nope' in the taxonomy; not pinned to it",
        f"item 3: paper {first!r} is listed again; the first listing is pinned",
        f"item 4: paper {third!r}: a topic without a 'slug' (as report --json writes them); skipped",
        f"item 4: paper {third!r}: no topic to pin; not pinned",
    ]
    after = {item["id"]: [t["slug"] for t in item["topics"]]
             for item in json.loads(run_digest("topics", "report", "--json", *options).stdout)}
    assert after[first] == ["number-theory"]
    assert after[second] == ["probability", "cosmology", "condensed-matter"]


def test_pin_from_a_report_of_absurd_numbers_or_nesting_says_so(tmp_path: Path) -> None:
    """A score of 5,000 digits (ValueError) and a report nested thousands deep (RecursionError) were tracebacks; a
    score of 1e999 was pinned as infinity (`score: .inf` in assignments.yml)."""
    import json

    options = project(tmp_path)
    report = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    first, second, third = (item["id"] for item in report[:3])
    slug = report[0]["topics"][0]["slug"]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps([{"id": first, "topics": [{"slug": slug, "score": "HUGE"}]},
                                {"id": second, "topics": [{"slug": slug, "score": "INFINITE"}]},
                                {"id": third, "topics": [{"slug": slug, "score": 0.5}]}])
                    .replace('"HUGE"', "9" * 5000).replace('"INFINITE"', "1e999"), encoding="utf-8")
    result = run_digest("topics", "pin", "--from", str(path), *options)
    problems = result.stderr.splitlines()
    nines = "9" * 27
    assert f"{path}: item 1: paper {first!r}: topic {slug!r}: the score '{nines}...{nines}9' is no number; not pinned" \
        " to it" in problems
    assert f"{path}: item 2: paper {second!r}: topic {slug!r}: the score inf is no number; not pinned to it" in problems
    assert "Pinned the topics of 1 paper" in result.stdout
    path.write_text("[" * 100_000, encoding="utf-8")
    result = run_digest("topics", "pin", "--from", str(path), *options, check=False)
    assert (result.returncode, result.stderr.splitlines()[-1]) == (
        1, f"Error: {path}: cannot read the report: the JSON is nested too deeply")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_pin_from_reads_a_report_as_windows_saves_it(tmp_path: Path, encoding: str) -> None:
    """README's `digest topics report --json > topics-published.json` in Windows PowerShell 5 saves UTF-16 (in
    PowerShell's `Out-File -Encoding utf8`, UTF-8 with a byte-order mark; in cmd, cp1252): `pin --from` then said
    "cannot read the report: 'utf-8' codec can't decode byte 0xff" and pinned nothing."""
    import json

    options = project(tmp_path)
    printed = run_digest("topics", "report", "--json", *options).stdout
    report = tmp_path / "topics-published.json"
    report.write_bytes(printed.replace('"title": "', '"title": "Café ', 1).encode(encoding))
    result = run_digest("topics", "pin", "--from", str(report), *options)
    assert f"Pinned the topics of {len(json.loads(printed))} papers" in result.stdout, result.stderr


def test_pin_from_a_report_that_matches_nothing_keeps_the_pins(tmp_path: Path) -> None:
    """`pin --from` a report of another archive (or a typo in every slug) printed "Pinned the topics of 0 papers",
    exit 0, and emptied assignments.yml: every pin the site had was gone."""
    import json

    options = project(tmp_path)
    run_digest("topics", "pin", *options)
    pins = tmp_path / "physics" / "assignments.yml"
    before = pins.read_text(encoding="utf-8")
    assert before.count("slug:") > 0
    first = json.loads(run_digest("topics", "report", "--json", *options).stdout)[0]["id"]
    report = tmp_path / "other.json"
    report.write_text(json.dumps([{"id": "9999.99999", "topics": [{"slug": "cosmology", "score": 1}]},
                                  {"id": first, "topics": [{"slug": "cosmolgy", "score": 1}]}]), encoding="utf-8")
    result = run_digest("topics", "pin", "--from", str(report), *options, check=False)
    assert result.returncode == 1
    assert f"{report}: item 1: paper '9999.99999' is not in the archive; not pinned" in result.stderr
    assert (f"{report}: item 2: paper {first!r}: no topic 'cosmolgy' in the taxonomy (did you mean 'cosmology'?);"
            " not pinned to it") in result.stderr
    assert result.stderr.splitlines()[-1] == (f"Error: {report}: no item names a paper of this archive with a topic"
                                              f" of this taxonomy: nothing pinned, {pins} left as it was")
    assert pins.read_text(encoding="utf-8") == before


def test_evaluate_and_explain_find_arxiv_papers_as_people_write_their_ids(tmp_path: Path) -> None:
    """`1706.03762v7` or `arXiv:…` found no paper; a label file that matched nothing printed "0 labelled papers … 0.0%"
    and exit 0 (a taxonomy from another archive looked like one that is always wrong); a YAML value that was no slug
    showed as a Python list."""
    from tests.conftest import SMALL

    options = ["--papers", str(SMALL / "issues"), "--topics", str(SMALL / "topics.yml")]
    explained = run_digest("topics", "explain", "arXiv:2410.00907v2", *options)
    assert explained.stdout.startswith("2410.00907  ")
    import json

    items = json.loads(run_digest("topics", "report", "--json", *options).stdout)
    given = next(item["topics"][0]["slug"] for item in items if item["id"] == "2410.00907")
    labels = tmp_path / "labels.yml"
    labels.write_text(f"2410.00907v3: {given}\nhttps://arxiv.org/abs/2502.00511: [a, b]\n", encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(labels), *options)
    assert result.stdout.startswith("1 labelled paper: first topic agrees for 1 (100.0%)")
    assert (f"{labels}:2: paper 'https://arxiv.org/abs/2502.00511': the topic must be one slug, as text (not a"
            " list), skipped") in result.stderr
    labels.write_text("9999.99999: cosmology\n", encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(labels), *options, check=False)
    assert result.returncode == 1
    assert result.stderr.endswith(f"Error: {labels}: no label names a paper of this archive with a topic of this"
                                  " taxonomy: nothing to evaluate\n")
    assert f"{labels}:1: no paper '9999.99999' in the archive, skipped" in result.stderr


def test_a_day_fetched_late_may_move_later_papers_and_pin_from_keeps_them(tmp_path: Path) -> None:
    """README ("Stable once published", "When GitHub turns the schedule off"): an issue dated before the newest may
    re-score the issues after it, and saving the topics before and pinning them after keeps the published ones."""
    import json

    site = seed_in_daily_issues(tmp_path)
    late = site / "issues" / "2026-10-03.json"
    held = late.read_bytes()
    late.unlink()  # the day the daily job missed

    def topics() -> dict[str, list[str]]:
        items = json.loads(run_digest("topics", "report", "--json", cwd=site).stdout)
        return {item["id"]: [match["slug"] for match in item["topics"]] for item in items}

    published = tmp_path / "published.json"
    published.write_text(run_digest("topics", "report", "--json", cwd=site).stdout, encoding="utf-8")
    before = topics()
    late.write_bytes(held)  # fetched by hand, days later
    unpinned = topics()
    assert len(unpinned) == len(before) + 3
    assert any(unpinned[paper] != slugs for paper, slugs in before.items())  # what README warns of
    run_digest("topics", "pin", "--from", str(published), cwd=site)
    pinned = topics()
    assert {paper: pinned[paper] for paper in before} == before
    assert all(pinned[paper] for paper in set(pinned) - set(before))  # the late papers are scored


@pytest.mark.parametrize("separator", [";", "\t"])
def test_evaluate_reads_labels_separated_by_semicolons_or_tabs(tmp_path: Path, separator: str) -> None:
    """Excel in locales with a decimal comma saves "CSV" with semicolons: `id;slug` was "expected a CSV header with
    'id' (or 'title') and 'slug' (or 'topic')"."""
    from generator.topics.evaluate import read_labels

    labels = tmp_path / "labels.csv"
    labels.write_text(f"id{separator}slug\r\n2401.10000{separator}number-theory\r\n"
                      f'"A title, with a comma"{separator}probability\r\n', encoding="utf-8")
    found, problems = read_labels(labels)
    assert [(label.key, label.slug) for label in found] == [("2401.10000", "number-theory"),
                                                           ("A title, with a comma", "probability")]
    assert problems == []


def test_evaluate_writes_every_count_of_its_headline_the_same_way() -> None:
    """Thousands of labelled papers: the agreeing and Other counts carry the separator the total carries."""
    from generator.topics.evaluate import Evaluation, TopicFigures, evaluation_text

    result = Evaluation(papers=12_913, agree=11_128, other=1_002,
                        topics=[TopicFigures("stat-me", labelled=12_913, predicted=11_911, correct=11_128)])
    headline = evaluation_text(result).splitlines()[0]
    assert headline.startswith("12,913 labelled papers: first topic agrees for 11,128 (86.2%); 1,002 in Other (7.8%)")


def test_a_topic_no_paper_takes_first_is_named_by_the_build_and_the_report(tmp_path: Path) -> None:
    """A topic whose text shares no word with the papers meant for it gets none of them, and nothing said so: the
    build's table showed a 0 among the counts. Past 20 papers a topic, the build notes it; the report
    always lists it."""
    papers = tmp_path / "2026-01-05.yaml"
    parts = ["arm", "gripper", "legged", "drone", "wheel", "sensor", "manipulator", "humanoid"]
    foods = ["coffee", "cake", "tea", "bread", "soup", "pastry", "juice", "salad"]
    robots = [{"title": f"A robot {parts[n % 8]} that learns {parts[(n + 3) % 8]} skills, trial {n}",
               "abstract": f"We build a robot with a {parts[n % 8]} and a {parts[(n * 5) % 8]} for task {n}."}
              for n in range(40)]
    cafes = [{"title": f"Cafe menus of {foods[n % 8]} and {foods[(n + 2) % 8]}, season {n}",
              "abstract": f"The menus of a cafe list {foods[n % 8]} beside {foods[(n * 3) % 8]}, case {n}."}
             for n in range(30)]
    papers.write_text(yaml.safe_dump({"papers": robots + cafes}), encoding="utf-8")
    taxonomy = tmp_path / "topics.yml"
    taxonomy.write_text("topics:\n  - name: Robotics\n    keywords: [robot, gripper]\n"
                        "  - name: Cafes\n    keywords: [menus, coffee]\n"
                        "  - name: Astronomy\n    description: Stars and galaxies.\n    keywords: [telescope]\n",
                        encoding="utf-8")
    options = ["--papers", str(papers), "--topics", str(taxonomy)]
    build = run_digest("build", *options, "--out", str(tmp_path / "content"))
    assert re.search(r"Robotics +40\n", build.stdout) and re.search(r"Cafes +30\n", build.stdout), build.stdout
    assert "note: no paper of 70 has the topic 'Astronomy' (astronomy) as its first topic" in build.stderr
    assert "'Robotics'" not in build.stderr and "'Cafes'" not in build.stderr
    report = run_digest("topics", "report", *options).stdout
    assert "No paper has these as its first topic (1;" in report
    assert "\n  astronomy  Astronomy\n" in report
    # Fewer than 20 papers a topic: an empty topic is no surprise yet, and the build says nothing of it.
    papers.write_text(yaml.safe_dump({"papers": robots[:30] + cafes[:20]}), encoding="utf-8")
    assert "Astronomy" not in run_digest("build", *options, "--out", str(tmp_path / "content")).stderr


def test_a_category_no_paper_is_in_is_noted_by_the_line_that_lists_it(tmp_path: Path) -> None:
    """A category mistyped in the taxonomy ("astro-ph.GAL", or "GA" for arXiv's "astro-ph.GA") gave its topic no
    evidence, and nothing said so: a topic meant to rest on its category lost most of its papers."""
    papers = tmp_path / "2026-01-05.jsonl"
    papers.write_text("\n".join(
        f'{{"id": "2601.{n:05d}", "title": "Paper {n} on {subject}", "abstract": "We study {subject} {n}.",'
        f' "categories": "{category}"}}'
        for n, (subject, category) in enumerate([("galaxies", "astro-ph.GA"), ("stars", "astro-ph.SR gr-qc")] * 3))
        + "\n", encoding="utf-8")
    taxonomy = tmp_path / "topics.yml"
    taxonomy.write_text("topics:\n  - name: Galaxies\n    keywords: [galaxy]\n    categories: [astro-ph.GAL, GA]\n"
                        "  - name: Stars\n    keywords: [star]\n    categories: [astro-ph.sr, gr-qc]\n",
                        encoding="utf-8")
    options = ["--papers", str(papers), "--topics", str(taxonomy)]
    notes = [line for line in run_digest("build", *options, "--out", str(tmp_path / "content")).stderr.splitlines()
             if "category" in line]
    assert notes == [
        f"{taxonomy}:4: note: topic 'Galaxies' (galaxies): no paper of 6 is in the category 'GA' (did you mean"
        " 'astro-ph.GA'?), so it gives the topic no evidence",
        f"{taxonomy}:4: note: topic 'Galaxies' (galaxies): no paper of 6 is in the category 'astro-ph.GAL' (did you"
        " mean 'astro-ph.GA'?), so it gives the topic no evidence",
    ]  # 'astro-ph.sr' is astro-ph.SR: categories match in any case
    # `topics report` (and `evaluate`), where a taxonomy is tried out, say it too.
    assert notes[0] in run_digest("topics", "report", *options).stderr.splitlines()
    # A source without categories (a pasted listing, most YAML lists): one note for the whole taxonomy.
    papers.write_text('{"title": "A paper on galaxies", "abstract": "We study galaxies."}\n', encoding="utf-8")
    build = run_digest("build", *options, "--out", str(tmp_path / "content")).stderr
    assert f"{taxonomy}:4: note: the topics list categories, but no paper of 1 carries any (arXiv's API" in build
    assert "'GA'" not in build


def test_a_topic_added_after_pinning_is_noted_as_pinned_out_not_as_badly_described(tmp_path: Path) -> None:
    """With every paper's topics pinned by `digest topics pin`, a topic added later takes no published paper, as
    README promises; the build's note said its description and keywords might share few words with its papers."""
    papers = tmp_path / "issues" / "2026-01-05.yaml"
    papers.parent.mkdir()
    parts = ["arm", "gripper", "legged", "drone", "wheel", "sensor", "manipulator", "humanoid"]
    robots = [{"title": f"A robot {parts[n % 8]} that learns {parts[(n + 3) % 8]} skills, trial {n}",
               "abstract": f"We build a robot with a {parts[n % 8]} and a {parts[(n * 5) % 8]} for task {n}."}
              for n in range(50)]
    papers.write_text(yaml.safe_dump({"papers": robots}), encoding="utf-8")
    taxonomy = tmp_path / "topics.yml"
    taxonomy.write_text("topics:\n  - name: Robotics\n    keywords: [robot, gripper]\n", encoding="utf-8")
    options = ["--papers", str(papers.parent), "--topics", str(taxonomy)]
    run_digest("topics", "pin", *options)
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "  - name: Drones\n    keywords: [drone]\n",
                        encoding="utf-8")
    build = run_digest("build", *options, "--out", str(tmp_path / "content"))
    assert re.search(r"Drones +0\n", build.stdout), build.stdout  # the published papers keep their topics
    note = next(line for line in build.stderr.splitlines() if "'Drones'" in line)
    assert note.endswith(
        "note: no paper of 50 has the topic 'Drones' (drones) as its first topic: 50 of them keep the topics pinned in"
        f" {tmp_path / 'assignments.yml'} (by `digest topics pin`), so a topic added since takes only papers of later"
        " issues (`digest topics reassign --dry-run` lists the papers scoring them again would move)"), note
    report = run_digest("topics", "report", *options).stdout  # says the same, not "sharper descriptions"
    assert ("No paper has these as its first topic (1; 50 of the papers keep the topics `digest topics pin` pinned, so"
            " a topic added since takes only papers of later issues; `digest topics reassign --dry-run` lists what"
            " scoring them again would move):\n  drones  Drones\n") in report, report


def test_evaluate_says_a_labelled_paper_is_hidden_not_missing(tmp_path: Path) -> None:
    """A label of a paper the curation file hides said "no paper '…' in the archive", as for a typo."""
    import json

    project(tmp_path)
    config = tmp_path / "digest.yml"
    config.write_text("papers: [physics/issues]\ntopics: physics/topics.yml\ncuration: curation.yml\n",
                      encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nsite_url: https://example.org/\n", encoding="utf-8")
    (tmp_path / "curation.yml").write_text("papers: {}\n", encoding="utf-8")
    items = json.loads(run_digest("topics", "report", "--json", "--config", str(config)).stdout)
    hidden, kept = items[0], items[1]
    (tmp_path / "curation.yml").write_text(
        yaml.safe_dump({"papers": {hidden["id"]: {"hide": "Withdrawn by the authors"}}}), encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text(f"id,slug\n{hidden['id']},{hidden['topics'][0]['slug']}\n"
                      f"{kept['id']},{kept['topics'][0]['slug']}\n", encoding="utf-8")
    result = run_digest("topics", "evaluate", "--labels", str(labels), "--json", "--config", str(config))
    assert json.loads(result.stdout)["papers"] == 1
    assert (f"{labels}:2: paper '{hidden['id']}' is hidden by the curation file (Withdrawn by the authors): it has"
            " no topics, skipped") in result.stderr


def test_suggest_proposes_no_pair_that_takes_half_of_a_hyphenated_word(tmp_path: Path) -> None:
    """On a real q-bio archive a draft proposed "cell RNA" (of "single-cell RNA") and "cell multi" (of "single-cell
    multi-omics"): a pair across a space took half of a hyphenated word."""
    cells = ("Single-cell RNA sequencing and spatial multi-omics profile tumour cells; single-cell RNA atlases"
             " integrate multi-omics measurements.")
    brains = "Cortical neurons and brain connectivity: decoding brain activity from cortical recordings."
    papers = tmp_path / "2026-01-01.yaml"
    papers.write_text(yaml.safe_dump({"papers": [
        *({"title": f"Single-cell RNA atlases of tumours {n}", "abstract": cells} for n in range(4)),
        *({"title": f"Decoding brain activity {n}", "abstract": brains} for n in range(4)),
    ]}), encoding="utf-8")
    proposal = yaml.safe_load(run_digest("topics", "suggest", "--count", "2", "--papers", str(papers)).stdout)
    keywords = {k.casefold() for topic in proposal["topics"] for k in topic["keywords"]}
    assert not {"cell rna", "spatial multi", "cell multi"} & keywords, keywords
    assert "multi-omics" in keywords, keywords  # the hyphenated words themselves stay
