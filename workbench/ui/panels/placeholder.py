"""Panels whose lab is not built yet: say what will be here and where the book covers it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.ui.panels.base import Panel
from workbench.worker import WorkerHost


class PlaceholderPanel(Panel):
    def __init__(
        self, host: WorkerHost, title: str, chapter: str, summary: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(host, parent)
        self.title = title  # type: ignore[misc]  # placeholders share one class, so per instance
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        card = QFrame()
        card.setProperty("role", "card")
        card.setFixedWidth(600)
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
        row = QHBoxLayout()  # stretches rather than an alignment, so wrapped text gets its height
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
