"""The Model Editing lab switched to 简体中文 while it is on screen keeps what was typed (issue 21).

Every lab's labels are checked by ``test_language_zh`` (one walk over all five labs and the
shell); this file checks the live switch on a lab with typed inputs and a state-built text,
and the word finder the language tests share (``english_words.py``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from english_words import english_words
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
from PySide6.QtWidgets import (
    QApplication,
)

from workbench.i18n_build import I18N_DIR, lrelease_command
from workbench.ui.panels.editing import EditingPanel
from workbench.worker import WorkerHost


def test_english_words_finds_english_and_lets_names_and_code_pass() -> None:
    assert english_words("秩 r · LoRA（Hu 等，2021）· rank") == ["rank"]
    assert english_words("含 {prompt, completion} 的 .jsonl 文件 · attn.c_attn") == []
    assert english_words("<b>编辑</b> Apply edit") == ["Apply", "edit"]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``labs_zh_CN.ts`` compiled by Qt's ``lrelease`` into a fresh folder."""
    target = tmp_path_factory.mktemp("i18n") / "labs_zh_CN.qm"
    subprocess.run([*lrelease_command(), "-silent", str(I18N_DIR / "labs_zh_CN.ts"), "-qm", str(target)], check=True)
    return target


def _install(compiled: Path) -> list[QTranslator]:
    app = QCoreApplication.instance()
    translators = []
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase_zh_CN.qm", qt_folder), (str(compiled), "")):
        translator = QTranslator(app)
        assert translator.load(name, folder), f"could not load {name}"
        app.installTranslator(translator)
        translators.append(translator)
    QApplication.processEvents()
    return translators


def _remove(translators: list[QTranslator]) -> None:
    for translator in translators:
        QCoreApplication.instance().removeTranslator(translator)
    QApplication.processEvents()


@pytest.fixture()
def chinese(qtbot, compiled: Path) -> Iterator[None]:
    translators = _install(compiled)
    yield
    _remove(translators)


def test_switching_language_live_keeps_typed_inputs(qtbot, host: WorkerHost, compiled: Path) -> None:
    panel = EditingPanel(host)
    qtbot.addWidget(panel)
    panel.show()
    form = panel.form
    form.prompt.setText("{} is in the country of")
    form.subject.setText("Anoda")
    form.target_new.setText(" Pakelia")
    panel.batch.cases.setValue(7)
    english_apply = form.apply_button.text()
    translators = _install(compiled)
    try:
        assert form.apply_button.text() != english_apply and english_words(form.apply_button.text()) == []
        assert panel.views.tabText(0) == QCoreApplication.translate("EditingPanel", "Result") != "Result"
        assert (form.prompt.text(), form.subject.text(), form.target_new.text()) == (
            "{} is in the country of",
            "Anoda",
            " Pakelia",
        )
        assert panel.batch.cases.value() == 7
        assert "Pakelia" in form.target_hint.text()  # a state-built text is rebuilt, not reset
    finally:
        _remove(translators)
    assert form.apply_button.text() == english_apply
    assert form.prompt.text() == "{} is in the country of"
