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


def _view_holds(plot: CurvePlot, x: np.ndarray, y: np.ndarray) -> bool:
    (x0, x1), (y0, y1) = plot.plot_item.getViewBox().viewRange()
    return bool(x0 <= x.min() and x.max() <= x1 and y0 <= y.min() and y.max() <= y1)


def test_the_view_shows_every_point_and_moves_only_when_the_data_leave_it(qtbot) -> None:
    """A range that moved with every point made every update regenerate the axes (5x the cost)."""
    plot = CurvePlot("loss")
    qtbot.addWidget(plot)
    plot.add_series("train_loss", SeriesStyle("train loss", "#1f77b4"))
    changes: list[object] = []
    plot.plot_item.getViewBox().sigRangeChanged.connect(lambda *a: changes.append(a))
    steps = np.arange(1, 3001, dtype=np.float64)
    loss = 5.0 * np.exp(-steps / 400) + 0.2 + 0.05 * np.sin(steps)
    for n in range(1, len(steps) + 1):
        plot.set_data("train_loss", steps[:n], loss[:n])
        assert _view_holds(plot, steps[:n], loss[:n]), n
    assert len(changes) < 60  # about log(3000) / log(1.3) per axis, not 3000
    (x0, _), (y0, _) = plot.plot_item.getViewBox().viewRange()
    assert x0 > -0.1 * steps.max() and y0 > -0.1 * loss.max()  # headroom never shows much below zero


def test_zooming_with_the_wheel_stops_following_until_the_next_run(qtbot) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    plot = CurvePlot("loss")
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    plot.add_series("train_loss", SeriesStyle("train loss", "#1f77b4"))
    steps = np.arange(1, 101, dtype=np.float64)
    plot.set_data("train_loss", steps, 1.0 / steps)
    viewport = plot.plot_widget.viewport()
    centre = QPointF(viewport.rect().center())
    wheel = QWheelEvent(
        centre,
        viewport.mapToGlobal(centre),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    assert not plot.is_following()
    zoomed = plot.plot_item.getViewBox().viewRange()
    plot.set_data("train_loss", np.arange(1, 1001, dtype=np.float64), np.ones(1000))
    assert plot.plot_item.getViewBox().viewRange() == zoomed
    plot.clear_data()
    plot.set_data("train_loss", steps, 1.0 / steps)
    assert plot.is_following() and _view_holds(plot, steps, 1.0 / steps)
