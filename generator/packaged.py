"""Where the files a build needs besides the code are: found through the installed package, never the repository.

In a wheel they sit inside the package: ``generator/templates/`` (page templates, and the theme
overrides in ``overrides/``), ``generator/mkdocs_defaults.yml`` (the base MkDocs settings) and
``generator/skeleton/`` (what ``digest new`` writes). The repository keeps the templates in its
top-level ``templates/``; pyproject.toml maps that folder to ``generator.templates``, in the wheel and
in an editable install (``make setup``) alike, so both find them the same way.

A site may hold its own ``templates/`` (digest.yml's ``templates``) laid out like the packaged one:
each file there replaces the packaged file of the same path, page templates and theme files alike.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import traceback
from pathlib import Path

import jinja2

from generator.config import Config
from generator.errors import DigestError, Problem

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


def site_template_dir(config: Config) -> Path | None:
    """The site's own templates folder, when it has one (and it is not the packaged folder itself)."""
    folder = config.path(config.templates).resolve()
    return folder if folder.is_dir() and folder != template_dir() else None


def template_dirs(config: Config) -> list[Path]:
    """Where page templates are looked up, first match wins: the site's own folder, then the packaged one."""
    own = site_template_dir(config)
    return [own, template_dir()] if own else [template_dir()]


def theme_dirs(config: Config) -> list[Path]:
    """Theme override folders, first match wins: the site's ``templates/overrides``, then the packaged one."""
    own = site_template_dir(config)
    folders = [own / OVERRIDES] if own and (own / OVERRIDES).is_dir() else []
    return [*folders, overrides_dir()]


def missing_site_templates(config: Config) -> list[Problem]:
    """A templates folder that digest.yml names (not the default, which a site may well not have) and that is not
    there: a typo or a renamed folder, which would build the site with the packaged templates without a word."""

    if config.templates == Config.templates or config.path(config.templates).exists():
        return []
    return [Problem(config.file, message=f"templates: {config.templates}: no such folder; the packaged templates"
                                         " are used (digest override NAME copies one into it)")]


# Ways a template prints a value as HTML without escaping it: Jinja's ``safe`` filter, or autoescaping turned off
# (looked for line by line in a template Jinja cannot parse, which stops the build anyway).
UNESCAPED = re.compile(r"\|\s*safe\b|\{%[-+]?\s*autoescape\s+(?!true\b|True\b)", re.IGNORECASE)


def unescaped_lines(text: str) -> list[int]:
    """The lines of a template's text that print a value without escaping it: a ``safe`` filter (not a
    ``{% filter safe %}`` block, whose body is escaped as it is printed) or an ``autoescape`` not set to true
    (``false``, ``False``, ``0``, a variable), found in the template's syntax tree, so a comment is no such line."""
    import jinja2
    from jinja2 import nodes

    try:
        tree = jinja2.Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"]).parse(
            text)
    except jinja2.TemplateSyntaxError:
        return [number for number, line in enumerate(text.splitlines(), start=1) if UNESCAPED.search(line)]
    found = {node.lineno for node in tree.find_all(nodes.Filter) if node.name == "safe" and node.node is not None}
    for modifier in tree.find_all(nodes.EvalContextModifier):  # {% autoescape %} blocks are scoped modifiers
        for option in modifier.options:
            value = option.value
            if option.key == "autoescape" and not (isinstance(value, nodes.Const) and value.value is True):
                found.add(modifier.lineno)
    return sorted(found)


def unescaped_output(config: Config) -> list[Problem]:
    """Lines of the site's own templates that print a value without escaping it: titles, abstracts and names come
    from paper lists, which nobody vouches for, so each such line is reported."""
    from generator.sources import display_path  # not at the top: generator.sources imports forked, which imports us

    own = site_template_dir(config)
    problems = []
    for path in sorted(own.rglob("*")) if own else []:
        if path.suffix not in (".j2", ".html") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        for number in unescaped_lines(text):
            problems.append(Problem(display_path(path), line=number, message=(
                "prints a value as HTML without escaping it ('safe' or autoescape false): a title or abstract"
                " from a paper list could then run its own script on your site; print such values as they are")))
    return problems


def unused_site_templates(config: Config) -> list[Problem]:
    """Files of the site's own templates that replace no packaged template and that none of its templates includes:
    a misspelt name (``topic.md``, ``Paper.html.j2``), a theme file outside ``overrides/``, or a template a later
    version renamed. No page uses them, and the build went on with the packaged ones without a word."""
    import difflib

    from generator.sources import display_path  # not at the top: generator.sources imports forked, which imports us

    own = site_template_dir(config)
    if own is None:
        return []
    packaged = {path.relative_to(template_dir()).as_posix() for path in template_dir().rglob("*") if path.is_file()}
    templates = [path for path in sorted(own.rglob("*")) if path.is_file() and path.suffix in (".j2", ".html", ".md")
                 and path.name != "README.md"]
    texts = []
    for path in templates:
        try:
            texts.append(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
    problems = []
    for path in templates:
        name = path.relative_to(own).as_posix()
        if name in packaged or name.startswith(f"{OVERRIDES}/") or any(
                f'"{name}"' in text or f"'{name}'" in text for text in texts):
            continue
        theme_file = f"{OVERRIDES}/{name}"  # the theme's files go under overrides/, as Material's custom_dir
        close = [theme_file] if theme_file in packaged else difflib.get_close_matches(name, sorted(packaged), n=1)
        hint = f"did you mean {close[0]}?" if close else "digest override --list lists them"
        problems.append(Problem(display_path(path), message=f"replaces no packaged template and no template includes"
                                                            f" it, so no page uses it ({hint})"))
    return problems


def shadowed_theme_files(config: Config) -> list[Problem]:
    """Files of the site's ``theme.custom_dir`` (Material's way to customise it) that replace a packaged theme file:
    a ``main.html`` of a few blocks there took the place of ours, and the pages lost what it adds without a word."""
    from generator.config import read_mkdocs_config
    from generator.sources import display_path  # not at the top: generator.sources imports forked, which imports us

    theme = read_mkdocs_config(config).get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if not isinstance(custom_dir, str) or not custom_dir:
        return []
    folder = config.path(config.mkdocs_config).parent / custom_dir
    packaged = overrides_dir()
    problems = []
    for path in sorted(packaged.rglob("*")):
        name = path.relative_to(packaged).as_posix()
        if path.is_file() and (folder / name).is_file():
            lost = ": feed links, link previews, the paper pages' compact frame" if name == "main.html" else ""
            problems.append(Problem(display_path(folder / name), message=(
                f"replaces Paper Digest's {OVERRIDES}/{name} (theme.custom_dir comes first), and with it what that"
                f" file does{lost}; make your changes in a copy of it instead: digest override {OVERRIDES}/{name},"
                f" then edit {config.templates}/{OVERRIDES}/{name}")))
    return problems


def template_frame(error: BaseException) -> tuple[str, int] | None:
    """The file and line of the innermost template frame ``error`` was raised through, or None."""
    found = None
    for frame, frame_line in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename.endswith(".j2"):
            found = frame.f_code.co_filename, frame_line
    return found


def raised_in_template(error: BaseException) -> bool:
    """Whether ``error`` is a template's: Jinja's own, or one raised while a template ran (``{{ paper.code | length
    }}`` on a paper with no code is a TypeError, not a Jinja error)."""
    return isinstance(error, jinja2.TemplateError) or template_frame(error) is not None


def template_error(error: BaseException, record: str = "") -> str:
    """``FILE:LINE: message`` of an error in a template, FILE as the maintainer knows it, and the ``record`` it
    was rendering (``paper 2406.01234``) when known."""
    from generator.sources import display_path  # not at the top: generator.sources imports forked, which imports us

    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename is None and (frame := template_frame(error)):  # raised while rendering: the traceback names them
        filename, line = frame
    where, whose = "a template", "in a template of your own, from digest override: correct it, or delete it to use " \
        "the packaged one"
    if filename:
        where = display_path(Path(filename)) + (f":{line}" if line else "")
        if Path(filename).resolve().is_relative_to(template_dir().resolve()):
            whose = "in a packaged template: please report it"
    if isinstance(error, jinja2.TemplateError):
        reason = error.message or type(error).__name__
    else:  # a Python error in the template's expression: its type says what kind (TypeError, ZeroDivisionError)
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return f"{where}: {reason}{f', rendering {record}' if record else ''} ({whose})"
