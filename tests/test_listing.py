"""The pasted Hugging Face listing reader."""

from generator.sources.listing import read_listing

BANNER = "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n"


def test_seed_listing_reads_every_pair(seed_bytes: bytes) -> None:
    result = read_listing(seed_bytes, "seed.txt")
    assert result.problems == []
    assert len(result.papers) == 119
    first = result.papers[0]
    assert first.title == "MultiLevel Variational MultiScale (ML-VMS) framework for large-scale simulation"
    assert first.abstract.startswith("In this paper, we propose the MultiLevel Variational MultiScale")
    assert first.source == "seed.txt:3"
    assert result.papers[-1].title == "Efficient Neural Network Training via Subset Pretraining"


def test_subscribe_is_removed_only_from_the_first_title() -> None:
    data = (BANNER + "SubscribeA First Title\nAbstract one.\nSubscribe to Nothing\nAbstract two.\n").encode()
    titles = [paper.title for paper in read_listing(data, "x.txt").papers]
    assert titles == ["A First Title", "Subscribe to Nothing"]


def test_unicode_line_separators_stay_inside_an_abstract() -> None:
    data = (BANNER + "Title one\nPart one\u2028part two\x85\u2029end.\nTitle two\nAbstract two.\n").encode()
    papers = read_listing(data, "x.txt").papers
    assert [paper.title for paper in papers] == ["Title one", "Title two"]
    assert "\u2028part two" in papers[0].abstract


def test_crlf_line_endings() -> None:
    data = (BANNER + "Title one\nAbstract one.\nTitle two\nAbstract two.\n").replace("\n", "\r\n").encode()
    papers = read_listing(data, "x.txt").papers
    assert [(p.title, p.abstract) for p in papers] == [("Title one", "Abstract one."), ("Title two", "Abstract two.")]


def test_dangling_title_is_reported_with_its_line_and_good_papers_kept() -> None:
    data = (BANNER + "Title one\nAbstract one.\nLonely title\n").encode()
    result = read_listing(data, "list.txt")
    assert [paper.title for paper in result.papers] == ["Title one"]
    assert [str(problem) for problem in result.problems] == ["list.txt:5: title without an abstract"]


def test_empty_title_is_reported_and_pairing_continues() -> None:
    data = (BANNER + "Title one\nAbstract one.\n   \nOrphan abstract.\nTitle three\nAbstract three.\n").encode()
    result = read_listing(data, "list.txt")
    assert [paper.title for paper in result.papers] == ["Title one", "Title three"]
    assert [str(problem) for problem in result.problems] == ["list.txt:5: empty title; this pair is skipped"]


def test_invalid_utf8_is_replaced_and_reported_with_its_line() -> None:
    data = BANNER.encode() + b"Caf\xe9 title\nAbstract one.\nTitle two\nAbstract two.\n"
    result = read_listing(data, "list.txt")
    assert [paper.title for paper in result.papers] == ["Caf\ufffd title", "Title two"]
    assert [str(problem) for problem in result.problems] == ["list.txt:3: invalid UTF-8 at byte 3, replaced"]


def test_control_characters_are_removed_and_reported() -> None:
    data = (BANNER + "Title\x00 one\nAbstract\x07 one.\n").encode()
    result = read_listing(data, "list.txt")
    assert result.papers[0].title == "Title one"
    assert result.papers[0].abstract == "Abstract one."
    assert len(result.problems) == 2


def test_empty_file_and_banner_only_file_give_no_papers() -> None:
    assert read_listing(b"", "empty.txt").papers == []
    assert read_listing(BANNER.encode(), "banner.txt").papers == []
