"""``digest email``'s work, apart from the CLI: load the archive, make an edition's message, send it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

from generator import packaged
from generator.build import BuildOptions, BuildReport, Stopwatch, load_archive
from generator.config import Config
from generator.errors import MailError
from generator.mail.edition import Edition, make_edition
from generator.mail.message import Templates, build_message, fitted
from generator.render import Archive
from generator.scaffold import PLACEHOLDER_HOST


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
    templates = Templates(packaged.template_dirs(archive.config), sender)
    edition = fitted(make_edition(archive, date, week), templates)
    return Made(edition, build_message(edition, templates, sender))


def check_site_address(archive: Archive) -> None:
    """Refuse to send a message whose every link goes to the placeholder address of a site made without ``--url``."""
    if urlsplit(archive.site.url).hostname == PLACEHOLDER_HOST:
        raise MailError(f"the site's address is still the placeholder {archive.site.url} (digest new without --url):"
                        " every link of the message would lead there; set site_url in mkdocs.yml, or SITE_URL"
                        " (the deploy workflow sets it to the Pages address); nothing sent")
