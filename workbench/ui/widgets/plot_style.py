"""Plots follow the application's font and theme: Present mode's large text reaches axis
titles, tick labels, heatmap row labels, plot titles and legends, and dark mode's colours
reach the plot backgrounds.

pyqtgraph fixes most of its text when an item is made (a ``LabelItem``'s size, an axis
label's style, a legend's text size) and takes its colours from global options read once,
so a change of the application font or palette leaves every existing plot as it was.
``restyle_plots`` walks the plots under a widget and sets them again; the main window calls
it whenever the theme or the text size changes.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

_DEFAULT_TITLE_RATIO = 1.1
"""A plot title without a size of its own is drawn this much larger than the body text."""
_BASE_POINT_SIZE = 10.0
"""The body size the items' own sizes were written for (``theme.BASE_POINT_SIZE``)."""


def restyle_plots(root: QWidget, font: QFont, text: str, background: str, line: str) -> None:
    """Give every plot under ``root`` the body ``font`` (sizes relative to it), the ``text``
    colour, the ``background`` and the axis ``line`` colour."""
    for view in root.findChildren(pg.GraphicsView):
        restyle_view(view, font, text, background, line)


def restyle_view(view: pg.GraphicsView, font: QFont, text: str, background: str, line: str) -> None:
    points = font.pointSizeF() if font.pointSizeF() > 0 else _BASE_POINT_SIZE
    view.setBackground(background)
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            _restyle_axis(item, font, points, text, line)
        elif isinstance(item, pg.LegendItem):
            _restyle_legend(item, points, text)
        elif isinstance(item, pg.LabelItem):
            ratio = _base_ratio(item)
            item.setText(item.text, size=f"{points * ratio:.1f}pt", color=text)
        elif isinstance(item, pg.TextItem):
            item.setFont(font)


def _restyle_axis(axis: pg.AxisItem, font: QFont, points: float, text: str, line: str) -> None:
    axis.setTickFont(font)
    axis.setTextPen(pg.mkPen(text))
    axis.setPen(pg.mkPen(QColor(line)))
    style = {**axis.labelStyle, "font-size": f"{points:.1f}pt", "color": text}
    axis.labelStyle = style
    if axis.labelText or axis.labelUnits:
        axis.setLabel(axis.labelText, axis.labelUnits, axis.labelUnitPrefix, **style)


def rename_in_legend(legend: pg.LegendItem, item: pg.PlotDataItem, label: str) -> None:
    """Give ``item`` a new name in ``legend`` (the interface language changed), keeping the
    label's size and colour: pyqtgraph names a curve once, when it is added."""
    item.opts["name"] = label
    shown = legend.getLabel(item)
    if shown is not None and shown.text != label:
        shown.setText(label)


def _restyle_legend(legend: pg.LegendItem, points: float, text: str) -> None:
    size = f"{points:.1f}pt"
    legend.setLabelTextSize(size)
    legend.setLabelTextColor(text)
    for _sample, label in legend.items:
        label.setText(label.text, size=size, color=text)


def _base_ratio(item: pg.LabelItem) -> float:
    """The item's size relative to the body text, as first written ("11pt" → 1.1)."""
    ratio = getattr(item, "_workbench_size_ratio", None)
    if ratio is None:
        match = re.fullmatch(r"\s*([\d.]+)\s*pt\s*", str(item.opts.get("size") or ""))
        ratio = float(match.group(1)) / _BASE_POINT_SIZE if match else _DEFAULT_TITLE_RATIO
        item._workbench_size_ratio = ratio
    return ratio
