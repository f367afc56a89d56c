"""Author pages: who is the same author, permanent slugs, the index's groups, and the pages in a real build."""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator import authors as authors_module
from generator.author_pages import SHELL_ID
from generator.authors import author_key, author_slug, find_authors, index_group
from generator.config import load_config
from generator.errors import ConfigError
from generator.model import Paper
from tests.conftest import FIXTURES, make_project, mkdocs_build, run_digest

AUTHORS = FIXTURES / "authors"
HOSTILE = '<script>alert(1)</script> "Evil" & Co'
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{6}|[0-9a-f]{6}")


def paper(number: int, authors: list[str], day: int = 1) -> Paper:
    return Paper(id=f"2611.{number:05d}", title=f"Paper {number}", abstract="A.", added=dt.date(2026, 11, day),
                 source="test", authors=tuple(authors))


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Kaiming He", "KAIMING HE"),  # case
        ("Kaiming He", "Kaiming  He"),  # spacing
        ("Kaiming He", "Kaiming\u00a0He\t"),  # other white space
        ("José García", "Jose\u0301 Garci\u0301a"),  # composed and decomposed accents (NFKC)
        ("Ｋａｉｍｉｎｇ He", "Kaiming He"),  # full-width letters (NFKC)
        ("Straße", "STRASSE"),  # case-folding, not lower-casing
    ],
)
def test_names_equal_after_normalisation_and_case_folding_are_one_author(one: str, other: str) -> None:
    assert author_key(one) == author_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("J. Smith", "John Smith"), ("Wei Zhang", "Zhang Wei"), ("张伟", "Zhang Wei"), ("Yi-Fan Zhang", "Yifan Zhang"),
     ("Ming-Yu Liu", "Ming Yu Liu")],
)
def test_nothing_is_guessed_initials_order_and_hyphens_are_kept(one: str, other: str) -> None:
    """Hugging Face links "Yi-Fan Zhang" and "Yifan Zhang", "Ming-Yu Liu" and "Mingyu Liu", to different accounts."""
    assert author_key(one) != author_key(other)
    assert author_slug(author_key(one)) != author_slug(author_key(other))
    assert len(find_authors([paper(1, [one]), paper(2, [other], 2)], 1).by_key) == 2


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Baptiste Rozière", "Baptiste Roziere"),  # accents
        ("Jürgen Schmidhuber", "Juergen Schmidhuber"),  # a German umlaut as "ue"
        ("Linxi Fan", 'Linxi "Jim" Fan'),  # a quoted nickname
        ("Shuhan Song", "Shuhan Song§"),  # a footnote mark
        ("Ann O'Brien", "O’Brien, Ann"),  # "Last, First" and a typographic apostrophe
        ("Ada Lovelace", "Ada Lovelace,"),  # a stray comma
        ("Ada Lovelace", "; Lovelace, Ada"),  # a stray semicolon before "Last, First"
    ],
)
def test_one_persons_spellings_are_one_page_named_by_the_most_used(one: str, other: str) -> None:
    """A page per spelling split a person's papers: 13 people with a page in a real archive of 580 days of Hugging
    Face daily papers; 'Linxi Fan' (6 papers) and 'Linxi "Jim" Fan' (6) had two pages, 5 people none."""
    papers = [paper(1, [one]), paper(2, [other], 2), paper(3, [f" {one} "], 3)]
    for order in (papers, papers[::-1]):
        found = find_authors(order, 3)
        (author,) = found.by_key.values()
        assert author.name == one and len(author.papers) == 3 and author.slug == author_slug(author_key(one))
        assert author.formerly == (author_slug(author_key(other)),)  # its page sends readers on
        assert found.slug_of(other) == found.slug_of(one.upper()) == author.slug
    tie = find_authors([paper(1, [other]), paper(2, [one], 2)], 2)  # ties: no nickname or marks, accents, sorted
    assert [author.name for author in tie.by_key.values()] == [one]
    assert find_authors([paper(1, [other]), paper(2, [one], 2)], 3).by_key == {}


# ---------------------------------------------------------------- slugs


def test_slugs_are_readable_distinct_and_path_safe_in_any_script() -> None:
    names = ["José García", "Jose Garcia", "张伟", "山田太郎", "김민수", "Иван Петров", "Γιώργος Παπαδόπουλος",
             "محمد علي", HOSTILE, "🙂", "../../etc/passwd", "x" * 300]
    slugs = [author_slug(author_key(name)) for name in names]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert SLUG.fullmatch(slug) and len(slug) <= 60, slug
    assert slugs[0].startswith("jose-garcia-") and slugs[1].startswith("jose-garcia-")  # alike, yet distinct
    assert slugs[2].startswith("zhangwei-") and slugs[5].startswith("ivan-petrov-")  # transliterated


def test_a_slug_is_permanent() -> None:
    # A published URL: this value must never change (a change of the hash or transliteration breaks links).
    assert author_slug(author_key("José García")) == "jose-garcia-" + __import__("hashlib").sha256(
        "josé garcía".encode()).hexdigest()[:6]


def test_the_authors_found_do_not_depend_on_the_order_papers_arrive() -> None:
    papers = [paper(1, ["Ada Lovelace", "José García"]), paper(2, ["ADA LOVELACE", "Jose Garcia"], 2),
              paper(3, ["Ada  Lovelace", "José García", "Jose Garcia"], 3), paper(4, ["ada lovelace"], 4)]
    expected = find_authors(papers, 2)
    rng = random.Random(7)
    for _ in range(20):
        shuffled = papers[:]
        rng.shuffle(shuffled)
        assert find_authors(shuffled, 2) == expected
    ada = expected.by_key["ada lovelace"]
    assert ada.name == "Ada Lovelace"  # the most frequent spelling (spacing does not count)
    assert len(ada.papers) == 4 and expected.slug_of("ADA  LOVELACE") == ada.slug
    assert {a.name for a in expected.by_key.values()} == {"Ada Lovelace", "José García"}  # one person, two spellings
    assert expected.slug_of("Jose Garcia") == expected.slug_of("José García") == author_slug(author_key("José García"))


def test_a_collaborations_paper_counts_for_its_first_ten_authors_only() -> None:
    """Each of 3,000 names on 200 papers of one collaboration had an author page listing all 200 (142 MB of a 199 MB
    site): a paper of more than 1,000 authors counts for its first ten, as INSPIRE cites it; one of 1,000 for all."""
    collaboration = [f"Member {number:04d}" for number in range(1001)]
    papers = [paper(number, collaboration) for number in range(1, 4)]
    papers.append(paper(4, ["Member 0050", "Ada Lovelace"]))
    found = find_authors(papers, 2)
    assert sorted(author.name for author in found.by_key.values()) == [f"Member {n:04d}" for n in range(10)]
    assert found.by_key[author_key("Member 0009")].papers == ("2611.00001", "2611.00002", "2611.00003")
    assert found.slug_of("Member 0050") is None  # on 4 papers, 3 of them a collaboration's: it counts for 1
    papers = [paper(number, collaboration[:1000]) for number in range(1, 3)]
    assert len(find_authors(papers, 2).by_key) == 1000


def test_a_collaborations_paper_page_links_the_names_whose_pages_list_it(tmp_path: Path) -> None:
    """The paper page linked each of 3,000 names that had a page (255 KB a page); a name past the tenth of a
    collaboration's paper is text: its author page, if any, does not list that paper."""
    from tests.pages import paper_article

    members = [f"Member {number:04d}" for number in range(1020)]
    issue = tmp_path / "2026-11-27.yaml"
    records = [{"title": f"Measurement number {n}", "abstract": "We measure.", "arxiv": f"2611.0000{n}",
                "authors": members} for n in range(1, 4)]
    records += [{"title": "Small", "abstract": "We measure less.", "arxiv": "2611.00009",
                 "authors": ["Member 0050", "Member 0051"]},
                {"title": "Small again", "abstract": "And less.", "arxiv": "2611.00008", "authors": ["Member 0050"]}]
    issue.write_text(yaml.safe_dump(records), encoding="utf-8")
    project = make_project(tmp_path / "site", papers=issue)
    (project / "digest.yml").write_text("authors: {min_papers: 2}\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    page = paper_article(project / "content", "2611.00001")
    linked = re.findall(r'<a href="\.\./\.\./authors/[^"]+/">(Member \d+)</a>', page)
    assert linked == [f"Member {number:04d}" for number in range(10)]
    assert "Member 0050" in page and "Member 1019" in page  # every name is still listed, as text
    assert '<a href="../../authors/' in paper_article(project / "content", "2611.00009")  # Member 0050: 2 papers


def test_a_build_that_drops_published_author_pages_says_so(tmp_path: Path) -> None:
    """An upgrade from 0.1.3 ended the author pages of a collaboration's members past its tenth, and of authors
    such papers had brought to authors.min_papers, without a word: their addresses stopped working."""
    members = [f"Member {number:04d}" for number in range(10)]
    issue = tmp_path / "2026-11-27.yaml"
    records = [{"title": f"Measurement number {n}", "abstract": "We measure.", "arxiv": f"2611.0000{n}",
                "authors": members} for n in range(1, 4)]
    issue.write_text(yaml.safe_dump(records), encoding="utf-8")
    project = make_project(tmp_path / "site", papers=issue)
    (project / "digest.yml").write_text("authors: {min_papers: 2}\n", encoding="utf-8")
    assert "drops" not in run_digest("build", cwd=project).stderr
    for record in records[1:]:  # the members have one paper each now; Ada Byron two
        record["authors"] = ["Ada Byron"]
    (project / "data" / "issues" / issue.name).write_text(yaml.safe_dump(records), encoding="utf-8")
    errors = run_digest("build", cwd=project).stderr
    first = min(author_slug(author_key(name)) for name in members)
    assert f"authors/: note: this build drops 10 author pages the previous one published: authors/{first}/" in errors
    assert "a lower authors.min_papers keeps their pages" in errors


def test_a_page_that_becomes_another_spellings_is_no_dropped_page(tmp_path: Path) -> None:
    """The page of "Jose Garcia" became a page sending readers to "José García"'s: its address works, no note."""
    issue = tmp_path / "2026-11-27.yaml"
    records = [{"title": f"Measurement number {n}", "abstract": "We measure.", "arxiv": f"2611.0000{n}",
                "authors": ["Jose Garcia"]} for n in range(1, 3)]
    issue.write_text(yaml.safe_dump(records), encoding="utf-8")
    project = make_project(tmp_path / "site", papers=issue)
    (project / "digest.yml").write_text("authors: {min_papers: 2}\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    records += [{"title": f"Measurement number {n}", "abstract": "We measure.", "arxiv": f"2611.0000{n}",
                 "authors": ["José García"]} for n in range(3, 6)]
    (project / "data" / "issues" / issue.name).write_text(yaml.safe_dump(records), encoding="utf-8")
    assert "drops" not in run_digest("build", cwd=project).stderr
    moved = (project / "content" / "authors" / slug("Jose Garcia") / "index.html").read_text(encoding="utf-8")
    assert f'url=../{slug("José García")}/"' in moved and "José García" in moved


def test_the_spelling_shown_is_the_most_frequent_with_ties_by_sorted_order() -> None:
    tie = [paper(1, ["de la Cruz, Ana"]), paper(2, ["De La Cruz, Ana"])]
    assert find_authors(tie, 2).by_key[author_key("de la cruz, ana")].name == "De La Cruz, Ana"
    assert find_authors(tie[::-1], 2).by_key[author_key("de la cruz, ana")].name == "De La Cruz, Ana"


def test_a_name_that_appears_later_changes_no_slug() -> None:
    before = find_authors([paper(1, ["张伟"]), paper(2, ["张伟"], 2)], 2)
    later = find_authors([paper(1, ["张伟"]), paper(2, ["张伟"], 2), paper(3, ["Zhangwei"], 3),
                          paper(4, ["Zhangwei"], 4), paper(0, ["ZHANGWEI"], 5)], 2)
    assert later.by_key["张伟"].slug == before.by_key["张伟"].slug
    assert later.by_key["zhangwei"].slug != before.by_key["张伟"].slug


def test_a_spelling_that_overtakes_another_keeps_its_address_working() -> None:
    before = find_authors([paper(1, ["José García"]), paper(2, ["José García"], 2)], 2)
    later = find_authors([paper(1, ["José García"]), paper(2, ["José García"], 2), paper(3, ["Jose Garcia"], 3),
                          paper(4, ["Jose Garcia"], 4), paper(0, ["JOSE GARCIA"], 5)], 2)
    (author,) = later.by_key.values()
    assert author.name == "Jose Garcia" and len(author.papers) == 5  # the spelling of 3 papers of 5
    assert author.formerly == (before.by_key["josé garcía"].slug,)  # the page published before sends readers on


def test_a_slug_clash_is_settled_by_the_archive_not_the_arrival_order(monkeypatch: pytest.MonkeyPatch) -> None:
    real = authors_module.author_slug

    def clashing(key: str, digits: int = 6) -> str:  # two names whose 6 hex digits would be equal
        return "clash-000000" if key in ("ann lee", "anne lee") and digits == 6 else real(key, digits)

    monkeypatch.setattr(authors_module, "author_slug", clashing)
    older = [paper(1, ["Ann Lee"]), paper(2, ["Ann Lee"], 2)]
    newer = [paper(3, ["Anne Lee"], 3), paper(4, ["Anne Lee"], 4)]
    alone = find_authors(older, 2)
    for papers in (older + newer, newer + older):
        found = find_authors(papers, 2)
        assert found.by_key["ann lee"].slug == alone.by_key["ann lee"].slug == "clash-000000"
        assert found.by_key["anne lee"].slug == real("anne lee", 8)
        assert found.notes and "share the slug" in found.notes[0]


def test_a_slug_clash_is_told_by_the_build_naming_both_pages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from generator.build import BuildOptions, BuildReport, Stopwatch, load_archive

    real = authors_module.author_slug
    monkeypatch.setattr(authors_module, "author_slug", lambda key, digits=6: (
        "clash-000000" if key in ("ann lee", "anne lee") and digits == 6 else real(key, digits)))
    project = make_project(tmp_path / "clash")
    issues = project / "data" / "issues"
    for path in issues.iterdir():
        path.unlink()
    for day, name in ((1, "Ann Lee"), (2, "Ann Lee"), (3, "Anne Lee"), (4, "Anne Lee")):
        paper = {"title": f"A paper of day {day}", "abstract": "An abstract.", "authors": [name]}
        (issues / f"2026-11-0{day}.json").write_text(json.dumps({"papers": [paper]}), encoding="utf-8")
    (project / "digest.yml").write_text("authors: {min_papers: 2}\n", encoding="utf-8")
    config, _ = load_config(project / "digest.yml")
    report = BuildReport()
    load_archive(config, BuildOptions(), report, Stopwatch(report, lambda _: None))
    notes = [str(note) for note in report.notes if "share the slug" in note.message]
    longer = real("anne lee", 8)
    assert notes == [f"authors/: note: authors 'ann lee' and 'anne lee' share the slug 'clash-000000': the first,"
                     f" whose first paper is older, has authors/clash-000000/, the second authors/{longer}/"]


def test_a_name_listed_twice_or_with_invisible_characters_is_one_author_shown_once(tmp_path: Path) -> None:
    from generator.sources import read_paper_list

    names = ["Kaiming He", "Kaiming He\u200b", "J. Smith", "j.  smith", "A\u030angstr\u00f6m", "\u00c5ngstr\u00f6m",
             "Ro\u00adbert Lee", "\u200b"]
    path = tmp_path / "2026-11-01.json"
    path.write_text(json.dumps({"papers": [{"title": "T", "abstract": "A.", "authors": names}]}), encoding="utf-8")
    read = read_paper_list(path)
    assert read.papers[0].authors == ("Kaiming He", "J. Smith", "A\u030angstr\u00f6m", "Robert Lee")
    found = find_authors(read.papers, 1)
    assert sorted(found.by_key) == ["j. smith", "kaiming he", "robert lee", "\u00e5ngstr\u00f6m"]


def test_a_name_copied_with_bidi_controls_is_the_author_without_them(tmp_path: Path) -> None:
    # Names copied from right-to-left text carry embeddings and isolates, which show as nothing: with them, the same
    # name had a second author page that looked the same.
    from generator.sources import read_paper_list

    names = ["\u202b\u0645\u062d\u0645\u062f \u0639\u0644\u064a\u202c", "\u0645\u062d\u0645\u062f \u0639\u0644\u064a",
             "\u2067\u05d3\u05e0\u05d4 \u05db\u05d4\u05df\u2069", "\u05d3\u05e0\u05d4 \u05db\u05d4\u05df"]
    papers = [{"title": f"T{number}", "abstract": "A.", "authors": [name]} for number, name in enumerate(names)]
    (tmp_path / "2026-11-01.json").write_text(json.dumps({"papers": papers}), encoding="utf-8")
    read = read_paper_list(tmp_path / "2026-11-01.json").papers
    assert [paper.authors for paper in read] == [(names[1],), (names[1],), (names[3],), (names[3],)]
    assert sorted(author.name for author in find_authors(read, 2).by_key.values()) == sorted([names[1], names[3]])


def test_et_al_and_others_ending_a_cut_list_are_no_author_in_any_format(tmp_path: Path) -> None:
    from generator.sources import read_paper_list

    lists = [["Ann Lee", "Bo Chen", "et al."], ["Ann Lee", "Bo Chen et al."], ["Ann Lee", "Bo Chen", "others"],
             "Ann Lee, Bo Chen, and others", "Ann Lee, Bo Chen et al.", "Ann Lee and Bo Chen and others"]
    papers = [{"title": f"T{number}", "abstract": "A.", "authors": names} for number, names in enumerate(lists)]
    papers.append({"title": "Kept", "abstract": "A.", "authors": ["Others, Ann", "Al Others", "Petal"]})
    (tmp_path / "2026-11-01.json").write_text(json.dumps({"papers": papers}), encoding="utf-8")
    hf = [{"paper": {"id": "2611.00001", "title": "H", "summary": "A.", "authors": [
        {"name": "Ann Lee"}, {"name": "Bo Chen"}, {"name": "et al"}]}}]
    (tmp_path / "2026-11-02.json").write_text(json.dumps(hf), encoding="utf-8")
    read = [paper for day in ("01", "02") for paper in read_paper_list(tmp_path / f"2026-11-{day}.json").papers]
    kept = [paper.authors for paper in read if paper.title == "Kept"]
    assert [paper.authors for paper in read if paper.title != "Kept"] == [("Ann Lee", "Bo Chen")] * 7
    assert kept == [("Others, Ann", "Al Others", "Petal")]
    assert sorted(find_authors(read, 2).by_key) == ["ann lee", "bo chen"]


# ---------------------------------------------------------------- the index's groups


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("Ada Lovelace", "l"), ("Ólafur Ólafsson", "o"), ("Łukasz Kaiser", "k"), ("Martin Luther King Jr.", "k"),
        ("Smith, John", "s"), ("Johannes van der Waals", "w"), ("Иван Петров", "cyrillic"),
        ("Γιώργος Παπαδόπουλος", "greek"), ("张伟", "han"), ("김민수", "hangul"), ("محمد علي", "arabic"),
        ("123", "other"), (HOSTILE, "c"),
        ("Ａｄａ Ｌｏｖｅｌａｃｅ", "l"),  # full-width letters, one author with "Ada Lovelace" (NFKC): no "Other" name
        ("ﾔﾏﾀﾞ", "kana"),  # half-width kana
    ],
)
def test_names_are_grouped_by_surname_initial_or_by_script(name: str, group: str) -> None:
    assert index_group(name)[0] == group


# ---------------------------------------------------------------- the setting


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("authors: {min_papers: 0}", "'authors.min_papers' must be a whole number of at least 1, not 0"),
        ("authors: {min_papers: two}", "'authors.min_papers' must be a whole number of at least 1, not 'two' (text)"),
        ("authors: {min_papers: true}",
         "'authors.min_papers' must be a whole number of at least 1, not True (true/false)"),
        ("authors: 5", "'authors' must be a mapping"),
    ],
)
def test_a_wrong_min_papers_is_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "digest.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(tmp_path / "digest.yml")
    result = run_digest("build", cwd=tmp_path, check=False)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr


def test_min_papers_defaults_and_unknown_author_settings_are_reported(tmp_path: Path) -> None:
    (tmp_path / "digest.yml").write_text("authors: {min_papers: 2, per_page: 9}\n", encoding="utf-8")
    config, warnings = load_config(tmp_path / "digest.yml")
    assert config.authors.min_papers == 2 and "per_page" in warnings[0].message
    (tmp_path / "digest.yml").write_text("stale_after_days: 3\n", encoding="utf-8")
    assert load_config(tmp_path / "digest.yml")[0].authors.min_papers == 5


# ---------------------------------------------------------------- a real build


@pytest.fixture(scope="module")
def author_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("authors"), papers=AUTHORS)
    (project / "digest.yml").write_text("authors: {min_papers: 3}\ntopic_page_size: 2\n", encoding="utf-8")
    run_digest("build", "--quiet", cwd=project)
    mkdocs_build(project)
    return project


def slug(name: str) -> str:
    return author_slug(author_key(name))


def article(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


@pytest.mark.slow
def test_an_author_page_lists_their_papers_newest_first_with_a_pager(author_site: Path) -> None:
    site = author_site / "site"
    first = article(site / "authors" / slug("Ada Lovelace") / "index.html")
    assert '<h1 id="title">Ada Lovelace — page 1 of 3</h1>' in first and "5 papers in the digest, newest first" in first
    dates = re.findall(r"<li>(\d{4}-\d\d-\d\d) <a", first)
    assert dates == ["2026-11-22", "2026-11-22"]
    second = article(site / "authors" / slug("Ada Lovelace") / "page-2" / "index.html")
    assert re.findall(r"<li>(\d{4}-\d\d-\d\d) <a", second) == ["2026-11-21", "2026-11-20"]
    assert 'rel="prev" href="../../../authors/' in second and 'aria-current="page">2<' in second
    assert re.findall(r'href="../../papers/([^/]+)/"', first)  # links to paper pages
    for link in re.findall(r'href="([^"#]+)"', first):
        target = (site / "authors" / slug("Ada Lovelace") / link).resolve()
        assert (target / "index.html").is_file() or target.is_file(), link


@pytest.mark.slow
def test_each_page_of_an_author_has_a_title_of_its_own(author_site: Path) -> None:
    """Page 2 of an author had page 1's <title>: the same in a tab, the history and a screen reader's announcement.
    Later pages are named as topic pages' are; the header shows the page's title too (the frame script reads it)."""
    folder = author_site / "site" / "authors" / slug("Ada Lovelace")
    titles = [re.search(r"<title>(.*?)</title>", (page / "index.html").read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
              for page in (folder, folder / "page-2", folder / "page-3")]
    assert titles == ["Ada Lovelace - Paper Digest", "Ada Lovelace (page 2) - Paper Digest",
                      "Ada Lovelace (page 3) - Paper Digest"]


@pytest.mark.slow
def test_an_author_pages_lines_show_upvotes_where_the_source_gives_them(author_site: Path) -> None:
    second = article(author_site / "site" / "authors" / slug("Ada Lovelace") / "page-2" / "index.html")
    lines = dict(re.findall(r'<li>\d{4}-\d\d-\d\d <a href="[^"]+">([^<]+)</a>(.*)', second))
    assert lines["Sparse Routing for Mixture Models"] == " · 1,234 upvotes"  # the fixture's 1234
    assert [rest for title, rest in lines.items() if title != "Sparse Routing for Mixture Models"] == [""]


@pytest.mark.slow
def test_pages_exist_from_min_papers_on_and_alike_names_get_their_own(author_site: Path) -> None:
    site = author_site / "site" / "authors"
    for name in ("José García", "张伟", "Иван Петров", "John Smith", HOSTILE):
        assert (site / slug(name) / "index.html").is_file(), name
    for name in ("J. Smith", "Solo Writer"):  # two papers, one paper
        assert not (site / slug(name)).exists(), name
    jose = article(site / slug("José García") / "index.html")
    # The NFD and upper-case spellings are the same author, and so is "Jose Garcia" (3 papers each: the accents win).
    assert '<h1 id="title">José García — page 1 of 3</h1>' in jose and "6 papers" in jose
    for page in ("", "page-2/", "page-3/"):  # the other spelling's pages send readers on, page for page
        moved = (site / slug("Jose Garcia") / page / "index.html").read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url={"../" * (1 + bool(page))}{slug("José García")}/{page}">' \
            in moved and '<meta name="robots" content="noindex">' in moved and "This author's page is" in moved
    index = article(site / "g" / "index.html")
    assert "José García</a> 6" in index and "Jose Garcia<" not in index
    assert SHELL_ID not in (author_site / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert not (site / SHELL_ID).exists()
    assert "authors/" + slug("Ada Lovelace") not in (author_site / "site" / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_index_groups_by_surname_initial_and_script(author_site: Path) -> None:
    site = author_site / "site" / "authors"
    index = article(site / "index.html")
    labels = re.findall(r'<li><a href="([^"]+)/">([^<]+)</a> (\d+)</li>', index)
    assert [segment for segment, _, _ in labels] == ["c", "g", "l", "s", "cyrillic", "han"]
    assert ("han", "Han (Chinese, Japanese)", "1") in [(s, html.unescape(label), n) for s, label, n in labels]
    letter_g = article(site / "g" / "index.html")
    assert re.findall(r'<a href="../([^"]+)/">([^<]+)</a>', letter_g) == [
        (slug("José García"), "José García")]  # "Jose Garcia" is the same person
    han = article(site / "han" / "index.html")
    assert f'<a href="../{slug("张伟")}/">张伟</a> 3' in han
    nav = (author_site / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="authors/"' in nav  # the navigation lists the index


@pytest.mark.slow
def test_names_link_to_author_pages_only_where_one_exists(author_site: Path) -> None:
    content = author_site / "content"
    from tests.pages import paper_articles

    articles = paper_articles(content)
    page = next(body for body in articles.values() if "Diffusion Policies" in body)
    authors_line = re.search(r'<div class="digest-authors">(.*?)</div>', page, re.DOTALL).group(1)  # type: ignore[union-attr]
    assert f'<a href="../../authors/{slug("Ada Lovelace")}/">Ada Lovelace</a>' in authors_line
    assert f'<a href="../../authors/{slug("John Smith")}/">John Smith</a>' in authors_line
    assert "J. Smith" in authors_line and ">J. Smith<" not in authors_line  # no page, no link
    site = author_site / "site"
    cards = "".join(p.read_text(encoding="utf-8") for p in (site / "topics").rglob("index.html"))
    linked = set(re.findall(r'href="../../authors/([^"/]+)/"', cards))
    assert linked and linked <= {slug(n) for n in ("Ada Lovelace", "José García", "Jose Garcia", "张伟", "Иван Петров",
                                                   "John Smith", HOSTILE)}
    assert slug("J. Smith") not in cards and slug("Solo Writer") not in cards


@pytest.mark.slow
def test_hostile_names_are_text_everywhere(author_site: Path) -> None:
    site = author_site / "site"
    page = (site / "authors" / slug(HOSTILE) / "index.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)  # type: ignore[union-attr]
    assert html.unescape(heading) == HOSTILE + " — page 1 of 2" and "<" not in heading
    assert "<title>&lt;script&gt;" in page
    for path in site.rglob("*.html"):
        assert "<script>alert(1)" not in path.read_text(encoding="utf-8"), path


@pytest.mark.slow
def test_author_pages_are_light_and_their_frame_is_served_once(author_site: Path) -> None:
    site = author_site / "site"
    scripts = list((site / "assets" / "digest").glob("author-frame.*.js"))
    assert len(scripts) == 1
    frame = scripts[0].read_text(encoding="utf-8")
    assert "md-header" in frame and "__config" in frame and "bundle." in frame
    for page in (site / "authors").rglob("index.html"):
        if page.parent.name == "authors":
            continue  # the index is a Material page of its own
        text = page.read_text(encoding="utf-8")
        if '<meta http-equiv="refresh"' in text:
            continue  # another spelling's page, sending readers on
        assert f'src="{"../" * (len(page.relative_to(site).parts) - 1)}assets/digest/{scripts[0].name}"' in text
        assert len(text.encode()) - len(article(page).encode()) <= 1100, page  # the frame left in each page


@pytest.mark.slow
def test_author_pages_are_the_same_whatever_the_file_order(author_site: Path, tmp_path: Path) -> None:
    # The same papers, each issue's file split in two and named so they are read in another order.
    data = tmp_path / "lists"
    data.mkdir()
    for path in sorted(AUTHORS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for part, papers in (("b", document["papers"][:1]), ("a", document["papers"][1:])):
            (data / f"{path.stem}-{part}.json").write_text(
                json.dumps({"date": document["date"], "papers": papers[::-1]}, ensure_ascii=False), encoding="utf-8")
    project = make_project(tmp_path / "other", papers=data)
    shutil.copy(author_site / "digest.yml", project / "digest.yml")
    run_digest("build", "--quiet", cwd=project)
    first = author_site / "content" / ".digest" / "authors"
    second = project / "content" / ".digest" / "authors"
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
    for shard in first.iterdir():
        assert shard.read_bytes() == (second / shard.name).read_bytes(), shard.name
    index = "content/authors/index.md"
    assert (author_site / index).read_bytes() == (project / index).read_bytes()


def test_a_changed_theme_page_stops_author_pages_with_a_reason() -> None:
    from generator.author_pages import FrameError, cut_frame

    content = "<p>DigestAuthorShellBody</p>"
    page = ('<html lang="en"><head><title>DigestAuthorShellTitle - S</title></head><body class="x">'
            f'<header>h</header><main><article class="md-content__inner md-typeset">{content}</article></main></body>')
    with pytest.raises(FrameError, match="not found in Material's page"):
        cut_frame(page, content)
    with pytest.raises(FrameError, match="not found once"):
        cut_frame(page.replace(content, "<p>other</p>"), content)
