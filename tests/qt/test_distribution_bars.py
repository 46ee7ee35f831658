"""The next-token bar chart's axis: room for notes when there are bars, 0–100 % when empty."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.ui.widgets.distribution_bars import Distribution, DistributionBars


def _x_range(bars: DistributionBars) -> list[float]:
    return list(bars.view.viewRange()[0])


def test_an_empty_chart_spans_exactly_zero_to_a_hundred_percent(qtbot) -> None:
    bars = DistributionBars()
    qtbot.addWidget(bars)
    bars.set_distribution(Distribution(labels=(), base=np.zeros(0), final=np.zeros(0)))
    assert _x_range(bars) == pytest.approx([0.0, 1.0])


def test_bars_leave_room_right_of_the_longest_for_its_note(qtbot) -> None:
    bars = DistributionBars()
    qtbot.addWidget(bars)
    bars.set_distribution(Distribution(labels=("a", "b"), base=np.array([0.5, 0.2]), final=np.array([0.6, 0.1])))
    assert _x_range(bars) == pytest.approx([0.0, 0.6 * 1.42])
