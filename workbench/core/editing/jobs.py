"""The editing jobs: one edit evaluated before and after, sequential batches, the quick trace
that suggests ROME's layer, the ledger and the export — thin wrappers around the core.

Every job checks Cancel between its steps; an edit cancelled at any point leaves the model
as it was (an installed edit is reverted before the cancellation propagates).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from workbench.base.errors import InvalidParameters, JobCancelled
from workbench.base.jobs import CancelToken, Progress, job, scaled_progress
from workbench.core.context import CoreContext
from workbench.core.editing.cases import EditCase, find_case, load_cases, select_cases
from workbench.core.editing.edit import AppliedEdit
from workbench.core.editing.edit_metrics import (
    CaseProbe,
    edit_metrics,
    evaluate_case,
    own_answer,
    probe,
)
from workbench.core.editing.efficiency import measure
from workbench.core.editing.fluency import fluency
from workbench.core.editing.layer_choice import (
    MIN_EFFECT,
    mlp_effects,
    reference_effects,
    suggest_layer,
)
from workbench.core.editing.ledger import EditLedger
from workbench.core.editing.params import (
    BatchEditParams,
    BatchEditResult,
    EditMethod,
    EditMetrics,
    EditParams,
    EditRequest,
    EditResult,
    ExportEditedModelParams,
    Generation,
    LedgerParams,
    LedgerState,
    RomeSettings,
    SuggestLayerParams,
    TPatcherSettings,
)
from workbench.core.editing.rome import compute_rome, subject_prompt
from workbench.core.generation import greedy_continuations
from workbench.core.model.session import ModelSession

ProgressFn = Callable[..., Any]

BATCH_GENERATION_TOKENS = 16
"""Free-generation length for a batch's fluency (shorter than a single edit's)."""
RETENTION_SAMPLE = 10
"""Earlier edits re-checked after each batch edit for the running accuracy."""
LOCALITY_PROBES = 20
"""Unrelated facts whose answers the running locality follows through a batch."""


def ledger_of(session: ModelSession) -> EditLedger:
    """The session's ledger, created on first use around the base model."""
    if session.edits is None:
        session.edits = EditLedger(session.require_loaded(), session.require_adapter())
    return session.edits


@dataclass
class ComputedEdit:
    edit: AppliedEdit
    layer_effects: np.ndarray | None
    seconds: float
    peak_memory_mb: float
    covariance_seconds: float


def compute_edit(
    ctx: CoreContext,
    method: EditMethod,
    request: EditRequest,
    rome: RomeSettings,
    tpatcher: TPatcherSettings,
    fact_file: str,
    progress: ProgressFn,
    cancel: CancelToken,
) -> ComputedEdit:
    """Compute (not install) one edit on the session's model; ROME chooses its layer by the
    quick trace when ``rome.layer`` is None and reads C from the ledger's cache / project."""
    session = ctx.require_model()
    model, tokenizer, adapter = (
        session.require_loaded(),
        session.tokenizer,
        session.require_adapter(),
    )
    ledger = ledger_of(session)
    if method == "tpatcher":
        from workbench.core.editing.tpatcher import compute_patch

        with measure(session.device) as cost:
            patch = compute_patch(
                model,
                tokenizer,
                adapter,
                request,
                tpatcher,
                progress,
                cancel,
                fact_file,
            )
        return ComputedEdit(patch, None, cost.seconds, cost.peak_memory_mb, 0.0)
    if method != "rome":
        raise InvalidParameters(f"Unknown editing method '{method}'; choose rome or tpatcher.")
    effects = None
    layer = rome.layer
    if layer is None:
        effects = mlp_effects(
            model,
            tokenizer,
            adapter,
            request,
            progress=scaled_progress(progress, 0.0, 0.15),
            cancel=cancel,
        )
        reference = None
        if float(np.max(effects)) < MIN_EFFECT:
            reference = _reference_effects(ledger, tokenizer, fact_file, progress, cancel)
        layer = suggest_layer(effects, reference)
    cancel.raise_if_cancelled()
    started = time.perf_counter()
    covariance = None
    if rome.covariance == "corpus":
        covariance = ledger.covariances.get(
            model,
            tokenizer,
            adapter,
            layer,
            fingerprint=session.fingerprint,
            corpus=rome.covariance_corpus,
            tokens=rome.covariance_tokens,
            store=ctx.store,
            progress=scaled_progress(progress, 0.15, 0.4),
            cancel=cancel,
        )
    covariance_seconds = time.perf_counter() - started
    with measure(session.device) as cost:
        edit = compute_rome(
            model,
            tokenizer,
            adapter,
            request,
            rome,
            layer,
            covariance,
            scaled_progress(progress, 0.4, 1.0),
            cancel,
        )
    return ComputedEdit(edit, effects, cost.seconds, cost.peak_memory_mb, covariance_seconds)


def measured_edit(
    before: CaseProbe,
    after: CaseProbe,
    texts_before: list[str],
    texts_after: list[str],
    computed: ComputedEdit,
) -> EditMetrics:
    """The metrics of an edit with its fluency (free generations) and its cost."""
    return edit_metrics(
        before,
        after,
        fluency_before=fluency(texts_before),
        fluency_after=fluency(texts_after),
        seconds=computed.seconds,
        peak_memory_mb=computed.peak_memory_mb,
    )


def case_for(params: EditParams) -> EditCase:
    """The request with its fact-file prompts when it names a case.  The form may have
    changed the request's fields, and a file prompt is kept only while what it tests still
    holds: paraphrases name the file's subject, neighbours expect its true object, and the
    portability answers follow from its new object (Eiffel Tower → " Rome" is not answered
    by the file's "country of → Spain", written for → " Granada")."""
    request = params.request
    if request.case_id is None:
        return EditCase(request=request)
    case = find_case(load_cases(params.fact_file), request.case_id)
    if not request.prompt.strip():
        return case
    filed = case.request
    same_subject = request.subject == filed.subject
    return replace(
        case,
        request=request,
        paraphrase_prompts=case.paraphrase_prompts if same_subject else (),
        neighborhood_prompts=case.neighborhood_prompts if request.target_true == filed.target_true else (),
        portability_prompts=(
            case.portability_prompts if same_subject and request.target_new == filed.target_new else ()
        ),
    )


def generation_prompts(params: EditParams, request: EditRequest) -> list[str]:
    return list(params.generation_prompts) or [
        request.rendered(),
        subject_prompt(request),
    ]


# ----------------------------------------------------------------------------- jobs
@job(EditParams)
def run_edit_job(ctx: CoreContext, params: EditParams, progress: Progress, cancel: CancelToken) -> EditResult:
    """Evaluate before → compute (choosing the layer) → install → evaluate after → generate."""
    session = ctx.require_model()
    model, tokenizer = session.require_loaded(), session.tokenizer
    case = case_for(params)
    request = case.request
    request.check()
    ledger = ledger_of(session)
    prompts = generation_prompts(params, request)
    progress(0.0, "Evaluating before the edit")
    before = evaluate_case(model, tokenizer, case)
    warnings = no_op_warnings(request, before)
    for warning in warnings:
        progress(0.05, warning)
    texts_before = greedy_continuations(model, tokenizer, prompts, params.generation_tokens)
    cancel.raise_if_cancelled()
    computed = compute_edit(
        ctx,
        params.method,
        request,
        params.rome,
        params.tpatcher,
        params.fact_file,
        progress.scaled(0.1, 0.85),
        cancel,
    )
    edit_id = ledger.add(computed.edit)
    try:
        progress(0.85, "Evaluating after the edit")
        after = evaluate_case(model, tokenizer, case, before.locality_answers)
        cancel.raise_if_cancelled()
        texts_after = greedy_continuations(model, tokenizer, prompts, params.generation_tokens)
        cancel.raise_if_cancelled()
    except JobCancelled:
        ledger.revert(edit_id)
        raise
    metrics = measured_edit(before, after, texts_before, texts_after, computed)
    details = dict(getattr(computed.edit, "details", {}))
    details["covariance_seconds"] = computed.covariance_seconds
    result = EditResult(
        method=params.method,
        request=request,
        layer=computed.edit.layer,
        edit_id=edit_id,
        metrics=metrics,
        generations=[Generation(p, b, a) for p, b, a in zip(prompts, texts_before, texts_after)],
        layer_effects=computed.layer_effects,
        ledger=ledger.state(),
        details=details,
        warnings=warnings,
    )
    progress(1.0, f"Edited layer {result.layer}: accuracy {metrics.accuracy:.0%}", result)
    return result


def no_op_warnings(request: EditRequest, before: CaseProbe) -> list[str]:
    """A warning when the model already gives the new target on the edit prompt: the edit is
    then (nearly) a no-op and its accuracy of 100 % proves nothing."""
    new = request.target_new.strip()
    if request.target_true.strip() == new:
        return [
            f"The new target '{new}' is the current answer (target_true); the edit changes nothing "
            "the metrics can see. Choose a different new target to test the method."
        ]
    edit_prompts = before.probes.get("accuracy", [])
    if edit_prompts and all(p.correct for p in edit_prompts):
        return [
            f"The model already answers '{new}' to “{request.rendered()}” before the edit, so the edit "
            "is (nearly) a no-op and its 100 % accuracy says nothing about the method."
        ]
    return []


def locality_probes(cases: list[EditCase], edited: list[EditCase]) -> list[EditCase]:
    """``LOCALITY_PROBES`` cases spread over the file whose subjects the batch does not edit."""
    subjects = {case.request.subject for case in edited}
    unrelated = [case for case in cases if case.request.subject not in subjects]
    step = max(1, len(unrelated) // LOCALITY_PROBES)
    return unrelated[::step][:LOCALITY_PROBES]


@job(BatchEditParams)
def run_batch_edit_job(
    ctx: CoreContext, params: BatchEditParams, progress: Progress, cancel: CancelToken
) -> BatchEditResult:
    """Sequential editing: N cases edited one after another on the same model.

    Each case is evaluated right before and right after its edit (``immediate``) and all are
    re-measured against their own before-probes at the end (``final``).  ``running`` has one
    value per edit i (after edits 1..i):

    - ``accuracy``: mean accuracy on the edit prompts of edit i and of up to 10 earlier
      edits drawn at random (seeded) — how well the batch's edits are retained;
    - ``locality``: fraction of 20 fixed unrelated facts (other subjects of the file, their
      canonical prompts) whose answer is still the one the model gave before the batch;
    - ``generality``: mean immediate generality of edits 1..i.

    The model is restored at the end unless ``keep_edits`` (also when cancelled).
    """
    session = ctx.require_model()
    model, tokenizer = session.require_loaded(), session.tokenizer
    ledger = ledger_of(session)
    all_cases = load_cases(params.fact_file)
    cases = select_cases(all_cases, params.cases, params.language, params.case_ids)
    probes = locality_probes(all_cases, cases)
    probe_answers = [
        own_answer(
            model,
            tokenizer,
            c.request.rendered(),
            c.request.target_true or c.request.target_new,
        ).answer
        for c in probes
    ]
    rng = random.Random(0)
    befores: list[CaseProbe] = []
    immediate: list[EditMetrics] = []
    running: dict[str, list[float]] = {"accuracy": [], "locality": [], "generality": []}
    added: list[int] = []
    total_seconds = 0.0

    def snapshot(final: list[EditMetrics], complete: bool) -> BatchEditResult:
        return BatchEditResult(
            method=params.method,
            case_ids=[int(c.request.case_id or 0) for c in cases[: len(immediate)]],
            immediate=list(immediate),
            final=final,
            running={name: np.asarray(values, dtype=np.float64) for name, values in running.items()},
            seconds_per_edit=total_seconds / len(immediate) if immediate else math.nan,
            complete=complete,
        )

    try:
        for i, case in enumerate(cases):
            cancel.raise_if_cancelled()
            request = case.request
            report = progress.scaled(i / (len(cases) + 1), (i + 1) / (len(cases) + 1))
            before = evaluate_case(model, tokenizer, case)
            prompts = [request.rendered(), subject_prompt(request)]
            texts_before = greedy_continuations(model, tokenizer, prompts, BATCH_GENERATION_TOKENS)
            computed = compute_edit(
                ctx,
                params.method,
                request,
                params.rome,
                params.tpatcher,
                params.fact_file,
                report,
                cancel,
            )
            added.append(ledger.add(computed.edit))
            total_seconds += computed.seconds
            after = evaluate_case(model, tokenizer, case, before.locality_answers)
            texts_after = greedy_continuations(model, tokenizer, prompts, BATCH_GENERATION_TOKENS)
            metrics = measured_edit(before, after, texts_before, texts_after, computed)
            befores.append(before)
            immediate.append(metrics)
            earlier = rng.sample(range(i), min(RETENTION_SAMPLE, i))
            retained = [metrics.accuracy] + [
                float(
                    probe(
                        model,
                        tokenizer,
                        cases[j].request.rendered(),
                        cases[j].request.target_new,
                    ).correct
                )
                for j in earlier
            ]
            running["accuracy"].append(float(np.mean(retained)))
            kept = [probe(model, tokenizer, c.request.rendered(), a).correct for c, a in zip(probes, probe_answers)]
            running["locality"].append(float(np.mean(kept)) if kept else math.nan)
            running["generality"].append(float(np.nanmean([m.generality for m in immediate])))
            progress(
                (i + 1) / (len(cases) + 1),
                f"Edit {i + 1}/{len(cases)}: accuracy {metrics.accuracy:.0%}",
                snapshot([], complete=False),
            )
        final = []
        for j, case in enumerate(cases):
            cancel.raise_if_cancelled()
            after = evaluate_case(model, tokenizer, case, befores[j].locality_answers)
            final.append(edit_metrics(befores[j], after, seconds=immediate[j].seconds))
            progress(
                (len(cases) + (j + 1) / len(cases)) / (len(cases) + 1),
                f"Re-measuring case {j + 1}/{len(cases)}",
            )
        result = snapshot(final, complete=True)
    finally:
        if not params.keep_edits or cancel.cancelled:
            ledger.revert_many(added)
    progress(1.0, f"{len(cases)} edits, {result.seconds_per_edit:.2f} s per edit", result)
    return result


REFERENCE_FACTS = 8
"""Facts whose MLP effects are averaged when a fact's own trace is flat (an even spread of
the fact file; 0.5 s on the demo model)."""


def _reference_effects(
    ledger: EditLedger, tokenizer: Any, fact_file: str, progress: ProgressFn, cancel: CancelToken
) -> np.ndarray:
    """The model's usual recall layer, from averaged traces of a few facts of ``fact_file``.

    Needed because a fact the corrupted run still half-knows gives a flat trace whose argmax
    is noise: on the demo model 12 of 50 traces were flat and 8 of those pointed at layers
    1–5, where ROME then failed (the last layer cannot work at all: nothing after it reads
    the subject position).  Computed on first need and kept per fact file on the ledger.
    """
    if fact_file not in ledger.reference_effects:
        cases = load_cases(fact_file)
        spread = cases[:: max(1, len(cases) // REFERENCE_FACTS)][:REFERENCE_FACTS]
        ledger.reference_effects[fact_file] = reference_effects(
            ledger.model,
            tokenizer,
            ledger.adapter,
            [case.request for case in spread],
            progress=scaled_progress(progress, 0.0, 0.15),
            cancel=cancel,
        )
    return ledger.reference_effects[fact_file]


@job(SuggestLayerParams, saves_run=False)
def run_suggest_layer_job(
    ctx: CoreContext, params: SuggestLayerParams, progress: Progress, cancel: CancelToken
) -> np.ndarray:
    """The per-layer MLP effects at the last subject token (the panel takes the argmax)."""
    session = ctx.require_model()
    effects = mlp_effects(
        session.require_loaded(),
        session.tokenizer,
        session.require_adapter(),
        params.request,
        params.samples,
        progress,
        cancel,
    )
    progress(1.0, f"Largest MLP effect at layer {suggest_layer(effects)}")
    return effects


@job(LedgerParams, saves_run=False)
def run_ledger_job(ctx: CoreContext, params: LedgerParams, progress: Progress, cancel: CancelToken) -> LedgerState:
    session = ctx.require_model()
    ledger = ledger_of(session)
    if params.action != "list" and params.action != "revert_all" and params.edit_id is None:
        raise InvalidParameters("Choose the edit to toggle or revert.")
    if params.action == "toggle":
        ledger.toggle(int(params.edit_id))  # type: ignore[arg-type]  # validate() requires an edit id for toggle and revert
    elif params.action == "revert":
        ledger.revert(int(params.edit_id))  # type: ignore[arg-type]  # validate() requires an edit id for toggle and revert
    elif params.action == "revert_all":
        ledger.revert_all()
    elif params.action != "list":
        raise InvalidParameters(f"Unknown ledger action '{params.action}'.")
    return ledger.state()


@job(ExportEditedModelParams, saves_run=False)
def run_export_job(
    ctx: CoreContext,
    params: ExportEditedModelParams,
    progress: Progress,
    cancel: CancelToken,
) -> str:
    """Write the edited model; returns the folder."""
    if not params.folder.strip():
        raise InvalidParameters("Choose a folder to save the edited model in.")
    session = ctx.require_model()
    ledger = ledger_of(session)
    progress(0.0, "Saving the edited model")
    materialise = None
    if any(edit.method == "tpatcher" for edit in ledger.edits()):
        from workbench.core.editing.tpatcher_export import materialise_patches

        materialise = materialise_patches
    folder = ledger.export(params.folder, session.tokenizer, materialise)
    progress(1.0, f"Saved to {folder}")
    return str(folder)
