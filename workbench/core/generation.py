"""Greedy continuations for the labs' before/after views (editing, fine-tuning A/B).

Greedy decoding makes "before" and "after" differ only by what changed in the model, and
one prompt at a time leaves no padding to get wrong.  The sampling lab has its own decoder,
which records every step; these views need only the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from workbench.base.jobs import CancelToken


def pad_token_id(tokenizer: Any) -> int:
    """The id that fills out short examples (masked out of attention and loss anyway)."""
    for candidate in (tokenizer.pad_token_id, tokenizer.eos_token_id):
        if candidate is not None:
            return int(candidate)
    return 0


def greedy_continuations(
    model: nn.Module,
    tokenizer: Any,
    prompts: Sequence[str],
    max_new_tokens: int,
    cancel: CancelToken | None = None,
) -> list[str]:
    """The greedy continuation of each prompt (the continuation only)."""
    device = next(model.parameters()).device
    texts = []
    with torch.no_grad():
        for prompt in prompts:
            if cancel is not None:
                cancel.raise_if_cancelled()
            ids = torch.tensor([tokenizer(prompt)["input_ids"]], device=device)
            # nn.Module.__getattr__ hides generate (transformers' GenerationMixin or PEFT's wrapper)
            output = model.generate(  # type: ignore[operator]  # nn.Module.__getattr__ types the PEFT/transformers method as Tensor | Module
                input_ids=ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=pad_token_id(tokenizer),
            )
            texts.append(tokenizer.decode(output[0, ids.shape[1] :], skip_special_tokens=True))
    return texts
