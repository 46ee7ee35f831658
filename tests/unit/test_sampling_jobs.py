"""The Sampling lab's jobs (progress, cancel, side by side, step mode), its CLI and its stored form."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from workbench.base.errors import JobCancelled
from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.cli import main
from workbench.core.model.session import ModelSession
from workbench.core.sampling.jobs import generate
from workbench.core.sampling.lm import LanguageModel
from workbench.core.sampling.params import SamplingParams, SamplingStepParams, SideBySideParams
from workbench.core.sampling.records import SamplingResult
from workbench.store.codec import decode_result, encode_result, params_from_json, params_to_json

PROMPT = "Once upon a time a giraffe"


@pytest.fixture()
def ctx(tiny_gpt2, tiny_tokenizer) -> JobContext:
    return JobContext(model=ModelSession.wrap(tiny_gpt2, tiny_tokenizer))


def _sample(**changes) -> SamplingParams:
    return SamplingParams(
        **{"prompt": PROMPT, "strategy": "sample", "max_new_tokens": 8, "stop_at_eos": False, **changes}
    )


def _recorder() -> tuple[Progress, list]:
    updates: list = []
    return Progress(lambda *update: updates.append(update), min_interval=0), updates


# -- jobs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("strategy", ["sample", "beam"])
def test_the_job_reports_each_token_with_the_steps_so_far(ctx, strategy) -> None:
    progress, updates = _recorder()
    result = run_job(_sample(strategy=strategy, num_beams=2), ctx, progress, CancelToken())
    assert [round(fraction * 8) for fraction, _message, _partial in updates] == list(range(1, 9))
    partials = [partial for _fraction, _message, partial in updates]
    assert all(isinstance(partial, SamplingResult) for partial in partials)
    if strategy == "sample":
        assert [len(partial.steps) for partial in partials] == list(range(1, 9))
        assert all(not partial.finished for partial in partials[:-1])
        assert partials[-1].token_ids.tolist() == result.token_ids.tolist()
    else:
        assert [len(partial.beam.steps) for partial in partials] == list(range(1, 9))
    assert result.finished and len(result.token_ids) == 8


def test_cancel_stops_the_job_between_tokens(ctx) -> None:
    cancel = CancelToken()
    seen: list = []

    def sink(fraction, message, partial) -> None:
        seen.append(partial)
        if len(seen) == 3:
            cancel.cancel()

    with pytest.raises(JobCancelled):
        run_job(_sample(max_new_tokens=20), ctx, Progress(sink, min_interval=0), cancel)
    assert len(seen) == 3


def test_side_by_side_reports_where_each_path_parts_from_the_first(ctx) -> None:
    configs = (  # the configurations carry no prompt of their own: side by side gives them one
        _sample(prompt="", seed=1, temperature=1.5, top_k=0),
        _sample(prompt="", seed=1, temperature=1.5, top_k=0),
        _sample(prompt="", seed=2, temperature=1.5, top_k=0),
        _sample(prompt="", strategy="greedy"),
    )
    params = SideBySideParams(prompt=PROMPT, configs=configs)
    progress, updates = _recorder()
    result = run_job(params, ctx, progress, CancelToken())
    assert [r.params.prompt for r in result.results] == [PROMPT] * 4
    first = result.results[0].token_ids.tolist()
    assert result.divergence[0] is None and result.divergence[1] is None
    for other, divergence in zip(result.results[2:], result.divergence[2:]):
        ids = other.token_ids.tolist()
        expected = next(i for i, (a, b) in enumerate(zip(first, ids)) if a != b)
        assert divergence == expected
    assert updates[-1][0] == pytest.approx(1.0)
    assert all(b >= a for (a, _, _), (b, _, _) in itertools.pairwise(updates))


def test_step_mode_job_keeps_its_session_between_clicks(ctx) -> None:
    params = _sample(seed=5, temperature=1.3)
    whole = generate(LanguageModel(ctx.model.model, ctx.model.tokenizer), params)
    click = SamplingStepParams(params=params, session_key="demo")
    progress = Progress()
    after_one = run_job(click, ctx, progress, CancelToken())
    after_three = run_job(SamplingStepParams(params=params, session_key="demo", steps=2), ctx, progress, CancelToken())
    assert after_one.token_ids.tolist() == whole.token_ids[:1].tolist()
    assert after_three.token_ids.tolist() == whole.token_ids[:3].tolist()
    restarted = run_job(
        SamplingStepParams(params=params, session_key="demo", restart=True), ctx, progress, CancelToken()
    )
    assert restarted.token_ids.tolist() == whole.token_ids[:1].tolist()
    to_the_end = run_job(SamplingStepParams(params=params, session_key="demo", steps=50), ctx, progress, CancelToken())
    assert to_the_end.finished and to_the_end.token_ids.tolist() == whole.token_ids.tolist()


# -- stored form ----------------------------------------------------------------------------


def test_parameters_and_results_survive_the_project_store_codec(ctx) -> None:
    params = _sample(early_stopping="never", stop_strings=("。",), forced_prefix_ids=(5, 6), seed=None)
    assert params_from_json(SamplingParams, json.loads(json.dumps(params_to_json(params)))) == params
    side = SideBySideParams(prompt=PROMPT, configs=(params, _sample(strategy="beam", num_beams=2)))
    assert params_from_json(SideBySideParams, json.loads(json.dumps(params_to_json(side)))) == side

    result = run_job(_sample(strategy="beam", num_beams=2), ctx, Progress(), CancelToken())
    data, arrays = encode_result(result)
    restored = decode_result(json.loads(json.dumps(data)), arrays)
    assert isinstance(restored, SamplingResult)
    assert restored.token_ids.tolist() == result.token_ids.tolist()
    assert restored.beam.steps[3].status == result.beam.steps[3].status
    np.testing.assert_array_equal(restored.steps[2].stage_probs, result.steps[2].stage_probs)


# -- CLI ------------------------------------------------------------------------------------


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_greedy_prints_generated_ids_text_and_steps(capsys, tiny_model_dir, tiny_tokenizer) -> None:
    from transformers import AutoModelForCausalLM

    code, out, _err = _cli(
        capsys, "sample", "--model", str(tiny_model_dir), "--prompt", PROMPT,
        "--strategy", "greedy", "--max-new-tokens", "6", "--ignore-eos", "--json", "--quiet",
    )  # fmt: skip
    assert code == 0
    printed = json.loads(out)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    inputs = tiny_tokenizer(PROMPT, return_tensors="pt")
    expected = model.generate(**inputs, max_new_tokens=6, do_sample=False, eos_token_id=None, pad_token_id=0)
    assert printed["token_ids"] == expected[0, inputs["input_ids"].shape[1] :].tolist()
    assert printed["text"] == tiny_tokenizer.decode(printed["token_ids"], skip_special_tokens=True)
    assert len(printed["steps"]) == 6
    assert printed["steps"][0]["chosen_id"] == printed["token_ids"][0]


def test_cli_sampling_with_a_seed_repeats_itself_and_beam_returns_sequences(capsys, tiny_model_dir) -> None:
    sample = (
        "sample", "--model", str(tiny_model_dir), "--prompt", PROMPT, "--strategy", "sample",
        "--temperature", "1.4", "--top-k", "30", "--top-p", "0.95", "--seed", "4",
        "--max-new-tokens", "5", "--ignore-eos", "--json", "--quiet",
    )  # fmt: skip
    first = json.loads(_cli(capsys, *sample)[1])
    assert json.loads(_cli(capsys, *sample)[1])["token_ids"] == first["token_ids"]
    assert first["steps"][0]["stage_names"] == ["temperature", "top_k", "top_p"]
    code, out, _ = _cli(
        capsys, "sample", "--model", str(tiny_model_dir), "--prompt", PROMPT, "--strategy", "beam",
        "--num-beams", "3", "--num-return-sequences", "2", "--max-new-tokens", "4", "--json", "--quiet",
    )  # fmt: skip
    beam = json.loads(out)
    assert code == 0 and len(beam["sequences"]) == 2 and beam["token_ids"] == beam["sequences"][0]["token_ids"]


@pytest.mark.parametrize(
    ("flags", "phrase"),
    [(("--prompt", ""), "prompt is empty"), (("--prompt", PROMPT, "--top-p", "1.5"), "Top-p"),
     (("--prompt", PROMPT, "--top-p", "0"), "Top-p")],
)  # fmt: skip
def test_cli_bad_input_exits_2_with_a_one_line_reason(capsys, flags, phrase) -> None:
    code, out, err = _cli(capsys, "sample", "--model", "/nonexistent-never-loaded", *flags, "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and phrase in err
