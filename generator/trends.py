"""The home page's picture of the archive: papers per topic per issue (or per week), as SVG.

Drawn at build time, so the page needs no chart library; colours come from the theme's
CSS (templates/overrides/assets/digest/digest.css), so it reads in light and dark mode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator import escape
from generator.counts import number
from generator.model import Issue, Paper
from generator.topics import Topic

MAX_COLUMNS = 26
CELL = 20
GAP = 3
LABEL_WIDTH = 200
AXIS_HEIGHT = 70
MAX_AXIS_LABELS = 13
MAX_ROWS = 40
"""At most this many topics (rows), those with the most papers in the chart: a taxonomy of 1,000 topics drew 887 rows,
a chart 20,000 pixels tall and 1.3 MB of the home page."""


def columns(issues: Sequence[Issue]) -> list[tuple[str, set[str]]]:
    """(label, paper ids) per column, oldest first: one per issue, or one per ISO week when there are many."""
    oldest_first = sorted(issues, key=lambda issue: issue.date)
    if len(oldest_first) <= MAX_COLUMNS:
        return [(issue.date.isoformat(), set(issue.paper_ids)) for issue in oldest_first]
    weeks: dict[dt.date, set[str]] = {}
    for issue in oldest_first:
        monday = issue.date - dt.timedelta(days=issue.date.weekday())
        weeks.setdefault(monday, set()).update(issue.paper_ids)
    return [(monday.isoformat(), ids) for monday, ids in sorted(weeks.items())[-MAX_COLUMNS:]]


@dataclass(frozen=True)
class Grid:
    """What the chart shows: its columns (label, paper ids), its topics (rows) and each row's counts."""

    cols: list[tuple[str, set[str]]]
    rows: list[Topic]
    counts: dict[str, list[int]]
    left_out: int
    unit: str


def grid(issues: Sequence[Issue], papers: dict[str, Paper], topics: Sequence[Topic]) -> Grid | None:
    """The chart's counts, or None when there is nothing to draw."""
    cols = columns(issues)
    counts: dict[str, list[int]] = {topic.slug: [0] * len(cols) for topic in topics}
    for col, (_label, ids) in enumerate(cols):  # one pass over the papers, not one per topic
        for pid in ids:
            for slug in {match.slug for match in papers[pid].topics}:
                if slug in counts:
                    counts[slug][col] += 1
    rows = [topic for topic in topics if any(counts[topic.slug])]
    if not cols or not rows:
        return None
    left_out = max(0, len(rows) - MAX_ROWS)
    if left_out:  # the busiest topics, in taxonomy order (ties: the earlier topic)
        busiest = sorted(range(len(rows)), key=lambda index: (-sum(counts[rows[index].slug]), index))[:MAX_ROWS]
        rows = [rows[index] for index in sorted(busiest)]
    unit = "issue" if len(cols) == len(issues) else "week"
    return Grid(cols, rows, counts, left_out, unit)


def trends_svg(issues: Sequence[Issue], papers: dict[str, Paper], topics: Sequence[Topic]) -> Markup:
    """A heat map: one row per topic, one column per issue or week, darker = more papers."""
    found = grid(issues, papers, topics)
    if found is None:
        return Markup("")
    cols, rows, counts, left_out, unit = found.cols, found.rows, found.counts, found.left_out, found.unit
    peak = max(max(counts[topic.slug]) for topic in rows)
    width = LABEL_WIDTH + len(cols) * (CELL + GAP)
    height = len(rows) * (CELL + GAP) + AXIS_HEIGHT + (CELL if left_out else 0)
    which = f", the {len(rows)} topics with the most papers" if left_out else ""
    parts = [
        f'<svg class="digest-trends__chart" role="img" aria-labelledby="digest-trends-title" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f'<title id="digest-trends-title">Papers per topic per {unit}{which}, oldest on the left</title>',
    ]
    for row, topic in enumerate(rows):
        y = row * (CELL + GAP)
        label_x, label_y = LABEL_WIDTH - 8, y + CELL - 4
        parts.append(f'<text class="digest-trends__label" x="{label_x}" y="{label_y}">{escape.text(topic.name)}</text>')
        for col, (label, _ids) in enumerate(cols):
            count = counts[topic.slug][col]
            opacity = 0.06 if count == 0 else round(0.25 + 0.75 * count / peak, 3)
            x = LABEL_WIDTH + col * (CELL + GAP)
            parts.append(
                f'<rect class="digest-trends__cell" x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" '
                f'fill-opacity="{opacity}">'
                f"<title>{escape.text(topic.name)}, {unit} of {escape.text(label)}: {number(count)}</title>"
                "</rect>"
            )
    # Dates under the columns, slanted so they never overlap; every k-th when there are many.
    axis_y = len(rows) * (CELL + GAP) + 8
    step = -(-len(cols) // MAX_AXIS_LABELS)
    for col in range(len(cols) - 1, -1, -step):
        middle = LABEL_WIDTH + col * (CELL + GAP) + CELL / 2
        parts.append(
            f'<text class="digest-trends__axis" x="{middle:g}" y="{axis_y}" text-anchor="end" '
            f'transform="rotate(-45 {middle:g} {axis_y})">{escape.text(cols[col][0])}</text>'
        )
    if left_out:
        more = f"and {number(left_out)} more {'topic' if left_out == 1 else 'topics'} with fewer papers (see Topics)"
        parts.append(f'<text class="digest-trends__axis" x="0" y="{height - 4}">{escape.text(more)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trends_list(issues: Sequence[Issue], papers: dict[str, Paper], topics: Sequence[Topic]) -> Markup:
    """The chart's counts as a list, closed under the chart: a screen reader reads the chart as one picture, and
    its squares give their counts to a pointer only. A line per topic, its issues (or weeks) with papers only."""
    found = grid(issues, papers, topics)
    if found is None:
        return Markup("")
    parts = ['<details class="digest-trends__numbers"><summary>The chart as a list</summary><ul>']
    for topic in found.rows:
        counts = [
            f"{number(count)} {'on' if found.unit == 'issue' else 'in the week of'} <time>{escape.text(label)}</time>"
            for count, (label, _ids) in zip(found.counts[topic.slug], found.cols, strict=True) if count
        ]
        parts.append(f"<li>{escape.text(topic.name)}: {', '.join(counts)}</li>")
    parts.append("</ul>")
    if found.left_out:
        more = f"and {number(found.left_out)} more {'topic' if found.left_out == 1 else 'topics'} with fewer papers"
        parts.append(f"<p>{escape.text(more)} (see Topics)</p>")
    parts.append("</details>")
    return Markup("".join(parts))
