"""The Fine-tuning lab (book ch. 4, §4.5.1): train an adapter, watch it learn, compare it.

The panel holds the views and turns clicks into jobs of ``workbench.core.finetune``: every
training is a stored run (its curves are written to the project as they arrive), and the
small jobs (parameter count, data preview, adapter operations, the list of earlier runs)
are not.  Settings changes are debounced before the count and preview jobs go out, and a
still-queued one is cancelled when a newer one replaces it, so typing never piles up work.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QTabWidget, QWidget

from workbench.base.errors import UnsupportedArchitecture
from workbench.core.finetune.params import (
    CHECKPOINT_DIR,
    AdapterOperationParams,
    CompareParams,
    CompareResult,
    CountParametersParams,
    FinetuneParams,
    FinetuneResult,
    PreviewDataParams,
    TrainingHistoryParams,
)
from workbench.core.model.arch import adapter_for_model_type
from workbench.store.codec import params_from_json
from workbench.ui.error_dialog import show_error
from workbench.ui.panels.base import Panel
from workbench.ui.panels.finetune.adapter_list import AdapterList
from workbench.ui.panels.finetune.compare_view import CompareView
from workbench.ui.panels.finetune.data_picker import DataPicker
from workbench.ui.panels.finetune.method_settings import method_name
from workbench.ui.panels.finetune.settings_column import SettingsColumn
from workbench.ui.panels.finetune.training_view import TrainingView
from workbench.ui.settings import application_settings
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.worker import WorkerHost

SETTINGS_GROUP = "finetune/last_used"
DEBOUNCE_MS = 250


class FinetunePanel(Panel):
    title = QT_TRANSLATE_NOOP("FinetunePanel", "Fine-tuning")
    run_kinds = (FinetuneParams.job_kind, CompareParams.job_kind)
    live_params_type = FinetuneParams

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._model_ready = False
        self._project_open = False
        self._resumable: FinetuneParams | None = None

        self.settings = SettingsColumn()
        self.training = TrainingView()
        self.data = DataPicker()
        self.compare = CompareView()
        self.adapters = AdapterList()
        self.views = QTabWidget()
        for view in (self.training, self.data, self.compare, self.adapters):
            self.views.addTab(view, "")

        self.settings.setMinimumWidth(320)
        self.settings.setMaximumWidth(400)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.settings)
        split.addWidget(self.views)
        split.setStretchFactor(1, 1)
        split.setSizes([340, 1000])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(split)

        self._count_timer = _debouncer(self, self.count_parameters)
        self._preview_timer = _debouncer(self, self.preview_data)
        self.settings.method.sig_changed.connect(self._count_timer.start)
        self.data.sig_changed.connect(self._preview_timer.start)
        self.settings.sig_preset_chosen.connect(self.show_live)
        self.settings.sig_start.connect(self.start)
        self.settings.sig_cancel.connect(self.cancel)
        self.settings.sig_resume.connect(self.resume)
        self.training.sig_refresh_history.connect(self.refresh_history)
        self.compare.sig_compare_requested.connect(self.run_compare)
        self.adapters.sig_operation.connect(self.adapter_operation)
        host.sig_project_changed.connect(self._on_project_changed)
        self._restore()
        self.on_jobs_changed()
        self.retranslate()

    def retranslate(self) -> None:
        for view, text in ((self.training, self.tr("Training")), (self.data, self.tr("Data")),
                           (self.compare, self.tr("A/B compare")), (self.adapters, self.tr("Adapters"))):  # fmt: skip
            self.views.setTabText(self.views.indexOf(view), text)

    # -- actions ---------------------------------------------------------------------------
    def start(self) -> None:
        """Train the chosen method on the chosen data into a new adapter folder."""
        params = self._training_params()
        if params is not None:
            self._remember()
            self._train(params, self.tr("Fine-tune ({method})").format(method=method_name(params.method.method)))

    def resume(self) -> None:
        """Continue the cancelled training from its checkpoint, with exactly its settings."""
        if self._resumable is None or self.running(FinetuneParams):
            return
        params = replace(self._resumable, resume=True)
        self.settings.method.set_value(params.method)
        self._train(params, self.tr("Fine-tune ({method}, resumed)").format(method=method_name(params.method.method)))

    def cancel(self) -> None:
        for job_id in self.running(FinetuneParams):
            self.host.cancel(job_id)
            self.training.show_ended(self.tr("Cancelling…"))

    def count_parameters(self) -> None:
        if not self._model_ready:
            return
        method = self.settings.method.value()
        if method.method == "prompt" and method.prompt_init == "text" and not method.prompt_init_text.strip():
            self.settings.parameters.show_message(
                QT_TRANSLATE_NOOP("FinetunePanel", "Type the text the soft prompt starts from.")
            )
            return
        self.withdraw_queued(CountParametersParams)
        self.submit(
            CountParametersParams(method=method),
            title=self.tr("Count trainable parameters"),
            on_result=lambda count, _run: self.settings.parameters.show_count(count),
            on_stopped=lambda: self.settings.parameters.show_message(
                QT_TRANSLATE_NOOP("FinetunePanel", "These settings cannot be counted; see the message.")
            ),
        )

    def preview_data(self) -> None:
        if not self._model_ready:
            return
        problem = self.data.problem()
        if problem is not None:
            self.data.show_message(problem)
            return
        self.withdraw_queued(PreviewDataParams)
        self.submit(
            PreviewDataParams(data=self.data.value()),
            title=self.tr("Preview fine-tuning data"),
            on_result=lambda preview, _run: self.data.show_preview(preview),
            # in the data section, not in a box: the same sentence comes back in a box only
            # if the user presses Start on that data
            on_failed=lambda message: self.data.show_message(message, warning=True),
            shows_failure=True,
        )

    def run_compare(self, params: CompareParams) -> None:
        if not params.prompts and not params.eval_text.strip():
            show_error(self, self.display_title(), self.tr("Give prompts to continue or a text to score."))
            return
        self.submit(
            params,
            title=self.tr("A/B: base vs adapter"),
            on_result=self._on_compared,
            on_stopped=self._on_compare_stopped,
        )
        self.compare.set_busy(True)

    def adapter_operation(self, params: AdapterOperationParams) -> None:
        self.submit(
            params,
            title=self.tr("Adapters: {action}").format(action=params.action),
            on_result=lambda state, _run: self.adapters.show_state(state),
            # the list shows what was asked for (a ticked box, a pressed button): ask again
            on_stopped=None
            if params.action == "state"
            else lambda: self.adapter_operation(AdapterOperationParams(action="state")),
        )

    def refresh_history(self) -> None:
        if self._project_open:
            self.withdraw_queued(TrainingHistoryParams)
            self.submit(
                TrainingHistoryParams(),
                title=self.tr("List training runs"),
                on_result=lambda runs, _run: self.training.set_history(runs, project_open=self._project_open),
            )
        else:
            self.training.set_history([], project_open=False)

    # -- what comes back ---------------------------------------------------------------------
    def _on_trained(self, result: FinetuneResult, run_id: int | None) -> None:
        self._resumable = None
        self.training.show_result(result, run_id)
        self.adapter_operation(AdapterOperationParams(action="state"))
        self.refresh_history()

    def _on_training_stopped(self, params: FinetuneParams) -> None:
        if _has_checkpoint(params):
            self._resumable = params
            self.training.show_ended(self.tr("Stopped · Resume continues from the last finished step."))
        else:
            self.training.show_ended(self.tr("Stopped before the first step finished."))
        self.adapter_operation(AdapterOperationParams(action="state"))
        self.refresh_history()

    def _on_compared(self, result: CompareResult, _run_id: int | None) -> None:
        self.compare.set_busy(False)
        self.compare.show_result(result)

    def _on_compare_stopped(self) -> None:
        self.compare.set_busy(False)
        self.compare.show_stopped()

    def on_model_changed(self, info: Any) -> None:
        self._model_ready = info is not None
        self._resumable = None
        groups: dict[str, tuple[str, ...]] = {}
        if info is not None:
            try:
                groups = adapter_for_model_type(info.model_type).lora_target_modules()
            except UnsupportedArchitecture:
                groups = {}
        self.settings.method.set_target_choices(groups)
        self.adapters.show_state(None)
        if info is None:
            self.settings.parameters.show_message(
                QT_TRANSLATE_NOOP("FinetunePanel", "Load a model to count parameters.")
            )
            self.data.show_message(QT_TRANSLATE_NOOP("FinetunePanel", "Load a model to see the tokenised examples."))
        else:
            self._count_timer.start()
            self._preview_timer.start()
        self.on_jobs_changed()

    def show_run(self, run: Any) -> None:
        """Reopen a stored training (settings, curves, result) or A/B comparison."""
        if run.summary.kind == CompareParams.job_kind:
            if isinstance(run.result, CompareResult):
                self.compare.show_result(run.result)
            self.views.setCurrentWidget(self.compare)
            return
        params = params_from_json(FinetuneParams, run.params)
        self.settings.method.set_value(params.method)
        self.settings.train.set_value(params.train)
        self.data.set_value(params.data)
        self.training.start(self.tr("Run #{run} ({status})").format(run=run.summary.id, status=run.summary.status))
        self.training.show_curves(run.curves)
        if isinstance(run.result, FinetuneResult):
            self.training.show_result(run.result, run.summary.id)
        else:
            self.training.show_ended(
                self.tr("Run #{run} {status}.").format(run=run.summary.id, status=run.summary.status)
            )
        if run.summary.status != "finished" and _has_checkpoint(params):
            self._resumable = replace(params, resume=False)
        self.views.setCurrentWidget(self.training)
        self.on_jobs_changed()

    def live_params(self) -> FinetuneParams:
        """The method, data and training as set up (a live step trains into the form's folder)."""
        return FinetuneParams(
            method=self.settings.method.value(), data=self.data.value(), train=self.settings.train_config()
        )

    def show_live(self, params: FinetuneParams) -> None:
        self.settings.method.set_value(params.method)
        self.settings.train.set_value(params.train)
        self.data.set_value(params.data)

    def run_live(self, params: FinetuneParams) -> None:
        self.show_live(params)
        self.start()

    # -- internals ---------------------------------------------------------------------------
    def _training_params(self) -> FinetuneParams | None:
        """The form's training, or None after telling the user what is wrong with it."""
        problem = self.data.problem()
        train = self.settings.train_config()
        method = self.settings.method.value()
        folder = self.settings.folder.text().strip()
        if problem is None and train.epochs <= 0 and train.max_steps <= 0:
            problem = self.tr("Train for a positive number of epochs or steps.")
        if (
            problem is None
            and method.method == "prompt"
            and method.prompt_init == "text"
            and not method.prompt_init_text.strip()
        ):
            problem = self.tr("Initialising the soft prompt from text needs a text.")
        if problem is None and not folder:
            problem = self.tr("Choose a folder to save adapters in.")
        if problem is not None:
            show_error(self, self.display_title(), problem)
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        output = Path(folder).expanduser() / f"{method.method}-{stamp}"
        return FinetuneParams(method=method, data=self.data.value(), train=train, output_dir=str(output))

    def _train(self, params: FinetuneParams, title: str) -> None:
        method = method_name(params.method.method)
        if params.resume:
            self.training.start(
                self.tr("Training {method} from its checkpoint → {folder}").format(
                    method=method, folder=params.output_dir
                )
            )
        else:
            self.training.start(self.tr("Training {method} → {folder}").format(method=method, folder=params.output_dir))
        self.submit(
            params,
            title=title,
            on_result=self._on_trained,
            on_progress=self.training.show_progress,
            on_stopped=lambda: self._on_training_stopped(params),
        )
        self.views.setCurrentWidget(self.training)

    def on_jobs_changed(self) -> None:
        self.settings.set_state(
            model_ready=self._model_ready,
            training=bool(self.running(FinetuneParams)),
            resumable=self._resumable is not None,
        )

    def _on_project_changed(self, path: str) -> None:
        self._project_open = bool(path)
        self.refresh_history()

    def _remember(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.settings.save(settings, SETTINGS_GROUP)

    def _restore(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.settings.restore(settings, SETTINGS_GROUP)


def _has_checkpoint(params: FinetuneParams) -> bool:
    return bool(params.output_dir) and (Path(params.output_dir).expanduser() / CHECKPOINT_DIR).is_dir()


def _debouncer(parent: QWidget, slot: Any) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(DEBOUNCE_MS)
    timer.timeout.connect(slot)
    return timer
