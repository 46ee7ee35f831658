"""CPU-heavy jobs for the GUI-responsiveness benchmark (importable as ``bench_jobs``)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from workbench.base.jobs import JobParams, job


@dataclass(frozen=True)
class TorchBusyParams(JobParams, kind="bench_busy"):
    """Forward passes of a small GPT-2 for ``seconds``: what tracing or sampling does to a CPU."""

    seconds: float = 5.0


@dataclass(frozen=True)
class PythonBusyParams(JobParams, kind="bench_python_busy"):
    """Pure-Python work that holds the GIL: the worst case for the GUI thread."""

    seconds: float = 3.0


@job(TorchBusyParams)
def torch_busy_job(ctx, params: TorchBusyParams, progress, cancel) -> int:  # type: ignore[no-untyped-def]
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    model = GPT2LMHeadModel(GPT2Config(n_layer=4, n_embd=256, n_head=4, vocab_size=8000)).eval()
    ids = torch.randint(0, 8000, (8, 128))
    passes = 0
    end = time.monotonic() + params.seconds
    with torch.inference_mode():
        while time.monotonic() < end:
            cancel.raise_if_cancelled()
            model(ids)
            passes += 1
            progress(1 - (end - time.monotonic()) / params.seconds, f"pass {passes}", passes)
    return passes


@job(PythonBusyParams)
def python_busy_job(ctx, params: PythonBusyParams, progress, cancel) -> int:  # type: ignore[no-untyped-def]
    end = time.monotonic() + params.seconds
    count = 0
    while time.monotonic() < end:
        cancel.raise_if_cancelled()
        count += sum(i * i for i in range(2000))
        progress(1 - (end - time.monotonic()) / params.seconds, "busy", None)
    return count
