"""The same site built with Zensical: its settings, and the pages the MkDocs hook would have added.

Zensical reads ``mkdocs.yml`` and Material's templates but runs no MkDocs plugin or hook, so
without help it builds the listing pages and nothing else: no paper page, no author page, none of
the plugin's settings (theme overrides, palette, CSS and scripts). ``python -m generator.zensical
build`` does what the plugin and hook do, around a plain ``zensical build``:

1. *Before*: writes the settings Zensical reads (``.zensical/mkdocs.yml``: the site's ``mkdocs.yml``
   with the packaged base settings under it, as the plugin puts them, the generated navigation, and
   one theme folder holding the site's own ``custom_dir``, its ``templates/overrides`` and the
   packaged overrides) and a copy of ``content/`` made of hard links (``.zensical/docs/``) with the
   placeholder pages the hook would add.
2. *After*: the hook's work on the built site, with the same code (generator/paper_pages.py,
   generator/author_pages.py): every paper page filled into the placeholder's shell, the light
   author pages, the sitemap, the theme's invalid attributes and indentation removed; and the
   papers' titles added to Zensical's own search index.

Measured on the bundled site and on 20,000 synthetic papers (README, "When Material is gone"):
filling a shell writes a paper page in microseconds, where rendering each paper as a Markdown page
costs Zensical milliseconds and a full frame of bytes per page, for the same URLs.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from generator import author_pages, packaged, paper_frame, paper_pages, source_date, writer
from generator.config import DEFAULT_CONFIG, load_config
from generator.errors import DigestError

STAGE = ".zensical"
"""The folder (beside mkdocs.yml) where the settings and the docs Zensical builds from are put."""
LIST_SETTINGS = ("extra_css", "extra_javascript")
# Settings of the MkDocs plugin that Zensical does not have: the hook's work is done here instead.
OUR_PLUGIN = "paper-digest"


class ZensicalError(DigestError):
    """The Zensical build, or the pages made after it, failed."""


# ---------------------------------------------------------------- settings


def read_site_settings(config_file: Path) -> dict[str, Any]:
    """The site's mkdocs.yml as MkDocs reads it (``INHERIT`` followed, ``!ENV`` resolved)."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open("rb") as handle:
            written = yaml_load(handle) or {}
    except OSError as error:
        raise ZensicalError(f"{config_file}: cannot be read ({error.strerror or error})") from error
    except (yaml.YAMLError, ConfigurationError) as error:
        raise ZensicalError(f"{config_file}: {error}") from error
    if not isinstance(written, dict):
        raise ZensicalError(f"{config_file}: not a mapping of settings")
    return written


def with_base_settings(written: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """``written`` with ``base`` under it, as generator/mkdocs_plugin.py applies the base to MkDocs' config."""
    settings = copy.deepcopy(written)
    theme = settings.get("theme")
    settings["theme"] = theme = dict(theme) if isinstance(theme, dict) else {"name": theme or "material"}
    for key, value in base.get("theme", {}).items():
        theme.setdefault(key, copy.deepcopy(value))
    for key in LIST_SETTINGS:
        own = [item for item in settings.get(key) or [] if str(item) not in base.get(key, [])]
        settings[key] = [*base.get(key, []), *own]
    extensions = list(settings.get("markdown_extensions") or [])
    names = [next(iter(item)) if isinstance(item, dict) else item for item in extensions]
    for item in base.get("markdown_extensions", []):
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        if name in names:
            index = names.index(name)
            own = extensions[index][name] if isinstance(extensions[index], dict) else {}
            extensions[index] = {name: {**options, **(own or {})}}
        else:
            extensions.append({name: dict(options)} if options else name)
            names.append(name)
    settings["markdown_extensions"] = extensions
    if "not_in_nav" in base and "not_in_nav" not in written:
        settings["not_in_nav"] = base["not_in_nav"]
    settings["extra"] = {**copy.deepcopy(base.get("extra", {})), **(settings.get("extra") or {})}
    return settings


def zensical_settings(project: Path, config_file: Path, docs: Path, theme_dir: Path, site_dir: Path) -> dict[str, Any]:
    """What Zensical reads: the site's settings over the base, our paths, the generated navigation."""
    from generator.mkdocs_plugin import base_settings

    written = read_site_settings(config_file)
    settings = with_base_settings(written, base_settings())
    source_docs = project / str(written.get("docs_dir", "docs"))
    # Relative to the settings file: Zensical 0.0.73 stops at absolute paths.
    settings["docs_dir"] = os.path.relpath(docs, docs.parent)
    settings["site_dir"] = os.path.relpath(site_dir, docs.parent)
    settings["theme"]["custom_dir"] = os.path.relpath(theme_dir, docs.parent)
    # Material's look, which the site's stylesheet (assets/digest/digest.css) was made for; Zensical's own is "modern".
    settings["theme"].setdefault("variant", "classic")
    plugins = settings.get("plugins") or ["search"]
    settings["plugins"] = [item for item in plugins if plugin_name(item) != OUR_PLUGIN]
    settings.pop("hooks", None)
    # The hook's HTML blocks set aside, and links of the site's own pages as MkDocs reads them.
    # Relative to the project, where Zensical runs: an absolute path in a folder named with an accent, read by the
    # locale here and written as UTF-8, would not be the folder's name under a Latin-1 locale.
    settings["markdown_extensions"].append({"generator.markdown_html": {"docs_dir": os.path.relpath(docs, project)}})
    for key in ("site_name", "site_description"):  # printed unescaped by Material's templates: see escape_site_text
        if isinstance(settings.get(key), str):
            settings[key] = escape_site_text(settings[key])
    settings["extra"]["digest_builtin_search"] = True  # templates/overrides/main.html: Zensical's own search
    nav_file = source_docs / ".nav.yml"
    if "nav" not in written and nav_file.is_file():
        settings["nav"] = yaml.safe_load(nav_file.read_text(encoding="utf-8"))
    return settings


def escape_site_text(value: str) -> str:
    """``site_name`` or ``site_description`` with what would end the element or attribute it is printed in escaped.

    Material's templates print them unescaped in places (``<title>``, the header, ``aria-label``), where a name
    holding ``</title><script>`` ran as a script, and with ``| e`` in others. The MkDocs hook hands them over as
    Markup (escaped once everywhere); Zensical takes text only, so ``&`` stays as it is: a name with ``&`` shows
    right in both kinds of place, one with ``<``, ``>`` or ``"`` shows their references in the logo's tooltip."""
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def not_run(written: dict[str, Any]) -> list[str]:
    """What of the site's own mkdocs.yml a Zensical build leaves out, as warnings: its ``hooks:`` (Zensical runs no
    MkDocs hook), whose work in an MkDocs build is then missing from the site without a word."""
    hooks = written.get("hooks")
    if not isinstance(hooks, list) or not hooks:
        return []
    return [f"mkdocs.yml: hooks: {', '.join(map(str, hooks))}: Zensical runs no MkDocs hook, so what they do in an"
            " MkDocs build is not in this site"]


def plugin_name(item: str | dict[str, Any]) -> str:
    """The name of an item of ``plugins:`` (a name, or a mapping of the name to its options)."""
    return str(next(iter(item))) if isinstance(item, dict) else item


# ---------------------------------------------------------------- before the build


def link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (a plain copy where links cannot be made)."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def stage(project: Path, config_file: Path, site_dir: Path) -> tuple[Path, Path]:
    """Write ``.zensical/`` (settings, docs, theme folder): the settings file's path and the docs folder."""
    from generator.mkdocs_plugin import unbuildable

    folder = project / STAGE
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    written = read_site_settings(config_file)
    source_docs = project / str(written.get("docs_dir", "docs"))
    if not source_docs.is_dir():
        raise ZensicalError(f"{source_docs} (docs_dir of {config_file.name}) is not a folder: digest build writes it")
    if writer.interrupted(source_docs):  # as the plugin refuses it in an MkDocs build
        raise ZensicalError(writer.interrupted_message(source_docs))
    if not (source_docs / writer.MANIFEST).is_file():  # as the plugin refuses it: a site of a 404 page alone
        raise ZensicalError(writer.unbuilt_message(source_docs))
    problem = unbuildable(written.get("site_url"), bool(written.get("use_directory_urls", True)), source_docs)
    if problem:  # as the plugin refuses them in an MkDocs build
        raise ZensicalError(problem)
    docs = folder / "docs"
    link_tree(source_docs, docs)
    if (docs / paper_pages.SHARD_DIR).is_dir():
        add_page(docs / paper_pages.SHELL_SOURCE, paper_pages.SHELL_MARKDOWN)
    if (docs / author_pages.SHARD_DIR).is_dir():
        add_page(docs / author_pages.SHELL_SOURCE, author_pages.SHELL_MARKDOWN)
    theme = folder / "overrides"
    folders = [*own_theme_folder(config_file, written), *theme_folders(project)]
    for source in reversed(folders):  # the first folder wins: copied last
        shutil.copytree(source, theme, dirs_exist_ok=True)
    settings = zensical_settings(project, config_file, docs, theme, site_dir)
    path = folder / "mkdocs.yml"
    path.write_text("# Written by python -m generator.zensical from mkdocs.yml: edit that instead.\n"
                    + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, docs


def add_page(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def own_theme_folder(config_file: Path, written: dict[str, Any]) -> list[Path]:
    """The site's own ``theme.custom_dir`` (relative to mkdocs.yml), which comes before ours as in an MkDocs build."""
    theme = written.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if not isinstance(custom_dir, str) or not custom_dir:
        return []
    folder = config_file.parent / custom_dir
    if not folder.is_dir():
        raise ZensicalError(f"{config_file.name}: theme.custom_dir: {custom_dir} is not a folder")
    return [folder]


def theme_folders(project: Path) -> list[Path]:
    """The theme override folders, first wins (the site's own, then the packaged), as the plugin adds them."""
    settings = project / DEFAULT_CONFIG
    if not settings.is_file():
        return [packaged.overrides_dir()]
    try:
        digest, _ = load_config(settings)
    except DigestError as error:
        raise ZensicalError(f"{DEFAULT_CONFIG}: {error}") from error
    return packaged.theme_dirs(digest)


# ---------------------------------------------------------------- after the build


def clean_pages(site_dir: Path) -> None:
    """Every page as the hook leaves MkDocs' (generator/mkdocs_hooks.py ``clean_page``)."""
    from generator.mkdocs_hooks import clean_page

    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        cleaned = clean_page(text)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")


# Material's "Edit this page" and "View source" buttons (content.action.edit and .view, partials/actions.html).
EDIT_BUTTON = re.compile(
    r'<a href="[^"]*" title="[^"]*" class="md-content__button md-icon"(?: rel="edit")?>'
    r"\s*<svg\b.*?</svg>\s*</a>\s*", re.DOTALL)


def drop_edit_buttons(site_dir: Path, docs: Path) -> None:
    """No edit or view button on the generated pages, as the hook keeps MkDocs from giving them one
    (generator/mkdocs_hooks.py ``no_edit_links_to_generated_pages``): they led to files that .gitignore keeps out of
    the repository, a 404 each, on every paper and author page too (the placeholders' buttons are in their frames)."""
    from generator.writer import read_manifest

    generated = [*read_manifest(docs), paper_pages.SHELL_SOURCE, author_pages.SHELL_SOURCE]
    for source in sorted(name for name in generated if name.endswith(".md")):
        page = source.removesuffix(".md")
        folder = page.removesuffix("index") if page == "index" or page.endswith("/index") else f"{page}/"
        path = site_dir / folder / "index.html"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        kept = EDIT_BUTTON.sub("", text)
        if kept != text:
            path.write_text(kept, encoding="utf-8")


def placeholder_output(site_dir: Path, source: str) -> str | None:
    path = site_dir / source.removesuffix(".md") / "index.html"
    return path.read_text(encoding="utf-8") if path.is_file() else None


PAPER_ARTICLE = re.compile(
    f'<h1 id="{paper_pages.TITLE.lower()}".*?<h2 id="{paper_pages.SECTIONS[-1][0]}".*?</h2>', re.DOTALL
)
AUTHOR_ARTICLE = f"<p>{author_pages.BODY}</p>"


def finish_papers(
    site_dir: Path, docs: Path, site_url: str, timestamp: int, stylesheets: Sequence[object] = ()
) -> list[str]:
    """The hook's ``on_post_build`` for paper pages: every paper filled into the placeholder's shell (its logo
    drawn from one file when one of the site's ``stylesheets`` draws it, as in an MkDocs build)."""
    output = placeholder_output(site_dir, paper_pages.SHELL_SOURCE)
    if output is None:
        return []
    from generator.mkdocs_hooks import clean_page

    article = PAPER_ARTICLE.search(output)
    if article is None:
        raise ZensicalError("paper pages cannot be assembled: the placeholder's article is not in Zensical's page")
    try:
        shell, script = paper_frame.move_script_only_parts(
            paper_pages.Shell.from_page(output, article.group(0), clean_page))
        shell, logo = paper_frame.logo_for_site(shell, site_dir, stylesheets)
        placeholder = site_dir / "papers" / paper_pages.SHELL_ID
        (placeholder / "index.html").unlink()
        placeholder.rmdir()
        paper_frame.write_assets(site_dir, script, logo)
        dates: dict[str, str] = {}
        written = paper_pages.write_pages(site_dir, shell, paper_pages.read_records(docs), dates)
    except (paper_pages.ShellError, ValueError, KeyError) as error:
        raise ZensicalError(f"paper pages cannot be assembled: {error}") from error
    paper_pages.rewrite_sitemap(site_dir, site_url, [f"papers/{paper_id}/" for paper_id in written], timestamp, dates)
    return written


def finish_authors(site_dir: Path, docs: Path) -> None:
    """The hook's light author pages, in place of their placeholder."""
    output = placeholder_output(site_dir, author_pages.SHELL_SOURCE)
    if output is None:
        return
    from generator.mkdocs_hooks import clean_page

    try:
        frame = author_pages.cut_frame(clean_page(output), AUTHOR_ARTICLE)
        author_pages.drop_placeholder(site_dir)
        author_pages.write_pages(site_dir, frame, author_pages.read_records(docs))
    except (author_pages.FrameError, ValueError, KeyError, TypeError) as error:
        raise ZensicalError(f"author pages cannot be assembled: {error}") from error


def add_papers_to_search(site_dir: Path, docs: Path) -> None:
    """Zensical's search index (search.json) without the placeholders and with every paper's title."""
    path = site_dir / "search.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    shells = (paper_pages.SHELL_ID, author_pages.SHELL_ID)
    items = [item for item in index.get("items", []) if not any(shell in item.get("location", "") for shell in shells)]
    for paper in paper_pages.read_records(docs):
        # Zensical's search box reads a title as HTML, as its own items' (0.0.73, tests/test_zensical.py), but
        # decodes only &amp;, &lt; and &gt;: the record's title (numeric references, "&#58;", which would show as
        # such) is decoded, then escaped with those three, or a "<think>" in it would be dropped as a tag.
        title = html.escape(html.unescape(str(paper["title"])), quote=False)
        items.append({"location": f"papers/{paper['id']}/", "level": 1, "title": title, "text": "",
                      "path": [], "tags": []})
    index["items"] = items
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def date_sitemap(site_dir: Path, timestamp: int | None) -> None:
    """Zensical's sitemap with a ``<lastmod>`` in every entry, the build's date, as MkDocs writes it (Zensical 0.0.73
    writes none: search engines then had no date of any page); the paper pages' entries copy the placeholder's."""
    path = site_dir / "sitemap.xml"
    if timestamp is None or not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if "<lastmod>" in text:
        return
    day = datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")
    dated = re.sub(r"(<url>(\s*)<loc>[^<]*</loc>)", rf"\1\2<lastmod>{day}</lastmod>", text)
    paper_pages.write_sitemap(path, dated, timestamp)


def build_timestamp(docs: Path) -> int | None:
    """``SOURCE_DATE_EPOCH``, else the newest issue's date that ``digest build`` wrote, as the plugin dates an MkDocs
    build (generator/mkdocs_hooks.py ``date_the_build``): the same content gives the same site. 0 is a date too
    (1970-01-01, as ``make site`` gives a digest without papers or of older ones): it was skipped, so the two
    builders dated such a site differently. None without either."""
    from generator.mkdocs_hooks import EPOCH_FILE, EPOCH_VARIABLE

    epoch_file = docs / EPOCH_FILE
    written = epoch_file.read_text(encoding="utf-8") if epoch_file.is_file() else ""
    for text in (os.environ.get(EPOCH_VARIABLE, ""), written):
        if text.strip().isascii() and text.strip().isdigit():
            return int(text)
    return None


# The article of a built page: its own links are checked there, not the frame's (Zensical's navigation and header).
ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)


def unreached_own_links(site_dir: Path, docs: Path) -> list[str]:
    """The hook's check of the site's own pages' links (generator/mkdocs_hooks.py ``check_own_links``) on Zensical's
    build: a link of ``about.md`` to a paper taken down, or to ``papers/ID/`` from the wrong folder, failed the
    MkDocs build and went out in Zensical's as a link to no page. Zensical checks links to Markdown files itself."""
    from generator.mkdocs_hooks import own_links, unreached_links

    generated = generated_sources(docs)
    links: list[tuple[str, str, str, str]] = []
    for path in sorted(docs.rglob("*.md")):
        source = path.relative_to(docs).as_posix()
        if source in generated or any(part.startswith(".") for part in path.relative_to(docs).parts):
            continue
        folder, _, name = source.rpartition("/")
        page = folder if name in ("index.md", "README.md") else posixpath.join(folder, name.removesuffix(".md"))
        url = f"{page}/" if page else ""
        built = site_dir / url / "index.html"
        article = ARTICLE.search(built.read_text(encoding="utf-8")) if built.is_file() else None
        if article is not None:
            links.extend((source, folder, as_written(href, folder, target), target)
                         for source, folder, href, target in own_links(source, url, article.group(0)))
    return unreached_links(site_dir, links)


def as_written(href: str, folder: str, target: str) -> str:
    """``href`` said from the page's URL, as in the Markdown: Zensical writes ``papers/ID/`` of ``about.md`` as
    ``../about/papers/ID/``, which the page's author never wrote."""
    cut = min((index for index in (href.find("?"), href.find("#")) if index >= 0), default=len(href))
    said = posixpath.relpath(target, folder.rstrip("/") or ".") + ("/" if href[:cut].endswith("/") else "")
    return said + href[cut:]


def generated_sources(docs: Path) -> set[str]:
    """The pages of ``docs`` that the generator wrote, and the placeholders: every other page is the site's own."""
    from generator.writer import read_manifest

    return {*read_manifest(docs), paper_pages.SHELL_SOURCE, author_pages.SHELL_SOURCE}


def links_not_found_level(settings: dict[str, Any]) -> str:
    """mkdocs.yml's ``validation: links: not_found`` (warn, info or ignore), which MkDocs' check of links follows."""
    validation = settings.get("validation")
    links = validation.get("links") if isinstance(validation, dict) else None
    level = links.get("not_found") if isinstance(links, dict) else None
    return str(level) if level in ("warn", "info", "ignore") else "warn"


def finish(
    site_dir: Path, docs: Path, site_url: str, timestamp: int | None, stylesheets: Sequence[object] = ()
) -> list[str]:
    """Everything the hook does after MkDocs' build, done on Zensical's: the paper ids written."""
    clean_pages(site_dir)  # Zensical's pages only: the paper and author pages are made clean
    drop_edit_buttons(site_dir, docs)
    date_sitemap(site_dir, timestamp)
    finish_authors(site_dir, docs)
    written = finish_papers(site_dir, docs, site_url, timestamp or 0, stylesheets)
    add_papers_to_search(site_dir, docs)
    return written


# ---------------------------------------------------------------- the command


def site_dir_problem(site_dir: Path, docs_dir: Path, project: Path) -> str | None:
    """Why ``site_dir`` cannot take the built site, or None: the site replaces that folder whole, so one holding the
    docs or the project (``--site-dir .``, ``--site-dir content``) would be deleted with them. ``mkdocs build``
    refuses the same folders ("The 'docs_dir' should not be within the 'site_dir'")."""
    site, docs = site_dir.resolve(), docs_dir.resolve()
    if site == docs or docs.is_relative_to(site):
        return (f"--site-dir {site_dir}: the docs ({docs_dir}) are in it, and the site replaces the folder whole;"
                " build into a folder of its own, such as site")
    if site.is_relative_to(docs):
        return (f"--site-dir {site_dir} is inside the docs ({docs_dir}), which the next build would read as pages;"
                " build into a folder of its own, such as site")
    if project.resolve().is_relative_to(site):
        return (f"--site-dir {site_dir}: the project ({project}) is in it, and the site replaces the folder whole;"
                " build into a folder of its own, such as site")
    if site.is_relative_to((project / STAGE).resolve()):
        return f"--site-dir {site_dir} is inside {STAGE}/, which every Zensical build writes anew: choose another"
    return None


def build(project: Path, site_dir: Path, config_file: Path | None = None, strict: bool = True) -> list[str]:
    """Build ``project``'s content/ into ``site_dir`` with Zensical: the paper ids written."""
    config_file = config_file or project / "mkdocs.yml"
    docs_dir = project / str(read_site_settings(config_file).get("docs_dir", "docs"))
    problem = site_dir_problem(site_dir, docs_dir, project)
    if problem:
        raise ZensicalError(problem)
    site_dir = Path(os.path.abspath(site_dir))  # named as given above; here, where it is whatever the working folder
    built = project / STAGE / "site"  # Zensical writes only inside the folder of its settings
    settings_path, docs = stage(project, config_file, built)
    command = [zensical_command(), "build", "--config-file", str(settings_path)]
    if strict:
        command.append("--strict")
    # Zensical's core reads paths as UTF-8; under a Latin-1 locale its Python half decoded them as Latin-1, so a
    # project in a folder named with an accent was "No such file or directory". UTF-8 mode makes both halves agree.
    environment = {**os.environ, "PYTHONUTF8": "1"}
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, encoding="utf-8",
                            errors="replace", check=False)
    if result.returncode != 0:
        docs_dir = read_site_settings(config_file).get("docs_dir", "docs")
        raise ZensicalError(f"zensical build failed ({result.returncode}; the pages it names are in {docs_dir}/):\n"
                            + failure_report(result.stdout + result.stderr))
    settings = yaml.safe_load(settings_path.read_text(encoding="utf-8"))
    timestamp = build_timestamp(docs)
    written = finish(built, docs, str(settings.get("site_url") or ""), timestamp, settings.get("extra_css") or ())
    unreached = unreached_own_links(built, docs)
    if unreached and strict and links_not_found_level(settings) == "warn":  # as mkdocs build --strict stops
        raise ZensicalError("a page of the site's own links to no page (the site was not replaced):\n"
                            + "\n".join(unreached))
    replace_site(built, site_dir)
    return written


def replace_site(built: Path, site_dir: Path) -> None:
    """``built`` in place of ``site_dir`` by renames, as ``make site`` swaps: a kill leaves the old site or the new one.

    The old site is removed only once it is out of the way (removing a big one takes seconds; a kill meanwhile left
    it half deleted). ``built`` is first moved beside ``site_dir``, so that the swap is a rename on one file system.
    """
    if site_dir.is_symlink():  # to a web server's folder, say: the link stays, the folder it leads to is replaced
        site_dir = site_dir.resolve()
    staged, old = (site_dir.with_name(f".{site_dir.name}.{suffix}") for suffix in ("tmp", "old"))
    for leftover in (staged, old):  # of a build killed while swapping
        remove_tree(leftover)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(built, staged)
    if site_dir.exists() or site_dir.is_symlink():
        os.replace(site_dir, old)
    os.replace(staged, site_dir)
    remove_tree(old)


def remove_tree(path: Path) -> None:
    """``path`` gone, a folder or a link to one (the link only)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def failure_report(output: str) -> str:
    """Zensical's output without its colours (it writes them to files and CI logs too) and without the traceback
    of its own abort ("Aborted because --strict flag is set"): the problems it found are above it."""
    text = ANSI_ESCAPE.sub("", output)
    report, traceback, rest = text.partition("Traceback (most recent call last):")
    if not traceback:
        return text
    last = [line for line in rest.splitlines() if line.strip() and not line.startswith(" ")]
    return report + (last[-1] + "\n" if last else "")


def zensical_command() -> str:
    """The zensical command installed beside this Python (the project's .venv), else on the PATH."""
    beside = Path(sys.executable).with_name("zensical")
    found = str(beside) if beside.is_file() else shutil.which("zensical")
    if not found:
        raise ZensicalError("zensical is not installed: make site SSG=zensical installs it "
                            "(or pip install -r requirements-zensical.lock)")
    return found


def default_site_dir(config_file: Path, written: dict[str, Any]) -> Path:
    """mkdocs.yml's ``site_dir`` (MkDocs' default, site), beside mkdocs.yml, where ``mkdocs build`` puts the site: a
    site set to build into public/ got a Zensical build in site/, and public/ kept the old site."""
    return config_file.parent / str(written.get("site_dir") or "site")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.zensical",
                                     description="Build content/ into a site with Zensical (instead of MkDocs).")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--site-dir", type=Path, default=None,
                        help="where the site goes [mkdocs.yml's site_dir, as with mkdocs build: site]")
    parser.add_argument("--config-file", type=Path, default=Path("mkdocs.yml"))
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["serve"]:
        # The step after build that people type (as zensical serve and mkdocs serve offer): Zensical's own server
        # would rebuild without the paper and author pages, which only the build here adds.
        print("Error: python -m generator.zensical has no serve: Zensical's own server would show the site without its"
              " paper and author pages. Build it (python -m generator.zensical build --site-dir site), then serve"
              " that folder: python3 -m http.server -d site (or preview with MkDocs: mkdocs serve, make serve in a"
              " checkout of Paper Digest)", file=sys.stderr)
        return 2
    options = parser.parse_args(arguments)
    if source_date.PROBLEM:
        print(f"Error: {source_date.PROBLEM}", file=sys.stderr)
        return 1
    project = options.config_file.resolve().parent
    started = time.perf_counter()
    try:
        written_settings = read_site_settings(options.config_file.resolve())
        for warning in not_run(written_settings):
            print(f"Warning: {warning}", file=sys.stderr)
        site_dir = options.site_dir or default_site_dir(options.config_file, written_settings)
        written = build(project, site_dir, options.config_file.resolve())
    except DigestError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(f"Zensical: site built in {site_dir}, {len(written)} paper pages, "
          f"{time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
