"""The record of the issues already mailed (``digest email --send --record FILE``): one key per line.

The deploy workflow commits it after each send, so daily rebuilds of the same issue mail nothing.
With a record, the issues due are those dated after the newest one recorded, oldest first (a rebuild,
a push or an issue added for an older date sends nothing); an empty record sends the newest issue
only, never the whole archive.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from generator.errors import MailError
from generator.model import Issue
from generator.sources.common import UTF16_BOMS, from_utf16
from generator.writer import write_atomically

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HEADER = ("# The issues of the email edition already mailed, one a line (digest email --send --record).\n"
          "# Issues dated after the newest listed here are mailed next; delete a line to mail that issue again.\n")


def read_record(path: Path) -> list[str]:
    """The keys recorded (issue dates, ISO weeks), in the file's order; none when the file does not exist."""
    try:
        # UTF-16 as Windows PowerShell 5's Out-File and > write it; a BOM (Notepad) is no part of a key.
        text = from_utf16(path.read_bytes(), str(path), []).decode("utf-8-sig")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError as error:
        raise MailError(f"{path}: cannot read the record of mailed issues: not UTF-8 text ({error.reason} at byte"
                        f" {error.start})") from None
    except OSError as error:
        raise MailError(f"{path}: cannot read the record of mailed issues: {error}") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def newest_recorded(keys: list[str]) -> dt.date | None:
    dates = []
    for key in keys:
        if DATE.fullmatch(key):  # an ISO week (2026-W48) mailed by hand says nothing of the daily issues
            try:
                dates.append(dt.date.fromisoformat(key))
            except ValueError:
                continue
    return max(dates, default=None)


def due(issues: list[Issue], keys: list[str]) -> list[dt.date]:
    """The issue dates to mail, oldest first: after the newest recorded; the newest issue alone if none is."""
    if not issues:
        return []
    newest = newest_recorded(keys)
    if newest is None:
        return [issues[0].date] if issues[0].date.isoformat() not in keys else []
    return sorted(issue.date for issue in issues if issue.date > newest)


def check_recordable(path: Path) -> None:
    """Refuse, before anything is sent, a record that could not be written after the send: every run would then
    mail the same issue again (a typo in the workflow's path, a missing folder)."""
    folder = path.parent
    if path.is_dir():
        reason = "it is a folder"
    elif path.exists():
        reason = "" if os.access(path, os.W_OK) else "it is not writable"
    elif not folder.is_dir():
        reason = f"there is no folder {folder}"
    else:
        reason = "" if os.access(folder, os.W_OK) else f"the folder {folder} is not writable"
    if reason:
        raise MailError(f"{path}: cannot record the mailed issues there ({reason}); nothing sent")


def add_to_record(path: Path, key: str, sent: bool = True) -> None:
    """Append ``key`` (made right after its message was sent: a failure later keeps the sends made; or, not ``sent``,
    before it is sent: ``digest email --reserve``)."""
    keys = read_record(path)
    if key in keys:
        return
    try:
        exists = path.exists()
        # A record edited by hand may lack its last line end: the key must not join that line ("2026-11-302026-12-02"
        # is no date, and the issue would be mailed again).
        before = path.read_bytes() if exists else b""
        unended = bool(before) and not before.endswith(b"\n")
        if before.startswith(UTF16_BOMS):  # UTF-8 appended to UTF-16 would make the file unreadable: it becomes UTF-8
            text = from_utf16(before, str(path), []).decode("utf-8")
            write_atomically(path, (text + ("\n" if text and not text.endswith("\n") else "") + key + "\n").encode())
            return
        with path.open("a", encoding="utf-8") as handle:
            if not exists:
                handle.write(HEADER)
            handle.write(("\n" if unended else "") + key + "\n")
    except OSError as error:
        if not sent:
            raise MailError(f"{path}: cannot record {key} ({error.strerror}); nothing sent") from None
        raise MailError(f"{path}: sent, but cannot record it ({error.strerror}): it would be sent again") from None
