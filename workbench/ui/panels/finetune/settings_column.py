"""The settings column: preset, method, parameter count, training settings, and Start/Cancel/Resume.

The presets fill the method, data and training in one choice: "Quick demo", a LoRA that changes
the demo model's answers in seconds for a lecture, and the book's full defaults.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.finetune.params import QUICK_DEMO, QUICK_DEMO_SECONDS, FinetuneParams, TrainConfig
from workbench.ui.language import Retranslating
from workbench.ui.panels.finetune.method_settings import MethodSettings
from workbench.ui.panels.finetune.parameter_table import ParameterTable
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.param_form import ParamForm

TRAIN_FIELDS = ["epochs", "max_steps", "batch_size", "learning_rate", "eval_every", "patience", "seed"]
TRAIN_OVERRIDES = {
    "epochs": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Epochs"), "min": 0.0, "max": 1000.0, "step": 1.0, "decimals": 1},
    "max_steps": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Max steps"), "min": 0, "max": 1_000_000, "special": QT_TRANSLATE_NOOP("SettingsColumn", "no limit"),
                  "help": QT_TRANSLATE_NOOP("SettingsColumn", "Stop after this many optimiser steps, whatever the epochs.")},
    "batch_size": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Batch size"), "min": 1, "max": 1024},
    "learning_rate": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Learning rate"), "min": 0.0, "max": 10.0, "step": 1e-4, "decimals": 5,
                      "special": QT_TRANSLATE_NOOP("SettingsColumn", "method default"),
                      "help": QT_TRANSLATE_NOOP("SettingsColumn", "AdamW peak rate after a short warm-up, then linear decay.")},
    "eval_every": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Eval every"), "min": 0, "max": 100_000, "special": QT_TRANSLATE_NOOP("SettingsColumn", "auto (10 evals)"),
                   "help": QT_TRANSLATE_NOOP("SettingsColumn", "Steps between evaluations of the eval loss.")},
    "patience": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Early-stop patience"), "min": 0, "max": 1000, "special": QT_TRANSLATE_NOOP("SettingsColumn", "never"),
                 "help": QT_TRANSLATE_NOOP("SettingsColumn", "Stop after this many evaluations without a lower eval loss; the best weights are kept.")},
    "seed": {"label": QT_TRANSLATE_NOOP("SettingsColumn", "Seed"), "min": 0, "max": 2**31 - 1},
}  # fmt: skip


def default_adapters_folder() -> str:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return str(Path(location) / "adapters")


PRESETS: tuple[tuple[str, FinetuneParams], ...] = (
    (QT_TRANSLATE_NOOP("SettingsColumn", "Quick demo (≈ {seconds} s)"), QUICK_DEMO),
    (QT_TRANSLATE_NOOP("SettingsColumn", "Full training (the defaults)"), FinetuneParams()),
)
"""(label, what it puts in the forms); ``{seconds}`` is the quick demo's measured time."""


class SettingsColumn(Retranslating, QScrollArea):
    sig_start = Signal()
    sig_cancel = Signal()
    sig_resume = Signal()
    sig_preset_chosen = Signal(object)  # FinetuneParams: the panel fills method, data and training

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        self.chapter = chapter = QLabel()
        chapter.setProperty("role", "muted")
        chapter.setWordWrap(True)  # two lines in the column at Present mode's size, not cut
        self.preset = QComboBox()
        self.preset.addItem("", None)
        for _label, params in PRESETS:
            self.preset.addItem("", params)
        self.preset.activated.connect(self._on_preset_chosen)
        self.method = MethodSettings()
        self.parameters = ParameterTable()
        self.train = ParamForm(TrainConfig, fields=TRAIN_FIELDS, overrides=TRAIN_OVERRIDES, context="SettingsColumn")
        self.folder = QLineEdit(default_adapters_folder())
        browse = QPushButton("…")
        browse.setFixedWidth(32)
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        self.start_button = QPushButton()
        self.start_button.setProperty("role", "primary")
        self.start_button.clicked.connect(self.sig_start)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(self.sig_resume)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 2)
        buttons.addWidget(self.cancel_button, 1)
        buttons.addWidget(self.resume_button, 1)
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(heading)
        layout.addWidget(chapter)
        layout.addSpacing(4)
        layout.addWidget(self.preset)
        self.captions = (_caption(), _caption(), _caption())
        layout.addWidget(self.captions[0])
        layout.addWidget(self.method)
        layout.addWidget(self.parameters)
        layout.addSpacing(4)
        layout.addWidget(self.captions[1])
        layout.addWidget(self.train)
        layout.addWidget(self.captions[2])
        layout.addLayout(folder_row)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.setWidget(body)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Fine-tuning lab"))
        self.chapter.setText(self.tr("Book §4.5.1 · parameter-efficient fine-tuning"))
        self.preset.setItemText(0, self.tr("Choose a preset…"))
        for index, (label, _params) in enumerate(PRESETS, start=1):
            self.preset.setItemText(index, self.tr(label).format(seconds=QUICK_DEMO_SECONDS))
        self.preset.setToolTip(
            self.tr(
                "Quick demo: LoRA on the demo data for 60 steps, enough to change the answers in a lecture; "
                "the defaults train 8 epochs (about 100 s on two CPU cores) for the polished result."
            )
        )
        self.folder.setToolTip(self.tr("Each training saves its adapter in a new sub-folder here"))
        self.start_button.setText(self.tr("Start training"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.resume_button.setText(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Continue the cancelled training from its checkpoint"))
        self.hint.setText(self.tr("No model loaded: choose Model ▸ Load Demo Model (or Load Model…)."))
        for caption, text in zip(
            self.captions, (self.tr("Method"), self.tr("Training"), self.tr("Save adapters in")), strict=True
        ):
            caption.setText(text)

    def train_config(self) -> TrainConfig:
        return self.train.value()

    def save(self, settings: QSettings, group: str) -> None:
        self.method.save(settings, f"{group}/method")
        self.train.save(settings, f"{group}/train")
        settings.setValue(f"{group}/folder", self.folder.text())

    def restore(self, settings: QSettings, group: str) -> None:
        self.method.restore(settings, f"{group}/method")
        self.train.restore(settings, f"{group}/train")
        folder = settings.value(f"{group}/folder")
        if folder:
            self.folder.setText(str(folder))

    def set_state(self, *, model_ready: bool, training: bool, resumable: bool) -> None:
        self.start_button.setEnabled(model_ready and not training)
        self.cancel_button.setEnabled(training)
        self.resume_button.setEnabled(model_ready and resumable and not training)
        self.hint.setVisible(not model_ready)

    def _on_preset_chosen(self, index: int) -> None:
        params = self.preset.itemData(index)
        if isinstance(params, FinetuneParams):
            self.sig_preset_chosen.emit(params)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Save adapters in"), self.folder.text())
        if folder:
            self.folder.setText(folder)


def _caption() -> QLabel:
    label = QLabel()
    label.setStyleSheet("font-weight: 600; margin-top: 4px;")
    return label
