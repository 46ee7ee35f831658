"""Qt fixtures: a worker host that must be shut down cleanly, isolated settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings

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
