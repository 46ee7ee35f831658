"""Optional reranking by the active language model (book §6.3.5, reranking).

No cross-encoder ships offline, but the active model can judge relevance itself: a chunk
that contains the answer makes the question more predictable.  Each candidate is scored by
the mean log-probability of the question's tokens after ``context: {chunk}\nquestion:`` —
the unsupervised passage re-ranker of Sachan et al. (2022, "Improving passage retrieval
with zero-shot question generation"), in the demo world's prompt format.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from workbench.base.jobs import CancelToken
from workbench.core.rag.answering import context_window, resolve_template
from workbench.core.rag.params import AUTO_TEMPLATE, TEMPLATES


@torch.inference_mode()
def question_likelihood(
    model: torch.nn.Module,
    tokenizer: object,
    question: str,
    passages: Sequence[str],
    *,
    template: str = AUTO_TEMPLATE,
    batch_size: int = 8,
    cancel: CancelToken | None = None,
) -> np.ndarray:
    """Mean log P(question tokens | passage prompt) per passage (float64; higher = more relevant).

    The prompt is ``template`` up to ``{question}``; white space before ``{question}`` goes
    with the question, as the model saw it (`` Where…`` after ``question:``).
    """
    device = next(model.parameters()).device
    head = resolve_template(template, TEMPLATES, question).split("{question}", 1)[0]
    prefix_template = head.rstrip()
    question_text = head[len(prefix_template) :] + question.strip()
    question_ids = tokenizer(question_text, add_special_tokens=False)["input_ids"]  # type: ignore[operator]  # the tokenizer is typed as a base class without __call__/decode in its stubs
    window = context_window(model)
    question_ids = question_ids[: window // 2]
    sequences: list[tuple[list[int], int]] = []
    for passage in passages:
        prefix = tokenizer(prefix_template.replace("{context}", passage), add_special_tokens=False)["input_ids"]  # type: ignore[operator]  # the tokenizer is typed as a base class without __call__/decode in its stubs
        prefix = prefix[-(window - len(question_ids)) :]  # keep the end nearest the question
        sequences.append((prefix + question_ids, len(prefix)))
    scores = np.zeros(len(passages), dtype=np.float64)
    pad = getattr(tokenizer, "pad_token_id", None) or getattr(tokenizer, "eos_token_id", None) or 0
    for first in range(0, len(sequences), batch_size):
        if cancel is not None:
            cancel.raise_if_cancelled()
        batch = sequences[first : first + batch_size]
        width = max(len(ids) for ids, _ in batch)
        input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
        attention = torch.zeros((len(batch), width), dtype=torch.long)
        for row, (ids, _) in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            attention[row, : len(ids)] = 1
        logits = model(input_ids=input_ids.to(device), attention_mask=attention.to(device)).logits.float()
        log_probs = torch.log_softmax(logits, dim=-1)
        for row, (ids, prefix_length) in enumerate(batch):
            # token t is predicted by position t − 1
            targets = torch.tensor(ids[prefix_length:], device=device)
            predicted = log_probs[row, prefix_length - 1 : len(ids) - 1]
            scores[first + row] = predicted.gather(1, targets[:, None]).mean().item()
    return scores
