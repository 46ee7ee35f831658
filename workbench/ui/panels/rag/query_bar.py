"""One line of text, how many chunks, one choice and a primary button: the playground's
search bar and Ask's question bar.

The text has a row of its own, above the options: in one row with them, Present mode's
larger text left the query field a few characters wide on a 1280-pixel projector."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

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
        self._choose(choice)
        self.button = QPushButton()
        self.button.setProperty("role", "primary")
        self.button.clicked.connect(self._on_submit)
        self._options = QHBoxLayout()
        self._options.addWidget(self.k)
        self._options.addWidget(self.choice)
        self._options.addStretch(1)
        self._options.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(self._options)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setPlaceholderText(self.tr(self._placeholder))
        self.k.setPrefix(self.tr(self._prefix))
        for index, (label, _value) in enumerate(self._choices):
            self.choice.setItemText(index, self.tr(label))
        self.button.setText(self.tr(self._busy_text or self._action))

    def add_option(self, widget: QWidget) -> None:
        """Show ``widget`` after the built-in options, before the stretch and the button."""
        self._options.insertWidget(self._options.count() - 2, widget)

    def set_query(self, text: str, k: int, choice: object) -> None:
        """Fill the bar as a query was asked (a live lesson step, a kept view)."""
        self.text.setText(text)
        self.k.setValue(k)
        self._choose(choice)

    def _choose(self, choice: object) -> None:
        self.choice.setCurrentIndex(max(0, self.choice.findData(choice)))

    def set_busy(self, busy: bool, busy_text: str) -> None:
        """``busy_text``: English, marked in the ``QueryBar`` context."""
        self.button.setEnabled(not busy)
        self._busy_text = busy_text if busy else None
        self.button.setText(self.tr(self._busy_text or self._action))

    def _on_submit(self) -> None:
        self.sig_submitted.emit(self.text.text(), self.k.value(), self.choice.currentData())
