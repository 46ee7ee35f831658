"""The Sampling lab's jobs: one generation, side by side, and step mode.

Thin wrappers that take the model from the job context; the work is in ``decode`` and
``beam``, which tests call directly on tiny models.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict

from workbench.base.jobs import CancelToken, Progress, job
from workbench.core.context import CoreContext
from workbench.core.sampling.beam import run_beam_search
from workbench.core.sampling.decode import ProgressCallback, SamplingSession
from workbench.core.sampling.lm import LanguageModel
from workbench.core.sampling.params import SamplingParams, SamplingStepParams, SideBySideParams
from workbench.core.sampling.recording import TokenText
from workbench.core.sampling.records import SamplingResult, SideBySideResult, first_divergence

MAX_STEP_SESSIONS = 4
"""Step-mode sessions kept alive per model (each holds a KV cache); the oldest is dropped first."""


def generate(
    lm: LanguageModel,
    params: SamplingParams,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    token_text: TokenText | None = None,
) -> SamplingResult:
    """One generation with the strategy ``params`` names, every step recorded."""
    if params.strategy == "beam":
        return run_beam_search(lm, params, progress, cancel, token_text)
    return SamplingSession(lm, params, token_text).run(progress, cancel)


@job(SamplingParams)
def run_sampling_job(
    ctx: CoreContext, params: SamplingParams, progress: Progress, cancel: CancelToken
) -> SamplingResult:
    """Job: progress per token, with the cumulative result so far as the partial."""
    params.validate()
    return generate(_language_model(ctx), params, progress, cancel)


@job(SideBySideParams)
def run_side_by_side_job(
    ctx: CoreContext, params: SideBySideParams, progress: Progress, cancel: CancelToken
) -> SideBySideResult:
    """Job: each configuration in turn on the same prompt; where each parts from the first."""
    params.validate()
    lm = _language_model(ctx)
    token_text = TokenText(lm.tokenizer)
    configs = params.resolved_configs()
    results = []
    for index, config in enumerate(configs):
        report = progress.scaled(index / len(configs), (index + 1) / len(configs))
        results.append(generate(lm, config, report, cancel, token_text))
    first = results[0].token_ids
    divergence = tuple(first_divergence(first, result.token_ids) for result in results)
    return SideBySideResult(results=tuple(results), divergence=divergence)


@job(SamplingStepParams, saves_run=False)
def run_sampling_step_job(
    ctx: CoreContext, params: SamplingStepParams, progress: Progress, cancel: CancelToken
) -> SamplingResult:
    """Job: advance the step-mode session ``params.session_key`` and return its snapshot."""
    lm = _language_model(ctx)
    sessions = _step_sessions(ctx)
    session = sessions.get(params.session_key)
    if params.restart or session is None or session.params != params.params or session.lm.identity != lm.identity:
        session = SamplingSession(lm, params.params)
        sessions[params.session_key] = session
        while len(sessions) > MAX_STEP_SESSIONS:
            sessions.popitem(last=False)
    sessions.move_to_end(params.session_key)
    for done in range(params.steps):
        if session.finished:
            break
        cancel.raise_if_cancelled()
        session.step()
        progress((done + 1) / params.steps, f"step {len(session.steps)}", session.result())
    return session.result()


_STEP_SESSIONS: dict[int, OrderedDict[str, SamplingSession]] = {}
"""Live step-mode sessions by ``id`` of the model session they run on."""


def _step_sessions(ctx: CoreContext) -> OrderedDict[str, SamplingSession]:
    """The step sessions of the loaded model; they are dropped (with their caches) when it is unloaded."""
    model_session = ctx.require_model()
    key = id(model_session)
    if key not in _STEP_SESSIONS:
        _STEP_SESSIONS[key] = OrderedDict()
        weakref.finalize(model_session, _STEP_SESSIONS.pop, key, None)
    return _STEP_SESSIONS[key]


def _language_model(ctx: CoreContext) -> LanguageModel:
    """The decoders' view of the session: with the fine-tuning lab's active soft prompt, if any
    (LoRA, IA3 and BitFit change the base model in place and need nothing here)."""
    session = ctx.require_model()
    adapters = session.adapters
    soft_prompt = adapters.model if adapters is not None and adapters.virtual_tokens else None
    return LanguageModel(session.require_loaded(), session.tokenizer, session.device, soft_prompt)
