"""The labs in tab order: the name each is saved under and the panel class that shows it."""

from __future__ import annotations

from workbench.ui.panels.base import Panel
from workbench.ui.panels.editing import EditingPanel
from workbench.ui.panels.finetune import FinetunePanel
from workbench.ui.panels.rag import RagPanel
from workbench.ui.panels.sampling import SamplingPanel
from workbench.ui.panels.tracing import TracingPanel
from workbench.worker import WorkerHost

LABS: dict[str, type[Panel]] = {
    "sampling": SamplingPanel,
    "tracing": TracingPanel,
    "editing": EditingPanel,
    "finetune": FinetunePanel,
    "rag": RagPanel,
}


def create_panels(host: WorkerHost) -> dict[str, Panel]:
    return {name: panel_class(host) for name, panel_class in LABS.items()}
