"""The prompt's tokens as chips; dragging across chips selects the subject.

Drawn by one widget (not a widget per chip), so a long prompt costs one paint.  The
selection is a token span ``[start, end)``; ``select_span`` sets it from code (the typed
subject) without emitting, and a drag emits ``sig_span_selected`` when the mouse is released.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.ui.language import Retranslating
from workbench.ui.widgets.token_text import visible_token

PAD_X, PAD_Y, GAP = 6, 3, 4


class TokenChips(Retranslating, QWidget):
    sig_span_selected = Signal(int, int)  # start, end (exclusive)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens: list[str] = []
        self._span: tuple[int, int] | None = None
        self._anchor: int | None = None
        self._rects: list[QRect] = []
        self._placeholder = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMouseTracking(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.set_placeholder(self.tr("Tokens appear here once a model is loaded."))
        self.setToolTip(self.tr("Drag across the tokens of the subject"))

    # -- public API -------------------------------------------------------------------
    def set_tokens(self, tokens: Sequence[str]) -> None:
        self._tokens = [visible_token(token) for token in tokens]
        self._span = None
        self._relayout()

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.update()

    def tokens(self) -> list[str]:
        return list(self._tokens)

    def select_span(self, span: tuple[int, int] | None) -> None:
        """Mark ``span`` as the subject (no signal); None clears the mark."""
        if span is not None and not (0 <= span[0] < span[1] <= len(self._tokens)):
            span = None
        self._span = span
        self.update()

    def selected_span(self) -> tuple[int, int] | None:
        return self._span

    def chip_rect(self, index: int) -> QRect:
        """Where chip ``index`` is drawn (tests drag between chip centres)."""
        return QRect(self._rects[index])

    # -- mouse ------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._chip_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and index is not None:
            self._anchor = index
            self._span = (index, index + 1)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._anchor is None:
            return
        index = self._chip_at(event.position().toPoint(), nearest=True)
        if index is not None:
            self._span = (min(self._anchor, index), max(self._anchor, index) + 1)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._anchor is None:
            return
        self.mouseMoveEvent(event)
        self._anchor = None
        if self._span is not None:
            self.sig_span_selected.emit(*self._span)

    # -- layout and painting ------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def sizeHint(self) -> QSize:
        return QSize(300, self.heightForWidth(max(self.width(), 300)))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rects = self._flow(width)
        return (rects[-1].bottom() + GAP + 1) if rects else QFontMetrics(self.font()).height() + 2 * PAD_Y + GAP

    def _flow(self, width: int) -> list[QRect]:
        metrics = QFontMetrics(self.font())
        height = metrics.height() + 2 * PAD_Y
        x = y = 0
        rects = []
        for token in self._tokens:
            w = metrics.horizontalAdvance(token) + 2 * PAD_X
            if x > 0 and x + w > width:
                x, y = 0, y + height + GAP
            rects.append(QRect(x, y, w, height))
            x += w + GAP
        return rects

    def _relayout(self) -> None:
        self._rects = self._flow(max(self.width(), 100))
        self.updateGeometry()
        self.update()

    def _chip_at(self, point: QPoint, nearest: bool = False) -> int | None:
        for i, rect in enumerate(self._rects):
            if rect.adjusted(-GAP // 2, -GAP // 2, GAP // 2, GAP // 2).contains(point):
                return i
        if nearest and self._rects:
            return min(range(len(self._rects)), key=lambda i: (self._rects[i].center() - point).manhattanLength())
        return None

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        if not self._tokens:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            shown = self.fontMetrics().elidedText(self._placeholder, Qt.TextElideMode.ElideRight, self.width())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            return
        accent = palette.color(QPalette.ColorRole.Highlight)
        for i, (token, rect) in enumerate(zip(self._tokens, self._rects)):
            chosen = self._span is not None and self._span[0] <= i < self._span[1]
            fill = accent if chosen else palette.color(QPalette.ColorRole.AlternateBase)
            border = accent if chosen else palette.color(QPalette.ColorRole.Mid)
            painter.setPen(border)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 5, 5)
            painter.setPen(QColor("#ffffff") if chosen else palette.color(QPalette.ColorRole.Text))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, token)
