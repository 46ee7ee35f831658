"""The straightforward method: one batched forward pass per heatmap cell.

This is ROME's ``trace_with_patch`` (Meng et al. 2022) written for the workbench's adapters:
the batch holds the clean prompt in row 0 and one corrupted copy per noise sample; the
restored state is copied from row 0 into the other rows while the pass runs.  Severing adds
ROME's first pass (``trace_with_repatch``) that records the corrupted module outputs to
freeze.  It is slow — every cell recomputes every layer at every position — and it is the
oracle the fast method is tested and benchmarked against.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from workbench.base.jobs import CancelToken
from workbench.core.model.arch import ArchAdapter
from workbench.core.tracing.hooks import HookSet
from workbench.core.tracing.noise import SubjectNoise
from workbench.core.tracing.params import window_layers
from workbench.core.tracing.runs import ScoresReport, next_token_probs


@torch.inference_mode()
def straightforward_restored_probs(
    model: nn.Module,
    adapter: ArchAdapter,
    input_ids: torch.Tensor,
    noise: SubjectNoise,
    token: int,
    kind: str,
    layers: Sequence[int],
    freeze: str | None = None,
) -> torch.Tensor:
    """(samples, vocab) next-token probabilities with ``kind``'s clean output restored at
    ``token`` in ``layers`` (``hidden``: the block outputs), and, with ``freeze``, that
    module's outputs at ``token`` in all later layers frozen at their corrupted values
    (ROME's ``trace_with_repatch``: the unpatched states are (token, layer) pairs)."""
    num_layers = adapter.num_layers(model)
    batch = input_ids.expand(noise.samples + 1, -1)
    frozen_layers = range(max(layers) + 1, num_layers) if freeze else range(0)
    frozen: dict[int, torch.Tensor] = {}
    if freeze:
        with HookSet(model, adapter, positions=batch.shape[1]) as hooks:
            hooks.on_embedding(lambda h: noise.apply(h, first_row=1))
            for layer in frozen_layers:

                def record(h: torch.Tensor, layer: int = layer) -> None:
                    frozen[layer] = h[1:, token].clone()

                hooks.on_module(freeze, layer, record)
            model(batch, use_cache=False)

    def restore(h: torch.Tensor) -> torch.Tensor:
        h[1:, token] = h[0, token]
        return h

    with HookSet(model, adapter, positions=batch.shape[1]) as hooks:
        hooks.on_embedding(lambda h: noise.apply(h, first_row=1))
        for layer in layers:
            if kind == "hidden":
                hooks.on_output(adapter.block_modules(model)[layer], restore)
            else:
                hooks.on_module(kind, layer, restore)
        for layer in frozen_layers:
            assert freeze is not None, "frozen_layers is empty without a module kind to freeze"

            def freeze_layer(h: torch.Tensor, layer: int = layer) -> torch.Tensor:
                h[1:, token] = frozen[layer]
                return h

            hooks.on_module(freeze, layer, freeze_layer)
        logits = model(batch, use_cache=False).logits
    return next_token_probs(logits)[1:]


def straightforward_scores(
    model: nn.Module,
    adapter: ArchAdapter,
    input_ids: torch.Tensor,
    noise: SubjectNoise,
    target_id: int,
    kinds: Sequence[str],
    window: int,
    report: ScoresReport | None = None,
    cancel: CancelToken | None = None,
) -> tuple[dict[str, np.ndarray], int]:
    """Per-sample p(target) for every cell, ``kind → (tokens, layers, samples)``, one pass
    per cell; and the number of passes."""
    num_layers = adapter.num_layers(model)
    num_tokens = int(input_ids.shape[1])
    scores = {kind: np.full((num_tokens, num_layers, noise.samples), np.nan) for kind in kinds}
    total, passes = len(kinds) * num_tokens * num_layers, 0
    for kind in kinds:
        for token in range(num_tokens):
            for layer in range(num_layers):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                layers = [layer] if kind == "hidden" else list(window_layers(layer, window, num_layers))
                probs = straightforward_restored_probs(model, adapter, input_ids, noise, token, kind, layers)
                scores[kind][token, layer] = probs[:, target_id].cpu().numpy()
                passes += 1
                if report is not None:
                    report(passes / total, scores, passes)
    return scores, passes
