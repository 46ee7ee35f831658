"""The training loop: AdamW, warm-up and linear decay, live curves, checkpoints, early stop.

Only the trainable parameters (the adapter's, or BitFit's biases) are optimised; the loss is
the causal-LM cross-entropy on the loss-masked tokens (book §4.5.1).  Every step reports a
cumulative ``TrainingProgress`` and checks Cancel; a cancelled run leaves a checkpoint to
resume from.  With eval data, training stops after ``patience`` evaluations without a lower
eval loss and the weights of the best evaluation are kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.base.errors import InvalidParameters, JobCancelled
from workbench.base.jobs import CancelToken, ProgressSink
from workbench.core.finetune.checkpoint import load_checkpoint, save_checkpoint
from workbench.core.finetune.data import Example, TokenizedData, pad_batch
from workbench.core.finetune.params import SERIES, TrainConfig, TrainingProgress
from workbench.store import Curve


class CurveLog:
    """Growing curves whose handed-out arrays never change.

    Each series is a buffer that doubles when full; ``curves()`` returns views of the filled
    part, which later appends never touch, so a partial can be rendered in another thread
    while training goes on, at no copying cost per step.
    """

    def __init__(self) -> None:
        self._steps = {s: np.zeros(64, dtype=np.int64) for s in SERIES}
        self._values = {s: np.zeros(64, dtype=np.float64) for s in SERIES}
        self._length = dict.fromkeys(SERIES, 0)

    def add(self, series: str, step: int, value: float) -> None:
        n = self._length[series]
        if n == len(self._steps[series]):
            self._steps[series] = np.concatenate([self._steps[series], np.zeros_like(self._steps[series])])
            self._values[series] = np.concatenate([self._values[series], np.zeros_like(self._values[series])])
        self._steps[series][n] = step
        self._values[series][n] = value
        self._length[series] = n + 1

    def curves(self) -> dict[str, Curve]:
        return {s: Curve(self._steps[s][: self._length[s]], self._values[s][: self._length[s]]) for s in SERIES}

    @classmethod
    def from_curves(cls, curves: dict[str, Curve]) -> CurveLog:
        """A log that continues ``curves`` (a checkpoint's), with room to grow."""
        log = cls()
        for series, curve in curves.items():
            if series not in log._length:
                continue
            n, size = len(curve.steps), 64
            while size <= n:
                size *= 2
            log._steps[series] = np.zeros(size, dtype=np.int64)
            log._values[series] = np.zeros(size, dtype=np.float64)
            log._steps[series][:n] = curve.steps
            log._values[series][:n] = curve.values
            log._length[series] = n
        return log


@dataclass(frozen=True)
class TrainingOutcome:
    steps: int
    total_steps: int
    epochs: float
    stopped_early: bool
    best_step: int
    train_loss: float
    eval_loss: float | None
    tokens_per_s: float
    curves: dict[str, Curve]


def batch_tensors(examples: list[Example], pad_id: int, device: torch.device) -> dict[str, torch.Tensor]:
    ids, attention, labels = pad_batch(examples, pad_id)
    return {
        "input_ids": torch.from_numpy(ids).to(device),
        "attention_mask": torch.from_numpy(attention).to(device),
        "labels": torch.from_numpy(labels).to(device),
    }


def mean_loss(
    model: nn.Module,
    examples: list[Example],
    *,
    batch_size: int,
    pad_id: int,
    device: torch.device,
    cancel: CancelToken | None = None,
) -> float:
    """Cross-entropy per target token over ``examples`` (its exp is the perplexity).

    Token-weighted across batches, so the result does not depend on the batch size.
    """
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    try:
        with torch.no_grad():
            for start in range(0, len(examples), batch_size):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                chunk = examples[start : start + batch_size]
                targets = sum(int(e.loss_mask[1:].sum()) for e in chunk)
                loss = model(**batch_tensors(chunk, pad_id, device)).loss
                total += float(loss) * targets
                count += targets
    finally:
        model.train(was_training)
    return total / count if count else float("nan")


def linear_schedule(total_steps: int, warmup_steps: int) -> Callable[[int], float]:
    """Linear warm-up to the full rate, then linear decay towards zero (never exactly zero)."""

    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup_steps))

    return factor


def plan_steps(num_examples: int, config: TrainConfig) -> tuple[int, int]:
    """(steps per epoch, total steps) for ``config``."""
    if config.batch_size < 1:
        raise InvalidParameters("The batch size must be at least 1.")
    if config.epochs <= 0 and config.max_steps <= 0:
        raise InvalidParameters("Train for a positive number of epochs or steps.")
    per_epoch = math.ceil(num_examples / config.batch_size)
    total = math.ceil(config.epochs * per_epoch) if config.epochs > 0 else config.max_steps
    if config.max_steps > 0:
        total = min(total, config.max_steps)
    return per_epoch, max(total, 1)


def batch_for_step(examples: list[Example], step: int, per_epoch: int, config: TrainConfig) -> list[Example]:
    """The examples of ``step``: a fresh seeded shuffle every epoch, so a resumed run sees
    exactly the batches the uninterrupted one would have."""
    epoch, index = divmod(step, per_epoch)
    order = np.random.default_rng([config.seed, epoch]).permutation(len(examples))
    return [examples[i] for i in order[index * config.batch_size : (index + 1) * config.batch_size]]


def train(
    model: nn.Module,
    data: TokenizedData,
    config: TrainConfig,
    learning_rate: float,
    *,
    pad_id: int,
    progress: ProgressSink,
    cancel: CancelToken,
    checkpoint_dir: Path | None = None,
    resume: bool = False,
    settings: dict[str, Any] | None = None,
    initial_eval: float | None = None,
) -> TrainingOutcome:
    """Train ``model``'s trainable parameters on ``data.train``.

    ``settings`` are stamped into checkpoints so that a resume with other settings is
    refused rather than silently mixed.  ``initial_eval`` (the base model's eval loss)
    starts the eval curve at step 0.
    """
    if not data.train:
        raise InvalidParameters("There are no training examples.")
    device = next(model.parameters()).device
    named = {n: p for n, p in model.named_parameters() if p.requires_grad}
    if not named:
        raise InvalidParameters("The method left nothing to train.")
    per_epoch, total = plan_steps(len(data.train), config)
    eval_every = config.eval_every or max(1, total // 10)
    optimizer = torch.optim.AdamW(named.values(), lr=learning_rate, weight_decay=config.weight_decay)
    warmup = math.ceil(config.warmup_fraction * total)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, linear_schedule(total, warmup))
    settings = settings or {}

    log, step, best, best_loss, best_step, bad_evals = CurveLog(), 0, None, math.inf, 0, 0
    if resume:
        if checkpoint_dir is None:
            raise InvalidParameters("Resuming needs an output folder with a checkpoint.")
        state, best, curves = load_checkpoint(checkpoint_dir, named, optimizer, scheduler, settings)
        log = CurveLog.from_curves(curves)
        step, best_step, bad_evals = state["step"], state["best_step"], state["bad_evals"]
        best_loss = state["best_loss"] if state["best_loss"] is not None else math.inf

    def evaluate() -> float:
        return mean_loss(model, data.eval, batch_size=config.batch_size, pad_id=pad_id, device=device, cancel=cancel)

    def checkpoint() -> None:
        if checkpoint_dir is not None:
            state = {
                "step": step,
                "best_step": best_step,
                "bad_evals": bad_evals,
                "best_loss": best_loss if math.isfinite(best_loss) else None,
                "settings": settings,
            }
            save_checkpoint(checkpoint_dir, named, best, optimizer, scheduler, state, log.curves())

    if initial_eval is not None and step == 0:
        log.add("eval_loss", 0, initial_eval)
    model.train()
    started, tokens, train_seconds, steps_done, stopped_early = time.monotonic(), 0, 0.0, 0, False
    try:
        while step < total:
            cancel.raise_if_cancelled()
            batch_examples = batch_for_step(data.train, step, per_epoch, config)
            batch = batch_tensors(batch_examples, pad_id, device)
            tick = time.perf_counter()
            learning_rate_now = float(scheduler.get_last_lr()[0])
            loss = model(**batch).loss
            loss.backward()
            if config.max_grad_norm > 0:
                torch.nn.utils.clip_grad_norm_(named.values(), config.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            loss_value = loss.detach().item()
            train_seconds += time.perf_counter() - tick
            step += 1
            steps_done += 1
            tokens += sum(len(e.input_ids) for e in batch_examples)
            tokens_per_s = tokens / train_seconds if train_seconds > 0 else 0.0
            log.add("train_loss", step, loss_value)
            log.add("learning_rate", step, learning_rate_now)
            log.add("tokens_per_s", step, tokens_per_s)
            message = f"step {step}/{total}: loss {loss_value:.4f}"

            if data.eval and (step % eval_every == 0 or step == total):
                eval_loss = evaluate()
                log.add("eval_loss", step, eval_loss)
                message += f", eval loss {eval_loss:.4f}"
                if eval_loss < best_loss:
                    best_loss, best_step, bad_evals = eval_loss, step, 0
                    best = {n: p.detach().clone() for n, p in named.items()}
                else:
                    bad_evals += 1
                    stopped_early = 0 < config.patience <= bad_evals and step < total
            if config.checkpoint_every and step % config.checkpoint_every == 0 and step < total:
                checkpoint()
            elapsed = time.monotonic() - started
            eta = elapsed / steps_done * (total - step)
            progress(
                step / total,
                message,
                TrainingProgress(step, total, step / per_epoch, eta, tokens_per_s, log.curves()),
            )
            if stopped_early:
                break
    except JobCancelled:
        checkpoint()  # every finished step is kept: resume continues after it
        raise
    finally:
        model.eval()

    if best is not None and best_step != step:
        with torch.no_grad():
            for name, parameter in named.items():
                parameter.copy_(best[name])
    train_losses = log.curves()["train_loss"].values
    return TrainingOutcome(
        steps=step,
        total_steps=total,
        epochs=step / per_epoch,
        stopped_early=stopped_early,
        best_step=best_step if data.eval else step,
        train_loss=float(train_losses[-per_epoch:].mean()),
        eval_loss=best_loss if data.eval else None,
        tokens_per_s=tokens / train_seconds if train_seconds > 0 else 0.0,
        curves=log.curves(),
    )
