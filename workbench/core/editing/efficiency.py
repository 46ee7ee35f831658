"""Efficiency of an edit (book §5.1.3): wall time and peak memory of computing and applying it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil
import torch


@dataclass
class Cost:
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    """CUDA: max allocated during the block minus allocated before it.  CPU: growth of the
    process's resident memory (sampled at the end, so a short peak may be missed)."""


@contextmanager
def measure(device: torch.device) -> Iterator[Cost]:
    """``with measure(device) as cost: …`` fills ``cost`` when the block ends."""
    cost = Cost()
    process = psutil.Process()
    cuda = device.type == "cuda"
    if cuda:
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        start_memory = torch.cuda.memory_allocated(device)
    else:
        start_memory = process.memory_info().rss
    started = time.perf_counter()
    try:
        yield cost
    finally:
        if cuda:
            torch.cuda.synchronize(device)
            grown = torch.cuda.max_memory_allocated(device) - start_memory
        else:
            grown = process.memory_info().rss - start_memory
        cost.seconds = time.perf_counter() - started
        cost.peak_memory_mb = max(0, grown) / 2**20
