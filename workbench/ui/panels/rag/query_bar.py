"""One line of text, how many chunks, one choice and a primary button: the playground's
search row and Ask's question row."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget

from workbench.ui.language import Retranslating


class QueryBar(Retranslating, QWidget):
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
        """``k`` is (default, maximum, prefix); ``choices`` are (label, value) pairs.  The texts are
        English, marked in the ``QueryBar`` context, and shown translated."""
        super().__init__(parent)
        self._action = action
        self._placeholder = placeholder
        self._busy_text: str | None = None
        self.text = QLineEdit()
        self.text.returnPressed.connect(self._on_submit)
        default, maximum, prefix = k
        self.k = QSpinBox()
        self.k.setRange(1, maximum)
        self.k.setValue(default)
        self._prefix = prefix
        self._choices = list(choices)
        self.choice = QComboBox()
        for _label, value in choices:
            self.choice.addItem("", value)
        self.choice.setCurrentIndex(max(0, self.choice.findData(choice)))
        self.button = QPushButton()
        self.button.setProperty("role", "primary")
        self.button.clicked.connect(self._on_submit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.k)
        layout.addWidget(self.choice)
        layout.addWidget(self.button)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setPlaceholderText(self.tr(self._placeholder))
        self.k.setPrefix(self.tr(self._prefix))
        for index, (label, _value) in enumerate(self._choices):
            self.choice.setItemText(index, self.tr(label))
        self.button.setText(self.tr(self._busy_text or self._action))

    def set_busy(self, busy: bool, busy_text: str) -> None:
        """``busy_text``: English, marked in the ``QueryBar`` context."""
        self.button.setEnabled(not busy)
        self._busy_text = busy_text if busy else None
        self.button.setText(self.tr(self._busy_text or self._action))

    def _on_submit(self) -> None:
        self.sig_submitted.emit(self.text.text(), self.k.value(), self.choice.currentData())
