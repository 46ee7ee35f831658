"""A labelled heatmap: rows of tokens, columns of layers, a colour bar, hover and clicks.

Numpy in, signals out — no torch, no store — so the tracing lab's heatmaps, its averaged
and difference views and the editing lab all draw with the same piece.  ``HeatmapPlot`` is a
pyqtgraph layout item (several can share one scene, which then exports as one figure);
``Heatmap`` is a ready widget holding one.  ``set_data`` updates the image in place, so a
heatmap can fill in live, cell by cell (NaN cells stay blank until computed).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QWidget

from workbench.ui.widgets.axis_format import show_percent

COLORMAPS: dict[str, tuple[str, ...]] = {
    # ColorBrewer sequential ramps, as the ROME figure uses for hidden / MLP / attention
    "purples": ("#fcfbfd", "#dadaeb", "#9e9ac8", "#6a51a3", "#3f007d"),
    "greens": ("#f7fcf5", "#c7e9c0", "#74c476", "#238b45", "#00441b"),
    "reds": ("#fff5f0", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d"),
    "blues": ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"),
    # diverging, for differences: blue below zero, white at zero, red above
    "difference": ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"),
}


def color_map(name: str) -> pg.ColorMap:
    stops = COLORMAPS[name]
    return pg.ColorMap(np.linspace(0.0, 1.0, len(stops)), [QColor(c) for c in stops], name=name)


class _CellImage(pg.ImageItem):
    """The image, reporting which cell the mouse is over or clicked (row, column)."""

    def __init__(self, owner: HeatmapPlot) -> None:
        super().__init__(axisOrder="row-major")
        self._owner = owner
        self.setAcceptHoverEvents(True)

    def _cell(self, pos: QPointF) -> tuple[int, int] | None:
        if self.image is None:
            return None
        row, col = int(np.floor(pos.y())), int(np.floor(pos.x()))
        rows, cols = self.image.shape[:2]
        return (row, col) if 0 <= row < rows and 0 <= col < cols else None

    def hoverEvent(self, ev) -> None:
        cell = None if ev.isExit() else self._cell(ev.pos())
        self._owner._hovered(cell)

    def mouseClickEvent(self, ev) -> None:
        cell = self._cell(ev.pos())
        if cell is None:
            return
        ev.accept()
        if ev.button() == Qt.MouseButton.LeftButton:
            self._owner.sig_cell_clicked.emit(*cell)
        elif ev.button() == Qt.MouseButton.RightButton:
            screen = ev.screenPos()
            self._owner.sig_cell_context.emit(cell[0], cell[1], QPoint(int(screen.x()), int(screen.y())))


class HeatmapPlot(pg.GraphicsLayout):
    """Title, image with row and column labels, and a horizontal colour bar below."""

    sig_cell_clicked = Signal(int, int)  # row, column
    sig_cell_context = Signal(int, int, QPoint)  # row, column, global position
    sig_cell_hovered = Signal(int, int, float)  # row, column, value; (-1, -1, nan) on leaving

    def __init__(
        self,
        title: str = "",
        colormap: str = "purples",
        x_label: str = "layer",
        value_label: str = "",
    ) -> None:
        super().__init__()
        self.plot = pg.PlotItem(title=title)
        let_title_shrink(self.plot.titleLabel)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setLabel("bottom", x_label)
        for name in ("left", "bottom"):
            # ticks are labels (tokens, layers), never numbers to scale: an empty map shows none
            # rather than the default range's "-0.4 … 0.4 (x0.001)"
            self.plot.getAxis(name).enableAutoSIPrefix(False)
            self.plot.getAxis(name).setTicks([[]])
        # the last layer's number reaches a little past the map's edge: drawn, not dropped
        self.plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self.image = _CellImage(self)
        self.plot.addItem(self.image)
        self._selection = QGraphicsRectItem()
        self._selection.setZValue(10)
        self._selection.hide()
        self.plot.addItem(self._selection)
        self._colormap_name = colormap
        self.colorbar = pg.ColorBarItem(
            values=(0.0, 1.0), colorMap=color_map(colormap), orientation="horizontal", interactive=False,
            label=value_label, colorMapMenu=False, width=14,
        )  # fmt: skip
        self.colorbar.setImageItem(self.image)
        # values are probabilities (or their differences): the bar reads "40 % … 90 %", never
        # "400 … 900 (x0.001)"
        show_percent(self.colorbar.axis, low=-1.0, high=1.0)
        self.colorbar.axis.setTickDensity(0.6)  # "20%40%60%80%" ran together on a narrow bar
        self.addItem(self.plot, row=0, col=0)
        self.addItem(self.colorbar, row=1, col=0)
        self._row_labels: list[str] = []
        self._col_labels: list[str] = []
        self._numbered_columns = True
        """Column labels are 0 … n−1 (no ``columns`` given): they follow the data's width."""
        self._column_step: int | None = None
        self._shown_step = 0
        """The label step last drawn (redrawn only when the width asks for another)."""
        self._x_captions = (x_label, x_label)
        """The x axis caption, and a shorter one for a map narrower than it."""
        self.plot.vb.sigResized.connect(self._fit_axis_texts)
        self.set_selection_colour("#f59e0b")

    # -- appearance -------------------------------------------------------------------
    def set_title(self, title: str) -> None:
        self.plot.setTitle(title)

    def set_x_caption(self, caption: str, short: str = "") -> None:
        """The x axis caption; ``short`` replaces it while the map is narrower than it (three
        30-layer maps side by side at 1280×720 ran "window centre (layer)" into each other)."""
        self._x_captions = (caption, short or caption)
        self._fit_axis_texts()

    def set_colormap(self, name: str) -> None:
        self._colormap_name = name
        self.colorbar.setColorMap(color_map(name))

    def colormap_name(self) -> str:
        return self._colormap_name

    def set_selection_colour(self, colour: str) -> None:
        pen = QPen(QColor(colour))
        pen.setWidthF(2.5)
        pen.setCosmetic(True)
        self._selection.setPen(pen)

    def show_row_labels(self, shown: bool) -> None:
        """Row labels on or off: heatmaps side by side share the first one's labels (their
        rows line up), leaving the width to the maps."""
        self.plot.getAxis("left").setStyle(showValues=shown)
        self.plot.getAxis("left").setWidth(None if shown else 6)

    def set_font(self, font: QFont) -> None:
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(tickFont=font)
        self._fit_axis_texts()

    def set_labels(
        self,
        rows: Sequence[str],
        columns: Sequence[str] | None = None,
        marked_rows: Sequence[int] = (),
        column_step: int | None = None,
    ) -> None:
        """Row labels (``marked_rows`` get an asterisk, as the subject in the ROME figure) and
        column labels (default 0 … n−1, every ``column_step``-th shown when there are many)."""
        marked = set(marked_rows)
        self._row_labels = [f"{label}*" if i in marked else str(label) for i, label in enumerate(rows)]
        self._numbered_columns, self._column_step = columns is None, column_step
        self.plot.getAxis("left").setTicks([[(i + 0.5, label) for i, label in enumerate(self._row_labels)]])
        self._set_column_labels([str(c) for c in columns] if columns is not None else self._numbers(self._columns()))
        self._fit(len(self._row_labels), len(self._col_labels))

    def _set_column_labels(self, labels: list[str]) -> None:
        self._col_labels = labels
        self._shown_step = self._label_step(labels)
        shown = self._shown_columns(len(labels), self._shown_step)
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, labels[i]) for i in shown]])

    def _label_step(self, labels: list[str]) -> int:
        """Label every how many columns: the caller's step, else at most 16 labels and no
        closer than the widest label fits in the map's width (1, 2, 5, 10, 20, 50 …), so
        that 30 layer numbers in a narrow map do not run into one another."""
        if self._column_step:
            return self._column_step
        count = len(labels)
        step = max(1, int(np.ceil(count / 16)))
        width = self.plot.vb.width()
        if count and width > 0:
            metrics = QFontMetrics(self._tick_font())
            room = max(metrics.horizontalAdvance(label) for label in labels) + metrics.horizontalAdvance("  ")
            step = max(step, int(np.ceil(room * count / width)))
        return _round_step(step)

    def _tick_font(self) -> QFont:
        font = self.plot.getAxis("bottom").style.get("tickFont")
        return font if isinstance(font, QFont) else QApplication.font()

    def _fit_axis_texts(self) -> None:
        """After a resize (or a new font): the layer labels' step and the caption that fit."""
        if self._col_labels and self._label_step(self._col_labels) != self._shown_step:
            self._set_column_labels(self._col_labels)
        width, axis = self.plot.vb.width(), self.plot.getAxis("bottom")
        # "10%20%" ran together on the colour bar of a narrow map: fewer percent marks there
        self.colorbar.axis.setTickDensity(0.6 if width > 140 else 0.25)
        caption, short = self._x_captions
        fits = width <= 0 or QFontMetrics(axis.label.font()).horizontalAdvance(caption) <= width
        wanted = caption if fits else short
        if axis.labelText != wanted:
            self.plot.setLabel("bottom", wanted)
            axis.resizeEvent(None)  # pyqtgraph centres the caption only when the axis resizes

    def _shown_columns(self, count: int, step: int) -> list[int]:
        """Every ``step``-th column and the last; a step mark closer to the last than a step
        gives way to it (30 layers: … 24, 26, 29, not 26, 28, 29 drawn into one another)."""
        shown = list(range(0, count, step))
        last = count - 1
        if shown and shown[-1] != last:
            if len(shown) > 1 and last - shown[-1] < step:
                shown[-1] = last
            else:
                shown.append(last)
        return shown

    @staticmethod
    def _numbers(count: int) -> list[str]:
        return [str(i) for i in range(count)]

    def row_labels(self) -> list[str]:
        return list(self._row_labels)

    def column_labels(self) -> list[str]:
        return list(self._col_labels)

    # -- data ---------------------------------------------------------------------------
    def set_data(self, values: np.ndarray, levels: tuple[float, float] | None = None) -> None:
        """Show ``values`` (rows × columns); NaN cells stay blank.  Updates the existing image."""
        values = np.asarray(values, dtype=np.float64)
        self.image.setImage(values, autoLevels=False)
        self.image.setRect(QRectF(0, 0, values.shape[1], values.shape[0]))
        if levels is None:
            finite = values[np.isfinite(values)]
            levels = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        self.set_levels(*levels)
        if self._numbered_columns and len(self._col_labels) != values.shape[1]:
            # labels set before the first data (or a new width) number the columns now
            self._set_column_labels(self._numbers(values.shape[1]))
        if len(self._row_labels) != values.shape[0]:
            self._fit(values.shape[0], values.shape[1])

    def set_levels(self, low: float, high: float) -> None:
        if not high > low:
            high = low + 1e-6
        self.colorbar.setLevels((low, high))

    def levels(self) -> tuple[float, float]:
        low, high = self.colorbar.levels()
        return float(low), float(high)

    def data(self) -> np.ndarray | None:
        """The values shown (a copy), or None before any."""
        return None if self.image.image is None else np.array(self.image.image, dtype=np.float64)

    def value(self, row: int, column: int) -> float:
        data = self.image.image
        return float("nan") if data is None else float(data[row, column])

    def clear_data(self) -> None:
        self.image.clear()
        self._selection.hide()

    def select_cell(self, row: int | None, column: int | None = None) -> None:
        """Outline one cell (None hides the outline)."""
        if row is None or column is None:
            self._selection.hide()
            self._selection.setRect(QRectF())
            return
        self._selection.setRect(QRectF(column, row, 1, 1))
        self._selection.show()

    def selected_cell(self) -> tuple[int, int] | None:
        """The outlined cell as (row, column), or None."""
        rect = self._selection.rect()
        return (int(rect.top()), int(rect.left())) if rect.isValid() else None

    def set_selection_visible(self, visible: bool) -> None:
        """Show or hide the outline without forgetting the cell (hidden for exports: a slide
        shows the data, not where the mouse last clicked)."""
        self._selection.setVisible(visible and self._selection.rect().isValid())

    def selection_visible(self) -> bool:
        return self._selection.isVisible()

    def cell_scene_pos(self, row: int, column: int) -> QPointF:
        """The centre of a cell in scene coordinates (for tests and overlays)."""
        return self.plot.vb.mapViewToScene(QPointF(column + 0.5, row + 0.5))

    # -- internals ----------------------------------------------------------------------
    def _columns(self) -> int:
        return 0 if self.image.image is None else int(self.image.image.shape[1])

    def _fit(self, rows: int, columns: int) -> None:
        if rows and columns:
            self.plot.setRange(xRange=(0, columns), yRange=(0, rows), padding=0)

    def _hovered(self, cell: tuple[int, int] | None) -> None:
        if cell is None:
            self.sig_cell_hovered.emit(-1, -1, float("nan"))
        else:
            self.sig_cell_hovered.emit(cell[0], cell[1], self.value(*cell))


def _round_step(step: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50 … that is at least ``step``."""
    scale = 1
    while True:
        for nice in (scale, 2 * scale, 5 * scale):
            if nice >= step:
                return nice
        scale *= 10


def let_title_shrink(label: pg.LabelItem) -> None:
    """A title gets its one-line width when there is room, but never makes the plot wider
    than the space it is given: side by side, a long title pushed the third heatmap out of
    the window (at 1280×720 the attention map was cut off).  Nor does it ask for its width:
    maps side by side then share the width alike, where "MLP" over a 30-layer map got half
    the width of "Hidden state" beside it."""
    update = label.updateMin

    def update_min() -> None:
        update()
        label.setMinimumWidth(0)
        # LabelItem answers sizeHint from this table (pyqtgraph has no setter for it)
        height = label._sizeHint[Qt.SizeHint.PreferredSize][1]
        label._sizeHint[Qt.SizeHint.PreferredSize] = (0, height)
        label.updateGeometry()

    label.updateMin = update_min
    label.setMinimumWidth(0)


class Heatmap(pg.GraphicsLayoutWidget):
    """One ``HeatmapPlot`` as a widget; hovering shows the cell's value as a tool tip."""

    sig_cell_clicked = Signal(int, int)
    sig_cell_context = Signal(int, int, QPoint)

    def __init__(
        self,
        title: str = "",
        colormap: str = "purples",
        x_label: str = "layer",
        value_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.heatmap = HeatmapPlot(title, colormap, x_label, value_label)
        self.addItem(self.heatmap)
        self.heatmap.sig_cell_clicked.connect(self.sig_cell_clicked)
        self.heatmap.sig_cell_context.connect(self.sig_cell_context)
        self.heatmap.sig_cell_hovered.connect(self._on_cell_hovered)

    def _on_cell_hovered(self, row: int, column: int, value: float) -> None:
        self.setToolTip("" if row < 0 else hover_text(self.heatmap, row, column, value))


def hover_text(plot: HeatmapPlot, row: int, column: int, value: float) -> str:
    """“token · layer 3 · 0.412” for a cell of ``plot``."""
    rows = plot.row_labels()
    label = rows[row] if row < len(rows) else str(row)
    value_text = QCoreApplication.translate("HeatmapPlot", "not computed yet") if np.isnan(value) else f"{value:.2%}"
    axis = plot.plot.getAxis("bottom").labelText or QCoreApplication.translate("HeatmapPlot", "column")
    return f"{label} · {axis} {column} · {value_text}"
