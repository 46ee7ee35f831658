"""The Model Editing lab (book ch. 5, §5.1.3, §5.3, §5.4.3): write a fact, see what it breaks.

The panel turns clicks into jobs of ``core.editing`` — an edit (ROME or T-Patcher) that joins
the session's ledger and comes back evaluated, a quick trace that suggests the layer, ledger
operations, export, and sequential batches — and, for "re-trace", the tracing lab's trace
with the edit switched off and on.  Edits and batches are stored runs; ``show_run`` puts one
back on screen.  The ledger view only ever shows the state the worker reports.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from workbench.core.editing.covariance import RUN_KIND as COVARIANCE_RUN_KIND
from workbench.core.editing.params import (
    BatchEditParams,
    BatchEditResult,
    CaseLanguage,
    EditParams,
    EditRequest,
    EditResult,
    ExportEditedModelParams,
    LedgerParams,
    LedgerState,
)
from workbench.core.model.resolve import is_demo_model
from workbench.core.tracing.params import TraceParams
from workbench.store.codec import params_from_json
from workbench.ui.panels.base import Panel
from workbench.ui.panels.editing.batch_view import BatchView
from workbench.ui.panels.editing.edit_form import EditForm
from workbench.ui.panels.editing.generations import GenerationsView
from workbench.ui.panels.editing.ledger_view import LedgerView
from workbench.ui.panels.editing.method_settings import SHORT_NAMES
from workbench.ui.panels.editing.metrics_table import MetricsTable
from workbench.ui.panels.editing.retrace_view import RetraceView
from workbench.ui.settings import application_settings
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.side_column import place_beside
from workbench.ui.widgets.token_text import visible_token
from workbench.worker import WorkerHost

SETTINGS_GROUP = "editing/last_used"
NO_MODEL = QT_TRANSLATE_NOOP(
    "EditingPanel", "Load a model first (Model ▸ Load Model…): editing needs one, and none is loaded."
)

DETAIL_NAMES: dict[str, str] = {
    "nll_start": QT_TRANSLATE_NOOP("EditingPanel", "initial NLL"),
    "nll_end": QT_TRANSLATE_NOOP("EditingPanel", "final NLL"),
    "residual_norm": QT_TRANSLATE_NOOP("EditingPanel", "residual norm"),
    "v_loss_end": QT_TRANSLATE_NOOP("EditingPanel", "final v* loss"),
    "kl_end": QT_TRANSLATE_NOOP("EditingPanel", "final KL"),
    "v_steps_run": QT_TRANSLATE_NOOP("EditingPanel", "v* steps run"),
    "delta_norm": QT_TRANSLATE_NOOP("EditingPanel", "δ norm"),
    "v0_norm": QT_TRANSLATE_NOOP("EditingPanel", "v₀ norm"),
    "key_norm": QT_TRANSLATE_NOOP("EditingPanel", "k* norm"),
    "update_norm": QT_TRANSLATE_NOOP("EditingPanel", "update norm"),
    "covariance_seconds": QT_TRANSLATE_NOOP("EditingPanel", "covariance seconds"),
    "activation_edit": QT_TRANSLATE_NOOP("EditingPanel", "activation on the edit"),
    "activation_memory_max": QT_TRANSLATE_NOOP("EditingPanel", "largest memory activation"),
    "memory_silent_fraction": QT_TRANSLATE_NOOP("EditingPanel", "memory kept silent"),
    "memory_tokens": QT_TRANSLATE_NOOP("EditingPanel", "memory tokens"),
    "hard_negatives": QT_TRANSLATE_NOOP("EditingPanel", "hard negatives"),
    "hard_negatives_silent_fraction": QT_TRANSLATE_NOOP("EditingPanel", "hard negatives kept silent"),
    "loss_start": QT_TRANSLATE_NOOP("EditingPanel", "initial loss"),
    "steps": QT_TRANSLATE_NOOP("EditingPanel", "steps"),
}
"""The methods' diagnostics (``EditResult.details``) as the summary names them; a key not
listed is shown with its underscores as spaces."""


class EditingPanel(Panel):
    title = QT_TRANSLATE_NOOP("EditingPanel", "Model Editing")
    run_kinds = (EditParams.job_kind, BatchEditParams.job_kind)
    cache_run_kinds = (COVARIANCE_RUN_KIND,)
    live_params_type = EditParams

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._model_ready = False
        self._shown: EditResult | None = None
        self._shown_label: tuple[str, int | None] = ("", None)
        """(status, run id) of what the summary names: ("", id or None) for a shown edit, or a stored
        run's status and id when that run has no result to show."""
        self._live_edit: EditResult | None = None
        """The last edit applied in this session (its id is in the live ledger)."""

        self.form = EditForm()
        self.generations = GenerationsView()
        self.metrics = MetricsTable()
        self.summary = QLabel()
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
        self.result_tab = result_tab
        for view in (result_tab, self.ledger, self.retrace, self.batch):
            self.views.addTab(view, "")

        place_beside(self, self.form, self.views, width=(360, 480), sizes=(420, 1020), footer=self.form.action_bar)

        self.form.sig_apply.connect(self.apply_edit)
        self.form.sig_cancel.connect(lambda: self._cancel(EditParams, BatchEditParams))
        self.form.sig_suggest.connect(self.suggest_layer)
        self.ledger.sig_operation.connect(self.ledger_operation)
        self.ledger.sig_export.connect(self.export_model)
        self.retrace.sig_retrace.connect(self.retrace_last_edit)
        self.retrace.sig_cancel.connect(lambda: self._cancel(TraceParams))
        self.batch.sig_run.connect(self.run_batch)
        self.batch.sig_cancel.connect(lambda: self._cancel(BatchEditParams))
        self._restore()
        self.on_jobs_changed()
        self.retranslate()

    def retranslate(self) -> None:
        for view, text in ((self.result_tab, self.tr("Result")), (self.ledger, self.tr("Ledger")),
                           (self.retrace, self.tr("Re-trace")), (self.batch, self.tr("Batch"))):  # fmt: skip
            self.views.setTabText(self.views.indexOf(view), text)
        self._show_summary()

    # -- actions ------------------------------------------------------------------------------
    def start_from_trace(self, prompt: str, subject: str, target: str, layer: int) -> None:
        """Fill the form from a trace cell ("Edit here"): the traced answer becomes the old
        target, the cell's layer the edited layer; the new target is left for the user."""
        self.form.set_request(EditRequest(prompt=prompt, subject=subject, target_true=target))
        self.form.method.set_layer(layer)
        self.form.target_new.setFocus()
        self.form.show_message(None)
        self.form.status.setText(
            self.tr("From the trace: layer {layer}. Type the new target and press Apply edit.").format(layer=layer)
        )

    def apply_edit(self) -> None:
        """Submit the form's edit, after explaining in place what is wrong with it, if anything."""
        if self.running(EditParams, BatchEditParams):
            return
        problem = NO_MODEL if not self._model_ready else self.form.problem()
        self.form.show_message(problem)
        if problem is not None:
            return
        params = self.form.params()
        self._remember()
        self.form.show_progress(0.0, self.tr("Submitting the edit…"))
        self.submit(
            params,
            title=self.tr("Edit ({method}): {prompt}").format(
                method=SHORT_NAMES[params.method], prompt=params.request.rendered()
            ),
            on_result=self._on_edited,
            on_progress=lambda fraction, message, _partial: self.form.show_progress(fraction, message),
            on_stopped=self._on_edits_stopped,
        )

    def suggest_layer(self) -> None:
        problem = NO_MODEL if not self._model_ready else self.form.problem()
        if problem is not None and "target" not in problem:  # the layer does not depend on the new target
            self.form.show_message(problem)
            return
        self.form.show_message(None)
        self.submit(
            self.form.suggest_params(),
            title=self.tr("Suggest a layer to edit"),
            on_result=lambda result, _run: self.form.set_layer_effects(_layer_effects(result)),
        )

    def ledger_operation(self, params: LedgerParams, title: str | None = None) -> None:
        title = title or self.tr("Edit ledger: {action}").format(action=params.action)
        self.submit(params, title=title, on_result=lambda state, _run: self.ledger.show_state(state))

    def export_model(self, folder: str) -> None:
        self.submit(
            ExportEditedModelParams(folder=folder),
            title=self.tr("Export the edited model"),
            on_result=lambda _result, _run: self.ledger.status.setText(
                self.tr("Exported the edited model to {folder}: AutoModelForCausalLM.from_pretrained loads it.").format(
                    folder=folder
                )
            ),
        )
        self.ledger.status.setText(self.tr("Exporting to {folder}…").format(folder=folder))

    def run_batch(self, cases: int, language: CaseLanguage, keep_edits: bool) -> None:
        if self.running(EditParams, BatchEditParams):
            return
        if not self._model_ready:
            self.batch.summary.setText(self.tr("Load a model first (Model ▸ Load Model…)."))
            return
        method, rome, tpatcher = self.form.method.values()
        params = BatchEditParams(
            method=method,
            rome=rome,
            tpatcher=tpatcher,
            fact_file=self.form.cases.fact_file(),
            cases=cases,
            language=language,
            keep_edits=keep_edits,
        )
        self._remember()
        self.batch.start()
        self.submit(
            params,
            title=self.tr("Batch edit: {cases} cases ({language})").format(cases=cases, language=language),
            on_result=lambda result, _run: self._on_batch_done(result),
            on_progress=self._show_batch_progress,
            on_stopped=self._on_edits_stopped,
        )

    def retrace_last_edit(self) -> None:
        """Trace the last edit's prompt with its new target with the edit off, then on."""
        edit = self._live_edit
        state = self.ledger.state()
        entry = next((e for e in state.entries if e.edit_id == edit.edit_id), None) if edit and state else None
        if edit is None or entry is None:
            self.retrace.clear(
                QT_TRANSLATE_NOOP(
                    "EditingPanel", "Apply an edit first: re-trace needs an edit that is still in the ledger."
                )
            )
            return
        request = edit.request
        trace = TraceParams(prompt=request.rendered(), subject=request.subject, target=request.target_new)
        toggle = LedgerParams(action="toggle", edit_id=edit.edit_id)
        self.retrace.clear(QT_TRANSLATE_NOOP("EditingPanel", "Tracing “{prompt}” → {target} with the edit off…"),
                           prompt=trace.prompt, target=visible_token(request.target_new))  # fmt: skip
        if entry.enabled:  # switch it off for "before", back on for "after"
            self.ledger_operation(toggle, title=self.tr("Re-trace: ledger"))
        self.submit(
            trace,
            title=self.tr("Re-trace: trace before"),
            on_result=lambda result, _run: self.retrace.show_before(result),
        )
        self.ledger_operation(toggle, title=self.tr("Re-trace: ledger"))
        self.submit(
            trace,
            title=self.tr("Re-trace: trace after"),
            on_result=lambda result, _run: self.retrace.show_after(result),
        )
        if not entry.enabled:  # it was off: on for "after", then off again as the user left it
            self.ledger_operation(toggle, title=self.tr("Re-trace: ledger"))
        self.views.setCurrentWidget(self.retrace)

    # -- what comes back ------------------------------------------------------------------------
    def _on_edited(self, result: EditResult, run_id: int | None) -> None:
        self._live_edit = result
        self.show_result(result, run_id)
        self.ledger.show_state(result.ledger)
        self.form.status.setText(
            self.tr("Edit #{edit} applied in {seconds} s.").format(
                edit=result.edit_id, seconds=f"{result.metrics.seconds:.1f}"
            )
        )

    def _show_batch_progress(self, fraction: float, message: str, partial: BatchEditResult | None) -> None:
        self.form.show_progress(fraction, message)
        if partial is not None:
            self.batch.show_result(partial, message)

    def _on_batch_done(self, result: BatchEditResult) -> None:
        self.batch.show_result(result)
        self.form.status.setText(self.tr("Batch of {count} cases done.").format(count=len(result.case_ids)))
        self.ledger_operation(LedgerParams(action="list"))

    def _on_edits_stopped(self) -> None:
        """An edit or batch failed or was cancelled: show the ledger as the worker left it."""
        self.form.status.setText(self.tr("Stopped: the model is as the ledger shows."))
        self.ledger_operation(LedgerParams(action="list"))

    def on_model_changed(self, info: Any) -> None:
        was_ready, self._model_ready = self._model_ready, info is not None
        if was_ready and info is None:  # Apply goes grey: say why, in place
            self.form.show_message(NO_MODEL)
        elif info is not None and self.form.shown_message() == NO_MODEL:
            self.form.show_message(None)
        self._live_edit = None
        if info is not None:
            self.form.cases.suit_model(is_demo_model(info.path))
        self.ledger.show_state(LedgerState(entries=[], model_modified=False) if info is not None else None)
        self.retrace.clear(
            QT_TRANSLATE_NOOP("EditingPanel", "Apply an edit, then re-trace its prompt with the new target.")
        )
        self.on_jobs_changed()

    def show_run(self, run: Any) -> None:
        """Reopen a stored edit (form and results) or batch (settings, curves and table)."""
        if run.summary.kind == BatchEditParams.job_kind:
            batch_params = params_from_json(BatchEditParams, run.params)
            self.form.method.set_values(batch_params.method, batch_params.rome, batch_params.tpatcher)
            self.batch.set_values(batch_params.cases, batch_params.language, batch_params.keep_edits)
            if isinstance(run.result, BatchEditResult):
                self.batch.start()
                self.batch.show_result(run.result)
            self.views.setCurrentWidget(self.batch)
            return
        params = params_from_json(EditParams, run.params)
        self.form.set_params(params)
        if isinstance(run.result, EditResult):
            self.show_result(run.result, run.summary.id)
        else:
            self._shown = None
            self._shown_label = (str(run.summary.status), run.summary.id)
            self._show_summary()

    def live_params(self) -> EditParams:
        return self.form.params()

    def show_live(self, params: EditParams) -> None:
        self.form.set_params(params)

    def run_live(self, params: EditParams) -> None:
        self.show_live(params)
        self.apply_edit()

    def show_result(self, result: EditResult, run_id: int | None) -> None:
        """Show an edit's result; ``run_id``: its stored run (None: not stored, this session's)."""
        self._shown = result
        self._shown_label = ("", run_id)
        self._show_summary()
        self.generations.show_generations(result.generations)
        self.metrics.show_metrics(result.metrics)
        first = self.metrics.topLevelItem(0)
        if first is not None:
            self.metrics.expandItem(first)
        if result.layer_effects is not None:
            self.form.layer_effects.set_effects(np.asarray(result.layer_effects))
        self.views.setCurrentIndex(0)

    def shown_result(self) -> EditResult | None:
        return self._shown

    def _show_summary(self) -> None:
        """The line above the result, rebuilt from the edit shown (also on a language switch)."""
        result = self._shown
        status, run_id = self._shown_label
        if result is None:
            if status:
                self.summary.setText(self.tr("Run #{run} {status}.").format(run=run_id, status=status))
            else:
                self.summary.setText(self.tr("Apply an edit to see the model before and after."))
            return
        request = result.request
        label = self.tr("run #{run}").format(run=run_id) if run_id is not None else self.tr("this session")
        details = " · ".join(f"{self._detail_name(name)} {value:.3g}" for name, value in result.details.items())
        head = self.tr("<b>{method}</b> edit #{edit} at layer {layer} ({label}): ").format(
            method=SHORT_NAMES[result.method], edit=result.edit_id, layer=result.layer, label=label
        )
        was = self.tr(" (was {target})").format(target=_escape(visible_token(request.target_true)))
        self.summary.setText(
            head
            + f"“{_escape(request.rendered())}” → <b>{_escape(visible_token(request.target_new))}</b>"
            + (was if request.target_true else "")
            + (f"<br><span style='color:#8a94a3'>{_escape(details)}</span>" if details else "")
            + "".join(f"<br><span style='color:#d9480f'>⚠ {_escape(w)}</span>" for w in result.warnings)
        )

    # -- internals --------------------------------------------------------------------------------
    def _detail_name(self, name: str) -> str:
        return self.tr(DETAIL_NAMES[name]) if name in DETAIL_NAMES else name.replace("_", " ")

    def _cancel(self, *kinds: type) -> None:
        for job_id in self.running(*kinds):
            self.host.cancel(job_id)

    def on_jobs_changed(self) -> None:
        editing = bool(self.running(EditParams, BatchEditParams))
        self.form.set_running(editing, self._model_ready)
        self.batch.set_running(bool(self.running(BatchEditParams)), self._model_ready and not editing)
        tracing = bool(self.running(TraceParams))
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
