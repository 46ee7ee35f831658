"""The fine-tuning lab's jobs: thin wrappers from the job protocol to the core functions."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken, Progress, job
from workbench.core.context import CoreContext
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
    TrainingHistoryParams,
    TrainingRunCurves,
)
from workbench.core.finetune.run import finetune
from workbench.core.model.session import ModelSession
from workbench.core.sampling.recording import TokenText
from workbench.store import Curve

if TYPE_CHECKING:
    from workbench.store import ProjectStore

ADAPTER_ARTIFACT = "adapter"
"""Artifact kind of a trained adapter's files (PEFT's two files, or BitFit's biases)."""


def adapter_stack(session: ModelSession) -> AdapterStack:
    """The session's ``adapters`` (created on first use, renewed if the model changed)."""
    model = session.require_loaded()
    stack = session.adapters
    if stack is None or stack.base is not model:
        stack = AdapterStack(model, merge_lock=lambda: _edits_in_the_weights(session))
        session.adapters = stack
    return stack


def _edits_in_the_weights(session: ModelSession) -> str | None:
    if session.edits is None or not session.edits.in_model:
        return None
    return (
        "Model edits are in the weights: revert them in the Model Editing ledger before merging, "
        "unmerging or changing merged adapters. A reverted edit restores the exact weights it "
        "replaced, so an adapter update merged or unmerged under it would be lost or doubled."
    )


class CurveWriter:
    """Appends a run's new curve points to the project store, at most once per ``interval``.

    So the curves of a long training survive closing the app, without a write per step.
    """

    def __init__(self, store: ProjectStore, run_id: int, interval: float = 1.0) -> None:
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


def store_adapter(store: ProjectStore, run_id: int, folder: Path) -> None:
    """Keep the adapter's files with its run, so the project alone can re-apply it."""
    for path in sorted(folder.iterdir()):
        if path.is_file():
            store.add_artifact(run_id, path.name, ADAPTER_ARTIFACT, path.read_bytes())


def restore_adapter(store: ProjectStore, run_id: int, folder: Path) -> None:
    """Write the adapter files stored with run ``run_id`` into ``folder``."""
    records = [a for a in store.artifacts(run_id) if a.kind == ADAPTER_ARTIFACT]
    if not records:
        raise InvalidParameters(f"Run {run_id} has no adapter stored in this project.")
    for record in records:
        (folder / Path(record.name).name).write_bytes(store.artifact_data(record.id))


@job(FinetuneParams)
def finetune_job(ctx: CoreContext, params: FinetuneParams, progress: Progress, cancel: CancelToken) -> FinetuneResult:
    session = ctx.require_model()
    store, run_id = ctx.store, ctx.run_id
    writer = CurveWriter(store, run_id) if store is not None and run_id is not None else None
    result = finetune(
        adapter_stack(session), session.tokenizer, session.adapter, params, progress, cancel, curves=writer
    )
    if store is not None and run_id is not None:
        store_adapter(store, run_id, Path(result.adapter_dir))
    return result


@job(CountParametersParams, saves_run=False)
def count_parameters_job(
    ctx: CoreContext, params: CountParametersParams, progress: Progress, cancel: CancelToken
) -> ParameterCount:
    session = ctx.require_model()
    return count_parameters(params.method, session.require_loaded(), session.adapter)


@job(PreviewDataParams, saves_run=False)
def preview_data_job(
    ctx: CoreContext, params: PreviewDataParams, progress: Progress, cancel: CancelToken
) -> DataPreview:
    session = ctx.require_model()
    data = load_data(params.data, session.tokenizer, context_limit=context_limit(session.require_loaded()))
    return DataPreview(
        source=params.data.source,
        num_train=len(data.train),
        num_eval=len(data.eval),
        max_length=data.max_length,
        examples=preview_examples(data.train, TokenText(session.tokenizer), params.num_examples),
        notes=list(data.notes),
    )


@job(AdapterOperationParams, saves_run=False)
def adapter_operation_job(
    ctx: CoreContext, params: AdapterOperationParams, progress: Progress, cancel: CancelToken
) -> AdapterState:
    stack = adapter_stack(ctx.require_model())
    action = params.action
    name = params.names[0] if params.names else ""
    if action == "state":
        pass
    elif action == "load" and params.run_id is not None:
        if ctx.store is None:
            raise InvalidParameters("Open a project to apply an adapter stored in it.")
        with tempfile.TemporaryDirectory() as folder:
            restore_adapter(ctx.store, params.run_id, Path(folder))
            stack.load(folder, name or f"run{params.run_id}", source=f"run {params.run_id}")
    elif action == "load":
        if not params.folder:
            raise InvalidParameters("Choose an adapter folder to load.")
        stack.load(params.folder, name)
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


@job(CompareParams)
def compare_job(ctx: CoreContext, params: CompareParams, progress: Progress, cancel: CancelToken) -> CompareResult:
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


@job(TrainingHistoryParams, saves_run=False)
def training_history_job(
    ctx: CoreContext, params: TrainingHistoryParams, progress: Progress, cancel: CancelToken
) -> list[TrainingRunCurves]:
    """The newest training runs of the open project with their curves (none without a project)."""
    if ctx.store is None:
        return []
    runs = []
    for summary in ctx.store.list_runs(kind=FinetuneParams.job_kind, limit=params.limit):
        cancel.raise_if_cancelled()
        stored = ctx.store.load_run(summary.id)
        method = stored.params.get("method", {}).get("method", "") if isinstance(stored.params, dict) else ""
        runs.append(TrainingRunCurves(summary.id, summary.title, summary.status, str(method), stored.curves))
    return runs
