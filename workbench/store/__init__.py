"""The project store: one SQLite file (``*.wbproj``) holding models, runs, curves and notes.

``project.ProjectStore`` is the entry point; ``records`` holds the plain dataclasses it
returns, ``rag_library`` the RAG lab's collections, ``codec`` turns job results and
parameters into JSON plus numpy blobs and back, ``schema`` the ORM tables and
``migrations`` the upgrades.

The names below are the store's public API: the core imports only these (an import-linter
contract in ``pyproject.toml`` holds it to that), so the tables and SQL can change without
the labs noticing.
"""

from workbench.store.codec import array_from_blob, array_to_blob
from workbench.store.project import ProjectStore
from workbench.store.rag_library import (
    ChunkRows,
    CollectionRow,
    DocumentRow,
    DocumentWrite,
    IndexWrite,
    RagLibrary,
    StoredIndex,
    UnknownCollection,
    array_bytes,
    array_from_bytes,
)
from workbench.store.records import Curve, FinalRunStatus

__all__ = [
    "ChunkRows",
    "CollectionRow",
    "Curve",
    "DocumentRow",
    "DocumentWrite",
    "FinalRunStatus",
    "IndexWrite",
    "ProjectStore",
    "RagLibrary",
    "StoredIndex",
    "UnknownCollection",
    "array_bytes",
    "array_from_blob",
    "array_from_bytes",
    "array_to_blob",
]
