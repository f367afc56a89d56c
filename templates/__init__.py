"""The page templates (``*.j2``) and theme overrides (``overrides/``) of every Paper Digest site.

Not code: this file makes the folder the package ``generator.templates`` (pyproject.toml maps it
there), so the wheel carries it and ``generator/packaged.py`` finds it through the package, in an
installed wheel and in an editable install of this repository alike.
"""
