"""The ``paper-digest`` MkDocs plugin: a site's ``plugins: [search, paper-digest]`` brings everything else.

MkDocs takes ``INHERIT``, ``hooks:`` and ``custom_dir`` only as paths relative to ``mkdocs.yml``, which
cannot name an installed package wherever the site is. The plugin, found by MkDocs through its entry
point (pyproject.toml), adds from the installed package: the theme overrides (between the site's own
theme files and Material's), the base settings (``generator/mkdocs_defaults.yml``, under the site's
own), and the hook's events (``generator/mkdocs_hooks.py``).
"""

from __future__ import annotations

import copy
import errno
import functools
import os
import signal
import threading
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.config_options import PathSpec
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils import get_theme_dir

from generator import mkdocs_hooks, packaged, paper_pages, site_swap, source_date
from generator.config import site_url_problem
from generator.writer import signals_held

LIST_SETTINGS = ("extra_css", "extra_javascript")
# What stops a build for want of room or rights where it writes, not for a mistake of the site's.
WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG)


@functools.cache
def base_settings() -> dict[str, Any]:
    """The packaged base settings (``generator/mkdocs_defaults.yml``)."""
    with packaged.MKDOCS_DEFAULTS.open(encoding="utf-8") as handle:
        settings: dict[str, Any] = yaml.safe_load(handle)
    return settings


def unbuildable(site_url: str | None, use_directory_urls: bool, docs_dir: Path) -> str | None:
    """Why mkdocs.yml's settings cannot build this site (either builder), or None."""
    if not use_directory_urls:  # the site built, every page's links to papers and issues broken
        return ("use_directory_urls: false in mkdocs.yml would break the site's links: its pages link to folders"
                " (papers/ID/, issues/DATE/); remove the setting")
    if not site_url and (docs_dir / paper_pages.SHARD_DIR).is_dir():
        # The paper pages are filled in at their addresses: without one MkDocs failed on "the placeholder page".
        return ("mkdocs.yml sets no site_url, which the paper pages, feeds and links need: set it to the site's"
                " address (site_url: https://<user>.github.io/<repo>/)")
    if site_url and (wrong := site_url_problem(str(site_url))):  # as digest build refuses it, not a site beside it
        return (f"site_url {wrong}: {str(site_url)!r}; every absolute link of the site (feeds, sitemap, canonical"
                " addresses) starts with it")
    return None


def settings_as_written(config: Any) -> dict[str, Any]:
    """The site's MkDocs config as its files say it (``INHERIT`` followed), before MkDocs fills in defaults.

    Only there can the plugin tell a setting the site chose from a default of MkDocs or Material.
    """
    from mkdocs.utils.yaml import yaml_load

    path = config.config_file_path
    if not path or not os.path.isfile(path):
        return {}
    with open(path, "rb") as handle:
        written = yaml_load(handle) or {}
    return written if isinstance(written, dict) else {}


def apply_base_settings(config: Any, base: dict[str, Any], written: dict[str, Any]) -> None:
    """Put ``base`` under the site's settings ``written`` in the validated ``config``: the site's choices win."""
    theme = written.get("theme")
    theme_written = theme if isinstance(theme, dict) else {}  # `theme: material` sets the name only
    for key, value in base.get("theme", {}).items():
        if key not in theme_written:
            config.theme[key] = copy.deepcopy(value)
    for key in LIST_SETTINGS:
        own = [item for item in config[key] if str(item) not in base.get(key, [])]
        config[key] = [*base.get(key, []), *own]  # ours first: the site's CSS and scripts can override them
    for item in base.get("markdown_extensions", []):
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        config.mdx_configs[name] = {**options, **config.mdx_configs.get(name, {})}
    if "not_in_nav" in base:  # the site's patterns and ours: with its own alone, every older issue was "not in nav"
        written_patterns = written.get("not_in_nav")
        patterns = base["not_in_nav"]
        if isinstance(written_patterns, str) and written_patterns.strip():
            patterns = f"{written_patterns.rstrip()}\n{patterns}"
        config.not_in_nav = PathSpec().run_validation(patterns)
    for key, value in base.get("extra", {}).items():
        if key not in (written.get("extra") or {}):
            config.extra[key] = copy.deepcopy(value)


def add_theme_dirs(config: Any, folders: list[Path]) -> None:
    """Theme files from ``folders`` (first wins) after the site's ``custom_dir`` and before the theme's own."""
    if config.theme.name is None:
        raise PluginError("paper-digest: the site needs a theme (theme: name: material)")
    theme_dir = get_theme_dir(config.theme.name)
    position = config.theme.dirs.index(theme_dir) if theme_dir in config.theme.dirs else 0
    present = {os.path.realpath(folder) for folder in config.theme.dirs}
    new = [str(folder) for folder in folders if os.path.realpath(folder) not in present]
    config.theme.dirs[position:position] = list(dict.fromkeys(new))


def terminate(_signal: int, _frame: object) -> None:
    raise SystemExit(128 + signal.SIGTERM)


class DigestPluginConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' __init_subclass__ is untyped
    """The plugin's one setting: ``fast_pages`` (default true), listing pages the navigation does not list
    assembled from one rendered frame (generator/listing_pages.py); false renders each through MkDocs."""

    fast_pages = config_options.Type(bool, default=True)


class DigestPlugin(BasePlugin[DigestPluginConfig]):  # type: ignore[no-untyped-call]  # as above
    """Theme overrides, base settings and the hook's events, from the installed Paper Digest."""

    swap: site_swap.SiteSwap | None = None
    site_config: Any = None
    previous_sigterm: Any = None
    site_dir = ""
    built = False
    # ``mkdocs build`` and ``mkdocs gh-deploy`` build into a new folder, swapped in for site_dir once the build has
    # succeeded (generator/site_swap.py); ``mkdocs serve`` builds into a folder of its own, ``--dirty`` into site_dir.
    staged = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        mkdocs_hooks.on_startup(command, dirty)
        self.staged = command in ("build", "gh-deploy") and not dirty
        if self.staged and threading.current_thread() is threading.main_thread():
            # SIGTERM (a cancelled CI job, timeout, kill) stops the build as Ctrl-C does, through on_shutdown, which
            # deletes the new site's folder: Python's default ended the process at once, leaving it behind.
            self.previous_sigterm = signal.signal(signal.SIGTERM, terminate)

    @event_priority(100)  # before other plugins (the search plugin reads the theme's settings in its on_config)
    def on_config(self, config: Any) -> Any:
        written = settings_as_written(config)  # site_url as written: MkDocs ends it with a slash (page.html/)
        site_url = written.get("site_url") if isinstance(written.get("site_url"), str) else config.site_url
        problem = source_date.PROBLEM or unbuildable(site_url, config.use_directory_urls, Path(config.docs_dir))
        if problem:
            raise PluginError(f"paper-digest: {problem}")
        apply_base_settings(config, base_settings(), written)
        mkdocs_hooks.options["fast_pages"] = bool(self.config.fast_pages)
        digest = mkdocs_hooks.project_config(config)
        add_theme_dirs(config, packaged.theme_dirs(digest) if digest else [packaged.overrides_dir()])
        config = mkdocs_hooks.on_config(config)
        if self.staged and self.swap is None:
            try:
                self.swap = site_swap.SiteSwap(config.site_dir)
            except OSError as error:
                raise PluginError(f"paper-digest: cannot make the new site's folder beside {config.site_dir}"
                                  f" ({error.strerror or error}); the site is built there, then put in place of"
                                  " site_dir: make that folder writable, or set another site_dir") from None
            self.site_config, self.site_dir = config, config.site_dir
            config.site_dir = str(self.swap.folder)
        return config

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        return mkdocs_hooks.on_serve(server, config, builder)

    def on_pre_build(self, *, config: Any) -> None:
        mkdocs_hooks.on_pre_build(config)

    def on_files(self, files: Any, *, config: Any) -> Any:
        return mkdocs_hooks.on_files(files, config)

    @event_priority(-100)  # the environment as every other plugin left it
    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        return mkdocs_hooks.on_env(env, config, files)

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        return mkdocs_hooks.on_nav(nav, config, files)

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        return mkdocs_hooks.on_page_markdown(markdown, page, config, files)

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        return mkdocs_hooks.on_page_content(html, page, config, files)

    @event_priority(-100)  # after the search plugin's: see mkdocs_hooks.on_page_context
    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        return mkdocs_hooks.on_page_context(context, page, config, nav)

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        return mkdocs_hooks.on_post_page(output, page, config)

    def on_post_build(self, *, config: Any) -> None:
        mkdocs_hooks.on_post_build(config)
        self.built = True  # unless MkDocs stops after all (strict mode's warnings): then on_build_error

    @event_priority(-100)  # last: the error raised here replaces MkDocs' (the other plugins' events run first)
    def on_build_error(self, *, error: Exception) -> None:
        self.built = False
        if self.swap is not None and isinstance(error, OSError) and error.errno in WRITE_ERRORS:
            # A full disk, a read-only folder: MkDocs showed the traceback of the copy or write that failed.
            swap, self.swap = self.swap, None
            swap.discard()  # now, not at shutdown: on a full disk its space is wanted at once
            self.site_config.site_dir = self.site_dir
            raise PluginError(f"paper-digest: the new site could not be written: {swap.where(error)}:"
                              f" {error.strerror}; {self.site_dir} is as it was") from None

    def on_shutdown(self) -> None:
        """The new site in place of the old one when the build succeeded, else deleted (on an error, Ctrl-C)."""
        if self.previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self.previous_sigterm)
            self.previous_sigterm = None
        swap, self.swap = self.swap, None
        if swap is None:
            return
        self.site_config.site_dir = self.site_dir  # where gh-deploy, which runs next, finds the site
        if not self.built:
            swap.discard()
            return
        try:
            with signals_held():  # a signal between the two renames would leave no site/ at all until the next build
                swap.finish()
        except OSError as error:
            swap.discard()
            raise PluginError(f"paper-digest: the new site could not be put in place of {swap.site}"
                              f" ({error.strerror or error}); the site there is the last one built") from None

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        return mkdocs_hooks.on_post_template(output_content, template_name, config)
