"""The project's runs, newest first; activating one reopens it in its panel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.item_views import top_level_items
from workbench.ui.widgets.model_state import run_state_text

STATUS_MARKS = {"finished": "✓", "failed": "✗", "cancelled": "⊘", "running": "…"}
LAB_OF_KIND_PREFIX = {
    "sample": QT_TRANSLATE_NOOP("RunHistory", "Sampling"),
    "perplexity": QT_TRANSLATE_NOOP("RunHistory", "Sampling"),
    "trace": QT_TRANSLATE_NOOP("RunHistory", "Tracing"),
    "edit": QT_TRANSLATE_NOOP("RunHistory", "Editing"),
    "finetune": QT_TRANSLATE_NOOP("RunHistory", "Fine-tuning"),
    "rag": QT_TRANSLATE_NOOP("RunHistory", "RAG"),
}
"""Run kinds are ``<lab>`` or ``<lab>_<variant>`` (``trace_severing``); the prefix names the lab."""


def lab_name(kind: str) -> str:
    """The lab that made a run of ``kind``, in the interface language."""
    name = LAB_OF_KIND_PREFIX.get(kind.split("_", 1)[0])
    return QCoreApplication.translate("RunHistory", name) if name else kind


def _when(started: Any) -> str:
    if isinstance(started, datetime):
        return started.strftime("%d %b %H:%M")
    return str(started or "")


class RunHistory(Retranslating, QWidget):
    """A filterable list of stored runs; rename and delete are requests the worker carries out."""

    sig_run_activated = Signal(int)
    sig_rename_requested = Signal(int, str)
    sig_delete_requested = Signal(int)
    sig_export_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self._runs: Sequence[Any] = ()
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._on_item_activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter runs…"))
        self.tree.setHeaderLabels([self.tr("Run"), self.tr("Lab"), self.tr("When"), self.tr("Time")])
        self.set_runs(self._runs)

    def set_runs(self, runs: Sequence[Any]) -> None:
        """Replace the list with ``RunSummary`` rows (newest first)."""
        self._runs = runs
        self.tree.clear()
        for run in runs:
            duration = f"{run.duration_s:.1f} s" if run.duration_s else ""
            mark = STATUS_MARKS.get(run.status, "?")
            item = QTreeWidgetItem([f"{mark}  {run.title}", lab_name(run.kind), _when(run.started_at), duration])
            item.setData(0, Qt.ItemDataRole.UserRole, run.id)
            state = run_state_text(run)
            item.setToolTip(0, f"#{run.id} · {run.kind} · {run.status}" + (f" · {state}" if state else ""))
            self.tree.addTopLevelItem(item)
        self._apply_filter(self.filter.text())

    def run_ids(self) -> list[int]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in top_level_items(self.tree)]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for item in top_level_items(self.tree):
            haystack = " ".join(item.text(c) for c in range(4)).lower()
            item.setHidden(bool(needle) and needle not in haystack)

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.sig_run_activated.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def _on_context_menu(self, position: Any) -> None:
        item = self.tree.itemAt(position)
        if item is None:
            return
        run_id = int(item.data(0, Qt.ItemDataRole.UserRole))
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.sig_run_activated.emit(run_id))
        menu.addAction(self.tr("Rename…"), lambda: self._rename(run_id, item))
        menu.addAction(self.tr("Export as JSON…"), lambda: self.sig_export_requested.emit(run_id))
        menu.addAction(self.tr("Delete"), lambda: self.sig_delete_requested.emit(run_id))
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def _rename(self, run_id: int, item: QTreeWidgetItem) -> None:
        current = item.text(0).split("  ", 1)[-1]
        title, ok = QInputDialog.getText(self, self.tr("Rename run"), self.tr("Title:"), text=current)
        if ok and title.strip():
            self.sig_rename_requested.emit(run_id, title.strip())
