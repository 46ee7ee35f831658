"""Every family in the adapter table, checked against a tiny random model of that family.

The adapters are the single place that knows where modules live; these tests prove each path
exists *and* plays the role the algorithms assume (residual contributions, ROME's W·key =
value orientation, final norm + LM head = logits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import torch
import transformers as T

from workbench.base.errors import UnsupportedArchitecture
from workbench.core.model.arch import ADAPTERS, adapter_for, adapter_for_model_type

VOCAB, HIDDEN, FF, LAYERS = 96, 32, 64, 2

_DECODER = dict(
    vocab_size=VOCAB,
    max_position_embeddings=32,
    hidden_size=HIDDEN,
    num_hidden_layers=LAYERS,
    num_attention_heads=4,
    intermediate_size=FF,
    bos_token_id=1,
    eos_token_id=2,
    pad_token_id=0,
)
_GQA = dict(_DECODER, num_key_value_heads=2, head_dim=8)
_GPT = dict(
    vocab_size=VOCAB,
    n_positions=32,
    n_embd=HIDDEN,
    n_layer=LAYERS,
    n_head=4,
    n_inner=FF,
    bos_token_id=1,
    eos_token_id=2,
)


@dataclass(frozen=True)
class Family:
    model_type: str
    family: str
    config: Callable[[], Any]
    parallel: bool = False
    """Attention and MLP read the same block input (GPT-J, GPT-NeoX) instead of one after the other."""


FAMILIES = [
    Family("gpt2", "GPT-2", lambda: T.GPT2Config(**_GPT)),
    Family("gptj", "GPT-J", lambda: T.GPTJConfig(**_GPT, rotary_dim=4), parallel=True),
    Family("gpt_neox", "GPT-NeoX/Pythia", lambda: T.GPTNeoXConfig(**_DECODER, rotary_pct=0.5), parallel=True),
    Family("llama", "Llama/Mistral/Qwen2", lambda: T.LlamaConfig(**_GQA)),
    Family("mistral", "Llama/Mistral/Qwen2", lambda: T.MistralConfig(**_GQA)),
    Family("qwen2", "Llama/Mistral/Qwen2", lambda: T.Qwen2Config(**_DECODER, num_key_value_heads=2)),
    Family("qwen3", "Llama/Mistral/Qwen2", lambda: T.Qwen3Config(**_GQA)),
    Family("gemma", "Gemma", lambda: T.GemmaConfig(**_GQA)),
    # a small soft-cap so that forgetting it would change the logits measurably
    Family("gemma2", "Gemma 2", lambda: T.Gemma2Config(**_GQA, final_logit_softcapping=0.5)),
    # Gemma-3-270M's text model: scaled embedding module, sliding and full attention layers
    Family(
        "gemma3_text",
        "Gemma 3",
        lambda: T.Gemma3TextConfig(**_GQA, sliding_window=4, layer_types=["sliding_attention", "full_attention"]),
    ),
    Family(
        "opt",
        "OPT",
        lambda: T.OPTConfig(**{**_DECODER, "intermediate_size": None}, ffn_dim=FF, word_embed_proj_dim=HIDDEN),
    ),
]


def _build(family: Family, seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    config = family.config()
    model = T.AutoModelForCausalLM.from_config(config)
    # random init is tiny; scale up so every sub-layer changes the output measurably
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.dim() == 2:
                parameter.normal_(0.0, 0.2)
    return model.eval()


@pytest.fixture(params=FAMILIES, ids=lambda f: f.model_type)
def family(request) -> Family:
    return request.param


@pytest.fixture()
def model(family: Family) -> torch.nn.Module:
    return _build(family)


@pytest.fixture(scope="module")
def input_ids() -> torch.Tensor:
    return torch.randint(3, VOCAB, (2, 7), generator=torch.Generator().manual_seed(1))


def _first(output: Any) -> torch.Tensor:
    return output[0] if isinstance(output, tuple) else output


def _record(model: torch.nn.Module, modules: dict[str, torch.nn.Module], input_ids: torch.Tensor):
    """Run once and return each module's output (and ``<key>.in`` for its first input)."""
    seen: dict[str, torch.Tensor] = {}
    handles = []
    for key, module in modules.items():

        def hook(_module, args, kwargs, output, key=key):
            seen[key] = _first(output).detach().clone()
            seen[f"{key}.in"] = (args[0] if args else kwargs["hidden_states"]).detach().clone()

        handles.append(module.register_forward_hook(hook, with_kwargs=True))
    try:
        with torch.no_grad():
            seen["logits"] = model(input_ids).logits
    finally:
        for handle in handles:
            handle.remove()
    return seen


def test_the_adapter_is_chosen_by_model_type(family: Family, model: torch.nn.Module) -> None:
    assert model.config.model_type == family.model_type
    adapter = adapter_for(model)
    assert adapter is ADAPTERS[family.model_type]
    assert adapter.family == family.family


def test_every_named_module_exists(family: Family, model: torch.nn.Module) -> None:
    adapter = adapter_for(model)
    assert adapter.num_layers(model) == LAYERS
    assert isinstance(adapter.embedding_module(model), torch.nn.Embedding)
    assert adapter.embedding_module(model).num_embeddings == VOCAB
    assert adapter.lm_head_module(model).out_features == VOCAB
    assert isinstance(adapter.final_norm_module(model), torch.nn.Module)
    module_names = {name for name, _ in model.named_modules()}
    for layer in range(LAYERS):
        for kind in ("block", "attn", "mlp", "mlp_down"):
            assert adapter.module_path(kind, layer) in module_names
        for relative in (*adapter.mlp_up, *adapter.attn_projections):
            assert f"{adapter.block_path(layer)}.{relative}" in module_names
    for group in adapter.lora_target_modules().values():
        assert group and all(f"{adapter.block_path(0)}.{path}" in module_names for path in group)


def test_down_proj_weight_is_a_hidden_by_intermediate_view(
    family: Family, model: torch.nn.Module, input_ids: torch.Tensor
) -> None:
    adapter = adapter_for(model)
    weight = adapter.down_proj_weight(model, 0)
    assert tuple(weight.shape) == (HIDDEN, FF)

    # orientation: the down-projection's output is W @ key (+ bias), ROME's value
    down = adapter.module(model, "mlp_down", 0)
    seen = _record(model, {"down": down}, input_ids)
    bias = down.bias if getattr(down, "bias", None) is not None else 0.0
    torch.testing.assert_close(seen["down"], seen["down.in"] @ weight.T + bias, atol=1e-5, rtol=1e-4)

    # a view: editing it in place edits the model (a non-uniform change: LayerNorm would
    # erase the same shift added to every hidden unit)
    with torch.no_grad():
        weight[:, :4] += torch.randn(HIDDEN, 4, generator=torch.Generator().manual_seed(2))
    after = _record(model, {}, input_ids)["logits"]
    assert not torch.allclose(after, seen["logits"], atol=1e-3)


def test_attention_and_mlp_outputs_add_up_to_the_residual_update(
    family: Family, model: torch.nn.Module, input_ids: torch.Tensor
) -> None:
    adapter = adapter_for(model)
    for layer in range(LAYERS):
        seen = _record(
            model,
            {kind: adapter.module(model, kind, layer) for kind in ("block", "attn", "mlp")},
            input_ids,
        )
        update = seen["block"] - seen["block.in"]
        mlp = seen["mlp"]
        assert mlp.dim() == (2 if adapter.mlp_tokens_flattened else 3)
        assert update.abs().max() > 1e-2
        torch.testing.assert_close(update, seen["attn"] + mlp.view_as(update), atol=1e-5, rtol=1e-4)


def test_the_mlp_reads_the_attention_output_only_in_sequential_blocks(
    family: Family, model: torch.nn.Module, input_ids: torch.Tensor
) -> None:
    """Sequential blocks (GPT-2, Llama, OPT …) feed h + attn to the MLP; parallel ones
    (GPT-J, GPT-NeoX) feed both the same h, so shifting attn's output leaves the MLP alone."""
    adapter = adapter_for(model)
    attn, mlp = adapter.module(model, "attn", 0), adapter.module(model, "mlp", 0)
    clean = _record(model, {"mlp": mlp}, input_ids)["mlp"]

    # non-uniform, or a LayerNorm before the MLP would remove it
    delta = torch.randn(HIDDEN, generator=torch.Generator().manual_seed(3))

    def shift(_module, _args, output):
        if isinstance(output, tuple):
            return (output[0] + delta, *output[1:])
        return output + delta

    handle = attn.register_forward_hook(shift)
    try:
        shifted = _record(model, {"mlp": mlp}, input_ids)["mlp"]
    finally:
        handle.remove()
    assert torch.allclose(shifted, clean, atol=1e-6) == family.parallel


def test_final_norm_and_lm_head_of_the_last_block_reproduce_the_logits(
    family: Family, model: torch.nn.Module, input_ids: torch.Tensor
) -> None:
    adapter = adapter_for(model)
    last = adapter.module(model, "block", LAYERS - 1)
    seen = _record(model, {"last": last}, input_ids)
    with torch.no_grad():
        logits = adapter.unembed(model, seen["last"])
    torch.testing.assert_close(logits, seen["logits"], atol=1e-5, rtol=1e-4)


def test_an_unknown_model_type_fails_with_the_supported_list() -> None:
    with pytest.raises(UnsupportedArchitecture) as caught:
        adapter_for_model_type("bert")
    message = str(caught.value)
    assert "'bert'" in message
    assert all(model_type in message for model_type in ADAPTERS)


def test_a_model_without_the_expected_layout_is_refused() -> None:
    """OPT-350m-style post-norm OPT has no final layer norm where the OPT adapter looks."""
    config = T.OPTConfig(
        **{**_DECODER, "intermediate_size": None}, ffn_dim=FF, word_embed_proj_dim=HIDDEN, do_layer_norm_before=False
    )
    model = T.AutoModelForCausalLM.from_config(config)
    with pytest.raises(UnsupportedArchitecture, match="module layout"):
        adapter_for(model)
