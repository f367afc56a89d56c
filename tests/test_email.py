"""The email edition (``digest email``): the message parsed back with Python's email package, its size under
Gmail's clipping limit, escaping, determinism, ``--week``, the record of mailed issues, and delivery to a real
SMTP server (aiosmtpd) on 127.0.0.1: plain on loopback, STARTTLS and TLS with a private CA, logins, refusals."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator import latex_text
from generator.build import BuildOptions
from generator.config import load_config
from generator.errors import MailError
from generator.mail import commands, smtp
from generator.mail import message as mail_message
from generator.mail import settings as mail_settings
from generator.mail.edition import featured_sections, more_url, parse_week, select_issues
from generator.mail.message import HTML_LIMIT, POLICY, message_bytes, wrapped
from generator.mail.record import add_to_record, due, read_record
from generator.model import Issue, Paper
from generator.picks import Picks
from generator.picks.scoring import Pick
from tests.checkers import nu_check
from tests.conftest import FIXTURES, make_project
from tests.email_fixture import SITE_URL, email_project

PASSWORD = "pa55-Never-Shown-7f3a"
WATCH = "watch: {authors: [Emmy Noether]}\n"


# ---------------------------------------------------------------- helpers


def archive_of(project: Path) -> Any:
    config, _ = load_config(project / "digest.yml" if (project / "digest.yml").exists() else None)
    if not (project / "digest.yml").exists():
        from generator.config import Config

        config = Config(base_dir=project)
    archive, _report = commands.load(config, BuildOptions())
    return archive


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SMTP_", "MAIL_")) and key != "SITE_URL"}
    return {**env, **extra}


def digest(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env=env or clean_env(), check=False)


class Links(HTMLParser):
    """Every tag and its attributes, and the text, of an HTML part."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(html: str) -> Links:
    found = Links()
    found.feed(html)
    return found


# ---------------------------------------------------------------- projects


@pytest.fixture(scope="module")
def week_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three issues: 2026-11-18 (week 47), 2026-11-25 and the 20-paper 2026-11-27 (week 48); a watch list."""
    return email_project(tmp_path_factory.mktemp("email") / "site",
                         {"2026-11-18": 4, "2026-11-25": 5, "2026-11-27": 20}, watch=WATCH)


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One issue of 476 papers with signals and summaries: its whole message would be far over 102 KB."""
    return email_project(tmp_path_factory.mktemp("email") / "big", {"2026-11-27": 476}, repeat=True,
                         watch="watch: {phrases: [total positivity]}\n")


@pytest.fixture(scope="module")
def newest(week_site: Path) -> EmailMessage:
    made = commands.make_message(archive_of(week_site))
    return parse(message_bytes(made.message))


# ---------------------------------------------------------------- the message


def test_the_message_is_multipart_alternative_with_text_then_html(newest: EmailMessage) -> None:
    assert newest.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in newest.iter_parts()] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in newest.iter_parts())
    assert all(part["Content-Transfer-Encoding"] == "quoted-printable" for part in newest.iter_parts())
    assert newest["Subject"] == "Paper Digest — 2026-11-27"
    assert newest["Date"] == "Fri, 27 Nov 2026 00:00:00 +0000"
    assert re.fullmatch(r"<digest\.2026-11-27\.[0-9a-f]{16}@digest\.example\.org>", newest["Message-ID"])
    assert newest["From"] is None and newest["To"] is None  # no sender given: nothing invented
    assert newest["MIME-Version"] == "1.0"


def test_the_html_part_is_for_mail_clients(newest: EmailMessage) -> None:
    _text, html = parts(newest)
    found = read_html(html)
    tags = {tag for tag, _ in found.tags}
    assert not tags & {"script", "form", "input", "button", "iframe", "img", "link", "style", "object", "embed",
                       "video", "audio", "svg", "meta" if False else "base"}
    assert "table" in tags and "td" in tags
    for tag, attributes in found.tags:
        assert not any(name.startswith("on") for name in attributes), tag
        assert "src" not in attributes and "class" not in attributes, tag
        if tag == "a":
            assert re.match(r"https?://[^/\s]+/", attributes["href"] or ""), attributes
    site_links = [attrs["href"] for tag, attrs in found.tags if tag == "a" and attrs["href"].startswith(SITE_URL)]
    assert len(site_links) >= 20 + 2  # every paper, the issue page, the subscribe page
    assert f'href="{SITE_URL}papers/' in html and "../" not in html
    assert len(html.encode("utf-8")) < HTML_LIMIT


def test_outlook_which_ignores_max_width_still_gets_a_600px_column(newest: EmailMessage) -> None:
    """Outlook for Windows ignores max-width: the column (width:100%; max-width:600px) filled the whole window,
    lines of 200 characters, unless a table only Outlook reads (a conditional comment) holds it to 600px."""
    _text, html = parts(newest)
    as_outlook = html.replace("<!--[if mso]>", "").replace("<![endif]-->", "")  # what Outlook's engine renders
    widths: list[str] = []  # the fixed widths of the tables around, innermost last
    held = False
    for tag, attributes in read_html(as_outlook).tags:
        if tag != "table":
            continue
        style = attributes.get("style") or ""
        if "max-width" in style:
            held = "600" in widths
            break
        if "width:" not in style:  # a CSS width wins over the attribute
            widths.append(attributes.get("width") or "")
    assert held
    assert [tag for tag, _ in read_html(html).tags].count("table") == 2  # other clients see no third table


def test_links_among_other_words_are_underlined_not_told_apart_by_colour_alone(newest: EmailMessage) -> None:
    """WCAG 1.4.1: the signals' and the footer's links are blue in grey text (1.4:1 between them), so underlined;
    only a paper's title, bold on its own line, and the site's name in the banner go without."""
    _text, html = parts(newest)
    links = [attributes for tag, attributes in read_html(html).tags if tag == "a"]
    plain = [attrs["href"] for attrs in links if "text-decoration:underline" not in (attrs["style"] or "")
             and "font-weight:bold" not in (attrs["style"] or "")]
    assert plain == []
    underlined = [attrs["href"] or "" for attrs in links if "text-decoration:underline" in (attrs["style"] or "")]
    assert any(href.startswith("https://github.com/example/") for href in underlined)  # a signal's code link
    assert f"{SITE_URL}subscribe/" in underlined  # the footer's


def test_papers_are_listed_by_topic_with_signals_and_watched_papers_first(newest: EmailMessage) -> None:
    text, html = parts(newest)
    assert "20 new papers: https://digest.example.org/papers-weekly/issues/2026-11-27/" in text
    sections = re.findall(r"^(\S.*) \((\d+)\)\n-+$", text, re.M)
    assert sections[0][0] == "Watch list"
    assert sum(int(count) for _, count in sections) == 20
    assert text.count(f"  {SITE_URL}papers/") == 20  # each paper once, featured ones not again under a topic
    watched = text.split("\n\n\n")[1]
    assert "Watched: author: Emmy Noether" in watched and "Emmy Noether" in watched
    assert re.search(r"(?m)^  \d+ upvotes? · \d+ comments?.*\n  Code \([\d,]+ stars?\): https://github\.com/example/",
                     text)  # a link's signal on a line of its own
    assert "Summary by " in text
    assert "<b>Watched</b>: author: Emmy Noether" in html
    assert '<a href="https://github.com/example/' in html


def test_the_text_part_keeps_lines_short_and_every_url_whole_at_a_line_end(newest: EmailMessage) -> None:
    """Text-only mail clients show the lines as sent: a summary on one 300-character line ran off the screen, and a
    code link's URL sat mid-line between other signals."""
    text, _html = parts(newest)
    assert [line for line in text.splitlines() if len(line) > 78 and " " in line.strip()] == []
    for line in text.splitlines():
        for found in re.finditer(r"https?://\S+", line):
            assert found.end() == len(line), line  # nothing after a URL that a client could take as part of it
    assert "Summary by " in text and re.search(r"(?m)^  Summary by .*\n  \S", text)  # wrapped under its start
    assert text.count(f"\n  {SITE_URL}papers/") == 20


def test_a_right_to_left_title_broken_over_lines_stays_isolated_on_each() -> None:
    """A line break ends an isolate: a long Arabic title's second line lost the isolation its first line opened."""
    title = "* \u2068" + "كلمة " * 30 + "نهاية\u2069"
    lines = wrapped(title).split("\n")
    assert len(lines) > 1
    for line in lines:
        words = line.lstrip(" *")
        assert words.startswith("\u2068") and words.endswith("\u2069") and words.count("\u2068") == 1, line
    assert " ".join(line.lstrip(" *").strip("\u2068\u2069") for line in lines) == "كلمة " * 30 + "نهاية"


def flat_text(text: str) -> str:
    """The text part with its lines joined: what it says, whatever the line breaks."""
    return " ".join(text.split())


def test_each_topic_lists_its_most_upvoted_papers_first(week_site: Path) -> None:
    made = commands.make_message(archive_of(week_site))
    for section in made.edition.topics:
        votes = [paper.upvotes or 0 for paper in section.papers]
        voted = [count for count in votes if count]
        assert voted == sorted(voted, reverse=True) and votes[: len(voted)] == voted


def test_the_same_inputs_give_the_same_bytes(week_site: Path, tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        env = clean_env(PYTHONHASHSEED=seed)
        result = digest("email", "--out", str(tmp_path / f"{seed}.eml"), cwd=week_site, env=env)
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"Wrote .*1\.eml|Wrote .*2\.eml", result.stdout.split(":")[0])
        outputs.append((tmp_path / f"{seed}.eml").read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == message_bytes(commands.make_message(archive_of(week_site)).message)
    assert b"\r\n" in outputs[0] and b"\n" not in outputs[0].replace(b"\r\n", b"")  # CRLF, as SMTP carries it
    stdout = subprocess.run([sys.executable, "-m", "generator", "email"], cwd=week_site, capture_output=True,
                            env=clean_env(), check=True).stdout
    assert stdout == outputs[0]  # without --out or --send: the message on standard output
    # "--out -" is standard output too, as other tools take it: it was a file named "-" beside the project's files
    dashed = subprocess.run([sys.executable, "-m", "generator", "email", "--out", "-"], cwd=week_site,
                            capture_output=True, env=clean_env(), check=True).stdout
    assert dashed == outputs[0] and not (week_site / "-").exists()


def test_a_date_and_a_week(week_site: Path) -> None:
    archive = archive_of(week_site)
    older = parse(message_bytes(commands.make_message(archive, date=dt.date(2026, 11, 18)).message))
    assert older["Subject"] == "Paper Digest — 2026-11-18" and "4 new papers" in parts(older)[0]
    week = commands.make_message(archive, week="2026-W48")
    message = parse(message_bytes(week.message))
    assert message["Subject"] == "Paper Digest — 2026-W48 (2026-11-23 – 2026-11-29)"
    assert message["Date"] == "Fri, 27 Nov 2026 00:00:00 +0000"  # the week's newest issue
    assert "<digest.2026-W48." in message["Message-ID"]
    text, _html = parts(message)
    assert "25 new papers" in text and text.count(f"  {SITE_URL}papers/") == 25
    assert [issue.date.isoformat() for issue in week.edition.issues] == ["2026-11-27", "2026-11-25"]
    assert commands.make_message(archive, week="2026-W47").edition.paper_count == 4
    # As people type a week: lower case, without the hyphen (ISO's basic form), one digit; named as the top pages do
    assert {commands.make_message(archive, week=typed).edition.key for typed in ("2026-w48", "2026W48")} == {"2026-W48"}
    assert parse_week("2026-W5")[0] == "2026-W05"


def test_a_week_holds_its_sundays_issue_and_its_picks_best_first_across_its_issues_each_once() -> None:
    # The week's last day is in it: an issue of Sunday 2026-11-29 is mailed with 2026-W48, not left out of every week.
    # Picks come best first over the week's issues, not issue by issue.
    monday, sunday, after = dt.date(2026, 11, 23), dt.date(2026, 11, 29), dt.date(2026, 11, 30)
    papers = {f"p{n}": Paper(id=f"p{n}", title=f"Invented {n}", abstract="An abstract.", added=day, source="test")
              for n, day in enumerate((monday, sunday, after))}
    issues = [Issue(after, ("p2",)), Issue(sunday, ("p1",)), Issue(monday, ("p0",))]
    picks = Picks({monday: (Pick("p0", 0.1, ("A listed paper",)),), sunday: (Pick("p1", 0.3, ("Another",)),)})
    archive = SimpleNamespace(issues=issues, papers=papers, picks=picks, watched={},
                              site=SimpleNamespace(url=SITE_URL))
    key, found = select_issues(archive, week="2026-W48")  # type: ignore[arg-type]
    assert (key, [issue.date for issue in found]) == ("2026-W48", [sunday, monday])
    (section,) = featured_sections(archive, found)  # type: ignore[arg-type]
    assert [paper.id for paper in section.papers] == ["p1", "p0"]
    assert section.reasons == {"p1": ("like: Another",), "p0": ("like: A listed paper",)}
    # A picked paper that is watched too is listed once, among the picks, saying it is watched.
    archive.watched = {"p1": ("phrase: invented",)}
    (section,) = featured_sections(archive, found)  # type: ignore[arg-type]
    assert section.reasons["p1"] == ("like: Another", "Watched: phrase: invented")
    # A paper's line names its first three authors, then "et al." when it has more.
    crowded = replace(papers["p1"], authors=("Ann One", "Bo Two", "Cy Three", "Di Four"))
    edition = SimpleNamespace(site=archive.site)
    assert mail_message.line(edition, section, crowded).authors == "Ann One, Bo Two, Cy Three et al."  # type: ignore[arg-type]
    three = replace(crowded, authors=crowded.authors[:3])
    assert mail_message.line(edition, section, three).authors == "Ann One, Bo Two, Cy Three"  # type: ignore[arg-type]
    # "N more" of a topic leads to the page listing them all: the issue's page for one issue, the topic's for a week
    # (the first issue's page lacks the others' papers).
    assert more_url(archive, found, "rl") == f"{SITE_URL}topics/rl/"  # type: ignore[arg-type]
    assert more_url(archive, found[:1], "rl") == f"{SITE_URL}issues/2026-11-29/"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-11-26"], "Error: no issue dated 2026-11-26; the newest issues are 2026-11-27, 2026-11-25,"
                                   " 2026-11-18\n"),
        (["--week", "2026-W40"], "Error: no issue in the week 2026-W40 (2026-09-28 – 2026-10-04); the newest issues"
                                 " are 2026-11-27, 2026-11-25, 2026-11-18\n"),
    ],
)
def test_an_unknown_date_or_week_is_an_error(week_site: Path, args: list[str], message: str) -> None:
    result = digest("email", *args, cwd=week_site)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message)


def test_date_and_week_together_or_a_record_without_send_are_usage_errors(week_site: Path) -> None:
    result = digest("email", "--date", "2026-11-27", "--week", "2026-W48", cwd=week_site)
    assert result.returncode == 2 and "give --date or --week, not both" in result.stderr
    result = digest("email", "--record", "mailed.txt", cwd=week_site)
    assert result.returncode == 2 and "--record goes with --send" in result.stderr
    for value in ("nan", "inf", "0"):  # click's FloatRange let nan and inf through: a traceback when sending
        result = digest("email", "--send", "--timeout", value, cwd=week_site)
        assert result.returncode == 2 and f"'{value}' is not a number of seconds from 0.1 to 86400" in result.stderr
    # A malformed week is a usage error (exit 2) as a malformed --date is; it was exit 1. The calendar's last week
    # was a traceback.
    for value in ("2026-48", "2026-W54", "9999-W52"):
        result = digest("email", "--week", value, cwd=week_site)
        assert result.returncode == 2
        assert f"Invalid value for --week: '{value}' is not an ISO week such as 2026-W48" in result.stderr
    assert digest("email", "--date", "2026-11-3", cwd=week_site).returncode == 2
    # After 2026-W53, 2027-W53 looked right: the message said only that it was no week "such as 2026-W48".
    for value, weeks in (("2027-W53", "2027 has 52 ISO weeks: W01 to W52"),
                         ("2026-W54", "2026 has 53 ISO weeks: W01 to W53"), ("2026-W00", "2026 has 53")):
        result = digest("email", "--week", value, cwd=week_site)
        assert result.returncode == 2 and f"'{value}' is not an ISO week such as 2026-W48 ({weeks}" in result.stderr
    # A year whose 31 December is in the next year's first week (2024: a Tuesday) still has its 52 weeks counted.
    with pytest.raises(MailError, match=r"\(2024 has 52 ISO weeks: W01 to W52\)"):
        parse_week("2024-W53")


def test_a_site_without_an_absolute_url_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(re.sub(r"(?m)^site_url:.*$", "site_url: /digest/", config), encoding="utf-8")
    result = digest("email", cwd=project)
    assert result.returncode == 1
    assert "site_url' must be an absolute http(s) URL" in result.stderr


def test_the_subscribe_page_tells_of_both_ways_to_have_issues_by_email(week_site: Path, tmp_path: Path) -> None:
    result = digest("build", "--quiet", "--out", str(tmp_path / "content"), cwd=week_site)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "content" / "subscribe.md").read_text(encoding="utf-8")
    assert "point a feed-to-email service at it" in page
    assert "The maintainer of Paper Digest may also mail its email edition: each issue once" in page


# ---------------------------------------------------------------- size


def test_a_big_issue_is_trimmed_under_gmails_limit_keeping_watched_and_each_topics_best(big_site: Path) -> None:
    made = commands.make_message(archive_of(big_site))
    edition = made.edition
    html_part = made.message.get_body(("html",))
    assert html_part is not None
    assert len(html_part.as_bytes(policy=POLICY)) < HTML_LIMIT  # as sent: quoted-printable, CRLF
    text, html = parts(parse(message_bytes(made.message)))
    assert len(html.encode("utf-8")) < HTML_LIMIT
    assert edition.paper_count == 476 and 60 < edition.shown_count < 476
    watched = edition.featured[0]
    assert watched.key == "watch" and watched.more == 0 and len(watched.papers) == 4  # kept whole
    for section in edition.topics:
        assert section.shown >= 1  # every topic's best paper is in
    trimmed = [section for section in edition.topics if section.more]
    assert trimmed
    for section in trimmed:
        assert section.listed == section.papers[: section.shown]  # the best ones
        link = f'{section.more} more papers in {section.title.replace("&", "&amp;")} →'
        assert link in html.replace("&#39;", "'")
        assert f"{section.more} more papers in {section.title}: {SITE_URL}issues/2026-11-27/" in flat_text(text)
    assert f"476 new papers, {edition.shown_count} shown here" in text
    # Nearly full: the bisection found the largest count that fits, not a timid one.
    assert len(html_part.as_bytes(policy=POLICY)) > HTML_LIMIT - 2_000


def test_featured_papers_are_trimmed_last(week_site: Path) -> None:
    from generator.mail.edition import fit, make_edition

    edition = make_edition(archive_of(week_site))
    featured = len(edition.featured[0].papers)
    assert featured == 6
    # A size that grows by one per paper shown: room for 8 papers, then for 3.
    roomy = fit(edition, lambda each: each.shown_count, 9)
    assert roomy.featured[0].more == 0 and sum(s.shown for s in roomy.topics) == 2
    tight = fit(edition, lambda each: each.shown_count, 4)
    assert tight.featured[0].shown == 3 and all(section.shown == 0 for section in tight.topics)
    assert tight.featured[0].listed == edition.featured[0].papers[:3]


def test_trimming_is_fair_across_topics(big_site: Path) -> None:
    edition = commands.make_message(archive_of(big_site)).edition
    shown = {section.key: section.shown for section in edition.topics}
    sizes = {section.key: len(section.papers) for section in edition.topics}
    cap = max(shown.values())
    for key, count in shown.items():
        assert count == sizes[key] or count >= cap - 1  # topics take turns: a small topic shows all it has


# ---------------------------------------------------------------- hostile text


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lists = tmp_path_factory.mktemp("hostile-lists")
    shutil.copytree(FIXTURES / "hostile" / "issues", lists, dirs_exist_ok=True)
    (lists / "2026-11-29.yaml").write_text(
        'date: 2026-11-29\npapers:\n'
        '  - title: "Quokka {{ 7*7 }} {% raw %} </td></tr></table> templates\\r\\nBcc: evil@example.org"\n'
        '    abstract: "A title that tries templates, table breaking and a header."\n'
        '    authors: ["Mallory\\r\\nBcc: evil@example.org", "<b>Eve</b>"]\n'
        '    upvotes: 3\n'
        '    organization: "</span><script>alert(1)</script>"\n'
        '    code: "https://example.org/\\"><script>alert(2)</script>"\n'
        '    tldr: "{{ config }} --\\r\\n\\r\\n--=_digest_ boundary"\n'
        '  - title: "Aardvark again <script>alert(3)</script>"\n'
        '    abstract: "Second paper of the issue."\n'
        '    authors: [Emmy Noether]\n',
        encoding="utf-8")
    project = make_project(tmp_path_factory.mktemp("hostile") / "site", papers=lists, site_url=SITE_URL)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("site_name: Paper Digest", 'site_name: "Evil <i>Digest</i>\\r\\nBcc: evil@example.org"'),
        encoding="utf-8")
    (project / "digest.yml").write_text("watch: {authors: [Emmy Noether], phrases: [script]}\n", encoding="utf-8")
    return project


def test_hostile_titles_are_text_in_both_parts_and_headers_hold(hostile_site: Path) -> None:
    archive = archive_of(hostile_site)
    for issue in archive.issues:
        data = message_bytes(commands.make_message(archive, date=issue.date, sender="digest@example.org").message)
        message = parse(data)
        # One Subject, no header made from a title or the site's name.
        assert message.get_all("Bcc") is None
        assert [name for name, _ in message.items()] == [
            "Subject", "Date", "Message-ID", "List-Id", "From", "To", "List-Unsubscribe", "MIME-Version",
            "Content-Type"]
        assert message["Subject"] == f"Evil <i>Digest</i> Bcc: evil@example.org — {issue.date.isoformat()}"
        assert message["To"] == "digest@example.org"
        text, html = parts(message)
        found = read_html(html)
        assert {tag for tag, _ in found.tags} <= {"html", "head", "meta", "title", "body", "table", "tr", "td", "a",
                                                   "br", "span", "h2", "b", "i"}
        assert "<script" not in html and "<i>Digest" not in html
        shown = " ".join(" ".join(found.text).split())
        for paper_id in issue.paper_ids:
            title = " ".join(latex_text.plain(archive.papers[paper_id].title).split())
            assert title in shown, title  # the HTML shows the title as written (its LaTeX text decoded: "\\ " is " ")
            assert f"* {title} " in flat_text(text)  # and so does the text part, unescaped
            assert f"\n* {title.split()[0]}" in text  # a title starts its own line, the paper's only
        for tag, attributes in found.tags:
            if tag == "a":
                href = attributes["href"] or ""
                unsubscribe = "mailto:digest@example.org?subject=unsubscribe"  # the footer's (a sent message)
                assert re.match(r"https?://[^\s\"<>]+\Z", href) or href == unsubscribe
    quokka = parts(parse(message_bytes(commands.make_message(archive, date=dt.date(2026, 11, 29)).message)))
    text, html = quokka
    assert "{{ 7*7 }} {% raw %} </td></tr></table> templates Bcc: evil@example.org" in flat_text(text)
    assert "49" not in text.split("Quokka", 1)[1].split("\n", 1)[0]
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in html
    assert "\nBcc:" not in text and "Mallory Bcc: evil@example.org" in text
    assert "--=_digest_ boundary" in text  # a boundary-like text is text; the real boundary differs
    assert "Code: https://example.org/%22%3E%3Cscript%3Ealert(2)%3C/script%3E" in text


# ---------------------------------------------------------------- the record of mailed issues


def test_the_issues_due_follow_the_newest_recorded() -> None:
    issues = [Issue(dt.date(2026, 11, day)) for day in (29, 28, 27, 20)]
    assert due(issues, []) == [dt.date(2026, 11, 29)]  # a first run mails the newest only
    assert due(issues, ["2026-11-27"]) == [dt.date(2026, 11, 28), dt.date(2026, 11, 29)]
    assert due(issues, ["2026-11-29", "2026-W48"]) == []
    assert due(issues, ["2026-11-20", "2026-11-29"]) == []  # an older issue added later is not mailed
    assert due(issues, ["2026-W48"]) == [dt.date(2026, 11, 29)]
    assert due([], []) == []


# ---------------------------------------------------------------- SMTP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Inbox:
    """aiosmtpd's handler: keeps what it is given; refuses recipients at refused.example and, if told, the data."""

    def __init__(self, refuse_data: bool = False) -> None:
        self.envelopes: list[Any] = []
        self.refuse_data = refuse_data

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            return "550 5.7.1 Message refused by policy"
        self.envelopes.append(envelope)
        return "250 Message accepted"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult

    good = auth_data.login == b"digest" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=good, handled=False)


@contextmanager
def smtp_server(inbox: Inbox, **options: Any) -> Iterator[int]:
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_certificates(tmp_path_factory.mktemp("tls"))


def make_certificates(folder: Path) -> dict[str, Path]:
    """A private CA and a certificate it signed for 127.0.0.1 and localhost, made with the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make the test certificates (apt-get install openssl)")
    folder.mkdir(parents=True, exist_ok=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=folder, capture_output=True, check=True)

    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Digest Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (folder / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n", encoding="utf-8")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext")
    return {"ca": folder / "ca.pem", "cert": folder / "server.pem", "key": folder / "server.key"}


def server_context(certificates: dict[str, Path]) -> Any:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates["cert"], certificates["key"])
    return context


def settings(port: int, **values: str) -> mail_settings.SmtpSettings:
    environ = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "MAIL_FROM": "digest@example.org",
               "MAIL_TO": "reader@example.org, second@example.org", **values}
    return mail_settings.smtp_settings(environ, timeout=5)


@pytest.fixture(scope="module")
def made(week_site: Path) -> commands.Made:
    return commands.make_message(archive_of(week_site), sender="digest@example.org")


def received(inbox: Inbox) -> EmailMessage:
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "digest@example.org"
    assert envelope.rcpt_tos == ["reader@example.org", "second@example.org"]
    return parse(envelope.original_content)


def test_plain_smtp_on_loopback(made: commands.Made) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        assert smtp.send(made.message, settings(port, SMTP_SECURITY="none")) == {}
    message = received(inbox)
    assert message["Subject"] == "Paper Digest — 2026-11-27"
    assert parts(message) == parts(parse(message_bytes(made.message)))
    assert message.get_all("Bcc") is None  # recipients are in the envelope only


def test_the_sender_may_have_a_name_and_readers_an_unsubscribe_address(week_site: Path) -> None:
    """MAIL_FROM as a name and an address: the name in From and To, the bare address for the envelope and
    List-Unsubscribe; every edition of a site has the same List-Id; without a sender, no List-Unsubscribe."""
    named = settings(25, MAIL_FROM='"Digest, Weekly" <digest@example.org>')
    assert (named.sender, named.sender_name) == ("digest@example.org", "Digest, Weekly")
    archive = archive_of(week_site)
    message = commands.make_message(archive, sender=named.from_header).message
    parsed = parse(message_bytes(message))
    assert parsed["From"] == parsed["To"] == '"Digest, Weekly" <digest@example.org>'
    assert parsed["From"].addresses[0].addr_spec == "digest@example.org"
    assert parsed["List-Unsubscribe"] == "<mailto:digest@example.org?subject=unsubscribe>"
    week = commands.make_message(archive, week="2026-W48", sender=named.from_header).message
    assert parsed["List-Id"] == week["List-Id"] == "<papers-weekly.digest.example.org>"
    bare = commands.make_message(archive).message
    assert bare["List-Unsubscribe"] is None and bare["From"] is None and bare["List-Id"] == parsed["List-Id"]
    assert mail_settings.smtp_settings({"SMTP_HOST": "h", "MAIL_FROM": "digest@example.org", "MAIL_TO": "r@example.org"}
                              ).from_header == "digest@example.org"


def test_a_sent_message_says_in_its_footer_how_to_unsubscribe(week_site: Path) -> None:
    """Outlook, Thunderbird and text-only clients offer no button from List-Unsubscribe: the footer of both parts
    links the same address; a message with no sender has none."""
    archive = archive_of(week_site)
    made = commands.make_message(archive, sender="Weekly Digest <digest@example.org>")
    text, html = parts(parse(message_bytes(made.message)))
    mailto = "mailto:digest@example.org?subject=unsubscribe"
    assert made.message["List-Unsubscribe"] == f"<{mailto}>"
    footer = text.rsplit("\n--\n", 1)[1]
    assert re.search(rf"(?m)^Unsubscribe .*\n?{re.escape(mailto)}$", footer)
    assert [attrs["href"] for tag, attrs in read_html(html.rsplit("border-top", 1)[1]).tags
            if tag == "a" and "unsubscribe" in (attrs["href"] or "")] == [mailto]
    bare_text, bare_html = parts(parse(message_bytes(commands.make_message(archive).message)))
    assert "mailto:" not in bare_text + bare_html and "Unsubscribe" not in bare_text + bare_html


def test_plain_smtp_is_refused_for_a_host_that_is_not_loopback() -> None:
    with pytest.raises(MailError) as error:
        mail_settings.smtp_settings({"SMTP_HOST": "smtp.example.org", "SMTP_SECURITY": "none",
                            "MAIL_FROM": "a@example.org", "MAIL_TO": "b@example.org"})
    assert str(error.value) == ("SMTP_SECURITY=none sends the message and password unencrypted: refused for "
                                "smtp.example.org, which is not a loopback address (use starttls or tls)")
    for host in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"):
        assert mail_settings.is_loopback(host)
    for host in ("10.0.0.1", "localhost.example.org", "0.0.0.0", "smtp.example.org"):
        assert not mail_settings.is_loopback(host)


def test_implicit_tls_with_a_private_ca(made: commands.Made, certificates: dict[str, Path]) -> None:
    inbox = Inbox()
    with smtp_server(inbox, ssl_context=server_context(certificates)) as port:
        smtp.send(made.message, settings(port, SMTP_SECURITY="tls", SMTP_CA_FILE=str(certificates["ca"])))
    assert received(inbox)["Message-ID"] == made.message["Message-ID"]


def test_port_465_without_a_security_setting_speaks_tls(made: commands.Made) -> None:
    """SMTP_PORT=465 (the port providers give for "SSL") without SMTP_SECURITY waited for a plain-text greeting that a
    TLS port never sends, until the timeout. Unset, the security on port 465 is tls."""
    environ = {"SMTP_HOST": "smtp.example.org", "MAIL_FROM": "a@example.org", "MAIL_TO": "b@example.org"}
    assert mail_settings.smtp_settings({**environ, "SMTP_PORT": "465"}).security == "tls"
    explicit = mail_settings.smtp_settings({**environ, "SMTP_PORT": "465", "SMTP_SECURITY": "starttls"})
    assert explicit.security == "starttls"
    assert mail_settings.smtp_settings({**environ, "SMTP_PORT": "2525"}).security == "starttls"
    assert mail_settings.smtp_settings(environ).port == 587


def test_tls_refuses_a_certificate_it_does_not_trust(made: commands.Made, certificates: dict[str, Path]) -> None:
    inbox = Inbox()
    with smtp_server(inbox, ssl_context=server_context(certificates)) as port, \
            pytest.raises(MailError) as error:
        smtp.send(made.message, settings(port, SMTP_SECURITY="tls"))  # the system's CAs only
    assert str(error.value).startswith(f"127.0.0.1:{port}: the server's certificate is not trusted (")
    assert inbox.envelopes == []


def test_a_certificate_for_another_name_says_so_rather_than_asking_for_a_ca(made: commands.Made,
                                                                            certificates: dict[str, Path]) -> None:
    """A certificate from the trusted CA, for other names than SMTP_HOST, was "not trusted …; a private CA's
    certificate goes in SMTP_CA_FILE": advice that cannot help when SMTP_CA_FILE is set already."""
    from aiosmtpd.controller import Controller

    try:  # any 127.x address is the loopback on Linux; the certificate names 127.0.0.1 and localhost only
        socket.create_server(("127.0.0.2", 0)).close()
    except OSError:
        pytest.skip("127.0.0.2 is not a loopback address here")
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.2", port=port, ssl_context=server_context(certificates))
    controller.start()
    try:
        with pytest.raises(MailError) as error:
            smtp.send(made.message, settings(port, SMTP_HOST="127.0.0.2", SMTP_SECURITY="tls",
                                             SMTP_CA_FILE=str(certificates["ca"])))
    finally:
        controller.stop()
    assert str(error.value) == (f"127.0.0.2:{port}: the server's certificate is not for 127.0.0.2 (IP address "
                                "mismatch, certificate is not valid for '127.0.0.2'); SMTP_HOST must be a name it is"
                                " for: the host name the mail provider gives, not an address or another name of the"
                                " server")
    assert inbox.envelopes == []


def starttls_server(inbox: Inbox, certificates: dict[str, Path]) -> Any:
    return smtp_server(inbox, tls_context=server_context(certificates), require_starttls=True,
                       authenticator=authenticator, auth_required=True, auth_require_tls=True)


def test_starttls_and_login_through_the_command(week_site: Path, certificates: dict[str, Path],
                                                tmp_path: Path) -> None:
    inbox = Inbox()
    with starttls_server(inbox, certificates) as port:
        env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_USERNAME="digest", SMTP_PASSWORD=PASSWORD,
                        MAIL_FROM="Paper Digest <digest@example.org>", MAIL_TO="reader@example.org,second@example.org",
                        SMTP_CA_FILE=str(certificates["ca"]))
        result = digest("email", "--send", "--out", str(tmp_path / "sent.eml"), cwd=week_site, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"Sent 2026-11-27 (20 of 20 papers) to 2 recipients through 127.0.0.1:{port} (starttls).")
    assert PASSWORD not in result.stdout + result.stderr
    message = received(inbox)
    # The envelope's sender is the bare address (``received``); the headers carry the name.
    assert (message["From"], message["To"]) == ("Paper Digest <digest@example.org>",) * 2
    assert message["List-Unsubscribe"] == "<mailto:digest@example.org?subject=unsubscribe>"
    assert parse((tmp_path / "sent.eml").read_bytes())["Message-ID"] == message["Message-ID"]


def test_a_password_pasted_with_a_line_break_logs_in(made: commands.Made, certificates: dict[str, Path]) -> None:
    """A secret set from a file (``gh secret set SMTP_PASSWORD < file``) ends with a line break, which was sent as part
    of the password: the right password was "refused"."""
    inbox = Inbox()
    with starttls_server(inbox, certificates) as port:
        smtp.send(made.message, settings(port, SMTP_USERNAME="digest", SMTP_PASSWORD=PASSWORD + "\n",
                                         SMTP_CA_FILE=str(certificates["ca"])))
    assert len(inbox.envelopes) == 1
    environ = {"SMTP_HOST": "smtp.example.org", "MAIL_FROM": "a@example.org", "MAIL_TO": "b@example.org",
               "SMTP_USERNAME": "digest"}
    spaced = mail_settings.smtp_settings({**environ, "SMTP_PASSWORD": "\r\n two spaces  \r\n"})
    assert spaced.password == " two spaces  "
    with pytest.raises(MailError) as error:
        mail_settings.smtp_settings({**environ, "SMTP_PASSWORD": "\n"})
    assert str(error.value) == "SMTP_USERNAME and SMTP_PASSWORD go together: set both (to log in) or neither"


def test_a_bad_password_fails_in_one_line_without_showing_it(week_site: Path, certificates: dict[str, Path]) -> None:
    inbox = Inbox()
    wrong = PASSWORD + "-wrong"
    with starttls_server(inbox, certificates) as port:
        env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_USERNAME="digest", SMTP_PASSWORD=wrong,
                        MAIL_FROM="digest@example.org", MAIL_TO="reader@example.org",
                        SMTP_CA_FILE=str(certificates["ca"]))
        result = digest("email", "--send", cwd=week_site, env=env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (f"Error: 127.0.0.1:{port} refused the login of 'digest': "
                             "535 5.7.8 Authentication credentials invalid"
                             " (permanent: check SMTP_USERNAME and SMTP_PASSWORD)\n")
    assert wrong not in result.stderr and PASSWORD not in result.stderr
    assert inbox.envelopes == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # a loopback test server
@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_user_name_and_password_beyond_ascii_log_in_as_utf8(made: commands.Made, mechanism: str) -> None:
    """smtplib's login encodes the credentials as ASCII: a password such as "pässwort" was a traceback. They go as
    UTF-8 now (RFC 4616), through AUTH PLAIN or, where the server offers only that, AUTH LOGIN."""
    from aiosmtpd.smtp import AuthResult

    user, password = "bücher", "pässwort-€-" + PASSWORD
    logins: list[tuple[str, bytes, bytes]] = []

    def utf8_authenticator(server: Any, session: Any, envelope: Any, chosen: str, auth_data: Any) -> Any:
        logins.append((chosen, auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == (user.encode(), password.encode()),
                          handled=False)

    inbox = Inbox()
    excluded = ["PLAIN"] if mechanism == "LOGIN" else ["LOGIN"]
    with smtp_server(inbox, authenticator=utf8_authenticator, auth_required=True, auth_require_tls=False,
                     auth_exclude_mechanism=excluded) as port:
        good = settings(port, SMTP_SECURITY="none", SMTP_USERNAME=user, SMTP_PASSWORD=password)
        assert smtp.send(made.message, good) == {}
        wrong = settings(port, SMTP_SECURITY="none", SMTP_USERNAME=user, SMTP_PASSWORD=password + "ß")
        with pytest.raises(MailError) as error:
            smtp.send(made.message, wrong)
    assert [login[0] for login in logins] == [mechanism, mechanism]
    assert received(inbox)["Message-ID"] == made.message["Message-ID"]
    assert str(error.value).startswith(f"127.0.0.1:{port} refused the login of 'bücher': 535 ")
    assert password not in str(error.value)


@contextmanager
def echoing_server(mechanism: str) -> Iterator[int]:
    """A mail server that offers one AUTH mechanism and refuses the login quoting what the client sent."""
    import threading

    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, connection.makefile("rwb") as stream:
            def say(line: str) -> None:
                stream.write(line.encode() + b"\r\n")
                stream.flush()

            say("220 echo.example ESMTP")
            while line := stream.readline().decode().strip():
                verb = line.split()[0].upper()
                if verb == "EHLO":
                    say("250-echo.example")
                    say(f"250 AUTH {mechanism}")
                elif verb == "AUTH" and mechanism == "LOGIN":
                    say("334 UGFzc3dvcmQ6")  # "Password:" (smtplib sent the user name with AUTH LOGIN)
                    say(f"535 5.7.8 Authentication failed: {line} / {stream.readline().decode().strip()}")
                elif verb == "AUTH":
                    say(f"535 5.7.8 Authentication failed: {line}")
                else:
                    say("221 Bye")
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        thread.join(timeout=5)
        listener.close()


@contextmanager
def scripted_server(script: Callable[[Any, Callable[[str], None]], None]) -> Iterator[int]:
    """A mail server that plays ``script(stream, say)`` on its one connection (broken or hostile on purpose)."""
    import threading

    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        # OSError: the client hung up, and the script is over.
        with suppress(OSError), connection, connection.makefile("rwb") as stream:
            def say(line: str) -> None:
                stream.write(line.encode() + b"\r\n")
                stream.flush()

            script(stream, say)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        thread.join(timeout=10)
        listener.close()


def quick(port: int, **values: str) -> mail_settings.SmtpSettings:
    """``settings`` with a short timeout, for servers that stall."""
    return replace(settings(port, **values), timeout=0.5)


def trickle(text: str, pause: float = 0.1, lasting: float = 4) -> Callable[[Any, Callable[[str], None]], None]:
    """A script that sends ``text`` a byte at a time, again and again, for ``lasting`` seconds."""
    def script(stream: Any, say: Callable[[str], None]) -> None:
        end = time.monotonic() + lasting
        while time.monotonic() < end:
            for byte in text.encode():
                stream.write(bytes([byte]))
                stream.flush()
                time.sleep(pause)
    return script


@pytest.mark.parametrize("script", [trickle("220"), trickle("220-still greeting\r\n", pause=0.02)],
                         ids=["a-byte-at-a-time", "endless-lines"])
def test_a_server_that_answers_without_ever_finishing_times_out(made: commands.Made, script: Any) -> None:
    """The timeout bounded each read only: a server sending its greeting a byte at a time, or a greeting of lines
    that never end it, held the send (and the deploy job) forever. Each answer is now due within the timeout."""
    with scripted_server(script) as port, pytest.raises(MailError) as error:
        start = time.monotonic()
        smtp.send(made.message, quick(port, SMTP_SECURITY="none"))
    assert time.monotonic() - start < 2
    assert str(error.value).startswith(f"127.0.0.1:{port} sent no greeting within 0.5 seconds (--timeout)")


def flood(first: str, lines: int = 3_000) -> Callable[[Any, Callable[[str], None]], None]:
    """A script that answers the first command with ``first`` if given (greets with it if ``first`` is not a greeting),
    then sends ``lines`` continuation lines of 100 bytes at once, never the last one."""
    def script(stream: Any, say: Callable[[str], None]) -> None:
        if first:
            say(first)
            stream.readline()
        code = "250" if first else "220"
        stream.write(f"{code}-{'a' * 94}\r\n".encode() * lines)
        stream.flush()
        stream.readline()  # until the client hangs up
    return script


@pytest.mark.parametrize(("script", "said"), [
    (flood(""), "sent a greeting"),
    (flood("220 flood.example ESMTP"), "sent an answer to our greeting (EHLO)"),
], ids=["greeting", "ehlo"])
def test_an_answer_of_lines_without_end_is_cut_short_not_kept(made: commands.Made, script: Any, said: str) -> None:
    """smtplib keeps every line of an answer until the last: a server sending lines without end as fast as it could
    took 2.4 GB in 5 s (and a deploy job's whole memory within the timeout of 30 s)."""
    with scripted_server(script) as port, pytest.raises(MailError) as error:
        start = time.monotonic()
        smtp.send(made.message, settings(port, SMTP_SECURITY="none"))
    assert time.monotonic() - start < 2
    assert str(error.value) == (f"127.0.0.1:{port} {said} of more than 100,000 bytes without its last line (a mail"
                                " server's has a few hundred): not a mail server? Check SMTP_HOST and SMTP_PORT")


@pytest.mark.parametrize(("greeting", "said"), [
    ("", "sent a greeting"),
    ("220 long.example ESMTP", "sent an answer to our greeting (EHLO)"),
], ids=["greeting", "ehlo"])
def test_a_line_too_long_is_the_servers_not_a_refusal(made: commands.Made, greeting: str, said: str) -> None:
    """A line past smtplib's 8,192 bytes was told as the server's refusal: "refused the connection: 500 Line too long.
    (permanent)", an answer smtplib made up."""
    def script(stream: Any, say: Callable[[str], None]) -> None:
        if greeting:
            say(greeting)
            stream.readline()
        say(f"{'250' if greeting else '220'} {'a' * 9000}")
        stream.readline()  # until the client hangs up

    with scripted_server(script) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, settings(port, SMTP_SECURITY="none"))
    assert str(error.value) == (f"127.0.0.1:{port} {said} with a line of more than 8,192 bytes (a mail server's lines"
                                " have at most 512): not a mail server? Check SMTP_HOST and SMTP_PORT")


def test_a_timeout_of_one_second_is_said_in_the_singular(made: commands.Made) -> None:
    with scripted_server(trickle("220", lasting=2)) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, replace(settings(port, SMTP_SECURITY="none"), timeout=1))
    assert f"127.0.0.1:{port} sent no greeting within 1 second (--timeout)" in str(error.value)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_host_name_lookup_that_hangs_ends_within_the_timeout(made: commands.Made, monkeypatch: pytest.MonkeyPatch,
                                                                security: str) -> None:
    """smtplib's lookup of SMTP_HOST waited for the name servers past --timeout: 30 s with --timeout 2 (glibc's
    timeout:10 attempts:3, a name server that does not answer)."""
    import threading

    real, released = socket.getaddrinfo, threading.Event()

    def stuck(host: str, *args: Any, **kwargs: Any) -> Any:
        flags = kwargs.get("flags", args[4] if len(args) > 4 else 0)
        if host != "smtp.stuck.invalid" or flags & socket.AI_NUMERICHOST:
            return real(host, *args, **kwargs)
        released.wait(5)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    start = time.monotonic()
    try:
        with pytest.raises(MailError) as error:
            smtp.send(made.message, quick(587, SMTP_HOST="smtp.stuck.invalid", SMTP_SECURITY=security))
    finally:
        released.set()
    assert time.monotonic() - start < 2
    assert str(error.value) == (f"cannot connect to smtp.stuck.invalid:587 ({security}): the host name lookup of"
                                " smtp.stuck.invalid took more than 0.5 seconds (--timeout)")


@pytest.mark.parametrize(("code", "reason", "said"), [
    (socket.EAI_NONAME, "Name or service not known", "cannot be resolved (Name or service not known); check SMTP_HOST"),
    (socket.EAI_AGAIN, "Temporary failure in name resolution",
     "cannot be resolved (Temporary failure in name resolution)"),
])
def test_a_host_name_that_does_not_resolve_is_named(made: commands.Made, monkeypatch: pytest.MonkeyPatch, code: int,
                                                    reason: str, said: str) -> None:
    """It was "cannot send through smtp.missing.invalid:587 (starttls): [Errno -2] Name or service not known"."""
    def missing(host: str, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(code, reason)

    monkeypatch.setattr(socket, "getaddrinfo", missing)
    with pytest.raises(MailError) as error:
        smtp.send(made.message, quick(587, SMTP_HOST="smtp.missing.invalid"))
    assert str(error.value) == ("cannot connect to smtp.missing.invalid:587 (starttls): the host name"
                                f" smtp.missing.invalid {said}")


def test_a_message_saved_over_an_old_one_replaces_it_and_leaves_no_scratch(week_site: Path, tmp_path: Path) -> None:
    """--out writes by a rename from a scratch file beside the target (never half written); none is left."""
    out = tmp_path / "saved"
    out.mkdir()
    (out / "issue.eml").write_bytes(b"an older message")
    result = digest("email", "--out", str(out / "issue.eml"), cwd=week_site, env=clean_env())
    assert result.returncode == 0, result.stderr
    assert [path.name for path in out.iterdir()] == ["issue.eml"]
    saved = (out / "issue.eml").read_bytes()
    assert saved.startswith(b"Subject: ") and b"an older message" not in saved
    refused = digest("email", "--out", str(out), cwd=week_site, env=clean_env())  # a folder: said, nothing lost
    assert refused.returncode == 1 and refused.stderr.startswith(f"Error: {out}: cannot write: ")
    assert [path.name for path in out.iterdir()] == ["issue.eml"]


def conversation(answers: dict[str, str], stall: str = "") -> Callable[[Any, Callable[[str], None]], None]:
    """A script that greets and answers each command by its verb (``answers``; 250 for the others, the message's end
    by ``"."``), and goes silent at the verb ``stall`` (``"greeting"``: before greeting)."""
    def script(stream: Any, say: Callable[[str], None]) -> None:
        if stall == "greeting":
            stream.readline()  # until the client hangs up
            return
        say("220 broken.example ESMTP")
        while line := stream.readline():
            verb = line.decode("latin-1").split()[0].upper() if line.strip() else ""
            if verb == stall:
                stream.readline()
                return
            if verb == "DATA":
                say("354 Go ahead")
                while (line := stream.readline()) not in (b".\r\n", b""):
                    pass
                verb = "."
                if stall == ".":
                    stream.readline()
                    return
            if verb == "EHLO" and verb not in answers:
                say("250-broken.example")
                say("250 STARTTLS")
            else:
                say(answers.get(verb, "235 2.7.0 Accepted" if verb == "AUTH" else "250 OK"))
            if verb == "QUIT":
                return
    return script


@pytest.mark.parametrize(("stall", "security", "said"), [
    ("greeting", "none", "sent no greeting within 0.5 seconds (--timeout); a server that speaks TLS from the first"
                         " byte (as on port 465) waits in silence for it: is SMTP_SECURITY=tls its setting?"),
    ("EHLO", "none", "did not answer our greeting (EHLO) within 0.5 seconds (--timeout)"),
    ("STARTTLS", "starttls", "did not answer STARTTLS within 0.5 seconds (--timeout)"),
    (".", "none", "did not confirm the message within 0.5 seconds (--timeout); it may have been delivered all the"
                  " same"),
])
def test_a_server_that_stalls_is_named_with_the_step_it_stalled_at(made: commands.Made, stall: str, security: str,
                                                                   said: str) -> None:
    """A stalled server was "Connection unexpectedly closed: timed out", which says neither that the server was
    waited for nor at which step, nor that a server on the implicit-TLS port waits for TLS in silence."""
    with scripted_server(conversation({}, stall)) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port, SMTP_SECURITY=security))
    assert str(error.value) == f"127.0.0.1:{port} {said}"


@pytest.mark.parametrize(("answers", "said"), [
    ({"EHLO": "554 5.7.1 Your address is blocked"},
     "refused our greeting (EHLO): 554 5.7.1 Your address is blocked (permanent)"),
    ({"STARTTLS": "454 4.7.0 TLS not available"},
     "refused STARTTLS: 454 4.7.0 TLS not available (temporary: try again later; the deploy workflow's next run does)"),
    ({"EHLO": "502 5.5.1 Unrecognized command", "HELO": "421 4.7.0 Too busy"},
     "refused our greeting (HELO): 421 4.7.0 Too busy (temporary: try again later; the deploy workflow's next run"
     " does)"),
])
def test_a_refusal_before_the_message_names_what_was_refused(made: commands.Made, answers: dict[str, str],
                                                             said: str) -> None:
    """Every refusal but the sender's and the recipients' was "refused the message", a refused EHLO or STARTTLS too."""
    with scripted_server(conversation(answers)) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port))
    assert str(error.value) == f"127.0.0.1:{port} {said}"


@pytest.mark.parametrize(("answers", "stall"), [({"QUIT": "500 5.5.1 Unrecognized command"}, ""), ({}, "QUIT")],
                         ids=["refused", "unanswered"])
def test_a_message_accepted_is_sent_whatever_the_answer_to_quit(made: commands.Made, answers: dict[str, str],
                                                                 stall: str) -> None:
    """A server that accepted the message and then answered QUIT with anything but 221 failed the send ("refused the
    message: 500 …"): the issue was not recorded, and the next run mailed it to every reader again."""
    with scripted_server(conversation(answers, stall)) as port:
        refused = smtp.send(made.message, quick(port, SMTP_SECURITY="none"))
    assert refused == {}


@pytest.mark.parametrize(("answers", "said"), [
    ({"MAIL": "451 4.3.0 Try again later"}, "refused the sender digest@example.org: 451 4.3.0 Try again later"
                                            " (temporary: try again later; the deploy workflow's next run does)"),
    ({"RCPT": "550 5.1.1 No such user"}, "refused every recipient (reader@example.org: 550 5.1.1 No such user;"
                                         " second@example.org: 550 5.1.1 No such user) (permanent: check the"
                                         " addresses of MAIL_TO)"),
    ({".": "552 5.3.4 Message size exceeds fixed limit"},
     "refused the message: 552 5.3.4 Message size exceeds fixed limit (permanent: the message is {size} bytes,"
     " over the server's limit)"),
    ({"AUTH": "535 5.7.8 Authentication credentials invalid"},
     "refused the login of 'digest': 535 5.7.8 Authentication credentials invalid (permanent: check SMTP_USERNAME"
     " and SMTP_PASSWORD)"),
])
def test_a_refusal_says_whether_it_is_temporary_or_permanent(made: commands.Made, answers: dict[str, str],
                                                             said: str) -> None:
    """A 451 "try again later" and a 550 read alike: nothing said whether sending again could work, nor, for a
    permanent refusal, what to change."""
    def with_login(stream: Any, say: Callable[[str], None]) -> None:
        conversation({"EHLO": "250-broken.example\r\n250 AUTH PLAIN", **answers})(stream, say)

    with scripted_server(with_login) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port, SMTP_SECURITY="none", SMTP_USERNAME="digest", SMTP_PASSWORD=PASSWORD))
    size = f"{len(made.message.as_bytes()):,}"
    assert str(error.value) == f"127.0.0.1:{port} " + said.format(size=size)


def test_a_message_over_the_servers_size_limit_is_not_called_a_refused_sender(made: commands.Made) -> None:
    """A server announcing SIZE refuses a message too big at MAIL FROM (552): that read "refused the sender …
    (permanent: MAIL_FROM must be an address this server lets you send from)"."""
    inbox = Inbox()
    with smtp_server(inbox, data_size_limit=2000) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, settings(port, SMTP_SECURITY="none"))
    assert str(error.value).startswith(f"127.0.0.1:{port} refused the message: 552 ")
    assert str(error.value).endswith(f"(permanent: the message is {len(made.message.as_bytes()):,} bytes, over the"
                                     " server's limit of 2,000 bytes)")
    assert inbox.envelopes == []


class SmallInbox(Inbox):
    """A server that takes at most two recipients in one message, as Gmail takes a hundred: 452 for the others."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if len(envelope.rcpt_tos) >= 2:
            return "452 4.5.3 Too many recipients"
        return await super().handle_RCPT(server, session, envelope, address, options)


def test_recipients_past_what_a_server_takes_in_one_message_get_it_in_the_next(made: commands.Made) -> None:
    """A server taking N recipients a message answers 452 for the others: they were warned about ("refused …: 452")
    and never had the issue, every issue. They get it in another message of the same connection now."""
    inbox = SmallInbox()
    readers = [f"reader{number}@example.org" for number in range(5)]
    with smtp_server(inbox) as port:
        refused = smtp.send(made.message, settings(port, SMTP_SECURITY="none",
                                                   MAIL_TO=",".join([*readers, "gone@refused.example"])))
    assert refused == {"gone@refused.example": "550 5.1.1 No such user here"}
    assert [envelope.rcpt_tos for envelope in inbox.envelopes] == [readers[:2], readers[2:4], readers[4:]]


def test_a_recipient_refused_among_others_accepted_is_told_what_it_means(week_site: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none",
                        MAIL_FROM="digest@example.org", MAIL_TO="gone@refused.example, reader@example.org")
        result = digest("email", "--send", cwd=week_site, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"Warning: 127.0.0.1:{port} refused gone@refused.example: 550 5.1.1 No such user here"
                             " (permanent: correct the address in MAIL_TO, or take it out)\n")
    assert inbox.envelopes[0].rcpt_tos == ["reader@example.org"]


def test_addresses_with_a_domain_beyond_ascii_are_sent_in_its_ascii_form(made: commands.Made,
                                                                         week_site: Path) -> None:
    """``a@bücher.example`` failed against every server without SMTPUTF8 (smtplib refuses to send it as written);
    its ASCII form (``xn--bcher-kva``) goes anywhere. A refusal names the address as MAIL_TO has it (the deploy
    workflow masks that form in its log)."""
    inbox = Inbox()
    idn = "xn--bcher-kva.example"
    with smtp_server(inbox, enable_SMTPUTF8=False) as port:
        sender = mail_settings.smtp_settings({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_SECURITY": "none",
                                     "MAIL_FROM": "Digest <digest@bücher.example>",
                                     "MAIL_TO": "reader@bücher.example, reader@example.org"}, timeout=5)
        message = commands.make_message(archive_of(week_site), sender=sender.from_header).message
        assert smtp.send(message, sender) == {}
    envelope = inbox.envelopes[0]
    assert (envelope.mail_from, envelope.rcpt_tos) == (f"digest@{idn}", [f"reader@{idn}", "reader@example.org"])
    assert parse(envelope.original_content)["From"] == f"Digest <digest@{idn}>"
    with scripted_server(conversation({"RCPT": "550 5.1.1 No such user"})) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port, SMTP_SECURITY="none", MAIL_TO="reader@bücher.example"))
    assert "(reader@bücher.example: 550 5.1.1 No such user)" in str(error.value)
    with pytest.raises(MailError) as error:
        settings(1, MAIL_TO="jösé@example.org")
    assert str(error.value) == ("MAIL_TO holds 'jösé@example.org': an address with letters beyond ASCII before the @"
                                " needs mail servers all along the way to take it (SMTPUTF8); it is not supported")


def test_recipients_may_come_with_their_names_as_an_address_book_writes_them(week_site: Path) -> None:
    """"Ann Reader <reader@example.org>" in MAIL_TO was "not an e-mail address", and a quoted name with a comma
    ("Doe, John" <…>) was cut in two at it. Names are allowed now (and not used: recipients get Bcc)."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none",
                        MAIL_FROM="digest@example.org",
                        MAIL_TO='Ann Reader <reader@example.org>, "Doe, John" <second@example.org>, reader@example.org,'
                                " Gone <gone@refused.example>")
        result = digest("email", "--send", cwd=week_site, env=env)
    assert result.returncode == 0, result.stderr
    assert f"to 2 recipients through 127.0.0.1:{port}" in result.stdout
    assert result.stderr.startswith(f"Warning: 127.0.0.1:{port} refused Gone <gone@refused.example>: 550 ")
    envelope = inbox.envelopes[0]
    assert envelope.rcpt_tos == ["reader@example.org", "second@example.org"]
    assert b"Ann Reader" not in envelope.original_content and b"Doe" not in envelope.original_content
    with pytest.raises(MailError) as error:
        settings(1, MAIL_TO="reader@example.org; second@example.org")
    assert str(error.value).endswith("(addresses are separated by commas)")


def test_a_login_set_for_a_server_that_offers_none_says_what_to_change(made: commands.Made) -> None:
    """It was "cannot send through …: SMTP AUTH extension not supported by server.", smtplib's words."""
    inbox = Inbox()
    with smtp_server(inbox) as port, pytest.raises(MailError) as error:  # aiosmtpd offers AUTH over TLS only
        smtp.send(made.message, settings(port, SMTP_SECURITY="none", SMTP_USERNAME="digest", SMTP_PASSWORD=PASSWORD))
    assert str(error.value) == (f"127.0.0.1:{port} offers no login (no AUTH in its answer to EHLO), and SMTP_USERNAME"
                                " is set: unset SMTP_USERNAME and SMTP_PASSWORD if this server takes mail without"
                                " one; else check SMTP_HOST and SMTP_PORT (a provider's submission port, 587 or 465,"
                                " offers the login)")
    assert inbox.envelopes == []


def test_a_refusal_quoting_a_recipient_shows_it_as_mail_to_has_it(made: commands.Made) -> None:
    """A server's refusal quotes the address it was sent: for ``a@bücher.example``, its ASCII form, which the deploy
    workflow's masks (of MAIL_TO as written) do not hide in a public log."""
    def echoing(stream: Any, say: Callable[[str], None]) -> None:
        say("220 echo.example ESMTP")
        while line := stream.readline().decode():
            verb = line.split()[0].upper()
            if verb == "RCPT":
                say(f"550 5.1.1 {line.split(':', 1)[1].strip().upper()}: Recipient address rejected")
            elif verb == "QUIT":
                say("221 Bye")
                return
            else:
                say("250 OK")

    with scripted_server(echoing) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port, SMTP_SECURITY="none", MAIL_TO="Ann <reader@bücher.example>"))
    assert str(error.value) == (f"127.0.0.1:{port} refused every recipient (Ann <reader@bücher.example>: 550 5.1.1"
                                " <reader@bücher.example>: Recipient address rejected) (permanent: check the addresses"
                                " of MAIL_TO)")


@pytest.mark.parametrize(("hang_up_at", "said"), [
    ("greeting", "closed the connection before its greeting"),
    ("RCPT", "closed the connection at a recipient (RCPT TO)"),
])
def test_a_server_that_hangs_up_is_named_with_the_step(made: commands.Made, hang_up_at: str, said: str) -> None:
    """It was "cannot send through …: Connection unexpectedly closed", which said nothing of when."""
    def hanging_up(stream: Any, say: Callable[[str], None]) -> None:
        if hang_up_at != "greeting":
            say("220 rude.example ESMTP")
            while (line := stream.readline().decode()) and not line.upper().startswith(hang_up_at):
                say("250 OK")

    with scripted_server(hanging_up) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port, SMTP_SECURITY="none"))
    assert str(error.value) == f"127.0.0.1:{port} {said}"


def test_a_port_that_is_not_a_mail_servers_says_so(made: commands.Made) -> None:
    """SMTP_PORT pointing at another service (SSH on 22) was "refused the connection: -1 2.0-OpenSSH_9.6"."""
    def ssh(stream: Any, say: Callable[[str], None]) -> None:
        say("SSH-2.0-OpenSSH_9.6")
        stream.readline()

    with scripted_server(ssh) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port, SMTP_SECURITY="none"))
    assert str(error.value) == (f"127.0.0.1:{port} does not answer as a mail server does (it said '…2.0-OpenSSH_9.6'):"
                                " check SMTP_HOST and SMTP_PORT")


def test_a_server_that_knows_no_ehlo_is_greeted_with_helo(made: commands.Made) -> None:
    with scripted_server(conversation({"EHLO": "502 5.5.1 Unrecognized command"})) as port:
        assert smtp.send(made.message, quick(port, SMTP_SECURITY="none")) == {}


def test_a_failed_tls_handshake_says_which_security_setting_to_try(made: commands.Made) -> None:
    """``tls`` against a server that speaks plain text first, and a STARTTLS whose handshake fails, were an OpenSSL
    message only ("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")."""
    inbox = Inbox()
    with smtp_server(inbox) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port, SMTP_SECURITY="tls"))
    assert str(error.value).startswith(f"127.0.0.1:{port}: the TLS handshake failed (")
    assert str(error.value).endswith("): does the server speak plain text first? Ports 587 and 25 do, and upgrade "
                                     "with STARTTLS: SMTP_SECURITY=starttls")

    def garbage_after_starttls(stream: Any, say: Callable[[str], None]) -> None:
        conversation({"STARTTLS": "220 Go ahead\r\nthis is no TLS at all"})(stream, say)

    with scripted_server(garbage_after_starttls) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, quick(port))
    assert str(error.value).startswith(f"127.0.0.1:{port}: the TLS handshake after STARTTLS failed (")
    assert str(error.value).endswith("); nothing was sent")
    assert inbox.envelopes == []


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_server_echoing_the_login_does_not_show_the_password_in_base64(made: commands.Made, mechanism: str) -> None:
    """A server quoting the AUTH line it refused showed the password base64-encoded, as the client sent it (which
    GitHub does not mask in a run's log): every base64 word that holds the password is masked now."""
    import base64

    with echoing_server(mechanism) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, settings(port, SMTP_SECURITY="none", SMTP_USERNAME="digest", SMTP_PASSWORD=PASSWORD))
    shown = str(error.value)
    assert shown.startswith(f"127.0.0.1:{port} refused the login of 'digest': 535 5.7.8 Authentication failed: AUTH ")
    assert "********" in shown
    encoded = [base64.b64encode(f"\0digest\0{PASSWORD}".encode()), base64.b64encode(PASSWORD.encode())]
    words = [word for text in encoded for word in (text.decode(), text.decode().rstrip("="))]
    assert [word for word in words if word in shown] == []
    assert PASSWORD not in shown
    spaced = mail_settings.smtp_settings({"SMTP_HOST": "h", "MAIL_FROM": "a@example.org", "MAIL_TO": "b@example.org",
                                 "SMTP_USERNAME": "u", "SMTP_PASSWORD": "two  spaces"})
    assert smtp._answer(535, b"bad password two  spaces", spaced) == "535 bad password ********"


def test_a_server_without_starttls_is_not_sent_plain_text(made: commands.Made) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, settings(port))  # starttls, the default
    assert str(error.value).startswith(f"127.0.0.1:{port} does not offer STARTTLS: refusing to send in plain text")
    assert inbox.envelopes == []


def test_refusals_are_errors_naming_the_servers_answer(made: commands.Made) -> None:
    with smtp_server(Inbox(refuse_data=True)) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, settings(port, SMTP_SECURITY="none"))
    assert str(error.value) == (f"127.0.0.1:{port} refused the message: 550 5.7.1 Message refused by policy"
                                " (permanent: sending it again will not help)")
    with smtp_server(Inbox()) as port, pytest.raises(MailError) as error:
        smtp.send(made.message, settings(port, SMTP_SECURITY="none", MAIL_TO="a@refused.example"))
    assert str(error.value) == (f"127.0.0.1:{port} refused every recipient "
                                "(a@refused.example: 550 5.1.1 No such user here)"
                                " (permanent: check the addresses of MAIL_TO)")
    inbox = Inbox()
    with smtp_server(inbox) as port:
        refused = smtp.send(made.message, settings(port, SMTP_SECURITY="none",
                                                    MAIL_TO="b@refused.example,reader@example.org"))
    assert refused == {"b@refused.example": "550 5.1.1 No such user here"}
    assert inbox.envelopes[0].rcpt_tos == ["reader@example.org"]


def test_a_closed_port_fails_in_one_line(made: commands.Made) -> None:
    port = free_port()
    with pytest.raises(MailError) as error:
        smtp.send(made.message, settings(port, SMTP_SECURITY="none"))
    assert str(error.value).startswith(f"cannot send through 127.0.0.1:{port} (none): ")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("port", ["\u00b2", "\u0662\u0665"], ids=["superscript-two", "arabic-indic-25"])
def test_an_smtp_port_of_digits_that_are_not_ascii_is_refused(port: str) -> None:
    # "²" is a digit to str.isdigit(), not to int(): it was a traceback; "٢٥" was taken for port 25.
    with pytest.raises(MailError) as error:
        mail_settings.smtp_settings({"SMTP_HOST": "smtp.example.org", "SMTP_PORT": port, "MAIL_FROM": "a@example.org",
                            "MAIL_TO": "b@example.org"})
    assert str(error.value) == f"SMTP_PORT must be a port number (1-65535), not {port!r}"


def test_missing_and_wrong_settings_are_all_reported(week_site: Path) -> None:
    result = digest("email", "--send", cwd=week_site, env=clean_env(SMTP_PASSWORD=PASSWORD))
    assert result.returncode == 1
    assert result.stderr == (
        'Error: --send needs the environment variables SMTP_HOST, MAIL_FROM, MAIL_TO (README, "Email edition")\n'
        "Error: SMTP_USERNAME and SMTP_PASSWORD go together: set both (to log in) or neither\n")
    with pytest.raises(MailError) as error:
        mail_settings.smtp_settings({"SMTP_HOST": "smtp.example.org", "SMTP_PORT": "99999", "SMTP_SECURITY": "ssl",
                            "MAIL_FROM": "Digest <a@example.org>, b@example.org",
                            "MAIL_TO": "b@example.org, not-an-address",
                            "SMTP_CA_FILE": "/nonexistent/ca.pem"})
    assert str(error.value).splitlines() == [
        "SMTP_SECURITY must be starttls, tls or none, not 'ssl'",
        "SMTP_PORT must be a port number (1-65535), not '99999'",
        "SMTP_CA_FILE names /nonexistent/ca.pem, which is not a file",
        "MAIL_FROM holds 'Digest <a@example.org>, b@example.org', which is not an e-mail address such as "
        "digest@example.org or Paper Digest <digest@example.org>",
        "MAIL_TO holds 'not-an-address', which is not an e-mail address such as digest@example.org",
    ]
    defaults = mail_settings.smtp_settings({"SMTP_HOST": "smtp.example.org", "MAIL_FROM": "a@example.org",
                                   "MAIL_TO": "b@example.org", "SMTP_PASSWORD": PASSWORD, "SMTP_USERNAME": "u"})
    assert (defaults.port, defaults.security) == (587, "starttls")
    assert PASSWORD not in repr(defaults)


def test_send_with_a_record_mails_each_issue_once(week_site: Path, tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(week_site, project)
    record = project / "data" / "mailed.txt"
    inbox = Inbox()
    with smtp_server(inbox) as port:
        env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none",
                        MAIL_FROM="digest@example.org", MAIL_TO="reader@example.org")
        first = digest("email", "--send", "--record", str(record), cwd=project, env=env)
        again = digest("email", "--send", "--record", str(record), cwd=project, env=env)
        write_next = project / "data" / "issues"
        from tests.email_fixture import write_issue

        write_issue(write_next, "2026-11-28", 2, start=40)
        write_issue(write_next, "2026-11-29", 3, start=50)
        write_issue(write_next, "2026-11-20", 1, start=60)  # a late issue of an older date: never mailed
        later = digest("email", "--send", "--record", str(record), cwd=project, env=env)
    assert first.returncode == again.returncode == later.returncode == 0, first.stderr + later.stderr
    assert first.stdout.startswith("Sent 2026-11-27 (20 of 20 papers) to 1 recipient")
    assert again.stdout == f"Nothing to send: the newest issue was mailed already ({record}).\n"
    assert [line.split(" (")[0] for line in later.stdout.splitlines()] == ["Sent 2026-11-28", "Sent 2026-11-29"]
    assert [parse(each.original_content)["Subject"] for each in inbox.envelopes] == [
        "Paper Digest — 2026-11-27", "Paper Digest — 2026-11-28", "Paper Digest — 2026-11-29"]
    assert read_record(record) == ["2026-11-27", "2026-11-28", "2026-11-29"]
    assert record.read_text(encoding="utf-8").startswith("# The issues of the email edition already mailed")


def test_reserve_records_the_issues_due_sends_nothing_and_prints_their_dates(week_site: Path, tmp_path: Path) -> None:
    """The deploy workflow saves the record before it sends (``--reserve``), then sends each issue by its date: a
    record that cannot be saved afterwards must not make the next run mail the issue again."""
    project = tmp_path / "site"
    shutil.copytree(week_site, project)
    record = project / "data" / "mailed.txt"
    inbox = Inbox()
    with smtp_server(inbox) as port:  # a server to send to, were anything sent
        env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none",
                        MAIL_FROM="digest@example.org", MAIL_TO="reader@example.org")
        first = digest("email", "--reserve", "--record", str(record), cwd=project, env=env)
        again = digest("email", "--reserve", "--record", str(record), cwd=project, env=env)
        from tests.email_fixture import write_issue

        write_issue(project / "data" / "issues", "2026-11-28", 2, start=40)
        write_issue(project / "data" / "issues", "2026-11-29", 3, start=50)
        later = digest("email", "--reserve", "--record", str(record), cwd=project, env=env)
        sent = digest("email", "--send", "--record", str(record), cwd=project, env=env)
    assert first.returncode == again.returncode == later.returncode == sent.returncode == 0, first.stderr
    assert (first.stdout, first.stderr) == ("2026-11-27\n", "")  # the dates alone: a script reads them
    assert again.stdout == "" and again.stderr == f"Nothing to send: the newest issue was mailed already ({record}).\n"
    assert later.stdout == "2026-11-28\n2026-11-29\n"
    assert read_record(record) == ["2026-11-27", "2026-11-28", "2026-11-29"]
    assert inbox.envelopes == [] and sent.stdout.startswith("Nothing to send")


def test_reserve_goes_with_record_alone_and_records_nothing_of_a_site_it_could_not_mail(
    week_site: Path, tmp_path: Path
) -> None:
    record = tmp_path / "mailed.txt"
    for extra in (["--send"], ["--out", "x.eml"], ["--date", "2026-11-27"], ["--week", "2026-W48"]):
        result = digest("email", "--reserve", "--record", str(record), *extra, cwd=week_site)
        assert result.returncode == 2 and "--reserve goes with --record alone" in result.stderr, extra
    result = digest("email", "--reserve", cwd=week_site)
    assert result.returncode == 2 and "--reserve goes with --record alone" in result.stderr
    project = tmp_path / "site"
    shutil.copytree(week_site, project)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(re.sub(r"(?m)^site_url:.*$", "site_url: /digest/", config), encoding="utf-8")
    result = digest("email", "--reserve", "--record", str(record), cwd=project, env=clean_env())
    assert result.returncode == 1 and "site_url' must be an absolute http(s) URL" in result.stderr
    assert result.stdout == "" and not record.exists()


def test_a_failed_send_records_nothing(week_site: Path, tmp_path: Path) -> None:
    record = tmp_path / "mailed.txt"
    with smtp_server(Inbox(refuse_data=True)) as port:
        env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none",
                        MAIL_FROM="digest@example.org", MAIL_TO="reader@example.org")
        result = digest("email", "--send", "--record", str(record), cwd=week_site, env=env)
    assert result.returncode == 1
    assert result.stderr == (f"Error: 127.0.0.1:{port} refused the message: 550 5.7.1 Message refused by policy"
                             " (permanent: sending it again will not help)\n")
    assert not record.exists()


@pytest.mark.checker
def test_the_nu_checker_finds_no_error_in_the_html_part(newest: EmailMessage, big_site: Path, tmp_path: Path) -> None:
    """Errors only: the table attributes mail clients still need (width, cellpadding, align) are "obsolete" warnings."""
    trimmed = parse(message_bytes(commands.make_message(archive_of(big_site)).message))
    pages = []
    for name, message in (("newest", newest), ("trimmed", trimmed)):
        page = tmp_path / f"{name}.html"
        page.write_text(parts(message)[1], encoding="utf-8")
        pages.append(page)
    errors = nu_check(pages, tmp_path)
    assert not errors, "the Nu HTML checker found errors:\n" + "\n".join(errors)


def test_a_record_that_could_not_be_written_stops_the_send_before_anything_is_sent(
    week_site: Path, tmp_path: Path
) -> None:
    """A typo in the workflow's record path (a missing folder) sent the issue, then failed to record it: every
    scheduled run mailed everyone again. Now nothing is sent."""
    inbox = Inbox()
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with smtp_server(inbox) as port:
        env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SECURITY="none",
                        MAIL_FROM="digest@example.org", MAIL_TO="reader@example.org")
        missing = digest("email", "--send", "--record", str(tmp_path / "nodir" / "mailed.txt"), cwd=week_site, env=env)
        a_folder = digest("email", "--send", "--record", str(folder), cwd=week_site, env=env)
    assert missing.returncode == a_folder.returncode == 1
    assert missing.stderr == (f"Error: {tmp_path / 'nodir' / 'mailed.txt'}: cannot record the mailed issues there "
                              f"(there is no folder {tmp_path / 'nodir'}); nothing sent\n")
    assert a_folder.stderr == f"Error: {folder}: cannot record the mailed issues there (it is a folder); nothing sent\n"
    assert inbox.envelopes == [] and missing.stdout == a_folder.stdout == ""


def test_a_recipient_list_of_commas_and_a_bracketed_ipv6_host() -> None:
    """MAIL_TO=", ," passed, connected, then "refused every recipient ()"; SMTP_HOST=[::1] passed the loopback check,
    then failed to resolve."""
    base = {"SMTP_HOST": "127.0.0.1", "MAIL_FROM": "a@example.org", "SMTP_SECURITY": "none"}
    with pytest.raises(MailError) as error:
        mail_settings.smtp_settings({**base, "MAIL_TO": ", ,"})
    assert str(error.value) == "MAIL_TO holds no address (', ,'): give one or more, separated by commas"
    assert mail_settings.smtp_settings({**base, "MAIL_TO": "b@example.org", "SMTP_HOST": "[::1]"}).host == "::1"


def test_a_record_edited_by_hand_without_its_last_line_end_keeps_each_key_on_its_own_line(tmp_path: Path) -> None:
    """A record whose last line had lost its line end (edited by hand, as README invites) got the next key glued to
    it ("2026-11-302026-12-02"): neither was a date any more, and the next run mailed the newest issue again."""
    record = tmp_path / "mailed.txt"
    record.write_text("2026-11-30", encoding="utf-8")
    add_to_record(record, "2026-12-02")
    assert read_record(record) == ["2026-11-30", "2026-12-02"]
    issues = [Issue(dt.date(2026, 12, 2)), Issue(dt.date(2026, 11, 30))]
    assert due(issues, read_record(record)) == []


def test_an_issue_that_changed_is_mailed_with_another_message_id(week_site: Path, tmp_path: Path) -> None:
    """The Message-ID was made from the site and the date only: an issue mailed again after a second fetch added
    papers (README: delete its line of the record) had the Message-ID of the first message, and Gmail, which drops a
    message whose Message-ID the mailbox has already, never showed it. The same message keeps its Message-ID."""
    project = tmp_path / "site"
    shutil.copytree(week_site, project)
    first = commands.make_message(archive_of(project)).message["Message-ID"]
    assert commands.make_message(archive_of(project)).message["Message-ID"] == first
    from tests.email_fixture import write_issue

    second = project / "data" / "issues" / "second"  # a second fetch of the same day
    second.mkdir()
    write_issue(second, "2026-11-27", 2, start=80)
    grown = commands.make_message(archive_of(project))
    assert grown.edition.key == "2026-11-27" and grown.edition.paper_count == 22
    assert grown.message["Message-ID"] != first
    assert re.fullmatch(r"<digest\.2026-11-27\.[0-9a-f]{16}@digest\.example\.org>", grown.message["Message-ID"])


def test_a_record_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A record written on Windows (Notepad's "UTF-8 with BOM", PowerShell's Out-File) had its first key read as
    "\\ufeff2026-12-02", no date: the newest issue, recorded there, was mailed again."""
    record = tmp_path / "mailed.txt"
    record.write_bytes(b"\xef\xbb\xbf2026-12-02\r\n")
    assert read_record(record) == ["2026-12-02"]
    assert due([Issue(dt.date(2026, 12, 2)), Issue(dt.date(2026, 11, 30))], read_record(record)) == []


def test_a_record_saved_as_utf16_is_read_and_recorded_to_as_utf8(tmp_path: Path) -> None:
    """Windows PowerShell 5's Out-File (and >) writes UTF-16: every send stopped with "cannot read the record of mailed
    issues: 'utf-8' codec can't decode byte 0xff in position 0"; and UTF-8 appended to UTF-16 is read by neither."""
    record = tmp_path / "mailed.txt"
    record.write_bytes("2026-11-30\r\n".encode("utf-16"))
    assert read_record(record) == ["2026-11-30"]
    add_to_record(record, "2026-12-02")
    assert record.read_bytes() == b"2026-11-30\r\n2026-12-02\n"
    assert read_record(record) == ["2026-11-30", "2026-12-02"]
    record.write_bytes(b"2026-11-30\n\xff2026-12-02\n")
    with pytest.raises(MailError) as error:
        read_record(record)
    assert str(error.value) == (f"{record}: cannot read the record of mailed issues: not UTF-8 text (invalid start"
                                " byte at byte 11)")


def test_a_host_given_with_its_port_is_an_error_naming_both_settings() -> None:
    """SMTP_HOST=smtp.example.org:587, as mail providers write it, failed at the connection with "cannot send through
    smtp.example.org:587:587 (starttls): Name or service not known" (and 127.0.0.1:8025 was "not a loopback
    address"): now the setting is named with what goes where."""
    base = {"MAIL_FROM": "a@example.org", "MAIL_TO": "b@example.org"}
    cases = (("smtp.example.org:587", "smtp.example.org", "587", "starttls"),
             ("127.0.0.1:8025", "127.0.0.1", "8025", "none"), ("[::1]:25", "[::1]", "25", "none"))
    for host, bare, port, security in cases:
        with pytest.raises(MailError) as error:
            mail_settings.smtp_settings({**base, "SMTP_HOST": host, "SMTP_SECURITY": security})
        assert str(error.value) == (f"SMTP_HOST holds {host!r}, a host and a port: give the host alone ({bare!r})"
                                    f" and the port in SMTP_PORT ({port!r})")
    assert mail_settings.smtp_settings({**base, "SMTP_HOST": "::1", "SMTP_SECURITY": "none"}).host == "::1"
    assert mail_settings.smtp_settings({**base, "SMTP_HOST": "smtp.example.org"}).port == 587


def test_a_host_given_as_a_url_is_an_error_naming_the_settings_without_the_password() -> None:
    """SMTP_HOST=smtps://digest:password@smtp.example.org:465, as other tools take it, failed at the connection with
    "cannot send through smtps://digest:password@…:465:587 (starttls): Name or service not known", the password in
    the error; an IPv6 address was shown as "::1:25", which reads as another address."""
    base = {"MAIL_FROM": "a@example.org", "MAIL_TO": "b@example.org"}
    with pytest.raises(MailError) as error:
        mail_settings.smtp_settings({**base, "SMTP_HOST": f"smtps://digest:{PASSWORD}@smtp.example.org:465"})
    assert str(error.value) == ("SMTP_HOST holds a URL (smtps://…): give the host alone ('smtp.example.org'), the port"
                                " in SMTP_PORT (465), SMTP_SECURITY=tls and the login in SMTP_USERNAME and"
                                " SMTP_PASSWORD")
    for host in ("smtp.example.org/", "smtp example.org"):
        with pytest.raises(MailError) as error:
            mail_settings.smtp_settings({**base, "SMTP_HOST": host})
        assert str(error.value) == f"SMTP_HOST holds {host!r}, which is not a host name or address such as " \
                                   "smtp.example.org"
    assert mail_settings.smtp_settings({**base, "SMTP_HOST": "::1", "SMTP_SECURITY": "none"}).server == "[::1]:25"


def test_a_record_dated_after_the_newest_issue_says_so(week_site: Path, tmp_path: Path) -> None:
    """A date typed wrong in the record (2027 for 2026) holds back every issue until that day: the run said "the
    newest issue was mailed already", which it was not. Nothing is sent either way (no server is needed)."""
    record = tmp_path / "mailed.txt"
    record.write_text("2026-11-20\n2027-11-27\n", encoding="utf-8")
    env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT="9", SMTP_SECURITY="none",
                    MAIL_FROM="digest@example.org", MAIL_TO="reader@example.org")
    result = digest("email", "--send", "--record", str(record), cwd=week_site, env=env)
    assert result.returncode == 0 and result.stdout == ""
    held = (f"{record} lists 2027-11-27, after the newest issue (2026-11-27); only issues dated after it will be"
            " mailed. A date typed wrong? Correct or delete that line.")
    assert result.stderr == f"Nothing to send: {held}\n"
    # In the deploy's email job, whose runs pass, on the run's summary page too: every later issue is held back.
    in_actions = digest("email", "--send", "--record", str(record), cwd=week_site,
                        env={**env, "GITHUB_ACTIONS": "true"})
    assert in_actions.returncode == 0
    assert in_actions.stderr == f"Nothing to send: {held}\n::warning title=digest email::{held}\n"


def test_a_site_made_without_its_address_refuses_to_send(tmp_path: Path) -> None:
    """A site made by ``digest new`` without --url has the placeholder https://example.github.io/<name>/: a message
    sent from it had every link going there, without a word said. Saving it still works; sending it with the
    address given (SITE_URL, as the deploy workflow does) goes on to the server."""
    project = tmp_path / "papers-weekly"
    made = digest("new", str(project), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    env = clean_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(free_port()), SMTP_SECURITY="none",
                    MAIL_FROM="digest@example.org", MAIL_TO="reader@example.org")
    refused = digest("email", "--send", cwd=project, env=env)
    assert refused.returncode == 1
    assert refused.stderr.endswith(
        "Error: the site's address is still the placeholder https://example.github.io/papers-weekly/ (digest new"
        " without --url): every link of the message would lead there; set site_url in mkdocs.yml, or SITE_URL (the"
        " deploy workflow sets it to the Pages address); nothing sent\n")
    saved = digest("email", "--out", str(tmp_path / "issue.eml"), cwd=project, env=env)
    assert saved.returncode == 0, saved.stderr
    given = digest("email", "--send", cwd=project, env={**env, "SITE_URL": "https://someone.github.io/papers-weekly/"})
    assert given.returncode == 1 and "placeholder" not in given.stderr and "cannot send through" in given.stderr


def test_right_to_left_titles_and_names_keep_their_place_in_both_parts(tmp_path: Path) -> None:
    """On the site a right-to-left title or author is isolated (<bdi>); in the email it was not, so two Arabic names
    traded places across their comma, and the date or count after a Hebrew title was drawn into it. Both parts
    now isolate them with Unicode's isolate characters, which plain text and any mail client keep."""
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "2026-11-29.yaml").write_text(
        "date: 2026-11-29\npapers:\n"
        "  - title: \"למידה עמוקה 2\"\n    abstract: A Hebrew title.\n"
        "    authors: [\"محمد علي\", \"فاطمة حسن\", Ada Lovelace]\n"
        "  - title: Plain English title\n    abstract: Another.\n    authors: [Alan Turing]\n",
        encoding="utf-8")
    project = make_project(tmp_path / "site", papers=lists, site_url=SITE_URL)
    archive = archive_of(project)
    text, html = parts(parse(message_bytes(commands.make_message(archive, date=dt.date(2026, 11, 29)).message)))
    names = "\u2068محمد علي\u2069, \u2068فاطمة حسن\u2069, Ada Lovelace"
    title = "\u2068למידה עמוקה 2\u2069"
    for part in (text, html):
        assert names in part and title in part
        assert "\u2068Alan Turing" not in part and "\u2068Plain English" not in part  # left-to-right text as it is
