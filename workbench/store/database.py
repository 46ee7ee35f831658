"""How a project file is opened: the engine, its pragmas, its transactions, and identification.

* Every connection gets ``journal_mode=WAL`` (readers never block the writer and a killed
  process leaves a valid file: uncommitted WAL frames are ignored on the next open),
  ``foreign_keys=ON`` (cascading deletes), ``synchronous=FULL`` (a committed run survives
  even a power cut) and a busy timeout, so the worker and the GUI thread wait for each
  other's short transactions instead of failing.
* ``check_same_thread=False`` with SQLAlchemy's ``QueuePool``: each thread checks out its
  own connection for the length of one unit of work.
* Transactions are begun by SQLAlchemy rather than by the ``sqlite3`` module, whose legacy
  mode never begins one before a SELECT or DDL (SQLAlchemy docs, "Transactions with SQLite
  and the sqlite3 driver").  Writes use ``BEGIN IMMEDIATE``: taking the write lock up front
  means a read-then-write transaction can never fail half-way with ``SQLITE_BUSY``.
* A project is recognised by ``PRAGMA application_id`` plus the ``schema_version`` table,
  checked through a read-only connection first, so opening someone else's SQLite file by
  mistake neither converts it to WAL nor touches it in any other way.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from workbench.base.errors import ProjectError

APPLICATION_ID = int.from_bytes(b"LLMW", "big")
"""Stored in the SQLite header of every project (``PRAGMA application_id``)."""
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0
_BEGIN_MODE = "workbench_begin"
_WAL_LIMIT = 64 * 1024 * 1024
"""Bytes of write-ahead log kept after a checkpoint (a big result would otherwise leave a big -wal)."""
_PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL", f"journal_size_limit={_WAL_LIMIT}")


def project_engine(path: Path, *, read_only: bool = False, on_disk_read_only: bool = False) -> Engine:
    """The engine for reads; ``write_engine(engine)`` gives the one for writes.

    ``read_only`` adds ``PRAGMA query_only``: SQLite itself then refuses any change, which
    is what the GUI thread's own reader wants while the worker writes.  ``on_disk_read_only``
    (a file or folder the user may not write) opens the file with ``mode=ro``, and with
    ``immutable=1`` when the folder cannot hold the WAL's ``-shm`` file either — nobody can
    be writing a project that nobody may write.
    """
    options = {
        "json_serializer": functools.partial(json.dumps, ensure_ascii=False),
        "poolclass": QueuePool,  # SQLAlchemy 2's default for files, stated: one connection per checkout
    }
    if on_disk_read_only:
        immutable = "&immutable=1" if not os.access(path.parent, os.W_OK) else ""
        uri = f"{path.resolve().as_uri()}?mode=ro{immutable}"
        engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_S),
            **options,
        )
        read_only = True
    else:
        engine = create_engine(
            URL.create("sqlite", database=str(path)),  # not an f-string: '?' or '#' in a path stay literal
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S},
            **options,
        )
    pragmas = _PRAGMAS + (("query_only=ON",) if read_only else ())
    event.listen(engine, "connect", functools.partial(_configure_connection, pragmas))
    event.listen(engine, "begin", _begin)
    return engine


def write_engine(engine: Engine) -> Engine:
    """Same pool and pragmas as ``engine``; its transactions begin with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{_BEGIN_MODE: "IMMEDIATE"})


def _configure_connection(
    pragmas: tuple[str, ...], dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry
) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _begin)
    for pragma in pragmas:
        dbapi_connection.execute(f"PRAGMA {pragma}").fetchall()


def _begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_MODE, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def prepare_new_file(path: Path) -> None:
    """Stamp an empty file as a project before any table exists.

    ``auto_vacuum=FULL`` can only be chosen before the first table and before WAL mode;
    with it, deleting a run with large arrays gives the space back to the disk.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA auto_vacuum=FULL")
        connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
    finally:
        connection.close()


def read_schema_version(path: Path) -> int:
    """The schema version of the project at ``path``, or ProjectError saying why it is not one."""
    if not path.exists():
        raise ProjectError(f"The project file {path} does not exist.")
    if not path.is_file():
        raise ProjectError(f"{path} is a folder, not a project file.")
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise ProjectError(f"{path.name} is not an LLM Workbench project: it is not an SQLite database.")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            (application_id,) = connection.execute("PRAGMA application_id").fetchone()
            has_versions = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
            if application_id != APPLICATION_ID or not has_versions:
                raise ProjectError(
                    f"{path.name} is not an LLM Workbench project: it is an SQLite database of another program."
                )
            (version,) = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise ProjectError(f"{path.name} cannot be read as an LLM Workbench project ({error}).") from error
    if not isinstance(version, int):
        raise ProjectError(f"{path.name} is damaged: it records no schema version.")
    return version


def why_not_writable(path: Path) -> str | None:
    """Why this process may not write the project at ``path`` (file or folder), or None.

    SQLite in WAL mode also creates ``-wal`` and ``-shm`` files beside the project, so a
    writable file in a read-only folder cannot be written either.
    """
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is read-only"
    return None
