"""Exporting a lesson as slides: each step shown in its lab, grabbed, written (``slides``).

Rendering needs the widgets, so this runs in the GUI thread as a small state machine rather
than a worker job: show a step (a live step runs when a model is loaded, as in Present
mode), wait until no lab has a job left, grab the lab, write the PNG, SVG and PDF page,
go on.  Progress and the end are signals; ``cancel`` stops before the next step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from workbench.ui.lesson_views import StepProblem, show_step
from workbench.ui.slides import PdfDeck, Slide, notes_markdown, slide_name, write_png, write_svg

if TYPE_CHECKING:
    from workbench.store.lessons import LessonStepRecord
    from workbench.ui.lab_window import LabWindow

IDLE_POLL_MS = 100
SETTLE_MS = 150
"""After the last job ends, a moment for the lab to draw what it brought back."""


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
        image = lab.grab().toImage() if lab is not None else QImage()
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
        if self._deck is not None:
            self._deck.close()
            self._deck = None
        self.sig_finished.emit(folder)
