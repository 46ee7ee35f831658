"""Will the model fit?  Its weight memory, estimated from the config before any weight is read.

The model is built on the meta device (accelerate's ``init_empty_weights``: modules with
shapes but no storage), so the count is exact for the architecture whatever its family,
and costs about a second for a 100-layer model.  The estimate is compared with the memory
that is free for the chosen device — RAM (as the OS, a cgroup limit and ``ulimit -v`` see
it) or the GPU's free memory — and a model that does not fit is refused with the numbers
and the dtype that would fit, instead of ending in a ``MemoryError`` half-way through
``from_pretrained``.
"""

from __future__ import annotations

import logging
import resource
from dataclasses import dataclass
from pathlib import Path

import psutil
import torch
from transformers import AutoModelForCausalLM, PretrainedConfig

from workbench.base.errors import ModelLoadError

log = logging.getLogger(__name__)

HEADROOM = 1.1
"""Needed = weights × this: activations, the tokenizer and allocator slack on top."""

_CGROUP = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class Footprint:
    parameters: int
    """Distinct parameters (tied embeddings counted once)."""
    buffer_bytes: int

    def weight_bytes(self, dtype: torch.dtype) -> int:
        return self.parameters * _itemsize(dtype) + self.buffer_bytes


def _itemsize(dtype: torch.dtype) -> int:
    return torch.empty((), dtype=dtype).element_size()


def estimate_footprint(config: PretrainedConfig, *, trust_remote_code: bool = False) -> Footprint | None:
    """Parameter count and buffer bytes of ``config``'s model, built without storage.

    ``None`` when the estimate cannot be made (quantised weights, a remote-code model that
    cannot be built empty): the load then goes ahead as before, never blocked by a guess.
    """
    if getattr(config, "quantization_config", None):
        return None
    try:
        from accelerate import init_empty_weights

        with init_empty_weights():
            model = AutoModelForCausalLM.from_config(config, trust_remote_code=trust_remote_code)
    except Exception:  # an estimate must never be the reason a model fails to load
        log.warning("Could not estimate the memory of %s models.", config.model_type, exc_info=True)
        return None
    parameters = {id(p): p for p in model.parameters()}
    buffers = {id(b): b for b in model.buffers()}
    return Footprint(
        parameters=sum(p.numel() for p in parameters.values()),
        buffer_bytes=sum(b.numel() * b.element_size() for b in buffers.values()),
    )


def free_memory(device: torch.device) -> int:
    """Bytes that a load onto ``device`` can still use."""
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return int(free)
    return free_ram()


def free_ram() -> int:
    """Available RAM, lowered to what a cgroup memory limit or ``ulimit -v`` leaves."""
    limits = [int(psutil.virtual_memory().available)]
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        limits.append(max(0, soft - int(psutil.Process().memory_info().vms)))
    cgroup = _cgroup_room()
    if cgroup is not None:
        limits.append(cgroup)
    return min(limits)


def _cgroup_room() -> int | None:
    """``memory.max − memory.current`` of this process's cgroup (v2), when it has a limit."""
    try:
        limit = (_CGROUP / "memory.max").read_text().strip()
        if limit == "max":
            return None
        return max(0, int(limit) - int((_CGROUP / "memory.current").read_text().strip()))
    except (OSError, ValueError):
        return None


def gib(count: int) -> str:
    return f"{count / 2**30:.1f} GiB"


def check_fits(
    footprint: Footprint | None, dtype: torch.dtype, device: torch.device, available: int | None = None
) -> None:
    """``ModelLoadError`` with the numbers when the weights in ``dtype`` exceed the free memory,
    naming a half-precision dtype that would fit, or the CPU when the GPU is the problem."""
    if footprint is None:
        return
    available = free_memory(device) if available is None else available
    needed = int(footprint.weight_bytes(dtype) * HEADROOM)
    if needed <= available:
        return
    where = f"free on {device}" if device.type == "cuda" else "of RAM free"
    dtype_name = str(dtype).removeprefix("torch.")
    message = (
        f"This model has {footprint.parameters / 1e9:.2f} billion parameters: in {dtype_name} it needs about "
        f"{gib(needed)}, but only {gib(available)} {where}."
    )
    smaller = [
        name for name, candidate in (("bfloat16", torch.bfloat16), ("float16", torch.float16))
        if _itemsize(candidate) < _itemsize(dtype) and int(footprint.weight_bytes(candidate) * HEADROOM) <= available
    ]  # fmt: skip
    if smaller:
        half = int(footprint.weight_bytes(torch.bfloat16) * HEADROOM)
        message += f" Choose dtype {smaller[0]} (about {gib(half)}) to load it."
    elif device.type == "cuda" and needed <= free_ram():
        message += " It would fit in RAM: choose device cpu."
    else:
        message += " Choose a smaller model, free some memory, or allow offloading (slow)."
    raise ModelLoadError(message)
