"""Forwards that keep only the last positions' logits give the probabilities of a full forward."""

from __future__ import annotations

import math

import torch
from torch import nn

from workbench.core.editing.edit_metrics import greedy_ids, teacher_forced
from workbench.core.model.logits_keep import keep_last, keep_positions

PROMPT = [5, 9, 2, 7]
ANSWER = [3, 11, 4]


def test_teacher_forcing_with_kept_logits_equals_the_full_forward(tiny_gpt2) -> None:
    assert keep_last(tiny_gpt2, 3) == {"logits_to_keep": 3}
    correct, p = teacher_forced(tiny_gpt2, PROMPT, ANSWER)
    with torch.inference_mode():
        full = tiny_gpt2(torch.tensor([PROMPT + ANSWER[:-1]])).logits[0].float().log_softmax(-1)
    rows = full[len(PROMPT) - 1 :]
    expected = float(sum(rows[i, token] for i, token in enumerate(ANSWER)))
    assert math.isclose(math.log(p), expected, rel_tol=1e-5, abs_tol=1e-5)
    assert correct == bool((rows.argmax(-1) == torch.tensor(ANSWER)).all())


def test_greedy_steps_with_one_kept_logit_equal_argmax_over_full_forwards(tiny_gpt2) -> None:
    ids = list(PROMPT)
    with torch.inference_mode():
        for _ in range(5):
            ids.append(int(tiny_gpt2(torch.tensor([ids])).logits[0, -1].argmax()))
    assert greedy_ids(tiny_gpt2, PROMPT, 5) == ids[len(PROMPT) :]


def test_kept_positions_give_the_full_forwards_logits_there(tiny_gpt2) -> None:
    ids = torch.tensor([PROMPT + ANSWER, ANSWER + PROMPT])
    positions = [5, 1, 5, 3]  # unsorted and repeated, as ROME's rows ask
    keep, at = keep_positions(tiny_gpt2, positions)
    with torch.inference_mode():
        full = tiny_gpt2(ids).logits
        kept = tiny_gpt2(ids, **keep).logits
    assert kept.shape[1] == 3
    torch.testing.assert_close(kept[:, at], full[:, positions])


def test_a_model_without_the_argument_gets_nothing_passed() -> None:
    class Plain(nn.Module):
        def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
            return input_ids

    assert keep_last(Plain()) == {}
    assert keep_positions(Plain(), [4, 2]) == ({}, [4, 2])
