"""The labs' tab bar, each lab in a scroll area that scrolls only when the window is smaller
than the lab needs.

Without it the largest lab's minimum size became the window's: at 1280×720 (a classroom
projector) the window grew past the screen and its right and bottom edges were cut off.
The scroll area is the tab page, but the tabs still speak in labs: ``setCurrentWidget``,
``currentWidget`` and ``indexOf`` take and give the lab itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget


class LabTabs(QTabWidget):
    def add_lab(self, lab: QWidget, title: str) -> int:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(lab)
        return self.addTab(scroll, title)

    def lab(self, index: int) -> QWidget | None:
        page = self.widget(index)
        return page.widget() if isinstance(page, QScrollArea) else page

    def currentWidget(self) -> QWidget | None:  # type: ignore[override]  # narrows QTabWidget's return to the labs' page type
        return self.lab(self.currentIndex())

    def indexOf(self, widget: QWidget) -> int:
        for index in range(self.count()):
            if self.widget(index) is widget or self.lab(index) is widget:
                return index
        return -1

    def setCurrentWidget(self, widget: QWidget) -> None:
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)
