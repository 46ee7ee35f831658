"""The main window as the lesson pane, the step views and the slide export see it.

Those three are built by the main window and act on it: they open runs, switch labs and
write to its status bar.  Naming ``MainWindow`` itself would tie them and the window into
an import circle, so they name this base class, which ``MainWindow`` extends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from workbench.ui.panels.base import Panel
    from workbench.ui.widgets.lab_tabs import LabTabs
    from workbench.ui.widgets.run_history import RunHistory
    from workbench.worker import WorkerHost


class LabWindow(QMainWindow):
    """A window with the labs in tabs, the run history and the worker that runs their jobs."""

    sig_run_list_refreshed = Signal()
    """The project's runs were read again (a job stored, renamed or deleted one)."""

    host: WorkerHost
    tabs: LabTabs
    panels: dict[str, Panel]
    """The labs by the name each is saved under (``"tracing"`` …)."""
    run_history: RunHistory
    project_path: str
    model_info: Any
    """The loaded model's ``ModelInfo``, or None."""

    def open_run(self, run_id: int) -> None:
        """Show stored run ``run_id`` in its lab, as a double-click in the run history does."""
        raise NotImplementedError
