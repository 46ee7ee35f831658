"""One colour scale for "how likely was this token", shared by every token view and its legend.

Probabilities of language-model tokens span orders of magnitude (a confident token has
p ≈ 0.9, a surprising one p ≈ 0.001), so the scale is logarithmic: 0.1 %, 1 %, 10 % and
100 % sit evenly along it.  The hues run from red (unlikely) through amber to green (the
model was sure) and are blended into the palette's base colour, so the theme's text colour
stays readable on them in light and dark themes alike.
"""

from __future__ import annotations

import math
from itertools import pairwise

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

DECADES = 3
"""The scale runs from 10^-DECADES to 1; rarer tokens get the reddest colour."""

_STOPS = ((0.0, QColor("#e0483a")), (0.5, QColor("#f0a830")), (1.0, QColor("#34a866")))


def probability_position(probability: float) -> float:
    """Where ``probability`` sits on the scale, 0 (≤ 0.1 %) to 1 (certain)."""
    if not probability > 0:
        return 0.0
    return min(1.0, max(0.0, (math.log10(probability) + DECADES) / DECADES))


def hue_at(position: float) -> QColor:
    """The scale's pure colour at ``position`` in [0, 1]."""
    for (left, low), (right, high) in pairwise(_STOPS):
        if position <= right:
            t = (position - left) / (right - left)
            return mix(low, high, t)
    return QColor(_STOPS[-1][1])


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def probability_colour(probability: float, palette: QPalette, strength: float = 1.0) -> QColor:
    """Background for a token of this probability, blended into the palette's base colour."""
    amount = (0.58 if is_dark(palette) else 0.42) * strength
    return mix(palette.color(QPalette.ColorRole.Base), hue_at(probability_position(probability)), amount)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` blended towards ``b`` by ``t`` in [0, 1]."""
    t = min(max(t, 0.0), 1.0)
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


class ProbabilityLegend(QWidget):
    """A slim bar of the colour scale labelled 0.1 % · 1 % · 10 % · 100 %."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        """``title``: in the interface language; its owner sets it again on a language change."""
        super().__init__(parent)
        self.title = title
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_title(self, title: str) -> None:
        self.title = title
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        bar = metrics.horizontalAdvance("≤0.1%") * 5  # room for the four labels at any font size
        return QSize(metrics.horizontalAdvance(self.title) + 10 + bar, metrics.height() + 6)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(muted)
        title_width = metrics.horizontalAdvance(self.title) + 10
        height = self.height()
        painter.drawText(QRectF(0, 0, title_width, height), Qt.AlignmentFlag.AlignVCenter, self.title)
        bar = QRectF(title_width, 3, self.width() - title_width - 2, height - 6)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        for step in range(11):
            position = step / 10
            gradient.setColorAt(position, probability_colour(10 ** (DECADES * (position - 1)), palette))
        painter.setBrush(gradient)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(bar, 4, 4)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        labels = ["≤0.1%", "1%", "10%", "100%"]
        for index, label in enumerate(labels):
            x = bar.left() + bar.width() * index / DECADES
            width = metrics.horizontalAdvance(label) + 8
            left = min(max(x - width / 2, bar.left() + 2), bar.right() - width - 2)
            painter.drawText(QRectF(left, bar.top(), width, bar.height()), Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
