"""Reading and overwriting states through the architecture adapter.

The residual stream has ``L + 1`` states per position: state ``k < L`` is the input of block
``k`` (the embeddings with positions added, so whatever the family adds there), state ``L``
is the last block's output.  So "restore the hidden state of layer ``l``" (the output of
block ``l``) is "restore state ``l + 1``".  Module outputs are the attention's and the MLP's
residual contributions.  Blocks and attention modules return tuples in some families and
tensors in others, and OPT runs its MLP on positions flattened into the batch; the hooks hide
both differences, so every hook function sees a (batch, positions, hidden) tensor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from workbench.core.model.arch import ArchAdapter

StateFn = Callable[[torch.Tensor], torch.Tensor | None]
"""Sees a (batch, positions, hidden) state; returns a replacement or ``None`` (kept)."""


def output_tensor(output: Any) -> torch.Tensor:
    return output[0] if isinstance(output, tuple) else output


def with_output(output: Any, tensor: torch.Tensor) -> Any:
    return (tensor, *output[1:]) if isinstance(output, tuple) else tensor


class HookSet:
    """Forward hooks registered together and removed together, even when the pass raises."""

    def __init__(self, model: nn.Module, adapter: ArchAdapter, *, positions: int) -> None:
        self.model = model
        self.adapter = adapter
        self.positions = positions
        """Sequence length of the pass, to unflatten (batch · positions, hidden) outputs."""
        self.num_layers = adapter.num_layers(model)
        self._handles: list[Any] = []

    def __enter__(self) -> HookSet:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def on_output(self, module: nn.Module, fn: StateFn) -> None:
        """Call ``fn`` on ``module``'s (first) output tensor."""

        positions = self.positions

        def hook(_module: nn.Module, _args: Any, output: Any) -> Any:
            tensor = output_tensor(output)
            flat = tensor.dim() == 2
            replaced = fn(tensor.view(-1, positions, tensor.shape[-1]) if flat else tensor)
            if replaced is None:
                return None
            return with_output(output, replaced.reshape(-1, replaced.shape[-1]) if flat else replaced)

        self._handles.append(module.register_forward_hook(hook))

    def on_embedding(self, fn: StateFn) -> None:
        """The token embedding's output: where causal tracing injects its noise."""
        self.on_output(self.adapter.embedding_module(self.model), fn)

    def on_module(self, kind: str, layer: int, fn: StateFn) -> None:
        """The output of ``attn`` or ``mlp`` in ``layer``."""
        self.on_output(self.adapter.module(self.model, kind, layer), fn)

    def on_state(self, k: int, fn: StateFn) -> None:
        """Residual-stream state ``k`` (0 … L): block ``k``'s input, or for ``k = L`` the
        last block's output."""
        blocks = self.adapter.block_modules(self.model)
        if k == self.num_layers:
            self.on_output(blocks[k - 1], fn)
            return

        def pre_hook(_module: nn.Module, args: tuple, kwargs: dict) -> Any:
            if args:
                replaced = fn(args[0])
                return None if replaced is None else ((replaced, *args[1:]), kwargs)
            replaced = fn(kwargs["hidden_states"])
            return None if replaced is None else (args, {**kwargs, "hidden_states": replaced})

        self._handles.append(blocks[k].register_forward_pre_hook(pre_hook, with_kwargs=True))

    def contiguous_head(self) -> None:
        """Hand the language-model head a contiguous input.

        With ``logits_to_keep=1`` the head reads ``hidden[:, -1:]``, a strided view of a
        multi-position pass.  Under inference mode ``matmul`` does not fold such a view into
        one matrix product but runs a batched product against the weight expanded per row, a
        matrix-vector product each that re-reads the whole (vocab, hidden) weight per row:
        2–3× the time of one ``mm`` for the same arithmetic, and the largest single cost of a
        restored pass on a small model.  One copy of (rows, hidden) avoids it.
        """

        def pre_hook(_module: nn.Module, args: tuple) -> Any:
            return (args[0].contiguous(), *args[1:]) if args else None

        self._handles.append(self.adapter.lm_head_module(self.model).register_forward_pre_hook(pre_hook))

    def only_last_position(self, kind: str, layer: int) -> None:
        """Run ``kind`` of ``layer`` on the last position only and give zeros elsewhere.

        For the last block of a restored run: only the last position's output reaches the
        next-token logits, so a position-wise module (the MLP) need not run on the others.
        Register it before any hook that reads or writes the same module's output.
        """
        module = self.adapter.module(self.model, kind, layer)
        positions = self.positions

        def pre_hook(_module: nn.Module, args: tuple, kwargs: dict) -> Any:
            x = args[0]
            last = x.view(-1, positions, x.shape[-1])[:, -1] if x.dim() == 2 else x[:, -1:]
            return (last, *args[1:]), kwargs

        def hook(_module: nn.Module, _args: Any, output: Any) -> Any:
            out = output_tensor(output)
            if out.dim() == 2:
                full = out.new_zeros(out.shape[0] * positions, out.shape[-1])
                full.view(-1, positions, out.shape[-1])[:, -1] = out
            else:
                full = out.new_zeros(out.shape[0], positions, out.shape[-1])
                full[:, -1:] = out
            return with_output(output, full)

        self._handles.append(module.register_forward_pre_hook(pre_hook, with_kwargs=True))
        self._handles.append(module.register_forward_hook(hook))
