"""The edit ledger: every edit layered on the loaded model, on or off, undoable, exportable.

Every change is a ``LedgerParams`` job; the list only shows the ``LedgerState`` the worker
reports back, so it always says exactly what the model is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.editing.params import LedgerParams, LedgerState
from workbench.ui.language import Retranslating
from workbench.ui.panels.editing.method_settings import SHORT_NAMES
from workbench.ui.widgets.item_views import top_level_items


class LedgerView(Retranslating, QWidget):
    sig_operation = Signal(object)  # LedgerParams
    sig_export = Signal(str)  # folder

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: LedgerState | None = None
        self.note = note = QLabel()
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.undo_button = QPushButton()
        self.undo_all_button = QPushButton()
        self.export_button = QPushButton()
        self.undo_button.clicked.connect(self._on_undo_clicked)
        self.undo_all_button.clicked.connect(lambda: self.sig_operation.emit(LedgerParams(action="revert_all")))
        self.export_button.clicked.connect(self._on_export_clicked)
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.undo_all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.show_state(None)
        self.retranslate()

    def retranslate(self) -> None:
        self.note.setText(
            self.tr(
                "Edits are layered on the loaded weights in order. Untick one to switch it off, undo one or all "
                "to take them out for good, or export the edited model so that plain transformers loads it."
            )
        )
        self.tree.setHeaderLabels(["#", self.tr("Method"), self.tr("Layer"), self.tr("Edit")])
        self.undo_button.setText(self.tr("Undo selected"))
        self.undo_all_button.setText(self.tr("Undo all"))
        self.export_button.setText(self.tr("Export edited model…"))
        self._show_status()

    def show_state(self, state: LedgerState | None) -> None:
        """Show what the worker reports (None: no model, nothing edited)."""
        self._state = state
        entries = state.entries if state is not None else []
        self.tree.blockSignals(True)
        self.tree.clear()
        for entry in entries:
            method = SHORT_NAMES.get(entry.method, entry.method)
            item = QTreeWidgetItem([str(entry.edit_id), method, str(entry.layer), entry.summary])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.edit_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if entry.enabled else Qt.CheckState.Unchecked)
            item.setToolTip(3, entry.summary)
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self._show_status()
        self._update_buttons()

    def _show_status(self) -> None:
        state = self._state
        entries = state.entries if state is not None else []
        if not entries:
            self.status.setText(self.tr("No edit applied: the model is the model as loaded."))
            return
        enabled = sum(e.enabled for e in entries)
        edits = (self.tr("{count} edit") if len(entries) == 1 else self.tr("{count} edits")).format(count=len(entries))
        if state is not None and state.model_modified:
            text = self.tr("{edits}, {enabled} on · the model differs from the loaded one.")
        else:
            text = self.tr("{edits}, {enabled} on · the model equals the loaded one.")
        self.status.setText(text.format(edits=edits, enabled=enabled))

    def state(self) -> LedgerState | None:
        return self._state

    def set_busy(self, busy: bool) -> None:
        self.setEnabled(not busy)

    def item_of(self, edit_id: int) -> QTreeWidgetItem | None:
        for item in top_level_items(self.tree):
            if item.data(0, Qt.ItemDataRole.UserRole) == edit_id:
                return item
        return None

    def _update_buttons(self) -> None:
        has_entries = self._state is not None and bool(self._state.entries)
        self.undo_button.setEnabled(bool(self.tree.selectedItems()))
        self.undo_all_button.setEnabled(has_entries)
        self.export_button.setEnabled(self._state is not None)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            self.sig_operation.emit(LedgerParams(action="toggle", edit_id=int(item.data(0, Qt.ItemDataRole.UserRole))))

    def _on_undo_clicked(self) -> None:
        for item in self.tree.selectedItems():
            self.sig_operation.emit(LedgerParams(action="revert", edit_id=int(item.data(0, Qt.ItemDataRole.UserRole))))

    def _on_export_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the edited model (save_pretrained)"))
        if folder:
            self.sig_export.emit(folder)
