"""``workbench-cli finetune``: train a PEFT adapter and print the final train/eval loss.

``--out DIR`` becomes a standard PEFT adapter folder that plain ``peft`` loads with
``PeftModel.from_pretrained(base, DIR)``.
"""

from __future__ import annotations

import argparse
import sys

from workbench.base.jobs import CancelToken, run_job
from workbench.cli._common import add_model_options, add_output_options, emit, load_context, progress_for
from workbench.core.finetune.params import (
    DEMO_DATA,
    PEFT_METHODS,
    DataConfig,
    FinetuneParams,
    MethodConfig,
    TrainConfig,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("finetune", help="train a LoRA / prompt / prefix / IA3 adapter")
    add_model_options(parser)
    parser.add_argument("--method", choices=PEFT_METHODS, default="lora")
    parser.add_argument(
        "--data", required=True, help=f"JSONL of prompt/completion or text records, a .txt file, or '{DEMO_DATA}'"
    )
    parser.add_argument("--eval-data", default="", help="separate evaluation file (default: split off --data)")
    parser.add_argument("--out", required=True, help="folder for the adapter (created if missing)")
    parser.add_argument("--epochs", type=float, default=TrainConfig.epochs)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0 = no limit)")
    parser.add_argument("--lr", type=float, default=None, help="learning rate (default: the method's)")
    parser.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    parser.add_argument("--rank", type=int, default=MethodConfig.rank, help="LoRA rank")
    parser.add_argument("--alpha", type=float, default=MethodConfig.alpha, help="LoRA alpha")
    parser.add_argument("--virtual-tokens", type=int, default=MethodConfig.num_virtual_tokens)
    parser.add_argument("--max-length", type=int, default=DataConfig.max_length)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out")
    add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    params = FinetuneParams(
        method=MethodConfig(
            method=args.method, rank=args.rank, alpha=args.alpha, num_virtual_tokens=args.virtual_tokens
        ),
        data=DataConfig(source=args.data, eval_source=args.eval_data, max_length=args.max_length),
        train=TrainConfig(
            epochs=args.epochs,
            max_steps=args.max_steps,
            learning_rate=args.lr,
            batch_size=args.batch_size,
            seed=args.seed,
        ),
        output_dir=args.out,
        resume=args.resume,
    )
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
    emit(args, summary, f"{result.method}: train loss {result.train_loss:.4f}{evaluation}; adapter in {result.adapter_dir}")
    return 0
