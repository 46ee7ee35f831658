"""The RAG jobs: thin wrappers that the worker and the CLI run (parameters in ``params``).

An opened collection (vectors, faiss graphs, BM25 matrix) stays in memory between jobs (in
the job context's ``memory``) and is reopened only when its revision in the project changes,
so a query costs milliseconds rather than a reload.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from workbench.base.errors import InvalidParameters, ProjectError
from workbench.base.jobs import CancelToken, Progress, job
from workbench.core.context import CoreContext
from workbench.core.rag import answering, checkpoint, threads
from workbench.core.rag.chat_format import INSTRUCT_NO_CONTEXT_TEMPLATES, INSTRUCT_TEMPLATES, resolve_for_model
from workbench.core.rag.chunking import chunk_text, page_numbers
from workbench.core.rag.citations import cite
from workbench.core.rag.dense import DenseSearch
from workbench.core.rag.embedders import check_name, encode_in_batches, load_embedder
from workbench.core.rag.estimate import chunks_of_length, estimate_ingest
from workbench.core.rag.ingest import companion_after, ingest, remove_document
from workbench.core.rag.library_view import collection_summary, companion_of, index_names
from workbench.core.rag.loaders import UnreadableFile, load_document
from workbench.core.rag.params import (
    DEFAULT_EMBEDDER,
    NO_CONTEXT_TEMPLATES,
    RERANK_DEPTH,
    TEMPLATES,
    AnswerResult,
    AskParams,
    ChunkLayout,
    ChunkSettings,
    CompareRetrieversParams,
    ComparisonResult,
    DeleteCollectionParams,
    DocumentChunksParams,
    EstimateIngestParams,
    EvalParams,
    EvalResult,
    IngestEstimate,
    IngestParams,
    IngestResult,
    LibrarySnapshot,
    ListCollectionsParams,
    PreviewChunksParams,
    QueryParams,
    QueryResult,
    RemoveDocumentParams,
)
from workbench.core.rag.retrieval import CollectionIndex, Ranking, record_path
from workbench.core.rag.retrieval_metrics import Config, evaluate, load_queries
from workbench.core.rag.structure import heading_paths
from workbench.store import RagLibrary, array_from_bytes


def library_of(ctx: CoreContext) -> RagLibrary:
    if ctx.store is None:
        raise ProjectError("No project is open. Open or create a project first; collections are stored in it.")
    return RagLibrary.for_store(ctx.store)


def open_collection(ctx: CoreContext, name: str) -> CollectionIndex:
    """The collection ``name`` ready to query, from memory when its revision is unchanged."""
    library = library_of(ctx)
    collection = library.collection(name)
    key = _memory_key(ctx, name)
    cached = ctx.memory.get(key)
    if isinstance(cached, CollectionIndex) and (cached.collection.id, cached.collection.revision) == (
        collection.id,
        collection.revision,
    ):
        return cached
    threads.configure()
    vectors_folder = Path(f"{ctx.store.path}.vectors") if ctx.store is not None else None
    index = CollectionIndex.open(library, name, vectors_folder)
    ctx.memory[key] = index
    return index


def _memory_key(ctx: CoreContext, name: str) -> tuple[str, str, str]:
    return ("rag collection", str(ctx.store.path) if ctx.store is not None else "", name)


def _forget(ctx: CoreContext, name: str) -> None:
    ctx.memory.pop(_memory_key(ctx, name), None)


# ---------------------------------------------------------------------------- jobs


@job(IngestParams)
def ingest_job(ctx: CoreContext, params: IngestParams, progress: Progress, cancel: CancelToken) -> IngestResult:
    if not params.collection.strip():
        raise InvalidParameters("The collection needs a name.")
    threads.configure()
    library = library_of(ctx)
    folder = checkpoint.folder_for(ctx.store.path, params.collection) if ctx.store is not None else None
    result = ingest(library, params, progress, cancel, folder)
    _forget(ctx, params.collection)
    return result


@job(EstimateIngestParams, saves_run=False)
def estimate_ingest_job(
    ctx: CoreContext, params: EstimateIngestParams, progress: Progress, cancel: CancelToken
) -> IngestEstimate:
    """The ingest ``params.ingest`` would run, estimated with the settings it would use: its
    own, else the collection's, else the defaults.  Works without a project (a new one)."""
    ingest_params = params.ingest
    library = library_of(ctx) if ctx.store is not None else None
    existing = library.find_collection(ingest_params.collection) if library is not None else None
    embedder = check_name(ingest_params.embedder or (existing.embedder if existing else DEFAULT_EMBEDDER))
    stored_chunking = ChunkSettings(**existing.chunking) if existing else None
    chunking = ingest_params.chunking or stored_chunking or ChunkSettings()
    stored_companion = companion_of(library, existing.id) if library is not None and existing else None
    companion = companion_after(ingest_params.companion_embedder, stored_companion, embedder)
    known: frozenset[str] = frozenset()
    extra = companion_extra = 0
    if library is not None and existing is not None:
        documents = [d for d in library.documents(existing.id) if d.status == "indexed"]
        stored_text = sum(len(d.text) for d in documents)
        rechunk = stored_chunking != chunking
        if rechunk or existing.embedder != embedder:
            extra = stored_text  # re-chunked or re-encoded; the new files count below
        else:
            known = frozenset(d.content_hash for d in documents)
        if companion is not None and rechunk:
            companion_extra = chunks_of_length(stored_text, chunking)  # every chunk is cut anew
        elif companion is not None and library.index(existing.id, "embeddings", companion) is None:
            companion_extra = sum(library.chunk_counts(existing.id).values())  # new: all stored chunks
    progress(0.1, "Estimating the ingest")
    threads.configure()
    estimate = estimate_ingest(
        ingest_params.paths, chunking, embedder, chunks_per_s=params.chunks_per_s, known_hashes=known,
        extra_characters=extra, companion=companion, companion_extra_chunks=companion_extra,
        companion_chunks_per_s=params.chunks_per_s, cancel=cancel,
    )  # fmt: skip
    if ctx.store is None or not (estimate.chunks or estimate.companion_chunks):
        return estimate
    saved = checkpoint.EncodeCheckpoint(checkpoint.folder_for(ctx.store.path, ingest_params.collection))
    resumed = min(estimate.chunks + estimate.companion_chunks, saved.count())
    return estimate.resumed_from(resumed) if resumed else estimate  # encoded batches are not encoded again


@job(QueryParams)
def query_job(ctx: CoreContext, params: QueryParams, progress: Progress, cancel: CancelToken) -> QueryResult:
    index = open_collection(ctx, params.collection)
    progress(0.3, f"Searching {params.collection}")
    depth = max(params.k, RERANK_DEPTH) if params.rerank else params.k
    ranking = index.rank(
        params.query, params.retriever, depth, index=params.index, rrf_k=params.rrf_k,
        weights=(params.dense_weight, params.bm25_weight), fusion=params.fusion,
    )  # fmt: skip
    if params.rerank:
        ranking = _reranked(ctx, index, params.query, ranking, params.k, cancel)
    progress(1.0, f"{len(ranking.positions)} chunks")
    embedder = index.embedder_label(params.retriever)
    return QueryResult(params.query, params.retriever, params.index, embedder, index.hits(ranking), ranking.latency_ms)


@job(CompareRetrieversParams)
def compare_job(
    ctx: CoreContext, params: CompareRetrieversParams, progress: Progress, cancel: CancelToken
) -> ComparisonResult:
    if params.rerank:
        ctx.require_model()  # before any ranking: reranking needs the language model
    index = open_collection(ctx, params.collection)
    steps = 4 if params.rerank else 3

    def shown(retriever: str, ranking: Ranking) -> QueryResult:
        embedder = index.embedder_label(retriever)
        return QueryResult(params.query, retriever, params.index, embedder, index.hits(ranking), ranking.latency_ms)

    rankings = {}
    for number, retriever in enumerate(("bm25", "dense", "hybrid")):
        cancel.raise_if_cancelled()
        progress(number / steps, f"Ranking with {retriever}")
        ranking = index.rank(
            params.query, retriever, params.k, index=params.index, rrf_k=params.rrf_k, fusion=params.fusion
        )
        rankings[retriever] = shown(retriever, ranking)
    if params.rerank:
        progress(3 / steps, f"Reranking the top {max(params.k, RERANK_DEPTH)} hybrid chunks with the model")
        started = time.perf_counter()
        candidates = index.rank(
            params.query, "hybrid", max(params.k, RERANK_DEPTH), index=params.index, rrf_k=params.rrf_k,
            fusion=params.fusion,
        )  # fmt: skip
        reranked = _reranked(ctx, index, params.query, candidates, params.k, cancel)
        took_ms = 1000 * (time.perf_counter() - started)  # retrieval and reranking
        rankings["reranked"] = shown("reranked", replace(reranked, latency_ms=took_ms))
    progress(1.0, "Ranked")
    return ComparisonResult(params.query, rankings, params.fusion, index.companion)


@job(AskParams)
def ask_job(ctx: CoreContext, params: AskParams, progress: Progress, cancel: CancelToken) -> AnswerResult:
    session = ctx.require_model()
    if not params.question.strip():
        raise InvalidParameters("The question is empty.")
    index = open_collection(ctx, params.collection)
    progress(0.1, "Retrieving")
    ranking = index.rank(params.question, params.retriever, params.k, index=params.index, fusion=params.fusion)
    hits = index.hits(ranking)
    cancel.raise_if_cancelled()
    progress(0.4, "Answering with the retrieved chunks")
    template = resolve_for_model(session.tokenizer, params.template, params.question, TEMPLATES, INSTRUCT_TEMPLATES)
    text, prompt = answering.answer(
        session.require_loaded(),
        session.tokenizer,
        template,
        params.question,
        [h.text for h in hits],
        params.max_new_tokens,
    )
    plain_answer = plain_prompt = None
    if params.compare_without_retrieval:
        cancel.raise_if_cancelled()
        progress(0.7, "Answering without retrieval")
        plain_template = resolve_for_model(
            session.tokenizer,
            params.no_context_template,
            params.question,
            NO_CONTEXT_TEMPLATES,
            INSTRUCT_NO_CONTEXT_TEMPLATES,
        )
        plain_answer, plain = answering.answer(
            session.require_loaded(), session.tokenizer, plain_template, params.question, [], params.max_new_tokens
        )
        plain_prompt = plain.text
    sources = hits[: prompt.used]
    citations = cite(text, sources, prompt.text, params.question, index.collection.sparse_tokenizer, by_meaning=True)
    progress(1.0, "Answered")
    return AnswerResult(params.question, text, prompt.text, sources, plain_answer, plain_prompt, citations)


@job(EvalParams)
def eval_job(ctx: CoreContext, params: EvalParams, progress: Progress, cancel: CancelToken) -> EvalResult:
    queries = load_queries(params.queries_path)[: params.limit]
    index = open_collection(ctx, params.collection)
    embedders = [index.collection.embedder]
    embedders += [check_name(name) for name in params.embedders if check_name(name) not in embedders]
    for number, name in enumerate(embedders[1:]):
        progress(0.3 * number / len(embedders), f"Vectors of {name}")
        if name not in index.dense:
            index.add_dense(_extra_embeddings(ctx, index, name, progress, cancel))
    configs = []
    for retriever in params.retrievers:
        if retriever == "bm25":
            configs.append(Config("bm25", "-", "-"))
            continue
        configs.extend(Config(retriever, name, kind) for name in embedders for kind in params.indexes)
    rows, skipped = evaluate(
        index, queries, configs, rrf_k=params.rrf_k, fusion=params.fusion, cancel=cancel,
        report=lambda fraction, message: progress(0.3 + 0.7 * fraction, message),
    )  # fmt: skip
    own = index.collection.embedder  # its hybrid rows fuse the companion in too: say so
    rows = [replace(row, embedder=index.embedder_label(row.retriever)) if row.embedder == own else row for row in rows]
    return EvalResult(params.collection, params.queries_path, rows, len(queries), skipped)


@job(ListCollectionsParams, saves_run=False)
def library_job(
    ctx: CoreContext, params: ListCollectionsParams, progress: Progress, cancel: CancelToken
) -> LibrarySnapshot:
    library = library_of(ctx)
    return LibrarySnapshot(
        [
            collection_summary(
                collection.id,
                collection.name,
                collection.embedder,
                ChunkSettings(**collection.chunking),
                collection.sparse_tokenizer,
                library.documents(collection.id),
                library.chunk_counts(collection.id),
                index_names(kind for kind, _, _ in library.index_kinds(collection.id)),
                companion_of(library, collection.id),
            )
            for collection in library.collections()
        ]
    )


@job(DocumentChunksParams, saves_run=False)
def document_job(
    ctx: CoreContext, params: DocumentChunksParams, progress: Progress, cancel: CancelToken
) -> ChunkLayout:
    library = library_of(ctx)
    document = library.document(params.document_id)
    collection = next(c for c in library.collections() if c.id == document.collection_id)
    chunks = library.chunks(collection.id, document.id)
    return ChunkLayout(
        document.name,
        document.text,
        chunks.starts,
        chunks.ends,
        chunks.pages,
        ChunkSettings(**collection.chunking),
        document.message,
        heading_paths(document.text, chunks.starts),
    )


@job(PreviewChunksParams, saves_run=False)
def preview_job(ctx: CoreContext, params: PreviewChunksParams, progress: Progress, cancel: CancelToken) -> ChunkLayout:
    """Chunk boundaries under ``params.chunking`` before anything is indexed."""
    if params.document_id is not None:
        document = library_of(ctx).document(params.document_id)
        title, text, page_starts = document.name, document.text, document.page_starts
    elif params.path:
        try:
            loaded = load_document(Path(params.path).expanduser())
        except UnreadableFile as error:
            no_chunks = np.zeros(0, np.int64)
            return ChunkLayout(
                Path(params.path).name, "", no_chunks, no_chunks.copy(), no_chunks.copy(), params.chunking, str(error)
            )
        title, text, page_starts = loaded.path.name, loaded.text, loaded.page_starts
    else:
        raise InvalidParameters("Choose a file or a stored document to preview.")
    starts, ends = chunk_text(text, params.chunking)
    return ChunkLayout(
        title,
        text,
        starts,
        ends,
        page_numbers(starts, page_starts),
        params.chunking,
        headings=heading_paths(text, starts),
    )


@job(DeleteCollectionParams, saves_run=False)
def delete_collection_job(
    ctx: CoreContext, params: DeleteCollectionParams, progress: Progress, cancel: CancelToken
) -> None:
    library_of(ctx).delete_collection(params.collection)
    _forget(ctx, params.collection)


@job(RemoveDocumentParams, saves_run=False)
def remove_document_job(
    ctx: CoreContext, params: RemoveDocumentParams, progress: Progress, cancel: CancelToken
) -> IngestResult:
    threads.configure()
    result = remove_document(library_of(ctx), params.document_id, progress, cancel)
    _forget(ctx, result.collection)
    return result


# ---------------------------------------------------------------------------- pieces


def _reranked(
    ctx: CoreContext, index: CollectionIndex, query: str, ranking: Ranking, k: int, cancel: CancelToken
) -> Ranking:
    from workbench.core.rag.rerank import question_likelihood

    session = ctx.require_model()
    texts = [index.texts[int(p)] for p in ranking.positions]
    scores = question_likelihood(session.require_loaded(), session.tokenizer, query, texts, cancel=cancel)
    order = np.argsort(-scores, kind="stable")[:k]
    found_by = {p: dict(paths) for p, paths in ranking.found_by.items()}
    record_path(found_by, "reranker", ranking.positions[order], scores[order])
    return Ranking(ranking.positions[order], scores[order], ranking.query_terms, ranking.latency_ms, found_by)


def _extra_embeddings(
    ctx: CoreContext, index: CollectionIndex, name: str, progress: Progress, cancel: CancelToken
) -> DenseSearch:
    """Another embedder's vectors of the collection: stored ones if they cover every chunk, else encoded and stored."""
    library = library_of(ctx)
    stored = library.index(index.collection.id, "embeddings", name)
    if stored is not None and np.array_equal(stored.chunk_ids, index.chunks.ids):
        return DenseSearch(name, array_from_bytes(stored.blob), index.languages)
    embedder = load_embedder(name)

    def report(done: int, total: int, seconds: float) -> None:
        progress(0.3 * done / total, f"Encoding with {name}: {done}/{total} ({done / max(seconds, 1e-9):.1f}/s)")

    started = time.perf_counter()
    vectors = encode_in_batches(embedder, index.texts, report=report, cancel=cancel)
    library.store_embeddings(index.collection.id, name, index.chunks.ids, vectors, time.perf_counter() - started)
    return DenseSearch(name, vectors, index.languages)
