"""Clicking through the Fine-tuning lab on a tiny GPT-2: count, preview, train, cancel, resume, compare, reopen."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt

from workbench.core.editing.jobs import ledger_of
from workbench.core.editing.params import EditRequest
from workbench.core.editing.rome import rank_one_edit
from workbench.core.finetune.params import (
    AdapterState,
    CompareResult,
    DataPreview,
    FinetuneResult,
    ParameterCount,
    TrainingProgress,
)
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.store.project import ProjectStore
from workbench.store.project_jobs import OpenProjectParams
from workbench.ui.panels.finetune import FinetunePanel
from workbench.worker import WorkerHost

JOB_TIMEOUT_MS = 120000
PROMPT = "Where is the Eiffel Tower?"


def _result_of(kind: type):
    return lambda _job, _run, result: isinstance(result, kind)


@pytest.fixture()
def panel(qtbot, host: WorkerHost, tiny_model_dir: Path, tmp_path: Path) -> FinetunePanel:
    lab = FinetunePanel(host)
    qtbot.addWidget(lab)
    lab.resize(1280, 860)
    lab.show()
    job_id = host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda j, *_: j == job_id):
        pass
    lab.settings.folder.setText(str(tmp_path / "adapters"))
    return lab


@pytest.fixture()
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.jsonl"
    records = [{"prompt": f"{PROMPT} {i}", "completion": " Paris."} for i in range(10)]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def _open_project(qtbot, host: WorkerHost, path: Path) -> None:
    with qtbot.waitSignal(host.sig_project_changed, timeout=JOB_TIMEOUT_MS):
        host.submit(OpenProjectParams(path=str(path)))


def _choose_data(panel: FinetunePanel, path: Path) -> None:
    picker = panel.data
    picker.source.setCurrentIndex(picker.source.findData("jsonl"))
    picker.path.setText(str(path))
    picker.path.editingFinished.emit()


def _training_settings(panel: FinetunePanel, steps: int, eval_every: int = 2) -> None:
    form = panel.settings.train
    form.editor("epochs").setValue(100.0)
    form.editor("max_steps").setValue(steps)
    form.editor("batch_size").setValue(2)
    form.editor("eval_every").setValue(eval_every)
    form.editor("patience").setValue(0)


def _train(qtbot, panel: FinetunePanel, data_file: Path, steps: int = 4) -> tuple[int | None, FinetuneResult]:
    _choose_data(panel, data_file)
    _training_settings(panel, steps)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(FinetuneResult)
    ) as blocker:
        qtbot.mouseClick(panel.settings.start_button, Qt.MouseButton.LeftButton)
    _job, run_id, result = blocker.args
    return run_id, result


def test_the_parameter_table_fills_and_follows_the_method_and_its_settings(qtbot, panel) -> None:
    host = panel.host
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ParameterCount)
    ) as first:
        pass
    lora: ParameterCount = first.args[2]
    assert lora.method == "lora" and 0 < lora.trainable < lora.total
    trainable, _total, share = panel.settings.parameters.values()
    assert trainable.startswith(f"{lora.trainable:,}") and share == f"{lora.share:.2%}"
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ParameterCount)
    ) as doubled:
        panel.settings.method.form.editor("rank").setValue(16)
    assert doubled.args[2].trainable == 2 * lora.trainable  # LoRA's A and B grow with the rank
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ParameterCount)
    ) as bitfit:
        panel.settings.method.method.setCurrentIndex(panel.settings.method.method.findData("bitfit"))
    count = bitfit.args[2]
    assert count.method == "bitfit" and count.trainable != lora.trainable
    assert panel.settings.parameters.values()[0].startswith(f"{count.trainable:,}")
    assert not panel.settings.method.targets.isVisible()  # BitFit has no target modules


def test_the_preview_greys_the_prompt_and_marks_the_completion_as_trained_on(qtbot, panel, data_file) -> None:
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(DataPreview)
    ) as blocker:
        _choose_data(panel, data_file)
    preview: DataPreview = blocker.args[2]
    assert preview.num_train + preview.num_eval == 10 and preview.num_eval == 1
    shown = panel.data.shown_examples()
    assert len(shown) == len(preview.examples) == 5
    for example, tokens in zip(preview.examples, shown):
        assert [t for t, _ in tokens] == example.tokens
        assert [flag for _, flag in tokens] == example.loss_mask.tolist()
        trained = "".join(t for t, flag in tokens if flag)
        assert trained.startswith(" Paris.") and not any(flag for _, flag in tokens[:3])
    assert "9 training examples" in panel.data.summary.text()


def test_start_trains_with_live_curves_that_end_equal_to_the_stored_ones(qtbot, panel, data_file, tmp_path) -> None:
    project = tmp_path / "lab.wbproj"
    _open_project(qtbot, panel.host, project)
    _choose_data(panel, data_file)
    _training_settings(panel, steps=12, eval_every=4)
    live_points: list[int] = []

    def on_progress(_job, _fraction, _message, partial) -> None:
        if isinstance(partial, TrainingProgress) and partial.step < partial.total_steps:
            # the panel's slot ran first (connected earlier): the plot shows this partial already
            live_points.append(len(panel.training.loss_plot.data("train_loss")[0]))
            assert not panel.settings.start_button.isEnabled() and panel.settings.cancel_button.isEnabled()

    panel.host.sig_progress.connect(on_progress)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(FinetuneResult)
    ) as blocker:
        qtbot.mouseClick(panel.settings.start_button, Qt.MouseButton.LeftButton)
    panel.host.sig_progress.disconnect(on_progress)
    _job, run_id, result = blocker.args
    assert live_points and 0 < live_points[0] < 12, "the curves got points while training"
    assert result.steps == 12 and Path(result.adapter_dir, "adapter_config.json").is_file()
    with ProjectStore.open(project, read_only=True) as store:
        stored = store.curves(run_id)
    for name in ("train_loss", "eval_loss", "learning_rate"):
        steps, values = (
            panel.training.loss_plot.data(name) if name != "learning_rate" else panel.training.rate_plot.data(name)
        )
        np.testing.assert_array_equal(steps, stored[name].steps)
        np.testing.assert_allclose(values, stored[name].values)
    assert len(stored["train_loss"].steps) == 12 and stored["eval_loss"].steps.tolist() == [0, 4, 8, 12]
    assert f"{result.eval_loss:.3f}" in panel.training.result.text()
    assert panel.settings.start_button.isEnabled() and not panel.settings.cancel_button.isEnabled()


def test_cancel_stops_and_resume_continues_from_the_checkpoint_step(qtbot, panel, data_file) -> None:
    host = panel.host
    _choose_data(panel, data_file)
    _training_settings(panel, steps=30, eval_every=10)
    with qtbot.waitSignal(host.sig_job_cancelled, timeout=JOB_TIMEOUT_MS):
        with qtbot.waitSignal(
            host.sig_progress, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda *a: isinstance(a[3], TrainingProgress)
        ):
            qtbot.mouseClick(panel.settings.start_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.settings.cancel_button, Qt.MouseButton.LeftButton)
    stopped_at = int(panel.training.loss_plot.data("train_loss")[0][-1])
    assert 1 <= stopped_at < 30
    assert panel.settings.resume_button.isEnabled() and panel.settings.start_button.isEnabled()
    assert "Resume" in panel.training.stats.text()

    first_resumed: list[TrainingProgress] = []
    host.sig_progress.connect(
        lambda _j, _f, _m, p: first_resumed.append(p) if isinstance(p, TrainingProgress) else None
    )
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(FinetuneResult)
    ) as blocker:
        qtbot.mouseClick(panel.settings.resume_button, Qt.MouseButton.LeftButton)
    result: FinetuneResult = blocker.args[2]
    assert result.steps == 30
    assert first_resumed[0].step > stopped_at  # the first resumed step comes after the checkpoint
    assert first_resumed[0].curves["train_loss"].steps[0] == 1  # ...with the curve so far restored
    steps = panel.training.loss_plot.data("train_loss")[0]
    assert steps.tolist() == list(range(1, 31))  # one point per step, none twice, none missing
    assert not panel.settings.resume_button.isEnabled()


def test_an_earlier_run_of_the_project_can_be_overlaid(qtbot, panel, data_file, tmp_path) -> None:
    project = tmp_path / "lab.wbproj"
    _open_project(qtbot, panel.host, project)
    run_id, _ = _train(qtbot, panel, data_file, steps=4)
    qtbot.waitUntil(lambda: run_id in panel.training.listed_runs(), timeout=JOB_TIMEOUT_MS)  # refreshed after training
    panel.training.set_run_ticked(run_id, True)
    plot = panel.training.loss_plot
    assert plot.overlay_keys() == [str(run_id)]
    with ProjectStore.open(project, read_only=True) as store:
        stored = store.curves(run_id)
    overlaid = {tuple(steps.tolist()) for steps, _values in plot.overlay_data(str(run_id))}
    assert (
        tuple(stored["train_loss"].steps.tolist()) in overlaid and tuple(stored["eval_loss"].steps.tolist()) in overlaid
    )
    panel.training.set_run_ticked(run_id, False)
    assert plot.overlay_keys() == []


def test_ab_compare_shows_base_and_adapter_columns_and_perplexities(qtbot, panel, data_file) -> None:
    _train(qtbot, panel, data_file, steps=4)
    compare = panel.compare
    panel.views.setCurrentWidget(compare)
    compare.prompts.setPlainText(f"{PROMPT} 3\n{PROMPT} 7")
    compare.eval_text.setPlainText(f"{PROMPT} 5 Paris.")
    compare.max_new_tokens.setValue(4)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(CompareResult)
    ) as blocker:
        qtbot.mouseClick(compare.compare_button, Qt.MouseButton.LeftButton)
    result: CompareResult = blocker.args[2]
    rows = compare.generations()
    assert rows == list(zip(result.prompts, result.base_generations, result.adapted_generations))
    assert [r[0] for r in rows] == [f"{PROMPT} 3", f"{PROMPT} 7"]
    assert f"{result.base_perplexity:.2f}" in compare.perplexity.text()
    assert f"{result.adapted_perplexity:.2f}" in compare.perplexity.text()
    ((_caption, chips),) = compare.changes.rows()
    assert [c.text for c in chips] == result.probabilities.tokens
    greener = [c.background.green() > c.background.red() for c in chips]
    log_ratio = np.log(result.probabilities.adapted) - np.log(result.probabilities.base)
    assert greener == (log_ratio > 1e-3).tolist()  # green exactly where the adapter raised the probability


def test_the_adapter_list_shows_the_trained_adapter_and_toggles_it(qtbot, panel, data_file) -> None:
    host = panel.host
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AdapterState)):
        _run_id, result = _train(qtbot, panel, data_file, steps=2)
    panel.views.setCurrentWidget(panel.adapters)
    tree = panel.adapters.tree
    assert tree.topLevelItemCount() == 1 and tree.topLevelItem(0).text(0) == result.adapter_name
    assert panel.adapters.enabled.isChecked()
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AdapterState)
    ) as off:
        qtbot.mouseClick(panel.adapters.enabled, Qt.MouseButton.LeftButton)
    assert not off.args[2].enabled and not panel.adapters.enabled.isChecked()
    assert "base model" in panel.adapters.status.text()
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AdapterState)
    ) as merged:
        qtbot.mouseClick(panel.adapters.merge_button, Qt.MouseButton.LeftButton)
    assert merged.args[2].merged and panel.adapters.merge_button.text() == "Unmerge"
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AdapterState)
    ) as cleared:
        qtbot.mouseClick(panel.adapters.clear_button, Qt.MouseButton.LeftButton)
    assert cleared.args[2].adapters == [] and tree.topLevelItemCount() == 0


def test_a_refused_unmerge_leaves_the_list_showing_the_merged_adapter(qtbot, panel, data_file) -> None:
    host = panel.host
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AdapterState)):
        _train(qtbot, panel, data_file, steps=2)
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AdapterState)):
        qtbot.mouseClick(panel.adapters.merge_button, Qt.MouseButton.LeftButton)
    session = host.worker.context.model  # the worker is idle: an edit made as the editing lab would
    weight = session.adapter.down_proj_weight(session.model, 0)
    key, value = torch.ones(weight.shape[1]), torch.ones(weight.shape[0])
    request = EditRequest(prompt="{} is in", subject="Paris", target_new=" Rome")
    ledger_of(session).add(rank_one_edit(request, 0, weight, key, value, key.double()))
    with (
        qtbot.waitSignal(
            host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AdapterState)
        ) as state,
        qtbot.waitSignal(host.sig_job_failed, timeout=JOB_TIMEOUT_MS) as failed,
    ):
        qtbot.mouseClick(panel.adapters.merge_button, Qt.MouseButton.LeftButton)
    assert "revert them in the Model Editing ledger" in failed.args[1]
    assert state.args[2].merged and panel.adapters.merge_button.text() == "Unmerge"
    assert "merged into the weights" in panel.adapters.status.text()


def test_reopening_a_stored_run_restores_its_settings_and_curves(qtbot, panel, data_file, tmp_path) -> None:
    project = tmp_path / "lab.wbproj"
    _open_project(qtbot, panel.host, project)
    panel.settings.method.form.editor("rank").setValue(4)
    run_id, result = _train(qtbot, panel, data_file, steps=4)
    with ProjectStore.open(project, read_only=True) as store:
        run = store.load_run(run_id)
    fresh = FinetunePanel(panel.host)
    qtbot.addWidget(fresh)
    fresh.show_run(run)
    assert fresh.settings.method.value().rank == 4
    assert fresh.data.value().source == str(data_file)
    assert fresh.settings.train_config().max_steps == 4
    for name in ("train_loss", "eval_loss"):
        steps, values = fresh.training.loss_plot.data(name)
        np.testing.assert_array_equal(steps, run.curves[name].steps)
        np.testing.assert_allclose(values, result.curves[name].values)
    assert f"run #{run_id}" in fresh.training.result.text()
