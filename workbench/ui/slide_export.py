"""Exporting a lesson as slides: each step shown in its lab, grabbed, written (``slides``).

Rendering needs the widgets, so this runs in the GUI thread as a small state machine rather
than a worker job: show a step (a live step runs when a model is loaded, as in Present
mode), wait until no lab has a job left, grab the lab, write the PNG, SVG and PDF page,
go on.  Progress and the end are signals; ``cancel`` stops before the next step.

While it runs, the lab takes the slide's shape: the docks beside it are hidden and the window
sized so that the lab fills a slide's image area (a lab grabbed beside the run history and the
lessons pane was narrower than tall and left half of every slide empty).  Both come back at
the end.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget

from workbench.ui.lesson_views import StepProblem, show_step
from workbench.ui.slides import IMAGE_SIZE, PdfDeck, Slide, notes_markdown, slide_name, write_png, write_svg

if TYPE_CHECKING:
    from workbench.store.lessons import LessonStepRecord
    from workbench.ui.lab_window import LabWindow

IDLE_POLL_MS = 100
SETTLE_MS = 150
"""After the last job ends, a moment for the lab to draw what it brought back."""
VIEW_SCALE = 1.25
"""The lab is laid out at ``IMAGE_SIZE / VIEW_SCALE`` (1459 × 710, a size every lab fits) and
painted at ``VIEW_SCALE`` pixels a point, as on a high-density screen: the slide's text is a
quarter larger than in a plain screenshot, and sharp."""


def pdf_name(lesson_title: str) -> str:
    return (re.sub(r"[\\/:*?\"<>|]+", "-", lesson_title).strip() or "lesson") + ".pdf"


class SlideExport(QObject):
    """Writes ``folder/slide-NN.png|svg``, ``notes.md`` and ``<lesson>.pdf`` for ``steps``."""

    sig_progress = Signal(int, int)  # steps written, steps in all
    sig_finished = Signal(object)  # the folder, or None when cancelled or failed
    sig_failed = Signal(str)

    def __init__(self, window: LabWindow, lesson_title: str, steps: list[LessonStepRecord], folder: Path) -> None:
        super().__init__(window)
        self.window_ = window
        self.lesson_title = lesson_title
        self.steps = list(steps)
        self.folder = folder
        self.slides: list[Slide] = []
        self._deck: PdfDeck | None = None
        self._cancelled = False
        self._poll = QTimer(self)
        self._poll.setInterval(IDLE_POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        self._hidden_docks: list[QDockWidget] = []
        self._size_before: QSize | None = None

    @property
    def pdf_path(self) -> Path:
        return self.folder / pdf_name(self.lesson_title)

    def start(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._fail(f"Cannot create {self.folder}: {error.strerror or error}")
            return
        self._deck = PdfDeck(self.pdf_path, self.lesson_title)
        window = self.window_
        self._hidden_docks = [dock for dock in window.findChildren(QDockWidget) if dock.isVisible()]
        for dock in self._hidden_docks:
            dock.hide()
        QTimer.singleShot(0, self._size_for_slides)  # once the docks have left the layout

    def _size_for_slides(self) -> None:
        """Resize the window so that the lab is ``IMAGE_SIZE / VIEW_SCALE`` (a full-screen or
        maximised window keeps its size: its lab is wide already)."""
        window, lab = self.window_, self.window_.tabs.currentWidget()
        if lab is not None and not (window.isFullScreen() or window.isMaximized()):
            wanted = QSize(round(IMAGE_SIZE.width() / VIEW_SCALE), round(IMAGE_SIZE.height() / VIEW_SCALE))
            self._size_before = window.size()
            window.resize(window.size() + wanted - lab.size())
        self._show_next()

    def cancel(self) -> None:
        self._cancelled = True

    def _show_next(self) -> None:
        if self._cancelled:
            self._end(None)
            return
        if len(self.slides) == len(self.steps):
            self._finish()
            return
        step = self.steps[len(self.slides)]
        try:
            show_step(self.window_, step, present=self.window_.model_info is not None)
        except StepProblem as problem:
            self.window_.statusBar().showMessage(str(problem), 5000)
        self._poll.start()

    def _on_poll(self) -> None:
        if any(panel.running() for panel in self.window_.panels.values()):
            return
        self._poll.stop()
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _grab(self) -> None:
        step = self.steps[len(self.slides)]
        lab = self.window_.tabs.currentWidget()
        image = QImage()
        if lab is not None:
            image = QImage(lab.size() * VIEW_SCALE, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(VIEW_SCALE)
            image.fill(Qt.GlobalColor.white)
            lab.render(image)
        slide = Slide(len(self.slides) + 1, step.title, image, step.notes)
        try:
            write_png(slide, self.folder / f"{slide_name(slide.number)}.png")
            write_svg(slide, self.folder / f"{slide_name(slide.number)}.svg")
        except OSError as error:
            self._fail(f"Cannot write the slides to {self.folder}: {error}")
            return
        assert self._deck is not None
        self._deck.add(slide)
        self.slides.append(slide)
        self.sig_progress.emit(len(self.slides), len(self.steps))
        self._show_next()

    def _finish(self) -> None:
        try:
            (self.folder / "notes.md").write_text(notes_markdown(self.lesson_title, self.slides), encoding="utf-8")
        except OSError as error:
            self._fail(f"Cannot write the notes to {self.folder}: {error.strerror or error}")
            return
        self._end(self.folder)

    def _fail(self, message: str) -> None:
        self.sig_failed.emit(message)
        self._end(None)

    def _end(self, folder: Path | None) -> None:
        self._poll.stop()
        for dock in self._hidden_docks:
            dock.show()
        self._hidden_docks = []
        if self._size_before is not None:
            self.window_.resize(self._size_before)
            self._size_before = None
        if self._deck is not None:
            self._deck.close()
            self._deck = None
        self.sig_finished.emit(folder)
