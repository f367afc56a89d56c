"""MkDocs hooks: the generated navigation, paper pages assembled from one rendered shell, theme repairs.

The nav is generated (``content/.nav.yml``) because it lists topics and the newest issues,
which only the data knows; it stays small whatever the archive's size, so the build stays
linear. Paper pages are not Markdown pages: see generator/paper_pages.py.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import os
import posixpath
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_build_timestamp

from generator import author_pages, listing_pages, packaged, page_frame, paper_frame, paper_pages, writer
from generator.config import DEFAULT_CONFIG, Config, load_config, nav_sources
from generator.errors import DigestError
from generator.slugs import page_url
from generator.writer import read_manifest

NAV_FILE = ".nav.yml"
EPOCH_FILE = ".digest/epoch"  # generator/build.py writes it
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
state_epoch: dict[str, bool] = {}  # whether this process set SOURCE_DATE_EPOCH itself
# Per build: the files (for the sitemap's timestamp) and the placeholder page cut into a shell.
state: dict[str, Any] = {}
# For the whole process: whether MkDocs is serving (then each build first rebuilds content/).
serving: dict[str, bool] = {}
# The plugin's settings (generator/mkdocs_plugin.py): fast_pages, listing pages assembled from one frame.
options: dict[str, bool] = {"fast_pages": True}
log = logging.getLogger("mkdocs.hooks.digest")


def on_startup(command: str, dirty: bool) -> None:
    serving["on"] = command == "serve"
    serving["address_checked"] = False


def on_config(config: Any) -> Any:
    state.clear()
    escape_site_texts(config)
    if serving.get("on"):
        if not serving.get("address_checked"):  # before the first build only: later, the server holds it
            serving["address_checked"] = True
            check_address_free(config["dev_addr"])
        build_content(Path(config["config_file_path"]).parent)
    check_content_whole(Path(config["docs_dir"]))
    nav_file = Path(config["docs_dir"]) / NAV_FILE
    if config["nav"] is None and nav_file.is_file():
        config["nav"] = yaml.safe_load(nav_file.read_text(encoding="utf-8"))
    date_the_build(Path(config["docs_dir"]))
    return config


def check_content_whole(docs_dir: Path) -> None:
    """Stop when ``digest build`` was killed while it replaced the files of ``docs_dir``: a site built from them would
    be part the old build's, part the new one's. One replacing them right now is waited for."""
    if not writer.interrupted(docs_dir):
        return
    try:
        lock = writer.lock_folder(docs_dir)
    except DigestError as error:
        raise PluginError(str(error)) from None
    if lock is not None:
        os.close(lock)
    if writer.interrupted(docs_dir):
        raise PluginError(writer.interrupted_message(docs_dir))


def check_content_built(docs_dir: Path) -> None:
    """Stop when ``digest build`` never wrote ``docs_dir``: a fresh site's ``mkdocs build`` (before any ``digest
    build``) wrote a site of a 404 page alone, without a word, over the last good one. ``mkdocs serve`` builds it
    first."""
    if not (docs_dir / writer.MANIFEST).is_file():
        raise PluginError(writer.unbuilt_message(docs_dir))


def check_address_free(address: Any) -> None:
    """Stop ``mkdocs serve`` (``make serve``) before it builds when its address is taken, as by another server still
    running: MkDocs built the whole site first, then ended in a traceback (``OSError: [Errno 98] Address already in
    use``)."""
    host, port = address
    try:
        family = socket.AF_INET6 if isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address) else socket.AF_INET
    except ValueError:  # a host name, such as localhost: MkDocs serves it over IPv4
        family = socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server binds
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PluginError(
                f"cannot serve at {host}:{port}: {error.strerror or error} (another make serve or mkdocs serve still"
                f" running?): stop it, or serve at another address: make serve SERVE_ADDRESS={host}:{port + 1}"
                f" (mkdocs serve --dev-addr {host}:{port + 1})") from None


def escape_site_texts(config: Any) -> None:
    """``site_name`` and ``site_description`` as escaped HTML: Material prints them unescaped in places (``<title>``,
    the header, the description meta of pages without one of their own), where a name holding ``</title><script>``
    ran as a script. As Markup, Material's own ``| e`` leaves them escaped once."""
    for key in ("site_name", "site_description"):
        value = config.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            config[key] = escape(value)


def date_the_build(docs_dir: Path) -> None:
    """Without ``SOURCE_DATE_EPOCH``, date the build by the newest issue (``digest build`` wrote it), as ``make site``
    does: a plain ``mkdocs build`` put today's date in every line of the sitemap, so two builds of the same
    content differed. A ``SOURCE_DATE_EPOCH`` of the caller's own wins; one set here is replaced at the next build
    (``mkdocs serve`` builds again in the same process)."""
    if os.environ.get(EPOCH_VARIABLE) and not state_epoch.get("set"):
        return
    epoch_file = docs_dir / EPOCH_FILE
    text = epoch_file.read_text(encoding="utf-8").strip() if epoch_file.is_file() else ""
    if text.isascii() and text.isdigit():  # 0 too (no papers, or none after 1970): make site gives it as well
        os.environ[EPOCH_VARIABLE] = text
        state_epoch["set"] = True
    elif state_epoch.pop("set", False):
        os.environ.pop(EPOCH_VARIABLE, None)


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
        elif digest is not None and path == digest.path(digest.templates):
            watch_once_made(server, path)
    return server


def watch_once_made(server: Any, folder: Path) -> None:
    """Watch ``folder`` from the moment it is made: ``digest override`` makes templates/ while the site is served,
    and edits of the template it copied were not rebuilt until the server was started again."""

    def wait() -> None:
        while not folder.is_dir():
            time.sleep(1)
        server.watch(str(folder))

    threading.Thread(target=wait, name="digest-templates-watch", daemon=True).start()


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
    # Zensical hides the drawer's overlay label from assistive technology, which a label for a control may not be
    # (it is empty, so nothing is read out either way); Material writes it without.
    html = html.replace('<label class="md-overlay" for="__drawer" aria-hidden="true">',
                        '<label class="md-overlay" for="__drawer">')
    if 'id="__toc"' not in html:
        # Pages outside the navigation (papers) have no "__toc" toggle for the label to point at.
        html = html.replace(' for="__toc"', "")
    return html


def on_files(files: Any, config: Any) -> Any:
    """Add the placeholder paper page when the generator wrote paper records."""
    state.clear()
    state["files"] = files
    no_edit_links_to_generated_pages(files, config)
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
    if options.get("fast_pages", True) and config["use_directory_urls"]:  # pages are written as <url>/index.html
        take_listing_pages(files, config)
    return files


def no_edit_links_to_generated_pages(files: Any, config: Any) -> None:
    """Material's "Edit this page" and "View source" buttons (``content.action.edit``, ``content.action.view``) on a
    generated page led to its file in the repository, which .gitignore keeps out of it: a 404. As MkDocs does for the
    files a plugin generates, those pages get none; the site's own pages keep theirs."""
    generated = read_manifest(Path(config["docs_dir"]))
    state["generated"] = generated
    for file in files.documentation_pages():
        if file.src_uri in generated:
            file.edit_uri = None


def take_listing_pages(files: Any, config: Any) -> None:
    """Take the listing pages the navigation does not list out of MkDocs' build (generator/listing_pages.py).

    Pages are grouped by their part of the site and depth (``issues`` at 2, ``topics`` at 3...). Each group gets
    a placeholder page to cut its frame from; its first page stays in the build, to check the frame against.
    """
    from mkdocs.utils.meta import get_data

    listed = nav_sources(config["nav"])
    groups: dict[tuple[str, int], list[tuple[Any, listing_pages.Listing]]] = {}
    for file in files.documentation_pages():
        if file.src_uri in listed or not file.inclusion.is_not_in_nav() or "/" not in file.src_uri:
            continue
        listing = listing_pages.parse(file.src_uri, file.content_string, get_data)
        if listing is not None:
            groups.setdefault((file.src_uri.split("/", 1)[0], listing.url.count("/")), []).append((file, listing))
    taken: dict[str, Any] = {}
    for _, members in sorted(groups.items()):
        members.sort(key=lambda member: member[0].src_uri)
        if len(members) < 2:
            continue  # one page: MkDocs renders it
        specimen, *rest = members
        source = listing_pages.placeholder_source(posixpath.dirname(specimen[0].src_uri))
        if files.get_file_from_path(source) is not None:
            continue
        files.append(File.generated(config, source, content=listing_pages.SHELL_MARKDOWN,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
        for file, _ in rest:
            file.inclusion = InclusionLevel.EXCLUDED
            taken[file.src_uri] = file
        state.setdefault("listings", {})[source] = (specimen[1], [listing for _, listing in rest])
    if taken:
        state["taken"] = taken
        quiet_links_to_taken_pages()


class _TakenPagesLinks(logging.Filter):
    """MkDocs says, for each link to a page taken out of its build, that the page is excluded: not so, the hook
    writes it (at the INFO level MkDocs gives it, hundreds of lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "which is excluded from the built site" not in message:
            return True
        target = message.rpartition("contains a link to '")[2].partition("'")[0]
        return target not in state.get("taken", {})


_LINK_FILTER = _TakenPagesLinks()


def quiet_links_to_taken_pages() -> None:
    logger = logging.getLogger("mkdocs.structure.pages")
    if _LINK_FILTER not in logger.filters:
        logger.addFilter(_LINK_FILTER)


# Generated pages carry finished HTML (lists of papers) between a "<!-- digest:html -->" line and a
# "<!-- digest:end -->" line (or the end of the page). Python-Markdown would parse that HTML tag by
# tag only to leave it as it is (most of a listing page's cost), so the hook sets each block aside
# before Markdown and puts it back after. Without the hook the pages still render the same.
HTML_START, HTML_END = listing_pages.HTML_START, listing_pages.HTML_END
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
    if page.file.src_uri not in state.get("generated", ()) and not page.file.generated_by:
        collect_own_links(page.file.src_uri, page.url, html)
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
            output = frame.move(clean_page(output), root, page.url, compact)
            if page.file.src_uri in state.get("listings", {}):
                cut_listing_frame(output, page, config)
            return output
    return clean_page(output)


def cut_listing_frame(output: str, page: Any, config: Any) -> None:
    from markdown.extensions.toc import slugify

    frames = state.setdefault("listing_frames", {})
    try:
        frames[page.file.src_uri] = listing_pages.cut(output, page.content, page.url,
                                                      config["mdx_configs"].get("toc") or {}, slugify)
    except listing_pages.FrameError as error:
        frames[page.file.src_uri] = str(error)  # its pages go through MkDocs after all: write_listing_pages


def write_listing_pages(site_dir: Path, config: Any) -> list[str]:
    """Write every listing page taken out of the build, from its group's frame, after checking the frame against
    the group's first page as MkDocs wrote it; the URLs written, and the placeholders' pages deleted.

    A group whose frame cannot be filled in (a theme override or plugin that writes something of each page's own
    into it) is rendered by MkDocs page by page instead, as without ``fast_pages``, and the log says so.
    """
    from markdown.extensions.toc import unique

    written = []
    for source, (specimen, listings) in state.get("listings", {}).items():
        frame = state.get("listing_frames", {}).get(source, "the placeholder page was not rendered")
        placeholder = site_dir / page_url(source)
        (placeholder / "index.html").unlink(missing_ok=True)
        if placeholder.is_dir():
            placeholder.rmdir()
        why = frame if isinstance(frame, str) else mismatch(site_dir, frame.page(specimen, unique, clean_page),
                                                            specimen)
        if why:
            log.info(f"{specimen.src_uri} and {len(listings)} more pages of its part of the site are rendered one "
                     f"by one: {why} (`fast_pages: false` for the paper-digest plugin does so for all from the start)")
            render_one_by_one(config, listings)
        else:
            for listing in listings:
                folder = site_dir / listing.url
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "index.html").write_bytes(frame.page(listing, unique, clean_page).encode("utf-8"))
        written += [listing.url for listing in listings]
    return written


def mismatch(site_dir: Path, expected: str, specimen: listing_pages.Listing) -> str:
    """Why the frame, filled for the group's first page, is not the page MkDocs wrote ("" when it is)."""
    made = site_dir / specimen.url / "index.html"
    actual = made.read_text(encoding="utf-8") if made.is_file() else ""
    if actual == expected:
        return ""
    pairs = zip(actual.splitlines(), expected.splitlines(), strict=False)
    line = next((n for n, (a, b) in enumerate(pairs, 1) if a != b), min(actual.count("\n"), expected.count("\n")) + 1)
    return f"the frame filled in for {specimen.src_uri} differs from MkDocs' own page at line {line}"


def render_one_by_one(config: Any, listings: list[listing_pages.Listing]) -> None:
    """Render pages taken out of the build through MkDocs after all, as its build does (every plugin's events)."""
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.pages import Page

    files, taken = state["files"], state.get("taken", {})
    env = state.get("env") or config.theme.get_env()
    doc_files = files.documentation_pages()
    for listing in listings:
        file = taken[listing.src_uri]
        file.inclusion = InclusionLevel.NOT_IN_NAV
        page = file.page or Page(None, file, config)
        _populate_page(page, config, files)
        _build_page(page, config, doc_files, state["nav"], env)


def on_pre_build(config: Any) -> None:
    """After every plugin's ``on_config`` and before MkDocs empties ``site_dir``: ``use_directory_urls`` turned off
    by another plugin, and a syntax error in a theme template of the site's own (found in ``on_env`` only, it left no
    site at all where the last good build's had been), stop the build; so does a ``docs_dir`` no ``digest build`` has
    written (``mkdocs serve`` builds it in ``on_config``)."""
    check_content_built(Path(config["docs_dir"]))
    if not config["use_directory_urls"]:  # the plugin's on_config saw it on: another plugin's turned it off since
        raise PluginError("paper-digest: use_directory_urls was turned off by a plugin listed in mkdocs.yml (Material's"
                          " offline plugin does so), which would break the site's links: its pages link to folders"
                          " (papers/ID/, issues/DATE/) and paper pages load the theme from there; remove that plugin")
    check_own_theme_templates(config.theme.get_env(), own_theme_folders(config))


def on_env(env: Any, config: Any, files: Any) -> Any:
    state["env"] = env  # for pages rendered one by one after all (render_one_by_one)
    folders = own_theme_folders(config)
    check_own_theme_templates(env, folders)
    name_own_template_errors(env, folders)
    return env


OWN_TEMPLATE = "(in a theme template of your own: correct it, or delete it to use the packaged one)"


def own_theme_folders(config: Any) -> list[Path]:
    """The site's own theme folders (``templates/overrides``, ``theme.custom_dir``), not Material's nor ours."""
    project, installed = Path(config["config_file_path"]).parent.resolve(), Path(sys.prefix).resolve()
    ours = packaged.overrides_dir().resolve()
    folders = []
    for folder in config.theme.dirs:
        where = Path(folder).resolve()
        if where.is_relative_to(project) and not where.is_relative_to(installed) and where != ours:
            folders.append(where)  # not Material's nor the packaged theme files (a .venv may be in the site's folder)
    return folders


def check_own_theme_templates(env: Any, folders: list[Path]) -> None:
    """A syntax error in a theme template of the site's own (``templates/overrides/main.html``, ``custom_dir``) stops
    the build with its file and line: MkDocs showed a traceback through Material's templates that extend it."""
    import jinja2

    from generator.sources import display_path

    for folder in folders:
        for path in sorted(Path(folder).rglob("*.html")):
            try:
                env.parse(path.read_text(encoding="utf-8-sig"), path.relative_to(folder).as_posix(), str(path))
            except jinja2.TemplateSyntaxError as error:
                raise PluginError(f"{display_path(path)}:{error.lineno}: {error.message} {OWN_TEMPLATE}") from None
            except (OSError, UnicodeDecodeError):
                continue  # MkDocs' own error, where it reads the file


def name_own_template_errors(env: Any, folders: list[Path]) -> None:
    """A mistake in a theme template of the site's own that shows only as a page is rendered (an undefined name,
    ``{{ config.extra.team.lead }}``, a filter on a missing value) stops the build with its file and line too, not
    Jinja's traceback."""
    import jinja2

    from generator.sources import display_path

    if not folders or getattr(env.template_class, "names_own_errors", False):
        return

    class Template(env.template_class):  # type: ignore[misc]  # the environment's own, whatever it is
        names_own_errors = True

        def render(self, *args: Any, **kwargs: Any) -> str:
            try:
                return str(super().render(*args, **kwargs))
            except Exception as error:  # Jinja's, or Python's in an expression ({{ none | length }}: a TypeError)
                found, trace = None, error.__traceback__
                while trace is not None:  # the innermost place in a file of the site's own
                    name = Path(trace.tb_frame.f_code.co_filename)
                    if name.is_absolute() and any(name.resolve().is_relative_to(folder) for folder in folders):
                        found = f"{display_path(name)}:{trace.tb_lineno}"
                    trace = trace.tb_next
                if found is None:
                    raise
                reason = error if isinstance(error, jinja2.TemplateError) else f"{type(error).__name__}: {error}"
                raise PluginError(f"{found}: {reason} {OWN_TEMPLATE}") from None

    env.template_class = Template
    if env.cache is not None:
        env.cache.clear()  # templates compiled before: as the new class


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


# A link of a page's HTML to an address of the same site: no scheme (http:, mailto:), not from the root or a fragment.
RELATIVE_HREF = re.compile(r'<a\s[^>]*?\bhref="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"]+)"')


def collect_own_links(source: str, url: str, html: str) -> None:
    """The relative links of a page of the site's own, to check once every page is written (``check_own_links``):
    MkDocs checks only links to Markdown files, and a paper or author page is none ("unrecognized", said at INFO)."""
    state.setdefault("own_links", []).extend(own_links(source, url, html))


def own_links(source: str, url: str, html: str) -> list[tuple[str, str, str, str]]:
    """Each relative link of ``html`` (the page ``source`` at ``url``) to a page of the site, as (source, folder,
    href, target from the site's root); links to files, out of the site or to the page itself are left to others."""
    import html as html_module

    folder = url if url.endswith("/") else posixpath.dirname(url)  # about/, or about.html as a plugin may make it
    links = []
    for match in RELATIVE_HREF.finditer(html):
        href = html_module.unescape(match.group(1))
        path = href.partition("#")[0].partition("?")[0]
        if posixpath.splitext(path)[1] and not path.endswith("/"):
            continue  # a file's name (about.md, a.css, an image): MkDocs checks those itself
        target = posixpath.normpath(posixpath.join(folder, path)) if path else "."
        if target != "." and not target.startswith("../") and target != "..":
            links.append((source, folder, href, target))
    return links


def check_own_links(site_dir: Path, level: int = logging.WARNING) -> None:
    """Warn about each link of a page of the site's own that leads to no page of the built site: a paper linked by
    its address from the wrong folder (``papers/ID/`` in ``about.md`` is ``about/papers/ID/``), or one not there.
    At ``level``, MkDocs' ``validation: links: not_found`` (warn, info or ignore), as MkDocs says its own."""
    for message in unreached_links(site_dir, state.pop("own_links", [])):
        log.log(level, message)


def unreached_links(site_dir: Path, links: list[tuple[str, str, str, str]]) -> list[str]:
    """What to say of each of ``links`` (``own_links``) that leads to no page of ``site_dir``."""
    messages = []
    for source, folder, href, target in links:
        found = site_dir / target
        if found.is_file() or (found / "index.html").is_file():
            continue
        parts = target.split("/")
        meant = next(("/".join(parts[i:]) for i, part in enumerate(parts) if i and part in ("papers", "authors")
                      and (site_dir / "/".join(parts[i:]) / "index.html").is_file()), None)
        hint = f"did you mean '{posixpath.relpath(meant, folder or '.')}/'?" if meant else "no page is there"
        shown = f"{target}/" if href.partition("#")[0].partition("?")[0].endswith("/") else target
        messages.append(f"Doc file '{source}' contains a link to '{href}', which leads to {shown}: {hint}")
    return messages


def not_found_level(config: Any) -> int:
    """The level MkDocs logs a link to no page at: ``validation: links: not_found`` of mkdocs.yml."""
    try:
        return int(config["validation"]["links"]["not_found"])
    except (KeyError, TypeError, ValueError):
        return logging.WARNING


def on_post_build(config: Any) -> None:
    """Write every paper's page from the shell, then list them in the sitemap instead of the placeholder."""
    write_author_pages(config)
    drop_unused_theme_assets(config)
    frame = state.get("page_frame")
    site_dir = Path(config["site_dir"])
    if frame is not None:
        paper_frame.write_assets(site_dir, frame.script, frame.nav_script)
    listed = write_listing_pages(site_dir, config)
    shell = state.get("shell")
    files = state.get("files")
    pages = [f.page for f in files.documentation_pages() if f.page is not None] if files else None
    if shell is None:
        if listed:
            paper_pages.rewrite_sitemap(site_dir, config["site_url"] or "", listed, get_build_timestamp(pages=pages))
        check_own_links(site_dir, not_found_level(config))
        return
    placeholder = site_dir / "papers" / paper_pages.SHELL_ID
    (placeholder / "index.html").unlink(missing_ok=True)
    if placeholder.is_dir():
        placeholder.rmdir()
    shell, logo = paper_frame.logo_for_site(shell, site_dir, config["extra_css"])
    paper_frame.write_assets(site_dir, state.get("frame_script"), logo)
    try:
        dates: dict[str, str] = {}
        written = paper_pages.write_pages(site_dir, shell, paper_pages.read_records(Path(config["docs_dir"])), dates)
    except (paper_pages.ShellError, ValueError, KeyError) as error:
        raise PluginError(f"paper pages cannot be assembled: {error}") from error
    paths = listed + [f"papers/{paper_id}/" for paper_id in written]
    paper_pages.rewrite_sitemap(site_dir, config["site_url"] or "", paths, get_build_timestamp(pages=pages), dates)
    check_own_links(site_dir, not_found_level(config))


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
