"""Qt fixtures: a worker host that must be shut down cleanly, isolated settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication

from workbench.ui.settings import AppSettings
from workbench.worker import WorkerHost


@pytest.fixture()
def host(qtbot) -> Iterator[WorkerHost]:
    worker_host = WorkerHost()
    yield worker_host
    assert worker_host.shutdown(10000), "worker thread still running after shutdown"
    assert not worker_host.worker_thread.isRunning()


@pytest.fixture()
def settings(tmp_path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture(autouse=True)
def _deleted_after_the_test(qapp) -> Iterator[None]:
    """Delete the widgets pytest-qt closed after the test.  It schedules them with ``deleteLater``,
    but no event loop runs between tests to carry that out, so every window, panel and plot of
    the suite stayed alive — 15,000 widgets after three test files, each restyled by every later
    theme or text-size switch (a Present-mode test took 33 s in the suite, 2.5 s alone).  Results
    still queued for the test's widgets are delivered first, while the widgets exist (this runs
    after the test's worker has shut down)."""
    yield
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
