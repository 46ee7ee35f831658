"""The status-bar strip: active model, memory, the running job's progress and Cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class JobStatus(QWidget):
    """Shows one running job at a time; hidden controls when idle keep the bar calm."""

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
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.sig_cancel_clicked)
        for widget in (self.message, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.show_idle()

    def show_started(self, title: str) -> None:
        self.message.setText(f"{title}…")
        self.bar.setValue(0)
        self.bar.setFormat("%p%")
        self.bar.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()

    def show_progress(self, fraction: float, message: str, _partial: Any = None) -> None:
        self.bar.setValue(int(fraction * 1000))
        if message:
            self.message.setText(message)

    def show_cancelling(self) -> None:
        self.message.setText("Cancelling…")
        self.cancel_button.setEnabled(False)

    def show_idle(self, message: str = "Ready") -> None:
        self.message.setText(message)
        self.bar.hide()
        self.cancel_button.hide()


class ModelStatus(QLabel):
    """``model · device · dtype · memory`` — what the session is at this moment."""

    def show_model(self, info: Any, memory_text: str = "") -> None:
        if info is None:
            self.setText("No model loaded")
            return
        parts = [info.label, info.family, f"{info.num_layers} layers", f"{info.num_parameters / 1e6:.1f} M params",
                 f"{info.device} · {info.dtype}", f"{info.memory_bytes / 2**20:.0f} MiB"]
        if memory_text:
            parts.append(memory_text)
        self.setText("  ·  ".join(parts))

    def show_loading(self, label: str) -> None:
        self.setText(f"Loading {label}…")
