"""The email edition's HTML part in real headless Chromium: it renders without fetching anything, fits a phone's
width, and shows its sections. Saves the 20-paper example: test-artifacts/email.png and test-artifacts/email-20.eml."""

from __future__ import annotations

import pytest

from generator.mail import commands
from generator.mail.message import message_bytes
from tests.email_fixture import email_project
from tests.test_browser import ARTIFACTS
from tests.test_email import WATCH, archive_of, parse, parts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The 20-paper issue's message, saved as test-artifacts/email-20.eml."""
    project = email_project(tmp_path_factory.mktemp("email-browser") / "site", {"2026-11-27": 20}, watch=WATCH)
    data = message_bytes(commands.make_message(archive_of(project), sender="digest@example.org").message)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "email-20.eml").write_bytes(data)
    return data


def test_the_html_part_renders_offline_and_fits_a_phone(browser: object, example: bytes) -> None:
    _text, html = parts(parse(example))
    requests: list[str] = []
    errors: list[str] = []
    for width, shot in ((760, "email.png"), (375, None)):
        context = browser.new_context(viewport={"width": width, "height": 1100})  # type: ignore[attr-defined]
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

        def refuse(route: object) -> None:
            requests.append(route.request.url)  # type: ignore[attr-defined]
            route.abort()  # type: ignore[attr-defined]

        page.route("**/*", refuse)
        page.set_content(html, wait_until="load")
        assert page.inner_text("h2").startswith("Watch list")
        assert page.locator("a[href^='https://digest.example.org/papers-weekly/papers/']").count() == 20
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{scroll}px wide in a {width}px window"
        if shot:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
            page.screenshot(path=str(ARTIFACTS / "email-top.png"))  # docs/screenshot-email.png is a copy
        context.close()
    assert errors == []
    assert requests == []  # no image, font, style sheet or script is fetched


def test_the_example_is_small(example: bytes) -> None:
    assert len(example) < 40_000
    text, html = parts(parse(example))
    assert text.count("https://digest.example.org/papers-weekly/papers/") == 20
    assert len(html.encode("utf-8")) < 30_000


def test_a_very_long_word_wraps_instead_of_widening_the_message(browser: object, example: bytes) -> None:
    """A title or summary of one 300-character word (a URL, a formula, a hostile paper) widened the 600px table."""
    import re

    _text, html = parts(parse(example))
    long_word = "Supercalifragilistic" * 15
    html = re.sub(r'(font-weight:bold;">)[^<]+(</a>)', rf"\g<1>{long_word}\g<2>", html, count=1)
    assert long_word in html
    context = browser.new_context(viewport={"width": 375, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.route("**/*", lambda route: route.abort())
    page.set_content(html, wait_until="load")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert scroll <= 375, f"{scroll}px wide in a 375px window"
