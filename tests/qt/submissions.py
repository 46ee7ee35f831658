"""Recording what a view hands the worker (importable as ``submissions``).

A check that nothing was submitted must look at the submit call itself: waiting a moment
for a job to start proves nothing about a job that starts a moment later.
"""

from __future__ import annotations

from typing import Any

import pytest

from workbench.worker import WorkerHost


def record_submissions(monkeypatch: pytest.MonkeyPatch, host: WorkerHost) -> list[Any]:
    """The params of every job submitted to ``host`` from now on (they still run)."""
    submitted: list[Any] = []
    real_submit = host.submit

    def submit(params: Any, *args: Any, **kwargs: Any) -> int:
        submitted.append(params)
        return real_submit(params, *args, **kwargs)

    monkeypatch.setattr(host, "submit", submit)
    return submitted
