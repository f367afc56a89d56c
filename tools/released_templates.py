"""Write generator/released_templates.json: each release's packaged templates by hash, from git.

`digest upgrade` reads it to tell a site's own template from the version the site pinned: an unedited copy, a copy
whose packaged original is the same in the new version, or one whose original changed. Run at each release, after
tagging (README, "Releasing a version"):

    .venv/bin/python tools/released_templates.py 0.1.5=v0.1.5

each argument a version and the git revision (tag or commit) that released it; the versions the file already
holds are kept, so a release adds its own: ``tools/released_templates.py X.Y.Z=HEAD``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.scaffold import RELEASED_TEMPLATES, template_hash  # noqa: E402


def hashes(revision: str) -> dict[str, str]:
    listing = subprocess.run(["git", "ls-tree", "-r", "--name-only", revision, "templates/"], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout.split()
    found = {}
    for path in listing:
        name = path.removeprefix("templates/")
        if name.endswith((".py", ".pyc")) or name.endswith("README.md"):
            continue
        data = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, check=True, capture_output=True).stdout
        found[name] = template_hash(data)
    return dict(sorted(found.items()))


def main(arguments: list[str]) -> None:
    try:  # the releases written before are kept; a version given again is written anew
        table = json.loads(RELEASED_TEMPLATES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        table = {}
    for argument in arguments:
        version, _, revision = argument.partition("=")
        table[version] = hashes(revision or f"v{version}")
    RELEASED_TEMPLATES.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Wrote {RELEASED_TEMPLATES.relative_to(ROOT)}: {', '.join(table)}")


if __name__ == "__main__":
    main(sys.argv[1:])
