"""The shared heatmap: layer columns are numbered whichever comes first, labels or data."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage, QPainter

from workbench.ui.widgets.heatmap import HeatmapPlot


def _heatmap(qtbot) -> tuple[pg.GraphicsLayoutWidget, HeatmapPlot]:
    """The plot and the view that owns its scene (kept alive together)."""
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    plot = HeatmapPlot("MLP", "greens")
    view.addItem(plot)
    return view, plot


def test_row_labels_set_before_the_first_data_still_get_numbered_columns(qtbot) -> None:
    _view, plot = _heatmap(qtbot)
    plot.set_labels(["Anoda", "is", "in"], marked_rows=[0])
    plot.set_data(np.zeros((3, 6)))
    assert plot.column_labels() == ["0", "1", "2", "3", "4", "5"]
    assert plot.row_labels() == ["Anoda*", "is", "in"]


def test_named_columns_are_kept_when_data_arrives(qtbot) -> None:
    _view, plot = _heatmap(qtbot)
    plot.set_labels(["a", "b"], columns=["L0", "L2"])
    plot.set_data(np.zeros((2, 3)))
    assert plot.column_labels() == ["L0", "L2"]


def test_an_empty_heatmap_shows_no_numeric_ticks(qtbot) -> None:
    """Before a trace the axes carry no labels, not the default range's "-0.4 … 0.4 (x0.001)"."""
    view, plot = _heatmap(qtbot)
    view.resize(300, 300)
    view.show()
    qtbot.wait(20)
    image = QImage(300, 300, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        for name in ("left", "bottom"):
            axis = plot.plot.getAxis(name)
            _axis_line, _ticks, texts = axis.generateDrawSpecs(painter)
            assert [text for *_rest, text in texts] == []
            assert axis.labelUnitPrefix == ""
    finally:
        painter.end()


def test_layer_ticks_of_a_30_layer_model_end_on_the_last_layer_without_crowding_it(qtbot) -> None:
    _view, plot = _heatmap(qtbot)
    plot.set_labels(["a", "b"])
    plot.set_data(np.zeros((2, 30)))
    (ticks,) = plot.plot.getAxis("bottom")._tickLevels
    shown = [label for _position, label in ticks]
    assert shown[0] == "0" and shown[-1] == "29"
    gaps = np.diff([int(label) for label in shown])
    assert gaps.min() >= 2, shown  # 28 and 29 side by side were drawn into one another


def _shown_columns(plot: HeatmapPlot) -> list[int]:
    (ticks,) = plot.plot.getAxis("bottom")._tickLevels
    return [int(label) for _position, label in ticks]


def test_a_narrow_30_layer_map_labels_fewer_layers_and_a_shorter_caption(qtbot) -> None:
    """Three 30-layer maps side by side at 1280×720 ran their layer numbers and captions into
    one another: a map too narrow for every second number labels every 5th or 10th (always
    the first and last), and says "layer" where "window centre (layer)" does not fit."""
    view, plot = _heatmap(qtbot)
    plot.set_x_caption("window centre (layer)", "layer")
    plot.set_labels(["a", "b"])
    plot.set_data(np.zeros((2, 30)))
    view.show()
    view.resize(900, 300)
    qtbot.waitUntil(lambda: plot.plot.vb.width() > 700)
    wide = _shown_columns(plot)
    assert np.diff(wide).min() == 2 and plot.plot.getAxis("bottom").labelText == "window centre (layer)"
    view.resize(130, 300)
    qtbot.waitUntil(lambda: plot.plot.vb.width() < 130)
    narrow = _shown_columns(plot)
    assert narrow[0] == 0 and narrow[-1] == 29 and len(narrow) < len(wide)
    per_layer = plot.plot.vb.width() / 30
    assert min(np.diff(narrow)) * per_layer >= 16  # room for "29" and a gap at the tick font
    assert plot.plot.getAxis("bottom").labelText == "layer"
    view.resize(900, 300)
    qtbot.waitUntil(lambda: plot.plot.getAxis("bottom").labelText == "window centre (layer)")
    assert _shown_columns(plot) == wide
