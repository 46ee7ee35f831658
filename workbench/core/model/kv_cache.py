"""Passing a key/value cache into a forward pass and reading it back, on every transformers 5.x.

Transformers 5.25 renamed the forward argument and the output field ``past_key_values`` to
``cache`` (the old name still works with a ``FutureWarning`` until its removal, announced for
5.40).  A decoder that passes the old name keeps working today but prints a warning per run,
and, worse, anything that passes *both* names has the old one ignored: PEFT 0.21's
``generate`` injects a soft prompt through ``past_key_values`` while ``generate`` already
passes an empty ``cache``, so the prompt is silently dropped.  Every forward with a cache in
the core goes through these two functions, which use whichever name the model declares.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from torch import nn

NEW_NAME = "cache"
OLD_NAME = "past_key_values"


@functools.lru_cache(maxsize=64)
def _argument_name(forward: Callable[..., Any]) -> str:
    """The cache argument of a model class's ``forward``: looked up once per class, not per token."""
    parameters = inspect.signature(forward).parameters
    return NEW_NAME if NEW_NAME in parameters else OLD_NAME


def cache_argument(model: nn.Module) -> str:
    """``"cache"`` on transformers ≥ 5.25, ``"past_key_values"`` before."""
    return _argument_name(type(model).forward)


def with_cache(model: nn.Module, cache: Any) -> dict[str, Any]:
    """Keyword arguments that hand ``cache`` to ``model``'s forward under its current name."""
    return {cache_argument(model): cache}


def returned_cache(output: Any) -> Any:
    """The cache a forward returned, read by the field name the output class declares."""
    fields = getattr(output, "__dataclass_fields__", {})
    return getattr(output, NEW_NAME if NEW_NAME in fields else OLD_NAME)
