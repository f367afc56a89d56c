"""The topic evaluation bench (bench/eval/eval_topics.py) on a labelled set of one's own, as the README shows it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "eval" / "eval_topics.py"

TAXONOMY = """topics:
  - name: Plants
    slug: bio-pl
    description: Leaves, roots and flowers of plants.
    keywords: [leaf, root, flower]
  - name: Stars
    slug: astro-st
    description: Stars, their light and their lives.
    keywords: [star, stellar, luminosity]
"""


def labelled_set(folder: Path, name: str) -> None:
    """A small invented set: ten papers on plants, ten on stars."""
    lines = []
    for n in range(10):
        lines.append({"title": f"Leaf and root growth {n}", "label": "bio.PL",
                      "abstract": f"We measure how the leaf and the root of flower plant number {n} grow in soil."})
        lines.append({"title": f"Stellar luminosity {n}", "label": "astro.ST",
                      "abstract": f"We measure the luminosity of star number {n} and its stellar wind and light."})
    (folder / f"{name}.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def bench(*args: str, block: str = "") -> subprocess.CompletedProcess[str]:
    """Run the bench as a script; ``block`` names a module that cannot be imported."""
    code = (f"import runpy, sys; sys.path.insert(0, {str(BENCH.parent)!r}); "
            + (f"sys.modules[{block!r}] = None; " if block else "")
            + f"sys.argv = [{str(BENCH)!r}, *{list(args)!r}]; runpy.run_path({str(BENCH)!r}, run_name='__main__')")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)


def test_a_taxonomy_that_is_not_yaml_is_named_with_its_line_not_a_traceback(tmp_path: Path) -> None:
    labelled_set(tmp_path, "mine")
    broken = TAXONOMY.replace("Stars, their light", "Stars: their light")
    (tmp_path / "mine.yml").write_text(broken, encoding="utf-8")
    result = bench("--data", str(tmp_path), "--taxonomies", str(tmp_path), "--sets", "mine",
                   "--skip", "ceiling", "seed", "daily-papers")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'mine.yml'}:8: invalid YAML" in result.stderr


def test_without_scikit_learn_the_bench_says_how_to_install_it(tmp_path: Path) -> None:
    labelled_set(tmp_path, "mine")
    (tmp_path / "mine.yml").write_text(TAXONOMY, encoding="utf-8")
    result = bench("--data", str(tmp_path), "--taxonomies", str(tmp_path), "--sets", "mine",
                   "--skip", "ceiling", "seed", "daily-papers", block="sklearn")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "scikit-learn is not installed" in result.stderr and "requirements-eval.lock" in result.stderr


def test_a_long_set_name_keeps_the_table_in_columns(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    labelled_set(tmp_path, "my-own-long-set")
    (tmp_path / "my-own-long-set.yml").write_text(TAXONOMY, encoding="utf-8")
    result = bench("--data", str(tmp_path), "--taxonomies", str(tmp_path), "--sets", "my-own-long-set",
                   "--skip", "ceiling", "seed", "daily-papers")
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()[:2]
    assert row.startswith("my-own-long-set new ")
    assert header.index("role") == row.index("new")
    assert header.index("top-1") + len("top-1") == row.index(" 1.000") + len(" 1.000")


def test_issues_scores_a_set_as_several_daily_issues(tmp_path: Path) -> None:
    """--issues N: the papers are spread over N issue dates, so the figures are a site's of N issues (recorded in
    the JSON); fewer than one issue is refused with a message."""
    pytest.importorskip("sklearn")
    labelled_set(tmp_path, "mine")
    (tmp_path / "mine.yml").write_text(TAXONOMY, encoding="utf-8")
    figures = tmp_path / "figures.json"
    result = bench("--data", str(tmp_path), "--taxonomies", str(tmp_path), "--sets", "mine", "--issues", "4",
                   "--skip", "ceiling", "seed", "daily-papers", "--json", str(figures))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "each set scored as 4 issues (--issues)"
    written = json.loads(figures.read_text(encoding="utf-8"))
    assert written["issues"] == 4 and written["sets"][0]["papers"] == 20
    refused = bench("--data", str(tmp_path), "--taxonomies", str(tmp_path), "--sets", "mine", "--issues", "0")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "--issues 0: a set is scored as one issue or more" in refused.stderr


def test_issues_spreads_the_papers_over_that_many_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sklearn")
    import generator.topics

    monkeypatch.syspath_prepend(str(BENCH.parent))
    import eval_topics  # type: ignore[import-not-found]

    labelled_set(tmp_path, "mine")
    (tmp_path / "mine.yml").write_text(TAXONOMY, encoding="utf-8")
    seen: list[list[object]] = []
    real = generator.topics.assign_topics

    def spy(papers, topics, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append([paper.added for paper in papers])
        return real(papers, topics, *args, **kwargs)

    monkeypatch.setattr(generator.topics, "assign_topics", spy)
    eval_topics.score_set("mine", tmp_path, ["ceiling"], tmp_path, issues=4)
    eval_topics.score_set("mine", tmp_path, ["ceiling"], tmp_path)
    spread, single = seen
    assert len(set(spread)) == 4 and [spread.count(day) for day in sorted(set(spread))] == [5, 5, 5, 5]
    assert len(set(single)) == 1
