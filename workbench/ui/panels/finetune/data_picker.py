"""Where the examples come from, and what the model will be trained on in them.

Supervised fine-tuning trains on the completion only (book §4.5.1): the preview shows the
first tokenised examples with every token that carries loss as a coloured chip and the
prompt greyed, so the loss mask is seen rather than assumed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
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
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.panels.finetune.token_chips import Chip, TokenChips
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.param_form import ParamForm
from workbench.ui.widgets.probability_colours import mix

SOURCES = {
    "demo": QT_TRANSLATE_NOOP("DataPicker", "Demo world set"),
    "jsonl": QT_TRANSLATE_NOOP("DataPicker", "JSONL file"),
    "text": QT_TRANSLATE_NOOP("DataPicker", "Text file"),
}
FILE_FILTERS = {
    "jsonl": QT_TRANSLATE_NOOP("DataPicker", "JSON lines (*.jsonl *.json)"),
    "text": QT_TRANSLATE_NOOP("DataPicker", "Text (*.txt *.md)"),
}
LOSS_COLOUR = QColor("#2f9e6e")
"""Chips of tokens that carry loss; blended into the base colour so text stays readable."""


def loss_chip_colour(palette: QPalette, odd: bool = False) -> QColor:
    """Neighbouring chips alternate in strength so token boundaries stay visible."""
    return mix(palette.color(QPalette.ColorRole.Base), LOSS_COLOUR, 0.26 if odd else 0.42)


def prompt_chip_colour(palette: QPalette, odd: bool = False) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Mid), 0.35 if odd else 0.75)


class DataPicker(Retranslating, QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview_shown: DataPreview | None = None
        self._message: str | None = QT_TRANSLATE_NOOP("FinetunePanel", "Load a model to see the tokenised examples.")
        """The English message shown instead of a preview (None while a preview is shown)."""
        self._warning = False
        self.source = QComboBox()
        for key in SOURCES:
            self.source.addItem("", key)
        self.source.currentIndexChanged.connect(self._on_source_changed)
        self.path = QLineEdit()
        self.path.editingFinished.connect(self.sig_changed)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._choose_file)
        self.eval_path = QLineEdit()
        self.eval_path.editingFinished.connect(self.sig_changed)
        self.form = ParamForm(
            DataConfig,
            fields=["eval_fraction", "max_length"],
            overrides={
                "eval_fraction": {"label": QT_TRANSLATE_NOOP("DataPicker", "Held out for eval"), "min": 0.0, "max": 0.9, "step": 0.05, "decimals": 2,
                                  "help": QT_TRANSLATE_NOOP("DataPicker", "Share of the examples kept aside to measure eval loss (without an eval file).")},
                "max_length": {"label": QT_TRANSLATE_NOOP("DataPicker", "Max tokens"), "min": 2, "max": 8192, "step": 16,
                               "help": QT_TRANSLATE_NOOP("DataPicker", "Longer examples are cut; text files are split into chunks this long.")},
            },
            context="DataPicker",
        )  # fmt: skip
        self.form.sig_changed.connect(self.sig_changed)

        self.summary = QLabel()
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
        self.picker_labels = (QLabel(), QLabel(), QLabel())
        for label, field in zip(self.picker_labels, (self.source, self.file_row, self.eval_path), strict=True):
            picker.addRow(label, field)
        self._picker = picker
        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addWidget(self.form)
        layout.addSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(self.legend)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        self._on_source_changed()
        self.retranslate()

    def retranslate(self) -> None:
        for index, source_name in enumerate(SOURCES.values()):
            self.source.setItemText(index, self.tr(source_name))
        self.path.setPlaceholderText(self.tr("a .jsonl of {prompt, completion} or {text}, or a .txt"))
        self.browse.setText(self.tr("Browse…"))
        self.eval_path.setPlaceholderText(self.tr("optional: a separate evaluation file"))
        for label, text in zip(
            self.picker_labels, (self.tr("Data"), self.tr("File"), self.tr("Eval file")), strict=True
        ):
            label.setText(text)
        self.heading.setText(self.tr("Tokenised examples"))
        self._update_legend()
        if self._preview_shown is not None:
            self.show_preview(self._preview_shown)
        else:
            self.show_message(self._message or "", self._warning)

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
            return QCoreApplication.translate(
                "DataPicker", "Choose a data file (or the demo world set) on the Data tab."
            )
        for path in filter(None, (config.source, config.eval_source)):
            if not Path(path).expanduser().is_file():
                return QCoreApplication.translate("DataPicker", "The data file {path} does not exist.").format(
                    path=path
                )
        return None

    # -- preview -----------------------------------------------------------------------
    def show_preview(self, preview: DataPreview) -> None:
        self._preview_shown, self._message = preview, None
        palette = self.palette()
        rows = []
        for number, example in enumerate(preview.examples, start=1):
            targets = int(example.loss_mask.sum())
            chips = [
                Chip(
                    token,
                    loss_chip_colour(palette, i % 2 == 1) if target else prompt_chip_colour(palette, i % 2 == 1),
                    (
                        self.tr("token {index}: trained on (carries loss)")
                        if target
                        else self.tr("token {index}: context only (no loss)")
                    ).format(index=i),
                    muted=not target,
                )
                for i, (token, target) in enumerate(zip(example.tokens, example.loss_mask.tolist()))
            ]
            caption = self.tr("Example {number} · {tokens} tokens, {targets} trained on")
            rows.append((caption.format(number=number, tokens=len(example.tokens), targets=targets), chips))
        self.preview.set_rows(rows)
        eval_text = (self.tr("{count} for evaluation").format(count=preview.num_eval) if preview.num_eval
                     else self.tr("no evaluation examples"))  # fmt: skip
        self.summary.setText(
            self.tr(
                "{train} training examples, {evaluation}; examples cut at {length} tokens. The first {shown}:"
            ).format(
                train=preview.num_train, evaluation=eval_text, length=preview.max_length, shown=len(preview.examples)
            )
            + "".join(f"\n⚠ {translate_core_message(note)}" for note in preview.notes)
        )

    def show_message(self, text: str, warning: bool = False) -> None:
        """Show ``text`` instead of a preview: English, a core message or a sentence marked in the
        ``FinetunePanel`` context (kept, so a language switch shows it again); ``warning``: with ⚠."""
        self._preview_shown, self._message, self._warning = None, text, warning
        self.preview.set_rows([])
        shown = translate_core_message(QCoreApplication.translate("FinetunePanel", text))
        self.summary.setText(f"⚠ {shown}" if warning else shown)

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
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Fine-tuning data"), self.path.text(), self.tr(FILE_FILTERS[kind])
        )
        if path:
            self.path.setText(path)
            self.sig_changed.emit()

    def _update_legend(self) -> None:
        palette = self.palette()
        trained, prompt = self.tr("trained on (loss)"), self.tr("prompt (no loss)")
        self.legend.setText(
            f'<span style="background:{loss_chip_colour(palette).name()}">&nbsp;{trained}&nbsp;</span>'
            f'&nbsp;&nbsp;<span style="background:{prompt_chip_colour(palette).name()};'
            f'color:{palette.color(QPalette.ColorRole.PlaceholderText).name()}">&nbsp;{prompt}&nbsp;</span>'
        )
