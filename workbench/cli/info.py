"""``workbench-cli info``: what a model is (family, layers, parameters, device, memory)."""

from __future__ import annotations

import argparse

from workbench.cli._common import add_model_options, add_output_options, emit, load_context


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("info", help="load a model and describe it")
    add_model_options(parser)
    add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    info = load_context(args).require_model().info
    text = (
        f"{info.label}: {info.family} ({info.model_type}), {info.num_layers} layers, "
        f"{info.num_parameters / 1e6:.1f} M parameters, {info.device} {info.dtype}, "
        f"{info.memory_bytes / 2**20:.1f} MiB"
    )
    emit(args, info, text)
    return 0
