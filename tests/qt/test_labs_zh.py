"""The Model Editing, Fine-tuning and RAG Documents labs in 简体中文 (issue 21, item 1).

Each lab is built with ``labs_zh_CN.ts`` compiled and installed (plus Qt's own Chinese), and
every text a person reads as a label — labels, buttons, group boxes, tabs, table and tree
headers, placeholders, combo boxes, spin boxes' prefixes and special texts — must hold no
English word except proper names, units and methods' names (``ALLOWED``).  Code a label
quotes (``{prompt, completion}``, ``.jsonl``, ``adapter_config``) is not a word.  A second test
switches the language of a lab that is already on screen and checks that the typed inputs
stay while the labels change.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

from workbench.i18n_build import I18N_DIR, lrelease_command
from workbench.ui.panels.base import Panel
from workbench.ui.panels.editing import EditingPanel
from workbench.ui.panels.finetune import FinetunePanel
from workbench.ui.panels.rag import RagPanel
from workbench.worker import WorkerHost

ALLOWED = {
    # methods, models, libraries and measures as the book and their authors write them
    "ROME", "T-Patcher", "LoRA", "rsLoRA", "DoRA", "IA3", "BitFit", "PEFT", "BM25", "RAG", "MRR", "MLP", "FFN",
    "KL", "HNSW", "IVF", "FAISS", "RRF", "jieba", "transformers", "A/B", "R@1", "R@5", "R@10", "MRR@10", "P95",
    # the authors a method's note cites
    "Hu", "Lester", "Li", "Liang", "Liu", "Ben", "Zaken", "Kalajdzievski",
    # the demo world's names used as examples
    "Anoda", "Pakelia", "Ensia", "Paris",
    # formats and units
    "JSON", "JSONL", "Lines", "TXT", "PNG", "ms", "nats",
    # a language chooser names each language in itself
    "English",
}  # fmt: skip
""""Lines" only after JSON ("JSON Lines" is the format's name); "ms" and "nats" are units."""
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-/@][A-Za-z0-9]+)*")
NOT_WORDS = re.compile(r"<[^>]+>|&[a-z]+;|\{[^}]*\}|\*?\.[a-z0-9]+\b|[\w.]*_[\w.]*")
"""Markup, entities, {placeholders}, file extensions and identifiers with underscores."""

LABS: dict[str, Callable[[WorkerHost], Panel]] = {"editing": EditingPanel, "finetune": FinetunePanel, "rag": RagPanel}


def english_words(text: str) -> list[str]:
    return [word for word in WORD.findall(NOT_WORDS.sub(" ", text)) if len(word) > 1 and word not in ALLOWED]


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


def _shown(widget: QWidget, root: QWidget) -> bool:
    """Not hidden on purpose; a page of a tab or stacked widget counts even when not in front."""
    while widget is not None and widget is not root:
        if widget.isHidden() and not isinstance(widget.parentWidget(), QStackedWidget):
            return False
        widget = widget.parentWidget()
    return True


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every label-like text under ``root``."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget, root):
            continue
        where = type(widget).__name__
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield where, widget.text()
        elif isinstance(widget, QGroupBox):
            yield where, widget.title()
        elif isinstance(widget, QTabWidget):
            yield from ((f"{where} tab", widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            yield f"{where} placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            yield from ((f"{where} item", widget.itemText(i)) for i in range(widget.count()) if not widget.isEditable())
            if widget.isEditable() and widget.lineEdit() is not None:
                yield f"{where} placeholder", widget.lineEdit().placeholderText()
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


@pytest.mark.parametrize("lab", list(LABS))
def test_every_label_of_the_lab_is_chinese(qtbot, host: WorkerHost, chinese: None, lab: str) -> None:
    panel = LABS[lab](host)
    qtbot.addWidget(panel)
    panel.resize(1280, 720)
    panel.show()
    texts = list(visible_texts(panel))
    assert len(texts) > 40, "the walk found too few texts to mean anything"
    assert [f"{where}: {text!r}" for where, text in texts if english_words(text)] == []
    assert english_words(panel.display_title()) == []


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
        assert (form.prompt.text(), form.subject.text(), form.target_new.text()) == ("{} is in the country of", "Anoda", " Pakelia")
        assert panel.batch.cases.value() == 7
        assert "Pakelia" in form.target_hint.text()  # a state-built text is rebuilt, not reset
    finally:
        _remove(translators)
    assert form.apply_button.text() == english_apply
    assert form.prompt.text() == "{} is in the country of"
