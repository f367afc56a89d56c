"""The home page's freshness notice, computed in the browser from the data's date (page clock controlled)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NOTICE = ".digest-stale"


@pytest.fixture(scope="module")
def site_url(seed_site: Path) -> Iterator[str]:
    with serve(seed_site / "site") as url:
        yield url


def home_at(browser: object, url: str, now: dt.datetime, zone: str = "UTC") -> tuple[str | None, list[str]]:
    """The notice's text (None when absent) and any script errors, with the page's clock at ``now`` in ``zone``."""
    context = browser.new_context(timezone_id=zone)  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.set_fixed_time(now)
    page.goto(url, wait_until="networkidle")
    notice = page.locator(NOTICE)
    text = notice.inner_text() if notice.count() else None
    context.close()
    return text, errors


def test_the_built_home_page_carries_the_newest_issue_date(seed_site: Path) -> None:
    html = (seed_site / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-newest-issue="2026-11-27"' in html
    assert 'data-stale-after-days="3"' in html
    assert (seed_site / "site" / "assets" / "javascripts" / "freshness.js").is_file()
    assert "assets/javascripts/freshness.js" in html


def test_no_notice_while_the_newest_issue_is_recent(browser: object, site_url: str) -> None:
    for now in (dt.datetime(2026, 11, 27, 8, tzinfo=dt.UTC), dt.datetime(2026, 11, 30, 23, 59, tzinfo=dt.UTC)):
        text, errors = home_at(browser, site_url, now)
        assert errors == []
        assert text is None, now


def test_a_notice_once_the_newest_issue_is_older_than_the_setting(browser: object, site_url: str) -> None:
    text, errors = home_at(browser, site_url, dt.datetime(2026, 12, 1, 0, 1, tzinfo=dt.UTC))
    assert errors == []
    assert text is not None
    assert "This digest may have stopped updating" in text
    assert "The newest issue is from 2026-11-27, 4 days ago." in text
    text, _ = home_at(browser, site_url, dt.datetime(2027, 1, 6, 12, tzinfo=dt.UTC))
    assert text is not None and "40 days ago" in text


def test_the_age_is_counted_in_days_of_the_visitor_s_calendar(browser: object, site_url: str) -> None:
    """Counted in UTC days, the age was a day more than a reader west of UTC saw on the calendar in the evening (and a
    day less east of it in the morning): in California on 2026-11-30, an issue of 2026-11-27 was "4 days ago"."""
    evening_in_california = dt.datetime(2026, 12, 1, 1, tzinfo=dt.UTC)  # 2026-11-30, 17:00 there
    text, errors = home_at(browser, site_url, evening_in_california, "America/Los_Angeles")
    assert errors == []
    assert text is None  # 3 days ago: not older than stale_after_days
    morning_in_kiribati = dt.datetime(2026, 11, 30, 20, tzinfo=dt.UTC)  # 2026-12-01, 10:00 there
    text, errors = home_at(browser, site_url, morning_in_kiribati, "Pacific/Kiritimati")
    assert errors == []
    assert text is not None and "The newest issue is from 2026-11-27, 4 days ago." in text
    now = dt.datetime(2027, 3, 28, 12, tzinfo=dt.UTC)  # the day Europe's summer time starts
    for zone in ("Etc/GMT+12", "America/New_York", "Europe/Berlin", "Pacific/Kiritimati"):
        days = (now.astimezone(ZoneInfo(zone)).date() - dt.date(2026, 11, 27)).days
        text, _ = home_at(browser, site_url, now, zone)
        assert text is not None and f"2026-11-27, {days} days ago." in text, zone


def test_the_threshold_comes_from_digest_yml(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import SMALL, run_digest

    project = tmp_path / "small"
    shutil.copytree(SMALL, project)
    with (project / "digest.yml").open("a", encoding="utf-8") as config:
        config.write("stale_after_days: 10\n")
    run_digest("build", "--quiet", cwd=project)
    home = (project / "content" / "index.md").read_text(encoding="utf-8")
    assert 'data-newest-issue="2026-11-27" data-stale-after-days="10"' in home
