"""Training checkpoints: enough to continue a cancelled or interrupted run where it stopped.

A checkpoint is a folder with the trainable parameters (and the best ones so far) as
safetensors, the optimiser and scheduler state and the CPU random state (``torch.load`` with
``weights_only=True``: no pickled code), the curves so far as arrays (``curves.safetensors``),
and ``state.json`` with the step and the settings it was made with.  The curves are not JSON:
turning 100 000 steps into JSON held the GIL for ~0.4 s every ``checkpoint_every`` steps, a
GUI freeze that grew with the run.  It is written beside the old one and swapped in by a
rename, so a kill while saving leaves the previous checkpoint intact.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.numpy import load_file as load_arrays
from safetensors.numpy import save_file as save_arrays
from safetensors.torch import load_file, save_file
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.core.finetune.params import CHECKPOINT_DIR
from workbench.store import Curve

__all__ = ["CHECKPOINT_DIR", "load_checkpoint", "remove_checkpoint", "save_checkpoint"]
_PARAMETERS, _BEST, _OPTIMIZER, _STATE = "trainable.safetensors", "best.safetensors", "optimizer.pt", "state.json"
_CURVES = "curves.safetensors"


def save_checkpoint(
    folder: Path,
    parameters: dict[str, nn.Parameter],
    best: dict[str, torch.Tensor] | None,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    state: dict[str, Any],
    curves: dict[str, Curve],
) -> None:
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    save_file({n: p.detach().contiguous().cpu() for n, p in parameters.items()}, str(partial / _PARAMETERS))
    if best is not None:
        save_file({n: t.contiguous().cpu() for n, t in best.items()}, str(partial / _BEST))
    torch.save(
        {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "rng": torch.get_rng_state()},
        partial / _OPTIMIZER,
    )
    arrays = {}
    for series, curve in curves.items():
        arrays[f"{series}.steps"] = np.ascontiguousarray(curve.steps, dtype=np.int64)
        arrays[f"{series}.values"] = np.ascontiguousarray(curve.values, dtype=np.float64)
    save_arrays(arrays, str(partial / _CURVES))
    (partial / _STATE).write_text(json.dumps(state), encoding="utf-8")
    old = folder.with_name(folder.name + ".old")
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
    partial.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def load_checkpoint(
    folder: Path,
    parameters: dict[str, nn.Parameter],
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    settings: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, torch.Tensor] | None, dict[str, Curve]]:
    """Restore the parameters, optimiser, scheduler and random state; returns (state, best, curves)."""
    if not (folder / _STATE).is_file():
        raise InvalidParameters(f"There is no checkpoint in {folder.parent} to resume from.")
    state = json.loads((folder / _STATE).read_text(encoding="utf-8"))
    if state.get("settings") != settings:
        raise InvalidParameters(
            f"The checkpoint in {folder.parent} was made with other settings; resume with the same "
            "method, data and training settings, or start afresh."
        )
    saved = load_file(str(folder / _PARAMETERS))
    if set(saved) != set(parameters):
        raise InvalidParameters(f"The checkpoint in {folder.parent} does not fit this model.")
    with torch.no_grad():
        for name, parameter in parameters.items():
            parameter.copy_(saved[name])
    extra = torch.load(folder / _OPTIMIZER, weights_only=True)
    optimizer.load_state_dict(extra["optimizer"])
    scheduler.load_state_dict(extra["scheduler"])
    torch.set_rng_state(extra["rng"])
    device = next(iter(parameters.values())).device
    best = {n: t.to(device) for n, t in load_file(str(folder / _BEST)).items()} if (folder / _BEST).is_file() else None
    return state, best, _load_curves(folder, state)


def _load_curves(folder: Path, state: dict[str, Any]) -> dict[str, Curve]:
    if (folder / _CURVES).is_file():
        arrays = load_arrays(str(folder / _CURVES))
        names = {key.rpartition(".")[0] for key in arrays}
        return {name: Curve(arrays[f"{name}.steps"], arrays[f"{name}.values"]) for name in names}
    # a checkpoint from before the curves had their own file kept them in state.json
    return {
        name: Curve(np.asarray(steps, dtype=np.int64), np.asarray(values, dtype=np.float64))
        for name, (steps, values) in state.get("curves", {}).items()
    }


def remove_checkpoint(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
