"""Two traces side by side as one difference heatmap (a − b), e.g. before and after an edit.

Traces come from this session's runs and reopened stored runs; the newest two are compared
by default.  Blue where *a* is below *b*, red where above, white where equal.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from workbench.core.tracing.results import TraceResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.tracing.trio import HeatmapTrio, kind_name, token_label
from workbench.ui.widgets.token_text import visible_token


def trace_difference(a: TraceResult, b: TraceResult) -> dict[str, np.ndarray]:
    """Per shared kind, ``a.scores - b.scores``; empty when the heatmaps do not line up."""
    kinds = [kind for kind in a.scores if kind in b.scores and a.scores[kind].shape == b.scores[kind].shape]
    return {kind: a.scores[kind] - b.scores[kind] for kind in kinds}


class CompareView(Retranslating, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._traces: list[tuple[str, TraceResult]] = []
        self.first = QComboBox()
        self.second = QComboBox()
        self.note = QLabel()
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.trio = HeatmapTrio()
        self.first_label, self.second_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.first_label, self.first)
        form.addRow(self.second_label, self.second)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.trio, 1)
        self.first.currentIndexChanged.connect(self.refresh)
        self.second.currentIndexChanged.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.first_label.setText(self.tr("Trace a"))
        self.second_label.setText(self.tr("minus trace b"))
        if self._pair() is None:
            self.note.setText(
                self.tr("Run or reopen two traces of prompts with the same number of tokens to compare them.")
            )
            self.trio.show_hint(
                self.tr("Trace two prompts with the same number of tokens: their difference appears here.")
            )
        else:
            self.refresh()

    def add_trace(self, label: str, result: TraceResult) -> None:
        """Offer a trace; the newest becomes *a* and the one before it *b*."""
        self._traces.append((label, result))
        for combo in (self.first, self.second):
            combo.blockSignals(True)
            combo.addItem(label)
            combo.blockSignals(False)
        count = len(self._traces)
        self.choose(count - 1, max(count - 2, 0))

    def choose(self, a: int, b: int) -> None:
        for combo, index in ((self.first, a), (self.second, b)):
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self.refresh()

    def difference(self) -> dict[str, np.ndarray]:
        pair = self._pair()
        return trace_difference(*pair) if pair is not None else {}

    def refresh(self) -> None:
        pair = self._pair()
        if pair is None:
            return
        a, b = pair
        maps = trace_difference(a, b)
        if not maps:
            self.note.setText(self.tr("These traces do not line up (different numbers of tokens, layers or kinds)."))
            self.trio.show_hint(self.tr("No difference map: pick two traces that line up."))
            return
        rows = [
            token_label(t) if t == u else f"{token_label(t)} | {token_label(u)}" for t, u in zip(a.tokens, b.tokens)
        ]
        clean = self.tr("clean {p}")
        self.note.setText(
            f"a: {a.prompt} → {visible_token(a.target)} ({clean.format(p=f'{a.high_score:.3f}')})   ·   "
            f"b: {b.prompt} → {visible_token(b.target)} ({clean.format(p=f'{b.high_score:.3f}')})"
        )
        titles = {kind: f"{kind_name(kind)}: a − b" for kind in maps}
        self.trio.show_maps(
            maps, rows, self.tr("Difference of restored p(target): a − b"), marked_rows=range(*a.subject_range),
            value_label="Δp", titles=titles, diverging=True,
        )  # fmt: skip

    def _pair(self) -> tuple[TraceResult, TraceResult] | None:
        a, b = self.first.currentIndex(), self.second.currentIndex()
        if a < 0 or b < 0 or len(self._traces) < 2:
            return None
        return self._traces[a][1], self._traces[b][1]
