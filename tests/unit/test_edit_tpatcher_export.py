"""T-Patcher patches saved as wider FFNs load in plain ``transformers`` with the same logits."""

from __future__ import annotations

import pytest
import torch
from model_builders import build_tiny_gpt2, build_tiny_llama, build_tiny_neox
from test_edit_tpatcher import EDIT, OTHER, SETTINGS, logits, patch_for
from transformers import AutoModelForCausalLM

from workbench.base.errors import UnsupportedArchitecture
from workbench.core.editing.tpatcher import installed_patches
from workbench.core.editing.tpatcher_export import materialise_patches
from workbench.core.model.arch import adapter_for

QUICK = type(SETTINGS)(steps=5, lr=0.05, memory_size=20)


@pytest.mark.parametrize("family", ["gpt2", "gpt_neox"])
def test_saved_widened_model_reproduces_the_patched_logits(family, tiny_tokenizer, tmp_path):
    model = build_tiny_gpt2(len(tiny_tokenizer)) if family == "gpt2" else build_tiny_neox(len(tiny_tokenizer))
    adapter = adapter_for(model)
    first = patch_for(model, tiny_tokenizer, EDIT, QUICK)
    first.install(model, adapter)
    second = patch_for(model, tiny_tokenizer, OTHER, QUICK)
    second.install(model, adapter)
    lower = patch_for(
        model,
        tiny_tokenizer,
        OTHER,
        type(QUICK)(steps=5, lr=0.05, memory_size=20, layer=0),
    )
    lower.install(model, adapter)
    text = EDIT.rendered() + " and " + OTHER.rendered()
    patched = logits(model, tiny_tokenizer, text)

    widened = materialise_patches(model, adapter, installed_patches(model))
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in widened.modules())
    widened.save_pretrained(tmp_path)
    reloaded = AutoModelForCausalLM.from_pretrained(tmp_path).eval()

    assert (logits(reloaded, tiny_tokenizer, text) - patched).abs().max() < 1e-5
    for patch in (first, second, lower):
        patch.uninstall(model, adapter)
    assert (logits(reloaded, tiny_tokenizer, text) - logits(model, tiny_tokenizer, text)).abs().max() > 1e-4


def test_gated_model_patch_trains_but_export_is_refused(tiny_tokenizer):
    model = build_tiny_llama(len(tiny_tokenizer), num_key_value_heads=4)
    adapter = adapter_for(model)
    before = logits(model, tiny_tokenizer, EDIT.rendered())
    patch = patch_for(model, tiny_tokenizer, EDIT, QUICK)
    patch.install(model, adapter)
    assert not torch.equal(logits(model, tiny_tokenizer, EDIT.rendered()), before)
    with pytest.raises(UnsupportedArchitecture, match="gated"):
        materialise_patches(model, adapter, {patch.layer: [patch]})
