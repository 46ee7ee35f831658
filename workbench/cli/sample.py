"""``workbench-cli sample``: greedy, beam search or sampling with every step recorded (book §1.4)."""

from __future__ import annotations

import argparse

from workbench.cli._common import add_model_options, add_output_options, emit, load_context, progress_for
from workbench.core.jobs import CancelToken, run_job
from workbench.core.sampling.params import STRATEGIES, WARPERS, SamplingParams

_DEFAULTS = SamplingParams()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sample",
        help="generate a continuation, recording each step's candidates",
        description="Prints the generated ids (not the prompt), the text and a record of every step.",
    )
    add_model_options(parser)
    parser.add_argument("--prompt", required=True)
    parser.add_argument("--strategy", choices=STRATEGIES, default=_DEFAULTS.strategy)
    parser.add_argument("--max-new-tokens", type=int, default=_DEFAULTS.max_new_tokens)
    sampler = parser.add_argument_group("sampling (with --strategy sample)")
    sampler.add_argument("--temperature", type=float, default=_DEFAULTS.temperature)
    sampler.add_argument("--top-k", type=int, default=_DEFAULTS.top_k, help="0 = off")
    sampler.add_argument("--top-p", type=float, default=_DEFAULTS.top_p)
    sampler.add_argument("--min-p", type=float, default=_DEFAULTS.min_p)
    sampler.add_argument("--typical-p", type=float, default=_DEFAULTS.typical_p)
    sampler.add_argument(
        "--pipeline",
        default=",".join(_DEFAULTS.pipeline),
        help=f"order of the warpers, comma-separated (default: {','.join(WARPERS)})",
    )
    sampler.add_argument("--seed", type=int, default=_DEFAULTS.seed)
    processors = parser.add_argument_group("repetition (all strategies)")
    processors.add_argument("--repetition-penalty", type=float, default=_DEFAULTS.repetition_penalty)
    processors.add_argument("--no-repeat-ngram-size", type=int, default=_DEFAULTS.no_repeat_ngram_size)
    beam = parser.add_argument_group("beam search (with --strategy beam)")
    beam.add_argument("--num-beams", type=int, default=_DEFAULTS.num_beams)
    beam.add_argument("--length-penalty", type=float, default=_DEFAULTS.length_penalty)
    beam.add_argument("--early-stopping", choices=["true", "false", "never"], default="false")
    beam.add_argument("--num-return-sequences", type=int, default=_DEFAULTS.num_return_sequences)
    stops = parser.add_argument_group("stopping")
    stops.add_argument("--stop", action="append", default=[], metavar="TEXT", help="stop string (repeatable)")
    stops.add_argument("--ignore-eos", action="store_true", help="keep going after the end-of-sequence token")
    parser.add_argument("--top-n", type=int, default=_DEFAULTS.top_n, help="candidates recorded per step")
    parser.add_argument(
        "--no-chat-template",
        action="store_true",
        help="continue the prompt as raw text even if the model has a chat template (instruct models)",
    )
    add_output_options(parser)
    parser.set_defaults(handler=run)


def params_from(args: argparse.Namespace) -> SamplingParams:
    early_stopping = {"true": True, "false": False, "never": "never"}[args.early_stopping]
    return SamplingParams(
        prompt=args.prompt,
        chat_template=not args.no_chat_template,
        strategy=args.strategy,
        max_new_tokens=args.max_new_tokens,
        temperature=args.temperature,
        top_k=args.top_k,
        top_p=args.top_p,
        min_p=args.min_p,
        typical_p=args.typical_p,
        pipeline=tuple(name.strip() for name in args.pipeline.split(",") if name.strip()),
        repetition_penalty=args.repetition_penalty,
        no_repeat_ngram_size=args.no_repeat_ngram_size,
        num_beams=args.num_beams,
        length_penalty=args.length_penalty,
        early_stopping=early_stopping,
        num_return_sequences=args.num_return_sequences,
        seed=args.seed,
        stop_strings=tuple(args.stop),
        stop_at_eos=not args.ignore_eos,
        top_n=args.top_n,
    )


def run(args: argparse.Namespace) -> int:
    params = params_from(args)
    params.validate()  # before loading the model: a typo should not cost a model load
    ctx = load_context(args)
    result = run_job(params, ctx, progress_for(args), CancelToken())
    emit(args, result, result.text)
    return 0
