"""The ``digest`` command: a thin layer over the pipeline; the one place errors become messages."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import errno
import functools
import io
import os
import re
import shlex
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from generator import __version__, counts, fetch, heap, packaged, source_date
from generator.build import BuildOptions, BuildReport, build
from generator.config import Config, load_config, path_too_long
from generator.errors import DigestError, Problem
from generator.fetch import FetchReport, HttpClient
from generator.sources import display_path
from generator.sources.arxiv import total_results
from generator.sources.common import impossible_date

# What a terminal acts on (ESC starts colours, links and screen clears, BEL rings, CR and backspace write over what
# is shown): every control character but tab and newline.
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def echo(message: object, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` of a message that may hold text from the data (a file's name, a hide reason, a title): its
    control characters shown as escapes (``\\x1b``), so that a paper list cannot drive the reader's terminal."""
    with output_errors(err):
        click.echo(TERMINAL_CONTROLS.sub(_control_escape, str(message)), err=err, nl=nl)


@contextlib.contextmanager
def output_errors(err: bool = False) -> Iterator[None]:
    """A result that cannot be written (``digest topics report --json > f`` on a full disk) as ``Error: …`` and exit
    1, not a traceback. A closed pipe (``| head``) is left to click, which ends quietly."""
    try:
        yield
    except OSError as error:
        if err or error.errno == errno.EPIPE:
            raise
        click.echo(f"Error: cannot write the output: {error.strerror or error}", err=True)
        sys.exit(1)


def _control_escape(found: re.Match[str]) -> str:
    # JSON (--json) holds C0 controls as \u001b already; the rest as \u0085, an escape JSON reads too (not \x85).
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    """What stdout's encoding cannot hold, as ``\\u64a4`` (a UTF-16 pair, ``\\ud835\\udcaa``, above U+FFFF): an
    escape JSON reads too, so that ``--json`` stays JSON. Python's backslashreplace writes ``\\xf1`` and
    ``\\U0001d4aa``, which JSON does not."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    units = error.object[error.start:error.end].encode("utf-16-be", "surrogatepass")
    escaped = "".join(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}" for i in range(0, len(units), 2))
    return escaped, error.end


codecs.register_error("digest-escape", _escape_unencodable)


def print_problems(problems: list[Problem], annotate: bool = True) -> None:
    """Each problem on stderr, in order; in a GitHub Actions run, also as one warning on the run's page (unless
    ``annotate`` is false: the caller annotates them itself)."""
    ordered = sorted(set(problems), key=lambda p: (p.path, p.line, p.item, p.message))
    for problem in ordered:
        echo(str(problem), err=True)
    if annotate:
        annotate_run("warning", [str(problem) for problem in ordered])


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def github_annotation(kind: str, title: str, message: str, err: bool = False) -> None:
    """A ``warning`` or ``error`` GitHub Actions shows on the run's summary page; newlines are %0A there. The runner
    reads such commands on stderr as on stdout."""
    escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    echo(f"::{kind} title={title}::{escaped}", err=err)


ANNOTATED_LINES = 20


def annotate_run(kind: str, lines: list[str]) -> None:
    """In a GitHub Actions run, ``lines`` (an error, problems, warnings) also as one annotation on the run's summary
    page, titled with the command: the log alone said why a run failed, and what a run that passed skipped or warned
    of was read by no one. The first 20 lines; the log has them all. On stderr: stdout may be the command's data
    (``digest topics report --json > file``)."""
    if not lines or not in_github_actions():
        return
    shown = lines[:ANNOTATED_LINES]
    if len(lines) > ANNOTATED_LINES:
        shown.append(f"... and {len(lines) - ANNOTATED_LINES:,} more (the run's log lists them all)")
    github_annotation(kind, command_title(), "\n".join(shown), err=True)


def command_title() -> str:
    """The command running as its user typed it, ``digest fetch hf``, whichever way it was started."""
    names = []
    context = click.get_current_context(silent=True)
    while context is not None and context.parent is not None:
        names.append(context.info_name or "")
        context = context.parent
    return " ".join(["digest", *reversed(names)])


def run_guarded(work: Callable[[], Any]) -> Any:
    """Turn our own errors, and errors in a template, into ``Error: …`` and exit 1; anything else keeps its
    traceback."""
    try:
        return work()
    except DigestError as error:
        print_problems(error.problems)
        for line in str(error).splitlines():
            echo(f"Error: {line}", err=True)
        annotate_run("error", str(error).splitlines())
        sys.exit(1)
    except Exception as error:  # in a template, most likely of the maintainer's own (digest override)
        if not packaged.raised_in_template(error):
            raise
        echo(f"Error: {packaged.template_error(error)}", err=True)
        annotate_run("error", [packaged.template_error(error)])
        sys.exit(1)


class UsablePath(click.Path):
    """A path option no file system refuses outright: one of a name too long was an OSError traceback (File name too
    long) from the first look at it; now a usage error naming the option."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and (reason := path_too_long(value)):
            self.fail(reason, param, ctx)
        return super().convert(value, param, ctx)


def config_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that reads the archive shares."""
    decorators = [
        click.option("--config", "config_file", type=UsablePath(path_type=Path), help="Generator config [digest.yml]."),
        click.option(
            "--papers",
            multiple=True,
            type=UsablePath(path_type=Path),
            help="A paper list file or folder (repeatable); replaces the configured lists.",
        ),
        click.option("--topics", type=UsablePath(path_type=Path), help="Taxonomy file [data/topics.yml]."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


class Seconds(click.ParamType):  # type: ignore[type-arg]
    """A number of seconds from 0.1 to a day: click's FloatRange lets "nan" and "inf" through (a traceback later)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not 0.1 <= seconds <= 86_400:  # False for nan too
            self.fail(f"{value!r} is not a number of seconds from 0.1 to 86400", param, ctx)
        return seconds


SECONDS = Seconds()


def load(config_file: Path | None) -> Config:
    config, warnings = load_config(config_file)
    print_problems(warnings)
    return config


class DigestGroup(click.Group):
    """The command group, which also answers `digest serve`: the step after `digest build` a newcomer types."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] == "serve" and "serve" not in self.commands:
            ctx.fail(f"No such command 'serve'. MkDocs serves the site: in its folder, run `{command_here('digest')}"
                     f" build` once (MkDocs needs the content/ it writes), then `{command_here('mkdocs')} serve`, which"
                     " runs digest build again on every edit; in a checkout of Paper Digest, `make serve`.")
        return super().resolve_command(ctx, args)


@click.group(cls=DigestGroup)
@click.version_option(__version__, prog_name="digest")
def main() -> None:
    """Paper Digest: turn paper lists into a static site with topic pages and feeds."""
    # Titles, names and reasons hold any character, which stdout's encoding may not (a Windows pipe's or console's
    # cp1252, a Latin-1 locale): escaped (\u64a4), much as Python writes them to stderr, rather than a traceback.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="digest-escape")
    if source_date.PROBLEM:
        raise click.ClickException(source_date.PROBLEM)
    heap.keep_freed_memory()  # a build's stages reuse what the one before freed (generator/heap.py)


@main.command("build")
@config_options
@click.option("--out", type=UsablePath(path_type=Path), help="Output folder (MkDocs' docs_dir) [content].")
@click.option("--strict", is_flag=True, help="Treat any problem in the inputs as fatal (exit 1, nothing written).")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and errors.")
def build_command(
    config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, out: Path | None, strict: bool, quiet: bool
) -> None:
    """Build content/ (Markdown pages and feeds) from the paper lists."""
    options = BuildOptions(papers=papers, topics=topics, out=out, strict=strict)
    output = [out or Path(Config.out)]

    def work() -> BuildReport:
        config = load(config_file)
        output[0] = out or config.path(config.out)
        return build(config, options, progress=_progress(quiet))

    stop_on_sigterm()
    try:
        report = run_guarded(work)
    except KeyboardInterrupt as stop:
        _end_progress(quiet)
        click.echo(f"Interrupted: {display_path(output[0])}/ is left whole (the previous build's, or this one's if it"
                   " was already putting its files in place); build again to finish", err=True)
        sys.exit(128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT))
    finally:
        _end_progress(quiet)
    print_problems(report.problems)
    print_problems(future_issue(report, dt.datetime.now(dt.UTC).date()))
    if not quiet:
        print_problems(report.notes, annotate=False)
        if in_github_actions():  # each on the run's summary page, not in its log only
            for note in sorted(set(report.notes), key=str):
                github_annotation("warning", "digest build", str(note))
        _summary(report)


def future_issue(report: BuildReport, today: dt.date) -> list[Problem]:
    """The newest issue when it is dated more than ``fetch.MAX_DAYS_AHEAD`` days after ``today`` (UTC), as no fetch
    saves one: a typo in a file name (2062 for 2026, a month for a day) dated every feed's newest entries then, above
    every issue to come until that day."""
    if report.newest is None or dt.date.fromisoformat(report.newest[0]) <= today + dt.timedelta(fetch.MAX_DAYS_AHEAD):
        return []
    date, source = report.newest
    return [Problem(source, message=(
        f"issue date {date} is more than {fetch.MAX_DAYS_AHEAD} days after today ({today.isoformat()}, UTC): a typo?"
        " Every feed dates this issue's entries then, so readers list them above every issue published before that"
        " day; correct the file's name (or its `date`)"))]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the build is so that it stops as Ctrl-C stops it."""


def _terminate(_signal: int, _frame: object) -> None:
    raise Terminated


def stop_on_sigterm() -> None:
    """SIGTERM (a cancelled CI job, ``timeout``, ``kill``) stops a build as Ctrl-C does: its staged files removed
    and its helper process stopped. Python's default ends the process at once, leaving both behind."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)


def _redraws_lines() -> bool:
    """Whether stderr is a terminal that moves its cursor as told: not a log, nor a dumb terminal (Emacs' shell,
    TERM=dumb), which shows the escape sequences of a redrawn line as ``^[[K``."""
    import os

    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


def _progress(quiet: bool) -> Callable[[str], None]:
    """On a terminal, one line naming the stage being worked on; nothing in logs, on a dumb terminal or with
    --quiet."""
    interactive = _redraws_lines() and not quiet
    done: list[str] = []

    def show(stage: str) -> None:
        if interactive:
            step = f"[{len(done) + 1}] {stage}…"
            click.echo(f"\r\033[K{_fit(' · '.join([*done, step]))}", err=True, nl=False)
            done.append(stage)

    return show


def _fit(line: str) -> str:
    """The progress line cut at its start to fit the terminal: a line that wraps is redrawn below its first part,
    which stays on the screen (an 80-column terminal kept one such line per stage from the ninth on)."""
    import os

    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns
    except OSError:
        width = 0
    width = width or 80  # a terminal that does not say its size
    return line if len(line) < width else "…" + line[len(line) - width + 2:]


def _end_progress(quiet: bool) -> None:
    if _redraws_lines() and not quiet:
        click.echo("\r\033[K", err=True, nl=False)


def plural(count: int, noun: str) -> str:
    """``1 issue``, ``2 issues``, ``9,577 papers``."""
    return counts.count(count, noun)


# The build lists this many hidden papers and counts the rest: a curation file hiding 10,000 (a purge of spam) printed
# 10,000 lines on every build, burying its problems and summary.
HIDDEN_LISTED = 20


def _summary(report: BuildReport) -> None:
    stats = report.stats
    notes = f", {plural(len(report.notes), 'note')}" if report.notes else ""
    papers = f"{plural(report.papers, 'paper')} in {plural(report.issues, 'issue')}"
    echo(f"{papers}; {plural(len(report.problems), 'problem')}{notes}.")
    hidden = sorted(report.hidden, key=lambda h: h.paper.id)
    listed = HIDDEN_LISTED if len(hidden) > HIDDEN_LISTED + 1 else len(hidden)
    for each in hidden[:listed]:
        echo(f"Hidden by curation: {each.paper.id} ({each.reason})")
    if len(hidden) > listed:
        echo(f"Hidden by curation: {plural(len(hidden) - listed, 'more paper')} (the curation file lists them all, "
             "with their reasons)")
    echo("Papers by first topic:")
    width = max((counts.columns(name) for name, _ in report.topic_counts), default=0)
    # Most papers first, "Other" (the last entry) last: among topics of no paper it read as one of them.
    ranked = sorted(report.topic_counts[:-1], key=lambda item: (-item[1], item[0])) + report.topic_counts[-1:]
    for name, count in ranked:
        echo(f"  {counts.ljust(name, width)}  {count:5d}")
    if report.cached:
        echo(f"Inputs, templates and settings unchanged since the last build: nothing changed, "
                   f"{plural(stats.unchanged if stats else 0, 'file')} kept as they are.")
    elif stats:
        echo(f"Wrote {plural(stats.written, 'file')}, {stats.unchanged:,} unchanged, {stats.removed:,} removed.")


@main.command("epoch")
@config_options
def epoch_command(config_file: Path | None, papers: tuple[Path, ...], topics: Path | None) -> None:
    """Print the newest issue's date as seconds since 1970 (for SOURCE_DATE_EPOCH)."""
    from generator.build import epoch_of, newest_issue_date

    def work() -> int:
        config = load(config_file)
        return epoch_of(newest_issue_date(config, BuildOptions(papers=papers, topics=topics)))

    echo(run_guarded(work))


@main.command("check-site")
@click.argument("site", required=False, default=None, type=click.Path(path_type=Path))
@click.option(
    "--max-site-bytes", type=click.IntRange(min=1), default=None, help="The site limit [GitHub Pages: 1,000,000,000]."
)
@click.option(
    "--max-file-bytes", type=click.IntRange(min=1), default=None, help="The limit for one file [100,000,000]."
)
def check_site_command(site: Path | None, max_site_bytes: int | None, max_file_bytes: int | None) -> None:
    """Check a built SITE folder [mkdocs.yml's site_dir, site] against GitHub Pages' limits: warn from 90% of 1 GB,
    fail over it."""
    from generator import pages_limits

    named = site is not None
    site = site or built_site()
    if not site.is_dir():
        what = ("a file, not the site's folder" if site.exists() else
                "no such folder (build it first: digest build, then mkdocs build; in a fork of Paper Digest,"
                " make site)")
        if not named and not site.exists() and not any(Path(name).is_file() for name in ("mkdocs.yml", "digest.yml")):
            # a folder inside the site (data/): "build it first" sent the maintainer to build a built site again
            what = ("no such folder, and no mkdocs.yml here: this is not a site's folder; run digest check-site in"
                    " one, or give the built site's folder (digest check-site PATH)")
        echo(f"Error: {site}: {what}", err=True)
        sys.exit(1)
    file_limit = max_file_bytes or pages_limits.FILE_LIMIT
    size = pages_limits.measure(site, file_limit)
    verdict = pages_limits.check(size, max_site_bytes or pages_limits.SITE_LIMIT, file_limit)
    echo(verdict.summary)
    in_actions = in_github_actions()
    for kind, messages in (("warning", verdict.warnings), ("error", verdict.errors)):
        for message in messages:
            echo(f"{kind.capitalize()}: {message}", err=True)
            if in_actions:  # an annotation on the run's summary page
                github_annotation(kind, "GitHub Pages limit", message)
    if not verdict.ok:
        sys.exit(1)


def built_site() -> Path:
    """The folder MkDocs builds the site into here: ``site_dir`` of the mkdocs.yml digest.yml names, else ``site``."""
    from generator.config import read_mkdocs_config

    try:
        config, _ = load_config(None)
        site_dir = read_mkdocs_config(config).get("site_dir")
    except DigestError:  # not a site's folder: the missing folder is the error to show
        return Path("site")
    if not isinstance(site_dir, str) or not site_dir.strip():
        return Path("site")
    return config.path(config.mkdocs_config).parent / site_dir


@main.group("fetch")
def fetch_group() -> None:
    """Download new papers and save them as a dated issue file (in the source's own format)."""


def fetch_options(
    url_variable: str, date_default: str = "today, UTC"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Options every source shares: where to save, which URL (``url_variable`` names another), and how patiently
    to ask."""
    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        return _fetch_options(function, url_variable, date_default)

    return decorate


def _fetch_options(function: Callable[..., Any], url_variable: str, date_default: str) -> Callable[..., Any]:
    decorators = [
        click.option("--config", "config_file", type=UsablePath(path_type=Path), help="Generator config [digest.yml]."),
        click.option("--date", "date_text", metavar="YYYY-MM-DD", help=f"The issue date [{date_default}]."),
        click.option(
            "--out", type=UsablePath(path_type=Path), help="Folder to save into [the first configured papers folder]."
        ),
        click.option("--base-url", metavar="URL",
                     help="Another server for the API: its address (the API's path is added) or the whole"
                          f" endpoint URL [${url_variable} if set, else the source's own]."),
        click.option("--timeout", type=SECONDS, default=30.0, show_default=True,
                     help="Seconds to wait for an answer."),
        click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
                     help="Retries after a timeout, HTTP 429 or 5xx, with exponential backoff."),
        click.option("--max-bytes", type=click.IntRange(min=1), metavar="N",
                     help="Read at most N bytes in all (every answer of the fetch, every page), counted after"
                          " decompression [fetch_max_bytes of digest.yml: 50000000]."),
        click.option("--deadline", "deadline_seconds", type=SECONDS, default=fetch.DEFAULT_DEADLINE,
                     show_default=True, help="Seconds the whole fetch may take, retries and pauses included."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _fetch_date(text: str | None) -> dt.date:
    if text is None:
        return dt.datetime.now(dt.UTC).date()
    return _date_option(text)


def _date_option(text: str) -> dt.date:
    """The date of a ``--date`` option; a usage error saying what is wrong with it."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        # 2026-11-31 has the right shape: say which day is missing, not that the shape is wrong
        wrong = impossible_date(text)
        message = f"{text!r} is no date ({wrong.split(': ', 1)[1]})" if wrong else f"{text!r} is not YYYY-MM-DD"
        raise click.BadParameter(message, param_hint="--date") from None


def _fetch_setup(config_file: Path | None, out: Path | None, max_bytes: int | None) -> tuple[Path, int]:
    """The folder to save into and the cap on the fetch: the options, else the settings of digest.yml.

    The folder is checked here, before anything is downloaded."""
    if out is not None and max_bytes is not None:
        folder, cap = out, max_bytes
    else:
        config = load(config_file)
        folder = out if out is not None else fetch.papers_folder([config.path(entry) for entry in config.papers])
        cap = max_bytes if max_bytes is not None else config.fetch_max_bytes
    problem = fetch.folder_problem(folder)
    if problem is not None:
        if out is not None:
            raise DigestError(f"--out {folder} {problem}; give a folder to save into")
        raise DigestError(f"{folder} {problem}; give a folder to save into with --out")
    leftovers = fetch.remove_leftovers(folder, time.time())
    if leftovers:
        echo(f"Note: {leftovers}.", err=True)
    return folder, cap


def _report_fetch(report: FetchReport, source: str) -> None:
    print_problems(report.problems)
    if report.path is None:
        echo(f"{source}: {report.note}; no issue file written.")
        return
    raised = f" ({report.raised:,} with higher counts now)" if report.raised else ""
    if report.added == 0:
        every = "" if report.kept == 1 else "all "
        echo(f"{source}: nothing new; {report.path} already has {every}{plural(report.kept, 'paper')}{raised}.")
    else:
        kept = f", {report.kept:,} already saved{raised}" if report.kept else ""
        if report.elsewhere:
            kept += f", {report.elsewhere:,} left out (in other issues already)"
        echo(f"{source}: {plural(report.added, 'new paper')} saved to {report.path}{kept}.")
    if report.note:
        echo(f"Warning: {report.note}", err=True)
        annotate_run("warning", [report.note])


@fetch_group.command("hf")
@fetch_options(fetch.HF_URL_VARIABLE)
@click.option("--catch-up", "catch_up", type=click.IntRange(min=0), default=0, show_default=True, metavar="DAYS",
              help="First fetch the days missed since the folder's newest <date>-hf.json (a daily job that failed or"
                   " was skipped), at most DAYS of them, oldest first.")
def fetch_hf_command(
    config_file: Path | None, date_text: str | None, out: Path | None, base_url: str | None,
    timeout: float, retries: int, max_bytes: int | None, deadline_seconds: float, catch_up: int,
) -> None:
    """Hugging Face daily papers of one day, saved as <date>-hf.json."""
    date = _fetch_date(date_text)
    deadline = fetch.Deadline(deadline_seconds)
    folder, cap = run_guarded(lambda: _fetch_setup(config_file, out, max_bytes))
    url = run_guarded(lambda: fetch.base_url(base_url, fetch.HF_URL_VARIABLE, fetch.HF_URL))
    client = HttpClient(timeout=timeout, retries=retries, max_bytes=cap, deadline=deadline)
    missed = run_guarded(lambda: _missed_days(folder, date, catch_up))
    if missed.left:
        first, last = missed.left[0].isoformat(), missed.left[-1].isoformat()
        days = first if first == last else f"{first} to {last}"
        note = (f"{plural(len(missed.left), 'earlier day')} missed since the newest issue of {folder} ({days}) not"
                f" fetched: --catch-up {catch_up} fetches {plural(catch_up, 'day')}; fetch them with --date")
        echo(f"Warning: {note}", err=True)
        annotate_run("warning", [note])

    def work(day: dt.date) -> FetchReport:
        read_as_null: list[Problem] = []
        with deadline.enforced():  # the save too: what an answer holds decides how long it takes
            deadline.enter("asking for the papers")
            items = fetch.fetch_daily_papers(client, url, day, problems=read_as_null)
            deadline.enter("checking and saving the issue")
            report = fetch.save_daily_papers(folder, day, items, source=f"the answer of {url}", deadline=deadline)
        report.problems += read_as_null
        if day >= _fetch_date(None):  # the day's list grows until the day is over: say to fetch it again then
            again = f"fetch it again with --date {day.isoformat()} once it is"
            report.note = (f"no papers on {day.isoformat()} yet (the day is not over, UTC): {again}"
                           if report.path is None else f"the day is not over (UTC) and its list may grow: {again}")
        return report

    failed = 0
    for day in [*missed.days, date]:
        source = f"Hugging Face daily papers {day.isoformat()}"
        if day == date and not failed:  # one day (or the last after every missed one was saved): as always
            _report_fetch(run_guarded(functools.partial(work, day)), source)
            continue
        try:
            _report_fetch(work(day), source)
        except DigestError as error:  # a missed day that fails leaves the others to be fetched
            failed += 1
            print_problems(error.problems)
            lines = [f"{source}: {line}" for line in str(error).splitlines()]
            lines.append(f"{source}: fetch it again with --date {day.isoformat()}")
            for line in lines:
                echo(f"Error: {line}", err=True)
            annotate_run("error", lines)
    if failed:
        sys.exit(1)


def _missed_days(folder: Path, date: dt.date, limit: int) -> fetch.MissedDays:
    try:
        return fetch.missed_days(folder, date, limit)
    except OSError as error:
        raise DigestError(f"{folder}: cannot list its issues ({error.strerror or error})") from None


@fetch_group.command("arxiv")
@fetch_options(fetch.ARXIV_URL_VARIABLE)
@click.option("--query", required=True, help='An arXiv API search_query, e.g. "cat:cs.CL AND abs:reasoning".')
@click.option("--max", "limit", type=click.IntRange(min=1), default=100, show_default=True,
              help="At most this many of the newest matching papers.")
def fetch_arxiv_command(
    config_file: Path | None, date_text: str | None, out: Path | None, base_url: str | None,
    timeout: float, retries: int, max_bytes: int | None, deadline_seconds: float, query: str, limit: int,
) -> None:
    """The newest papers matching an arXiv query, saved as <date>-arxiv.xml (one request per 3 s)."""
    date = _fetch_date(date_text)

    def work() -> FetchReport:
        deadline = fetch.Deadline(deadline_seconds)
        folder, cap = _fetch_setup(config_file, out, max_bytes)
        client = HttpClient(timeout=timeout, retries=retries, min_interval=fetch.ARXIV_INTERVAL, max_bytes=cap,
                            deadline=deadline)
        url = fetch.base_url(base_url, fetch.ARXIV_URL_VARIABLE, fetch.ARXIV_URL)
        with deadline.enforced():
            feed, entries, note = fetch.fetch_arxiv(client, url, query, limit)
            deadline.enter("checking and saving the issue")
            total = total_results(feed)
            report = fetch.save_arxiv(folder, date, feed, entries, source=f"the answer of {url}", deadline=deadline,
                                      more=total is not None and total > len(entries))
        if report.path is not None:
            report.note = "; ".join(part for part in (note, report.note) if part)
        return report

    _report_fetch(run_guarded(work), f"arXiv {query!r}")


@fetch_group.command("arxiv-new")
@fetch_options(fetch.ARXIV_NEW_URL_VARIABLE, "the day the feed announced its papers; today, UTC, if it names none")
@click.option("--category", "categories", multiple=True, required=True, metavar="CATEGORY",
              help="An arXiv category, e.g. cs.LG (repeat for more: --category cs.LG --category stat.ML).")
def fetch_arxiv_new_command(
    config_file: Path | None, date_text: str | None, out: Path | None, base_url: str | None,
    timeout: float, retries: int, max_bytes: int | None, deadline_seconds: float, categories: tuple[str, ...],
) -> None:
    """The papers arXiv announced last in some categories (its announcement feed, rss.arxiv.org): new and
    cross-listed ones, no replacements; saved as <date>-arxiv-new.rss, the date the feed's own day unless
    --date gives one (one request)."""
    given = _fetch_date(date_text) if date_text is not None else None
    for category in categories:
        if not fetch.ARXIV_CATEGORY.match(category):
            raise click.BadParameter(f"{category!r} is not an arXiv category (such as cs.LG, math.AP, hep-th)",
                                     param_hint="--category")
    chosen = list(dict.fromkeys(categories))

    def work() -> FetchReport:
        deadline = fetch.Deadline(deadline_seconds)
        folder, cap = _fetch_setup(config_file, out, max_bytes)
        client = HttpClient(timeout=timeout, retries=retries, min_interval=fetch.ARXIV_INTERVAL, max_bytes=cap,
                            deadline=deadline)
        url = fetch.base_url(base_url, fetch.ARXIV_NEW_URL_VARIABLE, fetch.ARXIV_NEW_URL)
        with deadline.enforced():
            feed, items = fetch.fetch_announcements(client, url, chosen)
            deadline.enter("checking and saving the issue")
            date = given or fetch.announced_day(feed, _fetch_date(None), source=f"the answer of {url}")
            return fetch.save_announcements(folder, date, feed, items, source=f"the answer of {url}",
                                            deadline=deadline)

    _report_fetch(run_guarded(work), f"arXiv new in {'+'.join(chosen)}")
@main.command("email")
@config_options
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="The issue of this date [the newest issue].")
@click.option("--week", metavar="YYYY-Www", help="Every issue of this ISO week (2026-W48) in one message.")
@click.option("--out", type=UsablePath(path_type=Path),
              help="Save the message as this .eml file (-: write it to standard output).")
@click.option("--send", is_flag=True,
              help="Send it over SMTP: settings from SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, MAIL_FROM,"
                   " MAIL_TO, SMTP_SECURITY, SMTP_CA_FILE (README, \"Email edition\").")
@click.option("--record", type=click.Path(path_type=Path),
              help="With --send (or --reserve): the file of issues already mailed. Sends the issues dated after the"
                   " newest recorded (the newest issue when none is), records each once sent.")
@click.option("--reserve", is_flag=True,
              help="With --record, instead of --send: record the issues due as mailed, send nothing, and print their"
                   " dates, one a line (the deploy workflow pushes the record, then sends each with --date, so an"
                   " issue is never mailed twice, even when the record cannot be pushed).")
@click.option("--timeout", type=SECONDS, default=30.0, show_default=True,
              help="Seconds to wait for the SMTP server at each step.")
def email_command(
    config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, date_text: str | None,
    week: str | None, out: Path | None, send: bool, record: Path | None, reserve: bool, timeout: float,
) -> None:
    """Make the email edition of an issue (or a week): a message with a text and an HTML part; save or send it.

    Without --out or --send the message is written to standard output.
    """
    import os

    from generator.mail import commands
    from generator.mail import record as mailed
    from generator.mail import settings as mail_settings

    if date_text is not None and week is not None:
        raise click.UsageError("give --date or --week, not both")
    if reserve and (record is None or send or out is not None or date_text is not None or week is not None):
        raise click.UsageError("--reserve goes with --record alone (not with --send, --out, --date or --week)")
    if record is not None and not reserve and (not send or out is not None):
        raise click.UsageError("--record goes with --send (and without --out), or with --reserve")
    date = _fetch_date(date_text) if date_text is not None else None
    if week is not None:  # a malformed value is a usage error, as a malformed --date is
        from generator.errors import MailError
        from generator.mail.edition import parse_week

        try:
            parse_week(week)
        except MailError as error:
            raise click.BadParameter(str(error).removeprefix("--week "), param_hint="--week") from None

    def work() -> None:
        settings = mail_settings.smtp_settings(os.environ, timeout) if send else None
        if record is not None:
            mailed.check_recordable(record)
        archive, report = commands.load(load(config_file), BuildOptions(papers=papers, topics=topics))
        print_problems(report.problems)
        if settings is not None or reserve:
            commands.check_site_address(archive)
        if record is not None and date is None and week is None:
            keys = mailed.read_record(record)
            wanted: list[tuple[dt.date | None, str | None]] = [(day, None) for day in mailed.due(archive.issues, keys)]
            if not wanted:
                newest = mailed.newest_recorded(keys)
                if newest is not None and archive.issues and newest > archive.issues[0].date:
                    # A date typed wrong (2027 for 2026) would hold back every issue until that day, unsaid.
                    held = (f"{record} lists {newest.isoformat()}, after the newest issue"
                            f" ({archive.issues[0].date.isoformat()}); only issues dated after it will be mailed."
                            " A date typed wrong? Correct or delete that line.")
                    echo(f"Nothing to send: {held}", err=True)
                    annotate_run("warning", [held])
                    return
                echo(f"Nothing to send: the newest issue was mailed already ({record}).", err=reserve)
                return
        else:
            wanted = [(date, week)]
        if reserve and record is not None:
            # Every message made first: an issue whose message cannot be made is not recorded as mailed.
            keys = [commands.make_message(archive, day, None, None).edition.key for day, _ in wanted]
            for key in keys:
                mailed.add_to_record(record, key, sent=False)
                echo(key)
            return
        for day, each_week in wanted:
            made = commands.make_message(archive, day, each_week, settings.from_header if settings else None)
            if record is not None and made.edition.key in mailed.read_record(record):
                echo(f"Nothing to send: {made.edition.key} was mailed already ({record}).")
                continue
            _deliver(made, out, settings, record)

    run_guarded(work)


def _deliver(made: Any, out: Path | None, settings: Any, record: Path | None) -> None:
    """Save, print or send one message (``generator.mail.commands.Made``); record it once sent."""
    from generator.mail import message as mail_message
    from generator.mail import record as mailed
    from generator.mail import smtp
    from generator.writer import write_atomically

    data = mail_message.message_bytes(made.message)
    edition = made.edition
    shown = f"{edition.shown_count} of {plural(edition.paper_count, 'paper')}"
    # "--out -" is standard output, as other commands take it (it made a file named "-", which git add . commits).
    to_stdout = str(out) == "-" or (out is None and settings is None)
    if out is not None and not to_stdout:
        try:  # by a rename: a message file another program reads is never seen half written, an old one never lost
            write_atomically(out, data, prefix=".", suffix=".eml-part")
        except OSError as error:
            raise DigestError(f"{out}: cannot write: {error.strerror}") from None
        html = made.message.get_body(("html",))
        size = len(html.as_bytes(policy=mail_message.POLICY)) if html is not None else 0
        echo(f"Wrote {out}: {edition.key}, {shown}; {counts.number(len(data))} bytes"
                   f" (HTML part {counts.number(size)}).")
    if to_stdout:
        with output_errors():
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
    if settings is not None:
        refused = smtp.send(made.message, settings)
        sent = settings.recipient_count - len(refused)
        echo(f"Sent {edition.key} ({shown}) to {plural(sent, 'recipient')} through {settings.server}"
                   f" ({settings.security}).")
        warnings = [f"{settings.server} refused {who}: {answer}{smtp.refusal_note(answer)}"
                    for who, answer in refused.items()]
        for warning in warnings:
            echo(f"Warning: {warning}", err=True)
        annotate_run("warning", warnings)
        if record is not None:
            mailed.add_to_record(record, edition.key)


# Commands a maintainer shaping a taxonomy types that are edits of the taxonomy, or another command's name.
TAXONOMY_EDITS = {
    "rename": "a topic is renamed in the taxonomy: change its name (and slug), and keep each slug published before in"
              " its `formerly:`, so its feeds and page go on",
    "merge": "topics are merged in the taxonomy: keep one, move the other's keywords into it, delete the other, and"
             " list the slug of each topic merged into it in its `formerly:`, so their feeds and pages go on",
    "split": "a topic is split in the taxonomy: add the new topic with its keywords, take them out of the old one, and"
             " keep the old slug on the topic that goes on, so its feeds and page stay",
    "remove": "a topic is removed by deleting it from the taxonomy; list its slug in the `formerly:` of the topic most"
              " of its papers go to, so its feeds and page go on there",
}
TOPICS_ALIASES = {"why": "explain", "delete": "remove"}


class TopicsGroup(click.Group):
    """`digest topics`, which also answers the names of edits made in the taxonomy file (rename, merge, ...)."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands:
            meant = TOPICS_ALIASES.get(args[0], args[0])
            if meant in self.commands:
                ctx.fail(f"No such command {args[0]!r}; `digest topics {meant}` says why a paper has its topics.")
            if meant in TAXONOMY_EDITS:
                ctx.fail(f"No such command {args[0]!r}: {TAXONOMY_EDITS[meant]} (README, Topics: \"Renaming a topic's"
                         " slug\"). `digest topics pin` before the edit keeps the topics of published papers; the next"
                         " `digest build` says which feeds it drops and which papers move.")
        return super().resolve_command(ctx, args)


@main.group("topics", cls=TopicsGroup)
def topics_group() -> None:
    """Inspect and maintain topic assignment: explain, report, evaluate, suggest, reassign, pin."""


@topics_group.command("explain")
@config_options
@click.argument("paper_id")
def topics_explain(config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, paper_id: str) -> None:
    """Print why PAPER_ID has its topics: score and evidence per topic."""
    from generator.topics import commands as topic_tools

    def work() -> tuple[str, list[Problem]]:
        config, options = load(config_file), BuildOptions(papers=papers, topics=topics)
        archive, report = topic_tools.archive(config, options)
        pins = topic_tools.pinned(config, options, archive.topics)
        return topic_tools.explain(archive, paper_id, report.hidden, pins), report.problems

    text, problems = run_guarded(work)
    print_problems(problems)
    echo(text, nl=False)


@topics_group.command("report")
@config_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array of papers with their topics, sorted by id.")
def topics_report(config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, as_json: bool) -> None:
    """Counts per topic, "Other" papers, low-confidence papers and overlapping topics."""
    from generator.topics import commands as topic_tools

    def work() -> tuple[str, list[Problem]]:
        archive, report = topic_tools.archive(load(config_file), BuildOptions(papers=papers, topics=topics))
        values = list(archive.papers.values())
        text = topic_tools.report_json(values) if as_json else topic_tools.report_text(archive, report.pinned_papers)
        return text, report.problems + report.taxonomy_notes

    text, problems = run_guarded(work)
    print_problems(problems)
    echo(text, nl=False)


@topics_group.command("evaluate")
@config_options
@click.option(
    "--labels", "labels_file", required=True, type=click.Path(path_type=Path),
    help="YAML or CSV of paper id (or title) → expected topic slug.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def topics_evaluate(
    config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, labels_file: Path, as_json: bool
) -> None:
    """Compare first topics with expected ones: agreement, precision and recall per topic, confused pairs."""
    from generator.topics import commands as topic_tools
    from generator.topics import evaluate

    def work() -> tuple[str, list[Problem]]:
        labels, problems = evaluate.read_labels(labels_file)
        # The taxonomy's own topics: pins of reassign or pin (perhaps of another taxonomy) would be measured instead.
        options = BuildOptions(papers=papers, topics=topics, pins=False)
        archive, report = topic_tools.archive(load(config_file), options)
        slugs = [topic.slug for topic in archive.topics]
        result, unmatched = evaluate.evaluate(list(archive.papers.values()), labels, slugs, str(labels_file),
                                              {former: t.slug for t in archive.topics for former in t.formerly},
                                              [(hidden.paper, hidden.reason) for hidden in report.hidden])
        if not result.papers:  # labels of another archive (or none): not a taxonomy that agrees 0% of the time
            print_problems(report.problems + problems + unmatched)
            raise DigestError(f"{labels_file}: no label names a paper of this archive with a topic of this taxonomy:"
                              " nothing to evaluate")
        text = evaluate.evaluation_json(result) if as_json else evaluate.evaluation_text(result)
        return text, report.problems + report.taxonomy_notes + problems + unmatched

    text, problems = run_guarded(work)
    print_problems(problems)
    echo(text, nl=False)


@topics_group.command("suggest")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Generator config [digest.yml].")
@click.option(
    "--papers", multiple=True, type=click.Path(path_type=Path), help="A paper list file or folder (repeatable)."
)
@click.option("--count", type=click.IntRange(2, 100),  # the default's most: topics/suggest.py DEFAULT_MOST
              help="How many topics to propose [about √(papers/2), at most 20].")
def topics_suggest(config_file: Path | None, papers: tuple[Path, ...], count: int | None) -> None:
    """Propose a taxonomy (YAML on stdout) for papers that have none: clusters named by distinctive terms."""
    from generator.build import check_papers_exist, papers_origin
    from generator.merge import merge_papers
    from generator.sources import read_all
    from generator.topics.suggest import suggest

    def work() -> tuple[str, list[Problem]]:
        config = load(config_file)
        paths = list(papers) or [config.path(p) for p in config.papers]
        check_papers_exist(paths, papers_origin(config, BuildOptions(papers=papers)))  # a typo is not "too few papers"
        results, problems = read_all(paths)
        merged = merge_papers([paper for result in results for paper in result.papers])
        return suggest(merged, count), problems

    text, problems = run_guarded(work)
    print_problems(problems)
    echo(text, nl=False)


@topics_group.command("pin")
@config_options
@click.option(
    "--from", "report", type=click.Path(path_type=Path),
    help="Pin the topics a `digest topics report --json` listed (say, of the version that published them).",
)
def topics_pin(config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, report: Path | None) -> None:
    """Pin every paper's topics as they are, in assignments.yml, so that they hold across taxonomy changes."""
    from generator.topics import commands as topic_tools

    def work() -> tuple[Path, Any, list[Problem], int, int]:
        return topic_tools.pin(load(config_file), BuildOptions(papers=papers, topics=topics), report)

    path, counts, problems, by_hand, unpinned = run_guarded(work)
    print_problems(problems)
    echo(f"Pinned the topics of {plural(sum(counts.values()), 'paper')} in {path}; they hold across taxonomy changes.")
    if by_hand:
        echo(f"The topics of {plural(by_hand, 'paper')} are pinned in the curation file, and left to it.")
    if unpinned:  # the report left them out (see the problems above): the taxonomy as it is now scores them
        echo(f"{plural(unpinned, 'paper')} {'is' if unpinned == 1 else 'are'} not pinned (the report lists them with"
             " no topic of this taxonomy, or not at all): the taxonomy scores them, so a published one may change"
             " topics.")


@topics_group.command("reassign")
@config_options
@click.option("--dry-run", is_flag=True,
              help="List the papers whose first topic would change, and how; write nothing.")
def topics_reassign(config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, dry_run: bool) -> None:
    """Re-score every paper with the whole archive and pin the result in assignments.yml beside the taxonomy."""
    from generator import latex_text
    from generator.topics import commands as topic_tools

    def work() -> Any:
        return topic_tools.reassign(load(config_file), BuildOptions(papers=papers, topics=topics), dry_run)

    done = run_guarded(work)
    count = plural(sum(done.counts.values()), "paper")
    if dry_run:
        echo(f"Would pin the topics of {count} in {done.path} (dry run: nothing written).")
    else:
        echo(f"Pinned the topics of {count} in {done.path}.")
    for slug, number in sorted(done.counts.items(), key=lambda item: (-item[1], item[0])):
        echo(f"  {slug}  {number}")
    if done.by_hand:
        echo(f"The topics of {plural(done.by_hand, 'paper')} are pinned in the curation file, and left to it.")
    verb = "would change" if dry_run else "changed"
    echo(f"First topic {verb}: {plural(len(done.moves), 'paper')}{':' if done.moves else '.'}")
    for paper, was in done.moves:
        echo(f"  {paper.id}  {was} → {paper.primary_topic}  {latex_text.plain(paper.title)}")


@main.command("picks")
@config_options
@click.option("--json", "as_json", is_flag=True,
              help='Print one JSON array of {"id", "title", "score", "like": [titles]}, best first.')
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="The issue [the newest].")
@click.option("--repick", is_flag=True,
              help="Compute every issue's picks again with the reading list as it is now, and record them.")
@click.option("--record", "record_only", is_flag=True,
              help="Only record the picks of issues not recorded yet, as a build does (for the deploy workflow);"
                   " without a picks: setting, do nothing.")
def picks_command(config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, as_json: bool,
                  date_text: str | None, repick: bool, record_only: bool) -> None:
    """Print an issue's picks from the reading list, best first, with scores and reasons."""
    from generator.picks import commands as pick_tools

    date = _issue_date(date_text)
    if record_only and (repick or as_json or date_text is not None):
        raise click.UsageError("--record goes alone: it records the issues not recorded yet (not with --repick,"
                               " --json or --date)")
    if record_only:
        message, found = run_guarded(lambda: pick_tools.record(load(config_file),
                                                               BuildOptions(papers=papers, topics=topics)))
        print_problems(found)
        echo(message, nl=False)
        return

    def work() -> tuple[str, list[Problem], list[Problem]]:
        config = load(config_file)
        return pick_tools.show(config, BuildOptions(papers=papers, topics=topics), date, as_json, repick)

    text, problems, notes = run_guarded(work)
    print_problems(problems)
    print_problems(notes)
    echo(text, nl=False)


def _issue_date(text: str | None) -> dt.date | None:
    return None if text is None else _date_option(text)


@main.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", help="The site's name [from the folder's name].")
@click.option("--url", metavar="URL",
              help="The site's address, such as https://you.github.io/repo/ (feed ids are made from it)"
                   " [https://example.github.io/<folder>/].")
@click.option("--description", help="One sentence about the site [<name>: research papers by topic, with feeds.].")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty; files already there are kept"
                   " (a .gitignore gets the lines it lacks).")
def new_command(folder: Path, name: str | None, url: str | None, description: str | None, force: bool) -> None:
    """Create a site in FOLDER: settings, example papers, topics, deploy workflow (Paper Digest installed, pinned)."""
    from generator import scaffold

    year = dt.datetime.now(dt.UTC).year  # feed ids name the year the site was made (a tag URI)
    try:
        settings = scaffold.site_settings(folder, year, name=name, url=url, description=description)
    except DigestError as error:  # of --url: a value that cannot be used is bad usage, as a malformed --date is
        raise click.BadParameter(str(error).removeprefix("--url "), param_hint="--url") from None

    def work() -> scaffold.NewSiteReport:
        return scaffold.create_site(folder, settings, force=force)

    report = run_guarded(work)
    for path in report.created:
        echo(f"Created {folder / path}")
    for path in report.extended:
        echo(f"Added to {folder / path} the lines of the files the builds write (the rest kept as it was)",
                   err=True)
    for path in report.kept:
        echo(f"Kept {folder / path} (it exists; not overwritten)", err=True)
    for path in report.skipped:
        echo(f"Skipped {folder / path}: {folder / 'data' / 'issues'} holds paper lists already", err=True)
    if (repository := scaffold.enclosing_repository(folder)) is not None:
        echo(f"Note: {folder} is inside the git repository {repository}: GitHub runs only the workflows of a"
                   " repository's own .github/workflows/, so the site's deploy workflow would never run from there:"
                   " publish the site from a repository of its own, as its README.md says.", err=True)
    if url is None:
        echo("Note: no --url given: set site_url in mkdocs.yml and feeds.id_prefix in digest.yml to your"
                   " site's address before anyone subscribes to its feeds.", err=True)
    here = folder.resolve() == Path.cwd().resolve()  # digest new . (the site is this folder): no cd to do
    start = "Next: " if here else f"Next: cd {shlex.quote(str(folder))}, then "
    echo(f"{start}`{command_here('digest')} build` and `{command_here('mkdocs')} serve`; README.md there says"
               " how to publish it.")


def command_here(name: str) -> str:
    """The command ``name`` of this environment as the user can type it: its name when the PATH finds it, else its
    path (an environment not activated, as README's install has it; pipx, which puts only ``digest`` on the PATH;
    another MkDocs first on the PATH, which has no paper-digest plugin)."""
    import shutil

    own = Path(sys.executable).parent / name
    found = shutil.which(name)
    if not own.is_file() or (found is not None and Path(found).resolve() == own.resolve()):
        return name
    return shlex.quote(str(own))


@main.command("upgrade")
@click.argument("folder", type=click.Path(path_type=Path), default=".")
@click.option("--dry-run", is_flag=True, help="Show what would change (a diff per file); write nothing.")
def upgrade_command(folder: Path, dry_run: bool) -> None:
    """Bring a site's Paper Digest files to this version: requirements.txt, the deploy workflow, .gitignore."""
    from generator import scaffold

    report = run_guarded(lambda: scaffold.upgrade_site(folder, dry_run=dry_run))
    site = "this site" if folder.resolve() == Path.cwd().resolve() else str(folder)
    if report.pinned == report.version:
        subject = "This site" if site == "this site" else site
        echo(f"{subject} pins {scaffold.DISTRIBUTION} {report.version} already, the version installed; its Paper"
             " Digest files:")
    else:
        was = f" (it pinned {report.pinned})" if report.pinned else ""
        echo(f"{'Would bring' if dry_run else 'Brought'} {site} to {scaffold.DISTRIBUTION} {report.version}{was}.")
    for change in report.changes:
        action = f"would be {change.action}" if dry_run and change.action != "unchanged" else change.action
        echo(f"  {change.path}: {action}")
        if dry_run:
            for line in change.diff:
                echo(f"    {line}")
    if report.templates:
        echo("Your own templates replace these packaged ones and do not follow their changes (this version's are"
             f" in {packaged.template_dir()}):")
        for template in report.templates:
            echo(f"  {template}")
    print_problems(report.problems)
    changed = any(change.action != "unchanged" for change in report.changes)
    if changed and not dry_run:
        echo("Run `digest build` (it names published papers this version puts in other topics), review with `git diff`,"
             " then commit and push: the next deploy installs this version.")
    if report.pinned != report.version:  # what changed, before the upgrade (--dry-run) as after it
        changelog = f"{scaffold.REPOSITORY}/blob/v{report.version}/CHANGELOG.md"
        if report.pinned:
            echo(f"What changed since {report.pinned}: the sections above [{report.pinned}] in {changelog}")
        else:
            echo(f"What changed: {changelog}")


@main.command("override")
@click.argument("name", required=False)
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Generator config [digest.yml].")
@click.option("--list", "list_names", is_flag=True, help="List the packaged templates (and where they are).")
def override_command(name: str | None, config_file: Path | None, list_names: bool) -> None:
    """Copy the packaged template NAME (cards.html.j2, overrides/main.html) into your templates/, to edit there."""
    from generator import packaged, scaffold

    if list_names or name is None:
        echo(f"Packaged templates, in {packaged.template_dir()}:")
        for template in scaffold.packaged_templates():
            echo(f"  {template}")
        return
    target = run_guarded(lambda: scaffold.copy_template(load(config_file), name))
    echo(f"Copied {name} to {target}: edit it there; it replaces the packaged one from the next build on.")
