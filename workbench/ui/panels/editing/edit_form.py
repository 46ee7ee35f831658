"""The left column of the editing lab: which fact to write, how, and the buttons that do it.

Bad input is explained inline, under the fields, before anything is submitted; the layer
can be suggested by a quick MLP trace whose per-layer effects are drawn as small bars.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.base.errors import InvalidParameters
from workbench.core.editing.cases import EditCase
from workbench.core.editing.params import EditParams, EditRequest, SuggestLayerParams
from workbench.ui.panels.editing.case_picker import CasePicker
from workbench.ui.panels.editing.method_settings import MethodSettings
from workbench.ui.widgets.token_text import visible_token

TARGET_HINT = "English words keep their leading space (␣), as the model writes “ Paris” after “in”; Chinese targets need none."


class LayerEffects(pg.PlotWidget):
    """The quick trace's indirect effect of each layer's MLP, the suggested layer in accent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(110)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.setLabel("bottom", "layer")
        item.getAxis("left").setWidth(36)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#9aa5b4")
        item.addItem(self.bars)
        self._effects = np.zeros(0)

    def set_effects(self, effects: np.ndarray | None) -> None:
        self._effects = np.zeros(0) if effects is None else np.asarray(effects, dtype=np.float64)
        x = np.arange(len(self._effects))
        brushes = ["#9aa5b4"] * len(x)
        if len(x):
            brushes[int(np.nanargmax(self._effects))] = "#2f6fde"
        self.bars.setOpts(x=x, height=np.nan_to_num(self._effects), brushes=brushes)
        self.getPlotItem().getAxis("bottom").setTicks([[(i, str(i)) for i in x]])
        self.setVisible(bool(len(x)))

    def effects(self) -> np.ndarray:
        return self._effects.copy()


class EditForm(QWidget):
    sig_apply = Signal()
    sig_cancel = Signal()
    sig_suggest = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case_id: int | None = None
        heading = QLabel("Edit a fact")
        heading.setProperty("role", "heading")
        intro = QLabel("Pick a case from a fact file, start from a trace cell (“Edit here”), or type one.")
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)
        self.cases = CasePicker()
        self.prompt = QLineEdit()
        self.prompt.setPlaceholderText("{} is located in   ({} marks the subject)")
        self.subject = QLineEdit()
        self.subject.setPlaceholderText("Anoda")
        self.target_new = QLineEdit()
        self.target_new.setPlaceholderText("␣Pakelia")
        self.target_true = QLineEdit()
        self.target_true.setPlaceholderText("optional: the answer now (␣Ensia)")
        self.target_hint = QLabel(TARGET_HINT)
        self.target_hint.setProperty("role", "muted")
        self.target_hint.setWordWrap(True)
        self.case_label = QLabel()
        self.case_label.setProperty("role", "muted")
        self.case_label.setWordWrap(True)
        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        fields.addRow("Prompt", self.prompt)
        fields.addRow("Subject", self.subject)
        fields.addRow("New target", self.target_new)
        fields.addRow("", self.target_hint)
        fields.addRow("Old target", self.target_true)

        self.method = MethodSettings()
        self.suggest_button = QPushButton("Suggest layer")
        self.suggest_button.setToolTip("Trace the MLPs at the last subject token and pick the layer with the largest effect")
        self.layer_note = QLabel()
        self.layer_note.setProperty("role", "muted")
        self.layer_note.setWordWrap(True)
        self.layer_effects = LayerEffects()
        self.layer_effects.setVisible(False)
        suggest_row = QHBoxLayout()
        suggest_row.addWidget(self.suggest_button)
        suggest_row.addWidget(self.layer_note, 1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d6336c;")
        self.message.setVisible(False)
        self.apply_button = QPushButton("Apply edit")
        self.apply_button.setProperty("role", "primary")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button, 1)
        buttons.addWidget(self.cancel_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.status = QLabel(" ")
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)

        self.actions = QWidget()
        """Message, status and the buttons, for the panel to pin under the scrolled column: a
        message that appears or wraps grows upwards, so Apply edit never moves under the mouse."""
        actions = QVBoxLayout(self.actions)
        actions.setContentsMargins(9, 6, 9, 9)
        actions.addWidget(self.message)
        actions.addWidget(self.status)
        actions.addWidget(self.progress)
        actions.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.cases)
        layout.addLayout(fields)
        layout.addWidget(self.case_label)
        layout.addWidget(self.method)
        layout.addLayout(suggest_row)
        layout.addWidget(self.layer_effects)
        layout.addStretch(1)

        self.cases.sig_case_chosen.connect(self.set_case)
        for line in (self.prompt, self.subject):
            line.textEdited.connect(self._forget_case)  # typed by hand: no longer the file's record
        for line in (self.prompt, self.subject, self.target_new):
            line.textChanged.connect(lambda _text: self.show_message(None))
        self.target_new.textChanged.connect(self._update_target_hint)
        self.apply_button.clicked.connect(self.sig_apply)
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.suggest_button.clicked.connect(self.sig_suggest)
        self.target_new.returnPressed.connect(self.sig_apply)

    # -- values ------------------------------------------------------------------------------
    def request(self) -> EditRequest:
        return EditRequest(
            prompt=self.prompt.text(), subject=self.subject.text(), target_new=self.target_new.text(),
            target_true=self.target_true.text(), case_id=self._case_id,
        )  # fmt: skip

    def problem(self) -> str | None:
        """What is wrong with the request, in a sentence (None if it can be submitted)."""
        try:
            self.request().check()
        except InvalidParameters as error:
            return str(error)
        return None

    def params(self) -> EditParams:
        method, rome, tpatcher = self.method.values()
        return EditParams(method=method, request=self.request(), rome=rome, tpatcher=tpatcher,
                          fact_file=self.cases.fact_file())  # fmt: skip

    def suggest_params(self) -> SuggestLayerParams:
        return SuggestLayerParams(request=self.request())

    def set_request(self, request: EditRequest) -> None:
        for line, text in ((self.prompt, request.prompt), (self.subject, request.subject),
                           (self.target_new, request.target_new), (self.target_true, request.target_true)):  # fmt: skip
            line.setText(text)
        self._set_case_id(request.case_id)

    def set_params(self, params: EditParams) -> None:
        """Put a stored edit back into the form (its fact file, request and settings)."""
        if params.fact_file != self.cases.fact_file():
            self.cases.set_fact_file(params.fact_file)
        self.method.set_values(params.method, params.rome, params.tpatcher)
        self.set_request(params.request)

    def set_case(self, case: EditCase) -> None:
        self.set_request(case.request)

    def set_layer_effects(self, effects: np.ndarray | None, chosen: int | None = None) -> None:
        """Show a quick trace's per-layer effects; ``chosen`` (default: the largest) goes into the form."""
        self.layer_effects.set_effects(effects)
        if effects is None or not len(effects):
            self.layer_note.setText("")
            return
        layer = int(np.nanargmax(effects)) if chosen is None else chosen
        self.method.set_layer(layer)
        self.layer_note.setText(f"Largest MLP effect at layer {int(np.nanargmax(effects))}: layer {layer} chosen.")

    # -- state -------------------------------------------------------------------------------
    def show_message(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    def set_running(self, running: bool, model_ready: bool) -> None:
        self.apply_button.setEnabled(model_ready and not running)
        self.suggest_button.setEnabled(model_ready and not running)
        self.cancel_button.setEnabled(running)
        if not running:
            self.progress.setValue(0)

    def show_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(round(fraction * 1000)))
        self.status.setText(message or " ")

    def save(self, settings: QSettings, group: str) -> None:
        self.method.save(settings, group)

    def restore(self, settings: QSettings, group: str) -> None:
        self.method.restore(settings, group)

    def _update_target_hint(self, text: str) -> None:
        shown = f"Taught as “{visible_token(text)}”. " if text else ""
        self.target_hint.setText(shown + TARGET_HINT)

    def _forget_case(self) -> None:
        self._set_case_id(None)

    def _set_case_id(self, case_id: int | None) -> None:
        self._case_id = case_id
        if case_id is None:
            self.case_label.setText("")
            self.case_label.setVisible(False)
            return
        self.case_label.setText(f"Case #{case_id}: its paraphrases, neighbours and related questions are evaluated too.")
        self.case_label.setVisible(True)
        self.case_label.setAlignment(Qt.AlignmentFlag.AlignLeft)
