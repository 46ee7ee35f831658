"""Typed walks over Qt's item widgets.

PySide6 types ``QTreeWidget.topLevelItem``, ``QTreeWidgetItem.child`` and ``QTableWidget.item``
as optional: they return None for an index outside the view.  Walking the indices below the
view's own count never meets one, so these helpers hand back plain items.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTreeWidget, QTreeWidgetItem


def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The tree's top-level items, in order."""
    items = (tree.topLevelItem(index) for index in range(tree.topLevelItemCount()))
    return [item for item in items if item is not None]


def child_items(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """The item's children, in order."""
    children = (item.child(index) for index in range(item.childCount()))
    return [child for child in children if child is not None]


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    """The text in a table cell; "" for a cell that holds no item."""
    item = table.item(row, column)
    return "" if item is None else item.text()
