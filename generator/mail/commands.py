"""``digest email``'s work, apart from the CLI: load the archive, make an edition's message, send it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage

from generator import packaged
from generator.build import BuildOptions, BuildReport, Stopwatch, load_archive
from generator.config import Config
from generator.mail.edition import Edition, make_edition
from generator.mail.message import Templates, build_message, fitted
from generator.render import Archive


@dataclass(frozen=True)
class Made:
    edition: Edition
    message: EmailMessage


def load(config: Config, options: BuildOptions) -> tuple[Archive, BuildReport]:
    """The papers with their topics and watch marks, as ``digest build`` has them (no related papers)."""
    report = BuildReport()
    archive = load_archive(config, options, report, Stopwatch(report, lambda _: None), with_related=False)
    return archive, report


def make_message(archive: Archive, date: dt.date | None = None, week: str | None = None,
                 sender: str | None = None) -> Made:
    """The message of one issue (the newest when no date is given) or one ISO week, fitted under Gmail's size."""
    templates = Templates(packaged.template_dirs(archive.config))
    edition = fitted(make_edition(archive, date, week), templates)
    return Made(edition, build_message(edition, templates, sender))
