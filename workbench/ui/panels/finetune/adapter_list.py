"""The adapters layered on the session's model: which are active, on or off, merged or not.

Every change is an ``AdapterOperationParams`` job; the list only shows the ``AdapterState``
the worker reports back, so it always says exactly what the model is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
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

from workbench.core.finetune.params import AdapterOperationParams, AdapterState
from workbench.ui.language import Retranslating
from workbench.ui.panels.finetune.parameter_table import format_count
from workbench.ui.widgets.item_views import top_level_items

_MERGEABLE = ("lora", "ia3")


class AdapterList(Retranslating, QWidget):
    sig_operation = Signal(object)  # AdapterOperationParams

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: AdapterState | None = None
        self._kept_one = False
        """The user unticked the last active adapter: the status says why it stays ticked."""
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.enabled = QCheckBox()
        self.enabled.clicked.connect(
            lambda on: self.sig_operation.emit(AdapterOperationParams(action="enable" if on else "disable"))
        )
        self.merge_button = QPushButton()
        self.merge_button.clicked.connect(self._on_merge_clicked)
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self._on_load_clicked)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(lambda: self.sig_operation.emit(AdapterOperationParams(action="clear")))
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enabled)
        buttons.addStretch(1)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.clear_button)
        self.note = note = QLabel()
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.show_state(None)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Adapter"), self.tr("Method"), self.tr("Trainable"), self.tr("From")])
        self.enabled.setText(self.tr("Adapters on"))
        self.enabled.setToolTip(self.tr("Off: the base model, with every adapter kept loaded"))
        self.merge_button.setToolTip(
            self.tr("Fold the active LoRA/IA3 adapters into the base weights (W + ΔW); unmerge restores them")
        )
        self.load_button.setText(self.tr("Load adapter folder…"))
        self.clear_button.setText(self.tr("Remove all"))
        self.clear_button.setToolTip(self.tr("Remove every adapter: the base model exactly as loaded"))
        self.note.setText(
            self.tr(
                "Tick adapters to make them active: several LoRA (or IA3) adapters stack, their updates add up. "
                "Prompt, prefix and BitFit adapters work alone."
            )
        )
        self._show_status()

    def show_state(self, state: AdapterState | None) -> None:
        """Show what the worker reports (None: no model, nothing applied)."""
        self._state = state
        adapters = state.adapters if state is not None else []
        self.tree.blockSignals(True)
        self.tree.clear()
        for adapter in adapters:
            item = QTreeWidgetItem(
                [adapter.name, adapter.method, format_count(adapter.trainable_parameters), adapter.source]
            )
            item.setToolTip(3, adapter.source)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if adapter.active else Qt.CheckState.Unchecked)
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        any_applied = bool(adapters)
        self.enabled.setEnabled(any_applied)
        self.enabled.setChecked(state is not None and state.enabled and any_applied)
        merged = state is not None and state.merged
        self.merge_button.setEnabled(merged or any(a.active and a.method in _MERGEABLE for a in adapters))
        self.clear_button.setEnabled(any_applied)
        self._kept_one = False
        self._show_status()

    def _show_status(self) -> None:
        """The merge button's word and the status line, from the state shown (and the language)."""
        state = self._state
        adapters = state.adapters if state is not None else []
        merged = state is not None and state.merged
        self.merge_button.setText(self.tr("Unmerge") if merged else self.tr("Merge into weights"))
        if self._kept_one:
            self.status.setText(self.tr("One adapter stays active: untick “Adapters on” to use the base model."))
        elif not adapters:
            self.status.setText(self.tr("No adapter applied: the model is the base model."))
        else:
            active = ", ".join(a.name for a in adapters if a.active) or self.tr("none")
            if merged:
                self.status.setText(
                    self.tr("Active: {active} · adapters merged into the weights.").format(active=active)
                )
            elif state is not None and state.enabled:
                self.status.setText(self.tr("Active: {active} · adapters on.").format(active=active))
            else:
                self.status.setText(self.tr("Active: {active} · adapters off (base model).").format(active=active))

    def state(self) -> AdapterState | None:
        return self._state

    def _on_item_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        names = tuple(
            item.text(0) for item in top_level_items(self.tree) if item.checkState(0) == Qt.CheckState.Checked
        )
        if names:
            self.sig_operation.emit(AdapterOperationParams(action="activate", names=names))
            return
        self.show_state(self._state)  # one adapter stays active; "Adapters on" gives the base model
        self._kept_one = True
        self._show_status()

    def _on_merge_clicked(self) -> None:
        merged = self._state is not None and self._state.merged
        self.sig_operation.emit(AdapterOperationParams(action="unmerge" if merged else "merge"))

    def _on_load_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Adapter folder (adapter_config.json)"))
        if folder:
            self.sig_operation.emit(AdapterOperationParams(action="load", folder=folder))
