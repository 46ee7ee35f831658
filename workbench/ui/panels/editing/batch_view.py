"""Sequential editing of N cases: the running metrics live, then the aggregated table.

After i edits the plot shows the mean of each property over cases 1..i measured right
after their edit; the table at the end adds the same cases re-measured after all edits,
where forgetting of earlier edits shows (book §5.1.3, and how metrics degrade as edits
accumulate).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, Signal
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
from workbench.ui.panels.editing.metrics_table import PROPERTIES, percent
from workbench.ui.widgets.line_plot import LinePlot

SERIES_COLOURS = {"accuracy": "#2f6fde", "generality": "#7048e8", "portability": "#e8590c", "locality": "#2f9e44"}


def mean_of(metrics: list[EditMetrics], name: str) -> float:
    """Mean of one property over cases, ignoring cases without prompts of that kind (nan)."""
    values = [getattr(m, name) for m in metrics]
    values = [v for v in values if not math.isnan(v)]
    return float(np.mean(values)) if values else math.nan


class BatchView(QWidget):
    sig_run = Signal(int, str, bool)  # cases, language, keep edits
    sig_cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases = QSpinBox()
        self.cases.setRange(1, 100_000)
        self.cases.setValue(50)
        self.cases.setMaximumWidth(120)
        self.language = QComboBox()
        for text, value in (("all", "all"), ("English", "en"), ("中文", "zh")):
            self.language.addItem(text, value)
        self.language.setMaximumWidth(120)
        self.keep = QCheckBox("Keep the edits in the ledger afterwards")
        self.run_button = QPushButton("Run batch")
        self.run_button.setProperty("role", "primary")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        note = QLabel("Edits the first N cases of the fact file one after another, with the method and settings on the left.")
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Cases N", self.cases)
        form.addRow("Language", self.language)
        form.addRow("", self.keep)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        self.summary = QLabel(" ")
        self.summary.setWordWrap(True)
        self.plot = LinePlot("Running mean after each edit", "edits applied", "correct", percent_y=True, whole_x=True,
                             empty_hint="Run a batch: each metric's mean after every edit")
        self.plot.plot_item.setYRange(0, 1.05, padding=0)
        self.plot.legend.setOffset((10, -10))  # bottom left: every curve starts near the top
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Property", "Right after its edit", "After all edits"])
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
        self.summary.setText("Editing…")

    def show_result(self, result: BatchEditResult, message: str = "") -> None:
        """A partial snapshot (live) or the finished batch (also fills the table)."""
        for name in (n for n in PROPERTIES if n in result.running):
            values = np.asarray(result.running[name], dtype=np.float64)
            x = np.arange(1, len(values) + 1)
            self.plot.set_series(name, x, values, colour=SERIES_COLOURS[name])
        done = len(result.immediate)
        rate = f" · {result.seconds_per_edit:.2f} s per edit" if result.seconds_per_edit > 0 else ""
        self.summary.setText(message or f"{done} of {len(result.case_ids)} cases edited{rate}")
        if result.complete:
            self._fill_table(result)
            self.summary.setText(
                f"{done} cases edited with {result.method.upper() if result.method == 'rome' else 'T-Patcher'}{rate}."
            )

    def table_rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(r, c).text() for c in range(3)) for r in range(self.table.rowCount())]  # type: ignore[misc]

    def _fill_table(self, result: BatchEditResult) -> None:
        rows = [(label, percent(mean_of(result.immediate, name)), percent(mean_of(result.final, name)))
                for name, label in PROPERTIES.items()]  # fmt: skip
        rows.append(("Fluency (n-gram entropy)", _entropy(mean_of(result.immediate, "fluency_after")),
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
