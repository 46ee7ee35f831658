"""The settings column: preset, prompt, strategy and knobs, and the buttons that start things.

The knobs are a ``ParamForm`` of ``SamplingParams`` whose rows follow the strategy (beam
settings only for beam search, the sampler's only when sampling), so the column shows what
matters for the method on screen and no more.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
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

from workbench.core.sampling.params import WARPERS, SamplingParams
from workbench.ui.panels.sampling.presets import PRESETS
from workbench.ui.settings import application_settings
from workbench.ui.widgets.param_form import ParamForm

SETTINGS_GROUP = "sampling/last_used"

FIELDS = [
    "chat_template", "strategy", "max_new_tokens", "temperature", "top_k", "top_p", "min_p", "typical_p", "seed",
    "num_beams", "length_penalty", "early_stopping", "num_return_sequences",
    "repetition_penalty", "no_repeat_ngram_size", "pipeline", "stop_strings", "stop_at_eos", "top_n",
]  # fmt: skip

OVERRIDES = {
    "chat_template": {"label": "Use the chat template",
                      "help": "Instruct models: send the prompt as a user message in the model's chat "
                      "format, so it answers; off: it continues the text. No effect on models without one."},
    "strategy": {"label": "Strategy", "help": "greedy: the most likely token · sample: draw from the "
                 "distribution the warpers leave · beam: keep the best partial sequences (book §1.4)"},
    "max_new_tokens": {"label": "Max new tokens", "min": 1, "max": 4096},
    "temperature": {"label": "Temperature", "min": 0.05, "max": 5.0, "step": 0.1, "decimals": 2,
                    "help": "Logits are divided by T: below 1 sharpens the distribution, above 1 flattens it."},
    "top_k": {"label": "Top-k", "min": 0, "max": 1000, "special": "off",
              "help": "Keep only the k most likely tokens (Fan et al. 2018)."},
    "top_p": {"label": "Top-p", "min": 0.01, "max": 1.0, "step": 0.05, "decimals": 2,
              "help": "Nucleus: keep the fewest top tokens whose mass reaches p (Holtzman et al. 2020)."},
    "min_p": {"label": "Min-p", "min": 0.0, "max": 1.0, "step": 0.01, "decimals": 2, "special": "off",
              "help": "Drop tokens below min-p × the top token's probability (Nguyen et al. 2024)."},
    "typical_p": {"label": "Typical-p", "min": 0.01, "max": 1.0, "step": 0.05, "decimals": 2,
                  "help": "Locally typical sampling (Meister et al. 2023); 1 = off."},
    "seed": {"label": "Seed", "min": -1, "max": 2**31 - 1, "special": "random",
             "help": "Same seed, same settings, same text."},
    "num_beams": {"label": "Beams", "min": 1, "max": 16},
    "length_penalty": {"label": "Length penalty", "min": -5.0, "max": 5.0, "step": 0.1, "decimals": 2,
                       "help": "Finished beams rank by log p / length^penalty: above 0 favours longer ones."},
    "early_stopping": {"label": "Early stopping", "choices": [False, True, "never"],
                       "help": "True: stop once there are as many finished hypotheses as beams."},
    "num_return_sequences": {"label": "Returned sequences", "min": 1, "max": 16},
    "repetition_penalty": {"label": "Repetition penalty", "min": 0.1, "max": 5.0, "step": 0.05, "decimals": 2,
                           "help": "Divide the logits of tokens already present (Keskar et al. 2019); 1 = off."},
    "no_repeat_ngram_size": {"label": "No-repeat n-gram", "min": 0, "max": 10, "special": "off"},
    "pipeline": {"label": "Warper order", "help": f"Comma-separated order of {', '.join(WARPERS)}."},
    "stop_strings": {"label": "Stop strings", "help": "Comma-separated texts that end the generation."},
    "stop_at_eos": {"label": "Stop at end of text"},
    "top_n": {"label": "Candidates recorded", "min": 1, "max": 1000,
              "help": "How many candidates each step keeps for the inspector."},
}  # fmt: skip

_ONLY_FOR = {
    **{name: "sample" for name in ("temperature", "top_k", "top_p", "min_p", "typical_p", "seed", "pipeline")},
    **{name: "beam" for name in ("num_beams", "length_penalty", "early_stopping", "num_return_sequences")},
}
_ADVANCED = {"min_p", "typical_p", "pipeline", "early_stopping", "repetition_penalty", "no_repeat_ngram_size",
             "stop_strings", "stop_at_eos", "top_n"}  # fmt: skip


class SettingsColumn(QWidget):
    sig_generate = Signal()
    sig_step = Signal()
    sig_cancel = Signal()
    sig_save_steps = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model_ready = False
        self._generating = False
        self._any_job = False
        heading = QLabel("Sampling lab")
        heading.setProperty("role", "heading")
        chapter = QLabel("Book §1.4–1.5 · how decoding picks each token")
        chapter.setProperty("role", "muted")
        chapter.setWordWrap(True)

        self.preset = QComboBox()
        self.preset.addItem("Choose a preset…", None)
        for preset in PRESETS:
            self.preset.addItem(preset.name, preset)
            self.preset.setItemData(self.preset.count() - 1, preset.note, Qt.ItemDataRole.ToolTipRole)
        self.preset.activated.connect(self._on_preset_chosen)
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("The text the model continues…")
        self.prompt.setFixedHeight(92)

        self.form = ParamForm(SamplingParams, fields=FIELDS, overrides=OVERRIDES)
        self.form.sig_changed.connect(self._on_form_changed)
        self.more = QCheckBox("More settings")
        self.more.toggled.connect(self._update_rows)
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setWidget(self.form)

        self.generate_button = QPushButton("Generate")
        self.generate_button.setProperty("role", "primary")
        self.generate_button.setToolTip("Run the whole generation (Ctrl+Return)")
        self.generate_button.clicked.connect(self.sig_generate)
        self.step_button = QPushButton("Step ▸")
        self.step_button.setToolTip("Step mode: one token per click, or Space / → on the text")
        self.step_button.clicked.connect(self.sig_step)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.step_status = QLabel()
        self.step_status.setProperty("role", "muted")
        self.step_status.setWordWrap(True)
        self.save_steps_button = QPushButton("Save steps as run")
        self.save_steps_button.setToolTip("Store the tokens stepped so far as a run in the project")
        self.save_steps_button.clicked.connect(self.sig_save_steps)
        self.model_hint = QLabel("No model loaded: choose Model ▸ Load Demo Model (or Load Model…).")
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
        layout.addWidget(heading)
        layout.addWidget(chapter)
        layout.addSpacing(6)
        layout.addWidget(_caption("Preset"))
        layout.addWidget(self.preset)
        layout.addWidget(_caption("Prompt"))
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


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    return label
