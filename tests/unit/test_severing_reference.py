"""Severing checked against the method as Meng et al. (2022, §2 and Fig. 3) describe it,
written here from the paper with plain forward hooks — no workbench hook, adapter or runner.

For a noise sample: run the corrupted model and keep the MLP (or attention) outputs *at the
restored token t*; run it again with the hidden state (block output) of layer l at t set to
its clean value and, in every later layer, the module's output at t set back to the kept
corrupted value; read p(target) at the last position.  ROME's ``trace_with_repatch`` does
exactly this with ``states_to_unpatch = [(t, layer) …]``: later positions are left free, so
the restored state still reaches the last token through attention there.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import transformers as tf

from workbench.base import paths
from workbench.core.model.arch import adapter_for
from workbench.core.tracing.params import SeveringParams
from workbench.core.tracing.runs import set_up_trace
from workbench.core.tracing.severing import sever

PROMPT = "The Eiffel Tower is in the city of"
SUBJECT = "Eiffel Tower"
SIZE = dict(num_hidden_layers=4, hidden_size=32, num_attention_heads=4, max_position_embeddings=64)


def _paths(model: torch.nn.Module) -> tuple[torch.nn.Module, list[torch.nn.Module], dict[str, list[torch.nn.Module]]]:
    """Embedding, blocks and {mlp, attn} modules, named per family as transformers does."""
    if hasattr(model, "transformer"):  # GPT-2
        blocks = list(model.transformer.h)
        return model.transformer.wte, blocks, {"mlp": [b.mlp for b in blocks], "attn": [b.attn for b in blocks]}
    if hasattr(model, "gpt_neox"):
        blocks = list(model.gpt_neox.layers)
        return model.gpt_neox.embed_in, blocks, {"mlp": [b.mlp for b in blocks], "attn": [b.attention for b in blocks]}
    blocks = list(model.model.layers)  # Llama, Qwen2, Mistral …
    return model.model.embed_tokens, blocks, {"mlp": [b.mlp for b in blocks], "attn": [b.self_attn for b in blocks]}


def _first(output):
    return output[0] if isinstance(output, tuple) else output


def _edit(position: int, value_of):
    """A forward hook that writes ``value_of()`` into the output at ``position`` (every row)."""

    def hook(_module, _args, output):
        _first(output)[:, position] = value_of()
        return output

    return hook


@torch.no_grad()
def paper_severing(model, input_ids, noise, token: int, target_id: int, freeze: str | None) -> np.ndarray:
    """(layers,) mean p(target) over the noise samples, by the paper's recipe."""
    embedding, blocks, modules = _paths(model)
    samples = noise.values.shape[0]
    batch = input_ids.expand(samples, -1)

    def add_noise(_module, _args, output):
        output = output.clone()
        output[:, noise.start : noise.end] += noise.values.to(output.dtype)
        return output

    clean_states: list[torch.Tensor] = []
    handles = [
        b.register_forward_hook(lambda _m, _a, out: clean_states.append(_first(out)[0, token].clone())) for b in blocks
    ]
    model(input_ids, use_cache=False)
    for handle in handles:
        handle.remove()

    kept: list[torch.Tensor] = []
    handles = [embedding.register_forward_hook(add_noise)]
    if freeze is not None:
        handles += [
            m.register_forward_hook(lambda _m, _a, out: kept.append(_first(out)[:, token].clone()))
            for m in modules[freeze]
        ]
    model(batch, use_cache=False)
    for handle in handles:
        handle.remove()

    scores = []
    for layer in range(len(blocks)):
        handles = [embedding.register_forward_hook(add_noise)]
        handles.append(blocks[layer].register_forward_hook(_edit(token, lambda layer=layer: clean_states[layer])))
        if freeze is not None:
            for later in range(layer + 1, len(blocks)):
                handles.append(
                    modules[freeze][later].register_forward_hook(_edit(token, lambda later=later: kept[later]))
                )
        logits = model(batch, use_cache=False).logits[:, -1].float()
        for handle in handles:
            handle.remove()
        scores.append(float(torch.softmax(logits, dim=-1)[:, target_id].mean()))
    return np.array(scores)


def _tiny(family: str, vocab_size: int) -> torch.nn.Module:
    configs = {
        "gpt2": lambda: tf.GPT2Config(n_layer=4, n_embd=32, n_head=4, n_positions=64, initializer_range=0.5),
        "llama": lambda: tf.LlamaConfig(**SIZE, intermediate_size=64, num_key_value_heads=2, initializer_range=0.5),
        "gpt_neox": lambda: tf.GPTNeoXConfig(**SIZE, intermediate_size=64, initializer_range=0.5),
    }
    config = configs[family]()
    config.vocab_size = vocab_size
    config.bos_token_id = config.eos_token_id = config.pad_token_id = 0
    torch.manual_seed(0)
    return tf.AutoModelForCausalLM.from_config(config).eval()


def _compare(model, tokenizer, prompt: str, subject: str, samples: int, tolerance: float):
    adapter = adapter_for(model)
    params = SeveringParams(prompt=prompt, subject=subject, samples=samples)
    result = sever(model, tokenizer, adapter, params)
    setup = set_up_trace(model, tokenizer, adapter, params)  # the same noise draws (same seed)
    for variant in ("none", "mlp", "attn"):
        expected = paper_severing(
            model, setup.prompt.input_ids, setup.noise, result.token, result.target_id,
            None if variant == "none" else variant,
        )  # fmt: skip
        np.testing.assert_allclose(result.scores[variant], expected, atol=tolerance, err_msg=variant)
    return result


@pytest.mark.parametrize("family", ["gpt2", "llama", "gpt_neox"])
def test_severing_is_the_papers_freeze_of_later_modules_at_the_restored_token(family, tiny_tokenizer) -> None:
    model = _tiny(family, len(tiny_tokenizer))
    result = _compare(model, tiny_tokenizer, PROMPT, SUBJECT, samples=4, tolerance=1e-5)
    # not on the corrupted baseline: the restored state still reaches the last token
    assert np.abs(result.scores["attn"][:-1] - result.low_score).max() > 1e-3


def _demo_fact() -> tuple[str, str]:
    """The first fact of the bundled demo world (the demo model and world ship in the package)."""
    record = json.loads((paths.DEMO_WORLD_DIR / "facts.jsonl").read_text(encoding="utf-8").splitlines()[0])
    return record["prompt"].replace("{}", record["subject"]), record["subject"]


@pytest.mark.slow
def test_severing_on_the_demo_model_matches_the_paper() -> None:
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    prompt, subject = _demo_fact()
    session = ModelSession.load(ModelSpec(source="demo", device="cpu", dtype="float32"))
    result = _compare(session.model, session.tokenizer, prompt, subject, samples=5, tolerance=1e-4)
    assert np.abs(result.scores["attn"][:-1] - result.low_score).max() > 1e-3
