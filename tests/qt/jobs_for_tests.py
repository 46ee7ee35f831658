"""Small jobs that exercise the worker without a model (importable as ``jobs_for_tests``)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import JobParams, job


@dataclass(frozen=True)
class SleepyParams(JobParams, kind="test_sleepy"):
    units: int = 10
    delay_s: float = 0.01
    tag: str = ""


@dataclass(frozen=True)
class SleepyResult:
    tag: str
    values: np.ndarray


@dataclass(frozen=True)
class FailingParams(JobParams, kind="test_failing"):
    user_error: bool = True


@job(SleepyParams)
def sleepy_job(ctx, params: SleepyParams, progress, cancel) -> SleepyResult:  # type: ignore[no-untyped-def]
    done = []
    for unit in range(params.units):
        cancel.raise_if_cancelled()
        time.sleep(params.delay_s)
        done.append(unit)
        progress((unit + 1) / params.units, f"unit {unit + 1} of {params.units}", list(done))
    return SleepyResult(tag=params.tag, values=np.arange(params.units, dtype=np.float32))


@job(FailingParams)
def failing_job(ctx, params: FailingParams, progress, cancel):  # type: ignore[no-untyped-def]
    progress(0.5, "about to fail")
    if params.user_error:
        raise InvalidParameters("The prompt is empty; type a prompt first.")
    return {"boom": 1 / 0}


@dataclass(frozen=True)
class UnstorableParams(JobParams, kind="test_unstorable"):
    """Returns an object array, which the store refuses (it would need pickle)."""


@job(UnstorableParams)
def unstorable_job(ctx, params: UnstorableParams, progress, cancel) -> dict:  # type: ignore[no-untyped-def]
    return {"payload": np.array([object(), object()], dtype=object)}
