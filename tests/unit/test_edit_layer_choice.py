"""ROME's layer choice: the fact's own trace when it is clear, the model's usual site when not."""

from __future__ import annotations

import numpy as np
import pytest
from model_builders import build_tiny_gpt2

from workbench.base.errors import InvalidParameters
from workbench.core.editing.layer_choice import (
    MIN_EFFECT,
    mlp_effects,
    reference_effects,
    suggest_layer,
)
from workbench.core.editing.params import EditRequest
from workbench.core.model.arch import adapter_for

REQUESTS = [
    EditRequest(prompt="{} is located in", subject="The Eiffel Tower", target_new=" Rome"),
    EditRequest(prompt="{} speaks", subject="Danielle Darrieux", target_new=" English"),
]


def test_a_clear_trace_picks_its_own_largest_effect_over_the_reference() -> None:
    effects = np.array([0.02, 0.3, 0.1])
    assert suggest_layer(effects, reference=np.array([0.5, 0.0, 0.0])) == 1


def test_a_flat_trace_defers_to_where_the_model_usually_recalls_facts() -> None:
    # The demo model's case 264: every MLP brings back less than MIN_EFFECT of p(true).
    flat = np.array([-0.055, 0.005, 0.001, -0.008])
    assert flat.max() < MIN_EFFECT
    assert suggest_layer(flat) == 1  # alone, the argmax of noise
    assert suggest_layer(flat, reference=np.array([0.48, 0.04, 0.03, 0.0])) == 0


def test_reference_effects_average_the_traces_of_the_facts(tiny_tokenizer) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    adapter = adapter_for(model)
    each = [mlp_effects(model, tiny_tokenizer, adapter, request, samples=2) for request in REQUESTS]
    averaged = reference_effects(model, tiny_tokenizer, adapter, REQUESTS, samples=2)
    assert averaged.shape == (adapter.num_layers(model),)
    np.testing.assert_allclose(averaged, (each[0] + each[1]) / 2, atol=1e-6)
    with pytest.raises(InvalidParameters, match="at least one fact"):
        reference_effects(model, tiny_tokenizer, adapter, [])
