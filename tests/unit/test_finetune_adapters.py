"""Adapters in a session: PEFT round trip, load, toggle, stack, merge, clear, and the A/B compare."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from model_builders import build_tiny_gpt2
from peft import PeftModel

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.core.finetune.adapters import AdapterStack, adapter_name
from workbench.core.finetune.compare import compare_adapters
from workbench.core.finetune.jobs import adapter_operation_job, adapter_stack, compare_job
from workbench.core.finetune.params import AdapterOperationParams, CompareParams, MethodConfig
from workbench.core.generation import greedy_continuations
from workbench.core.model.session import ModelSession

PROMPT = "The Eiffel Tower is located in"


def logits(model: torch.nn.Module, tokenizer, text: str = PROMPT) -> torch.Tensor:
    ids = torch.tensor([tokenizer(text)["input_ids"]])
    with torch.no_grad():
        return model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0, -ids.shape[1] :]


def trained_adapter(tokenizer, folder: Path, method: MethodConfig, seed: int = 1) -> tuple[AdapterStack, str]:
    """An adapter whose weights are far from their identity start, saved to ``folder``."""
    stack = AdapterStack(build_tiny_gpt2(len(tokenizer)))
    name = adapter_name(folder.name)
    model = stack.attach_for_training(name, method, tokenizer, None, str(folder))
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.requires_grad:
                parameter.add_(torch.randn(parameter.shape, generator=generator) * 0.5)
    stack.save(name, folder)
    return stack, name


@pytest.mark.parametrize(
    "method",
    [
        MethodConfig(method="lora", rank=4),
        MethodConfig(method="lora", rank=4, use_dora=True, use_rslora=True),
        MethodConfig(method="ia3"),
        MethodConfig(method="prompt", num_virtual_tokens=3),
        MethodConfig(method="prefix", num_virtual_tokens=3),
    ],
    ids=["lora", "dora", "ia3", "prompt", "prefix"],
)
def test_saved_adapters_load_in_plain_peft_with_the_same_logits(tiny_tokenizer, tmp_path: Path, method) -> None:
    stack, _ = trained_adapter(tiny_tokenizer, tmp_path / "my-adapter", method)
    assert {p.name for p in (tmp_path / "my-adapter").iterdir()} == {"adapter_config.json", "adapter_model.safetensors"}
    expected = logits(stack.model, tiny_tokenizer)
    plain = PeftModel.from_pretrained(build_tiny_gpt2(len(tiny_tokenizer)), str(tmp_path / "my-adapter")).eval()
    torch.testing.assert_close(logits(plain, tiny_tokenizer), expected)
    assert not torch.allclose(logits(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer), expected, atol=1e-3)

    loaded = AdapterStack(build_tiny_gpt2(len(tiny_tokenizer)))
    name = loaded.load(tmp_path / "my-adapter")
    torch.testing.assert_close(logits(loaded.model, tiny_tokenizer), expected)
    (entry,) = loaded.state().adapters
    assert (entry.name, entry.method, entry.active) == (name, method.method, True)
    assert entry.trainable_parameters == stack.state().adapters[0].trainable_parameters


@pytest.mark.parametrize(
    "method", [MethodConfig(method="lora", rank=4), MethodConfig(method="ia3")], ids=["lora", "ia3"]
)
def test_toggle_merge_unmerge_and_clear_keep_the_model_honest(tiny_tokenizer, tmp_path: Path, method) -> None:
    stack, _ = trained_adapter(tiny_tokenizer, tmp_path / "a", method)
    base = logits(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer)
    adapted = logits(stack.model, tiny_tokenizer)
    # LoRA/IA3 live in the base model itself, so every caller of the session's model sees them
    torch.testing.assert_close(logits(stack.base, tiny_tokenizer), adapted)

    stack.set_enabled(False)
    torch.testing.assert_close(logits(stack.model, tiny_tokenizer), base)
    assert not stack.state().enabled
    stack.set_enabled(True)
    torch.testing.assert_close(logits(stack.model, tiny_tokenizer), adapted)

    stack.merge()
    assert stack.state().merged
    torch.testing.assert_close(logits(stack.model, tiny_tokenizer), adapted, atol=1e-5, rtol=1e-5)
    c_attn = stack.base.transformer.h[0].attn.c_attn
    assert not torch.equal(
        c_attn.base_layer.weight, build_tiny_gpt2(len(tiny_tokenizer)).transformer.h[0].attn.c_attn.weight
    )
    stack.unmerge()
    assert not stack.state().merged
    torch.testing.assert_close(logits(stack.model, tiny_tokenizer), adapted, atol=1e-5, rtol=1e-5)

    stack.merge()
    stack.clear()  # unmerges, then removes the layers
    assert stack.names == [] and stack.model is stack.base
    assert type(stack.base.transformer.h[0].attn.c_attn).__name__ == "Conv1D"
    torch.testing.assert_close(logits(stack.base, tiny_tokenizer), base, atol=1e-5, rtol=1e-5)


def test_stacked_lora_adapters_add_their_updates(tiny_tokenizer, tmp_path: Path) -> None:
    trained_adapter(
        tiny_tokenizer, tmp_path / "first", MethodConfig(method="lora", rank=2, target_modules=("attn.c_attn",)), seed=1
    )
    trained_adapter(
        tiny_tokenizer, tmp_path / "second", MethodConfig(method="lora", rank=2, target_modules=("mlp.c_fc",)), seed=2
    )
    stack = AdapterStack(build_tiny_gpt2(len(tiny_tokenizer)))
    first, second = stack.load(tmp_path / "first"), stack.load(tmp_path / "second")
    assert [a.active for a in stack.state().adapters] == [False, True]
    only_second = logits(stack.model, tiny_tokenizer)
    stack.activate([first])
    only_first = logits(stack.model, tiny_tokenizer)
    stack.activate([first, second])
    both = logits(stack.model, tiny_tokenizer)
    assert [a.active for a in stack.state().adapters] == [True, True]
    assert not torch.allclose(both, only_first, atol=1e-3) and not torch.allclose(both, only_second, atol=1e-3)
    # stacking equals loading both adapters into one plain peft model and activating both
    plain = PeftModel.from_pretrained(build_tiny_gpt2(len(tiny_tokenizer)), str(tmp_path / "first"), adapter_name="x")
    plain.load_adapter(str(tmp_path / "second"), adapter_name="y")
    plain.base_model.set_adapter(["x", "y"])
    torch.testing.assert_close(logits(plain, tiny_tokenizer), both)


def test_incompatible_adapters_are_refused_and_leave_the_stack_as_it_was(tiny_tokenizer, tmp_path: Path) -> None:
    trained_adapter(tiny_tokenizer, tmp_path / "lora", MethodConfig(method="lora", rank=2))
    trained_adapter(tiny_tokenizer, tmp_path / "soft", MethodConfig(method="prompt", num_virtual_tokens=2))
    stack = AdapterStack(build_tiny_gpt2(len(tiny_tokenizer)))
    stack.load(tmp_path / "lora")
    adapted = logits(stack.model, tiny_tokenizer)
    with pytest.raises(InvalidParameters, match="cannot be layered on lora adapters"):
        stack.load(tmp_path / "soft")
    with pytest.raises(InvalidParameters, match="not an adapter folder"):
        stack.load(tmp_path)
    with pytest.raises(InvalidParameters, match="already applied"):
        stack.load(tmp_path / "lora")
    assert [a.name for a in stack.state().adapters] == ["lora_adapter"]
    torch.testing.assert_close(logits(stack.model, tiny_tokenizer), adapted)


def test_an_adapter_for_another_model_shape_is_refused_cleanly(tiny_tokenizer, tmp_path: Path) -> None:
    trained_adapter(tiny_tokenizer, tmp_path / "a", MethodConfig(method="lora", rank=2))
    wider = build_tiny_gpt2(len(tiny_tokenizer), n_embd=64)
    before = logits(wider, tiny_tokenizer)
    stack = AdapterStack(wider)
    with pytest.raises(InvalidParameters, match="does not fit this model"):
        stack.load(tmp_path / "a")
    assert stack.names == [] and type(wider.transformer.h[0].attn.c_attn).__name__ == "Conv1D"
    torch.testing.assert_close(logits(wider, tiny_tokenizer), before)


def test_bitfit_biases_save_load_and_toggle(tiny_tokenizer, tmp_path: Path) -> None:
    stack, _ = trained_adapter(tiny_tokenizer, tmp_path / "bias", MethodConfig(method="bitfit"))
    adapted = logits(stack.model, tiny_tokenizer)
    base_model = build_tiny_gpt2(len(tiny_tokenizer))
    base = logits(base_model, tiny_tokenizer)
    loaded = AdapterStack(base_model)
    loaded.load(tmp_path / "bias")
    torch.testing.assert_close(logits(loaded.model, tiny_tokenizer), adapted)
    loaded.set_enabled(False)
    torch.testing.assert_close(logits(loaded.model, tiny_tokenizer), base)
    loaded.set_enabled(True)
    torch.testing.assert_close(logits(loaded.model, tiny_tokenizer), adapted)
    with pytest.raises(InvalidParameters, match="merged"):
        loaded.merge()
    loaded.clear()
    torch.testing.assert_close(logits(base_model, tiny_tokenizer), base)


def test_compare_shows_base_and_adapted_side_by_side(tiny_tokenizer, tmp_path: Path) -> None:
    stack, _ = trained_adapter(tiny_tokenizer, tmp_path / "a", MethodConfig(method="lora", rank=4))
    stack.merge()
    base_model = build_tiny_gpt2(len(tiny_tokenizer))
    prompts = [PROMPT, "北京是中国的"]
    text = "Danielle Darrieux's mother tongue is French."
    result = compare_adapters(stack, tiny_tokenizer, prompts, text, 5, Progress(), CancelToken())
    assert result.base_generations == greedy_continuations(base_model, tiny_tokenizer, prompts, 5)
    assert result.adapted_generations == greedy_continuations(stack.model, tiny_tokenizer, prompts, 5)
    assert result.base_generations != result.adapted_generations
    probabilities = result.probabilities
    assert probabilities is not None
    n = len(tiny_tokenizer(text)["input_ids"]) - 1
    assert len(probabilities.tokens) == n == len(probabilities.base) == len(probabilities.adapted)
    assert result.base_perplexity == pytest.approx(float(np.exp(-np.log(probabilities.base).mean())))
    ids = tiny_tokenizer(text)["input_ids"]
    expected = torch.softmax(logits(base_model, tiny_tokenizer, text).double(), -1)[torch.arange(n), ids[1:]]
    np.testing.assert_allclose(probabilities.base, expected.numpy(), rtol=1e-4)
    assert np.abs(probabilities.change).max() > 1e-4
    assert stack.state().merged and stack.state().enabled  # the comparison put everything back


def test_adapter_jobs_work_on_a_session(tiny_tokenizer, tmp_path: Path) -> None:
    trained_adapter(tiny_tokenizer, tmp_path / "a", MethodConfig(method="prompt", num_virtual_tokens=2))
    session = ModelSession.wrap(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer)
    ctx = JobContext(model=session)
    run = lambda params: adapter_operation_job(ctx, params, Progress(), CancelToken())  # noqa: E731
    state = run(AdapterOperationParams(action="load", folder=str(tmp_path / "a"), names=("soft",)))
    assert [(a.name, a.method, a.active) for a in state.adapters] == [("soft", "prompt", True)]
    assert adapter_stack(session).model is not session.model  # prompt tuning acts through the wrapper
    assert run(AdapterOperationParams(action="state")) == state  # asking changes nothing
    assert not run(AdapterOperationParams(action="disable")).enabled
    assert adapter_stack(session).model is session.model
    run(AdapterOperationParams(action="enable"))
    result = compare_job(
        ctx, CompareParams(prompts=(PROMPT,), eval_text=PROMPT, max_new_tokens=3), Progress(), CancelToken()
    )
    assert result.adapted_perplexity != result.base_perplexity
    assert run(AdapterOperationParams(action="clear")).adapters == []
    with pytest.raises(InvalidParameters, match="No adapter is applied"):
        compare_job(ctx, CompareParams(prompts=(PROMPT,)), Progress(), CancelToken())


def test_compare_scores_prompt_tuned_text_at_the_right_positions(tiny_tokenizer, tmp_path: Path) -> None:
    stack, _ = trained_adapter(tiny_tokenizer, tmp_path / "soft", MethodConfig(method="prompt", num_virtual_tokens=3))
    text = "Danielle Darrieux's mother tongue is French."
    result = compare_adapters(stack, tiny_tokenizer, [], text, 1, Progress(), CancelToken())
    ids = tiny_tokenizer(text)["input_ids"]
    rows = torch.softmax(logits(stack.model, tiny_tokenizer, text).double(), -1)  # soft-prompt rows dropped
    expected = rows[torch.arange(len(ids) - 1), ids[1:]]
    np.testing.assert_allclose(result.probabilities.adapted, expected.numpy(), rtol=1e-4)

    # a text longer than the context left by the soft prompt is read in windows, not refused
    long = " ".join([text] * 8)
    assert len(tiny_tokenizer(long)["input_ids"]) > 64
    result = compare_adapters(stack, tiny_tokenizer, [], long, 1, Progress(), CancelToken())
    assert np.isfinite(result.adapted_perplexity) and np.isfinite(result.probabilities.adapted).all()
