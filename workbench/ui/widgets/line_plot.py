"""Named curves over a shared x axis, each created once and updated in place.

Numpy in, no torch, no store: the severing plot and any curve that grows while a job runs
use it.  ``set_series`` makes a curve the first time a name is seen and calls ``setData`` on
it afterwards, so live updates never rebuild items.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from workbench.ui.widgets.axis_format import show_percent, show_whole_numbers


class LinePlot(pg.PlotWidget):
    """``percent_y``: y values are probabilities, labelled 0–100 %; ``whole_x``: x counts
    layers or samples (integer ticks only); ``empty_hint``: what an empty plot says."""

    def __init__(
        self,
        title: str = "",
        x_label: str = "",
        y_label: str = "",
        parent: QWidget | None = None,
        *,
        percent_y: bool = False,
        whole_x: bool = False,
        empty_hint: str = "",
    ) -> None:
        super().__init__(parent, title=title)
        self.plot_item = self.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.showGrid(x=True, y=True, alpha=0.25)
        self.plot_item.setLabel("bottom", x_label)
        self.plot_item.setLabel("left", y_label)
        if percent_y:
            show_percent(self.plot_item.getAxis("left"))
        if whole_x:
            show_whole_numbers(self.plot_item.getAxis("bottom"))
        self.legend = self.plot_item.addLegend(offset=(10, 10))
        self._series: dict[str, pg.PlotDataItem] = {}
        self._levels: dict[str, pg.InfiniteLine] = {}
        self.hint = pg.TextItem(empty_hint, anchor=(0.5, 0.5), color="#8a94a3")
        self.plot_item.addItem(self.hint, ignoreBounds=True)
        self.hint.setPos(0.5, 0.5)
        self.hint.setVisible(bool(empty_hint))

    def set_texts(self, x_label: str, y_label: str, empty_hint: str = "") -> None:
        """The axis captions and the empty plot's hint again (their owner's language changed)."""
        self.plot_item.setLabel("bottom", x_label)
        self.plot_item.setLabel("left", y_label)
        self.hint.setText(empty_hint)

    def set_series(
        self,
        name: str,
        x: np.ndarray,
        y: np.ndarray,
        colour: str = "#2f6fde",
        symbol: str | None = "o",
        line: bool = True,
        label: str | None = None,
    ) -> None:
        """Create the curve ``name`` or update it in place (``line=False``: points only);
        ``label``: the legend's text when it is not ``name`` (a translated one)."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        self.hint.setVisible(False)
        item = self._series.get(name)
        if item is None:
            item = self.plot_item.plot(
                x, y, name=label or name, pen=pg.mkPen(colour, width=2.5) if line else None, symbol=symbol, symbolSize=7,
                symbolBrush=colour, symbolPen=colour, connect="finite",
            )  # fmt: skip
            self._series[name] = item
        else:
            item.setData(x, y)

    def set_level(self, name: str, value: float, colour: str = "#888888", label: str | None = None) -> None:
        """A dashed horizontal reference line (e.g. the clean or corrupted probability);
        ``label``: its caption when it is not ``name``."""
        line = self._levels.get(name)
        if line is None:
            line = pg.InfiniteLine(
                angle=0, pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine),
                label=label or name, labelOpts={"position": 0.95, "color": colour},
            )  # fmt: skip
            self.plot_item.addItem(line)
            self._levels[name] = line
        line.setValue(float(value))

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        item = self._series.get(name)
        if item is None or item.xData is None:
            return None
        return np.array(item.xData), np.array(item.yData)

    def series_names(self) -> list[str]:
        return list(self._series)
