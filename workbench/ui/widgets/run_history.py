"""The project's runs, newest first, flat or grouped by lab; activating one reopens it in its panel.

Readable at any width (issue 18): the lab is a coloured chip with a short name, a long title is
elided in the middle (its start and its end are what tell runs apart) and shown whole in the
tooltip, and when the dock is too narrow for every column the When and Time columns give way
before the Run column does (their values stay in the row's tooltip).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.language import Retranslating
from workbench.ui.widgets.item_views import child_items, top_level_items
from workbench.ui.widgets.lab_tag import LAB_TAGS, TAG_ROLE, LabTag, LabTagDelegate, lab_tag
from workbench.ui.widgets.model_state import run_state_text

STATUS_MARKS = {"finished": "✓", "failed": "✗", "cancelled": "⊘", "running": "◔"}
"""A running run's mark is no "…", which a title elided in the middle already shows."""
RUN, LAB, WHEN, TIME = range(4)
RUN_ID_ROLE = Qt.ItemDataRole.UserRole
"""On a run's row: its id.  A group's row has none."""
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2
"""On a group's row: its lab's English name (the key of ``_collapsed``); its tooltip is the translated one."""
CELL_MARGINS = 8
"""What the style leaves around a cell's text, in pixels."""
MIN_RUN_CHARS = 12
"""The Run column keeps room for this many average characters of a title (after the status mark
and a group's indentation) before the Lab, When and Time columns are given any."""


def _when(started: Any, today: date) -> str:
    """A run of today by its time, an older one by its day (the tooltip has both)."""
    if not isinstance(started, datetime):
        return str(started or "")
    return started.strftime("%H:%M" if started.date() == today else "%d %b")


def _by_lab(runs: Sequence[Any]) -> list[tuple[LabTag, list[Any]]]:
    """Runs grouped by lab, the labs in tab order (unknown kinds after them), runs kept in order."""
    groups: dict[LabTag, list[Any]] = {}
    for run in runs:
        groups.setdefault(lab_tag(run.kind), []).append(run)
    order = {tag: position for position, tag in enumerate(LAB_TAGS)}
    return sorted(groups.items(), key=lambda group: order.get(group[0], len(order)))


class RunHistory(Retranslating, QWidget):
    """A filterable list of stored runs; rename and delete are requests the worker carries out."""

    sig_run_activated = Signal(int)
    sig_rename_requested = Signal(int, str)
    sig_delete_requested = Signal(int)
    sig_export_requested = Signal(int)
    sig_grouping_changed = Signal(bool)
    """Group by lab was switched on or off (the main window keeps the choice in the settings)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runs: dict[int, Any] = {}
        self._collapsed: set[str] = set()
        """Labs whose group was collapsed: a refresh after a job keeps them so."""
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.group_action = QAction(self)
        self.group_action.setCheckable(True)
        self.group_action.toggled.connect(self._on_grouping_toggled)
        self.group_button = QToolButton()
        self.group_button.setDefaultAction(self.group_action)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setItemDelegate(LabTagDelegate(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(RUN, QHeaderView.ResizeMode.Stretch)
        for column in (LAB, WHEN, TIME):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_columns)
        self.tree.viewport().installEventFilter(self)
        self.tree.itemActivated.connect(self._on_item_activated)
        self.tree.itemExpanded.connect(lambda item: self._collapsed.discard(item.data(0, GROUP_ROLE)))
        self.tree.itemCollapsed.connect(lambda item: self._collapsed.add(item.data(0, GROUP_ROLE)))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.group_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        self.retranslate()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter runs…"))
        self.group_action.setText(self.tr("Group by lab"))
        # the button beside the filter says it short, so the filter keeps its width; the menu says it whole
        self.group_action.setIconText(self.tr("By lab"))
        self.group_action.setToolTip(self.tr("Show the runs under one heading per lab, newest first in each"))
        self.tree.setHeaderLabels([self.tr("Run"), self.tr("Lab"), self.tr("When"), self.tr("Time")])
        self.set_runs(list(self._runs.values()))

    # ---------------------------------------------------------------- contents
    def set_runs(self, runs: Sequence[Any]) -> None:
        """Replace the list with ``RunSummary`` rows (newest first)."""
        self._runs = {run.id: run for run in runs}
        self.tree.clear()
        grouped = self.grouped()
        self.tree.setRootIsDecorated(grouped)
        if grouped:
            for tag, members in _by_lab(runs):
                group = QTreeWidgetItem()
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selected, dragged or opened
                group.setData(0, TAG_ROLE, tag.hue)
                group.setData(0, GROUP_ROLE, tag.name)
                group.setToolTip(0, tag.translated_name())
                self.tree.addTopLevelItem(group)
                group.setFirstColumnSpanned(True)
                group.addChildren([self._run_item(run) for run in members])
                group.setExpanded(tag.name not in self._collapsed)
        else:
            self.tree.addTopLevelItems([self._run_item(run) for run in runs])
        self._apply_filter(self.filter.text())
        self._fit_columns()

    def _run_item(self, run: Any) -> QTreeWidgetItem:
        tag = lab_tag(run.kind)
        duration = f"{run.duration_s:.1f} s" if run.duration_s else ""
        started = run.started_at.strftime("%Y-%m-%d %H:%M") if isinstance(run.started_at, datetime) else ""
        when = _when(run.started_at, date.today())
        item = QTreeWidgetItem(
            [f"{STATUS_MARKS.get(run.status, '?')} {run.title}", tag.translated_short(), when, duration]
        )
        item.setData(RUN, RUN_ID_ROLE, run.id)
        item.setData(LAB, TAG_ROLE, tag.hue)
        details = " · ".join(part for part in (f"#{run.id}", run.kind, run.status, run_state_text(run)) if part)
        item.setToolTip(RUN, "\n".join(part for part in (run.title, details, f"{started}  {duration}".strip()) if part))
        item.setToolTip(LAB, tag.translated_name())
        item.setToolTip(WHEN, started)
        return item

    def run_ids(self) -> list[int]:
        """The ids of the runs in display order (grouped or not, filtered out or not)."""
        return [int(item.data(RUN, RUN_ID_ROLE)) for item in self._run_items()]

    def selected_run_ids(self) -> list[int]:
        """The selected runs, or the current one when none is selected; a group's heading is no run."""
        current = self.tree.currentItem()
        items = self.tree.selectedItems() or ([current] if current is not None else [])
        return [int(run_id) for item in items if (run_id := item.data(RUN, RUN_ID_ROLE)) is not None]

    def _run_items(self) -> list[QTreeWidgetItem]:
        if not self.grouped():
            return top_level_items(self.tree)
        return [run for group in top_level_items(self.tree) for run in child_items(group)]

    # ---------------------------------------------------------------- grouping
    def grouped(self) -> bool:
        return self.group_action.isChecked()

    def set_grouped(self, on: bool) -> None:
        self.group_action.setChecked(on)

    def _on_grouping_toggled(self, on: bool) -> None:
        self.set_runs(list(self._runs.values()))
        self.sig_grouping_changed.emit(on)

    def _apply_filter(self, text: str) -> None:
        """Hide the runs that do not contain ``text`` (in any column or the lab's full name), and
        the groups left empty; a group counts the runs it shows."""
        needle = text.strip().lower()
        for item in self._run_items():
            haystack = " ".join([*(item.text(column) for column in range(4)), item.toolTip(LAB)]).lower()
            item.setHidden(bool(needle) and needle not in haystack)
        if self.grouped():
            for group in top_level_items(self.tree):
                shown = sum(not run.isHidden() for run in child_items(group))
                group.setText(RUN, self.tr("{lab} ({count})").format(lab=group.toolTip(0), count=shown))
                group.setHidden(shown == 0)

    # ---------------------------------------------------------------- width
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The viewport was resized, or the text size or style changed: fit the columns again once
        the change has reached every widget (the viewport hears of a new font before the tree does)."""
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_timer.start()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Show the Lab (when not grouped: a group names its lab), When and Time columns, in that
        order, while the Run column keeps ``MIN_RUN_CHARS`` characters; from the first column
        that does not fit on, they are hidden."""
        header, metrics = self.tree.header(), self.tree.fontMetrics()
        title = metrics.horizontalAdvance("✓ ") + metrics.averageCharWidth() * MIN_RUN_CHARS + CELL_MARGINS
        indent = 2 * self.tree.indentation() if self.grouped() else 0  # a run sits a level below its heading
        room = self.tree.viewport().width() - title - indent
        header.setSectionHidden(LAB, self.grouped())
        fits = True
        for column in (WHEN, TIME) if self.grouped() else (LAB, WHEN, TIME):
            needed = max(self.tree.sizeHintForColumn(column), header.sectionSizeHint(column))
            fits = fits and needed <= room
            header.setSectionHidden(column, not fits)
            room -= needed

    # ---------------------------------------------------------------- actions
    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        run_id = item.data(RUN, RUN_ID_ROLE)
        if run_id is not None:
            self.sig_run_activated.emit(int(run_id))

    def _on_context_menu(self, position: Any) -> None:
        self.context_menu(self.tree.itemAt(position)).exec(self.tree.viewport().mapToGlobal(position))

    def context_menu(self, item: QTreeWidgetItem | None) -> QMenu:
        """The menu for ``item``: a run's actions (none on a group's heading or on empty space),
        then the Group by lab switch."""
        menu = QMenu(self)
        run_id = item.data(RUN, RUN_ID_ROLE) if item is not None else None
        if run_id is not None:
            run_id = int(run_id)
            menu.addAction(self.tr("Open"), lambda: self.sig_run_activated.emit(run_id))
            menu.addAction(self.tr("Rename…"), lambda: self._rename(run_id))
            menu.addAction(self.tr("Export as JSON…"), lambda: self.sig_export_requested.emit(run_id))
            menu.addAction(self.tr("Delete"), lambda: self.sig_delete_requested.emit(run_id))
            menu.addSeparator()
        menu.addAction(self.group_action)
        return menu

    def _rename(self, run_id: int) -> None:
        current = self._runs[run_id].title
        title, ok = QInputDialog.getText(self, self.tr("Rename run"), self.tr("Title:"), text=current)
        if ok and title.strip():
            self.sig_rename_requested.emit(run_id, title.strip())
