"""The Causal Tracing lab (book §5.4.1; ROME, Meng et al. 2022): where does a fact live?

The panel turns clicks into jobs of ``core.tracing`` — a small predict job whenever the
prompt settles (tokens for the chips, top predictions for the target), the trace itself
(its partials fill the heatmaps live), a restored-cell job per clicked cell, severing and
averaging — and shows what comes back.  Every trace, severing and average is a stored run;
``show_run`` puts one back on screen.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.base.errors import InvalidParameters, WorkbenchError
from workbench.core.tracing.cost import estimate_trace_cost
from workbench.core.tracing.params import (
    AveragingParams,
    PredictParams,
    RestoredTopKParams,
    SeveringParams,
    TraceParams,
)
from workbench.core.tracing.results import (
    AveragingResult,
    RestoredTopK,
    SeveringResult,
    TraceResult,
)
from workbench.core.tracing.subject import subject_tokens
from workbench.store.codec import params_from_json
from workbench.ui.core_messages import translate_core_message
from workbench.ui.error_dialog import show_error
from workbench.ui.panels.base import Panel
from workbench.ui.panels.tracing.averaged import AveragedView
from workbench.ui.panels.tracing.compare import CompareView
from workbench.ui.panels.tracing.controls import TraceControls
from workbench.ui.panels.tracing.export import (
    FIGURE_SUFFIXES,
    export_figure,
    export_trace_numbers,
)
from workbench.ui.panels.tracing.inspector import CellInspector
from workbench.ui.panels.tracing.severing import SeveringView
from workbench.ui.panels.tracing.trio import HeatmapTrio, kind_name, token_label
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.side_column import place_beside
from workbench.ui.widgets.token_text import visible_token
from workbench.worker import WorkerHost

TRACE_STOPPED = QT_TRANSLATE_NOOP(
    "TracingPanel", "The trace stopped before the end; the cells computed so far stay on screen."
)
NO_MODEL = QT_TRANSLATE_NOOP("TracingPanel", "Load a model first (Model ▸ Load Model…).")
EXPORTS = (
    (QT_TRANSLATE_NOOP("TracingPanel", "Figure as PNG (slide size)…"), ".png"),
    (QT_TRANSLATE_NOOP("TracingPanel", "Figure as SVG…"), ".svg"),
    (QT_TRANSLATE_NOOP("TracingPanel", "Numbers as CSV…"), ".csv"),
    (QT_TRANSLATE_NOOP("TracingPanel", "Numbers as NPZ…"), ".npz"),
)

_LONG_JOBS = (TraceParams, SeveringParams, AveragingParams)
"""What Cancel stops; a cell or a prompt preview is over in a moment."""


class TracingPanel(Panel):
    title = QT_TRANSLATE_NOOP("TracingPanel", "Causal Tracing")
    run_kinds = (TraceParams.job_kind, SeveringParams.job_kind, AveragingParams.job_kind)
    live_params_type = TraceParams

    sig_edit_requested = Signal(str, str, str, int)  # prompt, subject, target, layer — for the editing lab
    sig_trace_shown = Signal(object)  # the TraceResult (partial or final) now on the heatmaps
    sig_cell_shown = Signal(object)  # the RestoredTopK now in the inspector

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._model_info: Any = None
        self._shown: tuple[TraceParams, TraceResult] | None = None
        self._live_started = False
        self._seconds_per_flop: float | None = None
        self._last_export_dir = str(Path.home())
        self._summary: Callable[[], str] = lambda: self.tr(
            "Choose a preset or type a prompt, mark the subject, and press Trace."
        )
        """Makes the line above the heatmaps in the current language (it follows the trace's state)."""

        self.controls = TraceControls()
        self.controls.recall()
        self.trio = HeatmapTrio()
        self.trio.setMinimumHeight(270)  # all three maps stay readable; less would let Present mode at 1280×720 scroll
        self.inspector = CellInspector()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.readout = QLabel(" ")
        self.readout.setProperty("role", "muted")
        self.export_button = QPushButton()
        self.export_button.setEnabled(False)
        export_menu = QMenu(self.export_button)
        for _text, suffix in EXPORTS:
            export_menu.addAction("", functools.partial(self._choose_export_path, suffix))
        self.export_button.setMenu(export_menu)
        self.compare = CompareView()
        self.averaged = AveragedView()
        self.severing = SeveringView()

        trace_tab = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        trace_split = QSplitter(Qt.Orientation.Vertical)
        trace_split.addWidget(self.trio)
        trace_split.addWidget(self.inspector)
        trace_split.setStretchFactor(0, 3)
        trace_split.setStretchFactor(1, 1)
        trace_split.setSizes([520, 200])
        trace_layout = QVBoxLayout(trace_tab)
        trace_layout.addLayout(top)
        trace_layout.addWidget(trace_split, 1)
        trace_layout.addWidget(self.readout)
        self.views = QTabWidget()
        for view in (trace_tab, self.compare, self.averaged, self.severing):
            self.views.addTab(view, "")

        place_beside(
            self, self.controls, self.views, width=(330, 440), sizes=(360, 1080), footer=self.controls.action_bar
        )

        self.controls.sig_prompt_settled.connect(self._request_preview)
        self.controls.sig_trace.connect(self.trace)
        self.controls.sig_cancel.connect(self.cancel)
        self.controls.sig_changed.connect(self._update_cost)
        self.trio.sig_cell_clicked.connect(self.inspect_cell)
        self.trio.sig_cell_context.connect(self._on_cell_context)
        self.trio.sig_hover_text.connect(lambda text: self.readout.setText(text or " "))
        self.inspector.sig_edit_requested.connect(self._request_edit)
        self.severing.sig_run_requested.connect(self.sever)
        self.averaged.sig_run_requested.connect(self.average)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.trace)
        self.retranslate()

    def retranslate(self) -> None:
        for index, text in enumerate((self.tr("Trace"), self.tr("Compare"), self.tr("Averaged"), self.tr("Severing"))):
            self.views.setTabText(index, text)
        self.export_button.setText(self.tr("Export…"))
        for action, (text, _suffix) in zip(self.export_button.menu().actions(), EXPORTS):
            action.setText(self.tr(text))
        self.summary.setText(self._summary())
        if self._model_info is None:
            self.controls.set_cost_text(self.tr("Load a model to trace."))
        else:
            self._update_cost()

    # -- actions ------------------------------------------------------------------------------
    def trace(self, live: TraceParams | None = None) -> None:
        """Run the trace set up in the controls, or a live step's ``live`` trace (whose
        subject span needs no chips), checked here first so that typos fail at once."""
        if self.running(TraceParams):
            return
        problem = self._setup_problem() if live is None else self._model_problem()
        if problem is None:
            try:
                params = live if live is not None else self.controls.params()
                params.check()
            except InvalidParameters as error:
                problem = translate_core_message(str(error))
        if problem is not None:
            show_error(self, self.display_title(), problem)
            return
        self.controls.remember()
        self._live_started = False
        self.inspector.clear()
        self.submit(
            params,
            title=self.tr("Trace: {prompt}").format(prompt=params.prompt),
            on_result=lambda result, run_id: self._on_traced(params, result, run_id),
            on_progress=self._show_trace_progress,
            on_stopped=lambda: self._set_summary(lambda: self.tr(TRACE_STOPPED)),
        )

    def inspect_cell(self, kind: str, token: int, layer: int) -> None:
        """Restore one cell of the shown trace and list what the model then predicts."""
        if self._shown is None or self.running(TraceParams):
            return
        params, result = self._shown
        self.trio.select_cell(kind, token, layer)
        self.inspector.show_pending(kind, token_label(result.tokens[token]), layer)
        self.submit(
            RestoredTopKParams.for_cell(params, result, kind, token, layer),
            title=self.tr("Restore {kind} at token {token}, layer {layer}").format(
                kind=kind_name(kind), token=token, layer=layer
            ),
            on_result=lambda cell, _run: self._show_cell(cell),
            on_stopped=self.inspector.clear,
        )

    def sever(self, token: int) -> None:
        if self._shown is None or self.running(SeveringParams):
            return
        params, result = self._shown
        self.submit(
            SeveringParams.for_trace(params, result, token),
            title=self.tr("Severing at token {token}: {prompt}").format(token=token, prompt=params.prompt),
            on_result=lambda severing, _run: self.severing.show_result(severing),
        )

    def average(self, path: str, limit: int, only_known: bool = True) -> None:
        if self.running(AveragingParams):
            return
        if self._model_info is None:
            show_error(self, self.display_title(), self.tr(NO_MODEL))
            return
        listed = self.averaged.listed_facts()  # a reopened run's own facts, while no file is chosen
        params = replace(AveragingParams.like_trace(self.controls.params(), path, limit, only_known), facts=listed)
        try:
            params.check()
        except InvalidParameters as error:
            show_error(self, self.display_title(), translate_core_message(str(error)))
            return
        self.submit(
            params,
            title=self.tr("Averaged trace: {name} (≤ {limit} facts)").format(
                name=Path(path).name if not listed else self.tr("{count} listed facts").format(count=len(listed)),
                limit=limit,
            ),
            on_result=lambda averaged, _run: self.averaged.show_result(averaged),
            on_progress=self._show_average_progress,
        )

    def cancel(self) -> None:
        """Cancel the long jobs.  They are withdrawn at once (their late progress is ignored),
        so Trace right after Cancel queues the new trace behind the stopping one instead of
        being ignored."""
        stopped_trace = bool(self.running(TraceParams))
        for job_id in self.running(*_LONG_JOBS):
            self.withdraw(job_id)
        if stopped_trace:
            self._set_summary(lambda: self.tr(TRACE_STOPPED))

    def export(self, path: str | Path) -> Path:
        """Write the shown trace: PNG/SVG of the heatmaps, CSV/NPZ of the numbers."""
        if self._shown is None:
            raise InvalidParameters("There is no trace to export yet.")
        path = Path(path)
        if path.suffix.lower() in FIGURE_SUFFIXES:
            with self.trio.without_selection():  # a slide shows the data, not the last click
                return export_figure(self.trio.ci, path)
        return export_trace_numbers(self._shown[1], path)

    def cell_menu(self, kind: str, token: int, layer: int) -> QMenu:
        """The context menu of a heatmap cell: restored predictions, and “Edit here”."""
        menu = QMenu(self)
        menu.addAction(self.tr("Show restored predictions"), lambda: self.inspect_cell(kind, token, layer))
        edit = menu.addAction(
            self.tr("Edit here (layer {layer})…").format(layer=layer), lambda: self._request_edit(layer)
        )
        edit.setEnabled(self._shown is not None)
        return menu

    def shown_trace(self) -> TraceResult | None:
        return self._shown[1] if self._shown is not None else None

    # -- what comes back ------------------------------------------------------------------------
    def _show_trace_progress(self, fraction: float, message: str, partial: TraceResult | None) -> None:
        if partial is None:  # a message before the first cells
            return
        self._show_live(partial)
        self._set_summary(lambda: f"{translate_core_message(message)} · {fraction:.0%}")

    def _show_average_progress(self, _fraction: float, _message: str, partial: AveragingResult | None) -> None:
        if partial is not None:  # the facts averaged so far
            self.averaged.show_result(partial)

    def _on_traced(self, params: TraceParams, result: TraceResult, run_id: int | None) -> None:
        self._show_live(result)
        self._calibrate(params, result)
        self._show_trace(
            params, result, self.tr("run #{id}").format(id=run_id) if run_id is not None else self.tr("this session")
        )

    def _show_cell(self, cell: RestoredTopK) -> None:
        shown = self.shown_trace()
        token = token_label(shown.tokens[cell.token]) if shown is not None else str(cell.token)
        self.inspector.show_result(cell, token)
        self.sig_cell_shown.emit(cell)

    def on_model_changed(self, info: Any) -> None:
        self._model_info = info
        self._seconds_per_flop = None
        if info is None:
            self.controls.set_cost_text(self.tr("Load a model to trace."))
            self.controls.chips.set_tokens([])
            return
        self.controls.set_cost_text("")  # not "Load a model to trace." while no prompt asks for an estimate
        self._request_preview(self.controls.prompt.text())

    def show_run(self, run: Any) -> None:
        """Reopen a stored trace, severing or average as it was."""
        kind = run.summary.kind
        if kind == TraceParams.job_kind and isinstance(run.result, TraceResult):
            params = params_from_json(TraceParams, run.params)
            result = run.result
            start, end = result.subject_range
            self.controls.set_trace(params, result.tokens, (start, end), result.target)
            self.trio.start_trace(result)
            self._show_trace(params, result, self.tr("run #{id}").format(id=run.summary.id))
            self.views.setCurrentIndex(0)
        elif kind == SeveringParams.job_kind and isinstance(run.result, SeveringResult):
            self.severing.show_result(run.result)
            self.views.setCurrentWidget(self.severing)
        elif kind == AveragingParams.job_kind and isinstance(run.result, AveragingResult):
            averaging = params_from_json(AveragingParams, run.params)
            self.controls.form.set_value(averaging)  # the noise, kinds and window it averaged with
            self.averaged.show_settings(averaging, run.result.facts_total)
            self.averaged.show_result(run.result)
            self.views.setCurrentWidget(self.averaged)

    def live_params(self) -> TraceParams:
        return self.controls.params()

    def show_live(self, params: TraceParams) -> None:
        self.controls.set_trace(params)
        self._request_preview(params.prompt)

    def run_live(self, params: TraceParams) -> None:
        self.show_live(params)
        self.trace(params)

    def view_state(self) -> dict[str, Any]:
        """The tabs, the heatmap cell outlined (its restored predictions are asked again) and the
        token of the severing shown for this trace (run again: a lesson step that shows the
        severing tab would otherwise show an empty plot)."""
        severed = self.severing.shown_token(self._shown[0].prompt) if self._shown is not None else None
        return super().view_state() | {"cell": self.trio.selected_cell(), "severed": severed}

    def restore_view_state(self, state: Mapping[str, Any]) -> None:
        super().restore_view_state(state)
        cell = state.get("cell")
        if not (isinstance(cell, (list, tuple)) and len(cell) == 3 and cell[0] in self.trio.plots):
            self.trio.select_cell(None)
        elif self._model_info is not None and self._shown is not None and 0 <= cell[1] < len(self._shown[1].tokens):
            self.inspect_cell(str(cell[0]), int(cell[1]), int(cell[2]))
        else:
            self.trio.select_cell(str(cell[0]), int(cell[1]), int(cell[2]))
        severed, shown = state.get("severed"), self._shown
        if (
            isinstance(severed, int)
            and self._model_info is not None
            and shown is not None
            and 0 <= severed < len(shown[1].tokens)
            and self.severing.shown_token(shown[0].prompt) != severed
        ):
            self.severing.token.setCurrentIndex(severed)
            self.sever(severed)

    # -- internals --------------------------------------------------------------------------------
    def on_jobs_changed(self) -> None:
        self.controls.set_running(bool(self.running(TraceParams)))
        self.severing.set_running(bool(self.running(SeveringParams)))
        self.averaged.set_running(bool(self.running(AveragingParams)))

    def _model_problem(self) -> str | None:
        return self.tr(NO_MODEL) if self._model_info is None else None

    def _setup_problem(self) -> str | None:
        return self._model_problem() or self.controls.problem()

    def _request_preview(self, prompt: str) -> None:
        if self._model_info is None or not prompt.strip():
            return
        for job_id in self.running(PredictParams):
            self.withdraw(job_id)  # a newer prompt makes it moot
        self.submit(
            PredictParams(prompt=prompt, k=10),
            title=self.tr("Tokenize and predict"),
            on_result=lambda preview, _run: self.controls.set_preview(preview),
        )

    def _show_live(self, result: TraceResult) -> None:
        if not self._live_started:
            self.trio.start_trace(result)
            self._live_started = True
            self.views.setCurrentIndex(0)
        else:
            self.trio.update_trace(result)
        self.sig_trace_shown.emit(result)

    def _show_trace(self, params: TraceParams, result: TraceResult, label: str) -> None:
        self._shown = (params, result)
        self.compare.add_trace(f"{label}: {result.prompt} → {visible_token(result.target)}", result)
        start, end = result.subject_range
        self.severing.set_tokens(result.tokens, (start, end))
        self.export_button.setEnabled(True)
        self.inspector.clear()
        self._set_summary(lambda: _trace_summary(result))
        self.sig_trace_shown.emit(result)

    def _calibrate(self, params: TraceParams, result: TraceResult) -> None:
        """Seconds per estimated operation, from the run just finished (for the next estimate)."""
        if self._model_info is None or result.seconds <= 0:
            return
        cost = estimate_trace_cost(params, self._model_info, len(result.tokens), result.subject_range[0])
        if cost.flops > 0:
            self._seconds_per_flop = result.seconds / cost.flops

    def _update_cost(self) -> None:
        preview = self.controls.preview()
        if self._model_info is None or preview is None:
            return
        params = self.controls.params()
        span = self.controls.subject_span()
        try:
            start = span[0] if span is not None else subject_tokens(preview.prompt, params.subject, preview.offsets)[0]
        except WorkbenchError:
            start = 0
        try:
            cost = estimate_trace_cost(params, self._model_info, len(preview.tokens), start)
        except (WorkbenchError, ValueError, ZeroDivisionError):
            return
        calibrated = self._seconds_per_flop is not None
        seconds = cost.flops * self._seconds_per_flop if self._seconds_per_flop is not None else cost.seconds
        text = (
            self.tr(
                "{passes} forward passes for {cells} cells (the straightforward method: {straightforward}) · "
                "about {duration} (timed on the last run)"
            )
            if calibrated
            else self.tr(
                "{passes} forward passes for {cells} cells (the straightforward method: {straightforward}) · "
                "about {duration} (a rough guess until the first run)"
            )
        )
        self.controls.set_cost_text(
            text.format(
                passes=f"{cost.forward_passes:,}",
                cells=f"{cost.cells:,}",
                straightforward=f"{cost.straightforward_passes:,}",
                duration=_duration(seconds),
            )
        )

    def _on_cell_context(self, kind: str, token: int, layer: int, where: QPoint) -> None:
        self.cell_menu(kind, token, layer).popup(where)

    def _request_edit(self, layer: int) -> None:
        if self._shown is None:
            return
        _params, result = self._shown
        start, end = result.subject_range
        subject = "".join(result.tokens[start:end]).strip()
        self.sig_edit_requested.emit(result.prompt, subject, result.target, layer)

    def _choose_export_path(self, suffix: str) -> None:
        if self._shown is None:
            return
        name = "".join(c if c.isalnum() else "_" for c in self._shown[1].prompt)[:40].strip("_") or "trace"
        suggested = str(Path(self._last_export_dir) / f"trace_{name}{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export trace"), suggested, f"*{suffix}")
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        try:
            written = self.export(path)
        except (OSError, WorkbenchError) as error:
            show_error(
                self, self.display_title(), self.tr("Could not write {path}: {reason}").format(path=path, reason=error)
            )
            return
        self._last_export_dir = str(written.parent)
        self._set_summary(lambda: self.tr("Exported {path}").format(path=written))

    def _set_summary(self, summary: Callable[[], str]) -> None:
        self._summary = summary
        self.summary.setText(summary())


def _trace_summary(result: TraceResult) -> str:
    notes = [
        QCoreApplication.translate(
            "TracingPanel",
            "Clean p({target}) = {clean}, corrupted = {corrupted} ± {spread} · σ = {sigma} · {passes} forward passes "
            "in {seconds} s · click a cell to see its restored predictions.",
        ).format(
            target=visible_token(result.target),
            clean=f"{result.high_score:.3f}",
            corrupted=f"{result.low_score:.3f}",
            spread=f"{result.low_spread:.3f}",
            sigma=f"{result.sigma:.3g}",
            passes=result.forward_passes,
            seconds=f"{result.seconds:.1f}",
        ),
        *(f"⚠ {warning}" for warning in result.warnings),
    ]
    return "<br>".join(notes)


def _duration(seconds: float) -> str:
    if seconds < 1:
        return QCoreApplication.translate("TracingPanel", "under a second")
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min"
