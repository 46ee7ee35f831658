"""Forward migrations of the project schema, applied when an older project is opened.

To change the schema: change the models in ``schema`` (new projects are created straight
at the newest schema) and append one function here that brings a file from the previous
version to the new one.  Never edit or remove a published migration.  The current version
is ``1 + len(MIGRATIONS)``.

All pending migrations run in one ``BEGIN IMMEDIATE`` transaction, so a file is upgraded
completely or not at all.  Foreign keys are switched off meanwhile, as SQLite's procedure
for rebuilding a table requires (https://sqlite.org/lang_altertable.html#otheralter), and
``PRAGMA foreign_key_check`` must come back empty before the upgrade commits.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, insert
from sqlalchemy.engine import Connection

from workbench.core.errors import ProjectError
from workbench.store.schema import SchemaVersion, utc_now

Migration = Callable[[Connection], None]

MIGRATIONS: list[Migration] = []
"""``MIGRATIONS[i]`` takes a project from schema version ``i + 1`` to ``i + 2``."""


def current_schema_version() -> int:
    return 1 + len(MIGRATIONS)


def upgrade(engine: Engine, from_version: int) -> int:
    """Apply every migration after ``from_version``; returns the version the file is now at."""
    target = current_schema_version()
    if from_version < 1:
        raise ProjectError(f"The project records an impossible schema version ({from_version}); it is damaged.")
    if from_version >= target:
        return from_version
    with engine.connect() as connection:
        dbapi_connection = connection.connection.dbapi_connection
        assert dbapi_connection is not None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, or it is ignored
        try:
            with connection.begin():
                for version in range(from_version, target):
                    MIGRATIONS[version - 1](connection)
                    connection.execute(insert(SchemaVersion).values(version=version + 1, applied_at=utc_now()))
                if connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise ProjectError(
                        f"Upgrading the project from schema {from_version} to {target} left broken references; "
                        "the file was left unchanged."
                    )
        finally:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
    return target
