"""Every params class that declares a ``job_kind`` runs through exactly one registered job,
reached by importing ``workbench.job_index`` alone, with the signature the worker calls."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
from dataclasses import dataclass

import pytest

import workbench
from workbench.base.errors import WorkbenchError
from workbench.base.jobs import JOBS, CancelToken, JobContext, JobParams, JobRegistry, Progress, run_job


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _params_classes_in_the_tree() -> dict[str, type]:
    """Import every module of the package (not ``__main__``) and collect the dataclasses that
    declare a ``job_kind`` of their own (``class X(JobParams, kind=…)``)."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(workbench.__path__, prefix="workbench."):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and dataclasses.is_dataclass(value)
                and "job_kind" in vars(value)
            ):
                found[_name(value)] = value
    return found


def _registered_by_the_index_alone() -> set[str]:
    code = (
        "import json, workbench.job_index\n"
        "from workbench.base.jobs import JOBS\n"
        "print(json.dumps(sorted(f'{t.__module__}.{t.__qualname__}' for t, _ in JOBS.items())))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_index_registers_a_job_for_every_params_class_with_a_job_kind() -> None:
    declared = _params_classes_in_the_tree()
    assert len(declared) > 40  # the walk found the labs' params, not an empty package
    registered = _registered_by_the_index_alone()
    assert sorted(set(declared) - registered) == []
    assert sorted(registered - set(declared)) == []


def test_every_registered_job_takes_ctx_params_progress_cancel() -> None:
    _params_classes_in_the_tree()  # imports every job module
    wrong = {
        _name(params_type): list(inspect.signature(entry.function).parameters)
        for params_type, entry in JOBS.items()
        if list(inspect.signature(entry.function).parameters) != ["ctx", "params", "progress", "cancel"]
    }
    assert wrong == {}


@dataclass(frozen=True)
class _ToyParams(JobParams, kind="toy"):
    pass


def _toy_job(ctx: JobContext, params: _ToyParams, progress: Progress, cancel: CancelToken) -> str:
    return "ran"


def test_a_second_job_for_the_same_params_class_is_refused() -> None:
    registry = JobRegistry()
    registry.register(_ToyParams)(_toy_job)
    with pytest.raises(ValueError, match=r"_ToyParams already runs .*_toy_job"):
        registry.register(_ToyParams, saves_run=False)(_toy_job)
    assert registry.registered(_ToyParams).saves_run is True


def test_running_params_without_a_registered_job_names_the_class() -> None:
    with pytest.raises(WorkbenchError, match=r"No job is registered for .*test_job_registry\._ToyParams"):
        run_job(_ToyParams(), JobContext(), Progress(), CancelToken())
