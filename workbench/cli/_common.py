"""Options and output shared by the CLI's subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from workbench.core.jobs import CancelToken, JobContext, Progress
from workbench.core.model.spec import ModelSpec
from workbench.store.export import to_jsonable

if TYPE_CHECKING:
    from workbench.core.model.session import ModelSession


def add_model_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("model")
    group.add_argument("--model", default="demo", help="'demo', a folder, or a hub id from the local cache")
    group.add_argument("--revision", default=None)
    group.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N")
    group.add_argument("--dtype", default="auto", choices=["auto", "float32", "float16", "bfloat16"])
    group.add_argument("--trust-remote-code", action="store_true", help="run the model's own code (opt-in)")
    group.add_argument("--allow-pickle", action="store_true", help="load pickled .bin weights (opt-in)")
    group.add_argument("--allow-download", action="store_true", help="download from the hub if not cached")


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def model_spec_from(args: argparse.Namespace) -> ModelSpec:
    return ModelSpec.parse(
        args.model,
        revision=args.revision,
        device=args.device,
        dtype=args.dtype,
        trust_remote_code=args.trust_remote_code,
        allow_pickle=args.allow_pickle,
        allow_download=args.allow_download,
    )


def progress_for(args: argparse.Namespace) -> Progress:
    """Progress lines on stderr (a few per second), so stdout stays pure JSON."""
    if getattr(args, "quiet", False):
        return Progress()

    def write(fraction: float, message: str, _partial: Any) -> None:
        print(f"[{fraction * 100:5.1f}%] {message}", file=sys.stderr, flush=True)

    return Progress(write, min_interval=0.5)


def load_context(args: argparse.Namespace) -> JobContext:
    """Load the model named by the model options into a fresh job context."""
    from workbench.core.model.session import ModelSession

    session: ModelSession = ModelSession.load(model_spec_from(args), progress_for(args), CancelToken())
    return JobContext(model=session)


def emit(args: argparse.Namespace, result: Any, text: str | None = None) -> None:
    """Print ``result`` as JSON with ``--json``, else ``text`` (or indented JSON)."""
    if args.json or text is None:
        json.dump(to_jsonable(result), sys.stdout, ensure_ascii=False, indent=None if args.json else 2)
        sys.stdout.write("\n")
    else:
        print(text)
