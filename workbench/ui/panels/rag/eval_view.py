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

from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.rag.params import EvalResult, EvalRow
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.item_views import cell_text

DEMO_QUESTIONS = DEMO_WORLD_DIR / "rag_questions.jsonl"
COLUMNS = (
    QT_TRANSLATE_NOOP("EvalView", "Group"),
    QT_TRANSLATE_NOOP("EvalView", "Retriever"),
    QT_TRANSLATE_NOOP("EvalView", "Embedder"),
    QT_TRANSLATE_NOOP("EvalView", "Index"),
    QT_TRANSLATE_NOOP("EvalView", "Questions"),
    "R@1",
    "R@5",
    "R@10",
    "MRR@10",
    QT_TRANSLATE_NOOP("EvalView", "ms mean"),
    QT_TRANSLATE_NOOP("EvalView", "ms p95"),
)
"""The table's headers (English; shown translated)."""
GROUP_COLUMN = 0


class EvalView(Retranslating, QWidget):
    sig_evaluate = Signal(str)  # queries path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit(str(DEMO_QUESTIONS))
        self._busy = False
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._on_browse)
        self.run_button = QPushButton()
        self.run_button.setProperty("role", "primary")
        self.run_button.clicked.connect(lambda: self.sig_evaluate.emit(self.path.text().strip()))
        self.group = QComboBox()
        self.group.addItem("", None)  # all groups
        self.group.currentIndexChanged.connect(self._apply_filter)
        row = QHBoxLayout()
        self.questions_label = QLabel()
        row.addWidget(self.questions_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.run_button)
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.summary, 1)
        self.show_label = QLabel()
        filter_row.addWidget(self.show_label)
        filter_row.addWidget(self.group)
        self.table = QTableWidget(0, len(COLUMNS))
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
        self.retranslate()

    def retranslate(self) -> None:
        self.path.setPlaceholderText(self.tr("labelled questions (.jsonl): question + gold document or evidence"))
        self.browse_button.setText(self.tr("Browse…"))
        self.run_button.setText(self.tr("Evaluating…") if self._busy else self.tr("Evaluate"))
        self.group.setItemText(0, self.tr("All groups"))
        self.questions_label.setText(self.tr("Questions"))
        self.show_label.setText(self.tr("Show"))
        self.table.setHorizontalHeaderLabels([self.tr(column) for column in COLUMNS])
        self._show_summary()

    def _show_summary(self) -> None:
        result = self.result
        if result is None:
            self.summary.setText(self.tr("Evaluate a collection on labelled questions (the demo world's by default)."))
            self.skipped.setText("")
            return
        self.summary.setText(
            self.tr("{questions} questions on “{collection}” · {rows} rows · "
                    "recall@k: the gold document among the top k; MRR@10: mean of 1/rank of the first hit.").format(
                questions=result.questions, collection=result.collection, rows=len(result.rows))
        )  # fmt: skip
        skipped = "; ".join(result.skipped[:5]) + (" …" if len(result.skipped) > 5 else "")
        self.skipped.setText(
            self.tr("Skipped {count}: {questions}").format(count=len(result.skipped), questions=skipped)
            if result.skipped
            else ""
        )

    def show_result(self, result: EvalResult) -> None:
        self.result = result
        self.path.setText(result.queries_path)
        self._show_summary()
        groups = sorted({row.group for row in result.rows}, key=lambda g: (g != "all", g))
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(self.tr("All groups"), None)
        for group in groups:
            self.group.addItem(group, group)
        self.group.blockSignals(False)
        rows = sorted(result.rows, key=lambda r: (r.group != "all", r.group, r.retriever, r.embedder, r.index))
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            for column, value in enumerate(_cells(row)):
                item = QTableWidgetItem(
                    value if isinstance(value, str) else f"{value:.3f}" if column < 9 else f"{value:.1f}"
                )
                if not isinstance(value, str):
                    item.setData(Qt.ItemDataRole.UserRole, float(value))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(number, column, item)
        self._apply_filter()

    def set_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self._busy = busy
        self.run_button.setText(self.tr("Evaluating…") if busy else self.tr("Evaluate"))

    def visible_rows(self) -> list[list[str]]:
        """The table as shown (filtered), one list of cell texts per row."""
        return [
            [cell_text(self.table, r, c) for c in range(self.table.columnCount())]
            for r in range(self.table.rowCount())
            if not self.table.isRowHidden(r)
        ]

    def _apply_filter(self) -> None:
        wanted = self.group.currentData()
        for number in range(self.table.rowCount()):
            item = self.table.item(number, GROUP_COLUMN)
            self.table.setRowHidden(number, wanted is not None and item is not None and item.text() != wanted)

    def _on_browse(self) -> None:
        start = self.path.text() or str(DEMO_QUESTIONS)
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Labelled questions"), str(Path(start).parent), self.tr("JSON lines (*.jsonl)")
        )
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
