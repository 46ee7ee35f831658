"""The main window: menus, one tab per lab, run history, and the status bar.

It only renders and forwards: every model or store operation is a job for the worker.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import psutil
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.model.spec import LoadModelParams, ModelSpec, UnloadModelParams
from workbench.store.project_jobs import DeleteRunParams, OpenProjectParams, RenameRunParams, SaveProjectAsParams
from workbench.ui.error_dialog import show_error
from workbench.ui.lessons_dock import LessonsDock
from workbench.ui.panels.base import Panel
from workbench.ui.panels.registry import create_panels
from workbench.ui.settings import AppSettings
from workbench.ui.theme import PRESENT_SCALE, apply_theme, colors
from workbench.ui.widgets.job_status import JobStatus, ModelStatus
from workbench.ui.widgets.lab_tabs import LabTabs
from workbench.ui.widgets.model_state import ModelStateChip
from workbench.ui.widgets.plot_style import restyle_plots
from workbench.ui.widgets.run_history import RunHistory
from workbench.worker import WorkerHost

log = logging.getLogger(__name__)

PROJECT_FILTER = "Workbench projects (*.wbproj)"
GGUF_FILTER = "GGUF models (*.gguf);;All files (*)"
IMPORT_PRECISIONS = {
    "float32 (exact: the GGUF's values, 4 bytes a weight)": "float32",
    "bfloat16 (half the size, rounded)": "bfloat16",
}


class MainWindow(QMainWindow):
    sig_run_list_refreshed = Signal()

    def __init__(self, host: WorkerHost, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.settings = settings
        self.project_path: str = ""
        self.model_info: Any = None
        self._reader: Any = None
        self._presenting = False
        self.setWindowTitle("LLM Workbench")
        self.resize(1360, 860)

        self.tabs = LabTabs()
        self.tabs.setDocumentMode(True)
        self.panels: dict[str, Panel] = create_panels(host)
        for name, panel in self.panels.items():
            self.tabs.add_lab(panel, panel.title or name)
        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("read-only-banner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet("background: #fff3bf; color: #5c3c00; padding: 6px 10px;")
        self.read_only_banner.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.read_only_banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.panels["tracing"].sig_edit_requested.connect(self._on_edit_requested)  # type: ignore[attr-defined]

        self.run_history = RunHistory()
        self.history_dock = QDockWidget("Run history", self)
        self.history_dock.setObjectName("run-history")
        self.history_dock.setWidget(self.run_history)
        self.history_dock.setMinimumWidth(280)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.history_dock)
        self.lessons_dock = LessonsDock(self)  # lessons (issue 21): steps through saved runs

        self.model_status = ModelStatus("No model loaded")
        self.job_status = JobStatus()
        self.model_state = ModelStateChip()
        self.statusBar().addWidget(self.model_status, 1)
        self.statusBar().addPermanentWidget(self.model_state)
        self.statusBar().addPermanentWidget(self.job_status)
        self._memory_timer = QTimer(self)
        self._memory_timer.setInterval(3000)
        self._memory_timer.timeout.connect(self._refresh_model_status)
        self._memory_timer.start()

        self._build_menus()
        self._connect_worker()
        self.run_history.sig_run_activated.connect(self.open_run)
        self.run_history.sig_rename_requested.connect(
            lambda run_id, title: self.host.submit(RenameRunParams(run_id, title), "Rename run")
        )
        self.run_history.sig_delete_requested.connect(
            lambda run_id: self.host.submit(DeleteRunParams(run_id), "Delete run")
        )
        self.run_history.sig_export_requested.connect(self.export_run)
        if settings.window_geometry is not None:
            self.restoreGeometry(settings.window_geometry)
        if settings.window_state is not None:
            self.restoreState(settings.window_state)
        self._restyle_plots()

    # ---------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._add_action(file_menu, "&New Project…", self.new_project, QKeySequence.StandardKey.New)
        self._add_action(file_menu, "&Open Project…", self.choose_project, QKeySequence.StandardKey.Open)
        self._add_action(file_menu, "Save Project &As…", self.save_project_as, QKeySequence.StandardKey.SaveAs)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self._add_action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        model_menu = self.menuBar().addMenu("&Model")
        self._add_action(model_menu, "&Load Model…", self.choose_model, "Ctrl+L")
        self._add_action(model_menu, "Load &Demo Model", lambda: self.load_model(ModelSpec()))
        self.import_gguf_action = self._add_action(model_menu, "&Import GGUF…", self.choose_gguf)
        self.unload_action = self._add_action(model_menu, "&Unload Model", self.unload_model)

        view_menu = self.menuBar().addMenu("&View")
        theme_menu = view_menu.addMenu("&Theme")
        group = QActionGroup(self)
        for name in ("light", "dark"):
            action = QAction(name.capitalize(), self, checkable=True)
            action.setChecked(self.settings.theme == name)
            action.triggered.connect(lambda _checked=False, n=name: self.set_theme(n))
            group.addAction(action)
            theme_menu.addAction(action)
        self._add_action(view_menu, "&Larger Text", lambda: self.set_font_scale(self.settings.font_scale * 1.15), "Ctrl++")
        self._add_action(view_menu, "&Smaller Text", lambda: self.set_font_scale(self.settings.font_scale / 1.15), "Ctrl+-")
        self._add_action(view_menu, "&Reset Text Size", lambda: self.set_font_scale(1.0), "Ctrl+0")
        view_menu.addSeparator()
        self.present_action = self._add_action(view_menu, "&Present", self.toggle_present, "F11")
        self.present_action.setCheckable(True)
        view_menu.addAction(self.history_dock.toggleViewAction())
        view_menu.addAction(self.lessons_dock.toggleViewAction())

        lessons_menu = self.menuBar().addMenu("&Lessons")
        self._add_action(lessons_menu, "Open &Bundled Lesson…", self.lessons_dock.open_bundled_lesson)
        self._add_action(lessons_menu, "Export &Slides…", self.lessons_dock.export_slides)

        help_menu = self.menuBar().addMenu("&Help")
        self._add_action(help_menu, "&About LLM Workbench", self.show_about)

    def _add_action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_projects
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in recent:
            self.recent_menu.addAction(path, lambda p=path: self.open_project(p, create=False))

    # ---------------------------------------------------------------- worker
    def _connect_worker(self) -> None:
        host = self.host
        host.sig_job_started.connect(lambda _id, title: self.job_status.show_started(title))
        host.sig_progress.connect(lambda _id, f, msg, partial: self.job_status.show_progress(f, msg))
        host.sig_run_finished.connect(self._on_job_finished)
        host.sig_job_failed.connect(self._on_job_failed)
        host.sig_failure_to_show.connect(lambda _id, message, details: show_error(self, "LLM Workbench", message, details))
        host.sig_job_cancelled.connect(self._on_job_cancelled)
        host.sig_model_changed.connect(self._on_model_changed)
        host.sig_project_changed.connect(self._on_project_changed)
        host.sig_warning.connect(lambda message: show_error(self, "LLM Workbench", message))
        self.job_status.sig_cancel_clicked.connect(self._on_cancel_clicked)
        self.model_state.sig_adapters_enabled.connect(self._on_adapters_toggled)
        self.model_state.sig_edit_toggled.connect(self._on_edit_toggled)
        self.model_state.sig_show_lab.connect(lambda name: self.tabs.setCurrentWidget(self.panels[name]))

    def _on_cancel_clicked(self) -> None:
        self.job_status.show_cancelling()
        self.host.cancel()

    def _on_job_finished(self, _job_id: int, run_id: object, result: object) -> None:
        self.job_status.show_idle("Done")
        self.model_state.show_result(result)
        if run_id is not None:
            self.refresh_runs()
        folder = getattr(result, "folder", None)
        if folder and getattr(result, "card", None) is not None:  # a GGUF import or pack install
            self.statusBar().showMessage(
                f"{result.name} is in the model library ({folder}); Model › Load Model… lists it.", 10000  # type: ignore[attr-defined]
            )

    def _on_job_failed(self, _job_id: int, _message: str, _details: str) -> None:
        self.job_status.show_idle("Failed")
        self.refresh_runs()

    def _on_job_cancelled(self, _job_id: int) -> None:
        self.job_status.show_idle("Cancelled")
        self.refresh_runs()

    def _on_model_changed(self, info: Any) -> None:
        self.model_info = info
        self.model_state.show_model(info)
        self.unload_action.setEnabled(info is not None)
        self._refresh_model_status()

    def _refresh_model_status(self) -> None:
        rss = psutil.Process().memory_info().rss
        self.model_status.show_model(self.model_info, f"process {rss / 2**30:.2f} GiB")

    def _on_project_changed(self, path: str) -> None:
        from workbench.store.project import ProjectStore

        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.project_path = path
        if path:
            self.settings.add_recent_project(path)
            self._reader = ProjectStore.open(path, read_only=True)
        reason = self._reader.read_only_reason if self._reader is not None else ""
        self.read_only_banner.setText(
            f"{Path(path).name} is read-only ({reason}): you can browse and reopen its runs and query its "
            "collections, but new runs are not saved and changes are refused. Use File ▸ Save Project As… "
            "to continue in a copy."
        )
        self.read_only_banner.setVisible(bool(reason))
        self.setWindowTitle(f"{Path(path).name} — LLM Workbench" if path else "LLM Workbench")
        self.refresh_runs()

    # ---------------------------------------------------------------- actions
    def _on_adapters_toggled(self, on: bool) -> None:
        """The status chip's adapter switch: the fine-tuning lab's own job, so its list follows."""
        from workbench.core.finetune.params import AdapterOperationParams

        self.panels["finetune"].adapter_operation(AdapterOperationParams(action="enable" if on else "disable"))  # type: ignore[attr-defined]

    def _on_edit_toggled(self, edit_id: int) -> None:
        from workbench.core.editing.params import LedgerParams

        self.panels["editing"].ledger_operation(LedgerParams(action="toggle", edit_id=edit_id))  # type: ignore[attr-defined]

    def _on_edit_requested(self, prompt: str, subject: str, target: str, layer: int) -> None:
        """“Edit here” on a trace cell: the editing lab starts from that fact and layer."""
        editing = self.panels["editing"]
        editing.start_from_trace(prompt, subject, target, layer)  # type: ignore[attr-defined]
        self.tabs.setCurrentWidget(editing)

    def refresh_runs(self) -> None:
        self.run_history.set_runs(self._reader.list_runs() if self._reader is not None else [])
        self.sig_run_list_refreshed.emit()

    def open_run(self, run_id: int) -> None:
        """Reopen a stored run in the panel that made it."""
        if self._reader is None:
            return
        run = self._reader.load_run(run_id)
        for panel in self.panels.values():
            if run.summary.kind in panel.run_kinds:
                self.tabs.setCurrentWidget(panel)
                panel.show_run(run)
                return
        self.statusBar().showMessage(f"No lab reopens runs of kind '{run.summary.kind}' yet.", 5000)

    def export_run(self, run_id: int, path: str | None = None) -> None:
        """Write a stored run as JSON (parameters, model, result, curves) for other tools."""
        from workbench.store.export import export_run_json

        if self._reader is None:
            return
        run = self._reader.load_run(run_id)
        if path is None:
            suggested = str(Path(self.project_path).with_name(f"run-{run_id}-{run.summary.kind}.json"))
            path, _ = QFileDialog.getSaveFileName(self, "Export run", suggested, "JSON (*.json)")
        if path:
            try:
                export_run_json(run, path)
            except OSError as error:
                show_error(self, "LLM Workbench", f"Could not write {path}: {error.strerror or error}")
                return
            self.statusBar().showMessage(f"Exported run #{run_id} to {path}", 5000)

    def open_project(self, path: str, create: bool = True) -> int:
        return self.host.submit(OpenProjectParams(path=str(path), create=create), f"Open {Path(path).name}")

    def load_model(self, spec: ModelSpec) -> int:
        self.model_status.show_loading(spec.label)
        return self.host.submit(LoadModelParams(spec=spec), f"Load {spec.label}")

    def unload_model(self) -> None:
        self.host.submit(UnloadModelParams(), "Unload model")

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path.home() / "untitled.wbproj"), PROJECT_FILTER)
        if path:
            self.open_project(_with_suffix(path), create=True)

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path.home()), PROJECT_FILTER + ";;All files (*)")
        if path:
            self.open_project(path, create=False)

    def save_project_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save project as", self.project_path, PROJECT_FILTER)
        if path:
            self.host.submit(SaveProjectAsParams(_with_suffix(path)), "Save project as")

    def choose_model(self) -> None:
        from workbench.ui.dialogs.load_model import LoadModelDialog

        dialog = LoadModelDialog(self, host=self.host)
        if dialog.exec():
            self.load_model(dialog.spec())

    def choose_gguf(self) -> None:
        """Model › Import GGUF…: pick a file and a precision, then import it on the worker."""
        from PySide6.QtWidgets import QInputDialog

        path, _ = QFileDialog.getOpenFileName(self, "Import GGUF model", str(Path.home()), GGUF_FILTER)
        if not path:
            return
        labels = list(IMPORT_PRECISIONS)
        label, ok = QInputDialog.getItem(
            self, "Import GGUF", "Save the dequantised weights as:", labels, 0, False
        )
        if ok:
            self.import_gguf(path, IMPORT_PRECISIONS[label])

    def import_gguf(self, path: str, dtype: str = "float32") -> int:
        """Dequantise ``path`` into the model library (a job with progress and Cancel)."""
        from workbench.core.model.library_params import ImportGgufParams

        return self.host.submit(ImportGgufParams(path=str(path), dtype=dtype), f"Import {Path(path).name}")  # type: ignore[arg-type]

    def show_about(self) -> None:
        from workbench import __version__

        QMessageBox.about(
            self,
            "About LLM Workbench",
            f"<h3>LLM Workbench {__version__}</h3>"
            "<p>Explore how large language models work: decoding, causal tracing, model editing, "
            "parameter-efficient fine-tuning and retrieval-augmented generation, on a real model.</p>"
            "<p>Follows <i>Foundations of Large Language Models</i> (大模型基础, Zhejiang University).</p>",
        )

    def set_theme(self, name: str) -> None:
        self.settings.theme = name
        self._apply_look()

    def set_font_scale(self, scale: float) -> None:
        self.settings.font_scale = min(max(scale, 0.6), 2.5)
        self._apply_look()

    def toggle_present(self) -> None:
        """Full screen with large fonts for a lecture hall; toggling again restores the desk."""
        self._presenting = not self._presenting
        self.present_action.setChecked(self._presenting)
        self.history_dock.setVisible(not self._presenting)
        self.lessons_dock.set_presenting(self._presenting)
        if self._presenting:
            self.showFullScreen()
        else:
            self.showNormal()
        self._apply_look()

    def _apply_look(self) -> None:
        scale = self.settings.font_scale * (PRESENT_SCALE if self._presenting else 1.0)
        apply_theme(QApplication.instance(), self.settings.theme, scale)  # type: ignore[arg-type]
        self._restyle_plots()

    def _restyle_plots(self) -> None:
        """Plots keep the text size and colours they were made with: give them the current ones."""
        theme = colors(self.settings.theme)
        restyle_plots(self, QApplication.font(), theme.text, theme.base, theme.muted)

    # ---------------------------------------------------------------- shutdown
    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel the running job, free the model in its thread, stop the worker, then close."""
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self._memory_timer.stop()
        if self.host.busy:
            self.job_status.show_cancelling()
        self.host.cancel_all()  # long jobs stop; what is queued after this line still runs
        self.lessons_dock.save_notes()  # lesson notes typed in the last moment are not lost
        self.host.shutdown(cancel=False)
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        event.accept()


def _with_suffix(path: str) -> str:
    return path if path.endswith(".wbproj") else f"{path}.wbproj"
