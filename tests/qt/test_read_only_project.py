"""A project on read-only disk: the window says so in a banner, lists and reopens its runs,
runs jobs without storing them, and refuses a rename with a sentence."""

from __future__ import annotations

import os
from pathlib import Path

from jobs_for_tests import SleepyParams
from PySide6.QtWidgets import QApplication, QMessageBox
from waiting import JOB_TIMEOUT_MS

from workbench.store.project import ProjectStore
from workbench.store.project_jobs import RenameRunParams
from workbench.ui.main_window import MainWindow


def test_a_read_only_project_opens_with_a_banner_and_refuses_changes(
    qtbot, host, settings, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "shared.wbproj"
    with ProjectStore.create(path) as store:
        run_id = store.start_run("test_sleepy", {"units": 1, "tag": "old"}, title="old run", model_id=None)
        store.finish_run(run_id, status="finished", result={"values": [0.0]})
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if mode & os.W_OK and Path(p) == path
                        else real_access(p, mode, *a, **k))  # fmt: skip
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(host.sig_project_changed, timeout=10000):
        window.open_project(str(path), create=False)
    qtbot.waitUntil(lambda: window.project_path == str(path), timeout=5000)
    assert window.read_only_banner.isVisible() and "read-only" in window.read_only_banner.text()
    assert window.run_history.run_ids() == [run_id]

    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS) as finished:
        host.submit(SleepyParams(units=2, tag="new"), "Sleepy run")
    assert finished.args[1] is None  # shown, not stored
    window.refresh_runs()
    assert window.run_history.run_ids() == [run_id]

    with qtbot.waitSignal(host.sig_job_failed, timeout=JOB_TIMEOUT_MS) as failed:
        host.submit(RenameRunParams(run_id, "renamed"), "Rename run")
    assert "shared.wbproj is read-only" in failed.args[1] and "\n" not in failed.args[1]
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()))
    for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.close()
