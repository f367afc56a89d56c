"""Path-safe names for topics and pages."""

from __future__ import annotations

import functools
import re
import unicodedata

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; '' when nothing usable is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if slug in WINDOWS_RESERVED:
        slug = f"{slug}-topic"
    return slug[:80].rstrip("-")


def is_safe_slug(slug: str, on_windows: bool = True) -> bool:
    """True for a slug that is one plain path segment, on Windows too (``windows_trouble``). ``on_windows=False``:
    one that versions up to 0.1.4 took (a slug a site published then, kept working with ``formerly:``)."""
    return (bool(re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,79}", slug)) and ".." not in slug
            and slug not in WINDOWS_RESERVED and (not on_windows or windows_trouble(slug) is None))


def windows_trouble(slug: str) -> str | None:
    """Why Windows cannot hold a folder or file named ``slug`` (or ``slug.atom.xml``), or None. Windows reserves its
    device names whatever the extension (``aux.notes`` is AUX) and drops a trailing dot (``nlp.`` would be ``nlp``,
    another topic's folder)."""
    device = slug.split(".", 1)[0]
    if device in WINDOWS_RESERVED:
        return f"{device.upper()} is a device name on Windows, also with an extension"
    if slug.endswith("."):
        return "Windows drops a trailing dot from a folder's name"
    return None


# Names the site keeps for its own pages and feeds (top/, authors/, top.atom.xml, issues.atom.xml, ...): a topic's feeds
# are <slug>.atom.xml and <slug>.rss.xml beside them at the root, so no topic may take one of these.
RESERVED_SLUGS = ("top", "authors", "watch", "picks", "issues")
SITE_FILES = ("atom.xml", "rss.xml", "feeds.opml")


def feed_files(slug: str) -> tuple[str, str]:
    """The file names of a topic's (or a reserved page's) Atom and RSS feeds, at the site root."""
    return f"{slug}.atom.xml", f"{slug}.rss.xml"


RESERVED_FILES = frozenset((*SITE_FILES, *(name for slug in RESERVED_SLUGS for name in feed_files(slug))))


def is_reserved_slug(slug: str) -> bool:
    """True for a slug the site keeps for itself, or whose feed files would take one of the site's."""
    return slug.casefold() in RESERVED_SLUGS or any(name.casefold() in RESERVED_FILES for name in feed_files(slug))


@functools.lru_cache(maxsize=4096)
def page_url(page: str) -> str:
    """The URL path of a Markdown page with MkDocs' directory URLs: papers/x.md -> papers/x/."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    return stem if not stem or stem.endswith("/") else stem + "/"
