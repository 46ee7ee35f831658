"""Hybrid retrieval by reciprocal-rank fusion (book §6.3.3; Cormack, Clarke & Büttcher, 2009).

RRF(d) = Σ_r w_r / (k + rank_r(d)), rank counted from 1, k = 60.  Only ranks are fused, so
BM25 scores (unbounded) and cosine similarities (−1…1) need no calibration against each
other; a chunk missing from one list simply gets nothing from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def reciprocal_rank_fusion(
    rankings: Sequence[np.ndarray],
    weights: Sequence[float] | None = None,
    k: int = 60,
) -> tuple[np.ndarray, np.ndarray]:
    """Fuse ranked position lists (best first) into one: (positions, fused scores), best first.

    Ties keep the order in which positions first appear across the lists, so the result is
    deterministic.
    """
    weights = [1.0] * len(rankings) if weights is None else list(weights)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, position in enumerate(ranking.tolist(), start=1):
            fused[position] = fused.get(position, 0.0) + weight / (k + rank)
    if not fused:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    positions = np.fromiter(fused.keys(), dtype=np.int64, count=len(fused))
    scores = np.fromiter(fused.values(), dtype=np.float64, count=len(fused))
    order = np.argsort(-scores, kind="stable")
    return positions[order], scores[order]
