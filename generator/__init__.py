"""Paper Digest: turn paper lists into a static digest site with topic pages and feeds."""

__version__ = "0.1.4"
