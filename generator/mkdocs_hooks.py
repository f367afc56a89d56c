"""MkDocs hooks: take the navigation the generator wrote (``content/.nav.yml``); repair theme markup.

The nav is generated because it lists topics and the newest issues, which only the data
knows; it stays small whatever the archive's size, so the build stays linear.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

NAV_FILE = ".nav.yml"


def on_config(config: Any) -> Any:
    nav_file = Path(config["docs_dir"]) / NAV_FILE
    if config["nav"] is None and nav_file.is_file():
        config["nav"] = yaml.safe_load(nav_file.read_text(encoding="utf-8"))
    return config


# Attributes Material writes that the HTML standard does not allow (found by the Nu HTML
# checker, `make validate`): autocomplete on checkboxes, Safari's autocorrect, an empty
# tabindex. Browsers ignore them, so removing them changes nothing but validity.
INVALID_ATTRIBUTES = re.compile(
    r'(<input[^>]*type="checkbox"[^>]*?) autocomplete="off"| autocorrect="off"| tabindex=""'
)


def repair_theme_markup(html: str) -> str:
    """The page without the theme's invalid attributes, and without a label for a table of contents it lacks."""
    html = INVALID_ATTRIBUTES.sub(lambda match: match.group(1) or "", html)
    if 'id="__toc"' not in html:
        # Pages outside the navigation (papers) have no "__toc" toggle for the label to point at.
        html = html.replace(' for="__toc"', "")
    return html


def on_post_page(output: str, page: Any, config: Any) -> str:
    return strip_indentation(repair_theme_markup(output))


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    return repair_theme_markup(output_content) if template_name.endswith(".html") else output_content


# Whitespace inside these elements is shown as written; everywhere else a line's indentation is not.
PRESERVED = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
INDENT = re.compile(r"\n[ \t\r\n]+")


def strip_indentation(output: str) -> str:
    """Drop the indentation of every line of HTML (about a quarter of a page); the page looks the same.

    A run of whitespace becomes one newline, which HTML shows as the single space it showed before.
    """
    pieces = PRESERVED.split(output)
    # split() yields text, whole preserved element, its tag name, text, ...
    kept = [INDENT.sub("\n", piece) if index % 3 == 0 else piece for index, piece in enumerate(pieces) if index % 3 != 2]
    return "".join(kept)
