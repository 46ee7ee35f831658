"""The Lessons dock: build a lesson from the run history, write its notes, step through it.

A lesson is an ordered list of steps, each a saved run or a live action, with a title and
Markdown notes (``workbench.store.lessons``).  Selecting a step reopens its run exactly as
double-clicking it in the Run history does (``MainWindow.open_run``), or fills its lab's
inputs with the live action, and then restores the view kept with it (``lesson_views``).
In Present mode the dock shows only the steps, the step's title and its rendered notes,
Page Down / Page Up go to the next or previous step wherever the keyboard focus is, and a
live step runs when it is reached.

The dock reads lessons through its own read-only store; every change is a worker job
(``workbench.store.lesson_jobs``), so writes stay in the worker like all others.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.store.lesson_jobs import (
    AddLessonStepsParams,
    AddLiveStepParams,
    CreateLessonParams,
    DeleteLessonParams,
    DeleteLessonStepParams,
    EditLessonStepParams,
    ImportLessonParams,
    LessonChanged,
    RenameLessonParams,
    ReorderLessonStepsParams,
)
from workbench.ui.core_messages import translate_core_message
from workbench.ui.error_dialog import show_error
from workbench.ui.language import Retranslating
from workbench.ui.lesson_views import StepProblem, kept_view, live_action, show_step
from workbench.ui.slide_export import SlideExport
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.lab_tag import lab_name
from workbench.worker import JobCallbacks

if TYPE_CHECKING:
    from workbench.store.lessons import LessonStepRecord
    from workbench.ui.lab_window import LabWindow
    from workbench.ui.widgets.run_history import RunHistory

LESSON_FILTER = QT_TRANSLATE_NOOP("LessonsDock", "Workbench lessons (*.wblesson);;All files (*)")
NOTES_SAVE_DELAY_MS = 800
ID_ROLE = Qt.ItemDataRole.UserRole


class StepList(QListWidget):
    """Steps in order: drag to reorder; runs dragged in from the Run history become steps."""

    sig_order_changed = Signal(list)  # step ids in the new order
    sig_runs_dropped = Signal(list, int)  # run ids, row to insert at

    def __init__(self, history: RunHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history = history
        self._history_tree = history.tree
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.setDragEnabled(True)

    def dragEnterEvent(self, event: Any) -> None:
        if event.source() is self._history_tree:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:
        if event.source() is self._history_tree:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        source = event.source()
        if source is self._history_tree:
            target = self.itemAt(event.position().toPoint())
            row = self.row(target) if target is not None else self.count()
            run_ids = self._history.selected_run_ids()
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if run_ids:
                self.sig_runs_dropped.emit(run_ids, row)
            return
        if source is self:
            super().dropEvent(event)
            self.sig_order_changed.emit([int(self.item(i).data(ID_ROLE)) for i in range(self.count())])
            return
        event.ignore()


class LessonsDock(Retranslating, QDockWidget):
    """The Lessons side pane (View › Lessons), docked on the right of the main window."""

    sig_step_shown = Signal(int)  # step id, after its run was reopened and its notes shown

    def __init__(self, window: LabWindow) -> None:
        super().__init__(window)
        self.setObjectName("lessons")
        self.window_ = window
        self.host = window.host
        self._reader: Any = None
        self._reader_path = ""
        self.lesson_id: int | None = None
        self.steps: list[LessonStepRecord] = []
        self._shown_step_id: int | None = None
        self._presenting = False
        self._visible_before_presenting = False
        self._select_after_refresh: int | None = None
        self._button_texts: list[tuple[QPushButton, str, str]] = []
        """Each button with its English text and tooltip, set in the current language by ``retranslate``."""
        self._pending_view: QTimer | None = None
        """Restores a live step's kept view once it has run; stopped when another step is shown."""
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(NOTES_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_notes)
        self._build()
        self.setMinimumWidth(300)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        window.resizeDocks([self], [320], Qt.Orientation.Horizontal)
        self.hide()
        history = window.run_history.tree
        history.setDragEnabled(True)
        history.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        history.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        window.sig_run_list_refreshed.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Lessons"))
        self.lessons_label.setText(self.tr("Lessons"))
        self.steps_label.setText(self.tr("Steps"))
        for button, text, tip in self._button_texts:
            button.setText(self.tr(text))
            button.setToolTip(self.tr(tip))
        self.step_title.setPlaceholderText(self.tr("Step title"))
        self.notes_editor.setPlaceholderText(self.tr("Notes in Markdown: **bold**, lists, # headings …"))
        if self._reader is not None:
            self._fill_steps()

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 6, 6, 6)

        self.editing_part = QWidget()
        top = QVBoxLayout(self.editing_part)
        top.setContentsMargins(0, 0, 0, 0)
        self.lesson_list = QListWidget()
        self.lesson_list.setMaximumHeight(110)
        self.lesson_list.currentItemChanged.connect(self._on_lesson_selected)
        self.lesson_list.itemDoubleClicked.connect(lambda _item: self.rename_lesson())
        self.lessons_label = QLabel()
        top.addWidget(self.lessons_label)
        top.addWidget(self.lesson_list)
        lesson_buttons = QHBoxLayout()
        self.new_button = self._button(
            lesson_buttons,
            QT_TRANSLATE_NOOP("LessonsDock", "New…"),
            self.new_lesson,
            QT_TRANSLATE_NOOP("LessonsDock", "Start a new lesson"),
        )
        self.rename_button = self._button(
            lesson_buttons,
            QT_TRANSLATE_NOOP("LessonsDock", "Rename…"),
            self.rename_lesson,
            QT_TRANSLATE_NOOP("LessonsDock", "Rename the lesson"),
        )
        self.delete_button = self._button(
            lesson_buttons,
            QT_TRANSLATE_NOOP("LessonsDock", "Delete"),
            self.delete_lesson,
            QT_TRANSLATE_NOOP("LessonsDock", "Delete the lesson (its runs stay)"),
        )
        top.addLayout(lesson_buttons)
        lesson_buttons = QHBoxLayout()
        self.import_button = self._button(
            lesson_buttons,
            QT_TRANSLATE_NOOP("LessonsDock", "Import…"),
            self.import_lesson,
            QT_TRANSLATE_NOOP("LessonsDock", "Add a lesson file and its runs to this project"),
        )
        self.export_button = self._button(
            lesson_buttons,
            QT_TRANSLATE_NOOP("LessonsDock", "Export…"),
            self.export_lesson,
            QT_TRANSLATE_NOOP("LessonsDock", "Save the lesson with its runs as one file"),
        )
        top.addLayout(lesson_buttons)
        column.addWidget(self.editing_part)

        self.steps_label = QLabel()
        column.addWidget(self.steps_label)
        self.step_list = StepList(self.window_.run_history)
        self.step_list.currentItemChanged.connect(self._on_step_selected)
        self.step_list.sig_order_changed.connect(self._on_order_changed)
        self.step_list.sig_runs_dropped.connect(self.add_runs)
        column.addWidget(self.step_list, 1)

        self.step_buttons = QWidget()
        step_row = QHBoxLayout(self.step_buttons)
        step_row.setContentsMargins(0, 0, 0, 0)
        self.add_run_button = self._button(
            step_row,
            QT_TRANSLATE_NOOP("LessonsDock", "Add run"),
            self.add_selected_runs,
            QT_TRANSLATE_NOOP("LessonsDock", "Add the runs selected in the Run history (or drag them here)"),
        )
        self.up_button = self._button(
            step_row, "▲", lambda: self.move_current(-1), QT_TRANSLATE_NOOP("LessonsDock", "Move the step up")
        )
        self.down_button = self._button(
            step_row, "▼", lambda: self.move_current(+1), QT_TRANSLATE_NOOP("LessonsDock", "Move the step down")
        )
        self.remove_step_button = self._button(
            step_row,
            QT_TRANSLATE_NOOP("LessonsDock", "Remove"),
            self.remove_current_step,
            QT_TRANSLATE_NOOP("LessonsDock", "Remove the step (its run stays)"),
        )
        column.addWidget(self.step_buttons)
        self.step_extras = QWidget()
        extras_row = QHBoxLayout(self.step_extras)
        extras_row.setContentsMargins(0, 0, 0, 0)
        self.add_live_button = self._button(
            extras_row,
            QT_TRANSLATE_NOOP("LessonsDock", "Add live step…"),
            self.add_live_step,
            QT_TRANSLATE_NOOP("LessonsDock", "A step that runs the current lab's prompt and settings when presented"),
        )
        self.keep_view_button = self._button(
            extras_row,
            QT_TRANSLATE_NOOP("LessonsDock", "Keep view"),
            self.keep_view,
            QT_TRANSLATE_NOOP("LessonsDock", "Restore the lab's current tab and selection with this step"),
        )
        column.addWidget(self.step_extras)

        self.step_heading = QLabel()
        self.step_heading.setObjectName("lesson-step-heading")
        self.step_heading.setWordWrap(True)
        self.step_heading.setStyleSheet("font-weight: bold; font-size: 130%;")
        column.addWidget(self.step_heading)
        self.step_title = QLineEdit()
        self.step_title.editingFinished.connect(self._on_title_edited)
        column.addWidget(self.step_title)

        self.notes_split = QSplitter(Qt.Orientation.Vertical)
        self.notes_editor = QPlainTextEdit()
        self.notes_editor.textChanged.connect(self._on_notes_typed)
        self.preview = QTextBrowser()
        self.preview.setOpenExternalLinks(True)
        self.notes_split.addWidget(self.notes_editor)
        self.notes_split.addWidget(self.preview)
        column.addWidget(self.notes_split, 2)
        self.setWidget(body)
        self._update_enabled()

    def _button(self, row: QHBoxLayout, text: str, slot: Any, tip: str) -> QPushButton:
        """A button whose ``text`` and ``tip`` (English sources) ``retranslate`` sets."""
        button = QPushButton()
        button.clicked.connect(lambda _checked=False: slot())
        row.addWidget(button)
        self._button_texts.append((button, text, tip))
        return button

    def _update_enabled(self) -> None:
        has_project = self._reader is not None
        has_lesson = self.lesson_id is not None
        step = self.current_step()
        for button in (self.new_button, self.import_button):
            button.setEnabled(has_project)
        for button in (self.rename_button, self.delete_button, self.export_button, self.add_run_button):
            button.setEnabled(has_lesson)
        for widget in (self.up_button, self.down_button, self.remove_step_button, self.step_title, self.notes_editor):
            widget.setEnabled(step is not None)
        self.add_live_button.setEnabled(has_lesson)
        self.keep_view_button.setEnabled(step is not None)

    # ---------------------------------------------------------------- reading
    def refresh(self) -> None:
        """Reread lessons and steps (the project changed, a run was renamed, a lesson job ended)."""
        path = self.window_.project_path
        if path != self._reader_path:
            self._close_reader()
            self._reader_path = path
            self.lesson_id, self._shown_step_id = None, None
            if path:
                from workbench.store.project import ProjectStore

                self._reader = ProjectStore.open(path, read_only=True)
        self._fill_lessons()

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _fill_lessons(self) -> None:
        from workbench.store.lessons import list_lessons

        records = list_lessons(self._reader) if self._reader is not None else []
        if self.lesson_id not in {r.id for r in records}:
            self.lesson_id = records[0].id if records else None
        self.lesson_list.blockSignals(True)
        self.lesson_list.clear()
        for record in records:
            item = QListWidgetItem(f"{record.title}  ({record.step_count})")
            item.setData(ID_ROLE, record.id)
            self.lesson_list.addItem(item)
            if record.id == self.lesson_id:
                self.lesson_list.setCurrentItem(item)
        self.lesson_list.blockSignals(False)
        self._fill_steps()

    def _fill_steps(self) -> None:
        from workbench.store.lessons import lesson_steps

        self.steps = lesson_steps(self._reader, self.lesson_id) if self._reader and self.lesson_id else []
        wanted = self._select_after_refresh if self._select_after_refresh is not None else self._shown_step_id
        self._select_after_refresh = None
        self.step_list.blockSignals(True)
        self.step_list.clear()
        for number, step in enumerate(self.steps, 1):
            lab = (
                lab_name(step.run_kind)
                if step.run_kind
                else (self.tr("live") if step.kind == "live" else self.tr("run deleted"))
            )
            item = QListWidgetItem(f"{number}. {step.title}  · {lab}")
            item.setData(ID_ROLE, step.id)
            self.step_list.addItem(item)
            if step.id == wanted:
                self.step_list.setCurrentItem(item)
        self.step_list.blockSignals(False)
        current = self.current_step()
        if current is not None and current.id != self._shown_step_id:
            self._show_step(current)
        elif current is None:
            self._show_step(None)
        else:
            self._show_heading(current)
        self._update_enabled()

    def current_step(self) -> LessonStepRecord | None:
        item = self.step_list.currentItem()
        if item is None:
            return None
        step_id = int(item.data(ID_ROLE))
        return next((s for s in self.steps if s.id == step_id), None)

    # ---------------------------------------------------------------- showing a step
    def _on_lesson_selected(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        self.save_notes()
        self.lesson_id = int(item.data(ID_ROLE)) if item is not None else None
        self._shown_step_id = None
        self._fill_steps()

    def _on_step_selected(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        self.save_notes()
        self._show_step(self.current_step())

    def _show_step(self, step: LessonStepRecord | None) -> None:
        """Show the step's notes and reopen its run in its lab (the Run history's own path)."""
        self._shown_step_id = step.id if step is not None else None
        self.notes_editor.blockSignals(True)
        self.notes_editor.setPlainText(step.notes if step else "")
        self.notes_editor.blockSignals(False)
        self.step_title.setText(step.title if step else "")
        self.preview.setMarkdown(step.notes if step else "")
        self._show_heading(step)
        self._update_enabled()
        if step is None:
            return
        if self._pending_view is not None:
            self._pending_view.stop()
            self._pending_view.deleteLater()
        try:
            self._pending_view = show_step(self.window_, step, present=self._presenting)
        except StepProblem as problem:
            self.window_.statusBar().showMessage(str(problem), 8000)
        self.sig_step_shown.emit(step.id)

    def _show_heading(self, step: LessonStepRecord | None) -> None:
        if step is None:
            self.step_heading.setText("")
            return
        number = next((i for i, s in enumerate(self.steps, 1) if s.id == step.id), 0)
        self.step_heading.setText(f"{number}/{len(self.steps)} · {step.title}")

    def go_to_step(self, offset: int) -> bool:
        """Select the next (+1) or previous (-1) step; False at either end."""
        row = self.step_list.currentRow() + offset if self.step_list.currentRow() >= 0 else 0
        if not 0 <= row < self.step_list.count():
            return False
        self.step_list.setCurrentRow(row)
        return True

    # ---------------------------------------------------------------- present mode
    def set_presenting(self, presenting: bool) -> None:
        """Present mode: only the steps, the step's title and its rendered notes; Page Down/Up step."""
        if presenting == self._presenting:
            return
        self._presenting = presenting
        self.save_notes()
        for widget in (self.editing_part, self.step_buttons, self.step_extras, self.step_title, self.notes_editor):
            widget.setVisible(not presenting)
        QTimer.singleShot(0, self._fit_to_mode)  # after the window has applied Present mode's text size
        app = QApplication.instance()
        assert app is not None  # this dock is a widget, so the application exists
        if presenting:
            self._visible_before_presenting = self.isVisible()
            self.setVisible(self._visible_before_presenting or bool(self.steps))
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
            self.setVisible(self._visible_before_presenting)

    def _fit_to_mode(self) -> None:
        """The notes follow the app's text size (Present mode's is larger); the step list stays short."""
        self.preview.document().setDefaultFont(QApplication.font())
        self.preview.setMarkdown(self.notes_editor.toPlainText())
        rows = min(max(len(self.steps), 3), 8)
        row_height = max(self.step_list.sizeHintForRow(0), self.step_list.fontMetrics().height())
        self.step_list.setMaximumHeight(row_height * rows + 8 if self._presenting else 16777215)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and self._presenting and self.steps:
            key_event: QKeyEvent = event  # type: ignore[assignment]  # a KeyPress event is a QKeyEvent
            key = key_event.key()
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and key_event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            ):
                target = watched.window() if isinstance(watched, QWidget) else None
                if target is self.window_:
                    self.go_to_step(+1 if key == Qt.Key.Key_PageDown else -1)
                    return True
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- changes (worker jobs)
    def _submit(self, params: Any, title: str) -> int:
        """Every lesson job ends with a ``LessonChanged``: the list follows it."""
        return self.host.submit(
            params, title, JobCallbacks(on_result=lambda change, _run: self._on_lesson_changed(change))
        )

    def _on_lesson_changed(self, change: LessonChanged) -> None:
        if change.lesson_id is not None:
            self.lesson_id = change.lesson_id
        self._select_after_refresh = change.step_id
        self._fill_lessons()

    def new_lesson(self, title: str | None = None) -> None:
        if title is None:
            title, ok = QInputDialog.getText(self, self.tr("New lesson"), self.tr("Title:"))
            if not ok:
                return
        if title.strip():
            self._submit(CreateLessonParams(title.strip()), self.tr("New lesson"))

    def rename_lesson(self, title: str | None = None) -> None:
        if self.lesson_id is None:
            return
        if title is None:
            current = self.lesson_list.currentItem()
            shown = current.text().rsplit("  (", 1)[0] if current else ""
            title, ok = QInputDialog.getText(self, self.tr("Rename lesson"), self.tr("Title:"), text=shown)
            if not ok:
                return
        if title.strip():
            self._submit(RenameLessonParams(self.lesson_id, title.strip()), self.tr("Rename lesson"))

    def delete_lesson(self, confirm: bool = True) -> None:
        if self.lesson_id is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("Delete lesson"), self.tr("Delete this lesson? Its runs stay in the project.")
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._submit(DeleteLessonParams(self.lesson_id), self.tr("Delete lesson"))

    def add_selected_runs(self) -> None:
        run_ids = self.window_.run_history.selected_run_ids()
        if run_ids:
            self.add_runs(run_ids)
        else:
            self.window_.statusBar().showMessage(self.tr("Select a run in the Run history first."), 5000)

    def add_runs(self, run_ids: list[int], row: int | None = None) -> None:
        if self.lesson_id is None:
            self.window_.statusBar().showMessage(self.tr("Create a lesson first (New… in the Lessons pane)."), 5000)
            return
        at = None if row is None or row >= len(self.steps) else row
        self._submit(AddLessonStepsParams(self.lesson_id, tuple(run_ids), at), self.tr("Add lesson steps"))

    def add_live_step(self, title: str | None = None) -> None:
        """A step that runs the current lab's prompt and settings when it is presented."""
        if self.lesson_id is None:
            return
        try:
            action = live_action(self.window_)
        except (StepProblem, ValueError) as problem:  # ValueError: the lab's inputs do not form parameters
            show_error(self, self.tr("Lessons"), str(problem))
            return
        if title is None:
            title, ok = QInputDialog.getText(
                self,
                self.tr("Add live step"),
                self.tr("Title:"),
                text=self.window_.tabs.tabText(self.window_.tabs.currentIndex()),
            )
            if not ok:
                return
        if title.strip():
            row = self.step_list.currentRow()
            at = row + 1 if 0 <= row < len(self.steps) - 1 else None
            self._submit(AddLiveStepParams(self.lesson_id, title.strip(), action, at), self.tr("Add live step"))

    def keep_view(self) -> None:
        """Remember the lab's current tab and selection with the shown step."""
        step = self.current_step()
        if step is not None:
            self._submit(
                EditLessonStepParams(step.id, step.lesson_id, view=kept_view(self.window_)),
                self.tr("Keep the step's view"),
            )

    def move_current(self, offset: int) -> None:
        row = self.step_list.currentRow()
        if self.lesson_id is None or not 0 <= row + offset < len(self.steps) or row < 0:
            return
        ids = [s.id for s in self.steps]
        ids.insert(row + offset, ids.pop(row))
        self._on_order_changed(ids)

    def _on_order_changed(self, step_ids: list[int]) -> None:
        if self.lesson_id is not None:
            self._select_after_refresh = self._shown_step_id
            self._submit(ReorderLessonStepsParams(self.lesson_id, tuple(step_ids)), self.tr("Reorder lesson"))

    def remove_current_step(self) -> None:
        step = self.current_step()
        if step is not None:
            self._save_timer.stop()
            self._submit(DeleteLessonStepParams(step.id, step.lesson_id), self.tr("Remove lesson step"))

    def _on_title_edited(self) -> None:
        step = self.current_step()
        title = self.step_title.text().strip()
        if step is not None and title and title != step.title:
            self._submit(EditLessonStepParams(step.id, step.lesson_id, title=title), self.tr("Rename lesson step"))

    def _on_notes_typed(self) -> None:
        self.preview.setMarkdown(self.notes_editor.toPlainText())
        self._save_timer.start()

    def save_notes(self) -> None:
        """Save the notes being typed now (they are also saved a moment after typing stops)."""
        if not self._save_timer.isActive():
            return
        self._save_timer.stop()
        step = next((s for s in self.steps if s.id == self._shown_step_id), None)
        text = self.notes_editor.toPlainText()
        if step is not None and text != step.notes:
            self._submit(EditLessonStepParams(step.id, step.lesson_id, notes=text), self.tr("Save lesson notes"))

    def export_lesson(self, path: str | None = None) -> Path | None:
        """Write the lesson and its runs to one file (read here, like exporting a run)."""
        from workbench.base.errors import ProjectError
        from workbench.store.lesson_file import SUFFIX, export_lesson

        if self._reader is None or self.lesson_id is None:
            return None
        self.save_notes()
        if path is None:
            current = self.lesson_list.currentItem()
            name = (current.text().rsplit("  (", 1)[0] if current else "lesson").replace("/", "-")
            suggested = str(Path(self._reader_path).with_name(f"{name}{SUFFIX}"))
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export lesson"), suggested, self.tr(LESSON_FILTER))
            if not path:
                return None
        try:
            written = export_lesson(self._reader, self.lesson_id, path)
        except ProjectError as error:
            show_error(self, "LLM Workbench", translate_core_message(str(error)))
            return None
        self.window_.statusBar().showMessage(self.tr("Exported the lesson to {path}").format(path=written), 5000)
        return written

    def import_lesson(self, path: str | None = None) -> None:
        if self._reader is None:
            return
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import lesson"), str(Path(self._reader_path).parent), self.tr(LESSON_FILTER)
            )
            if not path:
                return
        self._submit(ImportLessonParams(str(path)), self.tr("Import {name}").format(name=Path(path).name))

    def open_bundled_lesson(self, path: str | None = None) -> None:
        """Add one of the lessons shipped with the workbench (live steps on the demo model)."""
        from workbench.store.bundled_lessons import bundled_lessons

        if self._reader is None:
            self.window_.statusBar().showMessage(
                self.tr("Open a project first: lessons are kept in the project."), 5000
            )
            return
        if path is None:
            found = bundled_lessons()
            labels = [
                self.tr("{title} ({steps} steps)").format(title=lesson.title, steps=lesson.steps) for lesson in found
            ]
            label, ok = QInputDialog.getItem(self, self.tr("Open bundled lesson"), self.tr("Lesson:"), labels, 0, False)
            if not ok or label not in labels:
                return
            path = str(found[labels.index(label)].path)
        self.show()
        self.import_lesson(path)

    def export_slides(self, folder: str | None = None) -> SlideExport | None:
        """Write the lesson as 16:9 slides (PNG, SVG), its notes (Markdown) and one PDF.

        Each step is shown as in Present mode (a live step runs when a model is loaded) and
        its lab grabbed; the export follows in a progress dialog that can cancel it.
        """
        if self.lesson_id is None or not self.steps:
            self.window_.statusBar().showMessage(self.tr("Choose a lesson with steps to export."), 5000)
            return None
        self.save_notes()
        current = self.lesson_list.currentItem()
        title = current.text().rsplit("  (", 1)[0] if current else "lesson"
        if folder is None:
            folder = QFileDialog.getExistingDirectory(
                self, self.tr("Export slides to a folder"), str(Path(self._reader_path).parent)
            )
            if not folder:
                return None
        export = SlideExport(self.window_, title, self.steps, Path(folder))
        progress = QProgressDialog(self.tr("Exporting slides…"), self.tr("Cancel"), 0, len(self.steps), self.window_)
        progress.setWindowTitle(self.tr("Export slides"))
        progress.setMinimumDuration(0)
        progress.canceled.connect(export.cancel)
        export.sig_progress.connect(lambda done, _total: progress.setValue(done))
        export.sig_failed.connect(lambda message: show_error(self, "LLM Workbench", message))
        export.sig_finished.connect(lambda written: self._on_slides_exported(progress, written))
        export.start()
        return export

    def _on_slides_exported(self, progress: QProgressDialog, folder: Path | None) -> None:
        progress.close()
        if folder is not None:
            self.window_.statusBar().showMessage(self.tr("Exported the slides to {folder}").format(folder=folder), 8000)

    def closeEvent(self, event: Any) -> None:
        self.save_notes()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Close the dock's reader (the window is closing)."""
        self._close_reader()
