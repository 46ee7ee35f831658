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

import json
from collections.abc import Callable

from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import Connection

from workbench.base.errors import ProjectError
from workbench.store.schema import SchemaVersion, utc_now

Migration = Callable[[Connection], None]

_RAG_TABLES_V2 = (
    """CREATE TABLE IF NOT EXISTS rag_collections (
        id INTEGER NOT NULL,
        name VARCHAR(200) NOT NULL,
        embedder VARCHAR(500) NOT NULL,
        chunking JSON NOT NULL,
        sparse_tokenizer VARCHAR(32) NOT NULL,
        revision INTEGER NOT NULL,
        created_at DATETIME NOT NULL,
        updated_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (name)
    )""",
    """CREATE TABLE IF NOT EXISTS rag_documents (
        id INTEGER NOT NULL,
        collection_id INTEGER NOT NULL,
        source TEXT NOT NULL,
        name VARCHAR(500) NOT NULL,
        kind VARCHAR(16) NOT NULL,
        content_hash VARCHAR(64) NOT NULL,
        language VARCHAR(8) NOT NULL,
        status VARCHAR(16) NOT NULL,
        message TEXT NOT NULL,
        text TEXT NOT NULL,
        page_starts JSON NOT NULL,
        created_at DATETIME NOT NULL,
        updated_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (collection_id, source),
        FOREIGN KEY(collection_id) REFERENCES rag_collections (id) ON DELETE CASCADE
    )""",
    "CREATE INDEX IF NOT EXISTS ix_rag_documents_content_hash ON rag_documents (content_hash)",
    "CREATE INDEX IF NOT EXISTS ix_rag_documents_collection_id ON rag_documents (collection_id)",
    """CREATE TABLE IF NOT EXISTS rag_chunks (
        id INTEGER NOT NULL,
        collection_id INTEGER NOT NULL,
        document_id INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        page INTEGER,
        PRIMARY KEY (id),
        FOREIGN KEY(collection_id) REFERENCES rag_collections (id) ON DELETE CASCADE,
        FOREIGN KEY(document_id) REFERENCES rag_documents (id) ON DELETE CASCADE
    )""",
    "CREATE INDEX IF NOT EXISTS ix_rag_chunks_document_ordinal ON rag_chunks (document_id, ordinal)",
    "CREATE INDEX IF NOT EXISTS ix_rag_chunks_collection_id ON rag_chunks (collection_id)",
    """CREATE TABLE IF NOT EXISTS rag_indexes (
        id INTEGER NOT NULL,
        collection_id INTEGER NOT NULL,
        kind VARCHAR(32) NOT NULL,
        embedder VARCHAR(500) NOT NULL,
        revision INTEGER NOT NULL,
        chunk_ids BLOB NOT NULL,
        blob BLOB NOT NULL,
        items INTEGER NOT NULL,
        build_s DOUBLE NOT NULL,
        built_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (collection_id, kind, embedder),
        FOREIGN KEY(collection_id) REFERENCES rag_collections (id) ON DELETE CASCADE
    )""",
    "CREATE INDEX IF NOT EXISTS ix_rag_indexes_collection_id ON rag_indexes (collection_id)",
)


def _add_rag_tables(connection: Connection) -> None:
    """Version 2: the RAG lab's collections, documents, chunks and index blobs.

    The DDL is written out as it stood at version 2 (not taken from ``schema``), so later
    changes to the models cannot change what this step does.  ``IF NOT EXISTS``: projects
    that a development build gave these tables outside the schema version keep their data.
    """
    for statement in _RAG_TABLES_V2:
        connection.execute(text(statement))


_LESSON_TABLES_V3 = (
    """CREATE TABLE IF NOT EXISTS lessons (
        id INTEGER NOT NULL,
        title VARCHAR(500) NOT NULL,
        created_at DATETIME NOT NULL,
        PRIMARY KEY (id)
    )""",
    """CREATE TABLE IF NOT EXISTS lesson_steps (
        id INTEGER NOT NULL,
        lesson_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        kind VARCHAR(16) NOT NULL,
        run_id INTEGER,
        live JSON,
        title VARCHAR(500) NOT NULL,
        notes TEXT NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(lesson_id) REFERENCES lessons (id) ON DELETE CASCADE,
        FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL
    )""",
    "CREATE INDEX IF NOT EXISTS ix_lesson_steps_lesson_position ON lesson_steps (lesson_id, position)",
    "CREATE INDEX IF NOT EXISTS ix_lesson_steps_run_id ON lesson_steps (run_id)",
)


def _add_lesson_tables(connection: Connection) -> None:
    """Version 3: lessons and their ordered steps (runs or live actions, with Markdown notes)."""
    for statement in _LESSON_TABLES_V3:
        connection.execute(text(statement))


RENAMED_MODULES_V4 = (
    ("workbench.core.evaluation", "workbench.core.text_metrics"),
    ("workbench.core.editing.evaluation", "workbench.core.editing.edit_metrics"),
    ("workbench.core.rag.evaluation", "workbench.core.rag.retrieval_metrics"),
)
"""Modules renamed at schema version 4, as (old, new); lesson files of format 1 follow them too."""


def _key_artifacts_and_follow_renamed_modules(connection: Connection) -> None:
    """Version 4: artifacts gain an indexed ``key``, and results name the renamed modules.

    The editing lab found a stored key covariance by loading every covariance run and
    comparing its parameters; now it asks for the artifact of kind ``key_covariance`` under
    its key (the run's parameters as sorted, compact JSON), so existing covariances are
    given that kind and key here.  Results name their dataclasses as ``"module:Class"``
    (``codec``), so the three modules once called ``evaluation`` are renamed inside them.
    """
    columns = {row[1] for row in connection.execute(text("PRAGMA table_info(artifacts)"))}
    if "key" not in columns:  # as IF NOT EXISTS above: a file that has the column keeps it
        connection.execute(text("ALTER TABLE artifacts ADD COLUMN key VARCHAR(500)"))
    connection.execute(text("CREATE INDEX IF NOT EXISTS ix_artifacts_kind_key ON artifacts (kind, key)"))
    covariances = connection.execute(
        text(
            "SELECT artifacts.id, runs.params FROM artifacts JOIN runs ON runs.id = artifacts.run_id "
            "WHERE runs.kind = 'edit_covariance' AND runs.status = 'finished' AND artifacts.name = 'covariance'"
        )
    ).all()
    for artifact_id, params in covariances:
        key = json.dumps(json.loads(params), sort_keys=True, separators=(",", ":"))
        connection.execute(
            text("UPDATE artifacts SET kind = 'key_covariance', key = :key WHERE id = :id"),
            {"key": key, "id": artifact_id},
        )
    for old, new in RENAMED_MODULES_V4:
        connection.execute(
            text("UPDATE runs SET result = replace(result, :old, :new) WHERE instr(result, :old) > 0"),
            {"old": f'"{old}:', "new": f'"{new}:'},
        )


def _add_lesson_step_views(connection: Connection) -> None:
    """Version 5: a lesson step remembers the view of its lab (tab, sub-views, selection)."""
    columns = {row[1] for row in connection.execute(text("PRAGMA table_info(lesson_steps)"))}
    if "view" not in columns:
        connection.execute(text("ALTER TABLE lesson_steps ADD COLUMN view JSON"))


def _add_run_model_states(connection: Connection) -> None:
    """Version 6: a run records the adapters and edits that were on the model when it ran.

    Older runs keep NULL: nobody recorded their state, and guessing "base weights" for them
    would be a claim the file cannot back.
    """
    columns = {row[1] for row in connection.execute(text("PRAGMA table_info(runs)"))}
    if "model_state" not in columns:
        connection.execute(text("ALTER TABLE runs ADD COLUMN model_state JSON"))


MIGRATIONS: list[Migration] = [
    _add_rag_tables,
    _add_lesson_tables,
    _key_artifacts_and_follow_renamed_modules,
    _add_lesson_step_views,
    _add_run_model_states,
]
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
