"""The settings column: method, parameter count, training settings, and Start/Cancel/Resume."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Signal
from PySide6.QtWidgets import (
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

from workbench.core.finetune.params import TrainConfig
from workbench.ui.panels.finetune.method_settings import MethodSettings
from workbench.ui.panels.finetune.parameter_table import ParameterTable
from workbench.ui.widgets.param_form import ParamForm

TRAIN_FIELDS = ["epochs", "max_steps", "batch_size", "learning_rate", "eval_every", "patience", "seed"]
TRAIN_OVERRIDES = {
    "epochs": {"label": "Epochs", "min": 0.0, "max": 1000.0, "step": 1.0, "decimals": 1},
    "max_steps": {"label": "Max steps", "min": 0, "max": 1_000_000, "special": "no limit",
                  "help": "Stop after this many optimiser steps, whatever the epochs."},
    "batch_size": {"label": "Batch size", "min": 1, "max": 1024},
    "learning_rate": {"label": "Learning rate", "min": 0.0, "max": 10.0, "step": 1e-4, "decimals": 5,
                      "special": "method default",
                      "help": "AdamW peak rate after a short warm-up, then linear decay."},
    "eval_every": {"label": "Eval every", "min": 0, "max": 100_000, "special": "auto (10 evals)",
                   "help": "Steps between evaluations of the eval loss."},
    "patience": {"label": "Early-stop patience", "min": 0, "max": 1000, "special": "never",
                 "help": "Stop after this many evaluations without a lower eval loss; the best weights are kept."},
    "seed": {"label": "Seed", "min": 0, "max": 2**31 - 1},
}  # fmt: skip


def default_adapters_folder() -> str:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return str(Path(location) / "adapters")


class SettingsColumn(QScrollArea):
    sig_start = Signal()
    sig_cancel = Signal()
    sig_resume = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        heading = QLabel("Fine-tuning lab")
        heading.setProperty("role", "heading")
        chapter = QLabel("Book §4.5.1 · parameter-efficient fine-tuning")
        chapter.setProperty("role", "muted")
        chapter.setWordWrap(True)  # two lines in the column at Present mode's size, not cut
        self.method = MethodSettings()
        self.parameters = ParameterTable()
        self.train = ParamForm(TrainConfig, fields=TRAIN_FIELDS, overrides=TRAIN_OVERRIDES)
        self.folder = QLineEdit(default_adapters_folder())
        self.folder.setToolTip("Each training saves its adapter in a new sub-folder here")
        browse = QPushButton("…")
        browse.setFixedWidth(32)
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        self.start_button = QPushButton("Start training")
        self.start_button.setProperty("role", "primary")
        self.start_button.clicked.connect(self.sig_start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.resume_button = QPushButton("Resume")
        self.resume_button.setToolTip("Continue the cancelled training from its checkpoint")
        self.resume_button.clicked.connect(self.sig_resume)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 2)
        buttons.addWidget(self.cancel_button, 1)
        buttons.addWidget(self.resume_button, 1)
        self.hint = QLabel("No model loaded: choose Model ▸ Load Demo Model (or Load Model…).")
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(heading)
        layout.addWidget(chapter)
        layout.addSpacing(4)
        layout.addWidget(_caption("Method"))
        layout.addWidget(self.method)
        layout.addWidget(self.parameters)
        layout.addSpacing(4)
        layout.addWidget(_caption("Training"))
        layout.addWidget(self.train)
        layout.addWidget(_caption("Save adapters in"))
        layout.addLayout(folder_row)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.setWidget(body)

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

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save adapters in", self.folder.text())
        if folder:
            self.folder.setText(folder)


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; margin-top: 4px;")
    return label
