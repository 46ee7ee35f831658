"""Lesson slides: one 16:9 slide per step, written as PNG, SVG and one PDF page.

A slide is the step's title over the image of its restored view; the PDF page adds the
step's notes (Markdown, rendered by ``QTextDocument``) under the image, so the PDF reads as
a handout while the PNG/SVG pair goes into any presentation program.  Every format is
painted by the same ``paint_slide`` on its own paint device, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtSvg import QSvgGenerator

SLIDE_SIZE = QSize(1920, 1080)
PDF_DPI = 144
"""A 960 × 540 pt page (13.33 × 7.5 in, PowerPoint's 16:9) is 1920 × 1080 device pixels at 144 dpi."""
MARGIN = 48
TITLE_HEIGHT = 120
NOTES_SHARE = 0.3
"""The part of a PDF page under the image that holds the notes."""
IMAGE_TOP = MARGIN // 2 + TITLE_HEIGHT + 24
IMAGE_SIZE = QSize(SLIDE_SIZE.width() - 2 * MARGIN, SLIDE_SIZE.height() - IMAGE_TOP - MARGIN // 2)
"""The image's area on a slide without notes (1824 × 888 px): the export lays each lab out in this shape."""


@dataclass(frozen=True)
class Slide:
    number: int
    title: str
    image: QImage
    """The step's view as restored in its lab."""
    notes: str
    """Markdown."""


def paint_slide(painter: QPainter, slide: Slide, *, with_notes: bool) -> None:
    """Paint ``slide`` on a device of ``SLIDE_SIZE`` pixels: title band, image, notes if asked."""
    width, height = SLIDE_SIZE.width(), SLIDE_SIZE.height()
    painter.fillRect(QRect(0, 0, width, height), QColor("white"))
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    title_font = QFont(painter.font())
    title_font.setPixelSize(56)
    title_font.setBold(True)
    painter.setFont(title_font)
    painter.setPen(QColor("#1f2933"))
    title_rect = QRect(MARGIN, MARGIN // 2, width - 2 * MARGIN, TITLE_HEIGHT)
    painter.drawText(
        title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{slide.number}. {slide.title}"
    )
    painter.fillRect(QRect(MARGIN, MARGIN // 2 + TITLE_HEIGHT, width - 2 * MARGIN, 4), QColor("#2f6fde"))
    top = IMAGE_TOP
    document = _notes_document(painter, slide.notes, width - 2 * MARGIN) if with_notes and slide.notes.strip() else None
    # the notes take the lines they need (at most NOTES_SHARE of the page), the image the rest
    notes_height = (
        min(int(document.size().height()) + MARGIN // 2, int((height - top) * NOTES_SHARE)) if document else 0
    )
    image_area = QRect(MARGIN, top, width - 2 * MARGIN, height - top - MARGIN // 2 - notes_height)
    if not slide.image.isNull():
        scaled = slide.image.size().scaled(image_area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, scaled.width(), scaled.height())
        target.moveCenter(image_area.center())
        target.moveTop(image_area.top())
        painter.drawImage(target, slide.image)
    if document is not None:
        area = QRect(MARGIN, height - notes_height, width - 2 * MARGIN, notes_height)
        painter.save()
        painter.translate(area.topLeft())
        document.drawContents(painter, QRectF(0, 0, area.width(), area.height()))
        painter.restore()


def _notes_document(painter: QPainter, markdown: str, width: int) -> QTextDocument:
    """The notes laid out at ``width``: their height decides how much room the image gets."""
    document = QTextDocument()
    font = QFont(painter.font())
    font.setPixelSize(26)
    font.setBold(False)
    document.setDefaultFont(font)
    document.setMarkdown(markdown)
    document.setTextWidth(width)
    return document


def write_png(slide: Slide, path: Path) -> None:
    image = QImage(SLIDE_SIZE, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    paint_slide(painter, slide, with_notes=False)
    painter.end()
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # the stubs miss the str format
        raise OSError(f"cannot write {path}")


def write_svg(slide: Slide, path: Path) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(SLIDE_SIZE)
    generator.setViewBox(QRect(0, 0, SLIDE_SIZE.width(), SLIDE_SIZE.height()))
    generator.setTitle(slide.title)
    painter = QPainter(generator)
    paint_slide(painter, slide, with_notes=False)
    painter.end()


class PdfDeck:
    """One PDF, a 16:9 page per slide (title, image and notes); ``add`` then ``close``."""

    def __init__(self, path: Path, title: str) -> None:
        self._writer = QPdfWriter(str(path))
        self._writer.setTitle(title)
        self._writer.setCreator("LLM Workbench")
        self._writer.setResolution(PDF_DPI)
        size = QPageSize(
            QSizeF(SLIDE_SIZE.width() * 72 / PDF_DPI, SLIDE_SIZE.height() * 72 / PDF_DPI), QPageSize.Unit.Point
        )
        self._writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        self._painter: QPainter | None = None

    def add(self, slide: Slide) -> None:
        if self._painter is None:
            self._painter = QPainter(self._writer)
        else:
            self._writer.newPage()
        paint_slide(self._painter, slide, with_notes=True)

    def close(self) -> None:
        if self._painter is not None:
            self._painter.end()
            self._painter = None


def notes_markdown(lesson_title: str, slides: list[Slide]) -> str:
    """The lesson's notes in one Markdown file, a section per slide, pointing at its image."""
    parts = [f"# {lesson_title}\n"]
    for slide in slides:
        parts.append(
            f"## {slide.number}. {slide.title}\n\n![]({slide_name(slide.number)}.png)\n\n{slide.notes.strip()}\n"
        )
    return "\n".join(parts)


def slide_name(number: int) -> str:
    return f"slide-{number:02d}"
