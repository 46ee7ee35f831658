"""What a generation leaves behind: one compact record per step, the beam tree, the result.

Torch-free dataclasses of numpy arrays and plain values, so the panel renders them, the CLI
prints them and the store keeps them without touching the model.  A step keeps only the
top-N candidates, but with their raw logits *and* the log-sum-exp of the full distribution,
so their probabilities are exact and a redraw (``replay``) needs no model call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.core.sampling.params import SamplingParams


@dataclass(frozen=True, eq=False)
class StepRecord:
    """The next-token distribution at one step, what each pipeline stage did to it, the choice."""

    candidate_ids: np.ndarray
    """int64 [N]: the top-N tokens by raw logit, then the chosen token if it was not among them."""
    candidate_tokens: tuple[str, ...]
    raw_logits: np.ndarray
    """float32 [N]: the model's logits of the candidates (float32, as ``transformers`` processes them)."""
    logsumexp: float
    """Log-sum-exp of the *full* raw logits: ``exp(raw_logits - logsumexp)`` are exact probabilities."""
    raw_probs: np.ndarray
    """float32 [N]: the model's probabilities of the candidates."""
    stage_names: tuple[str, ...]
    """Active stages in the order they ran (processors, then warpers when sampling)."""
    stage_probs: np.ndarray
    """float32 [S, N]: each candidate's probability after each stage, renormalised over the vocabulary."""
    removed: np.ndarray
    """bool [S, N]: ``removed[s, i]`` when stage ``s`` is the one that cut candidate ``i``."""
    chosen_index: int
    """Position of the chosen token in the candidates."""
    chosen_id: int
    chosen_logprob: float
    """The chosen token's log-probability under the raw model (its surprisal in nats, negated)."""
    entropy: float
    """Entropy of the raw next-token distribution, in nats."""
    forced: bool = False
    """The token was given (a branch's forced prefix), not chosen by the strategy."""

    @property
    def final_probs(self) -> np.ndarray:
        """The candidates' probabilities in the distribution the token was drawn from."""
        return self.stage_probs[-1] if len(self.stage_names) else self.raw_probs

    @property
    def chosen_token(self) -> str:
        return self.candidate_tokens[self.chosen_index]


@dataclass(frozen=True, eq=False)
class BeamStep:
    """The ``2 × num_beams`` continuations beam search weighed at one step.

    ``parent`` indexes the previous step's candidates (-1 at the first step: the prompt), so
    the tree is navigable with one index space.  ``status`` is ``live`` (kept as a running
    beam), ``finished`` (ended by EOS, a stop string or the length limit and entered in the
    list of finished hypotheses) or ``pruned`` (weighed and dropped).
    """

    parent: np.ndarray
    """int32 [K]."""
    token_ids: np.ndarray
    """int64 [K]."""
    tokens: tuple[str, ...]
    scores: np.ndarray
    """float32 [K]: cumulative log-probability of the hypothesis (after processors)."""
    status: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class BeamSequence:
    """One hypothesis beam search returned."""

    token_ids: np.ndarray
    text: str
    score: float
    """What beam search ranks by: sum of log-probs / length ** length_penalty (``sequences_scores``)."""
    logprob: float
    """Sum of the (processed) log-probs of its tokens."""
    path: np.ndarray
    """int32 [len]: the hypothesis' candidate index in each ``BeamStep``."""


@dataclass(frozen=True, eq=False)
class BeamTree:
    num_beams: int
    steps: tuple[BeamStep, ...]


@dataclass(frozen=True, eq=False)
class SamplingResult:
    """A generation: the ids and text of what was generated (not the prompt) and every step.

    For beam search ``token_ids``/``text``/``steps`` follow the best returned sequence (each
    step record is the distribution of the beam it grew from); ``beam`` and ``sequences``
    hold the whole search.  Partial results (while the job runs) have ``stop_reason == ""``.
    """

    params: SamplingParams
    prompt_ids: np.ndarray
    prompt_tokens: tuple[str, ...]
    token_ids: np.ndarray
    tokens: tuple[str, ...]
    text: str
    steps: tuple[StepRecord, ...]
    stop_reason: str
    """``""`` (still running), ``max_new_tokens``, ``eos`` or ``stop_string``."""
    seed: int
    vocab_size: int
    logprob: float
    """Sum of the chosen tokens' raw log-probabilities: the path's log-probability."""
    beam: BeamTree | None = None
    sequences: tuple[BeamSequence, ...] = ()

    @property
    def finished(self) -> bool:
        return bool(self.stop_reason)


@dataclass(frozen=True, eq=False)
class SideBySideResult:
    """Several generations of one prompt and the step at which each parts from the first."""

    results: tuple[SamplingResult, ...]
    divergence: tuple[int | None, ...]
    """First generated position where result ``i`` differs from result 0; ``None`` if never."""


def first_divergence(a: np.ndarray, b: np.ndarray) -> int | None:
    """Index of the first differing token of two id sequences (a length difference counts)."""
    common = min(len(a), len(b))
    differs = np.flatnonzero(np.asarray(a[:common]) != np.asarray(b[:common]))
    if differs.size:
        return int(differs[0])
    return None if len(a) == len(b) else common
