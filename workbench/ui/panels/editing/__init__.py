"""The Model Editing lab's panel and its views (book ch. 5: ROME and T-Patcher)."""

from workbench.ui.panels.editing.panel import EditingPanel

__all__ = ["EditingPanel"]
