"""The corruption: noise on the subject tokens' embeddings (book §5.4.1; ROME §2.1).

ROME adds Gaussian noise of three times σ, the standard deviation of the embeddings, to the
subject's token embeddings, so the model can no longer tell which subject it reads.  The
workbench measures σ at the injection point (the embedding module's output) over reference
texts, and offers uniform noise of the same standard deviation and replacement by random
other tokens' embeddings as alternatives.  The samples are drawn once, from a seeded CPU
generator, so every method that scores a trace sees exactly the same corrupted inputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.core.model.arch import ArchAdapter
from workbench.core.tracing.prompt import TracePrompt


@torch.inference_mode()
def embedding_std(model: nn.Module, adapter: ArchAdapter, tokenizer: Any, texts: Sequence[str]) -> float:
    """σ: the standard deviation of all embedding-output values of the texts' tokens."""
    embedding = adapter.embedding_module(model)
    device = next(model.parameters()).device
    values = []
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        if ids:
            values.append(embedding(torch.tensor([ids], device=device)).float().flatten())
    if not values:
        raise InvalidParameters("The reference texts for σ have no tokens.")
    flat = torch.cat(values)
    if flat.numel() < 2:
        raise InvalidParameters("The reference texts for σ need at least two values; give a longer text.")
    return float(flat.std())


@dataclass
class SubjectNoise:
    """``samples`` corruptions of the subject positions ``[start, end)``."""

    start: int
    end: int
    values: torch.Tensor
    """(samples, subject tokens, embedding width), in the embedding output's dtype."""
    replace: bool
    """Replace the embeddings by ``values`` rather than add ``values`` to them."""
    std: float
    """Standard deviation of the added noise (0 for replacement)."""

    @property
    def samples(self) -> int:
        return int(self.values.shape[0])

    def apply(self, embedded: torch.Tensor, first_row: int = 0) -> torch.Tensor:
        """Corrupt rows ``first_row …`` of an embedding output in place (one row per sample)."""
        rows = slice(first_row, first_row + self.samples)
        if self.replace:
            embedded[rows, self.start : self.end] = self.values
        else:
            embedded[rows, self.start : self.end] += self.values
        return embedded


@torch.inference_mode()
def make_noise(
    model: nn.Module,
    adapter: ArchAdapter,
    prompt: TracePrompt,
    *,
    kind: str,
    multiplier: float,
    sigma: float,
    samples: int,
    seed: int,
) -> SubjectNoise:
    """Draw the noise samples for ``prompt``'s subject.

    Uniform noise on ``[-a, a]`` has standard deviation ``a / √3``, so ``a = √3 · k σ`` gives
    it the same spread as the Gaussian.  Replacement draws, for each sample and subject
    position, a token other than the one there, uniformly from the embedding table.
    """
    start, end = prompt.subject_range
    embedding = adapter.embedding_module(model)
    subject_ids = prompt.input_ids[:, start:end]
    reference = embedding(subject_ids)
    generator = torch.Generator().manual_seed(int(seed))
    shape = (samples, end - start, reference.shape[-1])
    std = multiplier * sigma
    if kind == "gaussian":
        values = torch.randn(shape, generator=generator) * std
    elif kind == "uniform":
        values = (torch.rand(shape, generator=generator) * 2 - 1) * (math.sqrt(3.0) * std)
    elif kind == "replace":
        vocab = _embedding_rows(embedding)
        drawn = torch.randint(0, vocab - 1, (samples, end - start), generator=generator)
        original = subject_ids.cpu().expand(samples, -1)
        others = drawn + (drawn >= original).long()
        values = embedding(others.to(prompt.input_ids.device))
        std = 0.0
    else:
        raise InvalidParameters(f"Unknown noise kind '{kind}'.")
    values = values.to(device=reference.device, dtype=reference.dtype)
    return SubjectNoise(start=start, end=end, values=values, replace=kind == "replace", std=std)


def _embedding_rows(embedding: nn.Module) -> int:
    weight = getattr(embedding, "weight", None)
    if weight is None:
        raise InvalidParameters("Token replacement needs an embedding table; use Gaussian noise.")
    return int(weight.shape[0])
