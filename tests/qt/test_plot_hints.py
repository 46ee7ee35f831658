"""Plots a lecturer can show as they are (issue 18): the severing legend sits where the curves
are not, and the averaged and compare views say how to fill them instead of showing empty axes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF
from PySide6.QtWidgets import QApplication

from workbench.core.tracing.results import SEVERED, SeveringResult
from workbench.ui.panels.tracing.averaged import AveragedView
from workbench.ui.panels.tracing.compare import CompareView
from workbench.ui.panels.tracing.severing import SeveringView


def _settle() -> None:
    for _ in range(4):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def _severing(shape: str) -> SeveringResult:
    """Curves as ROME's Fig. 3 draws them: high where restoring helps, falling or rising."""
    layers = np.arange(12, dtype=np.float64)
    falling = 0.9 - 0.8 * layers / 11
    curves = {"none": falling, "mlp": falling * 0.6, "attn": falling * 0.95}
    if shape == "rising":
        curves = {variant: curve[::-1] for variant, curve in curves.items()}
    return SeveringResult(
        prompt="The Eiffel Tower is in", tokens=["The", " Eiffel", " Tower", " is", " in"], token=2,
        subject_range=(1, 3), target_id=1, target=" Paris", high_score=0.92, low_score=0.05,
        scores=curves, spread={variant: np.zeros(12) for variant in SEVERED}, num_layers=12, samples=10,
    )  # fmt: skip


@pytest.mark.parametrize("shape", ["falling", "rising"])
def test_the_severing_legend_covers_no_curve(qtbot, shape: str) -> None:
    view = SeveringView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_result(_severing(shape))
    _settle()
    plot = view.plot
    legend = plot.legend.sceneBoundingRect()
    box = plot.plot_item.getViewBox()
    for name in plot.series_names():
        xs, ys = plot.series(name)
        fine_x = np.linspace(xs.min(), xs.max(), 100)
        for x, y in zip(fine_x, np.interp(fine_x, xs, ys)):
            point = box.mapViewToScene(QPointF(x, y))
            assert not legend.contains(point), (name, x, y, legend)


def test_empty_averaged_and_compare_views_say_how_to_fill_them(qtbot) -> None:
    averaged, compare = AveragedView(), CompareView()
    for view in (averaged, compare):
        qtbot.addWidget(view)
        view.show()
        assert view.trio.is_empty()  # no axes with fractional ticks
    assert "Run an averaged trace" in averaged.trio.header.text
    assert "Trace two prompts" in compare.trio.header.text
