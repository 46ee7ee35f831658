"""The Causal Tracing lab (book §5.4.1)."""

from workbench.ui.panels.tracing.panel import TracingPanel

__all__ = ["TracingPanel"]
