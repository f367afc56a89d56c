"""The checkers the tests run on built pages: the Nu HTML checker (vnu.jar, with Java) and axe-core.

Both come from npm at the versions pinned in tools/package-lock.json; ``make checkers`` (which
``make test`` and ``make validate`` run first) installs them into tools/node_modules/, and Java when
it is missing and the command runs as root. Without them these tests skip, saying how to get them;
in CI a skip fails the run (tests/ci_guard.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.model import paper_id
from tests.conftest import ALIASED_TITLE, ROOT

TOOLS = ROOT / "tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = TOOLS / "axe-core" / "axe.min.js"
INSTALL = "run `make checkers` (npm ci in tools/; needs Node.js 18+ with npm)"
JAVA_NEEDED = 17  # the Nu checker's documented minimum

# One page of each kind of the sample site (tests/conftest.py, sample_site), as paths under it: the Nu
# checker reads them all in one run and Chromium opens each with axe-core. A new kind of page (top/,
# authors/, ...) adds one here: test_every_page_kind_is_in_the_sample fails until it is.
PAGE_SAMPLE = [
    "index.html",  # home
    "404.html",
    "about/index.html",  # a hand-written page of content/
    "subscribe/index.html",
    "topics/index.html",
    "topics/reasoning/index.html",
    "topics/reasoning/page-2/index.html",
    "issues/index.html",
    "issues/2026-11-28/index.html",
    "papers/2611.01234/index.html",  # many authors, math, links
    "papers/2611.04321/index.html",
    "papers/2608.19880/index.html",  # every signal, the source's summary and keywords
    "top/index.html",
    "top/2026-W48/index.html",  # a week's top papers
    "top/2026-11/index.html",  # a month's
    "authors/index.html",
    "authors/han/index.html",  # an index group (light page)
    "authors/ada-lovelace-177f85/index.html",  # an author's papers (light page)
    "watch/index.html",  # the watch list
    "watch/page-2/index.html",
    "picks/index.html",  # the picks from the reading list
    "picks/page-2/index.html",
]
# A page at another id of a paper, sending readers on to its page (paper_pages.alias_page): checked by the Nu
# checker, not in a browser (it leaves at once).
REDIRECT_SAMPLE = [f"papers/{paper_id(ALIASED_TITLE, None)}/index.html"]


def page_kind(path: str) -> str:
    """Pages of one template share a kind: ``topics/reasoning/page-2/index.html`` is ``topics/*/page-*/index.html``."""
    first, *rest = path.split("/")
    middle = ["page-*" if re.fullmatch(r"page-\d+", part) else "*" for part in rest[:-1]]
    return "/".join([first, *middle, rest[-1]] if rest else [first])


def page_url(path: str) -> str:
    """The URL path a sample page is served at, relative to the site's root."""
    return path.removesuffix("index.html")


# axe-core's rules for WCAG 2.1 level A and AA, and the impacts that fail a test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING = {"serious", "critical"}


def java() -> str:
    """The ``java`` command, at least Java 17; skip (saying how to get it) if there is none."""
    command = shutil.which("java")
    if command is None:
        pytest.skip(f"no Java found: the Nu HTML checker needs Java {JAVA_NEEDED}+ "
                    "(apt-get install default-jre-headless, or any JDK/JRE on PATH)")
    result = subprocess.run([command, "-version"], capture_output=True, text=True, check=False)
    found = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    version = int(found.group(1)) if found else 0
    if version == 1 and found and found.group(2):  # "1.8.0" is Java 8
        version = int(found.group(2))
    if version < JAVA_NEEDED:
        pytest.skip(f"{command} is Java {version or 'of an unknown version'}: the Nu HTML checker needs "
                    f"Java {JAVA_NEEDED}+ (apt-get install default-jre-headless)")
    return command


def vnu_jar() -> Path:
    if not VNU_JAR.is_file():
        pytest.skip(f"the Nu HTML checker (npm vnu-jar) is not installed: {INSTALL}")
    return VNU_JAR


def axe_script() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.skip(f"axe-core is not installed: {INSTALL}")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def nu_check(files: Sequence[Path], base: Path) -> list[str]:
    """The Nu checker's errors in ``files`` (one JVM for all), each as ``path:line: message``, paths from ``base``."""
    command = [java(), "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--exit-zero-always",
               *(str(path) for path in files)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise AssertionError(f"the Nu checker gave no report ({error}):\n{result.stdout}\n{result.stderr}") from None
    errors = []
    for message in messages:
        url = str(message.get("url", ""))
        path = url.removeprefix("file:")
        where = Path(path).relative_to(base).as_posix() if path.startswith(str(base)) else url
        line = message.get("lastLine", message.get("firstLine", "?"))
        extract = " ".join(str(message.get("extract", "")).split())
        errors.append(f"{where}:{line}: {message.get('type')}: {message.get('message')}"
                      + (f"\n    {extract[:160]}" if extract else ""))
    return errors


def axe_violations(page: object, script: str) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on ``page``, readable: rule, help, elements."""
    # Colours are read as they are drawn: wait for transitions (search results fade in) to end.
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.getAnimations().every(animation => animation.playState !== 'running')", timeout=10_000
    )
    page.add_script_tag(content=script)  # type: ignore[attr-defined]
    report = page.evaluate(  # type: ignore[attr-defined]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    found = []
    for violation in report["violations"]:
        if violation["impact"] not in AXE_FAILING:
            continue
        nodes = violation["nodes"]
        found.append(f"{violation['impact']} {violation['id']}: {violation['help']} ({len(nodes)} element(s); "
                     f"{violation['helpUrl']})")
        for node in nodes[:5]:
            found.append(f"    {' '.join(map(str, node['target']))}: {' '.join(node['html'].split())[:160]}")
    return found
