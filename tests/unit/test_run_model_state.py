"""A run records what was layered on the model that produced it: adapters in use, edits applied.

Store tests on a real SQLite file: the state the session reports is stored with the run and
comes back from ``load_run`` and the run history; a file from before schema version 6 gains
the column and its old runs say nothing (their state is unknown, not "base weights").
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from model_builders import build_tiny_gpt2
from test_edit_ledger import random_edit
from test_edits_with_adapters import operate, session_with_lora  # noqa: F401  (a fixture)

from workbench.core.editing.jobs import ledger_of
from workbench.core.model.session import ModelSession
from workbench.core.model.state import LayeredAdapter, ModelState
from workbench.store import lessons, migrations
from workbench.store.codec import params_from_json, params_to_json
from workbench.store.lesson_file import export_lesson, import_lesson
from workbench.store.project import ProjectStore


def _stored_state(path: Path, session: ModelSession) -> tuple[ModelState, dict | None]:
    """Store a run as the worker does and read its state back from a reopened file."""
    with ProjectStore.create(path) as store:
        run_id = store.start_run(
            "trace", {}, title="t", model_id=None, model_state=params_to_json(session.layered_state())
        )
        store.finish_run(run_id, status="finished", result={"x": 1})
    with ProjectStore.open(path) as store:
        stored = store.load_run(run_id).summary.model_state
        (listed,) = store.list_runs()
    assert stored is not None and listed.model_state == stored
    return params_from_json(ModelState, stored), stored


def test_a_run_made_with_a_lora_on_records_the_adapter(session_with_lora, tmp_path: Path) -> None:  # noqa: F811
    session, _ctx = session_with_lora
    state, raw = _stored_state(tmp_path / "lora.wbproj", session)
    assert state.adapters == (LayeredAdapter("mlp", "lora"),) and not state.merged
    assert not state.edits and not state.base_weights
    assert raw["adapters"] == [{"name": "mlp", "method": "lora"}]


def test_a_run_on_the_base_weights_records_no_adapter_or_edit(tiny_tokenizer, tmp_path: Path) -> None:
    session = ModelSession.wrap(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer)
    state, _raw = _stored_state(tmp_path / "base.wbproj", session)
    assert state == ModelState() and state.base_weights


def test_a_switched_off_adapter_is_not_recorded_but_an_applied_edit_is(
    session_with_lora,  # noqa: F811
    tmp_path: Path,
) -> None:
    session, ctx = session_with_lora
    operate(ctx, "disable")
    edit_id = ledger_of(session).add(random_edit(session.require_loaded(), 1, 1, "A"))
    state, _raw = _stored_state(tmp_path / "edited.wbproj", session)
    assert not state.adapters
    assert [(e.edit_id, e.method) for e in state.edits] == [(edit_id, ledger_of(session).edit(edit_id).method)]
    assert state.edits[0].summary == ledger_of(session).entries()[0].summary


def test_a_version_5_project_gains_model_states_and_its_old_runs_have_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v5.wbproj"
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:4])
        with ProjectStore.create(path) as old:
            run_id = old.start_run("trace", {}, title="old", model_id=None)
            old.finish_run(run_id, status="finished", result={"x": 1})
            assert old.schema_version == 5
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("ALTER TABLE runs DROP COLUMN model_state")  # as version 5 created it
    with ProjectStore.open(path) as upgraded:
        assert upgraded.schema_version == migrations.current_schema_version() == 6
        assert upgraded.load_run(run_id).summary.model_state is None
        new = upgraded.start_run("trace", {}, title="new", model_id=None, model_state=params_to_json(ModelState()))
        assert upgraded.load_run(new).summary.model_state == {"adapters": [], "merged": False, "edits": []}


def test_a_lesson_file_carries_the_state_of_its_runs(tmp_path: Path) -> None:
    state = params_to_json(ModelState(adapters=(LayeredAdapter("facts", "lora"),)))
    with ProjectStore.create(tmp_path / "a.wbproj") as store:
        run_id = store.start_run("trace", {}, title="t", model_id=None, model_state=state)
        store.finish_run(run_id, status="finished", result={"x": 1})
        lesson = lessons.create_lesson(store, "states")
        lessons.add_run_step(store, lesson, run_id)
        exported = export_lesson(store, lesson, tmp_path / "states.wblesson")
    with ProjectStore.create(tmp_path / "b.wbproj") as other:
        (step,) = lessons.lesson_steps(other, import_lesson(other, exported))
        assert step.run_id is not None and other.load_run(step.run_id).summary.model_state == state
