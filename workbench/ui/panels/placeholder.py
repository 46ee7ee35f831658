"""Panels whose lab is not built yet: say what will be here and where the book covers it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from workbench.ui.panels.base import Panel
from workbench.worker import WorkerHost


class PlaceholderPanel(Panel):
    def __init__(
        self, host: WorkerHost, title: str, chapter: str, summary: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(host, parent)
        self.panel_title = title
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        card = QFrame()
        card.setProperty("role", "card")
        card.setMaximumWidth(640)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        heading = QLabel(title)
        heading.setProperty("role", "heading")
        chapter_label = QLabel(chapter)
        chapter_label.setProperty("role", "muted")
        body = QLabel(summary)
        body.setWordWrap(True)
        status = QLabel("This lab is being built. Its runs will appear in the run history.")
        status.setProperty("role", "muted")
        status.setWordWrap(True)
        for widget in (heading, chapter_label, body, status):
            inner.addWidget(widget)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
