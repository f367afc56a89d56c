"""The topic evaluation bench: first topics against real labels, beside a baseline and a supervised ceiling.

    .venv/bin/python bench/eval/eval_topics.py [--data DIR] [--sets qbio eess ...] [--generator PATH]

For every arXiv set prepared by prepare.py (``<set>.jsonl``: id, title, abstract, label = primary
category), the papers go through ``assign_topics`` as one digest issue, from titles and abstracts
only (the label never reaches the generator) with the set's taxonomy (taxonomies/<set>.yml, no
``categories:``). One table: top-1 agreement, the supervised ceiling (5-fold cross-validated
LogisticRegression(C=10) on TF-IDF of title + abstract), top-1 ÷ ceiling, the share in Other,
macro-F1, the plain TF-IDF cosine baseline (paper against each topic's name, description and
keywords), and seconds. Then the bundled listing against its hand labels, and the multi-month
Hugging Face daily-papers archive with the default taxonomy: Other, the largest first topic, and
agreement (NMI) with independent hand labels of a held-out sample (labels/daily-papers.csv).
``--generator PATH`` scores with the generator of another checkout (a "before" column).

A labelled set of your own: ``<name>.jsonl`` in ``--data`` (one JSON object a line with ``title``,
``abstract`` and ``label``, such as an arXiv primary category) and a taxonomy ``<name>.yml`` in
``--taxonomies`` whose slugs are the labels in lower case, "." written "-" (q-bio.NC → q-bio-nc); then
``--sets <name> --skip seed daily-papers``. Sets that bench/eval/sets.yml does not name show as "new".

A site scores each day's issue with what its own and earlier issues taught, where the sets above are one issue
each: ``--issues N`` scores every set as N issues (paper n in issue n mod N) to see what a site of N issues shows.

Sparser taxonomies: ``--sparse names`` (or ``descriptions``, ``three-keywords``, ``keywords``) scores every set,
the bundled listing and the daily papers with each taxonomy cut down as a hurried maintainer might write it:
names only; names and descriptions; names and their first three keywords; names and keywords. The TF-IDF
baseline gets the same cut-down text.

Development figures only (what a change is chosen on; the held-out sets and labels are looked at once
per change already chosen):

    .venv/bin/python bench/eval/eval_topics.py --sets astro physics cs \
        --labels bench/eval/labels/daily-papers-dev.csv --skip kmeans related
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def arguments() -> argparse.Namespace:
    from prepare import cache_folder  # bench/eval is on the path when run as a script

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=cache_folder(), help="prepared sets [%(default)s]")
    parser.add_argument("--sets", nargs="*", help="arXiv sets to score [all prepared]")
    parser.add_argument("--generator", type=Path, default=ROOT, help="checkout whose generator scores [this one]")
    parser.add_argument("--taxonomies", type=Path, default=HERE / "taxonomies",
                        help="folder of the sets' taxonomies, <set>.yml [bench/eval/taxonomies]")
    parser.add_argument("--taxonomy", type=Path, help="taxonomy for the daily-papers archive [data/topics.yml]")
    parser.add_argument("--labels", type=Path, default=HERE / "labels" / "daily-papers.csv",
                        help="hand labels of daily papers for the NMI [labels/daily-papers.csv, held out; "
                        "labels/daily-papers-dev.csv is the development sample]")
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["ceiling", "seed", "daily-papers", "kmeans", "related"])
    parser.add_argument("--issues", type=int, default=1,
                        help="score each arXiv set as this many daily issues, paper n in issue n mod N, as a site "
                        "of N issues scores them (each issue with what its own and earlier issues taught) [1]")
    parser.add_argument("--sparse", choices=sorted(SPARSE),
                        help="cut every taxonomy down to names only, names and descriptions, names and three "
                        "keywords, or names and keywords")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args()


# What each --sparse keeps of a topic beside its name and slug (``keywords`` up to a count).
SPARSE: dict[str, tuple[bool, int | None]] = {
    "names": (False, 0), "descriptions": (True, 0), "three-keywords": (False, 3), "keywords": (False, None),
}


def sparse_taxonomy(source: Path, target: Path, how: str) -> Path:
    """``source`` written to ``target`` with only what ``--sparse how`` keeps of each topic."""
    description, keywords = SPARSE[how]
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    for topic in document["topics"]:
        kept = {key: topic[key] for key in ("name", "slug") if key in topic}
        if description and "description" in topic:
            kept["description"] = topic["description"]
        if keywords != 0 and topic.get("keywords"):
            kept["keywords"] = topic["keywords"][:keywords]
        topic.clear()
        topic.update(kept)
    target.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def slug(label: str) -> str:
    """A category as the taxonomies name it: q-bio.NC → q-bio-nc."""
    return label.lower().replace(".", "-")


def ceiling(texts: list[str], labels: list[str]) -> float:
    """What a classifier trained on the true labels reaches (5-fold cross-validated)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2), min_df=2).fit_transform(texts)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    predicted = cross_val_predict(LogisticRegression(C=10, max_iter=2000), matrix, labels, cv=folds)
    return float(np.mean(np.asarray(predicted) == np.asarray(labels)))


def baseline(texts: list[str], topics: list[Any]) -> list[str]:
    """Plain TF-IDF cosine between each paper and each topic's name, description and keywords."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    topic_texts = [" ".join([t.name, t.description, *(k.text for k in t.keywords)]) for t in topics]
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2), min_df=2)
    matrix = vectorizer.fit_transform(texts + topic_texts)
    similarity = (matrix[: len(texts)] @ matrix[len(texts):].T).toarray()
    return [topics[int(i)].slug for i in np.argmax(similarity, axis=1)]


def macro_f1(given: list[str], expected: list[str]) -> float:
    scores = []
    for label in sorted(set(expected)):
        tp = sum(g == e == label for g, e in zip(given, expected, strict=True))
        predicted, actual = given.count(label), expected.count(label)
        precision, recall = (tp / predicted if predicted else 0.0), tp / actual
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(scores))


def score_set(
    name: str, data: Path, skip: list[str], taxonomies: Path = HERE / "taxonomies", issues: int = 1
) -> dict[str, Any]:
    from generator.model import Paper
    from generator.topics import OTHER_SLUG, assign_topics, load_taxonomy

    records = [json.loads(line) for line in (data / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()]
    topics, _ = load_taxonomy(taxonomies / f"{name}.yml")
    issue = dt.date(2026, 1, 1)
    papers = [Paper(id=f"p{n:05d}", title=r["title"], abstract=r["abstract"], source=name,
                    added=issue + dt.timedelta(days=n % max(issues, 1)))
              for n, r in enumerate(records)]
    began = time.perf_counter()
    assign_topics(papers, topics)
    seconds = time.perf_counter() - began
    expected = [slug(r["label"]) for r in records]
    given = [p.primary_topic for p in papers]
    texts = [f"{r['title']}. {r['abstract']}" for r in records]
    top1 = float(np.mean(np.asarray(given) == np.asarray(expected)))
    top = ceiling(texts, expected) if "ceiling" not in skip else float("nan")
    plain = baseline(texts, topics)
    return {
        "set": name, "papers": len(papers), "topics": len(topics), "top1": top1, "ceiling": top,
        "ratio": top1 / top, "other": given.count(OTHER_SLUG) / len(given), "macro_f1": macro_f1(given, expected),
        "baseline": float(np.mean(np.asarray(plain) == np.asarray(expected))), "seconds": seconds,
        "largest": max(Counter(given).values()) / len(given),
    }


def score_seed(taxonomy: Path | None = None) -> dict[str, Any]:
    from generator.merge import merge_papers
    from generator.sources import read_all
    from generator.topics import OTHER_SLUG, assign_topics, load_taxonomy

    example = ROOT / "tests" / "fixtures" / "seed" / "data"
    labels = yaml.safe_load((ROOT / "tests" / "labels" / "seed_primary.yml").read_text(encoding="utf-8"))
    expected = {item["id"]: item["slug"] for item in labels["papers"]}
    # A second annotator's labels of the same papers: how far two careful readers agree bounds what any
    # method can be asked to reach against one of them.
    second = yaml.safe_load((ROOT / "tests" / "labels" / "seed_second.yml").read_text(encoding="utf-8"))
    other_reader = {item["id"]: item["slug"] for item in second["papers"]}
    runner_up = {item["id"]: item.get("second") for item in second["papers"]}
    results, _ = read_all([example / "issues"])
    papers = merge_papers([p for r in results for p in r.papers])
    topics, _ = load_taxonomy(taxonomy or example / "topics.yml")
    began = time.perf_counter()
    assign_topics(papers, topics)
    seconds = time.perf_counter() - began
    given = [p.primary_topic for p in papers]
    return {
        "set": "seed", "papers": len(papers), "topics": len(topics),
        "top1": float(np.mean([p.primary_topic == expected[p.id] for p in papers])),
        "top1_second": float(np.mean([p.primary_topic == other_reader[p.id] for p in papers])),
        "annotators": float(np.mean([expected[p.id] == other_reader[p.id] for p in papers])),
        "top1_second_either": float(np.mean([p.primary_topic in (other_reader[p.id], runner_up[p.id])
                                             for p in papers])),
        "other": given.count(OTHER_SLUG) / len(given), "largest": max(Counter(given).values()) / len(given),
        "macro_f1": macro_f1(given, [expected[p.id] for p in papers]), "seconds": seconds,
    }


def score_daily_papers(data: Path, taxonomy: Path, labels_file: Path, skip: list[str]) -> dict[str, Any]:
    from sklearn.metrics import normalized_mutual_info_score

    from generator.merge import merge_papers
    from generator.sources import read_all
    from generator.topics import OTHER_SLUG, assign_topics, load_taxonomy

    folder = data / "daily-papers"
    source = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    held_from = dt.date.fromisoformat(str(source["dev_until"])) + dt.timedelta(days=1)
    results, _ = read_all([folder / "issues"])
    papers = merge_papers([p for r in results for p in r.papers])
    topics, _ = load_taxonomy(taxonomy)
    began = time.perf_counter()
    assign_topics(papers, topics)
    seconds = time.perf_counter() - began
    with labels_file.open(encoding="utf-8") as stream:
        labels = {row["id"]: row["label"] for row in csv.DictReader(stream)}
    by_id = {p.arxiv_id or p.id: p for p in papers}
    pairs = [(labels[key], by_id[key].primary_topic) for key in sorted(labels) if key in by_id]
    held = [p for p in papers if p.added >= held_from]
    figures = {"set": "daily-papers", "papers": len(papers), "held_out": len(held), "topics": len(topics),
               "seconds": seconds, "labelled": len(pairs),
               "nmi": float(normalized_mutual_info_score([a for a, _ in pairs], [b for _, b in pairs]))}
    for part, group in (("all", papers), ("held", held)):
        first = Counter(p.primary_topic for p in group)
        figures[f"other_{part}"] = first[OTHER_SLUG] / len(group)
        figures[f"largest_{part}"] = max(first.values()) / len(group)
        figures[f"largest_topic_{part}"] = first.most_common(1)[0][0]
    figures["kmeans_nmi"] = kmeans_nmi(papers, labels, len(topics)) if "kmeans" not in skip else float("nan")
    if "related" in skip:
        return figures
    try:
        figures.update(related_quality(papers))
    except ImportError:  # an older generator (--generator) without generator.topics.related
        figures.update(related_pages=0, related_fewer=0, related_ratio=float("nan"), related_among=float("nan"),
                       related_seconds=float("nan"))
    return figures


def related_quality(papers: list[Any], sample: int = 500) -> dict[str, Any]:
    """Related papers against an exact search in the same vector space, on a random sample of pages."""
    from generator.topics import related
    from generator.topics.features import count_matrix, document_frequency, forget_counts, idf, paper_text

    order = sorted(papers, key=lambda p: (p.added, p.id))
    began = time.perf_counter()
    found = related.related_papers(order)
    seconds = time.perf_counter() - began
    counts = count_matrix([paper_text(p) for p in order])
    vectors = related._vectors(counts, idf(document_frequency(counts), len(order)))
    forget_counts()
    rows = np.random.default_rng(0).choice(len(order), min(sample, len(order)), replace=False)
    cosine = (vectors[rows] @ vectors.T).toarray()
    cosine[np.arange(len(rows)), rows] = -1.0
    index = {p.id: n for n, p in enumerate(order)}
    shown, best, among, fewer = [], [], [], 0
    for n, row in enumerate(rows.tolist()):
        got = [index[other] for other in found[order[row].id]]
        exact = np.argsort(-cosine[n], kind="stable")[:related.RELATED]
        fewer += len(got) < related.RELATED
        shown.append(float(np.mean(cosine[n, got])) if got else 0.0)
        best.append(float(np.mean(cosine[n, exact])))
        among.append(len(set(got) & set(exact.tolist())) / related.RELATED)
    return {"related_pages": len(rows), "related_fewer": fewer, "related_ratio": float(np.mean(shown) / np.mean(best)),
            "related_among": float(np.mean(among)), "related_seconds": seconds}


def kmeans_nmi(papers: list[Any], labels: dict[str, str], clusters: int) -> float:
    """Reference without any taxonomy: TF-IDF + k-means (as many clusters as topics), NMI on the labelled sample."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import normalized_mutual_info_score

    texts = [f"{p.title}. {p.abstract}" for p in papers]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2).fit_transform(texts)
    found = KMeans(clusters, n_init=3, random_state=0).fit_predict(matrix)
    keys = [p.arxiv_id or p.id for p in papers]
    pairs = [(labels[k], int(c)) for k, c in zip(keys, found, strict=True) if k in labels]
    return float(normalized_mutual_info_score([a for a, _ in pairs], [b for _, b in pairs]))


def main() -> None:
    args = arguments()
    if args.issues < 1:
        sys.exit(f"--issues {args.issues}: a set is scored as one issue or more")
    sys.path.insert(0, str(args.generator.resolve()))
    config = yaml.safe_load((HERE / "sets.yml").read_text(encoding="utf-8"))
    names = args.sets if args.sets is not None else [n for n in config["sets"] if (args.data / f"{n}.jsonl").exists()]
    missing = [n for n in names if not (args.data / f"{n}.jsonl").exists()]
    if not names and args.sets is None:
        sys.exit(f"no evaluation set in {args.data}: prepare them with make eval-data CHECKOUTS=DIR "
                 "(bench/eval/sets.yml names the repositories and commits to check out there)")
    if missing:
        sys.exit(f"not prepared: {', '.join(missing)} (make eval-data CHECKOUTS=DIR; see bench/eval/prepare.py)")
    untaxed = [n for n in names if not (args.taxonomies / f"{n}.yml").exists()]
    if untaxed:
        sys.exit(f"no taxonomy for {', '.join(untaxed)} in {args.taxonomies} (<set>.yml; see --help)")
    from generator.errors import ConfigError
    from generator.topics import load_taxonomy

    for name in names:  # a taxonomy that does not load is reported before any set is scored
        try:
            load_taxonomy(args.taxonomies / f"{name}.yml")
        except ConfigError as error:
            sys.exit(str(error))
    try:
        import sklearn  # noqa: F401  (the ceiling and the baseline)
    except ImportError:
        sys.exit("scikit-learn is not installed: .venv/bin/pip install -r requirements-eval.lock "
                 "(make eval-topics installs it)")
    scratch = tempfile.TemporaryDirectory(prefix="eval-sparse-")
    seed_taxonomy, daily_taxonomy = None, args.taxonomy or ROOT / "data" / "topics.yml"
    if args.sparse:
        folder = Path(scratch.name)
        for name in names:
            sparse_taxonomy(args.taxonomies / f"{name}.yml", folder / f"{name}.yml", args.sparse)
        args.taxonomies = folder
        seed_taxonomy = sparse_taxonomy(ROOT / "tests" / "fixtures" / "seed" / "data" / "topics.yml",
                                        folder / "seed-topics.yml", args.sparse)
        daily_taxonomy = sparse_taxonomy(daily_taxonomy, folder / "daily-topics.yml", args.sparse)
        print(f"taxonomies cut down to {args.sparse} (--sparse)")
    if args.issues > 1:
        print(f"each set scored as {args.issues} issues (--issues)")
    rows = [score_set(name, args.data, args.skip, args.taxonomies, args.issues)
            | {"role": config["sets"].get(name, {}).get("role", "new")} for name in names]
    width = max([8] + [len(r["set"]) for r in rows])
    print(f"{'set':{width}} {'role':4} {'papers':>6} {'topics':>6} {'top-1':>6} {'ceiling':>7} {'÷ceil':>6} {'Other':>6} "
          f"{'macroF1':>7} {'TF-IDF':>6} {'seconds':>7}")
    for r in rows:
        print(f"{r['set']:{width}} {r['role']:4} {r['papers']:6d} {r['topics']:6d} {r['top1']:6.3f} {r['ceiling']:7.3f} "
              f"{r['ratio']:6.3f} {r['other']:6.1%} {r['macro_f1']:7.3f} {r['baseline']:6.3f} {r['seconds']:7.2f}")
    figures: dict[str, Any] = {"sets": rows, "sparse": args.sparse, "issues": args.issues}
    if "seed" not in args.skip:
        seed = figures["seed"] = score_seed(seed_taxonomy)
        print(f"\nbundled listing: {seed['papers']} papers, top-1 {seed['top1']:.3f} against the hand labels, "
              f"Other {seed['other']:.1%}, largest first topic {seed['largest']:.1%}, macro-F1 {seed['macro_f1']:.3f}")
        print(f"  second annotator: top-1 {seed['top1_second']:.3f} (its first or runner-up topic: "
              f"{seed['top1_second_either']:.3f}); the two annotators agree on {seed['annotators']:.3f}")
    if "daily-papers" not in args.skip and (args.data / "daily-papers" / "source.json").exists():
        taxonomy = daily_taxonomy
        hf = figures["daily-papers"] = score_daily_papers(args.data, taxonomy, args.labels, args.skip)
        print(f"\ndaily papers ({taxonomy.relative_to(ROOT) if taxonomy.is_relative_to(ROOT) else taxonomy}): "
              f"{hf['papers']} papers; Other {hf['other_all']:.1%} (held-out {hf['other_held']:.1%}), largest "
              f"first topic {hf['largest_all']:.1%} {hf['largest_topic_all']} (held-out {hf['largest_held']:.1%}); "
              f"NMI {hf['nmi']:.3f} on {hf['labelled']} hand-labelled papers ({args.labels.name}; "
              "TF-IDF + k-means, no taxonomy: "
              f"{hf['kmeans_nmi']:.3f}); {hf['seconds']:.1f} s")
        if "related_pages" in hf:
            print(f"related papers: {hf['related_fewer']} of {hf['related_pages']} sampled pages show fewer than five; "
                  f"their mean cosine is {hf['related_ratio']:.3f} of an exact search's five nearest, "
                  f"{hf['related_among']:.1%} of them among those five; {hf['related_seconds']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    scratch.cleanup()


if __name__ == "__main__":
    main()
