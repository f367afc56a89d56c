"""The Hugging Face Papers listing pasted as text: banner lines, then titles and their abstracts.

Copies from a browser contain blank lines and, once edited, wrapped lines. Titles and
abstracts are paired by what they look like as well as by their order: a title is short
(at most 300 characters) and does not end with a full stop; an abstract is long (200
characters or more) or ends a sentence. Three layouts are read:

- one line per field (the bundled listing): titles and abstracts alternate; blank lines
  anywhere are ignored, so a stray one never shifts the pairs;
- records separated by blank lines, each a title and its abstract wrapped over several
  lines (joined with spaces, none after a word's hyphen);
- anything else is read record by record, re-synchronising at the next title: a line where
  a title should be that cannot be one is skipped with a problem naming its lines, so a
  swapped pair is never published.
  Abstracts wrapped by hand without blank lines between papers end sentences on many lines:
  there the wrapping width tells a line that goes on (it is full) from the end of an abstract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from generator.errors import Problem
from generator.model import INVISIBLE, Paper, paper_id
from generator.sources.common import UNSET_DATE, ReadResult, clean_text, decode_lines

BANNER_PREFIX = "get trending papers in your email inbox"
SUBSCRIBE = "Subscribe"
MAX_TITLE = 300
"""A longer line is not a title."""
LONG_LINE = 200
"""A line this long is a whole abstract, not a wrapped part of one."""
CUT_SHORT_MIN = 2
"""The last abstract is said to be cut short when at least this many others, and nine in ten of them, end a sentence."""
ARXIV_ABSTRACT_CHARS = 1920
"""arXiv's limit on an abstract's length."""
WRAPPED_MIN_LINES = 8
"""Fewer lines than this say nothing of a width they were wrapped at."""
NEAR_WIDTH = 0.8
WRAPPED_SHARE = 0.9
"""Of lines wrapped by hand at a width, this share at least are no longer (a paper's title may be, one line of its
several)."""
# A sentence ends with a full stop (also a CJK one: 。！？．), or an abstract with a link ("Code:
# https://github.com/a/b", or written without the scheme, "github.com/a/b").
SENTENCE_END = re.compile(r"""(?:[.!?…。！？．][)\]"'”’」』）]*|https?://\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*)$""")


# What a Hugging Face Papers page shows around each paper, copied with it: "Submitted by" and the user's name, the
# "Upvote" button and its count, the number of authors ("· 12 authors"), comment counts. Never a title or abstract.
SUBMITTED_BY = "submitted by"
# On one line, several are joined by "·" ("Submitted by akhaliq · 12 authors · 3 comments", "· Published on Mar 5,
# 2025"); a line is the page's when every part of it is. The buttons "GitHub" (with its stars, on its line or on the
# next: "GitHub 1.2k", "GitHub ⭐ 340") and "arXiv Page" too,
# and the page's heading above the papers: "Daily Papers" (or "Trending Papers"), "by AK and the research community",
# the day shown ("Mar 5", "Mar 5, 2025") and the links to the days around it, "Previous" and "Next".
PAGE_PART = re.compile(
    r"upvote(?:\s+\d{1,7}(?:\.\d)?k?)?|submitted by(?:\s+\S+)?(?:\s+on\s+\w+\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"|(?:published\s+)?on\s+\w+\.?\s+\d{1,2}(?:,\s*\d{4})?|\d+\s+(?:authors?|comments?)|\d{1,7}(?:\.\d)?k?"
    r"|github(?:\s*⭐?\s*\d{1,7}(?:\.\d)?k?)?|arxiv page"
    r"|(?:daily|trending)\s+papers|by\s+ak\s+and\s+the\s+research\s+community|previous|next"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?", re.IGNORECASE)
# A copy of the page says one of these (a phone's layout or a browser's plain text may leave out "Submitted by" and
# "Upvote", never all of them).
PAGE_MARK = re.compile(r"\b(?:upvote|submitted by|published on|arxiv page|\d+\s+authors?)\b", re.IGNORECASE)


AUTHOR_COUNT = re.compile(r"\d+\s+authors?", re.IGNORECASE)


def _page_text(text: str) -> bool:
    """Whether a (non-blank) line is the page's own words around a paper, never a title or an abstract: each of its
    parts is, or it names authors before their count ("Hongyin Luo · Wei Sun · 2 authors")."""
    parts = [part.strip() for part in text.split("·")]
    return bool(text) and (all(not part or PAGE_PART.fullmatch(part) for part in parts)
                           or (len(parts) > 1 and AUTHOR_COUNT.fullmatch(parts[-1]) is not None))


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    after_blank: bool


def read_listing(data: bytes, display: str) -> ReadResult:
    """Read a pasted listing; every doubtful record is reported by its lines and skipped, the good ones kept."""
    result = ReadResult()
    lines = [_blank_if_invisible(line) for line in decode_lines(data, display, result.problems)]
    start = _skip_banner(lines)
    body = _body(lines, start)
    reader = _Records(display, result)
    if _alternates(body) and not _wrapped_records(body):
        reader.alternate(body)
    elif any(line.after_blank for line in body[1:]):
        reader.blocks(_blocks(body))
    else:
        reader.width = _wrap_width(body)
        reader.sequence(body)
        reader.doubtful_joins()
    reader.wrapped_titles()
    reader.papers()
    _check_shift(result, display)
    return result


# A pasting whose every title is paired with its neighbour's abstract: of a real archive's 569 days of Hugging Face
# daily papers (4 papers or more), at most a fifth of a day's titles share more words with the abstract above them than
# with their own; pasted with each abstract before its title, 116 of the bundled listing's 118.
SHIFT_MIN_PAPERS = 4
SHIFT_SHARE = 0.75
CONTENT_WORD = re.compile(r"\w{4,}")


def _check_shift(result: ReadResult, display: str) -> None:
    """A listing whose titles and abstracts are shifted by one (abstracts pasted before their titles, a title lost at
    the top and an abstract at the bottom): every pair is wrong, though each looks right. Told, and none is kept."""
    papers = result.papers
    if len(papers) < SHIFT_MIN_PAPERS:
        return
    words = [(set(CONTENT_WORD.findall(paper.title.casefold())), set(CONTENT_WORD.findall(paper.abstract.casefold())))
             for paper in papers]
    for step, where in ((-1, "above"), (1, "below")):
        pairs = range(1, len(words)) if step < 0 else range(len(words) - 1)
        closer = sum(len(words[i][0] & words[i + step][1]) > len(words[i][0] & words[i][1]) for i in pairs)
        if closer >= SHIFT_SHARE * len(pairs):
            line = int(papers[0].source.rsplit(":", 1)[1])
            result.problems.append(Problem(display, line=line, message=(
                f"titles and abstracts look shifted by one: {closer} of {len(pairs)} titles share more words with the"
                f" abstract {where} them than with their own (abstracts pasted before their titles?); none of the"
                f" {len(papers)} papers is read: put each title on the line before its abstract")))
            result.papers = []
            return


def _blank_if_invisible(line: str) -> str:
    """A line of nothing but white space and characters that show as nothing (a zero-width space, a word joiner, as
    a page may put between its papers) as the blank line it looks like, never a title of its own."""
    return "" if not INVISIBLE.sub("", line).strip() else line


def _is_banner(text: str) -> bool:
    return text.casefold().startswith(BANNER_PREFIX) or text == SUBSCRIBE


def _skip_banner(lines: list[str]) -> int:
    index = 0
    while index < len(lines):
        text = lines[index].strip()
        if text and not _is_banner(text):
            break
        index += 1
    return index


def _body(lines: list[str], start: int) -> list[Line]:
    """The non-blank lines after the banner, each with its number and whether a blank line came before; in a copy
    of the page (it says "Submitted by", "Upvote", "· 12 authors", "Published on" or "arXiv Page"), the page's own
    words around each paper are left out. The banner again further down (two days pasted into one file) is left out
    too, and "Subscribe" glued to the title after it."""
    body: list[Line] = []
    blank = False
    submitter = False
    after_banner = True
    page = any(PAGE_MARK.search(line) and _page_text(line.strip()) for line in lines[start:])
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if text and _is_banner(text):
            after_banner = True
            continue
        if text and after_banner:
            after_banner = False
            text = text.removeprefix(SUBSCRIBE).strip() if text.startswith(SUBSCRIBE) else text
        if page:
            if submitter and text and len(text.split()) == 1:  # the user name after "Submitted by"
                submitter = False
                continue
            submitter = text.casefold() == SUBMITTED_BY or (submitter and not text)
            if submitter or _page_text(text):
                continue
        if text:
            body.append(Line(index + 1, text, blank))
        blank = not text
    return body


# Words no title ends with: a line ending with one was cut in the middle of its title.
DANGLING_WORDS = frozenset((
    "a", "an", "the", "and", "or", "of", "for", "in", "on", "with", "to", "via", "from", "by", "at", "into",
    "toward", "towards", "through", "using", "without", "under", "over", "between", "beyond", "as", "vs",
    "versus", "is", "are",
))  # fmt: skip


def _continues(first: str, second: str) -> bool:
    """Whether ``second`` is surely the rest of the title ``first`` (it begins in lower case, or ``first`` stops at a
    word or mark no title ends with), rather than the next paper's title after a paper without its abstract."""
    last_word = first.rsplit(maxsplit=1)[-1].casefold()
    return second[:1].islower() or first.endswith((":", ",", "-", "–", "—", "&")) or last_word in DANGLING_WORDS


# A line ending with a word and a hyphen was wrapped inside a hyphenated word ("Self-" and "Consistency").
HYPHEN_END = re.compile(r"\w-$")


def _joined(*lines: str) -> str:
    """Wrapped lines as one: with a space between them, none after a hyphen ending a word."""
    parts = [line if not index or HYPHEN_END.search(lines[index - 1]) else f" {line}"
             for index, line in enumerate(lines)]
    return "".join(parts)


def is_title(text: str) -> bool:
    """Could this line be a title: short, and not ending with a full stop."""
    return len(text) <= MAX_TITLE and not text.endswith(".")


def is_abstract(text: str) -> bool:
    """Could this line be a whole abstract: long, or ending a sentence."""
    return len(text) >= LONG_LINE or SENTENCE_END.search(text) is not None


def _alternates(body: list[Line]) -> bool:
    """True when the lines read as title, abstract, title, abstract... (blank lines aside)."""
    if len(body) % 2 or not all(is_abstract(line.text) for line in body[1::2]):
        return False
    # Without blank lines, position decides (a long title is still a title);
    # with them, the titles must also look like titles.
    return not any(line.after_blank for line in body[1:]) or all(is_title(line.text) for line in body[0::2])


def _wrapped_records(body: list[Line]) -> bool:
    """True when blank lines separate records of a title and an abstract wrapped over several lines, which
    could also be read as titles and abstracts alternating (every other wrapped line ending a sentence).

    Pasted from a Hugging Face page, abstracts are one long line each; a listing whose abstracts are all short
    lines, with blank lines between blocks of more than two lines, is records wrapped by hand.
    """
    if not any(line.after_blank for line in body[1:]) or any(len(line.text) >= LONG_LINE for line in body):
        return False
    return any(len(block) > 2 for block in _blocks(body))


def _blocks(body: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = []
    for line in body:
        if line.after_blank or not blocks:
            blocks.append([])
        blocks[-1].append(line)
    return blocks


def _rest_of_title(title: Line, block: list[Line], following: list[list[Line]]) -> bool:
    """Whether a block begins with the rest of a title a stray blank line cut (``_continues``), the abstract's long
    line right after it (in the block, or first in the next one), as wrapped abstracts never have."""
    rest = block[0]
    after = block[1] if len(block) > 1 else (following[0][0] if following else None)
    return (after is not None and len(after.text) >= LONG_LINE and is_title(rest.text)
            and SENTENCE_END.search(rest.text) is None and _continues(title.text, rest.text)
            and len(_joined(title.text, rest.text)) <= MAX_TITLE)


def _wrap_width(body: list[Line]) -> int | None:
    """The width the lines were wrapped at by hand, when they were (no line is a whole abstract's long line): the
    length that most lines reach and few pass (the longer titles, not wrapped, do)."""
    if len(body) < WRAPPED_MIN_LINES or any(len(line.text) >= LONG_LINE for line in body):
        return None
    lengths = sorted(len(line.text) for line in body)
    width = lengths[int(WRAPPED_SHARE * len(lengths))]
    # wrapped lines reach to within a word of the width: most lines do, or they were not wrapped (short abstracts)
    near = sum(length >= NEAR_WIDTH * width for length in lengths)
    return width if 3 * near >= 2 * len(lengths) else None


def _full(line: Line, following: Line, width: int) -> bool:
    """Whether the next line's first word would not have fitted on ``line``: an editor wrapped it there."""
    return len(line.text) + 1 + len(following.text.split(maxsplit=1)[0]) > width


def _title_block(block: list[Line], following: list[list[Line]]) -> Line | None:
    """A block of two or three lines that is a title wrapped by hand, before a block of its abstract wrapped at the
    same width (each line but the last is full: the next line's first word would not have fitted; the last is not),
    as one line; else None. Read line by line, its second line began the abstract, and the title lost its end."""
    if not 2 <= len(block) <= 3 or not following or len(following[0]) < 2:
        return None
    if any(len(line.text) >= LONG_LINE for line in following[0]):
        return None
    if not all(is_title(line.text) for line in block) or any(SENTENCE_END.search(line.text) for line in block[:-1]):
        return None  # (the title's last line may end with a question mark)
    width = max(len(line.text) for line in following[0])
    joined = _joined(*(line.text for line in block))
    if len(joined) > MAX_TITLE or not all(_full(line, after, width) for line, after in pairwise(block)):
        return None
    if _full(block[-1], following[0][0], width):
        return None  # a wrapped line, as the first of an abstract that a stray blank line cut is: not a title's end
    return Line(block[0].number, joined, block[0].after_blank)


def _wrapped_title(lines: list[Line]) -> list[Line]:
    """The first lines of a record wrapped by hand that are its title: up to the first line that ends before the
    wrapping width, the next line's first word would have fitted on it (an editor fills every line it wraps, as the
    abstract's lines show). One line when no such line is found soon enough, or when it would not make a title."""
    width = max(len(line.text) for line in lines[1:])
    for end, (line, following) in enumerate(pairwise(lines[: len(lines) - 1])):
        if len(line.text) + 1 + len(following.text.split(maxsplit=1)[0]) <= width:
            title = lines[: end + 1]
            break
    else:
        return lines[:1]
    joined = _joined(*(line.text for line in title))
    if len(joined) > MAX_TITLE or any(SENTENCE_END.search(line.text) or not is_title(line.text) for line in title):
        return lines[:1]
    return title


class _Records:
    """Turns lines into records, then papers and problems, for one file."""

    def __init__(self, display: str, result: ReadResult) -> None:
        self.display, self.result = display, result
        self.records: list[tuple[Line, list[Line]]] = []
        self.width: int | None = None
        """The width abstracts were wrapped at by hand in a listing without blank lines (``_wrap_width``), or None."""

    def alternate(self, body: list[Line]) -> None:
        for index in range(0, len(body) - 1, 2):
            self.records.append((body[index], [body[index + 1]]))

    def blocks(self, blocks: list[list[Line]]) -> None:
        """Records separated by blank lines; a title left alone by a stray blank line joins the next block (unless
        that block is a title and an abstract's long line: then the title has none), and so does the rest of an
        abstract a stray blank line cut off before its sentence ended."""
        pending: list[Line] = []
        for index, block in enumerate(blocks):
            title = None if pending else _title_block(block, blocks[index + 1 : index + 2])
            if title is not None:  # a title wrapped over the block's lines, its abstract in the next block
                self.problem(block[1], f"read as the rest of the title on line {title.number} (a title wrapped over "
                                       f"{len(block)} lines); if the abstract begins here, put the title on one line")
                pending = [title]
                continue
            if not pending and self.unfinished() and not any(len(line.text) >= LONG_LINE for line in block):
                self.records[-1][1].extend(block)
                continue
            if len(pending) == 1 and _rest_of_title(pending[0], block, blocks[index + 1 : index + 2]):
                # a title cut by a stray blank line: its second line, and the abstract after it, are the waiting title's
                self.problem(block[0], f"read as the rest of the title on line {pending[0].number} (a title wrapped "
                                       "over two lines); if it is a title of its own, give line "
                                       f"{pending[0].number}'s paper its abstract")
                block = [Line(pending[0].number, _joined(pending[0].text, block[0].text), pending[0].after_blank),
                         *block[1:]]
                pending = []
            if pending and len(block) > 1 and is_title(block[0].text) and len(block[1].text) >= LONG_LINE:
                # the block is a record of its own (a title, then an abstract's one long line): the waiting title
                # has no abstract, and is not given this record's title and abstract as one
                self.problem(pending[0], "title without an abstract")
                pending = []
            pending = self.block(pending + block)
        if pending:
            self.problem(pending[0], "title without an abstract")

    def unfinished(self) -> bool:
        """True when the last record's abstract stops mid-sentence."""
        return bool(self.records) and SENTENCE_END.search(self.records[-1][1][-1].text) is None

    def block(self, lines: list[Line]) -> list[Line]:
        """One block's records; returns a title left waiting for its abstract in the next block."""
        stray = 0
        while stray < len(lines) and not is_title(lines[stray].text):
            stray += 1
        if stray:
            self.skip(lines[:stray])
            lines = lines[stray:]
        if len(lines) <= 1:
            return lines
        if any(len(line.text) >= LONG_LINE for line in lines[1:]):
            return self.sequence(lines, last_title_waits=True)  # one line per field, without blank lines between
        # a title and its abstract wrapped over the rest of the block; the title may take several lines
        title = _wrapped_title(lines)
        if len(title) > 1:
            self.problem(title[1], f"read as the rest of the title on line {title[0].number} (a title wrapped over "
                                   f"{len(title)} lines); if the abstract begins here, put the title on one line")
        self.records.append((Line(title[0].number, _joined(*(line.text for line in title)), title[0].after_blank),
                             lines[len(title):]))
        return []

    def sequence(self, lines: list[Line], last_title_waits: bool = False) -> list[Line]:
        """Title, then abstract lines up to one that ends it; a line that cannot be a title is skipped."""
        index = 0
        while index < len(lines):
            title = lines[index]
            if not is_title(title.text):
                stray = [title]
                index += 1
                while index < len(lines) and not is_title(lines[index].text):
                    stray.append(lines[index])
                    index += 1
                self.skip(stray)
                continue
            if index + 1 == len(lines):
                if last_title_waits:
                    return [title]
                self.problem(title, "title without an abstract")
                break
            end = index + 1
            while not self.ends_abstract(lines, end) and end + 1 < len(lines) and not lines[end + 1].after_blank:
                end += 1
            self.records.append((title, lines[index + 1 : end + 1]))
            index = end + 1
        return []

    def ends_abstract(self, lines: list[Line], end: int) -> bool:
        """Whether line ``end`` ends its abstract: it is long or ends a sentence. Abstracts wrapped by hand without
        blank lines between papers end sentences on many of their lines: there a line that ends a sentence and is
        full (the next line's first word would not have fitted on it) goes on, unless the next line could be a title
        and is not as full (a short title) or is longer than the width (a long one)."""
        if not is_abstract(lines[end].text):
            return False
        if self.width is None or end + 1 == len(lines) or not _full(lines[end], lines[end + 1], self.width):
            return True
        following = lines[end + 1]
        if not is_title(following.text):
            return False
        if len(following.text) > self.width or end + 2 == len(lines):
            return True
        return not _full(following, lines[end + 2], self.width)

    def overlong(self, title: Line, abstract: list[Line]) -> None:
        """Abstracts wrapped by hand without blank lines between papers: one longer than arXiv allows may have read on
        into the next paper (a full line ending a sentence, then a title as long as a wrapped line); reported."""
        length = len(_joined(*(line.text for line in abstract)))
        if self.width is not None and length > ARXIV_ABSTRACT_CHARS:
            lines = f"lines {abstract[0].number}-{abstract[-1].number}"
            self.problem(title, f"an abstract of {length:,} characters ({lines}), more than arXiv allows "
                                f"({ARXIV_ABSTRACT_CHARS:,}): it may hold the next paper's title and abstract; put a "
                                "blank line between papers")

    def doubtful_joins(self) -> None:
        """In a listing of one line per field, an abstract read over several lines may have swallowed the next
        paper (its abstract is short and ends no sentence): reported, so the maintainer can check the pair."""
        single = sum(len(abstract) == 1 for _, abstract in self.records)
        if 2 * single < len(self.records):
            return  # abstracts wrapped over lines: the usual case here, nothing doubtful about it
        for _, abstract in self.records:
            for before, line in pairwise(abstract):
                if is_title(line.text) and SENTENCE_END.search(before.text) is None:
                    self.problem(line, f"read as part of the abstract that begins on line {abstract[0].number}; "
                                       f"if it is a title, end line {before.number} with a full stop")
                    break

    def wrapped_titles(self) -> None:
        """In a listing of one line per field, a title wrapped over two lines left its second line at the head of
        the abstract (a short line that ends no sentence, before the abstract's one long line): it rejoins the
        title, and the maintainer is told, as the paper's id follows from its title. Unless the lines show a title
        cut short (``_continues``), they may as well be a paper without its abstract and the next paper: skipped."""
        # A record whose abstract is one long line, after a short one or not, has one line per field (most of its
        # titles may be wrapped); one whose abstract takes several lines, none of them long, was wrapped by hand.
        single = sum(len(abstract) == 1 or (len(abstract) == 2 and len(abstract[1].text) >= LONG_LINE)
                     for _, abstract in self.records)
        if 2 * single < len(self.records):
            return  # abstracts wrapped over lines: a short first line is the usual case, not a title's end
        records = []
        for title, abstract in self.records:
            rest, body = abstract if len(abstract) == 2 else (None, None)
            if (rest is None or body is None or rest.after_blank or not is_title(rest.text)
                    or SENTENCE_END.search(rest.text) is not None or len(body.text) < LONG_LINE
                    or len(_joined(title.text, rest.text)) > MAX_TITLE):
                records.append((title, abstract))
            elif _continues(title.text, rest.text):
                records.append((Line(title.number, _joined(title.text, rest.text), title.after_blank), [body]))
                self.problem(rest, f"read as the rest of the title on line {title.number} (a title wrapped over two "
                                   "lines); if it begins the abstract, join it to the abstract's line")
            else:  # as likely a paper without its abstract, then the next paper (or a line of the page between)
                self.problem(title, f"this title goes on on line {rest.number}, or has no abstract and line "
                                    f"{rest.number} is the next paper's title: lines {title.number}-{body.number} are "
                                    f"skipped rather than paired wrongly (join lines {title.number} and {rest.number}, "
                                    "or add this paper's abstract)")
        self.records = records

    def papers(self) -> None:
        """A paper per record; a record none of whose lines could end an abstract, over several lines or alone
        between blank lines, is titles without abstracts (a list of titles, a copy of a page that shows no abstracts,
        a paper pasted without its abstract): reported and skipped, rather than a paper whose abstract is the next
        papers' titles."""
        for title, abstract in self.records:
            if any(is_abstract(line.text) for line in abstract) or (len(abstract) == 1 and not abstract[0].after_blank):
                self.paper(title, abstract)  # (one short line right after its title: an abstract without a full stop)
                self.overlong(title, abstract)
                self.cut_short(abstract)
                continue
            first, last = abstract[0].number, abstract[-1].number
            rest = f"so is line {first}" if first == last else f"so are lines {first}-{last}"
            self.problem(title, f"title without an abstract, and {rest} after it (a list of titles only?); skipped")

    def cut_short(self, abstract: list[Line]) -> None:
        """The file's last abstract, ending mid-sentence where the others end a sentence: a copy whose end was
        not selected; the paper is kept, and the maintainer told (arXiv's abstracts end a sentence: all but 6 of 1,064
        Hugging Face daily papers)."""
        if abstract is not self.records[-1][1] or SENTENCE_END.search(abstract[-1].text) is not None:
            return
        others = len(self.records) - 1
        ended = sum(SENTENCE_END.search(lines[-1].text) is not None for _, lines in self.records[:-1])
        if ended >= CUT_SHORT_MIN and 10 * ended >= 9 * others:  # (one other that ends a sentence says little)
            self.problem(abstract[-1], "the file's last abstract ends mid-sentence, unlike the others: was the end of "
                                       "the copy left out? (the paper is kept; if the abstract is whole, end this line "
                                       "with a full stop)")

    def skip(self, lines: list[Line]) -> None:
        first, last = lines[0].number, lines[-1].number
        where = "" if first == last else f" (lines {first}-{last})"
        self.problem(lines[0], f"text without a title{where}; skipped rather than paired wrongly"
                               f" (a title has at most {MAX_TITLE} characters and no final full stop)")

    def problem(self, line: Line, message: str) -> None:
        self.result.problems.append(Problem(self.display, line=line.number, message=message))

    def paper(self, title_line: Line, abstract_lines: list[Line]) -> None:
        title, title_changed = clean_text(title_line.text)
        abstract, abstract_changed = clean_text(_joined(*(line.text for line in abstract_lines)))
        number = title_line.number
        if not title.strip():
            self.problem(title_line, "empty title; this pair is skipped")
            return
        if title_changed:
            self.problem(title_line, "control characters removed from the title")
        if abstract_changed:
            self.problem(abstract_lines[0], "control characters removed from the abstract")
        if not abstract.strip():
            self.problem(abstract_lines[0], "empty abstract")
        self.result.papers.append(
            Paper(
                id=paper_id(title.strip(), None),
                title=title.strip(),
                abstract=abstract.strip(),
                added=UNSET_DATE,
                source=f"{self.display}:{number}",
            )
        )
