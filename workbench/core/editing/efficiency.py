"""Efficiency of an edit (book §5.1.3): wall time and peak memory of computing and applying it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil
import torch

RSS_SAMPLE_SECONDS = 0.005
"""How often the CPU peak is sampled: a few microseconds a read, so well under 0.1 % of the time."""


@dataclass
class Cost:
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    """CUDA: max allocated during the block minus allocated before it.  CPU: the largest
    resident memory seen during the block (sampled every ``RSS_SAMPLE_SECONDS``) minus the
    memory before it: measured only at the end, the temporary tensors of ROME's value
    optimisation were already freed, and identical edits read 8 to 64 MB."""


@contextmanager
def measure(device: torch.device) -> Iterator[Cost]:
    """``with measure(device) as cost: …`` fills ``cost`` when the block ends."""
    cost = Cost()
    cuda = device.type == "cuda"
    if cuda:
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        start_memory = torch.cuda.memory_allocated(device)
    else:
        sampler = _PeakResidentMemory()
        start_memory = sampler.start()
    started = time.perf_counter()
    try:
        yield cost
    finally:
        if cuda:
            torch.cuda.synchronize(device)
            grown = torch.cuda.max_memory_allocated(device) - start_memory
        else:
            grown = sampler.stop() - start_memory
        cost.seconds = time.perf_counter() - started
        cost.peak_memory_mb = max(0, grown) / 2**20


class _PeakResidentMemory:
    """The process's largest resident memory between ``start`` and ``stop``, read by a
    background thread (the edit's own thread is busy in torch, which releases the GIL)."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._stopped = threading.Event()
        self._peak = 0
        self._thread = threading.Thread(target=self._sample, name="edit-peak-memory", daemon=True)

    def start(self) -> int:
        self._peak = self._process.memory_info().rss
        self._thread.start()
        return self._peak

    def stop(self) -> int:
        self._stopped.set()
        self._thread.join()
        return max(self._peak, self._process.memory_info().rss)

    def _sample(self) -> None:
        while not self._stopped.wait(RSS_SAMPLE_SECONDS):
            self._peak = max(self._peak, self._process.memory_info().rss)
