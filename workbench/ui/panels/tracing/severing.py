"""阻断 (severing), ROME Fig. 3: restoring the hidden state at one token layer by layer, with
nothing, the later MLPs or the later attention frozen at their corrupted values."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.tracing.results import SEVERED, SeveringResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.tracing.trio import token_label
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.line_plot import LinePlot
from workbench.ui.widgets.token_text import visible_token

SEVERED_STYLE = {
    "none": (QT_TRANSLATE_NOOP("SeveringView", "no severing"), "#6a51a3"),
    "mlp": (QT_TRANSLATE_NOOP("SeveringView", "MLP severed"), "#238b45"),
    "attn": (QT_TRANSLATE_NOOP("SeveringView", "attention severed"), "#cb181d"),
}
"""Each curve's name (its English source, also its key in the plot) and colour."""


class SeveringView(Retranslating, QWidget):
    sig_run_requested = Signal(int)  # token position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: SeveringResult | None = None
        self.token = QComboBox()
        self.token.setMinimumWidth(180)
        self.run_button = QPushButton()
        self.run_button.setProperty("role", "primary")
        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(self._on_run_clicked)
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        self.plot = LinePlot(percent_y=True, whole_x=True)
        self.restore_caption = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.restore_caption)
        row.addWidget(self.token)
        row.addWidget(self.run_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.run_button.setText(self.tr("Sever"))
        self.restore_caption.setText(self.tr("Restore the hidden state at"))
        self.plot.setTitle(self.tr("Restoring the hidden state with later modules severed"))
        target = f"p({visible_token(self._result.target)})" if self._result is not None else "p(target)"
        self.plot.set_texts(self.tr("restored layer"), target, self.tr("The three curves appear here after Sever."))
        if self._result is None:
            self.status.setText(self.tr("Trace a prompt first; severing uses its prompt, subject, target and noise."))
        else:
            self.show_result(self._result)  # the legend and level captions in the new language

    def set_tokens(self, tokens: list[str], subject_range: tuple[int, int]) -> None:
        """Offer the trace's tokens; the last subject token (ROME's choice) is preselected."""
        self.token.clear()
        for i, token in enumerate(tokens):
            marked = "*" if subject_range[0] <= i < subject_range[1] else ""
            self.token.addItem(f"{i}: {token_label(token)}{marked}", i)
        self.token.setCurrentIndex(subject_range[1] - 1)
        self.run_button.setEnabled(True)

    def show_result(self, result: SeveringResult) -> None:
        self._result = result
        layers = np.arange(result.num_layers)
        for variant in SEVERED:
            name, colour = SEVERED_STYLE[variant]
            self.plot.set_series(name, layers, result.scores[variant], colour=colour, label=self.tr(name))
        self.plot.set_level("clean", result.high_score, colour="#5f6b7a", label=self.tr("clean"))
        self.plot.set_level("corrupted", result.low_score, colour="#9aa5b4", label=self.tr("corrupted"))
        self.plot.plot_item.setLabel("left", f"p({visible_token(result.target)})")
        self._show_status(result)

    def shown_token(self, prompt: str) -> int | None:
        """The token whose severing is shown, when it was run on ``prompt`` (None otherwise)."""
        return self._result.token if self._result is not None and self._result.prompt == prompt else None

    def _show_status(self, result: SeveringResult) -> None:
        self.status.setText(
            self.tr(
                "Hidden state restored at “{token}” (token {index}) · {samples} samples · {seconds} s. Where the green "
                "curve drops below the purple one, the restored layers act through the later MLPs."
            ).format(
                token=token_label(result.tokens[result.token]),
                index=result.token,
                samples=result.samples,
                seconds=f"{result.seconds:.1f}",
            )
        )

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running and self.token.count() > 0)

    def _on_run_clicked(self) -> None:
        if self.token.currentIndex() >= 0:
            self.sig_run_requested.emit(int(self.token.currentData()))
