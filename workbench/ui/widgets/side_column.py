"""The labs' common frame: a settings column on the left, the result views filling the rest.

The column scrolls vertically (forms grow taller than a laptop screen) but never sideways,
and keeps its width within bounds so the views get every pixel a wide window adds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QSplitter, QWidget


def place_beside(
    panel: QWidget,
    column: QWidget,
    views: QWidget,
    *,
    width: tuple[int, int],
    sizes: tuple[int, int],
) -> QSplitter:
    """Lay ``column`` (scrolled, ``width`` = min/max pixels) and ``views`` out in ``panel``."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(column)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(width[0])
    scroll.setMaximumWidth(width[1])
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(scroll)
    split.addWidget(views)
    split.setStretchFactor(1, 1)
    split.setSizes(list(sizes))
    layout = QHBoxLayout(panel)
    layout.setContentsMargins(10, 10, 10, 10)
    layout.addWidget(split)
    return split
