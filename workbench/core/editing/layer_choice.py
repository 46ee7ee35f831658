"""Which layer ROME edits: the MLP with the largest indirect effect at the last subject token.

ROME (Meng et al., 2022, §2; book §5.4.1) finds the fact's "early site" by causal tracing:
corrupt the subject's embeddings, restore one layer's MLP output at the last subject token,
and see how much of p(true object) comes back — computed with the tracing lab's fast
restored runs.  One layer at a time (a window of 1), not the heatmap's window: the edit
changes a single down-projection, and in a shallow model a window hides which of its
layers carries the effect (the demo model's window of 2 gives layers 0 and 1 the same
score, though only layer 0's MLP matters at the subject).

A single fact's trace can be flat: on the demo model 12 of 50 facts (every 33rd case of its
fact file) bring back less than 0.05 of p(true object) at every layer, and the argmax sends
8 of the 50 to layers 1-5 by noise.  ROME itself picks the layer from traces averaged over
many facts; here the fact's own trace decides when it is clear, and the model's usual site
— the effects averaged over a few reference facts (``reference_effects``) — when it is
not.  On the demo model the average over 8 facts spread over the fact file is 0.47 at layer
0 and below 0.04 elsewhere, so the rule edits all 50 facts at layer 0; ROME's locality
there is 88 % at layer 0 against 82 % at layer 1 (50 cases, v_lr 0.1; accuracy 100 % at
both).

On SmolLM2-135M (30 layers) the rule picks layer 0 for nearly every known fact, and that is
what its trace says, not noise: for a one-token subject ("The capital of France is",
Germany, Italy, Spain, Portugal, Japan) restoring layer 0's MLP output alone brings back the
whole clean p(true) (0.38–0.78) and no other single MLP more than 0.03 — the first MLP of a
Llama-style model writes a large, token-determined vector, so at the only subject token it
hands back the subject itself.  A multi-token subject moves the effect up ("the United
Kingdom": 0.01 at layer 0, 0.14 at layer 2, 0.11 at layer 7).  The averaged heatmap's MLP
peak "at layer 3" is ROME's 10-layer window: every cell from 0 to 5 restores layer 0 among
others and they tie (0.52 over 8 facts; 0.23 from cell 6, the first without layer 0), so its
argmax lands anywhere in 0–5.  ROME edits well at layer 0 there (H200, 37 facts: efficacy and
paraphrase 100 % by ROME's rules), so the rule is kept; a better layer is for a layer sweep
to show, not for a window or a skipped first layer to assume.

The sweep (``tools/real_model/edit.py --sweep``, CPU, 12 known facts taken in turn from each
relation, 5 of them with subjects of 3–4 tokens such as "the United Kingdom" and "Jimi
Hendrix"; the rule chose layer 0 for all 12) edited every 3rd layer.  By ROME's rules
(efficacy / paraphrase / neighbourhood) layer 0 scores 1.00 / 0.83 / 0.89, the best sum;
layer 3 0.92 / 0.83 / 0.93, layer 9 1.00 / 0.83 / 0.79, and from layer 21 on the
neighbourhood falls to 0.49–0.58 while fluency drops (−0.89 at layer 27 against −0.08 at 0).
So the rule's layer 0 is also the sweep's best on this model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.core.editing.params import EditRequest
from workbench.core.model.arch import ArchAdapter
from workbench.core.tracing.fast import RestoredRunner, cell_rows
from workbench.core.tracing.params import CorruptionParams
from workbench.core.tracing.runs import set_up_trace

ProgressFn = Callable[..., Any]


def mlp_effects(
    model: nn.Module,
    tokenizer: Any,
    adapter: ArchAdapter,
    request: EditRequest,
    samples: int = 5,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    seed: int = 0,
) -> np.ndarray:
    """(layers,) indirect effect of restoring each layer's MLP output at the last subject
    token: restored p(target) − corrupted p(target), averaged over ``samples`` noise draws.
    The target is the true object when the request names it, else the model's prediction."""
    request.check()
    report = progress if progress is not None else (lambda *args, **kwargs: None)
    report(0.0, "Clean and corrupted runs")
    params = CorruptionParams(
        prompt=request.rendered(),
        subject=request.subject,
        target=request.target_true or None,
        samples=samples,
        seed=seed,
    )
    setup = set_up_trace(model, tokenizer, adapter, params)
    num_layers = setup.num_layers
    token = setup.prompt.subject_range[1] - 1
    rows = [row for layer in range(num_layers) for row in cell_rows("mlp", layer, 1, num_layers, samples)]
    restored = np.zeros(len(rows))
    runner = RestoredRunner.for_setup(model, adapter, setup, cancel=cancel)
    done = 0

    def keep(indices: list[int], probs: torch.Tensor) -> None:
        nonlocal done
        restored[indices] = probs[:, setup.target_id].float().cpu().numpy()
        done += len(indices)
        report(
            done / len(rows),
            f"Restoring MLPs at the last subject token: {done}/{len(rows)}",
        )

    runner.run(token, rows, keep)
    low = float(setup.low_probs.mean())
    return restored.reshape(num_layers, samples).mean(axis=1) - low


MIN_EFFECT = 0.05
"""A largest effect below this (probability of the true object brought back) is within the
trace's noise: the fact's trace does not say where it is recalled."""


def reference_effects(
    model: nn.Module,
    tokenizer: Any,
    adapter: ArchAdapter,
    requests: list[EditRequest],
    samples: int = 5,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> np.ndarray:
    """(layers,) the MLP effects averaged over ``requests``: where the model usually recalls
    a fact (ROME's layer choice from averaged traces, Meng et al., 2022, fig. 2)."""
    if not requests:
        raise InvalidParameters("Name at least one fact to average the trace over.")
    report = progress if progress is not None else (lambda *args, **kwargs: None)
    total = np.zeros(adapter.num_layers(model))
    for index, request in enumerate(requests):
        if cancel is not None:
            cancel.raise_if_cancelled()
        report(index / len(requests), f"Tracing reference fact {index + 1}/{len(requests)}")
        total += mlp_effects(model, tokenizer, adapter, request, samples, cancel=cancel)
    report(1.0, "Reference trace done")
    return total / len(requests)


def suggest_layer(effects: np.ndarray, reference: np.ndarray | None = None) -> int:
    """The layer of the largest effect, or — when no layer reaches ``MIN_EFFECT`` and a
    ``reference`` (the model's averaged effects) is given — the reference's largest."""
    if reference is not None and float(np.max(effects)) < MIN_EFFECT:
        return int(np.argmax(reference))
    return int(np.argmax(effects))
