"""The job protocol shared by the worker thread, the CLI and the tests.

A job is a plain function ``run(ctx, params, progress, cancel) -> result`` registered with
``@job(ParamsClass)`` for the frozen ``JobParams`` dataclass that carries its parameters
(``saves_run=False`` for jobs whose runs are not stored).  The params class does not name
its function: params modules stay torch-free so that the GUI thread can
build them, and the heavy job modules register themselves when they are imported —
``workbench.job_index`` imports them all, in the worker thread (or the CLI) rather than the
GUI thread.  A registry keyed by the class (rather than a dotted string) lets an editor jump
from a params class to its job and lets one test check every job's signature.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from workbench.base.errors import JobCancelled, NoModelLoaded, WorkbenchError


class JobParams:
    """Base of every job's frozen parameter dataclass; the class line names the run's kind:
    ``class TraceParams(JobParams, kind="trace")``.  Its job is registered with ``@job``."""

    job_kind: ClassVar[str]
    """Short name stored as the run's kind (``"sample"``, ``"trace"`` …)."""

    def __init_subclass__(cls, kind: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.job_kind = kind


class CancelToken:
    """Cancellation flag set directly from the GUI thread.

    A ``threading.Event`` rather than a queued signal: a signal to the worker would wait
    behind the very job it is meant to stop.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Call between units of work; raises ``JobCancelled`` once Cancel was pressed."""
        if self._event.is_set():
            raise JobCancelled()


ProgressSink = Callable[[float, str, Any], None]


class Reporter(Protocol):
    """What a job calls to report progress: ``Progress`` itself or a slice of it.

    A protocol rather than a ``Callable`` type so that the message and the partial result stay
    optional to the caller, as they are on ``Progress.__call__``.
    """

    def __call__(self, fraction: float, message: str = "", partial: Any = None) -> None: ...


class Progress:
    """Throttled progress reporter handed to a job.

    Jobs may call it thousands of times a second; the sink (a Qt signal, a CLI line) sees at
    most ``1 / min_interval`` updates per second.  ``partial`` data must be a *cumulative
    snapshot* (everything computed so far), so dropping intermediate ones loses nothing; the
    newest dropped update is delivered by the next call past the interval or by ``flush``.
    """

    def __init__(
        self,
        sink: ProgressSink | None = None,
        *,
        min_interval: float = 1 / 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sink = sink
        self._min_interval = min_interval
        self._clock = clock
        self._last_sent = -float("inf")
        self._pending: tuple[float, str, Any] | None = None
        self.fraction = 0.0
        self.message = ""

    def __call__(self, fraction: float, message: str = "", partial: Any = None) -> None:
        self.fraction = min(max(float(fraction), 0.0), 1.0)
        self.message = message or self.message
        update = (self.fraction, self.message, partial)
        now = self._clock()
        if now - self._last_sent >= self._min_interval or self.fraction >= 1.0:
            self._send(update, now)
        else:
            self._pending = update

    def flush(self) -> None:
        """Deliver the newest throttled update, if any (the worker calls this when a job ends)."""
        if self._pending is not None:
            self._send(self._pending, self._clock())

    def scaled(self, start: float, end: float) -> Reporter:
        """A reporter for a sub-task that maps its 0..1 onto ``start..end`` of this one."""
        return scaled_progress(self, start, end)

    def _send(self, update: tuple[float, str, Any], now: float) -> None:
        self._pending = None
        self._last_sent = now
        if self._sink is not None:
            self._sink(*update)


def scaled_progress(report: Callable[..., Any], start: float, end: float) -> Reporter:
    """``report`` (a ``Progress`` or a reporter it handed out) seen by a sub-task as 0..1:
    sub-tasks nest, each owning a slice of its parent's range."""

    def scaled(fraction: float, message: str = "", partial: Any = None) -> None:
        report(start + (end - start) * fraction, message, partial)

    return scaled


ModelT = TypeVar("ModelT")
StoreT = TypeVar("StoreT")


@dataclass
class JobContext(Generic[ModelT, StoreT]):
    """What a job may use besides its parameters: the model session and the project store.

    ``model`` is replaced by the load-model job; every other job treats it as given.  The
    class is generic in both so that this bottom layer names nothing above it: the core's
    jobs take ``workbench.core.context.CoreContext`` (a ``ModelSession`` and a
    ``ProjectStore``), the store's own jobs ``JobContext[Any, ProjectStore]``.
    """

    model: ModelT | None = None
    store: StoreT | None = None
    run_id: int | None = None
    """The stored run of the job in progress, for jobs that write to it as they go (curves)."""
    memory: dict[Hashable, Any] = field(default_factory=dict)
    """What jobs keep in memory between runs (an opened RAG collection's vectors and graphs),
    under keys that name the project they were read from.  It lives as long as the context:
    the worker's one, or a CLI command's, so nothing outlives the session that filled it."""

    def require_model(self) -> ModelT:
        if self.model is None:
            raise NoModelLoaded()
        return self.model


JobFunction = Callable[[JobContext[Any, Any], Any, Progress, CancelToken], Any]
F = TypeVar("F", bound=JobFunction)


@dataclass(frozen=True)
class RegisteredJob:
    function: JobFunction
    saves_run: bool
    """False for jobs that only read or change state (open a project, list a library): the
    worker stores no run for them."""


class JobRegistry:
    """Params class → the function that runs it."""

    def __init__(self) -> None:
        self._jobs: dict[type[JobParams], RegisteredJob] = {}

    def register(self, *params_types: type[JobParams], saves_run: bool = True) -> Callable[[F], F]:
        """Decorator: ``function`` runs every one of ``params_types``; a second function for
        the same class is a programming error (two modules would race to own it)."""

        def decorate(function: F) -> F:
            for params_type in params_types:
                existing = self._jobs.get(params_type)
                if existing is not None:
                    raise ValueError(
                        f"{params_type.__qualname__} already runs {_name(existing.function)}; "
                        f"{_name(function)} cannot be registered for it too."
                    )
                self._jobs[params_type] = RegisteredJob(function, saves_run)
            return function

        return decorate

    def knows(self, params_type: type) -> bool:
        return params_type in self._jobs

    def registered(self, params_type: type) -> RegisteredJob:
        try:
            return self._jobs[params_type]
        except KeyError:
            raise WorkbenchError(
                f"No job is registered for {params_type.__module__}.{params_type.__qualname__}: "
                "the module with its @job function was not imported (workbench.job_index lists them)."
            ) from None

    def items(self) -> list[tuple[type[JobParams], RegisteredJob]]:
        return list(self._jobs.items())


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


JOBS = JobRegistry()
"""The registry the worker and the CLI run jobs from."""


def job(*params_types: type[JobParams], saves_run: bool = True) -> Callable[[F], F]:
    """Register the decorated function as the job for ``params_types`` in ``JOBS``."""
    return JOBS.register(*params_types, saves_run=saves_run)


def run_job(params: JobParams, ctx: JobContext[Any, Any], progress: Progress, cancel: CancelToken) -> Any:
    """Run one job to completion in the calling thread; the worker and the CLI both use this."""
    cancel.raise_if_cancelled()
    return JOBS.registered(type(params)).function(ctx, params, progress, cancel)
