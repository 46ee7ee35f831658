"""How much memory the process and the GPU hold, for the status bar.

Called from the GUI thread on a timer, so it never imports torch itself: if torch is not
loaded yet, no model is either and there is no CUDA memory to report.
"""

from __future__ import annotations

import sys

import psutil


def memory_report() -> dict[str, int | None]:
    """``rss_bytes`` of this process; ``cuda_allocated_bytes`` / ``cuda_reserved_bytes`` by
    tensors and by torch's caching allocator on the current GPU, ``None`` without CUDA."""
    report: dict[str, int | None] = {
        "rss_bytes": int(psutil.Process().memory_info().rss),
        "cuda_allocated_bytes": None,
        "cuda_reserved_bytes": None,
    }
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available() and torch.cuda.is_initialized():
        report["cuda_allocated_bytes"] = int(torch.cuda.memory_allocated())
        report["cuda_reserved_bytes"] = int(torch.cuda.memory_reserved())
    return report
