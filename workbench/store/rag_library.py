"""The RAG lab's repository: collections, documents, chunks and index blobs in the project file.

The rows and the SQL stay here, in the store; the core's RAG jobs see only what this module
hands out.  Reads return plain dataclasses and numpy arrays (a collection's chunking as the
plain dict it is stored as; ``core.rag`` turns it into its ``ChunkSettings``); every change of an ingest is one write
transaction (``commit_ingest``), so a cancelled or crashed ingest leaves the collection as
it was.  The tables are part of the project schema (``store.schema``);
``RagLibrary.for_store`` works through the project's short read / write transactions.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from workbench.base.errors import InvalidParameters
from workbench.store.schema import RagChunk, RagCollection, RagDocument, RagIndex, utc_now

if TYPE_CHECKING:
    from workbench.store.project import ProjectStore

SessionFactory = Callable[[], AbstractContextManager[Session]]


class UnknownCollection(InvalidParameters):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        listing = ", ".join(sorted(known)) if known else "none yet; add documents to create one"
        super().__init__(f"There is no collection named {name!r} in this project (collections: {listing}).")


@dataclass(frozen=True)
class CollectionRow:
    id: int
    name: str
    embedder: str
    chunking: dict[str, Any]
    """The ``ChunkSettings`` fields."""
    sparse_tokenizer: str
    revision: int


@dataclass(frozen=True)
class DocumentRow:
    id: int
    collection_id: int
    source: str
    name: str
    kind: str
    content_hash: str
    language: str
    status: str
    message: str
    text: str
    page_starts: tuple[int, ...]


@dataclass(frozen=True)
class ChunkRows:
    """A collection's chunks, column-wise (int64 arrays; ``pages`` −1 where none)."""

    ids: np.ndarray
    document_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    pages: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class StoredIndex:
    kind: str
    embedder: str
    revision: int
    chunk_ids: np.ndarray
    blob: bytes
    build_s: float


@dataclass
class DocumentWrite:
    """A document to insert or overwrite, with its new chunks (none when it failed)."""

    source: str
    name: str
    kind: str
    content_hash: str
    language: str
    status: str
    message: str = ""
    text: str = ""
    page_starts: tuple[int, ...] = ()
    existing_id: int | None = None
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    ends: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    pages: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass(frozen=True)
class IndexWrite:
    kind: str
    embedder: str
    blob: bytes
    build_s: float
    positions: np.ndarray | None = None
    """The chunks it covers, as positions in the collection's new order (None: all of them)."""


def array_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def array_from_bytes(blob: bytes) -> np.ndarray:
    return np.load(io.BytesIO(blob), allow_pickle=False)


class RagLibrary:
    def __init__(self, read: SessionFactory, write: SessionFactory) -> None:
        self._read = read
        self._write = write

    @classmethod
    def for_store(cls, store: ProjectStore) -> RagLibrary:
        """The library of a project: one read snapshot / one ``BEGIN IMMEDIATE`` write per call."""
        return cls(store.read_session, store.write_session)

    # ------------------------------------------------------------------ reading

    def collections(self) -> list[CollectionRow]:
        with self._read() as session:
            return [_collection(row) for row in session.scalars(select(RagCollection).order_by(RagCollection.name))]

    def find_collection(self, name: str) -> CollectionRow | None:
        with self._read() as session:
            row = session.scalar(select(RagCollection).where(RagCollection.name == name))
            return None if row is None else _collection(row)

    def collection(self, name: str) -> CollectionRow:
        found = self.find_collection(name)
        if found is None:
            raise UnknownCollection(name, [c.name for c in self.collections()])
        return found

    def documents(self, collection_id: int) -> list[DocumentRow]:
        with self._read() as session:
            rows = session.scalars(
                select(RagDocument).where(RagDocument.collection_id == collection_id).order_by(RagDocument.id)
            )
            return [_document(row) for row in rows]

    def document(self, document_id: int) -> DocumentRow:
        with self._read() as session:
            row = session.get(RagDocument, document_id)
            if row is None:
                raise InvalidParameters(f"There is no document with id {document_id} in this project.")
            return _document(row)

    def chunks(self, collection_id: int, document_id: int | None = None) -> ChunkRows:
        query = select(RagChunk.id, RagChunk.document_id, RagChunk.start, RagChunk.end, RagChunk.page)
        query = query.where(RagChunk.collection_id == collection_id)
        if document_id is not None:
            query = query.where(RagChunk.document_id == document_id)
        with self._read() as session:
            rows = session.execute(query.order_by(RagChunk.document_id, RagChunk.ordinal)).all()
        if not rows:
            empty = np.zeros(0, np.int64)
            return ChunkRows(empty, empty, empty, empty, empty)
        table = np.asarray([(i, d, s, e, -1 if p is None else p) for i, d, s, e, p in rows], dtype=np.int64)
        return ChunkRows(*(table[:, column].copy() for column in range(5)))

    def chunk_counts(self, collection_id: int) -> dict[int, int]:
        query = select(RagChunk.document_id, func.count()).where(RagChunk.collection_id == collection_id)
        with self._read() as session:
            rows = session.execute(query.group_by(RagChunk.document_id)).all()
        return {int(document): int(count) for document, count in rows}

    def index(self, collection_id: int, kind: str, embedder: str) -> StoredIndex | None:
        query = select(RagIndex).where(
            RagIndex.collection_id == collection_id, RagIndex.kind == kind, RagIndex.embedder == embedder
        )
        with self._read() as session:
            row = session.scalar(query)
            if row is None:
                return None
            return StoredIndex(
                row.kind, row.embedder, row.revision, array_from_bytes(row.chunk_ids), row.blob, row.build_s
            )

    def index_kinds(self, collection_id: int) -> list[tuple[str, str, int]]:
        """(kind, embedder, revision) of every stored index blob."""
        query = select(RagIndex.kind, RagIndex.embedder, RagIndex.revision).where(
            RagIndex.collection_id == collection_id
        )
        with self._read() as session:
            return [tuple(row) for row in session.execute(query.order_by(RagIndex.kind)).all()]  # type: ignore[misc]  # tuple() of a row: mypy cannot size it to the declared tuple type

    # ------------------------------------------------------------------ writing

    def commit_ingest(
        self,
        name: str,
        *,
        embedder: str,
        chunking: Mapping[str, Any],
        sparse_tokenizer: str,
        documents: Sequence[DocumentWrite],
        kept_chunk_ids: np.ndarray,
        indexes: Sequence[IndexWrite],
        removed_document_ids: Sequence[int] = (),
    ) -> tuple[int, np.ndarray, list[int]]:
        """Write an ingest in one transaction.

        The collection's chunks afterwards are ``kept_chunk_ids`` followed by the new chunks
        of ``documents`` in order; every index without its own ``chunk_ids`` covers exactly
        that order (or the positions it names in it).  A rewritten document loses its old chunks; ``removed_document_ids`` go
        with theirs; index blobs not rewritten are dropped (except stored embeddings, which
        stay valid per chunk id).
        Returns (collection id, the chunk ids in index order, the id of each document).
        """
        now = utc_now()
        settings = {"embedder": embedder, "chunking": dict(chunking), "sparse_tokenizer": sparse_tokenizer}
        with self._write() as session:
            collection = session.scalar(select(RagCollection).where(RagCollection.name == name))
            if collection is None:
                collection = RagCollection(name=name, revision=0, created_at=now, **settings)
                session.add(collection)
                session.flush()
            collection_id = collection.id
            revision = collection.revision + 1
            session.execute(
                update(RagCollection)
                .where(RagCollection.id == collection_id)
                .values(revision=revision, updated_at=now, **settings)
            )
            if removed_document_ids:
                session.execute(delete(RagDocument).where(RagDocument.id.in_(list(removed_document_ids))))
            document_ids: list[int] = []
            rows: list[dict[str, Any]] = []
            for write in documents:
                document_id = _upsert_document(session, collection_id, write, now)
                document_ids.append(document_id)
                session.execute(delete(RagChunk).where(RagChunk.document_id == document_id))
                rows.extend(
                    {
                        "collection_id": collection_id,
                        "document_id": document_id,
                        "ordinal": ordinal,
                        "start": int(start),
                        "end": int(end),
                        "page": None if page < 0 else int(page),
                    }
                    for ordinal, (start, end, page) in enumerate(zip(write.starts, write.ends, write.pages))
                )
            if rows:
                session.execute(insert(RagChunk), rows)
            new_ids = dict.fromkeys(document_ids)
            found = session.execute(
                select(RagChunk.document_id, RagChunk.ordinal, RagChunk.id).where(
                    RagChunk.collection_id == collection_id
                )
            ).all()
            by_position = {(d, o): i for d, o, i in found if d in new_ids}
            new_chunk_ids = [by_position[(row["document_id"], row["ordinal"])] for row in rows]
            order = np.concatenate([kept_chunk_ids.astype(np.int64), np.asarray(new_chunk_ids, np.int64)])
            session.execute(
                delete(RagIndex).where(RagIndex.collection_id == collection_id, RagIndex.kind != "embeddings")
            )
            for write_index in indexes:
                ids = order if write_index.positions is None else order[write_index.positions]
                _store_index(session, collection_id, revision, write_index, ids, now)
        return collection_id, order, document_ids

    def store_embeddings(
        self, collection_id: int, embedder: str, chunk_ids: np.ndarray, vectors: np.ndarray, seconds: float
    ) -> None:
        """Keep another embedder's chunk vectors (computed for an evaluation) for next time."""
        with self._write() as session:
            revision = session.scalar(select(RagCollection.revision).where(RagCollection.id == collection_id)) or 0
            blob = IndexWrite("embeddings", embedder, array_bytes(vectors), seconds)
            _store_index(session, collection_id, revision, blob, chunk_ids, utc_now())

    def delete_collection(self, name: str) -> None:
        collection = self.collection(name)
        with self._write() as session:
            session.execute(delete(RagCollection).where(RagCollection.id == collection.id))


def _store_index(
    session: Session, collection_id: int, revision: int, write: IndexWrite, ids: np.ndarray, now: datetime
) -> None:
    session.execute(
        delete(RagIndex).where(
            RagIndex.collection_id == collection_id, RagIndex.kind == write.kind, RagIndex.embedder == write.embedder
        )
    )
    session.execute(
        insert(RagIndex).values(
            collection_id=collection_id,
            kind=write.kind,
            embedder=write.embedder,
            revision=revision,
            chunk_ids=array_bytes(np.asarray(ids, np.int64)),
            blob=write.blob,
            items=len(ids),
            build_s=write.build_s,
            built_at=now,
        )
    )


def _upsert_document(session: Session, collection_id: int, write: DocumentWrite, now: datetime) -> int:
    values = {
        "source": write.source,
        "name": write.name,
        "kind": write.kind,
        "content_hash": write.content_hash,
        "language": write.language,
        "status": write.status,
        "message": write.message,
        "text": write.text,
        "page_starts": list(write.page_starts),
        "updated_at": now,
    }
    if write.existing_id is not None:
        session.execute(update(RagDocument).where(RagDocument.id == write.existing_id).values(**values))
        return write.existing_id
    document = RagDocument(collection_id=collection_id, created_at=now, **values)
    session.add(document)
    session.flush()  # assigns the id
    return document.id


def _collection(row: RagCollection) -> CollectionRow:
    return CollectionRow(row.id, row.name, row.embedder, dict(row.chunking), row.sparse_tokenizer, row.revision)


def _document(row: RagDocument) -> DocumentRow:
    return DocumentRow(
        row.id,
        row.collection_id,
        row.source,
        row.name,
        row.kind,
        row.content_hash,
        row.language,
        row.status,
        row.message,
        row.text,
        tuple(row.page_starts or ()),
    )
