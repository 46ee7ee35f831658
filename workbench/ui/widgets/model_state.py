"""The status-bar chip that says what the model is right now: base weights, or base weights
with adapters and edits layered on them ("LoRA ‹facts› on · 1 edit").

An adapter trained in the fine-tuning lab stays on in every lab; without this chip a RAG
answer in the wrong format had no visible cause.  The chip only shows what the worker
reports (``AdapterState`` and ``LedgerState`` results, whoever asked for them); a click
opens a menu that explains the state and toggles the adapters or each edit — the main window
turns those requests into the labs' own jobs, so the labs' lists stay in step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from workbench.core.editing.params import EditResult, LedgerState
from workbench.core.finetune.params import AdapterState
from workbench.ui.language import Retranslating

_LAYERED_STYLE = (
    "QToolButton { background: #fff3bf; color: #5c3c00; border: 1px solid #e8c547; border-radius: 9px;"
    " padding: 1px 10px; font-weight: 600; }"
)
_BASE_STYLE = "QToolButton { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 10px; }"


class ModelStateChip(Retranslating, QToolButton):
    sig_adapters_enabled = Signal(bool)  # turn every adapter on / off
    sig_edit_toggled = Signal(int)  # edit id: on ↔ off
    sig_show_lab = Signal(str)  # "finetune" or "editing": where the full lists are

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("model-state-chip")
        self._model = False
        self._adapters: AdapterState | None = None
        self._edits: LedgerState | None = None
        self.clicked.connect(self.show_menu)
        self._menu: QMenu | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self._refresh()

    # -- what the worker reports ---------------------------------------------------------------
    def show_model(self, info: Any) -> None:
        """A model was loaded (its own base weights, nothing layered) or unloaded."""
        self._model = info is not None
        self._adapters = None
        self._edits = None
        self._refresh()

    def show_result(self, result: Any) -> None:
        """Any job's result: adapter and ledger states (and an edit's ledger) update the chip."""
        if isinstance(result, AdapterState):
            self._adapters = result
        elif isinstance(result, LedgerState):
            self._edits = result
        elif isinstance(result, EditResult):
            self._edits = result.ledger
        else:
            return
        self._refresh()

    # -- what it shows -------------------------------------------------------------------------
    def active_adapters(self) -> list[str]:
        state = self._adapters
        return [a.name for a in state.adapters if a.active] if state is not None else []

    def adapters_on(self) -> bool:
        state = self._adapters
        return bool(state is not None and state.adapters and (state.enabled or state.merged))

    def applied_edits(self) -> int:
        return sum(1 for entry in self._edits.entries if entry.enabled) if self._edits is not None else 0

    def layered(self) -> bool:
        return self.adapters_on() or self.applied_edits() > 0

    def _adapter_text(self) -> str:
        state = self._adapters
        if state is None or not state.adapters:
            return ""
        active = [a for a in state.adapters if a.active] or state.adapters
        names = ", ".join(f"{a.method} ‹{a.name}›" for a in active)
        how = self.tr("merged") if state.merged else (self.tr("on") if state.enabled else self.tr("off"))
        return f"{names} {how}"

    def _refresh(self) -> None:
        self.setVisible(self._model)
        parts = []
        edits = self.applied_edits()
        if edits:
            parts.append(self.tr("1 edit") if edits == 1 else self.tr("{count} edits").format(count=edits))
        adapter_text = self._adapter_text()
        if adapter_text:
            parts.append(adapter_text)
        self.setText(" · ".join(parts) if parts else self.tr("base weights"))
        self.setStyleSheet(_LAYERED_STYLE if self.layered() else _BASE_STYLE)
        self.setToolTip(self._explanation())

    def _explanation(self) -> str:
        if not self.layered():
            lines = [self.tr("Every lab runs the model as loaded: no adapter is on and no edit is applied.")]
        else:
            lines = [self.tr("Every lab — sampling, tracing, editing, fine-tuning, RAG — runs this model:")]
            if self.adapters_on():
                lines.append(
                    self.tr("• adapter {adapter} (Fine-tuning › Adapters)").format(adapter=self._adapter_text())
                )
            elif self._adapter_text():
                lines.append(self.tr("• adapter {adapter}: loaded but not used").format(adapter=self._adapter_text()))
            edits = self.applied_edits()
            if edits:
                lines.append(
                    self.tr("• 1 model edit in the weights (Model Editing › Ledger)")
                    if edits == 1
                    else self.tr("• {count} model edits in the weights (Model Editing › Ledger)").format(count=edits)
                )
        lines.append(self.tr("Click to turn adapters or edits off."))
        return "\n".join(lines)

    # -- the menu ------------------------------------------------------------------------------
    def build_menu(self) -> QMenu:
        """The popover: one line of explanation, then a toggle for the adapters and each edit."""
        menu = QMenu(self)
        header = menu.addAction(self._explanation().splitlines()[0])
        header.setEnabled(False)
        menu.addSeparator()
        state = self._adapters
        if state is not None and state.adapters and not state.merged:
            names = ", ".join(self.active_adapters()) or self.tr("layers")
            toggle = menu.addAction(self.tr("Adapter {names} on").format(names=names))
            toggle.setCheckable(True)
            toggle.setChecked(state.enabled)
            toggle.toggled.connect(self.sig_adapters_enabled)
        elif state is not None and state.merged:
            menu.addAction(
                self.tr("Adapters are merged into the weights: unmerge them in Fine-tuning › Adapters")
            ).setEnabled(False)
        for entry in self._edits.entries if self._edits is not None else []:
            action = menu.addAction(self.tr("Edit #{id}: {summary}").format(id=entry.edit_id, summary=entry.summary))
            action.setCheckable(True)
            action.setChecked(entry.enabled)
            action.toggled.connect(lambda _on, edit_id=entry.edit_id: self.sig_edit_toggled.emit(edit_id))
        menu.addSeparator()
        menu.addAction(self.tr("Adapters in Fine-tuning…"), lambda: self.sig_show_lab.emit("finetune"))
        menu.addAction(self.tr("Edit ledger in Model Editing…"), lambda: self.sig_show_lab.emit("editing"))
        return menu

    def show_menu(self) -> None:
        self._menu = self.build_menu()
        self._menu.popup(self.mapToGlobal(QPoint(0, 0)) - QPoint(0, self._menu.sizeHint().height()))
