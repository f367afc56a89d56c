"""A YAML loader for paper lists: plain data only, bounded alias expansion, no exceptions from odd scalars.

``yaml.safe_load`` already refuses to run code, but it rejects a whole file for one tag,
raises ``ValueError`` on an impossible date such as ``2026-13-45``, and lets an "alias
bomb" (a few lines whose aliases expand to billions of nodes) through to whatever walks
the result. This loader reports a tag as a problem of its line and drops the value,
keeps impossible dates and huge numbers as text, and refuses a document whose aliases
would expand it by more than ``MAX_ALIAS_NODES``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.counts import count
from generator.errors import Problem
from generator.sources.common import MAX_REPORTED_LINES

# Aliases may add at most this many nodes to a document (legitimate paper lists use none).
MAX_ALIAS_NODES = 100_000
# Characters PyYAML's reader refuses anywhere in a stream (it would reject the whole file).
NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class YamlNumber(float):
    """A YAML float that prints as written: ``arxiv: 2501.10000`` stays ``2501.10000``."""

    source: str = ""

    def __str__(self) -> str:
        return self.source or super().__str__()


class PaperListLoader(yaml.SafeLoader):
    """``SafeLoader`` that reports unknown tags, bounds aliases and never raises on a scalar's value."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.rejected_tags: list[tuple[int, str]] = []
        self.repeated_keys: list[tuple[int, int, str]] = []

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        # PyYAML keeps the last of a key written twice without a word: a second ``abstract:``, or a paper whose
        # "- " was forgotten (its fields then replace the paper's above), silently dropped a paper's text.
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    self.repeated_keys.append((seen[key_node.value], line, key_node.value))
                seen[key_node.value] = line
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping

    def compose_document(self) -> Node | None:
        node = super().compose_document()
        if node is not None:
            check_expansion(node)
        return node


def _reject_tag(loader: PaperListLoader, node: Node) -> None:
    loader.rejected_tags.append((node.start_mark.line + 1, node.tag))
    return None


def _timestamp_or_text(loader: PaperListLoader, node: ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # a date-shaped scalar that is no date, such as 2026-13-45
        return loader.construct_scalar(node)


def _int_or_text(loader: PaperListLoader, node: ScalarNode) -> Any:
    try:
        return loader.construct_yaml_int(node)
    except ValueError:  # more than 4300 digits: Python refuses to convert it
        return loader.construct_scalar(node)


def _number(loader: PaperListLoader, node: ScalarNode) -> Any:
    number = YamlNumber(loader.construct_yaml_float(node))
    number.source = str(loader.construct_scalar(node))
    return number


PaperListLoader.add_constructor(None, _reject_tag)
PaperListLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
PaperListLoader.add_constructor("tag:yaml.org,2002:int", _int_or_text)
PaperListLoader.add_constructor("tag:yaml.org,2002:float", _number)


def check_expansion(root: Node) -> None:
    """Refuse recursive aliases and aliases that would add more than ``MAX_ALIAS_NODES`` nodes.

    Sizes are memoised per node, so this is linear in the document's own nodes even when
    its aliases would expand it to billions.
    """
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise ComposerError(None, None, "a recursive alias (a node that contains itself)", node.start_mark)
        visiting.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(key_node) + size(value_node) for key_node, value_node in node.value)
        visiting.discard(key)
        sizes[key] = total
        return total

    expanded = size(root)
    if expanded - len(sizes) > MAX_ALIAS_NODES:
        raise ComposerError(
            None,
            None,
            f"aliases would expand the document to {expanded:,} nodes (at most {MAX_ALIAS_NODES:,} more than"
            f" its own {len(sizes):,} are allowed)",
            root.start_mark,
        )


def load_yaml(text: str, display: str, problems: list[Problem]) -> Any:
    """Parse one YAML document; characters YAML refuses and unknown tags become problems of their line."""
    lines = text.split("\n")
    bad_lines = [number for number, line in enumerate(lines, start=1) if NOT_YAML.search(line)]
    for number in bad_lines:
        lines[number - 1] = NOT_YAML.sub("", lines[number - 1])
    for number in bad_lines[:MAX_REPORTED_LINES]:
        problems.append(Problem(display, line=number, message="characters YAML does not allow removed"))
    if len(bad_lines) > MAX_REPORTED_LINES:
        more = len(bad_lines) - MAX_REPORTED_LINES
        message = f"characters YAML does not allow removed on {count(more, 'more line')}"
        problems.append(Problem(display, message=message))
    loader = PaperListLoader("\n".join(lines))
    try:
        document = loader.get_single_data()
    finally:
        loader.dispose()
    for first, line_number, key in loader.repeated_keys:
        hint = " (a paper without its '- '?)" if key == "title" else ""
        message = (f"{key!r} is written twice in one mapping (lines {first} and {line_number});"
                   f" only the last is read{hint}")
        problems.append(Problem(display, line=line_number, message=message))
    for line_number, tag in loader.rejected_tags:
        tag = tag.replace("tag:yaml.org,2002:", "!!", 1)
        problems.append(
            Problem(
                display, line=line_number, message=f"YAML tag {tag!r} is not allowed in a paper list; value ignored"
            )
        )
    return document
