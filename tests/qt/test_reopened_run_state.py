"""A reopened run says which model state made it (issue 18: a generation made with a LoRA on read
like one of the base model once the chip had moved on).

Through the real worker: generations stored on the base weights and with a freshly trained LoRA
on, then reopened from the run history; the lab's header and the history's tooltip name the state.
"""

from __future__ import annotations

from pathlib import Path

import test_finetune_panel as finetune_steps
import test_sampling_panel as sampling_steps
from PySide6.QtCore import Qt

from workbench.core.finetune.params import AdapterState
from workbench.ui.main_window import MainWindow
from workbench.ui.settings import AppSettings
from workbench.worker import WorkerHost


def _history_tooltip(window: MainWindow, run_id: int) -> str:
    tree = window.run_history.tree
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item.data(0, Qt.ItemDataRole.UserRole) == run_id:
            return item.toolTip(0)
    raise AssertionError(f"run {run_id} is not in the history")


def test_reopening_a_run_shows_the_adapter_it_was_made_with_or_the_base_weights(
    qtbot, host: WorkerHost, settings: AppSettings, tiny_model_dir: Path, tmp_path: Path
) -> None:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    with qtbot.waitSignal(host.sig_project_changed, timeout=sampling_steps.JOB_TIMEOUT_MS):
        window.open_project(str(tmp_path / "lab.wbproj"))
    sampling_steps._load_model(qtbot, host, tiny_model_dir)
    sampling = window.panels["sampling"]
    sampling_steps._settings(sampling, strategy="greedy", max_new_tokens=3)
    _job, base_run, _result = sampling_steps._click_and_wait(qtbot, host, sampling.controls.generate_button, True)

    finetune = window.panels["finetune"]
    finetune.settings.folder.setText(str(tmp_path / "adapters"))  # type: ignore[attr-defined]
    data = tmp_path / "facts.jsonl"
    data.write_text("\n".join(f'{{"prompt": "Where is it? {i}", "completion": " Paris."}}' for i in range(10)))
    with qtbot.waitSignal(host.sig_run_finished, timeout=120_000,
                          check_params_cb=lambda _j, _r, result: isinstance(result, AdapterState) and bool(result.adapters)):  # fmt: skip
        finetune_steps._train(qtbot, finetune, data)
    name = finetune.adapters.state().adapters[0].name  # type: ignore[attr-defined]
    _job, lora_run, _result = sampling_steps._click_and_wait(qtbot, host, sampling.controls.generate_button, True)
    assert not sampling.run_state.isVisible()  # a fresh result: the status-bar chip tells its state

    window.open_run(lora_run)
    header = sampling.run_state
    assert header.isVisible() and sampling.views.cornerWidget(Qt.Corner.TopRightCorner) is header
    assert header.full_text().startswith(f"Run #{lora_run} · ")
    assert f"LoRA ‹{name}› on" in header.full_text() and "base weights" not in header.full_text()
    assert f"adapter ‹{name}› (LoRA), on" in header.toolTip()
    assert f"LoRA ‹{name}› on" in _history_tooltip(window, lora_run)

    window.open_run(base_run)
    assert header.full_text().endswith("· base weights") and "LoRA" not in header.full_text()
    assert "base weights" in _history_tooltip(window, base_run)

    _job, _run, _result = sampling_steps._click_and_wait(qtbot, host, sampling.controls.generate_button, True)
    assert not header.isVisible()
