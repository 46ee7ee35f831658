"""The ingest pipeline: files → documents → chunks → embeddings + BM25 + faiss → project.

Book §6.3.1 (knowledge base construction) and §6.3.4 (indexing).  Work is done once:

* a file whose bytes did not change is left alone; one that changed replaces its document
  and chunks; the same bytes under another name are a duplicate and skipped;
* embeddings are stored per chunk id and embedder, so only new chunks are encoded — a
  changed chunking re-encodes everything, a changed embedder re-encodes what it lacks;
* BM25 and the approximate indexes are rebuilt over all chunks (BM25's idf and the graphs
  depend on every chunk), which costs seconds, not an encoding pass.

The collection is read once at the start (its row, documents and the stored vectors and
chunk languages the ingest reuses) and written once at the end; the result carries the
collection as it then stands (``IngestResult.summary``), built from what the ingest holds,
so the library panel needs no second job to read it back.

Nothing is written until the end, in one transaction, so Cancel leaves the project as it was;
given a checkpoint folder, the vectors encoded so far are kept there batch by batch and a
later ingest of the same chunks resumes from them (``checkpoint``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.core.rag import vector_index
from workbench.core.rag.bm25 import BM25Index, field_terms
from workbench.core.rag.checkpoint import EncodeCheckpoint, text_keys
from workbench.core.rag.chunking import chunk_text, page_numbers, validate
from workbench.core.rag.dense import partition_labels
from workbench.core.rag.embedders import check_name, encode_in_batches, load_embedder
from workbench.core.rag.library_view import collection_summary, companion_of, index_names
from workbench.core.rag.loaders import UnreadableFile, collect_files, document_title, kind_of, load_document
from workbench.core.rag.normalise import detect_language
from workbench.core.rag.params import (
    CHUNK_LANGUAGES,
    CHUNK_LANGUAGES_KEY,
    COMPANION_KIND,
    DEFAULT_EMBEDDER,
    IVF_MIN_VECTORS,
    NO_COMPANION,
    ChunkSettings,
    CollectionSummary,
    FileReport,
    IngestParams,
    IngestProgress,
    IngestResult,
)
from workbench.store import (
    ChunkRows,
    CollectionRow,
    DocumentRow,
    DocumentWrite,
    IndexWrite,
    RagLibrary,
    StoredIndex,
    array_bytes,
    array_from_bytes,
)

Report = Callable[[float, str, Any], None]
_TOKENISE_BATCH = 500
_COMPANION_FROM = 0.8
"""Where the companion's encoding starts in the job's progress: USE encodes about ten times
faster than e5-small, so the primary keeps most of the bar."""


@dataclass(frozen=True)
class _Settings:
    embedder: str
    chunking: ChunkSettings
    sparse_tokenizer: str
    companion: str | None = None
    """A second embedder whose vectors and graphs are kept beside the first (``fusion.COMPANION_SHARES``)."""


@dataclass(frozen=True)
class _Stored:
    """What the ingest reuses of the collection as stored, read once before any work."""

    documents: list[DocumentRow]
    vectors: StoredIndex | None
    """The chunk embeddings of the ingest's embedder."""
    languages: StoredIndex | None
    """The language of each chunk (older collections have none: detected again)."""
    companion_vectors: StoredIndex | None = None
    """The companion's chunk embeddings (also those ``rag eval --embedders`` stored)."""


def _read_stored(library: RagLibrary, collection: CollectionRow | None, settings: _Settings) -> _Stored:
    if collection is None:
        return _Stored([], None, None)
    companion = settings.companion
    return _Stored(
        library.documents(collection.id),
        library.index(collection.id, "embeddings", settings.embedder),
        library.index(collection.id, CHUNK_LANGUAGES, CHUNK_LANGUAGES_KEY),
        None if companion is None else library.index(collection.id, "embeddings", companion),
    )


def companion_after(asked: str | None, stored: str | None, embedder: str) -> str | None:
    """The companion an ingest leaves the collection with: ``asked`` (``NO_COMPANION``: none),
    else the one it has; never the primary embedder itself, whose list would count twice."""
    if asked == NO_COMPANION:
        return None
    name = stored if asked is None else check_name(asked)
    if name == embedder:
        raise InvalidParameters(f"The companion embedder must differ from the embedder ({embedder}).")
    return name


def ingest(
    library: RagLibrary, params: IngestParams, report: Report, cancel: CancelToken, checkpoint: Path | None = None
) -> IngestResult:
    """Add ``params.paths`` to the collection and bring all of its indexes up to date;
    ``checkpoint`` (a folder) keeps encoded batches so that a killed ingest resumes."""
    started = time.perf_counter()
    existing = library.find_collection(params.collection)
    existing_chunking = ChunkSettings(**existing.chunking) if existing else None
    existing_companion = companion_of(library, existing.id) if existing else None
    embedder = check_name(params.embedder or (existing.embedder if existing else DEFAULT_EMBEDDER))
    settings = _Settings(
        embedder,
        params.chunking or existing_chunking or ChunkSettings(),
        params.sparse_tokenizer or (existing.sparse_tokenizer if existing else "jieba"),
        companion_after(params.companion_embedder, existing_companion, embedder),
    )
    validate(settings.chunking)
    stored = _read_stored(library, existing, settings)
    rechunk = existing_chunking is not None and existing_chunking != settings.chunking
    writes, reports = _read_files(params.paths, stored.documents, settings.chunking, rechunk, report, cancel)
    if rechunk:
        rewritten = {w.existing_id for w in writes}
        writes.extend(
            _rechunked(document, settings.chunking)
            for document in stored.documents
            if document.status == "indexed" and document.id not in rewritten
        )
    unchanged = (
        existing is not None
        and not writes
        and existing.embedder == settings.embedder
        and existing.sparse_tokenizer == settings.sparse_tokenizer
        and existing_companion == settings.companion
        and stored.vectors is not None
        and stored.languages is not None  # else: older, re-partition
    )
    if unchanged:
        assert existing is not None
        report(1.0, "Nothing new to index", None)
        kinds = index_names(kind for kind, _, _ in library.index_kinds(existing.id))
        counts = library.chunk_counts(existing.id)
        summary = collection_summary(
            existing.id, existing.name, settings.embedder, settings.chunking, settings.sparse_tokenizer,
            stored.documents, counts, kinds, settings.companion,
        )  # fmt: skip
        return _result(settings, reports, summary, 0, 0.0, started)
    rewritten_ids = {w.existing_id for w in writes if w.existing_id is not None}
    kept = _kept_chunks(library, existing.id, rewritten_ids) if existing else _no_chunks()
    saved = EncodeCheckpoint(checkpoint) if checkpoint is not None else None
    result = _index_and_commit(
        library, params.collection, settings, stored, writes, kept, reports, params.batch_size,
        report, cancel, started, removed=(), checkpoint=saved,
    )  # fmt: skip
    if saved is not None:
        saved.clear()
    return result


def remove_document(library: RagLibrary, document_id: int, report: Report, cancel: CancelToken) -> IngestResult:
    """Drop one document and rebuild the collection's indexes from the stored embeddings."""
    started = time.perf_counter()
    document = library.document(document_id)
    collection = next(c for c in library.collections() if c.id == document.collection_id)
    settings = _Settings(
        collection.embedder,
        ChunkSettings(**collection.chunking),
        collection.sparse_tokenizer,
        companion_of(library, collection.id),
    )
    stored = _read_stored(library, collection, settings)
    kept = _kept_chunks(library, collection.id, {document_id})
    reports = [FileReport(document.source, "removed", document_id=document_id)]
    return _index_and_commit(
        library, collection.name, settings, stored, [], kept, reports, 32, report, cancel, started,
        removed=(document_id,),
    )  # fmt: skip


def _read_files(
    paths: tuple[str, ...],
    old_documents: list[DocumentRow],
    chunking: ChunkSettings,
    rechunk: bool,
    report: Report,
    cancel: CancelToken,
) -> tuple[list[DocumentWrite], list[FileReport]]:
    files, problems = collect_files(paths)
    given = {str(Path(raw).expanduser()) for raw in paths}
    reports = [FileReport(path, _problem_status(path, given), reason) for path, reason in problems]
    by_source = {d.source: d for d in old_documents}
    by_hash = {d.content_hash: d for d in old_documents if d.status == "indexed"}
    writes: list[DocumentWrite] = []
    for number, path in enumerate(files):
        cancel.raise_if_cancelled()
        report(0.1 * number / max(1, len(files)), f"Reading {path.name} ({number + 1}/{len(files)})", None)
        source = str(path)
        old = by_source.get(source)
        try:
            loaded = load_document(path)
        except UnreadableFile as error:
            reports.append(FileReport(source, "failed", str(error)))
            writes.append(
                DocumentWrite(source, path.name, path.suffix.lstrip(".").lower(), "", "", "failed", str(error),
                              existing_id=old.id if old else None)
            )  # fmt: skip
            continue
        if old is not None and old.content_hash == loaded.content_hash and old.status == "indexed":
            status = "rechunked" if rechunk else "unchanged"  # a re-chunk rewrites every document below
            reports.append(FileReport(source, status, document_id=old.id))
            continue
        twin = by_hash.get(loaded.content_hash)
        if twin is not None and twin.source != source:
            twin_id = twin.id if twin.id > 0 else None  # None: the twin is new in this batch
            reports.append(FileReport(source, "duplicate", f"same content as {twin.name}", twin_id))
            continue
        starts, ends = chunk_text(loaded.text, chunking)
        write = DocumentWrite(
            source=source,
            name=path.name,
            kind=loaded.kind,
            content_hash=loaded.content_hash,
            language=detect_language(loaded.text),
            status="indexed",
            text=loaded.text,
            page_starts=loaded.page_starts,
            existing_id=old.id if old else None,
            starts=starts,
            ends=ends,
            pages=page_numbers(starts, loaded.page_starts),
        )
        writes.append(write)
        by_hash[loaded.content_hash] = DocumentRow(
            -1, -1, source, path.name, loaded.kind, loaded.content_hash, write.language, "indexed", "", "", ()
        )
        reports.append(FileReport(source, "replaced" if old else "added", chunks=len(starts)))
    return writes, reports


def _rechunked(document: DocumentRow, chunking: ChunkSettings) -> DocumentWrite:
    starts, ends = chunk_text(document.text, chunking)
    return DocumentWrite(
        source=document.source,
        name=document.name,
        kind=document.kind,
        content_hash=document.content_hash,
        language=document.language,
        status=document.status,
        text=document.text,
        page_starts=document.page_starts,
        existing_id=document.id,
        starts=starts,
        ends=ends,
        pages=page_numbers(starts, document.page_starts),
    )


def _no_chunks() -> ChunkRows:
    empty = np.zeros(0, np.int64)
    return ChunkRows(empty, empty, empty, empty, empty)


def _kept_chunks(library: RagLibrary, collection_id: int, dropped_documents: set[int]) -> ChunkRows:
    rows = library.chunks(collection_id)
    keep = ~np.isin(rows.document_ids, np.fromiter(dropped_documents, np.int64, len(dropped_documents)))
    return ChunkRows(*(getattr(rows, f)[keep] for f in ("ids", "document_ids", "starts", "ends", "pages")))


def _index_and_commit(
    library: RagLibrary,
    name: str,
    settings: _Settings,
    stored: _Stored,
    writes: list[DocumentWrite],
    kept: ChunkRows,
    reports: list[FileReport],
    batch_size: int,
    report: Report,
    cancel: CancelToken,
    started: float,
    removed: tuple[int, ...],
    checkpoint: EncodeCheckpoint | None = None,
) -> IngestResult:
    documents_by_id = {d.id: d for d in stored.documents}
    texts = [
        documents_by_id[int(d)].text[int(s) : int(e)] for d, s, e in zip(kept.document_ids, kept.starts, kept.ends)
    ]
    titles = [document_title(documents_by_id[int(d)].text) for d in kept.document_ids]
    languages = _kept_languages(stored.languages, kept, texts)
    for write in writes:
        texts.extend(write.text[int(s) : int(e)] for s, e in zip(write.starts, write.ends))
        titles.extend([document_title(write.text)] * len(write.starts))
        languages.extend(detect_language(write.text[int(s) : int(e)]) for s, e in zip(write.starts, write.ends))
    companion = settings.companion
    vectors, encoded, encode_s = _vectors(
        stored.vectors, settings.embedder, kept.ids, texts, batch_size, report, cancel, checkpoint,
        span=(0.1, 0.85 if companion is None else _COMPANION_FROM),
    )  # fmt: skip
    sides = [(settings.embedder, vectors)]
    indexes: list[IndexWrite] = []
    if texts:
        indexes.append(IndexWrite("embeddings", settings.embedder, array_bytes(vectors), encode_s))
    if texts and companion is not None:
        companion_vectors, companion_encoded, companion_s = _vectors(
            stored.companion_vectors, companion, kept.ids, texts, batch_size, report, cancel, checkpoint,
            span=(_COMPANION_FROM, 0.85),
        )  # fmt: skip
        encoded, encode_s = encoded + companion_encoded, encode_s + companion_s
        sides.append((companion, companion_vectors))
        indexes.append(IndexWrite("embeddings", companion, array_bytes(companion_vectors), companion_s))
        indexes.append(IndexWrite(COMPANION_KIND, companion, b"", 0.0))
    if texts:
        indexes.append(IndexWrite(CHUNK_LANGUAGES, CHUNK_LANGUAGES_KEY, array_bytes(np.asarray(languages, "U8")), 0.0))
        indexes.append(_sparse(settings.sparse_tokenizer, texts, titles, report, cancel))
        indexes.extend(_graphs(sides, np.asarray(languages), report, cancel))
    report(0.98, "Saving to the project", None)
    cancel.raise_if_cancelled()
    collection_id, order, document_ids = library.commit_ingest(
        name,
        embedder=settings.embedder,
        chunking=asdict(settings.chunking),
        sparse_tokenizer=settings.sparse_tokenizer,
        documents=writes,
        kept_chunk_ids=kept.ids,
        indexes=indexes,
        removed_document_ids=removed,
    )
    report(1.0, f"Indexed {len(order)} chunks", None)
    documents = _documents_after(collection_id, stored.documents, writes, document_ids, removed)
    counts = Counter(kept.document_ids.tolist())
    counts.update({document_id: len(w.starts) for document_id, w in zip(document_ids, writes)})
    summary = collection_summary(
        collection_id, name, settings.embedder, settings.chunking, settings.sparse_tokenizer,
        documents, {d.id: counts[d.id] for d in documents}, index_names(w.kind for w in indexes),
        companion if texts else None,
    )  # fmt: skip
    return _result(settings, reports, summary, encoded, encode_s, started)


def _documents_after(
    collection_id: int,
    before: list[DocumentRow],
    writes: list[DocumentWrite],
    document_ids: list[int],
    removed: tuple[int, ...],
) -> list[DocumentRow]:
    """The collection's documents after the commit: those kept, overwritten and added."""
    written = {
        document_id: DocumentRow(
            document_id,
            collection_id,
            w.source,
            w.name,
            w.kind,
            w.content_hash,
            w.language,
            w.status,
            w.message,
            w.text,
            tuple(w.page_starts),
        )
        for document_id, w in zip(document_ids, writes)
    }
    kept = [d for d in before if d.id not in written and d.id not in removed]
    return sorted([*kept, *written.values()], key=lambda d: d.id)


def _kept_languages(stored: StoredIndex | None, kept: ChunkRows, texts: list[str]) -> list[str]:
    """The language of each kept chunk: stored, or detected from its text (older collections)."""
    known: dict[int, str] = {}
    if stored is not None:
        known = dict(zip(stored.chunk_ids.tolist(), array_from_bytes(stored.blob).tolist()))
    return [known.get(int(i)) or detect_language(texts[p]) for p, i in enumerate(kept.ids.tolist())]


def _vectors(
    stored: StoredIndex | None,
    embedder_name: str,
    kept_ids: np.ndarray,
    texts: list[str],
    batch_size: int,
    report: Report,
    cancel: CancelToken,
    checkpoint: EncodeCheckpoint | None = None,
    span: tuple[float, float] = (0.1, 0.85),
) -> tuple[np.ndarray, int, float]:
    """Stored vectors for kept chunks that have them, then those a killed ingest left in the
    checkpoint; the rest encoded with progress over ``span`` of the job (and each batch kept
    in the checkpoint, keyed by embedder and text, so a companion's batches resume too)."""
    embedder = load_embedder(embedder_name)
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    missing = np.ones(len(texts), dtype=bool)
    if stored is not None and len(kept_ids):
        stored_vectors = array_from_bytes(stored.blob)
        row_of = {int(chunk_id): row for row, chunk_id in enumerate(stored.chunk_ids)}
        for position, chunk_id in enumerate(kept_ids.tolist()):
            row = row_of.get(chunk_id)
            if row is not None:
                vectors[position] = stored_vectors[row]
                missing[position] = False
    keys: list[str] = []
    if checkpoint is not None:
        keys = text_keys(embedder_name, texts)
        resumed = checkpoint.load()
        for position in np.flatnonzero(missing).tolist():
            vector = resumed.get(keys[position])
            if vector is not None and vector.shape == (embedder.dim,):
                vectors[position] = vector
                missing[position] = False
        if resumed:
            report(span[0], f"Resuming: {len(resumed)} chunks were encoded by an earlier ingest", None)
    todo = np.flatnonzero(missing)
    total = len(todo)

    def keep(batch: np.ndarray, batch_vectors: np.ndarray) -> None:
        if checkpoint is not None:
            checkpoint.add([keys[int(todo[i])] for i in batch], batch_vectors)

    def progress(done: int, _total: int, seconds: float) -> None:
        rate = done / seconds if seconds > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else None
        snapshot = IngestProgress(done, total, done, total, rate, eta)
        eta_text = f", {eta:.0f} s left" if eta is not None else ""
        fraction = span[0] + (span[1] - span[0]) * done / max(1, total)
        report(fraction, f"Encoding chunks {done}/{total} ({rate:.1f}/s{eta_text})", snapshot)

    started = time.perf_counter()
    if total:
        report(span[0], f"Encoding {total} chunks with {embedder.name}", None)
        vectors[todo] = encode_in_batches(
            embedder, [texts[i] for i in todo], batch_size=batch_size, report=progress, cancel=cancel, on_batch=keep
        )
    return vectors, total, time.perf_counter() - started


def _sparse(mode: str, texts: list[str], titles: list[str], report: Report, cancel: CancelToken) -> IndexWrite:
    """BM25 over all chunks."""
    started = time.perf_counter()
    chunk_terms: list[list[str]] = []
    for first in range(0, len(texts), _TOKENISE_BATCH):
        cancel.raise_if_cancelled()
        report(0.85 + 0.05 * first / len(texts), "Building the BM25 index", None)
        last = first + _TOKENISE_BATCH
        chunk_terms.extend(field_terms(text, title, mode) for text, title in zip(texts[first:last], titles[first:last]))
    bm25 = BM25Index.build(chunk_terms, mode)
    return IndexWrite("bm25", mode, bm25.to_bytes(), time.perf_counter() - started)


def _graphs(
    sides: list[tuple[str, np.ndarray]], languages: np.ndarray, report: Report, cancel: CancelToken
) -> list[IndexWrite]:
    """For each (embedder, vectors): an HNSW graph (and IVF cells, given enough chunks) per
    language, the partitions ``dense`` searches and standardises separately."""
    plan = []
    labels = partition_labels(languages)
    for language in sorted(set(labels.tolist())):
        positions = np.flatnonzero(labels == language)
        for embedder, vectors in sides:
            plan.append(("hnsw", language, positions, embedder, vectors))
            if len(positions) >= IVF_MIN_VECTORS:
                plan.append(("ivf", language, positions, embedder, vectors))
    indexes = []
    for number, (kind, language, positions, embedder, vectors) in enumerate(plan):
        cancel.raise_if_cancelled()
        report(0.9 + 0.08 * number / len(plan), f"Building the {kind.upper()} index ({language})", None)
        started = time.perf_counter()
        blob = vector_index.to_bytes(vector_index.build(kind, vectors[positions]))
        indexes.append(IndexWrite(f"{kind}:{language}", embedder, blob, time.perf_counter() - started, positions))
    return indexes


def _result(
    settings: _Settings,
    reports: list[FileReport],
    summary: CollectionSummary,
    encoded: int,
    encode_s: float,
    started: float,
) -> IngestResult:
    by_source = {d.source: d.id for d in summary.documents}
    files = [
        r if r.document_id is not None or r.status == "duplicate"
        else FileReport(r.path, r.status, r.message, by_source.get(r.path), r.chunks)
        for r in reports
    ]  # fmt: skip
    return IngestResult(
        collection=summary.name,
        embedder=settings.embedder,
        files=files,
        documents=sum(1 for d in summary.documents if d.status == "indexed"),
        chunks=summary.chunks,
        encoded=encoded,
        indexes=summary.indexes,
        encode_s=encode_s,
        total_s=time.perf_counter() - started,
        summary=summary,
    )


def _problem_status(path: str, given: set[str]) -> str:
    """``skipped`` for a file of a type no loader reads that was found inside a folder (the demo
    encyclopedia's ``index.jsonl`` beside its articles is not a failure of the ingest);
    ``failed`` for a path given itself, or one that cannot be found."""
    return "skipped" if path not in given and kind_of(Path(path)) is None else "failed"
