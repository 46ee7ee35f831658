"""ROME's own success rules on a CounterFact-style case (Meng et al. 2022, §3.2 and app. C).

The book's properties (``evaluation``) ask for exact top-1 answers; the ROME paper counts an
edit as successful where the new object merely outranks the true one: efficacy and
paraphrase score P(new) > P(true) on the rewrite and paraphrase prompts after the edit,
neighbourhood scores P(true) > P(new) on other subjects that share the true object.  Both
views are reported, so a result on a real model can be set beside the paper's table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from torch import nn

from workbench.core.editing.cases import EditCase
from workbench.core.editing.edit_metrics import answer_token_ids, teacher_forced

ROME_RULES: tuple[str, ...] = ("efficacy", "paraphrase", "neighbourhood")


@dataclass(frozen=True)
class Preference:
    """P(new) and P(true) of one prompt (each the product of its answer tokens' probabilities)."""

    prompt: str
    p_new: float
    p_true: float


def preference(model: nn.Module, tokenizer: Any, prompt: str, target_new: str, target_true: str) -> Preference:
    new = teacher_forced(model, *answer_token_ids(tokenizer, prompt, target_new))[1]
    true = teacher_forced(model, *answer_token_ids(tokenizer, prompt, target_true))[1]
    return Preference(prompt, new, true)


def rome_scores(model: nn.Module, tokenizer: Any, case: EditCase) -> dict[str, float]:
    """Fraction of prompts meeting ROME's rule, per rule (``nan`` where the case has none)."""
    request = case.request
    groups = {
        "efficacy": [request.rendered()],
        "paraphrase": list(case.paraphrase_prompts),
        "neighbourhood": list(case.neighborhood_prompts),
    }
    scores: dict[str, float] = {}
    for rule, prompts in groups.items():
        wins = [
            _met(rule, preference(model, tokenizer, prompt, request.target_new, request.target_true))
            for prompt in prompts
        ]
        scores[rule] = sum(wins) / len(wins) if wins else float("nan")
    return scores


def _met(rule: str, result: Preference) -> bool:
    if rule == "neighbourhood":
        return result.p_true > result.p_new
    return result.p_new > result.p_true
