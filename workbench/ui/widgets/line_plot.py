"""Named curves over a shared x axis, each created once and updated in place.

Numpy in, no torch, no store: the severing plot and any curve that grows while a job runs
use it.  ``set_series`` makes a curve the first time a name is seen and calls ``setData`` on
it afterwards, so live updates never rebuild items.  The legend moves to the corner the
curves leave empty, so it never hides the data it names (severing's curves start high on the
left, where a fixed top-left legend sat on them).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from workbench.ui.widgets.axis_format import show_percent, show_whole_numbers
from workbench.ui.widgets.plot_style import rename_in_legend

LEGEND_CORNERS = ((10, 10), (-10, 10), (10, -10), (-10, -10))
"""pyqtgraph legend offsets: top left, top right, bottom left, bottom right."""


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
        self.legend = self.plot_item.addLegend(offset=LEGEND_CORNERS[0])
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
            rename_in_legend(self.legend, item, label or name)  # shown again in another language
        self._place_legend()

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
        elif line.label is not None:
            line.label.setFormat(label or name)
        line.setValue(float(value))
        self._place_legend()

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        item = self._series.get(name)
        if item is None or item.xData is None:
            return None
        return np.array(item.xData), np.array(item.yData)

    def series_names(self) -> list[str]:
        return list(self._series)

    def _place_legend(self) -> None:
        """Put the legend in the corner where the fewest curve points (and level lines) fall."""
        curves = [self.series(name) for name in self._series]
        points = [
            (np.linspace(x.min(), x.max(), 200), np.interp(np.linspace(x.min(), x.max(), 200), x, y))
            for x, y in (curve for curve in curves if curve is not None)
            if np.isfinite(y).all() and x.size > 1
        ]
        if not points:
            return
        xs = np.concatenate([x for x, _ in points])
        ys = np.concatenate([y for _, y in points])
        levels = np.array([line.value() for line in self._levels.values()], dtype=np.float64)
        everything = np.concatenate([ys, levels])
        low, high = float(everything.min()), float(everything.max())
        x_span, y_span = max(xs.max() - xs.min(), 1e-9), max(high - low, 1e-9)
        u = (xs - xs.min()) / x_span  # 0 = left, 1 = right
        v = (high - ys) / y_span  # 0 = top, 1 = bottom
        level_v = (high - levels) / y_span
        box = self.plot_item.getViewBox().size()
        legend = self.legend.boundingRect()
        width = min(0.9, (legend.width() + 20) / max(box.width(), 1.0))
        height = min(0.9, (legend.height() + 20) / max(box.height(), 1.0))

        def crowding(offset: tuple[int, int]) -> int:
            in_u = u <= width if offset[0] > 0 else u >= 1 - width
            in_v = (lambda w: w <= height) if offset[1] > 0 else (lambda w: w >= 1 - height)
            return int(np.count_nonzero(in_u & in_v(v))) + 200 * int(np.count_nonzero(in_v(level_v)))

        best = min(LEGEND_CORNERS, key=crowding)  # ties keep the first: top left
        self.legend.setOffset(best)
        for line in self._levels.values():  # the level lines' names on the side the legend leaves free
            line.label.setPosition(0.95 if best[0] > 0 else 0.05)
