"""The fast exact method: restored runs that recompute only what a restoration changes.

Restoring a clean state at token ``t`` in layer ``l`` changes nothing at positions before
``t`` (attention is causal) and nothing below the first restored layer.  So a restored run
starts from the corrupted run's cached state at that layer, recomputes only positions
``t …`` with the corrupted run's keys and values standing in for positions ``< t`` (a KV
cache truncated to ``t``), and needs the last block's MLP and the language-model head only
at the last position.  A window's first restored layer changes position ``t`` alone (later
positions read that layer's keys and values, computed from its unchanged input), so it is
computed apart, for that one position, in a small entry pass that serves every token at
once (restored everywhere in that one layer, each position still sees only its own
restoration).  The arithmetic is the straightforward
method's, so the scores agree to float rounding.

Many cells share a pass: every row of a pass restores the same token ``t``, and rows are
sorted by the residual-stream state where they join (``l + 1`` for a hidden cell, the first
layer of the window for MLP/attention).  The pass is the model's own forward on positions
``t …`` with the key/value cache; hooks on the block inputs append each row's corrupted state
when its join state is reached, so block ``k`` computes only the rows that differ from the
corrupted run there.  Each layer's cache holds exactly the rows that reach that layer, and
the masks and position embeddings the model builds for the one-row input broadcast over
any batch.  Blocks below a pass's first join run a single placeholder row (a corrupted
one, dropped at the join) so no block ever sees an empty batch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch
from torch import nn
from transformers import DynamicCache

from workbench.base.jobs import CancelToken
from workbench.core.model.arch import ArchAdapter
from workbench.core.model.hf_config import model_config
from workbench.core.model.kv_cache import with_cache
from workbench.core.tracing.cost import default_batch_tokens, rows_per_pass
from workbench.core.tracing.hooks import HookSet
from workbench.core.tracing.params import window_layers
from workbench.core.tracing.runs import CleanRun, CorruptedRun, ScoresReport, TraceSetup, next_token_probs


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
    """Module kind whose outputs at ``t`` in every layer ``≥ join`` stay at their corrupted values."""


class _EntriesDone(Exception):
    """Ends an entry pass once the last entry state is read."""


EntryKey = tuple[str, int, int]
"""``(kind, layer, sample)``: a window row's first restored layer, shared by every cell
whose window starts there."""


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
        self._entry_start = self.num_tokens
        self._entry_cache: dict[EntryKey, torch.Tensor] = {}

    @classmethod
    def for_setup(
        cls,
        model: nn.Module,
        adapter: ArchAdapter,
        setup: TraceSetup,
        *,
        batch_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> RestoredRunner:
        ids, clean, corrupted = setup.prompt.input_ids, setup.clean, setup.corrupted
        return cls(model, adapter, ids, clean, corrupted, batch_tokens=batch_tokens, cancel=cancel)

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
        prepared = self._prepare(token, rows)
        order = sorted(range(len(rows)), key=lambda i: prepared[i][0].join)
        size = rows_per_pass(self.batch_tokens, self.num_tokens - token)
        for begin in range(0, len(order), size):
            chunk = order[begin : begin + size]
            on_pass(chunk, self.probs(token, [prepared[i] for i in chunk]))

    def _prepare(self, token: int, rows: Sequence[Row]) -> list[tuple[Row, torch.Tensor | None]]:
        """Each row with the state it enters at position ``t`` of its join (``None``: the
        corrupted one).

        A window row's first restored layer changes only position ``t`` (later positions
        read that layer's keys and values, which come from its unchanged input), so that
        layer is computed for position ``t`` alone in a small entry pass, and the row
        joins one state later.
        """
        entries: dict[EntryKey, torch.Tensor] = {}
        if token < self.num_tokens - 1:
            keys = {(row.restore, row.join, row.sample) for row in rows if row.restore and not row.freeze}
            entries = self._entries(token, keys)
        prepared: list[tuple[Row, torch.Tensor | None]] = []
        for row in rows:
            key = (row.restore, row.join, row.sample)
            if key in entries:
                layers = range(row.join + 1, row.restore_layers.stop)
                prepared.append((replace(row, join=row.join + 1, restore_layers=layers), entries[key]))
            else:
                prepared.append((row, self.clean.states[row.join][token] if row.clean_state else None))
        return prepared

    def _entries(self, token: int, keys: set[EntryKey]) -> dict[EntryKey, torch.Tensor]:
        """The entry states at ``t`` for ``keys``, from the entry pass of an earlier token
        when it covered them (one pass serves every token from its own to the last but one)."""
        missing = [key for key in keys if key not in self._entry_cache or self._entry_start > token]
        if missing:
            self._entry_start = token
            self._entry_cache = self._entry_states(token, sorted(set(keys), key=lambda key: key[1]))
        return {key: self._entry_cache[key][token - self._entry_start] for key in keys}

    @torch.inference_mode()
    def _entry_states(self, start: int, keys: list[EntryKey]) -> dict[EntryKey, torch.Tensor]:
        """States ``lo + 1`` at positions ``start … T - 2``, (positions, hidden) per key, each
        position's as if ``kind`` were restored in layer ``lo`` at that position alone, for
        each ``(kind, lo, sample)``: one pass whose batch at block ``lo`` holds just the keys
        with that ``lo``.

        Restoring at every position at once gives each position's own answer: block ``lo``'s
        input is the corrupted one everywhere, so its keys and values are too, and a
        restored output at one position reaches the next state at that position only.
        """
        if not keys:
            return {}
        num_layers, device = self.num_layers, self.input_ids.device
        stop = self.num_tokens - 1
        groups = [[i for i, key in enumerate(keys) if key[1] == layer] for layer in range(num_layers)]
        samples = torch.tensor([key[2] for key in keys], device=device)
        cache = DynamicCache(config=model_config(self.model))
        if start > 0:
            for layer in range(num_layers):
                chosen = samples[groups[layer]] if groups[layer] else samples[:1].new_zeros(1)
                cache.update(
                    self.corrupted.keys[layer][chosen, :, :start],
                    self.corrupted.values[layer][chosen, :, :start],
                    layer,
                )
        entries: dict[EntryKey, torch.Tensor] = {}
        last = len(keys) and max(key[1] for key in keys) + 1

        def at_state(k: int):
            def swap(state: torch.Tensor) -> torch.Tensor | None:
                for j, i in enumerate(groups[k - 1] if k > 0 else []):
                    entries[keys[i]] = state[j].clone()
                if k == last:
                    raise _EntriesDone
                chosen = samples[groups[k]] if groups[k] else samples[:1].new_zeros(1)
                return self.corrupted.states[k][chosen, start:stop]

            return swap

        with HookSet(self.model, self.adapter, positions=stop - start) as hooks:
            for k in range(last + 1):
                hooks.on_state(k, at_state(k))
            for layer, group in enumerate(groups):
                for kind in ("attn", "mlp"):
                    index = [j for j, i in enumerate(group) if keys[i][0] == kind]
                    if index:
                        restore = self._restorer(torch.tensor(index, device=device), kind, layer, start, stop)
                        hooks.on_module(kind, layer, restore)
            # _EntriesDone: every entry is read, the blocks above and the head have nothing to add
            with contextlib.suppress(_EntriesDone):
                self.model(
                    self.input_ids[:, start:stop], use_cache=True, logits_to_keep=1, **with_cache(self.model, cache)
                )
        self.passes += 1
        return entries

    def _restorer(self, index: torch.Tensor, kind: str, layer: int, token: int, stop: int | None = None):
        """Module output hook: the clean output at position ``t`` (at positions ``t … stop - 1``,
        the pass's first ones) for the rows ``index``."""
        value = self.clean.modules[kind][layer][token : stop or token + 1]

        def restore(h: torch.Tensor) -> torch.Tensor:
            h[index, : value.shape[0]] = value
            return h

        return restore

    @torch.inference_mode()
    def probs(self, token: int, prepared: Sequence[tuple[Row, torch.Tensor | None]]) -> torch.Tensor:
        """(rows, vocab) next-token probabilities of one pass over rows sorted by ``join``,
        each with the state it enters at position ``t`` (``None``: the corrupted one)."""
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        num_layers, device = self.num_layers, self.input_ids.device
        rows = [row for row, _ in prepared]
        entries = [entry for _, entry in prepared]
        joins = [row.join for row in rows]
        first = joins[0]
        samples = torch.tensor([row.sample for row in rows], device=device)
        # Rows active at state k are a prefix of the batch: those that joined at or before k.
        # Below the first join the batch is one placeholder row (corrupted sample 0).
        active = [int(np.searchsorted(joins, k, side="right")) for k in range(num_layers + 1)]
        placeholder = samples[:1].new_zeros(1)
        cache = DynamicCache(config=model_config(self.model))
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
                joiner = self._joiner(token, entries, samples, k, begin, active[k], replace_batch=k <= first)
                hooks.on_state(k, joiner)
            if token < self.num_tokens - 1:
                hooks.only_last_position("mlp", num_layers - 1)
                hooks.contiguous_head()
            self._restore_hooks(hooks, token, rows)
            self._freeze_hooks(hooks, token, rows, samples)
            logits = self.model(
                self.input_ids[:, token:], use_cache=True, logits_to_keep=1, **with_cache(self.model, cache)
            ).logits
        self.passes += 1
        return next_token_probs(logits)

    def _joiner(
        self,
        token: int,
        entries: Sequence[torch.Tensor | None],
        samples: torch.Tensor,
        k: int,
        begin: int,
        end: int,
        replace_batch: bool,
    ):
        """Block input hook for state ``k``: append the rows that join there.  With
        ``replace_batch`` (state 0 and the first join) the incoming batch is replaced: the model's
        own embedding output at state 0, the placeholder row at the first join."""
        corrupted, cancel = self.corrupted.states[k], self.cancel
        # rows entering with their own state at ``t``, set in one indexed copy (a copy per row
        # cost more than the block itself on a small model)
        entering = [(i, state) for i in range(begin, end) if (state := entries[i]) is not None]
        where = torch.tensor([i - begin for i, _ in entering], dtype=torch.long, device=samples.device)
        states = torch.stack([state for _, state in entering]) if entering else None

        def join(state: torch.Tensor) -> torch.Tensor | None:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if begin == end:
                return corrupted[:1, token:] if k == 0 else None
            joining = corrupted[samples[begin:end], token:]
            if states is not None:
                joining[where, 0] = states
            return joining if replace_batch else torch.cat([state, joining])

        return join

    def _restore_hooks(self, hooks: HookSet, token: int, batch: Sequence[Row]) -> None:
        for kind in ("attn", "mlp"):
            for layer in range(self.num_layers):
                rows = [i for i, row in enumerate(batch) if row.restore == kind and layer in row.restore_layers]
                if not rows:
                    continue
                index = torch.tensor(rows, device=self.input_ids.device)
                hooks.on_module(kind, layer, self._restorer(index, kind, layer, token))

    def _freeze_hooks(self, hooks: HookSet, token: int, batch: Sequence[Row], samples: torch.Tensor) -> None:
        """Severing (ROME §2, Fig. 3): the module's output at the restored token ``t`` (position
        0 of the pass) keeps its corrupted value; later positions compute theirs as usual."""
        for kind in ("attn", "mlp"):
            for layer in range(self.num_layers):
                rows = [i for i, row in enumerate(batch) if row.freeze == kind and row.join <= layer]
                if not rows:
                    continue
                index = torch.tensor(rows, device=self.input_ids.device)
                value = self.corrupted.modules[kind][layer][samples[index], token]

                def freeze(h: torch.Tensor, index: torch.Tensor = index, value: torch.Tensor = value):
                    h[index, 0] = value
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
    Neither do hidden cells of the last layer: its output at token ``t`` reaches only the
    head, which reads the last position, so the score is the clean run's at the last token
    and the corrupted run's before it.
    """
    num_tokens, num_layers = runner.num_tokens, runner.num_layers
    samples = runner.corrupted.probs.shape[0]
    low = runner.corrupted.probs[:, target_id].cpu().numpy()
    scores = {kind: np.full((num_tokens, num_layers, samples), np.nan) for kind in kinds}
    for kind in kinds:
        scores[kind][:subject_start] = low
    cells = [(kind, layer) for kind in kinds for layer in range(num_layers)]
    rows = [row for kind, layer in cells for row in cell_rows(kind, layer, window, num_layers, samples)]
    if "hidden" in kinds:
        last = num_tokens - 1
        scores["hidden"][subject_start:last, num_layers - 1] = low
        scores["hidden"][last, num_layers - 1] = float(runner.clean.probs[target_id])
    needed = [i for i, row in enumerate(rows) if not (row.clean_state and row.join == num_layers)]
    tokens = range(subject_start, num_tokens)
    total = sum(runner.work(token, rows[i]) for token in tokens for i in needed)
    done = 0
    for token in tokens:

        def on_pass(indices: list[int], probs: torch.Tensor, token: int = token) -> None:
            nonlocal done
            values = probs[:, target_id].cpu().numpy()
            for i, value in zip((needed[j] for j in indices), values):
                kind, layer = cells[i // samples]
                scores[kind][token, layer, rows[i].sample] = value
                done += runner.work(token, rows[i])
            if report is not None:
                report(done / total, scores, runner.passes)

        runner.run(token, [rows[i] for i in needed], on_pass)
    return scores
