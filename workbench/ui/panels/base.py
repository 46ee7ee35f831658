"""What every panel shares: submitting jobs and hearing back only about its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from workbench.ui.language import Retranslating
from workbench.ui.widgets.model_state import RunStateLabel
from workbench.worker import JobCallbacks, WorkerHost


class Panel(Retranslating, QWidget):
    """A lab of the workbench.

    Subclasses set ``title`` and ``run_kinds`` (the stored run kinds the panel can reopen).
    ``title`` is marked for translation in the panel's own context, e.g.
    ``title = QT_TRANSLATE_NOOP("SamplingPanel", "Sampling")``; ``display_title()`` gives it
    in the current language.

    Translation (issue 21): every visible string is wrapped — ``self.tr("…")`` in a QObject
    subclass, ``QCoreApplication.translate("<ClassName>", "…")`` or a ``QT_TRANSLATE_NOOP``
    marker elsewhere — and each widget sets its texts in ``retranslate()``, called from
    ``__init__`` and from ``changeEvent`` on ``QEvent.LanguageChange`` (the ``Retranslating``
    mixin of ``ui/language.py`` does the second part).  ``retranslate`` sets texts only, never
    values, so switching the language keeps typed inputs, results and runs.  Texts built from
    a run's state (a status line with a count) are kept as their parts and rebuilt there too.
    Each ``submit`` names what to do with that one job's progress, result and end, so a
    panel keeps no table of job ids; ``running`` answers which of its jobs have not ended.
    Failures are shown centrally by the main window unless a job shows its own in place.
    """

    title: ClassVar[str] = ""
    run_kinds: ClassVar[tuple[str, ...]] = ()
    cache_run_kinds: ClassVar[tuple[str, ...]] = ()
    """Runs the lab stores as caches, not results (ROME's key covariance): kept out of the run
    history, where a row nothing reopens only puzzled."""
    live_params_type: ClassVar[type | None] = None
    """The parameters of the lab's main action, which a live lesson step runs (None: no live steps)."""

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._pending: dict[int, Any] = {}
        """This panel's jobs that have not ended (queued or running): job id → params."""
        self.run_state = RunStateLabel(self)
        """The reopened run's model and state, in the corner of the lab's result tabs."""
        host.sig_model_changed.connect(self.on_model_changed)

    def submit(
        self,
        params: Any,
        *,
        title: str,
        on_result: Callable[[Any, int | None], None],
        on_progress: Callable[[float, str, Any], None] | None = None,
        on_stopped: Callable[[], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        shows_failure: bool = False,
    ) -> int:
        """Queue ``params`` as a job and return its id.

        ``on_result(result, run_id)`` or ``on_stopped()`` (failed or cancelled; then
        ``on_failed(message)`` for a failure) ends it; ``on_progress(fraction, message,
        partial)`` reports while it runs.  The job stops counting as running before its
        last callback, so that callback sees the panel's state after the job; then
        ``on_jobs_changed`` runs.
        ``shows_failure``: ``on_failed`` shows the message in the panel, so no box appears.
        """
        job_id = -1  # the closures below read the id given by the host

        def finished(result: Any, run_id: int | None) -> None:
            self._pending.pop(job_id, None)
            if run_id is not None:  # a new run's result: the status-bar chip tells its model's state
                self.run_state.clear_run()
            on_result(result, run_id)
            self.on_jobs_changed()

        def stopped() -> None:
            self._pending.pop(job_id, None)
            if on_stopped is not None:
                on_stopped()
            self.on_jobs_changed()

        callbacks = JobCallbacks(finished, on_progress, stopped, on_failed, shows_failure)
        job_id = self.host.submit(params, title, callbacks)
        self._pending[job_id] = params
        self.on_jobs_changed()
        return job_id

    def running(self, *kinds: type) -> list[int]:
        """Ids of this panel's jobs that have not ended, oldest first: those whose params are
        of exactly one of ``kinds`` (a cell is not a trace), or all of them without ``kinds``."""
        return [job_id for job_id, params in self._pending.items() if not kinds or type(params) in kinds]

    def withdraw(self, job_id: int) -> None:
        """Cancel one of this panel's jobs and stop hearing about it now: it no longer counts
        as running and none of its callbacks run (its cancellation reads as nothing)."""
        self._pending.pop(job_id, None)
        self.host.release(job_id)
        self.host.cancel(job_id)
        self.on_jobs_changed()

    def withdraw_queued(self, kind: type) -> None:
        """Withdraw this panel's jobs of ``kind`` that have not started: a newer request of
        the same kind replaces them, so a burst of clicks runs once rather than queueing
        stale work."""
        for job_id in self.running(kind):
            if job_id != self.host.running_job:
                self.withdraw(job_id)

    def show_run_state(self, run: Any) -> None:
        """Say which model state made the reopened ``run`` (a ``StoredRun``), in the header of
        the lab's result tabs (``views``), so nobody takes a LoRA's trace for the base model's."""
        views = getattr(self, "views", None)
        if not isinstance(views, QTabWidget):
            return  # a lab without result tabs has no header to say it in
        if views.cornerWidget(Qt.Corner.TopRightCorner) is not self.run_state:
            views.setCornerWidget(self.run_state, Qt.Corner.TopRightCorner)
        self.run_state.show_run(run.summary)

    def display_title(self) -> str:
        return QCoreApplication.translate(type(self).__name__, self.title)

    # hooks ----------------------------------------------------------------------
    def on_jobs_changed(self) -> None:
        """A job of this panel was submitted, withdrawn or ended: bring busy states and
        buttons in line with ``running``."""

    def on_model_changed(self, info: Any) -> None:
        """The active model changed (``ModelInfo`` or None)."""

    def unsaved_work(self) -> str:
        """A sentence naming what closing the window now would lose ("" for nothing): the
        window asks before it quits."""
        return ""

    def show_run(self, run: Any) -> None:
        """Reopen a stored run of one of ``run_kinds`` (a ``StoredRun``)."""

    def view_state(self) -> dict[str, Any]:
        """What a lesson step restores besides the run and its inputs: the tab shown in each of
        the lab's tab bars, in the order the lab built them; labs add their selection."""
        return {"tabs": [tabs.currentIndex() for tabs in self.findChildren(QTabWidget)]}

    def restore_view_state(self, state: Mapping[str, Any]) -> None:
        """Show the view ``view_state`` described (indices the lab no longer has are skipped)."""
        for tabs, index in zip(self.findChildren(QTabWidget), state.get("tabs") or []):
            if isinstance(index, int) and 0 <= index < tabs.count():
                tabs.setCurrentIndex(index)

    def live_params(self) -> Any:
        """The main action as set up now, for a live step (labs with ``live_params_type``)."""
        raise NotImplementedError(f"The {self.title} lab has no live steps.")

    def show_live(self, params: Any) -> None:
        """Put a live step's ``params`` into the inputs (the step is shown, not presented)."""
        raise NotImplementedError(f"The {self.title} lab has no live steps.")

    def run_live(self, params: Any) -> None:
        """Put a live step's ``params`` into the inputs and run them, as in front of the room."""
        raise NotImplementedError(f"The {self.title} lab has no live steps.")
