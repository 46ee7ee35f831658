"""What a causal trace returns: numpy arrays and plain values, never tensors (torch-free).

Scores are probabilities of the target token.  ``scores[kind][token, layer]`` is the mean over
noise samples of p(target) with that state restored, so a cell near ``high_score`` (the clean
run) is a state that carries the fact and a cell near ``low_score`` (the corrupted run) is one
that does not.  The indirect effect of a state is ``score - low_score`` (ROME §2.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

TOKEN_GROUPS: tuple[str, ...] = (
    "first subject token",
    "middle subject tokens",
    "last subject token",
    "first subsequent token",
    "further tokens",
    "last token",
)
"""Rows of the averaged view, as in ROME's Fig. 2 and the book's averaged plot."""

SEVERED: tuple[str, ...] = ("none", "mlp", "attn")
"""Severing variants: nothing frozen, later MLP outputs frozen, later attention frozen."""


@dataclass(frozen=True)
class Prediction:
    token: str
    token_id: int
    prob: float


@dataclass
class PromptPreview:
    """A prompt before tracing: its tokens with character offsets (the panel's chips, and
    the subject's span from typed text) and the clean model's likely next tokens."""

    prompt: str
    tokens: list[str]
    offsets: list[tuple[int, int]]
    """Each token's ``[start, end)`` in ``prompt``; ``(0, 0)`` for special tokens."""
    top_predictions: list[Prediction]


@dataclass
class TraceResult:
    """The heatmaps of one prompt.  A partial (``complete=False``) has NaN in cells not yet
    computed, so the panel can draw it as it fills in."""

    prompt: str
    tokens: list[str]
    input_ids: np.ndarray
    subject_range: tuple[int, int]
    """Token positions of the subject, ``[start, end)``."""
    target_id: int
    target: str
    high_score: float
    """p(target) in the clean run."""
    low_score: float
    """Mean p(target) over the corrupted runs."""
    low_spread: float
    scores: dict[str, np.ndarray]
    """kind → (tokens × layers) mean p(target) with that state restored."""
    spread: dict[str, np.ndarray]
    """kind → (tokens × layers) standard deviation of p(target) across noise samples."""
    num_layers: int
    window: int
    sigma: float
    """Standard deviation of the embedding output over the reference texts."""
    noise_std: float
    """The noise actually added: the multiplier times σ (0 for token replacement)."""
    noise_kind: str
    samples: int
    method: str
    top_predictions: list[Prediction] = field(default_factory=list)
    """The clean model's most likely next tokens (the panel offers them as targets)."""
    warnings: list[str] = field(default_factory=list)
    forward_passes: int = 0
    seconds: float = 0.0
    complete: bool = True

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.scores)

    def indirect_effect(self, kind: str) -> np.ndarray:
        return self.scores[kind] - self.low_score


@dataclass
class RestoredTopK:
    """One clicked cell: the restored run's predictions and how the samples spread."""

    token: int
    layer: int
    kind: str
    restored_layers: list[int]
    """Layers whose state is restored (one for ``hidden``, the window for MLP/attention)."""
    target_id: int
    target: str
    predictions: list[Prediction]
    """Top-k of the restored next-token distribution, averaged over the noise samples."""
    target_probs: np.ndarray
    """p(target) for each noise sample."""
    high_score: float
    low_score: float


@dataclass
class SeveringResult:
    """阻断: per layer, p(target) when the hidden state at ``token`` is restored with nothing,
    the later MLP outputs or the later attention outputs frozen at their corrupted values."""

    prompt: str
    tokens: list[str]
    token: int
    subject_range: tuple[int, int]
    target_id: int
    target: str
    high_score: float
    low_score: float
    scores: dict[str, np.ndarray]
    """variant (``SEVERED``) → (layers,) mean p(target)."""
    spread: dict[str, np.ndarray]
    num_layers: int
    samples: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def indirect_effect(self, variant: str) -> np.ndarray:
        return self.scores[variant] - self.low_score


@dataclass
class AveragingResult:
    """Average indirect effect (score − low) by token group and layer over a fact set."""

    kinds: tuple[str, ...]
    num_layers: int
    groups: tuple[str, ...]
    effects: dict[str, np.ndarray]
    """kind → (groups × layers) average indirect effect; NaN for a group no fact had."""
    group_counts: np.ndarray
    """(groups,) how many facts contributed to each group."""
    facts_total: int
    facts_traced: int
    facts_skipped: int
    """Facts left out because the clean model did not predict their object."""
    mean_high: float
    mean_low: float
    skipped_subjects: list[str] = field(default_factory=list)
    seconds: float = 0.0
    complete: bool = True
