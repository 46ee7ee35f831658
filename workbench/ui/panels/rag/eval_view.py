"""The evaluation table: recall@1/5/10, MRR@10 and latency per retriever, split by language.

A labelled query file (JSON lines with ``question`` and the gold document or evidence) is
run against the collection; each row is one retriever × embedder × index on one group of
questions (``all``, a language, or a cross-lingual pair such as ``en→zh``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.paths import DEMO_WORLD_DIR
from workbench.core.rag.params import EvalResult, EvalRow

DEMO_QUESTIONS = DEMO_WORLD_DIR / "rag_questions.jsonl"
COLUMNS = ("Group", "Retriever", "Embedder", "Index", "Questions", "R@1", "R@5", "R@10", "MRR@10", "ms mean", "ms p95")
_ALL_GROUPS = "All groups"


class EvalView(QWidget):
    sig_evaluate = Signal(str)  # queries path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit(str(DEMO_QUESTIONS))
        self.path.setPlaceholderText("labelled questions (.jsonl): question + gold document or evidence")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._on_browse)
        self.run_button = QPushButton("Evaluate")
        self.run_button.setProperty("role", "primary")
        self.run_button.clicked.connect(lambda: self.sig_evaluate.emit(self.path.text().strip()))
        self.group = QComboBox()
        self.group.addItem(_ALL_GROUPS)
        self.group.currentIndexChanged.connect(self._apply_filter)
        row = QHBoxLayout()
        row.addWidget(QLabel("Questions"))
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.run_button)
        self.summary = QLabel("Evaluate a collection on labelled questions (the demo world's by default).")
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.summary, 1)
        filter_row.addWidget(QLabel("Show"))
        filter_row.addWidget(self.group)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.skipped = QLabel()
        self.skipped.setProperty("role", "muted")
        self.skipped.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.skipped)
        self.result: EvalResult | None = None

    def show_result(self, result: EvalResult) -> None:
        self.result = result
        self.path.setText(result.queries_path)
        self.summary.setText(
            f"{result.questions} questions on “{result.collection}” · {len(result.rows)} rows · "
            "recall@k: the gold document among the top k; MRR@10: mean of 1/rank of the first hit."
        )
        groups = sorted({row.group for row in result.rows}, key=lambda g: (g != "all", g))
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItems([_ALL_GROUPS, *groups])
        self.group.blockSignals(False)
        rows = sorted(result.rows, key=lambda r: (r.group != "all", r.group, r.retriever, r.embedder, r.index))
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            for column, value in enumerate(_cells(row)):
                item = QTableWidgetItem(value if isinstance(value, str) else f"{value:.3f}" if column < 9 else f"{value:.1f}")
                if not isinstance(value, str):
                    item.setData(Qt.ItemDataRole.UserRole, float(value))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(number, column, item)
        self.skipped.setText(
            f"Skipped {len(result.skipped)}: " + "; ".join(result.skipped[:5]) + (" …" if len(result.skipped) > 5 else "")
            if result.skipped
            else ""
        )
        self._apply_filter()

    def set_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.run_button.setText("Evaluating…" if busy else "Evaluate")

    def visible_rows(self) -> list[list[str]]:
        """The table as shown (filtered), one list of cell texts per row."""
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]
            for r in range(self.table.rowCount())
            if not self.table.isRowHidden(r)
        ]

    def _apply_filter(self) -> None:
        wanted = self.group.currentText()
        for number in range(self.table.rowCount()):
            item = self.table.item(number, COLUMNS.index("Group"))
            self.table.setRowHidden(number, wanted != _ALL_GROUPS and item is not None and item.text() != wanted)

    def _on_browse(self) -> None:
        start = self.path.text() or str(DEMO_QUESTIONS)
        path, _ = QFileDialog.getOpenFileName(self, "Labelled questions", str(Path(start).parent), "JSON lines (*.jsonl)")
        if path:
            self.path.setText(path)


def _cells(row: EvalRow) -> tuple[str | int | float, ...]:
    return (
        row.group,
        row.retriever,
        row.embedder,
        row.index,
        str(row.questions),
        row.recall_at_1,
        row.recall_at_5,
        row.recall_at_10,
        row.mrr_at_10,
        row.latency_ms_mean,
        row.latency_ms_p95,
    )
