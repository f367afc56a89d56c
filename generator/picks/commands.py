"""What ``digest picks`` prints: an issue's picks with scores and reasons; ``--repick`` records them anew."""

from __future__ import annotations

import datetime as dt
import json

from generator import latex_text
from generator.build import BuildOptions, BuildReport, Stopwatch, load_archive, same_paper_lists
from generator.config import Config, PicksSettings
from generator.counts import count
from generator.errors import DigestError, Problem
from generator.picks import Picks, write_record
from generator.render import Archive


def record(config: Config, options: BuildOptions) -> tuple[str, list[Problem]]:
    """Record the picks of the issues not recorded yet, as a build does (the deploy workflow's fetch job)."""
    if config.picks is None:
        return "No picks: setting in digest.yml; nothing to record.\n", []
    if not same_paper_lists(config, options):
        raise DigestError("--record records the picks of the site's issues: give no --papers (or those of the"
                          f" papers: setting of {config.file})")
    report = BuildReport()
    archive = load_archive(config, options, report, Stopwatch(report, lambda _: None), with_related=False)
    found = archive.picks or Picks({})
    if not write_record(found):
        unrecorded = sorted(set(found.by_issue) - set(found.record))
        if unrecorded:  # the reading list has nothing to pick by (a problem says so)
            return (f"Nothing recorded: {count(len(unrecorded), 'issue')} wait for a reading list to pick by.\n",
                    report.problems + report.notes)
        return f"Every issue's picks are recorded already in {found.path}.\n", report.problems + report.notes
    if found.computed < len(found.record):  # the record had earlier issues: say how many are new
        recorded = f"{count(found.computed, 'more issue')} in {found.path} ({count(len(found.record), 'issue')} in all)"
    else:
        recorded = f"{count(found.computed, 'issue')} in {found.path}"
    return f"Recorded the picks of {recorded}.\n", report.problems + report.notes


def show(
    config: Config, options: BuildOptions, date: dt.date | None, as_json: bool, repick: bool = False
) -> tuple[str, list[Problem], list[Problem]]:
    """The picks of the issue dated ``date`` (the newest by default) as text or JSON; problems and notes."""
    if config.picks is None and not config.settings_file().is_file():
        raise DigestError(f"no {config.file} here, so no 'picks:' setting: run the command in a site's folder"
                          " (digest new NAME makes one)")
    if config.picks is None:
        raise DigestError(f"{config.file} has no 'picks:' setting: add 'picks: {{reading_list: PATH}}'"
                          " (README, 'Picks from a reading list')")
    report = BuildReport()
    archive = load_archive(config, options, report, Stopwatch(report, lambda _: None), with_related=False,
                           repick=repick)
    found = archive.picks or Picks({})
    lines = []
    if repick:
        written = write_record(found)
        total = sum(len(picks) for picks in found.by_issue.values())
        state = "rewrote" if written else "unchanged:"
        lines.append(f"Repicked {count(len(archive.issues), 'issue')}, {count(total, 'pick')}; {state} {found.path}")
    issue = _issue(archive, date)
    if as_json:
        text = json_text(archive, found, issue)
        report.notes.extend(Problem(str(found.path), message=line) for line in lines)  # stdout is the JSON only
    else:
        text = "\n".join([*lines, *issue_lines(archive, found, config.picks, issue)]) + "\n"
    return text, report.problems, report.notes


def _issue(archive: Archive, date: dt.date | None) -> dt.date:
    if not archive.issues:
        raise DigestError("the archive has no issue yet: no picks to show")
    if date is None:
        return archive.issues[0].date
    if date not in {issue.date for issue in archive.issues}:
        newest = archive.issues[0].date.isoformat()
        raise DigestError(f"no issue dated {date.isoformat()} (the newest is {newest}; the issues page lists them all)")
    return date


def json_text(archive: Archive, found: Picks, date: dt.date) -> str:
    """One JSON array, best first: id, title, score and the closest reading-list titles."""
    items = [
        {"id": pick.paper_id, "title": latex_text.plain(archive.papers[pick.paper_id].title), "score": pick.score,
         "like": [latex_text.plain(title) for title in pick.like]}
        for pick in found.by_issue.get(date, ())
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def issue_lines(archive: Archive, found: Picks, settings: PicksSettings, date: dt.date) -> list[str]:
    """A heading, then a line per pick (rank, score, id, title) and its reason."""
    picks = found.by_issue.get(date, ())
    size = next(len(issue.paper_ids) for issue in archive.issues if issue.date == date)
    limits = f"at most {settings.per_issue}, score at least {settings.min_score:g}"
    if len(picks) > settings.per_issue or any(pick.score < settings.min_score for pick in picks):
        # Published picks stay as recorded when the settings change: say so, or the heading contradicts them.
        limits = f"as recorded in {found.path} with earlier settings; now {limits}, which --repick applies"
    lines = [f"Picks of {date.isoformat()}: {len(picks)} of {count(size, 'paper')} ({limits})"]
    for rank, pick in enumerate(picks, start=1):
        title = latex_text.plain(archive.papers[pick.paper_id].title)  # titles as the site shows them
        lines.append(f"{rank:3d}. {pick.score:.4f}  {pick.paper_id}  {title}")
        lines.append(f"       {latex_text.plain(pick.reason)}")
    return lines
