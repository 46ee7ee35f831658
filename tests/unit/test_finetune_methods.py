"""PEFT method set-up: target modules per family and exact trainable-parameter counts."""

from __future__ import annotations

import pytest
from model_builders import build_tiny_llama

from workbench.base.errors import InvalidParameters
from workbench.core.finetune.methods import count_parameters, target_module_choices
from workbench.core.finetune.params import MethodConfig
from workbench.core.model.arch import adapter_for

HIDDEN, LAYERS = 32, 3  # the tiny GPT-2 of tests/conftest.py


def test_lora_rank_r_on_gpt2_c_attn_adds_r_times_in_plus_out_per_layer(tiny_gpt2) -> None:
    count = count_parameters(
        MethodConfig(method="lora", rank=4, target_modules=("attn.c_attn",)), tiny_gpt2, adapter_for(tiny_gpt2)
    )
    assert count.trainable == LAYERS * 4 * (HIDDEN + 3 * HIDDEN)
    base = sum(p.numel() for p in tiny_gpt2.parameters())
    assert count.total == base + count.trainable
    assert count.share == pytest.approx(count.trainable / count.total)


def test_gpt2_attention_output_is_not_confused_with_the_mlp_output(tiny_gpt2) -> None:
    """Both are called ``c_proj``; block-relative paths keep them apart."""
    adapter = adapter_for(tiny_gpt2)
    attention = count_parameters(
        MethodConfig(method="lora", rank=2, target_modules=("attn.c_proj",)), tiny_gpt2, adapter
    )
    mlp = count_parameters(MethodConfig(method="lora", rank=2, target_modules=("mlp.c_proj",)), tiny_gpt2, adapter)
    assert attention.trainable == LAYERS * 2 * (HIDDEN + HIDDEN)
    assert mlp.trainable == LAYERS * 2 * (4 * HIDDEN + HIDDEN)


def test_default_lora_targets_are_the_papers_query_and_value(tiny_tokenizer) -> None:
    model = build_tiny_llama(len(tiny_tokenizer))
    count = count_parameters(MethodConfig(method="lora", rank=4), model, adapter_for(model))
    assert set(count.target_modules) == {"q_proj", "v_proj"}
    q = 4 * (32 + 32)
    v = 4 * (32 + 16)  # 2 key-value heads of width 8
    assert count.trainable == 2 * (q + v)


def test_llama_target_choices_name_real_modules(tiny_tokenizer) -> None:
    model = build_tiny_llama(len(tiny_tokenizer))
    choices = target_module_choices(adapter_for(model))
    assert choices["attention"] == ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj")
    assert set(choices["mlp"]) == {"mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"}
    everything = tuple(p for group in choices.values() for p in group)
    count = count_parameters(MethodConfig(method="lora", rank=1, target_modules=everything), model, adapter_for(model))
    per_layer = (32 + 32) + (32 + 16) * 2 + (32 + 32) + (32 + 64) * 2 + (64 + 32)
    assert count.trainable == 2 * per_layer


def test_dora_adds_a_magnitude_per_output_feature(tiny_gpt2) -> None:
    plain = count_parameters(MethodConfig(method="lora", rank=4, target_modules=("attn.c_attn",)), tiny_gpt2, None)
    dora = count_parameters(
        MethodConfig(method="lora", rank=4, target_modules=("attn.c_attn",), use_dora=True), tiny_gpt2, None
    )
    assert dora.trainable - plain.trainable == LAYERS * 3 * HIDDEN


def test_prompt_prefix_ia3_and_bitfit_counts(tiny_gpt2) -> None:
    adapter = adapter_for(tiny_gpt2)
    prompt = count_parameters(MethodConfig(method="prompt", num_virtual_tokens=5), tiny_gpt2, adapter)
    assert prompt.trainable == 5 * HIDDEN
    prefix = count_parameters(MethodConfig(method="prefix", num_virtual_tokens=5), tiny_gpt2, adapter)
    assert prefix.trainable == 5 * 2 * LAYERS * HIDDEN  # a key and a value per layer and position
    ia3 = count_parameters(MethodConfig(method="ia3"), tiny_gpt2, adapter)
    assert ia3.trainable == LAYERS * (3 * HIDDEN + 4 * HIDDEN)  # fused qkv output, FFN down input
    bitfit = count_parameters(MethodConfig(method="bitfit"), tiny_gpt2, adapter)
    assert bitfit.trainable == sum(p.numel() for n, p in tiny_gpt2.named_parameters() if n.endswith("bias"))
    assert bitfit.total == sum(p.numel() for p in tiny_gpt2.parameters())


def test_counting_leaves_the_model_untouched(tiny_gpt2) -> None:
    before = {n: (type(m), m.training) for n, m in tiny_gpt2.named_modules()}
    count_parameters(MethodConfig(method="lora", rank=4), tiny_gpt2, adapter_for(tiny_gpt2))
    assert {n: (type(m), m.training) for n, m in tiny_gpt2.named_modules()} == before


def test_unknown_target_module_lists_the_choices(tiny_gpt2) -> None:
    with pytest.raises(InvalidParameters, match=r"no module 'attn\.q_proj'.*attn\.c_attn"):
        count_parameters(
            MethodConfig(method="lora", target_modules=("attn.q_proj",)), tiny_gpt2, adapter_for(tiny_gpt2)
        )


def test_bitfit_on_a_model_without_biases_is_refused(tiny_tokenizer) -> None:
    model = build_tiny_llama(len(tiny_tokenizer))
    with pytest.raises(InvalidParameters, match="no bias terms"):
        count_parameters(MethodConfig(method="bitfit"), model, adapter_for(model))


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (MethodConfig(method="lora", rank=0), "rank"),
        (MethodConfig(method="prompt", num_virtual_tokens=0), "virtual token"),
        (MethodConfig(method="prompt", prompt_init="text"), "needs a text"),
    ],
)
def test_impossible_settings_are_refused(tiny_gpt2, config: MethodConfig, message: str) -> None:
    with pytest.raises(InvalidParameters, match=message):
        count_parameters(config, tiny_gpt2, None)
