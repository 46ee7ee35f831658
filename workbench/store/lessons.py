"""Lessons: ordered steps (saved runs or live actions) with Markdown notes, kept in the project.

A lecturer lines runs up into a story once and steps through it in Present mode (issue 21).
These functions take a ``ProjectFile`` (``ProjectStore``) and are one short transaction
each; the GUI calls them through the jobs in ``lesson_jobs``, so writes stay in the worker.
Exporting a lesson with the runs it shows, and importing it elsewhere, is ``lesson_file``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from workbench.base.errors import InvalidParameters, ProjectError
from workbench.store.codec import to_plain_json
from workbench.store.project_file import ProjectFile
from workbench.store.schema import Lesson, LessonStep, Run

StepKind = Literal["run", "live"]


@dataclass(frozen=True)
class LessonRecord:
    id: int
    title: str
    created_at: datetime
    step_count: int


@dataclass(frozen=True)
class LessonStepRecord:
    """One step; ``run_id`` is None for a live step, or when the run it showed was deleted."""

    id: int
    lesson_id: int
    position: int
    kind: StepKind
    run_id: int | None
    run_kind: str | None
    """The kind of the run shown (``sample``, ``trace`` …): which lab reopens it."""
    title: str
    notes: str
    live: dict[str, Any] | None = None
    view: dict[str, Any] | None = None
    """The lab's view to restore with the step (``Panel.view_state``), or None for the lab's default."""


def _title(title: str, what: str) -> str:
    title = title.strip()
    if not title:
        raise InvalidParameters(f"A {what} needs a title.")
    return title


def _require_lesson(session: Session, lesson_id: int) -> Lesson:
    lesson = session.get(Lesson, lesson_id)
    if lesson is None:
        raise ProjectError(f"Lesson {lesson_id} does not exist in this project.")
    return lesson


def _require_step(session: Session, step_id: int) -> LessonStep:
    step = session.get(LessonStep, step_id)
    if step is None:
        raise ProjectError(f"Lesson step {step_id} does not exist in this project.")
    return step


# ------------------------------------------------------------------------------ read


def list_lessons(store: ProjectFile) -> list[LessonRecord]:
    """Every lesson, oldest first, with how many steps it has."""
    counts = (
        select(LessonStep.lesson_id, func.count(LessonStep.id).label("n")).group_by(LessonStep.lesson_id).subquery()
    )
    statement = (
        select(Lesson.id, Lesson.title, Lesson.created_at, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.lesson_id == Lesson.id)
        .order_by(Lesson.id)
    )
    with store.read_session() as session:
        return [LessonRecord(*row) for row in session.execute(statement)]


def lesson_steps(store: ProjectFile, lesson_id: int) -> list[LessonStepRecord]:
    """The lesson's steps in order."""
    statement = (
        select(LessonStep, Run.kind)
        .outerjoin(Run, Run.id == LessonStep.run_id)
        .where(LessonStep.lesson_id == lesson_id)
        .order_by(LessonStep.position, LessonStep.id)
    )
    with store.read_session() as session:
        _require_lesson(session, lesson_id)
        return [
            LessonStepRecord(
                id=step.id,
                lesson_id=step.lesson_id,
                position=step.position,
                kind=step.kind,  # type: ignore[arg-type]  # a step's kind is one of StepKind's values (checked when it is written)
                run_id=step.run_id,
                run_kind=run_kind,
                title=step.title,
                notes=step.notes,
                live=step.live,
                view=step.view,
            )
            for step, run_kind in session.execute(statement)
        ]


# ----------------------------------------------------------------------------- write


def create_lesson(store: ProjectFile, title: str) -> int:
    lesson = Lesson(title=_title(title, "lesson"))
    with store.write_session() as session:
        session.add(lesson)
        session.flush()
        return lesson.id


def rename_lesson(store: ProjectFile, lesson_id: int, title: str) -> None:
    title = _title(title, "lesson")
    with store.write_session() as session:
        _require_lesson(session, lesson_id).title = title


def delete_lesson(store: ProjectFile, lesson_id: int) -> None:
    """Delete a lesson and its steps (the runs stay in the project)."""
    with store.write_session() as session:
        _require_lesson(session, lesson_id)
        session.execute(delete(Lesson).where(Lesson.id == lesson_id))


def add_run_step(
    store: ProjectFile,
    lesson_id: int,
    run_id: int,
    *,
    title: str | None = None,
    notes: str = "",
    position: int | None = None,
) -> int:
    """Add a step showing ``run_id`` (titled like the run unless ``title``); returns its id.

    ``position`` (0-based) inserts it there; without one it goes last.
    """
    with store.write_session() as session:
        _require_lesson(session, lesson_id)
        run = session.get(Run, run_id)
        if run is None:
            raise ProjectError(f"Run {run_id} does not exist in this project.")
        step = LessonStep(
            lesson_id=lesson_id, kind="run", run_id=run_id, title=_title(title or run.title, "step"), notes=notes
        )
        return _insert_step(session, step, position)


def add_live_step(
    store: ProjectFile,
    lesson_id: int,
    title: str,
    action: Mapping[str, Any],
    *,
    notes: str = "",
    position: int | None = None,
) -> int:
    """Add a live step (an action done in front of the room, e.g. ``{"lab": "sampling", "prompt": …}``)."""
    with store.write_session() as session:
        _require_lesson(session, lesson_id)
        live = to_plain_json(dict(action))
        step = LessonStep(
            lesson_id=lesson_id, kind="live", run_id=None, live=live, title=_title(title, "step"), notes=notes
        )
        return _insert_step(session, step, position)


def _insert_step(session: Session, step: LessonStep, position: int | None) -> int:
    ids = _ordered_step_ids(session, step.lesson_id)
    step.position = len(ids)
    session.add(step)
    session.flush()
    if position is not None and 0 <= position < len(ids):
        ids.insert(position, step.id)
        _renumber(session, ids)
    return step.id


def _ordered_step_ids(session: Session, lesson_id: int) -> list[int]:
    return list(
        session.scalars(
            select(LessonStep.id).where(LessonStep.lesson_id == lesson_id).order_by(LessonStep.position, LessonStep.id)
        )
    )


def _renumber(session: Session, ids: Sequence[int]) -> None:
    for position, step_id in enumerate(ids):
        session.execute(update(LessonStep).where(LessonStep.id == step_id).values(position=position))


def reorder_steps(store: ProjectFile, lesson_id: int, step_ids: Sequence[int]) -> None:
    """Put the lesson's steps in the order ``step_ids`` (which must name each step once)."""
    with store.write_session() as session:
        _require_lesson(session, lesson_id)
        current = _ordered_step_ids(session, lesson_id)
        if sorted(current) != sorted(step_ids) or len(set(step_ids)) != len(step_ids):
            raise ProjectError("The lesson's steps changed meanwhile; the new order was not saved.")
        _renumber(session, step_ids)


def move_step(store: ProjectFile, step_id: int, position: int) -> None:
    """Move one step to ``position`` (0-based, clamped) within its lesson."""
    with store.write_session() as session:
        step = _require_step(session, step_id)
        ids = _ordered_step_ids(session, step.lesson_id)
        ids.remove(step_id)
        ids.insert(max(0, min(position, len(ids))), step_id)
        _renumber(session, ids)


def edit_step(
    store: ProjectFile,
    step_id: int,
    *,
    title: str | None = None,
    notes: str | None = None,
    view: Mapping[str, Any] | None = None,
) -> None:
    """Change a step's title, its Markdown notes and/or the view its lab is restored to."""
    with store.write_session() as session:
        step = _require_step(session, step_id)
        if title is not None:
            step.title = _title(title, "step")
        if notes is not None:
            step.notes = notes
        if view is not None:
            step.view = to_plain_json(dict(view))


def delete_step(store: ProjectFile, step_id: int) -> None:
    with store.write_session() as session:
        step = _require_step(session, step_id)
        lesson_id = step.lesson_id
        session.delete(step)
        session.flush()
        _renumber(session, _ordered_step_ids(session, lesson_id))
