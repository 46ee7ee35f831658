"""The book's properties of an edit (§5.1.3) before → after, each expandable to its prompts.

Accuracy, generality, portability and locality are fractions of prompts answered with the
expected tokens (exact top-1 match); a row opens onto its prompts with what the model
answered before and after and a ✓/✗ each.  Fluency and efficiency close the table.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from workbench.core.editing.params import EditMetrics, PromptCheck
from workbench.ui.widgets.token_text import visible_token

PROPERTIES: dict[str, str] = {
    "accuracy": "Accuracy (edit prompt)",
    "generality": "Generality (paraphrases)",
    "portability": "Portability (related facts)",
    "locality": "Locality (neighbours kept)",
}
GOOD, BAD = QColor("#2f9e44"), QColor("#e03131")


def percent(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.0%}"


def fraction_correct_before(checks: list[PromptCheck]) -> float:
    return sum(c.correct_before for c in checks) / len(checks) if checks else math.nan


class MetricsTable(QTreeWidget):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - QWidget | None
        super().__init__(parent)
        self.setHeaderLabels(["Property / prompt", "Expected", "Before", "After"])
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._metrics: EditMetrics | None = None

    def show_metrics(self, metrics: EditMetrics | None) -> None:
        self._metrics = metrics
        self.clear()
        if metrics is None:
            return
        for name, label in PROPERTIES.items():
            checks = metrics.checks.get(name, [])
            after = getattr(metrics, name)
            # locality compares with the answers before the edit: 100 % before by definition
            before = "" if name == "locality" else percent(fraction_correct_before(checks))
            row = QTreeWidgetItem([f"{label}  ·  {len(checks)} prompt{'s' if len(checks) != 1 else ''}", "", before, percent(after)])
            _bold(row)
            for check in checks:
                row.addChild(_check_item(check))
            self.addTopLevelItem(row)
        fluency = QTreeWidgetItem(["Fluency (n-gram entropy)", "", f"{metrics.fluency_before:.3f}", f"{metrics.fluency_after:.3f}"])
        time_row = QTreeWidgetItem(["Time to edit", "", "", f"{metrics.seconds:.2f} s"])
        memory = QTreeWidgetItem(["Peak memory", "", "", f"{metrics.peak_memory_mb:,.0f} MB" if metrics.peak_memory_mb >= 1 else "< 1 MB"])
        for row in (fluency, time_row, memory):
            _bold(row)
            self.addTopLevelItem(row)

    def metrics(self) -> EditMetrics | None:
        return self._metrics

    def row_texts(self) -> dict[str, tuple[str, str]]:
        """Property name → (before, after) as shown."""
        names = [*PROPERTIES, "fluency", "seconds", "memory"]
        return {name: (self.topLevelItem(i).text(2), self.topLevelItem(i).text(3)) for i, name in enumerate(names)
                if i < self.topLevelItemCount()}  # fmt: skip


def _check_item(check: PromptCheck) -> QTreeWidgetItem:
    item = QTreeWidgetItem([
        check.prompt,
        visible_token(check.expected),
        f"{_mark(check.correct_before)} {visible_token(check.before)}  ({check.p_expected_before:.2f})",
        f"{_mark(check.correct_after)} {visible_token(check.after)}  ({check.p_expected_after:.2f})",
    ])  # fmt: skip
    item.setForeground(2, QBrush(GOOD if check.correct_before else BAD))
    item.setForeground(3, QBrush(GOOD if check.correct_after else BAD))
    item.setToolTip(0, check.prompt)
    item.setToolTip(2, f"p(expected) before = {check.p_expected_before:.4f}")
    item.setToolTip(3, f"p(expected) after = {check.p_expected_after:.4f}")
    return item


def _mark(correct: bool) -> str:
    return "✓" if correct else "✗"


def _bold(item: QTreeWidgetItem) -> None:
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)
