"""What the project store hands out: frozen dataclasses of plain values and numpy arrays.

Free of SQLAlchemy and torch, so views can type against them cheaply; the ORM rows in
``schema`` never leave ``ProjectStore``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np

RunStatus = Literal["running", "finished", "failed", "cancelled"]
FinalRunStatus = Literal["finished", "failed", "cancelled"]


@dataclass(frozen=True)
class RunSummary:
    """One line of the run history."""

    id: int
    kind: str
    title: str
    status: RunStatus
    model_label: str | None
    started_at: datetime
    duration_s: float | None
    metrics: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    model_state: dict[str, Any] | None = None
    """What was layered on the model (``ModelState`` as JSON: ``codec.params_from_json`` rebuilds
    it); None when the run had no model or was stored before states were recorded."""


@dataclass(frozen=True)
class Curve:
    """A live curve of a run (``series`` → steps and values, in step order)."""

    steps: np.ndarray
    """int64"""
    values: np.ndarray
    """float64"""


@dataclass(frozen=True)
class StoredRun:
    """Everything stored for a run: rebuild its parameters with ``codec.params_from_json``."""

    summary: RunSummary
    params: dict[str, Any]
    result: Any
    """The decoded result (``workbench.*`` dataclasses rebuilt, arrays as numpy); None until finished."""
    curves: dict[str, Curve]
    model_spec: dict[str, Any] | None
    finished_at: datetime | None


@dataclass(frozen=True)
class NoteRecord:
    id: int
    run_id: int | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class BookmarkRecord:
    name: str
    run_id: int
    position: int


@dataclass(frozen=True)
class ArtifactRecord:
    """An artifact's description; its bytes come from ``ProjectStore.artifact_data``."""

    id: int
    run_id: int
    name: str
    kind: str
    size_bytes: int
    created_at: datetime
