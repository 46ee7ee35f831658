"""Chunk vectors kept while an ingest encodes, so a killed ingest resumes where it stopped.

An ingest writes the project once, at the end (``library.commit_ingest``), so a cancelled or
killed one leaves the collection as it was — and, without this, nothing of the encoding it
had done.  Each encoded batch is therefore also written to a folder beside the project file
(``<project>.ingest/<collection key>/part-NNNNNN.npz``: the SHA-1 of embedder and chunk
text, and the vectors), each part written to a temporary name and renamed, so a kill leaves
whole parts only.  The next ingest of the collection takes every chunk it finds there
instead of encoding it, and deletes the folder after its commit.  Keys are content hashes,
so a part from another file, chunking or embedder is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def folder_for(project: str | Path, collection: str) -> Path:
    """The checkpoint folder of one collection of a project (not created)."""
    key = hashlib.sha1(collection.encode("utf-8")).hexdigest()[:16]
    return Path(f"{project}.ingest") / key


def text_keys(embedder: str, texts: Sequence[str]) -> list[str]:
    prefix = embedder.encode("utf-8") + b"\0"
    return [hashlib.sha1(prefix + text.encode("utf-8")).hexdigest() for text in texts]


class EncodeCheckpoint:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.disabled = False
        self._parts = len(list(folder.glob("part-*.npz"))) if folder.is_dir() else 0

    def load(self) -> dict[str, np.ndarray]:
        """Every vector the folder holds, by key (unreadable parts are skipped)."""
        found: dict[str, np.ndarray] = {}
        if not self.folder.is_dir():
            return found
        for part in sorted(self.folder.glob("part-*.npz")):
            try:
                with np.load(part, allow_pickle=False) as data:
                    found.update(zip(data["keys"].tolist(), data["vectors"]))
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                continue
        return found

    def count(self) -> int:
        """How many vectors the folder holds (keys only are read)."""
        total = 0
        if self.folder.is_dir():
            for part in self.folder.glob("part-*.npz"):
                try:
                    with np.load(part, allow_pickle=False) as data:
                        total += len(data["keys"])
                except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                    continue
        return total

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Keep one encoded batch (atomically: a part is complete or absent)."""
        if not len(keys) or self.disabled:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            while (self.folder / f"part-{self._parts:06d}.npz").exists():
                self._parts += 1
            final = self.folder / f"part-{self._parts:06d}.npz"
            temporary = final.with_name(final.stem + ".tmp.npz")
            np.savez(temporary, keys=np.asarray(list(keys)), vectors=np.asarray(vectors, np.float32))
            os.replace(temporary, final)
        except OSError:  # a read-only or full disk: the ingest goes on, it just cannot resume
            self.disabled = True
            return
        self._parts += 1

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        parent = self.folder.parent
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
