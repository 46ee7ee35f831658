"""The averaged causal trace over a fact set (ROME Fig. 2): the average indirect effect
by token group and layer, one heatmap per kind, filling in as facts complete."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from workbench.core.tracing.results import AveragingResult
from workbench.ui.panels.tracing.presets import DEMO_FACTS_PATH
from workbench.ui.panels.tracing.trio import KIND_NAMES, HeatmapTrio


class AveragedView(QWidget):
    sig_run_requested = Signal(str, int, bool)  # facts file, fact limit, known facts only

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit(str(DEMO_FACTS_PATH))
        self.path.setToolTip("JSON lines with subject, prompt ({} for the subject) and target_true")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.limit = QSpinBox()
        self.limit.setRange(1, 100000)
        self.limit.setValue(40)
        self.limit.setPrefix("first ")
        self.limit.setSuffix(" facts")
        self.only_known = QCheckBox("known facts only")
        self.only_known.setChecked(True)
        self.only_known.setToolTip("As ROME: skip facts whose object the clean model does not predict")
        self.run_button = QPushButton("Average")
        self.run_button.setProperty("role", "primary")
        self.run_button.clicked.connect(self._on_run_clicked)
        self.status = QLabel("Averages the indirect effect (restored p − corrupted p) of the facts the model knows, "
                             "with the noise settings of the Trace tab.")
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        self.trio = HeatmapTrio()
        self.trio.show_hint("Run an averaged trace (Average) to see which states carry facts, on average.")
        # the file on one row, what to average and the button on the next: in one row they
        # needed 1380 pixels with Present mode's text
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("Facts"))
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        run_row = QHBoxLayout()
        run_row.addWidget(self.limit)
        run_row.addWidget(self.only_known)
        run_row.addStretch(1)
        run_row.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(self.trio, 1)

    def show_result(self, result: AveragingResult) -> None:
        rows = [f"{group} ({int(count)})" for group, count in zip(result.groups, result.group_counts)]
        state = "" if result.complete else " · computing…"
        header = (
            f"Average indirect effect over {result.facts_traced} known facts"
            f" ({result.facts_skipped} of {result.facts_total} skipped){state}"
        )
        titles = {kind: f"{KIND_NAMES[kind]} · average indirect effect" for kind in result.kinds}
        self.trio.show_maps(dict(result.effects), rows, header, value_label="AIE", titles=titles)
        self.status.setText(
            f"Mean clean p = {result.mean_high:.3f}, mean corrupted p = {result.mean_low:.3f} · "
            f"{result.seconds:.1f} s"
        )

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)

    def _on_run_clicked(self) -> None:
        self.sig_run_requested.emit(self.path.text().strip(), self.limit.value(), self.only_known.isChecked())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Facts file", str(Path(self.path.text()).parent),
                                              "JSON lines (*.jsonl *.json);;All files (*)")
        if path:
            self.path.setText(path)
