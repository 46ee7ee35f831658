"""A job's signals reach the callbacks it was submitted with, and nobody else's."""

from __future__ import annotations

from typing import Any

import numpy as np
from jobs_for_tests import FailingParams, SleepyParams, SleepyResult

from workbench.ui.panels.base import Panel
from workbench.worker import WorkerHost

TIMEOUT_MS = 10_000


class Listener:
    """What one panel heard about its jobs, in order."""

    def __init__(self, panel: Panel) -> None:
        self.panel = panel
        self.heard: list[tuple[str, Any]] = []

    def submit(self, params: Any, **options: Any) -> int:
        return self.panel.submit(
            params,
            title="test job",
            on_result=lambda result, run_id: self.heard.append(("result", result.tag)),
            on_progress=lambda _fraction, message, _partial: self.heard.append(("progress", message)),
            on_stopped=lambda: self.heard.append(("stopped", None)),
            **options,
        )


def _listeners(qtbot, host: WorkerHost) -> tuple[Listener, Listener]:
    panels = Panel(host), Panel(host)
    for panel in panels:
        qtbot.addWidget(panel)
    return Listener(panels[0]), Listener(panels[1])


def test_two_panels_each_hear_only_their_own_job_and_nothing_after_it_ends(qtbot, host: WorkerHost) -> None:
    first, second = _listeners(qtbot, host)
    a = first.submit(SleepyParams(units=3, tag="a"))
    b = second.submit(SleepyParams(units=2, tag="b"))
    assert first.panel.running() == [a] and second.panel.running() == [b]
    with qtbot.waitSignal(host.sig_run_finished, timeout=TIMEOUT_MS, check_params_cb=lambda job, *_: job == b):
        pass
    assert first.heard[-1] == ("result", "a") and second.heard[-1] == ("result", "b")
    assert all(kind == "progress" and message.endswith("of 3") for kind, message in first.heard[:-1])
    assert all(kind == "progress" and message.endswith("of 2") for kind, message in second.heard[:-1])
    assert first.heard[-2] == ("progress", "unit 3 of 3") and second.heard[-2] == ("progress", "unit 2 of 2")
    assert first.panel.running() == [] and second.panel.running() == []

    heard_before = (list(first.heard), list(second.heard))
    host.sig_progress.emit(a, 0.5, "late", None)  # as a stray signal for an ended job would arrive
    host.sig_run_finished.emit(a, None, SleepyResult(tag="again", values=np.zeros(1)))
    host.sig_job_cancelled.emit(b)
    assert (first.heard, second.heard) == heard_before


def test_a_failure_stops_its_job_and_shows_its_message_in_a_box_unless_the_panel_shows_it(
    qtbot, host: WorkerHost
) -> None:
    first, second = _listeners(qtbot, host)
    messages: list[str] = []
    boxed: list[int] = []
    host.sig_failure_to_show.connect(lambda job, _message, _details: boxed.append(job))
    in_place = first.submit(FailingParams(), on_failed=messages.append, shows_failure=True)
    in_box = second.submit(FailingParams())
    with qtbot.waitSignal(host.sig_job_failed, timeout=TIMEOUT_MS, check_params_cb=lambda job, *_: job == in_box):
        pass
    assert first.heard == [("progress", "about to fail"), ("stopped", None)]
    assert second.heard == [("progress", "about to fail"), ("stopped", None)]
    assert messages == ["The prompt is empty; type a prompt first."]
    assert boxed == [in_box] and in_place not in boxed


def test_a_withdrawn_job_stops_counting_at_once_and_is_never_heard_of_again(qtbot, host: WorkerHost) -> None:
    first, _second = _listeners(qtbot, host)
    with qtbot.waitSignal(host.sig_job_started, timeout=TIMEOUT_MS):
        holder = first.submit(SleepyParams(units=100_000, delay_s=0.01, tag="holder"))
    first.submit(SleepyParams(units=2, tag="queued"))
    later = first.submit(SleepyParams(units=1, tag="later"))
    first.panel.withdraw_queued(SleepyParams)  # the running holder stays
    assert first.panel.running() == [holder]
    with qtbot.waitSignal(host.sig_job_cancelled, timeout=TIMEOUT_MS, check_params_cb=lambda job: job == later):
        host.cancel(holder)
    assert ("stopped", None) in first.heard  # the holder's end: it was not withdrawn
    assert not [entry for entry in first.heard if entry[0] == "result"]
    assert first.heard.count(("stopped", None)) == 1
