"""The curve plot reports the data it holds, not the part the view happens to show."""

from __future__ import annotations

import numpy as np

from workbench.ui.widgets.curve_plot import CurvePlot, SeriesStyle


def test_data_returns_every_point_even_when_the_view_shows_a_few(qtbot) -> None:
    plot = CurvePlot("loss")
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    plot.show()
    plot.add_series("train_loss", SeriesStyle("train loss", "#1f77b4"))
    steps = np.arange(1, 10_001, dtype=np.float64)
    plot.set_data("train_loss", steps, 1.0 / steps)
    plot.plot_item.setXRange(1, 20, padding=0)  # a zoomed view: the curve is clipped and downsampled
    qtbot.wait(50)
    x, y = plot.data("train_loss")
    np.testing.assert_array_equal(x, steps)
    np.testing.assert_allclose(y, 1.0 / steps)


def test_overlay_data_returns_the_whole_earlier_run(qtbot) -> None:
    plot = CurvePlot("loss")
    qtbot.addWidget(plot)
    plot.add_series("train_loss", SeriesStyle("train loss", "#1f77b4"))
    steps = np.arange(1, 501, dtype=np.float64)
    plot.set_overlay("run 1", "run #1", {"train_loss": (steps, steps * 2)})
    plot.plot_item.setXRange(1, 5, padding=0)
    qtbot.wait(50)
    ((x, y),) = plot.overlay_data("run 1")
    np.testing.assert_array_equal(x, steps)
    np.testing.assert_array_equal(y, steps * 2)
