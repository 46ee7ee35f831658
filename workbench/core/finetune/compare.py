"""A/B: the base model against the same model with its adapters, on the same inputs.

Greedy continuations show the new behaviour in words; the probability of each actual next
token of an evaluation text shows where the adapter changed the model's expectations; and
the perplexity ``exp(-mean log p)`` of that text sums the change up (book §4.5.1).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.core.errors import InvalidParameters
from workbench.core.finetune.adapters import AdapterStack
from workbench.core.finetune.params import CompareResult, TokenProbabilities
from workbench.core.jobs import CancelToken, ProgressSink

def greedy_continuations(
    model: nn.Module, tokenizer: Any, prompts: list[str], max_new_tokens: int, cancel: CancelToken | None = None
) -> list[str]:
    """The greedy continuation of each prompt (one at a time: no padding to get wrong)."""
    device = next(model.parameters()).device
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    texts = []
    with torch.no_grad():
        for prompt in prompts:
            if cancel is not None:
                cancel.raise_if_cancelled()
            ids = torch.tensor([tokenizer(prompt)["input_ids"]], device=device)
            output = model.generate(
                input_ids=ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=pad_id,
            )
            texts.append(tokenizer.decode(output[0, ids.shape[1] :], skip_special_tokens=True))
    return texts


def next_token_log_probs(model: nn.Module, tokenizer: Any, text: str) -> tuple[list[str], np.ndarray]:
    """Tokens 1..n of ``text`` and the log-probability the model gave each (float64)."""
    device = next(model.parameters()).device
    ids = torch.tensor([tokenizer(text)["input_ids"]], device=device)
    if ids.shape[1] < 2:
        raise InvalidParameters("The evaluation text needs at least two tokens.")
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0, -ids.shape[1] :]
    log_probs = torch.log_softmax(logits[:-1].double(), dim=-1)
    chosen = log_probs.gather(1, ids[0, 1:, None]).squeeze(1)
    return [tokenizer.decode([int(i)]) for i in ids[0, 1:]], chosen.cpu().numpy()


def compare_adapters(
    stack: AdapterStack,
    tokenizer: Any,
    prompts: list[str],
    eval_text: str,
    max_new_tokens: int,
    progress: ProgressSink,
    cancel: CancelToken,
) -> CompareResult:
    """Base vs adapted model: greedy continuations, per-token probabilities, perplexity."""
    if not stack.names:
        raise InvalidParameters("No adapter is applied: train or load one to compare with the base model.")
    if not prompts and not eval_text.strip():
        raise InvalidParameters("Give prompts to continue or a text to score.")
    progress(0.0, "Adapted model")
    adapted_texts = greedy_continuations(stack.model, tokenizer, prompts, max_new_tokens, cancel)
    adapted = next_token_log_probs(stack.model, tokenizer, eval_text) if eval_text.strip() else None
    progress(0.5, "Base model")
    with stack.disabled() as base:
        base_texts = greedy_continuations(base, tokenizer, prompts, max_new_tokens, cancel)
        original = next_token_log_probs(base, tokenizer, eval_text) if eval_text.strip() else None
    progress(1.0, "Compared")
    probabilities = None
    if adapted is not None and original is not None:
        probabilities = TokenProbabilities(tokens=adapted[0], base=np.exp(original[1]), adapted=np.exp(adapted[1]))
    return CompareResult(
        prompts=list(prompts),
        base_generations=base_texts,
        adapted_generations=adapted_texts,
        probabilities=probabilities,
        base_perplexity=float(np.exp(-original[1].mean())) if original is not None else None,
        adapted_perplexity=float(np.exp(-adapted[1].mean())) if adapted is not None else None,
    )
