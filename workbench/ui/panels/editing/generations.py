"""Free generations before and after the edit, side by side, with what changed highlighted.

The two continuations are compared word by word (character by character in Chinese): text
only the original had is struck through in red on the left, text only the edited model
writes is green on the right, so "Anoda is located in Ensia → Pakelia" reads at a glance.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence

from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QTextBrowser, QVBoxLayout, QWidget

from workbench.core.editing.params import Generation
from workbench.ui.language import Retranslating

_PIECES = re.compile(r"[A-Za-z0-9_'’]+|\s+|.", re.DOTALL)
"""Words, runs of spaces, and single other characters (each Chinese character on its own)."""

REMOVED_STYLE = "background:#ffc9c9;color:#862e2e;text-decoration:line-through;"
ADDED_STYLE = "background:#b2f2bb;color:#1b5e20;font-weight:600;"


def changed_spans(before: str, after: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Split both texts into (piece, changed) runs: what differs between the two continuations."""
    a, b = _PIECES.findall(before), _PIECES.findall(after)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(("".join(b[j1:j2]), tag != "equal"))
    return left, right


def _html(prompt: str, spans: Sequence[tuple[str, bool]], style: str) -> str:
    body = "".join(f'<span style="{style}">{html.escape(text)}</span>' if changed else html.escape(text)
                   for text, changed in spans)  # fmt: skip
    return f'<span style="color:#8a94a3;">{html.escape(prompt)}</span>{body}'


class GenerationsView(Retranslating, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generations: list[Generation] = []
        self.empty = QLabel()
        self.empty.setProperty("role", "muted")
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.headings = (QLabel(), QLabel())
        for column, label in enumerate(self.headings):
            self.grid.addWidget(label, 0, column)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.addWidget(self.empty)
        inner.addLayout(self.grid)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._boxes: list[tuple[QTextBrowser, QTextBrowser]] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.empty.setText(self.tr("Greedy continuations before and after the edit appear here."))
        for label, text in zip(self.headings, (self.tr("Before the edit"), self.tr("After the edit")), strict=True):
            label.setText(f"<b>{text}</b>")

    def show_generations(self, generations: Sequence[Generation]) -> None:
        self._generations = list(generations)
        self.empty.setVisible(not generations)
        while len(self._boxes) < len(generations):
            row = len(self._boxes) + 1
            pair = (_text_box(), _text_box())
            self.grid.addWidget(pair[0], row, 0)
            self.grid.addWidget(pair[1], row, 1)
            self._boxes.append(pair)
        for index, (left, right) in enumerate(self._boxes):
            shown = index < len(generations)
            left.setVisible(shown)
            right.setVisible(shown)
            if shown:
                generation = generations[index]
                before, after = changed_spans(generation.before, generation.after)
                left.setHtml(_html(generation.prompt, before, REMOVED_STYLE))
                right.setHtml(_html(generation.prompt, after, ADDED_STYLE))

    def texts(self) -> list[tuple[str, str]]:
        """The plain text shown on each row (before, after)."""
        return [(left.toPlainText(), right.toPlainText()) for left, right in self._boxes[: len(self._generations)]]


def _text_box() -> QTextBrowser:
    box = QTextBrowser()
    box.setFixedHeight(64)
    box.setOpenLinks(False)
    return box
