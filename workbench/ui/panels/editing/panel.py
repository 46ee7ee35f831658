"""The Model Editing lab (book ch. 5, §5.1.3, §5.3, §5.4.3): write a fact, see what it breaks.

The panel turns clicks into jobs of ``core.editing`` — an edit (ROME or T-Patcher) that joins
the session's ledger and comes back evaluated, a quick trace that suggests the layer, ledger
operations, export, and sequential batches — and, for "re-trace", the tracing lab's trace
with the edit switched off and on.  Edits and batches are stored runs; ``show_run`` puts one
back on screen.  The ledger view only ever shows the state the worker reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from workbench.core.editing.params import (
    BatchEditParams,
    BatchEditResult,
    EditParams,
    EditRequest,
    EditResult,
    ExportEditedModelParams,
    LedgerParams,
    LedgerState,
)
from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.results import TraceResult
from workbench.store.codec import params_from_json
from workbench.ui.panels.base import Panel
from workbench.ui.panels.editing.batch_view import BatchView
from workbench.ui.panels.editing.edit_form import EditForm
from workbench.ui.panels.editing.generations import GenerationsView
from workbench.ui.panels.editing.ledger_view import LedgerView
from workbench.ui.panels.editing.method_settings import METHOD_NAMES
from workbench.ui.panels.editing.metrics_table import MetricsTable
from workbench.ui.panels.editing.retrace_view import RetraceView
from workbench.ui.settings import application_settings
from workbench.ui.widgets.side_column import place_beside
from workbench.ui.widgets.token_text import visible_token
from workbench.worker import WorkerHost

SETTINGS_GROUP = "editing/last_used"
NO_MODEL = "Load a model first (Model ▸ Load Model…): editing needs one, and none is loaded."


@dataclass
class _Job:
    kind: str
    """``edit``, ``suggest``, ``ledger``, ``export``, ``batch``, ``trace_before`` or ``trace_after``."""
    params: Any = None


class EditingPanel(Panel):
    title = "Model Editing"
    run_kinds = (EditParams.job_kind, BatchEditParams.job_kind)

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._jobs: dict[int, _Job] = {}
        self._model_ready = False
        self._shown: EditResult | None = None
        self._live_edit: EditResult | None = None
        """The last edit applied in this session (its id is in the live ledger)."""

        self.form = EditForm()
        self.generations = GenerationsView()
        self.metrics = MetricsTable()
        self.summary = QLabel("Apply an edit to see the model before and after.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.ledger = LedgerView()
        self.retrace = RetraceView()
        self.batch = BatchView()

        result_tab = QWidget()
        result_split = QSplitter(Qt.Orientation.Vertical)
        result_split.addWidget(self.generations)
        result_split.addWidget(self.metrics)
        result_split.setSizes([180, 500])
        result_layout = QVBoxLayout(result_tab)
        result_layout.addWidget(self.summary)
        result_layout.addWidget(result_split, 1)
        self.views = QTabWidget()
        self.views.addTab(result_tab, "Result")
        self.views.addTab(self.ledger, "Ledger")
        self.views.addTab(self.retrace, "Re-trace")
        self.views.addTab(self.batch, "Batch")

        place_beside(self, self.form, self.views, width=(380, 480), sizes=(420, 1020), footer=self.form.actions)

        self.form.sig_apply.connect(self.apply_edit)
        self.form.sig_cancel.connect(lambda: self._cancel("edit", "batch"))
        self.form.sig_suggest.connect(self.suggest_layer)
        self.ledger.sig_operation.connect(self.ledger_operation)
        self.ledger.sig_export.connect(self.export_model)
        self.retrace.sig_retrace.connect(self.retrace_last_edit)
        self.retrace.sig_cancel.connect(lambda: self._cancel("trace_before", "trace_after"))
        self.batch.sig_run.connect(self.run_batch)
        self.batch.sig_cancel.connect(lambda: self._cancel("batch"))
        self._restore()
        self._update_state()

    # -- actions ------------------------------------------------------------------------------
    def start_from_trace(self, prompt: str, subject: str, target: str, layer: int) -> None:
        """Fill the form from a trace cell ("Edit here"): the traced answer becomes the old
        target, the cell's layer the edited layer; the new target is left for the user."""
        self.form.set_request(EditRequest(prompt=prompt, subject=subject, target_true=target))
        self.form.method.set_layer(layer)
        self.form.target_new.setFocus()
        self.form.show_message(None)
        self.form.status.setText(f"From the trace: layer {layer}. Type the new target and press Apply edit.")

    def apply_edit(self) -> None:
        """Submit the form's edit, after explaining in place what is wrong with it, if anything."""
        if self._running("edit", "batch"):
            return
        problem = NO_MODEL if not self._model_ready else self.form.problem()
        self.form.show_message(problem)
        if problem is not None:
            return
        params = self.form.params()
        self._remember()
        self.form.show_progress(0.0, "Submitting the edit…")
        self._submit(params, _Job("edit", params), f"Edit ({METHOD_NAMES[params.method].split(' (')[0]}): {params.request.rendered()}")

    def suggest_layer(self) -> None:
        problem = NO_MODEL if not self._model_ready else self.form.problem()
        if problem is not None and "target" not in problem:  # the layer does not depend on the new target
            self.form.show_message(problem)
            return
        self.form.show_message(None)
        self._submit(self.form.suggest_params(), _Job("suggest"), "Suggest a layer to edit")

    def ledger_operation(self, params: LedgerParams) -> None:
        self._submit(params, _Job("ledger", params), f"Edit ledger: {params.action}")

    def export_model(self, folder: str) -> None:
        self._submit(ExportEditedModelParams(folder=folder), _Job("export", folder), "Export the edited model")
        self.ledger.status.setText(f"Exporting to {folder}…")

    def run_batch(self, cases: int, language: str, keep_edits: bool) -> None:
        if self._running("edit", "batch"):
            return
        if not self._model_ready:
            self.batch.summary.setText("Load a model first (Model ▸ Load Model…).")
            return
        method, rome, tpatcher = self.form.method.values()
        params = BatchEditParams(method=method, rome=rome, tpatcher=tpatcher, fact_file=self.form.cases.fact_file(),
                                 cases=cases, language=language, keep_edits=keep_edits)  # type: ignore[arg-type]
        self._remember()
        self.batch.start()
        self._submit(params, _Job("batch", params), f"Batch edit: {cases} cases ({language})")

    def retrace_last_edit(self) -> None:
        """Trace the last edit's prompt with its new target with the edit off, then on."""
        edit = self._live_edit
        state = self.ledger.state()
        entry = next((e for e in state.entries if e.edit_id == edit.edit_id), None) if edit and state else None
        if edit is None or entry is None:
            self.retrace.clear("Apply an edit first: re-trace needs an edit that is still in the ledger.")
            return
        request = edit.request
        trace = TraceParams(prompt=request.rendered(), subject=request.subject, target=request.target_new)
        toggle = LedgerParams(action="toggle", edit_id=edit.edit_id)
        steps: list[tuple[Any, _Job]] = [(trace, _Job("trace_before")), (toggle, _Job("ledger", toggle)),
                                         (trace, _Job("trace_after"))]  # fmt: skip
        if entry.enabled:  # switch it off for "before", back on for "after"
            steps.insert(0, (toggle, _Job("ledger", toggle)))
        else:  # it was off: on for "after", then off again as the user left it
            steps.append((toggle, _Job("ledger", toggle)))
        self.retrace.clear(f"Tracing “{trace.prompt}” → {visible_token(request.target_new)} with the edit off…")
        for params, job in steps:
            self._submit(params, job, "Re-trace: " + job.kind.replace("_", " "))
        self.views.setCurrentWidget(self.retrace)

    # -- job hooks ------------------------------------------------------------------------------
    def on_job_progress(self, job_id: int, fraction: float, message: str, partial: Any) -> None:
        job = self._jobs.get(job_id)
        if job is None:
            return
        if job.kind == "edit":
            self.form.show_progress(fraction, message)
        elif job.kind == "batch":
            self.form.show_progress(fraction, message)
            if isinstance(partial, BatchEditResult):
                self.batch.show_result(partial, message)

    def on_job_finished(self, job_id: int, run_id: int | None, result: Any) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        if job.kind == "edit" and isinstance(result, EditResult):
            self._live_edit = result
            self.show_result(result, f"run #{run_id}" if run_id is not None else "this session")
            self.ledger.show_state(result.ledger)
            self.form.status.setText(f"Edit #{result.edit_id} applied in {result.metrics.seconds:.1f} s.")
        elif job.kind == "suggest":
            effects = _layer_effects(result)
            self.form.set_layer_effects(effects)
        elif job.kind == "ledger" and isinstance(result, LedgerState):
            self.ledger.show_state(result)
        elif job.kind == "export":
            self.ledger.status.setText(f"Exported the edited model to {job.params}: AutoModelForCausalLM.from_pretrained loads it.")
        elif job.kind == "batch" and isinstance(result, BatchEditResult):
            self.batch.show_result(result)
            self.form.status.setText(f"Batch of {len(result.case_ids)} cases done.")
            self.ledger_operation(LedgerParams(action="list"))
        elif job.kind == "trace_before" and isinstance(result, TraceResult):
            self.retrace.show_before(result)
        elif job.kind == "trace_after" and isinstance(result, TraceResult):
            self.retrace.show_after(result)
        self._update_state()

    def on_job_ended_without_result(self, job_id: int) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        if job.kind in ("edit", "batch"):
            self.form.status.setText("Stopped: the model is as the ledger shows.")
            self.ledger_operation(LedgerParams(action="list"))
        self._update_state()

    def on_model_changed(self, info: Any) -> None:
        was_ready, self._model_ready = self._model_ready, info is not None
        if was_ready and info is None:  # Apply goes grey: say why, in place
            self.form.show_message(NO_MODEL)
        elif info is not None and self.form.message.text() == NO_MODEL:
            self.form.show_message(None)
        self._live_edit = None
        self.ledger.show_state(LedgerState(entries=[], model_modified=False) if info is not None else None)
        self.retrace.clear("Apply an edit, then re-trace its prompt with the new target.")
        self._update_state()

    def show_run(self, run: Any) -> None:
        """Reopen a stored edit (form and results) or batch (settings, curves and table)."""
        if run.summary.kind == BatchEditParams.job_kind:
            params = params_from_json(BatchEditParams, run.params)
            self.form.method.set_values(params.method, params.rome, params.tpatcher)
            self.batch.set_values(params.cases, params.language, params.keep_edits)
            if isinstance(run.result, BatchEditResult):
                self.batch.start()
                self.batch.show_result(run.result)
            self.views.setCurrentWidget(self.batch)
            return
        params = params_from_json(EditParams, run.params)
        self.form.set_params(params)
        if isinstance(run.result, EditResult):
            self.show_result(run.result, f"run #{run.summary.id}")
        else:
            self.summary.setText(f"Run #{run.summary.id} {run.summary.status}.")

    def show_result(self, result: EditResult, label: str) -> None:
        self._shown = result
        request = result.request
        method = METHOD_NAMES[result.method].split(" (")[0]
        details = " · ".join(f"{name.replace('_', ' ')} {value:.3g}" for name, value in result.details.items())
        self.summary.setText(
            f"<b>{method}</b> edit #{result.edit_id} at layer {result.layer} ({label}): "
            f"“{_escape(request.rendered())}” → <b>{_escape(visible_token(request.target_new))}</b>"
            + (f" (was {_escape(visible_token(request.target_true))})" if request.target_true else "")
            + (f"<br><span style='color:#8a94a3'>{_escape(details)}</span>" if details else "")
            + "".join(f"<br><span style='color:#d9480f'>⚠ {_escape(w)}</span>" for w in result.warnings)
        )
        self.generations.show_generations(result.generations)
        self.metrics.show_metrics(result.metrics)
        self.metrics.expandItem(self.metrics.topLevelItem(0))
        if result.layer_effects is not None:
            self.form.layer_effects.set_effects(np.asarray(result.layer_effects))
        self.views.setCurrentIndex(0)

    def shown_result(self) -> EditResult | None:
        return self._shown

    # -- internals --------------------------------------------------------------------------------
    def _submit(self, params: Any, job: _Job, title: str) -> int:
        job_id = self.submit(params, title)
        self._jobs[job_id] = job
        self._update_state()
        return job_id

    def _running(self, *kinds: str) -> bool:
        return any(job.kind in kinds for job in self._jobs.values())

    def _cancel(self, *kinds: str) -> None:
        for job_id, job in list(self._jobs.items()):
            if job.kind in kinds:
                self.host.cancel(job_id)

    def _update_state(self) -> None:
        editing = self._running("edit", "batch")
        self.form.set_running(editing, self._model_ready)
        self.batch.set_running(self._running("batch"), self._model_ready and not editing)
        tracing = self._running("trace_before", "trace_after")
        self.retrace.set_running(tracing, self._model_ready and self._live_edit is not None and not editing)
        self.ledger.set_busy(editing)

    def _remember(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.form.save(settings, SETTINGS_GROUP)

    def _restore(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.form.restore(settings, SETTINGS_GROUP)


def _layer_effects(result: Any) -> np.ndarray | None:
    """The suggest job's per-layer effects (an array, or a result carrying ``layer_effects``)."""
    if isinstance(result, np.ndarray):
        return result
    effects = getattr(result, "layer_effects", None)
    return None if effects is None else np.asarray(effects)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
