"""The edit's cost (book §5.1.3): on a CPU the peak memory is the peak, not what is left at the end."""

from __future__ import annotations

import time

import numpy as np
import torch

from workbench.core.editing.efficiency import measure


def test_a_temporary_allocation_freed_before_the_end_still_counts_as_the_peak() -> None:
    """ROME's value optimisation frees its tensors before the edit ends: read at the end,
    the growth was near zero whatever the edit had needed."""
    with measure(torch.device("cpu")) as cost:
        block = np.ones(256 * 2**20 // 8)  # 256 MB, touched so that it is resident
        # the sampler reads every 5 ms; a loaded machine (two jobs on two cores) once kept its
        # thread off the CPU for the whole of a 50 ms hold, so the block stays 100 periods
        time.sleep(0.5)
        del block
    assert cost.seconds >= 0.5
    assert cost.peak_memory_mb > 200, cost.peak_memory_mb
