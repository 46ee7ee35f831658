"""The fine-tuning lab's jobs: thin wrappers from the job protocol to the core functions."""

from __future__ import annotations

import time
from typing import Any

from workbench.core.errors import InvalidParameters
from workbench.core.finetune.adapters import AdapterStack
from workbench.core.finetune.compare import compare_adapters
from workbench.core.finetune.data import load_data, preview_examples
from workbench.core.finetune.methods import context_limit, count_parameters
from workbench.core.finetune.params import (
    AdapterOperationParams,
    AdapterState,
    CompareParams,
    CompareResult,
    CountParametersParams,
    DataPreview,
    FinetuneParams,
    FinetuneResult,
    ParameterCount,
    PreviewDataParams,
)
from workbench.core.finetune.run import finetune
from workbench.core.jobs import CancelToken, JobContext, Progress
from workbench.core.model.session import ModelSession
from workbench.store.records import Curve


def adapter_stack(session: ModelSession) -> AdapterStack:
    """The session's ``adapters`` (created on first use, renewed if the model changed)."""
    model = session.require_loaded()
    stack: AdapterStack | None = getattr(session, "adapters", None)
    if stack is None or stack.base is not model:
        stack = AdapterStack(model)
        session.adapters = stack  # type: ignore[attr-defined]
    return stack


class CurveWriter:
    """Appends a run's new curve points to the project store, at most once per ``interval``.

    So the curves of a long training survive closing the app, without a write per step.
    """

    def __init__(self, store: Any, run_id: int, interval: float = 1.0) -> None:
        self._store = store
        self._run_id = run_id
        self._interval = interval
        self._last = -float("inf")
        self._written: dict[str, int] = {}

    def __call__(self, curves: dict[str, Curve], final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self._last < self._interval:
            return
        self._last = now
        for series, curve in curves.items():
            done = self._written.get(series, 0)
            if len(curve.steps) > done:
                points = list(zip(curve.steps[done:].tolist(), curve.values[done:].tolist()))
                self._store.append_curve_points(self._run_id, series, points)
                self._written[series] = len(curve.steps)


def finetune_job(ctx: JobContext, params: FinetuneParams, progress: Progress, cancel: CancelToken) -> FinetuneResult:
    session = ctx.require_model()
    run_id = getattr(ctx, "run_id", None)
    writer = CurveWriter(ctx.store, run_id) if ctx.store is not None and run_id is not None else None
    return finetune(adapter_stack(session), session.tokenizer, session.adapter, params, progress, cancel, curves=writer)


def count_parameters_job(
    ctx: JobContext, params: CountParametersParams, progress: Progress, cancel: CancelToken
) -> ParameterCount:
    session = ctx.require_model()
    return count_parameters(params.method, session.require_loaded(), session.adapter)


def preview_data_job(ctx: JobContext, params: PreviewDataParams, progress: Progress, cancel: CancelToken) -> DataPreview:
    session = ctx.require_model()
    data = load_data(params.data, session.tokenizer, context_limit=context_limit(session.require_loaded()))
    return DataPreview(
        source=params.data.source,
        num_train=len(data.train),
        num_eval=len(data.eval),
        max_length=data.max_length,
        examples=preview_examples(data.train, session.tokenizer, params.num_examples),
    )


def adapter_operation_job(
    ctx: JobContext, params: AdapterOperationParams, progress: Progress, cancel: CancelToken
) -> AdapterState:
    stack = adapter_stack(ctx.require_model())
    action = params.action
    if action == "load":
        if not params.folder:
            raise InvalidParameters("Choose an adapter folder to load.")
        stack.load(params.folder, params.names[0] if params.names else "")
    elif action == "activate":
        stack.activate(params.names)
    elif action in ("enable", "disable"):
        stack.set_enabled(action == "enable")
    elif action == "merge":
        stack.merge()
    elif action == "unmerge":
        stack.unmerge()
    elif action == "clear":
        stack.clear()
    else:
        raise InvalidParameters(f"Unknown adapter operation '{action}'.")
    return stack.state()


def compare_job(ctx: JobContext, params: CompareParams, progress: Progress, cancel: CancelToken) -> CompareResult:
    session = ctx.require_model()
    return compare_adapters(
        adapter_stack(session),
        session.tokenizer,
        list(params.prompts),
        params.eval_text,
        params.max_new_tokens,
        progress,
        cancel,
    )
