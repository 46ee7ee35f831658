"""Headless command line: the same core functions as the GUI, printing JSON.

Each subcommand is a module of this package with ``register(subparsers)``; modules are
found by name, so a new panel adds its command without touching this file.  A command's
module is named like the command, so running one imports only its own module (and its lab's
parameters), not every lab's; help and a mistyped command still list them all.
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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone when it names one."""
    parser = argparse.ArgumentParser(
        prog="workbench-cli",
        description="LLM Workbench, headless: every command prints JSON with --json.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    for name in [command] if command in names else names:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``workbench-cli``; exit 2 with a one-line reason on a user error."""
    set_wait_policy_env()  # before any subcommand loads torch or faiss
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
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
