"""Primary buttons keep their place when the content around them changes (issue 18: after
the first Step ▸ the next click landed on "Save steps as run"; Trace moved after choosing a
preset; Apply edit moved after typing the target)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QRect
from PySide6.QtWidgets import QApplication, QWidget
from waiting import wait_for_result

from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.core.sampling.records import SamplingResult
from workbench.core.tracing.results import PromptPreview
from workbench.ui.panels.editing import EditingPanel
from workbench.ui.panels.sampling import SamplingPanel
from workbench.ui.panels.tracing import TracingPanel
from workbench.worker import WorkerHost

SIZE = (1280, 680)  # a 1280×720 window less its menu and status bars


def _place(*buttons: QWidget) -> list[QRect]:
    """Where the buttons are in their window, as the mouse sees them, once every pending
    layout request (posted by a label that changed, a widget shown) has been carried out."""
    for _ in range(4):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()
    return [QRect(b.mapTo(b.window(), b.rect().topLeft()), b.size()) for b in buttons]


def _load(qtbot, host: WorkerHost, folder: Path) -> None:
    load = lambda: host.submit(LoadModelParams(ModelSpec(source="folder", name=str(folder))))  # noqa: E731
    wait_for_result(qtbot, host, object, load)


def _show(qtbot, panel: QWidget) -> None:
    qtbot.addWidget(panel)
    panel.resize(*SIZE)
    panel.show()
    qtbot.waitExposed(panel)


def test_step_button_stays_put_when_step_mode_shows_its_status_and_save_button(qtbot, host, tiny_model_dir) -> None:
    panel = SamplingPanel(host)
    _show(qtbot, panel)
    _load(qtbot, host, tiny_model_dir)
    controls = panel.controls
    controls.prompt.setPlainText("Once upon a time")
    qtbot.waitUntil(controls.step_button.isEnabled)
    before = _place(controls.generate_button, controls.step_button, controls.cancel_button)
    wait_for_result(qtbot, host, SamplingResult, controls.step_button.click)
    qtbot.waitUntil(controls.save_steps_button.isVisible)
    qtbot.waitUntil(controls.step_button.isEnabled)
    assert _place(controls.generate_button, controls.step_button, controls.cancel_button) == before
    assert not controls.save_steps_button.geometry().intersects(controls.step_button.geometry())


def test_trace_button_stays_put_when_a_preset_fills_the_prompt_chips_and_target(qtbot, host, tiny_model_dir) -> None:
    panel = TracingPanel(host)
    _show(qtbot, panel)
    _load(qtbot, host, tiny_model_dir)
    controls = panel.controls
    before = _place(controls.trace_button, controls.cancel_button)
    index = next(i for i in range(controls.preset.count()) if controls.preset.itemData(i) is not None)
    choose = lambda: (controls.preset.setCurrentIndex(index), controls.preset.activated.emit(index))  # noqa: E731
    wait_for_result(qtbot, host, PromptPreview, choose)
    qtbot.waitUntil(lambda: controls.preview() is not None and bool(controls.chips.selected_span()))
    assert _place(controls.trace_button, controls.cancel_button) == before


@pytest.mark.parametrize("model_loaded", [False, True])
def test_apply_edit_stays_put_when_a_message_comes_and_goes_and_the_target_hint_grows(
    qtbot, host, tiny_model_dir, model_loaded
) -> None:
    panel = EditingPanel(host)
    _show(qtbot, panel)
    if model_loaded:
        _load(qtbot, host, tiny_model_dir)
        qtbot.waitUntil(panel.form.apply_button.isEnabled)
    form = panel.form
    before = _place(form.apply_button, form.cancel_button)
    qtbot.keyClicks(form.prompt, "The Eiffel Tower is located in")
    qtbot.keyClicks(form.subject, "Eiffel Tower")
    panel.apply_edit()  # no target yet (or no model): the form explains why, in place
    qtbot.waitUntil(form.message.isVisible)
    assert _place(form.apply_button, form.cancel_button) == before
    qtbot.keyClicks(form.target_new, " Rome, the capital of the country that is shaped like a boot")
    qtbot.waitUntil(lambda: "Taught as" in form.target_hint.text())
    assert _place(form.apply_button, form.cancel_button) == before
