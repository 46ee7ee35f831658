"""The tables of a project file, as SQLAlchemy 2 typed declarative models.

Children of a run (arrays, curve points, notes, bookmarks, artifacts) are removed by the
database itself (``ON DELETE CASCADE``, with ``PRAGMA foreign_keys=ON`` set on every
connection), so deleting a run is one statement and never loads its blobs.  There are no ORM
relationships: the store reads and writes with explicit statements and hands out plain
dataclasses (``records``), never these objects.  The RAG lab's tables (collections,
documents, chunks, index blobs) are part of the same schema, read and written by
``rag_library``.

Changing a table means adding a migration in ``migrations`` and bumping nothing else: the
current schema version is derived from the list of migrations.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

RUN_STATUSES = ("running", "finished", "failed", "cancelled")


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC (SQLite has no time zones) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store timestamps must be timezone-aware")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _json() -> JSON:
    # none_as_null: a Python None is stored as SQL NULL rather than the JSON text 'null'.
    return JSON(none_as_null=True)


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    """One row per schema version this file has been at; the highest is the current one."""

    __tablename__ = "schema_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class ModelRecord(Base):
    """A model used by some run: its spec (how to load it again) and weight fingerprint."""

    __tablename__ = "models"
    __table_args__ = (UniqueConstraint("fingerprint", "spec"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(_json())
    fingerprint: Mapped[str] = mapped_column(String(128), index=True)
    info: Mapped[dict[str, Any]] = mapped_column(_json())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Run(Base):
    """One execution of a job: parameters, status, timings, metrics and the encoded result."""

    __tablename__ = "runs"
    __table_args__ = (
        CheckConstraint("status IN ({})".format(", ".join(f"'{s}'" for s in RUN_STATUSES)), name="run_status"),
        # AUTOINCREMENT: ids grow with creation order and are never reused after a delete,
        # so a bookmark or note can never silently point at a different run.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(500))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("models.id", ondelete="SET NULL"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(_json())
    status: Mapped[str] = mapped_column(String(16), default="running")
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_s: Mapped[float | None] = mapped_column(Float)
    metrics: Mapped[dict[str, Any] | None] = mapped_column(_json())
    result: Mapped[Any] = mapped_column(_json(), nullable=True)
    """The result with every array replaced by ``{"__array__": name}`` (see ``codec``)."""
    model_state: Mapped[dict[str, Any] | None] = mapped_column(_json())
    """The adapters and edits layered on the model when the run started (``core.model.state.ModelState``
    as JSON; an empty one for the plain base weights); NULL for runs without a model and runs
    stored before schema version 6, whose state is unknown."""


class RunArray(Base):
    """One numpy array of a run's result: ``np.savez_compressed`` bytes, read without pickle."""

    __tablename__ = "run_arrays"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(500), primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class CurvePoint(Base):
    """A point of a live curve (training loss …), written as it arrives during the run."""

    __tablename__ = "curve_points"
    __table_args__ = (Index("ix_curve_points_run_series_step", "run_id", "series", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    series: Mapped[str] = mapped_column(String(200))
    step: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)


class Note(Base):
    """Free text about a run, or about the whole project when ``run_id`` is NULL."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Bookmark(Base):
    """A named run shown in presentation mode, in ``position`` order."""

    __tablename__ = "bookmarks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class Artifact(Base):
    """Opaque bytes a run produced and may be re-applied later (a saved adapter, an edit)."""

    __tablename__ = "artifacts"
    __table_args__ = (UniqueConstraint("run_id", "name"), Index("ix_artifacts_kind_key", "kind", "key"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(64))
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    key: Mapped[str | None] = mapped_column(String(500))
    """What the artifact was computed from, for artifacts found again by it (``find_artifact``)."""


# ------------------------------------------------------------------------------ RAG lab
# Collections, documents, chunks and stored indexes (book §6.3.1).  A document keeps its
# *original* extracted text; a chunk is only offsets into it (and a page for PDFs), so the
# text shown, highlighted and returned is always exactly the source's.  Indexes are blobs
# keyed by (collection, kind, embedder): the chunk embeddings of each embedder ever used
# (so switching back, or evaluating another, re-encodes nothing), the HNSW and IVF graphs
# and the BM25 matrix.  Each blob records the chunk ids it covers, in index order, and the
# collection ``revision`` it was built at; a stale one is rebuilt.  Deleting a collection
# or a document removes what hangs off it (``ON DELETE CASCADE``).


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


# ------------------------------------------------------------------------------ lessons
# A lesson is an ordered list of steps a lecturer steps through in Present mode.  A step
# shows a saved run (``kind='run'``) or describes a live action (``kind='live'``, its
# parameters in ``live``); each has a title and notes in Markdown.  Deleting a lesson
# removes its steps; deleting a run leaves its steps (and their notes) with ``run_id`` NULL.


class Lesson(Base):
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class LessonStep(Base):
    __tablename__ = "lesson_steps"
    __table_args__ = (Index("ix_lesson_steps_lesson_position", "lesson_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="run")
    """``run`` (shows ``run_id``) or ``live`` (an action described by ``live``)."""
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    live: Mapped[dict[str, Any] | None] = mapped_column(_json())
    title: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    view: Mapped[dict[str, Any] | None] = mapped_column(_json())
    """How the lab looked when the step was kept (its tab, sub-views, selected cell …): restored with it."""
