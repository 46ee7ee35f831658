"""A/B: the base model against the same model with its adapters, on the same inputs.

Greedy continuations show the new behaviour in words; the probability of each actual next
token of an evaluation text shows where the adapter changed the model's expectations; and
the perplexity of that text (book §1.5, scored by ``text_metrics.perplexity``) sums the change up.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken, ProgressSink
from workbench.core.finetune.adapters import AdapterStack
from workbench.core.finetune.methods import context_limit
from workbench.core.finetune.params import CompareResult, TokenProbabilities
from workbench.core.generation import greedy_continuations
from workbench.core.text_metrics import PerplexityResult, perplexity


class _TextPositions(nn.Module):
    """A prompt-tuned model seen with one logit row per input token.

    Prompt tuning prepends its soft prompt's rows to the logits; dropping them lets scoring
    code written for plain models (``text_metrics.perplexity``) read the model unchanged.
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.inner = model
        self.config = model.config

    def forward(self, input_ids: torch.Tensor, **kwargs: Any) -> Any:
        output = self.inner(input_ids=input_ids, **kwargs)
        output.logits = output.logits[:, -input_ids.shape[1] :]
        return output


def score_text(
    model: nn.Module, tokenizer: Any, text: str, virtual_tokens: int, cancel: CancelToken
) -> PerplexityResult:
    """Per-token surprisal and perplexity, in windows that leave room for virtual tokens."""
    limit = context_limit(model)
    window = limit - virtual_tokens if limit else 0
    scored = _TextPositions(model) if virtual_tokens else model
    return perplexity(scored, tokenizer, text, window=window, cancel=cancel)


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
    progress(0.0, "Adapted model", None)
    adapted_texts = greedy_continuations(stack.model, tokenizer, prompts, max_new_tokens, cancel)
    adapted = score_text(stack.model, tokenizer, eval_text, stack.virtual_tokens, cancel) if eval_text.strip() else None
    progress(0.5, "Base model", None)
    with stack.disabled() as base:
        base_texts = greedy_continuations(base, tokenizer, prompts, max_new_tokens, cancel)
        original = score_text(base, tokenizer, eval_text, 0, cancel) if adapted is not None else None
    progress(1.0, "Compared", None)
    probabilities = None
    if adapted is not None and original is not None:
        probabilities = TokenProbabilities(
            tokens=list(adapted.tokens[1:]), base=np.exp(-original.nll[1:]), adapted=np.exp(-adapted.nll[1:])
        )
    return CompareResult(
        prompts=list(prompts),
        base_generations=base_texts,
        adapted_generations=adapted_texts,
        probabilities=probabilities,
        base_perplexity=original.perplexity if original is not None else None,
        adapted_perplexity=adapted.perplexity if adapted is not None else None,
    )
