"""The settings column: preset, prompt, strategy and knobs, and the buttons that start things.

The knobs are a ``ParamForm`` of ``SamplingParams`` whose rows follow the strategy (beam
settings only for beam search, the sampler's only when sampling), so the column shows what
matters for the method on screen and no more.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.param_fields import FieldOptions
from workbench.core.sampling.params import SamplingParams
from workbench.ui.language import Retranslating
from workbench.ui.panels.sampling.presets import PRESETS
from workbench.ui.settings import application_settings
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.param_form import ParamForm

SETTINGS_GROUP = "sampling/last_used"

FIELDS = [
    "chat_template", "strategy", "max_new_tokens", "temperature", "top_k", "top_p", "min_p", "typical_p", "seed",
    "num_beams", "length_penalty", "early_stopping", "num_return_sequences",
    "repetition_penalty", "no_repeat_ngram_size", "pipeline", "stop_strings", "stop_at_eos", "top_n",
]  # fmt: skip

OVERRIDES: dict[str, FieldOptions] = {
    "chat_template": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Use the chat template"),
                      "help": QT_TRANSLATE_NOOP("SettingsColumn", "Instruct models: send the prompt as a user message in the model's chat "
                      "format, so it answers; off: it continues the text. No effect on models without one.")},
    "strategy": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Strategy"), "help": QT_TRANSLATE_NOOP("SettingsColumn", "greedy: the most likely token · sample: draw from the "
                 "distribution the warpers leave · beam: keep the best partial sequences (book §1.4)")},
    "max_new_tokens": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Max new tokens"), "min": 1, "max": 4096},
    "temperature": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Temperature"), "min": 0.05, "max": 5.0, "step": 0.1, "decimals": 2,
                    "help": QT_TRANSLATE_NOOP("SettingsColumn", "Logits are divided by T: below 1 sharpens the distribution, above 1 flattens it.")},
    "top_k": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Top-k"), "min": 0, "max": 1000, "special": QT_TRANSLATE_NOOP("SettingsColumn", "off"),
              "help": QT_TRANSLATE_NOOP("SettingsColumn", "Keep only the k most likely tokens (Fan et al. 2018).")},
    "top_p": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Top-p"), "min": 0.01, "max": 1.0, "step": 0.05, "decimals": 2,
              "help": QT_TRANSLATE_NOOP("SettingsColumn", "Nucleus: keep the fewest top tokens whose mass reaches p (Holtzman et al. 2020).")},
    "min_p": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Min-p"), "min": 0.0, "max": 1.0, "step": 0.01, "decimals": 2, "special": QT_TRANSLATE_NOOP("SettingsColumn", "off"),
              "help": QT_TRANSLATE_NOOP("SettingsColumn", "Drop tokens below min-p × the top token's probability (Nguyen et al. 2024).")},
    "typical_p": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Typical-p"), "min": 0.01, "max": 1.0, "step": 0.05, "decimals": 2,
                  "help": QT_TRANSLATE_NOOP("SettingsColumn", "Locally typical sampling (Meister et al. 2023); 1 = off.")},
    "seed": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Seed"), "min": -1, "max": 2**31 - 1, "special": QT_TRANSLATE_NOOP("SettingsColumn", "random"),
             "help": QT_TRANSLATE_NOOP("SettingsColumn", "Same seed, same settings, same text.")},
    "num_beams": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Beams"), "min": 1, "max": 16},
    "length_penalty": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Length penalty"), "min": -5.0, "max": 5.0, "step": 0.1, "decimals": 2,
                       "help": QT_TRANSLATE_NOOP("SettingsColumn", "Finished beams rank by log p / length^penalty: above 0 favours longer ones.")},
    "early_stopping": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Early stopping"), "choices": [False, True, "never"],
                       "help": QT_TRANSLATE_NOOP("SettingsColumn", "True: stop once there are as many finished hypotheses as beams.")},
    "num_return_sequences": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Returned sequences"), "min": 1, "max": 16},
    "repetition_penalty": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Repetition penalty"), "min": 0.1, "max": 5.0, "step": 0.05, "decimals": 2,
                           "help": QT_TRANSLATE_NOOP("SettingsColumn", "Divide the logits of tokens already present (Keskar et al. 2019); 1 = off.")},
    "no_repeat_ngram_size": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "No-repeat n-gram"), "min": 0, "max": 10, "special": QT_TRANSLATE_NOOP("SettingsColumn", "off")},
    "pipeline": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Warper order"), "help": QT_TRANSLATE_NOOP("SettingsColumn", "Comma-separated order of temperature, top_k, top_p, min_p, typical.")},
    "stop_strings": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Stop strings"), "help": QT_TRANSLATE_NOOP("SettingsColumn", "Comma-separated texts that end the generation.")},
    "stop_at_eos": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Stop at end of text")},
    "top_n": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Candidates recorded"), "min": 1, "max": 1000,
              "help": QT_TRANSLATE_NOOP("SettingsColumn", "How many candidates each step keeps for the inspector.")},
}  # fmt: skip

CHOICES = (
    QT_TRANSLATE_NOOP("SettingsColumn", "greedy"),
    QT_TRANSLATE_NOOP("SettingsColumn", "sample"),
    QT_TRANSLATE_NOOP("SettingsColumn", "beam"),
    QT_TRANSLATE_NOOP("SettingsColumn", "True"),
    QT_TRANSLATE_NOOP("SettingsColumn", "False"),
    QT_TRANSLATE_NOOP("SettingsColumn", "never"),
)
"""The strategy and early-stopping choices as the form shows them (their values stay English)."""

_ONLY_FOR = {
    **dict.fromkeys(("temperature", "top_k", "top_p", "min_p", "typical_p", "seed", "pipeline"), "sample"),
    **dict.fromkeys(("num_beams", "length_penalty", "early_stopping", "num_return_sequences"), "beam"),
}
_ADVANCED = {"min_p", "typical_p", "pipeline", "early_stopping", "repetition_penalty", "no_repeat_ngram_size",
             "stop_strings", "stop_at_eos", "top_n"}  # fmt: skip


class SettingsColumn(Retranslating, QWidget):
    sig_generate = Signal()
    sig_step = Signal()
    sig_cancel = Signal()
    sig_save_steps = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model_ready = False
        self._generating = False
        self._any_job = False
        self.heading = QLabel()
        self.heading.setProperty("role", "heading")
        self.chapter = QLabel()
        self.chapter.setProperty("role", "muted")
        self.chapter.setWordWrap(True)

        self.preset = QComboBox()
        self.preset.addItem("", None)
        for preset in PRESETS:
            self.preset.addItem("", preset)
        self.preset.activated.connect(self._on_preset_chosen)
        self.prompt = QPlainTextEdit()
        self.prompt.setFixedHeight(92)

        self.form = ParamForm(SamplingParams, fields=FIELDS, overrides=OVERRIDES, context="SettingsColumn")
        self.form.sig_changed.connect(self._on_form_changed)
        self.more = QCheckBox()
        self.more.toggled.connect(self._update_rows)
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setWidget(self.form)

        self.generate_button = QPushButton()
        self.generate_button.setProperty("role", "primary")
        self.generate_button.clicked.connect(self.sig_generate)
        self.step_button = QPushButton()
        self.step_button.clicked.connect(self.sig_step)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.step_status = QLabel()
        self.step_status.setProperty("role", "muted")
        self.step_status.setWordWrap(True)
        self.save_steps_button = QPushButton()
        self.save_steps_button.clicked.connect(self.sig_save_steps)
        self.model_hint = QLabel()
        self.model_hint.setProperty("role", "muted")
        self.model_hint.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button, 2)
        buttons.addWidget(self.step_button, 1)
        buttons.addWidget(self.cancel_button, 1)
        step_row = QVBoxLayout()
        step_row.addWidget(self.step_status)
        step_row.addWidget(self.save_steps_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preset_caption = _caption()
        self.prompt_caption = _caption()
        layout.addWidget(self.heading)
        layout.addWidget(self.chapter)
        layout.addSpacing(6)
        layout.addWidget(self.preset_caption)
        layout.addWidget(self.preset)
        layout.addWidget(self.prompt_caption)
        layout.addWidget(self.prompt)
        layout.addWidget(form_scroll, 1)
        layout.addWidget(self.more)
        # The buttons come last: step mode's status and "Save steps as run" appear above them
        # and take their room from the scrolled form, so Step ▸ stays under the mouse.
        layout.addLayout(step_row)
        layout.addWidget(self.model_hint)
        layout.addLayout(buttons)
        self._restore()
        self.set_step_status("", can_save=False)
        self.set_running(False)
        self._update_rows()
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Sampling lab"))
        self.chapter.setText(self.tr("Book §1.4–1.5 · how decoding picks each token"))
        self.preset_caption.setText(self.tr("Preset"))
        self.prompt_caption.setText(self.tr("Prompt"))
        self.preset.setItemText(0, self.tr("Choose a preset…"))
        for index, preset in enumerate(PRESETS, start=1):
            self.preset.setItemText(index, QCoreApplication.translate("SamplingPresets", preset.name))
            self.preset.setItemData(
                index, QCoreApplication.translate("SamplingPresets", preset.note), Qt.ItemDataRole.ToolTipRole
            )
        self.prompt.setPlaceholderText(self.tr("The text the model continues…"))
        self.more.setText(self.tr("More settings"))
        self.generate_button.setText(self.tr("Generate"))
        self.generate_button.setToolTip(self.tr("Run the whole generation (Ctrl+Return)"))
        self.step_button.setText(self.tr("Step ▸"))
        self.step_button.setToolTip(self.tr("Step mode: one token per click, or Space / → on the text"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.save_steps_button.setText(self.tr("Save steps as run"))
        self.save_steps_button.setToolTip(self.tr("Store the tokens stepped so far as a run in the project"))
        self.model_hint.setText(self.tr("No model loaded: choose Model ▸ Load Demo Model (or Load Model…)."))

    # -- values ----------------------------------------------------------------------------
    def params(self) -> SamplingParams:
        return self.form.value(prompt=self.prompt.toPlainText())

    def set_params(self, params: SamplingParams) -> None:
        self.prompt.setPlainText(params.prompt)
        self.form.set_value(params)

    def use_sampler_settings(self, temperature: float, top_k: int, top_p: float) -> None:
        self.form.set_value(
            replace(self.params(), strategy="sample", temperature=temperature, top_k=top_k, top_p=top_p)
        )

    def remember(self) -> None:
        """Keep the last-used settings for the next start (only in the app, which names its settings)."""
        settings = application_settings()
        if settings is None:
            return
        self.form.save(settings, SETTINGS_GROUP)
        settings.setValue(f"{SETTINGS_GROUP}/prompt", self.prompt.toPlainText())

    # -- state -----------------------------------------------------------------------------
    def set_model_ready(self, ready: bool) -> None:
        self._model_ready = ready
        self.model_hint.setVisible(not ready)
        self._update_buttons()

    def set_running(self, generating: bool, any_job: bool = False) -> None:
        self._generating = generating
        self._any_job = any_job or generating
        self._update_buttons()

    def set_step_status(self, text: str, can_save: bool) -> None:
        self.step_status.setText(text)
        self.step_status.setVisible(bool(text))
        self.save_steps_button.setVisible(bool(text))
        self.save_steps_button.setEnabled(can_save)

    def _update_buttons(self) -> None:
        ready = self._model_ready and not self._generating
        self.generate_button.setEnabled(ready)
        self.step_button.setEnabled(ready and self.form.field_value("strategy") != "beam")
        self.cancel_button.setEnabled(self._any_job)

    # -- internals ---------------------------------------------------------------------------
    def _on_preset_chosen(self, index: int) -> None:
        preset = self.preset.itemData(index)
        if preset is not None:
            self.set_params(preset.params())

    def _on_form_changed(self) -> None:
        self._update_rows()
        self._update_buttons()

    def _update_rows(self) -> None:
        strategy = self.form.field_value("strategy")
        layout = self.form.layout()
        assert isinstance(layout, QFormLayout)
        for name in FIELDS:
            wanted = _ONLY_FOR.get(name, strategy) == strategy and (self.more.isChecked() or name not in _ADVANCED)
            layout.setRowVisible(self.form.editor(name), wanted)

    def _restore(self) -> None:
        settings = application_settings()
        if settings is None:
            return
        self.form.restore(settings, SETTINGS_GROUP)
        self.prompt.setPlainText(str(settings.value(f"{SETTINGS_GROUP}/prompt", "")))


def _caption() -> QLabel:
    label = QLabel()
    label.setProperty("role", "muted")
    return label
