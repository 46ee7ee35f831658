"""What a trace will cost, for the panel's "before running" line (torch-free).

The fast method's work is counted the way it runs: for each token from the subject on, one
row per (kind, layer, sample), each computing ``tokens - t`` positions from its join layer
up, packed into passes of ``batch_tokens`` positions, plus one small entry pass for the
MLP/attention windows.  Seconds come from that work in
floating-point operations at a nominal device speed — a rough guide, not a promise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.core.model.spec import ModelInfo
from workbench.core.tracing.params import TraceParams, default_window, window_layers

NOMINAL_FLOPS = {"cpu": 4e10, "cuda": 2e13}
"""Sustained float operations per second assumed for a time estimate."""


def default_batch_tokens(device: str) -> int:
    """Positions per restored pass: large batches keep a GPU busy; on a CPU a smaller one
    keeps Cancel and progress responsive at no cost in speed."""
    return 16384 if device.startswith("cuda") else 1024


def rows_per_pass(batch_tokens: int, positions: int) -> int:
    """Rows of ``positions`` each that fit in one pass."""
    return max(1, batch_tokens // positions)


@dataclass(frozen=True)
class TraceCost:
    cells: int
    forward_passes: int
    """Passes of the fast method, the clean and corrupted runs included."""
    straightforward_passes: int
    """Passes of the straightforward method (one per cell, plus the two runs)."""
    flops: float
    straightforward_flops: float
    seconds: float
    """Rough time of the fast method at ``NOMINAL_FLOPS`` for the model's device."""


def estimate_trace_cost(
    params: TraceParams,
    model_info: ModelInfo,
    num_tokens: int,
    subject_start: int = 0,
    batch_tokens: int | None = None,
) -> TraceCost:
    """Passes, operations and seconds of a trace of a ``num_tokens``-token prompt whose
    subject starts at ``subject_start`` (tokens before it need no pass)."""
    layers, samples = model_info.num_layers, params.samples
    window = params.window or default_window(layers)
    batch_tokens = batch_tokens or default_batch_tokens(model_info.device)
    per_position = 24 * model_info.hidden_size**2  # 2 × (4d² attention + 8d² MLP) per layer
    mlp = 16 * model_info.hidden_size**2
    head = 2 * model_info.hidden_size * model_info.vocab_size
    # a last-layer hidden cell is read off the clean and corrupted runs: no row
    hidden_joins = [layer + 1 for layer in range(layers - 1)] if "hidden" in params.kinds else []
    window_starts = [window_layers(layer, window, layers).start for layer in range(layers)]
    window_kinds = [kind for kind in params.kinds if kind != "hidden"]
    passes, flops = 2, float((samples + 1) * (num_tokens * layers * per_position + head))  # clean + corrupted
    # window rows run their first layer in one entry pass, at every token but the last
    passes += 1 if subject_start < num_tokens - 1 and window_kinds else 0
    for token in range(subject_start, num_tokens):
        positions = num_tokens - token
        shift = 1 if positions > 1 and window_kinds else 0
        joins = hidden_joins + [start + shift for start in window_starts] * len(window_kinds)
        passes += math.ceil(len(joins) * samples / rows_per_pass(batch_tokens, positions))
        for join in joins:
            trimmed = (positions - 1) * mlp if join < layers else 0  # the last MLP runs at one position
            flops += samples * (positions * (layers - join) * per_position - trimmed + head)
        flops += shift * samples * len(window_kinds) * len(set(window_starts)) * per_position
    cells = len(params.kinds) * layers * num_tokens
    per_straight_pass = (samples + 1) * num_tokens * (layers * per_position + head)
    speed = NOMINAL_FLOPS["cuda" if model_info.device.startswith("cuda") else "cpu"]
    return TraceCost(
        cells=cells,
        forward_passes=passes,
        straightforward_passes=cells + 2,
        flops=flops,
        straightforward_flops=(cells + 2) * per_straight_pass,
        seconds=flops / speed,
    )
