"""The status-bar chip says what the model is in every lab (issue 18: after training a LoRA
the adapter stayed on everywhere and nothing said so; applied edits were only visible in
the editing lab)."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_editing_panel as editing_steps
import test_finetune_panel as finetune_steps
from waiting import wait_for_result

from workbench.core.editing.params import EditResult, LedgerState
from workbench.core.finetune.params import AdapterState
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.ui.main_window import MainWindow
from workbench.ui.settings import AppSettings
from workbench.worker import WorkerHost


@pytest.fixture()
def window(qtbot, host: WorkerHost, settings: AppSettings, tiny_model_dir: Path, tmp_path: Path) -> MainWindow:
    main_window = MainWindow(host, settings)
    qtbot.addWidget(main_window)
    main_window.resize(1280, 720)
    main_window.show()
    load = lambda: host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))  # noqa: E731
    wait_for_result(qtbot, host, object, load)
    main_window.panels["finetune"].settings.folder.setText(str(tmp_path / "adapters"))  # type: ignore[attr-defined]
    return main_window


def test_a_trained_adapter_shows_in_the_status_bar_of_every_lab_and_turns_off_from_there(
    qtbot, host, window, tmp_path
) -> None:
    chip = window.model_state
    assert chip.isVisible() and chip.text() == "base weights"
    finetune = window.panels["finetune"]
    window.tabs.setCurrentWidget(finetune)
    data = tmp_path / "facts.jsonl"
    data.write_text("\n".join(f'{{"prompt": "Where is it? {i}", "completion": " Paris."}}' for i in range(10)))
    with qtbot.waitSignal(host.sig_run_finished, timeout=120_000,
                          check_params_cb=lambda _j, _r, result: isinstance(result, AdapterState) and bool(result.adapters)):  # fmt: skip
        finetune_steps._train(qtbot, finetune, data)
    name = finetune.adapters.state().adapters[0].name  # type: ignore[attr-defined]

    window.tabs.setCurrentWidget(window.panels["rag"])
    assert chip.isVisible()
    assert f"‹{name}› on" in chip.text() and "lora" in chip.text().lower()
    assert "Fine-tuning" in chip.toolTip() and "every lab" in chip.toolTip().lower()

    menu = chip.build_menu()
    switch = next(action for action in menu.actions() if action.isCheckable() and action.text().startswith("Adapter"))
    assert switch.isChecked()
    _job, _run, state = wait_for_result(qtbot, host, AdapterState, switch.trigger)
    assert not state.enabled
    assert f"‹{name}› off" in chip.text()
    assert not finetune.adapters.enabled.isChecked()  # the lab's own list follows the chip's switch


def test_an_applied_edit_is_counted_in_the_status_bar_outside_the_editing_lab(qtbot, host, window) -> None:
    chip = window.model_state
    editing = window.panels["editing"]
    window.tabs.setCurrentWidget(editing)
    editing_steps._fill(qtbot, editing)
    wait_for_result(qtbot, host, EditResult, editing.form.apply_button.click)
    window.tabs.setCurrentWidget(window.panels["sampling"])
    assert chip.text() == "1 edit" and "Model Editing" in chip.toolTip()

    menu = chip.build_menu()
    toggle = next(action for action in menu.actions() if action.text().startswith("Edit #"))
    _job, _run, ledger = wait_for_result(qtbot, host, LedgerState, toggle.trigger)
    assert not any(entry.enabled for entry in ledger.entries)
    assert chip.text() == "base weights"
