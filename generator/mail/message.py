"""An edition as a MIME message: multipart/alternative, a plain-text part and an HTML part, the same bytes every time.

The HTML part is for mail clients, which render far less than browsers: inline styles only, a table
layout, no script, form or image, every link absolute (templates/email.html.j2, autoescaped). The
text part says the same (templates/email.txt.j2); every value printed into it is flattened to one
line, so a title cannot start a line of its own. Both parts are quoted-printable (7-bit: any relay
takes them), and the HTML part, as sent, stays under ``HTML_LIMIT`` bytes: Gmail clips a message
whose HTML passes 102 KB, hiding the rest behind a link.

Nothing reads the clock: the Date header is the newest issue's date, the Message-ID is made from the
site's address, the issue (or week) and a hash of the content, and the multipart boundary from a hash of the
content.
"""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage, MIMEPart
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2

from generator import counts, escape, latex_text
from generator.feeds import issue_datetime
from generator.mail.edition import AUTHORS_SHOWN, HTTP_URL, Edition, Section, fit
from generator.model import Paper
from generator.render import TemplateLoader, make_html_environment

HTML_LIMIT = 102_000
"""Bytes of the HTML part as sent (quoted-printable, CRLF line ends): under Gmail's 102 KB clipping size."""
POLICY = email.policy.SMTP
"""Messages are written as SMTP carries them (CRLF line ends), in the .eml file too."""
TEXT_WIDTH = 78
"""Longest line of the text part, where a word allows (RFC 5322's 78): text-only mail clients show lines as sent."""
HTML_TEMPLATE = "email.html.j2"
TEXT_TEMPLATE = "email.txt.j2"
REASON_LABELS = {"watch": "Watched", "picks": "Picked"}


@dataclass(frozen=True)
class Line:
    """One paper as the message shows it; every value is plain text (the templates escape it for HTML)."""

    title: str
    url: str
    authors: str
    reasons: str
    signals: tuple[tuple[str, str], ...]
    """(text, absolute URL or "") pairs: "12 upvotes", ("Code (3 stars)", "https://github.com/...")."""
    summary: str
    summary_source: str


def signals(paper: Paper) -> tuple[tuple[str, str], ...]:
    """The source's signals, as templates/_signals.html.j2 shows them: counts, code, project page, organisation."""
    found: list[tuple[str, str]] = []
    if paper.upvotes:
        found.append((counts.count(paper.upvotes, "upvote"), ""))
    if paper.comments:
        found.append((counts.count(paper.comments, "comment"), ""))
    if paper.code and HTTP_URL.match(paper.code):
        stars = f" ({counts.count(paper.stars, 'star')})" if paper.stars else ""
        found.append((f"Code{stars}", escape.href(paper.code)))
    if paper.project_page and HTTP_URL.match(paper.project_page):
        found.append(("Project page", escape.href(paper.project_page)))
    if paper.organization:
        found.append((paper.organization, ""))
    return tuple(found)


def line(edition: Edition, section: Section, paper: Paper) -> Line:
    # A right-to-left title or name is isolated, as on the site: two Arabic names traded places across their comma.
    authors = ", ".join(escape.isolated_text(name) for name in paper.authors[:AUTHORS_SHOWN]) + (
        " et al." if len(paper.authors) > AUTHORS_SHOWN else "")
    return Line(
        title=escape.isolated_text(latex_text.plain(paper.title)), url=f"{edition.site.url}papers/{paper.id}/",
        authors=authors,
        reasons="; ".join(section.reasons.get(paper.id, ())), signals=signals(paper),
        summary=paper.tldr, summary_source=paper.summary_source,
    )


def context(edition: Edition, unsubscribe: str = "") -> dict[str, object]:
    """What both templates are given: the site, the heading, the sections with their lines, and the sender's
    ``unsubscribe`` link (``""`` for a message that names no sender)."""
    sections = [
        {
            "title": section.title, "total": len(section.papers), "more": section.more, "more_url": section.more_url,
            "label": REASON_LABELS.get(section.key, "Featured"),
            "lines": [line(edition, section, paper) for paper in section.listed],
        }
        for section in edition.sections
    ]
    shown = "" if edition.shown_count == edition.paper_count else f", {counts.number(edition.shown_count)} shown here"
    return {
        "site": edition.site, "subject": subject(edition), "heading": edition.heading, "page_url": edition.page_url,
        "summary": counts.count(edition.paper_count, "new paper") + shown, "sections": sections,
        "unsubscribe": unsubscribe,
    }


def subject(edition: Edition) -> str:
    """"<site name> — <date or week>", one line whatever the site's name holds."""
    return flat(f"{edition.site.name} — {edition.heading}")


def flat(value: object) -> str:
    """``value`` as one line: every run of white space (line breaks included) one space."""
    return " ".join(str(value).split())


class Templates:
    """The two templates: the site's own ``templates/`` first, then the packaged ones (generator/packaged.py)."""

    def __init__(self, template_dirs: Sequence[Path], sender: str | None = None) -> None:
        self.unsubscribe = unsubscribe_url(sender)
        self.html = make_html_environment(template_dirs).get_template(HTML_TEMPLATE)
        text = jinja2.Environment(
            loader=TemplateLoader(template_dirs), undefined=jinja2.StrictUndefined,
            autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, finalize=flat,
        )
        text.filters["counted"] = counts.count
        text.filters["signal_text"] = lambda signal: f"{signal[0]}: {signal[1]}" if signal[1] else signal[0]
        self.text = text.get_template(TEXT_TEMPLATE)

    def render(self, edition: Edition) -> tuple[str, str]:
        """The text and the HTML of ``edition``."""
        values = context(edition, self.unsubscribe)
        return wrapped(self.text.render(values)), self.html.render(values)

    def html_size(self, edition: Edition) -> int:
        return len(html_part(self.html.render(context(edition, self.unsubscribe))).as_bytes(policy=POLICY))


def wrapped(text: str, width: int = TEXT_WIDTH) -> str:
    """``text`` with every line longer than ``width`` broken at spaces, its continuation lines indented as it is (a
    paper's "* " title as its other lines); a word is never broken, so a URL stays whole, on a line of its own when
    it does not fit beside the words before it."""
    lines = []
    for text_line in text.split("\n"):
        if len(text_line) <= width:
            lines.append(text_line)
            continue
        words = text_line.lstrip(" ")
        indent = text_line[: len(text_line) - len(words)]
        lines.extend(_isolated(textwrap.wrap(words, width, initial_indent=indent,
                                             subsequent_indent="  " if words.startswith("* ") else indent,
                                             break_long_words=False, break_on_hyphens=False)))
    return "\n".join(lines)


def _isolated(pieces: list[str]) -> list[str]:
    """The pieces of a broken line, an isolate (escape.isolated_text) that one opens closed at its end and opened
    again on the next: a line break ends every isolate, and a right-to-left title's second line would not be one."""
    found, open_count = [], 0
    for piece in pieces:
        words = piece.lstrip(" ")
        piece = piece[: len(piece) - len(words)] + "\u2068" * open_count + words
        open_count = max(open_count + words.count("\u2068") - words.count("\u2069"), 0)
        found.append(piece + "\u2069" * open_count)
    return found


def html_part(html: str) -> MIMEPart:
    part = MIMEPart(policy=POLICY)
    part.set_content(html, subtype="html", cte="quoted-printable")
    return part


def fitted(edition: Edition, templates: Templates, limit: int = HTML_LIMIT) -> Edition:
    """The edition trimmed so that its HTML part, as sent, is under ``limit`` bytes (edition.fit)."""
    return fit(edition, templates.html_size, limit)


def message_id(edition: Edition, content: str) -> str:
    """``<digest.2026-11-27.<hash of the site URL and the content>@<site host>>``: the same for the same message,
    another when the issue's message changed (papers added, an edit): Gmail drops a message whose Message-ID its
    mailbox has already, so an issue mailed again with the same one would never arrive."""
    host = urlsplit(edition.site.url).hostname or ""
    if not host.isascii() or not host:
        host = "paper-digest.invalid"
    digest = hashlib.sha256(f"{edition.site.url}\0{content}".encode()).hexdigest()[:16]
    return f"<digest.{edition.key}.{digest}@{host}>"


def list_id(edition: Edition) -> str:
    """The edition's list identifier (RFC 2919), the same for every issue of a site and different for two sites of
    one host: the site's path as a label, then its host (``papers-weekly.user.github.io``; ``digest.<host>`` at
    the root of a host)."""
    parts = urlsplit(edition.site.url)
    host = (parts.hostname or "").strip(".")
    if not host or not host.isascii() or not all(part.replace("-", "").isalnum() for part in host.split(".")):
        host = "paper-digest.invalid"
    label = "-".join(re.sub(r"[^a-z0-9]+", "-", segment.lower()).strip("-") for segment in parts.path.split("/"))
    label = re.sub(r"-{2,}", "-", label).strip("-")
    return f"{label or 'digest'}.{host}"


def unsubscribe_url(sender: str | None) -> str:
    """``mailto:<sender's address>?subject=unsubscribe``, or ``""`` without a sender: the List-Unsubscribe header's
    link, and the footer's, for mail clients that offer no button from the header."""
    _, mailbox = email.utils.parseaddr(sender or "")
    return f"mailto:{quote(mailbox, safe='@.+-_')}?subject=unsubscribe" if mailbox else ""


def build_message(edition: Edition, templates: Templates, sender: str | None = None) -> EmailMessage:
    """The message for an (already fitted) edition; From and To name ``sender`` when given (recipients go in Bcc)."""
    text, html = templates.render(edition)
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject(edition)
    message["Date"] = email.utils.format_datetime(issue_datetime(edition.date))
    message["Message-ID"] = message_id(edition, text + html)
    message["List-Id"] = f"<{list_id(edition)}>"
    if sender:
        # Recipients are the envelope's only (as Bcc): the To header names the sender, so no
        # recipient sees the others' addresses.
        message["From"] = sender
        message["To"] = sender
        # Mail clients offer an "Unsubscribe" button from this: a message to the sender (RFC 2369); a static
        # site has no server for one-click unsubscribing (RFC 8058).
        if unsubscribe_url(sender):
            message["List-Unsubscribe"] = f"<{unsubscribe_url(sender)}>"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    message.set_boundary(boundary(message, text + html))
    return message


def boundary(message: EmailMessage, content: str) -> str:
    """A multipart boundary from a hash of the content, never found in it (the email package would make a random one).

    "=_" cannot occur in a quoted-printable body (it writes "=" as "=3D"); the check guards the rest.
    """
    body = message.as_string()
    salt = 0
    while True:
        found = "=_digest_" + hashlib.sha256(f"{salt}\0{content}".encode()).hexdigest()[:32]
        if found not in body and found not in content:
            return found
        salt += 1


def message_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=POLICY)
