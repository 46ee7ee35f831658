"""The left column of the editing lab: which fact to write, how, and the buttons that do it.

Bad input is explained inline, under the fields, before anything is submitted; the layer
can be suggested by a quick MLP trace whose per-layer effects are drawn as small bars.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
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
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.panels.editing.case_picker import CasePicker
from workbench.ui.panels.editing.method_settings import MethodSettings
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.token_text import visible_token

TARGET_HINT = QT_TRANSLATE_NOOP(
    "EditForm",
    "English words keep their leading space (␣), as the model writes “ Paris” after “in”; Chinese targets need none.",
)


class LayerEffects(Retranslating, pg.PlotWidget):
    """The quick trace's indirect effect of each layer's MLP, the suggested layer in accent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(110)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.getAxis("left").setWidth(36)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#9aa5b4")
        item.addItem(self.bars)
        self._effects = np.zeros(0)
        self.retranslate()

    def retranslate(self) -> None:
        self.getPlotItem().setLabel("bottom", self.tr("layer"))

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


class EditForm(Retranslating, QWidget):
    sig_apply = Signal()
    sig_cancel = Signal()
    sig_suggest = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case_id: int | None = None
        self._message: str | None = None
        self._layer_choice: tuple[int, int] | None = None
        """(largest-effect layer, chosen layer) of the last suggestion, for its note."""
        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        self.intro = intro = QLabel()
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)
        self.cases = CasePicker()
        self.prompt = QLineEdit()
        self.subject = QLineEdit()
        self.subject.setPlaceholderText("Anoda")
        self.target_new = QLineEdit()
        self.target_new.setPlaceholderText("␣Pakelia")
        self.target_true = QLineEdit()
        self.target_hint = QLabel()
        self.target_hint.setProperty("role", "muted")
        self.target_hint.setWordWrap(True)
        self.case_label = QLabel()
        self.case_label.setProperty("role", "muted")
        self.case_label.setWordWrap(True)
        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.field_labels = [QLabel() for _ in range(4)]
        for label, line in zip(self.field_labels[:3], (self.prompt, self.subject, self.target_new), strict=True):
            fields.addRow(label, line)
        fields.addRow("", self.target_hint)
        fields.addRow(self.field_labels[3], self.target_true)

        self.method = MethodSettings()
        self.suggest_button = QPushButton()
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
        self.apply_button = QPushButton()
        self.apply_button.setProperty("role", "primary")
        self.cancel_button = QPushButton()
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

        self.action_bar = QWidget()
        """Message, status and the buttons, for the panel to pin under the scrolled column: a
        message that appears or wraps grows upwards, so Apply edit never moves under the mouse."""
        actions = QVBoxLayout(self.action_bar)
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
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Edit a fact"))
        self.intro.setText(self.tr("Pick a case from a fact file, start from a trace cell (“Edit here”), or type one."))
        texts = (self.tr("Prompt"), self.tr("Subject"), self.tr("New target"), self.tr("Old target"))
        for label, text in zip(self.field_labels, texts, strict=True):
            label.setText(text)
        self.prompt.setPlaceholderText(self.tr("{} is located in   ({} marks the subject)"))
        self.target_true.setPlaceholderText(self.tr("optional: the answer now (␣Ensia)"))
        self.suggest_button.setText(self.tr("Suggest layer"))
        self.suggest_button.setToolTip(
            self.tr("Trace the MLPs at the last subject token and pick the layer with the largest effect")
        )
        self.apply_button.setText(self.tr("Apply edit"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._update_target_hint(self.target_new.text())
        self._show_layer_note()
        self._set_case_id(self._case_id)
        self.show_message(self._message)

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
            self._layer_choice = None
        else:
            layer = int(np.nanargmax(effects)) if chosen is None else chosen
            self.method.set_layer(layer)
            self._layer_choice = (int(np.nanargmax(effects)), layer)
        self._show_layer_note()

    def _show_layer_note(self) -> None:
        if self._layer_choice is None:
            self.layer_note.setText("")
            return
        largest, layer = self._layer_choice
        self.layer_note.setText(
            self.tr("Largest MLP effect at layer {largest}: layer {layer} chosen.").format(largest=largest, layer=layer)
        )

    # -- state -------------------------------------------------------------------------------
    def show_message(self, text: str | None) -> None:
        """Show ``text`` (English: a core error or a sentence marked in the ``EditingPanel``
        context) in the interface language; it is kept so a language switch shows it again."""
        self._message = text
        shown = translate_core_message(QCoreApplication.translate("EditingPanel", text)) if text else ""
        self.message.setText(shown)
        self.message.setVisible(bool(text))

    def shown_message(self) -> str | None:
        """The message shown, in English (None: none)."""
        return self._message

    def set_running(self, running: bool, model_ready: bool) -> None:
        self.apply_button.setEnabled(model_ready and not running)
        self.suggest_button.setEnabled(model_ready and not running)
        self.cancel_button.setEnabled(running)
        if not running:
            self.progress.setValue(0)

    def show_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(round(fraction * 1000)))
        self.status.setText(translate_core_message(message) or " ")

    def save(self, settings: QSettings, group: str) -> None:
        self.method.save(settings, group)

    def restore(self, settings: QSettings, group: str) -> None:
        self.method.restore(settings, group)

    def _update_target_hint(self, text: str) -> None:
        shown = self.tr("Taught as “{token}”. ").format(token=visible_token(text)) if text else ""
        self.target_hint.setText(shown + QCoreApplication.translate("EditForm", TARGET_HINT))

    def _forget_case(self) -> None:
        self._set_case_id(None)

    def _set_case_id(self, case_id: int | None) -> None:
        self._case_id = case_id
        if case_id is None:
            self.case_label.setText("")
            self.case_label.setVisible(False)
            return
        self.case_label.setText(
            self.tr("Case #{case}: its paraphrases, neighbours and related questions are evaluated too.").format(
                case=case_id
            )
        )
        self.case_label.setVisible(True)
        self.case_label.setAlignment(Qt.AlignmentFlag.AlignLeft)
