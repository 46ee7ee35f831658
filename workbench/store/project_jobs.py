"""Project-level jobs (open, save as, rename, delete): store writes stay in the worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from workbench.base.errors import ProjectError
from workbench.base.jobs import CancelToken, JobContext, JobParams, Progress, job

if TYPE_CHECKING:
    from workbench.store.project import ProjectStore

StoreContext: TypeAlias = "JobContext[Any, ProjectStore]"
"""The context as the store's own jobs see it: they use the project, never the model."""


@dataclass(frozen=True)
class OpenProjectParams(JobParams, kind="open_project"):
    """Make ``path`` the active project, creating it when ``create`` and it does not exist."""

    path: str
    create: bool = True


@dataclass(frozen=True)
class SaveProjectAsParams(JobParams, kind="save_project_as"):
    """Copy the open project to ``path`` (a consistent online backup) and continue there."""

    path: str


@dataclass(frozen=True)
class RenameRunParams(JobParams, kind="rename_run"):
    run_id: int
    title: str


@dataclass(frozen=True)
class DeleteRunParams(JobParams, kind="delete_run"):
    run_id: int


@job(OpenProjectParams, saves_run=False)
def open_project_job(ctx: StoreContext, params: OpenProjectParams, progress: Progress, cancel: CancelToken) -> str:
    from workbench.store.project import ProjectStore

    progress(0.1, f"Opening {Path(params.path).name}")
    store = ProjectStore.open_or_create(params.path) if params.create else ProjectStore.open(params.path)
    ctx.store = store
    progress(1.0, f"Opened {Path(params.path).name}")
    return str(store.path)


@job(SaveProjectAsParams, saves_run=False)
def save_project_as_job(ctx: StoreContext, params: SaveProjectAsParams, progress: Progress, cancel: CancelToken) -> str:
    from workbench.store.project import ProjectStore

    store = require_store(ctx)
    target = Path(params.path).expanduser().resolve()
    if target == Path(store.path).resolve():
        return str(target)
    progress(0.1, f"Saving a copy as {target.name}")
    store.save_copy(target)
    ctx.store = ProjectStore.open(target)
    progress(1.0, f"Saved as {target.name}")
    return str(target)


@job(RenameRunParams, saves_run=False)
def rename_run_job(ctx: StoreContext, params: RenameRunParams, progress: Progress, cancel: CancelToken) -> Any:
    require_store(ctx).rename_run(params.run_id, params.title)
    return params.run_id


@job(DeleteRunParams, saves_run=False)
def delete_run_job(ctx: StoreContext, params: DeleteRunParams, progress: Progress, cancel: CancelToken) -> Any:
    require_store(ctx).delete_run(params.run_id)
    return params.run_id


def require_store(ctx: StoreContext) -> ProjectStore:
    if ctx.store is None:
        raise ProjectError("No project is open. Open or create one from the File menu.")
    return ctx.store
