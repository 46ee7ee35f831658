"""The RAG lab's tables: collections, documents, chunks and stored indexes.

Declared on the project's declarative ``Base`` so a new project creates them with the rest.
A document keeps its *original* extracted text; a chunk is only offsets into it (and a page
for PDFs), so the text shown, highlighted and returned is always exactly the source's.
Indexes are blobs keyed by (collection, kind, embedder): the chunk embeddings of each
embedder ever used (so switching back, or evaluating another, re-encodes nothing), the
HNSW and IVF graphs, and the BM25 matrix.  Each blob records the chunk ids it covers, in
index order, and the collection ``revision`` it was built at; a stale one is rebuilt.
Deleting a collection or a document removes what hangs off it (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import Base, UTCDateTime, utc_now


class RagCollection(Base):
    __tablename__ = "rag_collections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    embedder: Mapped[str] = mapped_column(String(500))
    chunking: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``ChunkSettings`` as a dict."""
    sparse_tokenizer: Mapped[str] = mapped_column(String(32))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    """Bumped whenever the chunks change; indexes built at an older revision are stale."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class RagDocument(Base):
    __tablename__ = "rag_documents"
    __table_args__ = (UniqueConstraint("collection_id", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("rag_collections.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    """Absolute path of the file it was read from."""
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    """``indexed``, or ``failed`` with ``message`` (kept so the library shows why)."""
    message: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    page_starts: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class RagChunk(Base):
    __tablename__ = "rag_chunks"
    __table_args__ = (Index("ix_rag_chunks_document_ordinal", "document_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("rag_collections.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("rag_documents.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)


class RagIndex(Base):
    __tablename__ = "rag_indexes"
    __table_args__ = (UniqueConstraint("collection_id", "kind", "embedder"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("rag_collections.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    """``embeddings`` (float32 matrix), ``hnsw``, ``ivf`` (faiss) or ``bm25``."""
    embedder: Mapped[str] = mapped_column(String(500))
    """The embedder of a dense kind; the sparse tokenizer for ``bm25``."""
    revision: Mapped[int] = mapped_column(Integer)
    chunk_ids: Mapped[bytes] = mapped_column(LargeBinary)
    """int64 chunk ids in index order (``.npy`` bytes)."""
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    items: Mapped[int] = mapped_column(Integer)
    build_s: Mapped[float] = mapped_column(default=0.0)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


RAG_TABLES = [RagCollection.__table__, RagDocument.__table__, RagChunk.__table__, RagIndex.__table__]
