"""``workbench-cli perplexity``: how surprised the model is by a text, token by token (book §1.5)."""

from __future__ import annotations

import argparse

from workbench.base.jobs import CancelToken
from workbench.cli._common import add_model_options, add_output_options, emit, load_context, progress_for, run_job
from workbench.cli._params_options import ParamsOptions
from workbench.core.text_metrics import PerplexityParams

OPTIONS = ParamsOptions(PerplexityParams, ["text", "window", "stride"], required=["text"])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("perplexity", help="perplexity of a text and each token's surprisal")
    add_model_options(parser)
    OPTIONS.add_to(parser)
    add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    params: PerplexityParams = OPTIONS.build(args)
    params.validate()
    result = run_job(params, load_context(args), progress_for(args), CancelToken())
    # The first token has no surprisal (nothing predicts it): to_jsonable prints its NaN as null.
    emit(args, result, f"perplexity {result.perplexity:.3f} over {len(result.token_ids) - 1} predicted tokens")
    return 0
