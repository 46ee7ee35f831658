"""Cut a document into chunks that keep their character offsets (book §6.3.1).

Every method returns ``(starts, ends)`` into the *original* text, trimmed of surrounding
white space, so a chunk is always ``text[start:end]`` and the chunk browser can draw it.

* ``chars``     fixed windows of ``size`` characters, stepping ``size - overlap``.
* ``tokens``    windows of ``size`` tokens of the packaged MiniLM WordPiece tokenizer (one
                token per Han character, word pieces for English), stepping ``size - overlap``.
* ``sentences`` whole sentences packed up to ``size`` characters; the next chunk repeats the
                last sentences of the previous one up to ``overlap`` characters.  Sentences
                end at . ! ? followed by a space, at 。！？ (no space in Chinese), and at line
                breaks; "3.14" and "e.g.x" do not end one.
* ``headings``  sections of a book or paper: markdown ``#`` lines (HTML and Word headings
                arrive as such), chapter and numbered section lines (``structure``); a
                section longer than ``size`` is packed by sentences inside it, so no chunk
                runs from one section into the next and each has one heading path.

Sentence packing (``sentences`` and ``headings``) keeps formulas, code blocks and tables
whole (``structure.blocks``) up to ``BLOCK_LIMIT`` times the chunk size; a longer one is cut
between its lines, never inside one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.core.rag.params import ChunkSettings
from workbench.core.rag.structure import blocks, headings

BLOCK_LIMIT = 4
"""A formula, code block or table up to this many chunk sizes is one unit (one chunk)."""

if TYPE_CHECKING:
    from tokenizers import Tokenizer

Spans = list[tuple[int, int]]

_SENTENCE_END = re.compile(
    r"[.!?]+[\"'”’)\]]*(?=\s|$)"  # Latin: terminator, closing quotes, then a space
    r"|[。！？!?]+[”’」』）)]*"  # CJK: no space follows
    r"|\n"
)


def chunk_text(text: str, settings: ChunkSettings) -> tuple[np.ndarray, np.ndarray]:
    """Chunk boundaries (int64 starts, ends) of ``text`` under ``settings``."""
    validate(settings)
    if settings.method == "chars":
        spans = _char_windows(0, len(text), settings.size, settings.overlap)
    elif settings.method == "tokens":
        spans = _windows(token_offsets(text), settings.size, settings.overlap)
    elif settings.method == "sentences":
        units, whole = _units(text, 0, len(text), settings.size)
        spans = _pack(units, settings.size, settings.overlap, whole)
    else:
        spans = _by_headings(text, settings.size, settings.overlap)
    trimmed = [span for span in (_trim(text, start, end) for start, end in spans) if span[1] > span[0]]
    if not trimmed:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    array = np.asarray(trimmed, dtype=np.int64)
    return array[:, 0].copy(), array[:, 1].copy()


def validate(settings: ChunkSettings) -> None:
    if settings.method not in ("chars", "tokens", "sentences", "headings"):
        raise InvalidParameters(
            f"Unknown chunking method {settings.method!r}; use chars, tokens, sentences or headings."
        )
    if settings.size < 1:
        raise InvalidParameters("The chunk size must be at least 1.")
    if not 0 <= settings.overlap < settings.size:
        raise InvalidParameters(
            f"The overlap ({settings.overlap}) must be at least 0 and smaller than the chunk size ({settings.size})."
        )


def page_numbers(starts: np.ndarray, page_starts: Sequence[int]) -> np.ndarray:
    """1-based page of each chunk start (int64), or −1 for documents without pages."""
    if not page_starts:
        return np.full(len(starts), -1, dtype=np.int64)
    return np.searchsorted(np.asarray(page_starts, dtype=np.int64), starts, side="right").astype(np.int64)


def sentence_spans(text: str, start: int, end: int) -> Spans:
    """Sentences (and lines) of ``text[start:end]``, trimmed, empty ones dropped."""
    spans: Spans = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append(_trim(text, cursor, match.end()))
        cursor = match.end()
    spans.append(_trim(text, cursor, end))
    return [span for span in spans if span[1] > span[0]]


@lru_cache(maxsize=1)
def _minilm_tokenizer() -> Tokenizer:
    from tokenizers import Tokenizer

    from workbench.core.rag.embedders import minilm_folder

    tokenizer = Tokenizer.from_file(str(minilm_folder() / "tokenizer.json"))
    tokenizer.no_truncation()  # the file truncates at the model's 128 tokens; a document is longer
    tokenizer.no_padding()
    return tokenizer


def token_offsets(text: str) -> Spans:
    """Character span of every MiniLM token of ``text`` (no special tokens)."""
    encoding = _minilm_tokenizer().encode(text, add_special_tokens=False)
    return [(start, end) for start, end in encoding.offsets if end > start]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _windows(units: Spans, size: int, overlap: int) -> Spans:
    """Windows of ``size`` units stepping ``size - overlap`` (the last one may be shorter)."""
    spans: Spans = []
    step = size - overlap
    for first in range(0, len(units), step):
        last = min(first + size, len(units)) - 1
        spans.append((units[first][0], units[last][1]))
        if last == len(units) - 1:
            break
    return spans


def _char_windows(start: int, end: int, size: int, overlap: int) -> Spans:
    """``_windows`` over single characters, without building one unit per character."""
    step = size - overlap
    spans: Spans = []
    for first in range(start, end, step):
        spans.append((first, min(first + size, end)))
        if first + size >= end:
            break
    return spans


def _units(text: str, start: int, end: int, size: int) -> tuple[Spans, set[tuple[int, int]]]:
    """Sentences of ``text[start:end]``, but each formula, code block or table up to
    ``BLOCK_LIMIT`` sizes as one unit (a longer one as its lines); and the set of those
    blocks, which packing must not cut even when longer than ``size``."""
    units: Spans = []
    whole: set[tuple[int, int]] = set()
    cursor = start
    for block_start, block_end in blocks(text, start, end):
        units.extend(sentence_spans(text, cursor, block_start))
        block = _trim(text, block_start, block_end)
        if block[1] - block[0] <= size * BLOCK_LIMIT:
            units.append(block)
            whole.add(block)
        else:
            units.extend(_trim(text, *line) for line in _lines(text, *block))
        cursor = block_end
    units.extend(sentence_spans(text, cursor, end))
    return [unit for unit in units if unit[1] > unit[0]], whole


def _lines(text: str, start: int, end: int) -> Spans:
    spans: Spans = []
    while start < end:
        stop = text.find("\n", start, end)
        stop = end if stop < 0 else stop
        spans.append((start, stop))
        start = stop + 1
    return spans


def _pack(units: Spans, size: int, overlap: int, whole: set[tuple[int, int]] | None = None) -> Spans:
    """Greedy packing of whole units into chunks of at most ``size`` characters.

    A unit longer than ``size`` is cut into character windows, unless it is in ``whole`` (a
    block kept whole): then it is a chunk of its own.  After each chunk the next
    one starts with the previous chunk's trailing units spanning at most ``overlap``
    characters — never all of them, so every chunk moves forward.
    """
    pieces: Spans = []
    for start, end in units:
        if end - start <= size or (start, end) in (whole or ()):
            pieces.append((start, end))
        else:
            pieces.extend(_char_windows(start, end, size, overlap))
    spans: Spans = []
    first = 0
    while first < len(pieces):
        last = first
        while last + 1 < len(pieces) and pieces[last + 1][1] - pieces[first][0] <= size:
            last += 1
        spans.append((pieces[first][0], pieces[last][1]))
        if last == len(pieces) - 1:
            break
        carried = last + 1
        while carried - 1 > first and pieces[last][1] - pieces[carried - 1][0] <= overlap:
            carried -= 1
        first = carried
    return spans


def _by_headings(text: str, size: int, overlap: int) -> Spans:
    found = {heading.start: heading for heading in headings(text)}
    starts = [0] + [start for start in found if start > 0]
    sections = list(zip(starts, [*starts[1:], len(text)]))
    merged: Spans = []
    carry: int | None = None
    for start, end in sections:
        begin = start if carry is None else carry
        heading_only = start in found and not text[found[start].end : end].strip()
        if heading_only and end < len(text):
            carry = begin  # a heading directly followed by a sub-heading joins the next section
            continue
        merged.append((begin, end))
        carry = None
    spans: Spans = []
    for start, end in merged:
        trimmed = _trim(text, start, end)
        if trimmed[1] - trimmed[0] <= size:
            spans.append(trimmed)
        else:
            units, whole = _units(text, start, end, size)
            spans.extend(_pack(units, size, overlap, whole))
    return spans
