"""A lesson of runs from every lab, stepped through with Page Down/Up: each step restores its
lab, its inputs and the view kept with it; a live step runs when it is reached."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget
from waiting import JOB_TIMEOUT_MS, wait_for_result

from workbench.core.editing.params import EditParams, EditRequest, RomeSettings
from workbench.core.finetune.params import DataConfig, FinetuneParams, TrainConfig
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.core.rag.params import IngestParams, QueryParams
from workbench.core.sampling.params import SamplingParams
from workbench.core.sampling.records import SamplingResult
from workbench.core.tracing.params import TraceParams
from workbench.store.lesson_jobs import LessonChanged
from workbench.ui.main_window import MainWindow
from workbench.worker import WorkerHost

SAMPLE_PROMPT = "Once upon a time a giraffe"
TRACE_PROMPT = "The Eiffel Tower is in the city of"
EDIT_PROMPT = "The Eiffel Tower is located in the city of"
LIVE_PROMPT = "A zebra lives in"

INPUTS: dict[str, Callable[[MainWindow], str]] = {
    "sampling": lambda w: w.panels["sampling"].controls.prompt.toPlainText(),
    "tracing": lambda w: w.panels["tracing"].controls.prompt.text(),
    "editing": lambda w: w.panels["editing"].form.prompt.text(),
    "finetune": lambda w: w.panels["finetune"].data.path.text(),
    "rag": lambda w: w.panels["rag"].ingest.collection.currentText(),
}


def _stored_run(qtbot, host: WorkerHost, params: object) -> int:
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda _job, run, _result: run is not None
    ) as blocker:
        host.submit(params)
    return blocker.args[1]


@pytest.fixture()
def window(qtbot, host: WorkerHost, settings, tiny_model_dir: Path, tmp_path: Path) -> MainWindow:
    main_window = MainWindow(host, settings)
    qtbot.addWidget(main_window)
    main_window.resize(1280, 720)
    main_window.show()
    wait_for_result(qtbot, host, str, lambda: main_window.open_project(str(tmp_path / "lecture.wbproj")))
    wait_for_result(
        qtbot, host, object, lambda: host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))
    )
    return main_window


def _runs_of_every_lab(qtbot, host: WorkerHost, tmp_path: Path) -> dict[str, tuple[int, str]]:
    """One stored run per lab, with the input text its lab shows when it is reopened."""
    data = tmp_path / "facts.jsonl"
    data.write_text("\n".join(json.dumps({"prompt": f"Where is it? {i}", "completion": " Paris."}) for i in range(6)))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zebra.txt").write_text("The zebra lives in Africa. Zebras have stripes.", encoding="utf-8")
    rome = RomeSettings(layer=1, covariance="identity", v_steps=5, prefix_count=2)
    request = EditRequest(prompt=EDIT_PROMPT, subject="Eiffel Tower", target_new=" Rome")
    train = TrainConfig(max_steps=2, batch_size=2, eval_every=0, patience=0)
    _stored_run(qtbot, host, IngestParams(collection="animals", paths=(str(docs),), embedder="e5-small"))
    return {
        "sampling": (_stored_run(qtbot, host, SamplingParams(prompt=SAMPLE_PROMPT, max_new_tokens=3)), SAMPLE_PROMPT),
        "tracing": (
            _stored_run(qtbot, host, TraceParams(prompt=TRACE_PROMPT, subject="Eiffel Tower", samples=2)),
            TRACE_PROMPT,
        ),
        "editing": (_stored_run(qtbot, host, EditParams(method="rome", request=request, rome=rome)), EDIT_PROMPT),
        "finetune": (
            _stored_run(
                qtbot,
                host,
                FinetuneParams(data=DataConfig(source=str(data)), train=train, output_dir=str(tmp_path / "a")),
            ),
            str(data),
        ),
        "rag": (
            _stored_run(qtbot, host, QueryParams(collection="animals", query="zebra stripes", retriever="bm25")),
            "animals",
        ),
    }


def _lesson_job(qtbot, window: MainWindow, action) -> LessonChanged:
    return wait_for_result(qtbot, window.host, LessonChanged, action)[2]


def _change_view(window: MainWindow, lab: str) -> None:
    """Leave the lab in a view its reopened run would not show by itself."""
    panel = window.panels[lab]
    for tabs in panel.findChildren(QTabWidget):
        tabs.setCurrentIndex(tabs.count() - 1)
    if lab == "tracing":
        panel.trio.select_cell("mlp", 1, 0)


def test_page_down_and_up_restore_each_lab_its_inputs_and_its_kept_view(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    host, dock = window.host, window.lessons_dock
    runs = _runs_of_every_lab(qtbot, host, tmp_path)
    _lesson_job(qtbot, window, lambda: dock.new_lesson("Every lab"))
    _lesson_job(qtbot, window, lambda: dock.add_runs([run for run, _text in runs.values()]))
    kept: dict[str, dict] = {}
    for row, lab in enumerate(runs):
        with qtbot.waitSignal(dock.sig_step_shown, timeout=5000):
            dock.step_list.setCurrentRow(row)
        assert window.tabs.currentWidget() is window.panels[lab]
        _change_view(window, lab)
        kept[lab] = window.panels[lab].view_state()
        _lesson_job(qtbot, window, dock.keep_view)
    assert [step.view["lab"] for step in dock.steps] == list(runs)
    assert kept["tracing"]["cell"] == ("mlp", 1, 0)

    window.panels["sampling"].controls.prompt.setPlainText(LIVE_PROMPT)
    window.tabs.setCurrentWidget(window.panels["sampling"])
    _lesson_job(qtbot, window, lambda: dock.add_live_step("Sample it now"))
    assert dock.steps[-1].kind == "live" and dock.steps[-1].live["params"]["prompt"] == LIVE_PROMPT
    window.panels["sampling"].controls.prompt.setPlainText("something else")

    with qtbot.waitSignal(dock.sig_step_shown, timeout=5000):
        dock.step_list.setCurrentRow(0)
    window.present_action.trigger()
    branches = window.panels["sampling"].generation.branches
    roots_before = len(branches.branch_ids())

    def check(lab: str) -> None:
        panel = window.panels[lab]
        assert window.tabs.currentWidget() is panel
        assert INPUTS[lab](window) == runs[lab][1]
        assert panel.view_state() == kept[lab]

    check("sampling")
    for lab in list(runs)[1:]:
        with qtbot.waitSignal(dock.sig_step_shown, timeout=5000):
            qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_PageDown)
        check(lab)
    with qtbot.waitSignal(
        host.sig_run_finished,
        timeout=JOB_TIMEOUT_MS,
        check_params_cb=lambda _j, _r, res: isinstance(res, SamplingResult),
    ) as live:
        qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_PageDown)  # the live step samples now
    assert live.args[2].params.prompt == LIVE_PROMPT
    assert window.panels["sampling"].controls.prompt.toPlainText() == LIVE_PROMPT
    for lab in reversed(list(runs)):
        with qtbot.waitSignal(dock.sig_step_shown, timeout=5000):
            qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_PageUp)
        check(lab)
    assert len(branches.branch_ids()) == roots_before + 1  # the live generation; the run's branch is not doubled
