"""Waiting on the worker in pytest-qt tests (importable as ``waiting``)."""

from __future__ import annotations

from collections.abc import Callable

from workbench.worker import WorkerHost

JOB_TIMEOUT_MS = 120_000
"""Generous: the 2-core CI machine may be busy with other tests' threads."""


def wait_for_result(qtbot, host: WorkerHost, result_type: type, action: Callable[[], object]) -> tuple:
    """Do ``action`` and wait for the job that ends with a ``result_type`` result; the
    signal's arguments ``(job_id, run_id, result)``."""
    with qtbot.waitSignal(
        host.sig_run_finished,
        timeout=JOB_TIMEOUT_MS,
        check_params_cb=lambda _job, _run, result: isinstance(result, result_type),
    ) as blocker:
        action()
    return blocker.args
