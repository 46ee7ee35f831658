"""阻断 (severing), book §5.4.1 and ROME Fig. 3: is a hidden state's effect carried by the
later MLPs or by the later attention?

The hidden state at one token (by default the last subject token) is restored layer by
layer, as in the hidden heatmap, while the outputs of the MLP (or attention) modules of all
later layers *at that token* are frozen at their corrupted-run values (ROME §2: the
``(token, layer)`` pairs of ``trace_with_repatch``).  When freezing the MLPs makes the effect
of the early layers vanish, those layers act through the MLPs — ROME's evidence that
mid-layer MLPs at the subject recall the fact.  Later positions are not frozen: freezing the
attention there too would cut the only path from the subject to the last token, and every
"attention severed" curve would sit exactly on the corrupted baseline.
"""

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
from workbench.core.tracing.fast import RestoredRunner, Row
from workbench.core.tracing.params import SeveringParams
from workbench.core.tracing.prompt import token_text
from workbench.core.tracing.results import SEVERED, SeveringResult
from workbench.core.tracing.runs import set_up_trace


def sever(
    model: nn.Module,
    tokenizer: Any,
    adapter: ArchAdapter,
    params: SeveringParams,
    progress: Callable[..., Any] | None = None,
    cancel: CancelToken | None = None,
    *,
    batch_tokens: int | None = None,
) -> SeveringResult:
    """Per layer: p(target) with the hidden state at ``params.token`` restored, with nothing,
    the later MLPs, or the later attention modules frozen at their corrupted values."""
    params.check()
    started = time.perf_counter()
    report = progress if progress is not None else (lambda *args, **kwargs: None)
    report(0.0, "Clean and corrupted runs")
    setup = set_up_trace(model, tokenizer, adapter, params, keep_modules=("attn", "mlp"))
    num_tokens, num_layers, samples = setup.prompt.length, setup.num_layers, params.samples
    token = setup.prompt.subject_range[1] - 1 if params.token is None else params.token
    token = token + num_tokens if token < 0 else token
    if not 0 <= token < num_tokens:
        raise InvalidParameters(f"Token {params.token} is outside the prompt's {num_tokens} tokens.")
    runner = RestoredRunner.for_setup(model, adapter, setup, batch_tokens=batch_tokens, cancel=cancel)
    cells = [(variant, layer) for variant in SEVERED for layer in range(num_layers)]
    rows = [
        Row(sample=s, join=layer + 1, clean_state=True, freeze=None if variant == "none" else variant)
        for variant, layer in cells
        for s in range(samples)
    ]
    per_sample = np.full((len(SEVERED), num_layers, samples), np.nan)
    done = 0

    def on_pass(indices: list[int], probs: torch.Tensor) -> None:
        nonlocal done
        for i, value in zip(indices, probs[:, setup.target_id].cpu().numpy()):
            variant, layer = cells[i // samples]
            per_sample[SEVERED.index(variant), layer, rows[i].sample] = value
        done += len(indices)
        report(done / len(rows), f"Severed runs: {runner.passes} passes")

    runner.run(token, rows, on_pass)
    low = setup.low_probs.cpu().numpy()
    return SeveringResult(
        prompt=params.prompt,
        tokens=list(setup.prompt.tokens),
        token=token,
        subject_range=setup.prompt.subject_range,
        target_id=setup.target_id,
        target=token_text(tokenizer, setup.target_id),
        high_score=setup.high_score,
        low_score=float(low.mean()),
        scores={variant: per_sample[i].mean(axis=-1) for i, variant in enumerate(SEVERED)},
        spread={variant: per_sample[i].std(axis=-1) for i, variant in enumerate(SEVERED)},
        num_layers=num_layers,
        samples=samples,
        warnings=[*setup.prompt.warnings, *setup.warnings],
        seconds=time.perf_counter() - started,
    )
