"""``ProjectStore``: what a project file holds, read and written by the app.

Model records, runs (parameters, status, timings, metrics, the result with its arrays),
live curves, notes, presentation bookmarks and artifacts.  Opening, creating, copying and
the transactions themselves are ``ProjectFile``'s.  A crash loses at most the run in
flight: ``start_run`` records it and the single transaction of ``finish_run`` completes it
with its result and every array; ``open`` marks runs a crash left 'running' as failed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.base.errors import InvalidParameters, ProjectError
from workbench.store.codec import array_from_blob, array_to_blob, decode_result, encode_result, to_plain_json
from workbench.store.project_file import ProjectFile
from workbench.store.records import (
    ArtifactRecord,
    BookmarkRecord,
    Curve,
    FinalRunStatus,
    NoteRecord,
    RunSummary,
    StoredRun,
)
from workbench.store.schema import Artifact, Bookmark, CurvePoint, ModelRecord, Note, Run, RunArray, utc_now

_FINAL_STATUSES = ("finished", "failed", "cancelled")
_SUMMARY_COLUMNS = (
    Run.id,
    Run.kind,
    Run.title,
    Run.status,
    ModelRecord.label,
    Run.started_at,
    Run.duration_s,
    Run.metrics,
    Run.error,
    Run.model_state,
)


def _summary(row: Any) -> RunSummary:
    return RunSummary(
        id=row.id,
        kind=row.kind,
        title=row.title,
        status=row.status,
        model_label=row.label,
        started_at=row.started_at,
        duration_s=row.duration_s,
        metrics=row.metrics or {},
        error=row.error,
        model_state=row.model_state,
    )


class ProjectStore(ProjectFile):
    """A project: models, runs with their results and curves, notes, bookmarks, artifacts."""

    # ------------------------------------------------------------------------- models

    def register_model(self, spec: Mapping[str, Any], fingerprint: str, info: Mapping[str, Any]) -> int:
        """The id of the model record for (spec, fingerprint), adding it the first time.

        Registering again refreshes the stored info and label (device, memory … may change).
        """
        # Keys sorted so that equal specs are equal JSON text (the unique constraint compares text).
        spec_json = json.loads(json.dumps(to_plain_json(dict(spec)), sort_keys=True))
        info_json = to_plain_json(dict(info))
        label = str(info_json.get("label") or spec_json.get("name") or spec_json.get("source") or "model")
        with self.write_session() as session:
            for record in session.scalars(select(ModelRecord).where(ModelRecord.fingerprint == fingerprint)):
                if record.spec == spec_json:
                    record.info, record.label = info_json, label
                    return record.id
            record = ModelRecord(label=label, spec=spec_json, fingerprint=fingerprint, info=info_json)
            session.add(record)
            session.flush()
            return record.id

    # --------------------------------------------------------------------------- runs

    def start_run(
        self,
        kind: str,
        params: Mapping[str, Any],
        *,
        title: str,
        model_id: int | None,
        model_state: Mapping[str, Any] | None = None,
    ) -> int:
        """Record a run as 'running' (before the job starts); returns its id.

        ``model_state``: what was layered on the model as the job started (``ModelState`` as
        JSON), so the run can say later whether it ran on the base weights.
        """
        state = to_plain_json(dict(model_state)) if model_state is not None else None
        run = Run(
            kind=kind,
            title=title,
            model_id=model_id,
            params=to_plain_json(dict(params)),
            status="running",
            model_state=state,
        )
        with self.write_session() as session:
            session.add(run)
            session.flush()
            return run.id

    def finish_run(
        self,
        run_id: int,
        *,
        status: FinalRunStatus,
        result: object | None = None,
        metrics: Mapping[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """Complete a run with its status, result and metrics, all in one transaction.

        The result is encoded and its arrays compressed before the transaction begins, so
        the write lock is held only for the inserts.  A result the store cannot hold (a
        job's bug: an object array, a foreign type) raises TypeError after the run has been
        stored as failed with the reason, rather than left 'running'.
        """
        if status not in _FINAL_STATUSES:
            raise ValueError(f"a run ends as one of {_FINAL_STATUSES}, not {status!r}")
        try:
            encoded, arrays = encode_result(result)
            metrics_json = to_plain_json(dict(metrics)) if metrics is not None else None
        except TypeError as unstorable:
            self._complete_run(run_id, "failed", f"The result could not be stored: {unstorable}", None, {}, None)
            raise
        blobs = {name: array_to_blob(array) for name, array in arrays.items()}
        self._complete_run(run_id, status, error, encoded, blobs, metrics_json)

    def _complete_run(
        self,
        run_id: int,
        status: FinalRunStatus,
        error: str | None,
        encoded: Any,
        blobs: Mapping[str, bytes],
        metrics_json: Any,
    ) -> None:
        with self.write_session() as session:
            run = session.get(Run, run_id)
            if run is None:
                raise ProjectError(f"Run {run_id} no longer exists in this project (it was deleted).")
            if run.status != "running":
                raise ProjectError(f"Run {run_id} has already ended ({run.status}).")
            now = utc_now()
            run.status, run.error, run.result, run.metrics = status, error, encoded, metrics_json
            run.finished_at, run.duration_s = now, (now - run.started_at).total_seconds()
            session.add_all(RunArray(run_id=run_id, name=name, blob=blob) for name, blob in blobs.items())

    def append_curve_points(self, run_id: int, series: str, points: Iterable[tuple[int, float]]) -> None:
        """Store curve points as they arrive (training loss …), so a crash keeps the curve so far."""
        rows = [
            {"run_id": run_id, "series": series, "step": int(step), "value": float(value)} for step, value in points
        ]
        if not rows:
            return
        try:
            with self.write_session() as session:
                session.execute(insert(CurvePoint), rows)
        except IntegrityError as error:
            raise ProjectError(f"Run {run_id} no longer exists in this project (it was deleted).") from error

    def list_runs(self, kind: str | None = None, limit: int | None = None) -> list[RunSummary]:
        """Run history, newest first (``limit`` keeps the newest ``limit`` runs)."""
        statement = select(*_SUMMARY_COLUMNS).outerjoin(ModelRecord, Run.model_id == ModelRecord.id)
        if kind is not None:
            statement = statement.where(Run.kind == kind)
        statement = statement.order_by(Run.id.desc()).limit(limit)
        with self.read_session() as session:
            return [_summary(row) for row in session.execute(statement)]

    def load_run(self, run_id: int) -> StoredRun:
        """Everything stored for a run, its result decoded (arrays read without pickle)."""
        statement = (
            select(*_SUMMARY_COLUMNS, Run.params, Run.result, Run.finished_at, ModelRecord.spec)
            .outerjoin(ModelRecord, Run.model_id == ModelRecord.id)
            .where(Run.id == run_id)
        )
        with self.read_session() as session:
            row = session.execute(statement).one_or_none()
            if row is None:
                raise ProjectError(f"Run {run_id} does not exist in this project.")
            blobs = session.execute(select(RunArray.name, RunArray.blob).where(RunArray.run_id == run_id)).all()
            curves = self._curves(session, run_id)
        arrays = {name: array_from_blob(blob) for name, blob in blobs}
        return StoredRun(
            summary=_summary(row),
            params=row.params,
            result=decode_result(row.result, arrays),
            curves=curves,
            model_spec=row.spec,
            finished_at=row.finished_at,
        )

    def curves(self, run_id: int) -> dict[str, Curve]:
        """The run's curves so far (the GUI polls this while a training run is live)."""
        with self.read_session() as session:
            return self._curves(session, run_id)

    @staticmethod
    def _curves(session: Session, run_id: int) -> dict[str, Curve]:
        rows = session.execute(
            select(CurvePoint.series, CurvePoint.step, CurvePoint.value)
            .where(CurvePoint.run_id == run_id)
            .order_by(CurvePoint.series, CurvePoint.step, CurvePoint.id)
        ).all()
        points: dict[str, tuple[list[int], list[float]]] = {}
        for series, step, value in rows:
            steps, values = points.setdefault(series, ([], []))
            steps.append(step)
            values.append(value)
        return {
            series: Curve(np.asarray(steps, dtype=np.int64), np.asarray(values, dtype=np.float64))
            for series, (steps, values) in points.items()
        }

    def rename_run(self, run_id: int, title: str) -> None:
        title = title.strip()
        if not title:
            raise InvalidParameters("A run's title cannot be empty.")
        with self.write_session() as session:
            renamed = session.execute(update(Run).where(Run.id == run_id).values(title=title))
            if renamed.rowcount == 0:  # type: ignore[attr-defined]  # an UPDATE/DELETE result is a CursorResult; SQLAlchemy types execute() as Result
                raise ProjectError(f"Run {run_id} does not exist in this project.")

    def delete_run(self, run_id: int) -> None:
        """Delete a run with its arrays, curves, notes, bookmarks and artifacts (FK cascade)."""
        with self.write_session() as session:
            status = session.scalar(select(Run.status).where(Run.id == run_id))
            if status is None:
                raise ProjectError(f"Run {run_id} does not exist in this project.")
            if status == "running":
                raise ProjectError(f"Run {run_id} is still running; cancel it before deleting it.")
            session.execute(delete(Run).where(Run.id == run_id))

    # -------------------------------------------------------------- notes, bookmarks

    def add_note(self, text: str, *, run_id: int | None = None) -> int:
        """A note on a run, or on the whole project when ``run_id`` is None; returns its id."""
        if not text.strip():
            raise InvalidParameters("A note cannot be empty.")
        note = Note(text=text, run_id=run_id)
        try:
            with self.write_session() as session:
                session.add(note)
                session.flush()
                return note.id
        except IntegrityError as error:
            raise ProjectError(f"Run {run_id} does not exist in this project.") from error

    def notes(self, run_id: int | None = None) -> list[NoteRecord]:
        """Notes of one run, or every note of the project when ``run_id`` is None; oldest first."""
        statement = select(Note).order_by(Note.id)
        if run_id is not None:
            statement = statement.where(Note.run_id == run_id)
        with self.read_session() as session:
            return [NoteRecord(n.id, n.run_id, n.text, n.created_at) for n in session.scalars(statement)]

    def add_bookmark(self, name: str, run_id: int, position: int | None = None) -> BookmarkRecord:
        """Name a run for presentation mode; without ``position`` it goes after the others."""
        name = name.strip()
        if not name:
            raise InvalidParameters("A bookmark needs a name.")
        with self.write_session() as session:
            if session.scalar(select(Bookmark.id).where(Bookmark.name == name)) is not None:
                raise ProjectError(f"A bookmark named '{name}' already exists.")
            if session.get(Run, run_id) is None:
                raise ProjectError(f"Run {run_id} does not exist in this project.")
            if position is None:
                position = (session.scalar(select(func.max(Bookmark.position))) or 0) + 1
            session.add(Bookmark(name=name, run_id=run_id, position=position))
        return BookmarkRecord(name, run_id, position)

    def bookmarks(self) -> list[BookmarkRecord]:
        """Bookmarks in presentation order."""
        with self.read_session() as session:
            rows = session.execute(
                select(Bookmark.name, Bookmark.run_id, Bookmark.position).order_by(Bookmark.position, Bookmark.id)
            )
            return [BookmarkRecord(*row) for row in rows]

    def remove_bookmark(self, name: str) -> None:
        with self.write_session() as session:
            removed = session.execute(delete(Bookmark).where(Bookmark.name == name))
            if removed.rowcount == 0:  # type: ignore[attr-defined]  # an UPDATE/DELETE result is a CursorResult; SQLAlchemy types execute() as Result
                raise ProjectError(f"There is no bookmark named '{name}'.")

    # ---------------------------------------------------------------------- artifacts

    def add_artifact(self, run_id: int, name: str, kind: str, data: bytes) -> int:
        """Keep bytes a run produced (a saved adapter, an edit) so they can be re-applied later."""
        artifact = Artifact(run_id=run_id, name=name, kind=kind, blob=bytes(data))
        try:
            with self.write_session() as session:
                session.add(artifact)
                session.flush()
                return artifact.id
        except IntegrityError as error:
            raise ProjectError(f"Run {run_id} does not exist or already has an artifact named '{name}'.") from error

    def record_keyed_artifact(
        self,
        run_kind: str,
        *,
        title: str,
        params: Mapping[str, Any],
        metrics: Mapping[str, Any],
        name: str,
        kind: str,
        key: str,
        data: bytes,
    ) -> int:
        """Keep something a job computed on the side (a key covariance) as a finished run of
        its own that holds one artifact, found again by ``find_artifact(kind, key)``.

        Run and artifact are written in one transaction, so a crash leaves both or neither
        (never a 'running' run without its bytes).  Returns the run's id.
        """
        now = utc_now()
        run = Run(
            kind=run_kind,
            title=title,
            model_id=None,
            params=to_plain_json(dict(params)),
            status="finished",
            started_at=now,
            finished_at=now,
            duration_s=0.0,
            metrics=to_plain_json(dict(metrics)),
        )
        with self.write_session() as session:
            session.add(run)
            session.flush()
            session.add(Artifact(run_id=run.id, name=name, kind=kind, key=key, blob=bytes(data)))
            return run.id

    def find_artifact(self, kind: str, key: str) -> bytes | None:
        """The bytes of the newest artifact of ``kind`` stored under ``key``, or None.

        One indexed lookup (``ix_artifacts_kind_key``), however many runs the project holds.
        """
        statement = (
            select(Artifact.blob)
            .where(Artifact.kind == kind, Artifact.key == key)
            .order_by(Artifact.id.desc())
            .limit(1)
        )
        with self.read_session() as session:
            return session.scalar(statement)

    def artifacts(self, run_id: int) -> list[ArtifactRecord]:
        statement = (
            select(
                Artifact.id,
                Artifact.run_id,
                Artifact.name,
                Artifact.kind,
                func.length(Artifact.blob),
                Artifact.created_at,
            )
            .where(Artifact.run_id == run_id)
            .order_by(Artifact.id)
        )
        with self.read_session() as session:
            return [ArtifactRecord(*row) for row in session.execute(statement)]

    def artifact_data(self, artifact_id: int) -> bytes:
        with self.read_session() as session:
            data = session.scalar(select(Artifact.blob).where(Artifact.id == artifact_id))
        if data is None:
            raise ProjectError(f"Artifact {artifact_id} does not exist in this project.")
        return data
