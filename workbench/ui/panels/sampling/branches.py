"""The tree of generations: each Generate is a root, each branch a child of the one it left.

A branch is the parent's generation up to step i, then a different token at step i, then
whatever the strategy makes of it.  The tree keeps every generation of the session so a
lecturer can go back and forth between "what the model said" and "what it would have said".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from workbench.core.sampling.records import SamplingResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.sampling.labels import describe_settings
from workbench.ui.widgets.token_text import visible_token

_SNIPPET = 38


@dataclass
class Branch:
    id: int
    parent: int | None
    step: int | None
    """The step at which this branch takes a different token from its parent."""
    token: str = ""
    """The token it takes there."""
    result: SamplingResult | None = None
    run_id: int | None = None
    state: str = "running"
    """``running``, ``done`` or ``cancelled``."""
    origin: str = ""
    """How the root came about ("step mode", "run #12" …); empty for a plain generation."""


class BranchTree(Retranslating, QTreeWidget):
    """Generations and their branches; selecting one emits ``sig_branch_selected(id)``."""

    sig_branch_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._ids = itertools.count(1)
        self._branches: dict[int, Branch] = {}
        self._items: dict[int, QTreeWidgetItem] = {}
        self.currentItemChanged.connect(self._on_current_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels([self.tr("Generation"), "log p"])
        for branch in self._branches.values():
            self._refresh_item(branch)

    # -- building ------------------------------------------------------------------------
    def add_root(self, origin: str = "") -> int:
        branch = Branch(next(self._ids), None, None, origin=origin)
        item = QTreeWidgetItem()
        self.addTopLevelItem(item)
        return self._register(branch, item)

    def add_branch(self, parent_id: int, step: int, token: str) -> int:
        branch = Branch(next(self._ids), parent_id, step, token=token)
        item = QTreeWidgetItem()
        self._items[parent_id].addChild(item)
        self._items[parent_id].setExpanded(True)
        return self._register(branch, item)

    def update_branch(
        self, branch_id: int, result: SamplingResult | None = None, state: str | None = None, run_id: int | None = None
    ) -> None:
        branch = self._branches[branch_id]
        if result is not None:
            branch.result = result
        if state is not None:
            branch.state = state
        if run_id is not None:
            branch.run_id = run_id
        self._refresh_item(branch)

    def remove_branch(self, branch_id: int) -> None:
        """Forget a branch that produced nothing (its children go with it)."""
        item = self._items.pop(branch_id)
        for child_id in [b.id for b in self._branches.values() if b.parent == branch_id]:
            self.remove_branch(child_id)
        self._branches.pop(branch_id)
        parent = item.parent()
        if parent is not None:
            parent.removeChild(item)
        else:
            self.takeTopLevelItem(self.indexOfTopLevelItem(item))

    def select(self, branch_id: int) -> None:
        """Make ``branch_id`` current and announce it (also when it already was: its result may be new)."""
        item = self._items[branch_id]
        if self.currentItem() is item:
            self.sig_branch_selected.emit(branch_id)
        else:
            self.setCurrentItem(item)

    # -- reading -------------------------------------------------------------------------
    def branch(self, branch_id: int) -> Branch:
        return self._branches[branch_id]

    def current_id(self) -> int | None:
        item = self.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def branch_of_run(self, run_id: int) -> int | None:
        """The branch already showing stored run ``run_id``: reopening it selects that one."""
        return next((b.id for b in self._branches.values() if b.run_id == run_id), None)

    def branch_ids(self) -> list[int]:
        return list(self._branches)

    def branch_points(self, branch_id: int) -> list[int]:
        """Steps where this branch or one of its ancestors took a token of its own choosing."""
        points = []
        branch: Branch | None = self._branches[branch_id]
        while branch is not None and branch.step is not None:
            points.append(branch.step)
            branch = self._branches.get(branch.parent) if branch.parent is not None else None
        return points

    def item_text(self, branch_id: int) -> str:
        return self._items[branch_id].text(0)

    # -- internals -------------------------------------------------------------------------
    def _register(self, branch: Branch, item: QTreeWidgetItem) -> int:
        item.setData(0, Qt.ItemDataRole.UserRole, branch.id)
        self._branches[branch.id] = branch
        self._items[branch.id] = item
        self._refresh_item(branch)
        return branch.id

    def _refresh_item(self, branch: Branch) -> None:
        item = self._items[branch.id]
        result = branch.result
        if branch.step is None:
            head = describe_settings(result.params) if result is not None else self.tr("generating")
            if branch.origin:
                head = f"{head} ({branch.origin})"
            tail = result.text if result is not None else ""
        else:
            head = self.tr("step {step} → {token}").format(step=branch.step + 1, token=visible_token(branch.token))
            prefix = self._prefix_text(branch)
            tail = (
                "" if result is None else result.text[len(prefix) :] if result.text.startswith(prefix) else result.text
            )
        state = {"running": " …", "cancelled": " " + self.tr("(cancelled)")}.get(branch.state, "")
        snippet = tail.strip().replace("\n", " ")
        snippet = snippet if len(snippet) <= _SNIPPET else snippet[: _SNIPPET - 1] + "…"
        item.setText(0, f"{head}{state}: “{snippet}”" if snippet else f"{head}{state}")
        item.setToolTip(0, result.text if result is not None else "")
        item.setText(1, f"{result.logprob:.1f}" if result is not None and result.steps else "")
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _prefix_text(self, branch: Branch) -> str:
        """The text the branch shares with its parent (to show only what is new)."""
        parent = self._branches.get(branch.parent) if branch.parent is not None else None
        if parent is None or parent.result is None or branch.step is None:
            return ""
        return "".join(parent.result.tokens[: branch.step])

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is not None:
            self.sig_branch_selected.emit(current.data(0, Qt.ItemDataRole.UserRole))
