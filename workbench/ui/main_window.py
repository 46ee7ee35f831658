"""The main window: menus, one tab per lab, run history, and the status bar.

It only renders and forwards: every model or store operation is a job for the worker.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.model.spec import LoadModelParams, ModelSpec, UnloadModelParams
from workbench.store.project_jobs import DeleteRunParams, OpenProjectParams, RenameRunParams, SaveProjectAsParams
from workbench.ui.core_messages import translate_core_message
from workbench.ui.error_dialog import show_error
from workbench.ui.fonts import ensure_cjk_font
from workbench.ui.lab_window import LabWindow
from workbench.ui.language import LANGUAGES, Retranslating, current_language, install_language
from workbench.ui.lessons_dock import LessonsDock
from workbench.ui.panels.base import Panel
from workbench.ui.panels.registry import create_panels
from workbench.ui.settings import AppSettings
from workbench.ui.theme import PRESENT_SCALE, apply_theme, colors
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.job_status import JobStatus, ModelStatus
from workbench.ui.widgets.lab_tabs import LabTabs
from workbench.ui.widgets.model_state import ModelStateChip
from workbench.ui.widgets.plot_style import restyle_plots
from workbench.ui.widgets.run_history import RunHistory
from workbench.worker import WorkerHost

if TYPE_CHECKING:
    from workbench.core.model.library_params import ImportDType

log = logging.getLogger(__name__)

PROJECT_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Workbench projects (*.wbproj)")
GGUF_FILTER = QT_TRANSLATE_NOOP("MainWindow", "GGUF models (*.gguf);;All files (*)")
IMPORT_PRECISIONS: dict[str, ImportDType] = {
    QT_TRANSLATE_NOOP("MainWindow", "float32 (exact: the GGUF's values, 4 bytes a weight)"): "float32",
    QT_TRANSLATE_NOOP("MainWindow", "bfloat16 (half the size, rounded)"): "bfloat16",
}


class MainWindow(Retranslating, LabWindow):
    def __init__(self, host: WorkerHost, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ensure_cjk_font()
        self.host = host
        self.settings = settings
        self.project_path: str = ""
        self.model_info: Any = None
        self._reader: Any = None
        self._presenting = False
        self._quit_confirmed = False
        self.setWindowTitle("LLM Workbench")
        self.resize(1360, 860)

        self._read_only_reason = ""
        self._menu_texts: list[tuple[Any, str]] = []
        """Menus and actions with their English text, set in the current language by ``retranslate``."""
        self.tabs = LabTabs()
        self.tabs.setDocumentMode(True)
        self.panels: dict[str, Panel] = create_panels(host)
        for name, panel in self.panels.items():
            self.tabs.add_lab(panel, name)
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
        self.panels["tracing"].sig_edit_requested.connect(self._on_edit_requested)  # type: ignore[attr-defined]  # the lab's own method; panels maps names to the Panel base class

        self.run_history = RunHistory()
        self.run_history.set_grouped(settings.history_grouped)
        self.history_dock = QDockWidget(self)
        self.history_dock.setObjectName("run-history")
        self.history_dock.setWidget(self.run_history)
        self.history_dock.setMinimumWidth(280)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.history_dock)
        self.lessons_dock = LessonsDock(self)  # lessons (issue 21): steps through saved runs

        self.model_status = ModelStatus()
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
            lambda run_id, title: self.host.submit(RenameRunParams(run_id, title), self.tr("Rename run"))
        )
        self.run_history.sig_delete_requested.connect(
            lambda run_id: self.host.submit(DeleteRunParams(run_id), self.tr("Delete run"))
        )
        self.run_history.sig_export_requested.connect(self.export_run)
        self.run_history.sig_grouping_changed.connect(self._remember_grouping)
        if settings.window_geometry is not None:
            self.restoreGeometry(settings.window_geometry)
        if settings.window_state is not None:
            self.restoreState(settings.window_state)
        self._restyle_plots()
        self.retranslate()

    def retranslate(self) -> None:
        for item, text in self._menu_texts:
            (item.setTitle if isinstance(item, QMenu) else item.setText)(self.tr(text))
        for name, panel in self.panels.items():
            self.tabs.setTabText(self.tabs.indexOf(panel), panel.display_title() or name)
        self.history_dock.setWindowTitle(self.tr("Run history"))
        self._show_read_only_banner()
        self._refresh_model_status()

    # ---------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        file_menu = self._add_menu(self.menuBar(), QT_TRANSLATE_NOOP("MainWindow", "&File"))
        self._add_action(
            file_menu, QT_TRANSLATE_NOOP("MainWindow", "&New Project…"), self.new_project, QKeySequence.StandardKey.New
        )
        self._add_action(
            file_menu,
            QT_TRANSLATE_NOOP("MainWindow", "&Open Project…"),
            self.choose_project,
            QKeySequence.StandardKey.Open,
        )
        self._add_action(
            file_menu,
            QT_TRANSLATE_NOOP("MainWindow", "Save Project &As…"),
            self.save_project_as,
            QKeySequence.StandardKey.SaveAs,
        )
        self.recent_menu = self._add_menu(file_menu, QT_TRANSLATE_NOOP("MainWindow", "Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self._add_action(file_menu, QT_TRANSLATE_NOOP("MainWindow", "&Quit"), self.close, QKeySequence.StandardKey.Quit)

        model_menu = self._add_menu(self.menuBar(), QT_TRANSLATE_NOOP("MainWindow", "&Model"))
        self._add_action(model_menu, QT_TRANSLATE_NOOP("MainWindow", "&Load Model…"), self.choose_model, "Ctrl+L")
        self._add_action(
            model_menu, QT_TRANSLATE_NOOP("MainWindow", "Load &Demo Model"), lambda: self.load_model(ModelSpec())
        )
        self.import_gguf_action = self._add_action(
            model_menu, QT_TRANSLATE_NOOP("MainWindow", "&Import GGUF…"), self.choose_gguf
        )
        self.unload_action = self._add_action(
            model_menu, QT_TRANSLATE_NOOP("MainWindow", "&Unload Model"), self.unload_model
        )

        view_menu = self._add_menu(self.menuBar(), QT_TRANSLATE_NOOP("MainWindow", "&View"))
        theme_menu = self._add_menu(view_menu, QT_TRANSLATE_NOOP("MainWindow", "&Theme"))
        group = QActionGroup(self)
        for name, text in (
            ("light", QT_TRANSLATE_NOOP("MainWindow", "Light")),
            ("dark", QT_TRANSLATE_NOOP("MainWindow", "Dark")),
        ):
            action = self._add_action(theme_menu, text, lambda n=name: self.set_theme(n))
            action.setCheckable(True)
            action.setChecked(self.settings.theme == name)
            group.addAction(action)
        self.language_menu = self._add_menu(view_menu, QT_TRANSLATE_NOOP("MainWindow", "&Language"))
        languages = QActionGroup(self)
        for code, name in LANGUAGES.items():  # each language is named in itself: never translated
            action = self.language_menu.addAction(name)
            action.setData(code)
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            languages.addAction(action)
        self._add_action(
            view_menu,
            QT_TRANSLATE_NOOP("MainWindow", "&Larger Text"),
            lambda: self.set_font_scale(self.settings.font_scale * 1.15),
            "Ctrl++",
        )
        self._add_action(
            view_menu,
            QT_TRANSLATE_NOOP("MainWindow", "&Smaller Text"),
            lambda: self.set_font_scale(self.settings.font_scale / 1.15),
            "Ctrl+-",
        )
        self._add_action(
            view_menu, QT_TRANSLATE_NOOP("MainWindow", "&Reset Text Size"), lambda: self.set_font_scale(1.0), "Ctrl+0"
        )
        view_menu.addSeparator()
        self.present_action = self._add_action(
            view_menu, QT_TRANSLATE_NOOP("MainWindow", "&Present"), self.toggle_present, "F11"
        )
        self.present_action.setCheckable(True)
        view_menu.addAction(self.history_dock.toggleViewAction())
        view_menu.addAction(self.lessons_dock.toggleViewAction())

        lessons_menu = self._add_menu(self.menuBar(), QT_TRANSLATE_NOOP("MainWindow", "&Lessons"))
        self._add_action(
            lessons_menu,
            QT_TRANSLATE_NOOP("MainWindow", "Open &Bundled Lesson…"),
            self.lessons_dock.open_bundled_lesson,
        )
        self._add_action(
            lessons_menu, QT_TRANSLATE_NOOP("MainWindow", "Export &Slides…"), self.lessons_dock.export_slides
        )

        help_menu = self._add_menu(self.menuBar(), QT_TRANSLATE_NOOP("MainWindow", "&Help"))
        self._add_action(help_menu, QT_TRANSLATE_NOOP("MainWindow", "&About LLM Workbench"), self.show_about)

    def _add_menu(self, parent: Any, text: str) -> QMenu:
        """A menu whose title ``retranslate`` sets (``text`` is its English source)."""
        menu = parent.addMenu(text)
        self._menu_texts.append((menu, text))
        return menu

    def _add_action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        """An action whose text ``retranslate`` sets (``text`` is its English source)."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self._menu_texts.append((action, text))
        return action

    def set_language(self, code: str) -> None:
        """View › Language: install the translators now; every widget retranslates itself."""
        self.settings.language = code
        in_use = install_language(code)
        for action in self.language_menu.actions():
            action.setChecked(action.data() == in_use)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_projects
        if not recent:
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)
        for path in recent:
            self.recent_menu.addAction(path, functools.partial(self.open_project, path, create=False))

    # ---------------------------------------------------------------- worker
    def _connect_worker(self) -> None:
        host = self.host
        host.sig_job_started.connect(lambda _id, title: self.job_status.show_started(title))
        host.sig_progress.connect(
            lambda _id, f, msg, partial: self.job_status.show_progress(f, translate_core_message(msg))
        )
        host.sig_run_finished.connect(self._on_job_finished)
        host.sig_job_failed.connect(self._on_job_failed)
        host.sig_failure_to_show.connect(
            lambda _id, message, details: show_error(self, "LLM Workbench", translate_core_message(message), details)
        )
        host.sig_job_cancelled.connect(self._on_job_cancelled)
        host.sig_model_changed.connect(self._on_model_changed)
        host.sig_project_changed.connect(self._on_project_changed)
        host.sig_warning.connect(lambda message: show_error(self, "LLM Workbench", translate_core_message(message)))
        self.job_status.sig_cancel_clicked.connect(self._on_cancel_clicked)
        self.model_state.sig_adapters_enabled.connect(self._on_adapters_toggled)
        self.model_state.sig_edit_toggled.connect(self._on_edit_toggled)
        self.model_state.sig_show_lab.connect(lambda name: self.tabs.setCurrentWidget(self.panels[name]))

    def _on_cancel_clicked(self) -> None:
        self.job_status.show_cancelling()
        self.host.cancel()

    def _on_job_finished(self, _job_id: int, run_id: object, result: object) -> None:
        self.job_status.show_idle(QT_TRANSLATE_NOOP("JobStatus", "Done"))
        self.model_state.show_result(result)
        if run_id is not None:
            self.refresh_runs()
        folder, name = getattr(result, "folder", None), getattr(result, "name", None)
        if folder and name and getattr(result, "card", None) is not None:  # a GGUF import or pack install
            self.statusBar().showMessage(
                self.tr("{name} is in the model library ({folder}); Model › Load Model… lists it.").format(
                    name=name, folder=folder
                ),
                10000,
            )

    def _on_job_failed(self, _job_id: int, _message: str, _details: str) -> None:
        self.job_status.show_idle(QT_TRANSLATE_NOOP("JobStatus", "Failed"))
        self.refresh_runs()

    def _on_job_cancelled(self, _job_id: int) -> None:
        self.job_status.show_idle(QT_TRANSLATE_NOOP("JobStatus", "Cancelled"))
        self.refresh_runs()

    def _on_model_changed(self, info: Any) -> None:
        self.model_info = info
        self.model_state.show_model(info)
        self.unload_action.setEnabled(info is not None)
        self._refresh_model_status()

    def _refresh_model_status(self) -> None:
        rss = psutil.Process().memory_info().rss
        self.model_status.show_model(self.model_info, self.tr("process {size} GiB").format(size=f"{rss / 2**30:.2f}"))

    def _on_project_changed(self, path: str) -> None:
        from workbench.store.project import ProjectStore

        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.project_path = path
        if path:
            self.settings.add_recent_project(path)
            self._reader = ProjectStore.open(path, read_only=True)
        self._read_only_reason = self._reader.read_only_reason if self._reader is not None else ""
        self._show_read_only_banner()
        self.setWindowTitle(f"{Path(path).name} — LLM Workbench" if path else "LLM Workbench")
        self.refresh_runs()

    def _show_read_only_banner(self) -> None:
        reason = self._read_only_reason
        self.read_only_banner.setText(
            self.tr(
                "{name} is read-only ({reason}): you can browse and reopen its runs and query its "
                "collections, but new runs are not saved and changes are refused. Use File ▸ Save Project As… "
                "to continue in a copy."
            ).format(name=Path(self.project_path).name, reason=translate_core_message(reason))
        )
        self.read_only_banner.setVisible(bool(reason))

    # ---------------------------------------------------------------- actions
    def _on_adapters_toggled(self, on: bool) -> None:
        """The status chip's adapter switch: the fine-tuning lab's own job, so its list follows."""
        from workbench.core.finetune.params import AdapterOperationParams

        self.panels["finetune"].adapter_operation(AdapterOperationParams(action="enable" if on else "disable"))  # type: ignore[attr-defined]  # the lab's own method; panels maps names to the Panel base class

    def _on_edit_toggled(self, edit_id: int) -> None:
        from workbench.core.editing.params import LedgerParams

        self.panels["editing"].ledger_operation(LedgerParams(action="toggle", edit_id=edit_id))  # type: ignore[attr-defined]  # the lab's own method; panels maps names to the Panel base class

    def _on_edit_requested(self, prompt: str, subject: str, target: str, layer: int) -> None:
        """“Edit here” on a trace cell: the editing lab starts from that fact and layer."""
        editing = self.panels["editing"]
        editing.start_from_trace(prompt, subject, target, layer)  # type: ignore[attr-defined]  # the editing lab's own method; panels maps names to the Panel base class
        self.tabs.setCurrentWidget(editing)

    def refresh_runs(self) -> None:
        caches = {kind for panel in self.panels.values() for kind in panel.cache_run_kinds}
        runs = self._reader.list_runs() if self._reader is not None else []
        self.run_history.set_runs([run for run in runs if run.kind not in caches])
        self.sig_run_list_refreshed.emit()

    def _remember_grouping(self, on: bool) -> None:
        self.settings.history_grouped = on

    def open_run(self, run_id: int) -> None:
        """Reopen a stored run in the panel that made it."""
        if self._reader is None:
            return
        run = self._reader.load_run(run_id)
        for panel in self.panels.values():
            if run.summary.kind in panel.run_kinds:
                self.tabs.setCurrentWidget(panel)
                panel.show_run(run)
                panel.show_run_state(run)
                return
        self.statusBar().showMessage(
            self.tr("No lab reopens runs of kind '{kind}' yet.").format(kind=run.summary.kind), 5000
        )

    def export_run(self, run_id: int, path: str | None = None) -> None:
        """Write a stored run as JSON (parameters, model, result, curves) for other tools."""
        from workbench.store.export import export_run_json

        if self._reader is None:
            return
        run = self._reader.load_run(run_id)
        if path is None:
            suggested = str(Path(self.project_path).with_name(f"run-{run_id}-{run.summary.kind}.json"))
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export run"), suggested, "JSON (*.json)")
        if path:
            try:
                export_run_json(run, path)
            except OSError as error:
                show_error(
                    self,
                    "LLM Workbench",
                    self.tr("Could not write {path}: {reason}").format(path=path, reason=error.strerror or error),
                )
                return
            self.statusBar().showMessage(self.tr("Exported run #{id} to {path}").format(id=run_id, path=path), 5000)

    def open_project(self, path: str, create: bool = True) -> int:
        return self.host.submit(
            OpenProjectParams(path=str(path), create=create), self.tr("Open {name}").format(name=Path(path).name)
        )

    def load_model(self, spec: ModelSpec) -> int:
        self.model_status.show_loading(spec.label)
        return self.host.submit(LoadModelParams(spec=spec), self.tr("Load {model}").format(model=spec.label))

    def unload_model(self) -> None:
        self.host.submit(UnloadModelParams(), self.tr("Unload model"))

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("New project"), str(Path.home() / "untitled.wbproj"), self.tr(PROJECT_FILTER)
        )
        if path:
            self.open_project(_with_suffix(path), create=True)

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open project"), str(Path.home()), self.tr(PROJECT_FILTER) + ";;" + self.tr("All files (*)")
        )
        if path:
            self.open_project(path, create=False)

    def save_project_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save project as"), self.project_path, self.tr(PROJECT_FILTER)
        )
        if path:
            self.host.submit(SaveProjectAsParams(_with_suffix(path)), self.tr("Save project as"))

    def choose_model(self) -> None:
        from workbench.ui.dialogs.load_model import LoadModelDialog

        dialog = LoadModelDialog(self, host=self.host)
        if dialog.exec():
            self.load_model(dialog.spec())

    def choose_gguf(self) -> None:
        """Model › Import GGUF…: pick a file and a precision, then import it on the worker."""
        from PySide6.QtWidgets import QInputDialog

        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import GGUF model"), str(Path.home()), self.tr(GGUF_FILTER)
        )
        if not path:
            return
        labels = {self.tr(label): dtype for label, dtype in IMPORT_PRECISIONS.items()}
        label, ok = QInputDialog.getItem(
            self, self.tr("Import GGUF"), self.tr("Save the dequantised weights as:"), list(labels), 0, False
        )
        if ok:
            self.import_gguf(path, labels[label])

    def import_gguf(self, path: str, dtype: ImportDType = "float32") -> int:
        """Dequantise ``path`` into the model library (a job with progress and Cancel)."""
        from workbench.core.model.library_params import ImportGgufParams

        return self.host.submit(
            ImportGgufParams(path=str(path), dtype=dtype), self.tr("Import {name}").format(name=Path(path).name)
        )

    def show_about(self) -> None:
        from workbench import __version__

        QMessageBox.about(
            self,
            self.tr("About LLM Workbench"),
            f"<h3>LLM Workbench {__version__}</h3>"
            + self.tr(
                "<p>Explore how large language models work: decoding, causal tracing, model editing, "
                "parameter-efficient fine-tuning and retrieval-augmented generation, on a real model.</p>"
                "<p>Follows <i>Foundations of Large Language Models</i> (大模型基础, Zhejiang University).</p>"
            ),
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
        apply_theme(QApplication.instance(), self.settings.theme, scale)  # type: ignore[arg-type]  # instance() is typed QCoreApplication; the GUI's is a QApplication
        self._restyle_plots()

    def _restyle_plots(self) -> None:
        """Plots keep the text size and colours they were made with: give them the current ones."""
        theme = colors(self.settings.theme)
        restyle_plots(self, QApplication.font(), theme.text, theme.base, theme.muted)

    # ---------------------------------------------------------------- shutdown
    def _confirm_discard(self, unsaved: list[str]) -> bool:
        """Quit and lose ``unsaved`` (one sentence per lab)?  Cancel is the default."""
        answer = QMessageBox.question(
            self,
            self.tr("Quit without saving?"),
            "\n".join(unsaved) + "\n\n" + self.tr("Quit anyway and lose this work?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel the running job, free the model in its thread, stop the worker, then close —
        after asking, when a lab holds work that closing would lose."""
        unsaved = [text for panel in self.panels.values() if (text := panel.unsaved_work())]
        if unsaved and not self._quit_confirmed:
            if not self._confirm_discard(unsaved):
                event.ignore()
                return
            self._quit_confirmed = True
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
