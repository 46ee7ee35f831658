"""The worker thread: FIFO jobs, throttled progress, cancellation, failures that never kill it."""

from __future__ import annotations

import time

from jobs_for_tests import FailingParams, SleepyParams, SleepyResult

from workbench.worker import WorkerHost


def test_submitted_job_reports_progress_and_finishes_with_its_result(qtbot, host: WorkerHost) -> None:
    progress: list[tuple[float, str, object]] = []
    host.sig_progress.connect(lambda _id, fraction, message, partial: progress.append((fraction, message, partial)))
    with qtbot.waitSignal(host.sig_run_finished, timeout=5000) as blocker:
        job_id = host.submit(SleepyParams(units=5, delay_s=0.05, tag="a"))
    finished_id, run_id, result = blocker.args
    assert finished_id == job_id
    assert run_id is None  # no project open: nothing stored
    assert isinstance(result, SleepyResult) and result.tag == "a"
    assert result.values.tolist() == [0, 1, 2, 3, 4]
    assert progress and progress[-1][0] == 1.0
    assert progress[-1][2] == [0, 1, 2, 3, 4], "the last partial is the complete snapshot"


def test_progress_is_throttled_for_chatty_jobs(qtbot, host: WorkerHost) -> None:
    count = []
    host.sig_progress.connect(lambda *args: count.append(args))
    with qtbot.waitSignal(host.sig_run_finished, timeout=10000):
        host.submit(SleepyParams(units=2000, delay_s=0.0002))
    assert 1 <= len(count) < 200, f"{len(count)} progress signals for 2000 updates"


def test_jobs_run_one_at_a_time_in_submission_order(qtbot, host: WorkerHost) -> None:
    order: list[str] = []
    started: list[int] = []
    host.sig_job_started.connect(lambda job_id, _title: started.append(job_id))
    host.sig_run_finished.connect(lambda _id, _run, result: order.append(result.tag))
    ids = [host.submit(SleepyParams(units=3, delay_s=0.01, tag=tag)) for tag in "abcd"]
    qtbot.waitUntil(lambda: len(order) == 4, timeout=5000)
    assert order == list("abcd")
    assert started == ids


def test_cancel_stops_a_running_job_within_a_second(qtbot, host: WorkerHost) -> None:
    with qtbot.waitSignal(host.sig_job_started, timeout=5000):
        job_id = host.submit(SleepyParams(units=10_000, delay_s=0.01))
    cancelled_at = time.monotonic()
    with qtbot.waitSignal(host.sig_job_cancelled, timeout=2000) as blocker:
        host.cancel()
    assert blocker.args == [job_id]
    assert time.monotonic() - cancelled_at < 1.0
    assert not host.busy


def test_cancelling_a_queued_job_skips_it_and_later_jobs_still_run(qtbot, host: WorkerHost) -> None:
    finished: list[str] = []
    cancelled: list[int] = []
    host.sig_run_finished.connect(lambda _id, _run, result: finished.append(result.tag))
    host.sig_job_cancelled.connect(cancelled.append)
    host.submit(SleepyParams(units=20, delay_s=0.01, tag="first"))
    skipped = host.submit(SleepyParams(units=20, delay_s=0.01, tag="skipped"))
    host.submit(SleepyParams(units=2, delay_s=0.01, tag="last"))
    host.cancel(skipped)
    qtbot.waitUntil(lambda: finished == ["first", "last"], timeout=5000)
    assert cancelled == [skipped]


def test_a_user_error_fails_the_job_with_its_sentence_and_the_worker_goes_on(qtbot, host: WorkerHost) -> None:
    with qtbot.waitSignal(host.sig_job_failed, timeout=5000) as blocker:
        job_id = host.submit(FailingParams(user_error=True))
    failed_id, message, details = blocker.args
    assert failed_id == job_id
    assert message == "The prompt is empty; type a prompt first."
    assert "InvalidParameters" in details
    with qtbot.waitSignal(host.sig_run_finished, timeout=5000):
        host.submit(SleepyParams(units=1))


def test_an_unexpected_exception_is_reported_with_its_traceback(qtbot, host: WorkerHost) -> None:
    with qtbot.waitSignal(host.sig_job_failed, timeout=5000) as blocker:
        host.submit(FailingParams(user_error=False), "Divide")
    _id, message, details = blocker.args
    assert message.startswith("Divide failed unexpectedly: ZeroDivisionError")
    assert "Traceback" in details and "failing_job" in details
    assert host.worker_thread.isRunning()


def test_shutdown_during_a_long_job_cancels_it_and_stops_the_thread(qtbot) -> None:
    host = WorkerHost()
    with qtbot.waitSignal(host.sig_job_started, timeout=5000):
        host.submit(SleepyParams(units=100_000, delay_s=0.01))
    started = time.monotonic()
    assert host.shutdown(5000)
    assert time.monotonic() - started < 2.0
    assert not host.worker_thread.isRunning()


def test_shutdown_without_cancelling_runs_what_was_queued_behind_a_running_job(qtbot) -> None:
    """The last writes queued at closing (lesson notes) ran only when the worker was idle: quitting
    its event loop from the GUI thread dropped the requests still queued behind a running job."""
    host = WorkerHost()
    finished: list[str] = []
    host.sig_run_finished.connect(lambda _id, _run, result: finished.append(result.tag))
    with qtbot.waitSignal(host.sig_job_started, timeout=5000):
        host.submit(SleepyParams(units=30, delay_s=0.01, tag="running"))
    host.submit(SleepyParams(units=1, delay_s=0.0, tag="queued last"))
    assert host.shutdown(5000, cancel=False)
    qtbot.waitUntil(lambda: finished == ["running", "queued last"], timeout=2000)


def test_a_result_the_project_cannot_store_is_still_shown_with_a_warning(qtbot, host: WorkerHost, tmp_path) -> None:
    from jobs_for_tests import UnstorableParams

    from workbench.store.project_jobs import OpenProjectParams

    with qtbot.waitSignal(host.sig_run_finished, timeout=10000):  # after sig_project_changed
        host.submit(OpenProjectParams(str(tmp_path / "p.wbproj")))
    warnings: list[str] = []
    host.sig_warning.connect(warnings.append)
    with qtbot.waitSignal(host.sig_run_finished, timeout=5000) as blocker:
        host.submit(UnstorableParams(), "Odd result")
    assert blocker.args[1] is None
    assert blocker.args[2]["payload"].dtype == object
    qtbot.waitUntil(lambda: bool(warnings), timeout=2000)
    assert warnings[0].startswith("Odd result finished, but the project could not store it")
