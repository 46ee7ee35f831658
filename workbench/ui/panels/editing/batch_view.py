"""Sequential editing of N cases: the running metrics live, then the aggregated table.

After i edits the plot shows the mean of each property over cases 1..i measured right
after their edit; the table at the end adds the same cases re-measured after all edits,
where forgetting of earlier edits shows (book §5.1.3, and how metrics degrade as edits
accumulate).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.editing.params import BatchEditResult, EditMetrics
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.panels.editing.metrics_table import PROPERTIES, percent, property_label
from workbench.ui.widgets.item_views import cell_text
from workbench.ui.widgets.line_plot import LinePlot

SERIES_COLOURS = {"accuracy": "#2f6fde", "generality": "#7048e8", "portability": "#e8590c", "locality": "#2f9e44"}


def mean_of(metrics: list[EditMetrics], name: str) -> float:
    """Mean of one property over cases, ignoring cases without prompts of that kind (nan)."""
    values = [getattr(m, name) for m in metrics]
    values = [v for v in values if not math.isnan(v)]
    return float(np.mean(values)) if values else math.nan


class BatchView(Retranslating, QWidget):
    sig_run = Signal(int, str, bool)  # cases, language, keep edits
    sig_cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases = QSpinBox()
        self.cases.setRange(1, 100_000)
        self.cases.setValue(50)
        self.cases.setMaximumWidth(120)
        self._result: BatchEditResult | None = None
        self._message = ""
        self._editing = False
        self.language = QComboBox()
        for value in ("all", "en", "zh"):
            self.language.addItem("", value)
        self.language.setMaximumWidth(120)
        self.keep = QCheckBox()
        self.run_button = QPushButton()
        self.run_button.setProperty("role", "primary")
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.note = note = QLabel()
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        self.cases_label, self.language_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.cases_label, self.cases)
        form.addRow(self.language_label, self.language)
        form.addRow("", self.keep)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        self.summary = QLabel(" ")
        self.summary.setWordWrap(True)
        self.plot = LinePlot(percent_y=True, whole_x=True, empty_hint=" ")
        self.plot.plot_item.setYRange(0, 1.05, padding=0)
        self.plot.legend.setOffset((10, -10))  # bottom left: every curve starts near the top
        self.table = QTableWidget(0, 3)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plot)
        split.addWidget(self.table)
        split.setSizes([380, 220])
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.run_button.clicked.connect(
            lambda: self.sig_run.emit(self.cases.value(), self.language.currentData(), self.keep.isChecked())
        )
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.retranslate()

    def retranslate(self) -> None:
        self.note.setText(
            self.tr(
                "Edits the first N cases of the fact file one after another, with the method and settings on the left."
            )
        )
        self.cases_label.setText(self.tr("Cases N"))
        self.language_label.setText(self.tr("Language"))
        for index, text in enumerate((self.tr("all"), "English", "中文")):
            self.language.setItemText(index, text)
        self.keep.setText(self.tr("Keep the edits in the ledger afterwards"))
        self.run_button.setText(self.tr("Run batch"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.plot.setTitle(self.tr("Running mean after each edit"))
        self.plot.plot_item.setLabel("bottom", self.tr("edits applied"))
        self.plot.plot_item.setLabel("left", self.tr("correct"))
        self.plot.hint.setText(self.tr("Run a batch: each metric's mean after every edit"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Property"), self.tr("Right after its edit"), self.tr("After all edits")]
        )
        self._show_summary()
        if self._result is not None and self._result.complete:
            self._fill_table(self._result)

    def set_running(self, running: bool, model_ready: bool) -> None:
        self.run_button.setEnabled(model_ready and not running)
        self.cancel_button.setEnabled(running)

    def set_values(self, cases: int, language: str, keep: bool) -> None:
        self.cases.setValue(cases)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        self.keep.setChecked(keep)

    def start(self) -> None:
        for name in self.plot.series_names():
            self.plot.set_series(name, np.zeros(0), np.zeros(0))
        self.table.setRowCount(0)
        self._result, self._message, self._editing = None, "", True
        self._show_summary()

    def show_result(self, result: BatchEditResult, message: str = "") -> None:
        """A partial snapshot (live) or the finished batch (also fills the table)."""
        for name in (n for n in PROPERTIES if n in result.running):
            values = np.asarray(result.running[name], dtype=np.float64)
            x = np.arange(1, len(values) + 1)
            self.plot.set_series(name, x, values, colour=SERIES_COLOURS[name])
        self._result, self._message, self._editing = result, message, False
        self._show_summary()
        if result.complete:
            self._fill_table(result)

    def _show_summary(self) -> None:
        """The line above the plot, rebuilt from the batch shown (also on a language switch)."""
        result = self._result
        if result is None:
            self.summary.setText(self.tr("Editing…") if self._editing else " ")
            return
        done = len(result.immediate)
        rate = (
            self.tr(" · {seconds} s per edit").format(seconds=f"{result.seconds_per_edit:.2f}")
            if result.seconds_per_edit > 0
            else ""
        )
        method = "ROME" if result.method == "rome" else "T-Patcher"
        if result.complete:
            self.summary.setText(
                self.tr("{done} cases edited with {method}{rate}.").format(done=done, method=method, rate=rate)
            )
        else:
            self.summary.setText(
                translate_core_message(self._message)
                or self.tr("{done} of {total} cases edited{rate}").format(
                    done=done, total=len(result.case_ids), rate=rate
                )
            )

    def table_rows(self) -> list[tuple[str, str, str]]:
        table = self.table
        return [
            (cell_text(table, r, 0), cell_text(table, r, 1), cell_text(table, r, 2)) for r in range(table.rowCount())
        ]

    def _fill_table(self, result: BatchEditResult) -> None:
        rows = [(property_label(name), percent(mean_of(result.immediate, name)), percent(mean_of(result.final, name)))
                for name in PROPERTIES]  # fmt: skip
        rows.append((QCoreApplication.translate("MetricsTable", "Fluency (n-gram entropy)"), _entropy(mean_of(result.immediate, "fluency_after")),
                     _entropy(mean_of(result.final, "fluency_after"))))  # fmt: skip
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)


def _entropy(value: float) -> str:
    """Fluency in bits, or a dash where it was not measured (the final pass re-checks answers only)."""
    return "—" if math.isnan(value) else f"{value:.3f}"
