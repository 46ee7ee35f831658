"""A/B: the base model against the model with its adapter, on the same prompts and text.

Greedy continuations side by side show the new behaviour in words; each token of an
evaluation text is coloured by how much the adapter changed its probability (green: more
likely now, red: less); the perplexities before and after sum it up (book §1.5).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.base.errors import WorkbenchError
from workbench.core.finetune.data import demo_files, read_records
from workbench.core.finetune.params import CompareParams, CompareResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.finetune.token_chips import Chip, TokenChips
from workbench.ui.widgets.item_views import cell_text
from workbench.ui.widgets.probability_colours import mix

UP, DOWN = QColor("#2f9e44"), QColor("#e03131")
SATURATION_NATS = 3.0
"""A change of log-probability this large (×20) gets the strongest colour."""
DEFAULT_PROMPTS = 4


def change_colour(base: float, adapted: float, palette: QPalette) -> QColor:
    """Green where the adapter made the token more likely, red where less, by log-ratio."""
    delta = math.log(max(adapted, 1e-12)) - math.log(max(base, 1e-12))
    if abs(delta) < 1e-3:
        return palette.color(QPalette.ColorRole.Base)
    strength = 0.15 + 0.5 * min(abs(delta) / SATURATION_NATS, 1.0)  # any change is visible
    return mix(palette.color(QPalette.ColorRole.Base), UP if delta > 0 else DOWN, strength)


def demo_examples() -> tuple[list[str], str]:
    """The first prompts of the demo world's evaluation set and a text of a few full examples."""
    try:
        records = read_records(demo_files()[1])
    except WorkbenchError:
        return [], ""
    prompts = [r.prompt for r in records[:DEFAULT_PROMPTS]]
    text = "\n".join(r.prompt + r.completion for r in records[:DEFAULT_PROMPTS])
    return prompts, text


class CompareView(Retranslating, QWidget):
    sig_compare_requested = Signal(object)  # CompareParams

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        prompts, text = demo_examples()
        self._result: CompareResult | None = None
        self._phase = "idle"
        """What the line above the table says: "idle", "busy", "stopped" or "done" (``_result``)."""
        self.prompts = QPlainTextEdit("\n".join(p.replace("\n", "\\n") for p in prompts))
        self.prompts.setFixedHeight(86)
        self.eval_text = QPlainTextEdit(text)
        self.eval_text.setFixedHeight(86)
        self.max_new_tokens = QSpinBox()
        self.max_new_tokens.setRange(1, 512)
        self.max_new_tokens.setValue(CompareParams.max_new_tokens)
        self.compare_button = QPushButton()
        self.compare_button.setProperty("role", "primary")
        self.compare_button.clicked.connect(self._on_compare_clicked)
        form = QFormLayout()
        self.prompts_label, self.eval_label, self.tokens_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.prompts_label, self.prompts)
        form.addRow(self.eval_label, self.eval_text)
        row = QHBoxLayout()
        row.addWidget(self.tokens_label)
        row.addWidget(self.max_new_tokens)
        row.addStretch(1)
        row.addWidget(self.compare_button)
        form.addRow(row)

        self.perplexity = QLabel()
        self.perplexity.setProperty("role", "muted")
        self.perplexity.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes = TokenChips()
        self.legend = legend = QLabel()
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.heading = heading = QLabel()
        heading.setStyleSheet("font-weight: 600;")
        lower_layout.addWidget(heading)
        lower_layout.addWidget(legend)
        lower_layout.addWidget(self.changes, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.perplexity)
        layout.addWidget(split, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.prompts.setPlaceholderText(self.tr("One prompt per line (write \\n for a line break inside a prompt)"))
        self.eval_text.setPlaceholderText(self.tr("A text to score token by token under both models"))
        self.compare_button.setText(self.tr("Compare base ↔ adapter"))
        self.prompts_label.setText(self.tr("Prompts"))
        self.eval_label.setText(self.tr("Eval text"))
        self.tokens_label.setText(self.tr("New tokens"))
        self.table.setHorizontalHeaderLabels([self.tr("Prompt"), self.tr("Base model"), self.tr("With adapter")])
        palette = self.palette()
        more, less = self.tr("more likely with the adapter"), self.tr("less likely")
        self.legend.setText(
            f'<span style="background:{change_colour(0.1, 1.0, palette).name()}">&nbsp;{more}&nbsp;</span>'
            f'&nbsp;&nbsp;<span style="background:{change_colour(1.0, 0.1, palette).name()}">&nbsp;{less}&nbsp;</span>'
            "&nbsp;&nbsp;" + self.tr("hover a token for both probabilities")
        )  # fmt: skip
        self.heading.setText(self.tr("Per-token probability change on the eval text"))
        self._show_perplexity()
        if self._result is not None:
            self._show_changes(self._result)

    def _show_perplexity(self) -> None:
        result = self._result
        if self._phase == "busy":
            self.perplexity.setText(self.tr("Comparing…"))
        elif self._phase == "stopped":
            self.perplexity.setText(self.tr("The comparison did not finish."))
        elif result is None:
            self.perplexity.setText(self.tr("Train or load an adapter, then compare it with the base model."))
        elif result.base_perplexity is not None and result.adapted_perplexity is not None:
            self.perplexity.setText(
                self.tr("Perplexity of the eval text: base <b>{base}</b> → with adapter <b>{adapted}</b>").format(
                    base=f"{result.base_perplexity:.2f}", adapted=f"{result.adapted_perplexity:.2f}"
                )
            )
        else:
            self.perplexity.setText(self.tr("No eval text scored."))

    def show_stopped(self) -> None:
        """The comparison failed or was cancelled."""
        self._phase = "stopped"
        self._show_perplexity()

    def params(self) -> CompareParams:
        prompts = tuple(line.replace("\\n", "\n") for line in self.prompts.toPlainText().splitlines() if line.strip())
        return CompareParams(
            prompts=prompts, eval_text=self.eval_text.toPlainText(), max_new_tokens=self.max_new_tokens.value()
        )

    def set_busy(self, busy: bool) -> None:
        self.compare_button.setEnabled(not busy)
        if busy:
            self._phase = "busy"
            self._show_perplexity()

    def show_result(self, result: CompareResult) -> None:
        self.table.setRowCount(len(result.prompts))
        for row, texts in enumerate(zip(result.prompts, result.base_generations, result.adapted_generations)):
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self._result, self._phase = result, "done"
        self._show_perplexity()
        self._show_changes(result)

    def _show_changes(self, result: CompareResult) -> None:
        palette = self.palette()
        probabilities = result.probabilities
        if probabilities is None:
            self.changes.set_rows([])
            return
        chips = [
            Chip(
                token,
                change_colour(float(b), float(a), palette),
                self.tr("{token}: base {base} → adapter {adapted}").format(
                    token=repr(token), base=f"{b:.1%}", adapted=f"{a:.1%}"
                ),
            )
            for token, b, a in zip(probabilities.tokens, probabilities.base.tolist(), probabilities.adapted.tolist())
        ]
        raised = int(np.sum(probabilities.change > 0))
        caption = self.tr("{raised} of {count} tokens more likely with the adapter").format(
            raised=raised, count=len(chips)
        )
        self.changes.set_rows([(caption, chips)])

    def generations(self) -> list[tuple[str, str, str]]:
        """The table's rows: (prompt, base, adapter)."""
        table = self.table
        return [
            (cell_text(table, row, 0), cell_text(table, row, 1), cell_text(table, row, 2))
            for row in range(table.rowCount())
        ]

    def _on_compare_clicked(self) -> None:
        self.sig_compare_requested.emit(self.params())
