"""A collection loaded for querying: BM25, dense (flat / HNSW / IVF) and hybrid (book §6.3.3; ``fusion``).

A collection ingested with a companion embedder (``IngestParams.companion_embedder``) loads
that embedder's vectors and graphs too, and its hybrid search fuses three lists.

Opening reads the stored blobs — embeddings, HNSW/IVF graphs per language, BM25 matrix — and
re-encodes nothing; only the exact (flat) indexes are rebuilt, by copying the stored vectors.
Dense search is partitioned by each chunk's own language and standardised (``dense``).  Positions
in every index are positions in ``chunk_ids``, the order the ingest wrote.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.core.rag import vector_index
from workbench.core.rag.bm25 import BM25Index
from workbench.core.rag.chunking import page_numbers
from workbench.core.rag.dense import DenseSearch
from workbench.core.rag.fusion import RankedList, fuse
from workbench.core.rag.library_view import companion_of
from workbench.core.rag.normalise import detect_language
from workbench.core.rag.params import (
    CHUNK_LANGUAGES,
    CHUNK_LANGUAGES_KEY,
    DEFAULT_FUSION,
    FUSIONS,
    Hit,
    PathRank,
)
from workbench.core.rag.sparse_tokens import load_segmenter, matched_spans, terms
from workbench.core.rag.structure import Outline
from workbench.store import (
    ChunkRows,
    CollectionRow,
    DocumentRow,
    RagLibrary,
    array_from_bytes,
)

HYBRID_DEPTH = 50
"""Candidates taken from each retriever before fusion (at least ``k``)."""


class EmptyCollection(InvalidParameters):
    def __init__(self, name: str) -> None:
        super().__init__(f"The collection {name!r} has no indexed chunks yet; ingest some documents first.")


@dataclass(frozen=True)
class Ranking:
    positions: np.ndarray
    scores: np.ndarray
    query_terms: list[str]
    latency_ms: float
    found_by: dict[int, dict[str, PathRank]] = field(default_factory=dict)
    """Per position: the retrieval paths whose own list held it, with its rank and score there."""


Provenance = dict[int, dict[str, PathRank]]


def record_path(found_by: Provenance, path: str | np.ndarray, positions: np.ndarray, scores: np.ndarray) -> None:
    """Note each position's rank and score in one path's list (best first); ``path`` is one
    name for the whole list, or one name per position (dense: same- or cross-lingual)."""
    names = np.broadcast_to(np.asarray(path), len(positions))
    for rank, (position, score, name) in enumerate(zip(positions.tolist(), scores.tolist(), names.tolist()), start=1):
        found_by.setdefault(int(position), {})[str(name)] = PathRank(rank, float(score))


class CollectionIndex:
    def __init__(
        self,
        collection: CollectionRow,
        documents: dict[int, DocumentRow],
        chunks: ChunkRows,
        bm25: BM25Index,
        dense: DenseSearch,
        companion: DenseSearch | None = None,
    ) -> None:
        self.collection = collection
        self.documents = documents
        self.chunks = chunks
        self.bm25 = bm25
        self.dense = {dense.embedder_name: dense}
        self.companion = None if companion is None else companion.embedder_name
        """The second embedder hybrid search fuses in (its search is in ``dense`` too)."""
        if companion is not None:
            self.add_dense(companion)
        self.languages = dense.languages
        """The language of each chunk (``dense`` partitions by it)."""
        self.outlines: dict[int, Outline] = {}
        """Each document's headings, found when one of its chunks is first shown."""
        self.texts = [
            documents[int(d)].text[int(s) : int(e)] for d, s, e in zip(chunks.document_ids, chunks.starts, chunks.ends)
        ]

    @classmethod
    def open(cls, library: RagLibrary, name: str, disk_folder: Path | None = None) -> CollectionIndex:
        """``name`` ready to query; big partitions keep their IVF index under ``disk_folder``
        (one folder per collection revision, so a changed collection never reads a stale one)."""
        collection = library.collection(name)
        embeddings = library.index(collection.id, "embeddings", collection.embedder)
        bm25_blob = library.index(collection.id, "bm25", collection.sparse_tokenizer)
        if embeddings is None or bm25_blob is None or len(embeddings.chunk_ids) == 0:
            raise EmptyCollection(name)
        rows = library.chunks(collection.id)
        order = embeddings.chunk_ids
        if not np.array_equal(bm25_blob.chunk_ids, order):
            raise InvalidParameters(f"The stored indexes of {name!r} disagree; ingest into it again to rebuild them.")
        lookup = {int(chunk_id): i for i, chunk_id in enumerate(rows.ids)}
        take = np.asarray([lookup[int(chunk_id)] for chunk_id in order], dtype=np.int64)
        chunks = ChunkRows(*(getattr(rows, f)[take] for f in ("ids", "document_ids", "starts", "ends", "pages")))
        documents = {d.id: d for d in library.documents(collection.id)}
        languages = np.asarray([documents[int(d)].language for d in chunks.document_ids])
        stored_languages = library.index(collection.id, CHUNK_LANGUAGES, CHUNK_LANGUAGES_KEY)
        if stored_languages is not None and np.array_equal(stored_languages.chunk_ids, order):
            languages = array_from_bytes(stored_languages.blob)  # per chunk; older collections: per document
        revision_folder = None if disk_folder is None else disk_folder / f"{collection.id}-r{collection.revision}"
        dense = DenseSearch(
            collection.embedder, array_from_bytes(embeddings.blob), languages, disk_folder=revision_folder
        )
        _attach_graphs(library, collection.id, dense, order)
        companion = None
        companion_name = companion_of(library, collection.id)
        stored_companion = (
            None if companion_name is None else library.index(collection.id, "embeddings", companion_name)
        )
        if companion_name is not None and stored_companion is not None:
            if not np.array_equal(stored_companion.chunk_ids, order):
                raise InvalidParameters(f"The {companion_name} vectors of {name!r} are stale; ingest into it again.")
            companion = DenseSearch(
                companion_name, array_from_bytes(stored_companion.blob), languages, disk_folder=revision_folder
            )
            _attach_graphs(library, collection.id, companion, order)
        bm25 = BM25Index.from_bytes(bm25_blob.blob, len(order), collection.sparse_tokenizer)
        return cls(collection, documents, chunks, bm25, dense, companion)

    def __len__(self) -> int:
        return len(self.texts)

    def add_dense(self, side: DenseSearch) -> None:
        self.dense[side.embedder_name] = side

    # ------------------------------------------------------------------ ranking

    def rank(
        self,
        query: str,
        retriever: str,
        k: int,
        *,
        index: str = "flat",
        embedder: str | None = None,
        rrf_k: int = 60,
        weights: tuple[float, float] = (1.0, 1.0),
        fusion: str = DEFAULT_FUSION,
    ) -> Ranking:
        """Top-``k`` chunk positions for ``query``: ``bm25``, ``dense`` or ``hybrid`` (both, fused
        by ``fusion``; ``weights`` are (dense, BM25)).  Hybrid search with the collection's own
        embedder fuses the companion's dense list in as well, when the collection has one."""
        if not query.strip():
            raise InvalidParameters("The query is empty.")
        if k < 1:
            raise InvalidParameters("k must be at least 1.")
        if fusion not in FUSIONS:
            raise InvalidParameters(f"Unknown fusion {fusion!r}; use {' or '.join(FUSIONS)}.")
        load_segmenter(query, self.collection.sparse_tokenizer)  # not part of the query's latency
        started = time.perf_counter()
        query_terms: list[str] = []
        found_by: Provenance = {}
        if retriever == "bm25":
            positions, scores, query_terms = self.bm25.search(query, k)
            record_path(found_by, "bm25", positions, scores)
        elif retriever == "dense":
            positions, scores = self._dense(query, k, index, embedder)
            record_path(found_by, self.dense_paths(query, positions), positions, scores)
        elif retriever == "hybrid":
            depth = max(k, HYBRID_DEPTH)
            sparse_positions, sparse_scores, query_terms = self.bm25.search(query, depth)
            dense_positions, dense_scores = self._dense(query, depth, index, embedder)
            record_path(found_by, "bm25", sparse_positions, sparse_scores)
            record_path(found_by, self.dense_paths(query, dense_positions), dense_positions, dense_scores)
            companion: RankedList | None = None
            if self.companion is not None and (embedder or self.collection.embedder) == self.collection.embedder:
                companion = self._dense(query, depth, index, self.companion)
                record_path(found_by, "companion", *companion)
            positions, scores = fuse(
                (dense_positions, dense_scores), (sparse_positions, sparse_scores), fusion, weights, rrf_k, companion
            )
            positions, scores = positions[:k], scores[:k]
        else:
            raise InvalidParameters(f"Unknown retriever {retriever!r}; use bm25, dense or hybrid.")
        latency = (time.perf_counter() - started) * 1000
        if not query_terms:
            query_terms = terms(query, self.collection.sparse_tokenizer)
        positions = np.asarray(positions, np.int64)
        kept = {int(p): found_by.get(int(p), {}) for p in positions}
        return Ranking(positions, np.asarray(scores, np.float64), query_terms, latency, kept)

    def embedder_label(self, retriever: str) -> str:
        """The embedders behind a ranking, as results name them: hybrid names the companion too."""
        if retriever == "hybrid" and self.companion is not None:
            return f"{self.collection.embedder} + {self.companion}"
        return self.collection.embedder

    def dense_paths(self, query: str, positions: np.ndarray) -> np.ndarray:
        """``dense`` where a found chunk is in the query's language, ``cross-lingual`` where not."""
        same = self.languages[np.asarray(positions, np.int64)] == detect_language(query)
        return np.where(same, "dense", "cross-lingual")

    def _dense(self, query: str, k: int, index: str, embedder: str | None) -> tuple[np.ndarray, np.ndarray]:
        side = self.dense.get(embedder or self.collection.embedder)
        if side is None:
            raise InvalidParameters(f"No {embedder} vectors are loaded for {self.collection.name!r}.")
        return side.search(side.embedder.encode([query], queries=True)[0], k, index)

    def outline(self, document: DocumentRow) -> Outline:
        if document.id not in self.outlines:
            self.outlines[document.id] = Outline.of(document.text)
        return self.outlines[document.id]

    def hits(self, ranking: Ranking) -> list[Hit]:
        """The ranked chunks with their original text, offsets and the query's matched terms."""
        wanted = set(ranking.query_terms)
        result = []
        for rank, (position, score) in enumerate(zip(ranking.positions, ranking.scores), start=1):
            p = int(position)
            document = self.documents[int(self.chunks.document_ids[p])]
            text = self.texts[p]
            page = int(self.chunks.pages[p])
            end = int(self.chunks.ends[p])
            last_page = int(page_numbers(np.asarray([end - 1]), document.page_starts)[0]) if page >= 0 else None
            result.append(
                Hit(
                    rank=rank,
                    score=float(score),
                    chunk_id=int(self.chunks.ids[p]),
                    document_id=document.id,
                    document=document.name,
                    start=int(self.chunks.starts[p]),
                    end=end,
                    page=None if page < 0 else page,
                    last_page=last_page,
                    heading=self.outline(document).paths_at(np.asarray([int(self.chunks.starts[p])]))[0],
                    text=text,
                    matched=matched_spans(wanted, text, self.collection.sparse_tokenizer),
                    found_by=dict(ranking.found_by.get(p, {})),
                )
            )
        return result


def _attach_graphs(library: RagLibrary, collection_id: int, dense: DenseSearch, order: np.ndarray) -> None:
    """Give ``dense`` its embedder's stored HNSW/IVF graphs (``hnsw:zh``…) that match its partitions."""
    for kind, embedder, _ in library.index_kinds(collection_id):
        if embedder != dense.embedder_name or ":" not in kind:
            continue
        stored = library.index(collection_id, kind, embedder)
        family, language = kind.split(":", 1)
        partition = dense.partitions.get(language)
        if (
            stored is not None
            and partition is not None
            and np.array_equal(stored.chunk_ids, order[partition.positions])
        ):
            dense.indexes[family, language] = vector_index.from_bytes(stored.blob)
