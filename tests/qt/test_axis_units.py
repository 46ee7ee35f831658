"""Plot axes in units a lecturer reads out (issue 18): probabilities in per cent with no SI
prefix ("p(␣Anoda) (x0.001)" with ticks 400–900), a distribution axis that ends at 100 %
(not 120–130 %), and empty plots without "layer 0.1 … 0.9" ticks."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage, QPainter

from workbench.ui.widgets.distribution_bars import Distribution, DistributionBars
from workbench.ui.widgets.heatmap import HeatmapPlot
from workbench.ui.widgets.line_plot import LinePlot


def _tick_texts(qtbot, axis: pg.AxisItem) -> list[str]:
    """The tick labels ``axis`` draws now."""
    qtbot.waitUntil(lambda: axis.range is not None)
    image = QImage(400, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _line, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for *_rest, text in texts]


def _percent(text: str) -> float:
    assert text.endswith("%"), text
    return float(text[:-1])


def test_a_heatmaps_colour_bar_reads_in_percent_without_an_si_prefix(qtbot) -> None:
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    plot = HeatmapPlot("Hidden state", "purples", value_label="p(␣Anoda)")
    view.addItem(plot)
    view.resize(500, 400)
    view.show()
    plot.set_data(np.linspace(0.45, 0.95, 12).reshape(3, 4))
    qtbot.waitExposed(view)
    axis = plot.colorbar.axis
    texts = _tick_texts(qtbot, axis)
    assert texts and all(45 <= _percent(text) <= 95 for text in texts)
    assert axis.labelUnitPrefix == "" and "x0.001" not in axis.labelString()


def test_the_step_inspectors_axis_ends_at_a_hundred_percent_though_the_view_leaves_room(qtbot) -> None:
    bars = DistributionBars()
    qtbot.addWidget(bars)
    bars.resize(700, 400)
    bars.show()
    bars.set_distribution(
        Distribution(labels=("a", "b"), base=np.array([0.996, 0.004]), final=np.array([0.996, 0.004]))
    )
    assert bars.view.viewRange()[0][1] > 1.0  # room for the "99.6%" note
    texts = _tick_texts(qtbot, bars.plot.getPlotItem().getAxis("bottom"))
    assert texts and max(_percent(text) for text in texts) == 100


def test_an_empty_layer_plot_shows_a_hint_and_no_fractional_layers(qtbot) -> None:
    plot = LinePlot(
        x_label="restored layer", y_label="p(target)", percent_y=True, whole_x=True, empty_hint="Press Sever"
    )
    qtbot.addWidget(plot)
    plot.resize(500, 300)
    plot.show()
    qtbot.waitExposed(plot)
    layers = _tick_texts(qtbot, plot.plot_item.getAxis("bottom"))
    assert all(text.lstrip("-").isdigit() for text in layers), layers
    assert plot.hint.isVisible() and plot.hint.toPlainText() == "Press Sever"
    plot.set_series("restored", np.arange(6), np.linspace(0.2, 0.9, 6))
    assert not plot.hint.isVisible()
    assert all(0 <= _percent(text) <= 100 for text in _tick_texts(qtbot, plot.plot_item.getAxis("left")))
