"""Reranking by the language model in the query job and the playground's comparison (§6.3.5)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_rag_ingest import SMALL, corpus, ctx, run  # noqa: F401  (fixtures)

from workbench.base.errors import NoModelLoaded
from workbench.base.jobs import JobContext
from workbench.core.model.session import ModelSession
from workbench.core.rag.params import RERANK_DEPTH, CompareRetrieversParams, IngestParams, QueryParams
from workbench.core.rag.rerank import question_likelihood

QUESTION = "Where does the giraffe live?"


@pytest.fixture()
def indexed(ctx: JobContext, corpus: Path, tiny_gpt2, tiny_tokenizer) -> JobContext:  # noqa: F811
    run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    ctx.model = ModelSession.wrap(tiny_gpt2, tiny_tokenizer)
    return ctx


def _model_scores(context: JobContext, texts: list[str]) -> np.ndarray:
    session = context.require_model()
    return question_likelihood(session.model, session.tokenizer, QUESTION, texts)


def test_the_comparison_adds_the_hybrid_candidates_reordered_by_the_model(indexed: JobContext) -> None:
    k = 3
    comparison = run(indexed, CompareRetrieversParams("notes", QUESTION, k=k, rerank=True))
    assert list(comparison.rankings) == ["bm25", "dense", "hybrid", "reranked"]
    assert len(comparison.rankings["hybrid"].results) == k  # the hybrid column is unchanged by reranking
    candidates = run(indexed, QueryParams("notes", QUESTION, k=RERANK_DEPTH, retriever="hybrid")).results
    reranked = comparison.rankings["reranked"].results
    assert len(reranked) == k and comparison.rankings["reranked"].retriever == "reranked"
    expected = _model_scores(indexed, [hit.text for hit in candidates])
    best = np.argsort(-expected, kind="stable")[:k]
    assert [hit.text for hit in reranked] == [candidates[i].text for i in best]
    np.testing.assert_allclose([hit.score for hit in reranked], expected[best], atol=1e-5)
    assert [hit.rank for hit in reranked] == list(range(1, k + 1))


def test_the_query_job_reranks_its_candidates_by_the_model(indexed: JobContext) -> None:
    reranked = run(indexed, QueryParams("notes", QUESTION, k=2, retriever="hybrid", rerank=True)).results
    scores = [hit.score for hit in reranked]
    assert scores == sorted(scores, reverse=True)
    np.testing.assert_allclose(scores, _model_scores(indexed, [hit.text for hit in reranked]), atol=1e-5)


def test_reranking_without_a_model_is_refused_before_ranking(ctx: JobContext, corpus: Path) -> None:  # noqa: F811
    run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    with pytest.raises(NoModelLoaded):
        run(ctx, CompareRetrieversParams("notes", QUESTION, rerank=True))
    assert "reranked" not in run(ctx, CompareRetrieversParams("notes", QUESTION)).rankings
