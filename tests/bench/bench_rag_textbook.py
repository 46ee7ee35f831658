"""Throughput of the default RAG settings on a real document: the textbook 大模型基础.

Ingests ``../shared/corpus/foundations-of-llms.zh.txt`` (236 k characters) with the
defaults — what ``workbench-cli rag ingest`` does without options — and reports chunks/s
against raw ``encode`` of the same chunks (the baseline, measured in the same run), then asks
the 80 development questions (``tests/data/rag_textbook``) through the query job, as the
playground does, and reports p50/p95.  Skipped where the book is not beside the project.
Run with ``./dev.sh bench -k textbook`` (≈ 3 min on two idle cores: the book is ≈ 1,000 chunks).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.core.rag import threads
from workbench.core.rag.jobs import ingest_job, open_collection, query_job
from workbench.core.rag.params import IngestParams, QueryParams
from workbench.core.rag.retrieval_metrics import load_queries

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT.parent / "shared" / "corpus" / "foundations-of-llms.zh.txt"
QUESTIONS = ROOT / "tests" / "data" / "rag_textbook" / "dev_questions.jsonl"


@pytest.mark.skipif(not BOOK.is_file(), reason=f"the textbook is not at {BOOK}")
def test_default_ingest_and_query_throughput_on_the_textbook(tmp_path: Path, bench_record) -> None:
    from workbench.store.project import ProjectStore

    threads.configure()
    ctx = JobContext(store=ProjectStore.create(tmp_path / "book.wbproj"))
    started = time.perf_counter()
    result = ingest_job(ctx, IngestParams("book", (str(BOOK),)), Progress(), CancelToken())
    ingest_s = time.perf_counter() - started
    index = open_collection(ctx, "book")
    embedder = index.dense[index.collection.embedder].embedder
    started = time.perf_counter()
    embedder.encode(index.texts)
    raw_s = time.perf_counter() - started

    questions = [query.question for query in load_queries(QUESTIONS)]
    query_job(ctx, QueryParams("book", questions[0]), Progress(), CancelToken())  # warm
    times = []
    for question in questions:
        started = time.perf_counter()
        query_job(ctx, QueryParams("book", question), Progress(), CancelToken())
        times.append(time.perf_counter() - started)
    p50, p95 = (float(np.percentile(times, q)) * 1000 for q in (50, 95))
    print(
        f"\nBENCH rag_textbook: {result.chunks} chunks ({index.collection.embedder}, {index.collection.chunking}); "
        f"ingest {ingest_s:.0f} s = {result.chunks / ingest_s:.1f} chunks/s (encode part {result.encode_s:.0f} s), "
        f"raw encode {result.chunks / raw_s:.1f} chunks/s; query ({len(questions)} questions, hybrid, flat) "
        f"p50 {p50:.1f} / p95 {p95:.1f} ms"
    )
    ctx.store.close()  # type: ignore[union-attr]
    met = [
        bench_record("rag textbook ingest (defaults)", result.chunks / ingest_s, ">", 0, "chunks/s"),
        bench_record("rag textbook ingest vs raw encode", raw_s / ingest_s, ">=", 0.8, "x"),
        bench_record("rag textbook query p95 (defaults)", p95, "<", 100, "ms"),
    ]
    assert all(met)
