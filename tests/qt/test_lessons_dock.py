"""The Lessons dock: a lesson built from the run history, stepped through with Page Down/Up."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from waiting import JOB_TIMEOUT_MS, wait_for_result

from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.core.sampling.params import SamplingParams
from workbench.core.tracing.params import TraceParams
from workbench.store import lessons
from workbench.store.lesson_jobs import LessonChanged
from workbench.store.project import ProjectStore
from workbench.ui.main_window import MainWindow
from workbench.worker import WorkerHost

SAMPLE_PROMPT = "Once upon a time a giraffe"
TRACE_PROMPT = "The Eiffel Tower is in the city of"


@pytest.fixture()
def window(qtbot, host: WorkerHost, settings, tiny_model_dir: Path, tmp_path: Path) -> MainWindow:
    """A window on a project with a sampling run and a trace run of the tiny model."""
    main_window = MainWindow(host, settings)
    qtbot.addWidget(main_window)
    main_window.resize(1280, 720)
    main_window.show()
    wait_for_result(qtbot, host, str, lambda: main_window.open_project(str(tmp_path / "lecture.wbproj")))
    load = host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda j, *_: j == load):
        pass
    main_window.sample_run = _stored_run(qtbot, host, SamplingParams(prompt=SAMPLE_PROMPT, max_new_tokens=3))
    main_window.trace_run = _stored_run(
        qtbot, host, TraceParams(prompt=TRACE_PROMPT, subject="Eiffel Tower", samples=2)
    )
    qtbot.waitUntil(lambda: len(main_window.run_history.run_ids()) == 2, timeout=JOB_TIMEOUT_MS)
    return main_window


def _stored_run(qtbot, host: WorkerHost, params: object) -> int:
    """Submit a lab's job and wait until it ends as a stored run; its id."""
    with qtbot.waitSignal(
        host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda _job, run, _result: run is not None
    ) as blocker:
        host.submit(params)
    return blocker.args[1]


def _lesson_job(qtbot, window: MainWindow, action) -> LessonChanged:
    return wait_for_result(qtbot, window.host, LessonChanged, action)[2]


def test_page_down_in_present_mode_goes_to_the_next_step_and_reopens_its_run(qtbot, window: MainWindow) -> None:
    dock = window.lessons_dock
    tracing, sampling = window.panels["tracing"], window.panels["sampling"]
    window.tabs.setCurrentWidget(window.panels["editing"])
    _lesson_job(qtbot, window, lambda: dock.new_lesson("Chapter 4"))
    with qtbot.waitSignal(dock.sig_step_shown, timeout=JOB_TIMEOUT_MS):  # the step added last is shown
        _lesson_job(qtbot, window, lambda: dock.add_runs([window.trace_run, window.sample_run]))
    assert [s.run_id for s in dock.steps] == [window.trace_run, window.sample_run]
    assert window.tabs.currentWidget() is sampling
    with qtbot.waitSignal(dock.sig_step_shown, timeout=5000):
        dock.step_list.setCurrentRow(0)
    assert window.tabs.currentWidget() is tracing
    assert tracing.controls.prompt.text() == TRACE_PROMPT

    window.present_action.trigger()
    assert dock.isVisible() and not dock.notes_editor.isVisible() and dock.preview.isVisible()
    with qtbot.waitSignal(dock.sig_step_shown, timeout=5000) as shown:
        qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_PageDown)
    assert shown.args == [dock.steps[1].id]
    assert window.tabs.currentWidget() is sampling
    assert sampling.controls.prompt.toPlainText() == SAMPLE_PROMPT
    assert dock.step_heading.text().startswith("2/2")

    with qtbot.waitSignal(dock.sig_step_shown, timeout=5000) as shown:
        qtbot.keyClick(sampling.controls.prompt, Qt.Key.Key_PageUp)  # even from a text box
    assert shown.args == [dock.steps[0].id] and window.tabs.currentWidget() is tracing
    window.present_action.trigger()
    assert not dock.notes_editor.isHidden()


def test_notes_render_reorder_and_export_import_through_the_dock(qtbot, window: MainWindow, tmp_path: Path) -> None:
    dock = window.lessons_dock
    dock.show()
    _lesson_job(qtbot, window, lambda: dock.new_lesson("Chapter 4"))
    _lesson_job(qtbot, window, lambda: dock.add_runs([window.trace_run, window.sample_run]))
    dock.step_list.setCurrentRow(1)
    qtbot.keyClicks(dock.notes_editor, "**giraffe**")
    assert "giraffe" in dock.preview.toPlainText() and "**" not in dock.preview.toPlainText()
    _lesson_job(qtbot, window, dock.save_notes)
    _lesson_job(qtbot, window, lambda: dock.move_current(-1))
    assert [s.run_id for s in dock.steps] == [window.sample_run, window.trace_run]
    assert dock.steps[0].notes == "**giraffe**" and dock.current_step().id == dock.steps[0].id

    exported = dock.export_lesson(str(tmp_path / "ch4.wblesson"))
    assert exported is not None and exported.exists()
    _lesson_job(qtbot, window, lambda: dock.import_lesson(str(exported)))
    assert dock.lesson_list.count() == 2
    with ProjectStore.open(window.project_path, read_only=True) as reader:
        imported = lessons.lesson_steps(reader, lessons.list_lessons(reader)[1].id)
        assert [s.notes for s in imported] == ["**giraffe**", ""]
        assert {s.run_id for s in imported}.isdisjoint({window.sample_run, window.trace_run})
        assert len(reader.list_runs()) == 4


def test_notes_typed_just_before_the_window_closes_are_saved(qtbot, window: MainWindow, tmp_path: Path) -> None:
    dock = window.lessons_dock
    _lesson_job(qtbot, window, lambda: dock.new_lesson("Chapter 5"))
    with qtbot.waitSignal(dock.sig_step_shown, timeout=JOB_TIMEOUT_MS):
        _lesson_job(qtbot, window, lambda: dock.add_runs([window.trace_run]))
    dock.notes_editor.setPlainText("Restore the **subject** state")  # closed before the save delay
    assert dock._save_timer.isActive()
    window.close()
    with ProjectStore.open(tmp_path / "lecture.wbproj") as store:
        [lesson] = lessons.list_lessons(store)
        assert [step.notes for step in lessons.lesson_steps(store, lesson.id)] == ["Restore the **subject** state"]
