"""The on-disk IVF index: built in batches from a sample, memory-mapped, same answers as in memory."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from workbench.base.errors import InvalidParameters
from workbench.core.rag import disk_index, vector_index
from workbench.core.rag.dense import DenseSearch


def _clustered(count: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(50, dim)) * 2
    vectors = (rng.normal(size=(count, dim)) + centres[rng.integers(0, 50, count)]).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _batches(vectors: np.ndarray, size: int):  # type: ignore[no-untyped-def]
    for first in range(0, len(vectors), size):
        yield np.arange(first, min(first + size, len(vectors))), vectors[first : first + size]


def test_an_index_built_in_batches_finds_what_exact_search_finds(tmp_path: Path) -> None:
    vectors = _clustered(6000, 32, 0)
    sample = vectors[disk_index.sample_rows(len(vectors), np.random.default_rng(1))]
    index = disk_index.build(tmp_path / "ivf", sample, _batches(vectors, 1000), len(vectors))
    assert index.ntotal == len(vectors)
    assert sorted(p.name for p in (tmp_path / "ivf").iterdir()) == [disk_index.INDEX_FILE, disk_index.LISTS_FILE]
    queries = vectors[:50] + 0.01 * np.random.default_rng(2).normal(size=(50, 32)).astype(np.float32)
    found, scores = vector_index.search(index, queries, 10)
    exact, exact_scores = vector_index.search(vector_index.build("flat", vectors), queries, 10)
    assert found[:, 0].tolist() == list(range(50))  # each query's own vector, by its position
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found.tolist(), exact.tolist())])
    assert recall > 0.9
    np.testing.assert_allclose(scores[:, 0], exact_scores[:, 0], rtol=1e-5)


def test_a_reopened_index_reads_its_lists_from_the_file(tmp_path: Path) -> None:
    vectors = _clustered(3000, 16, 3)
    built = disk_index.build(tmp_path, vectors, _batches(vectors, 700), len(vectors))
    reopened = disk_index.open_index(tmp_path)
    invlists = faiss.extract_index_ivf(reopened).invlists
    assert isinstance(faiss.downcast_InvertedLists(invlists), faiss.OnDiskInvertedLists)
    assert reopened.nprobe == disk_index.probes(reopened.nlist)
    np.testing.assert_array_equal(
        vector_index.search(reopened, vectors[:5], 3)[0], vector_index.search(built, vectors[:5], 3)[0]
    )


def test_too_small_a_sample_or_a_missing_index_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameters, match="at least"):
        disk_index.build(tmp_path, _clustered(100, 8, 4), [], 100)
    with pytest.raises(InvalidParameters, match="No on-disk index"):
        disk_index.open_index(tmp_path / "nothing")


def test_a_big_partition_keeps_its_ivf_on_disk_and_a_later_process_reopens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(disk_index, "ON_DISK_MIN_VECTORS", 2000)
    vectors = _clustered(3000, 24, 5)
    languages = np.full(len(vectors), "en")
    dense = DenseSearch("e5-small", vectors, languages, disk_folder=tmp_path)
    found, _ = dense.search(vectors[7], 5, "ivf")
    assert found[0] == 7
    assert (tmp_path / "e5-small-all" / disk_index.LISTS_FILE).is_file()
    small = DenseSearch("e5-small", vectors[:1500], languages[:1500], disk_folder=tmp_path / "small")
    small.search(vectors[7], 5, "ivf")
    assert not (tmp_path / "small").exists()  # below the threshold: in memory

    def no_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the on-disk index was built again")

    monkeypatch.setattr(disk_index, "build", no_build)
    again = DenseSearch("e5-small", vectors, languages, disk_folder=tmp_path)
    np.testing.assert_array_equal(again.search(vectors[7], 5, "ivf")[0], found)
