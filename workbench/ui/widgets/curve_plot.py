"""Live training curves: named series updated in place, earlier runs overlaid in muted colours.

Numpy in, nothing else: no torch, no store.  Each series' ``PlotDataItem`` is created once
and then fed with ``setData`` as points arrive (a rebuild per update would drop a 60 fps
GUI), so a panel can hand over a training job's cumulative curves thirty times a second.
Overlays are whole earlier runs drawn thin and muted under the live series, with a legend
entry each, so "did this run learn faster than the last one?" is answered at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

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

    def set_data(self, name: str, steps: np.ndarray, values: np.ndarray) -> None:
        self._series[name].setData(np.asarray(steps, dtype=np.float64), np.asarray(values, dtype=np.float64))

    def clear_data(self) -> None:
        """Empty every live series (the items stay, ready for the next run)."""
        for item in self._series.values():
            item.setData([], [])

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
            items.append(item)
        self._overlays[key] = items

    def remove_overlay(self, key: str) -> None:
        for item in self._overlays.pop(key, []):
            self.legend.removeItem(item)
            self.plot_item.removeItem(item)

    def overlay_keys(self) -> list[str]:
        return list(self._overlays)

    def overlay_data(self, key: str) -> list[tuple[np.ndarray, np.ndarray]]:
        return [tuple(np.asarray(a) for a in item.getOriginalDataset()) for item in self._overlays.get(key, [])]  # type: ignore[misc]

    # -- view --------------------------------------------------------------------------
    def set_log_y(self, on: bool) -> None:
        """Log-scale y axis: late training, where the loss creeps down slowly, becomes visible."""
        self.plot_item.setLogMode(x=False, y=on)

    def is_log_y(self) -> bool:
        return bool(self.plot_item.ctrl.logYCheck.isChecked())

    def legend_label(self, name: str) -> str:
        return str(self._series[name].name())

    def link_x(self, other: CurvePlot) -> None:
        """Share the step axis with ``other`` (zooming one zooms both)."""
        self.plot_item.setXLink(other.plot_item)


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
