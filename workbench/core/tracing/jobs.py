"""The tracing jobs: thin wrappers that take the model from the session."""

from __future__ import annotations

from workbench.base.jobs import CancelToken, Progress, job
from workbench.core.context import CoreContext
from workbench.core.tracing.averaging import average_effects
from workbench.core.tracing.params import (
    AveragingParams,
    PredictParams,
    RestoredTopKParams,
    SeveringParams,
    TraceParams,
)
from workbench.core.tracing.prompt import preview_prompt
from workbench.core.tracing.results import (
    AveragingResult,
    PromptPreview,
    RestoredTopK,
    SeveringResult,
    TraceResult,
)
from workbench.core.tracing.severing import sever
from workbench.core.tracing.trace import restored_topk, trace


@job(PredictParams, saves_run=False)
def run_predict_job(ctx: CoreContext, params: PredictParams, progress: Progress, cancel: CancelToken) -> PromptPreview:
    session = ctx.require_model()
    cancel.raise_if_cancelled()
    return preview_prompt(session.require_loaded(), session.tokenizer, params.prompt, params.k)


@job(TraceParams)
def run_trace_job(ctx: CoreContext, params: TraceParams, progress: Progress, cancel: CancelToken) -> TraceResult:
    session = ctx.require_model()
    return trace(session.require_loaded(), session.tokenizer, session.require_adapter(), params, progress, cancel)


@job(RestoredTopKParams, saves_run=False)
def run_restored_topk_job(
    ctx: CoreContext, params: RestoredTopKParams, progress: Progress, cancel: CancelToken
) -> RestoredTopK:
    session = ctx.require_model()
    progress(0.0, f"Restoring {params.kind} at token {params.token}, layer {params.layer}")
    result = restored_topk(session.require_loaded(), session.tokenizer, session.require_adapter(), params, cancel)
    progress(1.0, "Restored")
    return result


@job(SeveringParams)
def run_severing_job(
    ctx: CoreContext, params: SeveringParams, progress: Progress, cancel: CancelToken
) -> SeveringResult:
    session = ctx.require_model()
    return sever(session.require_loaded(), session.tokenizer, session.require_adapter(), params, progress, cancel)


@job(AveragingParams)
def run_averaging_job(
    ctx: CoreContext, params: AveragingParams, progress: Progress, cancel: CancelToken
) -> AveragingResult:
    session = ctx.require_model()
    return average_effects(
        session.require_loaded(), session.tokenizer, session.require_adapter(), params, progress, cancel
    )
