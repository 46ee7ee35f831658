"""``--quiet`` keeps stderr clear of library chatter, not just of progress lines.

Run in a child process: pytest captures warnings itself, so in-process they would never
reach stderr whatever the CLI did.
"""

from __future__ import annotations

import subprocess
import sys

CHATTY_COMMAND = """
import sys, warnings
import workbench.cli.info as info

def chatty(args):
    from transformers.utils import logging as hf_logging
    warnings.warn("`foo` is deprecated and will be removed in v6", FutureWarning)
    hf_logging.get_logger("transformers.modeling_utils").warning("advice from transformers")
    print("result")
    return 0

info.run = chatty
from workbench.cli import main
sys.exit(main(["info", *sys.argv[1:]]))
"""


def run_cli(*flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CHATTY_COMMAND, *flags], capture_output=True, text=True, timeout=120)


def test_quiet_silences_future_warnings_and_transformers_advice() -> None:
    loud = run_cli()
    assert loud.returncode == 0 and "FutureWarning" in loud.stderr and "advice" in loud.stderr
    quiet = run_cli("--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "result\n"
    assert quiet.stderr == ""
