"""Axis labels a lecturer can read out: probabilities in per cent, counts in whole numbers.

pyqtgraph labels a 0.4–0.9 probability axis "400 … 900" with "(x0.001)" after the title (its
automatic SI prefix), lets a distribution's axis run on to 120–130 % to leave room for the
value notes, and numbers an empty layer axis "0.1 … 0.9".  These helpers change an existing
``AxisItem`` in place, so they also work on the axis a ``ColorBarItem`` makes for itself.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg

_EPSILON = 1e-9


def percent_strings(values: list[float], scale: float, spacing: float) -> list[str]:
    """Fractions as per cent: "40%" — one decimal more for every tenfold finer spacing."""
    step = abs(spacing * scale) * 100
    decimals = 0 if step >= 1 or step == 0 else min(4, math.ceil(-math.log10(step)))
    texts = []
    for value in values:
        number = round(value * scale * 100, decimals)
        texts.append(f"{0.0 if number == 0 else number:.{decimals}f}%")
    return texts


def show_percent(axis: pg.AxisItem, low: float | None = 0.0, high: float | None = 1.0) -> None:
    """Label ``axis`` (values are fractions) in per cent with no SI prefix, and draw no tick
    outside ``low``…``high`` (a probability is 0–100 %, whatever room the view leaves)."""
    axis.enableAutoSIPrefix(False)
    axis.tickStrings = percent_strings
    _keep_ticks(
        axis, lambda value: (low is None or value >= low - _EPSILON) and (high is None or value <= high + _EPSILON)
    )


def show_whole_numbers(axis: pg.AxisItem) -> None:
    """Only integer ticks (layers, samples, steps): an empty axis shows none, not "0.1 … 0.9"."""
    axis.enableAutoSIPrefix(False)
    axis.tickStrings = lambda values, scale, _spacing: [f"{round(v * scale)}" for v in values]
    _keep_ticks(axis, lambda value: abs(value - round(value)) < 1e-6)


def _keep_ticks(axis: pg.AxisItem, keep: Any) -> None:
    generate = type(axis).tickValues

    def tick_values(min_value: float, max_value: float, size: float) -> list:
        levels = generate(axis, min_value, max_value, size)
        return [(spacing, [value for value in values if keep(value)]) for spacing, values in levels]

    axis.tickValues = tick_values
