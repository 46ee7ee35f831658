"""Where the examples come from, and what the model will be trained on in them.

Supervised fine-tuning trains on the completion only (book §4.5.1): the preview shows the
first tokenised examples with every token that carries loss as a coloured chip and the
prompt greyed, so the loss mask is seen rather than assumed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.finetune.params import DEMO_DATA, DataConfig, DataPreview
from workbench.ui.panels.finetune.token_chips import Chip, TokenChips
from workbench.ui.widgets.param_form import ParamForm
from workbench.ui.widgets.probability_colours import mix

SOURCES = {"demo": "Demo world set", "jsonl": "JSONL file", "text": "Text file"}
FILE_FILTERS = {"jsonl": "JSON lines (*.jsonl *.json)", "text": "Text (*.txt *.md)"}
LOSS_COLOUR = QColor("#2f9e6e")
"""Chips of tokens that carry loss; blended into the base colour so text stays readable."""


def loss_chip_colour(palette: QPalette, odd: bool = False) -> QColor:
    """Neighbouring chips alternate in strength so token boundaries stay visible."""
    return mix(palette.color(QPalette.ColorRole.Base), LOSS_COLOUR, 0.26 if odd else 0.42)


def prompt_chip_colour(palette: QPalette, odd: bool = False) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Mid), 0.35 if odd else 0.75)


class DataPicker(QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = QComboBox()
        for key, label in SOURCES.items():
            self.source.addItem(label, key)
        self.source.currentIndexChanged.connect(self._on_source_changed)
        self.path = QLineEdit()
        self.path.setPlaceholderText("a .jsonl of {prompt, completion} or {text}, or a .txt")
        self.path.editingFinished.connect(self.sig_changed)
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._choose_file)
        self.eval_path = QLineEdit()
        self.eval_path.setPlaceholderText("optional: a separate evaluation file")
        self.eval_path.editingFinished.connect(self.sig_changed)
        self.form = ParamForm(
            DataConfig,
            fields=["eval_fraction", "max_length"],
            overrides={
                "eval_fraction": {"label": "Held out for eval", "min": 0.0, "max": 0.9, "step": 0.05, "decimals": 2,
                                  "help": "Share of the examples kept aside to measure eval loss (without an eval file)."},
                "max_length": {"label": "Max tokens", "min": 2, "max": 8192, "step": 16,
                               "help": "Longer examples are cut; text files are split into chunks this long."},
            },
        )  # fmt: skip
        self.form.sig_changed.connect(self.sig_changed)

        self.summary = QLabel("Load a model to see the tokenised examples.")
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        self.legend = QLabel()
        self.preview = TokenChips()
        self.preview.setMinimumHeight(180)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        self.file_row = QWidget()
        self.file_row.setLayout(file_row)
        file_row.setContentsMargins(0, 0, 0, 0)
        picker = QFormLayout()
        picker.addRow("Data", self.source)
        picker.addRow("File", self.file_row)
        picker.addRow("Eval file", self.eval_path)
        self._picker = picker
        heading = QLabel("Tokenised examples")
        heading.setProperty("role", "heading")
        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addWidget(self.form)
        layout.addSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(self.legend)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        self._update_legend()
        self._on_source_changed()

    # -- values ------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.source.currentData())

    def value(self) -> DataConfig:
        if self.kind() == "demo":
            return self.form.value(source=DEMO_DATA, eval_source="")
        return self.form.value(source=self.path.text().strip(), eval_source=self.eval_path.text().strip())

    def set_value(self, config: DataConfig) -> None:
        self.blockSignals(True)
        try:
            demo = config.source == DEMO_DATA
            kind = "demo" if demo else ("text" if Path(config.source).suffix.lower() in (".txt", ".md") else "jsonl")
            self.source.setCurrentIndex(self.source.findData(kind))
            self.path.setText("" if demo else config.source)
            self.eval_path.setText(config.eval_source)
            self.form.set_value(config)
        finally:
            self.blockSignals(False)
        self.sig_changed.emit()

    def problem(self) -> str | None:
        """Why this data cannot be used, found without reading it (None when it looks fine)."""
        if self.kind() == "demo":
            return None
        config = self.value()
        if not config.source:
            return "Choose a data file (or the demo world set) on the Data tab."
        for path in filter(None, (config.source, config.eval_source)):
            if not Path(path).expanduser().is_file():
                return f"The data file {path} does not exist."
        return None

    # -- preview -----------------------------------------------------------------------
    def show_preview(self, preview: DataPreview) -> None:
        palette = self.palette()
        rows = []
        for number, example in enumerate(preview.examples, start=1):
            targets = int(example.loss_mask.sum())
            chips = [
                Chip(
                    token,
                    loss_chip_colour(palette, i % 2 == 1) if target else prompt_chip_colour(palette, i % 2 == 1),
                    f"token {i}: {'trained on (carries loss)' if target else 'context only (no loss)'}",
                    muted=not target,
                )
                for i, (token, target) in enumerate(zip(example.tokens, example.loss_mask.tolist()))
            ]
            rows.append((f"Example {number} · {len(example.tokens)} tokens, {targets} trained on", chips))
        self.preview.set_rows(rows)
        eval_text = f"{preview.num_eval} for evaluation" if preview.num_eval else "no evaluation examples"
        self.summary.setText(
            f"{preview.num_train} training examples, {eval_text}; examples cut at {preview.max_length} tokens. "
            f"The first {len(preview.examples)}:"
            + "".join(f"\n⚠ {note}" for note in preview.notes)
        )

    def show_message(self, text: str) -> None:
        self.preview.set_rows([])
        self.summary.setText(text)

    def shown_examples(self) -> list[list[tuple[str, bool]]]:
        """What the preview shows: per example, (token, carries loss)."""
        return [[(chip.text, not chip.muted) for chip in chips] for _caption, chips in self.preview.rows()]

    # -- internals ---------------------------------------------------------------------
    def _on_source_changed(self) -> None:
        file_based = self.kind() != "demo"
        self._picker.setRowVisible(self.file_row, file_based)
        self._picker.setRowVisible(self.eval_path, file_based)
        self.form.editor("eval_fraction").setEnabled(file_based)
        self.sig_changed.emit()

    def _choose_file(self) -> None:
        kind = self.kind() if self.kind() in FILE_FILTERS else "jsonl"
        path, _ = QFileDialog.getOpenFileName(self, "Fine-tuning data", self.path.text(), FILE_FILTERS[kind])
        if path:
            self.path.setText(path)
            self.sig_changed.emit()

    def _update_legend(self) -> None:
        palette = self.palette()
        self.legend.setText(
            f'<span style="background:{loss_chip_colour(palette).name()}">&nbsp;trained on (loss)&nbsp;</span>'
            f'&nbsp;&nbsp;<span style="background:{prompt_chip_colour(palette).name()};'
            f'color:{palette.color(QPalette.ColorRole.PlaceholderText).name()}">&nbsp;prompt (no loss)&nbsp;</span>'
        )
