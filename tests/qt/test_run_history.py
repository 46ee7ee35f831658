"""The run history readable at any width and grouped by lab on demand (issue 18 item 7).

The Run column used to shrink to "…" once "Fine-tuning" was in the Lab column: the lab is now a
coloured chip, titles elide in the middle, and the other columns give way first.  Real widgets,
fed ``RunSummary`` rows as the main window feeds them from the project.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QInputDialog, QTreeWidgetItem

from workbench.store.records import RunSummary
from workbench.ui.language import install_language
from workbench.ui.main_window import MainWindow
from workbench.ui.settings import AppSettings
from workbench.ui.theme import DARK, LIGHT, PRESENT_SCALE, apply_theme
from workbench.ui.widgets.item_views import child_items, top_level_items
from workbench.ui.widgets.lab_tag import LAB_TAGS, OTHER_HUE, TAG_ROLE, lab_tag, tag_colours
from workbench.ui.widgets.run_history import CELL_MARGINS, LAB, MIN_RUN_CHARS, RUN, TIME, WHEN, RunHistory
from workbench.worker import WorkerHost

KINDS = ["sample", "finetune", "trace", "edit", "finetune", "rag", "trace_severing", "perplexity", "edit", "sample"]
LONG_TITLE = "LoRA r=8 on the capital-city facts, three epochs, learning rate 2e-4"


def _runs() -> list[RunSummary]:
    """Ten runs of every lab, newest first (as ``ProjectStore.list_runs`` gives them)."""
    now = datetime.now()
    return [
        RunSummary(
            id=len(KINDS) - i,
            kind=kind,
            title=LONG_TITLE if kind == "finetune" and i == 1 else f"{kind} run {len(KINDS) - i}",
            status="finished",
            model_label="demo",
            started_at=now - timedelta(minutes=10 * i),
            duration_s=1.5 + i,
        )
        for i, kind in enumerate(KINDS)
    ]


@pytest.fixture()
def history(qtbot) -> RunHistory:
    widget = RunHistory()
    qtbot.addWidget(widget)
    widget.resize(280, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_runs(_runs())
    return widget


@pytest.fixture()
def themed(qtbot) -> Iterator[None]:
    """The app's real look, put back afterwards for the other tests."""
    app = QApplication.instance()
    font, sheet, palette = app.font(), app.styleSheet(), app.palette()
    apply_theme(app, "light", 1.0)
    yield
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setFont(font)


def _item(history: RunHistory, run_id: int) -> QTreeWidgetItem:
    items = [item for top in top_level_items(history.tree) for item in [top, *child_items(top)]]
    return next(item for item in items if item.data(RUN, Qt.ItemDataRole.UserRole) == run_id)


def _luminance(colour: QColor) -> float:
    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# ---------------------------------------------------------------------------------------- tags
def test_each_lab_has_its_own_hue_and_every_kind_finds_its_lab() -> None:
    assert len({tag.hue for tag in LAB_TAGS} | {OTHER_HUE}) == len(LAB_TAGS) + 1
    assert lab_tag("trace_severing") is lab_tag("trace")
    assert lab_tag("perplexity") is lab_tag("sample")
    assert lab_tag("test_sleepy").hue == OTHER_HUE and lab_tag("test_sleepy").translated_name() == "test_sleepy"


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_a_chip_s_text_reads_on_its_fill_and_the_fills_stay_apart(theme) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(theme.base))
    palette.setColor(QPalette.ColorRole.Text, QColor(theme.text))
    fills = []
    for tag in LAB_TAGS:
        fill, _border, ink = tag_colours(QColor(tag.hue), palette)
        assert _contrast(fill, ink) >= 4.5, tag.name
        fills.append(fill)
    hues = sorted(fill.hslHue() for fill in fills)
    assert min(b - a for a, b in zip(hues, [*hues[1:], hues[0] + 360], strict=True)) >= 30


def test_the_lab_column_shows_a_short_chip_in_the_lab_s_colour_and_names_the_lab_in_its_tooltip(
    qtbot, history: RunHistory
) -> None:
    item = _item(history, 9)  # the fine-tuning run with the long title
    finetune = lab_tag("finetune")
    assert item.text(LAB) == "Tune" and item.toolTip(LAB) == "Fine-tuning"
    assert item.data(LAB, TAG_ROLE) == finetune.hue
    fill, _border, _ink = tag_colours(QColor(finetune.hue), history.tree.palette())
    image = history.tree.viewport().grab().toImage()
    cell = history.tree.visualItemRect(item)
    left = history.tree.header().sectionViewportPosition(LAB)
    width = history.tree.header().sectionSize(LAB)
    pixels = [QColor(image.pixel(x, cell.center().y())) for x in range(left, left + width)]
    assert any(_contrast(pixel, fill) < 1.05 for pixel in pixels), "no pixel of the chip's fill in the Lab cell"


# ---------------------------------------------------------------------------------------- width
def test_a_long_title_is_elided_in_the_middle_and_whole_in_the_tooltip(qtbot, history: RunHistory) -> None:
    item = _item(history, 9)
    assert history.tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert item.toolTip(RUN).splitlines()[0] == LONG_TITLE
    assert "#9 · finetune · finished · demo" in item.toolTip(RUN)
    room = history.tree.header().sectionSize(RUN) - CELL_MARGINS
    shown = history.tree.fontMetrics().elidedText(item.text(RUN), Qt.TextElideMode.ElideMiddle, room)
    start, end = shown.split("…")
    assert start.startswith("✓ LoRA") and LONG_TITLE.endswith(end) and len(end) >= 3


def _title_room(tree) -> int:
    """The width the Run column leaves a title: less the status mark, the cell's margins and, when
    grouped, the two levels of indentation."""
    indent = 2 * tree.indentation() if tree.rootIsDecorated() else 0
    return tree.header().sectionSize(RUN) - tree.fontMetrics().horizontalAdvance("✓ ") - CELL_MARGINS - indent


@pytest.mark.parametrize("grouped", [False, True], ids=["flat", "grouped"])
def test_the_run_column_keeps_its_title_at_the_dock_s_minimum_width_in_every_text_size(
    qtbot, host: WorkerHost, settings: AppSettings, themed: None, grouped: bool
) -> None:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    history = window.run_history
    history.set_runs(_runs())
    history.set_grouped(grouped)
    assert window.history_dock.width() <= window.history_dock.minimumWidth() + 10
    tree, header = history.tree, history.tree.header()
    for scale in (1.0, PRESENT_SCALE):
        window.set_font_scale(scale)
        needed = tree.fontMetrics().averageCharWidth() * MIN_RUN_CHARS
        qtbot.waitUntil(  # the columns are fitted once the new text size has reached every widget
            lambda n=needed: _title_room(tree) >= n and not tree.horizontalScrollBar().isVisible(), timeout=2000
        )
        shown = [column for column in (LAB, WHEN, TIME) if not header.isSectionHidden(column)]
        assert sum(header.sectionSize(c) for c in [RUN, *shown]) <= tree.viewport().width()  # no scrolling sideways
        if scale == 1.0:  # at the desk's text size the dock shows every column (a heading names the lab)
            assert shown == ([WHEN, TIME] if grouped else [LAB, WHEN, TIME])
        elif not grouped:
            assert shown == [LAB]  # Present's text: the lab's chip stays, When and Time go to the tooltip
    window.set_font_scale(1.0)


# ---------------------------------------------------------------------------------------- grouping
def test_grouping_puts_each_lab_s_runs_under_one_heading_newest_first_and_back(qtbot, history: RunHistory) -> None:
    flat = history.run_ids()
    assert flat == [run.id for run in _runs()]
    assert not history.tree.header().isSectionHidden(LAB)

    history.group_button.click()
    assert history.grouped()
    groups = top_level_items(history.tree)
    assert [group.text(RUN) for group in groups] == [
        "Sampling (3)",
        "Tracing (2)",
        "Editing (2)",
        "Fine-tuning (2)",
        "RAG (1)",
    ]
    assert all(group.isExpanded() and group.flags() == Qt.ItemFlag.ItemIsEnabled for group in groups)
    by_lab = {group.text(RUN).split(" ")[0]: [int(c.data(RUN, Qt.ItemDataRole.UserRole)) for c in child_items(group)] for group in groups}  # fmt: skip
    assert by_lab["Sampling"] == [10, 3, 1] and by_lab["Tracing"] == [8, 4]  # perplexity, severing: their labs'
    assert history.run_ids() == [run_id for ids in by_lab.values() for run_id in ids]
    assert history.tree.header().isSectionHidden(LAB)  # the heading names the lab

    history.group_button.click()
    assert not history.grouped() and history.run_ids() == flat
    assert not history.tree.header().isSectionHidden(LAB)


def test_the_filter_works_when_grouped_and_hides_the_groups_left_empty(qtbot, history: RunHistory) -> None:
    history.set_grouped(True)
    history.filter.setText("edit run")
    visible = [group for group in top_level_items(history.tree) if not group.isHidden()]
    assert [group.text(RUN) for group in visible] == ["Editing (2)"]
    history.filter.setText("tune")  # the chip's short name finds the lab's runs
    visible = [group for group in top_level_items(history.tree) if not group.isHidden()]
    assert [group.text(RUN) for group in visible] == ["Fine-tuning (2)"]
    history.filter.setText("capital-city")
    visible = [group for group in top_level_items(history.tree) if not group.isHidden()]
    assert [group.text(RUN) for group in visible] == ["Fine-tuning (1)"]
    assert [child.isHidden() for child in child_items(visible[0])] == [False, True]
    history.filter.clear()
    assert not any(group.isHidden() for group in top_level_items(history.tree))
    assert top_level_items(history.tree)[0].text(RUN) == "Sampling (3)"


def test_a_collapsed_group_stays_collapsed_when_the_list_refreshes(qtbot, history: RunHistory) -> None:
    history.set_grouped(True)
    top_level_items(history.tree)[1].setExpanded(False)  # Tracing
    history.set_runs(_runs())  # a job finished
    assert [group.isExpanded() for group in top_level_items(history.tree)] == [True, False, True, True, True]


def test_a_grouped_run_opens_renames_exports_and_deletes_from_its_menu(
    qtbot, history: RunHistory, monkeypatch: pytest.MonkeyPatch
) -> None:
    history.set_grouped(True)
    finetune = top_level_items(history.tree)[3]
    child = child_items(finetune)[0]
    assert int(child.data(RUN, Qt.ItemDataRole.UserRole)) == 9
    menu = history.context_menu(child)
    actions = {action.text(): action for action in menu.actions() if not action.isSeparator()}
    assert list(actions) == ["Open", "Rename…", "Export as JSON…", "Delete", "Group by lab"]
    assert actions["Group by lab"].isChecked()
    for text, signal in (
        ("Open", history.sig_run_activated),
        ("Export as JSON…", history.sig_export_requested),
        ("Delete", history.sig_delete_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000) as blocker:
            actions[text].trigger()
        assert blocker.args == [9], text
    asked: list[str] = []

    def answer(_parent, _title, _label, text: str = "") -> tuple[str, bool]:
        asked.append(text)
        return "  LoRA, renamed  ", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    with qtbot.waitSignal(history.sig_rename_requested, timeout=1000) as blocker:
        actions["Rename…"].trigger()
    assert asked == [LONG_TITLE] and blocker.args == [9, "LoRA, renamed"]
    with qtbot.waitSignal(history.sig_run_activated, timeout=1000) as blocker:
        history.tree.itemActivated.emit(child, RUN)
    assert blocker.args == [9]


def test_a_group_heading_is_no_run(qtbot, history: RunHistory) -> None:
    history.set_grouped(True)
    heading = top_level_items(history.tree)[0]
    menu = history.context_menu(heading)
    assert [action.text() for action in menu.actions()] == ["Group by lab"]
    activated: list[int] = []
    history.sig_run_activated.connect(activated.append)
    history.tree.itemActivated.emit(heading, RUN)  # emitted synchronously: nothing to wait for
    assert activated == []
    history.tree.setCurrentItem(heading)
    assert history.selected_run_ids() == []
    history.tree.setCurrentItem(child_items(heading)[1])
    assert history.selected_run_ids() == [3]


# ---------------------------------------------------------------------------------------- settings
def test_group_by_lab_survives_a_restart_and_present_mode_leaves_it(
    qtbot, host: WorkerHost, settings: AppSettings, tmp_path
) -> None:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.show()
    assert not window.run_history.grouped()
    window.run_history.group_button.click()
    assert settings.history_grouped
    window.toggle_present()
    window.toggle_present()
    assert window.run_history.grouped() and settings.history_grouped
    settings.qsettings.sync()

    reopened = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert reopened.history_grouped  # read back from the file's text
    restarted = MainWindow(host, reopened)
    qtbot.addWidget(restarted)
    assert restarted.run_history.grouped() and restarted.run_history.group_button.isChecked()


def test_the_chips_headings_and_switch_speak_chinese(qtbot, history: RunHistory) -> None:
    assert install_language("zh_CN") == "zh_CN"
    try:
        qtbot.waitUntil(lambda: history.group_button.text() == "按实验室", timeout=2000)
        assert _item(history, 9).text(LAB) == "微调" and _item(history, 9).toolTip(LAB) == "微调"
        history.set_grouped(True)
        assert top_level_items(history.tree)[3].text(RUN) == "微调（2）"
        assert history.group_action.text() == "按实验室分组"
    finally:
        install_language("en")
        QApplication.processEvents()
