"""MkDocs hook: take the navigation the generator wrote (``content/.nav.yml``).

The nav is generated because it lists topics and the newest issues, which only the data
knows; it stays small whatever the archive's size, so the build stays linear.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

NAV_FILE = ".nav.yml"


def on_config(config: Any) -> Any:
    nav_file = Path(config["docs_dir"]) / NAV_FILE
    if config["nav"] is None and nav_file.is_file():
        config["nav"] = yaml.safe_load(nav_file.read_text(encoding="utf-8"))
    return config
