"""The pasted Hugging Face listing reader."""

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from generator.sources.listing import SENTENCE_END, SUBMITTED_BY, _page_text, read_listing

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


def test_an_abstract_without_a_title_is_reported_and_pairing_continues() -> None:
    data = (BANNER + "Title one\nAbstract one.\n   \nOrphan abstract.\nTitle three\nAbstract three.\n").encode()
    result = read_listing(data, "list.txt")
    assert [paper.title for paper in result.papers] == ["Title one", "Title three"]
    assert [str(problem) for problem in result.problems] == [
        "list.txt:6: text without a title; skipped rather than paired wrongly"
        " (a title has at most 300 characters and no final full stop)"
    ]


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


# --- Blank lines and wrapped lines: titles and abstracts stay paired --------------------------------

ABSTRACT_ONE = "Abstract one explains the first method. " * 6
ABSTRACT_TWO = "Abstract two explains the second method. " * 6


def pairs(data: str) -> list[tuple[str, str]]:
    return [(paper.title, paper.abstract) for paper in read_listing((BANNER + data).encode(), "x.txt").papers]


def test_a_blank_line_after_a_title_does_not_shift_the_pairs() -> None:
    result = read_listing((BANNER + f"Title One\n\n{ABSTRACT_ONE}\nTitle Two\n{ABSTRACT_TWO}\n").encode(), "x.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("Title One", ABSTRACT_ONE.strip()), ("Title Two", ABSTRACT_TWO.strip())
    ]
    assert result.problems == []


def test_blank_lines_between_every_line_and_every_record() -> None:
    expected = [("Title One", ABSTRACT_ONE.strip()), ("Title Two", ABSTRACT_TWO.strip())]
    assert pairs(f"\nTitle One\n\n{ABSTRACT_ONE}\n\nTitle Two\n\n\n{ABSTRACT_TWO}\n\n") == expected
    assert pairs(f"Title One\n{ABSTRACT_ONE}\n\nTitle Two\n{ABSTRACT_TWO}\n") == expected


def test_an_abstract_wrapped_over_several_lines_is_joined() -> None:
    data = (
        "Title One\nThe first abstract, wrapped as an editor wraps\ntext at a fixed width, over three\nlines.\n\n"
        "Title Two\n\nThe second abstract, after a stray blank line,\nover two lines; a stray blank line\n\n"
        "inside it does not cut it.\n"
    )
    assert pairs(data) == [
        ("Title One", "The first abstract, wrapped as an editor wraps text at a fixed width, over three lines."),
        ("Title Two", "The second abstract, after a stray blank line, over two lines; a stray blank line"
                      " inside it does not cut it."),
    ]


def test_a_doubtful_record_is_skipped_with_its_lines_rather_than_swapped() -> None:
    data = (
        "Title One\nA wrapped abstract\nthat ends here.\n\n"
        "This block has no title: its first line ends with a full stop.\nAnd then another line.\n\n"
        "Title Three\nA third abstract,\nwrapped.\n"
    )
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [paper.title for paper in result.papers] == ["Title One", "Title Three"]
    assert [str(problem) for problem in result.problems] == [
        "list.txt:7: text without a title (lines 7-8); skipped rather than paired wrongly"
        " (a title has at most 300 characters and no final full stop)"
    ]


def test_short_abstracts_ending_in_a_bare_link_or_a_cjk_full_stop_end_their_record() -> None:
    # Both read as unfinished sentences, and the next paper's title and abstract were joined to them.
    data = ("First Title About Adders\nWe study adders. Code is available at github.com/foo/bar\n"
            "第二篇论文的标题\n我们研究图核方法，并证明它们在实践中效果很好。\n"
            "Third Title About Graph Kernels\nWe study graph kernels with random features.\n")
    assert pairs(data) == [
        ("First Title About Adders", "We study adders. Code is available at github.com/foo/bar"),
        ("第二篇论文的标题", "我们研究图核方法，并证明它们在实践中效果很好。"),
        ("Third Title About Graph Kernels", "We study graph kernels with random features."),
    ]


def test_an_abstract_that_may_have_swallowed_the_next_paper_is_reported() -> None:
    # A short abstract that ends no sentence: the next two lines could be its end, or the next paper.
    data = ("First Title About Adders\nWe study adders (see the appendix for details)\n"
            "Second Title About Graph Kernels\nWe study graph kernels and show they work well in practice.\n"
            "Third Title\nWe study more things and they work.\n")
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [paper.title for paper in result.papers] == ["First Title About Adders", "Third Title"]
    assert [str(problem) for problem in result.problems] == [
        "list.txt:5: read as part of the abstract that begins on line 4; if it is a title, end line 4 with a full stop"
    ]
    # Abstracts wrapped by an editor, without blank lines between records, are the usual case: nothing to report.
    wrapped = ("Title One\nThe first abstract, wrapped as an editor wraps\ntext at a fixed width over\nthree lines.\n"
               "Title Two\nThe second abstract, wrapped\nover two lines.\n")
    assert read_listing(wrapped.encode(), "list.txt").problems == []


# A well-formed record: a title of up to 300 characters that does not end with a full stop, an
# abstract of at least 200 characters (one line). Blank lines may come anywhere.
TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "S"]), min_size=1, max_size=300)
TITLES = TEXT.map(str.strip).filter(lambda title: title and not title.endswith(".") and not is_banner(title))
ABSTRACTS = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "S"]), min_size=200, max_size=600
).map(str.strip).filter(lambda abstract: len(abstract) >= 200)


def is_banner(title: str) -> bool:
    """The page's own words, which a pasted listing skips wherever they are: its banner, "Submitted by", "Upvote"…"""
    return (title.startswith("Subscribe") or title.casefold().startswith("get trending papers in your email inbox")
            or title.casefold() == SUBMITTED_BY or _page_text(title))


@given(st.lists(st.tuples(TITLES, ABSTRACTS), min_size=1, max_size=8), st.data())
def test_blank_lines_anywhere_never_change_the_pairs(records: list[tuple[str, str]], data: st.DataObject) -> None:
    lines = [line for record in records for line in record]
    text = ""
    for line in lines:
        text += "\n" * data.draw(st.integers(0, 3)) + line + "\n"
    text += "\n" * data.draw(st.integers(0, 2))
    result = read_listing((BANNER + text).encode(), "x.txt")
    assert [(paper.title, paper.abstract) for paper in result.papers] == records
    # Random abstracts that end a sentence by chance ("…0?") before a last one that does not get the note of a copy
    # cut short, as a real listing would (a note; the paper is kept), but only after two such others; nothing else
    # is said.
    notes = [problem for problem in result.problems if "ends mid-sentence, unlike the others" in problem.message]
    assert [problem for problem in result.problems if problem not in notes] == []
    ended = sum(SENTENCE_END.search(abstract) is not None for _, abstract in records[:-1])
    assert len(notes) <= (1 if ended >= 2 else 0)


WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12), min_size=1)


@given(st.lists(st.tuples(WORDS, WORDS), min_size=1, max_size=6), st.integers(30, 120), st.data())
def test_wrapped_abstracts_are_joined_whatever_the_stray_blank_lines(
    records: list[tuple[list[str], list[str]]], width: int, data: st.DataObject
) -> None:
    expected = []
    text = ""
    for title_words, abstract_words in records:
        title = " ".join(title_words)[:300].strip().capitalize()
        abstract = " ".join(["Abstract", *abstract_words, "ends"] * 8) + "."
        expected.append((title, abstract))
        text += "\n" + title + "\n" + "\n" * data.draw(st.integers(0, 1))
        for line in textwrap.wrap(abstract, width):
            text += line + "\n" + "\n" * data.draw(st.integers(0, 1), label="stray blank line inside")
    assert pairs(text) == expected


# --- Found by probing: layouts a maintainer's editor produces ---------------------------------------


def test_records_wrapped_over_lines_between_blank_lines_are_not_split_into_invented_papers() -> None:
    """Every other wrapped line ends a sentence, so the lines could also read as titles and abstracts alternating:
    four papers, two of them invented from halves of abstracts. Blank lines between blocks of more than two short
    lines mark records wrapped by hand; a heading inside an abstract ("Results") stays in it."""
    data = (
        "Robust Agents with Learned World Models\nWe present a new agent framework.\n"
        "It plans with a learned world model and\nimproves success rates on many tasks.\n\n"
        "Efficient Attention for Long Sequences\nAttention is costly.\nResults\n"
        "We make it linear in the sequence length.\n"
    )
    assert pairs(data) == [
        ("Robust Agents with Learned World Models",
         "We present a new agent framework. It plans with a learned world model and improves success rates on "
         "many tasks."),
        ("Efficient Attention for Long Sequences",
         "Attention is costly. Results We make it linear in the sequence length."),
    ]


def test_a_title_wrapped_over_two_lines_is_rejoined_and_reported() -> None:
    """One line per field, but a title wrapped in two: its second half was glued to the abstract, and the paper's
    id (made from its title) no longer matched the same paper in other issues."""
    data = (f"Title One\n{ABSTRACT_ONE}\nBridging Internal Probability and Self-Consistency\n"
            f"for Effective and Efficient LLM Reasoning\n{ABSTRACT_TWO}\nTitle Three\n{ABSTRACT_ONE}\n")
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("Title One", ABSTRACT_ONE.strip()),
        ("Bridging Internal Probability and Self-Consistency for Effective and Efficient LLM Reasoning",
         ABSTRACT_TWO.strip()),
        ("Title Three", ABSTRACT_ONE.strip()),
    ]
    assert [str(problem) for problem in result.problems] == [
        "list.txt:6: read as the rest of the title on line 5 (a title wrapped over two lines); if it begins the "
        "abstract, join it to the abstract's line"
    ]


def test_old_mac_line_endings_and_an_indented_subscribe_read_like_the_seed(seed_bytes: bytes) -> None:
    """A file with CR alone between lines was one line, all of it taken for the banner: no papers, no problem.
    An indented first title kept "Subscribe" in front of it, and so got another id."""
    expected = [(p.id, p.title, p.abstract) for p in read_listing(seed_bytes, "seed.txt").papers]
    mac = read_listing(seed_bytes.replace(b"\r\n", b"\n").replace(b"\n", b"\r"), "seed.txt")
    assert [(p.id, p.title, p.abstract) for p in mac.papers] == expected and mac.problems == []
    lines = seed_bytes.split(b"\n")
    first = next(n for n, line in enumerate(lines) if line.startswith(b"Subscribe"))
    lines[first] = b" \t" + lines[first]
    indented = read_listing(b"\n".join(lines), "seed.txt")
    assert [(p.id, p.title, p.abstract) for p in indented.papers] == expected


def test_a_title_without_an_abstract_between_blank_lines_does_not_take_the_next_paper() -> None:
    """A paper pasted without its abstract, records separated by blank lines: the lonely title took the next
    paper's title and abstract as its abstract, and the next paper was gone, without a word said."""
    data = (f"Title One\n{ABSTRACT_ONE}\n\nA Paper Without Its Abstract\n\nTitle Three\n{ABSTRACT_TWO}\n\n"
            f"Title Four\n{ABSTRACT_ONE}\n")
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("Title One", ABSTRACT_ONE.strip()), ("Title Three", ABSTRACT_TWO.strip()), ("Title Four", ABSTRACT_ONE.strip())
    ]
    assert [str(problem) for problem in result.problems] == ["list.txt:6: title without an abstract"]


def test_the_pages_own_words_around_each_paper_are_left_out() -> None:
    """Copied from the page, each paper comes with "Submitted by" and a user name, the "Upvote" button and its
    count, and the number of authors: they were read as titles and abstracts ("Submitted by", abstract "akhaliq
    Title One ..."), every pair shifted, and nothing was reported."""
    data = (f"Submitted by\nakhaliq\nTitle One\n{ABSTRACT_ONE}\n· 12 authors\nUpvote\n45\n\n"
            f"Submitted by nielsr\nTitle Two\n{ABSTRACT_TWO}\n·\n7 authors\n1.2k\n")
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [(p.title, p.abstract, p.source) for p in result.papers] == [
        ("Title One", ABSTRACT_ONE.strip(), "list.txt:5"), ("Title Two", ABSTRACT_TWO.strip(), "list.txt:12")]
    assert result.problems == []


# --- Found by probing: the page as people paste it -----------------------------------------------------------


def test_two_days_pasted_into_one_file_read_both_days_papers() -> None:
    """The second day's banner was read as a paper ("Get trending papers in your email inbox once a day!"), and the
    second day's first paper was lost with its title taken for the rest of that invented paper's title."""
    data = (f"Title One\n{ABSTRACT_ONE}\nTitle Two\n{ABSTRACT_TWO}\n" + BANNER
            + f"SubscribeTitle Three\n{ABSTRACT_ONE}\nTitle Four\n{ABSTRACT_TWO}\n")
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [(p.title, p.source) for p in result.papers] == [
        ("Title One", "list.txt:3"), ("Title Two", "list.txt:5"), ("Title Three", "list.txt:9"),
        ("Title Four", "list.txt:11")]
    assert result.problems == []


def test_the_pages_heading_and_day_links_are_left_out_of_a_copy_of_the_page() -> None:
    """Copied from the top of the page, the heading ("Daily Papers", "by AK and the research community"), the day
    shown and the links "Previous" and "Next" were published as a paper titled "Trending Papers"."""
    data = (f"Trending Papers\nby AK and the research community\n\nSubmitted by\nakhaliq\nTitle One\n{ABSTRACT_ONE}\n"
            f"Upvote\n45\n")
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [p.title for p in result.papers] == ["Title One"] and result.problems == []
    daily = (f"Daily Papers\nby AK and the research community\nMar 5, 2025\nPrevious\nNext\nSubmitted by akhaliq\n"
             f"Title One\n{ABSTRACT_ONE}\nUpvote\n45\nSubmitted by nielsr\nTitle Two\n{ABSTRACT_TWO}\nUpvote\n7\n")
    result = read_listing(daily.encode(), "list.txt")
    assert [(p.title, p.source) for p in result.papers] == [("Title One", "list.txt:7"), ("Title Two", "list.txt:12")]
    assert result.problems == []


def test_a_copy_of_the_page_without_submitted_by_or_upvote_lines_still_leaves_the_pages_words_out() -> None:
    """A phone's layout (no "Submitted by", the upvote count without its button's word) and a screen reader's
    reading order ("Upvote 45" on one line) were not taken for copies of the page: the counts and "Upvote 45" were
    read as titles, every pair shifted, and "45" was published as a paper whose abstract began with the title."""
    phone = f"45\nTitle One\n{ABSTRACT_ONE}\n· 12 authors\n7\nTitle Two\n{ABSTRACT_TWO}\n· 3 authors\n"
    reader = (f"Upvote 45\nTitle One\n{ABSTRACT_ONE}\nPublished on Mar 5, 2025\n12 authors\nUpvote 7\nTitle Two\n"
              f"{ABSTRACT_TWO}\narXiv Page\n")
    for data in (phone, reader):
        result = read_listing((BANNER + data).encode(), "list.txt")
        assert [(p.title, p.abstract) for p in result.papers] == [
            ("Title One", ABSTRACT_ONE.strip()), ("Title Two", ABSTRACT_TWO.strip())]
        assert result.problems == []


def test_a_title_cut_by_a_stray_blank_line_is_rejoined_and_keeps_its_id() -> None:
    """A blank line in the middle of a title: its second half was published as the title (another id than the same
    paper pasted whole), or glued to the front of the abstract, with the first half "a title without an abstract"."""
    whole = read_listing((BANNER + f"Title One\n{ABSTRACT_ONE}\n\nRobust Agents for\nLong Tasks\n{ABSTRACT_TWO}\n")
                         .encode(), "list.txt").papers
    for cut in (f"Title One\n{ABSTRACT_ONE}\n\nRobust Agents for\n\nLong Tasks\n{ABSTRACT_TWO}\n",
                f"Title One\n\n{ABSTRACT_ONE}\n\nRobust Agents for\n\nLong Tasks\n\n{ABSTRACT_TWO}\n"):
        result = read_listing((BANNER + cut).encode(), "list.txt")
        assert [(p.id, p.title, p.abstract) for p in result.papers] == [(p.id, p.title, p.abstract) for p in whole]
        assert [p.title for p in whole][1] == "Robust Agents for Long Tasks"
        assert len(result.problems) == 1 and "rest of the title" in result.problems[0].message
    # A title ending as a cut one does ("Vitamin A"), then a blank line and the abstract wrapped: not joined.
    vitamin = "Vitamin A\n\nAbsorption of the vitamin\nis slow.\n"
    assert pairs(vitamin) == [("Vitamin A", "Absorption of the vitamin is slow.")]


def test_the_github_button_with_its_stars_on_one_line_is_left_out_of_a_copy_of_the_page() -> None:
    """Copied as one line, the "GitHub" button and its stars ("GitHub 1.2k") were read as a title: the paper before
    it and the one after were skipped."""
    data = (f"Submitted by akhaliq\nTitle One\n{ABSTRACT_ONE}\nGitHub 1.2k\narXiv Page\nUpvote\n45\n"
            f"Title Two\n{ABSTRACT_TWO}\nGitHub ⭐ 340\nTitle Three\n{ABSTRACT_ONE}\n")
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [p.title for p in result.papers] == ["Title One", "Title Two", "Title Three"] and result.problems == []


def test_a_line_wrapped_after_a_hyphen_is_joined_without_a_space() -> None:
    """A title or abstract wrapped inside a hyphenated word read "Self- Consistency" and "long- range"."""
    titles = (f"Title One\n{ABSTRACT_ONE}\nRobust Agents with Self-\nConsistency\n{ABSTRACT_TWO}\n"
              f"Title Three\n{ABSTRACT_ONE}\n")
    assert [p.title for p in read_listing((BANNER + titles).encode(), "list.txt").papers] == [
        "Title One", "Robust Agents with Self-Consistency", "Title Three"]
    abstracts = ("Title One\nWe model long-\nrange structure with a state-of-the-\nart method - and it works.\n"
                 "Title Two\nA second\nabstract.\n")
    assert pairs(abstracts) == [
        ("Title One", "We model long-range structure with a state-of-the-art method - and it works."),
        ("Title Two", "A second abstract.")]


def test_lines_of_zero_width_characters_only_are_blank_lines_not_titles() -> None:
    """A copy whose blank lines hold a zero-width space (or a word joiner, a byte-order mark) made each of them a
    title: every paper after the first was published under an invisible title, its own title read as its abstract."""
    for invisible in ("\u200b", "\u2060", "\ufeff", " \u200b\u200d "):
        data = f"Title One\n{invisible}\n{ABSTRACT_ONE}\n{invisible}\nTitle Two\n{invisible}\n{ABSTRACT_TWO}\n"
        result = read_listing((BANNER + data).encode(), "list.txt")
        assert [(p.title, p.abstract) for p in result.papers] == [
            ("Title One", ABSTRACT_ONE.strip()), ("Title Two", ABSTRACT_TWO.strip())], repr(invisible)
        assert result.problems == []


def test_titles_wrapped_over_two_lines_in_most_records_are_still_rejoined() -> None:
    """A listing whose editor wrapped most titles in two: the second lines were taken for abstracts wrapped by hand
    (the usual case when most records have more than one abstract line), so the titles lost their ends, the
    abstracts began with them, and nothing was reported."""
    data = (f"Robust Agents with Learned World Models for\nLong-Horizon Planning\n{ABSTRACT_ONE}\n"
            f"Title Two\n{ABSTRACT_TWO}\n"
            f"Efficient Attention for Long Sequences on\nCommodity Hardware\n{ABSTRACT_ONE}\n")
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [
        ("Robust Agents with Learned World Models for Long-Horizon Planning", ABSTRACT_ONE.strip()),
        ("Title Two", ABSTRACT_TWO.strip()),
        ("Efficient Attention for Long Sequences on Commodity Hardware", ABSTRACT_ONE.strip()),
    ]
    assert [problem.line for problem in result.problems] == [4, 9]


def test_a_title_wrapped_inside_a_record_wrapped_by_hand_is_rejoined_and_reported() -> None:
    """Records wrapped by hand at one width, between blank lines: a title longer than the width kept its first line
    only, its second line began the abstract, and nothing was reported. The title ends at its first line that
    stops short of the width (the next word would have fitted), as the lines of a wrapped abstract never do."""
    records = [
        ("Robust Agents with Learned World Models and Curiosity-Driven Exploration for Long-Horizon Planning",
         "We present a new agent framework that plans with a learned world model. " * 4),
        ("Efficient Attention", "Attention is costly for long sequences, and we make it linear in their length. " * 4),
    ]
    data = "".join("\n".join([*textwrap.wrap(title, 72), *textwrap.wrap(abstract, 72)]) + "\n\n"
                   for title, abstract in records)
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [(p.title, p.abstract) for p in result.papers] == [(t, a.strip()) for t, a in records]
    assert [str(problem) for problem in result.problems] == [
        "list.txt:4: read as the rest of the title on line 3 (a title wrapped over 2 lines); if the abstract begins "
        "here, put the title on one line"]


HAND_WRAPPED = [
    ("Robust Agents with Learned World Models",
     "We present a new agent framework. It plans with a learned world model of its surroundings. The model is trained "
     "on past episodes. Planning then searches over imagined futures for the best action. Experiments on many "
     "invented tasks show higher success rates than agents without a model."),
    ("Efficient Attention for Long Sequences",
     "Attention is costly for long inputs. We make it linear in the sequence length. The method keeps a small memory "
     "of past keys. It matches full attention on invented benchmarks while using far less memory."),
    ("Sparse Experts at Scale",
     "Mixtures of experts route each token to a few experts. We study how routing behaves at scale. Balanced routing "
     "emerges without auxiliary losses. We release invented checkpoints."),
]


def test_abstracts_wrapped_by_hand_without_blank_lines_go_on_past_a_line_ending_a_sentence() -> None:
    """Abstracts wrapped at 50 characters, no blank line between papers: an abstract ended at its first line ending
    a sentence, and the rest was skipped (a line that cannot be a title) or made a paper of its own, titled by a
    line of the abstract. A full line (the next word would not have fitted) that ends a sentence goes on."""
    data = "".join("\n".join([title, *textwrap.wrap(abstract, 50)]) + "\n" for title, abstract in HAND_WRAPPED)
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [(p.title, p.abstract) for p in result.papers] == HAND_WRAPPED
    assert result.problems == []


def test_a_short_listing_of_one_line_per_field_is_not_read_as_wrapped_by_hand() -> None:
    """Four lines say nothing of a width: the first abstract, the longest line and ending a sentence, went on into
    the next paper's title and abstract (whose first word was long), and the second paper was gone."""
    data = ("Title One\nAn abstract of the first paper, the longest line of this little listing.\n"
            "Title Two, A Second Paper on Sorting Invented Inputs in Linear Time\n"
            "$\\mathcal{O}(n)$-time sorting of invented inputs, stated briefly\n")
    assert [title for title, _ in pairs(data)] == [
        "Title One", "Title Two, A Second Paper on Sorting Invented Inputs in Linear Time"]


def test_an_abstract_wrapped_by_hand_that_reads_on_into_the_next_paper_is_reported() -> None:
    """Where an abstract's last line is full and the next title as long as a wrapped line, nothing in the lines
    says where one paper ends: an abstract longer than arXiv allows (1,920 characters) says it."""
    long_abstract = " ".join(["An invented sentence fills this abstract up to the width of its lines."] * 30)
    data = "\n".join(["A Paper with a Very Long Abstract", *textwrap.wrap(long_abstract, 50)]) + "\n"
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [paper.abstract for paper in result.papers] == [long_abstract] and len(long_abstract) == 2129
    assert [str(problem) for problem in result.problems] == [
        "list.txt:3: an abstract of 2,129 characters (lines 4-48), more than arXiv allows (1,920): it may hold the "
        "next paper's title and abstract; put a blank line between papers"]


def test_a_title_wrapped_over_its_own_block_before_its_abstracts_block_is_rejoined_and_reported() -> None:
    """Title and abstract each a paragraph of its own, wrapped at one width: a title longer than the width was read
    as its first line, and its second line began the abstract, without a report. A title ending with a question
    mark is still a title."""
    records = [
        ("Robust Agents with Learned World Models and Curiosity-Driven Exploration for Long-Horizon Planning",
         HAND_WRAPPED[0][1]),
        ("Is Attention Necessary for Long Sequences in Language Models Trained on Invented Corpora?",
         HAND_WRAPPED[1][1]),
        ("Sparse Experts at Scale", HAND_WRAPPED[2][1]),
    ]
    data = "".join("\n".join(textwrap.wrap(title, 60)) + "\n\n" + "\n".join(textwrap.wrap(abstract, 60)) + "\n\n"
                   for title, abstract in records)
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [(p.title, p.abstract) for p in result.papers] == records
    assert [(problem.line, problem.message.split(" (")[0]) for problem in result.problems] == [
        (4, "read as the rest of the title on line 3"), (13, "read as the rest of the title on line 12")]


def test_a_listing_whose_last_abstract_was_cut_short_says_so_and_keeps_the_paper() -> None:
    """A copy whose selection stopped inside the last abstract published that paper with half an abstract, cut in a
    word, and nothing was said: every other abstract ends a sentence."""
    data = f"Title One\n{ABSTRACT_ONE}\nTitle Two\n{ABSTRACT_TWO}\nTitle Three\nAbstract three explains the thi\n"
    result = read_listing((BANNER + data).encode(), "list.txt")
    assert [p.title for p in result.papers] == ["Title One", "Title Two", "Title Three"]
    assert [str(problem) for problem in result.problems] == [
        "list.txt:8: the file's last abstract ends mid-sentence, unlike the others: was the end of the copy left out? "
        "(the paper is kept; if the abstract is whole, end this line with a full stop)"]
    whole = read_listing((BANNER + data.replace("the thi\n", "the third method.\n")).encode(), "list.txt")
    assert whole.problems == []


def test_a_listing_of_abstracts_pasted_before_their_titles_is_not_read(seed_bytes: bytes) -> None:
    """Each abstract before its title: read line by line, every title took the next paper's abstract, each pair
    looking right, and only the first and last lines were reported. The titles share their words with the abstract
    above them: nothing is read, and the file is named with the reason."""
    papers = read_listing(seed_bytes, "seed.txt").papers
    swapped = [line for paper in papers for line in (paper.abstract, paper.title)]
    result = read_listing("\n".join(swapped).encode(), "list.txt")
    assert result.papers == []
    assert any("titles and abstracts look shifted by one: " in problem.message and "above them" in problem.message
               and "none of the 118 papers is read" in problem.message for problem in result.problems), result.problems
    # The same papers in their order are read whole, and a listing of a few papers is never judged so.
    in_order = [line for paper in papers for line in (paper.title, paper.abstract)]
    assert len(read_listing("\n".join(in_order).encode(), "list.txt").papers) == 119
    assert len(read_listing("\n".join(swapped[:6]).encode(), "list.txt").papers) == 2
