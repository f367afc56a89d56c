"""The committed record of each issue's picks (``picks.yml`` beside the reading list).

An issue's picks are written here when the issue is first built, and read back from then on: a
published issue keeps its picks when the reading list or the ``picks:`` setting is edited (an edit
applies from the next issue on), as ``assignments.yml`` keeps pinned topics. ``digest picks
--repick`` rewrites it from scratch. An issue with no picks is recorded too (an empty list), so a
reading list edited later cannot give it some.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from generator.errors import ConfigError
from generator.picks.scoring import Pick
from generator.settings_yaml import load_settings, yaml_error

FILE_NAME = "picks.yml"
HEADER = (
    "# The picks of each issue, recorded when the issue was first built (commit this file; do not edit it by hand).\n"
    "# Published issues keep these picks when the reading list changes; `digest picks --repick` recomputes them all.\n"
)


def record_path(reading_list: Path) -> Path:
    """The record lives beside the reading list."""
    return reading_list.with_name(FILE_NAME)


def read_record(path: Path) -> dict[dt.date, tuple[Pick, ...]]:
    """The recorded picks by issue date; none when the file does not exist yet."""
    if not path.exists():
        return {}
    again = "run digest picks --repick to write the file again"
    try:
        text = path.read_text(encoding="utf-8")
        # Committed by the deploy's fetch job and by a build of your own: git may leave both versions in it.
        conflict = next((number for number, line in enumerate(text.splitlines(), start=1)
                         if line.startswith(("<<<<<<< ", "=======", ">>>>>>> "))), 0)
        if conflict:
            raise ConfigError(f"{path}:{conflict}: cannot read the recorded picks: a merge conflict (git's markers"
                              f" <<<<<<<, =======, >>>>>>>): keep one side's lines and delete the markers, or {again}")
        data = load_settings(text)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the recorded picks: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:  # one line naming the line, not PyYAML's several
        raise ConfigError(f"{yaml_error(str(path), error)} ({again})") from None
    issues = data.get("issues") if isinstance(data, dict) else None
    if not isinstance(issues, dict):
        raise ConfigError(f"{path}: expected an 'issues:' mapping of dates to picks (written by digest build;"
                          " delete the file or run digest picks --repick to write it again)")
    record: dict[dt.date, tuple[Pick, ...]] = {}
    for key, picks in issues.items():
        date = _date(key)
        if date is None or not isinstance(picks, list):
            raise ConfigError(f"{path}: issue {key!r}: expected a date and a list of picks"
                              " (run digest picks --repick to write the file again)")
        record[date] = tuple(_pick(path, date, item) for item in picks)
    return record


def _date(key: object) -> dt.date | None:
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError:
        return None


def _pick(path: Path, date: dt.date, item: object) -> Pick:
    if (
        not isinstance(item, dict)
        or not isinstance(item.get("id"), str)
        or not isinstance(item.get("score"), int | float)
        or not isinstance(item.get("like", []), list)
    ):
        raise ConfigError(f"{path}: issue {date.isoformat()}: a pick needs 'id', 'score' and 'like' ({item!r})"
                          " (run digest picks --repick to write the file again)")
    return Pick(item["id"], float(item["score"]), tuple(str(title) for title in item.get("like", [])))


def record_text(record: Mapping[dt.date, Sequence[Pick]]) -> str:
    """The record's text: issues by date, picks best first (the same picks always give the same bytes)."""
    body = {
        "issues": {
            date.isoformat(): [{"id": pick.paper_id, "score": pick.score, "like": list(pick.like)} for pick in picks]
            for date, picks in sorted(record.items())
        }
    }
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=1000)
