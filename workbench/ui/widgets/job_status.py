"""The status-bar strip: active model, memory, the running job's progress and Cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP


class JobStatus(Retranslating, QWidget):
    """Shows one running job at a time; hidden controls when idle keep the bar calm.

    An idle or cancelling line is kept as its English source so a language switch redraws it;
    a running job's title and progress are shown as they came (in the language of the moment).
    """

    sig_cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel()
        self.message.setMinimumWidth(260)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(200)
        self.bar.setTextVisible(True)
        self._source = ""
        """The English source of an idle or cancelling line; "" while a job's own text shows."""
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.sig_cancel_clicked)
        for widget in (self.message, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.show_idle()
        self.retranslate()

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        if self._source:
            self.message.setText(QCoreApplication.translate("JobStatus", self._source))

    def show_started(self, title: str) -> None:
        self._source = ""
        self.message.setText(f"{title}…")
        self.bar.setValue(0)
        self.bar.setFormat("%p%")
        self.bar.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()

    def show_progress(self, fraction: float, message: str, _partial: Any = None) -> None:
        self.bar.setValue(int(fraction * 1000))
        if message:
            self._source = ""
            self.message.setText(translate_core_message(message))

    def show_cancelling(self) -> None:
        self._source = QT_TRANSLATE_NOOP("JobStatus", "Cancelling…")
        self.message.setText(self.tr(self._source))
        self.cancel_button.setEnabled(False)

    def show_idle(self, message: str = QT_TRANSLATE_NOOP("JobStatus", "Ready")) -> None:
        """``message``: the English source of the line (marked for the context ``JobStatus``)."""
        self._source = message
        self.message.setText(QCoreApplication.translate("JobStatus", message))
        self.bar.hide()
        self.cancel_button.hide()


class ModelStatus(QLabel):
    """``model · device · dtype · memory`` — what the session is at this moment.

    The main window calls ``show_model`` every few seconds and on a language change, so
    this label needs no ``retranslate`` of its own.  A line longer than the room left beside
    the model-state chip and the job strip ends in "…" (the whole line in the tool tip): at
    Present mode's size on 1280 pixels it ran under the chip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room) if room > 0 else self._full
        super().setText(shown)

    def show_model(self, info: Any, memory_text: str = "") -> None:
        if info is None:
            self.setText(self.tr("No model loaded"))
            return
        parts = [
            info.label,
            info.family,
            self.tr("{count} layers").format(count=info.num_layers),
            self.tr("{count} M params").format(count=f"{info.num_parameters / 1e6:.1f}"),
            f"{info.device} · {info.dtype}",
            f"{info.memory_bytes / 2**20:.0f} MiB",
        ]
        if memory_text:
            parts.append(memory_text)
        self.setText("  ·  ".join(parts))

    def show_loading(self, label: str) -> None:
        self.setText(self.tr("Loading {model}…").format(model=label))
