"""The clicked cell: what the model predicts with that state restored, and how the noise
samples spread around the cell's mean (a heatmap cell is an average; this shows the runs)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.tracing.results import RestoredTopK
from workbench.ui.panels.tracing.trio import KIND_NAMES
from workbench.ui.widgets.line_plot import LinePlot
from workbench.ui.widgets.token_text import visible_token


class CellInspector(QWidget):
    sig_edit_requested = Signal(int)  # layer of the shown cell

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: RestoredTopK | None = None
        self.heading = QLabel("Click a heatmap cell to see what the model predicts with that state restored.")
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Restored top-k", "p"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 150)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.spread = LinePlot(x_label="noise sample", y_label="p(target)", percent_y=True, whole_x=True,
                               empty_hint="Click a cell: p(target) per noise sample")
        self.spread.setMinimumHeight(120)
        self.edit_button = QPushButton("Edit here…")
        self.edit_button.setToolTip("Send this prompt, subject, target and layer to the editing lab (ROME)")
        self.edit_button.setEnabled(False)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        body = QHBoxLayout()
        body.addWidget(self.table, 2)
        body.addWidget(self.spread, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.edit_button)
        layout.addLayout(top)
        layout.addLayout(body)

    def show_pending(self, kind: str, token: str, layer: int) -> None:
        self.heading.setText(f"Restoring {KIND_NAMES[kind].lower()} at “{token}”, layer {layer}…")

    def show_result(self, result: RestoredTopK, token: str) -> None:
        self._result = result
        layers = result.restored_layers
        where = f"layer {layers[0]}" if len(layers) == 1 else f"layers {layers[0]}–{layers[-1]}"
        mean = float(np.mean(result.target_probs))
        self.heading.setText(
            f"<b>{KIND_NAMES[result.kind]}</b> restored at <b>“{token}”</b> (token {result.token}), {where}: "
            f"p({visible_token(result.target)}) = {mean:.3f} ± {float(np.std(result.target_probs)):.3f} "
            f"(clean {result.high_score:.3f}, corrupted {result.low_score:.3f})"
        )
        self.table.setRowCount(len(result.predictions))
        for row, prediction in enumerate(result.predictions):
            token_item = QTableWidgetItem(visible_token(prediction.token))
            if prediction.token_id == result.target_id:
                font = token_item.font()
                font.setBold(True)
                token_item.setFont(font)
            self.table.setItem(row, 0, token_item)
            self.table.setItem(row, 1, QTableWidgetItem(f"{prediction.prob:.4f}"))
        samples = np.arange(len(result.target_probs))
        self.spread.set_series("restored", samples, result.target_probs, colour="#6a51a3", line=False)
        self.spread.set_level("clean", result.high_score, colour="#238b45")
        self.spread.set_level("corrupted", result.low_score, colour="#cb181d")
        self.edit_button.setEnabled(True)

    def clear(self) -> None:
        self._result = None
        self.table.setRowCount(0)
        self.edit_button.setEnabled(False)
        self.heading.setText("Click a heatmap cell to see what the model predicts with that state restored.")

    def shown(self) -> RestoredTopK | None:
        return self._result

    def shown_predictions(self) -> list[str]:
        """The tokens listed in the top-k table, top first."""
        return [self.table.item(row, 0).text() for row in range(self.table.rowCount())]

    def _on_edit_clicked(self) -> None:
        if self._result is not None:
            self.sig_edit_requested.emit(self._result.layer)
