"""Lessons in the project file: steps in order, notes, deletion, migration, export → import."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from workbench.base.errors import ProjectError
from workbench.core.text_metrics import PerplexityResult
from workbench.store import lessons, migrations
from workbench.store.lesson_file import export_lesson, import_lesson
from workbench.store.lesson_jobs import AddLessonStepsParams, LessonChanged, ReorderLessonStepsParams, lesson_job
from workbench.store.project import ProjectStore


def _finished_run(store: ProjectStore, kind: str, title: str, result: object, *, model: bool = False) -> int:
    model_id = store.register_model({"source": "demo"}, "f" * 64, {"label": "demo"}) if model else None
    run_id = store.start_run(kind, {"prompt": title, "k": 3}, title=title, model_id=model_id)
    store.append_curve_points(run_id, "loss", [(1, 2.5), (2, 1.25)])
    store.finish_run(run_id, status="finished", result=result, metrics={"p": 0.5})
    store.add_note(f"note on {title}", run_id=run_id)
    store.add_artifact(run_id, "edit", "rome", b"\x00\x01bytes")
    return run_id


@pytest.fixture()
def store(tmp_path: Path):
    with ProjectStore.create(tmp_path / "lecture.wbproj") as project:
        yield project


def _titles(store: ProjectStore, lesson_id: int) -> list[str]:
    return [step.title for step in lessons.lesson_steps(store, lesson_id)]


def test_steps_keep_their_order_through_adds_moves_reorders_and_deletes(store: ProjectStore) -> None:
    runs = [_finished_run(store, "sample", f"run {i}", {"x": i}) for i in range(4)]
    lesson = lessons.create_lesson(store, "  Chapter 1  ")
    steps = [lessons.add_run_step(store, lesson, run) for run in runs[:3]]
    first = lessons.add_run_step(store, lesson, runs[3], title="opening", position=0)
    assert _titles(store, lesson) == ["opening", "run 0", "run 1", "run 2"]
    lessons.move_step(store, first, 99)
    assert _titles(store, lesson) == ["run 0", "run 1", "run 2", "opening"]
    lessons.reorder_steps(store, lesson, [steps[2], first, steps[0], steps[1]])
    assert _titles(store, lesson) == ["run 2", "opening", "run 0", "run 1"]
    lessons.delete_step(store, first)
    assert [s.position for s in lessons.lesson_steps(store, lesson)] == [0, 1, 2]
    with pytest.raises(ProjectError, match="changed meanwhile"):
        lessons.reorder_steps(store, lesson, [steps[0]])
    assert [(r.title, r.step_count) for r in lessons.list_lessons(store)] == [("Chapter 1", 3)]


def test_notes_titles_renames_and_deleting_a_lesson_leave_the_runs(store: ProjectStore) -> None:
    run = _finished_run(store, "trace", "zebra trace", {"x": 1})
    lesson = lessons.create_lesson(store, "Tracing")
    step = lessons.add_run_step(store, lesson, run)
    lessons.edit_step(store, step, title="Where is the fact?", notes="# Look\n\n**layer 3**")
    lessons.rename_lesson(store, lesson, "Causal tracing")
    (shown,) = lessons.lesson_steps(store, lesson)
    assert (shown.title, shown.notes, shown.run_id, shown.run_kind) == (
        "Where is the fact?",
        "# Look\n\n**layer 3**",
        run,
        "trace",
    )
    assert lessons.list_lessons(store)[0].title == "Causal tracing"
    lessons.delete_lesson(store, lesson)
    assert lessons.list_lessons(store) == []
    assert store.load_run(run).summary.title == "zebra trace"


def test_deleting_a_run_keeps_its_step_and_notes_without_a_run(store: ProjectStore) -> None:
    run = _finished_run(store, "sample", "gone soon", {"x": 1})
    lesson = lessons.create_lesson(store, "L")
    step = lessons.add_run_step(store, lesson, run, notes="keep me")
    store.delete_run(run)
    (shown,) = lessons.lesson_steps(store, lesson)
    assert (shown.id, shown.run_id, shown.notes) == (step, None, "keep me")


def test_live_steps_and_bad_input_are_explained(store: ProjectStore) -> None:
    lesson = lessons.create_lesson(store, "Live")
    lessons.add_live_step(store, lesson, "Sample now", {"lab": "sampling", "prompt": "The zebra"})
    (step,) = lessons.lesson_steps(store, lesson)
    assert step.kind == "live" and step.live == {"lab": "sampling", "prompt": "The zebra"} and step.run_id is None
    with pytest.raises(ProjectError, match="Run 999"):
        lessons.add_run_step(store, lesson, 999)
    with pytest.raises(Exception, match="needs a title"):
        lessons.create_lesson(store, "  ")


def test_jobs_add_several_runs_at_a_position_and_reorder(store: ProjectStore) -> None:
    from workbench.base.jobs import CancelToken, JobContext, Progress

    ctx = JobContext()
    ctx.store = store
    runs = [_finished_run(store, "sample", f"r{i}", {"x": i}) for i in range(3)]
    lesson = lessons.create_lesson(store, "L")
    lessons.add_run_step(store, lesson, runs[0])
    progress = Progress(lambda *_: None)
    changed = lesson_job(ctx, AddLessonStepsParams(lesson, (runs[1], runs[2]), position=0), progress, CancelToken())
    assert isinstance(changed, LessonChanged) and changed.lesson_id == lesson
    assert _titles(store, lesson) == ["r1", "r2", "r0"]
    ids = [s.id for s in lessons.lesson_steps(store, lesson)]
    lesson_job(ctx, ReorderLessonStepsParams(lesson, tuple(reversed(ids))), progress, CancelToken())
    assert _titles(store, lesson) == ["r0", "r2", "r1"]


def test_export_then_import_into_a_fresh_project_gives_the_same_steps_and_run_payloads(
    store: ProjectStore, tmp_path: Path
) -> None:
    sample = _finished_run(store, "sample", "giraffe", {"tokens": ["a", "b"], "p": np.linspace(0, 1, 5)}, model=True)
    trace = _finished_run(store, "trace", "zebra", {"scores": {"hidden": np.arange(12.0).reshape(3, 4)}, "t": (1, 2)})
    _finished_run(store, "sample", "not in the lesson", {"x": 0})
    lesson = lessons.create_lesson(store, "第五章 · Editing")
    lessons.add_run_step(store, lesson, trace, notes="**斑马** first")
    lessons.add_live_step(store, lesson, "Now you", {"lab": "sampling", "prompt": "The zebra"})
    lessons.add_run_step(store, lesson, sample, notes="then sampling")
    lessons.add_run_step(store, lesson, trace, title="the trace again")
    exported = export_lesson(store, lesson, tmp_path / "ch5.wblesson")
    assert len(json.loads(exported.read_text(encoding="utf-8"))["runs"]) == 2  # each run once

    with ProjectStore.create(tmp_path / "other.wbproj") as other:
        _finished_run(other, "rag", "the other project's own run", {"x": 1})
        imported = import_lesson(other, exported)
        assert [lesson.title for lesson in lessons.list_lessons(other)] == ["第五章 · Editing"]
        before, after = lessons.lesson_steps(store, lesson), lessons.lesson_steps(other, imported)
        assert [(s.title, s.notes, s.kind, s.run_kind, s.live) for s in after] == [
            (s.title, s.notes, s.kind, s.run_kind, s.live) for s in before
        ]
        assert after[0].run_id == after[3].run_id != after[2].run_id  # shared run imported once
        for old_step, new_step in zip(before, after):
            if old_step.run_id is None:
                assert new_step.run_id is None
                continue
            old, new = store.load_run(old_step.run_id), other.load_run(new_step.run_id)
            assert (new.summary.kind, new.summary.title, new.summary.status) == (
                old.summary.kind,
                old.summary.title,
                old.summary.status,
            )
            assert new.params == old.params and new.summary.metrics == old.summary.metrics
            assert new.model_spec == old.model_spec
            _assert_same(new.result, old.result)
            assert new.curves.keys() == old.curves.keys()
            for name in old.curves:
                np.testing.assert_array_equal(new.curves[name].values, old.curves[name].values)
            assert [n.text for n in other.notes(new.summary.id)] == [n.text for n in store.notes(old.summary.id)]
            (artifact,) = other.artifacts(new.summary.id)
            assert other.artifact_data(artifact.id) == b"\x00\x01bytes"
        assert len(other.list_runs()) == 3  # its own run plus the two the lesson carried


def _assert_same(new: object, old: object) -> None:
    if isinstance(old, np.ndarray):
        np.testing.assert_array_equal(new, old)
        assert new.dtype == old.dtype  # type: ignore[union-attr]
    elif isinstance(old, dict):
        assert isinstance(new, dict) and new.keys() == old.keys()
        for key in old:
            _assert_same(new[key], old[key])
    else:
        assert type(new) is type(old) and new == old


def test_a_damaged_or_foreign_lesson_file_is_refused_and_nothing_is_written(
    store: ProjectStore, tmp_path: Path
) -> None:
    run = _finished_run(store, "sample", "r", {"a": np.arange(3)})
    lesson = lessons.create_lesson(store, "L")
    lessons.add_run_step(store, lesson, run)
    path = export_lesson(store, lesson, tmp_path / "l.wblesson")
    document = json.loads(path.read_text())
    document["runs"][0]["arrays"]["a"] = "bm90IGEgemlw"  # base64 of 'not a zip'
    path.write_text(json.dumps(document))
    runs_before = len(store.list_runs())
    with pytest.raises(ProjectError, match="cannot be read"):
        import_lesson(store, path)
    assert len(store.list_runs()) == runs_before and len(lessons.list_lessons(store)) == 1
    (tmp_path / "notes.wblesson").write_text('{"hello": 1}')
    with pytest.raises(ProjectError, match="not an LLM Workbench lesson"):
        import_lesson(store, tmp_path / "notes.wblesson")


def test_a_format_1_lesson_file_follows_the_modules_renamed_since(store: ProjectStore, tmp_path: Path) -> None:
    result = PerplexityResult(np.arange(2), ("a", "b"), np.array([np.nan, 1.0]), 2.7, 64, 32)
    lesson = lessons.create_lesson(store, "perplexity")
    lessons.add_run_step(store, lesson, _finished_run(store, "perplexity", "p", result))
    path = export_lesson(store, lesson, tmp_path / "old.wblesson")
    document = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(document | {"version": 1}).replace('"workbench.core.text_metrics:', '"workbench.core.evaluation:')
    assert '"workbench.core.evaluation:PerplexityResult"' in text  # as format 1 wrote it
    path.write_text(text, encoding="utf-8")
    with ProjectStore.create(tmp_path / "other.wbproj") as other:
        imported = import_lesson(other, path)
        (step,) = lessons.lesson_steps(other, imported)
        assert step.run_id is not None
        reopened = other.load_run(step.run_id).result
        assert isinstance(reopened, PerplexityResult) and reopened.tokens == ("a", "b")


def test_a_version_2_project_gains_the_lesson_tables(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "v2.wbproj"
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
        with ProjectStore.create(path) as old:
            run = old.start_run("sample", {}, title="kept", model_id=None)
            old.finish_run(run, status="finished", result={"x": 1})
            assert old.schema_version == 2
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE lesson_steps")
        db.execute("DROP TABLE lessons")
    with ProjectStore.open(path) as upgraded:
        assert upgraded.schema_version == migrations.current_schema_version() == 6
        lesson = lessons.create_lesson(upgraded, "after the upgrade")
        lessons.add_run_step(upgraded, lesson, run)
        assert _titles(upgraded, lesson) == ["kept"]


def test_a_version_4_project_gains_step_views_and_a_step_keeps_its_view(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "v4.wbproj"
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
        with ProjectStore.create(path) as old:
            run = old.start_run("trace", {}, title="traced", model_id=None)
            old.finish_run(run, status="finished", result={"x": 1})
            lesson = lessons.create_lesson(old, "before the upgrade")
            step = lessons.add_run_step(old, lesson, run)
            assert old.schema_version == 4
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE lesson_steps DROP COLUMN view")  # as version 4 created it
    with ProjectStore.open(path) as upgraded:
        assert upgraded.schema_version == migrations.current_schema_version() == 6
        (kept,) = lessons.lesson_steps(upgraded, lesson)
        assert kept.view is None and kept.title == "traced"
        view = {"lab": "tracing", "tabs": [1], "cell": ["mlp", 3, 2]}
        lessons.edit_step(upgraded, step, view=view)
        (kept,) = lessons.lesson_steps(upgraded, lesson)
        assert kept.view == view
        exported = export_lesson(upgraded, lesson, tmp_path / "viewed.wblesson")
    with ProjectStore.create(tmp_path / "other.wbproj") as other:
        (imported,) = lessons.lesson_steps(other, import_lesson(other, exported))
        assert imported.view == view
