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
from workbench.ui.language import Retranslating
from workbench.ui.panels.tracing.trio import kind_name
from workbench.ui.widgets.item_views import cell_text
from workbench.ui.widgets.line_plot import LinePlot
from workbench.ui.widgets.token_text import visible_token


class CellInspector(Retranslating, QWidget):
    sig_edit_requested = Signal(int)  # layer of the shown cell

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: RestoredTopK | None = None
        self._token = ""
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 150)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.spread = LinePlot(percent_y=True, whole_x=True)
        self.spread.setMinimumHeight(100)
        self.edit_button = QPushButton()
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
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("Restored top-k"), "p"])
        self.spread.set_texts(self.tr("noise sample"), "p(target)", self.tr("Click a cell: p(target) per noise sample"))
        self.edit_button.setText(self.tr("Edit here…"))
        self.edit_button.setToolTip(self.tr("Send this prompt, subject, target and layer to the editing lab (ROME)"))
        if self._result is None:
            self.heading.setText(
                self.tr("Click a heatmap cell to see what the model predicts with that state restored.")
            )
        else:
            self._show_heading(self._result, self._token)

    def show_pending(self, kind: str, token: str, layer: int) -> None:
        self.heading.setText(
            self.tr("Restoring {kind} at “{token}”, layer {layer}…").format(
                kind=kind_name(kind), token=token, layer=layer
            )
        )

    def show_result(self, result: RestoredTopK, token: str) -> None:
        self._result = result
        self._token = token
        self._show_heading(result, token)
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
        self.spread.set_series(
            "restored", samples, result.target_probs, colour="#6a51a3", line=False, label=self.tr("restored")
        )
        self.spread.set_level("clean", result.high_score, colour="#238b45", label=self.tr("clean"))
        self.spread.set_level("corrupted", result.low_score, colour="#cb181d", label=self.tr("corrupted"))
        self.edit_button.setEnabled(True)

    def _show_heading(self, result: RestoredTopK, token: str) -> None:
        layers = result.restored_layers
        if len(layers) == 1:
            where = self.tr("layer {layer}").format(layer=layers[0])
        else:
            where = self.tr("layers {first}–{last}").format(first=layers[0], last=layers[-1])
        mean = float(np.mean(result.target_probs))
        self.heading.setText(
            self.tr(
                "<b>{kind}</b> restored at <b>“{token}”</b> (token {index}), {where}: "
                "p({target}) = {mean} ± {std} (clean {clean}, corrupted {corrupted})"
            ).format(
                kind=kind_name(result.kind),
                token=token,
                index=result.token,
                where=where,
                target=visible_token(result.target),
                mean=f"{mean:.3f}",
                std=f"{float(np.std(result.target_probs)):.3f}",
                clean=f"{result.high_score:.3f}",
                corrupted=f"{result.low_score:.3f}",
            )
        )

    def clear(self) -> None:
        self._result = None
        self.table.setRowCount(0)
        self.edit_button.setEnabled(False)
        self.retranslate()

    def shown(self) -> RestoredTopK | None:
        return self._result

    def shown_predictions(self) -> list[str]:
        """The tokens listed in the top-k table, top first."""
        return [cell_text(self.table, row, 0) for row in range(self.table.rowCount())]

    def _on_edit_clicked(self) -> None:
        if self._result is not None:
            self.sig_edit_requested.emit(self._result.layer)
