"""Each hit says which retrieval paths found it, with its rank and score in each path's own list."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rag_ingest import SMALL, corpus, ctx, run  # noqa: F401  (fixtures)

from workbench.base.jobs import JobContext
from workbench.core.model.session import ModelSession
from workbench.core.rag.params import IngestParams, QueryParams
from workbench.core.rag.retrieval import HYBRID_DEPTH

QUESTION = "Where does the zebra live?"


@pytest.fixture()
def indexed(ctx: JobContext, corpus: Path) -> JobContext:  # noqa: F811
    run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    return ctx


def _ranks(indexed: JobContext, retriever: str) -> dict[int, tuple[int, float]]:
    hits = run(indexed, QueryParams("notes", QUESTION, k=HYBRID_DEPTH, retriever=retriever)).results
    return {hit.chunk_id: (hit.rank, hit.score) for hit in hits}


def test_a_hybrid_hit_carries_its_rank_and_score_in_the_bm25_and_dense_lists(indexed: JobContext) -> None:
    hits = run(indexed, QueryParams("notes", QUESTION, k=HYBRID_DEPTH, retriever="hybrid")).results
    bm25, dense = _ranks(indexed, "bm25"), _ranks(indexed, "dense")
    assert hits and all(hit.found_by for hit in hits)
    for hit in hits:
        in_bm25 = hit.found_by.get("bm25")
        assert (
            (in_bm25.rank, pytest.approx(in_bm25.score)) == bm25[hit.chunk_id] if in_bm25 else hit.chunk_id not in bm25
        )
        dense_paths = {path: rank for path, rank in hit.found_by.items() if path in ("dense", "cross-lingual")}
        assert len(dense_paths) <= 1
        if dense_paths:
            (found,) = dense_paths.values()
            assert (found.rank, pytest.approx(found.score, abs=1e-5)) == dense[hit.chunk_id]
        else:
            assert hit.chunk_id not in dense


def test_dense_hits_in_another_language_than_the_question_are_cross_lingual(indexed: JobContext) -> None:
    hits = run(indexed, QueryParams("notes", QUESTION, k=HYBRID_DEPTH, retriever="dense")).results
    paths = {hit.document: set(hit.found_by) for hit in hits}
    assert paths["zebra_zh.md"] == {"cross-lingual"}
    assert paths["giraffe_en.md"] == {"dense"}
    chinese = run(indexed, QueryParams("notes", "斑马生活在哪里？", k=HYBRID_DEPTH, retriever="dense")).results
    assert {path for hit in chinese if hit.document == "zebra_zh.md" for path in hit.found_by} == {"dense"}


def test_a_reranked_hit_keeps_its_hybrid_paths_and_adds_the_reranker(
    indexed: JobContext, tiny_gpt2, tiny_tokenizer
) -> None:
    indexed.model = ModelSession.wrap(tiny_gpt2, tiny_tokenizer)
    reranked = run(indexed, QueryParams("notes", QUESTION, k=3, retriever="hybrid", rerank=True)).results
    for hit in reranked:
        assert (hit.found_by["reranker"].rank, hit.found_by["reranker"].score) == (hit.rank, hit.score)
        assert {"bm25", "dense", "cross-lingual"} & set(hit.found_by)
