"""How much a method trains, before training: the point of parameter-efficient fine-tuning.

Book §4.5.1: LoRA on a billion-parameter model trains well under one percent of it.  The
card shows the trainable count, the total and the share, and is refreshed (by a small job)
whenever the method or its settings change.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QWidget

from workbench.core.finetune.params import ParameterCount
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP


def format_count(n: int) -> str:
    """12 345 678 → "12.35 M" (exact below ten thousand)."""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if n >= size * 10 or (unit != "k" and n >= size):
            return f"{n / size:.2f} {unit}"
    return f"{n:,}"


def format_share(share: float) -> str:
    return f"{share:.3%}" if share < 0.01 else f"{share:.2%}"


class ParameterTable(Retranslating, QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setVerticalSpacing(3)
        self.trainable = QLabel("–")
        self.total = QLabel("–")
        self.share = QLabel("–")
        for value in (self.trainable, self.total, self.share):
            value.setStyleSheet("font-weight: 600;")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        self.targets = QLabel()
        self.targets.setProperty("role", "muted")
        self.targets.setWordWrap(True)
        self.captions = (QLabel(), QLabel(), QLabel())
        for row, (label, value) in enumerate(zip(self.captions, (self.trainable, self.total, self.share), strict=True)):
            label.setProperty("role", "muted")
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
        grid.addWidget(self.bar, 3, 0, 1, 2)
        grid.addWidget(self.targets, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self._count: ParameterCount | None = None
        self._message = QT_TRANSLATE_NOOP("FinetunePanel", "Load a model to count parameters.")
        self.show_message(self._message)
        self.retranslate()

    def retranslate(self) -> None:
        for label, text in zip(self.captions, (self.tr("Trainable"), self.tr("Total"), self.tr("Share")), strict=True):
            label.setText(text)
        if self._count is not None:
            self.show_count(self._count)
        else:
            self.show_message(self._message)

    def show_count(self, count: ParameterCount) -> None:
        self._count = count
        short = format_count(count.trainable)
        self.trainable.setText(short if short == f"{count.trainable:,}" else f"{short}  ({count.trainable:,})")
        self.total.setText(format_count(count.total))
        self.share.setText(format_share(count.share))
        # square root so that 0.1 % is still a visible sliver next to BitFit's or LoRA's share
        self.bar.setValue(round(1000 * count.share**0.5))
        adapts = self.tr("Adapts: {modules}").format(modules=", ".join(count.target_modules))
        self.targets.setText(adapts if count.target_modules else "")
        self.targets.setVisible(bool(count.target_modules))

    def show_message(self, text: str) -> None:
        """Show ``text`` instead of a count: English, a core message or a sentence marked in the
        ``FinetunePanel`` context (kept, so a language switch shows it again)."""
        self._count, self._message = None, text
        for value in (self.trainable, self.total, self.share):
            value.setText("–")
        self.bar.setValue(0)
        self.targets.setText(translate_core_message(QCoreApplication.translate("FinetunePanel", text)))
        self.targets.setVisible(True)

    def values(self) -> tuple[str, str, str]:
        return self.trainable.text(), self.total.text(), self.share.text()
