"""A site repository of its own: ``digest new`` writes one from the packaged skeleton, ``digest upgrade`` keeps it
up with a new version, ``digest override`` copies a packaged template into it to edit.

The site holds only its settings, papers and (optionally) templates; the code, templates, theme overrides,
hook and base settings come from the installed package at the version ``requirements.txt`` pins.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from generator import __version__, packaged
from generator.config import DEFAULT_CONFIG, ID_PREFIX, Config, check_mkdocs_plugin, load_config
from generator.errors import DigestError, Problem
from generator.sources import find_paper_lists
from generator.writer import write_atomically

DISTRIBUTION = "mkdocs-paper-digest"
REPOSITORY = "https://github.com/paper-digest/paper-digest"
# Each release's packaged templates by hash (tools/released_templates.py writes it at each release): digest upgrade
# tells a site's own copy of a template from the version the site pinned, unedited or edited, and whether the packaged
# template changed since that version.
RELEASED_TEMPLATES = Path(__file__).with_name("released_templates.json")
CONSTRAINTS = "https://raw.githubusercontent.com/paper-digest/paper-digest/v{version}/requirements.lock"
"""The exact dependency versions each release was tested with: requirements.lock at the release's tag."""
PUBLISHED_ON_PYPI = False
"""Until the first release is on PyPI, sites install the release's tag from the repository."""

EXAMPLE_ISSUE = "data/issues/2026-11-27-example.yaml"
"""Three example papers: left out of a folder that holds paper lists already (``--force``)."""
KEEP_CONTENT = "content/.gitkeep"
"""Keeps content/ in a site's repository (see ``SKELETON``)."""
# Site path → skeleton file (``.j2``: rendered with the site's settings). The skeleton's own names have no
# leading dot, so that they are ordinary package data and no ``.gitignore`` of theirs applies to this repository.
SKELETON = {
    "digest.yml": "digest.yml.j2",
    "mkdocs.yml": "mkdocs.yml.j2",
    "requirements.txt": "requirements.txt.j2",
    "README.md": "README.md.j2",
    ".gitignore": "gitignore",
    ".github/workflows/deploy.yml": "github/workflows/deploy.yml",
    "data/topics.yml": "data/topics.yml",
    "data/curation.yml": "data/curation.yml",
    EXAMPLE_ISSUE: EXAMPLE_ISSUE,
    "data/issues/README.md": "data/issues/README.md",
    # Keeps content/ (MkDocs' docs_dir) in a fresh clone: MkDocs stops before any plugin runs when docs_dir is
    # missing, so `mkdocs serve` there ended in "Config value 'docs_dir': ... isn't an existing directory" instead of
    # running digest build first. MkDocs and Zensical leave dotfiles out of the site.
    KEEP_CONTENT: "content/gitkeep",
}
WORKFLOW = ".github/workflows/deploy.yml"
REQUIREMENTS = "requirements.txt"
GITIGNORE = ".gitignore"
OURS_IN_REQUIREMENTS = re.compile(
    rf"^\s*(?:{re.escape(DISTRIBUTION)}\b|(?:-c|--constraint)[\s=]+\S*paper-digest/paper-digest/)", re.IGNORECASE
)
PINNED_VERSION = re.compile(rf"^\s*{re.escape(DISTRIBUTION)}\s*(?:==\s*|@\s*\S+@v)(\d+(?:\.\d+)*)", re.IGNORECASE)


def requirement(version: str) -> str:
    """The requirement line that installs this package at ``version``."""
    if PUBLISHED_ON_PYPI:
        return f"{DISTRIBUTION}=={version}"
    return f"{DISTRIBUTION} @ git+{REPOSITORY}@v{version}"


# The host of the address a site made without --url gets, until the maintainer gives the real one (mkdocs.yml,
# or SITE_URL in the deploy workflow).
PLACEHOLDER_HOST = "example.github.io"


@dataclass(frozen=True)
class SiteSettings:
    name: str
    url: str
    description: str
    id_prefix: str
    version: str = __version__


def site_settings(folder: Path, year: int, name: str | None = None, url: str | None = None,
                  description: str | None = None) -> SiteSettings:
    """Settings for a new site in ``folder``: a name from the folder's, and feed ids that no other site shares."""
    slug = re.sub(r"[^a-z0-9-]+", "-", folder.resolve().name.lower()).strip("-") or "digest"
    url = url or f"https://{PLACEHOLDER_HOST}/{slug}/"
    if placeholder := re.search(r"<[^<>]*>", url):  # the README's https://<user>.github.io/my-digest/, quoted
        raise DigestError(f"{url!r} still holds the placeholder {placeholder.group()}: write your own in its place"
                          " (https://alice.github.io/my-digest/ for the user alice)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DigestError(f"--url must be an absolute http(s) URL, not {url!r}")
    # The name as the folder writes it, letters of any script kept ("mon-digest-é" → "Mon Digest É", "论文" → "论文");
    # the slug, for the placeholder address, is ASCII.
    words = [word for word in re.split(r"[\W_]+", folder.resolve().name) if word]
    name = name or " ".join(word[:1].upper() + word[1:] for word in words) or "Digest"
    path = parts.path.strip("/")
    # A tag URI (RFC 4151) of the site's host and the year it was made; the site's path keeps two
    # sites on one host (user.github.io/a/, user.github.io/b/) apart.
    id_prefix = f"tag:{parts.hostname},{year}:{path + '/' if path else ''}"
    if not ID_PREFIX.fullmatch(id_prefix):
        unusable = sorted({character for character in id_prefix if not ID_PREFIX.fullmatch(f"tag:{character}")})
        named = ", ".join("a space" if character == " " else repr(character) for character in unusable)
        hint = " (write a space in an address as %20)" if " " in unusable else ""
        raise DigestError(f"--url {url!r} gives no usable feed id prefix ({id_prefix!r}): a feed id cannot hold"
                          f" {named}{hint}")
    return SiteSettings(name=name, url=url.rstrip("/") + "/", description=description or f"{name}: research papers"
                        " by topic, with feeds.", id_prefix=id_prefix)


# What makes Markdown of text: tags and entities (GitHub drops "<AI>" as a tag), emphasis, links and images, code;
# and what starts a block at the start of a line (a heading, a list, a quote, a rule).
_MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]]|<|>|&(?=#?\w+;)")
_MARKDOWN_REFERENCES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_LIST_NUMBER = re.compile(r"\d+(?=[.)])")


def markdown_text(value: str) -> str:
    """``value`` (the site's name or description, as given to ``digest new``) as Markdown that shows it as written in
    the site's README, on GitHub as in any Markdown reader; readable as it is where nothing needs escaping."""
    flat = " ".join(str(value).split())
    escaped = _MARKDOWN_INLINE.sub(lambda found: _MARKDOWN_REFERENCES.get(found.group(), "\\" + found.group()), flat)
    if escaped[:1] in ("#", "+", "-"):
        return "\\" + escaped
    number = _LIST_NUMBER.match(escaped)
    return f"{escaped[:number.end()]}\\{escaped[number.end():]}" if number else escaped


def render_site(settings: SiteSettings) -> dict[str, bytes]:
    """Every file of a new site, in memory (path in the site → bytes)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(packaged.SKELETON_DIR),
                                     undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    environment.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)  # a YAML string
    environment.filters["markdown_text"] = markdown_text
    values = {
        "name": settings.name, "url": settings.url, "description": settings.description,
        "id_prefix": settings.id_prefix, "version": settings.version, "distribution": DISTRIBUTION,
        "repository": REPOSITORY, "requirement": requirement(settings.version),
        "constraints_url": CONSTRAINTS.format(version=settings.version),
        "requirement_pattern": requirement("X.Y.Z"), "constraints_url_pattern": CONSTRAINTS.format(version="X.Y.Z"),
    }
    files = {}
    for path, source in SKELETON.items():
        if source.endswith(".j2"):
            files[path] = environment.get_template(source).render(values).encode("utf-8")
        else:
            files[path] = (packaged.SKELETON_DIR / source).read_bytes()
    return files


@dataclass
class NewSiteReport:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Files that were there already: never overwritten."""
    skipped: list[str] = field(default_factory=list)
    """The example issue, left out of a folder whose ``data/issues`` holds paper lists already."""
    extended: list[str] = field(default_factory=list)
    """Files that were there already and got lines added (``.gitignore``: what the builds write)."""


def create_site(folder: Path, settings: SiteSettings, force: bool = False) -> NewSiteReport:
    """Write a new site into ``folder``: refused when it holds anything (but ``.git``) unless ``force``.

    Even with ``force``, a file that exists is kept as it is and reported: nothing is overwritten.
    """
    if folder.exists() and not folder.is_dir():
        raise DigestError(f"{folder} is a file, not a folder")
    present = sorted(entry.name for entry in folder.iterdir() if entry.name != ".git") if folder.exists() else []
    if present and not force:
        shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
        raise DigestError(f"{folder} is not empty ({shown}): choose a new folder, or add --force to add the"
                          " site's files to this one (files already there are kept, never overwritten)")
    files = render_site(settings)
    report = NewSiteReport()
    # With --force over a digest that has papers, the example's three papers would be published beside them.
    issues = folder / "data" / "issues"
    has_papers = issues.is_dir() and bool(find_paper_lists([issues])[0])
    for path, data in files.items():
        target = folder / path
        if path == EXAMPLE_ISSUE and has_papers:
            report.skipped.append(path)
            continue
        if path == GITIGNORE and target.is_file() and not target.is_symlink():
            # A repository's own .gitignore (GitHub's Python one, say) left the built content/ to be committed.
            old = read_text(target)
            if (merged := upgraded_gitignore(old, data.decode("utf-8"), "digest new")) != old:
                write_or_fail(folder, path, merged.encode("utf-8"))
                report.extended.append(path)
                continue
        if target.exists() or target.is_symlink():
            report.kept.append(path)
            continue
        write_or_fail(folder, path, data)
        report.created.append(path)
    return report


def enclosing_repository(folder: Path) -> Path | None:
    """The git repository ``folder`` lies inside of, when that is not ``folder`` itself: GitHub runs the workflows of
    the repository's own ``.github/workflows/`` only, so a site there would never be built nor deployed."""
    where = folder.resolve()
    if (where / ".git").exists():
        return None
    return next((parent for parent in where.parents if (parent / ".git").exists()), None)


def write_or_fail(folder: Path, path: str, data: bytes) -> None:
    try:
        write_file(folder / path, data)
    except OSError as error:  # a file where a folder goes, a read-only or full disk
        raise DigestError(f"{folder}: cannot write {path} there: {error.strerror}") from None


def write_file(target: Path, data: bytes) -> None:
    """Write by a rename, so that a failure leaves no half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, data, prefix=f".{target.name}.", suffix=".tmp")


@dataclass
class Change:
    path: str
    action: str
    """``created``, ``updated``, ``unchanged``."""
    diff: list[str] = field(default_factory=list)


@dataclass
class UpgradeReport:
    pinned: str | None
    """The version requirements.txt pinned before, when it says."""
    version: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    """The site's own templates that replace a packaged one and differ from this version's (as the site names them),
    each with what is known of it beside the version the site pinned (:func:`replaced_templates`)."""


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def upgraded_requirements(text: str, version: str) -> str:
    """``requirements.txt`` with this package's two lines at ``version``; every other line kept as it was."""
    ours = [f"--constraint {CONSTRAINTS.format(version=version)}", requirement(version)]
    lines = text.splitlines()
    kept = [line for line in lines if not OURS_IN_REQUIREMENTS.match(line)]
    first = next((index for index, line in enumerate(lines) if OURS_IN_REQUIREMENTS.match(line)), len(kept))
    return "\n".join([*kept[:first], *ours, *kept[first:]]) + "\n"


def upgraded_gitignore(text: str, wanted: str, command: str = "digest upgrade") -> str:
    """``.gitignore`` with the lines this version ignores added at the end; none of the site's removed."""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in wanted.splitlines() if line.strip() and not line.startswith("#")
               and line.strip() not in present]
    if not missing:
        return text
    return text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(
        [f"# Added by {command}: output of this version of Paper Digest", *missing]) + "\n"


def upgrade_site(folder: Path, version: str = __version__, dry_run: bool = False) -> UpgradeReport:
    """Bring the files this package owns in a site to ``version``; check the rest. Writes nothing if ``dry_run``."""
    if not (folder / "mkdocs.yml").is_file():
        raise DigestError(f"{folder}: no mkdocs.yml here; run digest upgrade in a site's folder (digest new makes one)")
    if is_paper_digest_checkout(folder):
        raise DigestError(f"{folder}: a fork or checkout of Paper Digest itself, not a site made by digest new:"
                          " digest upgrade would replace its deploy workflow with a site's, which installs the"
                          " released package instead of this code; update a fork by merging upstream's changes"
                          " (git pull upstream main: README, \"Your files and upstream's\")")
    requirements = read_text(folder / REQUIREMENTS)
    pinned = next((m.group(1) for m in map(PINNED_VERSION.match, requirements.splitlines()) if m), None)
    if pinned and version_key(pinned) > version_key(version):
        raise DigestError(f"{REQUIREMENTS} pins {DISTRIBUTION} {pinned}, newer than the installed Paper Digest"
                          f" ({version}): install {pinned} or later to upgrade, not an older version")
    skeleton = render_site(SiteSettings(name="", url="", description="", id_prefix="", version=version))
    wanted = {
        REQUIREMENTS: upgraded_requirements(requirements, version),
        WORKFLOW: skeleton[WORKFLOW].decode("utf-8"),
        GITIGNORE: upgraded_gitignore(read_text(folder / GITIGNORE), skeleton[GITIGNORE].decode("utf-8")),
    }
    if not (folder / KEEP_CONTENT).exists():  # a site made before it: a fresh clone could not be served at once
        wanted[KEEP_CONTENT] = skeleton[KEEP_CONTENT].decode("utf-8")
    # Settings this version refuses stop the upgrade before anything is written, not after.
    report = UpgradeReport(pinned=pinned, version=version, problems=check_site(folder),
                           templates=replaced_templates(folder, pinned))
    # The workflow is replaced whole: an edit of it that git does not hold yet would be lost for good.
    replaced = folder / WORKFLOW
    if replaced.exists() and read_text(replaced) != wanted[WORKFLOW] and (unknown := not_committed(folder, WORKFLOW)):
        if unknown is not True:  # a repository git cannot read here: an edit not committed may be there
            if not dry_run:
                raise DigestError(f"{WORKFLOW}: cannot tell whether it has changes not committed, which digest"
                                  f" upgrade would replace: {unknown}; run digest upgrade where git can read this"
                                  " repository")
            report.problems.append(Problem(WORKFLOW, message=f"cannot tell whether it has changes not committed"
                                                             f" ({unknown}): digest upgrade will replace it only"
                                                             " where git can tell"))
        elif not dry_run:
            raise DigestError(f"{WORKFLOW} has changes not committed, which digest upgrade would replace: commit"
                              " them first (git diff then shows what the upgrade changes), or undo them"
                              f" (git checkout -- {WORKFLOW})")
        else:
            report.problems.append(Problem(WORKFLOW, message="has changes not committed: digest upgrade will"
                                                             " replace it only once they are committed or undone"))
    for path, text in wanted.items():
        old = read_text(folder / path) if (folder / path).exists() else None
        if old == text:
            report.changes.append(Change(path, "unchanged"))
            continue
        diff = list(difflib.unified_diff((old or "").splitlines(), text.splitlines(), f"a/{path}", f"b/{path}",
                                         lineterm=""))
        report.changes.append(Change(path, "created" if old is None else "updated", diff))
        if not dry_run:
            write_or_fail(folder, path, text.encode("utf-8"))
    return report


def is_paper_digest_checkout(folder: Path) -> bool:
    """Whether ``folder`` holds Paper Digest's own code (a fork or a checkout), whose files are not a site's."""
    try:
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(project, dict) and project.get("name") == DISTRIBUTION


def not_committed(folder: Path, path: str) -> bool | str:
    """Whether git holds ``path`` of ``folder`` other than as it is (edited, or never committed); False outside a
    git repository. In one that git cannot read here (git not installed, or refusing a folder another user owns),
    why not: an edit not committed may be there."""
    try:
        status = subprocess.run(["git", "status", "--porcelain", "--", path], cwd=folder, capture_output=True,
                                text=True, check=False)
    except OSError as error:
        reason = f"git cannot be run: {error.strerror}"
    else:
        if status.returncode == 0:
            return bool(status.stdout.strip())
        reason = (status.stderr.strip().splitlines() or [f"git status failed ({status.returncode})"])[0]
    where = folder.resolve()
    return reason if any((parent / ".git").exists() for parent in (where, *where.parents)) else False


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def check_site(folder: Path) -> list[Problem]:
    """What the site's own files need for this version: valid settings and the MkDocs plugin."""
    settings = folder / DEFAULT_CONFIG
    config, problems = load_config(settings) if settings.is_file() else (Config(base_dir=folder), [])
    return [*problems, *check_mkdocs_plugin(config)]


def replaced_templates(folder: Path, pinned: str | None = None) -> list[str]:
    """The site's own templates that replace a packaged one and differ from it: a copy does not follow a new version's
    changes, so the maintainer compares each with this version's. Where the version the site pinned is a release of
    :data:`RELEASED_TEMPLATES`, each says whether it is that version's template unedited (delete it to use this
    version's), or an edit of one that this version has as it was (nothing to compare), or of one changed since."""
    settings = folder / DEFAULT_CONFIG
    config = load_config(settings)[0] if settings.is_file() else Config(base_dir=folder)
    own = packaged.site_template_dir(config)
    if own is None:
        return []
    released = released_template_hashes().get(pinned or "", {})
    found = []
    for name in packaged_templates():
        mine = own / name
        if not mine.is_file() or mine.read_bytes() == (packaged.template_dir() / name).read_bytes():
            continue
        shown = (Path(config.templates) / name).as_posix()
        then = released.get(name)
        if then is None:
            found.append(f"{shown}: compare it with this version's")
        elif template_hash(mine.read_bytes()) == then:
            found.append(f"{shown}: {pinned}'s, not edited: delete it to use this version's")
        elif then == template_hash((packaged.template_dir() / name).read_bytes()):
            found.append(f"{shown}: your edit; this version's is as {pinned}'s was, nothing of it to compare")
        else:
            found.append(f"{shown}: your edit; this version's changed since {pinned}: compare them")
    return found


def template_hash(data: bytes) -> str:
    """A template's text, as the build reads it (a byte-order mark and either line ending), by its SHA-256."""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff").replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def released_template_hashes() -> dict[str, dict[str, str]]:
    """:data:`RELEASED_TEMPLATES`: version -> template path -> :func:`template_hash`; nothing if it cannot be read."""
    try:
        table = json.loads(RELEASED_TEMPLATES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return table if isinstance(table, dict) else {}


def packaged_templates() -> list[str]:
    """The packaged templates a site may replace, as paths relative to the templates folder."""
    root = packaged.template_dir()
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".py", ".pyc"))


def copy_template(config: Config, name: str) -> Path:
    """Copy the packaged template ``name`` into the site's templates folder, to edit; never over an existing file.

    Only in a site's folder (its digest.yml or its mkdocs.yml there): anywhere else it made a templates/ no build
    reads."""
    if not Path(config.file).is_file() and not config.path(config.mkdocs_config).is_file():
        raise DigestError(f"no {config.file} or {config.mkdocs_config} here: this folder is not a site's folder;"
                          " run digest override in one (digest new NAME makes one)")
    names = packaged_templates()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else "; digest override --list lists them"
        raise DigestError(f"{name!r} is not a packaged template{hint}")
    target = config.path(config.templates) / name
    if target.exists():
        raise DigestError(f"{target} exists already: edit it, or delete it to start again from the packaged one")
    try:
        write_file(target, (packaged.template_dir() / name).read_bytes())
    except OSError as error:  # a read-only checkout, a file where the templates folder goes
        raise DigestError(f"cannot write {target}: {error.strerror or error}") from None
    return target
