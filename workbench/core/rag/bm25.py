"""The sparse index: Okapi BM25 through ``bm25s`` over ``sparse_tokens`` terms (book §6.3.3).

score(q, d) = Σ_{t ∈ q} idf(t) · tf(t,d)·(k1 + 1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
(Robertson & Zaragoza, 2009; Lucene's idf variant, k1 = 1.5, b = 0.75).  ``bm25s`` computes
every document's term weight once at indexing time and stores them as a sparse matrix, so
a query is a sum of a few matrix columns (Lù, 2024) — milliseconds at 100 k chunks.

Each chunk is indexed with its document's title as a second field whose terms count
``TITLE_WEIGHT`` extra times — BM25F (Robertson, Zaragoza & Taylor, 2004) in its simplest
form.  A chunk deep inside a document then still matches the document's name, and the
article *about* an entity outranks articles that merely mention it; that is what lets an
English question find a Chinese article through the English name in its title, e.g.
"索德（Sodel）".

The index is stored in the project as one blob (the ``bm25s`` save folder, zipped) and
reopened without re-tokenising anything.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import bm25s
import numpy as np

from workbench.core.rag.sparse_tokens import terms

TITLE_WEIGHT = 2


def field_terms(chunk: str, title: str, mode: str) -> list[str]:
    """The terms indexed for a chunk: its own, plus its document title's ``TITLE_WEIGHT`` times."""
    return terms(title, mode) * TITLE_WEIGHT + terms(chunk, mode)


class BM25Index:
    """BM25 over a list of chunks; positions in the index are positions in that list."""

    def __init__(self, retriever: bm25s.BM25, size: int, mode: str) -> None:
        self._retriever = retriever
        self.size = size
        self.mode = mode

    @classmethod
    def build(cls, chunk_terms: list[list[str]], mode: str) -> BM25Index:
        retriever = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        # an empty chunk still needs a row; bm25s indexes it through its empty token
        retriever.index([t if t else [""] for t in chunk_terms], show_progress=False)
        return cls(retriever, len(chunk_terms), mode)

    def scores(self, query: str) -> tuple[np.ndarray, list[str]]:
        """BM25 score of every chunk for ``query`` (float32), and the query's terms."""
        query_terms = terms(query, self.mode)
        known = [term for term in query_terms if term in self._retriever.vocab_dict]
        if not known or self.size == 0:
            return np.zeros(self.size, dtype=np.float32), query_terms
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32), query_terms

    def search(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Top ``k`` positions and scores (chunks that share no term with the query are left out)."""
        scores, query_terms = self.scores(query)
        positions = top_k(scores, k)
        positions = positions[scores[positions] > 0]
        return positions, scores[positions], query_terms

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with tempfile.TemporaryDirectory() as folder:
            self._retriever.save(folder, show_progress=False)
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
                for path in sorted(Path(folder).iterdir()):
                    archive.write(path, path.name)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes, size: int, mode: str) -> BM25Index:
        with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(io.BytesIO(blob)) as archive:
            for name in archive.namelist():
                if "/" in name or name.startswith("."):  # written by to_bytes: flat names only
                    raise ValueError(f"unexpected entry {name!r} in a stored BM25 index")
            archive.extractall(folder)
            retriever = bm25s.BM25.load(folder, load_corpus=False)
        return cls(retriever, size, mode)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest scores, best first (argpartition, then sort only k)."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]
