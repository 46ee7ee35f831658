"""Redraw a stored step for other warper settings, in numpy, without the model (book §1.4.2).

The panel's sliders ask "what would top-p = 0.9 keep here?" and need the answer at 60 fps on
the GUI thread, so this is a numpy twin of the warpers in ``pipeline`` (tests hold the two
to each other and to ``transformers``).

A step keeps only its top-N candidates.  Their raw logits and the log-sum-exp of the *full*
distribution make their probabilities exact, and the rest of the vocabulary is kept as one
bucket of ``V - N`` equal tokens carrying the remaining mass.  Every decision that falls
inside the candidates (top-k with k ≤ N, a nucleus or min-p cut among them, temperature's
effect on their relative odds) is therefore exact; only when a cut falls inside the bucket,
or when temperature reshapes it, is the renormalisation an approximation (the bucket's tokens
are really unequal).  With all V tokens as candidates the replay is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from workbench.core.sampling.params import PROCESSORS, SamplingParams
from workbench.core.sampling.records import StepRecord


@dataclass(frozen=True, eq=False)
class PipelineView:
    """The candidates' probabilities before and after each warper, for drawing."""

    stage_names: tuple[str, ...]
    probs: np.ndarray
    """float64 [S + 1, N]: row 0 is the distribution the warpers start from, row s + 1 after stage s."""
    rest: np.ndarray
    """float64 [S + 1]: probability of all tokens outside the candidates together."""
    removed: np.ndarray
    """bool [S, N]: ``removed[s, i]`` when stage ``s`` is the one that cut candidate ``i``."""

    @property
    def kept(self) -> np.ndarray:
        """bool [N]: candidates the token could still be drawn from after the last stage."""
        return self.probs[-1] > 0


def replay_step(step: StepRecord, params: SamplingParams, vocab_size: int) -> PipelineView:
    """Re-apply the warpers of ``params`` (their order and values) to a recorded step.

    Processors (repetition penalty, no-repeat n-gram) depend on the context, so they are not
    re-run: when the step had them, the warpers start from the distribution they left.
    """
    processors = [i for i, name in enumerate(step.stage_names) if name in PROCESSORS]
    if processors:
        with np.errstate(divide="ignore"):
            logits = np.log(step.stage_probs[processors[-1]].astype(np.float64))
        logsumexp = 0.0
    else:
        logits, logsumexp = step.raw_logits.astype(np.float64), step.logsumexp
    # The sliders ask what sampling would do here, whatever strategy produced the step.
    return replay_distribution(logits, logsumexp, vocab_size, replace(params, strategy="sample"))


def replay_distribution(logits: np.ndarray, logsumexp: float, vocab_size: int, params: SamplingParams) -> PipelineView:
    """Apply the active warpers of ``params`` to candidates with ``logits`` out of ``vocab_size`` tokens.

    ``logsumexp`` is that of the full distribution the logits come from.
    """
    logits = np.asarray(logits, dtype=np.float64)
    candidates = len(logits)
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_mass = max(0.0, 1.0 - float(np.exp(logits - logsumexp).sum()))
        rest_count = vocab_size - candidates
        has_rest = rest_count > 0 and rest_mass > 0
        rest_logit = np.log(rest_mass / rest_count) + logsumexp if has_rest else -np.inf
    dist = _Weighted(
        logits=np.append(logits, rest_logit),
        # A candidate at -inf (banned by a processor) is already out of the running.
        counts=np.append(np.isfinite(logits).astype(np.float64), rest_count if has_rest else 0.0),
    )
    names = params.active_warpers()
    probs = [dist.probs()]
    removed = []
    for name in names:
        before = dist.counts[:candidates] > 0
        dist = _STAGES[name](dist, params)
        removed.append(before & (dist.counts[:candidates] == 0))
        probs.append(dist.probs())
    table = np.asarray(probs)
    return PipelineView(
        stage_names=names,
        probs=table[:, :candidates],
        rest=table[:, candidates],
        removed=np.asarray(removed, dtype=bool).reshape(len(names), candidates),
    )


@dataclass(frozen=True)
class _Weighted:
    """A distribution over entries that each stand for ``counts`` equal tokens of logit ``logits``."""

    logits: np.ndarray
    counts: np.ndarray

    def unit_probs(self) -> np.ndarray:
        """Probability of *one* token of each entry (0 where the entry was removed)."""
        alive = self.counts > 0
        shifted = np.where(alive, self.logits - self.logits[alive].max(), -np.inf)
        with np.errstate(invalid="ignore"):
            weights = np.where(alive, np.exp(shifted), 0.0)
        return weights / (weights * self.counts).sum()

    def probs(self) -> np.ndarray:
        """Probability mass of each entry (all its tokens together)."""
        return self.unit_probs() * self.counts

    def keep(self, counts: np.ndarray) -> _Weighted:
        """Keep ``counts`` tokens of each entry, never fewer than one token in all."""
        counts = np.minimum(counts, self.counts)
        if counts.sum() < 1:
            counts = np.zeros_like(counts)
            counts[self.ranked()[0]] = 1
        return _Weighted(self.logits, counts)

    def ranked(self) -> np.ndarray:
        """Entries from the most to the least likely (removed ones last)."""
        return np.argsort(-np.where(self.counts > 0, self.logits, -np.inf), kind="stable")


def _temperature(dist: _Weighted, params: SamplingParams) -> _Weighted:
    return _Weighted(dist.logits / params.temperature, dist.counts)


def _top_k(dist: _Weighted, params: SamplingParams) -> _Weighted:
    """Keep the k most likely tokens; entries tied with the k-th are kept whole."""
    order = dist.ranked()
    reached = np.cumsum(dist.counts[order]) >= params.top_k
    if not reached.any():
        return dist
    kth = order[np.argmax(reached)]
    threshold = dist.logits[kth]
    counts = np.where(dist.logits >= threshold, dist.counts, 0.0)
    if dist.counts[kth] > 1:  # the k-th token lies in the bucket: keep just enough of it
        counts[kth] = params.top_k - np.where(dist.logits > threshold, dist.counts, 0.0).sum()
    return dist.keep(counts)


def _top_p(dist: _Weighted, params: SamplingParams) -> _Weighted:
    """Keep the most likely tokens until their mass reaches p (Holtzman et al. 2020)."""
    return dist.keep(_fill_to_mass(dist, dist.ranked(), params.top_p))


def _min_p(dist: _Weighted, params: SamplingParams) -> _Weighted:
    """Keep tokens at least ``min_p`` times as likely as the most likely one (Nguyen et al. 2024)."""
    unit = dist.unit_probs()
    return dist.keep(np.where(unit >= params.min_p * unit.max(), dist.counts, 0.0))


def _typical(dist: _Weighted, params: SamplingParams) -> _Weighted:
    """Keep the tokens whose surprisal is closest to the entropy until their mass reaches τ (Meister et al. 2023)."""
    unit = dist.unit_probs()
    alive = dist.counts > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        surprisal = np.where(alive, -np.log(unit), np.inf)
        entropy = float(np.nansum(np.where(alive, dist.counts * unit * surprisal, 0.0)))
    distance = np.where(alive, np.abs(surprisal - entropy), np.inf)
    order = np.argsort(distance, kind="stable")
    return dist.keep(_fill_to_mass(dist, order, params.typical_p))


def _fill_to_mass(dist: _Weighted, order: np.ndarray, mass: float) -> np.ndarray:
    """Counts that keep tokens in ``order`` until the kept mass first reaches ``mass``.

    A token is kept while the mass kept before it is still below ``mass``; inside a bucket
    that is as many of its equal tokens as that takes.
    """
    unit = dist.unit_probs()
    counts = np.zeros_like(dist.counts)
    kept_mass = 0.0
    for entry in order:
        if dist.counts[entry] == 0 or kept_mass >= mass:
            continue
        needed = dist.counts[entry] if dist.counts[entry] == 1 else np.ceil((mass - kept_mass) / unit[entry])
        counts[entry] = min(dist.counts[entry], max(needed, 1.0))
        kept_mass += counts[entry] * unit[entry]
    return counts


_STAGES = {
    "temperature": _temperature,
    "top_k": _top_k,
    "top_p": _top_p,
    "min_p": _min_p,
    "typical": _typical,
}
