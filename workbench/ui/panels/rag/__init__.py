"""The RAG Documents lab: library, chunk browser, playground, evaluation and Ask."""

from workbench.ui.panels.rag.panel import RagPanel

__all__ = ["RagPanel"]
