"""Prepare the topic evaluation sets (bench/eval/sets.yml) from local checkouts of public repositories.

    .venv/bin/python bench/eval/prepare.py --checkouts DIR [--out DIR]

DIR holds one checkout per repository named in sets.yml, as ``owner+name`` (a bare mirror, or a
folder with a bare ``repo`` inside) or ``owner/name`` (a clone); files are read at the pinned commit
with ``git show``, so a checkout at another commit still gives the same sets. Output (default: the
user cache folder, ``~/.cache/paper-digest/eval``): per arXiv set ``<set>.jsonl`` (id, title, abstract,
label) and ``<set>.source.json`` (where it came from, counts per label); for the daily-papers archive
``daily-papers/issues/<date>.json``, one daily-papers answer a day, as ``digest fetch hf`` saves them.
Nothing is written into the repository: the papers are other people's writing.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MIN_ABSTRACT = 200
SEED = 0


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "paper-digest" / "eval"


class Checkout:
    """One repository's files at one commit, read through git."""

    def __init__(self, folder: Path, repo: str, commit: str) -> None:
        owner, name = repo.split("/")
        candidates = [folder / f"{owner}+{name}" / "repo", folder / f"{owner}+{name}", folder / owner / name]
        found = next((c for c in candidates if c.exists()), None)
        if found is None:
            sys.exit(f"{repo}: no checkout under {folder} (clone https://github.com/{repo} there; commit {commit})")
        self.git = ["git", "-C", str(found)]
        self.repo, self.commit = repo, commit

    def files(self, path: str) -> list[str]:
        out = subprocess.run([*self.git, "ls-tree", "-r", "--name-only", self.commit, "--", path],
                             capture_output=True, text=True, check=True).stdout
        return sorted(line for line in out.splitlines() if line)

    def read(self, path: str) -> str:
        return subprocess.run([*self.git, "show", f"{self.commit}:{path}"], capture_output=True, check=True
                              ).stdout.decode("utf-8", "replace")


def arxiv_records(checkout: Checkout, path: str) -> list[dict[str, Any]]:
    """Every record of the daily JSONL files (``YYYY-MM-DD.jsonl``; the AI-enhanced copies repeat them), or of
    monthly ``papers-YYYY-MM.json`` files (one object keyed by arXiv id, with ``abstract`` and ``primary_category``)."""
    records = []
    for name in checkout.files(path):
        if re.search(r"/papers-\d{4}-\d{2}\.json$", name):
            try:
                month = json.loads(checkout.read(name))
            except json.JSONDecodeError:
                continue
            records += [{"id": key, "title": r.get("title"), "summary": r.get("abstract"),
                         "categories": [r.get("primary_category") or ""]}
                        for key, r in (month.items() if isinstance(month, dict) else []) if isinstance(r, dict)]
            continue
        if not re.search(r"/\d{4}-\d{2}-\d{2}\.jsonl$", name):
            continue
        for line in checkout.read(name).splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                records.append(record)
    return records


def clean(text: Any) -> str:
    return " ".join(str(text or "").split())


def prepare_set(name: str, spec: dict[str, Any], checkouts: Path, out: Path) -> None:
    papers: dict[str, dict[str, str]] = {}
    for source in spec["sources"]:
        checkout = Checkout(checkouts, source["repo"], source["commit"])
        for record in arxiv_records(checkout, source["path"]):
            ident = re.sub(r"v\d+$", "", str(record.get("id", "")).split("/")[-1])
            categories = record.get("categories") or []
            label = categories[0] if isinstance(categories, list) and categories else ""
            title, abstract = clean(record.get("title")), clean(record.get("summary"))
            if not ident or not title or len(abstract) < MIN_ABSTRACT or not str(label).startswith(spec["prefix"]):
                continue
            if spec.get("labels") and label not in spec["labels"]:
                continue
            papers.setdefault(ident, {"id": ident, "title": title, "abstract": abstract, "label": label})
    counts = Counter(p["label"] for p in papers.values())
    kept = [p for _, p in sorted(papers.items()) if counts[p["label"]] >= spec["min_per_label"]]
    rng = random.Random(SEED)
    if spec.get("per_label"):
        by_label: dict[str, list[dict[str, str]]] = {}
        for paper in kept:
            by_label.setdefault(paper["label"], []).append(paper)
        kept = sorted((p for group in by_label.values() for p in rng.sample(group, min(len(group), spec["per_label"]))),
                      key=lambda p: p["id"])
    if spec.get("sample") and len(kept) > spec["sample"]:
        kept = sorted(rng.sample(kept, spec["sample"]), key=lambda p: p["id"])
    with (out / f"{name}.jsonl").open("w", encoding="utf-8") as stream:
        for paper in kept:
            stream.write(json.dumps(paper, ensure_ascii=False) + "\n")
    final = Counter(p["label"] for p in kept)
    source = {"set": name, "role": spec["role"], "papers": len(kept), "labels": dict(sorted(final.items())),
              "sources": spec["sources"], "rules": {k: v for k, v in spec.items() if k not in ("sources", "role")}}
    (out / f"{name}.source.json").write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
    print(f"{name}: {len(kept)} papers, {len(final)} labels: {dict(final.most_common())}")


def daily_items(text: str) -> list[dict[str, Any]]:
    """The items of one saved answer (a list; a few files hold a wrapper object or Python reprs of items)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return []
    if isinstance(data, dict):
        data = data.get("data") or []
    items = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, str):
            try:
                item = ast.literal_eval(item)
            except (ValueError, SyntaxError):
                continue
        if isinstance(item, dict) and isinstance(item.get("paper"), dict):
            items.append(item)
    return items


def prepare_daily_papers(spec: dict[str, Any], checkouts: Path, out: Path) -> None:
    checkout = Checkout(checkouts, spec["repo"], spec["commit"])
    folder = out / "daily-papers" / "issues"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    days = papers = 0
    for name in checkout.files(spec["path"]):
        match = re.search(r"(\d{4}-\d{2}-\d{2})\.json$", name)
        items = daily_items(checkout.read(name)) if match else []
        if not items:
            continue
        (folder / f"{match.group(1)}.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        days, papers = days + 1, papers + len(items)
    source = dict(spec)
    target = out / "daily-papers" / "source.json"
    target.write_text(json.dumps(source, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"daily-papers: {days} days, {papers} items")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkouts", type=Path, required=True, help="folder of the repositories' checkouts")
    parser.add_argument("--out", type=Path, default=cache_folder(), help="where the sets go [%(default)s]")
    parser.add_argument("--only", nargs="*", help="prepare these sets only")
    args = parser.parse_args()
    config = yaml.safe_load((HERE / "sets.yml").read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    for name, spec in config["sets"].items():
        if not args.only or name in args.only:
            prepare_set(name, spec, args.checkouts, args.out)
    if not args.only or "daily-papers" in args.only:
        prepare_daily_papers(config["daily_papers"], args.checkouts, args.out)


if __name__ == "__main__":
    main()
