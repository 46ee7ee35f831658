"""``workbench-cli trace``: a causal trace (book §5.4.1) of one prompt.

``--json`` prints the whole ``TraceResult``; ``scores[kind][token][layer]`` is p(target)
with that state restored, ``high_score``/``low_score`` the clean and corrupted p(target).
"""

from __future__ import annotations

import argparse
import sys

from workbench.base.jobs import CancelToken
from workbench.cli._common import add_model_options, add_output_options, emit, load_context, progress_for, run_job
from workbench.cli._params_options import ParamsOptions
from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.results import TraceResult

OPTIONS = ParamsOptions(
    TraceParams,
    [
        "prompt",
        "subject",
        "subject_span",
        "target",
        "kinds",
        "samples",
        "noise",
        "noise_kind",
        "window",
        "seed",
        "method",
    ],
    required=["prompt"],
    overrides={"prompt": {"help": "the prompt, e.g. 'The Eiffel Tower is in the city of'"}},
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "trace",
        help="causal trace: which hidden states, MLPs and attention layers carry a fact",
        description="Corrupt the subject's embeddings with noise and restore one clean state at a "
        "time (ROME-style causal tracing); prints p(target) per token and layer.",
    )
    add_model_options(parser)
    OPTIONS.add_to(parser)
    add_output_options(parser)
    parser.set_defaults(handler=run)


def params_from(args: argparse.Namespace) -> TraceParams:
    params: TraceParams = OPTIONS.build(args)
    params.check()  # before loading the model, so a typo fails at once
    return params


def run(args: argparse.Namespace) -> int:
    params = params_from(args)
    ctx = load_context(args)
    import workbench.core.tracing.jobs  # noqa: F401  (registers the jobs run_job runs; torch loads only now)

    result: TraceResult = run_job(params, ctx, progress_for(args), CancelToken())
    emit(args, result, render(result))
    if args.json:  # the text output has them as its second lines
        for warning in result.warnings:
            print(f"workbench-cli: warning: {warning}", file=sys.stderr)
    return 0


def render(result: TraceResult) -> str:
    """The heatmaps as text: one table per kind, a row per token, a column per layer."""
    start, end = result.subject_range
    lines = [
        f"target {result.target!r}: clean p = {result.high_score:.4f}, corrupted p = {result.low_score:.4f} "
        f"({result.samples} samples, noise {result.noise_kind} {result.noise_std:.4f}, window {result.window})",
        *(f"warning: {warning}" for warning in result.warnings),
    ]
    width = max(len(repr(token)) for token in result.tokens) + 2
    for kind, scores in result.scores.items():
        lines.append(f"\n{kind}: p(target) restoring each state (layers 0 … {result.num_layers - 1})")
        for i, token in enumerate(result.tokens):
            mark = "*" if start <= i < end else " "
            cells = " ".join(f"{value:.3f}" for value in scores[i])
            lines.append(f"{mark}{token!r:<{width}}{cells}")
    return "\n".join(lines)
