"""The fast exact method: restored runs that recompute only what a restoration changes.

Restoring a clean state at token ``t`` in layer ``l`` changes nothing at positions before
``t`` (attention is causal) and nothing below the first restored layer.  So a restored run
starts from the corrupted run's cached state at that layer, recomputes only positions
``t …`` with the corrupted run's keys and values standing in for positions ``< t`` (a KV
cache truncated to ``t``), and needs the last block's MLP and the language-model head only
at the last position.
The arithmetic is the straightforward method's, so the scores agree to float rounding.

Many cells share a pass: every row of a pass restores the same token ``t``, and rows are
sorted by the residual-stream state where they join (``l + 1`` for a hidden cell, the first
layer of the window for MLP/attention).  The pass is the model's own forward on positions
``t …`` with ``past_key_values``; hooks on the block inputs append each row's corrupted state
when its join state is reached, so block ``k`` computes only the rows that differ from the
corrupted run there.  Each layer's cache holds exactly the rows that reach that layer, and
the masks and position embeddings the model builds for the one-row input broadcast over
any batch.  Blocks below a pass's first join run a single placeholder row (a corrupted
one, dropped at the join) so no block ever sees an empty batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from transformers import DynamicCache

from workbench.core.jobs import CancelToken
from workbench.core.model.arch import ArchAdapter
from workbench.core.tracing.cost import default_batch_tokens, rows_per_pass
from workbench.core.tracing.hooks import HookSet
from workbench.core.tracing.params import window_layers
from workbench.core.tracing.runs import CleanRun, CorruptedRun, ScoresReport, next_token_probs


@dataclass(frozen=True)
class Row:
    """One row of a restored pass at a token ``t``: which noise sample, what is restored."""

    sample: int
    join: int
    """First residual-stream state (0 … L) that differs from the corrupted run."""
    clean_state: bool = False
    """State ``join`` at ``t`` is the clean one (a hidden-state cell)."""
    restore: str | None = None
    """Module kind whose clean output at ``t`` is restored in ``restore_layers``."""
    restore_layers: range = range(0)
    freeze: str | None = None
    """Module kind whose outputs at every layer ``≥ join`` stay at their corrupted values."""


def cell_rows(kind: str, layer: int, window: int, num_layers: int, samples: int) -> list[Row]:
    """The rows of one heatmap cell, one per noise sample."""
    if kind == "hidden":
        return [Row(sample=s, join=layer + 1, clean_state=True) for s in range(samples)]
    layers = window_layers(layer, window, num_layers)
    return [Row(sample=s, join=layers.start, restore=kind, restore_layers=layers) for s in range(samples)]


class RestoredRunner:
    """Runs restored passes at one token against one clean and one corrupted run."""

    def __init__(
        self,
        model: nn.Module,
        adapter: ArchAdapter,
        input_ids: torch.Tensor,
        clean: CleanRun,
        corrupted: CorruptedRun,
        *,
        batch_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        self.model = model
        self.adapter = adapter
        self.input_ids = input_ids
        self.clean = clean
        self.corrupted = corrupted
        self.num_layers = adapter.num_layers(model)
        self.num_tokens = int(input_ids.shape[1])
        self.batch_tokens = batch_tokens or default_batch_tokens(input_ids.device.type)
        self.cancel = cancel
        self.passes = 0

    def work(self, token: int, row: Row) -> int:
        """Block-positions a row costs (for progress), plus one for its head position."""
        return (self.num_tokens - token) * (self.num_layers - row.join) + 1

    def run(
        self,
        token: int,
        rows: Sequence[Row],
        on_pass: Callable[[list[int], torch.Tensor], None],
    ) -> None:
        """Score ``rows`` in passes of at most ``batch_tokens`` positions; after each pass
        ``on_pass(row indices, (rows, vocab) probabilities)``."""
        order = sorted(range(len(rows)), key=lambda i: rows[i].join)
        size = rows_per_pass(self.batch_tokens, self.num_tokens - token)
        for begin in range(0, len(order), size):
            chunk = order[begin : begin + size]
            on_pass(chunk, self.probs(token, [rows[i] for i in chunk]))

    @torch.inference_mode()
    def probs(self, token: int, rows: Sequence[Row]) -> torch.Tensor:
        """(rows, vocab) next-token probabilities of one pass; ``rows`` sorted by ``join``."""
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        num_layers, device = self.num_layers, self.input_ids.device
        joins = [row.join for row in rows]
        first = joins[0]
        samples = torch.tensor([row.sample for row in rows], device=device)
        # Rows active at state k are a prefix of the batch: those that joined at or before k.
        # Below the first join the batch is one placeholder row (corrupted sample 0).
        active = [int(np.searchsorted(joins, k, side="right")) for k in range(num_layers + 1)]
        placeholder = samples[:1].new_zeros(1)
        cache = DynamicCache(config=self.model.config)
        if token > 0:
            for layer in range(num_layers):
                chosen = samples[: active[layer]] if layer >= first else placeholder
                cache.update(
                    self.corrupted.keys[layer][chosen, :, :token],
                    self.corrupted.values[layer][chosen, :, :token],
                    layer,
                )
        with HookSet(self.model, self.adapter, positions=self.num_tokens - token) as hooks:
            for k in range(num_layers + 1):
                begin = 0 if k <= first else active[k - 1]
                hooks.on_state(k, self._joiner(token, rows, samples, k, begin, active[k], replace=k <= first))
            if token < self.num_tokens - 1:
                hooks.only_last_position("mlp", num_layers - 1)
            self._restore_hooks(hooks, token, rows)
            self._freeze_hooks(hooks, token, rows, samples)
            logits = self.model(
                self.input_ids[:, token:], past_key_values=cache, use_cache=True, logits_to_keep=1
            ).logits
        self.passes += 1
        return next_token_probs(logits)

    def _joiner(
        self, token: int, rows: Sequence[Row], samples: torch.Tensor, k: int, begin: int, end: int, replace: bool
    ):
        """Block input hook for state ``k``: append the rows that join there.  With
        ``replace`` (state 0 and the first join) the incoming batch is replaced: the model's
        own embedding output at state 0, the placeholder row at the first join."""
        corrupted, clean, cancel = self.corrupted.states[k], self.clean.states[k], self.cancel

        def join(state: torch.Tensor) -> torch.Tensor | None:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if begin == end:
                return corrupted[:1, token:] if k == 0 else None
            joining = corrupted[samples[begin:end], token:]
            for i in range(begin, end):
                if rows[i].clean_state:
                    joining[i - begin, 0] = clean[token]
            return joining if replace else torch.cat([state, joining])

        return join

    def _restore_hooks(self, hooks: HookSet, token: int, batch: Sequence[Row]) -> None:
        for kind in ("attn", "mlp"):
            for layer in range(self.num_layers):
                rows = [i for i, row in enumerate(batch) if row.restore == kind and layer in row.restore_layers]
                if not rows:
                    continue
                index = torch.tensor(rows, device=self.input_ids.device)
                value = self.clean.modules[kind][layer][token]

                def restore(h: torch.Tensor, index: torch.Tensor = index, value: torch.Tensor = value):
                    h[index, 0] = value
                    return h

                hooks.on_module(kind, layer, restore)

    def _freeze_hooks(self, hooks: HookSet, token: int, batch: Sequence[Row], samples: torch.Tensor) -> None:
        for kind in ("attn", "mlp"):
            for layer in range(self.num_layers):
                rows = [i for i, row in enumerate(batch) if row.freeze == kind and row.join <= layer]
                if not rows:
                    continue
                index = torch.tensor(rows, device=self.input_ids.device)
                value = self.corrupted.modules[kind][layer][samples[index], token:]

                def freeze(h: torch.Tensor, index: torch.Tensor = index, value: torch.Tensor = value):
                    h[index] = value
                    return h

                hooks.on_module(kind, layer, freeze)


def fast_scores(
    runner: RestoredRunner,
    subject_start: int,
    target_id: int,
    kinds: Sequence[str],
    window: int,
    report: ScoresReport | None = None,
) -> dict[str, np.ndarray]:
    """Per-sample p(target) for every cell, ``kind → (tokens, layers, samples)``.

    Tokens before the subject need no pass: the noise cannot reach them, so their clean
    and corrupted states are equal and restoring one leaves each corrupted run as it was.
    """
    num_tokens, num_layers = runner.num_tokens, runner.num_layers
    samples = runner.corrupted.probs.shape[0]
    low = runner.corrupted.probs[:, target_id].cpu().numpy()
    scores = {kind: np.full((num_tokens, num_layers, samples), np.nan) for kind in kinds}
    for kind in kinds:
        scores[kind][:subject_start] = low
    plan = []
    for token in range(subject_start, num_tokens):
        cells = [(kind, layer) for kind in kinds for layer in range(num_layers)]
        rows = [row for kind, layer in cells for row in cell_rows(kind, layer, window, num_layers, samples)]
        plan.append((token, cells, rows))
    total = sum(runner.work(token, row) for token, _, rows in plan for row in rows)
    done = 0
    for token, cells, rows in plan:

        def on_pass(indices: list[int], probs: torch.Tensor, token: int = token, cells=cells, rows=rows) -> None:
            nonlocal done
            values = probs[:, target_id].cpu().numpy()
            for i, value in zip(indices, values):
                kind, layer = cells[i // samples]
                scores[kind][token, layer, rows[i].sample] = value
                done += runner.work(token, rows[i])
            if report is not None:
                report(done / total, scores, runner.passes)

        runner.run(token, rows, on_pass)
    return scores
