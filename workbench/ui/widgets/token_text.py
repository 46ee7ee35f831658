"""Text shown token by token: each token tinted by a probability, with a hover card and clicks.

Plain strings and floats in (``TokenSpan``), no model and no store, so the Sampling lab's
generation, its side-by-side columns and the perplexity view all use the same widget.
Neighbouring tokens alternate slightly in strength so their boundaries stay visible even
when two tokens are equally likely.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from workbench.ui.widgets.probability_colours import probability_colour

Emphasis = Literal["normal", "muted", "mark", "strong"]


@dataclass(frozen=True)
class TokenSpan:
    """One token as shown: its text, the probability that tints it, and its hover card."""

    text: str
    probability: float | None = None
    """None leaves the token untinted."""
    tooltip: str = ""
    """Rich text shown on hover."""
    emphasis: Emphasis = "normal"
    """``muted``: greyed (e.g. a prefix shared with another column); ``mark``: bold and
    underlined (e.g. a token forced at a branch point); ``strong``: in the accent colour
    (e.g. where two generations part)."""


def visible_token(text: str) -> str:
    """A token's text with its invisible characters drawn: ␣ for edge spaces, ↵, ⇥.

    Tokens of byte-level BPE start with their space (`` the``); in a list of candidates the
    space matters, so it is shown.  Inside running text only line breaks need a glyph, see
    ``TokenTextView``.
    """
    if not text:
        return "∅"
    shown = text.replace("\n", "↵").replace("\t", "⇥").replace("\r", "")
    stripped = shown.strip(" ")
    if not stripped:
        return "␣" * len(shown)
    leading = len(shown) - len(shown.lstrip(" "))
    trailing = len(shown) - len(shown.rstrip(" "))
    return "␣" * leading + stripped + "␣" * trailing


def _utf16_length(text: str) -> int:
    """Length in Qt's units (UTF-16 code units), so positions agree with ``QTextCursor``."""
    return len(text.encode("utf-16-le")) // 2


class TokenTextView(QTextEdit):
    """Read-only text of a prefix (muted) followed by tinted tokens.

    Hovering a token shows its tooltip; a left click emits ``sig_token_clicked(index)``;
    a right click emits ``sig_token_menu_requested(index, global position)``.
    """

    sig_token_clicked = Signal(int)
    sig_token_menu_requested = Signal(int, QPoint)

    def __init__(self, font_scale: float = 1.3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._font_scale = font_scale
        self._prefix = ""
        self._spans: list[TokenSpan] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._selected: int | None = None
        self._placeholder = ""
        self._apply_font()

    # -- placeholder -----------------------------------------------------------------
    # Qt draws a QTextEdit's placeholder inside the empty first line's box, so a placeholder
    # that wraps is cut off after its first line (seen at 1440×900 in the Sampling lab); this
    # view draws its own, wrapped across the whole viewport.
    def setPlaceholderText(self, text: str) -> None:
        self._placeholder = text
        self.viewport().update()

    def placeholderText(self) -> str:
        return self._placeholder

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._placeholder or not self.document().isEmpty():
            return
        margin = round(self.document().documentMargin())
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.setFont(self.document().defaultFont())
        area = self.viewport().rect().adjusted(margin, margin, -margin, -margin)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(area, int(flags), self._placeholder)
        painter.end()

    # -- content ---------------------------------------------------------------------
    def set_content(self, prefix: str, spans: Sequence[TokenSpan]) -> None:
        """Replace everything: ``prefix`` (e.g. the prompt) in muted text, then the tokens."""
        self._prefix = prefix
        self._spans = []
        self._starts, self._ends = [], []
        self._selected = None
        self.clear()
        cursor = QTextCursor(self.document())
        muted = QTextCharFormat()
        muted.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        cursor.insertText(prefix, muted)
        self._insert(cursor, spans)
        self.setExtraSelections([])

    def append_spans(self, spans: Sequence[TokenSpan]) -> None:
        """Add tokens at the end without redrawing the ones already shown (live generation)."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._insert(cursor, spans)

    def replace_spans(self, spans: Sequence[TokenSpan]) -> None:
        """Show ``spans``, appending only when they extend what is shown (same texts so far)."""
        shown = len(self._spans)
        if len(spans) >= shown and all(a.text == b.text for a, b in zip(spans, self._spans)):
            self.append_spans(spans[shown:])
        else:
            self.set_content(self._prefix, spans)

    def set_selected(self, index: int | None) -> None:
        """Outline one token in the highlight colour (the step the inspector shows)."""
        self._selected = index if index is not None and 0 <= index < len(self._spans) else None
        if self._selected is None:
            self.setExtraSelections([])
            return
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor_over(self._selected)
        selection.format.setBackground(self.palette().color(QPalette.ColorRole.Highlight))
        selection.format.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
        self.setExtraSelections([selection])

    # -- reading back ------------------------------------------------------------------
    def token_count(self) -> int:
        return len(self._spans)

    def spans(self) -> tuple[TokenSpan, ...]:
        return tuple(self._spans)

    def prefix(self) -> str:
        return self._prefix

    def selected(self) -> int | None:
        return self._selected

    def token_at(self, point: QPoint) -> int | None:
        """The token under ``point`` (viewport coordinates), or None between and after tokens."""
        layout = self.document().documentLayout()
        offset = QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        position = layout.hitTest(point + offset, Qt.HitTestAccuracy.FuzzyHit)
        for candidate in (position - 1, position):
            if candidate < 0:
                continue
            left, right = self._char_rect(candidate), self._char_rect(candidate + 1)
            if left.top() != right.top():  # the character ends its line: use the viewport's edge
                right = QRect(self.viewport().width(), left.top(), 0, left.height())
            if left.left() <= point.x() < right.left() and left.top() <= point.y() <= left.bottom():
                return self._token_of_position(candidate)
        return None

    def token_rect(self, index: int) -> QRect:
        """Viewport rectangle of the first character of token ``index`` (to click it in tests)."""
        start = self._starts[index]
        left, right = self._char_rect(start), self._char_rect(start + 1)
        width = max(2, right.left() - left.left()) if right.top() == left.top() else 6
        return QRect(left.left(), left.top(), width, left.height())

    # -- events ------------------------------------------------------------------------
    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.token_at(event.pos())  # type: ignore[attr-defined]  # a ToolTip event is a QHelpEvent; the stubs give viewportEvent a QEvent
            if index is not None and self._spans[index].tooltip:
                QToolTip.showText(event.globalPos(), self._spans[index].tooltip, self.viewport())  # type: ignore[attr-defined]  # a ToolTip event is a QHelpEvent; the stubs give viewportEvent a QEvent
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        index = self.token_at(event.position().toPoint())
        if index is not None:
            self.sig_token_clicked.emit(index)

    def contextMenuEvent(self, event) -> None:
        index = self.token_at(event.pos())
        if index is None:
            super().contextMenuEvent(event)
            return
        self.sig_token_menu_requested.emit(index, event.globalPos())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            if event.type() == QEvent.Type.FontChange:
                self._apply_font()
            spans, selected = list(self._spans), self._selected
            self.set_content(self._prefix, spans)
            self.set_selected(selected)

    # -- internals ---------------------------------------------------------------------
    def _apply_font(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, self.font().pointSizeF() * self._font_scale))
        self.document().setDefaultFont(font)

    def _insert(self, cursor: QTextCursor, spans: Sequence[TokenSpan]) -> None:
        position = cursor.position()
        for span in spans:
            shown = span.text.replace("\n", "↵\n").replace("\t", "⇥") or "∅"
            cursor.insertText(shown, self._format(span, len(self._spans)))
            self._spans.append(span)
            self._starts.append(position)
            position += _utf16_length(shown)
            self._ends.append(position)

    def _format(self, span: TokenSpan, index: int) -> QTextCharFormat:
        palette = self.palette()
        fmt = QTextCharFormat()
        fmt.setForeground(palette.color(QPalette.ColorRole.Text))
        if span.emphasis == "strong":
            fmt.setBackground(palette.color(QPalette.ColorRole.Highlight))
            fmt.setForeground(QColor("white"))
            fmt.setFontWeight(QFont.Weight.DemiBold)
            return fmt
        if span.emphasis == "muted":
            fmt.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
        if span.probability is not None:
            strength = 1.0 if index % 2 == 0 else 0.72
            fmt.setBackground(probability_colour(span.probability, palette, strength))
        if span.emphasis == "mark":
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontUnderline(True)
            fmt.setUnderlineColor(palette.color(QPalette.ColorRole.Highlight))
        return fmt

    def _cursor_over(self, index: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._starts[index])
        cursor.setPosition(self._ends[index], QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _char_rect(self, position: int) -> QRect:
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        return self.cursorRect(cursor)

    def _token_of_position(self, position: int) -> int | None:
        index = bisect.bisect_right(self._starts, position) - 1
        if 0 <= index < len(self._spans) and position < self._ends[index]:
            return index
        return None
