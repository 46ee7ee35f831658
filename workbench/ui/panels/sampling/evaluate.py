"""Evaluate a text (book §1.5): BLEU and ROUGE against a reference, perplexity under the model.

BLEU and ROUGE are counted on the GUI thread (pure Python, instant for a paragraph); the
perplexity needs the model, so it is a job, and its per-token surprisal tints the text.
"""

from __future__ import annotations

import html
import math
from typing import Any

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
from workbench.ui.language import Retranslating
from workbench.ui.panels.sampling.labels import bits
from workbench.ui.widgets.token_text import TokenSpan, TokenTextView, visible_token


class EvaluateView(Retranslating, QWidget):
    sig_perplexity_requested = Signal(str)
    sig_use_generation = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scored: tuple[str, str] | None = None
        """The text and reference of the scores shown (redrawn in a new language), if any."""
        self._perplexity_result: PerplexityResult | None = None
        self.candidate = QPlainTextEdit()
        self.reference = QPlainTextEdit()
        self.use_button = use = QPushButton()
        use.clicked.connect(self.sig_use_generation)
        self.score_button = QPushButton()
        self.score_button.setProperty("role", "primary")
        self.score_button.clicked.connect(self.score)
        self.perplexity_button = QPushButton()
        self.perplexity_button.clicked.connect(self._on_perplexity_clicked)
        self.scores = QLabel()
        self.scores.setTextFormat(Qt.TextFormat.RichText)
        self.scores.setWordWrap(True)
        self.scores.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.perplexity = QLabel()
        self.perplexity.setWordWrap(True)
        self.surprisal = TokenTextView(font_scale=1.15)

        for box in (self.candidate, self.reference):
            box.setMaximumHeight(150)
        grid = QGridLayout()
        self.text_caption = _caption()
        self.reference_caption = _caption()
        grid.addWidget(self.text_caption, 0, 0)
        grid.addWidget(self.reference_caption, 0, 1)
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
        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        self.explain = explain = _caption()
        explain.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addLayout(results, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.candidate.setPlaceholderText(self.tr("The text to score: a generation, or anything you paste."))
        self.reference.setPlaceholderText(self.tr("A reference text (e.g. what a person wrote for this prompt)."))
        self.use_button.setText(self.tr("Use the shown generation"))
        self.score_button.setText(self.tr("BLEU and ROUGE"))
        self.perplexity_button.setText(self.tr("Perplexity under the model"))
        self.surprisal.setPlaceholderText(self.tr("Per-token surprisal appears here."))
        self.text_caption.setText(self.tr("Text"))
        self.reference_caption.setText(self.tr("Reference"))
        self.heading.setText(self.tr("Evaluate a text"))
        self.explain.setText(
            self.tr(
                "Book §1.5: BLEU (Papineni et al. 2002) and ROUGE (Lin 2004) against a reference; "
                "perplexity under the loaded model."
            )
        )
        if self._scored is None:
            self.scores.setText(self.tr("BLEU and ROUGE compare the text with the reference, n-gram by n-gram."))
        else:
            self._show_scores(*self._scored)
        if self._perplexity_result is None:
            self.perplexity.setText(
                self.tr("Perplexity = exp(mean surprisal): how surprised the model is by the text, per token.")
            )
        else:
            self.show_perplexity(self._perplexity_result)

    def set_candidate(self, text: str) -> None:
        self.candidate.setPlainText(text)

    def kept(self) -> dict[str, Any] | None:
        """The text, the reference and whether a perplexity is shown, for a lesson step's view
        (None when both boxes are empty)."""
        text, reference = self.candidate.toPlainText(), self.reference.toPlainText()
        if not (text or reference):
            return None
        return {"text": text, "reference": reference, "perplexity": self._perplexity_result is not None}

    def score(self) -> None:
        """BLEU-4 (smoothed) and ROUGE-1/2/L of the text against the reference."""
        candidate, reference = self.candidate.toPlainText(), self.reference.toPlainText()
        if not candidate.strip() or not reference.strip():
            self._scored = None
            self.scores.setText("<i>" + self.tr("Type or paste both a text and a reference to compare them.") + "</i>")
            return
        self._scored = (candidate, reference)
        self._show_scores(candidate, reference)

    def _show_scores(self, candidate: str, reference: str) -> None:
        result = bleu(candidate, reference)
        precisions = " · ".join(f"p<sub>{n}</sub> {p:.2f}" for n, p in enumerate(result.precisions, start=1))
        rows = [("ROUGE-1", rouge_n(candidate, reference, 1)), ("ROUGE-2", rouge_n(candidate, reference, 2)),
                ("ROUGE-L", rouge_l(candidate, reference))]  # fmt: skip
        table = "".join(
            f"<tr><td><b>{name}</b></td><td align='right'>{s.precision:.3f}</td>"
            f"<td align='right'>{s.recall:.3f}</td><td align='right'><b>{s.f1:.3f}</b></td></tr>"
            for name, s in rows
        )
        brevity = self.tr("brevity penalty {value} ({candidate} vs {reference} units)").format(
            value=f"{result.brevity_penalty:.2f}", candidate=result.candidate_length, reference=result.reference_length
        )
        precision, recall = self.tr("precision"), self.tr("recall")
        self.scores.setText(
            f"<p><span style='font-size:large'><b>BLEU {result.score:.3f}</b></span><br>"
            f"{precisions} · {brevity}</p>"
            f"<table cellspacing='0' cellpadding='3'><tr><th></th><th>{precision}</th>"
            f"<th>{recall}</th><th>F1</th></tr>"
            f"{table}</table>"
        )

    def show_perplexity(self, result: PerplexityResult) -> None:
        self._perplexity_result = result
        headline = self.tr("Perplexity {value}").format(value=f"{result.perplexity:.2f}")
        detail = self.tr("mean surprisal {bits} bits over {count} tokens").format(
            bits=f"{bits(result.mean_nll):.2f}", count=int(np.count_nonzero(~np.isnan(result.nll)))
        )
        self.perplexity.setText(f"<span style='font-size:large'><b>{headline}</b></span> · {detail}")
        spans = []
        for token, nll in zip(result.tokens, result.nll):
            if math.isnan(nll):
                spans.append(TokenSpan(token, None, self.tr("The first token has no context to be predicted from.")))
                continue
            p = math.exp(-nll)
            surprisal = self.tr("surprisal {bits} bits").format(bits=f"{bits(nll):.2f}")
            tip = f"<b>{html.escape(visible_token(token))}</b><br>p = {p:.2%} · {surprisal}"
            spans.append(TokenSpan(token, p, tip))
        self.surprisal.set_content("", spans)

    def _on_perplexity_clicked(self) -> None:
        text = self.candidate.toPlainText()
        if not text.strip():
            self.perplexity.setText("<i>" + self.tr("Type or paste a text first.") + "</i>")
            return
        self.sig_perplexity_requested.emit(text)


def _caption() -> QLabel:
    label = QLabel()
    label.setProperty("role", "muted")
    return label
