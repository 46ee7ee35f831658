"""A collection's companion embedder: a third dense list that hybrid search fuses in (``fusion.COMPANION_SHARES``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_rag_ingest import SMALL, corpus, ctx, run  # noqa: F401  (fixtures)

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import JobContext
from workbench.core.rag.fusion import COMPANION_SHARES, DENSE_SHARE, convex_combination, fuse
from workbench.core.rag.jobs import open_collection
from workbench.core.rag.params import (
    COMPANION_EMBEDDER,
    NO_COMPANION,
    CompareRetrieversParams,
    EstimateIngestParams,
    IngestParams,
    ListCollectionsParams,
    QueryParams,
    RemoveDocumentParams,
)
from workbench.core.rag.retrieval import HYBRID_DEPTH

QUESTION = "Where does the zebra live?"


def _ranked(pairs: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([p for p, _ in pairs], np.int64), np.array([s for _, s in pairs], np.float32)


def test_three_lists_fuse_by_the_companion_shares_as_computed_by_hand() -> None:
    dense = _ranked([(1, 0.9), (2, 0.5), (3, 0.1)])  # min-max: 1 → 1, 2 → 0.5, 3 → 0
    companion = _ranked([(3, 0.8), (4, 0.6), (2, 0.2)])  # 3 → 1, 4 → 2/3, 2 → 0
    sparse = _ranked([(4, 5.0), (1, 1.0)])  # 4 → 1, 1 → 0
    assert COMPANION_SHARES == (0.4, 0.3, 0.3)
    positions, scores = fuse(dense, sparse, "convex", companion=companion)
    np.testing.assert_array_equal(positions, [4, 1, 3, 2])
    np.testing.assert_allclose(scores, [0.3 * 2 / 3 + 0.3, 0.4, 0.3, 0.4 * 0.5])
    positions, scores = fuse(dense, sparse, "rrf", companion=companion)
    assert scores[list(positions).index(3)] == pytest.approx(1 / 63 + 1 / 61)


def test_without_a_companion_fusion_is_the_two_list_convex_combination() -> None:
    dense, sparse = _ranked([(1, 0.9), (2, 0.5), (3, 0.1)]), _ranked([(3, 8.0), (1, 2.0)])
    expected = convex_combination([dense, sparse], [DENSE_SHARE, 1 - DENSE_SHARE])
    for got, want in zip(fuse(dense, sparse, "convex"), expected):
        np.testing.assert_array_equal(got, want)


@pytest.fixture()
def with_companion(ctx: JobContext, corpus: Path) -> JobContext:  # noqa: F811
    result = run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL, companion_embedder=COMPANION_EMBEDDER))
    assert result.summary.companion == COMPANION_EMBEDDER
    assert result.indexes == ["flat", "bm25", "hnsw"]
    return ctx


def _lists(indexed: JobContext, query: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    index = open_collection(indexed, "notes")
    found = {name: index.rank(query, "dense", HYBRID_DEPTH, embedder=name) for name in index.dense}
    bm25 = index.rank(query, "bm25", HYBRID_DEPTH)
    return {"bm25": (bm25.positions, bm25.scores)} | {n: (r.positions, r.scores) for n, r in found.items()}


def test_hybrid_fuses_the_companion_list_and_each_hit_says_where_the_companion_put_it(
    with_companion: JobContext,
) -> None:
    lists = _lists(with_companion, QUESTION)
    assert set(lists) == {"bm25", "e5-small", COMPANION_EMBEDDER}
    positions, scores = convex_combination(
        [lists["e5-small"], lists[COMPANION_EMBEDDER], lists["bm25"]], list(COMPANION_SHARES)
    )
    result = run(with_companion, QueryParams("notes", QUESTION, k=HYBRID_DEPTH))
    index = open_collection(with_companion, "notes")
    assert result.embedder == f"e5-small + {COMPANION_EMBEDDER}"
    assert [h.chunk_id for h in result.results] == [int(index.chunks.ids[p]) for p in positions]
    np.testing.assert_allclose([h.score for h in result.results], scores, rtol=1e-6)
    companion_rank = {int(index.chunks.ids[p]): r for r, p in enumerate(lists[COMPANION_EMBEDDER][0], start=1)}
    for hit in result.results:
        assert hit.found_by["companion"].rank == companion_rank[hit.chunk_id]
    dense_only = run(with_companion, QueryParams("notes", QUESTION, k=HYBRID_DEPTH, retriever="dense")).results
    assert all("companion" not in hit.found_by for hit in dense_only)
    comparison = run(with_companion, CompareRetrieversParams("notes", QUESTION))
    assert comparison.companion == COMPANION_EMBEDDER


def test_the_companion_stays_until_dropped_and_dropping_it_restores_the_two_list_scores(
    with_companion: JobContext,
) -> None:
    again = run(with_companion, IngestParams("notes"))
    assert again.encoded == 0 and again.summary.companion == COMPANION_EMBEDDER
    assert run(with_companion, ListCollectionsParams()).collections[0].companion == COMPANION_EMBEDDER
    dropped = run(with_companion, IngestParams("notes", companion_embedder=NO_COMPANION))
    assert dropped.encoded == 0 and dropped.summary.companion is None
    lists = _lists(with_companion, QUESTION)
    assert set(lists) == {"bm25", "e5-small"}
    positions, scores = fuse(lists["e5-small"], lists["bm25"])
    result = run(with_companion, QueryParams("notes", QUESTION, k=HYBRID_DEPTH))
    assert result.embedder == "e5-small"
    assert all("companion" not in hit.found_by for hit in result.results)
    chunk_ids = open_collection(with_companion, "notes").chunks.ids
    assert [h.chunk_id for h in result.results] == [int(chunk_ids[p]) for p in positions]
    np.testing.assert_array_equal([h.score for h in result.results], scores)
    restored = run(with_companion, IngestParams("notes", companion_embedder=COMPANION_EMBEDDER))
    assert restored.encoded == 0  # its vectors were kept per chunk id


def test_removing_a_document_keeps_the_companion_without_encoding(with_companion: JobContext) -> None:
    collection = run(with_companion, ListCollectionsParams()).collections[0]
    removed = run(with_companion, RemoveDocumentParams(collection.documents[0].id))
    assert removed.encoded == 0 and removed.summary.companion == COMPANION_EMBEDDER
    hits = run(with_companion, QueryParams("notes", QUESTION, k=3)).results
    assert any("companion" in hit.found_by for hit in hits)


def test_the_companion_must_differ_from_the_embedder(ctx: JobContext, corpus: Path) -> None:  # noqa: F811
    with pytest.raises(InvalidParameters, match="differ"):
        run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL, companion_embedder="e5-small"))


def test_the_estimate_counts_the_companion_s_encoding(ctx: JobContext, corpus: Path) -> None:  # noqa: F811
    fresh = run(ctx, EstimateIngestParams(IngestParams("notes", (str(corpus),), "e5-small", SMALL), chunks_per_s=4.0))
    assert fresh.companion_chunks == 0
    with_second = run(
        ctx,
        EstimateIngestParams(
            IngestParams("notes", (str(corpus),), "e5-small", SMALL, companion_embedder=COMPANION_EMBEDDER), 4.0
        ),
    )
    assert with_second.companion == COMPANION_EMBEDDER and with_second.companion_chunks == with_second.chunks > 0
    assert with_second.seconds == pytest.approx(2 * fresh.seconds)
    assert f"and {with_second.chunks:,} for the companion embedder {COMPANION_EMBEDDER}" in with_second.summary()

    ingested = run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    added = run(ctx, EstimateIngestParams(IngestParams("notes", companion_embedder=COMPANION_EMBEDDER), 4.0))
    assert added.chunks == 0, "the files are unchanged: e5-small encodes nothing"
    assert added.companion_chunks == ingested.chunks, "a new companion encodes every stored chunk"
    assert added.seconds == pytest.approx(ingested.chunks / 4.0)


def test_a_kept_companion_encodes_only_new_files(with_companion: JobContext) -> None:
    again = run(with_companion, EstimateIngestParams(IngestParams("notes"), chunks_per_s=4.0))
    assert (again.chunks, again.companion_chunks, again.seconds) == (0, 0, 0.0)
