"""LLM Workbench: explore how large language models work by pointing and clicking."""

__version__ = "0.1.0"
