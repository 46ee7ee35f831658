"""Hybrid retrieval: fusing the dense and BM25 rankings into one (book §6.3.3).

Two fusions, chosen by name (``params.FUSIONS``):

``convex`` (the default) — a convex combination of min-max normalised scores,
    fused(d) = α·w_dense·ŝ_dense(d) + (1 − α)·w_bm25·ŝ_bm25(d),   α = ``DENSE_SHARE`` = 0.65,
where ŝ = (s − min) / (max − min) over that retriever's candidates, and a chunk missing from
a list gets 0 from it (Bruch, Gai & Ingber, 2023, "An Analysis of Fusion Functions for Hybrid
Retrieval", ACM TOIS — convex combination beats RRF in and out of domain and needs only a
few labelled queries to set α).  Unlike ranks, normalised scores keep each retriever's
*confidence*: when BM25's top candidates are all about as good (an English question over
Chinese documents, whose words match only English articles about other entities), their
normalised scores are spread over 0…1 anyway but the dense list's clear winner keeps its
lead; when BM25 finds an exact name the dense list half-misses, its margin wins.

``rrf`` — reciprocal-rank fusion (Cormack, Clarke & Büttcher, 2009),
    RRF(d) = Σ_r w_r / (k + rank_r(d)),   rank from 1, k = 60.
Ranks only, so no calibration — but also no confidence: a noisy BM25 list pulls as hard as a
sure one.

Measured on the demo encyclopedia (494 chunks, 1,504 questions, e5-small, flat; α chosen on
a dev half of the entities — crc32(entity id) even —, reported on the other half; MRR@10):

    held-out (781 q.)   en     zh     en→zh   all
    BM25               0.997  0.973  0.790   0.958
    dense              0.986  0.990  0.912   0.977
    RRF (k = 60)       0.987  0.996  0.861   0.972
    convex α = 0.65    1.000  1.000  0.931   0.990

(all 1,504: BM25 0.998 / 0.983 / 0.822 / 0.965, dense 0.982 / 0.992 / 0.911 / 0.974, RRF
0.987 / 0.998 / 0.869 / 0.973, convex 1.000 / 1.000 / 0.944 / 0.991; ``bench_rag.py``.)
Weighted RRF stayed below BM25 on English questions at every BM25 weight from 1 down to 0.2,
and below dense on cross-lingual ones at weights ≥ 0.4, so it can not meet "never worse than
the better part"; the convex combination is at least as good as both parts in every group.
On the dev half its overall MRR@10 is within 0.003 of its best for α from 0.55 to 0.75, and
min-max or z-score normalisation give the same picture — the value is not a knife-edge fit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from workbench.core.rag.params import DEFAULT_FUSION, FUSIONS

DENSE_SHARE = 0.65
"""α of the convex combination: the dense list's share (the middle of the dev plateau 0.6–0.7)."""

COMPANION_SHARES = (0.4, 0.3, 0.3)
"""The convex shares of (dense, companion, BM25) when a collection carries a second embedder's
vectors (``IngestParams.companion_embedder``): e5-small 0.4, use-multilingual 0.3, BM25 0.3.

On the textbook dev set (80 questions, ``tests/data/rag_textbook``) these three lists beat the
two-list default (e5-small + BM25, α = 0.65) on every overall number — R@1 0.613 → 0.650, R@5
0.850 → 0.887, R@10 0.912 → 0.925, MRR@10 0.709 → 0.749 — mostly on English paraphrases
(MRR 0.283 → 0.446), at a small cost on Chinese questions (MRR 0.868 → 0.836).  USE ranks
paraphrases well where e5-small does not, and BM25 keeps exact names; 0.5 / 0.15 / 0.35 gave
MRR@10 0.726.  Weights read off 80 questions: a choice a collection opts into, not the default."""

RankedList = tuple[np.ndarray, np.ndarray]
"""Positions (best first) and their scores, higher is better."""


def fuse(
    dense: RankedList,
    sparse: RankedList,
    method: str = DEFAULT_FUSION,
    weights: tuple[float, float] = (1.0, 1.0),
    rrf_k: int = 60,
    companion: RankedList | None = None,
) -> RankedList:
    """The hybrid ranking of a dense and a BM25 list (and a companion embedder's dense list,
    given one): (positions, fused scores), best first.

    ``weights`` (dense, BM25) scale each list's share in either fusion; the companion, a
    dense list too, takes the dense weight.  Ties keep the order in which positions first
    appear (dense, then companion, then BM25), so the result is deterministic.
    """
    lists = [dense, sparse] if companion is None else [dense, companion, sparse]
    list_weights = [weights[0], weights[1]] if companion is None else [weights[0], weights[0], weights[1]]
    if method == "convex":
        shares = (DENSE_SHARE, 1 - DENSE_SHARE) if companion is None else COMPANION_SHARES
        return convex_combination(lists, [share * weight for share, weight in zip(shares, list_weights)])
    if method == "rrf":
        return reciprocal_rank_fusion([positions for positions, _ in lists], list_weights, rrf_k)
    raise ValueError(f"unknown fusion {method!r}; use one of {', '.join(FUSIONS)}")


def min_max(scores: np.ndarray) -> np.ndarray:
    """Scores mapped onto 0…1 within their list; a list of equal scores is all 1 (each is its best)."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.size == 0:
        return scores
    low, high = float(scores.min()), float(scores.max())
    if high <= low:
        return np.ones_like(scores)
    return (scores - low) / (high - low)


def convex_combination(lists: Sequence[RankedList], weights: Sequence[float]) -> RankedList:
    """Σ_r weight_r · min-max(score_r) over the union of the lists; missing scores count 0."""
    if len(weights) != len(lists):
        raise ValueError("one weight per ranked list")
    return _accumulate(((positions, weight * min_max(scores)) for (positions, scores), weight in zip(lists, weights)))


def reciprocal_rank_fusion(
    rankings: Sequence[np.ndarray],
    weights: Sequence[float] | None = None,
    k: int = 60,
) -> RankedList:
    """Fuse ranked position lists (best first) by Σ weight / (k + rank)."""
    weights = [1.0] * len(rankings) if weights is None else list(weights)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    return _accumulate(
        (ranking, weight / (k + np.arange(1, len(ranking) + 1, dtype=np.float64)))
        for ranking, weight in zip(rankings, weights)
    )


def _accumulate(contributions: Iterable[RankedList]) -> RankedList:
    """Sum each position's contributions; sort best first, ties in order of first appearance."""
    fused: dict[int, float] = {}
    for positions, values in contributions:
        for position, value in zip(np.asarray(positions).tolist(), np.asarray(values).tolist()):
            fused[position] = fused.get(position, 0.0) + value
    if not fused:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    positions = np.fromiter(fused.keys(), dtype=np.int64, count=len(fused))
    scores = np.fromiter(fused.values(), dtype=np.float64, count=len(fused))
    order = np.argsort(-scores, kind="stable")
    return positions[order], scores[order]
