"""The YAML loader of the files a maintainer writes by hand: ``digest.yml``, the taxonomy, the curation file.

Two differences from ``yaml.safe_load``, both about keys:

- A key written twice in one mapping is an error naming both lines. YAML says keys are unique, and
  PyYAML keeps the last one without a word: a second ``keywords:`` silently replaced a topic's
  first list, and a second entry for a paper in the curation file silently dropped the first,
  with its ``hide`` (a takedown come undone).
- Keys are text, as written: an unquoted arXiv id ``2401.10000:`` is the id, not the number 2401.1,
  and ``on:``/``yes:`` are words, not booleans. So are the values of the keys a caller names
  (``text_values``: the paper ids of ``distinct_from: [2401.10000]``).

And no exception but ``yaml.YAMLError`` for any text: a date that is no date (``2026-13-45``) and a number of more
digits than Python converts stay the text written (the setting's check then names it), and a document nested
deeper than the parser can follow (``[[[[…``, a bracket left open thousands of times) is invalid YAML, not a
``RecursionError``. Git's conflict markers left in a file are named as such, at the line of the first.
"""

from __future__ import annotations

import codecs
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

STRING = "tag:yaml.org,2002:str"
MERGE = "tag:yaml.org,2002:merge"


class SettingsLoader(yaml.SafeLoader):
    """``SafeLoader`` whose mapping keys are text as written and unique, as are the values of ``text_values``."""

    text_values: frozenset[str] = frozenset()

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == MERGE:
                continue
            if key_node.style is None and key_node.tag != STRING:  # a plain scalar: text, as written
                key_node.tag = STRING
            if key_node.value in self.text_values:  # a value, or the items of a list: text, as written
                for item in value_node.value if isinstance(value_node, SequenceNode) else [value_node]:
                    if isinstance(item, ScalarNode) and item.style is None and item.value and item.tag != STRING:
                        item.tag = STRING
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                raise ConstructorError(
                    None, None,
                    f"the key {key_node.value!r} is written twice in one mapping (lines {seen[key_node.value]} and "
                    f"{line}); YAML keeps only the last, so remove or merge one",
                    key_node.start_mark,
                )
            seen[key_node.value] = line
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _timestamp_or_text(loader: SettingsLoader, node: ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # date-shaped but no date: 2026-13-45
        return loader.construct_scalar(node)


def _int_or_text(loader: SettingsLoader, node: ScalarNode) -> Any:
    try:
        return loader.construct_yaml_int(node)
    except ValueError:  # more than 4,300 digits: Python refuses to convert it
        return loader.construct_scalar(node)


SettingsLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
SettingsLoader.add_constructor("tag:yaml.org,2002:int", _int_or_text)


# Git's conflict markers, each at the start of a line: a merge (upstream's taxonomy and your edits, the deploy's
# commits and yours) left both sides in the file. PyYAML then stopped at some line near them, saying a colon is missing.
CONFLICT_MARKER = re.compile(r"^(?:<{7} |={7}$|>{7} )", re.MULTILINE)


def _check_conflict(text: str) -> None:
    found = CONFLICT_MARKER.search(text)
    if found:
        line = text.count("\n", 0, found.start())
        raise yaml.MarkedYAMLError(
            problem="a merge conflict is left in the file (git's markers <<<<<<<, =======, >>>>>>>): keep one side's"
                    " lines, or both merged, and delete the markers",
            problem_mark=yaml.Mark("", found.start(), line, 0, "", 0))


def _too_deep(loader: SettingsLoader) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem="nested too deeply", problem_mark=loader.get_mark())


class KeyLines:
    """Where each setting of a hand-written YAML mapping is: the line of each key, by dotted path (``feeds.limit``:
    the keys of the top level and of the mappings under it), and of each item of their lists (``papers.2``).

    ``at(key)`` is the file and line a message about that setting starts with (``digest.yml:37``); a setting not
    written in the file (a default found wanting) is located by its section, or by the file alone."""

    def __init__(self, display: str, node: yaml.Node | None) -> None:
        self.display = display
        self.lines: dict[str, int] = {}
        if isinstance(node, MappingNode):
            self._walk(node, "", depth=2)

    def _walk(self, node: MappingNode, prefix: str, depth: int) -> None:
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == MERGE:
                continue
            key = prefix + key_node.value
            self.lines.setdefault(key, key_node.start_mark.line + 1)
            if isinstance(value_node, MappingNode) and depth > 1:
                self._walk(value_node, key + ".", depth - 1)
            elif isinstance(value_node, SequenceNode):
                for number, item in enumerate(value_node.value, 1):
                    self.lines.setdefault(f"{key}.{number}", item.start_mark.line + 1)

    def line(self, key: str = "") -> int:
        """The line of ``key`` (or of the nearest section holding it); 0 when the file does not write it."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return 0

    def at(self, key: str = "") -> str:
        """``FILE:LINE`` of ``key``, or ``FILE`` when the file does not write it."""
        line = self.line(key)
        return f"{self.display}:{line}" if line else self.display


def did_you_mean(key: Any, names: Iterable[str]) -> str:
    """`` (did you mean 'keywords'?)`` for a key spelled nearly as one of ``names``; "" when none is near."""
    close = difflib.get_close_matches(str(key), sorted(names), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def slug_hint(value: str, slugs: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """`` (did you mean 'number-theory'?)`` for a topic slug mistyped, or a topic's name written where its slug is
    wanted ("Number Theory"; with ``names``, the topics' names by slug, also a name that is no slug's spelling:
    "计算机视觉" for 'cv'); "" when no slug is near."""
    known = sorted(slugs)
    folded = " ".join(unicodedata.normalize("NFKC", value).casefold().split())
    named = [slug for slug, name in (names or {}).items()
             if " ".join(unicodedata.normalize("NFKC", name).casefold().split()) == folded]
    if named:
        return f" (did you mean {named[0]!r}?)"
    made = "-".join(re.findall(r"[a-z0-9]+", value.casefold()))
    if made != value and made in known:
        return f" (did you mean {made!r}?)"
    return did_you_mean(value, known)


def yaml_error(display: str, error: yaml.YAMLError | UnicodeDecodeError) -> str:
    """One line saying what is wrong in a YAML file and where: ``FILE:LINE: invalid YAML: …``.

    PyYAML's own text runs over several lines and names the file ``"<unicode string>"``."""
    if isinstance(error, UnicodeDecodeError):
        if bytes(error.object[:2]) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return (f"{display}: invalid YAML: UTF-16 text (as Windows PowerShell's > and Notepad's \"Unicode\" write"
                    " it), not UTF-8: save it as UTF-8")
        return f"{display}: invalid YAML: not UTF-8 text ({error.reason} at byte {error.start})"
    line, reason = yaml_problem(error)
    mark = getattr(error, "problem_mark", None)
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    lined_up = reason.startswith("this line is not lined up")  # "while parsing a block collection": PyYAML's words
    if context and context_mark is not None and mark is not None and context_mark.line != mark.line and not lined_up:
        reason += f" ({context} that starts on line {context_mark.line + 1})"
    return f"{display}:{line}: invalid YAML: {reason}" if line else f"{display}: invalid YAML: {reason}"


def yaml_problem(error: yaml.YAMLError) -> tuple[int, str]:
    """The line of a YAML error (0 when it names none) and its reason on one line, with what to do about a tab
    (PyYAML's "found character '\\t' that cannot start any token"). Hand-written settings and paper lists alike."""
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or " ".join(str(error).split())
    if "'\\t'" in reason:
        reason += " (YAML takes no tab there: replace it with spaces, or quote the value)"
    elif reason == "mapping values are not allowed here":  # `hide: Withdrawn: see below`, or a line indented too far
        reason += (" (a ': ' inside a value: put the value in quotes; or a line indented more than the one above it:"
                   " line it up)")
    elif reason == "could not find expected ':'":  # `nav_issues:5`, `nav_issues = 5`
        reason += " (a line that is no 'name: value': YAML needs ': ', a colon and a space, after each name)"
    if reason.startswith("expected <block end>, but found"):  # PyYAML's words for a line out of line with its block
        reason = ("this line is not lined up with the lines it belongs with: indent it with spaces as far as they are"
                  " (the keys of one item in one column, the '- ' of each item of a list in one column)")
    if reason == "but found another document":  # PyYAML's words after "expected a single document in the stream"
        reason = "a second document starts here ('---'): a file holds one; make one list, or split the file"
    return (mark.line + 1 if mark is not None else 0), reason


def load_settings(text: str, text_values: Iterable[str] = ()) -> Any:
    """Parse one hand-written YAML document (raises ``yaml.YAMLError`` with the line of what is wrong).

    The values of the keys ``text_values`` names (and the items of their lists) are text as written, as keys are.
    """
    _check_conflict(text)
    loader = SettingsLoader(text)
    loader.text_values = frozenset(text_values)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise _too_deep(loader) from None
    finally:
        loader.dispose()


def load_settings_with_node(text: str, text_values: Iterable[str] = ()) -> tuple[yaml.Node | None, Any]:
    """``load_settings``, and the document's node tree (for the lines of its keys), parsed once."""
    _check_conflict(text)
    loader = SettingsLoader(text)
    loader.text_values = frozenset(text_values)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    except RecursionError:
        raise _too_deep(loader) from None
    finally:
        loader.dispose()
