"""The structure of a book or paper in plain text: its headings and the blocks a chunk must not cut.

Text from PDFs and plain-text books has no markup, so headings are recognised by their shape:

* markdown ``#`` lines (HTML and Word headings arrive as such; level = the number of ``#``);
* chapter lines, ``第 5 章 模型编辑`` or ``Chapter 5 Model editing`` (level 1), and bare
  ``5 模型编辑`` lines when the next numbered section is a 5.x or the line numbers the chapter
  after the previous one (a bare number alone would take every numbered list item for a chapter);
* numbered section lines, ``5.4 定位编辑法: ROME`` (level = the number's parts: 5.4 → 2,
  5.4.1 → 3) — a short line that does not read as a sentence.

A table of contents prints the same lines followed by a page number (``5.4\t定位编辑法\t210``);
those are not headings.  A book repeats its chapter title at the top of every page (a running
head); a chapter line with the number of the chapter already open is one of those and changes
nothing.  The heading path of a position is the chain of open headings above it,
``第 5 章 模型编辑 › 5.4 定位编辑法: ROME``: what the chunk browser and each hit show.

Blocks kept whole: display formulas (``$$ … $$``, which may hold a 。 that would end a
sentence), fenced code (```` ``` ````) and tables (runs of lines with two or more tabs, or
markdown ``|`` rows).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np

PATH_SEPARATOR = " › "
MAX_HEADING_CHARS = 60
"""A numbered line longer than this is a numbered paragraph or list item, not a heading."""

_MARKDOWN = re.compile(r"^(#{1,6})[ \t]+(\S.*?)[ \t#]*$", re.MULTILINE)
_CHAPTER = re.compile(
    r"^[ \t]*(?:第[ \t]*([0-9一二三四五六七八九十百]+)[ \t]*章|Chapter[ \t]+(\d+))(?:[ \t]+(\S.*?))?[ \t]*$",
    re.MULTILINE,
)
_NUMBERED = re.compile(r"^[ \t]*(\d{1,2}(?:\.\d{1,2}){1,3})[ \t]+(\S.*?)[ \t]*$", re.MULTILINE)
_BARE_CHAPTER = re.compile(r"^(\d{1,2})[ \t]+(\D.*?)[ \t]*$", re.MULTILINE)
_TOC_PAGE = re.compile(r"\t\s*\d+$")
_SENTENCE_MARKS = re.compile(r"[。，；！？,;]|[.!?](\s|$)")
_BLOCKS = re.compile(
    r"^\$\$.*?\$\$[ \t]*$"  # display formula, one line or many
    r"|^```.*?^```[ \t]*$"  # fenced code
    r"|(?:^(?:[^\n]*\t[^\n]*\t[^\n]*|[ \t]*\|[^\n]*\|[ \t]*)(?:\n|$))+",  # table rows
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Heading:
    start: int
    """Offset of the heading line's first character."""
    end: int
    level: int
    label: str
    """The heading as shown: its number and title, runs of white space made one space."""


def headings(text: str) -> list[Heading]:
    """The headings of ``text`` in order (running heads and table-of-contents lines left out)."""
    found: list[Heading] = []
    for match in _MARKDOWN.finditer(text):
        found.append(Heading(match.start(), match.end(), len(match.group(1)), _label(match.group(2))))
    for match in _CHAPTER.finditer(text):
        if _TOC_PAGE.search(match.group(0)):
            continue
        found.append(Heading(match.start(), match.end(), 1, _label(match.group(0))))
    for match in _NUMBERED.finditer(text):
        line, title = match.group(0), match.group(2)
        if _TOC_PAGE.search(line) or len(line.strip()) > MAX_HEADING_CHARS or _SENTENCE_MARKS.search(title):
            continue
        found.append(Heading(match.start(), match.end(), match.group(1).count(".") + 1, _label(line)))
    found.extend(_bare_chapters(text, found))
    inside = blocks(text, 0, len(text))  # a "# comment" in code is not a heading
    found = [h for h in found if not any(start <= h.start < end for start, end in inside)]
    found.sort(key=lambda heading: heading.start)
    return _without_running_heads(found)


@dataclass(frozen=True)
class Outline:
    """A document's heading paths, found once and then looked up per offset."""

    starts: np.ndarray
    """Offset of each heading (int64, ascending)."""
    paths: list[str]
    """``paths[i + 1]``: the path from heading ``i`` on; ``paths[0]`` = "" (before any heading)."""

    @classmethod
    def of(cls, text: str) -> Outline:
        found = headings(text)
        paths: list[str] = [""]
        stack: list[Heading] = []
        for heading in found:
            while stack and stack[-1].level >= heading.level:
                stack.pop()
            stack.append(heading)
            paths.append(PATH_SEPARATOR.join(h.label for h in stack))
        return cls(np.asarray([h.start for h in found], dtype=np.int64), paths)

    def paths_at(self, offsets: np.ndarray) -> list[str]:
        """The heading path in force at each offset (a heading's own line belongs to it)."""
        found = np.searchsorted(self.starts, np.asarray(offsets, np.int64), side="right")
        return [self.paths[int(i)] for i in found]


def heading_paths(text: str, starts: np.ndarray) -> list[str]:
    """The heading path in force at each offset in ``starts`` ("" before the first heading)."""
    return Outline.of(text).paths_at(starts)


def blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` that a chunk boundary must not cut: formulas, code, tables."""
    return [(m.start(), m.end()) for m in _BLOCKS.finditer(text, start, end) if m.end() > m.start()]


def _bare_chapters(text: str, others: list[Heading]) -> list[Heading]:
    """``N title`` lines that open chapter N: the next numbered section is N.x, or the
    previous such chapter was N − 1."""
    sections = sorted((h.start, _number(h.label)) for h in others if h.level > 1)
    section_starts = [start for start, _ in sections]
    found: list[Heading] = []
    previous = 0
    for match in _BARE_CHAPTER.finditer(text):
        line, number = match.group(0), int(match.group(1))
        if _TOC_PAGE.search(line) or len(line) > MAX_HEADING_CHARS or _SENTENCE_MARKS.search(match.group(2)):
            continue
        after = bisect.bisect_right(section_starts, match.start())
        following = sections[after][1] if after < len(sections) else ""
        if following.split(".")[0] == str(number) or (previous and number == previous + 1):
            found.append(Heading(match.start(), match.end(), 1, _label(line)))
            previous = number
    return found


def _label(raw: str) -> str:
    return " ".join(raw.lstrip("#").split())


def _without_running_heads(found: list[Heading]) -> list[Heading]:
    """Drop a heading whose label repeats the one of its level already open (a page's running head)."""
    kept: list[Heading] = []
    open_at: dict[int, str] = {}
    for heading in found:
        if open_at.get(heading.level) == _number(heading.label):
            continue
        open_at = {level: label for level, label in open_at.items() if level < heading.level}
        open_at[heading.level] = _number(heading.label)
        kept.append(heading)
    return kept


def _number(label: str) -> str:
    """A heading's number (``第 5 章`` → ``5``, ``5.4 …`` → ``5.4``), else the label itself."""
    match = re.match(r"(?:第\s*)?([0-9一二三四五六七八九十百]+(?:\.\d+)*)", label) or re.match(
        r"Chapter\s+(\d+)", label
    )
    return match.group(1) if match else label
