"""The Fine-tuning lab's panel and its views (book ch. 4, §4.5.1)."""

from workbench.ui.panels.finetune.panel import FinetunePanel

__all__ = ["FinetunePanel"]
