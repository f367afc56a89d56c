"""Path-safe names for topics and pages."""

from __future__ import annotations

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


def is_safe_slug(slug: str) -> bool:
    """True for a slug that is one plain path segment."""
    return (
        bool(re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,79}", slug)) and ".." not in slug and slug not in WINDOWS_RESERVED
    )
