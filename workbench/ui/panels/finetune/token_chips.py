"""Tokens as coloured chips, one example per paragraph: the loss mask and the A/B change.

Both views of the lab colour each token by one number (does it carry loss? how much more
likely did the adapter make it?), so they share this read-only text view; plain strings and
colours in, nothing of the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from workbench.ui.widgets.token_text import visible_token

_GAP = "\u200a"
"""A hair space between chips, so neighbouring tokens of the same colour stay apart."""


@dataclass(frozen=True)
class Chip:
    text: str
    background: QColor | None = None
    tooltip: str = ""
    muted: bool = False


class TokenChips(QTextEdit):
    """Rows of chips, each row under a muted caption; hover a chip for its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self._rows: list[tuple[str, list[Chip]]] = []
        self._chip_at: list[tuple[int, int, Chip]] = []
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.document().setDefaultFont(font)

    def set_rows(self, rows: Sequence[tuple[str, Sequence[Chip]]]) -> None:
        self._rows = [(caption, list(chips)) for caption, chips in rows]
        self._render()

    def rows(self) -> list[tuple[str, list[Chip]]]:
        return list(self._rows)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            position = self.cursorForPosition(event.pos()).position()  # type: ignore[attr-defined]  # a ToolTip event is a QHelpEvent; the stubs give viewportEvent a QEvent
            chip = next((c for start, end, c in self._chip_at if start <= position < end), None)
            if chip is not None and chip.tooltip:
                QToolTip.showText(event.globalPos(), chip.tooltip, self.viewport())  # type: ignore[attr-defined]  # a ToolTip event is a QHelpEvent; the stubs give viewportEvent a QEvent
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()

    def _render(self) -> None:
        self.clear()
        self._chip_at = []
        palette = self.palette()
        cursor = QTextCursor(self.document())
        caption_format = QTextCharFormat()
        caption_format.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
        caption_format.setFontWeight(QFont.Weight.DemiBold)
        plain = QTextCharFormat()
        for index, (caption, chips) in enumerate(self._rows):
            if index:
                cursor.insertBlock()
                cursor.insertBlock()
            if caption:
                cursor.insertText(caption, caption_format)
                cursor.insertBlock()
            for chip in chips:
                fmt = QTextCharFormat()
                fmt.setForeground(
                    palette.color(QPalette.ColorRole.PlaceholderText if chip.muted else QPalette.ColorRole.Text)
                )
                if chip.background is not None:
                    fmt.setBackground(chip.background)
                start = cursor.position()
                cursor.insertText(visible_token(chip.text), fmt)
                self._chip_at.append((start, cursor.position(), chip))
                cursor.insertText(_GAP, plain)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft)
