"""``ProjectFile``: opening, creating, upgrading, copying and closing a project file.

The worker thread owns the writable store; the GUI thread reads through one of its own
opened with ``read_only=True``.  Each operation of a store is one short transaction on a
pooled connection of its own (``read_session`` / ``write_session``, public so that the
RAG library's tables share them), so a store may also be shared between threads.  ``ProjectStore`` (``project``) adds what a project holds.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from workbench.base.errors import ProjectError
from workbench.store.database import (
    prepare_new_file,
    project_engine,
    read_schema_version,
    why_not_writable,
    write_engine,
)
from workbench.store.migrations import current_schema_version, upgrade
from workbench.store.schema import Base, Run, SchemaVersion, utc_now

if TYPE_CHECKING:
    from typing_extensions import Self

INTERRUPTED = "interrupted"
"""The error message of a run that was still running when the app stopped."""


class ProjectFile:
    """A project file opened for reading and writing; build one with ``create`` or ``open``."""

    def __init__(self, path: Path, engine: Engine, *, read_only: bool = False, read_only_reason: str = "") -> None:
        self._path = path
        self._engine = engine
        self._writer = write_engine(engine)
        self._read_only = read_only
        self._read_only_reason = read_only_reason
        self._closed = False

    # ------------------------------------------------------------------ open / create

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Self:
        """A new, empty project at ``path`` (which must not exist yet)."""
        path = Path(path).expanduser().absolute()
        if path.exists():
            raise ProjectError(f"{path} already exists; open it, or choose another name for the new project.")
        if not path.parent.is_dir():
            raise ProjectError(f"Cannot create {path.name}: the folder {path.parent} does not exist.")
        store: Self | None = None
        try:
            prepare_new_file(path)
            store = cls(path, project_engine(path))
            with store._writer.begin() as connection:
                Base.metadata.create_all(connection)
                connection.execute(insert(SchemaVersion).values(version=current_schema_version(), applied_at=utc_now()))
        except Exception as error:
            if store is not None:
                store.close()
            path.unlink(missing_ok=True)
            if isinstance(error, ProjectError):
                raise
            raise ProjectError(f"Cannot create the project {path}: {error}") from error
        return store

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> Self:
        """An existing project, upgraded to this version's schema if it is older.

        ``read_only`` (the GUI thread's reader, beside the worker's writable store) neither
        upgrades nor marks interrupted runs, and refuses every write.  A project this process
        may not write (read-only file or folder, a CD, someone else's share) opens read-only
        too, with ``read_only_reason`` saying why: its runs and collections can be browsed
        and queried, and every write is refused with that reason.
        """
        path = Path(path).expanduser().absolute()
        version = read_schema_version(path)
        newest = current_schema_version()
        if version > newest:
            raise ProjectError(
                f"{path.name} was written by a newer LLM Workbench (schema {version}); "
                f"this version reads up to {newest}."
            )
        reason = why_not_writable(path) or ""
        if reason and version < newest:
            raise ProjectError(
                f"{path.name} uses an older schema ({version}) and cannot be upgraded because {reason}; "
                "copy it to a folder you can write and open the copy."
            )
        if read_only and version < newest:
            raise ProjectError(
                f"{path.name} uses an older schema ({version}); open it for writing once to upgrade it to {newest}."
            )
        if reason:
            engine = project_engine(path, on_disk_read_only=True)
            return cls(path, engine, read_only=True, read_only_reason=reason)
        store = cls(path, project_engine(path, read_only=read_only), read_only=read_only)
        if read_only:
            return store
        try:
            upgrade(store._writer, version)
            store.mark_interrupted_runs()
        except OperationalError as error:
            store.close()
            raise ProjectError(f"{path.name} cannot be opened for writing ({error.orig}).") from error
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_or_create(cls, path: str | os.PathLike[str]) -> Self:
        return cls.open(path) if Path(path).expanduser().exists() else cls.create(path)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def schema_version(self) -> int:
        with self.read_session() as session:
            return session.scalar(select(func.max(SchemaVersion.version))) or 0

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def read_only_reason(self) -> str:
        """Why the project itself cannot be written ("the file is read-only"); empty when it
        can (a store opened ``read_only`` by choice, like the GUI's reader, has none)."""
        return self._read_only_reason

    def save_copy(self, target: str | os.PathLike[str]) -> Path:
        """Write a consistent, compacted copy of the project to ``target`` (replacing a file there).

        ``VACUUM INTO`` reads one snapshot, so the copy is whole even while runs are being
        written.  It goes to a hidden file beside ``target`` first and is renamed into place
        only once complete and synced, so a failure never leaves a half-written project.
        """
        self._check_open()
        target = Path(target).expanduser().absolute()
        if target.resolve() == self._path.resolve():
            raise ProjectError(f"{target.name} is this project itself; choose another name for the copy.")
        if not target.parent.is_dir():
            raise ProjectError(f"Cannot save {target.name}: the folder {target.parent} does not exist.")
        partial = target.with_name(f".{target.name}.partial")
        partial.unlink(missing_ok=True)
        connection = self._engine.raw_connection()
        try:
            if self._read_only:  # VACUUM INTO counts as a write; the backup API only reads the source
                with closing(sqlite3.connect(partial)) as copy:
                    connection.driver_connection.backup(copy)  # type: ignore[union-attr]  # pysqlite's driver connection is a sqlite3.Connection
            else:
                connection.driver_connection.execute("VACUUM INTO ?", (str(partial),))  # type: ignore[union-attr]  # pysqlite's driver connection is a sqlite3.Connection
            with partial.open("rb+") as file:
                os.fsync(file.fileno())
            for stale in ("-wal", "-shm"):  # a replaced project's log must not be replayed onto the copy
                Path(f"{target}{stale}").unlink(missing_ok=True)
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as error:
            partial.unlink(missing_ok=True)
            raise ProjectError(f"Cannot save a copy as {target}: {error}") from error
        finally:
            connection.close()
        return target

    def close(self) -> None:
        """Close every pooled connection; the last one to close checkpoints and removes the WAL."""
        self._closed = True
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """One read transaction: a consistent snapshot that never blocks the writer (WAL)."""
        self._check_open()
        with Session(self._engine) as session, session.begin():
            yield session

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """One write transaction (``BEGIN IMMEDIATE``), committed on leaving the block."""
        self._check_open()
        if self._read_only_reason:
            raise ProjectError(
                f"{self._path.name} is read-only ({self._read_only_reason}), so this change cannot be saved; "
                "save a copy in a folder you can write to keep working."
            )
        if self._read_only:
            raise ProjectError(f"{self._path.name} is open read-only here; changes go through the worker.")
        with Session(self._writer) as session, session.begin():
            yield session

    def _check_open(self) -> None:
        if self._closed:
            raise ProjectError(f"The project {self._path.name} has been closed.")

    def mark_interrupted_runs(self) -> int:
        """Runs left 'running' by a crash become failed ("interrupted"); returns how many."""
        with self.write_session() as session:
            outcome = session.execute(
                update(Run).where(Run.status == "running").values(status="failed", error=INTERRUPTED)
            )
            return outcome.rowcount  # type: ignore[attr-defined]  # an UPDATE/DELETE result is a CursorResult; SQLAlchemy types execute() as Result
