"""ROME's rank-one update (book §5.4.3) on tiny random models: the algebra, and install/uninstall."""

from __future__ import annotations

import pytest
import torch
from model_builders import build_tiny_gemma3, build_tiny_gpt2, build_tiny_llama

from workbench.core.editing.edit_metrics import answer_token_ids
from workbench.core.editing.params import EditRequest, RomeSettings
from workbench.core.editing.rome import compute_rome, rank_one_edit
from workbench.core.model.arch import adapter_for

REQUEST = EditRequest(
    prompt="{} is located in the city of",
    subject="The Eiffel Tower",
    target_new=" Rome",
)
FAST = RomeSettings(prefix_count=2, prefix_length=3, v_steps=4)


@pytest.fixture(params=["gpt2", "llama"])
def model(request, tiny_tokenizer):
    """A Conv1D family (GPT-2, weight stored transposed) and a Linear one (Llama)."""
    if request.param == "gpt2":
        return build_tiny_gpt2(len(tiny_tokenizer))
    return build_tiny_llama(len(tiny_tokenizer), bos_token_id=0, eos_token_id=0, pad_token_id=0)


def random_covariance(size: int) -> torch.Tensor:
    a = torch.randn(size, size * 2, dtype=torch.float64)
    return a @ a.T / (size * 2)


def test_after_the_update_the_key_maps_to_the_new_value_and_orthogonal_keys_are_unchanged(
    model,
) -> None:
    adapter = adapter_for(model)
    weight = adapter.down_proj_weight(model, 1)
    d_model, d_ff = weight.shape
    key, value = (
        torch.randn(d_ff, dtype=torch.float64),
        torch.randn(d_model, dtype=torch.float64),
    )
    covariance = random_covariance(d_ff)
    direction = torch.linalg.solve(covariance, key)
    edit = rank_one_edit(REQUEST, 1, weight, key.float(), value.float(), direction)
    other = torch.randn(d_ff, dtype=torch.float64)
    orthogonal = (other - direction * (direction @ other) / (direction @ direction)).float()
    before = weight.detach().clone()
    edit.install(model, adapter)
    after = adapter.down_proj_weight(model, 1)
    torch.testing.assert_close(after @ key.float(), value.float(), rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(after @ orthogonal, before @ orthogonal, rtol=1e-4, atol=1e-4)
    assert not torch.allclose(after @ other.float(), before @ other.float(), atol=1e-3)


def test_computed_edit_raises_the_new_target_and_uninstall_restores_the_weights_bit_exactly(
    model, tiny_tokenizer
) -> None:
    adapter = adapter_for(model)
    original = {name: p.detach().clone() for name, p in model.state_dict().items()}
    # A random model's logits hardly depend on one position's residual stream (δ = ‖h‖ moves
    # the NLL by 0.01), so the step and clamp are loosened and the regularisers dropped:
    # δ must be able to matter.
    settings = RomeSettings(
        prefix_count=0,
        v_steps=15,
        v_lr=2.0,
        clamp_norm_factor=50.0,
        weight_decay=0.0,
        kl_factor=0.0,
    )
    edit = compute_rome(model, tiny_tokenizer, adapter, REQUEST, settings, layer=0)
    assert all(torch.equal(p, original[name]) for name, p in model.state_dict().items())  # computing edits nothing
    ids = tiny_tokenizer(REQUEST.rendered())["input_ids"]
    target = tiny_tokenizer(REQUEST.rendered() + REQUEST.target_new)["input_ids"][len(ids)]

    def p_target() -> float:
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0, -1]
        return float(torch.softmax(logits, -1)[target])

    p_before = p_target()
    edit.install(model, adapter)
    edit.install(model, adapter)  # idempotent
    assert p_target() > p_before
    torch.testing.assert_close(adapter.down_proj_weight(model, 0) @ edit.key, edit.value, rtol=1e-4, atol=1e-4)
    edit.uninstall(model, adapter)
    assert all(torch.equal(p, original[name]) for name, p in model.state_dict().items())
    assert edit.details["nll_end"] < edit.details["nll_start"]


def test_a_layer_outside_the_model_is_refused_with_a_sentence(tiny_gpt2, tiny_tokenizer) -> None:
    from workbench.base.errors import InvalidParameters

    with pytest.raises(InvalidParameters, match="Layer 7 is outside"):
        compute_rome(tiny_gpt2, tiny_tokenizer, adapter_for(tiny_gpt2), REQUEST, FAST, layer=7)


def test_with_prefixes_the_edit_prompt_itself_gets_exactly_the_optimised_value(tiny_gpt2, tiny_tokenizer) -> None:
    """ROME normalises the update on the edit prompt's own key (k* averaged over prefixes
    only sets the direction C⁻¹k*), so the prompt's MLP output becomes v₀ + δ exactly."""
    adapter = adapter_for(tiny_gpt2)
    settings = RomeSettings(prefix_count=3, prefix_length=3, v_steps=3)
    edit = compute_rome(tiny_gpt2, tiny_tokenizer, adapter, REQUEST, settings, layer=1)
    text = REQUEST.rendered()
    encoded = tiny_tokenizer(text, return_offsets_mapping=True)
    last = max(
        i for i, (start, end) in enumerate(encoded["offset_mapping"]) if end > start and start < len(REQUEST.subject)
    )
    keys = []
    handle = adapter.module(tiny_gpt2, "mlp_down", 1).register_forward_pre_hook(
        lambda module, args: keys.append(args[0][0, last].detach().clone())
    )
    with torch.no_grad():
        tiny_gpt2(torch.tensor([encoded["input_ids"]]))
    handle.remove()
    torch.testing.assert_close(edit.key, keys[0], rtol=1e-5, atol=1e-6)
    edit.install(tiny_gpt2, adapter)
    after = adapter.down_proj_weight(tiny_gpt2, 1) @ keys[0]
    torch.testing.assert_close(after, edit.value, rtol=1e-4, atol=1e-4)
    # … and the direction is not the prompt's key alone (the prefixes count).
    assert not torch.allclose(edit.left / edit.left.norm(), edit.key / edit.key.norm())


@pytest.mark.parametrize("family", ["gpt2", "llama", "gemma3"])
def test_the_value_written_reproduces_what_the_optimised_value_predicted(family, tiny_tokenizer) -> None:
    """v* = W k + δ must be what the value optimisation evaluated: δ has to be optimised where
    ΔW writes it, the down-projection's output.  On Gemma 2/3 that output passes an RMSNorm
    before the residual stream; a δ optimised after the norm and written before it (the old
    code) was ~40× the pre-norm output on Gemma-3-270M and turned every neighbouring fact
    (locality 3 %).  Only the edit position gets v* here: the installed ΔW also moves other
    positions' outputs by δ·(direction · key), which the optimisation does not see."""
    model = (
        build_tiny_gemma3(len(tiny_tokenizer))
        if family == "gemma3"
        else build_tiny_gpt2(len(tiny_tokenizer))
        if family == "gpt2"
        else build_tiny_llama(len(tiny_tokenizer), bos_token_id=0, eos_token_id=0, pad_token_id=0)
    )
    adapter = adapter_for(model)
    settings = RomeSettings(
        prefix_count=0, v_steps=15, v_lr=2.0, clamp_norm_factor=50.0, weight_decay=0.0, kl_factor=0.0
    )
    edit = compute_rome(model, tiny_tokenizer, adapter, REQUEST, settings, layer=0)
    rendered = REQUEST.rendered()
    _, target = answer_token_ids(tiny_tokenizer, rendered, REQUEST.target_new)
    encoded = tiny_tokenizer(rendered, return_offsets_mapping=True)
    prompt = encoded["input_ids"]
    last = max(
        i for i, (start, end) in enumerate(encoded["offset_mapping"]) if end > start and start < len(REQUEST.subject)
    )

    def write_value(_module, _args, output):
        output = output.clone()
        output[0, last] = edit.value.to(output.dtype)
        return output

    handle = adapter.module(model, "mlp_down", 0).register_forward_hook(write_value)
    try:
        with torch.no_grad():
            logits = model(torch.tensor([prompt + target[:-1]])).logits[0, len(prompt) - 1 :]
    finally:
        handle.remove()
    nll = -torch.log_softmax(logits.double(), -1)[torch.arange(len(target)), target].mean()
    assert edit.details["nll_end"] < edit.details["nll_start"]
    assert float(nll) == pytest.approx(edit.details["nll_end"], rel=1e-4, abs=1e-5)
