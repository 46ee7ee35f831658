"""The labs' common frame: a settings column on the left, the result views filling the rest.

The column scrolls vertically (forms grow taller than a laptop screen) but never sideways,
and keeps its width within bounds so the views get every pixel a wide window adds.

A column's primary buttons go in its ``footer``, under the scrolled part: always on screen,
and pinned to the bottom edge, so nothing the column shows or hides (token chips, a hint
that wraps to another line, a message) moves them under the mouse.  Whatever in the footer
changes height sits above the buttons and grows upwards.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QSplitter, QVBoxLayout, QWidget

BASE_POINT_SIZE = 10.0
"""The text size the columns' pixel widths were chosen for (``theme.BASE_POINT_SIZE``)."""


class _WidthFollowsText(QObject):
    """Keeps a column's min/max width in proportion to its font: Present mode's larger text
    gets a wider column instead of clipped fields and labels."""

    def __init__(self, widget: QWidget, width: tuple[int, int]) -> None:
        super().__init__(widget)
        self._widget, self._width = widget, width
        widget.installEventFilter(self)
        self.apply()

    def apply(self) -> None:
        size = self._widget.font().pointSizeF()
        scale = max(1.0, size / BASE_POINT_SIZE) if size > 0 else 1.0
        self._widget.setMinimumWidth(round(self._width[0] * scale))
        self._widget.setMaximumWidth(round(self._width[1] * scale))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange:
            self.apply()
        return False


def width_follows_text(widget: QWidget, width: tuple[int, int]) -> None:
    """Set ``widget``'s min/max width to ``width`` at the normal text size, scaled with its font."""
    _WidthFollowsText(widget, width)


def scrolled(column: QWidget) -> QScrollArea:
    """``column`` in a frameless area that scrolls up and down, never sideways."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(column)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll


def place_beside(
    panel: QWidget,
    column: QWidget,
    views: QWidget,
    *,
    width: tuple[int, int],
    sizes: tuple[int, int],
    footer: QWidget | None = None,
) -> QSplitter:
    """Lay ``column`` (scrolled, ``width`` = min/max pixels, ``footer`` fixed under it) and
    ``views`` out in ``panel``."""
    side: QWidget = scrolled(column)
    if footer is not None:
        scroll, side = side, QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(scroll, 1)
        side_layout.addWidget(footer)
    width_follows_text(side, width)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(side)
    split.addWidget(views)
    split.setStretchFactor(1, 1)
    split.setSizes(list(sizes))
    layout = QHBoxLayout(panel)
    layout.setContentsMargins(10, 10, 10, 10)
    layout.addWidget(split)
    return split
