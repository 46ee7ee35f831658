"""Headless command line: the same core functions as the GUI, printing JSON.

Each subcommand is a module of this package with ``register(subparsers)``; modules are
found by name, so a new panel adds its command without touching this file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from workbench.base.errors import WorkbenchError
from workbench.cli._common import quiet_libraries
from workbench.core.rag.threads import set_wait_policy_env


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench-cli",
        description="LLM Workbench, headless: every command prints JSON with --json.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``workbench-cli``; exit 2 with a one-line reason on a user error."""
    set_wait_policy_env()  # before any subcommand loads torch or faiss
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with quiet_libraries(getattr(args, "quiet", False)):
            return int(args.handler(args) or 0)
    except WorkbenchError as error:
        print(f"workbench-cli: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench-cli: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
