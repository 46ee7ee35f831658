"""Hybrid fusion: the convex combination of normalised scores, and reciprocal-rank fusion."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.core.rag.fusion import DENSE_SHARE, convex_combination, fuse, min_max, reciprocal_rank_fusion
from workbench.core.rag.params import DEFAULT_FUSION

EMPTY = (np.zeros(0, np.int64), np.zeros(0, np.float32))


def _ranked(pairs: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([p for p, _ in pairs], np.int64), np.array([s for _, s in pairs], np.float32)


def test_the_default_fusion_is_the_convex_combination() -> None:
    dense, sparse = _ranked([(1, 0.9), (2, 0.5)]), _ranked([(2, 4.0), (3, 1.0)])
    default = fuse(dense, sparse)
    assert DEFAULT_FUSION == "convex"
    np.testing.assert_array_equal(default[0], fuse(dense, sparse, "convex")[0])


def test_min_max_maps_a_list_onto_zero_to_one_and_a_flat_list_onto_one() -> None:
    np.testing.assert_allclose(min_max(np.array([5.0, 3.0, 1.0])), [1.0, 0.5, 0.0])
    np.testing.assert_allclose(min_max(np.array([2.5, 2.5])), [1.0, 1.0])
    assert min_max(np.zeros(0)).size == 0


def test_a_query_no_bm25_term_matches_is_ranked_exactly_as_dense_ranks_it() -> None:
    dense = _ranked([(4, 6.1), (0, 3.2), (9, 3.1), (2, -0.5)])
    for method in ("convex", "rrf"):
        positions, _ = fuse(dense, EMPTY, method)
        np.testing.assert_array_equal(positions, dense[0])


def test_convex_scores_are_the_weighted_sum_of_min_max_scores() -> None:
    dense, sparse = _ranked([(1, 0.9), (2, 0.5), (3, 0.1)]), _ranked([(3, 8.0), (1, 2.0)])
    positions, scores = fuse(dense, sparse, "convex")
    a = DENSE_SHARE
    expected = {1: a * 1.0 + (1 - a) * 0.0, 2: a * 0.5, 3: a * 0.0 + (1 - a) * 1.0}
    assert positions.tolist() == sorted(expected, key=lambda p: -expected[p])
    np.testing.assert_allclose(scores, [expected[int(p)] for p in positions])


def test_a_sure_dense_winner_beats_a_bm25_list_whose_top_scores_are_all_alike() -> None:
    # an English question over Chinese articles: BM25 matches only common words in English
    # articles about other entities (a flat top), the dense list has one clear winner (0)
    dense = _ranked([(0, 5.0), (1, 1.0), (2, 0.9), (7, 0.2)])
    sparse = _ranked([(1, 3.43), (2, 3.40), (0, 3.06), (8, 1.0)])
    assert fuse(dense, sparse, "convex")[0][0] == 0
    assert fuse(dense, sparse, "rrf")[0][0] == 1  # ranks alone cannot see the dense margin


def test_an_exact_bm25_name_match_beats_a_dense_list_without_a_clear_winner() -> None:
    dense = _ranked([(1, 0.820), (0, 0.815), (2, 0.500)])
    sparse = _ranked([(0, 9.0), (1, 0.5)])
    assert fuse(dense, sparse, "convex")[0][0] == 0


def test_ties_keep_the_order_of_first_appearance_dense_first() -> None:
    # each list's top chunk gets exactly that list's share when the shares are equal
    dense, sparse = _ranked([(5, 1.0), (6, 0.0)]), _ranked([(7, 2.0), (8, 1.0)])
    positions, scores = convex_combination([dense, sparse], [0.5, 0.5])
    assert scores[0] == scores[1]
    assert positions[:2].tolist() == [5, 7]
    assert convex_combination([sparse, dense], [0.5, 0.5])[0][:2].tolist() == [7, 5]


def test_a_zero_weight_silences_a_list() -> None:
    dense, sparse = _ranked([(1, 0.9), (2, 0.5), (3, 0.1)]), _ranked([(3, 8.0), (2, 2.0), (4, 1.0)])
    for method in ("convex", "rrf"):
        assert fuse(dense, sparse, method, weights=(1.0, 0.0))[0][:3].tolist() == [1, 2, 3]
        assert fuse(dense, sparse, method, weights=(0.0, 1.0))[0][:2].tolist() == [3, 2]


def test_rrf_by_name_is_reciprocal_rank_fusion_with_its_k() -> None:
    dense, sparse = _ranked([(7, 0.9), (3, 0.1)]), _ranked([(3, 5.0), (9, 4.0)])
    positions, scores = fuse(dense, sparse, "rrf", rrf_k=10)
    expected = reciprocal_rank_fusion([dense[0], sparse[0]], k=10)
    np.testing.assert_array_equal(positions, expected[0])
    np.testing.assert_allclose(scores, [1 / 12 + 1 / 11, 1 / 11, 1 / 12])


def test_an_unknown_fusion_is_refused() -> None:
    with pytest.raises(ValueError, match="convex"):
        fuse(EMPTY, EMPTY, "borda")
