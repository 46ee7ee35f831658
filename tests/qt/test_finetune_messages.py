"""The Fine-tuning lab says each problem once: a broken data file in the data section while
previewing, in one message box when Start is pressed; a split that holds out nothing is
noted in the preview."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from waiting import JOB_TIMEOUT_MS

from workbench.core.finetune.params import DataPreview
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.ui.main_window import MainWindow


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _window_with_model(qtbot, host, settings, tiny_model_dir: Path, tmp_path: Path) -> MainWindow:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(host.sig_model_changed, timeout=JOB_TIMEOUT_MS):
        host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))
    window.panels["finetune"].settings.folder.setText(str(tmp_path / "adapters"))
    return window


def _choose(panel, path: Path) -> None:
    panel.data.source.setCurrentIndex(panel.data.source.findData("jsonl"))
    panel.data.path.setText(str(path))
    panel.data.path.editingFinished.emit()


def test_a_broken_jsonl_line_is_said_once_in_place_then_once_on_start(
    qtbot, host, settings, tiny_model_dir, tmp_path
) -> None:
    window = _window_with_model(qtbot, host, settings, tiny_model_dir, tmp_path)
    panel = window.panels["finetune"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "a", "completion": "b"}\n{"prompt": "a"\n', encoding="utf-8")
    with qtbot.waitSignal(host.sig_job_failed, timeout=JOB_TIMEOUT_MS,
                          check_params_cb=lambda _j, message, _d: "bad.jsonl" in message):  # fmt: skip
        _choose(panel, bad)
    qtbot.wait(100)  # let any box open (there must be none)
    assert _boxes() == []
    assert "bad.jsonl, line 2" in panel.data.summary.text()
    with qtbot.waitSignal(host.sig_job_failed, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.settings.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_boxes()) == 1)
    assert "bad.jsonl, line 2" in _boxes()[0].text()
    for box in _boxes():
        box.close()


def test_a_split_that_holds_out_nothing_is_noted_in_the_preview(
    qtbot, host, settings, tiny_model_dir, tmp_path
) -> None:
    window = _window_with_model(qtbot, host, settings, tiny_model_dir, tmp_path)
    panel = window.panels["finetune"]
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"prompt": "Where is Paris?", "completion": " France."}), encoding="utf-8")
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS,
                          check_params_cb=lambda _j, _r, result: isinstance(result, DataPreview)):  # fmt: skip
        _choose(panel, one)
    assert "no eval loss or eval curve" in panel.data.summary.text()
