"""Lesson edits as worker jobs: the GUI reads lessons itself but every write goes through here.

Each job returns ``LessonChanged`` so that views know which lesson (and step) to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.base.jobs import CancelToken, JobParams, Progress, job
from workbench.store import lessons
from workbench.store.project_jobs import StoreContext, require_store


@dataclass(frozen=True)
class LessonChanged:
    """The result of every lesson job: the lesson (None once deleted) and the step to select."""

    lesson_id: int | None
    step_id: int | None = None


@dataclass(frozen=True)
class CreateLessonParams(JobParams, kind="lesson_create"):
    title: str


@dataclass(frozen=True)
class RenameLessonParams(JobParams, kind="lesson_rename"):
    lesson_id: int
    title: str


@dataclass(frozen=True)
class DeleteLessonParams(JobParams, kind="lesson_delete"):
    lesson_id: int


@dataclass(frozen=True)
class AddLessonStepsParams(JobParams, kind="lesson_add_steps"):
    """Add a step for each run, in order, at ``position`` (last when None)."""

    lesson_id: int
    run_ids: tuple[int, ...]
    position: int | None = None


@dataclass(frozen=True)
class ReorderLessonStepsParams(JobParams, kind="lesson_reorder"):
    lesson_id: int
    step_ids: tuple[int, ...]


@dataclass(frozen=True)
class EditLessonStepParams(JobParams, kind="lesson_edit_step"):
    step_id: int
    lesson_id: int
    title: str | None = None
    notes: str | None = None
    view: dict[str, Any] | None = None


@dataclass(frozen=True)
class DeleteLessonStepParams(JobParams, kind="lesson_delete_step"):
    step_id: int
    lesson_id: int


@dataclass(frozen=True)
class AddLiveStepParams(JobParams, kind="lesson_add_live_step"):
    """Add a live step (``action``: the lab and the parameters it runs) at ``position`` (last when None)."""

    lesson_id: int
    title: str
    action: dict[str, Any]
    position: int | None = None


@dataclass(frozen=True)
class ImportLessonParams(JobParams, kind="lesson_import"):
    path: str


@job(
    CreateLessonParams,
    RenameLessonParams,
    DeleteLessonParams,
    AddLessonStepsParams,
    ReorderLessonStepsParams,
    EditLessonStepParams,
    DeleteLessonStepParams,
    AddLiveStepParams,
    ImportLessonParams,
    saves_run=False,
)
def lesson_job(ctx: StoreContext, params: Any, progress: Progress, cancel: CancelToken) -> LessonChanged:
    from workbench.store.lesson_file import import_lesson

    store = require_store(ctx)
    match params:
        case CreateLessonParams(title=title):
            return LessonChanged(lessons.create_lesson(store, title))
        case RenameLessonParams(lesson_id=lesson_id, title=title):
            lessons.rename_lesson(store, lesson_id, title)
            return LessonChanged(lesson_id)
        case DeleteLessonParams(lesson_id=lesson_id):
            lessons.delete_lesson(store, lesson_id)
            return LessonChanged(None)
        case AddLessonStepsParams(lesson_id=lesson_id, run_ids=run_ids, position=position):
            step_id = None
            for offset, run_id in enumerate(run_ids):
                at = None if position is None else position + offset
                step_id = lessons.add_run_step(store, lesson_id, run_id, position=at)
            return LessonChanged(lesson_id, step_id)
        case AddLiveStepParams(lesson_id=lesson_id, title=title, action=action, position=position):
            return LessonChanged(lesson_id, lessons.add_live_step(store, lesson_id, title, action, position=position))
        case ReorderLessonStepsParams(lesson_id=lesson_id, step_ids=step_ids):
            lessons.reorder_steps(store, lesson_id, step_ids)
            return LessonChanged(lesson_id)
        case EditLessonStepParams(step_id=step_id, lesson_id=lesson_id, title=title, notes=notes, view=view):
            lessons.edit_step(store, step_id, title=title, notes=notes, view=view)
            return LessonChanged(lesson_id, step_id)
        case DeleteLessonStepParams(step_id=step_id, lesson_id=lesson_id):
            lessons.delete_step(store, step_id)
            return LessonChanged(lesson_id)
        case ImportLessonParams(path=path):
            progress(0.1, "Importing the lesson and its runs")
            return LessonChanged(import_lesson(store, path))
    raise TypeError(f"not a lesson job: {type(params).__name__}")
