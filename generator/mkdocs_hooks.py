"""MkDocs hooks: the generated navigation, paper pages assembled from one rendered shell, theme repairs.

The nav is generated (``content/.nav.yml``) because it lists topics and the newest issues,
which only the data knows; it stays small whatever the archive's size, so the build stays
linear. Paper pages are not Markdown pages: see generator/paper_pages.py.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_build_timestamp

from generator import author_pages, page_frame, paper_frame, paper_pages
from generator.config import DEFAULT_CONFIG, Config, load_config
from generator.errors import DigestError

NAV_FILE = ".nav.yml"
# Per build: the files (for the sitemap's timestamp) and the placeholder page cut into a shell.
state: dict[str, Any] = {}
# For the whole process: whether MkDocs is serving (then each build first rebuilds content/).
serving: dict[str, bool] = {}
log = logging.getLogger("mkdocs.hooks.digest")


def on_startup(command: str, dirty: bool) -> None:
    serving["on"] = command == "serve"


def on_config(config: Any) -> Any:
    state.clear()
    if serving.get("on"):
        build_content(Path(config["config_file_path"]).parent)
    nav_file = Path(config["docs_dir"]) / NAV_FILE
    if config["nav"] is None and nav_file.is_file():
        config["nav"] = yaml.safe_load(nav_file.read_text(encoding="utf-8"))
    return config


def build_content(project: Path) -> None:
    """``digest build`` in ``project`` (an unchanged one does nothing): serving shows edits of data/ at once.

    Its problems are shown; if it fails, the site is served from the content/ of the last good build.
    """
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True,
                            text=True, check=False)
    for line in (result.stderr + result.stdout).splitlines():
        if line.strip():
            (log.error if result.returncode else log.info)(f"digest build: {line}")


def project_config(config: Any) -> Config | None:
    """The digest.yml beside the MkDocs config (defaults without one); None, with the error logged, if invalid."""
    project = Path(config["config_file_path"]).parent
    settings = project / DEFAULT_CONFIG
    try:
        digest, _ = load_config(settings if settings.is_file() else None)
    except DigestError as error:
        log.error(f"digest.yml: {error}")
        return None
    # Without a digest.yml the defaults are relative to the current folder; the project's is meant.
    return digest if settings.is_file() else dataclasses.replace(digest, base_dir=project)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Also watch what content/ is built from: the paper lists, taxonomy, curation, digest.yml and templates."""
    from generator import packaged

    digest = project_config(config)
    watched = [Path(config["config_file_path"]).parent / DEFAULT_CONFIG, packaged.template_dir()]
    if digest is not None:
        watched += [digest.path(path) for path in (*digest.papers, digest.topics, digest.curation, digest.templates)]
    for path in watched:
        if path.exists():
            server.watch(str(path))
    return server


# Attributes Material writes that the HTML standard does not allow (found by the Nu HTML
# checker, `make validate`): autocomplete on checkboxes, Safari's autocorrect, an empty
# tabindex. Browsers ignore them, so removing them changes nothing but validity.
INPUT = re.compile(r"<input\b[^>]*>")


def _valid_input(match: re.Match[str]) -> str:
    tag = match.group(0)
    return tag.replace(' autocomplete="off"', "") if 'type="checkbox"' in tag else tag


def repair_theme_markup(html: str) -> str:
    """The page without the theme's invalid attributes, and without a label for a table of contents it lacks."""
    # Plain replacements and one literal-led pattern: a 170 KB topic page in 0.1 ms, not 2.5 ms.
    html = INPUT.sub(_valid_input, html).replace(' autocorrect="off"', "").replace(' tabindex=""', "")
    if 'id="__toc"' not in html:
        # Pages outside the navigation (papers) have no "__toc" toggle for the label to point at.
        html = html.replace(' for="__toc"', "")
    return html


def on_files(files: Any, config: Any) -> Any:
    """Add the placeholder paper page when the generator wrote paper records."""
    state.clear()
    state["files"] = files
    if (Path(config["docs_dir"]) / paper_pages.SHARD_DIR).is_dir():
        files.append(
            File.generated(
                config,
                paper_pages.SHELL_SOURCE,
                content=paper_pages.SHELL_MARKDOWN,
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
    if (Path(config["docs_dir"]) / author_pages.SHARD_DIR).is_dir():  # the light pages' frame: see on_post_page
        files.append(File.generated(config, author_pages.SHELL_SOURCE, content=author_pages.SHELL_MARKDOWN,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    return files


# Generated pages carry finished HTML (lists of papers) between a "<!-- digest:html -->" line and a
# "<!-- digest:end -->" line (or the end of the page). Python-Markdown would parse that HTML tag by
# tag only to leave it as it is (most of a listing page's cost), so the hook sets each block aside
# before Markdown and puts it back after. Without the hook the pages still render the same.
HTML_START = "<!-- digest:html -->\n"
HTML_END = "<!-- digest:end -->\n"
HTML_SLOT = re.compile(r"<p>DigestHtmlSlot(\d+)</p>")


def set_html_aside(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each HTML block (a line of its own opens it) replaced by a slot; the blocks."""
    blocks: list[str] = []
    parts: list[str] = []
    position = 0
    while (start := markdown.find(HTML_START, position)) != -1:
        if start and markdown[start - 1] != "\n":  # not at the start of a line: text, not a mark
            parts.append(markdown[position : start + len(HTML_START)])
            position = start + len(HTML_START)
            continue
        body = start + len(HTML_START)
        end = markdown.find("\n" + HTML_END, body - 1)
        stop = len(markdown) if end == -1 else end + 1
        parts.append(markdown[position:start])
        parts.append(f"\nDigestHtmlSlot{len(blocks)}\n\n")
        blocks.append(markdown[body:stop])
        position = len(markdown) if end == -1 else stop + len(HTML_END)
    parts.append(markdown[position:])
    return "".join(parts), blocks


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    text, blocks = set_html_aside(markdown)  # str.find, not a lazy regex: 150 KB topic pages in microseconds
    if blocks:
        state.setdefault("html", {})[page.file.src_uri] = blocks
    return text


def put_html_back(html: str, blocks: list[str]) -> str:
    return HTML_SLOT.sub(lambda m: blocks[int(m.group(1))] if int(m.group(1)) < len(blocks) else m.group(0), html)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    if (page.meta.get("search") or {}).get("exclude"):
        return html  # put back after the search plugin: see on_page_context
    blocks = state.get("html", {}).pop(page.file.src_uri, None)
    return put_html_back(html, blocks) if blocks else html


@event_priority(-100)  # after the search plugin's, which runs a regex over the page's whole HTML
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Put a search-excluded page's HTML blocks back (the search plugin had only their slots to scan)."""
    blocks = state.get("html", {}).pop(page.file.src_uri, None)
    if blocks:
        page.content = put_html_back(page.content, blocks)
    # The stand-in's mark, where templates/overrides/main.html writes one in place of the navigation.
    context["digest_shared_nav"] = page_frame.SHARED_NAV if shares_nav(page, nav) else ""
    return context


def shares_nav(page: Any, nav: Any) -> bool:
    """Whether the page's navigation will come from the nav script (page_frame.PageFrame.move_nav), so that
    templates/overrides/main.html need not render it: a page the navigation does not list, once an earlier
    such page has made the script (its navigation is the same: nothing in it is marked as the page's own)."""
    frame = state.get("page_frame")
    if frame is None or frame.nav_script is None or page_frame.root_of(page.url) is None:
        return False
    if page.file.src_uri in (paper_pages.SHELL_SOURCE, author_pages.SHELL_SOURCE):
        return False
    listed = state.get("listed")
    if listed is None:
        listed = state["listed"] = {item.file.src_uri for item in getattr(nav, "pages", [])}
    return page.file.src_uri not in listed


def clean_page(output: str) -> str:
    return strip_indentation(repair_theme_markup(output))


def on_post_page(output: str, page: Any, config: Any) -> str:
    if page.file.src_uri == paper_pages.SHELL_SOURCE:
        try:
            shell = paper_pages.Shell.from_page(output, page.content, clean_page)
            state["shell"], state["frame_script"] = paper_frame.move_script_only_parts(shell)
        except paper_pages.ShellError as error:
            raise PluginError(f"paper pages cannot be assembled: {error}") from error
    elif page.file.src_uri == author_pages.SHELL_SOURCE:
        try:
            state["author_frame"] = author_pages.cut_frame(clean_page(output), page.content)
        except author_pages.FrameError as error:
            raise PluginError(f"author pages cannot be assembled: {error}") from error
    else:
        root = page_frame.root_of(page.url)
        if root is not None:  # every other page's palette toggle and search dialog: from a shared script
            frame: page_frame.PageFrame = state.setdefault("page_frame", page_frame.PageFrame())
            compact = page_frame.compact_nav(top_level_entries(), root)
            return frame.move(clean_page(output), root, page.url, compact)
    return clean_page(output)


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    state["nav"] = nav
    state.pop("listed", None)
    return nav


def top_level_entries() -> list[tuple[str, str]]:
    """The navigation's top-level entries as (title, URL from the site's root): a section by its first page, a
    link by its address. Read once the pages have their titles (all have, before the first is written)."""
    if "top_level" not in state:
        entries = []
        for item in getattr(state.get("nav"), "items", []):
            first = item
            while getattr(first, "is_section", False) and first.children:
                first = first.children[0]
            url = getattr(first, "url", None)
            if url is None or getattr(first, "is_section", False):
                continue
            entries.append((str(item.title or first.title or url), url))
        state["top_level"] = entries
    return list(state["top_level"])


def on_post_build(config: Any) -> None:
    """Write every paper's page from the shell, then list them in the sitemap instead of the placeholder."""
    write_author_pages(config)
    drop_unused_theme_assets(config)
    frame = state.get("page_frame")
    for script in (frame.script, frame.nav_script) if frame is not None else ():
        if script is not None:
            path = Path(config["site_dir"]) / script.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(script.text, encoding="utf-8")
    shell = state.get("shell")
    if shell is None:
        return
    site_dir = Path(config["site_dir"])
    placeholder = site_dir / "papers" / paper_pages.SHELL_ID
    (placeholder / "index.html").unlink(missing_ok=True)
    if placeholder.is_dir():
        placeholder.rmdir()
    script = state.get("frame_script")
    if script is not None:
        (site_dir / script.path).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / script.path).write_text(script.text, encoding="utf-8")
    try:
        written = paper_pages.write_pages(site_dir, shell, paper_pages.read_records(Path(config["docs_dir"])))
    except (paper_pages.ShellError, ValueError, KeyError) as error:
        raise PluginError(f"paper pages cannot be assembled: {error}") from error
    files = state.get("files")
    pages = [f.page for f in files.documentation_pages() if f.page is not None] if files else None
    paper_pages.rewrite_sitemap(site_dir, config["site_url"] or "", written, get_build_timestamp(pages=pages))


# Material's files that no page of ours loads: its search worker and the lunr languages it imports (every
# page's settings point search at our worker, assets/digest/search-worker.js), and the source maps of its
# scripts and stylesheets (read by a browser's developer tools only). About 2.2 MB of every site.
UNUSED_THEME_ASSETS = ("assets/javascripts/workers", "assets/javascripts/lunr")
SOURCE_MAPS = ("assets/javascripts/*.map", "assets/stylesheets/*.map")


def drop_unused_theme_assets(config: Any) -> None:
    """Delete Material's files that no page loads (not when Material's own search is used, as Zensical's is)."""
    if (config.get("extra") or {}).get("digest_builtin_search"):
        return
    site_dir = Path(config["site_dir"])
    for folder in UNUSED_THEME_ASSETS:
        shutil.rmtree(site_dir / folder, ignore_errors=True)
    for pattern in SOURCE_MAPS:
        for path in site_dir.glob(pattern):
            path.unlink()


def write_author_pages(config: Any) -> None:
    """The light author pages (generator/author_pages.py), in place of their placeholder (not in the sitemap)."""
    frame = state.get("author_frame")
    if frame is None:
        return
    site_dir = Path(config["site_dir"])
    author_pages.drop_placeholder(site_dir)
    try:
        author_pages.write_pages(site_dir, frame, author_pages.read_records(Path(config["docs_dir"])))
    except (author_pages.FrameError, ValueError, KeyError, TypeError) as error:
        raise PluginError(f"author pages cannot be assembled: {error}") from error


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
    kept = [
        INDENT.sub("\n", piece) if index % 3 == 0 else piece for index, piece in enumerate(pieces) if index % 3 != 2
    ]
    return "".join(kept)
