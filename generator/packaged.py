"""Where the files a build needs besides the code are: found through the installed package, never the repository.

In a wheel they sit inside the package: ``generator/templates/`` (page templates, and the theme
overrides in ``overrides/``), ``generator/mkdocs_defaults.yml`` (the base MkDocs settings) and
``generator/skeleton/`` (what ``digest new`` writes). The repository keeps the templates in its
top-level ``templates/``; pyproject.toml maps that folder to ``generator.templates``, in the wheel and
in an editable install (``make setup``) alike, so both find them the same way.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from generator.errors import DigestError

PACKAGE_DIR = Path(__file__).resolve().parent
MKDOCS_DEFAULTS = PACKAGE_DIR / "mkdocs_defaults.yml"
SKELETON_DIR = PACKAGE_DIR / "skeleton"
OVERRIDES = "overrides"
"""The theme's files, in a templates folder: Material's custom_dir layout."""


@functools.cache
def template_dir() -> Path:
    """The packaged page templates (the folder ``generator.templates`` is imported from)."""
    spec = importlib.util.find_spec("generator.templates")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise DigestError(
            "the packaged templates (generator.templates) are missing: install the package"
            " (pip install mkdocs-paper-digest, or make setup in a checkout)"
        )
    return Path(locations[0]).resolve()


def overrides_dir() -> Path:
    """The packaged theme overrides: what Material's ``custom_dir`` would name."""
    return template_dir() / OVERRIDES

