"""The watch list (``watch:`` in digest.yml): papers by watched authors or mentioning watched phrases.

Authors are matched as written, the way author pages match them: equal after Unicode NFKC
normalisation and case-folding (``generator.authors.author_key``), so "yann lecun" in digest.yml
watches "Yann LeCun", and "José García" watches "JOSÉ GARCÍA"; beyond that, as author pages take one person's
spellings for one (``generator.authors.spelling_keys``), "José García" watches "Jose Garcia", "O’Brien" "O'Brien",
"Jean‐Pierre" (a Unicode hyphen) "Jean-Pierre", "Linxi Fan" 'Linxi "Jim" Fan' and "Shuhan Song§", and "LeCun, Yann"
"Yann LeCun"; and, where author pages keep them apart, "Jia-Bin Huang" watches "Jiabin Huang" and "Jia Bin Huang"
(``watch_key``, ``watch_keys``).

Phrases are matched as whole words in the title or the abstract with the topic keywords' rules
(``generator.topics.make_keyword``: plural and singular, hyphen or space) but always ignoring
case, ALL-CAPS ones included. A paper whose title or abstract holds an ``exclude`` phrase is not
watched, whatever else matched.

A watched paper's reasons are texts such as "author: Yann LeCun" and "phrase: diffusion policy",
naming the entry as written in digest.yml: authors in the order of ``watch.authors``, then phrases
in the order of ``watch.phrases``; past ``REASONS_SHOWN`` of them, the rest are "and N more". Nothing
here depends on the order papers arrive.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np

from generator import latex_text
from generator.authors import ascii_latin, spelling_keys, written_key
from generator.config import WatchSettings
from generator.model import NOT_SHOWN, Paper
from generator.topics.features import Vocabulary, read_documents, text_numbers, tokens
from generator.topics.keywords import Keyword, KeywordIndex, make_keyword

PAGE = "watch/index.md"
# A paper names at most this many reasons, then "and N more": watching a collaboration's members marked each of its
# papers with a line of a thousand names, on every card, page, feed entry and email.
REASONS_SHOWN = 5
FEED_SLUG = "watch"
"""The feeds are watch.atom.xml and watch.rss.xml (a reserved slug: no topic may take it)."""


def watch_key(name: str) -> str:
    """An author's name as the watch list matches it: as author pages match names (``author_key``), with one kind
    of apostrophe and hyphen, without a quoted nickname or footnote marks, "Last, First" read as "First Last"
    (not "King, Jr."), and Latin letters without their accents ("Rozière" is "roziere")."""
    return ascii_latin(written_key(name))


def watch_keys(name: str) -> tuple[str, ...]:
    """``watch_key`` and the name's other spellings: for a hyphenated name, 'Jia-Bin Huang' is "Jia Bin Huang" and
    "Jiabin Huang" too (14 and 129 names of that archive are written with a hyphen on some papers and a space, or
    nothing, on others), and a German umlaut is also "ae", "oe" or "ue"."""
    keys = spelling_keys(name)
    if not any("-" in key for key in keys):
        return keys
    return tuple(spelled for key in keys for spelled in (" ".join(key.replace("-", " ").split()), key.replace("-", "")))


def phrase_key(phrase: str) -> str:
    """A phrase as it is matched: its LaTeX text decoded, as the texts it is looked for in are (a phrase copied from a
    BibTeX title, ``Schr\\"odinger bridge``, finds "Schrödinger Bridges"), and case-folded always, so "LLM" is no
    acronym."""
    return latex_text.plain(phrase).casefold()


# A hyphen between two letters of a phrase: "pre-training" finds "pretraining" too (in 580 days of Hugging Face
# daily papers, 1,201 abstracts wrote "pre-training" and 1,190 "pretraining"; "fine-tuning" 3,524, "finetuning" 392).
HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011](?=[^\W_])")


def phrase_keyword(phrase: str) -> Keyword:
    """A phrase as a keyword (``make_keyword``: plural and singular, hyphen or space), which finds a hyphenated word
    written as one word too."""
    key = phrase_key(phrase)
    keyword = make_keyword(key)
    joined = HYPHEN_IN_WORD.sub("", key)
    if joined == key or not tokens(joined):
        return keyword
    variants = tuple(sorted({*keyword.variants, *make_keyword(joined).variants}))
    return dataclasses.replace(keyword, variants=variants)


def distinct_phrases(phrases: Sequence[str]) -> tuple[str, ...]:
    """The phrases without those that find what an earlier one finds and are found by it ("diffusion policies" after
    "diffusion policy", "mixture of experts" after "mixture-of-experts", "llms" after "LLM"): the first spelling names
    the reason, as for authors, and a paper is not marked twice for one phrase."""
    phrases = tuple(dict.fromkeys(phrases))
    index = KeywordIndex([phrase_keyword(phrase) for phrase in phrases], Vocabulary())
    finds = [set(index.find(index.vocabulary.encode([latex_text.plain(phrase)]))[1].tolist()) for phrase in phrases]
    return tuple(phrase for number, phrase in enumerate(phrases)
                 if not any(other < number and number in finds[other] for other in finds[number]))


def vetoed_phrases(phrases: Sequence[str], exclude: Sequence[str]) -> list[tuple[int, int]]:
    """(phrase, exclude) positions of each watched phrase that holds an exclude phrase ("survey" in both lists,
    "diffusion policy" and "policy"): every paper the phrase finds holds the exclude too, so it watches nothing."""
    if not exclude:
        return []
    index = KeywordIndex([phrase_keyword(phrase) for phrase in exclude], Vocabulary())
    return [(number, column) for number, phrase in enumerate(phrases)
            for column, count in enumerate(index.count(latex_text.plain(phrase))) if count]


def watch_page(number: int = 1) -> str:
    """The watch list's page ``number``: watch/index.md, then watch/page-2.md, ..."""
    return PAGE if number == 1 else f"watch/page-{number}.md"


class Watcher:
    """Matches papers against one watch list."""

    def __init__(self, settings: WatchSettings) -> None:
        listed: list[str] = []
        self.order: dict[str, int] = {}  # each spelling of a watched name: its position, the reasons' order
        for name in settings.authors:  # what shows as nothing is no part of a name, as in the papers' author lists
            keys = watch_keys(NOT_SHOWN.sub("", name))
            position = next((self.order[key] for key in keys if key in self.order), len(listed))
            if position == len(listed):
                listed.append(name)  # the first spelling names the reason
            for key in keys:
                self.order.setdefault(key, position)
        self.listed = tuple(listed)
        self.phrases = distinct_phrases(settings.phrases)
        vocabulary = Vocabulary()
        self.index = KeywordIndex([phrase_keyword(phrase) for phrase in self.phrases], vocabulary)
        excluded = tuple(dict.fromkeys(settings.exclude))
        self.veto = KeywordIndex([phrase_keyword(phrase) for phrase in excluded], vocabulary)

    def reasons(self, paper: Paper) -> tuple[str, ...]:
        """Why ``paper`` is watched ("author: …", "phrase: …"); empty when it is not (or an exclude vetoes it)."""
        return self.match([paper])[0]

    def match(self, papers: Sequence[Paper]) -> list[tuple[str, ...]]:
        """Each paper's reasons, in order: the texts are read a block at a time, as the topics stage reads them."""
        phrases: list[set[int]] = [set() for _ in papers]
        vetoed = np.zeros(len(papers), dtype=bool)
        if self.phrases or self.veto.size:
            # the text a reader sees: a phrase "Schrödinger" matches Schr\"odinger written in LaTeX (latex_text.py)
            documents = [(latex_text.plain(paper.title), latex_text.plain(paper.abstract)) for paper in papers]
            for start, _size, ids in read_documents(documents, self.index.vocabulary):
                text = text_numbers(ids) + 2 * start  # text 2n is paper n's title, 2n + 1 its abstract
                positions, columns = self.veto.find(ids)
                vetoed[text[positions] // 2] = True
                positions, columns = self.index.find(ids)
                for row, column in zip((text[positions] // 2).tolist(), columns.tolist(), strict=True):
                    phrases[row].add(column)
        found: list[tuple[str, ...]] = []
        spellings = functools.cache(watch_keys)  # an author of many papers is read once
        for number, paper in enumerate(papers):
            if vetoed[number]:
                found.append(())
                continue
            # The paper's authors looked up in the watch list, not the whole list gone over for every paper: a
            # list of 5,000 names took 3 s for 20,000 papers.
            keys = (key for author in paper.authors for key in spellings(author)) if self.order else ()
            listed = sorted({self.order[key] for key in keys if key in self.order})
            reasons = [f"author: {self.listed[position]}" for position in listed]
            reasons += [f"phrase: {self.phrases[column]}" for column in sorted(phrases[number])]
            if len(reasons) > REASONS_SHOWN + 1:
                reasons[REASONS_SHOWN:] = [f"and {len(reasons) - REASONS_SHOWN:,} more"]
            found.append(tuple(reasons))
        return found


def watched_papers(papers: Iterable[Paper], settings: WatchSettings | None) -> dict[str, tuple[str, ...]]:
    """Each watched paper's id and reasons, in id order; empty without a watch list."""
    if settings is None:
        return {}
    ordered = sorted(papers, key=lambda each: each.id)
    return {paper.id: reasons for paper, reasons in zip(ordered, Watcher(settings).match(ordered), strict=True)
            if reasons}


NAMES_LISTED = 5
"""A note names this many watched authors that no paper has, then counts the rest."""
INITIAL = re.compile(r"^[^\W\d_]\.?$")


def absent_authors(papers: Iterable[Paper], settings: WatchSettings | None) -> list[str]:
    """Notes on the watched authors that no paper of the archive names: each with the spelling the papers have, when
    one is near enough to be the one meant ("Huang Gao": the papers have "Gao Huang"; "Y. LeCun": "Yann LeCun"), then
    the others in one note. A name matches as written (``watch_keys``), so a name in another order or as initials
    watched nothing, and the build said nothing of it."""
    if settings is None or not settings.authors:
        return []
    seen: dict[str, str] = {}  # each spelling of each paper author's name: the name as a paper writes it
    for author in sorted({author for paper in papers for author in paper.authors}):
        for key in watch_keys(author):
            seen.setdefault(key, author)
    by_last: dict[str, set[str]] = {}
    if any(INITIAL.match(word) for name in settings.authors for word in watch_key(name).split()[:-1]):
        for key, author in seen.items():
            *first, last = key.split() or [""]
            if first:
                by_last.setdefault(last, set()).add(author)
    notes, unknown = [], []
    for name in Watcher(settings).listed:
        keys = watch_keys(NOT_SHOWN.sub("", name))
        if any(key in seen for key in keys):
            continue
        words = keys[0].split()
        near = set()
        if len(words) == 2 and f"{words[1]} {words[0]}" in seen:  # Chinese names are written in either order
            near.add(seen[f"{words[1]} {words[0]}"])
        if len(words) >= 2 and all(INITIAL.match(word) for word in words[:-1]):  # "Y. LeCun", "J. R. R. Tolkien"
            near |= {author for author in by_last.get(words[-1], ())
                     if [word[0] for word in watch_key(author).split()[:-1]] == [word[0] for word in words[:-1]]}
        if near and len(near) <= NAMES_LISTED:
            spelled = ", ".join(repr(author) for author in sorted(near))
            notes.append(f"watch.authors: {name!r} is on no paper, but {spelled} {'is' if len(near) == 1 else 'are'}:"
                         " a watched name matches as written (in that order, not as initials); write it as the papers"
                         " do")
        else:
            unknown.append(name)
    if unknown:
        listed = ", ".join(repr(name) for name in unknown[:NAMES_LISTED])
        more = f" and {len(unknown) - NAMES_LISTED:,} more" if len(unknown) > NAMES_LISTED else ""
        notes.append(f"watch.authors: no paper is by {listed}{more} yet (a watched name matches a paper's author as"
                     " written)")
    return notes


def reason_text(reasons: Sequence[str]) -> str:
    """The reasons as one line: 'author: Yann LeCun; phrase: diffusion policy'."""
    return "; ".join(reasons)
