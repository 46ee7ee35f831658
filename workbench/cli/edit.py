"""``workbench-cli edit``: write a fact into the model with ROME or T-Patcher (book §5.3, §5.4.3).

One edit (``--case-id`` from a fact file, or ``--prompt/--subject/--target``) prints its
metrics — accuracy, generality, portability, locality, fluency before/after, seconds and
peak memory — and ``--save-model DIR`` writes the edited model for plain ``transformers``.
``--cases N`` edits N cases one after another and prints the aggregated metrics.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.cli._common import (
    add_model_options,
    add_output_options,
    emit,
    load_context,
    progress_for,
    run_job,
)
from workbench.cli._params_options import ParamsOptions
from workbench.core.editing.params import (
    BatchEditParams,
    EditMetrics,
    EditParams,
    EditRequest,
    ExportEditedModelParams,
    RomeSettings,
    TPatcherSettings,
)

EDIT = ParamsOptions(EditParams, ["method", "fact_file"])
REQUEST = ParamsOptions(EditRequest, ["case_id", "prompt", "subject", "target_new"])
CASES = ParamsOptions(BatchEditParams, ["cases"], omittable=True)
BATCH = ParamsOptions(BatchEditParams, ["language"])
ROME = ParamsOptions(
    RomeSettings,
    ["layer", "covariance", "covariance_corpus"],
    overrides={"layer": {"help": "layer to edit (default: ROME traces, T-Patcher last)"}},
)
SAVE = ParamsOptions(ExportEditedModelParams, ["folder"])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "edit",
        help="edit a fact with ROME or T-Patcher and measure the edit",
        description="Apply one edit (or --cases N sequential edits) and print accuracy, generality, "
        "portability, locality, fluency and cost.",
    )
    add_model_options(parser)
    for options in (EDIT, REQUEST, CASES, BATCH, ROME, SAVE):
        options.add_to(parser)
    parser.add_argument(  # both methods' step count; no one field holds it
        "--steps", type=int, default=None, help="ROME value steps / T-Patcher training steps"
    )
    parser.add_argument(
        "--identity-covariance",
        dest="covariance",
        action="store_const",
        const="identity",
        default=argparse.SUPPRESS,
        help="ROME with C = I (no corpus statistics): --covariance identity",
    )
    add_output_options(parser)
    parser.set_defaults(handler=run)


def settings_from(args: argparse.Namespace) -> tuple[RomeSettings, TPatcherSettings]:
    rome: RomeSettings = ROME.build(args)
    tpatcher = TPatcherSettings(layer=rome.layer)
    if args.steps is not None:
        if args.steps < 1:
            raise InvalidParameters("--steps must be at least 1.")
        rome, tpatcher = (
            replace(rome, v_steps=args.steps),
            replace(tpatcher, steps=args.steps),
        )
    return rome, tpatcher


def params_from(args: argparse.Namespace) -> EditParams | BatchEditParams:
    """Check the options before the model loads, so a typo fails at once."""
    rome, tpatcher = settings_from(args)
    request: EditRequest = REQUEST.build(args)
    batch = CASES.values(args)
    typed = bool(request.prompt or request.subject or request.target_new)
    chosen = sum([request.case_id is not None, typed, bool(batch)])
    if chosen != 1:
        raise InvalidParameters("Give exactly one of --case-id, --prompt/--subject/--target, or --cases N.")
    if batch:
        if SAVE.build(args).folder:
            raise InvalidParameters("--save-model saves a single edit; it cannot be used with --cases.")
        return BatchEditParams(**EDIT.values(args), **batch, **BATCH.values(args), rome=rome, tpatcher=tpatcher)
    if typed:
        request.check()
    return EditParams(**EDIT.values(args), request=request, rome=rome, tpatcher=tpatcher)


def run(args: argparse.Namespace) -> int:
    params = params_from(args)
    if isinstance(params, EditParams) and params.request.case_id is not None:
        from workbench.core.editing.cases import find_case, load_cases

        find_case(load_cases(params.fact_file), params.request.case_id)  # before the model loads
    ctx = load_context(args)
    progress = progress_for(args)
    import workbench.core.editing.jobs  # noqa: F401  (registers the jobs run_job runs; torch loads only now)

    result = run_job(params, ctx, progress, CancelToken())
    if isinstance(params, BatchEditParams):
        from workbench.core.editing.edit_metrics import mean_metrics

        summary = {
            "method": params.method,
            "cases": len(result.immediate),
            "immediate": mean_metrics(result.immediate),
            "final": mean_metrics(result.final),
            "seconds_per_edit": result.seconds_per_edit,
            "case_ids": result.case_ids,
        }
        emit(args, summary, render_batch(summary))
        return 0
    output = {
        "method": result.method,
        "layer": result.layer,
        "request": result.request,
        "metrics": {k: v for k, v in vars(result.metrics).items() if k != "checks"},
        "checks": result.metrics.checks,
        "generations": result.generations,
        "details": result.details,
        "warnings": result.warnings,
    }
    export: ExportEditedModelParams = SAVE.build(args)
    if export.folder:
        output["saved_to"] = run_job(
            export,
            ctx,
            progress,
            CancelToken(),
        )
    text = render(result.metrics, result.layer, output.get("saved_to"))
    emit(args, output, "\n".join([*(f"warning: {w}" for w in result.warnings), text]))
    if args.json:
        for warning in result.warnings:
            print(f"workbench-cli: warning: {warning}", file=sys.stderr)
    return 0


def _percent(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.0%}"


def render(metrics: EditMetrics, layer: int, saved_to: object) -> str:
    lines = [
        f"edited layer {layer} in {metrics.seconds:.2f} s (peak +{metrics.peak_memory_mb:.0f} MiB)",
        (
            f"accuracy {_percent(metrics.accuracy)}  generality {_percent(metrics.generality)}  "
            f"portability {_percent(metrics.portability)}  locality {_percent(metrics.locality)}"
        ),
        f"fluency {metrics.fluency_before:.2f} → {metrics.fluency_after:.2f}",
    ]
    if saved_to:
        lines.append(f"saved to {saved_to}")
    return "\n".join(lines)


def render_batch(summary: dict) -> str:
    lines = [f"{summary['cases']} sequential {summary['method']} edits, {summary['seconds_per_edit']:.2f} s per edit"]
    for when in ("immediate", "final"):
        m = summary[when]
        lines.append(
            f"{when:>9}: accuracy {_percent(m['accuracy'])}  generality {_percent(m['generality'])}  "
            f"portability {_percent(m['portability'])}  locality {_percent(m['locality'])}"
        )
    return "\n".join(lines)
