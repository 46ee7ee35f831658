"""Runs and results as plain JSON, for the CLI's output and for exporting a stored run."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from workbench.store.records import StoredRun


def to_jsonable(value: Any) -> Any:
    """Dataclasses, numpy arrays and scalars, enums and datetimes → plain JSON types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist()) if value.dtype.kind == "f" else value.tolist()
    if isinstance(value, np.generic):
        return to_jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None  # strict JSON has no NaN/inf; "no value" is what they mean here
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def export_run_json(run: StoredRun, path: str | Path) -> Path:
    """Write one run (summary, parameters, model, result, curves) as a JSON document."""
    document = {
        "run": to_jsonable(run.summary),
        "model": run.model_spec,
        "params": to_jsonable(run.params),
        "result": to_jsonable(run.result),
        "curves": {name: {"steps": c.steps.tolist(), "values": c.values.tolist()} for name, c in run.curves.items()},
    }
    target = Path(path)
    target.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return target
