"""``SOURCE_DATE_EPOCH`` as the environment gives it, checked before any library reads it.

NumPy (which the topic engine imports) reads the variable as it is imported and stopped with a traceback on an
empty or malformed value, and MkDocs on one out of range while writing ``sitemap.xml.gz``. An empty value, as a CI
setting that is not set gives (``SOURCE_DATE_EPOCH: ${{ vars.EPOCH }}``), is taken as unset; any other value that
is not seconds since 1970 is an error of the command, which it reports by name (``PROBLEM``).
"""

from __future__ import annotations

import os

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
MAX_EPOCH = 2**32 - 1  # gzip's modification time is 32 bits (MkDocs' sitemap.xml.gz)


def check_environment() -> str | None:
    """Remove an empty ``SOURCE_DATE_EPOCH`` from the environment; a message for one that cannot be used."""
    value = os.environ.get(EPOCH_VARIABLE)
    if value is None:
        return None
    text = value.strip()
    if not text:
        del os.environ[EPOCH_VARIABLE]
        return None
    if text.isascii() and text.isdigit() and int(text) <= MAX_EPOCH:
        return None
    # Removed too: the command stops with this message, not with a library's traceback on importing.
    del os.environ[EPOCH_VARIABLE]
    return (f"{EPOCH_VARIABLE}={value!r} is not a date: give seconds since 1970 in digits (0 to {MAX_EPOCH},"
            " as `digest epoch` prints them), or leave it unset for the newest issue's date")


PROBLEM = check_environment()
