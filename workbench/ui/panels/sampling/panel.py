"""The Sampling lab (book §1.4–1.5): every decoding method, seen step by step.

The panel holds the views and turns clicks into jobs; every generation, branch, comparison
and perplexity is a job of the core run by the worker (and stored as a run).  Step mode
advances a session that lives in the worker one token per job; those jobs are not stored,
so when the session ends (or the user saves early) the panel re-runs the same settings and
seed as one ordinary job, which stores exactly the tokens stepped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QTabWidget, QWidget

from workbench.base.errors import InvalidParameters
from workbench.core.sampling.params import SamplingParams, SamplingStepParams, SideBySideParams
from workbench.core.sampling.records import SamplingResult, SideBySideResult
from workbench.core.text_metrics import PerplexityParams, PerplexityResult
from workbench.store.codec import params_from_json
from workbench.ui.core_messages import translate_core_message
from workbench.ui.error_dialog import show_error
from workbench.ui.panels.base import Panel
from workbench.ui.panels.sampling.beam_view import BeamTreeView
from workbench.ui.panels.sampling.controls import SettingsColumn
from workbench.ui.panels.sampling.evaluate import EvaluateView
from workbench.ui.panels.sampling.generation_view import GenerationView
from workbench.ui.panels.sampling.labels import describe_settings
from workbench.ui.panels.sampling.side_by_side import SideBySideView
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.side_column import width_follows_text
from workbench.worker import WorkerHost

LIVE_REFRESH_MS = 50
"""A running generation is redrawn at most 20 times a second, whatever the token rate."""


class SamplingPanel(Panel):
    title = QT_TRANSLATE_NOOP("SamplingPanel", "Sampling")
    run_kinds = (SamplingParams.job_kind, SideBySideParams.job_kind, PerplexityParams.job_kind)
    live_params_type = SamplingParams

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._model_ready = False
        self._save_job: int | None = None
        """The job storing step mode's tokens: a generation that does not block Generate."""
        self._step_branch: int | None = None
        self._step_params: SamplingParams | None = None
        self._step_key = f"sampling-panel-{id(self)}"
        self._live_branch: int | None = None
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_REFRESH_MS)
        self._live_timer.timeout.connect(self._on_live_refresh)

        self.controls = SettingsColumn()
        self.generation = GenerationView()
        self.beam = BeamTreeView()
        self.side_by_side = SideBySideView(self.controls.params)
        self.evaluate = EvaluateView()
        self.views = QTabWidget()
        for view in (self.generation, self.beam, self.side_by_side, self.evaluate):
            self.views.addTab(view, "")

        width_follows_text(self.controls, (260, 420))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.controls)
        split.addWidget(self.views)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 1000])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(split)

        self.controls.sig_generate.connect(self.generate)
        self.controls.sig_step.connect(self.step)
        self.controls.sig_cancel.connect(self.cancel)
        self.controls.sig_save_steps.connect(self.save_steps)
        self.generation.sig_branch_requested.connect(self.branch)
        self.generation.sig_step_key.connect(self._on_step_key)
        self.generation.inspector.sig_past_last_step.connect(self._on_past_last_step)
        self.generation.branches.sig_branch_selected.connect(self._on_branch_selected)
        self.generation.inspector.sig_use_settings.connect(self.controls.use_sampler_settings)
        self.side_by_side.sig_compare_requested.connect(self.compare)
        self.evaluate.sig_perplexity_requested.connect(self.perplexity)
        self.evaluate.sig_use_generation.connect(self._on_use_generation)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.generate)
        self.retranslate()

    def retranslate(self) -> None:
        for view, text in (
            (self.generation, self.tr("Generation")),
            (self.beam, self.tr("Beam search tree")),
            (self.side_by_side, self.tr("Side by side")),
            (self.evaluate, self.tr("Evaluate")),
        ):
            self.views.setTabText(self.views.indexOf(view), text)

    # -- actions ---------------------------------------------------------------------------
    def generate(self) -> None:
        """Run the settings column's generation as one job."""
        params = self.controls.params()
        if not self.controls.generate_button.isEnabled() or not self._valid(params):
            return
        self.controls.remember()
        self._end_step_mode()
        branch_id = self.generation.branches.add_root()
        self._generate(params, branch_id, self.tr("Sample: {settings}").format(settings=describe_settings(params)))
        self.generation.branches.select(branch_id)
        if params.strategy == "beam":
            self.beam.set_result(None)
            self.views.setCurrentWidget(self.beam)
        elif self.views.currentWidget() is not self.generation:
            self.views.setCurrentWidget(self.generation)

    def branch(self, step: int, token_id: int) -> None:
        """Regenerate the shown generation from ``step`` with ``token_id`` there."""
        parent_id = self.generation.current_branch()
        if parent_id is None:
            return
        result = self.generation.branches.branch(parent_id).result
        if result is None or result.params.strategy == "beam" or step >= len(result.steps):
            return
        record = result.steps[step]
        if token_id == record.chosen_id:
            return
        prefix = (*(int(token) for token in result.token_ids[:step]), token_id)
        params = replace(
            result.params,
            seed=result.seed if result.params.strategy == "sample" else result.params.seed,
            forced_prefix_ids=prefix,
            max_new_tokens=max(result.params.max_new_tokens, len(prefix)),
        )
        rows = [row for row, candidate in enumerate(record.candidate_ids) if int(candidate) == token_id]
        token = record.candidate_tokens[rows[0]] if rows else str(token_id)
        branch_id = self.generation.branches.add_branch(parent_id, step, token)
        self._generate(
            params,
            branch_id,
            self.tr("Branch at step {step}: {settings}").format(step=step + 1, settings=describe_settings(params)),
        )
        self.generation.branches.select(branch_id)

    def step(self) -> None:
        """Step mode: one more token of the settings column's generation."""
        params = self.controls.params()
        if not self.controls.step_button.isEnabled() or not self._valid(params):
            return
        if params.strategy == "beam":
            show_error(
                self,
                self.display_title(),
                self.tr("Step mode runs greedy decoding or sampling; beam search has no single next token."),
            )
            return
        branches = self.generation.branches
        current = branches.branch(self._step_branch).result if self._step_branch is not None else None
        restart = self._step_branch is None or params != self._step_params or (current is not None and current.finished)
        branch_id = self._step_branch
        if restart or branch_id is None:
            branch_id = self._step_branch = branches.add_root(origin=self.tr("step mode"))
            self._step_params = params
        if branches.current_id() != branch_id:
            branches.select(branch_id)
        self.views.setCurrentWidget(self.generation)
        request = SamplingStepParams(params=params, session_key=self._step_key, steps=1, restart=restart)
        self.submit(
            request,
            title=self.tr("Sampling step"),
            on_result=lambda result, run_id: self._on_step_finished(branch_id, result, run_id),
            on_progress=lambda _f, _m, partial: self._show_partial(branch_id, partial),
            on_stopped=lambda: self._on_branch_stopped(branch_id),
        )
        self.generation.setFocus()

    def unsaved_work(self) -> str:
        """Step mode's tokens live in the panel until "Save steps as run" stores them."""
        if self._step_branch is None:
            return ""
        result = self.generation.branches.branch(self._step_branch).result
        if result is None or not result.steps:
            return ""
        return self.tr("Sampling: {count} stepped tokens are not saved as a run.").format(count=len(result.steps))

    def save_steps(self) -> None:
        """Store the stepped tokens as a run: the same settings and seed, as many tokens, one job."""
        if self._step_branch is None or self._step_params is None:
            return
        result = self.generation.branches.branch(self._step_branch).result
        if result is None or not result.steps:
            return
        params = replace(self._step_params, seed=result.seed, max_new_tokens=len(result.steps))
        branch_id = self._step_branch
        self._save_job = self.submit(
            params,
            title=self.tr("Sample (step mode): {settings}").format(settings=describe_settings(params)),
            on_result=lambda result, run_id: self._on_steps_saved(branch_id, result, run_id),
        )
        self.on_jobs_changed()  # now that the save job is known: it does not hold Generate back
        self._step_branch = None
        self._step_params = None
        self.controls.set_step_status(self.tr("Saving the stepped tokens as a run…"), can_save=False)

    def compare(self, configs: tuple[SamplingParams, ...]) -> None:
        params = SideBySideParams(prompt=self.controls.prompt.toPlainText(), configs=configs)
        if not self._valid(params):
            return
        title = self.tr("Side by side: {count} configurations").format(count=len(configs))
        self.submit(params, title=title, on_result=lambda result, _run: self.side_by_side.show_result(result))
        self.side_by_side.set_busy(True)

    def perplexity(self, text: str) -> None:
        params = PerplexityParams(text=text)
        if self._valid(params):
            self.submit(
                params,
                title=self.tr("Perplexity"),
                on_result=lambda result, _run: self.evaluate.show_perplexity(result),
            )

    def cancel(self) -> None:
        for job_id in self.running():
            self.host.cancel(job_id)

    # -- what comes back -----------------------------------------------------------------------
    def _show_partial(self, branch_id: int, partial: SamplingResult | None) -> None:
        """A running step: its branch grows."""
        if partial is not None:
            self.generation.branches.update_branch(branch_id, partial)

    def _show_live_partial(self, branch_id: int, partial: SamplingResult | None) -> None:
        """A running generation: its branch grows and is redrawn live."""
        if partial is None:
            return
        self.generation.branches.update_branch(branch_id, partial)
        self._live_branch = branch_id
        if not self._live_timer.isActive():
            self._live_timer.start()

    def _show_generation(self, branch_id: int, result: SamplingResult, run_id: int | None) -> None:
        if branch_id == self._live_branch:
            self._live_timer.stop()
            self._live_branch = None
        state = "done" if result.finished else "running"
        self.generation.branches.update_branch(branch_id, result, state=state, run_id=run_id)

    def _on_generated(self, branch_id: int, result: SamplingResult, run_id: int | None) -> None:
        self._show_generation(branch_id, result, run_id)
        self._show_if_current(branch_id, follow=False)

    def _on_step_finished(self, branch_id: int, result: SamplingResult, run_id: int | None) -> None:
        self._show_generation(branch_id, result, run_id)
        self._on_step_result(branch_id, result)

    def _on_steps_saved(self, branch_id: int, result: SamplingResult, run_id: int | None) -> None:
        self._on_generated(branch_id, result, run_id)
        count = len(result.token_ids)
        self.controls.set_step_status(
            self.tr("Stepped {count} tokens, saved as run #{id}.").format(count=count, id=run_id)
            if run_id is not None
            else self.tr("Stepped {count} tokens, saved (open a project to keep runs).").format(count=count),
            can_save=False,
        )

    def _on_branch_stopped(self, branch_id: int) -> None:
        """A generation or step ended without a result: an empty branch goes, a partial one stays."""
        branches = self.generation.branches
        if branch_id in branches.branch_ids():
            if branches.branch(branch_id).result is None:
                branches.remove_branch(branch_id)
                if branch_id == self._step_branch:
                    self._end_step_mode()
            else:
                branches.update_branch(branch_id, state="cancelled")

    def on_model_changed(self, info: Any) -> None:
        self._model_ready = info is not None
        self.controls.set_model_ready(info is not None)
        self._end_step_mode()

    def show_run(self, run: Any) -> None:
        """Reopen a stored generation, comparison or perplexity as it was."""
        kind, result = run.summary.kind, run.result
        if kind == SamplingParams.job_kind:
            params = params_from_json(SamplingParams, run.params)
            self.controls.set_params(replace(params, forced_prefix_ids=()))
            shown = isinstance(result, SamplingResult)
            if shown:
                branches = self.generation.branches
                branch_id = branches.branch_of_run(run.summary.id)
                if branch_id is None:  # reopened before (a lesson steps back to it): no twin branch
                    branch_id = branches.add_root(origin=self.tr("run #{id}").format(id=run.summary.id))
                    branches.update_branch(branch_id, result, state="done", run_id=run.summary.id)
                branches.select(branch_id)
                self.views.setCurrentWidget(self.beam if params.strategy == "beam" else self.generation)
        elif kind == SideBySideParams.job_kind:
            side_params = params_from_json(SideBySideParams, run.params)
            self.controls.prompt.setPlainText(side_params.prompt)
            self.side_by_side.set_configs(side_params.configs)
            shown = isinstance(result, SideBySideResult)
            if shown:
                self.side_by_side.show_result(result)
            self.views.setCurrentWidget(self.side_by_side)
        else:
            self.evaluate.set_candidate(params_from_json(PerplexityParams, run.params).text)
            shown = isinstance(result, PerplexityResult)
            if shown:
                self.evaluate.show_perplexity(result)
            self.views.setCurrentWidget(self.evaluate)
        if not shown:
            why = (
                self.tr("Run #{id} has no result ({status}); its settings are loaded.")
                if result is None
                else self.tr("Run #{id} has a result this version cannot read; its settings are loaded.")
            )
            show_error(self, self.display_title(), why.format(id=run.summary.id, status=run.summary.status))

    def view_state(self) -> dict[str, Any]:
        """The tabs and what the Evaluate tab holds (its scores and perplexity are computed again)."""
        return super().view_state() | {"evaluate": self.evaluate.kept()}

    def restore_view_state(self, state: Mapping[str, Any]) -> None:
        """Besides the tabs, fill the Evaluate tab and score it again.  A bundled lesson's view may
        say ``"use_generation": true`` instead of a text: the text is then the generation the live
        step has just made, so its slide shows that generation's perplexity."""
        super().restore_view_state(state)
        kept = state.get("evaluate")
        if not isinstance(kept, Mapping):
            return
        if kept.get("use_generation"):
            self._on_use_generation()
        else:
            self.evaluate.set_candidate(str(kept.get("text") or ""))
        self.evaluate.reference.setPlainText(str(kept.get("reference") or ""))
        text = self.evaluate.candidate.toPlainText()
        if text.strip() and self.evaluate.reference.toPlainText().strip():
            self.evaluate.score()
        if kept.get("perplexity") and self._model_ready and text.strip():
            self.perplexity(text)

    def live_params(self) -> SamplingParams:
        return self.controls.params()

    def show_live(self, params: SamplingParams) -> None:
        self.controls.set_params(params)

    def run_live(self, params: SamplingParams) -> None:
        self.show_live(params)
        self.generate()

    # -- internals ---------------------------------------------------------------------------
    def _generate(self, params: SamplingParams, branch_id: int, title: str) -> None:
        self.submit(
            params,
            title=title,
            on_result=lambda result, run_id: self._on_generated(branch_id, result, run_id),
            on_progress=lambda _f, _m, partial: self._show_live_partial(branch_id, partial),
            on_stopped=lambda: self._on_branch_stopped(branch_id),
        )

    def _valid(self, params: Any) -> bool:
        try:
            params.validate()
        except InvalidParameters as error:
            show_error(self, self.display_title(), translate_core_message(str(error)))
            return False
        return True

    def on_jobs_changed(self) -> None:
        generating = any(job_id != self._save_job for job_id in self.running(SamplingParams))
        self.controls.set_running(generating, any_job=bool(self.running()))
        self.side_by_side.set_busy(bool(self.running(SideBySideParams)))

    def _show_if_current(self, branch_id: int | None, follow: bool) -> None:
        if branch_id is None or self.generation.branches.current_id() != branch_id:
            return
        result = self.generation.branches.branch(branch_id).result
        latest = len(result.steps) - 1 if follow and result is not None and result.steps else None
        self.generation.show_branch(branch_id, step=latest)
        if result is not None and result.params.strategy == "beam":
            self.beam.set_result(result)

    def _on_live_refresh(self) -> None:
        self._show_if_current(self._live_branch, follow=True)

    def _on_branch_selected(self, branch_id: int) -> None:
        self.generation.show_branch(branch_id)
        result = self.generation.branches.branch(branch_id).result
        if result is not None and result.params.strategy == "beam":
            self.beam.set_result(result)

    def _on_step_result(self, branch_id: int, result: SamplingResult) -> None:
        if self.generation.branches.current_id() == branch_id:
            self.generation.show_branch(branch_id, step=len(result.steps) - 1 if result.steps else None, animate=True)
        if branch_id != self._step_branch:
            return
        if result.finished:
            self.save_steps()
        else:
            self.controls.set_step_status(
                self.tr("Step mode: {count} tokens. Space or → for the next one.").format(count=len(result.token_ids)),
                can_save=True,
            )

    def _on_step_key(self) -> None:
        if self.controls.step_button.isEnabled():
            self.step()

    def _on_past_last_step(self) -> None:
        """→ on the newest token of a step-mode generation asks for the next token."""
        if self._step_branch is not None and self.generation.current_branch() == self._step_branch:
            self._on_step_key()

    def _end_step_mode(self) -> None:
        self._step_branch = None
        self._step_params = None
        self.controls.set_step_status("", can_save=False)

    def _on_use_generation(self) -> None:
        branch_id = self.generation.current_branch()
        result = self.generation.branches.branch(branch_id).result if branch_id is not None else None
        if result is not None:
            self.evaluate.set_candidate(result.text)
