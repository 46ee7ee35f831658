"""A lesson as one file (``*.wblesson``, JSON) that carries the runs it shows.

Runs travel exactly as the project stores them (``codec``): the result JSON with its
``{"__array__": name}`` placeholders, each array's ``np.savez_compressed`` bytes (base64),
parameters, metrics, timings, curves, artifacts (a saved adapter, an edit), notes and the
model record (spec and fingerprint).  Importing writes everything in one transaction: the
runs get new ids in the target project and the steps point at them; a model the target
already knows (same spec and fingerprint) is reused.  Arrays are checked to load without
pickle before anything is written, so a crafted file cannot smuggle one in.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.base.errors import ProjectError
from workbench.store.codec import array_from_blob
from workbench.store.migrations import RENAMED_MODULES_V4
from workbench.store.project_file import ProjectFile
from workbench.store.schema import (
    RUN_STATUSES,
    Artifact,
    CurvePoint,
    Lesson,
    LessonStep,
    ModelRecord,
    Note,
    Run,
    RunArray,
)

FORMAT = "llm-workbench-lesson"
VERSION = 2
"""2: results name the modules as renamed at project schema 4 (format 1 files are read with them)."""
SUFFIX = ".wblesson"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, where: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ProjectError(f"The lesson file is damaged: {where} is not base64 ({error}).") from error


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_when(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# ---------------------------------------------------------------------------- export


def lesson_document(store: ProjectFile, lesson_id: int) -> dict[str, Any]:
    """The lesson, its steps and every run they show, as one JSON-able document."""
    with store.read_session() as session:
        lesson = session.get(Lesson, lesson_id)
        if lesson is None:
            raise ProjectError(f"Lesson {lesson_id} does not exist in this project.")
        steps = session.scalars(
            select(LessonStep).where(LessonStep.lesson_id == lesson_id).order_by(LessonStep.position, LessonStep.id)
        ).all()
        run_index: dict[int, int] = {}
        runs: list[dict[str, Any]] = []
        step_documents = []
        for step in steps:
            index = None
            if step.run_id is not None:
                if step.run_id not in run_index:
                    run_index[step.run_id] = len(runs)
                    runs.append(_run_document(session, step.run_id))
                index = run_index[step.run_id]
            step_documents.append(
                {
                    "title": step.title,
                    "notes": step.notes,
                    "kind": step.kind,
                    "run": index,
                    "live": step.live,
                    "view": step.view,
                }
            )
        return {
            "format": FORMAT,
            "version": VERSION,
            "lesson": {"title": lesson.title, "created_at": _when(lesson.created_at)},
            "steps": step_documents,
            "runs": runs,
        }


def _run_document(session: Session, run_id: int) -> dict[str, Any]:
    run = session.get(Run, run_id)
    assert run is not None  # the foreign key keeps steps pointing at existing runs
    model = session.get(ModelRecord, run.model_id) if run.model_id is not None else None
    arrays = session.execute(select(RunArray.name, RunArray.blob).where(RunArray.run_id == run_id)).all()
    points = session.execute(
        select(CurvePoint.series, CurvePoint.step, CurvePoint.value)
        .where(CurvePoint.run_id == run_id)
        .order_by(CurvePoint.id)
    ).all()
    curves: dict[str, list[list[float]]] = {}
    for series, step, value in points:
        curves.setdefault(series, []).append([step, value])
    artifacts = session.execute(
        select(Artifact.name, Artifact.kind, Artifact.blob).where(Artifact.run_id == run_id).order_by(Artifact.id)
    ).all()
    notes = session.scalars(select(Note.text).where(Note.run_id == run_id).order_by(Note.id)).all()
    return {
        "kind": run.kind,
        "title": run.title,
        "status": run.status,
        "error": run.error,
        "started_at": _when(run.started_at),
        "finished_at": _when(run.finished_at),
        "duration_s": run.duration_s,
        "params": run.params,
        "model_state": run.model_state,
        "metrics": run.metrics,
        "result": run.result,
        "arrays": {name: _b64(blob) for name, blob in arrays},
        "curves": curves,
        "artifacts": [{"name": n, "kind": k, "blob": _b64(b)} for n, k, b in artifacts],
        "notes": list(notes),
        "model": None
        if model is None
        else {"label": model.label, "spec": model.spec, "fingerprint": model.fingerprint, "info": model.info},
    }


def export_lesson(store: ProjectFile, lesson_id: int, path: str | os.PathLike[str]) -> Path:
    """Write the lesson with its runs to ``path`` (written beside it first, then renamed into place)."""
    target = Path(path).expanduser()
    document = lesson_document(store, lesson_id)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ProjectError(f"Cannot write the lesson to {target}: {error.strerror or error}") from error
    return target


# ---------------------------------------------------------------------------- import


def read_lesson_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    source = Path(path).expanduser()
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProjectError(f"Cannot read {source}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProjectError(f"{source.name} is not a lesson file: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProjectError(f"{source.name} is not an LLM Workbench lesson file.")
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise ProjectError(
            f"{source.name} was written by a newer LLM Workbench (lesson format {document.get('version')})."
        )
    if document["version"] < 2:
        _follow_renamed_modules(document)
    return document


def _follow_renamed_modules(document: dict[str, Any]) -> None:
    """Format 1 results name classes of modules renamed since (``migrations.RENAMED_MODULES_V4``)."""
    for run in document.get("runs") or []:
        if isinstance(run, dict) and run.get("result") is not None:
            encoded = json.dumps(run["result"])
            for old, new in RENAMED_MODULES_V4:
                encoded = encoded.replace(f'"{old}:', f'"{new}:')
            run["result"] = json.loads(encoded)


def import_lesson(store: ProjectFile, path: str | os.PathLike[str]) -> int:
    """Add the lesson in ``path`` and the runs it carries to ``store``; returns the new lesson's id."""
    return import_lesson_document(store, read_lesson_file(path))


def import_lesson_document(store: ProjectFile, document: dict[str, Any]) -> int:
    try:
        runs = [_checked_run(run, i) for i, run in enumerate(document.get("runs") or [])]
        steps = list(document.get("steps") or [])
        title = str(document["lesson"]["title"]).strip() or "Imported lesson"
        for step in steps:
            index = step.get("run")
            if index is not None and not (isinstance(index, int) and 0 <= index < len(runs)):
                raise ProjectError(
                    f"The lesson file is damaged: a step points at run {index!r}, which it does not carry."
                )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ProjectError(f"The lesson file is damaged ({type(error).__name__}: {error}).") from error
    with store.write_session() as session:
        new_ids = [_insert_run(session, run) for run in runs]
        lesson = Lesson(
            title=title, created_at=_parse_when(document["lesson"].get("created_at")) or datetime.now(timezone.utc)
        )
        session.add(lesson)
        session.flush()
        for position, step in enumerate(steps):
            index = step.get("run")
            session.add(
                LessonStep(
                    lesson_id=lesson.id,
                    position=position,
                    kind="live" if step.get("kind") == "live" else "run",
                    run_id=None if index is None else new_ids[index],
                    live=step.get("live"),
                    view=step.get("view") if isinstance(step.get("view"), dict) else None,
                    title=str(step.get("title") or "Step"),
                    notes=str(step.get("notes") or ""),
                )
            )
        return lesson.id


def _checked_run(run: dict[str, Any], index: int) -> dict[str, Any]:
    """Decode the blobs and check every array loads without pickle before anything is written."""
    if run.get("status") not in RUN_STATUSES:
        raise ProjectError(f"The lesson file is damaged: run {index} has status {run.get('status')!r}.")
    arrays = {
        str(name): _unb64(blob, f"array {name} of run {index}") for name, blob in (run.get("arrays") or {}).items()
    }
    for name, blob in arrays.items():
        try:
            array_from_blob(blob)
        except Exception as error:  # np.load's many ways to refuse: bad zip, pickled objects …
            raise ProjectError(
                f"The lesson file is damaged: array {name} of run {index} cannot be read ({error})."
            ) from error
    artifacts = [
        (str(a["name"]), str(a["kind"]), _unb64(a["blob"], f"artifact {a['name']} of run {index}"))
        for a in run.get("artifacts") or []
    ]
    return {**run, "arrays": arrays, "artifacts": artifacts}


def _insert_run(session: Session, run: dict[str, Any]) -> int:
    status = "failed" if run["status"] == "running" else run["status"]  # nothing is running it here
    row = Run(
        kind=str(run["kind"]),
        title=str(run["title"]),
        model_id=_model_id(session, run.get("model")),
        params=run.get("params") or {},
        status=status,
        error=run.get("error") if status == run["status"] else "interrupted",
        started_at=_parse_when(run.get("started_at")) or datetime.now(timezone.utc),
        finished_at=_parse_when(run.get("finished_at")),
        duration_s=run.get("duration_s"),
        metrics=run.get("metrics"),
        result=run.get("result"),
        model_state=run.get("model_state"),
    )
    session.add(row)
    session.flush()
    session.add_all(RunArray(run_id=row.id, name=name, blob=blob) for name, blob in run["arrays"].items())
    session.add_all(
        CurvePoint(run_id=row.id, series=str(series), step=int(step), value=float(value))
        for series, points in (run.get("curves") or {}).items()
        for step, value in points
    )
    session.add_all(Artifact(run_id=row.id, name=n, kind=k, blob=b) for n, k, b in run["artifacts"])
    session.add_all(Note(run_id=row.id, text=str(text)) for text in run.get("notes") or [])
    return row.id


def _model_id(session: Session, model: dict[str, Any] | None) -> int | None:
    if not model:
        return None
    spec, fingerprint = model["spec"], str(model["fingerprint"])
    for record in session.scalars(select(ModelRecord).where(ModelRecord.fingerprint == fingerprint)):
        if record.spec == spec:
            return record.id
    record = ModelRecord(
        label=str(model.get("label") or "model"), spec=spec, fingerprint=fingerprint, info=model.get("info") or {}
    )
    session.add(record)
    session.flush()
    return record.id
