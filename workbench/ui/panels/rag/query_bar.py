"""One line of text, how many chunks, one choice and a primary button: the playground's
search row and Ask's question row."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget


class QueryBar(QWidget):
    sig_submitted = Signal(str, int, str)  # text, k, choice

    def __init__(
        self,
        placeholder: str,
        action: str,
        *,
        k: tuple[int, int, str],
        choices: Sequence[tuple[str, str]],
        choice: str,
        parent: QWidget | None = None,
    ) -> None:
        """``k`` is (default, maximum, prefix); ``choices`` are (label, value) pairs."""
        super().__init__(parent)
        self._action = action
        self.text = QLineEdit()
        self.text.setPlaceholderText(placeholder)
        self.text.returnPressed.connect(self._on_submit)
        default, maximum, prefix = k
        self.k = QSpinBox()
        self.k.setRange(1, maximum)
        self.k.setValue(default)
        self.k.setPrefix(prefix)
        self.choice = QComboBox()
        for label, value in choices:
            self.choice.addItem(label, value)
        self.choice.setCurrentIndex(max(0, self.choice.findData(choice)))
        self.button = QPushButton(action)
        self.button.setProperty("role", "primary")
        self.button.clicked.connect(self._on_submit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.k)
        layout.addWidget(self.choice)
        layout.addWidget(self.button)

    def set_busy(self, busy: bool, busy_text: str) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(busy_text if busy else self._action)

    def _on_submit(self) -> None:
        self.sig_submitted.emit(self.text.text(), self.k.value(), self.choice.currentData())
