"""The trace's settings column: preset, prompt, token chips with the subject, target, knobs.

The typed subject and the chip selection stay in sync: typing finds the tokens the text
covers (the rule the trace itself uses, ``core.tracing.subject``); dragging over chips writes
the chips' text into the subject box.  The target is picked from the model's top next
tokens (a small predict job the panel runs whenever the prompt changes) or typed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.base.errors import InvalidParameters
from workbench.core.param_fields import FieldOptions
from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.results import PromptPreview
from workbench.core.tracing.subject import subject_text, subject_tokens
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.panels.tracing.presets import TracePreset, trace_presets
from workbench.ui.panels.tracing.token_chips import TokenChips
from workbench.ui.settings import application_settings
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.param_form import ParamForm
from workbench.ui.widgets.token_text import visible_token

SETTINGS_GROUP = "tracing/last_used"
PREVIEW_DELAY_MS = 250

FIELDS = ["kinds", "samples", "noise", "noise_kind", "window", "seed"]
OVERRIDES: dict[str, FieldOptions] = {
    "kinds": {"label": QT_TRANSLATE_NOOP("TraceControls", "Heatmaps"), "help": QT_TRANSLATE_NOOP("TraceControls", "Comma-separated: hidden, mlp, attn (ROME Fig. 1 shows all three).")},
    "samples": {"label": QT_TRANSLATE_NOOP("TraceControls", "Noise samples"), "min": 1, "max": 200,
                "help": QT_TRANSLATE_NOOP("TraceControls", "Each cell averages p(target) over this many corrupted runs (ROME: 10).")},
    "noise": {"label": QT_TRANSLATE_NOOP("TraceControls", "Noise (× σ)"), "min": 0.0, "max": 20.0, "step": 0.5, "decimals": 1,
              "help": QT_TRANSLATE_NOOP("TraceControls", "Standard deviation of the noise on the subject's embeddings, in multiples of σ, the "
                      "embedding output's std (ROME: 3σ).")},
    "noise_kind": {"label": QT_TRANSLATE_NOOP("TraceControls", "Noise kind"),
                   "help": QT_TRANSLATE_NOOP("TraceControls", "gaussian or uniform noise of that std, or replace the subject by random tokens.")},
    "window": {"label": QT_TRANSLATE_NOOP("TraceControls", "Window (layers)"), "min": 0, "max": 100, "special": QT_TRANSLATE_NOOP("TraceControls", "auto"),
               "help": QT_TRANSLATE_NOOP("TraceControls", "Layers restored around an MLP/attention cell: auto = 10 in deep models, about a "
                       "fifth of the depth in shallow ones.")},
    "seed": {"label": QT_TRANSLATE_NOOP("TraceControls", "Seed"), "min": 0, "max": 2**31 - 1, "help": QT_TRANSLATE_NOOP("TraceControls", "Same seed, same noise, same heatmaps.")},
}  # fmt: skip


class TraceControls(Retranslating, QWidget):
    sig_prompt_settled = Signal(str)  # the prompt, once typing pauses: time to tokenize
    sig_trace = Signal()
    sig_cancel = Signal()
    sig_changed = Signal()  # anything that changes the cost estimate

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview: PromptPreview | None = None
        self._wanted_target = ""
        self._presets: list[TracePreset] = trace_presets()
        self._note: Callable[[], str] = str
        """Makes the line under the subject (in the current language); ``str`` gives ""."""

        self.preset = QComboBox()
        self.preset.addItem("", None)
        for preset in self._presets:
            self.preset.addItem("", preset)
        self.preset.activated.connect(self._on_preset_chosen)
        for combo in (self.preset,):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        self.prompt = QLineEdit()
        self.chips = TokenChips()
        self.subject = QLineEdit()
        self.subject_note = QLabel()
        self.subject_note.setProperty("role", "muted")
        self.subject_note.setWordWrap(True)
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target.setMinimumContentsLength(12)
        self.form = ParamForm(TraceParams, FIELDS, OVERRIDES, context="TraceControls")
        self.cost = QLabel()
        self.cost.setProperty("role", "muted")
        self.cost.setWordWrap(True)
        self.trace_button = QPushButton()
        self.trace_button.setProperty("role", "primary")
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)

        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        self.chapter = chapter = QLabel()
        chapter.setProperty("role", "muted")
        chapter.setWordWrap(True)  # two lines in the column at Present mode's size, not cut
        fields = QFormLayout()
        self.field_labels = [QLabel() for _ in range(5)]
        """Preset, Prompt, Tokens, Subject, Target: the captions ``retranslate`` names."""
        for label, field in zip(self.field_labels[:4], (self.preset, self.prompt, self.chips, self.subject)):
            fields.addRow(label, field)
        fields.addRow("", self.subject_note)
        fields.addRow(self.field_labels[4], self.target)
        self.action_bar = QWidget()
        """The cost estimate and the buttons, for the panel to pin under the scrolled column."""
        actions = QVBoxLayout(self.action_bar)
        actions.setContentsMargins(0, 6, 0, 0)
        actions.addWidget(self.cost)
        buttons = QHBoxLayout()
        buttons.addWidget(self.trace_button, 1)
        buttons.addWidget(self.cancel_button)
        actions.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(chapter)
        layout.addLayout(fields)
        layout.addWidget(self.form)
        layout.addStretch(1)

        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(PREVIEW_DELAY_MS)
        self._settle.timeout.connect(lambda: self.sig_prompt_settled.emit(self.prompt.text()))
        self.prompt.textChanged.connect(self._on_prompt_edited)
        self.subject.textEdited.connect(self._on_subject_typed)
        self.chips.sig_span_selected.connect(self._on_chips_selected)
        self.form.sig_changed.connect(self.sig_changed)
        self.target.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
        self.trace_button.clicked.connect(self.sig_trace)
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.retranslate()

    def retranslate(self) -> None:
        self.preset.setItemText(0, self.tr("Choose a fact to trace…"))
        for index, preset in enumerate(self._presets, start=1):
            self.preset.setItemText(index, preset.label())
        self.prompt.setPlaceholderText(self.tr("A prompt that ends where the fact's object follows"))
        self.subject.setPlaceholderText(self.tr("Type the subject, or drag over its tokens above"))
        target_edit = self.target.lineEdit()
        assert target_edit is not None  # the combo box is editable, so it has a line edit
        target_edit.setPlaceholderText(self.tr("the model's top prediction"))
        self.trace_button.setText(self.tr("Trace"))
        self.trace_button.setToolTip(self.tr("Run the causal trace (Ctrl+Return)"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.heading.setText(self.tr("Causal tracing"))
        self.chapter.setText(self.tr("Book §5.4.1 · causal tracing · ROME (Meng et al. 2022)"))
        captions = (self.tr("Preset"), self.tr("Prompt"), self.tr("Tokens"), self.tr("Subject"), self.tr("Target"))
        for label, text in zip(self.field_labels, captions):
            label.setText(text)
        self.subject_note.setText(self._note())

    # -- what the panel reads ------------------------------------------------------------
    def params(self) -> TraceParams:
        """The trace as set up: the chips' span when the chips belong to this prompt."""
        target_text, target_id = self.target_choice()
        return self.form.value(
            prompt=self.prompt.text(),
            subject=self.subject.text().strip(),
            subject_span=self.subject_span(),
            target=target_text,
            target_id=target_id,
        )

    def target_choice(self) -> tuple[str | None, int | None]:
        """(typed target, None) or (None, id of the chosen prediction)."""
        index, text = self.target.currentIndex(), self.target.currentText()
        if index >= 0 and text == self.target.itemText(index) and self.target.itemData(index) is not None:
            return None, int(self.target.itemData(index))
        return (text.strip() or None), None

    def subject_span(self) -> tuple[int, int] | None:
        if self._preview is None or self._preview.prompt != self.prompt.text():
            return None
        return self.chips.selected_span()

    def preview(self) -> PromptPreview | None:
        return self._preview if self._preview is not None and self._preview.prompt == self.prompt.text() else None

    def problem(self) -> str | None:
        """Why the trace cannot run as set up (checked before submitting), or None."""
        if not self.prompt.text().strip():
            return self.tr("The prompt is empty: type a prompt, or choose a preset.")
        if self.subject_span() is None and not self.subject.text().strip():
            return self.tr("Name the subject: type it, or drag over its tokens.")
        preview = self.preview()
        if preview is not None and self.subject_span() is None:
            try:
                subject_tokens(preview.prompt, self.subject.text(), preview.offsets)
            except InvalidParameters as error:
                return translate_core_message(str(error))
        elif (
            self.subject_span() is None and self.subject.text().strip().casefold() not in self.prompt.text().casefold()
        ):
            return self.tr("The subject '{subject}' does not appear in the prompt.").format(
                subject=self.subject.text().strip()
            )
        return None

    # -- what the panel sets ---------------------------------------------------------------
    def set_preview(self, preview: PromptPreview) -> None:
        """Tokens and top predictions of the prompt (ignored if the prompt changed since)."""
        if preview.prompt != self.prompt.text():
            return
        self._preview = preview
        self.chips.set_tokens(preview.tokens)
        self._sync_chips_from_subject()
        wanted = self._wanted_target or self.target.currentText()
        self.target.blockSignals(True)
        self.target.clear()
        for prediction in preview.top_predictions:
            self.target.addItem(f"{visible_token(prediction.token)}   p={prediction.prob:.3f}", prediction.token_id)
        matches = [i for i, p in enumerate(preview.top_predictions) if wanted and p.token.strip() == wanted.strip()]
        if matches:
            self.target.setCurrentIndex(matches[0])
        elif wanted:
            self.target.setCurrentIndex(-1)
            self.target.setEditText(wanted.strip())
        else:
            self.target.setCurrentIndex(0)
        self.target.blockSignals(False)
        self._wanted_target = ""
        self.sig_changed.emit()

    def set_trace(
        self,
        params: TraceParams,
        tokens: list[str] | None = None,
        span: tuple[int, int] | None = None,
        target: str | None = None,
    ) -> None:
        """Show a trace's settings (a reopened run): prompt, subject, target and knobs."""
        self.form.set_value(params)
        self.prompt.setText(params.prompt)
        self.subject.setText(params.subject)
        self._wanted_target = (target or params.target or "").strip()
        self.target.setEditText(self._wanted_target)
        if tokens is not None:
            self.chips.set_tokens(tokens)
            self.chips.select_span(span)

    def set_running(self, running: bool) -> None:
        self.trace_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def set_cost_text(self, text: str) -> None:
        self.cost.setText(text)

    def remember(self) -> None:
        """Keep the knobs for the next start (only in the app, which names its settings)."""
        settings = application_settings()
        if settings is not None:
            self.form.save(settings, SETTINGS_GROUP)

    def recall(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.form.restore(settings, SETTINGS_GROUP)

    # -- internals ---------------------------------------------------------------------------
    def _on_preset_chosen(self, index: int) -> None:
        preset = self.preset.itemData(index)
        if isinstance(preset, TracePreset):
            self._wanted_target = preset.target
            self.target.setEditText(preset.target.strip())
            self.prompt.setText(preset.prompt)
            self.subject.setText(preset.subject)

    def _on_prompt_edited(self, _text: str) -> None:
        self.chips.select_span(None)
        self._set_note(str)
        self._settle.start()
        self.sig_changed.emit()

    def _on_subject_typed(self, _text: str) -> None:
        self._sync_chips_from_subject()
        self.sig_changed.emit()

    def _sync_chips_from_subject(self) -> None:
        preview = self.preview()
        if preview is None or not self.subject.text().strip():
            self.chips.select_span(None)
            self._set_note(str)
            return
        try:
            span = subject_tokens(preview.prompt, self.subject.text(), preview.offsets)
        except InvalidParameters as error:
            self.chips.select_span(None)
            self._set_note(functools.partial(translate_core_message, str(error)))
            return
        self.chips.select_span(span)
        self._set_note(lambda: _span_note(span))

    def _on_chips_selected(self, start: int, end: int) -> None:
        preview = self.preview()
        if preview is None:
            return
        self.subject.setText(subject_text(preview.prompt, (start, end), preview.offsets))
        self._set_note(lambda: _span_note((start, end)))
        self.sig_changed.emit()

    def _set_note(self, note: Callable[[], str]) -> None:
        self._note = note
        self.subject_note.setText(note())


def _span_note(span: tuple[int, int]) -> str:
    start, end = span
    count = end - start
    if count == 1:
        return QCoreApplication.translate("TraceControls", "Subject: token {index} (1 token)").format(index=start)
    return QCoreApplication.translate("TraceControls", "Subject: tokens {first}–{last} ({count} tokens)").format(
        first=start, last=end - 1, count=count
    )
