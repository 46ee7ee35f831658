"""Asking a forward pass for the logits of its last positions only.

A causal LM's head multiplies every position's hidden state by the vocabulary matrix; for a
step of decoding, a known-facts check or a pass that only feeds hooks, all but the last
position (or none) are thrown away.  With a 49 k vocabulary (SmolLM2) that product costs as
much as several layers, with Gemma 3's 262 k far more.  Transformers' causal LMs take
``logits_to_keep`` for this; a model class without it gets nothing passed, so the full
logits come back and callers slice them as before.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

ARGUMENT = "logits_to_keep"


def _accepts(model_class: type[nn.Module]) -> bool:
    return _takes_argument(model_class.forward)


@functools.lru_cache(maxsize=64)
def _takes_argument(forward: Callable[..., Any]) -> bool:
    """Cached per forward function, not per model class: mypy takes a class for unhashable
    (it reads ``nn.Module.__hash__`` off the class, an instance method)."""
    return ARGUMENT in inspect.signature(forward).parameters


def keep_last(model: nn.Module, count: int = 1) -> dict[str, Any]:
    """Keyword arguments that make ``model`` compute only the last ``count`` positions' logits
    (nothing where its forward has no such argument)."""
    return {ARGUMENT: count} if _accepts(type(model)) else {}


def keep_positions(model: nn.Module, positions: list[int]) -> tuple[dict[str, Any], list[int]]:
    """Keyword arguments that make ``model`` compute the logits of ``positions`` only (the
    same positions in every row of the batch), and where each of ``positions`` then lies in
    the returned logits' sequence axis.

    A pass that is differentiated (ROME's value optimisation) reads a few positions per row:
    the vocabulary product on the others costs a fifth of SmolLM2's forward and as much again
    in the backward.  A model without ``logits_to_keep`` returns every position, so the
    positions stay where they are.
    """
    if not _accepts(type(model)):
        return {}, list(positions)
    kept = sorted(set(positions))
    index = {position: i for i, position in enumerate(kept)}
    device = next(model.parameters()).device
    return {ARGUMENT: torch.tensor(kept, device=device)}, [index[position] for position in positions]
