"""The 简体中文 interface: every visible text of every lab is Chinese, and switching keeps work.

The walk reads what a person sees — labels, buttons, check boxes, group boxes, tabs, menus
and their actions, table and tree headers, placeholders, spin boxes' special texts — and
fails on any English word that is not a proper name, a unit or a method's name (the short
``ALLOWED`` list).  Texts that are data (a prompt typed, a token, a number) are not labels
and are not read: an empty lab shows labels only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from string import Formatter

import numpy as np
import pytest
from english_words import english_words
from PySide6.QtCore import QCoreApplication, QTranslator
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

from workbench.base.errors import InvalidParameters, NoModelLoaded, WorkbenchError
from workbench.base.jobs import CancelToken
from workbench.core.editing.cases import find_case, load_cases, select_cases
from workbench.core.editing.known_facts import select as select_known
from workbench.core.editing.layer_choice import reference_effects
from workbench.core.editing.params import EditRequest
from workbench.core.finetune.data import load_data, read_records
from workbench.core.finetune.methods import validate as validate_method
from workbench.core.finetune.params import DataConfig, FinetuneParams, MethodConfig, TrainConfig
from workbench.core.finetune.run import finetune
from workbench.core.finetune.training import plan_steps
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.core.rag import vector_index
from workbench.core.rag.chunking import validate as validate_chunking
from workbench.core.rag.embedders import check_name
from workbench.core.rag.ingest import ingest
from workbench.core.rag.loaders import SUFFIX_KINDS, load_document
from workbench.core.rag.params import EMBEDDERS, ChunkSettings, IngestEstimate, IngestParams
from workbench.core.rag.retrieval import CollectionIndex
from workbench.core.rag.retrieval_metrics import load_queries
from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.results import SEVERED, TOKEN_GROUPS, AveragingResult, SeveringResult
from workbench.i18n_build import I18N_DIR
from workbench.store import RagLibrary
from workbench.store.project import ProjectStore
from workbench.store.rag_library import UnknownCollection
from workbench.ui.core_messages import CONTEXT, TEMPLATES, translate_core_message
from workbench.ui.language import current_language, install_language
from workbench.ui.main_window import MainWindow
from workbench.ui.panels.finetune.training_view import TrainingView
from workbench.ui.panels.registry import LABS
from workbench.ui.panels.tracing.averaged import AveragedView
from workbench.ui.panels.tracing.severing import SeveringView
from workbench.ui.settings import AppSettings
from workbench.worker import WorkerHost

RAG_FILES = Path(__file__).parent.parent / "unit" / "rag_files"

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


def _error(call: Callable[[], object]) -> str:
    """The sentence of the error the core raises for ``call``."""
    with pytest.raises(WorkbenchError) as raised:
        call()
    return str(raised.value)


def _english_shown(message: str, *values: str) -> list[str]:
    """English words left in ``message`` as the GUI shows it, its ``values`` (names, paths, a
    library's own words) taken out.  A message no template matches comes back whole."""
    shown = translate_core_message(message)
    for value in values:
        shown = shown.replace(value, " ")
    return english_words(shown)


def test_rag_errors_and_ingest_progress_are_shown_in_chinese(chinese: None, tmp_path: Path) -> None:
    store = ProjectStore.create(tmp_path / "rag.wbproj")
    library = RagLibrary.for_store(store)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "table.xyz").write_text("a table", encoding="utf-8")
    messages: list[str] = []
    files = (
        *(str(path) for path in sorted(RAG_FILES.iterdir())),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "gone.md"),
    )
    params = IngestParams(
        collection="notes", paths=files, embedder="e5-small", chunking=ChunkSettings(size=120, overlap=30)
    )
    result = ingest(library, params, lambda _fraction, message, _partial: messages.append(message), CancelToken())
    reasons = [report.message for report in result.files if report.message]
    assert len(reasons) == 2 and messages
    names = [Path(name).name for name in files]
    for message in [*messages, *reasons]:
        assert _english_shown(message, str(tmp_path), *names, "e5-small") == [], message

    index = CollectionIndex.open(library, "notes")
    suffixes = ", ".join(sorted(SUFFIX_KINDS))
    errors = [
        (str(UnknownCollection("x", [])), ()),
        (_error(lambda: library.collection("missing")), ("'missing'", "notes")),
        (_error(lambda: index.rank("  ", "hybrid", 5)), ()),
        (_error(lambda: index.rank("giraffe", "hybrid", 0)), ()),
        (_error(lambda: index.rank("giraffe", "hybrid", 5, fusion="max")), ("'max'",)),
        (_error(lambda: index.rank("giraffe", "sparse", 5)), ("'sparse'",)),
        (_error(lambda: validate_chunking(ChunkSettings(method="words"))), ("'words'",)),  # type: ignore[arg-type]
        (_error(lambda: validate_chunking(ChunkSettings(size=0))), ()),
        (_error(lambda: validate_chunking(ChunkSettings(size=100, overlap=100))), ()),
        (_error(lambda: vector_index.build("ivf", np.ones((3, 4), dtype=np.float32))), ()),
        (_error(lambda: vector_index.build("tree", np.ones((3, 4), dtype=np.float32))), ("'tree'",)),
        (_error(lambda: check_name("nonsense")), ("'nonsense'", *EMBEDDERS)),
        (_error(lambda: load_document(tmp_path / "empty.txt")), ("empty.txt",)),
        (_error(lambda: load_document(tmp_path / "binary.txt")), ("binary.txt",)),
        (_error(lambda: load_document(tmp_path / "table.xyz")), ("table.xyz", suffixes)),
        (_error(lambda: load_queries(tmp_path / "questions.jsonl")), (str(tmp_path / "questions.jsonl"),)),
    ]
    store.close()
    for message, values in errors:
        assert _english_shown(message, *values) == [], message


def test_model_editing_errors_are_shown_in_chinese(chinese: None, tmp_path: Path) -> None:
    cases = load_cases()
    (tmp_path / "none.jsonl").write_text("\n", encoding="utf-8")
    errors = [
        (_error(EditRequest(prompt="", subject="Anoda", target_new=" Pakelia").check), ()),
        (_error(EditRequest(prompt="{} is in", subject=" ", target_new=" Pakelia").check), ()),
        (_error(EditRequest(prompt="Anoda is in", subject="Zeni", target_new=" Pakelia").check), ("Zeni",)),
        (_error(EditRequest(prompt="{} is in", subject="Anoda", target_new="").check), ()),
        (_error(lambda: select_cases(cases, 0)), ()),
        (_error(lambda: select_cases(cases, 3, language="fr")), ("fr",)),
        (_error(lambda: select_known(cases, language="fr")), ("fr",)),
        (_error(lambda: find_case(cases, 987654)), ()),
        (_error(lambda: load_cases(str(tmp_path / "none.jsonl"))), ("none.jsonl",)),
        (_error(lambda: reference_effects(None, None, None, [])), ()),  # type: ignore[arg-type]
    ]
    missing = _error(lambda: load_cases(str(tmp_path / "gone.jsonl")))
    errors.append((missing, (str(tmp_path / "gone.jsonl"), missing.split(": ", 1)[1].rstrip("."))))
    for message, values in errors:
        assert _english_shown(message, *values) == [], message


def test_fine_tuning_errors_are_shown_in_chinese(chinese: None, tmp_path: Path) -> None:
    (tmp_path / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    (tmp_path / "odd.jsonl").write_text('{"title": "no text"}\n', encoding="utf-8")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    out = str(tmp_path / "adapter")
    broken = _error(lambda: read_records(tmp_path / "broken.jsonl"))
    errors = [
        (_error(lambda: validate_method(MethodConfig(rank=0))), ()),
        (_error(lambda: validate_method(MethodConfig(alpha=0.0))), ()),
        (_error(lambda: validate_method(MethodConfig(dropout=1.0))), ()),
        (_error(lambda: validate_method(MethodConfig(method="prefix", num_virtual_tokens=0))), ()),
        (_error(lambda: validate_method(MethodConfig(method="prompt", prompt_init="text"))), ()),
        (_error(lambda: plan_steps(10, TrainConfig(batch_size=0))), ()),
        (_error(lambda: plan_steps(10, TrainConfig(epochs=0, max_steps=0))), ()),
        (_error(lambda: load_data(DataConfig(max_length=1), None)), ()),
        (_error(lambda: finetune(None, None, None, FinetuneParams(output_dir=" "), _no_progress, CancelToken())), ()),  # type: ignore[arg-type]
        (
            _error(
                lambda: finetune(
                    None, None, None,  # type: ignore[arg-type]
                    FinetuneParams(output_dir=out, train=TrainConfig(learning_rate=0.0)), _no_progress, CancelToken(),
                )
            ),
            (),
        ),
        (broken, ("broken.jsonl", broken.split("(", 1)[1].rstrip(").") if "(" in broken else "")),
        (_error(lambda: read_records(tmp_path / "odd.jsonl")), ("odd.jsonl", '"text"', '"prompt"', '"completion"')),
        (_error(lambda: read_records(tmp_path / "empty.jsonl")), ("empty.jsonl",)),
    ]  # fmt: skip
    for message, values in errors:
        assert _english_shown(message, *values) == [], message


def _no_progress(fraction: float, message: str, partial: object = None) -> None:
    del fraction, message, partial


def _fields(text: str) -> list[str]:
    return sorted(field for _literal, field, _spec, _conversion in Formatter().parse(text) if field is not None)


def test_every_core_template_has_a_chinese_translation_with_the_same_fields(chinese: None) -> None:
    """A template and its translation cannot drift apart: each is translated in the compiled
    catalogue, with the same ``{fields}``, and fills without error."""
    translator = QTranslator()
    assert translator.load(str(I18N_DIR / "shell_zh_CN.qm"))
    problems = []
    for template in TEMPLATES:
        translated = translator.translate(CONTEXT, template)
        if not translated or translated == template:
            problems.append(f"untranslated: {template!r}")
        elif _fields(translated) != _fields(template):
            problems.append(f"fields differ: {template!r} → {translated!r}")
        else:
            translated.format(**dict.fromkeys(_fields(template), "x"))
    assert problems == []


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
    install_language("en")  # switched live, the axis caption and title follow (they stayed English)
    QApplication.processEvents()
    assert view.trio.plots["hidden"].plot.getAxis("bottom").labelText in ("restored layer", "layer")
    install_language("zh_CN")
    QApplication.processEvents()
    axis = view.trio.plots["hidden"].plot.getAxis("bottom").labelText
    title = view.trio.plots["hidden"].plot.titleLabel.text
    assert axis and title and not english_words(axis) and not english_words(title), (axis, title)


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


@pytest.mark.parametrize("basis", ["measured", "assumed", "given"])
def test_an_ingest_estimate_reads_in_chinese_part_by_part(chinese: None, basis: str) -> None:
    """The RAG panel's note and the long-ingest question show the estimate's sentence."""
    estimate = IngestEstimate(
        characters=2_081_475, chunks=8_909, seconds=2_600, basis=basis, chunks_per_s=3.5, embedder="e5-small",
        guessed=True, resumed=120, companion="use-multilingual", companion_chunks=8_909, companion_chunks_per_s=40.0,
    )  # fmt: skip
    shown = "".join(translate_core_message(part) for part in estimate.summary_parts())
    assert "8,909" in shown and "2,081,475" in shown and "120" in shown and "伴随" in shown
    assert english_words(shown.replace("e5-small", "").replace("use-multilingual", "")) == [], shown
