"""What every panel shares: submitting jobs and hearing back only about its own."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QWidget

from workbench.worker import WorkerHost


class Panel(QWidget):
    """A lab of the workbench.

    Subclasses set ``title`` and ``run_kinds`` (the stored run kinds the panel can reopen)
    and override the ``on_job_*`` hooks they need; failures are shown centrally by the
    main window, so a panel only has to re-enable its controls.
    """

    title: ClassVar[str] = ""
    run_kinds: ClassVar[tuple[str, ...]] = ()

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._own_jobs: set[int] = set()
        self.failures_shown_in_place: set[int] = set()
        """Failed jobs whose message the panel showed itself; the main window skips their box."""
        host.sig_progress.connect(self._on_any_progress)
        host.sig_run_finished.connect(self._on_any_finished)
        host.sig_job_failed.connect(self._on_any_failed)
        host.sig_job_cancelled.connect(self._on_any_cancelled)
        host.sig_model_changed.connect(self.on_model_changed)

    def submit(self, params: Any, title: str | None = None) -> int:
        job_id = self.host.submit(params, title)
        self._own_jobs.add(job_id)
        return job_id

    def cancel_queued(self, jobs: dict[int, Any], kind: str) -> None:
        """Forget and cancel the jobs of ``kind`` in ``jobs`` (the panel's job id → tag with a
        ``kind``) that have not started: a newer request of the same kind replaces them, so a
        burst of clicks runs once rather than queueing stale work."""
        for job_id, job in list(jobs.items()):
            if job.kind == kind and job_id != self.host.running_job:
                del jobs[job_id]  # forgotten now, so its cancellation reads as nothing
                self.host.cancel(job_id)

    # hooks ----------------------------------------------------------------------
    def on_job_progress(self, job_id: int, fraction: float, message: str, partial: Any) -> None:
        """Live update while one of this panel's jobs runs (partial: cumulative snapshot)."""

    def on_job_finished(self, job_id: int, run_id: int | None, result: Any) -> None:
        """A job of this panel finished; ``run_id`` is its stored run (None without a project)."""

    def on_job_ended_without_result(self, job_id: int) -> None:
        """A job of this panel failed or was cancelled: re-enable the form."""

    def show_failure_in_place(self, job_id: int, message: str) -> bool:
        """Show a failed job's message in the panel (background jobs such as a data preview)
        and return True, or False to leave it to the main window's message box."""
        return False

    def on_model_changed(self, info: Any) -> None:
        """The active model changed (``ModelInfo`` or None)."""

    def show_run(self, run: Any) -> None:
        """Reopen a stored run of one of ``run_kinds`` (a ``StoredRun``)."""

    # dispatch -------------------------------------------------------------------
    def _on_any_progress(self, job_id: int, fraction: float, message: str, partial: Any) -> None:
        if job_id in self._own_jobs:
            self.on_job_progress(job_id, fraction, message, partial)

    def _on_any_finished(self, job_id: int, run_id: object, result: Any) -> None:
        if job_id in self._own_jobs:
            self._own_jobs.discard(job_id)
            self.on_job_finished(job_id, run_id if isinstance(run_id, int) else None, result)

    def _on_any_failed(self, job_id: int, message: str, _details: str) -> None:
        if job_id in self._own_jobs:
            self._own_jobs.discard(job_id)
            if message and self.show_failure_in_place(job_id, message):
                self.failures_shown_in_place.add(job_id)
            self.on_job_ended_without_result(job_id)

    def _on_any_cancelled(self, job_id: int) -> None:
        self._on_any_failed(job_id, "", "")
