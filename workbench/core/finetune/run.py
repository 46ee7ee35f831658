"""One fine-tuning run from start to saved adapter: data, method, training, saving.

Training always starts from the base model: adapters applied before are removed first (they
stay in their folders).  A run that fails or is cancelled leaves the base model as it was
and, when cancelled, a checkpoint in ``output_dir`` to resume from; a finished run leaves
its adapter applied (for the A/B comparison) and saved as a standard PEFT folder.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken, ProgressSink
from workbench.core.finetune.adapters import AdapterStack, adapter_name
from workbench.core.finetune.checkpoint import CHECKPOINT_DIR, remove_checkpoint
from workbench.core.finetune.data import load_data
from workbench.core.finetune.methods import context_limit, reserved_positions, validate
from workbench.core.finetune.params import DEFAULT_LEARNING_RATES, FinetuneParams, FinetuneResult, TrainingProgress
from workbench.core.finetune.training import mean_loss, train
from workbench.core.generation import pad_token_id
from workbench.core.model.arch import ArchAdapter
from workbench.store import Curve

CurveSink = Callable[[dict[str, Curve], bool], None]
"""Receives the curves so far after every step, and ``final=True`` once at the end."""


def finetune(
    stack: AdapterStack,
    tokenizer: Any,
    arch: ArchAdapter | None,
    params: FinetuneParams,
    progress: ProgressSink,
    cancel: CancelToken,
    *,
    curves: CurveSink | None = None,
) -> FinetuneResult:
    """Train ``params.method`` on ``stack``'s base model and save the adapter to ``output_dir``."""
    if not params.output_dir.strip():
        raise InvalidParameters("Choose a folder to save the adapter in.")
    folder = Path(params.output_dir).expanduser()
    method = params.method
    validate(method)
    learning_rate = params.train.learning_rate
    if learning_rate is None:  # 0 is a rate the user typed (and refused below), not "default"
        learning_rate = DEFAULT_LEARNING_RATES[method.method]
    if not learning_rate > 0:
        raise InvalidParameters("The learning rate must be positive; leave it unset for the method's default.")
    data = load_data(
        params.data, tokenizer, context_limit=context_limit(stack.base), reserved=reserved_positions(method)
    )
    for note in data.notes:
        progress(0.0, note, None)
    pad_id = pad_token_id(tokenizer)
    device = next(stack.base.parameters()).device
    started = time.monotonic()

    progress(0.0, "Removing the applied adapters" if stack.names else "Measuring the base model", None)
    stack.clear()
    base_eval = (
        mean_loss(
            stack.base, data.eval, batch_size=params.train.batch_size, pad_id=pad_id, device=device, cancel=cancel
        )
        if data.eval
        else None
    )
    name = adapter_name(folder.name)
    model = stack.attach_for_training(name, method, tokenizer, arch, str(folder))
    latest: dict[str, Curve] = {}

    def report(fraction: float, message: str, partial: Any) -> None:
        if isinstance(partial, TrainingProgress):
            latest.update(partial.curves)
            if curves is not None:
                curves(partial.curves, False)
        progress(fraction, message, partial)

    try:
        outcome = train(
            model,
            data,
            params.train,
            learning_rate,
            pad_id=pad_id,
            progress=report,
            cancel=cancel,
            checkpoint_dir=folder / CHECKPOINT_DIR,
            resume=params.resume,
            settings=_settings(params),
            initial_eval=base_eval,
        )
        stack.save(name, folder)
    except BaseException:
        stack.clear()
        raise
    finally:
        if curves is not None and latest:
            curves(latest, True)
    remove_checkpoint(folder / CHECKPOINT_DIR)
    entry = stack.state().adapters[0]
    return FinetuneResult(
        method=method.method,
        adapter_name=name,
        adapter_dir=str(folder),
        steps=outcome.steps,
        total_steps=outcome.total_steps,
        epochs=outcome.epochs,
        stopped_early=outcome.stopped_early,
        best_step=outcome.best_step,
        train_loss=outcome.train_loss,
        eval_loss=outcome.eval_loss,
        base_eval_loss=base_eval,
        trainable_parameters=entry.trainable_parameters,
        total_parameters=sum(p.numel() for p in model.parameters()),
        tokens_per_s=outcome.tokens_per_s,
        duration_s=time.monotonic() - started,
        curves=outcome.curves,
        notes=list(data.notes),
    )


def _settings(params: FinetuneParams) -> dict[str, Any]:
    """What a checkpoint must have been made with to be resumed (JSON-normalised)."""
    fields = {k: v for k, v in dataclasses.asdict(params).items() if k != "resume"}
    return json.loads(json.dumps(fields))
