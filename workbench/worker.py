"""The one background thread that owns the model session and the project store.

The GUI thread builds frozen job-parameter dataclasses and calls ``WorkerHost.submit``;
the ``Worker`` (a QObject living in a ``QThread``) runs them one at a time in FIFO order
(queued signals are delivered in order), saves each as a run, and reports back with
signals.  Cancel flags are ``threading.Event``s set directly from the GUI thread, so a
cancel never waits behind the job it is meant to stop.

The worker knows nothing of who asked for a job.  The host, in the GUI thread, hands each
job's signals to the ``JobCallbacks`` given with it (and to nobody else's), then drops them
when the job ends, so a view never has to filter other views' jobs out of a broadcast.
"""

from __future__ import annotations

import itertools
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from workbench.base.errors import JobCancelled, WorkbenchError
from workbench.base.jobs import JOBS, CancelToken, JobContext, JobParams, Progress, RegisteredJob, run_job

if TYPE_CHECKING:
    from workbench.core.context import CoreContext
    from workbench.store import FinalRunStatus

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 1 / 30
"""At most ~30 progress signals a second: enough for smooth bars, cheap for a 60 fps GUI."""


@dataclass(frozen=True)
class JobRequest:
    job_id: int
    params: Any
    title: str
    cancel: CancelToken


@dataclass(frozen=True)
class JobCallbacks:
    """What the submitter of one job hears about it, called in the GUI thread.

    Exactly one of ``on_result`` or ``on_stopped`` ends a job; after it the host forgets
    these, so a late signal can never reach a view that has moved on.
    """

    on_result: Callable[[Any, int | None], None]
    """The result and its stored run id (None without a project, or when storing failed)."""
    on_progress: Callable[[float, str, Any], None] | None = None
    """Fraction, message and the cumulative partial result while the job runs."""
    on_stopped: Callable[[], None] | None = None
    """The job failed or was cancelled: it has no result."""
    on_failed: Callable[[str], None] | None = None
    """The failure's message, after ``on_stopped`` (which resets the view it then explains)."""
    shows_failure: bool = False
    """``on_failed`` shows the message where the job was asked for, so no message box is needed."""


class Worker(QObject):
    """Runs jobs in its own thread; never touched directly from the GUI thread."""

    sig_job_started = Signal(int, str)  # job_id, title
    sig_progress = Signal(int, float, str, object)  # job_id, fraction, message, partial
    sig_run_finished = Signal(int, object, object)  # job_id, run_id or None, result
    sig_job_failed = Signal(int, str, str)  # job_id, message, details
    sig_job_cancelled = Signal(int)  # job_id
    sig_model_changed = Signal(object)  # ModelInfo or None
    sig_project_changed = Signal(str)  # path of the open project
    sig_warning = Signal(str)  # something went wrong that did not fail the job

    def __init__(self) -> None:
        super().__init__()
        self.context: CoreContext = JobContext()
        self._model_id: int | None = None

    @Slot(object)
    def _on_job_submitted(self, request: JobRequest) -> None:
        params = request.params
        if request.cancel.cancelled:
            self.sig_job_cancelled.emit(request.job_id)
            return
        self.sig_job_started.emit(request.job_id, request.title)
        model_before, store_before = self.context.model, self.context.store
        run_id: int | None = None

        def emit_progress(fraction: float, message: str, partial: Any) -> None:
            self.sig_progress.emit(request.job_id, fraction, message, partial)

        progress = Progress(emit_progress, min_interval=PROGRESS_INTERVAL_S)
        started = time.perf_counter()
        try:
            run_id = self._start_run(params, _registered_job(type(params)), request.title)
            self.context.run_id = run_id  # None for jobs that are not stored
            result = run_job(params, self.context, progress, request.cancel)
        except JobCancelled:
            progress.flush()
            self._finish_run(run_id, "cancelled", error="cancelled by the user")
            self.sig_job_cancelled.emit(request.job_id)
        except WorkbenchError as error:
            self._fail(request, run_id, str(error), traceback.format_exc())
        except Exception as error:  # a bug: keep the worker alive and show the traceback
            log.exception("job %s failed", request.title)
            message = f"{request.title} failed unexpectedly: {type(error).__name__}: {error}"
            self._fail(request, run_id, message, traceback.format_exc())
        else:
            progress.flush()
            log.info("job %s finished in %.2f s", request.title, time.perf_counter() - started)
            save_error = self._finish_run(run_id, "finished", result=result)
            self._announce_context_changes(model_before, store_before)
            self.sig_run_finished.emit(request.job_id, None if save_error else run_id, result)
            if save_error:
                self.sig_warning.emit(f"{request.title} finished, but the project could not store it: {save_error}")

    def _fail(self, request: JobRequest, run_id: int | None, message: str, details: str) -> None:
        self._finish_run(run_id, "failed", error=message)
        self.sig_job_failed.emit(request.job_id, message, details)

    def _announce_context_changes(self, model_before: Any, store_before: Any) -> None:
        """Jobs that load a model or open a project replace the context; tell the GUI."""
        if self.context.store is not store_before:
            if store_before is not None:
                store_before.close()
            self._register_model()
            self.sig_project_changed.emit(str(self.context.store.path) if self.context.store else "")
        if self.context.model is not model_before:
            self._register_model()
            self.sig_model_changed.emit(self.context.model.info if self.context.model else None)

    def _register_model(self) -> None:
        store, model = self.context.store, self.context.model
        self._model_id = None
        if store is None or model is None or store.read_only:
            return
        from workbench.store.codec import params_to_json

        self._model_id = store.register_model(
            params_to_json(model.spec), model.info.fingerprint, params_to_json(model.info)
        )

    def _start_run(self, params: JobParams, registered: RegisteredJob, title: str) -> int | None:
        store = self.context.store
        if store is None or store.read_only or not registered.saves_run:
            return None  # a read-only project (its banner says so) shows results without storing them
        from workbench.store.codec import params_to_json

        model = self.context.model
        state = params_to_json(model.layered_state()) if model is not None and model.model is not None else None
        return store.start_run(
            type(params).job_kind, params_to_json(params), title=title, model_id=self._model_id, model_state=state
        )

    def _finish_run(self, run_id: int | None, status: FinalRunStatus, **fields: Any) -> str | None:
        """Store the outcome; returns why it could not be stored (the result is still shown)."""
        if run_id is None or self.context.store is None:
            return None
        try:
            self.context.store.finish_run(run_id, status=status, **fields)
        except Exception as error:
            log.exception("could not save run %s", run_id)
            return str(error)
        return None

    @Slot()
    def _on_shutdown(self) -> None:
        """Release the model and close the store from the thread that owns them."""
        if self.context.model is not None:
            self.context.model.unload()
            self.context.model = None
        if self.context.store is not None:
            self.context.store.close()
            self.context.store = None
        thread = QThread.currentThread()
        if thread is not None:
            thread.quit()  # after every request queued before the shutdown has run


def _registered_job(params_type: type) -> RegisteredJob:
    """The job for ``params_type``, importing every job module first when it is not known yet.

    The GUI thread imports only params modules (and the store's light job modules), so a lab
    job's module is first imported here, in the worker thread: torch never loads in the GUI
    thread, and the store's jobs run without waiting for it.
    """
    if not JOBS.knows(params_type):
        import workbench.job_index  # noqa: F401  (importing it registers every job)
    return JOBS.registered(params_type)


class WorkerHost(QObject):
    """The GUI thread's handle on the worker: submit, cancel, shut down.

    Its public signals repeat the worker's through queued connections, so every slot — a
    bound method or a plain lambda — runs in the GUI thread.  A job submitted with
    ``JobCallbacks`` is routed to them before any other slot hears of it (status bars and
    tests still listen to the signals); a failure no callback showed goes on as
    ``sig_failure_to_show``.
    """

    sig_job_started = Signal(int, str)
    sig_progress = Signal(int, float, str, object)
    sig_run_finished = Signal(int, object, object)
    sig_job_failed = Signal(int, str, str)
    sig_job_cancelled = Signal(int)
    sig_model_changed = Signal(object)
    sig_project_changed = Signal(str)
    sig_warning = Signal(str)
    sig_failure_to_show = Signal(int, str, str)
    """A failed job whose submitter did not show the message itself (job id, message, details)."""
    _sig_submit = Signal(object)
    _sig_shutdown = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._tokens: dict[int, CancelToken] = {}
        self._callbacks: dict[int, JobCallbacks] = {}
        self.running_job: int | None = None
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("workbench-worker")
        self.worker = Worker()
        self.worker.moveToThread(self.worker_thread)
        self._sig_submit.connect(self.worker._on_job_submitted)
        self._sig_shutdown.connect(self.worker._on_shutdown)
        queued = Qt.ConnectionType.QueuedConnection
        for name in (
            "sig_job_started",
            "sig_progress",
            "sig_run_finished",
            "sig_job_failed",
            "sig_job_cancelled",
            "sig_model_changed",
            "sig_project_changed",
            "sig_warning",
        ):
            getattr(self.worker, name).connect(getattr(self, name), queued)
        # connected before anyone else's slot: a job's own callbacks hear about it first
        self.sig_job_started.connect(self._on_job_started)
        self.sig_progress.connect(self._route_progress)
        self.sig_run_finished.connect(self._route_finished)
        self.sig_job_failed.connect(self._route_failed)
        self.sig_job_cancelled.connect(self._route_cancelled)
        self.worker_thread.start()

    def submit(self, params: Any, title: str | None = None, callbacks: JobCallbacks | None = None) -> int:
        """Queue a job; returns its id (signals carry it). Runs after earlier jobs (FIFO).

        ``callbacks`` hear about this job only, until it ends.
        """
        job_id = next(self._ids)
        token = CancelToken()
        self._tokens[job_id] = token
        if callbacks is not None:
            self._callbacks[job_id] = callbacks
        self._sig_submit.emit(JobRequest(job_id, params, title or type(params).job_kind, token))
        return job_id

    def release(self, job_id: int) -> None:
        """Stop calling the job's callbacks (it still runs unless cancelled)."""
        self._callbacks.pop(job_id, None)

    def cancel(self, job_id: int | None = None) -> None:
        """Cancel one job (queued or running), or the running one when ``job_id`` is None."""
        target = self.running_job if job_id is None else job_id
        token = self._tokens.get(target) if target is not None else None
        if token is not None:
            token.cancel()

    def cancel_all(self) -> None:
        for token in self._tokens.values():
            token.cancel()

    @property
    def busy(self) -> bool:
        return bool(self._tokens)

    def shutdown(self, timeout_ms: int = 15000, cancel: bool = True) -> bool:
        """Cancel everything, free the model and store in their thread, stop the thread.

        ``cancel=False``: the caller has cancelled what should stop and then queued last writes
        (notes typed a moment ago); those run before the store closes.
        """
        if not self.worker_thread.isRunning():
            return True
        if cancel:
            self.cancel_all()
        # the worker quits its own event loop when it handles the shutdown: quitting from here
        # while a job ran dropped the requests queued behind it (notes typed just before closing)
        self._sig_shutdown.emit()
        finished = self.worker_thread.wait(timeout_ms)
        if not finished:
            log.error("worker thread did not stop within %d ms", timeout_ms)
        return finished

    @Slot(int, str)
    def _on_job_started(self, job_id: int, _title: str) -> None:
        self.running_job = job_id

    def _route_progress(self, job_id: int, fraction: float, message: str, partial: Any) -> None:
        callbacks = self._callbacks.get(job_id)
        if callbacks is not None and callbacks.on_progress is not None:
            callbacks.on_progress(fraction, message, partial)

    def _route_finished(self, job_id: int, run_id: object, result: Any) -> None:
        callbacks = self._forget(job_id)
        if callbacks is not None:
            callbacks.on_result(result, run_id if isinstance(run_id, int) else None)

    def _route_failed(self, job_id: int, message: str, details: str) -> None:
        callbacks = self._forget(job_id)
        if callbacks is not None and callbacks.on_stopped is not None:
            callbacks.on_stopped()
        if callbacks is not None and callbacks.on_failed is not None:
            callbacks.on_failed(message)
        if callbacks is None or not callbacks.shows_failure:
            self.sig_failure_to_show.emit(job_id, message, details)

    def _route_cancelled(self, job_id: int) -> None:
        callbacks = self._forget(job_id)
        if callbacks is not None and callbacks.on_stopped is not None:
            callbacks.on_stopped()

    def _forget(self, job_id: int) -> JobCallbacks | None:
        """The job ended: drop its token and hand back its callbacks, for the last time."""
        self._tokens.pop(job_id, None)
        if self.running_job == job_id:
            self.running_job = None
        return self._callbacks.pop(job_id, None)
