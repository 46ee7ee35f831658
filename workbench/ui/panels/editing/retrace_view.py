"""Re-trace the edited fact: where does the *new* answer live before and after the edit?

The tracing lab's trace (book §5.4.1) of the edit prompt with the new target runs twice —
with this edit switched off and on — and the two heatmaps of one kind are shown next to
their difference (after − before, blue–white–red), e.g. ROME's edited MLP lighting up at the
last subject token.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.tracing.params import TRACE_KINDS
from workbench.core.tracing.results import TraceResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.tracing.compare import trace_difference
from workbench.ui.panels.tracing.trio import KIND_COLORMAPS, KIND_NAMES, kind_axis_label, token_label, trace_levels
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.heatmap import HeatmapPlot
from workbench.ui.widgets.token_text import visible_token

PANES = ("before", "after", "difference")
PANE_TITLES = {
    "before": QT_TRANSLATE_NOOP("RetraceView", "Before"),
    "after": QT_TRANSLATE_NOOP("RetraceView", "After"),
    "difference": QT_TRANSLATE_NOOP("RetraceView", "After − before"),
}

_TRACING_WORDS = (
    QT_TRANSLATE_NOOP("RetraceView", "Hidden state"),
    QT_TRANSLATE_NOOP("RetraceView", "MLP"),
    QT_TRANSLATE_NOOP("RetraceView", "Attention"),
    QT_TRANSLATE_NOOP("RetraceView", "restored layer"),
    QT_TRANSLATE_NOOP("RetraceView", "window centre (layer)"),
)
"""The tracing lab's kind names and axis captions, as this view shows them (``self.tr``)."""


def pane_title(pane: str) -> str:
    return QCoreApplication.translate("RetraceView", PANE_TITLES[pane])


class RetraceView(Retranslating, QWidget):
    sig_retrace = Signal()
    sig_cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._before: TraceResult | None = None
        self._after: TraceResult | None = None
        self._note = QT_TRANSLATE_NOOP(
            "EditingPanel",
            "Apply an edit, then re-trace its prompt with the new target: before the edit (switched off) and after.",
        )
        """The note's English sentence (with ``_note_args``), kept for a language switch."""
        self._note_args: dict[str, str] = {}
        self.kind = QComboBox()
        for kind in TRACE_KINDS:
            self.kind.addItem(KIND_NAMES[kind], kind)
        self.kind.setCurrentIndex(max(self.kind.findData("mlp"), 0))
        self.retrace_button = QPushButton()
        self.retrace_button.setProperty("role", "primary")
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.note = QLabel()
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.ci.setSpacing(6)
        self.plots: dict[str, HeatmapPlot] = {}
        for column, pane in enumerate(PANES):
            plot = HeatmapPlot(pane_title(pane), "difference" if pane == "difference" else "greens")
            self.canvas.addItem(plot, row=0, col=column)
            self.plots[pane] = plot
        top = QHBoxLayout()
        self.restore_label = QLabel()
        top.addWidget(self.restore_label)
        top.addWidget(self.kind)
        top.addStretch(1)
        top.addWidget(self.retrace_button)
        top.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.canvas, 1)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.retrace_button.clicked.connect(self.sig_retrace)
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.retranslate()

    def retranslate(self) -> None:
        self.retrace_button.setText(self.tr("Re-trace before / after"))
        self.retrace_button.setToolTip(
            self.tr("Trace the edit prompt with the new target, with the last edit off and on")
        )
        self.cancel_button.setText(self.tr("Cancel"))
        self.restore_label.setText(self.tr("Restore"))
        for index in range(self.kind.count()):
            self.kind.setItemText(index, self.tr(KIND_NAMES[self.kind.itemData(index)]))
        if self._before is None and self._after is None:
            for pane, plot in self.plots.items():
                plot.set_title(pane_title(pane))
                plot.plot.setLabel("bottom", self.tr("layer"))
        self._show_note()
        self.refresh()

    def set_note(self, note: str, **args: str) -> None:
        """Show ``note``, an English sentence marked in the ``EditingPanel`` context, filled with ``args``."""
        self._note, self._note_args = note, args
        self._show_note()

    def _show_note(self) -> None:
        self.note.setText(QCoreApplication.translate("EditingPanel", self._note).format(**self._note_args))

    def set_running(self, running: bool, can_start: bool) -> None:
        self.retrace_button.setEnabled(can_start and not running)
        self.cancel_button.setEnabled(running)

    def clear(self, note: str = "", **args: str) -> None:
        """Empty the maps; ``note`` (English, marked in the ``EditingPanel`` context) replaces the note."""
        self._before = self._after = None
        for pane, plot in self.plots.items():
            plot.clear_data()
            plot.set_title(pane_title(pane))
            plot.plot.setLabel("bottom", self.tr("layer"))
        if note:
            self.set_note(note, **args)

    def show_before(self, result: TraceResult) -> None:
        self._before = result
        self._after = None
        self.refresh()

    def show_after(self, result: TraceResult) -> None:
        self._after = result
        self.refresh()

    def traces(self) -> tuple[TraceResult | None, TraceResult | None]:
        return self._before, self._after

    def refresh(self) -> None:
        kind = self.kind.currentData()
        shown = {"before": self._before, "after": self._after}
        for pane, result in shown.items():
            plot = self.plots[pane]
            if result is None or kind not in result.scores:
                plot.clear_data()
                continue
            plot.set_colormap(KIND_COLORMAPS[kind])
            plot.plot.setLabel("bottom", self.tr(kind_axis_label(kind, result.window)))
            plot.colorbar.setLabel("bottom", f"p({visible_token(result.target)})")
            plot.set_labels([token_label(t) for t in result.tokens], marked_rows=range(*result.subject_range))
            plot.set_data(result.scores[kind], trace_levels(result, kind))
            plot.set_title(
                self.tr("{pane} · clean p = {p}").format(pane=pane_title(pane), p=f"{result.high_score:.3f}")
            )
        difference = self.plots["difference"]
        after = self._after
        maps = trace_difference(after, self._before) if self._before is not None and after is not None else {}
        if after is None or kind not in maps:
            difference.clear_data()
        else:
            values = maps[kind]
            finite = np.abs(values[np.isfinite(values)])
            bound = float(finite.max()) if finite.size else 1.0
            difference.set_labels([token_label(t) for t in after.tokens], marked_rows=range(*after.subject_range))
            difference.plot.setLabel("bottom", self.tr("layer"))  # the window is named on the maps beside it
            difference.colorbar.setLabel("bottom", self.tr("Δp  (after − before)"))
            difference.set_title(pane_title("difference"))
            difference.set_data(values, (-bound, bound) if bound > 0 else (-1.0, 1.0))
        if self._before is not None:
            target = visible_token(self._before.target)
            kind_name = self.tr(KIND_NAMES[kind])
            note = self.tr("{kind} restored, p({target}) for “{prompt}”").format(
                kind=kind_name, target=target, prompt=self._before.prompt
            )
            self.note.setText(note + ("" if self._after is not None else self.tr(" · tracing after the edit…")))

    def image_data(self, pane: str) -> np.ndarray | None:
        return self.plots[pane].data()
