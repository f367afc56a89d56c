"""Paper Digest: turn paper lists into a static digest site with topic pages and feeds."""

__version__ = "0.1.7"

# Before anything imports NumPy, which reads SOURCE_DATE_EPOCH then (generator/source_date.py).
from generator import source_date  # noqa: F401
