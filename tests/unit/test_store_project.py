"""A project file on disk: runs, arrays, curves, notes, bookmarks, errors and migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from workbench.base.errors import InvalidParameters, ProjectError
from workbench.core.editing.covariance import artifact_key
from workbench.core.model.spec import LoadModelParams, ModelInfo, ModelSpec
from workbench.core.text_metrics import PerplexityResult
from workbench.store import array_from_blob, array_to_blob, migrations
from workbench.store.codec import params_from_json, params_to_json
from workbench.store.project import ProjectStore


@pytest.fixture()
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "lab.wbproj"


@pytest.fixture()
def store(project_path: Path) -> Iterator[ProjectStore]:
    project = ProjectStore.create(project_path)
    yield project
    project.close()


def _info(label: str = "tiny") -> ModelInfo:
    return ModelInfo(label, "gpt2", "gpt2", 3, 32, 400, 64, 12345, "cpu", "float32", 4096, "abc123", "/m")


def _sql(path: Path, statement: str) -> list[tuple]:
    """Run one statement on the file through a plain sqlite3 connection (committed, closed)."""
    with closing(sqlite3.connect(path)) as connection, connection:
        return connection.execute(statement).fetchall()


def _count(path: Path, table: str) -> int:
    return _sql(path, f"SELECT COUNT(*) FROM {table}")[0][0]


@dataclass(frozen=True)
class _Trace:
    scores: np.ndarray
    tokens: list[str]


def test_run_with_arrays_round_trips_through_a_reopened_file(store: ProjectStore, project_path: Path) -> None:
    rng = np.random.default_rng(1)
    scores = rng.standard_normal((12, 7)).astype(np.float32)
    ids = rng.integers(0, 50_000, size=300, dtype=np.int64)
    run_id = store.start_run("trace", {"prompt": "The Eiffel Tower"}, title="Eiffel", model_id=None)
    store.finish_run(run_id, status="finished", result={"scores": scores, "ids": ids, "best": 3}, metrics={"p": 0.7})
    store.close()

    with ProjectStore.open(project_path) as reopened:
        run = reopened.load_run(run_id)
    assert run.summary.status == "finished" and run.summary.title == "Eiffel"
    assert run.summary.metrics == {"p": 0.7} and run.summary.duration_s is not None
    assert run.params == {"prompt": "The Eiffel Tower"}
    assert run.result["scores"].dtype == np.float32 and np.array_equal(run.result["scores"], scores)
    assert run.result["ids"].dtype == np.int64 and np.array_equal(run.result["ids"], ids)
    assert run.result["best"] == 3


def test_big_arrays_are_stored_compressed(store: ProjectStore, project_path: Path) -> None:
    big = np.tile(np.arange(1000, dtype=np.float32), 1000)  # 4 MB, very repetitive
    run_id = store.start_run("trace", {}, title="big", model_id=None)
    store.finish_run(run_id, status="finished", result=big)
    [(stored,)] = _sql(project_path, "SELECT SUM(LENGTH(blob)) FROM run_arrays")
    assert stored < big.nbytes / 20
    assert np.array_equal(store.load_run(run_id).result, big)


def test_workbench_dataclass_results_come_back_as_instances(store: ProjectStore) -> None:
    result = {"info": _info(), "per_layer": [{"layer": 0, "h": np.ones((2, 2))}], "pair": (1, 2)}
    run_id = store.start_run("info", {}, title="info", model_id=None)
    store.finish_run(run_id, status="finished", result=result)
    back = store.load_run(run_id).result
    assert back["info"] == _info() and back["pair"] == (1, 2)
    assert np.array_equal(back["per_layer"][0]["h"], np.ones((2, 2)))


def test_a_dataclass_from_outside_the_workbench_is_stored_and_read_back_as_a_dict(store: ProjectStore) -> None:
    run_id = store.start_run("trace", {}, title="t", model_id=None)
    store.finish_run(run_id, status="finished", result=_Trace(np.arange(4.0), ["a", "b"]))
    back = store.load_run(run_id).result
    assert isinstance(back, dict) and back["tokens"] == ["a", "b"] and np.array_equal(back["scores"], np.arange(4.0))


def test_job_parameters_are_stored_and_rebuilt(store: ProjectStore) -> None:
    params = LoadModelParams(spec=ModelSpec(source="hub", name="gpt2", dtype="float16"))
    run_id = store.start_run(params.job_kind, params_to_json(params), title="load", model_id=None)
    assert params_from_json(LoadModelParams, store.load_run(run_id).params) == params


def test_registering_a_model_twice_gives_the_same_record(store: ProjectStore) -> None:
    spec = params_to_json(ModelSpec(source="hub", name="gpt2"))
    first = store.register_model(spec, "fp1", params_to_json(_info("gpt2")))
    again = store.register_model(dict(reversed(list(spec.items()))), "fp1", params_to_json(_info("gpt2 (moved)")))
    other_weights = store.register_model(spec, "fp2", params_to_json(_info("gpt2")))
    assert first == again != other_weights
    run_id = store.start_run("sample", {}, title="s", model_id=first)
    assert store.list_runs()[0].model_label == "gpt2 (moved)"
    assert store.load_run(run_id).model_spec == spec


def test_history_lists_newest_first_filters_by_kind_and_limits(store: ProjectStore) -> None:
    ids = [store.start_run(kind, {}, title=f"{kind} {i}", model_id=None) for i, kind in enumerate("abab")]
    assert [r.id for r in store.list_runs()] == ids[::-1]
    assert [r.id for r in store.list_runs(kind="a")] == [ids[2], ids[0]]
    assert [r.id for r in store.list_runs(limit=1)] == [ids[3]]


def test_failed_and_cancelled_runs_keep_their_message(store: ProjectStore) -> None:
    failed = store.start_run("x", {}, title="f", model_id=None)
    store.finish_run(failed, status="failed", error="Subject not in prompt.")
    cancelled = store.start_run("x", {}, title="c", model_id=None)
    store.finish_run(cancelled, status="cancelled", error="Cancelled by the user.")
    summaries = {r.id: r for r in store.list_runs()}
    assert summaries[failed].status == "failed" and summaries[failed].error == "Subject not in prompt."
    assert summaries[cancelled].status == "cancelled"
    with pytest.raises(ProjectError, match="already ended"):
        store.finish_run(failed, status="finished")


def test_a_result_the_store_cannot_hold_fails_the_run_instead_of_leaving_it_running(store: ProjectStore) -> None:
    run_id = store.start_run("x", {}, title="odd", model_id=None)
    with pytest.raises(TypeError, match="objects"):
        store.finish_run(run_id, status="finished", result={"bad": np.array([object()], dtype=object)})
    (summary,) = store.list_runs()
    assert summary.status == "failed" and "could not be stored" in (summary.error or "")


def test_curve_points_are_readable_while_the_run_is_live(store: ProjectStore) -> None:
    run_id = store.start_run("finetune", {}, title="lora", model_id=None)
    store.append_curve_points(run_id, "loss", [(0, 2.5), (1, 2.0)])
    assert np.array_equal(store.curves(run_id)["loss"].values, [2.5, 2.0])
    store.append_curve_points(run_id, "loss", [(2, 1.5)])
    store.append_curve_points(run_id, "eval_loss", [(2, 1.9)])
    curves = store.load_run(run_id).curves
    assert curves["loss"].steps.tolist() == [0, 1, 2] and curves["loss"].values.tolist() == [2.5, 2.0, 1.5]
    assert curves["eval_loss"].steps.tolist() == [2]


def test_wal_journaling_and_foreign_keys_are_on(store: ProjectStore, project_path: Path) -> None:
    assert _sql(project_path, "PRAGMA journal_mode") == [("wal",)]
    # Enforced only when the store's connections switch foreign keys on:
    with pytest.raises(ProjectError, match="no longer exists"):
        store.append_curve_points(999, "loss", [(0, 1.0)])
    assert _count(project_path, "curve_points") == 0


def test_deleting_a_run_cascades_to_its_arrays_curves_notes_bookmarks_and_artifacts(
    store: ProjectStore, project_path: Path
) -> None:
    keep = store.start_run("x", {}, title="keep", model_id=None)
    store.finish_run(keep, status="finished", result={"a": np.ones(3)})
    gone = store.start_run("x", {}, title="gone", model_id=None)
    store.append_curve_points(gone, "loss", [(0, 1.0), (1, 0.5)])
    store.finish_run(gone, status="finished", result={"a": np.ones(3), "b": np.zeros(2)})
    store.add_note("look at layer 5", run_id=gone)
    store.add_note("project-wide note")
    store.add_bookmark("slide 1", gone)
    store.add_artifact(gone, "adapter", "lora", b"\x00" * 100)

    store.delete_run(gone)

    assert [r.id for r in store.list_runs()] == [keep]
    assert _count(project_path, "run_arrays") == 1
    for table in ("curve_points", "bookmarks", "artifacts"):
        assert _count(project_path, table) == 0, table
    assert [n.text for n in store.notes()] == ["project-wide note"]
    with pytest.raises(ProjectError, match="does not exist"):
        store.load_run(gone)


def test_deleting_a_big_run_gives_the_space_back(store: ProjectStore, project_path: Path) -> None:
    run_id = store.start_run("x", {}, title="noise", model_id=None)
    store.finish_run(run_id, status="finished", result=np.random.default_rng(0).standard_normal(500_000))
    store.delete_run(run_id)
    assert _sql(project_path, "PRAGMA freelist_count") == [(0,)]
    assert _sql(project_path, "PRAGMA page_count")[0][0] < 100


def test_a_running_run_cannot_be_deleted(store: ProjectStore) -> None:
    run_id = store.start_run("x", {}, title="busy", model_id=None)
    with pytest.raises(ProjectError, match="still running"):
        store.delete_run(run_id)


def test_renaming_a_run(store: ProjectStore) -> None:
    run_id = store.start_run("x", {}, title="old", model_id=None)
    store.rename_run(run_id, "  new title ")
    assert store.list_runs()[0].title == "new title"
    with pytest.raises(InvalidParameters):
        store.rename_run(run_id, "   ")
    with pytest.raises(ProjectError):
        store.rename_run(run_id + 1, "x")


def test_notes_per_run_and_for_the_whole_project(store: ProjectStore) -> None:
    run_id = store.start_run("x", {}, title="r", model_id=None)
    store.add_note("general")
    store.add_note("about the run", run_id=run_id)
    assert [n.text for n in store.notes(run_id)] == ["about the run"]
    assert [n.text for n in store.notes()] == ["general", "about the run"]
    with pytest.raises(ProjectError):
        store.add_note("orphan", run_id=run_id + 1)


def test_bookmarks_keep_presentation_order(store: ProjectStore) -> None:
    a = store.start_run("x", {}, title="a", model_id=None)
    b = store.start_run("x", {}, title="b", model_id=None)
    store.add_bookmark("second", b)
    store.add_bookmark("first", a, position=0)
    store.add_bookmark("third", a)
    assert [(m.name, m.run_id) for m in store.bookmarks()] == [("first", a), ("second", b), ("third", a)]
    with pytest.raises(ProjectError, match="already exists"):
        store.add_bookmark("first", b)
    store.remove_bookmark("second")
    assert [m.name for m in store.bookmarks()] == ["first", "third"]
    with pytest.raises(ProjectError):
        store.remove_bookmark("second")


def test_artifacts_keep_their_bytes(store: ProjectStore) -> None:
    run_id = store.start_run("finetune", {}, title="lora", model_id=None)
    payload = bytes(range(256)) * 10
    artifact_id = store.add_artifact(run_id, "adapter", "peft-lora", payload)
    (record,) = store.artifacts(run_id)
    assert (record.name, record.kind, record.size_bytes) == ("adapter", "peft-lora", len(payload))
    assert store.artifact_data(artifact_id) == payload
    with pytest.raises(ProjectError):
        store.add_artifact(run_id, "adapter", "peft-lora", b"again")


def test_runs_left_running_by_a_crash_are_marked_interrupted_on_open(project_path: Path) -> None:
    store = ProjectStore.create(project_path)
    done = store.start_run("x", {}, title="done", model_id=None)
    store.finish_run(done, status="finished")
    left = store.start_run("x", {}, title="in flight", model_id=None)
    store.close()  # without finish_run, as after a crash

    with ProjectStore.open(project_path, read_only=True) as reader:  # a reader changes nothing
        assert {r.id: r.status for r in reader.list_runs()}[left] == "running"
    with ProjectStore.open(project_path) as reopened:
        runs = {r.id: r for r in reopened.list_runs()}
    assert runs[done].status == "finished"
    assert runs[left].status == "failed" and runs[left].error == "interrupted"


def test_a_read_only_store_sees_the_writers_commits_and_refuses_writes(store: ProjectStore, project_path: Path) -> None:
    with ProjectStore.open(project_path, read_only=True) as reader:
        run_id = store.start_run("x", {}, title="live", model_id=None)
        assert [r.id for r in reader.list_runs()] == [run_id]
        with pytest.raises(ProjectError, match="read-only"):
            reader.add_note("nope")
        with reader._engine.connect() as connection, pytest.raises(OperationalError, match="readonly"):
            connection.execute(text("DELETE FROM runs"))  # SQLite itself refuses: PRAGMA query_only


def test_save_copy_writes_a_complete_project_elsewhere(store: ProjectStore, tmp_path: Path) -> None:
    run_id = store.start_run("x", {}, title="r", model_id=None)
    store.finish_run(run_id, status="finished", result={"a": np.arange(10)})
    target = tmp_path / "copy.wbproj"
    target.write_text("an old file the user chose to replace")
    assert store.save_copy(target) == target
    with ProjectStore.open(target) as copy:
        assert np.array_equal(copy.load_run(run_id).result["a"], np.arange(10))
    with pytest.raises(ProjectError, match="itself"):
        store.save_copy(store.path)


# ------------------------------------------------------------------ opening errors


def test_creating_over_an_existing_file_is_refused(store: ProjectStore, project_path: Path) -> None:
    with pytest.raises(ProjectError, match="already exists"):
        ProjectStore.create(project_path)


def test_open_or_create_creates_then_reopens(tmp_path: Path) -> None:
    path = tmp_path / "new.wbproj"
    with ProjectStore.open_or_create(path) as created:
        run_id = created.start_run("x", {}, title="r", model_id=None)
    with ProjectStore.open_or_create(path) as reopened:
        assert [r.id for r in reopened.list_runs()] == [run_id]
        assert reopened.schema_version == migrations.current_schema_version()


def test_a_version_3_project_keys_its_covariances_and_follows_the_renamed_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v3.wbproj"
    key = ("f" * 64, 2, "demo", 1000)
    result = PerplexityResult(np.arange(3), ("a", "b", "c"), np.array([np.nan, 1.0, 2.0]), 4.5, 64, 32)
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
        with ProjectStore.create(path) as old:
            covariance_run = old.start_run(
                "edit_covariance", {"fingerprint": key[0], "layer": 2, "corpus": "demo", "tokens": 1000},
                title="C", model_id=None,
            )  # fmt: skip
            old.add_artifact(covariance_run, "covariance", "npy", array_to_blob(np.eye(3)))
            old.finish_run(covariance_run, status="finished")
            perplexity_run = old.start_run("perplexity", {}, title="p", model_id=None)
            old.finish_run(perplexity_run, status="finished", result=result)
    # as version 3 wrote them: no artifact key, results naming the module's old name
    _sql(path, "DROP INDEX ix_artifacts_kind_key")
    _sql(path, "ALTER TABLE artifacts DROP COLUMN key")
    _sql(path, "UPDATE runs SET result = replace(result, 'workbench.core.text_metrics:', 'workbench.core.evaluation:')")
    assert _sql(path, "SELECT COUNT(*) FROM runs WHERE instr(result, 'workbench.core.evaluation:') > 0") == [(1,)]
    with ProjectStore.open(path) as upgraded:
        assert upgraded.schema_version == migrations.current_schema_version() == 6
        found = upgraded.find_artifact("key_covariance", artifact_key(key))
        assert found is not None and np.array_equal(array_from_blob(found), np.eye(3))
        reopened = upgraded.load_run(perplexity_run).result
        assert isinstance(reopened, PerplexityResult) and reopened.tokens == ("a", "b", "c")


def test_find_artifact_looks_up_by_kind_and_key(store: ProjectStore) -> None:
    assert store.find_artifact("key_covariance", "k") is None
    first = store.record_keyed_artifact(
        "edit_covariance", title="C", params={"a": 1}, metrics={}, name="covariance", kind="key_covariance",
        key="k", data=b"one",
    )  # fmt: skip
    assert [(r.id, r.status) for r in store.list_runs()] == [(first, "finished")]
    assert store.find_artifact("key_covariance", "k") == b"one"
    assert store.find_artifact("other", "k") is None and store.find_artifact("key_covariance", "j") is None


def test_paths_with_spaces_and_url_characters_work(tmp_path: Path) -> None:
    path = tmp_path / "my lab #1 ?50%.wbproj"
    with ProjectStore.create(path) as created:
        run_id = created.start_run("x", {}, title="r", model_id=None)
    with ProjectStore.open(path) as reopened:
        assert [r.id for r in reopened.list_runs()] == [run_id]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no stray file under a mangled name


def test_a_missing_file_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        ProjectStore.open(tmp_path / "nowhere.wbproj")


def test_a_text_file_renamed_wbproj_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.wbproj"
    path.write_text("just some notes, not a database\n" * 10)
    with pytest.raises(ProjectError, match="not an LLM Workbench project: it is not an SQLite database"):
        ProjectStore.open(path)


def test_another_programs_sqlite_database_gives_a_clear_error_and_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "browser-history.sqlite"
    _sql(path, "CREATE TABLE schema_version (version INTEGER)")  # even with a look-alike table
    _sql(path, "INSERT INTO schema_version VALUES (1)")
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="SQLite database of another program"):
        ProjectStore.open(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_a_project_from_a_newer_workbench_gives_a_clear_error(store: ProjectStore, project_path: Path) -> None:
    store.close()
    _sql(project_path, "INSERT INTO schema_version (version, applied_at) VALUES (7, '2030-01-01 00:00:00')")
    newest = migrations.current_schema_version()
    with pytest.raises(ProjectError) as caught:
        ProjectStore.open(project_path)
    assert str(caught.value) == (
        f"lab.wbproj was written by a newer LLM Workbench (schema 7); this version reads up to {newest}."
    )


# ------------------------------------------------------------------------ migrations


def _add_starred_column(connection) -> None:
    connection.execute(text("ALTER TABLE runs ADD COLUMN starred INTEGER NOT NULL DEFAULT 0"))


def _rebuild_runs_table(connection) -> None:
    """A table rebuild, SQLite's way for changes ALTER TABLE cannot make.

    Dropping the old ``runs`` would cascade to every child row if foreign keys were on.
    """
    create = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'runs'")).scalar_one()
    connection.execute(text(create.replace("CREATE TABLE runs", "CREATE TABLE runs_new", 1)))
    connection.execute(text("INSERT INTO runs_new SELECT * FROM runs"))
    connection.execute(text("DROP TABLE runs"))
    connection.execute(text("ALTER TABLE runs_new RENAME TO runs"))


_RAG_TABLES = ("rag_collections", "rag_documents", "rag_chunks", "rag_indexes")


def _make_version_1_project(path: Path, monkeypatch) -> int:
    """A project as version 1 wrote it: no RAG tables, one run with an array and a note."""
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", [])
        with ProjectStore.create(path) as store:
            run_id = store.start_run("x", {}, title="old run", model_id=None)
            store.finish_run(run_id, status="finished", result={"a": np.arange(3)})
            store.add_note("kept through the upgrade", run_id=run_id)
            assert store.schema_version == 1
    for table in _RAG_TABLES:
        _sql(path, f"DROP TABLE {table}")
    return run_id


def _table_shapes(path: Path) -> dict[str, tuple]:
    """Columns, indexes and foreign keys of every table, as SQLite reports them."""
    shapes = {}
    for (table,) in _sql(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        indexes = sorted(
            (unique, tuple(column for *_, column in _sql(path, f"PRAGMA index_info('{name}')")))
            for _, name, unique, *_ in _sql(path, f"PRAGMA index_list('{table}')")
        )
        shapes[table] = (
            _sql(path, f"PRAGMA table_info('{table}')"),
            indexes,
            _sql(path, f"PRAGMA foreign_key_list('{table}')"),
        )
    return shapes


def test_a_version_1_project_gains_the_rag_tables_and_keeps_its_runs(tmp_path: Path, monkeypatch) -> None:
    from workbench.core.rag.params import ChunkSettings
    from workbench.store import RagLibrary

    old = tmp_path / "old.wbproj"
    run_id = _make_version_1_project(old, monkeypatch)
    with ProjectStore.open(old) as store:
        assert store.schema_version == migrations.current_schema_version()
        assert np.array_equal(store.load_run(run_id).result["a"], np.arange(3))
        library = RagLibrary.for_store(store)
        assert library.collections() == []
        library.commit_ingest(
            "notes",
            embedder="bm25-only",
            chunking=asdict(ChunkSettings()),
            sparse_tokenizer="jieba",
            documents=[],
            kept_chunk_ids=np.zeros(0, np.int64),
            indexes=[],
        )
        assert [c.name for c in library.collections()] == ["notes"]
    fresh = tmp_path / "fresh.wbproj"
    ProjectStore.create(fresh).close()
    assert _table_shapes(old) == _table_shapes(fresh)  # the migration builds what a new project has


def test_a_project_given_rag_tables_before_they_were_versioned_keeps_its_collections(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "dev.wbproj"
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", [])
        ProjectStore.create(path).close()  # version 1, yet with the tables (as ensure_tables made them)
    _sql(
        path,
        "INSERT INTO rag_collections (name, embedder, chunking, sparse_tokenizer, revision, created_at, updated_at) "
        "VALUES ('kept', 'e5-small', '{}', 'jieba', 3, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    )
    with ProjectStore.open(path) as store:
        assert store.schema_version == migrations.current_schema_version()
    assert _sql(path, "SELECT name, revision FROM rag_collections") == [("kept", 3)]


def test_an_older_project_is_migrated_step_by_step_on_open(project_path: Path, monkeypatch) -> None:
    run_id = _make_version_1_project(project_path, monkeypatch)
    monkeypatch.setattr(migrations, "MIGRATIONS", [_add_starred_column, _rebuild_runs_table])

    with ProjectStore.open(project_path) as store:
        assert store.schema_version == 3
        assert np.array_equal(store.load_run(run_id).result["a"], np.arange(3))
        assert [n.text for n in store.notes(run_id)] == ["kept through the upgrade"]
    assert _sql(project_path, "SELECT version FROM schema_version ORDER BY version") == [(1,), (2,), (3,)]
    assert _sql(project_path, "SELECT starred FROM runs") == [(0,)]
    assert _sql(project_path, "PRAGMA foreign_key_check") == []


def test_a_failing_migration_leaves_the_file_at_its_old_version(project_path: Path, monkeypatch) -> None:
    _make_version_1_project(project_path, monkeypatch)

    def broken(connection) -> None:
        connection.execute(text("ALTER TABLE runs ADD COLUMN half_done INTEGER"))
        raise RuntimeError("bug in migration")

    monkeypatch.setattr(migrations, "MIGRATIONS", [_add_starred_column, broken])
    with pytest.raises(RuntimeError, match="bug in migration"):
        ProjectStore.open(project_path)
    monkeypatch.setattr(migrations, "MIGRATIONS", [])
    with ProjectStore.open(project_path) as store:
        assert store.schema_version == 1
    columns = {row[1] for row in _sql(project_path, "PRAGMA table_info(runs)")}
    assert not {"starred", "half_done"} & columns
