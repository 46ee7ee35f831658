"""What the library panel shows of a collection: its documents, chunk counts and indexes.

Built from rows the caller already holds, so an ingest hands the panel its collection as it
stands after the commit without a second job reading the library back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from workbench.core.rag.params import (
    CHUNK_LANGUAGES,
    COMPANION_KIND,
    ChunkSettings,
    CollectionSummary,
    DocumentSummary,
)
from workbench.store import DocumentRow, RagLibrary


def index_names(stored_kinds: Iterable[str]) -> list[str]:
    """What a person can query: ``flat`` (always, rebuilt from embeddings), ``bm25``, and each
    stored faiss kind once (``hnsw:en`` and ``hnsw:zh`` are the one HNSW index)."""
    kinds = {kind.split(":", 1)[0] for kind in stored_kinds} - {"embeddings", CHUNK_LANGUAGES, COMPANION_KIND}
    return ["flat", *sorted(kinds)] if kinds else []


def companion_of(library: RagLibrary, collection_id: int) -> str | None:
    """The collection's companion embedder (``params.COMPANION_KIND``), None without one."""
    return next((embedder for kind, embedder, _ in library.index_kinds(collection_id) if kind == COMPANION_KIND), None)


def collection_summary(
    collection_id: int,
    name: str,
    embedder: str,
    chunking: ChunkSettings,
    sparse_tokenizer: str,
    documents: Sequence[DocumentRow],
    chunk_counts: Mapping[int, int],
    indexes: list[str],
    companion: str | None = None,
) -> CollectionSummary:
    """One collection of the library tree (documents in id order, as the library lists them)."""
    summaries = [
        DocumentSummary(
            d.id,
            collection_id,
            d.name,
            d.source,
            d.kind,
            d.language,
            d.status,
            d.message,
            len(d.text),
            chunk_counts.get(d.id, 0),
            len(d.page_starts),
        )
        for d in sorted(documents, key=lambda d: d.id)
    ]
    return CollectionSummary(
        collection_id, name, embedder, chunking, sparse_tokenizer, summaries, sum(chunk_counts.values()), indexes,
        companion,
    )  # fmt: skip
