"""The status-bar chip that says what the model is right now: base weights, or base weights
with adapters and edits layered on them ("LoRA ‹facts› on · 1 edit"), and the line that says
the same of a reopened run ("Run #12 · demo · LoRA ‹facts› on · 1 edit").

An adapter trained in the fine-tuning lab stays on in every lab; without this chip a RAG
answer in the wrong format had no visible cause.  The chip only shows what the worker
reports (``AdapterState`` and ``LedgerState`` results, whoever asked for them); a click
opens a menu that explains the state and toggles the adapters or each edit — the main window
turns those requests into the labs' own jobs, so the labs' lists stay in step.

A stored run records the state it was made in (``ModelState``); a reopened run shows it in its
lab's header (``RunStateLabel``) and in the run history's tooltip (``run_state_text``), so a
result made with an adapter on is never taken for one of the base weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtWidgets import QLabel, QMenu, QToolButton, QWidget

from workbench.base.errors import InvalidParameters
from workbench.core.editing.params import EditResult, LedgerState
from workbench.core.finetune.params import AdapterState
from workbench.core.model.state import ModelState
from workbench.store.codec import params_from_json
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP

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


# -- the state of a stored run -------------------------------------------------------------------
_METHOD_NAMES = {
    "lora": "LoRA",
    "ia3": "IA3",
    "bitfit": "BitFit",
    "prompt": QT_TRANSLATE_NOOP("RunStateLabel", "soft prompt"),
    "prefix": QT_TRANSLATE_NOOP("RunStateLabel", "prefix"),
}
"""How a run's header names each fine-tuning method (``ModelState`` stores the core's names)."""
RUN_STATE_MAX_WIDTH = 460
"""Pixels the header line may take beside a lab's tabs; longer states are elided (the tooltip has them all)."""


def stored_model_state(data: Mapping[str, Any] | None) -> ModelState | None:
    """The ``ModelState`` a run stored, or None when it recorded none (a run from before states
    were recorded, a job without a model) or one this version cannot read."""
    if data is None:
        return None
    try:
        return params_from_json(ModelState, data)
    except InvalidParameters:
        return None


def describe_model_state(state: ModelState) -> str:
    """``LoRA ‹facts› on · 1 edit``, or ``base weights`` — the chip's words, adapters first."""
    if state.base_weights:
        return QCoreApplication.translate("RunStateLabel", "base weights")
    parts = []
    if state.adapters:
        names = ", ".join(f"{_method_name(a.method)} ‹{a.name}›" for a in state.adapters)
        how = (
            QCoreApplication.translate("RunStateLabel", "merged")
            if state.merged
            else QCoreApplication.translate("RunStateLabel", "on")
        )
        parts.append(f"{names} {how}")
    if state.edits:
        count = len(state.edits)
        parts.append(
            QCoreApplication.translate("RunStateLabel", "1 edit")
            if count == 1
            else QCoreApplication.translate("RunStateLabel", "{count} edits").format(count=count)
        )
    return " · ".join(parts)


def _method_name(method: str) -> str:
    return QCoreApplication.translate("RunStateLabel", _METHOD_NAMES.get(method, method))


def run_state_text(summary: Any) -> str:
    """A ``RunSummary``'s model and state: ``demo · LoRA ‹facts› on · 1 edit``; just the model
    when the run recorded no state (it says nothing rather than guess "base weights")."""
    state = stored_model_state(summary.model_state)
    parts = [summary.model_label] if summary.model_label else []
    if state is not None:
        parts.append(describe_model_state(state))
    return " · ".join(parts)


def explain_model_state(state: ModelState | None) -> str:
    """The tooltip's lines: what was layered on the model, each edit with its ledger line."""
    if state is None:
        return QCoreApplication.translate(
            "RunStateLabel", "This run does not record which adapters or edits were on the model."
        )
    if state.base_weights:
        return QCoreApplication.translate(
            "RunStateLabel", "Made on the base weights: no adapter was on and no edit was applied."
        )
    lines = [QCoreApplication.translate("RunStateLabel", "Made with this on top of the base weights:")]
    for adapter in state.adapters:
        how = (
            QCoreApplication.translate("RunStateLabel", "merged into the weights")
            if state.merged
            else QCoreApplication.translate("RunStateLabel", "on")
        )
        lines.append(
            QCoreApplication.translate("RunStateLabel", "• adapter ‹{name}› ({method}), {how}").format(
                name=adapter.name,
                method=_method_name(adapter.method),
                how=how,
            )
        )
    lines.extend(
        QCoreApplication.translate("RunStateLabel", "• edit #{id}: {summary}").format(
            id=edit.edit_id, summary=edit.summary
        )
        for edit in state.edits
    )
    return "\n".join(lines)


class RunStateLabel(Retranslating, QLabel):
    """A lab's result header for a reopened run: "Run #12 · demo · LoRA ‹facts› on · 1 edit".

    It sits in the corner of the lab's result tabs (``Panel.show_run_state``) and is hidden
    while the lab shows results of its own jobs, whose state the status-bar chip tells.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("run-state")
        self.setProperty("role", "muted")
        self.setMaximumWidth(RUN_STATE_MAX_WIDTH)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._summary: Any = None
        self.retranslate()

    def retranslate(self) -> None:
        self._refresh()

    def show_run(self, summary: Any) -> None:
        """Describe the reopened run ``summary`` (a ``RunSummary``)."""
        self._summary = summary
        self._refresh()

    def clear_run(self) -> None:
        self._summary = None
        self._refresh()

    def full_text(self) -> str:
        """The whole line, before eliding to the width the header leaves it."""
        if self._summary is None:
            return ""
        state = run_state_text(self._summary)
        run = self.tr("Run #{id}").format(id=self._summary.id)
        return f"{run} · {state}" if state else run

    def _refresh(self) -> None:
        text = self.full_text()
        self.setVisible(bool(text))
        if not text:
            return
        self.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, RUN_STATE_MAX_WIDTH))
        state = explain_model_state(stored_model_state(self._summary.model_state))
        self.setToolTip(f"{text}\n{state}")
