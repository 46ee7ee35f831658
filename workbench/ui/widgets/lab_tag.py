"""Each lab's name, short tag and colour, and the delegate that draws a lab as a coloured chip.

The run history named a run's lab in words, and "Fine-tuning" took the width the run's own
title needed (issue 18): a chip with a short name in the lab's colour says the same in a
fraction of the width, and the colour lets a class find one lab's runs at a glance.  A chip's
colours are mixed from the lab's hue and the view's palette when it is painted, so one hue per
lab serves the light and the dark theme (and follows a theme switch without a refresh).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from workbench.ui.translatable import QT_TRANSLATE_NOOP

TAG_ROLE = Qt.ItemDataRole.UserRole + 1
"""On a cell drawn as a chip: the hue of its lab (``LabTag.hue``)."""


@dataclass(frozen=True)
class LabTag:
    name: str
    """The lab's name in English (translated in the ``RunHistory`` context)."""
    short: str
    """The chip's text in English (translated in the ``LabTag`` context)."""
    hue: str

    def translated_name(self) -> str:
        return QCoreApplication.translate("RunHistory", self.name)

    def translated_short(self) -> str:
        return QCoreApplication.translate("LabTag", self.short)


LAB_TAGS = (
    LabTag(QT_TRANSLATE_NOOP("RunHistory", "Sampling"), QT_TRANSLATE_NOOP("LabTag", "Sample"), "#2563eb"),
    LabTag(QT_TRANSLATE_NOOP("RunHistory", "Tracing"), QT_TRANSLATE_NOOP("LabTag", "Trace"), "#d97706"),
    LabTag(QT_TRANSLATE_NOOP("RunHistory", "Editing"), QT_TRANSLATE_NOOP("LabTag", "Edit"), "#db2777"),
    LabTag(QT_TRANSLATE_NOOP("RunHistory", "Fine-tuning"), QT_TRANSLATE_NOOP("LabTag", "Tune"), "#059669"),
    LabTag(QT_TRANSLATE_NOOP("RunHistory", "RAG"), QT_TRANSLATE_NOOP("LabTag", "RAG"), "#7c3aed"),
)
"""The labs in tab order (the order of the run history's groups): blue, amber, pink, green and
violet stay apart for the common colour-vision deficiencies too, since each chip also names its lab."""
OTHER_HUE = "#64748b"
"""A run kind that no lab claims (a test job's): a neutral slate."""

_TAG_OF_KIND_PREFIX = dict(
    zip(("sample", "trace", "edit", "finetune", "rag"), LAB_TAGS, strict=True), perplexity=LAB_TAGS[0]
)
"""Run kinds are ``<lab>`` or ``<lab>_<variant>`` (``trace_severing``); the prefix names the lab."""


def lab_tag(kind: str) -> LabTag:
    """The lab that made a run of ``kind``; an unknown kind is its own lab, in slate."""
    return _TAG_OF_KIND_PREFIX.get(kind.split("_", 1)[0], LabTag(kind, kind, OTHER_HUE))


def lab_name(kind: str) -> str:
    """The lab that made a run of ``kind``, in the interface language."""
    return lab_tag(kind).translated_name()


def _mix(under: QColor, over: QColor, amount: float) -> QColor:
    """``over`` laid on ``under`` at ``amount`` opacity."""
    return QColor.fromRgbF(
        under.redF() + (over.redF() - under.redF()) * amount,
        under.greenF() + (over.greenF() - under.greenF()) * amount,
        under.blueF() + (over.blueF() - under.blueF()) * amount,
    )


def tag_colours(hue: QColor, palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """A chip's fill, border and text: the hue faint over the view's base and strong in its text
    colour, so the text keeps the theme's contrast (at least 4.5 : 1 in both themes)."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    return _mix(base, hue, 0.16), _mix(base, hue, 0.55), _mix(text, hue, 0.45)


class LabTagDelegate(QStyledItemDelegate):
    """Draws a cell that carries ``TAG_ROLE`` as a rounded chip around its text; other cells as usual."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        hue = index.data(TAG_ROLE)
        if not hue:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text, item.text = item.text, ""
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)  # selection, no text
        metrics = QFontMetrics(item.font)
        pad = metrics.height() // 4
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, item.rect.width() - 2 * pad - 4)
        height = min(metrics.height() + 2, item.rect.height())
        width = metrics.horizontalAdvance(text) + 2 * pad + 2  # + 2: the advance is rounded down
        chip = QRect(item.rect.left() + 1, item.rect.center().y() - height // 2, width, height)
        fill, border, ink = tag_colours(QColor(hue), item.palette)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip.adjusted(0, 0, -1, -1), height / 2, height / 2)
        painter.setPen(ink)
        painter.setFont(item.font)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if not index.data(TAG_ROLE):
            return size
        metrics = QFontMetrics(option.font)
        width = metrics.horizontalAdvance(str(index.data(Qt.ItemDataRole.DisplayRole))) + 2 * (metrics.height() // 4)
        return QSize(width + 6, max(size.height(), metrics.height() + 4))
