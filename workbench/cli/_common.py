"""Options and output shared by the CLI's subcommands."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from workbench.base.jobs import JOBS, CancelToken, JobContext, JobParams, Progress
from workbench.base.jobs import run_job as run_registered_job
from workbench.core.model.spec import ModelSpec
from workbench.store.export import to_jsonable

if TYPE_CHECKING:
    from workbench.core.context import CoreContext
    from workbench.core.model.session import ModelSession


def run_job(params: JobParams, ctx: JobContext[Any, Any], progress: Progress, cancel: CancelToken) -> Any:
    """Run a job in this process.  A command imports only its own lab's job module, so that torch
    and the other labs load only when needed (``rag query`` starts fast); a job whose module the
    command did not import is found by importing every job module once (``workbench.job_index``):
    the ``models`` commands once ran in a fresh process with no job registered."""
    if not JOBS.knows(type(params)):
        import workbench.job_index  # noqa: F401  (registers every job)
    return run_registered_job(params, ctx, progress, cancel)


def add_model_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("model")
    group.add_argument("--model", default="demo", help="'demo', a folder, or a hub id from the local cache")
    group.add_argument("--revision", default=None)
    group.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N")
    group.add_argument("--dtype", default="auto", choices=["auto", "float32", "float16", "bfloat16"])
    group.add_argument("--trust-remote-code", action="store_true", help="run the model's own code (opt-in)")
    group.add_argument("--allow-pickle", action="store_true", help="load pickled .bin weights (opt-in)")
    group.add_argument("--allow-download", action="store_true", help="download from the hub if not cached")
    group.add_argument(
        "--offload", action="store_true", help="load a model larger than free memory (GPU, RAM, then disk; slow)"
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


_QUIET_ENV = {
    "TRANSFORMERS_VERBOSITY": "error",  # read when transformers is first imported
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_VERBOSITY": "error",
}


@contextmanager
def quiet_libraries(quiet: bool) -> Iterator[None]:
    """``--quiet``: library chatter off stderr too — Python warnings (transformers' and torch's
    ``FutureWarning`` / deprecation lines), transformers' logged advice and the hub's progress
    bars.  Errors still print and results still go to stdout.  Everything is restored on
    leaving, so in-process callers (tests, scripts) keep their own settings."""
    if not quiet:
        yield
        return
    saved_env = {name: os.environ.get(name) for name in _QUIET_ENV}
    os.environ.update(_QUIET_ENV)
    hf_logging = sys.modules.get("transformers.utils.logging")
    verbosity = hf_logging.get_verbosity() if hf_logging is not None else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if hf_logging is not None:
                hf_logging.set_verbosity_error()
            yield
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        hf_logging = sys.modules.get("transformers.utils.logging")
        if hf_logging is not None:
            hf_logging.set_verbosity(verbosity if verbosity is not None else hf_logging.WARNING)


def model_spec_from(args: argparse.Namespace) -> ModelSpec:
    return ModelSpec.parse(
        args.model,
        revision=args.revision,
        device=args.device,
        dtype=args.dtype,
        trust_remote_code=args.trust_remote_code,
        allow_pickle=args.allow_pickle,
        allow_download=args.allow_download,
        offload=args.offload,
    )


def progress_for(args: argparse.Namespace) -> Progress:
    """Progress lines on stderr (a few per second), so stdout stays pure JSON."""
    if getattr(args, "quiet", False):
        return Progress()

    def write(fraction: float, message: str, _partial: Any) -> None:
        print(f"[{fraction * 100:5.1f}%] {message}", file=sys.stderr, flush=True)

    return Progress(write, min_interval=0.5)


def load_context(args: argparse.Namespace) -> CoreContext:
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
