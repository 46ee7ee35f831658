"""The job protocol shared by the worker thread, the CLI and the tests.

A job is a plain function ``run(ctx, params, progress, cancel) -> result`` where ``params``
is a frozen dataclass that names its function by a dotted string.  The string (rather than
an import) keeps the GUI thread free of torch: parameter dataclasses live in torch-free
modules and the heavy module is imported in the worker only when the job first runs.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Protocol

from workbench.core.errors import JobCancelled, NoModelLoaded

if TYPE_CHECKING:
    from workbench.core.model.session import ModelSession
    from workbench.store import ProjectStore


class JobParams(Protocol):
    """What every job-parameter dataclass declares at class level."""

    job_kind: ClassVar[str]
    """Short name stored as the run's kind (``"sample"``, ``"trace"`` …)."""
    job_function: ClassVar[str]
    """``"package.module:function"`` implementing ``run(ctx, params, progress, cancel)``."""


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

    def scaled(self, start: float, end: float) -> Callable[[float, str, Any], None]:
        """A reporter for a sub-task that maps its 0..1 onto ``start..end`` of this one."""
        return scaled_progress(self, start, end)

    def _send(self, update: tuple[float, str, Any], now: float) -> None:
        self._pending = None
        self._last_sent = now
        if self._sink is not None:
            self._sink(*update)


def scaled_progress(report: Callable[..., Any], start: float, end: float) -> Callable[[float, str, Any], None]:
    """``report`` (a ``Progress`` or a reporter it handed out) seen by a sub-task as 0..1:
    sub-tasks nest, each owning a slice of its parent's range."""

    def scaled(fraction: float, message: str = "", partial: Any = None) -> None:
        report(start + (end - start) * fraction, message, partial)

    return scaled


@dataclass
class JobContext:
    """What a job may use besides its parameters: the model session and the project store.

    ``model`` is replaced by the load-model job; every other job treats it as given.
    """

    model: ModelSession | None = None
    store: ProjectStore | None = None
    run_id: int | None = None
    """The stored run of the job in progress, for jobs that write to it as they go (curves)."""
    memory: dict[Hashable, Any] = field(default_factory=dict)
    """What jobs keep in memory between runs (an opened RAG collection's vectors and graphs),
    under keys that name the project they were read from.  It lives as long as the context:
    the worker's one, or a CLI command's, so nothing outlives the session that filled it."""

    def require_model(self) -> ModelSession:
        if self.model is None:
            raise NoModelLoaded()
        return self.model


def resolve_job_function(params: JobParams) -> Callable[..., Any]:
    """Import the function named by ``params.job_function`` (lazily, in the calling thread)."""
    module_name, _, function_name = type(params).job_function.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, function_name)


def run_job(params: JobParams, ctx: JobContext, progress: Progress, cancel: CancelToken) -> Any:
    """Run one job to completion in the calling thread; the worker and the CLI both use this."""
    cancel.raise_if_cancelled()
    function = resolve_job_function(params)
    return function(ctx, params, progress, cancel)
