"""A next-token distribution as horizontal bars: what the model said and what is sampled from.

One row per candidate token (the most likely at the top), drawn in three layers: the
model's probability (grey), the distribution after an intermediate stage such as
temperature (dashed outline), and the final distribution the token is drawn from (accent,
narrow).  Dashed horizontal lines mark cut-offs (top-k, the top-p nucleus …).  Numpy and
strings in, nothing of torch or the store; items are created once and updated with
``setOpts`` so sliders and step animations stay at 60 fps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEasingCurve, QEvent, QPoint, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.ui.widgets.axis_format import show_percent

ANIMATION_MS = 280
"""Long enough to follow a bar as it grows, short enough for a key press per step."""

_TEMPERATURE_HUE = "#e07b00"
_CUT_HUE = "#c0392b"


@dataclass(frozen=True)
class Distribution:
    """What to draw: one entry per row, top row first."""

    labels: Sequence[str]
    base: np.ndarray
    """The model's probabilities (grey bars)."""
    final: np.ndarray
    """The distribution sampled from (accent bars)."""
    intermediate: np.ndarray | None = None
    """An in-between distribution (dashed outlines), e.g. after temperature; None hides it."""
    notes: Sequence[str] = ()
    """Text after each bar (e.g. "12% → 18%" or "cut by top-p")."""
    removed: np.ndarray | None = None
    """bool per row: greys the row's note."""
    chosen: int | None = None
    cuts: Sequence[tuple[float, str]] = field(default_factory=tuple)
    """(y between rows, label): a dashed line at y = k - 0.5 lies under the first k rows."""


class DistributionBars(QWidget):
    """The bar chart with a legend underneath; ``sig_row_clicked(row)`` when a row is clicked."""

    sig_row_clicked = Signal(int)

    def __init__(
        self,
        base_name: str = "model",
        intermediate_name: str = "after temperature",
        final_name: str = "sampled from",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.clickable = True
        self._names = (base_name, intermediate_name, final_name)
        """The legend's three names, in the interface language (the owner sets them again on a
        language change with ``set_names``)."""
        self.plot = pg.PlotWidget()
        # the view leaves room right of the longest bar for its note; the axis still ends at 100 %
        show_percent(self.plot.getPlotItem().getAxis("bottom"))
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=False, alpha=0.25)
        self.view = item.getViewBox()
        self.view.setMouseEnabled(False, False)
        self.view.invertY(True)
        self.view.setDefaultPadding(0.0)
        item.getAxis("left").setWidth(150)
        item.getAxis("left").setStyle(tickLength=0)
        self._base = pg.BarGraphItem(x0=[], y=[], width=[], height=0.78)
        self._intermediate = pg.BarGraphItem(x0=[], y=[], width=[], height=0.78)
        self._final = pg.BarGraphItem(x0=[], y=[], width=[], height=0.40)
        for bars in (self._base, self._intermediate, self._final):
            item.addItem(bars)
        self._notes: list[pg.TextItem] = []
        self._cut_lines: list[pg.InfiniteLine] = []
        self._shown = Distribution(labels=(), base=np.zeros(0), final=np.zeros(0))
        self._rows = np.zeros(0, dtype=int)  # the distribution's rows on screen, top first
        self._drawn = (np.zeros(0), np.zeros(0), np.zeros(0))  # base, intermediate, final as drawn
        self._from = self._drawn
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(ANIMATION_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._animation.valueChanged.connect(self._on_animation_value)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.plot.scene().sigMouseMoved.connect(self._on_scene_moved)

        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.note = QLabel()
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        legend_row = QHBoxLayout()
        legend_row.addWidget(self.legend)
        legend_row.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.plot, 1)
        layout.addLayout(legend_row)
        self._restyle()

    # -- public --------------------------------------------------------------------------
    def set_distribution(self, distribution: Distribution, animate: bool = False) -> None:
        """Draw ``distribution``; with ``animate`` the bars glide from what is drawn now."""
        rows = len(distribution.labels)
        self._shown = distribution
        self._animation.stop()
        self._from = tuple(_fit(values, rows) for values in self._drawn)  # type: ignore[assignment]  # one array per drawn series, the same count as the declared tuple
        self._draw_static()
        # The bars' data must match the new rows (and their colours) before the next paint.
        gliding = animate and rows and len(self._drawn[0])
        self._on_animation_value(0.0 if gliding else 1.0)
        if gliding:
            self._animation.start()

    def distribution(self) -> Distribution:
        return self._shown

    def cut_lines(self) -> list[tuple[float, str]]:
        """The cut-off lines drawn now: (y, label)."""
        return [(line.value(), line.label.format) for line in self._cut_lines if line.isVisible()]

    def drawn_values(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bar lengths on screen now (base, intermediate, final); mid-animation they are in between."""
        return self._drawn

    def is_animating(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    def shown_rows(self) -> list[int]:
        """The distribution's rows on screen: all that fit the height, the chosen one always."""
        return self._rows.tolist()

    def row_point(self, row: int) -> QPoint:
        """Coordinates in ``self.plot`` of a point on a row, just right of the axis (to click it in tests)."""
        position = self.shown_rows().index(row)
        scene_point = self.view.mapViewToScene(pg.Point(0.0, float(position)))
        return self.plot.mapFromScene(scene_point) + QPoint(6, 0)

    # -- drawing -----------------------------------------------------------------------
    def _draw_static(self) -> None:
        """Everything that does not animate: labels, notes, cut lines, ranges, colours."""
        shown = self._shown
        self._rows = self._fitting_rows()
        rows = self._rows
        count = len(rows)
        axis = self.plot.getPlotItem().getAxis("left")
        axis.setTicks(
            [
                [
                    (pos, ("▶ " if row == shown.chosen else "") + _elide(shown.labels[row], 16))
                    for pos, row in enumerate(rows)
                ],
                [],
            ]
        )
        self.view.setYRange(-0.6, max(count, 1) - 0.4, padding=0)
        tops = [shown.base, shown.final] + ([shown.intermediate] if shown.intermediate is not None else [])
        tops = [_fit(values, len(shown.labels))[rows] for values in tops]
        peak = max((float(np.max(values)) for values in tops if len(values)), default=None)
        # room right of the longest bar for its value note; an empty chart spans 0–100 %
        self.view.setXRange(0, 1.0 if peak is None else max(peak, 1e-4) * 1.42, padding=0)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        removed = shown.removed if shown.removed is not None else np.zeros(len(shown.labels), dtype=bool)
        while len(self._notes) < count:
            note = pg.TextItem(anchor=(0, 0.5))
            note.setFont(QFont(self.font()))
            self.plot.addItem(note)
            self._notes.append(note)
        gap = 0.0 if peak is None else peak * 0.02  # between a bar and its note (no rows, no peak, no notes)
        for pos, note in enumerate(self._notes):
            visible = bool(pos < count and rows[pos] < len(shown.notes))
            note.setVisible(visible)
            if visible:
                note.setText(shown.notes[rows[pos]], color=muted if removed[rows[pos]] else text_colour)
                note.setPos(max(float(values[pos]) for values in tops) + gap, pos)
        # A cut line sits under the first k rows; it is drawn when those rows are all on screen.
        prefix = int(np.argmin(rows == np.arange(count))) if count and not np.all(rows == np.arange(count)) else count
        cuts = [(y, label) for y, label in shown.cuts if y + 0.5 <= prefix]
        while len(self._cut_lines) < len(cuts):
            line = pg.InfiniteLine(angle=0, pen=pg.mkPen(_CUT_HUE, width=1.6, style=Qt.PenStyle.DashLine))
            line.label = pg.InfLineLabel(line, text="", position=0.985, anchors=[(1, 1), (1, 1)], color=_CUT_HUE)
            self.plot.addItem(line)
            self._cut_lines.append(line)
        for index, line in enumerate(self._cut_lines):
            visible = index < len(cuts)
            line.setVisible(visible)
            if visible:
                y, label = cuts[index]
                line.setValue(y)
                line.label.setFormat(label)
        self._base.setOpts(height=0.78, brush=self._base_colour(), pen=None)
        self._final.setOpts(brushes=[self._final_brush(row == shown.chosen) for row in rows], pen=None, height=0.40)
        self._intermediate.setVisible(shown.intermediate is not None)
        self._update_legend()

    def _fitting_rows(self) -> np.ndarray:
        """The first rows that fit the plot's height (at least 3), with the chosen row kept last."""
        total = len(self._shown.labels)
        row_pixels = self.fontMetrics().height() + 3
        available = max(0, self.plot.height() - 2 * row_pixels)  # less the percent axis
        limit = max(3, available // row_pixels) if self.plot.height() > 0 else total
        if total <= limit:
            return np.arange(total)
        rows = np.arange(limit)
        chosen = self._shown.chosen
        if chosen is not None and chosen >= limit:
            rows[-1] = chosen
        return rows

    def _on_animation_value(self, value: object) -> None:
        t = float(value)  # type: ignore[arg-type]  # the animation's value is a float QVariant
        shown = self._shown
        rows = len(shown.labels)
        targets = (
            _fit(shown.base, rows),
            _fit(shown.intermediate if shown.intermediate is not None else shown.base, rows),
            _fit(shown.final, rows),
        )
        self._drawn = tuple(start + (end - start) * t for start, end in zip(self._from, targets))  # type: ignore[assignment]  # one array per drawn series, the same count as the declared tuple
        shown_rows = self._rows[self._rows < rows]
        y = np.arange(len(shown_rows), dtype=float)
        zeros = np.zeros(len(shown_rows))
        base, intermediate, final = (values[shown_rows] for values in self._drawn)
        self._base.setOpts(x0=zeros, y=y, width=base)
        self._intermediate.setOpts(x0=zeros, y=y, width=intermediate)
        self._final.setOpts(x0=zeros, y=y, width=final)

    def _base_colour(self) -> QColor:
        colour = QColor(self.palette().color(QPalette.ColorRole.PlaceholderText))
        colour.setAlpha(75)
        return colour

    def _final_brush(self, chosen: bool) -> QColor:
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        return colour.darker(135) if chosen else colour

    def set_names(self, base_name: str, intermediate_name: str, final_name: str) -> None:
        self._names = (base_name, intermediate_name, final_name)
        self._update_legend()

    def _update_legend(self) -> None:
        palette = self.palette()
        base = self._base_colour()
        accent = palette.color(QPalette.ColorRole.Highlight).name()
        swatch = "<span style='background:{};color:{}'>&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{}"
        parts = [swatch.format(QColor(base).name(), QColor(base).name(), self._names[0])]
        if self._shown.intermediate is not None:
            parts.append(f"<span style='color:{_TEMPERATURE_HUE}'>┅┅</span>&nbsp;{self._names[1]}")
        parts.append(swatch.format(accent, accent, self._names[2]))
        cut_off = QCoreApplication.translate("DistributionBars", "cut-off")
        parts.append(f"<span style='color:{_CUT_HUE}'>╌╌</span>&nbsp;{cut_off}")
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(parts))

    def _restyle(self) -> None:
        palette = self.palette()
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        item = self.plot.getPlotItem()
        font = QFont(self.font())
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid)))
            axis.setTextPen(pg.mkPen(text))
            axis.setTickFont(font)
        self._intermediate.setOpts(pen=pg.mkPen(_TEMPERATURE_HUE, width=1.6, style=Qt.PenStyle.DashLine), brush=None)
        for note in self._notes:
            note.setFont(font)
        self._draw_static()

    # -- events --------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if len(self._fitting_rows()) != len(self._rows):
            self._draw_static()
            self._on_animation_value(1.0 if not self.is_animating() else self._animation.currentValue())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._restyle()

    def _row_at(self, scene_pos) -> int | None:
        if not self.plot.getPlotItem().sceneBoundingRect().contains(scene_pos):
            return None
        position = int(round(self.view.mapSceneToView(scene_pos).y()))
        return int(self._rows[position]) if 0 <= position < len(self._rows) else None

    def _on_scene_clicked(self, event) -> None:
        if not self.clickable or event.button() != Qt.MouseButton.LeftButton:
            return
        row = self._row_at(event.scenePos())
        if row is not None:
            self.sig_row_clicked.emit(row)

    def _on_scene_moved(self, scene_pos) -> None:
        over_row = self.clickable and self._row_at(scene_pos) is not None
        self.plot.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over_row else Qt.CursorShape.ArrowCursor)


def _fit(values: np.ndarray | None, rows: int) -> np.ndarray:
    """``values`` as float64 of length ``rows`` (padded with zeros or cut)."""
    out = np.zeros(rows)
    if values is not None:
        count = min(rows, len(values))
        out[:count] = np.asarray(values, dtype=float)[:count]
    return out


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
