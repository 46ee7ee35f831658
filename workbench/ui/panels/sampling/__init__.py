"""The Sampling lab's panel and its views (book §1.4–1.5)."""

from workbench.ui.panels.sampling.panel import SamplingPanel

__all__ = ["SamplingPanel"]
