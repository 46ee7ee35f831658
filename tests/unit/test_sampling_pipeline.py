"""The sampler pipeline: each stage equals its ``transformers`` processor; the numpy replay equals both."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers.generation.logits_process import (
    MinPLogitsWarper,
    NoRepeatNGramLogitsProcessor,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
    TypicalLogitsWarper,
)

from workbench.base.errors import InvalidParameters
from workbench.core.sampling import pipeline
from workbench.core.sampling.params import SamplingParams
from workbench.core.sampling.records import StepRecord
from workbench.core.sampling.replay import replay_distribution, replay_step

VOCAB = 300


def _random_scores(seed: int, rows: int = 4, spread: float = 3.0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(rows, VOCAB, generator=generator) * spread


def _random_context(seed: int, rows: int = 4, length: int = 40) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed + 1000)
    # A small alphabet so n-grams repeat and the no-repeat processor has work to do.
    return torch.randint(0, 12, (rows, length), generator=generator)


CASES = [
    ("temperature 0.7", pipeline.temperature(0.7), TemperatureLogitsWarper(0.7)),
    ("temperature 1.8", pipeline.temperature(1.8), TemperatureLogitsWarper(1.8)),
    ("top-k 1", pipeline.top_k(1), TopKLogitsWarper(1)),
    ("top-k 17", pipeline.top_k(17), TopKLogitsWarper(17)),
    ("top-k 5 keep 8", pipeline.top_k(5, 8), TopKLogitsWarper(5, min_tokens_to_keep=8)),
    ("top-p 0.1", pipeline.top_p(0.1), TopPLogitsWarper(0.1)),
    ("top-p 0.9", pipeline.top_p(0.9), TopPLogitsWarper(0.9)),
    ("top-p 0.5 keep 3", pipeline.top_p(0.5, 3), TopPLogitsWarper(0.5, min_tokens_to_keep=3)),
    ("min-p 0.05", pipeline.min_p(0.05), MinPLogitsWarper(0.05)),
    ("min-p 0.3", pipeline.min_p(0.3), MinPLogitsWarper(0.3)),
    ("typical 0.2", pipeline.typical(0.2), TypicalLogitsWarper(0.2)),
    ("typical 0.95", pipeline.typical(0.95), TypicalLogitsWarper(0.95)),
    ("repetition 1.3", pipeline.repetition_penalty(1.3), RepetitionPenaltyLogitsProcessor(1.3)),
    ("repetition 0.7", pipeline.repetition_penalty(0.7), RepetitionPenaltyLogitsProcessor(0.7)),
    ("no-repeat 1", pipeline.no_repeat_ngram(1), NoRepeatNGramLogitsProcessor(1)),
    ("no-repeat 2", pipeline.no_repeat_ngram(2), NoRepeatNGramLogitsProcessor(2)),
    ("no-repeat 3", pipeline.no_repeat_ngram(3), NoRepeatNGramLogitsProcessor(3)),
]


@pytest.mark.parametrize(("label", "ours", "reference"), CASES, ids=[case[0] for case in CASES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_stage_equals_the_transformers_processor_of_the_same_name(label, ours, reference, seed) -> None:
    scores = _random_scores(seed)
    context = _random_context(seed)
    expected = reference(context, scores.clone())
    actual = ours(context, scores.clone())
    assert torch.equal(torch.isneginf(actual), torch.isneginf(expected)), label
    finite = torch.isfinite(expected)
    torch.testing.assert_close(actual[finite], expected[finite], rtol=0, atol=0)


def test_stages_change_something_on_these_inputs() -> None:
    """Guards the test above: on its inputs every filter removes tokens and every rescaler rescales."""
    scores, context = _random_scores(0), _random_context(0)
    for label, ours, _reference in CASES:
        changed = ours(context, scores.clone())
        assert not torch.equal(changed, scores), label


def test_build_stages_runs_processors_first_then_warpers_in_the_users_order() -> None:
    params = SamplingParams(
        prompt="x",
        strategy="sample",
        repetition_penalty=1.2,
        no_repeat_ngram_size=2,
        temperature=0.8,
        top_k=10,
        top_p=0.9,
        pipeline=("top_p", "temperature", "top_k"),
    )
    names = [name for name, _stage in pipeline.build_stages(params)]
    assert names == ["repetition_penalty", "no_repeat_ngram", "top_p", "temperature", "top_k"]


def test_greedy_and_beam_use_processors_but_no_warpers() -> None:
    for strategy in ("greedy", "beam"):
        params = SamplingParams(prompt="x", strategy=strategy, repetition_penalty=1.2, temperature=0.5, top_p=0.5)
        assert [name for name, _ in pipeline.build_stages(params)] == ["repetition_penalty"]


def test_neutral_settings_leave_the_stage_out() -> None:
    params = SamplingParams(prompt="x", strategy="sample", top_k=0)
    assert pipeline.build_stages(params) == []


@pytest.mark.parametrize(
    ("changes", "phrase"),
    [
        ({"prompt": "  "}, "prompt is empty"),
        ({"top_p": 0.0}, "Top-p"),
        ({"top_p": 1.5}, "Top-p"),
        ({"temperature": 0.0}, "Temperature"),
        ({"pipeline": ("top_k", "top_k")}, "pipeline"),
        ({"pipeline": ("nucleus",)}, "pipeline"),
        ({"num_return_sequences": 2}, "several sequences"),
        ({"stop_strings": ("",)}, "stop string"),
    ],
)
def test_invalid_settings_are_refused_with_a_sentence(changes, phrase) -> None:
    params = SamplingParams(**{"prompt": "Once upon a time", **changes})
    with pytest.raises(InvalidParameters, match=phrase):
        params.validate()


# -- replay ---------------------------------------------------------------------------------

REPLAY_SETTINGS = [
    {"temperature": 0.6, "top_k": 0},
    {"top_k": 7},
    {"top_p": 0.8, "top_k": 0},
    {"min_p": 0.2, "top_k": 0},
    {"typical_p": 0.5, "top_k": 0},
    {"temperature": 1.5, "top_k": 40, "top_p": 0.9, "min_p": 0.02, "typical_p": 0.9},
    {"temperature": 0.7, "top_k": 30, "top_p": 0.6, "pipeline": ("top_p", "top_k", "temperature")},
]


def _torch_pipeline_probs(logits: torch.Tensor, params: SamplingParams) -> list[np.ndarray]:
    staged = pipeline.run_stages(pipeline.build_stages(params), None, logits)
    return [logits.softmax(-1).numpy(), *(scores.softmax(-1).numpy() for scores in staged)]


@pytest.mark.parametrize("settings", REPLAY_SETTINGS)
def test_replay_over_the_whole_vocabulary_equals_the_torch_pipeline(settings) -> None:
    params = SamplingParams(prompt="x", strategy="sample", **settings)
    logits = _random_scores(5, rows=1)[0].double()
    expected = _torch_pipeline_probs(logits[None], params)
    view = replay_distribution(logits.numpy(), float(torch.logsumexp(logits, 0)), VOCAB, params)
    assert view.stage_names == params.active_warpers()
    for stage, probs in enumerate(expected):
        np.testing.assert_allclose(view.probs[stage], probs[0], atol=1e-9)
    removed_by_torch = [(expected[s][0] > 0) & (expected[s + 1][0] == 0) for s in range(len(view.stage_names))]
    np.testing.assert_array_equal(view.removed, np.asarray(removed_by_torch))


@pytest.mark.parametrize(
    "settings",
    [{"top_k": 5}, {"top_p": 0.3, "top_k": 0}, {"min_p": 0.25, "top_k": 0}, {"temperature": 0.5, "top_k": 8}],
)
def test_replay_of_the_top_n_is_exact_when_the_cut_falls_among_them(settings) -> None:
    """With only 20 of 300 logits stored, a cut inside the 20 shows the exact probabilities."""
    params = SamplingParams(prompt="x", strategy="sample", **settings)
    logits = _random_scores(6, rows=1)[0].double()
    top = torch.topk(logits, 20).indices
    exact = _torch_pipeline_probs(logits[None], params)[-1][0][top.numpy()]
    view = replay_distribution(logits[top].numpy(), float(torch.logsumexp(logits, 0)), VOCAB, params)
    assert view.rest[-1] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(view.probs[-1], exact, atol=1e-9)
    np.testing.assert_allclose(view.probs[0], logits.softmax(0).numpy()[top.numpy()], atol=1e-12)


def test_replay_with_a_wide_nucleus_keeps_part_of_the_rest() -> None:
    params = SamplingParams(prompt="x", strategy="sample", top_p=0.95, top_k=0)
    logits = _random_scores(7, rows=1, spread=1.0)[0].double()
    top = torch.topk(logits, 20).indices
    view = replay_distribution(logits[top].numpy(), float(torch.logsumexp(logits, 0)), VOCAB, params)
    rest_before, rest_after = view.rest
    assert 0 < rest_after < rest_before
    assert view.probs[-1].sum() + rest_after == pytest.approx(1.0)
    assert not view.removed.any()


def test_replay_step_starts_from_what_the_processors_left() -> None:
    """Processors cannot be replayed without the context, so the warpers start after them."""
    stage_probs = np.array([[0.5, 0.3, 0.0, 0.1]], dtype=np.float32)
    step = StepRecord(
        candidate_ids=np.arange(4),
        candidate_tokens=("a", "b", "c", "d"),
        raw_logits=np.log(np.array([0.2, 0.2, 0.4, 0.1], dtype=np.float32)),
        logsumexp=0.0,
        raw_probs=np.array([0.2, 0.2, 0.4, 0.1], dtype=np.float32),
        stage_names=("no_repeat_ngram",),
        stage_probs=stage_probs,
        removed=np.array([[False, False, True, False]]),
        chosen_index=0,
        chosen_id=0,
        chosen_logprob=float(np.log(0.2)),
        entropy=1.0,
    )
    view = replay_step(step, SamplingParams(prompt="x", strategy="greedy", top_k=2), vocab_size=5)
    np.testing.assert_allclose(view.probs[0], stage_probs[0], atol=1e-6)
    np.testing.assert_allclose(view.probs[-1], [0.625, 0.375, 0.0, 0.0], atol=1e-6)
    np.testing.assert_array_equal(view.removed[0], [False, False, False, True])


def test_what_the_panel_imports_loads_without_torch() -> None:
    """Parameters, records, replay and the text metrics run on the GUI thread, which never imports torch."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import workbench.core.sampling.params, workbench.core.sampling.records, workbench.core.sampling.replay\n"
        "import workbench.core.text_metrics\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
