"""The parts of a paper page's frame served once, from a cached script, and the script that puts them back.

Material's frame is most of a paper page, the same on every one of them; what does nothing
without JavaScript (or only dresses the page) is cut from the shell (generator/paper_pages.py)
into ``assets/digest/paper-frame.<hash>.js``. generator/page_frame.py does the same for every
other page with the palette, search and settings, and generator/author_pages.py for author pages
with its own script; ``frame_script`` and ``insert_part_js`` are shared by them.
"""

from __future__ import annotations

import hashlib
import html as html_module
import json
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from generator.paper_pages import Shell, Slot

# Parts of Material's frame that do nothing without JavaScript, or only dress the page: the palette
# toggle (and the script that applies the reader's saved palette), the search dialog, the header's
# menu button and title, Material's settings (with ours that points search at our worker) and its
# dialog, the helpers it defines in the head, the back-to-top button and the (empty) footer. About
# 8 KB of every paper page, the same on all of them; so they are served once, from a cached script
# that puts each back where it stood while the page is parsed, before Material's own script starts.
# Instant navigation keeps the header, head helpers and settings of the page it started from, so it
# never needs them again. The header's title shows the page's title, which the script reads from
# <title> (the page's own text, so no copy of it is kept in the page).
# The site's navigation goes the same way (about 1 KB of every paper page, the same on all of
# them): instant navigation replaces the page's container, navigation, back-to-top button and
# footer included, and runs the scripts in it, this one among them, before Material sets the new
# page up. Without JavaScript a paper page has no sidebar; its header's logo leads home, and its
# issue, topics, related papers and the previous and next paper of its issue are links of the article.
FRAME_SCRIPT_DIR = "assets/digest"
# The palette toggle and the search button, up to the search dialog (a div that ends where its nesting does). A site
# of one palette (`palette: {primary: teal}`, no toggle) has neither the toggle nor its script: the search alone.
PALETTE_AND_SEARCH = (
    r'(?:<form class="md-header__option" data-md-component="palette">.*?</form>\s*<script>.*?</script>\s*)?'
    r'<label class="md-header__button md-icon" for="__search">.*?</label>\s*'
    r'(?=<div class="md-search" data-md-component="search" role="dialog"[^>]*>)'
)
# On a paper page, from the header's menu button and title on.
_PALETTE_AND_SEARCH = re.compile(
    r'(?:<label class="md-header__button md-icon" for="__drawer">(?:(?!</nav>).)*?)?' + PALETTE_AND_SEARCH, re.DOTALL
)
# Material's dialog (where "Copied to clipboard" shows), its settings, and the script after them
# that points search at our worker (none in a Zensical build).
SETTINGS = re.compile(r'(?:<div class="md-dialog" data-md-component="dialog">\s*<div class="md-dialog__inner'
                       r' md-typeset"></div>\s*</div>\s*)?'
                       r'<script id="__config" type="application/json">.*?</script>(?:\s*<script>.*?</script>)?',
                       re.DOTALL)


def find_settings(html: str) -> re.Match[str] | None:
    """``SETTINGS`` in ``html``, searched from where the dialog or the settings start: the pattern begins with an
    optional part, so a search from the start would try it at every position of a long page."""
    starts = (html.find('<div class="md-dialog" data-md-component="dialog">'), html.find('<script id="__config"'))
    found = [start for start in starts if start >= 0]
    return SETTINGS.search(html, min(found)) if found else None


_DIV = re.compile(r"<div\b|</div>")
# The site's navigation (the paper pages' compact one: the same top-level entries on every paper page).
_NAV_START = re.compile(r'<nav class="md-nav md-nav--primary"[^>]*>')
# ... with the sidebar's inner wrappers around it (the sidebar itself stays: it keeps the layout without JavaScript).
_WRAPPED_NAV_START = re.compile(
    r'<div class="md-sidebar__scrollwrap">\s*<div class="md-sidebar__inner">\s*(?=<nav class="md-nav md-nav--primary")'
)
_NAV = re.compile(r"<nav\b|</nav>")
# Material's helpers for reading and saving the reader's settings, defined in the head before anything else.
_SCOPE = re.compile(r"<script>__md_scope=.*?</script>", re.DOTALL)
# The back-to-top button (hidden until the reader scrolls back up), last in <main>, and the footer after <main>.
_TOP_AND_FOOTER = re.compile(
    r'(?P<top><button type="button" class="md-top md-icon" data-md-component="top" hidden>.*?</button>\n?)'
    r'(?P<between></main>\s*)(?P<footer><footer class="md-footer">.*?</footer>)',
    re.DOTALL,
)
# Parts appended to the element just before their script (the back-to-top button goes back into <main>).
INSIDE_PREVIOUS = ("top",)
# What a part shared by pages at different depths (generator/page_frame.py) says where the way up to the site's
# root goes, and where Material's settings name the site's root (its "base"); the frame script puts in the page's.
ROOT_TOKEN = "DigestRoot/"
BASE_TOKEN = "DigestBase"
# Markup that does nothing on a paper page: the generator's name and version, an empty announcement bar, and the
# script that opens a content tab named by the address's #fragment (paper pages have no tabs).
_UNUSED = re.compile(
    r'<meta name="generator" content="[^"]*">\n?'
    r'|<div data-md-component="announce">\s*</div>\n?'
    r"|<script>var target=document\.getElementById\(location\.hash\.slice\(1\)\);[^<]*__tabbed_[^<]*</script>\n?"
)
# The header's title ends with the page's title (the title slot): the frame script writes it there from <title>.
_HEADER_TOPIC = '<div class="md-header__topic" data-md-component="header-topic">\n<span class="md-ellipsis">\n'


@dataclass(frozen=True)
class FrameScript:
    """The script that puts the frame's script-only parts back: its path in the site and its text."""

    path: str
    text: str


def drop_unused(html: str) -> str:
    """``html`` without the markup that does nothing on a paper page (see ``_UNUSED``)."""
    return _UNUSED.sub("", html)


def element_end(html: str, start: int, tags: re.Pattern[str] = _DIV) -> int:
    """The end of the element (a <div> unless ``tags`` says otherwise) that opens at ``start``, or -1.

    Material's search dialog nests divs, its navigation navs."""
    depth = 0
    for match in tags.finditer(html, start):
        depth += 1 if not match.group().startswith("</") else -1
        if depth == 0:
            return match.end()
    return -1


def _script_only_parts(html: str) -> list[tuple[str, int, int, str]]:
    """(name, start, end, tag) of the script-only parts of one literal piece; ``tag`` is the data-part value of
    the script that takes the part's place ("" for a part that another part's script puts back)."""
    found = []
    scope = _SCOPE.search(html)
    if scope is not None:
        found.append(("scope", scope.start(), scope.end(), "scope"))
    header = _PALETTE_AND_SEARCH.search(html)
    if header is not None:
        end = element_end(html, header.end())
        if end > 0:
            found.append(("header", header.start(), end, "header"))
    settings = find_settings(html)
    if settings is not None and "__config" in settings.group(0).rpartition("<script>")[2]:
        found.append(("settings", settings.start(), settings.end(), "settings"))
    wrapped = _WRAPPED_NAV_START.search(html)
    nav = _NAV_START.search(html)
    if wrapped is not None and element_end(html, wrapped.start()) > 0:
        found.append(("nav", wrapped.start(), element_end(html, wrapped.start()), "nav"))
    elif nav is not None and element_end(html, nav.start(), _NAV) > 0:
        found.append(("nav", nav.start(), element_end(html, nav.start(), _NAV), "nav"))
    ending = _TOP_AND_FOOTER.search(html)
    if ending is not None:
        found.append(("top", ending.start("top"), ending.end("top"), ""))
        found.append(("footer", ending.start("footer"), ending.end("footer"), "top footer"))
    return found


def _merge_header_topic(pieces: list[str | Slot]) -> tuple[list[str | Slot], bool]:
    """The pieces with the header's copy of the title left empty (the frame script fills it); whether there was one."""
    for index in range(len(pieces) - 2):
        before, slot, after = pieces[index : index + 3]
        if (isinstance(before, str) and before.endswith(_HEADER_TOPIC) and slot == Slot("title")
                and isinstance(after, str)):
            return [*pieces[:index], before + after, *pieces[index + 3 :]], True
    return pieces, False


def _title_suffix(pieces: list[str | Slot]) -> str:
    """What follows the title in the page's <title> (" - Site name"), as text."""
    for index, piece in enumerate(pieces[:-1]):
        if isinstance(piece, str) and piece.endswith("<title>") and pieces[index + 1] == Slot("title"):
            after = pieces[index + 2]
            return html_module.unescape(after.split("</title>", 1)[0]) if isinstance(after, str) else ""
    return ""


def move_script_only_parts(shell: Shell, root: str = "../../") -> tuple[Shell, FrameScript | None]:
    """``shell`` with its script-only parts replaced by a script that puts them back, and that script.

    Markup that does nothing on a paper page is dropped (see ``drop_unused``). When a theme update
    changes these parts' shape, the shell is kept whole otherwise (``None``): the pages are then
    bigger, never broken (a test checks that today's theme gives every part).
    """
    suffix = _title_suffix(shell.pieces)
    merged, topic = _merge_header_topic([drop_unused(p) if isinstance(p, str) else p for p in shell.pieces])
    parts: dict[str, str] = {}
    placed: list[tuple[int, int, int, str]] = []
    for index, piece in enumerate(merged):
        if isinstance(piece, str):
            for name, start, end, tag in _script_only_parts(piece):
                parts[name] = piece[start:end]
                placed.append((index, start, end, tag))
    if not {"header", "settings"} <= parts.keys() or (topic and "md-header__title" not in parts["header"]):
        return Shell([drop_unused(p) if isinstance(p, str) else p for p in shell.pieces]), None
    text = frame_script(parts, suffix if topic else None)
    path = f"{FRAME_SCRIPT_DIR}/paper-frame.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.js"
    pieces: list[str | Slot] = []
    for index, piece in enumerate(merged):
        if isinstance(piece, str):
            for place_index, start, end, tag in sorted(placed, key=lambda item: -item[1]):
                if place_index == index:
                    script = f'<script src="{root}{path}" data-part="{tag}"></script>' if tag else ""
                    piece = f"{piece[:start]}{script}{piece[end:]}"
        pieces.append(piece)
    return Shell(pieces), FrameScript(path, text)


# The header's logo when it is an inline SVG icon (Material's default, or `theme.icon.logo`): drawn by
# digest.css from one file instead (a mask filled with the header's text colour, as the inline icon is).
_LOGO = re.compile(
    r'(?P<open><a href="[^"]*" title="[^"]*" class="md-header__button md-logo")(?P<attributes>[^>]*>)\s*'
    r'(?P<svg><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 (?P<width>[0-9.]+) (?P<height>[0-9.]+)">'
    r'(?:(?!</svg>).)*</svg>)\s*</a>',
    re.DOTALL,
)
LOGO_PATH = f"{FRAME_SCRIPT_DIR}/logo.svg"  # digest.css names it (url(logo.svg), beside the stylesheet)
LOGO_CLASS = "digest-logo"


def move_logo(shell: Shell) -> tuple[Shell, FrameScript | None]:
    """``shell`` with the header logo's inline SVG icon (245 bytes of every paper page) left to digest.css,
    which draws it from ``LOGO_PATH``, and that file; ``shell`` as it is when the logo is an image, an icon that
    is not square (the stylesheet draws a square) or one that is not an XML document of its own. The link home
    stays, with its label, also without JavaScript."""
    pieces: list[str | Slot] = []
    found: FrameScript | None = None
    for piece in shell.pieces:
        match = _LOGO.search(piece) if isinstance(piece, str) and found is None else None
        if isinstance(piece, str) and match is not None and _is_square_svg(match):
            found = FrameScript(LOGO_PATH, match["svg"] + "\n")
            link = f'{match["open"][:-1]} {LOGO_CLASS}"{match["attributes"]}</a>'
            piece = piece[: match.start()] + link + piece[match.end() :]
        pieces.append(piece)
    return (Shell(pieces), found) if found is not None else (shell, None)


def logo_for_site(shell: Shell, site_dir: Path, stylesheets: Iterable[object]) -> tuple[Shell, FrameScript | None]:
    """``move_logo`` when one of the site's stylesheets draws the logo (``stylesheets_draw_logo``), else ``shell``
    as it is: the step both builders (generator/mkdocs_hooks.py, generator/zensical.py) take before paper pages."""
    return move_logo(shell) if stylesheets_draw_logo(site_dir, stylesheets) else (shell, None)


def write_assets(site_dir: Path, *assets: FrameScript | None) -> None:
    """Write each frame script or logo file that was made into the built site."""
    for asset in assets:
        if asset is not None:
            (site_dir / asset.path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / asset.path).write_text(asset.text, encoding="utf-8")


def stylesheets_draw_logo(site_dir: Path, stylesheets: Iterable[object]) -> bool:
    """Whether one of the site's stylesheets (``extra_css``, built into ``site_dir``) draws the logo: a site
    whose theme overrides hold its own copy of digest.css, made from an older version, may not."""
    for stylesheet in map(str, stylesheets):
        path = site_dir / stylesheet.split("?", 1)[0].lstrip("/")
        if "://" not in stylesheet and path.is_file() and LOGO_CLASS in path.read_text(encoding="utf-8"):
            return True
    return False


def restore_logo(page: str, logo: FrameScript) -> str:
    """The page with the logo's inline icon back, as Material wrote it (for tests)."""
    link = re.search(f'(<a [^>]*class="md-header__button md-logo) {LOGO_CLASS}"([^>]*>)</a>', page)
    if link is None:
        return page
    return page[: link.start()] + f"{link[1]}\"{link[2]}\n{logo.text}</a>" + page[link.end() :]


def _is_square_svg(match: re.Match[str]) -> bool:
    """Whether the icon is square and stands as an SVG file of its own (a stylesheet reads it as XML, not HTML)."""
    if not float(match["width"]) == float(match["height"]) > 0:
        return False
    try:
        ElementTree.fromstring(match["svg"])
    except ElementTree.ParseError:
        return False
    return True


def restore_script_only_parts(page: str, script: FrameScript, root: str = "../../") -> str:
    """What the frame script does in the browser, done on the page's text (for tests)."""
    parts = json.loads(script.text.split("var parts = ", 1)[1].split(";\n", 1)[0])
    base = json.dumps(root.rstrip("/") or ".")
    parts = {name: html.replace(ROOT_TOKEN, root).replace(f'"{BASE_TOKEN}"', base) for name, html in parts.items()}
    for tag in re.findall(f'<script src="{re.escape(root + script.path)}" data-part="([^"]*)"></script>', page):
        place = f'<script src="{root}{script.path}" data-part="{tag}"></script>'
        start = page.find(place)
        names = tag.split()
        inside = "".join(parts[name] for name in names if name in INSIDE_PREVIOUS)
        here = "".join(parts[name] for name in names if name not in INSIDE_PREVIOUS)
        closing = page.rfind("</", 0, start) if inside else start  # the end of the element before the script
        page = page[:closing] + inside + page[closing:start] + here + page[start + len(place) :]
    if "var topic = true;" in script.text:
        title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
        suffix = json.loads(script.text.split("var suffix = ", 1)[1].split(";\n", 1)[0])
        escaped = html_module.escape(suffix, quote=False)
        text = title.group(1)[: len(title.group(1)) - len(escaped)] if title else ""
        page = page.replace(_HEADER_TOPIC + "\n</span>", _HEADER_TOPIC + text + "\n</span>", 1)
    return page


def frame_script(parts: dict[str, str], suffix: str | None) -> str:
    """The script that puts ``parts`` back, each where its script element stands (or, for the parts named in
    ``INSIDE_PREVIOUS``, at the end of the element before it); with a title ``suffix``, it also writes the
    page's title (its <title> without the suffix) into the header."""
    # JSON inside a script: "</" written as "<\/" so no part can end the script early.
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    title_suffix = json.dumps(suffix or "", ensure_ascii=False).replace("</", "<\\/")
    return (
        "/* Paper Digest: the parts of a page that work only with JavaScript (palette toggle, search dialog;\n"
        "   on paper pages also the header title, back-to-top button, Material's settings and the site's\n"
        "   navigation), cut from Material's own page by generator/paper_frame.py (generator/page_frame.py) and\n"
        "   served once for every page. Each runs where its part stood, while the page is parsed (or, after\n"
        "   instant navigation, when Material runs the new page's scripts). */\n"
        "(function () {\n"
        f"  var parts = {data};\n"
        f"  var inside = {json.dumps(list(INSIDE_PREVIOUS))};\n"
        f"  var suffix = {title_suffix};\n"
        f"  var topic = {json.dumps(suffix is not None)};\n"
        "  var here = document.currentScript;\n"
        "  /* Parts shared by pages at different depths say DigestRoot/ for the way up to the site's root. */\n"
        "  var root = here.getAttribute(\"src\").replace(/assets\\/digest\\/[^\\/]*$/, \"\");\n"
        "  var base = JSON.stringify(root.replace(/\\/$/, \"\") || \".\");\n"
        "  here.getAttribute(\"data-part\").split(\" \").forEach(function (name) {\n"
        "    var holder = document.createElement(\"template\");\n"
        "    holder.innerHTML = parts[name].split(\"DigestRoot/\").join(root).split('\"DigestBase\"').join(base);\n"
        + insert_part_js("    ", "inside.indexOf(name) < 0 ? here.before(holder.content)"
                         " : here.previousElementSibling.append(holder.content);\n")
        + "  });\n"
        "  here.remove();\n"
        "  /* The header shows the page's title: this page's, also after instant navigation from another page. */\n"
        "  if (topic) {\n"
        "    var title = document.title;\n"
        "    if (suffix && title.slice(-suffix.length) === suffix) title = title.slice(0, -suffix.length);\n"
        "    var shown = document.querySelectorAll('[data-md-component=\"header-topic\"] .md-ellipsis');\n"
        "    for (var n = 0; n < shown.length; n++) shown[n].textContent = title;\n"
        "  }\n"
        "})();\n"
    )


def insert_part_js(indent: str, insert: str = "here.replaceWith(holder.content);\n") -> str:
    """The frame scripts' last step (here and generator/author_pages.py), indented: the part's HTML, parsed
    into ``holder`` (a template element), goes in by ``insert`` (by default: replaces the script element
    ``here`` that asked for it)."""
    return textwrap.indent(
        "/* Scripts parsed into a template never run: each is replaced by a copy, which runs when inserted. */\n"
        "holder.content.querySelectorAll(\"script\").forEach(function (old) {\n"
        "  var fresh = document.createElement(\"script\");\n"
        "  for (var i = 0; i < old.attributes.length; i++) {\n"
        "    fresh.setAttribute(old.attributes[i].name, old.attributes[i].value);\n"
        "  }\n"
        "  fresh.text = old.text;\n"
        "  old.replaceWith(fresh);\n"
        "});\n" + insert,
        indent,
    )
