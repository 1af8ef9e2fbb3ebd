"""Limits on what a page's Markdown may ask of the converter.

Python-Markdown's work grows faster than the file for some constructs, and
deep nesting ends in RecursionError. Issue 15 measured 91 s for a release of
236 KB with 19,000 abbreviation definitions (the time grows with their
square). Converting one body with the site's extensions on a busy two-core
machine, we also measured: 5,000 references to one footnote (29 KB) 20 s;
10,000 unclosed "[" (10 KB) 10 s, each read to the end of its paragraph;
8,000 "<a " never closed by ">" (39 KB) 10 s, each read to the next ">";
20,000 headings or rules in one block without an empty line (78 KB) 34 s;
20,000 inline elements in one paragraph (176 KB) 2.5 s; lists nested 260
deep, item under item, and emphasis nested 2,000 deep raise RecursionError.
Tables, attr_list, many headings with one text, long lists and long files of
ordinary paragraphs grow with the file.

Each limit below is far above what a release, a programme page or the author
guide uses, and bounds one of those costs. Within them, the slowest 250 KB
bodies we could build (ATX headings or setext headings in blocks of 200
lines, emphasis 200 deep in every paragraph, quotations 10 deep) took at
most about twice as long as an ordinary 250 KB file of 200-row tables: a few
seconds on the busy machine, against minutes. The text is checked before
Markdown sees it, in the build and in `make check`, with the same words.
Fenced code blocks are left out (Markdown sets them aside first), and so are
code spans where Markdown reads them as code.
"""

from __future__ import annotations

import re

from newsroom.problems import Problem

MAX_ABBREVIATIONS = 100  # *[UN]: United Nations
MAX_FOOTNOTE_MARKS = 200  # [^1] in the text and [^1]: at the note, together
MAX_DEPTH = 10  # lists and quotations inside each other
MAX_BLOCK_LINES = 200  # lines of one paragraph, list, table or quotation
MAX_BLOCK_CHARACTERS = 20_000
MAX_BRACKET_DEPTH = 5  # [ inside [
MAX_EMPHASIS_MARKS = 400  # * and _ in one paragraph: at most 200 levels of emphasis

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ABBREVIATION = re.compile(r"^\*\[[^\]]*\]:")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_ESCAPE = re.compile(r"\\.", re.S)
_TAG_START = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*")
_RULE = re.compile(r"^[ \t*_-]+$")
_NEWLINE = re.compile("\n")
_NOT_NEWLINE = re.compile("[^\n]")
_BRACKET = re.compile(r"[\[\]]")


def problems(body: str, shown: str, first_line: int) -> list[Problem]:
    """What in a body would make Markdown slow or fail. Each kind of problem
    is named once, at its first line, with how many more places have it:
    a generated file can have thousands, and the first shows the fix."""
    found: dict[str, list[tuple[int, str]]] = {}

    def add(rule: str, number: int, message: str) -> None:
        found.setdefault(rule, []).append((number, message))

    abbreviations = footnotes = 0
    for block in _blocks(body):
        numbers = [number for number, _ in block]
        for number, line in block:
            if _ABBREVIATION.match(line):
                abbreviations += 1
                if abbreviations == MAX_ABBREVIATIONS + 1:
                    add("abbreviations", number, f"this is abbreviation definition number {MAX_ABBREVIATIONS + 1} (a line starting with *[); a page may define at most {MAX_ABBREVIATIONS}, as Markdown looks for every one in every sentence. Keep the abbreviations the text uses.")
            if _depth(line) > MAX_DEPTH:
                add("depth", number, f"a list or quotation is nested more than {MAX_DEPTH} levels deep here. Bring this part up: remove four spaces, or one >, for each level too many.")
        text = "\n".join(line for _, line in block)
        if len(block) > MAX_BLOCK_LINES or len(text) > MAX_BLOCK_CHARACTERS:
            add("block", numbers[0], f"this paragraph, list, table or quotation runs for {_count(len(block), 'line')} and {_count(len(text), 'character')} without an empty line; the limit is {MAX_BLOCK_LINES:,} lines and {MAX_BLOCK_CHARACTERS:,} characters. Split it with empty lines into shorter parts (a long table into several tables, each with its header row).")
            continue  # read no further: the checks below are for blocks of a bounded size
        # What Markdown reads as text: code spans and escaped characters blanked.
        plain = _CODE_SPAN.sub(_blank, text) if "`" in text else text
        plain = _ESCAPE.sub("  ", plain) if "\\" in plain else plain
        offsets = _line_offsets(plain, numbers)
        marks = plain.count("[^")
        if footnotes <= MAX_FOOTNOTE_MARKS < footnotes + marks:
            add("footnotes", offsets(_nth(plain, "[^", MAX_FOOTNOTE_MARKS - footnotes)), f"this is footnote mark number {MAX_FOOTNOTE_MARKS + 1} ([^...] in the text or at a note); a page may have at most {MAX_FOOTNOTE_MARKS}. Move the notes to a document the page links to, or split the page.")
        footnotes += marks
        for rule, at, message in (*_brackets(plain), *_tags(plain)):
            add(rule, offsets(at), message)
        emphasis = sum(line.count("*") + line.count("_") for line in plain.split("\n") if not _RULE.match(line))
        if emphasis > MAX_EMPHASIS_MARKS:
            add("emphasis", numbers[0], f"this paragraph has {emphasis:,} * and _ characters; the limit is {MAX_EMPHASIS_MARKS} in one paragraph, as each pair is a level of emphasis inside the others. Split the paragraph, or write \\* and \\_ for the characters themselves.")
    out = []
    for places in found.values():
        (number, message), more = places[0], len(places) - 1
        if more:
            message += f" The same on {_count(more, 'more line')} after this one."
        out.append(Problem(shown, first_line + number, "", message))
    return sorted(out, key=lambda p: p.line)


def _blank(code: re.Match) -> str:
    """A code span as spaces, its lines kept: Markdown reads nothing in it."""
    return _NOT_NEWLINE.sub(" ", code.group())


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _blocks(body: str) -> list[list[tuple[int, str]]]:
    """The body's lines between empty lines, numbered from 0, fenced code left out."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    fence = ""
    for number, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) and not line.strip().strip(fence[0]):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            if current:
                blocks.append(current)
                current = []
            continue
        if line.strip():
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _depth(line: str) -> int:
    """How deep a line sits in lists and quotations: one level for each >
    (and the space after it), and one for every four columns of indentation."""
    quotes = columns = 0
    after_marker = False
    for char in line:
        if char == ">":
            quotes += 1
            after_marker = True
            continue
        if char == " " and after_marker:
            after_marker = False
            continue
        if char not in " \t":
            break
        columns += 4 if char == "\t" else 1
        after_marker = False
    return quotes + columns // 4


def _line_offsets(text: str, numbers: list[int]):
    """A function from a character offset in the block to the line's number."""
    starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def number(offset: int) -> int:
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return numbers[low]

    return number


def _nth(text: str, needle: str, n: int) -> int:
    """The offset of the (n+1)th needle."""
    at = -1
    for _ in range(n + 1):
        at = text.index(needle, at + 1)
    return at


def _brackets(text: str) -> list[tuple[str, int, str]]:
    """Every "[" is closed in its paragraph, and they nest at most a few deep:
    Markdown reads from each "[" to its "]", or to the end of the paragraph."""
    open_at: list[int] = []
    found = []
    for bracket in _BRACKET.finditer(text):
        at, char = bracket.start(), bracket.group()
        if char == "[":
            open_at.append(at)
            if len(open_at) == MAX_BRACKET_DEPTH + 1:
                found.append(("nested brackets", at, f'square brackets are nested {MAX_BRACKET_DEPTH + 1} deep here; the limit is {MAX_BRACKET_DEPTH}. Take some out, or write \\[ and \\] for the brackets themselves.'))
        elif char == "]" and open_at:
            open_at.pop()
    if open_at:
        found.append(("unclosed bracket", open_at[0], 'this "[" is not closed with "]" in its paragraph. Close it, or write \\[ to show a bracket.'))
    return found


def _tags(text: str) -> list[tuple[str, int, str]]:
    """A "<" that starts a tag is closed by ">" before the next "<": Markdown
    reads from each one to the next ">", however far."""
    found = []
    for match in _TAG_START.finditer(text):
        start = match.start()
        close = text.find(">", start)
        following = text.find("<", start + 1)
        if close == -1 or (following != -1 and following < close):
            found.append(("unclosed tag", start, f'the tag "{match.group()}" is not closed with ">" before the next "<". Close it, or write &lt; to show a "<".'))
            break  # one is enough to find the place
    return found
