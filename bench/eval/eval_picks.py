"""The picks evaluation bench: does a reading list of one arXiv category pick papers of that category?

    .venv/bin/python bench/eval/eval_picks.py [--data DIR] [--sets qbio eess ...] [--methods max centroid mix]

For every arXiv set prepared by prepare.py (``<set>.jsonl``: id, title, abstract, label = primary
category), and every category holding 5-15% of the set (chosen by that rule, not by hand): 30 papers
of the category, drawn with a fixed seed, are the reading list (BibTeX-like entries with title and
abstract); they leave the archive, and the rest of the set is one digest issue scored by the
generator's own picks scorer (generator/picks/scoring.py). The figure is precision@50: the share of
the 50 best picks whose primary category is the reading list's, beside the category's base rate (what
50 random papers would give). The target is 80% for every category.

Methods (generator/picks/scoring.py): ``contrast`` (the generator's: a paper's cosine with the reading
list's centroid less 0.75 × its cosine with the centroid of the latest 2,000 papers, kept as running
sums), ``centroid`` (the cosine with the reading list's centroid; the generator's before), ``max`` (with
its closest reading-list paper), ``mix`` (their mean), ``knn`` (the mean with the five closest),
``rocchio`` (with the centroid less the issue's own) and ``recent`` (with the centroid less that of
the latest 2,000 papers up to the issue, weighted again for every issue). ``--issue-size 20`` scores the
rest of the set as issues of 20 papers (shuffled with seed 0, consecutive dates, each scored with its own and earlier
issues) and pools the 50 best picks over all issues: what a daily digest does; with ``--per-issue 1``
the figure is each issue's own best pick instead (scores of different issues never compared). The ``dev`` sets of
sets.yml are where methods and the threshold are compared; the ``eval`` sets are reported as they come.

``--ceiling`` adds what no reading list can be expected to beat: a classifier trained on the true labels of the
whole archive (the reading list's papers left out; 5-fold cross-validated ``LogisticRegression(C=10)`` on TF-IDF
of title + abstract, as the topics bench's ceiling), its 50 papers most likely to be of the category by their
out-of-fold probability. A category whose papers the classifier itself cannot tell apart (a ceiling under 80%)
cannot meet the target from text by any method.

Then the threshold (``picks.min_score``): over every reading list of the dev sets, how many papers score
at least each threshold (per 100 candidates: the picks of a 100-paper issue), the share of them in the
reading list's category, and the share of the category's papers they reach.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
READING_LIST = 30
TOP = 50
TARGET = 0.8
SHARE = (0.05, 0.15)
SEED = 0
THRESHOLDS = (0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15)


def arguments() -> argparse.Namespace:
    from prepare import cache_folder  # bench/eval is on the path when run as a script

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=cache_folder(), help="prepared sets [%(default)s]")
    parser.add_argument("--sets", nargs="*", help="arXiv sets to score [all prepared]")
    parser.add_argument("--methods", nargs="*",
                        default=["contrast", "centroid", "max", "mix", "knn", "rocchio", "recent"],
                        help="scoring methods, the generator's first [%(default)s]")
    parser.add_argument("--issue-size", type=int, default=0,
                        help="score the rest of the set as issues of this many papers (shuffled, seed 0), the 50"
                             " best picks pooled over all issues by score [one issue]")
    parser.add_argument("--per-issue", type=int, default=0,
                        help="with --issue-size: the figure is the precision of each issue's best N picks over all"
                             " issues (each issue's own ranking), not of the 50 best pooled [pooled]")
    parser.add_argument("--ceiling", action="store_true",
                        help="also the supervised ceiling: a classifier trained on the archive's true labels")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args()


def categories(labels: list[str]) -> list[tuple[str, float]]:
    """Every category holding 5-15% of the set, with its share, by name; one too small for a reading list and
    TOP papers more (a set of under about 1,000 papers) is named on stderr and left out."""
    counts = Counter(labels)
    found = sorted((label, n / len(labels)) for label, n in counts.items() if SHARE[0] <= n / len(labels) <= SHARE[1])
    small = [label for label, _ in found if counts[label] < READING_LIST + TOP]
    for label in small:
        print(f"{label}: {counts[label]} papers, fewer than a reading list of {READING_LIST} and {TOP} to pick; "
              "left out", file=sys.stderr)
    return [(label, share) for label, share in found if label not in small]


def supervised_ceiling(rest: list[dict[str, Any]], label: str) -> float:
    """Precision@50 of a classifier trained on the true labels of ``rest`` (5-fold, out-of-fold probabilities)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts = [f"{r['title']} {r['abstract']}" for r in rest]
    expected = np.asarray([r["label"] == label for r in rest])
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2), min_df=2).fit_transform(texts)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    probability = cross_val_predict(LogisticRegression(C=10, max_iter=2000), matrix, expected, cv=folds,
                                    method="predict_proba")[:, 1]
    best = np.argsort(-np.round(probability, 6), kind="stable")[:TOP]
    return float(expected[best].mean())


def score_category(records: list[dict[str, Any]], label: str, methods: list[str], issue_size: int = 0,
                   per_issue: int = 0, ceiling: bool = False) -> dict[str, Any]:
    """The reading list of ``label`` against the rest of the set: precision@50 per method, scores for thresholds."""
    import datetime as dt

    from generator.model import Paper
    from generator.picks.reading_list import Entry, ReadingList
    from generator.picks.scoring import Scorer
    from generator.topics.features import BUCKETS, Vectorizer, document_frequency, paper_text

    members = sorted(r["id"] for r in records if r["label"] == label)
    chosen = set(random.Random(SEED).sample(members, READING_LIST))
    day = dt.date(2026, 1, 1)
    reading = ReadingList(entries=[
        Entry(line=n, title=r["title"], abstract=r["abstract"], arxiv_id=r["id"])
        for n, r in enumerate((r for r in records if r["id"] in chosen), start=1)
    ])
    rest = sorted((r for r in records if r["id"] not in chosen), key=lambda r: r["id"])
    days = [day] * len(rest)
    if issue_size:  # many small issues, as a daily digest has them: a shuffled order, consecutive dates
        random.Random(SEED).shuffle(rest)
        days = [day + dt.timedelta(days=n // issue_size) for n in range(len(rest))]
    order = [Paper(id=r["id"], title=r["title"], abstract=r["abstract"], added=added, source="eval",
                   arxiv_id=r["id"]) for r, added in zip(rest, days, strict=True)]
    counts = Vectorizer().matrix([paper_text(p) for p in order])
    df = document_frequency(counts) if len(order) else np.zeros(BUCKETS)
    expected = np.asarray([r["label"] == label for r in rest])
    found: dict[str, Any] = {"first_method": methods[0], "category": label, "candidates": len(rest),
                             "in_category": int(expected.sum())}
    if ceiling:
        found["supervised"] = supervised_ceiling(rest, label)
    for method in methods:
        scorer = Scorer(order, counts, reading, method)
        if issue_size and per_issue:  # each issue's own best picks
            picks = [p for found_picks in scorer.issues(set(days), per_issue, 0.0).values() for p in found_picks]
        elif issue_size:  # each issue's picks with their scores, the best TOP over all issues
            found_picks = [p for picks in scorer.issues(set(days), len(order), 0.0).values() for p in picks]
            picks = sorted(found_picks, key=lambda p: (-p.score, p.paper_id))[:TOP]
        else:
            picks = scorer.issue(0, len(order), df, TOP, 0.0)
        rows = {p.id: n for n, p in enumerate(order)}
        found[method] = float(np.mean([expected[rows[pick.paper_id]] for pick in picks])) if picks else 0.0
        if method == methods[0]:
            _, _, scores = scorer.similarities(0, len(order), df)
            scores = np.round(scores, 4)
            found["thresholds"] = {
                str(t): [int((scores >= t).sum()), int(((scores >= t) & expected).sum())] for t in THRESHOLDS
            }
    return found


def main() -> None:
    args = arguments()
    sys.path.insert(0, str(ROOT))
    config = yaml.safe_load((HERE / "sets.yml").read_text(encoding="utf-8"))
    names = args.sets if args.sets is not None else [n for n in config["sets"] if (args.data / f"{n}.jsonl").exists()]
    if not names:
        sys.exit(f"no evaluation set in {args.data}: prepare them with make eval-data CHECKOUTS=DIR "
                 "(bench/eval/sets.yml names the repositories and commits to check out there)")
    rows = []
    for name in names:
        path = args.data / f"{name}.jsonl"
        if not path.exists():
            sys.exit(f"not prepared: {name} (make eval-data CHECKOUTS=DIR; see bench/eval/prepare.py)")
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for label, share in categories([r["label"] for r in records]):
            start = time.perf_counter()
            found = score_category(records, label, args.methods, args.issue_size, args.per_issue, args.ceiling)
            role = config["sets"].get(name, {}).get("role", "new")
            rows.append({"set": name, "role": role, "papers": len(records), "base_rate": share, **found,
                         "seconds": time.perf_counter() - start})
    print_table(rows, args.methods + (["supervised"] if args.ceiling else []))
    print_thresholds([r for r in rows if r["role"] == "dev"])
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


def print_table(rows: list[dict[str, Any]], methods: list[str]) -> None:
    print(f"Reading list: {READING_LIST} papers of one category (seed {SEED}), left out of the archive; "
          f"precision@{TOP} of the picks; target {TARGET:.0%}.")
    columns = " ".join(f"{m + '@' + str(TOP):>12}" for m in methods)
    print(f"{'set':8} {'role':4} {'category':12} {'base rate':>9} {columns}")
    for r in rows:
        figures = " ".join(f"{r[m]:12.1%}" for m in methods)
        print(f"{r['set']:8} {r['role']:4} {r['category']:12} {r['base_rate']:9.1%} {figures}")
    for role in ("dev", "eval"):
        part = [r for r in rows if r["role"] == role]
        if part:
            means = " ".join(f"{np.mean([r[m] for r in part]):12.1%}" for m in methods)
            passed = " ".join(f"{sum(r[m] >= TARGET for r in part):>5d} of {len(part):<3d}" for m in methods)
            print(f"{'mean':8} {role:4} {'':12} {np.mean([r['base_rate'] for r in part]):9.1%} {means}")
            print(f"{'≥ 80%':8} {role:4} {'':12} {'':9} {passed}")


def print_thresholds(rows: list[dict[str, Any]]) -> None:
    if not rows or "thresholds" not in rows[0]:
        return
    print(f"\nThreshold (method {rows[0]['first_method']}), pooled over the {len(rows)} dev reading lists: papers"
          " scoring at least it,")
    print("per 100 candidates, the share of them in the reading list's category, and the share of the category's"
          " papers they reach.")
    print(f"{'min_score':>9} {'papers':>7} {'per 100':>7} {'precision':>9} {'recall':>7}")
    total = sum(r["in_category"] for r in rows)
    candidates = sum(r["candidates"] for r in rows)
    for t in THRESHOLDS:
        picked = sum(r["thresholds"][str(t)][0] for r in rows)
        right = sum(r["thresholds"][str(t)][1] for r in rows)
        print(f"{t:9.2f} {picked:7d} {100 * picked / candidates:7.2f} {right / max(picked, 1):9.1%}"
              f" {right / max(total, 1):7.1%}")


if __name__ == "__main__":
    main()
