"""``workbench-cli perplexity``: how surprised the model is by a text, token by token (book §1.5)."""

from __future__ import annotations

import argparse

from workbench.base.jobs import CancelToken, run_job
from workbench.cli._common import add_model_options, add_output_options, emit, load_context, progress_for
from workbench.core.evaluation import PerplexityParams


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("perplexity", help="perplexity of a text and each token's surprisal")
    add_model_options(parser)
    parser.add_argument("--text", required=True)
    parser.add_argument("--window", type=int, default=0, help="tokens per window (0 = the model's context)")
    parser.add_argument("--stride", type=int, default=0, help="window step (0 = half a window)")
    add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    params = PerplexityParams(text=args.text, window=args.window, stride=args.stride)
    params.validate()
    result = run_job(params, load_context(args), progress_for(args), CancelToken())
    # The first token has no surprisal (nothing predicts it): to_jsonable prints its NaN as null.
    emit(args, result, f"perplexity {result.perplexity:.3f} over {len(result.token_ids) - 1} predicted tokens")
    return 0
