"""BibTeX (``.bib``): a researcher's reading list, parsed with bibtexparser."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares.names import InvalidNameError, NameParts, parse_single_name_into_parts
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import Block, DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, Field, ParsingFailedBlock
from pylatexenc import latex2text, latexwalker, macrospec

from generator.counts import whole_number
from generator.errors import Problem
from generator.model import Paper, arxiv_id_read_before, arxiv_id_read_until_0_1_3, normalize_arxiv_id, paper_id
from generator.sources.common import (
    UNSET_DATE,
    ReadResult,
    date_parts,
    flatten,
    from_utf16,
    from_windows_1252,
    http_link,
)

DUPLICATES = (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)


def read_bibtex(data: bytes, display: str, reading_list: bool = False) -> ReadResult:
    """Read every entry with a title (``reading_list``: or with an arXiv id, as a reading list takes it); entries that
    cannot be parsed are reported by line."""
    result = ReadResult()
    data = from_utf16(data, display, result.problems)
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    latin = from_windows_1252(data)
    if latin is not data:  # older JabRef's `% Encoding: ISO8859_1`: each accent was a replacement character
        result.papers = _read_text(latin.decode("utf-8"), display, result.problems, reading_list)
        # versions up to 0.1.3 read it with those characters: a paper whose title gave its id keeps that page
        for paper, before in zip(result.papers, _read_text(text, display, [], reading_list), strict=False):
            if paper.source == before.source:
                ids = (before.id, *before.aliases)
                paper.aliases += tuple(dict.fromkeys(i for i in ids if i != paper.id and i not in paper.aliases))
                feed_id = before.feed_id or before.id
                paper.feed_id = feed_id if feed_id in paper.aliases else paper.feed_id
        return result
    if "\ufffd" in text and b"\xef\xbf\xbd" not in data:
        result.problems.append(Problem(display, message="invalid UTF-8 replaced"))
    result.papers = _read_text(text, display, result.problems, reading_list)
    return result


def _read_text(text: str, display: str, problems: list[Problem], reading_list: bool = False) -> list[Paper]:
    # bibtexparser also logs each failed block; we report them ourselves, with the file name.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library, keys = _kept_duplicates(parse_string(text, parse_stack=[]), display, problems)
    for entry in library.entries:
        for field in entry.fields:  # BibTeX's field names are case-insensitive; JabRef 2 writes `Author = {...}`
            field.key = field.key.lower()  # and bibtexparser splits the names of `author` alone
    _concatenate(library)
    for middleware in [
        _RunOnField(),
        *default_parse_stack(),
        _MendeleyEscapes(),
        latex := _LatexDecoding(),
        middlewares.SeparateCoAuthors(),
        names := _SplitNames(),
    ]:
        library = middleware.transform(library=library)
    for entry, key in latex.undecoded:
        problems.append(Problem(display, line=(entry.start_line or 0) + 1,
                                message=f"entry {keys.get(entry.key, entry.key)!r}: the {key} holds LaTeX that cannot"
                                        " be read (a command without its arguments?); kept as written"))
    for entry, message in names.unsplit:
        problems.append(Problem(display, line=(entry.start_line or 0) + 1,
                                message=f"entry {keys.get(entry.key, entry.key)!r}: {message}"))
    for entry in library.entries:
        entry.key = keys.get(entry.key, entry.key)
    for block in library.failed_blocks:
        error = getattr(block, "error", None)
        reason = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error or "")
        detail = f": {flatten(str(reason))}" if reason.strip() else ""
        problems.append(
            Problem(display, line=(block.start_line or 0) + 1, message=f"cannot read this entry; skipped{detail}")
        )
    if not library.entries and not library.failed_blocks and text.strip():  # text outside entries is BibTeX's
        # comment: a page saved by a failed download, a JSON export named .bib, gave no paper and no word (an empty
        # file is reported as such by its caller)
        problems.append(Problem(display, message="no BibTeX entry (@article{…}, @misc{…}) in the file: it holds no"
                                                 " papers"))
    containers = _cross_referenced(library.entries, display, problems)
    papers = []
    for entry in library.entries:
        if id(entry) in containers:
            continue  # a proceedings volume (or book) that papers of the file point at: not a paper itself
        paper = read_entry(entry, display, problems, reading_list)
        if paper is not None:
            papers.append(paper)
    return papers


# BibTeX's month macros (``month = jun # "~15"``): what ``jun`` stands for in a concatenation.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def _concatenate(library: Library) -> None:
    """Values joined with BibTeX's ``#`` (``booktitle = neurips # " 30"``, ``abstract = "A" # "B"``), which the parser
    leaves as written: the page showed the quotes and the ``#``. Each part is a braced or quoted text, a number, or
    an ``@string`` (earlier strings may be joined too) or month macro; an unknown macro is its own name."""
    macros = {name.lower(): full for name, full in zip(MONTHS, MONTH_NAMES, strict=True)}
    for string in library.strings:
        value = string.value if isinstance(string.value, str) else ""
        parts = _parts(value)
        macros[string.key.lower()] = "".join(_part(part, macros) for part in parts)
        if len(parts) > 1:
            string.value = "{" + macros[string.key.lower()] + "}"
    for entry in library.entries:
        for field in entry.fields:
            parts = _parts(field.value) if isinstance(field.value, str) else []
            if len(parts) > 1:
                field.value = "{" + "".join(_part(part, macros) for part in parts) + "}"


def _parts(value: str) -> list[str]:
    """A value split at each ``#`` outside braces and quotes."""
    parts, start, depth, quoted = [], 0, 0, False
    for index, character in enumerate(value):
        if character == "{":
            depth += 1
        elif character == "}":
            depth = max(depth - 1, 0)
        elif character == '"' and depth == 0:
            quoted = not quoted
        elif character == "#" and depth == 0 and not quoted:
            parts.append(value[start:index])
            start = index + 1
    return [*parts, value[start:]]


def _part(part: str, macros: dict[str, str]) -> str:
    text = part.strip()
    if len(text) >= 2 and (text[0], text[-1]) in (("{", "}"), ('"', '"')):
        return text[1:-1]
    return macros.get(text.lower(), text)


# Fields a paper takes from the entry its ``crossref`` names when it has none of its own: where and when it was
# published (the volume's title is the paper's ``booktitle``), never its title, authors, abstract or links. The date
# fields come as one: a paper's own year never takes the volume's month.
INHERITED = (("year", "month", "date"), ("booktitle",), ("journal",), ("journaltitle",))


def _cross_referenced(entries: list[Entry], display: str, problems: list[Problem]) -> set[int]:
    """Fill in what each entry's ``crossref`` gives it (DBLP's and JabRef's exports "with crossref" put a paper's year
    and venue only in its proceedings' entry), and return the entries pointed at (by ``id``): they are volumes, and
    were read as papers of their own ("Proceedings of ..."), while the papers had no year."""
    by_key = {entry.key.lower(): entry for entry in reversed(entries)}  # the first of a key, as BibTeX finds it
    containers: set[int] = set()
    for entry in entries:
        fields = {field.key.lower(): field for field in entry.fields}
        target = fields.get("crossref")
        key = target.value.strip() if target is not None and isinstance(target.value, str) else ""
        if not key:
            continue
        parent = by_key.get(key.lower())
        if parent is None or parent is entry:
            problems.append(Problem(display, line=(entry.start_line or 0) + 1,
                                    message=f"entry {entry.key!r}: crossref {key!r} is not an entry of this file;"
                                            " its year and venue are not read"))
            continue
        containers.add(id(parent))
        given = {field.key.lower(): field for field in parent.fields}
        if "booktitle" not in given and "title" in given:
            given["booktitle"] = Field("booktitle", given["title"].value)
        for names in INHERITED:
            if not any(name in fields for name in names):
                entry.fields += [Field(name, given[name].value) for name in names if name in given]
    return containers


# What pylatexenc's default context (bibtexparser's LaTeX decoding) acts on: a macro, a group, math, and its specials
# (~, &, ``, '', --, ---, !`, ?`). A value without any of them is decoded to itself. A "%" is no comment in a value
# (BibTeX reads it as written, and JabRef writes an abstract's "50% fewer" so): pylatexenc's reading dropped the rest of
# the line after it, so it is read as the "\%" it stands for.
LATEX = re.compile(r"[\\{}$~&`]|--|''")
BARE_PERCENT = re.compile(r"(?<!\\)%")
WORD = re.compile(r"\S+")
# What opens or closes a span's group or formula: an escaped character ("\\{", "\\$") is neither.
LATEX_TOKEN = re.compile(r"\\[()\[\]]|\\.|\$\$|[{}$]")
# A word with a command of letters (its arguments, and the space it eats, may be the next words: "\\barθ until" is
# "θuntil"), or ending in one of a symbol ("\\'" before "e").
TAKES_WORDS = re.compile(r"\\[A-Za-z]|\\[^A-Za-z]$")
ENVIRONMENT = re.compile(r"\\(?:begin|end)(?![A-Za-z])")
COMMAND_ARGUMENTS = 2  # the words after a command kept with it (\\frac, \\href take two arguments)
# Fields that hold a link or an identifier, not text: BibTeX and reference managers write them as they are (Zotero,
# JabRef: "https://example.org/~ann/?a=1&b=50%25", "10.1000/a--b"), where LaTeX decoding turned "~" into a space, cut
# the rest after "%" and read "--" as a dash. Only the escapes some write in them (Mendeley's "{\_}", "\%") are undone.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "arxiv", "arxivid", "file", "pdf", "urlraw", "isbn", "issn"})
VERBATIM_ESCAPE = re.compile(r"\{\\([_%&#$])\}|\\([_%&#$])|\{\\~\{\}\}|\\~\{\}|[{}]")


class _Complaints(logging.Handler):
    """Counts pylatexenc's warnings in each thread: one about a command it could not fill in ("macro '\\frac' failed
    its substitution!") comes with a reading that is not text ("%s/%sa"), and was printed among the build's lines."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        self._local.heard = self.heard() + 1

    def heard(self) -> int:
        return int(getattr(self._local, "heard", 0))


_COMPLAINTS = _Complaints()
logging.getLogger("pylatexenc").addHandler(_COMPLAINTS)
logging.getLogger("pylatexenc").propagate = False


class _LatexDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding, except of values with nothing to decode, which stay as they are: pylatexenc
    reads text a character at a time (12 ms for an abstract), and most of a reference manager's values are plain
    text. A reading list of 5,000 entries with abstracts took 63 s to read."""

    def __init__(self) -> None:
        super().__init__()
        self._before = middlewares.LatexDecodingMiddleware()._decoder  # as versions up to 0.1.4 read titles
        self._decoder.latex_context.add_context_category("paper-digest", prepend=True, macros=TEXT_MACROS)
        self._unreadable: list[str] = []
        self.undecoded: list[tuple[Entry, str]] = []  # an entry, and the field whose LaTeX was kept as written

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        verbatim = {id(field): field.value for field in entry.fields
                    if field.key in VERBATIM_FIELDS and isinstance(field.value, str)}
        before = self._title_read_before(entry)
        self._unreadable = []
        entry = super().transform_entry(entry, library)  # type: ignore[assignment]
        for field in entry.fields:
            if id(field) in verbatim:
                field.value = _verbatim(verbatim[id(field)])
            elif field.value in self._unreadable:
                self.undecoded.append((entry, field.key))
        if before is not None:
            entry.fields.append(Field(TITLE_READ_BEFORE, before))
        return entry

    def _title_read_before(self, entry: Entry) -> str | None:
        """The title as versions up to 0.1.4 read it when it holds what they read otherwise (cut at a bare "%", a
        character Zotero writes as a command dropped): its paper keeps its page."""
        title = next((field.value for field in entry.fields if field.key == "title"), None)
        if not isinstance(title, str) or (BARE_PERCENT.search(title) is None and TEXT_COMMAND.search(title) is None) \
                or any(field.key == TITLE_READ_BEFORE for field in entry.fields):
            return None
        try:
            return str(self._before.latex_to_text(title, latex_context=PARSED_MACROS))
        except Exception:  # as the decoding itself: the title read now is the one reported
            return None

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        if LATEX.search(python_string) is None:
            return python_string, ""
        text = BARE_PERCENT.sub(r"\\%", python_string)
        try:
            return self._decoded_spans(text), ""
        except Exception:  # read as a whole below, which decides: its reading, or the reason it fails
            pass
        try:
            return self._decode(text), ""
        except Exception:  # pylatexenc fails on a command without its arguments ("\\href{url}" at the end of an
            # abstract): the value is kept as written and reported, where the entry was skipped (or, before, the read
            # failed with a traceback)
            self._unreadable.append(python_string)
            return python_string, ""

    def _decode(self, text: str) -> str:
        complaints = _COMPLAINTS.heard()
        decoded = str(self._decoder.latex_to_text(text, latex_context=PARSED_MACROS))
        if _COMPLAINTS.heard() != complaints:  # "\\frac{a}" at the end became "%s/%sa"
            raise ValueError("pylatexenc: a command without its arguments")
        return decoded

    def _decoded_spans(self, text: str) -> str:
        """``text`` decoded as a whole would be, but only its spans of LaTeX through pylatexenc: an abstract with one
        formula or "50\\%" was read a character at a time, 5 ms for each (27 s for a reading list of 5,000 such).

        A span is a run of whitespace-separated words that hold something to decode, grown until its groups,
        formulas and ``\\(``/``\\[`` close, and past the two words after a command (its arguments, and the space
        it eats: ``\\alpha y`` is "αy"); the words between spans are text as they are. A value this cannot split for
        sure (an environment, a formula left open, a group closed before it opens) is decoded whole."""
        delimiters = Counter(found.group() for found in LATEX_TOKEN.finditer(text))
        if ENVIRONMENT.search(text) or delimiters["$"] % 2 or delimiters["$$"] % 2:
            return self._decode(text)
        words = list(WORD.finditer(text))
        parts: list[str] = []
        done = index = 0
        while index < len(words):
            if LATEX.search(words[index].group()) is None:
                index += 1
                continue
            first, depth, brackets, math, display, arguments = index, 0, 0, False, False, 0
            while True:
                word = words[index].group()
                for found in LATEX_TOKEN.finditer(word):
                    token = found.group()
                    if token in ("{", "}"):
                        depth += 1 if token == "{" else -1
                    elif token in ("\\(", "\\[", "\\)", "\\]"):
                        brackets += 1 if token in ("\\(", "\\[") else -1
                    elif token == "$":
                        math = not math
                    elif token == "$$":
                        display = not display
                if depth < 0 or brackets < 0:
                    return self._decode(text)
                # A command's arguments may follow it as the next words: a group, or one character of a word.
                arguments = COMMAND_ARGUMENTS if TAKES_WORDS.search(word) else max(0, arguments - 1)
                if index + 1 < len(words) and (depth or brackets or math or display or arguments
                                               or LATEX.search(words[index + 1].group()) is not None):
                    index += 1
                    continue
                break
            start, end = words[first].start(), words[index].end()
            parts += [text[done:start], self._decode(text[start:end])]
            done, index = end, index + 1
        parts.append(text[done:])
        return "".join(parts)


def _verbatim(value: str) -> str:
    """A link's or identifier's value as written, its BibTeX braces and escaped characters (``{\\_}``, ``\\%``,
    ``\\~{}``) undone."""
    return VERBATIM_ESCAPE.sub(lambda found: found.group(1) or found.group(2) or ("~" if "~" in found.group() else ""),
                               value)


# The macros whose arguments pylatexenc's parser must know for its text rules: without ``\href`` (Zotero's exported
# notes, hand-made entries of software and web pages) the rule found no arguments and failed, and the entry was
# skipped ("Middleware could not be fully applied: list index out of range").
PARSED_MACROS = latexwalker.get_default_latex_context_db()
PARSED_MACROS.add_context_category("paper-digest", prepend=True, macros=[macrospec.MacroSpec("href", "{{"),
                                                                        macrospec.MacroSpec("vphantom", "{")])
# The characters Zotero's BibTeX export always writes as text commands (its "alwaysMap": "<" as {\textless}, "|" as
# {\textbar}, "^" as {\textasciicircum}, "{" as \{\vphantom{\}}), and a few more of LaTeX's: pylatexenc dropped
# those it does not know ("p {\textless} 0.05" was "p 0.05") and gave "^" as a modifier letter (ˆ).
TEXT_MACROS = [
    *(latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in (
        ("textless", "<"), ("textgreater", ">"), ("textbar", "|"), ("textasciicircum", "^"), ("textunderscore", "_"),
        ("textquotedbl", '"'), ("textperiodcentered", "\u00b7"), ("textbraceleft", "{"), ("textbraceright", "}"),
        ("textbardbl", "\u2016"))),
    latex2text.MacroTextSpec("vphantom", simplify_repl=""),  # takes no room: Zotero's brace escapes hold one
]
TEXT_COMMAND = re.compile(r"\\(?:" + "|".join(spec.macroname for spec in TEXT_MACROS) + r")(?![A-Za-z])")


# Mendeley writes a backslash of a title or abstract as ``$\backslash$`` (or, in a formula, ``\backslash``), and
# escapes the dollars, braces and underscores of its formulas: ``R$\backslash$'{\{}e{\}}nyi``,
# ``{\$}H{\_}{\{}\backslashalpha{\}}{\$}``. A value with such a backslash is read as the LaTeX it escaped.
MENDELEY_BACKSLASH = re.compile(r"\$\\backslash\$(?=[A-Za-z'`^\"~=.{])|\\backslash(?=[A-Za-z])")
# Once its escapes are undone, a formula's \backslash also stands before what followed a backslash there: \| \{ \,
MENDELEY_COMMAND = re.compile(r"\$\\backslash\$(?=[A-Za-z'`^\"~=.{])|\\backslash(?=[A-Za-z|,;!{}])")
MENDELEY_ESCAPES = {"{\\$}": "$", "{\\_}": "_", "{\\^{}}": "^", "{\\~{}}": "~", "{\\{}": "{", "{\\}}": "}"}
TITLE_READ_BEFORE = "title read before"
"""A field no entry can have (a space in its name): the title as versions up to 0.1.3 read it, when this differs."""


class _MendeleyEscapes(middlewares.BlockMiddleware):
    """Mendeley's escaped LaTeX, decoded before bibtexparser's LaTeX decoding: the pages showed "R\\'enyi" and
    "{\\em quantum}", and formulas lost their commands ("$H_{}(A|B)$")."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        for field in list(entry.fields):
            value = field.value if isinstance(field.value, str) else ""
            if "backslash" not in value or MENDELEY_BACKSLASH.search(value) is None:
                continue
            for escaped, character in MENDELEY_ESCAPES.items():
                value = value.replace(escaped, character)
            if field.key.lower() == "title":
                entry.fields.append(Field(TITLE_READ_BEFORE, field.value))
            field.value = MENDELEY_COMMAND.sub(r"\\", value)
        return entry


# A field's name and "=" outside every brace and quote of a value: the value ran on into the next field.
FIELD_START = re.compile(r"([A-Za-z][\w:.+-]*)\s*=")
GROUP = re.compile(r"\{[^{}]*\}|\"[^\"]*\"")


class _RunOnField(middlewares.BlockMiddleware):
    """An entry with a comma missing between two fields (``title = {A}`` then ``author = {B}``) is unreadable: the
    parser took the next field into the value, and the paper was titled "A author = B" without a word said."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        for field in entry.fields:
            value = field.value if isinstance(field.value, str) else ""
            previous = None
            while previous != value:  # braced and quoted parts, innermost first: what is left is outside them
                previous, value = value, GROUP.sub(" ", value)
            found = FIELD_START.search(value)
            if found:
                reason = f"a comma is missing after the field {field.key!r} (before {found.group(1)!r})"
                return ParsingFailedBlock(error=ValueError(reason), start_line=entry.start_line, raw=entry.raw)
        return entry


def _kept_duplicates(split: Library, display: str, problems: list[Problem]) -> tuple[Library, dict[str, str]]:
    """The blocks as split, with the entries bibtexparser sets apart for a duplicate put back: a second entry of the
    same key (Mendeley writes one key for two papers of an author and year; entries pasted from Google Scholar
    repeat theirs) is a paper too, and of a field given twice BibTeX keeps the first (reported). The keys of the
    entries put back are made unique until the middlewares are applied: their original keys, by the unique ones."""
    blocks: list[Block] = []
    keys: dict[str, str] = {}
    for block in split.blocks:
        entry = block.ignore_error_block if isinstance(block, DUPLICATES) else None
        if not isinstance(entry, Entry):
            blocks.append(block)
            continue
        if isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(repr(name) for name in sorted(block.duplicate_keys))
            problems.append(Problem(display, line=(entry.start_line or 0) + 1,
                                    message=f"entry {entry.key!r}: {names} given twice; the first is read"))
            first: dict[str, Field] = {}
            for field in entry.fields:
                first.setdefault(field.key, field)
            entry.fields = list(first.values())
        unique = f"{entry.key}\0{len(blocks)}"
        keys[unique] = entry.key
        entry.key = unique
        blocks.append(entry)
    return Library(blocks, fail_on_duplicate_key=False), keys


def read_entry(entry: Entry, display: str, problems: list[Problem], reading_list: bool = False) -> Paper | None:
    """One ``@article{...}``; fields are matched case-insensitively, as BibTeX does. Without a title it is skipped,
    unless ``reading_list`` and it has an arXiv id (a reading list's entry saved by its id alone). A reading list's
    entry also takes its arXiv id from an "arXiv:ID" or arXiv link in ``note`` or ``howpublished`` (``MENTIONED``)."""
    line = (entry.start_line or 0) + 1
    fields = {field.key.lower(): field.value for field in entry.fields}

    def report(message: str) -> None:
        problems.append(Problem(display, line=line, message=f"entry {entry.key!r}: {message}"))

    title = _text(fields.get("title"))
    arxiv_id = _arxiv_id(fields)
    if arxiv_id is None and reading_list:
        arxiv_id = _mentioned_arxiv_id(fields)
    if not title and not (reading_list and arxiv_id):
        report("missing or empty 'title'; skipped")
        return None
    # The id earlier versions gave it (links read as 0.1.2 read them): its page stays, sending readers on, when the
    # id is another now.
    title_before = _text(fields.get(TITLE_READ_BEFORE)) or title
    id_before = paper_id(title_before, _arxiv_id(fields, arxiv_id_read_before, all_forms=False))
    # Its feed entries keep the id 0.1.3 gave it (which read Hugging Face and alphaXiv links, but not at hf.co).
    feed_id = paper_id(title_before, _arxiv_id(fields, arxiv_id_read_until_0_1_3, all_forms=False))
    links = _links(_text(fields.get("url")))
    url = http_link(links[0]) if links else None
    if links and url is None and not (arxiv_id and arxiv_id_in(links[0])):
        report("'url' is not an http(s) URL; ignored")  # (url = {arXiv:2410.00907} names the paper: no link, no word)
    year, month = _year_month(fields, report)
    named = _authors(fields.get("author"))
    return Paper(
        id=paper_id(title, arxiv_id),
        # An arXiv id in a form earlier versions did not read (www.arxiv.org, an html or Hugging Face link, one of
        # several links in `url`...), or a title they read with Mendeley's escapes, gave it another id.
        aliases=(id_before,) if id_before != paper_id(title, arxiv_id) else (),
        feed_id=feed_id if feed_id != paper_id(title, arxiv_id) else None,
        title=title,
        abstract=_text(fields.get("abstract")),
        added=UNSET_DATE,
        source=f"{display}:{line}",
        authors=tuple(name for name in named if not _is_others(name)),
        more_authors=any(_is_others(name) for name in named),
        arxiv_id=arxiv_id,
        url=url,
        doi=_text(fields.get("doi")) or None,
        journal_ref=_text(fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")) or None,
        year=year,
        month=month,
    )


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")


def _year_month(fields: dict[str, object], report: Callable[[str], None]) -> tuple[int | None, int | None]:
    """``year`` (and ``month``: a number, a name or BibTeX's ``jan``...) when they can be read; else None.

    Without ``year``, BibLaTeX's ``date`` (``2021``, ``2021-06``, ``2021-06-15``, a range ``2021-06-15/2021-06-18``)
    gives them, as Zotero's and JabRef's BibLaTeX exports write only that.
    """
    if fields.get("year") is None and fields.get("date") is not None:
        date = _text(fields.get("date"))
        parts = date_parts(date)
        if parts is None:
            report(f"'date' {date!r} is not a date (YYYY-MM-DD); ignored")
            return None, None
        return parts[0], parts[1] if len(parts) > 1 else None
    text = _text(fields.get("year"))
    named = YEAR_WITH_MONTH.fullmatch(text)
    if named and not fields.get("month"):  # year = {May 1987}: its month too; {Summer 1987}: its year
        word = named.group(1).casefold()
        month = next((number for number, full in enumerate(MONTH_NAMES, 1) if full.startswith(word)), None)
        if month is not None:  # "May", "Sept", "September"; not "Maybe"
            return int(named.group(2)), month
        report(f"'year' {text!r}: {named.group(1)!r} is no month; read as the year {named.group(2)}")
        return int(named.group(2)), None
    found = re.fullmatch(r"\{?(\d{4})[a-z]?\}?", text)
    if text and found is None:
        report(f"'year' {text!r} is not a year; ignored")
    year = int(found.group(1)) if found else None
    month_text = _text(fields.get("month")).strip("{}. ").casefold()
    month = None
    if whole_number(month_text) and 1 <= int(month_text) <= 12:
        month = int(month_text)
    elif month_text[:3] in MONTHS and len(month_text) >= 3:
        month = MONTHS.index(month_text[:3]) + 1
    elif month_text:
        report(f"'month' {month_text!r} is not a month; ignored")
    return year, month if year else None


# A year written with its month, as some exports and hand-made entries do: "May 1987", "Sept. 2020".
YEAR_WITH_MONTH = re.compile(r"\s*([A-Za-z]{3,9})\.?\s+(\d{4})\s*")


def _text(value: object) -> str:
    return flatten(value) if isinstance(value, str) else ""


# arXiv's own DOIs (10.48550/arXiv.2410.00907), as Zotero and arXiv's export write them in ``doi`` or a doi.org URL.
ARXIV_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def _arxiv_id(fields: dict[str, object], read: Callable[[str], str | None] = normalize_arxiv_id,
              all_forms: bool = True) -> str | None:
    """The arXiv id from ``eprint`` (arXiv's own export), ``arxiv``, an arXiv ``url`` or an arXiv DOI (as ``read``
    reads ids and links); unless ``all_forms`` is false (as versions up to 0.1.3 read them), also from any of
    Mendeley's several links in ``url`` and from Google Scholar's ``journal = {arXiv preprint arXiv:1706.03762}``."""
    for name in ("eprint", "arxiv", "arxivid", "url", "doi", "journal"):
        value = fields.get(name)
        if not isinstance(value, str) or (name == "journal" and not all_forms):
            continue
        if name == "journal":
            mention = SCHOLAR_ARXIV.fullmatch(flatten(value))
            volume = fields.get("volume")
            if mention is None and ARXIV_JOURNAL.fullmatch(flatten(value)) and isinstance(volume, str):
                mention = ARXIV_VOLUME.fullmatch(flatten(volume))  # Semantic Scholar: "ArXiv", "abs/1706.03762"
            parts = [mention.group(1)] if mention else []
        else:
            parts = _links(flatten(value)) if name == "url" and all_forms else [value]
        for part in parts:
            found = arxiv_id_in(part, read)
            if found:
                return found
    return None


# Google Scholar's BibTeX names an arXiv paper's id only in its journal: "arXiv preprint arXiv:1706.03762".
SCHOLAR_ARXIV = re.compile(r"\s*(?:arXiv preprint\s+)?arXiv\s*:\s*(\S+?)\s*", re.IGNORECASE)
# Semantic Scholar's (and older DBLP exports') BibTeX name it only as the volume of the journal "ArXiv" or "CoRR":
# journal = {ArXiv}, volume = {abs/1706.03762}.
ARXIV_JOURNAL = re.compile(r"\s*(?:arXiv|CoRR|arXiv\.org)\s*", re.IGNORECASE)
ARXIV_VOLUME = re.compile(r"\s*abs/(\S+?)\s*", re.IGNORECASE)


# Where else an entry names its arXiv id: Zotero writes an item's "arXiv:2303.08774 [cs]" (its Extra field) into
# ``note``, with a published version's own DOI and URL beside it; a hand-made @misc has ``howpublished = {arXiv preprint
# arXiv:2303.08774}`` or ``{\\url{https://arxiv.org/abs/2303.08774}}``. Read for a reading list only: a paper list's
# entry keeps the id (and page) that it had.
MENTIONED = re.compile(r"\barXiv\s*:\s*([\w./-]+?)[.,;)\]]*(?=\s|$)|((?:https?://)?(?:www\.|export\.)?arxiv\.org/"
                       r"(?:abs|pdf)/[^\s?#]+?)[.,;)\]]*(?=[\s?#]|$)", re.IGNORECASE)


def _mentioned_arxiv_id(fields: dict[str, object]) -> str | None:
    """The arXiv id that ``note`` or ``howpublished`` mentions ("arXiv:ID", an arXiv link), if any."""
    for name in ("note", "howpublished"):
        for found in MENTIONED.finditer(_text(fields.get(name))):
            arxiv_id = arxiv_id_in(found.group(1) or found.group(2))
            if arxiv_id:
                return arxiv_id
    return None


def _links(value: str) -> list[str]:
    """The links of a ``url`` field: Mendeley writes all of a paper's links into one, separated by spaces
    (``{http://arxiv.org/abs/1103.4130 http://www.nature.com/...}``); any other value is one link, as written."""
    parts = value.split()
    if len(parts) > 1 and all(http_link(part) for part in parts):
        return parts
    return [value] if value else []


def arxiv_id_in(value: str, read: Callable[[str], str | None] = normalize_arxiv_id) -> str | None:
    """The versionless arXiv id of an id, an arXiv URL, or an arXiv DOI (bare or as a doi.org URL); else None."""
    doi = ARXIV_DOI.match(value.strip())
    return read(doi.group(1) if doi else value)


# BibLaTeX's extended name format, as Zotero's Better BibLaTeX writes a name with a particle: "family=Oord,
# given=Aaron, prefix=van den, useprefix=true" (each part's braces are gone once decoded).
NAME_PART = re.compile(r"\s*([a-z-]+)\s*=\s*(.*?)\s*")


class _SplitNames(middlewares.SplitNameParts):
    """bibtexparser's splitting of names into BibTeX's parts, except that a name it cannot split ("Weilbach,", three
    names joined by commas) no longer makes the entry unreadable ("cannot read this entry; skipped: Cannot split the
    following name"): it is split as well as it can be and reported (``unsplit``); and a name in BibLaTeX's extended
    format is read by its parts."""

    def __init__(self) -> None:
        super().__init__(name_fields=("author",))  # the only names a page shows
        self.unsplit: list[tuple[Entry, str]] = []

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        for field in entry.fields:
            if field.key in self.name_fields and isinstance(field.value, list):
                field.value = [self._name(name, field.key, entry) for name in field.value]
        return entry

    def _name(self, name: str, role: str, entry: Entry) -> NameParts:
        parts = [NAME_PART.fullmatch(part) for part in name.split(",")]
        named = {found.group(1): found.group(2) for found in parts if found}
        if len(named) == len(parts) and ("family" in named or "given" in named):
            return NameParts(first=named.get("given", "").split(), von=named.get("prefix", "").split(),
                             last=named.get("family", "").split(), jr=named.get("suffix", "").split())
        try:
            return parse_single_name_into_parts(name)
        except InvalidNameError as error:
            split = parse_single_name_into_parts(name, strict=False)
            shown = " ".join(split.first + split.von + split.last + split.jr)
            self.unsplit.append((entry, f"{role} {name!r} cannot be split into first and last names ({error.reason});"
                                        f" read as {shown!r}"))
            return split


def _authors(value: object) -> tuple[str, ...]:
    """The names of a parsed ``author`` field, as written, "others" included (see ``_is_others``)."""
    if not isinstance(value, list):
        return ()
    names = []
    for name in value:
        parts = getattr(name, "first", []) + getattr(name, "von", []) + getattr(name, "last", [])
        if isinstance(name, str):
            parts = [name]
        jr = getattr(name, "jr", [])
        full = flatten(" ".join(parts) + (", " + " ".join(jr) if jr else ""))
        if full:
            names.append(full)
    return tuple(names)


def _is_others(name: str) -> bool:
    """BibTeX's ``and others`` (et al., as Google Scholar and Zotero write a long list) is no author: it had an
    author page of its own; the paper has more authors than those named."""
    return name.casefold() in ("others", "et al.", "et al")
