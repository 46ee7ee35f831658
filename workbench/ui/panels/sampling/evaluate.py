"""Evaluate a text (book §1.5): BLEU and ROUGE against a reference, perplexity under the model.

BLEU and ROUGE are counted on the GUI thread (pure Python, instant for a paragraph); the
perplexity needs the model, so it is a job, and its per-token surprisal tints the text.
"""

from __future__ import annotations

import html
import math

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.text_metrics import PerplexityResult, bleu, rouge_l, rouge_n
from workbench.ui.panels.sampling.labels import bits
from workbench.ui.widgets.token_text import TokenSpan, TokenTextView, visible_token


class EvaluateView(QWidget):
    sig_perplexity_requested = Signal(str)
    sig_use_generation = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.candidate = QPlainTextEdit()
        self.candidate.setPlaceholderText("The text to score: a generation, or anything you paste.")
        self.reference = QPlainTextEdit()
        self.reference.setPlaceholderText("A reference text (e.g. what a person wrote for this prompt).")
        use = QPushButton("Use the shown generation")
        use.clicked.connect(self.sig_use_generation)
        self.score_button = QPushButton("BLEU and ROUGE")
        self.score_button.setProperty("role", "primary")
        self.score_button.clicked.connect(self.score)
        self.perplexity_button = QPushButton("Perplexity under the model")
        self.perplexity_button.clicked.connect(self._on_perplexity_clicked)
        self.scores = QLabel("BLEU and ROUGE compare the text with the reference, n-gram by n-gram.")
        self.scores.setTextFormat(Qt.TextFormat.RichText)
        self.scores.setWordWrap(True)
        self.scores.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.perplexity = QLabel("Perplexity = exp(mean surprisal): how surprised the model is by the text, per token.")
        self.perplexity.setWordWrap(True)
        self.surprisal = TokenTextView(font_scale=1.15)
        self.surprisal.setPlaceholderText("Per-token surprisal appears here.")

        for box in (self.candidate, self.reference):
            box.setMaximumHeight(150)
        grid = QGridLayout()
        grid.addWidget(_caption("Text"), 0, 0)
        grid.addWidget(_caption("Reference"), 0, 1)
        grid.addWidget(self.candidate, 1, 0)
        grid.addWidget(self.reference, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(use)
        buttons.addStretch(1)
        buttons.addWidget(self.perplexity_button)
        buttons.addWidget(self.score_button)
        results = QHBoxLayout()
        results.addWidget(self.scores, 1)
        perplexity_column = QVBoxLayout()
        perplexity_column.addWidget(self.perplexity)
        perplexity_column.addWidget(self.surprisal, 1)
        results.addLayout(perplexity_column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Evaluate a text")
        heading.setProperty("role", "heading")
        explain = _caption("Book §1.5: BLEU (Papineni et al. 2002) and ROUGE (Lin 2004) against a reference; "
                           "perplexity under the loaded model.")
        explain.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addLayout(results, 1)

    def set_candidate(self, text: str) -> None:
        self.candidate.setPlainText(text)

    def score(self) -> None:
        """BLEU-4 (smoothed) and ROUGE-1/2/L of the text against the reference."""
        candidate, reference = self.candidate.toPlainText(), self.reference.toPlainText()
        if not candidate.strip() or not reference.strip():
            self.scores.setText("<i>Type or paste both a text and a reference to compare them.</i>")
            return
        result = bleu(candidate, reference)
        precisions = " · ".join(f"p<sub>{n}</sub> {p:.2f}" for n, p in enumerate(result.precisions, start=1))
        rows = [("ROUGE-1", rouge_n(candidate, reference, 1)), ("ROUGE-2", rouge_n(candidate, reference, 2)),
                ("ROUGE-L", rouge_l(candidate, reference))]  # fmt: skip
        table = "".join(
            f"<tr><td><b>{name}</b></td><td align='right'>{s.precision:.3f}</td>"
            f"<td align='right'>{s.recall:.3f}</td><td align='right'><b>{s.f1:.3f}</b></td></tr>"
            for name, s in rows
        )
        self.scores.setText(
            f"<p><span style='font-size:large'><b>BLEU {result.score:.3f}</b></span><br>"
            f"{precisions} · brevity penalty {result.brevity_penalty:.2f} "
            f"({result.candidate_length} vs {result.reference_length} units)</p>"
            "<table cellspacing='0' cellpadding='3'><tr><th></th><th>precision</th><th>recall</th><th>F1</th></tr>"
            f"{table}</table>"
        )

    def show_perplexity(self, result: PerplexityResult) -> None:
        self.perplexity.setText(
            f"<span style='font-size:large'><b>Perplexity {result.perplexity:.2f}</b></span> · "
            f"mean surprisal {bits(result.mean_nll):.2f} bits over {int(np.count_nonzero(~np.isnan(result.nll)))} tokens"
        )
        spans = []
        for token, nll in zip(result.tokens, result.nll):
            if math.isnan(nll):
                spans.append(TokenSpan(token, None, "The first token has no context to be predicted from."))
                continue
            p = math.exp(-nll)
            tip = f"<b>{html.escape(visible_token(token))}</b><br>p = {p:.2%} · surprisal {bits(nll):.2f} bits"
            spans.append(TokenSpan(token, p, tip))
        self.surprisal.set_content("", spans)

    def _on_perplexity_clicked(self) -> None:
        text = self.candidate.toPlainText()
        if not text.strip():
            self.perplexity.setText("<i>Type or paste a text first.</i>")
            return
        self.sig_perplexity_requested.emit(text)


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    return label
