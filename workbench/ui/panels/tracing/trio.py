"""The three heatmaps of ROME Fig. 1 side by side in one scene (so they export as one figure).

Hidden state (purple), MLP (green), attention (red): rows are the prompt's tokens with the
subject marked by an asterisk, columns the layers, each with its colour bar from the
corrupted (low) to the clean (high) probability.  The same trio shows averaged effects
(rows are token groups) and differences (a diverging colour map centred on zero).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from workbench.core.tracing.params import TRACE_KINDS
from workbench.core.tracing.results import TraceResult
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.heatmap import HeatmapPlot, hover_text, let_title_shrink
from workbench.ui.widgets.token_text import visible_token

KIND_COLORMAPS = {"hidden": "purples", "mlp": "greens", "attn": "reds"}
KIND_NAMES = {
    "hidden": QT_TRANSLATE_NOOP("HeatmapTrio", "Hidden state"),
    "mlp": QT_TRANSLATE_NOOP("HeatmapTrio", "MLP"),
    "attn": QT_TRANSLATE_NOOP("HeatmapTrio", "Attention"),
}
"""English sources (context ``HeatmapTrio``); ``kind_name`` gives them in the interface language."""
NOISE_NAMES = {
    "gaussian": QT_TRANSLATE_NOOP("HeatmapTrio", "Gaussian"),
    "uniform": QT_TRANSLATE_NOOP("HeatmapTrio", "uniform"),
}


def kind_name(kind: str) -> str:
    return QCoreApplication.translate("HeatmapTrio", KIND_NAMES[kind])


def kind_axis_label(kind: str, window: int) -> str:
    """The x-axis caption of ROME Fig. 1 for ``kind``."""
    # short: three maps share the width, and the title names the window ("MLP window · 10 layers")
    if kind == "hidden":
        return QCoreApplication.translate("HeatmapTrio", "restored layer")
    return QCoreApplication.translate("HeatmapTrio", "window centre (layer)")


def _caption_axis(plot: HeatmapPlot, kind: str, window: int) -> None:
    """``kind_axis_label``'s caption under ``plot``, and "layer" where the map is too narrow for it."""
    plot.set_x_caption(kind_axis_label(kind, window), QCoreApplication.translate("HeatmapTrio", "layer"))


def kind_title(kind: str, window: int) -> str:
    if kind == "hidden":  # its x axis says "restored layer"
        return kind_name(kind)
    if window == 1:
        return QCoreApplication.translate("HeatmapTrio", "{kind} window · 1 layer").format(kind=kind_name(kind))
    return QCoreApplication.translate("HeatmapTrio", "{kind} window · {window} layers").format(
        kind=kind_name(kind), window=window
    )


def token_label(token: str) -> str:
    """A token as a row label: its text without edge spaces (␣ if it is only spaces)."""
    return token.strip() or visible_token(token)


def trace_levels(result: TraceResult, kind: str) -> tuple[float, float]:
    """Colour scale from the corrupted to the clean probability, widened to the data."""
    values = result.scores[kind]
    finite = values[np.isfinite(values)]
    low = min(result.low_score, float(finite.min())) if finite.size else result.low_score
    high = max(result.high_score, float(finite.max())) if finite.size else result.high_score
    return low, high


class HeatmapTrio(pg.GraphicsLayoutWidget):
    """The trio; a trace's titles and header are drawn again in a new language (maps shown
    with ``show_maps`` get their words from the caller, which shows them again itself)."""

    sig_cell_clicked = Signal(str, int, int)  # kind, token (row), layer (column)
    sig_cell_context = Signal(str, int, int, QPoint)
    sig_hover_text = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._trace: TraceResult | None = None
        self.ci.setSpacing(6)
        self.header = pg.LabelItem("", justify="center", size="11pt")
        let_title_shrink(self.header)
        self.addItem(self.header, row=0, col=0, colspan=len(TRACE_KINDS))
        self.plots: dict[str, HeatmapPlot] = {}
        for col, kind in enumerate(TRACE_KINDS):
            plot = HeatmapPlot(kind_name(kind), KIND_COLORMAPS[kind])
            _caption_axis(plot, kind, 1)
            self.addItem(plot, row=1, col=col)
            plot.sig_cell_clicked.connect(lambda row, column, k=kind: self.sig_cell_clicked.emit(k, row, column))
            plot.sig_cell_context.connect(
                lambda row, column, where, k=kind: self.sig_cell_context.emit(k, row, column, where)
            )
            plot.sig_cell_hovered.connect(lambda row, column, value, k=kind: self._on_hovered(k, row, column, value))
            self.plots[kind] = plot
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.5))
        for plot in self.plots.values():
            plot.set_font(font)

    def resizeEvent(self, event) -> None:
        """The header wraps to the width there is instead of running off the right edge."""
        super().resizeEvent(event)
        # pyqtgraph resizes the view while it is being made, and close() deletes the items first
        if getattr(self, "header", None) is not None and getattr(self, "centralWidget", None) is not None:
            self._fit_header()

    def _set_header(self, text: str) -> None:
        self.header.setText(text)
        self._fit_header()

    def _fit_header(self) -> None:
        """The header's text block as wide as the trio, its lines centred in it, and the block
        placed again (pyqtgraph places it only when the label resizes, so a new text or width
        left it off centre, half a line to the right at 1920×1080)."""
        header = self.header
        header.item.setTextWidth(max(120.0, self.width() - 48.0))
        option = header.item.document().defaultTextOption()
        option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        header.item.document().setDefaultTextOption(option)
        header.resizeEvent(None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            for kind, plot in self.plots.items():
                if self._trace is not None:
                    plot.set_title(kind_title(kind, self._trace.window))
                    _caption_axis(plot, kind, self._trace.window)
            if self._trace is not None:
                self._set_header(_trace_header(self._trace))

    # -- showing ----------------------------------------------------------------------------
    def start_trace(self, result: TraceResult) -> None:
        """Lay out the trio for a trace (labels, titles, colour maps): once per trace."""
        rows = [token_label(token) for token in result.tokens]
        marked = range(*result.subject_range)
        for kind, plot in self.plots.items():
            plot.set_colormap(KIND_COLORMAPS[kind])
            plot.set_title(kind_title(kind, result.window))
            _caption_axis(plot, kind, result.window)
            plot.colorbar.setLabel("bottom", f"p({visible_token(result.target)})")
            plot.set_labels(rows, marked_rows=marked)
            plot.select_cell(None)
            plot.setVisible(kind in result.scores)
            if kind not in result.scores:
                plot.clear_data()
        self._share_row_labels()
        self.update_trace(result)

    def update_trace(self, result: TraceResult) -> None:
        """New numbers for the same trace (live fill): images and levels updated in place."""
        for kind, values in result.scores.items():
            self.plots[kind].set_data(values, trace_levels(result, kind))
        self._trace = result
        self._set_header(_trace_header(result))

    def show_maps(
        self,
        maps: dict[str, np.ndarray],
        rows: Sequence[str],
        header: str,
        *,
        marked_rows: Sequence[int] = (),
        columns: Sequence[str] | None = None,
        value_label: str = "",
        titles: dict[str, str] | None = None,
        diverging: bool = False,
    ) -> None:
        """Any (rows × layers) maps per kind: averaged effects, or differences (``diverging``:
        blue–white–red, symmetric about zero)."""
        self._trace = None
        for kind, plot in self.plots.items():
            plot.setVisible(kind in maps)
            if kind not in maps:
                plot.clear_data()
                continue
            values = np.asarray(maps[kind], dtype=np.float64)
            plot.set_colormap("difference" if diverging else KIND_COLORMAPS[kind])
            plot.set_title((titles or {}).get(kind, kind_name(kind)))
            _caption_axis(plot, kind, 1)  # in the language of the moment
            plot.colorbar.setLabel("bottom", value_label)
            plot.set_labels(list(rows), columns=columns, marked_rows=marked_rows)
            plot.select_cell(None)
            finite = values[np.isfinite(values)]
            if diverging:
                bound = float(np.abs(finite).max()) if finite.size else 1.0
                plot.set_data(values, (-bound, bound) if bound > 0 else (-1.0, 1.0))
            else:
                plot.set_data(values)
        self._share_row_labels()
        self._set_header(header)

    def show_hint(self, text: str) -> None:
        """No maps yet: ``text`` says how to get them, instead of three empty axes."""
        self.show_maps({}, [], text)

    def is_empty(self) -> bool:
        return not any(plot.isVisible() for plot in self.plots.values())

    def _share_row_labels(self) -> None:
        """The maps' rows are the same tokens: only the first map shown labels them."""
        shown = [plot for plot in self.plots.values() if plot.isVisible()]
        for plot in self.plots.values():
            plot.show_row_labels(bool(shown) and plot is shown[0])

    @contextmanager
    def without_selection(self) -> Iterator[None]:
        """The maps without the clicked cell's outline, e.g. while exporting a slide."""
        shown = {kind: plot.selection_visible() for kind, plot in self.plots.items()}
        for plot in self.plots.values():
            plot.set_selection_visible(False)
        try:
            yield
        finally:
            for kind, plot in self.plots.items():
                plot.set_selection_visible(shown[kind])

    def select_cell(self, kind: str | None, row: int | None = None, column: int | None = None) -> None:
        for name, plot in self.plots.items():
            plot.select_cell(row if name == kind else None, column)

    def selected_cell(self) -> tuple[str, int, int] | None:
        """The outlined cell as (kind, token row, layer column), or None."""
        for kind, plot in self.plots.items():
            cell = plot.selected_cell()
            if cell is not None:
                return kind, cell[0], cell[1]
        return None

    def image_data(self, kind: str) -> np.ndarray | None:
        return self.plots[kind].data()

    def _on_hovered(self, kind: str, row: int, column: int, value: float) -> None:
        text = "" if row < 0 else f"{kind_name(kind)}: {hover_text(self.plots[kind], row, column, value)}"
        self.setToolTip(text)
        self.sig_hover_text.emit(text)


def _trace_header(result: TraceResult) -> str:
    state = "" if result.complete else " · " + QCoreApplication.translate("HeatmapTrio", "computing…")
    if result.noise_kind == "replace":
        noise = QCoreApplication.translate("HeatmapTrio", "token replacement")
    else:
        kind = NOISE_NAMES.get(result.noise_kind)
        noise = QCoreApplication.translate("HeatmapTrio", "{kind} noise σₙ={std}").format(
            kind=QCoreApplication.translate("HeatmapTrio", kind) if kind else result.noise_kind,
            std=f"{result.noise_std:.3g}",
        )
    scores = QCoreApplication.translate(
        "HeatmapTrio", "clean p = {clean} &nbsp;·&nbsp; corrupted p = {corrupted}"
    ).format(clean=f"{result.high_score:.3f}", corrupted=f"{result.low_score:.3f}")
    samples = QCoreApplication.translate("HeatmapTrio", "{count} samples").format(count=result.samples)
    return (
        f"<b>{_escape(result.prompt)}</b> → <b>{_escape(visible_token(result.target))}</b>"
        f" &nbsp;·&nbsp; {scores} &nbsp;·&nbsp; {samples}, {noise}{state}"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
