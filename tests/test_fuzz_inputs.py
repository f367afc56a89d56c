"""Property tests of the files other than paper lists that commands read: settings, taxonomy, curation, pins, the picks
record, labels, a `topics report --json` given to `pin --from`, the record of mailed issues.

Each starts from a valid file and breaks it as editors, merges, pastes and half-finished downloads do (a cut at any
byte, flipped bytes, odd characters, other encodings and line ends, wrong types, absurd numbers and nesting, YAML
tags and aliases, git's conflict markers). Whatever the bytes, the reader returns or raises our own error naming the
file: never a traceback. `make test` replays fixed examples; `make fuzz` (`-m property`) explores.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.config import load_config
from generator.curation import load_curation
from generator.errors import DigestError
from generator.mail.record import read_record as read_mailed
from generator.picks.record import read_record as read_picks
from generator.topics import load_taxonomy
from generator.topics.commands import _report_topics
from generator.topics.evaluate import read_labels
from generator.topics.stability import read_pins
from tests.conftest import SEED_TOPICS

DIGEST_YML = """papers: [issues]
topics: topics.yml
nav_issues: 3
feeds:
  limit: 20
  mode: papers
watch:
  authors: [Ada Lovelace, "O'Brien"]
  phrases: [diffusion policy, world model]
picks:
  reading_list: reading.txt
  per_issue: 2
  min_score: 0.02
"""
CURATION = """papers:
  '2401.00001':
    hide: Withdrawn by the authors.
  t716afc396d2:
    title: A corrected title
    authors: [Ada Lovelace, Alan Turing]
    topics: [reasoning, agents]
    code: https://github.com/example/code
  td1712603a4e:
    distinct_from: [tadff201d123]
"""
PINS = """taxonomy: kept
papers:
  '2010.02502':
  - slug: reasoning
    score: 0.432
    evidence:
    - 'title: denoising'
  t565b128e90c:
  - slug: agents
    score: 0.2
"""
PICKS = """issues:
  '2026-11-20':
  - id: '2201.11903'
    score: 0.1295
    like:
    - A paper of the reading list
  '2026-11-27': []
"""
LABELS_YAML = """papers:
  - id: t040e57c2926
    slug: reasoning
  - id: '2401.00001'
    slug: agents
  - title: A paper by its title
    slug: code
"""
LABELS_CSV = "id,slug\r\nt040e57c2926,reasoning\r\n2401.00001,agents\r\n\"A title, with a comma\",code\r\n"
REPORT = json.dumps([
    {"id": "2401.00001", "title": "One", "topics": [{"slug": "reasoning", "score": 0.41, "evidence": ["title: x"]}]},
    {"id": "t040e57c2926", "title": "Two", "topics": [{"slug": "agents", "score": 0.2, "evidence": []},
                                                      {"slug": "reasoning", "score": 0.1}]},
], indent=2)
MAILED = "# The issues mailed.\n2026-11-20\n2026-11-27\n2026-W48\n"


def _config(path: Path) -> object:
    (path.parent / "topics.yml").write_bytes(SEED_TOPICS.read_bytes())
    (path.parent / "reading.txt").write_text("2401.00001\n", encoding="utf-8")
    (path.parent / "issues").mkdir(exist_ok=True)
    return load_config(path)


def _pins(path: Path) -> object:
    return read_pins(path, load_taxonomy(SEED_TOPICS)[0])


def _report(path: Path) -> object:
    return _report_topics(path, [], {"reasoning": "reasoning", "agents": "agents"}, 3)


# Each file kind: its name, a valid file, and the reader a command calls first.
KINDS: dict[str, tuple[str, bytes, Callable[[Path], object]]] = {
    "digest.yml": ("digest.yml", DIGEST_YML.encode(), _config),
    "topics.yml": ("topics.yml", SEED_TOPICS.read_bytes()[:4000], load_taxonomy),
    "curation.yml": ("curation.yml", CURATION.encode(), lambda path: load_curation(path, str(path))),
    "assignments.yml": ("assignments.yml", PINS.encode(), _pins),
    "picks.yml": ("picks.yml", PICKS.encode(), read_picks),
    "labels.yml": ("labels.yml", LABELS_YAML.encode(), read_labels),
    "labels.csv": ("labels.csv", LABELS_CSV.encode(), read_labels),
    "report.json": ("report.json", REPORT.encode(), _report),
    "mailed.txt": ("mailed.txt", MAILED.encode(), read_mailed),
}

# What gets pasted into a file: characters editors and exports leave, absurd sizes and nesting, YAML's tags and aliases,
# git's conflict markers, other line ends, and wrong types in place of a value.
SNIPPETS = [
    b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xed\xa0\x80", b"\xe9", b"\r", b"\r\n", b"\t", b"\x1b[31m",
    b"\xe2\x80\xae",
    b"[" * 3000, b"{" * 3000, b'{"a":' * 3000, b"- " * 2000, b"9" * 5000, b"1e999", b"-1", b"2026-13-45", b"0x1F",
    b".nan", b"~", b"null", b"[]", b"{}", b"[1, 2]", b"{a: 1}", b"true", b"''", b'"', b"'", b": ", b"- ", b"#",
    b"!!python/object/apply:os.system [ls]", b"!!binary aGk=", b"&anchor ", b"*anchor", b"<<: *anchor", b"---\n",
    b"\n<<<<<<< HEAD\n", b"\n=======\n", b"\n>>>>>>> theirs\n", b"@misc{", b"\\u0000", b"\\ud800",
]


@st.composite
def broken(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` broken by one to three edits."""
    data = original
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["cut", "flip", "delete", "insert", "value", "encode", "line ends"]))
        if edit == "cut":
            data = data[:at]
        elif edit == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif edit == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif edit == "insert":
            data = data[:at] + draw(st.sampled_from(SNIPPETS)) + data[at:]
        elif edit == "value":  # what follows a "key: " (or a JSON key) on one line replaced
            lines = data.split(b"\n")
            keyed = [number for number, line in enumerate(lines) if b": " in line]
            if keyed:
                number = draw(st.sampled_from(keyed))
                key = lines[number].partition(b": ")[0]
                lines[number] = key + b": " + draw(st.sampled_from(SNIPPETS)).replace(b"\n", b" ")
                data = b"\n".join(lines)
        elif edit == "encode":
            text = data.decode("utf-8", errors="replace")
            data = text.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "latin-1", "cp1252"])), errors="replace")
        else:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", draw(st.sampled_from([b"\r", b"\r\n"])))
    return data


def read_broken(tmp_path: Path, kind: str, data: bytes | None) -> None:
    """Read the file (``None``: a folder in its place): a result, or our own error naming the file."""
    name, _, reader = KINDS[kind]
    path = tmp_path / name
    if data is None:
        path.mkdir()
    else:
        path.write_bytes(data)
    try:
        reader(path)
    except DigestError as error:
        assert name in str(error), str(error)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_valid_fixture_reads(tmp_path: Path, kind: str) -> None:
    """The fixtures the fuzzers start from are files the readers take (else a fuzzer would break nothing)."""
    name, data, reader = KINDS[kind]
    path = tmp_path / name
    path.write_bytes(data)
    result: Any = reader(path)
    assert result


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_folder_in_place_of_the_file_is_our_error(tmp_path: Path, kind: str) -> None:
    read_broken(tmp_path, kind, None)


@pytest.mark.parametrize("kind", sorted(KINDS))
@given(data=st.data())
def test_a_broken_file_is_read_or_refused_by_name_never_a_traceback(kind: str, data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:  # hypothesis runs many examples in one test: no tmp_path
        read_broken(Path(folder), kind, data.draw(broken(KINDS[kind][1])))
