"""The ``digest`` command: a thin layer over the pipeline; the one place errors become messages."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.build import BuildOptions, BuildReport, build
from generator.config import Config, load_config
from generator.errors import DigestError, Problem


def print_problems(problems: list[Problem]) -> None:
    for problem in sorted(set(problems), key=lambda p: (p.path, p.line, p.item, p.message)):
        click.echo(str(problem), err=True)


def run_guarded(work: Callable[[], Any]) -> Any:
    """Turn our own errors into ``Error: …`` and exit 1; anything else keeps its traceback."""
    try:
        return work()
    except DigestError as error:
        print_problems(error.problems)
        for line in str(error).splitlines():
            click.echo(f"Error: {line}", err=True)
        sys.exit(1)


def config_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that reads the archive shares."""
    decorators = [
        click.option("--config", "config_file", type=click.Path(path_type=Path), help="Generator config [digest.yml]."),
        click.option(
            "--papers",
            multiple=True,
            type=click.Path(path_type=Path),
            help="A paper list file or folder (repeatable); replaces the configured lists.",
        ),
        click.option("--topics", type=click.Path(path_type=Path), help="Taxonomy file [data/topics.yml]."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def load(config_file: Path | None) -> Config:
    config, warnings = load_config(config_file)
    print_problems(warnings)
    return config


@click.group()
@click.version_option(__version__, prog_name="digest")
def main() -> None:
    """Paper Digest: turn paper lists into a static site with topic pages and feeds."""


@main.command("build")
@config_options
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (MkDocs' docs_dir) [content].")
@click.option("--strict", is_flag=True, help="Treat any problem in the inputs as fatal (exit 1, nothing written).")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and errors.")
def build_command(
    config_file: Path | None, papers: tuple[Path, ...], topics: Path | None, out: Path | None, strict: bool, quiet: bool
) -> None:
    """Build content/ (Markdown pages and feeds) from the paper lists."""
    options = BuildOptions(papers=papers, topics=topics, out=out, strict=strict)

    def work() -> BuildReport:
        config = load(config_file)
        return build(config, options, progress=_progress(quiet))

    try:
        report = run_guarded(work)
    finally:
        _end_progress(quiet)
    print_problems(report.problems)
    if not quiet:
        _summary(report)


def _progress(quiet: bool) -> Callable[[str], None]:
    interactive = sys.stderr.isatty() and not quiet

    def show(stage: str) -> None:
        if interactive:
            click.echo(f"\r\033[K{stage}…", err=True, nl=False)

    return show


def _end_progress(quiet: bool) -> None:
    if sys.stderr.isatty() and not quiet:
        click.echo("\r\033[K", err=True, nl=False)


def _summary(report: BuildReport) -> None:
    stats = report.stats
    click.echo(f"{report.papers} papers in {report.issues} issues; {len(report.problems)} problem(s).")
    for hidden in sorted(report.hidden, key=lambda h: h.paper.id):
        click.echo(f"Hidden by curation: {hidden.paper.id} ({hidden.reason})")
    click.echo("Papers by first topic:")
    width = max((len(name) for name, _ in report.topic_counts), default=0)
    for name, count in sorted(report.topic_counts, key=lambda item: (-item[1], item[0])):
        click.echo(f"  {name.ljust(width)}  {count:5d}")
    if stats:
        click.echo(f"Wrote {stats.written} file(s), {stats.unchanged} unchanged, {stats.removed} removed.")


@main.command("epoch")
@config_options
def epoch_command(config_file: Path | None, papers: tuple[Path, ...], topics: Path | None) -> None:
    """Print the newest issue's date as seconds since 1970 (for SOURCE_DATE_EPOCH)."""
    from generator.build import newest_issue_date
    from generator.feeds import issue_datetime

    def work() -> int:
        config = load(config_file)
        newest = newest_issue_date(config, BuildOptions(papers=papers, topics=topics))
        return int(issue_datetime(newest).timestamp()) if newest else 0

    click.echo(run_guarded(work))
