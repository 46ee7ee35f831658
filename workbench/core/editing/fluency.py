"""Fluency of free generations: ROME's weighted bi-/tri-gram entropy (Meng et al., 2022, §4.2).

An edit that breaks the model shows as repetitive text ("Paris Paris Paris …"), whose n-gram
distribution has low entropy.  ROME reports ``mean(2/3·H₂, 4/3·H₃)`` in bits over the words of
each generation; Chinese text has no spaces, so each Han character counts as a word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|\w+|[^\w\s]")
NGRAM_WEIGHTS: dict[int, float] = {2: 2 / 3, 3: 4 / 3}


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def ngram_entropy(text: str) -> float:
    """ROME's weighted n-gram entropy of one text (bits); 0 for a text too short to have n-grams."""
    tokens = words(text)
    weighted = []
    for n, weight in NGRAM_WEIGHTS.items():
        counts = Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        total = sum(counts.values())
        entropy = (
            -sum(c / total * math.log2(c / total) for c in counts.values())
            if total
            else 0.0
        )
        weighted.append(weight * entropy)
    return sum(weighted) / len(weighted)


def fluency(texts: Sequence[str]) -> float:
    """Mean n-gram entropy over generations (``nan`` without any)."""
    return sum(ngram_entropy(t) for t in texts) / len(texts) if texts else math.nan


@torch.inference_mode()
def greedy_generations(
    model: nn.Module, tokenizer: Any, prompts: Sequence[str], tokens: int
) -> list[str]:
    """Greedy continuations (the continuation only), deterministic so before and after compare."""
    device = next(model.parameters()).device
    pad = (
        tokenizer.pad_token_id
        if tokenizer.pad_token_id is not None
        else tokenizer.eos_token_id
    )
    texts = []
    for prompt in prompts:
        ids = torch.tensor([tokenizer(prompt)["input_ids"]], device=device)
        out = model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=tokens,
            do_sample=False,
            pad_token_id=pad,
        )
        texts.append(tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True))
    return texts
