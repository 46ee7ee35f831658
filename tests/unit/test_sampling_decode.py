"""Greedy, sampling and beam search against ``transformers`` ``generate``, and what the records hold."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter

import numpy as np
import pytest
import torch
from model_builders import build_tiny_llama

from workbench.base.errors import InvalidParameters
from workbench.core.sampling.beam import run_beam_search
from workbench.core.sampling.decode import SamplingSession
from workbench.core.sampling.jobs import generate
from workbench.core.sampling.lm import LanguageModel
from workbench.core.sampling.params import SamplingParams

PROMPT = "Once upon a time a giraffe"


def _tiny_gpt2(vocab_size: int):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    config = GPT2Config(
        vocab_size=vocab_size, n_positions=96, n_embd=32, n_layer=2, n_head=4,
        initializer_range=0.4, bos_token_id=0, eos_token_id=0, pad_token_id=0,
    )  # fmt: skip
    return GPT2LMHeadModel(config).eval()


def _tiny_llama(vocab_size: int):
    return build_tiny_llama(
        vocab_size, max_position_embeddings=96, initializer_range=0.4, bos_token_id=0, eos_token_id=0, pad_token_id=0
    )


@pytest.fixture(scope="module", params=["gpt2", "llama"])
def lm(request, tiny_tokenizer) -> LanguageModel:
    """A tiny random model with peaked distributions (large init), so greedy text is not one token repeated."""
    build = {"gpt2": _tiny_gpt2, "llama": _tiny_llama}[request.param]
    return LanguageModel(build(len(tiny_tokenizer)), tiny_tokenizer)


def _hf_generate(lm: LanguageModel, eos: int | None = None, **settings) -> tuple[torch.Tensor, int]:
    inputs = lm.tokenizer(PROMPT, return_tensors="pt")
    output = lm.model.generate(**inputs, eos_token_id=eos, pad_token_id=0, **settings)
    return output, inputs["input_ids"].shape[1]


def _params(**changes) -> SamplingParams:
    return SamplingParams(**{"prompt": PROMPT, "max_new_tokens": 24, "stop_at_eos": False, **changes})


# -- exactness ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [{}, {"repetition_penalty": 1.5}, {"no_repeat_ngram_size": 2}],
    ids=["plain", "repetition-penalty", "no-repeat-2gram"],
)
def test_greedy_gives_exactly_the_ids_of_generate(lm, settings) -> None:
    ours = generate(lm, _params(strategy="greedy", **settings))
    theirs, prompt_length = _hf_generate(lm, max_new_tokens=24, do_sample=False, **settings)
    assert ours.token_ids.tolist() == theirs[0, prompt_length:].tolist()
    assert len(set(ours.token_ids.tolist())) > 3  # a real test: the text is not one token repeated


@pytest.mark.parametrize(
    "settings",
    [
        {"temperature": 0.7},
        {"top_k": 5},
        {"top_p": 0.8, "top_k": 0},
        {"min_p": 0.1, "top_k": 0},
        {"typical_p": 0.6, "top_k": 0},
        {"temperature": 1.3, "top_k": 40, "top_p": 0.9, "repetition_penalty": 1.2, "no_repeat_ngram_size": 3},
    ],
    ids=["temperature", "top-k", "top-p", "min-p", "typical", "all"],
)
def test_seeded_sampling_gives_the_ids_of_generate_with_the_same_seed(lm, settings) -> None:
    ours = generate(lm, _params(strategy="sample", seed=11, **settings))
    torch.manual_seed(11)
    theirs, prompt_length = _hf_generate(lm, max_new_tokens=24, do_sample=True, **settings)
    assert ours.token_ids.tolist() == theirs[0, prompt_length:].tolist()


def test_seeded_sampling_is_reproducible_and_the_seed_matters(lm) -> None:
    params = _params(strategy="sample", temperature=1.5, top_k=0, seed=7)
    first = generate(lm, params).token_ids.tolist()
    torch.manual_seed(123)  # the global generator must not matter
    assert generate(lm, params).token_ids.tolist() == first
    assert generate(lm, dataclasses.replace(params, seed=8)).token_ids.tolist() != first


def test_a_run_without_seed_records_the_seed_that_reproduces_it(lm) -> None:
    result = generate(lm, _params(strategy="sample", temperature=1.5, top_k=0, seed=None))
    again = generate(lm, _params(strategy="sample", temperature=1.5, top_k=0, seed=result.seed))
    assert again.token_ids.tolist() == result.token_ids.tolist()


def _eos_that_beam_search_meets(lm: LanguageModel, **settings) -> int:
    """The token beam search weighs most often, so making it EOS ends many hypotheses mid-search
    (and lets early stopping end some searches before the length limit)."""
    probe = run_beam_search(lm, _params(strategy="beam", max_new_tokens=16, **settings))
    weighed = Counter(int(token) for step in probe.beam.steps[1:] for token in step.token_ids)
    return weighed.most_common(1)[0][0]


@pytest.mark.parametrize(
    "settings",
    [
        {"num_beams": 3},
        {"num_beams": 4, "num_return_sequences": 3},
        {"num_beams": 3, "length_penalty": 0.0},
        {"num_beams": 3, "length_penalty": 2.0, "num_return_sequences": 2},
        {"num_beams": 4, "early_stopping": True, "num_return_sequences": 2},
        {"num_beams": 3, "early_stopping": "never", "length_penalty": 1.5},
        {"num_beams": 2, "length_penalty": -1.0},
        {"num_beams": 3, "repetition_penalty": 1.3, "no_repeat_ngram_size": 2},
    ],
    ids=["plain", "return-3", "lp0", "lp2", "early-stop", "never", "lp-neg", "processors"],
)
@pytest.mark.parametrize("with_eos", [False, True], ids=["no-eos", "eos"])
def test_beam_search_returns_the_sequences_and_scores_of_generate(lm, settings, with_eos) -> None:
    eos = _eos_that_beam_search_meets(lm, **settings) if with_eos else None
    model = lm.model
    saved = model.generation_config.eos_token_id
    model.generation_config.eos_token_id = eos
    try:
        ours = run_beam_search(lm, _params(strategy="beam", max_new_tokens=16, stop_at_eos=with_eos, **settings))
        theirs, prompt_length = _hf_generate(
            lm, eos=eos, max_new_tokens=16, return_dict_in_generate=True, output_scores=True, **settings
        )
    finally:
        model.generation_config.eos_token_id = saved
    assert len(ours.sequences) == len(theirs.sequences)
    for sequence, expected, expected_score in zip(ours.sequences, theirs.sequences, theirs.sequences_scores):
        expected = expected[prompt_length:].tolist()
        assert sequence.token_ids.tolist() == expected[: len(sequence.token_ids)]
        assert set(expected[len(sequence.token_ids) :]) <= {eos}  # generate pads shorter ones with EOS
        assert sequence.score == pytest.approx(float(expected_score), abs=1e-4)
    if with_eos:  # the EOS really ended hypotheses before the length limit
        assert any(status == "finished" for step in ours.beam.steps[:-1] for status in step.status)


# -- the KV cache ---------------------------------------------------------------------------


def _count_forwards(model) -> tuple[list[int], object]:
    lengths: list[int] = []
    handle = model.register_forward_pre_hook(
        lambda _m, args, kwargs: lengths.append(kwargs["input_ids"].shape[1]), with_kwargs=True
    )
    return lengths, handle


def test_each_new_token_costs_one_forward_of_one_position(lm) -> None:
    lengths, handle = _count_forwards(lm.model)
    try:
        result = generate(lm, _params(strategy="sample", max_new_tokens=10))
    finally:
        handle.remove()
    prompt_length = len(result.prompt_ids)
    assert lengths == [prompt_length] + [1] * 9  # the prompt once; the last token needs no forward


def test_beam_search_runs_the_prompt_once_and_one_position_per_beam_after(lm) -> None:
    lengths, handle = _count_forwards(lm.model)
    try:
        result = run_beam_search(lm, _params(strategy="beam", num_beams=3, max_new_tokens=8))
    finally:
        handle.remove()
    assert lengths == [len(result.prompt_ids)] + [1] * 7


# -- stopping -------------------------------------------------------------------------------


def test_a_stop_string_ends_generation_at_the_token_that_completes_it(lm) -> None:
    full = generate(lm, _params(strategy="greedy"))
    stop = full.text[len(full.text) // 2 : len(full.text) // 2 + 2]
    stopped = generate(lm, _params(strategy="greedy", stop_strings=(stop,)))
    assert stopped.stop_reason == "stop_string"
    assert stop in stopped.text
    assert stop not in lm.tokenizer.decode(stopped.token_ids[:-1].tolist())
    assert full.token_ids[: len(stopped.token_ids)].tolist() == stopped.token_ids.tolist()


def test_generation_stops_at_the_end_of_sequence_token(lm) -> None:
    full = generate(lm, _params(strategy="greedy"))
    eos = int(full.token_ids[5])
    model = lm.model
    saved = model.generation_config.eos_token_id
    model.generation_config.eos_token_id = eos
    try:
        stopped = generate(lm, _params(strategy="greedy", stop_at_eos=True))
    finally:
        model.generation_config.eos_token_id = saved
    assert stopped.stop_reason == "eos"
    assert stopped.token_ids.tolist() == full.token_ids[: list(full.token_ids).index(eos) + 1].tolist()


def test_a_run_that_does_not_fit_the_context_is_refused(lm) -> None:
    with pytest.raises(InvalidParameters, match="context"):
        generate(lm, _params(max_new_tokens=200))


# -- records --------------------------------------------------------------------------------


def test_step_records_hold_exact_probabilities_of_the_top_candidates(lm) -> None:
    result = generate(lm, _params(strategy="sample", top_k=20, top_p=0.7, temperature=0.9, max_new_tokens=6))
    context = torch.tensor([result.prompt_ids.tolist() + result.token_ids.tolist()])
    with torch.inference_mode():
        log_probs = lm.model(context).logits[0].float().log_softmax(-1)
    for index, step in enumerate(result.steps):
        expected = log_probs[len(result.prompt_ids) - 1 + index]
        assert step.stage_names == ("temperature", "top_k", "top_p")
        assert step.chosen_id == result.token_ids[index] == step.candidate_ids[step.chosen_index]
        np.testing.assert_allclose(step.raw_probs, expected[step.candidate_ids].exp().numpy(), rtol=1e-4)
        assert step.chosen_logprob == pytest.approx(float(expected[step.chosen_id]), abs=1e-4)
        assert step.entropy == pytest.approx(float(-(expected.exp() * expected).sum()), abs=1e-4)
        assert np.all(np.diff(step.raw_logits[:20]) <= 0)  # the top-N, most likely first
        # What a stage removed has probability 0 from then on, and the chosen token survived.
        for stage in range(len(step.stage_names)):
            assert np.all(step.stage_probs[stage:, step.removed[stage]] == 0)
        assert step.final_probs[step.chosen_index] > 0
        assert step.final_probs.sum() == pytest.approx(1.0, abs=1e-4)  # top-p 0.7 kept fewer than 20


def test_the_chosen_token_is_recorded_even_outside_the_top_n(lm) -> None:
    result = generate(lm, _params(strategy="sample", temperature=3.0, top_k=0, top_n=3, max_new_tokens=20))
    outside = [step for step in result.steps if step.chosen_index == 3]
    assert outside, "with temperature 3 some token comes from outside the top 3"
    for step in outside:
        assert len(step.candidate_ids) == 4 and step.candidate_ids[3] == step.chosen_id
    assert all(len(step.candidate_ids) == 3 for step in result.steps if step.chosen_index < 3)


def test_beam_result_follows_the_best_sequence_through_the_tree(lm) -> None:
    result = run_beam_search(lm, _params(strategy="beam", num_beams=3, max_new_tokens=10))
    best = result.sequences[0]
    assert result.token_ids.tolist() == best.token_ids.tolist()
    tree = result.beam.steps
    assert len(tree) == 10 and all(len(step.token_ids) == 6 for step in tree)
    # Walking the path reproduces the tokens, each node's parent is the previous node.
    for step, node in enumerate(best.path):
        assert tree[step].token_ids[node] == best.token_ids[step]
        assert tree[step].parent[node] == (best.path[step - 1] if step else -1)
        assert tree[step].status[node] == ("finished" if step == len(best.path) - 1 else "live")
    assert best.logprob == pytest.approx(float(tree[-1].scores[best.path[-1]]))
    assert [step.chosen_id for step in result.steps] == best.token_ids.tolist()
    # Each live beam at a step is the parent of the next step's candidates.
    for previous, step in itertools.pairwise(tree):
        live = {i for i, status in enumerate(previous.status) if status == "live"}
        assert set(step.parent.tolist()) <= live
        assert sum(status == "live" for status in previous.status) == 3


# -- step mode and branches -----------------------------------------------------------------


def test_step_mode_one_token_per_call_equals_a_whole_run(lm) -> None:
    params = _params(strategy="sample", temperature=1.2, max_new_tokens=8, seed=3)
    session = SamplingSession(lm, params)
    lengths, handle = _count_forwards(lm.model)
    try:
        first = session.step()
        assert len(lengths) == 1 and session.result().token_ids.tolist() == [first.chosen_id]
        session.step()
        assert lengths[1:] == [1]  # the cache was kept between calls
        while not session.finished:
            session.step()
    finally:
        handle.remove()
    assert session.result().token_ids.tolist() == generate(lm, params).token_ids.tolist()
    with pytest.raises(InvalidParameters):
        session.step()


def test_a_branch_regenerates_from_an_alternative_token(lm) -> None:
    original = generate(lm, _params(strategy="greedy", max_new_tokens=12))
    step = original.steps[4]
    alternative = int(step.candidate_ids[2])
    forced = (*original.token_ids[:4].tolist(), alternative)
    branch = generate(lm, _params(strategy="greedy", max_new_tokens=12, forced_prefix_ids=forced))
    assert branch.token_ids[:5].tolist() == list(forced)
    assert [s.forced for s in branch.steps] == [True] * 5 + [False] * 7
    assert branch.steps[4].chosen_id == alternative
    np.testing.assert_allclose(branch.steps[4].raw_probs, step.raw_probs, rtol=1e-5)
    # The continuation is what greedy gives after that prefix, and it differs from the original.
    continuation = branch.token_ids[5:].tolist()
    assert continuation == _greedy_after(lm, original.prompt_ids.tolist() + list(forced), 7)
    assert continuation != original.token_ids[5:].tolist()


def _greedy_after(lm: LanguageModel, ids: list[int], count: int) -> list[int]:
    output = lm.model.generate(
        torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
        max_new_tokens=count, do_sample=False, eos_token_id=None, pad_token_id=0,
    )  # fmt: skip
    return output[0, len(ids) :].tolist()
