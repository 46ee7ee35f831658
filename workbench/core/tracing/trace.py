"""One prompt's causal trace (book §5.4.1, ROME Fig. 1): the hidden / MLP / attention
heatmaps, and what the model predicts when a single cell is restored."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.core.model.arch import ArchAdapter
from workbench.core.tracing.fast import RestoredRunner, cell_rows, fast_scores
from workbench.core.tracing.params import (
    TRACE_KINDS,
    RestoredTopKParams,
    TraceParams,
    default_window,
    window_layers,
)
from workbench.core.tracing.prompt import token_text, top_predictions
from workbench.core.tracing.reference import straightforward_scores
from workbench.core.tracing.results import RestoredTopK, TraceResult
from workbench.core.tracing.runs import TraceSetup, set_up_trace

ProgressFn = Callable[..., Any]

TOP_PREDICTIONS = 10


def trace(
    model: nn.Module,
    tokenizer: Any,
    adapter: ArchAdapter,
    params: TraceParams,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    *,
    batch_tokens: int | None = None,
) -> TraceResult:
    """Trace ``params.prompt``: for every (token, layer) and kind, p(target) with that state
    restored, averaged over the noise samples.

    ``progress`` receives a partial ``TraceResult`` (NaN where not yet computed) after every
    batched pass, so the heatmaps fill in while the trace runs.
    """
    params.check()
    started = time.perf_counter()
    report = progress if progress is not None else (lambda *args, **kwargs: None)
    report(0.0, "Clean and corrupted runs")
    setup = set_up_trace(model, tokenizer, adapter, params)
    window = params.window or default_window(setup.num_layers)
    kinds = tuple(params.kinds)
    if window > setup.num_layers and any(kind != "hidden" for kind in kinds):
        setup.warnings.append(
            f"A window of {window} layers is wider than the model's {setup.num_layers}: each MLP/attention "
            f"cell restores nearly every layer, so the rows look alike (the default here is "
            f"{default_window(setup.num_layers)}; ROME uses 10 of 48)."
        )

    def on_scores(fraction: float, scores: dict[str, np.ndarray], passes: int) -> None:
        partial = _summarize(setup, tokenizer, params, window, scores, passes + 2, started, complete=False)
        report(fraction, f"Restored runs: {passes} passes", partial)

    if params.method == "fast":
        runner = RestoredRunner.for_setup(model, adapter, setup, batch_tokens=batch_tokens, cancel=cancel)
        scores = fast_scores(runner, setup.prompt.subject_range[0], setup.target_id, kinds, window, on_scores)
        passes = runner.passes
    else:
        scores, passes = straightforward_scores(
            model, adapter, setup.prompt.input_ids, setup.noise, setup.target_id, kinds, window, on_scores, cancel
        )
    result = _summarize(setup, tokenizer, params, window, scores, passes + 2, started, complete=True)
    report(1.0, f"Traced in {result.seconds:.1f} s ({result.forward_passes} passes)", result)
    return result


def _summarize(
    setup: TraceSetup,
    tokenizer: Any,
    params: TraceParams,
    window: int,
    scores: dict[str, np.ndarray],
    passes: int,
    started: float,
    *,
    complete: bool,
) -> TraceResult:
    """Per-sample scores → a ``TraceResult`` (a cell is NaN until all its samples are in)."""
    low = setup.low_probs.cpu().numpy()
    return TraceResult(
        prompt=params.prompt,
        tokens=list(setup.prompt.tokens),
        input_ids=setup.prompt.input_ids[0].cpu().numpy(),
        subject_range=setup.prompt.subject_range,
        target_id=setup.target_id,
        target=token_text(tokenizer, setup.target_id),
        high_score=setup.high_score,
        low_score=float(low.mean()),
        low_spread=float(low.std()),
        scores={kind: values.mean(axis=-1) for kind, values in scores.items()},
        spread={kind: values.std(axis=-1) for kind, values in scores.items()},
        num_layers=setup.num_layers,
        window=window,
        sigma=setup.sigma,
        noise_std=setup.noise.std,
        noise_kind=params.noise_kind,
        samples=params.samples,
        method=params.method,
        top_predictions=top_predictions(tokenizer, setup.clean.probs, TOP_PREDICTIONS),
        warnings=[*setup.prompt.warnings, *setup.warnings],
        forward_passes=passes,
        seconds=time.perf_counter() - started,
        complete=complete,
    )


def restored_topk(
    model: nn.Module,
    tokenizer: Any,
    adapter: ArchAdapter,
    params: RestoredTopKParams,
    cancel: CancelToken | None = None,
) -> RestoredTopK:
    """The clicked cell: top-k of the restored prediction (mean over samples) and p(target)
    for each noise sample, computed with the fast method (three small passes)."""
    params.check()
    if params.kind not in TRACE_KINDS:
        raise InvalidParameters(f"Unknown trace kind '{params.kind}'; choose among {', '.join(TRACE_KINDS)}.")
    setup = set_up_trace(model, tokenizer, adapter, params)
    num_tokens, num_layers = setup.prompt.length, setup.num_layers
    token = params.token + num_tokens if params.token < 0 else params.token
    if not 0 <= token < num_tokens:
        raise InvalidParameters(f"Token {params.token} is outside the prompt's {num_tokens} tokens.")
    if not 0 <= params.layer < num_layers:
        raise InvalidParameters(f"Layer {params.layer} is outside the model's {num_layers} layers.")
    window = params.window or default_window(num_layers)
    runner = RestoredRunner.for_setup(model, adapter, setup, cancel=cancel)
    rows = cell_rows(params.kind, params.layer, window, num_layers, params.samples)
    probs = torch.empty(len(rows), setup.clean.probs.shape[-1])

    def keep(indices: list[int], chunk: torch.Tensor) -> None:
        probs[indices] = chunk.cpu()

    runner.run(token, rows, keep)
    restored = [params.layer] if params.kind == "hidden" else list(window_layers(params.layer, window, num_layers))
    return RestoredTopK(
        token=token,
        layer=params.layer,
        kind=params.kind,
        restored_layers=restored,
        target_id=setup.target_id,
        target=token_text(tokenizer, setup.target_id),
        predictions=top_predictions(tokenizer, probs.mean(dim=0), params.k),
        target_probs=probs[:, setup.target_id].numpy(),
        high_score=setup.high_score,
        low_score=float(setup.low_probs.mean()),
    )
