"""An IVF index whose vectors stay on disk: for collections too big for memory (issue #20).

The in-memory indexes (``vector_index``) hold every vector in RAM: 1 M chunks of a
384-dimensional embedder are 1.5 GB, held again by every index built over them.  This one
keeps its inverted lists in one file that faiss memory-maps (``OnDiskInvertedLists``): a
query reads only the ``nprobe`` cells it visits, and the operating system keeps the hot cells
in its page cache and drops cold ones under memory pressure, so the collection stays
queryable when it is larger than memory.

It is also *built* without holding the vectors: k-means is trained on a sample of at most
``TRAIN_SAMPLE`` vectors, the vectors are added in batches, each batch written as a shard,
and the shards merged into the on-disk lists (faiss's ``merge_ondisk``; the shards are
memory-mapped too and deleted afterwards).  Training on 50 k points with
nlist = ``ivf_lists`` keeps the build to minutes on two cores at 1 M vectors.

Collections from ``ON_DISK_MIN_VECTORS`` up use it for the IVF index.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.core.rag.params import IVF_MIN_VECTORS
from workbench.core.rag.vector_index import ivf_lists, ivf_too_small_message

TRAIN_SAMPLE = 50_000
"""k-means sees at most this many vectors; faiss asks for ≥ 39 per cell, so it caps nlist at 1,282."""
ON_DISK_MIN_VECTORS = 200_000
"""From here the vectors (300 MB at 384 dimensions) are worth keeping out of memory."""
INDEX_FILE = "ivf.index"
LISTS_FILE = "ivf.lists"


def build(
    folder: Path,
    sample: np.ndarray,
    batches: Iterable[tuple[np.ndarray, np.ndarray]],
    total: int,
) -> faiss.Index:
    """Train on ``sample``, add ``(positions, vectors)`` batches (``total`` vectors in all),
    write to ``folder``; the index opened memory-mapped.  Positions are what searches return."""
    sample = np.ascontiguousarray(sample, dtype=np.float32)
    if len(sample) < IVF_MIN_VECTORS:
        raise InvalidParameters(ivf_too_small_message(len(sample)))
    folder = folder.resolve()  # the index file records where its lists are
    folder.mkdir(parents=True, exist_ok=True)
    dim = sample.shape[1]
    nlist = min(ivf_lists(total), len(sample) // 39)
    trained = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    trained.train(sample)
    trained_path = folder / "trained.index"
    faiss.write_index(trained, str(trained_path))
    shards: list[Path] = []
    try:
        for number, (positions, vectors) in enumerate(batches):
            shard = faiss.read_index(str(trained_path))
            shard.add_with_ids(np.ascontiguousarray(vectors, np.float32), np.ascontiguousarray(positions, np.int64))
            shards.append(folder / f"shard{number}.index")
            faiss.write_index(shard, str(shards[-1]))
            del shard
        index = faiss.read_index(str(trained_path))
        lists = folder / LISTS_FILE
        lists.unlink(missing_ok=True)
        from faiss.contrib.ondisk import merge_ondisk

        merge_ondisk(index, [str(path) for path in shards], str(lists))
        faiss.write_index(index, str(folder / INDEX_FILE))
        del index
    finally:
        for path in [*shards, trained_path]:
            path.unlink(missing_ok=True)
    return open_index(folder)


def open_index(folder: Path) -> faiss.Index:
    """The index in ``folder`` with its lists memory-mapped (nothing read until searched)."""
    path = folder / INDEX_FILE
    if not path.is_file() or not (folder / LISTS_FILE).is_file():
        raise InvalidParameters(f"No on-disk index in {folder}; build it first.")
    index = faiss.read_index(str(path))  # OnDiskInvertedLists map their file themselves (IO_FLAG_MMAP crashes on them)
    assert isinstance(index, faiss.IndexIVF)  # read_index returns the concrete class; build() writes an IVF
    index.nprobe = probes(index.nlist)
    return index


def probes(nlist: int) -> int:
    """Cells a query visits: 1/40 of them (32 of 1,282 at 1 M vectors, ≈ 25 k vectors read).

    Fewer than the in-memory IVF's 1/8 (``ivf_probes``): every cell visited here may be a
    read from disk, and the p95 target is 100 ms."""
    return min(nlist, max(8, nlist // 40))


def sample_rows(count: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted row numbers of a training sample (all rows when there are few)."""
    if count <= TRAIN_SAMPLE:
        return np.arange(count)
    return np.sort(rng.choice(count, TRAIN_SAMPLE, replace=False))
