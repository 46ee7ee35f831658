"""Qt fixtures: a worker host that must be shut down cleanly, isolated settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication, QMenu

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
    """Delete what a test left behind.  pytest-qt closes the widgets a test registered and
    schedules them with ``deleteLater``, but no event loop runs between tests to carry that out;
    and every pyqtgraph plot makes context menus without a parent widget (its view box is a
    graphics item), which nothing deletes.  So every window, panel, plot and menu of the suite
    stayed alive — 15,000 widgets after three test files, each restyled by every later theme or
    text-size switch (a Present-mode test took 33 s in the suite, 2.5 s alone).  Only the hidden
    menus the test created are deleted; anything else still open is left to its test."""
    menus_before = {id(widget) for widget in QApplication.topLevelWidgets() if isinstance(widget, QMenu)}
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMenu) and not widget.isVisible() and id(widget) not in menus_before:
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
