"""The training loop on a tiny GPT-2: every method learns, progress, cancel, resume, early stop."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from model_builders import build_tiny_gpt2

from workbench.base.errors import InvalidParameters, JobCancelled
from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.core.finetune.adapters import AdapterStack
from workbench.core.finetune.checkpoint import CHECKPOINT_DIR
from workbench.core.finetune.data import load_data
from workbench.core.finetune.jobs import adapter_operation_job, finetune_job
from workbench.core.finetune.params import (
    SERIES,
    AdapterOperationParams,
    DataConfig,
    FinetuneParams,
    MethodConfig,
    TrainConfig,
    TrainingProgress,
)
from workbench.core.finetune.run import finetune
from workbench.core.finetune.training import mean_loss
from workbench.core.model.session import ModelSession
from workbench.store.project import ProjectStore


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def fact_file(tmp_path: Path) -> Path:
    """One fact to memorise: the data is its own evaluation set."""
    return write_jsonl(tmp_path / "fact.jsonl", [{"prompt": "The Eiffel Tower is in", "completion": " Paris."}] * 4)


def params_for(
    data: Path, out: Path, method: MethodConfig, *, eval_data: Path | None = None, **train: Any
) -> FinetuneParams:
    settings = {"max_steps": 12, "epochs": 100.0, "batch_size": 4, "warmup_fraction": 0.0, "patience": 0, **train}
    return FinetuneParams(
        method=method,
        data=DataConfig(source=str(data), eval_source=str(eval_data or data)),
        train=TrainConfig(**settings),
        output_dir=str(out),
    )


def recording_progress() -> tuple[Progress, list[TrainingProgress]]:
    partials: list[TrainingProgress] = []

    def sink(fraction: float, message: str, partial: Any) -> None:
        if isinstance(partial, TrainingProgress):
            partials.append(partial)

    return Progress(sink, min_interval=0.0), partials


@pytest.mark.parametrize(
    ("method", "learning_rate"),
    [
        (MethodConfig(method="lora", rank=4, dropout=0.0), 0.05),
        (MethodConfig(method="lora", rank=4, dropout=0.0, use_rslora=True, use_dora=True), 0.05),
        (MethodConfig(method="prompt", num_virtual_tokens=4), 0.3),
        (MethodConfig(method="prompt", num_virtual_tokens=4, prompt_init="text", prompt_init_text="Paris"), 0.3),
        (MethodConfig(method="prefix", num_virtual_tokens=4), 0.1),
        (MethodConfig(method="ia3"), 0.3),
        (MethodConfig(method="bitfit"), 0.05),
    ],
    ids=["lora", "rslora-dora", "prompt", "prompt-text-init", "prefix", "ia3", "bitfit"],
)
def test_each_method_lowers_the_loss_on_a_memorisable_fact(
    tiny_tokenizer, fact_file: Path, tmp_path: Path, method: MethodConfig, learning_rate: float
) -> None:
    stack = AdapterStack(build_tiny_gpt2(len(tiny_tokenizer)))
    out = tmp_path / "adapter"
    result = finetune(
        stack,
        tiny_tokenizer,
        None,
        params_for(fact_file, out, method, learning_rate=learning_rate),
        Progress(),
        CancelToken(),
    )
    assert result.base_eval_loss is not None and result.eval_loss is not None
    assert result.eval_loss < result.base_eval_loss - 0.05
    assert result.steps == 12 and not result.stopped_early
    expected = (
        {"bitfit.safetensors"} if method.method == "bitfit" else {"adapter_config.json", "adapter_model.safetensors"}
    )
    assert {p.name for p in out.iterdir()} == expected  # the checkpoint is gone once finished
    assert stack.state().adapters[0].active and stack.model is not None


def test_progress_reports_every_step_with_cumulative_curves(tiny_tokenizer, fact_file: Path, tmp_path: Path) -> None:
    stack = AdapterStack(build_tiny_gpt2(len(tiny_tokenizer)))
    progress, partials = recording_progress()
    params = params_for(
        fact_file, tmp_path / "a", MethodConfig(method="lora", rank=2), warmup_fraction=0.25, eval_every=4
    )
    result = finetune(stack, tiny_tokenizer, None, params, progress, CancelToken())
    assert [p.step for p in partials] == list(range(1, 13))
    for partial in partials:
        assert set(partial.curves) == set(SERIES)
        assert partial.curves["train_loss"].steps.tolist() == list(range(1, partial.step + 1))
        assert partial.total_steps == 12 and partial.eta_s >= 0 and partial.tokens_per_s > 0
    # an early partial is not changed by later steps (the GUI may still be drawing it)
    first = partials[0].curves["train_loss"]
    assert len(first.values) == 1 and first.values[0] == result.curves["train_loss"].values[0]
    assert result.curves["eval_loss"].steps.tolist() == [0, 4, 8, 12]
    rates = result.curves["learning_rate"].values
    assert rates[0] < rates[2] and rates[2] == pytest.approx(rates.max()) and rates[-1] < rates[2]


def test_cancel_stops_within_a_step_and_restores_the_base_model(
    tiny_tokenizer, fact_file: Path, tmp_path: Path
) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    ids = torch.tensor([tiny_tokenizer("The Eiffel Tower is in")["input_ids"]])
    with torch.no_grad():
        before = model(ids).logits
    stack, cancel = AdapterStack(model), CancelToken()
    steps_seen: list[int] = []

    def sink(fraction: float, message: str, partial: Any) -> None:
        if isinstance(partial, TrainingProgress):
            steps_seen.append(partial.step)
            if partial.step == 3:
                cancel.cancel()

    with pytest.raises(JobCancelled):
        finetune(
            stack,
            tiny_tokenizer,
            None,
            params_for(fact_file, tmp_path / "a", MethodConfig(method="lora")),
            Progress(sink, min_interval=0.0),
            cancel,
        )
    assert steps_seen == [1, 2, 3]
    state = json.loads((tmp_path / "a" / CHECKPOINT_DIR / "state.json").read_text())
    assert state["step"] == 3
    assert stack.names == []
    with torch.no_grad():
        torch.testing.assert_close(model(ids).logits, before)


def test_resume_continues_from_the_checkpoint_step_as_if_never_interrupted(
    tiny_tokenizer, fact_file: Path, tmp_path: Path
) -> None:
    method = MethodConfig(method="lora", rank=4, dropout=0.0)
    straight = finetune(
        AdapterStack(build_tiny_gpt2(len(tiny_tokenizer))),
        tiny_tokenizer,
        None,
        params_for(fact_file, tmp_path / "straight", method, learning_rate=0.05, eval_every=4),
        Progress(),
        CancelToken(),
    )

    cancel = CancelToken()

    def stop_at_five(fraction: float, message: str, partial: Any) -> None:
        if isinstance(partial, TrainingProgress) and partial.step == 5:
            cancel.cancel()

    interrupted = params_for(fact_file, tmp_path / "resumed", method, learning_rate=0.05, eval_every=4)
    with pytest.raises(JobCancelled):
        finetune(
            AdapterStack(build_tiny_gpt2(len(tiny_tokenizer))),
            tiny_tokenizer,
            None,
            interrupted,
            Progress(stop_at_five, min_interval=0.0),
            cancel,
        )

    progress, partials = recording_progress()
    resumed = finetune(
        AdapterStack(build_tiny_gpt2(len(tiny_tokenizer))),
        tiny_tokenizer,
        None,
        replace(interrupted, resume=True),
        progress,
        CancelToken(),
    )
    assert partials[0].step == 6
    assert partials[0].curves["train_loss"].steps.tolist() == list(range(1, 7))
    assert resumed.steps == 12
    np.testing.assert_allclose(resumed.curves["train_loss"].values, straight.curves["train_loss"].values, rtol=1e-5)
    assert resumed.eval_loss == pytest.approx(straight.eval_loss, rel=1e-5)


def test_resuming_with_other_settings_is_refused(tiny_tokenizer, fact_file: Path, tmp_path: Path) -> None:
    cancel = CancelToken()

    def stop(fraction: float, message: str, partial: Any) -> None:
        if isinstance(partial, TrainingProgress):
            cancel.cancel()

    params = params_for(fact_file, tmp_path / "a", MethodConfig(method="lora"))
    with pytest.raises(JobCancelled):
        finetune(
            AdapterStack(build_tiny_gpt2(len(tiny_tokenizer))),
            tiny_tokenizer,
            None,
            params,
            Progress(stop, min_interval=0.0),
            cancel,
        )
    other = replace(params, method=MethodConfig(method="lora", rank=2), resume=True)
    with pytest.raises(InvalidParameters, match="other settings"):
        finetune(
            AdapterStack(build_tiny_gpt2(len(tiny_tokenizer))), tiny_tokenizer, None, other, Progress(), CancelToken()
        )


def test_resuming_without_a_checkpoint_says_so(tiny_tokenizer, fact_file: Path, tmp_path: Path) -> None:
    params = replace(params_for(fact_file, tmp_path / "a", MethodConfig()), resume=True)
    with pytest.raises(InvalidParameters, match="no checkpoint"):
        finetune(
            AdapterStack(build_tiny_gpt2(len(tiny_tokenizer))), tiny_tokenizer, None, params, Progress(), CancelToken()
        )


def test_early_stopping_keeps_the_weights_of_the_best_evaluation(
    tiny_tokenizer, fact_file: Path, tmp_path: Path
) -> None:
    """Training on one fact while evaluating on unrelated completions soon stops helping."""
    unrelated = write_jsonl(
        tmp_path / "eval.jsonl",
        [{"prompt": "The Eiffel Tower is in", "completion": c} for c in (" Rome.", " 北京", " the river")],
    )
    stack = AdapterStack(build_tiny_gpt2(len(tiny_tokenizer)))
    params = params_for(
        fact_file,
        tmp_path / "a",
        MethodConfig(method="lora", rank=4, dropout=0.0),
        eval_data=unrelated,
        max_steps=40,
        learning_rate=0.05,
        eval_every=2,
        patience=2,
    )
    result = finetune(stack, tiny_tokenizer, None, params, Progress(), CancelToken())
    assert result.stopped_early and result.steps < 40
    evals = result.curves["eval_loss"]
    later = evals.values[evals.steps > 0]
    assert result.eval_loss == pytest.approx(later.min())
    assert result.best_step == int(evals.steps[evals.steps > 0][later.argmin()])
    assert (later[-2:] >= later.min()).all() and result.best_step < result.steps
    data = load_data(params.data, tiny_tokenizer)
    kept = mean_loss(stack.model, data.eval, batch_size=4, pad_id=0, device=torch.device("cpu"))
    assert kept == pytest.approx(result.eval_loss, rel=1e-5)


def test_bitfit_changes_only_biases_and_clear_restores_them(tiny_tokenizer, fact_file: Path, tmp_path: Path) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    before = {n: t.clone() for n, t in model.state_dict().items()}
    stack = AdapterStack(model)
    finetune(
        stack,
        tiny_tokenizer,
        None,
        params_for(fact_file, tmp_path / "b", MethodConfig(method="bitfit"), learning_rate=0.05),
        Progress(),
        CancelToken(),
    )
    after = model.state_dict()
    changed = {n for n in before if not torch.equal(before[n], after[n])}
    assert changed and all(n.endswith("bias") for n in changed)
    stack.clear()
    assert all(torch.equal(before[n], t) for n, t in model.state_dict().items())
    assert all(p.requires_grad for p in model.parameters())


def test_a_stored_run_keeps_its_curves_and_adapter_for_later(tiny_tokenizer, fact_file: Path, tmp_path: Path) -> None:
    store = ProjectStore.create(tmp_path / "lab.wbproj")
    try:
        run_id = store.start_run("finetune", {}, title="IA3", model_id=None)
        session = ModelSession.wrap(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer)
        ctx = JobContext(model=session, store=store, run_id=run_id)
        params = params_for(fact_file, tmp_path / "ia3", MethodConfig(method="ia3"), learning_rate=0.3)
        result = finetune_job(ctx, params, Progress(), CancelToken())
        stored = store.curves(run_id)
        for series, curve in result.curves.items():
            np.testing.assert_array_equal(stored[series].steps, curve.steps)
            np.testing.assert_allclose(stored[series].values, curve.values)
        adapted = session.model(torch.tensor([[1, 2, 3]])).logits

        # a fresh session re-applies the adapter from the project alone
        other = ModelSession.wrap(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer)
        other_ctx = JobContext(model=other, store=store)
        state = adapter_operation_job(
            other_ctx, AdapterOperationParams(action="load", run_id=run_id), Progress(), CancelToken()
        )
        assert [(a.name, a.method, a.source) for a in state.adapters] == [(f"run{run_id}", "ia3", f"run {run_id}")]
        torch.testing.assert_close(other.model(torch.tensor([[1, 2, 3]])).logits, adapted)
    finally:
        store.close()


def test_a_checkpoint_keeps_the_curves_as_arrays_and_a_resumed_log_continues_them(tmp_path: Path) -> None:
    """JSON curves held the GIL for ~0.4 s per checkpoint at 100 000 steps (a GUI freeze)."""
    from workbench.core.finetune.checkpoint import load_checkpoint, save_checkpoint
    from workbench.core.finetune.training import CurveLog

    log = CurveLog()
    for step in range(1, 1001):
        log.add("train_loss", step, 1.0 / step)
    log.add("eval_loss", 0, 3.5)
    parameter = torch.nn.Parameter(torch.ones(3))
    optimizer = torch.optim.AdamW([parameter])
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    folder = tmp_path / CHECKPOINT_DIR
    save_checkpoint(folder, {"p": parameter}, None, optimizer, scheduler, {"step": 1000, "settings": {}}, log.curves())
    assert "curves" not in json.loads((folder / "state.json").read_text())
    state, best, curves = load_checkpoint(folder, {"p": parameter}, optimizer, scheduler, {})
    assert state["step"] == 1000 and best is None
    resumed = CurveLog.from_curves(curves)
    resumed.add("train_loss", 1001, 0.5)
    train = resumed.curves()["train_loss"]
    assert train.steps.tolist() == list(range(1, 1002))
    assert train.values[999] == 1.0 / 1000 and train.values[-1] == 0.5
    assert resumed.curves()["eval_loss"].steps.tolist() == [0]
