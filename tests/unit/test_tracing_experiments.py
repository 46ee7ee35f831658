"""Severing, the clicked cell's top-k, averaging over facts and the cost estimate."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import transformers as tf

from workbench.core.model.arch import adapter_for
from workbench.core.model.session import ModelSession
from workbench.core.tracing.averaging import average_effects, token_groups
from workbench.core.tracing.cost import estimate_trace_cost
from workbench.core.tracing.facts import Fact
from workbench.core.tracing.noise import embedding_std, make_noise
from workbench.core.tracing.params import AveragingParams, RestoredTopKParams, SeveringParams, TraceParams
from workbench.core.tracing.prompt import prepare_prompt
from workbench.core.tracing.reference import straightforward_restored_probs
from workbench.core.tracing.results import SEVERED, TOKEN_GROUPS, AveragingResult
from workbench.core.tracing.severing import sever
from workbench.core.tracing.trace import restored_topk, trace

PROMPT = "The Eiffel Tower is in the city of"
SUBJECT = "Eiffel Tower"


def _model(config: tf.PretrainedConfig) -> torch.nn.Module:
    config.bos_token_id = config.eos_token_id = config.pad_token_id = 0
    torch.manual_seed(0)
    return tf.AutoModelForCausalLM.from_config(config).eval()


@pytest.fixture(scope="module")
def gpt2(tiny_tokenizer):
    config = tf.GPT2Config(n_layer=3, n_embd=32, n_head=4, n_positions=64, initializer_range=0.5)
    config.vocab_size = len(tiny_tokenizer)
    return _model(config)


@pytest.fixture(scope="module")
def llama(tiny_tokenizer):
    config = tf.LlamaConfig(
        num_hidden_layers=3,
        hidden_size=32,
        intermediate_size=64,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=64,
        vocab_size=len(tiny_tokenizer),
        initializer_range=0.5,
    )
    return _model(config)


@pytest.mark.parametrize("family", ["gpt2", "llama"])
def test_severing_matches_the_straightforward_freeze_of_later_modules(family, request, tiny_tokenizer) -> None:
    model = request.getfixturevalue(family)
    adapter = adapter_for(model)
    params = SeveringParams(prompt=PROMPT, subject=SUBJECT, samples=3)
    result = sever(model, tiny_tokenizer, adapter, params)
    prompt = prepare_prompt(tiny_tokenizer, PROMPT, SUBJECT, None, torch.device("cpu"))
    sigma = embedding_std(model, adapter, tiny_tokenizer, [PROMPT])
    noise = make_noise(model, adapter, prompt, kind="gaussian", multiplier=3, sigma=sigma, samples=3, seed=0)
    assert result.token == prompt.subject_range[1] - 1
    for variant in SEVERED:
        for layer in range(3):
            freeze = None if variant == "none" else variant
            probs = straightforward_restored_probs(
                model, adapter, prompt.input_ids, noise, result.token, "hidden", [layer], freeze
            )
            expected = probs[:, result.target_id].numpy()
            assert result.scores[variant][layer] == pytest.approx(expected.mean(), abs=1e-5), (variant, layer)
            assert result.spread[variant][layer] == pytest.approx(expected.std(), abs=1e-5)
    # freezing changes the restored runs (else the plot would show nothing)
    assert np.abs(result.scores["mlp"] - result.scores["none"]).max() > 1e-3
    assert np.abs(result.scores["attn"] - result.scores["none"]).max() > 1e-3


def test_severing_without_freezing_is_the_hidden_heatmap_column(gpt2, tiny_tokenizer) -> None:
    adapter = adapter_for(gpt2)
    severed = sever(gpt2, tiny_tokenizer, adapter, SeveringParams(prompt=PROMPT, subject=SUBJECT, samples=3))
    hidden = TraceParams(prompt=PROMPT, subject=SUBJECT, samples=3, kinds=("hidden",))
    traced = trace(gpt2, tiny_tokenizer, adapter, hidden)
    np.testing.assert_allclose(severed.scores["none"], traced.scores["hidden"][severed.token], atol=1e-6)
    assert severed.low_score == pytest.approx(traced.low_score)
    assert severed.high_score == pytest.approx(traced.high_score)
    # severing at the last layer freezes nothing later, so all variants agree there
    assert len({round(float(severed.scores[v][-1]), 6) for v in SEVERED}) == 1


@pytest.mark.parametrize("kind", ["hidden", "mlp"])
def test_restored_topk_of_a_cell_agrees_with_the_trace(kind, gpt2, tiny_tokenizer) -> None:
    base = dict(prompt=PROMPT, subject=SUBJECT, samples=4, window=2)
    traced = trace(gpt2, tiny_tokenizer, adapter_for(gpt2), TraceParams(**base, kinds=(kind,)))
    token, layer = traced.subject_range[1] - 1, 1
    params = RestoredTopKParams(**base, token=token, layer=layer, kind=kind, k=5)
    cell = restored_topk(gpt2, tiny_tokenizer, adapter_for(gpt2), params)
    assert cell.target_probs.shape == (4,)
    assert cell.target_probs.mean() == pytest.approx(traced.scores[kind][token, layer], abs=1e-6)
    assert cell.target_probs.std() == pytest.approx(traced.spread[kind][token, layer], abs=1e-6)
    probs = [p.prob for p in cell.predictions]
    assert len(probs) == 5 and probs == sorted(probs, reverse=True) and sum(probs) <= 1 + 1e-6
    assert cell.restored_layers == ([1] if kind == "hidden" else [0, 1])


def test_restoring_the_last_state_predicts_what_the_clean_model_predicts(gpt2, tiny_tokenizer) -> None:
    params = RestoredTopKParams(prompt=PROMPT, subject=SUBJECT, samples=2, token=-1, layer=2, kind="hidden", k=3)
    cell = restored_topk(gpt2, tiny_tokenizer, adapter_for(gpt2), params)
    params = TraceParams(prompt=PROMPT, subject=SUBJECT, samples=2, kinds=("hidden",))
    traced = trace(gpt2, tiny_tokenizer, adapter_for(gpt2), params)
    assert [p.token_id for p in cell.predictions] == [p.token_id for p in traced.top_predictions[:3]]
    np.testing.assert_allclose(cell.target_probs, traced.high_score, atol=1e-6)


FACTS = (
    Fact(subject="Eiffel Tower", prompt="The {} is in the city of", target="Paris"),
    Fact(subject="Danielle Darrieux", prompt="{}'s mother tongue is", target="French"),
    Fact(subject="Lumora", prompt="{} is a city in", target="Vestland"),
)


def test_token_groups_follow_roles_around_the_subject() -> None:
    assert token_groups((1, 5), 9) == [[1], [2, 3], [4], [5], [6, 7], [8]]
    assert token_groups((0, 1), 3) == [[0], [], [0], [1], [], [2]]
    assert token_groups((2, 4), 4) == [[2], [], [3], [], [], [3]]


def test_averaging_one_fact_equals_its_trace_by_token_group(gpt2, tiny_tokenizer) -> None:
    fact = FACTS[0]
    adapter = adapter_for(gpt2)
    one_fact = AveragingParams(facts=(fact,), samples=3, only_known=False)
    averaged = average_effects(gpt2, tiny_tokenizer, adapter, one_fact)
    params = TraceParams(prompt=fact.text, subject=fact.subject, target=fact.target, samples=3)
    traced = trace(gpt2, tiny_tokenizer, adapter, params)
    groups = token_groups(traced.subject_range, len(traced.tokens))
    assert averaged.facts_traced == 1 and averaged.complete
    for kind in ("hidden", "mlp", "attn"):
        assert averaged.effects[kind].shape == (len(TOKEN_GROUPS), 3)
        for g, positions in enumerate(groups):
            if positions:
                expected = (traced.scores[kind][positions] - traced.low_score).mean(axis=0)
                np.testing.assert_allclose(averaged.effects[kind][g], expected, atol=1e-6)
            else:
                assert np.isnan(averaged.effects[kind][g]).all()
    assert list(averaged.group_counts) == [1 if positions else 0 for positions in groups]


def test_averaging_skips_and_counts_facts_the_model_does_not_know(gpt2, tiny_tokenizer) -> None:
    snapshots: list[AveragingResult] = []

    def keep(fraction: float, message: str, partial: object = None) -> None:
        snapshots.append(partial)

    params = AveragingParams(facts=FACTS, samples=2, kinds=("hidden",), only_known=True)
    result = average_effects(gpt2, tiny_tokenizer, adapter_for(gpt2), params, keep)
    # a random model does not know these facts (its top prediction is not the object)
    assert result.facts_skipped == 3 and result.facts_traced == 0
    assert result.skipped_subjects == [fact.subject for fact in FACTS]
    all_facts = AveragingParams(facts=FACTS, samples=2, kinds=("hidden",), only_known=False)
    everything = average_effects(gpt2, tiny_tokenizer, adapter_for(gpt2), all_facts, keep)
    assert everything.facts_traced == 3 and everything.group_counts[0] == 3
    traced_counts = [s.facts_traced for s in snapshots if isinstance(s, AveragingResult)]
    # a snapshot after each fact (carried by every later report, so throttling cannot drop it), then the result
    assert set(traced_counts) == {0, 1, 2, 3} and traced_counts == sorted(traced_counts)


def test_cost_estimate_counts_the_passes_a_fast_trace_makes(gpt2, tiny_tokenizer) -> None:
    info = ModelSession.wrap(gpt2, tiny_tokenizer).info
    for samples, batch_tokens in ((3, 64), (2, 1024)):
        params = TraceParams(prompt=PROMPT, subject=SUBJECT, samples=samples)
        result = trace(gpt2, tiny_tokenizer, adapter_for(gpt2), params, batch_tokens=batch_tokens)
        cost = estimate_trace_cost(params, info, len(result.tokens), result.subject_range[0], batch_tokens)
        assert cost.forward_passes == result.forward_passes
        assert cost.straightforward_passes == len(result.tokens) * 3 * 3 + 2
        assert cost.flops < cost.straightforward_flops and cost.seconds > 0
