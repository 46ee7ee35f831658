"""Bundled lessons open from the Lessons menu's path, and a lesson exports to slides: a PNG and
an SVG per step at 1920×1080, the notes as Markdown and a PDF of one page per step."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QImage
from waiting import JOB_TIMEOUT_MS, wait_for_result

from workbench.store.bundled_lessons import bundled_lessons
from workbench.store.codec import params_from_json
from workbench.store.lesson_file import read_lesson_file
from workbench.store.lesson_jobs import LessonChanged
from workbench.ui.main_window import MainWindow
from workbench.ui.slide_export import SlideExport
from workbench.ui.slides import IMAGE_SIZE
from workbench.worker import WorkerHost


@pytest.fixture()
def window(qtbot, host: WorkerHost, settings, tmp_path: Path) -> MainWindow:
    main_window = MainWindow(host, settings)
    qtbot.addWidget(main_window)
    main_window.resize(1280, 720)
    main_window.show()
    wait_for_result(qtbot, host, str, lambda: main_window.open_project(str(tmp_path / "lecture.wbproj")))
    return main_window


def test_the_bundled_lessons_cover_four_chapters_in_two_languages_with_steps_every_lab_can_read(
    window: MainWindow,
) -> None:
    found = bundled_lessons()
    assert sorted(lesson.path.stem for lesson in found) == sorted(
        f"ch{n}_{lang}" for n in (1, 4, 5, 6) for lang in ("zh", "en")
    )
    for lesson in found:
        assert 6 <= lesson.steps <= 12, lesson.path.name
        for step in read_lesson_file(lesson.path)["steps"]:
            panel = window.panels[step["live"]["lab"]]
            assert panel.live_params_type is not None
            assert isinstance(params_from_json(panel.live_params_type, step["live"]["params"]), panel.live_params_type)
            assert "§" in step["notes"], step["title"]  # the notes cite the book's sections


def test_a_bundled_lesson_exports_a_png_and_an_svg_per_step_its_notes_and_a_pdf_page_per_step(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    dock = window.lessons_dock
    (chapter_5,) = [lesson for lesson in bundled_lessons() if lesson.path.stem == "ch5_zh"]
    wait_for_result(qtbot, window.host, LessonChanged, lambda: dock.open_bundled_lesson(str(chapter_5.path)))
    assert len(dock.steps) == chapter_5.steps == 8 and dock.isVisible()
    size_before = window.size()
    folder = tmp_path / "slides"
    finished: list[Path | None] = []
    export: SlideExport | None = dock.export_slides(str(folder))  # the steps are shown and grabbed in turn
    assert export is not None
    export.sig_finished.connect(finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=JOB_TIMEOUT_MS)
    assert finished == [folder]
    # each lab was laid out in the slide's shape, beside no dock: its image fills the image area
    for slide in export.slides:  # (to a pixel or two: the layout rounds the scaled size)
        assert abs(slide.image.width() - IMAGE_SIZE.width()) <= 2, slide.image.size()
        assert abs(slide.image.height() - IMAGE_SIZE.height()) <= 2, slide.image.size()
    assert dock.isVisible() and window.history_dock.isVisible() and window.size() == size_before
    pngs, svgs = sorted(folder.glob("*.png")), sorted(folder.glob("*.svg"))
    assert [p.stem for p in pngs] == [p.stem for p in svgs] == [f"slide-{n:02d}" for n in range(1, 9)]
    assert QImage(str(pngs[0])).size().toTuple() == (1920, 1080)
    assert 'viewBox="0 0 1920 1080"' in svgs[0].read_text(encoding="utf-8")
    notes = (folder / "notes.md").read_text(encoding="utf-8")
    assert notes.count("\n## ") == 8 and "§5.4.1" in notes
    pdf = PdfReader(export.pdf_path)
    assert len(pdf.pages) == 8
    assert "模型编辑思想" in pdf.pages[0].extract_text()  # the step's notes are on its page
    assert float(pdf.pages[0].mediabox.width) / float(pdf.pages[0].mediabox.height) == pytest.approx(16 / 9)
