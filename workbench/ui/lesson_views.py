"""Showing a lesson step in the main window: its lab, its inputs and its view.

A run step reopens its run (the Run history's own path) and then the view kept with the
step (``Panel.view_state``: tabs, selected heatmap cell …).  A live step is an action
(``{"lab": …, "params": …}``): shown, its parameters go into the lab's inputs; presented,
the lab runs them in front of the room.  Both kinds are described here in plain JSON, so
they travel in lesson files and bundled lessons alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from workbench.store.codec import params_from_json, to_plain_json

IDLE_POLL_MS = 50

if TYPE_CHECKING:
    from workbench.store.lessons import LessonStepRecord
    from workbench.ui.lab_window import LabWindow
    from workbench.ui.panels.base import Panel


class StepProblem(Exception):
    """A step that cannot be shown as stored (an unknown lab, parameters this version cannot read)."""


def current_lab(window: LabWindow) -> tuple[str, Panel]:
    """The lab shown now, by its name in ``window.panels``."""
    shown = window.tabs.currentWidget()
    return next((name, panel) for name, panel in window.panels.items() if panel is shown)


def kept_view(window: LabWindow) -> dict[str, Any]:
    """The view of the lab shown now, to be restored with a step."""
    name, panel = current_lab(window)
    return {"lab": name, **panel.view_state()}


def live_action(window: LabWindow) -> dict[str, Any]:
    """The current lab's main action as set up now; ``StepProblem`` where the lab has none."""
    name, panel = current_lab(window)
    if panel.live_params_type is None:
        raise StepProblem(f"The {panel.title} lab has no live steps; live steps sample, trace or edit.")
    return {"lab": name, "params": to_plain_json(panel.live_params())}


def _lab(window: LabWindow, name: Any) -> Panel:
    panel = window.panels.get(str(name))
    if panel is None:
        raise StepProblem(f"This step names a lab this version does not have ({name!r}).")
    return panel


def show_step(window: LabWindow, step: LessonStepRecord, *, present: bool) -> QTimer | None:
    """Show ``step``: its run or live action in its lab, then its kept view.

    ``present``: a live step runs now (Present mode); otherwise its inputs are only filled in.
    Returns the timer that restores a live step's view once it has run (stop it when another
    step is shown first), or None when the view is restored already.
    """
    ran: Panel | None = None
    if step.run_id is not None:
        window.open_run(step.run_id)
    elif step.kind == "live" and step.live is not None:
        panel = _lab(window, step.live.get("lab"))
        if panel.live_params_type is None:
            raise StepProblem(f"The {panel.title} lab has no live steps.")
        try:
            params: Any = params_from_json(panel.live_params_type, step.live.get("params") or {})
        except (TypeError, ValueError, KeyError) as error:
            raise StepProblem(f"This live step's parameters cannot be read ({error}).") from error
        window.tabs.setCurrentWidget(panel)
        (panel.run_live if present else panel.show_live)(params)
        ran = panel if present else None
    if step.view and ran is not None:
        view = step.view
        return _after_jobs(ran, lambda: restore_view(window, view))
    if step.view:
        restore_view(window, step.view)
    return None


def _after_jobs(panel: Panel, action: Callable[[], None]) -> QTimer | None:
    """Do ``action`` once ``panel`` has no job left: a live step's result shows itself (and
    switches the lab's tab) when it arrives, so its kept view is restored after that."""
    if not panel.running():
        action()
        return None
    timer = QTimer(panel)
    timer.setInterval(IDLE_POLL_MS)

    def check() -> None:
        if not panel.running():
            timer.stop()
            action()

    timer.timeout.connect(check)
    timer.start()
    return timer


def restore_view(window: LabWindow, view: Mapping[str, Any]) -> None:
    """Bring the kept view's lab forward and restore its tabs and selection."""
    panel = _lab(window, view.get("lab"))
    window.tabs.setCurrentWidget(panel)
    panel.restore_view_state(view)
