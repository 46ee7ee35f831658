"""The sampler pipeline on torch tensors: processors and warpers that reshape next-token scores.

Each stage maps ``(input_ids [B, L], scores [B, V]) -> scores`` and removes a token by
setting its score to ``-inf``, with the same semantics (ties, minimum tokens kept) as the
``transformers`` logits processor of the same name, so a run here and ``generate`` agree.
``replay`` has a numpy twin of the warpers for redrawing a stored step on the GUI thread
without torch; tests hold the two to each other and to ``transformers``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from workbench.core.sampling.params import SamplingParams

Stage = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]

_NEG_INF = float("-inf")


def temperature(value: float) -> Stage:
    """Divide logits by T (book §1.4.2): T < 1 sharpens the distribution, T > 1 flattens it."""

    def apply(_input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        return scores / value

    return apply


def top_k(k: int, min_tokens_to_keep: int = 1) -> Stage:
    """Keep the k highest-scoring tokens (Fan et al. 2018); ties with the k-th are kept."""
    k = max(k, min_tokens_to_keep)

    def apply(_input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        kth = torch.topk(scores, min(k, scores.shape[-1])).values[..., -1:]
        return scores.masked_fill(scores < kth, _NEG_INF)

    return apply


def top_p(p: float, min_tokens_to_keep: int = 1) -> Stage:
    """Nucleus sampling (Holtzman et al. 2020): the fewest top tokens whose mass reaches p.

    Equivalently, drop the least likely tokens as long as their joint mass stays ≤ 1 - p.
    """

    def apply(_input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        sorted_scores, order = torch.sort(scores)  # ascending: the tail first
        tail_mass = sorted_scores.softmax(dim=-1).cumsum(dim=-1)
        remove_sorted = tail_mass <= 1 - p
        remove_sorted[..., scores.shape[-1] - min_tokens_to_keep :] = False
        remove = remove_sorted.scatter(-1, order, remove_sorted)
        return scores.masked_fill(remove, _NEG_INF)

    return apply


def min_p(p: float, min_tokens_to_keep: int = 1) -> Stage:
    """Min-p (Nguyen et al. 2024): drop tokens below p × the top token's probability."""

    def apply(_input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        probs = scores.softmax(dim=-1)
        remove = probs < p * probs.amax(dim=-1, keepdim=True)
        keep = torch.topk(probs, min(min_tokens_to_keep, probs.shape[-1]), dim=-1).indices
        remove = remove.scatter(-1, keep, False)
        return scores.masked_fill(remove, _NEG_INF)

    return apply


def typical(mass: float, min_tokens_to_keep: int = 1) -> Stage:
    """Locally typical sampling (Meister et al. 2023).

    Tokens are ranked by how far their surprisal ``-log p`` lies from the entropy H; the
    closest ones are kept until their mass reaches ``mass`` (ties with the last one kept).
    """

    def apply(_input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        log_probs = scores.log_softmax(dim=-1)
        probs = log_probs.exp()
        entropy = -(log_probs * probs).nansum(dim=-1, keepdim=True)
        distance = (-log_probs - entropy).abs()
        sorted_distance, order = torch.sort(distance)
        cumulative = scores.gather(-1, order).softmax(dim=-1).cumsum(dim=-1)
        last = (cumulative < mass).sum(dim=-1, keepdim=True).clamp(max=scores.shape[-1] - 1)
        remove_sorted = sorted_distance > sorted_distance.gather(-1, last)
        remove_sorted[..., :min_tokens_to_keep] = False
        remove = remove_sorted.scatter(-1, order, remove_sorted)
        return scores.masked_fill(remove, _NEG_INF)

    return apply


def repetition_penalty(penalty: float) -> Stage:
    """CTRL's repetition penalty (Keskar et al. 2019) on every token already in the context.

    A positive score is divided by the penalty and a negative one multiplied, so penalty > 1
    always makes a repeat less likely.
    """

    def apply(input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        seen = scores.gather(-1, input_ids)
        seen = torch.where(seen < 0, seen * penalty, seen / penalty)
        return scores.scatter(-1, input_ids, seen)

    return apply


def no_repeat_ngram(n: int) -> Stage:
    """Ban any token that would complete an n-gram already present in the context."""

    def apply(input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[-1]
        if length < n:
            return scores
        windows = input_ids.unfold(1, n, 1)  # [B, W, n]
        suffix = input_ids[:, length - n + 1 :]  # the n-1 tokens the next one would extend
        matches = (windows[..., :-1] == suffix[:, None, :]).all(dim=-1)  # [B, W]
        vocab = scores.shape[-1]
        # Windows that do not match write into a spare column, which is dropped.
        targets = torch.where(matches, windows[..., -1], vocab)
        banned = torch.zeros(scores.shape[0], vocab + 1, dtype=torch.bool, device=scores.device)
        banned.scatter_(1, targets, True)
        return scores.masked_fill(banned[:, :vocab], _NEG_INF)

    return apply


def build_stages(params: SamplingParams, *, min_tokens_to_keep: int = 1) -> list[tuple[str, Stage]]:
    """The active stages of ``params`` in application order: processors, then warpers."""
    factories: dict[str, Callable[[], Stage]] = {
        "repetition_penalty": lambda: repetition_penalty(params.repetition_penalty),
        "no_repeat_ngram": lambda: no_repeat_ngram(params.no_repeat_ngram_size),
        "temperature": lambda: temperature(params.temperature),
        "top_k": lambda: top_k(params.top_k, min_tokens_to_keep),
        "top_p": lambda: top_p(params.top_p, min_tokens_to_keep),
        "min_p": lambda: min_p(params.min_p, min_tokens_to_keep),
        "typical": lambda: typical(params.typical_p, min_tokens_to_keep),
    }
    return [(name, factories[name]()) for name in params.active_stages()]


def run_stages(stages: list[tuple[str, Stage]], input_ids: torch.Tensor, scores: torch.Tensor) -> list[torch.Tensor]:
    """Scores after each stage (the last one is what the strategy chooses from)."""
    outputs = []
    for _name, stage in stages:
        scores = stage(input_ids, scores)
        outputs.append(scores)
    return outputs
