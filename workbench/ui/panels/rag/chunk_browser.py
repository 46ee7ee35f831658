"""The chunk browser: a document's original text with its chunk boundaries drawn over it.

Chunks alternate between two tints and text shared by two chunks (the overlap of the
sliding window, book §6.3.1) gets a third, so size and overlap settings can be judged by
eye.  The same view shows a stored document and a preview of settings before indexing.
Clicking in the text selects the chunk under the cursor and reports its offsets and page.
A retrieved passage opened from the playground or Ask is selected, scrolled to, and its
matched query terms are marked in the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from workbench.core.rag.params import ChunkLayout
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.panels.rag.shading import (
    chunk_colour,
    match_colour,
    overlap_colour,
    qt_positions,
    selected_colour,
    text_offsets,
)
from workbench.ui.translatable import QT_TRANSLATE_NOOP

_CHUNKS = int(QTextCharFormat.Property.UserProperty) + 1
"""Format property holding the ordinals of the chunks a drawn segment belongs to."""
_MARK = int(QTextCharFormat.Property.UserProperty) + 2
"""Format property of a marked query term."""


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same chunks (one or, in an overlap, several)."""

    start: int
    end: int
    chunks: tuple[int, ...]


def segments(starts: np.ndarray, ends: np.ndarray) -> list[Segment]:
    """Cut the text at every chunk boundary; each piece knows which chunks cover it."""
    cuts = np.unique(np.concatenate([starts, ends]))
    pieces = []
    for left, right in pairwise(cuts):
        covering = tuple(int(i) for i in np.flatnonzero((starts <= left) & (ends >= right)))
        if covering:
            pieces.append(Segment(int(left), int(right), covering))
    return pieces


CHUNK_METHOD_NAMES = {
    "chars": QT_TRANSLATE_NOOP("ChunkBrowser", "characters"),
    "tokens": QT_TRANSLATE_NOOP("ChunkBrowser", "tokens"),
    "sentences": QT_TRANSLATE_NOOP("ChunkBrowser", "sentences"),
    "headings": QT_TRANSLATE_NOOP("ChunkBrowser", "headings"),
}
"""How a chunking method is named in the browser's summary (English, marked for translation)."""


def chunk_method_name(method: str) -> str:
    return QCoreApplication.translate("ChunkBrowser", CHUNK_METHOD_NAMES.get(method, method))


class ChunkBrowser(Retranslating, QWidget):
    sig_chunk_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)  # wraps under Present mode's text instead of widening the view
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.cursorPositionChanged.connect(self._on_cursor_moved)
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)  # a reading view: chunk edges must be easy to see
        self.text.setFont(font)
        self.chunk_info = QLabel(" ")
        self.chunk_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.chunk_info)
        self._layout: ChunkLayout | None = None
        self._segments: list[Segment] = []
        self._selected: int | None = None
        self._marks: list[tuple[int, int]] = []
        self._preview = False
        self._message = QT_TRANSLATE_NOOP(
            "RagPanel", "Select a document in the library, or preview chunk settings on a file."
        )
        """What the summary says with no document shown (English, marked in the ``RagPanel`` context)."""
        self.retranslate()

    def retranslate(self) -> None:
        self._update_legend()
        self._describe()
        if self._layout is not None and self._selected is not None:
            self.chunk_info.setText(self._chunk_description(self._selected))

    def _describe(self) -> None:
        """Title, summary and the chunk hint of what is shown, in the interface language."""
        layout = self._layout
        if layout is None:
            self.title.setText(self.tr("No document"))
            self.summary.setText(QCoreApplication.translate("RagPanel", self._message))
            return
        what = self.tr("Preview (not indexed)") if self._preview else self.tr("Document")
        self.title.setText(f"{what} · {layout.title}")
        settings = layout.chunking
        message = translate_core_message(layout.message)
        if layout.message and not layout.text:
            self.summary.setText(message)
        else:
            overlap = sum(s.end - s.start for s in self._segments if len(s.chunks) > 1)
            self.summary.setText(
                self.tr("{chunks} chunks · {characters} characters · {method}, size {size}, overlap {overlap} · "
                        "{overlapping} characters in overlaps").format(
                    chunks=len(layout.starts), characters=f"{len(layout.text):,}", method=chunk_method_name(settings.method),
                    size=settings.size, overlap=settings.overlap, overlapping=f"{overlap:,}")
                + (f" · {message}" if layout.message else "")
            )  # fmt: skip
        if self._selected is None:
            self.chunk_info.setText(self.tr("Click in the text to inspect a chunk."))

    # -- showing -------------------------------------------------------------------------
    def show_layout(
        self, layout: ChunkLayout, *, preview: bool = False, focus: tuple[int, int] | None = None,
        marks: list[tuple[int, int]] | None = None,
    ) -> None:  # fmt: skip
        """Draw ``layout``; a preview says that nothing of it is indexed yet.

        ``focus`` (start, end) selects and scrolls to that chunk; ``marks`` are document
        offsets of query terms to mark (a retrieved passage's ``matched`` spans).
        """
        self._layout = layout
        self._selected = None
        self._marks = list(marks or [])
        self._segments = segments(layout.starts, layout.ends)
        self._preview = preview
        self._describe()
        self.text.blockSignals(True)
        self.text.setPlainText(layout.text)
        self.text.blockSignals(False)
        self._draw()
        if focus is not None:
            found = np.flatnonzero((layout.starts == focus[0]) & (layout.ends == focus[1]))
            if len(found):
                self.select_chunk(int(found[0]))
                cursor = QTextCursor(self.text.document())
                cursor.setPosition(int(qt_positions(layout.text, [focus[0]])[0]))
                self.text.blockSignals(True)  # scrolling there is not a click: keep the chunk chosen
                self.text.setTextCursor(cursor)
                self.text.centerCursor()
                self.text.blockSignals(False)

    def clear(self, message: str) -> None:
        """Show no document; ``message``: English, marked in the ``RagPanel`` context."""
        self._layout, self._segments, self._selected, self._marks = None, [], None, []
        self._message = message
        self._describe()
        self.text.setPlainText("")
        self.chunk_info.setText(" ")

    def select_chunk(self, ordinal: int) -> None:
        """Highlight chunk ``ordinal`` and describe it (offsets, length, page, overlaps)."""
        layout = self._layout
        if layout is None or not 0 <= ordinal < len(layout.starts):
            return
        self._selected = ordinal
        self.chunk_info.setText(self._chunk_description(ordinal))
        self._draw()
        self.sig_chunk_selected.emit(ordinal)

    def _chunk_description(self, ordinal: int) -> str:
        layout = self._layout
        assert layout is not None
        start, end = int(layout.starts[ordinal]), int(layout.ends[ordinal])
        parts = [
            self.tr("Chunk {number} of {count}").format(number=ordinal + 1, count=len(layout.starts)),
            self.tr("characters {start}–{end} ({length})").format(start=start, end=end, length=end - start),
        ]
        page = int(layout.pages[ordinal]) if len(layout.pages) else -1
        if page >= 0:
            parts.append(self.tr("page {page}").format(page=page))
        if ordinal < len(layout.headings) and layout.headings[ordinal]:
            parts.append(layout.headings[ordinal])
        if ordinal > 0 and layout.starts[ordinal] < layout.ends[ordinal - 1]:
            parts.append(
                self.tr("overlaps the previous chunk by {count}").format(count=int(layout.ends[ordinal - 1] - start))
            )
        return " · ".join(parts)

    # -- reading back what is drawn (tests, export) ------------------------------------------
    def drawn_ranges(self) -> list[tuple[int, int]]:
        """(start, end) of every chunk as drawn, in text offsets, from the selections shown."""
        spans: dict[int, list[int]] = {}
        text = self._layout.text if self._layout else ""
        for selection in self.text.extraSelections():
            chunks = selection.format.property(_CHUNKS)
            if not chunks:
                continue
            start, end = text_offsets(text, [selection.cursor.selectionStart(), selection.cursor.selectionEnd()])
            for ordinal in chunks:
                low, high = spans.setdefault(int(ordinal), [int(start), int(end)])
                spans[int(ordinal)] = [min(low, int(start)), max(high, int(end))]
        return [tuple(spans[i]) for i in sorted(spans)]  # type: ignore[misc]  # tuple() of a row: mypy cannot size it to the declared tuple type

    def marked_texts(self) -> list[str]:
        """The query terms marked in the text, as shown."""
        return [s.cursor.selectedText() for s in self.text.extraSelections() if s.format.property(_MARK)]

    def drawn_overlaps(self) -> list[tuple[int, int]]:
        """(start, end) of the stretches drawn as belonging to two chunks."""
        text = self._layout.text if self._layout else ""
        found = []
        for selection in self.text.extraSelections():
            chunks = selection.format.property(_CHUNKS)
            if chunks and len(chunks) > 1:
                start, end = text_offsets(text, [selection.cursor.selectionStart(), selection.cursor.selectionEnd()])
                found.append((int(start), int(end)))
        return found

    # -- internals ------------------------------------------------------------------------
    def _draw(self) -> None:
        layout = self._layout
        if layout is None:
            self.text.setExtraSelections([])
            return
        palette = self.palette()
        bounds = qt_positions(layout.text, [b for s in self._segments for b in (s.start, s.end)])
        selections = []
        for number, segment in enumerate(self._segments):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(int(bounds[2 * number]))
            cursor.setPosition(int(bounds[2 * number + 1]), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            if self._selected is not None and self._selected in segment.chunks:
                colour = selected_colour(palette)
            elif len(segment.chunks) > 1:
                colour = overlap_colour(palette)
            else:
                colour = chunk_colour(palette, segment.chunks[0])
            selection.format.setBackground(colour)
            selection.format.setProperty(_CHUNKS, list(segment.chunks))
            selections.append(selection)
        for start, end in self._marks:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            low, high = qt_positions(layout.text, [start, end])
            cursor.setPosition(int(low))
            cursor.setPosition(int(high), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format.setBackground(match_colour(palette))
            selection.format.setFontWeight(700)
            selection.format.setProperty(_MARK, True)
            selections.append(selection)
        self.text.setExtraSelections(selections)

    def _on_cursor_moved(self) -> None:
        layout = self._layout
        if layout is None or not len(layout.starts):
            return
        (offset,) = text_offsets(layout.text, [self.text.textCursor().position()])
        inside = np.flatnonzero((layout.starts <= offset) & (layout.ends > offset))
        if len(inside):
            self.select_chunk(int(inside[-1] if self._selected in inside[:-1] else inside[0]))

    def _update_legend(self) -> None:
        palette = self.palette()
        swatches = (
            (chunk_colour(palette, 0), self.tr("chunk")),
            (chunk_colour(palette, 1), self.tr("next chunk")),
            (overlap_colour(palette), self.tr("overlap")),
            (selected_colour(palette), self.tr("selected")),
        )
        self.legend.setText(
            "&nbsp;&nbsp;".join(
                f'<span style="background:{colour.name()}">&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{label}'
                for colour, label in swatches
            )
        )

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._update_legend()
            self._draw()
