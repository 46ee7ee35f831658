"""Forward passes with a key/value cache use the model's own name for it (``cache`` since
transformers 5.25, ``past_key_values`` before) and warn about nothing."""

from __future__ import annotations

import inspect
import warnings

import torch
from model_builders import build_tiny_gpt2

from workbench.core.model.kv_cache import cache_argument, returned_cache, with_cache


def test_the_argument_is_the_one_the_forward_declares() -> None:
    model = build_tiny_gpt2(50)

    class OldStyle(torch.nn.Module):
        def forward(self, input_ids, past_key_values=None, use_cache=False):
            return input_ids

    assert cache_argument(model) in inspect.signature(model.forward).parameters
    assert cache_argument(OldStyle()) == "past_key_values"


def test_a_cached_step_equals_the_full_pass_without_deprecation_warnings() -> None:
    model = build_tiny_gpt2(50).eval()
    ids = torch.tensor([[3, 14, 15, 9, 26]])
    with torch.no_grad(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = model(ids[:, :-1], use_cache=True, **with_cache(model, None))
        step = model(ids[:, -1:], use_cache=True, **with_cache(model, returned_cache(first)))
        full = model(ids, use_cache=False)
    assert returned_cache(step).get_seq_length() == ids.shape[1]
    torch.testing.assert_close(step.logits[0, -1], full.logits[0, -1], rtol=1e-5, atol=1e-5)
    cache_warnings = [w for w in caught if "past_key_values" in str(w.message)]
    assert not cache_warnings, cache_warnings[0].message
