"""Clicking through the main window: projects, run history, model status, cancel, close."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jobs_for_tests import SleepyParams
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench.core.editing.covariance import RUN_KIND as COVARIANCE_RUN_KIND
from workbench.core.model.spec import ModelSpec
from workbench.store import ProjectStore
from workbench.ui.main_window import MainWindow
from workbench.ui.settings import AppSettings
from workbench.worker import WorkerHost


@pytest.fixture()
def window(qtbot, host: WorkerHost, settings: AppSettings) -> MainWindow:
    main_window = MainWindow(host, settings)
    qtbot.addWidget(main_window)
    main_window.show()
    return main_window


def _open_project(qtbot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.host.sig_project_changed, timeout=10000):
        window.open_project(str(path))
    qtbot.waitUntil(lambda: window.project_path == str(path), timeout=5000)


def _message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_a_finished_job_appears_in_the_run_history_and_in_the_project_file(qtbot, window: MainWindow, tmp_path) -> None:
    project = tmp_path / "lab.wbproj"
    _open_project(qtbot, window, project)
    assert window.windowTitle().startswith("lab.wbproj")
    assert window.run_history.run_ids() == []
    with qtbot.waitSignal(window.sig_run_list_refreshed, timeout=10000):
        window.host.submit(SleepyParams(units=3, tag="x"), "Sleepy run")
    assert len(window.run_history.run_ids()) == 1
    assert "Sleepy run" in window.run_history.tree.topLevelItem(0).text(0)
    with sqlite3.connect(project) as db:
        rows = db.execute("select kind, status from runs").fetchall()
    assert [tuple(r) for r in rows] == [("test_sleepy", "finished")]
    exported = tmp_path / "run.json"
    window.export_run(window.run_history.run_ids()[0], str(exported))
    document = json.loads(exported.read_text())
    assert document["params"]["tag"] == "x" and document["result"]["values"] == [0.0, 1.0, 2.0]


def test_a_file_that_is_not_a_project_gets_a_clear_message_not_a_crash(qtbot, window: MainWindow, tmp_path) -> None:
    bogus = tmp_path / "notes.wbproj"
    bogus.write_text("these are my lecture notes, not a database")
    with qtbot.waitSignal(window.host.sig_job_failed, timeout=10000) as blocker:
        window.open_project(str(bogus), create=False)
    message = blocker.args[1]
    assert "notes.wbproj" in message and "project" in message.lower()
    qtbot.waitUntil(lambda: bool(_message_boxes()), timeout=3000)
    box = _message_boxes()[0]
    assert box.text() == message
    box.close()
    assert window.host.worker_thread.isRunning()


def test_loading_a_model_folder_shows_it_in_the_status_bar(qtbot, window: MainWindow, tiny_model_dir: Path) -> None:
    with qtbot.waitSignal(window.host.sig_model_changed, timeout=60000):
        window.load_model(ModelSpec(source="folder", name=str(tiny_model_dir)))
    text = window.model_status.full_text()
    assert "GPT-2" in text and "3 layers" in text and "cpu" in text
    assert window.model_status.toolTip() == text
    window.model_state.show()
    window.resize(700, 500)  # too narrow for the whole line: it ends in "…" instead of running under the chip
    qtbot.waitUntil(lambda: window.model_status.text().endswith("…"))
    status, chip = window.model_status, window.model_state
    assert status.mapTo(window, status.rect().topRight()).x() <= chip.mapTo(window, chip.rect().topLeft()).x()
    width = status.fontMetrics().horizontalAdvance(status.text())
    assert width <= status.contentsRect().width()
    with qtbot.waitSignal(window.host.sig_model_changed, timeout=10000) as blocker:
        window.unload_model()
    assert blocker.args == [None]
    assert window.model_status.full_text().startswith("No model loaded")


def test_cancel_in_the_status_bar_stops_the_running_job(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.host.sig_job_started, timeout=5000):
        window.host.submit(SleepyParams(units=100_000, delay_s=0.01), "Long job")
    assert window.job_status.cancel_button.isVisible()
    with qtbot.waitSignal(window.host.sig_job_cancelled, timeout=2000):
        window.job_status.cancel_button.click()
    assert window.job_status.message.text() == "Cancelled"
    assert not window.job_status.cancel_button.isVisible()


def test_closing_the_window_during_a_job_cancels_it_and_stops_the_worker(
    qtbot, host: WorkerHost, settings: AppSettings
) -> None:
    main_window = MainWindow(host, settings)
    main_window.show()
    with qtbot.waitSignal(host.sig_job_started, timeout=5000):
        host.submit(SleepyParams(units=100_000, delay_s=0.01))
    started = time.monotonic()
    assert main_window.close()
    assert time.monotonic() - started < 3.0
    assert not host.worker_thread.isRunning()


def test_present_mode_goes_full_screen_with_larger_text_and_back(qtbot, window: MainWindow) -> None:
    window.set_font_scale(1.0)
    normal_size = QApplication.font().pointSizeF()
    window.present_action.trigger()
    assert window.isFullScreen() and not window.history_dock.isVisible()
    assert QApplication.font().pointSizeF() > normal_size * 1.4
    window.present_action.trigger()
    assert not window.isFullScreen() and window.history_dock.isVisible()
    assert QApplication.font().pointSizeF() == pytest.approx(normal_size)


@pytest.mark.slow
def test_theme_and_text_size_persist_in_settings(qtbot, window: MainWindow, settings: AppSettings) -> None:
    window.set_theme("dark")
    window.set_font_scale(1.3)
    assert settings.theme == "dark"
    assert settings.font_scale == pytest.approx(1.3)
    assert QApplication.palette().window().color().lightness() < 80
    window.set_theme("light")
    window.set_font_scale(1.0)


def test_screenshot_command_renders_the_window_and_exits(tmp_path: Path, tiny_model_dir: Path) -> None:
    shot = tmp_path / "main.png"
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "HF_HUB_OFFLINE": "1",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            str(tmp_path / "p.wbproj"),
            "--model",
            str(tiny_model_dir),
            "--screenshot",
            str(shot),
            "--panel",
            "tracing",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert shot.stat().st_size > 10_000
    assert (tmp_path / "p.wbproj").exists()


def test_screenshot_exits_1_and_says_why_when_the_model_does_not_load(tmp_path: Path) -> None:
    shot = tmp_path / "main.png"
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "HF_HUB_OFFLINE": "1",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            str(tmp_path / "p.wbproj"),
            "--model",
            str(tmp_path / "no-such-model"),
            "--screenshot",
            str(shot),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 1
    assert shot.stat().st_size > 10_000  # the window is still drawn, as a build check would see it
    assert "a start-up job failed" in result.stderr and "Traceback" not in result.stderr


def test_the_edits_cached_key_covariance_is_not_listed_in_the_run_history(qtbot, window: MainWindow, tmp_path) -> None:
    """ROME stores its key covariance as a run so that the next edit finds it; in the history
    it was a row that no lab reopens (clicking it did nothing)."""
    project = tmp_path / "lab.wbproj"
    with ProjectStore.open_or_create(project) as store:
        covariance = store.start_run(
            COVARIANCE_RUN_KIND, {}, title="Key covariance, layer 0 (20,000 tokens)", model_id=None
        )
        store.finish_run(covariance, status="finished")
        edit = store.start_run(
            "edit", {}, title="Edit (ROME): The Eiffel Tower is located in the city of", model_id=None
        )
        store.finish_run(edit, status="finished")
    _open_project(qtbot, window, project)
    qtbot.waitUntil(lambda: window.run_history.run_ids() == [edit], timeout=5000)
