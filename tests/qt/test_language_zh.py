"""The 简体中文 interface: every visible text of every lab is Chinese, and switching keeps work.

The walk reads what a person sees — labels, buttons, check boxes, group boxes, tabs, menus
and their actions, table and tree headers, placeholders, spin boxes' special texts — and
fails on any English word that is not a proper name, a unit or a method's name (the short
``ALLOWED`` list).  Texts that are data (a prompt typed, a token, a number) are not labels
and are not read: an empty lab shows labels only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from english_words import english_words
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QTreeWidget,
    QWidget,
)

from workbench.base.errors import InvalidParameters, NoModelLoaded
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.results import SEVERED, TOKEN_GROUPS, AveragingResult, SeveringResult
from workbench.i18n_build import I18N_DIR
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import current_language, install_language
from workbench.ui.main_window import MainWindow
from workbench.ui.panels.finetune.training_view import TrainingView
from workbench.ui.panels.registry import LABS
from workbench.ui.panels.tracing.averaged import AveragedView
from workbench.ui.panels.tracing.severing import SeveringView
from workbench.ui.settings import AppSettings
from workbench.worker import WorkerHost

LAB_PANELS = ("editing", "finetune", "rag")
"""Translated in ``labs_zh_CN.ts`` (the other labs are in ``shell_zh_CN.ts``): checked wherever
that source is in the checkout, so all five labs are checked once both halves are merged."""


def test_english_words_finds_english_and_lets_names_pass() -> None:
    assert english_words("贪心搜索 · Top-k 采样 (ROME, Meng et al. 2022)") == []
    assert english_words("<b>温度</b> T = 0.7") == []
    assert english_words("采样 Generate") == ["Generate"]
    assert english_words("文件(&F)") == []


@pytest.fixture()
def chinese(qtbot) -> Iterator[None]:
    assert install_language("zh_CN") == "zh_CN", "the Chinese translations did not load"
    QApplication.processEvents()
    yield
    install_language("en")
    QApplication.processEvents()


@pytest.fixture()
def window(qtbot, host: WorkerHost, settings: AppSettings, chinese: None) -> MainWindow:
    main_window = MainWindow(host, settings)
    qtbot.addWidget(main_window)
    main_window.resize(1280, 720)
    main_window.show()
    return main_window


def _shown(widget: QWidget, root: QWidget) -> bool:
    """Not hidden on purpose; a page of a tab widget counts even when another tab is in front."""
    while widget is not None and widget is not root:
        if widget.isHidden() and not isinstance(widget.parentWidget(), QStackedWidget):
            return False
        widget = widget.parentWidget()
    return True


def _menu_texts(menu: QMenu) -> Iterator[str]:
    yield menu.title()
    for action in menu.actions():
        if action.menu() is not None:
            yield from _menu_texts(action.menu())
        elif action.isVisible():
            yield action.text()


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every label-like text under ``root``."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget, root):
            continue
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        if isinstance(widget, QLabel):
            yield where, widget.text()
        elif isinstance(widget, QAbstractButton):
            yield where, widget.text()
            if isinstance(widget, (QPushButton, QToolButton)) and widget.menu() is not None:
                yield from ((f"{where} menu", text) for text in _menu_texts(widget.menu()))
        elif isinstance(widget, QGroupBox):
            yield where, widget.title()
        elif isinstance(widget, QTabWidget):
            yield from ((f"{where} tab", widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            yield f"{where} placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            yield where, widget.currentText()
        elif isinstance(widget, QDockWidget):
            yield where, widget.windowTitle()
        if isinstance(widget, QAbstractSpinBox):
            yield f"{where} special", widget.specialValueText()
            if isinstance(widget, QSpinBox):
                yield f"{where} prefix", widget.prefix() + widget.suffix()
        if isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            yield from ((f"{where} header", header.text(c)) for c in range(header.columnCount()))
        if isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                item = widget.horizontalHeaderItem(column)
                yield f"{where} header", item.text() if item is not None else ""


def _english(root: QWidget) -> list[str]:
    return [f"{where}: {text!r}" for where, text in visible_texts(root) if english_words(text)]


def _translated(lab: str) -> bool:
    return lab not in LAB_PANELS or (I18N_DIR / "labs_zh_CN.ts").exists()


@pytest.mark.parametrize("lab", list(LABS))
def test_every_text_of_a_lab_is_chinese(qtbot, lab: str, request: pytest.FixtureRequest) -> None:
    if not _translated(lab):
        pytest.skip("the labs' translation (labs_zh_CN.ts) is not in this checkout")
    window = request.getfixturevalue("window")
    assert _english(window.panels[lab]) == []


def test_the_menus_status_bar_and_docks_are_chinese(qtbot, window: MainWindow) -> None:
    menus = [f"menu: {text!r}" for menu in window.menuBar().findChildren(QMenu) for text in _menu_texts(menu)
             if english_words(text)]  # fmt: skip
    tabs = [window.tabs.tabText(window.tabs.indexOf(panel)) for lab, panel in window.panels.items() if _translated(lab)]
    tabs = [text for text in tabs if english_words(text)]
    assert menus == [] and tabs == []
    assert _english(window.statusBar()) == []
    assert _english(window.history_dock) == []
    assert _english(window.lessons_dock) == []


def test_core_messages_are_shown_in_chinese(chinese: None) -> None:
    assert english_words(translate_core_message(str(NoModelLoaded()))) == []
    with pytest.raises(InvalidParameters) as raised:
        TraceParams(prompt="The Eiffel Tower is in", subject="").check()
    assert english_words(translate_core_message(str(raised.value))) == []
    loaded = translate_core_message("Loaded tiny-gpt2")
    assert "tiny-gpt2" in loaded and english_words(loaded.replace("tiny-gpt2", "")) == []


def test_a_message_the_gui_does_not_know_is_shown_as_it_is(chinese: None) -> None:
    assert translate_core_message("Something new went wrong.") == "Something new went wrong."


def test_switching_language_live_keeps_the_typed_prompt_and_the_shown_result(
    qtbot, host: WorkerHost, settings: AppSettings, tiny_model_dir: Path
) -> None:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.show()
    job = host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))
    with qtbot.waitSignal(host.sig_run_finished, timeout=60000, check_params_cb=lambda j, *_: j == job):
        pass
    sampling = window.panels["sampling"]
    sampling.controls.prompt.setPlainText("Once upon a time")
    sampling.controls.form.editor("max_new_tokens").setValue(4)  # type: ignore[attr-defined]
    with qtbot.waitSignal(host.sig_run_finished, timeout=60000):
        sampling.generate()
    qtbot.waitUntil(lambda: "Once upon a time" in sampling.generation.text.toPlainText(), timeout=10000)
    shown = sampling.generation.text.toPlainText()
    assert sampling.controls.generate_button.text() == "Generate"

    window.set_language("zh_CN")
    qtbot.waitUntil(lambda: sampling.controls.generate_button.text() == "生成", timeout=5000)
    assert settings.language == "zh_CN" and current_language() == "zh_CN"
    assert sampling.controls.prompt.toPlainText() == "Once upon a time"
    assert sampling.generation.text.toPlainText() == shown
    assert english_words(sampling.generation.stats.text()) == []  # the result's line is redrawn in Chinese

    window.set_language("en")
    qtbot.waitUntil(lambda: sampling.controls.generate_button.text() == "Generate", timeout=5000)
    assert sampling.generation.text.toPlainText() == shown
    assert QCoreApplication.translate("SettingsColumn", "Generate") == "Generate"


def test_an_averaged_result_names_its_token_rows_in_chinese(qtbot, chinese: None) -> None:
    """The rows of the averaged maps come from the core (``TOKEN_GROUPS``): they were left in English."""
    groups = TOKEN_GROUPS
    result = AveragingResult(
        kinds=("hidden",),
        num_layers=4,
        groups=groups,
        effects={"hidden": np.zeros((len(groups), 4))},
        group_counts=np.ones(len(groups)),
        facts_total=3,
        facts_traced=3,
        facts_skipped=0,
        mean_high=0.5,
        mean_low=0.1,
    )
    view = AveragedView()
    qtbot.addWidget(view)
    view.show_result(result)
    rows = view.trio.plots["hidden"]._row_labels
    assert len(rows) == len(groups)
    assert not [row for row in rows if english_words(row)], rows


def test_plot_legends_follow_a_language_switch(qtbot) -> None:
    """pyqtgraph names a curve once, when it is added: the training curves' and the severing
    plot's legends stayed in the language they were first drawn in."""
    training, severing = TrainingView(), SeveringView()
    for view in (training, severing):
        qtbot.addWidget(view)
    layers = np.arange(4, dtype=np.float64)
    severing.show_result(
        SeveringResult(
            prompt="Anoda is in",
            tokens=["An", "oda", " is", " in"],
            token=1,
            subject_range=(0, 2),
            target_id=1,
            target=" Ensia",
            high_score=0.9,
            low_score=0.1,
            scores=dict.fromkeys(SEVERED, 0.5 + 0 * layers),
            spread=dict.fromkeys(SEVERED, 0 * layers),
            num_layers=4,
            samples=3,
        )
    )

    def legends() -> list[str]:
        labels = [
            label.text
            for plot in (training.loss_plot, training.rate_plot, severing.plot)
            for _, label in plot.legend.items
        ]
        return labels + [line.label.format for line in severing.plot._levels.values()]

    assert "train loss" in legends() and "clean" in legends()
    install_language("zh_CN")
    QApplication.processEvents()
    try:
        assert training.loss_plot.legend_label("train_loss") == "训练损失"
        assert not [label for label in legends() if english_words(label)], legends()
    finally:
        install_language("en")
        QApplication.processEvents()
    assert "train loss" in legends()
