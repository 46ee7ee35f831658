"""``workbench-cli finetune``: train a PEFT adapter and print the final train/eval loss.

``--out DIR`` becomes a standard PEFT adapter folder that plain ``peft`` loads with
``PeftModel.from_pretrained(base, DIR)``.
"""

from __future__ import annotations

import argparse
import sys

from workbench.base.jobs import CancelToken
from workbench.cli._common import add_model_options, add_output_options, emit, load_context, progress_for, run_job
from workbench.cli._params_options import ParamsOptions
from workbench.core.finetune.params import DataConfig, FinetuneParams, MethodConfig, TrainConfig

METHOD = ParamsOptions(MethodConfig, ["method", "rank", "alpha", "num_virtual_tokens"])
DATA = ParamsOptions(DataConfig, ["source", "eval_source", "max_length"], required=["source"])
TRAIN = ParamsOptions(TrainConfig, ["epochs", "max_steps", "learning_rate", "batch_size", "seed"])
RUN = ParamsOptions(FinetuneParams, ["output_dir", "resume"], required=["output_dir"])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("finetune", help="train a LoRA / prompt / prefix / IA3 adapter")
    add_model_options(parser)
    for options in (METHOD, DATA, TRAIN, RUN):
        options.add_to(parser)
    add_output_options(parser)
    parser.set_defaults(handler=run)


def params_from(args: argparse.Namespace) -> FinetuneParams:
    configs = {"method": METHOD.build(args), "data": DATA.build(args), "train": TRAIN.build(args)}
    params: FinetuneParams = RUN.build(args, **configs)
    return params


def run(args: argparse.Namespace) -> int:
    params = params_from(args)
    ctx = load_context(args)
    import workbench.core.finetune.jobs  # noqa: F401  (registers the jobs run_job runs; torch loads only now)

    result = run_job(params, ctx, progress_for(args), CancelToken())
    summary = {
        "method": result.method,
        "train_loss": result.train_loss,
        "eval_loss": result.eval_loss,
        "base_eval_loss": result.base_eval_loss,
        "steps": result.steps,
        "epochs": result.epochs,
        "stopped_early": result.stopped_early,
        "trainable_parameters": result.trainable_parameters,
        "total_parameters": result.total_parameters,
        "tokens_per_s": result.tokens_per_s,
        "adapter_dir": result.adapter_dir,
    }
    evaluation = (
        f", eval loss {result.eval_loss:.4f} (base {result.base_eval_loss:.4f})" if result.eval_loss is not None else ""
    )
    summary["notes"] = result.notes
    for note in result.notes:
        print(f"workbench-cli: note: {note}", file=sys.stderr)
    emit(
        args,
        summary,
        f"{result.method}: train loss {result.train_loss:.4f}{evaluation}; adapter in {result.adapter_dir}",
    )
    return 0
