"""The book's properties of an edit (§5.1.3) before → after, each expandable to its prompts.

Accuracy, generality, portability and locality are fractions of prompts answered with the
expected tokens (exact top-1 match); a row opens onto its prompts with what the model
answered before and after and a ✓/✗ each.  Fluency and efficiency close the table.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from workbench.core.editing.params import EditMetrics, PromptCheck
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.item_views import top_level_items
from workbench.ui.widgets.token_text import visible_token

PROPERTIES: dict[str, str] = {
    "accuracy": QT_TRANSLATE_NOOP("MetricsTable", "Accuracy (edit prompt)"),
    "generality": QT_TRANSLATE_NOOP("MetricsTable", "Generality (paraphrases)"),
    "portability": QT_TRANSLATE_NOOP("MetricsTable", "Portability (related facts)"),
    "locality": QT_TRANSLATE_NOOP("MetricsTable", "Locality (neighbours kept)"),
}
"""Property name → its label (English; ``property_label`` gives it in the interface language)."""
GOOD, BAD = QColor("#2f9e44"), QColor("#e03131")


def property_label(name: str) -> str:
    return QCoreApplication.translate("MetricsTable", PROPERTIES[name])


def percent(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.0%}"


def fraction_correct_before(checks: list[PromptCheck]) -> float:
    return sum(c.correct_before for c in checks) / len(checks) if checks else math.nan


class MetricsTable(Retranslating, QTreeWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setColumnCount(4)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._metrics: EditMetrics | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels([self.tr("Property / prompt"), self.tr("Expected"), self.tr("Before"), self.tr("After")])
        if self._metrics is not None:
            expanded = [item.isExpanded() for item in top_level_items(self)]
            self.show_metrics(self._metrics)
            for item, open_ in zip(top_level_items(self), expanded):
                item.setExpanded(open_)

    def show_metrics(self, metrics: EditMetrics | None) -> None:
        self._metrics = metrics
        self.clear()
        if metrics is None:
            return
        for name in PROPERTIES:
            checks = metrics.checks.get(name, [])
            after = getattr(metrics, name)
            # locality compares with the answers before the edit: 100 % before by definition
            before = "" if name == "locality" else percent(fraction_correct_before(checks))
            prompts = (self.tr("{count} prompt") if len(checks) == 1 else self.tr("{count} prompts")).format(
                count=len(checks)
            )
            row = QTreeWidgetItem([f"{property_label(name)}  ·  {prompts}", "", before, percent(after)])
            _bold(row)
            for check in checks:
                row.addChild(_check_item(check))
            self.addTopLevelItem(row)
        fluency = QTreeWidgetItem(
            [self.tr("Fluency (n-gram entropy)"), "", f"{metrics.fluency_before:.3f}", f"{metrics.fluency_after:.3f}"]
        )
        time_row = QTreeWidgetItem([self.tr("Time to edit"), "", "", f"{metrics.seconds:.2f} s"])
        memory = QTreeWidgetItem(
            [
                self.tr("Peak memory"),
                "",
                "",
                f"{metrics.peak_memory_mb:,.0f} MB" if metrics.peak_memory_mb >= 1 else "< 1 MB",
            ]
        )
        for row in (fluency, time_row, memory):
            _bold(row)
            self.addTopLevelItem(row)

    def metrics(self) -> EditMetrics | None:
        return self._metrics

    def row_texts(self) -> dict[str, tuple[str, str]]:
        """Property name → (before, after) as shown."""
        names = [*PROPERTIES, "fluency", "seconds", "memory"]
        return {name: (item.text(2), item.text(3)) for name, item in zip(names, top_level_items(self))}


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
    tip = QCoreApplication.translate("MetricsTable", "p(expected) {when} = {p}")
    item.setToolTip(
        2, tip.format(when=QCoreApplication.translate("MetricsTable", "before"), p=f"{check.p_expected_before:.4f}")
    )
    item.setToolTip(
        3, tip.format(when=QCoreApplication.translate("MetricsTable", "after"), p=f"{check.p_expected_after:.4f}")
    )
    return item


def _mark(correct: bool) -> str:
    return "✓" if correct else "✗"


def _bold(item: QTreeWidgetItem) -> None:
    font = item.font(0)
    font.setBold(True)
    item.setFont(0, font)
