"""``workbench-cli sample``: greedy, beam search or sampling with every step recorded (book §1.4)."""

from __future__ import annotations

import argparse

from workbench.base.jobs import CancelToken
from workbench.cli._common import add_model_options, add_output_options, emit, load_context, progress_for, run_job
from workbench.cli._params_options import ParamsOptions
from workbench.core.sampling.params import SamplingParams

OPTIONS = ParamsOptions(
    SamplingParams,
    ["prompt", "strategy", "max_new_tokens", "temperature", "top_k", "top_p", "min_p", "typical_p", "pipeline",
     "seed", "repetition_penalty", "no_repeat_ngram_size", "num_beams", "length_penalty", "early_stopping",
     "num_return_sequences", "stop_strings", "stop_at_eos", "top_n"],
    required=["prompt"],
    groups={
        "sampling (with --strategy sample)":
            ["temperature", "top_k", "top_p", "min_p", "typical_p", "pipeline", "seed"],
        "repetition (all strategies)": ["repetition_penalty", "no_repeat_ngram_size"],
        "beam search (with --strategy beam)": ["num_beams", "length_penalty", "early_stopping", "num_return_sequences"],
        "stopping": ["stop_strings", "stop_at_eos"],
    },
)  # fmt: skip


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sample",
        help="generate a continuation, recording each step's candidates",
        description="Prints the generated ids (not the prompt), the text and a record of every step.",
    )
    add_model_options(parser)
    OPTIONS.add_to(parser)
    add_output_options(parser)
    parser.set_defaults(handler=run)


def params_from(args: argparse.Namespace) -> SamplingParams:
    params: SamplingParams = OPTIONS.build(args)
    params.validate()  # before loading the model: a typo should not cost a model load
    return params


def run(args: argparse.Namespace) -> int:
    params = params_from(args)
    ctx = load_context(args)
    import workbench.core.sampling.jobs  # noqa: F401  (registers the jobs run_job runs; torch loads only now)

    result = run_job(params, ctx, progress_for(args), CancelToken())
    emit(args, result, result.text)
    return 0
