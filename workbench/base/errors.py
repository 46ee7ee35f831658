"""Errors a user can cause, each with a sentence a person understands.

The worker shows ``str(error)`` in a message box and the CLI prints it and exits non-zero;
anything that is *not* a ``WorkbenchError`` is a bug and is shown with its traceback.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class for failures caused by input, files or settings rather than by a bug."""


class JobCancelled(WorkbenchError):
    """Raised inside a job when the user pressed Cancel; the run is stored as cancelled."""

    def __init__(self, message: str = "Cancelled by the user.") -> None:
        super().__init__(message)


class NoModelLoaded(WorkbenchError):
    def __init__(self) -> None:
        super().__init__("No model is loaded. Load one from the Model menu first.")


class ModelLoadError(WorkbenchError):
    """A model could not be found, is not a causal LM, or needs an opt-in the user did not give."""


class UnsupportedArchitecture(WorkbenchError):
    """The model family has no adapter, so tracing/editing would not know where its modules are."""


class ProjectError(WorkbenchError):
    """A project file is missing, is not a project, or was written by a newer workbench."""


class InvalidParameters(WorkbenchError):
    """A job's parameters do not make sense (empty prompt, subject not in prompt …)."""
