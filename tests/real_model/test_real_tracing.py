"""Causal tracing on SmolLM2: the early site of a known fact is the subject's last token."""

from __future__ import annotations

import numpy as np

from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.trace import trace


def test_restoring_the_subjects_last_token_recovers_the_fact_in_early_middle_layers(smollm2) -> None:
    params = TraceParams(prompt="The capital of France is", subject="France", kinds=("hidden",), samples=3)
    result = trace(smollm2.require_loaded(), smollm2.tokenizer, smollm2.require_adapter(), params)
    assert result.target == " Paris" and result.high_score > 0.5 and result.low_score < 0.05
    effect = (result.scores["hidden"] - result.low_score) / (result.high_score - result.low_score)
    subject_last = result.subject_range[1] - 1
    layers = result.num_layers
    peak_layer = int(np.argmax(effect[subject_last]))
    assert peak_layer < layers // 2, f"the subject's site peaks at layer {peak_layer} of {layers}"
    assert effect[subject_last, peak_layer] > 0.8
    # the early site is the subject's, the late one the last token's (Meng et al. 2022, fig. 1)
    early, late = slice(0, layers // 3), slice(2 * layers // 3, layers)
    assert effect[subject_last, early].mean() > effect[-1, early].mean() + 0.5
    assert effect[-1, late].mean() > effect[subject_last, late].mean() + 0.5
