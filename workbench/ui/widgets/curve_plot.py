"""Live training curves: named series updated in place, earlier runs overlaid in muted colours.

Numpy in, nothing else: no torch, no store.  Each series' ``PlotDataItem`` is created once
and then fed with ``setData`` as points arrive (a rebuild per update would drop a 60 fps
GUI), so a panel can hand over a training job's cumulative curves thirty times a second.
Overlays are whole earlier runs drawn thin and muted under the live series, with a legend
entry each, so "did this run learn faster than the last one?" is answered at a glance.

The view follows the data in coarse steps rather than pyqtgraph's exact auto-range: a range
that moves with every new point makes every update regenerate all four axes (ticks, labels,
grid) and repaint each plot twice (pyqtgraph applies its auto-range while painting, which
asks for another paint) — 25-30 ms of GUI-thread time per update on two cores, five times
what an update with a steady range costs (``tests/bench/bench_finetune_gui.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.ui.widgets.plot_style import rename_in_legend

FOLLOW_HEADROOM = 0.3
"""When the data outgrow the view, the escaping side gets this fraction of the data's span as
room to grow into, so a run of n steps moves the view about log(n) / log(1.3) times."""
FOLLOW_MARGIN = 0.05
"""Margin on the side that did not escape (what pyqtgraph's auto-range pads with)."""

OVERLAY_COLOURS = ("#8c96a8", "#b39b7a", "#8fae9a", "#a98fb5", "#7fa3b8", "#b88f8f")
"""Muted hues for earlier runs: distinguishable from each other, quieter than live series."""


@dataclass(frozen=True)
class SeriesStyle:
    label: str
    colour: str
    width: float = 1.0
    """Keep 1 for long noisy series: Qt's raster engine draws wider antialiased paths with
    many turns hundreds of times slower (300 ms for 300 noisy points at width 2), which
    would freeze the GUI on every update; smooth or sparse series can afford 2."""
    symbol: str | None = None
    """A marker per point (``"o"``) for sparse series such as evaluations."""
    dashed: bool = False


class CurvePlot(QWidget):
    """One plot of step → value curves with a legend and an optional log-scale y axis."""

    def __init__(self, y_label: str, x_label: str = "step", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget()
        self.plot_item = self.plot_widget.getPlotItem()
        self.plot_item.showGrid(x=True, y=True, alpha=0.15)
        self.plot_item.setLabel("left", y_label)
        self.plot_item.setLabel("bottom", x_label)
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        left = self.plot_item.getAxis("left")
        left.enableAutoSIPrefix(False)  # "0.001", not "1 (x0.001)" in a cut-off axis label
        left.setWidth(64)  # equal widths keep the step axes of stacked plots aligned
        self.legend = self.plot_item.addLegend(offset=(-10, 10), labelTextSize="9pt")
        self._series: dict[str, pg.PlotDataItem] = {}
        self._overlays: dict[str, list[pg.PlotDataItem]] = {}
        self._bounds: dict[pg.PlotDataItem, tuple[float, float, float, float]] = {}
        """Each item's data extent (x min, x max, y min, y max) in view coordinates."""
        self._following = True
        self._follow_x = True
        view = self.plot_item.getViewBox()
        view.disableAutoRange()
        view.sigRangeChangedManually.connect(self._on_range_changed_manually)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)

    # -- live series -------------------------------------------------------------------
    def add_series(self, name: str, style: SeriesStyle) -> None:
        """Declare a series (once); ``set_data`` then updates it in place."""
        if name in self._series:
            raise ValueError(f"series {name!r} exists already")
        item = self.plot_item.plot([], [], name=style.label, pen=_pen(style.colour, style.width, style.dashed))
        if style.symbol:
            item.setSymbol(style.symbol)
            item.setSymbolSize(7)
            item.setSymbolBrush(QColor(style.colour))
            item.setSymbolPen(pg.mkPen(QColor(style.colour)))
        _fast(item)
        item.setZValue(10)
        self._series[name] = item

    def rename_series(self, name: str, label: str) -> None:
        """Name series ``name`` anew in the legend (the interface language changed)."""
        rename_in_legend(self.legend, self._series[name], label)

    def set_data(self, name: str, steps: np.ndarray, values: np.ndarray) -> None:
        item = self._series[name]
        item.setData(np.asarray(steps, dtype=np.float64), np.asarray(values, dtype=np.float64))
        self._measure(item)
        self._follow()

    def clear_data(self) -> None:
        """Empty every live series (the items stay, ready for the next run); the view
        follows the data again if it was zoomed."""
        for item in self._series.values():
            item.setData([], [])
            self._bounds.pop(item, None)
        self._following = True
        self._follow(refit=True)

    def data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The steps and values series ``name`` holds — all of them: what is on screen is
        clipped to the view and downsampled, and the view follows the data only lazily."""
        x, y = self._series[name].getOriginalDataset()
        return (np.asarray(x if x is not None else []), np.asarray(y if y is not None else []))

    def series_names(self) -> list[str]:
        return list(self._series)

    # -- overlays ----------------------------------------------------------------------
    def set_overlay(self, key: str, label: str, curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """Draw an earlier run's curves (series name → steps, values) muted, under the live ones.

        Series are matched to the live series' styles (dashed where the live one has markers),
        so "eval loss of run #3" looks like a quiet copy of the eval-loss line.
        """
        self.remove_overlay(key)
        colour = OVERLAY_COLOURS[len(self._overlays) % len(OVERLAY_COLOURS)]
        items = []
        for name, (steps, values) in curves.items():
            if name not in self._series or len(steps) == 0:
                continue
            live = self._series[name]
            sparse = live.opts.get("symbol") is not None
            item = self.plot_item.plot(
                np.asarray(steps, dtype=np.float64),
                np.asarray(values, dtype=np.float64),
                name=f"{label} · {self.legend_label(name)}",
                pen=_pen(colour, 1.0, dashed=sparse),
            )
            _fast(item)
            item.setZValue(1)
            self._measure(item)
            items.append(item)
        self._overlays[key] = items
        self._follow()

    def remove_overlay(self, key: str) -> None:
        items = self._overlays.pop(key, [])
        for item in items:
            self.legend.removeItem(item)
            self.plot_item.removeItem(item)
            self._bounds.pop(item, None)
        if items:
            self._follow(refit=True)

    def overlay_keys(self) -> list[str]:
        return list(self._overlays)

    def overlay_data(self, key: str) -> list[tuple[np.ndarray, np.ndarray]]:
        return [tuple(np.asarray(a) for a in item.getOriginalDataset()) for item in self._overlays.get(key, [])]  # type: ignore[misc]  # tuple() of a row: mypy cannot size it to the declared tuple type

    # -- view --------------------------------------------------------------------------
    def set_log_y(self, on: bool) -> None:
        """Log-scale y axis: late training, where the loss creeps down slowly, becomes visible."""
        self.plot_item.setLogMode(x=False, y=on)
        for item in list(self._bounds):
            self._measure(item)
        self._following = True
        self._follow(refit=True)

    def is_log_y(self) -> bool:
        return bool(self.plot_item.ctrl.logYCheck.isChecked())

    def legend_label(self, name: str) -> str:
        return str(self._series[name].name())

    def link_x(self, other: CurvePlot) -> None:
        """Share the step axis with ``other`` (zooming one zooms both); ``other`` leads it."""
        self.plot_item.setXLink(other.plot_item)
        self._follow_x = False
        other.plot_item.getViewBox().sigRangeChangedManually.connect(self._on_range_changed_manually)
        self.plot_item.getViewBox().sigRangeChangedManually.connect(other._on_range_changed_manually)

    def is_following(self) -> bool:
        """Whether the view still moves to show all data (False once the user zoomed or panned)."""
        return self._following

    # -- following the data ------------------------------------------------------------
    def _measure(self, item: pg.PlotDataItem) -> None:
        x, y = item.getOriginalDataset()
        if x is None or y is None or len(x) == 0:
            self._bounds.pop(item, None)
            return
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        if self.is_log_y():
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.log10(y)
        keep = np.isfinite(x) & np.isfinite(y)
        if not keep.any():
            self._bounds.pop(item, None)
            return
        x, y = x[keep], y[keep]
        self._bounds[item] = (float(x.min()), float(x.max()), float(y.min()), float(y.max()))

    def _follow(self, refit: bool = False) -> None:
        """Move the view only when the data leave it, or (``refit``) fit it afresh."""
        if not self._following or not self._bounds:
            return
        extents = np.array(list(self._bounds.values()))
        data_x = (extents[:, 0].min(), extents[:, 1].max())
        data_y = (extents[:, 2].min(), extents[:, 3].max())
        (view_x, view_y) = self.plot_item.getViewBox().viewRange()
        new_x = _followed(tuple(view_x), data_x, refit) if self._follow_x else None
        new_y = _followed(tuple(view_y), data_y, refit)
        if new_x is not None or new_y is not None:
            self.plot_item.getViewBox().setRange(xRange=new_x, yRange=new_y, padding=0)

    def _on_range_changed_manually(self, *_: object) -> None:
        self._following = False


def _followed(view: tuple[float, float], data: tuple[float, float], refit: bool) -> tuple[float, float] | None:
    """The range to show ``data`` in, or None to keep ``view``.

    The view is kept while it holds the data and the data fill at least a third of it; else
    the side the data escaped through gets ``FOLLOW_HEADROOM`` of room (never past zero for
    data that are not negative), the other a margin.
    """
    low, high = data
    span = high - low
    if span <= 0:
        span = max(abs(high) * 0.1, 1e-12)
    if not refit and view[0] <= low and high <= view[1] and span >= (view[1] - view[0]) / 3:
        return None
    below = FOLLOW_HEADROOM if not refit and low < view[0] else FOLLOW_MARGIN
    above = FOLLOW_HEADROOM if not refit and high > view[1] else FOLLOW_MARGIN
    start, end = low - below * span, high + above * span
    if low >= 0:  # room to grow into, but no negative losses or steps on the axis
        start = max(start, -FOLLOW_MARGIN * span)
    return (start, end)


def _fast(item: pg.PlotDataItem) -> None:
    """Draw at most about one point per pixel (keeping each pixel's extremes) and only what
    is in view, so a curve of 100 000 steps costs what one of 1 000 does."""
    item.setDownsampling(auto=True, method="peak")
    item.setClipToView(True)


def _pen(colour: str, width: float, dashed: bool = False) -> pg.QtGui.QPen:
    pen = pg.mkPen(QColor(colour), width=width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen
